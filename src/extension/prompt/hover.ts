import * as vscode from 'vscode';
import { isFineTuneAtBaseRate } from '../../protocol/fineTune';
import type { ModelHint, PromptHint } from '../../protocol/hints';
import { onlyRuntimeValues, shortRuntimeValue } from '../../protocol/format';
import { config } from '../common/config';
import { formatCount, percent, tokens, usd } from '../common/format';
import { UNTERMINATED_TOOLTIP } from './codeLens';
import { listedPieces } from '../../shared/hints/pieceList';
import { MAX_INCLUDE_DEPTH } from '../../shared/prompt/scanner/jinjaIncludes';
import { requestsOf, type Request } from '../../shared/hints/request';
import { pieceAt, promptAtOffset, registerPieceHighlights } from './pieceHighlights';
import type { PromptIndex } from './promptIndex';
import { PROMPT_DOCUMENT_SELECTOR } from './promptIndex';

/** Whether a prompt's count is a lower bound: runtime values left out, or text chosen by a condition (the shorter branches counted). */
function lowerBound(hint: Pick<PromptHint, 'runtimeValues' | 'tokensWithLongerBranches'>): boolean {
  return hint.runtimeValues.length > 0 || hint.tokensWithLongerBranches !== undefined;
}

function sourceLine(hint: PromptHint): string {
  const sources = new Map<string, string>();
  for (const c of [hint.cost, ...hint.compare]) if (c.source) sources.set(`${c.source.name} ${c.source.date}`, `${c.source.name} (${c.source.date})`);
  return sources.size > 0 ? vscode.l10n.t('Prices: {0}', [...sources.values()].join('; ')) : vscode.l10n.t('No prices found for these models.');
}

/** For a composed prompt: the pieces, the hovered one marked, and that the table counts the whole prompt. */
function piecesMarkdown(hint: PromptHint, hovered: number | undefined): string {
  const pieces = hint.pieces ?? [];
  if (pieces.length < 2) return '';
  const runtime = lowerBound(hint) ? '≥ ' : '';
  const whole = `${runtime}${formatCount(hint.cost.tokens.count)}`;
  let out = vscode.l10n.t('Composed in code from **{0} pieces**; the counts above are for the whole prompt ({1} tokens).', pieces.length, whole);
  if (hovered !== undefined) out += vscode.l10n.t(' This piece ({0} of {1}): **{2} tokens**.', hovered + 1, pieces.length, formatCount(pieces[hovered].tokens));
  out += '  \n';
  // Dozens of pieces are not all listed (pieceList.ts): the hovered one and its neighbours, and how many are left out.
  const listed = listedPieces(pieces.length, hovered);
  if (listed.before > 0) out += `… ${vscode.l10n.t('{0} pieces before', listed.before)}  \n`;
  for (const i of listed.indices) {
    const p = pieces[i];
    const a = p.range.start.line + 1;
    const b = p.range.end.line + 1;
    const lines = a === b ? vscode.l10n.t('line {0}', a) : vscode.l10n.t('lines {0}–{1}', a, b);
    out += `${i === hovered ? '▸' : '·'} ${vscode.l10n.t('piece {0}, {1}: {2} tokens', i + 1, lines, formatCount(p.tokens))}${p.fills ? ` ${vscode.l10n.t('(the value of {0})', codeSpan(p.fills))}` : ''}  \n`;
  }
  if (listed.after > 0) out += `… ${vscode.l10n.t('{0} pieces after', listed.after)}  \n`;
  return `${out}\n`;
}

/**
 * The prompt's hover. `request`: the prompts that go out in one request with it (`requestOf`, itself included), summed
 * in a line of their own when there are others. `otherRequests`: the other requests it goes out in, when several calls
 * send its name (`requestsOf`), a line each; the counts and prices above stay those of one call.
 */
export function promptHoverMarkdown(hint: PromptHint, offset?: number, request: readonly PromptHint[] = [hint], otherRequests: ReadonlyArray<Request<PromptHint>> = []): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**PepperPy · ${hint.title}**${hint.location.api ? ` (${hint.location.api})` : ''}\n\n`);
  if (hint.location.unterminated) {
    md.appendMarkdown(UNTERMINATED_TOOLTIP());
    return md;
  }
  // A prompt with no text of its own (`content: `${systemPrompt}${this.#appendContext(contextTexts)}``, each of the 38
  // providers of anything-llm, newuser44) has no lens; its hover showed a table of "≥ ~0 (+ runtime values)" and "≥ $0"
  // rows. It says what the prompt is made of instead, as `prompt scan` does.
  if (onlyRuntimeValues(hint.cost.tokens.count, hint.runtimeValues, hint.tokensWithLongerBranches)) {
    md.appendMarkdown(vscode.l10n.t('No text of its own: this prompt is made only of runtime values ({0}), so there is nothing here to count or price.', runtimeList(hint.runtimeValues)));
    return md;
  }
  // The model the prompt goes to is shut down (bolt.new's claude-3-5-sonnet-20240620): said first, as on the model's own hover.
  if (hint.modelLifecycle) md.appendMarkdown(`$(warning) ${lifecycleMessage({ name: hint.model, lifecycle: hint.modelLifecycle })}\n\n`);
  const runtime = hint.runtimeValues.length > 0;
  // (Text chosen by a condition between literals, with no runtime value: the count takes the shorter branches, a lower bound too.)
  const lower = lowerBound(hint);
  md.appendMarkdown(`| ${vscode.l10n.t('model')} | ${vscode.l10n.t('tokens')} | ${vscode.l10n.t('input cost per call')} |\n|---|---:|---:|\n`);
  for (const c of [hint.cost, ...hint.compare]) {
    const label = c.model === hint.model ? `**${c.model}**${modelSourceLabel(hint.modelSource)}` : c.model;
    // A lower bound can still be an estimate (no local tokenizer for Claude or Gemini): say both, so
    // those rows do not read as exact counts next to the OpenAI ones.
    const estimate = c.tokens.method !== 'exact';
    const how = runtime
      ? estimate ? vscode.l10n.t('+ runtime values, estimate') : vscode.l10n.t('+ runtime values')
      : lower ? estimate ? vscode.l10n.t('shorter branches, estimate') : vscode.l10n.t('shorter branches')
      : estimate ? vscode.l10n.t('estimate') : vscode.l10n.t('exact');
    const count = lower ? `≥ ${tokens(c)}` : tokens(c);
    md.appendMarkdown(`| ${label} | ${count} (${how}) | ${c.inputCostUsd !== undefined ? `${lower ? '≥ ' : ''}${usd(c.inputCostUsd)}` : `— ${c.error ?? vscode.l10n.t('no price')}`} |\n`);
  }
  md.appendMarkdown('\n');
  for (const c of [hint.cost, ...hint.compare]) if (c.pricedAs) md.appendMarkdown(`${pricedAsSentence(c.pricedAs, c.model)}  \n`);
  for (const c of [hint.cost, ...hint.compare]) if (c.listedHost) md.appendMarkdown(`${listedHostSentence(c.listedHost, c.model)}  \n`);
  for (const c of [hint.cost, ...hint.compare]) if (c.host) md.appendMarkdown(`${hostSentence(c)}  \n`);
  if (hint.modelVia && hint.modelSource !== 'call') md.appendMarkdown(`${vscode.l10n.t('Model: {0}, {1}.', hint.model, escapeMarkdown(hint.modelVia))}  \n`);
  if (runtime) md.appendMarkdown(`${vscode.l10n.t('Runtime values, not counted: {0}. The counts are for the fixed text only.', runtimeList(hint.runtimeValues))}  \n`);
  if (request.length > 1) md.appendMarkdown(`${requestSentence(hint, request)}  \n`);
  for (const other of otherRequests) md.appendMarkdown(`${otherRequestSentence(hint, other)}  \n`);
  // (A Jinja template sends `{remaining_steps}` as written: smolagents' planning prompts, newuser46.)
  if (hint.sentAsWritten && hint.sentAsWritten.length > 0) {
    const fields = hint.sentAsWritten.slice(0, 6).map((n) => codeSpan(`{${n}}`)).join(', ');
    md.appendMarkdown(`$(warning) ${vscode.l10n.t('Sent as written, braces and all: {0}. This is a Jinja template, which reads single braces as text; write {1} to send the value.', fields, codeSpan(`{{${hint.sentAsWritten[0]}}}`))}  \n`);
  }
  const constants = (hint.importedTexts ?? []).filter((c) => !c.include);
  if (constants.length > 0) {
    // (Read from the module's saved file: what the app imports when it runs.)
    const shown = constants.slice(0, 8).map((c) => vscode.l10n.t('{0} from {1}, line {2} ({3} tokens)', codeSpan(c.name), codeSpan(c.file), c.line + 1, formatCount(c.tokens))).join('; ');
    md.appendMarkdown(`${vscode.l10n.t('Counted in place, imported from another module of the project: {0}.', shown)}  \n`);
  }
  // (Jinja `{% include "x.j2" %}`: the template's saved file, rendered as the prompt is, its own `{% if %}`s by their shorter branches.)
  const templates = (hint.importedTexts ?? []).filter((c) => c.include);
  if (templates.length > 0) {
    const shown = templates.slice(0, 8).map((c) => vscode.l10n.t('{0} ({1} tokens)', codeSpan(c.file), formatCount(c.tokens))).join('; ');
    // (A template that `{% extends %}` another sends that one, its blocks filled by its own: named with its tag.)
    const tags = /\{%[-+]?\s*extends\s/.test(hint.location.text) ? vscode.l10n.t('{0} and {1}', codeSpan('{% extends %}'), codeSpan('{% include %}')) : codeSpan('{% include %}');
    md.appendMarkdown(`${vscode.l10n.t('Counted in place, the templates its {0} tags send: {1}.', tags, shown)}  \n`);
  }
  for (const c of hint.includesNotCounted ?? []) {
    const why =
      c.why === 'missing'
        ? vscode.l10n.t('Included template not found, so not counted: {0}. PepperPy looked in this template\'s folder, the folders above it and the folders a Python {1} names there.', codeSpan(c.name), codeSpan('FileSystemLoader'))
        : c.why === 'cycle'
          ? vscode.l10n.t('Included template not counted: {0} includes itself, which Jinja would render without end.', codeSpan(c.name))
          : vscode.l10n.t('Included template not counted: {0} is included more than {1} levels deep.', codeSpan(c.name), MAX_INCLUDE_DEPTH);
    md.appendMarkdown(`$(warning) ${why}  \n`);
  }
  if (hint.splicedInto) {
    md.appendMarkdown(`${vscode.l10n.t('A piece of a prompt in another file: {0} splices it in at line {1}, and that prompt\'s lens counts it in place. This lens counts the piece alone.', codeSpan(hint.splicedInto.file), hint.splicedInto.line)}  \n`);
  }
  if (hint.tokensWithLongerBranches !== undefined) {
    md.appendMarkdown(`${vscode.l10n.t('Text chosen by a condition (`cond ? … : …`, `… if cond else …`, a Jinja `{% if %}`, a Jinja `{% for %}`, read as run not at all or once): the counts take the shorter branch of each choice, so they stay a lower bound; with the longer branches the fixed text is {0} tokens for {1}.', formatCount(hint.tokensWithLongerBranches), hint.model)}  \n`);
  }
  if (hint.contextWindow) md.appendMarkdown(`${vscode.l10n.t('Context window: {0} of {1} tokens ({2}).', percent(hint.contextWindow.share), formatCount(hint.contextWindow.contextWindow), hint.contextWindow.source)}  \n`);
  else md.appendMarkdown(`${vscode.l10n.t('Context window of {0}: unknown (not in the model data PepperPy ships).', hint.model)}  \n`);
  if (hint.monthlyCostUsd !== undefined) {
    // A prompt sent with others is paid for with them: the request's month beside the prompt's own.
    const monthly = request.length > 1 ? request.map((p) => p.monthlyCostUsd) : [];
    const together = monthly.length > 1 && monthly.every((m): m is number => m !== undefined) ? monthly.reduce((a, b) => a + b, 0) : undefined;
    const atLeast = request.some((p) => p.runtimeValues.length > 0) || lower ? '≥' : '';
    // (Runtime values and shorter branches leave the month a lower bound, as the table says.)
    const own = `${runtime || lower ? '≥' : ''}${usd(hint.monthlyCostUsd)}`;
    md.appendMarkdown(together !== undefined
      ? `${vscode.l10n.t('Monthly input cost at {0} calls/day ({1}): **{2}** for this prompt, **{3}** for its whole request.', formatCount(config.callsPerDay()), '`pepperpy.callsPerDay`', own, `${atLeast}${usd(together)}`)}  \n`
      : `${vscode.l10n.t('Monthly input cost at {0} calls/day ({1}): **{2}**.', formatCount(config.callsPerDay()), '`pepperpy.callsPerDay`', own)}  \n`);
  }
  if (hint.cost.tokens.note) md.appendMarkdown(`_${hint.cost.tokens.note}_  \n`);
  // The pieces of a composed prompt after the table and the model (they were first, and 47 of them pushed the price below the fold).
  const pieces = piecesMarkdown(hint, offset !== undefined ? pieceAt(hint, offset)?.index : undefined);
  if (pieces) md.appendMarkdown(`\n${pieces}`);
  md.appendMarkdown(`\n${sourceLine(hint)}`);
  return md;
}

/** "Goes out in one request with the user prompt (line 50): ≥95 input tokens together for gpt-4o, ≥$0.0002 per call." */
function requestSentence(hint: PromptHint, request: readonly PromptHint[]): string {
  const others = request.filter((p) => p !== hint && p.location.range.start.offset !== hint.location.range.start.offset);
  const shown = others.slice(0, 4).map((p) => vscode.l10n.t('{0} (line {1})', p.title, p.location.range.start.line + 1)).join(', ');
  const list = others.length > 4 ? vscode.l10n.t('{0} and {1} more', shown, others.length - 4) : shown;
  const atLeast = request.some((p) => p.runtimeValues.length > 0) ? '≥' : '';
  const total = request.reduce((sum, p) => sum + p.cost.tokens.count, 0);
  const costs = request.map((p) => p.cost.inputCostUsd);
  const cost = costs.every((c): c is number => c !== undefined) ? `${atLeast}${usd(costs.reduce((a, b) => a + b, 0))}` : undefined;
  return cost !== undefined
    ? vscode.l10n.t('Goes out in one request with {0}: {1} input tokens together for {2}, {3} per call.', list, `${atLeast}${formatCount(total)}`, hint.model, cost)
    : vscode.l10n.t('Goes out in one request with {0}: {1} input tokens together for {2}.', list, `${atLeast}${formatCount(total)}`, hint.model);
}

/** Another request the prompt goes out in (another call sends its name): where, with which prompts, how many tokens. */
function otherRequestSentence(hint: PromptHint, other: Request<PromptHint>): string {
  const line = other.at ? other.at.line + 1 : hint.location.range.start.line + 1;
  const with_ = other.members.filter((p) => p.location.range.start.offset !== hint.location.range.start.offset);
  const atLeast = other.members.some((p) => p.runtimeValues.length > 0) ? '≥' : '';
  const total = `${atLeast}${formatCount(other.members.reduce((sum, p) => sum + p.cost.tokens.count, 0))}`;
  if (with_.length === 0) return vscode.l10n.t('Also sent by the call at line {0}, a request of its own: {1} input tokens for {2} there too (the counts above are for one call).', line, total, other.model);
  const shown = with_.slice(0, 4).map((p) => vscode.l10n.t('{0} (line {1})', p.title, p.location.range.start.line + 1)).join(', ');
  const list = with_.length > 4 ? vscode.l10n.t('{0} and {1} more', shown, with_.length - 4) : shown;
  return vscode.l10n.t('Also sent by the call at line {0}, another request, with {1}: {2} input tokens together for {3} (the counts above are for one call).', line, list, total, other.model);
}

/** The runtime values of a prompt as inline code, the first 8 and how many more. */
function runtimeList(values: readonly string[]): string {
  const shown = values.slice(0, 8).map((v) => codeSpan(shortRuntimeValue(v))).join(', ');
  return values.length > 8 ? vscode.l10n.t('{0} and {1} more', shown, values.length - 8) : shown;
}

/** Where the prompt's model came from, after its name in the hover's table. */
function modelSourceLabel(source: PromptHint['modelSource']): string {
  switch (source) {
    case 'call': return ` ${vscode.l10n.t('(in this call)')}`;
    case 'resolved': return ` ${vscode.l10n.t('(resolved in this file)')}`;
    case 'file': return ` ${vscode.l10n.t('(the model of this file)')}`;
    case 'imported': return ` ${vscode.l10n.t('(of the file that sends it)')}`;
    case 'config': return ` ${vscode.l10n.t('(project config)')}`;
    case 'provider': return ` ${vscode.l10n.t("(provider's default)")}`;
    case 'default': return ` ${vscode.l10n.t('(default)')}`;
  }
}

/** Inline code for any text: a value holding backticks (a nested template literal) gets a longer fence. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${flat}${fence}` : `${fence} ${flat} ${fence}`;
}

/** "Priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super.": a price taken from another catalog model. */
export function pricedAsSentence(catalogModel: string, name: string): string {
  if (isFineTuneAtBaseRate(name, catalogModel)) return vscode.l10n.t('Priced as {0}, the base model of the fine-tune {1}: the catalog has no fine-tune price, and fine-tuned models are billed at other rates.', escapeMarkdown(catalogModel), escapeMarkdown(name));
  return vscode.l10n.t("Priced as {0}, the catalog's closest match for {1}.", escapeMarkdown(catalogModel), escapeMarkdown(name));
}

/** "Priced at Doubleword's rate for Qwen/Qwen3.5-9B, …": an open-weights model many hosts serve, priced at one of them. */
export function listedHostSentence(host: string, name: string): string {
  return vscode.l10n.t("Priced at {0}'s rate for {1}, one of the hosts the price data lists it under; the host your code calls may charge otherwise.", escapeMarkdown(host), escapeMarkdown(name));
}

/** Where a model the code sends to a host is priced: a local server ($0), the host's rate, or no price at that host (the table's cell says why). */
export function hostSentence(cost: Pick<PromptHint['cost'], 'model' | 'host' | 'local' | 'inputCostUsd'>): string {
  const host = escapeMarkdown(cost.host ?? '');
  if (cost.local) return vscode.l10n.t('{0} runs on a local {1} server: no per-token API price, counted as $0 in cost sums.', escapeMarkdown(cost.model), host);
  if (cost.inputCostUsd !== undefined) return vscode.l10n.t("Priced at {0}'s rate for {1}: the code sends it to {0}.", host, escapeMarkdown(cost.model));
  return vscode.l10n.t("The code sends {0} to {1}, and the price data has no {1} price for it: no other provider's price is shown in its place.", escapeMarkdown(cost.model), host);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>|]/g, (c) => `\\${c}`);
}

/** "gpt-4o is deprecated: shutdown announced for 2027-01-14 (source); use gpt-5.4 instead": said in the hover and the diagnostic. */
export function lifecycleMessage(hint: Pick<ModelHint, 'name' | 'lifecycle'>, withSource = true): string {
  const l = hint.lifecycle;
  if (!l) return '';
  const source = withSource && l.source ? ` ([${vscode.l10n.t('source')}](${l.source}))` : '';
  const when = l.status === 'retired'
    ? l.shutdownDate ? vscode.l10n.t('{0} was shut down on {1}: calls to it fail.', hint.name, l.shutdownDate) : vscode.l10n.t('{0} is retired: calls to it fail.', hint.name)
    : l.shutdownDate ? vscode.l10n.t('{0} is deprecated: its shutdown is announced for {1}.', hint.name, l.shutdownDate) : vscode.l10n.t('{0} is deprecated.', hint.name);
  const instead = l.replacement ? ` ${vscode.l10n.t('The provider names {0} as its replacement.', l.replacement)}` : '';
  return `${when}${instead}${source}`;
}

export function modelHoverMarkdown(hint: ModelHint): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**PepperPy · ${hint.name}**\n\n`);
  if (hint.lifecycle) md.appendMarkdown(`$(warning) ${lifecycleMessage(hint)}\n\n`);
  if (hint.price) {
    md.appendMarkdown(vscode.l10n.t('Input: **{0}** per 1M tokens · Output: **{1}** per 1M tokens', `$${hint.price.inputPerMTok}`, `$${hint.price.outputPerMTok}`));
    if (hint.price.cachedInputPerMTok !== undefined) md.appendMarkdown(vscode.l10n.t(' · Cached input: {0} per 1M', `$${hint.price.cachedInputPerMTok}`));
    md.appendMarkdown('  \n');
    if (hint.price.pricedAs) md.appendMarkdown(`${pricedAsSentence(hint.price.pricedAs, hint.name)}  \n`);
    md.appendMarkdown(`${vscode.l10n.t('Source: {0} ({1})', hint.price.source.name, hint.price.source.date)}  \n`);
  } else {
    md.appendMarkdown(`${hint.priceError ?? vscode.l10n.t('No price known.')}  \n`);
  }
  md.appendMarkdown(hint.contextWindow ? `${vscode.l10n.t('Context window: {0} tokens ({1})', formatCount(hint.contextWindow.tokens), hint.contextWindow.source)}  \n` : `${vscode.l10n.t('Context window: unknown')}  \n`);
  if (hint.cheaperAlternatives.length > 0) {
    md.appendMarkdown(`\n${vscode.l10n.t('Cheaper models of similar quality:')}\n`);
    for (const alt of hint.cheaperAlternatives) md.appendMarkdown(`- ${alt.model}: ${vscode.l10n.t('{0} / {1} per 1M', `$${alt.inputPerMTok}`, `$${alt.outputPerMTok}`)} (${alt.qualityNote})\n`);
  }
  return md;
}

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(private readonly index: PromptIndex) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    // The position is of the version the hover was asked on: the hints of that version, or none when the user typed meanwhile
    // (the hints' offsets and the position were then read in the newer text: a hover over the wrong prompt, breaker48).
    const version = document.version;
    const answer = await this.index.versioned(document);
    if (!answer || token.isCancellationRequested || answer.version !== version || document.version !== version) return undefined;
    const { hints } = answer;
    const offset = document.offsetAt(position);
    const model = hints.models.find((m) => offset >= m.range.start.offset && offset <= m.range.end.offset);
    if (model) return new vscode.Hover(modelHoverMarkdown(model), new vscode.Range(document.positionAt(model.range.start.offset), document.positionAt(model.range.end.offset)));
    const prompt = promptAtOffset(hints.prompts, offset);
    if (!prompt) return undefined;
    const range = pieceAt(prompt, offset)?.piece.range ?? prompt.location.range;
    const [request, ...others] = requestsOf(hints.prompts.filter((p) => !p.location.unterminated), prompt);
    return new vscode.Hover(promptHoverMarkdown(prompt, offset, request.members, others), new vscode.Range(document.positionAt(range.start.offset), document.positionAt(range.end.offset)));
  }
}

/** The hover, and the highlighting of the pieces of composed prompts (both show what a prompt is made of). */
export function registerHover(index: PromptIndex): vscode.Disposable {
  return vscode.Disposable.from(vscode.languages.registerHoverProvider(PROMPT_DOCUMENT_SELECTOR, new PromptHoverProvider(index)), registerPieceHighlights(index));
}
