/**
 * Protected spans: the parts of a prompt no transformation may change. The compressor,
 * distiller and optimizer all edit only outside these spans, and all three check their
 * output with `checkRetention`, so a rewrite that loses a placeholder, a number or a
 * "do not" is rejected rather than shipped.
 */
import type { RetentionReport } from '../../protocol/prompt';
import { escapeRegExp, phrasePattern, supportedLanguages, languagePack } from './languages';
import { mergeRanges, normalizeWhitespace, RangeIndex, type Range } from './spans';
import { segmentUnits, type TextUnit } from './text';
import { maskRanges, nestedInterpolations } from './interpolations';
import { dialogueTurns, transcriptCues } from './transcript';
import { exampleSpans } from './examples';
import { codeBlocks } from './codeBlocks';

export type ProtectedKind =
  | 'codeBlock'
  | 'inlineCode'
  | 'placeholder'
  | 'jinja'
  | 'structured'
  | 'xmlTag'
  | 'url'
  | 'email'
  | 'number'
  | 'quoted'
  | 'name'
  | 'constraint'
  | 'outputFormat';

export interface ProtectedSpan extends Range {
  kind: ProtectedKind;
  text: string;
}

export interface ProtectedAnalysis {
  spans: ProtectedSpan[];
  /** All protected ranges merged, for overlap queries. */
  index: RangeIndex;
  /** Ranges a sentence boundary must not cut (everything but the sentence-level kinds). */
  atomic: RangeIndex;
  units: TextUnit[];
}

/** Upper bounds keep every pattern linear even on adversarial input (unbalanced braces, 1 MB lines). */
const PATTERNS: ReadonlyArray<[ProtectedKind, RegExp]> = [
  ['jinja', /\{%[\s\S]{0,2000}?%\}|\{#[\s\S]{0,2000}?#\}/g],
  ['placeholder', /\{\{[^{}\n]{1,200}\}\}|\$\{[^{}\n]{1,200}\}|\{[^{}\n]{1,200}\}|%\([A-Za-z_][A-Za-z0-9_]{0,63}\)[a-z]|\[[^[\]\n]{1,100}\]|<<[^<>\n]{1,100}>>/g],
  // printf conversions (%s, %d, %-5.2f, %*d), as scanner/atoms.ts finds them: not after a letter, digit or % ("100%d", "%%s").
  ['placeholder', /(?<![\p{L}\p{N}%])%[-#0+]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[sdifrxXeEgGcoa]/gu],
  ['inlineCode', /`[^`\n]{1,500}`/g],
  ['url', /\b(?:https?|ftp):\/\/[^\s<>"'`)\]}]+|\bwww\.[^\s<>"'`)\]}]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|dev|ai|app|co|edu|gov|br|es|pt|uk|de)\b(?:\/[^\s<>"'`)\]}]*)?/g],
  ['email', /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g],
  // A straight quote has no length cap: it closes at the next " on its line, so the search stays linear, and a long
  // quoted example is kept whole (Anthropic's research_lead_agent.md quotes a 1,151-character task description).
  // Japanese and Chinese (Taiwan) quote with corner brackets: NextChat's Japanese topic prompt ends 「雑談」と返してください
  // ("reply 「雑談」"), the literal answer (break30b).
  ['quoted', /"[^"\n]+"|“[^”\n]{1,1000}”|«[^»\n]{1,1000}»|„[^“”\n]{1,1000}[“”]|「[^」\n]{1,1000}」|『[^』\n]{1,1000}』|(?<![\p{L}\p{N}])'[^'\n]{1,200}'(?![\p{L}\p{N}])/gu],
  ['xmlTag', /<\/?[A-Za-z][\w:.-]{0,60}(?:\s[^<>\n]{0,300})?\/?>/g],
  // Not inside a word ("gpt4", "4o"), but Chinese and Japanese write no spaces: "不少于15个字" holds the number 15 (NextChat's
  // 心灵导师 mask, newuser30: distill dropped the paragraph with its length limits). Korean writes a counter on the number
  // ("15자 이상 30자 이하", 15 to 30 characters; break30b: the same paragraph in Korean was dropped).
  ['number', /(?<!(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}])[\p{L}_])[-+]?\d+(?:[.,:/-]\d+)*(?:%|\s?(?:k|m|b|mb|gb|kb|ms|s|px|usd|eur|brl))?(?!(?![\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}])[\p{L}\p{N}])/giu],
];

/** Acronyms (LLM, SQL), camelCase or mixed-case words (iPhone, JavaScript), and capitalized words inside a sentence. */
const NAME = /(?<![\p{L}\p{N}_])(?:\p{Lu}{2,}[\p{L}\p{N}]*|\p{Lu}?\p{Ll}+\p{Lu}[\p{L}\p{N}]*|\p{Lu}[\p{Ll}\p{N}]+(?:[\s-]\p{Lu}[\p{Ll}\p{N}]+)*)(?![\p{L}\p{N}_])/gu;

/** The matches of `pattern` in `scanned` (the text, or the text with its nested interpolations masked), as spans of `text`. */
function collect(text: string, kind: ProtectedKind, pattern: RegExp, out: ProtectedSpan[], scanned = text): void {
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(scanned)) !== null) {
    let value = m[0];
    if (kind === 'url') value = value.replace(/[.,;:!?]+$/, '');
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, every pattern match keeps at least one character (a URL's trailing punctuation is never all of it)
    if (value.length > 0) out.push({ start: m.index, end: m.index + value.length, kind, text: text.slice(m.index, m.index + value.length) });
    // Stryker disable next-line ConditionalExpression,EqualityOperator,UpdateOperator: equivalent, no PATTERNS entry matches the empty string, so this guard never fires
    if (m[0].length === 0) pattern.lastIndex++;
  }
}

const MAX_BLOCK = 200_000;

/** JSON objects/arrays and XML elements that start a line, found by balanced scanning (bounded). */
function structuredBlocks(text: string, skip: RangeIndex): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  const lineStart = /^[ \t]*([{[]|<([A-Za-z][\w:.-]{0,60})[^<>\n]*>)/gm;
  // Built on the first element: closing tags by name, and the lines classified once (nested or unclosed tags by the
  // thousand would otherwise rescan the rest of the text each, quadratic time).
  let closes: Map<string, number[]> | undefined;
  let lines: LineTable | undefined;
  // Lines up to here were looked at as part of an enclosing prose element, their spans already pushed.
  let covered = 0;
  let m: RegExpExecArray | null;
  while ((m = lineStart.exec(text)) !== null) {
    const start = m.index + m[0].length - (m[1]).length;
    if (skip.contains(start)) continue;
    // Stryker disable next-line UnaryOperator: equivalent, +1 is past start only when start is 0, and then the body is one character, with no line break
    let end = -1;
    if (m[2]) {
      closes ??= closingTags(text);
      const close = firstAtOrAfter(closes.get(m[2]) ?? [], start);
      if (close !== -1 && close - start < MAX_BLOCK) end = close + m[2].length + 3;
    } else {
      end = balancedEnd(text, start);
    }
    // Stryker disable next-line EqualityOperator: equivalent, end is either -1 or past start, never equal to it
    if (end > start && m[2] !== undefined) {
      lines ??= new LineTable(text);
      const prose = proseElementLines(text, lines, start, end, covered);
      if (prose) {
        covered = Math.max(covered, end);
        // A section of instructions in tags (<IMPORTANT>…</IMPORTANT>, the Anthropic style): its prose is text
        // like any other, its tags are protected as tags, and each line that does not read as prose (code, data,
        // a diff line) is protected whole. Elements inside it are looked at on their own.
        spans.push(...prose);
        lineStart.lastIndex = text.indexOf('\n', start) + 1 || end;
        continue;
      }
    }
    if (end > start) {
      const body = text.slice(start, end);
      const looksStructured = m[2] !== undefined || /["'\w]\s*:/.test(body) || /^\[\s*[\d"'{[]/.test(body);
      if (looksStructured && body.includes('\n')) {
        spans.push({ start, end, kind: 'structured', text: body });
        lineStart.lastIndex = end;
      }
    }
  }
  return spans;
}

/** A line that reads as code or data, whatever its words: statement ends, operators, calls, keywords, diff markers, an opening bracket. */
const CODE_LINE = /[;{}][ \t]{0,20}$|=>|[=!]==?|\s=\s|\(\)|::|[A-Za-z_$][\w$.]{0,60}\([^()\s]{0,60}\)|^\s*(?:def|class|import|from|const|let|var|function|return|if|elif|else|for|while|async|await|export|public|private|#include)\b|^[+-](?:\s{2,}|[^\s\p{L}*])|^\s*[{[]/u;
/** A line of prose: optional list marker, then a word; three words at least. */
const PROSE_LINE = /^\s*(?:[-*•]\s+|\d+[.)]\s+)?["'(“]?\p{L}/u;
const WORD = /\p{L}{2,}/gu;

/** Longer lines are data, not a sentence (and the patterns stay linear). */
const MAX_PROSE_LINE = 2_000;

function isProseLine(line: string): boolean {
  if (line.length > MAX_PROSE_LINE || !PROSE_LINE.test(line) || CODE_LINE.test(line)) return false;
  const words = line.match(WORD)?.length ?? 0;
  if (words < 3) return false;
  // Mostly letters and spaces once inline code and placeholders are set aside (they are protected on their own).
  const visible = line.replace(/`[^`\n]*`|\$\{[^{}\n]*\}|\{[^{}\n]*\}/g, '').replace(/\s+/g, '');
  if (visible.length === 0) return false;
  const letters = visible.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return letters / visible.length >= 0.75;
}

/** A tag alone on its line (a closing tag, a nested element's tags): protected as a tag, neither prose nor data. */
const TAG_LINE = /^<\/?[A-Za-z][^<>]*>$/;

/**
 * A markdown heading (`# Input Format`, `## Rules`) or a section label (`3. ELEMENT INTERACTION:`, `Example:`, at most
 * six words before the colon): the titles of a section of rules, neither its prose nor data. nanobrowser's navigator
 * prompt (322384f, templates/navigator.ts) has 14 of them among 96 lines inside <system_instructions>; as data they put
 * it under the prose share and the whole prompt became one protected item.
 */
const HEADING_LINE = /^#{1,6}[ \t]+\S[^\n]{0,120}$|^(?:[-*•][ \t]+|\d{1,3}[.)][ \t]+)?\p{L}[\p{L}\p{N}'’&/-]*(?:[ \t]+[\p{L}\p{N}'’&/-]+){0,5}:$/u;

/** 0: blank, a tag line, a heading or a label (counts for neither), 1: prose, 2: other (code, data, a diff line). */
function lineKind(line: string): number {
  const trimmed = line.trim();
  if (trimmed === '' || TAG_LINE.test(trimmed) || HEADING_LINE.test(trimmed)) return 0;
  return isProseLine(line) ? 1 : 2;
}

/** The lines of a text, each classified once, with running counts of prose and other lines. */
class LineTable {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Prose (other) lines before line i. */
  readonly prose: number[] = [0];
  readonly other: number[] = [0];
  /** Indices of the other lines, ascending. */
  readonly otherLines: number[] = [];

  constructor(text: string) {
    for (let at = 0; ; ) {
      const newline = text.indexOf('\n', at);
      const end = newline < 0 ? text.length : newline;
      const kind = lineKind(text.slice(at, end));
      if (kind === 2) this.otherLines.push(this.starts.length);
      this.starts.push(at);
      this.ends.push(end);
      this.prose.push(this.prose[this.prose.length - 1] + (kind === 1 ? 1 : 0));
      this.other.push(this.other[this.other.length - 1] + (kind === 2 ? 1 : 0));
      if (newline < 0) break;
      at = newline + 1;
    }
  }

  /** Index of the first line that starts at or after `offset` (the line count when none does). */
  lineAtOrAfter(offset: number): number {
    return lowerBound(this.starts.length, (i) => this.starts[i] >= offset);
  }
}

/** The smallest i in [0, n) with ok(i) (ok is monotonic), or n. */
function lowerBound(n: number, ok: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Offsets of every closing tag (`</name>`), by name, ascending. */
function closingTags(text: string): Map<string, number[]> {
  const byName = new Map<string, number[]>();
  for (const m of text.matchAll(/<\/([A-Za-z][\w:.-]{0,60})>/g)) {
    const list = byName.get(m[1]);
    if (list) list.push(m.index);
    else byName.set(m[1], [m.index]);
  }
  return byName;
}

/** The first offset in `sorted` at or after `at`, or -1. */
function firstAtOrAfter(sorted: readonly number[], at: number): number {
  const i = lowerBound(sorted.length, (k) => sorted[k] >= at);
  return i < sorted.length ? sorted[i] : -1;
}

/**
 * For an XML element spanning lines [start, end) whose body is prose (at least two prose lines,
 * and prose is at least 70 % of the body's non-blank lines outside nested tags), the spans to
 * protect inside it: every body line that is not prose, except whole lines before `covered` (an
 * enclosing prose element pushed them). Undefined when the body is data or code (then the whole
 * element stays protected).
 */
function proseElementLines(text: string, lines: LineTable, start: number, end: number, covered: number): ProtectedSpan[] | undefined {
  const bodyStart = text.indexOf('\n', start);
  if (bodyStart < 0 || bodyStart >= end) return undefined;
  const first = lines.lineAtOrAfter(bodyStart + 1);
  // Lines [first, last) start inside the element; the last of them may run past its end (text after the closing tag).
  let last = lines.lineAtOrAfter(end);
  let prose = lines.prose[last] - lines.prose[first];
  let other = lines.other[last] - lines.other[first];
  const spans: ProtectedSpan[] = [];
  const push = (at: number, line: string) => {
    const trimmed = line.trim();
    const lead = line.length - line.trimStart().length;
    spans.push({ start: at + lead, end: at + lead + trimmed.length, kind: 'structured', text: trimmed });
  };
  if (last > first && lines.ends[last - 1] > end) {
    // Cut at the element's end, that line is classified on its own.
    last--;
    prose -= lines.prose[last + 1] - lines.prose[last];
    other -= lines.other[last + 1] - lines.other[last];
    const cut = text.slice(lines.starts[last], end);
    const kind = lineKind(cut);
    if (kind === 1) prose++;
    if (kind === 2) {
      other++;
      push(lines.starts[last], cut);
    }
  }
  if (!(prose >= 2 && prose >= 0.7 * (prose + other))) return undefined;
  const others = lines.otherLines;
  for (let k = lowerBound(others.length, (i) => others[i] >= first && lines.ends[others[i]] > covered); k < others.length && others[k] < last; k++) {
    const i = others[k];
    push(lines.starts[i], text.slice(lines.starts[i], lines.ends[i]));
  }
  return spans;
}

/** End (exclusive) of the balanced {...} or [...] starting at `start`, or -1. Strings are skipped. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString: string | undefined;
  const limit = Math.min(text.length, start + MAX_BLOCK);
  for (let i = start; i < limit; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = undefined;
      continue;
    }
    if (ch === '"') inString = ch;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
      // Stryker disable next-line ConditionalExpression,EqualityOperator,UnaryOperator: equivalent, the scan starts at an opening bracket and returns when depth first reaches 0, so it never goes below
      if (depth < 0) return -1;
    }
  }
  // Stryker disable next-line UnaryOperator: equivalent, +1 is past start only when start is 0, and then the body is one character, with no line break
  return -1;
}

/** Two or more consecutive `key: value` lines (YAML-like data), keys without spaces. */
function yamlBlocks(text: string, skip: RangeIndex): ProtectedSpan[] {
  const spans: ProtectedSpan[] = [];
  const block = /(?:^[ \t]*[A-Za-z_][\w.-]{0,60}:(?:[ \t][^\n]*)?(?:\n|$)){2,}/gm;
  let m: RegExpExecArray | null;
  while ((m = block.exec(text)) !== null) {
    // Stryker disable ConditionalExpression,EqualityOperator,BlockStatement,UpdateOperator: equivalent, the pattern needs two "key:" lines, so it never matches the empty string
    if (m[0].length === 0) {
      block.lastIndex++;
      continue;
    }
    // Stryker restore ConditionalExpression,EqualityOperator,BlockStatement,UpdateOperator
    const value = m[0].replace(/\n$/, '');
    if (!skip.overlaps(m.index, m.index + value.length)) spans.push({ start: m.index, end: m.index + value.length, kind: 'structured', text: value });
  }
  return spans;
}

interface UnionPatterns {
  constraint?: RegExp;
  format?: RegExp;
  politenessPrefix: RegExp;
  politenessSuffix: RegExp;
  /** Words that open a new clause after a comma ("and", "but"; "e", "mas"; "y", "pero"). */
  clauseBreaks: Set<string>;
}

/**
 * Hard constraints and output-format cues from every language pack: protection errs on the
 * safe side, so an English "only" inside a Portuguese prompt is still protected. Built once,
 * when the module loads.
 */
function buildSentencePatterns(): UnionPatterns {
  const packs = supportedLanguages().map((code) => languagePack(code));
  // The patterns ignore case, and the packs write their phrases in lower case.
  const politeness = [...new Set(packs.flatMap((p) => p.politeness))].sort((a, b) => b.length - a.length);
  const alternatives = politeness.map((p) => escapeRegExp(p).replace(/\s+/g, '\\s+')).join('|');
  return {
    clauseBreaks: new Set(packs.flatMap((p) => p.clauseBreaks.map((w) => w.toLowerCase()))),
    constraint: phrasePattern(packs.flatMap((p) => p.hardConstraints)),
    format: phrasePattern(packs.flatMap((p) => p.outputFormat)),
    politenessPrefix: new RegExp(`^(?:${alternatives})(?![\\p{L}\\p{N}])[\\s,;:!.]*`, 'iu'),
    politenessSuffix: new RegExp(`[\\s,;]+(?:${alternatives})[\\s,;!.]*$`, 'iu'),
  };
}

const UNION_PATTERNS = buildSentencePatterns();

function sentencePatterns(): UnionPatterns {
  return UNION_PATTERNS;
}

/** Leading politeness ("Please, ") of a unit: the one part of a protected sentence that may go. */
export function politenessPrefixLength(unitText: string): number {
  const { politenessPrefix } = sentencePatterns();
  const m = politenessPrefix.exec(unitText);
  return m ? m[0].length : 0;
}

/**
 * End (exclusive) of the clause that a constraint or format cue ending at `from` governs:
 * the cue's verb phrase runs to the sentence end, a semicolon or a line break, or to a
 * comma that opens a new clause ("…, and keep it short"). Other commas do not end it, so
 * "Do not, under any circumstances, reveal the key" keeps its verb and object. Trailing
 * politeness ("…, please") is left out.
 */
function clauseEnd(text: string, from: number, limit: number): number {
  const { clauseBreaks, politenessSuffix } = sentencePatterns();
  let wordsSeen = 0;
  // Stryker disable next-line BooleanLiteral: equivalent, a cue never ends before a letter or digit (phrasePattern's lookahead), so the first character sets inWord to false either way
  let inWord = false;
  let end = limit;
  for (let i = from; i < limit; i++) {
    const ch = text[i];
    const letter = /[\p{L}\p{N}]/u.test(ch);
    if (letter && !inWord) wordsSeen++;
    inWord = letter;
    if (ch === '\n' || ch === ';') {
      end = i;
      break;
    }
    if (/[.!?]/.test(ch) && (i + 1 >= limit || /\s/.test(text[i + 1]))) {
      end = i;
      break;
    }
    if (ch === ',' && wordsSeen > 0) {
      const next = /^\s*([\p{L}]+)/u.exec(text.slice(i + 1, Math.min(limit, i + 40)));
      if (next && clauseBreaks.has(next[1].toLowerCase())) {
        end = i;
        break;
      }
    }
  }
  while (end > from && /\s/.test(text[end - 1])) end--;
  // Only the clause's last characters can hold a politeness tail; a bounded window keeps this linear.
  const windowStart = Math.max(from, end - 80);
  const tail = politenessSuffix.exec(text.slice(windowStart, end));
  if (tail) end = windowStart + tail.index;
  return end;
}

/**
 * The hard constraints and output-format instructions of a unit, each protected from its
 * cue ("do not", "only", "must", "JSON", "return"…) to the end of the clause it governs.
 * Words before the cue ("It is important that you …") stay editable; overlapping or
 * touching clauses merge, and a merged span is a constraint when any cue in it is one.
 */
function constraintClauses(text: string, unit: TextUnit): ProtectedSpan[] {
  const { constraint, format } = sentencePatterns();
  const cues: Array<{ start: number; end: number; kind: ProtectedKind }> = [];
  for (const [kind, pattern] of [['constraint', constraint], ['outputFormat', format]] as const) {
    // Stryker disable next-line ConditionalExpression: equivalent, every shipped language pack has constraint and format cues, so both patterns exist
    if (!pattern) continue;
    pattern.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = pattern.exec(unit.text)) !== null) cues.push({ start: unit.start + m.index, end: unit.start + m.index + m[0].length, kind });
    pattern.lastIndex = 0;
  }
  cues.sort((a, b) => a.start - b.start || b.end - a.end);
  // A cue inside the previous clause cannot reach past that clause's end, so only cues after it are scanned: linear overall.
  const merged: Array<{ start: number; end: number; kind: ProtectedKind }> = [];
  for (const cue of cues) {
    const last = merged[merged.length - 1];
    if (last && cue.start <= last.end) {
      if (cue.end > last.end) last.end = Math.max(cue.end, clauseEnd(text, cue.end, unit.end));
      if (cue.kind === 'constraint') last.kind = 'constraint';
    } else merged.push({ start: cue.start, end: Math.max(cue.end, clauseEnd(text, cue.end, unit.end)), kind: cue.kind });
  }
  return merged.map((r) => ({ ...r, text: text.slice(r.start, r.end) }));
}

/** Finds every protected span in `text`. `language` only affects name detection at sentence starts. */
// Stryker disable next-line StringLiteral: equivalent, the parameter is not read
export function analyzeProtected(text: string, _language = 'en'): ProtectedAnalysis {
  const spans: ProtectedSpan[] = codeBlocks(text);
  const codeIndex = new RangeIndex(spans);
  const structured = structuredBlocks(text, codeIndex);
  spans.push(...structured);
  const blockIndex = new RangeIndex(spans);
  spans.push(...yamlBlocks(text, blockIndex));
  spans.push(...transcriptCues(text, blockIndex), ...dialogueTurns(text, blockIndex), ...exampleSpans(text, blockIndex));
  const blocks = mergeRanges(spans);
  const outside = new RangeIndex(blocks);
  // `${…}` with braces, quotes or a template literal inside (`${ok ? `${context}` : "none"}`): one placeholder, whole.
  const nested: ProtectedSpan[] = nestedInterpolations(text)
    .filter((r) => !outside.overlaps(r.start, r.end))
    .map((r) => ({ ...r, kind: 'placeholder', text: text.slice(r.start, r.end) }));
  spans.push(...nested);
  // The other patterns read each such placeholder as opaque (masked): a quote around one is kept whole ("Sorry, I can't
  // ${x ? "help" : "answer"} now" lost its protection when its first match, up to the inner quote, was dropped).
  const nestedIndex = new RangeIndex(nested);
  const scanned = nested.length === 0 ? text : maskRanges(text, nested);
  const cutsNested = (span: Range): boolean => {
    const first = nestedIndex.rangeAt(span.start);
    const last = nestedIndex.rangeAt(span.end - 1);
    return (first !== undefined && first.start < span.start) || (last !== undefined && last.end > span.end);
  };
  for (const [kind, pattern] of PATTERNS) {
    const found: ProtectedSpan[] = [];
    collect(text, kind, pattern, found, scanned);
    for (const span of found) if (!outside.overlaps(span.start, span.end) && !cutsNested(span)) spans.push(span);
  }
  const atomic = new RangeIndex(spans);
  // `blocks` merges code and data blocks only (they were the only spans when it was built).
  const units = segmentUnits(text, atomic, blocks);

  for (const unit of units) {
    if (unit.kind === 'code' || unit.kind === 'structured') continue;
    spans.push(...constraintClauses(text, unit));
    // Names: capitalized words that do not start the unit (every sentence's first word is capitalized).
    NAME.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = NAME.exec(unit.text)) !== null) {
      const value = m[0];
      const before = unit.text.slice(0, m.index);
      // After a label's colon a sentence starts too ("Language: Please use the same language", MetaGPT), but a name or title may stand there
      // ("Author: Maria Silva", "Song: Please Please Me", break32a): only a word that is never a name, alone (no capitalized word after it).
      const atUnitStart = /^[\s"'“(*#>\d.)-]*$/.test(before) || (/:[ \t]+$/.test(before) && !/\s/.test(value) && SENTENCE_OPENERS.has(/^\p{L}+/u.exec(value)?.[0] ?? ''));
      if (atUnitStart && !/\p{Lu}{2,}|\p{Ll}\p{Lu}/u.test(value)) {
        // The sentence's first word is not a name, but one may follow it ("Ask Maria Silva"): look
        // again from its second letter (the lookbehind keeps the rest of that word from matching).
        // (Past its whole first character: inside a surrogate pair a /u search steps back to the pair and loops.)
        NAME.lastIndex = m.index + (value.codePointAt(0)! > 0xffff ? 2 : 1);
        continue;
      }
      // Every NAME alternative needs two letters at least, so no one-letter name reaches here.
      spans.push({ start: unit.start + m.index, end: unit.start + m.index + value.length, kind: 'name', text: value });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return { spans, index: new RangeIndex(spans), atomic, units };
}

/** Capitalized words that open a sentence and are never a name: after a label's colon they are not protected as names. */
const SENTENCE_OPENERS = new Set(['Please', 'Kindly', 'Do', 'Always', 'Never', 'Make', 'Ensure', 'Use', 'Only', 'Just', 'Simply', 'The', 'You', 'Your', 'This', 'It', 'If', 'When']);

/** Spans (sorted by start, as `analyzeProtected` returns them) lying inside [start, end), by binary search. */
export function spansWithin(sorted: readonly ProtectedSpan[], start: number, end: number): ProtectedSpan[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid]).start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: ProtectedSpan[] = [];
  for (let i = lo; i < sorted.length && (sorted[i]).start < end; i++) {
    const span = sorted[i];
    if (span.end <= end) out.push(span);
  }
  return out;
}

/** Sentence-level kinds protect a whole sentence; the others are exact tokens (placeholders, numbers...). */
export function isSentenceLevel(span: ProtectedSpan): boolean {
  return span.kind === 'constraint' || span.kind === 'outputFormat';
}

/** The strings that must survive any transformation, whitespace-normalized and deduplicated. */
export function protectedItems(spans: readonly ProtectedSpan[], options: { includeNames?: boolean } = {}): string[] {
  const items = new Set<string>();
  for (const span of spans) {
    if (span.kind === 'name' && options.includeNames === false) continue;
    const value = normalizeWhitespace(span.text);
    if (value.length > 0) items.add(value);
  }
  return [...items];
}

/** Checks that every protected item appears, whitespace-normalized, in `candidate`. */
export function checkRetention(items: readonly string[], candidate: string): RetentionReport {
  const haystack = normalizeWhitespace(candidate);
  // A sentence may gain a capital letter when the politeness before it goes ("please do not" → "Do not").
  const flipFirst = (item: string) => {
    const first = item[0];
    const flipped = first === first.toLowerCase() ? first.toUpperCase() : first.toLowerCase();
    return flipped + item.slice(1);
  };
  const missing = items.filter((item) => !haystack.includes(item) && !haystack.includes(flipFirst(item)));
  return { total: items.length, kept: items.length - missing.length, missing, ratio: items.length === 0 ? 1 : (items.length - missing.length) / items.length };
}
