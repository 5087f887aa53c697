// A string grown with `+=` (grownString.ts) is read from the uses of its name in its function, which are found by the
// name's text and then the node the tree has there (perf40): a longer name that starts with it (`prompt_extra`,
// `promptParts`), the word in a string, a comment, an attribute or a property key is no use; a second real use is.
import * as assert from 'node:assert/strict';
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
      [7, 7, 'user'],
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
});
