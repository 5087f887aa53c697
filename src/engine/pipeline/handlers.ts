/** Registers the pipeline and benchmark requests on the engine's handler map. */
import { z } from 'zod';
import { BenchmarkRunRequest, PipelineBenchmarkRequest, PipelineOptimizeAllRequest, PipelineProfileRequest } from '../../protocol/engine';
import type { HandlerContext } from '../context';
import { validate, type Handler } from '../handlers';
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

const Ref = {
  configPath: z.string().min(1),
  queriesPath: z.string().min(1).optional(),
  apiKey: z.string().optional(),
  confirmCost: z.boolean().optional(),
  workDoneToken: z.union([z.string(), z.number()]).optional(),
};
const BenchmarkParams = z.object({ ...Ref, iterations: z.number().int().min(1).max(1000).optional(), concurrency: z.number().int().min(1).max(256).optional() }).strict();
const ProfileParams = z.object({ ...Ref, runsPerQuery: z.number().int().min(1).max(100).optional() }).strict();
const OptimizeAllParams = z.object({ ...Ref, outDir: z.string().optional(), target: z.enum(['latency', 'throughput', 'cost', 'quality', 'balanced']).optional(), iterations: z.number().int().min(1).max(100).optional(), maxCostPerQuery: z.number().min(0).optional(), minQualityScore: z.number().min(0).max(10).optional(), cache: z.object({ type: z.enum(['memory', 'file', 'redis']), connectionString: z.string().optional() }).strict().optional() }).strict();
const RunParams = z.object({ kind: z.enum(['latency', 'model', 'quality', 'rag']), params: z.record(z.string(), z.unknown()), apiKeys: z.object({ openai: z.string().optional(), anthropic: z.string().optional() }).strict().optional(), confirmCost: z.boolean().optional(), resultsDir: z.string().optional(), workDoneToken: z.union([z.string(), z.number()]).optional() }).strict();

function queries(configPath: string, queriesPath: string | undefined, ctx: HandlerContext) {
  const load = requireRecords(loadDataset(queriesPath ?? configPath.replace(/[^/\\]+$/, 'queries.jsonl'), TestQuerySchema, 'test query'), 'test query', TEST_QUERY_LINE);
  for (const e of load.errors) ctx.log('warn', `${load.source}:${e.line}: ${e.message} (line skipped)`);
  return load.records.map((r) => r.value);
}

export function registerPipelineHandlers(handlers: Map<string, Handler>): void {
  handlers.set(PipelineBenchmarkRequest.method, async (raw, ctx) => {
    const p = validate(BenchmarkParams, raw, PipelineBenchmarkRequest.method);
    const { config, corpusPath } = readPipelineConfig(p.configPath);
    return (await new PipelineBenchmark().run({ pipelineConfig: config, testQueries: queries(p.configPath, p.queriesPath, ctx), ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.concurrency ? { concurrency: p.concurrency } : {}), ...(corpusPath ? { corpusPath } : {}), runtime: { ...(p.apiKey ? { apiKey: p.apiKey } : {}), log: (l, m) => ctx.log(l, m) }, confirmCost: p.confirmCost === true, ctx }));
  });
  handlers.set(PipelineProfileRequest.method, async (raw, ctx) => {
    const p = validate(ProfileParams, raw, PipelineProfileRequest.method);
    const { config, corpusPath } = readPipelineConfig(p.configPath);
    return (await new PipelineProfiler().profile({ pipelineConfig: config, testQueries: queries(p.configPath, p.queriesPath, ctx).map((q) => q.query), detailed: true, ...(p.runsPerQuery ? { runsPerQuery: p.runsPerQuery } : {}), ...(corpusPath ? { corpusPath } : {}), runtime: { ...(p.apiKey ? { apiKey: p.apiKey } : {}) }, ctx }));
  });
  handlers.set(PipelineOptimizeAllRequest.method, async (raw, ctx) => {
    const p = validate(OptimizeAllParams, raw, PipelineOptimizeAllRequest.method);
    return (await optimizeAll({ configPath: p.configPath, ...(p.queriesPath ? { queriesPath: p.queriesPath } : {}), ...(p.outDir ? { outDir: p.outDir } : {}), ...(p.target ? { target: p.target } : {}), ...(p.iterations ? { iterations: p.iterations } : {}), ...(p.cache ? { cache: p.cache } : {}), ...(p.maxCostPerQuery !== undefined ? { maxCostPerQuery: p.maxCostPerQuery } : {}), ...(p.minQualityScore !== undefined ? { minQualityScore: p.minQualityScore } : {}), ...(p.apiKey ? { apiKey: p.apiKey } : {}), confirmCost: p.confirmCost === true, ctx }));
  });
  handlers.set(BenchmarkRunRequest.method, async (raw, ctx) => {
    const p = validate(RunParams, raw, BenchmarkRunRequest.method);
    const runtime: BenchmarkRuntime = { ...(p.apiKeys ? { apiKeys: p.apiKeys } : {}), confirmCost: p.confirmCost === true, ...(p.resultsDir ? { resultsDir: p.resultsDir } : {}), ctx };
    // The benchmark classes validate their own parameters' content; shapes are checked here loosely.
    const params = p.params as never;
    switch (p.kind) {
      case 'latency':
        return (await new LatencyBenchmark().run(params, runtime));
      case 'model':
        return (await new ModelBenchmark().run(params, runtime));
      case 'quality':
        return (await new QualityBenchmark().run(params, runtime));
      case 'rag':
        return (await new RAGBenchmark().run(params, runtime));
    }
  });
}
