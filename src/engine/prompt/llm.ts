/**
 * LLM-assisted rewriting behind one interface, with two wire formats: OpenAI-compatible
 * chat completions (OpenAI, Azure-style gateways, vLLM, Ollama, LM Studio...) and
 * Anthropic messages, both through the engine's providers. The API key is sent in a
 * header and never appears in an error message, a log line or a result.
 */
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { AnthropicProvider } from '../providers/anthropic';
import { OpenAiCompatibleProvider } from '../providers/openai';
import type { LlmProvider } from '../providers/types';
import { EditorLmProvider, type EditorLmPeer } from '../providers/editorLm';

export interface RewriteRequest {
  system: string;
  user: string;
  maxOutputTokens: number;
  signal?: AbortSignal;
}

export interface RewriteResponse {
  text: string;
  usage?: { inputTokens: number; outputTokens: number };
}

export interface LlmRewriter {
  /**
   * 'openai' or 'anthropic': the wire format, and the provider id prices are looked up under;
   * 'vscode': the editor's own model, asked through the extension host (no key, no price).
   */
  readonly provider: 'openai' | 'anthropic' | 'vscode';
  readonly model: string;
  rewrite(request: RewriteRequest): Promise<RewriteResponse>;
}

export interface RewriterOptions {
  model: string;
  apiKey: string;
  baseUrl?: string;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** Prices of a model in USD per million tokens, and where they came from. */
export interface PriceQuote {
  inputPerMTok: number;
  outputPerMTok: number;
  note: string;
}

/** Finds a model's price; undefined when none is known. */
export type PriceLookup = (model: string, provider: string) => Promise<PriceQuote | undefined>;

/** Prices from the engine's catalog (src/shared/cost/pricing.ts, built on @pydantic/genai-prices). */
export const catalogPriceLookup: PriceLookup = async (model, provider) => {
  try {
    const catalog = await sharedPriceCatalog();
    const info = catalog.has(model, provider) ? catalog.lookup(model, { providerId: provider }) : catalog.lookup(model);
    return { inputPerMTok: info.inputPerMTok, outputPerMTok: info.outputPerMTok, note: `${info.matchedModel} (${info.provider}) from ${info.source.name}, ${info.source.date}` };
  } catch {
    return undefined;
  }
};

/**
 * Rewriters are thin adapters over the engine's LLM providers (src/engine/providers/):
 * the same wire formats, time-outs, retries, error messages and key redaction as every
 * other LLM call the engine makes. Only usage the provider reported is passed on.
 */
abstract class ProviderRewriter implements LlmRewriter {
  abstract readonly provider: 'openai' | 'anthropic' | 'vscode';
  readonly model: string;

  protected constructor(private readonly backend: LlmProvider) {
    this.model = backend.model;
  }

  async rewrite(request: RewriteRequest): Promise<RewriteResponse> {
    const result = await this.backend.generate({
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      maxTokens: request.maxOutputTokens,
      temperature: 0,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return result.usage.source === 'provider' ? { text: result.text, usage: { inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens } } : { text: result.text };
  }
}

function httpOptions(options: RewriterOptions): { model: string; apiKey: string; timeoutMs?: number; fetchImpl?: typeof fetch; baseUrl?: string } {
  return {
    model: options.model,
    apiKey: options.apiKey,
    ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.fetch ? { fetchImpl: options.fetch } : {}),
  };
}

export class OpenAiCompatibleRewriter extends ProviderRewriter {
  readonly provider = 'openai' as const;
  constructor(options: RewriterOptions) {
    super(new OpenAiCompatibleProvider(httpOptions(options)));
  }
}

export class AnthropicRewriter extends ProviderRewriter {
  readonly provider = 'anthropic' as const;
  constructor(options: RewriterOptions) {
    super(new AnthropicProvider(httpOptions(options)));
  }
}

/** The editor's model (`vscode:<id>`): usage is the model's own `countTokens`, reported as the provider's. */
export class EditorLmRewriter extends ProviderRewriter {
  readonly provider = 'vscode' as const;
  constructor(model: string, peer?: EditorLmPeer) {
    super(new EditorLmProvider(model, peer));
  }
}

/** Builds the rewriter for a provider configuration (`vscode` needs no key). */
export function createRewriter(config: ({ provider: 'openai' | 'anthropic' } & RewriterOptions) | { provider: 'vscode'; model: string; peer?: EditorLmPeer }): LlmRewriter {
  if (config.provider === 'vscode') return new EditorLmRewriter(config.model, config.peer);
  return config.provider === 'anthropic' ? new AnthropicRewriter(config) : new OpenAiCompatibleRewriter(config);
}
