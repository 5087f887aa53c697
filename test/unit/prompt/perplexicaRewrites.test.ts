/**
 * Perplexica's prompts (ItzCrazyKns/Perplexica, MIT; test/fixtures/perplexica, SOURCES.md) in the editor of a new
 * user (session 32, newuser32): the quick fixes and Compress broke or emptied what the prompt says. Expected texts
 * are written by hand.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { PromptDistiller, distillUnits, roleIndex } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'perplexica');
/** The text of the file's first template literal. */
function literal(name: string): string {
  const src = readFileSync(join(FIXTURES, name), 'utf8');
  return src.slice(src.indexOf('`') + 1, src.indexOf('`', src.indexOf('`') + 1));
}
const analyzer = new PromptAnalyzer();
const compressor = new PromptCompressor();
const found = (text: string, kind: string): string[] => analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === kind).map((s) => text.slice(s.range?.start, s.range?.end));

describe('"a note that": a noun, not filler (suggestions/index.ts)', () => {
  // Line 3: "Keep a note that the user might use these suggestions …". Removing "note that" left "Keep a the user might …"
  // (the editor's quick fix and Compress at medium and aggressive).
  const SENTENCE = 'Keep a note that the user might use these suggestions to ask a chat model for more information.';

  it('the analyzer offers no removal of it in the real prompt', () => {
    const text = literal('suggestions.ts.txt');
    assert.ok(text.includes(SENTENCE));
    assert.deepEqual(found(text, 'filler'), []);
  });

  it('medium and aggressive keep it', () => {
    assert.equal(compressor.compress(SENTENCE, { level: 'medium', language: 'en' }).text, SENTENCE);
    // (Aggressive drops articles everywhere, "a" of "a note" too: the sentence still reads.)
    assert.equal(compressor.compress(SENTENCE, { level: 'aggressive', language: 'en' }).text, 'Keep note that user might use these suggestions to ask chat model for more information.');
  });

  it('after "make a" and "take" too; a leading "Note that" and "Please note that" still go', () => {
    assert.equal(compressor.compress('Make a note that the answer is short.', { level: 'medium', language: 'en' }).text, 'Make a note that the answer is short.');
    assert.equal(compressor.compress('Take note that the answer is short.', { level: 'medium', language: 'en' }).text, 'Take note that the answer is short.');
    assert.equal(compressor.compress('Note that the user might use these suggestions later.', { level: 'medium', language: 'en' }).text, 'The user might use these suggestions later.');
    assert.deepEqual(found('Please note that the answer is short.', 'filler'), ['Please note that']);
  });
});

describe('the same sub-item under two different items is no repeat (search/classifier.ts)', () => {
  // Items 5, 6 and 7 (showWeatherWidget, showStockWidget, showCalculationWidget) each end with "- If it can fully answer
  // the user query without needing additional search, set skipSearch to true as well." ("it": that widget). The quick
  // fix "Remove the repeated sentence" took the rule from the stock and the calculation widgets.
  const RULE = 'If it can fully answer the user query without needing additional search, set skipSearch to true as well.';

  it('the analyzer reports no repetition in the real prompt', () => {
    const text = literal('classifier.ts.txt');
    assert.equal(text.split(RULE).length - 1, 3);
    assert.deepEqual(found(text, 'repetition'), []);
  });

  it('medium keeps the rule under each of the three items', () => {
    const text = literal('classifier.ts.txt');
    const out = compressor.compress(text, { level: 'medium', language: 'en' }).text;
    assert.equal(out.split('set skipSearch to true as well.').length - 1, 3);
  });

  it('a sub-item said twice under the same item still repeats', () => {
    const text = [
      '1. Weather: show the weather card.',
      '   - Set it to true for questions about the weather in a city.',
      '   - Set it to true for questions about the weather in a city.',
      '2. Stock: show the stock card.',
      '   - Set it to true for questions about stock prices.',
    ].join('\n');
    const repeats = analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.deepEqual(repeats.map((s) => [s.range?.start, text.slice(s.range?.start, s.range?.end)]), [[text.lastIndexOf('- Set it to true for questions about the weather'), '- Set it to true for questions about the weather in a city.']]);
  });
});

describe('a section tagged <output_format> states the output format (search/classifier.ts)', () => {
  // Lines 56-71: "<output_format>\nYou must respond in the following JSON format …:\n{ … }\n</output_format>". The Analyze
  // panel said "No output format stated".
  it('the analyzer does not report it missing in the real prompt', () => {
    assert.deepEqual(found(literal('classifier.ts.txt'), 'missingOutputFormat'), []);
  });

  it('other tags do not count', () => {
    const text = '<context>\nThe user asks about the weather in Paris.\n</context>\nClassify the question.';
    assert.equal(found(text, 'missingOutputFormat').length, 1);
  });
});


describe('distill keeps a role written in the third person (classifier.ts, session 32)', () => {
  // newuser32: Distill to 600 tokens emptied the <role> section ("Assistant is an advanced AI system designed to analyze the
  // user query…"): the role phrases knew "You are…", "Act as…", not "Assistant is…".
  it('the role sentence stays and its section is not left empty', () => {
    const text = literal('classifier.ts.txt');
    const out = new PromptDistiller().distill(text, { maxTokens: 600, language: 'en' }).text;
    assert.match(out, /^<role>\nAssistant is an advanced AI system designed to analyze the user query and the conversation history to determine the most appropriate classification for the search operation\.\n/);
  });

  it(`"The assistant is…" opens a role too; "The assistant's answer is…" does not`, () => {
    const units = (t: string) => distillUnits(t, 'en');
    const pack = compiledPack('en');
    assert.equal(roleIndex(units('Summarize the text. The assistant is a careful editor.'), pack), 1);
    assert.equal(roleIndex(units("Summarize the text. The assistant's answer is short."), pack), -1);
  });
});

describe('"can fully answer": a degree the rule depends on (classifier.ts, session 32)', () => {
  // newuser32: medium turned "If it can fully answer the user query without needing additional search, set skipSearch to
  // true as well." (widgets 5-7) into "If it can answer …", a weaker condition.
  const SENTENCE = 'If it can fully answer the user query without needing additional search, set skipSearch to true as well.';

  it('the real prompt keeps it at medium, and the analyzer offers no removal', () => {
    const text = literal('classifier.ts.txt');
    assert.ok(text.includes(`   - ${SENTENCE}`));
    assert.equal(compressor.compress(SENTENCE, { level: 'medium', language: 'en' }).text, SENTENCE);
    assert.deepEqual(found(text, 'filler').filter((f) => /fully/i.test(f)), []);
  });

  it('"does not fully cover" keeps it too; an emphatic "read the code fully" still loses it', () => {
    assert.equal(compressor.compress('If the context does not fully cover the question, say so.', { level: 'medium', language: 'en' }).text, 'If the context does not fully cover the question, say so.');
    assert.equal(compressor.compress('Read the code fully and explain it.', { level: 'medium', language: 'en' }).text, 'Read the code and explain it.');
  });
});
