/**
 * Prompt hints and prompt commands: the prompt index behind code lenses, hovers,
 * diagnostics, code actions and piece highlights; the in-place rewriter; the token-count
 * status-bar item; and the Prompt Analysis panel.
 */
import { workspaceTrusted, type AreaContext, type Registered } from '../common/area';
import { registerPanelSerializer } from '../common/panelHost';
import { AnalysisPanel } from './analysisPanel';
import { quickPickPrompts, type PromptPicker } from './analyzePrompt';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { DiagnosedDocuments, registerDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { PromptIndex } from './promptIndex';
import { PromptRewriter } from './rewrite';
import { SelectionTokenStatus } from './statusBar';

export interface PromptApi {
  analysisPanel: AnalysisPanel;
  prompts: PromptIndex;
  rewriter: PromptRewriter;
  statusBar: SelectionTokenStatus;
  /** How Analyze Prompt asks which prompt of a file to analyze (a QuickPick; tests replace `pick`). */
  promptPicker: PromptPicker;
}

export function register({ context, log, engine }: AreaContext): Registered<PromptApi> {
  const analysisPanel = new AnalysisPanel(context, log, engine);
  const prompts = new PromptIndex(engine, log);
  const rewriter = new PromptRewriter(prompts, engine, log, context.secrets);
  const promptPicker: PromptPicker = { pick: (items, options) => quickPickPrompts.pick(items, options) };
  const statusBar = new SelectionTokenStatus(engine, log, prompts);
  const diagnosed = new DiagnosedDocuments();
  return {
    api: { analysisPanel, prompts, rewriter, statusBar, promptPicker },
    disposables: [
      analysisPanel,
      prompts,
      rewriter,
      statusBar,
      // Lenses and actions leave out the rewrite offers in an untrusted workspace.
      registerCodeLens(prompts, workspaceTrusted),
      registerHover(prompts),
      registerDiagnostics(prompts, diagnosed),
      registerCodeActions(prompts, workspaceTrusted, diagnosed),
      registerPanelSerializer(analysisPanel.host),
    ],
  };
}
