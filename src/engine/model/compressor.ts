/**
 * The seed's `ModelCompressor` (the Python PepperPy `optimization` module's compression class:
 * distillation into a smaller student, or low-rank factorization).
 *
 * - `low_rank`: each large linear layer W[K×N] becomes two, A[K×r]·B[r×N], from a truncated
 *   SVD. The rank meets a target size (`targetSizeRatio`) or a target relative error
 *   (`targetError`). With `trainingData` the factorization is activation-aware: it
 *   minimizes ‖X(W − AB)‖ instead of ‖W − AB‖ (SVD of LᵀW with XᵀX = LLᵀ).
 * - `distillation`: a student derived from the teacher. Residual branches (attention or
 *   MLP sublayers: y = x + f(x)) are scored by the loss increase measured when each is
 *   skipped, and the least influential are removed until `numLayers` remain; MLP hidden
 *   widths shrink by `intermediateRatio` (units scored by activation). Then every remaining
 *   linear layer, in graph order, is fitted by least squares so that, on the student's own
 *   inputs, it reproduces the teacher's output of that layer (layer-wise hint matching).
 * - `knowledge_distillation`: the same student, but only the output layer is fitted, to the
 *   teacher's logits (soft targets), by least squares.
 *
 * onnxruntime-node cannot train, so there is no gradient descent; least squares is exact for
 * one linear layer at a time, which is what is fitted.
 */
import { EngineError } from '../../protocol/errors';
import { ModelCompressParamsSchema, type CompressedModel, type ModelCompressParams, type TaskFidelity } from '../../protocol/model';
import { buildInputs, captureActivations, compareOutputs, runAll, type EvalSet, type Outputs, type Reference } from './evaluate';
import { taskFidelityOf } from './formatChoice';
import { findLinears, gemmToMatMul, makeNode, NameScope, producers, removeDeadCode, type LinearRef } from './graph';
import { weightOpsSummary } from './targets';
import { finish, Job, loadSource, mb, outputPath, parseParams, referenceFor, round, type JobContext, unfaithfulAlternative } from './job';
import { cholesky, choleskySolve, damp, gram, solveLowerTransposed, svd } from './linalg';
import { decodeModel, encodeModel, floatTensor, tensorToFloat32, type ModelProto, type NodeProto } from './onnx';
import { findMlpPairs, narrow, setWeight } from './pruner';
import { openSession } from './runtime';

/** Largest layer dimension factored in plain TypeScript (the eigensolver is O(n³)). */
const MAX_SVD_DIM = 1536;

export class ModelCompressor {
  async compress(raw: ModelCompressParams, ctx: JobContext = {}): Promise<CompressedModel> {
    const p = parseParams(ModelCompressParamsSchema, raw, 'model/compress');
    const job = new Job(ctx);
    const teacherPath = p.teacherModelPath ?? p.modelPath;
    const out = outputPath(p.modelPath, p.method === 'low_rank' ? 'lowrank' : 'student', p.outPath);
    if (p.teacherModelPath) outputPath(p.teacherModelPath, 'student', out);
    const source = await loadSource(job, teacherPath);
    const reference = await referenceFor(job, teacherPath, p.device, p.trainingData, p.batchSize, { inputsPath: p.inputsPath });
    let model = source.model;
    const steps: string[] = [];
    let ratio = typeof p.targetSizeRatio === 'number' ? p.targetSizeRatio : undefined;
    let search: CompressedModel['rankSearch'];
    try {
      await gemmToMatMul(model);
      const calib = p.trainingData || p.method !== 'low_rank' ? await buildInputs(reference.session, { dataPath: p.trainingData, batchSize: p.batchSize, batches: 4, part: 'calibration' }) : undefined;
      if (calib) job.notes.push(`Training data: ${calib.description}.`);
      if (p.method === 'low_rank' && (p.targetSizeRatio === 'auto' || (p.targetSizeRatio === undefined && p.targetError === undefined))) {
        const found = await searchRank(model, p, calib, reference, job);
        model = found.model;
        steps.push(...found.steps);
        ratio = found.ratio;
        search = found.search;
      } else if (p.method === 'low_rank') {
        const notes: string[] = [];
        await lowRank(model, { ...p, targetSizeRatio: ratio }, calib, job, steps, notes);
        job.notes.push(...notes);
      } else await distill(model, p, calib!, job, steps);
      removeDeadCode(model);
    } catch (error) {
      // finish() releases the reference; a refusal or a cancel before it must too (the engine lives on).
      await reference.session.release();
      throw error;
    }
    const base = await finish(job, source, reference, model, out, { alternative: unfaithfulAlternative({ verb: 'compress', method: p.method, targetSizeRatio: ratio, inputsPath: p.inputsPath }) });
    const { newSize, ...shared } = base;
    return {
      ...shared,
      compressedSize: newSize,
      compressedSizeMb: mb(newSize),
      method: p.method,
      ...(search ? { rankSearch: search } : {}),
      estimatedPerformanceLoss: shared.fidelity.lossIncreasePercent !== undefined ? round(shared.fidelity.lossIncreasePercent, 3) : shared.fidelity.top1Agreement !== undefined ? round((1 - shared.fidelity.top1Agreement) * 100, 3) : null,
      steps,
    };
  }
}

type Params = ReturnType<typeof ModelCompressParamsSchema.parse>;

async function lowRank(model: ModelProto, p: Omit<Params, 'targetSizeRatio'> & { targetSizeRatio?: number }, calib: EvalSet | undefined, job: Job, steps: string[], notes: string[]): Promise<void> {
  const linears = findLinears(model, p.minElements).filter((l) => Math.min(l.k, l.n) <= MAX_SVD_DIM);
  if (linears.length === 0) throw new EngineError('unsupported', `unsupported: low-rank factoring works on MatMul/Gemm layers with at least ${p.minElements} weights and both sides ≤ ${MAX_SVD_DIM}, and this model has none (its weights are in ${weightOpsSummary(model)}).`, 'Quantize it instead (`pepperpy-opt model quantize`), which covers Conv, LSTM and the other operators.');
  const acts = calib ? await captureActivations(model, linears.map((l) => l.node.input[0]), calib, { token: job.token }) : undefined;
  const names = new NameScope(model);
  const sizeRatio = p.targetSizeRatio ?? (p.targetError === undefined ? 0.5 : undefined);
  let factored = 0;
  for (let i = 0; i < linears.length; i++) {
    job.checkCancelled();
    const lin = linears[i];
    job.progress(`Factoring ${lin.weight.name} [${lin.k}×${lin.n}]`, 20 + (60 * i) / linears.length);
    const w = tensorToFloat32(lin.weight.tensor);
    const act = acts?.get(lin.node.input[0]);
    // Work on M = LᵀW when activations are known (‖X·D‖ = ‖Lᵀ·D‖), else on W itself.
    let chol: Float64Array | undefined;
    let m: Float64Array<ArrayBufferLike> = Float64Array.from(w);
    if (act) {
      chol = cholesky(damp(gram(act.data, act.rows, act.width), lin.k, 0.01), lin.k);
      m = new Float64Array(lin.k * lin.n);
      for (let r = 0; r < lin.k; r++) {
        for (let j = r; j < lin.k; j++) {
          const lv = chol[j * lin.k + r];
          if (lv === 0) continue;
          for (let c = 0; c < lin.n; c++) m[r * lin.n + c] += lv * w[j * lin.n + c];
        }
      }
    }
    const { us, s, vt, rank: full } = svd(m, lin.k, lin.n);
    const total = s.reduce((a, x) => a + x * x, 0);
    let rank: number;
    if (sizeRatio !== undefined) rank = Math.floor((sizeRatio * lin.k * lin.n) / (lin.k + lin.n));
    else {
      rank = full;
      let tail = 0;
      for (let r = full - 1; r >= 1; r--) {
        tail += s[r] * s[r];
        if (Math.sqrt(tail / total) > p.targetError!) break;
        rank = r;
      }
    }
    rank = Math.max(1, Math.min(rank, full));
    if (rank * (lin.k + lin.n) >= lin.k * lin.n) {
      steps.push(`${lin.weight.name} [${lin.k}×${lin.n}]: kept (rank ${rank} would not be smaller).`);
      continue;
    }
    let tail = 0;
    for (let r = rank; r < full; r++) tail += s[r] * s[r];
    // A = (L⁻ᵀ) U_r S_r (or U_r S_r), B = V_rᵀ.
    let a: Float64Array<ArrayBufferLike> = new Float64Array(lin.k * rank);
    for (let r = 0; r < lin.k; r++) for (let c = 0; c < rank; c++) a[r * rank + c] = us[r * full + c];
    if (chol) a = solveLowerTransposed(chol, lin.k, a, rank);
    const b = vt.subarray(0, rank * lin.n);
    const ta = await floatTensor(names.next(`${lin.weight.name}_U`), [lin.k, rank], Float32Array.from(a));
    const tb = await floatTensor(names.next(`${lin.weight.name}_V`), [rank, lin.n], Float32Array.from(b));
    const mid = names.next(`${lin.node.output[0]}_lowrank`);
    const nodes: NodeProto[] = [
      await makeNode('MatMul', [lin.node.input[0], ta.name], [mid], names.next(`${lin.node.name || lin.weight.name}_U`)),
      await makeNode('MatMul', [mid, tb.name], [...lin.node.output], names.next(`${lin.node.name || lin.weight.name}_V`)),
    ];
    lin.graph.node.splice(lin.graph.node.indexOf(lin.node), 1, ...nodes);
    lin.graph.initializer.push(ta, tb);
    factored++;
    steps.push(`${lin.weight.name} [${lin.k}×${lin.n}] → [${lin.k}×${rank}]·[${rank}×${lin.n}] (${Math.round((100 * rank * (lin.k + lin.n)) / (lin.k * lin.n))}% of the weights; ${act ? 'activation-weighted' : 'weight'} relative error ${Math.sqrt(tail / total).toFixed(4)}).`);
  }
  if (factored === 0) throw new EngineError('unsupported', 'No layer got smaller at this rank target.', 'Lower --target-size (targetSizeRatio) or raise --target-error (targetError).');
  notes.push(`Low-rank: ${factored} layer(s) factored by truncated SVD${acts ? ' of LᵀW (activation-aware, XᵀX = LLᵀ from the training data)' : ''}; rank chosen for ${sizeRatio !== undefined ? `target size ratio ${sizeRatio}` : `target relative error ${p.targetError}`}.`);
}

/**
 * Size ratios `targetSizeRatio: 'auto'` tries: from 50 % down while the task stays within
 * tolerance (smaller is better), or up until it does.
 */
export const RANK_RATIO_LADDER = [0.2, 0.3, 0.5, 0.7, 0.9] as const;

/**
 * The smallest size ratio of RANK_RATIO_LADDER whose task fidelity stays within tolerance, each
 * factored from a fresh copy of the model; refuses, before anything is written, when none is.
 */
async function searchRank(model: ModelProto, p: Params, calib: EvalSet | undefined, reference: Reference, job: Job): Promise<{ model: ModelProto; steps: string[]; ratio: number; search: NonNullable<CompressedModel['rankSearch']> }> {
  const base = await encodeModel(model);
  const tried: { targetSizeRatio: number; task?: TaskFidelity; sizeBytes?: number; skipped?: string }[] = [];
  let best: { model: ModelProto; steps: string[]; notes: string[]; ratio: number } | undefined;
  const probe = async (i: number): Promise<boolean> => {
    const ratio = RANK_RATIO_LADDER[i];
    job.checkCancelled();
    const candidate = await decodeModel(base);
    const steps: string[] = [];
    const notes: string[] = [];
    try {
      await lowRank(candidate, { ...p, targetSizeRatio: ratio, targetError: undefined }, calib, job, steps, notes);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'unsupported' && /No layer got smaller/.test(error.message)) {
        tried.push({ targetSizeRatio: ratio, skipped: 'no layer gets smaller' });
        return false;
      }
      throw error;
    }
    removeDeadCode(candidate);
    const bytes = await encodeModel(candidate);
    const session = await openSession(bytes, reference.executionProvider, { strictDevice: true }, 'the factored model');
    let task: TaskFidelity;
    try {
      task = taskFidelityOf(compareOutputs(reference.outputs, await runAll(session, reference.evalSet, job.token), reference.evalSet));
    } finally {
      await session.release();
    }
    tried.push({ targetSizeRatio: ratio, task, sizeBytes: bytes.length });
    if (task.withinTolerance && (!best || ratio < best.ratio)) best = { model: candidate, steps, notes, ratio };
    return task.withinTolerance;
  };
  let i = RANK_RATIO_LADDER.indexOf(0.5);
  if (await probe(i)) {
    while (i > 0 && (await probe(i - 1))) i--;
  } else {
    while (i + 1 < RANK_RATIO_LADDER.length && !(await probe(i + 1))) i++;
  }
  tried.sort((a, b) => a.targetSizeRatio - b.targetSizeRatio);
  const words = tried.map((t) => `${Math.round(t.targetSizeRatio * 100)}%: ${t.task ? `${t.task.metric} ${t.task.metric === 'lossIncreasePercent' ? `${t.task.value >= 0 ? '+' : ''}${t.task.value.toFixed(2)} %` : t.task.metric === 'cosine' ? t.task.value.toFixed(5) : `${(t.task.value * 100).toFixed(1)} %`}${t.task.withinTolerance ? '' : ' (out)'}` : t.skipped}`).join('; ');
  if (!best) {
    throw new EngineError('unsupported', `unsupported: no low-rank size target up to ${Math.round(RANK_RATIO_LADDER[RANK_RATIO_LADDER.length - 1] * 100)}% of each layer keeps this model's task within tolerance (${words}). Nothing was written.`, 'Quantize it instead (pepperpy-opt model quantize --bits 8), factor with activations (--data FILE), or measure on real samples with --inputs FILE. An explicit --target-size writes the factored model anyway.');
  }
  const found: { model: ModelProto; steps: string[]; notes: string[]; ratio: number } = best;
  job.notes.push(...found.notes, `Automatic size target: ${Math.round(found.ratio * 100)}% of each factored layer, the smallest tried within tolerance (${words}).`);
  return {
    model: found.model,
    steps: found.steps,
    ratio: found.ratio,
    search: tried.map((t) => ({ targetSizeRatio: t.targetSizeRatio, ...(t.task ? { metric: t.task.metric, value: t.task.value, withinTolerance: t.task.withinTolerance, sizeBytes: t.sizeBytes! } : { withinTolerance: false, skipped: t.skipped! }) })),
  };
}

/** A residual connection y = a + f(a): the Add node and the input that skips the branch. */
interface Residual {
  add: NodeProto;
  skip: string;
  branch: string;
}

function ancestors(value: string, made: Map<string, NodeProto>): Set<NodeProto> {
  const out = new Set<NodeProto>();
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop()!;
    const node = made.get(v);
    if (!node || out.has(node)) continue;
    out.add(node);
    stack.push(...node.input.filter((i) => i !== ''));
  }
  return out;
}

/** Residual Adds in the main graph whose branch holds at least one linear layer. */
export function findResiduals(model: ModelProto): Residual[] {
  const graph = model.graph!;
  const made = producers(graph);
  const linearNodes = new Set(findLinears(model, 1).map((l) => l.node));
  const out: Residual[] = [];
  for (const node of graph.node) {
    if (node.opType !== 'Add' || node.domain !== '' || node.input.length !== 2) continue;
    for (const [skip, branch] of [[node.input[0], node.input[1]], [node.input[1], node.input[0]]]) {
      const branchAnc = ancestors(branch, made);
      const skipNode = made.get(skip);
      const skipIsGraphInput = !skipNode && graph.input.some((i) => i.name === skip);
      if (!(skipNode && branchAnc.has(skipNode)) && !skipIsGraphInput) continue;
      // Only nodes of the branch itself (not shared with the skip path) count.
      const skipAnc = ancestors(skip, made);
      const own = [...branchAnc].filter((n) => !skipAnc.has(n));
      if (!own.some((n) => linearNodes.has(n))) continue;
      out.push({ add: node, skip, branch });
      break;
    }
  }
  return out;
}

/** Removes the branch of a residual: consumers of the Add read the skip input instead. */
function skipResidual(model: ModelProto, res: Residual): void {
  const graph = model.graph!;
  const outName = res.add.output[0];
  const isOutput = graph.output.some((o) => o.name === outName);
  if (isOutput) {
    res.add.opType = 'Identity';
    res.add.input = [res.skip];
    return;
  }
  for (const n of graph.node) n.input = n.input.map((i) => (i === outName ? res.skip : i));
}

async function measureLoss(model: ModelProto, set: EvalSet, reference: Outputs): Promise<number> {
  const session = await openSession(await encodeModel(model), 'cpu', {}, 'the student model');
  try {
    const outs = await runAll(session, set);
    const f = compareOutputs(reference, outs, set);
    if (f.loss !== undefined) return f.loss;
    return 1 - f.cosineSimilarity;
  } finally {
    await session.release();
  }
}

async function cloneModel(model: ModelProto): Promise<ModelProto> {
  return decodeModel(await encodeModel(model), 'the model copy');
}

async function distill(model: ModelProto, p: Params, calib: EvalSet, job: Job, steps: string[]): Promise<void> {
  const teacher = await cloneModel(model);
  const teacherCalib = await runAllOn(teacher, calib);
  const lossName = calib.targets ? 'next-byte cross-entropy' : '1 − output cosine similarity';
  const baseLoss = await measureLoss(model, calib, teacherCalib);
  // 1. Residual branches ranked by measured influence.
  const residuals = findResiduals(model);
  const keepBranches = p.studentModelConfig.numLayers ?? Math.max(0, residuals.length - 1);
  if (residuals.length > 0 && keepBranches < residuals.length) {
    const influence: { res: Residual; loss: number }[] = [];
    for (let i = 0; i < residuals.length; i++) {
      job.checkCancelled();
      job.progress(`Measuring the influence of residual branch ${i + 1}/${residuals.length}`, 15 + (25 * i) / residuals.length);
      const trial = await cloneModel(model);
      const trialRes = findResiduals(trial)[i];
      skipResidual(trial, trialRes);
      influence.push({ res: residuals[i], loss: await measureLoss(trial, calib, teacherCalib) });
    }
    influence.sort((a, b) => a.loss - b.loss);
    const drop = influence.slice(0, residuals.length - keepBranches);
    for (const d of drop) {
      skipResidual(model, d.res);
      steps.push(`Removed the residual branch feeding ${d.res.add.name || d.res.add.output[0]} (skipping it alone: ${lossName} ${baseLoss.toFixed(4)} → ${d.loss.toFixed(4)}).`);
    }
    steps.push(`Kept ${keepBranches} of ${residuals.length} residual branches; influence = ${lossName} on the training data with that branch skipped.`);
    removeDeadCode(model);
  } else if (residuals.length === 0) {
    steps.push('No residual branch (y = x + f(x)) with a linear layer was found, so no layer could be removed.');
  }
  // 2. Narrower MLP layers.
  const ratio = p.studentModelConfig.intermediateRatio;
  if (ratio !== undefined && ratio < 1) {
    const pairs = findMlpPairs(model, 1);
    const acts = await captureActivations(model, pairs.map((x) => x.fc2.node.input[0]), calib, { token: job.token });
    for (const pair of pairs) {
      const act = acts.get(pair.fc2.node.input[0]);
      const w1 = tensorToFloat32(pair.fc1.weight.tensor);
      const w2 = tensorToFloat32(pair.fc2.weight.tensor);
      const score = new Float64Array(pair.hidden);
      for (let j = 0; j < pair.hidden; j++) {
        let a2 = 0;
        if (act) for (let r = 0; r < act.rows; r++) a2 += act.data[r * act.width + j] ** 2;
        let o2 = 0;
        for (let c = 0; c < pair.fc2.n; c++) o2 += w2[j * pair.fc2.n + c] ** 2;
        score[j] = Math.sqrt(a2 * o2);
      }
      const keepCount = Math.max(1, Math.round(pair.hidden * ratio));
      const keep = Array.from({ length: pair.hidden }, (_, j) => j).sort((a, b) => score[b] - score[a]).slice(0, keepCount).sort((a, b) => a - b);
      const before = pair.hidden;
      await narrow(pair, keep, w1, w2);
      steps.push(`Narrowed the MLP ${pair.fc1.weight.name} → ${pair.fc2.weight.name} from ${before} to ${keepCount} hidden units (scored by ‖activation‖·‖outgoing weights‖).`);
    }
  }
  // 3. Fit to the teacher by least squares.
  const linears = findLinears(model, 1).filter((l) => l.depth === 0);
  const teacherLinearOut = new Map(findLinears(teacher, 1).filter((l) => l.depth === 0).map((l) => [l.node.output[0], l.n]));
  const outputs = new Set(model.graph!.output.map((o) => o.name));
  const made = producers(model.graph!);
  const isLast = (l: LinearRef) => {
    // The output layer: its MatMul output reaches a graph output through at most one Add.
    const out = l.node.output[0];
    if (outputs.has(out)) return true;
    return model.graph!.node.some((n) => n.input.includes(out) && n.output.some((o) => outputs.has(o)) && made.get(out) === l.node);
  };
  const targets = (p.method === 'knowledge_distillation' ? linears.filter(isLast) : linears).filter((l) => teacherLinearOut.get(l.node.output[0]) === l.n);
  if (targets.length === 0) throw new EngineError('unsupported', 'No linear layer of the student matches one of the teacher to fit.', 'Use method low_rank, or a model whose output comes from a MatMul.');
  const before = await measureLoss(model, calib, teacherCalib);
  for (let epoch = 0; epoch < p.epochs; epoch++) {
    for (let i = 0; i < targets.length; i++) {
      job.checkCancelled();
      const lin = targets[i];
      job.progress(`Fitting ${lin.weight.name} to the teacher (epoch ${epoch + 1})`, 45 + (35 * (epoch * targets.length + i)) / (p.epochs * targets.length));
      const xs = (await captureActivations(model, [lin.node.input[0]], calib, { token: job.token })).get(lin.node.input[0]);
      const yt = (await captureActivations(teacher, [lin.node.output[0]], calib, { token: job.token })).get(lin.node.output[0]);
      if (!xs || !yt || xs.rows !== yt.rows || yt.width !== lin.n) continue;
      const w = tensorToFloat32(lin.weight.tensor);
      await setWeight(lin, leastSquares(xs, yt, w, lin.k, lin.n));
    }
  }
  const after = await measureLoss(model, calib, teacherCalib);
  steps.push(`${p.method === 'knowledge_distillation' ? 'Fitted the output layer to the teacher\'s logits (soft targets)' : `Fitted ${targets.length} linear layer(s), in graph order, to the teacher's outputs of the same layers`} by ridge least squares on the student's own inputs, ${p.epochs} pass(es): ${lossName} on the training data ${before.toFixed(4)} → ${after.toFixed(4)} (teacher ${baseLoss.toFixed(4)}).`);
}

async function runAllOn(model: ModelProto, set: EvalSet): Promise<Outputs> {
  const session = await openSession(await encodeModel(model), 'cpu', {}, 'the teacher model');
  try {
    return await runAll(session, set);
  } finally {
    await session.release();
  }
}

/** argmin_W ‖X W − Y‖² + λ‖W − W₀‖², λ = 1% of the mean diagonal of XᵀX. */
function leastSquares(x: { rows: number; width: number; data: Float32Array }, y: { rows: number; width: number; data: Float32Array }, w0: Float32Array, k: number, n: number): Float32Array {
  const h = gram(x.data, x.rows, k);
  let mean = 0;
  for (let i = 0; i < k; i++) mean += h[i * k + i];
  const ridge = (0.01 * mean) / k + 1e-8;
  const rhs = new Float64Array(k * n);
  for (let r = 0; r < x.rows; r++) {
    for (let i = 0; i < k; i++) {
      const xv = x.data[r * k + i];
      if (xv === 0) continue;
      for (let c = 0; c < n; c++) rhs[i * n + c] += xv * y.data[r * n + c];
    }
  }
  for (let i = 0; i < k; i++) {
    h[i * k + i] += ridge;
    for (let c = 0; c < n; c++) rhs[i * n + c] += ridge * w0[i * n + c];
  }
  return Float32Array.from(choleskySolve(cholesky(h, k), k, rhs, n));
}
