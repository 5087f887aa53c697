/**
 * Context checks on a matched pack phrase that the compressor and the analyzer's suggestions
 * share, so a quick fix in the editor and a compression make the same choice: whether a filler
 * word is part of a fixed expression ("would rather"), and which short form a quantity phrase
 * takes before the noun that follows it ("a lot of" → "many"/"much", or none).
 */
import type { CompiledPack } from './index';

/**
 * Whether one of the fixed expressions (the sticky `fillerFixed` pattern) covers more than
 * [start, end): it may open there ("rather than") or a few words before ("would rather"). The
 * pattern's own word-boundary check rejects a start inside a word, so trying each position is safe.
 */
export function inFixedExpression(text: string, start: number, end: number, fixed: RegExp | undefined): boolean {
  if (!fixed) return false;
  for (let at = start; at >= Math.max(0, start - 40); at--) {
    if (at < start && /[\p{L}\p{N}_]/u.test(text[at - 1] ?? '')) continue;
    fixed.lastIndex = at;
    const m = fixed.exec(text);
    // Strictly larger than the filler: "very much" keeps "very" (medium), but the filler "very much" itself may go (aggressive).
    if (m && at + m[0].length >= end && (at < start || at + m[0].length > end)) return true;
  }
  return false;
}

/**
 * Whether a filler phrase at [start, end) that is filler only as a sentence adverb (`adverbialFillers`:
 * es "de hecho", pt "de fato") must stay: it neither opens a clause (text or line start, or a
 * punctuation mark before it) nor follows a word of `adverbialHosts`, so it stands after a noun
 * as part of a term ("una pareja de hecho", "a união de fato", "el estado de hecho").
 */
export function adverbialFillerStays(pack: CompiledPack, text: string, start: number, end: number): boolean {
  if (!pack.adverbialFillers.has(text.slice(start, end).toLowerCase().replace(/\s+/g, ' '))) return false;
  const before = /([\p{L}\p{N}'’-]*)[ \t\u00a0]*$/u.exec(text.slice(Math.max(0, start - 40), start));
  const word = before?.[1] ?? '';
  if (word === '') return false;
  return !pack.adverbialHosts.has(word.toLowerCase());
}

/** The class (`quantityNouns`) of the word that follows `end`: 'plural', 'mass', a gender, or undefined when not known. */
function nounClass(text: string, end: number, pack: CompiledPack): string | undefined {
  const next = /^[ \t]+([\p{L}][\p{L}'’-]*)(?![\p{N}_])/u.exec(text.slice(end, end + 60));
  if (!next) return undefined;
  const word = next[1].toLowerCase();
  const own = pack.quantityWords.get(word);
  if (own !== undefined) return own || undefined;
  // At least two letters before the ending: "is", "us", "as" are no plurals.
  const ending = pack.quantityEndings.find(([e]) => word.length > e.length + 1 && word.endsWith(e));
  return ending?.[1] || undefined;
}

/**
 * A verbose lead that carries the sentence's subject ("your task is to", "it will be your job to"). The analyzer suggests
 * removing it only where it opens a sentence; the compressor keeps it after a coordinator, where the verb would take the
 * sentence's subject: "I will give you a text and your task is to summarize it" is not "I'll give you a text and summarize it".
 */
export const SUBJECT_PHRASE = /\b(?:your|sua|tua|tu|su)\s+(?:job|task|goal|role|tarefa|função|objetivo|papel|tarea|trabajo|función|rol)\b/iu;

/** Whether the phrase at `start` opens its sentence or follows a feminine participle, a 3rd-person future or a copula. */
function singularSubject(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  if (/(?:^|[.!?:\n])[ \t]*$/u.test(before)) return true;
  const word = /([\p{L}]+)[ \t]*$/u.exec(before)?.[1]?.toLowerCase();
  return word !== undefined && (/(?:ad|id)a$|á$/u.test(word) || ['é', 'es', 'foi', 'fue', 'era', 'existe', 'resta', 'queda', 'falta'].includes(word));
}

/**
 * For a quantity phrase (`quantities`, keyed lower-cased with single spaces) ending at `end`: the
 * short form for the noun after it, or null when that noun's class is not known (the phrase must
 * stay: "many detail" is worse than no change). Undefined when `key` is no quantity phrase.
 */
export function quantityForm(pack: CompiledPack, key: string, text: string, end: number, start = end - key.length): string | null | undefined {
  const forms = pack.quantities.get(key);
  if (!forms) return undefined;
  // es/pt: a singular phrase that is a subject ("Ser-lhe-á dada uma série de cenários", "Se te dará una serie de…",
  // "Uma série de perguntas será feita") agrees with its verb; "vários cenários" would need a plural one.
  if (Object.prototype.hasOwnProperty.call(forms, 'feminine') && singularSubject(text, start)) return null;
  const noun = nounClass(text, end, pack);
  return noun !== undefined && Object.prototype.hasOwnProperty.call(forms, noun) ? forms[noun] : null;
}

/**
 * Whether [start, end) is an item of a series of nouns ("Greetings, small talk, or thanks (…)",
 * "errors, thanks, and warnings"): a thing the prompt names, not its own courtesy, so it stays.
 * Either a coordinating word joins it to a series with an earlier comma on the same line, or it
 * sits between two commas; and it ends its item (a comma, bracket, colon, sentence end or line end
 * follows). "Answer the question, thanks." and "or thanks for your help" are courtesy and may go.
 */
export function seriesItem(text: string, start: number, end: number): boolean {
  // The line's last 200 characters: a search for the line's start on a 1 MB line was quadratic (break26).
  const window = text.slice(Math.max(0, start - 200), start);
  const before = window.slice(window.lastIndexOf('\n') + 1);
  const after = text.slice(end, end + 3);
  if (!/^[ \t]*(?:[,;:()[\]]|[.!?](?:\s|$)|\r?\n|$)/u.test(after)) return false;
  const coordinated = /,?[ \t]*\b(?:or|and|e|ou|y|o|u)[ \t]+$/iu.exec(before);
  if (coordinated) return before.slice(0, coordinated.index + (coordinated[0].startsWith(',') ? 0 : 1)).includes(',');
  return /,[ \t]*$/u.test(before) && /^[ \t]*,/u.test(after);
}

/**
 * Whether a "thank you"/"thanks" is a thing the prompt names, after a determiner or a verb of saying: "Write a thank you
 * response for the review" (mirascope's conditional_call example, held-out round 6), "Reply with a thank you", "Say thank
 * you to the user". Deleting it changed the task ("Write a response for the review", "Reply with a.").
 */
function namedThanks(text: string, start: number, end: number): boolean {
  if (!/^(?:thank you|thanks)$/i.test(text.slice(start, end))) return false;
  return /\b(?:a|an|the|this|that|your|our|my|their|his|her|its|say|says|said|saying)[ \t]+$/i.test(text.slice(Math.max(0, start - 8), start));
}

/**
 * Whether a politeness match must stay where it is: an item of a series (`seriesItem`), or a thanks
 * that takes a complement ("Thanks for your help!"): deleting the word alone leaves "For your help!".
 * The whole phrase is the ritual rule's to remove.
 */
export function politenessStays(text: string, start: number, end: number): boolean {
  if (courtesyRunEnd(text, start, end) !== end) return false;
  if (namedThanks(text, start, end)) return true;
  if (/^[ \t]+(?:for|in advance|por|pela|pelo|pelos|pelas|de antemano|antecipadamente|desde ya)\b/iu.test(text.slice(end, end + 20))) return true;
  return seriesItem(text, start, end);
}

/**
 * Where a courtesy said twice or more in a row ends ("please, please!", "por favor, por favor"): the end
 * of its last repetition, or `end` when it is said once. Such a run is no series of things the prompt
 * names, and goes as one phrase (the comma between the repetitions with it).
 */
export function courtesyRunEnd(text: string, start: number, end: number): number {
  // The pack may list the phrase with its comma ("por favor,"): the comma is the separator, not the phrase.
  const phrase = text.slice(start, end).toLowerCase().replace(/,$/u, '');
  let stop = start + phrase.length;
  for (;;) {
    const gap = /^,[ \t]*/u.exec(text.slice(stop, stop + 8))?.[0].length;
    if (gap === undefined || text.slice(stop + gap, stop + gap + phrase.length).toLowerCase() !== phrase) return stop > start + phrase.length ? stop : end;
    if (/[\p{L}\p{N}]/u.test(text.charAt(stop + gap + phrase.length))) return stop > start + phrase.length ? stop : end;
    stop += gap + phrase.length;
  }
}

/** A condition clause ("If the content was truncated and you need more, ") ending right before a position, in its sentence. */
const CONDITION_BEFORE = /(?:^|[.!?:;\n])\s*(?:[-*+•]\s+|\d{1,3}[.)]\s+)?(?:if|when|whenever|once|unless|in case|before|after)\b[^.!?;:\n]*,\s*$/i;

/**
 * Where the "to" of an infinitive right before a "note that" phrase starts, or -1: there the phrase is the
 * infinitive's verb, and alone it cannot go ("It's crucial to remember that the user is a child" was "It's crucial to
 * the user is a child", break30). With its "to" (a whole "it is important to" or "make sure to" dropped) it can.
 */
export function notedAfterTo(text: string, start: number, end: number): number {
  if (!/^(?:note that|keep in mind that|bear in mind that|remember that)$/i.test(text.slice(start, end).trim())) return -1;
  const to = /\bto[ \t]+$/i.exec(text.slice(Math.max(0, start - 8), start));
  return to ? start - to[0].length : -1;
}

/**
 * "Keep a note that the user might …": after an article, a possessive or "take", "note" is a noun (what to keep),
 * not the imperative; the phrase removed leaves "Keep a the user might …" (Perplexica's suggestion prompt, newuser32).
 */
export function notedAsNoun(text: string, start: number, end: number): boolean {
  if (!/^note that$/i.test(text.slice(start, end).trim())) return false;
  // Up to two words may describe the note: "Make a mental note that …", "Take careful note that …" (break32: they were left
  // as "Make a mental the answer is short.").
  return /(?:^|[^\p{L}])(?:a|an|the|this|one|my|your|his|her|its|our|their|no|any|take|takes|took|taking)(?:[ \t]+(?!(?:and|or|but|then|also|please|always)(?!\p{L}))\p{L}+){0,2}[ \t]*$/iu.test(text.slice(Math.max(0, start - 40), start));
}

/**
 * "If the content was truncated, note that the user can …": after a condition clause a "note that"
 * phrase is the main clause's verb (what to do then); without it the instruction becomes a
 * statement of fact (browser-use tools/service.py, newuser26). At a sentence start it stays filler.
 */
export function notedAfterCondition(text: string, start: number, end: number): boolean {
  if (!/^(?:please note that|note that|keep in mind that|bear in mind that|remember that)$/i.test(text.slice(start, end).trim())) return false;
  return CONDITION_BEFORE.test(text.slice(Math.max(0, start - 200), start));
}

/**
 * A filler word that bounds what the sentence asks for where it stands: "just"/"simply"/"merely"
 * right after a copula ("The purpose of this step is just to remove …" = "only to remove"), and
 * "obviously"/"clearly" right after a quantifier or a condition ("remove any obviously irrelevant information":
 * without it, any irrelevant information goes; gpt-researcher's "retain others unless clearly untrustworthy"). English only: open_deep_research's
 * compress-research prompt (held-out round 3, session 29) lost both at medium. And "fully"/"completely"/"entirely" after
 * "can"/"could"/"not" ("can fully answer", "does not fully cover"): a degree the rule depends on.
 */
export function restrictiveFiller(text: string, start: number, end: number): boolean {
  const word = text.slice(start, end).trim().toLowerCase();
  const previous = /([A-Za-z]+)[ \t]+$/.exec(text.slice(Math.max(0, start - 16), start))?.[1]?.toLowerCase();
  if (previous === undefined) return false;
  if ((word === 'just' || word === 'simply' || word === 'merely') && /^(?:is|are|was|were|be|been)$/.test(previous)) return true;
  // After an article or a degree word "just" is the adjective (fair): "a just cause", "the most just arbiter" (were "a
  // cause", "the most arbiter", break36).
  if (word === 'just' && /^(?:a|an|the|this|that|these|those|most|more|less|least|so|too)$/.test(previous)) return true;
  // "If it can fully answer the user query, set skipSearch to true" (Perplexica's classifier, newuser32): the degree is the
  // condition; "if it can answer" holds for a partial answer too.
  if ((word === 'fully' || word === 'completely' || word === 'entirely') && /^(?:can|cannot|could|not)$/.test(previous)) return true;
  return (word === 'obviously' || word === 'clearly') && /^(?:any|no|only|all|every|each|unless|if)$/.test(previous);
}
