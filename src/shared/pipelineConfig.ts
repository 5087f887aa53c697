/**
 * The pipeline config file (JSON), validated with zod. Keys follow the seed's snake_case
 * config (the pipeline_config dicts of the Python PepperPy `optimization` module: `top_k`,
 * `system_prompt`); errors name the field path, e.g.
 * `components.retriever.top_k: Too small: expected number to be >=1`.
 *
 * ```json
 * { "name": "rag_pipeline", "corpus": "corpus.jsonl",
 *   "components": {
 *     "retriever": { "type": "bm25", "top_k": 5 },
 *     "reranker": { "type": "cross_encoder", "model": "models/cross_encoder.onnx", "top_n": 3 },
 *     "generator": { "type": "llm", "provider": "local", "model": "gpt-4o",
 *                    "system_prompt": "...", "query_prompt_template": "{context}\n{query}" } },
 *   "cache": { "enabled": true, "type": "memory", "ttl": 3600 } }
 * ```
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { EngineError, errorMessage } from '../protocol/errors';
import { readTextFile } from './textFile';

export const RetrieverConfigSchema = z
  .object({
    type: z.enum(['bm25', 'vector_db']),
    top_k: z.number().int().min(1).max(100).default(5),
    /** An embedding model name, recorded only: the embedded hashing embedder is used. */
    model: z.string().optional(),
  })
  .strict();

export const RerankerConfigSchema = z
  .object({
    /** `cross_encoder`: an ONNX model (`model` is its path); `lexical`: the model-free word-overlap scorer. */
    type: z.enum(['cross_encoder', 'lexical']),
    /**
     * Path of the ONNX cross-encoder, relative to the config file (readPipelineConfig makes
     * it absolute), e.g. `models/cross_encoder.onnx`. `lexical-overlap` is the older
     * spelling of `type: "lexical"`.
     */
    model: z.string().min(1).optional(),
    /** Passages kept after reranking (default: all retrieved). */
    top_n: z.number().int().min(1).max(100).optional(),
    enabled: z.boolean().default(true),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.type === 'cross_encoder' && !r.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'a cross_encoder needs the path of its ONNX model (or use type "lexical")' });
    if (r.type === 'lexical' && r.model !== undefined && r.model !== 'lexical-overlap') ctx.addIssue({ code: 'custom', path: ['model'], message: 'the lexical reranker takes no model (use type "cross_encoder" for an ONNX model)' });
  })
  // What the runner reads: the lexical scorer travels as model `lexical-overlap`.
  .transform((r) => ({ ...r, model: r.type === 'lexical' ? 'lexical-overlap' : (r.model ?? '') }));

export const DEFAULT_SYSTEM_PROMPT = 'Answer the question using only the context.';
export const DEFAULT_QUERY_TEMPLATE = 'Context:\n{context}\n\nQuestion: {query}\nAnswer:';

export const GeneratorConfigSchema = z
  .object({
    type: z.literal('llm'),
    /**
     * `local` runs the embedded extractive reader (or, with model `local-bigram`, the word-bigram
     * ONNX model); costs are then projected at `model`'s prices when it has one.
     * `vscode` asks the editor's own model `model` (an id or vendor/family, as `vscode.lm` lists
     * it) through the extension host: no key, no per-token price ("included in your plan").
     */
    provider: z.enum(['local', 'openai', 'anthropic', 'vscode']).default('local'),
    model: z.string().min(1).default('extractive-reader'),
    base_url: z.url().optional(),
    /** Environment variable holding the API key (CLI only; the engine takes keys as parameters). */
    api_key_env: z.string().optional(),
    max_tokens: z.number().int().min(1).max(32_768).default(48),
    temperature: z.number().min(0).max(2).default(0),
    timeout_ms: z.number().int().min(100).max(600_000).default(60_000),
    system_prompt: z.string().default(DEFAULT_SYSTEM_PROMPT),
    query_prompt_template: z
      .string()
      .default(DEFAULT_QUERY_TEMPLATE)
      .refine((t) => t.includes('{query}'), { message: 'must contain {query}' }),
  })
  .strict();

export const CacheConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    type: z.enum(['memory', 'file', 'redis']).default('memory'),
    /** redis://… for Redis, a folder for the file cache. */
    connection_string: z.string().optional(),
    ttl: z.number().int().min(1).max(31_536_000).default(3600),
    max_size_mb: z.number().positive().max(1_000_000).default(100),
    /** Cosine similarity at or above which a different question counts as the same (1 = exact only). */
    similarity_threshold: z.number().min(0).max(1).default(0.9),
    namespace: z.string().regex(/^[\w.-]+$/).default('rag_cache'),
  })
  .strict();

export const PipelineConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    /** Documents: JSONL/JSON/text, relative to the config file. */
    corpus: z.string().min(1).optional(),
    components: z
      .object({
        retriever: RetrieverConfigSchema,
        reranker: RerankerConfigSchema.optional(),
        generator: GeneratorConfigSchema,
      })
      .strict(),
    cache: CacheConfigSchema.optional(),
    /** Queries answered concurrently by the runner's batch mode (1 = one at a time). */
    batch_size: z.number().int().min(1).max(256).default(1),
  })
  .strict();

export type PipelineConfig = z.infer<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;
export type CacheConfig = z.infer<typeof CacheConfigSchema>;

export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 4)
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.') || 'config'}: ${issue.message}`)
    .join('; ');
}

export function parsePipelineConfig(raw: unknown, source = 'pipeline config'): PipelineConfig {
  const result = PipelineConfigSchema.safeParse(raw);
  if (!result.success) throw new EngineError('badRequest', `Invalid ${source}: ${formatIssues(result.error)}.`, 'See docs/benchmarks.md for the pipeline config format.');
  return result.data;
}

/** Reads and validates a config file; `corpus` is resolved against the file's folder. */
function looksLikeJsonl(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length < 2) return false;
  return lines.slice(0, 5).every((l) => {
    try {
      JSON.parse(l);
      return true;
    } catch {
      return false;
    }
  });
}

export function readPipelineConfig(path: string): { config: PipelineConfig; corpusPath?: string } {
  const text = readTextFile(path, 'pipeline config', 'a JSON pipeline config', (error) => {
    throw new EngineError('notFound', `Cannot read the pipeline config ${path}${error.code ? ` (${error.code})` : ''}.`, 'Check the path.');
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // JSONL questions or documents given where the config goes: say so, instead of a JSON syntax error.
    if (looksLikeJsonl(text)) throw new EngineError('badRequest', `${path} is not a pipeline config: it holds one JSON record per line (JSONL), like a dataset or a corpus.`, 'Give the pipeline config (a JSON object with "name" and "components") as the argument; pass questions with --dataset or --queries.');
    throw new EngineError('badRequest', `The pipeline config ${path} is not valid JSON: ${errorMessage(error)}.`, 'See docs/benchmarks.md for the pipeline config format.');
  }
  const config = parsePipelineConfig(raw, path);
  const reranker = config.components.reranker;
  // The cross-encoder's model path is relative to the config file, like the corpus.
  if (reranker && reranker.type === 'cross_encoder' && reranker.model !== 'lexical-overlap' && !isAbsolute(reranker.model)) reranker.model = resolve(dirname(path), reranker.model);
  return { config, ...(config.corpus ? { corpusPath: isAbsolute(config.corpus) ? config.corpus : resolve(dirname(path), config.corpus) } : {}) };
}
