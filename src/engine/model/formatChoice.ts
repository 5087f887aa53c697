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
 *
 * When no format is within tolerance, `quantizeAuto` does not stop at the most faithful
 * one: it measures each layer's sensitivity in that format and keeps the most sensitive
 * layers fp32 until the task metric is within tolerance (mixedPrecision.ts); the result is
 * timed like the others and added as one more candidate ("qdq + 2 layers fp32").
 */
import { EngineError, errorMessage, throwIfCancelled } from '../../protocol/errors';
import type { ExecutionProviderName, Fidelity, QuantCandidate, QuantFormat, TaskFidelity } from '../../protocol/model';
import type { CancellationLike } from '../context';
import { buildInputs, compareOutputs, compareSpeed, MODEL_JOB, runAll, type Reference } from './evaluate';
import { calibrateRanges, foldBatchNorms, qdqTensors, quantizeDynamic, quantizeQdq } from './integerFormats';
import { decodeModel, encodeModel, type ModelProto } from './onnx';
import { openSession } from './runtime';
import { layerUnits, searchMixed } from './mixedPrecision';
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
 * tolerance, keeps the most faithful one (ties: the faster) and warns. Warns when the kept one is slower than
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
    pick = built.filter(({ m }) => m.fidelity).reduce<{ m: Measured; i: number } | undefined>((a, b) => (!a || fidelityScore(b.m.fidelity!) > fidelityScore(a.m.fidelity!) || (fidelityScore(b.m.fidelity!) === fidelityScore(a.m.fidelity!) && b.m.speedup > a.m.speedup) ? b : a), undefined);
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
  /** Rewrites `model` in place; `skip` holds indexes (into findQuantTargets of `model`) to leave fp32. */
  build(model: ModelProto, skip?: ReadonlySet<number>): Promise<Rewrite>;
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
  /** When no format is within tolerance, keep the most sensitive layers fp32 (default true; see mixedPrecision.ts). */
  mixedPrecision?: boolean;
  /** Largest share of layers the mixed-precision search may keep fp32 (default 0.25). */
  mixedMaxFraction?: number;
  /** Time budget of the mixed-precision search, ms (default 120 s). */
  mixedBudgetMs?: number;
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
  // Activation ranges do not depend on which layers are quantized (they are measured on the
  // fp32 model), so the mixed-precision search reuses the first calibration.
  let cachedRanges: Map<string, { min: number; max: number }> | undefined;
  const calibrated = async (model: ModelProto, ts: QuantTarget[]) => {
    const wanted = qdqTensors(model, ts);
    if (cachedRanges && wanted.every((n) => cachedRanges!.has(n))) return cachedRanges;
    const set = await buildInputs(o.reference.session, { dataPath: o.calibration.dataPath, inputsPath: o.calibration.inputsPath, batchSize: o.calibration.batchSize, batches: o.calibration.batches ?? 16, part: 'calibration' });
    calibrationNotes.length = 0;
    calibrationNotes.push(`qdq calibration: activation ranges (min/max) over ${set.description}${set.origin === 'user' ? ' (the same samples fidelity is measured on: give more samples for an unbiased figure)' : ''}.`);
    const ranges = await calibrateRanges(model, wanted, set.batches, { device: ep, token: o.token, ...(set.stateLinks ? { stateLinks: set.stateLinks } : {}) });
    cachedRanges = ranges;
    return ranges;
  };
  const targetsOf = (model: ModelProto, skip?: ReadonlySet<number>) => findQuantTargets(model, { minElements: o.minElements }).filter((_, i) => !skip?.has(i));
  if (o.bits === 8) {
    out.push({
      format: 'dynamic',
      description: 'DynamicQuantizeMatMul (MatMul/Gemm: DynamicQuantizeLinear + MatMulInteger, fused) and DynamicQuantizeLinear + ConvInteger (Conv), int8 weights per channel within ±63; other weights int8 weight-only',
      build: async (model, skip) => {
        const d = await quantizeDynamic(model, targetsOf(model, skip));
        if (d.quantized === 0) throw new EngineError('unsupported', `no layer it applies to (${[...new Set(d.skipped.map((s) => `${s.op}: ${s.reason}`))].join('; ') || 'no MatMul/Gemm/Conv weight'})`);
        return merge({ ...d }, await quantizeWeightOnly(model, d.remaining));
      },
    });
    if (o.sourceSize <= QDQ_MAX_SOURCE_BYTES) {
      out.push({
        format: 'qdq',
        description: 'static QDQ (uint8 activations calibrated per tensor, int8 weights per channel, int32 bias), fused by onnxruntime into QLinearConv/QLinearMatMul; MatMul/Gemm that QDQ cannot take (subgraphs, ai.onnx < 10) as DynamicQuantizeMatMul; other weights int8 weight-only',
        build: async (model, skip) => {
          const ts = targetsOf(model, skip);
          const q = await quantizeQdq(model, ts, await calibrated(model, ts));
          q.notes.push(...calibrationNotes);
          if (q.quantized === 0) throw new EngineError('unsupported', `no layer it applies to (${[...new Set(q.skipped.map((s) => `${s.op}: ${s.reason}`))].join('; ') || 'no MatMul/Gemm/Conv weight'})`);
          const d = await quantizeDynamic(model, q.remaining.filter(isMatMulLike));
          const rest = [...q.remaining.filter((t) => !isMatMulLike(t)), ...d.remaining];
          return merge(merge({ ...q }, { ...d, notes: d.quantized > 0 ? d.notes : [] }), await quantizeWeightOnly(model, rest));
        },
      });
    }
    out.push({ format: 'weight-only', description: 'int8 weights per channel with DequantizeLinear feeding the fp32 operators', build: (model, skip) => quantizeWeightOnly(model, targetsOf(model, skip)) });
    if (matmulShare >= 0.5) {
      const level = o.accuracyLevel ?? (ep === 'cpu' ? 4 : 0);
      out.push({ format: 'nbits', description: `MatMulNBits 8-bit, block ${o.blockSize}, accuracy_level ${level}; other weights int8 weight-only`, build: (model, skip) => quantizeNBits(model, targetsOf(model, skip), { bits: 8, blockSize: o.blockSize, accuracyLevel: level }) });
    }
  } else {
    const hasMatMul = targets.some(isMatMulLike);
    const levels = o.accuracyLevel !== undefined || !hasMatMul ? [o.accuracyLevel ?? (ep === 'cpu' ? 4 : 0)] : ep === 'cpu' ? [4, 0] : [0];
    for (const level of levels) {
      out.push({ format: 'nbits', label: levels.length > 1 ? `nbits accuracy_level ${level}` : 'nbits', description: `MatMulNBits ${o.bits}-bit, block ${o.blockSize}, accuracy_level ${level}${level === 4 ? ' (int8 compute)' : ''}; other weights int8 weight-only`, build: (model, skip) => quantizeNBits(model, targetsOf(model, skip), { bits: o.bits, blockSize: o.blockSize, accuracyLevel: level }) });
    }
    if (hasConv) {
      const level = levels[0];
      out.push({
        format: 'nbits',
        label: 'nbits + qdq Conv',
        description: `MatMulNBits ${o.bits}-bit (accuracy_level ${level}) for MatMul/Gemm, static QDQ int8 for Conv (no 4-bit Conv kernel exists)`,
        build: async (model, skip) => {
          const ts = targetsOf(model, skip);
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
  /** Decodes the source, folds BatchNormalization, applies the plan (leaving `skip` fp32). */
  const build = async (plan: Plan, skip?: ReadonlySet<number>): Promise<{ bytes: Uint8Array; rewrite: Rewrite }> => {
    const model = await decodeModel(sourceBytes);
    // Quantized weights cannot be fused with a following BatchNormalization at load, so fold it first.
    const folded = await foldBatchNorms(model);
    const rewrite = await plan.build(model, skip);
    if (folded > 0) rewrite.notes.push(`${folded} BatchNormalization node(s) folded into the Conv before them (in fp32) before quantizing.`);
    if (rewrite.quantized === 0) throw new EngineError('unsupported', 'no layer was quantized');
    return { bytes: await encodeModel(model), rewrite };
  };
  /** Fidelity, then an alternating timing against fp32; pushes one entry to `measured`. */
  const measure = async (plan: Plan, label: string | undefined, description: string, bytes: Uint8Array, rewrite: Rewrite): Promise<void> => {
    const base = { format: plan.format, ...(label ? { label } : {}), description };
    let session;
    try {
      session = await openSession(bytes, ep, { strictDevice: true }, `the ${plan.format} model`);
    } catch (error) {
      measured.push({ ...base, sizeBytes: bytes.length, speedup: NaN, error: `onnxruntime could not load it: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}` });
      builtModels.push(undefined);
      rewrites.push(undefined);
      return;
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
      measured.push({ ...base, sizeBytes: bytes.length, speedup, fidelity, ...(stoppedEarly ? { stoppedEarly: true, error: 'stopped early' } : {}) });
      builtModels.push(bytes);
      rewrites.push(rewrite);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'cancelled') throw error;
      measured.push({ ...base, sizeBytes: bytes.length, speedup: NaN, error: `it failed to run: ${error instanceof Error ? error.message.slice(0, 300) : String(error)}` });
      builtModels.push(undefined);
      rewrites.push(undefined);
    } finally {
      await session.release();
    }
  };
  const planOf: Plan[] = [];
  for (let i = 0; i < todo.length; i++) {
    throwIfCancelled(o.token, MODEL_JOB);
    const plan = todo[i];
    o.progress?.(`Format ${i + 1}/${todo.length}: building ${plan.label ?? plan.format} (${plan.description.split(';')[0]})`, 15 + (65 * i) / todo.length);
    planOf.push(plan);
    let built;
    try {
      built = await build(plan);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'cancelled') throw error;
      measured.push({ format: plan.format, ...(plan.label ? { label: plan.label } : {}), description: plan.description, sizeBytes: 0, speedup: NaN, error: errorMessage(error) });
      builtModels.push(undefined);
      rewrites.push(undefined);
      continue;
    }
    o.progress?.(`Format ${i + 1}/${todo.length}: measuring ${plan.label ?? plan.format} against fp32`, 15 + (65 * (i + 0.5)) / todo.length);
    await measure(plan, plan.label, plan.description, built.bytes, built.rewrite);
  }
  let choice = chooseFormat(measured, o.sourceSize);
  if (choice.index === undefined) throw new EngineError('unsupported', `No quantization format could be built and run for this model: ${choice.reason}.`, 'Check the model with `pepperpy-opt model inspect`; a different bit width or format may apply.');
  let mixedWords: string | undefined;
  const mixedWarnings: string[] = [];
  const first = measured[choice.index];
  if (first.fidelity && !first.fidelity.withinTolerance && !first.error && (o.mixedPrecision ?? true)) {
    // No format is faithful enough: keep the most sensitive layers of the most faithful one in fp32.
    const plan = planOf[choice.index];
    const folded = await decodeModel(sourceBytes);
    await foldBatchNorms(folded);
    const units = layerUnits(findQuantTargets(folded, { minElements: o.minElements }));
    const name = nameOf(first);
    const search = await searchMixed({
      units,
      build: async (skip) => (await build(plan, skip)).bytes,
      probe: async (bytes) => {
        const session = await openSession(bytes, ep, { strictDevice: true }, `the ${plan.format} model`);
        try {
          const f = compareOutputs(ref.outputs, await runAll(session, ref.evalSet, o.token), ref.evalSet);
          return { task: taskFidelityOf(f), cosine: f.cosineSimilarity };
        } finally {
          await session.release();
        }
      },
      maxFraction: o.mixedMaxFraction,
      budgetMs: o.mixedBudgetMs,
      token: o.token,
      progress: (message) => o.progress?.(message, 82),
    });
    const soloWords = (u: number) => {
      const p = search.solo[u];
      return p ? `${fidelityWords(p.task)}${p.task.metric === 'cosine' ? '' : `, cosine ${p.cosine.toFixed(4)}`} when quantized alone` : 'not measured alone';
    };
    const ranked = search.order.slice(0, 5).map((u) => `${units[u].label} (${units[u].op}: ${soloWords(u)})`).join('; ');
    if (search.bytes && search.probe) {
      const skip = new Set(search.kept.flatMap((u) => u.targets));
      const { rewrite } = await build(plan, skip);
      const keptWords = search.kept.map((u) => `${u.label} (${u.op}: ${soloWords(units.indexOf(u))})`).join('; ');
      const label = `${name} + ${search.kept.length} layer${search.kept.length === 1 ? '' : 's'} fp32`;
      rewrite.notes.push(`Mixed precision: ${name} alone gave ${fidelityWords(first.fidelity)}, out of tolerance. Each of the ${units.length} quantized layers was quantized alone and measured on the evaluation inputs; the ${search.kept.length} most sensitive stay fp32: ${keptWords}. With them fp32: ${search.probe.task.description}. Search: ${search.steps.map((s) => `${s.keep} kept → ${s.probe ? fidelityWords(s.probe.task) : `failed: ${short(s.error ?? '', 80)}`}`).join(', ')}; ${(search.elapsedMs / 1000).toFixed(1)} s.`);
      o.progress?.(`Mixed precision: measuring ${label} against fp32`, 85);
      await measure(plan, label, `${plan.description}; ${search.kept.length} most sensitive layer(s) kept fp32: ${search.kept.map((u) => u.label).join(', ')}`, search.bytes, rewrite);
      const m = measured[measured.length - 1];
      if (!m.error && Number.isFinite(m.speedup)) {
        mixedWords = `mixed precision ${label}: ${fmtSpeed(m.speedup)} fp32 and ${m.sizeBytes} bytes against ${fmtSpeed(first.speedup)} and ${first.sizeBytes} bytes for ${name} alone (kept fp32: ${keptWords})`;
      }
    } else {
      mixedWarnings.push(`Mixed precision did not reach the tolerance: ${search.stopped ?? 'no step was within tolerance'} (${search.steps.map((s) => `${s.keep} kept → ${s.probe ? fidelityWords(s.probe.task) : 'failed'}`).join(', ') || 'no step ran'}). Most sensitive layers: ${ranked || 'none measured'}.`);
    }
    choice = chooseFormat(measured, o.sourceSize);
    if (choice.index === undefined) throw new EngineError('unsupported', `No quantization format could be built and run for this model: ${choice.reason}.`, 'Check the model with `pepperpy-opt model inspect`; a different bit width or format may apply.');
  }
  const model = await decodeModel(builtModels[choice.index]!);
  const m = measured[choice.index];
  const reason = mixedWords && measured[choice.index] === measured[measured.length - 1] ? `${choice.reason}; ${mixedWords}` : choice.reason;
  return { model, format: m.format, description: m.description, rewrite: rewrites[choice.index]!, candidates: choice.candidates, reason, warnings: [...choice.warnings, ...mixedWarnings], measured };
}
