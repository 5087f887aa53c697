/** Model specs and helpers shared by the benchmarks. */
import { z } from 'zod';
import { EngineError } from '../../protocol/errors';
import type { HandlerContext } from '../context';
import { createProvider, EditorLmProvider, EXTRACTIVE_READER, LOCAL_BIGRAM, localServerProvider, type LlmProvider } from '../providers';
import { EDITOR_LM_COST_LABEL, isEditorLmName } from '../../protocol/editorLm';
import { confirmPaidCalls, forecastCost, type ConfirmCost, type PlannedCall } from '../pipeline/costing';

/** `local` (the extractive reader), `local:bigram`, `vscode:copilot/gpt-4o` (the editor's model), `openai:gpt-4o`, `anthropic:claude-3-5-haiku-latest`, or an object. */
export const ModelSpecSchema = z.union([
  z.string().min(1),
  z.object({ provider: z.enum(['local', 'openai', 'anthropic', 'vscode']), model: z.string().min(1), baseUrl: z.url().optional() }).strict(),
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
  let provider: 'local' | 'openai' | 'anthropic' | 'vscode';
  let model: string;
  let baseUrl: string | undefined;
  if (typeof spec === 'string') {
    // The editor's own model (vscode.lm), asked through the extension host: no key, no price.
    if (isEditorLmName(spec)) return new EditorLmProvider(spec);
    // A model on a server on this machine (ollama:llama3.2, openai-compatible@URL:MODEL): free, no key.
    const local = localServerProvider(spec);
    if (local) return local;
    const colon = spec.indexOf(':');
    const head = colon < 0 ? spec : spec.slice(0, colon);
    if (head === 'local') {
      // `local`: the extractive reader; `local:bigram`: the word-bigram ONNX decoder (decoding latency).
      provider = 'local';
      const variant = colon < 0 ? '' : spec.slice(colon + 1);
      if (variant !== '' && variant !== 'reader' && variant !== 'bigram') throw new EngineError('badRequest', `Unknown local model "${spec}".`, 'Use local (the extractive reader) or local:bigram (the word-bigram ONNX model).');
      model = variant === 'bigram' ? LOCAL_BIGRAM : EXTRACTIVE_READER;
    } else if (head === 'openai' || head === 'anthropic') {
      provider = head;
      model = spec.slice(colon + 1);
      if (model.trim() === '') throw new EngineError('badRequest', `"${spec}" names no model after the provider.`, `Write ${head}:MODEL, e.g. ${head === 'openai' ? 'openai:gpt-5.4-mini' : 'anthropic:claude-3-5-haiku-latest'}.`);
    } else if (colon >= 0) {
      throw new EngineError('badRequest', `Unknown provider "${head}" in "${spec}".`, 'Known providers: local, openai:MODEL, anthropic:MODEL, vscode:MODEL (the editor\'s models, inside VS Code), and servers on this machine: ollama:MODEL, lmstudio:MODEL, llamacpp:MODEL, vllm:MODEL, openai-compatible@http://HOST:PORT/v1:MODEL.');
    } else if (/^claude/i.test(spec)) {
      provider = 'anthropic';
      model = spec;
    } else if (/^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage)/i.test(spec)) {
      provider = 'openai';
      model = spec;
    } else {
      throw new EngineError('badRequest', `Which provider serves "${spec}"?`, `Prefix it with its provider: openai:${spec} (also for OpenAI-compatible servers) or anthropic:${spec}, or use local.`);
    }
  } else {
    ({ provider, model, baseUrl } = spec);
  }
  const apiKey = provider === 'openai' ? runtime.apiKeys?.openai : provider === 'anthropic' ? runtime.apiKeys?.anthropic : undefined;
  return createProvider({ provider, model, ...(baseUrl ? { baseUrl } : {}), ...(apiKey ? { apiKey } : {}), localCorpus: runtime.localCorpus ?? fallbackCorpus });
}

/** What a result's cost basis says for a provider that is not billed per token. */
export function unpaidCostBasis(provider: LlmProvider): string {
  return provider.kind === 'vscode' ? `${EDITOR_LM_COST_LABEL} (the editor's model; no per-token price)` : 'free (local model)';
}

export async function gatePaidCalls(calls: PlannedCall[], runtime: BenchmarkRuntime): Promise<void> {
  await confirmPaidCalls(await forecastCost(calls), runtime.confirmCost);
}

/** Judge output → a 1-10 score, or undefined when the judge did not give one. */
export function parseJudgeScore(text: string): number | undefined {
  const m = /score\s*[:=]\s*(\d+(?:\.\d+)?)/i.exec(text) ?? /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*10)?\s*$/m.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v >= 1 && v <= 10 ? v : undefined;
}

/** Limits on what one benchmark run may ask for: beyond them a run takes hours or exhausts memory. */
export const BENCHMARK_LIMITS = {
  iterations: 1000,
  warmupIterations: 100,
  inputLength: 100_000,
  outputLength: 100_000,
  batchSize: 256,
  repeats: 20,
  /** Requests one latency run may plan in all (every model × length × batch × iteration). */
  plannedRequests: 20_000,
} as const;

/** A whole number within [min, max], or a badRequest that names the parameter. */
export function checkCount(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new EngineError('badRequest', `${name} must be a whole number from ${min} to ${max}, got ${value}.`, `Choose a ${name} in that range.`);
  return value;
}
