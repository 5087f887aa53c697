/**
 * JSON-RPC handlers for `prompt/compress`, `prompt/distill` and `prompt/optimize`,
 * registered into the engine's handler map by src/engine/handlers.ts. Parameters are
 * validated with the zod schemas in src/protocol/prompt.ts; the API key of an LLM-assisted
 * optimization is used for that one request and never logged or returned.
 */
import type { z } from 'zod';
import { PromptCompressRequest, PromptDistillRequest, PromptOptimizeRequest } from '../../protocol/engine';
import { EngineError } from '../../protocol/errors';
import {
  PromptCompressParamsSchema,
  PromptDistillParamsSchema,
  PromptOptimizeParamsSchema,
  type CompressionResult,
  type DistillationResult,
  type OptimizedPrompt,
} from '../../protocol/prompt';
import type { HandlerContext } from '../context';
import { PromptCompressor, summarizeRemovals } from './compressor';
import { DEFAULT_MODEL } from './defaults';
import { PromptDistiller } from './distiller';
import { createRewriter } from './llm';
import { PromptOptimizer } from './optimizer';
import { assertAtomsKept, rewriteKeepingAtoms, unmaskFragment, unmaskOffset } from './rewriteGuard';
import type { MaskedText } from './scanner/literals';
import { sharedTokenizer } from './tokenizer';

type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

function validate<T extends z.ZodType>(schema: T, params: unknown, method: string): z.infer<T> {
  const { workDoneToken: _token, ...rest } = (params ?? {}) as Record<string, unknown>;
  const result = schema.safeParse(rest);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'params'}: ${issue.message}`)
    .join('; ');
  throw new EngineError('badRequest', `Invalid parameters for ${method}: ${problems}.`, 'Check the request against src/protocol/prompt.ts.');
}

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

export function registerPromptHandlers(handlers: Map<string, Handler>): void {
  const compressor = new PromptCompressor();
  const distiller = new PromptDistiller();
  const optimizer = new PromptOptimizer();

  handlers.set(PromptCompressRequest.method, async (raw, ctx): Promise<CompressionResult> => {
    const params = validate(PromptCompressParamsSchema, raw, PromptCompressRequest.method);
    checkCancelled(ctx, PromptCompressRequest.method);
    const model = params.model ?? DEFAULT_MODEL;
    // Interpolations, placeholders, template tags and code spans are masked while the rewriter works (rewriteGuard.ts).
    return rewriteKeepingAtoms(
      'Compressing',
      params.text,
      (masked) => compressor.compress(masked, { model, ...(params.level ? { level: params.level } : {}), ...(params.language ? { language: params.language } : {}), ...(params.targetRatio ? { targetRatio: params.targetRatio } : {}) }),
      (result, mask) => {
        const counts = recount(params.text, result.text, model);
        Object.assign(result, counts, { tokensSaved: counts.tokensBefore - counts.tokensAfter, charactersBefore: params.text.length, charactersAfter: result.text.length });
        result.reductionPercent = counts.tokensBefore === 0 ? 0 : Math.round((10000 * (counts.tokensBefore - counts.tokensAfter)) / counts.tokensBefore) / 100;
        result.removed = result.removed.map((r) =>
          r.start === 0 && r.end === 0 ? r : { ...r, text: unmaskFragment(r.text, mask), replacement: unmaskFragment(r.replacement, mask), start: unmaskOffset(r.start, mask), end: unmaskOffset(r.end, mask) },
        );
        if (result.removedSummary) result.removedSummary = summarizeRemovals(result.removed);
        unmaskRetention(result.retention, mask);
      },
    );
  });

  handlers.set(PromptDistillRequest.method, async (raw, ctx): Promise<DistillationResult> => {
    const params = validate(PromptDistillParamsSchema, raw, PromptDistillRequest.method);
    checkCancelled(ctx, PromptDistillRequest.method);
    const model = params.model ?? DEFAULT_MODEL;
    return rewriteKeepingAtoms(
      'Distilling',
      params.text,
      (masked) => {
        // The budget is for the real text: take off what the atoms weigh more than their sentinels.
        const extra = sharedTokenizer().count(params.text, model).count - sharedTokenizer().count(masked, model).count;
        const maxTokens = params.maxTokens ? Math.max(1, params.maxTokens - Math.max(0, extra)) : undefined;
        return distiller.distill(masked, { model, ...(maxTokens ? { maxTokens } : {}), ...(params.language ? { language: params.language } : {}) });
      },
      (result, mask) => {
        const counts = recount(params.text, result.text, model);
        Object.assign(result, counts);
        if (params.maxTokens) result.maxTokens = params.maxTokens;
        result.fitsBudget = counts.tokensAfter <= result.maxTokens;
        result.dropped = result.dropped.map((d) => ({ ...d, text: unmaskFragment(d.text, mask), start: unmaskOffset(d.start, mask), end: unmaskOffset(d.end, mask) }));
        unmaskRetention(result.retention, mask);
      },
    );
  });

  handlers.set(PromptOptimizeRequest.method, async (raw, ctx): Promise<OptimizedPrompt> => {
    const params = validate(PromptOptimizeParamsSchema, raw, PromptOptimizeRequest.method);
    checkCancelled(ctx, PromptOptimizeRequest.method);
    const options = {
      model: params.model ?? DEFAULT_MODEL,
      ...(params.target ? { target: params.target } : {}),
      ...(params.maxTokens ? { maxTokens: params.maxTokens } : {}),
      ...(params.language ? { language: params.language } : {}),
    };
    if (!params.llm) {
      return rewriteKeepingAtoms(
        'Optimizing',
        params.text,
        (masked) => optimizer.optimize(masked, options),
        (result, mask) => {
          const counts = recount(params.text, result.text, options.model);
          Object.assign(result, counts);
          if (options.maxTokens !== undefined) result.fitsBudget = counts.tokensAfter <= options.maxTokens;
          result.sections = result.sections.map((section) => ({ ...section, text: unmaskFragment(section.text, mask) }));
          result.changes = result.changes.map((change) => unmaskFragment(change, mask));
          if (result.declined) result.declined = unmaskFragment(result.declined, mask);
          unmaskRetention(result.retention, mask);
        },
      );
    }
    const { provider, model, apiKey, baseUrl, timeoutMs, approvedCostUsd } = params.llm;
    const rewriter = createRewriter({ provider, model, apiKey, ...(baseUrl ? { baseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    ctx.progress({ message: approvedCostUsd === undefined ? 'Forecasting the rewrite cost' : `Asking ${provider}/${model} for a rewrite` });
    const controller = new AbortController();
    const subscription = ctx.token.onCancellationRequested(() => controller.abort());
    try {
      const result = await optimizer.optimizeWithLlm(params.text, { ...options, rewriter, signal: controller.signal, ...(approvedCostUsd !== undefined ? { approvedCostUsd } : {}) });
      // The model saw the real text: its rewrite must still have every atom, in order.
      assertAtomsKept('The LLM rewrite', params.text, result.text);
      return result;
    } finally {
      subscription.dispose();
    }
  });
}
