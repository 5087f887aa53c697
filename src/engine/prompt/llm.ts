/**
 * LLM-assisted rewriting behind one interface, with two wire formats: OpenAI-compatible
 * chat completions (OpenAI, Azure-style gateways, vLLM, Ollama, LM Studio...) and
 * Anthropic messages, both through the engine's providers. The API key is sent in a
 * header and never appears in an error message, a log line or a result.
 */
import { EngineError } from '../../protocol/errors';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { pricedAsNote } from '../../shared/cost/sameModel';
import { GENERIC_PREFIX, KNOWN_LOCAL_SERVERS, LOCAL_COST_LABEL, isLocalBaseUrl, localHostPort, parseLocalModelName, type LocalModelRef } from '../../shared/localModels';
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
   * 'vscode': the editor's own model, asked through the extension host (no key, no price);
   * 'local': a model of an OpenAI-compatible server on this machine (no key, $0).
   */
  readonly provider: 'openai' | 'anthropic' | 'vscode' | 'local';
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
    return { inputPerMTok: info.inputPerMTok, outputPerMTok: info.outputPerMTok, note: `${info.pricedAs ? pricedAsNote(model, info.pricedAs) : info.matchedModel} (${info.provider}) from ${info.source.name}, ${info.source.date}` };
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
  abstract readonly provider: 'openai' | 'anthropic' | 'vscode' | 'local';
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

const KNOWN_NAMES = `${KNOWN_LOCAL_SERVERS.map((s) => `${s.id}:MODEL`).join(', ')} or ${GENERIC_PREFIX}http://127.0.0.1:PORT/v1:MODEL`;

/**
 * Where a local model name (`ollama:llama3.2`) runs: its server, base URL (the environment's
 * override, or `baseUrl` when given) and model id. Refuses a name of no known server, and any
 * base URL that is not on this machine: a "local" rewrite never sends the prompt elsewhere.
 */
export function localRewriteTarget(name: string, baseUrl?: string, env: NodeJS.ProcessEnv = process.env): LocalModelRef {
  const ref = parseLocalModelName(name, env);
  if (!ref) throw new EngineError('badRequest', `"${name}" is not a local server model.`, `Write ${KNOWN_NAMES}; \`pepperpy-opt engine models\` lists what runs on this machine.`);
  const url = (baseUrl ?? ref.baseUrl).replace(/\/+$/, '');
  if (!isLocalBaseUrl(url)) {
    throw new EngineError('badRequest', `${url} is not on this machine: a local model's base URL must be http://localhost, 127.0.0.1 or [::1], so the prompt never leaves it.`, ref.server === 'openai-compatible'
      ? `Write the server's localhost URL in the name (${GENERIC_PREFIX}http://127.0.0.1:PORT/v1:MODEL), or use a provider with an API key for a remote server.`
      : `Point ${ref.serverName} at localhost (unset ${ref.server === 'ollama' ? 'OLLAMA_HOST / ' : ''}PEPPERPY_${ref.server.toUpperCase()}_URL or give a localhost URL), or use a provider with an API key for a remote server.`);
  }
  return { ...ref, baseUrl: url };
}

/**
 * A model of an OpenAI-compatible server on this machine (`ollama:llama3.2`): no key, $0.
 * A server that is not running is said as such, with what to do, instead of a bare "fetch failed".
 */
export class LocalServerRewriter extends ProviderRewriter {
  readonly provider = 'local' as const;
  override readonly model: string;
  /** "local, $0: runs on localhost:11434". */
  readonly costNote: string;

  constructor(readonly target: LocalModelRef, options: { timeoutMs?: number; fetch?: typeof fetch } = {}) {
    super(new OpenAiCompatibleProvider({ model: target.model, baseUrl: target.baseUrl, paid: false, retries: 0, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetchImpl: options.fetch } : {}) }));
    this.model = target.server === 'openai-compatible' ? `${GENERIC_PREFIX}${target.baseUrl}:${target.model}` : `${target.server}:${target.model}`;
    this.costNote = `${LOCAL_COST_LABEL}: runs on ${localHostPort(target.baseUrl)}`;
  }

  override async rewrite(request: RewriteRequest): Promise<RewriteResponse> {
    try {
      return await super.rewrite(request);
    } catch (error) {
      if (error instanceof EngineError && error.code === 'engineUnavailable' && /could not connect/.test(error.message)) {
        throw new EngineError('engineUnavailable', `${this.target.serverName} at ${this.target.baseUrl} is not running (nothing answers there).`, `Start it${this.target.server === 'ollama' ? ' (`ollama serve`)' : ''}, or choose another model; \`pepperpy-opt engine models\` lists what runs on this machine.`);
      }
      throw error;
    }
  }
}

/** Builds the rewriter for a provider configuration (`vscode` and `local` need no key). */
export function createRewriter(config: ({ provider: 'openai' | 'anthropic' } & RewriterOptions) | { provider: 'vscode'; model: string; peer?: EditorLmPeer } | { provider: 'local'; model: string; baseUrl?: string; timeoutMs?: number; fetch?: typeof fetch }): LlmRewriter {
  if (config.provider === 'vscode') return new EditorLmRewriter(config.model, config.peer);
  if (config.provider === 'local') return new LocalServerRewriter(localRewriteTarget(config.model, config.baseUrl), { ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}), ...(config.fetch ? { fetch: config.fetch } : {}) });
  return config.provider === 'anthropic' ? new AnthropicRewriter(config) : new OpenAiCompatibleRewriter(config);
}
