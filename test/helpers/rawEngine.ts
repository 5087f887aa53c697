/**
 * The real engine process (dist/engine.js --stdio) spoken to byte by byte, for the protocol tests that write frames a
 * client library would never send: malformed bodies, frames cut short, cancellations queued behind their requests.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { distDir } from './paths';

/** One LSP-style frame: a raw body (text or bytes, sent as is) or a message (sent as its JSON). */
export function frame(body: string | Buffer | object): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

export interface Engine {
  child: ChildProcessWithoutNullStreams;
  /** Every message the engine wrote, parsed, in order. */
  messages: Record<string, unknown>[];
  exited: Promise<number | null>;
  stderr: () => string;
}

export function startEngine(): Engine {
  const child = spawn(process.execPath, [path.join(distDir, 'engine.js'), '--stdio'], { stdio: 'pipe' });
  const messages: Record<string, unknown>[] = [];
  let buffer = Buffer.alloc(0);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
      if (buffer.length < end + 4 + length) return;
      messages.push(JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Record<string, unknown>);
      buffer = buffer.subarray(end + 4 + length);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, messages, exited, stderr: () => stderr };
}

/** What `probe` returns once it returns something, polled every 20 ms for up to `ms`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
