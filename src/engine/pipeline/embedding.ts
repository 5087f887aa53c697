/**
 * The embedded default text embedding: feature hashing of word unigrams, word bigrams and
 * character trigrams into a fixed-size vector, L2-normalised. It needs no model download,
 * is deterministic, and captures lexical (not deep semantic) similarity, which is what
 * the vector retriever and the semantic cache use when no embedding model is configured.
 * Cosine similarity of two such vectors is their dot product.
 */
import { createHash } from 'node:crypto';
import { wordTokens } from '../providers/tinyLm';

export const EMBEDDING_DIM = 256;

const STOPWORDS = new Set(['a', 'an', 'the', 'of', 'to', 'and', 'or', 'is', 'are', 'in', 'on', 'for', 'with', 'it', 'its', 'by', 'be', 'as', 'at', 'that', 'this', 'what', 'which', 'how', 'why', 'does', 'do', 'can', 'from', 'when', 'so']);

function bucket(feature: string): { index: number; sign: number } {
  const h = createHash('md5').update(feature).digest();
  return { index: h.readUInt32LE(0) % EMBEDDING_DIM, sign: (h[4] & 1) === 0 ? 1 : -1 };
}

const memo = new Map<string, { index: number; sign: number }>();
function cachedBucket(feature: string): { index: number; sign: number } {
  let b = memo.get(feature);
  if (!b) {
    b = bucket(feature);
    if (memo.size < 200_000) memo.set(feature, b);
  }
  return b;
}

/** Content words of a text: lower-cased, punctuation and stop words dropped. */
export function contentWords(text: string): string[] {
  return wordTokens(text).filter((t) => /[\p{L}\p{N}]/u.test(t) && !STOPWORDS.has(t));
}

export function embed(text: string): number[] {
  const v = new Float64Array(EMBEDDING_DIM);
  const words = contentWords(text);
  const add = (feature: string, weight: number) => {
    const b = cachedBucket(feature);
    v[b.index] += b.sign * weight;
  };
  for (const w of words) {
    add(`w:${w}`, 1);
    const padded = `#${w}#`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.3);
  }
  for (let i = 1; i < words.length; i++) add(`b:${words[i - 1]}_${words[i]}`, 0.5);
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Array.from(v, (x) => x / norm);
}

export function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * b[i];
  return dot;
}
