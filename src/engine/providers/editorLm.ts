/**
 * The editor's own chat models (`vscode.lm`, e.g. through Copilot) as an engine provider, for
 * model names `vscode:<id>` and `vscode:<vendor>/<family>`. The engine cannot call `vscode.lm`:
 * each call is a reverse request to the extension host over the engine's JSON-RPC connection
 * (src/protocol/editorLm.ts). The connection is the process's one editor peer, set by
 * src/engine/server.ts; the CLI has none, and a `vscode:` model then fails with a clear error.
 * Token counts come from the model's own `countTokens` (reported as the provider's); the calls
 * are free here (`paid: false`): the plan covers them, and costs say "included in your plan".
 */
import { EngineError } from '../../protocol/errors';
import {
  EDITOR_LM_PREFIX,
  editorLmModelOf,
  NO_EDITOR_MESSAGE,
  type EditorLmChatParams,
  type EditorLmChatResult,
  type EditorLmModelsParams,
  type EditorLmModelsResult,
} from '../../protocol/editorLm';
import type { GenerateRequest, GenerationResult, LlmProvider, StreamChunk } from './types';

/** The other end of the reverse requests: the extension host (or a test double). */
export interface EditorLmPeer {
  models(params: EditorLmModelsParams, signal?: AbortSignal): Promise<EditorLmModelsResult>;
  chat(params: EditorLmChatParams, signal?: AbortSignal): Promise<EditorLmChatResult>;
}

let currentPeer: EditorLmPeer | undefined;

/** Sets (or, with undefined, clears) the process's editor peer; returns the previous one. */
export function setEditorLmPeer(peer: EditorLmPeer | undefined): EditorLmPeer | undefined {
  const previous = currentPeer;
  currentPeer = peer;
  return previous;
}

export function editorLmPeer(): EditorLmPeer | undefined {
  return currentPeer;
}

/** The peer, or the error that says there is no editor (the engine runs from the CLI). */
export function requireEditorLmPeer(): EditorLmPeer {
  if (!currentPeer) throw new EngineError('unsupported', NO_EDITOR_MESSAGE, 'Run this from VS Code, or choose a model such as ollama:llama3.2, local, or openai:MODEL with an API key.');
  return currentPeer;
}

/** Why an editor model is asked: VS Code shows it in its consent prompt. */
export const EDITOR_LM_JUSTIFICATION = 'PepperPy Optimization runs your prompt, pipeline or benchmark on this model.';

export class EditorLmProvider implements LlmProvider {
  readonly kind = 'vscode';
  readonly paid = false;
  /** The part after `vscode:`, as the user named it. */
  readonly model: string;

  constructor(name: string, private readonly peer?: EditorLmPeer) {
    const model = editorLmModelOf(name) ?? name.trim();
    if (model === '') throw new EngineError('badRequest', `"${name}" names no model after "${EDITOR_LM_PREFIX}".`, 'Write vscode:<id> or vscode:<vendor>/<family>, e.g. vscode:copilot/gpt-4o; the Benchmark panel lists the editor\'s models.');
    this.model = model;
  }

  async generate(request: GenerateRequest): Promise<GenerationResult> {
    const peer = this.peer ?? requireEditorLmPeer();
    if (request.signal?.aborted) throw new EngineError('cancelled', `The request to ${EDITOR_LM_PREFIX}${this.model} was cancelled.`);
    const started = performance.now();
    const answer = await peer.chat(
      {
        model: this.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        justification: EDITOR_LM_JUSTIFICATION,
      },
      request.signal,
    );
    const totalMs = performance.now() - started;
    // The extension timed the first fragment; what it spent after that (the rest of the answer) comes off the engine's total.
    const afterFirst = answer.firstFragmentMs !== undefined && answer.totalMs !== undefined ? Math.max(0, answer.totalMs - answer.firstFragmentMs) : 0;
    const timeToFirstTokenMs = Math.max(0, totalMs - afterFirst);
    return {
      text: answer.text,
      model: `${EDITOR_LM_PREFIX}${answer.model.id}`,
      usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens, cachedInputTokens: 0, source: 'provider' },
      // The answer comes back whole over the connection; its first fragment was timed in the extension host
      // (without that figure, from an older extension, the first token is timed as the last).
      timing: { totalMs, timeToFirstTokenMs, interTokenMs: [] },
      finishReason: 'stop',
      streamed: false,
    };
  }

  async stream(request: GenerateRequest, onChunk?: (chunk: StreamChunk) => void): Promise<GenerationResult> {
    const result = await this.generate(request);
    if (result.text !== '') onChunk?.({ text: result.text, atMs: result.timing.totalMs });
    return result;
  }
}
