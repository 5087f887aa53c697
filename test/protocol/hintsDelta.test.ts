/**
 * hints41: the real engine process answers `editor/promptHints` with a delta when the request names the answer the
 * editor holds (`since`), and with the whole answer when it does not know that answer (another process's id, a
 * document it never answered). Before, the engine refused `since` (strict parameters) and sent every prompt each time.
 */
import * as assert from 'node:assert/strict';
import { frame, startEngine } from '../helpers/rawEngine';

describe('engine: editor/promptHints deltas against the answer the editor holds (real engine process)', function () {
  this.timeout(30_000);

  it('a letter typed in one of 200 prompts: the second answer is a delta with 1 prompt whole and 199 refs; an unknown id gets the whole answer', async () => {
    const { child, messages } = startEngine();
    try {
      const lines: string[] = [];
      for (let i = 0; i < 200; i++) lines.push(`p${i}:`, `  system: "You are a helpful assistant number ${i}, answer briefly."`);
      const text = `${lines.join('\n')}\n`;
      const typed = text.replace('number 7,', 'number 7x,');
      const request = (id: number, body: string, since?: string) => ({
        jsonrpc: '2.0',
        id,
        method: 'editor/promptHints',
        params: { text: body, languageId: 'yaml', fileName: '/w/c.yaml', uri: 'file:///w/c.yaml', version: id, defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini'], callsPerDay: 1000, withSuggestions: true, ...(since ? { since } : {}) },
      });
      const answer = async (id: number) => {
        const deadline = Date.now() + 25_000;
        while (!messages.some((m) => m.id === id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const m = messages.find((x) => x.id === id) as { result?: { id?: string; base?: string; prompts: unknown[] }; error?: { message: string } } | undefined;
        assert.ok(m?.result, `answer ${id}: ${m?.error?.message ?? 'none'}`);
        return m.result;
      };
      child.stdin.write(frame(request(1, text)));
      const first = await answer(1);
      assert.equal(first.base, undefined);
      assert.equal(first.prompts.length, 200);
      assert.match(first.id ?? '', /^[0-9a-f]{8}\.1$/);
      child.stdin.write(frame(request(2, typed, first.id)));
      const second = await answer(2);
      assert.equal(second.base, first.id);
      const refs = second.prompts.filter((p) => Array.isArray(p));
      assert.deepEqual([second.prompts.length, refs.length], [200, 199]);
      assert.deepEqual(refs[7], [8, 1, 0]);
      assert.deepEqual(refs[6], [6, 0, 0]);
      child.stdin.write(frame(request(3, text, 'deadbeef.1')));
      const third = await answer(3);
      assert.equal(third.base, undefined);
      assert.equal(third.prompts.filter((p) => Array.isArray(p)).length, 0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
