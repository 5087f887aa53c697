/**
 * Article agreement after an edit (en "a"/"an"): the form of the indefinite article follows the
 * first sound of the next word, so deleting or replacing the word after it can leave "an
 * positioned" or "a important". Only the spelling is known here, and a vowel letter is not a
 * vowel sound ("a user", "an hour", "a one-time"), so the sound is decided only where the letter
 * settles it; elsewhere the caller does not make the edit.
 */
import type { LanguagePack } from '../../shared/prompt/languages';

export type ArticleRule = NonNullable<LanguagePack['indefiniteArticles']>;

/**
 * The article form `word` takes, or undefined when its spelling does not settle it: an acronym
 * or a word in capitals ("an SQL", "a URL"), a word without a vowel letter (a lower-case acronym:
 * "an llm"), a number, or a word that starts with one of the rule's unsure beginnings.
 */
export function articleFor(word: string, rule: ArticleRule): string | undefined {
  if (word.length < 2 || !/^\p{L}[\p{Ll}'’-]*$/u.test(word)) return undefined;
  const lower = word.toLowerCase();
  if (!/[aeiouy]/.test(lower) || rule.unsureStarts.some((s) => lower.startsWith(s.toLowerCase()))) return undefined;
  if (/^[aeio]/.test(lower)) return rule.vowel;
  if (/^[bcdfgjklmnpqrstvwyz]/.test(lower)) return rule.consonant;
  return undefined;
}

/** An edit already planned, as far as agreement needs it. */
interface Planned {
  start: number;
  end: number;
  replacement: string;
}

const deletedAt = (planned: readonly Planned[], i: number) => planned.find((e) => e.replacement === '' && e.start <= i && i < e.end);

/** Where the text before `start` ends once spaces and planned deletions are skipped ("a very | big": the end of "a"). */
export function endBefore(text: string, start: number, planned: readonly Planned[]): number {
  let p = start;
  for (;;) {
    while (p > 0 && /[ \t]/.test(text[p - 1])) p--;
    const deleted = p > 0 ? deletedAt(planned, p - 1) : undefined;
    if (!deleted) return p;
    p = deleted.start;
  }
}

/** Where the text after `end` starts once spaces and planned deletions are skipped. */
export function startAfter(text: string, end: number, planned: readonly Planned[]): number {
  let q = end;
  for (;;) {
    while (q < text.length && /[ \t]/.test(text[q])) q++;
    const deleted = deletedAt(planned, q);
    if (!deleted) return q;
    q = deleted.end;
  }
}

/**
 * What an edit of [start, end) into `replacement` needs for the indefinite article before it:
 * 'ok' (no article there, it is itself edited, or it still agrees), 'refuse' (the next word's
 * sound is not known), or the article's range and the form it must take. Deletions planned
 * earlier are looked through on both sides ("an extremely incredibly useful": the second
 * deletion sees "an" and "useful").
 */
export function articleAgreement(text: string, start: number, end: number, replacement: string, planned: readonly Planned[], rule: ArticleRule): 'ok' | 'refuse' | { start: number; end: number; form: string } {
  const p = endBefore(text, start, planned);
  if (p === start) return 'ok';
  const article = /(?<![\p{L}\p{N}_'’-])(?:an|a)$/iu.exec(text.slice(Math.max(0, p - 3), p));
  if (!article) return 'ok';
  const articleStart = p - article[0].length;
  // An earlier edit of this kind already set its form ("a really extremely big": "an", then "a" again).
  const fixed = planned.find((e) => e.start === articleStart && e.end === p && e.replacement !== '');
  // Otherwise an article edited itself (dropped at the aggressive level, or taken by a longer phrase) needs nothing.
  if (!fixed && planned.some((e) => e.start < p && articleStart < e.end)) return 'ok';
  const current = fixed ? fixed.replacement : article[0];
  let nextWord: string | undefined;
  if (replacement !== '') {
    nextWord = /^[ \t]*([^\s]+)/u.exec(replacement)?.[1];
  } else {
    const q = startAfter(text, end, planned);
    nextWord = /^[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(text.slice(q, q + 60))?.[0];
    // "a very." — nothing follows to agree with; a quote, code or placeholder ("an extremely {adjective}") has no known sound.
    if (nextWord === undefined) return /^(?:[\s.,;:!?)\]]|$)/u.test(text.slice(q, q + 1)) ? 'ok' : 'refuse';
  }
  const form = nextWord === undefined ? undefined : articleFor(nextWord.replace(/[^\p{L}\p{N}'’-].*$/u, ''), rule);
  if (form === undefined) return 'refuse';
  if (form.toLowerCase() === current.toLowerCase()) return 'ok';
  return { start: articleStart, end: p, form };
}
