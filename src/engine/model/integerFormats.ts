/**
 * Integer-compute formats: rewrites that make onnxruntime run the quantized layers with
 * integer kernels instead of dequantizing the weights back to fp32 (which is smaller but
 * not faster, see weightFormats.ts).
 *
 * | format  | MatMul / Gemm                                          | Conv                                                  |
 * | ------- | ------------------------------------------------------ | ----------------------------------------------------- |
 * | dynamic | com.microsoft DynamicQuantizeMatMul (int8 per column)  | DynamicQuantizeLinear + ConvInteger, rescale, + bias  |
 * | qdq     | Q/DQ on the activation, DQ on the weight, Q/DQ after    | same, int32 bias behind a DQ, so onnxruntime fuses it |
 *
 * `dynamic` quantizes activations per tensor at run time (uint8, DynamicQuantizeLinear) and
 * weights per output channel to int8 within ±63: x86 AVX2's u8×s8 kernels add pairs of
 * products in int16 (vpmaddubsw), which saturates with full-range weights (255·127·2 >
 * 32767); 7-bit weights cannot overflow. The scale per channel is applied after the
 * integer op. DynamicQuantizeMatMul is a contrib op with no ai.onnx opset requirement, so
 * MatMul/Gemm work at any opset; Conv needs DynamicQuantizeLinear (ai.onnx 11) and
 * ConvInteger (10), so below opset 11 Conv layers are left fp32 with a reason.
 *
 * `qdq` is static quantization: activation scales and zero points come from the minimum
 * and maximum of each activation on calibration inputs; weights are int8 per channel with
 * zero point 0, within ±63 as well (onnxruntime's fused QLinearConv / QLinearMatMul use the
 * same u8×s8 kernels: with ±127 weights an AVX2 CPU's QLinearConv was off by 0.455 where the
 * output step was 0.03; the `reduce_range` of onnxruntime's own quantizer). The QuantizeLinear → DequantizeLinear pairs follow onnxruntime's QDQ
 * node-unit rules (every input of the node behind a DQ, bias int32 with scale x·w, output
 * behind a Q) so that its optimizer replaces DQ → Conv → Q by QLinearConv and DQ → MatMul →
 * Q by QLinearMatMul. Per-axis DequantizeLinear is ai.onnx 13; older models get the
 * com.microsoft QuantizeLinear/DequantizeLinear (domain version 1), which run at any
 * ai.onnx opset. Only layers of the main graph are rewritten (activations inside If/Loop
 * bodies cannot be calibrated from outside).
 */
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import type { CancellationLike } from '../context';
import { MODEL_JOB } from './evaluate';
import { attrFloat, attrInt, ensureOpset, isFloatType, lookupConstant, makeAttribute, makeNode, NameScope, opsetVersion, removeUnusedInitializers, scopeConstants, type WeightRef } from './graph';
import { DataType, elementCount, encodeModel, float32Raw, forEachGraph, makeTensor, onnxSchema, subgraphsOf, tensorDims, tensorToFloat32, type AttributeProto, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx';
import type { QuantTarget } from './targets';
import { openSession, type FeedTensor } from './runtime';
import type { Device } from '../../protocol/model';

/** The fields of targets.ts `QuantTarget` this module reads (a QuantTarget is one). */
export type IntegerTarget = Pick<QuantTarget, 'op' | 'node' | 'graph' | 'inputIndex' | 'weight' | 'dims' | 'channelAxis' | 'sharedWith' | 'chain'>;

export interface IntegerFormatResult<T extends IntegerTarget = IntegerTarget> {
  quantized: number;
  skipped: { op: string; reason: string }[];
  layersByOp: Record<string, number>;
  /** Mean relative weight error ‖W−Ŵ‖/‖W‖ over the quantized layers. */
  weightError: number;
  notes: string[];
  /** Targets this format left as they were (to give another format, e.g. weight-only). */
  remaining: T[];
}

/** 7-bit weights for u8×s8 integer kernels (see the header). */
export const DYNAMIC_WEIGHT_MAX = 63;
const MS = 'com.microsoft';

export interface QdqOptions {
  /** Largest weight level; 63 (default) avoids AVX2 int16 saturation, 127 uses the full int8 range (VNNI CPUs, GPUs). */
  weightMax?: number;
}

export interface DynamicOptions {
  /** Largest weight level; 63 (default) avoids AVX2 int16 saturation, 127 uses the full int8 range. */
  weightMax?: number;
  /** MatMul pattern: the contrib DynamicQuantizeMatMul (default) or DynamicQuantizeLinear + MatMulInteger + Cast + Mul (ai.onnx 11). */
  matmul?: 'contrib' | 'onnx';
}

/** Symmetric per-channel quantization of a tensor along `axis`: q = clamp(round(w/s), ±qmax), s = max|w|/qmax. */
export function quantizeSymmetric(values: Float32Array, dims: readonly number[], axis: number, qmax: number): { q: Int8Array; scales: Float32Array; approx: Float32Array } {
  const channels = dims[axis];
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i];
  const scales = new Float32Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    const a = Math.abs(values[i]);
    if (a > scales[c]) scales[c] = a;
  }
  for (let c = 0; c < channels; c++) scales[c] = scales[c] > 0 ? scales[c] / qmax : 1;
  const q = new Int8Array(values.length);
  const approx = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    q[i] = Math.max(-qmax, Math.min(qmax, Math.round(values[i] / scales[c])));
    approx[i] = q[i] * scales[c];
  }
  return { q, scales, approx };
}

/** Asymmetric uint8 parameters for a range (always containing 0, as ONNX requires for exact zeros). */
export function uint8Params(min: number, max: number): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  if (!(hi - lo > 0) || !Number.isFinite(hi - lo)) return { scale: 1, zeroPoint: 0 };
  const scale = (hi - lo) / 255;
  const zeroPoint = Math.max(0, Math.min(255, Math.round(-lo / scale)));
  return { scale: Math.fround(scale), zeroPoint };
}

function relErr(w: Float32Array, approx: Float32Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    num += (w[i] - approx[i]) ** 2;
    den += w[i] ** 2;
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

function int8Raw(q: Int8Array): Uint8Array {
  return new Uint8Array(q.buffer.slice(q.byteOffset, q.byteOffset + q.byteLength));
}

function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c];
  return t;
}

/** Values of a constant from this graph or an outer one, by name (for biases). */
function constantIn(scopes: GraphProto[], name: string): TensorProto | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const g = scopes[i];
    const init = g.initializer.find((t) => t.name === name);
    if (init) return init;
    for (const n of g.node) if (n.opType === 'Constant' && n.output[0] === name) return n.attribute.find((a) => a.name === 'value')?.t;
  }
  return undefined;
}

/** The graphs from the main one down to `graph` (outer scopes first). */
function scopeChain(model: ModelProto, graph: GraphProto): GraphProto[] {
  const path: GraphProto[] = [];
  const walk = (g: GraphProto, trail: GraphProto[]): boolean => {
    const here = [...trail, g];
    if (g === graph) {
      path.push(...here);
      return true;
    }
    for (const n of g.node) {for (const a of n.attribute) {
      if (a.g && walk(a.g, here)) return true;
      for (const sg of a.graphs) if (walk(sg, here)) return true;
    }}
    return false;
  };
  walk(model.graph!, []);
  return path;
}

/**
 * MatMul (2-D weight as input 1), Gemm (constant B) and Conv (constant W) layers with a float
 * weight of at least `minElements`, in every graph, weights from initializers or Constant
 * nodes of the same or an outer scope. A stand-in for targets.ts when only these ops matter
 * (and what the unit tests use on their small graphs).
 */
export function findIntegerTargets(model: ModelProto, minElements = 1): IntegerTarget[] {
  const out: IntegerTarget[] = [];
  const scopes: Map<string, WeightRef>[] = [];
  const uses = new Map<string, number>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) uses.set(i, (uses.get(i) ?? 0) + 1);
  });
  const visit = (graph: GraphProto, depth: number): void => {
    scopes.push(scopeConstants(graph, depth));
    for (const node of graph.node) {
      if (node.domain === '' || node.domain === 'ai.onnx') {
        const spec: Record<string, number[]> = { MatMul: [1], Gemm: [1], Conv: [1], ConvTranspose: [1], LSTM: [1, 2] };
        for (const inputIndex of spec[node.opType] ?? []) {
          if (node.input.length <= inputIndex) continue;
          const weight = lookupConstant(scopes, node.input[inputIndex]);
          if (!weight || !isFloatType(weight.tensor.dataType)) continue;
          const dims = tensorDims(weight.tensor);
          const ok = node.opType === 'MatMul' || node.opType === 'Gemm' ? dims.length === 2 : dims.length >= 3;
          if (!ok || elementCount(dims) < minElements) continue;
          const channelAxis = node.opType === 'MatMul' ? 1 : node.opType === 'Gemm' ? (attrInt(node, 'transB', 0) === 1 ? 0 : 1) : node.opType === 'Conv' ? 0 : 1;
          out.push({ op: node.opType, node, graph, inputIndex, weight, dims, channelAxis, sharedWith: (uses.get(weight.name) ?? 1) - 1 });
        }
      }
      for (const g of subgraphsOf(node)) visit(g, depth + 1);
    }
    scopes.pop();
  };
  visit(model.graph!, 0);
  return out;
}

/** Why a format cannot run a given op in this model (ai.onnx opset too old), or undefined when it can. */
export function integerRefusal(model: ModelProto, format: 'dynamic' | 'qdq', op: string): string | undefined {
  const opset = opsetVersion(model);
  if (format === 'dynamic') {
    if (op === 'MatMul' || op === 'Gemm' || op === 'LSTM') return undefined;
    if (op === 'Conv') return opset >= 11 ? undefined : `Conv needs DynamicQuantizeLinear (ai.onnx 11) and ConvInteger (ai.onnx 10); the model imports ai.onnx ${opset} and raising it can break its older operators (Slice), so its Conv layers stay fp32 in this format`;
    return `${op} has no dynamic integer kernel in onnxruntime`;
  }
  if (opset < 10 && op !== 'Conv') return `below ai.onnx 10, onnxruntime fuses QuantizeLinear/DequantizeLinear around ${op} into ai.onnx QLinearMatMul, which the model's ai.onnx ${opset} does not have (the fused model does not load); the dynamic format covers ${op} at any opset`;
  if (op === 'MatMul' || op === 'Gemm' || op === 'Conv') return undefined;
  return `${op} has no QDQ integer kernel in onnxruntime`;
}

/** Removes Constant nodes (any graph) whose output nothing reads any more, then unused initializers. */
export function removeUnusedConstants(model: ModelProto): void {
  const used = new Set<string>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) used.add(i);
    for (const o of g.output) used.add(o.name);
  });
  forEachGraph(model.graph!, (g) => {
    g.node = g.node.filter((n) => n.opType !== 'Constant' || n.output.some((o) => used.has(o)));
  });
  removeUnusedInitializers(model);
}

function copyAttrs(node: NodeProto, names: string[]): AttributeProto[] {
  return node.attribute.filter((a) => names.includes(a.name));
}

interface Prepared {
  /** Weight as [K, N] for MatMul/Gemm (N = output channels); as stored for Conv. */
  values: Float32Array;
  dims: number[];
  axis: number;
  alpha: number;
}

/** Weight values oriented the way the integer op reads them, or a reason to skip. */
function prepare(t: IntegerTarget): Prepared | string {
  const w = tensorToFloat32(t.weight.tensor);
  const dims = tensorDims(t.weight.tensor);
  if (t.chain && t.chain.length > 0) return 'the weight reaches the layer through a chain of Slice/Concat/… nodes';
  if (t.weight.tensor.dataType !== DataType.FLOAT) return 'the weight is not fp32 (the integer kernels take fp32 activations)';
  if (t.op === 'MatMul') {
    if (t.inputIndex !== 1 || dims.length !== 2) return 'not a 2-D right-hand weight';
    return { values: w, dims, axis: 1, alpha: 1 };
  }
  if (t.op === 'Gemm') {
    if (t.inputIndex !== 1 || dims.length !== 2) return 'not a constant B';
    if (attrInt(t.node, 'transA', 0) !== 0) return 'transA = 1';
    const alpha = attrFloat(t.node, 'alpha', 1);
    const values = attrInt(t.node, 'transB', 0) === 1 ? transpose2d(w, dims[0], dims[1]) : w;
    const kn = attrInt(t.node, 'transB', 0) === 1 ? [dims[1], dims[0]] : dims;
    if (alpha !== 1) for (let i = 0; i < values.length; i++) values[i] *= alpha;
    return { values, dims: kn, axis: 1, alpha };
  }
  if (t.op === 'Conv') {
    if (t.inputIndex !== 1 || dims.length < 3) return 'not a constant Conv weight';
    return { values: w, dims, axis: 0, alpha: 1 };
  }
  return `${t.op} has no integer-compute rewrite here`;
}

/** Gemm's C as a 1-D bias of N values times beta, if it is a constant that broadcasts per column. */
function gemmBias(model: ModelProto, t: IntegerTarget, n: number): { values?: Float32Array; tensorName?: string; beta: number } | string {
  const cName = t.node.input[2];
  const beta = attrFloat(t.node, 'beta', 1);
  if (!cName) return { beta };
  const c = constantIn(scopeChain(model, t.graph), cName);
  if (c && isFloatType(c.dataType) && elementCount(tensorDims(c)) === n) {
    const v = tensorToFloat32(c);
    if (beta !== 1) for (let i = 0; i < v.length; i++) v[i] *= beta;
    return { values: v, beta };
  }
  if (beta !== 1) return 'Gemm with a non-constant C and beta ≠ 1';
  return { tensorName: cName, beta };
}

/** Shape [C, 1, …] that broadcasts a per-channel vector over the spatial dims of an N×C×… tensor. */
function channelShape(channels: number, spatial: number): number[] {
  return [channels, ...Array.from({ length: spatial }, () => 1)];
}

/**
 * Rewrites the targets into dynamic integer compute (see the header). Shared weights are
 * quantized once; the replaced fp32 weights (initializers and Constant nodes) are removed.
 */
export async function quantizeDynamic<T extends IntegerTarget>(model: ModelProto, targets: readonly T[], options: DynamicOptions = {}): Promise<IntegerFormatResult<T>> {
  const qmax = options.weightMax ?? DYNAMIC_WEIGHT_MAX;
  const matmulPattern = options.matmul ?? 'contrib';
  const names = new NameScope(model);
  const result: IntegerFormatResult<T> = { quantized: 0, skipped: [], layersByOp: {}, weightError: 0, notes: [], remaining: [] };
  const errors: number[] = [];
  const cache = new Map<string, { q: string; scale: string; n: number; home: GraphProto }>();
  const dql = new Map<GraphProto, Map<string, [string, string, string]>>();
  let usesContrib = false;
  const opset = opsetVersion(model);
  // LSTM: W (input 1) and R (input 2) become one com.microsoft DynamicQuantizeLSTM.
  const lstmR = new Map<NodeProto, T>();
  for (const t of targets) if (t.op === 'LSTM' && t.inputIndex === 2) lstmR.set(t.node, t);
  for (const t of targets) {
    if (t.op === 'LSTM') {
      if (t.inputIndex !== 1) {
        if (!targets.some((w) => w.node === t.node && w.inputIndex === 1)) {
          result.skipped.push({ op: t.op, reason: 'its W is not a quantizable constant, so DynamicQuantizeLSTM cannot take the node' });
          result.remaining.push(t);
        }
        continue;
      }
      const r = lstmR.get(t.node);
      const why = lstmRefusal(t, r);
      if (why) {
        result.skipped.push({ op: t.op, reason: why });
        result.remaining.push(t, ...(r ? [r] : []));
        continue;
      }
      const e = await dynamicLstm(t, r!, qmax, names);
      errors.push(...e);
      usesContrib = true;
      result.quantized++;
      result.layersByOp.LSTM = (result.layersByOp.LSTM ?? 0) + 1;
      continue;
    }
    const refusal = integerRefusal(model, 'dynamic', t.op) ?? (t.op !== 'Conv' && matmulPattern === 'onnx' && opset < 11 ? 'DynamicQuantizeLinear needs ai.onnx 11' : undefined);
    if (refusal) {
      result.skipped.push({ op: t.op, reason: refusal });
      result.remaining.push(t);
      continue;
    }
    const prep = prepare(t);
    if (typeof prep === 'string') {
      result.skipped.push({ op: t.op, reason: prep });
      result.remaining.push(t);
      continue;
    }
    let bias: { values?: Float32Array; tensorName?: string; beta: number } = { beta: 1 };
    if (t.op === 'Gemm') {
      const b = gemmBias(model, t, prep.dims[1]);
      if (typeof b === 'string') {
        result.skipped.push({ op: t.op, reason: b });
        result.remaining.push(t);
        continue;
      }
      bias = b;
    }
    // One int8 copy per weight (and orientation); it lives where the fp32 weight lived, visible to every consumer.
    const key = `${t.weight.name}|${t.op === 'Gemm' ? `gemm${attrInt(t.node, 'transB', 0)}:${prep.alpha}` : t.op}`;
    let stored = cache.get(key);
    if (!stored) {
      const { q, scales, approx } = quantizeSymmetric(prep.values, prep.dims, prep.axis, qmax);
      errors.push(relErr(prep.values, approx));
      const channels = prep.dims[prep.axis];
      const qt = await makeTensor(names.next(`${t.weight.name}_int8`), DataType.INT8, prep.dims, int8Raw(q));
      const scaleDims = t.op === 'Conv' ? channelShape(channels, prep.dims.length - 2) : [channels];
      const st = await makeTensor(names.next(`${t.weight.name}_scale`), DataType.FLOAT, scaleDims, float32Raw(scales));
      t.weight.graph.initializer.push(qt, st);
      stored = { q: qt.name, scale: st.name, n: channels, home: t.weight.graph };
      cache.set(key, stored);
    }
    const prefix = t.node.name || t.weight.name;
    const x = t.node.input[0];
    const y = t.node.output[0];
    const nodes: NodeProto[] = [];
    const inits: TensorProto[] = [];
    // One DynamicQuantizeLinear per activation and graph, placed before its first quantized consumer.
    const dqlFor = async (): Promise<[string, string, string]> => {
      const perGraph = dql.get(t.graph) ?? new Map<string, [string, string, string]>();
      dql.set(t.graph, perGraph);
      const existing = perGraph.get(x);
      if (existing) return existing;
      const outs: [string, string, string] = [names.next(`${x}_quantized`), names.next(`${x}_scale`), names.next(`${x}_zero_point`)];
      nodes.push(await makeNode('DynamicQuantizeLinear', [x], outs, names.next(`${prefix}_DynamicQuantizeLinear`)));
      perGraph.set(x, outs);
      return outs;
    };
    if (t.op === 'MatMul' || t.op === 'Gemm') {
      if (matmulPattern === 'contrib') {
        usesContrib = true;
        let biasName = '';
        if (bias.values) {
          const bt = await makeTensor(names.next(`${prefix}_bias`), DataType.FLOAT, [bias.values.length], float32Raw(bias.values));
          inits.push(bt);
          biasName = bt.name;
        }
        const mmOut = bias.tensorName ? names.next(`${y}_matmul`) : y;
        nodes.push(await makeNode('DynamicQuantizeMatMul', biasName ? [x, stored.q, stored.scale, '', biasName] : [x, stored.q, stored.scale], [mmOut], names.next(`${prefix}_DynamicQuantizeMatMul`), [], MS));
        if (bias.tensorName) nodes.push(await makeNode('Add', [mmOut, bias.tensorName], [y], names.next(`${prefix}_AddBias`)));
      } else {
        const [xq, xs, xz] = await dqlFor();
        const acc = names.next(`${prefix}_int32`);
        const accF = names.next(`${prefix}_float`);
        const scale = names.next(`${prefix}_scale`);
        const hasBias = Boolean(bias.values || bias.tensorName);
        const mmOut = hasBias ? names.next(`${y}_matmul`) : y;
        nodes.push(
          await makeNode('MatMulInteger', [xq, stored.q, xz], [acc], names.next(`${prefix}_MatMulInteger`)),
          await makeNode('Cast', [acc], [accF], names.next(`${prefix}_Cast`), [await makeAttribute('to', DataType.FLOAT)]),
          await makeNode('Mul', [xs, stored.scale], [scale], names.next(`${prefix}_ScaleMul`)),
          await makeNode('Mul', [accF, scale], [mmOut], names.next(`${prefix}_Mul`)),
        );
        if (hasBias) {
          let biasName = bias.tensorName ?? '';
          if (bias.values) {
            const bt = await makeTensor(names.next(`${prefix}_bias`), DataType.FLOAT, [bias.values.length], float32Raw(bias.values));
            inits.push(bt);
            biasName = bt.name;
          }
          nodes.push(await makeNode('Add', [mmOut, biasName], [y], names.next(`${prefix}_AddBias`)));
        }
      }
    } else {
      // Conv: ConvInteger on uint8 activations and int8 weights (no weight zero point: symmetric).
      const [xq, xs, xz] = await dqlFor();
      const acc = names.next(`${prefix}_int32`);
      const accF = names.next(`${prefix}_float`);
      const scale = names.next(`${prefix}_scale`);
      const biasName = t.node.input[2] ?? '';
      const mulOut = biasName ? names.next(`${y}_nobias`) : y;
      const attrs = copyAttrs(t.node, ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
      nodes.push(
        await makeNode('ConvInteger', [xq, stored.q, xz], [acc], names.next(`${prefix}_ConvInteger`), attrs),
        await makeNode('Cast', [acc], [accF], names.next(`${prefix}_Cast`), [await makeAttribute('to', DataType.FLOAT)]),
        await makeNode('Mul', [xs, stored.scale], [scale], names.next(`${prefix}_ScaleMul`)),
        await makeNode('Mul', [accF, scale], [mulOut], names.next(`${prefix}_Mul`)),
      );
      if (biasName) {
        const b = constantIn(scopeChain(model, t.graph), biasName);
        let shaped = '';
        if (b && isFloatType(b.dataType)) {
          const bt = await makeTensor(names.next(`${prefix}_bias`), DataType.FLOAT, channelShape(stored.n, prep.dims.length - 2), float32Raw(tensorToFloat32(b)));
          inits.push(bt);
          shaped = bt.name;
        } else {
          const shape = await makeTensor(names.next(`${prefix}_bias_shape`), DataType.INT64, [prep.dims.length - 1], int64Bytes(channelShape(stored.n, prep.dims.length - 2)));
          inits.push(shape);
          shaped = names.next(`${prefix}_bias_reshaped`);
          nodes.push(await makeNode('Reshape', [biasName, shape.name], [shaped], names.next(`${prefix}_BiasReshape`)));
        }
        nodes.push(await makeNode('Add', [mulOut, shaped], [y], names.next(`${prefix}_AddBias`)));
      }
    }
    const index = t.graph.node.indexOf(t.node);
    if (index < 0) throw new EngineError('internal', `Layer ${prefix} is no longer in its graph.`);
    t.graph.node.splice(index, 1, ...nodes);
    t.graph.initializer.push(...inits);
    result.quantized++;
    result.layersByOp[t.op] = (result.layersByOp[t.op] ?? 0) + 1;
  }
  if (usesContrib) await ensureOpset(model, MS, 1);
  removeUnusedConstants(model);
  result.weightError = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;
  result.notes.push(`dynamic: activations quantized per tensor to uint8 at run time, weights int8 per output channel within ±${qmax}${qmax === DYNAMIC_WEIGHT_MAX ? ' (7 bits: AVX2 u8×s8 kernels saturate int16 with full-range weights)' : ''}; MatMul/Gemm as ${matmulPattern === 'contrib' ? 'com.microsoft DynamicQuantizeMatMul' : 'DynamicQuantizeLinear + MatMulInteger'}, Conv as DynamicQuantizeLinear + ConvInteger.`);
  return result;
}

function lstmRefusal(w: IntegerTarget, r: IntegerTarget | undefined): string | undefined {
  if (!r) return 'its R is not a quantizable constant, so DynamicQuantizeLSTM cannot take the node';
  if ((w.chain && w.chain.length > 0) || (r.chain && r.chain.length > 0)) return 'its weights reach it through a chain of Slice/Concat/… nodes';
  if (w.weight.tensor.dataType !== DataType.FLOAT || r.weight.tensor.dataType !== DataType.FLOAT) return 'its weights are not fp32';
  if (attrInt(w.node, 'layout', 0) !== 0) return 'layout = 1 (DynamicQuantizeLSTM is sequence-first only)';
  if (tensorDims(w.weight.tensor).length !== 3 || tensorDims(r.weight.tensor).length !== 3) return 'unexpected weight shapes';
  return undefined;
}

/** [D, 4H, K] → int8 [D, K, 4H] with scales per direction and gate row [D, 4H] (DynamicQuantizeLSTM's layout). */
function lstmWeight(values: Float32Array, dims: number[], qmax: number): { q: Int8Array; scales: Float32Array; error: number } {
  const [d, rows, k] = dims;
  const q = new Int8Array(d * k * rows);
  const scales = new Float32Array(d * rows);
  const approx = new Float32Array(values.length);
  for (let dir = 0; dir < d; dir++) {
    const t = transpose2d(values.subarray(dir * rows * k, (dir + 1) * rows * k), rows, k);
    const one = quantizeSymmetric(t, [k, rows], 1, qmax);
    q.set(one.q, dir * k * rows);
    scales.set(one.scales, dir * rows);
    approx.set(transpose2d(one.approx, k, rows), dir * rows * k);
  }
  return { q, scales, error: relErr(values, approx) };
}

async function dynamicLstm(w: IntegerTarget, r: IntegerTarget, qmax: number, names: NameScope): Promise<number[]> {
  const node = w.node;
  const parts = [w, r].map((t) => ({ t, dims: tensorDims(t.weight.tensor), ...lstmWeight(tensorToFloat32(t.weight.tensor), tensorDims(t.weight.tensor), qmax) }));
  const inits: TensorProto[] = [];
  const names4: string[] = [];
  for (const p of parts) {
    const [d, rows, k] = p.dims;
    const qt = await makeTensor(names.next(`${p.t.weight.name}_int8`), DataType.INT8, [d, k, rows], int8Raw(p.q));
    const st = await makeTensor(names.next(`${p.t.weight.name}_scale`), DataType.FLOAT, [d, rows], float32Raw(p.scales));
    const zt = await makeTensor(names.next(`${p.t.weight.name}_zero_point`), DataType.INT8, [d, rows], new Uint8Array(d * rows));
    inits.push(qt, st, zt);
    names4.push(qt.name, st.name, zt.name);
  }
  const [wq, ws, wz, rq, rs, rz] = names4;
  const pad = (i: number) => node.input[i] ?? '';
  const inputs = [node.input[0], wq, rq, pad(3), pad(4), pad(5), pad(6), pad(7), ws, wz, rs, rz];
  const attrs = copyAttrs(node, ['activation_alpha', 'activation_beta', 'activations', 'clip', 'direction', 'hidden_size', 'input_forget']);
  const replacement = await makeNode('DynamicQuantizeLSTM', inputs, [...node.output], names.next(`${node.name || 'lstm'}_DynamicQuantizeLSTM`), attrs, MS);
  const index = w.graph.node.indexOf(node);
  w.graph.node.splice(index, 1, replacement);
  w.graph.initializer.push(...inits);
  return parts.map((p) => p.error);
}

function int64Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
  return out;
}

/** Minimum and maximum of main-graph tensors over the calibration batches. */
export async function calibrateRanges(model: ModelProto, tensorNames: string[], batches: Record<string, FeedTensor>[], options: { device?: Device; token?: CancellationLike; stateLinks?: { input: string; output: string }[] } = {}): Promise<Map<string, { min: number; max: number }>> {
  const onnx = await onnxSchema();
  const graphInputs = new Set(model.graph!.input.map((i) => i.name));
  const wanted = [...new Set(tensorNames)];
  const ranges = new Map<string, { min: number; max: number }>();
  if (wanted.length === 0) return ranges;
  const links = options.stateLinks ?? [];
  const existing = new Set(model.graph!.output.map((o) => o.name));
  const extra = wanted.filter((n) => !graphInputs.has(n) && !existing.has(n));
  const copy = onnx.create(onnx.ModelProtoSchema, {
    ...model,
    graph: onnx.create(onnx.GraphProtoSchema, {
      ...model.graph!,
      output: [...model.graph!.output, ...extra.map((name) => onnx.create(onnx.ValueInfoProtoSchema, { name, type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: DataType.FLOAT }) } }) }))],
    }),
  });
  const session = await openSession(await encodeModel(copy), options.device ?? 'cpu', { graphOptimizationLevel: 'basic' }, 'the model (calibration)');
  const add = (name: string, data: ArrayLike<number>): void => {
    const r = ranges.get(name) ?? { min: Infinity, max: -Infinity };
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
    ranges.set(name, r);
  };
  try {
    // Recurrent state (consecutive chunks of a stream) is carried from run to run, as the evaluation does.
    const carried: Record<string, FeedTensor> = {};
    const fetch = [...new Set([...wanted.filter((n) => !graphInputs.has(n)), ...links.map((l) => l.output)])];
    for (const batch of batches) {
      throwIfCancelled(options.token, MODEL_JOB);
      const feed = { ...batch, ...carried };
      const outs = await session.run(feed, fetch);
      for (const l of links) if (outs[l.output]) carried[l.input] = { type: 'float32', data: outs[l.output].data, dims: outs[l.output].dims };
      for (const name of wanted) {
        if (graphInputs.has(name)) {
          const f = feed[name];
          if (f && f.data instanceof Float32Array) add(name, f.data);
        } else if (outs[name]) add(name, outs[name].data);
      }
    }
  } finally {
    await session.release();
  }
  return ranges;
}

/** The activations a QDQ rewrite of these targets needs ranges for (inputs and outputs of main-graph layers). */
export function qdqTensors(model: ModelProto, targets: readonly IntegerTarget[]): string[] {
  const out = new Set<string>();
  for (const t of targets) {
    if (t.graph !== model.graph || integerRefusal(model, 'qdq', t.op) !== undefined) continue;
    out.add(t.node.input[0]);
    out.add(t.node.output[0]);
  }
  return [...out];
}

/**
 * Static QDQ rewrite of the main-graph targets with calibrated `ranges` (calibrateRanges on
 * qdqTensors). Layers inside subgraphs, or without a range, are left as they are (skipped).
 */
export async function quantizeQdq<T extends IntegerTarget>(model: ModelProto, targets: readonly T[], ranges: Map<string, { min: number; max: number }>, options: QdqOptions = {}): Promise<IntegerFormatResult<T>> {
  const qmax = options.weightMax ?? DYNAMIC_WEIGHT_MAX;
  const names = new NameScope(model);
  const result: IntegerFormatResult<T> = { quantized: 0, skipped: [], layersByOp: {}, weightError: 0, notes: [], remaining: [] };
  const errors: number[] = [];
  const opset = opsetVersion(model);
  const domain = opset >= 13 ? '' : MS;
  const graph = model.graph!;
  const usable = (name: string) => {
    const r = ranges.get(name);
    return r !== undefined && Number.isFinite(r.min) && Number.isFinite(r.max);
  };
  // 1. Which layers can be rewritten.
  const chosen: { t: T; prep: Prepared; bias?: Float32Array }[] = [];
  for (const t of targets) {
    if (t.graph !== graph) {
      result.skipped.push({ op: t.op, reason: 'inside an If/Loop/Scan body, where activations cannot be calibrated' });
      result.remaining.push(t);
      continue;
    }
    const refusal = integerRefusal(model, 'qdq', t.op);
    const prep = refusal ?? prepare(t);
    if (typeof prep === 'string') {
      result.skipped.push({ op: t.op, reason: prep });
      result.remaining.push(t);
      continue;
    }
    if (!usable(t.node.input[0]) || !usable(t.node.output[0])) {
      result.skipped.push({ op: t.op, reason: 'no calibrated range for its input or output' });
      result.remaining.push(t);
      continue;
    }
    const biasName = t.op === 'Conv' || t.op === 'Gemm' ? t.node.input[2] : undefined;
    let bias: Float32Array | undefined;
    if (biasName) {
      const b = constantIn([graph], biasName);
      const n = prep.dims[prep.axis];
      if (!b || !isFloatType(b.dataType) || elementCount(tensorDims(b)) !== n) {
        result.skipped.push({ op: t.op, reason: 'its bias is not a constant vector' });
        result.remaining.push(t);
        continue;
      }
      const beta = t.op === 'Gemm' ? attrFloat(t.node, 'beta', 1) : 1;
      bias = tensorToFloat32(b).map((v) => v * beta);
    }
    chosen.push({ t, prep, bias });
  }
  if (chosen.length > 0 && domain === MS) await ensureOpset(model, MS, 1);
  // Outputs of rewritten layers are already DequantizeLinear outputs (step 3), so a following layer reads them as they are.
  const rewrittenOutputs = new Set(chosen.map((c) => c.t.node.output[0]));
  const before = new Map<NodeProto, NodeProto[]>();
  const after = new Map<NodeProto, NodeProto[]>();
  const push = (m: Map<NodeProto, NodeProto[]>, n: NodeProto, nodes: NodeProto[], first = false) => m.set(n, first ? [...nodes, ...(m.get(n) ?? [])] : [...(m.get(n) ?? []), ...nodes]);
  const producerOf = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) producerOf.set(o, n);
  const qdqPair = async (value: string, quantizedFrom: string, out: string): Promise<{ nodes: NodeProto[]; scale: number }> => {
    const r = ranges.get(value)!;
    const { scale, zeroPoint } = uint8Params(r.min, r.max);
    const st = await makeTensor(names.next(`${value}_scale`), DataType.FLOAT, [], float32Raw(Float32Array.of(scale)));
    const zt = await makeTensor(names.next(`${value}_zero_point`), DataType.UINT8, [], Uint8Array.of(zeroPoint));
    graph.initializer.push(st, zt);
    const q = names.next(`${value}_quantized`);
    const nodes = [
      await makeNode('QuantizeLinear', [quantizedFrom, st.name, zt.name], [q], names.next(`${value}_QuantizeLinear`), [], domain),
      await makeNode('DequantizeLinear', [q, st.name, zt.name], [out], names.next(`${value}_DequantizeLinear`), [], domain),
    ];
    return { nodes, scale };
  };
  if (opset < 10) return finishQOperator(model, chosen, ranges, names, result, errors, producerOf, before, after, push, qmax);
  // 2. Inputs: activation Q/DQ (once per tensor), weight DQ (once per weight), bias DQ.
  const inputQdq = new Map<string, { dq: string; scale: number }>();
  const weightCache = new Map<string, { dq: string; scales: Float32Array }>();
  const plans: { t: T; inputs: string[] }[] = [];
  for (const { t, prep, bias } of chosen) {
    const x = t.node.input[0];
    let xin = inputQdq.get(x);
    if (!xin) {
      if (rewrittenOutputs.has(x)) xin = { dq: x, scale: uint8Params(ranges.get(x)!.min, ranges.get(x)!.max).scale };
      else {
        const dq = names.next(`${x}_dequantized`);
        const pair = await qdqPair(x, x, dq);
        const producer = producerOf.get(x);
        if (producer) push(after, producer, pair.nodes);
        else push(before, t.node, pair.nodes);
        xin = { dq, scale: pair.scale };
      }
      inputQdq.set(x, xin);
    }
    // Gemm keeps its layout (transB) so that the fused kernel reads the weight as stored.
    const wDims = t.op === 'Gemm' ? tensorDims(t.weight.tensor) : prep.dims;
    const wValues = t.op === 'Gemm' ? tensorToFloat32(t.weight.tensor).map((v) => v * prep.alpha) : prep.values;
    const axis = t.op === 'Gemm' ? (attrInt(t.node, 'transB', 0) === 1 ? 0 : 1) : prep.axis;
    const key = `${t.weight.name}|${t.op}|${prep.alpha}|${axis}`;
    let w = weightCache.get(key);
    if (!w) {
      const { q, scales, approx } = quantizeSymmetric(wValues, wDims, axis, qmax);
      errors.push(relErr(wValues, approx));
      const qt = await makeTensor(names.next(`${t.weight.name}_int8`), DataType.INT8, wDims, int8Raw(q));
      const st = await makeTensor(names.next(`${t.weight.name}_scale`), DataType.FLOAT, [scales.length], float32Raw(scales));
      const zt = await makeTensor(names.next(`${t.weight.name}_zero_point`), DataType.INT8, [scales.length], new Uint8Array(scales.length));
      graph.initializer.push(qt, st, zt);
      const dq = names.next(`${t.weight.name}_dequantized`);
      push(before, t.node, [await makeNode('DequantizeLinear', [qt.name, st.name, zt.name], [dq], names.next(`${t.weight.name}_DequantizeLinear`), [await makeAttribute('axis', axis)], domain)]);
      w = { dq, scales };
      weightCache.set(key, w);
    }
    const inputs = [xin.dq, w.dq];
    if (bias) {
      // int32 with scale x_scale · w_scale per channel and zero point 0: the QDQ node-unit rule for a bias.
      const n = w.scales.length;
      const bs = new Float32Array(n);
      const bq = new Int32Array(n);
      for (let c = 0; c < n; c++) {
        bs[c] = Math.fround(xin.scale * w.scales[c]);
        bq[c] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(bias[c] / bs[c])));
      }
      const base = t.node.input[2];
      const bt = await makeTensor(names.next(`${base}_int32`), DataType.INT32, [n], new Uint8Array(bq.buffer));
      const bst = await makeTensor(names.next(`${base}_scale`), DataType.FLOAT, [n], float32Raw(bs));
      const bzt = await makeTensor(names.next(`${base}_zero_point`), DataType.INT32, [n], new Uint8Array(n * 4));
      graph.initializer.push(bt, bst, bzt);
      const bdq = names.next(`${base}_dequantized`);
      push(before, t.node, [await makeNode('DequantizeLinear', [bt.name, bst.name, bzt.name], [bdq], names.next(`${base}_DequantizeLinear`), [await makeAttribute('axis', 0)], domain)]);
      inputs.push(bdq);
    }
    plans.push({ t, inputs });
  }
  // 3. Outputs: the layer writes `<y>_float`; Q/DQ bring it back under the original name, first after the layer.
  for (const { t, inputs } of plans) {
    const y = t.node.output[0];
    const pre = names.next(`${y}_float`);
    t.node.input = inputs;
    if (t.op === 'Gemm') t.node.attribute = t.node.attribute.filter((a) => a.name !== 'alpha' && a.name !== 'beta');
    t.node.output = [pre, ...t.node.output.slice(1)];
    const pair = await qdqPair(y, pre, y);
    push(after, t.node, pair.nodes, true);
    result.quantized++;
    result.layersByOp[t.op] = (result.layersByOp[t.op] ?? 0) + 1;
  }
  const nodes: NodeProto[] = [];
  for (const n of graph.node) nodes.push(...(before.get(n) ?? []), n, ...(after.get(n) ?? []));
  graph.node = nodes;
  removeUnusedConstants(model);
  result.weightError = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;
  result.notes.push(`qdq: activations uint8 per tensor with ranges calibrated on the calibration inputs, weights int8 per output channel within ±${qmax}, bias int32; ${domain === MS ? `com.microsoft QuantizeLinear/DequantizeLinear (the model imports ai.onnx ${opset}, below the 13 that per-axis DequantizeLinear needs)` : 'ai.onnx QuantizeLinear/DequantizeLinear'}.`);
  return result;
}

/**
 * Below ai.onnx 10 the QDQ pattern cannot be used (onnxruntime would fuse it into ai.onnx
 * QLinearConv, which such a model cannot import), so Conv layers are written directly as
 * com.microsoft QLinearConv (NCHW, domain version 1) between com.microsoft QuantizeLinear
 * and DequantizeLinear; a layer that reads another rewritten layer's output takes its
 * uint8 tensor directly.
 */
async function finishQOperator<T extends IntegerTarget>(
  model: ModelProto,
  chosen: { t: T; prep: Prepared; bias?: Float32Array }[],
  ranges: Map<string, { min: number; max: number }>,
  names: NameScope,
  result: IntegerFormatResult<T>,
  errors: number[],
  producerOf: Map<string, NodeProto>,
  before: Map<NodeProto, NodeProto[]>,
  after: Map<NodeProto, NodeProto[]>,
  push: (m: Map<NodeProto, NodeProto[]>, n: NodeProto, nodes: NodeProto[], first?: boolean) => void,
  qmax: number,
): Promise<IntegerFormatResult<T>> {
  const graph = model.graph!;
  const quantized = new Map<string, { q: string; scale: number; scaleName: string; zpName: string }>();
  const params = async (value: string, q: string) => {
    const r = ranges.get(value)!;
    const { scale, zeroPoint } = uint8Params(r.min, r.max);
    const st = await makeTensor(names.next(`${value}_scale`), DataType.FLOAT, [], float32Raw(Float32Array.of(scale)));
    const zt = await makeTensor(names.next(`${value}_zero_point`), DataType.UINT8, [], Uint8Array.of(zeroPoint));
    graph.initializer.push(st, zt);
    return { q, scale, scaleName: st.name, zpName: zt.name };
  };
  // Outputs first, so that a following layer can read the uint8 tensor.
  for (const { t } of chosen) {
    const y = t.node.output[0];
    quantized.set(y, await params(y, names.next(`${y}_quantized`)));
  }
  const weightCache = new Map<string, { q: string; s: string; z: string; scales: Float32Array }>();
  for (const { t, prep, bias } of chosen) {
    const x = t.node.input[0];
    let xin = quantized.get(x);
    if (!xin) {
      xin = await params(x, names.next(`${x}_quantized`));
      const qn = await makeNode('QuantizeLinear', [x, xin.scaleName, xin.zpName], [xin.q], names.next(`${x}_QuantizeLinear`), [], MS);
      const producer = producerOf.get(x);
      if (producer) push(after, producer, [qn]);
      else push(before, t.node, [qn]);
      quantized.set(x, xin);
    }
    let w = weightCache.get(t.weight.name);
    if (!w) {
      const { q, scales, approx } = quantizeSymmetric(prep.values, prep.dims, 0, qmax);
      errors.push(relErr(prep.values, approx));
      const qt = await makeTensor(names.next(`${t.weight.name}_int8`), DataType.INT8, prep.dims, int8Raw(q));
      const st = await makeTensor(names.next(`${t.weight.name}_scale`), DataType.FLOAT, [scales.length], float32Raw(scales));
      const zt = await makeTensor(names.next(`${t.weight.name}_zero_point`), DataType.INT8, [scales.length], new Uint8Array(scales.length));
      graph.initializer.push(qt, st, zt);
      w = { q: qt.name, s: st.name, z: zt.name, scales };
      weightCache.set(t.weight.name, w);
    }
    const y = t.node.output[0];
    const yout = quantized.get(y)!;
    const inputs = [xin.q, xin.scaleName, xin.zpName, w.q, w.s, w.z, yout.scaleName, yout.zpName];
    if (bias) {
      const n = w.scales.length;
      const bq = new Int32Array(n);
      for (let c = 0; c < n; c++) bq[c] = Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(bias[c] / Math.fround(xin.scale * w.scales[c]))));
      const bt = await makeTensor(names.next(`${t.node.input[2]}_int32`), DataType.INT32, [n], new Uint8Array(bq.buffer));
      graph.initializer.push(bt);
      inputs.push(bt.name);
    }
    const attrs = copyAttrs(t.node, ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
    t.node.opType = 'QLinearConv';
    t.node.domain = MS;
    t.node.input = inputs;
    t.node.output = [yout.q];
    t.node.attribute = attrs;
    push(after, t.node, [await makeNode('DequantizeLinear', [yout.q, yout.scaleName, yout.zpName], [y], names.next(`${y}_DequantizeLinear`), [], MS)], true);
    result.quantized++;
    result.layersByOp[t.op] = (result.layersByOp[t.op] ?? 0) + 1;
  }
  if (chosen.length > 0) await ensureOpset(model, MS, 1);
  const nodes: NodeProto[] = [];
  for (const n of graph.node) nodes.push(...(before.get(n) ?? []), n, ...(after.get(n) ?? []));
  graph.node = nodes;
  removeUnusedConstants(model);
  result.weightError = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;
  result.notes.push(`qdq: the model imports ai.onnx ${opsetVersion(model)}, below the 10 that QLinearConv needs, so Conv layers are com.microsoft QLinearConv between com.microsoft QuantizeLinear/DequantizeLinear (uint8 activations calibrated per tensor, int8 weights per output channel within ±${qmax}, int32 bias); the ai.onnx opset is unchanged.`);
  return result;
}

/**
 * Folds each inference BatchNormalization that alone reads a Conv's output into that Conv's
 * weight and bias (W·s per output channel, (b − mean)·s + β, s = γ/√(var + ε)), as
 * onnxruntime itself does for fp32 weights but cannot once the weights sit behind a
 * DequantizeLinear or inside an integer kernel. Exact up to float rounding. Returns how many
 * were folded.
 */
export async function foldBatchNorms(model: ModelProto): Promise<number> {
  const names = new NameScope(model);
  const readers = new Map<string, number>();
  const graphOutputs = new Set<string>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) readers.set(i, (readers.get(i) ?? 0) + 1);
    for (const o of g.output) graphOutputs.add(o.name);
  });
  let folded = 0;
  const graphs: GraphProto[] = [];
  forEachGraph(model.graph!, (g) => graphs.push(g));
  for (const graph of graphs) {
    const scopes = scopeChain(model, graph);
    const producer = new Map<string, NodeProto>();
    for (const n of graph.node) for (const o of n.output) producer.set(o, n);
    const drop = new Set<NodeProto>();
    for (const bn of graph.node) {
      if (bn.opType !== 'BatchNormalization' || (bn.domain !== '' && bn.domain !== 'ai.onnx')) continue;
      if (bn.output.filter((o) => o !== '').length !== 1 || attrInt(bn, 'training_mode', 0) !== 0 || attrInt(bn, 'spatial', 1) !== 1) continue;
      const conv = producer.get(bn.input[0]);
      if (!conv || conv.opType !== 'Conv' || (conv.domain !== '' && conv.domain !== 'ai.onnx') || readers.get(conv.output[0]) !== 1 || graphOutputs.has(conv.output[0])) continue;
      const w = constantIn(scopes, conv.input[1]);
      const params = bn.input.slice(1, 5).map((n) => constantIn(scopes, n));
      const b = conv.input[2] ? constantIn(scopes, conv.input[2]) : undefined;
      if (!w || w.dataType !== DataType.FLOAT || params.some((p) => !p || !isFloatType(p.dataType)) || (conv.input[2] && !b)) continue;
      const dims = tensorDims(w);
      const m = dims[0];
      const [gamma, beta, mean, variance] = params.map((p) => tensorToFloat32(p!));
      if ([gamma, beta, mean, variance].some((v) => v.length !== m) || (b && elementCount(tensorDims(b)) !== m)) continue;
      const eps = attrFloat(bn, 'epsilon', 1e-5);
      const wv = tensorToFloat32(w);
      const bv = b ? tensorToFloat32(b) : new Float32Array(m);
      const per = wv.length / m;
      const newB = new Float32Array(m);
      for (let c = 0; c < m; c++) {
        const s = gamma[c] / Math.sqrt(variance[c] + eps);
        for (let i = 0; i < per; i++) wv[c * per + i] *= s;
        newB[c] = (bv[c] - mean[c]) * s + beta[c];
      }
      const wt = await makeTensor(names.next(`${conv.input[1]}_bn`), DataType.FLOAT, dims, float32Raw(wv));
      const bt = await makeTensor(names.next(`${conv.input[2] || conv.name || 'conv'}_bn_bias`), DataType.FLOAT, [m], float32Raw(newB));
      graph.initializer.push(wt, bt);
      conv.input = [conv.input[0], wt.name, bt.name];
      conv.output = [bn.output[0]];
      drop.add(bn);
      folded++;
    }
    if (drop.size > 0) graph.node = graph.node.filter((n) => !drop.has(n));
  }
  if (folded > 0) removeUnusedConstants(model);
  return folded;
}
