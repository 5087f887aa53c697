/**
 * Retrieval quality with and without a reranker, on queries with `relevantIds`: the
 * numbers samples/rag/models/README.md, test/unit/pipeline/reranker.test.ts and
 * `npm run bench:pipeline` quote. For each query the pipeline's retriever (and reranker,
 * when configured) runs without the generator; on the passages kept:
 *
 * - context precision: rank-aware (mean of precision@rank at each relevant passage kept),
 *   as PipelineBenchmark and RAGBenchmark define it;
 * - context recall: share of the relevant ids kept;
 * - MRR: 1 / rank of the first relevant passage kept (0 when none);
 * - nDCG@k over the kept list (binary gains).
 *
 * Times are medians of the retrieve (+ rerank) step per query.
 */
import { percentile, round } from '../benchmark/metrics';
import type { CorpusDocument } from './corpus';
import { parsePipelineConfig, type PipelineConfigInput } from '../../shared/pipelineConfig';
import { RagPipeline } from './runner';

export interface RetrievalQuality {
  reranker: string;
  queries: number;
  contextPrecision: number;
  contextRecall: number;
  mrr: number;
  ndcg: number;
  /** Median ms of retrieval plus reranking per query. */
  medianMs: number;
}

export async function measureRetrieval(params: {
  retriever: { type: 'bm25' | 'vector_db'; top_k: number };
  reranker?: PipelineConfigInput['components']['reranker'];
  documents: CorpusDocument[];
  queries: readonly { query: string; relevantIds?: string[] }[];
  /** k of nDCG@k (default 3). */
  k?: number;
  /** Passes over the queries for the timing (default 1; quality is the same each pass). */
  rounds?: number;
}): Promise<RetrievalQuality> {
  const config = parsePipelineConfig({ name: 'retrieval', components: { retriever: params.retriever, ...(params.reranker ? { reranker: params.reranker } : {}), generator: { type: 'llm' } } });
  const pipeline = await RagPipeline.fromConfig(config, { documents: params.documents }, { cache: null });
  const labelled = params.queries.filter((q) => (q.relevantIds?.length ?? 0) > 0);
  const k = params.k ?? 3;
  let precision = 0;
  let recall = 0;
  let mrr = 0;
  let ndcg = 0;
  const times: number[] = [];
  for (let round_ = 0; round_ < (params.rounds ?? 1); round_++) {
    for (const q of labelled) {
      const t0 = performance.now();
      const { passages } = await pipeline.retrieve(q.query);
      times.push(performance.now() - t0);
      if (round_ > 0) continue;
      const rel = new Set(q.relevantIds);
      const ids = passages.map((p) => p.id);
      let hits = 0;
      let sum = 0;
      ids.forEach((id, i) => {
        if (rel.has(id)) {
          hits++;
          sum += hits / (i + 1);
        }
      });
      precision += hits === 0 ? 0 : sum / hits;
      recall += ids.filter((id) => rel.has(id)).length / rel.size;
      const first = ids.findIndex((id) => rel.has(id));
      mrr += first < 0 ? 0 : 1 / (first + 1);
      const dcg = ids.slice(0, k).reduce((s, id, i) => s + (rel.has(id) ? 1 / Math.log2(i + 2) : 0), 0);
      let ideal = 0;
      for (let i = 0; i < Math.min(k, rel.size); i++) ideal += 1 / Math.log2(i + 2);
      ndcg += dcg / ideal;
    }
  }
  await pipeline.close();
  const n = Math.max(1, labelled.length);
  return {
    reranker: pipeline.rerankerName ?? 'none',
    queries: labelled.length,
    contextPrecision: round(precision / n, 4),
    contextRecall: round(recall / n, 4),
    mrr: round(mrr / n, 4),
    ndcg: round(ndcg / n, 4),
    medianMs: round(percentile(times, 50), 3),
  };
}
