/**
 * Blank lines at the very end of a prompt are its literal's layout, not text to tighten: newuser33 saw "Extra whitespace."
 * (saving nothing) under the closing quote of khoj's `"""…\n\n\n""".strip()` templates (khoj-ai/khoj at ae229ca8,
 * AGPL-3.0, prompts.py:199, 385; nothing copied), whose `.strip()` removes them before sending, and the rewrite commands
 * keep a literal's edge whitespace as written. Inside the text the same run is still reported. Offsets counted by hand.
 */
import * as assert from 'node:assert/strict';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

describe('whitespace at the end of a prompt', () => {
  const spaces = (text: string) => new PromptAnalyzer().analyze(text).optimizationSuggestions.filter((s) => s.kind === 'whitespace').map((s) => [s.range?.start, s.range?.end]);

  it('trailing blank lines are not reported', () => {
    assert.deepEqual(spaces('\nAnswer the question below in one short paragraph.\n\nQuery: {query}\n\n\n'), []);
    assert.deepEqual(spaces('Answer the question below in one short paragraph.\nQuery: {query}\n\n\n\n    '), []);
  });

  it('the same runs inside the text still are, and so is a space that ends the last line (it is sent)', () => {
    assert.deepEqual(spaces('Answer the question below in one short paragraph.\n\n\n\nQuery: {query}'), [[49, 53]]);
    assert.deepEqual(spaces('Answer the question below.   \nQuery: {query}\n'), [[26, 29]]);
    assert.deepEqual(spaces('I want a: {prompt} '), [[18, 19]]);
  });
});
