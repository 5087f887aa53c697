// What the scanner got wrong in the held-out round 12 of the scan corpus (session 37, helper scan37: arc53/DocsGPT,
// Cinnamon/kotaemon, langchain-ai/open-swe, openai/evals, microsoft/RD-Agent, topoteretes/cognee, RooCodeInc/Roo-Code,
// langchain-ai/social-media-agent). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file read by
// hand (annotations.json). Each rule has a near miss beside it that must stay as it was.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 12 and the rules it asked for (session 37)', () => {
  it("kotaemon: the docstring of a class whose JSON schema the file writes into a function's description is the tool's description", () => {
    assert.deepEqual(found('python/kotaemon_decompose_question.py'), [
      [14, 14, 'tool'],
      [18, 18, 'tool'],
      [34, 41, 'system'],
    ]);
    // The schema given whole as a tool's parameters carries the docstring too.
    const inline = [
      'from openai import OpenAI',
      'from pydantic import BaseModel, Field',
      '',
      'class Weather(BaseModel):',
      '    """Look up the current weather of one city before answering a question about it."""',
      '    city: str',
      '',
      'tools = [{"type": "function", "function": {"name": "weather", "parameters": Weather.model_json_schema()}}]',
    ].join('\n');
    assert.deepEqual(foundIn(inline, 'weather.py'), [[5, 5, 'tool']]);
    // A JSON schema dumped to a file, or whose properties alone are sent, leaves the docstring documentation.
    const near = [
      'import json',
      'from pydantic import BaseModel',
      '',
      'class Report(BaseModel):',
      '    """The report the nightly job writes for the operators, one per project and per day."""',
      '    title: str',
      '',
      'class Filter(BaseModel):',
      '    """Narrow the search to the documents of one project, written after a date given by the user."""',
      '    project: str',
      '',
      'schema = Filter.model_json_schema()',
      'function = {"name": "filter", "parameters": schema["properties"]}',
      'with open("report.schema.json", "w") as f:',
      '    json.dump(Report.model_json_schema(), f)',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'schemas.py'), []);
  });

  it('RD-Agent: a label over a value fenced as code is a labelled value, not a template', () => {
    assert.deepEqual(found('yaml/rdagent_context7_prompts.yaml'), [
      [3, 5, 'system'],
      [7, 50, 'user'],
      [52, 53, 'user'],
    ]);
    // Text of its own beside the fenced value, or one label over a value that is not fenced, stays a template.
    const near = [
      'system_prompt: |-',
      '  You are a careful reviewer of Python code written by data scientists.',
      'review_template: |-',
      '  Review the code below and list the bugs you find, most severe first.',
      '  ```python',
      '  {{code}}',
      '  ```',
      'question_template: |-',
      '  Question: {{question}}',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'prompts.yaml'), [
      [1, 2, 'system'],
      [3, 7, 'template'],
      [8, 9, 'user'],
    ]);
  });

  // break37: the whole instruction is the label, over a fenced value (a review bot's user message): found before round 12,
  // then no prompt (labelled runtime values).
  it('a label that asks for the work over a fenced value is a prompt: "Review this code:" (was none)', () => {
    const src = [
      'from openai import OpenAI',
      '',
      'client = OpenAI()',
      '',
      '',
      'def review(code: str) -> str:',
      '    prompt = f"Review this code:\\n```python\\n{code}\\n```"',
      '    response = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
      '    return response.choices[0].message.content',
      '',
      '',
      'def context(code: str) -> str:',
      '    return f"CURRENT CODE CONTEXT:\\n```python\\n{code}\\n```"',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'review.py'), [[7, 7, 'user']]);
    const ts = [
      'import OpenAI from "openai";',
      'const client = new OpenAI();',
      'export async function review(code: string) {',
      '  const prompt = `Summarize this diff:\\n\\`\\`\\`diff\\n${code}\\n\\`\\`\\``;',
      '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: prompt }] });',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(ts, 'review.ts'), [[4, 4, 'user']]);
    // Portuguese and Spanish labels that ask for the work too (break37's left 5); a label naming the value stays none.
    const labelled = (label: string) => src.replace('Review this code:', label);
    assert.deepEqual(foundIn(labelled('Revise este código:'), 'revisao.py'), [[7, 7, 'user']]);
    assert.deepEqual(foundIn(labelled('Revisa este código:'), 'revision.py'), [[7, 7, 'user']]);
    // A label with letters beyond ASCII is a label too (it was no label, so found as a prompt).
    assert.deepEqual(foundIn(labelled('CÓDIGO ATUAL:'), 'atual.py'), []);
    assert.deepEqual(foundIn(labelled('Da função:'), 'funcao.py'), []);
  });

  it('social-media-agent: markup tags around runtime values are not a prompt', () => {
    assert.deepEqual(found('ts/sma_reflect_tweet_groups.ts'), [
      [6, 26, 'system'],
      [100, 103, 'user'],
    ]);
    // Tags around an instruction keep it a prompt.
    const near = [
      'import { ChatOpenAI } from "@langchain/openai";',
      'function formatContext(docs: string[]): string {',
      '  return `<documents>\\n${docs.map((d, i) => { return `<doc index="${i}">${d}</doc>`; }).join("\\n")}\\n</documents>`;',
      '}',
      'function formatPrompt(docs: string[]): string {',
      '  return `<instructions>Answer only from the documents below, and say so when they do not hold the answer.</instructions>\\n${formatContext(docs)}`;',
      '}',
      'const model = new ChatOpenAI({ model: "gpt-4o" });',
      'export const answer = (docs: string[]) => model.invoke([["system", formatPrompt(docs)]]);',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'answer.ts'), [[6, 6, 'template']]);
  });
});
