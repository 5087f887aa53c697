// breakidx37 (session 37): hostile answers to the cost commands' number questions (src/extension/cost/numberAnswer.ts).
// Before, the question took what `Number` takes: `1e308` input tokens (past the engine's 10,000,000) passed and the
// estimate failed only after the last question, `0x10` was 16, and `1,000` was "Enter a number.".
import * as assert from 'node:assert/strict';
import { readNumberAnswer } from '../../../src/extension/cost/numberAnswer';
import { MAX_DAYS, MAX_QUERIES_PER_DAY, MAX_TOKENS_PER_REQUEST } from '../../../src/protocol/cost';

describe('cost commands: a number typed in answer (breakidx37)', () => {
  const tokens = { min: 0, max: MAX_TOKENS_PER_REQUEST };
  it('decimal numbers, spaces around, an exponent; -0 is 0', () => {
    assert.deepEqual(readNumberAnswer(' 12 ', tokens), { value: 12 });
    assert.deepEqual(readNumberAnswer('1e3', tokens), { value: 1000 });
    assert.deepEqual(readNumberAnswer('.5', tokens), { value: 0.5 });
    assert.deepEqual(readNumberAnswer('12.', tokens), { value: 12 });
    assert.deepEqual(readNumberAnswer('+7', tokens), { value: 7 });
    const zero = readNumberAnswer('-0', tokens);
    assert.ok('value' in zero && Object.is(zero.value, 0), JSON.stringify(zero));
  });
  it('past the range the engine takes: refused with its bound (1e308 tokens, 1e9 queries a day, 3651 days)', () => {
    assert.deepEqual(readNumberAnswer('1e308', tokens), { problem: 'above', max: 10_000_000 });
    assert.deepEqual(readNumberAnswer('10000001', tokens), { problem: 'above', max: 10_000_000 });
    assert.deepEqual(readNumberAnswer('10000000', tokens), { value: 10_000_000 });
    assert.deepEqual(readNumberAnswer('1e9', { min: 0, max: MAX_QUERIES_PER_DAY }), { problem: 'above', max: 100_000_000 });
    assert.deepEqual(readNumberAnswer('3651', { min: 0, max: MAX_DAYS }), { problem: 'above', max: 3650 });
    assert.deepEqual(readNumberAnswer('-1', tokens), { problem: 'below', min: 0 });
    assert.deepEqual(readNumberAnswer('-1e-9', tokens), { problem: 'below', min: 0 });
  });
  it('not a decimal number: Infinity, 1e999, hex, binary, octal, empty, words', () => {
    for (const text of ['Infinity', '-Infinity', '1e999', '0x10', '0b11', '0o7', '', '   ', 'NaN', 'ten', '1e', '--1', '1..2']) {
      assert.deepEqual(readNumberAnswer(text, tokens), { problem: 'notNumber' }, text);
    }
  });
  it('with separators (1,000, 1 000 000, 0,5): refused as such, not read as another number', () => {
    for (const text of ['1,000', '1,000,000', '1 000 000', '0,5', '1,000.5', '12\u00a0000']) {
      assert.deepEqual(readNumberAnswer(text, tokens), { problem: 'separators' }, text);
    }
  });
});
