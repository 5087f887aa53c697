/**
 * JSON-RPC handlers for `prompt/compress`, `prompt/distill` and `prompt/optimize`,
 * registered on the dispatcher by src/engine/handlers.ts. The dispatcher validates the
 * parameters with the zod schemas in src/protocol/prompt.ts; the API key of an LLM-assisted
 * optimization is used for that one request and never logged or returned. The
 * `...KeepingAtoms` functions are what the handlers and the CLI (`pepperpy-opt prompt`) share.
 */
import { PromptCompressRequest, PromptDistillRequest, PromptOptimizeRequest } from '../../protocol/engine';
import { EngineError } from '../../protocol/errors';
import {
  type CompressionLevel,
  type OptimizationTarget,
  PromptCompressParamsSchema,
  PromptDistillParamsSchema,
  PromptOptimizeParamsSchema,
  type CompressionResult,
  type DistillationResult,
  type OptimizedPrompt,
} from '../../protocol/prompt';
import type { HandlerContext } from '../context';
import type { Dispatcher } from '../rpc';
import { PromptCompressor, summarizeRemovals } from './compressor';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import { PromptDistiller } from './distiller';
import { createRewriter } from './llm';
import { PromptOptimizer } from './optimizer';
import { assertAtomsKept, rewriteKeepingAtoms, unmaskFragment, unmaskOffset } from '../../shared/prompt/rewriteGuard';
import type { MaskedText } from '../../shared/prompt/scanner/atoms';
import { sharedTokenizer } from '../../shared/prompt/tokenizer';

const PROMPT_PARAMS_HINT = 'Check the request against src/protocol/prompt.ts.';

const round2 = (n: number): number => Math.round(n * 100) / 100;

/**
 * Token figures of a rewrite done on masked text, counted again on the real texts (the
 * sentinels are not what the model will read).
 */
function recount(original: string, text: string, model: string): { tokensBefore: number; tokensAfter: number; reductionPercent: number; tokens: ReturnType<ReturnType<typeof sharedTokenizer>['count']> } {
  const tokenizer = sharedTokenizer();
  const before = tokenizer.count(original, model).count;
  const tokens = tokenizer.count(text, model);
  return { tokensBefore: before, tokensAfter: tokens.count, reductionPercent: before === 0 ? 0 : round2((100 * (before - tokens.count)) / before), tokens };
}

function unmaskRetention(retention: { missing: string[] }, mask: MaskedText): void {
  retention.missing = retention.missing.map((m) => unmaskFragment(m, mask));
}

function checkCancelled(ctx: HandlerContext, method: string): void {
  if (ctx.token.isCancellationRequested) throw new EngineError('cancelled', `${method} was cancelled.`);
}

/** Options of the three local rewrites, as the request and the CLI give them. */
/** `interpolations`: the literal's own interpolations as written, kept whole as atoms (`PromptCompressParams.interpolations`). */
export interface CompressOptions { model: string; level?: CompressionLevel; language?: string; targetRatio?: number; interpolations?: readonly string[] }
export interface DistillOptions { model: string; maxTokens?: number; language?: string; interpolations?: readonly string[] }
export interface LocalOptimizeOptions { model: string; target?: OptimizationTarget; maxTokens?: number; language?: string; interpolations?: readonly string[] }

const compressor = new PromptCompressor();
const distiller = new PromptDistiller();
const optimizer = new PromptOptimizer();

/**
 * Compress with interpolations, placeholders, template tags and code spans masked while the
 * rewriter works (rewriteGuard.ts), then figures counted again on the real text. The
 * request handler and `pepperpy-opt prompt compress` both call this.
 */
export function compressKeepingAtoms(text: string, options: CompressOptions): CompressionResult {
  const { model } = options;
  return rewriteKeepingAtoms(
    'Compressing',
    text,
    (masked, unmask) =>
      compressor.compress(masked, {
        model,
        ...(options.level ? { level: options.level } : {}),
        ...(options.language ? { language: options.language } : {}),
        // A target is measured on the real text, so that "reached" and the figure in its message are those of the result.
        ...(options.targetRatio ? { targetRatio: options.targetRatio, measure: (candidate: string) => sharedTokenizer().count(unmask(candidate), model).count } : {}),
      }),
    (result, mask) => {
      const counts = recount(text, result.text, model);
      Object.assign(result, counts, { tokensSaved: counts.tokensBefore - counts.tokensAfter, charactersBefore: text.length, charactersAfter: result.text.length });
      result.reductionPercent = counts.tokensBefore === 0 ? 0 : Math.round((10000 * (counts.tokensBefore - counts.tokensAfter)) / counts.tokensBefore) / 100;
      result.removed = result.removed.map((r) =>
        r.start === 0 && r.end === 0 ? r : { ...r, text: unmaskFragment(r.text, mask), replacement: unmaskFragment(r.replacement, mask), start: unmaskOffset(r.start, mask), end: unmaskOffset(r.end, mask) },
      );
      if (result.removedSummary) result.removedSummary = summarizeRemovals(result.removed);
      unmaskRetention(result.retention, mask);
    },
    options.interpolations,
  );
}

/** Distill with the atoms masked (see compressKeepingAtoms); the budget is for the real text. */
export function distillKeepingAtoms(text: string, options: DistillOptions): DistillationResult {
  const { model } = options;
  return rewriteKeepingAtoms(
    'Distilling',
    text,
    (masked) => {
      // The budget is for the real text: take off what the atoms weigh more than their sentinels.
      const extra = sharedTokenizer().count(text, model).count - sharedTokenizer().count(masked, model).count;
      const maxTokens = options.maxTokens ? Math.max(1, options.maxTokens - Math.max(0, extra)) : undefined;
      return distiller.distill(masked, { model, ...(maxTokens ? { maxTokens } : {}), ...(options.language ? { language: options.language } : {}) });
    },
    (result, mask) => {
      const counts = recount(text, result.text, model);
      Object.assign(result, counts);
      if (options.maxTokens) result.maxTokens = options.maxTokens;
      result.fitsBudget = counts.tokensAfter <= result.maxTokens;
      result.dropped = result.dropped.map((d) => ({ ...d, text: unmaskFragment(d.text, mask), start: unmaskOffset(d.start, mask), end: unmaskOffset(d.end, mask) }));
      unmaskRetention(result.retention, mask);
    },
    options.interpolations,
  );
}

/** The local (rule-based) optimizer with the atoms masked (see compressKeepingAtoms). */
export function optimizeKeepingAtoms(text: string, options: LocalOptimizeOptions): OptimizedPrompt {
  return rewriteKeepingAtoms(
    'Optimizing',
    text,
    (masked) => optimizer.optimize(masked, options),
    (result, mask) => {
      const counts = recount(text, result.text, options.model);
      Object.assign(result, counts);
      if (options.maxTokens !== undefined) result.fitsBudget = counts.tokensAfter <= options.maxTokens;
      result.sections = result.sections.map((section) => ({ ...section, text: unmaskFragment(section.text, mask) }));
      result.changes = result.changes.map((change) => unmaskFragment(change, mask));
      if (result.declined) result.declined = unmaskFragment(result.declined, mask);
      unmaskRetention(result.retention, mask);
    },
    options.interpolations,
  );
}

/** An LLM rewrite of the real text, refused when it loses, repeats or reorders an atom. */
export async function optimizeWithLlmKeepingAtoms(text: string, options: LocalOptimizeOptions & Omit<Parameters<PromptOptimizer['optimizeWithLlm']>[1], keyof LocalOptimizeOptions>): Promise<OptimizedPrompt> {
  const result = await optimizer.optimizeWithLlm(text, options);
  // The model saw the real text: its rewrite must still have every atom, in order.
  assertAtomsKept('The LLM rewrite', text, result.text, options.interpolations);
  return result;
}

export function registerPromptHandlers(rpc: Dispatcher): void {
  rpc.on(PromptCompressRequest.type, PromptCompressParamsSchema, (params, ctx): CompressionResult => {
    checkCancelled(ctx, PromptCompressRequest.method);
    return compressKeepingAtoms(params.text, { model: params.model ?? DEFAULT_MODEL, ...(params.interpolations ? { interpolations: params.interpolations } : {}), ...(params.level ? { level: params.level } : {}), ...(params.language ? { language: params.language } : {}), ...(params.targetRatio ? { targetRatio: params.targetRatio } : {}) });
  }, PROMPT_PARAMS_HINT);

  rpc.on(PromptDistillRequest.type, PromptDistillParamsSchema, (params, ctx): DistillationResult => {
    checkCancelled(ctx, PromptDistillRequest.method);
    return distillKeepingAtoms(params.text, { model: params.model ?? DEFAULT_MODEL, ...(params.interpolations ? { interpolations: params.interpolations } : {}), ...(params.maxTokens ? { maxTokens: params.maxTokens } : {}), ...(params.language ? { language: params.language } : {}) });
  }, PROMPT_PARAMS_HINT);

  rpc.on(PromptOptimizeRequest.type, PromptOptimizeParamsSchema, async (params, ctx): Promise<OptimizedPrompt> => {
    checkCancelled(ctx, PromptOptimizeRequest.method);
    const options = {
      model: params.model ?? DEFAULT_MODEL,
      ...(params.target ? { target: params.target } : {}),
      ...(params.maxTokens ? { maxTokens: params.maxTokens } : {}),
      ...(params.language ? { language: params.language } : {}),
      ...(params.interpolations ? { interpolations: params.interpolations } : {}),
    };
    if (!params.llm) return optimizeKeepingAtoms(params.text, options);
    const { provider, model, apiKey, baseUrl, timeoutMs, approvedCostUsd } = params.llm;
    let rewriter;
    if (provider === 'vscode') rewriter = createRewriter({ provider, model });
    else if (provider === 'local') rewriter = createRewriter({ provider, model, ...(baseUrl ? { baseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    else if (apiKey === undefined) throw new EngineError('badRequest', `No API key for ${provider}/${model}.`, 'Pass llm.apiKey, or choose one of the editor\'s models (provider vscode) or a local server model (provider local).');
    else rewriter = createRewriter({ provider, model, apiKey, ...(baseUrl ? { baseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    ctx.progress({ message: approvedCostUsd === undefined ? 'Forecasting the rewrite cost' : `Asking ${provider}/${model} for a rewrite` });
    const controller = new AbortController();
    const subscription = ctx.token.onCancellationRequested(() => controller.abort());
    try {
      return await optimizeWithLlmKeepingAtoms(params.text, { ...options, rewriter, signal: controller.signal, ...(approvedCostUsd !== undefined ? { approvedCostUsd } : {}) });
    } finally {
      subscription.dispose();
    }
  }, PROMPT_PARAMS_HINT);
}
