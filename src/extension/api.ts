import type { BenchmarkApi } from './benchmark';
import type { EngineClient } from './client/engineClient';
import type { CostApi } from './cost';
import type { ModelApi } from './model';
import type { PromptApi } from './prompt';

/**
 * What `activate` returns. The integration tests read the status bar text and the panel's
 * rendered content through it; nothing here is a stable public API yet.
 */
export interface PepperpyApi extends PromptApi {
  /** Milliseconds `activate` took (measured with performance.now()). */
  activationMs: number;
  engine: EngineClient;
  /** The cost monitor (status, alerts), the Cost Dashboard and the spend status-bar item. */
  cost: CostApi;
  /** The benchmark runner (history, cancellation) and the Benchmark panel. */
  benchmark: BenchmarkApi;
  /** The Model Optimization panel (its history, the running job, cancellation). */
  model: ModelApi;
}
