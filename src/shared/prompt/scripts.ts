/**
 * Which writing system a prompt is in, when it is not the Latin script every language pack
 * (en, es, pt) is written for: the rewrites then find nothing to do, and the editor says why
 * instead of "already as short as it gets" (NextChat's Chinese masks, newuser30).
 */

/** The names nonLatinScript gives (the extension shows each translated). */
export const SCRIPT_NAMES = ['Japanese (kana and kanji)', 'Chinese characters (Han)', 'Hangul', 'Cyrillic', 'Arabic', 'Hebrew', 'Greek', 'Devanagari', 'Thai', 'a non-Latin script'] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

/** Non-Latin scripts by name: Japanese first (kana), then the one with the most letters. */
const SCRIPTS: ReadonlyArray<[ScriptName, RegExp]> = [
  ['Japanese (kana and kanji)', /[\p{sc=Hiragana}\p{sc=Katakana}]/gu],
  ['Chinese characters (Han)', /\p{sc=Han}/gu],
  ['Hangul', /\p{sc=Hangul}/gu],
  ['Cyrillic', /\p{sc=Cyrillic}/gu],
  ['Arabic', /\p{sc=Arabic}/gu],
  ['Hebrew', /\p{sc=Hebrew}/gu],
  ['Greek', /\p{sc=Greek}/gu],
  ['Devanagari', /\p{sc=Devanagari}/gu],
  ['Thai', /\p{sc=Thai}/gu],
];

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/** Characters that are words of their own (Chinese, Japanese, Korean write no spaces between words). */
const SYLLABIC = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/gu;

/**
 * The name of the script most of `text` is written in when that is not Latin; undefined for a
 * Latin-script text. Measured in words: a run of letters is one for an alphabet, a character
 * one for Chinese, Japanese and Korean, so the English words and URL of a Chinese prompt do not
 * outweigh it. Japanese mixes kana and kanji: a tenth of its characters in kana makes it Japanese.
 */
export function nonLatinScript(text: string): ScriptName | undefined {
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const latinWords = count(sample, /\p{sc=Latin}+/gu);
  const syllabic = count(sample, SYLLABIC);
  const otherWords = count(sample.replace(SYLLABIC, ' '), /[^\P{L}\p{sc=Latin}]+/gu);
  const words = syllabic + otherWords;
  if (words < 4 || words <= latinWords) return undefined;
  const kana = count(sample, SCRIPTS[0][1]);
  if (kana > 0 && kana * 10 >= syllabic) return SCRIPTS[0][0];
  let best: [ScriptName, number] = ['a non-Latin script', 0];
  for (const [name, pattern] of SCRIPTS.slice(1)) {
    const n = count(sample, pattern);
    if (n > best[1]) best = [name, n];
  }
  return best[0];
}

/** The languages a script of `nonLatinScript` names, where it names one. */
const SCRIPT_LANGUAGES: Partial<Record<ScriptName, string>> = { 'Japanese (kana and kanji)': 'ja', 'Chinese characters (Han)': 'zh', Hangul: 'ko' };

/**
 * The language of a text mostly in Chinese, Japanese or Korean script (`nonLatinScript`): zh, ja or ko, with the share of
 * its non-space characters in those scripts as the confidence. No language pack is written for them, so the rules of
 * every operation stay the English ones, but the engine no longer reports "en" for a Chinese prompt. Random characters
 * (binary junk) hold Han and Hangul alike: a Chinese or Korean text has the other script in a tenth of its letters at most.
 */
export function cjkLanguage(text: string): { language: string; confidence: number } | undefined {
  const script = nonLatinScript(text);
  const language = script ? SCRIPT_LANGUAGES[script] : undefined;
  if (!language) return undefined;
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const han = count(sample, SCRIPTS[1][1]);
  const hangul = count(sample, SCRIPTS[2][1]);
  if ((language === 'zh' && hangul * 10 > han) || (language === 'ko' && han * 10 > hangul)) return undefined;
  // nonLatinScript counts each Han or kana character as a word; in words as the scanner counts them (words.ts: 1.65 such
  // characters a word, Hangul by spaced runs), an English prompt with a Chinese example sentence (31 Han characters beside
  // 30 English words) is still mostly English: it is not zh.
  const cjkWords = count(sample, /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/gu) / 1.65 + count(sample, /\p{sc=Hangul}+/gu);
  if (cjkWords <= count(sample, /\p{sc=Latin}+/gu)) return undefined;
  const share = count(sample, SYLLABIC) / Math.max(1, count(sample, /\S/gu));
  return { language, confidence: Math.round(Math.min(1, share) * 100) / 100 };
}
