/**
 * RagPipeline: retriever (Orama BM25 or vector) → optional reranker → LLM generator, with an
 * optional PipelineCache in front. Each query reports what each component took (time and
 * heap growth), the passages used, the tokens and the cost.
 */
import { EngineError } from '../../protocol/errors';
import { EDITOR_LM_COST_LABEL, EDITOR_LM_PREFIX } from '../../protocol/editorLm';
import { createProvider, type LlmProvider } from '../providers';
import { CorpusIndex, loadCorpus, type CorpusDocument, type RetrievedPassage } from './corpus';
import { countTokens, priceUsage } from './costing';
import type { PipelineConfig } from '../../shared/pipelineConfig';
import { PipelineCache } from './cache';
import { createReranker, type Reranker } from './reranker';
import type { PipelineComponent } from '../../protocol/pipeline';

export type ComponentName = PipelineComponent;

export interface ComponentTiming {
  ms: number;
  /** Growth of the V8 heap during the component, in MB (can be negative after a GC). */
  heapDeltaMb: number;
}

export interface PipelineAnswer {
  query: string;
  answer: string;
  passages: RetrievedPassage[];
  cacheHit?: { match: 'exact' | 'semantic'; similarity: number; matchedQuery: string; tag?: string };
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  totalMs: number;
  timeToFirstTokenMs: number;
  components: Partial<Record<ComponentName, ComponentTiming>>;
}

interface CachedAnswer {
  answer: string;
  passages: RetrievedPassage[];
}

export interface PipelineRuntime {
  /** API key for the generator (the engine never reads settings or secrets itself). */
  apiKey?: string;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** A provider to use instead of the configured one (tests, benchmarks of a given model). */
  provider?: LlmProvider;
  /** A cache to use instead of the configured one (shared across pipelines). */
  cache?: PipelineCache<CachedAnswer> | null;
}

export function fillTemplate(template: string, values: { query: string; context: string }): string {
  return template.replace(/\{(query|context)\}/g, (_m, key: 'query' | 'context') => values[key]);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; timing: ComponentTiming }> {
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const value = await fn();
  return { value, timing: { ms: performance.now() - t0, heapDeltaMb: (process.memoryUsage().heapUsed - heap0) / (1024 * 1024) } };
}

export class RagPipeline {
  readonly costBasis: string;
  private cache: PipelineCache<CachedAnswer> | undefined;

  private constructor(
    readonly config: PipelineConfig,
    private readonly index: CorpusIndex,
    readonly provider: LlmProvider,
    private readonly reranker: Reranker | undefined,
    readonly documents: CorpusDocument[],
    private readonly pricedModel: string,
    private readonly priced: boolean,
  ) {
    const gen = config.components.generator;
    const localName = provider.model === 'local-bigram' ? 'the local word-bigram ONNX model' : 'the embedded extractive reader';
    this.costBasis = gen.provider === 'vscode'
      ? `${EDITOR_LM_COST_LABEL}: answers from the editor's model ${EDITOR_LM_PREFIX}${gen.model}, tokens from its countTokens; no per-token price`
      : gen.provider === 'local'
      ? priced
        ? `projected: answers from ${localName}; tokens counted for ${gen.model} (exact for OpenAI models, an o200k_base estimate for others) and priced at its published rates`
        : `free: answers from ${localName} (no price known for the model name)`
      : priced
        ? `measured: provider-reported tokens priced at ${gen.model}'s published rates`
        : `unpriced: ${gen.model} has no known price`;
  }

  /** Builds a pipeline: loads the corpus (documents given, or the config's corpus path), indexes it, opens the cache. */
  static async fromConfig(config: PipelineConfig, source: { documents?: CorpusDocument[]; corpusPath?: string }, runtime: PipelineRuntime = {}): Promise<RagPipeline> {
    let documents = source.documents;
    if (!documents) {
      if (!source.corpusPath) throw new EngineError('badRequest', `Pipeline ${config.name} has no corpus.`, 'Set `corpus` in the pipeline config to a JSONL file of {"id","text"} documents.');
      const loaded = loadCorpus(source.corpusPath);
      for (const p of loaded.problems) runtime.log?.('warn', p);
      documents = loaded.documents;
    }
    const index = await CorpusIndex.build(documents);
    const gen = config.components.generator;
    const provider = runtime.provider ?? createProvider({
      provider: gen.provider,
      model: gen.model,
      ...(gen.base_url ? { baseUrl: gen.base_url } : {}),
      ...(runtime.apiKey ? { apiKey: runtime.apiKey } : {}),
      timeoutMs: gen.timeout_ms,
      localCorpus: documents.map((d) => d.text).join('\n'),
    });
    const rerankerConfig = config.components.reranker;
    const reranker = rerankerConfig && rerankerConfig.enabled ? createReranker(rerankerConfig.model) : undefined;
    // An editor model is never priced, even when its name matches a published one: the plan pays.
    const priced = gen.provider !== 'vscode' && (await priceUsage(gen.model, 1, 1)) !== undefined;
    const pipeline = new RagPipeline(config, index, provider, reranker, documents, gen.model, priced);
    if (runtime.cache !== undefined) pipeline.cache = runtime.cache ?? undefined;
    else if (config.cache?.enabled) pipeline.addCache(cacheFromConfig(config, runtime.log));
    return pipeline;
  }

  /** The seed's `add_cache` (the Python module's call that attaches a PipelineCache to an optimized pipeline). */
  addCache(cache: PipelineCache<CachedAnswer>): void {
    this.cache = cache;
  }

  get pipelineCache(): PipelineCache<CachedAnswer> | undefined {
    return this.cache;
  }

  get rerankerName(): string | undefined {
    return this.reranker?.name;
  }

  buildMessages(query: string, passages: RetrievedPassage[]): { role: 'system' | 'user'; content: string }[] {
    const gen = this.config.components.generator;
    const context = passages.map((p, i) => `[${i + 1}] ${p.text}`).join('\n');
    return [
      { role: 'system', content: gen.system_prompt },
      { role: 'user', content: fillTemplate(gen.query_prompt_template, { query, context }) },
    ];
  }

  async retrieve(query: string): Promise<{ passages: RetrievedPassage[]; components: Partial<Record<ComponentName, ComponentTiming>> }> {
    const { retriever, reranker } = this.config.components;
    const components: Partial<Record<ComponentName, ComponentTiming>> = {};
    const r = await timed(() => this.index.retrieve(query, retriever.type, retriever.top_k));
    components.retriever = r.timing;
    let passages = r.value;
    if (this.reranker) {
      const rr = await timed(async () => {
        const scores = await this.reranker!.score(query, passages);
        return passages.map((p, i) => ({ ...p, score: scores[i] })).sort((a, b) => b.score - a.score).slice(0, reranker?.top_n ?? passages.length);
      });
      components.reranker = rr.timing;
      passages = rr.value;
    }
    return { passages, components };
  }

  /** Answers one question. `tag` identifies the question for cache false-hit measurement. */
  async query(query: string, options: { tag?: string; signal?: AbortSignal; useCache?: boolean } = {}): Promise<PipelineAnswer> {
    const t0 = performance.now();
    const components: Partial<Record<ComponentName, ComponentTiming>> = {};
    const cache = options.useCache === false ? undefined : this.cache;
    if (cache) {
      const c = await timed(() => cache.get(query));
      components.cache = c.timing;
      if (c.value) {
        if (options.tag !== undefined && c.value.tag !== undefined && c.value.match === 'semantic') cache.recordHitOutcome(c.value.tag === options.tag);
        const totalMs = performance.now() - t0;
        return {
          query,
          answer: c.value.value.answer,
          passages: c.value.value.passages,
          cacheHit: { match: c.value.match, similarity: c.value.similarity, matchedQuery: c.value.matchedQuery, ...(c.value.tag !== undefined ? { tag: c.value.tag } : {}) },
          inputTokens: 0,
          outputTokens: 0,
          costUsd: 0,
          totalMs,
          timeToFirstTokenMs: totalMs,
          components,
        };
      }
    }
    const retrieved = await this.retrieve(query);
    Object.assign(components, retrieved.components);
    const gen = this.config.components.generator;
    const messages = this.buildMessages(query, retrieved.passages);
    const generatorStart = performance.now() - t0;
    const context = { question: query, passages: retrieved.passages.map((p) => ({ id: p.id, text: p.text, ...(p.title !== undefined ? { title: p.title } : {}) })) };
    const g = await timed(() => this.provider.stream({ messages, context, maxTokens: gen.max_tokens, temperature: gen.temperature, ...(options.signal ? { signal: options.signal } : {}) }));
    components.generator = g.timing;
    const result = g.value;
    let inputTokens = result.usage.inputTokens;
    let outputTokens = result.usage.outputTokens;
    if (this.provider.kind === 'local' || result.usage.source === 'counted') {
      // Count what a hosted model of this name would bill for the same prompt and answer.
      inputTokens = messages.reduce((n, m) => n + countTokens(m.content, this.pricedModel), 0);
      outputTokens = countTokens(result.text, this.pricedModel);
    }
    const costUsd = this.priced ? ((await priceUsage(this.pricedModel, inputTokens, outputTokens, result.usage.cachedInputTokens)) ?? 0) : 0;
    const answer: PipelineAnswer = {
      query,
      answer: result.text,
      passages: retrieved.passages,
      inputTokens,
      outputTokens,
      costUsd,
      totalMs: 0,
      timeToFirstTokenMs: 0,
      components,
    };
    if (cache) await cache.set(query, { answer: result.text, passages: retrieved.passages }, options.tag);
    answer.totalMs = performance.now() - t0;
    answer.timeToFirstTokenMs = generatorStart + result.timing.timeToFirstTokenMs;
    return answer;
  }

  async close(): Promise<void> {
    await this.cache?.close();
  }
}

export function cacheFromConfig(config: PipelineConfig, log?: (level: 'info' | 'warn', message: string) => void): PipelineCache<CachedAnswer> {
  const c = config.cache;
  if (!c) throw new EngineError('badRequest', `Pipeline ${config.name} has no cache section.`);
  return new PipelineCache<CachedAnswer>({
    cacheType: c.type,
    ...(c.connection_string ? { connectionString: c.connection_string } : {}),
    ttl: c.ttl,
    maxSizeMb: c.max_size_mb,
    similarityThreshold: c.similarity_threshold,
    namespace: c.namespace,
    ...(log ? { log } : {}),
  });
}
