/**
 * The embedded default language model: a word-level bigram model with a copy bias,
 * estimated by counting on a text corpus (maximum likelihood with add-k smoothing) and
 * written as a real ONNX graph that onnxruntime runs. It is not a good writer: the embedded
 * default answerer is the extractive reader (./extractiveReader.ts); this model stays as
 * `local-bigram` / `local:bigram` for decoding-latency runs. Its word tokenizer
 * (`wordTokens`) is also used by the text metrics and the embedding.
 *
 * Graph (opset 13): input `input_ids` int64 [1, T] → output `logits` float32 [1, V]:
 *   logits = log P(w | last token)              (Gather of the [V, V] bigram table)
 *          + copyWeight · log(1 + count(w in input_ids))   (OneHot → ReduceSum → Log)
 * The copy term makes words present in the prompt (the retrieved context, the question)
 * likelier, so the answer is built from the context: a crude pointer mechanism that makes
 * answer quality depend on what the retriever found, which is what RAG benchmarks measure.
 */
import { encodeOnnxModel, type GraphSpec } from './onnxWriter';

export const EOS = '<eos>';
export const UNK = '<unk>';

export interface WordVocabulary {
  tokenizer: 'word';
  /** Index → token; index 0 is `<unk>`, index 1 `<eos>`. */
  vocab: string[];
  eos: string;
  unk: string;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[.,;:?!]/gu;

export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

export function detokenize(tokens: string[]): string {
  let out = '';
  for (const t of tokens) {
    if (out === '' || /^[.,;:?!]$/.test(t)) out += t;
    else out += ` ${t}`;
  }
  return out.replace(/(^|[.!?]\s+)(\p{Ll})/gu, (_m, pre: string, c: string) => pre + c.toUpperCase());
}

export interface TinyLmOptions {
  maxVocab?: number;
  /** Add-k smoothing constant (default 0.1). */
  smoothing?: number;
  /** Weight of the copy term (default 3). */
  copyWeight?: number;
}

export interface TinyLm {
  onnx: Uint8Array;
  vocabulary: WordVocabulary;
  /** How it was made, for model cards and reports. */
  description: string;
}

/** Counts bigrams on `corpus` and writes the model. Deterministic for a given corpus. */
export function buildTinyLm(corpus: string, options: TinyLmOptions = {}): TinyLm {
  const maxVocab = options.maxVocab ?? 2000;
  const k = options.smoothing ?? 0.1;
  const copyWeight = options.copyWeight ?? 3;
  // Sentences end with <eos> so generation stops after one sentence.
  const sentences = corpus.split(/(?<=[.!?])\s+|\n+/).map(wordTokens).filter((s) => s.length > 0);
  const freq = new Map<string, number>();
  for (const s of sentences) for (const t of s) freq.set(t, (freq.get(t) ?? 0) + 1);
  const words = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, maxVocab - 2).map(([w]) => w);
  const vocab = [UNK, EOS, ...words];
  const index = new Map(vocab.map((w, i) => [w, i]));
  const V = vocab.length;
  const counts = new Float32Array(V * V);
  const rowTotals = new Float64Array(V);
  for (const s of sentences) {
    const ids = [...s.map((t) => index.get(t) ?? 0), 1];
    for (let i = 1; i < ids.length; i++) {
      counts[ids[i - 1] * V + ids[i]] += 1;
      rowTotals[ids[i - 1]] += 1;
    }
  }
  // <eos> is only ever followed by the start of a new sentence; let it predict <eos> so the
  // sampler stops there.
  counts[1 * V + 1] += 1;
  rowTotals[1] += 1;
  const table = new Float32Array(V * V);
  for (let r = 0; r < V; r++) {
    const denominator = rowTotals[r] + k * V;
    for (let c = 0; c < V; c++) table[r * V + c] = Math.log((counts[r * V + c] + k) / denominator);
  }
  // <unk> is never a good next word.
  for (let r = 0; r < V; r++) table[r * V] = -30;

  const spec: GraphSpec = {
    name: 'pepperpy_bigram_copy_lm',
    opset: 13,
    docString: `Word bigram LM with copy bias (V=${V}, add-${k} smoothing, copy weight ${copyWeight}).`,
    inputs: [{ name: 'input_ids', type: 'int64', dims: [1, 'sequence'] }],
    outputs: [{ name: 'logits', type: 'float32', dims: [1, V] }],
    initializers: [
      { name: 'bigram', type: 'float32', dims: [V, V], data: table },
      { name: 'last_index', type: 'int64', dims: [], data: BigInt64Array.from([-1n]) },
      { name: 'depth', type: 'int64', dims: [], data: BigInt64Array.from([BigInt(V)]) },
      { name: 'onehot_values', type: 'float32', dims: [2], data: Float32Array.from([0, 1]) },
      { name: 'seq_axis', type: 'int64', dims: [1], data: BigInt64Array.from([1n]) },
      { name: 'one', type: 'float32', dims: [], data: Float32Array.from([1]) },
      { name: 'copy_weight', type: 'float32', dims: [], data: Float32Array.from([copyWeight]) },
    ],
    nodes: [
      { op: 'Gather', inputs: ['input_ids', 'last_index'], outputs: ['last_id'], attributes: { axis: { kind: 'int', value: 1 } } },
      { op: 'Gather', inputs: ['bigram', 'last_id'], outputs: ['bigram_row'], attributes: { axis: { kind: 'int', value: 0 } } },
      { op: 'OneHot', inputs: ['input_ids', 'depth', 'onehot_values'], outputs: ['onehot'], attributes: { axis: { kind: 'int', value: -1 } } },
      { op: 'ReduceSum', inputs: ['onehot', 'seq_axis'], outputs: ['counts'], attributes: { keepdims: { kind: 'int', value: 0 } } },
      { op: 'Add', inputs: ['counts', 'one'], outputs: ['counts_plus_one'] },
      { op: 'Log', inputs: ['counts_plus_one'], outputs: ['log_counts'] },
      { op: 'Mul', inputs: ['log_counts', 'copy_weight'], outputs: ['copy_bias'] },
      { op: 'Add', inputs: ['bigram_row', 'copy_bias'], outputs: ['logits'] },
    ],
  };
  return {
    onnx: encodeOnnxModel(spec),
    vocabulary: { tokenizer: 'word', vocab, eos: EOS, unk: UNK },
    description: `Word bigram language model with a copy bias over the prompt, counted on ${sentences.length} sentences (vocabulary ${V}); ONNX opset 13, run by onnxruntime.`,
  };
}
