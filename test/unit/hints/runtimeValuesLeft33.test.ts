// left33 (break32's leftover): an f-string's `{{name}}` (decoded `{name}`) in an f-string that is returned, not sent
// straight to a chat API, stayed a field. When the f-string's text holds a brace that no `str.format` or LangChain
// template takes (a JSON example), no caller can format it, and `{name}` is text. Real case: deepeval's COPRO template
// (test/fixtures/hints-real/deepeval_copro_template.py, Apache-2.0; SOURCES.md). Oracle: CPython evaluating the returned
// f-string with its four values empty, counted with js-tiktoken o200k_base.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const source = readFileSync(path.join(root, 'test/fixtures/hints-real/deepeval_copro_template.py'), 'utf8');

describe("an f-string's {{name}} returned in a text that no formatter takes is text (left33)", function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string) => service.compute({ text, languageId: 'python', fileName: 'template.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it("deepeval COPROTemplate.generate_candidate: '(like {{input}})' is sent as {input}", async () => {
    const line = source.split('\n').findIndex((l) => l.includes('Your task is to rewrite a prompt based strictly')) + 1;
    const prompt = (await compute(source)).prompts.find((p) => p.location.range.start.line + 1 === line);
    assert.ok(prompt, 'the generate_candidate prompt');
    assert.deepEqual(prompt.runtimeValues, ['original_prompt', 'guideline', 'format_instruction', 'example_instruction']);
    // What CPython's f-string gives with original_prompt, guideline, format_instruction and example_instruction empty.
    const expected = [
      'You are an expert prompt engineer. Your task is to rewrite a prompt based strictly on a specific optimization guideline.',
      '',
      '[ORIGINAL PROMPT]',
      '',
      '',
      '[OPTIMIZATION GUIDELINE]',
      '',
      '',
      '[INSTRUCTIONS]',
      'Rewrite the [ORIGINAL PROMPT] applying the [OPTIMIZATION GUIDELINE]. ',
      '1. The new prompt must fulfill the core task of the original prompt.',
      '2. DO NOT wrap your revised_prompt in markdown blocks (like ```).',
      '3. If the original prompt uses variable placeholders (like {input}), you MUST retain them.',
      '',
      '**',
      'IMPORTANT: You must only return in JSON format matching the schema.',
      '"revised_prompt" format: ',
      '',
      'Example JSON:',
      '{',
      '    "thought_process": "The guideline asks to make the prompt more concise. I will remove the introductory pleasantries and state the objective directly.",',
      '    "revised_prompt": ',
      '}',
      '**',
      '',
      'JSON:',
      '',
    ].join('\n');
    assert.equal(prompt.cost.tokens.count, count(expected));
  });

  it('near miss: a returned f-string with no stray brace keeps {name} as a field (a caller may format it)', async () => {
    const text = 'def run(user, topic):\n    prompt = f"""You are a data assistant for {user} on {topic}.\nKeep the keys {{name}} and {{topic}} exactly, and never add {{extra}} keys."""\n    return prompt\n';
    const [prompt] = (await compute(text)).prompts;
    assert.ok(prompt);
    assert.deepEqual(prompt.runtimeValues, ['user', 'topic', 'name', 'extra']);
  });

  it('near miss: the same f-string handed to PromptTemplate.from_template keeps its fields', async () => {
    const text = 'from langchain_core.prompts import PromptTemplate\n\n\ndef run(user):\n    return PromptTemplate.from_template(f"""Answer {user} in JSON like {{"name": "..."}} with the key {{name}}.""")\n';
    const [prompt] = (await compute(text)).prompts;
    assert.ok(prompt);
    assert.deepEqual(prompt.runtimeValues, ['user', 'name']);
  });
});
