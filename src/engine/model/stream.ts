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
 * | request            | graph                                                  |
 * | ------------------ | ------------------------------------------------------ |
 * | int, 4 / 3 / 2 bits | MatMulNBits (com.microsoft), rtn or hqq, block-wise   |
 * | int, 8 bits         | DequantizeLinear (int8, per column) + MatMul          |
 * | float, 16 bits      | fp16 / bf16 initializers + Cast to fp32                |
 */
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { ModelQuantizeParamsSchema, type ExecutionProviderName, type ModelQuantizeParams, type QuantizedModel, type SpeedMeasurement } from '../../protocol/model';
import { buildInputs, compareOutputs, deviceFallbackWarning, noInputsError, runAll, type EvalSet, type Outputs } from './evaluate';
import { assertFloatModel, ensureOpset, findLinears, makeAttribute, makeNode, NameScope, opsetVersion, type LinearRef } from './graph';
import { assembleResult, commitFrom, Job, mb, outputPath, parseParams, round, unfaithfulAlternative, type JobContext } from './job';
import { seededRandom } from './linalg';
import {
  DataType,
  defaultMemoryBudget,
  elementCount,
  float16BitsToFloat32,
  float16Raw,
  float32Raw,
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
import { packLevels, packZeros, quantizeHqq, quantizeRtn, type BlockQuant } from './quantMath';
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

/** Symmetric int8 per output column (±127), scales rounded to the activations' float type first. */
function int8PerColumn(w: Float32Array, k: number, n: number, half: boolean): { q: Int8Array; scales: Float32Array; error: number } {
  const scales = new Float32Array(n);
  for (let i = 0; i < k * n; i++) {
    const a = Math.abs(w[i]);
    const c = i % n;
    if (a > scales[c]) scales[c] = a;
  }
  for (let c = 0; c < n; c++) {
    const s = scales[c] > 0 ? scales[c] / 127 : 1;
    scales[c] = half ? float16BitsToFloat32(float32ToFloat16Bits(s)) : s;
  }
  const q = new Int8Array(k * n);
  let num = 0;
  let den = 0;
  for (let i = 0; i < k * n; i++) {
    const s = scales[i % n];
    const level = Math.max(-127, Math.min(127, Math.round(w[i] / s)));
    q[i] = level;
    const d = w[i] - Math.fround(level * s);
    num += d * d;
    den += w[i] * w[i];
  }
  return { q, scales, error: den > 0 ? Math.sqrt(num / den) : 0 };
}

interface Rewrite {
  nodes: Map<NodeProto, NodeProto[]>;
  inits: TensorProto[];
  error: number;
}

async function quantizeWeight(plan: Plan, linears: LinearRef[], w: Float32Array, half: boolean, accuracyLevel: number, names: NameScope, writer: DataWriter, opset: number): Promise<Rewrite> {
  const lin = linears[0];
  const base = lin.weight.name;
  const floatType = half ? DataType.FLOAT16 : DataType.FLOAT;
  const floats = (values: Float32Array) => (half ? float16Raw(values, 'fp16') : float32Raw(values));
  const nodes = new Map<NodeProto, NodeProto[]>();
  if (plan.kind === 'int8') {
    const { q, scales, error } = int8PerColumn(w, lin.k, lin.n, half);
    const wq = await makeTensor(names.next(`${base}_int8`), DataType.INT8, [lin.k, lin.n], new Uint8Array(0));
    await writer.store(wq, new Uint8Array(q.buffer));
    const sc = await makeTensor(names.next(`${base}_scale`), floatType, [lin.n], new Uint8Array(0));
    await writer.store(sc, floats(scales));
    const zp = await makeTensor(names.next(`${base}_zero_point`), DataType.INT8, [lin.n], new Uint8Array(0));
    await writer.store(zp, new Uint8Array(lin.n));
    // ai.onnx DequantizeLinear takes a per-axis scale from opset 13 and an fp16 scale from 19; com.microsoft's takes both at any opset.
    const microsoft = opset < (half ? 19 : 13);
    const deq = names.next(`${base}_dequantized`);
    const dq = await makeNode('DequantizeLinear', [wq.name, sc.name, zp.name], [deq], names.next(`${base}_DequantizeLinear`), [await makeAttribute('axis', 1)], microsoft ? 'com.microsoft' : '');
    let first = true;
    for (const l of linears) {
      const mm = await makeNode('MatMul', [l.node.input[0], deq], [...l.node.output], names.next(`${l.node.name || base}_MatMul`));
      nodes.set(l.node, first ? [dq, mm] : [mm]);
      first = false;
    }
    return { nodes, inits: [wq, sc, zp], error };
  }
  const q = plan.method === 'hqq' ? quantizeHqq(w, lin.k, lin.n, plan.bits, plan.blockSize) : quantizeRtn(w, lin.k, lin.n, plan.bits, plan.blockSize);
  const error = blockError(w, q);
  const containerBits = plan.storageBits as 2 | 4 | 8;
  const blob = (q.blockSize * containerBits) / 8;
  const b = await makeTensor(names.next(`${base}_Q${containerBits}`), DataType.UINT8, [q.n, q.nBlocks, blob], new Uint8Array(0));
  await writer.store(b, packLevels(q, containerBits));
  const scales = await makeTensor(names.next(`${base}_scales`), floatType, [q.n * q.nBlocks], new Uint8Array(0));
  await writer.store(scales, floats(q.scales));
  const zp = q.floatZeros
    ? await makeTensor(names.next(`${base}_zero_points`), floatType, [q.n * q.nBlocks], new Uint8Array(0))
    : await makeTensor(names.next(`${base}_zero_points`), DataType.UINT8, [q.n * Math.ceil((q.nBlocks * containerBits) / 8)], new Uint8Array(0));
  await writer.store(zp, q.floatZeros ? floats(q.zeros) : packZeros(q, containerBits));
  const attrs = async () => Promise.all([makeAttribute('K', q.k), makeAttribute('N', q.n), makeAttribute('bits', containerBits), makeAttribute('block_size', q.blockSize), makeAttribute('accuracy_level', accuracyLevel)]);
  for (const l of linears) {
    nodes.set(l.node, [await makeNode('MatMulNBits', [l.node.input[0], b.name, scales.name, zp.name], [...l.node.output], names.next(`${l.node.name || base}_MatMulNBits`), await attrs(), 'com.microsoft')]);
  }
  return { nodes, inits: [b, scales, zp], error };
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

  // Which initializers are rewritten: weights read only as the second input of MatMuls.
  const byWeight = new Map<TensorProto, LinearRef[]>();
  const initGraph = new Map<TensorProto, GraphProto>();
  forEachGraph(model.graph!, (g) => {
    for (const t of g.initializer) initGraph.set(t, g);
  });
  if (plan.kind !== 'float') {
    const linears = findLinears(model, plan.minElements);
    skipped = findLinears(model, 1).length - linears.length;
    const uses = new Map<string, number>();
    forEachGraph(model.graph!, (g) => {
      for (const n of g.node) for (const i of n.input) uses.set(i, (uses.get(i) ?? 0) + 1);
      for (const o of g.output) uses.set(o.name, (uses.get(o.name) ?? 0) + 1);
    });
    const grouped = new Map<string, LinearRef[]>();
    for (const l of linears) grouped.set(l.weight.name, [...(grouped.get(l.weight.name) ?? []), l]);
    for (const [name, list] of grouped) {
      const w = list[0].weight;
      const type = w.tensor.dataType;
      const ok = w.source === 'initializer' && (uses.get(name) ?? 0) === list.length && (type === DataType.FLOAT || type === DataType.FLOAT16);
      if (ok) byWeight.set(w.tensor, list);
      else skipped += list.length;
    }
    if (plan.kind === 'int8') format = 'DequantizeLinear (int8, per column) + MatMul';
    else {
      format = `MatMulNBits (com.microsoft), ${plan.storageBits}-bit, block ${plan.blockSize}, accuracy_level ${accuracyLevel}${plan.method === 'hqq' ? ', float zero points' : ''}`;
      if (plan.bits === 3) notes.push('onnxruntime has no 3-bit kernel: the 8 levels of each 3-bit weight are stored in 4-bit MatMulNBits containers, so the file is the size of a 4-bit one; the accuracy is that of 3 bits.');
    }
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
      const linears = byWeight.get(tensor);
      const graph = initGraph.get(tensor);
      if (linears && graph) {
        const lin = linears[0];
        job.progress(`Quantizing ${tensor.name} [${lin.k}×${lin.n}] (${i + 1}/${work.length})`, percent);
        const half = tensor.dataType === DataType.FLOAT16;
        const w = readFloats(tensor, loc, fdFor(loc));
        const rewrite = await quantizeWeight(plan, linears, w, half, accuracyLevel, names, writer, opset);
        for (const [node, replacement] of rewrite.nodes) {
          const g = linears.find((l) => l.node === node)!.graph;
          g.node.splice(g.node.indexOf(node), 1, ...replacement);
          if (replacement.some((n) => n.domain === 'com.microsoft')) usesMicrosoft = true;
        }
        graph.initializer.splice(graph.initializer.indexOf(tensor), 1, ...rewrite.inits);
        graph.input = graph.input.filter((v) => v.name !== tensor.name);
        errors.push(rewrite.error);
        quantized += linears.length;
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
      throw new EngineError('unsupported', `${basename(source.path)} has no ${plan.kind === 'float' ? `fp32 weight of at least ${plan.minElements} elements` : `MatMul with an fp32/fp16 initializer weight of at least ${plan.minElements} elements`} to quantize.`, `Lower minElements (a model/quantize request parameter, now ${plan.minElements}; the CLI has no option for it), or check the model with \`pepperpy-opt model inspect\`.`);
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
    if (skipped > 0) notes.push(`${skipped} linear layer(s) kept their weights (fewer than ${plan.minElements} elements, a weight also read by other nodes, a Constant-node weight, or a type other than fp32/fp16).`);
    if (plan.kind !== 'float') {
      const kept = keptWeights(model, work, new Set(byWeight.keys()), plan.minElements);
      if (kept.length > 0) notes.push(keptWeightsNote(kept));
    }
    return { temp, model: modelTemp, dataFile: dataName, sizeBytes: bytes.length + writer.bytes, quantized, skipped, errors, format, notes };
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

/** Operators whose weights the in-memory path quantizes but streaming copies (it rewrites MatMul only). */
const STREAM_COPIES: Record<string, string> = {
  Gemm: 'a Gemm weight: streaming quantizes MatMul weights only (the in-memory path quantizes Gemm per output channel)',
  Gather: 'an embedding table read by Gather: streaming quantizes MatMul weights only (the in-memory path uses int8 per row, or GatherBlockQuantized at 4 bits)',
  Conv: 'a Conv weight: streaming quantizes MatMul weights only',
  ConvTranspose: 'a ConvTranspose weight: streaming quantizes MatMul weights only',
  LSTM: 'a recurrent (LSTM) weight: streaming quantizes MatMul weights only',
  GRU: 'a recurrent (GRU) weight: streaming quantizes MatMul weights only',
  RNN: 'a recurrent (RNN) weight: streaming quantizes MatMul weights only',
};

/**
 * The float weights of at least `minElements` elements that were copied unchanged although a
 * linear layer, convolution, recurrent cell or embedding reads them, with the reason for each;
 * biases and normalization scales (read by other operators only) are not listed.
 */
export function keptWeights(model: ModelProto, tensors: readonly TensorProto[], rewritten: ReadonlySet<TensorProto>, minElements: number): KeptWeight[] {
  const readers = new Map<string, Set<string>>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) {
      for (const i of n.input) {
        if (i === '') continue;
        const set = readers.get(i) ?? new Set<string>();
        set.add(n.opType);
        readers.set(i, set);
      }
    }
  });
  const out: KeptWeight[] = [];
  for (const t of tensors) {
    if (rewritten.has(t) || (t.dataType !== DataType.FLOAT && t.dataType !== DataType.FLOAT16)) continue;
    const ops = [...(readers.get(t.name) ?? [])].sort();
    const dims = tensorDims(t);
    const count = elementCount(dims);
    const weighty = ops.filter((op) => op === 'MatMul' || op in STREAM_COPIES);
    if (weighty.length === 0) continue;
    let reason: string;
    if (ops.includes('MatMul')) {
      reason = count < minElements ? `a MatMul weight of ${count} elements, below minElements ${minElements}` : ops.length > 1 ? `a MatMul weight also read by ${ops.filter((op) => op !== 'MatMul').join(', ')}` : dims.length !== 2 ? `a MatMul weight of rank ${dims.length} (streaming takes 2-D weights)` : 'a MatMul weight read by several nodes or graphs';
    } else if (count < minElements) {
      reason = `${count} elements, below minElements ${minElements}`;
    } else {
      reason = weighty.map((op) => STREAM_COPIES[op]).join('; ');
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
    ...(plan.kind === 'float' ? {} : { chosenFormat: plan.kind === 'int8' ? ('weight-only' as const) : ('nbits' as const), formatReason: 'The model is quantized by streaming (weights in external data, too large to hold several copies in memory); this is the format streaming writes for this bit width.', layersByOp: { MatMul: written.quantized } }),
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
