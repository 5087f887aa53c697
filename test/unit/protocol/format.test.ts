import * as assert from 'node:assert/strict';
import { joinSentences, parseReductionRatio, shortRuntimeValue, usd } from '../../../src/protocol/format';

describe('usd(): one money format for the CLI, the extension and the webviews', () => {
  it('two significant digits below $1 (never fewer than two decimals), cents from $1, with thousands separators', () => {
    const cases: Array<[number, string]> = [
      [0, '$0'],
      [0.5, '$0.50'],
      [0.1, '$0.10'],
      [0.13, '$0.13'],
      [0.0123, '$0.012'],
      [0.00042, '$0.00042'],
      [0.996, '$1.00'],
      [1, '$1.00'],
      [1.5, '$1.50'],
      [4.2, '$4.20'],
      [100, '$100.00'],
      [1234.5, '$1,234.50'],
      [-0.5, '-$0.50'],
      [1e-9, '<$0.000001'],
      [Number.NaN, 'NaN'],
    ];
    for (const [value, text] of cases) assert.equal(usd(value), text, String(value));
  });
});

describe('joinSentences(): one message from several sentences', () => {
  it("joins the optimizer's change notes as sentences (seen in the editor on bolt.new: \"7 tokens saved.; Kept the text…\")", () => {
    const changes = [
      'Compressed (medium): 6 phrase(s) removed or shortened, 7 tokens saved.',
      'Kept the text as one piece: its parts alternate between sections, and headings would have split sentences that belong together.',
    ];
    assert.equal(
      joinSentences(['2929 → 2922 tokens.', ...changes]),
      '2929 → 2922 tokens. Compressed (medium): 6 phrase(s) removed or shortened, 7 tokens saved. Kept the text as one piece: its parts alternate between sections, and headings would have split sentences that belong together.',
    );
  });

  it('adds a period where a part has no closing punctuation, and skips blank parts', () => {
    assert.equal(joinSentences(['Merged 2 duplicate sentence(s)', '  ', 'Done!']), 'Merged 2 duplicate sentence(s). Done!');
    assert.equal(joinSentences([]), '');
  });
});

describe('parseReductionRatio: a token reduction as users write it (CLI --target-ratio, editor input box)', () => {
  it('reads fractions and percentages strictly between 0 and 1', () => {
    assert.equal(parseReductionRatio('0.2'), 0.2);
    assert.equal(parseReductionRatio(' 20% '), 0.2);
    assert.equal(parseReductionRatio('.5'), 0.5);
    assert.equal(parseReductionRatio('12.5%'), 0.125);
    assert.equal(parseReductionRatio('99.9%'), 99.9 / 100);
  });
  it('refuses what is not a reduction: 0, 1, 100%, a bare 20, signs, words, empty', () => {
    for (const bad of ['0', '1', '100%', '0%', '20', '-0.2', '+0.2', '20 %%', 'twenty', '', '0.2.1', '1e-1']) assert.equal(parseReductionRatio(bad), undefined, bad);
  });
});


describe('shortRuntimeValue(): a long runtime value keeps its outline, quotes and brackets paired (newuser39, bolt.new)', () => {
  it('shortens what is inside brackets and long strings, and leaves a short value as it is', () => {
    // bolt.new's getSystemPrompt (stackblitz/bolt.new eda10b12, MIT): the hover read "…join('…", cut inside a string.
    assert.equal(shortRuntimeValue("allowedHTMLElements.map((tagName) => `<${tagName}>`).join(', ')"), 'allowedHTMLElements.map(…).join(…)');
    assert.equal(shortRuntimeValue('text[:20]'), 'text[:20]');
    assert.equal(shortRuntimeValue(`mode === 'quality' ? "- YOU ARE CURRENTLY SET IN QUALITY MODE, GENERATE VERY DEEP, DETAILED AND COMPREHENSIVE RESPONSES" : ''`), `mode === 'quality' ? "- YOU ARE…" : ''`);
    assert.equal(shortRuntimeValue('format_docs(\n        retrieved_documents,\n        max_chars=4000,\n        include_sources=True,\n        separator="---")'), 'format_docs(…)');
    // Unclosed: cut where it opens; still too long after shortening: cut at 60.
    assert.equal(shortRuntimeValue(`${'x'.repeat(50)}.call("an unterminated string that goes on and on`), `${'x'.repeat(50)}.call(…`);
    assert.equal(shortRuntimeValue('a'.repeat(80)), `${'a'.repeat(59)}…`);
    assert.equal(shortRuntimeValue('a'.repeat(80)).length, 60);
  });
});
