// sentenceWords leaves out arrays and objects of quoted strings (example data) with a regular expression that scanned to
// the end of the text from every "[" or "{" of a run with no closer after it: a prompt holding 40,000 "{" and one quote
// took 18 s in the analyzer's suggestions (break34; `node` on the analyzer, not timed here). withoutQuotedData does the
// same in one pass; the property test checks it against the expression on generated texts made of the characters
// that matter.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { sentenceWords, withoutQuotedData } from '../../../src/shared/prompt/analyzer';
import type { TextUnit } from '../../../src/shared/prompt/text';

const byExpression = (text: string): string => text.replace(/\[[^\]]*"[^\]]*\]|\{[^}]*"[^}]*\}/g, ' ');

describe('withoutQuotedData: example data left out of a sentence, in linear time', () => {
  it('the cases of the rule: arrays and objects of quoted strings go, nested ones up to their first closer', () => {
    assert.equal(withoutQuotedData('- Retrieved facts: ["Name is John"] and more'), '- Retrieved facts:   and more');
    assert.equal(withoutQuotedData('Return {"a": {"b": "c"}} now'), 'Return  } now');
    assert.equal(withoutQuotedData('Keep [1, 2] and {x} but not ["y"]'), 'Keep [1, 2] and {x} but not  ');
    assert.equal(withoutQuotedData('An unclosed ["quote and {"brace'), 'An unclosed ["quote and {"brace');
    assert.equal(withoutQuotedData('no quotes [at] {all}'), 'no quotes [at] {all}');
  });

  it('equals the regular expression on generated texts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('[', ']', '{', '}', '"', 'a', ' ', 'b'), { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        assert.equal(withoutQuotedData(text), byExpression(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('a run of 40,000 "{" with one quote: every word of the sentence is counted', () => {
    const text = `Answer the question "now" ${'{'.repeat(40_000)} and stop.`;
    const unit: TextUnit = { text, start: 0, end: text.length, kind: 'sentence' };
    assert.equal(sentenceWords(unit), 6);
  });
});
