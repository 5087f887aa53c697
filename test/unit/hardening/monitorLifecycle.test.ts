// The engine's one cost monitor under start/stop requests that arrive together (issue 11,
// s18-break11). Before the fix two starts sent together both started a proxy and the first
// was forgotten, still listening, with no request that could stop it; a stop sent during a
// start answered "not running" and the start then went on listening.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CostMonitorStatus } from '../../../src/protocol/cost';
import { neverCancelled, type HandlerContext } from '../../../src/engine/context';
import { registerMonitorHandlers, stopMonitor } from '../../../src/engine/cost/monitorHandlers';
import { Dispatcher } from '../../../src/engine/rpc';


/** True when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('cost monitor start and stop sent together (issue 11, s18-break11)', function () {
  this.timeout(20_000);
  const rpc = new Dispatcher();
  registerMonitorHandlers(rpc);
  const ctx: HandlerContext = { token: neverCancelled, progress: () => undefined, log: () => undefined };
  const call = (method: string, params: unknown): Promise<CostMonitorStatus> => rpc.dispatch(method, params, ctx) as Promise<CostMonitorStatus>;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-lifecycle-'));
  });
  afterEach(async () => {
    await stopMonitor();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two starts at once leave one proxy, and a stop closes every port that was opened', async () => {
    const [a, b] = await Promise.all([call('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'a.jsonl') }), call('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'b.jsonl') })]);
    assert.equal(a.running && b.running, true);
    assert.notEqual(a.port, b.port);
    // The later start replaced the earlier one: only its port is open.
    assert.deepEqual([await listening(a.port!), await listening(b.port!)], [false, true]);
    const stopped = await call('cost/monitorStop', {});
    assert.equal(stopped.running, false);
    assert.deepEqual([await listening(a.port!), await listening(b.port!)], [false, false]);
  });

  it('a stop sent right after a start, before it answered, stops that monitor', async () => {
    const started = call('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'c.jsonl') });
    const stopped = call('cost/monitorStop', {});
    const [s, t] = await Promise.all([started, stopped]);
    assert.equal(s.running, true);
    assert.equal(t.running, false);
    assert.equal(await listening(s.port!), false);
    assert.equal((await call('cost/monitorStatus', {})).running, false);
  });

  it('a start that fails (a ledger path under a file) does not block the next one', async () => {
    await assert.rejects(call('cost/monitorStart', { port: 0, ledgerFile: '/proc/version/x.jsonl' }), /Cannot write the cost ledger \/proc\/version\/x\.jsonl: a part of its path is a file, not a folder\./);
    const s = await call('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'd.jsonl') });
    assert.equal(s.running, true);
    assert.equal(await listening(s.port!), true);
  });
});
