/**
 * Issue 11 (hostile review h-break11, findings 5, 11 and 12): inputs that are not regular
 * files. A prompt may come from standard input or a FIFO (`<(command)`): it is read with the
 * prompt's size cap, stopping one byte past it. Every other file input refuses a FIFO by name
 * before opening it (a FIFO nobody writes to used to block the command forever). The special
 * files are FIFOs we create in a temporary folder; no test touches a device.
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCapped, readStreamCapped, InputTooLargeError } from '../../../src/shared/files';
import { EngineError } from '../../../src/protocol/errors';
import { MAX_PROMPT_CHARS } from '../../../src/protocol/prompt';
import { Readable } from 'node:stream';
import { cli, errorOf, models, ragConfig, scratch } from './helpers';

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/** A child process that writes `total` bytes of "a" (or without end when total is Infinity) into a file, stopping quietly on EPIPE. */
function writer(file: string, total: number): { done: Promise<number> } {
  const script = `
    const fs = require('fs');
    const fd = fs.openSync(process.argv[1], 'w');
    const chunk = Buffer.alloc(65536, 97);
    let left = Number(process.argv[2]);
    try {
      while (left > 0) { const n = Math.min(left, chunk.length); fs.writeSync(fd, chunk, 0, n); left -= n; }
    } catch (e) { if (e.code !== 'EPIPE') throw e; }
    process.exit(0);`;
  const child = spawn(process.execPath, ['-e', script, file, String(total)], { stdio: 'ignore' });
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve(code ?? -1))) };
}

/** Runs the CLI asynchronously (a FIFO writer runs beside it), with stdin from `feed` when given. */
function runAsync(args: string[], feed?: (stdin: NodeJS.WritableStream) => void, killAfterMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: 'pipe' });
    // A CLI blocked opening a FIFO ignores SIGTERM (the pre-fix behaviour): SIGKILL it, so a regression fails instead of hanging the suite.
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', () => clearTimeout(killer));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.on('error', () => undefined);
    if (feed) feed(child.stdin);
    else child.stdin.end();
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const CAP_BYTES = 3 * MAX_PROMPT_CHARS;

describe('hardening: FIFOs, devices and standard input (issue 11, findings 5, 11, 12)', function () {
  this.timeout(60_000);
  let dir: string;
  let fifo: string;
  beforeEach(() => {
    dir = scratch();
    fifo = path.join(dir, 'pipe');
    mkfifo(fifo);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('size cap for streams (finding 5)', () => {
    it('readStreamCapped stops one chunk past the cap with InputTooLargeError, and returns a stream under it whole', async () => {
      await assert.rejects(readStreamCapped(Readable.from([Buffer.alloc(6), Buffer.alloc(6)]), 10), (e: InputTooLargeError) => e instanceof InputTooLargeError && e.maxBytes === 10);
      assert.deepEqual(await readStreamCapped(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 4), Buffer.from('abcd'));
    });

    it('readCapped on a FIFO fed by another process stops after cap + 1 bytes', async () => {
      const w = writer(fifo, 1_000_000);
      await assert.rejects(readCapped(fifo, 'prompt', 100_000), InputTooLargeError);
      assert.equal(await w.done, 0, 'the writer got EPIPE and stopped');
    });

    it('readCapped gives up a FIFO that no program opens for writing, with a clear message, and leaves nothing blocked', async () => {
      await assert.rejects(readCapped(fifo, 'prompt', 1000, { openTimeoutMs: 200 }), (e: EngineError) => e.code === 'badRequest' && /named pipe \(FIFO\) and no program opened it for writing within 0\.2 s/.test(e.message));
      // The FIFO can be used again at once: nothing holds it open.
      const w = writer(fifo, 5);
      assert.deepEqual(await readCapped(fifo, 'prompt', 1000), Buffer.from('aaaaa'));
      assert.equal(await w.done, 0);
    });

    it('prompt count on a FIFO fed without end is refused at the prompt cap (the reviewer saw 3 GB read from /dev/zero)', async () => {
      const w = writer(fifo, Number.MAX_SAFE_INTEGER);
      const r = await runAsync(['prompt', 'count', fifo, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf({ ...r }).message, /is more than 6\.0 MB; a prompt is limited to 2,000,000 characters/);
      assert.equal(await w.done, 0);
    });

    it('prompt count on a FIFO with a short prompt reads it (process substitution works)', async () => {
      const w = writer(fifo, 12);
      const r = await runAsync(['prompt', 'count', fifo, '--json']);
      assert.equal(r.code, 0, r.stderr);
      // "aaaaaaaaaaaa" is 2 tokens in o200k_base ("aaaaaaaa" + "aaaa"), as js-tiktoken's reference encoder splits it.
      assert.equal((JSON.parse(r.stdout) as { count: number }).count, 2);
      await w.done;
    });

    it('prompt count - with standard input without end is refused at the cap, not read whole', async () => {
      let written = 0;
      const r = await runAsync(['prompt', 'count', '-', '--json'], (stdin) => {
        const chunk = Buffer.alloc(65536, 98);
        const pump = () => {
          while (written < 50 * CAP_BYTES) {
            written += chunk.length;
            if (!stdin.write(chunk)) return void stdin.once('drain', pump);
          }
          stdin.end();
        };
        stdin.on('error', () => (written = Number.POSITIVE_INFINITY));
        pump();
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf({ ...r }).message, /^The prompt on standard input is more than 6\.0 MB; a prompt is limited to 2,000,000 characters/);
      assert.match(errorOf({ ...r }).hint ?? '', /split the file/);
    });
  });

  describe('special files are named, not misread (findings 11, 12)', () => {
    it('model inspect says the FIFO is not a regular file (it said "… is empty")', async () => {
      const r = await runAsync(['model', 'inspect', fifo, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf(r).message, /pipe is not a regular file: it is a named pipe \(FIFO\)/);
    });

    it('prompt scan refuses a FIFO (it exited 0 with "0 files")', async () => {
      const r = await runAsync(['prompt', 'scan', fifo, '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(errorOf(r).message, /pipe is not a regular file or a folder: it is a named pipe \(FIFO\)/);
    });

    for (const args of [
      ['cost', 'today', '--ledger', '<fifo>'],
      ['cost', 'monitor', '--port', '0', '--ledger', '<fifo>'],
      ['pipeline', 'benchmark', ragConfig, '--queries', '<fifo>'],
      ['model', 'quantize', path.join(models, 'tiny_lm.onnx'), '--data', '<fifo>', '--out', '<dir>/q.onnx'],
    ]) {
      it(`${args.slice(0, 2).join(' ')} ${args.find((a) => a.startsWith('--') && a !== '--port' && a !== '--out')} <fifo>: refused at once (it blocked forever)`, async () => {
        const r = await runAsync([...args.map((a) => a.replace('<fifo>', fifo).replace('<dir>', dir)), '--json']);
        assert.equal(r.code, 2, `${r.code} ${r.stderr}`);
        assert.match(errorOf(r).message, /pipe is not a regular file: it is a named pipe \(FIFO\)/);
      });
    }
  });
});
