// Model resolution through nested config objects, function parameters and spliced fragments (models26, from breaker
// and new-user passes on real repositories). Every expected model name is read off the snippet by hand: the model a
// person reading the code sees the call send, or none when the file cannot say (the provider's default is then used).
// Token counts are js-tiktoken's o200k_base count of the composed text written out by hand.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../../src/shared/hints/hints';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// js-tiktoken's type declarations are ESM-only while its CommonJS build is what runs here, hence require().
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string): number[] } };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const o200k = new Tiktoken(require('js-tiktoken/ranks/o200k_base') as unknown);
const count = (text: string): number => o200k.encode(text).length;

const SYSTEM = 'You are a careful reviewer. List problems only.';

/** [model, provider] of each prompt found, in source order. */
function models(lines: string[], lang = 'python'): Array<[string | undefined, string | undefined]> {
  return findPrompts(lines.join('\n'), lang).map((p) => [p.model?.name, p.provider]);
}

let catalog: PriceCatalog | undefined;
async function hints(lines: string[], languageId = 'python'): Promise<Array<{ line: number; name?: string; model: string; source: string; via?: string; tokens: number }>> {
  catalog ??= await PriceCatalog.bundled();
  const c = catalog;
  const service = new PromptHintService(() => Promise.resolve(c));
  const result = await service.compute({ text: lines.join('\n'), languageId, fileName: languageId === 'python' ? 'app.py' : 'route.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
  return result.prompts.map((p) => ({ line: p.location.range.start.line + 1, ...(p.location.boundName ? { name: p.location.boundName } : {}), model: p.model, source: p.modelSource, ...(p.modelVia ? { via: p.modelVia } : {}), tokens: p.cost.tokens.count }));
}

describe('model resolution through nested objects, parameters and spliced fragments (models26)', function () {
  this.timeout(30_000);

  describe('a nested config member is the nested object\'s, never the outer object\'s', () => {
    it('Python dict: config["llm"]["model"], whichever of the two models is written first', () => {
      for (const config of ['{"model": "gpt-4o", "llm": {"model": "claude-3-5-sonnet-latest"}}', '{"llm": {"model": "claude-3-5-sonnet-latest"}, "model": "gpt-4o"}']) {
        const src = ['import anthropic', `config = ${config}`, `anthropic.Anthropic().messages.create(model=config["llm"]["model"], max_tokens=10, system="${SYSTEM}", messages=[])`];
        assert.deepEqual(models(src), [['claude-3-5-sonnet-latest', 'anthropic']], config);
      }
    });

    it('TypeScript object: cfg.llm.model with the outer model written after the nested one', () => {
      const src = ["import Anthropic from '@anthropic-ai/sdk'", "const cfg = { llm: { model: 'claude-3-5-sonnet-latest' }, model: 'gpt-4o' }", `await new Anthropic().messages.create({ model: cfg.llm.model, max_tokens: 10, system: '${SYSTEM}', messages: [] })`];
      assert.deepEqual(models(src, 'typescript'), [['claude-3-5-sonnet-latest', 'anthropic']]);
    });

    it('self.config.llm.model through pydantic classes of the file (class defaults, no keywords given)', () => {
      const src = [
        'import anthropic',
        'from pydantic import BaseModel',
        'class LLMConfig(BaseModel):',
        '    model: str = "claude-3-5-sonnet-latest"',
        'class Config(BaseModel):',
        '    model: str = "gpt-4o"',
        '    llm: LLMConfig = LLMConfig()',
        'class Agent:',
        '    def __init__(self):',
        '        self.config = Config()',
        '    def ask(self, question):',
        `        return anthropic.Anthropic().messages.create(model=self.config.llm.model, max_tokens=10, system="${SYSTEM}", messages=[])`,
      ];
      assert.deepEqual(models(src), [['claude-3-5-sonnet-latest', 'anthropic']]);
    });

    it('settings.llm.model through keyword arguments: the inner call\'s model', () => {
      const src = ['from openai import OpenAI', 'settings = Settings(model="gpt-4o", llm=LLMSettings(model="gpt-4.1-mini"))', `OpenAI().chat.completions.create(model=settings.llm.model, messages=[{"role": "system", "content": "${SYSTEM}"}])`];
      assert.deepEqual(models(src), [['gpt-4.1-mini', 'openai']]);
    });

    it('a nested member the file does not define stays unknown (not the outer gpt-4o, the only model named in the file)', async () => {
      const src = ['from openai import OpenAI', 'settings = Settings(model="gpt-4o")', `OpenAI().chat.completions.create(model=settings.llm.model, messages=[{"role": "system", "content": "${SYSTEM}"}])`, ''];
      assert.deepEqual(models(src), [[undefined, 'openai']]);
      // Priced with OpenAI's default model (pepperpy.defaultModels), as any variable the file cannot resolve.
      assert.deepEqual((await hints(src)).map((h) => [h.model, h.source]), [['gpt-5.4', 'provider']]);
    });
  });

  describe('a function parameter shadows a module-level object of the same name', () => {
    it('Python: def run(config) reads its argument, not the module\'s Config(model="gpt-4o")', () => {
      const src = ['from openai import OpenAI', 'config = Config(model="gpt-4o")', 'client = OpenAI()', 'def run(config):', `    return client.chat.completions.create(model=config.model, messages=[{"role": "system", "content": "${SYSTEM}"}])`];
      assert.deepEqual(models(src), [[undefined, 'openai']]);
    });

    it('TypeScript: an arrow function\'s parameter named like a module object', () => {
      const src = ["import OpenAI from 'openai'", "const config = { model: 'gpt-4o' }", 'const openai = new OpenAI()', `export const run = (config) => openai.chat.completions.create({ model: config.model, messages: [{ role: 'system', content: '${SYSTEM}' }] })`];
      assert.deepEqual(models(src, 'typescript'), [[undefined, 'openai']]);
    });

    it('a plain parameter `model` shadows a module-level `model = "gpt-4o"`', () => {
      const src = ['import anthropic', 'model = "gpt-4o"', 'def ask(model):', `    return anthropic.Anthropic().messages.create(model=model, max_tokens=10, system="${SYSTEM}", messages=[])`];
      assert.deepEqual(models(src), [[undefined, 'anthropic']]);
    });

    it('a parameter annotated with a class of the file takes that class\'s default; a parameter default is used', () => {
      const annotated = ['import anthropic', 'class Config:', '    model = "claude-3-5-haiku-latest"', 'config = Config(model="claude-sonnet-4-5")', 'def run(config: Config):', `    return anthropic.Anthropic().messages.create(model=config.model, max_tokens=10, system="${SYSTEM}", messages=[])`];
      assert.deepEqual(models(annotated), [['claude-3-5-haiku-latest', 'anthropic']]);
      const defaulted = ['import anthropic', 'model = "claude-sonnet-4-5"', 'def ask(question, model="claude-3-5-haiku-latest"):', `    return anthropic.Anthropic().messages.create(model=model, max_tokens=10, system="${SYSTEM}", messages=[])`];
      assert.deepEqual(models(defaulted), [['claude-3-5-haiku-latest', 'anthropic']]);
    });

    it('a parameter that shadows nothing of the file still lets the file\'s only model stand (Agent(model="gpt-4o") below)', () => {
      const src = ['from openai import OpenAI', 'class Agent:', '    def __init__(self, model):', '        self.model = model', '        self.client = OpenAI()', '    def run(self, question):', `        return self.client.chat.completions.create(model=self.model, messages=[{"role": "system", "content": "${SYSTEM}"}])`, 'agent = Agent(model="gpt-4o")'];
      assert.deepEqual(models(src), [['gpt-4o', 'openai']]);
    });

    it('the module object is still used where no parameter shadows it', () => {
      const src = ['from openai import OpenAI', 'config = Config(model="gpt-4o")', 'client = OpenAI()', 'def run(question):', `    return client.chat.completions.create(model=config.model, messages=[{"role": "system", "content": "${SYSTEM}"}])`];
      assert.deepEqual(models(src), [['gpt-4o', 'openai']]);
    });
  });

  describe('a fragment spliced into a prompt is priced with the model of the call that sends the prompt', () => {
    it('a module-level PERSONA in SYSTEM_PROMPT sent to Claude, in a file that also calls OpenAI (newuser25)', async () => {
      const src = [
        'import anthropic',
        'from openai import OpenAI',
        'PERSONA = "You are a patient math tutor who explains every step to a beginner."',
        'SYSTEM_PROMPT = f"{PERSONA} Answer the question and show the working in numbered steps."',
        'TRANSLATOR = "You are a translator. Translate the text to French, keep the formatting."',
        'def tutor(question):',
        '    return anthropic.Anthropic().messages.create(model="claude-3-5-haiku-latest", max_tokens=100, system=SYSTEM_PROMPT, messages=[{"role": "user", "content": question}])',
        'def translate(text):',
        '    return OpenAI().chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "system", "content": TRANSLATOR}])',
        '',
      ];
      assert.deepEqual((await hints(src)).map((h) => [h.line, h.name, h.model]), [
        [3, 'PERSONA', 'claude-3-5-haiku-latest'],
        [4, 'SYSTEM_PROMPT', 'claude-3-5-haiku-latest'],
        [5, 'TRANSLATOR', 'gpt-4.1-mini'],
      ]);
    });

    it('a module-level fragment spliced into a prompt whose call names no model literal takes that call\'s provider', () => {
      const src = ['import anthropic', 'from openai import OpenAI', 'PERSONA = "You are a patient math tutor who explains every step to a beginner."', 'SYSTEM_PROMPT = f"{PERSONA} Answer the question and show the working in numbered steps."', 'def tutor(model):', '    return anthropic.Anthropic().messages.create(model=model, max_tokens=100, system=SYSTEM_PROMPT, messages=[])', 'OpenAI().chat.completions.create(model="gpt-4.1-mini", messages=[])'];
      assert.deepEqual(models(src), [
        [undefined, 'anthropic'],
        [undefined, 'anthropic'],
      ]);
    });
  });

  describe('two prompts splicing the same local fragment each count it', () => {
    it('base in a and in b: each lens counts the composed text', async () => {
      const base = 'You are a senior code reviewer for a Python team. Be precise and short.';
      const src = [
        'from openai import OpenAI',
        'client = OpenAI()',
        'def review(diff):',
        `    base = "${base}"`,
        '    a = f"{base} Review the diff for bugs."',
        '    b = f"{base} Review the diff for style problems."',
        '    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": a}, {"role": "user", "content": diff}])',
        '    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "system", "content": b}, {"role": "user", "content": diff}])',
        '',
      ];
      assert.equal(count(`${base} Review the diff for bugs.`), 22);
      assert.equal(count(`${base} Review the diff for style problems.`), 23);
      assert.deepEqual((await hints(src)).map((h) => [h.line, h.name, h.model, h.tokens]), [
        [5, 'a', 'gpt-4o-mini', 22],
        [6, 'b', 'gpt-4o-mini', 23],
      ]);
    });
  });

  describe('break26: shapes that priced a prompt with a model the code does not send to', () => {
    const send = (m: string): string => `client.chat.completions.create(model=${m}, messages=[{"role": "system", "content": "${SYSTEM}"}])`;
    const sendTs = (m: string): string => `client.chat.completions.create({ model: ${m}, messages: [{ role: 'system', content: '${SYSTEM}' }] })`;

    it('a lookup\'s key is no model: cfg.get("model", "gpt-4o") is its default, os.getenv("OPENAI_MODEL") unknown (were "model", "OPENAI_MODEL")', () => {
      assert.deepEqual(models(['from openai import OpenAI', 'client = OpenAI()', 'cfg = load()', send('cfg.get("model", "gpt-4o")')]), [['gpt-4o', 'openai']]);
      assert.deepEqual(models(['import os', 'from openai import OpenAI', 'client = OpenAI()', send('os.getenv("OPENAI_MODEL")')]), [[undefined, 'openai']]);
      assert.deepEqual(models(['from openai import OpenAI', 'client = OpenAI()', 'cfg = load()', send('cfg.get("model")')]), [[undefined, 'openai']]);
    });

    it('CONFIG.get("model", fallback) where the file\'s CONFIG dict has a "model": that entry (was the fallback)', () => {
      const src = ['from openai import OpenAI', 'client = OpenAI()', 'CONFIG = {"model": "gpt-4o", "temperature": 0}', 'def run(q):', `    return ${send('CONFIG.get("model", "gpt-4o-mini")')}`];
      assert.deepEqual(models(src), [['gpt-4o', 'openai']]);
    });

    it('a parameter with a default of None shadows the module-level dict of its name (was the module\'s gpt-4o)', () => {
      const src = ['from openai import OpenAI', 'client = OpenAI()', 'config = {"model": "gpt-4o"}', 'def run(q, config=None):', `    return ${send('config["model"]')}`];
      assert.deepEqual(models(src), [[undefined, 'openai']]);
    });

    it('a variable a function assigns itself is not another function\'s variable of the same name (Python and TypeScript)', () => {
      const py = ['import os', 'from openai import OpenAI', 'client = OpenAI()', 'def a():', '    model = "gpt-4o"', '    return model', 'def b():', '    model = os.environ["MODEL"]', `    return ${send('model')}`];
      assert.deepEqual(models(py), [[undefined, 'openai']]);
      const ts = ["import OpenAI from 'openai'", 'const client = new OpenAI()', "function a() { const model = 'gpt-4o'; return model }", 'function b() {', '  const model = process.env.MODEL!', `  return ${sendTs('model')}`, '}'];
      assert.deepEqual(models(ts, 'typescript'), [[undefined, 'openai']]);
    });

    it('self.model set from a parameter is not a module-level variable `model` (was gpt-4o)', () => {
      const src = ['from openai import OpenAI', 'model = "gpt-4o"', 'class Agent:', '    def __init__(self, model):', '        self.model = model', '    def run(self):', `        return OpenAI().${send('self.model')}`];
      assert.deepEqual(models(src), [[undefined, 'openai']]);
    });

    it('TypeScript destructured parameters shadow the module constant; their defaults are used (were gpt-4o)', () => {
      const head = ["import OpenAI from 'openai'", 'const client = new OpenAI()', "const model = 'gpt-4o'"];
      assert.deepEqual(models([...head, 'export function run({ model }: { model: string }) {', `  return ${sendTs('model')}`, '}'], 'typescript'), [[undefined, 'openai']]);
      assert.deepEqual(models([...head, "export function run({ model = 'gpt-4.1-mini' } = {}) {", `  return ${sendTs('model')}`, '}'], 'typescript'), [['gpt-4.1-mini', 'openai']]);
    });
  });
  describe('scan27: an instance attribute set in __init__ shadows the class attribute of that name', () => {
    const send = (m: string): string => `openai.OpenAI().chat.completions.create(model=${m}, messages=[{"role": "system", "content": "${SYSTEM}"}])`;
    const cls = (...init: string[]): string[] => ['import openai', 'class LLM:', '    model = "gpt-4o"', ...(init.length > 0 ? ['    def __init__(self, fast=False):', ...init.map((l) => `        ${l}`)] : [])];

    it('self.model = "gpt-4.1-mini" in __init__: cfg = LLM() sends gpt-4.1-mini (was the class body\'s gpt-4o)', () => {
      assert.deepEqual(models([...cls('self.model = "gpt-4.1-mini"'), 'cfg = LLM()', send('cfg.model')]), [['gpt-4.1-mini', 'openai']]);
      // Through a parameter annotated with the class, too.
      assert.deepEqual(models([...cls('self.model = "gpt-4.1-mini"'), 'def run(cfg: LLM):', `    return ${send('cfg.model')}`]), [['gpt-4.1-mini', 'openai']]);
    });

    it('self.model = model from a parameter: its default, else the argument given by position or by keyword', () => {
      const head = ['import openai', 'class LLM:', '    model = "gpt-4o"', '    def __init__(self, model: str = "gpt-4.1-mini", temperature=0):', '        self.model = model'];
      assert.deepEqual(models([...head, 'cfg = LLM()', send('cfg.model')]), [['gpt-4.1-mini', 'openai']]);
      assert.deepEqual(models([...head, 'cfg = LLM("o3-mini")', send('cfg.model')]), [['o3-mini', 'openai']]);
      assert.deepEqual(models([...head, 'cfg = LLM(temperature=1, model="o3")', send('cfg.model')]), [['o3', 'openai']]);
    });

    it('near misses keep the class attribute: no __init__, __init__ setting other attributes, an assignment under an if', () => {
      assert.deepEqual(models([...cls(), 'cfg = LLM()', send('cfg.model')]), [['gpt-4o', 'openai']]);
      assert.deepEqual(models([...cls('self.temperature = 0'), 'cfg = LLM()', send('cfg.model')]), [['gpt-4o', 'openai']]);
      assert.deepEqual(models([...cls('self.temperature = 0', 'if fast:', '    self.model = "gpt-4.1-mini"'), 'cfg = LLM()', send('cfg.model')]), [['gpt-4o', 'openai']]);
    });
  });
  describe('scan27: a for loop over model names, a with statement binding a config object', () => {
    const send = (m: string): string => `    client.chat.completions.create(model=${m}, messages=[{"role": "system", "content": "${SYSTEM}"}])`;
    const head = ['from openai import OpenAI', 'client = OpenAI()'];

    it('for model in ["gpt-4o", "gpt-4o-mini"]: model=model is priced with the first, the hover names the others (was the provider\'s default)', async () => {
      const src = [...head, 'for model in ["gpt-4o", "gpt-4o-mini"]:', send('model'), ''];
      assert.deepEqual(models(src), [['gpt-4o', 'openai']]);
      assert.deepEqual(
        (await hints(src)).map((h) => [h.model, h.source, h.via]),
        [['gpt-4o', 'resolved', "from model, the first of a loop's values (then gpt-4o-mini) (line 3)"]],
      );
      // A tuple constant iterated by name, too.
      assert.deepEqual(models([...head, 'MODELS = ("gpt-4.1-mini", "o3")', 'for model in MODELS:', send('model')]), [['gpt-4.1-mini', 'openai']]);
    });

    it('near misses: a loop over values the file does not write stays unknown; a loop variable does not leak into another function', () => {
      assert.deepEqual(models([...head, 'for model in list_models():', send('model')]), [[undefined, 'openai']]);
      assert.deepEqual(models([...head, 'def compare():', '    for model in ["gpt-4o", "gpt-4o-mini"]:', '        print(model)', 'def ask(model):', send('model')]), [[undefined, 'openai']]);
    });

    it('TypeScript: for (const model of [...]) prices the first value and names the others; near misses stay unknown', async () => {
      const sendTs = (m: string): string => `  await client.chat.completions.create({ model: ${m}, messages: [{ role: 'system', content: '${SYSTEM}' }] })`;
      const tsHead = ["import OpenAI from 'openai'", 'const client = new OpenAI()'];
      const src = [...tsHead, "for (const model of ['gpt-4o', 'gpt-4o-mini']) {", sendTs('model'), '}'];
      assert.deepEqual(models(src, 'typescript'), [['gpt-4o', 'openai']]);
      assert.deepEqual(
        (await hints(src, 'typescript')).map((h) => [h.model, h.source, h.via]),
        [['gpt-4o', 'resolved', "from model, the first of a loop's values (then gpt-4o-mini) (line 3)"]],
      );
      // An array constant iterated by name, and the shorthand property `{ model }`.
      assert.deepEqual(models([...tsHead, "const MODELS = ['gpt-4.1-mini', 'o3'] as const", 'for (const model of MODELS) {', sendTs('model'), '}'], 'typescript'), [['gpt-4.1-mini', 'openai']]);
      assert.deepEqual(models([...tsHead, "for (const model of ['o3-mini']) {", sendTs('model').replace('model: model', 'model'), '}'], 'typescript'), [['o3-mini', 'openai']]);
      // Values the file does not write, and a loop in another function, leave the parameter unknown.
      assert.deepEqual(models([...tsHead, 'for (const model of await listModels()) {', sendTs('model'), '}'], 'typescript'), [[undefined, 'openai']]);
      assert.deepEqual(models([...tsHead, 'function compare() {', "  for (const model of ['gpt-4o', 'gpt-4o-mini']) console.log(model)", '}', 'async function ask(model: string) {', sendTs('model'), '}'], 'typescript'), [[undefined, 'openai']]);
    });

    it('with Config() as cfg: / with Config(model="o3") as c2: each is its own object (c2 was the class default gpt-4o)', () => {
      const src = [
        ...head,
        'class Config:',
        '    model = "gpt-4o"',
        '    def __enter__(self):',
        '        return self',
        'with Config() as cfg:',
        send('cfg.model'),
        'with Config(model="o3") as c2:',
        send('c2.model'),
      ];
      assert.deepEqual(models(src), [
        ['gpt-4o', 'openai'],
        ['o3', 'openai'],
      ]);
    });
  });
});
