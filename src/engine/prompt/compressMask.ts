/**
 * The protection mask: one value per character of the prompt that says which edits may touch
 * it (free text, a protected item, a constraint clause open to safe edits only, a keep word that
 * no edit may touch). Built once per pass from the protected spans; the edit plan consults it
 * before every edit, and the retention check derives from it what the output must still hold.
 * Kept apart from the planners so the rules about what is safe live in one place, and the
 * keep-word lists (negations, limits) are read in one file.
 */
import { isSentenceLevel, protectedItems, type ProtectedSpan } from '../../shared/prompt/protected';
import { normalizeWhitespace } from '../../shared/prompt/spans';

/**
 * 0: free; 1: protected; 2: first letter of a protected sentence (may be re-cased only);
 * 3 (medium and aggressive): inside a constraint or output-format clause: only safe edits
 * (articles, verbose phrase → short form, filler, politeness, "you should" → imperative, and
 * at the aggressive level telegraphic cuts) may touch it; 4: a keep word of such a clause
 * (a negation, a quantifier or limit, a hard-constraint word: KEEP_WORD) or the word right
 * after it: never edited, only re-cased when it comes to open the sentence.
 */
export type Mask = Uint8Array;

/** Negation words of every pack (an edit never touches them or the word after them). */
const NEGATION_WORDS = ['not', 'no', 'nor', 'never', 'none', 'nothing', 'cannot', "can't", "don't", "doesn't", "didn't", "won't", "mustn't", "shouldn't", "isn't", "aren't", 'without', 'avoid', 'não', 'nunca', 'jamais', 'nem', 'nenhum', 'nenhuma', 'nada', 'sem', 'evite', 'jamás', 'ni', 'ninguno', 'ninguna', 'sin', 'evita', 'tampoco', 'tampouco'];
/** Whether a clause holds a negation (its filler stays: "do not just list" is not "do not list"). */
const NEGATION = new RegExp(`(?<![\\p{L}\\p{N}_'’])(?:${NEGATION_WORDS.map((w) => w.replace(/'/g, "['’]")).join('|')})(?![\\p{L}\\p{N}_])`, 'iu');
/** A whole word that negates the word after it (any "-n't" form too). */
export const NEGATED_BY = new RegExp(`^(?:${NEGATION_WORDS.map((w) => w.replace(/'/g, "['’]")).join('|')}|\\p{L}+n['’]t)$`, 'iu');

/** Quantifier, limit and hard-constraint words of every pack (sorted longest first below: "no more than" before "no"). */
const LIMIT_WORDS = [
  'no more than', 'no less than', 'at most', 'at least', 'only', 'exactly', 'maximum', 'minimum', 'all', 'every', 'each', 'any', 'must', 'always', 'strictly', 'required',
  'pelo menos', 'no máximo', 'no mínimo', 'apenas', 'somente', 'só', 'exatamente', 'estritamente', 'sempre', 'deve', 'devem', 'máximo', 'mínimo', 'todos', 'todas', 'cada', 'qualquer',
  'al menos', 'como máximo', 'como mínimo', 'solo', 'sólo', 'solamente', 'únicamente', 'exclusivamente', 'exactamente', 'estrictamente', 'siempre', 'debe', 'debes', 'deben', 'cualquier',
];
const keepAlternatives = [...NEGATION_WORDS, ...LIMIT_WORDS].sort((a, b) => b.length - a.length).map((w) => w.replace(/ /g, '\\s+').replace(/'/g, "['’]"));
/** Every keep word: it and the word after it stay, in order, at every level. */
const KEEP_WORD = new RegExp(`(?<![\\p{L}\\p{N}_'’])(?:${keepAlternatives.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');

/**
 * `softClauses`: constraint and format clauses take safe edits, their keep words (KEEP_WORD)
 * and the word after each stay locked. Without it (light level, clean-up) they stay verbatim.
 */
export function buildMask(text: string, spans: readonly ProtectedSpan[], softClauses = false): Mask {
  const mask = new Uint8Array(text.length);
  for (const span of spans) if (!isSentenceLevel(span)) mask.fill(1, span.start, span.end);
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    const firstFree = mask[span.start] === 0;
    if (!softClauses) {
      mask.fill(1, span.start, span.end);
    } else {
      // A negated clause takes no filler cut: the negation scopes over it ("do not read it carefully" is not "do not read it").
      const value = NEGATION.test(span.text) ? 5 : 3;
      for (let i = span.start; i < span.end; i++) if (mask[i] === 0) mask[i] = value;
      const lock = (from: number, to: number) => {
        for (let i = from; i < to; i++) if (mask[i] === 3 || mask[i] === 5) mask[i] = 4;
      };
      // The word after a keep word, as the oracle counts words: a number or a symbol before it does not count ("only 3 short words" keeps "3 short").
      const lockNext = (from: number) => {
        let at = from;
        for (;;) {
          const word = /^[^\p{L}\p{N}]*[\p{L}\p{N}][\p{L}\p{N}'’-]*/u.exec(text.slice(at, Math.min(span.end, at + 200)));
          if (!word) return;
          lock(at, at + word[0].length);
          at += word[0].length;
          if (/\p{L}/u.test(word[0])) return;
        }
      };
      KEEP_WORD.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = KEEP_WORD.exec(span.text)) !== null) {
        const at = span.start + m.index;
        lock(at, at + m[0].length);
        lockNext(at + m[0].length);
      }
      KEEP_WORD.lastIndex = 0;
    }
    if (firstFree && mask[span.start] === 1) mask[span.start] = 2;
  }
  return mask;
}

/**
 * How an edit may touch soft-protected clauses: `false` not at all, `true` any of them (a safe
 * edit), `'unnegated'` only those without a negation (a filler cut).
 */
export type Softness = boolean | 'unnegated';

/** Whether mask value `v` is open to an edit of the given softness. */
export const opens = (v: number, soft: Softness) => v === 0 || (soft !== false && v === 3) || (soft === true && v === 5);

/** Whether [start, end) may be edited: free text, or soft-protected text for a meaning-preserving edit. */
export function isFree(mask: Mask, start: number, end: number, soft: Softness = false): boolean {
  for (let i = start; i < end; i++) if (!opens(mask[i], soft)) return false;
  return true;
}

/**
 * What the compressed text must still contain: every exact item (numbers, quotes, code,
 * names…), every negated clause whole, and of the other constraint clauses the runs no edit
 * may touch (the cue and the word after it, names, numbers inside).
 */
export function retentionItems(text: string, spans: readonly ProtectedSpan[], mask: Mask): string[] {
  const items = new Set(protectedItems(spans.filter((s) => !isSentenceLevel(s) || mask.subarray(s.start, s.end).every((v) => v !== 3 && v !== 5))));
  for (const span of spans) {
    if (!isSentenceLevel(span)) continue;
    let i = span.start;
    while (i < span.end) {
      if (mask[i] === 3 || mask[i] === 5) {
        i++;
        continue;
      }
      let j = i;
      while (j < span.end && mask[j] !== 3 && mask[j] !== 5) j++;
      // Trimmed by hand: a `[…]+$` pattern backtracks quadratically on long runs of punctuation.
      let a = i;
      let b = j;
      while (a < b && /[\s,;:]/.test(text[a])) a++;
      while (b > a && /[\s,;:]/.test(text[b - 1])) b--;
      const run = normalizeWhitespace(text.slice(a, b));
      if (/[\p{L}\p{N}]/u.test(run)) items.add(run);
      i = j;
    }
  }
  return [...items];
}
