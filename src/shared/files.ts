/**
 * What the engine and the extension check about a path a user gave before reading or writing
 * it (issue 11), and the one atomic file writer both use ({@link writeFileAtomicSync}):
 *
 * - Inputs: a named pipe, a device or a socket is not a file. Read whole, /dev/zero never
 *   ends (gigabytes of memory), and a FIFO nobody writes to blocks forever; so every file
 *   input is refused by name when it is not a regular file ({@link refuseSpecialFile}).
 *   Only the text inputs that also take standard input (prompts, `-`) read a FIFO or a
 *   character device, and then with a size cap ({@link readCapped}) and a time-out for a
 *   FIFO that no one opens for writing.
 * - Outputs: a rename replaces whatever is at the target, a device node or a FIFO included;
 *   every atomic writer calls {@link assertOutputTarget} first, which refuses a target that
 *   exists and is not a regular file (links followed).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { EngineError } from '../protocol/errors';

/** What a file system object that is not a regular file is, in words; undefined for a regular file. */
export function specialKind(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an input path that exists and is a FIFO, a device or a socket: `X is not a regular
 * file`. A missing path or a folder passes (each caller has its own words for those).
 */
export function refuseSpecialFile(path: string, what: string, hint = 'Pass a regular file (for a pipe, use - and standard input where the command takes it).'): void {
  const stat = statOrUndefined(path);
  if (!stat || stat.isFile() || stat.isDirectory()) return;
  throw new EngineError('badRequest', `The ${what} ${path} is not a regular file: it is ${specialKind(stat)}.`, hint);
}

/**
 * Refuses an output target that exists and is not a regular file: a folder, a FIFO, a device,
 * a socket (through a symbolic link too). A missing target passes.
 */
export function assertOutputTarget(path: string, what = 'output file', hint = 'Choose another output path: only a regular file is ever replaced.'): void {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch {
    return;
  }
  const stat = link.isSymbolicLink() ? statOrUndefined(path) : link;
  if (!stat || stat.isFile()) return;
  throw new EngineError('badRequest', `The ${what} ${path} exists and is not a regular file: it is ${specialKind(stat)}. It is never replaced.`, hint);
}

/** ModelProto's top-level fields (onnx.proto) and their protobuf wire types: 0 varint, 2 length-delimited. */
const MODEL_PROTO_FIELDS = new Map<number, number>([
  [1, 0], // ir_version
  [2, 2], // producer_name
  [3, 2], // producer_version
  [4, 2], // domain
  [5, 0], // model_version
  [6, 2], // doc_string
  [7, 2], // graph
  [8, 2], // opset_import
  [14, 2], // metadata_props
  [20, 2], // training_info
  [25, 2], // functions
  [26, 2], // configuration
]);

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i] & 0x7f) * scale;
    scale *= 128;
    if ((bytes[i] & 0x80) === 0) return { value, next: i + 1 };
  }
  return undefined;
}

/**
 * Whether bytes (the first ones of a file of `fileSize` bytes) parse as the start of an ONNX
 * ModelProto: each top-level field a ModelProto field with its wire type, each length within
 * the file. Text, JSON and most other formats fail on their first byte or two.
 */
export function looksLikeModelProto(bytes: Uint8Array, fileSize: number): boolean {
  let at = 0;
  let fields = 0;
  while (at < bytes.length && fields < 16) {
    const key = readVarint(bytes, at);
    if (!key) return fields > 0 && bytes.length < fileSize;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (MODEL_PROTO_FIELDS.get(field) !== wire) return false;
    if (wire === 0) {
      const v = readVarint(bytes, key.next);
      if (!v) return bytes.length < fileSize;
      at = v.next;
    } else {
      const length = readVarint(bytes, key.next);
      if (!length) return bytes.length < fileSize;
      if (length.next + length.value > fileSize) return false;
      at = length.next + length.value;
    }
    fields++;
  }
  return fields > 0;
}

/**
 * Refuses a model output path (`--out`) that would replace something other than an ONNX
 * model: anything not a regular file ({@link assertOutputTarget}), and an existing regular
 * file unless its name ends in `.onnx` and its first bytes parse as an ONNX ModelProto (an
 * empty `.onnx` file is replaced too: there is nothing in it to lose).
 */
export function assertReplaceableModel(path: string): void {
  assertOutputTarget(path, 'output path (--out)', 'Choose another --out path: only a regular file is ever replaced.');
  const stat = statOrUndefined(path);
  if (!stat) return;
  const hint = 'Choose another --out path, or move the file away first: an existing file is replaced only when it is an ONNX model.';
  if (!path.toLowerCase().endsWith('.onnx')) throw new EngineError('badRequest', `The output path (--out) ${path} already exists and does not end in .onnx; only an existing ONNX model is replaced.`, hint);
  if (stat.size === 0) return;
  const head = Buffer.alloc(Math.min(stat.size, 64 * 1024));
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    if (!looksLikeModelProto(head.subarray(0, n), stat.size)) throw new EngineError('badRequest', `The output path (--out) ${path} already exists and is not an ONNX model (its first bytes are not an ONNX ModelProto); it is never replaced.`, hint);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A stream or file over its size cap: thrown by {@link readCapped} after reading at most `maxBytes + 1` bytes. */
export class InputTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
  }
}

/** Default wait for a writer to open a FIFO given as an input. */
export const FIFO_OPEN_TIMEOUT_MS = 10_000;

/**
 * Opens a path for reading; a FIFO that no process opens for writing within `timeoutMs` is
 * given up: the pending open is released by opening the FIFO for writing ourselves (so no
 * thread stays blocked), and a badRequest names the FIFO.
 */
async function openForReading(path: string, what: string, timeoutMs: number): Promise<FileHandle> {
  const pending = open(path, 'r');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const first = await Promise.race([pending, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return first;
  // Release the blocked open: a non-blocking open for writing succeeds once a reader waits.
  let writer: number | undefined;
  for (let attempt = 0; attempt < 50 && writer === undefined; attempt++) {
    try {
      writer = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  try {
    const handle = await pending;
    await handle.close();
  } finally {
    if (writer !== undefined) closeSync(writer);
  }
  throw new EngineError('badRequest', `The ${what} ${path} is a named pipe (FIFO) and no program opened it for writing within ${timeoutMs / 1000} s.`, 'Start the program that writes to it first, or pass a regular file, or - to read standard input.');
}

/**
 * Reads a file that may be a FIFO or a character device, stopping after `maxBytes + 1` bytes
 * ({@link InputTooLargeError}). Other special files (block devices, sockets) are refused.
 */
export async function readCapped(path: string, what: string, maxBytes: number, options: { openTimeoutMs?: number } = {}): Promise<Buffer> {
  const stat = statSync(path);
  if (!stat.isFile() && !stat.isFIFO() && !stat.isCharacterDevice()) {
    throw new EngineError('badRequest', `The ${what} ${path} is not a regular file: it is ${specialKind(stat)}.`, 'Pass a regular file, or - to read standard input.');
  }
  const handle = await openForReading(path, what, options.openTimeoutMs ?? FIFO_OPEN_TIMEOUT_MS);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new InputTooLargeError(maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** Reads a stream (standard input) to its end, stopping after `maxBytes + 1` bytes ({@link InputTooLargeError}). */
export function readStreamCapped(stream: NodeJS.ReadableStream, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(bytes);
      total += bytes.length;
      if (total > maxBytes) {
        cleanup();
        stream.pause();
        reject(new InputTooLargeError(maxBytes));
      }
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
  });
}

/**
 * Writes a file atomically (temporary file beside it, fsync, rename). A target that exists and
 * is not a regular file (a FIFO, a device, a folder) is refused, before and again just before
 * the rename: a rename would replace it.
 */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  assertOutputTarget(path);
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    if (typeof data === 'string') writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    assertOutputTarget(path);
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file is already gone.
    }
    throw error;
  }
}
