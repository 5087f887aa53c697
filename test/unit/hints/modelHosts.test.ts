// The host a prompt's model is sent to, and its price there (model40): AWS Bedrock, Google Vertex AI, LiveKit Inference,
// a local Ollama server, Groq. Real files, unchanged: test/fixtures/model-attribution/SOURCES.md. The expected values are
// read off the files and off genai-prices 0.1.8's data (`PriceCatalog.lookup` with the host's provider id).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { hostPricing } from '../../../src/shared/cost/hostPrices';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/model-attribution', `${rel}.txt`), 'utf8');

describe('model hosts: the provider and price of a model sent to a host (bench:model-attribution)', function () {
  this.timeout(60_000);
  let catalog: PriceCatalog;
  let service: PromptHintService;
  before(async () => {
    catalog = await PriceCatalog.bundled();
    service = new PromptHintService(() => Promise.resolve(catalog));
  });
  const hints = (rel: string, languageId = 'python') => service.compute({ text: fixture(rel), languageId, fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  const providers = (text: string, fileName = 'app.py', languageId = 'python'): Array<string | undefined> => findPrompts(text, languageId, { fileName }).map((p) => p.provider);

  it("Strands' BedrockModel(model_id=\"us.anthropic.claude-…\") is AWS Bedrock's, at Bedrock's price", async () => {
    const result = await hints('strands_code_assistant/02-samples/05-personal-assistant/code_assistant.py');
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.provider, p.cost.host, p.cost.inputPerMTok]),
      [13, 26].map((line) => [line, 'us.anthropic.claude-sonnet-4-20250514-v1:0', 'bedrock', 'AWS Bedrock', catalog.lookup('aws:us.anthropic.claude-sonnet-4-20250514-v1:0').inputPerMTok]),
    );
    assert.equal(catalog.lookup('aws:us.anthropic.claude-sonnet-4-20250514-v1:0').provider, 'aws');
  });

  it("LiveKit's inference.LLM(\"google/gemma-…\") is LiveKit Inference's, which the price data has no price of: no Google price", async () => {
    const result = await hints('livekit_drive_thru/examples/drive_thru/agent.py');
    assert.equal(result.prompts.length, 15);
    for (const p of result.prompts) {
      assert.equal(p.model, 'google/gemma-4-31b-it');
      assert.equal(p.provider, 'livekit');
      assert.equal(p.cost.inputCostUsd, undefined);
      assert.equal(p.cost.host, 'LiveKit Inference');
      assert.match(p.cost.error ?? '', /^No price for google\/gemma-4-31b-it at LiveKit Inference: /);
    }
    // A LiveKit plugin of a vendor's own API is that vendor's.
    assert.deepEqual(providers('from livekit.plugins import openai\nsession = AgentSession(llm=openai.LLM(model="gpt-4o-mini"))\nagent = Agent(instructions="You are a helpful voice assistant for a pizza shop. Answer briefly.")\n'), ['openai']);
  });

  it('a model on an Ollama server runs locally: $0, marked local (Python client, ollama-js, the Vercel AI SDK provider)', async () => {
    for (const [rel, model, languageId] of [
      ['ollama_multi_tool/examples/multi-tool.py', 'qwen3', 'python'],
      ['ollamajs_multi_tool/examples/tools/multi-tool.ts', 'qwen3', 'typescript'],
      ['voltagent_ollama/examples/with-ollama/src/index.ts', 'llama3.2:latest', 'typescript'],
    ] as const) {
      const result = await hints(rel, languageId);
      assert.ok(result.prompts.length > 0, rel);
      for (const p of result.prompts) {
        assert.deepEqual([p.model, p.provider, p.cost.inputCostUsd, p.cost.local, p.cost.host, p.cost.source?.kind, p.monthlyCostUsd], [model, 'ollama', 0, true, 'Ollama', 'local', 0], rel);
      }
    }
  });

  it('Gemini with vertexai imported and GOOGLE_GENAI_USE_VERTEXAI is Vertex AI\'s, at Google\'s list (the price data\'s Vertex rule)', async () => {
    const result = await hints('asp_agentic_rag/agent_starter_pack/agents/agentic_rag/app/agent.py');
    assert.deepEqual(
      result.prompts.map((p) => [p.model, p.provider, p.cost.host, p.cost.inputPerMTok]),
      [71, 93].map(() => ['gemini-3-flash-preview', 'vertex', 'Google Vertex AI', catalog.lookup('google:gemini-3-flash-preview').inputPerMTok]),
    );
  });

  it("Groq's SDK: Groq's own price of mixtral-8x7b-32768, not Mistral's mixtral-8x7b", async () => {
    const result = await hints('groq_chat_completion/examples/chat_completion.py');
    assert.ok(result.prompts.length > 0);
    for (const p of result.prompts) {
      assert.deepEqual([p.model, p.provider, p.cost.host, p.cost.inputPerMTok, p.cost.pricedAs], ['mixtral-8x7b-32768', 'groq', 'Groq', 0.24, undefined]);
    }
    assert.equal(catalog.lookup('groq:mixtral-8x7b-32768').provider, 'groq');
  });

  it('near misses: a host SDK beside several vendors\' SDKs, a host that does not serve the vendor, Strands with another model provider', () => {
    // Flowise's follow-up prompts import Ollama's SDK among five vendors' (test/fixtures/scan/ts/flowise_follow_up_prompts.ts): no host.
    const flowise = (imports: string): Array<string | undefined> =>
      providers(`${imports}import { Ollama } from "ollama"\nconst SYSTEM_PROMPT = \`You are a helpful assistant. Given the conversation, suggest three short follow-up questions the user could ask next.\`\nexport async function run(llm: any) { return llm.invoke([{ role: "system", content: SYSTEM_PROMPT }]) }\n`, 'f.ts', 'typescript');
    assert.deepEqual(flowise('import { ChatAnthropic } from "@langchain/anthropic"\nimport { ChatOpenAI } from "@langchain/openai"\n'), [undefined]);
    // (Ollama's SDK alone: Ollama.)
    assert.deepEqual(flowise(''), ['ollama']);
    // Vertex AI serves Gemini, not GPT: an OpenAI call in a file importing vertexai is OpenAI's.
    assert.deepEqual(providers('import vertexai\nfrom openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a careful assistant who answers questions about invoices."}])\n'), ['openai']);
    // An OpenAI call beside Ollama's SDK, or beside a module of the app named `aws` (S3 helpers), stays OpenAI's.
    const openaiCall = 'client = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a careful assistant who answers questions about invoices."}])\n';
    assert.deepEqual(providers(`import ollama\nfrom openai import OpenAI\n${openaiCall}`), ['openai']);
    assert.deepEqual(providers(`from app.utils.aws import upload\nfrom openai import OpenAI\n${openaiCall}`), ['openai']);
    // Strands with its OpenAI model provider is not Bedrock.
    assert.deepEqual(providers('from strands import Agent\nfrom strands.models.openai import OpenAIModel\nagent = Agent(model=OpenAIModel(model_id="gpt-4o"), system_prompt="You are a careful assistant who answers questions about invoices.")\n'), ['openai']);
    // A Bedrock-shaped name is Bedrock's; a plain Claude name is Anthropic's.
    assert.deepEqual(providers('import anthropic\nclient = anthropic.Anthropic()\nclient.messages.create(model="claude-sonnet-4-5", system="You are a careful assistant who answers questions about invoices.", messages=[])\n'), ['anthropic']);
  });

  it('hostPricing: the host\'s catalog name, $0 for Ollama, none for a vendor\'s own API or a route the code writes', () => {
    assert.deepEqual(hostPricing('us.anthropic.claude-3-5-haiku-20241022-v1:0', 'bedrock'), { name: 'aws:us.anthropic.claude-3-5-haiku-20241022-v1:0', host: 'AWS Bedrock' });
    assert.deepEqual(hostPricing('openai/gpt-oss-120b', 'groq'), { name: 'groq:openai/gpt-oss-120b', host: 'Groq' });
    assert.deepEqual(hostPricing('ollama_chat/mistral-small3.1', 'ollama'), { name: 'ollama:mistral-small3.1', host: 'Ollama', local: true });
    assert.deepEqual(hostPricing('gpt-4o', 'azure'), { name: 'azure:gpt-4o', host: 'Azure OpenAI' });
    assert.equal(hostPricing('gpt-4o', 'openai'), undefined);
    assert.equal(hostPricing('gpt-4o', undefined), undefined);
    assert.equal(hostPricing('openrouter/anthropic/claude-sonnet-4-5', 'bedrock'), undefined);
  });
});
