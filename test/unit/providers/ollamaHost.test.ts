// OLLAMA_HOST is Ollama's own variable, usually set for `ollama serve` and so inherited by VS
// Code: it is read the way Ollama reads it (envconfig getOllamaHost in github.com/ollama/ollama:
// quotes and spaces trimmed; no scheme means port 11434, http:// 80, https:// 443; a bare host
// keeps the default port). Its documented setting "0.0.0.0" (listen on every interface) is
// this machine: the picker listed those models at 127.0.0.1, so a rewrite must not refuse them.
// The expected URLs are worked out by hand from that Go function.
import * as assert from 'node:assert/strict';
import { resolveProvider } from '../../../src/engine/benchmark/common';
import { createDispatcher } from '../../../src/engine/handlers';
import { localRewriteTarget } from '../../../src/engine/prompt/llm';
import { defaultServers } from '../../../src/engine/providers/localServers';
import type { RequestScope } from '../../../src/engine/rpc';
import { EngineError } from '../../../src/protocol/errors';
import type { OptimizedPrompt } from '../../../src/protocol/prompt';
import { KNOWN_LOCAL_SERVERS, knownServerBaseUrl } from '../../../src/shared/localModels';
import { startFakeLocalServer } from '../../helpers/fakeLocalServer';

const ollama = KNOWN_LOCAL_SERVERS.find((s) => s.id === 'ollama')!;
const scope: RequestScope = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };

describe('OLLAMA_HOST read as Ollama reads it', () => {
  const cases: Array<[string, string]> = [
    ['0.0.0.0', 'http://127.0.0.1:11434/v1'],
    ['0.0.0.0:11434', 'http://127.0.0.1:11434/v1'],
    ['http://0.0.0.0:11434', 'http://127.0.0.1:11434/v1'],
    ['127.0.0.1', 'http://127.0.0.1:11434/v1'],
    ['localhost', 'http://localhost:11434/v1'],
    [':11500', 'http://127.0.0.1:11500/v1'],
    ['"127.0.0.1:11500"', 'http://127.0.0.1:11500/v1'],
    ['[::]:11434', 'http://[::1]:11434/v1'],
    ['http://localhost', 'http://localhost:80/v1'],
    ['https://localhost', 'https://localhost:443/v1'],
    ['10.0.0.5:11434', 'http://10.0.0.5:11434/v1'],
    ['evil.example', 'http://evil.example:11434/v1'],
  ];
  for (const [value, expected] of cases) {
    it(`OLLAMA_HOST=${value} → ${expected}`, () => {
      assert.equal(knownServerBaseUrl(ollama, { OLLAMA_HOST: value }), expected);
    });
  }

  it('detection still asks only this machine for a remote OLLAMA_HOST', () => {
    assert.equal(defaultServers(undefined, { OLLAMA_HOST: 'evil.example' })[0].baseUrl, 'http://127.0.0.1:11434/v1');
  });

  it('OLLAMA_HOST=0.0.0.0:PORT: the rewrite runs on the server the picker listed', async function () {
    this.timeout(20_000);
    const fake = await startFakeLocalServer('ok', { reply: () => 'Act as a SQL terminal.' });
    const saved = { url: process.env.PEPPERPY_OLLAMA_URL, host: process.env.OLLAMA_HOST };
    delete process.env.PEPPERPY_OLLAMA_URL;
    process.env.OLLAMA_HOST = `0.0.0.0:${fake.port}`;
    try {
      const result = await createDispatcher().dispatch('prompt/optimize', { text: 'Please, I want you to act as a SQL terminal.', target: 'efficiency', llm: { provider: 'local', model: 'ollama:llama3.2' } }, scope) as OptimizedPrompt;
      assert.equal(result.llm?.status, 'accepted', result.llm?.reason);
      assert.equal(result.text, 'Act as a SQL terminal.');
      assert.equal(fake.requests.length, 1);
    } finally {
      if (saved.url === undefined) delete process.env.PEPPERPY_OLLAMA_URL; else process.env.PEPPERPY_OLLAMA_URL = saved.url;
      if (saved.host === undefined) delete process.env.OLLAMA_HOST; else process.env.OLLAMA_HOST = saved.host;
      await fake.close();
    }
  });
});

describe('benchmarks send a known server\'s model only to this machine', () => {
  const saved = { url: process.env.PEPPERPY_OLLAMA_URL, host: process.env.OLLAMA_HOST };
  afterEach(() => {
    if (saved.url === undefined) delete process.env.PEPPERPY_OLLAMA_URL; else process.env.PEPPERPY_OLLAMA_URL = saved.url;
    if (saved.host === undefined) delete process.env.OLLAMA_HOST; else process.env.OLLAMA_HOST = saved.host;
  });

  // The picker lists ollama:M from 127.0.0.1 (detection ignores a remote override) and prices it
  // "$0, runs on localhost:11434"; the benchmark must not then send the queries elsewhere.
  it('ollama:M with OLLAMA_HOST on another host is refused, saying what to write instead', () => {
    delete process.env.PEPPERPY_OLLAMA_URL;
    process.env.OLLAMA_HOST = 'http://evil.example:11434';
    assert.throws(() => resolveProvider('ollama:llama3.2', {}, ''), (e: unknown) => e instanceof EngineError && e.code === 'badRequest'
      && e.message === 'ollama:llama3.2 would go to http://evil.example:11434/v1, which is not on this machine: OLLAMA_HOST / PEPPERPY_OLLAMA_URL are used only when they point at localhost, 127.0.0.1 or [::1].'
      && e.hint === 'Unset them, or name the remote server explicitly: openai-compatible@http://evil.example:11434/v1:llama3.2.');
  });

  it('the same name with OLLAMA_HOST=0.0.0.0 resolves (this machine), and an explicit openai-compatible@URL is taken as written', () => {
    delete process.env.PEPPERPY_OLLAMA_URL;
    process.env.OLLAMA_HOST = '0.0.0.0';
    const local = resolveProvider('ollama:llama3.2', {}, '');
    assert.deepEqual([local.kind, local.model, local.paid], ['openai', 'llama3.2', false]);
    const explicit = resolveProvider('openai-compatible@http://10.0.0.5:8000/v1:m', {}, '');
    assert.deepEqual([explicit.kind, explicit.model], ['openai', 'm']);
  });
});

describe('the local rewrite refusal names the variables that apply', () => {
  it('a remote openai-compatible@URL is not told to unset PEPPERPY_OPENAI-COMPATIBLE_URL (no such variable)', () => {
    assert.throws(() => localRewriteTarget('openai-compatible@http://evil.example/v1:m', undefined, {}), (e: unknown) => e instanceof EngineError
      && e.message === 'http://evil.example/v1 is not on this machine: a local model\'s base URL must be http://localhost, 127.0.0.1 or [::1], so the prompt never leaves it.'
      && e.hint === 'Write the server\'s localhost URL in the name (openai-compatible@http://127.0.0.1:PORT/v1:MODEL), or use a provider with an API key for a remote server.');
  });
});
