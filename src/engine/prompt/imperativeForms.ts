/**
 * The imperative of a verb the pack's `imperatives` table does not list, after a present-tense
 * request lead ("Quiero que juegues…", "Quero que traduzas…", "Pretendo que trabalhe…"): Spanish and
 * Portuguese present subjunctives have regular endings, so common verbs need no table row. The
 * language's endings are data (`regularImperatives` in its pack); only what an ending settles is
 * guessed, and `undefined` leaves the lead whole, as an unknown verb always did.
 *
 * - Spanish "tú" (-es of -ar verbs, -as of -er/-ir verbs) → the "tú" imperative: "juegues" → "juega",
 *   "analices" → "analiza", "conozcas" → "conoce", "elijas" → "elige"; "-gas" is irregular ("hagas" →
 *   "haz": the table lists those).
 * - Portuguese "tu" → the "você" imperative, as the table does ("actues" → "atue"): the present
 *   subjunctive without its "s" ("traduzas" → "traduza").
 * - A third-person present subjunctive (the "usted"/"você" forms, "trabalhe", "corrijam") is the
 *   imperative as it stands, after a lead that names the speaker's wish ("quiero que", "pretendo que") only.
 * - Closed-class words that end like a subjunctive ("nuestras", "tras", "eles", "desta") and verbs with no
 *   imperative ("haya", "puedas", "exista") are `notVerbs`.
 * A past-tense lead ("Me gustaría que…", "Gostaria que…") governs the imperfect subjunctive, whose stems
 * are irregular ("hicieras" → "haz"): the table alone handles those, so those leads are not in `leads`.
 */
import type { CompiledPack } from '../../shared/prompt/languages';

export function regularImperative(pack: CompiledPack, lead: string, word: string, after = ''): string | undefined {
  const rules = pack.regularImperatives;
  const key = lead.toLowerCase().replace(/\s+/g, ' ');
  if (!rules || !rules.leads.has(key)) return undefined;
  // A clitic before the verb ("me hagas") takes the table: Spanish attaches it ("hazme") with an accent.
  if (!/^\p{Ll}{4,}$/u.test(word) || rules.notVerbs.has(word) || word.endsWith('mente')) return undefined;
  const ending = rules.endings.find(([from]) => word.length > from.length + 1 && word.endsWith(from));
  if (!ending || ending[1] === null) return undefined;
  // An impersonal lead ("Es importante que…") names no addressee: a third person after it has its own subject ("que
  // aparezca la fecha", "que sean breves"), so only a second person ("organices", "analises") is the addressee's.
  if (ending[1] === ending[0] && rules.impersonalLeads.has(key)) return undefined;
  // A verb of its own a few words on, in the same clause, had the word as its subject: "Quero que respostas longas sejam
  // evitadas" ("Resposta longas sejam evitadas" was left); a relative "que" starts another clause ("organices lo que sea").
  const clause = /^[^.,;:!?\n]*/.exec(after)?.[0].split(/(?<![\p{L}\p{N}_'’-])que(?![\p{L}\p{N}_'’-])/iu)[0] ?? '';
  if ((clause.toLowerCase().match(/\p{L}+/gu) ?? []).slice(0, 4).some((w) => rules.subjectVerbs.has(w))) return undefined;
  return word.slice(0, word.length - ending[0].length) + ending[1];
}
