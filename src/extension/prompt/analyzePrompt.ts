import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptHint } from '../../protocol/hints';
import { promptSpan, type PromptPiece } from '../../protocol/scan';
import { MAX_PROMPT_CHARS } from '../../protocol/prompt';
import { onlyRuntimeValues, shortRuntimeValue } from '../../protocol/format';
import { composePrompt, writtenOffsetOf, type ComposedPrompt } from '../../shared/hints/composed';
import { sourceOffsetOf } from '../../shared/prompt/scanner';
import { structuredOutputOf } from '../../shared/prompt/scanner/structuredOutput';
import { config } from '../common/config';
import { formatCount } from '../common/format';
import { tokenCountText } from '../common/tokenCount';
import { countMark } from './codeLens';
import type { PromptIndex } from './promptIndex';
import type { AnalysisOrigin, AnalysisPanel, AnalysisRequest, Reread } from './analysisPanel';
import type { OffsetRange } from './trackedRange';

/** Documents that are a prompt as a whole (plain text, Markdown, prompt templates): with no selection the whole file is the prompt. */
const WHOLE_FILE_LANGUAGES = new Set(['plaintext', 'markdown', 'prompty', 'jinja']);
const WHOLE_FILE_EXTENSIONS = /\.(?:txt|md|markdown|prompt|prompty|jinja|jinja2|j2)$/i;

export function isPromptFile(document: vscode.TextDocument): boolean {
  return WHOLE_FILE_LANGUAGES.has(document.languageId) || WHOLE_FILE_EXTENSIONS.test(document.fileName);
}

function promptLabel(prompt: PromptHint): string {
  return prompt.location.boundName ?? vscode.l10n.t('{0} prompt', prompt.location.kind);
}

/** "SYSTEM_PROMPT in agent.py:12": the panel's title for a prompt found in a source file. */
export function sourceOf(prompt: PromptHint, name: string): string {
  return vscode.l10n.t('{0} in {1}', promptLabel(prompt), `${name}:${prompt.location.range.start.line + 1}`);
}

/**
 * "PepperPy: Analyze Prompt": the selection; with no selection, in a prompt file the whole
 * file, and in a source file the prompt under the cursor, or a pick of the file's prompts —
 * never the whole source file as one prompt.
 */
/** Asks which of a file's prompts to analyze; replaceable by tests (through the extension's API). */
export interface PromptPicker {
  pick: <T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions) => Thenable<T | undefined>;
}

export const quickPickPrompts: PromptPicker = { pick: (items, options) => vscode.window.showQuickPick(items, options) };

/** The prompts of a file a command can offer: a message that is one placeholder (`("human", "{question}")`) has no lens and nothing to count, so it is not offered. */
export function pickablePrompts(prompts: PromptHint[]): PromptHint[] {
  return prompts.filter((p) => p.location.unterminated || !onlyRuntimeValues(p.cost.tokens.count, p.runtimeValues, p.tokensWithLongerBranches));
}

/** A file's prompts as the items of a pick: name, line and count (the lens's), and the start of the text. */
export function promptItems(prompts: PromptHint[]): Array<vscode.QuickPickItem & { prompt: PromptHint }> {
  return prompts.map((p) => ({
    label: promptLabel(p),
    description: `${vscode.l10n.t('line {0}', p.location.range.start.line + 1)} · ${p.location.unterminated ? vscode.l10n.t('literal not closed') : tokenCountText(p.cost.tokens.count, countMark(p))}`,
    detail: p.location.text.replace(/\s+/g, ' ').trim().slice(0, 100),
    prompt: p,
  }));
}

export function analyzePrompt(panel: AnalysisPanel, index: PromptIndex, picker: PromptPicker = quickPickPrompts) {
  return async (uri?: vscode.Uri): Promise<void> => {
    let document: vscode.TextDocument | undefined;
    let selection: vscode.Selection | undefined;
    if (uri instanceof vscode.Uri) {
      document = await vscode.workspace.openTextDocument(uri);
      const editor = vscode.window.activeTextEditor;
      if (editor && editor.document.uri.toString() === uri.toString()) selection = editor.selection;
    } else {
      const editor = vscode.window.activeTextEditor;
      document = editor?.document;
      selection = editor?.selection;
    }
    if (!document) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: open a file or select the prompt text to analyze first.'));
      return;
    }
    const name = document.isUntitled ? document.uri.path : path.basename(document.fileName);
    const useSelection = selection !== undefined && !selection.isEmpty;
    if (!useSelection && !isPromptFile(document)) {
      await analyzePromptInSource(panel, index, document, selection?.active, name, picker);
      return;
    }
    if (!useSelection && index.applies(document)) {
      // A prompt file whose prompt counts other files' text in place (a Jinja template that `{% include %}`s another, OpenHands'
      // system_prompt_interactive.j2): analyzed as its lens counts it, the included templates in place, not as written.
      const prompts = pickablePrompts((await index.get(document))?.prompts ?? []);
      const only = prompts.length === 1 ? prompts[0] : undefined;
      if (only && !only.location.unterminated && (only.importedTexts?.length ?? 0) > 0) {
        const request = promptRequest(only, document, name);
        await panel.analyze(request.text, request.source, request.model, request.fixed, promptOrigin(index, document, only, name), request.lineOf, request.outputSchema);
        return;
      }
    }
    const text = useSelection ? document.getText(selection) : document.getText();
    if (text.trim().length === 0) {
      void vscode.window.showWarningMessage(useSelection ? vscode.l10n.t('PepperPy: the selection is empty: there is no prompt to analyze.') : vscode.l10n.t('PepperPy: the file is empty: there is no prompt to analyze.'));
      return;
    }
    if (text.length > MAX_PROMPT_CHARS) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: the text has {0} characters; the limit for one prompt is {1}. Select the prompt itself.', formatCount(text.length), formatCount(MAX_PROMPT_CHARS)));
      return;
    }
    const source = useSelection ? `selection in ${name}` : name;
    const range = useSelection && selection ? { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) } : { start: 0, end: text.length };
    await panel.analyze(text, source, config.defaultModel(), undefined, { document, range, reread: rereadText(source, useSelection) }, textLines(document, range.start));
  };
}

/** Follows a selection (its range, moved by edits) or a whole prompt file. */
function rereadText(source: string, selection: boolean) {
  return async (document: vscode.TextDocument, range: OffsetRange): Promise<Reread> => {
    const text = selection ? document.getText(new vscode.Range(document.positionAt(range.start), document.positionAt(range.end))) : document.getText();
    // A deleted selection is gone; an emptied prompt file is followed still (select all, then paste, empties it for a moment).
    if (text.trim().length === 0) return selection ? { gone: vscode.l10n.t('The analyzed text was deleted: these figures are from before the edit.') } : { pending: vscode.l10n.t('The file is empty now: these figures are from before the edit.') };
    if (text.length > MAX_PROMPT_CHARS) return { pending: vscode.l10n.t('The text has {0} characters now; the limit for one prompt is {1}. These figures are from before the edit.', formatCount(text.length), formatCount(MAX_PROMPT_CHARS)) };
    return { request: { text, source, model: config.defaultModel(), lineOf: textLines(document, selection ? range.start : 0) } };
  };
}

/** Lines of a text read straight from the document at `start` (a selection, a prompt file). */
function textLines(document: vscode.TextDocument, start: number): (textOffset: number) => number {
  return (offset) => document.positionAt(start + offset).line + 1;
}

/** What the panel is given for a prompt found in code: its literal, its title, its model, and its fixed text when it has runtime values. */
export function promptRequest(prompt: PromptHint, document: vscode.TextDocument, name: string): AnalysisRequest {
  // The lens counts the fixed text (composed pieces in place, runtime values left out); the panel leads with that same count.
  // The values are named as the hover names them: at most 8, each cut to 60 characters.
  const named = prompt.runtimeValues.slice(0, 8).map((v) => shortRuntimeValue(v));
  if (prompt.runtimeValues.length > 8) named.push('…');
  // Constants imported from other modules and templates a Jinja `{% include %}` names are composed in place, as the lens
  // counts them (the engine read them from disk and sent their texts with the hint).
  const imported = prompt.importedTexts && prompt.importedTexts.length > 0 ? new Map(prompt.importedTexts.map((c) => [c.name, c.text])) : undefined;
  const composed = composePrompt(prompt.location, document.getText(), imported);
  // (A choice between literals names no value, and its count is a lower bound too: the shorter branches.)
  const fixed = named.length > 0 || prompt.tokensWithLongerBranches !== undefined ? { text: composed.counted, runtimeValues: named } : undefined;
  const pieces = prompt.location.pieces ?? [];
  if (pieces.length <= 1 && ((composed.imported?.length ?? 0) > 0 || (composed.included?.length ?? 0) > 0)) {
    // One literal with text spliced in from elsewhere (OpenHands' `{% include "system_prompt.j2" %}`, nanobrowser's
    // `${commonSecurityRules}`): the panel analyzed the literal as written, its headline the tag's few tokens instead of
    // the lens's count. It analyzes the composed text; an offset maps to the literal's line that holds its line of text, and
    // one in the spliced text (a line the literal does not hold) to the literal's first line.
    const counted = composed.counted;
    const lineOf = (offset: number) => {
      const end = counted.indexOf('\n', offset);
      const line = counted.slice(counted.lastIndexOf('\n', offset - 1) + 1, end < 0 ? counted.length : end).trim();
      const at = line.length >= 8 ? prompt.location.text.indexOf(line) : -1;
      return document.positionAt(at >= 0 ? sourceOffsetOf(prompt.location, at) : prompt.location.range.start.offset).line + 1;
    };
    return { text: composed.counted, source: sourceOf(prompt, name), model: prompt.model ?? config.defaultModel(), ...(fixed ? { fixed } : {}), lineOf };
  }
  if (pieces.length > 1) {
    // A prompt composed from pieces is analyzed as the lens counts it, the pieces in place (newuser38: vanna's 47-piece system
    // prompt showed "Characters 219, Words 34" and suggestions of the one literal at line 88, under a ≥524-token headline),
    // and titled with the line its lens is on.
    const title = vscode.l10n.t('{0} in {1}', promptLabel(prompt), `${name}:${promptSpan(prompt.location).start.line + 1}`);
    return { text: composed.counted, source: title, model: prompt.model ?? config.defaultModel(), ...(fixed ? { fixed } : {}), lineOf: composedLines(document, prompt.location, composed) };
  }
  // A literal's text is decoded (escapes, joined pieces): its offsets map to the source through the literal's segments.
  const lineOf = (offset: number) => document.positionAt(sourceOffsetOf(prompt.location, offset)).line + 1;
  // The call that sends it gives an output schema (`generateObject({ schema, … })`): the format is stated by it.
  const outputSchema = structuredOutputOf(document.getText(), document.languageId, document.fileName, prompt.location.range.start.offset, prompt.location.boundName);
  return { text: prompt.location.text, source: sourceOf(prompt, name), model: prompt.model ?? config.defaultModel(), ...(fixed ? { fixed } : {}), lineOf, ...(outputSchema ? { outputSchema } : {}) };
}

/**
 * Lines of a composed prompt's text: each piece's fixed text is looked for in the composed text, in order, and an offset
 * inside it maps to the source through the piece's segments (through `writtenOffsetOf` when the piece is counted otherwise
 * than written: dedented, its placeholders left out; to its first line when that fails); an offset between pieces (a
 * runtime value's place) to the line of the piece before it.
 */
function composedLines(document: vscode.TextDocument, location: PromptHint['location'], composed: ComposedPrompt): (offset: number) => number {
  const spans: Array<{ at: number; text: string; piece: PromptPiece }> = [];
  let from = 0;
  (location.pieces ?? []).forEach((piece, i) => {
    const text = composed.pieces[i]?.counted ?? piece.text;
    if (text.trim() === '') return;
    const at = composed.counted.indexOf(text, from);
    if (at < 0) return;
    spans.push({ at, text, piece });
    from = at + text.length;
  });
  const first = promptSpan(location).start.line + 1;
  return (offset) => {
    const span = [...spans].reverse().find((s) => s.at <= offset);
    if (!span) return first;
    const within = Math.min(offset - span.at, span.text.length);
    // A piece counted otherwise than written (dedented, runtime values left out): the offset is found in the written text.
    const written = span.text === span.piece.text ? within : writtenOffsetOf(span.text, span.piece.text, within);
    const source = written !== undefined ? sourceOffsetOf(span.piece, written) : span.piece.contentRange.start.offset;
    return document.positionAt(source).line + 1;
  };
}

/**
 * Follows a prompt found in code through edits: after an edit, the prompt of the new version
 * whose literal holds the tracked range's start (else the first that overlaps it) is analyzed.
 * A deleted prompt is still looked for: when its literal comes back word for word (Undo, a
 * revert, a paste), the one nearest the tracked place is followed again.
 */
export function promptOrigin(index: PromptIndex, document: vscode.TextDocument, prompt: PromptHint, name: string): AnalysisOrigin {
  const rangeOf = (p: PromptHint): OffsetRange => ({ start: p.location.range.start.offset, end: p.location.range.end.offset });
  let lastText = prompt.location.text;
  return {
    document,
    range: rangeOf(prompt),
    reread: async (current, range) => {
      const hints = await index.get(current);
      const prompts = hints?.prompts ?? [];
      const distance = (p: PromptHint) => Math.abs(p.location.range.start.offset - range.start);
      const found =
        prompts.find((p) => range.start >= p.location.range.start.offset && range.start <= p.location.range.end.offset) ??
        prompts.find((p) => p.location.range.start.offset < range.end && p.location.range.end.offset > range.start) ??
        prompts.filter((p) => p.location.text === lastText).sort((a, b) => distance(a) - distance(b))[0];
      const line = current.positionAt(range.start).line + 1;
      // Not `gone`: the panel keeps following, so that Undo brings the figures back.
      if (!found) return { pending: vscode.l10n.t('The prompt at line {0} of {1} is no longer found (deleted, or no longer a prompt): these figures are from before the edit.', line, name) };
      if (found.location.unterminated) return { pending: vscode.l10n.t('The prompt at line {0} is not closed yet: these figures are from before the edit.', line) };
      lastText = found.location.text;
      return { request: promptRequest(found, current, name), range: rangeOf(found) };
    },
  };
}

async function analyzePromptInSource(panel: AnalysisPanel, index: PromptIndex, document: vscode.TextDocument, cursor: vscode.Position | undefined, name: string, picker: PromptPicker): Promise<void> {
  if (!index.applies(document)) {
    void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: {0} is a source file PepperPy cannot search for prompts. Select the prompt text and run "PepperPy: Analyze Prompt" again.', name));
    return;
  }
  const hints = await index.get(document);
  const prompts = pickablePrompts(hints?.prompts ?? []);
  const atCursor = cursor ? await index.promptAt(document, cursor) : undefined;
  let chosen: PromptHint | undefined = atCursor;
  if (!chosen && prompts.length === 1) chosen = prompts[0];
  if (!chosen && prompts.length > 1) {
    const picked = await picker.pick(promptItems(prompts), { title: vscode.l10n.t('PepperPy: analyze which prompt of {0}?', name), placeHolder: vscode.l10n.t('The cursor is not in a prompt: pick one (or select text to analyze it instead)'), matchOnDetail: true });
    if (!picked) return;
    chosen = picked.prompt;
  }
  if (!chosen) {
    void vscode.window.showWarningMessage(hints?.skipped ? `PepperPy: ${hints.skipped}` : vscode.l10n.t('PepperPy: no prompts found in {0}. Select the prompt text and run "PepperPy: Analyze Prompt" again.', name));
    return;
  }
  if (chosen.location.unterminated) {
    void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: the prompt at line {0} is not closed yet (a closing quote or an interpolation\'s closing brace is missing), so its text runs into the code after it. Close the literal and run "PepperPy: Analyze Prompt" again.', chosen.location.range.start.line + 1));
    return;
  }
  const request = promptRequest(chosen, document, name);
  await panel.analyze(request.text, request.source, request.model, request.fixed, promptOrigin(index, document, chosen, name), request.lineOf, request.outputSchema);
}
