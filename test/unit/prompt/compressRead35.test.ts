/**
 * Compress (medium) read on real prompts of apps never used before (session 35, the lead's read of `node
 * scripts/real-repo-check.mjs` runs): browserbase/stagehand (MIT, commit a21633d53), livekit/agents (Apache-2.0) and
 * pipecat-ai/pipecat (BSD-2-Clause, commit acead0507). Each sentence below is quoted from the file named beside it;
 * the "before" output is the one the compressor gave at 6ff2885.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();
const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;

describe('Compress (medium) on real prompts, read by the lead (session 35)', () => {
  it('keeps the article of a label that is a clause: "The original user action was: ${…}"', () => {
    // browserbase/stagehand/packages/extension/prompt.ts, the second-step act instruction. Before: "Original user action was: ${…}.".
    const text = 'The original user action was: ${originalUserAction}.\nYou have taken this action: ${previousAction}.';
    assert.equal(medium(text), text);
    // A label that is a name keeps losing it: "The output format: JSON" is a heading-like label.
    assert.equal(medium('The output format: JSON.\nThe answer: ${answer}.'), 'Output format: JSON.\nAnswer: ${answer}.');
  });

  it('"these" for an irregular plural after "the following": "this criteria" was wrong', () => {
    // browserbase/stagehand/packages/extension/prompt.ts: "Strictly abide by the following criteria:". Before: "this criteria:".
    assert.equal(medium('Strictly abide by the following criteria:\n1. Be brief.'), 'Strictly abide by these criteria:\n1. Be brief.');
    assert.equal(medium('Ask the following people:\n- Ana'), 'Ask these people:\n- Ana');
    assert.equal(medium('Read the following document:\n- a.txt'), 'Read this document:\n- a.txt');
  });

  it('keeps "honestly" where it says how to do it: "say so honestly and offer …"', () => {
    // livekit/agents/examples/hotel_receptionist/tools_rooms.py. Before: "say so and offer to look at other rooms/dates".
    const text = "If the room's been taken since the cancellation, say so honestly and offer to look at other rooms/dates.";
    assert.equal(medium(text), text);
    assert.equal(medium('Answer every question honestly.'), 'Answer every question honestly.');
    // As a sentence adverb it is filler still.
    assert.equal(medium('Honestly, the answer should be short.'), 'The answer should be short.');
  });

  it('keeps "just" before a quotation, where it means "only"', () => {
    // livekit/agents/examples/drive_thru/agent.py. Before: "If the user says “a large meal,” assume …".
    const text = 'If the user says just “a large meal,” assume both drink and fries are that size.';
    assert.equal(medium(text), text);
    assert.equal(medium('If they answer just "yes", ask again.'), 'If they answer just "yes", ask again.');
  });

  it('keeps "just" that says when: before a past form or after "have"', () => {
    // livekit/agents-js/examples/src/drive-thru/database.ts, browserbase/stagehand/packages/extension/prompt.ts,
    // pipecat-ai/pipecat/src/pipecat/workers/ui/ui_prompts.py. Before: "assume the customer pulled up", "You have taken …", "the user triggered".
    assert.equal(medium('This is a voice interaction: assume the customer just pulled up and is speaking to you.'), 'This is a voice interaction: assume the customer just pulled up and is speaking to you.');
    assert.equal(medium('You have just taken an action which completed step 1 of 2.'), 'You have just taken an action which completed step 1 of 2.');
    assert.equal(medium('Read the event the user just triggered on the client.'), 'Read the event the user just triggered on the client.');
    // Elsewhere it is filler still.
    assert.equal(medium('Just answer the question.'), 'Answer the question.');
  });

  it('aggressive keeps the article inside a name or a title: "Marvin the Paranoid Android", "Guide to the Galaxy"', () => {
    // PrefectHQ/marvin (Apache-2.0, e81f5faf4c4fcde7cd622180c70293ee5bc027bf) PrefectHQ/marvin/examples/slackbot/src/slackbot/_internal/templates.py.
    // Before: "in voice of Marvin Paranoid Android from The Hitchhiker's Guide to Galaxy".
    const aggressive = (text: string) => compressor.compress(text, { level: 'aggressive', language: 'en' }).text;
    assert.equal(aggressive("Speak in the voice of Marvin the Paranoid Android from The Hitchhiker's Guide to the Galaxy."), "Speak in voice of Marvin the Paranoid Android from The Hitchhiker's Guide to the Galaxy.");
    // A capitalised word that opens its sentence is no title: the article after it goes.
    assert.equal(aggressive('Use the OpenAI API for the answer.'), 'Use OpenAI API for answer.');
    assert.equal(aggressive('Read it.\nCall the Search tool.'), 'Read it.\nCall Search tool.');
  });

  it('aggressive keeps "the moment" that means "as soon as"', () => {
    // livekit/agents/examples/hotel_receptionist/tools_rooms.py: "The right tool the moment the caller wants to cancel".
    // Before: "Right tool moment caller wants to cancel".
    const aggressive = (text: string) => compressor.compress(text, { level: 'aggressive', language: 'en' }).text;
    assert.equal(aggressive('Cancel the booking. The right tool the moment the caller wants to cancel.'), 'Cancel booking. Right tool the moment caller wants to cancel.');
  });
});
