import { z } from 'zod';

/** Largest prompt text accepted by `prompt/*` requests (characters). */
export const MAX_PROMPT_CHARS = 2_000_000;

/** How a token count was obtained. */
export type TokenCountMethod = 'exact' | 'estimate';

export interface TokenCount {
  count: number;
  /** The model the count is for, as the caller named it. */
  model: string;
  /** The tokenizer encoding that produced the count (for estimates: the stand-in used). */
  encoding: 'o200k_base' | 'cl100k_base';
  method: TokenCountMethod;
  /** Why the count is an estimate, when it is one. */
  note?: string;
}

export type SuggestionKind =
  | 'filler'
  | 'politeness'
  | 'repetition'
  | 'verbosePhrase'
  | 'missingOutputFormat'
  | 'missingTask'
  | 'undelimitedInput'
  | 'ambiguousWording'
  | 'conflictingInstructions'
  | 'whitespace'
  | 'length';

/**
 * Kinds that are heuristics about the whole prompt rather than findings in its text: wrong on most real prompts judged
 * (`npm run bench:diagnostics`: precision 0.10-0.15 on test/fixtures/prompts/diagnostics-annotations.json; a persona, a
 * chat prompt, a user message or a prompt sent with a JSON schema needs no stated task or output format). The editor
 * does not show them; the Analyze Prompt panel and `prompt analyze` list them apart from the suggestions, as things
 * worth checking, never as defects.
 */
export const HEURISTIC_SUGGESTION_KINDS: ReadonlySet<SuggestionKind> = new Set<SuggestionKind>(['missingTask', 'missingOutputFormat', 'ambiguousWording']);

export interface OptimizationSuggestion {
  kind: SuggestionKind;
  message: string;
  /** Character offsets into the analyzed text, end exclusive; absent when it applies to the whole prompt. */
  range?: { start: number; end: number };
  /** Tokens the change would save (0 when it adds clarity rather than saving tokens). */
  tokensSaved: number;
  /** The text that would replace `range` ('' for a deletion), when the fix is mechanical. */
  replacement?: string;
  /** The whole edit of the fix when it reaches past `range` (the space after a deleted phrase, the capital of the word that now starts the sentence); offsets as in `range`. */
  fix?: { start: number; end: number; replacement: string };
}

/** Measured features the scores are computed from (docs/prompt-scores.md). */
export interface PromptFeatures {
  words: number;
  sentences: number;
  instructions: number;
  conditions: number;
  nestingDepth: number;
  longSentences: number;
  repeatedTrigramShare: number;
  duplicateSentences: number;
  fillerWordShare: number;
  hasTask: boolean;
  hasOutputFormat: boolean;
  hasRole: boolean;
  inputs: number;
  delimitedInputs: number;
  ambiguousWords: number;
}

/** The seed's `PromptAnalyzer.analyze` result (the Python PepperPy `optimization` module's prompt analysis: token count, three 0-10 scores, suggestions), in camelCase, plus how it was computed. */
export interface PromptAnalysis {
  tokenCount: number;
  tokens: TokenCount;
  characterCount: number;
  wordCount: number;
  lineCount: number;
  /** 0-10; see docs/prompt-scores.md. Absent while the analyzer does not compute it. */
  complexityScore?: number;
  redundancyScore?: number;
  clarityScore?: number;
  language?: string;
  /** Share of the language evidence that points to `language` (0-1). */
  languageConfidence?: number;
  features?: PromptFeatures;
  optimizationSuggestions: OptimizationSuggestion[];
  /** Milliseconds the analysis took inside the engine. */
  elapsedMs: number;
}

export const PromptAnalyzeParamsSchema = z
  .object({
    text: z.string().max(MAX_PROMPT_CHARS, `The prompt is longer than ${MAX_PROMPT_CHARS} characters.`),
    model: z.string().min(1).max(200).optional(),
    /**
     * How the call that sends the prompt gives the model an output schema ("`schema` of generator.generateObject"), when
     * it does (src/shared/prompt/scanner/structuredOutput.ts): the output format is stated, by the schema.
     */
    outputSchema: z.string().min(1).max(300).optional(),
  })
  .strict();
export type PromptAnalyzeParams = z.infer<typeof PromptAnalyzeParamsSchema>;

export const CountTokensParamsSchema = PromptAnalyzeParamsSchema;
export type CountTokensParams = z.infer<typeof CountTokensParamsSchema>;

export type CompressionLevel = 'light' | 'medium' | 'aggressive';
export const COMPRESSION_LEVELS = ['light', 'medium', 'aggressive'] as const;

/** What a removal took out; `markdown` is decoration (bold/italic markers, a rule line), `whitespace` blank space and stray punctuation. */
export type RemovalKind = 'politeness' | 'filler' | 'verbosePhrase' | 'repetition' | 'whitespace' | 'markdown';

export interface Removal {
  kind: RemovalKind;
  /** The original text that was removed or replaced. */
  text: string;
  /** What replaced it ('' for a deletion). */
  replacement: string;
  /** Offsets into the original text, end exclusive (0/0 for the whitespace summary). */
  start: number;
  end: number;
  /** The compressor rule that made the edit ("article", "verbose", …; see STAGES in compressor.ts). */
  rule?: string;
}

/** Removals grouped for the report: which rule removed what, how many times. */
export interface RemovalSummary {
  rule: string;
  /** Why the rule removes it, in plain words (src/engine/prompt/compressReasons.ts). */
  reason: string;
  /** The removed text as the prompt had it at its first occurrence ("text → replacement" for a rewrite); grouped case-insensitively. */
  text: string;
  count: number;
}

/** Set when compression ran with a target ratio. */
export interface CompressionTarget {
  /** Token reduction asked for (0-1). */
  ratio: number;
  reached: boolean;
  /** The rule stages applied, in order. */
  stages: string[];
  /** In words: reached after which stage, or why not. */
  message: string;
}

export interface RetentionReport {
  total: number;
  kept: number;
  missing: string[];
  /** kept / total (1 when there was nothing to protect). */
  ratio: number;
}

/** The seed's `PromptCompressor.compress` result (the Python module returns the shortened prompt). */
export interface CompressionResult {
  text: string;
  level: CompressionLevel;
  language: string;
  tokensBefore: number;
  tokensAfter: number;
  tokensSaved: number;
  /** 100 * saved / before (0 for empty input). */
  reductionPercent: number;
  charactersBefore: number;
  charactersAfter: number;
  removed: Removal[];
  /** `removed` grouped by rule and text. */
  removedSummary?: RemovalSummary[];
  /** Only with a target ratio. */
  target?: CompressionTarget;
  /** Protected items (placeholders, code, numbers, constraints, ...) found in the input and how many survived. */
  retention: RetentionReport;
  tokens: TokenCount;
  /** Set when a step was undone because it would have lost a protected item. */
  warnings: string[];
  elapsedMs: number;
}

export interface DroppedUnit {
  text: string;
  start: number;
  end: number;
  tokens: number;
  /**
   * Why it went: 'budget' (lower score than what was kept), 'duplicate', or 'example' (a further example of a group whose
   * first example stays: further examples go whole, and before any instruction).
   */
  reason: 'budget' | 'duplicate' | 'example';
  score: number;
}

/** The seed's `PromptDistiller.distill` result (the Python module returns the prompt's essence in fewer tokens). */
export interface DistillationResult {
  text: string;
  language: string;
  maxTokens: number;
  tokensBefore: number;
  tokensAfter: number;
  reductionPercent: number;
  /** False when what is always kept (the main instruction, the role sentence, the input, the sentences with protected items) exceeds the budget; `tokensAfter` is the figure reached. */
  fitsBudget: boolean;
  keptUnits: number;
  dropped: DroppedUnit[];
  retention: RetentionReport;
  tokens: TokenCount;
  elapsedMs: number;
}

export type OptimizationTarget = 'quality' | 'efficiency' | 'balanced';
export const OPTIMIZATION_TARGETS = ['quality', 'efficiency', 'balanced'] as const;

export type PromptSectionName = 'role' | 'task' | 'context' | 'constraints' | 'outputFormat' | 'examples' | 'input';

/** What an LLM-assisted rewrite is expected to cost, computed before any paid call. */
export interface CostForecast {
  provider: string;
  model: string;
  inputTokens: number;
  /** The output cap sent with the request: the most the call can bill. */
  maxOutputTokens: number;
  /** How the input was counted (exact for OpenAI models, an estimate otherwise). */
  tokenMethod: TokenCountMethod;
  /** USD; absent when no price is known for the model. */
  inputCostUsd?: number;
  maxOutputCostUsd?: number;
  maxTotalCostUsd?: number;
  priced: boolean;
  /** Where the price came from, or why there is none. */
  priceNote: string;
}

/** The seed's `PromptOptimizer.optimize` result (the Python module returns the rewritten prompt). */
export interface OptimizedPrompt {
  text: string;
  target: OptimizationTarget;
  mode: 'local' | 'llm';
  language: string;
  tokensBefore: number;
  tokensAfter: number;
  reductionPercent: number;
  maxTokens?: number;
  fitsBudget: boolean;
  /** The parts the prompt was split into, in output order. */
  sections: Array<{ name: PromptSectionName; text: string }>;
  /** What was changed, in words. */
  changes: string[];
  retention: RetentionReport;
  tokens: TokenCount;
  /** Set when the target found no change it could make safely: why, in words (the text is then the input as given). */
  declined?: string;
  /** LLM mode: the forecast shown before the call, and what happened. */
  llm?: {
    forecast: CostForecast;
    status: 'accepted' | 'rejected' | 'needsApproval' | 'failed';
    /** Why a rewrite was not kept. */
    reason?: string;
    usage?: { inputTokens: number; outputTokens: number };
    /** The model call's time, request to parsed answer, in ms (measured; absent when no call was made). */
    latencyMs?: number;
  };
  elapsedMs: number;
}

const promptText = z.string().max(MAX_PROMPT_CHARS, `The prompt is longer than ${MAX_PROMPT_CHARS} characters.`);
const modelField = z.string().min(1).max(200).optional();
const maxTokensField = z.number().int().min(1).max(1_000_000).optional();

/**
 * The literal's own interpolations as written (`LiteralQuoting.interpolations`: `{name}`, `${x}`), which the rewrite keeps
 * whole as atoms even where the generic scan of the text cannot read them (a Python 3.12 field spanning lines, PEP 701).
 */
const interpolationsField = z.array(z.string().min(1).max(20_000)).max(2_000).optional();

export const PromptCompressParamsSchema = z
  .object({
    text: promptText,
    interpolations: interpolationsField,
    model: modelField,
    level: z.enum(COMPRESSION_LEVELS).optional(),
    language: z.string().min(2).max(3).optional(),
    /** Token reduction to reach (0-1); rule stages are applied one at a time until it is reached or none is left. Overrides `level`. */
    targetRatio: z.number().gt(0).lt(1).optional(),
  })
  .strict();
export type PromptCompressParams = z.infer<typeof PromptCompressParamsSchema>;

export const PromptDistillParamsSchema = z
  .object({ text: promptText, interpolations: interpolationsField, model: modelField, maxTokens: maxTokensField, language: z.string().min(2).max(3).optional() })
  .strict();
export type PromptDistillParams = z.infer<typeof PromptDistillParamsSchema>;

/** True for an http(s) URL on this machine: localhost, 127.0.0.1 or [::1]. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname.toLowerCase());
  } catch {
    return false;
  }
}

export const LlmProviderConfigSchema = z
  .object({
    /**
     * `vscode`: the editor's own model (`model` is its id or vendor/family), no key and no price.
     * `local`: a model of an OpenAI-compatible server on this machine (`model` is its local
     * name, `ollama:llama3.2`), no key, $0; `baseUrl`, when given, must be on localhost.
     */
    provider: z.enum(['openai', 'anthropic', 'vscode', 'local']),
    model: z.string().min(1).max(200),
    /** e.g. https://api.openai.com/v1 or a local OpenAI-compatible server. */
    baseUrl: z.string().url().max(500).optional(),
    /** Required for openai and anthropic; none for vscode (VS Code asks the user's consent itself). */
    apiKey: z.string().min(1).max(500).optional(),
    /** The largest forecast cost (USD) the user approved; without it the engine only returns the forecast. */
    approvedCostUsd: z.number().min(0).max(1000).optional(),
    timeoutMs: z.number().int().min(1000).max(600_000).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.provider === 'local') {
      if (config.apiKey !== undefined) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'a local server model (provider local) takes no API key' });
      if (config.baseUrl !== undefined && !isLoopbackUrl(config.baseUrl)) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: `a local server model's base URL must be on this machine (http://localhost, 127.0.0.1 or [::1]), got ${config.baseUrl}` });
      if (!/^[a-z][a-z-]*[:@]/i.test(config.model)) ctx.addIssue({ code: 'custom', path: ['model'], message: `provider local takes a local model name such as ollama:llama3.2, lmstudio:MODEL, llamacpp:MODEL or vllm:MODEL, got "${config.model}"` });
    } else if (config.provider === 'vscode') {
      if (config.apiKey !== undefined) ctx.addIssue({ code: 'custom', path: ['apiKey'], message: 'the editor\'s models (provider vscode) take no API key' });
      if (config.baseUrl !== undefined) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'the editor\'s models (provider vscode) take no base URL' });
    } else if (config.apiKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['apiKey'], message: `provider ${config.provider} needs an API key (or use provider vscode, the editor's models, with none)` });
    }
  });
export type LlmProviderConfig = z.infer<typeof LlmProviderConfigSchema>;

export const PromptOptimizeParamsSchema = z
  .object({
    text: promptText,
    interpolations: interpolationsField,
    model: modelField,
    target: z.enum(OPTIMIZATION_TARGETS).optional(),
    maxTokens: maxTokensField,
    language: z.string().min(2).max(3).optional(),
    llm: LlmProviderConfigSchema.optional(),
  })
  .strict();
export type PromptOptimizeParams = z.infer<typeof PromptOptimizeParamsSchema>;
