// Session 38 (fix38), newuser37's finding 7: "No output format stated" (Analyze Prompt) on prompts whose call sends a
// JSON schema (node-DeepResearch's tools: `generator.generateObject({ model, schema, system: prompt.system, … })`). The
// schema states the format: structuredOutputOf says how, and the analyzer then reports no missing format.
// Real files: jina-ai/node-DeepResearch 579fd95f (Apache-2.0, test/fixtures/node-deepresearch/SOURCES.md), langchain-ai/open-canvas
// 0310cecd (MIT, test/fixtures/open-canvas/SOURCES.md), assafelovic/gpt-researcher 5d84d2f5 (Apache-2.0, test/fixtures/hints-real/SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { structuredOutputOf } from '../../../src/shared/prompt/scanner/structuredOutput';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures');
const fixture = (rel: string): string => readFileSync(join(FIXTURES, rel), 'utf8');

/** Each prompt of a file as `line kind → how its call states a schema`. */
function sends(rel: string, fileName: string): string[] {
  const src = fixture(rel);
  return findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} → ${structuredOutputOf(src, undefined, fileName, p.range.start.offset, p.boundName) ?? 'none'}`);
}

describe('structuredOutputOf: the call that sends a prompt states an output schema (fix38)', () => {
  it('node-DeepResearch error-analyzer.ts: `const prompt = getPrompt(…)` then `generateObject({ schema, system: prompt.system, prompt: prompt.user })`', () => {
    assert.deepEqual(sends('node-deepresearch/error-analyzer.ts.txt', 'error-analyzer.ts'), ['9 system → `schema` of generator.generateObject']);
  });

  it('node-DeepResearch reducer.ts: sent with generateText, no schema: nothing is said', () => {
    assert.deepEqual(sends('node-deepresearch/reducer.ts.txt', 'reducer.ts'), ['12 system → none', '50 user → none']);
  });

  it('node-DeepResearch agent.ts: the system prompt list joined in `getPrompt`\'s return, destructured (`const { system } = getPrompt(…)`) and sent with `schema`', () => {
    const lines = sends('node-deepresearch/agent.ts.txt', 'agent.ts');
    assert.ok(lines.includes('127 system → `schema` of generator.generateObject'), JSON.stringify(lines));
    // The user message built by composeMsgs goes through a list of messages: not followed, nothing said.
    assert.ok(lines.includes('89 template → none'), JSON.stringify(lines));
  });

  it('open-canvas classify-message.ts: `model = new ChatAnthropic(…).withStructuredOutput(schema)`, `model.invoke([["user", CLASSIFIER_PROMPT.replace(…)]])`', () => {
    const lines = sends('open-canvas/classify-message.ts.txt', 'classify-message.ts');
    assert.equal(lines[0], '5 system → withStructuredOutput(…)');
  });

  it('gpt-researcher editor.py: `prompt = self._create_planning_prompt(…)` sent by `call_model(prompt=prompt, response_format="json")`', () => {
    const lines = sends('hints-real/gptr_editor.py', 'editor.py');
    assert.equal(lines[0], '85 system → `response_format` of call_model');
  });

  it('the analyzer reports no missing output format when the call states a schema, and still does without one', () => {
    const src = fixture('node-deepresearch/error-analyzer.ts.txt');
    const [system] = findPrompts(src, undefined, { fileName: 'error-analyzer.ts' });
    assert.ok(system);
    const text = system.text;
    const analyzer = new PromptAnalyzer();
    const kinds = (outputSchema?: string) => analyzer.analyze(text, { model: 'gpt-4o', ...(outputSchema ? { outputSchema } : {}) }).optimizationSuggestions.map((s) => s.kind);
    // Before (and without the schema): the panel said "No output format stated" on this prompt (newuser37's finding 7).
    assert.ok(kinds().includes('missingOutputFormat'));
    assert.ok(!kinds('`schema` of generator.generateObject').includes('missingOutputFormat'));
    assert.equal(analyzer.analyze(text, { outputSchema: 'x' }).features?.hasOutputFormat, true);
    assert.ok(!analyzer.suggestions(text, { outputSchema: 'x' }).some((s) => s.kind === 'missingOutputFormat'));
  });

  it('near misses: a schema call that sends another prompt, a literal only logged', () => {
    const src = [
      "import { generateObject, generateText } from 'ai';",
      'const SUMMARY = `Summarize the article in three sentences for a newsletter reader.`;',
      'const EXTRACT = `Extract the people and places that the article names.`;',
      'export async function run(model, article, schema) {',
      '  const a = await generateText({ model, system: SUMMARY, prompt: article });',
      '  const b = await generateObject({ model, schema, system: EXTRACT, prompt: article });',
      '  return [a, b];',
      '}',
    ].join('\n');
    const of = (name: string) => structuredOutputOf(src, 'typescript', 'run.ts', src.indexOf(name === 'SUMMARY' ? '`Summarize' : '`Extract'), name);
    assert.equal(of('SUMMARY'), undefined);
    assert.equal(of('EXTRACT'), '`schema` of generateObject');
  });

  it('break38: `tool_choice: "auto"` beside tools and JSON mode without a schema state no output format (e2b-cookbook openai-js app.ts, DocsGPT research_agent.py)', () => {
    // e2b-dev/e2b-cookbook a6f55123 (ISC, test/fixtures/e2b-cookbook/SOURCES.md): the data-science agent's system prompt and
    // its tool are sent by `client.chat.completions.create({ …, tools, tool_choice: 'auto' })`; the model answers in free text.
    // Before: all three said "`tool_choice` of client.chat.completions.create" and the panel dropped "No output format stated".
    assert.deepEqual(sends('e2b-cookbook/openai-js-app.ts.txt', 'app.ts'), ['14 system → none', '45 tool → none', '51 tool → none']);
    // DocsGPT's clarification prompt goes out with `response_format={"type": "json_object"}` (JSON mode: no schema; the
    // prompt itself must give the shape). Before: its synthesis message at 668 took that call's `response_format`.
    const docs = sends('scan/python/docsgpt_research_agent.py', 'research_agent.py');
    assert.ok(!docs.some((l) => l.includes('response_format')), JSON.stringify(docs));
    const call = (args: string) => structuredOutputOf(`const P = \`Classify the ticket by urgency.\`;\nclient.chat.completions.create({ model, messages: [{ role: 'system', content: P }], ${args} });\n`, 'typescript', 'c.ts', 10, 'P');
    assert.equal(call("response_format: { type: 'text' }"), undefined);
    assert.equal(call('tools, tool_choice: { type: "none" }'), undefined);
    // A schema, a forced tool: still a schema.
    assert.equal(call("response_format: { type: 'json_schema', json_schema: schema }"), '`response_format` of client.chat.completions.create');
    assert.equal(call("response_format: { type: 'json_object', schema: jsonSchema }"), '`response_format` of client.chat.completions.create');
    assert.equal(call("tools, tool_choice: { type: 'tool', name: 'classify' }"), '`tool_choice` of client.chat.completions.create');
    assert.equal(call("tools, tool_choice: 'required'"), '`tool_choice` of client.chat.completions.create');
  });

  it('break38: a name bound in one method is sent by that method only (two methods each build `messages`)', () => {
    const src = [
      'class Agent:',
      '    def classify(self, text):',
      '        messages = [{"role": "system", "content": "You label support tickets by urgency and product area."}, {"role": "user", "content": text}]',
      '        return self.client.beta.chat.completions.parse(model="gpt-4o", messages=messages, response_format=Verdict)',
      '',
      '    def summarize(self, text):',
      '        messages = [{"role": "system", "content": "You summarize support tickets for the on-call engineer in plain sentences."}, {"role": "user", "content": text}]',
      '        return self.client.chat.completions.create(model="gpt-4o", messages=messages)',
      '',
    ].join('\n');
    const of = (words: string) => structuredOutputOf(src, 'python', 'agent.py', src.indexOf(words) - 1, 'messages');
    assert.equal(of('You label'), '`response_format` of self.client.beta.chat.completions.parse');
    // Before: the summary prompt took the other method's `response_format`.
    assert.equal(of('You summarize'), undefined);
    // A module constant is sent from any function.
    const constant = 'SYSTEM = "You label support tickets by urgency."\ndef classify(text):\n    return client.beta.chat.completions.parse(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}], response_format=Verdict)\n';
    assert.equal(structuredOutputOf(constant, 'python', 'c.py', 9, 'SYSTEM'), '`response_format` of client.beta.chat.completions.parse');
  });
});

