/**
 * Writing a rewrite back into a prompt made of several adjacent literals (Python's implicit
 * concatenation `('…\n' '…\n')`, JavaScript's `'…' + '…'`) literal by literal, so the code keeps
 * its layout: one literal a line stays one literal a line, each with its own quotes, prefix and
 * indentation. The old decoded text is diffed against the new one, token by token; each
 * boundary between two old literals is carried over to the new text, and each literal gets the
 * new text between its two boundaries. Text inserted at a boundary goes to the earlier literal
 * (unless it replaces the start of the later one); a literal left with no text is removed with
 * its line; one left with whitespace only gives it to its neighbour. A literal whose text is
 * unchanged is left as written (its escapes and line continuations; an empty one stays).
 *
 * The rewrite guard (rewriteGuard.ts) checks the result like any edit and falls back to one
 * literal when this gives nothing or the check refuses it. Pure code, no `vscode`.
 */
import type { LiteralSegment, PromptLocation } from '../../protocol/scan';
import { encodeLiteral, encodeLiteralContent, LiteralEncodeError } from './scanner/literalEncode';

/** One edit that writes the new text as `literals` adjacent literals in the place of the old ones. */
export interface SegmentedEdit {
  start: number;
  end: number;
  text: string;
  literals: number;
}

/** A maximal run of the diff: old text [o1, o2) became new text [n1, n2); `same` when the two are equal. */
interface Run {
  same: boolean;
  o1: number;
  o2: number;
  n1: number;
  n2: number;
}

/** Beyond this many differences the diff gives up (and the prompt is written as one literal). */
const MAX_DIFFERENCES = 3000;

const TOKEN = /\s+|[\p{L}\p{N}_]+|[^]/uy;

/** Words, whitespace runs and single other characters; the `atoms` (interpolations) as one token each. */
export function tokenize(text: string, atoms: readonly string[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let atom = '';
    if (text[i] === '{' || text[i] === '$') for (const a of atoms) if (a.length > atom.length && text.startsWith(a, i)) atom = a;
    if (atom) {
      out.push(atom);
      i += atom.length;
      continue;
    }
    // A surrogate pair is two tokens, one for each half: Python's "…\\ud83d" "\\ude00…" holds one half in each literal, and
    // the new text, read by code points, would have one token across the boundary (both literals rewritten, the pair merged).
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) {
      out.push(text[i]);
      i++;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    const token = m ? m[0] : text[i];
    out.push(token);
    i += token.length;
  }
  return out;
}

/**
 * The shortest edit script from `a` to `b` (Myers' O(ND) algorithm), as runs in characters,
 * with each run of changes written as one run (its deletions and insertions together).
 * Undefined when the two differ in more than MAX_DIFFERENCES tokens.
 */
export function diffRuns(a: readonly string[], b: readonly string[]): Run[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const n = A.length;
  const m = B.length;
  // kinds: per step of the script, 0 same, 1 delete (a token of A), 2 insert (a token of B).
  const steps: number[] = [];
  if (n === 0 || m === 0) {
    for (let i = 0; i < n; i++) steps.push(1);
    for (let j = 0; j < m; j++) steps.push(2);
  } else {
    const max = n + m;
    const offset = max + 1;
    const v = new Int32Array(2 * max + 3);
    const trace: Int32Array[] = [];
    let found = -1;
    for (let d = 0; d <= max && found < 0; d++) {
      if (d > MAX_DIFFERENCES) return undefined;
      trace.push(v.slice(offset - d - 1, offset + d + 2));
      for (let k = -d; k <= d; k += 2) {
        let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
        let y = x - k;
        while (x < n && y < m && A[x] === B[y]) {
          x++;
          y++;
        }
        v[offset + k] = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    let x = n;
    let y = m;
    const backwards: number[] = [];
    for (let d = found; d > 0; d--) {
      const saved = trace[d];
      const at = (k: number): number => saved[k + d + 1];
      const k = x - y;
      const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
      const prevK = down ? k + 1 : k - 1;
      const prevX = at(prevK);
      const prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        backwards.push(0);
        x--;
        y--;
      }
      backwards.push(down ? 2 : 1);
      x = prevX;
      y = prevY;
    }
    for (; x > 0; x--) backwards.push(0);
    for (let i = backwards.length - 1; i >= 0; i--) steps.push(backwards[i]);
  }
  const runs: Run[] = [];
  let o = 0;
  let p = 0;
  const push = (same: boolean, oldLength: number, newLength: number): void => {
    const last = runs[runs.length - 1];
    if (last && last.same === same) {
      last.o2 += oldLength;
      last.n2 += newLength;
    } else runs.push({ same, o1: o, o2: o + oldLength, n1: p, n2: p + newLength });
    o += oldLength;
    p += newLength;
  };
  for (let i = 0; i < head; i++) push(true, a[i].length, a[i].length);
  let ai = head;
  let bi = head;
  for (const step of steps) {
    if (step === 0) {
      push(true, a[ai].length, a[ai].length);
      ai++;
      bi++;
    } else if (step === 1) push(false, a[ai++].length, 0);
    else push(false, 0, b[bi++].length);
  }
  for (let i = a.length - tail; i < a.length; i++) push(true, a[i].length, a[i].length);
  return runs;
}

/**
 * Moves each run of deletions along the text it can slide over (the deleted text repeats
 * next to it: ". If … \"IN-PROGRESS\". " or "If … \"IN-PROGRESS\". . ") to where it starts or
 * ends at a boundary between literals, so a literal whose text all went is left empty.
 */
function slideDeletions(runs: Run[], old: string, boundaries: readonly number[]): void {
  const at = new Set(boundaries);
  for (let i = 1; i < runs.length - 1; i++) {
    const [prev, r, next] = [runs[i - 1], runs[i], runs[i + 1]];
    if (r.same || r.n1 !== r.n2 || !prev.same || !next.same) continue;
    let right = 0;
    while (r.o2 + right < next.o2 - 1 && old[r.o1 + right] === old[r.o2 + right]) right++;
    let left = 0;
    while (r.o1 - left > prev.o1 + 1 && old[r.o1 - 1 - left] === old[r.o2 - 1 - left]) left++;
    let best = 0;
    let bestScore = 0;
    for (let shift = -left; shift <= right; shift++) {
      const score = (at.has(r.o1 + shift) ? 2 : 0) + (at.has(r.o2 + shift) ? 1 : 0);
      if (score > bestScore || (score === bestScore && score > 0 && Math.abs(shift) < Math.abs(best))) [best, bestScore] = [shift, score];
    }
    if (best === 0) continue;
    prev.o2 += best;
    prev.n2 += best;
    r.o1 += best;
    r.o2 += best;
    r.n1 += best;
    r.n2 += best;
    next.o1 += best;
    next.n1 += best;
  }
}

/** Dice similarity of two texts by their longest common subsequence, ignoring case; 0 when too long to compare. */
function similarity(a: string, b: string): number {
  if (a.length === 0 || b.length === 0 || a.length * b.length > 1_000_000) return 0;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = new Uint16Array(y.length + 1);
  for (let i = 1; i <= x.length; i++) {
    const next = new Uint16Array(y.length + 1);
    for (let j = 1; j <= y.length; j++) next[j] = x[i - 1] === y[j - 1] ? row[j - 1] + 1 : Math.max(row[j], next[j - 1]);
    row = next;
  }
  return (2 * row[y.length]) / (x.length + y.length);
}

/**
 * Where each boundary between old literals lands in the new text. Inside an unchanged run:
 * the same character. At the start of a run of changes: before its new text (it replaces the
 * later literal's start); at its end, or at a pure insertion: after it (it stays in the
 * earlier literal). A run of changes across boundaries gives its new text to the part of the
 * old text it is most like ("Please note that you must " + "answer" became "Answer": the
 * later literal's), the earlier one on a tie.
 */
function mapBoundaries(runs: readonly Run[], boundaries: readonly number[], old: string, newText: string): number[] {
  const owner = new Map<Run, number>();
  const ownerOf = (r: Run): number => {
    let part = owner.get(r);
    if (part === undefined) {
      const cuts = [r.o1, ...boundaries.filter((b) => b > r.o1 && b < r.o2), r.o2];
      const inserted = newText.slice(r.n1, r.n2);
      let best = -1;
      part = 0;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const score = similarity(old.slice(cuts[i], cuts[i + 1]), inserted);
        if (score > best) [best, part] = [score, i];
      }
      owner.set(r, part);
    }
    return part;
  };
  return boundaries.map((offset) => {
    for (const r of runs) {
      if (offset > r.o2) continue;
      if (r.same) {
        if (offset === r.o2 && r.o2 > r.o1) continue;
        return r.n1 + (offset - r.o1);
      }
      if (r.o2 === r.o1 || offset === r.o2) return r.n2;
      if (offset === r.o1) return r.n1;
      // The boundary ends part k of the run (1-based): the new text is before it when its owner is a later part.
      const k = boundaries.filter((b) => b > r.o1 && b <= offset).length;
      return ownerOf(r) >= k ? r.n1 : r.n2;
    }
    const last = runs[runs.length - 1];
    return last ? last.n2 : 0;
  });
}

/** The decoded text of each segment of a prompt, by the segments' text starts. */
function segmentTexts(location: Pick<PromptLocation, 'text' | 'segments'>): string[] {
  return location.segments.map((s, i) => location.text.slice(s.textStart, location.segments[i + 1]?.textStart ?? location.text.length));
}

/** Splits `newText` into one piece per segment of the prompt (some empty), or undefined when the diff gives up. */
export function splitOverSegments(location: Pick<PromptLocation, 'text' | 'segments'>, newText: string): string[] | undefined {
  const old = segmentTexts(location);
  if (old.join('') !== location.text) return undefined;
  const atoms = location.segments.flatMap((s) => s.quoting.interpolations ?? []);
  const runs = diffRuns(
    old.flatMap((t) => tokenize(t, atoms)),
    tokenize(newText, atoms),
  );
  if (!runs) return undefined;
  const boundaries = location.segments.slice(1).map((s) => s.textStart);
  slideDeletions(runs, location.text, boundaries);
  const cuts = [0];
  for (const at of mapBoundaries(runs, boundaries, location.text, newText)) cuts.push(Math.max(cuts[cuts.length - 1], at));
  cuts.push(newText.length);
  const pieces = old.map((_, i) => newText.slice(cuts[i], cuts[i + 1]));
  // A literal left with whitespace only (the line break of a sentence that went) gives it to the literal before it, or else after it.
  for (let i = 0; i < pieces.length; i++) {
    if (pieces[i] === '' || pieces[i].trim() !== '' || old[i].trim() === '') continue;
    let before = i - 1;
    while (before >= 0 && pieces[before] === '') before--;
    let after = i + 1;
    while (after < pieces.length && pieces[after] === '') after++;
    if (before >= 0) pieces[before] += pieces[i];
    else if (after < pieces.length) pieces[after] = pieces[i] + pieces[after];
    else continue;
    pieces[i] = '';
  }
  return pieces;
}

/** What may go with a removed literal: the line break and indentation between literals, and JavaScript's `+`. */
const DROPPABLE_GAP = /^\s*\+?\s*$/;

/**
 * The edit that writes `newText` over the prompt's segments keeping their layout, or
 * undefined when the prompt has one segment, is not Python/JavaScript source, or the text
 * cannot be split. Throws `LiteralEncodeError` when a segment's form cannot hold its text
 * (as encodeLiteral does when no nearer form can).
 */
export function segmentedEdit(source: string, location: Pick<PromptLocation, 'text' | 'segments' | 'range' | 'dedent'>, newText: string): SegmentedEdit | undefined {
  const segments = location.segments;
  if (segments.length < 2 || location.dedent !== undefined || newText === '') return undefined;
  if (!segments.every((s) => (s.quoting.language === 'python' || s.quoting.language === 'javascript') && (s.quoting.style === 'string' || s.quoting.style === 'template'))) return undefined;
  const pieces = splitOverSegments(location, newText);
  if (!pieces) return undefined;
  const gaps = segments.slice(1).map((s, i) => source.slice(segments[i].range.end.offset, s.range.start.offset));
  // A literal whose text is unchanged is left as written (its escapes, line continuations; an empty one stays).
  const old = segmentTexts(location);
  const unchanged = pieces.map((p, i) => p === old[i]);
  // A literal left empty goes with its line: the gap after it when a literal is kept after it, else the gap before
  // it. Only when that gap is layout (a comment, a line continuation stay, and so does the literal, empty).
  const keep = pieces.map((p, i) => p !== '' || unchanged[i]);
  for (let i = segments.length - 1; i >= 0; i--) {
    if (keep[i]) continue;
    const dropped = keep.slice(i + 1).some(Boolean) ? gaps[i] : gaps[i - 1];
    keep[i] = dropped === undefined || !DROPPABLE_GAP.test(dropped);
  }
  if (!keep.some(Boolean)) return undefined;
  let text = '';
  let previous = -1;
  for (let i = 0; i < segments.length; i++) {
    if (!keep[i]) continue;
    if (previous >= 0) text += gaps[previous];
    text += unchanged[i] ? source.slice(segments[i].range.start.offset, segments[i].range.end.offset) : encodeSegment(pieces[i], segments[i]);
    previous = i;
  }
  return { start: location.range.start.offset, end: location.range.end.offset, text, literals: keep.filter(Boolean).length };
}

function encodeSegment(text: string, segment: LiteralSegment): string {
  return encodeLiteral(text, segment.quoting);
}

/**
 * A rewrite of a prompt of one literal as the smallest edit of its source: the text the rewrite keeps is written back as
 * it was written (its escapes, `\n` or a line break, `\u00e9` or é, line continuations), and only what changed is encoded
 * (Cinnamon/kotaemon's `QUESTION: {question}\n` before a line break became a line break and an empty line after a Compress
 * that removed nothing there, newuser40). The old and new decoded texts are diffed token by token (interpolations one token
 * each); a kept stretch is copied from the source when both its ends map to exact source positions (inside or at the edge
 * of a run of `runs`), else it is encoded with its neighbours. The edit covers only the source between the first and the
 * last difference. Undefined for several literals (segmentedEdit's work) or when the diff gives up; the caller checks the
 * result with the parser and falls back to writing the whole literal.
 *
 * `afterGaps` reads a YAML block scalar's lines as lines: a position where one run ends and the next begins maps to the
 * next run's start, past the source between them (the next line's indentation, and in a folded block `>` the blank line
 * that writes a line break), and the changed text is written with no indentation before its first line (it goes on
 * where the kept source stopped). The first reading keeps that source with the change, which drops it when the change
 * starts a line: a quick fix that removed "Please" at the start of a folded block's second paragraph took the blank line
 * and the indentation with it, the check refused the edit, and so did the whole-block rewrite (a folded block cannot
 * hold a line break), so no edit of such a block was ever applied (SWE-agent's tool docstrings, breaker42).
 */
export function minimalLiteralEdit(source: string, location: Pick<PromptLocation, 'text' | 'segments' | 'contentRange'>, newText: string, afterGaps = false): SegmentedEdit | undefined {
  if (location.segments.length !== 1 || newText === location.text) return undefined;
  const segment = location.segments[0];
  const old = location.text;
  const start = location.contentRange.start.offset;
  const end = location.contentRange.end.offset;
  if (segment.textStart !== 0 || end > source.length) return undefined;
  const atoms = segment.quoting.interpolations ?? [];
  const runs = diffRuns(tokenize(old, atoms), tokenize(newText, atoms));
  if (!runs) return undefined;
  // The source offset of a position between two characters of the old text, when it is exact.
  const exact = (p: number): number | undefined => {
    if (p === 0) return start;
    if (p === old.length) return end;
    let found: number | undefined;
    for (const [t, s, len] of segment.runs) {
      if (t <= p && p <= t + len) {
        found = s + (p - t);
        if (!afterGaps) return found;
      }
    }
    return found;
  };
  const encode = (fragment: string): string => (afterGaps ? encodeBlockFragment(fragment, segment) : encodeLiteralContent(fragment, segment.quoting));
  let text = '';
  let pending = '';
  for (const run of runs) {
    const from = run.same ? exact(run.o1) : undefined;
    const to = run.same ? exact(run.o2) : undefined;
    if (from === undefined || to === undefined || to < from) {
      pending += newText.slice(run.n1, run.n2);
      continue;
    }
    if (pending !== '') text += encode(pending);
    pending = '';
    text += source.slice(from, to);
  }
  if (pending !== '') text += encode(pending);
  // Only the source between the first and the last difference is replaced.
  const was = source.slice(start, end);
  let head = 0;
  while (head < was.length && head < text.length && was[head] === text[head]) head++;
  let tail = 0;
  while (tail < was.length - head && tail < text.length - head && was[was.length - 1 - tail] === text[text.length - 1 - tail]) tail++;
  return { start: start + head, end: end - tail, text: text.slice(head, text.length - tail), literals: 1 };
}

/**
 * Text changed inside a YAML block scalar, written where the kept source stopped (past a line's indentation): its first
 * line as it is, each later line with the block's indentation. A folded block (`>`) folds a line break into a space, so a
 * change holding one, or a more-indented line, is not written here (the whole-block rewrite says why it cannot be).
 */
function encodeBlockFragment(fragment: string, segment: LiteralSegment): string {
  const { quoting } = segment;
  if (quoting.style !== 'yamlBlockLiteral' && quoting.style !== 'yamlBlockFolded') return encodeLiteralContent(fragment, quoting);
  if (/[\r\n]/.test(fragment) && quoting.style === 'yamlBlockFolded') throw new LiteralEncodeError('A folded YAML block (>) joins its lines with spaces.');
  const indent = quoting.indent ?? '  ';
  return fragment
    .split('\n')
    .map((line, i) => (i === 0 || line.length === 0 ? line : indent + line))
    .join('\n');
}
