/**
 * Parsers load on first use: a user who only opens Python files never builds the
 * JavaScript grammar's tables, and activating the extension costs nothing. `require` is
 * deliberate here (esbuild keeps each module's initialisation lazy behind it, while a
 * static import would run it at start-up), and the types come from type-only imports.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { TreeFragment } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import type * as YamlModule from 'yaml';
import type * as JsoncModule from 'jsonc-parser';

/** The part of markdown-it's API the scanner uses (its typings do not resolve under Node16 CommonJS). */
export interface MarkdownToken {
  type: string;
  map: [number, number] | null;
  info: string;
  content: string;
  markup: string;
}
interface MarkdownIt {
  parse(src: string, env: object): MarkdownToken[];
}

let python: LRParser | undefined;
let treeFragment: typeof TreeFragment | undefined;
const javascript = new Map<string, LRParser>();
let yaml: typeof YamlModule | undefined;
let jsonc: typeof JsoncModule | undefined;
let markdown: MarkdownIt | undefined;

/**
 * A Python 3.14 template string prefix (PEP 750: `t`, `rt`, `tr`, in either case) at the start
 * of a word, right before its opening quote. Lezer's Python grammar (1.1.x) knows the f-string
 * prefixes but not these: it read `t"…{x}…"` as the name `t`, a syntax error, and a plain string
 * whose `{x}` fields were text.
 */
const TEMPLATE_PREFIX = /(?<![\p{ID_Continue}])(?:[rR][tT]|[tT][rR]?)(?=["'])/gu;

/**
 * `src` as the Python parser reads it: each t-string prefix written as the f-string prefix of
 * the same length (`t` → `f`, `rt` → `rf`, `Tr` → `Fr`), so that a t-string parses as an
 * f-string (its `{…}` fields, conversions and format specs are the same syntax) at the same
 * offsets. Only the parse reads the result: every text is read from `src` itself. A `t` before
 * a quote inside another literal or a comment is changed too, which changes no parse (a letter
 * of a literal's or comment's text); in code, a word `t` right before a quote is a t-string
 * prefix (anything else there is a syntax error).
 */
export function pythonParseText(src: string): string {
  let text = src.replace(TEMPLATE_PREFIX, (prefix) => prefix.replace('t', 'f').replace('T', 'F'));
  if (text.includes('\\{') || text.includes('\\}')) text = text.replace(BACKSLASH_BEFORE_BRACE, (_match, pairs: string) => `${pairs} `);
  return text.includes('\r\n') ? text.replace(CRLF_AFTER_BACKSLASHES, crlfAsLf) : text;
}

/**
 * An odd run of backslashes (at most 15) right before a brace: its last backslash, which Lezer's Python grammar (1.1.x)
 * read as escaping the brace, in an f-string too. Python never does: in an f-string (raw or not) a brace after a
 * backslash is still a brace (`rf"C:\Users\{user}"` interpolates `{user}`, `rf"\{{x}}"` is the text `\{x}` and
 * interpolates nothing; `\{` is no escape sequence). Lezer found no field in the first and a field `{x}` in the second,
 * so the scanner took a live interpolation for text and the guard refused every rewrite of such a prompt, or took an
 * escaped brace for an interpolation (breaker49). That backslash is read as a space, at the same offset: the literal's
 * fields are then Python's. In any other literal, a comment or code, a space for a backslash before a brace changes no
 * parse (Python code has no backslash there outside literals and comments).
 */
const BACKSLASH_BEFORE_BRACE = /(?<!\\)((?:\\\\){0,7})\\(?=[{}])/g;

/**
 * A CRLF line break and the backslashes right before it (at most 16: `crlfAsLf` reads no further). Lezer's Python
 * grammar (1.1.x) reads a CRLF as a line break and then a blank line, and so (a) a string continued on the next line
 * (`"… \` CRLF `…"`, as Windows files have them: dbgpt's chat_dashboard prompt.py) ended at the LF, the literal was
 * lost and the file had a syntax error; (b) a CRLF file of a few hundred statements had an error every 301 of them
 * (break39). Every edit of a file with an error is scanned whole (incremental.ts).
 */
const CRLF_AFTER_BACKSLASHES = /(\\{0,16})\r\n/g;

/**
 * A CRLF as the parser reads it: a space and an LF, at the same offsets. After an odd number of backslashes (the last
 * one escapes the line break: a string or a line continued) the last backslash moves onto the CR, so that it escapes
 * the LF: `\` CR LF becomes space `\` LF. Only the parse reads this text (see `pythonParseText`).
 */
function crlfAsLf(_match: string, backslashes: string): string {
  return backslashes.length % 2 === 1 ? `${backslashes.slice(1)} \\\n` : `${backslashes} \n`;
}

/**
 * How far (in characters) `pythonParseText` looks around a character it may change: an edit there can change its reading
 * (a t-string prefix: 3; a CR: the 16 backslashes before it and the LF after it).
 */
export const PYTHON_PARSE_TEXT_REACH = 17;

/** The same for `javascriptParseText` (a CR: the 16 backslashes before it and the LF after it). */
export const JAVASCRIPT_PARSE_TEXT_REACH = 17;

export function loadPythonParser(): LRParser {
  if (!python) {
    const base = (require('@lezer/python') as { parser: LRParser }).parser;
    // The grammar's own parser, reading t-strings as f-strings (`pythonParseText`): every caller
    // (scanner, incremental scans, the rewrite guard) parses through `startParse`.
    const wrapped = Object.create(base) as LRParser;
    wrapped.startParse = (input, fragments, ranges) => base.startParse(typeof input === 'string' ? pythonParseText(input) : input, fragments, ranges);
    python = wrapped;
  }
  return python;
}

/** Lezer's `TreeFragment`, for incremental re-parsing (incremental.ts). */
export function loadTreeFragment(): typeof TreeFragment {
  treeFragment ??= (require('@lezer/common') as { TreeFragment: typeof TreeFragment }).TreeFragment;
  return treeFragment;
}

/**
 * `src` as the JavaScript parser reads it: a backslash that continues a string on the next line before a CRLF
 * (`"… \` CRLF `…"`) moved onto the CR, so that it escapes the LF (`\` CR LF becomes space `\` LF), at the same
 * offsets. @lezer/javascript (1.5.x) let the backslash escape the CR alone, and the string ended at the LF with a syntax
 * error (break39). Other CRLFs are left alone: the grammar reads them as line breaks.
 */
export function javascriptParseText(src: string): string {
  return src.includes('\\\r\n') ? src.replace(CRLF_AFTER_BACKSLASHES, (match, backslashes: string) => (backslashes.length % 2 === 1 ? crlfAsLf(match, backslashes) : match)) : src;
}

export function loadJavaScriptParser(typescript: boolean, jsx: boolean): LRParser {
  const dialect = [typescript ? 'ts' : '', jsx ? 'jsx' : ''].filter(Boolean).join(' ');
  let parser = javascript.get(dialect);
  if (!parser) {
    const base = (require('@lezer/javascript') as { parser: LRParser }).parser;
    const configured = dialect ? base.configure({ dialect }) : base;
    // (As for Python: every caller parses through `startParse`, and only the parse reads the rewritten text.)
    const wrapped = Object.create(configured) as LRParser;
    wrapped.startParse = (input, fragments, ranges) => configured.startParse(typeof input === 'string' ? javascriptParseText(input) : input, fragments, ranges);
    parser = wrapped;
    javascript.set(dialect, parser);
  }
  return parser;
}

export function loadYaml(): typeof YamlModule {
  yaml ??= require('yaml') as typeof YamlModule;
  return yaml;
}

export function loadJsonc(): typeof JsoncModule {
  jsonc ??= require('jsonc-parser') as typeof JsoncModule;
  return jsonc;
}

export function loadMarkdown(): MarkdownIt {
  if (!markdown) {
    const create = require('markdown-it') as (options?: { html?: boolean }) => MarkdownIt;
    markdown = create({ html: true });
  }
  return markdown;
}
