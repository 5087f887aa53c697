/**
 * A filler word that bounds the instruction where it stands (session 29): open_deep_research's compress-research
 * prompt (test/fixtures/scan/python/odr_prompts.py:191, langchain-ai/open_deep_research, MIT) says "The purpose of
 * this step is just to remove any obviously irrelevant or duplicative information." "just" after "is" means "only",
 * and "obviously" after "any" limits what may be removed (the step must keep everything else): medium compression
 * removed both ("…is to remove any irrelevant…"), and the editor offered to remove "obviously" (judged wrong in
 * diagnostics-annotations.json). Expected texts are written by hand.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const SENTENCE = 'The purpose of this step is just to remove any obviously irrelevant or duplicative information.';

describe('filler that bounds the instruction (restrictiveFiller)', () => {
  const compressor = new PromptCompressor();

  it('medium keeps "is just to" and "any obviously"', () => {
    assert.equal(compressor.compress(SENTENCE, { level: 'medium', language: 'en' }).text, SENTENCE);
  });

  it('the same words elsewhere are still filler: a sentence-initial "Just", "obviously" before a verb', () => {
    assert.equal(compressor.compress('Just remove the duplicates. It is obviously needed.', { level: 'medium', language: 'en' }).text, "Remove the duplicates. It's needed.");
  });

  it('the analyzer does not call them filler', () => {
    const found = new PromptAnalyzer().analyze(SENTENCE).optimizationSuggestions.filter((s) => s.kind === 'filler').map((s) => SENTENCE.slice(s.range?.start, s.range?.end));
    assert.deepEqual(found, []);
  });
});

/**
 * gpt-researcher's prompts (test/fixtures/hints-real/gptr_prompts.py lines 84, 102, 107; assafelovic/gpt-researcher,
 * Apache-2.0; newuser29): at aggressive "clearly" went everywhere, though it says how to structure the report
 * (clause-final manner adverb) or bounds what is filtered ("only clearly irrelevant", "unless clearly untrustworthy").
 * A leading "Clearly state" still loses it. Outputs read by hand (session 39: the aggressive level also drops the bullet
 * marker and the reader's "your").
 */
describe('aggressive keeps "clearly" where it says how or bounds the instruction', () => {
  const compressor = new PromptCompressor();
  const cases: Array<[string, string]> = [
    ['- You MUST NOT include a table of contents, but DO include proper markdown headers (# ## ###) to structure your report clearly.', 'You MUST NOT include table of contents, but DO include proper markdown headers (# ## ###) to structure report clearly.'],
    ['- Filtering out only clearly irrelevant or unusable content', 'Filtering out only clearly irrelevant or unusable content'],
    ['   - Credibility: Favor authoritative sources but retain others unless clearly untrustworthy.', '   Credibility: Favor authoritative sources but retain others unless clearly untrustworthy.'],
    ['Clearly state the answer.', 'State answer.'],
  ];
  for (const [input, expected] of cases) {
    it(JSON.stringify(input.trim().slice(0, 60)), () => {
      assert.equal(compressor.compress(input, { level: 'aggressive', language: 'en' }).text, expected);
    });
  }
});
