/**
 * NumPy `.npy` arrays and `.npz` archives (a zip of `.npy` members), read without native
 * code: the zip container is parsed here (central directory, zip64 extra fields as numpy
 * writes them) and deflated members are inflated with node:zlib.
 *
 * Supported: little-endian (or byte-order-free) float16/32/64, int8/16/32/64, uint8/16/32,
 * bool, C order, format versions 1-3. Anything else is a clear EngineError.
 */
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { EngineError, errorMessage } from '../../protocol/errors';

export type NpyDtype = 'float16' | 'float32' | 'float64' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'bool';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  /** The values, in C order (float16 as IEEE half bit patterns). */
  data: Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array | Uint32Array;
}

const DESCR: Record<string, { dtype: NpyDtype; bytes: number }> = {
  f2: { dtype: 'float16', bytes: 2 },
  f4: { dtype: 'float32', bytes: 4 },
  f8: { dtype: 'float64', bytes: 8 },
  i1: { dtype: 'int8', bytes: 1 },
  i2: { dtype: 'int16', bytes: 2 },
  i4: { dtype: 'int32', bytes: 4 },
  i8: { dtype: 'int64', bytes: 8 },
  u1: { dtype: 'uint8', bytes: 1 },
  u2: { dtype: 'uint16', bytes: 2 },
  u4: { dtype: 'uint32', bytes: 4 },
  b1: { dtype: 'bool', bytes: 1 },
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function bad(label: string, why: string): EngineError {
  return new EngineError('badRequest', `${label} is not a readable NumPy array: ${why}.`, 'Save it with numpy.save (or numpy.savez for several inputs) as a C-ordered array of a numeric dtype.');
}

interface NpyHeader {
  kind: { dtype: NpyDtype; bytes: number };
  shape: number[];
  /** Offset of the data. */
  start: number;
  count: number;
  /** Data bytes the shape needs. */
  need: number;
}

/** Largest .npy header read (NumPy writes a few hundred bytes; only structured dtypes get long ones). */
const MAX_HEADER_BYTES = 1 << 20;

/** The header of a `.npy` file, or undefined when `bytes` ends before the header does (a prefix). */
function readHeader(bytes: Uint8Array, label: string): NpyHeader | undefined {
  if (bytes.length < 6) return undefined;
  if (MAGIC.some((m, i) => bytes[i] !== m)) throw bad(label, 'it does not start with the \\x93NUMPY magic');
  if (bytes.length < 8) return undefined;
  const major = bytes[6];
  if (major < 1 || major > 3) throw bad(label, `format version ${major} is unknown`);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > MAX_HEADER_BYTES) throw bad(label, `its header declares ${headerLen} bytes (at most ${MAX_HEADER_BYTES} are read)`);
  if (headerStart + headerLen > bytes.length) return undefined;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(label, `the header "${header.trim()}" lacks descr, fortran_order or shape`);
  if (fortran === 'True') throw bad(label, 'it is in Fortran order');
  const order = descr[0];
  const code = descr.slice(1);
  const kind = DESCR[code];
  if (!kind || !['<', '|', '='].includes(order)) throw bad(label, `dtype "${descr}" is not supported (little-endian float16/32/64, int8-64, uint8-32 or bool are)`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad(label, `shape (${shapeText}) is not a list of sizes`);
  const count = shape.reduce((a, c) => a * c, 1);
  return { kind, shape, start: headerStart + headerLen, count, need: count * kind.bytes };
}

function tooMany(label: string, h: NpyHeader, maxElements: number): EngineError {
  return new EngineError('tooLarge', `${label} declares shape (${h.shape.join(', ')}) = ${h.count.toExponential(2)} values; at most ${maxElements.toExponential(0)} per input are read.`, 'Pass smaller samples (fewer per batch).');
}

/**
 * Parses one `.npy` file's bytes. With `maxElements`, an array declaring more values is
 * refused (tooLarge) from its header, before its data is copied.
 */
export function parseNpy(bytes: Uint8Array, label = 'The .npy file', options: { maxElements?: number } = {}): NpyArray {
  if (bytes.length < 10) throw bad(label, 'it does not start with the \\x93NUMPY magic');
  const h = readHeader(bytes, label);
  if (!h) throw bad(label, 'the header is truncated');
  const { kind, shape, start, count, need } = h;
  if (options.maxElements !== undefined && count > options.maxElements) throw tooMany(label, h, options.maxElements);
  if (bytes.length - start < need) throw bad(label, `it holds ${bytes.length - start} data bytes; shape (${shape.join(', ')}) of ${kind.dtype} needs ${need}`);
  // Copy: the source may be a view of a larger buffer (Buffer.slice shares memory), and typed arrays need aligned offsets.
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(start, start + need));
  const buffer = copy.buffer;
  let data: NpyArray['data'];
  switch (kind.dtype) {
    case 'float16':
      data = new Uint16Array(buffer);
      break;
    case 'float32':
      data = new Float32Array(buffer);
      break;
    case 'float64':
      data = new Float64Array(buffer);
      break;
    case 'int8':
      data = new Int8Array(buffer);
      break;
    case 'int16':
      data = new Int16Array(buffer);
      break;
    case 'int32':
      data = new Int32Array(buffer);
      break;
    case 'int64':
      data = new BigInt64Array(buffer);
      break;
    case 'uint16':
      data = new Uint16Array(buffer);
      break;
    case 'uint32':
      data = new Uint32Array(buffer);
      break;
    default:
      data = new Uint8Array(buffer);
  }
  return { dtype: kind.dtype, shape, data };
}

/** Largest total of uncompressed members read from an .npz (the size of the largest plain file read; protects against zip bombs). */
export const MAX_NPZ_BYTES = 512 * 2 ** 20;

/**
 * Parses an `.npz` archive: member names without `.npy` → arrays, in archive order. Nothing
 * is inflated before the sizes are checked: each member's uncompressed size from the zip
 * directory (all members together at most `maxTotalBytes`) and the shape its `.npy` header
 * declares (at most `maxElements` values; only the header's first bytes are inflated to read it).
 */
export function parseNpz(bytes: Uint8Array, label = 'The .npz file', options: { maxElements?: number; maxTotalBytes?: number } = {}): Map<string, NpyArray> {
  const maxTotal = options.maxTotalBytes ?? MAX_NPZ_BYTES;
  let total = 0;
  const badZip = (why: string) => new EngineError('badRequest', `${label} is not a readable .npz archive: ${why}.`, 'Write it with numpy.savez or numpy.savez_compressed.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: the last "PK\x05\x06" within the final 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw badZip('no zip end-of-central-directory record');
  let entries = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if (cdOffset === 0xffffffff || entries === 0xffff) {
    // Zip64: the locator sits right before the EOCD and points at the zip64 EOCD record.
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) throw badZip('a zip64 archive without its locator');
    const z64 = Number(view.getBigUint64(loc + 8, true));
    if (z64 + 56 > bytes.length || view.getUint32(z64, true) !== 0x06064b50) throw badZip('a broken zip64 end record');
    entries = Number(view.getBigUint64(z64 + 32, true));
    cdOffset = Number(view.getBigUint64(z64 + 48, true));
  }
  // First the whole directory: every member's place and sizes, and their total, before anything is inflated.
  const members: { name: string; method: number; compressed: number; size: number; dataStart: number }[] = [];
  let p = cdOffset;
  for (let e = 0; e < entries; e++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw badZip('a broken central directory');
    const method = view.getUint16(p + 10, true);
    let compressed = view.getUint32(p + 20, true);
    let size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extra field (id 1): the 64-bit values, in this order, for the fields set to 0xffffffff.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = view.getUint16(x, true);
      const len = view.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(view.getBigUint64(q, true));
      }
      x += 4 + len;
    }
    p = xEnd + commentLen;
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw badZip(`member ${name} has no local header`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressed > bytes.length) throw badZip(`member ${name} is truncated`);
    total += size;
    if (total > maxTotal) throw new EngineError('tooLarge', `${label}: member ${name} brings the uncompressed arrays to ${(total / 2 ** 20).toFixed(0)} MiB (the zip directory's sizes); at most ${(maxTotal / 2 ** 20).toFixed(0)} MiB is read.`, 'Pass fewer or smaller sample inputs.');
    members.push({ name, method, compressed, size, dataStart });
  }
  const out = new Map<string, NpyArray>();
  for (const { name, method, compressed, size, dataStart } of members) {
    const raw = bytes.subarray(dataStart, dataStart + compressed);
    if (method !== 0 && method !== 8) throw badZip(`member ${name} uses compression method ${method} (stored and deflate are supported)`);
    if (name.endsWith('/')) continue;
    const memberLabel = `${label}: member ${name}`;
    // The .npy header first (a prefix of the data, inflated on its own): its shape must fit before the member is inflated.
    const header = method === 0 ? readHeader(raw, memberLabel) : peekHeader(raw, memberLabel, badZip);
    if (!header) throw bad(memberLabel, 'the header is truncated');
    if (options.maxElements !== undefined && header.count > options.maxElements) throw tooMany(memberLabel, header, options.maxElements);
    if (size < header.start + header.need) throw bad(memberLabel, `it holds ${Math.max(0, size - header.start)} data bytes (the zip directory's size); shape (${header.shape.join(', ')}) of ${header.kind.dtype} needs ${header.need}`);
    let member: Uint8Array;
    if (method === 0) member = raw;
    else {
      try {
        member = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw badZip(`member ${name} does not inflate (${errorMessage(error)})`);
      }
    }
    if (member.length !== size) throw badZip(`member ${name} is ${member.length} bytes, the directory says ${size}`);
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    out.set(key, parseNpy(member, memberLabel, options));
  }
  return out;
}

/**
 * Reads the `.npy` header at the start of a deflated member by inflating growing prefixes of
 * it (a sync flush returns what a prefix holds), so a member that expands to gigabytes is
 * judged from its first kilobytes.
 */
function peekHeader(raw: Uint8Array, label: string, badZip: (why: string) => EngineError): NpyHeader | undefined {
  for (let prefix = 512; ; prefix *= 8) {
    const part = raw.subarray(0, Math.min(prefix, raw.length));
    let head: Uint8Array;
    try {
      head = inflateRawSync(part, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (error) {
      throw badZip(`${label} does not inflate (${errorMessage(error)})`);
    }
    const header = readHeader(head, label);
    if (header || part.length === raw.length) return header;
  }
}
