// break32: runtime values that vals32's module-constant chain head got wrong. Source: test/fixtures/hints-real
// (MetaGPT tutorial_assistant.py at ba28689, MIT; SOURCES.md). Oracle: Python's scoping (a parameter shadows the
// module constant of the same name in its function) and js-tiktoken o200k_base.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const source = readFileSync(path.join(root, 'test/fixtures/hints-real/metagpt_tutorial_assistant_prompts.py'), 'utf8');

describe('a module constant shadowed by a parameter is no piece of the chain (break32)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string, languageId = 'python') => service.compute({ text, languageId, fileName: languageId === 'python' ? 'case.py' : 'case.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  const body = 'Write the preface of this tutorial in three short paragraphs for beginners, in plain words.';

  it("tutorial_assistant.py with def preface(COMMON_PROMPT): return COMMON_PROMPT + '…': the caller's value, a runtime value", async () => {
    // The parameter is what the caller passes: the module's COMMON_PROMPT (29 tokens) is not counted in it.
    const text = `${source}\n\ndef preface(COMMON_PROMPT):\n    PREFACE_PROMPT = COMMON_PROMPT + "${body}"\n    return PREFACE_PROMPT\n`;
    const line = text.split('\n').findIndex((l) => l.includes('PREFACE_PROMPT = ')) + 1;
    const prompt = (await compute(text)).prompts.find((p) => p.location.range.start.line + 1 === line);
    assert.ok(prompt, 'the preface prompt');
    assert.equal(prompt.pieces, undefined);
    assert.equal(prompt.cost.tokens.count, count(body));
    assert.deepEqual(prompt.runtimeValues, ['COMMON_PROMPT']);
  });

  it('the same in TypeScript: function preface(COMMON_PROMPT: string)', async () => {
    const text = `const COMMON_PROMPT = "You are now a seasoned technical professional in the field of the internet.";\n\nexport function preface(COMMON_PROMPT: string): string {\n  const prefacePrompt = COMMON_PROMPT + "${body}";\n  return prefacePrompt;\n}\n`;
    const prompt = (await compute(text, 'typescript')).prompts.find((p) => p.location.range.start.line + 1 === 4);
    assert.ok(prompt, 'the preface prompt');
    assert.equal(prompt.pieces, undefined);
    assert.equal(prompt.cost.tokens.count, count(body));
    assert.deepEqual(prompt.runtimeValues, ['COMMON_PROMPT']);
  });

  it('near miss: the constant itself in a function with other parameters is still a piece (29 + the literal)', async () => {
    const text = `${source}\n\ndef preface(topic):\n    PREFACE_PROMPT = COMMON_PROMPT + "${body}"\n    return PREFACE_PROMPT\n`;
    const line = text.split('\n').findIndex((l) => l.includes('PREFACE_PROMPT = ')) + 1;
    const prompt = (await compute(text)).prompts.find((p) => p.location.range.start.line + 1 === line);
    assert.ok(prompt, 'the preface prompt');
    assert.deepEqual(prompt.pieces?.map((p) => [p.tokens, p.fills]), [
      [29, 'COMMON_PROMPT'],
      [count(body), undefined],
    ]);
  });
});
