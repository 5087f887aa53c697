/**
 * Messages for pipelines (`pipeline/benchmark`, `pipeline/profile`, `pipeline/optimizeAll`):
 * the parameters as zod schemas (the engine's dispatcher validates requests with them) and
 * the results the engine sends back. The engine's classes (src/engine/pipeline) return
 * these types; nothing here imports engine or Node modules, so webviews may use it too.
 */
import { z } from 'zod';

const configRef = {
  /** A pipeline config file (JSON); its `corpus` resolves against its folder. */
  configPath: z.string().min(1),
  /** Test queries (JSONL); default queries.jsonl beside the config. */
  queriesPath: z.string().min(1).optional(),
  /** API key for a hosted generator; the engine never reads settings or secrets itself. */
  apiKey: z.string().optional(),
  /** Paid calls are refused unless this is true (the forecast is in the error). */
  confirmCost: z.boolean().optional(),
};

export const PipelineBenchmarkParamsSchema = z
  .object({ ...configRef, iterations: z.number().int().min(1).max(1000).optional(), concurrency: z.number().int().min(1).max(256).optional() })
  .strict();
export type PipelineBenchmarkParams = z.input<typeof PipelineBenchmarkParamsSchema>;

export const PipelineProfileParamsSchema = z.object({ ...configRef, runsPerQuery: z.number().int().min(1).max(100).optional() }).strict();
export type PipelineProfileParams = z.input<typeof PipelineProfileParamsSchema>;

export const PIPELINE_TARGETS = ['latency', 'throughput', 'cost', 'quality', 'balanced'] as const;
export type PipelineTarget = (typeof PIPELINE_TARGETS)[number];

export const PipelineOptimizeAllParamsSchema = z
  .object({
    ...configRef,
    outDir: z.string().optional(),
    target: z.enum(PIPELINE_TARGETS).optional(),
    iterations: z.number().int().min(1).max(100).optional(),
    /** Candidates costing more per query are not chosen (the extension sends pepperpy.optimization.maxCostPerQuery). */
    maxCostPerQuery: z.number().min(0).optional(),
    /** Candidates scoring below this (0-10) are not chosen. */
    minQualityScore: z.number().min(0).max(10).optional(),
    cache: z.object({ type: z.enum(['memory', 'file', 'redis']), connectionString: z.string().optional() }).strict().optional(),
  })
  .strict();
export type PipelineOptimizeAllParams = z.input<typeof PipelineOptimizeAllParamsSchema>;

/** The stages of a RAG pipeline, as timings and profiles name them. */
export type PipelineComponent = 'cache' | 'retriever' | 'reranker' | 'generator';

/*
 * The results are type aliases, not interfaces: the extension keeps a
 * saved run's result as plain JSON (RunRecord.result, a Record<string, unknown>), and only an
 * object type alias is assignable to one.
 */

/** `pipeline/benchmark`: the seed's PipelineBenchmark.run. */
export type PipelineBenchmarkResult = {
  pipelineName: string;
  queries: number;
  iterations: number;
  concurrency: number;
  requests: number;
  /** ms */
  avgLatency: number;
  p50Latency: number;
  p90Latency: number;
  p99Latency: number;
  /** Mean latency of the requests the cache did not answer (ms). */
  avgLatencyUncached: number;
  avgTimeToFirstToken: number;
  /** Queries per second over the whole run's wall time. */
  throughput: number;
  /** Tokens over all requests (input + output). */
  tokenUsage: number;
  avgTokenUsage: number;
  avgInputTokens: number;
  avgOutputTokens: number;
  totalCost: number;
  avgCostPerQuery: number;
  costBasis: string;
  /** 0-10 (10 × answerF1); undefined when no query has a reference answer. */
  qualityScore?: number;
  qualityMethod: string;
  /** Share of answers that equal a reference answer after SQuAD normalisation (0-1). */
  exactMatch?: number;
  /** Mean SQuAD token F1 of the answers against their best reference (0-1). */
  answerF1?: number;
  /** Queries the answer scores are over. */
  scoredQueries?: number;
  contextRecall?: number;
  contextPrecision?: number;
  /** Mean reciprocal rank of the first relevant passage (0-1). */
  retrievalMrr?: number;
  cacheHitRate: number;
  componentAvgMs: Partial<Record<PipelineComponent, number>>;
  answers: { query: string; answer: string; passageIds: string[]; latencyMs: number; cacheHit?: string }[];
  /** What answered: provider kind, model name, and what it is (the reader or bigram model say so). */
  generator: { provider: string; model: string; description?: string };
  reranker?: string;
  wallMs: number;
};

export interface ComponentStats {
  avgTime: number;
  percentage: number;
  memoryUsage: number;
  isBottleneck: boolean;
  calls: number;
}

/** `pipeline/profile`: the seed's PipelineProfiler.profile. */
export type ProfileResult = {
  pipelineName: string;
  componentStats: Partial<Record<PipelineComponent, ComponentStats>>;
  bottleneck: PipelineComponent;
  totalAvgTime: number;
  queries: number;
  runsPerQuery: number;
  memoryMethod: string;
  details?: { query: string; components: Partial<Record<PipelineComponent, number>> }[];
};

/** What the pipeline optimizer measured between the config it started from and the one it chose. */
export interface EstimatedImprovements {
  latencyReduction: number;
  costReduction: number;
  qualityChange: number;
  throughputChange: number;
  basis: 'measured';
}

/** One prompt of the pipeline before and after the prompt optimizer. */
export interface PromptStep {
  before: string;
  after: string;
  tokensBefore: number;
  tokensAfter: number;
  reductionPercent: number;
  changes: string[];
  kept: boolean;
  note?: string;
}

/**
 * A pipeline config as JSON (its schema is src/shared/pipelineConfig.ts, which the engine
 * types `optimizedConfig` with).
 */
export interface PipelineConfigJson {
  name: string;
  [key: string]: unknown;
}

/** `pipeline/optimizeAll`: the complete example (benchmark, profile, prompts, model, pipeline, cache, benchmark again). */
export type OptimizeAllResult<Config extends PipelineConfigJson = PipelineConfigJson> = {
  pipelineName: string;
  originalBenchmark: PipelineBenchmarkResult;
  profile: ProfileResult;
  prompts: { systemPrompt: PromptStep; queryPromptTemplate: PromptStep };
  modelRecommendation: {
    currentModel: string;
    recommendedModel: string;
    costReductionPercent: number;
    qualityImpact: number;
    latencyImpact: number | null;
    reason: string;
    applied: boolean;
    /** Set when the current model is retired or deprecated: "deprecated, shutdown announced for 2027-01-14". */
    currentModelStatus?: string;
    /** The published scores compared, with their dates and sources, and the retired-models list's date. */
    evidence?: string;
  };
  pipelineOptimization: { changes: string[]; estimatedImprovements: EstimatedImprovements; notes: string[]; candidatesTried: number; best: string };
  cache: { type: string; ttl: number; similarityThreshold: number; hitRate: number; falseHitRate: number; available: boolean; note?: string };
  optimizedBenchmark: PipelineBenchmarkResult;
  improvements: { latency: number; latencyUncached: number; quality: number; tokenUsage: number; cost: number; throughput: number };
  optimizedConfig: Config;
  files: { config: string; reportMarkdown: string; reportJson: string };
  warnings: string[];
  wallMs: number;
};


/** One level of a concurrency sweep (the Benchmark panel runs pipeline/benchmark once per level). */
export interface ConcurrencyPoint {
  concurrency: number;
  throughput: number;
  avgLatency: number;
  p90Latency: number;
}

/** A pipeline benchmark as the Benchmark panel keeps it: the first level's result, and the sweep when there were several. */
export type PipelineSweepResult = PipelineBenchmarkResult & { concurrencySweep?: ConcurrencyPoint[] };
