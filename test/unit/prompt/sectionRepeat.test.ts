/**
 * A rule repeated in another section (break32, left33). Whether a repeat under another heading is redundant is the
 * author's call, and the annotations judge such repeats correct findings (Vercel ai-chatbot's "Wait for user feedback or
 * request to update it."), so the finding stays; but when the repeat is all its section holds, neither the quick fix nor
 * Compress removes it: the heading would stand over nothing. Real case: fabric's compare_and_contrast (danielmiessler/fabric
 * 272f04dd, MIT; test/fixtures/real-extra/SOURCES.md), whose `# STEPS` holds only "Compare and contrast the list of items".
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'real-extra');
const analyzer = new PromptAnalyzer();
const compressor = new PromptCompressor();
const repeats = (text: string) => analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition');

describe("a repeat that is its section's only rule (fabric compare_and_contrast)", () => {
  const text = readFileSync(join(FIXTURES, 'fabric_compare_and_contrast.md'), 'utf8');
  const line = 'Compare and contrast the list of items';
  const at = text.indexOf(`${line}\n`);

  it('is still reported, with no quick fix', () => {
    const found = repeats(text);
    assert.deepEqual(found.map((s) => [s.range?.start, s.range?.end, s.replacement, s.fix]), [[at, at + line.length, undefined, undefined]]);
  });

  it('stays under # Steps at medium', () => {
    const out = compressor.compress(text, { level: 'medium', language: 'en' }).text;
    assert.ok(out.includes(`# Steps\n\n${line}\n\n# Output instructions`), out);
  });

  it("break32's shape: the rule under ## Weather and again alone under ## Stocks", () => {
    const rule = '- If it can fully answer the user query without needing additional search, set skipSearch to true as well.';
    const shape = `## Weather\n${rule}\n\n## Stocks\n${rule}\n`;
    assert.deepEqual(repeats(shape).map((s) => [s.range?.start, s.replacement]), [[shape.lastIndexOf(rule), undefined]]);
    assert.equal(compressor.compress(shape, { level: 'medium', language: 'en' }).text.split('set skipSearch to true as well.').length - 1, 2);
  });

  it('near miss: a repeat beside another rule of its section keeps its quick fix, and Compress drops it', () => {
    const shape = '## Weather\n- Set it to true for questions about the weather in a city.\n\n## Stocks\n- Set it to true for questions about stock prices.\n- Set it to true for questions about the weather in a city.\n';
    const found = repeats(shape);
    const second = shape.lastIndexOf('- Set it to true for questions about the weather');
    assert.deepEqual(found.map((s) => [s.range?.start, s.replacement, s.fix]), [[second, '', { start: second, end: shape.length, replacement: '' }]]);
    assert.equal(compressor.compress(shape, { level: 'medium', language: 'en' }).text, '## Weather\n- Set it to true for questions about weather in a city.\n\n## Stocks\n- Set it to true for questions about stock prices.');
  });
});
