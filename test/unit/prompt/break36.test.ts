/**
 * Breaks of session 35's compress rules found by helper break36 with hostile inputs (sentences written for the test, not
 * quoted from a repository): "just" as the adjective (fair), which the filler rule took for the adverb.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();
const at = (level: 'medium' | 'aggressive', text: string) => compressor.compress(text, { level, language: 'en' }).text;

describe('Compress: "just" the adjective (break36)', () => {
  it('after an article or a degree word, or coordinated with an adjective after one, "just" stays (medium)', () => {
    // Before: "You're a fair and judge…", "You're an and impartial judge…", "It's a cause…", "the most arbiter".
    assert.equal(at('medium', 'You are a fair and just judge of the debate.'), "You're a fair and just judge of the debate.");
    assert.equal(at('medium', 'You are a just and impartial judge of the debate.'), "You're a just and impartial judge of the debate.");
    assert.equal(at('medium', 'It is a just cause, and the judge must be just and fair in every ruling.'), "It's a just cause, and the judge must be just and fair in every ruling.");
    assert.equal(at('medium', 'Act as the most just arbiter in the land.'), 'Act as the most just arbiter in the land.');
    // Before an irregular past form "just" says when, as before a regular one (session 35): was "The user said goodbye".
    assert.equal(at('medium', 'The user just said goodbye, so end the conversation politely.'), 'The user just said goodbye, so end the conversation politely.');
    // Near misses: the adverb still goes ("just like", "just have to", "the user just said").
    assert.equal(at('medium', 'Answer with a single word, just like the examples.'), 'Answer with a single word, like the examples.');
    assert.equal(at('medium', 'You just have to answer the question.'), 'You have to answer the question.');
    assert.equal(at('medium', 'Read the file and just answer the question.'), 'Read the file and answer the question.');
  });

  it('aggressive keeps the article before the adjective (was "Give just verdict", which reads "only the verdict")', () => {
    assert.equal(at('aggressive', 'Give a just verdict on each claim.'), 'Give a just verdict on each claim.');
    assert.equal(at('aggressive', 'Write a story about a just king and his people.'), 'Write story about a just king and his people.');
  });
});
