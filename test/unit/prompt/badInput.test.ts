import * as assert from 'node:assert/strict';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';

const analyzer = new PromptAnalyzer();
const compressor = new PromptCompressor();
const distiller = new PromptDistiller();
const optimizer = new PromptOptimizer();

/**
 * Runs all four operations. No timing threshold here (a loaded CI machine took 45.4 s for the 1 MB case, 14 s alone):
 * the suite's timeout is only a guard against a hang, and speed is measured by `npm run bench:prompt`.
 */
function allFour(text: string) {
  const result = {
    analysis: analyzer.analyze(text),
    compressed: compressor.compress(text),
    distilled: distiller.distill(text),
    optimized: optimizer.optimize(text, { target: 'efficiency' }),
  };
  return result;
}

describe('bad input', function () {
  // A hang guard, not a speed limit.
  this.timeout(300_000);

  it('empty text: zero tokens, zero scores, no suggestions', () => {
    const r = allFour('');
    assert.equal(r.analysis.tokenCount, 0);
    assert.equal(r.analysis.clarityScore, 0);
    assert.equal(r.analysis.redundancyScore, 0);
    assert.equal(r.analysis.complexityScore, 0);
    assert.deepEqual(r.analysis.optimizationSuggestions, []);
    assert.equal(r.compressed.text, '');
    assert.equal(r.distilled.text, '');
    assert.equal(r.optimized.text, '');
  });

  it('1 MB of text finishes in bounded time with bounded suggestions', () => {
    const paragraph = 'Please answer the following question in order to help the team. Do not invent numbers like 42. Basically, the report is very long. ';
    const text = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length)).slice(0, 1_000_000);
    const r = allFour(text);
    assert.ok(r.analysis.tokenCount > 150_000);
    assert.ok(r.analysis.optimizationSuggestions.length <= 201);
    assert.ok(r.compressed.tokensAfter < r.compressed.tokensBefore / 10, 'repeated sentences collapse');
    assert.equal(r.compressed.retention.ratio, 1);
  });

  it('binary junk: counted, no crash, language undetermined', () => {
    let seed = 7;
    let junk = '';
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk += String.fromCharCode(seed % 0xffff);
    }
    const r = allFour(junk);
    assert.ok(r.analysis.tokenCount > 0);
    assert.equal(r.analysis.language, 'und');
    assert.ok(r.compressed.tokensAfter <= r.compressed.tokensBefore);
  });

  it('unbalanced braces and fences do not hang and stay intact', () => {
    const text = `${'{'.repeat(5000)} Please answer {name ${'}'.repeat(3)} {{ unclosed \${x ${'['.repeat(2000)}\n\`\`\`\nnever closed code please`;
    const r = allFour(text);
    assert.ok(r.compressed.text.includes('```\nnever closed code please'), 'an unclosed fence is code to the end');
    assert.equal(r.compressed.retention.ratio, 1);
  });

  it('mixed scripts and emoji: counted and kept', () => {
    const text = 'Please translate 日本語のテキスト 🎉🚀 and العربية and русский текст. Do not drop the emoji 👍🏽.';
    const r = allFour(text);
    assert.ok(r.compressed.text.includes('日本語のテキスト 🎉🚀'));
    assert.ok(r.compressed.text.includes('Do not drop the emoji 👍🏽.'));
    assert.ok(r.compressed.text.startsWith('Translate'), r.compressed.text);
    assert.ok(r.analysis.tokenCount > 20);
  });
});
