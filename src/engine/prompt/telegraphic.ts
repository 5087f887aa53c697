/**
 * Compressor rules added for issue 12 (item 7), kept apart from the other phrase rules
 * (compressPhrases.ts): list spacing, fragments, demonstratives and heading case (medium),
 * copulas and auxiliaries (aggressive). Each planner proposes edits through the compressor's
 * edit plan (compressPlan.ts), which refuses any edit that touches a protected
 * span, so these rules never decide on their own what is safe.
 */
import type { RemovalKind } from '../../protocol/prompt';
import type { CompiledPack } from '../../shared/prompt/languages';
import type { UnitKind } from '../../shared/prompt/text';
import { sharedTokenizer } from '../../shared/prompt/tokenizer';

/** The part of the compressor's edit plan (compressPlan.ts) these rules use. */
export interface PlanView {
  tryEdit(kind: RemovalKind, start: number, end: number, replacement: string, soft?: boolean | 'unnegated'): boolean;
  tryExact(kind: RemovalKind, start: number, end: number, replacement: string, soft?: boolean | 'unnegated'): boolean;
  atSentenceStart(position: number): boolean;
}

/** A list item line: its indentation, its marker (a bullet or a number), then text. */
const LIST_LINE = /^([ \t]*)([-*+•]|\d{1,3}[.)])[ \t]+\S/;

/** Two list lines of the same list: the same indentation and the same kind of marker (bullets, or numbers). */
function sameList(a: RegExpExecArray, b: RegExpExecArray): boolean {
  const numbered = (marker: string) => /\d/.test(marker);
  return a[1] === b[1] && numbered(a[2]) === numbered(b[2]);
}

/**
 * Medium level: blank lines between two consecutive items of one list go ("- a\n\n- b" → "- a\n- b").
 * The items, their markers and their indentation stay; only the empty lines between go. The
 * blank lines cost no tokens in o200k ("\n\n" is one token, like "\n"), but they cost characters
 * and an editor's screen.
 */
export function planListSpacing(plan: PlanView, text: string): void {
  const blank = /\n(?:[ \t]*\n)+/g;
  let m: RegExpExecArray | null;
  while ((m = blank.exec(text)) !== null) {
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    const previous = text.slice(lineStart, m.index);
    const nextEnd = text.indexOf('\n', m.index + m[0].length);
    const next = text.slice(m.index + m[0].length, nextEnd === -1 ? text.length : nextEnd);
    const before = LIST_LINE.exec(previous);
    const after = LIST_LINE.exec(next);
    // "- sub-item\n\n4. Next step" keeps its blank line: the blank line ends the sub-list.
    if (!before || !after || !sameList(before, after)) continue;
    // Keep the first newline (it ends the item); the empty lines after it go.
    plan.tryExact('whitespace', m.index + 1, m.index + m[0].length, '', true);
  }
}

/** How far back a list item's line start is looked for; a farther one counts as prose (its articles stay). */
const LINE_REACH = 2000;

/** Units whose text is a fragment by convention. */
const FRAGMENT_UNITS: ReadonlySet<UnitKind> = new Set(['listItem', 'heading', 'label']);

/**
 * Whether `position` lies in text that is a fragment by convention (medium-level article cuts):
 * a heading, a label, or any sentence of a list item (its own line starts with a list marker,
 * so "1. Read the file. Study the input." counts whole). Prose sentences are not fragments.
 */
export function inFragment(text: string, position: number, kind: UnitKind | undefined): boolean {
  if (kind !== undefined && FRAGMENT_UNITS.has(kind)) return true;
  if (kind !== 'sentence') return false;
  // The line start, looked for at most LINE_REACH characters back (one long line of 1 MB must not make this quadratic).
  const stop = Math.max(-1, position - 1 - LINE_REACH);
  let i = position - 1;
  while (i > stop && text[i] !== '\n') i--;
  if (i === stop && stop >= 0) return false;
  // Only the line's first characters decide (its marker), so only they are sliced.
  return LIST_LINE.test(text.slice(i + 1, Math.min(position + 1, i + 41)));
}

/** A list marker and a label ("- ", "1. ", "CRITICAL: ") before a unit's text. */
const UNIT_LEAD = /^[ \t]*(?:(?:[-*+•]|\d{1,3}[.)])[ \t]+)?(?:[\p{L}][\p{L}\p{N} _-]{0,40}:[ \t]+)?/u;

/**
 * Whether a list item's or a label's sentence is a full sentence, not a fragment: five words at
 * least, one of them opening a subordinate clause (`subordinators`: "when", "if", "that"; es
 * "cuando", "que"; pt "quando", "que") or a finite verb after the first word (`finiteVerbs`). "CRITICAL: Only mark a step as completed when the result
 * is visible in the history." keeps its articles at medium (without them it read "Only mark step as
 * completed when result is visible in history."); "- Read the file." is still a fragment.
 */
export function fullSentence(unitText: string, pack: CompiledPack): boolean {
  const lead = UNIT_LEAD.exec(unitText)?.[0] ?? '';
  // A label that is itself a clause, its subject and a finite verb before the colon: "The original user action was:
  // ${…}." (stagehand's act instruction; medium gave "Original user action was: …", session 35). "Output format:" is a name.
  const label = /^[ \t]*(?:(?:[-*+•]|\d{1,3}[.)])[ \t]+)?([^:]*):/u.exec(lead)?.[1];
  const labelWords = (label?.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).map((w) => w.toLowerCase());
  // "We have provided an existing answer: {existing_answer}" (LangChain's refine prompt) opens with its subject pronoun.
  if (labelWords.length >= 3 && (labelWords.some((w, i) => i > 0 && pack.finiteVerbs.has(w)) || (pack.pack.code === 'en' && pronounSubject(labelWords[0], labelWords[1])))) return true;
  const body = unitText.slice(lead.length);
  const words = (body.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? []).map((w) => w.toLowerCase());
  // A finite verb after the first word (`finiteVerbs`) has a subject before it: "- The goal of this exercise is to produce
  // a concise description" is a sentence (read28: medium left "Goal of this exercise is to produce concise description"),
  // "- Do not use bold" (its verb first, an imperative) is not.
  // A pronoun subject and its verb: "- It owns a workload" (deer-flow, newuser34: medium gave "- It owns workload"), "- They
  // run in parallel". English subject pronouns, first in the item; "it"/"he"/"she" with a verb in -s.
  if (pack.pack.code === 'en' && words.length >= 3 && pronounSubject(words[0] ?? '', words[1] ?? '')) return true;
  // A subject and its verb in one contracted word: "Follow-up question: What's the current stock price of Apple?" (page-assist's
  // web search follow-up prompt, an example's question; medium gave "What's current stock price of Apple?", newuser51),
  // "- It's the last step", "- There's a limit".
  if (pack.pack.code === 'en' && words.length >= 3 && words.some((w) => CONTRACTED_SUBJECT_VERB.test(w))) return true;
  if (words.length < 5) return false;
  if (words.some((w, i) => pack.subordinators.has(w) || (i > 0 && pack.finiteVerbs.has(w)))) return true;
  // A gerund subject and a verb in the third person after it: "- Keeping a justified sequential command chain in one isolated
  // context reduces coordination cost" (deer-flow's bash subagent; medium gave "Keeping justified sequential command
  // chain…", newuser34). A word in -s after one that is no determiner or preposition counts as that verb; a plural noun taken
  // for one only keeps the item's articles.
  return /ing$/.test(words[0] ?? '') && words.some((w, i) => i >= 2 && /[^su'’]s$/.test(w) && !NOT_BEFORE_VERB.has(words[i - 1] ?? '') && !pack.fragmentIndefiniteKeepAfter.has(words[i - 1] ?? ''));
}

/** A subject and a contracted verb: "what's", "it's", "there's", "you're", "we've", "I'm" (no possessive: "whose" is spelt apart). */
const CONTRACTED_SUBJECT_VERB = /^(?:what|who|where|when|how|why|it|that|there|here|he|she|i|we|you|they)['’](?:s|re|m|ll|ve|d)$/;

/** English subject pronouns whose verb takes -s in the present ("it owns"), and those whose verb does not ("they own"). */
const SINGULAR_SUBJECTS: ReadonlySet<string> = new Set(['it', 'he', 'she']);
const PLURAL_SUBJECTS: ReadonlySet<string> = new Set(['i', 'we', 'they', 'you']);

/**
 * Whether the item opens with a subject pronoun and a verb: "it owns", "she writes" (a word in -s, not "-ss"/"-us"), "they
 * own", "you keep" (any word but a determiner or preposition: "we the people" is none).
 */
function pronounSubject(first: string, second: string): boolean {
  if (SINGULAR_SUBJECTS.has(first)) return /[^su'’]s$/.test(second) && !NOT_BEFORE_VERB.has(second);
  return PLURAL_SUBJECTS.has(first) && /^\p{Ll}+$/u.test(second) && !NOT_BEFORE_VERB.has(second);
}

/**
 * English plurals without an -s, for "the following X" → "these X" (only English defines demonstratives): "these criteria",
 * not "this criteria" (stagehand's extraction prompt, session 35). "data" and "media" read as singular as often: left out.
 */
const IRREGULAR_PLURALS: ReadonlySet<string> = new Set(['criteria', 'phenomena', 'people', 'children', 'men', 'women', 'feet', 'teeth', 'mice', 'geese']);

/** Words after which a word in -s is a noun ("the results", "two files"), not a verb. */
const NOT_BEFORE_VERB: ReadonlySet<string> = new Set(['a', 'an', 'the', 'this', 'these', 'those', 'its', 'their', 'your', 'our', 'my', 'his', 'her', 'all', 'some', 'many', 'any', 'each', 'every', 'more', 'most', 'few', 'several', 'no', 'of', 'and', 'or']);

/**
 * Aggressive level, telegraphic style: a copula between a noun and its complement goes ("the
 * argument is clear" → "argument clear"). Only "is"/"are"-like words the pack lists
 * (`copulas`), only between two lower-case words, never after a pronoun or a question word
 * (`copulaKeepAfter`: "it is", "what is") nor before a word that needs it (`copulaKeepBefore`:
 * "is not", "is to", "are the"), and only before a complement that looks like an adjective or a
 * participle (`copulaComplementEndings`: "is structured", "are optional"), so "my keywords are
 * api,test" keeps its verb.
 */
export function planCopulas(plan: PlanView, text: string, pack: CompiledPack): void {
  const pattern = pack.copulas;
  // Stryker disable next-line ConditionalExpression: equivalent, with no copulas the pattern is undefined and nothing matches
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (!/^\p{Ll}/u.test(m[0])) continue;
    const end = m.index + m[0].length;
    const previous = /([\p{L}][\p{L}'’-]*)[ \t]+$/u.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[1];
    const next = /^[ \t]+([\p{L}][\p{L}'’-]*)/u.exec(text.slice(end, end + 40))?.[1];
    if (!previous || !next || !/^\p{Ll}/u.test(previous) || !/^\p{Ll}/u.test(next)) continue;
    const word = next.toLowerCase();
    if (pack.copulaKeepAfter.has(previous.toLowerCase()) || pack.copulaKeepBefore.has(word)) continue;
    if (!pack.copulaComplementEndings.some((e) => word.length > e.length + 2 && word.endsWith(e))) continue;
    plan.tryEdit('filler', m.index, end, '', true);
  }
  pattern.lastIndex = 0;
}

/**
 * Medium level: "the following X" → "this X" or "these X" (one token instead of two). Only where
 * a lower-case one-word noun follows: "the following:" and "the following is" stay (a pronoun, not a
 * determiner), and so does "the following key points" (`demonstrativeNounEnds`). The noun's number
 * decides: a final "s" (not "ss", "us", "is") reads as plural.
 */
export function planDemonstratives(plan: PlanView, text: string, pack: CompiledPack): void {
  const pattern = pack.demonstrativesPattern;
  // Stryker disable next-line ConditionalExpression: equivalent, only en defines demonstratives
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const after = /^[ \t]+(\p{Ll}[\p{L}'’-]*)([ \t]+(\p{L}+)|[ \t]*(?:[.,:;!?)]|\n|$))/u.exec(text.slice(end, end + 60));
    const next = after?.[1];
    const forms = pack.demonstratives.get(m[0].toLowerCase().replace(/\s+/g, ' '));
    if (!next || !forms || pack.articleKeepAfter.has(next.toLowerCase())) continue;
    // The noun must be the one word before punctuation or a word that ends the noun phrase: "the following key points" stays.
    if (after[3] !== undefined && !pack.demonstrativeNounEnds.has(after[3].toLowerCase())) continue;
    const plural = (/s$/u.test(next) && !/(?:ss|us|is)$/u.test(next)) || IRREGULAR_PLURALS.has(next.toLowerCase());
    plan.tryEdit('verbosePhrase', m.index, end, plural ? forms[1] : forms[0], true);
  }
  pattern.lastIndex = 0;
}

/**
 * Aggressive level, telegraphic style: a future auxiliary goes with its subject kept ("I will
 * type" → "I type", "you'll reply" → "you reply"), only before a lower-case verb that is not a
 * blocker ("you will be given", "you will not" keep theirs).
 */
export function planAuxiliaries(plan: PlanView, text: string, pack: CompiledPack): void {
  const pattern = pack.auxiliariesPattern;
  // Stryker disable next-line ConditionalExpression: equivalent, only en defines auxiliaries
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = /^[ \t]+(\p{Ll}[\p{L}'’-]*)/u.exec(text.slice(end, end + 40))?.[1];
    const subject = pack.auxiliaries.get(m[0].toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'"));
    if (!next || subject === undefined || pack.imperativeBlockers.has(next.toLowerCase())) continue;
    // The subject keeps its case ("You will" → "You", "I will" → "I").
    plan.tryExact('filler', m.index, end, /^\p{Lu}/u.test(m[0]) && subject !== 'I' ? subject[0].toUpperCase() + subject.slice(1) : subject, true);
  }
  pattern.lastIndex = 0;
}

/** A markdown heading line: its marker ("# ", "## "), then its text. */
const HEADING_LINE = /^([ \t]*#{1,6}[ \t]+)([^\n]+)$/gm;
/** A word in capitals, two letters at least ("STEPS"; not "I"), not part of a hyphenated or numbered word ("GPT-4"). */
const CAPS_WORD = /(?<![\p{L}\p{N}_'’-])\p{Lu}{2,}(?![\p{L}\p{N}_'’-])/gu;

/** o200k tokens of a short text (the heading-case rule compares a word's two spellings), cached. */
const wordTokens = new Map<string, number>();
function o200kTokens(text: string): number {
  let n = wordTokens.get(text);
  if (n === undefined) {
    n = sharedTokenizer().countWithEncoding(text, 'o200k_base');
    // Only heading words reach here; the bound keeps a long-running host from growing it without end.
    if (wordTokens.size < 10_000) wordTokens.set(text, n);
  }
  return n;
}

/** One word of a section heading to write in normal case. */
export interface HeadingFold {
  start: number;
  end: number;
  replacement: string;
}

/**
 * Medium level: the capitalised words of the prompt's own section headings in normal case
 * ("# IDENTITY and PURPOSE" → "# Identity and purpose", "# STEPS" → "# Steps"), where that
 * takes fewer o200k tokens (" STEPS" is 2, " Steps" 1): a heading is folded when its words save
 * a token together, a word that would cost more stays, and "# OUTPUT" (one token either way)
 * stays. Capitals in a heading are emphasis, like the bold markers medium drops (markdownEmphasis).
 * Only markdown heading lines, and only headings whose capitalised words are all section
 * words of the pack (`sectionHeadingWords`), so an acronym ("API") never folds; a heading of an
 * output template ("# OVERVIEW", "# HOW TO USE IT") keeps its capitals, because the model copies
 * it. The first word of the heading keeps its capital letter. The capitals of a heading are
 * typography, not a name: the same word elsewhere in the prompt ("follow the STEPS below")
 * stays as written.
 */
export function headingFolds(text: string, pack: CompiledPack, tokens: (text: string) => number = o200kTokens): HeadingFold[] {
  // Stryker disable next-line ConditionalExpression: equivalent, with no section words no heading qualifies below (a shortcut)
  if (pack.sectionHeadingWords.size === 0) return [];
  const folds: HeadingFold[] = [];
  HEADING_LINE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HEADING_LINE.exec(text)) !== null) {
    const bodyStart = m.index + m[1].length;
    const words = [...m[2].matchAll(CAPS_WORD)];
    if (words.length === 0 || !words.every((w) => pack.sectionHeadingWords.has(w[0].toLowerCase()))) continue;
    const firstWord = /[\p{L}\p{N}]/u.exec(m[2])?.index;
    const line: HeadingFold[] = [];
    let saved = 0;
    for (const w of words) {
      const lower = w[0].toLowerCase();
      const folded = w.index === firstWord ? lower[0].toUpperCase() + lower.slice(1) : lower;
      const gain = tokens(` ${w[0]}`) - tokens(` ${folded}`);
      // A word that would cost more stays; one that costs the same folds with the rest ("# Output instructions", not "# OUTPUT instructions").
      if (gain < 0) continue;
      saved += gain;
      line.push({ start: bodyStart + w.index, end: bodyStart + w.index + w[0].length, replacement: folded });
    }
    // A heading that saves nothing ("# OUTPUT", one token either way) keeps its capitals.
    if (saved > 0) folds.push(...line);
  }
  HEADING_LINE.lastIndex = 0;
  return folds;
}

/** Plans the heading folds of `headingFolds` (their name spans were released by the caller). */
export function planHeadingCase(plan: PlanView, folds: readonly HeadingFold[]): void {
  for (const f of folds) plan.tryExact('verbosePhrase', f.start, f.end, f.replacement, true);
}

/** The present (third person) of a Portuguese-style infinitive, or undefined when the pack cannot form it. */
export function presentOf(infinitive: string, pack: CompiledPack): string | undefined {
  const verb = infinitive.toLowerCase();
  const listed = pack.presentForms.get(verb);
  if (listed !== undefined) return listed;
  // Stryker disable next-line ConditionalExpression: equivalent, the endings are sorted longest first, so the first match is the one meant
  // A whole verb may be an ending ("fazer", "sair"); a two-letter ending needs a stem of two letters ("ir" alone is no regular verb).
  const ending = pack.presentEndings.find(([from]) => verb.endsWith(from) && (from.length >= 3 || verb.length > from.length + 1));
  return ending ? verb.slice(0, verb.length - ending[0].length) + ending[1] : undefined;
}

/**
 * Whether the rest of the sentence after `from` holds a coordinated infinitive ("irá criar conteúdos … e interagir com
 * os seguidores"): the auxiliary may govern it too, and "cria … e interagir" would not read, so the auxiliary stays.
 */
function coordinatedInfinitive(text: string, from: number, pack: CompiledPack): boolean {
  const rest = /^[^.!?;:\n]*/.exec(text.slice(from, from + 400))?.[0] ?? '';
  const pattern = /(?<![\p{L}\p{N}_'’-])(\p{Ll}+)[ \t]+(\p{Ll}+r)(?![\p{L}\p{N}_'’-])/gu;
  for (let m = pattern.exec(rest); m !== null; m = pattern.exec(rest)) {
    if (pack.coordinators.has(m[1]) && presentOf(m[2], pack) !== undefined) return true;
  }
  return false;
}

/**
 * Aggressive level, telegraphic style (pt): a third-person future auxiliary and its infinitive
 * become the present ("e você vai usar" → "e você usa", "irá criar" → "cria"), as "you will
 * reply" becomes "you reply" in English. Only before a lower-case infinitive that the pack can
 * conjugate (`presentOf`), not before a blocker ("vai ser", "vai me sugerir", "vai para casa"), not before a
 * hyphenated clitic ("vai fazê-lo"), and never after a negation (the mask locks "não vai").
 */
export function planFutureAuxiliaries(plan: PlanView, text: string, pack: CompiledPack): void {
  const pattern = pack.futureAuxiliaries;
  // Stryker disable next-line ConditionalExpression: equivalent, only pt defines future auxiliaries
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    if (!/^\p{Ll}/u.test(m[0])) continue;
    const end = m.index + m[0].length;
    const next = /^([ \t]+)(\p{Ll}+)(?![\p{L}\p{N}_'’-])/u.exec(text.slice(end, end + 40));
    if (!next || pack.imperativeBlockers.has(next[2]) || pack.futureBlockers.has(next[2])) continue;
    const present = presentOf(next[2], pack);
    if (present === undefined || coordinatedInfinitive(text, end + next[0].length, pack)) continue;
    plan.tryExact('filler', m.index, end + next[0].length, present, true);
  }
  pattern.lastIndex = 0;
}
