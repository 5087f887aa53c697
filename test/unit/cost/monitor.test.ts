import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { SMTPServer } from 'smtp-server';
import type { LedgerEntry } from '../../../src/protocol/cost';
import { EngineError } from '../../../src/protocol/errors';
import { JsonlLedger, RedisLedger } from '../../../src/engine/cost/ledger';
import { CostMonitor } from '../../../src/engine/cost/monitor';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { expectedUsage, startFakeUpstream, type FakeUpstream } from './fakeUpstream';

const KEY = 'sk-test-secret-key-123';

describe('CostMonitor proxy', function () {
  let upstream: FakeUpstream;
  let dir: string;
  let catalog: PriceCatalog;
  let monitor: CostMonitor;
  let ledger: JsonlLedger;
  let base: string;
  const logs: string[] = [];

  before(async () => {
    upstream = await startFakeUpstream();
    catalog = await PriceCatalog.bundled();
  });
  after(async () => upstream.close());

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-monitor-'));
    ledger = new JsonlLedger(join(dir, 'ledger.jsonl'));
    monitor = new CostMonitor({ ledger, port: 0, catalog, upstreamOpenAi: upstream.url, upstreamAnthropic: upstream.url, log: (level, m) => logs.push(`${level} ${m}`) });
    base = (await monitor.start()).url;
  });
  afterEach(async () => {
    await monitor.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const openai = () => new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0 });
  const anthropic = () => new Anthropic({ apiKey: KEY, baseURL: base, maxRetries: 0 });

  function checkEntry(entry: LedgerEntry, model: string, input: number, options: { anthropic?: boolean } = {}): void {
    const u = expectedUsage(input);
    assert.equal(entry.model, model);
    assert.equal(entry.inputTokens, u.inputTokens);
    assert.equal(entry.outputTokens, u.outputTokens);
    assert.equal(entry.cachedInputTokens, u.cachedInputTokens);
    assert.equal(entry.reasoningTokens, options.anthropic ? 0 : u.reasoningTokens);
    assert.equal(entry.status, 200);
    const expected = catalog.cost(model, { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedInputTokens: u.cachedInputTokens, reasoningTokens: options.anthropic ? 0 : u.reasoningTokens }).totalCost;
    assert.ok(entry.cost !== null && Math.abs(entry.cost - expected) < 1e-12, `cost ${entry.cost} vs ${expected}`);
    assert.ok(entry.priceSource?.name.includes('genai-prices'));
    assert.ok(entry.latencyMs >= 0);
  }

  it('records an OpenAI chat completion with the usage the upstream returned, key untouched', async () => {
    const completion = await openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1200' }] });
    assert.equal(completion.choices[0].message.content, 'Hello!');
    const entries = await ledger.readAll();
    assert.equal(entries.length, 1);
    checkEntry(entries[0], 'gpt-4o', 1200);
    assert.equal(entries[0].api, 'openai.chat');
    assert.equal(upstream.seen.at(-1)?.headers.authorization, `Bearer ${KEY}`);
    assert.ok(!JSON.stringify(entries).includes(KEY) && !logs.join('\n').includes(KEY), 'the key is never written');
  });

  it('streams an OpenAI chat completion, asking for usage and hiding the extra chunk from the client', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '321' }], stream: true });
    let text = '';
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      assert.ok(chunk.choices.length > 0, 'the client did not ask for the usage-only chunk and must not see it');
      text += chunk.choices[0].delta.content ?? '';
    }
    assert.equal(text, 'Hello!');
    assert.equal(chunks, 5);
    assert.deepEqual((upstream.seen.at(-1)?.body.stream_options as { include_usage: boolean }).include_usage, true);
    const [entry] = await ledger.readAll();
    checkEntry(entry, 'gpt-4o-mini', 321);
    assert.equal(entry.stream, true);
  });

  it('passes the usage chunk through when the client asked for it', async () => {
    const stream = await openai().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '50' }], stream: true, stream_options: { include_usage: true } });
    let usage: unknown;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    assert.equal((usage as { prompt_tokens: number }).prompt_tokens, 50);
    checkEntry((await ledger.readAll())[0], 'gpt-4o', 50);
  });

  it('passes SSE through without buffering: the first chunk arrives before the upstream finishes', async () => {
    const slow = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content: 'first' }, finish_reason: null }] })}\n\n`);
      setTimeout(() => {
        res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } })}\n\ndata: [DONE]\n\n`);
        res.end();
      }, 600);
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const slowMonitor = new CostMonitor({ ledger: new JsonlLedger(join(dir, 'slow.jsonl')), port: 0, catalog, upstreamOpenAi: `http://127.0.0.1:${(slow.address() as { port: number }).port}` });
    const { url } = await slowMonitor.start();
    try {
      const started = Date.now();
      const stream = await new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], stream: true, stream_options: { include_usage: true } });
      let firstAt = 0;
      for await (const chunk of stream) if (!firstAt && chunk.choices[0]?.delta.content === 'first') firstAt = Date.now() - started;
      const total = Date.now() - started;
      assert.ok(firstAt < 400 && total >= 550, `first chunk after ${firstAt} ms, whole stream ${total} ms`);
    } finally {
      await slowMonitor.stop();
      slow.closeAllConnections();
      slow.close();
    }
  });

  it('records OpenAI responses (plain and streamed) and embeddings', async () => {
    const client = openai();
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: '900' });
    assert.equal(response.output_text, 'Hello!');
    const stream = await client.responses.create({ model: 'gpt-4.1-mini', input: '901', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    assert.deepEqual(types, ['response.created', 'response.output_text.delta', 'response.completed']);
    const embedding = await client.embeddings.create({ model: 'text-embedding-3-small', input: '77' });
    assert.equal(embedding.data.length, 1);
    const entries = await ledger.readAll();
    assert.equal(entries.length, 3);
    checkEntry(entries[0], 'gpt-4.1-mini', 900);
    checkEntry(entries[1], 'gpt-4.1-mini', 901);
    assert.equal(entries[1].stream, true);
    assert.equal(entries[2].api, 'openai.embeddings');
    assert.equal(entries[2].inputTokens, 77);
    const expected = catalog.cost('text-embedding-3-small', { inputTokens: 77, outputTokens: 0 }, { providerId: 'openai' }).totalCost;
    assert.equal(entries[2].cost, expected);
  });

  it('records Anthropic messages, plain and streamed, adding cache reads back into the input', async () => {
    const client = anthropic();
    const message = await client.messages.create({ model: 'claude-3-5-sonnet-20240620', max_tokens: 10, messages: [{ role: 'user', content: '400' }] });
    assert.equal(message.content[0].type, 'text');
    const stream = await client.messages.create({ model: 'claude-3-5-sonnet-20240620', max_tokens: 10, messages: [{ role: 'user', content: '401' }], stream: true });
    const kinds: string[] = [];
    for await (const event of stream) kinds.push(event.type);
    assert.equal(kinds.at(-1), 'message_stop');
    // This SDK version sends the key as a bearer token; older ones used x-api-key. Either way it arrives untouched.
    const headers = upstream.seen.at(-1)?.headers ?? {};
    assert.ok(headers['x-api-key'] === KEY || headers.authorization === `Bearer ${KEY}`, 'the key reaches the upstream untouched');
    const entries = await ledger.readAll();
    checkEntry(entries[0], 'claude-3-5-sonnet-20240620', 400, { anthropic: true });
    checkEntry(entries[1], 'claude-3-5-sonnet-20240620', 401, { anthropic: true });
    assert.deepEqual(Object.keys(monitor.getCurrentCosts().byModel), ['claude-3-5-sonnet-20240620']);
  });

  it('records malformed answers, answers without usage, unknown models and upstream errors without failing the client', async () => {
    const client = openai();
    await assert.rejects(client.chat.completions.create({ model: 'malformed', messages: [{ role: 'user', content: '1' }] }));
    await client.chat.completions.create({ model: 'no-usage', messages: [{ role: 'user', content: '1' }] });
    await client.chat.completions.create({ model: 'my-private-model', messages: [{ role: 'user', content: '5' }] });
    await assert.rejects(client.chat.completions.create({ model: 'server-error', messages: [{ role: 'user', content: '1' }] }), /boom|500/);
    const entries = await ledger.readAll();
    assert.equal(entries.length, 4);
    assert.match(entries[0].error ?? '', /not JSON/);
    assert.equal(entries[0].usageMissing, true);
    assert.equal(entries[0].cost, null);
    assert.match(entries[1].costNote ?? '', /no usage/);
    assert.equal(entries[2].cost, null);
    assert.match(entries[2].costNote ?? '', /No price for my-private-model/);
    assert.equal(entries[3].status, 500);
    assert.equal(entries[3].cost, 0);
    const costs = monitor.getCurrentCosts();
    assert.equal(costs.byModel['my-private-model'].unpriced, 1);
  });

  it('refuses a port in use with a clear error', async () => {
    const port = Number(new URL(base).port);
    const second = new CostMonitor({ ledger: new JsonlLedger(join(dir, 'other.jsonl')), port, catalog });
    await assert.rejects(second.start(), (e: unknown) => e instanceof EngineError && /Port \d+ on 127.0.0.1 is already in use/.test(e.message));
  });

  it('forwards only to its configured upstreams: absolute-form, scheme-relative and escaping targets are refused, logged, and never reach another host', async () => {
    // A second server that must never see a request (nor the key).
    const stolen: string[] = [];
    const evil = http.createServer((req, res) => {
      stolen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.end('{}');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const evilPort = (evil.address() as { port: number }).port;
    const proxy = new URL(base);
    const raw = (target: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolveRaw, rejectRaw) => {
        // http.request sends `path` verbatim as the request target.
        const req = http.request({ host: proxy.hostname, port: Number(proxy.port), method: 'POST', path: target, headers: { authorization: `Bearer ${KEY}`, 'x-api-key': KEY, 'content-type': 'application/json', ...headers } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolveRaw({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', rejectRaw);
        req.end(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '5' }] }));
      });
    try {
      const hostile = [
        `http://127.0.0.1:${evilPort}/v1/chat/completions`,
        `//127.0.0.1:${evilPort}/v1/chat/completions`,
        `/\\127.0.0.1:${evilPort}/v1/chat/completions`,
        `https://127.0.0.1:${evilPort}/v1/messages`,
        `*`,
      ];
      const before = upstream.seen.length;
      for (const target of hostile) {
        const r = await raw(target);
        assert.equal(r.status, 400, `${target}: ${r.body}`);
        assert.match(r.body, /refused/);
      }
      assert.deepEqual(stolen, [], 'no request reached the other host');
      assert.equal(upstream.seen.length, before, 'refused requests are not forwarded at all');
      const entries = await ledger.readAll();
      assert.equal(entries.length, hostile.length, `each refusal has a ledger line: ${JSON.stringify(entries.map((e) => e.error))}`);
      for (const e of entries) {
        assert.equal(e.api, 'proxy.refused');
        assert.equal(e.status, 400);
        assert.equal(e.cost, 0);
        assert.match(e.error ?? '', /request target/);
      }
      assert.ok(!JSON.stringify(entries).includes(KEY), 'the key is never written');
      // Dot segments are resolved and stay under the upstream: this is the chat route.
      const ok = await raw('/v1/embeddings/../chat/completions');
      assert.equal(ok.status, 200, ok.body);
      assert.equal(upstream.seen.at(-1)?.path, '/v1/chat/completions');
      assert.equal((await ledger.readAll()).at(-1)?.api, 'openai.chat', 'a dot-segment path is metered as the route it resolves to');
      const traversal = await raw('/../../v1/%2e%2e/v1/chat/completions');
      assert.equal(traversal.status, 200, traversal.body);
      assert.equal(upstream.seen.at(-1)?.path, '/v1/chat/completions');
    } finally {
      await new Promise((r) => evil.close(r));
    }
  });

  it('answers 502 when the upstream cannot be reached, and records it', async () => {
    const dead = new CostMonitor({ ledger: new JsonlLedger(join(dir, 'dead.jsonl')), port: 0, catalog, upstreamOpenAi: 'http://127.0.0.1:1' });
    const { url } = await dead.start();
    try {
      await assert.rejects(new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }] }), /502|could not reach/);
      const [entry] = await new JsonlLedger(join(dir, 'dead.jsonl')).readAll();
      assert.equal(entry.status, 502);
    } finally {
      await dead.stop();
    }
  });
});

describe('CostMonitor upstream time-outs and shutdown', function () {
  this.timeout(20_000);
  let dir: string;
  let hung: http.Server;
  let hungUrl: string;
  const sockets = new Set<import('node:net').Socket>();
  let catalog: PriceCatalog;

  before(async () => {
    catalog = await PriceCatalog.bundled();
    // /stall: never answers. /trickle: headers and one SSE chunk, then silence.
    hung = http.createServer((req, res) => {
      if (req.url?.startsWith('/v1/chat/completions') && req.headers['x-mode'] === 'trickle') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"id":"1","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n');
      }
    });
    hung.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => hung.close(r));
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-monitor-timeouts-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 504 and records the request when the upstream never answers or goes silent mid-stream', async () => {
    const ledger = new JsonlLedger(join(dir, 'ledger.jsonl'));
    const monitor = new CostMonitor({ ledger, port: 0, catalog, upstreamOpenAi: hungUrl, timeouts: { firstByteMs: 300, idleMs: 400 } });
    const { url } = await monitor.start();
    try {
      const client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 });
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }] }), (e: unknown) => {
        assert.equal((e as { status?: number }).status, 504);
        assert.match(String((e as Error).message), /sent no answer within 300 ms/);
        return true;
      });
      // Mid-stream silence: the client's stream breaks off, and the ledger says why.
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }], stream: true }, { headers: { 'x-mode': 'trickle' } });
      let text = '';
      await assert.rejects(
        (async () => {
          for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        })(),
      );
      assert.equal(text, 'Hel', 'what arrived before the silence was passed on');
      const entries = await ledger.readAll();
      assert.equal(entries.length, 2);
      assert.deepEqual(entries.map((e) => e.status), [504, 504]);
      assert.match(entries[0].error ?? '', /^upstream time-out: .*sent no answer within 300 ms/);
      assert.match(entries[1].error ?? '', /^upstream time-out mid-answer: .*sent nothing for 400 ms/);
    } finally {
      await monitor.stop();
    }
  });

  it('stops within its grace period while an upstream hangs, cutting and recording the request in flight', async () => {
    const ledger = new JsonlLedger(join(dir, 'ledger.jsonl'));
    const monitor = new CostMonitor({ ledger, port: 0, catalog, upstreamOpenAi: hungUrl, shutdownGraceMs: 200 });
    const { url } = await monitor.start();
    const pending = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0, timeout: 15_000 }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }] });
    const settled = pending.then(() => 'answered', (e: unknown) => (e as { status?: number }).status ?? 'connection closed');
    // Wait until the request is with the upstream, then stop (the default time-outs are minutes).
    for (let i = 0; i < 200 && sockets.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(sockets.size > 0, 'the request reached the upstream');
    await monitor.stop();
    assert.equal(await settled, 504);
    const [entry] = await new JsonlLedger(join(dir, 'ledger.jsonl')).readAll();
    assert.equal(entry.status, 504);
    assert.match(entry.error ?? '', /cost monitor stopped/);
  });
});

describe('CostMonitor alerts', function () {
  it('fires the event, a Slack-style webhook and an e-mail once when the daily threshold is crossed', async () => {
    const upstream = await startFakeUpstream();
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-alert-'));
    const hooks: Array<{ text: string }> = [];
    const hook = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const mails: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as { port: number }).port;
    const monitor = new CostMonitor({
      ledger: new JsonlLedger(join(dir, 'l.jsonl')),
      port: 0,
      catalog: await PriceCatalog.bundled(),
      upstreamOpenAi: upstream.url,
      alertThreshold: 0.01,
      alertWebhook: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`,
      alertEmail: { host: '127.0.0.1', port: smtpPort, secure: false, from: 'pepperpy@localhost', to: 'admin@example.com' },
    });
    const alerts: number[] = [];
    monitor.on('alert', (a) => alerts.push(a.totalCost));
    const failures: string[] = [];
    monitor.on('alertFailed', (f) => failures.push(`${f.channel}: ${f.error}`));
    const { url } = await monitor.start();
    try {
      const client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0 });
      // 2,000 input tokens of gpt-4o cost $0.005 each: the third request crosses $0.01.
      for (let i = 0; i < 4; i++) await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '2000' }] });
      const deadline = Date.now() + 5000;
      while ((hooks.length === 0 || mails.length === 0) && failures.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(failures, []);
      assert.equal(alerts.length, 1, 'one alert a day');
      assert.ok(alerts[0] >= 0.01);
      assert.equal(hooks.length, 1);
      assert.match(hooks[0].text, /above the daily threshold of \$0\.01/);
      assert.equal(mails.length, 1);
      assert.match(mails[0], /Subject: PepperPy cost alert/);
      assert.match(mails[0], /To: admin@example.com/);
    } finally {
      await monitor.stop();
      await upstream.close();
      hook.close();
      await new Promise<void>((r) => smtp.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cost ledger: bad files fail clearly, never as $0', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-ledger-bad-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const entry = (ts: string, cost: number): LedgerEntry => ({ ts, id: ts, api: 'openai.chat', model: 'gpt-4o', status: 200, stream: false, latencyMs: 1, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost });

  it('refuses a folder, a binary file and a JSONL file that holds no ledger entry; tolerates one torn line', async () => {
    await assert.rejects(new JsonlLedger(dir).readAll(), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && /is a folder/.test(e.message));
    const binary = join(dir, 'bin.jsonl');
    writeFileSync(binary, Buffer.from([0x7b, 0x00, 0x01, 0xff, 0x0a, 0x22]));
    await assert.rejects(new JsonlLedger(binary).readAll(), /binary file, not a cost ledger/);
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, '{"a":1}\n[1,2]\n');
    await assert.rejects(new JsonlLedger(other).readAll(), /none of its 2 line\(s\) is a ledger entry/);
    const torn = join(dir, 'torn.jsonl');
    writeFileSync(torn, `${JSON.stringify(entry('2026-01-02T00:00:00.000Z', 0.5))}\n{"ts":"2026-01-02T0`);
    const ledger = new JsonlLedger(torn);
    assert.deepEqual((await ledger.readAll()).map((e) => e.cost), [0.5]);
    assert.equal(ledger.skippedLines, 1);
  });

  it('the monitor refuses to start on a ledger it cannot write, instead of serving requests unmetered', async () => {
    const catalog = await PriceCatalog.bundled();
    const asFolder = new CostMonitor({ ledger: new JsonlLedger(dir), port: 0, catalog });
    await assert.rejects(asFolder.start(), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && /Cannot write the cost ledger .*it is a folder/.test(e.message));
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    const underFile = new CostMonitor({ ledger: new JsonlLedger(join(file, 'ledger.jsonl')), port: 0, catalog });
    await assert.rejects(underFile.start(), /Cannot write the cost ledger .*part of its path is a file/);
  });

  it('`cost today` fails on a missing --ledger file and on a day that is not on the calendar', () => {
    const cli = resolve(__dirname, '../../../src/engine/cli.js');
    const ledger = join(dir, 'ledger.jsonl');
    const missing = spawnSync(process.execPath, [cli, 'cost', 'today', '--ledger', ledger, '--json'], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /"notFound".*No cost ledger at/);
    writeFileSync(ledger, `${JSON.stringify(entry('2024-02-29T10:00:00.000Z', 1.25))}\n`);
    const leap = spawnSync(process.execPath, [cli, 'cost', 'today', '--ledger', ledger, '--day', '2024-02-29', '--json'], { encoding: 'utf8' });
    assert.equal(leap.status, 0, leap.stdout);
    assert.equal((JSON.parse(leap.stdout) as { totalCost: number }).totalCost, 1.25);
    for (const day of ['2026-02-31', '2026-13-01', '2026-00-10']) {
      const bad = spawnSync(process.execPath, [cli, 'cost', 'today', '--ledger', ledger, '--day', day, '--json'], { encoding: 'utf8' });
      assert.equal(bad.status, 2, `${day}: ${bad.stdout}`);
      assert.match(bad.stdout, /not a date on the calendar/);
    }
  });
});

describe('CostMonitor ledger durability', function () {
  this.timeout(60_000);
  const cli = resolve(__dirname, '../../../src/engine/cli.js');

  function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(process.execPath, [cli, 'cost', 'monitor', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Promise((resolveStart, reject) => {
      let err = '';
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m) resolveStart({ child, url: m[1] });
      });
      child.on('exit', (code) => reject(new Error(`monitor exited ${code}: ${err}`)));
    });
  }

  it('keeps every completed request after SIGKILL in the middle of a burst', async () => {
    const upstream = await startFakeUpstream({ delayMs: 15 });
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-kill-'));
    const ledgerFile = join(dir, 'ledger.jsonl');
    try {
      const { child, url } = await startCli(['--port', '0', '--ledger', ledgerFile, '--upstream-openai', upstream.url, '--upstream-anthropic', upstream.url]);
      const client = new OpenAI({ apiKey: KEY, baseURL: `${url}/v1`, maxRetries: 0, timeout: 10_000 });
      const claude = new Anthropic({ apiKey: KEY, baseURL: url, maxRetries: 0, timeout: 10_000 });
      const completed: number[] = [];
      let failed = 0;
      let killed = false;
      const one = async (n: number): Promise<void> => {
        try {
          if (n % 3 === 0) {
            const s = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: String(n) }], stream: true });
            for await (const _chunk of s) void _chunk;
          } else if (n % 3 === 1) {
            await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: String(n) }] });
          } else {
            const s = await claude.messages.create({ model: 'claude-3-5-haiku-latest', max_tokens: 5, messages: [{ role: 'user', content: String(n) }], stream: true });
            for await (const _event of s) void _event;
          }
          completed.push(n);
          if (completed.length === 40 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        } catch {
          failed++;
        }
      };
      // 8 workers, 200 requests: the kill lands while many are in flight.
      let next = 1000;
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < 1200) await one(next++);
      }));
      assert.ok(killed, 'the proxy was killed mid-burst');
      assert.ok(failed > 0, 'some requests were cut off by the kill');
      assert.ok(completed.length >= 40);

      // Restart on the same ledger, then read it back.
      const restarted = await startCli(['--port', '0', '--ledger', ledgerFile, '--upstream-openai', upstream.url]);
      restarted.child.kill('SIGTERM');
      await new Promise((r) => restarted.child.once('exit', r));
      const ledger = new JsonlLedger(ledgerFile);
      const recorded = new Set((await ledger.readAll()).map((e) => e.inputTokens));
      const missing = completed.filter((n) => !recorded.has(n));
      assert.deepEqual(missing, [], `completed requests missing from the ledger: ${missing.join(', ')}`);
    } finally {
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Redis ledger', function () {
  const url = process.env.PEPPERPY_TEST_REDIS_URL;
  before(function () {
    if (!url) {
      console.log('    (skipped: set PEPPERPY_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15, to run the Redis ledger tests)');
      this.skip();
    }
  });

  it('records proxied requests in a per-day list that a second monitor reads back', async () => {
    const upstream = await startFakeUpstream();
    const prefix = `pepperpy:test:${process.pid}:${Date.now()}`;
    const catalog = await PriceCatalog.bundled();
    const monitor = new CostMonitor({ ledger: new RedisLedger(url!, { keyPrefix: prefix }), port: 0, catalog, upstreamOpenAi: upstream.url, upstreamAnthropic: upstream.url });
    const { url: proxy } = await monitor.start();
    try {
      await new OpenAI({ apiKey: KEY, baseURL: `${proxy}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '600' }] });
      await new Anthropic({ apiKey: KEY, baseURL: proxy, maxRetries: 0 }).messages.create({ model: 'claude-3-5-sonnet-20240620', max_tokens: 5, messages: [{ role: 'user', content: '800' }] });
    } finally {
      await monitor.stop();
      await upstream.close();
    }
    const second = new CostMonitor({ ledger: new RedisLedger(url!, { keyPrefix: prefix }), port: 0, catalog });
    await second.start();
    try {
      const costs = second.getCurrentCosts();
      assert.equal(costs.requests, 2);
      assert.equal(costs.byModel['gpt-4o'].inputTokens, 600);
      assert.equal(costs.byModel['claude-3-5-sonnet-20240620'].inputTokens, 800);
      const expected = catalog.cost('gpt-4o', { inputTokens: 600, outputTokens: 7, cachedInputTokens: 150, reasoningTokens: 2 }).totalCost;
      assert.ok(Math.abs(costs.byModel['gpt-4o'].cost - expected) < 1e-12);
      assert.ok(!costs.ledger.includes('password'));
    } finally {
      await second.stop();
    }
  });

  it('fails clearly when Redis cannot be reached', async () => {
    const ledger = new RedisLedger('redis://127.0.0.1:1/0');
    await assert.rejects(ledger.connect(), (e: unknown) => e instanceof EngineError && /Cannot connect to the Redis ledger/.test(e.message));
    await ledger.close();
  });
});
