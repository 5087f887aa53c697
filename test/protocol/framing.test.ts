/**
 * The engine process against malformed JSON-RPC frames, over its real stdio: bodies that
 * are not messages get JSON-RPC errors and the engine keeps answering; frames whose
 * boundaries cannot be trusted make it exit (the client then restarts it) instead of
 * leaving it alive and deaf.
 */
import * as assert from 'node:assert/strict';
import { FrameGuard, contentLength } from '../../src/engine/framing';
import { frame, startEngine, waitFor, type Engine } from '../helpers/rawEngine';

const info = (id: number) => frame(JSON.stringify({ jsonrpc: '2.0', id, method: 'engine/info', params: {} }));
const responseTo = (e: Engine, id: number | null, withError?: boolean) => () => e.messages.find((m) => m.id === id && (withError === undefined || 'error' in m === withError));

describe('engine framing guard (real engine process)', function () {
  this.timeout(30_000);
  const engines: Engine[] = [];
  afterEach(() => {
    for (const e of engines.splice(0)) e.child.kill('SIGKILL');
  });
  const start = () => {
    const e = startEngine();
    engines.push(e);
    return e;
  };

  it('answers a non-JSON body with -32700, a batch and a non-object with -32600, and keeps answering', async () => {
    const e = start();
    e.child.stdin.write(frame('{"jsonrpc": "2.0", "id": 1, "method": '));
    e.child.stdin.write(frame('[{"jsonrpc":"2.0","id":2,"method":"engine/info"}]'));
    e.child.stdin.write(frame('42'));
    e.child.stdin.write(frame('null'));
    e.child.stdin.write(frame(Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37])));
    e.child.stdin.write(info(7));
    await waitFor('the answer to engine/info', responseTo(e, 7, false));
    const errors = e.messages.filter((m) => m.id === null).map((m) => (m.error as { code: number; message: string }));
    assert.deepEqual(errors.map((x) => x.code), [-32700, -32600, -32600, -32600, -32700]);
    assert.match(errors[0].message, /Parse error/);
    assert.match(errors[1].message, /batches are not supported/);
    assert.match(errors[2].message, /must be a JSON object, got number/);
    assert.match(errors[3].message, /got null/);
  });

  it('reads a frame that arrives one byte at a time', async () => {
    const e = start();
    for (const byte of info(3)) e.child.stdin.write(Buffer.from([byte]));
    await waitFor('the answer', responseTo(e, 3, false));
  });

  for (const [label, bytes] of [
    ['a huge Content-Length', Buffer.from('Content-Length: 999999999999\r\n\r\n{}', 'ascii')],
    ['a non-numeric Content-Length', Buffer.from('Content-Length: twelve\r\n\r\n{}', 'ascii')],
    ['a header without Content-Length', Buffer.from('Content-Type: application/json\r\n\r\n{}', 'ascii')],
    ['random bytes with no header', Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7919 + 13) % 251))],
  ] as const) {
    it(`exits (so the client restarts it) on ${label}, instead of waiting forever`, async () => {
      const e = start();
      e.child.stdin.write(info(1));
      await waitFor('the first answer', responseTo(e, 1, false));
      e.child.stdin.write(bytes);
      assert.equal(await e.exited, 3);
      assert.match(e.stderr(), /protocol stream is broken/);
    });
  }
});

describe('FrameGuard', () => {
  it('parses Content-Length in any case and rejects what is not a length', () => {
    assert.equal(contentLength('content-length: 12\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8'), 12);
    assert.match(String(contentLength('Content-Length: -1')), /invalid Content-Length/);
    assert.match(String(contentLength('Content-Length: 1e3')), /invalid Content-Length/);
    assert.match(String(contentLength('garbage')), /malformed header line/);
    assert.match(String(contentLength('X: 1')), /without Content-Length/);
  });

  it('passes valid frames through unchanged across arbitrary chunk boundaries', async () => {
    const rejected: number[] = [];
    const guard = new FrameGuard({ maxContentLength: 1024, onRejected: (e) => rejected.push(e.code), onFatal: (m) => assert.fail(m) });
    const out: Buffer[] = [];
    guard.on('data', (c: Buffer) => out.push(c));
    const a = JSON.stringify({ jsonrpc: '2.0', method: 'x', params: { s: 'é\r\n\r\n' } });
    const b = JSON.stringify({ jsonrpc: '2.0', id: 1, result: null });
    const all = Buffer.concat([frame(a), frame('[1]'), frame(b)]);
    for (let i = 0; i < all.length; i += 5) guard.write(all.subarray(i, i + 5));
    await new Promise((r) => setImmediate(r));
    assert.equal(Buffer.concat(out).toString('utf8'), Buffer.concat([frame(a), frame(b)]).toString('utf8'));
    assert.deepEqual(rejected, [-32600]);
  });

  it('calls onFatal once for a body above the cap and ignores what follows', () => {
    const fatal: string[] = [];
    const guard = new FrameGuard({ maxContentLength: 10, onRejected: () => assert.fail('no rejection expected'), onFatal: (m) => fatal.push(m) });
    guard.write(frame('{"a":"0123456789"}'));
    guard.write(frame('{}'));
    assert.equal(fatal.length, 1);
    assert.match(fatal[0], /message of 18 bytes \(at most 10\)/);
  });
});
