/**
 * The compressor's walks through planned deletions stay linear (break26): "please please …" made each deletion walk
 * back through every earlier one, with a search of the whole plan at each step (16 KB took 6 s, 32 KB 48 s). The work
 * is counted in steps, not timed.
 */
import * as assert from 'node:assert/strict';
import { walkWork } from '../../../src/engine/prompt/compressAgreement';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { segmentUnits } from '../../../src/shared/prompt/text';
import { RangeIndex } from '../../../src/shared/prompt/spans';

describe('compressor: linear walks through planned deletions (break26)', function () {
  this.timeout(60_000);
  const compressor = new PromptCompressor();

  it('a run of 4,000 deletions is crossed a bounded number of times, not once per earlier deletion', () => {
    const text = 'please '.repeat(4000);
    const before = walkWork.steps;
    compressor.compress(text, { level: 'aggressive', language: 'en' });
    const steps = walkWork.steps - before;
    // Each deletion is crossed by the walks a few times (remembered runs); walking back through all earlier ones is ~8 million.
    assert.ok(steps <= 8 * 4000, `${steps} steps`);
  });

  it('a courtesy clause after an instruction still goes with its "!" (the indexed plan gives the edits the list search gave)', () => {
    assert.equal(compressor.compress('Summarize the text, please! Keep it short.', { level: 'medium', language: 'en' }).text, 'Summarize the text. Keep it short.');
  });

  it('sentences are split within their paragraph: short lines separated by U+2028 are one sentence each', () => {
    const text = 'First line.\u2028Second line\u2028Third line. Fourth.';
    assert.deepEqual(segmentUnits(text, new RangeIndex([])).map((u) => u.text), ['First line.', 'Second line', 'Third line.', 'Fourth.']);
  });
});
