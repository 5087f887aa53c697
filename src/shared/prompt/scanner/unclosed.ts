/**
 * Whether a string literal is still being typed: its closing quote or an interpolation's
 * closing brace is missing, so the parser reads the code after it as its text (or closes it
 * with the opening quote of a later literal). Such a prompt is marked `unterminated` and
 * nothing counts, prices, analyzes or rewrites it until it is closed.
 *
 * Only a literal followed by syntax errors can have been closed by another literal's quote,
 * but a syntax error right below a closed prompt is common too (a line of code being typed
 * under it, a typo further down). The two readings are told apart by parsing the text both
 * ways around the literal (`readsBetterClosedEarlier`).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import { literalClosed } from './literals';
import { hasErrors } from './treeErrors';

type Lang = 'python' | 'javascript';

/** How many lines after where the later literal would close are parsed both ways: enough for error recovery to settle, few enough to cost little. */
const WINDOW_LINES = 8;

/** The longest text of a later literal looked for (a long prompt); beyond it the literal is taken as closed. */
const MAX_OTHER_LITERAL = 20_000;

/** Four words in a row, with single spaces: prose, never the code before a literal's opening quote. */
const PROSE = /\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){3}\b/;

const STRING_NODES = new Set(['String', 'FormatString', 'TemplateString']);

/** Whether the literal `node` of `tree` (parsed from `src` by `parser`) is not closed in the source. */
export function literalLeftOpen(src: string, node: SyntaxNode, lang: Lang, tree: Tree, parser: LRParser): boolean {
  if (!literalClosed(src.slice(node.from, node.to), lang)) return true;
  // Every other sign below is an error node (inside the literal, or after it): a tree without one has none (most files).
  if (!hasErrors(tree)) return false;
  if (hasErrorInside(node)) return true;
  return closedByAnotherLiteral(src, node) && readsBetterClosedEarlier(src, node, lang, tree, parser);
}

/**
 * A literal left open that the parser closed with the opening quote of a later literal (a
 * triple-quoted string closed by the next docstring, a template by the next backtick): it
 * spans several lines, and the later literal's text, now read as code, fails to parse right
 * after it: an error on the rest of its last line, or several on the next three lines. This
 * is only a sign: code being typed below a closed prompt fails there too.
 */
function closedByAnotherLiteral(src: string, node: SyntaxNode): boolean {
  const newline = src.indexOf('\n', node.from);
  if (newline < 0 || newline >= node.to) return false;
  const lineEnd = src.indexOf('\n', node.to);
  const sameLine = lineEnd < 0 ? src.length : lineEnd;
  let limit = sameLine;
  for (let i = 0; i < 3 && limit < src.length; i++) {
    const next = src.indexOf('\n', limit + 1);
    limit = next < 0 ? src.length : next;
  }
  const cursor = node.cursor();
  let below = 0;
  // The first move skips the literal's own children; then every node after it, in document order, up to `limit`.
  for (let more = cursor.next(false); more && cursor.from <= limit; more = cursor.next()) {
    if (!cursor.type.isError || cursor.from < node.to) continue;
    if (cursor.from <= sameLine) return true;
    if (++below >= 3) return true;
  }
  return false;
}

/**
 * Whether the text reads better with the literal's closing quote taken as the opening quote
 * of another literal. The text between the literal and the next one (the later literal's
 * text, in that reading) must fail to parse as code; then the literal and a few lines after
 * where the later literal would close are parsed twice, as they are and with the
 * literal's content cut out (so that its opening quote is followed by that quote), and the
 * second must be a closed literal with at most half as many syntax errors after it. When the
 * literal is really closed and the errors come from code typed below it, moving the quote
 * turns every later string inside out and reads worse; when it was left open, the later
 * literal's text stops being read as code and reads better.
 *
 * Both parses start at the literal itself (as the value of an assignment), not at the top of
 * the file: they lose the same outer context (an open bracket, a class body), and each costs
 * a few lines, so that a file turned inside out by one quote is not parsed
 * again per literal.
 */
function readsBetterClosedEarlier(src: string, node: SyntaxNode, lang: Lang, tree: Tree, parser: LRParser): boolean {
  // The later literal's closing quote is where the parser now opens the next literal.
  const next = nextStringAfter(tree, node.to);
  // The later literal's text, read as code, lies between the two: it must fail to parse. (A quote
  // typed on a line of code below a closed prompt pairs with the prompt's closing quote as well as
  // with the next one, but the code between them parses.)
  if (next === undefined || errorsIn(tree, node.to, next - 1) === 0) return false;
  const literal = src.slice(node.from, node.to);
  const prefix = lang === 'python' ? (/^[rRbBuUfFtT]*/.exec(literal)?.[0] ?? '') : '';
  const quote = literal[prefix.length];
  const closeLength = lang === 'python' && literal.startsWith(quote.repeat(3), prefix.length) ? 3 : 1;
  const cut = node.to - closeLength;
  // Past where the later literal would close (its text may hold quotes of other kinds, which the parser now reads as literals).
  const close = closingQuoteAfter(src, node.to, src.slice(cut, node.to));
  const end = lineEndAfter(src, Math.max(next, close ?? next), WINDOW_LINES);
  // Taken as another literal's opening quote, it would follow code on its line (`X = `, `return f`,
  // `console.log(`); a quote that ends a line of prose ends the prompt's own text.
  if (PROSE.test(src.slice(src.lastIndexOf('\n', cut - 1) + 1, cut))) return false;
  // As it is, the literal is closed: its content changes nothing after it, and is left out of the parse.
  const asIsHead = headOf(src, node.from, lang);
  const emptied = src.slice(node.from, node.from + prefix.length + closeLength) + src.slice(cut, node.to);
  const asIs = asIsHead + emptied + src.slice(node.to, end);
  // The other way, the quote opens a literal after the code before it on its line (`return f`, `console.log(`).
  const movedHead = headOf(src, cut, lang);
  const moved = movedHead + src.slice(cut, end);
  const movedTree = parser.parse(moved);
  const reopened = stringAt(movedTree, movedHead.length);
  if (!reopened || !literalClosed(moved.slice(reopened.from, reopened.to), lang) || hasErrorInside(reopened)) return false;
  // Clearly better: half the errors or fewer (a line of code being typed changes a few either way).
  return 2 * badness(movedTree, moved, reopened.to, lang) < badness(parser.parse(asIs), asIs, asIsHead.length + emptied.length, lang);
}

/**
 * How badly `text` parses after `from`: its syntax errors, less those at the very end (both
 * readings are cut there, mid-statement as often as not), plus one per line swallowed by a
 * literal left open at the end (a reading that turns the rest inside out hides its errors in
 * such a literal).
 */
function badness(tree: Tree, text: string, from: number, lang: Lang): number {
  let score = errorsIn(tree, from, text.length - 1);
  for (let n: SyntaxNode | null = tree.resolveInner(text.length, -1); n; n = n.parent) {
    if (STRING_NODES.has(n.name) && n.to === text.length && n.from >= from && !literalClosed(text.slice(n.from, n.to), lang)) {
      for (let i = text.indexOf('\n', n.from); i >= 0; i = text.indexOf('\n', i + 1)) score++;
      break;
    }
  }
  return score;
}

/** Where the first `quote` after `from` that is not escaped starts (within `MAX_OTHER_LITERAL` characters), if any. */
function closingQuoteAfter(src: string, from: number, quote: string): number | undefined {
  for (let i = src.indexOf(quote, from); i >= 0 && i <= from + MAX_OTHER_LITERAL; i = src.indexOf(quote, i + 1)) {
    let backslashes = 0;
    while (src[i - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return undefined;
}

/**
 * The code before offset `at` on its line, dedented, for a parse that starts there; `x = ` (a
 * place for an expression) when that text holds a quote or a comment of its own.
 */
function headOf(src: string, at: number, lang: Lang): string {
  const head = src.slice(src.lastIndexOf('\n', at - 1) + 1, at).trimStart();
  return /['"`#]/.test(head) || (lang === 'javascript' && /\/[/*]/.test(head)) ? 'x = ' : head;
}

/** Where the first string literal starting at or after `from` (and within `MAX_OTHER_LITERAL` characters of it) starts, if any. */
function nextStringAfter(tree: Tree, from: number): number | undefined {
  const cursor = tree.cursorAt(from, 1);
  do {
    if (cursor.from > from + MAX_OTHER_LITERAL) return undefined;
    if (cursor.from >= from && STRING_NODES.has(cursor.name)) return cursor.from;
  } while (cursor.next());
  return undefined;
}

/** The string literal node whose opening quote is at `at` (after a prefix of up to two letters, `f`, `rb`), if any. */
function stringAt(tree: Tree, at: number): SyntaxNode | undefined {
  for (let n: SyntaxNode | null = tree.resolveInner(at, 1); n; n = n.parent) {
    if (n.from < at - 2) break;
    if (STRING_NODES.has(n.name) && n.from <= at) return n;
  }
  return undefined;
}

/** The offset of the end of the line `lines` lines below the one holding `at` (or the end of the text). */
function lineEndAfter(src: string, at: number, lines: number): number {
  let end = src.indexOf('\n', at);
  for (let i = 0; i < lines && end >= 0; i++) end = src.indexOf('\n', end + 1);
  return end < 0 ? src.length : end;
}

function errorsIn(tree: Tree, from: number, to: number): number {
  let n = 0;
  tree.iterate({
    from,
    to,
    enter(ref) {
      if (ref.type.isError && ref.from >= from) n++;
    },
  });
  return n;
}

/** Whether the parser put an error node inside `node` (an interpolation left open, a stray quote). */
function hasErrorInside(node: SyntaxNode): boolean {
  const cursor = node.cursor();
  if (cursor.type.isError) return true;
  if (!cursor.firstChild()) return false;
  do {
    if (cursor.from >= node.to) return false;
    if (cursor.type.isError) return true;
  } while (cursor.next());
  return false;
}
