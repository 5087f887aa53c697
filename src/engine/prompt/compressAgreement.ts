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

/**
 * The planned edits by position, for the walks below: which edit covers a character, and how far a run of deletions
 * and spaces reaches. A linear search of the plan per step made "please please please …" cubic (16 KB: 6 s, 32 KB:
 * 48 s, break26): each deletion walked back through all the earlier ones, each step searching the whole plan. Edits are
 * indexed as the plan grows; a plan that takes edits back says so (`removed`). The reach of a run is remembered
 * (path compression): deletions only add to a run, so a reach found earlier is still inside the run.
 */
/** Steps the walks below have taken in this process (each deletion or remembered run crossed): a work count the complexity test reads. */
export const walkWork = { steps: 0 };

export class EditIndex<T extends Planned = Planned> {
  private readonly cover: Array<T | undefined>;
  private synced = 0;
  private last: T | undefined;
  private back = new Map<T, number>();
  private forward = new Map<T, number>();

  constructor(
    textLength: number,
    private readonly planned: readonly T[],
  ) {
    this.cover = new Array<T | undefined>(textLength + 1);
  }

  /** The edit that covers character `i`, if any. */
  at(i: number): T | undefined {
    this.sync();
    return i >= 0 && i < this.cover.length ? this.cover[i] : undefined;
  }

  /** The deletion that covers character `i`, if any. */
  deletedAt(i: number): T | undefined {
    const e = this.at(i);
    return e && e.replacement === '' ? e : undefined;
  }

  /** `edits` were just taken out of the plan (which was indexed up to them: call `at` first); the rest stays indexed. */
  dropped(edits: readonly T[]): void {
    for (const e of edits) for (let j = e.start; j < e.end; j++) if (this.cover[j] === e) this.cover[j] = undefined;
    this.synced = this.planned.length;
    this.last = this.planned[this.synced - 1];
    if (edits.some((e) => e.replacement === '')) {
      this.back = new Map();
      this.forward = new Map();
    }
  }

  /** The plan was rewritten: index it again. */
  private removed(): void {
    this.cover.fill(undefined);
    this.synced = 0;
    this.last = undefined;
    this.back = new Map();
    this.forward = new Map();
  }

  /** The remembered start of the run of deletions and spaces that ends with `d` (or `d`'s own start). */
  reachBack(d: T): number {
    return this.back.get(d) ?? d.start;
  }

  reachForward(d: T): number {
    return this.forward.get(d) ?? d.end;
  }

  remember(runs: readonly T[], to: number, backwards: boolean): void {
    for (const d of runs) (backwards ? this.back : this.forward).set(d, to);
  }

  private sync(): void {
    // A plan rewritten from outside (sorted, emptied and refilled) no longer starts with what was indexed.
    if (this.synced > this.planned.length || (this.synced > 0 && this.planned[this.synced - 1] !== this.last)) this.removed();
    for (; this.synced < this.planned.length; this.synced++) {
      const e = this.planned[this.synced];
      for (let j = e.start; j < e.end; j++) this.cover[j] ??= e;
      this.last = e;
    }
  }
}

/** Where the text before `start` ends once spaces and planned deletions are skipped ("a very | big": the end of "a"). */
export function endBefore(text: string, start: number, planned: EditIndex): number {
  let p = start;
  const run: Planned[] = [];
  for (;;) {
    while (p > 0 && (text[p - 1] === ' ' || text[p - 1] === '\t')) p--;
    const deleted = p > 0 ? planned.deletedAt(p - 1) : undefined;
    if (!deleted) break;
    run.push(deleted);
    walkWork.steps++;
    p = planned.reachBack(deleted);
  }
  planned.remember(run, p, true);
  return p;
}

/** Where the text after `end` starts once spaces and planned deletions are skipped. */
export function startAfter(text: string, end: number, planned: EditIndex): number {
  let q = end;
  const run: Planned[] = [];
  for (;;) {
    while (q < text.length && (text[q] === ' ' || text[q] === '\t')) q++;
    const deleted = planned.deletedAt(q);
    if (!deleted) break;
    run.push(deleted);
    walkWork.steps++;
    q = planned.reachForward(deleted);
  }
  planned.remember(run, q, false);
  return q;
}

/**
 * What an edit of [start, end) into `replacement` needs for the indefinite article before it:
 * 'ok' (no article there, it is itself edited, or it still agrees), 'refuse' (the next word's
 * sound is not known), or the article's range and the form it must take. Deletions planned
 * earlier are looked through on both sides ("an extremely incredibly useful": the second
 * deletion sees "an" and "useful").
 */
export function articleAgreement(text: string, start: number, end: number, replacement: string, planned: EditIndex, rule: ArticleRule): 'ok' | 'refuse' | { start: number; end: number; form: string } {
  const p = endBefore(text, start, planned);
  if (p === start) return 'ok';
  const article = /(?<![\p{L}\p{N}_'’-])(?:an|a)$/iu.exec(text.slice(Math.max(0, p - 3), p));
  if (!article) return 'ok';
  const articleStart = p - article[0].length;
  // An earlier edit of this kind already set its form ("a really extremely big": "an", then "a" again).
  const atArticle = planned.at(articleStart);
  const fixed = atArticle && atArticle.start === articleStart && atArticle.end === p && atArticle.replacement !== '' ? atArticle : undefined;
  // Otherwise an article edited itself (dropped at the aggressive level, or taken by a longer phrase) needs nothing.
  if (!fixed) for (let i = articleStart; i < p; i++) if (planned.at(i)) return 'ok';
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
