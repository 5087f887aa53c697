import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { findPrompts } from '../../../src/shared/prompt/scanner';

/**
 * Units that stay together, and a line said again word for word: nanobrowser's navigator prompt (nanobrowser/nanobrowser
 * 322384f, Apache-2.0; test/fixtures/nanobrowser/SOURCES.md). At its lowest budget Distill kept "NEVER try to fill it by
 * yourself." without "Instead execute the Done action…", "If INSUFFICIENT → …" without "If SUFFICIENT → …", one of the
 * two alternatives after "until either:", and the same "***REMEMBER TO CACHE…***" bullet three times (newuser41).
 */
describe('distiller: alternatives stay together, a repeated line stays once (nanobrowser navigator)', () => {
  const distiller = new PromptDistiller();
  const file = resolve(__dirname, '../../../../test/fixtures/nanobrowser/navigator.ts.txt');
  const prompt = () => findPrompts(readFileSync(file, 'utf8'), 'typescript', { fileName: 'navigator.ts' })[0].text;

  it('at the lowest budget: both branches of a condition, both alternatives after "either:", the sentence after a NEVER that says what to do instead', () => {
    const r = distiller.distill(prompt(), { maxTokens: 1 });
    for (const kept of ['- If SUFFICIENT → Complete task using all findings', '- If INSUFFICIENT → Follow these steps in order:', '• Information becomes sufficient', '• Maximum 10 page scrolls completed', 'NEVER try to fill it by yourself. Instead execute']) {
      assert.ok(r.text.includes(kept), kept);
    }
    assert.equal(r.retention.ratio, 1);
  });

  it('a bullet said three times stays once under a budget (the others dropped as duplicates); with room for everything all three stay', () => {
    const text = prompt();
    assert.equal(text.split('***REMEMBER TO CACHE CURRENT FINDINGS BEFORE SCROLLING***').length - 1, 3);
    const r = distiller.distill(text, { maxTokens: 1 });
    assert.equal(r.text.split('***REMEMBER TO CACHE CURRENT FINDINGS BEFORE SCROLLING***').length - 1, 1);
    assert.deepEqual(r.dropped.filter((d) => d.text.includes('REMEMBER TO CACHE')).map((d) => d.reason), ['duplicate', 'duplicate']);
    const roomy = distiller.distill(text, { maxTokens: 100_000 });
    assert.equal(roomy.text.split('***REMEMBER TO CACHE CURRENT FINDINGS BEFORE SCROLLING***').length - 1, 3);
  });
});
