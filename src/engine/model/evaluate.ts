/**
 * Measuring models: inputs (byte windows of real text for byte-level language models,
 * the user's sample inputs, or realistic generated inputs planned by inputs.ts), output
 * similarity and task-level fidelity against a reference, timing both models on the same
 * device, and capturing a layer's input activations for the data-driven methods (GPTQ,
 * activation-aware pruning, reconstruction, low-rank).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Device, ExecutionProviderName, Fidelity, SpeedMeasurement, TaskFidelity } from '../../protocol/model';
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import type { CancellationLike } from '../context';
import { describePlan, fillInputs, loadSampleInputs, MAX_INPUT_ELEMENTS, planInputs, STREAM_CHUNKS, type ModelHints } from './inputs';
import { gram } from './linalg';
import { seededRandom } from '../../shared/random';
import { encodeModel, float16BitsToFloat32, onnxSchema, type ModelProto } from './onnx';
import { openSession, type FeedTensor, type RuntimeSession } from './runtime';

const MAX_DATA_BYTES = 64 * 2 ** 20;

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
  /** Shapes of the first batch, by input name. */
  inputShapes?: Record<string, number[]>;
  /** Recurrent state: each batch's state input is the previous run's output (consecutive chunks of a stream). */
  stateLinks?: { input: string; output: string }[];
  modality?: 'image' | 'audio' | 'text' | 'features';
  /** Where the inputs came from: generated from the model, or the user's samples. */
  origin?: 'generated' | 'user' | 'text';
  /** A score threshold the model's metadata documents (a probability), with the key it came from. */
  scoreThreshold?: { value: number; key: string };
}

/** Metadata keys (letters and digits only, lower case) that document a score threshold: score_threshold, det_db_thresh, conf_thres, score_thr, threshold… (not iou_threshold or nms_threshold). */
const THRESHOLD_KEY = /^(score|conf|confidence|det|detdb|detection|prob|probability|mask|heatmap|box)?(thresh|threshold|thres|thr)$/;

/** The score threshold the model's metadata documents, if one key names a probability (0 < p < 1). */
export function documentedThreshold(metadata: Record<string, string> | undefined): { value: number; key: string } | undefined {
  for (const [key, raw] of Object.entries(metadata ?? {})) {
    if (!THRESHOLD_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''))) continue;
    const value = Number(raw.trim());
    if (Number.isFinite(value) && value > 0 && value < 1) return { value, key };
  }
  return undefined;
}

function shapesOf(feed: Record<string, FeedTensor> | undefined): Record<string, number[]> {
  return Object.fromEntries(Object.entries(feed ?? {}).map(([n, f]) => [n, [...f.dims]]));
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
export async function buildInputs(session: RuntimeSession, raw: { dataPath?: string; inputsPath?: string; hints?: ModelHints; batchSize: number; batches: number; part: 'calibration' | 'eval'; seed?: number }): Promise<EvalSet> {
  // Calibration sets built on the reference's session reuse what openReference was given.
  const known = sessionContext.get(session);
  const options = { ...raw, inputsPath: raw.inputsPath ?? known?.inputsPath, hints: raw.hints ?? known?.hints };
  const set = await buildInputSet(session, options);
  const threshold = documentedThreshold(options.hints?.metadata);
  return threshold ? { ...set, scoreThreshold: threshold } : set;
}

async function buildInputSet(session: RuntimeSession, options: { dataPath?: string; inputsPath?: string; hints?: ModelHints; batchSize: number; batches: number; part: 'calibration' | 'eval'; seed?: number }): Promise<EvalSet> {
  const kind = detectKind(session);
  if (options.inputsPath) {
    const samples = await loadSampleInputs(options.inputsPath, session.inputs, { hints: options.hints, outputNames: session.outputNames });
    const probe = planLinks(session, options.hints);
    const links = probe.filter((l) => samples.generated.some((g) => g.startsWith(`${l.input}:`)));
    if (kind.languageModel) kind.languageModel.vocab = 0;
    const first = samples.batches[0];
    return { batches: samples.batches, description: samples.description + (links.length > 0 ? `; state carried from run to run (${links.map((l) => `${l.output} → ${l.input}`).join(', ')})` : ''), samples: samples.batches.reduce((a, f) => a + (Object.values(f)[0]?.dims[0] ?? 1), 0), kind, inputShapes: shapesOf(first), ...(links.length > 0 ? { stateLinks: links } : {}), origin: 'user' };
  }
  const random = seededRandom(options.seed ?? (options.part === 'eval' ? 7 : 3));
  if (kind.languageModel) {
    const lm = kind.languageModel;
    if (lm.seqLen * options.batchSize > MAX_INPUT_ELEMENTS) throw new EngineError('tooLarge', `Input "${lm.input}" declares a sequence of ${lm.seqLen} tokens; with batch ${options.batchSize} that is too many to generate.`, 'Lower --batch-size (batchSize), or export the model with a symbolic sequence length.');
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
    return { batches: feeds, targets: options.dataPath && lm.byteLevel ? targets : undefined, description, samples: total, kind, inputShapes: shapesOf(feeds[0]), modality: 'text', origin: 'text' };
  }
  const plan = planInputs(session.inputs, { batchSize: options.batchSize, hints: options.hints, outputNames: session.outputNames });
  const count = plan.streaming ? (options.part === 'eval' ? STREAM_CHUNKS : Math.max(options.batches, STREAM_CHUNKS / 4)) : options.batches;
  const seed = options.seed ?? (options.part === 'eval' ? 7 : 3);
  const feeds: Record<string, FeedTensor>[] = [];
  for (let b = 0; b < count; b++) feeds.push(plan.streaming ? fillInputs(plan, { seed, step: b }) : fillInputs(plan, { seed: seed * 1000 + b }));
  const what = plan.streaming ? `${count} consecutive chunks of ${plan.batch} stream${plan.batch === 1 ? '' : 's'}, state carried from run to run (${plan.stateLinks.map((l) => `${l.output} → ${l.input}`).join(', ')})` : `${count} batch${count === 1 ? '' : 'es'} of ${plan.batch}`;
  const description = `generated from the model's inputs, ${what}${plan.batchNote ? ` (${plan.batchNote})` : ''}: ${describePlan(plan)}`;
  return { batches: feeds, description, samples: count * plan.batch, kind, inputShapes: shapesOf(feeds[0]), ...(plan.streaming ? { stateLinks: plan.stateLinks } : {}), modality: plan.modality, origin: 'generated' };
}

/** The sample inputs and model hints a reference session was opened with (for later calibration sets). */
const sessionContext = new WeakMap<RuntimeSession, { inputsPath?: string; hints?: ModelHints }>();

/** State links of a model whose inputs can be planned (none otherwise). */
function planLinks(session: RuntimeSession, hints: ModelHints | undefined): { input: string; output: string }[] {
  try {
    return planInputs(session.inputs, { batchSize: 1, hints, outputNames: session.outputNames }).stateLinks;
  } catch {
    return [];
  }
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
  /** Dimensions of each output, per batch (absent when a caller built Outputs itself). */
  dims?: number[][][];
}

/** Runs every batch; a model with recurrent state gets each run's state output as the next run's state input. */
export async function runAll(session: RuntimeSession, set: EvalSet, token?: CancellationLike): Promise<Outputs> {
  const perBatch: Float32Array[][] = [];
  const dims: number[][][] = [];
  const names = session.outputNames;
  const carried: Record<string, FeedTensor> = {};
  for (const feed of set.batches) {
    throwIfCancelled(token, MODEL_JOB);
    const out = await session.run(set.stateLinks ? { ...feed, ...carried } : feed);
    perBatch.push(names.map((n) => out[n].data));
    dims.push(names.map((n) => out[n].dims));
    for (const link of set.stateLinks ?? []) {
      const o = out[link.output];
      if (o && o.dims.reduce((a, c) => a * c, 1) === o.data.length) carried[link.input] = { type: 'float32', data: o.data, dims: o.dims };
    }
  }
  return { perBatch, names, dims };
}

/** What a cancelled model job's error names: "The model job was cancelled." */
export const MODEL_JOB = 'The model job';

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
  if (set.inputShapes) fidelity.inputShapes = set.inputShapes;
  fidelity.task = taskFidelity(reference, candidate, set, fidelity);
  // The row-wise agreement above is only meaningful for logits rows: keep it where the task says so.
  if (!lm && reference.dims) {
    if (fidelity.task.metric === 'top1Agreement') fidelity.top1Agreement = fidelity.task.value;
    else delete fidelity.top1Agreement;
  }
  return fidelity;
}

/**
 * Tolerances a result must meet to be accepted (docs/model-optimization.md, "Fidelity
 * tolerances"): agreement shares are at least these, the loss increase at most.
 */
export const TASK_TOLERANCES = {
  top1Agreement: 0.99,
  maskIoU: 0.95,
  decisionAgreement: 0.98,
  ctcAgreement: 0.95,
  lossIncreasePercent: 1,
  cosine: 0.999,
} as const satisfies Record<TaskFidelity['metric'], number>;
/** Probability at or above which a mask pixel is "on" (segmentation, text detection). */
export const MASK_THRESHOLD = 0.5;
/** Probability at or above which a binary decision (voice activity, multi-label) is "yes". */
export const DECISION_THRESHOLD = 0.5;

export function withinTolerance(metric: TaskFidelity['metric'], value: number): boolean {
  if (!Number.isFinite(value)) return false;
  return metric === 'lossIncreasePercent' ? value <= TASK_TOLERANCES.lossIncreasePercent : value >= TASK_TOLERANCES[metric];
}

/** IoU of the masks `ref ≥ t` and `cand ≥ t`, pooled over all maps (1 when both are empty). */
export function maskIoU(ref: ArrayLike<number>[], cand: ArrayLike<number>[], threshold = MASK_THRESHOLD): { iou: number; referenceOn: number; total: number } {
  let inter = 0;
  let union = 0;
  let on = 0;
  let total = 0;
  ref.forEach((r, k) => {
    const c = cand[k];
    for (let i = 0; i < r.length; i++) {
      const a = r[i] >= threshold;
      const b = c[i] >= threshold;
      if (a && b) inter++;
      if (a || b) union++;
      if (a) on++;
    }
    total += r.length;
  });
  return { iou: union === 0 ? 1 : inter / union, referenceOn: on, total };
}

/** Share of values on the same side of `threshold`. */
export function decisionAgreement(ref: ArrayLike<number>[], cand: ArrayLike<number>[], threshold = DECISION_THRESHOLD): { agreement: number; referenceYes: number; total: number } {
  let same = 0;
  let yes = 0;
  let total = 0;
  ref.forEach((r, k) => {
    const c = cand[k];
    for (let i = 0; i < r.length; i++) {
      const a = r[i] >= threshold;
      if (a === c[i] >= threshold) same++;
      if (a) yes++;
    }
    total += r.length;
  });
  return { agreement: total === 0 ? 1 : same / total, referenceYes: yes, total };
}

/** Greedy CTC decode of one [T, C] sequence: arg-max per step, repeats merged, blanks dropped. */
export function ctcGreedyDecode(probs: ArrayLike<number>, steps: number, classes: number, blank = 0): number[] {
  const out: number[] = [];
  let prev = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[t * classes + c] > probs[t * classes + best]) best = c;
    if (best !== prev && best !== blank) out.push(best);
    prev = best;
  }
  return out;
}

/** Levenshtein distance between two label sequences. */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Share of [T, C] sequences (rows of [B, T, C] outputs) whose greedy CTC decodings are equal;
 * also the character agreement, 1 − Σ edit distance / Σ reference length.
 */
export function ctcAgreement(ref: Float32Array[], cand: Float32Array[], dims: number[][]): { agreement: number; sequences: number; nonEmpty: number; charAgreement: number } {
  let same = 0;
  let sequences = 0;
  let nonEmpty = 0;
  let distance = 0;
  let length = 0;
  ref.forEach((r, k) => {
    const [b, t, c] = dims[k];
    for (let s = 0; s < b; s++) {
      const a = ctcGreedyDecode(r.subarray(s * t * c, (s + 1) * t * c), t, c);
      const d = ctcGreedyDecode(cand[k].subarray(s * t * c, (s + 1) * t * c), t, c);
      if (a.length === d.length && a.every((x, i) => x === d[i])) same++;
      if (a.length > 0) nonEmpty++;
      distance += editDistance(a, d);
      length += a.length;
      sequences++;
    }
  });
  return { agreement: sequences === 0 ? 1 : same / sequences, sequences, nonEmpty, charAgreement: length === 0 ? (distance === 0 ? 1 : 0) : Math.max(0, 1 - distance / length) };
}

function inUnitRange(parts: Float32Array[]): boolean {
  for (const p of parts) for (let i = 0; i < p.length; i++) if (!(p[i] >= 0 && p[i] <= 1)) return false;
  return true;
}

/** Rows of the last axis sum to 1 (a softmax), checked on up to 64 rows. */
function rowsSumToOne(data: Float32Array, width: number): boolean {
  const rows = Math.min(64, Math.floor(data.length / width));
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let v = 0; v < width; v++) sum += data[r * width + v];
    if (Math.abs(sum - 1) > 1e-3) return false;
  }
  return rows > 0;
}

const pct = (x: number) => `${(x * 100).toFixed(x === 1 || x === 0 ? 0 : 2)}%`;

/** Output names that say "scores": a detector's class scores or a dense map's (whole words or snake_case parts). */
const SCORE_NAME = /(^|[^a-z])(scores?|classificators?|logits?|heat_?maps?|masks?|conf(idence)?|probs?|probabilit(y|ies)|objectness|centerness)([^a-z]|$)/i;
/** Largest class count a detector's score tensor may have. */
const MAX_DETECTOR_CLASSES = 100;

/** Score tensors of a detector (or a dense score map), as recognised from the outputs' shapes and names. */
export interface DetectorScores {
  /** Output indexes of the score tensors. */
  scores: number[];
  /** For each score tensor, the output beside it (same dimensions but the channel axis: box or offset regressions), or -1 when recognised by name alone. */
  partners: number[];
  /** Per score tensor: its values leave [0, 1], so they are logits (thresholded at logit(p)). */
  logits: boolean[];
  /** A dense map (two or more spatial dimensions) rather than a list of anchors. */
  dense: boolean;
  /** Per score tensor: its channel axis (one channel, or the classes). */
  axes: number[];
}

/** The dimensions of `a` and `b` differ only on `axis`, where `b` is wider. */
function besideOnAxis(a: readonly number[], b: readonly number[], axis: number): boolean {
  return a.length === b.length && a.every((x, i) => (i === axis ? b[i] > x && b[i] >= 2 : x === b[i]));
}

function valueRange(parts: Float32Array[]): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (p[i] < min) min = p[i];
      if (p[i] > max) max = p[i];
    }
  }
  return { min, max };
}

/**
 * Recognises a detector's score tensors without model-specific code: an output (rank ≥ 3,
 * not a recurrent state) with one channel — or a small class count when its name says
 * scores — next to a wider output of the same dimensions (box or keypoint regressions,
 * offsets), on the last axis or, for rank-4 NCHW maps, axis 1; or a one-channel output whose
 * name says scores (scores, classificators, logits, heatmap, mask, …). Values in [0, 1] are
 * probabilities; values with negatives among them are logits (a detector that found nothing
 * has only negative logits); anything else (≥ 0 but above 1: unbounded) is not a score and
 * the tensor is not used. Softmax rows (several classes summing to 1, a background class
 * among them) are classification, not thresholded detections.
 */
export function detectorScores(reference: Outputs, set: EvalSet): DetectorScores | undefined {
  if (!reference.dims || reference.dims.length === 0 || set.kind.languageModel) return undefined;
  const states = new Set((set.stateLinks ?? []).map((l) => l.output));
  const d0 = reference.dims[0];
  const usable = reference.names.map((_, i) => i).filter((i) => !states.has(reference.names[i]) && (d0[i]?.length ?? 0) >= 3 && reference.dims!.every((d) => d[i]));
  const found: DetectorScores = { scores: [], partners: [], logits: [], dense: false, axes: [] };
  for (const i of usable) {
    const d = d0[i];
    const named = SCORE_NAME.test(reference.names[i]);
    const axes = d.length === 4 ? [d.length - 1, 1] : [d.length - 1];
    let partner = -1;
    let axis = -1;
    for (const a of axes) {
      if (!(d[a] === 1 || (named && d[a] <= MAX_DETECTOR_CLASSES))) continue;
      const p = usable.find((j) => j !== i && besideOnAxis(d, d0[j], a) && !SCORE_NAME.test(reference.names[j]));
      if (p !== undefined) {
        partner = p;
        axis = a;
        break;
      }
    }
    if (partner < 0) {
      // By name alone: one score channel.
      if (!named) continue;
      axis = axes.find((a) => d[a] === 1) ?? -1;
      if (axis < 0) continue;
    }
    const parts = reference.perBatch.map((b) => b[i]);
    const { min, max } = valueRange(parts);
    if (!Number.isFinite(min) || !Number.isFinite(max)) continue;
    const unit = min >= 0 && max <= 1;
    if (!unit && !(min < 0)) continue;
    if (d[axis] > 1 && axis === d.length - 1 && unit && rowsSumToOne(parts[0], d[axis])) continue;
    found.scores.push(i);
    found.partners.push(partner);
    found.logits.push(!unit);
    found.axes.push(axis);
    // Spatial dimensions: all but the batch and the channel axis.
    if (d.filter((x, k) => k !== 0 && k !== axis && x > 1).length >= 2) found.dense = true;
  }
  return found.scores.length > 0 ? found : undefined;
}

const logit = (p: number) => Math.log(p / (1 - p));
const dimsText = (d: readonly number[] | undefined) => `[${(d ?? []).join(', ')}]`;
/**
 * Probability thresholds a detector's scores are judged at when its metadata documents none:
 * users pick their own operating point (M-LSD's demo uses 0.1, PaddleOCR's DB 0.3, MediaPipe
 * 0.5), so the detections must agree across the range, not only at 0.5.
 */
export const DETECTOR_THRESHOLDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

/** The two innermost spatial axes of a score map (neither the batch nor the channel axis): strides and sizes. */
export interface MapGeometry {
  stride: [number, number];
  size: [number, number];
}

/** Where a score map's neighbouring cells are; undefined when it has fewer than two spatial axes. */
export function mapGeometry(dims: readonly number[] | undefined, channelAxis: number): MapGeometry | undefined {
  if (!dims) return undefined;
  const spatial = dims.map((_, k) => k).filter((k) => k !== 0 && k !== channelAxis && dims[k] > 1);
  if (spatial.length < 2) return undefined;
  const [ya, xa] = spatial.slice(-2);
  const strideOf = (k: number) => dims.slice(k + 1).reduce((a, x) => a * x, 1);
  return { stride: [strideOf(ya), strideOf(xa)], size: [dims[ya], dims[xa]] };
}

/**
 * Detections of a centre-map detector (M-LSD, CenterNet, FCOS: every cell over the threshold
 * is a detection with its own regression) matched one to one between two maps: first cell
 * for cell, then each reference detection left over with the strongest unmatched candidate
 * among its 8 neighbouring cells (same channel). A detection that moved by one cell is the
 * same object — one cell is a stride of the network, the localisation noise every such
 * detector has — whereas comparing cells alone counts it as one lost and one invented.
 */
export function matchCells(r: ArrayLike<number>, c: ArrayLike<number>, t: number, g: MapGeometry): { matched: number; reference: number; candidate: number } {
  const n = r.length;
  // 0: off; 1: on, free; 2: on, matched.
  const cand = new Uint8Array(n);
  let reference = 0;
  let candidate = 0;
  let matched = 0;
  for (let i = 0; i < n; i++) {
    if (c[i] >= t) {
      cand[i] = 1;
      candidate++;
    }
  }
  const left: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!(r[i] >= t)) continue;
    reference++;
    if (cand[i] === 1) {
      cand[i] = 2;
      matched++;
    } else left.push(i);
  }
  const [sy, sx] = g.stride;
  const [h, w] = g.size;
  for (const i of left) {
    const y = Math.floor(i / sy) % h;
    const x = Math.floor(i / sx) % w;
    let best = -1;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        if ((dy === 0 && dx === 0) || y + dy < 0 || y + dy >= h || x + dx < 0 || x + dx >= w) continue;
        const j = i + dy * sy + dx * sx;
        if (cand[j] === 1 && (best < 0 || c[j] > c[best])) best = j;
      }
    }
    if (best >= 0) {
      cand[best] = 2;
      matched++;
    }
  }
  return { matched, reference, candidate };
}

/** Intersection and union of the detections at one probability threshold. */
interface AtThreshold {
  p: number;
  inter: number;
  union: number;
  on: number;
  agree: number;
  total: number;
}

/**
 * IoU of the detections (values ≥ the threshold; logits ≥ logit(p)) of the score tensors,
 * pooled over the tensors and over the thresholds: the metadata's one, or every threshold of
 * DETECTOR_THRESHOLDS (Σ intersections / Σ unions, so that a threshold with more detections
 * weighs more and one with two detections cannot decide alone).
 */
export function detectorFidelity(reference: Outputs, candidate: Outputs, set: EvalSet, det: DetectorScores): { iou: number; referenceOn: number; union: number; perThreshold: AtThreshold[]; description: string } {
  const thresholds = set.scoreThreshold ? [set.scoreThreshold.value] : [...DETECTOR_THRESHOLDS];
  const per: AtThreshold[] = thresholds.map((p) => ({ p, inter: 0, union: 0, on: 0, agree: 0, total: 0 }));
  for (const at of per) {
    det.scores.forEach((o, k) => {
      const t = det.logits[k] ? logit(at.p) : at.p;
      reference.perBatch.forEach((outs, b) => {
        const r = outs[o];
        const c = candidate.perBatch[b][o];
        const geometry = det.dense && det.partners[k] >= 0 ? mapGeometry(reference.dims![b][o], det.axes[k]) : undefined;
        for (let i = 0; i < r.length; i++) if (r[i] >= t === c[i] >= t) at.agree++;
        if (geometry) {
          const m = matchCells(r, c, t, geometry);
          at.inter += m.matched;
          at.union += m.reference + m.candidate - m.matched;
          at.on += m.reference;
        } else {
          for (let i = 0; i < r.length; i++) {
            const x = r[i] >= t;
            const y = c[i] >= t;
            if (x && y) at.inter++;
            if (x || y) at.union++;
            if (x) at.on++;
          }
        }
        at.total += r.length;
      });
    });
  }
  const inter = per.reduce((a, x) => a + x.inter, 0);
  const union = per.reduce((a, x) => a + x.union, 0);
  const on = per.reduce((a, x) => a + x.on, 0);
  const iou = union === 0 ? 1 : inter / union;
  const d0 = reference.dims![0];
  const tensors = det.scores.map((o, k) => `"${reference.names[o]}" ${dimsText(d0[o])}${det.partners[k] >= 0 ? ` beside "${reference.names[det.partners[k]]}" ${dimsText(d0[det.partners[k]])}` : ''}`).join(', ');
  const how = det.partners.some((x) => x >= 0) ? 'score tensors beside box/offset regressions' : 'outputs named as scores';
  const centres = det.dense && det.scores.some((o, k) => det.partners[k] >= 0 && mapGeometry(d0[o], det.axes[k]));
  const unitWord = det.dense ? (centres ? 'cells' : 'pixels') : 'anchors';
  const what = centres
    ? 'IoU of the detections (score-map cells over the threshold, each with its own regression; matched one to one, a detection found in a neighbouring cell counting as the same)'
    : det.dense
      ? 'mask IoU of the thresholded score map'
      : 'IoU of the detections (the anchors over the threshold)';
  const scale = det.logits.some((l) => l) ? `${det.logits.every((l) => l) ? 'values outside [0, 1], so logits compared with logit(p)' : 'logit tensors compared with logit(p)'}` : 'probabilities';
  const at = (x: AtThreshold) => `${x.p}: ${x.union === 0 ? 'none' : `${x.inter}/${x.union}`}`;
  const where = set.scoreThreshold
    ? `at the metadata's ${set.scoreThreshold.key} = ${set.scoreThreshold.value} (${scale})`
    : `pooled over thresholds ${thresholds[0]}–${thresholds[thresholds.length - 1]} (no threshold in the metadata; ${scale}; intersection/union per threshold ${per.map(at).join(', ')})`;
  const half = per.find((x) => x.p === DECISION_THRESHOLD) ?? per[0];
  const description = `detector outputs recognised (${how}: ${tensors}); ${what} ${where}: ${iou.toFixed(4)} — the reference marks ${half.on} of ${half.total.toLocaleString('en-US')} ${unitWord} at ${half.p}${on === 0 ? '; the reference never crosses a threshold on these inputs, so the IoU says little' : half.on === 0 ? `; the reference detects nothing at ${half.p} on these inputs (only weaker scores), so the IoU says little` : ''}; single decisions at ${half.p} agree on ${half.agree} of ${half.total} (${pct(half.total === 0 ? 1 : half.agree / half.total)})`;
  return { iou, referenceOn: on, union, perThreshold: per, description };
}

/** Recognises the task from the main output (its shape, range and the inputs' modality) and measures what a user would notice. */
export function taskFidelity(reference: Outputs, candidate: Outputs, set: EvalSet, fidelity: Fidelity): TaskFidelity {
  const make = (metric: TaskFidelity['metric'], value: number, description: string): TaskFidelity => {
    const ok = withinTolerance(metric, value);
    const tol = metric === 'lossIncreasePercent' ? `at most +${TASK_TOLERANCES.lossIncreasePercent}%` : `at least ${metric === 'cosine' ? TASK_TOLERANCES.cosine : pct(TASK_TOLERANCES[metric])}`;
    return { metric, value, withinTolerance: ok, description: `${description} (tolerance ${tol}: ${ok ? 'within' : 'OUT OF TOLERANCE'})` };
  };
  if (set.kind.languageModel && set.targets && fidelity.lossIncreasePercent !== undefined) {
    return make('lossIncreasePercent', fidelity.lossIncreasePercent, `next-token loss on held-out text ${fidelity.referenceLoss!.toFixed(4)} → ${fidelity.loss!.toFixed(4)} nats (${fidelity.lossIncreasePercent >= 0 ? '+' : ''}${fidelity.lossIncreasePercent.toFixed(2)}%)`);
  }
  const cosine = () => make('cosine', fidelity.cosineSimilarity, `cosine similarity of all outputs, flattened: ${fidelity.cosineSimilarity.toFixed(6)}`);
  const det = detectorScores(reference, set);
  if (det && candidate.perBatch.every((b) => det.scores.every((o) => b[o]))) {
    const r = detectorFidelity(reference, candidate, set, det);
    return make('maskIoU', r.iou, r.description);
  }
  const states = new Set((set.stateLinks ?? []).map((l) => l.output));
  const o = reference.names.findIndex((n) => !states.has(n));
  if (o < 0 || !reference.dims || !candidate.perBatch.every((b) => b[o])) return cosine();
  const name = reference.names[o];
  const dims = reference.dims.map((d) => d[o]);
  const ref = reference.perBatch.map((b) => b[o]);
  const cand = candidate.perBatch.map((b) => b[o]);
  const d0 = dims[0];
  const unit = inUnitRange(ref);
  const shape = `[${d0.join(', ')}]`;
  if (d0.length === 3 && d0[2] > 1 && unit && rowsSumToOne(ref[0], d0[2])) {
    const r = ctcAgreement(ref, cand, dims);
    return make('ctcAgreement', r.agreement, `greedy CTC decodings (blank 0) of output "${name}" ${shape} equal on ${Math.round(r.agreement * r.sequences)} of ${r.sequences} sequences (${r.nonEmpty} reference decodings non-empty; characters agree ${pct(r.charAgreement)}, 1 − edit distance / length): ${pct(r.agreement)}`);
  }
  if (unit && (d0.length === 4 && d0[1] === 1 || d0.length === 3 && set.modality === 'image')) {
    const t = set.scoreThreshold?.value ?? MASK_THRESHOLD;
    const r = maskIoU(ref, cand, t);
    return make('maskIoU', r.iou, `IoU of the masks of output "${name}" ${shape} at probability ≥ ${t}${set.scoreThreshold ? ` (the metadata's ${set.scoreThreshold.key})` : ''}: ${r.iou.toFixed(4)} (the reference marks ${pct(r.referenceOn / Math.max(1, r.total))} of ${r.total.toLocaleString('en-US')} pixels${r.referenceOn === 0 ? '; both masks are empty on these inputs, so the IoU says little' : ''})`);
  }
  if (d0.length === 2 && unit && (d0[1] === 1 || set.modality === 'audio' || !rowsSumToOne(ref[0], d0[1]))) {
    const t = set.scoreThreshold?.value ?? DECISION_THRESHOLD;
    const r = decisionAgreement(ref, cand, t);
    return make('decisionAgreement', r.agreement, `decisions (probability ≥ ${t}${set.scoreThreshold ? `, the metadata's ${set.scoreThreshold.key}` : ''}) of output "${name}" ${shape} agree on ${Math.round(r.agreement * r.total)} of ${r.total} ${set.stateLinks ? 'consecutive chunks' : 'values'} (${r.referenceYes} "yes" in the reference${r.referenceYes === 0 || r.referenceYes === r.total ? '; the reference decided the same way on every input, so the agreement says little' : ''}): ${pct(r.agreement)}`);
  }
  if (d0.length === 2 && d0[1] > 1) {
    let agree = 0;
    let rows = 0;
    ref.forEach((r, k) => {
      const width = dims[k][1];
      for (let row = 0; row < r.length / width; row++) {
        let ra = 0;
        let ca = 0;
        for (let v = 1; v < width; v++) {
          if (r[row * width + v] > r[row * width + ra]) ra = v;
          if (cand[k][row * width + v] > cand[k][row * width + ca]) ca = v;
        }
        if (ra === ca) agree++;
        rows++;
      }
    });
    const value = rows === 0 ? 1 : agree / rows;
    return make('top1Agreement', value, `top-1 class of output "${name}" ${shape} agrees on ${agree} of ${rows} samples: ${pct(value)}`);
  }
  return cosine();
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
  /** Set when an explicit --device (webgpu, cuda) could not start and the models ran elsewhere. */
  deviceWarning?: string;
}

export async function openReference(modelPath: string, device: Device, options: { dataPath?: string; inputsPath?: string; hints?: ModelHints; batchSize: number; batches?: number; token?: CancellationLike }): Promise<Reference> {
  const session = await openSession(modelPath, device, {}, modelPath);
  if (session.inputs.length === 0) {
    await session.release();
    throw noInputsError(modelPath);
  }
  if (session.outputNames.length === 0) {
    await session.release();
    throw noOutputsError(modelPath);
  }
  sessionContext.set(session, { inputsPath: options.inputsPath, hints: options.hints });
  let evalSet: EvalSet | undefined;
  let outputs: Outputs;
  try {
    evalSet = await buildInputs(session, { dataPath: options.dataPath, inputsPath: options.inputsPath, hints: options.hints, batchSize: options.batchSize, batches: options.batches ?? 4, part: 'eval' });
    outputs = await runAll(session, evalSet, options.token);
  } catch (error) {
    await session.release();
    if (error instanceof EngineError && error.code === 'badRequest' && evalSet && /^onnxruntime could not (load or )?run/.test(error.message)) {
      // The session loaded, so it is the inputs the model refused at run time (a guard, a shape it cannot take).
      const said = error.message.replace(/^onnxruntime could not (load or )?run [^:]*: /, '');
      if (options.inputsPath) throw new EngineError('badRequest', `The original model rejected the sample inputs in ${options.inputsPath} (${clip(evalSet.description, 300)}); onnxruntime said: ${said}`, `Check the samples in ${options.inputsPath} against what the model expects (shapes, lengths, values such as the sample rate); \`pepperpy-opt model inspect\` lists its inputs.`);
      throw new EngineError('badRequest', `The original model rejects the generated inputs (${clip(evalSet.description, 300)}); onnxruntime said: ${said}`, 'Pass real sample inputs with --inputs FILE (inputsPath): JSON, .npy or .npz; see docs/model-optimization.md.');
    }
    throw error;
  }
  const notes = session.fallbackNote ? [session.fallbackNote] : [];
  if (session.executionProvider !== 'cpu') notes.push(`Nodes the ${session.executionProvider} provider has no kernel for run on CPU inside the same session (onnxruntime's per-node fallback).`);
  // An explicit device that did not start is a warning, not only a note: every figure is for another device.
  const deviceWarning = deviceFallbackWarning(device, session.executionProvider);
  return { session, evalSet, outputs, executionProvider: session.executionProvider, notes, ...(deviceWarning ? { deviceWarning } : {}) };
}

/** The refusal for a model without graph inputs (in-memory and streaming paths). */
export function noInputsError(modelPath: string): EngineError {
  return new EngineError('unsupported', `${modelPath} takes no inputs, so there is nothing to measure it on: fidelity and speed compare the two models' outputs on the same inputs.`, 'Optimize a model that has graph inputs; a model whose values are all constants can be folded instead of quantized.');
}

/** The refusal for a model whose graph declares no outputs: it computes nothing that can be compared. */
export function noOutputsError(modelPath: string): EngineError {
  return new EngineError('unsupported', `${modelPath} declares no outputs, so there is nothing to compare: fidelity compares the two models' outputs on the same inputs.`, 'The model is incomplete: export it again with its outputs (graph.output) listed.');
}

/** The warning when an explicit device (not auto) could not start and the models ran on `ran` instead. */
export function deviceFallbackWarning(device: Device, ran: ExecutionProviderName): string | undefined {
  return device !== 'auto' && device !== ran ? `Asked for --device ${device}, but it could not start: both models ran on ${ran}, so the speed figures are for ${ran}, not ${device} (the notes say why).` : undefined;
}

/** `text` cut to `max` characters, with an ellipsis when it was cut. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Opens a candidate model on the reference's provider and measures fidelity and speed against it. */
export async function measureAgainst(reference: Reference, candidate: string | Uint8Array, token?: CancellationLike, progress?: (message: string) => void): Promise<{ fidelity: Fidelity; speed: SpeedMeasurement }> {
  const session = await openSession(candidate, reference.executionProvider, { strictDevice: true }, 'the new model');
  try {
    progress?.(`Running the new model on the ${reference.evalSet.samples} evaluation sample(s)`);
    const outputs = await runAll(session, reference.evalSet, token);
    assertFinite(reference.outputs, outputs);
    const fidelity = compareOutputs(reference.outputs, outputs, reference.evalSet);
    throwIfCancelled(token, MODEL_JOB);
    progress?.('Timing the original and the new model, run by run');
    const speed = await compareSpeed(reference.session, session, reference.evalSet.batches[0]);
    return { fidelity, speed };
  } finally {
    await session.release();
  }
}

/** Refuses a candidate whose outputs hold NaN or ±Inf where the reference's are finite. */
export function assertFinite(reference: Outputs, candidate: Outputs): void {
  const bad = new Map<string, number>();
  candidate.perBatch.forEach((outs, b) =>
    outs.forEach((c, o) => {
      const r = reference.perBatch[b]?.[o];
      let n = 0;
      for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i]) && (r === undefined || Number.isFinite(r[i]))) n++;
      if (n > 0) bad.set(candidate.names[o], (bad.get(candidate.names[o]) ?? 0) + n);
    }),
  );
  if (bad.size > 0) {
    throw new EngineError('unsupported', `The new model's outputs hold NaN or infinite values where the original's are finite (${[...bad].map(([n, k]) => `${k} in "${n}"`).join(', ')}): it is unusable.`, 'Nothing was written. Try another format or bit width (e.g. --bits 8, or --format weight-only), or keep more layers in fp32 (--min-elements).');
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
      throwIfCancelled(options.token, MODEL_JOB);
      // Tensors that are graph inputs come from the feed; onnxruntime refuses an empty fetch list.
      const fetch = wanted.filter((n) => !graphInputs.has(n));
      const outs = fetch.length > 0 ? await session.run(feed, fetch) : {};
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
