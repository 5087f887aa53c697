/**
 * The seed's `ModelSelector` (the Python PepperPy `optimization` module's cost-benefit model
 * choice for a task): the cheapest model whose published score on the task's
 * benchmark meets the threshold, within the price and latency limits. "Cheapest" is the
 * blended price per 1,000 tokens (by default 3 input tokens to 1 output token).
 */
import { ModelSelectParamsSchema, type ModelPriceInfo, type ModelSelectParams, type ModelSelection } from '../../protocol/cost';
import { EngineError } from '../../protocol/errors';
import { JsonlLedger } from './ledger';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';
import { ModelLifecycle, QualityCatalog } from '../../shared/cost/quality';
import { pricedAsNote } from '../../shared/cost/sameModel';
import { validate } from './validate';

export const DEFAULT_INPUT_SHARE = 0.75;

/** USD per 1,000 tokens at the given share of input tokens. */
export function blendedPer1k(price: ModelPriceInfo, inputShare = DEFAULT_INPUT_SHARE): number {
  return (price.inputPerMTok * inputShare + price.outputPerMTok * (1 - inputShare)) / 1000;
}

/** The quality catalog for one request: bundled, the user's results, and latencies measured in a ledger. */
export async function loadQuality(options: { benchmarkFile?: string; ledgerFile?: string }): Promise<QualityCatalog> {
  const quality = QualityCatalog.load(options.benchmarkFile);
  if (options.ledgerFile) quality.addMeasuredLatency(await new JsonlLedger(options.ledgerFile).readAll(), options.ledgerFile);
  return quality;
}

export class ModelSelector {
  /** `lifecycle` and `now` decide which models are retired or deprecated (default: the bundled list and genai-prices' flag, today). */
  constructor(private readonly deps: { prices?: PriceCatalog; quality?: QualityCatalog; lifecycle?: ModelLifecycle; now?: Date } = {}) {}

  async select(raw: ModelSelectParams): Promise<ModelSelection> {
    const params = validate(ModelSelectParamsSchema, raw, 'ModelSelector.select');
    const prices = this.deps.prices ?? (await sharedPriceCatalog());
    const quality = this.deps.quality ?? (await loadQuality(params));
    const taskBenchmark = quality.taskBenchmark(params.task);
    const inputShare = params.inputShare ?? DEFAULT_INPUT_SHARE;
    const unknownLatency = params.unknownLatency ?? 'allow';
    const lifecycle = this.deps.lifecycle ?? new ModelLifecycle(undefined, (m) => prices.isDeprecated(m));
    const now = this.deps.now ?? new Date();

    // The task's own benchmark, or its first fallback (model-quality.json) when no current, priced model has a score on
    // it: the summarization/rag/qa benchmarks (DROP, MMLU) were published for models that are all retired or deprecated
    // now, and the default "Select Model for a Task…" (summarization, 0.8) answered only with a list of retired models.
    // The threshold is then read on the fallback's scores, and the result says so.
    const order = quality.taskBenchmarks(params.task);
    const currentWithScore = (benchmark: string) => quality.models().some((m) => !lifecycle.verdict(m, now) && prices.has(m) && quality.score(m, benchmark));
    const benchmark = order.find(currentWithScore) ?? order[0];
    const fallbackFrom = benchmark === order[0] ? undefined : order[0];

    const eligible: Array<{ name: string; cost: number; price: ModelPriceInfo; q: NonNullable<ReturnType<QualityCatalog['score']>>; latency: ReturnType<QualityCatalog['latency']> }> = [];
    const excluded: ModelSelection['excluded'] = [];
    let unknownLatencyAllowed = 0;
    for (const name of quality.models()) {
      // A retired or deprecated model is never recommended, whatever its scores.
      const verdict = lifecycle.verdict(name, now);
      if (verdict) {
        excluded.push({ name, reason: verdict.reason });
        continue;
      }
      const q = quality.score(name, benchmark);
      if (!q) {
        excluded.push({ name, reason: `no published ${benchmark} score` });
        continue;
      }
      if (!prices.has(name)) {
        excluded.push({ name, reason: 'no price' });
        continue;
      }
      const price = prices.lookup(name);
      const cost = blendedPer1k(price, inputShare);
      const latency = quality.latency(name);
      if (q.score < params.qualityThreshold) {
        excluded.push({ name, reason: `${benchmark} ${q.score.toFixed(3)} below ${params.qualityThreshold}` });
      } else if (params.maxCostPer1kTokens !== undefined && cost > params.maxCostPer1kTokens) {
        excluded.push({ name, reason: `$${cost.toFixed(5)} per 1k tokens above $${params.maxCostPer1kTokens}` });
      } else if (params.maxLatencyMs !== undefined && latency && latency.avgMs > params.maxLatencyMs) {
        excluded.push({ name, reason: `average latency ${latency.avgMs.toFixed(0)} ms above ${params.maxLatencyMs} ms` });
      } else if (params.maxLatencyMs !== undefined && !latency && unknownLatency === 'exclude') {
        excluded.push({ name, reason: 'latency unknown' });
      } else {
        if (params.maxLatencyMs !== undefined && !latency) unknownLatencyAllowed++;
        eligible.push({ name, cost, price, q, latency });
      }
    }
    eligible.sort((a, b) => a.cost - b.cost || b.q.score - a.q.score || a.name.localeCompare(b.name));
    // Models that missed a limit are more useful to read about than retired ones, and those than models without a score.
    const rank = (e: { name: string }) => (lifecycle.verdict(e.name, now) ? 1 : 0);
    excluded.sort((a, b) => Number(a.reason.startsWith('no ')) - Number(b.reason.startsWith('no ')) || rank(a) - rank(b));
    const best = eligible[0];
    if (!best) {
      throw new EngineError(
        'notFound',
        `No model meets every constraint for ${params.task} (${benchmark} ≥ ${params.qualityThreshold}${params.maxCostPer1kTokens !== undefined ? `, ≤ $${params.maxCostPer1kTokens} per 1k tokens` : ''}${params.maxLatencyMs !== undefined ? `, ≤ ${params.maxLatencyMs} ms` : ''}). Closest misses: ${excluded.slice(0, 4).map((e) => `${e.name} (${e.reason})`).join('; ')}.`,
        currentWithScore(benchmark)
          ? 'Relax a constraint, or add your own benchmark results (docs/cost.md).'
          : `No current model has a published ${order.join(' or ')} score (the models with one are retired or deprecated): add your own benchmark results for the models you can use (docs/cost.md), or pick a task judged on another benchmark.`,
      );
    }
    const notes: string[] = [`Ranked by blended price at ${Math.round(inputShare * 100)} % input tokens; the cheapest model meeting every constraint wins.`, `Retired and deprecated models are left out (list checked ${lifecycle.checked}, plus genai-prices' deprecated flag); quality figures dated ${best.q.date} (${best.q.source}).`];
    if (fallbackFrom) {
      notes.push(`Judged on ${benchmark}, the fallback of ${params.task}: no current model has a published ${fallbackFrom} score (the models with one are retired or deprecated), so the threshold ${params.qualityThreshold} was applied to ${benchmark} scores.`);
    }
    if (params.maxLatencyMs !== undefined && !best.latency) {
      notes.push(`Latency of ${best.name} is unknown (no measured or cited figure), so it was not checked against ${params.maxLatencyMs} ms; run traffic through the cost monitor and pass its ledger to measure it.`);
    }
    if (unknownLatencyAllowed > 0 && params.maxLatencyMs !== undefined) notes.push(`${unknownLatencyAllowed} model(s) with unknown latency were allowed (unknownLatency: allow).`);
    if (best.price.tiered) notes.push('Its price is tiered by prompt size; the base tier is shown.');
    // A name from the user's benchmark file (a fine-tune, a private name) may be priced as another catalog model.
    if (best.price.pricedAs) notes.push(`Its price: ${pricedAsNote(best.name, best.price.pricedAs)}.`);
    return {
      name: best.name,
      costPer1kTokens: best.cost,
      qualityScore: best.q.score,
      avgLatency: best.latency ? best.latency.avgMs : null,
      evidence: { quality: best.q, ...(best.latency ? { latency: best.latency } : {}), price: best.price, taskBenchmark, notes },
      alternatives: eligible.slice(1, 6).map((e) => ({ name: e.name, costPer1kTokens: e.cost, qualityScore: e.q.score, avgLatency: e.latency ? e.latency.avgMs : null })),
      excluded: excluded.slice(0, 20),
    };
  }
}
