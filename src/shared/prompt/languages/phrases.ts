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
 * For a quantity phrase (`quantities`, keyed lower-cased with single spaces) ending at `end`: the
 * short form for the noun after it, or null when that noun's class is not known (the phrase must
 * stay: "many detail" is worse than no change). Undefined when `key` is no quantity phrase.
 */
export function quantityForm(pack: CompiledPack, key: string, text: string, end: number): string | null | undefined {
  const forms = pack.quantities.get(key);
  if (!forms) return undefined;
  const noun = nounClass(text, end, pack);
  return noun !== undefined && Object.prototype.hasOwnProperty.call(forms, noun) ? forms[noun] : null;
}
