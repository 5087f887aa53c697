/**
 * Model prices from `@pydantic/genai-prices`, with the user's overrides on top and an
 * opt-in update from genai-prices' published JSON. The catalog keeps its own copy of the
 * provider data (instead of the package's module-wide auto-update state), so every price
 * can say exactly where it came from, and tests can run several catalogs side by side.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calcPrice, REMOTE_DATA_JSON_URL, waitForUpdate, type MatchLogic, type ModelInfo, type ModelPrice, type Provider } from '@pydantic/genai-prices';
import { z } from 'zod';
import type { ModelPriceInfo, PriceSource } from '../../protocol/cost';
import { EngineError, errorMessage } from '../../protocol/errors';
import { writeFileAtomicSync } from '../files';
import { LOCAL_COST_LABEL, parseLocalModelName } from '../localModels';
import { DEFAULT_MODEL } from '../prompt/defaults';
import { pricedAs } from './sameModel';

/**
 * The pinned genai-prices version (package.json pins it exactly). The package's manifest is
 * not exported, and the extension ships without node_modules, so it is written here; a
 * unit test compares it with the installed package.
 */
export const GENAI_PRICES_VERSION = '0.1.8';

/**
 * Release dates of the genai-prices versions this project has pinned (from the npm
 * registry's `time` field). The bundled data is as recent as the release it ships in;
 * a test fails when the installed version is missing here, so a bump updates the date.
 */
export const GENAI_PRICES_RELEASE_DATES: Readonly<Record<string, string>> = {
  '0.1.8': '2026-09-23',
};

export const PUBLISHED_PRICES_URL = REMOTE_DATA_JSON_URL;

/** Token usage of one request, as every cost function here takes it. */
export interface TokenUsage {
  /** All input tokens, cached ones included. */
  inputTokens: number;
  /** All output tokens, reasoning included. */
  outputTokens: number;
  /** Part of inputTokens read from the prompt cache. */
  cachedInputTokens?: number;
  /** Part of inputTokens written to the prompt cache. */
  cacheWriteTokens?: number;
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens?: number;
}

export interface UsageCost {
  inputCost: number;
  outputCost: number;
  totalCost: number;
  price: ModelPriceInfo;
}

export const PriceOverrideSchema = z
  .object({
    model: z.string().trim().min(1).max(200),
    provider: z.string().trim().min(1).max(100).optional(),
    inputPerMTok: z.number().finite().min(0).max(10_000),
    outputPerMTok: z.number().finite().min(0).max(10_000),
    cachedInputPerMTok: z.number().finite().min(0).max(10_000).optional(),
    cacheWritePerMTok: z.number().finite().min(0).max(10_000).optional(),
    reasoningPerMTok: z.number().finite().min(0).max(10_000).optional(),
    /** When the user took these prices (YYYY-MM-DD). */
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD').optional(),
    note: z.string().max(500).optional(),
  })
  .strict();
export type PriceOverride = z.infer<typeof PriceOverrideSchema>;

const ProviderDataSchema = z
  .array(
    z.looseObject({
      id: z.string().min(1),
      name: z.string(),
      api_pattern: z.string(),
      models: z.array(z.looseObject({ id: z.string().min(1), match: z.looseObject({}), prices: z.union([z.looseObject({}), z.array(z.looseObject({}))]) })),
    }),
  )
  .min(1, 'no providers');

/** What `updateFromPublished` writes so the next session starts from the same data. */
interface PublishedCache {
  url: string;
  fetchedAt: string;
  providers: Provider[];
}

/** The matching rules of genai-prices (`MatchLogic`), evaluated the same way the package does. */
export function matches(logic: MatchLogic, name: string): boolean {
  const lower = name.toLowerCase();
  if ('or' in logic) return logic.or.some((l) => matches(l, name));
  if ('and' in logic) return logic.and.every((l) => matches(l, name));
  if ('equals' in logic) return lower === logic.equals.toLowerCase();
  if ('starts_with' in logic) return lower.startsWith(logic.starts_with.toLowerCase());
  if ('ends_with' in logic) return lower.endsWith(logic.ends_with.toLowerCase());
  if ('contains' in logic) return lower.includes(logic.contains.toLowerCase());
  if ('regex' in logic) return new RegExp(logic.regex).test(name);
  return false;
}

/** Names a match rule accepts literally (its `equals` values), for suggestions. */
function literalNames(logic: MatchLogic, into: Set<string>): void {
  if ('or' in logic) logic.or.forEach((l) => literalNames(l, into));
  else if ('and' in logic) logic.and.forEach((l) => literalNames(l, into));
  else if ('equals' in logic) into.add(logic.equals.toLowerCase());
}

/** Levenshtein distance, two rows. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** genai-prices writes dated snapshots either way (`-20240229` or `-2024-02-29`); it retries with dashes. */
function dashedDate(name: string): string {
  return name.replace(/(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g, (_m, dash: string, y: string, mo: string, d: string) => `${dash}${y}-${mo}-${d}`);
}

function basePrice(value: ModelPrice[string]): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? value : value.base;
}

function isTiered(prices: ModelPrice): boolean {
  return Object.values(prices).some((v) => v !== undefined && typeof v !== 'number');
}

/** A free variant as the price data lists it: an id ending in `:free` and no price of any kind (142 OpenRouter ids in genai-prices 0.1.8). */
function isFreeVariant(model: ModelInfo, prices: ModelPrice): boolean {
  return /:free$/i.test(model.id) && Object.values(prices).every((v) => v === undefined);
}

/** The price entry in force at `at` (genai-prices lists dated price changes as conditional prices). */
function pricesAt(model: ModelInfo, at: Date): ModelPrice {
  if (!Array.isArray(model.prices)) return model.prices;
  let chosen = model.prices[0].prices;
  for (const conditional of model.prices) {
    const c = conditional.constraint;
    if (c === undefined) chosen = conditional.prices;
    else if (c.type === 'start_date' && new Date(c.start_date).getTime() <= at.getTime()) chosen = conditional.prices;
  }
  return chosen;
}

interface Resolved {
  provider: Provider;
  model: ModelInfo;
  /** The name as genai-prices matched it (lower case, dates dashed when needed). */
  matchedName: string;
  source: PriceSource;
  /** True when no provider was asked for and none claims the name by its rules: the price is the first listing host's. */
  firstListing?: true;
}

export class PriceCatalog {
  private providers: Provider[];
  private dataSource: PriceSource;
  private overrides: Provider | undefined;
  private overrideSources = new Map<string, PriceSource>();
  private knownNames: string[] | undefined;

  private constructor(providers: Provider[], source: PriceSource) {
    this.providers = providers;
    this.dataSource = source;
  }

  /** A catalog over the package's bundled data. */
  static async bundled(): Promise<PriceCatalog> {
    return new PriceCatalog(await bundledProviders(), bundledSource());
  }

  /**
   * A catalog over the published data saved by an earlier `updateFromPublished`, when that
   * file exists and is readable; otherwise over the bundled data (and `source().note` says why).
   */
  static async fromCacheOrBundled(cacheFile: string | undefined): Promise<PriceCatalog> {
    const catalog = await PriceCatalog.bundled();
    if (cacheFile) {
      try {
        catalog.loadPublished(JSON.parse(readFileSync(cacheFile, 'utf8')) as PublishedCache);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') catalog.dataSource = { ...catalog.dataSource, note: `Saved published prices in ${cacheFile} could not be used (${errorMessage(error)}); using the bundled data.` };
      }
    }
    return catalog;
  }

  /** Where the catalog's data (not the overrides) came from. */
  source(): PriceSource {
    return this.dataSource;
  }

  /** Replaces the user's overrides; every entry is validated first, so a bad one changes nothing. */
  setOverrides(raw: unknown): void {
    const parsed = z.array(PriceOverrideSchema).max(10_000).safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EngineError('badRequest', `Invalid price override at ${issue.path.join('.') || 'root'}: ${issue.message}.`, 'Each override needs model, inputPerMTok and outputPerMTok (USD per million tokens).');
    }
    this.overrideSources.clear();
    this.knownNames = undefined;
    if (parsed.data.length === 0) {
      this.overrides = undefined;
      return;
    }
    const models: ModelInfo[] = parsed.data.map((o) => {
      const id = o.provider ? `${o.provider.toLowerCase()}:${o.model.toLowerCase()}` : o.model.toLowerCase();
      this.overrideSources.set(id, { kind: 'override', name: 'user override', date: o.date ?? 'unspecified', ...(o.note ? { note: o.note } : {}) });
      const prices: ModelPrice = { input_mtok: o.inputPerMTok, output_mtok: o.outputPerMTok };
      if (o.cachedInputPerMTok !== undefined) prices.cache_read_mtok = o.cachedInputPerMTok;
      if (o.cacheWritePerMTok !== undefined) prices.cache_write_mtok = o.cacheWritePerMTok;
      if (o.reasoningPerMTok !== undefined) prices.output_reasoning_mtok = o.reasoningPerMTok;
      return { id, match: { equals: id }, prices };
    });
    this.overrides = { id: 'user-override', name: 'User overrides', api_pattern: '$^', models };
  }

  /** The price of a model; throws `notFound` "no price for X" with the closest known names. */
  lookup(model: string, options: { providerId?: string; at?: Date } = {}): ModelPriceInfo {
    return this.priceInfo(model, this.resolve(model, options.providerId), options.at ?? new Date());
  }

  /** `lookup` for a model already resolved (`cost` resolves once for both). */
  private priceInfo(model: string, resolved: Resolved, at: Date): ModelPriceInfo {
    const prices = pricesAt(resolved.model, at);
    // OpenRouter's free variants (`deepseek/deepseek-chat:free`; OpenRouter's `:free` suffix is its free tier) are listed
    // with no price at all: they cost nothing per token, so they are priced at zero rather than refused.
    const free = isFreeVariant(resolved.model, prices);
    const input = free ? 0 : basePrice(prices.input_mtok);
    const output = free ? 0 : basePrice(prices.output_mtok);
    if (input === undefined) {
      throw new EngineError('notFound', `No token price for ${model}: ${resolved.provider.name}'s ${resolved.model.id} is not priced per token.`, 'Add a price override for it.');
    }
    const info: ModelPriceInfo = {
      model,
      matchedModel: resolved.model.id,
      ...(pricedAs(model, resolved.model.id) !== undefined ? { pricedAs: resolved.model.id } : {}),
      provider: resolved.provider.id,
      inputPerMTok: input,
      // Embedding models list no output price: they produce no output tokens.
      outputPerMTok: output ?? 0,
      tiered: isTiered(prices),
      source: resolved.source,
      ...(resolved.firstListing ? { listedHost: resolved.provider.name } : {}),
    };
    const cached = basePrice(prices.cache_read_mtok);
    const write = basePrice(prices.cache_write_mtok);
    const reasoning = basePrice(prices.output_reasoning_mtok);
    if (cached !== undefined) info.cachedInputPerMTok = cached;
    if (write !== undefined) info.cacheWritePerMTok = write;
    if (reasoning !== undefined) info.reasoningPerMTok = reasoning;
    return info;
  }

  /** True when genai-prices' data marks the model `deprecated` (false for unknown and local models). */
  isDeprecated(model: string, providerId?: string): boolean {
    try {
      return this.resolve(model, providerId).model.deprecated === true;
    } catch {
      return false;
    }
  }

  /** True when the catalog can price the model. */
  has(model: string, providerId?: string): boolean {
    try {
      this.resolve(model, providerId);
      return true;
    } catch {
      return false;
    }
  }

  /** True when the catalog prices the name as that very model (not as a closest match, another model or nothing). */
  pricesAsItself(model: string): boolean {
    try {
      return pricedAs(model, this.resolve(model).model.id) === undefined;
    } catch {
      return false;
    }
  }

  /** The cost of one request's usage, through genai-prices' own calculation (tiers and dated prices included). */
  cost(model: string, usage: TokenUsage, options: { providerId?: string; at?: Date } = {}): UsageCost {
    checkUsage(usage);
    const resolved = this.resolve(model, options.providerId);
    const at = options.at ?? new Date();
    const price = this.priceInfo(model, resolved, at);
    const single: Provider = { ...resolved.provider, fallback_model_providers: undefined, models: [resolved.model] };
    const result = calcPrice(
      {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        ...(usage.cachedInputTokens ? { cache_read_tokens: usage.cachedInputTokens } : {}),
        ...(usage.cacheWriteTokens ? { cache_write_tokens: usage.cacheWriteTokens } : {}),
        ...(usage.reasoningTokens ? { output_reasoning_tokens: usage.reasoningTokens } : {}),
      },
      resolved.matchedName,
      { provider: single, timestamp: at },
    );
    if (!result) throw new EngineError('internal', `genai-prices could not price ${model} although its catalog lists ${resolved.model.id}.`);
    return { inputCost: result.input_price, outputCost: result.output_price, totalCost: result.total_price, price };
  }

  /** The models genai-prices lists for one provider, in its order (for pickers; prices through `lookup`). */
  providerModels(providerId: string): Array<{ id: string; name?: string; contextWindow?: number; deprecated: boolean }> {
    const provider = this.providers.find((p) => p.id === providerId);
    return (provider?.models ?? []).map((m) => ({ id: m.id, ...(m.name ? { name: m.name } : {}), ...(m.context_window ? { contextWindow: m.context_window } : {}), deprecated: m.deprecated === true }));
  }

  /**
   * The context window genai-prices lists for a model (`context_window`), with the catalog id it
   * matched and the data's source; undefined when the catalog has no such model or no window for it.
   */
  contextWindow(model: string, providerId?: string): { tokens: number; matchedModel: string; source: PriceSource } | undefined {
    let resolved: Resolved;
    try {
      resolved = this.resolve(model, providerId);
    } catch {
      return undefined;
    }
    const tokens = resolved.model.context_window;
    return typeof tokens === 'number' && tokens > 0 ? { tokens, matchedModel: resolved.model.id, source: resolved.source } : undefined;
  }

  /** Every model name the catalog knows (ids and literal aliases), for suggestions and listings. */
  modelNames(): string[] {
    if (!this.knownNames) {
      const names = new Set<string>();
      for (const provider of this.overrides ? [this.overrides, ...this.providers] : this.providers) {
        for (const model of provider.models) {
          names.add(model.id.toLowerCase());
          literalNames(model.match, names);
        }
      }
      this.knownNames = [...names];
    }
    return this.knownNames;
  }

  /** The known names closest to `name` by edit distance (ties: shorter first). */
  closestNames(name: string, count = 5): string[] {
    const wanted = name.toLowerCase().trim().replace(/^[a-z0-9_-]+:/, '');
    return this.modelNames()
      .map((candidate) => ({ candidate, distance: editDistance(wanted, candidate) - (candidate.startsWith(wanted) || wanted.startsWith(candidate) ? 2 : 0) }))
      .sort((a, b) => a.distance - b.distance || a.candidate.length - b.candidate.length || a.candidate.localeCompare(b.candidate))
      .slice(0, count)
      .map((c) => c.candidate);
  }

  /**
   * Fetches genai-prices' published JSON (only when the user asks), checks it prices a
   * well-known model, switches to it and saves it with the date to `cacheFile`. On any
   * failure the catalog keeps the data it had and the error says so.
   */
  async updateFromPublished(options: { url?: string; cacheFile?: string; timeoutMs?: number; fetchImpl?: typeof fetch } = {}): Promise<PriceSource> {
    const url = options.url ?? PUBLISHED_PRICES_URL;
    const doFetch = options.fetchImpl ?? fetch;
    let body: unknown;
    try {
      const response = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new EngineError('engineUnavailable', `Could not fetch published prices from ${url}: ${errorMessage(error)}. Still using ${describeSource(this.dataSource)}.`, 'Check the network connection, or keep using the current data.');
    }
    const cache: PublishedCache = { url, fetchedAt: new Date().toISOString(), providers: body as Provider[] };
    this.loadPublished(cache);
    if (options.cacheFile) {
      mkdirSync(dirname(options.cacheFile), { recursive: true });
      writeFileAtomicSync(options.cacheFile, JSON.stringify(cache));
    }
    return this.dataSource;
  }

  /** Goes back to the bundled data (and forgets published data loaded in this catalog). */
  async resetToBundled(): Promise<void> {
    this.providers = await bundledProviders();
    this.dataSource = bundledSource();
    this.knownNames = undefined;
  }

  private loadPublished(cache: PublishedCache): void {
    const parsed = ProviderDataSchema.safeParse(cache.providers);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EngineError('badRequest', `Published price data from ${cache.url} is not in genai-prices' format (${issue.path.join('.')}: ${issue.message}). Still using ${describeSource(this.dataSource)}.`, 'Report it, or keep using the bundled data.');
    }
    const providers = cache.providers;
    // A sanity check that the data is usable by the installed package before switching to it:
    // it must price the model everything falls back to.
    const trial = new PriceCatalog(providers, this.dataSource);
    try {
      trial.cost(DEFAULT_MODEL, { inputTokens: 1000, outputTokens: 1000 });
    } catch (error) {
      throw new EngineError('badRequest', `Published price data from ${cache.url} cannot price ${DEFAULT_MODEL} (${errorMessage(error)}). Still using ${describeSource(this.dataSource)}.`);
    }
    this.providers = providers;
    this.dataSource = { kind: 'published', name: cache.url, date: cache.fetchedAt.slice(0, 10), note: `fetched ${cache.fetchedAt}` };
    this.knownNames = undefined;
  }

  private resolve(model: string, providerId?: string): Resolved {
    const raw = model.trim();
    if (raw === '') throw new EngineError('badRequest', 'A model name is required.');
    const local = localResolved(raw);
    if (local) return local;
    let name = raw.toLowerCase();
    let wantedProvider = providerId?.toLowerCase().trim();
    const colon = name.indexOf(':');
    if (colon > 0 && !wantedProvider) {
      const prefix = name.slice(0, colon);
      if (this.providers.some((p) => p.id === prefix) || this.overrideSources.has(name)) {
        wantedProvider = prefix;
        if (!this.overrideSources.has(name)) name = name.slice(colon + 1);
      }
    }

    if (this.overrides) {
      const key = wantedProvider && !name.includes(':') ? `${wantedProvider}:${name}` : name;
      // A provider-scoped override (azure:gpt-4o) applies only when that provider is asked for.
      const override = this.overrides.models.find((m) => m.id === key);
      if (override) return { provider: this.overrides, model: override, matchedName: override.id, source: this.overrideSources.get(override.id) ?? { kind: 'override', name: 'user override', date: 'unspecified' } };
    }

    const candidates: Provider[] = [];
    let claimed: Provider | undefined;
    if (wantedProvider) {
      const provider = this.providers.find((p) => p.id === wantedProvider) ?? this.providers.find((p) => p.provider_match !== undefined && matches(p.provider_match, wantedProvider));
      if (!provider) {
        throw new EngineError('notFound', `No price for ${raw}: genai-prices has no provider "${providerId ?? wantedProvider}".`, `Known providers: ${this.providers.map((p) => p.id).slice(0, 20).join(', ')}.`);
      }
      candidates.push(provider);
    } else {
      // As genai-prices does: the first provider whose model rule claims the name, then every other provider in order.
      claimed = this.providers.find((p) => p.model_match !== undefined && matches(p.model_match, name));
      if (claimed) candidates.push(claimed);
      candidates.push(...this.providers.filter((p) => p !== claimed));
    }
    for (const provider of candidates) {
      for (const candidateName of name === dashedDate(name) ? [name] : [name, dashedDate(name)]) {
        const found = this.findInProvider(provider, candidateName);
        // Neither asked for nor claimed by a provider's rules (an open-weights id such as Qwen/Qwen3.5-9B): several
        // hosts may list it at their own rates, and this is merely the first of them.
        if (found) return { ...found, matchedName: candidateName, source: this.dataSource, ...(!wantedProvider && provider !== claimed ? { firstListing: true as const } : {}) };
      }
    }
    const closest = this.closestNames(name);
    throw new EngineError('notFound', `No price for ${raw}. Closest known names: ${closest.join(', ')}.`, 'Check the spelling, pass the provider (e.g. openai:gpt-5.4), or add a price override for a custom or private model.');
  }

  private findInProvider(provider: Provider, name: string): { provider: Provider; model: ModelInfo } | undefined {
    const model = provider.models.find((m) => matches(m.match, name));
    if (model) return { provider, model };
    for (const fallbackId of provider.fallback_model_providers ?? []) {
      const fallback = this.providers.find((p) => p.id === fallbackId);
      const inFallback = fallback?.models.find((m) => matches(m.match, name));
      if (fallback && inFallback) return { provider: fallback, model: inFallback };
    }
    return undefined;
  }
}

/**
 * A model on a server on this machine (`ollama:llama3.2`, `openai-compatible@URL:MODEL`):
 * priced at $0 per token, and the source says so ("local, $0"). Other unknown prefixes
 * fall through to the catalog, which refuses them with the closest known names.
 */
function localResolved(raw: string): Resolved | undefined {
  const ref = parseLocalModelName(raw);
  if (!ref) return undefined;
  const id = `${ref.server}:${ref.model}`.toLowerCase();
  const model: ModelInfo = { id, match: { equals: raw.toLowerCase() }, prices: { input_mtok: 0, output_mtok: 0 } };
  const provider: Provider = { id: ref.server, name: `${ref.serverName} (local)`, api_pattern: '$^', models: [model] };
  return { provider, model, matchedName: raw.toLowerCase(), source: { kind: 'local', name: `${ref.serverName} at ${ref.baseUrl}`, date: new Date().toISOString().slice(0, 10), note: `${LOCAL_COST_LABEL}: runs on this machine, no per-token price` } };
}

export function describeSource(source: PriceSource): string {
  return `${source.name} (${source.date})`;
}

function bundledSource(): PriceSource {
  const date = GENAI_PRICES_RELEASE_DATES[GENAI_PRICES_VERSION];
  return {
    kind: 'bundled',
    name: `@pydantic/genai-prices@${GENAI_PRICES_VERSION} bundled data`,
    date: date ?? 'unknown',
    ...(date ? {} : { note: `The release date of genai-prices ${GENAI_PRICES_VERSION} is not recorded in pricing.ts.` }),
  };
}

let bundledCache: Promise<Provider[]> | undefined;
/** The package's bundled provider list (its data before any `updatePrices`, which this project never calls). */
function bundledProviders(): Promise<Provider[]> {
  bundledCache ??= waitForUpdate().then((providers) => {
    if (!providers) throw new EngineError('internal', 'genai-prices returned no bundled data.');
    return providers;
  });
  return bundledCache;
}

/** Rejects usage figures no real request has: negative, non-finite, absurdly large, or parts larger than their whole. */
export function checkUsage(usage: TokenUsage): void {
  const limit = 10_000_000;
  for (const [key, value] of Object.entries(usage)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new EngineError('badRequest', `${key} must be a finite number, got ${String(value)}.`);
    if (value < 0) throw new EngineError('badRequest', `${key} cannot be negative (got ${value}).`);
    if (value > limit) throw new EngineError('badRequest', `${key} of ${value} per request is not a real workload (the limit is ${limit}).`);
  }
  if ((usage.cachedInputTokens ?? 0) + (usage.cacheWriteTokens ?? 0) > usage.inputTokens) {
    throw new EngineError('badRequest', `Cached input tokens (${(usage.cachedInputTokens ?? 0) + (usage.cacheWriteTokens ?? 0)}) are part of the input and cannot exceed it (${usage.inputTokens}).`);
  }
  if ((usage.reasoningTokens ?? 0) > usage.outputTokens) {
    throw new EngineError('badRequest', `Reasoning tokens (${usage.reasoningTokens}) are part of the output and cannot exceed it (${usage.outputTokens}).`);
  }
}

let shared: Promise<PriceCatalog> | undefined;
/** One catalog per process for the handlers and the CLI. */
export function sharedPriceCatalog(): Promise<PriceCatalog> {
  shared ??= PriceCatalog.bundled();
  return shared;
}
