/**
 * Registers the cost area's requests on the dispatcher. The classes (and
 * currentCostsFromLedger, which the CLI calls too) validate their own parameters, so the
 * dispatcher passes them on as they came.
 */
import { CostCurrentCostsRequest, CostEstimateRequest, CostOptimizeRequest, CostRecommendModelRequest, CostSelectRequest } from '../../protocol/engine';
import { CurrentCostsParamsSchema, type CurrentCostsParams, type CostEstimateParams, type CostOptimizeParams, type CurrentCosts, type ModelSelectParams, type RecommendModelParams } from '../../protocol/cost';
import { checkedByHandler, type Dispatcher } from '../rpc';
import { CostEstimator } from './estimator';
import { openLedger, summarize, utcDay } from './ledger';
import { CostOptimizer } from './optimizer';
import { registerMonitorHandlers } from './monitorHandlers';
import { ModelSelector } from './selector';
import { validate } from './validate';

export async function currentCostsFromLedger(raw: unknown): Promise<CurrentCosts> {
  const params = validate(CurrentCostsParamsSchema, raw, CostCurrentCostsRequest.method);
  const ledger = openLedger(params);
  try {
    const day = params.day ?? utcDay();
    return summarize(day, await ledger.readDay(day), ledger.description);
  } finally {
    await ledger.close();
  }
}

export function registerCostHandlers(rpc: Dispatcher): void {
  rpc.on(CostEstimateRequest.type, checkedByHandler<CostEstimateParams>(), (params) => new CostEstimator().estimate(params));
  rpc.on(CostSelectRequest.type, checkedByHandler<ModelSelectParams>(), (params) => new ModelSelector().select(params));
  rpc.on(CostOptimizeRequest.type, checkedByHandler<CostOptimizeParams>(), (params, ctx) => {
    ctx.progress({ message: 'Searching one model per task' });
    return new CostOptimizer().optimize(params);
  });
  rpc.on(CostRecommendModelRequest.type, checkedByHandler<RecommendModelParams>(), (params) => new CostOptimizer().recommendModel(params));
  rpc.on(CostCurrentCostsRequest.type, checkedByHandler<CurrentCostsParams>(), (params) => currentCostsFromLedger(params));
  registerMonitorHandlers(rpc);
}
