import type { CostMonitorService } from './cost/costMonitorService';
import type { EngineClient } from './client/engineClient';
import type { CostStatus } from './cost/costStatus';
import type { PromptPicker } from './prompt/analyzePrompt';
import type { PromptIndex } from './prompt/promptIndex';
import type { PromptRewriter } from './prompt/rewrite';
import type { SelectionTokenStatus } from './prompt/statusBar';
import type { AnalysisPanel } from './prompt/analysisPanel';
import type { CostPanel } from './cost/costPanel';
import type { BenchmarkRunner } from './benchmark/benchmarkRunner';
import type { BenchmarkPanel } from './benchmark/benchmarkPanel';
import type { ModelPanel } from './model/modelPanel';

/**
 * What `activate` returns. The integration tests read the status bar text and the panel's
 * rendered content through it; nothing here is a stable public API yet.
 */
export interface PepperpyApi {
  /** Milliseconds `activate` took (measured with performance.now()). */
  activationMs: number;
  engine: EngineClient;
  statusBar: SelectionTokenStatus;
  analysisPanel: AnalysisPanel;
  prompts: PromptIndex;
  rewriter: PromptRewriter;
  /** How Analyze Prompt asks which prompt of a file to analyze (a QuickPick; tests replace `pick`). */
  promptPicker: PromptPicker;
  /** The cost monitor (status, alerts), the Cost Dashboard and the spend status-bar item. */
  cost: { monitor: CostMonitorService; panel: CostPanel; status: CostStatus };
  /** The benchmark runner (history, cancellation) and the Benchmark panel. */
  benchmark: { runner: BenchmarkRunner; panel: BenchmarkPanel };
  /** The Model Optimization panel (its history, the running job, cancellation). */
  model: { panel: ModelPanel };
}
