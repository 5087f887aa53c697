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

// `{{name}}` in a Python literal that str.format or `%` fills is text, not a runtime value. Oracles: CPython (the
// literal's `.format(…)` with every argument "" , or `%` with the arguments removed) and js-tiktoken o200k_base.
describe('`{{name}}` escapes of a literal filled with .format or % (break32)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string) => service.compute({ text, languageId: 'python', fileName: 'case.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it('MetaGPT engineer2.py EXTRA_INSTRUCTION = """… "{{project_name}}_{timestamp}" …""".format(…): 1540 tokens, the three format arguments as runtime values', async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/hints-real/metagpt_engineer2_prompts.py'), 'utf8');
    const prompt = (await compute(text)).prompts.find((p) => p.location.boundName === 'EXTRA_INSTRUCTION');
    assert.ok(prompt, 'EXTRA_INSTRUCTION');
    // CPython: the literal's .format(vue_template_path="", react_template_path="", timestamp="") is 1540 tokens (o200k);
    // it holds "{project_name}", "{template_folder}" and "{workspace}" as text (before: 1518, those three as runtime values).
    assert.equal(prompt.cost.tokens.count, 1540);
    assert.deepEqual(prompt.runtimeValues, ['timestamp', 'react_template_path', 'vue_template_path']);
  });

  it('TEMPLATE.format(user=user) with "Keep the keys {{name}} and {{age}}": the keys are text', async () => {
    const text = 'TEMPLATE = """You are a data assistant. Return JSON like {{"name": "...", "age": 3}} for the user {user}.\nKeep the keys {{name}} and {{age}} exactly; never add {{extra}} keys or {{comments}}."""\n\n\ndef run(user):\n    return TEMPLATE.format(user=user)\n';
    const [prompt] = (await compute(text)).prompts;
    assert.equal(prompt.cost.tokens.count, count('You are a data assistant. Return JSON like {"name": "...", "age": 3} for the user .\nKeep the keys {name} and {age} exactly; never add {extra} keys or {comments}.'));
    assert.deepEqual(prompt.runtimeValues, ['user']);
  });

  it('PROMPT % (topic, n) with {{name}}: sent as written', async () => {
    const text = 'PROMPT = """You are a data assistant. Answer about %s in %s words.\nReturn JSON like {{"name": "...", "age": 3}}; keep {{name}}, {{age}} and {{city}} as keys."""\n\n\ndef run(topic, n):\n    return PROMPT % (topic, n)\n';
    const [prompt] = (await compute(text)).prompts;
    assert.equal(prompt.cost.tokens.count, count('You are a data assistant. Answer about  in  words.\nReturn JSON like {{"name": "...", "age": 3}}; keep {{name}}, {{age}} and {{city}} as keys.'));
    assert.deepEqual(prompt.runtimeValues, ['topic', 'n']);
  });

  it('near misses: a Jinja template, a LangChain template or a literal nothing formats keeps {{name}} a runtime value', async () => {
    const body = 'You are a data assistant for {{ user }}. Keep the keys {{name}} and {{age}} exactly, and answer in one short line.';
    for (const text of [
      `from jinja2 import Template\n\nTEMPLATE = """${body}"""\n\n\ndef run(user):\n    return Template(TEMPLATE).render(user=user).format()\n`,
      `from langchain_core.prompts import PromptTemplate\n\nTEMPLATE = """${body}"""\nprompt = PromptTemplate.from_template(TEMPLATE, template_format="mustache")\nTEMPLATE.format()\n`,
      `TEMPLATE = """${body}"""\n`,
    ]) {
      const prompt = (await compute(text)).prompts.find((p) => p.location.boundName === 'TEMPLATE');
      assert.ok(prompt, text);
      assert.deepEqual(prompt.runtimeValues, ['user', 'name', 'age'], text);
    }
  });

  it('an f-string with {{name}} handed straight to an OpenAI call sends {name} as written; returned or templated, it stays a field', async () => {
    const fstring = 'f"""You are a data assistant for {user}. Return JSON like {{"name": "...", "topic": "{topic}"}}.\nKeep the keys {{name}} and {{topic}} exactly, and never add {{extra}} keys."""';
    const sent = `from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef run(user, topic):\n    return client.chat.completions.create(\n        model="gpt-4o",\n        messages=[{"role": "user", "content": ${fstring}}],\n    )\n`;
    const [prompt] = (await compute(sent)).prompts;
    // CPython: the f-string with user="" and topic="".
    assert.equal(prompt.cost.tokens.count, count('You are a data assistant for . Return JSON like {"name": "...", "topic": ""}.\nKeep the keys {name} and {topic} exactly, and never add {extra} keys.'));
    assert.deepEqual(prompt.runtimeValues, ['user', 'topic']);
    // Near miss: made a LangChain template. (Returned to a caller, its JSON example's `{"name": …}` says no caller formats
    // it: runtimeValuesLeft33.test.ts.)
    for (const text of [`from langchain_core.prompts import PromptTemplate\n\n\ndef run(user, topic):\n    return PromptTemplate.from_template(${fstring})\n`]) {
      const [near] = (await compute(text)).prompts;
      assert.ok(near, text);
      assert.deepEqual(near.runtimeValues, ['user', 'topic', 'name', 'extra'], text);
    }
  });
});
