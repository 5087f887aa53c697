// requests48 (session 48): wrong answers earlier helpers left. Item 4: a bare word passed as the model to an app's own
// wrapper (leftovers47 item 2 left `chatWithModel({ model: 'vicuna' })` read as a key of the app's). Oracle: the price
// data's own names (`lmsys/vicuna-13b-v1.5`, `phi-4`) and Ollama's library, which serves `vicuna`, `phi`, `falcon` by
// the bare word; node-DeepResearch's `model: 'agent'` (leftovers47.test.ts) stays a key.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { modelFamilies } from '../../../src/shared/hints/modelChoice';

const service = new PromptHintService(() => PriceCatalog.bundled());
const hintsOf = (text: string, fileName: string, languageId: string) =>
  service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

describe('a bare word that names a family of models is a model, not a key (requests48 item 4)', () => {
  const call = (model: string): string =>
    ['import { chatWithModel } from "./llm";', '', 'export async function plan(question: string) {', '  return chatWithModel({', `    model: ${model},`, '    system: "You are a principal research lead. Split the question into orthogonal subproblems for your team.",', '    prompt: question,', '  });', '}', ''].join('\n');

  it("`vicuna`, `phi` and `falcon` to the app's own wrapper stay the model", async () => {
    for (const word of ['vicuna', 'phi', 'falcon']) {
      const { prompts, models } = await hintsOf(call(`'${word}'`), 'ask.ts', 'typescript');
      assert.equal(prompts.length, 1, word);
      assert.equal(prompts[0].model, word, word);
      assert.equal(prompts[0].modelVia ?? '', '', word);
      // (And the model hover is there: a model, not a key.)
      assert.deepEqual(models.map((m) => m.name), [word], word);
    }
  });

  it('words that are no family stay keys of the app (`agent`, `coder`, `router`, `text`)', async () => {
    for (const word of ['agent', 'coder', 'router', 'text']) {
      const { prompts } = await hintsOf(call(`'${word}'`), 'ask.ts', 'typescript');
      assert.equal(prompts[0].model, 'gpt-5.4', word);
      assert.match(prompts[0].modelVia ?? '', /read as a key of the app's own/, word);
    }
  });

  it("the families come from the price data's names", async () => {
    const families = modelFamilies((await PriceCatalog.bundled()).modelNames());
    for (const f of ['vicuna', 'phi', 'llama', 'qwen', 'zephyr', 'hermes']) assert.ok(families.has(f), f);
    for (const k of ['text', 'meta', 'open', 'coder', 'router', 'agent']) assert.ok(!families.has(k), k);
  });
});
