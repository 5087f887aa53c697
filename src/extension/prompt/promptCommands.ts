/**
 * The palette and code-lens commands on prompts. From the palette they work on the prompt
 * under the cursor; code lenses and code actions pass the document and the prompt's offset.
 */
import * as vscode from 'vscode';
import { OPTIMIZATION_TARGETS, type OptimizationTarget } from '../../protocol/prompt';
import type { PromptIndex } from './promptIndex';
import { MAX_DISTILL_BUDGET, staleTargetMessage, type PromptRewriter, type RewriteOperation, type RewriteOutcome } from './rewrite';
import type { AnalysisPanel } from './analysisPanel';
import { promptOrigin, promptRequest } from './analyzePrompt';
import { isVersionedOffset } from './trackedRange';

interface Target {
  uri: vscode.Uri;
  offset: number;
  /** The version of the document the offset is in; none for a plain offset (read in the document as it is when the command runs). */
  version?: number;
}

/**
 * Where the command works: the document and offset given (a plain offset from the API and tests; a lens or a code action
 * gives it with the version it was computed for, `VersionedOffset`), or the cursor of the active editor (its version now).
 */
function target(uri: unknown, offset: unknown): Target | undefined {
  if (uri instanceof vscode.Uri && typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return { uri, offset };
  if (uri instanceof vscode.Uri && isVersionedOffset(offset)) return { uri, offset: offset.offset, version: offset.version };
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return { uri: editor.document.uri, offset: editor.document.offsetAt(editor.selection.active), version: editor.document.version };
}

function options(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * "Compress Prompt to a Target Reduction…": asks the share to remove, unless given (a number
 * strictly between 0 and 1, as the API and tests pass it).
 */
export function compressToTargetCommand(rewriter: PromptRewriter) {
  return async (uri?: unknown, offset?: unknown, ratio?: unknown): Promise<RewriteOutcome | undefined> => {
    const where = target(uri, offset);
    if (!where) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: put the cursor in a prompt string first.'));
      return undefined;
    }
    const given = typeof ratio === 'number' && ratio > 0 && ratio < 1 ? ratio : undefined;
    return rewriter.run(where.uri, where.offset, { kind: 'compress', targetRatio: given ?? 'ask' }, where.version);
  };
}

export function rewriteCommand(rewriter: PromptRewriter, kind: RewriteOperation['kind']) {
  return async (uri?: unknown, offset?: unknown, arg?: unknown, extra?: unknown): Promise<RewriteOutcome | undefined> => {
    const where = target(uri, offset);
    if (!where) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: put the cursor in a prompt string first.'));
      return undefined;
    }
    if (kind === 'compress') return rewriter.run(where.uri, where.offset, { kind }, where.version);
    if (kind === 'distill') {
      // A budget outside 1…1,000,000 (the engine refuses it) is asked for instead, in the box that says the range (break40: 1e12 from the API gave an engine error).
      const maxTokens = typeof arg === 'number' && Number.isInteger(arg) && arg > 0 && arg <= MAX_DISTILL_BUDGET ? arg : undefined;
      return rewriter.run(where.uri, where.offset, maxTokens !== undefined ? { kind, maxTokens } : { kind }, where.version);
    }
    const goal = typeof arg === 'string' && (OPTIMIZATION_TARGETS as readonly string[]).includes(arg) ? (arg as OptimizationTarget) : undefined;
    const preview = options(extra).preview !== false;
    // { llm: 'vscode:<id>' | 'ollama:<model>' | 'openai:<model>' … } rewrites with that model (LLM mode).
    const llm = options(extra).llm;
    return rewriter.run(where.uri, where.offset, { kind, ...(goal ? { target: goal } : {}), preview, ...(typeof llm === 'string' && llm !== '' ? { llm } : {}) }, where.version);
  };
}

export function analyzePromptAt(index: PromptIndex, panel: AnalysisPanel) {
  return async (uri?: unknown, offset?: unknown): Promise<void> => {
    const where = target(uri, offset);
    if (!where) return;
    const document = await vscode.workspace.openTextDocument(where.uri);
    const at = where.version === undefined ? where.offset : index.offsetNow(document, where.offset, where.version);
    if (at === undefined) {
      void vscode.window.showWarningMessage(`PepperPy: ${staleTargetMessage()}`);
      return;
    }
    const prompt = await index.promptAt(document, document.positionAt(at));
    if (!prompt) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: there is no prompt at the cursor. Select the text and run "PepperPy: Analyze Prompt".'));
      return;
    }
    if (prompt.location.unterminated) {
      void vscode.window.showWarningMessage(vscode.l10n.t('PepperPy: the prompt at line {0} is not closed yet (a closing quote or an interpolation\'s closing brace is missing), so its text runs into the code after it. Close the literal and run "PepperPy: Analyze Prompt" again.', prompt.location.range.start.line + 1));
      return;
    }
    const name = document.uri.path.split('/').pop() ?? 'document';
    const request = promptRequest(prompt, document, name);
    await panel.analyze(request.text, request.source, request.model, request.fixed, promptOrigin(index, document, prompt, name), request.lineOf, request.outputSchema);
  };
}
