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

describe('an output-format section with a hyphen or attributes states the output format (break32)', () => {
  const missing = (text: string): number => analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'missingOutputFormat').length;
  const body = '\n{ "type": "web", "standalone_query": "..." }\n';
  it('<response-format>, <output_format type="json">, <output-schema>', () => {
    for (const open of ['<response-format>', '<output_format type="json">', '<output-schema>']) {
      assert.equal(missing(`Classify the user question for the search step.\n${open}${body}</${open.slice(1, -1).split(' ')[0]}>`), 0, open);
    }
  });
  it('near misses: <output>, <formatting>, a tag name that only starts alike', () => {
    for (const open of ['<output>', '<formatting>', '<output_formatter_notes>']) {
      assert.equal(missing(`Classify the user question for the search step.\n${open}\nThe user asks about the weather in Paris.\n</${open.slice(1, -1)}>`), 1, open);
    }
  });
});
