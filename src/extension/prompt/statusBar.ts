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
import type { PromptIndex } from './promptIndex';
import { errorMessage } from '../../protocol/errors';
import type { PromptHint } from '../../protocol/hints';
import { codeSpan } from './hover';

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
    this.item.name = 'PepperPy Token Count';
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
      this.item.text = '$(symbol-number) tokens: trust the workspace';
      this.item.tooltip = 'PepperPy counts tokens in its engine process, which does not run in untrusted workspaces.';
      this.item.show();
      return;
    }
    const text = editor.selections.map((s) => editor.document.getText(s)).join('\n');
    if (text.length > MAX_PROMPT_CHARS) {
      this.item.text = '$(symbol-number) selection too large';
      this.item.tooltip = `PepperPy counts up to ${MAX_PROMPT_CHARS.toLocaleString()} characters.`;
      this.item.show();
      return;
    }
    const model = config.defaultModel();
    try {
      const count = await this.engine.request(CountTokensRequest.type, { text, model }, { timeoutMs: 10_000 });
      if (generation !== this.generation) return;
      this.lastCount = count;
      const approx = count.method === 'estimate' ? '~' : '';
      this.item.text = `$(symbol-number) ${approx}${formatCount(count.count)} tokens`;
      this.item.tooltip = new vscode.MarkdownString(
        `**${formatCount(count.count)} tokens** for \`${model}\` (${count.method === 'exact' ? `exact, ${count.encoding}` : `estimate: ${count.note ?? ''}`})\n\nClick to analyze the selection.`,
      );
      this.item.show();
    } catch (error) {
      if (generation !== this.generation) return;
      this.log.warn(`Token count for the status bar failed: ${errorMessage(error)}`);
      this.item.text = '$(warning) tokens: engine error';
      this.item.tooltip = 'PepperPy could not count tokens. Run "PepperPy: Show Logs" for details.';
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
  const count = prompt.cost.tokens;
  const runtime = prompt.runtimeValues.length > 0;
  const mark = runtime ? '≥' : count.method === 'estimate' ? '~' : '';
  const cost = prompt.cost.inputCostUsd !== undefined ? ` · ${runtime ? '≥' : ''}${usd(prompt.cost.inputCostUsd)}` : '';
  const pieces = prompt.pieces && prompt.pieces.length > 1 ? ` · ${prompt.pieces.length} pieces` : '';
  return `${mark}${formatCount(count.count)} tokens${cost}${pieces}`;
}

export function promptStatusTooltip(prompt: PromptHint): vscode.MarkdownString {
  const count = prompt.cost.tokens;
  const how = count.method === 'exact' ? `exact, ${count.encoding}` : 'estimate';
  const cost = prompt.cost.inputCostUsd !== undefined ? `, ${usd(prompt.cost.inputCostUsd)} input cost per call` : '';
  const parts = [`**${prompt.title}**: ${formatCount(count.count)} tokens for ${codeSpan(prompt.model)} (${how})${cost}.`];
  // Runtime values are code (backticks, brackets): each goes in a code span, never as Markdown.
  if (prompt.runtimeValues.length > 0) {
    const shown = prompt.runtimeValues.slice(0, 5).map(codeSpan).join(', ');
    const more = prompt.runtimeValues.length > 5 ? ` and ${prompt.runtimeValues.length - 5} more` : '';
    parts.push(`A lower bound: the fixed text only. Not counted: ${shown}${more}.`);
  }
  if (prompt.pieces && prompt.pieces.length > 1) parts.push(`Composed in code from ${prompt.pieces.length} pieces; the count is for the whole prompt.`);
  return new vscode.MarkdownString(parts.join('\n\n'));
}
