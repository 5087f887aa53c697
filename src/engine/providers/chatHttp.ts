/**
 * What the OpenAI-compatible and Anthropic clients share around their two wire formats: the
 * POST with the request's signal, the client's label and key (time-outs, retries and error
 * mapping are http.ts's), a whole answer that must be a JSON object, a streamed answer
 * gathered piece by piece with its timing, and the token counts each API's `usage` reports
 * (the cost monitor reads the same fields from the answers it meters).
 */
import { garbage, postJson, readJson, type HttpOptions, type PostResult } from './http';
import { timingFrom, type GenerateRequest, type GenerationResult, type GenerationUsage, type LlmProvider, type StreamChunk } from './types';

export interface ChatHttpOptions extends HttpOptions {
  model: string;
  apiKey?: string;
}

/** An answer without a usage report: tokens counted here (for a stream, one per text piece). */
export function countedUsage(outputTokens = 0): GenerationUsage {
  return { inputTokens: 0, outputTokens, cachedInputTokens: 0, source: 'counted' };
}

export abstract class ChatHttpProvider implements LlmProvider {
  abstract readonly kind: string;
  abstract readonly paid: boolean;
  readonly model: string;

  protected constructor(
    protected readonly options: ChatHttpOptions,
    private readonly url: string,
    protected readonly label: string,
  ) {
    this.model = options.model;
  }

  protected abstract headers(): Record<string, string>;
  protected abstract body(request: GenerateRequest, stream: boolean): Record<string, unknown>;
  abstract generate(request: GenerateRequest): Promise<GenerationResult>;
  abstract stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult>;

  /** Sends the request; resolves once the answer's headers arrive. */
  protected post(request: GenerateRequest, stream: boolean): Promise<PostResult> {
    return postJson(this.url, this.body(request, stream), this.headers(), { ...this.options, signal: request.signal, label: this.label, secrets: [this.options.apiKey] });
  }

  /** Sends the request and reads the whole answer, which must be a JSON object; `ended` is when it was read. */
  protected async postForObject(request: GenerateRequest): Promise<{ body: Record<string, unknown>; ended: number }> {
    const post = await this.post(request, false);
    const json = await readJson(post.response, this.label);
    const ended = performance.now();
    if (typeof json !== 'object' || json === null) throw garbage(this.label, 'the body is not a JSON object');
    return { body: json as Record<string, unknown>, ended };
  }

  /** A whole (not streamed) answer's result; the answer's own model name wins over the one asked for. */
  protected wholeResult(started: number, ended: number, body: Record<string, unknown>, text: string, usage: GenerationUsage, finishReason: unknown): GenerationResult {
    return {
      text,
      model: typeof body.model === 'string' ? body.model : this.model,
      usage,
      timing: timingFrom(started, [], ended),
      finishReason: typeof finishReason === 'string' ? finishReason : 'unknown',
      streamed: false,
    };
  }
}

/**
 * A streamed answer as it arrives: the text so far, when each piece came (the caller is told
 * of each), and what the events said of the model, the usage and why it stopped.
 */
export class StreamedAnswer {
  readonly started = performance.now();
  private readonly chunkTimes: number[] = [];
  private text = '';
  usage: GenerationUsage | undefined;
  finishReason = 'unknown';

  constructor(
    public model: string,
    private readonly onChunk?: (chunk: StreamChunk) => void,
  ) {}

  add(piece: string): void {
    const at = performance.now();
    this.chunkTimes.push(at);
    this.text += piece;
    this.onChunk?.({ text: piece, atMs: at - this.started });
  }

  /** The result; without a usage report the output is counted as one token a piece. */
  result(): GenerationResult {
    return {
      text: this.text,
      model: this.model,
      usage: this.usage ?? countedUsage(this.chunkTimes.length),
      timing: timingFrom(this.started, this.chunkTimes, performance.now()),
      finishReason: this.finishReason,
      streamed: true,
    };
  }
}

/** A token count as the APIs write it: a finite number, not negative; anything else is no count. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function field(object: unknown, ...path: string[]): unknown {
  let current = object;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** OpenAI chat completions (and embeddings): `prompt_tokens` already includes the cached ones. */
export function openAiChatCounts(usage: unknown): { input?: number; output?: number; cached?: number; reasoning?: number } {
  return {
    input: count(field(usage, 'prompt_tokens')),
    output: count(field(usage, 'completion_tokens')),
    cached: count(field(usage, 'prompt_tokens_details', 'cached_tokens')),
    reasoning: count(field(usage, 'completion_tokens_details', 'reasoning_tokens')),
  };
}

/** Anthropic messages: `input_tokens` leaves out the cache reads and writes, reported beside it. */
export function anthropicCounts(usage: unknown): { input?: number; output?: number; cacheRead?: number; cacheWrite?: number } {
  return {
    input: count(field(usage, 'input_tokens')),
    output: count(field(usage, 'output_tokens')),
    cacheRead: count(field(usage, 'cache_read_input_tokens')),
    cacheWrite: count(field(usage, 'cache_creation_input_tokens')),
  };
}
