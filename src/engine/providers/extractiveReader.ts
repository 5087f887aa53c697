/**
 * The embedded default answerer: an extractive reader. It does not write text; it picks
 * the one sentence of the retrieved passages that best answers the question and returns
 * it verbatim. So its answers are only as good as retrieval, and its scores (exact match
 * and token F1 against reference answers) measure "did the pipeline put the answering
 * sentence in front of the reader, and did the reader find it" — not fluency.
 *
 * Scoring, for each sentence s of each passage (sentences split at . ! ? before a capital
 * letter or digit), with the query's words reduced to the cross-encoder's stems
 * (../pipeline/crossEncoderFeatures.ts: lower-case, stop words dropped, one suffix cut,
 * six characters):
 *
 *   score(s) = BM25(q, s)                      over the candidate sentences as the collection
 *                                              (k1 = 1.2, b = 0.75, idf = ln(1 + (N − n + 0.5)/(n + 0.5)))
 *            + bigram coverage(q, s)           share of the query's stem bigrams found in s, in order
 *            + 0.5 · passage coverage(q, p)    idf-weighted share of query stems in the passage
 *                                              (title + text), so a sentence in an on-topic
 *                                              passage beats a stray match elsewhere
 *
 * Ties go to the earlier passage (the retriever's or reranker's order), then the earlier
 * sentence. When no passage holds any word of the question (or there are no passages, or
 * no question) there is nothing to extract: the answer is empty, not a guess.
 *
 * Input: `GenerateRequest.context` (the pipeline passes the question and passages there).
 * Without it the prompt is parsed: passages are lines `[n] text`, the question the text
 * after the last `Question:` (else the last line ending in `?`); with no `[n]` lines the
 * other sentences of the prompt are the candidates.
 */
import { featureStem, featureWords } from '../pipeline/crossEncoderFeatures';
import { timingFrom, type GenerateRequest, type GenerationResult, type LlmProvider, type ReaderPassage, type StreamChunk } from './types';
import { throwIfCancelled } from '../../protocol/errors';

export const EXTRACTIVE_READER = 'extractive-reader';

export const READER_DESCRIPTION = 'extractive reader (embedded, no language model): returns the one sentence of the retrieved passages with the best BM25 + query-bigram + passage-coverage score, verbatim';

const K1 = 1.2;
const B = 0.75;
const PASSAGE_WEIGHT = 0.5;

export interface ReaderCandidate {
  /** Index of the passage in the order given. */
  passage: number;
  sentence: string;
  score: number;
}

/** Sentences of a text: split at . ! ? followed by white space and a capital letter, digit or opening quote. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'“(])/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

function stems(text: string): string[] {
  return featureWords(text).map(featureStem);
}

/** Scores every sentence of the passages for the question, best first (stable on ties). */
export function rankSentences(question: string, passages: readonly ReaderPassage[]): ReaderCandidate[] {
  const q = [...new Set(stems(question))];
  const qSeq = stems(question);
  const qBigrams = new Set(qSeq.slice(1).map((w, i) => `${qSeq[i]} ${w}`));
  const sentences: { passage: number; sentence: string; stems: string[] }[] = [];
  passages.forEach((p, i) => {
    for (const s of splitSentences(p.text)) sentences.push({ passage: i, sentence: s, stems: stems(s) });
  });
  if (sentences.length === 0) return [];
  const N = sentences.length;
  const df = new Map<string, number>();
  for (const s of sentences) for (const t of new Set(s.stems)) df.set(t, (df.get(t) ?? 0) + 1);
  const idf = (t: string) => Math.log(1 + (N - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));
  const avgdl = sentences.reduce((n, s) => n + s.stems.length, 0) / N || 1;
  const qIdf = q.reduce((n, t) => n + idf(t), 0);
  const passageCoverage = passages.map((p) => {
    if (qIdf === 0) return 0;
    const present = new Set(stems(`${p.title ?? ''} ${p.text}`));
    return q.reduce((n, t) => n + (present.has(t) ? idf(t) : 0), 0) / qIdf;
  });
  const scored = sentences.map((s, order) => {
    const tf = new Map<string, number>();
    for (const t of s.stems) tf.set(t, (tf.get(t) ?? 0) + 1);
    let bm25 = 0;
    for (const t of q) {
      const f = tf.get(t) ?? 0;
      if (f > 0) bm25 += (idf(t) * f * (K1 + 1)) / (f + K1 * (1 - B + (B * s.stems.length) / avgdl));
    }
    let bigram = 0;
    if (qBigrams.size > 0) {
      const have = new Set(s.stems.slice(1).map((w, i) => `${s.stems[i]} ${w}`));
      for (const b of qBigrams) if (have.has(b)) bigram++;
      bigram /= qBigrams.size;
    }
    return { passage: s.passage, sentence: s.sentence, score: bm25 + bigram + PASSAGE_WEIGHT * passageCoverage[s.passage], order };
  });
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  return scored.map(({ passage, sentence, score }) => ({ passage, sentence, score }));
}

/** The reader's answer: the best sentence, or '' when there is none or nothing of the question matches. */
export function readAnswer(question: string, passages: readonly ReaderPassage[]): string {
  const best = rankSentences(question, passages)[0];
  return best && best.score > 0 ? best.sentence : '';
}

/** Question and passages from a prompt without structured context (see the module comment). */
export function parsePrompt(prompt: string): { question: string; passages: ReaderPassage[] } {
  const lines = prompt.split(/\r?\n/);
  const passages: ReaderPassage[] = [];
  for (const line of lines) {
    const m = /^\s*\[(\d+)\]\s+(.+)$/.exec(line);
    if (m) passages.push({ text: m[2] });
  }
  const marker = /question\s*:\s*(.+)/gi;
  let question = '';
  for (let m = marker.exec(prompt); m; m = marker.exec(prompt)) question = m[1].trim();
  if (!question) question = [...lines].reverse().find((l) => l.trim().endsWith('?'))?.trim() ?? '';
  if (passages.length === 0) {
    // No passages: read the prompt's own sentences, except the question itself.
    const own = lines.flatMap((l) => splitSentences(l)).filter((s) => s !== question && !/^question\s*:/i.test(s));
    if (own.length > 0) passages.push({ text: own.join(' ') });
  }
  return { question, passages };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}

export class ExtractiveReader implements LlmProvider {
  readonly kind = 'local';
  readonly paid = false;
  readonly model = EXTRACTIVE_READER;
  readonly description = READER_DESCRIPTION;

  countTokens(text: string): number {
    return words(text).length;
  }

  generate(request: GenerateRequest): Promise<GenerationResult> {
    return this.stream(request);
  }

  async stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const started = performance.now();
    throwIfCancelled(request.signal, 'Generation');
    const prompt = request.messages.map((m) => m.content).join('\n');
    const input = request.context ?? parsePrompt(request.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n'));
    const answer = readAnswer(input.question, input.passages);
    let out = words(answer);
    let finishReason = 'stop';
    if (request.maxTokens !== undefined && out.length > request.maxTokens) {
      out = out.slice(0, Math.max(0, request.maxTokens));
      finishReason = 'length';
    }
    const chunkTimes: number[] = [];
    out.forEach((w, i) => {
      const at = performance.now();
      chunkTimes.push(at);
      onChunk?.({ text: i === 0 ? w : ` ${w}`, atMs: at - started });
    });
    return {
      text: out.join(' '),
      model: this.model,
      usage: { inputTokens: words(prompt).length, outputTokens: out.length, cachedInputTokens: 0, source: 'counted' },
      timing: timingFrom(started, chunkTimes, performance.now()),
      finishReason,
      streamed: true,
    };
  }
}
