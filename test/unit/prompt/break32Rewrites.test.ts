// break32: near misses of newuser32's "a note that" fix (Perplexica's "Keep a note that the user might …"): a word that
// describes the note between the article and "note" ("a mental note that") made Compress and the filler quick fix
// remove "note that" again, leaving "Make a mental the answer is short.". Expected texts written by hand.
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const compressor = new PromptCompressor();
const analyzer = new PromptAnalyzer();
const fillers = (text: string): string[] => analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'filler' && s.range).map((s) => text.slice(s.range?.start, s.range?.end));

describe('"a mental note that": a described note is a noun too (break32)', () => {
  for (const sentence of ['Make a mental note that the answer is short.', 'Keep a quick note that the user might ask again.', 'Add a short note that the data may be stale.', 'Take careful note that the answer is short.']) {
    it(sentence, () => {
      assert.deepEqual(fillers(sentence), []);
      assert.equal(compressor.compress(sentence, { level: 'medium', language: 'en' }).text, sentence);
    });
  }

  it('near misses: after "and", "then" or "please" the imperative "note that" still goes', () => {
    assert.equal(compressor.compress('Read the text and note that the dates are in UTC.', { level: 'medium', language: 'en' }).text, 'Read the text and the dates are in UTC.');
    assert.equal(compressor.compress('Answer the question, then note that sources may be old.', { level: 'medium', language: 'en' }).text, 'Answer the question, then sources may be old.');
    assert.deepEqual(fillers('Also note that the answer is short.'), ['note that']);
  });
});
