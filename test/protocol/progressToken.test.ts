/**
 * Issue 11 (s18-break11), against the real engine process: a request's `workDoneToken` is an
 * integer or a string (LSP ProgressToken). Before the fix any value was accepted and echoed in
 * every `$/progress` notification; a token nested 100,000 deep overflowed the stack while the
 * writer serialised each notification ("Protocol error: Maximum call stack size exceeded",
 * logged once per progress step), and an object token was sent back as it came.
 */
import * as assert from 'node:assert/strict';
import { frame, startEngine } from '../helpers/rawEngine';

describe('engine: workDoneToken must be a string or an integer (real engine process)', function () {
  this.timeout(30_000);

  it('answers -32602 to a nested, object, float or null token, logs no protocol error, and still takes string and integer tokens', async () => {
    const { child, messages } = startEngine();
    try {
      const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
      const bad: Array<[number, string, string]> = [
        [1, deep, 'an object'],
        [2, '{"a":1}', 'an object'],
        [3, '1.5', 'a number'],
        [4, 'null', 'null'],
        [5, '["t"]', 'an array'],
      ];
      for (const [id, token] of bad) child.stdin.write(frame(`{"jsonrpc":"2.0","id":${id},"method":"prompt/analyze","params":{"text":"hello world","workDoneToken":${token}}}`));
      child.stdin.write(frame('{"jsonrpc":"2.0","id":6,"method":"prompt/analyze","params":{"text":"hello world","workDoneToken":"tok-6"}}'));
      child.stdin.write(frame('{"jsonrpc":"2.0","id":7,"method":"prompt/analyze","params":{"text":"hello world","workDoneToken":7}}'));
      child.stdin.write(frame('{"jsonrpc":"2.0","id":8,"method":"engine/info","params":{}}'));
      const deadline = Date.now() + 25_000;
      while (!messages.some((m) => m.id === 8) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const [id, , type] of bad) {
        const answer = messages.find((m) => m.id === id) as { error?: { code: number; message: string } } | undefined;
        assert.equal(answer?.error?.code, -32602, `id ${id}: ${JSON.stringify(answer)?.slice(0, 200)}`);
        assert.equal(answer?.error?.message, `Invalid parameters for prompt/analyze: workDoneToken must be a string or an integer, got ${type}.`);
      }
      for (const id of [6, 7]) assert.ok('result' in (messages.find((m) => m.id === id) ?? {}), `id ${id}`);
      const errors = messages.filter((m) => m.method === 'log/didLog' && (m.params as { level: string }).level === 'error').map((m) => (m.params as { message: string }).message);
      assert.deepEqual(errors, []);
      assert.equal(child.exitCode, null);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
