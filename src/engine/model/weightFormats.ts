/**
 * Weight rewrites for every quantization target (see targets.ts), wherever the weight
 * lives: initializers or `Constant` nodes, main graph or If/Loop/Scan bodies, directly
 * read or reached through a weight-only chain.
 *
 * - `quantizeWeightOnly`: symmetric int8 per output channel, zero point 0, with a
 *   `DequantizeLinear` (axis = the channel axis) whose output takes the constant's
 *   name. Every reader (the consumer, other consumers, a Slice/Concat chain) keeps
 *   reading the same name, so a shared weight is quantized once and a chain needs no
 *   change: the constants at a chain's start are quantized, along the axis that the
 *   chain maps to the consumer's output channels (Unsqueeze/Squeeze/Transpose/Slice/
 *   Concat are followed; behind a Reshape the rows, axis 0, are used). ai.onnx
 *   DequantizeLinear has `axis` from opset 13; below that the `com.microsoft` one
 *   (domain version 1, with `axis`) is used and its opset imported, and the ai.onnx
 *   opset is left as it is (raising it breaks models that use the old Slice).
 * - `quantizeNBits`: MatMulNBits for MatMul/Gemm weights read only by such nodes,
 *   GatherBlockQuantized for embeddings read only by Gather (axis 0); every other target
 *   (Conv, ConvTranspose, LSTM/GRU/RNN, chains, weights with other readers) has no
 *   block-quantized kernel in onnxruntime and gets the int8 weight-only rewrite instead,
 *   with a note naming those op types.
 * - `quantizeFloat`: fp16/bf16 constants with a Cast back to fp32 under the same name.
 *
 * Whatever a rewrite replaces is removed: the fp32 initializer or Constant node, the graph
 * input that shadowed an initializer (old exporters), and dead chain nodes.
 */
import { EngineError } from '../../protocol/errors';
import { CHAIN_OPS, groupByWeight, type QuantTarget, type WeightGroup } from './targets';
import { attrFloat, attrInt, ensureOpset, findWeights, makeAttribute, makeNode, NameScope, opsetVersion, removeUnusedInitializers, type WeightRef } from './graph';
import { DataType, elementCount, float16Raw, float32Raw, forEachGraph, makeTensor, tensorDims, tensorToFloat32, type ModelProto, type NodeProto, type TensorProto } from './onnx';
import { dequantize, packLevels, packZeros, quantizeRtn, relativeError, type BlockQuant } from './quantMath';

export interface WeightRewriteResult {
  /** Consumer nodes whose weights were rewritten. */
  quantized: number;
  /** Targets left as they were, with the reason. */
  skipped: { op: string; reason: string }[];
  /** Consumer nodes rewritten, by op type. */
  layersByOp: Record<string, number>;
  /** Constant tensors rewritten (a shared weight counts once). */
  constants?: number;
  /** Mean relative weight error ‖W−Ŵ‖/‖W‖ over the rewritten constants. */
  weightError: number;
  /** Plain-language remarks for the job's notes. */
  notes: string[];
}

export interface WeightOnlyOptions {
  names?: NameScope;
  /** Largest level magnitude: 127 for int8 (default). */
  qmax?: number;
}

/** ai.onnx DequantizeLinear takes `axis` from opset 13; older models use com.microsoft's. */
export function dequantizeDomain(model: ModelProto): '' | 'com.microsoft' {
  return opsetVersion(model) >= 13 ? '' : 'com.microsoft';
}

/**
 * Symmetric int8 levels per channel along `axis` (zero point 0): scale = max |w| / qmax per
 * channel (1 for an all-zero channel), stored as fp32 or, with `roundScale`, rounded first
 * (fp16 scales for fp16 models). `error` is ‖W − Ŵ‖/‖W‖, computed without a dequantized copy.
 * One weight, no graph: shared by the in-memory rewrite below and streaming (stream.ts).
 */
export function int8PerAxis(w: Float32Array, dims: readonly number[], axis: number, qmax: number, roundScale?: (scale: number) => number): { q: Int8Array; scales: Float32Array; error: number } {
  const channels = dims[axis] ?? 1;
  const inner = elementCount(dims.slice(axis + 1));
  const maxAbs = new Float32Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = Math.floor(i / inner) % channels;
    const a = Math.abs(w[i]);
    if (a > maxAbs[c]) maxAbs[c] = a;
  }
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = maxAbs[c] > 0 ? maxAbs[c] / qmax : 1;
    scales[c] = roundScale ? roundScale(s) : s;
  }
  const q = new Int8Array(w.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    const s = scales[Math.floor(i / inner) % channels];
    const level = Math.max(-qmax, Math.min(qmax, Math.round(w[i] / s)));
    q[i] = level;
    const d = w[i] - Math.fround(level * s);
    num += d * d;
    den += w[i] * w[i];
  }
  return { q, scales, error: den > 0 ? Math.sqrt(num / den) : 0 };
}

/** Symmetric per-channel quantization of a tensor along `axis`: levels, scales, and q·scale. */
export function symmetricPerAxis(w: Float32Array, dims: readonly number[], axis: number, qmax: number): { q: Int8Array; scales: Float32Array; approx: Float32Array } {
  const { q, scales } = int8PerAxis(w, dims, axis, qmax);
  const channels = dims[axis] ?? 1;
  const inner = elementCount(dims.slice(axis + 1));
  const approx = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) approx[i] = q[i] * scales[Math.floor(i / inner) % channels];
  return { q, scales, approx };
}

/**
 * The tensors and the DequantizeLinear node of one int8 per-channel weight: levels, scales
 * (`scaleType`: FLOAT, or FLOAT16 for fp16 models), zero points, and a DequantizeLinear whose
 * output is `output` (the weight's own name in place, so every reader is unchanged).
 */
export async function int8WeightTensors(names: NameScope, base: string, dims: readonly number[], axis: number, quant: { q: Int8Array; scales: Float32Array }, scaleType: number, domain: '' | 'com.microsoft', output: string): Promise<{ tensors: TensorProto[]; node: NodeProto }> {
  const channels = dims[axis];
  const { q, scales } = quant;
  const wq = await makeTensor(names.next(`${base}_int8`), DataType.INT8, dims, new Uint8Array(q.buffer, q.byteOffset, q.byteLength));
  const sc = await makeTensor(names.next(`${base}_scale`), scaleType, [channels], scaleType === DataType.FLOAT16 ? float16Raw(scales, 'fp16') : float32Raw(scales));
  const zp = await makeTensor(names.next(`${base}_zero_point`), DataType.INT8, [channels], new Uint8Array(channels));
  const node = await makeNode('DequantizeLinear', [wq.name, sc.name, zp.name], [output], names.next(`${base}_DequantizeLinear`), [await makeAttribute('axis', axis)], domain);
  return { tensors: [wq, sc, zp], node };
}

/** Readers of each value name in the whole model (node inputs, any graph). */
function readersOf(model: ModelProto): Map<string, NodeProto[]> {
  const m = new Map<string, NodeProto[]>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) {
      for (const i of n.input) {
        if (!i) continue;
        const list = m.get(i);
        if (list) list.push(n);
        else m.set(i, [n]);
      }
    }
  });
  return m;
}

/**
 * Takes a constant out of the model and puts `tensors` + `nodes` in its place: new
 * tensors become initializers where the constant was an initializer (Constant nodes for
 * IR < 4, whose initializers must also be inputs), Constant nodes where it was one; the
 * nodes go where the Constant node was, or at the top of the graph.
 */
async function replaceConstant(model: ModelProto, weight: WeightRef, tensors: TensorProto[], nodes: NodeProto[], names: NameScope): Promise<void> {
  const graph = weight.graph;
  const asConstants = weight.source === 'constant' || model.irVersion < 4n;
  const constantNodes: NodeProto[] = [];
  if (asConstants) {
    for (const t of tensors) constantNodes.push(await makeNode('Constant', [], [t.name], names.next(`${t.name}_Constant`), [await makeAttribute('value', t, 'tensor')]));
  }
  if (weight.source === 'initializer') {
    const index = graph.initializer.indexOf(weight.tensor);
    if (index >= 0) graph.initializer.splice(index, 1);
    // The graph input that only declared the initializer (old exporters) goes with it.
    graph.input = graph.input.filter((v) => v.name !== weight.name);
    if (!asConstants) graph.initializer.push(...tensors);
    graph.node.unshift(...constantNodes, ...nodes);
  } else {
    const index = graph.node.findIndex((n) => n.opType === 'Constant' && n.output[0] === weight.name);
    if (index < 0) throw new EngineError('internal', `The Constant node for "${weight.name}" is gone.`);
    graph.node.splice(index, 1, ...constantNodes, ...nodes);
  }
}

/** Removes Constant and chain nodes whose outputs nothing reads (all graphs), then unread initializers. */
export function removeDeadConstants(model: ModelProto): number {
  let removed = 0;
  for (;;) {
    const used = new Set<string>(model.graph!.output.map((o) => o.name));
    forEachGraph(model.graph!, (g) => {
      for (const n of g.node) for (const i of n.input) used.add(i);
      for (const o of g.output) used.add(o.name);
    });
    let changed = false;
    forEachGraph(model.graph!, (g) => {
      const before = g.node.length;
      g.node = g.node.filter((n) => !((n.opType === 'Constant' || CHAIN_OPS.has(n.opType)) && n.attribute.every((a) => !a.g && a.graphs.length === 0) && n.output.every((o) => o === '' || !used.has(o))));
      if (g.node.length !== before) {
        removed += before - g.node.length;
        changed = true;
      }
    });
    if (!changed) break;
  }
  removeUnusedInitializers(model);
  return removed;
}

function countNodes(targets: readonly QuantTarget[], into: Record<string, number>, seen: Set<NodeProto>): number {
  let n = 0;
  for (const t of targets) {
    if (seen.has(t.node)) continue;
    seen.add(t.node);
    into[t.op] = (into[t.op] ?? 0) + 1;
    n++;
  }
  return n;
}

function mean(xs: number[]): number {
  return xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** int8 weight-only: DequantizeLinear (per channel, symmetric) in place of each fp32 weight. */
export async function quantizeWeightOnly(model: ModelProto, targets: readonly QuantTarget[], opts: WeightOnlyOptions = {}): Promise<WeightRewriteResult> {
  const names = opts.names ?? new NameScope(model);
  const qmax = opts.qmax ?? 127;
  const domain = dequantizeDomain(model);
  const skipped: WeightRewriteResult['skipped'] = [];
  const layersByOp: Record<string, number> = {};
  const errors: number[] = [];
  const done = new Set<NodeProto>();
  const groups = groupByWeight(targets);
  const ok: WeightGroup[] = [];
  for (const g of groups) {
    if (g.weight.tensor.dataType !== DataType.FLOAT) {
      skipped.push({ op: g.targets[0].op, reason: `weight "${g.weight.name}" is ${g.weight.tensor.dataType === DataType.FLOAT16 ? 'fp16' : `data type ${g.weight.tensor.dataType}`}; int8 weight-only needs fp32 weights and activations` });
      continue;
    }
    ok.push(g);
  }
  if (ok.length > 0 && domain === 'com.microsoft') await ensureOpset(model, 'com.microsoft', 1);
  for (const g of ok) {
    const w = tensorToFloat32(g.weight.tensor);
    const dims = tensorDims(g.weight.tensor);
    const { q, scales, approx } = symmetricPerAxis(w, dims, g.axis, qmax);
    errors.push(relativeError(w, approx));
    const { tensors, node } = await int8WeightTensors(names, g.weight.name, dims, g.axis, { q, scales }, DataType.FLOAT, domain, g.weight.name);
    await replaceConstant(model, g.weight, tensors, [node], names);
  }
  removeDeadConstants(model);
  const okTensors = new Set(ok.map((g) => g.weight.tensor));
  const quantized = countNodes(targets.filter((t) => t.roots.every((r) => okTensors.has(r.weight.tensor))), layersByOp, done);
  const notes: string[] = [];
  if (ok.length > 0 && domain === 'com.microsoft') notes.push(`The model's ai.onnx opset is ${opsetVersion(model)}: per-channel DequantizeLinear comes from the com.microsoft domain (onnxruntime), and the ai.onnx opset was not raised.`);
  return { quantized, skipped, layersByOp, constants: ok.length, weightError: mean(errors), notes };
}

export interface NBitsOptions {
  /** 2, 3 (stored in 4-bit containers), 4 or 8. */
  bits: number;
  blockSize: number;
  accuracyLevel: number;
  names?: NameScope;
  /** Quantizes one MatMul weight W[K×N] (row-major); default round to nearest. GPTQ/HQQ plug in here. */
  quantize?: (target: QuantTarget, w: Float32Array, k: number, n: number) => BlockQuant | Promise<BlockQuant>;
  /** Called before each weight, for progress and cancellation. */
  onWeight?: (index: number, total: number, label: string) => void;
}

/** A MatMul, or a Gemm that is a plain product plus bias (transA 0, alpha 1, beta 1): what MatMulNBits (+ Add) can replace. */
export function isPlainGemm(node: NodeProto): boolean {
  return node.opType !== 'Gemm' || (attrInt(node, 'transA', 0) === 0 && attrFloat(node, 'alpha', 1) === 1 && (node.input.length < 3 || node.input[2] === '' || attrFloat(node, 'beta', 1) === 1));
}

/** Whether a MatMul/Gemm weight is stored [N×K] (Gemm transB 1) rather than [K×N]. */
export function weightIsNxK(node: NodeProto): boolean {
  return node.opType === 'Gemm' && attrInt(node, 'transB', 0) === 1;
}

/** The rows (K) and columns (N) of a MatMul/Gemm weight, and its values as W[K×N]. */
function asKxN(t: QuantTarget, w: Float32Array): { k: number; n: number; kn: Float32Array } {
  const [a, b] = t.dims;
  if (weightIsNxK(t.node)) {
    const kn = new Float32Array(a * b);
    for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) kn[j * a + i] = w[i * b + j];
    return { k: b, n: a, kn };
  }
  return { k: a, n: b, kn: w };
}

/**
 * The three MatMulNBits inputs of one block-quantized weight W[K×N]: packed levels
 * [N, blocks, blob], scales and zero points (fp16 scales, and fp16 float zero points for hqq,
 * when the model is fp16). Shared by the in-memory rewrite and streaming (stream.ts).
 */
export async function nbitsTensors(names: NameScope, base: string, q: BlockQuant, containerBits: 2 | 4 | 8, half: boolean): Promise<TensorProto[]> {
  const floats = (values: Float32Array) => (half ? float16Raw(values, 'fp16') : float32Raw(values));
  const floatType = half ? DataType.FLOAT16 : DataType.FLOAT;
  const blob = (q.blockSize * containerBits) / 8;
  const b = await makeTensor(names.next(`${base}_Q${containerBits}`), DataType.UINT8, [q.n, q.nBlocks, blob], packLevels(q, containerBits));
  const scales = await makeTensor(names.next(`${base}_scales`), floatType, [q.n * q.nBlocks], floats(q.scales));
  const zp = q.floatZeros
    ? await makeTensor(names.next(`${base}_zero_points`), floatType, [q.n * q.nBlocks], floats(q.zeros))
    : await makeTensor(names.next(`${base}_zero_points`), DataType.UINT8, [q.n * Math.ceil((q.nBlocks * containerBits) / 8)], packZeros(q, containerBits));
  return [b, scales, zp];
}

/** The MatMulNBits node (and, for a Gemm with a bias, the Add after it) that replace one MatMul/Gemm reading `tensors` (nbitsTensors). */
export async function nbitsNodes(names: NameScope, base: string, node: NodeProto, tensors: readonly TensorProto[], q: BlockQuant, containerBits: 2 | 4 | 8, accuracyLevel: number): Promise<NodeProto[]> {
  const attrs = await Promise.all([makeAttribute('K', q.k), makeAttribute('N', q.n), makeAttribute('bits', containerBits), makeAttribute('block_size', q.blockSize), makeAttribute('accuracy_level', accuracyLevel)]);
  const hasBias = node.opType === 'Gemm' && node.input.length > 2 && node.input[2] !== '';
  const mmOut = hasBias ? names.next(`${node.output[0]}_matmul`) : node.output[0];
  const nodes = [await makeNode('MatMulNBits', [node.input[0], ...tensors.map((t) => t.name)], [mmOut], names.next(`${node.name || base}_MatMulNBits`), attrs, 'com.microsoft')];
  if (hasBias) nodes.push(await makeNode('Add', [mmOut, node.input[2]], [node.output[0]], names.next(`${node.name || base}_Add`)));
  return nodes;
}

/** Whether an embedding table [rows × width] of this type gets GatherBlockQuantized: fp32, 4- or 8-bit containers, width a multiple of the block. */
export function gatherBlockApplies(dataType: number, dims: readonly number[], containerBits: number, blockSize: number): boolean {
  return dataType === DataType.FLOAT && dims.length === 2 && (containerBits === 4 || containerBits === 8) && dims[1] % blockSize === 0;
}

/**
 * GatherBlockQuantized inputs for an embedding table [rows × width], given as its transpose
 * `t` = W[width × rows] (blocks run along each row): round-to-nearest levels, packed data
 * [rows, width·bits/8], fp32 scales and packed zero points [rows, blocks]. Returns the block
 * parameters too, for the caller's error measure.
 */
export async function gatherBlockTensors(names: NameScope, base: string, t: Float32Array, rows: number, width: number, containerBits: 4 | 8, blockSize: number): Promise<{ tensors: TensorProto[]; q: BlockQuant }> {
  const q = quantizeRtn(t, width, rows, containerBits, blockSize);
  const data = await makeTensor(names.next(`${base}_Q${containerBits}`), DataType.UINT8, [rows, (width * containerBits) / 8], packLevels(q, containerBits));
  const scales = await makeTensor(names.next(`${base}_scales`), DataType.FLOAT, [rows, q.nBlocks], float32Raw(q.scales));
  const zp = await makeTensor(names.next(`${base}_zero_points`), DataType.UINT8, [rows, Math.ceil((q.nBlocks * containerBits) / 8)], packZeros(q, containerBits));
  return { tensors: [data, scales, zp], q };
}

/** The GatherBlockQuantized node that replaces one Gather (axis 0) of a table quantized by gatherBlockTensors. */
export async function gatherBlockNode(names: NameScope, base: string, node: NodeProto, tensors: readonly TensorProto[], containerBits: 4 | 8, blockSize: number): Promise<NodeProto> {
  const attrs = await Promise.all([makeAttribute('gather_axis', 0), makeAttribute('quantize_axis', 1), makeAttribute('block_size', blockSize), makeAttribute('bits', containerBits)]);
  const [data, scales, zp] = tensors;
  return makeNode('GatherBlockQuantized', [data.name, node.input[1], scales.name, zp.name], [...node.output], names.next(`${node.name || base}_GatherBlockQuantized`), attrs, 'com.microsoft');
}

/** 2/3/4/8-bit block quantization: MatMulNBits, GatherBlockQuantized, int8 weight-only for the rest. */
export async function quantizeNBits(model: ModelProto, targets: readonly QuantTarget[], opts: NBitsOptions): Promise<WeightRewriteResult> {
  const names = opts.names ?? new NameScope(model);
  const containerBits = (opts.bits === 3 ? 4 : opts.bits) as 2 | 4 | 8;
  const readers = readersOf(model);
  const groups = groupByWeight(targets);
  const matmul: WeightGroup[] = [];
  const gather: WeightGroup[] = [];
  const rest: QuantTarget[] = [];
  const skipped: WeightRewriteResult['skipped'] = [];
  const restReasons = new Map<string, string>();
  for (const g of groups) {
    const dtype = g.weight.tensor.dataType;
    const readBy = readers.get(g.weight.name) ?? [];
    const onlyTargets = readBy.every((n) => g.targets.some((t) => t.node === n));
    const noChain = g.targets.every((t) => !t.chain);
    if (noChain && onlyTargets && g.targets.every((t) => (t.op === 'MatMul' || t.op === 'Gemm') && isPlainGemm(t.node)) && (dtype === DataType.FLOAT || dtype === DataType.FLOAT16)) {
      const layouts = new Set(g.targets.map((t) => (weightIsNxK(t.node) ? 'NK' : 'KN')));
      if (layouts.size === 1) {
        matmul.push(g);
        continue;
      }
    }
    const d = tensorDims(g.weight.tensor);
    if (noChain && onlyTargets && g.targets.every((t) => t.op === 'Gather') && gatherBlockApplies(dtype, d, containerBits, opts.blockSize)) {
      gather.push(g);
      continue;
    }
    for (const t of g.targets) {
      if (!rest.includes(t)) rest.push(t);
      restReasons.set(t.op, t.op === 'MatMul' || t.op === 'Gemm' ? 'weight shared with other nodes, reached through a chain, or a Gemm with alpha/beta/transA' : t.op === 'Gather' ? `embedding width not a multiple of block ${opts.blockSize}, or read by other nodes` : 'no block-quantized kernel in onnxruntime');
    }
  }
  const layersByOp: Record<string, number> = {};
  const done = new Set<NodeProto>();
  const errors: number[] = [];
  const notes: string[] = [];
  let quantized = 0;
  let constants = matmul.length + gather.length;
  if (matmul.length > 0 || gather.length > 0) await ensureOpset(model, 'com.microsoft', 1);
  const total = matmul.length + gather.length;
  let index = 0;
  for (const g of matmul) {
    opts.onWeight?.(index++, total, `${g.targets[0].node.name || g.weight.name} [${tensorDims(g.weight.tensor).join('×')}]`);
    const half = g.weight.tensor.dataType === DataType.FLOAT16;
    const first = g.targets[0];
    const { k, n, kn } = asKxN(first, tensorToFloat32(g.weight.tensor));
    const q = await (opts.quantize ?? ((_t, w, kk, nn) => quantizeRtn(w, kk, nn, opts.bits, opts.blockSize)))(first, kn, k, n);
    errors.push(relativeError(kn, dequantize(q)));
    const base = g.weight.name;
    const tensors = await nbitsTensors(names, base, q, containerBits, half);
    await replaceConstant(model, g.weight, tensors, [], names);
    for (const t of g.targets) {
      const nodes = await nbitsNodes(names, base, t.node, tensors, q, containerBits, opts.accuracyLevel);
      t.graph.node.splice(t.graph.node.indexOf(t.node), 1, ...nodes);
    }
    quantized += countNodes(g.targets, layersByOp, done);
  }
  for (const g of gather) {
    opts.onWeight?.(index++, total, `${g.weight.name} [${tensorDims(g.weight.tensor).join('×')}]`);
    const [rows, width] = tensorDims(g.weight.tensor);
    // Blocks run along each row: quantize the transpose, W[width × rows], column = row.
    const w = tensorToFloat32(g.weight.tensor);
    const t = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) t[c * rows + r] = w[r * width + c];
    const base = g.weight.name;
    const { tensors, q } = await gatherBlockTensors(names, base, t, rows, width, containerBits as 4 | 8, opts.blockSize);
    errors.push(relativeError(t, dequantize(q)));
    await replaceConstant(model, g.weight, tensors, [], names);
    for (const tg of g.targets) {
      const node = await gatherBlockNode(names, base, tg.node, tensors, containerBits as 4 | 8, opts.blockSize);
      tg.graph.node.splice(tg.graph.node.indexOf(tg.node), 1, node);
    }
    quantized += countNodes(g.targets, layersByOp, done);
  }
  removeDeadConstants(model);
  if (rest.length > 0) {
    const int8 = await quantizeWeightOnly(model, rest, { names });
    for (const [op, count] of Object.entries(int8.layersByOp)) layersByOp[op] = (layersByOp[op] ?? 0) + count;
    quantized += int8.quantized;
    skipped.push(...int8.skipped);
    if (int8.quantized > 0) errors.push(int8.weightError);
    constants += int8.constants ?? 0;
    notes.push(...int8.notes);
    const ops = [...new Set(rest.map((t) => t.op))];
    notes.push(`Not quantized at ${opts.bits} bits: ${ops.map((op) => `${op} (${restReasons.get(op)})`).join('; ')}. Their weights are stored as int8 weight-only (DequantizeLinear per channel) instead.`);
  }
  return { quantized, skipped, layersByOp, constants, weightError: mean(errors), notes };
}

export interface FloatOptions {
  names?: NameScope;
  /** Also store every other fp32 constant with at least this many elements (norm scales, positional tables) as 16-bit. */
  otherConstantsMinElements?: number;
}

/** Inputs that hold parameters, not data: float constants read there stay fp32. */
function readsAsParameter(node: NodeProto, input: string): boolean {
  const i = node.input.indexOf(input);
  return ((node.opType === 'Resize' || node.opType === 'Upsample') && i >= 1) || node.opType === 'ConstantOfShape' || ((node.opType === 'Clip' || node.opType === 'Pad') && i >= 1);
}

/** fp16/bf16 storage: each fp32 weight becomes a 16-bit constant and a Cast back to fp32 under its name. */
export async function quantizeFloat(model: ModelProto, targets: readonly QuantTarget[], format: 'fp16' | 'bf16', opts: FloatOptions = {}): Promise<WeightRewriteResult> {
  const names = opts.names ?? new NameScope(model);
  if (format === 'bf16' && opsetVersion(model) < 13) throw new EngineError('unsupported', `bf16 needs Cast from bfloat16, which ai.onnx has from opset 13; this model is opset ${opsetVersion(model)}.`, 'Use --float-format fp16 (floatFormat).');
  const groups = groupByWeight(targets);
  const work = new Map<TensorProto, WeightRef>();
  const skipped: WeightRewriteResult['skipped'] = [];
  for (const g of groups) {
    if (g.weight.tensor.dataType === DataType.FLOAT) work.set(g.weight.tensor, g.weight);
    else skipped.push({ op: g.targets[0].op, reason: `weight "${g.weight.name}" is not fp32 (data type ${g.weight.tensor.dataType})` });
  }
  let others = 0;
  if (opts.otherConstantsMinElements !== undefined) {
    const readers = readersOf(model);
    for (const w of findWeights(model)) {
      if (work.has(w.tensor) || w.tensor.dataType !== DataType.FLOAT || elementCount(tensorDims(w.tensor)) < opts.otherConstantsMinElements) continue;
      const readBy = readers.get(w.name) ?? [];
      if (readBy.length === 0 || readBy.some((n) => readsAsParameter(n, w.name))) continue;
      work.set(w.tensor, w);
      others++;
    }
  }
  const errors: number[] = [];
  for (const w of work.values()) {
    const values = tensorToFloat32(w.tensor);
    const raw = float16Raw(values, format);
    const half = await makeTensor(names.next(`${w.name}_${format}`), format === 'fp16' ? DataType.FLOAT16 : DataType.BFLOAT16, tensorDims(w.tensor), raw);
    errors.push(relativeError(values, tensorToFloat32(half)));
    const cast = await makeNode('Cast', [half.name], [w.name], names.next(`${w.name}_Cast`), [await makeAttribute('to', DataType.FLOAT)]);
    await replaceConstant(model, w, [half], [cast], names);
  }
  removeDeadConstants(model);
  const layersByOp: Record<string, number> = {};
  const converted = groups.filter((g) => work.has(g.weight.tensor)).flatMap((g) => g.targets);
  const quantized = countNodes(converted, layersByOp, new Set());
  const notes = others > 0 ? [`${others} other fp32 constant(s) of at least ${opts.otherConstantsMinElements} elements (not read by a MatMul/Conv/LSTM/Gather) are stored as ${format} too.`] : [];
  return { quantized, skipped, layersByOp, constants: work.size, weightError: mean(errors), notes };
}
