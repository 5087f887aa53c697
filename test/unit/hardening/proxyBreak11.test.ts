// Second hostile pass on the cost proxy (issue 11, brief s18-break11): an upstream redirect
// that the official SDKs follow past the proxy, a request with two Host headers, CONNECT, and
// a key after a quote in a refused target. Each case failed before its fix (see the report).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { LedgerEntry } from '../../../src/protocol/cost';
import { JsonlLedger } from '../../../src/engine/cost/ledger';
import { CostMonitor, proxyLocation } from '../../../src/engine/cost/monitor';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { redactSecrets } from '../../../src/engine/cost/redact';

const KEY = 'sk-test-secret-key-1234567';

interface Server {
  url: string;
  port: number;
  seen: string[];
  close(): Promise<void>;
}

async function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void): Promise<Server> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const CHAT_ANSWER = { id: 'c1', object: 'chat.completion', model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } };

/** Bytes sent as they are; resolves with everything the proxy answered before it closed. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (c: Buffer) => (out += c.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('cost proxy, second hostile pass (issue 11, s18-break11)', function () {
  this.timeout(20_000);
  let dir: string;
  let catalog: PriceCatalog;
  const cleanups: Array<() => Promise<void>> = [];

  before(async () => {
    catalog = await PriceCatalog.bundled();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pp-break11-'));
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  });

  async function monitorFor(upstreamUrl: string): Promise<{ port: number; base: string; entries: () => LedgerEntry[] }> {
    const file = join(dir, 'ledger.jsonl');
    const monitor = new CostMonitor({ ledger: new JsonlLedger(file), port: 0, catalog, upstreamOpenAi: upstreamUrl, upstreamAnthropic: upstreamUrl });
    const address = await monitor.start();
    cleanups.push(() => monitor.stop());
    const entries = (): LedgerEntry[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LedgerEntry);
    return { port: address.port, base: address.url, entries };
  }

  describe('redirects from the upstream', () => {
    it('does not pass on a redirect to another host: the OpenAI and Anthropic SDKs get 502, the other host is never reached, and the ledger says why', async () => {
      const elsewhere = await listen((_req, res) => res.end('{}'));
      cleanups.push(() => elsewhere.close());
      const upstream = await listen((_req, res) => {
        res.writeHead(307, { location: `${elsewhere.url}/v1/chat/completions` });
        res.end();
      });
      cleanups.push(() => upstream.close());
      const { base, entries } = await monitorFor(upstream.url);

      const openai = new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0 });
      await assert.rejects(openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => (e as { status?: number }).status === 502);
      const anthropic = new Anthropic({ apiKey: KEY, baseURL: base, maxRetries: 0 });
      await assert.rejects(anthropic.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (e: unknown) => (e as { status?: number }).status === 502);

      assert.deepEqual(elsewhere.seen, []);
      assert.deepEqual(upstream.seen, ['POST /v1/chat/completions', 'POST /v1/messages']);
      const lines = entries();
      assert.deepEqual(
        lines.map((e) => [e.api, e.status, e.cost]),
        [
          ['openai.chat', 502, 0],
          ['anthropic.messages', 502, 0],
        ],
      );
      assert.match(lines[0].error ?? '', new RegExp(`redirected the request \\(307\\) to "${elsewhere.url.replace(/[.]/g, '\\.')}/v1/chat/completions", outside the configured upstream`));
    });

    it('rewrites a redirect within the upstream to the proxy, so the SDK follows it through the proxy and it is metered', async () => {
      const upstream = await listen((req, res) => {
        if (req.url === '/v1/chat/completions') {
          res.writeHead(308, { location: '/v1/chat/completions?moved=1' });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(CHAT_ANSWER));
      });
      cleanups.push(() => upstream.close());
      const { base, entries } = await monitorFor(upstream.url);
      const openai = new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0 });
      const answer = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
      assert.equal(answer.usage?.prompt_tokens, 10);
      assert.equal(entries()[0].costNote, 'redirected to /v1/chat/completions?moved=1 on the same upstream: a redirect is not billed; the request it points to is recorded when the client follows it');
      assert.deepEqual(upstream.seen, ['POST /v1/chat/completions', 'POST /v1/chat/completions?moved=1']);
      const lines = entries();
      assert.deepEqual(
        lines.map((e) => [e.api, e.status, e.inputTokens, e.outputTokens, e.cost === 0, e.error]),
        [
          ['openai.chat', 308, 0, 0, true, undefined],
          ['openai.chat', 200, 10, 2, false, undefined],
        ],
      );
    });

    it('proxyLocation keeps a Location on the upstream (under its base path) and refuses any other', () => {
      const upstream = new URL('https://gw.example/openai');
      const target = new URL('https://gw.example/openai/v1/chat/completions');
      assert.equal(proxyLocation('/openai/v1/x?a=1', target, upstream), '/v1/x?a=1');
      assert.equal(proxyLocation('https://gw.example/openai/v1/y', target, upstream), '/v1/y');
      assert.equal(proxyLocation('completions2', target, upstream), '/v1/chat/completions2');
      assert.equal(proxyLocation('/other/v1/x', target, upstream), undefined);
      assert.equal(proxyLocation('/openaiX/v1', target, upstream), undefined);
      assert.equal(proxyLocation('http://gw.example/openai/v1/x', target, upstream), undefined);
      assert.equal(proxyLocation('//evil.example/openai/v1', target, upstream), undefined);
      assert.equal(proxyLocation('javascript:alert(1)', target, upstream), undefined);
      assert.equal(proxyLocation('http://[bad', target, upstream), undefined);
    });
  });

  it('answers 400 to a request with two Host headers (the first one its own, the second another name) and never forwards it', async () => {
    const upstream = await listen((_req, res) => res.end(JSON.stringify(CHAT_ANSWER)));
    cleanups.push(() => upstream.close());
    const { port, entries } = await monitorFor(upstream.url);
    const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [] });
    const answer = await rawExchange(port, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nAuthorization: Bearer ${KEY}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.deepEqual(upstream.seen, []);
    assert.deepEqual(
      entries().map((e) => [e.api, e.status, e.cost, e.error]),
      [['proxy.refused', 400, 0, 'the request has 2 Host headers; a request names one host.']],
    );
  });

  it('answers 405 to CONNECT, opens no tunnel, and records it (it was dropped without an answer or a ledger line)', async () => {
    const elsewhere = await listen((_req, res) => res.end('{}'));
    cleanups.push(() => elsewhere.close());
    const { port, entries } = await monitorFor(elsewhere.url);
    const answer = await rawExchange(port, `CONNECT 127.0.0.1:${elsewhere.port} HTTP/1.1\r\nHost: 127.0.0.1:${elsewhere.port}\r\nProxy-Authorization: Bearer ${KEY}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    assert.ok(!answer.includes(KEY));
    assert.deepEqual(elsewhere.seen, []);
    const lines = entries();
    assert.deepEqual(
      lines.map((e) => [e.api, e.status, e.cost]),
      [['proxy.refused', 405, 0]],
    );
    assert.equal(lines[0].error, `CONNECT "127.0.0.1:${elsewhere.port}" asks for a tunnel; the proxy only forwards requests to its configured upstreams.`);
  });

  it('hides a key that follows a quote in a refused target, in the ledger and in the answer', async () => {
    const upstream = await listen((_req, res) => res.end('{}'));
    cleanups.push(() => upstream.close());
    const { port, entries } = await monitorFor(upstream.url);
    const answer = await rawExchange(port, `GET //evil/v1/models?key=abc"def${KEY} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.ok(!answer.includes('secret-key'), answer);
    const lines = entries();
    assert.equal(lines.length, 1);
    assert.equal(lines[0].error, 'the request target "//evil/v1/models?key=***" is not a path; the proxy forwards only /paths to its configured upstreams.');
    // The same rule on its own: an escaped quote is part of the value; a plain quote ends it.
    assert.equal(redactSecrets('"/x?token=a\\"b&c=1"'), '"/x?token=***&c=1"');
    assert.equal(redactSecrets('url "/x?token=abc" here'), 'url "/x?token=***" here');
  });

  it('writes a key pasted as the model name to the ledger masked (the upstream still gets the request as sent)', async () => {
    const bodies: string[] = [];
    const upstream = await listen((_req, res, body) => {
      bodies.push(body);
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"invalid model"}}');
    });
    cleanups.push(() => upstream.close());
    const { base, entries } = await monitorFor(upstream.url);
    const openai = new OpenAI({ apiKey: 'sk-other-key-999999', baseURL: `${base}/v1`, maxRetries: 0 });
    await assert.rejects(openai.chat.completions.create({ model: KEY, messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal((JSON.parse(bodies[0]) as { model: string }).model, KEY);
    assert.deepEqual(
      entries().map((e) => [e.model, e.status, e.cost]),
      [['sk-***', 401, 0]],
    );
  });

  it('forwards a stream request whose stream_options is not an object as it came (it was rewritten to {"0":"x","include_usage":true})', async () => {
    const bodies: string[] = [];
    const upstream = await listen((_req, res, body) => {
      bodies.push(body);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":{"message":"stream_options must be an object"}}');
    });
    cleanups.push(() => upstream.close());
    const { port } = await monitorFor(upstream.url);
    for (const streamOptions of ['"x"', '[1]', '{"include_usage":false}']) {
      const body = `{"model":"gpt-4o-mini","stream":true,"stream_options":${streamOptions},"messages":[]}`;
      const answer = await rawExchange(port, `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
      assert.match(answer, /^HTTP\/1\.1 400 /);
    }
    assert.deepEqual(
      bodies.map((b) => (JSON.parse(b) as { stream_options: unknown }).stream_options),
      ['x', [1], { include_usage: true }],
    );
  });

  it('cuts a model name the upstream answers with at 200 characters, as it does the request\'s', async () => {
    const upstream = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...CHAT_ANSWER, model: 'm'.repeat(10_000) }));
    });
    cleanups.push(() => upstream.close());
    const { base, entries } = await monitorFor(upstream.url);
    const openai = new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    const lines = entries();
    assert.equal(lines.length, 1);
    assert.equal(lines[0].model, `${'m'.repeat(200)}…`);
    assert.equal(lines[0].inputTokens, 10);
  });
});
