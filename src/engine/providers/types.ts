/**
 * The interface every LLM client implements: the HTTP clients (OpenAI-compatible,
 * Anthropic) and the local ONNX generator. Usage is captured from the provider's own
 * report when it sends one (input, output and cached tokens), and timing is measured
 * here: time to first token and the gap before each later token of a streamed answer.
 */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A retrieved passage, as a reader sees it. */
export interface ReaderPassage {
  id?: string;
  title?: string;
  text: string;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  /**
   * The question and retrieved passages behind the messages, when a RAG pipeline builds
   * them. The extractive reader answers from these; language models ignore them (the
   * messages already hold the same text).
   */
  context?: { question: string; passages: ReaderPassage[] };
  /** The most tokens to generate. */
  maxTokens?: number;
  /** 0 (or absent) means greedy decoding for the local generator. */
  temperature?: number;
  /** Seed for the local generator's sampler, so sampled runs repeat. */
  seed?: number;
  stop?: string[];
  signal?: AbortSignal;
}

export interface GenerationUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Where the counts come from: the provider's report, or counted here. */
  source: 'provider' | 'counted';
}

export interface GenerationTiming {
  /** Request start to the full answer, in ms. */
  totalMs: number;
  /** Request start to the first generated text, in ms (streamed answers; equals totalMs otherwise). */
  timeToFirstTokenMs: number;
  /** Gaps between successive text chunks after the first, in ms. */
  interTokenMs: number[];
}

export interface GenerationResult {
  text: string;
  /** The model that answered, as the provider names it. */
  model: string;
  usage: GenerationUsage;
  timing: GenerationTiming;
  finishReason: string;
  streamed: boolean;
}

export interface StreamChunk {
  text: string;
  /** ms since the request started. */
  atMs: number;
}

export interface LlmProvider {
  /** `openai`, `anthropic`, `local`, or a test double's name. */
  readonly kind: string;
  readonly model: string;
  /** Whether a call costs money (the benchmarks forecast and confirm paid calls). */
  readonly paid: boolean;
  generate(request: GenerateRequest): Promise<GenerationResult>;
  /** Streams text chunks as they arrive, then resolves with the whole result. */
  stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult>;
  close?(): Promise<void>;
}

/** Builds a timing record from chunk arrival times. */
export function timingFrom(startedAt: number, chunkTimes: number[], endedAt: number): GenerationTiming {
  const totalMs = endedAt - startedAt;
  const first = chunkTimes[0];
  const interTokenMs: number[] = [];
  for (let i = 1; i < chunkTimes.length; i++) interTokenMs.push(chunkTimes[i] - chunkTimes[i - 1]);
  return { totalMs, timeToFirstTokenMs: first === undefined ? totalMs : first - startedAt, interTokenMs };
}
