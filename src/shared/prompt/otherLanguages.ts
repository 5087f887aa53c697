/**
 * Latin-script languages no language pack is written for. A French, Italian, German, Dutch,
 * Catalan, Indonesian or Galician prompt shares function words with Spanish or Portuguese ("un", "la",
 * "que", "de"), so `detectLanguage` took ChatGPT-Shortcut's French and Italian cards for es and
 * aggressive compression dropped their articles by the Spanish rules ("La première commande
 * est" → "première commande est"), and a Galician "asistente moi útil" lost its adjective and
 * kept the intensifier ("asistente moi"). Each language here has its own frequent function words,
 * none of them a detection word of en, es or pt; when a text holds more of one language's words
 * than of any pack's, that language is reported and the rewrites leave the text as written.
 */

/** Frequent function words of each language, lower-case, none of them in the en, es or pt detection lists. */
const FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  fr: ['vous', 'votre', 'vos', 'est', 'leurs', 'des', 'une', 'dans', 'pour', 'pas', 'sur', 'avec', 'qui', 'être', 'nous', 'je', 'cette', 'sont', 'aux', 'au', 'du', 'et', 'il', 'elle', 'ne', 'ce', 'sans', 'leur', 'lui', 'ils', 'si', 'ton', 'tes', 'toujours', 'très', 'où', 'ces', 'peut', 'doit', 'réponse'],
  it: ['il', 'di', 'è', 'gli', 'della', 'delle', 'degli', 'dello', 'nel', 'nella', 'nei', 'sono', 'essere', 'sei', 'tuo', 'tuoi', 'ogni', 'anche', 'questo', 'questa', 'più', 'perché', 'deve', 'devi', 'alla', 'alle', 'allo', 'dalla', 'dal', 'sul', 'sulla', 'ed', 'oppure', 'molto', 'sempre', 'risposta', 'rispondi', 'utente', 'non', 'che'],
  de: ['und', 'der', 'die', 'dass', 'ist', 'sie', 'ich', 'nicht', 'mit', 'zu', 'den', 'dem', 'ein', 'eine', 'einen', 'einer', 'für', 'auf', 'du', 'dein', 'deine', 'bitte', 'werden', 'wird', 'sind', 'auch', 'oder', 'wie', 'bei', 'aus', 'von', 'im', 'nur', 'kein', 'keine', 'immer', 'sehr', 'ihre', 'ihren', 'antworte'],
  nl: ['het', 'een', 'niets', 'van', 'je', 'jij', 'jouw', 'niet', 'met', 'voor', 'op', 'zijn', 'dat', 'die', 'wordt', 'worden', 'ook', 'bij', 'naar', 'uit', 'alsjeblieft', 'graag', 'moet', 'kunt', 'geen', 'deze', 'dit', 'wat', 'hoe', 'altijd', 'antwoord', 'gebruiker', 'zeer', 'heel', 'ben', 'bent', 'onze'],
  ca: ['els', 'amb', 'és', 'ets', 'molt', 'teu', 'teva', 'aquest', 'aquesta', 'aquests', 'cal', 'respon', 'resposta', 'plau', 'us', 'sempre', 'pel', 'dels', 'als', 'cada', 'heu', 'has', 'seva', 'nostre', 'llista', 'mai', 'doncs', 'sota', 'també', 'perquè', 'quan', 'hi', 'ho', 'li', 'nosaltres', 'vostè', 'usuari', 'qualsevol', 'fer', 'fes'],
  id: ['yang', 'dan', 'di', 'ke', 'dari', 'untuk', 'dengan', 'ini', 'itu', 'anda', 'adalah', 'akan', 'tidak', 'dalam', 'atau', 'juga', 'kami', 'saya', 'bisa', 'dapat', 'harus', 'seperti', 'pada', 'oleh', 'jika', 'tersebut', 'sebagai', 'setiap', 'hanya', 'jangan', 'tolong', 'mohon', 'selalu', 'sangat', 'pengguna', 'jawaban', 'jawab', 'berikan', 'buat', 'kamu'],
  gl: ['unha', 'unhas', 'moi', 'xeito', 'tamén', 'coa', 'coas', 'polo', 'polos', 'pola', 'polas', 'vostede', 'non', 'ningunha', 'vós', 'cada', 'sempre', 'usuario', 'resposta', 'contesta', 'cando', 'velaquí', 'daquela', 'aquí', 'isto', 'iso', 'mesmo', 'ademais', 'algún', 'algunha', 'deberás', 'debes', 'dun', 'dunha', 'nun', 'nunha', 'tódolos', 'aos', 'á', 'ás'],
};

/** What the editor and the CLI call each language. */
export const OTHER_LANGUAGE_NAMES: Readonly<Record<string, string>> = { fr: 'French', it: 'Italian', de: 'German', nl: 'Dutch', ca: 'Catalan', id: 'Indonesian', gl: 'Galician' };

/** Each function word with the indexes of the languages (in LANGUAGES) it belongs to: one look-up per word of the text. */
const LANGUAGES = Object.keys(FUNCTION_WORDS);
const WORD_LANGUAGES = new Map<string, number[]>();
LANGUAGES.forEach((code, index) => {
  for (const word of new Set(FUNCTION_WORDS[code])) WORD_LANGUAGES.set(word, [...(WORD_LANGUAGES.get(word) ?? []), index]);
});

/**
 * The Latin-script language without a pack that `words` (lower-case runs of letters) are written in: the one with the
 * most function-word hits, when it has at least three and more than `packHits` (the best language pack's own word
 * hits). Undefined otherwise: an English prompt that quotes a French sentence is still English.
 */
export function otherLatinLanguage(words: readonly string[], packHits: number): { language: string; hits: number } | undefined {
  const hits = new Array<number>(LANGUAGES.length).fill(0);
  for (const word of words) for (const index of WORD_LANGUAGES.get(word) ?? []) hits[index]++;
  let best = 0;
  for (let i = 1; i < hits.length; i++) if (hits[i] > hits[best]) best = i;
  return hits[best] >= 3 && hits[best] > packHits ? { language: LANGUAGES[best], hits: hits[best] } : undefined;
}

/** Whether `language` is one of those above: a Latin-script language whose prompts the rewrite rules must not touch. */
export function isOtherLatinLanguage(language: string): boolean {
  return Object.hasOwn(OTHER_LANGUAGE_NAMES, language);
}
