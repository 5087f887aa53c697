/**
 * CostEstimator with exact expected values computed by hand from the price catalog's
 * per-million prices (genai-prices 0.1.8, read here straight from the package, not through
 * our PriceCatalog) and token counts from js-tiktoken itself.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForUpdate } from '@pydantic/genai-prices';
import { CostEstimator } from '../../../src/engine/cost/estimator';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { EngineError } from '../../../src/protocol/errors';

/* eslint-disable @typescript-eslint/no-require-imports -- js-tiktoken ships ES modules that this CommonJS test loads with require, as src/shared/prompt/tokenizer.ts does */
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string, allowed: string[], disallowed: string[]): number[] } };
const o200kModule = require('js-tiktoken/ranks/o200k_base') as { default?: unknown };
/* eslint-enable @typescript-eslint/no-require-imports */
const o200k: unknown = o200kModule.default ?? o200kModule;

/** gpt-4o in genai-prices 0.1.8 (openai provider), USD per million tokens; checked against the package below. */
const GPT4O = { input: 2.5, cachedInput: 1.25, output: 10 };

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual} instead of ${expected}`);
}

describe('CostEstimator: exact figures', () => {
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it("uses gpt-4o's catalog prices (the package's own data)", async () => {
    const providers = await waitForUpdate();
    const model = (providers ?? []).find((p) => p.id === 'openai')?.models.find((m) => m.id === 'gpt-4o');
    assert.ok(model && !Array.isArray(model.prices));
    const prices = model.prices as { input_mtok?: number; cache_read_mtok?: number; output_mtok?: number };
    assert.deepEqual({ input: prices.input_mtok, cachedInput: prices.cache_read_mtok, output: prices.output_mtok }, GPT4O);
  });

  it('checks every field of an estimate with cached and reasoning tokens', async () => {
    // 250 queries a day for 7 days; per query 1,200 input tokens (400 of them cached), 300 output + 100 reasoning.
    const e = await new CostEstimator(catalog).estimate({ model: 'gpt-4o', avgInputTokens: 1200, cachedInputTokens: 400, avgOutputTokens: 300, reasoningTokens: 100, queriesPerDay: 250, days: 7 });
    // Per query: input (800 × 2.5 + 400 × 1.25) / 1e6 = 0.0025; output (300 + 100) × 10 / 1e6 = 0.004.
    const queries = 1750;
    assert.equal(e.model, 'gpt-4o');
    assert.equal(e.queries, queries);
    assert.equal(e.days, 7);
    close(e.costPerQuery, 0.0065, 'costPerQuery');
    close(e.inputCost, 0.0025 * queries, 'inputCost'); // 4.375
    close(e.outputCost, 0.004 * queries, 'outputCost'); // 7
    close(e.totalCost, 11.375, 'totalCost');
    close(e.dailyCost, 11.375 / 7, 'dailyCost'); // 1.625
    assert.equal(e.inputTokens, 2_100_000);
    assert.equal(e.outputTokens, 525_000);
    assert.equal(e.reasoningTokens, 175_000);
    assert.equal(e.cachedInputTokens, 700_000);
    assert.equal(e.totalTokens, 2_800_000);
    assert.equal(e.price.inputPerMTok, GPT4O.input);
    assert.equal(e.price.outputPerMTok, GPT4O.output);
  });

  it('prices a real prompt counted with js-tiktoken (o200k_base, the gpt-4o encoding)', async () => {
    // danielmiessler/fabric data/patterns/analyze_bill/system.md (MIT), from the committed prompt corpus.
    const corpus = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/prompts/fabric-patterns.json'), 'utf8')) as { prompts: Array<{ id: string; text: string }> };
    const text = corpus.prompts.find((p) => p.id === 'analyze_bill')?.text;
    assert.ok(text);
    const tokens = new Tiktoken(o200k).encode(text, [], []).length;
    assert.ok(tokens > 100);
    const e = await new CostEstimator(catalog).estimate({ model: 'gpt-4o', avgInputTokens: tokens, avgOutputTokens: 500, queriesPerDay: 40, days: 30 });
    const queries = 40 * 30;
    close(e.inputCost, (tokens * queries * GPT4O.input) / 1e6, 'inputCost');
    close(e.outputCost, (500 * queries * GPT4O.output) / 1e6, 'outputCost');
    close(e.dailyCost, ((tokens * GPT4O.input + 500 * GPT4O.output) / 1e6) * 40, 'dailyCost');
    assert.equal(e.inputTokens, tokens * queries);
    assert.equal(e.outputTokens, 500 * queries);
    assert.equal(e.reasoningTokens, 0);
    assert.equal(e.cachedInputTokens, 0);
    assert.equal(e.totalTokens, (tokens + 500) * queries);
  });

  it('defines days = 0: nothing is spent over no days, and a day still costs what a day costs', async () => {
    const e = await new CostEstimator(catalog).estimate({ model: 'gpt-4o', avgInputTokens: 1000, avgOutputTokens: 200, queriesPerDay: 100, days: 0 });
    assert.equal(e.queries, 0);
    assert.equal(e.totalCost, 0);
    assert.equal(e.inputTokens, 0);
    // (1000 × 2.5 + 200 × 10) / 1e6 × 100 = 0.45 a day.
    close(e.dailyCost, 0.45, 'dailyCost');
    assert.ok(Number.isFinite(e.dailyCost));
  });

  it('uses the shared bundled catalog when none is given, and passes the provider on', async () => {
    const e = await new CostEstimator().estimate({ model: 'gpt-4o', avgInputTokens: 1000, avgOutputTokens: 0, queriesPerDay: 1, days: 1 });
    close(e.totalCost, 0.0025, 'totalCost');
    // claude-3-5-haiku-latest, anthropic: 0.8 input, 4 output per million.
    const h = await new CostEstimator(catalog).estimate({ model: 'claude-3-5-haiku-latest', providerId: 'anthropic', avgInputTokens: 1000, avgOutputTokens: 1000, queriesPerDay: 1, days: 1 });
    close(h.totalCost, 0.0048, 'haiku totalCost');
    assert.equal(h.price.provider, 'anthropic');
    await assert.rejects(new CostEstimator(catalog).estimate({ model: 'gpt-4o', providerId: 'anthropic', avgInputTokens: 1, avgOutputTokens: 1, queriesPerDay: 1, days: 1 }), (err: unknown) => err instanceof EngineError && err.code === 'notFound');
  });

  it('names itself in validation errors', async () => {
    await assert.rejects(new CostEstimator(catalog).estimate({ model: 'gpt-4o', avgInputTokens: 1, avgOutputTokens: 1, queriesPerDay: 1, days: -1 }), (err: unknown) => err instanceof EngineError && err.code === 'badRequest' && err.message.startsWith('Invalid parameters for CostEstimator.estimate: days: days cannot be negative'));
  });
});
