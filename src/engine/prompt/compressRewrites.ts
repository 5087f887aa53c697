/**
 * Medium-level rewrites that say the same with a shorter wording (session 41, issue 12 item 7): Spanish "ir a" +
 * infinitive as the synthetic future ("Voy a enviarte el texto" → "Te enviaré el texto"), and a wordy connector that
 * opens a sentence as a shorter one ("A continuación," → "Luego,"). Planners called from `planPhrases`
 * (compressPhrases.ts); the words come from the language pack (`goingToFutures`, `futureStems`, `goingToBlockers`,
 * `sentenceOpeners`).
 */
import type { CompiledPack } from '../../shared/prompt/languages';
import { isLineBreak } from '../../shared/prompt/text';
import { sharedTokenizer } from '../../shared/prompt/tokenizer';
import type { EditPlan } from './compressPlan';

const phraseKey = (m: string) => m.toLowerCase().replace(/\s+/g, ' ');

/** One phrase of a pack's pattern in the text, with the lower-case word right after it when there is one. */
interface PhraseHit {
  start: number;
  end: number;
  /** The phrase as written. */
  phrase: string;
  /** The phrase as the pack's tables key it: lower case, single spaces. */
  key: string;
  /** The lower-case word after one run of spaces or tabs, and where it ends. */
  next?: { word: string; end: number };
}

const NEXT_WORD = /^[ \t]+(\p{Ll}+)(?![\p{L}\p{N}_'’-])/u;

/**
 * Every phrase of `pattern` in `text` (left to right, not overlapping), then the word after it: the loop the planners
 * share. The pattern's `lastIndex` starts at 0 and is 0 again once the loop has run to the end (exec gave null).
 */
function* phrasesThenWord(pattern: RegExp | undefined, text: string): Generator<PhraseHit> {
  if (!pattern) return;
  pattern.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const end = m.index + m[0].length;
    const next = NEXT_WORD.exec(text.slice(end, end + 40));
    yield { start: m.index, end, phrase: m[0], key: phraseKey(m[0]), ...(next ? { next: { word: next[1], end: end + next[0].length } } : {}) };
  }
}

/** Unstressed pronouns written after an infinitive ("enviarte", "traducirla"); the future takes them before it. */
const ENCLITICS = ['los', 'las', 'les', 'nos', 'me', 'te', 'se', 'lo', 'la', 'le'];

/**
 * The infinitive in `word` ("enviarte" → "enviar" with "te") when it is one the pack can put in the future: lower-case
 * letters without an accent (an accented infinitive, "reír", or two pronouns, "dártelo", is left alone), ending in
 * -ar/-er/-ir, and no blocker ("lugar").
 */
function infinitiveOf(word: string, pack: CompiledPack): { verb: string; clitic: string } | undefined {
  if (!/^[a-zñ]+$/.test(word) || pack.goingToBlockers.has(word)) return undefined;
  for (const clitic of ENCLITICS) {
    const verb = word.slice(0, -clitic.length);
    if (word.endsWith(clitic) && /^[a-zñ]{2,}(?:ar|er|ir)$/.test(verb) && !pack.goingToBlockers.has(verb)) return { verb, clitic };
  }
  return /^[a-zñ]+(?:ar|er|ir)$/.test(word) ? { verb: word, clitic: '' } : undefined;
}

/** The future stem of an infinitive: the infinitive itself, or the irregular stem of `futureStems` ("obtener" → "obtendr"). */
function futureStem(verb: string, pack: CompiledPack): string {
  const irregular = pack.futureStems.find(([ending]) => verb.endsWith(ending));
  return irregular ? verb.slice(0, verb.length - irregular[0].length) + irregular[1] : verb;
}

/**
 * Whether the sentence after `from` goes on with another infinitive the auxiliary may govern too ("Voy a leer el texto
 * y (luego) resumirlo", "va a buscar, filtrar y ordenar"): the future of the first alone would leave the others without it.
 */
function anotherInfinitive(text: string, from: number, pack: CompiledPack): boolean {
  const rest = /^[^.!?;:\n]*/.exec(text.slice(from, from + 300))?.[0] ?? '';
  // Within three words of a comma or a coordinator: "y luego resumirlo" as well as "y resumirlo".
  for (const m of rest.matchAll(/(?:,|(?<![\p{L}\p{N}_'’-])(?:y|e|o|u|ni))((?:[ \t]+\p{Ll}+(?![\p{L}\p{N}_'’-])){1,3})/gu)) {
    if (m[1].trim().split(/[ \t]+/).some((w) => infinitiveOf(w, pack) !== undefined)) return true;
  }
  return false;
}

/**
 * Medium level (es): "voy a / vas a / va a / van a" + infinitive → the synthetic future ("Voy a enviarte el texto" →
 * "Te enviaré el texto", "El sistema va a generar" → "El sistema generará"). Not after a negation (the mask locks "no
 * voy"), not before a word that is no infinitive ("va a la tienda", "va a lugar"), and not where a second infinitive
 * follows in the sentence. "Vamos a" is left alone: it is also "let us".
 */
export function planGoingToFutures(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, key, next } of phrasesThenWord(pack.goingToFuturesPattern, text)) {
    const ending = pack.goingToFutures.get(key);
    const infinitive = next ? infinitiveOf(next.word, pack) : undefined;
    if (!next || ending === undefined || infinitive === undefined) continue;
    if (anotherInfinitive(text, next.end, pack)) continue;
    const future = futureStem(infinitive.verb, pack) + ending;
    // The verb keeps the auxiliary's place, so a capital at a sentence start moves to the first word written.
    plan.tryEdit('verbosePhrase', start, next.end, infinitive.clitic ? `${infinitive.clitic} ${future}` : future, true);
  }
}

/** Medium level: a wordy connector that opens a sentence → its short form ("A continuación," → "Luego,"). */
export function planSentenceOpeners(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key } of phrasesThenWord(pack.sentenceOpenersPattern, text)) {
    const replacement = pack.sentenceOpeners.get(key);
    if (replacement === undefined || !plan.atSentenceStart(start)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/** An infinitive (es, pt), with an enclitic written on (es "idearlos", pt "fornecê-la" is left out: no r). */
const INFINITIVE = /^\p{Ll}+(?:ar|er|ir|ôr)(?:me|te|se|lo|la|le|los|las|les|nos)?$/u;

/**
 * Medium level (es, pt): a task announcement before an infinitive → its short form ("y tu trabajo será idear
 * estrategias" → "y debes idear estrategias", "A sua função é fornecer" → "Fornecer"). Before anything else it says
 * something about the work ("o seu trabalho será avaliado") and stays.
 */
export function planTaskLeads(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key, next } of phrasesThenWord(pack.taskLeadsPattern, text)) {
    const replacement = pack.taskLeads.get(key);
    if (!next || replacement === undefined || !INFINITIVE.test(next.word)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/** Whether a label phrase of the pack (`table`'s entries that end with ":") starts at `at`: the longest phrase of `pattern` there. */
function listedAt(pattern: RegExp | undefined, table: ReadonlyMap<string, string>, text: string, at: number): boolean {
  if (!pattern) return false;
  const sticky = new RegExp(pattern.source, pattern.flags.replace('g', '') + 'y');
  sticky.lastIndex = at;
  const found = sticky.exec(text)?.[0];
  return found !== undefined && (table.get(phraseKey(found)) ?? '').endsWith(':');
}

/**
 * Aggressive level: "my first <noun…> is" → "First <noun…>:" before the input it introduces ("Mi primera solicitud de
 * sugerencia es "Necesito…"" → "Primera solicitud de sugerencia: "Necesito…""): one to three lower-case words between
 * the ordinal and the copula, and after it a quote, a placeholder, a number or a word that does not open a clause
 * ("My first request is that you…" stays).
 */
export function planLabelSentences(plan: EditPlan, text: string, pack: CompiledPack): void {
  if (pack.labelCopulas.size === 0) return;
  for (const { start, end, phrase } of phrasesThenWord(pack.labelLeadsPattern, text)) {
    // A label the pack lists ("my first suggestion request is" → "First request:") is said shorter there.
    if (listedAt(pack.verboseAggressivePattern, pack.verboseAggressive, text, start) || listedAt(pack.compressVerbosePattern, pack.compressVerbose, text, start)) continue;
    const found = [...(/^(?:[ \t]+\p{Ll}+(?![\p{L}\p{N}_'’-])){2,6}/u.exec(text.slice(end, end + 120))?.[0] ?? '').matchAll(/[ \t]+(\p{Ll}+)/gu)];
    const words = found.map((w) => w[1]);
    // The copula (one or two words: "is", "will be") after one to four words of the label.
    let at = -1;
    let size = 0;
    for (let i = 1; i < words.length && i <= 4 && at < 0; i++) {
      if (pack.labelCopulas.has(words[i])) [at, size] = [i, 1];
      else if (i + 1 < words.length && pack.labelCopulas.has(`${words[i]} ${words[i + 1]}`)) [at, size] = [i, 2];
    }
    if (at < 0) continue;
    const last = found[at + size - 1];
    const stop = end + last.index + last[0].length;
    const after = /^[ \t]+(?:["“«'{[\p{N}]|(\p{L}+))/u.exec(text.slice(stop, stop + 40));
    if (!after || (after[1] !== undefined && pack.labelBlockers.has(after[1].toLowerCase()))) continue;
    const ordinal = /\p{L}+$/u.exec(phrase)?.[0] ?? '';
    plan.tryEdit('verbosePhrase', start, stop, `${ordinal} ${words.slice(0, at).join(' ')}:`, true);
  }
}

/** `replacement` with the first letter's case of `original` ("Proporciona" → "Da"), as the edit plan writes it. */
function casedLike(original: string, replacement: string): string {
  return original[0] !== original[0].toLowerCase() ? replacement[0].toUpperCase() + replacement.slice(1) : replacement;
}

/**
 * Whether `replacement` costs fewer o200k tokens than the phrase at [start, end) where it stands: both are counted with
 * what comes right before them (a space, a quote or bracket, or nothing at a line start), because o200k spends one token
 * on " proporciona" mid-sentence and three on "Proporciona" opening a line.
 */
export function fewerTokensThere(text: string, start: number, end: number, replacement: string): boolean {
  const before = start === 0 || isLineBreak(text[start - 1]) ? '' : text[start - 1];
  const original = text.slice(start, end);
  const tokens = (s: string) => sharedTokenizer().countWithEncoding(before + s, 'o200k_base');
  return tokens(casedLike(original, replacement)) < tokens(original);
}

/**
 * Medium level (session 48): a word or phrase → a plainer one of the same meaning where o200k spends fewer tokens on it
 * there (`plainWords`: "Proporciona" opening a line → "Da", "topics related to" → "topics about").
 */
export function planPlainWords(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key } of phrasesThenWord(pack.plainWordsPattern, text)) {
    const replacement = pack.plainWords.get(key);
    if (replacement === undefined) continue;
    if (!fewerTokensThere(text, start, end, replacement)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/**
 * Aggressive level (session 48): a future form → its present where o200k spends fewer tokens on it there (`presentTense`:
 * "Te daré el código" → "Te doy el código", pt "Vou dar-te o código" → "Dou-te o código"). A two-word entry (auxiliary
 * and infinitive) stays where another infinitive follows in the sentence and may share the auxiliary.
 */
export function planPresentTense(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key } of phrasesThenWord(pack.presentTensePattern, text)) {
    const replacement = pack.presentTense.get(key);
    if (replacement === undefined) continue;
    if (key.includes(' ') && anotherInfinitive(text, end, pack)) continue;
    if (!fewerTokensThere(text, start, end, replacement)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/** pt mesoclisis: "dar-te-ei" is the future "darei" with the pronoun inside it; these endings close it. */
const MESOCLITIC_ENDINGS = ['ei', 'ás', 'á', 'emos', 'ão'];

/**
 * Aggressive level (session 49): the reader's pronoun with a verb of giving or telling in the first person singular goes
 * ("Te daré el texto" → "Doy el texto", pt "Dar-te-ei mensagens" → "Dou mensagens", "Vou escrever-te o objeto" →
 * "Escrevo o objeto"): the writer gives and tells things to the reader, so the pronoun says nothing a telegraphic prompt
 * needs. With `present` (the presentTense rule is on) the verb takes its present form in the same edit where the pack's
 * `presentTense` has one that costs fewer tokens there. A pronoun after a negation stays (the mask keeps the word after a
 * keep word), and so does one before a verb the pack does not list ("Bob le devuelve una" is Bob's giving).
 */
export function planAddresseeClitics(plan: EditPlan, text: string, pack: CompiledPack, present: boolean): void {
  if (pack.addresseeClitics.size === 0 || pack.addresseeVerbs.size === 0) return;
  const clitics = [...pack.addresseeClitics].join('|');
  const presentOf = (verb: string, start: number, end: number): string => {
    const form = present ? pack.presentTense.get(verb.toLowerCase()) : undefined;
    return form !== undefined && fewerTokensThere(text, start, end, form) ? form : verb;
  };
  // Only where the pronoun costs a token there: o200k spends two on "Doy" opening a sentence, as on "Te doy".
  const edit = (start: number, end: number, replacement: string, kept: string) => {
    if (tokensThere(text, start, end, replacement) < tokensThere(text, start, end, kept)) plan.tryEdit('verbosePhrase', start, end, replacement, true);
  };
  // Before the verb: "te daré", "Le pediré", "lhe darei".
  const before = new RegExp(`(?<![\\p{L}\\p{N}_'’-])(?:${clitics})[ \\t]+(\\p{L}+)(?![\\p{L}\\p{N}_'’-])`, 'giu');
  for (const m of text.matchAll(before)) {
    const verb = m[1];
    if (!pack.addresseeVerbs.has(verb.toLowerCase())) continue;
    const start = m.index;
    const end = start + m[0].length;
    const form = presentOf(verb, start, end);
    // What the present tense alone would leave: "Te doy".
    edit(start, end, form, `${m[0].slice(0, m[0].length - verb.length)}${form}`);
  }
  // Joined by a hyphen (pt): "dou-te", "dar-te-ei", "vou escrever-lhe" (the "vou" + infinitive of `presentTense`).
  const joined = new RegExp(`(?<![\\p{L}\\p{N}_'’-])(?:(vou)[ \\t]+)?(\\p{L}+)-(?:${clitics})(?:-(${MESOCLITIC_ENDINGS.join('|')}))?(?![\\p{L}\\p{N}_'’-])`, 'giu');
  for (const m of text.matchAll(joined)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined) {
      // "vou escrever-te": only as the present the pack gives "vou escrever" ("escrevo"); without it the edit would leave "vou".
      // The verb must be one of giving or telling: its future is listed ("escrever" → "escreverei"); "vou fazer-te feliz" stays.
      const form = present && pack.addresseeVerbs.has(`${m[2].toLowerCase()}ei`) ? pack.presentTense.get(`${m[1].toLowerCase()} ${m[2].toLowerCase()}`) : undefined;
      if (form !== undefined && !anotherInfinitive(text, end, pack)) edit(start, end, form, `${form}${m[0].slice(m[0].indexOf('-'))}`);
      continue;
    }
    const verb = m[3] === undefined ? m[2] : `${m[2]}${m[3]}`;
    if (!pack.addresseeVerbs.has(verb.toLowerCase())) continue;
    const form = presentOf(verb, start, end);
    edit(start, end, form, m[3] === undefined ? m[0] : `${form}-${m[0].split('-')[1]}`);
  }
}

/** The o200k tokens of `replacement` standing at [start, end) of `text` (as `fewerTokensThere` counts them). */
function tokensThere(text: string, start: number, end: number, replacement: string): number {
  const before = start === 0 || isLineBreak(text[start - 1]) ? '' : text[start - 1];
  return sharedTokenizer().countWithEncoding(before + casedLike(text.slice(start, end), replacement), 'o200k_base');
}

/**
 * Aggressive level (session 50): a role imperative opening a sentence → the imperative of "to be" (`roleLeads`:
 * "Actúa como intérprete de Python." → "Sé intérprete de Python.", pt "Atue como tradutor" → "Seja tradutor"). Only at
 * a sentence start (mid-sentence, es "actúa como" is also the third person: "él actúa como mediador"), before a word
 * that is not a blocker ("Actúa como si fueras…" stays), and where o200k spends fewer tokens on it there. Planned after
 * the other rules: an edit they planned that writes a role lead ("Quiero que desempeñes el papel de un" → "Actúa como")
 * writes the short form instead ("Sé").
 */
export function planRoleLeads(plan: EditPlan, text: string, pack: CompiledPack): void {
  if (pack.roleLeads.size === 0) return;
  // The role itself: a word (any case: "Actúa como Anakin Skywalker"), not a blocker.
  const roleFollows = (end: number) => {
    const next = /^[ \t]+(\p{L}+)(?![\p{L}\p{N}_'’-])/u.exec(text.slice(end, end + 40))?.[1];
    return next !== undefined && !pack.roleLeadBlockers.has(next.toLowerCase());
  };
  for (const edit of [...plan.edits]) {
    const said = edit.replacement.toLowerCase().trim().replace(/\s+/g, ' ');
    // The edit wrote the whole lead ("Actúa como"), or its verb before the rest of it in the text ("Gostaria que
    // actuasse" → "Atue", then "como"): the rest goes with it.
    const rest = pack.roleLeads.has(said) ? undefined : /^([ \t]+)(\p{L}+)(?![\p{L}\p{N}_'’-])/u.exec(text.slice(edit.end, edit.end + 40));
    const lead = rest ? `${said} ${rest[2].toLowerCase()}` : said;
    const replacement = pack.roleLeads.get(lead);
    const end = rest ? edit.end + rest[0].length : edit.end;
    if (replacement === undefined || !plan.atSentenceStart(edit.start) || !roleFollows(end)) continue;
    if (tokensThere(text, edit.start, edit.end, replacement) >= tokensThere(text, edit.start, edit.end, rest ? `${edit.replacement}${rest[1]}${rest[2]}` : edit.replacement)) continue;
    if (rest && !plan.tryEdit('verbosePhrase', edit.end + rest[1].length, end, '', true)) continue;
    edit.replacement = casedLike(edit.replacement, replacement);
  }
  for (const { start, end, key } of phrasesThenWord(pack.roleLeadsPattern, text)) {
    const replacement = pack.roleLeads.get(key);
    if (replacement === undefined || !roleFollows(end) || !plan.atSentenceStart(start) || !fewerTokensThere(text, start, end, replacement)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/**
 * Aggressive level (session 50): a connector or subject opening a sentence → its telegraphic form, or nothing
 * (`aggressiveOpeners`: "Por ejemplo, si…" → "Ej.: si…", "Para empezar, colocaré X…" → "Colocaré X…", "Esto puede
 * incluir" → "Puede incluir"), where o200k spends fewer tokens on it.
 */
export function planAggressiveOpeners(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key } of phrasesThenWord(pack.aggressiveOpenersPattern, text)) {
    const replacement = pack.aggressiveOpeners.get(key);
    if (replacement === undefined || !plan.atSentenceStart(start)) continue;
    // Something must follow in the same sentence (a word, a number, a quote or a bracket).
    if (!/^[ \t]+[\p{L}\p{N}"“«'{[(]/u.test(text.slice(end, end + 3))) continue;
    if (replacement !== '' && !fewerTokensThere(text, start, end, replacement)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/** A word that negates what follows it in its clause (es, pt): "no", "não", "nunca", "sin", "sem", "ni", "nem". */
const NEGATION_BEFORE = /(?<![\p{L}\p{N}_'’-])(?:no|não|nunca|jamás|jamais|sin|sem|ni|nem)(?![\p{L}\p{N}_'’-])/iu;

/**
 * Medium level (session 50): a determiner that only repeats a negation earlier in its clause (`negatedDeterminers`:
 * "No escribas ningún PRD" → "No escribas PRD", pt "Não incluas quaisquer explicações" → "Não incluas explicações").
 * The negation must stand within the four words before it, with no punctuation between ("Dar código e quaisquer
 * explicações" has none and keeps its "quaisquer"), and a word must follow it.
 */
export function planNegatedDeterminers(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end } of phrasesThenWord(pack.negatedDeterminersPattern, text)) {
    // A word must follow, in any case ("ningún PRD").
    if (!/^[ \t]+[\p{L}\p{N}]/u.test(text.slice(end, end + 3))) continue;
    // The words right before it, back to the first punctuation mark: "no debe incluir ningún estilo".
    const before = /(?:(?<![\p{L}\p{N}_'’-])[\p{L}'’-]+[ \t]+){1,4}$/u.exec(text.slice(Math.max(0, start - 80), start))?.[0] ?? '';
    if (!before.trim().split(/[ \t]+/).some((w) => NEGATION_BEFORE.test(w))) continue;
    plan.tryEdit('filler', start, end, '', true);
  }
}

/**
 * Medium level (session 50): a recurring clause said in fewer words of the same meaning (`shortClauses`: "cuando
 * necesite decirte algo" → "cuando te diga algo", pt "vou fazer isso colocando" → "coloco"), before a word and where o200k
 * spends fewer tokens on it there.
 */
export function planShortClauses(plan: EditPlan, text: string, pack: CompiledPack): void {
  for (const { start, end, key, next } of phrasesThenWord(pack.shortClausesPattern, text)) {
    const replacement = pack.shortClauses.get(key);
    if (replacement === undefined || (!next && !/^[ \t]+[\p{L}\p{N}"“«'{[(]/u.test(text.slice(end, end + 3)))) continue;
    if (!fewerTokensThere(text, start, end, replacement)) continue;
    plan.tryEdit('verbosePhrase', start, end, replacement, true);
  }
}

/**
 * Medium level (pt, session 51): a mesoclitic future → "ir" + the infinitive with its pronoun after it, the same future
 * in the form a prompt writes most ("Dar-te-ei um nome de tópico" → "Vou dar-te um nome de tópico", "traduzi-las-ás"
 * → "vais traduzi-las", "dir-me-á" → "vai dizer-me"), where o200k spends fewer tokens on it (`mesocliticFutures`).
 */
export function planMesocliticFutures(plan: EditPlan, text: string, pack: CompiledPack): void {
  const table = pack.pack.mesocliticFutures;
  if (!table) return;
  const endings = new Map(table.endings.map(([ending, aux]) => [ending.toLowerCase(), aux] as const));
  const clitics = new Set(table.clitics.map((c) => c.toLowerCase()));
  const stems = new Map(table.stems.map(([stem, verb]) => [stem.toLowerCase(), verb] as const));
  const loStemsKept = new Set(table.loStemsKept.map((w) => w.toLowerCase()));
  const pattern = /(?<![\p{L}\p{N}_'’-])(\p{L}+)-(\p{Ll}+)-(\p{Ll}+)(?![\p{L}\p{N}_'’-])/gu;
  let m: RegExpExecArray | null;
  while ((m = pattern.exec(text)) !== null) {
    const [whole, stem, clitic, ending] = m;
    const aux = endings.get(ending);
    if (aux === undefined || !clitics.has(clitic)) continue;
    const lower = stem.toLowerCase();
    const lo = /^l[oa]s?$/.test(clitic);
    if (lo ? loStemsKept.has(lower) : !/r$/.test(lower)) continue;
    const verb = lo ? lower : (stems.get(lower) ?? lower);
    const replacement = `${aux} ${verb}-${clitic}`;
    if (!fewerTokensThere(text, m.index, m.index + whole.length, replacement)) continue;
    plan.tryEdit('verbosePhrase', m.index, m.index + whole.length, replacement, true);
  }
}
