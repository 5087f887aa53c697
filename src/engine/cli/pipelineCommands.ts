import { neverCancelled } from '../context';
import { describeLineErrors, loadDataset, requireRecords } from '../benchmark/dataset';
import { PipelineBenchmark, TEST_QUERY_LINE, TestQuerySchema } from '../pipeline/benchmark';
import { readPipelineConfig } from '../../shared/pipelineConfig';
import { generatorSentence, optimizeAll } from '../pipeline/optimizeAll';
import type { OptimizationTarget } from '../pipeline/optimizer';
import { PipelineProfiler } from '../pipeline/profiler';
import { stderrProgress, UsageError, type CliCommand, type CliIo } from './framework';

/**
 * A whole-number option within the limits the engine's requests have (src/engine/pipeline/handlers.ts),
 * so `--runs 1e6` or `--iterations 0.5` is refused before any work.
 */
function num(values: Record<string, unknown>, name: string, fallback: number, min: number, max: number): number {
  const v = values[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, got ${JSON.stringify(v)}.`);
  return n;
}

function keyFor(provider: string, apiKeyEnv: string | undefined): string | undefined {
  if (apiKeyEnv) return process.env[apiKeyEnv];
  return provider === 'openai' ? process.env.OPENAI_API_KEY : provider === 'anthropic' ? process.env.ANTHROPIC_API_KEY : undefined;
}

function cliCtx(io: CliIo, verbose: boolean) {
  return { token: neverCancelled, progress: stderrProgress(io), log: (level: string, message: string) => (verbose || level === 'warn' ? io.stderr(`${level}: ${message}\n`) : undefined) };
}

const TARGETS = ['latency', 'throughput', 'cost', 'quality', 'balanced'];

function queriesFor(values: Record<string, unknown>, configPath: string): { queries: ReturnType<typeof loadDataset<typeof TestQuerySchema>>; path: string } {
  const path = typeof values.queries === 'string' ? values.queries : configPath.replace(/[^/\\]+$/, 'queries.jsonl');
  return { queries: requireRecords(loadDataset(path, TestQuerySchema, 'test query'), 'test query', TEST_QUERY_LINE), path };
}

export const pipelineCommands: CliCommand[] = [
  {
    area: 'pipeline',
    verb: 'optimize-all',
    summary: 'The complete example: benchmark → prompts → model → pipeline → cache → benchmark again; writes the optimized config and a report.',
    positionals: '<config.json>',
    options: {
      queries: { type: 'string', valueName: 'FILE', description: 'Test queries (JSONL); default queries.jsonl beside the config.' },
      out: { type: 'string', valueName: 'DIR', description: 'Where the optimized config and the report go (default: out/ beside the config).' },
      target: { type: 'string', valueName: 'T', description: 'latency, throughput, cost, quality or balanced (default balanced).' },
      iterations: { type: 'string', valueName: 'N', description: 'Benchmark iterations (default 2).' },
      cache: { type: 'string', valueName: 'TYPE', description: 'Cache to add: memory (default), file or redis.' },
      'cache-url': { type: 'string', valueName: 'URL', description: 'redis://… for a Redis cache, a folder for a file cache.' },
      'confirm-cost': { type: 'boolean', description: 'Allow paid API calls after the forecast.' },
      verbose: { type: 'boolean', short: 'v', description: 'Print each step to stderr.' },
    },
    examples: ['pepperpy-opt pipeline optimize-all samples/rag/rag_pipeline.json', 'pepperpy-opt pipeline optimize-all samples/rag/rag_pipeline.json --cache redis --cache-url redis://127.0.0.1:6379/0 --json'],
    async run({ positionals, values }, io) {
      if (positionals.length !== 1) throw new UsageError('Give one pipeline config file.');
      const target = (values.target as string | undefined) ?? 'balanced';
      if (!TARGETS.includes(target)) throw new UsageError(`--target must be one of ${TARGETS.join(', ')}.`);
      const cacheType = (values.cache as string | undefined) ?? 'memory';
      if (!['memory', 'file', 'redis'].includes(cacheType)) throw new UsageError('--cache must be memory, file or redis.');
      if (cacheType === 'redis' && typeof values['cache-url'] !== 'string') throw new UsageError('--cache redis needs --cache-url redis://host:6379/0.');
      const { config } = readPipelineConfig(positionals[0]);
      const gen = config.components.generator;
      const apiKey = keyFor(gen.provider, gen.api_key_env);
      const r = await optimizeAll({
        configPath: positionals[0],
        ...(typeof values.queries === 'string' ? { queriesPath: values.queries } : {}),
        ...(typeof values.out === 'string' ? { outDir: values.out } : {}),
        target: target as OptimizationTarget,
        iterations: num(values, 'iterations', 2, 1, 100),
        cache: { type: cacheType as 'memory' | 'file' | 'redis', ...(typeof values['cache-url'] === 'string' ? { connectionString: values['cache-url'] } : {}) },
        ...(apiKey ? { apiKey } : {}),
        confirmCost: values['confirm-cost'] === true,
        ctx: cliCtx(io, values.verbose === true),
      });
      const b = r.originalBenchmark;
      const a = r.optimizedBenchmark;
      const text = [
        `Optimized ${r.pipelineName} in ${(r.wallMs / 1000).toFixed(1)} s (${b.queries} queries × ${b.iterations} iterations, generator ${a.generator.provider}/${a.generator.model}):`,
        `  latency      ${b.avgLatency.toFixed(2)} → ${a.avgLatency.toFixed(2)} ms (${r.improvements.latency.toFixed(1)} % lower; ${r.improvements.latencyUncached.toFixed(1)} % without cache hits)`,
        `  generator    ${generatorSentence(a)}`,
        `  answers      exact match ${(b.exactMatch ?? 0).toFixed(3)} → ${(a.exactMatch ?? 0).toFixed(3)}, token F1 ${(b.answerF1 ?? 0).toFixed(3)} → ${(a.answerF1 ?? 0).toFixed(3)}; retrieval MRR ${(b.retrievalMrr ?? 0).toFixed(3)} → ${(a.retrievalMrr ?? 0).toFixed(3)}`,
        `  quality      ${(b.qualityScore ?? 0).toFixed(2)} → ${(a.qualityScore ?? 0).toFixed(2)} /10 (10 × token F1; ${r.improvements.quality.toFixed(1)} %)`,
        `  tokens/query ${b.avgTokenUsage.toFixed(1)} → ${a.avgTokenUsage.toFixed(1)} (${r.improvements.tokenUsage.toFixed(1)} % fewer)`,
        `  cost/query   $${b.avgCostPerQuery.toFixed(6)} → $${a.avgCostPerQuery.toFixed(6)} (${r.improvements.cost.toFixed(1)} % lower; ${a.costBasis})`,
        `  prompts      system ${r.prompts.systemPrompt.tokensBefore} → ${r.prompts.systemPrompt.tokensAfter} tokens, template ${r.prompts.queryPromptTemplate.tokensBefore} → ${r.prompts.queryPromptTemplate.tokensAfter}`,
        `  model        ${r.modelRecommendation.applied ? `${r.modelRecommendation.currentModel} → ${r.modelRecommendation.recommendedModel}` : `kept ${r.modelRecommendation.currentModel}`}${r.modelRecommendation.currentModelStatus ? ` (${r.modelRecommendation.currentModelStatus}: no current model with published quality data to compare; see the warning below)` : ''}`,
        `  pipeline     ${r.pipelineOptimization.changes.join('; ') || 'unchanged'} (${r.pipelineOptimization.candidatesTried} configurations measured)`,
        `  cache        ${r.cache.type}, hit rate ${(r.cache.hitRate * 100).toFixed(1)} %, false hits ${(r.cache.falseHitRate * 100).toFixed(1)} %${r.cache.available ? '' : ' (unavailable: ran without it)'}`,
        `Wrote ${r.files.config}`,
        `      ${r.files.reportMarkdown}`,
        `      ${r.files.reportJson}`,
        ...r.warnings.map((w) => `warning: ${w}`),
      ];
      return { json: r, text: text.join('\n') };
    },
  },
  {
    area: 'pipeline',
    verb: 'benchmark',
    summary: 'Benchmark a pipeline: latency percentiles, throughput, tokens, cost, quality.',
    positionals: '<config.json>',
    options: {
      queries: { type: 'string', valueName: 'FILE', description: 'Test queries (JSONL); default queries.jsonl beside the config.' },
      iterations: { type: 'string', valueName: 'N', description: 'Passes over the queries (default 1).' },
      concurrency: { type: 'string', valueName: 'N', description: 'Queries in flight (default 1).' },
      'confirm-cost': { type: 'boolean', description: 'Allow paid API calls after the forecast.' },
    },
    async run({ positionals, values }, io) {
      if (positionals.length !== 1) throw new UsageError('Give one pipeline config file.');
      const { config, corpusPath } = readPipelineConfig(positionals[0]);
      const { queries } = queriesFor(values, positionals[0]);
      for (const line of describeLineErrors(queries)) io.stderr(`warning: ${line}\n`);
      const apiKey = keyFor(config.components.generator.provider, config.components.generator.api_key_env);
      const r = await new PipelineBenchmark().run({ pipelineConfig: config, testQueries: queries.records.map((q) => q.value), iterations: num(values, 'iterations', 1, 1, 1000), concurrency: num(values, 'concurrency', 1, 1, 256), ...(corpusPath ? { corpusPath } : {}), runtime: { ...(apiKey ? { apiKey } : {}), log: (l, m) => io.stderr(`${l}: ${m}\n`) }, confirmCost: values['confirm-cost'] === true, ctx: cliCtx(io, false) });
      return {
        json: { ...r, skippedLines: describeLineErrors(queries) },
        text: `${r.pipelineName}: ${r.requests} requests, avg ${r.avgLatency} ms (p50 ${r.p50Latency}, p90 ${r.p90Latency}, p99 ${r.p99Latency}), ${r.throughput} queries/s, ${r.avgTokenUsage} tokens and $${r.avgCostPerQuery.toFixed(6)} per query, quality ${r.qualityScore ?? 'n/a'}/10, cache hit rate ${(r.cacheHitRate * 100).toFixed(1)} %`,
      };
    },
  },
  {
    area: 'pipeline',
    verb: 'profile',
    summary: 'Profile a pipeline: time, share and memory per component, and the bottleneck.',
    positionals: '<config.json>',
    options: {
      queries: { type: 'string', valueName: 'FILE', description: 'Test queries (JSONL); default queries.jsonl beside the config.' },
      runs: { type: 'string', valueName: 'N', description: 'Runs per query (default 3).' },
    },
    async run({ positionals, values }, io) {
      if (positionals.length !== 1) throw new UsageError('Give one pipeline config file.');
      const { config, corpusPath } = readPipelineConfig(positionals[0]);
      const { queries } = queriesFor(values, positionals[0]);
      for (const line of describeLineErrors(queries)) io.stderr(`warning: ${line}\n`);
      const r = await new PipelineProfiler().profile({ pipelineConfig: config, testQueries: queries.records.map((q) => q.value.query), runsPerQuery: num(values, 'runs', 3, 1, 100), detailed: true, ...(corpusPath ? { corpusPath } : {}), ctx: cliCtx(io, false) });
      const lines = [`${r.pipelineName}: ${r.totalAvgTime} ms per query over components; bottleneck ${r.bottleneck}`];
      for (const [name, s] of Object.entries(r.componentStats)) lines.push(`  ${name.padEnd(10)} ${s.avgTime.toFixed(3)} ms  ${s.percentage.toFixed(1)} %  heap ${s.memoryUsage.toFixed(3)} MB${s.isBottleneck ? '  ← bottleneck' : ''}`);
      return { json: r, text: lines.join('\n') };
    },
  },
];
