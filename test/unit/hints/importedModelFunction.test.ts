// A prompt sent with a model that a function of another module returns (model40; newuser39's bolt.new): stream-text.ts
// sends `system: getSystemPrompt()` with `model: getAnthropicModel(getAPIKey(env))`, and model.ts's getAnthropicModel
// returns `anthropic('claude-3-5-sonnet-20240620')`, a model Anthropic shut down. The files are stackblitz/bolt.new's
// (MIT, eda10b121221b30825a4c16eec5da1fd3eb1eb99: test/fixtures/model-attribution/SOURCES.md), unchanged.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { combineSends, promptSends } from '../../../src/shared/prompt/scanner/promptSends';

const root = path.resolve(__dirname, '../../../..');
const bolt = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/model-attribution/bolt_prompts', `${rel}.txt`), 'utf8');

describe('a model returned by a function of another module (bolt.new: getAnthropicModel in model.ts)', function () {
  this.timeout(60_000);
  let dir: string;
  const write = (rel: string, text: string): string => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'model40-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("stream-text.ts sends getSystemPrompt with model.ts's claude-3-5-sonnet-20240620 (a `~/` path alias, two files)", () => {
    write('app/lib/.server/llm/model.ts', bolt('app/lib/.server/llm/model.ts'));
    const file = write('app/lib/.server/llm/stream-text.ts', bolt('app/lib/.server/llm/stream-text.ts'));
    const send = promptSends(bolt('app/lib/.server/llm/stream-text.ts'), 'typescript', file).find((s) => s.name === 'getSystemPrompt');
    assert.deepEqual(send, { module: './prompts', name: 'getSystemPrompt', line: 27, model: { name: 'claude-3-5-sonnet-20240620', line: 26, how: 'call' }, provider: 'anthropic' });
  });

  it("the prompt's hover takes that model and warns that it is shut down", async () => {
    write('app/lib/.server/llm/model.ts', bolt('app/lib/.server/llm/model.ts'));
    const file = write('app/lib/.server/llm/stream-text.ts', bolt('app/lib/.server/llm/stream-text.ts'));
    const importedSends = combineSends([{ file: 'app/lib/.server/llm/stream-text.ts', sends: promptSends(bolt('app/lib/.server/llm/stream-text.ts'), 'typescript', file) }]);
    const catalog = await PriceCatalog.bundled();
    const service = new PromptHintService(() => Promise.resolve(catalog));
    const result = await service.compute({ text: bolt('app/lib/.server/llm/prompts.ts'), languageId: 'typescript', fileName: path.join(dir, 'app/lib/.server/llm/prompts.ts'), defaultModel: 'gpt-5.4', importedSends, compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const system = result.prompts.find((p) => p.location.range.start.line + 1 === 5);
    assert.ok(system);
    assert.deepEqual([system.model, system.modelSource, system.modelVia], ['claude-3-5-sonnet-20240620', 'imported', 'sent from app/lib/.server/llm/stream-text.ts (line 26)']);
    assert.equal(system.modelLifecycle?.status, 'retired');
    assert.equal(system.modelLifecycle?.shutdownDate, '2025-10-22');
    // A model in service has no such warning.
    const current = await service.compute({ text: 'const SYSTEM = "You are a careful assistant who answers questions about invoices.";\nclient.messages.create({ model: "claude-sonnet-4-5", system: SYSTEM, messages: [] });\n', languageId: 'typescript', fileName: 'a.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.equal(current.prompts[0].model, 'claude-sonnet-4-5');
    assert.equal(current.prompts[0].modelLifecycle, undefined);
  });

  it("api.chat.ts pushes CONTINUE_PROMPT onto messages and passes them to stream-text.ts's wrapper: model.ts's model (three files)", () => {
    write('app/lib/.server/llm/model.ts', bolt('app/lib/.server/llm/model.ts'));
    write('app/lib/.server/llm/stream-text.ts', bolt('app/lib/.server/llm/stream-text.ts'));
    const file = write('app/routes/api.chat.ts', bolt('app/routes/api.chat.ts'));
    const send = promptSends(bolt('app/routes/api.chat.ts'), 'typescript', file).find((s) => s.name === 'CONTINUE_PROMPT');
    assert.deepEqual(send, { module: '~/lib/.server/llm/prompts', name: 'CONTINUE_PROMPT', line: 33, model: { name: 'claude-3-5-sonnet-20240620', line: 35, how: 'call' }, provider: 'anthropic' });
    // Without model.ts the wrapper's model is unknown: no model, nothing guessed.
    rmSync(path.join(dir, 'app/lib/.server/llm/model.ts'));
    assert.equal(promptSends(bolt('app/routes/api.chat.ts'), 'typescript', file).find((s) => s.name === 'CONTINUE_PROMPT')?.model, undefined);
  });

  it('a wrapper that sends its argument with its own parameter as the model, or does not send that argument: no model', () => {
    write('lib/llm.ts', 'import { generateText } from "ai";\nimport { openai } from "@ai-sdk/openai";\nexport function ask(system: string, model: string) {\n  return generateText({ model: openai(model), system, prompt: "hi" });\n}\nexport function log(text: string) {\n  console.log(text);\n  return generateText({ model: openai("gpt-4o-mini"), prompt: "ping" });\n}\n');
    const file = write('lib/route.ts', 'import { ask, log } from "./llm";\nimport { SYSTEM, OTHER } from "./prompts";\nask(SYSTEM, process.env.MODEL);\nlog(OTHER);\n');
    const sends = promptSends(readFileSync(file, 'utf8'), 'typescript', file);
    assert.equal(sends.find((s) => s.name === 'SYSTEM')?.model, undefined);
    assert.equal(sends.find((s) => s.name === 'OTHER')?.model, undefined);
  });

  it('Python: a relative module whose function returns a model object; near misses name no model', () => {
    write('app/llm.py', 'from langchain_anthropic import ChatAnthropic\n\ndef get_llm():\n    return ChatAnthropic(model="claude-3-5-haiku-20241022")\n\ndef two(fast):\n    if fast:\n        return ChatAnthropic(model="claude-3-5-haiku-20241022")\n    return ChatAnthropic(model="claude-sonnet-4-5")\n');
    const file = write('app/agent.py', 'from .llm import get_llm\nfrom .prompts import SYSTEM\nfrom langchain_core.messages import SystemMessage\n\nrun([SystemMessage(content=SYSTEM)], model=get_llm())\n');
    assert.deepEqual(promptSends(readFileSync(file, 'utf8'), 'python', file).find((s) => s.name === 'SYSTEM')?.model, { name: 'claude-3-5-haiku-20241022', line: 5, how: 'call' });
    // Two returns naming two models: none.
    const other = write('app/other.py', 'from .llm import two\nfrom .prompts import OTHER\n\nchain(OTHER, model=two(True))\n');
    assert.equal(promptSends(readFileSync(other, 'utf8'), 'python', other).find((s) => s.name === 'OTHER')?.model, undefined);
    // The module not in the project (no such file): none, and nothing thrown.
    const missing = write('b/agent.py', 'from .nowhere import get_llm\nfrom .prompts import SYSTEM\n\nchain(SYSTEM, model=get_llm())\n');
    assert.equal(promptSends(readFileSync(missing, 'utf8'), 'python', missing).find((s) => s.name === 'SYSTEM')?.model, undefined);
  });
});
