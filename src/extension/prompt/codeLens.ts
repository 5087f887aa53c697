import * as vscode from 'vscode';
import { config } from '../common/config';
import type { PromptHint } from '../../protocol/hints';
import { formatCount, usd } from '../common/format';
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
      // A composed prompt has one lens, above its first piece.
      const start = document.positionAt(promptStart(prompt));
      const range = new vscode.Range(start, start);
      lenses.push(
        new vscode.CodeLens(range, {
          title: lensTitle(prompt),
          tooltip: lensTooltip(prompt),
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

/** Names of runtime values for people: at most `max`, each shortened. */
export function runtimeList(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max).map((v) => (v.length > 32 ? `${v.slice(0, 31)}…` : v));
  return values.length > max ? `${shown.join(', ')} and ${values.length - max} more` : shown.join(', ');
}

/** Where a prompt starts in the document: its first piece for a composed prompt. */
export function promptStart(prompt: PromptHint): number {
  return Math.min(prompt.location.range.start.offset, ...(prompt.location.pieces ?? []).map((p) => p.range.start.offset));
}

/** Lines of a range for people: `line 12` or `lines 12–30` (1-based). */
export function lineSpan(range: PromptHint['location']['range']): string {
  const a = range.start.line + 1;
  const b = range.end.line + 1;
  return a === b ? `line ${a}` : `lines ${a}–${b}`;
}

/**
 * `1,234 tokens · $0.0031 per call (claude-sonnet-4-5)`, or `≥1,234 tokens + runtime values · ≥$0.0031 per call (…)`;
 * a composed prompt ends with `· N pieces` (the count is for the whole composed prompt).
 */
export function lensTitle(prompt: PromptHint): string {
  const cost = prompt.cost;
  const runtime = prompt.runtimeValues.length > 0;
  const mark = runtime ? '≥' : cost.tokens.method === 'estimate' ? '~' : '';
  const count = `${mark}${formatCount(cost.tokens.count)} tokens${runtime ? ' + runtime values' : ''}`;
  const price = cost.inputCostUsd !== undefined ? `${runtime ? '≥' : ''}${usd(cost.inputCostUsd)} per call` : 'no price';
  const pieces = prompt.pieces && prompt.pieces.length > 1 ? ` · ${prompt.pieces.length} pieces` : '';
  return `${count} · ${price} (${prompt.model})${pieces}`;
}

export function lensTooltip(prompt: PromptHint): string {
  const estimate = prompt.cost.tokens.method === 'estimate';
  const parts = [`${prompt.title}${prompt.location.api ? ` for ${prompt.location.api}` : ''}: input tokens and input cost per call for ${prompt.model}`];
  if (prompt.modelVia) parts.push(`(model: ${prompt.modelVia})`);
  let text = parts.join(' ');
  if (estimate) text += ', estimated: no local tokenizer for this model';
  if (prompt.runtimeValues.length > 0) text += `. Counts the fixed text only; not counted: ${runtimeList(prompt.runtimeValues, 5)}`;
  if (prompt.pieces && prompt.pieces.length > 1) {
    const list = prompt.pieces.map((p) => `${lineSpan(p.range)} (${formatCount(p.tokens)} tokens${p.fills ? `, the value of ${p.fills}` : ''})`);
    text += `. Composed in code from ${prompt.pieces.length} pieces, counted together: ${list.join('; ')}`;
  }
  return `${text}. Click to analyze.`;
}

export function registerCodeLens(index: PromptIndex, trusted: () => boolean): vscode.Disposable {
  const provider = new PromptCodeLensProvider(index, trusted);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(PROMPT_DOCUMENT_SELECTOR, provider));
}
