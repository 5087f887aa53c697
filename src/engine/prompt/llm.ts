/**
 * LLM-assisted rewriting behind one interface, with two wire formats: OpenAI-compatible
 * chat completions (OpenAI, Azure-style gateways, vLLM, Ollama, LM Studio...) and
 * Anthropic messages. Both go over `fetch`. The API key is sent in a header and never
 * appears in an error message, a log line or a result.
 */
import { EngineError } from '../../protocol/errors';
import { sharedPriceCatalog } from '../cost/pricing';

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
  /** 'openai' or 'anthropic': the wire format, and the provider id prices are looked up under. */
  readonly provider: 'openai' | 'anthropic';
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

/** Prices from the engine's catalog (src/engine/cost/pricing.ts, built on @pydantic/genai-prices). */
export const catalogPriceLookup: PriceLookup = async (model, provider) => {
  try {
    const catalog = await sharedPriceCatalog();
    const info = catalog.has(model, provider) ? catalog.lookup(model, { providerId: provider }) : catalog.lookup(model);
    return { inputPerMTok: info.inputPerMTok, outputPerMTok: info.outputPerMTok, note: `${info.matchedModel} (${info.provider}) from ${info.source.name}, ${info.source.date}` };
  } catch {
    return undefined;
  }
};

const DEFAULT_TIMEOUT_MS = 60_000;

function withTimeout(signal: AbortSignal | undefined, timeoutMs: number): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

async function postJson(fetchImpl: typeof fetch, url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal, provider: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    const reason = timedOut ? 'timed out' : error instanceof Error ? error.message : String(error);
    throw new EngineError(timedOut ? 'timeout' : 'internal', `The ${provider} request to ${url} failed: ${reason}.`, 'Check the base URL and the network, or try again.');
  }
  const raw = await response.text();
  if (!response.ok) {
    // Provider error bodies never echo the key; trim them so a huge HTML page stays out of the logs.
    const detail = raw.slice(0, 300).replace(/\s+/g, ' ');
    const hint = response.status === 401 || response.status === 403 ? 'Check the API key for this provider.' : response.status === 429 ? 'The provider is rate-limiting: wait and retry.' : 'See the provider status or the model name.';
    const code = response.status === 404 ? 'notFound' : response.status >= 400 && response.status < 500 && response.status !== 429 ? 'badRequest' : 'internal';
    throw new EngineError(code, `The ${provider} API answered HTTP ${response.status}: ${detail}`, hint);
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new EngineError('unsupported', `The ${provider} API answered with something that is not JSON.`, 'Check that the base URL points at the API, not a web page.');
  }
}

export class OpenAiCompatibleRewriter implements LlmRewriter {
  readonly provider = 'openai' as const;
  readonly model: string;
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: RewriterOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async rewrite(request: RewriteRequest): Promise<RewriteResponse> {
    const body = {
      model: this.model,
      messages: [
        { role: 'system', content: request.system },
        { role: 'user', content: request.user },
      ],
      max_tokens: request.maxOutputTokens,
      temperature: 0,
    };
    const json = (await postJson(this.fetchImpl, `${this.baseUrl}/chat/completions`, { authorization: `Bearer ${this.apiKey}` }, body, withTimeout(request.signal, this.timeoutMs), 'OpenAI-compatible')) as {
      choices?: Array<{ message?: { content?: unknown } }>;
      usage?: { prompt_tokens?: number; completion_tokens?: number };
    };
    const content = json.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new EngineError('unsupported', 'The OpenAI-compatible API answered without choices[0].message.content.', 'Check that the server speaks the chat-completions format.');
    const usage = json.usage && typeof json.usage.prompt_tokens === 'number' && typeof json.usage.completion_tokens === 'number' ? { inputTokens: json.usage.prompt_tokens, outputTokens: json.usage.completion_tokens } : undefined;
    return usage ? { text: content, usage } : { text: content };
  }
}

export class AnthropicRewriter implements LlmRewriter {
  readonly provider = 'anthropic' as const;
  readonly model: string;
  private readonly apiKey: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: RewriterOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async rewrite(request: RewriteRequest): Promise<RewriteResponse> {
    const body = { model: this.model, max_tokens: request.maxOutputTokens, temperature: 0, system: request.system, messages: [{ role: 'user', content: request.user }] };
    const json = (await postJson(this.fetchImpl, `${this.baseUrl}/v1/messages`, { 'x-api-key': this.apiKey, 'anthropic-version': '2023-06-01' }, body, withTimeout(request.signal, this.timeoutMs), 'Anthropic')) as {
      content?: Array<{ type?: string; text?: unknown }>;
      usage?: { input_tokens?: number; output_tokens?: number };
    };
    const text = (json.content ?? []).filter((c) => c.type === 'text' && typeof c.text === 'string').map((c) => c.text as string).join('');
    if (!json.content) throw new EngineError('unsupported', 'The Anthropic API answered without content.', 'Check the model name and the base URL.');
    const usage = json.usage && typeof json.usage.input_tokens === 'number' && typeof json.usage.output_tokens === 'number' ? { inputTokens: json.usage.input_tokens, outputTokens: json.usage.output_tokens } : undefined;
    return usage ? { text, usage } : { text };
  }
}

/** Builds the rewriter for a provider configuration. */
export function createRewriter(config: { provider: 'openai' | 'anthropic' } & RewriterOptions): LlmRewriter {
  return config.provider === 'anthropic' ? new AnthropicRewriter(config) : new OpenAiCompatibleRewriter(config);
}
