// Perplexica's LangChain prompts before 9ac2da3 (ItzCrazyKns/Perplexica at 55cf888, MIT; test/fixtures/perplexica,
// SOURCES.md), the rest of what a new user saw (newuser32, fixed by nufix32). The oracle is the file read by hand.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';

const ROOT = resolve(__dirname, '..', '..', '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'perplexica');

/** The lines `prompt scan` prints for the given fixture files, each copied under its own name (`[fixture, name]`). */
async function scanLines(files: Array<[string, string]>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-nufix32-'));
  for (const [from, name] of files) copyFileSync(from, join(dir, name));
  let out = '';
  const code = await runCli(['prompt', 'scan', dir], [scanCommand], { stdout: (t) => (out += t), stderr: () => undefined, readStdin: () => Promise.resolve('') });
  assert.equal(code, 0);
  return out.split('\n');
}

describe('Perplexica legacy LangChain prompts (nufix32)', function () {
  this.timeout(60_000);

  it("a message whose whole text is one placeholder has nothing to count: metaSearchAgent.ts:300 ['user', '{query}']", async () => {
    const lines = await scanLines([[join(FIXTURES, 'legacy-metaSearchAgent.ts.txt'), 'metaSearchAgent.ts']]);
    const at = (l: string): string | undefined => lines.find((x) => x.includes(`metaSearchAgent.ts:${l} `));
    // Before: "metaSearchAgent.ts:300  user  ≥0 tokens + runtime values (query) · ≥$0 per call (gpt-5.4) …".
    assert.equal(at('300')?.replace(/^.*metaSearchAgent\.ts:/, ''), '300  user      no text of its own, only runtime values (query) [LangChain] "{query}"');
    // Near miss: the template at 72-80 has text besides {chat_history} and {query}; it keeps its lower bound.
    assert.match(at('72-80') ?? '', /template +≥20 tokens \+ runtime values \(chat_history, query\) · ≥\$/);
  });

  it('the same in Python LangChain: ("human", "{question}") and ("ai", "{existing_answer}") (langchain refine_prompts.py)', async () => {
    const lines = await scanLines([[join(ROOT, 'test', 'fixtures', 'scan', 'python', 'langchain_refine_prompts.py'), 'refine_prompts.py']]);
    const line = (l: number): string[] => lines.filter((x) => x.includes(`refine_prompts.py:${l} `)).map((x) => x.replace(/^.*refine_prompts\.py:\d+ +/, ''));
    assert.deepEqual(line(36), [
      'user      no text of its own, only runtime values (question) [LangChain] "{question}"',
      'assistant no text of its own, only runtime values (existing_answer) [LangChain] "{existing_answer}"',
    ]);
    assert.deepEqual(line(63), ['user      no text of its own, only runtime values (question) [LangChain] "{question}"']);
    // Near miss: a template with text besides its fields keeps its lower bound.
    assert.ok(lines.some((x) => /refine_prompts\.py:45-50 +template +≥23 tokens \+ runtime values \(context_str, question\) · ≥\$/.test(x)), lines.join('\n'));
  });
});
