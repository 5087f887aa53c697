/**
 * Splits a prompt into units the other modules reason about: sentences of prose, list
 * items, headings, labelled lines ("Question: ..."), fenced code and structured blocks.
 * Boundaries never fall inside an atomic range (a quoted string, inline code, a URL),
 * so "My first request is "Be brief. Be kind."" stays one sentence.
 */
import { RangeIndex, type Range } from './spans';

export type UnitKind = 'sentence' | 'listItem' | 'heading' | 'label' | 'code' | 'structured';

export interface TextUnit extends Range {
  kind: UnitKind;
  text: string;
}

// Any indentation, as protected.ts's code blocks (a prompt in indented code keeps the code's indentation).
const FENCE = /^[ \t]{0,64}(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}\s+\S/;
const LIST_ITEM = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+\S/;
const LABEL = /^\s*[\p{L}][\p{L}\p{N} _-]{0,40}:\s+\S/u;
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'vs', 'mr', 'mrs', 'ms', 'dr', 'sr', 'sra', 'srta', 'prof', 'ex', 'p.ex', 'no', 'nº', 'fig', 'approx', 'aprox', 'st', 'jr', 'inc', 'ltd', 'obs']);

/**
 * A line break: "\n", and the Unicode line separators that text pasted from a word processor or a
 * JSON string carries (U+0085 NEXT LINE, U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR). A
 * "\r" before "\n" belongs to its line break; a lone "\r" is not one.
 */
const LINE_BREAKS = /[\n\u0085\u2028\u2029]/g;

/** Whether `ch` is a line break (see LINE_BREAKS). */
export function isLineBreak(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
}

/** Where the next line break at or after `from` is, or -1. */
function nextLineBreak(text: string, from: number): number {
  LINE_BREAKS.lastIndex = from;
  const m = LINE_BREAKS.exec(text);
  return m ? m.index : -1;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = nextLineBreak(text, start);
    if (end === -1) end = text.length;
    const lineEnd = end > start && text[end - 1] === '\r' ? end - 1 : end;
    lines.push({ start, end: lineEnd, text: text.slice(start, lineEnd) });
    if (end === text.length) break;
    start = end + 1;
  }
  return lines;
}

function trimRange(text: string, start: number, end: number): Range {
  while (start < end && /[\s\u0085]/.test(text[start])) start++;
  while (end > start && /[\s\u0085]/.test(text[end - 1])) end--;
  return { start, end };
}

/** Splits a paragraph into sentences at terminal punctuation followed by whitespace. */
function splitSentences(text: string, range: Range, atomic: RangeIndex, out: TextUnit[], kind: UnitKind): void {
  const boundary = /[.!?…。！？]+["'”’»)\]]*(?=[\s\u0085])/g;
  // Searched in the paragraph and the one character after it (what the lookahead reads): searched in the whole text,
  // a paragraph without a boundary scanned on to the next one, so 1 MB of short lines was quadratic (break26).
  const from = range.start;
  const para = text.slice(from, Math.min(text.length, range.end + 1));
  let sentenceStart = range.start;
  let match: RegExpExecArray | null;
  while ((match = boundary.exec(para)) !== null) {
    match.index += from;
    const end = match.index + match[0].length;
    if (end > range.end) break;
    if (atomic.contains(match.index)) continue;
    // A list marker ("1." at the start of a list item) is not a sentence of its own.
    if (/^\s*(?:[-*+•]\s+)?\d{1,3}$/.test(text.slice(sentenceStart, match.index))) continue;
    if (match[0] === '.') {
      const before = /([\p{L}.]{1,6})$/u.exec(text.slice(Math.max(sentenceStart, match.index - 6), match.index));
      if (before && ABBREVIATIONS.has((before[1]).toLowerCase())) continue;
    }
    const r = trimRange(text, sentenceStart, end);
    if (r.end > r.start) out.push({ ...r, kind, text: text.slice(r.start, r.end) });
    sentenceStart = end;
    kind = kind === 'listItem' || kind === 'label' ? 'sentence' : kind;
  }
  const r = trimRange(text, sentenceStart, range.end);
  if (r.end > r.start) out.push({ ...r, kind, text: text.slice(r.start, r.end) });
}

/**
 * Segments `text`. `blocks` are ranges that form one unit each (fenced code, JSON, XML);
 * `atomic` are ranges a sentence boundary must not cut.
 */
export function segmentUnits(text: string, atomic: RangeIndex, blocks: readonly Range[] = []): TextUnit[] {
  const units: TextUnit[] = [];
  const lines = splitLines(text);
  const blockIndex = new RangeIndex(blocks);
  let paragraph: { start: number; end: number; kind: UnitKind } | undefined;
  const flush = () => {
    if (paragraph) splitSentences(text, paragraph, atomic, units, paragraph.kind);
    paragraph = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const block = blockIndex.rangeAt(line.start + (line.text.length - line.text.trimStart().length));
    if (block && line.text.trim() !== '') {
      flush();
      const kind: UnitKind = FENCE.test(line.text) ? 'code' : 'structured';
      units.push({ start: block.start, end: block.end, kind, text: text.slice(block.start, block.end) });
      while (i + 1 < lines.length && (lines[i + 1]).start < block.end) i++;
      continue;
    }
    if (FENCE.test(line.text)) {
      // An unclosed fence: everything to the end is code (the conservative reading).
      flush();
      units.push({ start: line.start, end: text.length, kind: 'code', text: text.slice(line.start) });
      break;
    }
    if (line.text.trim() === '') {
      flush();
      continue;
    }
    if (HEADING.test(line.text)) {
      flush();
      const r = trimRange(text, line.start, line.end);
      units.push({ ...r, kind: 'heading', text: text.slice(r.start, r.end) });
      continue;
    }
    if (LIST_ITEM.test(line.text)) {
      flush();
      paragraph = { start: line.start, end: line.end, kind: 'listItem' };
      continue;
    }
    if (LABEL.test(line.text)) {
      flush();
      paragraph = { start: line.start, end: line.end, kind: 'label' };
      continue;
    }
    if (paragraph) {
      const previous = text.slice(paragraph.start, paragraph.end).trimEnd();
      const continues = /[\p{Ll},;\p{N}]$/u.test(previous) && /^\s*[\p{Ll}\p{N}(]/u.test(line.text);
      const indentedContinuation = paragraph.kind === 'listItem' && /^\s{2,}\S/.test(line.text);
      if (continues || indentedContinuation) {
        paragraph.end = line.end;
        continue;
      }
      flush();
    }
    paragraph = { start: line.start, end: line.end, kind: 'sentence' };
  }
  flush();
  return units;
}

/** Words (letters and digits, with inner apostrophes and hyphens), lower-cased. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []) as string[];
}

/**
 * A Handlebars/Mustache section tag, from its inside: `#if x`, `/each`, `^items`, `else`, `else if y` (with `~`
 * whitespace control); and dotprompt's `role "user"`, which starts another message.
 */
const SECTION_TAG = /^~?\s*(?:[#/^]|else\b|role\s)/;

/** A role line of a chat template or prompt file (`system:`, `# user:`), which starts another message. */
const ROLE_LINE = /^[ \t]*(?:#[ \t]*)?(?:system|user|assistant|developer|human|ai)[ \t]*:[ \t]*$/gim;

/** Whether a `{{…}}` tag (given whole) opens, divides or closes a Handlebars/Mustache section. */
export function isSectionTag(tag: string): boolean {
  return tag.startsWith('{{') && SECTION_TAG.test(tag.slice(2));
}

/**
 * Where a template's branches or a chat's messages meet: the end of every Jinja statement (`{% if %}`, `{% else %}`,
 * `{% for %}`…, and the `{%…%}` sentinels that stand for them in masked text), of every Handlebars or Mustache section
 * tag (`{{#if x}}`, `{{else}}`, `{{/if}}`, `{{^items}}`, dotprompt's `{{role "user"}}`) and of every role line
 * (`user:`). Sorted offsets. A sentence and its copy with such a mark between them may belong to two branches of an
 * if, never sent together, or to two messages, so one does not repeat the other (break30: the `{% else %}` branch lost
 * "Always answer in English." as a repeat of the `{% if %}` branch's, and `prompt compress` took a .prompty's user
 * message's instruction for a repeat of its system message's).
 */
export function templateBoundaries(text: string): number[] {
  const out: number[] = [];
  // The next `%}` and `}}` found so far (-1: none left): searches resume after them, so the scan stays linear.
  let blockClose = -2;
  let tagClose = -2;
  for (let i = text.indexOf('{'); i >= 0 && i < text.length - 1; i = text.indexOf('{', i + 1)) {
    const next = text[i + 1];
    if (next === '%') {
      if (blockClose !== -1 && blockClose < i + 2) blockClose = text.indexOf('%}', i + 2);
      if (blockClose >= 0 && blockClose - i <= 4000) {
        out.push(blockClose + 2);
        i = blockClose + 1;
      }
    } else if (next === '{') {
      if (tagClose !== -1 && tagClose < i + 2) tagClose = text.indexOf('}}', i + 2);
      if (tagClose >= 0 && tagClose - i <= 400 && SECTION_TAG.test(text.slice(i + 2, tagClose))) {
        out.push(tagClose + 2);
        i = tagClose + 1;
      }
    }
  }
  if (!/:[ \t]*$/m.test(text)) return out;
  const roles: number[] = [];
  ROLE_LINE.lastIndex = 0;
  for (let m = ROLE_LINE.exec(text); m; m = ROLE_LINE.exec(text)) roles.push(m.index + m[0].length);
  return roles.length === 0 ? out : [...out, ...roles].sort((a, b) => a - b);
}

/** Which stretch between template boundaries (`templateBoundaries`) an offset lies in: how many boundaries come at or before it. */
export function templateScope(boundaries: readonly number[], offset: number): number {
  let lo = 0;
  let hi = boundaries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (boundaries[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether units[i] and units[j] are notes on two different code or data blocks: each sits right after a block (or
 * right before one, when none is above it), and not the same one ("This is wrong because the method is not tools/call." under each wrong example of
 * NextChat's MCP prompt). The same note under two different blocks says something of each, and is no repeat
 * (newuser30: aggressive dropped the second one's label); a sentence before and after one block still repeats.
 */
export function notesOnDifferentBlocks(units: readonly TextUnit[], i: number, j: number): boolean {
  const block = (k: number): boolean => units[k] !== undefined && (units[k].kind === 'code' || units[k].kind === 'structured');
  // A note is on the block above it, else on the block below it.
  const noted = (k: number): number => (block(k - 1) ? k - 1 : block(k + 1) ? k + 1 : -1);
  const a = noted(i);
  const b = noted(j);
  return a >= 0 && b >= 0 && a !== b;
}

/**
 * Whether units[i] is all its section holds: right under a heading, with the next heading (or the end) right after it.
 * Removing a repeat that is a section's only rule leaves the heading over nothing (break32: `## Weather\n- If it can fully
 * answer …, set skipSearch to true as well.\n\n## Stocks\n- If it can fully answer …`), so the repeat keeps its place.
 */
export function onlyUnitOfSection(units: readonly TextUnit[], i: number): boolean {
  return i > 0 && units[i - 1]?.kind === 'heading' && units[i].kind !== 'heading' && (i + 1 >= units.length || units[i + 1].kind === 'heading');
}

/** The width of a line's indentation, a tab counted as four spaces. */
function indentWidth(line: string): number {
  let width = 0;
  for (const ch of /^[ \t]*/.exec(line)?.[0] ?? '') width += ch === '\t' ? 4 : 1;
  return width;
}

/**
 * The line an indented list item at `offset` hangs under: the nearest line above it, within 60, that is indented less.
 * Undefined when the item is not the first thing on its line after its marker, or is not indented.
 */
function parentLine(text: string, offset: number): { start: number; text: string } | undefined {
  // Only the marker and the indentation before it (a few characters, looked at first: a sentence inside a long
  // line costs nothing).
  const from = Math.max(0, offset - 24);
  const lead = /\n([ \t]*(?:(?:[-*+•]|\d{1,3}[.)])[ \t]+)?)$/.exec(`${from === 0 ? '\n' : ''}${text.slice(from, offset)}`);
  if (!lead) return undefined;
  const lineStart = offset - lead[1].length;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  if (!LIST_ITEM.test(line)) return undefined;
  const width = indentWidth(line);
  if (width === 0) return undefined;
  let end = lineStart - 1;
  for (let n = 0; end > 0 && n < 60; n++) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const above = text.slice(start, Math.min(end, start + 200));
    if (/\S/.test(above) && indentWidth(above) < width) return { start, text: above.trim() };
    end = start - 1;
  }
  return undefined;
}

/**
 * Whether two units are indented list items under two different parent items: "5. showWeatherWidget …" and
 * "6. showStockWidget …" of Perplexica's classifier each end with "- If it can fully answer the user query without
 * needing additional search, set skipSearch to true as well." That line says something of its own parent ("it" is
 * that widget), so neither copy repeats the other (newuser32: the quick fix took the rule from the stock widget).
 */
export function subItemsOfDifferentParents(text: string, a: Range, b: Range): boolean {
  const pa = parentLine(text, a.start);
  const pb = parentLine(text, b.start);
  return pa !== undefined && pb !== undefined && pa.start !== pb.start && pa.text !== pb.text;
}

/** How far back `fieldsOfRecords` looks for the start of a unit's line. */
const LABEL_LOOKBACK = 2000;

/** A label that opens a line ("Original User Query:"): one to four words, the first capitalized, then a colon and a space. */
const LINE_LABEL = /^[ \t]*(?:[-*+•][ \t]+)?(\p{Lu}[\p{L}\p{N}'’_-]*(?:[ \t][\p{L}\p{N}'’_-]+){0,3}):[ \t]/u;

/**
 * Whether two units are fields of two example records: each on its own line opened by the same label, a label that opens
 * three lines or more ("Original User Query: …" in each of khoj's five notification examples and its input). A sentence
 * repeated there ("My Current Location: Shanghai, China" in two queries) is data of each example, not a repeat (newuser33:
 * the quick fix and medium compression took the location from one example). Returns a test bound to `text`: the label
 * counts are computed once per label.
 */
export function fieldsOfRecords(text: string): (a: Range, b: Range) => boolean {
  const counts = new Map<string, number>();
  const labelOf = (offset: number): { line: number; label: string } | undefined => {
    // The start of the unit's line, looked for at most LABEL_LOOKBACK characters back: a unit that far into its line is
    // no field of a labelled record, and searching a 1 MB one-line text back to its start for each pair was quadratic.
    const from = Math.max(0, offset - LABEL_LOOKBACK);
    const newline = text.slice(from, offset).lastIndexOf('\n');
    if (newline < 0 && from > 0) return undefined;
    const line = newline < 0 ? 0 : from + newline + 1;
    const m = LINE_LABEL.exec(text.slice(line, line + 80));
    return m ? { line, label: m[1] } : undefined;
  };
  const opens = (label: string): number => {
    let n = counts.get(label);
    if (n === undefined) {
      n = 0;
      for (let at = text.indexOf(`${label}:`); at >= 0 && n < 3; at = text.indexOf(`${label}:`, at + 1)) if (labelStart(text, at) && labelOf(at)?.label === label) n++;
      counts.set(label, n);
    }
    return n;
  };
  return (a, b) => {
    const la = labelOf(a.start);
    const lb = labelOf(b.start);
    return la !== undefined && lb !== undefined && la.line !== lb.line && la.label === lb.label && opens(la.label) >= 3;
  };
}

/** Whether only indentation or a list marker stands between the start of the line of `at` and `at`. */
function labelStart(text: string, at: number): boolean {
  const line = text.lastIndexOf('\n', at - 1) + 1;
  return at - line <= 12 && /^[ \t]*(?:[-*+•][ \t]+)?$/.test(text.slice(line, at));
}
