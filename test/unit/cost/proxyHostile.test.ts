// The cost proxy and its ledger against a hostile client (issue 11, review h-break11):
// model and task names that are Object.prototype's own (`__proto__`, `toString`,
// `constructor`), browser requests and DNS rebinding (Origin, Host), path variants that
// an upstream may route to a billed endpoint, cut requests (time-out, stop, client gone),
// keys in refused targets, and clients that trickle their headers or body.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { LedgerEntry } from '../../../src/protocol/cost';
import { alertText } from '../../../src/engine/cost/alerts';
import { JsonlLedger, summarize } from '../../../src/engine/cost/ledger';
import { CostMonitor, type CostMonitorOptions } from '../../../src/engine/cost/monitor';
import { historyOf } from '../../../src/engine/cost/monitorHandlers';
import { CostOptimizer } from '../../../src/engine/cost/optimizer';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { expectedUsage, startFakeUpstream, type FakeUpstream } from './fakeUpstream';

const KEY = 'sk-test-secret-key-123';
const PROTO_NAMES = ['__proto__', 'toString', 'constructor'];

function protoIsClean(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).filter((n) => !['constructor', '__defineGetter__', '__defineSetter__', 'hasOwnProperty', '__lookupGetter__', '__lookupSetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toString', 'valueOf', '__proto__', 'toLocaleString'].includes(n)), [], 'Object.prototype gained properties');
  assert.equal(({} as Record<string, unknown>).requests, undefined);
  assert.equal(typeof ({} as Record<string, unknown>).toString, 'function');
}

interface RawAnswer {
  status: number;
  body: string;
}

/** One request with its target sent verbatim (http.request does not normalise `path`). */
function raw(base: string, target: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  const proxy = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: Number(proxy.port), method: options.method ?? 'POST', path: target, agent: false, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body ?? (options.method === 'GET' ? undefined : JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '5' }] })));
  });
}

async function until(what: string, condition: () => boolean): Promise<void> {
  // Bounded by mocha's time-out; waits on a condition, not on a fixed time.
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
  void what;
}

describe('cost proxy against hostile input (issue 11)', function () {
  this.timeout(20_000);
  let upstream: FakeUpstream;
  let catalog: PriceCatalog;
  let dir: string;
  const monitors: CostMonitor[] = [];

  before(async () => {
    upstream = await startFakeUpstream();
    catalog = await PriceCatalog.bundled();
  });
  after(async () => upstream.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-hostile-'));
  });
  afterEach(async () => {
    for (const m of monitors.splice(0)) await m.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startMonitor(options: Partial<CostMonitorOptions> = {}, file = 'ledger.jsonl'): Promise<{ monitor: CostMonitor; ledger: JsonlLedger; base: string; logs: string[] }> {
    const ledger = new JsonlLedger(join(dir, file));
    const logs: string[] = [];
    const monitor = new CostMonitor({ ledger, port: 0, catalog, upstreamOpenAi: upstream.url, upstreamAnthropic: upstream.url, log: (level, m) => logs.push(`${level} ${m}`), ...options });
    monitors.push(monitor);
    const { url } = await monitor.start();
    return { monitor, ledger, base: url, logs };
  }

  describe('model and task names that Object.prototype owns (finding 3)', () => {
    it('proxies `__proto__`, `toString` and `constructor` models like any other: exact per-model totals, Object.prototype untouched', async () => {
      const { monitor, ledger, base } = await startMonitor({ alertThreshold: 1000 });
      // A computed key: `{ __proto__: x }` in a literal would set the prototype.
      const inputs: Record<string, number[]> = { ['__proto__']: [100, 200], toString: [300], constructor: [400, 500, 600] };
      for (const model of PROTO_NAMES) {
        for (const n of inputs[model]) {
          const r = await raw(base, '/v1/chat/completions', { body: JSON.stringify({ model, messages: [{ role: 'user', content: String(n) }] }) });
          assert.equal(r.status, 200, r.body);
        }
      }
      protoIsClean();
      const costs = monitor.getCurrentCosts();
      protoIsClean();
      assert.deepEqual(Object.keys(costs.byModel).sort(), [...PROTO_NAMES].sort());
      for (const model of PROTO_NAMES) {
        assert.ok(Object.hasOwn(costs.byModel, model), model);
        const spend = costs.byModel[model];
        const sum = inputs[model].reduce((a, b) => a + b, 0);
        assert.equal(spend.requests, inputs[model].length, model);
        assert.equal(spend.inputTokens, sum, model);
        assert.equal(spend.outputTokens, 7 * inputs[model].length, model);
        assert.equal(spend.cachedInputTokens, inputs[model].map((n) => expectedUsage(n).cachedInputTokens).reduce((a, b) => a + b, 0), model);
        // No price is known for these names: unknown, counted, never $0.
        assert.equal(spend.unpriced, inputs[model].length, model);
      }
      assert.equal(costs.requests, 6);
      assert.equal(costs.unknownCostRequests, 6);
      assert.equal(costs.totalCost, 0);
      assert.equal((await ledger.readAll()).length, 6);
      // A JSON round trip (what the engine sends the editor) keeps them as plain keys.
      const wire = JSON.parse(JSON.stringify(costs)) as typeof costs;
      assert.equal(Object.getPrototypeOf(wire.byModel), Object.prototype);
      assert.equal(wire.byModel.__proto__ && (wire.byModel.__proto__ as { requests: number }).requests, 2);
    });

    it('reads a ledger holding those models back on the next start without polluting (the pollute.js case)', async () => {
      const file = join(dir, 'old.jsonl');
      const ts = new Date().toISOString();
      const entry = (model: string, cost: number | null): LedgerEntry => ({ ts, id: `${model}${cost}`, api: 'openai.chat', model, status: 200, stream: false, latencyMs: 10, inputTokens: 3, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost });
      writeFileSync(file, [entry('__proto__', 0.5), entry('__proto__', 0.25), entry('toString', 1.5), entry('constructor', 2), entry('constructor', null)].map((e) => JSON.stringify(e)).join('\n') + '\n');
      const { monitor } = await startMonitor({ alertThreshold: 1000 }, 'old.jsonl');
      protoIsClean();
      const costs = monitor.getCurrentCosts();
      protoIsClean();
      assert.equal(costs.byModel.__proto__?.cost, 0.75);
      assert.equal(costs.byModel['toString'].cost, 1.5);
      assert.equal(costs.byModel['constructor'].cost, 2);
      assert.equal(costs.byModel['constructor'].unpriced, 1);
      assert.equal(costs.totalCost, 4.25);
      assert.equal(costs.unknownCostRequests, 1);
      // The threshold check summarises too: crossing it with such a ledger alerts normally.
      const alerting = new CostMonitor({ ledger: new JsonlLedger(file), port: 0, catalog, alertThreshold: 4 });
      monitors.push(alerting);
      await alerting.start();
      protoIsClean();
    });

    it('summarize and history give exact totals for those names (no "function toString() {…}0.5")', () => {
      const today = new Date().toISOString();
      const entry = (model: string, cost: number | null): LedgerEntry => ({ ts: today, id: model, api: 'openai.chat', model, status: 200, stream: false, latencyMs: 4, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost });
      const entries = [entry('toString', 0.5), entry('__proto__', 0.25), entry('constructor', 0.125), entry('toString', 0.5), entry('valueOf', null)];
      const day = summarize(today.slice(0, 10), entries, 'x');
      protoIsClean();
      assert.deepEqual(Object.keys(day.byModel), ['toString', '__proto__', 'constructor', 'valueOf']);
      assert.equal(day.byModel['toString'].cost, 1);
      assert.equal(day.byModel['toString'].requests, 2);
      assert.equal(day.totalCost, 1.375);
      assert.equal(day.unknownCostRequests, 1);
      const history = historyOf(entries, [today.slice(0, 10)], 'x');
      protoIsClean();
      assert.equal(JSON.stringify(history.days[0].byModel), '{"toString":1,"__proto__":0.25,"constructor":0.125,"valueOf":0}');
      assert.deepEqual(history.models, ['toString', '__proto__', 'constructor', 'valueOf']);
      assert.equal(history.totalCost, 1.375);
      assert.equal(history.unknownCostRequests, 1);
      assert.equal(history.days[0].unknownCostRequests, 1);
    });

    it('cost optimize keeps a task named `__proto__`, `toString` or `constructor` (the same plan as any other name)', async () => {
      // The reviewer's setup: gpt-4o for two tasks. By hand, with OpenAI's gpt-4o prices ($2.50 / $10 per
      // million input / output tokens) and the 75 % input share: (500 × 800 + 800 × 600) tokens a day ×
      // (0.75 × 2.5 + 0.25 × 10) / 1e6 × 30 days = 880,000 × 4.375e-6 × 30 = $115.50 a month.
      const setup = (name: string) => JSON.parse(`{"currentSetup": {"models": {"${name}": "gpt-4o", "qa": "gpt-4o"}, "avgUsage": {"${name}": {"queriesPerDay": 500, "avgTokens": 800}, "qa": {"queriesPerDay": 800, "avgTokens": 600}}}, "targetCostReduction": 0.3}`) as Parameters<CostOptimizer['optimize']>[0];
      const optimizer = new CostOptimizer({ prices: catalog });
      const reference = await optimizer.optimize(setup('summaries'));
      assert.equal(reference.currentMonthlyCost, 115.5);
      for (const name of PROTO_NAMES) {
        const plan = await optimizer.optimize(setup(name));
        protoIsClean();
        assert.equal(plan.currentMonthlyCost, 115.5, name);
        assert.equal(plan.estimatedSavingsPercent, reference.estimatedSavingsPercent, name);
        assert.equal(plan.optimizedMonthlyCost, reference.optimizedMonthlyCost, name);
        assert.deepEqual(Object.keys(plan.recommendations), [name, 'qa']);
        assert.ok(Object.hasOwn(plan.recommendations, name));
        assert.deepEqual(plan.recommendations[name], { ...reference.recommendations.summaries, reason: `no benchmark is mapped to "${name}", so quality cannot be compared: kept` }, name);
      }
      // A task named like a prototype property still needs its usage.
      const parse = (text: string) => JSON.parse(text) as Parameters<CostOptimizer['optimize']>[0];
      await assert.rejects(optimizer.optimize(parse('{"currentSetup": {"models": {"constructor": "gpt-4o"}, "avgUsage": {}}}')), /No avgUsage for task\(s\) constructor/);
      await assert.rejects(optimizer.optimize(parse('{"currentSetup": {"models": {"qa": "gpt-4o"}, "avgUsage": {"qa": {"queriesPerDay": 1, "avgTokens": 1}, "toString": {"queriesPerDay": 1, "avgTokens": 1}}}}')), /avgUsage names task\(s\) without a model: toString/);
      await assert.rejects(optimizer.optimize(parse('{"currentSetup": {"models": {"__proto__": "gpt-4o"}, "avgUsage": {"__proto__": {"queriesPerDay": -1, "avgTokens": 1}}}}')), /__proto__/);
    });
  });

  describe('browsers and DNS rebinding', () => {
    it('refuses a request with an Origin (403), records it, and never forwards it', async () => {
      const { ledger, base } = await startMonitor();
      const before = upstream.seen.length;
      // What a web page can send without a preflight: text/plain.
      const r = await raw(base, '/v1/chat/completions', { headers: { origin: 'https://evil.example', 'content-type': 'text/plain;charset=UTF-8' }, body: '{"model":"__proto__","messages":[]}' });
      assert.equal(r.status, 403, r.body);
      assert.match((JSON.parse(r.body) as { error: { message: string } }).error.message, /Origin "https:\/\/evil.example"/);
      assert.equal(upstream.seen.length, before);
      const [entry] = await ledger.readAll();
      assert.equal(entry.api, 'proxy.refused');
      assert.equal(entry.status, 403);
      assert.equal(entry.cost, 0);
      assert.match(entry.error ?? '', /web page/);
      protoIsClean();
    });

    it('refuses a Host that is not its own address (DNS rebinding), accepts 127.0.0.1, localhost and configured names', async () => {
      const { ledger, base } = await startMonitor({ allowedHosts: ['proxy.internal'] });
      const port = new URL(base).port;
      const before = upstream.seen.length;
      const foreign = await raw(base, '/v1/chat/completions', { headers: { host: `evil.example:${port}` } });
      assert.equal(foreign.status, 403, foreign.body);
      const wrongPort = await raw(base, '/v1/chat/completions', { headers: { host: `127.0.0.1:1` } });
      assert.equal(wrongPort.status, 403, wrongPort.body);
      assert.equal(upstream.seen.length, before);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`, `proxy.internal:${port}`, 'proxy.internal']) {
        const ok = await raw(base, '/v1/chat/completions', { headers: { host } });
        assert.equal(ok.status, 200, `${host}: ${ok.body}`);
      }
      const entries = await ledger.readAll();
      assert.deepEqual(entries.map((e) => `${e.api} ${e.status}`), ['proxy.refused 403', 'proxy.refused 403', ...Array<string>(6).fill('openai.chat 200')]);
      assert.match(entries[0].error ?? '', /Host "evil.example:\d+" is not this proxy's address/);
    });

    it('accepts a configured Origin', async () => {
      const { base } = await startMonitor({ allowedOrigins: ['http://localhost:3000'] });
      assert.equal((await raw(base, '/v1/chat/completions', { headers: { origin: 'http://localhost:3000' } })).status, 200);
      assert.equal((await raw(base, '/v1/chat/completions', { headers: { origin: 'http://localhost:3001' } })).status, 403);
    });
  });

  describe('path variants (finding 4): every forwarded request has a ledger line, and what an upstream bills is metered', () => {
    /**
     * An upstream as lenient as one could be: it decodes the path, drops matrix parameters,
     * NULs, duplicate and trailing slashes, and routes case-insensitively. Whatever it bills
     * must be in the ledger as a metered chat completion with its tokens.
     */
    let lenient: http.Server;
    let lenientUrl: string;
    const billed: Array<{ target: string; tokens: number }> = [];
    const reached: string[] = [];
    before(async () => {
      lenient = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          reached.push(req.url ?? '');
          let path = (req.url ?? '').split('?')[0];
          try {
            path = decodeURIComponent(path);
          } catch {
            // kept
          }
          path = path.replace(/;[^/]*/g, '').replace(/\0/g, '').replace(/\/+/g, '/').replace(/\/$/, '').toLowerCase();
          if (req.method === 'POST' && path === '/v1/chat/completions') {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; messages: Array<{ content: string }> };
            const tokens = Number(body.messages[0].content);
            billed.push({ target: req.url ?? '', tokens });
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: tokens, completion_tokens: 1, total_tokens: tokens + 1 } }));
            return;
          }
          // Any other endpoint answers (an audio or image endpoint would bill, without a usage the proxy reads).
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(req.method === 'GET' ? '{"object":"list","data":[]}' : '{"ok":true}');
        });
      });
      await new Promise<void>((r) => lenient.listen(0, '127.0.0.1', r));
      lenientUrl = `http://127.0.0.1:${(lenient.address() as { port: number }).port}`;
    });
    after(async () => new Promise<void>((r) => lenient.close(() => r())));

    it('meters or refuses each of the reviewer\'s variants; none reaches the upstream unrecorded', async () => {
      const { ledger, base } = await startMonitor({ upstreamOpenAi: lenientUrl });
      const variants: Array<[string, 'metered' | 'refused' | 'unmetered']> = [
        ['/v1/chat/completions', 'metered'],
        ['/v1/chat/completions/', 'metered'],
        ['/V1/chat/completions', 'metered'],
        ['/v1/CHAT/Completions', 'metered'],
        ['/v1//chat/completions', 'metered'],
        ['/v1/chat//completions//', 'metered'],
        ['/v1/chat/%63ompletions', 'metered'],
        ['/v1/chat/completion%73', 'metered'],
        ['/v1/./chat/completions/.', 'metered'],
        ['/v1/chat/completions?x=1', 'metered'],
        ['/v1/chat%2fcompletions', 'refused'],
        ['/v1/chat%2Fcompletions', 'refused'],
        ['/v1/chat/completions%2F', 'refused'],
        ['/v1/chat/completions;x=1', 'refused'],
        ['/v1;x=1/chat/completions', 'refused'],
        ['/v1/chat/completions%00', 'refused'],
        ['/v1/chat/completions%3Fx=1', 'refused'],
        ['/v1/chat/completions%5C', 'refused'],
        ['/v1/chat/completions%zz', 'refused'],
        ['/v1/chat/completions%20', 'unmetered'],
        ['/v1/chat/completions/x', 'unmetered'],
      ];
      let tokens = 100;
      const expected: Array<{ target: string; api: string; status: number; tokens: number }> = [];
      for (const [target, kind] of variants) {
        tokens++;
        const r = await raw(base, target, { body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: String(tokens) }] }) });
        if (kind === 'refused') {
          assert.equal(r.status, 400, `${target}: ${r.status} ${r.body}`);
          expected.push({ target, api: 'proxy.refused', status: 400, tokens: 0 });
        } else if (kind === 'metered') {
          assert.equal(r.status, 200, `${target}: ${r.status} ${r.body}`);
          expected.push({ target, api: 'openai.chat', status: 200, tokens });
        } else {
          assert.equal(r.status, 200, `${target}: ${r.status} ${r.body}`);
          expected.push({ target, api: 'proxy.unmetered', status: 200, tokens: 0 });
        }
      }
      const entries = await ledger.readAll();
      assert.equal(entries.length, variants.length, 'one ledger line per request');
      assert.deepEqual(
        entries.map((e, i) => ({ target: variants[i][0], api: e.api, status: e.status, tokens: e.inputTokens })),
        expected,
      );
      // Everything the lenient upstream billed is metered, with its tokens.
      const meteredTokens = entries.filter((e) => e.api === 'openai.chat').map((e) => e.inputTokens);
      assert.deepEqual(meteredTokens, billed.map((b) => b.tokens));
      // What was forwarded is the normalised path.
      assert.ok(reached.every((t) => !/\/\/|;|%(?:2f|00|3f|5c)/i.test(t) && !t.split('?')[0].endsWith('/')), reached.join(' '));
      for (const e of entries.filter((x) => x.api === 'proxy.unmetered')) {
        assert.equal(e.cost, null, 'a POST to an endpoint the proxy does not read may be billed: cost unknown');
        assert.match(e.costNote ?? '', /unmetered endpoint POST \/v1\/chat\/completions(%20|\/x)/);
      }
    });

    it('forwards and records unknown endpoints: GET /v1/models is not billed, POST /v1/audio/speech is of unknown cost', async () => {
      const { ledger, base } = await startMonitor({ upstreamOpenAi: lenientUrl });
      const list = await raw(base, '/v1/models', { method: 'GET' });
      assert.equal(list.status, 200);
      assert.equal(list.body, '{"object":"list","data":[]}');
      const speech = await raw(base, '/v1/audio/speech', { body: JSON.stringify({ model: 'tts-1', input: 'hi' }) });
      assert.equal(speech.status, 200);
      const entries = await ledger.readAll();
      assert.deepEqual(entries.map((e) => [e.api, e.model, e.status, e.cost]), [['proxy.unmetered', 'unknown', 200, 0], ['proxy.unmetered', 'tts-1', 200, null]]);
      assert.match(entries[0].costNote ?? '', /GET request is not billed/);
      assert.match(entries[1].costNote ?? '', /cost is unknown/);
    });
  });

  describe('cut requests are of unknown cost, not $0 (finding 6)', () => {
    let hung: http.Server;
    let hungUrl: string;
    const sockets = new Set<net.Socket>();
    let hungRequests = 0;
    before(async () => {
      hung = http.createServer((req, res) => {
        hungRequests++;
        if (req.headers['x-mode'] === 'trickle') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('data: {"id":"1","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n');
        }
      });
      hung.on('connection', (s) => {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
      });
      await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
      hungUrl = `http://127.0.0.1:${(hung.address() as { port: number }).port}`;
    });
    after(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => hung.close(r));
    });

    it('a time-out before the answer and a stream cut after its 200 are recorded with cost null, and totals and alerts count them', async () => {
      const { monitor, ledger, base } = await startMonitor({ upstreamOpenAi: hungUrl, timeouts: { firstByteMs: 200, idleMs: 300 } });
      const client = new OpenAI({ apiKey: KEY, baseURL: `${base}/v1`, maxRetries: 0, timeout: 15_000 });
      await assert.rejects(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }] }), (e: unknown) => (e as { status?: number }).status === 504);
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: '1' }], stream: true }, { headers: { 'x-mode': 'trickle' } });
      await assert.rejects(
        (async () => {
          for await (const _chunk of stream) void _chunk;
        })(),
      );
      const entries = await ledger.readAll();
      assert.equal(entries.length, 2);
      for (const e of entries) {
        assert.equal(e.status, 504);
        assert.equal(e.cost, null, `${e.error}: cost ${e.cost}`);
        assert.match(e.costNote ?? '', /cost is unknown/);
      }
      assert.match(entries[0].costNote ?? '', /^cut before the answer/);
      assert.match(entries[1].costNote ?? '', /^cut mid-answer/);
      const costs = monitor.getCurrentCosts();
      assert.equal(costs.unknownCostRequests, 2);
      assert.equal(costs.byModel['gpt-4o'].unpriced, 2);
      assert.match(alertText({ day: costs.day, threshold: 0, totalCost: costs.totalCost, costs }), /at least: 2 requests of unknown cost not included/);
    });

    it('a request cut by a stop is of unknown cost', async () => {
      const { monitor, base } = await startMonitor({ upstreamOpenAi: hungUrl, shutdownGraceMs: 100 });
      monitors.pop();
      const seen = hungRequests;
      const pending = raw(base, '/v1/chat/completions').catch(() => ({ status: 0, body: '' }));
      await until('the request reached the upstream', () => hungRequests > seen);
      await monitor.stop();
      assert.equal((await pending).status, 504);
      const [entry] = await new JsonlLedger(join(dir, 'ledger.jsonl')).readAll();
      assert.equal(entry.cost, null);
      assert.match(entry.error ?? '', /cost monitor stopped/);
    });

    it('an upstream that cannot be reached is not billed (cost 0); an upstream error answer without usage neither', async () => {
      const { ledger, base } = await startMonitor({ upstreamOpenAi: 'http://127.0.0.1:1' });
      assert.equal((await raw(base, '/v1/chat/completions')).status, 502);
      const [entry] = await ledger.readAll();
      assert.equal(entry.cost, 0);
      assert.match(entry.costNote ?? '', /never reached the upstream/);
    });
  });

  describe('a client that goes away cancels the upstream request (finding 7)', () => {
    let upstreamServer: http.Server;
    let upstreamUrl: string;
    const closedAt: string[] = [];
    const received: string[] = [];
    before(async () => {
      // /stream: headers and one event, then nothing (a long generation); /think: no answer at all.
      upstreamServer = http.createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          received.push(req.headers['x-case'] as string);
          if (req.headers['x-case'] === 'stream') {
            res.writeHead(200, { 'content-type': 'text/event-stream' });
            res.write('data: {"id":"1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"}}]}\n\n');
          }
          res.on('close', () => closedAt.push(req.headers['x-case'] as string));
        });
      });
      await new Promise<void>((r) => upstreamServer.listen(0, '127.0.0.1', r));
      upstreamUrl = `http://127.0.0.1:${(upstreamServer.address() as { port: number }).port}`;
    });
    after(async () => {
      upstreamServer.closeAllConnections();
      await new Promise((r) => upstreamServer.close(r));
    });

    function hangUpAfter(base: string, which: string, when: 'firstChunk' | 'reached'): Promise<void> {
      const proxy = new URL(base);
      return new Promise((resolve) => {
        const req = http.request({ host: proxy.hostname, port: Number(proxy.port), method: 'POST', path: '/v1/chat/completions', agent: false, headers: { 'content-type': 'application/json', 'x-case': which } }, (res) => {
          res.once('data', () => {
            if (when === 'firstChunk') req.destroy();
          });
        });
        req.on('error', () => undefined);
        req.on('close', () => resolve());
        req.end(JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: '3' }] }));
        if (when === 'reached') void until('the upstream has the request', () => received.includes(which)).then(() => req.destroy());
      });
    }

    it('mid-stream: the upstream sees its request closed, and the ledger has one line of unknown cost', async () => {
      const { ledger, base } = await startMonitor({ upstreamOpenAi: upstreamUrl });
      await hangUpAfter(base, 'stream', 'firstChunk');
      await until('the upstream request is closed', () => closedAt.includes('stream'));
      let entries: LedgerEntry[] = [];
      await until('the ledger line is written', () => {
        void ledger.readAll().then((e) => (entries = e));
        return entries.length > 0;
      });
      assert.equal(entries.length, 1);
      assert.equal(entries[0].cost, null);
      assert.match(entries[0].error ?? '', /client closed the connection mid-answer/);
    });

    it('before the answer: the upstream request is cancelled and recorded as 499', async () => {
      const { ledger, base } = await startMonitor({ upstreamOpenAi: upstreamUrl });
      await hangUpAfter(base, 'think', 'reached');
      await until('the upstream request is closed', () => closedAt.includes('think'));
      let entries: LedgerEntry[] = [];
      await until('the ledger line is written', () => {
        void ledger.readAll().then((e) => (entries = e));
        return entries.length > 0;
      });
      assert.equal(entries[0].status, 499);
      assert.equal(entries[0].cost, null);
    });
  });

  describe('secrets in refused requests (finding 8)', () => {
    it('writes no key from a refused target\'s query or headers to the ledger or the log', async () => {
      const { ledger, base, logs } = await startMonitor();
      const secret = 'sk-live-0123456789abcdefSECRET';
      for (const target of [`http://evil.example/v1/chat/completions?key=${secret}`, `/v1/chat%2fcompletions?api_key=${secret}&x=1`, `//evil.example/v1?token=${secret}`]) {
        const r = await raw(base, target);
        assert.equal(r.status, 400);
        assert.ok(!r.body.includes(secret), r.body);
      }
      const text = readFileSync(join(dir, 'ledger.jsonl'), 'utf8');
      assert.equal((await ledger.readAll()).length, 3);
      assert.ok(!text.includes(secret) && !text.includes('0123456789abcdef'), text);
      assert.match(text, /key=\*\*\*/);
      assert.ok(!logs.join('\n').includes(secret));
    });
  });

  describe('slow clients (finding 13)', () => {
    function slowClient(base: string, first: string, drip: string): Promise<{ answer: string; closed: boolean }> {
      const proxy = new URL(base);
      return new Promise((resolve) => {
        let answer = '';
        const socket = net.connect(Number(proxy.port), proxy.hostname, () => socket.write(first));
        const timer = setInterval(() => {
          if (!socket.destroyed) socket.write(drip);
        }, 100);
        socket.on('data', (c: Buffer) => {
          // Stop sending once answered, so the close carries the whole answer.
          clearInterval(timer);
          answer += c.toString('utf8');
        });
        socket.on('error', () => undefined);
        socket.on('close', () => {
          clearInterval(timer);
          resolve({ answer, closed: true });
        });
      });
    }

    it('answers 408 and records a client that trickles its body', async () => {
      const { ledger, base } = await startMonitor({ clientTimeouts: { headersMs: 400, bodyMs: 400 } });
      const before = upstream.seen.length;
      const r = await slowClient(base, `POST /v1/chat/completions HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`, ' ');
      assert.match(r.answer, /^HTTP\/1\.1 408/);
      assert.match(r.answer, /request body did not arrive within 400 ms/);
      assert.equal(upstream.seen.length, before);
      const [entry] = await ledger.readAll();
      assert.equal(entry.status, 408);
      assert.equal(entry.api, 'proxy.refused');
    });

    it('answers 408 and records a client that never finishes its headers', async () => {
      const { ledger, base } = await startMonitor({ clientTimeouts: { headersMs: 400, bodyMs: 400 } });
      const r = await slowClient(base, `POST /v1/chat/completions HTTP/1.1\r\nHost: ${new URL(base).host}\r\n`, 'X-a: b\r\n');
      assert.match(r.answer, /^HTTP\/1\.1 408/);
      let entries: LedgerEntry[] = [];
      await until('the ledger line is written', () => {
        void ledger.readAll().then((e) => (entries = e));
        return entries.length > 0;
      });
      assert.equal(entries[0].status, 408);
      assert.match(entries[0].error ?? '', /headers did not arrive within 400 ms/);
    });

    it('uses 30 s for the headers by default (Node\'s own default is 60 s, checked every 30 s)', async () => {
      const { monitor } = await startMonitor();
      const server = (monitor as unknown as { server: http.Server }).server;
      assert.equal(server.headersTimeout, 30_000);
      assert.ok(server.requestTimeout > 30_000, 'the body deadline (30 s) answers before Node\'s backstop');
    });
  });
});
