/**
 * The engine's end of the reverse requests to the editor's models (src/protocol/editorLm.ts):
 * sends `editorLm/models` and `editorLm/chat` to the extension host on the engine's own
 * JSON-RPC connection. An AbortSignal becomes a CancellationToken, so cancelling the outer job
 * sends `$/cancelRequest` and the extension cancels `sendRequest`; the promise settles as
 * `cancelled` at once rather than waiting for the editor. Errors keep the extension's code and
 * hint; a client that does not serve these methods is "no editor attached".
 */
import { CancellationTokenSource, ErrorCodes, ResponseError, type MessageConnection } from 'vscode-jsonrpc';
import {
  EditorLmChatRequest,
  EditorLmModelsRequest,
  MAX_EDITOR_ANSWER_CHARS,
  NO_EDITOR_MESSAGE,
  type EditorLmChatResult,
  type EditorLmModelsResult,
} from '../protocol/editorLm';
import { EngineError, isEngineErrorData, JsonRpcErrorNumbers } from '../protocol/errors';
import type { EditorLmPeer } from './providers/editorLm';

type Sender = Pick<MessageConnection, 'sendRequest'>;

export function connectionEditorLmPeer(connection: Sender): EditorLmPeer {
  return {
    models: async (params, signal) => checkModels(await send(connection, EditorLmModelsRequest.method, params, signal)),
    chat: async (params, signal) => checkChat(await send(connection, EditorLmChatRequest.method, params, signal)),
  };
}

async function send(connection: Sender, method: string, params: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  const cancelled = () => new EngineError('cancelled', `${method} was cancelled.`);
  if (signal?.aborted) throw cancelled();
  const source = new CancellationTokenSource();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      source.cancel();
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([connection.sendRequest(method, params, source.token), aborted]);
  } catch (error) {
    throw fromEditor(error, method);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    aborted.catch(() => undefined);
    source.dispose();
  }
}

function fromEditor(error: unknown, method: string): EngineError {
  if (error instanceof EngineError) return error;
  if (error instanceof ResponseError) {
    if (error.code === ErrorCodes.MethodNotFound) return new EngineError('unsupported', NO_EDITOR_MESSAGE, `The client attached to this engine does not serve ${method}.`);
    if (error.code === JsonRpcErrorNumbers.cancelled) return new EngineError('cancelled', `${method} was cancelled.`);
    if (isEngineErrorData(error.data)) return new EngineError(error.data.code, error.message, error.data.hint);
    return new EngineError('internal', `The editor failed ${method}: ${error.message}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new EngineError('engineUnavailable', `The editor did not answer ${method}: ${message}`, 'The connection to VS Code is gone; run the job again.');
}

function bad(method: string, what: string): EngineError {
  return new EngineError('internal', `The editor's answer to ${method} is malformed: ${what}.`);
}

function checkModels(value: unknown): EditorLmModelsResult {
  const models = (value as { models?: unknown } | null)?.models;
  if (!Array.isArray(models)) throw bad(EditorLmModelsRequest.method, 'no `models` array');
  return { models: models as EditorLmModelsResult['models'] };
}

function checkChat(value: unknown): EditorLmChatResult {
  const v = value as Partial<EditorLmChatResult> | null;
  if (!v || typeof v.text !== 'string') throw bad(EditorLmChatRequest.method, 'no `text`');
  for (const key of ['inputTokens', 'outputTokens'] as const) {
    const n = v[key];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw bad(EditorLmChatRequest.method, `\`${key}\` is not a token count`);
  }
  if (!v.model || typeof v.model.id !== 'string') throw bad(EditorLmChatRequest.method, 'no `model.id`');
  for (const key of ['firstFragmentMs', 'totalMs'] as const) {
    const ms = v[key];
    if (ms !== undefined && (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)) throw bad(EditorLmChatRequest.method, `\`${key}\` is not a duration`);
  }
  if (v.text.length > MAX_EDITOR_ANSWER_CHARS) throw bad(EditorLmChatRequest.method, `the text is longer than ${MAX_EDITOR_ANSWER_CHARS} characters`);
  return v as EditorLmChatResult;
}
