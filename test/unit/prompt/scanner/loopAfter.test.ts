// A loop variable read after its loop (break28): it holds the loop's LAST value there, not the first. Python's `for`
// variable outlives its loop (The Python Language Reference, 8.3 "The for statement": "Names in the target list are not
// deleted when the loop is finished, … they will have the value of the last item"); so does a JavaScript `var` or a
// variable declared outside the loop (`let model; for (model of …)`), while a `const`/`let` declared in the header lives in
// the loop only (ECMA-262 ForIn/OfBodyEvaluation; break s28 tests that case). Inside the loop nothing changes: the first
// value is priced and the others are named. Expected values read off each source by hand with those rules.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../../src/shared/hints/hints';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const SYSTEM = 'You are a careful reviewer. List problems only.';
const models = (lines: string[], lang = 'python'): Array<[string | undefined, string | undefined]> => findPrompts(lines.join('\n'), lang).map((p) => [p.model?.name, p.provider]);

describe('a for-loop variable after its loop holds the last value (break28)', function () {
  this.timeout(30_000);

  describe('Python', () => {
    const head = ['from openai import OpenAI', 'client = OpenAI()'];
    const send = (indent: string, m: string): string => `${indent}client.chat.completions.create(model=${m}, messages=[{"role": "system", "content": "${SYSTEM}"}])`;

    it('after `for model in [...]`, model=model is the last value; inside the loop the first (unchanged)', async () => {
      const after = [...head, 'for model in ["gpt-4o", "gpt-4o-mini", "o3"]:', '    print(model)', send('', 'model')];
      assert.deepEqual(models(after), [['o3', 'openai']]);
      const service = new PromptHintService(() => PriceCatalog.bundled());
      const result = await service.compute({ text: after.join('\n'), languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-4.1', compareModels: [], callsPerDay: 1, withSuggestions: false });
      assert.deepEqual(result.prompts.map((h) => [h.model, h.modelSource, h.modelVia]), [['o3', 'resolved', "from model, the last of a loop's values, read after the loop (before it: gpt-4o, gpt-4o-mini) (line 3)"]]);
      assert.deepEqual(models([...head, 'for model in ["gpt-4o", "gpt-4o-mini", "o3"]:', send('    ', 'model')]), [['gpt-4o', 'openai']]);
    });

    it('a tuple constant iterated by name, and a loop in a function read after it in that function', () => {
      assert.deepEqual(models([...head, 'MODELS = ("gpt-4.1-mini", "o3")', 'for model in MODELS:', '    pass', send('', 'model')]), [['o3', 'openai']]);
      assert.deepEqual(models([...head, 'def run():', '    for model in ["gpt-4o", "gpt-4o-mini"]:', '        print(model)', send('    ', 'model')]), [['gpt-4o-mini', 'openai']]);
    });
  });

  describe('JavaScript / TypeScript for…of', () => {
    const head = ["import OpenAI from 'openai'", 'const client = new OpenAI()'];
    const send = (m: string): string => `await client.chat.completions.create({ ${m}, messages: [{ role: 'system', content: '${SYSTEM}' }] })`;
    const ts = (lines: string[]) => models(lines, 'typescript');

    it('a `var` loop variable, and a `let` declared before the loop, hold the last value after it', () => {
      assert.deepEqual(ts([...head, "for (var model of ['gpt-4o', 'o3']) {", '  console.log(model)', '}', send('model: model')]), [['o3', 'openai']]);
      assert.deepEqual(ts([...head, "let model = 'gpt-4.1-mini'", "for (model of ['gpt-4o', 'o3']) {", '  console.log(model)', '}', send('model')]), [['o3', 'openai']]);
    });

    it('inside the loop the first value; a `const` of the loop header leaves nothing after the loop', () => {
      assert.deepEqual(ts([...head, "let model = 'gpt-4.1-mini'", "for (model of ['gpt-4o', 'o3']) {", `  ${send('model')}`, '}']), [['gpt-4o', 'openai']]);
      assert.deepEqual(ts([...head, "const model = 'gpt-4.1-mini'", "for (const model of ['gpt-4o', 'o3']) {", '  console.log(model)', '}', send('model: model')]), [['gpt-4.1-mini', 'openai']]);
    });
  });
});
