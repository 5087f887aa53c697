/**
 * newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a6d7948a0d8851c12a5fbdbeb49fed862), graphiti_core/prompts/
 * extract_nodes.py, _entity_episode_summary_system_prompt (953 tokens): Compress (medium), and Distill Prompt at the
 * budget it proposed (667), turned "A single mention can support a fact, but not a trend, habit, or preference unless the
 * text states that directly." into "… unless the text states directly.": the short form "states that" → "states" took
 * the verb's object for a conjunction. The sentence is the prompt's own (lines 575-576, joined by its `\` line break).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

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

// graphiti extract_nodes.py:443-452 (the attribute-extraction prompt's examples): "Extra whitespace." on `BAD  →`, whose
// second space lines its arrow up with `GOOD →` on the line above. The lines are the prompt's own.
describe('graphiti attribute examples: spaces that align a mark with the line above are layout (newuser36)', () => {
  const analyzer = new PromptAnalyzer();
  const whitespace = (text: string) =>
    analyzer
      .analyze(text)
      .optimizationSuggestions.filter((s) => s.kind === 'whitespace' && s.range)
      .map((s) => `${text.slice(0, s.range?.start).split('\n').length}:${JSON.stringify(text.slice(s.range?.start, s.range?.end))}`);
  const examples = [
    'ENTITY: {"name": "Priya"}',
    'MESSAGES contain no phone for Priya, but discuss a project she contributed to.',
    'GOOD → "phones": null',
    'BAD  → "phones": "Worked with Lin and Marco on the Q3 launch..."   (off-topic content dump)',
  ].join('\n');

  it('BAD  → under GOOD →: no finding; the run before the comment on the same line is still one', () => {
    // Before: ['4:"  "', '4:"   "'].
    assert.deepEqual(whitespace(examples), ['4:"   "']);
  });

  it('near misses: a double space before a word, and one that every line has after its number, are still findings', () => {
    assert.deepEqual(whitespace('You are a  scraper and you have just failed.\nYou are a scraper, so try again.'), ['1:"  "']);
    assert.deepEqual(whitespace('1.  **Scan:** look at the image.\n2.  **Read:** read the text.'), ['1:"  "', '2:"  "']);
  });
});
