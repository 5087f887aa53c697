/**
 * PipelineBenchmark: runs test queries through a pipeline `iterations` times with
 * `concurrency` queries in flight, and reports latency percentiles, throughput, tokens,
 * cost, cache hits, and judge-free answer scores (docs/benchmarks.md), SQuAD-style
 * (./answerMetrics.ts), over the queries that have a reference answer (`answer`, plus any
 * other accepted wordings in `answers`; the best over them counts):
 *   exactMatch = share of answers equal to a reference after normalisation,
 *   answerF1   = mean token F1 against the best reference,
 *   qualityScore = 10 × answerF1;
 * context recall/precision and MRR over the queries that list `relevantIds`. Queries
 * without references still count for latency, tokens and cost.
 */
import { z } from 'zod';
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import type { HandlerContext } from '../context';
import { mean, percentile, round } from '../benchmark/metrics';
import { bestOver, reciprocalRank, squadExactMatch, squadF1 } from './answerMetrics';
import { confirmPaidCalls, forecastCost, type ConfirmCost } from './costing';
import type { CorpusDocument } from './corpus';
import type { PipelineConfig } from '../../shared/pipelineConfig';
import type { PipelineBenchmarkResult } from '../../protocol/pipeline';
import { RagPipeline, type ComponentName, type PipelineAnswer, type PipelineRuntime } from './runner';

/** What one line of a test-query dataset holds, for messages. */
export const TEST_QUERY_LINE = 'a JSON object {"query", "answer"?, "answers"?, "relevantIds"?} (or a JSON string, the query)';

/** A line: `{"query", …}`, or a bare string (the query). Strings are wrapped first, so errors name the field, not "Invalid input". */
export const TestQuerySchema = z.preprocess(
  (value) => (typeof value === 'string' ? { query: value } : value),
  z
    .object({
      id: z.string().optional(),
      query: z.string().min(1),
      answer: z.string().optional(),
      /** Other accepted reference answers (SQuAD-style: the best match counts). */
      answers: z.array(z.string()).optional(),
      relevantIds: z.array(z.string()).optional(),
    })
    .strict(),
);
export interface TestQuery {
  id?: string;
  query: string;
  answer?: string;
  answers?: string[];
  relevantIds?: string[];
}

/** A query's reference answers: `answer` first, then `answers`. */
export function referencesOf(q: TestQuery): string[] {
  return [...(q.answer !== undefined ? [q.answer] : []), ...(q.answers ?? [])];
}

export type PipelineMetric = 'latency' | 'throughput' | 'token_usage' | 'quality' | 'cost';

export interface PipelineBenchmarkParams {
  pipelineConfig: PipelineConfig;
  testQueries: (string | TestQuery)[];
  metrics?: PipelineMetric[];
  iterations?: number;
  concurrency?: number;
  /** Documents, or a path to load them from (the config's `corpus`). */
  documents?: CorpusDocument[];
  corpusPath?: string;
  runtime?: PipelineRuntime;
  /** Reuse a built pipeline instead of building one from the config. */
  pipeline?: RagPipeline;
  confirmCost?: ConfirmCost;
  ctx?: Pick<HandlerContext, 'token' | 'progress'>;
  /** Keep every answer in the result (default false: only the first iteration's). */
  keepAllAnswers?: boolean;
}

/** The result is part of the protocol (src/protocol/pipeline.ts). */
export type { PipelineBenchmarkResult };

function contextScores(answer: PipelineAnswer, relevant: string[]): { recall: number; precision: number } {
  const ids = answer.passages.map((p) => p.id);
  const found = relevant.filter((r) => ids.includes(r)).length;
  // Average precision at each relevant rank (rank-aware precision, as RAG evaluations use).
  let hits = 0;
  let sum = 0;
  ids.forEach((id, i) => {
    if (relevant.includes(id)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return { recall: relevant.length === 0 ? 0 : found / relevant.length, precision: hits === 0 ? 0 : sum / hits };
}

export class PipelineBenchmark {
  async run(params: PipelineBenchmarkParams): Promise<PipelineBenchmarkResult> {
    const iterations = params.iterations ?? 1;
    const concurrency = Math.max(1, params.concurrency ?? 1);
    if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) throw new EngineError('badRequest', `iterations must be an integer from 1 to 1000 (got ${iterations}).`);
    const queries: TestQuery[] = params.testQueries.map((q) => (typeof q === 'string' ? { query: q } : q));
    if (queries.length === 0) throw new EngineError('badRequest', 'The benchmark needs at least one test query.');
    const pipeline = params.pipeline ?? (await RagPipeline.fromConfig(params.pipelineConfig, { ...(params.documents ? { documents: params.documents } : {}), ...(params.corpusPath ? { corpusPath: params.corpusPath } : {}) }, params.runtime));
    try {
      if (pipeline.provider.paid) {
        const planned = [];
        for (let i = 0; i < iterations; i++) {
          for (const q of queries) {
            const { passages } = await pipeline.retrieve(q.query);
            planned.push({ model: pipeline.provider.model, paid: true, inputText: pipeline.buildMessages(q.query, passages).map((m) => m.content).join('\n'), maxOutputTokens: pipeline.config.components.generator.max_tokens });
          }
        }
        await confirmPaidCalls(await forecastCost(planned), params.confirmCost);
      }
      const jobs: { q: TestQuery; iteration: number }[] = [];
      for (let i = 0; i < iterations; i++) for (const q of queries) jobs.push({ q, iteration: i });
      const results: { job: (typeof jobs)[number]; answer: PipelineAnswer }[] = [];
      let next = 0;
      const started = performance.now();
      const worker = async () => {
        while (next < jobs.length) {
          throwIfCancelled(params.ctx?.token, 'The pipeline benchmark');
          const job = jobs[next++];
          const answer = await pipeline.query(job.q.query, { ...(job.q.id ?? job.q.answer ? { tag: job.q.id ?? job.q.answer } : {}) });
          results.push({ job, answer });
          params.ctx?.progress({ message: `Query ${results.length}/${jobs.length}`, percent: Math.round((results.length / jobs.length) * 100) });
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
      const wallMs = performance.now() - started;

      const latencies = results.map((r) => r.answer.totalMs);
      const uncached = results.filter((r) => !r.answer.cacheHit);
      const withRef = results.filter((r) => referencesOf(r.job.q).length > 0);
      const em = withRef.map((r) => bestOver(squadExactMatch, r.answer.answer, referencesOf(r.job.q)));
      const f1 = withRef.map((r) => bestOver(squadF1, r.answer.answer, referencesOf(r.job.q)));
      const withRel = results.filter((r) => r.job.q.relevantIds && r.job.q.relevantIds.length > 0 && !r.answer.cacheHit);
      const ctxScores = withRel.map((r) => contextScores(r.answer, r.job.q.relevantIds ?? []));
      const tokens = results.map((r) => r.answer.inputTokens + r.answer.outputTokens);
      const totalCost = results.reduce((a, r) => a + r.answer.costUsd, 0);
      const componentAvgMs: Partial<Record<ComponentName, number>> = {};
      for (const name of ['cache', 'retriever', 'reranker', 'generator'] as ComponentName[]) {
        const times = results.map((r) => r.answer.components[name]?.ms).filter((t): t is number => t !== undefined);
        if (times.length > 0) componentAvgMs[name] = round(mean(times), 3);
      }
      const ordered = [...results].sort((a, b) => a.job.iteration - b.job.iteration || queries.indexOf(a.job.q) - queries.indexOf(b.job.q));
      const shown = params.keepAllAnswers ? ordered : ordered.filter((r) => r.job.iteration === 0);
      return {
        pipelineName: pipeline.config.name,
        queries: queries.length,
        iterations,
        concurrency,
        requests: results.length,
        avgLatency: round(mean(latencies), 3),
        p50Latency: round(percentile(latencies, 50), 3),
        p90Latency: round(percentile(latencies, 90), 3),
        p99Latency: round(percentile(latencies, 99), 3),
        avgLatencyUncached: round(mean(uncached.map((r) => r.answer.totalMs)), 3),
        avgTimeToFirstToken: round(mean(results.map((r) => r.answer.timeToFirstTokenMs)), 3),
        throughput: round(results.length / (wallMs / 1000), 3),
        tokenUsage: tokens.reduce((a, b) => a + b, 0),
        avgTokenUsage: round(mean(tokens), 2),
        avgInputTokens: round(mean(results.map((r) => r.answer.inputTokens)), 2),
        avgOutputTokens: round(mean(results.map((r) => r.answer.outputTokens)), 2),
        totalCost: round(totalCost, 8),
        avgCostPerQuery: round(totalCost / results.length, 8),
        costBasis: pipeline.costBasis,
        ...(withRef.length > 0 ? { qualityScore: round(10 * mean(f1), 3), exactMatch: round(mean(em), 4), answerF1: round(mean(f1), 4), scoredQueries: withRef.length } : {}),
        qualityMethod: 'judge-free, SQuAD-style: 10 × mean token F1 of the answer against its best reference answer (lower-cased, punctuation and a/an/the dropped); exact match alongside',
        ...(ctxScores.length > 0 ? { contextRecall: round(mean(ctxScores.map((c) => c.recall)), 4), contextPrecision: round(mean(ctxScores.map((c) => c.precision)), 4), retrievalMrr: round(mean(withRel.map((r) => reciprocalRank(r.answer.passages.map((p) => p.id), r.job.q.relevantIds ?? []))), 4) } : {}),
        cacheHitRate: round(results.filter((r) => r.answer.cacheHit).length / results.length, 4),
        componentAvgMs,
        answers: shown.map((r) => ({ query: r.job.q.query, answer: r.answer.answer, passageIds: r.answer.passages.map((p) => p.id), latencyMs: round(r.answer.totalMs, 3), ...(r.answer.cacheHit ? { cacheHit: r.answer.cacheHit.match } : {}) })),
        generator: { provider: pipeline.provider.kind, model: pipeline.provider.model, ...(providerDescription(pipeline.provider) ? { description: providerDescription(pipeline.provider) } : {}) },
        ...(pipeline.rerankerName ? { reranker: pipeline.rerankerName } : {}),
        wallMs: round(wallMs, 3),
      };
    } finally {
      if (!params.pipeline) await pipeline.close();
    }
  }
}

function providerDescription(provider: object): string | undefined {
  const d = (provider as { description?: unknown }).description;
  return typeof d === 'string' && d !== '' ? d : undefined;
}
