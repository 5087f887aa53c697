import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnthropicRewriter, OpenAiCompatibleRewriter, type PriceLookup } from '../../../src/engine/prompt/llm';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';

const PROMPT = 'Please, I want you to act as a SQL terminal. Do not write explanations. My first command is "SELECT TOP 10 * FROM Products".';
const KEY = 'sk-test-secret-key-123';
const prices: PriceLookup = async () => ({ inputPerMTok: 1, outputPerMTok: 2, note: 'test prices' });

interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: { model?: string; messages?: Array<{ role: string; content: string }>; max_tokens?: number; system?: string };
}

/** A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions (and Anthropic messages) wire format. */
function startServer(reply: (body: Recorded['body']) => { status?: number; content: string }): Promise<{ server: Server; url: string; requests: Recorded[] }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as Recorded['body'];
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const { status, content } = reply(body);
      res.writeHead(status ?? 200, { 'content-type': 'application/json' });
      if ((status ?? 200) !== 200) res.end(JSON.stringify({ error: { message: 'bad key' } }));
      else if (req.url === '/v1/messages') res.end(JSON.stringify({ content: [{ type: 'text', text: content }], usage: { input_tokens: 50, output_tokens: 20 } }));
      else res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }], usage: { prompt_tokens: 50, completion_tokens: 20 } }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

describe('LLM-assisted optimization against a local OpenAI-compatible server', function () {
  this.timeout(20_000);
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('returns only the forecast when no cost was approved (no request sent)', async () => {
    const s = await startServer(() => ({ content: 'unused' }));
    server = s.server;
    const rewriter = new OpenAiCompatibleRewriter({ model: 'local-model', apiKey: KEY, baseUrl: `${s.url}/v1` });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, target: 'efficiency' });
    assert.equal(result.llm?.status, 'needsApproval');
    assert.equal(s.requests.length, 0);
    assert.equal(result.llm?.forecast.priced, true);
    assert.ok((result.llm?.forecast.inputTokens ?? 0) > 50);
    assert.equal(result.llm?.forecast.maxTotalCostUsd, ((result.llm?.forecast.inputTokens ?? 0) * 1 + (result.llm?.forecast.maxOutputTokens ?? 0) * 2) / 1e6);
    assert.equal(result.mode, 'local');
  });

  it('keeps a rewrite that preserves every protected item, sending the key only in the header', async () => {
    const good = 'Act as a SQL terminal. Do not write explanations. My first command is "SELECT TOP 10 * FROM Products".';
    const s = await startServer(() => ({ content: good }));
    server = s.server;
    const rewriter = new OpenAiCompatibleRewriter({ model: 'local-model', apiKey: KEY, baseUrl: `${s.url}/v1` });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, approvedCostUsd: 1, target: 'efficiency' });
    assert.equal(result.llm?.status, 'accepted');
    assert.equal(result.text, good);
    assert.equal(result.mode, 'llm');
    assert.deepEqual(result.llm?.usage, { inputTokens: 50, outputTokens: 20 });
    const request = s.requests[0];
    assert.equal(request.path, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.body.model, 'local-model');
    assert.equal(request.body.messages?.[0]?.role, 'system');
    assert.ok(request.body.messages?.[1]?.content.includes('"SELECT TOP 10 * FROM Products"'));
    assert.ok(!JSON.stringify(result).includes(KEY), 'the key never appears in the result');
  });

  it('rejects a rewrite that drops a constraint and returns the local optimization', async () => {
    const s = await startServer(() => ({ content: 'Act as a SQL terminal for "SELECT TOP 10 * FROM Products".' }));
    server = s.server;
    const rewriter = new OpenAiCompatibleRewriter({ model: 'local-model', apiKey: KEY, baseUrl: `${s.url}/v1` });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, approvedCostUsd: 1 });
    assert.equal(result.llm?.status, 'rejected');
    assert.match(result.llm?.reason ?? '', /Do not write explanations/);
    assert.equal(result.mode, 'local');
    assert.ok(result.text.includes('Do not write explanations.'));
  });

  it('does not call when the forecast exceeds the approved cost', async () => {
    const s = await startServer(() => ({ content: 'x' }));
    server = s.server;
    const rewriter = new OpenAiCompatibleRewriter({ model: 'local-model', apiKey: KEY, baseUrl: `${s.url}/v1` });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, approvedCostUsd: 0.0000001 });
    assert.equal(result.llm?.status, 'needsApproval');
    assert.equal(s.requests.length, 0);
  });

  it('reports an HTTP 401 as a failure without leaking the key', async () => {
    const s = await startServer(() => ({ status: 401, content: '' }));
    server = s.server;
    const rewriter = new OpenAiCompatibleRewriter({ model: 'local-model', apiKey: KEY, baseUrl: `${s.url}/v1` });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, approvedCostUsd: 1 });
    assert.equal(result.llm?.status, 'failed');
    assert.match(result.llm?.reason ?? '', /HTTP 401/);
    assert.ok(!JSON.stringify(result).includes(KEY));
  });

  it('speaks the Anthropic messages format too', async () => {
    const good = 'Act as a SQL terminal. Do not write explanations. My first command is "SELECT TOP 10 * FROM Products".';
    const s = await startServer(() => ({ content: good }));
    server = s.server;
    const rewriter = new AnthropicRewriter({ model: 'claude-test', apiKey: KEY, baseUrl: s.url });
    const result = await new PromptOptimizer().optimizeWithLlm(PROMPT, { rewriter, priceLookup: prices, approvedCostUsd: 1 });
    assert.equal(result.llm?.status, 'accepted');
    assert.equal(s.requests[0]?.path, '/v1/messages');
    assert.equal(s.requests[0]?.headers['x-api-key'], KEY);
    assert.equal(s.requests[0]?.headers['anthropic-version'], '2023-06-01');
  });
});
