/**
 * The local generator: serves a small ONNX causal language model through the same
 * `LlmProvider` interface as the HTTP clients, so benchmarks and pipelines run with no API
 * key. It runs on onnxruntime through src/engine/model/runtime.ts, decoding one token at a
 * time (greedy at temperature 0, otherwise seeded temperature sampling), with a repetition
 * penalty on tokens it has already produced.
 *
 * Models it accepts: any graph with an int64 `input_ids` [1, T] input (an `attention_mask`
 * input, when present, is fed ones) and a float `logits` output of shape [1, V] or
 * [1, T, V], plus a word vocabulary (`vocab.json`: `{ tokenizer: 'word', vocab, eos, unk }`).
 * The bigram-with-copy model of ./tinyLm.ts runs here as model `local-bigram` (pipeline
 * generator model `local-bigram`, benchmark spec `local:bigram`): it is no longer the
 * embedded default answerer (that is ./extractiveReader.ts) and stays for what needs a
 * token-by-token ONNX decoder — decoding-latency runs and this runner's own tests.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../shared/random';
import { EngineError, errorMessage, throwIfCancelled } from '../../protocol/errors';
import { openSession, type FeedTensor, type RuntimeSession } from '../model/runtime';
import { buildTinyLm, detokenize, wordTokens, type WordVocabulary } from './tinyLm';
import { timingFrom, type GenerateRequest, type GenerationResult, type LlmProvider, type StreamChunk } from './types';

export interface LocalModelSource {
  /** Model bytes, or a directory with model.onnx and vocab.json. */
  onnx?: Uint8Array;
  vocabulary?: WordVocabulary;
  dir?: string;
  /** Name reported as the provider's model (default `local-bigram`). */
  name?: string;
  description?: string;
}

export interface LocalOptions {
  /** Penalty subtracted from a token's logit per earlier occurrence in the answer (default 1.5). */
  repetitionPenalty?: number;
  /** Default output limit when the request gives none (default 48). */
  defaultMaxTokens?: number;
  /** Tokens to produce before end-of-sentence tokens are allowed (default 12), so answers are not one word. */
  minTokens?: number;
}

export class LocalOnnxGenerator implements LlmProvider {
  readonly kind = 'local';
  readonly paid = false;
  readonly model: string;
  readonly description: string;
  private session: Promise<RuntimeSession> | undefined;
  private readonly vocabulary: WordVocabulary;
  private readonly index: Map<string, number>;
  private readonly eosId: number;
  private readonly unkId: number;
  private readonly sentenceEnds: number[];
  private readonly bytes: Uint8Array;
  /** Serialises runs: one onnxruntime session, one decode at a time, like a single local GPU. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(source: LocalModelSource, private readonly options: LocalOptions = {}) {
    if (source.dir) {
      try {
        this.bytes = readFileSync(join(source.dir, 'model.onnx'));
        this.vocabulary = JSON.parse(readFileSync(join(source.dir, 'vocab.json'), 'utf8')) as WordVocabulary;
      } catch (error) {
        throw new EngineError('notFound', `Cannot load the local model from ${source.dir}: ${errorMessage(error)}.`, 'The folder needs model.onnx and vocab.json.');
      }
    } else if (source.onnx && source.vocabulary) {
      this.bytes = source.onnx;
      this.vocabulary = source.vocabulary;
    } else {
      throw new EngineError('badRequest', 'The local generator needs a model: a folder, or ONNX bytes with a vocabulary.');
    }
    if (this.vocabulary.tokenizer !== 'word' || !Array.isArray(this.vocabulary.vocab)) throw new EngineError('unsupported', 'The local generator supports word vocabularies only.');
    this.model = source.name ?? 'local-bigram';
    this.description = source.description ?? 'Local ONNX language model.';
    this.index = new Map(this.vocabulary.vocab.map((w, i) => [w, i]));
    this.eosId = this.index.get(this.vocabulary.eos) ?? -1;
    this.unkId = this.index.get(this.vocabulary.unk) ?? 0;
    this.sentenceEnds = ['.', '?', '!'].map((t) => this.index.get(t)).filter((i): i is number => i !== undefined);
  }

  private open(): Promise<RuntimeSession> {
    this.session ??= openSession(this.bytes, 'cpu', { intraOpNumThreads: 1 }, `local model ${this.model}`);
    return this.session;
  }

  /** Token ids of a text under this model's vocabulary. */
  encode(text: string): number[] {
    return wordTokens(text).map((t) => this.index.get(t) ?? this.unkId);
  }

  countTokens(text: string): number {
    return wordTokens(text).length;
  }

  async generate(request: GenerateRequest): Promise<GenerationResult> {
    return this.stream(request);
  }

  stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const run = this.queue.then(() => this.decode(request, onChunk));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async decode(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const started = performance.now();
    const session = await this.open();
    const promptText = request.messages.map((m) => m.content).join('\n');
    const ids = this.encode(promptText);
    if (ids.length === 0) ids.push(this.eosId >= 0 ? this.eosId : this.unkId);
    const inputLength = ids.length;
    const maxTokens = request.maxTokens ?? this.options.defaultMaxTokens ?? 48;
    const penalty = this.options.repetitionPenalty ?? 1.5;
    const temperature = request.temperature ?? 0;
    const random = seededRandom(request.seed ?? 0x5eed);
    const produced = new Map<number, number>();
    const out: string[] = [];
    const chunkTimes: number[] = [];
    const hasMask = session.inputs.some((i) => i.name === 'attention_mask');
    let finishReason = 'length';
    for (let step = 0; step < maxTokens; step++) {
      throwIfCancelled(request.signal, 'Generation');
      const feeds: Record<string, FeedTensor> = { input_ids: { type: 'int64', data: BigInt64Array.from(ids, (x) => BigInt(x)), dims: [1, ids.length] } };
      if (hasMask) feeds.attention_mask = { type: 'int64', data: new BigInt64Array(ids.length).fill(1n), dims: [1, ids.length] };
      const result = await session.run(feeds, ['logits']);
      const logitsAll = result.logits?.data;
      if (!logitsAll) throw new EngineError('unsupported', `The local model ${this.model} has no \`logits\` output.`);
      const V = this.vocabulary.vocab.length;
      const logits = logitsAll.subarray(logitsAll.length - V);
      for (const [id, n] of produced) logits[id] -= penalty * n;
      logits[this.unkId] = -Infinity;
      if (out.length < (this.options.minTokens ?? 12)) {
        if (this.eosId >= 0) logits[this.eosId] = -Infinity;
        for (const id of this.sentenceEnds) logits[id] = -Infinity;
      }
      const next = temperature > 0 ? sample(logits, temperature, random) : argmax(logits);
      if (next === this.eosId) {
        finishReason = 'stop';
        break;
      }
      ids.push(next);
      produced.set(next, (produced.get(next) ?? 0) + 1);
      const word = this.vocabulary.vocab[next];
      out.push(word);
      const at = performance.now();
      chunkTimes.push(at);
      onChunk?.({ text: `${out.length === 1 || /^[.,;:?!]$/.test(word) ? '' : ' '}${word}`, atMs: at - started });
      if (request.stop?.some((s) => detokenize(out).endsWith(s))) {
        finishReason = 'stop';
        break;
      }
    }
    return {
      text: detokenize(out),
      model: this.model,
      usage: { inputTokens: inputLength, outputTokens: out.length, cachedInputTokens: 0, source: 'counted' },
      timing: timingFrom(started, chunkTimes, performance.now()),
      finishReason,
      streamed: true,
    };
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session).release();
  }
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function sample(logits: Float32Array, temperature: number, random: () => number): number {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    weights[i] = Number.isFinite(logits[i]) ? Math.exp((logits[i] - max) / temperature) : 0;
    total += weights[i];
  }
  let r = random() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i];
    if (r <= 0) return i;
  }
  return argmax(logits);
}

const builtModels = new Map<string, LocalOnnxGenerator>();

/** The embedded default generator for a corpus: built once per corpus text and reused. */
export function localGeneratorForCorpus(corpus: string, name = 'local-bigram'): LocalOnnxGenerator {
  const key = `${name}:${createHash('sha256').update(corpus).digest('hex')}`;
  let generator = builtModels.get(key);
  if (!generator) {
    const lm = buildTinyLm(corpus);
    generator = new LocalOnnxGenerator({ onnx: lm.onnx, vocabulary: lm.vocabulary, name, description: lm.description });
    builtModels.set(key, generator);
  }
  return generator;
}
