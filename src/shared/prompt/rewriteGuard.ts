/**
 * The rewrite guard: every edit of a prompt literal (compress, distill, optimize, quick
 * fixes) passes here before it is applied. Two layers:
 *
 * 1. Atoms by construction (`rewriteKeepingAtoms`): the rewriter sees the prompt with its
 *    interpolations, placeholders, template tags and code spans replaced by sentinels, and
 *    gets them back verbatim; a rewrite that lost, repeated or reordered one is refused.
 * 2. A check of the edited file (`planLiteralEdit`): the new literal is encoded for its
 *    quoting, spliced into the source, and the whole file is parsed again with the
 *    language's parser (Lezer for Python and JavaScript/TypeScript/JSX, jsonc-parser for
 *    JSON, yaml for YAML). The interpolation expressions of the literal must be the same,
 *    in the same order; the syntax tree outside the literal must be the same; the file
 *    must have no new parse errors; and the literal must decode to exactly the new text.
 *    A prompt of several adjacent literals is first written back literal by literal
 *    (segmentLayout.ts), keeping its layout; then the new literals must be as many as
 *    written, the code between them must be the old code between literals (some of it
 *    dropped with an emptied literal, nothing added), and their decoded texts must join to
 *    the new text. When that is refused, the prompt is written as one literal.
 *
 * Pure code (no `vscode`, no Node modules): the engine uses it in its handlers and the
 * extension before it applies an edit, so the two can never disagree.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { EngineError } from '../../protocol/errors';
import type { LiteralQuoting, PromptLocation } from '../../protocol/scan';
import { markdownCandidates, yamlCandidates } from './scanner/documents';
import type { Candidate } from './scanner/build';
import { promptFileSections, scanLanguageOf } from './scanner';
import { AtomMismatchError, findAtoms, maskAtoms, quoteAtom, unmaskAtoms, unmaskFragment, unmaskOffset, type MaskedText } from './scanner/atoms';
import { encodeLiteral, encodeLiteralContent, LiteralEncodeError } from './scanner/literalEncode';
import { decodeJavaScript, decodePython, isStringRawTemplate, literalClosed } from './scanner/literals';
import { loadJavaScriptParser, loadJsonc, loadPythonParser, loadYaml } from './scanner/parsers';
import { minimalLiteralEdit, segmentedEdit } from './segmentLayout';
import { templateSyntaxDifference } from './templateSyntax';

/** A replacement of `source[start, end)` with `text`. */
export interface LiteralEdit {
  start: number;
  end: number;
  text: string;
  /** How many adjacent literals `text` holds: several when a concatenation keeps its layout (segmentLayout.ts); 1 when absent. */
  literals?: number;
}

/** A refusal's `reason` is worded for a rewrite that was asked for; `why` is the cause alone (a quick fix offered disabled words it its own way). */
export type GuardVerdict = { ok: true; edit: LiteralEdit; edited: string } | { ok: false; reason: string; why: string };

/** Where the prompt lives: its document's language id and/or file name, as `findPrompts` takes them. */
export interface DocumentKind {
  languageId?: string;
  fileName?: string;
}

const STRING_NODES = new Set(['String', 'FormatString', 'TemplateString']);

/** The replacement for a prompt's literal: content only for one literal, the whole literal for a concatenation. */
export function encodeEdit(location: Pick<PromptLocation, 'range' | 'contentRange' | 'segments' | 'quoting'>, newText: string): LiteralEdit {
  if (location.segments.length <= 1) {
    try {
      return { start: location.contentRange.start.offset, end: location.contentRange.end.offset, text: encodeLiteralContent(newText, location.quoting) };
    } catch (error) {
      // A form that cannot hold the text (a raw string and its own quote): the whole literal
      // is written again in the nearest form that can (encodeLiteral drops the r prefix…).
      if (!(error instanceof LiteralEncodeError) || location.quoting.style === 'yamlBlockLiteral' || location.quoting.style === 'yamlBlockFolded') throw error;
    }
  }
  return { start: location.range.start.offset, end: location.range.end.offset, text: encodeLiteral(newText, joinedQuoting(location)) };
}

/**
 * The quoting for one literal that replaces a concatenation: the form of its first
 * interpolating segment (an f-string, a template literal) when it has one, so that every
 * segment's interpolations stay live; otherwise the first segment's.
 */
function joinedQuoting(location: Pick<PromptLocation, 'segments' | 'quoting'>): LiteralQuoting {
  // (A `String.raw` template's value is its text as written: joined with other literals into one template, without the tag
  // before it, its backslashes would become escapes.)
  if (location.segments.length > 1 && location.segments.some((s) => s.quoting.language === 'javascript' && s.quoting.raw === true)) {
    throw new LiteralEncodeError('a String.raw template is not joined with other literals into one');
  }
  const live = location.segments.find((s) => s.quoting.formatted === true || s.quoting.style === 'template');
  if (!live) return location.quoting;
  const interpolations = location.segments.flatMap((s) => s.quoting.interpolations ?? []);
  const quoting: LiteralQuoting = { ...live.quoting, interpolations };
  return quoting.language === 'python' ? { ...quoting, ...pythonQuotesFor(interpolations, quoting) } : quoting;
}

/**
 * Quotes for one f-string that takes in the fields of several: before Python 3.12 a field
 * cannot hold the quote character of its f-string, nor a line break in a one-line one
 * (`{d['k']}` from one segment breaks `f'…'`). The live segment's quotes when they fit, else
 * the first form that does; none fits (fields use both quote characters): not representable.
 */
function pythonQuotesFor(fields: readonly string[], quoting: LiteralQuoting): { quote: string; triple: boolean } {
  const forms: Array<{ quote: string; triple: boolean }> = [{ quote: quoting.quote ?? '"', triple: quoting.triple === true }, { quote: '"', triple: false }, { quote: "'", triple: false }, { quote: '"', triple: true }, { quote: "'", triple: true }];
  const fits = forms.find((f) => fields.every((x) => !x.includes(f.quote) && (f.triple || !/[\r\n]/.test(x))));
  if (!fits) throw new LiteralEncodeError('the joined f-string cannot hold fields that use both quote characters (before Python 3.12)');
  return fits;
}

/** Whether a Python segment holds a `\N{NAME}` escape: its character is known only by name, so the text cannot be written back. */
function namedEscapeLiterals(source: string, location: Pick<PromptLocation, 'segments'>): string[] {
  return location.segments.flatMap((s) => {
    if (s.quoting.language !== 'python' || s.quoting.raw === true) return [];
    const text = source.slice(s.range.start.offset, s.range.end.offset);
    for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i + 2)) if (text[i + 1] === 'N' && text[i + 2] === '{') return [text];
    return [];
  });
}

/** The code unit of a Python `\uXXXX` or `\UXXXXXXXX` escape at `i` of `text`, and its length; undefined for any other. */
function pythonUnitEscape(text: string, i: number): { unit: number; length: number } | undefined {
  const m = /^\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8}))/.exec(text.slice(i, i + 10));
  return m ? { unit: parseInt(m[1] ?? m[2], 16), length: m[0].length } : undefined;
}

/** Whether the UTF-16 units at `i - 1` and `i` of `text` are a high and a low surrogate (one character in JavaScript). */
function pairAt(text: string, i: number): boolean {
  const high = text.charCodeAt(i - 1);
  const low = text.charCodeAt(i);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}

/**
 * The Python segments that write a surrogate pair as two escapes (`"\ud83d\ude00"`), or whose escapes of the two halves lie
 * in two adjacent literals (`"…\ud83d" "\ude00…"`, `"…\ud83d" + "\ude00…"`): Python keeps them as two code points, the
 * decoded text has one character (JavaScript strings pair them), and written back it would be that one character, another
 * string for Python.
 */
function surrogatePairEscapeLiterals(source: string, location: Pick<PromptLocation, 'segments' | 'text'>): string[] {
  const python = (i: number): boolean => location.segments[i]?.quoting.language === 'python' && location.segments[i].quoting.raw !== true;
  const raw = (i: number): string => source.slice(location.segments[i].range.start.offset, location.segments[i].range.end.offset);
  const out = new Set<string>();
  location.segments.forEach((s, k) => {
    if (!python(k)) return;
    const text = raw(k);
    for (let i = text.indexOf('\\'); i >= 0; i = text.indexOf('\\', i + 2)) {
      const high = pythonUnitEscape(text, i);
      if (!high || high.unit < 0xd800 || high.unit > 0xdbff) continue;
      const low = pythonUnitEscape(text, i + high.length);
      if (low && low.unit >= 0xdc00 && low.unit <= 0xdfff) out.add(text);
    }
    // The high half ends the previous literal, the low one starts this one: they pair only in the joined text.
    if (k > 0 && python(k - 1) && pairAt(location.text, s.textStart)) out.add(raw(k - 1)).add(text);
  });
  return [...out];
}

/** How many times `part` occurs in `text`, without overlaps. */
function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
  return n;
}

/** The literal's own interpolations as they appear in its decoded text. */
export function liveInterpolations(location: Pick<PromptLocation, 'segments' | 'quoting'>): string[] {
  return location.segments.flatMap((s) => s.quoting.interpolations ?? []);
}

/** Compares the atoms of two decoded texts; undefined when they are the same, in the same order. */
export function atomDifference(before: string, after: string, known: readonly string[] = []): string | undefined {
  const a = findAtoms(before, known).map((x) => x.text);
  const b = findAtoms(after, known).map((x) => x.text);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a[i] !== undefined && !b.includes(a[i])) return `it would remove or change "${quoteAtom(a[i])}"`;
    if (b[i] !== undefined && !a.includes(b[i])) return `it would add "${quoteAtom(b[i])}"`;
    if (a[i] !== undefined && b.filter((x) => x === a[i]).length !== a.filter((x) => x === a[i]).length) return `it would repeat or drop a copy of "${quoteAtom(a[i])}"`;
    return `it would change the order of "${quoteAtom(a[i] ?? b[i] ?? '')}" and the placeholders around it`;
  }
  return undefined;
}

/** A placeholder filled by position: `{}` / `{:>10}` (str.format's automatic numbering) or an unnamed printf conversion (`%s`, `%5.2f`). */
const POSITIONAL = /^(?:\{(?:![rsa])?(?::[^{}]*)?\}|%[-#0 +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[sdifrxXeEgGcoa])$/;

/**
 * Atoms that occur more than once with the same text but stand for different things: a text that is a live
 * interpolation in one place and plain text in another (`f"Write {{name}} … greet {name}"` reads "Write {name} … greet
 * {name}"), or a placeholder filled by position (`"%s into %s" % (a, b)`, `"{} and {}".format(a, b)`). The atoms check
 * compares texts, so it cannot tell them apart; which is which follows from where each one stands among the words.
 */
function ambiguousAtoms(location: Pick<PromptLocation, 'text' | 'placeholders' | 'segments' | 'quoting'>): string[] {
  const live = location.placeholders.filter((p) => p.interpolated).map((p) => location.text.slice(p.start, p.end));
  const counts = new Map<string, number>();
  for (const atom of findAtoms(location.text, liveInterpolations(location))) counts.set(atom.text, (counts.get(atom.text) ?? 0) + 1);
  const out: string[] = [];
  for (const [text, n] of counts) {
    if (n < 2) continue;
    const liveCount = live.filter((t) => t === text).length;
    if ((liveCount > 0 && liveCount < n) || POSITIONAL.test(text)) out.push(text);
  }
  return out;
}

/**
 * Why a rewrite moves words across an ambiguous atom (`ambiguousAtoms`), or undefined when it does not. The atoms keep
 * their order (the atoms check), so the k-th occurrence of one in the new text stands for the k-th in the old; a word
 * moved across it (more copies of it on one side of the occurrence than before, fewer on the other) carries the sentence
 * over it, and the occurrences change meanings: swapping two sentences gave the interpolation to the other one
 * ("Greet the user {name}" became text, "the placeholder {name}" the user's name, breaker45), or the values given by
 * position to the other placeholders. Deleting and replacing words (compress, distill, a quick fix) moves none.
 */
function ambiguousAtomMoved(before: string, after: string, ambiguous: readonly string[]): string | undefined {
  const set = new Set(ambiguous);
  const escaped = [...ambiguous].sort((a, b) => b.length - a.length).map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const token = new RegExp(`${escaped.join('|')}|[\\p{L}\\p{N}_]+`, 'gu');
  // For each occurrence of an ambiguous atom, in order: its text and the count of each word before it; and the totals.
  const read = (text: string): { marks: Array<{ atom: string; before: Map<string, number> }>; total: Map<string, number> } => {
    const total = new Map<string, number>();
    const marks: Array<{ atom: string; before: Map<string, number> }> = [];
    for (const t of text.match(token) ?? []) {
      if (set.has(t)) marks.push({ atom: t, before: new Map(total) });
      else total.set(t.toLowerCase(), (total.get(t.toLowerCase()) ?? 0) + 1);
    }
    return { marks, total };
  };
  const a = read(before);
  const b = read(after);
  for (let k = 0; k < Math.min(a.marks.length, b.marks.length); k++) {
    for (const word of new Set([...a.total.keys(), ...b.total.keys()])) {
      const oldBefore = a.marks[k].before.get(word) ?? 0;
      const newBefore = b.marks[k].before.get(word) ?? 0;
      const oldAfter = (a.total.get(word) ?? 0) - oldBefore;
      const newAfter = (b.total.get(word) ?? 0) - newBefore;
      if ((newBefore > oldBefore && newAfter < oldAfter) || (newBefore < oldBefore && newAfter > oldAfter)) {
        return `it would move "${word}" across "${quoteAtom(a.marks[k].atom)}", which the prompt holds more than once with different meanings (an interpolation and plain text, or a value given by position), so they would change places`;
      }
    }
  }
  return undefined;
}

/**
 * The rewrite with the literal's own leading and trailing whitespace put back. The rewriters
 * trim the text's edges (a prompt file's blank first lines), but in a source literal that
 * whitespace is the code's layout: `` stripIndents`\n    I want…\n  ` `` came back as
 * `` stripIndents`    Improve…` ``, the first line glued to the backtick with its indent.
 */
export function keepLiteralEdges(before: string, after: string): string {
  const core = after.trim();
  if (before.trim() === '' || core === '') return after;
  const lead = /^\s*/.exec(before)?.[0] ?? '';
  const trail = /\s*$/.exec(before)?.[0] ?? '';
  return lead + core + trail;
}

/**
 * The text a rewrite of the literal works on: a string or template literal in code without its
 * edge whitespace (the code's layout, which `rewriteForLiteral` keeps), a prompt file or a
 * YAML/JSON/Markdown value whole. So the engine's counts and removals are those of the edit
 * (newuser30: a compression report said "59 → 55 tokens" and three whitespace removals for an
 * edit of 59 → 57 tokens, two of them the template literal's first and last line breaks).
 */
export function literalCore(location: Pick<PromptLocation, 'text' | 'quoting'>): string {
  return location.quoting.style === 'string' || location.quoting.style === 'template' ? location.text.trim() : location.text;
}

/**
 * The rewrite as the editor writes it: for a string or template literal in code, with the
 * literal's edge whitespace kept (`keepLiteralEdges`); a prompt file or a YAML/JSON/Markdown
 * value is written as rewritten (its edges are text, such as a file's last line break).
 */
export function rewriteForLiteral(location: Pick<PromptLocation, 'text' | 'quoting'>, newText: string): string {
  return location.quoting.style === 'string' || location.quoting.style === 'template' ? keepLiteralEdges(location.text, newText) : newText;
}

/**
 * Plans the edit that writes `newText` into the prompt's literal in `source`, and checks
 * it. The verdict carries the edit and the edited source, or the reason it was refused,
 * worded for the user ("… the edit was not applied").
 */
export function planLiteralEdit(source: string, location: PromptLocation, newText: string, document: DocumentKind = {}): GuardVerdict {
  const refuse = (why: string): GuardVerdict => ({ ok: false, reason: `The rewrite was not applied: ${why}.`, why });
  // An f-string's decoded braces are its code's (a doubled one reads as one), no str.format template's.
  const fString = location.segments.some((s) => s.quoting.formatted === true) || location.quoting.formatted === true;
  // (Whether the scanner reads `{name}` fields in the text: the brace rules' refusals say "format template" only then.)
  const fieldsRead = location.placeholders.some((p) => p.syntax === 'brace' && !p.interpolated);
  const atoms = atomDifference(location.text, newText, liveInterpolations(location)) ?? templateSyntaxDifference(location.text, newText, fString, fieldsRead);
  if (atoms) return refuse(atoms);
  const ambiguous = ambiguousAtoms(location);
  const moved = ambiguous.length > 0 ? ambiguousAtomMoved(location.text, newText, ambiguous) : undefined;
  if (moved) return refuse(moved);
  if (location.range.end.offset > source.length) return refuse('the prompt is no longer where it was found');
  const layout = keptLayout(source, location, newText, document);
  // The decoder keeps \N{NAME} as written (no name table is shipped); written back it would be escaped, and the character
  // lost. A literal the edit does not touch is written back byte for byte (segmentLayout.ts), so a concatenation whose
  // \N{…} literals all come back verbatim can still be rewritten: each occurs in the edit's text as often as in the
  // source it replaces (counted there, not in the literals alone: a commented-out copy of the line between two literals
  // is written back too, and stood in for the literal whose escape was lost).
  const named = namedEscapeLiterals(source, location);
  if (named.length > 0) {
    const replaced = layout?.ok === true ? source.slice(layout.edit.start, layout.edit.end) : '';
    const kept = layout?.ok === true && named.every((raw) => occurrences(layout.edit.text, raw) === occurrences(replaced, raw));
    if (!kept) return refuse('the literal holds a \\N{…} escape (a character given by its Unicode name), which cannot be written back; put the character itself in its place and run the command again');
  }
  // Likewise a surrogate pair written as two escapes: Python keeps two code points, a rewrite would write one character.
  const paired = surrogatePairEscapeLiterals(source, location);
  if (paired.length > 0) {
    const replaced = layout?.ok === true ? source.slice(layout.edit.start, layout.edit.end) : '';
    const kept = layout?.ok === true && paired.every((raw) => occurrences(layout.edit.text, raw) === occurrences(replaced, raw));
    if (!kept) {
      return refuse(
        'the literal writes a surrogate pair as two escapes (\\ud83d\\ude00), which Python keeps as two code points and a rewrite would write as one character; put the character itself (or its \\U0001…… escape) in their place and run the command again',
      );
    }
  }
  if (layout) return layout;
  const minimal = smallestEdit(source, location, newText, document);
  if (minimal) return minimal;
  let edit: LiteralEdit;
  try {
    edit = encodeEdit(location, newText);
  } catch (error) {
    if (error instanceof LiteralEncodeError) return refuse(`the new text cannot be written in this literal form (${error.message})`);
    throw error;
  }
  if (location.range.end.offset > source.length || edit.end > source.length) return refuse('the prompt is no longer where it was found');
  const edited = source.slice(0, edit.start) + edit.text + source.slice(edit.end);
  const problem = checkEditedSource(source, edited, location, edit, newText, document);
  return problem ? refuse(problem) : { ok: true, edit, edited };
}

/** A concatenation written back literal by literal (segmentLayout.ts), when that can be done and passes the check. */
function keptLayout(source: string, location: PromptLocation, newText: string, document: DocumentKind): GuardVerdict | undefined {
  return checkedOrNothing(source, location, newText, document, () => segmentedEdit(source, location, newText));
}

/** One literal rewritten as the smallest edit of its source (segmentLayout.ts), when that can be done and passes the check. */
function smallestEdit(source: string, location: PromptLocation, newText: string, document: DocumentKind): GuardVerdict | undefined {
  const first = checkedOrNothing(source, location, newText, document, () => minimalLiteralEdit(source, location, newText));
  if (first || (location.quoting.style !== 'yamlBlockLiteral' && location.quoting.style !== 'yamlBlockFolded')) return first;
  // A YAML block's lines read as lines (segmentLayout.ts): a change at a line's start keeps the indentation before it.
  return checkedOrNothing(source, location, newText, document, () => minimalLiteralEdit(source, location, newText, true));
}

/** The edit `make` gives, when it gives one and it passes the parser check; undefined otherwise (the caller falls back). */
function checkedOrNothing(source: string, location: PromptLocation, newText: string, document: DocumentKind, make: () => LiteralEdit | undefined): GuardVerdict | undefined {
  let edit: LiteralEdit | undefined;
  try {
    edit = make();
  } catch (error) {
    if (error instanceof LiteralEncodeError) return undefined;
    throw error;
  }
  if (!edit) return undefined;
  const edited = source.slice(0, edit.start) + edit.text + source.slice(edit.end);
  return checkEditedSource(source, edited, location, edit, newText, document) === undefined ? { ok: true, edit, edited } : undefined;
}

/** Runs the parser check of an edit already spliced into `edited`; undefined when it passes. */
export function checkEditedSource(source: string, edited: string, location: PromptLocation, edit: LiteralEdit, newText: string, document: DocumentKind = {}): string | undefined {
  const lang = scanLanguageOf(document.languageId, document.fileName) ?? languageOfQuoting(location);
  const delta = edit.text.length - (edit.end - edit.start);
  const literal = { start: location.range.start.offset, end: location.range.end.offset };
  switch (lang) {
    case 'python':
      return checkLezer(parseCached(loadPythonParser(), 'python', source), loadPythonParser().parse(edited), source, edited, literal, delta, location, newText, 'python', edit.literals ?? 1);
    case 'typescript':
    case 'tsx':
    case 'javascript':
    case 'jsx': {
      const parser = loadJavaScriptParser(lang === 'typescript' || lang === 'tsx', lang !== 'typescript');
      return checkLezer(parseCached(parser, lang, source), parser.parse(edited), source, edited, literal, delta, location, newText, 'javascript', edit.literals ?? 1);
    }
    case 'json':
      return checkJson(source, edited, literal, delta, newText);
    case 'yaml':
      return checkYaml(source, edited) ?? roundTrip(yamlCandidates(edited), literal.start, newText);
    case 'markdown':
      return roundTrip(markdownCandidates(edited), literal.start, newText, true);
    case 'promptFile':
      return roundTrip(promptFileSections(edited, document.fileName ?? 'prompt.prompt'), literal.start, newText, true);
    default:
      return undefined;
  }
}

/** The last source parsed "before" an edit: quick fixes check several edits of one document in a row. */
let lastParse: { key: string; source: string; tree: Tree } | undefined;

function parseCached(parser: { parse(input: string): Tree }, key: string, source: string): Tree {
  if (lastParse && lastParse.key === key && lastParse.source === source) return lastParse.tree;
  const tree = parser.parse(source);
  lastParse = { key, source, tree };
  return tree;
}

function languageOfQuoting(location: PromptLocation): ReturnType<typeof scanLanguageOf> {
  switch (location.quoting.language) {
    case 'python':
      return 'python';
    case 'javascript':
      return 'tsx';
    case 'yaml':
      return 'yaml';
    case 'json':
      return 'json';
    case 'markdown':
      return 'markdown';
    default:
      return 'promptFile';
  }
}

/**
 * The node sequence of a tree outside `[start, end)`: nodes before it with their offsets,
 * nodes after it with offsets relative to `end`, and the nodes that enclose it. Nodes inside
 * (or exactly covering) the range are left out.
 */
function outline(tree: Tree, start: number, end: number): string[] {
  const out: string[] = [];
  tree.iterate({
    enter(n) {
      if (n.to <= start && n.from < start) {
        out.push(`${n.name} ${n.from} ${n.to}`);
        return true;
      }
      if (n.from >= end && n.to > end) {
        out.push(`${n.name} +${n.from - end} +${n.to - end}`);
        return true;
      }
      if (n.from === n.to) {
        // A zero-length node (an error marker) at one of the range's edges; inside it, it is the literal's.
        if (n.from <= start) out.push(`${n.name} @${n.from}`);
        else if (n.from >= end) out.push(`${n.name} @+${n.from - end}`);
        return false;
      }
      if (n.from >= start && n.to <= end) return false;
      if (n.from <= start && n.to >= end) {
        out.push(`${n.name} ${n.from} +${n.to - end} (encloses)`);
        return true;
      }
      out.push(`${n.name} ${n.from} ${n.to} (overlaps)`);
      return true;
    },
  });
  return out;
}

function errorsIn(tree: Tree, start: number, end: number): number {
  let count = 0;
  tree.iterate({
    from: start,
    to: end,
    enter(n) {
      if (n.type.isError && n.from >= start && n.to <= end) count++;
    },
  });
  return count;
}

function countErrors(tree: Tree): number {
  let count = 0;
  tree.iterate({
    enter(n) {
      if (n.type.isError) count++;
    },
  });
  return count;
}

/** The string literal nodes that lie in `[start, end)`, outermost only. */
function literalNodes(tree: Tree, start: number, end: number): SyntaxNode[] {
  const nodes: SyntaxNode[] = [];
  tree.iterate({
    from: start,
    to: end,
    enter(n) {
      if (n.to <= start || n.from >= end) return false;
      if (STRING_NODES.has(n.name) && n.from >= start && n.to <= end) {
        nodes.push(n.node);
        return false;
      }
      return true;
    },
  });
  return nodes;
}

function interpolationsOf(node: SyntaxNode, src: string, lang: 'python' | 'javascript'): Array<{ text: string; from: number; to: number }> {
  const name = lang === 'python' ? 'FormatReplacement' : 'Interpolation';
  const out: Array<{ text: string; from: number; to: number }> = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) out.push({ text: src.slice(c.from, c.to), from: c.from, to: c.to });
  return out;
}

function checkLezer(
  before: Tree,
  after: Tree,
  source: string,
  edited: string,
  literal: { start: number; end: number },
  delta: number,
  location: PromptLocation,
  newText: string,
  lang: 'python' | 'javascript',
  expected: number,
): string | undefined {
  const incomplete = incompleteLiteral(before, source, location);
  if (incomplete) return incomplete;
  const newEnd = literal.end + delta;
  const oldLiterals = literalNodes(before, literal.start, literal.end);
  const newLiterals = literalNodes(after, literal.start, newEnd);
  if (newLiterals.length !== expected || newLiterals[0].from !== literal.start || newLiterals[newLiterals.length - 1].to !== newEnd) {
    return expected === 1 ? 'the new text would not parse as one string literal (its quotes or escapes would end it early)' : `the new text would not parse as the ${expected} string literals written (quotes or escapes would end one early)`;
  }
  // Between the new literals: the old code between literals, in order (an emptied literal's line break and `+` dropped), nothing else.
  if (!isSubsequence(gapsBetween(newLiterals, edited), gapsBetween(oldLiterals, source))) return 'the code between the literals would change';
  const oldInterp = oldLiterals.flatMap((n) => interpolationsOf(n, source, lang)).map((x) => x.text);
  const newInterpNodes = newLiterals.flatMap((n) => interpolationsOf(n, edited, lang));
  const newInterp = newInterpNodes.map((x) => x.text);
  if (oldInterp.length !== newInterp.length || oldInterp.some((t, i) => t !== newInterp[i])) {
    const lost = oldInterp.find((t) => !newInterp.includes(t));
    const added = newInterp.find((t) => !oldInterp.includes(t));
    if (lost) return `the interpolation "${quoteAtom(lost)}" would no longer be interpolated`;
    if (added) return `the text "${quoteAtom(added)}" would become a live interpolation`;
    return 'the interpolations would change order or number';
  }
  const oldOutline = outline(before, literal.start, literal.end);
  const newOutline = outline(after, literal.start, newEnd);
  if (oldOutline.length !== newOutline.length || oldOutline.some((x, i) => x !== newOutline[i])) {
    const i = oldOutline.findIndex((x, k) => x !== newOutline[k]);
    return `the code around the literal would parse differently (${describeNode(oldOutline[i])} becomes ${describeNode(newOutline[i])})`;
  }
  if (countErrors(after) > countErrors(before) || errorsIn(after, literal.start, newEnd) > errorsIn(before, literal.start, literal.end)) {
    return 'the file would have a new syntax error';
  }
  let text = '';
  for (const node of newLiterals) {
    const ranges = newInterpNodes.filter((x) => x.from >= node.from && x.to <= node.to).map((x): [number, number] => [x.from, x.to]);
    const decoded = lang === 'python' ? decodePython(edited, node.from, node.to, ranges) : decodeJavaScript(edited, node.from, node.to, ranges, isStringRawTemplate(edited, node));
    if (!decoded) return 'the new literal would not read back as the new text';
    text += decoded.text;
  }
  if (text !== newText) return 'the new literal would not read back as the new text';
  return undefined;
}

/** The source text between consecutive literal nodes. */
function gapsBetween(nodes: readonly SyntaxNode[], src: string): string[] {
  return nodes.slice(1).map((n, i) => src.slice(nodes[i].to, n.from));
}

/** Whether `part` is `whole` with some items left out, the rest in order. */
function isSubsequence(part: readonly string[], whole: readonly string[]): boolean {
  let j = 0;
  for (const x of part) {
    while (j < whole.length && whole[j] !== x) j++;
    if (j++ >= whole.length) return false;
  }
  return true;
}

/**
 * Why the literal, as the file stands, is not a whole literal: a closing quote not typed yet
 * (the parser then reads the code after it as the string's text) or an interpolation left
 * open (its text is code). A rewrite would edit that code, so it is refused; undefined when
 * the literal is complete.
 */
function incompleteLiteral(tree: Tree, source: string, location: PromptLocation): string | undefined {
  const why = 'the literal is not complete (a closing quote or an interpolation\'s closing brace is missing); finish typing it and run the command again';
  for (const s of location.segments) {
    if (s.quoting.style !== 'string' && s.quoting.style !== 'template') continue;
    // The quotes as written in the source (not as described), so a wrong description is left to the checks below.
    if (!literalClosed(source.slice(s.range.start.offset, s.range.end.offset), s.quoting.language === 'python' ? 'python' : 'javascript')) return why;
  }
  return errorsIn(tree, location.range.start.offset, location.range.end.offset) > 0 ? why : undefined;
}

function describeNode(entry: string | undefined): string {
  return entry ? entry.split(' ')[0] : 'nothing';
}

/** JSON: the same tokens outside the string, and the string's value is the new text. */
function checkJson(source: string, edited: string, literal: { start: number; end: number }, delta: number, newText: string): string | undefined {
  const jsonc = loadJsonc();
  const tokens = (text: string, start: number, end: number): { outside: string[]; inside: Array<{ string: boolean; value: string; from: number; to: number }>; errors: number } => {
    const scanner = jsonc.createScanner(text, false);
    const outside: string[] = [];
    const inside: Array<{ string: boolean; value: string; from: number; to: number }> = [];
    let errors = 0;
    for (let kind = scanner.scan(); kind !== jsonc.SyntaxKind.EOF; kind = scanner.scan()) {
      const from = scanner.getTokenOffset();
      const to = from + scanner.getTokenLength();
      if (scanner.getTokenError() !== jsonc.ScanError.None) errors++;
      if (to <= start) outside.push(`${kind} ${from} ${to}`);
      else if (from >= end) outside.push(`${kind} +${from - end} +${to - end}`);
      else inside.push({ string: kind === jsonc.SyntaxKind.StringLiteral, value: scanner.getTokenValue(), from, to });
    }
    return { outside, inside, errors };
  };
  const a = tokens(source, literal.start, literal.end);
  const b = tokens(edited, literal.start, literal.end + delta);
  if (b.inside.length !== 1 || !b.inside[0].string || b.inside[0].from !== literal.start || b.inside[0].to !== literal.end + delta) {
    return 'the new text would not be one JSON string';
  }
  if (a.outside.length !== b.outside.length || a.outside.some((x, i) => x !== b.outside[i])) return 'the JSON around the string would change';
  if (b.errors > a.errors) return 'the JSON would have a new syntax error';
  if (b.inside[0].value !== newText) return 'the new string would not read back as the new text';
  return undefined;
}

/** YAML: no new errors, and the same keys and node types everywhere. */
function checkYaml(source: string, edited: string): string | undefined {
  const yaml = loadYaml();
  const shape = (text: string): { errors: number; paths: string[] } => {
    const doc = yaml.parseDocument(text);
    const paths: string[] = [];
    yaml.visit(doc, (key, node, path) => {
      const keyPath = path
        .filter((p) => yaml.isPair(p))
        .map((p) => (yaml.isPair(p) && yaml.isScalar(p.key) ? String(p.key.value) : '?'))
        .join('.');
      const type = yaml.isMap(node) ? 'map' : yaml.isSeq(node) ? 'seq' : yaml.isScalar(node) ? 'scalar' : yaml.isPair(node) ? 'pair' : 'other';
      paths.push(`${keyPath}#${String(key)}:${type}`);
    });
    return { errors: doc.errors.length, paths };
  };
  const a = shape(source);
  const b = shape(edited);
  if (b.errors > a.errors) return 'the YAML would have a new syntax error';
  if (a.paths.length !== b.paths.length || a.paths.some((p, i) => p !== b.paths[i])) return 'the YAML structure around the text would change';
  return undefined;
}

/** The edited document, scanned again, has a literal at the same place that decodes to the new text. */
function roundTrip(candidates: Candidate[], start: number, newText: string, trimEnd = false): string | undefined {
  const found = candidates.find((c) => c.segments[0]?.start === start);
  if (!found) return 'the edited text would no longer be found where the prompt was';
  const text = found.segments.map((s) => s.text).join('');
  const same = trimEnd ? text.replace(/\s+$/, '') === newText.replace(/\s+$/, '') : text === newText;
  return same ? undefined : 'the edited text would not read back as the new text';
}

/** What a rewriter returns: at least its text. */
interface Rewritten {
  text: string;
}

/** Thrown by `rewriteKeepingAtoms` when a rewrite cannot keep the prompt's atoms: a refusal the user reads. */
export function unsafeRewrite(operation: string, why: string): EngineError {
  return new EngineError(
    'unsupported',
    `${operation} would break the prompt: ${why}. Nothing was changed.`,
    'The interpolations, placeholders, template tags and code spans of a prompt are kept exactly and in order; edit the prompt by hand, or try another operation.',
  );
}

/**
 * Runs `rewrite` on `text` with its atoms masked, and puts them back. The result's text
 * (and, through `fix`, anything else that quotes the text) is unmasked; a rewrite that
 * lost, repeated or reordered an atom raises a refusal (`EngineError` 'unsupported').
 */
export function rewriteKeepingAtoms<R extends Rewritten>(
  operation: string,
  text: string,
  rewrite: (masked: string, unmask: (candidate: string) => string) => R,
  fix?: (result: R, mask: MaskedText) => void,
  known: readonly string[] = [],
): R {
  // (`known`: the literal's interpolations as written, atoms even where the generic scan cannot read them: a PEP 701 field
  // spanning lines, `{\n name  # a comment\n}`, had its words compressed and every rewrite of the prompt refused, breaker45.)
  const atoms = findAtoms(text, known);
  if (atoms.length === 0) return rewrite(text, (candidate) => candidate);
  const mask = maskAtoms(text, atoms);
  // `unmask` lets the rewriter measure a candidate as the model will read it (the sentinels weigh other tokens than the atoms).
  const result = rewrite(mask.text, (candidate) => unmaskFragment(candidate, mask));
  try {
    result.text = unmaskAtoms(result.text, mask);
  } catch (error) {
    if (error instanceof AtomMismatchError) throw unsafeRewrite(operation, error.message);
    throw error;
  }
  fix?.(result, mask);
  return result;
}

/** Checks a rewrite done without masking (an LLM's): its atoms must be the same, in order. */
export function assertAtomsKept(operation: string, before: string, after: string, known: readonly string[] = []): void {
  const why = atomDifference(before, after, known);
  if (why) throw unsafeRewrite(operation, why);
}

export { unmaskFragment, unmaskOffset };
