import * as vscode from 'vscode';
import type { RequestType } from 'vscode-jsonrpc/node';
import { CountTokensRequest, PromptAnalyzeRequest } from '../../protocol/engine';
import type { AnalysisViewState, WebviewToHost } from '../../protocol/webview';
import { config, modelChoices } from '../common/config';
import { DEFAULT_MODEL } from '../../shared/prompt/defaults';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { PanelHost, plainJson } from '../common/panelHost';
import { errorMessage } from '../../protocol/errors';
import { shiftRange, type OffsetRange } from './trackedRange';

export const ANALYSIS_VIEW_TYPE = 'pepperpy.analysis';

/** A prompt's text with its runtime values left out (as the lens counts it), and the values' names. */
export interface FixedText {
  text: string;
  runtimeValues: string[];
}

/** What to analyze: the text, where it came from, the model, and (for a prompt in code with runtime values) its fixed text. */
export interface AnalysisRequest {
  text: string;
  source: string;
  model: string;
  fixed?: FixedText;
  /** The document line (1-based) of an offset in `text`, so the panel can say where each suggestion is. */
  lineOf?: (textOffset: number) => number;
  /** How the call that sends the prompt states its output schema, when it does: the engine then reports no missing output format. */
  outputSchema?: string;
}

/**
 * What reading the analyzed text again gave: the text to analyze (and where it now is), or why
 * not — `gone` (deleted, no longer a prompt: the panel stops following it) or `pending` (not
 * readable yet, e.g. a literal still being typed: the panel keeps following). Either reason is
 * shown over the old figures.
 */
export type Reread = { request: AnalysisRequest; range?: OffsetRange } | { gone: string } | { pending: string };

/**
 * Where the analyzed text lives, so that the panel follows edits to it: the document and the
 * text's offsets, moved with every edit, and how to read the text again once the edits pause.
 */
export interface AnalysisOrigin {
  document: vscode.TextDocument;
  range: OffsetRange;
  reread: (document: vscode.TextDocument, range: OffsetRange) => Promise<Reread>;
}

/** The "Prompt Analysis" panel: shows what prompt/analyze returned for a text, and follows later edits of that text. */
export class AnalysisPanel implements vscode.Disposable {
  readonly host: PanelHost;
  private request: AnalysisRequest | undefined;
  private origin: AnalysisOrigin | undefined;
  /** The model the user picked in the panel: it stays when the text is analyzed again after an edit. */
  private pickedModel: string | undefined;
  /** Bumped by every analysis: a late answer for an older one is dropped. */
  private generation = 0;
  private timer: NodeJS.Timeout | undefined;
  private state: AnalysisViewState = { source: '', model: DEFAULT_MODEL, models: [], busy: false };
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    context: vscode.ExtensionContext,
    log: Log,
    private readonly engine: EngineService,
  ) {
    this.host = new PanelHost(context, log, { viewType: ANALYSIS_VIEW_TYPE, title: vscode.l10n.t('PepperPy: Prompt Analysis'), script: 'analysis' }, (m) => this.onMessage(m));
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (this.origin && d.uri.toString() === this.origin.document.uri.toString()) this.lose(vscode.l10n.t('{0} was closed: these figures are from its last analyzed version.', this.origin.document.uri.path.split('/').pop() ?? ''));
      }),
    ];
  }

  get currentState(): AnalysisViewState {
    return this.state;
  }

  /**
   * Analyzes `text` with `model` in the engine and shows the result. `fixed` is given for a
   * prompt found in code with runtime values: its fixed text is counted too, so that the panel
   * leads with the same "≥ N" as the lens and the hover. With `origin`, later edits of the text
   * analyze it again.
   */
  async analyze(text: string, source: string, model: string, fixed?: FixedText, origin?: AnalysisOrigin, lineOf?: (textOffset: number) => number, outputSchema?: string): Promise<AnalysisViewState> {
    this.origin = origin;
    this.pickedModel = undefined;
    this.cancelTimer();
    return this.run({ text, source, model, ...(fixed ? { fixed } : {}), ...(lineOf ? { lineOf } : {}), ...(outputSchema ? { outputSchema } : {}) }, true);
  }

  dispose(): void {
    this.cancelTimer();
    for (const s of this.subscriptions) s.dispose();
    this.host.dispose();
  }

  /** `interactive`: started by the user (a progress notification, errors shown); otherwise a quiet refresh after an edit. */
  private async run(request: AnalysisRequest, interactive: boolean): Promise<AnalysisViewState> {
    const generation = ++this.generation;
    const fixed = request.fixed;
    this.request = { ...request, ...(fixed ? { fixed } : {}) };
    if (!fixed) delete this.request.fixed;
    const model = this.pickedModel ?? request.model;
    // The prompt's own model (kotaemon's gpt-4o-mini from .env.example) is an option even when no setting lists it: without it
    // the drop-down showed its first option (gpt-5.4) over a count made for gpt-4o-mini (newuser40).
    const models = modelChoices();
    if (!models.includes(model)) models.unshift(model);
    this.update({ source: request.source, model, models, busy: true, ...(interactive ? { analysis: undefined } : { analysis: this.state.analysis }), fixed: interactive ? undefined : this.state.fixed, suggestionLines: interactive ? undefined : this.state.suggestionLines, error: undefined, stale: undefined });
    if (interactive) this.host.show();
    const title = vscode.l10n.t('PepperPy: analyzing {0}', request.source);
    const ask = <P, R>(type: RequestType<P, R, void>, params: P): Promise<R | undefined> =>
      interactive ? this.engine.runJob(title, type, params, { rethrow: true }) : this.engine.request(type, params);
    try {
      const analysis = await ask(PromptAnalyzeRequest.type, { text: request.text, model, ...(request.outputSchema ? { outputSchema: request.outputSchema } : {}) });
      const tokens = analysis && fixed ? await ask(CountTokensRequest.type, { text: fixed.text, model }) : undefined;
      if (generation !== this.generation) return this.state;
      const shown = tokens && fixed ? { tokens, runtimeValues: fixed.runtimeValues } : undefined;
      // Where each suggestion is (newuser25: two "etc" entries without lines read as duplicates).
      const lineOf = request.lineOf;
      const suggestionLines = analysis && lineOf ? analysis.optimizationSuggestions.map((s) => (s.range ? lineOf(s.range.start) : null)) : undefined;
      this.update({ ...this.state, busy: false, analysis, fixed: shown, suggestionLines, error: analysis ? undefined : 'Cancelled.' });
    } catch (error) {
      if (generation !== this.generation) return this.state;
      const message = errorMessage(error);
      this.update({ ...this.state, busy: false, error: message });
      if (interactive) void this.engine.showError(error);
    }
    return this.state;
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const origin = this.origin;
    if (!origin || event.contentChanges.length === 0 || event.document.uri.toString() !== origin.document.uri.toString()) return;
    origin.range = shiftRange(origin.range, event.contentChanges);
    origin.document = event.document;
    this.cancelTimer();
    this.timer = setTimeout(() => void this.refresh(origin), Math.max(config.hintsDebounceMs(), 300));
  }

  /** Reads the tracked text again and analyzes it, or says over the old figures why it cannot. */
  private async refresh(origin: AnalysisOrigin): Promise<void> {
    this.timer = undefined;
    if (origin !== this.origin) return;
    const generation = this.generation;
    let next: Reread;
    try {
      next = await origin.reread(origin.document, origin.range);
    } catch (error) {
      next = { gone: errorMessage(error) };
    }
    if (origin !== this.origin || generation !== this.generation) return;
    if ('gone' in next) {
      this.lose(next.gone);
    } else if ('pending' in next) {
      this.update({ ...this.state, busy: false, stale: next.pending });
    } else {
      if (next.range) origin.range = next.range;
      await this.run(next.request, false);
    }
  }

  /** The analyzed text is gone (closed, deleted, no longer a prompt): keep the figures, say they are old, stop following it. */
  private lose(reason: string): void {
    this.origin = undefined;
    this.cancelTimer();
    this.generation++;
    this.update({ ...this.state, busy: false, stale: reason });
  }

  private cancelTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private update(state: AnalysisViewState): void {
    this.state = plainJson(state);
    this.host.post({ type: 'analysis/didChange', state: this.state });
  }

  private async onMessage(message: WebviewToHost): Promise<void> {
    switch (message.type) {
      case 'analysis/reanalyze':
        if (this.request) {
          this.pickedModel = message.model;
          await this.run(this.request, true);
        }
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
