/**
 * Rule planners that delete whole sentences (units): an exact or near-duplicate repeat of an
 * earlier sentence, and a generic role sentence ("You are a helpful assistant.") that a more
 * specific role sentence follows. They run before the phrase rules, so a sentence that goes
 * whole is not also trimmed word by word.
 */
import { sentenceWords } from '../../shared/prompt/analyzer';
import { matchesAny, type CompiledPack } from '../../shared/prompt/languages';
import { spansWithin, type ProtectedSpan } from '../../shared/prompt/protected';
import { normalizeWhitespace } from '../../shared/prompt/spans';
import { fieldsOfRecords, notesOnDifferentBlocks, onlyUnitOfSection, subItemsOfDifferentParents, templateBoundaries, templateScope, words, type TextUnit } from '../../shared/prompt/text';
import type { EditPlan } from './compressPlan';

/** Drops trailing spaces and punctuation in linear time (a `[…]+$` pattern backtracks quadratically on long runs). */
function trimTrailingPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s.!?;:,…]/u.test(text[end - 1])) end--;
  return text.slice(0, end);
}

function unitKey(unit: TextUnit, protectedUnit: boolean): string {
  const normalized = trimTrailingPunctuation(normalizeWhitespace(unit.text));
  return protectedUnit ? normalized : normalized.toLowerCase();
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** A unit made of XML-style tags and nothing else. */
const TAGS_ONLY = /^\s*(?:<\/?[A-Za-z][^<>\n]{0,300}>\s*)+$/;

/** Units over which near-duplicate detection (quadratic) still runs. */
const NEAR_DUPLICATE_LIMIT = 1000;

const roleKey = (unit: TextUnit) => (unit.text.length > 300 ? '' : trimTrailingPunctuation(normalizeWhitespace(unit.text)).toLowerCase());

/** Drops a generic role sentence ("You are a helpful assistant.") when a more specific role sentence follows it. */
export function planGenericRoles(plan: EditPlan, units: readonly TextUnit[], pack: CompiledPack): void {
  if (pack.genericRoles.size === 0) return;
  for (let i = 0; i < units.length; i++) {
    const unit = units[i];
    if (unit.kind === 'code' || unit.kind === 'structured' || unit.kind === 'heading' || !pack.genericRoles.has(roleKey(unit))) continue;
    const specific = units.slice(i + 1, i + 6).some((u) => u.kind !== 'code' && u.kind !== 'structured' && !pack.genericRoles.has(roleKey(u)) && matchesAny(pack.role, u.text.slice(0, 40)));
    if (specific) plan.deleteUnit(unit, 'filler');
  }
}

/** A list item's marker at the start of a line ("- ", "* ", "3. ", "2) "). */
const LIST_MARKER = /^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+/;

/** The line around [start, end) of `text`: its start offset and its text. */
function lineAround(text: string, start: number, end: number): { start: number; text: string } {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const next = text.indexOf('\n', end);
  return { start: lineStart, text: text.slice(lineStart, next < 0 ? text.length : next) };
}

/**
 * Whether a repeated sentence is one instruction of a longer list item, not the whole item: "3. Provide evidence that
 * the claim is false. Provide references for each." repeats item 2's "Provide references for each." for item 3, and
 * each fabric section item ends "Give this in a set of 15-word bullets." for its own section. Dropping it takes the
 * instruction from that item (read28: create_design_document's third table lost its column list). A whole item
 * repeated ("- Do not use bold.", twice) still goes, and so does a repeat on the line of its earlier twin.
 */
function instructionOfItem(text: string, unit: TextUnit, twin: TextUnit): boolean {
  const line = lineAround(text, unit.start, unit.end);
  const marker = LIST_MARKER.exec(line.text);
  if (!marker || twin.start >= line.start) return false;
  const rest = (line.text.slice(0, unit.start - line.start) + line.text.slice(unit.end - line.start)).slice(marker[0].length);
  return /[\p{L}\p{N}]/u.test(rest);
}

/** A column of one or two words a line ("spontaneous\nbranches\nembargo"): data, no sentence another can repeat. */
function wordColumn(unit: TextUnit): boolean {
  const lines = unit.text.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 1 && lines.every((l) => (l.match(/[\p{L}\p{N}]+/gu) ?? []).length <= 2);
}

const WORD = /[\p{L}\p{N}_](?:[\p{L}\p{N}_'’-]*[\p{L}\p{N}_])?/gu;

/**
 * Every level: a run of one to three words typed twice in a row, opening with a function word (`doubledWordStarts`),
 * loses its second copy with the space before it — "the `id` attribute of the of the opening" (stackblitz/bolt.new's
 * system prompt) reads "of the opening". Only spaces may stand between the words (a comma, a line break or a quote
 * makes it a deliberate repeat), and protected text is not touched (the plan's mask).
 */
export function planDoubledWords(plan: EditPlan, text: string, pack: CompiledPack): void {
  const starts = pack.doubledWordStarts;
  if (starts.size === 0) return;
  const found: Array<{ start: number; end: number; word: string }> = [];
  for (const m of text.matchAll(WORD)) found.push({ start: m.index, end: m.index + m[0].length, word: m[0] });
  const spaced = (k: number) => /^[ \t]+$/.test(text.slice(found[k].end, found[k + 1].start));
  // The same word, or the first copy capitalized at a sentence start ("The the report"). Case otherwise tells a slip from
  // a letter: "colunas (A a L)", "de la A a la D" (a range of letters) keep both.
  const opensSentence = (k: number) => /(?:^|[.!?:\n]\s*)$/.test(text.slice(Math.max(0, found[k].start - 3), found[k].start));
  const same = (k: number, twin: number) =>
    found[k].word === found[twin].word || (found[k].word === found[twin].word.charAt(0).toUpperCase() + found[twin].word.slice(1) && opensSentence(k));
  for (let i = 0; i < found.length; i++) {
    if (!starts.has(found[i].word.toLowerCase())) continue;
    for (let n = 3; n >= 1; n--) {
      if (i + 2 * n > found.length) continue;
      // A single letter is no slip when doubled: "a a" is as likely two labels as a typo.
      if (n === 1 && found[i].word.length === 1) continue;
      let doubled = true;
      for (let k = 0; k < n && doubled; k++) doubled = same(i + k, i + n + k);
      for (let k = i; k < i + 2 * n - 1 && doubled; k++) doubled = spaced(k);
      if (!doubled) continue;
      if (plan.tryExact('repetition', found[i + n - 1].end, found[i + 2 * n - 1].end, '')) {
        i += 2 * n - 1;
        break;
      }
    }
  }
}

export function planRepetition(plan: EditPlan, text: string, units: readonly TextUnit[], spans: readonly ProtectedSpan[], nearDuplicates: boolean): void {
  const seen = new Map<string, TextUnit>();
  const prose = units.filter((u) => u.kind !== 'heading');
  const spansIn = (unit: TextUnit) => spansWithin(spans, unit.start, unit.end);
  const earlier: Array<{ unit: TextUnit; words: Set<string>; scope: number }> = [];
  // Only a copy in the same stretch of a template repeats: the two branches of an if may hold the same sentence.
  const boundaries = templateBoundaries(text);
  const indexOf = new Map(units.map((u, i) => [u, i]));
  // (So is a sub-item under each of two different items, subItemsOfDifferentParents, and a field of two example records, fieldsOfRecords.)
  // (And a repeat that is its section's only rule stays: onlyUnitOfSection.)
  const records = fieldsOfRecords(text);
  const notes = (u: TextUnit, twin: TextUnit): boolean =>
    notesOnDifferentBlocks(units, indexOf.get(u) ?? -1, indexOf.get(twin) ?? -1) || subItemsOfDifferentParents(text, u, twin) || records(u, twin) || onlyUnitOfSection(units, indexOf.get(u) ?? -1);
  for (const unit of prose) {
    const scope = templateScope(boundaries, unit.start);
    // A line of tags only (<EXAMPLE>, </EXAMPLE>) is structure, not a sentence: every repeated section keeps its own.
    if (TAGS_ONLY.test(unit.text)) continue;
    const inner = spansIn(unit);
    const protectedUnit = inner.length > 0;
    const plain = unitKey(unit, protectedUnit);
    // Only real sentences repeat (the analyzer's count of sentence words): never code or data, so each few-shot example
    // keeps its own block, path line and fence (aider's edit examples repeat "mathweb/flask/app.py" and "{fence[0]}python"
    // before each block) and its data lines (mem0's each hold "- Retrieved facts: [\"Name is John\"]"); never a list
    // marker or a fragment of one or two words.
    if (plain.length === 0 || sentenceWords(unit) < 3 || !/\p{L}/u.test(plain)) continue;
    const key = `${scope}\u0000${plain}`;
    const twin = seen.get(key);
    if (twin) {
      if (!instructionOfItem(text, unit, twin) && !notes(unit, twin)) plan.deleteUnit(unit);
      continue;
    }
    seen.set(key, unit);
    if (nearDuplicates && prose.length <= NEAR_DUPLICATE_LIMIT) {
      const set = new Set(words(unit.text));
      // A column of single words (an input-format example) is data: the example output that lists them stays (read28).
      if (set.size >= 5 && !wordColumn(unit)) {
        const near = earlier.find((e) => e.scope === scope && jaccard(e.words, set) >= 0.85 && inner.every((s) => e.unit.text.includes(s.text)));
        if (near) {
          if (!instructionOfItem(text, unit, near.unit) && !notes(unit, near.unit)) plan.deleteUnit(unit);
          continue;
        }
        earlier.push({ unit, words: set, scope });
      }
    }
  }
}
