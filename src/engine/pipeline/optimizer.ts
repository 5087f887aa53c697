/**
 * PipelineOptimizer: searches config choices — retriever type, top_k, reranker on/off and
 * how many passages it keeps, the model (when candidates are given) and the batch size
 * (throughput target) — by running every candidate on the test queries, then measures the
 * baseline and the winner again with more iterations and reports that measured
 * before/after. Nothing is guessed: `estimatedImprovements` keeps the seed's name (the Python PepperPy
 * `optimization` module's PipelineOptimizer result field for latency, cost and quality
 * changes) but holds measured changes (`basis: 'measured'`).
 */
import { throwIfCancelled } from '../../protocol/errors';
import type { HandlerContext } from '../context';
import { round } from '../benchmark/metrics';
import { PipelineBenchmark, type PipelineBenchmarkResult, type TestQuery } from './benchmark';
import type { CorpusDocument } from './corpus';
import type { ConfirmCost } from './costing';
import type { PipelineConfig } from '../../shared/pipelineConfig';
import type { ProfileResult } from './profiler';
import type { PipelineRuntime } from './runner';
import type { EstimatedImprovements, PipelineTarget } from '../../protocol/pipeline';

export type OptimizationTarget = PipelineTarget;

export interface PipelineOptimizeParams {
  pipelineConfig: PipelineConfig;
  optimizationTarget: OptimizationTarget;
  testQueries: (string | TestQuery)[];
  profileResults?: ProfileResult;
  benchmarkResults?: PipelineBenchmarkResult;
  maxCostPerQuery?: number;
  /** 0-10, on the benchmark's quality scale. */
  minQualityScore?: number;
  /** Candidates whose answer exact match (0-1) is below this are not eligible. */
  minExactMatch?: number;
  /** Other generator models to try (same provider). */
  candidateModels?: string[];
  topKChoices?: number[];
  /** Iterations for the final before/after measurement (default 3). */
  iterations?: number;
  documents?: CorpusDocument[];
  corpusPath?: string;
  runtime?: PipelineRuntime;
  confirmCost?: ConfirmCost;
  ctx?: Pick<HandlerContext, 'token' | 'progress'>;
}

export interface CandidateResult {
  label: string;
  config: PipelineConfig;
  avgLatency: number;
  throughput: number;
  avgCostPerQuery: number;
  qualityScore?: number;
  contextRecall?: number;
  score: number;
  eligible: boolean;
  reason?: string;
}

export interface OptimizedPipeline {
  config: PipelineConfig;
  changes: string[];
  target: OptimizationTarget;
  estimatedImprovements: EstimatedImprovements;
  before: PipelineBenchmarkResult;
  after: PipelineBenchmarkResult;
  candidates: CandidateResult[];
  notes: string[];
}

function pct(before: number, after: number): number {
  return before === 0 ? 0 : round(((before - after) / before) * 100, 2);
}

function describeConfig(c: PipelineConfig): string {
  const r = c.components.retriever;
  const rr = c.components.reranker;
  return `${r.type} top_k=${r.top_k}, ${rr && rr.enabled ? `reranker ${rr.model} keep ${rr.top_n ?? r.top_k}` : 'no reranker'}, ${c.components.generator.model}${c.batch_size > 1 ? `, batch ${c.batch_size}` : ''}`;
}

function clone(c: PipelineConfig): PipelineConfig {
  return JSON.parse(JSON.stringify(c)) as PipelineConfig;
}

export function diffConfigs(a: PipelineConfig, b: PipelineConfig): string[] {
  const changes: string[] = [];
  const ra = a.components.retriever;
  const rb = b.components.retriever;
  if (ra.type !== rb.type) changes.push(`retriever: ${ra.type} → ${rb.type}`);
  if (ra.top_k !== rb.top_k) changes.push(`retriever.top_k: ${ra.top_k} → ${rb.top_k}`);
  const onA = !!a.components.reranker?.enabled;
  const onB = !!b.components.reranker?.enabled;
  if (onA !== onB) changes.push(onB ? `reranker: added (${b.components.reranker?.model}, keeps ${b.components.reranker?.top_n ?? rb.top_k})` : 'reranker: removed');
  else if (onA && onB && a.components.reranker?.top_n !== b.components.reranker?.top_n) changes.push(`reranker.top_n: ${a.components.reranker?.top_n ?? ra.top_k} → ${b.components.reranker?.top_n ?? rb.top_k}`);
  if (a.components.generator.model !== b.components.generator.model) changes.push(`generator.model: ${a.components.generator.model} → ${b.components.generator.model}`);
  if (a.batch_size !== b.batch_size) changes.push(`batch_size: ${a.batch_size} → ${b.batch_size}`);
  return changes;
}

export class PipelineOptimizer {
  candidates(base: PipelineConfig, params: Pick<PipelineOptimizeParams, 'candidateModels' | 'topKChoices' | 'optimizationTarget'>): { label: string; config: PipelineConfig }[] {
    const out = new Map<string, PipelineConfig>();
    const add = (c: PipelineConfig) => out.set(describeConfig(c), c);
    const topKs = [...new Set([...(params.topKChoices ?? [2, 3, 5, 8]), base.components.retriever.top_k])].sort((a, b) => a - b);
    const models = [...new Set([base.components.generator.model, ...(params.candidateModels ?? [])])];
    const rerankerModel = base.components.reranker?.model ?? 'lexical-overlap';
    for (const type of ['bm25', 'vector_db'] as const) {
      for (const k of topKs) {
        for (const model of models) {
          const plain = clone(base);
          plain.components.retriever = { ...plain.components.retriever, type, top_k: k };
          plain.components.generator = { ...plain.components.generator, model };
          delete plain.components.reranker;
          delete plain.cache;
          add(plain);
          for (const keep of [2, 3]) {
            if (keep >= k) continue;
            const reranked = clone(plain);
            reranked.components.reranker = { type: 'cross_encoder', model: rerankerModel, top_n: keep, enabled: true };
            add(reranked);
          }
        }
      }
    }
    if (params.optimizationTarget === 'throughput') {
      for (const c of [...out.values()]) {
        const batched = clone(c);
        batched.batch_size = 4;
        add(batched);
      }
    }
    return [...out.entries()].map(([label, config]) => ({ label, config }));
  }

  private score(target: OptimizationTarget, m: PipelineBenchmarkResult, base: PipelineBenchmarkResult): number {
    const latency = Math.max(m.avgLatencyUncached || m.avgLatency, 1e-6);
    const baseLatency = Math.max(base.avgLatencyUncached || base.avgLatency, 1e-6);
    const quality = m.qualityScore ?? 0;
    const baseQuality = Math.max(base.qualityScore ?? 0, 1e-6);
    switch (target) {
      case 'latency':
        return -latency;
      case 'throughput':
        return m.throughput;
      case 'cost':
        return -(m.avgCostPerQuery + latency * 1e-12);
      case 'quality':
        return quality;
      case 'balanced': {
        const costRatio = base.avgCostPerQuery > 0 ? base.avgCostPerQuery / Math.max(m.avgCostPerQuery, 1e-12) : 1;
        return 0.5 * (quality / baseQuality) + 0.25 * (baseLatency / latency) + 0.25 * Math.min(costRatio, 4);
      }
    }
  }

  async optimize(params: PipelineOptimizeParams): Promise<OptimizedPipeline> {
    const bench = new PipelineBenchmark();
    const base = clone(params.pipelineConfig);
    const cache = base.cache;
    const source = { ...(params.documents ? { documents: params.documents } : {}), ...(params.corpusPath ? { corpusPath: params.corpusPath } : {}) };
    const runtime: PipelineRuntime = { ...params.runtime, cache: null };
    const notes: string[] = [];
    const baseNoCache = clone(base);
    delete baseNoCache.cache;
    const quick = (config: PipelineConfig) => bench.run({ pipelineConfig: config, testQueries: params.testQueries, iterations: 1, concurrency: config.batch_size, ...source, runtime, ...(params.confirmCost !== undefined ? { confirmCost: params.confirmCost } : {}) });
    const baseQuick = await quick(baseNoCache);
    const all = this.candidates(baseNoCache, params);
    const results: CandidateResult[] = [];
    let i = 0;
    for (const { label, config } of all) {
      throwIfCancelled(params.ctx?.token, 'Pipeline optimization');
      params.ctx?.progress({ message: `Trying ${label}`, percent: Math.round((++i / all.length) * 90) });
      const m = await quick(config);
      let reason: string | undefined;
      if (params.maxCostPerQuery !== undefined && m.avgCostPerQuery > params.maxCostPerQuery) reason = `cost $${m.avgCostPerQuery.toFixed(6)} per query above $${params.maxCostPerQuery}`;
      else if (params.minQualityScore !== undefined && (m.qualityScore ?? 0) < params.minQualityScore) reason = `quality ${(m.qualityScore ?? 0).toFixed(2)} below ${params.minQualityScore}`;
      else if (params.minExactMatch !== undefined && (m.exactMatch ?? 0) < params.minExactMatch) reason = `exact match ${(m.exactMatch ?? 0).toFixed(3)} below ${params.minExactMatch}`;
      results.push({ label, config, avgLatency: m.avgLatencyUncached, throughput: m.throughput, avgCostPerQuery: m.avgCostPerQuery, ...(m.qualityScore !== undefined ? { qualityScore: m.qualityScore } : {}), ...(m.contextRecall !== undefined ? { contextRecall: m.contextRecall } : {}), score: this.score(params.optimizationTarget, m, baseQuick), eligible: reason === undefined, ...(reason ? { reason } : {}) });
    }
    results.sort((a, b) => b.score - a.score);
    const winner = results.find((r) => r.eligible);
    let chosen = baseNoCache;
    if (!winner) notes.push('No candidate met the constraints (maxCostPerQuery, minQualityScore); the configuration is unchanged.');
    else chosen = winner.config;
    if (cache) chosen = { ...clone(chosen), cache };
    if (params.profileResults) notes.push(`Profile bottleneck before: ${params.profileResults.bottleneck} (${params.profileResults.componentStats[params.profileResults.bottleneck]?.percentage ?? 0} % of component time).`);
    // Measure baseline and winner again, with more iterations and no cache, so the reported change is measured on equal terms.
    params.ctx?.progress({ message: 'Measuring before and after', percent: 92 });
    const iterations = params.iterations ?? 3;
    const chosenNoCache = clone(chosen);
    delete chosenNoCache.cache;
    const before = params.benchmarkResults ?? (await bench.run({ pipelineConfig: baseNoCache, testQueries: params.testQueries, iterations, concurrency: 1, ...source, runtime }));
    const after = await bench.run({ pipelineConfig: chosenNoCache, testQueries: params.testQueries, iterations, concurrency: chosenNoCache.batch_size, ...source, runtime });
    const latencyBefore = before.avgLatencyUncached || before.avgLatency;
    return {
      config: chosen,
      changes: diffConfigs(base, chosen),
      target: params.optimizationTarget,
      estimatedImprovements: {
        latencyReduction: pct(latencyBefore, after.avgLatencyUncached || after.avgLatency),
        costReduction: pct(before.avgCostPerQuery, after.avgCostPerQuery),
        qualityChange: before.qualityScore ? round((((after.qualityScore ?? 0) - before.qualityScore) / before.qualityScore) * 100, 2) : 0,
        throughputChange: before.throughput ? round(((after.throughput - before.throughput) / before.throughput) * 100, 2) : 0,
        basis: 'measured',
      },
      before,
      after,
      candidates: results.map((r) => ({ ...r, config: r.config })),
      notes,
    };
  }
}
