/**
 * RAGBenchmark: runs each pipeline on a dataset of questions and reports, per pipeline,
 * relevance (context precision and recall), faithfulness, answer correctness, latency and
 * cost. Definitions (docs/benchmarks.md):
 *
 * - judge-free: context recall = share of `relevantIds` retrieved; context precision =
 *   rank-aware precision (mean of precision@rank over the relevant passages retrieved);
 *   faithfulness = share of the answer's content words found in the retrieved passages;
 *   answer correctness = token F1 against the reference answer.
 * - judge-based (when `judge` is given): faithfulness and answer correctness are the
 *   judge's 1-10 scores divided by 10; context precision is the share of passages the judge
 *   calls relevant (yes/no). Context recall stays judge-free (it needs labels).
 */
import { throwIfCancelled } from '../../protocol/errors';
import { parsePipelineConfig, type PipelineConfigInput } from '../../shared/pipelineConfig';
import { TEST_QUERY_LINE, TestQuerySchema, type TestQuery } from '../pipeline/benchmark';
import { contentWords } from '../pipeline/embedding';
import { RagPipeline } from '../pipeline/runner';
import type { CorpusDocument } from '../pipeline/corpus';
import { describeLineErrors, loadDataset, requireRecords } from './dataset';
import { mean, percentile, round, tokenF1 } from './metrics';
import { checkResultsDir, persistResult } from './results';
import { gatePaidCalls, parseJudgeScore, resolveProvider, type BenchmarkRuntime, type ModelSpec } from './common';
import type { RagPipelineResult, RagRunResult } from '../../protocol/benchmarkRun';

export type RagMetric = 'relevance' | 'faithfulness' | 'answer_correctness' | 'latency' | 'cost';

/** The results are part of the protocol (src/protocol/benchmarkRun.ts). */
export type { RagPipelineResult };

export function faithfulnessJudgeFree(answer: string, contexts: string[]): number {
  const words = contentWords(answer);
  if (words.length === 0) return 0;
  const present = new Set(contexts.flatMap((c) => contentWords(c)));
  return words.filter((w) => present.has(w)).length / words.length;
}

export class RAGBenchmark {
  async run(params: { ragPipelines: Record<string, Omit<PipelineConfigInput, 'name'> & { name?: string }>; dataset: string; metrics?: RagMetric[]; documents?: CorpusDocument[]; corpusPath?: string; judge?: ModelSpec }, runtime: BenchmarkRuntime & { apiKey?: string } = {}): Promise<RagRunResult> {
    checkResultsDir(runtime.resultsDir);
    const metrics = new Set(params.metrics ?? ['relevance', 'faithfulness', 'answer_correctness', 'latency', 'cost']);
    const load = requireRecords(loadDataset(params.dataset, TestQuerySchema, 'RAG'), 'RAG', TEST_QUERY_LINE);
    const queries: TestQuery[] = load.records.map((r) => r.value);
    const configs = Object.entries(params.ragPipelines).map(([name, raw]) => [name, parsePipelineConfig({ ...raw, name }, `pipeline ${name}`)] as const);
    const pipelines: [string, RagPipeline][] = [];
    for (const [name, config] of configs) pipelines.push([name, await RagPipeline.fromConfig(config, { ...(params.documents ? { documents: params.documents } : {}), ...(params.corpusPath ? { corpusPath: params.corpusPath } : {}) }, { cache: null, ...(runtime.apiKey ? { apiKey: runtime.apiKey } : {}) })]);
    try {
      const judge = params.judge ? resolveProvider(params.judge, runtime, pipelines[0]?.[1].documents.map((d) => d.text).join('\n') ?? '') : undefined;
      await gatePaidCalls([
        ...pipelines.flatMap(([, p]) => queries.map((q) => ({ model: p.provider.model, paid: p.provider.paid, inputText: `${q.query} ${'x'.repeat(2000)}`, maxOutputTokens: p.config.components.generator.max_tokens }))),
        ...(judge ? pipelines.flatMap(([, p]) => queries.flatMap((q) => Array.from({ length: 2 + p.config.components.retriever.top_k }, () => ({ model: judge.model, paid: judge.paid, inputText: `${q.query} ${'x'.repeat(2000)}`, maxOutputTokens: 16 })))) : []),
      ], runtime);
      const results: Record<string, RagPipelineResult> = {};
      let done = 0;
      for (const [name, pipeline] of pipelines) {
        const precision: number[] = [];
        const recall: number[] = [];
        const faithful: number[] = [];
        const correct: number[] = [];
        const latency: number[] = [];
        let cost = 0;
        for (const [i, q] of queries.entries()) {
          throwIfCancelled(runtime.ctx?.token, 'The RAG benchmark');
          runtime.ctx?.progress({ message: `${name}: question ${i + 1}/${queries.length}`, percent: Math.round(((done + i) / (pipelines.length * queries.length)) * 100) });
          const a = await pipeline.query(q.query);
          latency.push(a.totalMs);
          cost += a.costUsd;
          const ids = a.passages.map((p) => p.id);
          const contexts = a.passages.map((p) => p.text);
          if (q.relevantIds && q.relevantIds.length > 0) {
            const rel = q.relevantIds;
            recall.push(rel.filter((r) => ids.includes(r)).length / rel.length);
            if (!judge) {
              let hits = 0;
              let sum = 0;
              ids.forEach((id, i) => {
                if (rel.includes(id)) sum += ++hits / (i + 1);
              });
              precision.push(hits === 0 ? 0 : sum / hits);
            }
          }
          if (judge) {
            const ask = async (prompt: string) => (await judge.generate({ messages: [{ role: 'user', content: prompt }], maxTokens: 16, temperature: 0 })).text;
            let relevant = 0;
            for (const c of contexts) if (/^\s*yes/i.test(await ask(`Is this passage relevant to the question? Reply "yes" or "no".\n\nQuestion: ${q.query}\n\nPassage: ${c}`))) relevant++;
            precision.push(contexts.length === 0 ? 0 : relevant / contexts.length);
            const f = parseJudgeScore(await ask(`Rate from 1 to 10 how fully every claim of the answer is supported by the context (10 = all supported). Reply "Score: N".\n\nContext:\n${contexts.join('\n')}\n\nAnswer: ${a.answer}`));
            if (f !== undefined) faithful.push(f / 10);
            if (q.answer) {
              const s = parseJudgeScore(await ask(`Rate from 1 to 10 how correct the answer is against the reference. Reply "Score: N".\n\nQuestion: ${q.query}\nReference: ${q.answer}\nAnswer: ${a.answer}`));
              if (s !== undefined) correct.push(s / 10);
            }
          } else {
            faithful.push(faithfulnessJudgeFree(a.answer, contexts));
            if (q.answer) correct.push(tokenF1(a.answer, q.answer));
          }
        }
        results[name] = {
          ...(metrics.has('relevance') ? { contextPrecision: round(mean(precision), 4), contextRecall: round(mean(recall), 4) } : {}),
          ...(metrics.has('faithfulness') ? { faithfulness: round(mean(faithful), 4) } : {}),
          ...(metrics.has('answer_correctness') ? { answerCorrectness: round(mean(correct), 4) } : {}),
          ...(metrics.has('latency') ? { latency: { avg: round(mean(latency)), p50: round(percentile(latency, 50)), p90: round(percentile(latency, 90)) } } : {}),
          ...(metrics.has('cost') ? { cost: { total: round(cost, 8), perQuery: round(cost / Math.max(1, queries.length), 8), basis: pipeline.costBasis } } : {}),
          method: judge ? 'judge-based' : 'judge-free',
          items: queries.length,
        };
        done += queries.length;
      }
      const out = { results, skippedLines: describeLineErrors(load) };
      return { ...out, ...(runtime.resultsDir ? { file: persistResult(runtime.resultsDir, 'rag', out) } : {}) };
    } finally {
      for (const [, p] of pipelines) await p.close();
    }
  }
}
