/**
 * Session 42: the real engine process reads the constants a document imports from its project's modules
 * (`editor/promptHints` with the document's path) and counts them where a prompt splices them in; the answer names them.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, startEngine } from '../helpers/rawEngine';
import { count } from '../helpers/tiktokenOracle';

describe('engine: editor/promptHints counts constants imported from the project (real engine process)', function () {
  this.timeout(30_000);

  it('`${RULES}` from ./rules is counted in place and named with its file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-imported-engine-'));
    const { child, messages } = startEngine();
    try {
      const rules = 'Answer only from the documents you are given, and say when you do not know.';
      writeFileSync(join(dir, 'rules.ts'), `// shared rules\nexport const RULES = ${JSON.stringify(rules)};\n`);
      const text = 'import OpenAI from "openai";\nimport { RULES } from "./rules";\nconst client = new OpenAI();\nexport const SYSTEM = `You are the support assistant of the shop.\n${RULES}`;\nawait client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n';
      const fileName = join(dir, 'agent.ts');
      writeFileSync(fileName, text);
      child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'editor/promptHints', params: { text, languageId: 'typescript', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false } }));
      const deadline = Date.now() + 25_000;
      while (!messages.some((m) => m.id === 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const m = messages.find((x) => x.id === 1) as { result?: { prompts: Array<{ cost: { tokens: { count: number } }; runtimeValues: string[]; importedTexts?: unknown }> }; error?: { message: string } } | undefined;
      assert.ok(m?.result, m?.error?.message ?? 'no answer');
      const [system] = m.result.prompts;
      assert.equal(system.cost.tokens.count, count(`You are the support assistant of the shop.\n${rules}`));
      assert.deepEqual(system.runtimeValues, []);
      assert.deepEqual(system.importedTexts, [{ name: 'RULES', file: 'rules.ts', line: 1, tokens: count(rules), text: rules }]);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
