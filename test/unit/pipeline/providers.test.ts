import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnthropicProvider } from '../../../src/engine/providers/anthropic';
import { OpenAiCompatibleProvider } from '../../../src/engine/providers/openai';
import { EngineError } from '../../../src/protocol/errors';

type Route = (req: IncomingMessage, body: Record<string, unknown>, res: ServerResponse) => void;

async function serve(route: Route): Promise<{ url: string; server: Server; requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] }> {
  const requests: { headers: IncomingMessage['headers']; body: Record<string, unknown> }[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(data || '{}') as Record<string, unknown>;
      requests.push({ headers: req.headers, body });
      route(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

const sse = (res: ServerResponse, events: string[], gapMs = 5) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0;
  const tick = () => {
    if (i >= events.length) {
      res.end();
      return;
    }
    res.write(events[i++]);
    setTimeout(tick, gapMs);
  };
  tick();
};

describe('LLM providers over real wire formats', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it('OpenAI-compatible: non-streamed answer with usage and cached tokens; key sent as bearer', async () => {
    const s = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'gpt-4o-mini-2024', choices: [{ message: { role: 'assistant', content: 'Hello there' }, finish_reason: 'stop' }], usage: { prompt_tokens: 12, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 8 } } }));
    });
    servers.push(s.server);
    const p = new OpenAiCompatibleProvider({ model: 'gpt-4o-mini', baseUrl: s.url, apiKey: 'sk-test-secret-123456' });
    const r = await p.generate({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 5 });
    assert.equal(r.text, 'Hello there');
    assert.deepEqual(r.usage, { inputTokens: 12, outputTokens: 2, cachedInputTokens: 8, source: 'provider' });
    assert.equal(s.requests[0].headers.authorization, 'Bearer sk-test-secret-123456');
    assert.equal(s.requests[0].body.max_tokens, 5);
  });

  it('OpenAI-compatible: SSE stream with include_usage, TTFT and per-token gaps', async () => {
    const chunk = (content: string) => `data: ${JSON.stringify({ model: 'm', choices: [{ index: 0, delta: { content } }] })}\n\n`;
    const s = await serve((_req, _body, res) => sse(res, [chunk('Hel'), chunk('lo'), chunk('!'), `data: ${JSON.stringify({ model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`, `data: ${JSON.stringify({ model: 'm', choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } })}\n\n`, 'data: [DONE]\n\n']));
    servers.push(s.server);
    const p = new OpenAiCompatibleProvider({ model: 'm', baseUrl: s.url, apiKey: 'k' });
    const chunks: string[] = [];
    const r = await p.stream({ messages: [{ role: 'user', content: 'hi' }] }, (c) => chunks.push(c.text));
    assert.equal(r.text, 'Hello!');
    assert.deepEqual(chunks, ['Hel', 'lo', '!']);
    assert.equal(r.usage.inputTokens, 7);
    assert.equal(r.usage.outputTokens, 3);
    assert.equal(r.finishReason, 'stop');
    assert.equal(r.timing.interTokenMs.length, 2);
    assert.ok(r.timing.timeToFirstTokenMs <= r.timing.totalMs);
    assert.deepEqual(s.requests[0].body.stream_options, { include_usage: true });
  });

  it('Anthropic: SSE events with cache usage and message_stop', async () => {
    const ev = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    const s = await serve((_req, _body, res) =>
      sse(res, [
        ev('message_start', { message: { model: 'claude-x', usage: { input_tokens: 10, cache_read_input_tokens: 20, output_tokens: 1 } } }),
        ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ev('ping', {}),
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi' } }),
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: ' you' } }),
        ev('content_block_stop', { index: 0 }),
        ev('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 4 } }),
        ev('message_stop', {}),
      ]),
    );
    servers.push(s.server);
    const p = new AnthropicProvider({ model: 'claude-x', baseUrl: s.url, apiKey: 'ak' });
    const r = await p.stream({ messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] });
    assert.equal(r.text, 'Hi you');
    assert.deepEqual(r.usage, { inputTokens: 30, outputTokens: 4, cachedInputTokens: 20, source: 'provider' });
    assert.equal(r.finishReason, 'end_turn');
    assert.equal(s.requests[0].body.system, 'be brief');
    assert.equal(s.requests[0].headers['x-api-key'], 'ak');
  });

  it('garbage bodies and streams give clear badRequest errors', async () => {
    const s = await serve((req, _body, res) => {
      if (req.url?.includes('v1/messages')) {
        sse(res, ['data: {not json\n\n']);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy error</html>');
    });
    servers.push(s.server);
    await assert.rejects(new OpenAiCompatibleProvider({ model: 'm', baseUrl: s.url, retries: 0 }).generate({ messages: [{ role: 'user', content: 'x' }] }), (e: EngineError) => e.code === 'badRequest' && /not JSON/.test(e.message));
    await assert.rejects(new AnthropicProvider({ model: 'm', baseUrl: s.url, retries: 0 }).stream({ messages: [{ role: 'user', content: 'x' }] }), (e: EngineError) => e.code === 'badRequest' && /malformed/.test(e.message));
  });

  it('a server that never answers times out; a 401 names the key without leaking it; 503 is retried', async () => {
    let calls = 0;
    const s = await serve((req, _body, res) => {
      if (req.url?.startsWith('/hang')) return; // never answers
      if (req.url?.startsWith('/auth')) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'Incorrect API key provided: sk-abcdef1234567890' } }));
        return;
      }
      calls++;
      if (calls < 2) {
        res.writeHead(503);
        res.end('busy');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] }));
    });
    servers.push(s.server);
    await assert.rejects(new OpenAiCompatibleProvider({ model: 'm', baseUrl: `${s.url}/hang`, timeoutMs: 200, retries: 0 }).generate({ messages: [{ role: 'user', content: 'x' }] }), (e: EngineError) => e.code === 'timeout');
    await assert.rejects(new OpenAiCompatibleProvider({ model: 'm', baseUrl: `${s.url}/auth`, apiKey: 'sk-abcdef1234567890', retries: 0 }).generate({ messages: [{ role: 'user', content: 'x' }] }), (e: EngineError) => /API key/.test(e.message) && !e.message.includes('sk-abcdef1234567890'));
    const r = await new OpenAiCompatibleProvider({ model: 'm', baseUrl: s.url, retries: 2, retryDelayMs: 10 }).generate({ messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.text, 'ok');
    assert.equal(calls, 2);
  });
});
