/**
 * The editor's rewrite path without VS Code, for the rewrite-safety tests: the engine's
 * JSON-RPC handler for compress/distill/optimize (src/engine/prompt/handlers.ts, which
 * masks atoms) on the prompt's decoded text, then the guard that src/extension/prompt/
 * rewrite.ts runs before it applies the edit (planLiteralEdit). Plus an oracle that checks
 * an applied edit independently of the guard: the scanner finds the prompt again in the
 * edited file with the same live interpolations, the syntax tree's leaves outside the
 * literal are the same, and Lezer reports no new error nodes.
 */
import type { Tree } from '@lezer/common';
import { parser as jsParser } from '@lezer/javascript';
import { parser as pyParser } from '@lezer/python';
import { PromptCompressRequest, PromptDistillRequest, PromptOptimizeRequest } from '../../../src/protocol/engine';
import { EngineError } from '../../../src/protocol/errors';
import type { CompressionResult, DistillationResult, OptimizedPrompt } from '../../../src/protocol/prompt';
import type { PromptLocation } from '../../../src/protocol/scan';
import { neverCancelled, type HandlerContext } from '../../../src/engine/context';
import { registerPromptHandlers } from '../../../src/engine/prompt/handlers';
import { Dispatcher } from '../../../src/engine/rpc';
import { literalCore, liveInterpolations, planLiteralEdit, rewriteForLiteral } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';

export type Operation = { kind: 'compress'; level: 'medium' | 'aggressive' } | { kind: 'distill'; share: number } | { kind: 'optimize'; target: 'quality' | 'efficiency' | 'balanced' };

export const OPERATIONS: Operation[] = [
  { kind: 'compress', level: 'medium' },
  { kind: 'compress', level: 'aggressive' },
  { kind: 'distill', share: 0.6 },
  { kind: 'optimize', target: 'efficiency' },
  { kind: 'optimize', target: 'balanced' },
  { kind: 'optimize', target: 'quality' },
];

export function describeOperation(op: Operation): string {
  return op.kind === 'compress' ? `compress ${op.level}` : op.kind === 'distill' ? `distill ${op.share}` : `optimize ${op.target}`;
}

const rpc = new Dispatcher();
registerPromptHandlers(rpc);
const ctx: HandlerContext = { token: neverCancelled, progress: () => undefined, log: () => undefined };

/** Calls one of the engine's prompt handlers as the JSON-RPC server would. */
export async function callEngine(method: string, params: unknown): Promise<unknown> {
  if (!rpc.has(method)) throw new Error(`no handler for ${method}`);
  return rpc.dispatch(method, params, ctx);
}

export type PathOutcome =
  | { status: 'applied'; newText: string; edited: string; edit: { start: number; end: number; text: string } }
  | { status: 'unchanged' }
  | { status: 'refused'; stage: 'engine' | 'guard'; reason: string };

/** Runs one operation on one prompt of `source` the way the editor does. */
export async function rewriteThroughEditorPath(source: string, document: { languageId?: string; fileName?: string }, prompt: PromptLocation, op: Operation, tokens?: number): Promise<PathOutcome> {
  const text = prompt.text;
  // As src/extension/prompt/rewrite.ts sends them: the literal's interpolations as written, atoms for the engine.
  const interpolations = liveInterpolations(prompt);
  let newText: string;
  try {
    if (op.kind === 'compress') {
      // As the editor sends it at a level (src/extension/prompt/rewrite.ts): a code literal without its edge whitespace.
      newText = ((await rpc.dispatch(PromptCompressRequest.method, { text: literalCore(prompt), interpolations, model: 'gpt-4o', level: op.level }, ctx)) as CompressionResult).text;
    } else if (op.kind === 'distill') {
      const maxTokens = Math.max(1, Math.round((tokens ?? Math.ceil(text.length / 4)) * op.share));
      newText = ((await rpc.dispatch(PromptDistillRequest.method, { text, interpolations, model: 'gpt-4o', maxTokens }, ctx)) as DistillationResult).text;
    } else {
      newText = ((await rpc.dispatch(PromptOptimizeRequest.method, { text, interpolations, model: 'gpt-4o', target: op.target }, ctx)) as OptimizedPrompt).text;
    }
  } catch (error) {
    if (error instanceof EngineError && error.code === 'unsupported') return { status: 'refused', stage: 'engine', reason: error.message };
    throw error;
  }
  // As src/extension/prompt/rewrite.ts does: a code literal's edge whitespace is layout and stays.
  newText = rewriteForLiteral(prompt, newText);
  if (newText === text) return { status: 'unchanged' };
  const verdict = planLiteralEdit(source, prompt, newText, document);
  if (!verdict.ok) return { status: 'refused', stage: 'guard', reason: verdict.reason };
  return { status: 'applied', newText, edited: verdict.edited, edit: verdict.edit };
}

/**
 * Python 3.14 t-strings (PEP 750) read as f-strings, for the oracle's own parse (Lezer's grammar has no t prefix):
 * an ASCII word `t`, `rt` or `tr` right before a quote, by its own expression (not the scanner's parsers.ts).
 */
function tStringsAsF(src: string): string {
  return src.replace(/\b([rR]?)([tT])([rR]?)(?=["'])/g, (_m, a: string, t: string, b: string) => (a && b ? a + t + b : a + (t === 't' ? 'f' : 'F') + b));
}

/**
 * The file with its CRLF line breaks read as LF, for the oracle's parse, and a map of offsets into it. Lezer's grammars read a
 * backslash before a CRLF as escaping the CR alone, so a string continued on the next line (`"… \` CRLF `…"`) ended at the LF,
 * and the oracle compared two trees that both had the rest of the literal as code: a sound edit of such a literal was reported
 * as changing the code outside it (breaker45). The guard has its own way round this (scanner/parsers.ts); the oracle does not
 * use it.
 */
function asLf(src: string): { text: string; at: (offset: number) => number } {
  if (!src.includes('\r\n')) return { text: src, at: (offset) => offset };
  const crs: number[] = [];
  for (let i = src.indexOf('\r\n'); i >= 0; i = src.indexOf('\r\n', i + 2)) crs.push(i);
  return {
    text: src.replace(/\r\n/g, '\n'),
    at: (offset) => {
      let n = 0;
      while (n < crs.length && crs[n] < offset) n++;
      return offset - n;
    },
  };
}

/**
 * Python's reading of a backslash right before a brace, for the oracle's own parse: Lezer's grammar read `\{` as an
 * escape that hides the brace, in an f-string too, where Python reads the brace as a brace (`rf"C:\Users\{user}"` has the
 * field `{user}`; `f"\{{x}}"` has none). The last backslash of an odd run before a brace is read as a space, at the same
 * offset (by a loop of its own, not the scanner's parsers.ts; checked against Python 3.12's tokenizer in break49.test.ts).
 */
function backslashBracesAsPython(src: string): string {
  if (!/\\[{}]/.test(src)) return src;
  const out = src.split('');
  let run = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '\\') run++;
    else {
      if ((out[i] === '{' || out[i] === '}') && run % 2 === 1) out[i - 1] = ' ';
      run = 0;
    }
  }
  return out.join('');
}

function treeOf(src: string, language: 'python' | 'typescript' | 'javascript'): Tree {
  return language === 'python' ? pyParser.parse(backslashBracesAsPython(tStringsAsF(src))) : jsParser.configure({ dialect: language === 'typescript' ? 'ts' : 'jsx' }).parse(src);
}

/** The leaf tokens of a tree outside [from, to): type and text, in order. */
function leavesOutside(src: string, tree: Tree, from: number, to: number): string[] {
  const out: string[] = [];
  tree.iterate({
    enter(n) {
      if (n.from >= from && n.to <= to && n.to > n.from) return false;
      if (!n.node.firstChild) out.push(`${n.name}:${src.slice(n.from, n.to)}`);
      return true;
    },
  });
  return out;
}

function errorCount(tree: Tree): number {
  let n = 0;
  tree.iterate({
    enter(x) {
      if (x.type.isError) n++;
    },
  });
  return n;
}

/**
 * Checks an applied edit without the guard's code. Returns the problems found (empty when
 * the edit is sound): interpolations lost or changed, code outside the literal changed, new
 * parse errors, or the literal not reading back as the new text.
 */
export function oracleProblems(source: string, edited: string, language: 'python' | 'typescript' | 'javascript', prompt: PromptLocation, newText: string): string[] {
  const problems: string[] = [];
  const fileName = language === 'python' ? 'case.py' : language === 'typescript' ? 'case.ts' : 'case.js';
  const again = findPrompts(edited, undefined, { fileName }).find((p) => p.range.start.offset === prompt.range.start.offset);
  const before = prompt.placeholders.filter((p) => p.interpolated).map((p) => prompt.text.slice(p.start, p.end));
  // The scanner may judge a much shorter prompt below its threshold; the tree checks below still apply.
  if (again) {
    const after = again.placeholders.filter((p) => p.interpolated).map((p) => again.text.slice(p.start, p.end));
    if (JSON.stringify(after) !== JSON.stringify(before)) problems.push(`interpolations ${JSON.stringify(before)} became ${JSON.stringify(after)}`);
    if (again.text !== newText) problems.push(`the literal reads back as ${JSON.stringify(again.text)}`);
  }
  // Placeholders, tags and code spans by a plain regular expression (not the code under test): the same list, in order.
  // A code span opens with a run of backticks and closes with the next run of the same length (CommonMark): the
  // "``" inside "delimited by ``` or ~~~" is no span (openai-agents-python's translate_docs.py read as one).
  // The live interpolations (checked above and by the tree below) stand in as one mark each, so a backtick or brace in
  // their code (`${items.map((i) => `<${i}>`).join("}`")}`) is not read as a code span of the text (breaker44); "%%s" is
  // a percent sign and an "s", no "%s".
  const live = [...new Set(before)].sort((x, y) => y.length - x.length);
  const marks = (t: string): string[] => {
    let u = t;
    for (const text of live) u = u.split(text).join('\uE000');
    return u.match(/\uE000|\$\{|\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}|\{#[^#\n]*#\}|\{[^{}\n]*\}|%\(\w+\)s|(?<!%)(?:%%)*%s|(?<!`)(?<run>`+)(?!`)[^\n]*?(?<!`)\k<run>(?!`)/g) ?? [];
  };
  if (JSON.stringify(marks(prompt.text)) !== JSON.stringify(marks(newText))) problems.push(`placeholders ${JSON.stringify(marks(prompt.text))} became ${JSON.stringify(marks(newText))}`);
  // The trees are of the files with LF line breaks (asLf), at offsets mapped into them.
  const oldLf = asLf(source);
  const newLf = asLf(edited);
  const oldTree = treeOf(oldLf.text, language);
  const newTree = treeOf(newLf.text, language);
  const oldStart = oldLf.at(prompt.range.start.offset);
  const newStart = newLf.at(prompt.range.start.offset);
  const oldEnd = oldLf.at(prompt.range.end.offset);
  const newEnd = newLf.at(prompt.range.end.offset + edited.length - source.length);
  const a = leavesOutside(oldLf.text, oldTree, oldStart, oldEnd);
  const b = leavesOutside(newLf.text, newTree, newStart, newEnd);
  if (JSON.stringify(a) !== JSON.stringify(b)) problems.push('the code outside the literal parses differently');
  if (errorCount(newTree) > errorCount(oldTree)) problems.push('new parse errors');
  // The interpolation expressions of the literals in the prompt's range (one, or several adjacent ones), read from
  // the tree: each outermost string's own interpolations, in order. The same list as before.
  const interp = (src: string, tree: Tree, from: number, to: number): string[] => {
    const out: string[] = [];
    tree.iterate({
      from,
      to,
      enter(n) {
        if (n.to <= from || n.from >= to) return false;
        if ((n.name === 'String' || n.name === 'FormatString' || n.name === 'TemplateString') && n.from >= from && n.to <= to) {
          for (let c = n.node.firstChild; c; c = c.nextSibling) if (c.name === 'Interpolation' || c.name === 'FormatReplacement') out.push(src.slice(c.from, c.to));
          return false;
        }
        return true;
      },
    });
    return out;
  };
  const oldI = interp(oldLf.text, oldTree, oldStart, oldEnd);
  const newI = interp(newLf.text, newTree, newStart, newEnd);
  if (JSON.stringify(oldI) !== JSON.stringify(newI)) problems.push(`tree interpolations ${JSON.stringify(oldI)} became ${JSON.stringify(newI)}`);
  return problems;
}
