/**
 * A sentence repeated in a field of two example records is data of each record, not a repeat. newuser33 saw khoj's
 * notification prompt (khoj-ai/khoj at ae229ca8, AGPL-3.0, prompts.py `to_notify_or_not`; nothing copied: the prompt
 * below is written for this test with the same shape, its label typo included): five examples of "Original User Query: … / Executed User Query:
 * … / AI Response: … / Khoj: …", two of whose queries end with the same "My Current Location: Shanghai, China". The
 * editor flagged the second as "This repeats an earlier sentence", its quick fix and medium compression removed it, and
 * that example lost its location (the query it is compared with still names Shanghai). Expected values by hand.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const PROMPT = [
  'You are a careful notification judge.',
  '- Decide whether the user should be told about the reply, using the request and the reply.',
  '- Return a short reason and a Yes or No decision in JSON.',
  '',
  '# Examples:',
  'User Request: Remind me to water the plants every Monday morning. My Home City: Lisbon, Portugal',
  'Executed Request: Set a weekly reminder to water the plants',
  // (khoj has the typo too, "AI Reponse" in its first example: with it the records have five labels, more than a dialogue's
  // speakers, so they are not read as one block of data.)
  'Assitant Reply: Here is your reminder to water the plants.',
  'Judge: {{ "reason": "The reply is the reminder.", "decision": "Yes" }}',
  '',
  'User Request: Tell me when the museum opens its new wing. My Home City: Lisbon, Portugal',
  'Executed Request: When does the museum open its new wing in Lisbon',
  'Assistant Reply: The museum has not announced a date yet.',
  'Judge: {{ "reason": "No date is known yet.", "decision": "No" }}',
  '',
  'User Request: {request}',
  'Executed Request: {executed}',
  'Assistant Reply: {reply}',
  'Judge:',
].join('\n');

describe('a repeated field of two example records', () => {
  const repeats = (text: string) => new PromptAnalyzer().analyze(text).optimizationSuggestions.filter((s) => s.kind === 'repetition').map((s) => text.slice(s.range?.start, s.range?.end));

  it('is no repetition for the editor, and medium compression keeps both', () => {
    assert.deepEqual(repeats(PROMPT), []);
    const out = new PromptCompressor().compress(PROMPT, { level: 'medium', language: 'en' }).text;
    assert.equal(out.split('My Home City: Lisbon, Portugal').length - 1, 2, out);
  });

  it('the same sentence twice in prose, or in lines of a label that opens only two lines, still repeats', () => {
    const prose = 'Keep answers short. Cite the source of each fact. Use plain words. Cite the source of each fact.';
    assert.deepEqual(repeats(prose), ['Cite the source of each fact.']);
    // (Not under "# Examples:": an example section is data whole since comp33, examples.ts.)
    const twice = PROMPT.replace('# Examples:', '# History:').replace('User Request: {request}', 'Request: {request}');
    assert.deepEqual(repeats(twice), ['My Home City: Lisbon, Portugal']);
  });
});
