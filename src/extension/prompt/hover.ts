import * as vscode from 'vscode';
import type { ModelHint, PromptHint } from '../../protocol/hints';
import { config } from '../common/config';
import { formatCount, percent, tokens, usd } from '../common/format';
import { pieceAt, promptAtOffset, registerPieceHighlights } from './pieceHighlights';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

function sourceLine(hint: PromptHint): string {
  const sources = new Map<string, string>();
  for (const c of [hint.cost, ...hint.compare]) if (c.source) sources.set(`${c.source.name} ${c.source.date}`, `${c.source.name} (${c.source.date})`);
  return sources.size > 0 ? `Prices: ${[...sources.values()].join('; ')}` : 'No prices found for these models.';
}

/** For a composed prompt: the pieces, the hovered one marked, and that the table counts the whole prompt. */
function piecesMarkdown(hint: PromptHint, hovered: number | undefined): string {
  const pieces = hint.pieces ?? [];
  if (pieces.length < 2) return '';
  const runtime = hint.runtimeValues.length > 0 ? '≥ ' : '';
  const whole = `${runtime}${formatCount(hint.cost.tokens.count)}`;
  let out = `Composed in code from **${pieces.length} pieces**; the counts above are for the whole prompt (${whole} tokens).`;
  if (hovered !== undefined) out += ` This piece (${hovered + 1} of ${pieces.length}): **${formatCount(pieces[hovered].tokens)} tokens**.`;
  out += '  \n';
  pieces.forEach((p, i) => {
    const a = p.range.start.line + 1;
    const b = p.range.end.line + 1;
    const lines = a === b ? `line ${a}` : `lines ${a}–${b}`;
    out += `${i === hovered ? '▸' : '·'} piece ${i + 1}, ${lines}: ${formatCount(p.tokens)} tokens${p.fills ? ` (the value of \`${p.fills}\`)` : ''}  \n`;
  });
  return `${out}\n`;
}

export function promptHoverMarkdown(hint: PromptHint, offset?: number): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**PepperPy · ${hint.title}**${hint.location.api ? ` (${hint.location.api})` : ''}\n\n`);
  md.appendMarkdown(piecesMarkdown(hint, offset !== undefined ? pieceAt(hint, offset)?.index : undefined));
  const runtime = hint.runtimeValues.length > 0;
  md.appendMarkdown('| model | tokens | input cost per call |\n|---|---:|---:|\n');
  for (const c of [hint.cost, ...hint.compare]) {
    const label = c.model === hint.model ? `**${c.model}**${MODEL_SOURCE_LABEL[hint.modelSource]}` : c.model;
    const how = runtime ? '+ runtime values' : c.tokens.method === 'exact' ? 'exact' : 'estimate';
    const count = runtime ? `≥ ${formatCount(c.tokens.count)}` : tokens(c);
    md.appendMarkdown(`| ${label} | ${count} (${how}) | ${c.inputCostUsd !== undefined ? `${runtime ? '≥ ' : ''}${usd(c.inputCostUsd)}` : `— ${c.error ?? 'no price'}`} |\n`);
  }
  md.appendMarkdown('\n');
  if (hint.modelVia && hint.modelSource !== 'call') md.appendMarkdown(`Model: ${hint.model}, ${escapeMarkdown(hint.modelVia)}.  \n`);
  if (runtime) md.appendMarkdown(`Runtime values, not counted: ${hint.runtimeValues.slice(0, 8).map((v) => codeSpan(v.length > 60 ? `${v.slice(0, 59)}…` : v)).join(', ')}${hint.runtimeValues.length > 8 ? ` and ${hint.runtimeValues.length - 8} more` : ''}. The counts are for the fixed text only.  \n`);
  if (hint.contextWindow) md.appendMarkdown(`Context window: ${percent(hint.contextWindow.share)} of ${formatCount(hint.contextWindow.contextWindow)} tokens (${hint.contextWindow.source}).  \n`);
  else md.appendMarkdown(`Context window of ${hint.model}: unknown (not in the model data PepperPy ships).  \n`);
  if (hint.monthlyCostUsd !== undefined) md.appendMarkdown(`Monthly input cost at ${formatCount(config.callsPerDay())} calls/day (\`pepperpy.callsPerDay\`): **${usd(hint.monthlyCostUsd)}**.  \n`);
  if (hint.cost.tokens.note) md.appendMarkdown(`_${hint.cost.tokens.note}_  \n`);
  md.appendMarkdown(`\n${sourceLine(hint)}`);
  return md;
}

const MODEL_SOURCE_LABEL: Record<PromptHint['modelSource'], string> = {
  call: ' (in this call)',
  resolved: ' (resolved in this file)',
  file: ' (the model of this file)',
  provider: " (provider's default)",
  default: ' (default)',
};

/** Inline code for any text: a value holding backticks (a nested template literal) gets a longer fence. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${flat}${fence}` : `${fence} ${flat} ${fence}`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>|]/g, (c) => `\\${c}`);
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
  md.appendMarkdown(hint.contextWindow ? `Context window: ${formatCount(hint.contextWindow.tokens)} tokens (${hint.contextWindow.source})  \n` : 'Context window: unknown  \n');
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
    const prompt = promptAtOffset(hints.prompts, offset);
    if (!prompt) return undefined;
    const range = pieceAt(prompt, offset)?.piece.range ?? prompt.location.range;
    return new vscode.Hover(promptHoverMarkdown(prompt, offset), new vscode.Range(document.positionAt(range.start.offset), document.positionAt(range.end.offset)));
  }
}

/** The hover, and the highlighting of the pieces of composed prompts (both show what a prompt is made of). */
export function registerHover(index: PromptIndex): vscode.Disposable {
  return vscode.Disposable.from(vscode.languages.registerHoverProvider(PROMPT_DOCUMENT_SELECTOR, new PromptHoverProvider(index)), registerPieceHighlights(index));
}
