/**
 * The status-bar item with the token count of the selection. Counting never blocks the
 * extension host: it is debounced, goes to the engine process when the workspace is
 * trusted, and a result that arrives after the selection changed again is dropped.
 */
import * as vscode from 'vscode';
import { CountTokensRequest } from '../../protocol/engine';
import type { TokenCount } from '../../protocol/prompt';
import { MAX_PROMPT_CHARS } from '../../protocol/prompt';
import { config } from '../common/config';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { formatCount, usd } from '../common/format';
import { tokenCountText } from '../common/tokenCount';
import type { PromptIndex } from './promptIndex';
import { errorMessage } from '../../protocol/errors';
import type { PromptHint } from '../../protocol/hints';
import { codeSpan, pricedAsSentence } from './hover';
import { countMark, UNTERMINATED_TOOLTIP } from './codeLens';

const DEBOUNCE_MS = 150;

export class SelectionTokenStatus implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last count shown, for tests and the hover. */
  lastCount: TokenCount | undefined;

  constructor(
    private readonly engine: EngineService,
    private readonly log: Log,
    private readonly prompts?: PromptIndex,
  ) {
    this.item = vscode.window.createStatusBarItem('pepperpy.selectionTokens', vscode.StatusBarAlignment.Right, 100);
    this.item.name = vscode.l10n.t('PepperPy Token Count');
    this.item.command = 'pepperpy.analyzePrompt';
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeTextEditorSelection(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pepperpy')) this.schedule();
      }),
    );
    if (prompts) this.disposables.push(prompts.onDidChange(() => this.schedule()));
    this.schedule();
  }

  /** Recomputes after the debounce delay; returns when the count for the current selection is shown. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const generation = ++this.generation;
    this.timer = setTimeout(() => void this.update(generation), DEBOUNCE_MS);
  }

  private async update(generation: number): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!config.statusBarEnabled() || !editor) {
      this.item.hide();
      this.lastCount = undefined;
      return;
    }
    if (editor.selections.every((s) => s.isEmpty)) {
      await this.showPromptUnderCursor(editor, generation);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      this.item.text = `$(symbol-number) ${vscode.l10n.t('tokens: trust the workspace')}`;
      this.item.tooltip = vscode.l10n.t('PepperPy counts tokens in its engine process, which does not run in untrusted workspaces.');
      this.item.show();
      return;
    }
    const text = editor.selections.map((s) => editor.document.getText(s)).join('\n');
    if (text.length > MAX_PROMPT_CHARS) {
      this.item.text = `$(symbol-number) ${vscode.l10n.t('selection too large')}`;
      this.item.tooltip = vscode.l10n.t('PepperPy counts up to {0} characters.', formatCount(MAX_PROMPT_CHARS));
      this.item.show();
      return;
    }
    const model = config.defaultModel();
    try {
      const count = await this.engine.request(CountTokensRequest.type, { text, model }, { timeoutMs: 10_000 });
      if (generation !== this.generation) return;
      this.lastCount = count;
      const approx = count.method === 'estimate' ? '~' : '';
      this.item.text = `$(symbol-number) ${tokenCountText(count.count, approx)}`;
      this.item.tooltip = new vscode.MarkdownString(
        `${vscode.l10n.t('**{0} tokens** for {1}', formatCount(count.count), codeSpan(model))} (${count.method === 'exact' ? vscode.l10n.t('exact, {0}', count.encoding) : vscode.l10n.t('estimate: {0}', count.note ?? '')})\n\n${vscode.l10n.t('Click to analyze the selection.')}`,
      );
      this.item.show();
    } catch (error) {
      if (generation !== this.generation) return;
      this.log.warn(`Token count for the status bar failed: ${errorMessage(error)}`);
      this.item.text = `$(warning) ${vscode.l10n.t('tokens: engine error')}`;
      this.item.tooltip = vscode.l10n.t('PepperPy could not count tokens. Run "PepperPy: Show Logs" for details.');
      this.item.show();
    }
  }

  /** With no selection: the tokens and cost of the prompt under the cursor, if any. */
  private async showPromptUnderCursor(editor: vscode.TextEditor, generation: number): Promise<void> {
    const prompt = this.prompts && this.prompts.applies(editor.document) ? await this.prompts.promptAt(editor.document, editor.selection.active) : undefined;
    if (generation !== this.generation) return;
    if (!prompt) {
      this.item.hide();
      this.lastCount = undefined;
      return;
    }
    const count = prompt.cost.tokens;
    this.lastCount = count;
    this.item.text = `$(symbol-number) ${promptStatusText(prompt)}`;
    this.item.tooltip = promptStatusTooltip(prompt);
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The status bar's words for the prompt under the cursor, marked like its code lens: `≥`
 * when runtime values are left out of the count (a lower bound), `~` for an estimate, and
 * the number of pieces for a prompt composed in code (the count is the whole prompt's).
 */
export function promptStatusText(prompt: PromptHint): string {
  if (prompt.location.unterminated) return vscode.l10n.t('literal not closed');
  const count = prompt.cost.tokens;
  const mark = countMark(prompt);
  const cost = prompt.cost.inputCostUsd !== undefined ? ` · ${mark === '≥' ? '≥' : ''}${usd(prompt.cost.inputCostUsd)}` : '';
  const pieces = prompt.pieces && prompt.pieces.length > 1 ? ` · ${vscode.l10n.t('{0} pieces', prompt.pieces.length)}` : '';
  return `${tokenCountText(count.count, mark)}${cost}${pieces}`;
}

export function promptStatusTooltip(prompt: PromptHint): vscode.MarkdownString {
  if (prompt.location.unterminated) return new vscode.MarkdownString(UNTERMINATED_TOOLTIP());
  const count = prompt.cost.tokens;
  const how = count.method === 'exact' ? vscode.l10n.t('exact, {0}', count.encoding) : vscode.l10n.t('estimate');
  const cost = prompt.cost.inputCostUsd !== undefined ? vscode.l10n.t(', {0} input cost per call', usd(prompt.cost.inputCostUsd)) : '';
  const parts = [`**${prompt.title}**: ${vscode.l10n.t('{0} tokens for {1}', formatCount(count.count), codeSpan(prompt.model))} (${how})${cost}.`];
  if (prompt.cost.pricedAs && prompt.cost.inputCostUsd !== undefined) parts.push(pricedAsSentence(prompt.cost.pricedAs, prompt.model));
  // Runtime values are code (backticks, brackets): each goes in a code span, never as Markdown.
  if (prompt.runtimeValues.length > 0) {
    const shown = prompt.runtimeValues.slice(0, 5).map(codeSpan).join(', ');
    const more = prompt.runtimeValues.length > 5 ? vscode.l10n.t(' and {0} more', prompt.runtimeValues.length - 5) : '';
    parts.push(vscode.l10n.t('A lower bound: the fixed text only. Not counted: {0}.', `${shown}${more}`));
  }
  if (prompt.pieces && prompt.pieces.length > 1) parts.push(vscode.l10n.t('Composed in code from {0} pieces; the count is for the whole prompt.', prompt.pieces.length));
  return new vscode.MarkdownString(parts.join('\n\n'));
}
