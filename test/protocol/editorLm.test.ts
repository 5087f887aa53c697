// The reverse requests end to end without VS Code: the real engine (dist/engine.js) asks the
// extension's EngineClient for an editor model (`editorLm/chat`), which a test handler answers
// the way src/extension/client/editorModels.ts does. Cancelling the outer request cancels the
// reverse one; a client that serves nothing gives the "only inside VS Code" error; the
// client's time-out waits while the extension is still answering the engine.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CancellationToken } from 'vscode-jsonrpc';
import { EngineClient } from '../../src/extension/client/engineClient';
import { EditorLmChatRequest, NO_EDITOR_MESSAGE, type EditorLmChatParams, type EditorLmChatResult } from '../../src/protocol/editorLm';
import { PromptOptimizeRequest } from '../../src/protocol/engine';
import { EngineError } from '../../src/protocol/errors';
import { MemoryLogger } from '../helpers/logger';
import { distDir } from '../helpers/paths';

const enginePath = path.join(distDir, 'engine.js');
const MODEL = { id: 'fake-1', vendor: 'fake', family: 'echo', name: 'Fake', version: '1', maxInputTokens: 1000 };
const PROMPT = 'Summarize the ticket {ticket} in 3 bullet points.';
const tokens = (text: string) => Math.ceil(text.length / 4);

function answer(params: EditorLmChatParams): EditorLmChatResult {
  const user = params.messages[params.messages.length - 1]?.content ?? '';
  const prompt = /\nPROMPT:\n<<<\n([\s\S]*)\n>>>$/.exec(user)?.[1] ?? '';
  const text = `Rewritten: ${prompt}`;
  return { text, model: MODEL, inputTokens: params.messages.reduce((n, m) => n + tokens(m.content), 0), outputTokens: tokens(text) };
}

describe('editor models through the real engine (reverse requests)', function () {
  this.timeout(60_000);
  const clients: EngineClient[] = [];
  const make = (requestTimeoutMs?: number) => {
    const c = new EngineClient({ serverPath: enginePath, logger: new MemoryLogger(), backoffBaseMs: 50, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) });
    clients.push(c);
    return c;
  };
  afterEach(() => {
    while (clients.length > 0) clients.pop()!.dispose();
  });

  it('prompt/optimize with llm provider vscode is answered by the client, with its counts', async () => {
    const c = make();
    const seen: EditorLmChatParams[] = [];
    c.onRequest(EditorLmChatRequest.type, async (params) => {
      seen.push(params);
      return answer(params);
    });
    const result = await c.request(PromptOptimizeRequest.type, { text: PROMPT, target: 'balanced', llm: { provider: 'vscode', model: 'fake-1' } });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.model, 'fake-1');
    assert.equal(result.llm?.status, 'accepted', result.llm?.reason);
    assert.equal(result.text, `Rewritten: ${PROMPT}`);
    assert.deepEqual(result.llm?.usage, { inputTokens: seen[0].messages.reduce((n, m) => n + tokens(m.content), 0), outputTokens: tokens(`Rewritten: ${PROMPT}`) });
  });

  it('a client that serves no editor models gets the "only inside VS Code" failure', async () => {
    const c = make();
    const result = await c.request(PromptOptimizeRequest.type, { text: PROMPT, target: 'balanced', llm: { provider: 'vscode', model: 'fake-1' } });
    assert.equal(result.llm?.status, 'failed');
    // The reason says what was wrong and why: the message, then the engine's hint.
    assert.equal(result.llm?.reason, `${NO_EDITOR_MESSAGE} The client attached to this engine does not serve editorLm/chat.`);
  });

  it('cancelling the outer request cancels the reverse one', async () => {
    const c = make();
    let token: CancellationToken | undefined;
    const cancelled = new Promise<void>((resolve) => {
      c.onRequest(EditorLmChatRequest.type, (_params, t) => {
        token = t;
        return new Promise<EditorLmChatResult>((_, reject) => t.onCancellationRequested(() => { resolve(); reject(new EngineError('cancelled', 'cancelled in the editor')); }));
      });
    });
    const abort = new AbortController();
    const pending = c.request(PromptOptimizeRequest.type, { text: PROMPT, target: 'balanced', llm: { provider: 'vscode', model: 'fake-1' } }, { signal: abort.signal });
    while (!token) await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await assert.rejects(pending, (e: unknown) => e instanceof EngineError && e.code === 'cancelled');
    await cancelled;
    assert.equal(token.isCancellationRequested, true);
  });

  it('the client\'s time-out waits while the extension answers the engine', async () => {
    const c = make(2000);
    // The engine is started first, with room to spare: on a loaded machine its start-up alone can
    // exceed the time-out under test, and that would say nothing about the re-arm.
    await c.request(PromptOptimizeRequest.type, { text: PROMPT, target: 'balanced' }, { timeoutMs: 60_000 });
    c.onRequest(EditorLmChatRequest.type, async (params) => {
      // Longer than the 2 s time-out: the engine is waiting on the editor, not hung.
      await new Promise((r) => setTimeout(r, 5000));
      return answer(params);
    });
    const result = await c.request(PromptOptimizeRequest.type, { text: PROMPT, target: 'balanced', llm: { provider: 'vscode', model: 'fake-1' } });
    assert.equal(result.llm?.status, 'accepted', result.llm?.reason);
  });
});
