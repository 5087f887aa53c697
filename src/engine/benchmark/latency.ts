/**
 * LatencyBenchmark: for each model × input length × output length × batch size, runs
 * `warmupIterations` unmeasured and `iterations` measured batches (a batch is `batchSize`
 * concurrent streamed requests) and reports p50/p90/p99 latency, mean time to first token,
 * mean time per output token, and throughput. Input lengths are in words of filler text
 * taken from the corpus; output lengths are the `maxTokens` asked for.
 */
import { mean, percentile, round } from './metrics';
import { checkResultsDir, persistResult } from './results';
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import { BENCHMARK_LIMITS as L, checkCount, gatePaidCalls, modelLabel, resolveProvider, type BenchmarkRuntime, type ModelSpec } from './common';
import type { LatencyCell, LatencyResults, LatencyRunResult } from '../../protocol/benchmarkRun';

/** The results are part of the protocol (src/protocol/benchmarkRun.ts). */
export type { LatencyCell, LatencyResults };

const FILLER = 'the retriever returns passages that the model reads before it writes an answer about caching latency and cost';

export class LatencyBenchmark {
  async run(params: { models: ModelSpec[]; inputLengths: number[]; outputLengths: number[]; batchSizes: number[]; iterations?: number; warmupIterations?: number }, runtime: BenchmarkRuntime = {}): Promise<LatencyRunResult> {
    const iterations = checkCount(params.iterations ?? 5, 'iterations', 1, L.iterations);
    const warmup = checkCount(params.warmupIterations ?? 1, 'warmupIterations', 0, L.warmupIterations);
    for (const [name, values, max] of [['inputLengths', params.inputLengths, L.inputLength], ['outputLengths', params.outputLengths, L.outputLength], ['batchSizes', params.batchSizes, L.batchSize]] as const) {
      if (values.length === 0) throw new EngineError('badRequest', `${name} is empty.`, `Give at least one value for ${name}.`);
      for (const v of values) checkCount(v, name, 1, max);
    }
    if (params.models.length === 0) throw new EngineError('badRequest', 'No model to benchmark.', 'Give at least one model (local, openai:MODEL, anthropic:MODEL).');
    const requests = params.models.length * params.inputLengths.length * params.outputLengths.length * params.batchSizes.reduce((a, b) => a + b, 0) * (iterations + warmup);
    if (requests > L.plannedRequests) throw new EngineError('badRequest', `This latency run would send ${requests.toLocaleString('en-US')} requests (models × lengths × batch sizes × (iterations + warm-up)); at most ${L.plannedRequests.toLocaleString('en-US')}.`, 'Use fewer lengths, batch sizes or iterations.');
    checkResultsDir(runtime.resultsDir);
    const corpus = runtime.localCorpus ?? `${FILLER}.`;
    const fillerWords = corpus.split(/\s+/).filter(Boolean);
    const inputFor = (n: number) => Array.from({ length: n }, (_, i) => fillerWords[i % fillerWords.length]).join(' ');
    const providers = params.models.map((m) => ({ label: modelLabel(m), provider: resolveProvider(m, { ...runtime, localCorpus: corpus }, corpus) }));
    const planned = providers.flatMap(({ provider }) => params.inputLengths.flatMap((il) => params.outputLengths.flatMap((ol) => params.batchSizes.flatMap((b) => Array.from({ length: (iterations + warmup) * b }, () => ({ model: provider.model, paid: provider.paid, inputText: inputFor(il), maxOutputTokens: ol }))))));
    await gatePaidCalls(planned, runtime);
    const results: LatencyResults = {};
    let done = 0;
    const total = providers.length * params.inputLengths.length * params.outputLengths.length * params.batchSizes.length;
    for (const { label, provider } of providers) {
      results[label] = {};
      for (const il of params.inputLengths) {
        results[label][il] = {};
        for (const ol of params.outputLengths) {
          results[label][il][ol] = {};
          for (const b of params.batchSizes) {
            throwIfCancelled(runtime.ctx?.token, 'The latency benchmark');
            const request = { messages: [{ role: 'user' as const, content: inputFor(il) }], maxTokens: ol };
            const latencies: number[] = [];
            const ttft: number[] = [];
            const tpot: number[] = [];
            let outputTokens = 0;
            let measuredWall = 0;
            for (let it = 0; it < warmup + iterations; it++) {
              const t0 = performance.now();
              const batch = await Promise.all(Array.from({ length: b }, () => provider.stream(request)));
              const wall = performance.now() - t0;
              if (it < warmup) continue;
              measuredWall += wall;
              for (const r of batch) {
                latencies.push(r.timing.totalMs);
                ttft.push(r.timing.timeToFirstTokenMs);
                if (r.timing.interTokenMs.length > 0) tpot.push(mean(r.timing.interTokenMs));
                outputTokens += r.usage.outputTokens;
              }
            }
            results[label][il][ol][b] = {
              p50: round(percentile(latencies, 50)),
              p90: round(percentile(latencies, 90)),
              p99: round(percentile(latencies, 99)),
              mean: round(mean(latencies)),
              timeToFirstTokenMs: round(mean(ttft)),
              timePerOutputTokenMs: round(mean(tpot)),
              throughput: round(latencies.length / (measuredWall / 1000)),
              outputTokensPerSecond: round(outputTokens / (measuredWall / 1000)),
              requests: latencies.length,
            };
            runtime.ctx?.progress({ message: `${label} in=${il} out=${ol} batch=${b}`, percent: Math.round((++done / total) * 100) });
          }
        }
      }
    }
    return { results, ...(runtime.resultsDir ? { file: persistResult(runtime.resultsDir, 'latency', results) } : {}) };
  }
}
