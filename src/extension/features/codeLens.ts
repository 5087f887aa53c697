import * as vscode from 'vscode';
import { config } from '../config';
import { usd } from './format';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

/** `N tokens · $X per call (model) · Compress · Optimize` above every prompt found. */
export class PromptCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly index: PromptIndex,
    private readonly trusted: () => boolean,
  ) {
    this.subscription = index.onDidChange(() => this.emitter.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!config.codeLensEnabled()) return [];
    const hints = await this.index.get(document);
    if (!hints || token.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const prompt of hints.prompts) {
      const start = document.positionAt(prompt.location.range.start.offset);
      const range = new vscode.Range(start, start);
      const cost = prompt.cost;
      const estimate = cost.tokens.method === 'estimate';
      const count = `${estimate ? '~' : ''}${cost.tokens.count.toLocaleString('en-US')} tokens`;
      const price = cost.inputCostUsd !== undefined ? `${usd(cost.inputCostUsd)} per call` : 'no price';
      lenses.push(
        new vscode.CodeLens(range, {
          title: `${count} · ${price} (${prompt.model})`,
          tooltip: `${prompt.location.kind} prompt${prompt.location.api ? ` for ${prompt.location.api}` : ''}: input tokens and input cost per call for ${prompt.model}${estimate ? ' (estimated: no local tokenizer for this model)' : ''}. Click to analyze.`,
          command: 'pepperpy.analyzePromptAt',
          arguments: [document.uri, prompt.location.range.start.offset],
        }),
      );
      if (this.trusted()) {
        lenses.push(
          new vscode.CodeLens(range, { title: 'Compress', command: 'pepperpy.compressPrompt', arguments: [document.uri, prompt.location.range.start.offset], tooltip: 'Remove filler and repetition; placeholders, code and constraints are kept.' }),
          new vscode.CodeLens(range, { title: 'Optimize', command: 'pepperpy.optimizePrompt', arguments: [document.uri, prompt.location.range.start.offset], tooltip: 'Restructure the prompt (shows a diff before applying).' }),
        );
      }
    }
    return lenses;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

export function registerCodeLens(index: PromptIndex, trusted: () => boolean): vscode.Disposable {
  const provider = new PromptCodeLensProvider(index, trusted);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(PROMPT_DOCUMENT_SELECTOR, provider));
}
