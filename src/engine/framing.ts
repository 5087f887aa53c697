/**
 * A guard in front of the engine's JSON-RPC reader. vscode-jsonrpc trusts the
 * `Content-Length` header: a frame that declares more bytes than ever arrive, a huge
 * length, or bytes with no header at all leave the reader waiting forever, and the engine
 * alive but deaf. The guard checks every frame before the reader sees it:
 *
 * | what arrives                                   | what happens                                   |
 * | ---------------------------------------------- | ---------------------------------------------- |
 * | a header that is not `Name: value` lines, no or a non-numeric `Content-Length`, a header over 8 KiB, a length over the cap | framing is lost: `onFatal` (the engine exits; the client restarts it and fails what was in flight) |
 * | a body that is not JSON                        | `onRejected` -32700 (Parse error), frame dropped |
 * | a JSON array (batch) or a non-object           | `onRejected` -32600 (Invalid Request), frame dropped |
 * | a JSON object                                  | passed on unchanged                            |
 */
import { Transform, type TransformCallback } from 'node:stream';

export interface FrameGuardOptions {
  /** Largest body accepted, bytes. */
  maxContentLength: number;
  /** Largest header block accepted, bytes. */
  maxHeaderBytes?: number;
  /** A frame was well delimited but its body is not a message: answer with this error (id null). */
  onRejected: (error: { code: number; message: string }) => void;
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

  constructor(private readonly options: FrameGuardOptions) {
    super();
    this.maxHeaderBytes = options.maxHeaderBytes ?? 8192;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failed) return callback();
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.drain();
    callback();
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
      this.options.onRejected({ code: -32700, message: `Parse error: the message body is not JSON (${error instanceof Error ? error.message : String(error)}).` });
      return;
    }
    if (Array.isArray(value)) {
      this.options.onRejected({ code: -32600, message: 'Invalid Request: batches are not supported; send one JSON-RPC message per frame.' });
      return;
    }
    if (value === null || typeof value !== 'object') {
      this.options.onRejected({ code: -32600, message: `Invalid Request: a message must be a JSON object, got ${value === null ? 'null' : typeof value}.` });
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
