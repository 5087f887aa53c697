/**
 * `npm run bench:pipeline`: in one run, (1) the PipelineBenchmark harness overhead against
 * a bare loop calling the same pipeline, and (2) cache-hit latency for memory and Redis
 * against the uncached call. Medians over many runs; Redis is measured when
 * PEPPERPY_BENCH_REDIS_URL (or PEPPERPY_TEST_REDIS_URL) points at a server. (3) Retrieval
 * quality on the held-out sample questions with and without the ONNX cross-encoder.
 */
import * as path from 'node:path';
import { loadCorpus } from '../src/engine/pipeline/corpus';
import { PipelineBenchmark } from '../src/engine/pipeline/benchmark';
import { PipelineCache } from '../src/engine/pipeline/cache';
import { readPipelineConfig } from '../src/shared/pipelineConfig';
import { RagPipeline } from '../src/engine/pipeline/runner';
import { percentile } from '../src/engine/benchmark/metrics';
import { loadDataset } from '../src/engine/benchmark/dataset';
import { TestQuerySchema } from '../src/engine/pipeline/benchmark';
import { measureRetrieval, type RetrievalQuality } from '../src/engine/pipeline/rerankerEval';

const root = path.resolve(__dirname, '..', '..');
const median = (xs: number[]) => percentile(xs, 50);
const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const configPath = path.join(root, 'samples', 'rag', 'rag_pipeline.json');
  const { config } = readPipelineConfig(configPath);
  const { documents } = loadCorpus(path.join(root, 'samples', 'rag', 'corpus.jsonl'));
  const queries = ['How does RAG work?', 'What is BM25?', 'Why use a reranker?', 'What is a semantic cache?'];
  const pipeline = await RagPipeline.fromConfig(config, { documents }, { cache: null });
  for (const q of queries) await pipeline.query(q); // warm-up

  const rounds = 7;
  const bare: number[] = [];
  const harness: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const q of queries) await pipeline.query(q);
    bare.push((performance.now() - t0) / queries.length);
    const t1 = performance.now();
    await new PipelineBenchmark().run({ pipelineConfig: config, pipeline, testQueries: queries, iterations: 1, concurrency: 1 });
    harness.push((performance.now() - t1) / queries.length);
  }
  const b = median(bare);
  const h = median(harness);
  out(`harness overhead (${rounds} rounds × ${queries.length} queries, medians per query):`);
  out(`  bare loop ${b.toFixed(3)} ms, PipelineBenchmark ${h.toFixed(3)} ms, overhead ${(h - b).toFixed(3)} ms (${(((h - b) / b) * 100).toFixed(1)} %), ratio ${(h / b).toFixed(3)}`);

  const uncached: number[] = [];
  for (let i = 0; i < 30; i++) uncached.push((await pipeline.query(queries[i % queries.length], { useCache: false })).totalMs);
  const u = median(uncached);
  out(`uncached pipeline call: median ${u.toFixed(3)} ms (30 calls)`);
  const redisUrl = process.env.PEPPERPY_BENCH_REDIS_URL ?? process.env.PEPPERPY_TEST_REDIS_URL;
  const caches: [string, PipelineCache<{ answer: string; passages: [] }> | undefined][] = [
    ['memory', new PipelineCache({ cacheType: 'memory' })],
    ['redis', redisUrl ? new PipelineCache({ cacheType: 'redis', connectionString: redisUrl, namespace: `bench${process.pid}` }) : undefined],
  ];
  for (const [name, cache] of caches) {
    if (!cache) {
      out(`${name} cache hit: skipped (set PEPPERPY_BENCH_REDIS_URL=redis://127.0.0.1:6379/15)`);
      continue;
    }
    pipeline.addCache(cache);
    await cache.clear();
    for (const q of queries) await pipeline.query(q);
    const exact: number[] = [];
    for (let i = 0; i < 200; i++) exact.push((await pipeline.query(queries[i % queries.length])).totalMs);
    const semantic: number[] = [];
    for (let i = 0; i < 50; i++) semantic.push((await pipeline.query(`${queries[i % queries.length]} exactly`)).totalMs);
    const stats = await cache.stats();
    out(`${name} cache: exact hit median ${median(exact).toFixed(3)} ms (${(u / median(exact)).toFixed(1)}× faster than uncached), semantic-path median ${median(semantic).toFixed(3)} ms, hit rate ${(stats.hitRate * 100).toFixed(1)} %${stats.available ? '' : ` — unavailable: ${stats.unavailableReason}`}`);
    await cache.clear();
    await cache.close();
  }
  await pipeline.provider.close?.();

  const heldOut = loadDataset(path.join(root, 'samples', 'rag', 'queries.jsonl'), TestQuerySchema, 'queries').records.map((r) => r.value);
  const model = path.join(root, 'samples', 'rag', 'models', 'cross_encoder.onnx');
  const show = (m: RetrievalQuality) => `precision ${m.contextPrecision.toFixed(3)} recall ${m.contextRecall.toFixed(3)} MRR ${m.mrr.toFixed(3)} nDCG@3 ${m.ndcg.toFixed(3)}, median ${m.medianMs.toFixed(3)} ms`;
  out(`reranker on ${heldOut.length} held-out questions (3 passages kept; medians of retrieve+rerank over 20 rounds):`);
  for (const type of ['bm25', 'vector_db'] as const) {
    const alone = await measureRetrieval({ retriever: { type, top_k: 3 }, documents, queries: heldOut, rounds: 20 });
    const reranked = await measureRetrieval({ retriever: { type, top_k: 8 }, reranker: { type: 'cross_encoder', model, top_n: 3 }, documents, queries: heldOut, rounds: 20 });
    out(`  ${type} top 3: ${show(alone)}; ${type} top 8 → cross-encoder top 3: ${show(reranked)}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
