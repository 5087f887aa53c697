/**
 * Messages for pipelines and benchmarks. Results are the engine's own result objects
 * (src/engine/pipeline, src/engine/benchmark); they are plain JSON, typed loosely here so
 * the protocol does not depend on engine modules.
 */
export interface PipelineConfigRef {
  /** A pipeline config file (JSON); its `corpus` resolves against its folder. */
  configPath: string;
  /** Test queries (JSONL); default queries.jsonl beside the config. */
  queriesPath?: string;
  /** API key for a hosted generator; the engine never reads settings or secrets itself. */
  apiKey?: string;
  /** Paid calls are refused unless this is true (the forecast is in the error). */
  confirmCost?: boolean;
}

export interface PipelineBenchmarkParams extends PipelineConfigRef {
  iterations?: number;
  concurrency?: number;
}

export interface PipelineProfileParams extends PipelineConfigRef {
  runsPerQuery?: number;
}

export interface PipelineOptimizeAllParams extends PipelineConfigRef {
  outDir?: string;
  target?: 'latency' | 'throughput' | 'cost' | 'quality' | 'balanced';
  iterations?: number;
  cache?: { type: 'memory' | 'file' | 'redis'; connectionString?: string };
  /** Candidates costing more per query are not chosen (the extension sends pepperpy.optimization.maxCostPerQuery). */
  maxCostPerQuery?: number;
  /** Candidates scoring below this (0-10) are not chosen. */
  minQualityScore?: number;
}

export interface BenchmarkRunParams {
  kind: 'latency' | 'model' | 'quality' | 'rag';
  /** The benchmark's own parameters (see docs/benchmarks.md). */
  params: Record<string, unknown>;
  apiKeys?: { openai?: string; anthropic?: string };
  confirmCost?: boolean;
  resultsDir?: string;
}

export type JsonResult = Record<string, unknown>;
