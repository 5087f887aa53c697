/** Model specs and helpers shared by the benchmarks. */
import { z } from 'zod';
import { EngineError } from '../../protocol/errors';
import type { HandlerContext } from '../context';
import { createProvider, type LlmProvider } from '../providers';
import { confirmPaidCalls, forecastCost, type ConfirmCost, type PlannedCall } from '../pipeline/costing';

/** `local`, `openai:gpt-4o`, `anthropic:claude-3-5-haiku-latest`, or an object. */
export const ModelSpecSchema = z.union([
  z.string().min(1),
  z.object({ provider: z.enum(['local', 'openai', 'anthropic']), model: z.string().min(1), baseUrl: z.url().optional() }).strict(),
]);
export type ModelSpec = z.infer<typeof ModelSpecSchema>;

export interface BenchmarkRuntime {
  apiKeys?: { openai?: string; anthropic?: string };
  /** Text the local model is estimated on (default: the dataset's own text). */
  localCorpus?: string;
  confirmCost?: ConfirmCost;
  resultsDir?: string;
  ctx?: Pick<HandlerContext, 'token' | 'progress'>;
  /** Providers by label, used instead of building them (tests). */
  providers?: Record<string, LlmProvider>;
}

export function modelLabel(spec: ModelSpec): string {
  return typeof spec === 'string' ? spec : `${spec.provider}:${spec.model}`;
}

export function resolveProvider(spec: ModelSpec, runtime: BenchmarkRuntime, fallbackCorpus: string): LlmProvider {
  const label = modelLabel(spec);
  const given = runtime.providers?.[label];
  if (given) return given;
  let provider: 'local' | 'openai' | 'anthropic';
  let model: string;
  let baseUrl: string | undefined;
  if (typeof spec === 'string') {
    const colon = spec.indexOf(':');
    const head = colon < 0 ? spec : spec.slice(0, colon);
    if (head === 'local') {
      provider = 'local';
      model = 'local-bigram';
    } else if (head === 'openai' || head === 'anthropic') {
      provider = head;
      model = spec.slice(colon + 1);
    } else {
      provider = /^claude/i.test(spec) ? 'anthropic' : 'openai';
      model = spec;
    }
  } else {
    ({ provider, model, baseUrl } = spec);
  }
  const apiKey = provider === 'openai' ? runtime.apiKeys?.openai : provider === 'anthropic' ? runtime.apiKeys?.anthropic : undefined;
  return createProvider({ provider, model, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}), localCorpus: runtime.localCorpus ?? fallbackCorpus });
}

export async function gatePaidCalls(calls: PlannedCall[], runtime: BenchmarkRuntime): Promise<void> {
  await confirmPaidCalls(await forecastCost(calls), runtime.confirmCost);
}

export function checkCancelled(runtime: BenchmarkRuntime, what: string): void {
  if (runtime.ctx?.token.isCancellationRequested) throw new EngineError('cancelled', `${what} was cancelled.`);
}

/** Judge output → a 1-10 score, or undefined when the judge did not give one. */
export function parseJudgeScore(text: string): number | undefined {
  const m = /score\s*[:=]\s*(\d+(?:\.\d+)?)/i.exec(text) ?? /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10)?\s*$/m.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v >= 1 && v <= 10 ? v : undefined;
}
