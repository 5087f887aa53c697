/**
 * Reading token usage out of the answers of the OpenAI-compatible and Anthropic APIs, whole
 * (JSON bodies) or as they stream (server-sent events). Input counts are always totals,
 * cached tokens included, whatever the wire format says: Anthropic reports cache reads and
 * writes apart from `input_tokens`, OpenAI includes them in `prompt_tokens`.
 */
import type { LedgerEntry } from '../../protocol/cost';
import { anthropicCounts, openAiChatCounts } from '../providers/chatHttp';
import type { RawSseEvent } from '../providers/sse';

// The monitor and its tests split the streams it meters with the clients' splitter.
export { SseSplitter, type RawSseEvent as SseEvent } from '../providers/sse';

/** The APIs the proxy meters (a ledger line may also record a refused request). */
export type ApiKind = Exclude<LedgerEntry['api'], 'proxy.refused' | 'proxy.unmetered'>;

export interface ParsedUsage {
  model?: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression: Number.isFinite is false for every non-number (it does not coerce), so the typeof test is redundant
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function nested(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** OpenAI chat completions and embeddings: `usage.prompt_tokens` / `completion_tokens`. */
function fromOpenAiChatUsage(usage: unknown): ParsedUsage | undefined {
  const c = openAiChatCounts(usage);
  if (c.input === undefined) return undefined;
  return { inputTokens: c.input, outputTokens: c.output ?? 0, cachedInputTokens: c.cached ?? 0, cacheWriteTokens: 0, reasoningTokens: c.reasoning ?? 0 };
}

/** OpenAI responses: `usage.input_tokens` / `output_tokens` with details. */
function fromResponsesUsage(usage: unknown): ParsedUsage | undefined {
  const input = count(nested(usage, 'input_tokens'));
  const output = count(nested(usage, 'output_tokens'));
  if (input === undefined || output === undefined) return undefined;
  return {
    inputTokens: input,
    outputTokens: output,
    cachedInputTokens: count(nested(usage, 'input_tokens_details', 'cached_tokens')) ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: count(nested(usage, 'output_tokens_details', 'reasoning_tokens')) ?? 0,
  };
}

/** Anthropic messages: input_tokens excludes the cache reads and writes, which are added back here. */
function fromAnthropicUsage(usage: unknown): ParsedUsage | undefined {
  const c = anthropicCounts(usage);
  if (c.input === undefined) return undefined;
  const read = c.cacheRead ?? 0;
  const write = c.cacheWrite ?? 0;
  return { inputTokens: c.input + read + write, outputTokens: c.output ?? 0, cachedInputTokens: read, cacheWriteTokens: write, reasoningTokens: 0 };
}

/** Usage in a complete JSON answer; undefined when the body has none or is not JSON. */
export function usageFromBody(api: ApiKind, body: unknown): ParsedUsage | undefined {
  if (!isObject(body)) return undefined;
  const usage =
    api === 'openai.responses' ? fromResponsesUsage(body.usage) : api === 'anthropic.messages' ? fromAnthropicUsage(body.usage) : fromOpenAiChatUsage(body.usage);
  if (usage && typeof body.model === 'string') usage.model = body.model;
  return usage;
}

/** Follows a streamed answer's events and keeps the usage it reports. */
export class StreamUsageTracker {
  private usage: ParsedUsage | undefined;
  private model: string | undefined;
  /** Events whose data was not valid JSON (besides `[DONE]`). */
  malformedEvents = 0;

  constructor(private readonly api: ApiKind) {}

  /** Returns true when the event is OpenAI's usage-only final chunk (choices empty, usage set). */
  observe(event: RawSseEvent): boolean {
    if (event.data === '' || event.data === '[DONE]') return false;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      this.malformedEvents++;
      return false;
    }
    if (!isObject(data)) return false;
    switch (this.api) {
      case 'openai.chat':
      case 'openai.embeddings': {
        if (typeof data.model === 'string') this.model = data.model;
        const usage = fromOpenAiChatUsage(data.usage);
        if (usage) {
          this.usage = usage;
          return Array.isArray(data.choices) && data.choices.length === 0;
        }
        return false;
      }
      case 'openai.responses': {
        const response = data.response;
        if (isObject(response) && typeof response.model === 'string') this.model = response.model;
        const usage = isObject(response) ? fromResponsesUsage(response.usage) : undefined;
        if (usage) this.usage = usage;
        return false;
      }
      case 'anthropic.messages': {
        if (data.type === 'message_start') {
          const message = data.message;
          if (isObject(message) && typeof message.model === 'string') this.model = message.model;
          const usage = isObject(message) ? fromAnthropicUsage(message.usage) : undefined;
          if (usage) this.usage = usage;
        } else if (data.type === 'message_delta' && isObject(data.usage)) {
          // message_delta carries cumulative output tokens (and, on newer API versions, updated input counts).
          const output = count(data.usage.output_tokens);
          const current = this.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
          const updatedInput = fromAnthropicUsage(data.usage);
          this.usage = { ...current, ...(updatedInput && updatedInput.inputTokens > 0 ? { inputTokens: updatedInput.inputTokens, cachedInputTokens: updatedInput.cachedInputTokens, cacheWriteTokens: updatedInput.cacheWriteTokens } : {}), ...(output !== undefined ? { outputTokens: output } : {}) };
        }
        return false;
      }
    }
  }

  result(): ParsedUsage | undefined {
    if (!this.usage) return undefined;
    return { ...this.usage, ...(this.model ? { model: this.model } : {}) };
  }
}
