/**
 * Metrics shared by the benchmarks. Text metrics work on lower-cased word tokens:
 * exact-match accuracy, SQuAD-style token F1, and ROUGE-L (F-measure of the longest
 * common subsequence). Statistics: nearest-rank percentiles, mean with a 95 % confidence
 * interval from Student's t distribution.
 */
import { wordTokens } from '../providers/tinyLm';
import type { MeanWithCi } from '../../protocol/benchmarkRun';

function words(text: string): string[] {
  return wordTokens(text).filter((t) => /[\p{L}\p{N}]/u.test(t));
}

export function normalizeAnswer(text: string): string {
  return words(text).filter((w) => !['a', 'an', 'the'].includes(w)).join(' ');
}

export function exactMatch(prediction: string, reference: string): number {
  return normalizeAnswer(prediction) === normalizeAnswer(reference) ? 1 : 0;
}

export function tokenF1(prediction: string, reference: string): number {
  return bagF1(normalizeAnswer(prediction).split(' ').filter(Boolean), normalizeAnswer(reference).split(' ').filter(Boolean));
}

/** F1 over two bags of tokens (a token counts as often as it appears in both); both empty is a match, one empty is not. */
export function bagF1(p: readonly string[], r: readonly string[]): number {
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

export function lcsLength(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    prev = cur;
  }
  return prev[b.length];
}

export function rougeL(prediction: string, reference: string): number {
  const p = words(prediction);
  const r = words(reference);
  const lcs = lcsLength(p, r);
  if (lcs === 0) return 0;
  const precision = lcs / p.length;
  const recall = lcs / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** Nearest-rank percentile of unsorted values (0 when empty). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

// Two-sided 95 % Student t critical values for 1..30 degrees of freedom.
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Part of the protocol (src/protocol/benchmarkRun.ts): quality cells carry it. */
export type { MeanWithCi };

export function meanCi95(values: readonly number[]): MeanWithCi {
  const n = values.length;
  const m = mean(values);
  if (n < 2) return { mean: m, ci95: 0, low: m, high: m, n };
  const variance = values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (n - 1);
  const t = n - 1 <= 30 ? T95[n - 2] : 1.96;
  const half = (t * Math.sqrt(variance)) / Math.sqrt(n);
  return { mean: m, ci95: half, low: m - half, high: m + half, n };
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
