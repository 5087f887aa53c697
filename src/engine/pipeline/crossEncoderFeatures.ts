/**
 * Query-passage features for the ONNX cross-encoder reranker. This is a line-for-line port
 * of `features()` in scripts/fixtures/train_cross_encoder.py, which trained the model on
 * the same vector; samples/rag/models/parity.json (written by that script) pins the two
 * together in test/unit/pipeline/reranker.test.ts.
 *
 * - words: lower-cased ASCII `[a-z0-9]+` runs, stop words dropped; stem = strip one of
 *   ing/ed/es/s when at least 3 characters remain, then keep 6 characters.
 * - passage = title + ' ' + text.
 * - 10 dense features (query-stem coverage in passage and title, bigram coverage,
 *   character-trigram coverage, log term frequency, length, first-match position, 1/|q|,
 *   any match, all matched), then hashed blocks: 256 matched stems, 256 unmatched stems,
 *   512 query-stem × title-stem pairs (md5, first 4 bytes little-endian, modulo the block).
 */
import { createHash } from 'node:crypto';

export const DENSE = 10;
export const MATCHED = 256;
export const UNMATCHED = 256;
export const PAIRS = 512;
export const FEATURE_COUNT = DENSE + MATCHED + UNMATCHED + PAIRS;

const STOPWORDS = new Set('a an the of to and or is are was were be been in on for with it its by as at that this these those what which who how why when where does do did can could should would will from so if than then there their they them we you your our us i me my not no into about'.split(' '));

export function featureWords(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((w) => !STOPWORDS.has(w));
}

export function featureStem(word: string): string {
  let w = word;
  for (const suf of ['ing', 'ed', 'es', 's']) {
    if (w.endsWith(suf) && w.length - suf.length >= 3) {
      w = w.slice(0, -suf.length);
      break;
    }
  }
  return w.slice(0, 6);
}

const bucketMemo = new Map<string, number>();
function bucket(feature: string, size: number): number {
  const key = `${size}\u0000${feature}`;
  let b = bucketMemo.get(key);
  if (b === undefined) {
    b = createHash('md5').update(feature, 'utf8').digest().readUInt32LE(0) % size;
    if (bucketMemo.size < 200_000) bucketMemo.set(key, b);
  }
  return b;
}

function trigrams(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const w of words) {
    const p = `#${w}#`;
    for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  }
  return out;
}

/** Writes the features of one (query, passage) pair into `out` (length FEATURE_COUNT, zeroed). */
export function writeFeatures(query: string, title: string, text: string, out: Float32Array): void {
  const qw = featureWords(query);
  const q: string[] = [];
  for (const w of qw) {
    const s = featureStem(w);
    if (!q.includes(s)) q.push(s);
  }
  const pw = featureWords(`${title} ${text}`);
  const ps = pw.map(featureStem);
  const present = new Map<string, number>();
  for (const s of ps) present.set(s, (present.get(s) ?? 0) + 1);
  const tset: string[] = [];
  for (const w of featureWords(title)) {
    const s = featureStem(w);
    if (!tset.includes(s)) tset.push(s);
  }
  out[5] = Math.log1p(ps.length) / 5;
  if (q.length === 0) {
    out[6] = 1;
    return;
  }
  const qseq = qw.map(featureStem);
  const matched = q.filter((s) => present.has(s));
  out[0] = matched.length / q.length;
  out[1] = q.filter((s) => tset.includes(s)).length / q.length;
  const qbig = new Set(qseq.slice(1).map((b, i) => `${qseq[i]} ${b}`));
  if (qbig.size > 0) {
    const pbig = new Set(ps.slice(1).map((b, i) => `${ps[i]} ${b}`));
    let hit = 0;
    for (const b of qbig) if (pbig.has(b)) hit++;
    out[2] = hit / qbig.size;
  }
  const qt = trigrams(qw);
  if (qt.size > 0) {
    const pt = trigrams(pw);
    let hit = 0;
    for (const t of qt) if (pt.has(t)) hit++;
    out[3] = hit / qt.size;
  }
  out[4] = Math.log1p(matched.reduce((n, s) => n + (present.get(s) ?? 0), 0)) / 3;
  const first = ps.findIndex((s) => q.includes(s));
  out[6] = first < 0 ? 1 : first / Math.max(1, ps.length);
  out[7] = 1 / q.length;
  out[8] = matched.length > 0 ? 1 : 0;
  out[9] = matched.length === q.length ? 1 : 0;
  for (const s of q) {
    if (present.has(s)) out[DENSE + bucket(`m:${s}`, MATCHED)] += 1;
    else out[DENSE + MATCHED + bucket(`u:${s}`, UNMATCHED)] += 1;
  }
  if (tset.length > 0) {
    const w = 1 / Math.sqrt(q.length * tset.length);
    for (const s of q) for (const t of tset) out[DENSE + MATCHED + UNMATCHED + bucket(`p:${s}|${t}`, PAIRS)] += w;
  }
}

/** Features of a query against each passage, as one [passages, FEATURE_COUNT] row-major matrix. */
export function featureMatrix(query: string, passages: readonly { title?: string; text: string }[]): Float32Array {
  const data = new Float32Array(passages.length * FEATURE_COUNT);
  passages.forEach((p, i) => writeFeatures(query, p.title ?? '', p.text, data.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT)));
  return data;
}
