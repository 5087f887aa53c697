/**
 * "at the end of the day" is filler only as the idiom ("ultimately"), set off at a clause's start; after a verb or a noun
 * it is a time. newuser33 compressed khoj's notification prompt (khoj-ai/khoj at ae229ca8, AGPL-3.0, prompts.py
 * `to_notify_or_not`; nothing copied: the sentences below are written for this test) at medium, and one of its few-shot
 * examples, a scheduled task, lost its schedule: "Share a summary of the tasks I've completed at the end of the day." became
 * "Share summary of tasks I've completed." Expected texts are written by hand.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

describe('"at the end of the day": a time, or the idiom', () => {
  const compressor = new PromptCompressor();
  const TIME = 'Send me the list of pull requests I merged at the end of the day.';
  const fillers = (text: string) => new PromptAnalyzer().analyze(text).optimizationSuggestions.filter((s) => s.kind === 'filler').map((s) => text.slice(s.range?.start, s.range?.end));

  it('after a verb it is when to do it: medium keeps it, and the editor does not call it filler', () => {
    assert.equal(compressor.compress(TIME, { level: 'medium', language: 'en' }).text, TIME);
    assert.deepEqual(fillers(TIME), []);
  });

  it('opening a sentence or set off by commas it is the idiom, and goes', () => {
    assert.equal(compressor.compress('At the end of the day, accuracy matters more than speed.', { level: 'medium', language: 'en' }).text, 'Accuracy matters more than speed.');
    assert.equal(compressor.compress('Accuracy, at the end of the day, matters more than speed.', { level: 'medium', language: 'en' }).text, 'Accuracy matters more than speed.');
    assert.deepEqual(fillers('At the end of the day, accuracy matters more than speed.'), ['At the end of the day']);
  });
});
