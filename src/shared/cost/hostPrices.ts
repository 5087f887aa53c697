/**
 * The price of a model at the host the code sends it to (`PromptLocation.provider`): AWS Bedrock's price for
 * `us.anthropic.claude-…`, Groq's for `openai/gpt-oss-120b`, $0 for a model on a local Ollama server. A host the
 * price data (genai-prices) has no price of that model for is said to have none: never the vendor's own list price
 * in its place (a Bedrock call was priced at Anthropic's rate, an Ollama model had "no price" as if it were a paid API).
 */
import { isHostId, providerLabel } from '../prompt/scanner/providers';

/** genai-prices' provider id for each host and serving provider that has its own price list. */
const CATALOG_HOST: Readonly<Record<string, string>> = {
  bedrock: 'aws',
  vertex: 'google',
  azure: 'azure',
  groq: 'groq',
  together: 'together',
};

/** A route prefix the code writes itself (`bedrock/…`, `ollama_chat/…`, `azure/…`, `groq/…`): it decides the price as written. */
const OWN_ROUTE = /^(?:openai|anthropic|google|google_genai|google-genai|gemini|vertex_ai|mistral|mistralai|cohere|cohere_chat|deepseek|xai|x-ai|groq|together|together_ai|togetherai|openrouter|azure|azure_openai|azure_ai|fireworks_ai|fireworks|google_vertexai|google_anthropic_vertex|perplexity|ollama|ollama_chat|bedrock|bedrock_converse|aws)[/:]/i;

export type HostPricing =
  /** Price `name` (a catalog name such as `aws:us.anthropic.claude-…`, or `ollama:qwen3`, a local model at $0); `host` is the host's name for people. */
  | { name: string; host: string; local?: true }
  /** The price data has no list for this host at all (LiveKit Inference). */
  | { error: string; host: string };

/**
 * How to price `model` sent to `provider`, when that is a host with its own price (or none); undefined when the
 * vendor's own list applies (an OpenAI call, a model whose route prefix names where it goes, no provider known).
 */
export function hostPricing(model: string, provider: string | undefined): HostPricing | undefined {
  if (!provider) return undefined;
  const host = providerLabel(provider);
  // Groq and Together serve open-weights ids written `org/model` (`openai/gpt-oss-120b`, `Qwen/Qwen2.5-72B-Instruct-Turbo`):
  // the `org/` is the checkpoint's, not a route, and the price is the host's.
  if (provider === 'groq' || provider === 'together') return { name: `${CATALOG_HOST[provider]}:${model.trim().replace(/^(?:groq|together|together_ai|togetherai)[/:]/i, '')}`, host };
  // LiveKit Inference names its models `vendor/model` (`google/gemma-…`): its own catalogue, not a route to the vendor.
  if (isHostId(provider) && provider !== 'ollama' && CATALOG_HOST[provider] === undefined) return { error: hostMissing(model, host), host };
  // Any model an Ollama server serves runs on it (LiteLLM's `ollama_chat/…` route included): $0 per token.
  if (provider === 'ollama') return { name: `ollama:${model.trim().replace(/^ollama(?:_chat)?[/:]/i, '')}`, host, local: true };
  if (OWN_ROUTE.test(model.trim())) return undefined;
  const catalogId = CATALOG_HOST[provider];
  return catalogId ? { name: `${catalogId}:${model.trim()}`, host } : undefined;
}

/** "No price for X at Groq: …": the host's price for the model is not in the price data. */
export function hostMissing(model: string, host: string): string {
  return `No price for ${model} at ${host}: the price data (genai-prices) does not list ${host}'s price for it, and another provider's price would not be what ${host} charges. Add a price override for it.`;
}
