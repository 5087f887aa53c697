// requests48 (session 48): wrong answers earlier helpers left. Item 4: a bare word passed as the model to an app's own
// wrapper (leftovers47 item 2 left `chatWithModel({ model: 'vicuna' })` read as a key of the app's). Oracle: the price
// data's own names (`lmsys/vicuna-13b-v1.5`, `phi-4`) and Ollama's library, which serves `vicuna`, `phi`, `falcon` by
// the bare word; node-DeepResearch's `model: 'agent'` (leftovers47.test.ts) stays a key.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { modelFamilies } from '../../../src/shared/hints/modelChoice';

const root = path.resolve(__dirname, '../../../..');
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

describe("a provider's SDK imported only inside a method names the file's provider (TaskWeaver google_genai.py, requests48 item 5)", () => {
  // MIT, d44ddef2 (test/fixtures/hints-real/SOURCES.md). The module imports no SDK at its top; `import_genai_module()`
  // does `import google.generativeai as genai` (to keep the SDK optional). The assistant turn of the chat it builds was
  // priced with the default model (newuser47: "gpt-5.4 (openai in requirements.txt)").
  it("the assistant turn is priced with Google's default model", async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/hints-real/taskweaver_google_genai.py'), 'utf8');
    const { prompts } = await hintsOf(text, 'taskweaver/llm/google_genai.py', 'python');
    const turn = prompts.find((p) => p.location.text.startsWith('I understand your requirements'));
    assert.ok(turn, JSON.stringify(prompts.map((p) => p.location.text.slice(0, 40))));
    assert.equal(turn.location.range.start.line + 1, 128);
    assert.equal(turn.provider, 'google');
    assert.equal(turn.model, 'gemini-2.5-flash');
    assert.match(turn.modelVia ?? '', /^Google's default model/);
  });

  it('other imports inside functions still name no provider (a module that imports openai at its top keeps it)', async () => {
    const text = ['import openai', 'def ask(q):', '    import anthropic', '    return openai.chat.completions.create(messages=[{"role": "system", "content": "You are a careful assistant who answers in two short sentences."}, {"role": "user", "content": q}])', ''].join('\n');
    const { prompts } = await hintsOf(text, 'ask.py', 'python');
    assert.equal(prompts[0]?.provider, 'openai');
  });

  it("a module of many backends, each imported in its own class, names no provider (smolagents' models.py shape)", async () => {
    const text = [
      'SCHEMA_NOTE = "A free form text description of the thought process, in two or three sentences."',
      'class OpenAIServerModel:',
      '    def create_client(self):',
      '        import openai',
      '        return openai.OpenAI()',
      'class VLLMModel:',
      '    def __init__(self):',
      '        from vllm import LLM',
      '        self.model = LLM("x")',
      '',
    ].join('\n');
    const { prompts } = await hintsOf(text, 'models.py', 'python');
    for (const p of prompts) assert.equal(p.provider, undefined, p.location.text);
  });
});
