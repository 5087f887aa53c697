/**
 * break39: a request cancelled before the engine started it is not run. The editor asks for a document's hints again on
 * each pause in typing; while the engine is busy (a large file with a syntax error is parsed whole), the older versions'
 * requests wait in vscode-jsonrpc's queue, and their `$/cancelRequest` arrives before they are dispatched. vscode-jsonrpc
 * still dispatches such a request, with its token cancelled: before the fix each was computed in full, in turn, and
 * answered with hints nobody would show.
 */
import * as assert from 'node:assert/strict';
import { frame, startEngine } from '../helpers/rawEngine';

describe('engine: a request cancelled while queued is answered "cancelled", not run (real engine process)', function () {
  this.timeout(30_000);

  it('editor/promptHints for versions 1-3 sent together with the cancellation of 1 and 2: only 3 is computed', async () => {
    const { child, messages } = startEngine();
    try {
      const hints = (id: number) => ({
        jsonrpc: '2.0',
        id,
        method: 'editor/promptHints',
        params: { text: `SYSTEM_PROMPT = "You are a helpful assistant for the docs, version ${id}."\n`, languageId: 'python', fileName: '/w/a.py', uri: 'file:///w/a.py', version: id, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: true },
      });
      // One write: the engine reads the five messages together, so 1 and 2 are still queued when their cancellation is read.
      child.stdin.write(Buffer.concat([frame(hints(1)), frame(hints(2)), frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } }), frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 2 } }), frame(hints(3))]));
      const deadline = Date.now() + 25_000;
      while ([1, 2, 3].some((id) => !messages.some((m) => m.id === id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const answer = (id: number) => {
        const m = messages.find((x) => x.id === id) as { result?: { prompts: unknown[] }; error?: { code: number; message: string } } | undefined;
        return m?.error ? ['error', m.error.code, m.error.message] : ['result', m?.result?.prompts.length];
      };
      assert.deepEqual(
        [1, 2, 3].map(answer),
        [
          ['error', -32800, 'editor/promptHints was cancelled before it started.'],
          ['error', -32800, 'editor/promptHints was cancelled before it started.'],
          ['result', 1],
        ],
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
