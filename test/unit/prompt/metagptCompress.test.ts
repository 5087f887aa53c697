// newuser31: Compress on MetaGPT's WriteCode prompt (test/fixtures/hints-real/metagpt_write_code.py, MIT, an excerpt of
// metagpt/actions/write_code.py). The list items "1. Only One file: do your best to implement THIS ONLY ONE FILE." read
// "do best to implement" after Compress (medium and aggressive): "your" was dropped as the article of a list item,
// though "do your best" is an idiom that does not read without it. Oracle: the line as a careful editor keeps it, and
// every `{field}` of the template as written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compressKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const fixture = path.resolve(__dirname, '../../../../test/fixtures/hints-real/metagpt_write_code.py');
const fields = (text: string): string[] => (text.match(/\{[A-Za-z_]\w*\}/g) ?? []).sort();

describe('MetaGPT WriteCode prompt: Compress keeps "do your best" (newuser31)', () => {
  const prompts = findPrompts(fs.readFileSync(fixture, 'utf8'), 'python', { fileName: 'write_code.py' });

  it('the template is found, with its eight fields', () => {
    assert.deepEqual(prompts.map((p) => p.boundName), ['PROMPT_TEMPLATE']);
    assert.deepEqual([...new Set(fields(prompts[0].text))], ['{code}', '{demo_filename}', '{design}', '{feedback}', '{filename}', '{logs}', '{summary_log}', '{task}']);
  });

  for (const level of ['medium', 'aggressive'] as const) {
    it(`${level}: the idiom keeps its possessive, and every field stays as written`, () => {
      const out = compressKeepingAtoms(prompts[0].text, { model: 'gpt-4o', level }).text;
      assert.ok(out.includes('Only One file: do your best to implement THIS ONLY ONE FILE.'), out);
      assert.deepEqual(fields(out), fields(prompts[0].text));
    });
  }

  it('"your" before another noun of a list item stays too (a possessive, comp33); "the" there still goes at medium', () => {
    const out = compressKeepingAtoms('Rules:\n1. Try your best to keep it short.\n2. Keep your answer short.\n3. Keep the title short.\n', { model: 'gpt-4o', level: 'medium' }).text;
    assert.equal(out, 'Rules:\n1. Try your best to keep it short.\n2. Keep your answer short.\n3. Keep title short.');
  });
});
