/**
 * Pricing for pipeline and benchmark calls, through the cost area's price catalog
 * (@pydantic/genai-prices). Local generations are free; when a pipeline runs the local
 * model as a stand-in for a named hosted model, its cost is *projected*: the prompt and
 * answer are counted with that model's tokenizer and priced at its published rates, and
 * results say so in `costBasis`.
 *
 * Paid calls need consent: `forecastCost` estimates the upper bound of a run before any
 * call is made, and `confirmPaidCalls` refuses to go on unless the caller passed
 * `confirmCost: true` or a callback that accepts the forecast.
 */
import { EngineError } from '../../protocol/errors';
import { sharedPriceCatalog, type PriceCatalog } from '../../shared/cost/pricing';
import { sharedTokenizer } from '../../shared/prompt/tokenizer';

export type ConfirmCost = boolean | ((forecast: CostForecast) => boolean | Promise<boolean>);

export interface CostForecast {
  paidCalls: number;
  /** Upper bound in USD: every call at its full output limit. */
  maxCostUsd: number;
  byModel: { model: string; calls: number; inputTokens: number; maxOutputTokens: number; maxCostUsd: number; priced: boolean }[];
  notes: string[];
}

let catalogPromise: Promise<PriceCatalog> | undefined;
export function priceCatalog(): Promise<PriceCatalog> {
  catalogPromise ??= sharedPriceCatalog();
  return catalogPromise;
}

export function countTokens(text: string, model: string): number {
  return sharedTokenizer().count(text, model).count;
}

/** USD for a usage at `model`'s prices, or undefined when the catalog does not know the model. */
export async function priceUsage(model: string, inputTokens: number, outputTokens: number, cachedInputTokens = 0): Promise<number | undefined> {
  const catalog = await priceCatalog();
  if (!catalog.has(model)) return undefined;
  return catalog.cost(model, { inputTokens, outputTokens, cachedInputTokens }).totalCost;
}

export interface PlannedCall {
  model: string;
  paid: boolean;
  inputText: string;
  maxOutputTokens: number;
}

export async function forecastCost(calls: PlannedCall[]): Promise<CostForecast> {
  const byModel = new Map<string, { calls: number; inputTokens: number; maxOutputTokens: number }>();
  for (const c of calls) {
    if (!c.paid) continue;
    const m = byModel.get(c.model) ?? { calls: 0, inputTokens: 0, maxOutputTokens: 0 };
    m.calls++;
    m.inputTokens += countTokens(c.inputText, c.model);
    m.maxOutputTokens += c.maxOutputTokens;
    byModel.set(c.model, m);
  }
  const notes: string[] = [];
  const rows: CostForecast['byModel'] = [];
  for (const [model, m] of byModel) {
    const cost = await priceUsage(model, m.inputTokens, m.maxOutputTokens);
    if (cost === undefined) notes.push(`${model} has no known price; its calls are counted but not priced.`);
    rows.push({ model, ...m, maxCostUsd: cost ?? 0, priced: cost !== undefined });
  }
  return { paidCalls: rows.reduce((a, r) => a + r.calls, 0), maxCostUsd: rows.reduce((a, r) => a + r.maxCostUsd, 0), byModel: rows, notes };
}

export function describeForecast(f: CostForecast): string {
  return `${f.paidCalls} paid call(s), at most $${f.maxCostUsd.toFixed(4)} (${f.byModel.map((m) => `${m.model}: ${m.calls} calls, ${m.inputTokens} input tokens, ≤${m.maxOutputTokens} output tokens${m.priced ? '' : ', price unknown'}`).join('; ')})`;
}

/** Throws unless paid calls were confirmed; no-op when the forecast has none. */
export async function confirmPaidCalls(forecast: CostForecast, confirm: ConfirmCost | undefined): Promise<void> {
  if (forecast.paidCalls === 0) return;
  const ok = typeof confirm === 'function' ? await confirm(forecast) : confirm === true;
  if (!ok) {
    throw new EngineError('badRequest', `This run would make ${describeForecast(forecast)}, and that was not confirmed.`, 'Review the forecast, then pass confirmCost: true (CLI: --confirm-cost) to make the calls.');
  }
}
