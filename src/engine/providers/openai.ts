/**
 * A client for OpenAI-compatible chat completions (`POST {baseUrl}/chat/completions`):
 * OpenAI itself, and the many servers that speak its wire format (vLLM, llama.cpp,
 * Ollama, LM Studio, OpenRouter). Streaming asks for `stream_options.include_usage`, so the
 * last chunk carries the usage, cached tokens included.
 */
import { ChatHttpProvider, countedUsage, openAiChatCounts, StreamedAnswer, type ChatHttpOptions } from './chatHttp';
import { garbage, parseEventJson, readSse } from './http';
import type { GenerateRequest, GenerationResult, GenerationUsage, StreamChunk } from './types';

export interface OpenAiOptions extends ChatHttpOptions {
  /** Default https://api.openai.com/v1. */
  baseUrl?: string;
  /** Whether calls cost money (default true; set false for a local OpenAI-compatible server). */
  paid?: boolean;
}

export class OpenAiCompatibleProvider extends ChatHttpProvider {
  readonly kind = 'openai';
  readonly paid: boolean;

  constructor(options: OpenAiOptions) {
    super(options, `${(options.baseUrl ?? 'https://api.openai.com/v1').replace(/\/+$/, '')}/chat/completions`, `OpenAI-compatible ${options.model}`);
    this.paid = options.paid ?? true;
  }

  protected headers(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }

  protected body(request: GenerateRequest, stream: boolean): Record<string, unknown> {
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
    const { body, ended } = await this.postForObject(request);
    if (!Array.isArray(body.choices) || body.choices.length === 0) throw garbage(this.label, 'no `choices` in the answer');
    const choice = body.choices[0] as { message?: { content?: unknown }; finish_reason?: unknown };
    const content = choice.message?.content;
    if (typeof content !== 'string' && content !== null) throw garbage(this.label, '`choices[0].message.content` is not text');
    return this.wholeResult(started, ended, body, content ?? '', openAiUsage(body.usage), choice.finish_reason);
  }

  async stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const answer = new StreamedAnswer(this.model, onChunk);
    const post = await this.post(request, true);
    let sawDone = false;
    for await (const event of readSse(post, this.label)) {
      if (event.data === '[DONE]') {
        sawDone = true;
        break;
      }
      if (event.data === '') continue;
      const data = parseEventJson(event, this.label);
      if (data.error) throw garbage(this.label, `the stream reported an error: ${JSON.stringify(data.error).slice(0, 200)}`);
      if (typeof data.model === 'string') answer.model = data.model;
      if (data.usage) answer.usage = openAiUsage(data.usage);
      if (!Array.isArray(data.choices)) throw garbage(this.label, 'a stream chunk has no `choices` array');
      for (const c of data.choices as { delta?: { content?: unknown }; finish_reason?: unknown }[]) {
        const piece = c.delta?.content;
        if (typeof piece === 'string' && piece.length > 0) answer.add(piece);
        if (typeof c.finish_reason === 'string') answer.finishReason = c.finish_reason;
      }
    }
    if (!sawDone && answer.finishReason === 'unknown') throw garbage(this.label, 'the stream ended before `[DONE]` or a finish reason');
    return answer.result();
  }
}

function openAiUsage(raw: unknown): GenerationUsage {
  if (typeof raw !== 'object' || raw === null) return countedUsage();
  const c = openAiChatCounts(raw);
  return { inputTokens: c.input ?? 0, outputTokens: c.output ?? 0, cachedInputTokens: c.cached ?? 0, source: 'provider' };
}
