/**
 * What "PepperPy: Estimate Cost…" starts from when it is run from a prompt: the prompt under
 * the cursor (a prompt the index found: the count of its whole request, its own and that of the prompts sent with it in
 * one list of messages or one LLM call (src/shared/hints/request.ts), a lower bound when any has runtime values,
 * and its model) or the selection (counted for the model of the prompt around it, else
 * `pepperpy.defaultModel`). Elsewhere it starts from the Cost Dashboard's form, as before.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../protocol/errors';
import { CountTokensRequest } from '../../protocol/engine';
import type { EngineService } from '../client/engineService';
import { config } from '../common/config';
import { ChainedQuestions } from '../common/chainedQuestions';
import type { Log } from '../common/log';
import type { PromptIndex } from '../prompt/promptIndex';
import { pickablePrompts, promptItems, type PromptPicker } from '../prompt/analyzePrompt';
import { requestsOf } from '../../shared/hints/request';

export interface EstimateStart {
  model: string;
  /** Input tokens of the prompt's request (of the fixed texts when `atLeast`). */
  tokens: number;
  /** True when the prompt has runtime values, not counted: the real input is larger. */
  atLeast: boolean;
  /** True when the count is an estimate (no local tokenizer for the model): the lens shows it with "~". */
  estimate: boolean;
  /** For people: `system prompt \`PROMPT_TEMPLATE\` (write_code.py:1)`, or "the selection". */
  what: string;
}

/** How the command asks (tests replace these: a QuickPick and InputBoxes in VS Code). */
export interface EstimateUi {
  pickModel: (models: string[], options: vscode.QuickPickOptions) => Thenable<string | undefined>;
  askText: (options: vscode.InputBoxOptions) => Thenable<string | undefined>;
  /** Plan Cost Reduction's scan of the workspace, with its progress and its Cancel button (a notification in VS Code). */
  withProgress: <T>(options: vscode.ProgressOptions, task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Thenable<T>) => Thenable<T>;
}

/** One chain for the cost commands' questions: each answered box stays until the next replaces it (chainedQuestions.ts). */
const questions = new ChainedQuestions();

export const windowEstimateUi: EstimateUi = {
  pickModel: (models, options) => questions.pick(models, options),
  askText: (options) => questions.text(options),
  withProgress: (options, task) => vscode.window.withProgress(options, task),
};

/**
 * The prompt the active editor's cursor or selection is on, or undefined (no editor, an empty selection, an empty file).
 * With the cursor outside the prompts of a source file that has some, the user picks one of them or none (then the
 * estimate starts from the dashboard's form): 'cancelled' when the pick is dismissed.
 */
export async function estimateStart(editor: vscode.TextEditor | undefined, prompts: PromptIndex, engine: EngineService, log: Log, picker?: PromptPicker): Promise<EstimateStart | 'cancelled' | undefined> {
  if (!editor) return undefined;
  const { document, selection } = editor;
  const name = path.basename(document.uri.fsPath || document.uri.path);
  let around = await prompts.promptAt(document, selection.start);
  if (!selection.isEmpty) {
    const text = document.getText(selection);
    // The engine counts (it does not run in an untrusted workspace: then the form's value stays).
    if (text.trim() === '' || !vscode.workspace.isTrusted) return undefined;
    const model = around && !around.location.unterminated ? around.model : config.defaultModel();
    try {
      const count = await engine.request(CountTokensRequest.type, { text, model }, { timeoutMs: 10_000 });
      return { model, tokens: count.count, atLeast: false, estimate: count.method === 'estimate', what: vscode.l10n.t('the selection in {0}', name) };
    } catch (error) {
      log.warn(`Estimate Cost: counting the selection failed: ${errorMessage(error)}`);
      return undefined;
    }
  }
  if (!around && picker && prompts.applies(document)) {
    // (A prompt still being typed has nothing to count yet: not offered.)
    const found = pickablePrompts((await prompts.get(document))?.prompts ?? []).filter((p) => !p.location.unterminated);
    if (found.length > 0) {
      const none = { label: vscode.l10n.t('None: enter the numbers'), description: vscode.l10n.t("start from the Cost Dashboard's last estimate"), prompt: undefined };
      const picked = await picker.pick([...promptItems(found), none], { title: vscode.l10n.t('PepperPy: estimate the cost of which prompt of {0}?', name), placeHolder: vscode.l10n.t('The cursor is not in a prompt: pick one to start from its model and count'), matchOnDetail: true, ignoreFocusOut: true });
      if (!picked) return 'cancelled';
      around = picked.prompt;
    }
  }
  if (!around || around.location.unterminated) return undefined;
  const line = around.location.range.start.line + 1;
  // The whole request it goes out in: the other messages of its list or call, and the tool descriptions of that call.
  // (A prompt whose name several calls send goes out in a request per call: the first call's is priced, one call's cost,
  // and the others are named, not added: multiCAD-MCP's SYSTEM_PROMPT goes to Claude or to MiniMax, never to both at once.)
  const [first, ...otherRequests] = requestsOf(((await prompts.get(document))?.prompts ?? []).filter((p) => !p.location.unterminated), around);
  const request = first.members;
  const others = request.length - 1;
  let what =
    others === 0
      ? `${around.title} (${name}:${line})`
      : others === 1
        ? vscode.l10n.t('{0} and the other prompt of its request ({1}:{2})', around.title, name, line)
        : vscode.l10n.t('{0} and the {1} other prompts of its request ({2}:{3})', around.title, others, name, line);
  if (otherRequests.length > 0) {
    const lines = otherRequests.map((r) => String((r.at?.line ?? around.location.range.start.line) + 1)).join(', ');
    what = vscode.l10n.t('{0}, as the call at line {1} sends it (one call; also sent by the calls at lines {2}, each another request)', what, String((first.at?.line ?? around.location.range.start.line) + 1), lines);
  }
  return {
    model: around.model,
    tokens: request.reduce((sum, p) => sum + p.cost.tokens.count, 0),
    atLeast: request.some((p) => p.runtimeValues.length > 0),
    estimate: request.some((p) => p.cost.tokens.method === 'estimate'),
    what,
  };
}
