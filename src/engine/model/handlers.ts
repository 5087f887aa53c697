/**
 * Registers the `model/*` requests on the dispatcher. Each is a long job: it reports
 * progress through the request's workDoneToken and stops at the next layer or batch
 * boundary when cancelled. The four jobs are also the CLI's library API and validate their
 * own parameters (parseParams), so the dispatcher passes them on as they came.
 */
import { ModelCompressRequest, ModelInspectRequest, ModelOptimizeRequest, ModelPruneRequest, ModelQuantizeRequest } from '../../protocol/engine';
import { ModelInspectParamsSchema, type ModelCompressParams, type ModelOptimizeParams, type ModelPruneParams, type ModelQuantizeParams } from '../../protocol/model';
import { checkedByHandler, type Dispatcher } from '../rpc';
import { ModelCompressor } from './compressor';
import { inspectModel } from './inspect';
import { modelParamsHint } from './job';
import { ModelOptimizer } from './optimizer';
import { ModelPruner } from './pruner';
import { ModelQuantizer } from './quantizer';

export function registerModelHandlers(rpc: Dispatcher): void {
  rpc.on(ModelInspectRequest.type, ModelInspectParamsSchema, (params) => inspectModel(params.modelPath), modelParamsHint(ModelInspectRequest.method));
  rpc.on(ModelQuantizeRequest.type, checkedByHandler<ModelQuantizeParams>(), (params, ctx) => new ModelQuantizer().quantize(params, ctx));
  rpc.on(ModelPruneRequest.type, checkedByHandler<ModelPruneParams>(), (params, ctx) => new ModelPruner().prune(params, ctx));
  rpc.on(ModelCompressRequest.type, checkedByHandler<ModelCompressParams>(), (params, ctx) => new ModelCompressor().compress(params, ctx));
  rpc.on(ModelOptimizeRequest.type, checkedByHandler<ModelOptimizeParams>(), (params, ctx) => new ModelOptimizer().optimize(params, ctx));
}
