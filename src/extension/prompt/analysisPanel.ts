import * as vscode from 'vscode';
import { CountTokensRequest, PromptAnalyzeRequest } from '../../protocol/engine';
import type { AnalysisViewState, WebviewToHost } from '../../protocol/webview';
import { modelChoices } from '../common/config';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { PanelHost, plainJson } from '../common/panelHost';
import { errorMessage } from '../../protocol/errors';

export const ANALYSIS_VIEW_TYPE = 'pepperpy.analysis';

/** A prompt's text with its runtime values left out (as the lens counts it), and the values' names. */
export interface FixedText {
  text: string;
  runtimeValues: string[];
}

/** The "Prompt Analysis" panel: shows what prompt/analyze returned for a text. */
export class AnalysisPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private text = '';
  /** The fixed text and runtime values of the prompt being shown, when it has runtime values. */
  private fixedText: FixedText | undefined;
  private state: AnalysisViewState = { source: '', model: DEFAULT_MODEL, models: [], busy: false };

  constructor(
    context: vscode.ExtensionContext,
    log: Log,
    private readonly engine: EngineService,
  ) {
    this.host = new PanelHost(context, log, { viewType: ANALYSIS_VIEW_TYPE, title: vscode.l10n.t('PepperPy: Prompt Analysis'), script: 'analysis' }, (m) => this.onMessage(m));
  }

  get currentState(): AnalysisViewState {
    return this.state;
  }

  /**
   * Analyzes `text` with `model` in the engine and shows the result. `fixed` is given for a
   * prompt found in code with runtime values: its fixed text is counted too, so that the panel
   * leads with the same "≥ N" as the lens and the hover.
   */
  async analyze(text: string, source: string, model: string, fixed?: FixedText): Promise<AnalysisViewState> {
    this.text = text;
    this.fixedText = fixed && fixed.runtimeValues.length > 0 ? fixed : undefined;
    this.update({ source, model, models: modelChoices(), busy: true, analysis: undefined, fixed: undefined, error: undefined });
    this.host.show();
    try {
      const analysis = await this.engine.runJob(vscode.l10n.t('PepperPy: analyzing {0}', source), PromptAnalyzeRequest.type, { text, model }, { rethrow: true });
      const tokens = analysis && this.fixedText ? await this.engine.runJob(vscode.l10n.t('PepperPy: analyzing {0}', source), CountTokensRequest.type, { text: this.fixedText.text, model }, { rethrow: true }) : undefined;
      const shown = tokens && this.fixedText ? { tokens, runtimeValues: this.fixedText.runtimeValues } : undefined;
      this.update({ ...this.state, busy: false, analysis, ...(shown ? { fixed: shown } : {}), error: analysis ? undefined : 'Cancelled.' });
    } catch (error) {
      const message = errorMessage(error);
      this.update({ ...this.state, busy: false, error: message });
      void this.engine.showError(error);
    }
    return this.state;
  }

  dispose(): void {
    this.host.dispose();
  }

  private update(state: AnalysisViewState): void {
    this.state = plainJson(state);
    this.host.post({ type: 'analysis/didChange', state: this.state });
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'analysis/reanalyze':
        if (this.text.length > 0 || this.state.analysis) await this.analyze(this.text, this.state.source, message.model, this.fixedText);
        break;
      case 'analysis/copyJson':
        if (this.state.analysis) {
          await vscode.env.clipboard.writeText(JSON.stringify(this.state.analysis, null, 2));
          void vscode.window.showInformationMessage(vscode.l10n.t('PepperPy: analysis copied to the clipboard as JSON.'));
        }
        break;
      default:
        break;
    }
  }
}
