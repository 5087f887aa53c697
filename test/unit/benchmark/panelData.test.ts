// The Benchmark panel's pure parts: figures and charts derived from engine results, the
// two-run comparison, the exports, the history store, the webview message schemas, and
// package.json's pepperpy.optimization.* settings against settingsMapping().
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunRecord } from '../../../src/protocol/benchmark';
import { parseWebviewMessage } from '../../../src/protocol/webview';
import { RunHistory } from '../../../src/extension/benchmark/history';
import { compareRuns, describeResult, histogram, toCsv, toMarkdown } from '../../../src/extension/benchmark/results';
import { optimizationSettingContributions } from '../../../src/extension/benchmark/settingsContributions';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

function pipelineResult(avgLatency: number, throughput: number) {
  return { avgLatency, p50Latency: avgLatency, p90Latency: avgLatency * 2, throughput, qualityScore: 5, avgCostPerQuery: 0.001, answers: [{ latencyMs: 10 }, { latencyMs: 20 }, { latencyMs: 30 }], componentAvgMs: { retriever: 1, generator: 9 } };
}

function record(id: string, result: unknown): RunRecord {
  const d = describeResult('pipeline', result);
  return { id, kind: 'pipeline', title: `run ${id}`, status: 'completed', startedAt: new Date(2025, 0, Number(id.slice(-1))).toISOString(), durationMs: 1000, request: { kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: 1, concurrency: [1] }, ...d };
}

describe('Benchmark panel data', () => {
  it('derives figures, a histogram and a profile from a pipeline result', () => {
    const d = describeResult('pipeline', pipelineResult(20, 50));
    assert.equal(d.metrics.find((m) => m.key === 'avgLatency')?.value, 20);
    assert.deepEqual(d.charts.latencyHistogram?.series[0].values.reduce((a, b) => a + b, 0), 3);
    assert.deepEqual(d.charts.profile?.labels, ['retriever', 'generator']);
    assert.match(d.headline, /avg 20\.0 ms/);
  });

  it('draws throughput against concurrency when the run swept it', () => {
    const d = describeResult('pipeline', { ...pipelineResult(20, 50), concurrencySweep: [{ concurrency: 1, throughput: 50 }, { concurrency: 4, throughput: 120 }] });
    assert.deepEqual(d.charts.throughput, { axis: 'concurrency', labels: ['1', '4'], series: [{ label: 'throughput (queries/s)', values: [50, 120] }] });
  });

  it('draws throughput against batch size for a latency benchmark', () => {
    const cell = (t: number) => ({ p50: 1, p90: 2, p99: 3, mean: 1, timeToFirstTokenMs: 0.1, timePerOutputTokenMs: 0.1, throughput: t, outputTokensPerSecond: 1, requests: 5 });
    const d = describeResult('latency', { results: { local: { '100': { '32': { '1': cell(10), '4': cell(30) } } } } });
    assert.deepEqual(d.charts.throughput?.labels, ['1', '4']);
    assert.deepEqual(d.charts.throughput?.series[0].values, [10, 30]);
    assert.ok(d.metrics.some((m) => m.key === 'local.100.32.4.throughput'));
  });

  it('labels quality-benchmark judge scores as scores out of 10, not milliseconds', () => {
    // The shape QualityBenchmark returns (src/engine/benchmark/quality.ts): model → dataset → rubric → stats.
    const stats = (mean: number) => ({ mean, ci95: 0, low: mean, high: mean, n: 2, unparsed: 0 });
    const d = describeResult('quality', { results: { local: { shell: { correctness: stats(7), relevance: stats(5) } }, 'vscode:copilot/gpt-4.1': { shell: { correctness: stats(9), relevance: stats(8) } } } });
    const mean = d.metrics.find((m) => m.key === 'local.shell.correctness.mean');
    assert.deepEqual([mean?.value, mean?.unit, mean?.better], [7, '/10', 'higher']);
    assert.equal(d.metrics.find((m) => m.key === 'local.shell.correctness.n')?.unit, undefined);
    assert.equal(d.metrics.find((m) => m.key === 'local.shell.correctness.unparsed')?.better, 'lower');
    assert.ok(d.metrics.every((m) => m.unit !== 'ms'));
    // (7 + 5) / 2 = 6 and (9 + 8) / 2 = 8.5.
    assert.equal(d.headline, 'judge score (1–10, mean over rubrics): local 6.00/10 · vscode:copilot/gpt-4.1 8.50/10');
    // A latency benchmark's mean is still milliseconds.
    const l = describeResult('latency', { results: { local: { '100': { '32': { '1': { mean: 4, p50: 4 } } } } } });
    assert.equal(l.metrics.find((m) => m.key === 'local.100.32.1.mean')?.unit, 'ms');
  });

  it('bins values with a shared axis and ignores missing fields', () => {
    const h = histogram([{ label: 'a', values: [0, 10] }, { label: 'b', values: [5] }], 2);
    assert.deepEqual(h?.series.map((s) => s.values), [[1, 1], [0, 1]]);
    assert.equal(histogram([{ label: 'a', values: [] }]), undefined);
    assert.deepEqual(describeResult('pipeline', { avgLatency: 'fast' }).metrics, []);
  });

  it('compares two runs with deltas and verdicts', () => {
    const c = compareRuns(record('r1', pipelineResult(20, 50)), record('r2', pipelineResult(10, 100)));
    const latency = c.rows.find((r) => r.label === 'avg latency');
    assert.deepEqual([latency?.a, latency?.b, latency?.delta, latency?.deltaPercent, latency?.verdict], [20, 10, -10, -50, 'better']);
    assert.equal(c.rows.find((r) => r.label === 'throughput')?.verdict, 'better');
  });

  it('exports CSV with quoting and Markdown with a table', () => {
    const r = record('r1', pipelineResult(20, 50));
    r.metrics.push({ key: 'odd', label: 'a, "quoted" label', value: 1 });
    const csv = toCsv(r);
    assert.match(csv, /^metric,label,value,unit\r\n/);
    assert.match(csv, /avgLatency,avg latency,20,ms\r\n/);
    assert.match(csv, /odd,"a, ""quoted"" label",1,\r\n/);
    assert.match(toMarkdown(r), /\| avg latency \| 20\.00 ms \|/);
  });

  it('keeps runs as JSON files and skips broken ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-history-'));
    const warnings: string[] = [];
    const h = new RunHistory(dir, (m) => warnings.push(m));
    h.save(record('run-1', pipelineResult(20, 50)));
    h.save(record('run-2', pipelineResult(10, 50)));
    fs.writeFileSync(path.join(dir, 'junk.json'), '{not json');
    const again = new RunHistory(dir, (m) => warnings.push(m));
    assert.deepEqual(again.list().map((r) => r.id), ['run-2', 'run-1']);
    assert.equal(again.get('../etc/passwd'), undefined);
    assert.equal(warnings.length, 1);
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('validates Benchmark panel messages and names the bad field', () => {
    assert.equal(parseWebviewMessage({ type: 'benchmark/run', request: { kind: 'latency', models: ['local'], inputLengths: [100], outputLengths: [16], batchSizes: [1, 4], iterations: 2, warmupIterations: 0 } }).ok, true);
    const bad = parseWebviewMessage({ type: 'benchmark/run', request: { kind: 'pipeline', configPath: 'x.json', iterations: 0, concurrency: [1] } });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.reason, /Iterations must be at least 1 at request\.iterations/);
    assert.equal(parseWebviewMessage({ type: 'benchmark/select', runId: '../../x' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'benchmark/compare', a: 'r1', b: 'r1' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'benchmark/export', runId: 'r1', format: 'exe' }).ok, false);
  });

  it('contributes every pepperpy.optimization.* setting from settingsMapping()', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    const inPackage = Object.fromEntries(Object.entries(pkg.contributes.configuration.properties).filter(([k]) => k.startsWith('pepperpy.optimization.')));
    assert.deepEqual(inPackage, JSON.parse(JSON.stringify(optimizationSettingContributions())), 'package.json is out of date: run node scripts/sync-optimization-settings.mjs');
  });
});
