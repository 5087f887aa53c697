// The Benchmark panel's words made in the extension host (src/extension/benchmark/results.ts):
// with the pt-BR bundle configured in @vscode/l10n, as extension.ts does with
// vscode.l10n.bundle, a run's headline, figure labels, chart series and title are in
// Portuguese, exactly; with no bundle they are the English the panel tests pin. Keys, units
// of money and the chart axis keys do not change with the language.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';
import { describeResult, runTitle } from '../../../src/extension/benchmark/results';
import { repoRoot } from '../../helpers/paths';

const pt = JSON.parse(readFileSync(join(repoRoot, 'l10n', 'bundle.l10n.pt-br.json'), 'utf8')) as Record<string, string>;

const pipeline = { avgLatency: 20, p50Latency: 20, p90Latency: 40, throughput: 50, qualityScore: 5, avgCostPerQuery: 0.001, answers: [{ latencyMs: 10 }, { latencyMs: 20 }, { latencyMs: 30 }], concurrencySweep: [{ concurrency: 1, throughput: 50 }, { concurrency: 4, throughput: 120 }] };
const optimizeAll = {
  originalBenchmark: { avgLatency: 12.5, qualityScore: 6, avgCostPerQuery: 0.002 },
  optimizedBenchmark: { avgLatency: 10, qualityScore: 6.5, avgCostPerQuery: 0.001 },
  improvements: { latency: 20, cost: 50 },
};

describe('l10n: Benchmark panel results in pt-BR', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('describes a pipeline run and an optimize-all run in Portuguese', () => {
    l10n.config({ contents: pt });
    const d = describeResult('pipeline', pipeline);
    assert.equal(d.headline, 'média 20.0 ms · p90 40.0 ms · 50.0 consultas/s · qualidade 5.00/10');
    assert.deepEqual(d.metrics.slice(0, 3).map((m) => m.label), ['latência média', 'latência p50', 'latência p90']);
    assert.deepEqual(d.metrics.find((m) => m.key === 'throughput'), { key: 'throughput', label: 'vazão', value: 50, unit: 'consultas/s', better: 'higher' });
    assert.equal(d.metrics.find((m) => m.key === 'avgCostPerQuery')?.unit, 'USD');
    assert.equal(d.charts.latencyHistogram?.title, 'Latência por consulta');
    assert.deepEqual(d.charts.throughput, { axis: 'concurrency', labels: ['1', '4'], series: [{ label: 'vazão (consultas/s)', values: [50, 120] }] });
    const o = describeResult('optimizeAll', optimizeAll);
    assert.equal(o.headline, 'latência 12.50 → 10.00 ms (20.0 % menor) · qualidade 6.00 → 6.50/10 · custo/consulta $0.002000 → $0.001000');
    assert.equal(o.metrics.find((m) => m.key === 'after.avgLatency')?.label, 'depois: latência média');
    assert.equal(runTitle({ kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: 1, concurrency: [1] }), 'Benchmark de pipeline · rag_pipeline.json');
  });

  it('an editor-model generator reads "included in your plan" in Portuguese', () => {
    l10n.config({ contents: pt });
    const o = describeResult('optimizeAll', { ...optimizeAll, optimizedBenchmark: { ...optimizeAll.optimizedBenchmark, costBasis: 'included in your plan (vscode:fake)' } });
    assert.equal(o.headline, 'latência 12.50 → 10.00 ms (20.0 % menor) · qualidade 6.00 → 6.50/10 · custo: incluído no seu plano');
  });

  it('with no bundle the same runs are described in English', () => {
    assert.equal(describeResult('pipeline', pipeline).headline, 'avg 20.0 ms · p90 40.0 ms · 50.0 queries/s · quality 5.00/10');
    assert.equal(describeResult('optimizeAll', optimizeAll).headline, 'latency 12.50 → 10.00 ms (20.0 % lower) · quality 6.00 → 6.50/10 · cost/query $0.002000 → $0.001000');
    assert.equal(runTitle({ kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: 1, concurrency: [1] }), 'Pipeline benchmark · rag_pipeline.json');
  });
});
