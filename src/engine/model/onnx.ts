/**
 * ONNX reading and writing with full fidelity. The schema is the official `onnx.proto`
 * (ONNX 1.20, IR 12: float8/float4/int2 types, `overload`, `metadata_props`, device
 * configurations) compiled by `onnx-buf` for `@bufbuild/protobuf`, which also keeps any
 * field it does not know and writes it back, so a round trip drops nothing.
 *
 * `onnx-buf` ships only as an ES module; the engine compiles to CommonJS, so it is loaded
 * once with a dynamic `import()` (esbuild bundles it either way).
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { freemem, totalmem } from 'node:os';
import { basename, dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import type { AttributeProto, GraphProto, ModelProto, NodeProto, StringStringEntryProto, TensorProto } from 'onnx-buf' with { 'resolution-mode': 'import' };
import { EngineError, errorMessage } from '../../protocol/errors';
import { specialKind } from '../../shared/files';

export type { AttributeProto, GraphProto, ModelProto, NodeProto, TensorProto };

// Both come through import() so that their types resolve the same (ES module) way.
const loadSchema = async () => {
  const [schema, protobuf] = await Promise.all([import('onnx-buf'), import('@bufbuild/protobuf')]);
  return { ...schema, create: protobuf.create, fromBinary: protobuf.fromBinary, toBinary: protobuf.toBinary, equals: protobuf.equals, clearField: protobuf.clearField };
};
export type OnnxSchema = Awaited<ReturnType<typeof loadSchema>>;
let schemaPromise: Promise<OnnxSchema> | undefined;

/** The compiled ONNX schema (loaded once). */
export function onnxSchema(): Promise<OnnxSchema> {
  schemaPromise ??= loadSchema();
  return schemaPromise;
}

/** ONNX `TensorProto.DataType` values used here (the full enum is in the schema). */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 16: 2, 17: 1, 18: 1, 19: 1, 20: 1, 24: 1 };
/** Sub-byte types, in bits per element. */
const ELEMENT_BITS: Record<number, number> = { 21: 4, 22: 4, 23: 4, 25: 2, 26: 2 };

/** Attribute types (AttributeProto.AttributeType). */
export const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, GRAPHS: 10 } as const;

/** Limits that protect the engine from absurd or hostile files. */
export interface ReadLimits {
  /** The most bytes the model (file plus external data) may take; default: 75% of total memory. */
  maxBytes?: number;
  /** Load tensors stored in external files into memory (needed to edit weights). Default true. */
  loadExternalData?: boolean;
}

export interface LoadedModel {
  model: ModelProto;
  path: string;
  /** Bytes on disk: the .onnx file plus any external data files it references. */
  sizeBytes: number;
  /** External data files the model referenced, relative to its folder. */
  externalFiles: string[];
}

function bytesOf(dataType: number, count: number): number {
  const bits = ELEMENT_BITS[dataType];
  if (bits !== undefined) return Math.ceil((count * bits) / 8);
  return count * (ELEMENT_BYTES[dataType] ?? 0);
}

export function tensorDims(tensor: TensorProto): number[] {
  return tensor.dims.map((d) => Number(d));
}

export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function describe(path: string): string {
  return basename(path);
}

/** The memory the engine allows itself for one model: 75% of total memory, bounded by what is free plus a margin. */
export function defaultMemoryBudget(): number {
  return Math.floor(Math.min(totalmem() * 0.75, freemem() + totalmem() * 0.25));
}

/** Decodes model bytes; anything that is not a well-formed ONNX model becomes a clear `badRequest`. */
export async function decodeModel(bytes: Uint8Array, label = 'The input'): Promise<ModelProto> {
  const onnx = await onnxSchema();
  let model: ModelProto;
  try {
    model = onnx.fromBinary(onnx.ModelProtoSchema, bytes);
  } catch (error) {
    throw new EngineError('badRequest', `${label} is not a valid ONNX model: ${errorMessage(error)}.`, 'The file may be truncated or corrupted: export the model again.');
  }
  checkModel(model, label);
  return model;
}

export async function encodeModel(model: ModelProto): Promise<Uint8Array> {
  const onnx = await onnxSchema();
  return onnx.toBinary(onnx.ModelProtoSchema, model);
}

/** Structural checks that protobuf decoding does not do: a graph, opsets, sane tensor sizes. */
export function checkModel(model: ModelProto, label: string): void {
  if (!model.graph) throw new EngineError('badRequest', `${label} has no graph, so it is not an ONNX model (or it is truncated).`, 'Check that the file is a .onnx model.');
  if (model.irVersion <= 0n || model.irVersion > 64n) throw new EngineError('badRequest', `${label} declares IR version ${model.irVersion}, which is not a valid ONNX IR version.`, 'The file may be corrupted: export the model again.');
  if (model.opsetImport.length === 0) throw new EngineError('badRequest', `${label} imports no operator set.`, 'The file may be corrupted: export the model again.');
  forEachGraph(model.graph, (graph) => {
    for (const t of graph.initializer) checkTensor(t, label);
    for (const n of graph.node) {
      for (const a of n.attribute) {
        if (a.t) checkTensor(a.t, label);
        for (const t of a.tensors) checkTensor(t, label);
      }
    }
  });
}

const MAX_ELEMENTS = 2 ** 40;

function checkTensor(tensor: TensorProto, label: string): void {
  let count = 1;
  for (const d of tensor.dims) {
    if (d < 0n || d > BigInt(MAX_ELEMENTS)) throw new EngineError('badRequest', `${label}: tensor "${tensor.name}" has an impossible dimension ${d}.`, 'The file is corrupted or was not written by an ONNX exporter.');
    count *= Number(d);
  }
  if (count > MAX_ELEMENTS) throw new EngineError('tooLarge', `${label}: tensor "${tensor.name}" declares ${count.toExponential(2)} elements, more than any machine can hold.`, 'The file is corrupted, or the model is far too large for this tool.');
  if (isExternal(tensor)) return;
  const expected = bytesOf(tensor.dataType, count);
  if (tensor.rawData.length > 0 && expected > 0 && tensor.rawData.length !== expected) {
    throw new EngineError('badRequest', `${label}: tensor "${tensor.name}" declares ${count} elements (${expected} bytes) but holds ${tensor.rawData.length} bytes.`, 'The file is truncated or corrupted: export the model again.');
  }
}

/** The graphs a node holds in its attributes (If branches, Loop and Scan bodies), in attribute order. */
export function subgraphsOf(node: NodeProto): GraphProto[] {
  return node.attribute.flatMap((attr) => (attr.g ? [attr.g, ...attr.graphs] : attr.graphs));
}

/** Calls `visit` for a graph and every subgraph inside it (If/Loop/Scan bodies, at any depth). */
export function forEachGraph(graph: GraphProto, visit: (graph: GraphProto, depth: number) => void, depth = 0): void {
  visit(graph, depth);
  for (const node of graph.node) {
    for (const g of subgraphsOf(node)) forEachGraph(g, visit, depth + 1);
  }
}

/** Whether a tensor's values live in an external file (TensorProto.DataLocation.EXTERNAL). */
export function isExternal(tensor: TensorProto): boolean {
  return (tensor.dataLocation as number) === 1;
}

function externalEntry(tensor: TensorProto, key: string): string | undefined {
  return tensor.externalData.find((e) => e.key === key)?.value;
}

/** Resolves an external-data location, refusing paths that leave the model's folder. */
function externalPath(modelDir: string, location: string, label: string): string {
  const clean = normalize(location);
  if (isAbsolute(clean) || clean.startsWith('..')) throw new EngineError('badRequest', `${label} points its external data at "${location}", outside the model's folder.`, 'External data must sit beside the model.');
  return join(modelDir, clean);
}

/**
 * Checks an external-data file before it is sized or opened: it must be a regular file (a
 * FIFO would block the open for good, deaf to cancel; a folder or a device is no data file),
 * and, links followed, it must stay inside the model's folder (as onnxruntime requires).
 * Returns its size; a missing file is `undefined` (the caller says which tensor needs it).
 */
function externalFileSize(modelDir: string, file: string, location: string, label: string): number | undefined {
  let st;
  let real: string;
  try {
    st = statSync(file);
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  const home = realpathSync(modelDir);
  const rel = relative(home, real);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new EngineError('badRequest', `${label} keeps tensors in ${location}, which links to ${real}, outside the model's folder.`, 'Copy the external data file itself beside the model (not a link to it).');
  const kind = specialKind(st);
  if (kind) throw new EngineError('badRequest', `${label} keeps tensors in ${location}, which is ${kind}, not a file.`, 'Copy the external data file (a regular file) beside the model.');
  return st.size;
}

/** The file an external tensor's data is in (checked to stay in the model's folder), and its location as written. */
function externalFileOf(t: TensorProto, modelDir: string, label: string): { file: string; location: string } {
  const location = externalEntry(t, 'location');
  if (!location) throw new EngineError('badRequest', `${label}: tensor "${t.name}" is marked external but names no file.`, 'The model is corrupted: export it again.');
  return { file: externalPath(modelDir, location, label), location };
}

/** The size of an external data file, which must exist. */
function requireExternalFileSize(modelDir: string, t: TensorProto, file: string, location: string, label: string): number {
  const fileSize = externalFileSize(modelDir, file, location, label);
  if (fileSize === undefined) throw new EngineError('notFound', `${label} keeps tensor "${t.name}" in ${location}, which is missing.`, 'Copy the external data file beside the model.');
  return fileSize;
}

/** Where an external tensor's bytes are in its file, checked against the file's size and the tensor's shape. */
function externalSpan(t: TensorProto, file: string, fileSize: number, label: string): { offset: number; length: number } {
  const offset = Number(externalEntry(t, 'offset') ?? '0');
  const expected = bytesOf(t.dataType, elementCount(tensorDims(t)));
  const length = Number(externalEntry(t, 'length') ?? String(expected));
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > fileSize || (expected > 0 && length !== expected)) {
    throw new EngineError('badRequest', `${label}: tensor "${t.name}" wants bytes ${offset}..${offset + length} of ${basename(file)} (${fileSize} bytes; ${expected} expected).`, 'The external data file is truncated or does not belong to this model: copy or export it again.');
  }
  return { offset, length };
}

/** Reads a model from disk, with its external data, checking size against memory first. */
/** The .onnx file itself, decoded, and the tensors it keeps in external data (shared by readModel and readModelLazy). */
async function readGraph(path: string, budget: number): Promise<{ label: string; size: number; model: ModelProto; dir: string; externalTensors: TensorProto[] }> {
  const label = describe(path);
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new EngineError('badRequest', `${path} is a folder, not an .onnx file.`, 'Pass the path of the .onnx file inside it.');
    if (!st.isFile()) throw new EngineError('badRequest', `${path} is not a regular file: it is ${specialKind(st)}.`, 'Pass the path of an .onnx file.');
    size = st.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new EngineError('notFound', `No model at ${path}.`, 'Check the path of the .onnx file.');
    throw error;
  }
  if (size > budget) throw tooLarge(label, size, budget);
  if (size === 0) throw new EngineError('badRequest', `${label} is empty.`, 'The file may be truncated: export the model again.');
  const model = await decodeModel(readFileSync(path), label);
  const externalTensors: TensorProto[] = [];
  forEachGraph(model.graph!, (graph) => {
    for (const t of graph.initializer) if (isExternal(t)) externalTensors.push(t);
    for (const n of graph.node) for (const a of n.attribute) if (a.t && isExternal(a.t)) externalTensors.push(a.t);
  });
  return { label, size, model, dir: dirname(resolve(path)), externalTensors };
}

export async function readModel(path: string, limits: ReadLimits = {}): Promise<LoadedModel> {
  const budget = limits.maxBytes ?? defaultMemoryBudget();
  const { label, size, model, dir, externalTensors } = await readGraph(path, budget);
  const external = new Map<string, number>();
  let total = size;
  for (const t of externalTensors) {
    const { file, location } = externalFileOf(t, dir, label);
    if (!external.has(file)) {
      const fileSize = requireExternalFileSize(dir, t, file, location, label);
      external.set(file, fileSize);
      total += fileSize;
    }
  }
  if (total > budget) throw tooLarge(label, total, budget);

  if (limits.loadExternalData !== false && externalTensors.length > 0) {
    const onnx = await onnxSchema();
    const handles = new Map<string, number>();
    try {
      for (const t of externalTensors) {
        const { file } = externalFileOf(t, dir, label);
        const { offset, length } = externalSpan(t, file, external.get(file)!, label);
        let fd = handles.get(file);
        if (fd === undefined) {
          fd = openSync(file, 'r');
          handles.set(file, fd);
        }
        const data = new Uint8Array(length);
        readSync(fd, data, 0, length, offset);
        t.rawData = data;
        // The schema is proto2-style (explicit presence): clear the field rather than write DEFAULT.
        onnx.clearField(t, onnx.TensorProtoSchema.field.dataLocation);
        t.externalData = [];
      }
    } finally {
      for (const fd of handles.values()) closeSync(fd);
    }
  }
  return { model, path, sizeBytes: total, externalFiles: [...external.keys()].map((f) => basename(f)) };
}

function tooLarge(label: string, bytes: number, budget: number): EngineError {
  return new EngineError('tooLarge', `${label} takes ${(bytes / 2 ** 20).toFixed(1)} MiB, more than the ${(budget / 2 ** 20).toFixed(0)} MiB this machine can spare for it.`, 'Free memory, or work on a smaller model (or a machine with more memory).');
}

export interface WriteOptions {
  /** Store tensors of at least this many bytes in `<file>.data`; default: only when the model would pass 1.8 GB (protobuf's 2 GB limit). */
  externalDataMinBytes?: number;
}

const PROTOBUF_SAFE_BYTES = 1.8e9;

function modelDataBytes(model: ModelProto): number {
  let total = 0;
  forEachGraph(model.graph!, (g) => {
    for (const t of g.initializer) total += t.rawData.length;
  });
  return total;
}

/**
 * Writes a model atomically: everything goes to temporary files in the target folder,
 * which are flushed and then renamed over the targets, so a reader never sees half a
 * model and a failure leaves no partial file. Large tensors go to `<file>.data`.
 */
export async function writeModelAtomic(path: string, model: ModelProto, options: WriteOptions = {}): Promise<{ sizeBytes: number; externalDataFile?: string }> {
  const target = resolve(path);
  const dir = dirname(target);
  if (!existsSync(dir)) throw new EngineError('notFound', `The output folder ${dir} does not exist.`, 'Create it, or choose another --out path.');
  const threshold = options.externalDataMinBytes ?? (modelDataBytes(model) > PROTOBUF_SAFE_BYTES ? 1024 : Infinity);
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const dataName = `${basename(target)}.data`;
  const temps: string[] = [];
  try {
    let externalDataFile: string | undefined;
    let dataBytes = 0;
    // Tensors moved to the data file are swapped out of the model only while it is encoded
    // (a copy of a model near 2 GB could not be encoded at all), then restored.
    const swapped: { tensor: TensorProto; raw: Uint8Array<ArrayBuffer> }[] = [];
    if (Number.isFinite(threshold)) {
      const onnx = await onnxSchema();
      const dataTemp = join(dir, dataName + suffix);
      temps.push(dataTemp);
      const fd = openSync(dataTemp, 'w');
      try {
        let offset = 0;
        forEachGraph(model.graph!, (g) => {
          for (const t of g.initializer) {
            if (t.rawData.length < threshold) continue;
            const pad = (4096 - (offset % 4096)) % 4096;
            if (pad > 0) {
              writeSync(fd, new Uint8Array(pad));
              offset += pad;
            }
            writeSync(fd, t.rawData);
            swapped.push({ tensor: t, raw: t.rawData });
            t.externalData = [entry(onnx, 'location', dataName), entry(onnx, 'offset', String(offset)), entry(onnx, 'length', String(t.rawData.length))];
            t.dataLocation = 1;
            offset += t.rawData.length;
            t.rawData = new Uint8Array(0);
          }
        });
        fsyncSync(fd);
        dataBytes = offset;
      } finally {
        closeSync(fd);
      }
      externalDataFile = dataName;
    }
    let bytes: Uint8Array;
    try {
      bytes = await encodeModel(model);
    } finally {
      if (swapped.length > 0) {
        const onnx = await onnxSchema();
        for (const { tensor, raw } of swapped) {
          tensor.rawData = raw;
          tensor.externalData = [];
          onnx.clearField(tensor, onnx.TensorProtoSchema.field.dataLocation);
        }
      }
    }
    const modelTemp = target + suffix;
    temps.push(modelTemp);
    const fd = openSync(modelTemp, 'w');
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (externalDataFile) renameSync(join(dir, dataName + suffix), join(dir, dataName));
    renameSync(modelTemp, target);
    return { sizeBytes: bytes.length + dataBytes, ...(externalDataFile ? { externalDataFile } : {}) };
  } catch (error) {
    for (const t of temps) {
      try {
        unlinkSync(t);
      } catch {
        // Already renamed or never created.
      }
    }
    throw error;
  }
}

function entry(onnx: OnnxSchema, key: string, value: string): StringStringEntryProto {
  return onnx.create(onnx.StringStringEntryProtoSchema, { key, value });
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/* ------------------------------------------------------------------------------------ */
/* Tensors                                                                               */
/* ------------------------------------------------------------------------------------ */

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++;
  if ((half & 0x7c00) === 0x7c00) e = 0x1f;
  return sign | half;
}

export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function float32ToBfloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const x = u32Scratch[0];
  if ((x & 0x7fffffff) > 0x7f800000) return 0x7fc0;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16BitsToFloat32(h: number): number {
  u32Scratch[0] = h << 16;
  return f32Scratch[0];
}

function rawView(tensor: TensorProto): DataView {
  return new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
}

/** A float tensor's values as float32, whatever float type and field it is stored in. */
export function tensorToFloat32(tensor: TensorProto): Float32Array {
  const count = elementCount(tensorDims(tensor));
  if (isExternal(tensor)) throw new EngineError('internal', `Tensor "${tensor.name}" is still in external data.`);
  const out = new Float32Array(count);
  const raw = tensor.rawData.length > 0;
  switch (tensor.dataType) {
    case DataType.FLOAT: {
      if (raw) {
        const v = rawView(tensor);
        for (let i = 0; i < count; i++) out[i] = v.getFloat32(i * 4, true);
      } else out.set(tensor.floatData.slice(0, count));
      return out;
    }
    case DataType.DOUBLE: {
      if (raw) {
        const v = rawView(tensor);
        for (let i = 0; i < count; i++) out[i] = v.getFloat64(i * 8, true);
      } else out.set(tensor.doubleData.slice(0, count));
      return out;
    }
    case DataType.FLOAT16:
    case DataType.BFLOAT16: {
      const toF32 = tensor.dataType === DataType.FLOAT16 ? float16BitsToFloat32 : bfloat16BitsToFloat32;
      if (raw) {
        const v = rawView(tensor);
        for (let i = 0; i < count; i++) out[i] = toF32(v.getUint16(i * 2, true));
      } else for (let i = 0; i < count; i++) out[i] = toF32(tensor.int32Data[i] ?? 0);
      return out;
    }
    default:
      throw new EngineError('unsupported', `Tensor "${tensor.name}" has data type ${tensor.dataType}, not a float type.`);
  }
}

/** An integer tensor's values (int32/int64/uint8/int8), as numbers. */
export function tensorToNumbers(tensor: TensorProto): number[] {
  const count = elementCount(tensorDims(tensor));
  const raw = tensor.rawData.length > 0;
  const v = raw ? rawView(tensor) : undefined;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    switch (tensor.dataType) {
      case DataType.INT64: out.push(v ? Number(v.getBigInt64(i * 8, true)) : Number(tensor.int64Data[i])); break;
      case DataType.INT32: out.push(v ? v.getInt32(i * 4, true) : tensor.int32Data[i]); break;
      case DataType.UINT8: out.push(v ? v.getUint8(i) : tensor.int32Data[i]); break;
      case DataType.INT8: out.push(v ? v.getInt8(i) : tensor.int32Data[i]); break;
      default: return Array.from(tensorToFloat32(tensor));
    }
  }
  return out;
}

export async function makeTensor(name: string, dataType: number, dims: readonly number[], raw: Uint8Array): Promise<TensorProto> {
  const onnx = await onnxSchema();
  return onnx.create(onnx.TensorProtoSchema, { name, dataType, dims: dims.map((d) => BigInt(d)), rawData: raw as Uint8Array<ArrayBuffer> });
}

export function float32Raw(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const v = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) v.setFloat32(i * 4, values[i], true);
  return out;
}

export function float16Raw(values: Float32Array, format: 'fp16' | 'bf16'): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const v = new DataView(out.buffer);
  const conv = format === 'fp16' ? float32ToFloat16Bits : float32ToBfloat16Bits;
  for (let i = 0; i < values.length; i++) v.setUint16(i * 2, conv(values[i]), true);
  return out;
}

export function int64Raw(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => v.setBigInt64(i * 8, BigInt(x), true));
  return out;
}

export async function floatTensor(name: string, dims: readonly number[], values: Float32Array): Promise<TensorProto> {
  return makeTensor(name, DataType.FLOAT, dims, float32Raw(values));
}

/** Bytes a tensor's values take (rawData or the typed fields). */
export function tensorBytes(tensor: TensorProto): number {
  if (tensor.rawData.length > 0) return tensor.rawData.length;
  return bytesOf(tensor.dataType, elementCount(tensorDims(tensor)));
}

/* ------------------------------------------------------------------------------------ */
/* Lazy reading of external data (streaming tools)                                       */
/* ------------------------------------------------------------------------------------ */

/** Where an external tensor's bytes are, checked against the file. */
export interface ExternalLocation {
  /** Absolute path of the data file. */
  file: string;
  offset: number;
  length: number;
}

export interface LazyModel extends LoadedModel {
  /** Absolute folder of the model (external data locations are relative to it). */
  dir: string;
  /** Every tensor whose values are still in an external file, with its checked location. */
  external: Map<TensorProto, ExternalLocation>;
}

/**
 * Reads a model's graph without loading tensors kept in external data: only the .onnx file
 * must fit in memory. Every external tensor's location is checked up front (file present,
 * bytes inside it, length matching the tensor's type and shape), so a truncated or foreign
 * data file fails here with a clear error rather than halfway through a job.
 */
export async function readModelLazy(path: string, limits: { maxGraphBytes?: number } = {}): Promise<LazyModel> {
  const { label, size, model, dir, externalTensors: tensors } = await readGraph(path, limits.maxGraphBytes ?? defaultMemoryBudget());
  const sizes = new Map<string, number>();
  const external = new Map<TensorProto, ExternalLocation>();
  let total = size;
  for (const t of tensors) {
    const { file, location } = externalFileOf(t, dir, label);
    let fileSize = sizes.get(file);
    if (fileSize === undefined) {
      fileSize = requireExternalFileSize(dir, t, file, location, label);
      sizes.set(file, fileSize);
      total += fileSize;
    }
    const { offset, length } = externalSpan(t, file, fileSize, label);
    external.set(t, { file, offset, length });
  }
  return { model, path, dir, sizeBytes: total, externalFiles: [...sizes.keys()].map((f) => basename(f)), external };
}

/**
 * Reads `length` bytes of an external tensor starting `start` bytes into it, from an open
 * file descriptor, into a fresh buffer (never a view on shared memory).
 */
export function readExternalBytes(fd: number, location: ExternalLocation, start = 0, length = location.length - start): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, location.offset + start + done);
    if (n === 0) throw new EngineError('badRequest', `${basename(location.file)} ended before byte ${location.offset + start + done}.`, 'The external data file is truncated (or was changed while reading): copy or export it again.');
    done += n;
  }
  return out;
}

/** Marks a tensor as stored in `location` (relative to the model) at `offset`, `length` bytes. */
export async function setExternal(tensor: TensorProto, location: string, offset: number, length: number): Promise<void> {
  const onnx = await onnxSchema();
  tensor.rawData = new Uint8Array(0);
  tensor.externalData = [entry(onnx, 'location', location), entry(onnx, 'offset', String(offset)), entry(onnx, 'length', String(length))];
  tensor.dataLocation = 1;
}

/** Bytes a tensor of this type and shape takes (sub-byte types packed). */
export function tensorByteLength(dataType: number, dims: readonly number[]): number {
  return bytesOf(dataType, elementCount(dims));
}

/** Reads a protobuf varint at `pos`; returns [value, next position]. */
function varint(buf: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) return [value, pos];
    scale *= 128;
  }
  throw new Error('varint too long');
}

/** Calls `visit(field, start, end)` for each length-delimited field of the message in buf[start, end). */
function lengthFields(buf: Uint8Array, start: number, end: number, visit: (field: number, start: number, end: number) => void): void {
  let pos = start;
  while (pos < end) {
    const [key, next] = varint(buf, pos);
    pos = next;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) [, pos] = varint(buf, pos);
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, after] = varint(buf, pos);
      if (after + len > end) throw new Error('truncated field');
      visit(field, after, after + len);
      pos = after + len;
    } else throw new Error(`wire type ${wire}`);
  }
  if (pos !== end) throw new Error('misaligned message');
}

/**
 * The external-data file names a serialized ModelProto refers to, found by walking the wire
 * format: ModelProto.graph (7) → GraphProto.initializer (5) → TensorProto.external_data (13)
 * → StringStringEntryProto key (1) / value (2); subgraphs via NodeProto.attribute (5) →
 * AttributeProto.t (5), g (6), graphs (11), tensors (10).
 */
export function externalLocations(bytes: Uint8Array): Set<string> {
  const found = new Set<string>();
  const text = new TextDecoder();
  const tensor = (s: number, e: number) => {
    lengthFields(bytes, s, e, (f, a, b) => {
      if (f !== 13) return;
      let key = '';
      let value = '';
      lengthFields(bytes, a, b, (ef, ea, eb) => {
        if (ef === 1) key = text.decode(bytes.subarray(ea, eb));
        else if (ef === 2) value = text.decode(bytes.subarray(ea, eb));
      });
      if (key === 'location' && value) found.add(value);
    });
  };
  const graph = (s: number, e: number, depth: number) => {
    if (depth > 32) throw new Error('graphs nested too deep');
    lengthFields(bytes, s, e, (f, a, b) => {
      if (f === 5) tensor(a, b);
      else if (f === 1) {
        lengthFields(bytes, a, b, (nf, na, nb) => {
          if (nf !== 5) return;
          lengthFields(bytes, na, nb, (af, aa, ab) => {
            if (af === 5 || af === 10) tensor(aa, ab);
            else if (af === 6 || af === 11) graph(aa, ab, depth + 1);
          });
        });
      }
    });
  };
  lengthFields(bytes, 0, bytes.length, (f, a, b) => {
    if (f === 7) graph(a, b, 0);
  });
  return found;
}
