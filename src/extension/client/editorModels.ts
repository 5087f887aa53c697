/**
 * Serves the engine's reverse requests for the editor's own chat models (`vscode.lm`, e.g.
 * through Copilot): `editorLm/models` and `editorLm/chat` (src/protocol/editorLm.ts). The
 * engine runs out of process, so every `vscode:` model call it makes comes here. VS Code shows
 * its consent prompt where a model needs one (the `justification` says why PepperPy asks);
 * token counts come from the model's own `countTokens`. The log gets the model, the counts and
 * the time — never the prompt or the answer.
 */
import * as vscode from 'vscode';
import {
  EDITOR_LM_PREFIX,
  EditorLmChatRequest,
  EditorLmModelsRequest,
  editorLmSelectors,
  MAX_EDITOR_ANSWER_CHARS,
  type EditorLmChatParams,
  type EditorLmChatResult,
  type EditorLmModel,
  type EditorLmModelsParams,
} from '../../protocol/editorLm';
import { EngineError } from '../../protocol/errors';
import type { Log } from '../common/log';
import type { EngineClient } from './engineClient';

function describe(model: vscode.LanguageModelChat): EditorLmModel {
  return { id: model.id, vendor: model.vendor, family: model.family, name: model.name, version: model.version, maxInputTokens: model.maxInputTokens };
}

function lmApi(): typeof vscode.lm {
  // Hosts older than VS Code 1.90 have no `vscode.lm`.
  const lm = (vscode as { lm?: typeof vscode.lm }).lm;
  if (!lm) throw new EngineError('unsupported', vscode.l10n.t('This editor offers no language models (vscode.lm).'), vscode.l10n.t('Use VS Code 1.90 or later, or choose a model such as ollama:llama3.2 or openai:MODEL with an API key.'));
  return lm;
}

/** What an editor model costs, in the user's language: nothing per token, the user's plan covers it. */
export function editorPlanLabel(): string {
  return vscode.l10n.t('included in your plan');
}

/** The editor's chat models for a selector (all of them without one). */
export async function editorModels(selector: EditorLmModelsParams = {}): Promise<EditorLmModel[]> {
  const models = await lmApi().selectChatModels(selector);
  return models.map(describe);
}

/** The editor's chat models as model names for the pickers: `vscode:<id>` with a "(VS Code)" label. */
export async function editorModelChoices(): Promise<{ name: string; label: string }[]> {
  try {
    return (await editorModels()).map((m) => ({ name: `${EDITOR_LM_PREFIX}${m.id}`, label: `${m.name} (VS Code)` }));
  } catch {
    return [];
  }
}

async function findModel(model: string): Promise<vscode.LanguageModelChat> {
  for (const selector of editorLmSelectors(model)) {
    const found = await lmApi().selectChatModels(selector);
    if (found.length > 0) return found[0];
  }
  const available = (await lmApi().selectChatModels({})).map((m) => `${EDITOR_LM_PREFIX}${m.id}`);
  throw new EngineError(
    'notFound',
    vscode.l10n.t('VS Code has no chat model "{0}".', model),
    available.length > 0 ? vscode.l10n.t('Available: {0}.', available.slice(0, 8).join(', ')) : vscode.l10n.t('VS Code lists no chat models: install or sign in to a model provider (e.g. GitHub Copilot).'),
  );
}

/** A LanguageModelError (or anything else the request threw) as an EngineError with a hint. */
function fromLanguageModel(error: unknown, model: string, token: vscode.CancellationToken): EngineError {
  if (error instanceof EngineError) return error;
  if (token.isCancellationRequested || error instanceof vscode.CancellationError) return new EngineError('cancelled', vscode.l10n.t('The request to {0} was cancelled.', `${EDITOR_LM_PREFIX}${model}`));
  const message = error instanceof Error ? error.message : String(error);
  const name = `${EDITOR_LM_PREFIX}${model}`;
  if (error instanceof vscode.LanguageModelError) {
    if (error.code === vscode.LanguageModelError.NoPermissions.name) return new EngineError('badRequest', vscode.l10n.t('PepperPy may not use {0}: {1}', name, message), vscode.l10n.t('Allow it when VS Code asks (or under Accounts → Manage Language Model Access), or choose another model.'));
    if (error.code === vscode.LanguageModelError.NotFound.name) return new EngineError('notFound', vscode.l10n.t('{0} is gone: {1}', name, message), vscode.l10n.t("Choose another of the editor's models."));
    if (error.code === vscode.LanguageModelError.Blocked.name) return new EngineError('unsupported', vscode.l10n.t('{0} refused the request: {1}', name, message), vscode.l10n.t('The provider limits requests; try again later.'));
  }
  return new EngineError('unsupported', vscode.l10n.t('{0} failed: {1}', name, message), vscode.l10n.t("See the model provider's own log, or choose another model."));
}

/** One chat request; the answer is read whole, and both sides are counted by the model. */
export async function chatWithEditorModel(params: EditorLmChatParams, token: vscode.CancellationToken): Promise<EditorLmChatResult> {
  const model = await findModel(params.model);
  // vscode.lm has no system role before VS Code 1.104's proposals: system text goes first as a user message.
  const messages = params.messages.map((m) => (m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content)));
  const modelOptions: Record<string, number> = {};
  if (params.maxTokens !== undefined) modelOptions.max_tokens = params.maxTokens;
  if (params.temperature !== undefined) modelOptions.temperature = params.temperature;
  try {
    const started = performance.now();
    const response = await model.sendRequest(messages, { ...(params.justification ? { justification: params.justification } : {}), modelOptions }, token);
    let text = '';
    let firstFragmentMs: number | undefined;
    for await (const part of response.text) {
      // Timed here, where the fragments arrive: the engine gets the answer whole and cannot see its first token.
      if (firstFragmentMs === undefined && part !== '') firstFragmentMs = performance.now() - started;
      text += part;
      // A runaway answer is not read into memory: leaving the loop stops the stream.
      if (text.length > MAX_EDITOR_ANSWER_CHARS) {
        throw new EngineError('unsupported', vscode.l10n.t('{0} answered with more than {1} characters; PepperPy stopped reading it.', `${EDITOR_LM_PREFIX}${params.model}`, MAX_EDITOR_ANSWER_CHARS.toLocaleString('en-US')), vscode.l10n.t('Ask for a shorter answer (a lower max tokens), or choose another model.'));
      }
    }
    const totalMs = performance.now() - started;
    let inputTokens = 0;
    for (const message of messages) inputTokens += await model.countTokens(message, token);
    const outputTokens = text === '' ? 0 : await model.countTokens(text, token);
    return { text, model: describe(model), inputTokens, outputTokens, ...(firstFragmentMs !== undefined ? { firstFragmentMs } : {}), totalMs };
  } catch (error) {
    throw fromLanguageModel(error, params.model, token);
  }
}

/** Registers both reverse requests on the engine client (for every engine it starts). */
export function serveEditorModels(client: EngineClient, log: Log): vscode.Disposable {
  const models = client.onRequest(EditorLmModelsRequest.type, async (params) => ({ models: await editorModels(params ?? {}) }));
  const chat = client.onRequest(EditorLmChatRequest.type, async (params, token) => {
    const started = performance.now();
    const source = new vscode.CancellationTokenSource();
    const subscription = token.onCancellationRequested(() => source.cancel());
    try {
      const result = await chatWithEditorModel(params, source.token);
      log.info(`${EditorLmChatRequest.method} ${EDITOR_LM_PREFIX}${result.model.id}: ${result.inputTokens} input, ${result.outputTokens} output tokens (countTokens), ${(performance.now() - started).toFixed(0)} ms.`);
      return result;
    } catch (error) {
      log.warn(`${EditorLmChatRequest.method} ${EDITOR_LM_PREFIX}${params.model} failed: ${error instanceof EngineError ? error.message : String(error)}`);
      throw error;
    } finally {
      subscription.dispose();
      source.dispose();
    }
  });
  return { dispose: () => { models.dispose(); chat.dispose(); } };
}
