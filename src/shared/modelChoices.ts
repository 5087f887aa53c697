/**
 * What the model picker offers for API-key providers, and the cost line of every kind of
 * model: the current chat models of OpenAI and Anthropic from the price catalog
 * (@pydantic/genai-prices), without the retired or deprecated ones (the same ModelLifecycle the
 * cost recommendations use: data/retired-models.json plus genai-prices' own flag), each with its
 * price per million tokens and where that price came from.
 */
import { ModelLifecycle } from './cost/quality';
import type { PriceCatalog } from './cost/pricing';
import { LOCAL_COST_LABEL, localHostPort } from './localModels';

/**
 * The models the Analyze and Cost panels offer in their model lists (after the user's own
 * default and compared models): current models of the main providers, each priced by the
 * bundled catalog and on no retired/deprecated list (test/unit/cost/shippedDefaults.test.ts
 * checks both).
 */
export const SUGGESTED_MODELS: readonly string[] = ['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5.5', 'claude-sonnet-4-6', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-6', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-3.1-flash-lite', 'deepseek-chat', 'grok-4', 'mistral-large-latest', 'llama-3.3-70b-versatile'];

export type KeyProvider = 'openai' | 'anthropic';
export const KEY_PROVIDERS: readonly KeyProvider[] = ['openai', 'anthropic'];
export const KEY_PROVIDER_NAMES: Readonly<Record<KeyProvider, string>> = { openai: 'OpenAI', anthropic: 'Anthropic' };

export interface KeyModelChoice {
  /** What the model fields take: `openai:gpt-5.4-mini`. */
  name: string;
  provider: KeyProvider;
  /** The catalog's display name ("GPT-5.4 mini"), or the id. */
  label: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** Where the price came from ("@pydantic/genai-prices@0.1.8 bundled data, 2025-…"). */
  source: string;
}

/**
 * Models that are not text chat models (embeddings, audio, images, realtime, moderation,
 * search and research agents, fine-tune price entries) or are legacy variants priced apart
 * (16k/32k context, instruct, vision preview): the picker is for rewrites, judges and benchmarks.
 */
const NOT_CHAT = /embedding|audio|realtime|transcribe|tts|image|moderation|whisper|search|research|computer-use|instruct|vision|:extended|^ft:|\.ft-|-16k|-32k|davinci|curie|babbage|^ada$/;

/**
 * The current chat models of `provider`, cheapest first (then by id): the catalog's named models
 * with a context window and a per-token input and output price, minus retired and deprecated ones.
 */
export function currentKeyModels(catalog: PriceCatalog, provider: KeyProvider, options: { lifecycle?: ModelLifecycle; at?: Date } = {}): KeyModelChoice[] {
  const lifecycle = options.lifecycle ?? new ModelLifecycle(undefined, (m) => catalog.isDeprecated(m, provider));
  const at = options.at ?? new Date();
  // The retired list names snapshots (claude-3-5-sonnet-20240620); the catalog prices them under
  // a shorter id (claude-3-5-sonnet). A catalog entry that prices a retired name is left out too.
  const priced = new Set<string>();
  for (const entry of lifecycle.entries()) {
    if (entry.provider.toLowerCase() !== provider) continue;
    for (const name of [entry.model, ...(entry.aliases ?? [])]) {
      if (lifecycle.verdict(name, at) === undefined) continue;
      try {
        priced.add(catalog.lookup(name, { providerId: provider, at }).matchedModel.toLowerCase());
      } catch {
        // Not priced by this provider.
      }
    }
  }
  const out: KeyModelChoice[] = [];
  for (const m of catalog.providerModels(provider)) {
    if (m.deprecated || m.name === undefined || m.contextWindow === undefined || NOT_CHAT.test(m.id)) continue;
    if (lifecycle.verdict(m.id, at) !== undefined || priced.has(m.id.toLowerCase())) continue;
    let price;
    try {
      price = catalog.lookup(m.id, { providerId: provider, at });
    } catch {
      continue;
    }
    if (price.inputPerMTok <= 0 || price.outputPerMTok <= 0) continue;
    out.push({ name: `${provider}:${m.id}`, provider, label: m.name, inputPerMTok: price.inputPerMTok, outputPerMTok: price.outputPerMTok, source: `${price.source.name}, ${price.source.date}` });
  }
  return out.sort((a, b) => a.inputPerMTok + a.outputPerMTok - (b.inputPerMTok + b.outputPerMTok) || a.name.localeCompare(b.name));
}

/** "$0.75 in / $4.50 out per 1M tokens": prices as the picker's detail line says them. */
export function perMillion(inputPerMTok: number, outputPerMTok: number): string {
  const money = (n: number) => `$${n < 0.1 ? n.toFixed(3).replace(/0$/, '') : n.toFixed(2)}`;
  return `${money(inputPerMTok)} in / ${money(outputPerMTok)} out per 1M tokens`;
}

/** "$0, runs on localhost:11434": the cost line of a local server model. */
export function localCostDetail(baseUrl: string): string {
  return `$0, runs on ${localHostPort(baseUrl)} (${LOCAL_COST_LABEL})`;
}
