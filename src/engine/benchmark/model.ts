/**
 * ModelBenchmark: each model answers each task's dataset; per model and task it reports
 * accuracy (normalised exact match), F1 (token F1), ROUGE-L, mean latency and cost.
 * Dataset lines: `{"input": "...", "reference": "...", "system"?: "..."}`.
 */
import { z } from 'zod';
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import { priceUsage } from '../pipeline/costing';
import { checkDatasetNames, describeLineErrors, loadDataset, requireRecords, type DatasetLoad } from './dataset';
import { exactMatch, mean, round, rougeL, tokenF1 } from './metrics';
import { checkResultsDir, persistResult } from './results';
import { gatePaidCalls, modelLabel, resolveProvider, unpaidCostBasis, type BenchmarkRuntime, type ModelSpec } from './common';
import type { ModelRunResult, ModelTaskResult } from '../../protocol/benchmarkRun';

export const ModelDatasetRecordSchema = z.object({ input: z.string().min(1), reference: z.string(), system: z.string().optional() }).strict();
export type ModelMetric = 'accuracy' | 'f1' | 'rouge' | 'latency' | 'cost';

/** The results are part of the protocol (src/protocol/benchmarkRun.ts). */
export type { ModelTaskResult };

export class ModelBenchmark {
  async run(params: { models: ModelSpec[]; tasks: string[]; datasets: Record<string, string>; metrics?: ModelMetric[]; maxTokens?: number }, runtime: BenchmarkRuntime = {}): Promise<ModelRunResult> {
    checkResultsDir(runtime.resultsDir);
    const metrics = new Set(params.metrics ?? ['accuracy', 'f1', 'rouge', 'latency', 'cost']);
    const loads: Record<string, DatasetLoad<z.infer<typeof ModelDatasetRecordSchema>>> = {};
    checkDatasetNames([...params.tasks, ...Object.keys(params.datasets)], 'task');
    for (const task of params.tasks) {
      // Own keys only: a task named constructor or toString must not read Object.prototype.
      const path = Object.hasOwn(params.datasets, task) ? params.datasets[task] : undefined;
      if (!path) throw new EngineError('badRequest', `No dataset given for task "${task}".`, 'Pass datasets: { task: path }.');
      loads[task] = requireRecords(loadDataset(path, ModelDatasetRecordSchema, `${task} task`), `${task} task`, 'a JSON object {"input", "reference"}');
    }
    const corpus = Object.values(loads).flatMap((l) => l.records.map((r) => `${r.value.input} ${r.value.reference}`)).join('\n');
    const maxTokens = params.maxTokens ?? 64;
    const providers = params.models.map((m) => ({ label: modelLabel(m), provider: resolveProvider(m, runtime, corpus) }));
    await gatePaidCalls(providers.flatMap(({ provider }) => Object.values(loads).flatMap((l) => l.records.map((r) => ({ model: provider.model, paid: provider.paid, inputText: `${r.value.system ?? ''}\n${r.value.input}`, maxOutputTokens: maxTokens })))), runtime);
    const results: Record<string, Record<string, ModelTaskResult>> = {};
    for (const { label, provider } of providers) {
      results[label] = {};
      for (const task of params.tasks) {
        const load = loads[task];
        const acc: number[] = [];
        const f1: number[] = [];
        const rouge: number[] = [];
        const latency: number[] = [];
        let cost = 0;
        let priced = provider.paid;
        for (const { value } of load.records) {
          throwIfCancelled(runtime.ctx?.token, 'The model benchmark');
          const r = await provider.generate({ messages: [...(value.system ? [{ role: 'system' as const, content: value.system }] : []), { role: 'user', content: value.input }], maxTokens, temperature: 0 });
          acc.push(exactMatch(r.text, value.reference));
          f1.push(tokenF1(r.text, value.reference));
          rouge.push(rougeL(r.text, value.reference));
          latency.push(r.timing.totalMs);
          if (provider.paid) {
            const c = await priceUsage(provider.model, r.usage.inputTokens, r.usage.outputTokens, r.usage.cachedInputTokens);
            if (c === undefined) priced = false;
            cost += c ?? 0;
          }
        }
        results[label][task] = {
          ...(metrics.has('accuracy') ? { accuracy: round(mean(acc), 4) } : {}),
          ...(metrics.has('f1') ? { f1: round(mean(f1), 4) } : {}),
          ...(metrics.has('rouge') ? { rouge: round(mean(rouge), 4) } : {}),
          ...(metrics.has('latency') ? { latency: round(mean(latency), 3) } : {}),
          ...(metrics.has('cost') ? { cost: round(cost, 8) } : {}),
          items: load.records.length,
          costBasis: provider.paid ? (priced ? 'provider-reported usage at published prices' : 'price unknown for this model') : unpaidCostBasis(provider),
          skippedLines: describeLineErrors(load),
        };
      }
    }
    return { results, ...(runtime.resultsDir ? { file: persistResult(runtime.resultsDir, 'model', results) } : {}) };
  }
}
