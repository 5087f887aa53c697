// `engine/localModels` through the engine's dispatcher, against fakes of the four known servers
// (test/helpers/fakeLocalServer.ts) that the detection is pointed at with the documented
// PEPPERPY_<SERVER>_URL variables: one up, one hanging, two not running.
import * as assert from 'node:assert/strict';
import { createDispatcher } from '../../../src/engine/handlers';
import type { RequestScope } from '../../../src/engine/rpc';
import { defaultServers } from '../../../src/engine/providers/localServers';
import { EngineError } from '../../../src/protocol/errors';
import type { LocalModelsResult } from '../../../src/protocol/localServers';
import { startFakeLocalServer, type FakeLocalServer } from '../../helpers/fakeLocalServer';

const VARS = ['PEPPERPY_OLLAMA_URL', 'PEPPERPY_LMSTUDIO_URL', 'PEPPERPY_LLAMACPP_URL', 'PEPPERPY_VLLM_URL', 'OLLAMA_HOST'];

function scope(cancelled = false): RequestScope {
  return { token: { isCancellationRequested: cancelled, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };
}

/** A port nothing listens on: a fake started and closed. */
async function closedPort(): Promise<string> {
  const f = await startFakeLocalServer('ok');
  await f.close();
  return f.baseUrl;
}

describe('engine/localModels (the model picker\'s local servers)', function () {
  this.timeout(20_000);
  const saved = new Map(VARS.map((v) => [v, process.env[v]]));
  let ollama: FakeLocalServer;
  let lmstudio: FakeLocalServer;
  let llamacppUrl: string;
  let vllmUrl: string;
  const rpc = createDispatcher();

  before(async () => {
    ollama = await startFakeLocalServer('ok');
    lmstudio = await startFakeLocalServer('hang');
    llamacppUrl = await closedPort();
    vllmUrl = await closedPort();
    delete process.env.OLLAMA_HOST;
    process.env.PEPPERPY_OLLAMA_URL = ollama.baseUrl;
    process.env.PEPPERPY_LMSTUDIO_URL = lmstudio.baseUrl;
    process.env.PEPPERPY_LLAMACPP_URL = llamacppUrl;
    process.env.PEPPERPY_VLLM_URL = vllmUrl;
  });
  after(async () => {
    for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await ollama.close();
    await lmstudio.close();
  });

  it('lists the models of the server that answers, in its order, and says why the others are not usable', async () => {
    const result = (await rpc.dispatch('engine/localModels', { refresh: true, timeoutMs: 300 }, scope())) as LocalModelsResult;
    assert.deepEqual(result.models.map((m) => [m.name, m.server, m.baseUrl]), [
      ['ollama:llama3.2', 'Ollama', ollama.baseUrl],
      ['ollama:qwen2.5:0.5b', 'Ollama', ollama.baseUrl],
    ]);
    assert.ok(result.models.every((m) => typeof m.latencyMs === 'number' && m.latencyMs >= 0));
    assert.deepEqual(result.servers.map((s) => [s.id, s.status]), [['ollama', 'up'], ['lmstudio', 'timeout'], ['llamacpp', 'down'], ['vllm', 'down']]);
    // The hanging server is given up after the time-out asked for, and said so.
    assert.equal(result.servers[1].error, `LM Studio at ${lmstudio.baseUrl}: no answer to GET /models within 300 ms.`);
    assert.match(result.servers[2].error ?? '', /^llama\.cpp server at http:\/\/127\.0\.0\.1:\d+\/v1: not running \(ECONNREFUSED\)\.$/);
    assert.equal(result.cost, 'local, $0');
  });

  it('shares a recent detection, and probes again on refresh', async () => {
    const first = (await rpc.dispatch('engine/localModels', { refresh: true, timeoutMs: 300 }, scope())) as LocalModelsResult;
    const listings = ollama.modelListings();
    const again = (await rpc.dispatch('engine/localModels', {}, scope())) as LocalModelsResult;
    assert.equal(ollama.modelListings(), listings, 'a second request within 10 s asks no server');
    assert.deepEqual(again, first);
    await rpc.dispatch('engine/localModels', { refresh: true, timeoutMs: 300 }, scope());
    assert.equal(ollama.modelListings(), listings + 1);
  });

  it('answers bad parameters and a cancelled request clearly', async () => {
    await assert.rejects(rpc.dispatch('engine/localModels', { timeoutMs: 5 }, scope()), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === 'Invalid parameters for engine/localModels: timeoutMs: Too small: expected number to be >=50.' && e.hint === 'Send {} or { refresh?: boolean, timeoutMs?: 50-10000 } (src/protocol/localServers.ts).');
    await assert.rejects(rpc.dispatch('engine/localModels', { host: '10.0.0.5' }, scope()), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && /Unrecognized key: "host"/.test(e.message));
    await assert.rejects(rpc.dispatch('engine/localModels', { refresh: true }, scope(true)), (e: unknown) => e instanceof EngineError && e.code === 'cancelled' && e.message === 'engine/localModels was cancelled before it started.');
  });

  it('probes only this machine: an override naming another host falls back to the default port on 127.0.0.1', () => {
    const servers = defaultServers(undefined, { OLLAMA_HOST: '10.0.0.5:11434', PEPPERPY_LMSTUDIO_URL: 'http://localhost:4321/v1' });
    assert.deepEqual(servers.map((s) => s.baseUrl), ['http://127.0.0.1:11434/v1', 'http://localhost:4321/v1', 'http://127.0.0.1:8080/v1', 'http://127.0.0.1:8000/v1']);
  });
});
