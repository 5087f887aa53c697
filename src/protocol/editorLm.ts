/**
 * The editor's own language models (`vscode.lm`) as the engine sees them. The engine runs out
 * of process and cannot call `vscode.lm` itself, so it asks the extension host through two
 * reverse requests (engine → extension) on the same JSON-RPC connection: `editorLm/models`
 * lists the chat models the editor offers, `editorLm/chat` sends one request to one of them.
 * The engine's cancellation of the outer request is sent on as `$/cancelRequest`, which the
 * extension turns into the CancellationToken it passes to `sendRequest`.
 *
 * Model names: `vscode:<id>` (the model's id, as `editorLm/models` lists it) or
 * `vscode:<vendor>/<family>` (the first model of that vendor and family). These models have
 * no per-token price: the user's plan covers them, and their cost reads "included in your plan".
 */
import { RequestType } from 'vscode-jsonrpc';

/** The prefix of a model name that asks the editor (`vscode:copilot/gpt-4o`). */
export const EDITOR_LM_PREFIX = 'vscode:';

/** What a cost line says for an editor model: it has no price, the user's plan covers it. */
export const EDITOR_LM_COST_LABEL = 'included in your plan';

/** What the engine says when it runs with no editor attached (the CLI). */
export const NO_EDITOR_MESSAGE = 'vscode: models are only available inside VS Code; use ollama:… or an API key.';

export interface EditorLmModel {
  id: string;
  vendor: string;
  family: string;
  name: string;
  version: string;
  maxInputTokens: number;
}

/** A selector, as `vscode.lm.selectChatModels` takes it; all fields optional. */
export interface EditorLmModelsParams {
  id?: string;
  vendor?: string;
  family?: string;
}

export interface EditorLmModelsResult {
  models: EditorLmModel[];
}

export interface EditorLmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface EditorLmChatParams {
  /** `<id>` or `<vendor>/<family>`, the part of the model name after `vscode:`. */
  model: string;
  messages: EditorLmMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Shown by VS Code in its consent prompt: why the extension wants to use the model. */
  justification?: string;
}

export interface EditorLmChatResult {
  text: string;
  /** The model that answered. */
  model: EditorLmModel;
  /** Tokens of the messages sent, from the model's own `countTokens`. */
  inputTokens: number;
  /** Tokens of the answer, from the model's own `countTokens`. */
  outputTokens: number;
  /** Measured in the extension host: ms from sending the request to the answer's first fragment. */
  firstFragmentMs?: number;
  /** Measured in the extension host: ms from sending the request to the answer's last fragment. */
  totalMs?: number;
}

/** An editor model's answer longer than this is not read further: the request fails, saying so. */
export const MAX_EDITOR_ANSWER_CHARS = 1_000_000;

/** Engine → extension: the chat models `vscode.lm.selectChatModels` offers for a selector. */
export namespace EditorLmModelsRequest {
  export const method = 'editorLm/models';
  export const type = new RequestType<EditorLmModelsParams, EditorLmModelsResult, void>(method);
}

/** Engine → extension: one chat request to an editor model (cancellable; counts from `countTokens`). */
export namespace EditorLmChatRequest {
  export const method = 'editorLm/chat';
  export const type = new RequestType<EditorLmChatParams, EditorLmChatResult, void>(method);
}

/** The part after `vscode:` of an editor model name, or undefined when the name is not one. */
export function editorLmModelOf(name: string): string | undefined {
  const trimmed = name.trim();
  if (!trimmed.toLowerCase().startsWith(EDITOR_LM_PREFIX)) return undefined;
  return trimmed.slice(EDITOR_LM_PREFIX.length).trim();
}

export function isEditorLmName(name: string): boolean {
  return editorLmModelOf(name) !== undefined;
}

/**
 * The `selectChatModels` selectors to try, in order, for the part after `vscode:`: the model's
 * id first, then, for `<vendor>/<family>`, the vendor and family.
 */
export function editorLmSelectors(model: string): EditorLmModelsParams[] {
  const selectors: EditorLmModelsParams[] = [{ id: model }];
  const slash = model.indexOf('/');
  if (slash > 0 && slash < model.length - 1 && model.indexOf('/', slash + 1) < 0) selectors.push({ vendor: model.slice(0, slash), family: model.slice(slash + 1) });
  return selectors;
}
