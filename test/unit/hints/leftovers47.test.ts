// Session 47 (leftovers47): wrong answers newuser46 and leftovers46 found in real apps and left (issue 12).
// Oracle for counts: js-tiktoken's o200k_base encoder (test/helpers/tiktokenOracle.ts) on the text the app sends.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { composePrompt } from '../../../src/shared/hints/composed';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { lensCountsLess, textOnlyInLongerBranches } from '../../../src/protocol/format';
import { count } from '../../helpers/tiktokenOracle';
import { providerOfPythonManifest } from '../../../src/shared/projectProvider';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');
const service = new PromptHintService(() => PriceCatalog.bundled());
const hintsOf = (text: string, fileName: string, languageId: string) =>
  service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

describe('a list joined inside a piece of a joined prompt is counted in place (node-DeepResearch agent.ts, newuser46 item 7)', () => {
  // `getPrompt` pushes four sections and joins them with '\n\n' as the system prompt; the fourth says
  // `<actions>\n${actionSections.join('\n\n')}\n</actions>`, where `actionSections` holds six action descriptions pushed
  // under `if`s. Before: the system prompt "≥99 tokens + runtime values (…, actionSections.join('\n\n'))", and the actions a
  // second prompt "≥536 tokens (≥555 with the longer branches)", so `prompt scan` counted that text twice.
  it('one system prompt: 634 tokens, 653 with the longer branch, the inner list no prompt of its own', async () => {
    const { prompts } = await hintsOf(readFileSync(path.join(root, 'test/fixtures/node-deepresearch/agent.ts.txt'), 'utf8'), 'agent.ts', 'typescript');
    const system = prompts.filter((p) => p.location.boundName === 'sections');
    assert.equal(system.length, 1);
    // The real `getPrompt`, transpiled by TypeScript and run with every runtime value empty (the date, the context rows,
    // the URL rows, the bad keywords; `removeExtraLineBreaks` as identity) and every `if` taken, counted by js-tiktoken
    // o200k_base: 634 tokens with `allKeywords = []`, 653 with `allKeywords = ['']` (the bad-requests block).
    assert.equal(system[0].cost.tokens.count, 634);
    assert.equal(system[0].tokensWithLongerBranches, 653);
    assert.deepEqual(system[0].runtimeValues, ['new Date().toUTCString()', "context.join('\\n')", 'urlListStr', "allKeywords.join('\\n')"]);
    assert.deepEqual(prompts.filter((p) => p.location.boundName === 'actionSections'), []);
  });
});

describe("a key of the app's own config passed as a call's model is no model (node-DeepResearch app.ts:652, newuser46 item 8)", () => {
  // `generator.generateObject({ model: 'agent', schema, prompt, system: "Extract the structured data…" })`: the app's own
  // ObjectGeneratorSafe looks 'agent' up in config.json's `tools` (`getModel(model)`). Before: priced as a model "agent",
  // "no price (agent)", and a model hover on 'agent' with no price.
  it("app.ts: the system prompt is priced with the default model, and the hover says why 'agent' is not one", async () => {
    const { prompts, models } = await hintsOf(fixture('deepresearch_app.ts'), 'app.ts', 'typescript');
    const extract = prompts.find((p) => p.location.text.startsWith('Extract the structured data'));
    assert.ok(extract);
    assert.equal(extract.model, 'gpt-5.4');
    assert.equal(extract.modelSource, 'default');
    assert.match(extract.modelVia ?? '', /"agent" \(line 652\) is no model the price data knows/);
    assert.equal(extract.cost.error, undefined);
    assert.ok((extract.cost.inputCostUsd ?? 0) > 0);
    assert.deepEqual(models.filter((m) => m.name === 'agent'), []);
  });

  const call = (imports: string, model: string, callee: string): string =>
    [imports, '', `const TOOL_NAME = 'researchPlanner';`, '', 'export async function plan(question: string, generator: any) {', `  return ${callee}({`, `    model: ${model},`, '    system: "You are a principal research lead. Split the question into orthogonal subproblems for your team.",', '    prompt: question,', '  });', '}', ''].join('\n');

  it('also through a constant of the file (`model: TOOL_NAME`, as research-planner.ts names its tool)', async () => {
    const { prompts } = await hintsOf(call('import { logInfo } from "../logging";', 'TOOL_NAME', 'generator.generateObject'), 'planner.ts', 'typescript');
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].model, 'gpt-5.4');
    assert.equal(prompts[0].cost.error, undefined);
  });

  it("an unknown model on an LLM SDK's call stays the model ('vicuna' to Ollama), and so does a name with a version (`llama3`) on the app's own call", async () => {
    const ollama = await hintsOf(call('import ollama from "ollama";', "'vicuna'", 'ollama.generate'), 'ask.ts', 'typescript');
    assert.equal(ollama.prompts[0]?.model, 'vicuna');
    const own = await hintsOf(call('import { chatWithModel } from "./llm";', "'llama3'", 'chatWithModel'), 'ask.ts', 'typescript');
    assert.equal(own.prompts[0]?.model, 'llama3');
  });
});

describe('text only in the longer branch of a choice (node-DeepResearch agent.ts `userContent`, newuser46 item 12)', () => {
  // `` `\n${question}\n\n${finalAnswerPIP?.length ? `\n<answer-requirements>…</answer-requirements>` : ''}\n    `.trim() ``.
  it('counts 0 tokens without the requirements and 65 with them, as the app sends them with a question', () => {
    const src = readFileSync(path.join(root, 'test/fixtures/node-deepresearch/agent.ts.txt'), 'utf8');
    const p = findPrompts(src, 'typescript', { fileName: 'agent.ts' }).find((x) => x.boundName === 'userContent');
    assert.ok(p);
    const composed = composePrompt(p, src);
    // The real template, transpiled by TypeScript and run with `question = 'QUESTION'` and `finalAnswerPIP` of one row whose
    // text is empty (`{ length: 1, map: () => ({ join: () => '' }) }`), less the question's own characters, counted by
    // js-tiktoken o200k_base: 65 tokens (the blank lines after the question are sent); with `finalAnswerPIP` undefined, 0.
    // (Checked, not changed: newuser46 asked whether "≥0 tokens (≥65 with the longer branches)" counted right.)
    assert.equal(composed.counted, '');
    assert.equal(count(composed.withLongerBranches ?? ''), 65);
  });

  it('says "≥65 tokens with the longer branches, none without", not "≥0 tokens (≥65 …)"', () => {
    assert.equal(textOnlyInLongerBranches(0, 65), true);
    assert.equal(textOnlyInLongerBranches(12, 40), false);
    assert.equal(textOnlyInLongerBranches(0, undefined), false);
  });

  it('the rewrite messages know that the lens counts less than the literal as written when a choice between literals is its only dynamic part', async () => {
    // leftovers46's "Noticed": rewrite.ts compared the engine's count of the literal with the lens only when the prompt had
    // runtime values; a prompt whose only choice is between two literals has none, and its lens counts the shorter branch.
    const src = "const system = `You are a support agent for the store. ${formal ? 'Answer formally, citing the order number and the policy.' : 'Answer briefly.'} Never promise refunds.`;\n";
    const { prompts } = await hintsOf(src, 'support.ts', 'typescript');
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0].runtimeValues, []);
    assert.ok(prompts[0].cost.tokens.count < count(prompts[0].location.text));
    assert.equal(lensCountsLess(prompts[0]), true);
    assert.equal(lensCountsLess({ runtimeValues: [] }), false);
  });
});

describe("a library's optional extras name no provider (smolagents pyproject.toml, newuser46 item 9)", () => {
  // smolagents' `dependencies` list no provider's SDK; `[project.optional-dependencies]` has `openai = ["openai>=1.58.1"]`
  // beside `litellm`, `bedrock` (boto3), `transformers`, `vllm`, `mlx-lm`… Before: `{ provider: 'openai', from: 'openai in
  // pyproject.toml' }`, and `prompt scan` priced 30 prompts with "OpenAI's default model (…; openai in pyproject.toml)".
  const text = readFileSync(path.join(root, 'test/fixtures/hints-real/smolagents_pyproject.toml'), 'utf8');

  it('the manifest says its providers are optional extras, and none decides', () => {
    assert.deepEqual(providerOfPythonManifest('pyproject.toml', text), { from: 'openai in pyproject.toml', optional: true });
  });

  it('a prompt whose code names no provider keeps the default, and the hover says why', async () => {
    const src = 'SYSTEM_PROMPT = """You are an expert assistant who can solve any task using code blobs. Answer in at most three sentences."""\n';
    const projectProvider = providerOfPythonManifest('pyproject.toml', text);
    assert.ok(projectProvider);
    const { prompts } = await service.compute({ text: src, languageId: 'python', fileName: 'prompts.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false, projectProvider });
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].model, 'gpt-5.4');
    assert.equal(prompts[0].modelSource, 'default');
    assert.match(prompts[0].modelVia ?? '', /openai in pyproject\.toml only as an optional extra, one of the alternatives the library's users choose from/);
  });

  it('an SDK the project installs still decides, with the extras left aside (a required openai, an optional anthropic)', () => {
    const both = ['[project]', 'dependencies = [', '  "openai>=1.58.1",', ']', '', '[project.optional-dependencies]', 'anthropic = ["anthropic>=0.40"]', ''].join('\n');
    assert.deepEqual(providerOfPythonManifest('pyproject.toml', both), { provider: 'openai', from: 'openai in pyproject.toml' });
  });
});

describe('smolagents memory.py: messages built in a local and sent as a message (newuser46 item 10)', () => {
  const src = readFileSync(path.join(root, 'test/fixtures/hints-real/smolagents_memory.py'), 'utf8');
  const found = () => findPrompts(src, 'python', { fileName: 'memory.py' });

  it('the retry instruction of a failed step, sent as a MessageRole.TOOL_RESPONSE message, is a user prompt of 28 tokens + the error', () => {
    // `error_message = ("Error:\n" + str(self.error) + "\nNow let's retry: …")`, then `message_content += error_message` and
    // `ChatMessage(role=MessageRole.TOOL_RESPONSE, content=[{"type": "text", "text": message_content}])`; smolagents' models send
    // a tool response as a user message (`tool_role_conversions`). Before: not found.
    const retry = found().find((p) => p.boundName === 'error_message');
    assert.ok(retry, 'found');
    assert.equal(retry.kind, 'user');
    const composed = composePrompt(retry, src);
    // CPython 3 evaluating that expression with `self.error = ''` (the `ast` of the file, /tmp script in the report), counted
    // by js-tiktoken o200k_base: 28 tokens.
    assert.equal(count(composed.counted), 28);
    assert.deepEqual(composed.runtimeValues, ['str(self.error)']);
  });

  it('`content = [{"type": "text", "text": f"New task:\\n{self.task}"}]` sent as `ChatMessage(role=MessageRole.USER, content=content)` is the user prompt', () => {
    const task = found().find((p) => p.text.startsWith('New task:'));
    assert.ok(task, 'found');
    assert.equal(task.kind, 'user');
    const composed = composePrompt(task, src);
    assert.equal(count(composed.counted), 3);
    assert.deepEqual(composed.runtimeValues, ['self.task']);
  });

  it('the first value of a message that is grown before it is sent (`message_content = f"Call id: …" if … else ""`) is no prompt of its own', () => {
    assert.equal(found().some((p) => p.text.startsWith('Call id:')), false);
  });
});
