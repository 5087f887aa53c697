/**
 * newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a6d7948a0d8851c12a5fbdbeb49fed862), graphiti_core/prompts/
 * extract_nodes.py, _entity_episode_summary_system_prompt (953 tokens): Compress (medium), and Distill Prompt at the
 * budget it proposed (667), turned "A single mention can support a fact, but not a trend, habit, or preference unless the
 * text states that directly." into "… unless the text states directly.": the short form "states that" → "states" took
 * the verb's object for a conjunction. The sentence is the prompt's own (lines 575-576, joined by its `\` line break).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

describe('graphiti entity summary prompt: a short form keeps the object it would drop (newuser36)', () => {
  const compressor = new PromptCompressor();
  const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;

  it('"unless the text states that directly." keeps "that" (the object of "states")', () => {
    const sentence = 'A single mention can support a fact, but not a trend, habit, or preference unless the text states that directly.';
    // Before: '… unless the text states directly.'
    assert.equal(medium(sentence), sentence);
    assert.equal(medium('If the user says that again, stop\nand ask.'), 'If the user says that again, stop\nand ask.');
  });

  it('near misses: a clause after the conjunction still loses it; "and/or" still becomes "or"; a name after "section called"', () => {
    assert.equal(medium('Only claim a habit when the text states that it happens every week.'), 'Only claim a habit when the text states it happens every week.');
    assert.equal(medium('Check that everything works.'), 'Check everything works.');
    assert.equal(medium('Return the name and/or email.'), 'Return the name or email.');
    // fabric's "in a section called SUMMARY." (a name after it): "called" still goes.
    assert.equal(medium('Output the summary in a section called SUMMARY.'), 'Output the summary in section SUMMARY.');
  });
});
