import * as vscode from 'vscode';
import { listedPieces } from '../../shared/hints/pieceList';
import { config } from '../common/config';
import { isFineTuneAtBaseRate } from '../../protocol/fineTune';
import type { PromptHint } from '../../protocol/hints';
import { onlyRuntimeValues, textOnlyInLongerBranches } from '../../protocol/format';
import { promptSpan } from '../../protocol/scan';
import { formatCount, usd } from '../common/format';
import { tokenCountText } from '../common/tokenCount';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';
import type { VersionedOffset } from './trackedRange';

/** Prompts whose lenses are built between two turns of the extension host's loop. */
const LENS_SLICE = 500;

/**
 * Above this many prompts, lenses are given without their commands and resolved when VS Code shows them
 * (`resolveCodeLens`: the lenses in view): a 10,000-line catalog's 15,000 titles, tooltips and command arguments were
 * built, converted and sent to the window on every edit, for the few dozen on screen.
 */
export const LAZY_LENS_PROMPTS = 200;

/** How often the lens provider let the extension host's loop turn, and how many lenses it resolved on demand (tests count them). */
export const lensWork = { yields: 0, resolved: 0 };

type LensRole = 'analyze' | 'compress' | 'optimize';

/** A lens whose command is made when VS Code shows it. */
class PromptLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly uri: vscode.Uri,
    readonly prompt: PromptHint,
    readonly role: LensRole,
    readonly version: number,
  ) {
    super(range);
  }
}

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
    const answer = await this.index.versioned(document);
    if (!answer || token.isCancellationRequested) return [];
    const { hints, version } = answer;
    // Edited while the hints were awaited: their offsets are of the version they were computed for, and each lens is put where
    // its prompt is now (it was put at the old offset in the new text, a line or more off; breaker48).
    const now = (offset: number): number | undefined => (document.version === version ? offset : this.index.offsetNow(document, offset, version));
    const lenses: vscode.CodeLens[] = [];
    const lazy = hints.prompts.length > LAZY_LENS_PROMPTS;
    for (let i = 0; i < hints.prompts.length; i++) {
      // A catalog of thousands of prompts (a 10,000-line YAML file: 15,000 lenses, about 200 ms) is built in slices, the
      // extension host's loop turning between them, so other work is not held up for the whole build (break40).
      if (i > 0 && i % LENS_SLICE === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        lensWork.yields++;
        if (token.isCancellationRequested) return [];
      }
      const prompt = hints.prompts[i];
      // A message whose whole text is a placeholder (`['user', '{query}']`) has nothing to count or rewrite: no lens at all
      // (it read "≥0 tokens + runtime values · ≥$0", nufix32).
      if (!prompt.location.unterminated && onlyRuntimeValues(prompt.cost.tokens.count, prompt.runtimeValues, prompt.tokensWithLongerBranches)) continue;
      // A composed prompt has one lens, above its first piece.
      const at = now(promptStart(prompt));
      // (Edits the history no longer holds: no lenses from this answer; the next one, for the version typed since, gives them.)
      if (at === undefined) return [];
      const start = document.positionAt(at);
      const range = new vscode.Range(start, start);
      const roles: LensRole[] = prompt.location.unterminated || !this.trusted() ? ['analyze'] : ['analyze', 'compress', 'optimize'];
      for (const role of roles) lenses.push(lazy ? new PromptLens(range, document.uri, prompt, role, version) : new vscode.CodeLens(range, lensCommand(document.uri, prompt, role, version)));
    }
    return lenses;
  }

  /** The command of a lens given without one (a document of more than `LAZY_LENS_PROMPTS` prompts), when VS Code shows it. */
  resolveCodeLens(lens: vscode.CodeLens): vscode.CodeLens {
    if (lens instanceof PromptLens && !lens.command) {
      lens.command = lensCommand(lens.uri, lens.prompt, lens.role, lens.version);
      lensWork.resolved++;
    }
    return lens;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

/**
 * A lens's command: the count (analyze), Compress or Optimize. Its offset is given with the version of the hints
 * (`VersionedOffset`): VS Code keeps a lens clickable after an edit until the lenses are asked again, and the command
 * carries the offset into the text typed since.
 */
function lensCommand(uri: vscode.Uri, prompt: PromptHint, role: LensRole, version: number): vscode.Command {
  // Still being typed: one lens that says so (no count, no commands), in the place the full lens will take.
  if (prompt.location.unterminated) return { title: lensTitle(prompt), tooltip: lensTooltip(prompt), command: '' };
  const where: VersionedOffset = { offset: prompt.location.range.start.offset, version };
  const at = [uri, where];
  if (role === 'compress') return { title: vscode.l10n.t('Compress'), command: 'pepperpy.compressPrompt', arguments: at, tooltip: vscode.l10n.t('Remove filler and repetition; placeholders, code and constraints are kept.') };
  if (role === 'optimize') return { title: vscode.l10n.t('Optimize'), command: 'pepperpy.optimizePrompt', arguments: at, tooltip: vscode.l10n.t('Restructure the prompt (shows a diff before applying).') };
  return { title: lensTitle(prompt), tooltip: lensTooltip(prompt), command: 'pepperpy.analyzePromptAt', arguments: at };
}

/** Why an unclosed literal has no count (lens tooltip, hover, status bar). */
export const UNTERMINATED_TOOLTIP = (): string =>
  vscode.l10n.t('This prompt\'s literal is not closed yet (its closing quote, or an interpolation\'s closing brace, is missing), so the code after it would be read as prompt text. Close it to see its tokens, cost and suggestions.');

/** Names of runtime values for people: at most `max`, each shortened. */
export function runtimeList(values: readonly string[], max = 3): string {
  const shown = values.slice(0, max).map((v) => (v.length > 32 ? `${v.slice(0, 31)}…` : v));
  return values.length > max ? vscode.l10n.t('{0} and {1} more', shown.join(', '), values.length - max) : shown.join(', ');
}

/** Where a prompt starts in the document: its first piece for a composed prompt (the line `prompt scan` prints too). */
export function promptStart(prompt: PromptHint): number {
  return promptSpan(prompt.location).start.offset;
}

/** Lines of a range for people: `line 12` or `lines 12–30` (1-based). */
export function lineSpan(range: PromptHint['location']['range']): string {
  const a = range.start.line + 1;
  const b = range.end.line + 1;
  return a === b ? vscode.l10n.t('line {0}', a) : vscode.l10n.t('lines {0}–{1}', a, b);
}

/**
 * What a prompt's count is: `≥` a lower bound (runtime values not counted, or text chosen by a condition counted with its
 * shorter branches), `~` an estimate, '' exact.
 */
export function countMark(prompt: Pick<PromptHint, 'runtimeValues' | 'cost' | 'tokensWithLongerBranches'>): string {
  return prompt.runtimeValues.length > 0 || prompt.tokensWithLongerBranches !== undefined ? '≥' : prompt.cost.tokens.method === 'estimate' ? '~' : '';
}

/**
 * `1,234 tokens · $0.0031 per call (claude-sonnet-4-5)`, or `≥1,234 tokens + runtime values · ≥$0.0031 per call (…)`;
 * a composed prompt ends with `· N pieces` (the count is for the whole composed prompt). A price the
 * catalog took from another model says so: `(claude-sonnet-4-5-super, priced as claude-sonnet-4-5)`, and a model the
 * code does not name is marked: `(gpt-5.4, default)`, or says the config file it came from: `(gpt-4-turbo, from config/config2.yaml llm.model)`.
 */
export function lensTitle(prompt: PromptHint): string {
  if (prompt.location.unterminated) return vscode.l10n.t('Literal not closed: tokens are counted once it is');
  const cost = prompt.cost;
  const runtime = prompt.runtimeValues.length > 0;
  const mark = countMark(prompt);
  const counted = tokenCountText(cost.tokens.count, mark, runtime);
  // Text that a condition chooses (`${cond ? `…` : ''}`): the lower bound takes the shorter branch, this says the longer.
  // (All of its fixed text in the longer branches: "≥65 tokens with the longer branches, none without", not "≥0 tokens".)
  const count = textOnlyInLongerBranches(cost.tokens.count, prompt.tokensWithLongerBranches)
    ? runtime ? vscode.l10n.t('≥{0} tokens with the longer branches, none without, + runtime values', formatCount(prompt.tokensWithLongerBranches ?? 0)) : vscode.l10n.t('≥{0} tokens with the longer branches, none without', formatCount(prompt.tokensWithLongerBranches ?? 0))
    : prompt.tokensWithLongerBranches !== undefined ? vscode.l10n.t('{0} (≥{1} with the longer branches)', counted, formatCount(prompt.tokensWithLongerBranches)) : counted;
  // A model on a local server (Ollama): no API price, and the lens says so rather than a bare "$0".
  const price = cost.local && cost.inputCostUsd !== undefined ? vscode.l10n.t('local, $0 per call') : cost.inputCostUsd !== undefined ? vscode.l10n.t('{0} per call', `${mark === '≥' ? '≥' : ''}${usd(cost.inputCostUsd)}`) : vscode.l10n.t('no price');
  const pieces = prompt.pieces && prompt.pieces.length > 1 ? ` · ${vscode.l10n.t('{0} pieces', prompt.pieces.length)}` : '';
  // A price from another catalog entry (the catalog's rules matched a name it does not list) says whose price it is.
  const priced = cost.pricedAs ? vscode.l10n.t('{0}, priced as {1}', prompt.model, cost.pricedAs) : prompt.model;
  // A model the code does not name (pepperpy.defaultModel, or the provider's default) says so: it looks like a resolved one otherwise (newuser28, newuser29).
  // A model from the project's config file says which file and key: `(gpt-4-turbo, from config/config2.yaml llm.model)`.
  const configured = prompt.modelSource === 'config' && prompt.modelVia ? vscode.l10n.t('{0}, from {1}', priced, prompt.modelVia.replace(/^from /, '')) : undefined;
  const model = configured ?? (prompt.modelSource === 'default' || prompt.modelSource === 'provider' ? vscode.l10n.t('{0}, default', priced) : priced);
  return `${count} · ${price} (${model})${pieces}`;
}

export function lensTooltip(prompt: PromptHint): string {
  if (prompt.location.unterminated) return UNTERMINATED_TOOLTIP();
  const estimate = prompt.cost.tokens.method === 'estimate';
  const title = prompt.location.api ? vscode.l10n.t('{0} for {1}', prompt.title, prompt.location.api) : prompt.title;
  const parts = [vscode.l10n.t('{0}: input tokens and input cost per call for {1}', title, prompt.model)];
  if (prompt.modelVia) parts.push(vscode.l10n.t('(model: {0})', prompt.modelVia));
  let text = parts.join(' ');
  if (estimate) text += vscode.l10n.t(', estimated: no local tokenizer for this model');
  if (prompt.cost.pricedAs) {
    text += isFineTuneAtBaseRate(prompt.model, prompt.cost.pricedAs)
      ? vscode.l10n.t('. Priced as {0}, the base model of the fine-tune {1}: the catalog has no fine-tune price, and fine-tuned models are billed at other rates', prompt.cost.pricedAs, prompt.model)
      : vscode.l10n.t(". Priced as {0}, the catalog's closest match for {1}", prompt.cost.pricedAs, prompt.model);
  }
  if (prompt.cost.listedHost) text += vscode.l10n.t(". Priced at {0}'s rate, one of the hosts the price data lists {1} under; the host your code calls may charge otherwise", prompt.cost.listedHost, prompt.model);
  if (prompt.cost.host && !prompt.cost.local && prompt.cost.inputCostUsd !== undefined) text += vscode.l10n.t(". Priced at {0}'s rate, the host the code sends it to", prompt.cost.host);
  if (prompt.runtimeValues.length > 0) text += vscode.l10n.t('. Counts the fixed text only; not counted: {0}', runtimeList(prompt.runtimeValues, 5));
  if (prompt.pieces && prompt.pieces.length > 1) {
    const pieces = prompt.pieces;
    const listed = listedPieces(pieces.length, undefined);
    const list = listed.indices.map((i) => `${lineSpan(pieces[i].range)} (${tokenCountText(pieces[i].tokens)}${pieces[i].fills ? vscode.l10n.t(', the value of {0}', pieces[i].fills) : ''})`);
    if (listed.after > 0) list.push(vscode.l10n.t('{0} more', listed.after));
    text += vscode.l10n.t('. Composed in code from {0} pieces, counted together: {1}', pieces.length, list.join('; '));
  }
  return `${text}${vscode.l10n.t('. Click to analyze.')}`;
}

export function registerCodeLens(index: PromptIndex, trusted: () => boolean): vscode.Disposable {
  const provider = new PromptCodeLensProvider(index, trusted);
  return vscode.Disposable.from(provider, vscode.languages.registerCodeLensProvider(PROMPT_DOCUMENT_SELECTOR, provider));
}
