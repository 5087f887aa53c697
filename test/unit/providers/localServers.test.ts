import * as assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { startFakeLocalServer, type FakeMode } from '../../helpers/fakeLocalServer';
import OpenAI from 'openai';
import { resolveProvider } from '../../../src/engine/benchmark/common';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { parseLocalModelName } from '../../../src/shared/localModels';
import { detectLocalServers, localModelNames } from '../../../src/engine/providers/localServers';
import { localServerProvider } from '../../../src/engine/providers';
import { EngineError } from '../../../src/protocol/errors';

/** The shared fake (test/helpers/fakeLocalServer.ts), in the shape these tests were written against. */
async function fakeServer(mode: FakeMode): Promise<{ server: Server; baseUrl: string; requests: unknown[] }> {
  const fake = await startFakeLocalServer(mode);
  return { server: fake.server, baseUrl: fake.baseUrl, requests: fake.requests };
}

describe('Local OpenAI-compatible servers', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
  });

  it("the fake speaks OpenAI's wire format (checked with the official openai client)", async () => {
    const { server, baseUrl } = await fakeServer('ok');
    servers.push(server);
    const client = new OpenAI({ baseURL: baseUrl, apiKey: 'unused', maxRetries: 0 });
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    assert.deepEqual(ids, ['llama3.2', 'qwen2.5:0.5b']);
    const answer = await client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'Capital of France?' }] });
    assert.equal(answer.choices[0].message.content, 'Paris.');
  });

  it('detects servers in parallel: up with its models, a hanging one times out, garbage is a clear error, a closed port is down', async () => {
    const ok = await fakeServer('ok');
    const hang = await fakeServer('hang');
    const garbage = await fakeServer('garbage');
    const closed = await fakeServer('ok');
    servers.push(ok.server, hang.server, garbage.server);
    await new Promise<void>((r) => closed.server.close(() => r()));
    const probes = await detectLocalServers({
      timeoutMs: 400,
      servers: [
        { id: 'ollama', name: 'Ollama', baseUrl: ok.baseUrl },
        { id: 'lmstudio', name: 'LM Studio', baseUrl: hang.baseUrl },
        { id: 'llamacpp', name: 'llama.cpp server', baseUrl: garbage.baseUrl },
        { id: 'vllm', name: 'vLLM', baseUrl: closed.baseUrl },
      ],
    });
    assert.deepEqual(probes.map((p) => p.status), ['up', 'timeout', 'invalid', 'down']);
    assert.deepEqual(probes[0].models, ['llama3.2', 'qwen2.5:0.5b']);
    assert.ok(typeof probes[0].latencyMs === 'number' && probes[0].latencyMs >= 0);
    assert.equal(probes[1].error, `LM Studio at ${hang.baseUrl}: no answer to GET /models within 400 ms.`);
    assert.equal(probes[2].error, `llama.cpp server at ${garbage.baseUrl}: the server's response is malformed: the /models body is not JSON (starts with "<html>not an API</html>").`);
    assert.match(probes[3].error ?? '', /^vLLM at .*: not running \(ECONNREFUSED\)\.$/);
    assert.deepEqual(localModelNames(probes).map((m) => m.name), ['ollama:llama3.2', 'ollama:qwen2.5:0.5b']);
  });

  it('reads local model names; unknown prefixes are left to the other providers', () => {
    assert.deepEqual(parseLocalModelName('ollama:llama3.2', {}), { server: 'ollama', serverName: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.2' });
    assert.equal(parseLocalModelName('lmstudio:qwen2.5-7b-instruct', {})?.baseUrl, 'http://127.0.0.1:1234/v1');
    assert.equal(parseLocalModelName('llamacpp:model', {})?.baseUrl, 'http://127.0.0.1:8080/v1');
    assert.equal(parseLocalModelName('vllm:Qwen/Qwen2.5-1.5B-Instruct', {})?.model, 'Qwen/Qwen2.5-1.5B-Instruct');
    assert.equal(parseLocalModelName('ollama:llama3.2', { OLLAMA_HOST: '10.0.0.5:11434' })?.baseUrl, 'http://10.0.0.5:11434/v1');
    assert.deepEqual(parseLocalModelName('openai-compatible@http://localhost:9000/v1:qwen2.5:0.5b', {}), { server: 'openai-compatible', serverName: 'OpenAI-compatible server localhost:9000', baseUrl: 'http://localhost:9000/v1', model: 'qwen2.5:0.5b' });
    assert.equal(parseLocalModelName('foo:bar', {}), undefined);
    assert.equal(parseLocalModelName('gpt-4o', {}), undefined);
    assert.throws(() => parseLocalModelName('ollama:', {}), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === '"ollama:" names no model after "ollama:".');
    assert.throws(() => parseLocalModelName('openai-compatible@http://localhost:9000:m', {}), /is not a valid OpenAI-compatible model name/);
  });

  it('a local model answers through the OpenAI-compatible client, costs nothing and is timed', async () => {
    const { server, baseUrl, requests } = await fakeServer('ok');
    servers.push(server);
    const provider = localServerProvider(`openai-compatible@${baseUrl}:llama3.2`);
    assert.ok(provider);
    assert.equal(provider.paid, false);
    const r = await provider.generate({ messages: [{ role: 'user', content: 'Capital of France?' }], maxTokens: 8 });
    assert.equal(r.text, 'Paris.');
    assert.deepEqual(r.usage, { inputTokens: 12, outputTokens: 2, cachedInputTokens: 0, source: 'provider' });
    assert.ok(r.timing.totalMs >= 0);
    assert.deepEqual(requests, [{ model: 'llama3.2', messages: [{ role: 'user', content: 'Capital of France?' }], max_tokens: 8 }]);
    // The benchmarks take the same names.
    assert.equal(resolveProvider(`openai-compatible@${baseUrl}:llama3.2`, {}, '').paid, false);
    assert.equal(resolveProvider('ollama:llama3.2', {}, '').model, 'llama3.2');
    assert.throws(() => resolveProvider('foo:bar', {}, ''), /Unknown provider "foo" in "foo:bar"/);
  });

  it('prices local models at $0 and says so; unknown prefixes are still refused', async () => {
    const catalog = await PriceCatalog.bundled();
    const info = catalog.lookup('ollama:llama3.2');
    assert.equal(info.inputPerMTok, 0);
    assert.equal(info.outputPerMTok, 0);
    assert.equal(info.provider, 'ollama');
    assert.equal(info.source.kind, 'local');
    assert.equal(info.source.note, 'local, $0: runs on this machine, no per-token price');
    assert.equal(catalog.cost('ollama:llama3.2', { inputTokens: 1000, outputTokens: 500 }).totalCost, 0);
    assert.equal(catalog.has('foo:bar'), false);
  });
});
