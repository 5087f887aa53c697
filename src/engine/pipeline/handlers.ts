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
import { ModelSpecSchema, type BenchmarkRuntime } from '../benchmark/common';
import { validate } from '../validate';
import { z } from 'zod';
import { PipelineBenchmark, TEST_QUERY_LINE, TestQuerySchema } from './benchmark';
import { readPipelineConfig } from '../../shared/pipelineConfig';
import { optimizeAll } from './optimizeAll';
import { PipelineProfiler } from './profiler';

function queries(configPath: string, queriesPath: string | undefined, ctx: HandlerContext) {
  const load = requireRecords(loadDataset(queriesPath ?? configPath.replace(/[^/\\]+$/, 'queries.jsonl'), TestQuerySchema, 'test query'), 'test query', TEST_QUERY_LINE);
  for (const e of load.errors) ctx.log('warn', `${load.source}:${e.line}: ${e.message} (line skipped)`);
  return load.records.map((r) => r.value);
}

const numbers = z.array(z.number());
const models = z.array(ModelSpecSchema);
const metrics = z.array(z.string()).optional();

/**
 * The shape of each benchmark kind's `params` over JSON-RPC: the fields each class reads, with
 * their types, so that `{}` or a string where a list belongs is a badRequest naming the field
 * (the break pass of issue 13 found "This is a bug" for them). Values (ranges, metric names,
 * files) are the classes' own checks, the same for the CLI; other keys pass through.
 */
const RUN_PARAMS = {
  latency: z.looseObject({ models, inputLengths: numbers, outputLengths: numbers, batchSizes: numbers, iterations: z.number().optional(), warmupIterations: z.number().optional() }),
  model: z.looseObject({ models, tasks: z.array(z.string()), datasets: z.record(z.string(), z.string()), metrics, maxTokens: z.number().optional() }),
  quality: z.looseObject({ models, evaluationDatasets: z.record(z.string(), z.string()), evaluatorModel: ModelSpecSchema, metrics, repeats: z.number().optional(), judgeTemperature: z.number().optional(), maxTokens: z.number().optional() }),
  rag: z.looseObject({ ragPipelines: z.record(z.string(), z.record(z.string(), z.unknown())), dataset: z.string(), metrics, documents: z.array(z.unknown()).optional(), corpusPath: z.string().optional(), judge: ModelSpecSchema.optional() }),
} as const;

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
    // Shapes here (RUN_PARAMS); the benchmark classes check the values.
    const params = validate(RUN_PARAMS[p.kind], p.params, `benchmark/run (${p.kind}) params`, 'See docs/benchmarks.md for each kind\'s parameters.') as never;
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
