/**
 * The seed's `ModelPruner` (the pruning class of the Python PepperPy `optimization` module:
 * magnitude, random or structured pruning to a sparsity, optionally fine-tuned).
 *
 * - `magnitude` / `random`: unstructured; the lowest-scoring weights of each linear layer
 *   are zeroed (score |w|, or |w|·‖x_k‖ with `activationAware`, as Wanda does, per output
 *   column). Stored as COO `sparse_initializer`s where that is smaller than dense.
 * - `structured`: whole hidden units of MLP blocks (MatMul → bias → element-wise
 *   activation → MatMul) are removed, so the weights get smaller; scored by
 *   ‖W1[:,j]‖·‖W2[j,:]‖, or ‖a_j‖·‖W2[j,:]‖ from activations.
 * - `fineTune`: onnxruntime-node cannot train, so the remaining weights are re-fitted
 *   layer by layer by least squares to reproduce the original layer's outputs on the
 *   dataset (SparseGPT-style reconstruction); each epoch re-captures the pruned model's
 *   own layer inputs.
 */
import { EngineError } from '../../protocol/errors';
import type { TaskFidelity } from '../../protocol/model';
import { ModelPruneParamsSchema, type ModelPruneParams, type PrunedModel } from '../../protocol/model';
import { buildInputs, captureActivations, compareOutputs, runAll, type EvalSet, type Reference } from './evaluate';
import { taskFidelityOf } from './formatChoice';
import { consumers, findLinears, gemmToMatMul, producers, removeDeadCode, type LinearRef } from './graph';
import { weightOpsSummary } from './targets';
import { finish, Job, loadSource, mb, outputPath, parseParams, referenceFor, round, type JobContext, unfaithfulAlternative } from './job';
import { cholesky, choleskySolve, gram } from './linalg';
import { seededRandom } from '../../shared/random';
import { DataType, decodeModel, elementCount, encodeModel, float32Raw, makeTensor, onnxSchema, tensorDims, tensorToFloat32, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx';
import { openSession } from './runtime';

const ELEMENTWISE = new Set(['Relu', 'Gelu', 'FastGelu', 'Erf', 'Sigmoid', 'Tanh', 'Mul', 'Add', 'Div', 'Sub', 'Pow', 'Sqrt', 'LeakyRelu', 'Elu', 'Selu', 'Softplus', 'HardSigmoid', 'HardSwish', 'Identity', 'BiasGelu', 'QuickGelu']);

/** An MLP block whose hidden width can shrink: fc1 [K×H] (+ bias [H]) → element-wise → fc2 [H×N]. */
export interface MlpPair {
  fc1: LinearRef;
  fc2: LinearRef;
  bias?: TensorProto;
  hidden: number;
}

interface Fit {
  layer: LinearRef;
  /** The layer's original weights, whose outputs the refit reproduces. */
  target: Float32Array;
  /** Unstructured: 1 where a weight is kept. */
  mask?: Uint8Array;
  /** Structured: the hidden units kept, and XᵀX of all units on the original model. */
  keepRows?: number[];
  fullHessian?: Float64Array;
}

export class ModelPruner {
  async prune(raw: ModelPruneParams, ctx: JobContext = {}): Promise<PrunedModel> {
    const p = parsePrune(raw);
    const job = new Job(ctx);
    if ((p.activationAware || p.fineTune) && !p.fineTuneDataset) job.notes.push('No --data file (fineTuneDataset) given: activations come from seeded random inputs, which is weaker than real data.');
    const out = outputPath(p.modelPath, `pruned-${p.method}-${p.sparsity === 'auto' ? 'auto' : Math.round(p.sparsity * 100)}`, p.outPath);
    const source = await loadSource(job, p.modelPath);
    // Nothing to prune is known from the graph alone: say so before running the model.
    const probe = await decodeModel(await encodeModel(source.model));
    await gemmToMatMul(probe);
    refuseWhenNothingToPrune(probe, p.method, p.minElements);
    const reference = await referenceFor(job, p.modelPath, p.device, p.fineTuneDataset, p.batchSize, { inputsPath: p.inputsPath });
    let model = source.model;
    let chosen: Pruned;
    let sparsity: number;
    try {
      await gemmToMatMul(model);
      const calib = p.activationAware || p.fineTune ? await buildInputs(reference.session, { dataPath: p.fineTuneDataset, batchSize: p.batchSize, batches: 4, part: 'calibration' }) : undefined;
      if (p.sparsity === 'auto') {
        const found = await searchSparsity(model, { ...p, sparsity: 0 }, calib, reference, job);
        model = found.model;
        chosen = found.pruned;
        sparsity = found.sparsity;
      } else {
        const notes: string[] = [];
        chosen = await applyPruning(model, { ...p, sparsity: p.sparsity }, calib, reference, job, notes);
        job.notes.push(...notes);
        sparsity = p.sparsity;
        // A sparsity that removes nothing would write a copy of the source (a little larger): say so instead.
        if (chosen.removed === 0) throw new EngineError('unsupported', `unsupported: --sparsity ${p.sparsity} removes no weight (0 of ${chosen.prunable.toLocaleString('en-US')}), so the result would be a copy of the source. Nothing was written.`, 'Give a sparsity that removes weights (e.g. --sparsity 0.3), or --sparsity auto (the largest within tolerance).');
      }
    } catch (error) {
      // finish() releases the reference; a refusal or a cancel before it must too (the engine lives on).
      await reference.session.release();
      throw error;
    }
    const { prunable, removed, layers, storage, fineTune, search } = chosen;
    const base = await finish(job, source, reference, model, out, { alternative: unfaithfulAlternative({ verb: 'prune', sparsity, fineTune: p.fineTune, inputsPath: p.inputsPath }) });
    const { newSize, ...shared } = base;
    if (storage === 'dense' && newSize >= source.sizeBytes * 0.99 && !(shared.warnings ?? []).some((w) => /LARGER|not smaller/.test(w))) {
      shared.warnings = [...(shared.warnings ?? []), `The pruned model is not smaller (${mb(newSize)} MB vs ${mb(source.sizeBytes)} MB): at ${Math.round(sparsity * 100)}% sparsity the zeros are stored dense (a sparse initializer is smaller only above about 50–60 %), and onnxruntime has no sparse kernel on CPU, so it is not faster either. For size and speed, quantize instead (pepperpy-opt model quantize --bits 8).`];
    }
    return {
      ...shared,
      prunedSize: newSize,
      prunedSizeMb: mb(newSize),
      method: p.method,
      achievedSparsity: round(prunable > 0 ? removed / prunable : 0, 4),
      storage,
      estimatedPerformanceLoss: shared.fidelity.lossIncreasePercent !== undefined ? round(shared.fidelity.lossIncreasePercent, 3) : shared.fidelity.top1Agreement !== undefined ? round((1 - shared.fidelity.top1Agreement) * 100, 3) : null,
      ...(fineTune ? { fineTune } : {}),
      ...(search ? { sparsitySearch: search } : {}),
      layersPruned: layers,
    };
  }
}

/** A parsed prune request with a fixed sparsity. */
type PruneRequest = Omit<ReturnType<typeof parsePrune>, 'sparsity'> & { sparsity: number };

function parsePrune(raw: ModelPruneParams) {
  return parseParams(ModelPruneParamsSchema, raw, 'model/prune');
}

interface Pruned {
  prunable: number;
  removed: number;
  layers: number;
  storage: string;
  fineTune?: PrunedModel['fineTune'];
  search?: PrunedModel['sparsitySearch'];
}

/**
 * Sparsities `sparsity: 'auto'` tries, from 50 % up while the task stays within tolerance, or
 * down until it does. Unstructured zeros make the file smaller only above about 50–60 % (COO
 * storage) and never faster on CPU, so the top of the ladder is where pruning pays.
 */
export const SPARSITY_LADDER = [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9] as const;

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** The task verdict of a candidate model's outputs against the reference's, without timing it. */
async function taskOf(reference: Reference, bytes: Uint8Array, token: Job['token']): Promise<TaskFidelity> {
  const session = await openSession(bytes, reference.executionProvider, { strictDevice: true }, 'the pruned model');
  try {
    return taskFidelityOf(compareOutputs(reference.outputs, await runAll(session, reference.evalSet, token), reference.evalSet));
  } finally {
    await session.release();
  }
}

function taskWords(t: TaskFidelity): string {
  const v = t.metric === 'lossIncreasePercent' ? `${t.value >= 0 ? '+' : ''}${t.value.toFixed(2)} %` : t.metric === 'cosine' ? t.value.toFixed(5) : `${(t.value * 100).toFixed(1)} %`;
  return `${t.metric} ${v}${t.withinTolerance ? '' : ' (out)'}`;
}

/**
 * The largest sparsity of SPARSITY_LADDER whose task fidelity stays within tolerance, each
 * tried on a fresh copy of the model. Refuses, before anything is written, when none is
 * faithful, or when the faithful one cannot make the model smaller (unstructured zeros
 * stored dense) — a pruned file that is neither smaller nor faster is of no use.
 */
async function searchSparsity(model: ModelProto, p: PruneRequest, calib: EvalSet | undefined, reference: Reference, job: Job): Promise<{ model: ModelProto; pruned: Pruned; sparsity: number }> {
  const base = await encodeModel(model);
  const tried: { sparsity: number; task: TaskFidelity; sizeBytes: number }[] = [];
  let best: { model: ModelProto; pruned: Pruned; sparsity: number; notes: string[] } | undefined;
  const probe = async (i: number): Promise<boolean> => {
    const sparsity = SPARSITY_LADDER[i];
    job.checkCancelled();
    job.progress(`Automatic sparsity: trying ${pct(sparsity)}`, 20 + 5 * tried.length);
    const candidate = await decodeModel(base);
    const notes: string[] = [];
    const pruned = await applyPruning(candidate, { ...p, sparsity }, calib, reference, job, notes);
    const bytes = await encodeModel(candidate);
    const task = await taskOf(reference, bytes, job.token);
    tried.push({ sparsity, task, sizeBytes: bytes.length });
    if (task.withinTolerance && (!best || sparsity > best.sparsity)) best = { model: candidate, pruned, sparsity, notes };
    return task.withinTolerance;
  };
  let i = SPARSITY_LADDER.indexOf(0.5);
  if (await probe(i)) {
    while (i + 1 < SPARSITY_LADDER.length && (await probe(i + 1))) i++;
  } else {
    while (i > 0 && !(await probe(i - 1))) i--;
  }
  tried.sort((a, b) => a.sparsity - b.sparsity);
  const words = tried.map((t) => `${pct(t.sparsity)}: ${taskWords(t.task)}`).join('; ');
  const search = tried.map((t) => ({ sparsity: t.sparsity, metric: t.task.metric, value: t.task.value, withinTolerance: t.task.withinTolerance, sizeBytes: t.sizeBytes }));
  if (!best) {
    throw new EngineError('unsupported', `unsupported: no sparsity down to ${pct(SPARSITY_LADDER[0])} keeps this model's task within tolerance (${words}). Nothing was written.`, 'Quantize it instead (pepperpy-opt model quantize --bits 8), re-fit the kept weights with --fine-tune --data FILE, or measure on real samples with --inputs FILE.');
  }
  const found: { model: ModelProto; pruned: Pruned; sparsity: number; notes: string[] } = best;
  if (p.method !== 'structured' && found.pruned.storage === 'dense') {
    throw new EngineError(
      'unsupported',
      `unsupported: pruning cannot make this model smaller or faster within tolerance. The largest faithful sparsity is ${pct(found.sparsity)} (${words}); at that sparsity the zeros are stored dense (a COO sparse initializer is smaller only above about 50–60 %) and onnxruntime has no sparse kernel on CPU, so neither the file nor the speed would change. Nothing was written.`,
      'Quantize it instead (pepperpy-opt model quantize --bits 8). An explicit --sparsity (sparsity) writes the pruned model anyway.',
    );
  }
  job.notes.push(...found.notes, `Automatic sparsity: ${pct(found.sparsity)}, the largest tried within tolerance (${words}).`);
  return { model: found.model, pruned: { ...found.pruned, search }, sparsity: found.sparsity };
}

/** Throws the "unsupported" refusal when the graph has nothing the method can prune (a Gemm-free form, see gemmToMatMul). */
function refuseWhenNothingToPrune(model: ModelProto, method: 'magnitude' | 'random' | 'structured', minElements: number): void {
  if (method === 'structured') {
    if (findMlpPairs(model, minElements).length === 0) throw new EngineError('unsupported', 'unsupported: structured pruning found no MLP block (MatMul → bias → element-wise activation → MatMul) to narrow.', 'Use method magnitude for unstructured sparsity.');
  } else if (findLinears(model, minElements).length === 0) {
    throw new EngineError('unsupported', `unsupported: pruning works on MatMul/Gemm layers with at least ${minElements} weights, and this model has none (its weights are in ${weightOpsSummary(model)}).`, 'Quantize it instead (`pepperpy-opt model quantize`), which covers Conv, LSTM and the other operators.');
  }
}

/** Prunes `model` in place at `p.sparsity` (and re-fits when asked); what it did goes to `notes`. */
async function applyPruning(model: ModelProto, p: PruneRequest, calib: EvalSet | undefined, reference: Reference, job: Job, notes: string[]): Promise<Pruned> {
  let prunable = 0;
  let removed = 0;
  let layers = 0;
  let storage: string;
  const fitted: Fit[] = [];

  if (p.method === 'structured') {
    const pairs = findMlpPairs(model, p.minElements);
    if (pairs.length === 0) refuseWhenNothingToPrune(model, 'structured', p.minElements);
    // fc2's inputs on the original model, for activation-aware scores and for the refit.
    const acts = calib ? await captureActivations(model, pairs.map((x) => x.fc2.node.input[0]), calib, { token: job.token }) : undefined;
    for (const pair of pairs) {
      job.checkCancelled();
      const w1 = tensorToFloat32(pair.fc1.weight.tensor);
      const w2 = tensorToFloat32(pair.fc2.weight.tensor);
      const h = pair.hidden;
      const full = acts?.get(pair.fc2.node.input[0]);
      const act = p.activationAware ? full : undefined;
      const score = new Float64Array(h);
      for (let j = 0; j < h; j++) {
        let out2 = 0;
        for (let c = 0; c < pair.fc2.n; c++) out2 += w2[j * pair.fc2.n + c] ** 2;
        let in1 = 0;
        if (act) for (let r = 0; r < act.rows; r++) in1 += act.data[r * act.width + j] ** 2;
        else for (let r = 0; r < pair.fc1.k; r++) in1 += w1[r * h + j] ** 2;
        score[j] = Math.sqrt(in1) * Math.sqrt(out2);
      }
      const drop = Math.min(h - 1, Math.round(h * p.sparsity));
      const keep = Array.from({ length: h }, (_, j) => j).sort((a, b) => score[b] - score[a]).slice(0, h - drop).sort((a, b) => a - b);
      prunable += w1.length + w2.length;
      removed += drop * (pair.fc1.k + pair.fc2.n);
      await narrow(pair, keep, w1, w2);
      fitted.push({ layer: pair.fc2, target: w2, keepRows: keep, ...(full ? { fullHessian: gram(full.data, full.rows, full.width) } : {}) });
      layers++;
    }
    storage = 'smaller';
    notes.push(`Structured: removed ${Math.round(p.sparsity * 100)}% of the hidden units of ${pairs.length} MLP block(s) (columns of the first weight and its bias, rows of the second), scored by ${p.activationAware ? '‖activation‖·‖outgoing weights‖ on the dataset' : '‖incoming‖·‖outgoing weights‖'}.`);
  } else {
    const linears = findLinears(model, p.minElements);
    if (linears.length === 0) refuseWhenNothingToPrune(model, p.method, p.minElements);
    const acts = p.activationAware && calib ? await captureActivations(model, linears.map((l) => l.node.input[0]), calib, { token: job.token }) : undefined;
    const random = seededRandom(p.seed);
    for (const lin of linears) {
      job.checkCancelled();
      const w = tensorToFloat32(lin.weight.tensor);
      const act = acts?.get(lin.node.input[0]);
      const norms = act ? columnNorms(act) : undefined;
      const mask = pruneMask(w, lin.k, lin.n, p.sparsity, p.method, norms, random);
      const original = Float32Array.from(w);
      for (let i = 0; i < w.length; i++) if (!mask[i]) w[i] = 0;
      await setWeight(lin, w);
      prunable += w.length;
      removed += w.length - mask.reduce((a, b) => a + b, 0);
      fitted.push({ layer: lin, mask, target: original });
      layers++;
    }
    storage = 'dense';
    notes.push(`${p.method === 'random' ? 'Random (seeded)' : p.activationAware ? 'Wanda-style |w|·‖x‖, per output column' : 'Magnitude |w|, per layer'} unstructured pruning of ${linears.length} layer(s).`);
  }

  let fineTune: PrunedModel['fineTune'];
  if (p.fineTune) {
    const evalSet = reference.evalSet;
    const metric = evalSet.targets ? 'held-out next-byte cross-entropy (nats)' : 'output mean squared error against the original';
    const before = await lossOf(model, reference.outputs, evalSet);
    for (let epoch = 0; epoch < p.fineTuneEpochs; epoch++) {
      job.progress(`Reconstruction epoch ${epoch + 1}/${p.fineTuneEpochs}`, 40 + (40 * epoch) / p.fineTuneEpochs);
      const masked = fitted.filter((f) => f.mask);
      const acts = masked.length > 0 ? await captureActivations(model, masked.map((f) => f.layer.node.input[0]), calib!, { token: job.token }) : undefined;
      for (const f of fitted) {
        job.checkCancelled();
        if (f.keepRows && f.fullHessian) {
          await setWeight(f.layer, refitRows(f.fullHessian, f.target, f.keepRows, f.layer.n));
          continue;
        }
        const act = acts?.get(f.layer.node.input[0]);
        if (act && f.mask) await setWeight(f.layer, refitMasked(act, f.target, f.mask, f.layer.k, f.layer.n));
      }
    }
    const after = await lossOf(model, reference.outputs, evalSet);
    fineTune = { lossBefore: round(before.loss, 6), lossAfter: round(after.loss, 6), outputMseBefore: before.mse, outputMseAfter: after.mse, epochs: p.fineTuneEpochs, layers: fitted.length, metric };
    const how = p.method === 'structured' ? "the kept rows of each narrowed layer's second weight re-fitted so that they reproduce the full layer's outputs on the original activations" : "the kept weights of each layer re-fitted so that it reproduces the original layer's outputs on the pruned model's own inputs (re-captured each epoch)";
    notes.push(`Fine-tune: layer-wise ridge least squares (1% of the mean diagonal), ${how}; data: ${calib!.description}. Held-out ${metric} ${before.loss.toFixed(4)} → ${after.loss.toFixed(4)}; output MSE against the original ${before.mse.toExponential(3)} → ${after.mse.toExponential(3)}.`);
  }

  if (storage === 'dense') {
    const sparse = await toSparseInitializers(model, p.minElements);
    if (sparse > 0) {
      storage = 'sparse_initializer';
      notes.push(`${sparse} weight(s) stored as COO sparse_initializer (values + int16/int32 indices), which onnxruntime densifies at load: the file shrinks, the compute does not (onnxruntime has no sparse MatMul on CPU).`);
    } else notes.push('Zeros are stored dense: at this sparsity a COO sparse initializer (4-byte value + index per non-zero) would not be smaller. The speed does not change either: onnxruntime has no sparse MatMul kernel on CPU.');
  }
  removeDeadCode(model);
  return { prunable, removed, layers, storage, ...(fineTune ? { fineTune } : {}) };
}

function columnNorms(act: { rows: number; width: number; data: Float32Array }): Float64Array {
  const out = new Float64Array(act.width);
  for (let r = 0; r < act.rows; r++) for (let k = 0; k < act.width; k++) out[k] += act.data[r * act.width + k] ** 2;
  return out.map(Math.sqrt);
}

/** 1 = keep. Magnitude and random prune per layer; activation-aware prunes per output column (Wanda). */
export function pruneMask(w: Float32Array, k: number, n: number, sparsity: number, method: 'magnitude' | 'random', norms: Float64Array | undefined, random: () => number): Uint8Array {
  const mask = new Uint8Array(w.length).fill(1);
  if (method === 'random') {
    const order = Array.from({ length: w.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let i = 0; i < Math.round(w.length * sparsity); i++) mask[order[i]] = 0;
    return mask;
  }
  if (norms) {
    const drop = Math.round(k * sparsity);
    for (let c = 0; c < n; c++) {
      const rows = Array.from({ length: k }, (_, r) => r).sort((a, b) => Math.abs(w[a * n + c]) * norms[a] - Math.abs(w[b * n + c]) * norms[b]);
      for (let i = 0; i < drop; i++) mask[rows[i] * n + c] = 0;
    }
    return mask;
  }
  const order = Array.from({ length: w.length }, (_, i) => i).sort((a, b) => Math.abs(w[a]) - Math.abs(w[b]));
  for (let i = 0; i < Math.round(w.length * sparsity); i++) mask[order[i]] = 0;
  return mask;
}

/** For each output column, the kept weights that best reproduce X·w_target (ridge-damped normal equations). */
function refitMasked(act: { rows: number; width: number; data: Float32Array }, target: Float32Array, mask: Uint8Array, k: number, n: number): Float32Array {
  const h = gram(act.data, act.rows, act.width);
  let mean = 0;
  for (let i = 0; i < k; i++) mean += h[i * k + i];
  const ridge = (0.01 * mean) / k + 1e-8;
  const out = new Float32Array(k * n);
  for (let c = 0; c < n; c++) {
    const keep: number[] = [];
    for (let r = 0; r < k; r++) if (mask[r * n + c]) keep.push(r);
    if (keep.length === 0) continue;
    const s = keep.length;
    const hs = new Float64Array(s * s);
    const rhs = new Float64Array(s);
    for (let a = 0; a < s; a++) {
      const ra = keep[a];
      for (let b = 0; b < s; b++) hs[a * s + b] = h[ra * k + keep[b]];
      hs[a * s + a] += ridge;
      let v = 0;
      for (let j = 0; j < k; j++) v += h[ra * k + j] * target[j * n + c];
      rhs[a] = v + ridge * target[ra * n + c];
    }
    const sol = choleskySolve(cholesky(hs, s), s, rhs, 1);
    keep.forEach((r, a) => (out[r * n + c] = sol[a]));
  }
  return out;
}

/**
 * Structured: W2' [S×N] with X_S·W2' ≈ X·W2, where X holds all H hidden activations of the
 * original model (H = XᵀX), so the kept units absorb what the removed ones contributed.
 */
function refitRows(hFull: Float64Array, target: Float32Array, keep: number[], n: number): Float32Array {
  const hDim = Math.round(Math.sqrt(hFull.length));
  const s = keep.length;
  let mean = 0;
  for (let i = 0; i < hDim; i++) mean += hFull[i * hDim + i];
  const ridge = (0.01 * mean) / hDim + 1e-8;
  const hs = new Float64Array(s * s);
  const rhs = new Float64Array(s * n);
  for (let a = 0; a < s; a++) {
    const ra = keep[a];
    for (let b = 0; b < s; b++) hs[a * s + b] = hFull[ra * hDim + keep[b]];
    hs[a * s + a] += ridge;
    for (let c = 0; c < n; c++) {
      let v = 0;
      for (let j = 0; j < hDim; j++) v += hFull[ra * hDim + j] * target[j * n + c];
      rhs[a * n + c] = v + ridge * target[ra * n + c];
    }
  }
  return Float32Array.from(choleskySolve(cholesky(hs, s), s, rhs, n));
}

async function lossOf(model: ModelProto, referenceOutputs: Awaited<ReturnType<typeof runAll>>, set: EvalSet): Promise<{ loss: number; mse: number }> {
  const session = await openSession(await encodeModel(model), 'cpu', {}, 'the pruned model');
  try {
    const outs = await runAll(session, set);
    const f = compareOutputs(referenceOutputs, outs, set);
    let se = 0;
    let count = 0;
    referenceOutputs.perBatch.forEach((batch, b) => batch.forEach((ref, o) => {
      const cand = outs.perBatch[b][o];
      for (let i = 0; i < ref.length; i++) se += (ref[i] - cand[i]) ** 2;
      count += ref.length;
    }));
    const mse = se / Math.max(1, count);
    return { loss: f.loss ?? mse, mse };
  } finally {
    await session.release();
  }
}

export async function setWeight(lin: LinearRef, values: Float32Array, dims?: number[]): Promise<void> {
  const t = lin.weight.tensor;
  t.rawData = float32Raw(values) as Uint8Array<ArrayBuffer>;
  t.floatData = [];
  t.dataType = DataType.FLOAT;
  if (dims) {
    t.dims = dims.map((d) => BigInt(d));
    lin.k = dims[0];
    lin.n = dims[1];
  }
}

function constantValue(graph: GraphProto, name: string): TensorProto | undefined {
  const init = graph.initializer.find((t) => t.name === name);
  if (init) return init;
  const node = graph.node.find((n) => n.opType === 'Constant' && n.output[0] === name);
  return node?.attribute.find((a) => a.name === 'value')?.t;
}

/** Finds fc1 → (bias Add) → element-wise ops → fc2 chains in the main graph. */
export function findMlpPairs(model: ModelProto, minElements: number): MlpPair[] {
  const graph = model.graph!;
  const linears = findLinears(model, minElements).filter((l) => l.depth === 0 && l.weight.source === 'initializer');
  const byNode = new Map<NodeProto, LinearRef>(linears.map((l) => [l.node, l]));
  const uses = consumers(graph);
  const made = producers(graph);
  const graphOutputs = new Set(graph.output.map((o) => o.name));
  const pairs: MlpPair[] = [];
  const claimed = new Set<string>();
  for (const fc1 of linears) {
    const h = fc1.n;
    // Everything reachable from fc1's output up to the next linear layers.
    const region = new Set<NodeProto>();
    const ends = new Set<LinearRef>();
    const frontier = [fc1.node.output[0]];
    let ok = !graphOutputs.has(fc1.node.output[0]);
    while (frontier.length > 0 && ok) {
      const value = frontier.pop()!;
      for (const user of uses.get(value) ?? []) {
        const lin = byNode.get(user);
        if (lin && user.input[0] === value) {
          ends.add(lin);
          continue;
        }
        if (region.has(user)) continue;
        if (!ELEMENTWISE.has(user.opType) || user.domain !== '' || user.output.length !== 1 || graphOutputs.has(user.output[0]) || region.size > 32) {
          ok = false;
          break;
        }
        region.add(user);
        frontier.push(user.output[0]);
      }
    }
    if (!ok || ends.size !== 1) continue;
    const fc2 = [...ends][0];
    if (fc2.k !== h || fc2 === fc1) continue;
    let bias: TensorProto | undefined;
    for (const node of region) {
      for (const input of node.input) {
        if (input === '' || input === fc1.node.output[0]) continue;
        const producer = made.get(input);
        if (producer && region.has(producer)) continue;
        const c = constantValue(graph, input);
        if (c && elementCount(tensorDims(c)) <= 1) continue;
        const cd = c ? tensorDims(c) : [];
        if (c && !bias && node.opType === 'Add' && cd.length === 1 && cd[0] === h && c.dataType === DataType.FLOAT && (uses.get(input) ?? []).length === 1) {
          bias = c;
          continue;
        }
        ok = false;
      }
    }
    if (!ok || claimed.has(fc1.weight.name) || claimed.has(fc2.weight.name) || h < 2) continue;
    claimed.add(fc1.weight.name);
    claimed.add(fc2.weight.name);
    pairs.push({ fc1, fc2, bias, hidden: h });
  }
  return pairs;
}

/** Keeps hidden units `keep`: columns of W1 and the bias, rows of W2. */
export async function narrow(pair: MlpPair, keep: number[], w1: Float32Array, w2: Float32Array): Promise<void> {
  const h = pair.hidden;
  const s = keep.length;
  const k = pair.fc1.k;
  const n = pair.fc2.n;
  const nw1 = new Float32Array(k * s);
  for (let r = 0; r < k; r++) keep.forEach((j, a) => (nw1[r * s + a] = w1[r * h + j]));
  const nw2 = new Float32Array(s * n);
  keep.forEach((j, a) => nw2.set(w2.subarray(j * n, (j + 1) * n), a * n));
  await setWeight(pair.fc1, nw1, [k, s]);
  await setWeight(pair.fc2, nw2, [s, n]);
  if (pair.bias) {
    const b = tensorToFloat32(pair.bias);
    pair.bias.rawData = float32Raw(Float32Array.from(keep, (j) => b[j])) as Uint8Array<ArrayBuffer>;
    pair.bias.floatData = [];
    pair.bias.dims = [BigInt(s)];
  }
  pair.hidden = s;
}

/** Moves mostly-zero initializers to COO sparse_initializers when that is smaller. Returns how many. */
async function toSparseInitializers(model: ModelProto, minElements: number): Promise<number> {
  const onnx = await onnxSchema();
  const graph = model.graph!;
  const linearWeights = new Set(findLinears(model, minElements).filter((l) => l.weight.source === 'initializer' && l.depth === 0).map((l) => l.weight.name));
  let moved = 0;
  for (const t of [...graph.initializer]) {
    if (!linearWeights.has(t.name) || t.dataType !== DataType.FLOAT) continue;
    const values = tensorToFloat32(t);
    const nnz: number[] = [];
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) nnz.push(i);
    const indexBytes = values.length <= 32767 ? 2 : 4;
    if (nnz.length * (4 + indexBytes) + 64 >= values.length * 4) continue;
    const idx = indexBytes === 2 ? new Uint8Array(new Int16Array(nnz).buffer) : new Uint8Array(new Int32Array(nnz).buffer);
    const sparse = onnx.create(onnx.SparseTensorProtoSchema, {
      dims: t.dims,
      values: await makeTensor(t.name, DataType.FLOAT, [nnz.length], float32Raw(Float32Array.from(nnz, (i) => values[i]))),
      indices: await makeTensor('', indexBytes === 2 ? 5 : DataType.INT32, [nnz.length], idx),
    });
    graph.initializer.splice(graph.initializer.indexOf(t), 1);
    graph.sparseInitializer.push(sparse);
    moved++;
  }
  return moved;
}
