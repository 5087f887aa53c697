// The model of a prompt whose agent is given a model object made from the model's name (model38, from
// bench:model-attribution): agno's `Agent(model=MistralChat(id="mistral-large-latest"))`,
// `AwsBedrock(id="us.anthropic.claude-…")` and `Groq(id="openai/gpt-oss-120b")`, VoltAgent's
// `new Agent({ model: ollama("llama3.2:latest") })`. The schema's field descriptions, the tool's description
// and the agent's input are sent with that model too; they showed pepperpy.defaultModel. Real files,
// unchanged: test/fixtures/model-attribution/SOURCES.md. The expected models are read off the files.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { FileModelResolver } from '../../../src/shared/prompt/scanner/models';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/model-attribution', `${rel}.txt`), 'utf8');

describe('a model object made from the model name (agno MistralChat(id=…), VoltAgent ollama("…"))', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const models = async (rel: string, languageId: string): Promise<Array<[number, string, string]>> => {
    const result = await service.compute({ text: fixture(rel), languageId, fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    return result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelSource]);
  };

  it('agno mistral/structured_output.py: the MovieScript field descriptions and the agent input go to mistral-large-latest', async () => {
    // Line 43: `model=MistralChat(id="mistral-large-latest",)`, the only model of the file; line 46 is inside that Agent(...) call.
    const got = await models('agno_mistral_structured/cookbook/90_models/mistral/structured_output.py', 'python');
    assert.deepEqual(
      got.map(([line, model]) => [line, model]),
      [24, 28, 32, 34, 35, 37, 46, 61].map((line) => [line, 'mistral-large-latest']),
    );
    // The field descriptions (24–37): from the Agent(...) call that takes `output_schema=MovieScript` (session 47; they were
    // the file's only model, the same name); the agent's input (61): the file's only model.
    assert.deepEqual(
      got.filter(([line]) => line !== 46).map(([, , source]) => source),
      [...Array<string>(6).fill('resolved'), 'file'],
    );
  });

  it('agno aws/bedrock/structured_output.py: a Bedrock inference profile id, in the call and for the schema', async () => {
    const got = await models('agno_bedrock_structured/cookbook/90_models/aws/bedrock/structured_output.py', 'python');
    assert.deepEqual(
      got.map(([line, model]) => [line, model]),
      [22, 26, 30, 32, 33, 35, 41].map((line) => [line, 'us.anthropic.claude-3-5-haiku-20241022-v1:0']),
    );
    // Line 41 (`description=` beside `model=AwsBedrock(…)`) is the call's own model.
    assert.equal(got.find(([line]) => line === 41)?.[2], 'resolved');
  });

  it('agno groq/agent_team.py: the team\'s input, outside every Agent(...), takes the one model of the file', async () => {
    const got = await models('agno_groq_team/cookbook/90_models/groq/agent_team.py', 'python');
    assert.deepEqual(got.find(([line]) => line === 48), [48, 'openai/gpt-oss-120b', 'file']);
  });

  it('VoltAgent with-ollama: the tool created apart from the agent is sent with the agent\'s ollama("llama3.2:latest")', async () => {
    const got = await models('voltagent_ollama/examples/with-ollama/src/index.ts', 'typescript');
    assert.deepEqual(got, [
      [18, 'llama3.2:latest', 'file'],
      [20, 'llama3.2:latest', 'file'],
      [35, 'llama3.2:latest', 'call'],
    ]);
  });

  it('a call that is no model object keeps its string: a loader\'s path, a lookup key', () => {
    const src = [
      'from agno.agent import Agent',
      'llm = load_local(path="weights/model.bin")',
      'agent = Agent(model=load_local("weights/model.bin"), instructions="You are a helpful assistant who answers in French.")',
      '',
    ].join('\n');
    const prompts = findPrompts(src, 'python');
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].model, undefined);
  });
});

describe('the model of an `llm=` setting (LiveKit Agents: AgentSession(llm=inference.LLM("…")))', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('livekit drive_thru: the 14 tool descriptions and the idle instructions go to the session\'s google/gemma-4-31b-it', async () => {
    const rel = 'livekit_drive_thru/examples/drive_thru/agent.py';
    const result = await service.compute({ text: fixture(rel), languageId: 'python', fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    // Line 487: `llm=inference.LLM("google/gemma-4-31b-it")`, the one LLM of the file (its TTS and STT name voices, not LLMs).
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelSource]),
      [98, 105, 114, 120, 197, 204, 212, 218, 281, 289, 293, 343, 347, 363, 562].map((line) => [line, 'google/gemma-4-31b-it', 'file']),
    );
  });

  it('an `llm=` that names no model here (a variable of unknown value, a call without a model name) decides nothing', () => {
    const src = [
      'from livekit.agents import Agent, AgentSession',
      'session = AgentSession(llm=make_llm(), stt=stt)',
      'other = AgentSession(llm=llm)',
      'agent = Agent(instructions="You are a friendly receptionist. Keep your answers short and polite.")',
      '',
    ].join('\n');
    const prompts = findPrompts(src, 'python');
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].model, undefined);
  });
});

describe('a prompt passed to a function of the same file that sends it (gptme github_ci_self_heal.py, in its scripts folder)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('both analysis prompts go to _call_claude(prompt, …), whose messages.create names claude-haiku-4-5-20251001', async () => {
    const rel = 'gptme_self_heal/scripts/github_ci_self_heal.py';
    const result = await service.compute({ text: fixture(rel), languageId: 'python', fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    // Lines 74 and 104: `prompt = f"""…"""`, then `_call_claude(prompt, max_tokens=…)` (lines 94, 129); line 152 is the
    // helper's `model="claude-haiku-4-5-20251001"`. The file also names claude-haiku-4-5 (a default of another function).
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelSource, p.provider]),
      [
        [74, 'claude-haiku-4-5-20251001', 'resolved', 'anthropic'],
        [104, 'claude-haiku-4-5-20251001', 'resolved', 'anthropic'],
      ],
    );
  });

  it('by position or by keyword, one level; a helper that sends the parameter with no model of its own decides nothing', () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      '',
      'def ask(question, prompt, temperature=0):',
      '    return client.chat.completions.create(model="gpt-4o-mini", temperature=temperature, messages=[{"role": "user", "content": prompt}])',
      '',
      'def ask_any(prompt, model):',
      '    return client.chat.completions.create(model=model, messages=[{"role": "user", "content": prompt}])',
      '',
      'def embed(text):',
      '    return client.embeddings.create(model="text-embedding-3-small", input=text)',
      '',
      'def run(q):',
      '    prompt = f"Answer the question below in one short sentence, citing no sources.\\n{q}"',
      '    return ask(q, prompt)',
      '',
      'def run_keyword(q):',
      '    prompt = f"Summarize the question below in five words or fewer, no punctuation.\\n{q}"',
      '    return ask(question=q, prompt=prompt)',
      '',
      'def run_any(q, model):',
      '    prompt = f"Translate the question below into French, keeping its meaning exactly.\\n{q}"',
      '    return ask_any(prompt, model)',
      '',
      'def ask_big(prompt):',
      '    return client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": prompt}])',
      '',
    ].join('\n');
    const got = findPrompts(src, 'python').map((p) => [p.range.start.line + 1, p.model?.name]);
    // (The file sets two chat models, so neither is the file's one model; the embeddings model does not count, newuser40.)
    assert.deepEqual(got, [
      [14, 'gpt-4o-mini'],
      [18, 'gpt-4o-mini'],
      [22, undefined],
    ]);
  });

  it('break38: the functions of the file are looked up once, not by a scan of the whole file for each call the prompt is passed to', () => {
    const calls = Array.from({ length: 400 }, (_, i) => `    log_${i % 40}(prompt)`).join('\n');
    const filler = '# a comment line that makes the file longer, as a big module would be .........\n'.repeat(2500);
    const src = [
      'def ask(prompt):',
      '    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])',
      '',
      'def run(q):',
      '    prompt = f"Answer the question below in one short sentence, citing no sources.\\n{q}"',
      calls,
      '    return ask(prompt)',
      '',
      filler,
    ].join('\n');
    const before = FileModelResolver.functionLookupSteps;
    const got = findPrompts(src, 'python').map((p) => [p.range.start.line + 1, p.model?.name]);
    const steps = FileModelResolver.functionLookupSteps - before;
    assert.deepEqual(got, [[5, 'gpt-4o-mini']]);
    // Before: the file (~200 KB) read again for each of the 401 calls, ~80 million characters.
    assert.ok(steps <= 2 * src.length, `${steps} steps for ${src.length} characters`);
  });
});

