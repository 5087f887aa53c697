/**
 * Blank lines at the very end of a prompt are its literal's layout, not text to tighten: newuser33 saw "Extra whitespace."
 * (saving nothing) under the closing quote of khoj's `"""…\n\n\n""".strip()` templates (khoj-ai/khoj at ae229ca8,
 * AGPL-3.0, prompts.py:199, 385; nothing copied), whose `.strip()` removes them before sending, and the rewrite commands
 * keep a literal's edge whitespace as written. Inside the text the same run is still reported. Offsets counted by hand.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';

describe('whitespace at the end of a prompt', () => {
  const spaces = (text: string) => new PromptAnalyzer().analyze(text).optimizationSuggestions.filter((s) => s.kind === 'whitespace').map((s) => [s.range?.start, s.range?.end]);

  it('trailing blank lines are not reported', () => {
    assert.deepEqual(spaces('\nAnswer the question below in one short paragraph.\n\nQuery: {query}\n\n\n'), []);
    assert.deepEqual(spaces('Answer the question below in one short paragraph.\nQuery: {query}\n\n\n\n    '), []);
  });

  it('the same runs inside the text still are, and so is a space that ends the last line (it is sent)', () => {
    // (Four line breaks are one o200k token, as two are: no saving, no finding since newuser43; seven are two tokens.)
    assert.deepEqual(spaces('Answer the question below in one short paragraph.\n\n\n\nQuery: {query}'), []);
    assert.deepEqual(spaces('Answer the question below in one short paragraph.\n\n\n\n\n\n\nQuery: {query}'), [[49, 56]]);
    assert.deepEqual(spaces('Answer the question below.   \nQuery: {query}\n'), [[26, 29]]);
    assert.deepEqual(spaces('I want a: {prompt} '), [[18, 19]]);
  });
});

describe('spaces that end a line before extra blank lines', () => {
  const spaces = (text: string) => new PromptAnalyzer().analyze(text).optimizationSuggestions.filter((s) => s.kind === 'whitespace').map((s) => [s.range?.start, s.range?.end, s.replacement]);

  it('are one finding with the blank lines, not two at the same place', () => {
    // "later." ends at 6: the space [6, 7), the blank lines [7, 10); one finding [6, 10) that leaves one blank line.
    assert.deepEqual(spaces('later. \n\n\nAt step 2, act.'), [[6, 10, '\n\n']]);
    // Closing blank lines stay the literal's layout: the space alone is reported (it is sent).
    assert.deepEqual(spaces('Answer briefly. \n\n\n'), [[15, 16, '']]);
    // A space with one line break after it is reported alone, as before.
    assert.deepEqual(spaces('Answer briefly. \nThen stop.'), [[15, 16, '']]);
  });

  it('on node-DeepResearch\'s error-analyzer prompt, no two findings touch (jina-ai/node-DeepResearch 579fd95f, Apache-2.0)', () => {
    const file = readFileSync(path.resolve(__dirname, '../../../../test/fixtures/node-deepresearch/error-analyzer.ts.txt'), 'utf8');
    const prompt = findPrompts(file, 'typescript', { fileName: 'error-analyzer.ts' }).find((p) => p.text.includes('At step 1, you took the **search** action'));
    assert.ok(prompt);
    const found = spaces(prompt.text);
    assert.ok(found.length >= 3, `found ${found.length}`);
    for (let i = 1; i < found.length; i++) assert.ok((found[i][0] as number) > (found[i - 1][1] as number), `findings ${JSON.stringify(found[i - 1])} and ${JSON.stringify(found[i])} touch`);
    // Each trailing space before "\n\n\n" is one finding over the space and the blank lines.
    const at = prompt.text.indexOf('visit** them later when needed. \n\n\n') + 'visit** them later when needed.'.length;
    assert.deepEqual(found.find((f) => f[0] === at), [at, at + 4, '\n\n']);
  });
});
