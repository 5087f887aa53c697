/**
 * Streaming quantization for models whose weights live in external data: the graph is read
 * without its weights, then each weight is read from its file at its offset, quantized (or
 * copied, or converted to fp16), appended to the output's data file and dropped, so memory
 * holds one tensor at a time instead of the whole model (plus copies of it).
 *
 * Measurement keeps the same bound: the original model runs first (outputs kept, timed) and
 * its session is released before the new model is opened, so at most one model is in memory
 * at any time. Both are timed in the same job, one after the other.
 *
 * | request             | graph                                                                   |
 * | ------------------- | ----------------------------------------------------------------------- |
 * | int, 4 / 3 / 2 bits | MatMulNBits (com.microsoft), rtn or hqq, block-wise, for MatMul and plain Gemm (+ Add for its bias); GatherBlockQuantized for embeddings (fp32, width a multiple of the block); int8 DequantizeLinear for the other Gemm/Gather weights |
 * | int, 8 bits         | DequantizeLinear (int8, per output channel) feeding MatMul, Gemm (axis from transB) and Gather (per row) |
 * | float, 16 bits      | fp16 / bf16 initializers + Cast to fp32                                  |
 *
 * The per-weight quantization (levels, scales, packed tensors, replacement nodes) is the
 * in-memory path's own (weightFormats.ts), so both write the same bytes for the same weight;
 * streaming only reads each weight from disk (transposed while reading where the packed layout
 * needs W[K×N]: Gemm with transB, embedding tables), so one fp32 copy of one weight is held.
 */
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { ModelQuantizeParamsSchema, type ExecutionProviderName, type ModelQuantizeParams, type QuantizedModel, type SpeedMeasurement } from '../../protocol/model';
import { buildInputs, compareOutputs, deviceFallbackWarning, noInputsError, noOutputsError, runAll, type EvalSet, type Outputs } from './evaluate';
import { assertFloatModel, ensureOpset, makeAttribute, makeNode, NameScope, opsetVersion } from './graph';
import { assembleResult, commitFrom, Job, mb, outputPath, parseParams, round, unfaithfulAlternative, type JobContext } from './job';
import { seededRandom } from '../../shared/random';
import {
  DataType,
  defaultMemoryBudget,
  elementCount,
  float16BitsToFloat32,
  float16Raw,
  float32ToBfloat16Bits,
  float32ToFloat16Bits,
  forEachGraph,
  makeTensor,
  readExternalBytes,
  readModelLazy,
  setExternal,
  tensorDims,
  tensorToFloat32,
  encodeModel,
  onnxSchema,
  type ExternalLocation,
  type GraphProto,
  type LazyModel,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  externalLocations,
} from './onnx';
import { quantizeHqq, quantizeRtn, type BlockQuant } from './quantMath';
import { findQuantTargets, type QuantTarget } from './targets';
import { gatherBlockApplies, gatherBlockNode, gatherBlockTensors, int8PerAxis, int8WeightTensors, isPlainGemm, nbitsNodes, nbitsTensors, weightIsNxK } from './weightFormats';
import { availableProviders, openSession, timeSession, type FeedTensor, type InputInfo, type OutputTensor, type RuntimeSession } from './runtime';

export { externalLocations };

/** Models with external data of at least this many bytes (file plus data) stream by default. */
export const STREAM_MIN_BYTES = 2 ** 30;
/** A .onnx file larger than this keeps its weights inline: streaming cannot help it. */
const MAX_GRAPH_SCAN_BYTES = 256 * 2 ** 20;
/** Tensors smaller than this stay inside the .onnx file. */
const INLINE_MAX_BYTES = 1024;
/** Data-file alignment of each tensor (lets onnxruntime map weights instead of copying them). */
const ALIGN = 4096;
/** Bytes per read/write when copying or converting a tensor. */
const CHUNK_BYTES = 8 * 2 ** 20;
/** Sequence length of the token inputs a language model is measured on when its input is symbolic. */
const LM_SEQUENCE = 16;

/* ------------------------------------------------------------------------------------ */
/* Deciding                                                                              */
/* ------------------------------------------------------------------------------------ */

/**
 * Whether a model should be quantized by streaming: it keeps weights in external data and,
 * with them, takes at least `minBytes` (default: 1 GiB, or a third of the memory the engine
 * allows itself when that is less, since the in-memory path needs about 3× the model).
 * Reads only the .onnx file (a protobuf scan, no decoding of weights); false for anything it
 * cannot read, so the regular path reports the problem.
 */
export function shouldStream(modelPath: string, options: { minBytes?: number } = {}): boolean {
  let size: number;
  try {
    const st = statSync(modelPath);
    if (!st.isFile()) return false;
    size = st.size;
  } catch {
    return false;
  }
  if (size === 0 || size > MAX_GRAPH_SCAN_BYTES) return false;
  let locations: Set<string>;
  try {
    locations = externalLocations(readFileSync(modelPath));
  } catch {
    return false;
  }
  if (locations.size === 0) return false;
  const dir = dirname(resolve(modelPath));
  let total = size;
  for (const location of locations) {
    const clean = normalize(location);
    if (isAbsolute(clean) || clean.startsWith('..')) continue;
    try {
      total += statSync(join(dir, clean)).size;
    } catch {
      // A missing file is reported by whichever path reads the model.
    }
  }
  const minBytes = options.minBytes ?? Math.min(STREAM_MIN_BYTES, defaultMemoryBudget() / 3);
  return total >= minBytes;
}

/* ------------------------------------------------------------------------------------ */
/* Reading and writing tensors                                                           */
/* ------------------------------------------------------------------------------------ */

const littleEndian = endianness() === 'LE';
let halfTable: Float32Array | undefined;

function halfToFloat(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = float16BitsToFloat32(h);
  }
  return halfTable;
}

/** A float tensor's values as float32, read from its file when it is external. */
function readFloats(tensor: TensorProto, location: ExternalLocation | undefined, fd: number | undefined): Float32Array {
  if (!location || fd === undefined) return tensorToFloat32(tensor);
  const raw = readExternalBytes(fd, location);
  const count = elementCount(tensorDims(tensor));
  if (tensor.dataType === DataType.FLOAT) {
    if (littleEndian) return new Float32Array(raw.buffer, 0, count);
    const view = new DataView(raw.buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    return out;
  }
  if (tensor.dataType === DataType.FLOAT16) {
    const table = halfToFloat();
    const out = new Float32Array(count);
    if (littleEndian) {
      const halves = new Uint16Array(raw.buffer, 0, count);
      for (let i = 0; i < count; i++) out[i] = table[halves[i]];
    } else {
      const view = new DataView(raw.buffer);
      for (let i = 0; i < count; i++) out[i] = table[view.getUint16(i * 2, true)];
    }
    return out;
  }
  throw new EngineError('unsupported', `Tensor "${tensor.name}" has data type ${tensor.dataType}; only fp32 and fp16 weights are quantized.`);
}

/**
 * A float weight [rows × cols] read transposed, as W[cols × rows] (element (r, c) at
 * c·rows + r), a band of rows at a time: the only fp32 copy of the weight is the transposed one.
 */
function readFloatsTransposed(job: Job, tensor: TensorProto, location: ExternalLocation | undefined, fd: number | undefined, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  if (!location || fd === undefined) {
    const w = tensorToFloat32(tensor);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
    return out;
  }
  const elemBytes = tensor.dataType === DataType.FLOAT ? 4 : tensor.dataType === DataType.FLOAT16 ? 2 : 0;
  if (elemBytes === 0) throw new EngineError('unsupported', `Tensor "${tensor.name}" has data type ${tensor.dataType}; only fp32 and fp16 weights are quantized.`);
  const rowBytes = cols * elemBytes;
  if (location.length !== rows * rowBytes) throw new EngineError('badRequest', `Tensor "${tensor.name}" [${rows}×${cols}] should take ${rows * rowBytes} bytes in ${basename(location.file)}, but its external data says ${location.length}.`, 'The model file and its external data do not match: export them again.');
  const table = elemBytes === 2 ? halfToFloat() : undefined;
  const band = Math.max(1, Math.floor(CHUNK_BYTES / rowBytes));
  for (let r0 = 0; r0 < rows; r0 += band) {
    job.checkCancelled();
    const n = Math.min(band, rows - r0);
    const raw = readExternalBytes(fd, location, r0 * rowBytes, n * rowBytes);
    const view = new DataView(raw.buffer);
    for (let r = 0; r < n; r++) {
      const row = r0 + r;
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        out[c * rows + row] = table ? table[view.getUint16(i * 2, true)] : view.getFloat32(i * 4, true);
      }
    }
  }
  return out;
}

/** Appends tensors to a data file, each at an aligned offset. */
class DataWriter {
  private offset = 0;
  constructor(
    private readonly fd: number,
    readonly location: string,
  ) {}
  get bytes(): number {
    return this.offset;
  }
  /** Starts a tensor: pads to the alignment and returns its offset. */
  begin(): number {
    const pad = (ALIGN - (this.offset % ALIGN)) % ALIGN;
    if (pad > 0) this.write(new Uint8Array(pad));
    return this.offset;
  }
  write(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.offset += bytes.length;
  }
  /** Stores `raw` as the values of `tensor`: inline when small, else appended to the data file. */
  async store(tensor: TensorProto, raw: Uint8Array): Promise<void> {
    if (raw.length < INLINE_MAX_BYTES) {
      tensor.rawData = raw as Uint8Array<ArrayBuffer>;
      return;
    }
    const offset = this.begin();
    this.write(raw);
    await setExternal(tensor, this.location, offset, raw.length);
  }
}

/* ------------------------------------------------------------------------------------ */
/* Quantizing one weight                                                                  */
/* ------------------------------------------------------------------------------------ */

interface Plan {
  kind: 'nbits' | 'int8' | 'float';
  bits: number;
  storageBits: number;
  method: 'rtn' | 'hqq';
  blockSize: number;
  floatFormat: 'fp16' | 'bf16';
  minElements: number;
}

function planFor(p: ReturnType<typeof ModelQuantizeParamsSchema.parse>): Plan {
  const base = { bits: p.bits, storageBits: p.bits, method: p.method as 'rtn' | 'hqq', blockSize: p.blockSize, floatFormat: p.floatFormat, minElements: p.minElements };
  const hint = 'Large models are quantized by streaming, which supports int 2/3/4-bit (rtn, hqq), int 8-bit weight-only and float 16-bit; or pass a model small enough for the in-memory path.';
  if (p.quantizationType === 'dynamic') throw new EngineError('unsupported', 'Dynamic (MatMulInteger) quantization is not available for models quantized by streaming.', hint);
  if (p.method === 'gptq') throw new EngineError('unsupported', 'GPTQ needs the whole model in memory to capture layer inputs, so it is not available for models quantized by streaming.', 'Use method hqq (no data needed) or rtn.');
  if (p.quantizationType === 'float') {
    if (p.bits !== 16) throw new EngineError('unsupported', `quantizationType float stores fp16 or bf16 weights, so bits must be 16 (got ${p.bits}).`, 'Use bits 16 with floatFormat fp16|bf16.');
    return { ...base, kind: 'float', storageBits: 16 };
  }
  if (p.bits === 16) throw new EngineError('badRequest', '16 bits is only for --type float (quantizationType float).', 'Use --bits 8, 4, 3 or 2 with --type int.');
  if (p.bits === 8) {
    if (p.method !== 'rtn') throw new EngineError('unsupported', `Method ${p.method} applies to 4, 3 and 2-bit int quantization.`, 'Use method rtn for 8-bit.');
    if (p.format !== 'auto' && p.format !== 'weight-only') throw new EngineError('unsupported', `Format ${p.format} is not available for 8-bit models quantized by streaming.`, hint);
    return { ...base, kind: 'int8' };
  }
  if (p.format !== 'auto' && p.format !== 'nbits') throw new EngineError('unsupported', `Format ${p.format} is not available for ${p.bits}-bit models quantized by streaming.`, hint);
  return { ...base, kind: 'nbits', storageBits: p.bits === 3 ? 4 : p.bits };
}

/** ‖W − Ŵ‖ / ‖W‖ straight from block parameters (no dequantized copy of the weight). */
function blockError(w: Float32Array, q: BlockQuant): number {
  let num = 0;
  let den = 0;
  for (let col = 0; col < q.n; col++) {
    for (let b = 0; b < q.nBlocks; b++) {
      const idx = col * q.nBlocks + b;
      const s = q.scales[idx];
      const z = q.zeros[idx];
      const end = Math.min(q.k, (b + 1) * q.blockSize);
      for (let i = b * q.blockSize; i < end; i++) {
        const x = w[i * q.n + col];
        const d = x - Math.fround((q.levels[idx * q.blockSize + (i - b * q.blockSize)] - z) * s);
        num += d * d;
        den += x * x;
      }
    }
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

/** The operators whose weights streaming rewrites. */
const STREAM_OPS = new Set(['MatMul', 'Gemm', 'Gather']);

/**
 * One weight to rewrite and the nodes that read it, all of one op type and channel axis.
 * `how`: MatMulNBits for MatMul and plain Gemm, GatherBlockQuantized for embeddings it applies
 * to (4/3/2-bit requests), int8 per channel along `axis` otherwise — the in-memory path's choices.
 */
interface StreamGroup {
  op: string;
  targets: QuantTarget[];
  how: 'nbits' | 'gather' | 'int8';
  axis: number;
}

/** How a weight read by `list` (its only readers: `uses` inputs in the whole model) is rewritten, or undefined when it is copied. */
function streamGroup(plan: Plan, list: QuantTarget[], uses: number): StreamGroup | undefined {
  const first = list[0];
  const type = first.weight.tensor.dataType;
  if (first.weight.source !== 'initializer' || uses !== list.length || (type !== DataType.FLOAT && type !== DataType.FLOAT16)) return undefined;
  if (list.some((t) => t.chain || t.op !== first.op || t.channelAxis !== first.channelAxis)) return undefined;
  const group = { op: first.op, targets: list, axis: first.channelAxis };
  if (plan.kind === 'nbits') {
    if (first.op === 'MatMul' || (first.op === 'Gemm' && list.every((t) => isPlainGemm(t.node)))) return { ...group, how: 'nbits' };
    if (first.op === 'Gather' && gatherBlockApplies(type, first.dims, plan.storageBits, plan.blockSize)) return { ...group, how: 'gather' };
  }
  return { ...group, how: 'int8' };
}

function roundToHalf(scale: number): number {
  return float16BitsToFloat32(float32ToFloat16Bits(scale));
}

interface Rewrite {
  /** Replacements of the reading nodes (MatMulNBits, GatherBlockQuantized). */
  nodes: Map<NodeProto, NodeProto[]>;
  /** Nodes put at the top of the weight's graph (a DequantizeLinear under the weight's name). */
  top: NodeProto[];
  inits: TensorProto[];
  error: number;
}

/**
 * Quantizes one weight with the in-memory path's per-tensor functions (weightFormats.ts) and
 * appends its new tensors to the data file. Holds one fp32 copy of the weight (read
 * transposed where the packed layout needs it) plus its packed levels.
 */
async function quantizeGroup(job: Job, plan: Plan, group: StreamGroup, tensor: TensorProto, location: ExternalLocation | undefined, fd: number | undefined, accuracyLevel: number, names: NameScope, writer: DataWriter, opset: number): Promise<Rewrite> {
  const base = tensor.name;
  const dims = tensorDims(tensor);
  const half = tensor.dataType === DataType.FLOAT16;
  const nodes = new Map<NodeProto, NodeProto[]>();
  const top: NodeProto[] = [];
  let tensors: TensorProto[];
  let error: number;
  if (group.how === 'nbits') {
    const nxk = weightIsNxK(group.targets[0].node);
    const [k, n] = nxk ? [dims[1], dims[0]] : [dims[0], dims[1]];
    const w = nxk ? readFloatsTransposed(job, tensor, location, fd, dims[0], dims[1]) : readFloats(tensor, location, fd);
    const q = plan.method === 'hqq' ? quantizeHqq(w, k, n, plan.bits, plan.blockSize) : quantizeRtn(w, k, n, plan.bits, plan.blockSize);
    error = blockError(w, q);
    const containerBits = plan.storageBits as 2 | 4 | 8;
    tensors = await nbitsTensors(names, base, q, containerBits, half);
    for (const t of group.targets) nodes.set(t.node, await nbitsNodes(names, base, t.node, tensors, q, containerBits, accuracyLevel));
  } else if (group.how === 'gather') {
    const [rows, width] = dims;
    const containerBits = plan.storageBits as 4 | 8;
    const t = readFloatsTransposed(job, tensor, location, fd, rows, width);
    const r = await gatherBlockTensors(names, base, t, rows, width, containerBits, plan.blockSize);
    error = blockError(t, r.q);
    tensors = r.tensors;
    for (const tg of group.targets) nodes.set(tg.node, [await gatherBlockNode(names, base, tg.node, tensors, containerBits, plan.blockSize)]);
  } else {
    const w = readFloats(tensor, location, fd);
    const quant = int8PerAxis(w, dims, group.axis, 127, half ? roundToHalf : undefined);
    error = quant.error;
    // ai.onnx DequantizeLinear takes a per-axis scale from opset 13 and an fp16 scale from 19; com.microsoft's takes both at any opset.
    const domain = opset < (half ? 19 : 13) ? 'com.microsoft' : '';
    const r = await int8WeightTensors(names, base, dims, group.axis, quant, half ? DataType.FLOAT16 : DataType.FLOAT, domain, base);
    tensors = r.tensors;
    top.push(r.node);
  }
  for (const t of tensors) await writer.store(t, t.rawData);
  return { nodes, top, inits: tensors, error };
}

/** "MatMulNBits (…) for 14 MatMul, 3 Gemm; GatherBlockQuantized …": what the rewrite writes, from the groups. */
function streamFormat(plan: Plan, groups: Iterable<StreamGroup>, accuracyLevel: number): string {
  const opsOf = (how: StreamGroup['how']) => {
    const counts = new Map<string, number>();
    for (const g of groups) if (g.how === how) counts.set(g.op, (counts.get(g.op) ?? 0) + g.targets.length);
    return [...counts].map(([op, n]) => `${n} ${op}`).join(', ');
  };
  const parts: string[] = [];
  const nbits = opsOf('nbits');
  const gather = opsOf('gather');
  const int8 = opsOf('int8');
  if (nbits) parts.push(`MatMulNBits (com.microsoft), ${plan.storageBits}-bit, block ${plan.blockSize}, accuracy_level ${accuracyLevel}${plan.method === 'hqq' ? ', float zero points' : ''}, for ${nbits}`);
  if (gather) parts.push(`GatherBlockQuantized (com.microsoft), ${plan.storageBits}-bit, block ${plan.blockSize}, for ${gather}`);
  if (int8) parts.push(`DequantizeLinear (int8, per output channel) feeding ${int8}`);
  return parts.join('; ');
}

/** Copies an external tensor into the output data file, chunk by chunk. */
function copyTensor(job: Job, fd: number, location: ExternalLocation, writer: DataWriter): number {
  const offset = writer.begin();
  for (let start = 0; start < location.length; start += CHUNK_BYTES) {
    job.checkCancelled();
    writer.write(readExternalBytes(fd, location, start, Math.min(CHUNK_BYTES, location.length - start)));
  }
  return offset;
}

/** Converts an fp32 tensor to fp16/bf16 chunk by chunk, external or inline. */
async function halfTensor(job: Job, tensor: TensorProto, location: ExternalLocation | undefined, fd: number | undefined, format: 'fp16' | 'bf16', name: string, writer: DataWriter): Promise<TensorProto> {
  const dims = tensorDims(tensor);
  const half = await makeTensor(name, format === 'fp16' ? DataType.FLOAT16 : DataType.BFLOAT16, dims, new Uint8Array(0));
  if (!location || fd === undefined) {
    await writer.store(half, float16Raw(tensorToFloat32(tensor), format));
    return half;
  }
  const conv = format === 'fp16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
  const offset = writer.begin();
  for (let start = 0; start < location.length; start += CHUNK_BYTES) {
    job.checkCancelled();
    const raw = readExternalBytes(fd, location, start, Math.min(CHUNK_BYTES, location.length - start));
    const values = new DataView(raw.buffer);
    const out = new Uint8Array(raw.length / 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < raw.length / 4; i++) view.setUint16(i * 2, conv(values.getFloat32(i * 4, true)), true);
    writer.write(out);
  }
  await setExternal(half, writer.location, offset, location.length / 2);
  return half;
}

/* ------------------------------------------------------------------------------------ */
/* The job                                                                               */
/* ------------------------------------------------------------------------------------ */

interface Written {
  /** The temporary folder beside `out` that holds the new model and its data file until they are measured. */
  temp: string;
  /** The new model inside `temp`, named like `out` (its data file is `<name>.data` beside it). */
  model: string;
  dataFile: string;
  sizeBytes: number;
  quantized: number;
  skipped: number;
  errors: number[];
  format: string;
  notes: string[];
  /** Rewritten reading nodes by op type. */
  layersByOp: Record<string, number>;
}

/**
 * Writes the quantized model, one tensor at a time, into a new temporary folder beside `out`
 * (as `<name>` and `<name>.data`); the caller measures it there and moves it to `out`
 * (commitFrom). On failure the folder is removed.
 */
async function writeStreamed(job: Job, source: LazyModel, plan: Plan, out: string, accuracyLevel: number): Promise<Written> {
  const model = source.model;
  const target = resolve(out);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new EngineError('notFound', `The output folder ${dir} does not exist.`, 'Create it, or choose another --out path.');
  const dataName = `${basename(target)}.data`;
  const dataTarget = join(dir, dataName);
  for (const loc of source.external.values()) {
    if (resolve(loc.file) === dataTarget || resolve(loc.file) === target) throw new EngineError('badRequest', `The output ${basename(target)} would overwrite the source model's external data ${basename(loc.file)}.`, 'Choose another --out path.');
  }
  const temp = mkdtempSync(join(dir, `.${basename(target)}.tmp-`));
  const dataTemp = join(temp, dataName);
  const modelTemp = join(temp, basename(target));
  const names = new NameScope(model);
  const notes: string[] = [];
  const errors: number[] = [];
  let quantized = 0;
  let skipped = 0;
  let format: string;
  const opset = opsetVersion(model);
  const layersByOp: Record<string, number> = {};

  // Which initializers are rewritten: MatMul, Gemm and Gather weights read by those nodes only.
  const groups = new Map<TensorProto, StreamGroup>();
  const initGraph = new Map<TensorProto, GraphProto>();
  forEachGraph(model.graph!, (g) => {
    for (const t of g.initializer) initGraph.set(t, g);
  });
  if (plan.kind !== 'float') {
    const all = findQuantTargets(model, { minElements: 1 }).filter((t) => STREAM_OPS.has(t.op));
    const big = all.filter((t) => elementCount(t.dims) >= plan.minElements);
    skipped = all.length - big.length;
    const uses = new Map<string, number>();
    forEachGraph(model.graph!, (g) => {
      for (const n of g.node) for (const i of n.input) uses.set(i, (uses.get(i) ?? 0) + 1);
      for (const o of g.output) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
    });
    const grouped = new Map<TensorProto, QuantTarget[]>();
    for (const t of big) grouped.set(t.weight.tensor, [...(grouped.get(t.weight.tensor) ?? []), t]);
    for (const [tensor, list] of grouped) {
      const group = streamGroup(plan, list, uses.get(list[0].weight.name) ?? 0);
      if (group) groups.set(tensor, group);
      else skipped += list.length;
    }
    format = streamFormat(plan, groups.values(), accuracyLevel);
    if (plan.bits === 3) notes.push('onnxruntime has no 3-bit kernel: the 8 levels of each 3-bit weight are stored in 4-bit MatMulNBits containers, so the file is the size of a 4-bit one; the accuracy is that of 3 bits.');
  } else {
    format = `${plan.floatFormat} initializers, Cast to fp32 before use (compute stays fp32)`;
  }

  // Every tensor to process, in the order of the source files (sequential reads).
  const work: TensorProto[] = [];
  forEachGraph(model.graph!, (g) => {
    for (const t of g.initializer) work.push(t);
    for (const n of g.node) for (const a of n.attribute) if (a.t && source.external.has(a.t)) work.push(a.t);
  });
  const order = (t: TensorProto) => {
    const loc = source.external.get(t);
    return loc ? [loc.file, loc.offset] as const : ['', -1] as const;
  };
  work.sort((a, b) => {
    const [fa, oa] = order(a);
    const [fb, ob] = order(b);
    return fa === fb ? oa - ob : fa < fb ? -1 : 1;
  });

  const handles = new Map<string, number>();
  const fdFor = (loc: ExternalLocation | undefined) => {
    if (!loc) return undefined;
    let fd = handles.get(loc.file);
    if (fd === undefined) {
      fd = openSync(loc.file, 'r');
      handles.set(loc.file, fd);
    }
    return fd;
  };
  let dataFd: number | undefined;
  let usesMicrosoft = false;
  try {
    dataFd = openSync(dataTemp, 'w');
    const writer = new DataWriter(dataFd, dataName);
    for (let i = 0; i < work.length; i++) {
      job.checkCancelled();
      const tensor = work[i];
      const loc = source.external.get(tensor);
      const percent = 10 + (60 * i) / work.length;
      const group = groups.get(tensor);
      const graph = initGraph.get(tensor);
      if (group && graph) {
        job.progress(`Quantizing ${tensor.name} [${tensorDims(tensor).join('×')}] (${i + 1}/${work.length})`, percent);
        const rewrite = await quantizeGroup(job, plan, group, tensor, loc, fdFor(loc), accuracyLevel, names, writer, opset);
        for (const [node, replacement] of rewrite.nodes) {
          const g = group.targets.find((t) => t.node === node)!.graph;
          g.node.splice(g.node.indexOf(node), 1, ...replacement);
        }
        // The DequantizeLinear goes just before the first node that reads it, not at the top of the
        // graph: onnxruntime runs it at each inference (it does not fold DequantizeLinear), and a
        // dequantized weight made early stays in memory until its reader runs — all of them at the
        // top would hold the whole model dequantized at once (measured on the fp16 1.06B synthetic
        // LLM at 8 bits: peak 1.63× its size with them at the top, 1.49× placed here).
        const readerIndex = Math.min(...group.targets.filter((t) => t.graph === graph).map((t) => graph.node.indexOf(t.node)).filter((index) => index >= 0));
        graph.node.splice(Number.isFinite(readerIndex) ? readerIndex : 0, 0, ...rewrite.top);
        if ([...rewrite.top, ...[...rewrite.nodes.values()].flat()].some((n) => n.domain === 'com.microsoft')) usesMicrosoft = true;
        graph.initializer.splice(graph.initializer.indexOf(tensor), 1, ...rewrite.inits);
        graph.input = graph.input.filter((v) => v.name !== tensor.name);
        errors.push(rewrite.error);
        quantized += group.targets.length;
        layersByOp[group.op] = (layersByOp[group.op] ?? 0) + group.targets.length;
        continue;
      }
      if (plan.kind === 'float' && graph && tensor.dataType === DataType.FLOAT && elementCount(tensorDims(tensor)) >= plan.minElements) {
        job.progress(`Converting ${tensor.name} to ${plan.floatFormat} (${i + 1}/${work.length})`, percent);
        const half = await halfTensor(job, tensor, loc, fdFor(loc), plan.floatFormat, names.next(`${tensor.name}_${plan.floatFormat}`), writer);
        const cast = await makeNode('Cast', [half.name], [tensor.name], names.next(`${tensor.name}_Cast`), [await makeAttribute('to', DataType.FLOAT)]);
        graph.initializer.splice(graph.initializer.indexOf(tensor), 1, half);
        graph.node.unshift(cast);
        graph.input = graph.input.filter((v) => v.name !== tensor.name);
        quantized++;
        continue;
      }
      if (loc) {
        job.progress(`Copying ${tensor.name} (${i + 1}/${work.length})`, percent);
        const offset = copyTensor(job, fdFor(loc)!, loc, writer);
        await setExternal(tensor, dataName, offset, loc.length);
      }
    }
    if (quantized === 0) {
      throw new EngineError('unsupported', `${basename(source.path)} has no ${plan.kind === 'float' ? `fp32 weight of at least ${plan.minElements} elements` : `MatMul, Gemm or Gather with an fp32/fp16 initializer weight of at least ${plan.minElements} elements`} to quantize.`, `Lower minElements (a model/quantize request parameter, now ${plan.minElements}; the CLI has no option for it), or check the model with \`pepperpy-opt model inspect\`.`);
    }
    if (usesMicrosoft) await ensureOpset(model, 'com.microsoft', 1);
    job.checkCancelled();
    job.progress('Writing the new model', 72);
    fsyncSync(dataFd);
    closeSync(dataFd);
    dataFd = undefined;
    const bytes = await encodeModel(model);
    const mfd = openSync(modelTemp, 'w');
    try {
      let done = 0;
      while (done < bytes.length) done += writeSync(mfd, bytes, done, bytes.length - done);
      fsyncSync(mfd);
    } finally {
      closeSync(mfd);
    }
    job.checkCancelled();
    if (skipped > 0) notes.push(`${skipped} MatMul/Gemm/Gather layer(s) kept their weights (fewer than ${plan.minElements} elements, a weight also read by other nodes or through a chain, a Constant-node weight, or a type other than fp32/fp16).`);
    if (plan.kind !== 'float') {
      const kept = keptWeights(model, work, new Set(groups.keys()), plan.minElements);
      if (kept.length > 0) notes.push(keptWeightsNote(kept));
    }
    return { temp, model: modelTemp, dataFile: dataName, sizeBytes: bytes.length + writer.bytes, quantized, skipped, errors, format, notes, layersByOp };
  } catch (error) {
    if (dataFd !== undefined) closeSync(dataFd);
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    for (const fd of handles.values()) closeSync(fd);
  }
}

/** A weight the streaming path left in its source precision, and why. */
export interface KeptWeight {
  name: string;
  dims: number[];
  /** The operators that read it. */
  readers: string[];
  reason: string;
}

/** Operators whose weights the in-memory path quantizes but streaming copies (it rewrites MatMul, Gemm and Gather). */
const STREAM_COPIES: Record<string, string> = {
  Conv: 'a Conv weight: streaming quantizes MatMul, Gemm and Gather weights only',
  ConvTranspose: 'a ConvTranspose weight: streaming quantizes MatMul, Gemm and Gather weights only',
  LSTM: 'a recurrent (LSTM) weight: streaming quantizes MatMul, Gemm and Gather weights only',
  GRU: 'a recurrent (GRU) weight: streaming quantizes MatMul, Gemm and Gather weights only',
  RNN: 'a recurrent (RNN) weight: streaming quantizes MatMul, Gemm and Gather weights only',
};

/** The weight inputs of the operators the in-memory path quantizes. */
const WEIGHT_INPUTS: Record<string, number[]> = { MatMul: [1], Gemm: [1], Gather: [0], Conv: [1], ConvTranspose: [1], LSTM: [1, 2], GRU: [1, 2], RNN: [1, 2] };

/**
 * The float weights of at least `minElements` elements that were copied unchanged although a
 * linear layer, convolution, recurrent cell or embedding reads them, with the reason for each;
 * biases and normalization scales (read by other operators only) are not listed.
 */
export function keptWeights(model: ModelProto, tensors: readonly TensorProto[], rewritten: ReadonlySet<TensorProto>, minElements: number): KeptWeight[] {
  const readers = new Map<string, Set<string>>();
  // Ops that read a value at their weight input (a Gemm's bias or a Conv's input are not weights).
  const weightReaders = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, name: string, op: string) => map.set(name, (map.get(name) ?? new Set<string>()).add(op));
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) {
      n.input.forEach((i, index) => {
        if (i === '') return;
        add(readers, i, n.opType);
        if (WEIGHT_INPUTS[n.opType]?.includes(index)) add(weightReaders, i, n.opType);
      });
    }
  });
  const out: KeptWeight[] = [];
  for (const t of tensors) {
    if (rewritten.has(t) || (t.dataType !== DataType.FLOAT && t.dataType !== DataType.FLOAT16)) continue;
    const ops = [...(readers.get(t.name) ?? [])].sort();
    const dims = tensorDims(t);
    const count = elementCount(dims);
    const weighty = [...(weightReaders.get(t.name) ?? [])].sort();
    if (weighty.length === 0) continue;
    const op = weighty.find((o) => STREAM_OPS.has(o));
    let reason: string;
    if (op) {
      const others = ops.filter((o) => o !== op);
      reason = count < minElements ? `a ${op} weight of ${count} elements, below minElements ${minElements}` : others.length > 0 ? `a ${op} weight also read by ${others.join(', ')}` : dims.length !== 2 ? `a ${op} weight of rank ${dims.length} (streaming takes 2-D weights)` : `a ${op} weight read in a way streaming does not rewrite (a Constant node, several graphs, a Gather on another axis, or readers that disagree on the channel axis)`;
    } else if (count < minElements) {
      reason = `${count} elements, below minElements ${minElements}`;
    } else {
      reason = weighty.map((o) => STREAM_COPIES[o]).join('; ');
    }
    out.push({ name: t.name, dims, readers: ops, reason });
  }
  return out;
}

/** One note naming every weight that stayed in its source precision (at most 40 by name, then a count), grouped by reason. */
export function keptWeightsNote(kept: readonly KeptWeight[]): string {
  const byReason = new Map<string, KeptWeight[]>();
  for (const k of kept) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k]);
  let named = 0;
  const parts = [...byReason].map(([reason, list]) => {
    const shown = list.slice(0, Math.max(0, 40 - named));
    named += shown.length;
    const rest = list.length - shown.length;
    return `${shown.map((k) => `"${k.name}" [${k.dims.join('×')}]`).join(', ')}${rest > 0 ? `${shown.length > 0 ? ' and ' : ''}${rest} more` : ''} (${reason})`;
  });
  return `${kept.length} weight${kept.length === 1 ? '' : 's'} stayed in ${kept.length === 1 ? 'its' : 'their'} source precision (copied unchanged): ${parts.join('; ')}.`;
}

/** Token inputs for a language model (one int64 input [batch, sequence]); undefined for other models. */
function languageModelSet(source: LazyModel, inputs: InputInfo[], outputNames: string[], batches: number): EvalSet | undefined {
  const ints = inputs.filter((i) => i.type === 'int64');
  if (inputs.length !== 1 || ints.length !== 1 || ints[0].shape.length !== 2 || outputNames.length === 0) return undefined;
  const input = ints[0];
  const batch = typeof input.shape[0] === 'number' && input.shape[0] > 0 ? input.shape[0] : 1;
  const seq = typeof input.shape[1] === 'number' && input.shape[1] > 0 ? input.shape[1] : LM_SEQUENCE;
  const output = source.model.graph!.output.find((o) => o.name === outputNames[0]);
  const outType = output?.type?.value.case === 'tensorType' ? output.type.value.value : undefined;
  const last = outType?.shape?.dim[outType.shape.dim.length - 1]?.value;
  const vocab = last?.case === 'dimValue' ? Number(last.value) : 0;
  const random = seededRandom(7);
  const ids = Math.max(2, vocab || 256);
  const feeds: Record<string, FeedTensor>[] = [];
  for (let b = 0; b < batches; b++) {
    feeds.push({ [input.name]: { type: 'int64', data: BigInt64Array.from({ length: batch * seq }, () => BigInt(Math.floor(random() * ids))), dims: [batch, seq] } });
  }
  return {
    batches: feeds,
    description: `${batches * batch} sequences of ${seq} seeded random token ids (batch ${batch}; a short sequence, so that a model of this size runs in seconds)`,
    samples: batches * batch,
    kind: { languageModel: { input: input.name, output: outputNames[0], vocab, seqLen: seq, byteLevel: vocab === 256 } },
  };
}

/** The main graph's inputs (not initializers) as onnxruntime would list them. */
function graphInputs(source: LazyModel): InputInfo[] {
  const graph = source.model.graph!;
  const inits = new Set(graph.initializer.map((t) => t.name));
  const types: Record<number, string> = { 1: 'float32', 10: 'float16', 7: 'int64', 6: 'int32', 9: 'bool' };
  return graph.input
    .filter((v) => !inits.has(v.name))
    .map((v) => {
      const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
      const shape = (t?.shape?.dim ?? []).map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : -1));
      return { name: v.name, type: types[t?.elemType ?? 0] ?? 'unknown', shape };
    });
}

/* ------------------------------------------------------------------------------------ */
/* Running a model too large for one session, segment by segment                          */
/* ------------------------------------------------------------------------------------ */

interface Segment {
  nodes: NodeProto[];
  inputs: string[];
  outputs: string[];
  initializers: TensorProto[];
  bytes: number;
}

/** Every value a node reads, including those its subgraphs read from the enclosing scope. */
function nodeReads(node: NodeProto): string[] {
  const reads = node.input.filter((i) => i !== '');
  for (const a of node.attribute) {
    for (const g of [...(a.g ? [a.g] : []), ...a.graphs]) {
      forEachGraph(g, (sub) => {
        const local = new Set<string>([...sub.initializer.map((t) => t.name), ...sub.input.map((v) => v.name)]);
        for (const n of sub.node) for (const o of n.output) local.add(o);
        for (const n of sub.node) for (const i of n.input) if (i !== '' && !local.has(i)) reads.push(i);
        for (const o of sub.output) if (!local.has(o.name)) reads.push(o.name);
      });
    }
  }
  return reads;
}

/**
 * Splits the main graph (in its topological node order) into consecutive segments whose
 * weights take at most about `maxBytes` each; values that cross a cut become outputs of the
 * segment that makes them and inputs of the ones that read them.
 */
function planSegments(source: LazyModel, maxBytes: number): Segment[] {
  const graph = source.model.graph!;
  const inits = new Map(graph.initializer.map((t) => [t.name, t]));
  const bytesOf = (t: TensorProto) => source.external.get(t)?.length ?? t.rawData.length;
  const reads = graph.node.map(nodeReads);
  const segments: Segment[] = [];
  let current: { nodes: NodeProto[]; reads: Set<string>; bytes: number } = { nodes: [], reads: new Set(), bytes: 0 };
  const close = () => {
    if (current.nodes.length === 0) return;
    segments.push({ nodes: current.nodes, inputs: [], outputs: [], initializers: [...current.reads].filter((r) => inits.has(r)).map((r) => inits.get(r)!), bytes: current.bytes });
    current = { nodes: [], reads: new Set(), bytes: 0 };
  };
  graph.node.forEach((node, i) => {
    let added = 0;
    for (const r of reads[i]) {
      const t = inits.get(r);
      if (t && !current.reads.has(r)) added += bytesOf(t);
    }
    if (current.nodes.length > 0 && current.bytes + added > maxBytes) close();
    for (const r of reads[i]) {
      const t = inits.get(r);
      if (t && !current.reads.has(r)) current.bytes += bytesOf(t);
      current.reads.add(r);
    }
    current.nodes.push(node);
  });
  close();
  // Inputs: what a segment reads that is neither its own initializer nor made inside it.
  const graphOutputs = new Set(graph.output.map((o) => o.name));
  const neededLater = new Set<string>(graphOutputs);
  for (let s = segments.length - 1; s >= 0; s--) {
    const seg = segments[s];
    const made = new Set<string>();
    for (const n of seg.nodes) for (const o of n.output) if (o !== '') made.add(o);
    seg.outputs = [...made].filter((o) => neededLater.has(o));
    const own = new Set(seg.initializers.map((t) => t.name));
    const inputs = new Set<string>();
    for (const n of seg.nodes) for (const r of nodeReads(n)) if (!own.has(r) && !made.has(r)) inputs.add(r);
    seg.inputs = [...inputs];
    for (const r of inputs) neededLater.add(r);
  }
  return segments;
}

const ELEM_TYPES: Record<string, number> = { float32: 1, float16: 10, int64: 7, int32: 6, bool: 9 };

/** A segment as a self-contained model (its weights read from disk into it), encoded. */
async function segmentModel(source: LazyModel, seg: Segment, inputTypes: Map<string, string>): Promise<Uint8Array> {
  const onnx = await onnxSchema();
  const graph = source.model.graph!;
  const declared = new Map(graph.input.map((v) => [v.name, v]));
  const valueInfo = (name: string) => {
    const elemType = ELEM_TYPES[inputTypes.get(name) ?? ''];
    if (elemType === undefined) throw new EngineError('unsupported', `The value "${name}" crosses a segment boundary with type ${inputTypes.get(name) ?? 'unknown'}, which cannot be passed between segments.`);
    return onnx.create(onnx.ValueInfoProtoSchema, { name, type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType }) } }) });
  };
  // External tensors (here and in subgraphs) are loaded only while the segment is encoded.
  const loaded: { tensor: TensorProto; externalData: TensorProto['externalData'] }[] = [];
  const handles = new Map<string, number>();
  try {
    const load = (t: TensorProto) => {
      const loc = source.external.get(t);
      if (!loc) return;
      let fd = handles.get(loc.file);
      if (fd === undefined) {
        fd = openSync(loc.file, 'r');
        handles.set(loc.file, fd);
      }
      loaded.push({ tensor: t, externalData: t.externalData });
      t.rawData = readExternalBytes(fd, loc);
      t.externalData = [];
      onnx.clearField(t, onnx.TensorProtoSchema.field.dataLocation);
    };
    for (const t of seg.initializers) load(t);
    for (const n of seg.nodes) {
      for (const a of n.attribute) {
        if (a.t) load(a.t);
        for (const g of [...(a.g ? [a.g] : []), ...a.graphs]) forEachGraph(g, (sub) => sub.initializer.forEach(load));
      }
    }
    const model = onnx.create(onnx.ModelProtoSchema, {
      ...source.model,
      graph: onnx.create(onnx.GraphProtoSchema, {
        name: `${graph.name}_segment`,
        node: seg.nodes,
        initializer: seg.initializers,
        input: seg.inputs.map((i) => declared.get(i) ?? valueInfo(i)),
        output: seg.outputs.map((o) => onnx.create(onnx.ValueInfoProtoSchema, { name: o })),
      }),
    });
    return await encodeModel(model);
  } finally {
    for (const fd of handles.values()) closeSync(fd);
    for (const { tensor, externalData } of loaded) {
      tensor.rawData = new Uint8Array(0);
      tensor.externalData = externalData;
      tensor.dataLocation = 1;
    }
  }
}

/** An output of one segment as the input of the next (same element type). */
function asFeed(out: OutputTensor): FeedTensor {
  const d = out.data;
  switch (out.type) {
    case 'float32': return { type: 'float32', data: d, dims: out.dims };
    case 'float16': return { type: 'float16', data: Uint16Array.from(d, float32ToFloat16Bits), dims: out.dims };
    case 'int64': return { type: 'int64', data: BigInt64Array.from(d, (x) => BigInt(Math.round(x))), dims: out.dims };
    case 'int32': return { type: 'int32', data: Int32Array.from(d), dims: out.dims };
    case 'bool': return { type: 'bool', data: Uint8Array.from(d), dims: out.dims };
    default: throw new EngineError('unsupported', `A value of type ${out.type} crosses a segment boundary; it cannot be passed between segments.`);
  }
}

/**
 * Runs a model one segment at a time (one segment's session in memory at once) on every
 * batch of `set`, timing each segment on the first batch; the model's time is the sum of
 * the segments' medians.
 */
async function runSegmented(job: Job, source: LazyModel, device: Parameters<typeof openSession>[1], set: EvalSet, maxBytes: number): Promise<Measured & { set: EvalSet; segments: number }> {
  const segments = planSegments(source, maxBytes);
  const values = set.batches.map((feed) => new Map<string, FeedTensor>(Object.entries(feed)));
  const finals = set.batches.map(() => new Map<string, Float32Array>());
  const graphOutputs = source.model.graph!.output.map((o) => o.name);
  const types = new Map<string, string>();
  let ms = 0;
  let runs = Infinity;
  let ep: ExecutionProviderName = 'cpu';
  const notes: string[] = [];
  for (let s = 0; s < segments.length; s++) {
    job.checkCancelled();
    job.progress(`Running the original model, segment ${s + 1}/${segments.length}`, 4 + (5 * s) / segments.length);
    const seg = segments[s];
    for (const name of seg.inputs) {
      const v = values[0].get(name);
      if (v) types.set(name, v.type);
    }
    let bytes: Uint8Array | undefined = await segmentModel(source, seg, types);
    const session = await openSession(bytes, device, {}, `${basename(source.path)} (segment ${s + 1}/${segments.length})`);
    bytes = undefined;
    try {
      ep = session.executionProvider;
      if (session.fallbackNote && notes.length === 0) notes.push(session.fallbackNote);
      const feedOf = (b: number) => {
        const feed: Record<string, FeedTensor> = {};
        for (const name of seg.inputs) {
          const v = values[b].get(name);
          if (!v) throw new EngineError('internal', `Segment ${s + 1} reads "${name}", which no earlier segment produced.`);
          feed[name] = v;
        }
        return feed;
      };
      for (let b = 0; b < values.length; b++) {
        job.checkCancelled();
        const out = await session.run(feedOf(b), seg.outputs);
        for (const [name, t] of Object.entries(out)) {
          values[b].set(name, asFeed(t));
          if (graphOutputs.includes(name)) finals[b].set(name, t.data);
        }
      }
      const timing = await timeSession(session, feedOf(0), { warmup: 1, runs: 5, maxMs: 30_000 });
      ms += timing.medianMs;
      runs = Math.min(runs, timing.runs);
    } finally {
      await session.release();
    }
    // Values no later segment reads are dropped.
    const later = new Set<string>(graphOutputs);
    for (let t = s + 1; t < segments.length; t++) for (const i of segments[t].inputs) later.add(i);
    for (const v of values) for (const name of [...v.keys()]) if (!later.has(name)) v.delete(name);
  }
  const outputs: Outputs = { names: graphOutputs, perBatch: finals.map((m) => graphOutputs.map((n) => m.get(n) ?? new Float32Array(0))) };
  return { outputs, ms, runs: Number.isFinite(runs) ? runs : 0, ep, notes, set, segments: segments.length };
}

interface Measured {
  outputs: Outputs;
  ms: number;
  runs: number;
  ep: ExecutionProviderName;
  notes: string[];
}

/** Runs one model on the evaluation inputs, times it, and releases it before returning. */
async function runOnce(job: Job, model: string, device: Parameters<typeof openSession>[1], strict: boolean, label: string, makeSet: (session: RuntimeSession) => Promise<EvalSet>): Promise<Measured & { set: EvalSet }> {
  const session = await openSession(model, device, strict ? { strictDevice: true } : {}, label);
  try {
    const set = await makeSet(session);
    const outputs = await runAll(session, set, job.token);
    job.checkCancelled();
    const timing = await timeSession(session, set.batches[0], { warmup: 1, runs: 5, maxMs: 30_000 });
    const notes = session.fallbackNote ? [session.fallbackNote] : [];
    return { outputs, ms: timing.medianMs, runs: timing.runs, ep: session.executionProvider, notes, set };
  } finally {
    await session.release();
  }
}

/** Bytes of fp16/bf16 initializers. */
function halfBytes(source: LazyModel): number {
  let total = 0;
  forEachGraph(source.model.graph!, (g) => {
    for (const t of g.initializer) if (t.dataType === DataType.FLOAT16 || t.dataType === DataType.BFLOAT16) total += source.external.get(t)?.length ?? t.rawData.length;
  });
  return total;
}

function largestTensor(source: LazyModel): number {
  let most = 0;
  for (const loc of source.external.values()) most = Math.max(most, loc.length);
  return most;
}

/** What one onnxruntime session of the original is expected to hold: its size, plus fp32 copies of half weights on CPU. */
function sessionBytesEstimate(source: LazyModel, device: string): number {
  const cpuOnly = device === 'cpu' || (device === 'auto' && availableProviders().every((p) => p === 'cpu'));
  return source.sizeBytes + (cpuOnly ? 2 * halfBytes(source) : 0);
}

/** Peak resident memory of this process so far (Linux), bytes. */
export function peakRss(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Quantizes a model whose weights are in external data without loading them all: see the
 * module comment. Same parameters and result as ModelQuantizer.quantize.
 */
export async function streamQuantize(raw: ModelQuantizeParams, ctx: JobContext = {}): Promise<QuantizedModel> {
  const p = parseParams(ModelQuantizeParamsSchema, raw, 'model/quantize');
  const job = new Job(ctx);
  const plan = planFor(p);
  job.progress('Reading the model graph (weights stay on disk)', 2);
  if (p.inputsPath || p.calibrationData) job.notes.push(`${p.inputsPath ? '--inputs (inputsPath)' : '--data (calibrationData)'} is not used when a model is quantized by streaming: fidelity and speed are measured on generated inputs (see Fidelity.inputs).`);
  const source = await readModelLazy(p.modelPath);
  assertFloatModel(source.model, p.modelPath);
  const suffix = plan.kind === 'float' ? p.floatFormat : `q${p.bits}${p.method === 'rtn' ? '' : `-${p.method}`}`;
  const out = outputPath(p.modelPath, suffix, p.outPath);

  // The original runs first and is released before anything else is loaded. onnxruntime's CPU
  // provider computes fp16 MatMuls in fp32 and keeps fp32 copies of fp16 weights (2× the file);
  // such models run one segment at a time so that the whole job stays near the model's size.
  job.progress('Running the original model on the evaluation inputs', 4);
  const inputs = graphInputs(source);
  if (inputs.length === 0) throw noInputsError(p.modelPath);
  const outputNames = source.model.graph!.output.map((o) => o.name);
  if (outputNames.length === 0) throw noOutputsError(p.modelPath);
  const lmSet = languageModelSet(source, inputs, outputNames, 2);
  const expected = sessionBytesEstimate(source, p.device);
  // Each segment is encoded as one protobuf message, which cannot pass 2 GB.
  const segmentBytes = Math.max(largestTensor(source), Math.floor(Math.min(source.sizeBytes / 8, 2 ** 30)));
  let reference: Measured & { set: EvalSet };
  if (lmSet && expected > source.sizeBytes * 1.25) {
    const run = await runSegmented(job, source, p.device, lmSet, segmentBytes);
    job.notes.push(`The original model ran in ${run.segments} segments, one at a time (onnxruntime on CPU would hold fp32 copies of its ${(halfBytes(source) / 2 ** 20).toFixed(0)} MiB of fp16 weights, about ${(expected / 2 ** 20).toFixed(0)} MiB in one session); its time is the sum of the segments' medians.`);
    reference = run;
  } else {
    reference = await runOnce(job, p.modelPath, p.device, false, p.modelPath, async (session) => lmSet ?? buildInputs(session, { batchSize: 1, batches: 2, part: 'eval' }));
  }
  const ep = reference.ep;
  const peakAfterReference = peakRss();
  const accuracyLevel = p.accuracyLevel ?? (ep === 'cpu' ? 4 : 0);
  job.checkCancelled();

  const written = await writeStreamed(job, source, plan, out, accuracyLevel);
  let candidate: Measured;
  const peakAfterWrite = peakRss();
  try {
    job.progress('Loading the new model and measuring fidelity and speed against the original', 80);
    candidate = await runOnce(job, written.model, ep, true, 'the new model', async () => reference.set);
    job.checkCancelled();
    commitFrom(written.temp, out, written.dataFile);
  } catch (error) {
    // A model that was cancelled, or cannot be run, is never moved to `out`.
    if (error instanceof EngineError && error.code !== 'cancelled') throw new EngineError(error.code, `${error.message.replace(/\.?$/, '.')} Nothing was written to ${out}.`, error.hint);
    throw error;
  } finally {
    rmSync(written.temp, { recursive: true, force: true });
  }
  job.notes.push(...reference.notes, ...written.notes);
  job.notes.push(`Quantized by streaming: the graph was read without its weights, and each weight was read from ${source.externalFiles.join(', ')} at its offset, quantized and appended to ${written.dataFile}, so memory held one tensor at a time.`);
  job.notes.push(`Checked before writing ${basename(out)}: onnxruntime loads it and its outputs are finite.`);
  const fidelity = compareOutputs(reference.outputs, candidate.outputs, reference.set);
  const firstInput = Object.values(reference.set.batches[0])[0];
  const speed: SpeedMeasurement = { referenceMs: reference.ms, optimizedMs: candidate.ms, speedup: reference.ms / candidate.ms, batchSize: firstInput?.dims[0] ?? 1, runs: Math.min(reference.runs, candidate.runs) };
  job.notes.push(`Speed: medians of ${speed.runs} runs each on ${ep}, batch ${speed.batchSize}; the original was timed and released before the new model was loaded (one model in memory at a time), so the two timings are sequential rather than interleaved.`);
  const peak = peakRss();
  if (peak !== undefined) {
    const mib = (b: number | undefined) => `${((b ?? 0) / 2 ** 20).toFixed(0)} MiB`;
    job.notes.push(`Peak resident memory of the engine process (VmHWM): ${mib(peak)} for a model of ${mib(source.sizeBytes)} on disk (${(peak / source.sizeBytes).toFixed(2)}×); ${mib(peakAfterReference)} after running the original, ${mib(peakAfterWrite)} after writing the new model.`);
  }
  if (written.sizeBytes === source.sizeBytes) job.warnings.push(`The new model (${mb(written.sizeBytes)} MB) is not smaller than the original (${mb(source.sizeBytes)} MB): there is no size reduction.`);
  const weightError = written.errors.length > 0 ? written.errors.reduce((a, b) => a + b, 0) / written.errors.length : 0;
  const { newSize, ...shared } = assembleResult(job, {
    out,
    sourceBytes: source.sizeBytes,
    newBytes: written.sizeBytes,
    fidelity,
    speed,
    executionProvider: ep,
    deviceWarning: deviceFallbackWarning(p.device, ep),
    alternative: unfaithfulAlternative({ verb: 'quantize', bits: p.bits, quantizationType: p.quantizationType }),
  });
  return {
    ...shared,
    quantizedSize: newSize,
    quantizedSizeMb: mb(newSize),
    bits: p.bits,
    storageBits: plan.storageBits,
    quantizationType: p.quantizationType,
    method: p.method,
    format: written.format,
    layersQuantized: written.quantized,
    layersSkipped: written.skipped,
    weightError: round(weightError, 6),
    ...(plan.kind === 'float' ? {} : { chosenFormat: plan.kind === 'int8' ? ('weight-only' as const) : ('nbits' as const), formatReason: 'The model is quantized by streaming (weights in external data, too large to hold several copies in memory); this is the format streaming writes for this bit width.', layersByOp: written.layersByOp }),
  };
}

/**
 * Runs a model segment by segment (at most about `maxBytes` of weights per session) on the
 * given feeds and returns its graph outputs per feed: the path the original takes when one
 * session of it would not fit (exported for tests and benchmarks).
 */
export async function runInSegments(modelPath: string, feeds: Record<string, FeedTensor>[], maxBytes: number, ctx: JobContext = {}): Promise<{ outputs: Outputs; segments: number }> {
  const source = await readModelLazy(modelPath);
  const set: EvalSet = { batches: feeds, description: 'given feeds', samples: feeds.length, kind: {} };
  const run = await runSegmented(new Job(ctx), source, 'cpu', set, maxBytes);
  return { outputs: run.outputs, segments: run.segments };
}
