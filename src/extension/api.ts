import type { EngineClient } from './engine/engineClient';
import type { PromptIndex } from './features/promptIndex';
import type { PromptRewriter } from './features/rewrite';
import type { SelectionTokenStatus } from './features/statusBar';
import type { AnalysisPanel } from './panels/analysisPanel';

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
}
