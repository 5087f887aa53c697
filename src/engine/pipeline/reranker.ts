/**
 * Rerankers. The interface takes a query and passages and returns one relevance score per
 * passage; a higher score ranks first. Two kinds, chosen in the pipeline config:
 *
 * - `{"type": "cross_encoder", "model": "<path to .onnx>"}`: an ONNX cross-encoder. It reads
 *   the query and each passage together, as a cross-encoder does: the pair is turned into
 *   the feature vector of ./crossEncoderFeatures.ts and scored by the model through
 *   src/engine/model/runtime.ts. The model that ships with the sample pipeline,
 *   samples/rag/models/cross_encoder.onnx, is trained by
 *   scripts/fixtures/train_cross_encoder.py (see samples/rag/models/README.md for its
 *   inputs, training data and held-out metrics). Any ONNX model with a float32
 *   `[batch, 1034]` input of those features and a `[batch]` (or `[batch, 1]`) score output
 *   works. Results name it `cross-encoder-onnx:<file name>`.
 * - `{"type": "lexical"}`: the lexical-overlap scorer, with no model: the share of query
 *   content words found in the passage (light prefix matching), a bonus for query word
 *   pairs in order, and a small title bonus. Results name it `lexical-overlap`.
 *   `{"type": "cross_encoder", "model": "lexical-overlap"}` is the older spelling of it and
 *   still runs it (and is named `lexical-overlap`, never the cross-encoder).
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { openSession, type RuntimeSession } from '../model/runtime';
import { FEATURE_COUNT, featureMatrix } from './crossEncoderFeatures';
import { contentWords } from './embedding';
import type { RetrievedPassage } from './corpus';

export const LEXICAL_RERANKER = 'lexical-overlap';

export interface Reranker {
  /** What ran: `cross-encoder-onnx:<file>` or `lexical-overlap`. */
  readonly name: string;
  readonly kind: 'cross_encoder' | 'lexical';
  /** True for the lexical scorer, so reports can say which scorer ran. */
  readonly fallback: boolean;
  score(query: string, passages: readonly RetrievedPassage[]): Promise<number[]>;
}

function stem(word: string): string {
  return word.length > 5 ? word.slice(0, 5) : word;
}

export class LexicalOverlapReranker implements Reranker {
  readonly name = LEXICAL_RERANKER;
  readonly kind = 'lexical' as const;
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

/** Sessions by model path, shared by every pipeline of the process (the optimizer builds many). */
const sessions = new Map<string, Promise<RuntimeSession>>();

async function crossEncoderSession(path: string): Promise<RuntimeSession> {
  let pending = sessions.get(path);
  if (!pending) {
    pending = openSession(path, 'cpu', { intraOpNumThreads: 1 }, `the cross-encoder ${path}`).then((session) => {
      const input = session.inputs[0];
      const width = input?.shape[1];
      if (session.inputs.length !== 1 || input.type !== 'float32' || (typeof width === 'number' && width !== FEATURE_COUNT)) {
        throw new EngineError('badRequest', `The cross-encoder ${path} takes ${session.inputs.map((i) => `${i.name} ${i.type} [${i.shape.join(', ')}]`).join(', ')}; PepperPy feeds one float32 [batch, ${FEATURE_COUNT}] feature matrix.`, 'Use a model made by scripts/fixtures/train_cross_encoder.py (see samples/rag/models/README.md), or type "lexical".');
      }
      return session;
    });
    sessions.set(path, pending);
    pending.catch(() => sessions.delete(path));
  }
  return pending;
}

export class OnnxCrossEncoderReranker implements Reranker {
  readonly name: string;
  readonly kind = 'cross_encoder' as const;
  readonly fallback = false;

  constructor(readonly modelPath: string) {
    this.name = `cross-encoder-onnx:${basename(modelPath)}`;
  }

  /** The execution provider the session runs on (after the first score). */
  async executionProvider(): Promise<string> {
    return (await crossEncoderSession(this.modelPath)).executionProvider;
  }

  async score(query: string, passages: readonly RetrievedPassage[]): Promise<number[]> {
    if (passages.length === 0) return [];
    const session = await crossEncoderSession(this.modelPath);
    const out = await session.run({ [session.inputs[0].name]: { type: 'float32', data: featureMatrix(query, passages), dims: [passages.length, FEATURE_COUNT] } });
    const scores = out[session.outputNames[0]]?.data;
    if (!scores || scores.length !== passages.length) throw new EngineError('badRequest', `The cross-encoder ${this.modelPath} returned ${scores?.length ?? 0} scores for ${passages.length} passages.`, 'Its output must be one score per row: [batch] or [batch, 1].');
    return Array.from(scores);
  }
}

/**
 * The reranker for a config's `model` (as the runner passes it): `lexical-overlap` (what
 * `type: "lexical"` parses to) is the lexical scorer; anything else is the path of an ONNX
 * cross-encoder, checked here so a missing file fails when the pipeline is built.
 */
export function createReranker(model: string | undefined): Reranker {
  if (model === LEXICAL_RERANKER) return new LexicalOverlapReranker();
  if (!model) throw new EngineError('badRequest', 'components.reranker.model: a cross_encoder needs the path of its ONNX model.', 'Set "model" (e.g. "models/cross_encoder.onnx", relative to the config file), or use {"type": "lexical"}.');
  const path = resolve(model);
  if (!existsSync(path)) throw new EngineError('notFound', `The cross-encoder model ${path} (components.reranker.model) does not exist.`, 'components.reranker.model is a path to an ONNX file, relative to the pipeline config file. "PepperPy: Optimize RAG Pipeline" → "Create a starter RAG pipeline" puts one in models/cross_encoder.onnx beside a new config; or use {"type": "lexical"} for the model-free scorer.');
  return new OnnxCrossEncoderReranker(path);
}
