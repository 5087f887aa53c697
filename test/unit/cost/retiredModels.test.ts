import * as assert from 'node:assert/strict';
import { EngineError } from '../../../src/protocol/errors';
import { CostOptimizer } from '../../../src/engine/cost/optimizer';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { ModelLifecycle, QualityCatalog, QualityFileSchema, type QualityFile } from '../../../src/shared/cost/quality';
import { ModelSelector } from '../../../src/engine/cost/selector';
import retired from '../../../src/shared/cost/data/retired-models.json';
import bundled from '../../../src/shared/cost/data/model-quality.json';

const DAY = new Date('2026-12-02T12:00:00Z');

function fixture(scores: Array<[string, number]>): QualityCatalog {
  const data: QualityFile = {
    benchmarks: { 'QA-X': { scale: 100 } },
    tasks: { qa: { benchmark: 'QA-X', rationale: 'test' } },
    models: Object.fromEntries(scores.map(([m, v]) => [m, { scores: { 'QA-X': { value: v, source: 'test fixture', date: '2026-01-01' } } }])),
  };
  return new QualityCatalog([{ data, origin: 'fixture' }]);
}

describe('Retired and deprecated models (data/retired-models.json)', () => {
  it('every entry names the provider page it comes from, and the list is dated', () => {
    const lifecycle = new ModelLifecycle();
    assert.equal(lifecycle.checked, '2026-12-02');
    assert.equal(lifecycle.entries().length, retired.models.length);
    for (const e of lifecycle.entries()) assert.match(e.source, /^https:\/\/(developers\.openai\.com|platform\.claude\.com|cloud\.google\.com|ai\.google\.dev)\//, e.model);
  });

  it('a shutdown date in the past means retired, a future one deprecated (the day itself is retired)', () => {
    const lifecycle = new ModelLifecycle();
    assert.equal(lifecycle.verdict('gemini-1.5-flash', DAY)?.status, 'retired');
    assert.equal(lifecycle.verdict('google:gemini-1.5-flash', DAY)?.status, 'retired');
    assert.equal(lifecycle.verdict('o4-mini', new Date('2026-10-22T23:00:00Z'))?.status, 'deprecated');
    assert.equal(lifecycle.verdict('o4-mini', new Date('2026-10-23T00:00:00Z'))?.status, 'retired');
    assert.equal(lifecycle.verdict('gpt-4o', DAY)?.status, 'deprecated');
    assert.equal(lifecycle.verdict('GPT-4o-2024-08-06', new Date('2027-01-14T00:00:00Z'))?.status, 'retired');
    assert.equal(lifecycle.verdict('claude-3-5-sonnet-20240620', DAY)?.reason, 'claude-3-5-sonnet-20240620 is retired by anthropic: shut down on 2025-10-22 (https://platform.claude.com/docs/en/about-claude/model-deprecations; list checked 2026-12-02)');
    assert.equal(lifecycle.verdict('gpt-5.4-mini', DAY), undefined);
    // Anthropic's model-status table: Claude 2.x and 3 Sonnet shut down 2025-07-21, Claude 1.x and Instant 2024-11-06.
    assert.equal(lifecycle.verdict('claude-2.1', DAY)?.entry?.shutdownDate, '2025-07-21');
    assert.equal(lifecycle.verdict('claude-3-sonnet-20240229', new Date('2025-07-20T12:00:00Z'))?.status, 'deprecated');
    assert.equal(lifecycle.verdict('claude-instant-1', DAY)?.reason, 'claude-instant-1.2 is retired by anthropic: shut down on 2024-11-06 (https://platform.claude.com/docs/en/about-claude/model-deprecations; list checked 2026-12-02)');
    assert.equal(lifecycle.verdict('claude-3-haiku-20240307', DAY), undefined);
  });

  it("genai-prices' own deprecated flag counts too", async () => {
    const prices = await PriceCatalog.bundled();
    // gemini-2.5-flash-preview is `deprecated: true` in genai-prices 0.1.8's data; gpt-5.4-mini is not.
    assert.equal(prices.isDeprecated('gemini-2.5-flash-preview'), true);
    assert.equal(prices.isDeprecated('gpt-5.4-mini'), false);
    const lifecycle = new ModelLifecycle(undefined, (m) => prices.isDeprecated(m));
    assert.equal(lifecycle.verdict('gemini-2.5-flash-preview', DAY)?.status, 'deprecated');
  });

  it('a retired model is never recommended, even when it is the cheapest that keeps the quality', async () => {
    const prices = await PriceCatalog.bundled();
    const quality = fixture([['gpt-5.4', 90], ['gemini-1.5-flash', 89], ['gpt-5.4-mini', 85]]);
    const none = new ModelLifecycle({ checked: '2026-12-02', models: [] });
    // Without the list the retired model wins on price: the filter is what changes the answer.
    assert.equal((await new CostOptimizer({ prices, quality, lifecycle: none, now: DAY }).recommendModel({ currentModel: 'gpt-5.4', task: 'qa', qualityThreshold: 0.9 })).model, 'gemini-1.5-flash');
    assert.equal((await new CostOptimizer({ prices, quality, now: DAY }).recommendModel({ currentModel: 'gpt-5.4', task: 'qa', qualityThreshold: 0.9 })).model, 'gpt-5.4-mini');
    const selected = await new ModelSelector({ prices, quality, now: DAY }).select({ task: 'qa', qualityThreshold: 0.8 });
    assert.equal(selected.name, 'gpt-5.4-mini');
    assert.ok(selected.excluded.some((e) => e.name === 'gemini-1.5-flash' && e.reason.startsWith('gemini-1.5-flash is retired by google')));
  });

  it("the demo's case: gpt-4o for rag on the bundled quality data gets no retired or deprecated recommendation", async () => {
    // Before 2026-12-03 the data had no current model; qualityData.test.ts checks what it recommends now. On the
    // simple-evals rows alone (2025-04, every model retired or deprecated), the refusal still holds.
    const prices = await PriceCatalog.bundled();
    const data = QualityFileSchema.parse(bundled);
    const simpleEvals = Object.fromEntries(Object.entries(data.models ?? {}).filter(([, e]) => Object.values(e.scores).every((s) => s.source.includes('openai/simple-evals'))));
    const oldOnly = new QualityCatalog([{ data: { ...data, models: simpleEvals }, origin: 'simple-evals rows' }]);
    await assert.rejects(
      new CostOptimizer({ prices, quality: oldOnly, now: DAY }).recommendModel({ currentModel: 'gpt-4o', task: 'rag', qualityThreshold: 0.8, maxLatencyMs: 500 }),
      (e: unknown) => e instanceof EngineError && e.code === 'notFound' && e.message.startsWith('No current model to recommend for rag: gpt-4o is deprecated by openai: shutdown announced for 2027-01-14'),
    );
    // ModelSelector on those rows alone: every model with a DROP or GPQA score is retired or deprecated, and it says so.
    await assert.rejects(
      new ModelSelector({ prices, quality: oldOnly, now: DAY }).select({ task: 'rag', qualityThreshold: 0.5 }),
      (e: unknown) => e instanceof EngineError && e.code === 'notFound' && /^No model meets every constraint for rag \(DROP ≥ 0\.5\)/.test(e.message) && /No current model has a published DROP or GPQA score/.test(e.hint ?? ''),
    );
  });

  it('Select Model falls back to the task\'s fallback benchmark when no current model has a score on its own (newuser33)', async () => {
    // "Select Model for a Task…" with its defaults (summarization, 0.8) listed o3, o4-mini, o3-mini and o1 as "closest
    // misses" and selected nothing: DROP scores exist only for retired or deprecated models. GPQA is summarization's
    // fallback in model-quality.json; on it the current models are gpt-5.4 93.0, claude-sonnet-4-6 89.9, gpt-5.4-mini 88.0,
    // gemini-3.1-flash-lite 86.9 and gpt-5.4-nano 82.8, all ≥ 0.8, and gpt-5.4-nano is the cheapest of them.
    const prices = await PriceCatalog.bundled();
    const selected = await new ModelSelector({ prices, quality: QualityCatalog.load(), now: DAY }).select({ task: 'summarization', qualityThreshold: 0.8 });
    assert.equal(selected.name, 'gpt-5.4-nano');
    assert.equal(selected.evidence.quality.benchmark, 'GPQA');
    assert.equal(selected.qualityScore, 0.828);
    assert.equal(selected.evidence.taskBenchmark.benchmark, 'DROP');
    assert.ok(selected.evidence.notes.includes('Judged on GPQA, the fallback of summarization: no current model has a published DROP score (the models with one are retired or deprecated), so the threshold 0.8 was applied to GPQA scores.'));
    // Above every current model's GPQA score: the misses are the current models, not retired ones.
    await assert.rejects(
      new ModelSelector({ prices, quality: QualityCatalog.load(), now: DAY }).select({ task: 'summarization', qualityThreshold: 0.95 }),
      (e: unknown) => e instanceof EngineError && e.message === 'No model meets every constraint for summarization (GPQA ≥ 0.95). Closest misses: gpt-5.4 (GPQA 0.930 below 0.95); gpt-5.4-mini (GPQA 0.880 below 0.95); gpt-5.4-nano (GPQA 0.828 below 0.95); gemini-3.1-flash-lite (GPQA 0.869 below 0.95).',
    );
    // A task whose own benchmark a current model has is judged on it, with no fallback note (reasoning is GPQA itself).
    const reasoning = await new ModelSelector({ prices, quality: QualityCatalog.load(), now: DAY }).select({ task: 'reasoning', qualityThreshold: 0.8 });
    assert.equal(reasoning.name, 'gpt-5.4-nano');
    assert.ok(!reasoning.evidence.notes.some((n) => n.startsWith('Judged on')));
  });

  it('a plan (Plan Cost Reduction) never recommends a retired model either', async () => {
    // newuser32: the Cost Dashboard's plan put o4-mini (shut down 2026-10-23) on three tasks.
    const prices = await PriceCatalog.bundled();
    const quality = fixture([['gpt-5.4', 90], ['gemini-1.5-flash', 89], ['gpt-5.4-mini', 85]]);
    const none = new ModelLifecycle({ checked: '2026-12-02', models: [] });
    const params = { currentSetup: { models: { qa: 'gpt-5.4' }, avgUsage: { qa: { queriesPerDay: 1000, avgTokens: 1000 } } }, maxQualityReduction: 0.1, targetCostReduction: 0, objective: 'mostSavings' as 'mostSavings' | 'leastQualityLoss' };
    // Without the list the retired model wins on price: the filter is what changes the answer.
    assert.equal((await new CostOptimizer({ prices, quality, lifecycle: none, now: DAY }).optimize(params)).recommendations.qa.recommendedModel, 'gemini-1.5-flash');
    assert.equal((await new CostOptimizer({ prices, quality, now: DAY }).optimize(params)).recommendations.qa.recommendedModel, 'gpt-5.4-mini');
    // A target out of reach says that retired models were left out.
    const unmet = await new CostOptimizer({ prices, quality, now: DAY }).optimize({ ...params, maxQualityReduction: 0.02, targetCostReduction: 0.5, objective: 'leastQualityLoss' as const });
    assert.equal(unmet.targetMet, false);
    assert.ok(unmet.summary.endsWith(' 1 retired or deprecated model(s) of the quality data are left out (list checked 2026-12-02).'), unmet.summary);
  });
});

