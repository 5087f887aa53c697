/**
 * Registers the `model/*` requests on the engine's handler map. Each is a long job: it
 * reports progress through the request's workDoneToken and stops at the next layer or
 * batch boundary when cancelled.
 */
import { ModelCompressRequest, ModelInspectRequest, ModelOptimizeRequest, ModelPruneRequest, ModelQuantizeRequest } from '../../protocol/engine';
import { ModelInspectParamsSchema, type ModelCompressParams, type ModelOptimizeParams, type ModelPruneParams, type ModelQuantizeParams } from '../../protocol/model';
import type { HandlerContext } from '../context';
import { ModelCompressor } from './compressor';
import { inspectModel } from './inspect';
import { parseParams } from './job';
import { ModelOptimizer } from './optimizer';
import { ModelPruner } from './pruner';
import { ModelQuantizer } from './quantizer';

type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

export function registerModelHandlers(handlers: Map<string, Handler>): void {
  handlers.set(ModelInspectRequest.method, async (raw) => {
    const params = parseParams(ModelInspectParamsSchema, raw, ModelInspectRequest.method);
    return inspectModel(params.modelPath);
  });
  handlers.set(ModelQuantizeRequest.method, (raw, ctx) => new ModelQuantizer().quantize(raw as ModelQuantizeParams, ctx));
  handlers.set(ModelPruneRequest.method, (raw, ctx) => new ModelPruner().prune(raw as ModelPruneParams, ctx));
  handlers.set(ModelCompressRequest.method, (raw, ctx) => new ModelCompressor().compress(raw as ModelCompressParams, ctx));
  handlers.set(ModelOptimizeRequest.method, (raw, ctx) => new ModelOptimizer().optimize(raw as ModelOptimizeParams, ctx));
}
