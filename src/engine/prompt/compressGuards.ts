/**
 * Checks and one sentence rule found by reading compressed fabric patterns as a user would
 * (read28, issue 12 items 2 and 7): a request phrase that stays before a verb that is no
 * imperative, a contraction that stays before an elided verb, an indefinite article that stays
 * after a preposition in a fragment, and, at the aggressive level, a meta sentence that only
 * asks to follow the instructions it closes.
 */
import type { CompiledPack } from '../../shared/prompt/languages';
import type { ProtectedSpan } from '../../shared/prompt/protected';
import type { TextUnit } from '../../shared/prompt/text';
import { NEGATED_BY } from './compressMask';
import type { EditPlan } from './compressPlan';

/** Whether `word` reads as a past tense or participle ("submitted", "got" is `finiteVerbs`'). */
function pastForm(word: string, pack: CompiledPack): boolean {
  return pack.participles.has(word) || pack.participleEndings.some((e) => word.length > e.length + 2 && word.endsWith(e));
}

/**
 * Whether a request phrase that ends with the addressee ("make sure you", "ensure that you"; `subjectPronouns`) must
 * stay before the words at `end`: its verb there is no imperative when it is finite (`finiteVerbs`), past, or a perfect
 * ("have not", "have made"; `perfectAuxiliaries`). "Check the content and ensure that you have not truncated it" became
 * "… and have not truncated it", and "do it 3 times to make sure you got them all" became "… to got them all".
 */
export function addresseeVerbStays(text: string, start: number, end: number, key: string, pack: CompiledPack): boolean {
  const pronoun = key.slice(key.lastIndexOf(' ') + 1);
  if (!pack.pack.subjectPronouns.some((p) => p.toLowerCase() === pronoun)) return false;
  if (addresseeClauseStays(text, start, end, pack)) return true;
  const next = /^[ \t]+([\p{L}'’]+)(?:[ \t]+([\p{L}'’]+))?/u.exec(text.slice(end, end + 60));
  if (!next) return false;
  const word = next[1].toLowerCase();
  // "have" is an imperative too ("make sure you have them on the schedule" → "have them…"), but not before "not" or a participle.
  const perfect = pack.perfectAuxiliaries.has(word) && next[2] !== undefined && (NEGATED_BY.test(next[2]) || pastForm(next[2].toLowerCase(), pack));
  return pack.finiteVerbs.has(word) || pastForm(word, pack) || perfect;
}

/**
 * Whether a request phrase that ends with the addressee must stay for the clause it is part of: after a verb that takes the
 * addressee (`addresseeKeepAfter`: "This will help ensure that you have a clear understanding" read "This will help have…"),
 * or when the rest of its sentence coordinates a second clause of the same request, a coordinator then a subordinator
 * ("… ensure that you have a clear understanding of the requirements and that your approach aligns with the user's needs"
 * read "… have a clear understanding of the requirements and that your approach aligns…": cline's system prompt, breaker49).
 */
function addresseeClauseStays(text: string, start: number, end: number, pack: CompiledPack): boolean {
  const before = /([\p{L}'’]+)[ \t]*$/u.exec(text.slice(Math.max(0, start - 24), start))?.[1]?.toLowerCase();
  if (before !== undefined && pack.addresseeKeepAfter.has(before)) return true;
  const rest = /^[^.!?\n]*/u.exec(text.slice(end, end + 400))?.[0] ?? '';
  const words = rest.toLowerCase().match(/[\p{L}'’]+/gu) ?? [];
  return words.some((w, i) => i > 0 && pack.coordinators.has(w) && pack.subordinators.has(words[i + 1] ?? ''));
}

/**
 * Whether a short form that drops the phrase's last word ("states that" → "states") stays: when one word and then the end
 * of the clause (a mark or the end of the line) follow, the dropped word is the verb's object, not a conjunction that
 * opens a clause ("unless the text states that directly" read "… states directly": graphiti's entity summary prompt,
 * newuser36). A clause after a conjunction has a subject and a verb, two words at least ("states that it applies").
 */
export function droppedObjectStays(text: string, end: number, phrase: string, replacement: string): boolean {
  const dropsLastWord = replacement !== '' && phrase.toLowerCase().startsWith(`${replacement.toLowerCase()} `);
  // (A lower-case word: a name after it is what the dropped word introduced, fabric's "a section called SUMMARY.".)
  return dropsLastWord && /^[ \t]+\p{Ll}[\p{L}'’-]*[ \t]*(?:[.,;:!?)\]]|\r?\n|$)/u.test(text.slice(end, end + 60));
}

/** Whether the contraction at [start, end) stays written out: the word after it (`contractionKeepBefore`) says a verb was elided. */
export function contractionStays(text: string, end: number, pack: CompiledPack): boolean {
  const next = /^[ \t]+([\p{L}'’]+)/u.exec(text.slice(end, end + 40))?.[1]?.toLowerCase();
  return next !== undefined && pack.contractionKeepBefore.has(next);
}

/**
 * Medium level: whether the article at `at`, in a fragment, stays: "a"/"an" after a preposition (`fragmentIndefiniteKeepAfter`).
 * A headline drops it after a verb ("Create a whiteboard" → "Create whiteboard"), but "Organize the analysis in a clear
 * format" read "… in clear format", and "explain it as a person to a friend" read "… as person to friend" (read28).
 */
export function indefiniteStays(text: string, at: number, pack: CompiledPack): boolean {
  const forms = pack.pack.indefiniteArticles;
  const article = /^[\p{L}]+/u.exec(text.slice(at, at + 4))?.[0]?.toLowerCase();
  if (!forms || (article !== forms.consonant.toLowerCase() && article !== forms.vowel.toLowerCase())) return false;
  const previous = /([\p{L}]+)[ \t]+$/u.exec(text.slice(Math.max(0, at - 30), at))?.[1]?.toLowerCase();
  return previous !== undefined && pack.fragmentIndefiniteKeepAfter.has(previous);
}

/** A unit's words without its list marker, emphasis and end mark, lower-cased: "- **Follow ALL these instructions**." → "follow all these instructions". */
function bareSentence(unit: TextUnit): string {
  return unit.text
    .replace(/^[ \t]*(?:[-*+•]|\d{1,3}[.)])[ \t]+/, '')
    .replace(/\*\*|__/g, '')
    .replace(/[ \t]*[.!]+[ \t]*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Aggressive level: units that only ask to follow the prompt's instructions ("Ensure you follow ALL these instructions
 * when creating your output."; `metaSentences`, after a lead the medium level drops anyway: "ensure you",
 * `imperativeLeads`, or a verbose phrase that goes whole, "make sure you"), after some other sentence. A sentence that
 * introduces something (it ends with ":") or names what to follow ("Follow these instructions for the SQL query.") is
 * no meta sentence.
 */
export function metaSentenceUnits(units: readonly TextUnit[], pack: CompiledPack): TextUnit[] {
  if (pack.metaSentences.size === 0) return [];
  const leads = [...pack.pack.imperativeLeads, ...[...pack.compressVerbose].filter(([, to]) => to === '').map(([from]) => from)].map((l) => `${l.toLowerCase()} `);
  // Only after an instruction it can close: a prompt that is nothing but "Ensure you follow ALL these instructions." keeps it.
  let instructions = false;
  return units.filter((unit) => {
    if (unit.kind !== 'sentence' && unit.kind !== 'listItem') return false;
    const bare = bareSentence(unit);
    const lead = leads.find((l) => bare.startsWith(l));
    const meta = pack.metaSentences.has(lead ? bare.slice(lead.length) : bare);
    if (!meta) instructions = true;
    return meta && instructions;
  });
}

/** Protected spans inside the units that go whole lose their protection (and retention item): the whole sentence goes. */
export function releaseUnits(spans: readonly ProtectedSpan[], units: readonly TextUnit[]): readonly ProtectedSpan[] {
  return units.length === 0 ? spans : spans.filter((s) => !units.some((u) => u.start <= s.start && s.end <= u.end));
}

/** Deletes the meta sentences; a unit that is its whole line goes with its line break. */
export function planMetaSentences(plan: EditPlan, text: string, units: readonly TextUnit[]): void {
  for (const unit of units) {
    const lineStart = text.lastIndexOf('\n', unit.start - 1) + 1;
    const lineEnd = text.indexOf('\n', unit.end);
    const wholeLine = text.slice(lineStart, unit.start).trim() === '' && text.slice(unit.end, lineEnd < 0 ? text.length : lineEnd).trim() === '';
    plan.deleteUnit(wholeLine && lineEnd >= 0 ? { ...unit, end: lineEnd + 1 } : unit, 'filler');
  }
}
