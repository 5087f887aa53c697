/**
 * `changedRange` compares blocks natively before comparing characters; the oracle is the
 * character loop it replaced, on random edits of random and real texts (block boundaries,
 * edits at either end, texts shorter than a block, repeated text where prefix and suffix compete).
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as fc from 'fast-check';
import { changedRange } from '../../../../src/shared/prompt/scanner/textDiff';

function oracle(old: string, text: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(old.length, text.length);
  let start = 0;
  while (start < max && old.charCodeAt(start) === text.charCodeAt(start)) start++;
  let suffix = 0;
  while (suffix < max - start && old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)) suffix++;
  return { start, oldEnd: old.length - suffix, newEnd: text.length - suffix };
}

const REAL = readFileSync(resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan', 'python', 'gpt_engineer_steps.py'), 'utf8');

describe('changedRange equals the character-by-character comparison', () => {
  it('on random edits of random, repetitive and real texts (500 runs, seeded)', () => {
    const base = fc.oneof(fc.string({ maxLength: 2000 }), fc.constantFrom(REAL, 'ab'.repeat(700), 'x'.repeat(1025), ''));
    fc.assert(
      fc.property(base, fc.nat(), fc.nat(600), fc.string({ maxLength: 300 }), (text, at, cut, inserted) => {
        const from = text.length === 0 ? 0 : at % (text.length + 1);
        const edited = text.slice(0, from) + inserted + text.slice(from + cut);
        assert.deepEqual(changedRange(text, edited), oracle(text, edited));
        assert.deepEqual(changedRange(edited, text), oracle(edited, text));
      }),
      { seed: 3, numRuns: 500 },
    );
  });

  it('on identical texts and on texts that only grow at an end', () => {
    for (const [a, b] of [
      [REAL, REAL],
      [REAL, `${REAL}x`],
      [REAL, `x${REAL}`],
      ['', REAL],
    ]) {
      assert.deepEqual(changedRange(a, b), oracle(a, b));
    }
  });
});
