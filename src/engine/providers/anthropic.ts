/**
 * A client for Anthropic's Messages API (`POST {baseUrl}/v1/messages`). Streaming follows
 * its SSE events: `message_start` (input and cache usage), `content_block_delta` (text),
 * `message_delta` (stop reason and cumulative output tokens), `message_stop`, `error`.
 */
import { EngineError } from '../../protocol/errors';
import { garbage, num, parseEventJson, postJson, readJson, readSse, type HttpOptions } from './http';
import { timingFrom, type GenerateRequest, type GenerationResult, type GenerationUsage, type LlmProvider, type StreamChunk } from './types';

export interface AnthropicOptions extends HttpOptions {
  model: string;
  /** Default https://api.anthropic.com. */
  baseUrl?: string;
  apiKey?: string;
  /** Default 2023-06-01. */
  apiVersion?: string;
}

export class AnthropicProvider implements LlmProvider {
  readonly kind = 'anthropic';
  readonly model: string;
  readonly paid = true;
  private readonly url: string;
  private readonly label: string;

  constructor(private readonly options: AnthropicOptions) {
    this.model = options.model;
    this.url = `${(options.baseUrl ?? 'https://api.anthropic.com').replace(/\/+$/, '')}/v1/messages`;
    this.label = `Anthropic ${options.model}`;
  }

  private headers(): Record<string, string> {
    return { 'anthropic-version': this.options.apiVersion ?? '2023-06-01', ...(this.options.apiKey ? { 'x-api-key': this.options.apiKey } : {}) };
  }

  private body(request: GenerateRequest, stream: boolean): Record<string, unknown> {
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
    const post = await postJson(this.url, this.body(request, false), this.headers(), { ...this.options, signal: request.signal, label: this.label, secrets: [this.options.apiKey] });
    const json = await readJson(post.response, this.label);
    const ended = performance.now();
    if (typeof json !== 'object' || json === null) throw garbage(this.label, 'the body is not a JSON object');
    const body = json as { content?: unknown; usage?: unknown; model?: unknown; stop_reason?: unknown };
    if (!Array.isArray(body.content)) throw garbage(this.label, 'no `content` array in the answer');
    const text = (body.content as { type?: unknown; text?: unknown }[]).filter((b) => b.type === 'text' && typeof b.text === 'string').map((b) => b.text as string).join('');
    return {
      text,
      model: typeof body.model === 'string' ? body.model : this.model,
      usage: anthropicUsage(body.usage),
      timing: timingFrom(started, [], ended),
      finishReason: typeof body.stop_reason === 'string' ? body.stop_reason : 'unknown',
      streamed: false,
    };
  }

  async stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const started = performance.now();
    const post = await postJson(this.url, this.body(request, true), this.headers(), { ...this.options, signal: request.signal, label: this.label, secrets: [this.options.apiKey] });
    const chunkTimes: number[] = [];
    let text = '';
    let model = this.model;
    let usage: GenerationUsage | undefined;
    let finishReason = 'unknown';
    let stopped = false;
    for await (const event of readSse(post, this.label)) {
      if (event.data === '') continue;
      const data = parseEventJson(event, this.label);
      switch (data.type) {
        case 'message_start': {
          const message = data.message as { model?: unknown; usage?: unknown } | undefined;
          if (typeof message?.model === 'string') model = message.model;
          usage = anthropicUsage(message?.usage);
          break;
        }
        case 'content_block_delta': {
          const delta = data.delta as { type?: unknown; text?: unknown } | undefined;
          if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text.length > 0) {
            const at = performance.now();
            chunkTimes.push(at);
            text += delta.text;
            onChunk?.({ text: delta.text, atMs: at - started });
          }
          break;
        }
        case 'message_delta': {
          const delta = data.delta as { stop_reason?: unknown } | undefined;
          if (typeof delta?.stop_reason === 'string') finishReason = delta.stop_reason;
          const u = data.usage as { output_tokens?: unknown; input_tokens?: unknown } | undefined;
          if (u) {
            usage = { ...(usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: 'provider' as const }), outputTokens: num(u.output_tokens) };
            if (u.input_tokens !== undefined && usage.inputTokens === 0) usage.inputTokens = num(u.input_tokens);
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
    return {
      text,
      model,
      usage: usage ?? { inputTokens: 0, outputTokens: chunkTimes.length, cachedInputTokens: 0, source: 'counted' },
      timing: timingFrom(started, chunkTimes, performance.now()),
      finishReason,
      streamed: true,
    };
  }
}

/** Anthropic reports cache reads and writes apart from `input_tokens`; input here counts them all. */
function anthropicUsage(raw: unknown): GenerationUsage {
  if (typeof raw !== 'object' || raw === null) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: 'counted' };
  const u = raw as { input_tokens?: unknown; output_tokens?: unknown; cache_read_input_tokens?: unknown; cache_creation_input_tokens?: unknown };
  const cached = num(u.cache_read_input_tokens);
  return { inputTokens: num(u.input_tokens) + cached + num(u.cache_creation_input_tokens), outputTokens: num(u.output_tokens), cachedInputTokens: cached, source: 'provider' };
}
