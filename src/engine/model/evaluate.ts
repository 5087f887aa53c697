/**
 * Measuring models: inputs (byte windows of real text for byte-level language models,
 * seeded random values otherwise), output similarity and loss against a reference,
 * timing both models on the same device, and capturing a layer's input activations for
 * the data-driven methods (GPTQ, activation-aware pruning, reconstruction, low-rank).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Device, ExecutionProviderName, Fidelity, SpeedMeasurement } from '../../protocol/model';
import { EngineError } from '../../protocol/errors';
import type { CancellationLike } from '../context';
import { gram, gaussian, seededRandom } from './linalg';
import { encodeModel, float16BitsToFloat32, float32ToFloat16Bits, onnxSchema, type ModelProto } from './onnx';
import { openSession, type FeedTensor, type RuntimeSession } from './runtime';

const MAX_DATA_BYTES = 64 * 2 ** 20;
/** Largest generated input tensor (elements): a guard against absurd static input shapes. */
const MAX_INPUT_ELEMENTS = 2 ** 26;

/** Reads a text or JSONL dataset as UTF-8 bytes (JSONL: the string fields of each line, joined). */
export function loadTextBytes(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new EngineError('notFound', `No dataset at ${path}.`, 'Pass a text or JSONL file.');
  }
  if (size > MAX_DATA_BYTES) throw new EngineError('tooLarge', `The dataset ${path} has ${(size / 2 ** 20).toFixed(0)} MiB; at most 64 MiB is read.`, 'Pass a smaller sample: a few hundred KB is enough for calibration.');
  const raw = readFileSync(path, 'utf8');
  if (!path.endsWith('.jsonl')) return new TextEncoder().encode(raw);
  const parts: string[] = [];
  for (const line of raw.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'string') parts.push(value);
      else if (value && typeof value === 'object') for (const v of Object.values(value)) if (typeof v === 'string') parts.push(v);
    } catch {
      throw new EngineError('badRequest', `${path} is not valid JSONL (a line does not parse).`, 'Give one JSON object or string per line, or a plain .txt file.');
    }
  }
  return new TextEncoder().encode(parts.join('\n'));
}

export interface ModelKind {
  /** A language model that takes token ids and returns logits over the vocabulary. */
  languageModel?: { input: string; output: string; vocab: number; seqLen: number; byteLevel: boolean };
  classifier?: { output: string };
}

export function detectKind(session: RuntimeSession): ModelKind {
  const ints = session.inputs.filter((i) => i.type === 'int64' || i.type === 'int32');
  if (ints.length === 1 && session.inputs.length === 1 && ints[0].shape.length === 2 && session.outputNames.length >= 1) {
    const seq = ints[0].shape[1];
    return { languageModel: { input: ints[0].name, output: session.outputNames[0], vocab: 0, seqLen: typeof seq === 'number' && seq > 0 ? seq : 64, byteLevel: false } };
  }
  return { classifier: { output: session.outputNames[0] } };
}

export interface EvalSet {
  batches: Record<string, FeedTensor>[];
  /** Next-token targets per batch, for language models. */
  targets?: Int32Array[];
  description: string;
  samples: number;
  kind: ModelKind;
}

/** Deterministic windows of `len` bytes from `bytes`, evenly spaced. */
function windows(bytes: Uint8Array, count: number, len: number): Uint8Array[] {
  if (bytes.length < len + 1) throw new EngineError('badRequest', `The dataset has ${bytes.length} bytes; at least ${len + 1} are needed.`, 'Give a longer text.');
  const out: Uint8Array[] = [];
  const span = bytes.length - len - 1;
  for (let i = 0; i < count; i++) {
    const start = count === 1 ? 0 : Math.floor((i * span) / (count - 1));
    out.push(bytes.subarray(start, start + len + 1));
  }
  return out;
}

/**
 * Builds inputs for measuring or calibrating a model. Text datasets are split 90/10:
 * `part: 'calibration'` draws from the first 90%, `part: 'eval'` from the last 10%, so
 * fidelity is measured on text the calibration did not see.
 */
export async function buildInputs(session: RuntimeSession, options: { dataPath?: string; batchSize: number; batches: number; part: 'calibration' | 'eval'; seed?: number }): Promise<EvalSet> {
  const kind = detectKind(session);
  const random = seededRandom(options.seed ?? (options.part === 'eval' ? 7 : 3));
  if (kind.languageModel) {
    const lm = kind.languageModel;
    if (lm.seqLen * options.batchSize > MAX_INPUT_ELEMENTS) throw new EngineError('tooLarge', `Input "${lm.input}" declares a sequence of ${lm.seqLen} tokens; with batch ${options.batchSize} that is too many to generate.`, 'Lower batchSize, or export the model with a symbolic sequence length.');
    const feeds: Record<string, FeedTensor>[] = [];
    const targets: Int32Array[] = [];
    // Probe the vocabulary size from one run.
    const probe = await session.run({ [lm.input]: { type: 'int64', data: new BigInt64Array(lm.seqLen), dims: [1, lm.seqLen] } });
    const outDims = probe[lm.output]?.dims ?? [];
    lm.vocab = outDims[outDims.length - 1] ?? 0;
    lm.byteLevel = lm.vocab === 256;
    let description: string;
    let source: Uint8Array[];
    const total = options.batchSize * options.batches;
    if (options.dataPath && lm.byteLevel) {
      const bytes = loadTextBytes(options.dataPath);
      const cut = Math.floor(bytes.length * 0.9);
      const part = options.part === 'eval' ? bytes.subarray(cut) : bytes.subarray(0, cut);
      source = windows(part.length > lm.seqLen + 1 ? part : bytes, total, lm.seqLen);
      description = `${total} windows of ${lm.seqLen} bytes from the ${options.part === 'eval' ? 'last 10%' : 'first 90%'} of ${options.dataPath}`;
    } else {
      source = Array.from({ length: total }, () => Uint8Array.from({ length: lm.seqLen + 1 }, () => Math.floor(random() * Math.max(1, Math.min(lm.vocab, 256)))));
      description = `${total} sequences of ${lm.seqLen} seeded random token ids${options.dataPath && !lm.byteLevel ? ' (the model is not byte-level, so the text was not used)' : ' (no dataset given)'}`;
    }
    for (let b = 0; b < options.batches; b++) {
      const ids = new BigInt64Array(options.batchSize * lm.seqLen);
      const tgt = new Int32Array(options.batchSize * lm.seqLen);
      for (let r = 0; r < options.batchSize; r++) {
        const w = source[b * options.batchSize + r];
        for (let t = 0; t < lm.seqLen; t++) {
          ids[r * lm.seqLen + t] = BigInt(w[t]);
          tgt[r * lm.seqLen + t] = w[t + 1];
        }
      }
      feeds.push({ [lm.input]: { type: 'int64', data: ids, dims: [options.batchSize, lm.seqLen] } });
      targets.push(tgt);
    }
    return { batches: feeds, targets: options.dataPath && lm.byteLevel ? targets : undefined, description, samples: total, kind };
  }
  const feeds: Record<string, FeedTensor>[] = [];
  for (let b = 0; b < options.batches; b++) {
    const feed: Record<string, FeedTensor> = {};
    for (const input of session.inputs) {
      const dims = input.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? options.batchSize : 1));
      const count = dims.reduce((a, c) => a * c, 1);
      if (count > MAX_INPUT_ELEMENTS) throw new EngineError('tooLarge', `Input "${input.name}" declares ${dims.join('×')} = ${count.toExponential(2)} elements; at most ${MAX_INPUT_ELEMENTS.toExponential(0)} are generated.`, 'Lower batchSize, or check the model\'s input shape with `pepperpy-opt model inspect`.');
      if (input.type === 'float32') feed[input.name] = { type: 'float32', data: Float32Array.from({ length: count }, () => gaussian(random)), dims };
      else if (input.type === 'float16') feed[input.name] = { type: 'float16', data: Uint16Array.from({ length: count }, () => float32ToFloat16Bits(gaussian(random))), dims };
      else if (input.type === 'int64') feed[input.name] = { type: 'int64', data: BigInt64Array.from({ length: count }, () => BigInt(Math.floor(random() * 8))), dims };
      else if (input.type === 'int32') feed[input.name] = { type: 'int32', data: Int32Array.from({ length: count }, () => Math.floor(random() * 8)), dims };
      else if (input.type === 'bool') feed[input.name] = { type: 'bool', data: new Uint8Array(count), dims };
      else throw new EngineError('unsupported', `Input "${input.name}" has type ${input.type}; only float32, float16, int32, int64 and bool inputs can be generated.`, 'Use a model with tensor inputs of those types.');
    }
    feeds.push(feed);
  }
  return { batches: feeds, description: `${options.batches * options.batchSize} seeded standard-normal samples (no dataset for this kind of model)`, samples: options.batches * options.batchSize, kind };
}

/** Mean next-token cross-entropy (nats) of logits [B, T, V] against targets. */
export function crossEntropy(logits: Float32Array, targets: Int32Array, vocab: number): number {
  let total = 0;
  const rows = targets.length;
  for (let r = 0; r < rows; r++) {
    const base = r * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (logits[base + v] > max) max = logits[base + v];
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[base + v] - max);
    total += Math.log(sum) + max - logits[base + targets[r]];
  }
  return total / rows;
}

export interface Outputs {
  perBatch: Float32Array[][];
  names: string[];
}

export async function runAll(session: RuntimeSession, set: EvalSet, token?: CancellationLike): Promise<Outputs> {
  const perBatch: Float32Array[][] = [];
  const names = session.outputNames;
  for (const feed of set.batches) {
    checkCancelled(token);
    const out = await session.run(feed);
    perBatch.push(names.map((n) => out[n].data));
  }
  return { perBatch, names };
}

export function checkCancelled(token: CancellationLike | undefined): void {
  if (token?.isCancellationRequested) throw new EngineError('cancelled', 'The model job was cancelled.');
}

/** Compares a candidate's outputs with the reference's on the same inputs. */
export function compareOutputs(reference: Outputs, candidate: Outputs, set: EvalSet): Fidelity {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxAbs = 0;
  let sumAbs = 0;
  let count = 0;
  let agree = 0;
  let rows = 0;
  let refLoss = 0;
  let loss = 0;
  const lm = set.kind.languageModel;
  reference.perBatch.forEach((outs, b) => {
    outs.forEach((ref, o) => {
      const cand = candidate.perBatch[b][o];
      for (let i = 0; i < ref.length; i++) {
        const x = ref[i];
        const y = cand[i];
        dot += x * y;
        na += x * x;
        nb += y * y;
        const d = Math.abs(x - y);
        if (d > maxAbs || Number.isNaN(d)) maxAbs = d;
        sumAbs += d;
      }
      count += ref.length;
    });
    const ref0 = outs[0];
    const cand0 = candidate.perBatch[b][0];
    const width = lm ? lm.vocab : ref0.length / Math.max(1, set.batches[b][Object.keys(set.batches[b])[0]].dims[0]);
    if (width > 1) {
      for (let r = 0; r < ref0.length / width; r++) {
        let ra = 0;
        let ca = 0;
        for (let v = 1; v < width; v++) {
          if (ref0[r * width + v] > ref0[r * width + ra]) ra = v;
          if (cand0[r * width + v] > cand0[r * width + ca]) ca = v;
        }
        if (ra === ca) agree++;
        rows++;
      }
    }
    if (lm && set.targets) {
      refLoss += crossEntropy(ref0, set.targets[b], lm.vocab);
      loss += crossEntropy(cand0, set.targets[b], lm.vocab);
    }
  });
  const fidelity: Fidelity = {
    cosineSimilarity: na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : na === nb ? 1 : 0,
    maxAbsError: maxAbs,
    meanAbsError: count > 0 ? sumAbs / count : 0,
    inputs: set.description,
    samples: set.samples,
  };
  if (rows > 0) fidelity.top1Agreement = agree / rows;
  if (lm && set.targets) {
    const n = set.targets.length;
    fidelity.referenceLoss = refLoss / n;
    fidelity.loss = loss / n;
    fidelity.referencePerplexity = Math.exp(refLoss / n);
    fidelity.perplexity = Math.exp(loss / n);
    fidelity.lossIncreasePercent = ((loss - refLoss) / refLoss) * 100;
  }
  return fidelity;
}

/**
 * Times both sessions on the same batch, alternating single runs (reference, candidate,
 * reference, …) after a warm-up, so that load from other processes hits both alike; the
 * speedup is the ratio of the two medians.
 */
export async function compareSpeed(reference: RuntimeSession, candidate: RuntimeSession, feed: Record<string, FeedTensor>, options: { runs?: number; warmup?: number; maxMs?: number } = {}): Promise<SpeedMeasurement> {
  const runs = options.runs ?? 30;
  const warmup = options.warmup ?? 3;
  for (let i = 0; i < warmup; i++) {
    await reference.run(feed);
    await candidate.run(feed);
  }
  const refTimes: number[] = [];
  const candTimes: number[] = [];
  const deadline = performance.now() + (options.maxMs ?? 20_000);
  for (let i = 0; i < runs; i++) {
    const first = i % 2 === 0 ? reference : candidate;
    const second = first === reference ? candidate : reference;
    const t0 = performance.now();
    await first.run(feed);
    const t1 = performance.now();
    await second.run(feed);
    const t2 = performance.now();
    (first === reference ? refTimes : candTimes).push(t1 - t0);
    (first === reference ? candTimes : refTimes).push(t2 - t1);
    if (performance.now() > deadline && i >= 4) break;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const referenceMs = median(refTimes);
  const optimizedMs = median(candTimes);
  const firstInput = Object.values(feed)[0];
  return { referenceMs, optimizedMs, speedup: referenceMs / optimizedMs, batchSize: firstInput?.dims[0] ?? 1, runs: refTimes.length };
}

/** What a reference model needs measured once and compared many times. */
export interface Reference {
  session: RuntimeSession;
  evalSet: EvalSet;
  outputs: Outputs;
  executionProvider: ExecutionProviderName;
  notes: string[];
}

export async function openReference(modelPath: string, device: Device, options: { dataPath?: string; batchSize: number; batches?: number; token?: CancellationLike }): Promise<Reference> {
  const session = await openSession(modelPath, device, {}, modelPath);
  const evalSet = await buildInputs(session, { dataPath: options.dataPath, batchSize: options.batchSize, batches: options.batches ?? 4, part: 'eval' });
  const outputs = await runAll(session, evalSet, options.token);
  const notes = session.fallbackNote ? [session.fallbackNote] : [];
  if (session.executionProvider !== 'cpu') notes.push(`Nodes the ${session.executionProvider} provider has no kernel for run on CPU inside the same session (onnxruntime's per-node fallback).`);
  return { session, evalSet, outputs, executionProvider: session.executionProvider, notes };
}

/** Opens a candidate model on the reference's provider and measures fidelity and speed against it. */
export async function measureAgainst(reference: Reference, candidate: string | Uint8Array, token?: CancellationLike): Promise<{ fidelity: Fidelity; speed: SpeedMeasurement }> {
  const session = await openSession(candidate, reference.executionProvider, { strictDevice: true }, 'the new model');
  try {
    const outputs = await runAll(session, reference.evalSet, token);
    const fidelity = compareOutputs(reference.outputs, outputs, reference.evalSet);
    checkCancelled(token);
    const speed = await compareSpeed(reference.session, session, reference.evalSet.batches[0]);
    return { fidelity, speed };
  } finally {
    await session.release();
  }
}

/**
 * Captures the values of `tensorNames` (inputs of linear layers) by exposing them as extra
 * graph outputs of a copy of the model, and returns each as rows [count × width] (the last
 * dimension is the width). At most `maxRows` rows per tensor are kept, evenly sampled.
 */
export async function captureActivations(model: ModelProto, tensorNames: string[], set: EvalSet, options: { device?: Device; maxRows?: number; token?: CancellationLike } = {}): Promise<Map<string, { rows: number; width: number; data: Float32Array }>> {
  const onnx = await onnxSchema();
  const copy = onnx.create(onnx.ModelProtoSchema, { ...model, graph: onnx.create(onnx.GraphProtoSchema, { ...model.graph!, output: [...model.graph!.output] }) });
  const existing = new Set(copy.graph!.output.map((o) => o.name));
  const graphInputs = new Set(copy.graph!.input.map((i) => i.name));
  const wanted = [...new Set(tensorNames)];
  for (const name of wanted) {
    if (existing.has(name)) continue;
    if (graphInputs.has(name)) continue;
    copy.graph!.output.push(onnx.create(onnx.ValueInfoProtoSchema, { name, type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: 1 }) } }) }));
  }
  const bytes = await encodeModel(copy);
  const session = await openSession(bytes, options.device ?? 'cpu', { graphOptimizationLevel: 'basic' }, 'the model (activation capture)');
  const maxRows = options.maxRows ?? 2048;
  const collected = new Map<string, Float32Array[]>();
  const widths = new Map<string, number>();
  try {
    for (const feed of set.batches) {
      checkCancelled(options.token);
      const outs = await session.run(feed, wanted.filter((n) => !graphInputs.has(n)));
      for (const name of wanted) {
        let data: Float32Array;
        let width: number;
        if (graphInputs.has(name)) {
          const f = feed[name];
          data = f.data instanceof Float32Array ? f.data : f.type === 'float16' ? Float32Array.from(f.data as Uint16Array, float16BitsToFloat32) : Float32Array.from(f.data as ArrayLike<number>, Number);
          width = f.dims[f.dims.length - 1];
        } else {
          const o = outs[name];
          data = o.data;
          width = o.dims[o.dims.length - 1];
        }
        widths.set(name, width);
        const list = collected.get(name) ?? [];
        list.push(data);
        collected.set(name, list);
      }
    }
  } finally {
    await session.release();
  }
  const result = new Map<string, { rows: number; width: number; data: Float32Array }>();
  for (const [name, parts] of collected) {
    const width = widths.get(name)!;
    const totalRows = parts.reduce((a, p) => a + p.length / width, 0);
    const keep = Math.min(totalRows, maxRows);
    const data = new Float32Array(keep * width);
    let row = 0;
    let seen = 0;
    for (const p of parts) {
      const rows = p.length / width;
      for (let r = 0; r < rows; r++, seen++) {
        // Keep row `seen` when it is the next evenly spaced pick.
        if (row < keep && Math.floor((row * totalRows) / keep) === seen) {
          data.set(p.subarray(r * width, (r + 1) * width), row * width);
          row++;
        }
      }
    }
    result.set(name, { rows: keep, width, data });
  }
  return result;
}

/** Xᵀ X of captured activations. */
export function hessianOf(act: { rows: number; width: number; data: Float32Array }): Float64Array {
  return gram(act.data, act.rows, act.width);
}
