// What a caller can wait on instead of a clock: the requests in flight, and the moment the
// engine is done with a request — which, after a cancel, comes later than the rejection.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DebugWaitRequest, EngineInfoRequest } from '../../src/protocol/engine';
import { EngineError } from '../../src/protocol/errors';
import { EngineClient } from '../../src/extension/client/engineClient';
import { MemoryLogger } from '../helpers/logger';
import { distDir } from '../helpers/paths';

const enginePath = path.join(distDir, 'engine.js');

/** Polls `probe` until it holds; fails naming `what` after the deadline. */
async function until(what: string, probe: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function cancelledError(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

describe('engine client: in-flight requests and onEngineDone', function () {
  this.timeout(30_000);
  const clients: EngineClient[] = [];
  const make = (env: NodeJS.ProcessEnv = {}) => {
    const c = new EngineClient({ serverPath: enginePath, logger: new MemoryLogger(), env: { PEPPERPY_ENGINE_DEBUG: '1', ...env } });
    clients.push(c);
    return c;
  };
  afterEach(() => {
    while (clients.length > 0) clients.pop()!.dispose();
  });

  it('lists a request while it is in flight and calls onEngineDone once when the engine answers', async () => {
    const c = make();
    assert.deepEqual(c.inFlightMethods, []);
    let done = 0;
    const pending = c.request(DebugWaitRequest.type, { ms: 300 }, { onEngineDone: () => done++ });
    await until('debug/wait in flight', () => c.inFlightMethods.includes('debug/wait'));
    assert.deepEqual(c.inFlightMethods, ['debug/wait']);
    const waited = await pending;
    assert.ok(waited.waitedMs >= 300);
    await until('onEngineDone', () => done > 0);
    assert.equal(done, 1);
    assert.deepEqual(c.inFlightMethods, []);
  });

  it('a request cancelled while the engine starts is never sent (untitled46: it was sent and answered anyway)', async () => {
    const c = make();
    const controller = new AbortController();
    let done = 0;
    // The first request starts the engine; the abort comes while it starts (before the connection exists).
    const pending = c.request(DebugWaitRequest.type, { ms: 1 }, { signal: controller.signal, onEngineDone: () => done++ });
    controller.abort();
    const error = await cancelledError(pending);
    assert.equal(error.code, 'cancelled');
    assert.equal(done, 1);
    assert.deepEqual(c.inFlightMethods, []);
    // The engine is up and answers the next request.
    const info = await c.request(EngineInfoRequest.type, {});
    assert.ok(info);
  });

  it('after a cancel, rejects at once but calls onEngineDone only when the engine has answered', async () => {
    // The engine holds every request (but engine/info) for 3 s, deaf to cancellation, like a job in a write.
    const c = make({ PEPPERPY_ENGINE_DEBUG_DELAY_MS: '3000' });
    await c.request(EngineInfoRequest.type, {});
    const abort = new AbortController();
    let engineDone = false;
    const events: string[] = [];
    const finished = new Promise<void>((resolve) => {
      void c
        .request(DebugWaitRequest.type, { ms: 1 }, {
          signal: abort.signal,
          onEngineDone: () => {
            engineDone = true;
            events.push('engine done');
            resolve();
          },
        })
        .catch((error: unknown) => events.push(`rejected: ${error instanceof EngineError ? error.code : String(error)}`));
    });
    await until('debug/wait in flight', () => c.inFlightMethods.includes('debug/wait'));
    abort.abort();
    await until('the rejection', () => events.length > 0);
    assert.deepEqual(events, ['rejected: cancelled']);
    assert.equal(engineDone, false, 'onEngineDone came before the engine answered');
    assert.deepEqual(c.inFlightMethods, [], 'a cancelled request is no longer in flight');
    await finished;
    assert.deepEqual(events, ['rejected: cancelled', 'engine done']);
  });

  it('calls onEngineDone for a request that was never sent', async () => {
    const c = make();
    const abort = new AbortController();
    abort.abort();
    let done = 0;
    const error = await cancelledError(c.request(DebugWaitRequest.type, { ms: 1 }, { signal: abort.signal, onEngineDone: () => done++ }));
    assert.equal(error.code, 'cancelled');
    assert.equal(done, 1);
    assert.equal(c.pid, undefined, 'no engine was started for it');
  });

  it('calls onEngineDone when the engine is killed with the request in flight', async () => {
    const c = make();
    await c.request(EngineInfoRequest.type, {});
    const pid = c.pid!;
    let done = 0;
    const pending = c.request(DebugWaitRequest.type, { ms: 20_000 }, { onEngineDone: () => done++ });
    await until('debug/wait in flight', () => c.inFlightMethods.includes('debug/wait'));
    process.kill(pid, 'SIGKILL');
    const error = await cancelledError(pending);
    assert.equal(error.code, 'engineCrashed');
    await until('onEngineDone', () => done > 0);
    assert.equal(done, 1);
  });
});
