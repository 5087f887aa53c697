// "rather" at a clause's edge, before its verb, means "instead": no filler diagnostic there (newuser46, on smolagents'
// code agent prompt, test/fixtures/hints-real/smolagents_code_agent.yaml, Apache-2.0, SOURCES.md). The intensifier
// ("rather long") is still one.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const root = path.resolve(__dirname, '../../../..');
const analyzer = new PromptAnalyzer();
const fillers = (text: string): string[] => analyzer.suggestions(text, { model: 'gpt-4o' }).filter((s) => s.kind === 'filler' && s.range).map((s) => text.slice(s.range?.start, s.range?.end));

describe('filler: "rather" meaning "instead" (newuser46)', () => {
  it('is kept at a clause edge before a verb, and flagged as an intensifier', () => {
    const sentence = 'so do not have another tool call that depends on its output in the same block: rather output results with print() to use them in the next block.';
    assert.ok(readFileSync(path.join(root, 'test/fixtures/hints-real/smolagents_code_agent.yaml'), 'utf8').includes(sentence));
    assert.deepEqual(fillers(sentence), []);
    assert.deepEqual(fillers('Do not guess the missing values, but rather ask the user for them.'), []);
    assert.deepEqual(fillers('The answer is rather long and you should shorten it.'), ['rather']);
  });
});
