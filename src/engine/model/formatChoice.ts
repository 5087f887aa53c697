/**
 * The automatic format choice (`format: 'auto'`, the default): build every format that
 * applies to the model at the requested bit width, run each in onnxruntime on the chosen
 * device against the fp32 reference (same inputs; timings alternate run by run, medians),
 * and keep the FASTEST whose task-level fidelity is within tolerance. Nothing is assumed
 * about which format is fast: on CPU, weight-only int8 is usually slower than fp32, while
 * integer compute (DynamicQuantizeMatMul, QLinearConv) is faster on some models and not
 * on others (ConvInteger is slow in onnxruntime) — so it is measured, per model.
 *
 * `chooseFormat` is the pure decision on given measurements (unit-tested with given
 * numbers); `quantizeAuto` does the building and measuring.
 */
import { EngineError } from '../../protocol/errors';
import type { ExecutionProviderName, Fidelity, QuantCandidate, QuantFormat, TaskFidelity } from '../../protocol/model';
import type { CancellationLike } from '../context';
import { buildInputs, checkCancelled, compareOutputs, compareSpeed, runAll, type Reference } from './evaluate';
import { calibrateRanges, foldBatchNorms, qdqTensors, quantizeDynamic, quantizeQdq } from './integerFormats';
import { decodeModel, encodeModel, type ModelProto } from './onnx';
import { openSession } from './runtime';
import { findQuantTargets, type QuantTarget } from './targets';
import { quantizeNBits, quantizeWeightOnly, type WeightRewriteResult } from './weightFormats';

/** qdq exposes every quantized layer's input and output for calibration at once; past this size it is not tried. */
const QDQ_MAX_SOURCE_BYTES = 2 ** 30;

/** Tolerances used when the measurement carries no task-level verdict of its own. */
export const TOLERANCE = {
  /** Language models: relative next-token loss increase, percent. */
  lossIncreasePercent: 2,
  /** Classifiers: share of inputs with the same top class. */
  top1Agreement: 0.98,
  /** Anything else: cosine similarity of all outputs. */
  cosine: 0.995,
} as const;

/** The task-level fidelity of a measurement: its own `task` if evaluate.ts filled it, else derived here. */
export function taskFidelityOf(f: Fidelity): TaskFidelity {
  if (f.task) return f.task;
  if (f.lossIncreasePercent !== undefined) {
    return { metric: 'lossIncreasePercent', value: f.lossIncreasePercent, withinTolerance: f.lossIncreasePercent <= TOLERANCE.lossIncreasePercent, description: `next-token loss ${f.lossIncreasePercent >= 0 ? '+' : ''}${f.lossIncreasePercent.toFixed(2)} % against fp32 (tolerance ${TOLERANCE.lossIncreasePercent} %)` };
  }
  if (f.top1Agreement !== undefined) {
    return { metric: 'top1Agreement', value: f.top1Agreement, withinTolerance: f.top1Agreement >= TOLERANCE.top1Agreement, description: `top-1 agreement ${(f.top1Agreement * 100).toFixed(1)} % with fp32 (tolerance ${TOLERANCE.top1Agreement * 100} %)` };
  }
  return { metric: 'cosine', value: f.cosineSimilarity, withinTolerance: f.cosineSimilarity >= TOLERANCE.cosine, description: `output cosine ${f.cosineSimilarity.toFixed(5)} with fp32 (tolerance ${TOLERANCE.cosine})` };
}

/** One candidate as measured (or why it could not be). */
export interface Measured {
  format: QuantFormat;
  /** Short name when several candidates share a format (e.g. "nbits acc4"); default the format. */
  label?: string;
  description: string;
  /** Bytes of the built model; 0 when it was not built. */
  sizeBytes: number;
  /** fp32 median / candidate median, same run; NaN when not measured. */
  speedup: number;
  fidelity?: TaskFidelity;
  /** Why it was not built or not measured to the end (refused for this model, failed to load, stopped early). */
  error?: string;
  stoppedEarly?: boolean;
}

export interface Choice {
  /** Index into the measurements of the kept candidate; undefined when none was built. */
  index: number | undefined;
  candidates: QuantCandidate[];
  reason: string;
  warnings: string[];
}

/** Higher is better for every metric but the loss increase. */
function fidelityScore(t: TaskFidelity): number {
  return t.metric === 'lossIncreasePercent' ? -t.value : t.value;
}

function short(text: string, max = 220): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function nameOf(m: Measured): string {
  return m.label ?? m.format;
}

function fmtSpeed(x: number): string {
  return `${x.toFixed(2)}×`;
}

function fidelityWords(t: TaskFidelity): string {
  switch (t.metric) {
    case 'lossIncreasePercent': return `loss ${t.value >= 0 ? '+' : ''}${t.value.toFixed(2)} %`;
    case 'cosine': return `cosine ${t.value.toFixed(4)}`;
    default: return `${t.metric === 'top1Agreement' ? 'top-1 agreement' : t.metric} ${(t.value * 100).toFixed(1)} %`;
  }
}

/**
 * Keeps the fastest candidate within tolerance (ties: the smaller file). When none is within
 * tolerance, keeps the most faithful one and warns. Warns when the kept one is slower than
 * the source or not smaller.
 */
export function chooseFormat(measured: readonly Measured[], sourceSize: number): Choice {
  const built = measured.map((m, i) => ({ m, i })).filter(({ m }) => m.error === undefined || m.stoppedEarly);
  const ok = built.filter(({ m }) => m.fidelity?.withinTolerance && Number.isFinite(m.speedup));
  const warnings: string[] = [];
  let pick: { m: Measured; i: number } | undefined;
  if (ok.length > 0) {
    // A candidate stopped early is only known to be slower; it can still win if it is the only one.
    pick = ok.reduce((a, b) => (b.m.speedup > a.m.speedup || (b.m.speedup === a.m.speedup && b.m.sizeBytes < a.m.sizeBytes) ? b : a));
  } else if (built.length > 0) {
    pick = built.filter(({ m }) => m.fidelity).reduce<{ m: Measured; i: number } | undefined>((a, b) => (!a || fidelityScore(b.m.fidelity!) > fidelityScore(a.m.fidelity!) ? b : a), undefined);
    if (pick) warnings.push(`No format kept the fidelity within tolerance; kept the most faithful, ${nameOf(pick.m)} (${pick.m.fidelity!.description}).`);
  }
  const others = measured.filter((_, i) => i !== pick?.i);
  const otherWords = others.map((m) => (m.error && !m.stoppedEarly ? `${nameOf(m)} not used (${m.error})` : `${nameOf(m)} ${fmtSpeed(m.speedup)}${m.fidelity && !m.fidelity.withinTolerance ? ` but ${fidelityWords(m.fidelity)}, out of tolerance` : ''}${m.stoppedEarly ? ' (stopped early)' : ''}`));
  let reason: string;
  if (pick) {
    const p = pick.m;
    reason = `${nameOf(p)}: ${fmtSpeed(p.speedup)} fp32 with ${p.fidelity ? fidelityWords(p.fidelity) : 'fidelity not measured'}${otherWords.length > 0 ? `; ${otherWords.join(', ')}` : ''}`;
    if (p.speedup < 1) warnings.push(`Slower than the source (${fmtSpeed(p.speedup)}): no format measured faster than fp32 within tolerance on this model and device (${measured.map((m) => `${nameOf(m)} ${Number.isFinite(m.speedup) ? fmtSpeed(m.speedup) : `not built: ${short(m.error ?? '')}`}`).join('; ')}); the file is smaller, the compute is not faster.`);
    if (sourceSize > 0 && p.sizeBytes >= sourceSize) warnings.push(`Larger than the source (${p.sizeBytes} bytes vs ${sourceSize}): the quantized weights are a small part of this model.`);
  } else {
    reason = `no format could be built: ${otherWords.join('; ')}`;
  }
  const candidates: QuantCandidate[] = measured.map((m, i) => ({
    format: m.format,
    description: m.description,
    sizeBytes: m.sizeBytes,
    speedup: Number.isFinite(m.speedup) ? m.speedup : 0,
    fidelity: m.fidelity ?? { metric: 'cosine', value: 0, withinTolerance: false, description: 'not measured' },
    chosen: i === pick?.i,
    verdict: i === pick?.i
      ? ok.length > 0 ? 'fastest within the fidelity tolerance' : 'most faithful (none within tolerance)'
      : m.error && !m.stoppedEarly ? m.error
        : m.fidelity && !m.fidelity.withinTolerance ? `out of tolerance: ${m.fidelity.description}`
          : m.stoppedEarly ? `stopped early: ${fmtSpeed(m.speedup)} against ${fmtSpeed(pick?.m.speedup ?? 0)} for ${pick ? nameOf(pick.m) : 'the best'}`
            : `slower: ${fmtSpeed(m.speedup)} against ${fmtSpeed(pick?.m.speedup ?? 0)} for ${pick ? nameOf(pick.m) : 'the best'}`,
  }));
  return { index: pick?.i, candidates, reason, warnings };
}

/** What a format's rewrite reports (weightFormats.ts and integerFormats.ts agree on it). */
export type Rewrite = Omit<WeightRewriteResult, never>;

interface Plan {
  format: QuantFormat;
  label?: string;
  description: string;
  build(model: ModelProto): Promise<Rewrite>;
}

export interface AutoOptions {
  bits: number;
  minElements: number;
  blockSize: number;
  /** MatMulNBits accuracy_level the caller asked for; when unset both 4 (int8 compute) and 0 are tried. */
  accuracyLevel?: number;
  /** Only these formats (an explicit `format` asks for one). */
  formats?: QuantFormat[];
  reference: Reference;
  sourceSize: number;
  /** Where calibration inputs come from (qdq): the same sources as the evaluation inputs, the calibration part. */
  calibration: { dataPath?: string; inputsPath?: string; batchSize: number; batches?: number };
  token?: CancellationLike;
  progress?: (message: string, percent: number) => void;
  /** Upper bound on timing each candidate (ms); default 8 s. */
  timingBudgetMs?: number;
}

export interface AutoResult {
  model: ModelProto;
  format: QuantFormat;
  description: string;
  rewrite: Rewrite;
  candidates: QuantCandidate[];
  reason: string;
  warnings: string[];
  measured: Measured[];
}

function merge(a: Rewrite, b: Rewrite): Rewrite {
  const layersByOp: Record<string, number> = { ...a.layersByOp };
  for (const [op, n] of Object.entries(b.layersByOp)) layersByOp[op] = (layersByOp[op] ?? 0) + n;
  const quantized = a.quantized + b.quantized;
  return {
    quantized,
    skipped: b.skipped,
    layersByOp,
    weightError: quantized > 0 ? (a.weightError * a.quantized + b.weightError * b.quantized) / quantized : 0,
    notes: [...a.notes, ...b.notes],
  };
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, x));
}

function isMatMulLike(t: QuantTarget): boolean {
  return t.op === 'MatMul' || t.op === 'Gemm';
}

function elements(targets: readonly QuantTarget[]): number {
  return targets.reduce((a, t) => a + t.dims.reduce((x, y) => x * y, 1), 0);
}

/** The formats that apply to this model at this bit width, in the order they are measured. */
function plans(source: ModelProto, o: AutoOptions, ep: ExecutionProviderName): Plan[] {
  const targets = findQuantTargets(source, { minElements: o.minElements });
  const matmulShare = elements(targets.filter(isMatMulLike)) / Math.max(1, elements(targets));
  const hasConv = targets.some((t) => t.op === 'Conv' && t.graph === source.graph);
  const out: Plan[] = [];
  const calibrationNotes: string[] = [];
  const calibrated = async (model: ModelProto, ts: QuantTarget[]) => {
    const set = await buildInputs(o.reference.session, { dataPath: o.calibration.dataPath, inputsPath: o.calibration.inputsPath, batchSize: o.calibration.batchSize, batches: o.calibration.batches ?? 16, part: 'calibration' });
    calibrationNotes.length = 0;
    calibrationNotes.push(`qdq calibration: activation ranges (min/max) over ${set.description}${set.origin === 'user' ? ' (the same samples fidelity is measured on: give more samples for an unbiased figure)' : ''}.`);
    return calibrateRanges(model, qdqTensors(model, ts), set.batches, { device: ep, token: o.token, ...(set.stateLinks ? { stateLinks: set.stateLinks } : {}) });
  };
  const targetsOf = (model: ModelProto) => findQuantTargets(model, { minElements: o.minElements });
  if (o.bits === 8) {
    out.push({
      format: 'dynamic',
      description: 'DynamicQuantizeMatMul (MatMul/Gemm: DynamicQuantizeLinear + MatMulInteger, fused) and DynamicQuantizeLinear + ConvInteger (Conv), int8 weights per channel within ±63; other weights int8 weight-only',
      build: async (model) => {
        const d = await quantizeDynamic(model, targetsOf(model));
        if (d.quantized === 0) throw new EngineError('unsupported', `no layer it applies to (${[...new Set(d.skipped.map((s) => `${s.op}: ${s.reason}`))].join('; ') || 'no MatMul/Gemm/Conv weight'})`);
        return merge({ ...d }, await quantizeWeightOnly(model, d.remaining));
      },
    });
    if (o.sourceSize <= QDQ_MAX_SOURCE_BYTES) {
      out.push({
        format: 'qdq',
        description: 'static QDQ (uint8 activations calibrated per tensor, int8 weights per channel, int32 bias), fused by onnxruntime into QLinearConv/QLinearMatMul; MatMul/Gemm that QDQ cannot take (subgraphs, ai.onnx < 10) as DynamicQuantizeMatMul; other weights int8 weight-only',
        build: async (model) => {
          const ts = targetsOf(model);
          const q = await quantizeQdq(model, ts, await calibrated(model, ts));
          q.notes.push(...calibrationNotes);
          if (q.quantized === 0) throw new EngineError('unsupported', `no layer it applies to (${[...new Set(q.skipped.map((s) => `${s.op}: ${s.reason}`))].join('; ') || 'no MatMul/Gemm/Conv weight'})`);
          const d = await quantizeDynamic(model, q.remaining.filter(isMatMulLike));
          const rest = [...q.remaining.filter((t) => !isMatMulLike(t)), ...d.remaining];
          return merge(merge({ ...q }, { ...d, notes: d.quantized > 0 ? d.notes : [] }), await quantizeWeightOnly(model, rest));
        },
      });
    }
    out.push({ format: 'weight-only', description: 'int8 weights per channel with DequantizeLinear feeding the fp32 operators', build: (model) => quantizeWeightOnly(model, targetsOf(model)) });
    if (matmulShare >= 0.5) {
      const level = o.accuracyLevel ?? (ep === 'cpu' ? 4 : 0);
      out.push({ format: 'nbits', description: `MatMulNBits 8-bit, block ${o.blockSize}, accuracy_level ${level}; other weights int8 weight-only`, build: (model) => quantizeNBits(model, targetsOf(model), { bits: 8, blockSize: o.blockSize, accuracyLevel: level }) });
    }
  } else {
    const hasMatMul = targets.some(isMatMulLike);
    const levels = o.accuracyLevel !== undefined || !hasMatMul ? [o.accuracyLevel ?? (ep === 'cpu' ? 4 : 0)] : ep === 'cpu' ? [4, 0] : [0];
    for (const level of levels) {
      out.push({ format: 'nbits', label: levels.length > 1 ? `nbits accuracy_level ${level}` : 'nbits', description: `MatMulNBits ${o.bits}-bit, block ${o.blockSize}, accuracy_level ${level}${level === 4 ? ' (int8 compute)' : ''}; other weights int8 weight-only`, build: (model) => quantizeNBits(model, targetsOf(model), { bits: o.bits, blockSize: o.blockSize, accuracyLevel: level }) });
    }
    if (hasConv) {
      const level = levels[0];
      out.push({
        format: 'nbits',
        label: 'nbits + qdq Conv',
        description: `MatMulNBits ${o.bits}-bit (accuracy_level ${level}) for MatMul/Gemm, static QDQ int8 for Conv (no 4-bit Conv kernel exists)`,
        build: async (model) => {
          const ts = targetsOf(model);
          const convs = ts.filter((t) => t.op === 'Conv');
          const q = await quantizeQdq(model, convs, await calibrated(model, convs));
          const rest = [...ts.filter((t) => t.op !== 'Conv'), ...q.remaining];
          return merge({ ...q }, await quantizeNBits(model, rest, { bits: o.bits, blockSize: o.blockSize, accuracyLevel: level }));
        },
      });
    }
  }
  return o.formats ? out.filter((p) => o.formats!.includes(p.format)) : out;
}

/** Builds and measures each applicable format, keeps the fastest within tolerance (see the header). */
export async function quantizeAuto(source: ModelProto, o: AutoOptions): Promise<AutoResult> {
  const ref = o.reference;
  const ep = ref.executionProvider;
  const sourceBytes = await encodeModel(source);
  const todo = plans(source, o, ep);
  if (todo.length === 0) throw new EngineError('unsupported', `No quantization format applies to this model at ${o.bits} bits${o.formats ? ` among ${o.formats.join(', ')}` : ''}.`, 'Try another bit width or format: auto.');
  const measured: Measured[] = [];
  const builtModels: (Uint8Array | undefined)[] = [];
  const rewrites: (Rewrite | undefined)[] = [];
  const feed = ref.evalSet.batches[0];
  let best = 0;
  for (let i = 0; i < todo.length; i++) {
    checkCancelled(o.token);
    const plan = todo[i];
    o.progress?.(`Format ${i + 1}/${todo.length}: building ${plan.label ?? plan.format} (${plan.description.split(';')[0]})`, 15 + (65 * i) / todo.length);
    let bytes: Uint8Array;
    let rewrite: Rewrite;
    try {
      const model = await decodeModel(sourceBytes);
      // Quantized weights cannot be fused with a following BatchNormalization at load, so fold it first.
      const folded = await foldBatchNorms(model);
      rewrite = await plan.build(model);
      if (folded > 0) rewrite.notes.push(`${folded} BatchNormalization node(s) folded into the Conv before them (in fp32) before quantizing.`);
      if (rewrite.quantized === 0) throw new EngineError('unsupported', 'no layer was quantized');
      bytes = await encodeModel(model);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'cancelled') throw error;
      measured.push({ format: plan.format, ...(plan.label ? { label: plan.label } : {}), description: plan.description, sizeBytes: 0, speedup: NaN, error: error instanceof Error ? error.message : String(error) });
      builtModels.push(undefined);
      rewrites.push(undefined);
      continue;
    }
    o.progress?.(`Format ${i + 1}/${todo.length}: measuring ${plan.label ?? plan.format} against fp32`, 15 + (65 * (i + 0.5)) / todo.length);
    let session;
    try {
      session = await openSession(bytes, ep, { strictDevice: true }, `the ${plan.format} model`);
    } catch (error) {
      measured.push({ format: plan.format, ...(plan.label ? { label: plan.label } : {}), description: plan.description, sizeBytes: bytes.length, speedup: NaN, error: `onnxruntime could not load it: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}` });
      builtModels.push(undefined);
      rewrites.push(undefined);
      continue;
    }
    try {
      const outputs = await runAll(session, ref.evalSet, o.token);
      const fidelity = taskFidelityOf(compareOutputs(ref.outputs, outputs, ref.evalSet));
      // A short alternating timing first; a candidate far behind the best so far is not timed further.
      // Run counts follow the model's latency: about 0.6 s for the first look and 3 s for the rest,
      // so that millisecond models get hundreds of runs and slow ones at least a few.
      const t0 = performance.now();
      await ref.session.run(feed);
      const once = Math.max(0.05, performance.now() - t0);
      const budget = o.timingBudgetMs ?? 8000;
      const quick = await compareSpeed(ref.session, session, feed, { runs: clamp(Math.round(600 / (2 * once)), 6, 100), warmup: 2, maxMs: budget });
      let speedup = quick.speedup;
      let stoppedEarly = false;
      if (best > 0 && quick.speedup < 0.5 * best) stoppedEarly = true;
      else speedup = (await compareSpeed(ref.session, session, feed, { runs: clamp(Math.round(3000 / (quick.referenceMs + quick.optimizedMs)), 14, 300), warmup: 0, maxMs: budget })).speedup;
      if (fidelity.withinTolerance) best = Math.max(best, speedup);
      measured.push({ format: plan.format, ...(plan.label ? { label: plan.label } : {}), description: plan.description, sizeBytes: bytes.length, speedup, fidelity, ...(stoppedEarly ? { stoppedEarly: true, error: 'stopped early' } : {}) });
      builtModels.push(bytes);
      rewrites.push(rewrite);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'cancelled') throw error;
      measured.push({ format: plan.format, ...(plan.label ? { label: plan.label } : {}), description: plan.description, sizeBytes: bytes.length, speedup: NaN, error: `it failed to run: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}` });
      builtModels.push(undefined);
      rewrites.push(undefined);
    } finally {
      await session.release();
    }
  }
  const choice = chooseFormat(measured, o.sourceSize);
  if (choice.index === undefined) throw new EngineError('unsupported', `No quantization format could be built and run for this model: ${choice.reason}.`, 'Check the model with `pepperpy-opt model inspect`; a different bit width or format may apply.');
  const model = await decodeModel(builtModels[choice.index]!);
  const m = measured[choice.index];
  return { model, format: m.format, description: m.description, rewrite: rewrites[choice.index]!, candidates: choice.candidates, reason: choice.reason, warnings: choice.warnings, measured };
}
