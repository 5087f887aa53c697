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

export interface OptimizationSuggestion {
  kind: SuggestionKind;
  message: string;
  /** Character offsets into the analyzed text, end exclusive; absent when it applies to the whole prompt. */
  range?: { start: number; end: number };
  /** Tokens the change would save (0 when it adds clarity rather than saving tokens). */
  tokensSaved: number;
}

/** The seed's `PromptAnalyzer.analyze` result, in camelCase, plus how it was computed. */
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
  optimizationSuggestions: OptimizationSuggestion[];
  /** Milliseconds the analysis took inside the engine. */
  elapsedMs: number;
}

export const PromptAnalyzeParamsSchema = z
  .object({
    text: z.string().max(MAX_PROMPT_CHARS, `The prompt is longer than ${MAX_PROMPT_CHARS} characters.`),
    model: z.string().min(1).max(200).optional(),
  })
  .strict();
export type PromptAnalyzeParams = z.infer<typeof PromptAnalyzeParamsSchema>;

export const CountTokensParamsSchema = PromptAnalyzeParamsSchema;
export type CountTokensParams = z.infer<typeof CountTokensParamsSchema>;
