import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BenchmarkRunRequest, EngineInfoRequest, PipelineBenchmarkRequest, PipelineProfileRequest, type JobProgress } from '../../src/protocol/engine';
import { EngineError } from '../../src/protocol/errors';
import { EngineClient } from '../../src/extension/client/engineClient';
import { MemoryLogger } from '../helpers/logger';
import { distDir, repoRoot } from '../helpers/paths';

const enginePath = path.join(distDir, 'engine.js');
const samples = path.join(repoRoot, 'samples', 'rag');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-proto-pipeline-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function rejects(promise: Promise<unknown>): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

/** The sample pipeline with BM25 and the ONNX cross-encoder, written beside a copy of the queries. */
function rerankedConfig(): string {
  const config = JSON.parse(fs.readFileSync(path.join(samples, 'rag_pipeline.json'), 'utf8')) as Record<string, unknown> & { components: Record<string, unknown> };
  const file = path.join(tmp, 'reranked.json');
  fs.writeFileSync(file, JSON.stringify({ ...config, corpus: path.join(samples, 'corpus.jsonl'), components: { ...config.components, retriever: { type: 'bm25', top_k: 5 }, reranker: { type: 'cross_encoder', model: path.join(samples, 'models', 'cross_encoder.onnx'), top_n: 2 } } }));
  fs.copyFileSync(path.join(samples, 'queries.jsonl'), path.join(tmp, 'queries.jsonl'));
  return file;
}

describe('pipeline and benchmark requests through the real engine process (dist/engine.js)', function () {
  // Generous limits: these tests are about results, progress and cancel, not speed, and the
  // machine may be loaded (issue 11: CI must pass with a CPU hog beside it).
  this.timeout(180_000);
  let client: EngineClient;
  beforeEach(() => {
    client = new EngineClient({ serverPath: enginePath, logger: new MemoryLogger(), backoffBaseMs: 50, requestTimeoutMs: 150_000 });
  });
  afterEach(() => client.dispose());

  it('pipeline/benchmark: progress per query, and results naming the reranker that ran', async () => {
    const progress: JobProgress[] = [];
    const r = (await client.request(PipelineBenchmarkRequest.type, { configPath: rerankedConfig(), iterations: 1 }, { onProgress: (p) => progress.push(p) })) as { requests: number; reranker?: string; contextRecall?: number; componentBreakdown?: Record<string, unknown> };
    assert.equal(r.requests, 12);
    assert.equal(r.reranker, 'cross-encoder-onnx:cross_encoder.onnx');
    assert.ok((r.contextRecall ?? 0) > 0.9, JSON.stringify(r.contextRecall));
    const percents = progress.map((p) => p.percent ?? -1);
    assert.ok(percents.length >= 12, `progress per query: ${percents.join(',')}`);
    assert.equal(percents[percents.length - 1], 100);
    assert.ok(percents.every((p, i) => i === 0 || p >= percents[i - 1]), 'progress only goes up');
  });

  it('pipeline/profile: per-component shares through the engine, reranker included', async () => {
    const progress: JobProgress[] = [];
    const r = (await client.request(PipelineProfileRequest.type, { configPath: rerankedConfig(), runsPerQuery: 1 }, { onProgress: (p) => progress.push(p) })) as { bottleneck: string; componentStats: Record<string, { percentage: number }> };
    assert.ok(r.componentStats.reranker, `components: ${Object.keys(r.componentStats).join(', ')}`);
    assert.ok(r.componentStats[r.bottleneck]);
    assert.ok(progress.length >= 1);
  });

  it('benchmark/run: a latency benchmark of the local ONNX model reports progress per cell', async () => {
    const progress: JobProgress[] = [];
    const r = (await client.request(BenchmarkRunRequest.type, { kind: 'latency', params: { models: ['local'], inputLengths: [8, 16], outputLengths: [4], batchSizes: [1], iterations: 2, warmupIterations: 0 }, resultsDir: path.join(tmp, 'results') }, { onProgress: (p) => progress.push(p) })) as { results: Record<string, Record<string, Record<string, Record<string, { requests: number; p50: number }>>>>; file: string };
    assert.equal(r.results.local['16']['4']['1'].requests, 2);
    assert.ok(r.results.local['8']['4']['1'].p50 > 0);
    assert.deepEqual(progress.map((p) => p.percent), [50, 100]);
    assert.ok(fs.existsSync(r.file));
    const bad = await rejects(client.request(BenchmarkRunRequest.type, { kind: 'model', params: { models: ['local'], tasks: ['t'], datasets: { t: path.join(tmp, 'missing.jsonl') } } }));
    assert.equal(bad.code, 'notFound');
  });

  it('benchmark/run: params of the wrong shape are a badRequest naming the field, for every kind (never "a bug")', async () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ['latency', {}, /models/],
      ['model', { models: ['local'], tasks: 't', datasets: {} }, /tasks/],
      ['quality', { models: ['local'], evaluationDatasets: {} }, /evaluatorModel/],
      ['rag', { ragPipelines: {} }, /dataset/],
    ];
    for (const [kind, params, field] of cases) {
      const error = await rejects(client.request(BenchmarkRunRequest.type, { kind: kind as 'latency', params }));
      assert.equal(error.code, 'badRequest', `${kind}: ${error.message}`);
      assert.match(error.message, new RegExp(`benchmark/run \\(${kind}\\) params`));
      assert.match(error.message, field, kind);
    }
  });

  it('cancelling a running pipeline benchmark stops it promptly and the engine keeps serving', async () => {
    const abort = new AbortController();
    const progress: JobProgress[] = [];
    const pending = client.request(PipelineBenchmarkRequest.type, { configPath: path.join(samples, 'rag_pipeline.json'), iterations: 500 }, {
      signal: abort.signal,
      onProgress: (p) => {
        progress.push(p);
        if (progress.length === 3) abort.abort();
      },
    });
    const error = await rejects(pending);
    assert.equal(error.code, 'cancelled');
    assert.ok(progress.length >= 3);
    const pid = client.pid!;
    // The engine stops the loop (not just the client's promise): its process goes idle,
    // far short of the 6,000 queries asked for.
    const cpuMs = () => {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
    };
    if (fs.existsSync(`/proc/${pid}/stat`)) {
      await new Promise((r) => setTimeout(r, 300));
      const before = cpuMs();
      await new Promise((r) => setTimeout(r, 1_000));
      const used = cpuMs() - before;
      assert.ok(used < 300, `the engine used ${used} ms of CPU in the second after the cancel`);
    }
    const info = await client.request(EngineInfoRequest.type, {});
    assert.equal(info.pid, pid, 'the same engine process answers');
  });
});
