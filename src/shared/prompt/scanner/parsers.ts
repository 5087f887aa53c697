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
  return src.replace(TEMPLATE_PREFIX, (prefix) => prefix.replace('t', 'f').replace('T', 'F'));
}

/** How far (in characters) `pythonParseText` looks around a character it may change: an edit there can change its reading. */
export const PYTHON_PARSE_TEXT_REACH = 3;

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

export function loadJavaScriptParser(typescript: boolean, jsx: boolean): LRParser {
  const dialect = [typescript ? 'ts' : '', jsx ? 'jsx' : ''].filter(Boolean).join(' ');
  let parser = javascript.get(dialect);
  if (!parser) {
    const base = (require('@lezer/javascript') as { parser: LRParser }).parser;
    parser = dialect ? base.configure({ dialect }) : base;
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
