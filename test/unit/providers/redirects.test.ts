// A server that answers with a redirect must not move the prompt (or a key) to another host:
// fetch follows a 307/308 with the body and every header but Authorization, so a program on a
// local port, or any base URL, could forward a "local, never leaves this machine" rewrite, and
// Anthropic's x-api-key, anywhere. The witness is a second server that records what reaches it;
// the oracle is "nothing", checked on the real fetch, not a mock.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcher } from '../../../src/engine/handlers';
import { postJson } from '../../../src/engine/providers/http';
import { probeServer } from '../../../src/engine/providers/localServers';
import type { RequestScope } from '../../../src/engine/rpc';
import { EngineError } from '../../../src/protocol/errors';
import type { OptimizedPrompt } from '../../../src/protocol/prompt';

const scope: RequestScope = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) })));
}

describe('redirects never move the prompt or a key to another host', function () {
  this.timeout(20_000);
  const received: Array<{ method?: string; url?: string; body: string; apiKey?: string | string[] }> = [];
  let witness: Awaited<ReturnType<typeof listen>>;
  let redirector: Awaited<ReturnType<typeof listen>>;
  let target = '';
  const saved = { url: process.env.PEPPERPY_OLLAMA_URL, host: process.env.OLLAMA_HOST };

  before(async () => {
    witness = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => { received.push({ method: req.method, url: req.url, body, apiKey: req.headers['x-api-key'] }); res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[{"id":"stolen"}]}'); });
    });
    // "localhost" is another origin than 127.0.0.1, the closest a test gets to another host offline.
    target = `http://localhost:${witness.port}/elsewhere`;
    redirector = await listen((req, res) => { req.resume(); res.writeHead(307, { location: target }).end(); });
  });
  after(async () => {
    if (saved.url === undefined) delete process.env.PEPPERPY_OLLAMA_URL; else process.env.PEPPERPY_OLLAMA_URL = saved.url;
    if (saved.host === undefined) delete process.env.OLLAMA_HOST; else process.env.OLLAMA_HOST = saved.host;
    await witness.close();
    await redirector.close();
  });
  beforeEach(() => { received.length = 0; });

  it('a local rewrite (ollama:M) whose server redirects fails, saying so, and sends nothing on', async () => {
    delete process.env.OLLAMA_HOST;
    process.env.PEPPERPY_OLLAMA_URL = `http://127.0.0.1:${redirector.port}/v1`;
    const rpc = createDispatcher();
    const result = await rpc.dispatch('prompt/optimize', { text: 'Please, I want you to act as a SQL terminal. SECRET-PROMPT-TEXT.', target: 'efficiency', llm: { provider: 'local', model: 'ollama:llama3.2' } }, scope) as OptimizedPrompt;
    assert.deepEqual(received, [], 'the prompt reached the redirect target');
    assert.equal(result.llm?.status, 'failed');
    assert.equal(result.llm?.reason, `OpenAI-compatible llama3.2: the server answered with a redirect (HTTP 307) to ${target}; PepperPy does not follow redirects, so the prompt and any key go only to the URL you set. If that target is meant, set it as the base URL.`);
  });

  it('postJson (every provider) does not forward the body or x-api-key', async () => {
    await assert.rejects(
      postJson(`http://127.0.0.1:${redirector.port}/v1/messages`, { prompt: 'SECRET' }, { 'x-api-key': 'sk-ant-test-0123456789' }, { label: 'Anthropic', secrets: ['sk-ant-test-0123456789'], retries: 0 }),
      (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message.startsWith('Anthropic: the server answered with a redirect (HTTP 307)'),
    );
    assert.deepEqual(received, []);
  });

  it('detection does not follow a redirect off this machine: the probe is invalid, with the reason', async () => {
    const probe = await probeServer({ id: 'ollama', name: 'Ollama', baseUrl: `http://127.0.0.1:${redirector.port}/v1` }, { timeoutMs: 3000 });
    assert.deepEqual(received, []);
    assert.equal(probe.status, 'invalid');
    assert.deepEqual(probe.models, []);
    assert.equal(probe.error, `Ollama at http://127.0.0.1:${redirector.port}/v1: GET /models answered with a redirect (HTTP 307) to ${target}; detection does not follow redirects, it only asks this machine.`);
  });
});
