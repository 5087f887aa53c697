// newuser44 ran the extension on Mintplex-Labs/anything-llm (MIT, commit 72aabbd15481ae405434efd4c83d46026eef1173),
// its server/ folder (test/fixtures/hints-real/SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('anything-llm server (newuser44)', () => {
  it("the end user's id of an OpenAI request (`user: `user_${user.id}``) is no user prompt", () => {
    // server/utils/AiProviders/openRouter/index.js: `this.openai.chat.completions.create({ model, messages, temperature,
    // include_reasoning: true, user: user?.id ? `user_${user.id}` : "" })`, twice. OpenAI's `user` parameter is a stable
    // identifier of the app's end user (for abuse monitoring), never sent to the model as text. Before: two user prompts
    // "user_${user.id}", priced as openrouter/auto.
    const src = fixture('anythingllm_openrouter.js');
    const found = findPrompts(src, 'javascript', { fileName: 'index.js' });
    assert.deepEqual(found.filter((p) => p.text.startsWith('user_')).map((p) => p.text), []);
    // The system prompt the file builds from runtime values is still found.
    assert.equal(found.filter((p) => p.kind === 'system').length, 1);
  });

  it('a `user` key of a message-building helper or of a messages list still counts', () => {
    const src = [
      'import OpenAI from "openai";',
      'const client = new OpenAI();',
      'await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Summarize the report in three bullet points." }], user: "user-1234" });',
      'await llm.invoke({ user: "Summarize the report in three bullet points." });',
    ].join('\n');
    const found = findPrompts(src, 'typescript', { fileName: 'a.ts' });
    assert.deepEqual(found.map((p) => p.text), ['Summarize the report in three bullet points.', 'Summarize the report in three bullet points.']);
  });

  it("an OpenAPI document's paths are a web API's documentation, not tool prompts", () => {
    // server/swagger/openapi.json (an excerpt of 4 of its 60 paths): every `description` of an endpoint, its request body
    // and its parameters was a "tool" prompt (162 in the whole file), and the example request body of
    // /v1/openai/chat/completions gave a system prompt and three few-shot turns priced for "sample-workspace".
    const src = fixture('anythingllm_openapi.json');
    const found = findPrompts(src, 'json', { fileName: 'openapi.json' });
    assert.deepEqual(found.map((p) => `${p.boundName}: ${p.text.slice(0, 30)}`), []);
  });

  it('a tool schema under a key named paths is still a tool schema', () => {
    const src = JSON.stringify({ paths: { tools: [{ type: 'function', function: { name: 'search', description: 'Search the web for recent news articles.', parameters: { type: 'object', properties: { q: { type: 'string', description: 'The search query to run.' } } } } }] } }, null, 2);
    const found = findPrompts(src, 'json', { fileName: 'tools.json' });
    assert.deepEqual(found.map((p) => p.text), ['Search the web for recent news articles.', 'The search query to run.']);
  });

  it("the descriptions of a table's entries (key, value, description) are no prompts, whatever the table is named", () => {
    // server/models/systemPromptVariables.js: `const SystemPromptVariables = { DEFAULT_VARIABLES: [{ key: "time", value: () => …,
    // description: "Current time", type: "system", multiUserRequired: false }, …] }`, the variables a user may put in a
    // system prompt, each described for the settings page. Before: 8 system prompts ("Current time (24-hour format)",
    // "Current user's ID"…), found only for the word Prompt in the table's name.
    const src = fixture('anythingllm_system_prompt_variables.js');
    assert.deepEqual(findPrompts(src, 'javascript', { fileName: 'systemPromptVariables.js' }).map((p) => p.text), []);
  });

  it("a web route's error message is no system prompt though it opens with \"You are\"", () => {
    // server/endpoints/api/document/index.js line 545: `response.status(422).json({ success: false, error: `You are missing
    // required metadata key:value pairs in your request. …` })`. Before: a system prompt, on its shape alone.
    const src = fixture('anythingllm_document_endpoints.js');
    assert.deepEqual(findPrompts(src, 'javascript', { fileName: 'index.js' }).map((p) => p.text.slice(0, 30)), []);
  });

  it('a prompt under a key of such an entry, or an error key of an LLM call, still counts', () => {
    const src = [
      'const PROMPTS = [{ key: "summary", description: "Summarize the following document in three short bullet points for an executive reader." }];',
      'const SYSTEM_PROMPT = "You are a careful assistant. When a tool returns an error, explain it to the user in one sentence.";',
    ].join('\n');
    assert.deepEqual(findPrompts(src, 'javascript', { fileName: 'a.js' }).map((p) => p.text.slice(0, 20)), ['Summarize the follow', 'You are a careful as']);
  });
});
