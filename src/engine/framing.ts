/**
 * A guard in front of the engine's JSON-RPC reader. vscode-jsonrpc trusts the
 * `Content-Length` header: a frame that declares more bytes than ever arrive, a huge
 * length, or bytes with no header at all leave the reader waiting forever, and the engine
 * alive but deaf. The guard checks every frame before the reader sees it:
 *
 * | what arrives                                   | what happens                                   |
 * | ---------------------------------------------- | ---------------------------------------------- |
 * | a header that is not `Name: value` lines, no or a non-numeric `Content-Length`, a header over 8 KiB, a length over the cap | framing is lost: `onFatal` (the engine exits; the client restarts it and fails what was in flight) |
 * | part of a frame, then nothing for `partialFrameTimeoutMs` (a `Content-Length` larger than what was sent) | framing is lost: `onFatal` |
 * | a body that is not JSON                        | `onRejected` -32700 (Parse error), frame dropped |
 * | a JSON array (batch) or a non-object           | `onRejected` -32600 (Invalid Request), frame dropped |
 * | an object that is neither a request, a notification nor a response (JSON-RPC 2.0 §4–5): no `method` and no `result`/`error`, a `method` that is not a string, an `id` that is not a string or a number, `params` that are not structured | `onRejected` -32600, with the request's `id` when it has a usable one, else `id: null` |
 * | a request whose `params` are an array (by-position: every engine method takes named parameters) | `onRejected` -32602 (Invalid params) with its `id` |
 * | a `$/cancelRequest` notification whose `params.id` is not a string or a number | `onRejected` -32602, `id: null` |
 * | a JSON object                                  | passed on unchanged                            |
 *
 * vscode-jsonrpc drops the invalid messages above without an answer (or, for array params,
 * spreads the array into arguments, so a handler saw `"x"` for `["x"]`), so they are answered here.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { errorMessage } from '../protocol/errors';

export interface FrameGuardOptions {
  /** Largest body accepted, bytes. */
  maxContentLength: number;
  /** Largest header block accepted, bytes. */
  maxHeaderBytes?: number;
  /** A frame was well delimited but its body is not a message: answer with this error, for this id (null when it has no usable one). */
  onRejected: (error: { code: number; message: string }, id: string | number | null) => void;
  /**
   * A frame begun (part of a header, or a header and part of its body) and no byte more for
   * this long: the sender declared more than it sent, and every later frame would be read as
   * the rest of this one. Framing is lost (`onFatal`). Default 5 s; 0 turns the check off.
   */
  partialFrameTimeoutMs?: number;
  /** Frame boundaries can no longer be trusted. */
  onFatal: (message: string) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

export class FrameGuard extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Body length of the frame being read, once its header is parsed. */
  private bodyLength: number | undefined;
  private failed = false;
  private readonly maxHeaderBytes: number;
  private readonly partialFrameTimeoutMs: number;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Counts chunks, so a time-out can tell whether bytes came in after it was armed. */
  private chunks = 0;

  constructor(private readonly options: FrameGuardOptions) {
    super();
    this.maxHeaderBytes = options.maxHeaderBytes ?? 8192;
    this.partialFrameTimeoutMs = options.partialFrameTimeoutMs ?? 5000;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) return callback();
    this.chunks++;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drain();
    this.watchPartialFrame();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.clearIdleTimer();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearIdleTimer();
    callback(error);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /** (Re)starts the partial-frame time-out while a frame is incomplete; every chunk restarts it. */
  private watchPartialFrame(): void {
    this.clearIdleTimer();
    if (this.failed || this.partialFrameTimeoutMs <= 0 || (this.pendingBytes === 0 && this.bodyLength === undefined)) return;
    const declared = this.bodyLength;
    const armedAt = this.chunks;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      // The timer may fire late, after a long synchronous job held the event loop while the
      // rest of the frame sat in the pipe: let one poll phase read it before giving up.
      setImmediate(() => this.partialFrameTimedOut(armedAt, declared));
    }, this.partialFrameTimeoutMs);
    // The time-out alone never keeps a process alive.
    this.idleTimer.unref();
  }

  private partialFrameTimedOut(armedAt: number, declared: number | undefined): void {
    if (this.failed || this.chunks !== armedAt || this.idleTimer !== undefined) return;
    const got = this.pendingBytes;
    this.fatal(
      declared !== undefined
        ? `a message declared Content-Length ${declared} but only ${got} bytes of it arrived, then nothing for ${this.partialFrameTimeoutMs / 1000} s.`
        : `${got} bytes of a message header arrived, then nothing for ${this.partialFrameTimeoutMs / 1000} s.`,
    );
  }

  private takeBytes(bytes: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const head = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return head;
  }

  private fatal(message: string): void {
    this.clearIdleTimer();
    this.failed = true;
    this.pending = [];
    this.pendingBytes = 0;
    this.options.onFatal(message);
  }

  private drain(): void {
    for (;;) {
      if (this.bodyLength === undefined) {
        const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
        this.pending = all.length > 0 ? [all] : [];
        const end = all.indexOf(HEADER_END);
        if (end < 0) {
          if (all.length > this.maxHeaderBytes) this.fatal(`${all.length} bytes arrived without a complete message header; the stream is not JSON-RPC framing.`);
          return;
        }
        if (end > this.maxHeaderBytes) return this.fatal(`a message header of ${end} bytes (at most ${this.maxHeaderBytes}).`);
        const header = this.takeBytes(end + HEADER_END.length).subarray(0, end).toString('latin1');
        const length = contentLength(header);
        if (typeof length === 'string') return this.fatal(length);
        if (length > this.options.maxContentLength) return this.fatal(`a message of ${length} bytes (at most ${this.options.maxContentLength}).`);
        this.bodyLength = length;
      }
      if (this.pendingBytes < this.bodyLength) return;
      const body = this.takeBytes(this.bodyLength);
      this.bodyLength = undefined;
      this.check(body);
    }
  }

  private check(body: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      this.options.onRejected({ code: -32700, message: `Parse error: the message body is not JSON (${errorMessage(error)}).` }, null);
      return;
    }
    if (Array.isArray(value)) {
      this.options.onRejected({ code: -32600, message: 'Invalid Request: batches are not supported; send one JSON-RPC message per frame.' }, null);
      return;
    }
    if (value === null || typeof value !== 'object') {
      this.options.onRejected({ code: -32600, message: `Invalid Request: a message must be a JSON object, got ${value === null ? 'null' : typeof value}.` }, null);
      return;
    }
    const problem = messageProblem(value as Record<string, unknown>);
    if (problem) {
      this.options.onRejected({ code: problem.code, message: problem.message }, problem.id);
      return;
    }
    this.push(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }
}

/** The Content-Length of a header block, or what is wrong with it. */
export function contentLength(header: string): number | string {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return `a malformed header line ${JSON.stringify(line.slice(0, 80))}.`;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return `an invalid Content-Length ${JSON.stringify(value.slice(0, 40))}.`;
      length = Number(value);
    }
  }
  return length ?? 'a message header without Content-Length.';
}

/** A JSON type in words, for messages: "an array", "a string", "null". */
function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'nothing' : `a ${t}`;
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * What makes a JSON object not a JSON-RPC 2.0 message the engine can take (§4 Request object,
 * §5 Response object), with the error to answer and the id to answer it for; undefined when it
 * is a request, a notification or a response.
 */
export function messageProblem(message: Record<string, unknown>): { code: number; message: string; id: string | number | null } | undefined {
  const rawId = message.id;
  const id = typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId)) ? rawId : null;
  const idUsable = id !== null;
  const hasId = hasOwn(message, 'id');
  if (!hasOwn(message, 'method')) {
    // A response (to a request the engine sent): the connection matches it by id.
    if (hasOwn(message, 'result') || hasOwn(message, 'error')) return undefined;
    return { code: -32600, message: 'Invalid Request: the message has no "method" (and is not a response: no "result" or "error").', id };
  }
  if (typeof message.method !== 'string') return { code: -32600, message: `Invalid Request: "method" must be a string, got ${jsonType(message.method)}.`, id };
  if (hasId && !idUsable) return { code: -32600, message: `Invalid Request: "id" must be a string or a number, got ${jsonType(rawId)}.`, id: null };
  if (hasOwn(message, 'params') && message.params !== undefined) {
    const params = message.params;
    if (params === null || typeof params !== 'object') return { code: -32600, message: `Invalid Request: "params" must be an object (or an array), got ${jsonType(params)}.`, id };
    // By-position parameters: no engine method takes them (all take one object of named parameters).
    if (Array.isArray(params) && hasId && !message.method.startsWith('$/')) return { code: -32602, message: `Invalid params for ${message.method}: expected an object, got an array. Pass named parameters: "params": { … }.`, id };
  }
  // A cancellation names the request it cancels. Without a usable id vscode-jsonrpc's own handler
  // threw ("Protocol error: Cannot read properties of undefined (reading 'id')", logged as an error).
  if (message.method === '$/cancelRequest' && !hasId) {
    const params = message.params as Record<string, unknown> | undefined;
    const target = params && typeof params === 'object' && !Array.isArray(params) ? params.id : undefined;
    if (!(typeof target === 'string' || (typeof target === 'number' && Number.isFinite(target)))) return { code: -32602, message: `Invalid params for $/cancelRequest: "id" must be the string or number id of a request, got ${jsonType(target)}.`, id: null };
  }
  return undefined;
}
