import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { LatencyBenchmark } from '../../../src/engine/benchmark/latency';
import { meanCi95 } from '../../../src/engine/benchmark/metrics';
import { ModelBenchmark } from '../../../src/engine/benchmark/model';
import { QualityBenchmark } from '../../../src/engine/benchmark/quality';
import { priceUsage } from '../../../src/engine/pipeline/costing';
import { EngineError } from '../../../src/protocol/errors';

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions, JSON and SSE) that plays
 * both the model under test and the judge. The judge answers "Score: N" with N = 6 + seed
 * (seeds 1, 2, 3 → 7, 8, 9), except that it gives no usable score to fluency's third
 * judgment, so each quality number can be computed by hand.
 */
interface Fake {
  url: string;
  server: Server;
  requests: { model: string; stream: boolean; seed?: number; content: string }[];
}

const ANSWERS: Record<string, string> = { 'What is the capital of France?': 'Paris', 'What is the capital of Italy?': 'Berlin' };
const USAGE = { prompt_tokens: 100, completion_tokens: 3 };

async function fakeOpenAi(chunkGapMs = 15): Promise<Fake> {
  const requests: Fake['requests'] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(data) as { model: string; stream?: boolean; seed?: number; messages: { content: string }[] };
      const content = body.messages[body.messages.length - 1].content;
      requests.push({ model: body.model, stream: body.stream === true, ...(body.seed !== undefined ? { seed: body.seed } : {}), content });
      let text: string;
      if (content.startsWith('You are grading an answer')) {
        text = /^You are grading an answer\. Fluency/.test(content) && body.seed === 3 ? 'I would rather not grade this.' : `Score: ${6 + (body.seed ?? 0)}`;
      } else {
        text = ANSWERS[content] ?? 'The answer is short.';
      }
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ model: body.model, choices: [{ message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: USAGE }));
        return;
      }
      const words = text.split(' ');
      const events = [...words.map((w, i) => ({ model: body.model, choices: [{ index: 0, delta: { content: i === 0 ? w : ` ${w}` } }] })), { model: body.model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }, { model: body.model, choices: [], usage: { prompt_tokens: 100, completion_tokens: words.length } }];
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const tick = () => {
        if (i < events.length) {
          res.write(`data: ${JSON.stringify(events[i++])}\n\n`);
          setTimeout(tick, i <= words.length ? chunkGapMs : 0);
        } else res.end('data: [DONE]\n\n');
      };
      tick();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, server, requests };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-bench-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};
const neverCancelled = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } };

describe('benchmarks against a local OpenAI-compatible server and the local ONNX model', function () {
  this.timeout(30_000);
  let fake: Fake;
  before(async () => {
    fake = await fakeOpenAi();
  });
  after(() => fake.server.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });
  const hosted = (model: string) => ({ provider: 'openai' as const, model, baseUrl: fake.url });

  it('LatencyBenchmark: percentiles, time to first token and per output token, throughput; HTTP and local ONNX', async () => {
    const progress: number[] = [];
    const resultsDir = path.join(tmp, 'latency');
    const r = await new LatencyBenchmark().run(
      // local:bigram: the word-bigram ONNX decoder (plain `local` is the extractive reader, which decodes nothing).
      { models: [hosted('gpt-4o-mini'), 'local:bigram'], inputLengths: [8], outputLengths: [6], batchSizes: [1, 2], iterations: 3, warmupIterations: 1 },
      { confirmCost: true, resultsDir, ctx: { ...neverCancelled, progress: (p) => progress.push(p.percent ?? -1) } },
    );
    // (3 measured + 1 warm-up) batches of 1 and of 2, all streamed.
    assert.equal(fake.requests.length, 4 * 1 + 4 * 2);
    assert.ok(fake.requests.every((q) => q.stream && q.content.split(' ').length === 8));
    const http = r.results['openai:gpt-4o-mini']['8']['6'];
    for (const b of ['1', '2']) {
      const cell = http[b];
      assert.equal(cell.requests, 3 * Number(b));
      assert.ok(cell.p50 <= cell.p90 && cell.p90 <= cell.p99, JSON.stringify(cell));
      // "The answer is short." arrives as 4 chunks 15 ms apart: first token early, ~15 ms per token after it.
      // Both figures are means over the same requests, and each request's first token comes before its end,
      // so this holds however loaded the machine is (a median could sit below one slow first token).
      assert.ok(cell.timeToFirstTokenMs < cell.mean, JSON.stringify(cell));
      assert.ok(cell.timePerOutputTokenMs >= 10 && cell.timePerOutputTokenMs < 200, JSON.stringify(cell));
      assert.ok(cell.p50 >= 3 * 14, `three 15 ms gaps at least: ${cell.p50}`);
      assert.ok(cell.throughput > 0 && cell.outputTokensPerSecond > 0);
    }
    assert.ok(http['2'].throughput > http['1'].throughput * 1.2, `two concurrent requests finish more per second: ${http['1'].throughput} → ${http['2'].throughput}`);
    const local = r.results['local:bigram']['8']['6']['1'];
    assert.equal(local.requests, 3);
    assert.ok(local.p50 > 0 && local.timeToFirstTokenMs > 0 && local.timeToFirstTokenMs <= local.mean && local.timePerOutputTokenMs > 0, JSON.stringify(local));
    assert.deepEqual(progress, [25, 50, 75, 100]);
    assert.ok(r.file && (JSON.parse(fs.readFileSync(r.file, 'utf8')) as { kind: string }).kind === 'latency');
  });

  it('LatencyBenchmark: paid calls are refused before any request unless the forecast is confirmed', async () => {
    let seen: { paidCalls: number; maxCostUsd: number } | undefined;
    await assert.rejects(
      new LatencyBenchmark().run({ models: [hosted('gpt-4o-mini')], inputLengths: [8], outputLengths: [6], batchSizes: [2], iterations: 2, warmupIterations: 1 }, { confirmCost: (f) => ((seen = f), false) }),
      (e: EngineError) => e.code === 'badRequest' && /6 paid call\(s\)/.test(e.message),
    );
    assert.equal(seen?.paidCalls, 6);
    assert.ok((seen?.maxCostUsd ?? 0) > 0);
    assert.equal(fake.requests.length, 0, 'no request was made');
  });

  it('ModelBenchmark: accuracy, F1, ROUGE-L, latency and cost from the price catalog; malformed lines reported', async () => {
    const dataset = write('capitals.jsonl', '{"input":"What is the capital of France?","reference":"Paris"}\n{"input": broken\n{"input":"What is the capital of Italy?","reference":"Rome"}\n');
    const r = await new ModelBenchmark().run({ models: [hosted('gpt-4o-mini'), 'local'], tasks: ['capitals'], datasets: { capitals: dataset }, maxTokens: 8 }, { confirmCost: true });
    const cell = r.results['openai:gpt-4o-mini'].capitals;
    assert.equal(cell.items, 2);
    assert.equal(cell.accuracy, 0.5);
    assert.equal(cell.f1, 0.5);
    assert.equal(cell.rouge, 0.5);
    assert.ok((cell.latency ?? 0) > 0);
    const expected = 2 * (await priceUsage('gpt-4o-mini', 100, 3))!;
    assert.ok(expected > 0);
    assert.ok(Math.abs((cell.cost ?? 0) - expected) < 1e-8, `${cell.cost} vs ${expected}`);
    assert.match(cell.costBasis, /published prices/);
    assert.equal(cell.skippedLines.length, 1);
    assert.match(cell.skippedLines[0], /:2\b/);
    const local = r.results.local.capitals;
    assert.equal(local.cost, 0);
    assert.match(local.costBasis, /free/);
    assert.equal(fake.requests.length, 2);
    await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: ['x'], datasets: {} }), (e: EngineError) => e.code === 'badRequest' && /task "x"/.test(e.message));
    await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: ['x'], datasets: { x: path.join(tmp, 'missing.jsonl') } }), (e: EngineError) => e.code === 'notFound');
  });

  it('QualityBenchmark: repeated judgments, mean and 95 % CI, unparsed judgments, judge cost from the price catalog', async () => {
    const dataset = write('quality.jsonl', '{"input":"What is the capital of France?","reference":"Paris"}\n{"input":"What is the capital of Italy?","reference":"Rome"}\n');
    const r = await new QualityBenchmark().run(
      { models: [hosted('gpt-4o')], evaluationDatasets: { capitals: dataset }, evaluatorModel: hosted('gpt-4o-mini'), metrics: ['correctness', 'fluency'], repeats: 3 },
      { confirmCost: true, resultsDir: path.join(tmp, 'quality') },
    );
    const judged = fake.requests.filter((q) => q.model === 'gpt-4o-mini');
    assert.equal(judged.length, 2 * 2 * 3, 'items × metrics × repeats');
    assert.deepEqual([...new Set(judged.map((q) => q.seed))].sort(), [1, 2, 3], 'each repeat is a separate seeded judgment');
    assert.ok(judged.every((q) => /Reference answer:\n(Paris|Rome)/.test(q.content) && /Answer to grade:\n(Paris|Berlin)/.test(q.content)));
    const correctness = r.results['openai:gpt-4o'].capitals.correctness;
    const expected = meanCi95([7, 8, 9, 7, 8, 9]);
    assert.equal(correctness.mean, 8);
    assert.equal(correctness.n, 6);
    assert.equal(correctness.unparsed, 0);
    assert.ok(Math.abs(correctness.ci95 - expected.ci95) < 1e-3 && correctness.ci95 > 0.9 && correctness.ci95 < 1, String(correctness.ci95));
    assert.ok(Math.abs(correctness.low - (8 - expected.ci95)) < 1e-3 && Math.abs(correctness.high - (8 + expected.ci95)) < 1e-3);
    const fluency = r.results['openai:gpt-4o'].capitals.fluency;
    assert.equal(fluency.mean, 7.5);
    assert.equal(fluency.n, 4);
    assert.equal(fluency.unparsed, 2);
    assert.equal(r.judge.calls, 12);
    assert.equal(r.judge.inputTokens, 1200);
    assert.equal(r.judge.outputTokens, 36);
    const judgeCost = 12 * (await priceUsage('gpt-4o-mini', 100, 3))!;
    assert.ok(judgeCost > 0 && Math.abs(r.judge.costUsd - judgeCost) < 1e-7, `${r.judge.costUsd} vs ${judgeCost}`);
    assert.ok(r.file && fs.existsSync(r.file));
  });

  it('QualityBenchmark: a cancelled run stops between items', async () => {
    const dataset = write('quality2.jsonl', '{"input":"What is the capital of France?"}\n{"input":"What is the capital of Italy?"}\n');
    // Cancelled as soon as the judge has been asked about the first item.
    const token = {
      get isCancellationRequested() {
        return fake.requests.some((q) => q.model === 'gpt-4o-mini');
      },
      onCancellationRequested: () => ({ dispose() {} }),
    };
    const run = new QualityBenchmark().run({ models: [hosted('gpt-4o')], evaluationDatasets: { d: dataset }, evaluatorModel: hosted('gpt-4o-mini'), metrics: ['relevance'], repeats: 2 }, { confirmCost: true, ctx: { token, progress: () => {} } });
    await assert.rejects(run, (e: EngineError) => e.code === 'cancelled');
    assert.equal(fake.requests.length, 3, 'the first item (one answer, two judgments) and nothing of the second');
  });
});

describe('benchmarks refuse bad parameters before any work', function () {
  this.timeout(60_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-bench-bad-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const bad = (pattern: RegExp) => (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && pattern.test(e.message);
  const latency = (over: Partial<Parameters<LatencyBenchmark['run']>[0]>, runtime = {}) => new LatencyBenchmark().run({ models: ['local'], inputLengths: [8], outputLengths: [4], batchSizes: [1], iterations: 1, warmupIterations: 0, ...over }, runtime);

  it('latency: negative warm-up, zero or huge sizes, and runs of more than 20,000 requests', async () => {
    await assert.rejects(latency({ warmupIterations: -1 }), bad(/warmupIterations must be a whole number from 0 to 100, got -1/));
    await assert.rejects(latency({ iterations: 0 }), bad(/iterations must be a whole number from 1 to 1000, got 0/));
    await assert.rejects(latency({ inputLengths: [1e8] }), bad(/inputLengths .* got 100000000/));
    await assert.rejects(latency({ batchSizes: [100_000] }), bad(/batchSizes .* from 1 to 256/));
    await assert.rejects(latency({ outputLengths: [] }), bad(/outputLengths is empty/));
    await assert.rejects(latency({ batchSizes: [256], iterations: 100, inputLengths: [1, 2] }), bad(/would send 51,200 requests/));
  });

  it('a results folder that is a file, or under a file, fails before the run, not after it', async () => {
    const file = path.join(dir, 'results.json');
    fs.writeFileSync(file, '{}');
    await assert.rejects(latency({}, { resultsDir: file }), bad(/results folder .* is a file/));
    await assert.rejects(latency({}, { resultsDir: path.join(file, 'sub') }), bad(/cannot be created: .*results\.json is a file/));
    await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: ['x'], datasets: { x: file } }, { resultsDir: file }), bad(/is a file/));
    assert.equal(fs.readFileSync(file, 'utf8'), '{}');
    const ok = await latency({}, { resultsDir: path.join(dir, 'new', 'nested') });
    assert.ok(ok.file && fs.existsSync(ok.file));
  });

  it('model names: an unknown provider prefix or a bare name of no known provider is an error, not an OpenAI call', async () => {
    await assert.rejects(latency({ models: ['foo:bar'] }), bad(/Unknown provider "foo" in "foo:bar"/));
    await assert.rejects(latency({ models: ['gemini-1.5-flash'] }), bad(/Which provider serves "gemini-1.5-flash"/));
    await assert.rejects(latency({ models: ['openai:'] }), bad(/names no model/));
    await assert.rejects(new QualityBenchmark().run({ models: ['local'], evaluationDatasets: {}, evaluatorModel: 'local', repeats: 1e6 }), bad(/repeats must be a whole number from 1 to 20/));
  });
});
