import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDataset } from '../../../src/engine/benchmark/dataset';
import { meanCi95, rougeL, tokenF1 } from '../../../src/engine/benchmark/metrics';
import { RAGBenchmark } from '../../../src/engine/benchmark/rag';
import { OptimizationConfig, setGlobalConfig, settingsMapping } from '../../../src/shared/config';
import { PipelineBenchmark, TestQuerySchema } from '../../../src/engine/pipeline/benchmark';
import { PipelineCache } from '../../../src/engine/pipeline/cache';
import { parsePipelineConfig, readPipelineConfig } from '../../../src/shared/pipelineConfig';
import { loadCorpus } from '../../../src/engine/pipeline/corpus';
import { configForOutput } from '../../../src/engine/pipeline/optimizeAll';
import { PipelineOptimizer } from '../../../src/engine/pipeline/optimizer';
import { PipelineProfiler } from '../../../src/engine/pipeline/profiler';
import { RagPipeline } from '../../../src/engine/pipeline/runner';
import { localGeneratorForCorpus } from '../../../src/engine/providers/local';
import { EngineError } from '../../../src/protocol/errors';
import { distDir, repoRoot } from '../../helpers/paths';

const samples = path.join(repoRoot, 'samples', 'rag');
const configPath = path.join(samples, 'rag_pipeline.json');
const { documents } = loadCorpus(path.join(samples, 'corpus.jsonl'));
const queries = loadDataset(path.join(samples, 'queries.jsonl'), TestQuerySchema, 'q').records.map((r) => r.value);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-pipeline-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pipeline config and datasets', () => {
  it('names the field path of an invalid config', () => {
    assert.throws(() => parsePipelineConfig({ name: 'x', components: { retriever: { type: 'bm25', top_k: 0 }, generator: { type: 'llm' } } }), (e: EngineError) => e.code === 'badRequest' && /components\.retriever\.top_k/.test(e.message));
    assert.throws(() => parsePipelineConfig({ name: 'x', components: { retriever: { type: 'elastic' }, generator: { type: 'llm' } } }), /components\.retriever\.type/);
    assert.throws(() => readPipelineConfig('/no/such/config.json'), (e: EngineError) => e.code === 'notFound');
  });

  it('reports malformed JSONL lines by number and keeps the rest', () => {
    const file = path.join(tmp, 'q.jsonl');
    fs.writeFileSync(file, '{"query":"How does RAG work?"}\n{broken\n\n{"query":""}\n{"query":"What is BM25?"}\n');
    const load = loadDataset(file, TestQuerySchema, 'q');
    assert.equal(load.records.length, 2);
    assert.deepEqual(load.errors.map((e) => e.line), [2, 4]);
    assert.throws(() => loadDataset(path.join(tmp, 'missing.jsonl'), TestQuerySchema, 'q'), (e: EngineError) => e.code === 'notFound');
  });

  it('validates the global optimization config and maps it to settings', () => {
    assert.equal(OptimizationConfig({ maxCostPerQuery: 0.02 }).pipelineOptimizerConfig.cacheTtl, 3600);
    assert.throws(() => setGlobalConfig({ pipelineOptimizerConfig: { minRetrievalResults: 12, maxRetrievalResults: 3 } }), /minRetrievalResults/);
    const mapping = settingsMapping();
    assert.ok(mapping.some((m) => m.setting === 'pepperpy.optimization.pipeline.cacheTtl' && m.default === 3600));
    assert.ok(mapping.some((m) => m.setting === 'pepperpy.optimization.model.quantizationBits' && m.enum?.includes(8)));
  });

  it('metrics: F1, ROUGE-L and the t interval', () => {
    assert.equal(tokenF1('the cat sat', 'cat sat'), 1);
    assert.ok(rougeL('a b c d', 'a c d') > 0.8);
    const ci = meanCi95([7, 8, 9]);
    assert.equal(ci.mean, 8);
    assert.ok(Math.abs(ci.ci95 - 2.484) < 0.01);
  });
});

describe('local ONNX generator', () => {
  it('greedy decoding repeats; sampling with a seed repeats; answers stream with timings', async () => {
    const g = localGeneratorForCorpus(documents.map((d) => d.text).join('\n'));
    const req = { messages: [{ role: 'user' as const, content: `Context: ${documents[0].text}\nQuestion: How does RAG work?` }], maxTokens: 20 };
    const a = await g.generate(req);
    const b = await g.generate(req);
    assert.equal(a.text, b.text);
    assert.ok(a.usage.outputTokens > 0 && a.usage.outputTokens <= 20);
    const chunks: string[] = [];
    const s1 = await g.stream({ ...req, temperature: 0.8, seed: 7 }, (c) => chunks.push(c.text));
    const s2 = await g.stream({ ...req, temperature: 0.8, seed: 7 });
    assert.equal(s1.text, s2.text);
    assert.equal(chunks.length, s1.usage.outputTokens);
  });
});

describe('RAG pipeline end to end (local generator, sample corpus)', function () {
  this.timeout(60_000);
  const config = readPipelineConfig(configPath).config;

  it('answers with passages, tokens, projected cost and component timings', async () => {
    const p = await RagPipeline.fromConfig(config, { documents });
    const a = await p.query('How does BM25 rank documents?');
    assert.ok(a.answer.length > 0);
    assert.equal(a.passages.length, 8);
    assert.ok(a.inputTokens > 0 && a.costUsd > 0);
    assert.ok(a.components.retriever && a.components.generator);
    await p.close();
  });

  it('benchmarks, profiles and optimizes with measured before/after', async () => {
    const bm25 = parsePipelineConfig({ ...config, components: { ...config.components, retriever: { type: 'bm25', top_k: 3 } } });
    const r = await new PipelineBenchmark().run({ pipelineConfig: bm25, testQueries: queries, iterations: 2, concurrency: 2, documents });
    assert.equal(r.requests, queries.length * 2);
    assert.ok(r.p50Latency <= r.p99Latency);
    assert.ok(r.qualityScore !== undefined && r.contextRecall !== undefined && r.contextRecall > 0.5);
    const profile = await new PipelineProfiler().profile({ pipelineConfig: config, testQueries: ['How does RAG work?'], runsPerQuery: 2, documents });
    assert.equal(profile.componentStats[profile.bottleneck]?.isBottleneck, true);
    const total = Object.values(profile.componentStats).reduce((s, c) => s + c.percentage, 0);
    assert.ok(Math.abs(total - 100) < 0.5);
    const opt = await new PipelineOptimizer().optimize({ pipelineConfig: config, optimizationTarget: 'latency', testQueries: queries.slice(0, 4), profileResults: profile, topKChoices: [2, 8], iterations: 1, documents });
    assert.equal(opt.estimatedImprovements.basis, 'measured');
    assert.ok(opt.candidates.length >= 4);
    assert.ok(opt.after.avgLatencyUncached > 0 && opt.before.avgLatencyUncached > 0);
  });

  it('a paid generator is refused until the cost forecast is confirmed', async () => {
    const paid = parsePipelineConfig({ ...config, components: { ...config.components, generator: { ...config.components.generator, provider: 'openai', base_url: 'http://127.0.0.1:9/v1' } } });
    await assert.rejects(new PipelineBenchmark().run({ pipelineConfig: paid, testQueries: ['x'], documents, runtime: { apiKey: 'k' } }), (e: EngineError) => e.code === 'badRequest' && /paid call/.test(e.message));
  });

  it('RAG benchmark, judge-free', async () => {
    const r = await new RAGBenchmark().run({ ragPipelines: { basic: { components: { retriever: { type: 'bm25', top_k: 3 }, generator: { type: 'llm' } } } }, dataset: path.join(samples, 'queries.jsonl'), documents }, { resultsDir: path.join(tmp, 'results') });
    assert.equal(r.results.basic.method, 'judge-free');
    assert.ok((r.results.basic.contextRecall ?? 0) > 0.5);
    assert.ok(r.file && fs.existsSync(r.file));
  });
});

describe('PipelineCache', function () {
  this.timeout(20_000);
  it('memory: exact and semantic hits, false-hit accounting, eviction at the size limit', async () => {
    const c = new PipelineCache<string>({ cacheType: 'memory', similarityThreshold: 0.6, maxSizeMb: 0.004 });
    await c.set('How does RAG work?', 'a1', 'q1');
    assert.equal((await c.get('how does rag  work?'))?.match, 'exact');
    const sem = await c.get('How does RAG work in practice?');
    assert.equal(sem?.match, 'semantic');
    c.recordHitOutcome(sem?.tag === 'q1');
    c.recordHitOutcome(false);
    for (let i = 0; i < 20; i++) await c.set(`question number ${i} about ${'x'.repeat(100)}`, 'v'.repeat(100));
    const s = await c.stats();
    assert.ok(s.evictions > 0 && s.sizeBytes <= s.maxSizeBytes);
    assert.equal(s.falseHitRate, 0.5);
    assert.equal(s.exactHits, 1);
  });

  it('file: survives a reopen', async () => {
    const dir = path.join(tmp, 'fcache');
    const a = new PipelineCache<string>({ cacheType: 'file', connectionString: dir });
    await a.set('q', 'v');
    const b = new PipelineCache<string>({ cacheType: 'file', connectionString: dir });
    assert.equal((await b.get('q'))?.value, 'v');
  });

  const redisUrl = process.env.PEPPERPY_TEST_REDIS_URL;
  (redisUrl ? it : it.skip)(`redis: exact, semantic, TTL and eviction on a real server${redisUrl ? '' : ' (skipped: PEPPERPY_TEST_REDIS_URL is not set)'}`, async () => {
    const c = new PipelineCache<string>({ cacheType: 'redis', connectionString: redisUrl, namespace: `test${process.pid}`, similarityThreshold: 0.6, maxSizeMb: 0.003, ttl: 60 });
    await c.clear();
    await c.set('How does RAG work?', 'a1');
    assert.equal((await c.get('How does RAG work?'))?.value, 'a1');
    assert.equal((await c.get('How does RAG work in practice?'))?.match, 'semantic');
    for (let i = 0; i < 10; i++) await c.set(`q${i} ${'y'.repeat(200)}`, 'z'.repeat(200));
    const s = await c.stats();
    assert.ok(s.available && s.evictions > 0 && s.sizeBytes <= s.maxSizeBytes);
    await c.clear();
    await c.close();
  });

  (redisUrl ? it : it.skip)('redis cache in a pipeline: second pass hits', async () => {
    const config = parsePipelineConfig({ ...readPipelineConfig(configPath).config, cache: { type: 'redis', connection_string: redisUrl, namespace: `pipe${process.pid}` } });
    const p = await RagPipeline.fromConfig(config, { documents });
    await p.pipelineCache?.clear();
    await p.query('What is faithfulness?');
    const again = await p.query('What is faithfulness?');
    assert.equal(again.cacheHit?.match, 'exact');
    await p.pipelineCache?.clear();
    await p.close();
  });

  it('redis down: the pipeline keeps answering without the cache and says so', async () => {
    const warnings: string[] = [];
    const config = parsePipelineConfig({ ...readPipelineConfig(configPath).config, cache: { type: 'redis', connection_string: 'redis://127.0.0.1:1/0' } });
    const p = await RagPipeline.fromConfig(config, { documents }, { log: (_l, m) => warnings.push(m) });
    const a = await p.query('How does RAG work?');
    assert.ok(a.answer.length > 0);
    const s = await p.pipelineCache?.stats();
    assert.equal(s?.available, false);
    assert.match(warnings.join('\n'), /unavailable.*running without the cache/);
    await p.close();
  });
});

describe('pepperpy-opt pipeline optimize-all', function () {
  this.timeout(90_000);
  it('writes the optimized config and the before/after report', () => {
    const out = path.join(tmp, 'demo');
    const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'pipeline', 'optimize-all', configPath, '--out', out, '--json'], { encoding: 'utf8', timeout: 85_000 });
    assert.equal(r.status, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { improvements: { tokenUsage: number }; files: { config: string; reportMarkdown: string } };
    assert.ok(json.improvements.tokenUsage > 0);
    assert.ok(fs.existsSync(json.files.config));
    // Paths in the written config are relative to it and lead to the source's files. Whether
    // the reranker is kept is the optimizer's choice (timings and answer quality decide);
    // its path is checked here when it is, and always by the configForOutput test below.
    const written = JSON.parse(fs.readFileSync(json.files.config, 'utf8')) as { corpus: string; components: { reranker?: { model: string } } };
    const fromOutput = (p: string) => path.resolve(path.dirname(json.files.config), p);
    assert.ok(!path.isAbsolute(written.corpus), `absolute corpus path: ${written.corpus}`);
    assert.equal(fromOutput(written.corpus), path.join(samples, 'corpus.jsonl'));
    if (written.components.reranker) assert.equal(fromOutput(written.components.reranker.model), path.join(samples, 'models', 'cross_encoder.onnx'));
    assert.match(fs.readFileSync(json.files.reportMarkdown, 'utf8'), /## Before and after/);
    // The demo's JSON and report name the generator that ran, and its answer scores hold or improve.
    const demo = JSON.parse(r.stdout) as Record<'originalBenchmark' | 'optimizedBenchmark', { generator: { provider: string; model: string; description?: string }; exactMatch?: number; answerF1?: number; scoredQueries?: number; retrievalMrr?: number }>;
    for (const b of [demo.originalBenchmark, demo.optimizedBenchmark]) {
      assert.deepEqual([b.generator.provider, b.generator.model], ['local', 'extractive-reader']);
      assert.match(b.generator.description ?? '', /^extractive reader/);
      assert.equal(b.scoredQueries, 24, '12 questions with references × 2 iterations');
      assert.ok(b.exactMatch !== undefined && b.answerF1 !== undefined && b.retrievalMrr !== undefined);
    }
    assert.ok(demo.optimizedBenchmark.exactMatch! >= demo.originalBenchmark.exactMatch!, JSON.stringify([demo.originalBenchmark.exactMatch, demo.optimizedBenchmark.exactMatch]));
    assert.ok(demo.optimizedBenchmark.answerF1! >= demo.originalBenchmark.answerF1!, JSON.stringify([demo.originalBenchmark.answerF1, demo.optimizedBenchmark.answerF1]));
    assert.match(fs.readFileSync(json.files.reportMarkdown, 'utf8'), /\*\*Generator\*\*: the embedded extractive reader \(no language model, no API key\)/);
    // The sample's gpt-4o is deprecated (shutdown 2027-01-14, src/shared/cost/data/retired-models.json). Since the
    // quality data has current models (2026-12-03), it is replaced by the cheapest current one that keeps 80 % of its
    // score: no current model has a DROP score, so the pair is compared on GPQA, rag's fallback (53.1 vs 82.8;
    // qualityData.test.ts derives gpt-5.4-nano by hand from the prices).
    const rec = (JSON.parse(r.stdout) as { modelRecommendation: { applied: boolean; currentModel: string; recommendedModel: string; currentModelStatus?: string } }).modelRecommendation;
    assert.deepEqual([rec.applied, rec.currentModel, rec.recommendedModel, rec.currentModelStatus], [true, 'gpt-4o', 'gpt-5.4-nano', undefined]);
    assert.match(fs.readFileSync(json.files.reportMarkdown, 'utf8'), /gpt-4o → gpt-5\.4-nano \(89\.4 % cheaper[^\n]*GPQA is the rag fallback: no DROP score for both/);
    // The report dates its data: both published scores with date and source, and the retired-models list's check.
    assert.match(fs.readFileSync(json.files.reportMarkdown, 'utf8'), /Data: GPQA: gpt-4o 53\.1 \(2025-04, https:\/\/github\.com\/openai\/simple-evals\/[^)]*\); gpt-5\.4-nano 82\.8 \(2026-03-17, https:\/\/[^)]+\)\. Retired-models list checked \d{4}-\d{2}-\d{2}\./);
    const bad = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'pipeline', 'benchmark', '/no/such.json'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
  });

  it('configForOutput: the corpus and the cross-encoder model are written relative to the output config (never absolute), and lead to the same files', () => {
    const source = readPipelineConfig(configPath).config;
    const run = JSON.parse(JSON.stringify(source)) as typeof source;
    // As the run holds it: the reranker's model resolved to an absolute path.
    run.components.reranker = { type: 'cross_encoder', model: path.join(samples, 'models', 'cross_encoder.onnx'), top_n: 2, enabled: true };
    const output = path.join(tmp, 'elsewhere', 'deeper', 'optimized_rag.json');
    const saved = configForOutput(run, 'corpus.jsonl', configPath, output);
    // By hand: from <tmp>/elsewhere/deeper to <repo>/samples/rag.
    const expectedCorpus = path.relative(path.dirname(output), path.join(samples, 'corpus.jsonl')).split(path.sep).join('/');
    assert.equal(saved.corpus, expectedCorpus);
    assert.ok(saved.corpus?.startsWith('../'), saved.corpus);
    assert.equal(saved.components.reranker?.model, path.relative(path.dirname(output), path.join(samples, 'models', 'cross_encoder.onnx')).split(path.sep).join('/'));
    // The lexical reranker has no file; the run's own config is left untouched.
    run.components.reranker = { type: 'cross_encoder', model: 'lexical-overlap', top_n: 2, enabled: true };
    assert.equal(configForOutput(run, 'corpus.jsonl', configPath, output).components.reranker?.model, 'lexical-overlap');
    assert.ok(path.isAbsolute(path.join(samples, 'models', 'cross_encoder.onnx')));
  });

  it('never overwrites its input: a config named like one of its outputs is refused before any work, byte for byte unchanged', () => {
    // The config sits in the output folder under the name the optimized config would get.
    const dir = path.join(tmp, 'self-overwrite');
    fs.mkdirSync(dir, { recursive: true });
    for (const f of ['corpus.jsonl', 'queries.jsonl']) fs.copyFileSync(path.join(samples, f), path.join(dir, f));
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as { name: string; components: { reranker?: unknown } };
    delete config.components.reranker;
    const input = path.join(dir, `optimized_${config.name}.json`);
    const text = `${JSON.stringify(config, null, 2)}\n`;
    fs.writeFileSync(input, text);
    const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'pipeline', 'optimize-all', input, '--out', dir, '--json'], { encoding: 'utf8', timeout: 85_000 });
    assert.equal(r.status, 2, r.stdout);
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'badRequest');
    assert.match(error.message, /would overwrite its own input/);
    assert.equal(fs.readFileSync(input, 'utf8'), text);
    assert.ok(!fs.existsSync(path.join(dir, 'optimization-report.json')), 'no work was done');
    // A queries file named like the JSON report is refused the same way.
    const queriesAsReport = path.join(dir, 'optimization-report.json');
    fs.copyFileSync(path.join(samples, 'queries.jsonl'), queriesAsReport);
    const before = fs.readFileSync(queriesAsReport);
    const plain = path.join(dir, 'pipeline.json');
    fs.writeFileSync(plain, text);
    const r2 = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'pipeline', 'optimize-all', plain, '--queries', queriesAsReport, '--out', path.join(dir), '--json'], { encoding: 'utf8', timeout: 85_000 });
    assert.equal(r2.status, 2, r2.stdout);
    assert.match(r2.stdout, /would overwrite its own input .*optimization-report\.json/);
    assert.ok(fs.readFileSync(queriesAsReport).equals(before));
  });
});
