/**
 * The seed's `ModelQuantizer`: rewrites the linear layers (MatMul with a constant weight,
 * and Gemm rewritten to MatMul) of an ONNX model into operators onnxruntime runs, then
 * measures the result against the original on the same device.
 *
 * | request                 | graph                                              |
 * | ----------------------- | -------------------------------------------------- |
 * | dynamic, 8 bits         | DynamicQuantizeLinear + MatMulInteger (7-bit weights) |
 * | int, 8 bits, CPU        | DequantizeLinear (int8 per column) + MatMul        |
 * | int, 8 bits, GPU        | MatMulNBits 8-bit                                  |
 * | int, 4 / 2 bits         | MatMulNBits (com.microsoft), block-wise            |
 * | int, 3 bits             | MatMulNBits 4-bit containers holding 8 levels      |
 * | float, 16 bits          | fp16 / bf16 initializers + Cast to fp32            |
 */
import { EngineError } from '../../protocol/errors';
import { ModelQuantizeParamsSchema, type ModelQuantizeParams, type QuantizedModel } from '../../protocol/model';
import { buildInputs, captureActivations, hessianOf } from './evaluate';
import { assertFloatModel, ensureOpset, findLinears, forEachGraphInit, gemmToMatMul, makeAttribute, makeNode, NameScope, removeUnusedInitializers, type LinearRef } from './graph';
import { finish, Job, loadSource, mb, outputPath, parseParams, referenceFor, round, type JobContext } from './job';
import { DataType, elementCount, float16Raw, float32Raw, makeTensor, tensorDims, tensorToFloat32, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx';
import { dequantize, outputError, packLevels, packZeros, quantizeGptq, quantizeHqq, quantizeRtn, relativeError, type BlockQuant } from './quantMath';

/** Largest K for GPTQ's K×K inverse in plain TypeScript. */
const GPTQ_MAX_K = 4096;
/** 7-bit weights for MatMulInteger: AVX2's u8×s8 pair sums saturate int16 with full-range weights. */
const DYNAMIC_WEIGHT_MAX = 63;

export class ModelQuantizer {
  async quantize(raw: ModelQuantizeParams, ctx: JobContext = {}): Promise<QuantizedModel> {
    const p = parseParams(ModelQuantizeParamsSchema, raw, 'model/quantize');
    const job = new Job(ctx);
    checkCombination(p.bits, p.quantizationType, p.method);
    const source = await loadSource(job, p.modelPath);
    assertFloatModel(source.model, p.modelPath);
    const reference = await referenceFor(job, p.modelPath, p.device, p.calibrationData, p.batchSize);
    const ep = reference.executionProvider;
    const model = source.model;
    const names = new NameScope(model);
    let format: string;
    let storageBits = p.bits;
    let quantized = 0;
    let skipped = 0;
    const errors: number[] = [];
    const rtnErrors: number[] = [];
    const outputErrors: { method: number; rtn: number }[] = [];
    const suffix = p.quantizationType === 'float' ? p.floatFormat : `${p.quantizationType === 'dynamic' ? 'dyn' : 'q'}${p.bits}${p.method === 'rtn' ? '' : `-${p.method}`}`;
    const out = outputPath(p.modelPath, suffix, p.outPath);

    if (p.quantizationType === 'float') {
      format = `${p.floatFormat} initializers, Cast to fp32 before use (compute stays fp32)`;
      quantized = await floatWeights(model, p.floatFormat, p.minElements, names);
      job.notes.push(`Weights with at least ${p.minElements} elements are stored as ${p.floatFormat}; onnxruntime casts them back once at load, so compute and speed match fp32 and only the file shrinks. For fp16 compute use model optimize --precision fp16.`);
    } else {
      const gemms = await gemmToMatMul(model);
      if (gemms > 0) job.notes.push(`${gemms} Gemm node(s) were rewritten as MatMul + Add so their weights could be quantized.`);
      const linears = findLinears(model, p.minElements);
      const uses = useCounts(linears);
      skipped = findLinears(model, 1).length - linears.length;
      let hessians: Map<string, Float64Array> | undefined;
      let calib: Awaited<ReturnType<typeof buildInputs>> | undefined;
      if (p.method === 'gptq') {
        if (!p.calibrationData && !reference.evalSet.kind.classifier) throw new EngineError('badRequest', 'GPTQ needs calibration data for a language model.', 'Pass calibrationData (a text or JSONL file), or use method hqq, which needs none.');
        job.progress('Capturing layer inputs on the calibration data', 15);
        calib = await buildInputs(reference.session, { dataPath: p.calibrationData, batchSize: p.batchSize, batches: 4, part: 'calibration' });
        hessians = new Map();
        job.notes.push(`GPTQ calibration: ${calib.description}; sequential: each layer's inputs are captured from the model with the layers before it already quantized, so later layers compensate earlier errors.`);
      }
      const accuracyLevel = p.accuracyLevel ?? (ep === 'cpu' ? 4 : 0);
      if (p.quantizationType === 'dynamic') {
        format = 'DynamicQuantizeLinear + MatMulInteger (uint8 activations per tensor, int8 weights per column within ±63)';
      } else if (p.bits === 8 && ep === 'cpu') {
        format = 'DequantizeLinear (int8, per column) + MatMul';
      } else {
        storageBits = p.bits === 3 ? 4 : p.bits;
        format = `MatMulNBits (com.microsoft), ${storageBits}-bit, block ${p.blockSize}, accuracy_level ${accuracyLevel}${p.method === 'hqq' ? ', float zero points' : ''}`;
        if (p.bits === 3) job.notes.push('onnxruntime has no 3-bit kernel: the 8 levels of each 3-bit weight are stored in 4-bit MatMulNBits containers, so the file is the size of a 4-bit one; the accuracy is that of 3 bits.');
        if (p.bits === 8) job.notes.push(`8-bit weights use MatMulNBits on ${ep}, where it is faster than DequantizeLinear + MatMul (see docs/model-optimization.md).`);
        await ensureOpset(model, 'com.microsoft', 1);
      }
      const usesNBits = p.quantizationType === 'int' && !(p.bits === 8 && ep === 'cpu');
      for (let i = 0; i < linears.length; i++) {
        job.checkCancelled();
        const lin = linears[i];
        job.progress(`Quantizing ${lin.node.name || lin.weight.name} [${lin.k}×${lin.n}]`, 20 + (60 * i) / Math.max(1, linears.length));
        if ((uses.get(lin.weight.name) ?? 0) > 1 && lin.weight.source === 'constant') {
          skipped++;
          continue;
        }
        const halfWeights = lin.weight.tensor.dataType === DataType.FLOAT16;
        if (lin.weight.tensor.dataType !== DataType.FLOAT && !(halfWeights && usesNBits)) {
          // DynamicQuantizeLinear and fp32 DequantizeLinear scales need fp32 activations.
          skipped++;
          continue;
        }
        const w = tensorToFloat32(lin.weight.tensor);
        let nodes: NodeProto[];
        let inits: TensorProto[];
        let approx: Float32Array;
        if (p.quantizationType === 'dynamic') ({ nodes, inits, approx } = await dynamicLayer(lin, w, names));
        else if (p.bits === 8 && ep === 'cpu') ({ nodes, inits, approx } = await weightOnlyInt8(lin, w, names));
        else {
          let q: BlockQuant;
          if (hessians && calib && !hessians.has(lin.node.input[0]) && lin.k <= GPTQ_MAX_K) {
            // Layers that read the same tensor (q, k, v projections) reuse one capture.
            const acts = await captureActivations(model, [lin.node.input[0]], calib, { token: job.token });
            for (const [name, a] of acts) hessians.set(name, hessianOf(a));
          }
          const hessian = hessians?.get(lin.node.input[0]);
          if (p.method === 'hqq') q = quantizeHqq(w, lin.k, lin.n, p.bits, p.blockSize);
          else if (p.method === 'gptq' && hessian && lin.k <= GPTQ_MAX_K) q = quantizeGptq(w, lin.k, lin.n, p.bits, p.blockSize, hessian);
          else q = quantizeRtn(w, lin.k, lin.n, p.bits, p.blockSize);
          if (p.method !== 'rtn') {
            const rtn = dequantize(quantizeRtn(w, lin.k, lin.n, p.bits, p.blockSize));
            rtnErrors.push(relativeError(w, rtn));
            if (hessian) outputErrors.push({ method: outputError(w, dequantize(q), hessian, lin.k, lin.n), rtn: outputError(w, rtn, hessian, lin.k, lin.n) });
          }
          ({ nodes, inits } = await nbitsLayer(lin, q, storageBits as 2 | 4 | 8, accuracyLevel, names, halfWeights ? 'fp16' : 'fp32'));
          approx = dequantize(q);
        }
        errors.push(relativeError(w, approx));
        replaceNode(lin, nodes, inits);
        quantized++;
      }
      removeUnusedInitializers(model);
      if (skipped > 0) job.notes.push(`${skipped} linear layer(s) kept their weights (fewer than ${p.minElements} elements, a Constant weight shared between nodes, or fp16 weights, which only the MatMulNBits formats take).`);
      job.notes.push('Embedding (Gather) and normalization weights stay fp32; only MatMul weights are quantized.');
    }
    if (quantized === 0) throw new EngineError('unsupported', `${p.modelPath} has no layer this quantization applies to (MatMul/Gemm with a constant weight of at least ${p.minElements} elements).`, 'Lower minElements, or check the model with `pepperpy-opt model inspect`.');
    const base = await finish(job, source, reference, model, out);
    const { newSize, ...shared } = base;
    const weightError = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;
    if (rtnErrors.length > 0) {
      const rtn = rtnErrors.reduce((a, b) => a + b, 0) / rtnErrors.length;
      shared.notes.push(`Weight error ${p.method} ${weightError.toFixed(4)} vs round-to-nearest ${rtn.toFixed(4)} on the same layers (mean ‖W−Ŵ‖/‖W‖).`);
      if (outputErrors.length > 0) {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        shared.notes.push(`Layer output error on the calibration inputs (mean ‖X(W−Ŵ)‖²/‖XW‖², what GPTQ minimizes): ${p.method} ${mean(outputErrors.map((e) => e.method)).toExponential(3)} vs round-to-nearest ${mean(outputErrors.map((e) => e.rtn)).toExponential(3)}.`);
      }
    }
    return {
      ...shared,
      quantizedSize: newSize,
      quantizedSizeMb: mb(newSize),
      bits: p.bits,
      storageBits,
      quantizationType: p.quantizationType,
      method: p.method,
      format,
      layersQuantized: quantized,
      layersSkipped: skipped,
      weightError: round(weightError, 6),
    };
  }
}

function checkCombination(bits: number, type: string, method: string): void {
  if (type === 'float' && bits !== 16) throw new EngineError('unsupported', `quantizationType float stores fp16 or bf16 weights, so bits must be 16 (got ${bits}).`, 'Use bits 16 with floatFormat fp16|bf16, or quantizationType int for 8/4/3/2 bits.');
  if (type !== 'float' && bits === 16) throw new EngineError('badRequest', '16 bits is only for quantizationType float.', 'Use bits 8, 4, 3 or 2 with int or dynamic.');
  if (type === 'dynamic' && bits !== 8) throw new EngineError('unsupported', `Dynamic quantization is 8-bit only in onnxruntime (got ${bits}).`, 'Use quantizationType int for 4/3/2 bits (MatMulNBits).');
  if (method !== 'rtn' && (type !== 'int' || bits === 8)) throw new EngineError('unsupported', `Method ${method} applies to 4, 3 and 2-bit int quantization.`, 'Use method rtn for 8-bit and float quantization.');
}

function useCounts(linears: LinearRef[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of linears) m.set(l.weight.name, (m.get(l.weight.name) ?? 0) + 1);
  return m;
}

/** Replaces a MatMul node in its graph by `nodes` (same position, so order stays topological). */
function replaceNode(lin: LinearRef, nodes: NodeProto[], inits: TensorProto[]): void {
  const index = lin.graph.node.indexOf(lin.node);
  lin.graph.node.splice(index, 1, ...nodes);
  lin.graph.initializer.push(...inits);
}

/** MatMulNBits' scales (and float zero points) have the activations' type: fp32, or fp16 for fp16 models. */
async function nbitsLayer(lin: LinearRef, q: BlockQuant, containerBits: 2 | 4 | 8, accuracyLevel: number, names: NameScope, scaleType: 'fp32' | 'fp16'): Promise<{ nodes: NodeProto[]; inits: TensorProto[] }> {
  const floats = (values: Float32Array) => (scaleType === 'fp16' ? float16Raw(values, 'fp16') : float32Raw(values));
  const floatType = scaleType === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
  const base = lin.weight.name;
  const blob = (q.blockSize * containerBits) / 8;
  const b = await makeTensor(names.next(`${base}_Q${containerBits}`), DataType.UINT8, [q.n, q.nBlocks, blob], packLevels(q, containerBits));
  const scales = await makeTensor(names.next(`${base}_scales`), floatType, [q.n * q.nBlocks], floats(q.scales));
  const zp = q.floatZeros
    ? await makeTensor(names.next(`${base}_zero_points`), floatType, [q.n * q.nBlocks], floats(q.zeros))
    : await makeTensor(names.next(`${base}_zero_points`), DataType.UINT8, [q.n * Math.ceil((q.nBlocks * containerBits) / 8)], packZeros(q, containerBits));
  const attrs = await Promise.all([
    makeAttribute('K', q.k),
    makeAttribute('N', q.n),
    makeAttribute('bits', containerBits),
    makeAttribute('block_size', q.blockSize),
    makeAttribute('accuracy_level', accuracyLevel),
  ]);
  const node = await makeNode('MatMulNBits', [lin.node.input[0], b.name, scales.name, zp.name], [...lin.node.output], names.next(`${lin.node.name || base}_MatMulNBits`), attrs, 'com.microsoft');
  return { nodes: [node], inits: [b, scales, zp] };
}

function symmetricPerColumn(w: Float32Array, k: number, n: number, qmax: number): { q: Int8Array; scales: Float32Array; approx: Float32Array } {
  const scales = new Float32Array(n);
  for (let c = 0; c < n; c++) {
    let m = 0;
    for (let r = 0; r < k; r++) m = Math.max(m, Math.abs(w[r * n + c]));
    scales[c] = m > 0 ? m / qmax : 1;
  }
  const q = new Int8Array(k * n);
  const approx = new Float32Array(k * n);
  for (let i = 0; i < k * n; i++) {
    const c = i % n;
    q[i] = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / scales[c])));
    approx[i] = q[i] * scales[c];
  }
  return { q, scales, approx };
}

async function weightOnlyInt8(lin: LinearRef, w: Float32Array, names: NameScope): Promise<{ nodes: NodeProto[]; inits: TensorProto[]; approx: Float32Array }> {
  const { q, scales, approx } = symmetricPerColumn(w, lin.k, lin.n, 127);
  const base = lin.weight.name;
  const wq = await makeTensor(names.next(`${base}_int8`), DataType.INT8, [lin.k, lin.n], new Uint8Array(q.buffer));
  const sc = await makeTensor(names.next(`${base}_scale`), DataType.FLOAT, [lin.n], float32Raw(scales));
  const zp = await makeTensor(names.next(`${base}_zero_point`), DataType.INT8, [lin.n], new Uint8Array(lin.n));
  const deq = names.next(`${base}_dequantized`);
  const nodes = [
    await makeNode('DequantizeLinear', [wq.name, sc.name, zp.name], [deq], names.next(`${base}_DequantizeLinear`), [await makeAttribute('axis', 1)]),
    await makeNode('MatMul', [lin.node.input[0], deq], [...lin.node.output], names.next(`${lin.node.name || base}_MatMul`)),
  ];
  return { nodes, inits: [wq, sc, zp], approx };
}

async function dynamicLayer(lin: LinearRef, w: Float32Array, names: NameScope): Promise<{ nodes: NodeProto[]; inits: TensorProto[]; approx: Float32Array }> {
  const { q, scales, approx } = symmetricPerColumn(w, lin.k, lin.n, DYNAMIC_WEIGHT_MAX);
  const base = lin.weight.name;
  const prefix = lin.node.name || base;
  const wq = await makeTensor(names.next(`${base}_int8`), DataType.INT8, [lin.k, lin.n], new Uint8Array(q.buffer));
  const ws = await makeTensor(names.next(`${base}_scale`), DataType.FLOAT, [lin.n], float32Raw(scales));
  const x = lin.node.input[0];
  const [xq, xs, xz, acc, accF, scale] = ['x_quantized', 'x_scale', 'x_zero_point', 'int32', 'float', 'scale'].map((s) => names.next(`${prefix}_${s}`));
  const nodes = [
    await makeNode('DynamicQuantizeLinear', [x], [xq, xs, xz], names.next(`${prefix}_DynamicQuantizeLinear`)),
    await makeNode('MatMulInteger', [xq, wq.name, xz], [acc], names.next(`${prefix}_MatMulInteger`)),
    await makeNode('Cast', [acc], [accF], names.next(`${prefix}_Cast`), [await makeAttribute('to', DataType.FLOAT)]),
    await makeNode('Mul', [xs, ws.name], [scale], names.next(`${prefix}_ScaleMul`)),
    await makeNode('Mul', [accF, scale], [...lin.node.output], names.next(`${prefix}_Mul`)),
  ];
  return { nodes, inits: [wq, ws], approx };
}

/** Stores large float initializers as fp16/bf16 with a Cast back to fp32 at the top of their graph. */
async function floatWeights(model: ModelProto, format: 'fp16' | 'bf16', minElements: number, names: NameScope): Promise<number> {
  let converted = 0;
  const work: { graph: GraphProto; tensor: TensorProto }[] = [];
  forEachGraphInit(model, (graph, tensor) => {
    if (tensor.dataType === DataType.FLOAT && elementCount(tensorDims(tensor)) >= minElements) work.push({ graph, tensor });
  });
  for (const { graph, tensor } of work) {
    const values = tensorToFloat32(tensor);
    const half = await makeTensor(names.next(`${tensor.name}_${format}`), format === 'fp16' ? DataType.FLOAT16 : DataType.BFLOAT16, tensorDims(tensor), float16Raw(values, format));
    const cast = await makeNode('Cast', [half.name], [tensor.name], names.next(`${tensor.name}_Cast`), [await makeAttribute('to', DataType.FLOAT)]);
    graph.initializer.splice(graph.initializer.indexOf(tensor), 1, half);
    graph.node.unshift(cast);
    // The fp32 graph input that shadowed the initializer (old exporters) must go.
    graph.input = graph.input.filter((i) => i.name !== tensor.name);
    converted++;
  }
  return converted;
}
