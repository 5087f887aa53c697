/**
 * PipelineProfiler: runs queries one at a time (no cache, so every component runs) and
 * reports per component the average time, its share of the summed component time, the
 * average heap growth while it ran, and which component is the bottleneck (the largest
 * share). Memory is V8 heap growth per call, measured with process.memoryUsage().
 */
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import type { HandlerContext } from '../context';
import { mean, round } from '../benchmark/metrics';
import type { CorpusDocument } from './corpus';
import type { PipelineConfig } from '../../shared/pipelineConfig';
import type { ComponentStats, ProfileResult } from '../../protocol/pipeline';
import { RagPipeline, type ComponentName, type PipelineRuntime } from './runner';

/** The result is part of the protocol (src/protocol/pipeline.ts). */
export type { ComponentStats, ProfileResult };

export class PipelineProfiler {
  async profile(params: { pipelineConfig: PipelineConfig; testQueries: string[]; detailed?: boolean; runsPerQuery?: number; documents?: CorpusDocument[]; corpusPath?: string; runtime?: PipelineRuntime; pipeline?: RagPipeline; ctx?: Pick<HandlerContext, 'token' | 'progress'> }): Promise<ProfileResult> {
    if (params.testQueries.length === 0) throw new EngineError('badRequest', 'The profiler needs at least one test query.');
    const runs = params.runsPerQuery ?? 3;
    if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new EngineError('badRequest', `runsPerQuery must be a whole number from 1 to 100, got ${runs}.`, 'Choose 1 to 100 runs per query (--runs).');
    const pipeline = params.pipeline ?? (await RagPipeline.fromConfig(params.pipelineConfig, { ...(params.documents ? { documents: params.documents } : {}), ...(params.corpusPath ? { corpusPath: params.corpusPath } : {}) }, { ...params.runtime, cache: null }));
    try {
      const samples: Partial<Record<ComponentName, { ms: number[]; mb: number[] }>> = {};
      const details: NonNullable<ProfileResult['details']> = [];
      // One warm-up query, so session creation and JIT are not billed to the first component.
      await pipeline.query(params.testQueries[0], { useCache: false });
      let done = 0;
      for (const query of params.testQueries) {
        for (let r = 0; r < runs; r++) {
          throwIfCancelled(params.ctx?.token, 'Profiling');
          const answer = await pipeline.query(query, { useCache: false });
          const row: Partial<Record<ComponentName, number>> = {};
          for (const [name, t] of Object.entries(answer.components) as [ComponentName, { ms: number; heapDeltaMb: number }][]) {
            const s = (samples[name] ??= { ms: [], mb: [] });
            s.ms.push(t.ms);
            s.mb.push(t.heapDeltaMb);
            row[name] = round(t.ms, 3);
          }
          if (params.detailed && r === 0) details.push({ query, components: row });
          params.ctx?.progress({ message: `Profiling ${++done}/${params.testQueries.length * runs}`, percent: Math.round((done / (params.testQueries.length * runs)) * 100) });
        }
      }
      const averages = Object.entries(samples).map(([name, s]) => ({ name: name as ComponentName, avg: mean(s.ms), mb: mean(s.mb), calls: s.ms.length }));
      const total = averages.reduce((a, c) => a + c.avg, 0);
      const bottleneck = averages.reduce((a, b) => (b.avg > a.avg ? b : a)).name;
      const componentStats: Partial<Record<ComponentName, ComponentStats>> = {};
      for (const c of averages) componentStats[c.name] = { avgTime: round(c.avg, 3), percentage: round(total === 0 ? 0 : (100 * c.avg) / total, 2), memoryUsage: round(c.mb, 3), isBottleneck: c.name === bottleneck, calls: c.calls };
      return {
        pipelineName: pipeline.config.name,
        componentStats,
        bottleneck,
        totalAvgTime: round(total, 3),
        queries: params.testQueries.length,
        runsPerQuery: runs,
        memoryMethod: 'average V8 heap growth (MB) while the component ran; negative when a GC ran',
        ...(params.detailed ? { details } : {}),
      };
    } finally {
      if (!params.pipeline) await pipeline.close();
    }
  }
}
