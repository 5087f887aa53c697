/**
 * QualityBenchmark: LLM-as-judge. Each model answers each dataset item; the evaluator
 * model scores every answer on each metric's rubric from 1 to 10, `repeats` times (at the
 * given temperature, so judgments vary as they do in practice). Per model, dataset and
 * metric: the mean with a 95 % confidence interval over all judgments, the number of
 * judgments the judge answered without a usable score, and the judge's own cost.
 * Dataset lines: `{"input": "...", "reference"?: "..."}`.
 */
import { z } from 'zod';
import { priceUsage } from '../pipeline/costing';
import { throwIfCancelled } from '../../protocol/errors';
import { checkDatasetNames, describeLineErrors, loadDataset, requireRecords, type DatasetLoad } from './dataset';
import { meanCi95, round } from './metrics';
import { checkResultsDir, persistResult } from './results';
import { BENCHMARK_LIMITS, checkCount, gatePaidCalls, modelLabel, parseJudgeScore, resolveProvider, unpaidCostBasis, type BenchmarkRuntime, type ModelSpec } from './common';
import type { LlmProvider } from '../providers';
import type { QualityCell, QualityRunResult } from '../../protocol/benchmarkRun';

export const QualityRecordSchema = z.object({ input: z.string().min(1), reference: z.string().optional() }).strict();
export type QualityMetric = 'correctness' | 'relevance' | 'coherence' | 'fluency';

export const RUBRICS: Record<QualityMetric, string> = {
  correctness: 'Correctness: 10 = every claim is true and matches the reference answer when one is given; 5 = partly correct or missing key facts; 1 = wrong.',
  relevance: 'Relevance: 10 = answers exactly what was asked; 5 = on topic but partly beside the question; 1 = does not address the question.',
  coherence: 'Coherence: 10 = well organised, each sentence follows from the last; 5 = understandable but disjointed; 1 = incoherent.',
  fluency: 'Fluency: 10 = grammatical, natural language; 5 = understandable with errors; 1 = not readable.',
};

export function judgePrompt(metric: QualityMetric, input: string, answer: string, reference?: string): string {
  return `You are grading an answer. ${RUBRICS[metric]}\n\nQuestion:\n${input}\n${reference ? `\nReference answer:\n${reference}\n` : ''}\nAnswer to grade:\n${answer}\n\nReply with one line: "Score: N" where N is an integer from 1 to 10.`;
}

/** The results are part of the protocol (src/protocol/benchmarkRun.ts). */
export type { QualityCell };

export class QualityBenchmark {
  async run(params: { models: ModelSpec[]; evaluationDatasets: Record<string, string>; evaluatorModel: ModelSpec; metrics?: QualityMetric[]; repeats?: number; judgeTemperature?: number; maxTokens?: number }, runtime: BenchmarkRuntime = {}): Promise<QualityRunResult> {
    const metrics = params.metrics ?? ['correctness', 'relevance', 'coherence', 'fluency'];
    const repeats = checkCount(params.repeats ?? 3, 'repeats', 1, BENCHMARK_LIMITS.repeats);
    checkResultsDir(runtime.resultsDir);
    checkDatasetNames(Object.keys(params.evaluationDatasets), 'quality evaluation dataset');
    const loads: Record<string, DatasetLoad<z.infer<typeof QualityRecordSchema>>> = {};
    for (const [name, path] of Object.entries(params.evaluationDatasets)) loads[name] = requireRecords(loadDataset(path, QualityRecordSchema, `"${name}" evaluation`), `"${name}" evaluation`, 'a JSON object {"input", "reference"?}');
    const corpus = Object.values(loads).flatMap((l) => l.records.map((r) => `${r.value.input} ${r.value.reference ?? ''}`)).join('\n');
    const maxTokens = params.maxTokens ?? 128;
    const judge = resolveProvider(params.evaluatorModel, runtime, corpus);
    const providers = params.models.map((m) => ({ label: modelLabel(m), provider: resolveProvider(m, runtime, corpus) }));
    const items = Object.values(loads).flatMap((l) => l.records);
    await gatePaidCalls([
      ...providers.flatMap(({ provider }) => items.map((r) => ({ model: provider.model, paid: provider.paid, inputText: r.value.input, maxOutputTokens: maxTokens }))),
      ...providers.flatMap(() => items.flatMap((r) => metrics.flatMap((m) => Array.from({ length: repeats }, () => ({ model: judge.model, paid: judge.paid, inputText: judgePrompt(m, r.value.input, 'x'.repeat(maxTokens * 4), r.value.reference), maxOutputTokens: 16 }))))),
    ], runtime);
    // Cancelling the job aborts the model call in flight too (an editor model's request is cancelled in VS Code).
    const abort = new AbortController();
    const subscription = runtime.ctx?.token.onCancellationRequested(() => abort.abort());
    try {
      return await this.measure(params, runtime, { loads, metrics, repeats, maxTokens, judge, providers, signal: abort.signal });
    } finally {
      subscription?.dispose();
    }
  }

  private async measure(
    params: { evaluatorModel: ModelSpec; judgeTemperature?: number },
    runtime: BenchmarkRuntime,
    run: { loads: Record<string, DatasetLoad<z.infer<typeof QualityRecordSchema>>>; metrics: QualityMetric[]; repeats: number; maxTokens: number; judge: LlmProvider; providers: { label: string; provider: LlmProvider }[]; signal: AbortSignal },
  ): Promise<QualityRunResult> {
    const { loads, metrics, repeats, maxTokens, judge, providers, signal } = run;
    const results: Record<string, Record<string, Record<string, QualityCell>>> = {};
    const judgeUsage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
    for (const { label, provider } of providers) {
      results[label] = {};
      for (const [name, load] of Object.entries(loads)) {
        const scores: Record<string, number[]> = Object.fromEntries(metrics.map((m) => [m, []]));
        const unparsed: Record<string, number> = Object.fromEntries(metrics.map((m) => [m, 0]));
        for (const { value } of load.records) {
          throwIfCancelled(runtime.ctx?.token, 'The quality benchmark');
          const answer = await provider.generate({ messages: [{ role: 'user', content: value.input }], maxTokens, temperature: 0, signal });
          for (const metric of metrics) {
            for (let r = 0; r < repeats; r++) {
              const j = await judge.generate({ messages: [{ role: 'user', content: judgePrompt(metric, value.input, answer.text, value.reference) }], maxTokens: 16, temperature: params.judgeTemperature ?? 0.7, seed: r + 1, signal });
              judgeUsage.calls++;
              judgeUsage.inputTokens += j.usage.inputTokens;
              judgeUsage.outputTokens += j.usage.outputTokens;
              if (judge.paid) judgeUsage.costUsd += (await priceUsage(judge.model, j.usage.inputTokens, j.usage.outputTokens)) ?? 0;
              const s = parseJudgeScore(j.text);
              if (s === undefined) unparsed[metric]++;
              else scores[metric].push(s);
            }
          }
        }
        results[label][name] = Object.fromEntries(metrics.map((m) => {
          const ci = meanCi95(scores[m]);
          return [m, { mean: round(ci.mean, 3), ci95: round(ci.ci95, 3), low: round(ci.low, 3), high: round(ci.high, 3), n: ci.n, unparsed: unparsed[m] }];
        }));
      }
    }
    const skippedLines = Object.values(loads).flatMap(describeLineErrors);
    const out = { results, judge: { model: modelLabel(params.evaluatorModel), repeats, ...judgeUsage, costUsd: round(judgeUsage.costUsd, 8), ...(judge.paid ? {} : { costBasis: unpaidCostBasis(judge) }) }, skippedLines };
    return { ...out, ...(runtime.resultsDir ? { file: persistResult(runtime.resultsDir, 'quality', out) } : {}) };
  }
}
