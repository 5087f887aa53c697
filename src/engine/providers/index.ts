/** Builds a provider from a spec; API keys are passed in by the caller, never read here. */
import { EngineError } from '../../protocol/errors';
import { AnthropicProvider } from './anthropic';
import { localGeneratorForCorpus } from './local';
import { OpenAiCompatibleProvider } from './openai';
import type { LlmProvider } from './types';

export type { LlmProvider, GenerateRequest, GenerationResult, ChatMessage, StreamChunk } from './types';
export { LocalOnnxGenerator, localGeneratorForCorpus } from './local';
export { OpenAiCompatibleProvider } from './openai';
export { AnthropicProvider } from './anthropic';

export interface ProviderSpec {
  provider: 'local' | 'openai' | 'anthropic';
  model: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs?: number;
  retries?: number;
  /** Text the local model is estimated on (the pipeline's corpus). */
  localCorpus?: string;
}

export function createProvider(spec: ProviderSpec): LlmProvider {
  switch (spec.provider) {
    case 'local':
      if (!spec.localCorpus) throw new EngineError('badRequest', 'The local generator needs a corpus to estimate its model on.', 'Set `corpus` in the pipeline config.');
      return localGeneratorForCorpus(spec.localCorpus);
    case 'openai': {
      const isOpenAi = !spec.baseUrl || /api\.openai\.com/.test(spec.baseUrl);
      if (isOpenAi && !spec.apiKey) throw new EngineError('badRequest', `No API key for ${spec.model} on OpenAI.`, 'Set the key (CLI: OPENAI_API_KEY or the generator\'s api_key_env), or use provider "local".');
      return new OpenAiCompatibleProvider({ model: spec.model, ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}), ...(spec.apiKey ? { apiKey: spec.apiKey } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(spec.retries !== undefined ? { retries: spec.retries } : {}) });
    }
    case 'anthropic':
      if (!spec.apiKey && !spec.baseUrl) throw new EngineError('badRequest', `No API key for ${spec.model} on Anthropic.`, 'Set ANTHROPIC_API_KEY (CLI) or the generator\'s api_key_env, or use provider "local".');
      return new AnthropicProvider({ model: spec.model, ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}), ...(spec.apiKey ? { apiKey: spec.apiKey } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(spec.retries !== undefined ? { retries: spec.retries } : {}) });
  }
}
