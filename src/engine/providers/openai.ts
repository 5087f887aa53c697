/**
 * A client for OpenAI-compatible chat completions (`POST {baseUrl}/chat/completions`):
 * OpenAI itself, and the many servers that speak its wire format (vLLM, llama.cpp,
 * Ollama, LM Studio, OpenRouter). Streaming asks for `stream_options.include_usage`, so the
 * last chunk carries the usage, cached tokens included.
 */
import { garbage, num, parseEventJson, postJson, readJson, readSse, type HttpOptions } from './http';
import { timingFrom, type GenerateRequest, type GenerationResult, type GenerationUsage, type LlmProvider, type StreamChunk } from './types';

export interface OpenAiOptions extends HttpOptions {
  model: string;
  /** Default https://api.openai.com/v1. */
  baseUrl?: string;
  apiKey?: string;
  /** Whether calls cost money (default true; set false for a local OpenAI-compatible server). */
  paid?: boolean;
}

export class OpenAiCompatibleProvider implements LlmProvider {
  readonly kind = 'openai';
  readonly model: string;
  readonly paid: boolean;
  private readonly url: string;
  private readonly label: string;

  constructor(private readonly options: OpenAiOptions) {
    this.model = options.model;
    this.paid = options.paid ?? true;
    this.url = `${(options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/chat/completions`;
    this.label = `OpenAI-compatible ${options.model}`;
  }

  private headers(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }

  private body(request: GenerateRequest, stream: boolean): Record<string, unknown> {
    return {
      model: this.model,
      messages: request.messages,
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.stop && request.stop.length > 0 ? { stop: request.stop } : {}),
      ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
  }

  async generate(request: GenerateRequest): Promise<GenerationResult> {
    const started = performance.now();
    const post = await postJson(this.url, this.body(request, false), this.headers(), { ...this.options, signal: request.signal, label: this.label, secrets: [this.options.apiKey] });
    const json = await readJson(post.response, this.label);
    const ended = performance.now();
    if (typeof json !== 'object' || json === null) throw garbage(this.label, 'the body is not a JSON object');
    const body = json as { choices?: unknown; usage?: unknown; model?: unknown };
    if (!Array.isArray(body.choices) || body.choices.length === 0) throw garbage(this.label, 'no `choices` in the answer');
    const choice = body.choices[0] as { message?: { content?: unknown }; finish_reason?: unknown };
    const content = choice.message?.content;
    if (typeof content !== 'string' && content !== null) throw garbage(this.label, '`choices[0].message.content` is not text');
    return {
      text: content ?? '',
      model: typeof body.model === 'string' ? body.model : this.model,
      usage: openAiUsage(body.usage),
      timing: timingFrom(started, [], ended),
      finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown',
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
    let sawDone = false;
    for await (const event of readSse(post, this.label)) {
      if (event.data === '[DONE]') {
        sawDone = true;
        break;
      }
      if (event.data === '') continue;
      const data = parseEventJson(event, this.label);
      if (data.error) throw garbage(this.label, `the stream reported an error: ${JSON.stringify(data.error).slice(0, 200)}`);
      if (typeof data.model === 'string') model = data.model;
      if (data.usage) usage = openAiUsage(data.usage);
      if (!Array.isArray(data.choices)) throw garbage(this.label, 'a stream chunk has no `choices` array');
      for (const c of data.choices as { delta?: { content?: unknown }; finish_reason?: unknown }[]) {
        const piece = c.delta?.content;
        if (typeof piece === 'string' && piece.length > 0) {
          const at = performance.now();
          chunkTimes.push(at);
          text += piece;
          onChunk?.({ text: piece, atMs: at - started });
        }
        if (typeof c.finish_reason === 'string') finishReason = c.finish_reason;
      }
    }
    if (!sawDone && finishReason === 'unknown') throw garbage(this.label, 'the stream ended before `[DONE]` or a finish reason');
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

function openAiUsage(raw: unknown): GenerationUsage {
  if (typeof raw !== 'object' || raw === null) return { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: 'counted' };
  const u = raw as { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } };
  return { inputTokens: num(u.prompt_tokens), outputTokens: num(u.completion_tokens), cachedInputTokens: num(u.prompt_tokens_details?.cached_tokens), source: 'provider' };
}
