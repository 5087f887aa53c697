/**
 * break39: a prompt composed of many pieces (an f-string interpolating 300 module constants) is composed in work linear
 * in its pieces. Counted in steps (`composeWork`: pieces whose placeholders were read), never timed.
 */
import * as assert from 'node:assert/strict';
import { composePrompt, composeWork } from '../../../src/shared/hints/composed';
import { findPrompts } from '../../../src/shared/prompt/scanner';

describe('break39: a composed prompt of 300 pieces', () => {
  it('is composed with each piece in place, reading each piece once', () => {
    const n = 300;
    const rule = (i: number): string => `Rule ${i}: always answer politely and briefly.`;
    const src = [
      'from openai import OpenAI',
      ...Array.from({ length: n }, (_, i) => `P${i} = "${rule(i)}"`),
      'SYSTEM = f"""You are a helpful assistant.',
      ...Array.from({ length: n }, (_, i) => `{P${i}}`),
      '"""',
      'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])',
      '',
    ].join('\n');
    const system = findPrompts(src, 'python').find((p) => p.boundName === 'SYSTEM');
    assert.ok(system);
    assert.equal(system.pieces?.length, n + 1);
    const before = composeWork.steps;
    const composed = composePrompt(system, src);
    const steps = composeWork.steps - before;
    assert.equal(composed.counted, `You are a helpful assistant.\n${Array.from({ length: n }, (_, i) => `${rule(i)}\n`).join('')}`);
    assert.deepEqual(composed.runtimeValues, []);
    assert.equal(composed.pieces.length, n + 1);
    // Before: every piece's placeholders read again for each piece (n² = 90,000 reads for 300; 1,000 pieces took 62 s).
    assert.ok(steps <= 2 * (n + 1), `${steps} steps for ${n + 1} pieces`);
  });
});
