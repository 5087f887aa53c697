/**
 * The seed's complete example (the "Exemplo Completo" of the Python PepperPy `optimization`
 * module's documentation, optimize_rag_system) as one job: benchmark the pipeline → optimize its prompts →
 * recommend a model → optimize the pipeline → add a cache → benchmark again → write the
 * optimized config and a before/after report (Markdown and JSON).
 *
 * Before and after are measured the same way (same queries, iterations and concurrency).
 * The "after" benchmark runs with the cache, so repeated questions hit it; the report
 * shows the uncached latency alongside, so the cache's share of the gain is visible.
 */
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { EngineError, errorMessage, throwIfCancelled } from '../../protocol/errors';
import { EDITOR_LM_COST_LABEL, EDITOR_LM_PREFIX } from '../../protocol/editorLm';
import type { HandlerContext } from '../context';
import { CostOptimizer } from '../cost/optimizer';
import { ModelLifecycle } from '../../shared/cost/quality';
import { PromptOptimizer } from '../prompt/optimizer';
import { round } from '../benchmark/metrics';
import { writeFileAtomicSync } from '../../shared/files';
import { assertOutputTarget } from '../../shared/files';
import { loadDataset, describeLineErrors, requireRecords } from '../benchmark/dataset';
import { PipelineBenchmark, TEST_QUERY_LINE, TestQuerySchema, type PipelineBenchmarkResult, type TestQuery } from './benchmark';
import { loadCorpus } from './corpus';
import type { ConfirmCost } from './costing';
import { readPipelineConfig, type PipelineConfig } from '../../shared/pipelineConfig';
import { checkFolderPath } from './cache';
import { PipelineOptimizer, type OptimizationTarget } from './optimizer';
import { PipelineProfiler } from './profiler';
import { RagPipeline } from './runner';
import type { OptimizeAllResult as ProtocolOptimizeAllResult, PromptStep } from '../../protocol/pipeline';

export interface OptimizeAllParams {
  configPath: string;
  /** JSONL of test queries; default: the config's `test_queries` sibling file `queries.jsonl`. */
  queriesPath?: string;
  outDir?: string;
  target?: OptimizationTarget;
  iterations?: number;
  concurrency?: number;
  /** Cache added in step 6 (default: memory). */
  cache?: { type: 'memory' | 'file' | 'redis'; connectionString?: string };
  maxCostPerQuery?: number;
  minQualityScore?: number;
  apiKey?: string;
  confirmCost?: ConfirmCost;
  ctx?: Pick<HandlerContext, 'token' | 'progress' | 'log'>;
}

/** The result is part of the protocol (src/protocol/pipeline.ts); the engine's has the config typed. */
export type OptimizeAllResult = ProtocolOptimizeAllResult<PipelineConfig>;

export type { PromptStep };

function change(before: number, after: number): number {
  return before === 0 ? 0 : round(((before - after) / before) * 100, 2);
}

export async function optimizeAll(params: OptimizeAllParams): Promise<OptimizeAllResult> {
  const started = performance.now();
  const ctx = params.ctx;
  const step = (n: number, message: string) => {
    ctx?.progress({ message: `${n}/8 ${message}`, percent: Math.round(((n - 1) / 8) * 100) });
    ctx?.log('info', `optimize-all ${n}/8: ${message}`);
  };
  const check = () => {
    throwIfCancelled(ctx?.token, 'optimize-all');
  };
  const warnings: string[] = [];
  const { config: original, corpusPath } = readPipelineConfig(params.configPath);
  if (!corpusPath) throw new EngineError('badRequest', `${params.configPath} has no \`corpus\`.`, 'Point `corpus` at a JSONL file of documents.');
  const corpus = loadCorpus(corpusPath);
  warnings.push(...corpus.problems);
  const documents = corpus.documents;
  const queriesPath = params.queriesPath ?? join(resolve(params.configPath, '..'), 'queries.jsonl');
  // An input is never an output: refuse before any work if a file this run writes is one it reads.
  const outDir = resolve(params.outDir ?? join(resolve(params.configPath, '..'), 'out'));
  const inputs = [params.configPath, corpusPath, queriesPath, ...(original.components.reranker?.type === 'cross_encoder' ? [original.components.reranker.model] : [])];
  assertNoOverwrite(outputFiles(outDir, original.name), inputs);
  // A FIFO, a device or a folder where an output goes is refused now, not after the work.
  for (const file of Object.values(outputFiles(outDir, original.name))) assertOutputTarget(file);
  // Folders written at the end are checked now, so a file in their place fails before minutes of work.
  checkFolderPath(outDir, 'The output folder', '--out (outDir)');
  if (params.cache?.type === 'file' && params.cache.connectionString) checkFolderPath(params.cache.connectionString, 'The file cache folder', '--cache-url');
  const queryLoad = requireRecords(loadDataset(queriesPath, TestQuerySchema, 'test query'), 'test query', TEST_QUERY_LINE);
  warnings.push(...describeLineErrors(queryLoad));
  const queries: TestQuery[] = queryLoad.records.map((r) => r.value);
  const iterations = params.iterations ?? 2;
  const concurrency = params.concurrency ?? 1;
  const runtime = { ...(params.apiKey ? { apiKey: params.apiKey } : {}), ...(ctx ? { log: (level: 'info' | 'warn', message: string) => ctx.log(level, message) } : {}) };
  const bench = new PipelineBenchmark();
  const common = { testQueries: queries, iterations, concurrency, documents, ...(params.confirmCost !== undefined ? { confirmCost: params.confirmCost } : {}) };

  // 1-2. Benchmark the pipeline as configured (its own cache, if any, is left out so "before" is the bare pipeline).
  step(1, 'Benchmarking the current pipeline');
  const baseConfig: PipelineConfig = JSON.parse(JSON.stringify(original)) as PipelineConfig;
  delete baseConfig.cache;
  const originalBenchmark = await bench.run({ ...common, pipelineConfig: baseConfig, runtime: { ...runtime, cache: null } });
  check();
  step(2, 'Profiling components');
  const profile = await new PipelineProfiler().profile({ pipelineConfig: baseConfig, testQueries: queries.slice(0, 4).map((q) => q.query), runsPerQuery: 2, documents, runtime });
  check();

  // 3. Prompts.
  step(3, 'Optimizing prompts');
  const working: PipelineConfig = JSON.parse(JSON.stringify(baseConfig)) as PipelineConfig;
  const gen = working.components.generator;
  const promptOptimizer = new PromptOptimizer();
  const optimizePrompt = (text: string, placeholders: string[]): PromptStep => {
    const result = promptOptimizer.optimize(text, { target: 'balanced', model: gen.model, maxTokens: Math.max(1, Math.floor(promptOptimizer.optimize(text, { target: 'quality', model: gen.model }).tokensBefore * 0.7)) });
    const missing = placeholders.filter((p) => !result.text.includes(p));
    const worse = result.tokensAfter >= result.tokensBefore;
    const kept = missing.length === 0 && !worse;
    return {
      before: text,
      after: kept ? result.text : text,
      tokensBefore: result.tokensBefore,
      tokensAfter: kept ? result.tokensAfter : result.tokensBefore,
      reductionPercent: kept ? result.reductionPercent : 0,
      changes: kept ? result.changes : [],
      kept,
      ...(missing.length > 0 ? { note: `rewrite dropped ${missing.join(', ')}; original kept` } : worse ? { note: 'no shorter version found; original kept' } : {}),
    };
  };
  const systemPrompt = optimizePrompt(gen.system_prompt, []);
  const queryPromptTemplate = optimizePrompt(gen.query_prompt_template, ['{query}', '{context}'].filter((p) => gen.query_prompt_template.includes(p)));
  gen.system_prompt = systemPrompt.after;
  gen.query_prompt_template = queryPromptTemplate.after;
  check();

  // 4. Model.
  step(4, 'Recommending a model');
  let modelRecommendation: OptimizeAllResult['modelRecommendation'];
  try {
    // The editor's models are chosen in VS Code and have no price to compare: nothing to recommend.
    if (gen.provider === 'vscode') throw new EngineError('unsupported', `the generator is the editor's model ${EDITOR_LM_PREFIX}${gen.model} (${EDITOR_LM_COST_LABEL}); no priced alternative is compared.`);
    const rec = await new CostOptimizer().recommendModel({ currentModel: gen.model, task: 'rag', qualityThreshold: 0.8, maxLatencyMs: 500 });
    const applied = rec.model !== gen.model;
    // The data behind the choice, dated: the two published scores and the retired-models list's check.
    const e = rec.evidence;
    const score = (model: string, q: typeof e.current) => `${model} ${q.value} (${q.date}, ${q.source})`;
    const evidence = `${e.benchmark}: ${score(gen.model, e.current)}${applied ? `; ${score(rec.model, e.recommended)}` : ''}. Retired-models list checked ${new ModelLifecycle().checked}.`;
    modelRecommendation = { currentModel: gen.model, recommendedModel: rec.model, costReductionPercent: rec.costReductionPercent, qualityImpact: rec.qualityImpact, latencyImpact: rec.latencyImpact, reason: rec.reason, applied, evidence };
    if (applied && gen.provider !== 'local') warnings.push(`Model switched to ${rec.model} on provider ${gen.provider}: check that the provider serves it.`);
    gen.model = rec.model;
  } catch (error) {
    const message = errorMessage(error);
    warnings.push(`Model recommendation skipped: ${message}`);
    modelRecommendation = { currentModel: gen.model, recommendedModel: gen.model, costReductionPercent: 0, qualityImpact: 0, latencyImpact: null, reason: message, applied: false };
  }
  // A kept model that is retired or deprecated is said on the summary line, not only in a warning.
  const verdict = gen.provider === 'vscode' ? undefined : new ModelLifecycle().verdict(modelRecommendation.recommendedModel);
  if (verdict) {
    const shutdown = verdict.entry?.shutdownDate;
    modelRecommendation.currentModelStatus = shutdown ? `${verdict.status}, ${verdict.status === 'retired' ? 'shut down on' : 'shutdown announced for'} ${shutdown}` : verdict.status;
  }
  check();

  // 5. Pipeline.
  step(5, 'Optimizing the pipeline');
  const keepsAnswers = (params.target ?? 'balanced') === 'balanced' || params.target === 'quality';
  const optimized = await new PipelineOptimizer().optimize({
    pipelineConfig: working,
    optimizationTarget: params.target ?? 'balanced',
    testQueries: queries,
    profileResults: profile,
    ...(params.maxCostPerQuery !== undefined ? { maxCostPerQuery: params.maxCostPerQuery } : {}),
    // Balanced and quality targets never trade answers away: without an explicit floor, a
    // candidate must answer at least as well as the pipeline did in step 1 (token F1 and exact match).
    ...(params.minQualityScore !== undefined ? { minQualityScore: params.minQualityScore } : keepsAnswers && originalBenchmark.qualityScore !== undefined ? { minQualityScore: originalBenchmark.qualityScore } : {}),
    ...(keepsAnswers && originalBenchmark.exactMatch !== undefined ? { minExactMatch: originalBenchmark.exactMatch } : {}),
    iterations: 1,
    documents,
    runtime,
    ...(params.confirmCost !== undefined ? { confirmCost: params.confirmCost } : {}),
    // The optimizer's own progress (0-100 over its candidates) is shown inside step 5's share.
    ...(ctx ? { ctx: { ...ctx, progress: (p: { message: string; percent?: number }) => ctx.progress({ message: `5/8 ${p.message}`, ...(p.percent !== undefined ? { percent: Math.round(((4 + p.percent / 100) / 8) * 100) } : {}) }) } } : {}),
  });
  check();

  // 6. Cache.
  step(6, 'Adding a cache');
  const cacheType = params.cache?.type ?? 'memory';
  const finalConfig: PipelineConfig = JSON.parse(JSON.stringify(optimized.config)) as PipelineConfig;
  finalConfig.cache = {
    enabled: true,
    type: cacheType,
    ...(params.cache?.connectionString ? { connection_string: params.cache.connectionString } : {}),
    ttl: 3600,
    max_size_mb: 100,
    similarity_threshold: 0.9,
    namespace: `${finalConfig.name.replace(/[^\w.-]/g, '_')}_cache`,
  };
  if (cacheType === 'file' && !finalConfig.cache.connection_string) finalConfig.cache.connection_string = join(params.outDir ?? '.', 'cache');

  // 7-8. Benchmark the optimized pipeline, same queries and settings, cache on.
  step(7, 'Benchmarking the optimized pipeline');
  const optimizedPipeline = await RagPipeline.fromConfig(finalConfig, { documents }, runtime);
  let optimizedBenchmark: PipelineBenchmarkResult;
  let cacheStats;
  try {
    await optimizedPipeline.pipelineCache?.clear();
    optimizedBenchmark = await bench.run({ ...common, pipelineConfig: finalConfig, pipeline: optimizedPipeline, concurrency: Math.max(concurrency, finalConfig.batch_size) });
    cacheStats = await optimizedPipeline.pipelineCache?.stats();
  } finally {
    await optimizedPipeline.close();
  }
  if (cacheStats && !cacheStats.available) warnings.push(cacheStats.unavailableReason ?? 'The cache was unavailable; the pipeline ran without it.');

  step(8, 'Writing the optimized config and the report');
  const files = outputFiles(outDir, finalConfig.name);
  assertNoOverwrite(files, inputs);
  mkdirSync(outDir, { recursive: true });
  const savedConfig = configForOutput(finalConfig, original.corpus, params.configPath, files.config);
  writeFileAtomicSync(files.config, `${JSON.stringify(savedConfig, null, 2)}\n`);

  const result: OptimizeAllResult = {
    pipelineName: original.name,
    originalBenchmark,
    profile,
    prompts: { systemPrompt, queryPromptTemplate },
    modelRecommendation,
    pipelineOptimization: { changes: optimized.changes, estimatedImprovements: optimized.estimatedImprovements, notes: optimized.notes, candidatesTried: optimized.candidates.length, best: optimized.candidates.find((c) => c.eligible)?.label ?? 'unchanged' },
    cache: {
      type: cacheType,
      ttl: finalConfig.cache.ttl,
      similarityThreshold: finalConfig.cache.similarity_threshold,
      hitRate: round(cacheStats?.hitRate ?? 0, 4),
      falseHitRate: round(cacheStats?.falseHitRate ?? 0, 4),
      available: cacheStats?.available ?? false,
      ...(cacheStats?.unavailableReason ? { note: cacheStats.unavailableReason } : {}),
    },
    optimizedBenchmark,
    improvements: {
      latency: change(originalBenchmark.avgLatency, optimizedBenchmark.avgLatency),
      latencyUncached: change(originalBenchmark.avgLatencyUncached, optimizedBenchmark.avgLatencyUncached),
      quality: originalBenchmark.qualityScore ? round((((optimizedBenchmark.qualityScore ?? 0) - originalBenchmark.qualityScore) / originalBenchmark.qualityScore) * 100, 2) : 0,
      tokenUsage: change(originalBenchmark.avgTokenUsage, optimizedBenchmark.avgTokenUsage),
      cost: change(originalBenchmark.avgCostPerQuery, optimizedBenchmark.avgCostPerQuery),
      throughput: originalBenchmark.throughput ? round(((optimizedBenchmark.throughput - originalBenchmark.throughput) / originalBenchmark.throughput) * 100, 2) : 0,
    },
    optimizedConfig: savedConfig,
    files,
    warnings,
    wallMs: 0,
  };
  result.wallMs = round(performance.now() - started, 1);
  writeFileAtomicSync(files.reportJson, `${JSON.stringify(result, null, 2)}\n`);
  writeFileAtomicSync(files.reportMarkdown, reportMarkdown(result));
  ctx?.progress({ message: 'Done', percent: 100 });
  return result;
}

/** One plain sentence: which generator answered and what the answer scores mean for it. */
export function generatorSentence(b: PipelineBenchmarkResult): string {
  const g = b.generator;
  const scored = b.scoredQueries ?? 0;
  const scores = `exact match ${f(b.exactMatch, 3)} and token F1 ${f(b.answerF1, 3)} over ${scored} answers with a reference (SQuAD rules: lower-cased, punctuation and a/an/the dropped; best of the reference answers)`;
  if (g.model === 'extractive-reader') return `the embedded extractive reader (no language model, no API key): each answer is one sentence copied from the retrieved passages. Its ${scores} measure whether retrieval put the answering sentence in front of it and whether it picked that sentence; they say nothing about a language model's writing.`;
  if (g.model === 'local-bigram') return `the local word-bigram ONNX model (src/engine/providers/tinyLm.ts), which runs with no API key but does not write good answers; its ${scores} are near-meaningless as answer quality.`;
  return `${g.provider}/${g.model}; ${scores}.`;
}

function f(n: number | undefined, digits = 2): string {
  return n === undefined ? 'n/a' : n.toFixed(digits);
}

export function reportMarkdown(r: OptimizeAllResult): string {
  const b = r.originalBenchmark;
  const a = r.optimizedBenchmark;
  const row = (name: string, before: string, after: string, change: string) => `| ${name} | ${before} | ${after} | ${change} |`;
  const lines = [
    `# Optimization report: ${r.pipelineName}`,
    '',
    `Generated by \`pepperpy-opt pipeline optimize-all\`. Every figure is measured on this machine: ${b.queries} test queries × ${b.iterations} iterations, concurrency ${b.concurrency}, before and after alike. Generator: ${a.generator.provider} (${a.generator.model}). Cost basis: ${a.costBasis}. Quality: ${a.qualityMethod}.`,
    '',
    `**Generator**: ${generatorSentence(a)}`,
    '',
    '## Before and after',
    '',
    '| metric | before | after | change |',
    '| --- | ---: | ---: | ---: |',
    row('avg latency (ms)', f(b.avgLatency), f(a.avgLatency), `${f(r.improvements.latency, 1)} % lower`),
    row('avg latency without cache hits (ms)', f(b.avgLatencyUncached), f(a.avgLatencyUncached), `${f(r.improvements.latencyUncached, 1)} % lower`),
    row('p90 latency (ms)', f(b.p90Latency), f(a.p90Latency), ''),
    row('throughput (queries/s)', f(b.throughput, 1), f(a.throughput, 1), `${f(r.improvements.throughput, 1)} %`),
    row('answer exact match', f(b.exactMatch, 3), f(a.exactMatch, 3), ''),
    row('answer token F1', f(b.answerF1, 3), f(a.answerF1, 3), ''),
    row('quality score (/10 = 10 × F1)', f(b.qualityScore), f(a.qualityScore), `${f(r.improvements.quality, 1)} %`),
    row('context recall', f(b.contextRecall, 3), f(a.contextRecall, 3), ''),
    row('retrieval MRR', f(b.retrievalMrr, 3), f(a.retrievalMrr, 3), ''),
    row('avg tokens per query', f(b.avgTokenUsage, 1), f(a.avgTokenUsage, 1), `${f(r.improvements.tokenUsage, 1)} % fewer`),
    row('avg cost per query (USD)', `$${b.avgCostPerQuery.toFixed(6)}`, `$${a.avgCostPerQuery.toFixed(6)}`, `${f(r.improvements.cost, 1)} % lower`),
    row('cache hit rate', '-', `${(a.cacheHitRate * 100).toFixed(1)} %`, ''),
    '',
    '## Steps',
    '',
    `1. **Benchmark**: ${f(b.avgLatency)} ms average, quality ${f(b.qualityScore)}/10, ${f(b.avgTokenUsage, 1)} tokens and $${b.avgCostPerQuery.toFixed(6)} per query.`,
    `2. **Profile**: bottleneck ${r.profile.bottleneck}; ${Object.entries(r.profile.componentStats).map(([n, s]) => `${n} ${f(s.avgTime, 3)} ms (${f(s.percentage, 1)} %)`).join(', ')}.`,
    `3. **Prompts**: system prompt ${r.prompts.systemPrompt.tokensBefore} → ${r.prompts.systemPrompt.tokensAfter} tokens${r.prompts.systemPrompt.note ? ` (${r.prompts.systemPrompt.note})` : ''}; query template ${r.prompts.queryPromptTemplate.tokensBefore} → ${r.prompts.queryPromptTemplate.tokensAfter} tokens${r.prompts.queryPromptTemplate.note ? ` (${r.prompts.queryPromptTemplate.note})` : ''}.`,
    `4. **Model**: ${r.modelRecommendation.applied ? `${r.modelRecommendation.currentModel} → ${r.modelRecommendation.recommendedModel} (${f(r.modelRecommendation.costReductionPercent, 1)} % cheaper, published quality ${f(r.modelRecommendation.qualityImpact, 1)} %)` : `kept ${r.modelRecommendation.currentModel}${r.modelRecommendation.currentModelStatus ? ` (${r.modelRecommendation.currentModelStatus})` : ''}`}. ${r.modelRecommendation.reason}${r.modelRecommendation.evidence ? ` Data: ${r.modelRecommendation.evidence}` : ''}`,
    `5. **Pipeline** (${r.pipelineOptimization.candidatesTried} configurations measured, best: ${r.pipelineOptimization.best}): ${r.pipelineOptimization.changes.length > 0 ? r.pipelineOptimization.changes.join('; ') : 'no change'}.`,
    `6. **Cache**: ${r.cache.type}, TTL ${r.cache.ttl} s, similarity threshold ${r.cache.similarityThreshold}; measured hit rate ${(r.cache.hitRate * 100).toFixed(1)} %, false-hit rate ${(r.cache.falseHitRate * 100).toFixed(1)} %${r.cache.note ? ` (${r.cache.note})` : ''}.`,
    `7. **Benchmark again**: ${f(a.avgLatency)} ms average (${f(a.avgLatencyUncached)} ms without cache hits), quality ${f(a.qualityScore)}/10.`,
    `8. **Saved**: \`${r.files.config}\`.`,
    '',
    '## Prompts',
    '',
    '**System prompt, before:**',
    '',
    '```text',
    r.prompts.systemPrompt.before,
    '```',
    '',
    '**After:**',
    '',
    '```text',
    r.prompts.systemPrompt.after,
    '```',
    '',
    '**Query template, before:**',
    '',
    '```text',
    r.prompts.queryPromptTemplate.before,
    '```',
    '',
    '**After:**',
    '',
    '```text',
    r.prompts.queryPromptTemplate.after,
    '```',
    '',
    '## Notes',
    '',
    '- "after" runs with the cache, so repeated questions in later iterations are cache hits; the uncached row shows the pipeline alone.',
    ...r.pipelineOptimization.notes.map((n) => `- ${n}`),
    ...r.warnings.map((w) => `- Warning: ${w}`),
    '',
  ];
  return lines.join('\n');
}

/** Longest pipeline name kept in the optimized config's file name (file systems take 255 bytes; UTF-8 needs up to 4 a character). */
export const MAX_NAME_IN_FILE = 60;

/**
 * The pipeline's `name` as one file-name segment: path separators, `..`, NUL, control and
 * characters Windows refuses in names become `_`, and it is cut to {@link MAX_NAME_IN_FILE}
 * characters. A name is user data: it must never pick the folder a file is written to.
 */
export function fileSegment(name: string): string {
  let clean = '';
  for (const ch of name) {
    const code = ch.codePointAt(0) ?? 0;
    // Separators, NUL and control characters (C0, DEL, C1), and the characters Windows refuses in a name.
    clean += code < 0x20 || (code >= 0x7f && code <= 0x9f) || '/\\<>:"|?*'.includes(ch) ? '_' : ch;
  }
  clean = clean.replace(/\.{2,}/g, '_');
  const chars = [...clean];
  if (chars.length > MAX_NAME_IN_FILE) clean = chars.slice(0, MAX_NAME_IN_FILE).join('');
  return clean.length > 0 ? clean : 'pipeline';
}

function outputFiles(outDir: string, name: string): { config: string; reportMarkdown: string; reportJson: string } {
  const files = { config: join(outDir, `optimized_${fileSegment(name)}.json`), reportMarkdown: join(outDir, 'optimization-report.md'), reportJson: join(outDir, 'optimization-report.json') };
  for (const file of Object.values(files)) {
    if (dirname(file) !== resolve(outDir)) throw new EngineError('internal', `optimize-all computed an output path outside its output folder: ${file}.`);
  }
  return files;
}

/** The same file, following symbolic links where the file exists. */
function canonical(path: string): string {
  const full = resolve(path);
  try {
    return existsSync(full) ? realpathSync(full) : full;
  } catch {
    return full;
  }
}

function assertNoOverwrite(outputs: Record<string, string>, inputs: string[]): void {
  const read = new Map(inputs.map((p) => [canonical(p), p]));
  for (const out of Object.values(outputs)) {
    const input = read.get(canonical(out));
    if (input !== undefined) throw new EngineError('badRequest', `optimize-all would overwrite its own input ${input} with an output of the same name.`, 'Choose another output folder (--out), or rename the input file or the pipeline (its "name" names the optimized config).');
  }
}

/**
 * The config as written beside the output: paths relative to the written config, like those
 * in the source — the corpus (relative to the source config in `original`) and the
 * cross-encoder's model (absolute in `config`, as the run read it).
 */
export function configForOutput(config: PipelineConfig, originalCorpus: string | undefined, sourceConfigPath: string, outputConfigPath: string): PipelineConfig {
  const besideOutput = (file: string): string => {
    const rel = relative(dirname(outputConfigPath), file);
    return rel === '' || isAbsolute(rel) ? file : rel.split(sep).join('/');
  };
  const saved = JSON.parse(JSON.stringify(config)) as PipelineConfig;
  if (originalCorpus) saved.corpus = besideOutput(resolve(sourceConfigPath, '..', originalCorpus));
  const reranker = saved.components.reranker;
  if (reranker?.type === 'cross_encoder' && reranker.model !== 'lexical-overlap') reranker.model = besideOutput(resolve(reranker.model));
  return saved;
}
