/**
 * Issue 11 (s18-break11): `$/cancelRequest` notifications without a usable request id. Before
 * the fix vscode-jsonrpc's handler threw on each ("Protocol error: Cannot read properties of
 * undefined (reading 'id')", "... (reading 'toString')", "Can't send requests with id null"),
 * logged at error level in the user's output; now the frame guard answers -32602 with id null.
 * A cancellation of an id that was never sent stays silent (JSON-RPC: nothing to cancel).
 */
import * as assert from 'node:assert/strict';
import { messageProblem } from '../../src/engine/framing';
import { frame, startEngine } from '../helpers/rawEngine';

const BAD: Array<[string, string]> = [
  ['{"jsonrpc":"2.0","method":"$/cancelRequest"}', 'nothing'],
  ['{"jsonrpc":"2.0","method":"$/cancelRequest","params":{}}', 'nothing'],
  ['{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":null}}', 'null'],
  ['{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{"a":1}}}', 'an object'],
  ['{"jsonrpc":"2.0","method":"$/cancelRequest","params":[1]}', 'nothing'],
];

describe('engine: $/cancelRequest without a request id (real engine process)', function () {
  this.timeout(30_000);

  it('messageProblem names the missing id; a string or number id passes', () => {
    for (const [body, type] of BAD) {
      assert.deepEqual(messageProblem(JSON.parse(body) as Record<string, unknown>), { code: -32602, message: `Invalid params for $/cancelRequest: "id" must be the string or number id of a request, got ${type}.`, id: null }, body);
    }
    assert.equal(messageProblem({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 'x' } }), undefined);
    assert.equal(messageProblem({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 99999 } }), undefined);
  });

  it('answers each with -32602 and id null, logs no error, ignores an unknown id, and still answers', async () => {
    const { child, messages } = startEngine();
    try {
      for (const [body] of BAD) child.stdin.write(frame(body));
      child.stdin.write(frame('{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":424242}}'));
      child.stdin.write(frame('{"jsonrpc":"2.0","id":1,"method":"engine/info","params":{}}'));
      const deadline = Date.now() + 25_000;
      while (!messages.some((m) => m.id === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok('result' in (messages.find((m) => m.id === 1) ?? {}));
      const answers = messages.filter((m) => 'error' in m && !('method' in m)) as Array<{ id: unknown; error: { code: number; message: string } }>;
      assert.deepEqual(
        answers.map((a) => [a.id, a.error.code]),
        BAD.map(() => [null, -32602]),
      );
      const errors = messages.filter((m) => m.method === 'log/didLog' && (m.params as { level: string }).level === 'error').map((m) => (m.params as { message: string }).message);
      assert.deepEqual(errors, []);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
