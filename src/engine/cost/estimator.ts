/**
 * The seed's `CostEstimator` (the Python PepperPy `optimization` module's operating-cost
 * estimate): what a steady workload costs over a number of days. The
 * price of one average query comes from genai-prices' own calculation (so tiered prices
 * apply per request, as providers bill them), multiplied by the number of queries.
 */
import { CostEstimateParamsSchema, type CostEstimate, type CostEstimateParams } from '../../protocol/cost';
import { validate } from './validate';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';

export class CostEstimator {
  constructor(private readonly catalog?: PriceCatalog) {}

  async estimate(raw: CostEstimateParams): Promise<CostEstimate> {
    const params = validate(CostEstimateParamsSchema, raw, 'CostEstimator.estimate');
    const catalog = this.catalog ?? (await sharedPriceCatalog());
    const reasoning = params.reasoningTokens ?? 0;
    const cached = params.cachedInputTokens ?? 0;
    const perQuery = catalog.cost(
      params.model,
      { inputTokens: params.avgInputTokens, outputTokens: params.avgOutputTokens + reasoning, cachedInputTokens: cached, reasoningTokens: reasoning },
      params.providerId ? { providerId: params.providerId } : {},
    );
    const queries = params.queriesPerDay * params.days;
    const inputCost = perQuery.inputCost * queries;
    const outputCost = perQuery.outputCost * queries;
    const totalCost = inputCost + outputCost;
    return {
      model: params.model,
      totalCost,
      inputCost,
      outputCost,
      totalTokens: (params.avgInputTokens + params.avgOutputTokens + reasoning) * queries,
      inputTokens: params.avgInputTokens * queries,
      outputTokens: params.avgOutputTokens * queries,
      reasoningTokens: reasoning * queries,
      cachedInputTokens: cached * queries,
      queries,
      costPerQuery: perQuery.totalCost,
      // What one day of the workload costs, defined whatever the horizon (days = 0 included).
      dailyCost: perQuery.totalCost * params.queriesPerDay,
      days: params.days,
      price: perQuery.price,
    };
  }
}
