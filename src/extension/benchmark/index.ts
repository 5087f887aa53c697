/** Benchmarks and RAG pipeline optimization: the runner (one run at a time, history, cancellation) and the Benchmark panel. */
import type { AreaContext, Registered } from '../common/area';
import { registerPanelSerializer } from '../common/panelHost';
import { BenchmarkPanel } from './benchmarkPanel';
import { BenchmarkRunner } from './benchmarkRunner';

export interface BenchmarkApi {
  runner: BenchmarkRunner;
  panel: BenchmarkPanel;
}

export function register({ context, log, engine }: AreaContext): Registered<BenchmarkApi> {
  const runner = new BenchmarkRunner(context, log, engine);
  const panel = new BenchmarkPanel(context, log, runner, engine);
  return {
    api: { runner, panel },
    disposables: [runner, panel, registerPanelSerializer(panel.host, () => panel.refresh())],
  };
}
