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
