// The text a `.replace(old, new)` call takes out of a prompt is never sent (finder45). mem0's graph memory
// (mem0ai/mem0, Apache-2.0, commit 41cfb3ab1aa9c551bc22077d308d0d48011db080, mem0/memory/memgraph_memory.py, unchanged in
// test/fixtures/hints-real) sends `EXTRACT_RELATIONS_PROMPT.replace("USER_ID", filters["user_id"])` as a system message:
// "USER_ID" (twice) and "CUSTOM_PROMPT" were system prompts of 2 and 3 tokens. The oracle is the file read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../../..');
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.text}`);

describe('findPrompts: the first argument of .replace() is no prompt (finder45, mem0 memgraph_memory.py)', () => {
  it('mem0: the system prompt with its runtime user id, the custom prompt put in, and the user message; not the markers replaced', () => {
    const src = readFileSync(path.join(root, 'test/fixtures/hints-real/mem0_memgraph_memory.py'), 'utf8');
    const lines = found(src, 'memgraph_memory.py').map((l) => l.slice(0, 40));
    assert.deepEqual(lines, ['209 system You are a smart assistant who', '240 system 4. {self.config.graph_store.c', '253 user List of entities: {list(entity_']);
  });

  it('Python and JavaScript: `.replace` and `.replaceAll` take their first argument out; the second is put in, and the receiver is the prompt', () => {
    const py = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def ask(name, q):',
      '    messages = [{"role": "system", "content": "You are the assistant of NAME. Answer briefly and politely.".replace("NAME", name)}, {"role": "user", "content": q}]',
      '    return client.chat.completions.create(model="gpt-4o", messages=messages)',
      '',
    ].join('\n');
    assert.deepEqual(found(py, 'ask.py'), ['4 system You are the assistant of NAME. Answer briefly and politely.']);
    const js = [
      'import OpenAI from "openai";',
      'const client = new OpenAI();',
      'export async function ask(PROMPT: string, name: string) {',
      '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: PROMPT.replaceAll("{{user_name}}", name).replace("{{tone}}", "Be warm and brief in every answer you give.") }] });',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(found(js, 'ask.ts'), ['4 system Be warm and brief in every answer you give.']);
  });
});
