// A string grown with `+=` (grownString.ts) is read from the uses of its name in its function, which are found by the
// name's text and then the node the tree has there (perf40): a longer name that starts with it (`prompt_extra`,
// `promptParts`), the word in a string, a comment, an attribute or a property key is no use; a second real use is.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foundIn } from '../../../helpers/scanCorpus';

const line = (n: number): [number, number] => [n, n];

describe('grown strings: the uses of the name, found by its text', () => {
  it('Python: the name inside longer names, strings, comments and attributes is no use; the prompt is one composed piece list', () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      '',
      'def ask(question, prompt_extra):',
      '    prompt = "You are a careful assistant who answers questions about the prompt library."',
      '    # the prompt grows below; "prompt" in a comment is no use of it',
      '    prompt += "\\nAnswer in one short paragraph and cite the documents you used."',
      '    prompt_parts = [prompt_extra, "prompt", self.prompt]',
      '    prompt += "\\nQuestion: " + question',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'ask.py'), [[5, 5, 'system', [line(5), line(7), line(9)]]]);
    // A use before the one that sends it (not a logging call): the name is read twice, so the statements are read one by one.
    assert.deepEqual(foundIn(src.replace('    return client', '    print(prompt)\n    log(prompt)\n    return client'), 'ask.py'), [
      [5, 5, 'system'],
      // (Appended to `prompt`, which goes out as the system message: a system prompt, from session 47's send sites; it was "user".)
      [7, 7, 'system'],
    ]);
  });

  it('TypeScript: the same with a typed parameter, a property of this and an object key of the same name', () => {
    const src = [
      'import OpenAI from "openai";',
      'const openai = new OpenAI();',
      'export async function ask(question: string, promptExtra: string) {',
      '  let prompt = "You are a careful assistant who answers questions about the prompt library.";',
      '  // prompt grows below',
      '  prompt += "\\nAnswer in one short paragraph and cite the documents you used.";',
      '  const promptParts = [promptExtra, "prompt", this.prompt, { prompt: 1 }];',
      '  prompt += `\\nQuestion: ${question}`;',
      '  return openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: prompt }] });',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'ask.ts'), [[4, 4, 'system', [line(4), line(6), line(8)]]]);
  });

  it('session 44: a prompt sent in one branch (an early return) and then grown with `+=` and sent again is one composed prompt (breaker43)', () => {
    const py = [
      'from openai import OpenAI',
      'client = OpenAI()',
      '',
      'def answer(question, short):',
      '    prompt = "You are a support agent for an online shop. Answer the customer\'s question politely and precisely."',
      '    if short:',
      '        return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": prompt}, {"role": "user", "content": question}])',
      '    prompt += " Give a detailed answer with the steps the customer should follow, and link to the help pages."',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}, {"role": "user", "content": question}])',
    ].join('\n');
    // (Before: the first literal listed `prompt += "…` as a runtime value, and the appended sentence was a "user" prompt of its own.)
    assert.deepEqual(foundIn(py, 'answer.py'), [[5, 5, 'system', [line(5), line(8)]]]);
    const ts = [
      'import OpenAI from "openai";',
      'const openai = new OpenAI();',
      'export async function answer(question: string, short: boolean) {',
      '  let prompt = "You are a support agent for an online shop. Answer the customer\'s question politely and precisely.";',
      '  if (short) {',
      '    return openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "system", content: prompt }] });',
      '  }',
      '  prompt += " Give a detailed answer with the steps the customer should follow, and link to the help pages.";',
      '  return openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: prompt }] });',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(ts, 'answer.ts'), [[4, 4, 'system', [line(4), line(8)]]]);
    // Sent, then assigned anew (not grown): two prompts, read one by one, as before.
    const reassigned = py.replace('    prompt += " Give', '    prompt = " Give');
    assert.deepEqual(foundIn(reassigned, 'answer.py'), [
      [5, 5, 'system'],
      [8, 8, 'system'],
    ]);
  });

  it("session 44: continue's chat templates (real file): the Llama 2 formatter, grown after an early return, is markers and runtime turns, no prompt; DeepSeek's system sentence is one", () => {
    const src = readFileSync(join(__dirname, '../../../../../test/fixtures/hints-real/continue_chat_templates.ts'), 'utf8');
    // (With the early return read as a sink that `+=` continues, llama2TemplateMessages composed `<s>[INST] ${…} ${…} [/INST]`
    // and `[INST] ${…} [/INST]` into a "template" at line 75: `[INST]`, `<<SYS>>` and `<s>` are Llama 2's turn markers.)
    assert.deepEqual(
      foundIn(src, 'chat.ts').map((f) => f.slice(0, 3)),
      [[168, 168, 'template']],
    );
  });
});
