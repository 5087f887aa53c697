import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { waitForUpdate } from '@pydantic/genai-prices';
import { EngineError } from '../../../src/protocol/errors';
import { CostEstimator } from '../../../src/engine/cost/estimator';
import { editDistance, GENAI_PRICES_RELEASE_DATES, GENAI_PRICES_VERSION, PriceCatalog } from '../../../src/shared/cost/pricing';

const root = resolve(__dirname, '../../../..');

function isEngineError(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof EngineError && e.code === code && pattern.test(e.message);
}

describe('PriceCatalog', () => {
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('knows the installed genai-prices version and its release date', () => {
    const installed = (JSON.parse(readFileSync(join(root, 'node_modules/@pydantic/genai-prices/package.json'), 'utf8')) as { version: string }).version;
    assert.equal(GENAI_PRICES_VERSION, installed, 'update GENAI_PRICES_VERSION and GENAI_PRICES_RELEASE_DATES in pricing.ts');
    assert.match(GENAI_PRICES_RELEASE_DATES[installed], /^\d{4}-\d{2}-\d{2}$/);
    const source = catalog.source();
    assert.equal(source.kind, 'bundled');
    assert.equal(source.name, `@pydantic/genai-prices@${installed} bundled data`);
  });

  it('gives prices with their source, cached-input prices included', () => {
    const price = catalog.lookup('gpt-4o');
    assert.equal(price.provider, 'openai');
    assert.ok(price.inputPerMTok > 0 && price.outputPerMTok > 0);
    assert.ok(price.cachedInputPerMTok !== undefined && price.cachedInputPerMTok < price.inputPerMTok);
    assert.equal(price.source.kind, 'bundled');
    assert.ok(catalog.lookup('anthropic:claude-3-5-haiku-latest').cacheWritePerMTok !== undefined);
  });

  it('charges cached input at the cache price and reasoning as output', () => {
    const p = catalog.lookup('gpt-4o');
    const c = catalog.cost('gpt-4o', { inputTokens: 1000, outputTokens: 500, cachedInputTokens: 400, reasoningTokens: 200 });
    const expectedInput = (600 * p.inputPerMTok + 400 * p.cachedInputPerMTok!) / 1e6;
    assert.ok(Math.abs(c.inputCost - expectedInput) < 1e-12);
    assert.ok(Math.abs(c.outputCost - (500 * p.outputPerMTok) / 1e6) < 1e-12);
  });

  // newuser28 (llamacoder on Together AI): an open-weights id no provider claims is priced at the first host that lists
  // it, and the price says which host that is. Oracle: genai-prices 0.1.8's data read by hand — Qwen/Qwen3.5-9B is listed
  // by Doubleword (0.08 $/M in) and not by its Together AI entry; gpt-5.4 is claimed by OpenAI's `gpt-` rule; deepseek's
  // `deepseek` rule claims deepseek-ai/DeepSeek-V3 but its own list lacks it, so another host prices it.
  it('names the host of an open-weights model that no provider claims, and no host for a claimed or asked-for name', () => {
    const qwen = catalog.lookup('Qwen/Qwen3.5-9B');
    assert.equal(qwen.provider, 'doubleword');
    assert.equal(qwen.listedHost, 'Doubleword');
    assert.equal(qwen.inputPerMTok, 0.08);
    assert.equal(catalog.lookup('deepseek-ai/DeepSeek-V3').listedHost, 'HuggingFace (novita)');
    for (const name of ['gpt-5.4', 'claude-sonnet-4-5', 'gemini-2.5-flash', 'deepseek-chat', 'openai:gpt-5.4', 'groq:llama-3.3-70b-versatile']) {
      assert.equal(catalog.lookup(name).listedHost, undefined, name);
    }
    assert.equal(catalog.lookup('Qwen/Qwen3.5-9B', { providerId: 'doubleword' }).listedHost, undefined);
  });

  it('prices OpenRouter\'s `:free` variants at zero, and still refuses another model listed without prices', () => {
    // genai-prices lists `deepseek-chat:free` under OpenRouter as "DeepSeek V3 (free)" with `prices: {}`.
    for (const name of ['deepseek/deepseek-chat:free', 'openrouter:deepseek/deepseek-chat:free', 'deepseek/deepseek-r1:free']) {
      const free = catalog.lookup(name);
      assert.equal(free.provider, 'openrouter', name);
      assert.equal(free.inputPerMTok, 0, name);
      assert.equal(free.outputPerMTok, 0, name);
    }
    assert.deepEqual(catalog.cost('deepseek/deepseek-chat:free', { inputTokens: 1_000_000, outputTokens: 1_000_000 }).totalCost, 0);
    // The paid variant keeps its price; an id listed with no price and no `:free` suffix is still refused.
    assert.ok(catalog.lookup('deepseek/deepseek-chat').inputPerMTok > 0);
    assert.throws(() => catalog.lookup('cerebras:qwen-3-coder-480b'), isEngineError('notFound', /is not priced per token/));
  });

  it('says "no price for X" with the closest known names', () => {
    assert.throws(() => catalog.lookup('gpt-4oo'), (e: unknown) => e instanceof EngineError && e.code === 'notFound' && /No price for gpt-4oo\. Closest known names: gpt-4o/.test(e.message));
    assert.throws(() => catalog.lookup('gpt-4.1-nanoo-x'), isEngineError('notFound', /No price for gpt-4.1-nanoo-x\. Closest known names: .*gpt-4\.1-nano/));
    assert.throws(() => catalog.lookup('gpt-4o', { providerId: 'nosuchprovider' }), isEngineError('notFound', /no provider "nosuchprovider"/));
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('rejects negative, non-finite, absurd and inconsistent usage', () => {
    assert.throws(() => catalog.cost('gpt-4o', { inputTokens: -1, outputTokens: 1 }), isEngineError('badRequest', /cannot be negative/));
    assert.throws(() => catalog.cost('gpt-4o', { inputTokens: Number.NaN, outputTokens: 1 }), isEngineError('badRequest', /finite/));
    assert.throws(() => catalog.cost('gpt-4o', { inputTokens: 1e12, outputTokens: 1 }), isEngineError('badRequest', /not a real workload/));
    assert.throws(() => catalog.cost('gpt-4o', { inputTokens: 10, outputTokens: 1, cachedInputTokens: 11 }), isEngineError('badRequest', /cannot exceed/));
    assert.throws(() => catalog.cost('gpt-4o', { inputTokens: 10, outputTokens: 1, reasoningTokens: 2 }), isEngineError('badRequest', /cannot exceed/));
  });

  it('takes validated user overrides for private models, and they win over the catalog', async () => {
    const own = await PriceCatalog.bundled();
    own.setOverrides([
      { model: 'acme-llm-7b', inputPerMTok: 0.2, outputPerMTok: 0.4, reasoningPerMTok: 0.8, date: '2026-11-01', note: 'internal GPU cost' },
      { model: 'gpt-4o', provider: 'azure', inputPerMTok: 2, outputPerMTok: 8 },
    ]);
    const price = own.lookup('acme-llm-7b');
    assert.deepEqual(price.source, { kind: 'override', name: 'user override', date: '2026-11-01', note: 'internal GPU cost' });
    const c = own.cost('acme-llm-7b', { inputTokens: 1e6, outputTokens: 1e6, reasoningTokens: 5e5 });
    assert.ok(Math.abs(c.totalCost - (0.2 + 0.5 * 0.4 + 0.5 * 0.8)) < 1e-9, `reasoning billed at its own price: ${c.totalCost}`);
    assert.equal(own.lookup('azure:gpt-4o').inputPerMTok, 2);
    assert.equal(own.lookup('gpt-4o').provider, 'openai', 'a provider-scoped override leaves other providers alone');
    assert.throws(() => own.setOverrides([{ model: 'x', inputPerMTok: -1, outputPerMTok: 1 }]), isEngineError('badRequest', /inputPerMTok/));
    assert.throws(() => own.setOverrides([{ model: 'x', inputPerMTok: 1 }]), isEngineError('badRequest', /outputPerMTok/));
    assert.equal(own.lookup('acme-llm-7b').inputPerMTok, 0.2, 'a rejected set leaves the old overrides');
    assert.ok(!catalog.has('acme-llm-7b'), 'overrides are per catalog');
  });
});

describe('PriceCatalog.updateFromPublished (opt-in)', () => {
  let server: http.Server;
  let url: string;
  let body = '';
  let status = 200;
  let dir: string;
  before(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/prices/data.json`;
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-prices-'));
  });
  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('switches to fetched data, dates it, saves it, and later runs start from it', async () => {
    const providers = structuredClone(await waitForUpdate());
    const openai = providers!.find((p) => p.id === 'openai')!;
    const gpt4o = openai.models.find((m) => m.id === 'gpt-4o')!;
    gpt4o.prices = { input_mtok: 1.11, output_mtok: 2.22 };
    body = JSON.stringify(providers);
    status = 200;
    const cacheFile = join(dir, 'genai-prices.json');
    const catalog = await PriceCatalog.bundled();
    const source = await catalog.updateFromPublished({ url, cacheFile });
    assert.equal(source.kind, 'published');
    assert.equal(source.name, url);
    assert.equal(source.date, new Date().toISOString().slice(0, 10));
    assert.equal(catalog.lookup('gpt-4o').inputPerMTok, 1.11);
    assert.equal(catalog.lookup('gpt-4o').source.kind, 'published');
    const later = await PriceCatalog.fromCacheOrBundled(cacheFile);
    assert.equal(later.lookup('gpt-4o').inputPerMTok, 1.11);
    assert.equal((await PriceCatalog.bundled()).lookup('gpt-4o').inputPerMTok, 2.5, 'other catalogs keep the bundled data');
    await catalog.resetToBundled();
    assert.equal(catalog.source().kind, 'bundled');
  });

  it('keeps the current data when the fetch fails or the data is not genai-prices data', async () => {
    const catalog = await PriceCatalog.bundled();
    status = 503;
    body = '{}';
    await assert.rejects(catalog.updateFromPublished({ url }), isEngineError('engineUnavailable', /HTTP 503.*Still using @pydantic\/genai-prices/));
    status = 200;
    body = JSON.stringify([{ id: 'x' }]);
    await assert.rejects(catalog.updateFromPublished({ url }), isEngineError('badRequest', /not in genai-prices' format/));
    await assert.rejects(catalog.updateFromPublished({ url: 'http://127.0.0.1:1/none.json', timeoutMs: 2000 }), isEngineError('engineUnavailable', /Could not fetch/));
    assert.equal(catalog.source().kind, 'bundled');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, 'not json');
    const fallback = await PriceCatalog.fromCacheOrBundled(broken);
    assert.equal(fallback.source().kind, 'bundled');
    assert.match(fallback.source().note ?? '', /could not be used/);
  });
});

describe('CostEstimator', () => {
  it("reproduces the seed's example from the catalog's gpt-4o prices", async () => {
    const catalog = await PriceCatalog.bundled();
    const price = catalog.lookup('gpt-4o');
    const estimate = await new CostEstimator(catalog).estimate({ model: 'gpt-4o', avgInputTokens: 500, avgOutputTokens: 300, queriesPerDay: 1000, days: 30 });
    const queries = 1000 * 30;
    const inputCost = (500 * queries * price.inputPerMTok) / 1e6;
    const outputCost = (300 * queries * price.outputPerMTok) / 1e6;
    assert.ok(Math.abs(estimate.inputCost - inputCost) < 1e-9);
    assert.ok(Math.abs(estimate.outputCost - outputCost) < 1e-9);
    assert.ok(Math.abs(estimate.totalCost - (inputCost + outputCost)) < 1e-9);
    assert.equal(estimate.totalTokens, 800 * queries);
    assert.equal(estimate.queries, queries);
    assert.equal(estimate.price.source.kind, 'bundled');
  });

  it('prices tiers per request, and counts cached and reasoning tokens', async () => {
    const catalog = await PriceCatalog.bundled();
    const estimator = new CostEstimator(catalog);
    // gemini-1.5-pro doubles its price above 128k prompt tokens: per request, not on the month's total.
    const small = await estimator.estimate({ model: 'gemini-1.5-pro', avgInputTokens: 1000, avgOutputTokens: 0, queriesPerDay: 1000, days: 1 });
    assert.ok(Math.abs(small.totalCost - (1000 * 1000 * 1.25) / 1e6) < 1e-9, `base tier: ${small.totalCost}`);
    const withCache = await estimator.estimate({ model: 'gpt-4o', avgInputTokens: 1000, avgOutputTokens: 100, queriesPerDay: 10, days: 1, cachedInputTokens: 1000, reasoningTokens: 50 });
    const p = catalog.lookup('gpt-4o');
    assert.ok(Math.abs(withCache.inputCost - (10 * 1000 * p.cachedInputPerMTok!) / 1e6) < 1e-12);
    assert.ok(Math.abs(withCache.outputCost - (10 * 150 * p.outputPerMTok) / 1e6) < 1e-12);
    assert.equal(withCache.totalTokens, 10 * 1150);
  });

  it('rejects unknown models, negative and absurd figures with clear errors', async () => {
    const estimator = new CostEstimator(await PriceCatalog.bundled());
    const base = { model: 'gpt-4o', avgInputTokens: 500, avgOutputTokens: 300, queriesPerDay: 1000, days: 30 };
    await assert.rejects(estimator.estimate({ ...base, model: 'gpt-40' }), isEngineError('notFound', /No price for gpt-40\. Closest known names: .*gpt-4o/));
    await assert.rejects(estimator.estimate({ ...base, avgInputTokens: -5 }), isEngineError('badRequest', /avgInputTokens cannot be negative/));
    await assert.rejects(estimator.estimate({ ...base, queriesPerDay: 1e12 }), isEngineError('badRequest', /not a real workload/));
    await assert.rejects(estimator.estimate({ ...base, days: 100_000 }), isEngineError('badRequest', /days/));
    await assert.rejects(estimator.estimate({ ...base, avgOutputTokens: Number.POSITIVE_INFINITY }), isEngineError('badRequest', /avgOutputTokens/));
    await assert.rejects(estimator.estimate({ ...base, cachedInputTokens: 600 }), isEngineError('badRequest', /cannot exceed/));
  });
});
