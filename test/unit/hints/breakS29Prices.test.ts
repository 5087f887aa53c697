// break29: LiteLLM route prefixes the price lookup did not know. A LiteLLM call names its model as `<route>/<model>`;
// `azure/gpt-4o`, `cohere_chat/command-r-plus` and `fireworks_ai/accounts/fireworks/models/…` showed "no price", and
// LiteLLM's local `ollama/llama3` too (the engine prices `ollama:llama3` at $0 as a local model).
// Oracle: LiteLLM's provider docs for the route names; the prices read from genai-prices 0.1.8's bundled data by hand
// (Azure lists no gpt-4o and falls back to OpenAI's list: $2.50 per 1M input tokens; Cohere's command-r-plus $2.50;
// Fireworks' accounts/fireworks/models/deepseek-v3p2 $0.56).
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { pricingName } from '../../../src/shared/prompt/scanner/models';

const SYSTEM = 'You are a helpful assistant that answers questions about cooking recipes in detail.';
const litellmCall = (model: string): string =>
  ['import litellm', 'def run(q):', `    return litellm.completion(model="${model}", messages=[{"role": "system", "content": "${SYSTEM}"}, {"role": "user", "content": q}])`, ''].join('\n');

describe('hints: LiteLLM route prefixes are priced (break29)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('the route prefix becomes the catalog provider', () => {
    assert.equal(pricingName('azure/gpt-4o'), 'azure:gpt-4o');
    assert.equal(pricingName('cohere_chat/command-r-plus'), 'cohere:command-r-plus');
    assert.equal(pricingName('fireworks_ai/accounts/fireworks/models/deepseek-v3p2'), 'fireworks:accounts/fireworks/models/deepseek-v3p2');
    assert.equal(pricingName('ollama/llama3'), 'ollama:llama3');
    assert.equal(pricingName('ollama_chat/llama3.1'), 'ollama:llama3.1');
  });

  const cases: Array<[string, number]> = [
    ['azure/gpt-4o', 2.5],
    ['cohere_chat/command-r-plus', 2.5],
    ['fireworks_ai/accounts/fireworks/models/deepseek-v3p2', 0.56],
    ['ollama/llama3', 0],
    ['ollama_chat/llama3.1', 0],
  ];
  for (const [model, perMTok] of cases) {
    it(`litellm.completion(model="${model}") is priced at $${perMTok} per 1M input tokens`, async () => {
      const result = await service.compute({ text: litellmCall(model), languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.equal(result.prompts.length, 1);
      const hint = result.prompts[0];
      assert.equal(hint.model, model);
      assert.equal(hint.cost.error, undefined);
      assert.equal(hint.cost.inputPerMTok, perMTok);
    });
  }
});

// A model object made from a model name given first, then used for the call: the file's model was not found (the
// prompt was priced with the provider's or the global default). Oracle: the SDKs' signatures (google-generativeai
// GenerativeModel(model_name, …), LangChain init_chat_model(model, …) / initChatModel(model, …)) read by hand.
describe('hints: a model object made from a positional model name (break29)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const ask = `"${SYSTEM} " + q`;
  const cases: Array<[string, string, 'python' | 'typescript', string]> = [
    ['genai.GenerativeModel("gemini-1.5-flash") (was priced as gemini-2.5-flash)', ['import google.generativeai as genai', 'model = genai.GenerativeModel("gemini-1.5-flash")', 'def run(q):', `    return model.generate_content(${ask})`, ''].join('\n'), 'python', 'gemini-1.5-flash'],
    ['llm = init_chat_model("groq:…") (was gpt-5.4)', ['from langchain.chat_models import init_chat_model', 'llm = init_chat_model("groq:llama-3.3-70b-versatile")', 'def run(q):', `    return llm.invoke(${ask})`, ''].join('\n'), 'python', 'groq:llama-3.3-70b-versatile'],
    ['const model = await initChatModel("groq:…") (was gpt-5.4)', ['import { initChatModel } from "langchain/chat_models/universal";', 'const model = await initChatModel("groq:llama-3.3-70b-versatile");', 'export async function run(q: string) {', `  return model.invoke(${ask});`, '}', ''].join('\n'), 'typescript', 'groq:llama-3.3-70b-versatile'],
  ];
  for (const [title, text, languageId, model] of cases) {
    it(title, async () => {
      const result = await service.compute({ text, languageId, fileName: languageId === 'python' ? 'app.py' : 'app.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.deepEqual(result.prompts.map((h) => h.model), [model]);
    });
  }
});

// LangChain's init_chat_model("<provider>:<model>") provider names (its documented list) the scan did not read as a
// model (priced gpt-5.4) or could not price. Prices from genai-prices 0.1.8 by hand: Azure falls back to OpenAI's
// gpt-4o ($2.50); Google's gemini-1.5-pro $1.25 (first tier) and claude-3-5-sonnet $3; Together's Llama-3.3-70B-Instruct-Turbo
// $0.88; Perplexity's sonar-pro $3; AWS's anthropic.claude-3-5-sonnet-20240620-v1:0 $3; Ollama local $0.
describe('hints: LangChain init_chat_model provider names (break29)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const cases: Array<[string, number]> = [
    ['azure_openai:gpt-4o', 2.5],
    ['azure_ai:gpt-4o', 2.5],
    ['google_vertexai:gemini-1.5-pro', 1.25],
    ['google_anthropic_vertex:claude-3-5-sonnet@20240620', 3],
    ['together:meta-llama/Llama-3.3-70B-Instruct-Turbo', 0.88],
    ['perplexity:sonar-pro', 3],
    ['bedrock_converse:anthropic.claude-3-5-sonnet-20240620-v1:0', 3],
    ['ollama:llama3', 0],
  ];
  for (const [model, perMTok] of cases) {
    it(`init_chat_model("${model}") is that model at $${perMTok} per 1M input tokens`, async () => {
      const text = ['from langchain.chat_models import init_chat_model', `llm = init_chat_model("${model}")`, 'def run(q):', `    return llm.invoke([("system", "${SYSTEM}"), ("user", q)])`, ''].join('\n');
      const result = await service.compute({ text, languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.deepEqual(result.prompts.map((h) => [h.model, h.cost.error, h.cost.inputPerMTok]), [[model, undefined, perMTok]]);
    });
  }
});

// An environment variable's default written as a keyword argument or a conditional expression: the prompt was priced
// with the global default (gpt-5.4). Oracle: Python's os.getenv(key, default=None) signature and the conditional
// expressions' else branches, read by hand.
describe('hints: an environment default by keyword or in a conditional expression (break29)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const pyCall = (definition: string): string =>
    ['import os', 'from openai import OpenAI', 'client = OpenAI()', definition, '', 'def run(q):', `    return client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "${SYSTEM}"}, {"role": "user", "content": q}])`, ''].join('\n');
  const cases: Array<[string, string, 'python' | 'typescript']> = [
    ['MODEL = os.getenv("MODEL", default="gpt-4o-mini")', pyCall('MODEL = os.getenv("MODEL", default="gpt-4o-mini")'), 'python'],
    ['MODEL = os.environ["MODEL"] if "MODEL" in os.environ else "gpt-4o-mini"', pyCall('MODEL = os.environ["MODEL"] if "MODEL" in os.environ else "gpt-4o-mini"'), 'python'],
    [
      'const MODEL = process.env.MODEL ? process.env.MODEL : "gpt-4o-mini"',
      ['import OpenAI from "openai";', 'const client = new OpenAI();', 'const MODEL = process.env.MODEL ? process.env.MODEL : "gpt-4o-mini";', 'export async function run(q: string) {', `  return client.chat.completions.create({ model: MODEL, messages: [{ role: "system", content: "${SYSTEM}" }, { role: "user", content: q }] });`, '}', ''].join('\n'),
      'typescript',
    ],
  ];
  for (const [title, text, languageId] of cases) {
    it(`${title} is gpt-4o-mini`, async () => {
      const result = await service.compute({ text, languageId, fileName: languageId === 'python' ? 'app.py' : 'app.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.deepEqual(result.prompts.map((h) => [h.model, h.cost.inputPerMTok]), [['gpt-4o-mini', 0.15]]);
    });
  }
});
