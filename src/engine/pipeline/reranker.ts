/**
 * Rerankers for the `cross_encoder` component. The interface takes a query and passages
 * and returns one relevance score per passage; a higher score ranks first.
 *
 * No cross-encoder ONNX model (ms-marco-MiniLM and friends need a WordPiece tokenizer and a
 * ~90 MB download) ships with PepperPy yet, so the implementation is the documented
 * lexical-overlap fallback: the share of query content words found in the passage
 * (with light prefix matching), plus a bonus for query word pairs that appear in order,
 * plus a small title match bonus. It reads query and passage together, as a cross-encoder
 * does, but it scores words, not meaning; results name it as `lexical-overlap`.
 */
import { contentWords } from './embedding';
import type { RetrievedPassage } from './corpus';

export interface Reranker {
  readonly name: string;
  /** True for the lexical fallback, so reports can say which scorer ran. */
  readonly fallback: boolean;
  score(query: string, passages: readonly RetrievedPassage[]): Promise<number[]>;
}

function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

export class LexicalOverlapReranker implements Reranker {
  readonly name = 'lexical-overlap';
  readonly fallback = true;

  async score(query: string, passages: readonly RetrievedPassage[]): Promise<number[]> {
    const q = contentWords(query).map(stem);
    if (q.length === 0) return passages.map(() => 0);
    const qPairs = new Set(q.slice(1).map((w, i) => `${q[i]} ${w}`));
    return passages.map((p) => {
      const words = contentWords(p.text).map(stem);
      const present = new Set(words);
      const titleWords = new Set(contentWords(p.title ?? '').map(stem));
      let coverage = 0;
      let title = 0;
      for (const w of new Set(q)) {
        if (present.has(w)) coverage++;
        if (titleWords.has(w)) title++;
      }
      let pairs = 0;
      for (let i = 1; i < words.length; i++) if (qPairs.has(`${words[i - 1]} ${words[i]}`)) pairs++;
      const unique = new Set(q).size;
      return coverage / unique + 0.5 * Math.min(1, pairs / Math.max(1, qPairs.size)) + 0.3 * (title / unique);
    });
  }
}

export function createReranker(model: string | undefined): Reranker {
  // Every model name maps to the fallback until an ONNX cross-encoder ships; the result
  // records `lexical-overlap` so nobody mistakes it for the named model.
  void model;
  return new LexicalOverlapReranker();
}
