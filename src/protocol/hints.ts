/**
 * What the editor shows for the prompts in one document: code lenses, hovers, diagnostics
 * and the status bar all come from one `editor/promptHints` answer per document version.
 */
import { z } from 'zod';
import type { PriceSource } from './cost';
import type { OptimizationSuggestion, TokenCount } from './prompt';
import type { PromptLocation, TextRange } from './scan';

/** The input cost of sending a prompt once to a model. */
export interface CallCost {
  model: string;
  tokens: TokenCount;
  /** USD for the prompt's input tokens, or undefined with `error` when there is no price. */
  inputCostUsd?: number;
  inputPerMTok?: number;
  outputPerMTok?: number;
  source?: PriceSource;
  /** "No price for X; closest known: …". */
  error?: string;
}

export interface ContextWindowShare {
  contextWindow: number;
  /** tokens / contextWindow, 0-1. */
  share: number;
  source: string;
}

/** A suggestion placed in the document: its range is in document offsets. */
export interface PlacedSuggestion extends OptimizationSuggestion {
  documentRange?: TextRange;
}

export interface PromptHint {
  /** Stable within one answer: the index into `prompts`. */
  index: number;
  location: PromptLocation;
  /** The model named in the same call, else the default model. */
  model: string;
  modelSource: 'call' | 'default';
  cost: CallCost;
  compare: CallCost[];
  contextWindow?: ContextWindowShare;
  /** cost.inputCostUsd × callsPerDay × 30, when there is a price. */
  monthlyCostUsd?: number;
  suggestions: PlacedSuggestion[];
}

/** What a hover on a model-name literal shows. */
export interface ModelHint {
  name: string;
  range: TextRange;
  price?: { inputPerMTok: number; outputPerMTok: number; cachedInputPerMTok?: number; source: PriceSource };
  priceError?: string;
  contextWindow?: { tokens: number; source: string };
  /** Cheaper models of similar quality, from the cost catalog, when one is known. */
  cheaperAlternatives: Array<{ model: string; inputPerMTok: number; outputPerMTok: number; qualityNote: string }>;
}

export interface PromptHintsResult {
  prompts: PromptHint[];
  models: ModelHint[];
  /** Set when the document was not scanned, with the reason. */
  skipped?: string;
  elapsedMs: number;
  /** How many prompts were answered from the engine's cache (unchanged since the last version). */
  cachedPrompts: number;
}

export const MAX_HINT_DOCUMENT_CHARS = 2_000_000;

export const PromptHintsParamsSchema = z
  .object({
    text: z.string().max(MAX_HINT_DOCUMENT_CHARS, `The document is longer than ${MAX_HINT_DOCUMENT_CHARS} characters.`),
    languageId: z.string().min(1).max(100),
    fileName: z.string().max(4096).optional(),
    defaultModel: z.string().trim().min(1).max(200),
    compareModels: z.array(z.string().trim().min(1).max(200)).max(20).default([]),
    callsPerDay: z.number().finite().min(0).max(1e9).default(1000),
    /** Skip the analyzer (diagnostics) when the caller only needs counts. */
    withSuggestions: z.boolean().default(true),
  })
  .strict();
export type PromptHintsParams = z.input<typeof PromptHintsParamsSchema>;
