// Which model a prompt is priced with, on real files: the provider from the call or the
// imported SDK, models resolved through constants, field defaults, config objects and
// environment defaults, hovers on model literals, and lower bounds for prompts with runtime
// values. Prices are checked against the catalog's per-MTok numbers and, for a few models,
// against the providers' published list prices.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../../src/shared/cost/pricing';
import { fixedText, promptTitle, PromptHintService, runtimeValues, type HintInputs } from '../../../../src/shared/hints/hints';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { DEFAULT_PROVIDER_MODELS, modelMentions, pricingName, providerOfImports, providerOfModelName } from '../../../../src/shared/prompt/scanner/models';
import { sharedTokenizer } from '../../../../src/shared/prompt/tokenizer';
import { PromptHintsParamsSchema, type PromptHintsResult } from '../../../../src/protocol/hints';

const root = path.resolve(__dirname, '../../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures', rel), 'utf8');

let catalog: PriceCatalog;
const service = new PromptHintService(() => Promise.resolve(catalog));

async function hints(rel: string, extra: Partial<HintInputs> = {}): Promise<PromptHintsResult> {
  const text = fixture(rel);
  return service.compute({ text, languageId: rel.endsWith('.py') ? 'python' : 'typescript', fileName: rel, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...extra });
}

/** USD for `tokens` input tokens at the catalog's input price per million. */
function expectedCost(model: string, tokens: number): number {
  return (tokens * catalog.lookup(pricingName(model)).inputPerMTok) / 1e6;
}

describe('models: the model and price of prompts in real code', function () {
  this.timeout(60_000);
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  describe('anthropic-quickstarts customer-support route (model from the request)', () => {
    it('prices the system prompt with the Anthropic default, not gpt-4o', async () => {
      const result = await hints('scan/ts/aq_customer_support_route.ts');
      const system = result.prompts.find((p) => p.location.boundName === 'systemPrompt');
      assert.ok(system, 'the system prompt is found');
      assert.equal(system.provider, 'anthropic');
      assert.equal(system.model, 'claude-sonnet-4-5');
      assert.equal(system.modelSource, 'provider');
      assert.equal(system.title, 'system prompt `systemPrompt`');
      assert.equal(system.cost.inputCostUsd, expectedCost('claude-sonnet-4-5', system.cost.tokens.count));
      // Every prompt of this Anthropic-only file is priced for Claude.
      assert.deepEqual([...new Set(result.prompts.map((p) => p.model))], ['claude-sonnet-4-5']);
    });

    it('names the runtime values and counts only the fixed text', async () => {
      const result = await hints('scan/ts/aq_customer_support_route.ts');
      const system = result.prompts.find((p) => p.location.boundName === 'systemPrompt');
      assert.ok(system);
      // The interpolations of the template literal, in source order (read off the file); each is written `${…}` in the source.
      // A choice between literals (`${isRagWorking ? `${retrievedContext}` : "No information…"}`) is named by the values in its
      // branches (fix38), not by its condition (leftovers46: it inserts no text), each written in the source as `${value}`.
      assert.equal(system.runtimeValues[0], 'retrievedContext');
      assert.ok(!system.runtimeValues.includes('isRagWorking') && !system.runtimeValues.includes('USE_CATEGORIES'), JSON.stringify(system.runtimeValues));
      const source = fixture('scan/ts/aq_customer_support_route.ts');
      for (const v of system.runtimeValues) assert.ok(source.includes(`\${${v}}`) || new RegExp(`\\$\\{\\s*${v.replace(/[.$]/g, '\\$&')}\\s*\\?`).test(source), v);
      const fixed = fixedText(system.location);
      assert.ok(!fixed.includes('isRagWorking') && !fixed.includes('categoriesContext'));
      assert.equal(fixed.length, system.location.text.length - system.location.placeholders.reduce((n, p) => n + (p.end - p.start), 0));
      // The prompt is composed with the categoriesContext fragment (composed.test.ts checks the whole count); the system prompt's own piece counts its fixed text.
      const own = system.pieces?.find((p) => p.range.start.offset === system.location.range.start.offset)?.tokens;
      assert.equal(own, sharedTokenizer().count(fixed, 'claude-sonnet-4-5').count);
      assert.ok(own !== undefined && own < sharedTokenizer().count(system.location.text, 'claude-sonnet-4-5').count);
    });

    it('uses pepperpy.defaultModels for the provider', async () => {
      const result = await hints('scan/ts/aq_customer_support_route.ts', { defaultModels: { anthropic: 'claude-3-5-haiku' } });
      const system = result.prompts.find((p) => p.location.boundName === 'systemPrompt');
      assert.ok(system);
      assert.equal(system.model, 'claude-3-5-haiku');
      assert.equal(system.cost.inputCostUsd, expectedCost('claude-3-5-haiku', system.cost.tokens.count));
      // Claude 3.5 Haiku's list price is $0.80 per million input tokens (anthropic.com/pricing).
      assert.equal(catalog.lookup('claude-3-5-haiku').inputPerMTok, 0.8);
    });
  });

  it('computer-use loop: the model is a parameter, the SDK is Anthropic', async () => {
    const result = await hints('scan/python/aq_computer_use_loop.py');
    const system = result.prompts.find((p) => p.location.boundName === 'SYSTEM_PROMPT');
    assert.ok(system);
    assert.equal(system.provider, 'anthropic');
    assert.equal(system.model, 'claude-sonnet-4-5');
    assert.deepEqual(system.runtimeValues, ['platform.machine()', "datetime.today().strftime('%A, %B %-d, %Y')"]);
  });

  it('a literal in the call is used as is', async () => {
    const result = await hints('scan/python/anthropic_messages.py');
    assert.deepEqual(result.prompts.map((p) => [p.model, p.modelSource, p.provider]), [
      ['claude-sonnet-4-20250514', 'call', 'anthropic'],
      ['claude-sonnet-4-20250514', 'call', 'anthropic'],
      ['claude-sonnet-4-20250514', 'call', 'anthropic'],
    ]);
    assert.deepEqual(result.prompts.map((p) => p.runtimeValues), [[], [], []]);
  });

  it('mistral json_format: model = "mistral-large-latest" resolved through the variable', async () => {
    const result = await hints('model-pricing/mistral_json_format.py');
    assert.equal(result.prompts.length, 1);
    const [p] = result.prompts;
    assert.equal(p.model, 'mistral-large-latest');
    assert.equal(p.modelSource, 'resolved');
    assert.equal(p.modelVia, 'from model (line 11)');
    assert.equal(p.provider, 'mistral');
    assert.equal(p.location.model?.range.start.line, 10);
    // Mistral Large's list price: $2 input, $6 output per million tokens (mistral.ai/pricing).
    assert.equal(p.cost.inputPerMTok, 2);
    assert.equal(p.cost.inputCostUsd, expectedCost('mistral-large-latest', p.cost.tokens.count));
  });

  describe('hovers on model literals', () => {
    it('a dataclass field default (anthropic-quickstarts agents/agent.py)', async () => {
      const result = await hints('model-pricing/aq_agent.py');
      assert.deepEqual(result.models.map((m) => [m.name, m.range.start.line + 1, m.range.start.character]), [['claude-sonnet-4-20250514', 21, 17]]);
      const [m] = result.models;
      // Claude Sonnet 4: $3 input, $15 output per million tokens (anthropic.com/pricing).
      assert.deepEqual([m.price?.inputPerMTok, m.price?.outputPerMTok], [3, 15]);
      assert.match(m.price?.source.name ?? '', /genai-prices/);
    });

    it('pydantic Field defaults (gemini-fullstack configuration.py)', async () => {
      const result = await hints('model-pricing/gemini_fullstack_configuration.py');
      // Gemini list prices per million tokens (ai.google.dev/pricing): 2.0 Flash $0.10/$0.40, 2.5 Flash $0.30/$2.50, 2.5 Pro $1.25/$10 (prompts up to 200k).
      assert.deepEqual(result.models.map((m) => [m.name, m.range.start.line + 1, m.price?.inputPerMTok, m.price?.outputPerMTok]), [
        ['gemini-2.0-flash', 12, 0.1, 0.4],
        ['gemini-2.5-flash', 19, 0.3, 2.5],
        ['gemini-2.5-pro', 26, 1.25, 10],
      ]);
    });

    it('a provider/model name in field(default=…) is priced at that provider (react-agent context.py)', async () => {
      const result = await hints('model-pricing/react_agent_context.py');
      assert.deepEqual(result.models.map((m) => [m.name, m.range.start.line + 1]), [['anthropic/claude-sonnet-4-5-20250929', 25]]);
      assert.equal(catalog.lookup(pricingName('anthropic/claude-sonnet-4-5-20250929')).provider, 'anthropic');
      assert.deepEqual([result.models[0].price?.inputPerMTok, result.models[0].price?.outputPerMTok], [3, 15]);
    });

    it('strings that are not model names get no hover', () => {
      assert.deepEqual(modelMentions('x = "hello"; y = \'gpt-4o\'; z = "claude is nice"; w = "o3"').map((m) => m.name), ['gpt-4o', 'o3']);
    });
  });

  describe('resolution forms (unit fixtures)', () => {
    const modelOf = (src: string, lang = 'python'): [string | undefined, string | undefined, string | undefined] => {
      const p = findPrompts(src, lang)[0];
      return [p?.model?.name, p?.model?.via, p?.provider];
    };

    it('os.getenv default in a constant', () => {
      const src = ['import os', 'import anthropic', 'MODEL = os.getenv("ANTHROPIC_MODEL", "claude-3-5-haiku-latest")', 'client = anthropic.Anthropic()', 'client.messages.create(model=MODEL, max_tokens=10, system="You are a terse assistant. Answer in one line.", messages=[])'].join('\n');
      assert.deepEqual(modelOf(src), ['claude-3-5-haiku-latest', 'MODEL', 'anthropic']);
    });

    it('os.environ.get(…) or "…" through self attributes', () => {
      const src = ['import os', 'from openai import OpenAI', 'class Bot:', '    def __init__(self):', '        self.model = os.environ.get("MODEL") or "gpt-4o-mini"', '    def ask(self, q):', '        return OpenAI().chat.completions.create(model=self.model, messages=[{"role": "system", "content": "You are a helpful assistant. Answer briefly."}])'].join('\n');
      assert.deepEqual(modelOf(src), ['gpt-4o-mini', 'self.model', 'openai']);
    });

    it('a config dict and a subscript', () => {
      const src = ['import anthropic', 'config = {"model": "claude-3-7-sonnet-latest", "max_tokens": 100}', 'anthropic.Anthropic().messages.create(model=config["model"], system="You are a careful reviewer. List problems only.", messages=[])'].join('\n');
      assert.deepEqual(modelOf(src), ['claude-3-7-sonnet-latest', 'config["model"]', 'anthropic']);
    });

    it('process.env.X ?? default and a config object in TypeScript', () => {
      const src = ["import Anthropic from '@anthropic-ai/sdk';", "const config = { model: process.env.CLAUDE_MODEL ?? 'claude-sonnet-4-5' };", 'const client = new Anthropic();', "await client.messages.create({ model: config.model, max_tokens: 100, system: 'You are a concise assistant. Answer in one sentence.', messages: [] });"].join('\n');
      assert.deepEqual(modelOf(src, 'typescript'), ['claude-sonnet-4-5', 'config.model', 'anthropic']);
    });

    it('a prompt constant takes the model of the call it is sent in', () => {
      const src = ['from google import genai', 'MODEL_ID = "gemini-2.5-flash"', 'PROMPT = "Summarize the following article in three bullet points. Keep the facts."', 'client = genai.Client()', 'client.models.generate_content(model=MODEL_ID, contents=PROMPT)'].join('\n');
      const [name, via, provider] = modelOf(src);
      assert.deepEqual([name, provider], ['gemini-2.5-flash', 'google']);
      assert.equal(via, 'MODEL_ID, where PROMPT is sent');
    });

    it('LangChain: the only chat model of the file', () => {
      const src = ['from langchain_anthropic import ChatAnthropic', 'from langchain_core.prompts import ChatPromptTemplate', 'prompt = ChatPromptTemplate.from_messages([("system", "You are an essay assistant. Write five paragraphs."), ("human", "{topic}")])', 'llm = ChatAnthropic(model="claude-3-5-sonnet-20240620", temperature=0)', 'chain = prompt | llm'].join('\n');
      const prompts = findPrompts(src, 'python');
      assert.equal(prompts[0].model?.name, 'claude-3-5-sonnet-20240620');
      assert.match(prompts[0].model?.via ?? '', /^the only model set in this file/);
      assert.equal(prompts[0].provider, 'anthropic');
    });

    it('a variable that cannot be resolved leaves the model to the provider default', () => {
      const src = ['import anthropic', 'def run(model, question):', '    return anthropic.Anthropic().messages.create(model=model, system="You are a helpful assistant. Be brief.", messages=[])'].join('\n');
      assert.deepEqual(modelOf(src), [undefined, undefined, 'anthropic']);
    });
  });

  describe('providers', () => {
    it('from imports: one provider SDK, or none when several', () => {
      assert.equal(providerOfImports(['@anthropic-ai/sdk', 'zod']), 'anthropic');
      assert.equal(providerOfImports(['google.genai']), 'google');
      assert.equal(providerOfImports(['@google/genai']), 'google');
      assert.equal(providerOfImports(['mistralai.client']), 'mistral');
      assert.equal(providerOfImports(['cohere']), 'cohere');
      assert.equal(providerOfImports(['openai', 'anthropic']), undefined);
      assert.equal(providerOfModelName('anthropic/claude-x'), 'anthropic');
      assert.equal(providerOfModelName('gemini-2.5-flash'), 'google');
    });

    it('every built-in default resolves in the catalog to its own provider, and package.json has the same defaults', () => {
      const catalogId: Record<string, string> = { xai: 'x-ai' };
      for (const [provider, model] of Object.entries(DEFAULT_PROVIDER_MODELS)) assert.equal(catalog.lookup(model).provider, catalogId[provider] ?? provider, `${provider}: ${model}`);
      const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
      assert.deepEqual(pkg.contributes.configuration.properties['pepperpy.defaultModels'].default, DEFAULT_PROVIDER_MODELS);
    });

    it('the hint request accepts defaultModels', () => {
      const parsed = PromptHintsParamsSchema.parse({ text: 'x', languageId: 'python', defaultModel: 'gpt-4o', defaultModels: { anthropic: 'claude-3-5-haiku' } });
      assert.deepEqual(parsed.defaultModels, { anthropic: 'claude-3-5-haiku' });
      assert.throws(() => PromptHintsParamsSchema.parse({ text: 'x', languageId: 'python', defaultModel: 'gpt-4o', defaultModels: { anthropic: '' } }));
    });
  });

  describe('titles', () => {
    it('no code fragments in titles', () => {
      assert.equal(promptTitle({ kind: 'user', boundName: 'length - 1]' }), 'user prompt');
      assert.equal(promptTitle({ kind: 'system', boundName: 'SYSTEM_PROMPT' }), 'system prompt `SYSTEM_PROMPT`');
      assert.equal(promptTitle({ kind: 'system', boundName: 'content' }), 'system prompt');
      assert.equal(promptTitle({ kind: 'fewShot', boundName: 'prompts.examples' }), 'few-shot example `prompts.examples`');
    });

    it('a subscripted assignment target is named by its last plain name', () => {
      const src = ['const messages = [];', "messages[messages.length - 1].content = 'You are a support assistant. Answer the question below in two sentences.';"].join('\n');
      assert.deepEqual(findPrompts(src, 'typescript').map((p) => p.boundName), ['content']);
    });

    it('runtime values: interpolations and template fields, not Jinja blocks', () => {
      assert.deepEqual(runtimeValues({ placeholders: [{ name: 'a', syntax: 'brace', start: 0, end: 3, interpolated: true }, { name: 'for x in y', syntax: 'jinjaBlock', start: 4, end: 20, interpolated: false }, { name: 'a', syntax: 'brace', start: 21, end: 24, interpolated: true }] }), ['a']);
    });
  });

  // newuser25 (a Vercel AI SDK route with an Anthropic summary call): `model: summaryConfig.model` was priced as the
  // call above's gpt-4o-mini, since the member was resolved by its property name anywhere in the file.
  describe('a member of an object defined in the file is that object\'s property', () => {
    async function modelsOf(text: string, languageId: 'typescript' | 'python'): Promise<Array<[number, string, string | undefined]>> {
      catalog ??= await PriceCatalog.bundled();
      const result = await service.compute({ text, languageId, fileName: languageId === 'python' ? 'app.py' : 'route.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false });
      return result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelVia]);
    }

    it('TypeScript: an object literal, next to another call whose model is a different `model:`', async () => {
      const text = [
        "const CHAT_MODEL = process.env.CHAT_MODEL ?? 'gpt-4o-mini'",
        "const summaryConfig = { model: 'claude-3-5-haiku-latest', maxTokens: 512 }",
        'export function chat(messages) {',
        "  return streamText({ model: openai(CHAT_MODEL), system: 'You are a research assistant. Answer in the user language, briefly.', messages })",
        '}',
        'export async function summarize(doc) {',
        "  return anthropic.messages.create({ model: summaryConfig.model, max_tokens: 100, system: 'You summarize research notes in three short sentences.', messages: [] })",
        '}',
        '',
      ].join('\n');
      assert.deepEqual(await modelsOf(text, 'typescript'), [
        [4, 'gpt-4o-mini', 'from openai(CHAT_MODEL) (line 1)'],
        [7, 'claude-3-5-haiku-latest', 'from summaryConfig.model (line 2)'],
      ]);
    });

    it('a quoted key names the property; of two definitions, the one before the use (break25)', async () => {
      // Before: `{ 'model': … }` was an object without `model` (the call took Anthropic's default), and a `let` object
      // reassigned after the call gave its later model.
      const text = [
        "const summaryConfig = { 'model': 'claude-3-5-haiku-latest', 'max_tokens': 512 }",
        "let chatConfig = { model: 'gpt-4o-mini' }",
        "export const summarize = () => anthropic.messages.create({ model: summaryConfig.model, max_tokens: 100, system: 'You summarize research notes in three short sentences.', messages: [] })",
        "export const chat = () => openai.chat.completions.create({ model: chatConfig.model, messages: [{ role: 'system', content: 'You are a research assistant. Answer in the user language, briefly.' }] })",
        "chatConfig = { model: 'gpt-4o' }",
        '',
      ].join('\n');
      assert.deepEqual(await modelsOf(text, 'typescript'), [
        [3, 'claude-3-5-haiku-latest', 'from summaryConfig.model (line 1)'],
        [4, 'gpt-4o-mini', 'from chatConfig.model (line 2)'],
      ]);
    });

    it('Python: a dict subscript and a config call with keyword arguments; a spread falls back to the name', async () => {
      const text = [
        'MODEL = "gpt-4o-mini"',
        'summary_config = {"model": "claude-3-5-haiku-latest", "max_tokens": 512}',
        'settings = Settings(model="claude-sonnet-4-5", temperature=0)',
        'def chat(client):',
        '    return client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "You are a research assistant. Answer briefly."}])',
        'def summarize(client):',
        '    return client.messages.create(model=summary_config["model"], max_tokens=100, system="You summarize research notes in three short sentences.", messages=[])',
        'def review(client):',
        '    return client.messages.create(model=settings.model, max_tokens=100, system="You review pull requests and list the risky changes first.", messages=[])',
        '',
      ].join('\n');
      assert.deepEqual(await modelsOf(text, 'python'), [
        [5, 'gpt-4o-mini', 'from MODEL (line 1)'],
        [7, 'claude-3-5-haiku-latest', 'from summary_config["model"] (line 2)'],
        [9, 'claude-sonnet-4-5', 'from settings.model (line 3)'],
      ]);
    });
  });
});
