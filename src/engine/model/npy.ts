/**
 * NumPy `.npy` arrays and `.npz` archives (a zip of `.npy` members), read without native
 * code: the zip container is parsed here (central directory, zip64 extra fields as numpy
 * writes them) and deflated members are inflated with node:zlib.
 *
 * Supported: little-endian (or byte-order-free) float16/32/64, int8/16/32/64, uint8/16/32,
 * bool, C order, format versions 1-3. Anything else is a clear EngineError.
 */
import { inflateRawSync } from 'node:zlib';
import { EngineError } from '../../protocol/errors';

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

/** Parses one `.npy` file's bytes. */
export function parseNpy(bytes: Uint8Array, label = 'The .npy file'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw bad(label, 'it does not start with the \\x93NUMPY magic');
  const major = bytes[6];
  if (major < 1 || major > 3) throw bad(label, `format version ${major} is unknown`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw bad(label, 'the header is truncated');
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
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad(label, `shape (${shapeText}) is not a list of sizes`);
  const count = shape.reduce((a, c) => a * c, 1);
  const start = headerStart + headerLen;
  const need = count * kind.bytes;
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

/** Largest uncompressed member read from an .npz (protects against zip bombs). */
const MAX_MEMBER_BYTES = 1024 * 2 ** 20;

/** Parses an `.npz` archive: member names without `.npy` → arrays, in archive order. */
export function parseNpz(bytes: Uint8Array, label = 'The .npz file'): Map<string, NpyArray> {
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
  const out = new Map<string, NpyArray>();
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
    if (view.getUint32(local, true) !== 0x04034b50) throw badZip(`member ${name} has no local header`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressed > bytes.length) throw badZip(`member ${name} is truncated`);
    if (size > MAX_MEMBER_BYTES) throw new EngineError('tooLarge', `${label}: member ${name} is ${(size / 2 ** 20).toFixed(0)} MiB uncompressed; at most ${MAX_MEMBER_BYTES / 2 ** 20} MiB is read.`, 'Pass fewer or smaller sample inputs.');
    const raw = bytes.subarray(dataStart, dataStart + compressed);
    let member: Uint8Array;
    if (method === 0) member = raw;
    else if (method === 8) {
      try {
        member = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw badZip(`member ${name} does not inflate (${error instanceof Error ? error.message : String(error)})`);
      }
    } else throw badZip(`member ${name} uses compression method ${method} (stored and deflate are supported)`);
    if (member.length !== size) throw badZip(`member ${name} is ${member.length} bytes, the directory says ${size}`);
    if (name.endsWith('/')) continue;
    const key = name.endsWith('.npy') ? name.slice(0, -4) : name;
    out.set(key, parseNpy(member, `${label}: member ${name}`));
  }
  return out;
}
