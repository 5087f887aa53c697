/** Registers the pipeline and benchmark requests on the dispatcher (schemas and results: src/protocol/pipeline.ts, benchmarkRun.ts). */
import { BenchmarkRunRequest, PipelineBenchmarkRequest, PipelineOptimizeAllRequest, PipelineProfileRequest } from '../../protocol/engine';
import { BenchmarkRunParamsSchema, type BenchmarkRunResult } from '../../protocol/benchmarkRun';
import { PipelineBenchmarkParamsSchema, PipelineOptimizeAllParamsSchema, PipelineProfileParamsSchema } from '../../protocol/pipeline';
import type { HandlerContext } from '../context';
import type { Dispatcher } from '../rpc';
import { LatencyBenchmark } from '../benchmark/latency';
import { ModelBenchmark } from '../benchmark/model';
import { QualityBenchmark } from '../benchmark/quality';
import { RAGBenchmark } from '../benchmark/rag';
import { loadDataset, requireRecords } from '../benchmark/dataset';
import type { BenchmarkRuntime } from '../benchmark/common';
import { PipelineBenchmark, TEST_QUERY_LINE, TestQuerySchema } from './benchmark';
import { readPipelineConfig } from '../../shared/pipelineConfig';
import { optimizeAll } from './optimizeAll';
import { PipelineProfiler } from './profiler';

function queries(configPath: string, queriesPath: string | undefined, ctx: HandlerContext) {
  const load = requireRecords(loadDataset(queriesPath ?? configPath.replace(/[^/\\]+$/, 'queries.jsonl'), TestQuerySchema, 'test query'), 'test query', TEST_QUERY_LINE);
  for (const e of load.errors) ctx.log('warn', `${load.source}:${e.line}: ${e.message} (line skipped)`);
  return load.records.map((r) => r.value);
}

export function registerPipelineHandlers(rpc: Dispatcher): void {
  rpc.on(PipelineBenchmarkRequest.type, PipelineBenchmarkParamsSchema, (p, ctx) => {
    const { config, corpusPath } = readPipelineConfig(p.configPath);
    return new PipelineBenchmark().run({ pipelineConfig: config, testQueries: queries(p.configPath, p.queriesPath, ctx), ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.concurrency ? { concurrency: p.concurrency } : {}), ...(corpusPath ? { corpusPath } : {}), runtime: { ...(p.apiKey ? { apiKey: p.apiKey } : {}), log: (l, m) => ctx.log(l, m) }, confirmCost: p.confirmCost === true, ctx });
  });
  rpc.on(PipelineProfileRequest.type, PipelineProfileParamsSchema, (p, ctx) => {
    const { config, corpusPath } = readPipelineConfig(p.configPath);
    return new PipelineProfiler().profile({ pipelineConfig: config, testQueries: queries(p.configPath, p.queriesPath, ctx).map((q) => q.query), detailed: true, ...(p.runsPerQuery ? { runsPerQuery: p.runsPerQuery } : {}), ...(corpusPath ? { corpusPath } : {}), runtime: { ...(p.apiKey ? { apiKey: p.apiKey } : {}) }, ctx });
  });
  rpc.on(PipelineOptimizeAllRequest.type, PipelineOptimizeAllParamsSchema, (p, ctx) =>
    optimizeAll({ configPath: p.configPath, ...(p.queriesPath ? { queriesPath: p.queriesPath } : {}), ...(p.outDir ? { outDir: p.outDir } : {}), ...(p.target ? { target: p.target } : {}), ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.cache ? { cache: p.cache } : {}), ...(p.maxCostPerQuery !== undefined ? { maxCostPerQuery: p.maxCostPerQuery } : {}), ...(p.minQualityScore !== undefined ? { minQualityScore: p.minQualityScore } : {}), ...(p.apiKey ? { apiKey: p.apiKey } : {}), confirmCost: p.confirmCost === true, ctx }),
  );
  rpc.on(BenchmarkRunRequest.type, BenchmarkRunParamsSchema, async (p, ctx): Promise<BenchmarkRunResult> => {
    const runtime: BenchmarkRuntime = { ...(p.apiKeys ? { apiKeys: p.apiKeys } : {}), confirmCost: p.confirmCost === true, ...(p.resultsDir ? { resultsDir: p.resultsDir } : {}), ctx };
    // The benchmark classes validate their own parameters' content; shapes are checked here loosely.
    const params = p.params as never;
    switch (p.kind) {
      case 'latency':
        return new LatencyBenchmark().run(params, runtime);
      case 'model':
        return new ModelBenchmark().run(params, runtime);
      case 'quality':
        return new QualityBenchmark().run(params, runtime);
      case 'rag':
        return new RAGBenchmark().run(params, runtime);
    }
  });
}
