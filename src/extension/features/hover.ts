import * as vscode from 'vscode';
import type { ModelHint, PromptHint } from '../../protocol/hints';
import { config } from '../config';
import { percent, tokens, usd } from './format';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

function sourceLine(hint: PromptHint): string {
  const sources = new Map<string, string>();
  for (const c of [hint.cost, ...hint.compare]) if (c.source) sources.set(`${c.source.name} ${c.source.date}`, `${c.source.name} (${c.source.date})`);
  return sources.size > 0 ? `Prices: ${[...sources.values()].join('; ')}` : 'No prices found for these models.';
}

export function promptHoverMarkdown(hint: PromptHint): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  const where = [hint.location.api, hint.location.boundName ? `\`${hint.location.boundName}\`` : undefined].filter(Boolean).join(', ');
  md.appendMarkdown(`**PepperPy · ${hint.location.kind} prompt**${where ? ` (${where})` : ''}\n\n`);
  md.appendMarkdown('| model | tokens | input cost per call |\n|---|---:|---:|\n');
  for (const c of [hint.cost, ...hint.compare]) {
    const label = c.model === hint.model ? `**${c.model}**${hint.modelSource === 'call' ? ' (in this call)' : ' (default)'}` : c.model;
    const how = c.tokens.method === 'exact' ? 'exact' : 'estimate';
    md.appendMarkdown(`| ${label} | ${tokens(c)} (${how}) | ${c.inputCostUsd !== undefined ? usd(c.inputCostUsd) : `— ${c.error ?? 'no price'}`} |\n`);
  }
  md.appendMarkdown('\n');
  if (hint.contextWindow) md.appendMarkdown(`Context window: ${percent(hint.contextWindow.share)} of ${hint.contextWindow.contextWindow.toLocaleString('en-US')} tokens (${hint.contextWindow.source}).  \n`);
  else md.appendMarkdown(`Context window of ${hint.model}: unknown (not in the model data PepperPy ships).  \n`);
  if (hint.monthlyCostUsd !== undefined) md.appendMarkdown(`Monthly input cost at ${config.callsPerDay().toLocaleString('en-US')} calls/day (\`pepperpy.callsPerDay\`): **${usd(hint.monthlyCostUsd)}**.  \n`);
  if (hint.cost.tokens.note) md.appendMarkdown(`_${hint.cost.tokens.note}_  \n`);
  md.appendMarkdown(`\n${sourceLine(hint)}`);
  return md;
}

export function modelHoverMarkdown(hint: ModelHint): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**PepperPy · ${hint.name}**\n\n`);
  if (hint.price) {
    md.appendMarkdown(`Input: **$${hint.price.inputPerMTok}** per 1M tokens · Output: **$${hint.price.outputPerMTok}** per 1M tokens`);
    if (hint.price.cachedInputPerMTok !== undefined) md.appendMarkdown(` · Cached input: $${hint.price.cachedInputPerMTok} per 1M`);
    md.appendMarkdown(`  \nSource: ${hint.price.source.name} (${hint.price.source.date})  \n`);
  } else {
    md.appendMarkdown(`${hint.priceError ?? 'No price known.'}  \n`);
  }
  md.appendMarkdown(hint.contextWindow ? `Context window: ${hint.contextWindow.tokens.toLocaleString('en-US')} tokens (${hint.contextWindow.source})  \n` : 'Context window: unknown  \n');
  if (hint.cheaperAlternatives.length > 0) {
    md.appendMarkdown('\nCheaper models of similar quality:\n');
    for (const alt of hint.cheaperAlternatives) md.appendMarkdown(`- ${alt.model}: $${alt.inputPerMTok} / $${alt.outputPerMTok} per 1M (${alt.qualityNote})\n`);
  }
  return md;
}

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: PromptIndex) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const hints = await this.index.get(document);
    if (!hints || token.isCancellationRequested) return undefined;
    const offset = document.offsetAt(position);
    const model = hints.models.find((m) => offset >= m.range.start.offset && offset <= m.range.end.offset);
    if (model) return new vscode.Hover(modelHoverMarkdown(model), new vscode.Range(document.positionAt(model.range.start.offset), document.positionAt(model.range.end.offset)));
    const prompt = hints.prompts.find((p) => offset >= p.location.range.start.offset && offset <= p.location.range.end.offset);
    if (!prompt) return undefined;
    return new vscode.Hover(promptHoverMarkdown(prompt), new vscode.Range(document.positionAt(prompt.location.range.start.offset), document.positionAt(prompt.location.range.end.offset)));
  }
}

export function registerHover(index: PromptIndex): vscode.Disposable {
  return vscode.languages.registerHoverProvider(PROMPT_DOCUMENT_SELECTOR, new PromptHoverProvider(index));
}
