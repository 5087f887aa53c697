/**
 * CostOptimizer with every figure of its answers checked against values computed by hand.
 * Prices are genai-prices 0.1.8's per-million prices (openai provider), which happen to all
 * be "output = 4 × input":
 *   gpt-4o 2.5 / 10, o3-mini 1.1 / 4.4, gpt-4.1-mini 0.4 / 1.6, gpt-4o-mini 0.15 / 0.6,
 *   gpt-4.1-nano 0.1 / 0.4 (gpt-4o-2024-08-06 is priced as gpt-4o, gpt-4o-mini-2024-07-18 as gpt-4o-mini).
 * So a model with input price p costs, per month of 30 days:
 *   qa   (1,000 queries a day, 1,000 input + 250 output tokens): 1000·30·(1000p + 250·4p)/1e6 = 60p
 *   chat (2,000 queries a day, 400 tokens at 75 % input: 300 in, 100 out): 2000·30·(300p + 100·4p)/1e6 = 42p
 * i.e. qa: gpt-4o 150, o3-mini 66, gpt-4.1-mini 24, gpt-4o-mini 9, gpt-4.1-nano 6;
 *    chat: gpt-4o 105, gpt-4.1-mini 16.8, gpt-4o-mini 6.3, gpt-4.1-nano 4.2.
 * The benchmark scores are a test fixture (not published figures), chosen for round losses.
 */
import * as assert from 'node:assert/strict';
import { branchAndBound, CostOptimizer } from '../../../src/engine/cost/optimizer';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { ModelLifecycle, QualityCatalog, type QualityFile } from '../../../src/shared/cost/quality';
/** These tests are about ranking: no model counts as retired (retirement has its own tests in retiredModels.test.ts). */
const NO_RETIREMENTS = new ModelLifecycle({ checked: '2026-12-02', models: [] });
import { EngineError } from '../../../src/protocol/errors';

const src = { source: 'test fixture', date: '2026-01-01' };
const s = (value: number) => ({ value, ...src });

function catalog(file: QualityFile): QualityCatalog {
  return new QualityCatalog([{ data: file, origin: 'test' }]);
}

/** Losses against gpt-4o: QA-X o3-mini +5 %, 4.1-mini 5 %, 4o-mini 10 %, nano 25 %; CHAT-X 4o-mini 5 %, 4.1-mini 10 %, nano 50 %. */
const fixture: QualityFile = {
  benchmarks: { 'QA-X': { scale: 100 }, 'CHAT-X': { scale: 100 }, 'ZERO-X': { scale: 100 } },
  tasks: { qa: { benchmark: 'QA-X', rationale: 'test' }, chat: { benchmark: 'CHAT-X', rationale: 'test' }, zero: { benchmark: 'ZERO-X', rationale: 'test' } },
  models: {
    'gpt-4o': { scores: { 'QA-X': s(80), 'CHAT-X': s(90), 'ZERO-X': s(0) } },
    'o3-mini': { scores: { 'QA-X': s(84) } },
    'gpt-4.1-mini': { scores: { 'QA-X': s(76), 'CHAT-X': s(81) } },
    'gpt-4o-mini': { scores: { 'QA-X': s(72), 'CHAT-X': s(85.5), 'ZERO-X': s(50) } },
    'gpt-4.1-nano': { scores: { 'QA-X': s(60), 'CHAT-X': s(45) } },
    'no-such-priced-model': { scores: { 'QA-X': s(99), 'CHAT-X': s(99) } },
  },
};

const setup = {
  models: { qa: 'gpt-4o', chat: 'gpt-4o' },
  avgUsage: { qa: { queriesPerDay: 1000, avgInputTokens: 1000, avgOutputTokens: 250 }, chat: { queriesPerDay: 2000, avgTokens: 400 } },
};
// Token volume: qa 1,000 × 1,250 = 1.25M, chat 2,000 × 400 = 0.8M a day: shares 1.25/2.05 and 0.8/2.05.
const QA_SHARE = 1.25 / 2.05;
const CHAT_SHARE = 0.8 / 2.05;
const METHOD = 'branch and bound over Pareto-pruned candidates per task';

describe('CostOptimizer.optimize: exact plans', () => {
  let prices: PriceCatalog;
  const quality = catalog(fixture);
  before(async () => {
    prices = await PriceCatalog.bundled();
  });
  const optimizer = () => new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality });

  it('mostSavings: the cheapest model within the limit for each task, every field', async () => {
    const plan = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1 });
    // qa: within 10 % are gpt-4o 150, o3-mini 66, 4.1-mini 24, 4o-mini 9 → 4o-mini. chat: 4o 105, 4o-mini 6.3, 4.1-mini 16.8 → 4o-mini.
    assert.deepEqual(plan, {
      estimatedSavingsPercent: 94, // (255 − 15.3) / 255
      estimatedMonthlySavings: 239.7,
      currentMonthlyCost: 255,
      optimizedMonthlyCost: 15.3,
      targetCostReduction: 0,
      targetMet: true,
      summary: 'Target met: 94 % saved (target 0 %), every task within 10 % of its current quality.',
      objective: 'mostSavings',
      weightedQualityImpact: Math.round((-10 * QA_SHARE - 5 * CHAT_SHARE) * 100) / 100, // −8.05
      recommendations: {
        qa: { currentModel: 'gpt-4o', recommendedModel: 'gpt-4o-mini', monthlySavings: 141, currentMonthlyCost: 150, recommendedMonthlyCost: 9, qualityImpact: -10, benchmark: 'QA-X', reason: 'gpt-4o-mini scores -10 % on QA-X relative to gpt-4o and costs 94 % less' },
        chat: { currentModel: 'gpt-4o', recommendedModel: 'gpt-4o-mini', monthlySavings: 98.7, currentMonthlyCost: 105, recommendedMonthlyCost: 6.3, qualityImpact: -5, benchmark: 'CHAT-X', reason: 'gpt-4o-mini scores -5 % on CHAT-X relative to gpt-4o and costs 94 % less' },
      },
      // Fronts: qa 4o-mini (9, .1), 4.1-mini (24, .05), o3-mini (66, 0); chat 4o-mini (6.3, .05), 4o (105, 0).
      // Search, cheapest first: root, qa 4o-mini, chat 4o-mini (15.3, incumbent), chat 4o (pruned), qa 4.1-mini (pruned), qa o3-mini (pruned): 6 nodes.
      method: { name: METHOD, exact: true, nodesVisited: 6, candidatesPerTask: { qa: 3, chat: 2 } },
      priceSources: [prices.source()],
    });
    assert.equal(plan.weightedQualityImpact, -8.05);
  });

  it('leastQualityLoss: the smallest weighted loss that meets the target', async () => {
    const plan = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.5 });
    // Budget 127.5. Lossless (o3-mini + 4o) costs 171; o3-mini + chat 4o-mini costs 72.3 at loss .05 × chat share; 4.1-mini + 4o costs 129.
    assert.equal(plan.objective, 'leastQualityLoss');
    assert.equal(plan.targetMet, true);
    assert.equal(plan.currentMonthlyCost, 255);
    assert.equal(plan.optimizedMonthlyCost, 72.3);
    assert.equal(plan.estimatedMonthlySavings, 182.7);
    assert.equal(plan.estimatedSavingsPercent, 71.65); // 182.7 / 255 = 71.647 %
    assert.equal(plan.summary, 'Target met: 71.6 % saved (target 50 %), every task within 10 % of its current quality.');
    assert.equal(plan.weightedQualityImpact, 1.1); // +5 × 1.25/2.05 − 5 × 0.8/2.05 = 1.0976
    assert.deepEqual(plan.recommendations.qa, { currentModel: 'gpt-4o', recommendedModel: 'o3-mini', monthlySavings: 84, currentMonthlyCost: 150, recommendedMonthlyCost: 66, qualityImpact: 5, benchmark: 'QA-X', reason: 'o3-mini scores +5 % on QA-X relative to gpt-4o and costs 56 % less' });
    assert.equal(plan.recommendations.chat.recommendedModel, 'gpt-4o-mini');
    assert.equal('qualityReductionNeededForTarget' in plan, false);
    // Budget 130.05 (49 %): qa 4.1-mini + chat 4o (129) at loss .05 × qa share (.0305) loses to o3-mini + chat 4o-mini (.0195).
    const weighted = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.49 });
    assert.equal(weighted.optimizedMonthlyCost, 72.3);
    // The shared catalog is used when none is given. (The fixture's models, o3-mini among them, are retired by now: a plan
    // leaves retired models out since session 32, so the list is emptied here as above.)
    const shared = await new CostOptimizer({ quality, lifecycle: NO_RETIREMENTS }).optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.5 });
    assert.equal(shared.optimizedMonthlyCost, 72.3);
  });

  it('falls back to mostSavings when the target is out of reach, and says no loss reaches it', async () => {
    const plan = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.99 });
    // Budget 2.55; even nano for both (6 + 4.2 = 10.2, at 25 % and 50 % loss) costs more.
    assert.equal(plan.targetMet, false);
    assert.equal(plan.objective, 'mostSavings');
    assert.equal(plan.optimizedMonthlyCost, 15.3);
    assert.equal(plan.qualityReductionNeededForTarget, null);
    assert.equal(plan.summary, 'Target not met: at most 94 % can be saved with every task within 10 % of its current quality (target 99 %). No choice of the catalog models reaches the target at any quality loss.');
  });

  it('says which quality reduction would reach the target, and that one does', async () => {
    const plan = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.95 });
    // Budget 12.75 > 15.3 within 10 %; at 25 %: qa nano 6 + chat 4o-mini 6.3 = 12.3 fits.
    assert.equal(plan.targetMet, false);
    assert.equal(plan.objective, 'mostSavings');
    assert.equal(plan.qualityReductionNeededForTarget, 0.25);
    assert.equal(plan.summary, 'Target not met: at most 94 % can be saved with every task within 10 % of its current quality (target 95 %). Reaching it needs a quality reduction of up to 25 % per task.');
    const retry = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.25, targetCostReduction: 0.95 });
    assert.equal(retry.targetMet, true);
    assert.equal(retry.optimizedMonthlyCost, 12.3);
    assert.equal(retry.recommendations.qa.recommendedModel, 'gpt-4.1-nano');
    assert.equal(retry.recommendations.qa.qualityImpact, -25);
    assert.equal(retry.summary, 'Target met: 95.2 % saved (target 95 %), every task within 25 % of its current quality.');
  });

  it('mostSavings asked for explicitly still reports whether the target is met', async () => {
    const missed = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.95, objective: 'mostSavings' });
    assert.equal(missed.targetMet, false);
    assert.equal(missed.objective, 'mostSavings');
    assert.equal(missed.qualityReductionNeededForTarget, 0.25);
    // The levels are tried smallest first: with chat listed first its 50 % loss is met before qa's 25 %.
    const chatFirst = await optimizer().optimize({ currentSetup: { models: { chat: 'gpt-4o', qa: 'gpt-4o' }, avgUsage: setup.avgUsage }, maxQualityReduction: 0.1, targetCostReduction: 0.95 });
    assert.equal(chatFirst.qualityReductionNeededForTarget, 0.25);
    const met = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.9, objective: 'mostSavings' });
    assert.equal(met.targetMet, true);
    assert.equal(met.optimizedMonthlyCost, 15.3);
    assert.equal('qualityReductionNeededForTarget' in met, false);
  });

  it('a zero loss limit keeps the current model unless a cheaper one is at least as good', async () => {
    const plan = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.02 });
    assert.equal(plan.recommendations.qa.recommendedModel, 'o3-mini');
    assert.deepEqual(plan.recommendations.chat, { currentModel: 'gpt-4o', recommendedModel: 'gpt-4o', monthlySavings: 0, currentMonthlyCost: 105, recommendedMonthlyCost: 105, qualityImpact: 0, benchmark: 'CHAT-X', reason: "no cheaper model within 2 % of gpt-4o's CHAT-X score is needed or available" });
    assert.equal(plan.optimizedMonthlyCost, 171);
    assert.equal(plan.method.candidatesPerTask.chat, 1);
  });

  it('limits the candidates, splits avgTokens by inputShare and counts daysPerMonth', async () => {
    const limited = await optimizer().optimize({ currentSetup: setup, maxQualityReduction: 0.1, candidates: ['gpt-4.1-mini', 'no-such-priced-model'] });
    assert.equal(limited.recommendations.qa.recommendedModel, 'gpt-4.1-mini');
    assert.equal(limited.recommendations.chat.recommendedModel, 'gpt-4.1-mini');
    assert.equal(limited.optimizedMonthlyCost, 40.8); // 24 + 16.8
    assert.deepEqual(limited.method.candidatesPerTask, { qa: 2, chat: 2 });
    // chat at 50 % input: 200 in + 200 out = 1000p per 1e6 per query; 2,000 a day × 31 days × 2.5 × 1000 / 1e6 = 155.
    const custom = await optimizer().optimize({ currentSetup: { models: { chat: 'gpt-4o' }, avgUsage: { chat: setup.avgUsage.chat } }, inputShare: 0.5, daysPerMonth: 31, maxQualityReduction: 0 });
    assert.equal(custom.currentMonthlyCost, 155);
  });

  it('keeps what it cannot judge, with the reason, and weights zero-volume tasks evenly', async () => {
    const plan = await optimizer().optimize({
      currentSetup: {
        models: { poetry: 'gpt-4o', qa: 'claude-3-5-haiku-latest', zero: 'gpt-4o' },
        avgUsage: { poetry: { queriesPerDay: 10, avgTokens: 100 }, qa: { queriesPerDay: 10, avgTokens: 100 }, zero: { queriesPerDay: 10, avgTokens: 100 } },
      },
    });
    assert.equal(plan.recommendations.poetry.reason, 'no benchmark is mapped to "poetry", so quality cannot be compared: kept');
    assert.equal(plan.recommendations.poetry.benchmark, 'n/a');
    assert.equal(plan.recommendations.qa.reason, 'no published QA-X score for claude-3-5-haiku-latest, so quality loss cannot be judged: kept');
    assert.equal(plan.recommendations.qa.benchmark, 'QA-X');
    assert.equal(plan.recommendations.zero.recommendedModel, 'gpt-4o', 'a current score of 0 cannot be compared against');
    assert.equal(plan.recommendations.zero.reason, 'no published ZERO-X score for gpt-4o, so quality loss cannot be judged: kept');
    // Nothing changes and the target is 0: met, exactly at the budget.
    assert.equal(plan.targetMet, true);
    assert.equal(plan.estimatedSavingsPercent, 0);
    const idle = await optimizer().optimize({ currentSetup: { models: { qa: 'gpt-4o', chat: 'gpt-4o' }, avgUsage: { qa: { queriesPerDay: 0, avgTokens: 100 }, chat: { queriesPerDay: 0, avgTokens: 100 } } } });
    assert.equal(idle.weightedQualityImpact, 0);
    assert.equal(idle.estimatedSavingsPercent, 0);
    assert.equal(idle.currentMonthlyCost, 0);
  });

  it('rejects setups it cannot plan, naming the problem', async () => {
    await assert.rejects(optimizer().optimize({ currentSetup: { models: {}, avgUsage: {} } }), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === 'currentSetup.models is empty: give at least one task and its model.');
    await assert.rejects(optimizer().optimize({ currentSetup: { models: { qa: 'gpt-4o', chat: 'gpt-4o', zero: 'gpt-4o' }, avgUsage: { chat: { queriesPerDay: 1, avgTokens: 1 } } } }), (e: unknown) => e instanceof EngineError && e.message === 'No avgUsage for task(s) qa, zero.' && e.hint === 'Give queriesPerDay and avgTokens (or avgInputTokens and avgOutputTokens) for every task.');
    await assert.rejects(optimizer().optimize({ currentSetup: { models: { qa: 'gpt-4o' }, avgUsage: { qa: { queriesPerDay: 1, avgTokens: 1 }, chat: { queriesPerDay: 1, avgTokens: 1 }, x: { queriesPerDay: 1, avgTokens: 1 } } } }), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === 'avgUsage names task(s) without a model: chat, x.');
    await assert.rejects(optimizer().optimize({ currentSetup: setup, maxQualityReduction: 2 }), (e: unknown) => e instanceof EngineError && e.message.startsWith('Invalid parameters for CostOptimizer.optimize: maxQualityReduction'));
  });
});

describe('branchAndBound: hand-traced searches', () => {
  it('bounds with the sum over all remaining groups, and visits the best primary first', () => {
    // g0: a0 (p0, w5), a1 (p1, w0); g1: b0 (p0, w0); g2: c0 (p0, w3); budget 7. Lightest weight from g1 on: 0 + 3.
    // root; a0 (5 + 3 > 7: pruned); a1; a1·b0; a1·b0·c0 (best) → 5 nodes.
    const w = (p: number, weight: number) => ({ primary: p, secondary: 0, weight });
    assert.deepEqual(branchAndBound([[w(0, 5), w(1, 0)], [w(0, 0)], [w(0, 3)]], 7), { picks: [1, 0, 0], nodes: 5 });
    // g0: a0 (p0), a1 (p1); g1: b0 (p0); g2: c0 (p2). Best primary from g1 on: 2.
    // root; a0; a0·b0; a0·b0·c0 (best 2); a1 (1 + 2 > 2: pruned) → 5 nodes.
    assert.deepEqual(branchAndBound([[w(0, 0), w(1, 0)], [w(0, 0)], [w(2, 0)]], Infinity), { picks: [0, 0, 0], nodes: 5 });
    // g0 listed worst first: x0 (p5), x1 (p1); g1: y0 (p0). Sorted: root; x1; x1·y0 (best 1); x0 (5 > 1: pruned) → 4 nodes.
    assert.deepEqual(branchAndBound([[w(5, 0), w(1, 0)], [w(0, 0)]], Infinity), { picks: [1, 0], nodes: 4 });
  });

  it('prunes on weight with the remaining groups\' lightest choice', () => {
    // g0: a0 (p1, w4), a1 (p0, w8); g1: b0 (p0, w3), b1 (p3, w1); budget 8.5. Lightest g1 weight: 1.
    // root; a1 (8 + 1 > 8.5: pruned); a0; a0·b0 (w7, p1: best); a0·b1 (p4 > 1: pruned) → 5 nodes.
    const groups = [
      [{ primary: 1, secondary: 0, weight: 4 }, { primary: 0, secondary: 0, weight: 8 }],
      [{ primary: 0, secondary: 0, weight: 3 }, { primary: 3, secondary: 0, weight: 1 }],
    ];
    assert.deepEqual(branchAndBound(groups, 8.5), { picks: [0, 0], nodes: 5 });
    // Budget 10: a1 is explored: a1·b0 (w11: pruned), a1·b1 (p3: best), then a0·b0 (p1: better), a0·b1 (pruned) → 7 nodes.
    assert.deepEqual(branchAndBound(groups, 10), { picks: [0, 0], nodes: 7 });
    assert.equal(branchAndBound(groups, 4.5), undefined);
  });

  it("prunes on primary with the remaining groups' best primary", () => {
    // g0: a0 (p0, w5), a1 (p1, w1); g1: b0 (p2, w1), b1 (p3, w0); budget 6. Best g1 primary: 2.
    // root; a0; a0·b0 (w6 ≤ 6, p2: best); a0·b1 (p3 > 2: pruned); a1 (1 + 2 > 2: pruned) → 5 nodes.
    const groups = [
      [{ primary: 0, secondary: 0, weight: 5 }, { primary: 1, secondary: 0, weight: 1 }],
      [{ primary: 2, secondary: 0, weight: 1 }, { primary: 3, secondary: 0, weight: 0 }],
    ];
    assert.deepEqual(branchAndBound(groups, 6), { picks: [0, 0], nodes: 5 });
  });

  it('breaks ties on primary by secondary, visiting the lower secondary first', () => {
    // g0: c0 (p1, s5), c1 (p1, s2), c2 (p2, s0): visit order c1, c0, c2.
    // root; c1 (best p1 s2); c0 (p1, s5: not better); c2 (p2 > 1: pruned) → 4 nodes.
    const groups = [[{ primary: 1, secondary: 5, weight: 0 }, { primary: 1, secondary: 2, weight: 0 }, { primary: 2, secondary: 0, weight: 0 }]];
    assert.deepEqual(branchAndBound(groups, Infinity), { picks: [1], nodes: 4 });
    // Equal primaries and secondaries: the first visited stays.
    assert.deepEqual(branchAndBound([[{ primary: 1, secondary: 1, weight: 0 }, { primary: 1, secondary: 1, weight: 0 }]], 0), { picks: [0], nodes: 3 });
  });
});

describe('CostOptimizer.recommendModel: every filter decides', () => {
  let prices: PriceCatalog;
  before(async () => {
    prices = await PriceCatalog.bundled();
  });
  // Blended USD per 1k tokens at 75 % input, 1.75 × input price / 1000: gpt-4o 0.004375, o3-mini 0.001925,
  // gpt-4.1-mini 0.0007, gpt-4o-mini 0.0002625, gpt-4.1-nano 0.000175.
  const withLatency = (latency: QualityFile['latency']) => catalog({ ...fixture, latency });
  const lat = (avgMs: number) => ({ avgMs, source: 'test fixture', date: '2026-01-01' });
  const NOTE_SHARE = 'Costs compared at 75 % input tokens.';
  const NOTE_LATENCY = 'Latency impact is unknown: measure both models through the cost monitor and pass its ledger.';

  it('the cheapest model that keeps the threshold', async () => {
    const quality = catalog(fixture);
    const r = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85 });
    // Needs ≥ 0.68: o3-mini, 4.1-mini, 4o-mini (0.72) qualify; nano (0.60) does not. Cheapest: gpt-4o-mini.
    assert.deepEqual(r, {
      model: 'gpt-4o-mini',
      currentModel: 'gpt-4o',
      costReductionPercent: 94, // 1 − 0.0002625 / 0.004375
      qualityImpact: -10,
      latencyImpact: null,
      reason: "gpt-4o-mini keeps 90 % of gpt-4o's QA-X score at 6 % of its price.",
      evidence: { benchmark: 'QA-X', current: quality.score('gpt-4o', 'QA-X'), recommended: quality.score('gpt-4o-mini', 'QA-X'), notes: [NOTE_SHARE, NOTE_LATENCY] },
    });
    // The quality filter: at 0.925 (≥ 0.74) gpt-4o-mini (0.72) drops out and gpt-4.1-mini (0.76) is next.
    const stricter = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.925 });
    assert.equal(stricter.model, 'gpt-4.1-mini');
    assert.equal(stricter.qualityImpact, -5);
    assert.equal(stricter.costReductionPercent, 84);
    // At 50 % input: (2.5·0.5 + 10·0.5)/1000 vs (0.15·0.5 + 0.6·0.5)/1000, still 94 % less.
    const half = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85, inputShare: 0.5 });
    assert.deepEqual(half.evidence.notes, ['Costs compared at 50 % input tokens.', NOTE_LATENCY]);
  });

  it('the latency limit excludes slower models; equal to the limit is allowed', async () => {
    const quality = withLatency({ 'gpt-4o': lat(400), 'gpt-4o-mini': lat(900), 'gpt-4.1-mini': lat(300), 'o3-mini': lat(2000) });
    const r = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85, maxLatencyMs: 300 });
    assert.equal(r.model, 'gpt-4.1-mini');
    assert.equal(r.latencyImpact, -25); // (300 − 400) / 400
    assert.deepEqual(r.evidence.notes, [NOTE_SHARE]);
    assert.equal(r.reason, "gpt-4.1-mini keeps 95 % of gpt-4o's QA-X score at 16 % of its price.");
    const none = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85, maxLatencyMs: 299 });
    assert.equal(none.model, 'gpt-4o');
    assert.equal(none.reason, "No cheaper model keeps 85 % of gpt-4o's QA-X score within 299 ms: keep it.");
    // Without a limit latency is not checked, but its impact is reported.
    const free = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85 });
    assert.equal(free.model, 'gpt-4o-mini');
    assert.equal(free.latencyImpact, 125);
  });

  it('an unknown latency is allowed through, and said so', async () => {
    const quality = withLatency({ 'gpt-4o': lat(400) });
    const r = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.7, maxLatencyMs: 500 });
    assert.equal(r.model, 'gpt-4.1-nano');
    assert.deepEqual(r.evidence.notes, [NOTE_SHARE, 'Latency of gpt-4.1-nano is unknown (no measured or cited figure): not checked against 500 ms.', NOTE_LATENCY]);
    assert.equal(r.latencyImpact, null);
  });

  it('only cheaper models: the cheapest model keeps itself, and an equal price is not cheaper', async () => {
    const quality = catalog(fixture);
    const r = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).recommendModel({ currentModel: 'gpt-4.1-nano', task: 'qa', qualityThreshold: 0.5 });
    const q = quality.score('gpt-4.1-nano', 'QA-X');
    assert.deepEqual(r, { model: 'gpt-4.1-nano', currentModel: 'gpt-4.1-nano', costReductionPercent: 0, qualityImpact: 0, latencyImpact: 0, reason: "No cheaper model keeps 50 % of gpt-4.1-nano's QA-X score: keep it.", evidence: { benchmark: 'QA-X', current: q, recommended: q, notes: [NOTE_SHARE] } });
    // gpt-4o-2024-08-06 costs what gpt-4o costs: not a saving, however good.
    const same = catalog({ benchmarks: fixture.benchmarks, tasks: fixture.tasks, models: { 'gpt-4o': { scores: { 'QA-X': s(80) } }, 'gpt-4o-2024-08-06': { scores: { 'QA-X': s(90) } } } });
    assert.equal((await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: same }).recommendModel({ currentModel: 'GPT-4o', task: 'qa' })).model, 'GPT-4o');
  });

  it('between equally cheap models the better one wins, whichever comes first', async () => {
    // o3-mini, listed last, qualifies too but costs more.
    const models = (first: [string, number], second: [string, number]) =>
      catalog({ benchmarks: fixture.benchmarks, tasks: fixture.tasks, models: { 'gpt-4o': { scores: { 'QA-X': s(80) } }, [first[0]]: { scores: { 'QA-X': s(first[1]) } }, [second[0]]: { scores: { 'QA-X': s(second[1]) } }, 'o3-mini': { scores: { 'QA-X': s(84) } } } });
    const a = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: models(['gpt-4o-mini', 70], ['gpt-4o-mini-2024-07-18', 74]) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa' });
    assert.equal(a.model, 'gpt-4o-mini-2024-07-18');
    const b = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: models(['gpt-4o-mini-2024-07-18', 74], ['gpt-4o-mini', 70]) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa' });
    assert.equal(b.model, 'gpt-4o-mini-2024-07-18');
    // Equal price and equal score: the first listed stays.
    const c = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: models(['gpt-4o-mini', 74], ['gpt-4o-mini-2024-07-18', 74]) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa' });
    assert.equal(c.model, 'gpt-4o-mini');
    // The optimizer's Pareto front keeps only the better of two equally priced models, whichever is listed first.
    for (const quality of [models(['gpt-4o-mini', 70], ['gpt-4o-mini-2024-07-18', 74]), models(['gpt-4o-mini-2024-07-18', 74], ['gpt-4o-mini', 70])]) {
      const plan = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality }).optimize({ currentSetup: { models: { qa: 'gpt-4o' }, avgUsage: { qa: setup.avgUsage.qa } }, maxQualityReduction: 0.2, candidates: ['gpt-4o-mini', 'gpt-4o-mini-2024-07-18'] });
      assert.equal(plan.recommendations.qa.recommendedModel, 'gpt-4o-mini-2024-07-18');
      assert.deepEqual(plan.method.candidatesPerTask, { qa: 2 });
    }
  });

  it('needs a score for the current model, and valid parameters', async () => {
    await assert.rejects(new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: catalog(fixture) }).recommendModel({ currentModel: 'claude-3-5-haiku-latest', task: 'qa' }), (e: unknown) => e instanceof EngineError && e.code === 'notFound' && e.message === 'No published QA-X score for claude-3-5-haiku-latest, so quality cannot be compared for qa.' && e.hint === 'Add your own benchmark results for it (docs/cost.md).');
    await assert.rejects(new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: catalog(fixture) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 3 }), (e: unknown) => e instanceof EngineError && e.message.startsWith('Invalid parameters for CostOptimizer.recommendModel: qualityThreshold'));
    // The shared price catalog when none is given.
    assert.equal((await new CostOptimizer({ lifecycle: NO_RETIREMENTS, quality: catalog(fixture) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.85 })).model, 'gpt-4o-mini');
  });

  it('a score exactly at the threshold qualifies; an equal score is "+0 %"', async () => {
    const two = (score: number) => catalog({ benchmarks: fixture.benchmarks, tasks: fixture.tasks, models: { 'gpt-4o': { scores: { 'QA-X': s(80) } }, 'gpt-4o-mini': { scores: { 'QA-X': s(score) } } } });
    // 0.5 × 0.80 = 0.40 exactly in binary floating point.
    assert.equal((await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: two(40) }).recommendModel({ currentModel: 'gpt-4o', task: 'qa', qualityThreshold: 0.5 })).model, 'gpt-4o-mini');
    const plan = await new CostOptimizer({ lifecycle: NO_RETIREMENTS, prices, quality: two(80) }).optimize({ currentSetup: { models: { qa: 'gpt-4o' }, avgUsage: { qa: setup.avgUsage.qa } } });
    assert.equal(plan.recommendations.qa.reason, 'gpt-4o-mini scores +0 % on QA-X relative to gpt-4o and costs 94 % less');
  });
});
