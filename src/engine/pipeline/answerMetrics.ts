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
import { bagF1 } from '../benchmark/metrics';

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
  // SQuAD v2's rule for empty answers (both empty is a match, one empty is not) is bagF1's.
  return bagF1(tokens(prediction), tokens(reference));
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
