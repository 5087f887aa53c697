/**
 * Turns the engine's benchmark results into what the Benchmark panel shows and exports:
 * a flat list of figures (for the comparison table, CSV and Markdown), chart series, and a
 * one-line headline. Pure functions with no `vscode` import, so unit tests call them
 * directly. The engine's results are plain JSON and are read defensively here: a field
 * that is missing or not a number is left out, never shown as NaN. Words go through
 * @vscode/l10n, which the extension configures with vscode.l10n.bundle at activation
 * (extension.ts), so a run is described in the editor's language; unconfigured (unit
 * tests, English) it returns the English. Metric keys and units in exports stay as they are.
 */
import * as l10n from '@vscode/l10n';
import { type BenchmarkKind, type BenchmarkRequest, type ComparisonRow, type RunCharts, type RunComparison, type RunMetric, type RunRecord } from '../../protocol/benchmark';
import { kindLabel, summaryOf } from '../../protocol/benchmark';
import { EDITOR_LM_COST_LABEL } from '../../protocol/editorLm';


type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function push(out: RunMetric[], key: string, label: string, value: unknown, unit?: string, better?: 'lower' | 'higher'): void {
  const n = num(value);
  if (n === undefined) return;
  out.push({ key, label, value: n, ...(unit ? { unit } : {}), ...(better ? { better } : {}) });
}

/** Whether a pipeline result's generator is the editor's model (cost "included in your plan"). */
function planCovered(r: Json): boolean {
  return typeof r.costBasis === 'string' && r.costBasis.startsWith(EDITOR_LM_COST_LABEL);
}

/** The figures of a PipelineBenchmarkResult, keys prefixed (`before.`, `after.`) when given. */
function pipelineMetrics(out: RunMetric[], r: Json, prefix = '', side?: 'before' | 'after'): void {
  const label = (text: string) => (side === 'before' ? l10n.t('before: {0}', text) : side === 'after' ? l10n.t('after: {0}', text) : text);
  push(out, `${prefix}avgLatency`, label(l10n.t('avg latency')), r.avgLatency, 'ms', 'lower');
  push(out, `${prefix}p50Latency`, label(l10n.t('p50 latency')), r.p50Latency, 'ms', 'lower');
  push(out, `${prefix}p90Latency`, label(l10n.t('p90 latency')), r.p90Latency, 'ms', 'lower');
  push(out, `${prefix}p99Latency`, label(l10n.t('p99 latency')), r.p99Latency, 'ms', 'lower');
  push(out, `${prefix}avgLatencyUncached`, label(l10n.t('avg latency without cache hits')), r.avgLatencyUncached, 'ms', 'lower');
  push(out, `${prefix}throughput`, label(l10n.t('throughput')), r.throughput, l10n.t('queries/s'), 'higher');
  push(out, `${prefix}qualityScore`, label(l10n.t('quality score')), r.qualityScore, '/10', 'higher');
  push(out, `${prefix}contextRecall`, label(l10n.t('context recall')), r.contextRecall, undefined, 'higher');
  push(out, `${prefix}contextPrecision`, label(l10n.t('context precision')), r.contextPrecision, undefined, 'higher');
  push(out, `${prefix}avgTokenUsage`, label(l10n.t('tokens per query')), r.avgTokenUsage, 'tokens', 'lower');
  // An editor model has no price: its $0 is not a cost figure, so none is shown.
  if (!planCovered(r)) push(out, `${prefix}avgCostPerQuery`, label(l10n.t('cost per query')), r.avgCostPerQuery, 'USD', 'lower');
  push(out, `${prefix}cacheHitRate`, label(l10n.t('cache hit rate')), r.cacheHitRate, undefined, 'higher');
}

function answerLatencies(r: Json | undefined): number[] {
  const answers = Array.isArray(r?.answers) ? (r.answers as unknown[]) : [];
  return answers.map((a) => num(obj(a)?.latencyMs)).filter((v): v is number => v !== undefined);
}

/** Equal-width buckets over all series together, so before and after share the x axis. */
export function histogram(groups: { label: string; values: number[] }[], buckets = 10): RunCharts['latencyHistogram'] {
  const all = groups.flatMap((g) => g.values);
  if (all.length === 0) return undefined;
  const min = Math.min(...all);
  const max = Math.max(...all);
  const width = max > min ? (max - min) / buckets : 1;
  const count = max > min ? buckets : 1;
  const digits = width >= 10 ? 0 : width >= 1 ? 1 : 2;
  const labels = Array.from({ length: count }, (_, i) => `${(min + i * width).toFixed(digits)}–${(min + (i + 1) * width).toFixed(digits)}`);
  const series = groups.map((g) => {
    const values = new Array<number>(count).fill(0);
    for (const v of g.values) values[Math.min(count - 1, Math.floor((v - min) / width))]++;
    return { label: g.label, values };
  });
  return { labels, series, unit: 'ms', title: l10n.t('Latency per query') };
}

function profileChart(p: Json | undefined): RunCharts['profile'] {
  const stats = obj(p?.componentStats);
  if (!stats) return undefined;
  const labels: string[] = [];
  const avgMs: number[] = [];
  const percentage: number[] = [];
  for (const [name, s] of Object.entries(stats)) {
    const avg = num(obj(s)?.avgTime);
    if (avg === undefined) continue;
    labels.push(name);
    avgMs.push(avg);
    percentage.push(num(obj(s)?.percentage) ?? 0);
  }
  if (labels.length === 0) return undefined;
  const bottleneck = typeof p?.bottleneck === 'string' ? p.bottleneck : undefined;
  return { labels, avgMs, percentage, ...(bottleneck ? { bottleneck } : {}) };
}

function profileMetrics(out: RunMetric[], p: Json | undefined, prefix = ''): void {
  for (const [name, s] of Object.entries(obj(p?.componentStats) ?? {})) {
    push(out, `${prefix}component.${name}.avgTime`, l10n.t('{0}: avg time', name), obj(s)?.avgTime, 'ms', 'lower');
    push(out, `${prefix}component.${name}.percentage`, l10n.t('{0}: share of total', name), obj(s)?.percentage, '%');
  }
  push(out, `${prefix}totalAvgTime`, l10n.t('total avg time per query'), p?.totalAvgTime, 'ms', 'lower');
}

/** The quality benchmark's rubrics (src/engine/benchmark/quality.ts), each scored 1 to 10 by the judge. */
const JUDGE_RUBRIC = /^(correctness|relevance|coherence|fluency)$/;

/** Numeric leaves of a nested result, keyed by their path (for benchmarks without a curated view). */
function flatten(out: RunMetric[], value: unknown, path: string[], depth: number): void {
  if (out.length >= 200) return;
  const n = num(value);
  if (n !== undefined && path.length > 0) {
    const last = path[path.length - 1];
    // A quality benchmark's judge scores sit under their rubric (`model · dataset · correctness ·
    // mean`): 1 to 10, higher is better. Their `mean` is a score, not a latency.
    if (path.length >= 2 && JUDGE_RUBRIC.test(path[path.length - 2])) {
      const score = /^(mean|low|high|ci95)$/.test(last);
      push(out, path.join('.'), path.join(' · '), n, score ? '/10' : undefined, score && last !== 'ci95' ? 'higher' : last === 'unparsed' ? 'lower' : undefined);
      return;
    }
    const lower = /latency|p50|p90|p99|mean|avg|cost|time|ms$/i.test(last) && !/throughput|tokensPerSecond/i.test(last);
    const higher = /throughput|PerSecond|accuracy|f1|rouge|precision|recall|faithfulness|correctness|relevance|coherence|fluency|score/i.test(last);
    push(out, path.join('.'), path.join(' · '), n, /ms$|^p\d\d$|^mean$|^avg$|^latency$/i.test(last) ? 'ms' : /cost|total|perQuery/i.test(last) && path.includes('cost') ? 'USD' : undefined, lower ? 'lower' : higher ? 'higher' : undefined);
    return;
  }
  const o = obj(value);
  if (!o || depth > 6) return;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'file' || k === 'wallMs' || k === 'skippedLines' || Array.isArray(v)) continue;
    flatten(out, v, [...path, k], depth + 1);
  }
}

/** Throughput against batch size, one series per model × input × output length. */
function latencyThroughput(results: Json | undefined): RunCharts['throughput'] {
  if (!results) return undefined;
  const batchSizes = new Set<string>();
  const cells: { label: string; byBatch: Map<string, number> }[] = [];
  for (const [model, byInput] of Object.entries(results)) {
    for (const [input, byOutput] of Object.entries(obj(byInput) ?? {})) {
      for (const [output, byBatch] of Object.entries(obj(byOutput) ?? {})) {
        const map = new Map<string, number>();
        for (const [batch, cell] of Object.entries(obj(byBatch) ?? {})) {
          const t = num(obj(cell)?.throughput);
          if (t === undefined) continue;
          batchSizes.add(batch);
          map.set(batch, t);
        }
        cells.push({ label: l10n.t('{0} · in {1} · out {2}', model, input, output), byBatch: map });
      }
    }
  }
  const labels = [...batchSizes].sort((a, b) => Number(a) - Number(b));
  if (labels.length === 0) return undefined;
  return { axis: 'batch size', labels, series: cells.map((c) => ({ label: c.label, values: labels.map((b) => c.byBatch.get(b) ?? 0) })) };
}

/** Latency distribution of a latency benchmark: its percentiles per cell (it keeps no raw samples). */
function latencyPercentiles(results: Json | undefined): RunCharts['latencyHistogram'] {
  if (!results) return undefined;
  const labels: string[] = [];
  const p50: number[] = [];
  const p90: number[] = [];
  const p99: number[] = [];
  for (const [model, byInput] of Object.entries(results)) {
    for (const [input, byOutput] of Object.entries(obj(byInput) ?? {})) {
      for (const [output, byBatch] of Object.entries(obj(byOutput) ?? {})) {
        for (const [batch, cell] of Object.entries(obj(byBatch) ?? {})) {
          const c = obj(cell);
          labels.push(l10n.t('{0} in {1} out {2} ×{3}', model, input, output, batch));
          p50.push(num(c?.p50) ?? 0);
          p90.push(num(c?.p90) ?? 0);
          p99.push(num(c?.p99) ?? 0);
        }
      }
    }
  }
  if (labels.length === 0) return undefined;
  return { labels, series: [{ label: 'p50', values: p50 }, { label: 'p90', values: p90 }, { label: 'p99', values: p99 }], unit: 'ms', title: l10n.t('Latency percentiles per configuration') };
}

function fixed(n: number | undefined, digits = 1): string {
  return n === undefined ? l10n.t('n/a') : n.toFixed(digits);
}

/**
 * "local 7.00/10 · vscode:copilot/gpt-4o 8.25/10": per model, the mean judge score over its
 * datasets and rubrics, so the headline says what the scores are (a scale of 1 to 10).
 */
function qualityHeadline(results: Json | undefined): string | undefined {
  if (!results) return undefined;
  const parts: string[] = [];
  for (const [model, byDataset] of Object.entries(results)) {
    const means: number[] = [];
    for (const byMetric of Object.values(obj(byDataset) ?? {})) {
      for (const [metric, stats] of Object.entries(obj(byMetric) ?? {})) {
        const m = JUDGE_RUBRIC.test(metric) ? num(obj(stats)?.mean) : undefined;
        if (m !== undefined) means.push(m);
      }
    }
    if (means.length > 0) parts.push(`${model} ${fixed(means.reduce((a, b) => a + b, 0) / means.length, 2)}/10`);
  }
  return parts.length > 0 ? l10n.t('judge score (1–10, mean over rubrics): {0}', parts.join(' · ')) : undefined;
}

/** Metrics, charts and a headline for one finished run. */
export function describeResult(kind: BenchmarkKind, result: unknown): Pick<RunRecord, 'metrics' | 'charts' | 'headline' | 'files' | 'warnings'> {
  const r = obj(result) ?? {};
  const metrics: RunMetric[] = [];
  const charts: RunCharts = {};
  let headline = '';
  switch (kind) {
    case 'pipeline': {
      pipelineMetrics(metrics, r);
      const h = histogram([{ label: l10n.t('latency'), values: answerLatencies(r) }]);
      if (h) charts.latencyHistogram = h;
      const sweep = Array.isArray(r.concurrencySweep) ? (r.concurrencySweep as unknown[]).map(obj).filter((s): s is Json => s !== undefined) : [];
      if (sweep.length > 1) {
        charts.throughput = { axis: 'concurrency', labels: sweep.map((s) => String(num(s.concurrency) ?? '?')), series: [{ label: l10n.t('throughput (queries/s)'), values: sweep.map((s) => num(s.throughput) ?? 0) }] };
        for (const s of sweep) push(metrics, `concurrency.${String(s.concurrency)}.throughput`, l10n.t('throughput at concurrency {0}', String(s.concurrency)), s.throughput, l10n.t('queries/s'), 'higher');
      }
      const stats = obj(r.componentAvgMs);
      if (stats) charts.profile = { labels: Object.keys(stats), avgMs: Object.values(stats).map((v) => num(v) ?? 0), percentage: [] };
      headline = l10n.t('avg {0} ms · p90 {1} ms · {2} queries/s · quality {3}/10', fixed(num(r.avgLatency)), fixed(num(r.p90Latency)), fixed(num(r.throughput)), fixed(num(r.qualityScore), 2));
      break;
    }
    case 'profile': {
      profileMetrics(metrics, r);
      const p = profileChart(r);
      if (p) charts.profile = p;
      headline = l10n.t('bottleneck {0} · {1} ms per query', typeof r.bottleneck === 'string' ? r.bottleneck : l10n.t('n/a'), fixed(num(r.totalAvgTime), 2));
      break;
    }
    case 'optimizeAll': {
      const before = obj(r.originalBenchmark) ?? {};
      const after = obj(r.optimizedBenchmark) ?? {};
      pipelineMetrics(metrics, before, 'before.', 'before');
      pipelineMetrics(metrics, after, 'after.', 'after');
      const imp = obj(r.improvements) ?? {};
      push(metrics, 'improvements.latency', l10n.t('latency change (lower is better)'), imp.latency, l10n.t('% lower'), 'higher');
      push(metrics, 'improvements.cost', l10n.t('cost change'), imp.cost, l10n.t('% lower'), 'higher');
      push(metrics, 'improvements.tokenUsage', l10n.t('token change'), imp.tokenUsage, l10n.t('% fewer'), 'higher');
      push(metrics, 'improvements.quality', l10n.t('quality change'), imp.quality, '%', 'higher');
      push(metrics, 'improvements.throughput', l10n.t('throughput change'), imp.throughput, '%', 'higher');
      profileMetrics(metrics, obj(r.profile), 'profile.');
      const h = histogram([
        { label: l10n.t('before'), values: answerLatencies(before) },
        { label: l10n.t('after'), values: answerLatencies(after) },
      ]);
      if (h) charts.latencyHistogram = h;
      const p = profileChart(obj(r.profile));
      if (p) charts.profile = p;
      const cost = planCovered(after)
        ? l10n.t('cost: included in your plan')
        : l10n.t('cost/query ${0} → ${1}', fixed(num(before.avgCostPerQuery), 6), fixed(num(after.avgCostPerQuery), 6));
      headline = l10n.t('latency {0} → {1} ms ({2} % lower) · quality {3} → {4}/10 · {5}', fixed(num(before.avgLatency), 2), fixed(num(after.avgLatency), 2), fixed(num(imp.latency)), fixed(num(before.qualityScore), 2), fixed(num(after.qualityScore), 2), cost);
      break;
    }
    case 'latency': {
      flatten(metrics, r.results, [], 0);
      const t = latencyThroughput(obj(r.results));
      if (t) charts.throughput = t;
      const l = latencyPercentiles(obj(r.results));
      if (l) charts.latencyHistogram = l;
      const p50s = metrics.filter((m) => m.key.endsWith('.p50')).map((m) => m.value);
      headline = l10n.t('{0} configurations · p50 {1} ms', t?.series.length ?? 0, p50s.length > 0 ? `${fixed(Math.min(...p50s), 2)}–${fixed(Math.max(...p50s), 2)}` : l10n.t('n/a'));
      break;
    }
    case 'quality': {
      flatten(metrics, r.results, [], 0);
      headline = qualityHeadline(obj(r.results)) ?? `no results · ${metrics.length} figures`;
      break;
    }
    default: {
      flatten(metrics, r.results ?? r, [], 0);
      const names = Object.keys(obj(r.results) ?? {});
      headline = l10n.t('{0} · {1} figures', names.join(', ') || l10n.t('no results'), metrics.length);
      break;
    }
  }
  const files = obj(r.files);
  const warnings = Array.isArray(r.warnings) ? (r.warnings as unknown[]).filter((w): w is string => typeof w === 'string') : undefined;
  return {
    metrics,
    charts,
    headline,
    ...(files ? { files: Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => typeof e[1] === 'string')) } : {}),
    ...(warnings && warnings.length > 0 ? { warnings } : {}),
  };
}

/** A title for the history list ("Pipeline benchmark · rag_pipeline.json"). */
export function runTitle(request: BenchmarkRequest): string {
  const base = (p: string) => p.split(/[\\/]/).pop() ?? p;
  switch (request.kind) {
    case 'pipeline':
    case 'profile':
    case 'rag':
    case 'optimizeAll':
      return `${kindLabel(request.kind)} · ${base(request.configPath)}`;
    case 'latency':
    case 'model':
    case 'quality':
      return `${kindLabel(request.kind)} · ${request.models.join(', ')}`;
  }
}

/** Side-by-side figures of two runs: every metric either has, b against a. */
export function compareRuns(a: RunRecord, b: RunRecord): RunComparison {
  const keys = new Map<string, RunMetric>();
  for (const m of [...a.metrics, ...b.metrics]) if (!keys.has(m.key)) keys.set(m.key, m);
  const rows: ComparisonRow[] = [];
  for (const [key, m] of keys) {
    const va = a.metrics.find((x) => x.key === key)?.value;
    const vb = b.metrics.find((x) => x.key === key)?.value;
    const row: ComparisonRow = { label: m.label, ...(m.unit ? { unit: m.unit } : {}), ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}) };
    if (va !== undefined && vb !== undefined) {
      row.delta = vb - va;
      if (va !== 0) row.deltaPercent = ((vb - va) / Math.abs(va)) * 100;
      row.verdict = vb === va || !m.better ? 'same' : (vb < va) === (m.better === 'lower') ? 'better' : 'worse';
    }
    rows.push(row);
  }
  return { a: summaryOf(a), b: summaryOf(b), rows };
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per figure: `metric,label,value,unit`. */
export function toCsv(record: RunRecord): string {
  const lines = ['metric,label,value,unit', ...record.metrics.map((m) => [m.key, m.label, String(m.value), m.unit ?? ''].map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** The whole stored record: request, figures, charts and the engine's result. */
export function toJson(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function formatValue(value: number, unit?: string): string {
  const abs = Math.abs(value);
  const digits = unit === 'USD' ? 6 : abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return `${unit === 'USD' ? '$' : ''}${value.toFixed(digits)}${unit && unit !== 'USD' ? ` ${unit}` : ''}`;
}

export function toMarkdown(record: RunRecord): string {
  const lines = [
    `# ${mdCell(record.title)}`,
    '',
    `- Status: ${record.status}`,
    `- Started: ${record.startedAt}`,
    `- Duration: ${(record.durationMs / 1000).toFixed(1)} s`,
    `- Summary: ${mdCell(record.headline)}`,
    '',
    '## Settings',
    '',
    '```json',
    JSON.stringify(record.request, null, 2),
    '```',
    '',
  ];
  if (record.error) lines.push('## Error', '', mdCell(record.error), '');
  if (record.metrics.length > 0) {
    lines.push('## Results', '', '| metric | value |', '| --- | ---: |', ...record.metrics.map((m) => `| ${mdCell(m.label)} | ${formatValue(m.value, m.unit)} |`), '');
  }
  if (record.warnings && record.warnings.length > 0) lines.push('## Warnings', '', ...record.warnings.map((w) => `- ${mdCell(w)}`), '');
  return lines.join('\n');
}
