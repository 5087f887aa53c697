/**
 * `engine/localModels`: the models that OpenAI-compatible servers on this machine (Ollama,
 * LM Studio, the llama.cpp server, vLLM) serve right now, as the names the benchmarks, the
 * pipelines and LLM-mode Optimize take (`ollama:llama3.2`). The engine probes every known
 * port at once with a short time-out and shares one recent detection between callers.
 */
import { z } from 'zod';

export const LocalModelsParamsSchema = z
  .object({
    /** Probe again even when a recent detection exists. */
    refresh: z.boolean().optional(),
    /** Per-server time-out of a new probe, in ms (default 800). */
    timeoutMs: z.number().int().min(50).max(10_000).optional(),
  })
  .strict();
export type LocalModelsParams = z.infer<typeof LocalModelsParamsSchema>;

export interface LocalServerStatus {
  /** `ollama`, `lmstudio`, `llamacpp` or `vllm`. */
  id: string;
  name: string;
  baseUrl: string;
  status: 'up' | 'down' | 'timeout' | 'invalid';
  /** Time the server took to answer GET /models, in ms (measured; absent unless up). */
  latencyMs?: number;
  /** Why the server is not usable. */
  error?: string;
  /** For a server that is up: what its model list had that was left out (unusable ids, past the cap). */
  note?: string;
}

export interface LocalModelEntry {
  /** What the model fields take: `ollama:llama3.2`. */
  name: string;
  /** The server's display name ("Ollama"). */
  server: string;
  baseUrl: string;
  /** The latency of the probe that found it, in ms. */
  latencyMs?: number;
}

export interface LocalModelsResult {
  /** Every model of every server that answered, in server order (Ollama, LM Studio, llama.cpp server, vLLM), then in the server's own order. */
  models: LocalModelEntry[];
  servers: LocalServerStatus[];
  /** What these models cost: LOCAL_COST_LABEL ("local, $0"). */
  cost: string;
}
