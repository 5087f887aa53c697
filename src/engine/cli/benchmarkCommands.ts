import { LatencyBenchmark } from '../benchmark/latency';
import { ModelBenchmark } from '../benchmark/model';
import { QualityBenchmark, type QualityMetric } from '../benchmark/quality';
import { RAGBenchmark } from '../benchmark/rag';
import type { BenchmarkRuntime } from '../benchmark/common';
import { readPipelineConfig } from '../../shared/pipelineConfig';
import { BENCHMARK_LIMITS as L } from '../benchmark/common';
import { neverCancelled } from '../context';
import { stderrProgress, UsageError, type CliCommand, type CliIo } from './framework';

function list(values: Record<string, unknown>, name: string, fallback?: string[]): string[] {
  const v = values[name];
  const items = Array.isArray(v) ? v.flatMap((x: string) => x.split(',')) : typeof v === 'string' ? v.split(',') : fallback;
  if (!items || items.length === 0) throw new UsageError(`--${name} is required.`);
  return items.map((s) => s.trim()).filter(Boolean);
}

function ints(values: Record<string, unknown>, name: string, fallback: number[], max: number, min = 1): number[] {
  const raw = values[name] === undefined ? fallback.map(String) : list(values, name);
  return raw.map((s) => {
    const n = /^\d{1,9}$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} takes whole numbers from ${min} to ${max}, got ${s}.`);
    return n;
  });
}

/**
 * name=path pairs. A name given twice, or `__proto__` (the prototype of the object the
 * pairs go into: its dataset would silently drop out), is refused rather than lost.
 */
function pairs(values: Record<string, unknown>, name: string): Record<string, string> {
  const seen = new Map<string, string>();
  for (const p of list(values, name)) {
    const eq = p.indexOf('=');
    if (eq < 1) throw new UsageError(`--${name} takes name=path pairs, got ${p}.`);
    const key = p.slice(0, eq).trim();
    if (key === '__proto__') throw new UsageError(`--${name}: "__proto__" cannot name a dataset (it is the name of every object's prototype); choose another name.`);
    if (seen.has(key)) throw new UsageError(`--${name} names "${key}" twice (${seen.get(key)} and ${p.slice(eq + 1)}); give each dataset its own name.`);
    seen.set(key, p.slice(eq + 1));
  }
  return Object.fromEntries(seen);
}

function runtime(values: Record<string, unknown>, io: CliIo): BenchmarkRuntime {
  return {
    ctx: { token: neverCancelled, progress: stderrProgress(io) },
    apiKeys: { ...(process.env.OPENAI_API_KEY ? { openai: process.env.OPENAI_API_KEY } : {}), ...(process.env.ANTHROPIC_API_KEY ? { anthropic: process.env.ANTHROPIC_API_KEY } : {}) },
    confirmCost: values['confirm-cost'] === true,
    ...(typeof values['results-dir'] === 'string' ? { resultsDir: values['results-dir'] } : {}),
  };
}

const common = {
  models: { type: 'string' as const, valueName: 'M,…', description: 'Models: local (the extractive reader), local:bigram (the word-bigram ONNX decoder; the latency default), openai:gpt-5.4-mini, anthropic:claude-3-5-haiku-latest (comma-separated).' },
  'results-dir': { type: 'string' as const, valueName: 'DIR', description: 'Write the result as JSON under DIR.' },
  'confirm-cost': { type: 'boolean' as const, description: 'Allow paid API calls after the forecast.' },
};

export const benchmarkCommands: CliCommand[] = [
  {
    area: 'benchmark',
    verb: 'latency',
    summary: 'Latency percentiles, time to first token, time per output token and throughput.',
    options: { ...common, 'input-lengths': { type: 'string', valueName: 'N,…', description: 'Input lengths in words (default 100).' }, 'output-lengths': { type: 'string', valueName: 'N,…', description: 'Output token limits (default 32).' }, 'batch-sizes': { type: 'string', valueName: 'N,…', description: 'Concurrent requests per batch (default 1).' }, iterations: { type: 'string', valueName: 'N', description: 'Measured batches (default 5).' }, warmup: { type: 'string', valueName: 'N', description: 'Warm-up batches (default 1).' } },
    async run({ values }, io) {
      const r = await new LatencyBenchmark().run({ models: list(values, 'models', ['local:bigram']), inputLengths: ints(values, 'input-lengths', [100], L.inputLength), outputLengths: ints(values, 'output-lengths', [32], L.outputLength), batchSizes: ints(values, 'batch-sizes', [1], L.batchSize), iterations: ints(values, 'iterations', [5], L.iterations)[0], warmupIterations: ints(values, 'warmup', [1], L.warmupIterations, 0)[0] }, runtime(values, io));
      const lines: string[] = [];
      for (const [model, byIn] of Object.entries(r.results)) for (const [il, byOut] of Object.entries(byIn)) for (const [ol, byBatch] of Object.entries(byOut)) for (const [b, c] of Object.entries(byBatch)) lines.push(`${model} in=${il} out=${ol} batch=${b}: p50 ${c.p50} ms, p90 ${c.p90}, p99 ${c.p99}, TTFT ${c.timeToFirstTokenMs} ms, TPOT ${c.timePerOutputTokenMs} ms, ${c.throughput} req/s`);
      if (r.file) lines.push(`Wrote ${r.file}`);
      return { json: r, text: lines.join('\n') };
    },
  },
  {
    area: 'benchmark',
    verb: 'model',
    summary: 'Accuracy, F1, ROUGE-L, latency and cost per model and task.',
    options: { ...common, datasets: { type: 'string', valueName: 'task=FILE,…', description: 'One JSONL dataset per task ({"input","reference"} lines).' } },
    async run({ values }, io) {
      const datasets = pairs(values, 'datasets');
      const r = await new ModelBenchmark().run({ models: list(values, 'models', ['local']), tasks: Object.keys(datasets), datasets }, runtime(values, io));
      return { json: r, text: JSON.stringify(r.results, null, 2) };
    },
  },
  {
    area: 'benchmark',
    verb: 'quality',
    summary: 'LLM-as-judge quality with a rubric per metric, repeated judgments and 95 % intervals.',
    options: { ...common, datasets: { type: 'string', valueName: 'name=FILE,…', description: 'Evaluation datasets ({"input","reference"?} lines).' }, judge: { type: 'string', valueName: 'M', description: 'Evaluator model (e.g. openai:gpt-5.4-mini).' }, metrics: { type: 'string', valueName: 'M,…', description: 'correctness,relevance,coherence,fluency (default all).' }, repeats: { type: 'string', valueName: 'N', description: 'Judgments per answer and metric (default 3).' } },
    async run({ values }, io) {
      if (typeof values.judge !== 'string') throw new UsageError('--judge is required.');
      const r = await new QualityBenchmark().run({ models: list(values, 'models', ['local']), evaluationDatasets: pairs(values, 'datasets'), evaluatorModel: values.judge, metrics: list(values, 'metrics', ['correctness', 'relevance', 'coherence', 'fluency']) as QualityMetric[], repeats: ints(values, 'repeats', [3], L.repeats)[0] }, runtime(values, io));
      return { json: r, text: JSON.stringify(r, null, 2) };
    },
  },
  {
    area: 'benchmark',
    verb: 'rag',
    summary: 'Context precision/recall, faithfulness, answer correctness, latency and cost per pipeline.',
    positionals: '<config.json>…',
    options: { ...common, dataset: { type: 'string', valueName: 'FILE', description: 'Questions (JSONL: {"query","answer"?,"relevantIds"?}).' }, judge: { type: 'string', valueName: 'M', description: 'Judge model for the judge-based variant (default: judge-free).' } },
    async run({ positionals, values }, io) {
      if (positionals.length === 0) throw new UsageError('Give one or more pipeline config files.');
      if (typeof values.dataset !== 'string') throw new UsageError('--dataset is required.');
      const loaded = positionals.map((p) => readPipelineConfig(p));
      const r = await new RAGBenchmark().run({ ragPipelines: Object.fromEntries(loaded.map((l) => [l.config.name, l.config])), dataset: values.dataset, ...(loaded[0].corpusPath ? { corpusPath: loaded[0].corpusPath } : {}), ...(typeof values.judge === 'string' ? { judge: values.judge } : {}) }, runtime(values, io));
      return { json: r, text: JSON.stringify(r, null, 2) };
    },
  },
];
