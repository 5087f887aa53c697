/** Builds a provider from a spec; API keys are passed in by the caller, never read here. */
import { EngineError } from '../../protocol/errors';
import { AnthropicProvider } from './anthropic';
import { ExtractiveReader } from './extractiveReader';
import { localGeneratorForCorpus } from './local';
import { GENERIC_PREFIX, isLocalBaseUrl, parseLocalModelName } from '../../shared/localModels';
import { OpenAiCompatibleProvider } from './openai';
import { EditorLmProvider } from './editorLm';
import type { LlmProvider } from './types';

export type { LlmProvider, GenerateRequest, GenerationResult, ChatMessage, StreamChunk } from './types';
export { LocalOnnxGenerator, localGeneratorForCorpus } from './local';
export { ExtractiveReader, EXTRACTIVE_READER, READER_DESCRIPTION } from './extractiveReader';
export { OpenAiCompatibleProvider } from './openai';
export { AnthropicProvider } from './anthropic';
export { EditorLmProvider, setEditorLmPeer, editorLmPeer, requireEditorLmPeer, type EditorLmPeer } from './editorLm';
export { detectLocalServers, sharedLocalServerDetection, localModelNames, type LocalServerProbe } from './localServers';
export { parseLocalModelName, isLocalModelName, KNOWN_LOCAL_SERVERS, LOCAL_COST_LABEL, type LocalModelRef } from '../../shared/localModels';

/** The model name that selects the word-bigram ONNX model instead of the extractive reader. */
export const LOCAL_BIGRAM = 'local-bigram';

export interface ProviderSpec {
  /** `vscode`: the editor's own model `model` (an id or vendor/family), through the extension host. */
  provider: 'local' | 'openai' | 'anthropic' | 'vscode';
  model: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs?: number;
  retries?: number;
  /** Text the bigram model is estimated on (only for `local` with model `local-bigram`). */
  localCorpus?: string;
  /** Whether calls cost money (default true for the HTTP providers; false for a server on this machine). */
  paid?: boolean;
}

/**
 * A provider for a local server's model name (`ollama:llama3.2`, `lmstudio:ID`,
 * `llamacpp:ID`, `vllm:ID`, `openai-compatible@http://HOST:PORT/v1:MODEL`), or undefined
 * when the name is not one. Local calls are free (paid: false) and need no key.
 */
export function localServerProvider(name: string, options: { timeoutMs?: number; retries?: number; apiKey?: string } = {}): LlmProvider | undefined {
  const ref = parseLocalModelName(name);
  if (!ref) return undefined;
  // A known server's name (ollama:M) means this machine: the picker lists it from 127.0.0.1 and
  // prices it "runs on localhost", so an environment override naming another host is refused
  // here as it is by detection and the prompt rewrite. A remote server is written out in full.
  if (ref.server !== 'openai-compatible' && !isLocalBaseUrl(ref.baseUrl)) {
    const vars = ref.server === 'ollama' ? 'OLLAMA_HOST / PEPPERPY_OLLAMA_URL are used only when they point' : `PEPPERPY_${ref.server.toUpperCase()}_URL is used only when it points`;
    throw new EngineError('badRequest', `${name.trim()} would go to ${ref.baseUrl}, which is not on this machine: ${vars} at localhost, 127.0.0.1 or [::1].`, `Unset them, or name the remote server explicitly: ${GENERIC_PREFIX}${ref.baseUrl}:${ref.model}.`);
  }
  return new OpenAiCompatibleProvider({ model: ref.model, baseUrl: ref.baseUrl, paid: false, ...(options.apiKey ? { apiKey: options.apiKey } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.retries !== undefined ? { retries: options.retries } : {}) });
}

export function createProvider(spec: ProviderSpec): LlmProvider {
  switch (spec.provider) {
    case 'local':
      // The embedded default is the extractive reader; the word-bigram ONNX model is kept
      // for decoding-latency runs (`local:bigram`), where a token-by-token decoder is the point.
      if (spec.model !== LOCAL_BIGRAM) return new ExtractiveReader();
      if (!spec.localCorpus) throw new EngineError('badRequest', 'The local bigram model needs a corpus to estimate its model on.', 'Set `corpus` in the pipeline config.');
      return localGeneratorForCorpus(spec.localCorpus);
    case 'openai': {
      const isOpenAi = !spec.baseUrl || /api\.openai\.com/.test(spec.baseUrl);
      if (isOpenAi && !spec.apiKey) throw new EngineError('badRequest', `No API key for ${spec.model} on OpenAI.`, 'Set the key (CLI: OPENAI_API_KEY or the generator\'s api_key_env), or use provider "local".');
      return new OpenAiCompatibleProvider({ model: spec.model, ...(spec.paid !== undefined ? { paid: spec.paid } : {}), ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}), ...(spec.apiKey ? { apiKey: spec.apiKey } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(spec.retries !== undefined ? { retries: spec.retries } : {}) });
    }
    case 'vscode':
      return new EditorLmProvider(spec.model);
    case 'anthropic':
      if (!spec.apiKey && !spec.baseUrl) throw new EngineError('badRequest', `No API key for ${spec.model} on Anthropic.`, 'Set ANTHROPIC_API_KEY (CLI) or the generator\'s api_key_env, or use provider "local".');
      return new AnthropicProvider({ model: spec.model, ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}), ...(spec.apiKey ? { apiKey: spec.apiKey } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(spec.retries !== undefined ? { retries: spec.retries } : {}) });
  }
}
