/**
 * Answer and retrieval metrics for extractive question answering, as the SQuAD evaluation
 * defines them (Rajpurkar et al. 2016, the official v1.1 evaluation script's rules, written
 * here from that description):
 *
 * - normalisation: lower-case; drop punctuation characters; drop the articles a, an, the
 *   as whole words; collapse white space. `"The BM25-score!"` → `"bm25score"`.
 * - exact match (EM): 1 when the normalised prediction equals the normalised reference.
 * - token F1: harmonic mean of precision and recall over the bag of normalised tokens
 *   (a token counts as often as it appears in both).
 * - several references: the best score over them (SQuAD has several human answers).
 *
 * Retrieval: reciprocal rank of the first relevant passage (MRR is its mean over queries).
 */

/** ASCII punctuation (Python's `string.punctuation`) plus the Unicode punctuation classes. */
const PUNCTUATION = /[\p{P}\p{S}]/gu;

export function squadNormalize(text: string): string {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, '')
    .replace(/\b(a|an|the)\b/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

function tokens(text: string): string[] {
  const n = squadNormalize(text);
  return n === '' ? [] : n.split(' ');
}

export function squadExactMatch(prediction: string, reference: string): number {
  return squadNormalize(prediction) === squadNormalize(reference) ? 1 : 0;
}

export function squadF1(prediction: string, reference: string): number {
  const p = tokens(prediction);
  const r = tokens(reference);
  // SQuAD v2's rule for empty answers: both empty is a match, one empty is not.
  if (p.length === 0 || r.length === 0) return p.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of r) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of p) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(w, n - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / p.length;
  const recall = overlap / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The best of `metric` over the references (0 when there are none). */
export function bestOver(metric: (prediction: string, reference: string) => number, prediction: string, references: readonly string[]): number {
  let best = 0;
  for (const r of references) best = Math.max(best, metric(prediction, r));
  return best;
}

/** 1 / rank of the first retrieved id that is relevant (ranks from 1), 0 when none is. */
export function reciprocalRank(retrievedIds: readonly string[], relevantIds: readonly string[]): number {
  const i = retrievedIds.findIndex((id) => relevantIds.includes(id));
  return i < 0 ? 0 : 1 / (i + 1);
}
