/**
 * The Benchmark panel's data: what the user can launch (validated with zod, because it
 * comes from the webview), the runs the host keeps in its history, and the chart series it
 * derives from each result. Shared by the extension host and the webview; no Node, DOM or
 * `vscode` imports.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

export const BENCHMARK_KINDS = ['pipeline', 'profile', 'rag', 'latency', 'model', 'quality', 'optimizeAll'] as const;
export type BenchmarkKind = (typeof BENCHMARK_KINDS)[number];

export const KIND_LABELS: Readonly<Record<BenchmarkKind, string>> = {
  pipeline: 'Pipeline benchmark',
  profile: 'Pipeline profile',
  rag: 'RAG benchmark',
  latency: 'Latency benchmark',
  model: 'Model benchmark',
  quality: 'Quality benchmark (LLM judge)',
  optimizeAll: 'Optimize RAG pipeline',
};

/**
 * The benchmark kinds in the user's language, for the extension and the Benchmark webview alike
 * (KIND_LABELS is the English; the literals are repeated here so the l10n exporter finds them).
 */
export function kindLabel(kind: BenchmarkKind): string {
  switch (kind) {
    case 'pipeline': return l10n.t('Pipeline benchmark');
    case 'profile': return l10n.t('Pipeline profile');
    case 'rag': return l10n.t('RAG benchmark');
    case 'latency': return l10n.t('Latency benchmark');
    case 'model': return l10n.t('Model benchmark');
    case 'quality': return l10n.t('Quality benchmark (LLM judge)');
    case 'optimizeAll': return l10n.t('Optimize RAG pipeline');
  }
}

/** A run id: what the history file is named after (no path separators, ever). */
export const RunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'Unknown run id');

const path = (what: string) => z.string().trim().min(1, `Enter the ${what}`).max(4096, `The ${what} is too long`);
const count = (what: string, max: number) => z.number({ message: `${what} must be a number` }).int(`${what} must be a whole number`).min(1, `${what} must be at least 1`).max(max, `${what} must be at most ${max}`);
const list = (what: string, max: number) => z.array(count(what, max), { message: `${what} must be a list of numbers` }).min(1, `Give at least one ${what.toLowerCase()}`).max(12, `Give at most 12 ${what.toLowerCase()} values`);
const models = z.array(z.string().trim().min(1).max(200), { message: 'Models must be a list' }).min(1, 'Give at least one model').max(10, 'Give at most 10 models');
// zod leaves a `__proto__` key out of a record: such a dataset would vanish without a word, so it is refused first.
const datasets = z.preprocess(
  (value, ctx) => {
    if (typeof value === 'object' && value !== null && Object.hasOwn(value, '__proto__')) ctx.addIssue({ code: 'custom', message: '"__proto__" cannot name a dataset: choose another name', input: value });
    return value;
  },
  z.record(z.string().trim().min(1).max(100), path('dataset path'), { message: 'Datasets must be name=path pairs' }).refine((d) => Object.keys(d).length > 0, 'Give at least one dataset (name=path)'),
);

/** What the panel's form sends; relative paths resolve against the first workspace folder. */
export const BenchmarkRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pipeline'), configPath: path('pipeline config path'), queriesPath: path('queries path').optional(), iterations: count('Iterations', 1000), concurrency: list('Concurrency', 256) }).strict(),
  z.object({ kind: z.literal('profile'), configPath: path('pipeline config path'), queriesPath: path('queries path').optional(), runsPerQuery: count('Runs per query', 100) }).strict(),
  z.object({ kind: z.literal('rag'), configPath: path('pipeline config path'), dataset: path('dataset path') }).strict(),
  z.object({ kind: z.literal('latency'), models, inputLengths: list('Input lengths', 100_000), outputLengths: list('Output lengths', 100_000), batchSizes: list('Batch sizes', 256), iterations: count('Iterations', 1000), warmupIterations: z.number().int().min(0, 'Warm-up iterations cannot be negative').max(100) }).strict(),
  z.object({ kind: z.literal('model'), models, datasets }).strict(),
  z.object({ kind: z.literal('quality'), models, datasets, evaluatorModel: z.string().trim().min(1, 'Choose a judge model').max(200), repeats: count('Repeats', 20) }).strict(),
  z.object({ kind: z.literal('optimizeAll'), configPath: path('pipeline config path') }).strict(),
]);
export type BenchmarkRequest = z.infer<typeof BenchmarkRequestSchema>;

export type RunStatus = 'completed' | 'cancelled' | 'failed';

/** One figure of a run, as the comparison table and the exports show it. */
export interface RunMetric {
  key: string;
  label: string;
  value: number;
  unit?: string;
  /** Which direction is an improvement (for the comparison's deltas). */
  better?: 'lower' | 'higher';
}

export interface ChartSeries {
  label: string;
  values: number[];
}

/** Chart data the host derives from a result; the webview only draws it. */
export interface RunCharts {
  /** Latency distribution: bucket labels (ms ranges) and one series per group (before/after). */
  latencyHistogram?: { labels: string[]; series: ChartSeries[]; unit: 'ms'; title: string };
  /** Throughput against batch size or concurrency. */
  throughput?: { axis: 'batch size' | 'concurrency'; labels: string[]; series: ChartSeries[] };
  /** Per-component profile (average ms per call). */
  profile?: { labels: string[]; avgMs: number[]; percentage: number[]; bottleneck?: string };
}

/** A run in the history list (small: no result body). */
export interface RunSummary {
  id: string;
  kind: BenchmarkKind;
  title: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  /** A short line: the headline figures, or why it stopped. */
  headline: string;
}

/** A run as stored in globalStorage: the summary, what was asked, and what came back. */
export interface RunRecord extends RunSummary {
  request: BenchmarkRequest;
  metrics: RunMetric[];
  charts: RunCharts;
  /** The engine's result, as JSON (absent when the run failed or was cancelled). */
  result?: unknown;
  error?: string;
  /** Files the run wrote (optimize: config and reports). */
  files?: Record<string, string>;
  warnings?: string[];
}

export interface ComparisonRow {
  label: string;
  unit?: string;
  a?: number;
  b?: number;
  /** b − a, and the change relative to a in percent. */
  delta?: number;
  deltaPercent?: number;
  /** Whether b is better than a, worse, or neither (unknown direction or equal). */
  verdict?: 'better' | 'worse' | 'same';
}

export interface RunComparison {
  a: RunSummary;
  b: RunSummary;
  rows: ComparisonRow[];
}

/** Everything the Benchmark panel shows; the host sends it whole on each change. */
export interface BenchmarkViewState {
  /** The form's values, so a reloaded panel shows what was last launched. */
  form: BenchmarkRequest;
  /** Defaults per kind (the form switches to these when the kind changes). */
  defaults: Record<BenchmarkKind, BenchmarkRequest>;
  running?: { id: string; kind: BenchmarkKind; title: string; message: string; percent?: number; startedAt: string; awaitingConfirmation?: string };
  runs: RunSummary[];
  selected?: RunRecord;
  comparison?: RunComparison;
  /** A problem with the last action (bad form input, a failed export). */
  error?: string;
  /** A one-line confirmation of the last action ("Exported to …"). */
  notice?: string;
  /** Which API keys are stored (never the keys). */
  apiKeys: { openai: boolean; anthropic: boolean };
  /** The editor's chat models (vscode.lm): `name` is what the model fields take (`vscode:<id>`), `label` ends in "(VS Code)". */
  editorModels?: Array<{ name: string; label: string }>;
  /** The model the picker returned last (`seq` grows by one per pick): the webview adds it to Models or sets it as the judge. */
  pickedModel?: { field: 'models' | 'evaluatorModel'; name: string; seq: number };
}

/** Keeps only what the result lists need, so the webview gets no bodies it does not show. */
export function summaryOf(record: RunRecord): RunSummary {
  const { id, kind, title, status, startedAt, durationMs, headline } = record;
  return { id, kind, title, status, startedAt, durationMs, headline };
}
