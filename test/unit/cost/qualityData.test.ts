import * as assert from 'node:assert/strict';
import { CostOptimizer } from '../../../src/engine/cost/optimizer';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { ModelLifecycle, QualityCatalog, QualityFileSchema, type QualityFile } from '../../../src/shared/cost/quality';
import bundled from '../../../src/shared/cost/data/model-quality.json';

const DAY = new Date('2026-12-03T12:00:00Z');
/** The current models whose published scores were added on 2026-12-03 (see docs/cost.md). */
const ADDED = ['gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gemini-3.1-flash-lite', 'claude-sonnet-4-6'];

describe('bundled quality data: current models', () => {
  it('validates, every added entry names the page it was read from and a date, and every fallback is a known benchmark', () => {
    const data = QualityFileSchema.parse(bundled);
    for (const model of ADDED) {
      const scores = Object.entries(data.models?.[model]?.scores ?? {});
      assert.ok(scores.length > 0, `${model} has scores`);
      for (const [benchmark, s] of scores) {
        assert.match(s.source, /^https:\/\/\S+$/, `${model} ${benchmark}`);
        assert.match(s.date, /^2026-\d{2}(-\d{2})?$/, `${model} ${benchmark}`);
        assert.ok(s.row && s.note, `${model} ${benchmark} says which row and under what conditions`);
      }
    }
    for (const [task, t] of Object.entries(data.tasks ?? {})) for (const b of t.fallback ?? []) assert.ok(data.benchmarks?.[b], `${task} falls back to unknown ${b}`);
    assert.deepEqual(data.tasks?.rag?.fallback, ['GPQA']);
    // The exact figures, as read (docs/cost.md lists the pages).
    assert.deepEqual(
      ADDED.map((m) => data.models?.[m]?.scores.GPQA?.value),
      [93.0, 88.0, 82.8, 86.9, 89.9],
    );
    // None of them is retired or deprecated on the day the data was checked.
    const lifecycle = new ModelLifecycle();
    for (const m of ADDED) assert.equal(lifecycle.verdict(m, DAY), undefined, m);
  });

  it("the demo's case: gpt-4o on rag now gets a current model, compared with it on GPQA (no current model has a DROP score)", async () => {
    const prices = await PriceCatalog.bundled();
    const r = await new CostOptimizer({ prices, quality: QualityCatalog.load(), now: DAY }).recommendModel({ currentModel: 'gpt-4o', task: 'rag', qualityThreshold: 0.8, maxLatencyMs: 500 });
    // By hand, at the default 75 % input share, USD per 1M tokens (genai-prices 0.1.8):
    //   gpt-4o                2.50 in / 10.00 out → 0.75·2.50 + 0.25·10.00 = 4.375; GPQA 53.1, so a candidate needs ≥ 0.8·53.1 = 42.48
    //   gpt-5.4-nano          0.20 / 1.25 → 0.4625   GPQA 82.8  (cheapest that qualifies)
    //   gemini-3.1-flash-lite 0.25 / 1.50 → 0.5625   GPQA 86.9
    //   gpt-5.4-mini          0.75 / 4.50 → 1.6875   GPQA 88.0
    //   gpt-5.4               2.50 / 15.00 → 5.625   not cheaper
    //   claude-sonnet-4-6     3.00 / 15.00 → 6.0     not cheaper
    // Every model with a DROP score in the data is retired or deprecated by 2026-12-03.
    // Cost reduction (4.375 − 0.4625) / 4.375 = 89.43 %; quality (82.8 − 53.1) / 53.1 = +55.93 %.
    assert.equal(r.model, 'gpt-5.4-nano');
    assert.equal(r.costReductionPercent, 89.43);
    assert.equal(r.qualityImpact, 55.93);
    assert.equal(r.evidence.benchmark, 'GPQA');
    assert.equal(r.evidence.current.value, 53.1);
    assert.equal(r.evidence.recommended.value, 82.8);
    assert.equal(r.reason, "gpt-5.4-nano keeps 155.9 % of gpt-4o's GPQA score at 10.6 % of its price (GPQA is the rag fallback: no DROP score for both).");
    assert.ok(r.evidence.notes.includes('DROP, the benchmark for rag, has no score for both gpt-4o and gpt-5.4-nano: they are compared on GPQA, the task\'s fallback, with both scores from GPQA.'));
  });
});

describe('QualityCatalog.paired: one benchmark for both models', () => {
  const score = (value: number) => ({ value, source: 'test fixture', date: '2026-01-01' });
  const data: QualityFile = {
    benchmarks: { A: { scale: 100 }, B: { scale: 100 }, C: { scale: 100 } },
    tasks: { t: { benchmark: 'A', rationale: 'test', fallback: ['B'] }, plain: { benchmark: 'A', rationale: 'test' } },
    models: {
      cur: { scores: { A: score(80), B: score(50) } },
      both: { scores: { A: score(40), B: score(90) } },
      onlyB: { scores: { B: score(45) } },
      onlyC: { scores: { C: score(99) } },
    },
  };
  const q = new QualityCatalog([{ data, origin: 'fixture' }]);

  it('uses the task benchmark when both have it, even where the fallback would say otherwise', () => {
    assert.deepEqual(q.paired('t', 'cur', 'both'), { benchmark: 'A', current: q.score('cur', 'A'), candidate: q.score('both', 'A'), fallback: false });
  });
  it('falls back only for a pair with no common score on it, and never mixes benchmarks', () => {
    assert.deepEqual(q.paired('t', 'cur', 'onlyB'), { benchmark: 'B', current: q.score('cur', 'B'), candidate: q.score('onlyB', 'B'), fallback: true });
    assert.equal(q.paired('t', 'cur', 'onlyC'), undefined);
    assert.equal(q.paired('plain', 'cur', 'onlyB'), undefined, 'a task without fallbacks compares on its own benchmark only');
    assert.deepEqual(q.taskBenchmarks('t'), ['A', 'B']);
  });
});
