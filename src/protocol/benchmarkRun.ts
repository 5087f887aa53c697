/**
 * The `benchmark/run` request: a latency, model, quality or RAG benchmark. The parameters
 * are a zod schema (the engine's dispatcher validates requests with it; each benchmark then
 * checks its own `params`, see docs/benchmarks.md) and the results are what the engine's
 * benchmark classes (src/engine/benchmark) return. No engine or Node imports.
 */
import { z } from 'zod';

export const BENCHMARK_RUN_KINDS = ['latency', 'model', 'quality', 'rag'] as const;
export type BenchmarkRunKind = (typeof BENCHMARK_RUN_KINDS)[number];

export const BenchmarkRunParamsSchema = z
  .object({
    kind: z.enum(BENCHMARK_RUN_KINDS),
    /** The benchmark's own parameters (see docs/benchmarks.md); the benchmark class checks them. */
    params: z.record(z.string(), z.unknown()),
    apiKeys: z.object({ openai: z.string().optional(), anthropic: z.string().optional() }).strict().optional(),
    confirmCost: z.boolean().optional(),
    resultsDir: z.string().optional(),
  })
  .strict();
export type BenchmarkRunParams = z.input<typeof BenchmarkRunParamsSchema>;

/*
 * The run results are type aliases, not interfaces: the extension keeps a
 * saved run's result as plain JSON (RunRecord.result, a Record<string, unknown>), and only an
 * object type alias is assignable to one.
 */

/** Where a run was saved, when `resultsDir` was given. */
type Saved = { file?: string };

/** One latency cell: a model at one input length, output length and batch size. */
export interface LatencyCell {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  timeToFirstTokenMs: number;
  timePerOutputTokenMs: number;
  /** Completed requests per second. */
  throughput: number;
  outputTokensPerSecond: number;
  requests: number;
}

/** model → input length → output length → batch size → cell. */
export type LatencyResults = Record<string, Record<string, Record<string, Record<string, LatencyCell>>>>;

export type LatencyRunResult = Saved & {
  results: LatencyResults;
};

export interface ModelTaskResult {
  accuracy?: number;
  f1?: number;
  rouge?: number;
  latency?: number;
  cost?: number;
  items: number;
  costBasis: string;
  skippedLines: string[];
}

/** model → task → result. */
export type ModelRunResult = Saved & {
  results: Record<string, Record<string, ModelTaskResult>>;
};

export interface MeanWithCi {
  mean: number;
  /** Half-width of the 95 % confidence interval (0 with fewer than two values). */
  ci95: number;
  low: number;
  high: number;
  n: number;
}

export interface QualityCell extends MeanWithCi {
  /** Judge replies without a score. */
  unparsed: number;
}

/** model → dataset → metric → cell, and what the judge cost. */
export type QualityRunResult = Saved & {
  results: Record<string, Record<string, Record<string, QualityCell>>>;
  /** `costBasis` is set when the judge is not billed per token (a local model; an editor model: "included in your plan"). */
  judge: { model: string; repeats: number; calls: number; inputTokens: number; outputTokens: number; costUsd: number; costBasis?: string };
  skippedLines: string[];
};

export interface RagPipelineResult {
  contextPrecision?: number;
  contextRecall?: number;
  faithfulness?: number;
  answerCorrectness?: number;
  latency?: { avg: number; p50: number; p90: number };
  cost?: { total: number; perQuery: number; basis: string };
  method: 'judge-free' | 'judge-based';
  items: number;
}

/** pipeline name → result. */
export type RagRunResult = Saved & {
  results: Record<string, RagPipelineResult>;
  skippedLines: string[];
};

/** What `benchmark/run` answers, by `kind`. */
export type BenchmarkRunResult = LatencyRunResult | ModelRunResult | QualityRunResult | RagRunResult;
