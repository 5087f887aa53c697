/**
 * A client for Anthropic's Messages API (`POST {baseUrl}/v1/messages`). Streaming follows
 * its SSE events: `message_start` (input and cache usage), `content_block_delta` (text),
 * `message_delta` (stop reason and cumulative output tokens), `message_stop`, `error`.
 */
import { EngineError } from '../../protocol/errors';
import { anthropicCounts, ChatHttpProvider, countedUsage, StreamedAnswer, type ChatHttpOptions } from './chatHttp';
import { garbage, parseEventJson, readSse } from './http';
import type { GenerateRequest, GenerationResult, GenerationUsage, StreamChunk } from './types';

export interface AnthropicOptions extends ChatHttpOptions {
  /** Default https://api.anthropic.com. */
  baseUrl?: string;
  /** Default 2023-06-01. */
  apiVersion?: string;
}

export class AnthropicProvider extends ChatHttpProvider {
  readonly kind = 'anthropic';
  readonly paid = true;
  private readonly apiVersion: string;

  constructor(options: AnthropicOptions) {
    super(options, `${(options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '')}/v1/messages`, `Anthropic ${options.model}`);
    this.apiVersion = options.apiVersion ?? '2023-06-01';
  }

  protected headers(): Record<string, string> {
    return { 'anthropic-version': this.apiVersion, ...(this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {}) };
  }

  protected body(request: GenerateRequest, stream: boolean): Record<string, unknown> {
    const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
    return {
      model: this.model,
      max_tokens: request.maxTokens ?? 1024,
      messages: request.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role, content: m.content })),
      ...(system ? { system } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.stop && request.stop.length > 0 ? { stop_sequences: request.stop } : {}),
      ...(stream ? { stream: true } : {}),
    };
  }

  async generate(request: GenerateRequest): Promise<GenerationResult> {
    const started = performance.now();
    const { body, ended } = await this.postForObject(request);
    if (!Array.isArray(body.content)) throw garbage(this.label, 'no `content` array in the answer');
    const text = (body.content as { type?: unknown; text?: unknown }[]).filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('');
    return this.wholeResult(started, ended, body, text, anthropicUsage(body.usage), body.stop_reason);
  }

  async stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const answer = new StreamedAnswer(this.model, onChunk);
    const post = await this.post(request, true);
    let stopped = false;
    for await (const event of readSse(post, this.label)) {
      if (event.data === '') continue;
      const data = parseEventJson(event, this.label);
      switch (data.type) {
        case 'message_start': {
          const message = data.message as { model?: unknown; usage?: unknown } | undefined;
          if (typeof message?.model === 'string') answer.model = message.model;
          answer.usage = anthropicUsage(message?.usage);
          break;
        }
        case 'content_block_delta': {
          const delta = data.delta as { type?: unknown; text?: unknown } | undefined;
          if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text.length > 0) answer.add(delta.text);
          break;
        }
        case 'message_delta': {
          const delta = data.delta as { stop_reason?: unknown } | undefined;
          if (typeof delta?.stop_reason === 'string') answer.finishReason = delta.stop_reason;
          if (data.usage) {
            // Cumulative output tokens; newer API versions also repeat the input count.
            const c = anthropicCounts(data.usage);
            const usage = { ...(answer.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: 'provider' as const }), outputTokens: c.output ?? 0 };
            if (c.input !== undefined && usage.inputTokens === 0) usage.inputTokens = c.input;
            answer.usage = usage;
          }
          break;
        }
        case 'message_stop':
          stopped = true;
          break;
        case 'error': {
          const error = data.error as { type?: unknown; message?: unknown } | undefined;
          throw new EngineError(error?.type === 'overloaded_error' ? 'engineUnavailable' : 'badRequest', `${this.label}: the stream reported ${typeof error?.type === 'string' ? error.type : 'an error'}: ${typeof error?.message === 'string' ? error.message : ''}.`, 'Retry later, or check the request.');
        }
        default:
          break; // ping, content_block_start/stop and future event types.
      }
      if (stopped) break;
    }
    if (!stopped) throw garbage(this.label, 'the stream ended without `message_stop`');
    return answer.result();
  }
}

/** Anthropic reports cache reads and writes apart from `input_tokens`; input here counts them all. */
function anthropicUsage(raw: unknown): GenerationUsage {
  if (typeof raw !== 'object' || raw === null) return countedUsage();
  const c = anthropicCounts(raw);
  const cached = c.cacheRead ?? 0;
  return { inputTokens: (c.input ?? 0) + cached + (c.cacheWrite ?? 0), outputTokens: c.output ?? 0, cachedInputTokens: cached, source: 'provider' };
}
