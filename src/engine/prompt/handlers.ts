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
import { PromptCompressor } from './compressor';
import { DEFAULT_MODEL } from './defaults';
import { PromptDistiller } from './distiller';
import { createRewriter } from './llm';
import { PromptOptimizer } from './optimizer';

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
    return compressor.compress(params.text, { model: params.model ?? DEFAULT_MODEL, ...(params.level ? { level: params.level } : {}), ...(params.language ? { language: params.language } : {}) });
  });

  handlers.set(PromptDistillRequest.method, async (raw, ctx): Promise<DistillationResult> => {
    const params = validate(PromptDistillParamsSchema, raw, PromptDistillRequest.method);
    checkCancelled(ctx, PromptDistillRequest.method);
    return distiller.distill(params.text, { model: params.model ?? DEFAULT_MODEL, ...(params.maxTokens ? { maxTokens: params.maxTokens } : {}), ...(params.language ? { language: params.language } : {}) });
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
    if (!params.llm) return optimizer.optimize(params.text, options);
    const { provider, model, apiKey, baseUrl, timeoutMs, approvedCostUsd } = params.llm;
    const rewriter = createRewriter({ provider, model, apiKey, ...(baseUrl ? { baseUrl } : {}), ...(timeoutMs ? { timeoutMs } : {}) });
    ctx.progress({ message: approvedCostUsd === undefined ? 'Forecasting the rewrite cost' : `Asking ${provider}/${model} for a rewrite` });
    const controller = new AbortController();
    const subscription = ctx.token.onCancellationRequested(() => controller.abort());
    try {
      return await optimizer.optimizeWithLlm(params.text, { ...options, rewriter, signal: controller.signal, ...(approvedCostUsd !== undefined ? { approvedCostUsd } : {}) });
    } finally {
      subscription.dispose();
    }
  });
}
