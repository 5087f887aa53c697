import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CountTokensRequest, DebugWaitRequest, EngineInfoRequest, PromptAnalyzeRequest, type JobProgress } from '../../src/protocol/engine';
import { EngineError } from '../../src/protocol/errors';
import { EngineClient, type EngineClientOptions } from '../../src/extension/client/engineClient';
import { RequestType } from 'vscode-jsonrpc';
import { TokenizerService } from '../../src/shared/prompt/tokenizer';
import { MemoryLogger } from '../helpers/logger';
import { distDir, fixturesDir } from '../helpers/paths';

const enginePath = path.join(distDir, 'engine.js');
const reference = new TokenizerService('js-tiktoken');

function client(overrides: Partial<EngineClientOptions> = {}, logger = new MemoryLogger()): { client: EngineClient; logger: MemoryLogger } {
  return {
    client: new EngineClient({ serverPath: enginePath, logger, env: { PEPPERPY_ENGINE_DEBUG: '1' }, backoffBaseMs: 50, ...overrides }),
    logger,
  };
}

async function rejects(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

describe('engine process over JSON-RPC (real dist/engine.js)', () => {
  const clients: EngineClient[] = [];
  const make = (overrides: Partial<EngineClientOptions> = {}) => {
    const made = client(overrides);
    clients.push(made.client);
    return made;
  };
  afterEach(() => {
    while (clients.length > 0) clients.pop()!.dispose();
  });

  it('starts lazily and answers engine/info', async () => {
    const { client: c } = make();
    assert.equal(c.pid, undefined, 'no process before the first request');
    const info = await c.request(EngineInfoRequest.type, {});
    assert.equal(info.pid, c.pid);
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(info.encodingsLoaded, []);
  });

  it('analyzes a prompt with an exact o200k_base count, and reports progress', async () => {
    const { client: c } = make();
    const progress: JobProgress[] = [];
    const result = await c.request(PromptAnalyzeRequest.type, { text: 'Summarize the text below in one sentence.', model: 'gpt-4o' }, { onProgress: (p) => progress.push(p) });
    assert.equal(result.tokenCount, reference.countWithEncoding('Summarize the text below in one sentence.', 'o200k_base'));
    assert.equal(result.tokens.method, 'exact');
    assert.equal(result.tokens.encoding, 'o200k_base');
    assert.ok(progress.length >= 1, 'at least one progress report');
  });

  it('rejects malformed parameters with badRequest naming the field', async () => {
    const { client: c } = make();
    const error = await rejects(c.request(CountTokensRequest.type, { text: 42 as unknown as string }));
    assert.equal(error.code, 'badRequest');
    assert.match(error.message, /text/);
    const extra = await rejects(c.request(CountTokensRequest.type, { text: 'x', model: 'gpt-4o', evil: true } as never));
    assert.equal(extra.code, 'badRequest');
    assert.match(extra.message, /evil|unrecognized/i);
    // The engine is still alive and well afterwards.
    const count = await c.request(CountTokensRequest.type, { text: 'hello world', model: 'gpt-4o' });
    assert.equal(count.count, 2);
  });

  it('answers an unknown method with a clear unsupported error', async () => {
    const { client: c } = make();
    const error = await rejects(c.request(new RequestType<Record<string, never>, unknown, void>('nope/never'), {}));
    assert.equal(error.code, 'unsupported');
    assert.match(error.message, /nope\/never/);
  });

  it('cancels a running request through $/cancelRequest and stays usable', async () => {
    const { client: c } = make();
    await c.request(EngineInfoRequest.type, {});
    const abort = new AbortController();
    const progress: JobProgress[] = [];
    const pending = c.request(DebugWaitRequest.type, { ms: 10_000 }, { signal: abort.signal, onProgress: (p) => progress.push(p) });
    setTimeout(() => abort.abort(), 400);
    const started = Date.now();
    const error = await rejects(pending);
    assert.equal(error.code, 'cancelled');
    assert.ok(Date.now() - started < 5_000, 'cancellation is prompt');
    assert.ok(progress.length >= 1, 'progress arrived before the cancel');
    const pid = c.pid;
    await c.request(EngineInfoRequest.type, {});
    assert.equal(c.pid, pid, 'the same process keeps serving');
  });

  it('fails the in-flight request with engineCrashed on kill -9, restarts, and the next request succeeds', async () => {
    const { client: c, logger } = make();
    await c.request(EngineInfoRequest.type, {});
    const firstPid = c.pid!;
    const pending = c.request(DebugWaitRequest.type, { ms: 20_000 });
    setTimeout(() => process.kill(firstPid, 'SIGKILL'), 300);
    const error = await rejects(pending);
    assert.equal(error.code, 'engineCrashed');
    assert.match(error.message, /SIGKILL/);
    assert.match(error.hint ?? '', /restarted/);
    const info = await c.request(EngineInfoRequest.type, {});
    assert.notEqual(info.pid, firstPid, 'a new engine process answered');
    assert.ok(logger.has('error', /stopped unexpectedly/));
  });

  it('keeps a request that reports progress alive past the time-out', async () => {
    const { client: c } = make({ requestTimeoutMs: 1_000 });
    // Starting the process is not what is measured: on a loaded machine it can take seconds.
    await c.request(EngineInfoRequest.type, {}, { timeoutMs: 60_000 });
    // debug/wait reports progress every 100 ms; each report re-arms the 1 s time-out.
    const waited = await c.request(DebugWaitRequest.type, { ms: 1_500 });
    assert.ok(waited.waitedMs >= 1_500);
  });
});

describe('engine client against misbehaving fake engines', () => {
  const clients: EngineClient[] = [];
  afterEach(() => {
    while (clients.length > 0) clients.pop()!.dispose();
  });
  const fake = (name: string, overrides: Partial<EngineClientOptions> = {}) => {
    const logger = new MemoryLogger();
    const c = new EngineClient({ serverPath: path.join(fixturesDir, name), logger, backoffBaseMs: 20, ...overrides });
    clients.push(c);
    return { c, logger };
  };

  it('reports a process that crashes on its first request as engineCrashed', async () => {
    const { c } = fake('crash-on-request.js');
    const error = await rejects(c.request(EngineInfoRequest.type, {}));
    assert.equal(error.code, 'engineCrashed');
    assert.match(error.message, /exit code 3/);
  });

  it('stops restarting after too many crashes and says how to recover', async () => {
    const { c } = fake('crash-on-request.js', { maxRestarts: 2 });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push((await rejects(c.request(EngineInfoRequest.type, {}))).code);
    assert.deepEqual(codes, ['engineCrashed', 'engineCrashed', 'engineCrashed', 'engineUnavailable']);
    const last = await rejects(c.request(EngineInfoRequest.type, {}));
    assert.match(last.hint ?? '', /Restart Engine/);
    assert.equal(c.currentState, 'failed');
  });

  it('times out on a hung process, then kills it after a failed health check', async () => {
    const { c, logger } = fake('hang.js', { requestTimeoutMs: 500, healthCheckTimeoutMs: 500 });
    const pending = c.request(CountTokensRequest.type, { text: 'x' });
    const error = await rejects(pending);
    assert.equal(error.code, 'timeout');
    const deadline = Date.now() + 5_000;
    while (!logger.has('error', /did not answer a health check/) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(logger.has('error', /did not answer a health check/), 'the hung process was detected');
    while (c.pid !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.pid, undefined, 'the hung process was killed');
  });

  it('survives malformed and stray messages and still gets its answer', async () => {
    const { c, logger } = fake('malformed.js');
    const info = await c.request(EngineInfoRequest.type, {});
    assert.equal(info.version, 'fixture');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(logger.lines.some((l) => /odd level/.test(l.message) && l.level === 'info'), 'a bogus log level is mapped to info');
    assert.ok(logger.has('warn', /Malformed message/), 'the broken message was logged');
  });

  it('treats unframed text on stdout as a hang, not a crash of the client', async () => {
    const { c } = fake('garbage-stdout.js', { requestTimeoutMs: 500, healthCheckTimeoutMs: 300 });
    const error = await rejects(c.request(EngineInfoRequest.type, {}));
    assert.equal(error.code, 'timeout');
  });
});
