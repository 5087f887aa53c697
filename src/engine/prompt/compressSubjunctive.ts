/**
 * Spanish and Portuguese requests worded as "I want you to …" with the addressee's subjunctive
 * ("Quiero que expliques…", "Gostaria que actuasse como…"): the lead and its verb become the
 * imperative ("Explica…", "Atue como…"). Planners called from `planPhrases` (compressPhrases.ts).
 */
import type { CompiledPack } from '../../shared/prompt/languages';
import { NEGATED_BY } from './compressMask';
import type { EditPlan } from './compressPlan';
import { regularImperative } from './imperativeForms';

const phraseKey = (m: string) => m.toLowerCase().replace(/\s+/g, ' ');

/** A relative "que" just before a request phrase, with the speaker's pronoun between them: "lo que (yo) ", "o que (eu) ". */
const RELATIVE_BEFORE = /(?<![\p{L}\p{N}_'’-])que[ \t]+(?:(?:yo|eu)[ \t]+)?$/iu;

/** Whether the phrase at `start` is a "… que …" request inside a relative clause ("Lo que quiero que uses es…"): no request. */
export function inRelativeClause(text: string, start: number, phrase: string): boolean {
  return /(?<![\p{L}\p{N}_'’-])que(?![\p{L}\p{N}_'’-])/iu.test(phrase) && RELATIVE_BEFORE.test(text.slice(Math.max(0, start - 12), start));
}

/**
 * Whether the lead at [start, end) follows a subordinator ("si", "cuando", "se") or a negation ("tampoco", "nem": what is
 * denied is no request), or stands in a question ("¿…?", "…?").
 */
export function inSubordinateOrQuestion(text: string, start: number, end: number, pack: CompiledPack): boolean {
  const before = /[^.!?;:\n]*$/.exec(text.slice(Math.max(0, start - 300), start))?.[0] ?? '';
  const previous = /(\p{L}+)[ \t]+$/u.exec(before)?.[1]?.toLowerCase();
  if (previous !== undefined && (pack.subordinators.has(previous) || NEGATED_BY.test(previous))) return true;
  const after = /^[^.!?\n]*[.!?]?/.exec(text.slice(end, end + 300))?.[0] ?? '';
  return before.includes('¿') || after.endsWith('?');
}

/**
 * Medium level (es, pt): a phrase that governs the addressee's subjunctive and that verb become the
 * imperative ("Es importante que incluyas ejemplos" → "Incluye ejemplos", "Gostaria que você me
 * ajudasse" → "Me ajude"). With no known verb after it ("Es importante que el texto sea breve") the
 * phrase stays whole: the shorter rules (politeness "gostaria que você", a dropped pronoun) must not cut it.
 */
export function planSubjunctiveLeads(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.subjunctiveLeadsPattern;
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    // In a relative clause it is no request ("Lo que quiero que hagas es resumir…", "O que eu quero que você faça é…"):
    // the phrase stays whole ("Lo que haz es resumir…" was left).
    if (inRelativeClause(text, m.index, m[0])) {
      plan.tryEdit('verbosePhrase', m.index, end, m[0], true);
      continue;
    }
    // After a subordinator or inside a question it is no request either: "Si quiero que juegues, te lo diré", "Se quero que
    // organizes algo, aviso-te", "¿Sabes por qué quiero que respondas?" ("Si juega, te lo diré" was left).
    if (inSubordinateOrQuestion(text, m.index, end, pack)) {
      plan.tryEdit('verbosePhrase', m.index, end, m[0], true);
      continue;
    }
    const next = /^[ \t]+((?:(?:me|te|nos)[ \t]+)?\p{Ll}+)(?![\p{L}\p{N}_'’-])/u.exec(text.slice(end, end + 60));
    const imperative = next ? (pack.imperatives.get(phraseKey(next[1])) ?? regularImperative(pack, m[0], next[1], text.slice(end + next[0].length, end + next[0].length + 80))) : undefined;
    const verbEnd = end + (next?.[0].length ?? 0);
    // The imperative with the two words after it may be a concise phrase too: "Gostaria que actuasse como um gerador" →
    // "Atue como gerador" ("atue como um" → "atue como"), as "Quero que ajas como um" already gave "Aja como".
    // So may it with the three words after it: "Gostaria que desempenhasse o papel de" → "Atue como", "Me gustaría que hicieras
    // el papel de" → "Actúa como" (session 41: "Desempenhe papel de" was left), and the one word after that once more
    // ("atue como um" → "atue como").
    const concise = imperative === undefined ? undefined : conciseAfter(pack, imperative, text, verbEnd);
    if (concise && plan.tryEdit('verbosePhrase', m.index, concise.end, concise.replacement, true)) continue;
    // Verbs listed after the first ("Quiero que analices, compares y resumas") take the imperative too ("Analiza, compares y
    // resumas" was left), or none does.
    const series = next && imperative !== undefined ? coordinatedSeries(pack, m[0], next[1], imperative, text.slice(verbEnd, verbEnd + 200)) : undefined;
    if (series && imperative !== undefined && plan.tryEdit('verbosePhrase', m.index, verbEnd + series.length, imperative + series.text, true)) continue;
    if (next && imperative !== undefined && plan.tryEdit('verbosePhrase', m.index, verbEnd, imperative, true)) continue;
    // pt "quero que faça uma lista de" lost its verb to "liste": the subjunctive that is the imperative too is left alone.
    if (next && imperative !== undefined && imperative.toLowerCase() === phraseKey(next[1]) && plan.tryEdit('verbosePhrase', m.index, end, '', true)) continue;
    plan.tryEdit('verbosePhrase', m.index, end, m[0], true);
  }
  pattern.lastIndex = 0;
}

/**
 * The concise phrase that the imperative and the two or three words after it make (`compressVerbose`: "atue como um" →
 * "atue como", "desempenhe o papel de" → "atue como"), the longest first; then the same once more with the next word
 * ("atue como" + "um"). Undefined when none is listed.
 */
function conciseAfter(pack: CompiledPack, imperative: string, text: string, from: number): { end: number; replacement: string } | undefined {
  const words = /^(?:[ \t]+\p{Ll}+(?![\p{L}\p{N}_'’-])){1,4}/u.exec(text.slice(from, from + 80))?.[0] ?? '';
  const found = [...words.matchAll(/[ \t]+(\p{Ll}+)/gu)];
  for (const count of [3, 2]) {
    if (found.length < count) continue;
    const longer = pack.compressVerbose.get([phraseKey(imperative), ...found.slice(0, count).map((w) => w[1])].join(' '));
    if (longer === undefined) continue;
    const last = found[count - 1];
    const end = from + last.index + last[0].length;
    const next = found[count];
    const again = next && count === 3 ? pack.compressVerbose.get(`${phraseKey(longer)} ${next[1]}`) : undefined;
    return again !== undefined && next ? { end: from + next.index + next[0].length, replacement: again } : { end, replacement: longer };
  }
  return undefined;
}

/**
 * After a lead became the imperative, a second request of the same sentence joined by "y que" / "e que" takes the
 * imperative too: "Es importante que uses ejemplos y que expliques cada paso" → "Usa ejemplos y explica cada paso"
 * ("Usa ejemplos y que expliques cada paso" was left). A verb the pack does not know ("y que sean cortos") stays.
 */
export function planCoordinatedSubjunctives(plan: EditPlan, text: string, pack: CompiledPack): void {
  const pattern = pack.subjunctiveLeadsPattern;
  if (!pattern) return;
  // The ends of the request leads rewritten (by planSubjunctiveLeads, or a verbose phrase: "quiero que respondas" → "responde").
  const startsWithLead = (phrase: string): boolean => {
    pattern.lastIndex = 0;
    const found = pattern.exec(phrase)?.index === 0;
    pattern.lastIndex = 0;
    return found;
  };
  const rewritten = plan.edits.filter((e) => e.kind === 'verbosePhrase' && e.replacement !== e.text && startsWithLead(e.text));
  for (const { end: from, text: phrase, replacement } of rewritten) {
    const sentence = /^[^.!?;\n]*/.exec(text.slice(from, from + 300))?.[0] ?? '';
    const m = /(?<![\p{L}\p{N}_'’-])(?:y|e)[ \t]+(que[ \t]+(?:(?:você|tú)[ \t]+)?(?:(no|não)[ \t]+)?((?:(?:me|te|nos)[ \t]+)?\p{Ll}+))(?![\p{L}\p{N}_'’-])/u.exec(sentence);
    const imperative = m ? (pack.imperatives.get(phraseKey(m[3])) ?? coordinatedRegular(pack, phrase, replacement, m[3])) : undefined;
    if (!m || imperative === undefined) continue;
    const start = from + m.index + m[0].length - m[1].length;
    // A prohibition keeps its subjunctive: "y que no inventes datos" → "y no inventes datos" (only "que" goes).
    if (m[2]) plan.tryEdit('verbosePhrase', start, start + 3, '', true);
    else plan.tryEdit('verbosePhrase', start, start + m[1].length, imperative, true);
  }
}

/**
 * The imperative of a coordinated verb the table does not list ("Quiero que juegues y que organices…" → "Juega y
 * organiza…"), from its ending after the same lead, when it is of the first verb's person: a second person after a
 * second ("juegues … organices"), a third after a third ("trabalhe … organize"); "y que trabaje el equipo" after
 * "juegues" has its own subject.
 */
function coordinatedRegular(pack: CompiledPack, phrase: string, replacement: string, word: string): string | undefined {
  const lead = pack.subjunctiveLeadsPattern ? new RegExp(pack.subjunctiveLeadsPattern.source, pack.subjunctiveLeadsPattern.flags.replace('g', '')).exec(phrase)?.[0] : undefined;
  const guess = lead === undefined ? undefined : regularImperative(pack, lead, word);
  if (guess === undefined) return undefined;
  const firstVerb = /\p{L}+$/u.exec(phrase)?.[0].toLowerCase();
  const firstIsThird = firstVerb === replacement.toLowerCase();
  return (guess === word) === firstIsThird ? guess : undefined;
}

/**
 * The verbs listed right after a lead's verb (", compares y resumas", " e compares"), each rewritten to the imperative
 * of the first one's person: the text that replaces them, or `undefined` when there is no list or one of its words has
 * no such imperative (the list stays as it was: "Quiero que escribas, breve y claro" is no list of verbs).
 */
function coordinatedSeries(pack: CompiledPack, lead: string, first: string, imperative: string, after: string): { length: number; text: string } | undefined {
  const list = /^(?:,[ \t]+\p{Ll}+)*(?:,?[ \t]+(?:y|e)[ \t]+\p{Ll}+)(?![\p{L}\p{N}_'’-])/u.exec(after)?.[0];
  if (!list) return undefined;
  const firstIsThird = first.toLowerCase() === imperative.toLowerCase();
  let failed = false;
  const text = list.replace(/\p{Ll}+$|(?<=,[ \t]+)\p{Ll}+/gu, (word) => {
    const guess = pack.imperatives.get(word) ?? regularImperative(pack, lead, word);
    if (guess === undefined || (guess.toLowerCase() === word) !== firstIsThird) failed = true;
    return guess ?? word;
  });
  return failed ? undefined : { length: list.length, text };
}
