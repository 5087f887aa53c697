/**
 * Registers the cost area's request handlers in the engine's handler map (shared by the
 * JSON-RPC server and the CLI). The classes validate their own parameters.
 */
import { CostCurrentCostsRequest, CostEstimateRequest, CostOptimizeRequest, CostRecommendModelRequest, CostSelectRequest } from '../../protocol/engine';
import { CurrentCostsParamsSchema, type CostEstimateParams, type CostOptimizeParams, type CurrentCosts, type ModelSelectParams, type RecommendModelParams } from '../../protocol/cost';
import type { HandlerContext } from '../context';
import { CostEstimator } from './estimator';
import { openLedger, summarize, utcDay } from './ledger';
import { CostOptimizer } from './optimizer';
import { registerMonitorHandlers } from './monitorHandlers';
import { ModelSelector } from './selector';
import { validate } from './validate';

type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

/** Drops the JSON-RPC progress token, which is not part of the classes' parameters. */
function withoutToken(raw: unknown): Record<string, unknown> {
  const { workDoneToken: _token, ...rest } = (raw ?? {}) as Record<string, unknown>;
  return rest;
}

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

export function registerCostHandlers(handlers: Map<string, Handler>): void {
  handlers.set(CostEstimateRequest.method, (raw) => new CostEstimator().estimate(withoutToken(raw) as CostEstimateParams));
  handlers.set(CostSelectRequest.method, (raw) => new ModelSelector().select(withoutToken(raw) as ModelSelectParams));
  handlers.set(CostOptimizeRequest.method, (raw, ctx) => {
    ctx.progress({ message: 'Searching one model per task' });
    return new CostOptimizer().optimize(withoutToken(raw) as CostOptimizeParams);
  });
  handlers.set(CostRecommendModelRequest.method, (raw) => new CostOptimizer().recommendModel(withoutToken(raw) as RecommendModelParams));
  handlers.set(CostCurrentCostsRequest.method, (raw) => currentCostsFromLedger(withoutToken(raw)));
  registerMonitorHandlers(handlers);
}
