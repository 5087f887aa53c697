/**
 * Providers and model names, without a syntax tree: the provider of an LLM call, an import or
 * a model name (`providerOfCallee`, `providerOfImports`, `providerOfModelName`, and
 * `promptProvider`, which weighs them for a prompt), each provider's default model, the catalog
 * name a model is priced under (`pricingName`), and quoted model names in a document
 * (`modelMentions`). models.ts resolves the model a prompt in code is sent to.
 */
export type ProviderId = 'openai' | 'anthropic' | 'google' | 'mistral' | 'cohere' | 'deepseek' | 'xai' | 'groq' | 'together';

export const PROVIDER_LABELS: Readonly<Record<ProviderId, string>> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google',
  mistral: 'Mistral',
  cohere: 'Cohere',
  deepseek: 'DeepSeek',
  xai: 'xAI',
  groq: 'Groq',
  together: 'Together AI',
};

/**
 * The default of `pepperpy.defaultModels` (package.json repeats it; a unit test checks
 * that the two agree and that the price catalog resolves every name to its provider).
 */
export const DEFAULT_PROVIDER_MODELS: Readonly<Record<ProviderId, string>> = {
  openai: 'gpt-5.4',
  anthropic: 'claude-sonnet-4-5',
  google: 'gemini-2.5-flash',
  mistral: 'mistral-large-latest',
  cohere: 'command-a',
  deepseek: 'deepseek-chat',
  xai: 'grok-4',
  groq: 'llama-3.3-70b-versatile',
  together: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
};

export function isProviderId(value: string): value is ProviderId {
  return Object.prototype.hasOwnProperty.call(PROVIDER_LABELS, value);
}

/**
 * Hosts that serve models of vendors under the vendors' own names (`us.anthropic.claude-…` on AWS Bedrock, Gemini on
 * Vertex AI, an OpenAI deployment on Azure, LiveKit Inference's `google/gemma-…`), or a local copy of the weights
 * (Ollama). The request goes to the host, at the host's price (or none, for a local model): not the vendor's.
 * They have no default model (`pepperpy.defaultModels` lists vendors).
 */
export type HostId = 'bedrock' | 'vertex' | 'azure' | 'ollama' | 'livekit';

export const HOST_LABELS: Readonly<Record<HostId, string>> = {
  bedrock: 'AWS Bedrock',
  vertex: 'Google Vertex AI',
  azure: 'Azure OpenAI',
  ollama: 'Ollama',
  livekit: 'LiveKit Inference',
};

export function isHostId(value: string): value is HostId {
  return Object.prototype.hasOwnProperty.call(HOST_LABELS, value);
}

/** A provider's or host's name for people (`AWS Bedrock`); an unknown id as it is. */
export function providerLabel(provider: string): string {
  return isProviderId(provider) ? PROVIDER_LABELS[provider] : isHostId(provider) ? HOST_LABELS[provider] : provider;
}

/** Model classes and clients whose name tells the host (checked before the vendors' classes: `AnthropicBedrock` is Bedrock's). */
const CALLEE_HOSTS: Array<[RegExp, HostId]> = [
  [/(^|\.)(ChatBedrock|ChatBedrockConverse|BedrockChat|BedrockLLM|BedrockConverse|BedrockModel|AwsBedrock|AnthropicBedrock|AsyncAnthropicBedrock|createAmazonBedrock)$|(^|\.)(converse|converse_stream|invoke_model|invoke_model_with_response_stream)$|^bedrock$/, 'bedrock'],
  [/(^|\.)(ChatVertexAI|VertexAI|AnthropicVertex|AsyncAnthropicVertex|createVertex|createVertexAnthropic|vertexAnthropic)$|^vertex$/, 'vertex'],
  [/(^|\.)(AzureChatOpenAI|AzureOpenAI|AsyncAzureOpenAI|createAzure)$|^azure$/, 'azure'],
  [/(^|\.)(ChatOllama|OllamaLLM|OllamaChat|Ollama|createOllama)$|^ollama(\.(chat|generate))?$/, 'ollama'],
  // LiveKit Agents' `inference.LLM("google/gemma-…")`: LiveKit's gateway, not the vendor's API (livekit.plugins.google.LLM is).
  [/(^|\.)inference\.LLM$/, 'livekit'],
];

export function hostOfCallee(callee: string): HostId | undefined {
  return CALLEE_HOSTS.find(([re]) => re.test(callee))?.[1];
}

/** Modules that talk to one host only (its SDK, a framework's integration for it). */
const IMPORT_HOSTS: Array<[RegExp, HostId]> = [
  [/^(ollama($|\.)|ollama-ai-provider(-v2)?$|langchain_ollama|@langchain\/ollama|llama_index\.llms\.ollama|[\w.]+\.ollama($|\.))/, 'ollama'],
  // Strands Agents' default model provider is Bedrock (`Agent()` with no model); its other providers are `strands.models.<name>` modules.
  [/^(langchain_aws|@langchain\/aws|@ai-sdk\/amazon-bedrock|@aws-sdk\/client-bedrock-runtime|llama_index\.llms\.bedrock|strands(\.models)?$|agno\.models\.aws|[\w.]+\.bedrock($|\.))/, 'bedrock'],
  [/^(vertexai($|\.)|langchain_google_vertexai|@langchain\/google-vertexai|@ai-sdk\/google-vertex|@google-cloud\/vertexai|llama_index\.llms\.vertex)/, 'vertex'],
  [/^@azure\/openai/, 'azure'],
];

/** The host whose SDK the file imports, when it imports exactly one host's (and Strands with no other model module of its own). */
export function hostOfImports(imports: Iterable<string>): HostId | undefined {
  const found = new Set<HostId>();
  let otherStrandsModel = false;
  for (const name of imports) {
    const hit = IMPORT_HOSTS.find(([re]) => re.test(name));
    if (hit) found.add(hit[1]);
    if (/^strands\.models\.(?!bedrock$)\w+$/.test(name)) otherStrandsModel = true;
  }
  if (otherStrandsModel) found.delete('bedrock');
  return found.size === 1 ? [...found][0] : undefined;
}

/** The vendors whose models a host serves; undefined: any. */
const HOST_VENDORS: Readonly<Partial<Record<HostId, readonly ProviderId[]>>> = {
  vertex: ['google', 'anthropic', 'mistral'],
  azure: ['openai', 'deepseek', 'xai', 'mistral', 'cohere'],
};

/** A host from the model name alone: a Bedrock model id or inference profile, a LiteLLM route (`bedrock/`, `ollama_chat/`, `azure/`, `vertex_ai/`). */
export function hostOfModelName(name: string): HostId | undefined {
  const m = /^([\w-]+)[/:]/.exec(name.trim());
  const route = m?.[1].toLowerCase();
  if (route === 'bedrock' || route === 'bedrock_converse') return 'bedrock';
  if (route === 'ollama' || route === 'ollama_chat') return 'ollama';
  if (route === 'azure' || route === 'azure_openai' || route === 'azure_ai') return 'azure';
  if (route === 'vertex_ai' || route === 'google_vertexai' || route === 'google_anthropic_vertex') return 'vertex';
  if (route === undefined || route === 'us' || route === 'eu' || route === 'apac') return BEDROCK_ID.test(name.trim()) && /-v\d+(:\d+)?$|^(us|eu|apac|au|jp|ca|global|us-gov)\./i.test(name.trim()) ? 'bedrock' : undefined;
  return undefined;
}

/** The provider of an API name as the scanner's evidence reports it (`Anthropic`, `Google GenAI`…). */
export function providerOfApi(api: string | undefined): ProviderId | undefined {
  switch (api) {
    case 'OpenAI':
    case 'OpenAI-compatible':
      return 'openai';
    case 'Anthropic':
      return 'anthropic';
    case 'Google GenAI':
      return 'google';
    case 'Mistral':
      return 'mistral';
    case 'Cohere':
      return 'cohere';
    case 'Together AI':
      return 'together';
    case 'Groq':
      return 'groq';
    default:
      return undefined;
  }
}

/** Chat-model classes and provider functions whose name tells the provider. */
const CALLEE_PROVIDERS: Array<[RegExp, ProviderId]> = [
  [/(^|\.)(ChatAnthropic|ChatAnthropicMessages|AnthropicLLM|AnthropicVertex|AnthropicBedrock|createAnthropic)$|(^|\.)messages\.(create|stream|count_tokens|countTokens)$|^anthropic$/, 'anthropic'],
  [/(^|\.)(ChatOpenAI|AzureChatOpenAI|OpenAIChat|createOpenAI)$|(^|\.)chat\.completions\.(create|parse|stream)$|(^|\.)responses\.(create|parse|stream)$|^openai$/, 'openai'],
  [/(^|\.)(ChatGoogleGenerativeAI|ChatVertexAI|GenerativeModel|getGenerativeModel|createGoogleGenerativeAI)$|(^|\.)(generate_content(_stream)?|generateContent(Stream)?)$|^(google|vertex)$/, 'google'],
  [/(^|\.)(ChatMistralAI|createMistral)$|(^|\.)chat\.(complete|stream)(_async)?$|^mistral$/, 'mistral'],
  [/(^|\.)(ChatCohere|createCohere)$|^cohere$/, 'cohere'],
  [/(^|\.)(ChatDeepSeek|createDeepSeek)$|^deepseek$/, 'deepseek'],
  [/(^|\.)(ChatXAI|createXai)$|^xai$/, 'xai'],
  [/(^|\.)(ChatGroq|createGroq)$|^groq$/, 'groq'],
  [/(^|\.)(ChatTogether|createTogetherAI)$|^(together|Together)$/, 'together'],
];

export function providerOfCallee(callee: string): ProviderId | undefined {
  return CALLEE_PROVIDERS.find(([re]) => re.test(callee))?.[1];
}

/** Modules that belong to one provider (SDKs and framework integrations). */
const IMPORT_PROVIDERS: Array<[RegExp, ProviderId]> = [
  [/^(anthropic|@anthropic-ai\/|langchain_anthropic|@langchain\/anthropic|@ai-sdk\/anthropic|llama_index\.llms\.anthropic)/, 'anthropic'],
  [/^(openai($|\.|\/)|@azure\/openai|langchain_openai|@langchain\/openai|@ai-sdk\/openai|llama_index\.llms\.openai)/, 'openai'],
  [/^(google\.genai|google\.generativeai|google\.ai\.generativelanguage|vertexai|@google\/genai|@google\/generative-ai|@google-cloud\/vertexai|langchain_google_genai|langchain_google_vertexai|@langchain\/google|@ai-sdk\/google)/, 'google'],
  [/^(mistralai|@mistralai\/|langchain_mistralai|@langchain\/mistralai|@ai-sdk\/mistral)/, 'mistral'],
  [/^(cohere($|\.)|cohere-ai$|langchain_cohere|@langchain\/cohere|@ai-sdk\/cohere)/, 'cohere'],
  [/^(langchain_deepseek|@langchain\/deepseek|@ai-sdk\/deepseek)/, 'deepseek'],
  [/^(xai_sdk|langchain_xai|@langchain\/xai|@ai-sdk\/xai)/, 'xai'],
  // (A framework's integration module for the host counts too: agno's `agno.models.groq`, pipecat's `pipecat.services.together.llm`.)
  [/^(groq($|\.)|groq-sdk$|langchain_groq|@langchain\/groq|@ai-sdk\/groq|[\w.]+\.groq($|\.))/, 'groq'],
  [/^(together($|\.)|together-ai$|langchain_together|@ai-sdk\/togetherai|@langchain\/community\/chat_models\/togetherai|[\w.]+\.together($|\.))/, 'together'],
];

/** The provider whose SDK the file imports, when it imports exactly one provider's. */
export function providerOfImports(imports: Iterable<string>): ProviderId | undefined {
  const found = new Set<ProviderId>();
  for (const name of imports) {
    const hit = IMPORT_PROVIDERS.find(([re]) => re.test(name));
    if (hit) found.add(hit[1]);
  }
  return found.size === 1 ? [...found][0] : undefined;
}

/** Prefixes that say how a call is routed, not whose model it is: LiteLLM's `openrouter/anthropic/claude-…`, `bedrock/anthropic.claude-…`. */
const ROUTING_PREFIX = /^(?:openrouter|bedrock|litellm_proxy)\//i;

/** A Bedrock model id or cross-region inference profile (`anthropic.claude-…-v1:0`, `us.anthropic.claude-…`): the vendor and the rest. */
const BEDROCK_ID = /^(?:(?:us|eu|apac|au|jp|ca|global|us-gov)\.)?(anthropic|meta|amazon|mistral|cohere|deepseek|openai|ai21|qwen)\.(.+)$/i;

const BEDROCK_VENDORS: Readonly<Record<string, ProviderId>> = { anthropic: 'anthropic', mistral: 'mistral', cohere: 'cohere', deepseek: 'deepseek', openai: 'openai' };

/** The provider a model name belongs to, from its family prefix (`claude-…` is Anthropic's). */
export function providerOfModelName(name: string): ProviderId | undefined {
  const routed = name.replace(ROUTING_PREFIX, '');
  const bedrock = BEDROCK_ID.exec(routed);
  if (bedrock) return BEDROCK_VENDORS[bedrock[1].toLowerCase()];
  const lower = routed.toLowerCase();
  const prefixed = /^([\w-]+)[/:]/.exec(lower)?.[1];
  if (prefixed && isProviderId(prefixed)) return prefixed;
  // LiteLLM's routes to a local Ollama server (`ollama_chat/mistral-small3.1`): a local copy of the weights, served by
  // none of the vendors' APIs (it showed as Mistral's; the catalog prices the route at $0).
  if (prefixed === 'ollama' || prefixed === 'ollama_chat') return undefined;
  if (prefixed === 'google_genai' || prefixed === 'google-genai' || prefixed === 'gemini' || prefixed === 'vertex_ai') return 'google';
  if (prefixed === 'mistralai') return 'mistral';
  if (prefixed === 'x-ai') return 'xai';
  const bare = lower.replace(/^[\w-]+[/:]/, '');
  if (/^claude/.test(bare)) return 'anthropic';
  if (/^(gpt-|chatgpt|o[1-9](-|$)|text-davinci|text-embedding|davinci|babbage)/.test(bare)) return 'openai';
  if (/^(gemini|gemma|learnlm)/.test(bare)) return 'google';
  if (/^(mistral|mixtral|codestral|ministral|pixtral|magistral|devstral|open-mistral)/.test(bare)) return 'mistral';
  if (/^command(-|$)/.test(bare)) return 'cohere';
  if (/^deepseek/.test(bare)) return 'deepseek';
  if (/^grok/.test(bare)) return 'xai';
  return undefined;
}

/**
 * The provider of a prompt: the API it is passed to, a provider-specific callee around
 * it, the model it names, or the file's one provider SDK.
 */
export function promptProvider(api: string | undefined, callees: readonly string[], imports: Iterable<string>, modelName?: string, hint?: string): ProviderId | HostId | undefined {
  const vendor = vendorOfPrompt(api, callees, imports, modelName, hint);
  // A host serves the request whatever vendor's model it is: a model object or client of the host (`BedrockModel(…)`,
  // `inference.LLM(…)`, `AzureOpenAI(…)`), a host's model id (`us.anthropic.claude-…-v1:0`, `ollama_chat/…`), or the one
  // host SDK the file imports, when the host serves that vendor (Vertex AI serves Gemini, not GPT).
  if (hint && isHostId(hint)) return hint;
  for (const callee of callees) {
    const host = hostOfCallee(callee);
    if (host) return host;
  }
  const named = modelName ? hostOfModelName(modelName) : undefined;
  if (named) return named;
  // (Not beside vendors' SDKs that name no single vendor: Flowise's follow-up prompts import Ollama's among five others.)
  // A vendor's API call beside a host's SDK is the host's only where the host is that vendor's platform (Gemini with
  // `vertexai` imported); an OpenAI call in a file that also imports Ollama's SDK stays OpenAI's.
  const sdk = hostOfImports(imports);
  if (sdk && (vendor === undefined ? !importsAnyVendor(imports) : HOST_VENDORS[sdk] !== undefined && servesVendor(sdk, vendor))) return sdk;
  return vendor;
}

function importsAnyVendor(imports: Iterable<string>): boolean {
  for (const name of imports) if (IMPORT_PROVIDERS.some(([re]) => re.test(name))) return true;
  return false;
}

/** Vendors' API hosts, as a base URL names them. */
const API_HOSTS: ReadonlyArray<readonly [RegExp, ProviderId]> = [
  [/^api\.deepseek\.com$/, 'deepseek'],
  [/^api\.together\.(?:xyz|ai)$/, 'together'],
  [/^api\.groq\.com$/, 'groq'],
  [/^api\.mistral\.ai$/, 'mistral'],
  [/^api\.x\.ai$/, 'xai'],
  [/^generativelanguage\.googleapis\.com$/, 'google'],
  [/^api\.anthropic\.com$/, 'anthropic'],
  [/^api\.cohere\.(?:ai|com)$/, 'cohere'],
  [/^api\.openai\.com$/, 'openai'],
];
/** A base URL or endpoint given as a literal (`base_url="https://api.deepseek.com"`, `baseURL: "…"`, `url = "…"`), perhaps as an environment default. */
const BASE_URL = /\b(?:base_?url|baseURL|api_base|openai_api_base|endpoint|url)["']?\s*[:=]\s*[^\n]{0,120}?["'`]https?:\/\/([\w.-]{1,100})/gi;
/** An OpenAI client made in the file (`OpenAI(`, `AsyncOpenAI(`, `new OpenAI(`, `ChatOpenAI(`). */
const OPENAI_CLIENT = /(?<![\w.])(?:Async)?(?:Chat)?OpenAI\s*\(/g;

/** Whether `at` follows a `# ` or `//` on its line that no quote before it on the line opens (a comment, not a string), or a line of a block comment. */
function inLineComment(text: string, at: number): boolean {
  const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
  if (/^\s*(?:\/\*|\*)/.test(line)) return true;
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === '`') quote = c;
    // (`# ` opens a Python comment; JavaScript's `#client` is a private field.)
    else if ((c === '#' && /\s/.test(line[i + 1] ?? ' ')) || (c === '/' && line[i + 1] === '/')) return true;
  }
  return false;
}

let baseUrlCache: { text: string; masked: string | undefined; provider: ProviderId | undefined } | undefined;

/**
 * The vendor a file's base URLs name, when they name one (newuser42: storm's TogetherClient posts to
 * `https://api.together.xyz/v1/…`; DeepSeek's own docs call it through `OpenAI(base_url="https://api.deepseek.com")`):
 * undefined when they name none or several, or when the file makes more OpenAI clients than it names base URLs (a plain
 * `OpenAI()` beside the DeepSeek one stays OpenAI's).
 */
export function providerOfBaseUrls(text: string, masked?: string): ProviderId | undefined {
  if (baseUrlCache?.text === text && baseUrlCache.masked === masked) return baseUrlCache.provider;
  let provider: ProviderId | undefined;
  if (text.includes('://')) {
    const found = new Set<ProviderId>();
    let named = 0;
    for (const m of text.matchAll(BASE_URL)) {
      // (A base URL in a comment is sent nowhere: `# base_url="https://api.deepseek.com",` left out of `OpenAI(…)`.)
      if (inLineComment(text, m.index)) continue;
      // (Nor one a prompt's text names: `masked` is the file with its string literals blanked, a system prompt that shows
      // a gateway's config (`base_url: "https://api.groq.com/openai/v1"`) is no client of Groq's.)
      if (masked !== undefined && masked.length === text.length && masked[m.index] !== text[m.index]) continue;
      const host = m[1].toLowerCase();
      const vendor = API_HOSTS.find(([re]) => re.test(host))?.[1];
      if (vendor) {
        found.add(vendor);
        named++;
      }
    }
    const clients = text.match(OPENAI_CLIENT)?.length ?? 0;
    if (found.size === 1 && clients <= named) provider = [...found][0];
  }
  baseUrlCache = { text, masked, provider };
  return provider;
}

/** Whether a host serves a vendor's models. */
export function servesVendor(host: HostId, vendor: string): boolean {
  const vendors = HOST_VENDORS[host];
  return vendors === undefined || (isProviderId(vendor) && vendors.includes(vendor));
}

/** `promptProvider` without hosts: the vendor (or Groq/Together) the prompt's call, model or SDK names. */
function vendorOfPrompt(api: string | undefined, callees: readonly string[], imports: Iterable<string>, modelName?: string, hint?: string): ProviderId | undefined {
  const byApi = providerOfApi(api);
  const host = openAiStyleHost(imports);
  if (byApi === 'openai' && host) return host;
  if (byApi) return byApi;
  for (const callee of callees) {
    const p = providerOfCallee(callee);
    if (p === 'openai' && host) return host;
    if (p) return p;
  }
  // A host that serves other vendors' open-weights models (Groq's `openai/gpt-oss-120b`, Together's `Qwen/…`), when it
  // is the one provider SDK the file imports: the request goes to that host, whatever vendor the `org/` prefix names.
  // A bare first-party name (`claude-sonnet-4-5`, `gpt-4o`) stays its vendor's: the host does not serve it.
  if (host && (modelName === undefined || modelName.includes('/') || providerOfModelName(modelName) === undefined)) return host;
  if (modelName) {
    const p = providerOfModelName(modelName);
    if (p) return p;
  }
  if (hint && isProviderId(hint)) return hint;
  return providerOfImports(imports);
}

/** Hosts whose own SDK copies OpenAI's call shape (`client.chat.completions.create`) and that serve other vendors' open-weights models. */
const OPENAI_STYLE_HOSTS: ReadonlySet<ProviderId> = new Set(['together', 'groq']);

/** A host that serves models of other vendors under their names (`openai/gpt-oss-120b` on Groq, `us.anthropic.claude-…` on Bedrock): any model name can be its. */
export function servesOtherVendorsModels(provider: string): boolean {
  return (isProviderId(provider) && OPENAI_STYLE_HOSTS.has(provider)) || isHostId(provider);
}

/**
 * The host of an OpenAI-style call (`client.chat.completions.create`) in a file that imports another host's own SDK
 * (together-ai, groq-sdk) and not OpenAI's: that host (llamacoder's `together.chat.completions.create` read as OpenAI's).
 * Pricing (`promptProvider`) and the API label (`apiLabel`) both decide with it.
 */
export function openAiStyleHost(imports: Iterable<string>): ProviderId | undefined {
  const sdk = providerOfImports(imports);
  return sdk !== undefined && OPENAI_STYLE_HOSTS.has(sdk) ? sdk : undefined;
}

/** The name to show for an API the scanner matched: an OpenAI-style call of another host's SDK is that host's (`Together AI`). */
export function apiLabel(api: string, imports: Iterable<string>): string {
  if (providerOfApi(api) !== 'openai') return api;
  const host = openAiStyleHost(imports);
  return host ? PROVIDER_LABELS[host] : api;
}

/** The provider prefixes of LangChain/LiteLLM-style names (`anthropic/claude-…`) and the catalog's provider ids. */
const CATALOG_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  google_genai: 'google',
  'google-genai': 'google',
  gemini: 'google',
  vertex_ai: 'google',
  mistral: 'mistral',
  mistralai: 'mistral',
  cohere: 'cohere',
  // LiteLLM's chat route for Cohere (`cohere_chat/command-r-plus`).
  cohere_chat: 'cohere',
  deepseek: 'deepseek',
  xai: 'x-ai',
  'x-ai': 'x-ai',
  groq: 'groq',
  together: 'together',
  together_ai: 'together',
  togetherai: 'together',
  // OpenRouter's own price for the model it routes to (`openrouter/anthropic/claude-x` → `openrouter:anthropic/claude-x`).
  openrouter: 'openrouter',
  // LiteLLM's Azure OpenAI route (`azure/gpt-4o`: Azure's price, which falls back to OpenAI's list) and Fireworks route
  // (`fireworks_ai/accounts/fireworks/models/…`, the id Fireworks lists).
  azure: 'azure',
  fireworks_ai: 'fireworks',
  // LangChain's init_chat_model provider names (`azure_openai:gpt-4o`, `google_vertexai:gemini-…`, `fireworks:…`).
  azure_openai: 'azure',
  azure_ai: 'azure',
  google_vertexai: 'google',
  google_anthropic_vertex: 'google',
  fireworks: 'fireworks',
  perplexity: 'perplexity',
  // LiteLLM's local Ollama routes (`ollama/llama3`, `ollama_chat/llama3.1`): the local model, $0 per token.
  ollama: 'ollama',
  ollama_chat: 'ollama',
};

/**
 * The name to price: `anthropic/claude-x` and `anthropic:claude-x` become the price
 * catalog's `anthropic:claude-x`, so the provider written in the code is the one priced.
 */
export function pricingName(name: string): string {
  const m = /^([\w-]+)[/:](.+)$/.exec(name.trim());
  if (!m) return name;
  const provider = CATALOG_PROVIDER[m[1].toLowerCase()];
  return provider ? `${provider}:${m[2]}` : name;
}

/**
 * Hugging Face organisations that are also a provider's route name: `mistralai/Mixtral-8x7B-Instruct-v0.1`,
 * `google/gemma-2-9b-it` name a checkpoint, as hosts list it. The other prefixes of CATALOG_PROVIDER are routes
 * (LiteLLM's `openai/`, `deepseek/`, `cohere/`; OpenRouter's `x-ai/`): DeepSeek's checkpoints are `deepseek-ai/…`,
 * Cohere's `CohereLabs/…`, and OpenAI's own list prices its open-weights gpt-oss ids.
 */
const CHECKPOINT_ORGS: ReadonlySet<string> = new Set(['mistralai', 'google']);

/** What `catalogPricingName` asks of a price catalog (`PriceCatalog` answers both). */
export interface PricingNameCatalog {
  /** The catalog prices the name as that very model, not as another of the provider's models. */
  pricesAsItself(name: string): boolean;
  /** The catalog prices the name at all (a provider's rule claims it). */
  has(name: string): boolean;
}

/**
 * `pricingName`, unless the name is an open-weights id written `org/model` (`mistralai/Mixtral-8x7B-Instruct-v0.1`,
 * `google/gemma-2-9b-it`): a Hugging Face organisation, not the provider's API route. When the provider's price list
 * has no model of that name (Mistral's API sells `open-mixtral-8x7b`, not the instruct checkpoint) and a host lists the
 * exact id (Together, a Hugging Face provider), the id is priced as written, at that host (break29: priced at Mistral's
 * $0.70 as its closest match, or not at all, though Together lists the id at $0.90).
 * A route name (`deepseek/deepseek-r1`, `cohere/command-r-08-2024`, `openai/gpt-4-1106-preview`) stays the
 * provider's whenever the provider's rules price it (DeepSeek's deepseek-reasoner claims `deepseek-r1…`); only a name
 * the provider does not price at all
 * (OpenRouter's `x-ai/grok-beta`) is priced as written (break30b: `deepseek/deepseek-r1` went to the first host listing
 * the id, Novita at $4/$4, not DeepSeek's reasoner).
 */
export function catalogPricingName(name: string, catalog: PricingNameCatalog): string {
  const converted = pricingName(name);
  const written = name.trim();
  const org = /^([\w-]+)\//.exec(written)?.[1].toLowerCase();
  if (converted === name || org === undefined || catalog.pricesAsItself(converted)) return converted;
  if (!CHECKPOINT_ORGS.has(org) && catalog.has(converted)) return converted;
  return catalog.pricesAsItself(written) ? written : converted;
}

/** The model to use for a provider: the user's `pepperpy.defaultModels` entry, else the built-in default. */
export function defaultModelFor(provider: string | undefined, overrides: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!provider) return undefined;
  const user = overrides?.[provider];
  if (typeof user === 'string' && user.trim() !== '') return user.trim();
  return isProviderId(provider) ? DEFAULT_PROVIDER_MODELS[provider] : undefined;
}

/** Names that look like a model of a known family, optionally with a provider prefix. */
export const MODEL_NAME_SHAPE =
  /^(?:(?:openai|anthropic|google|google_genai|google_vertexai|google_anthropic_vertex|gemini|vertex_ai|mistral|mistralai|cohere|cohere_chat|groq|deepseek|xai|x-ai|bedrock|bedrock_converse|azure|azure_openai|azure_ai|openrouter|together|together_ai|perplexity|ollama|ollama_chat)[/:]){0,2}(?:(?:(?:us|eu|apac|au|jp|ca|global|us-gov)\.)?(?:anthropic|meta|mistral|cohere)\.)?(?:gpt-|chatgpt-|o[1-9](?:-|$)|claude-|gemini-|gemma-|learnlm-|mistral-|mixtral-|open-mistral|codestral|ministral|pixtral|magistral|devstral|command(?:-|$)|deepseek-|grok-|llama-?\d|meta-llama\/|qwen|text-embedding-|text-davinci|sonar|kimi-|glm-|jamba)/i;

export interface ModelMention {
  name: string;
  /** The literal, quotes included; end exclusive. */
  start: number;
  end: number;
}

/**
 * Quoted strings in a document that look like model names (`"claude-sonnet-4-5"`), for
 * hovers; whether the catalog prices them is the caller's question.
 */
export function modelMentions(text: string, limit = 2000): ModelMention[] {
  const out: ModelMention[] = [];
  const re = /(["'`])([A-Za-z][\w.:/@-]{1,119})\1/g;
  for (let m = re.exec(text); m && out.length < limit; m = re.exec(text)) {
    if (MODEL_NAME_SHAPE.test(m[2])) out.push({ name: m[2], start: m.index, end: m.index + m[0].length });
    // Closing quotes can open the next literal: step back one character.
    re.lastIndex = m.index + m[0].length - 1;
  }
  return out;
}
