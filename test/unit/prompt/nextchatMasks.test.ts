import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor, retainedItems } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';

// Real prompts of NextChat's built-in masks (test/fixtures/nextchat/SOURCES.md), as a new user met them (newuser30).
const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nextchat');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('NextChat masks (newuser30)', () => {
  it('a number written between Chinese characters is a protected item: "不少于15个字，不超过30字"', () => {
    const text = fixture('cn-mentor-0.txt');
    assert.deepEqual(retainedItems(text, 'en'), ['15', '30', '“我已经准备好了”']);
  });

  it('distilling the 心灵导师 mask keeps the paragraph with its length limits (15 and 30 characters)', () => {
    const text = fixture('cn-mentor-0.txt');
    // Before: the paragraph "要求字数不少于15个字，不超过30字，…双语输出" was dropped for the budget; its numbers were not seen.
    const r = new PromptDistiller().distill(text, {});
    assert.equal(r.text, text.replace(/\n\n\n/g, '\n\n'));
  });

  it('an adverb coordinated with a prepositional phrase stays: "carefully & to the letter" (GitHub Copilot mask)', () => {
    const line = fixture('en-copilot-0.txt').split('\n')[2];
    assert.equal(line, 'Follow the user"s requirements carefully & to the letter.');
    // Before: "Follow the user"s requirements & to the letter." (Optimize, balanced, local rules), a dangling "&".
    const compressor = new PromptCompressor();
    assert.equal(compressor.compress(line).text, line);
    assert.equal(compressor.compress('Read the contract carefully and in full.').text, 'Read the contract carefully and in full.');
    // The partner is a verb: the adverb only intensifies and still goes.
    assert.equal(compressor.compress('Read the spec carefully and list the risks.').text, 'Read the spec and list the risks.');
  });
});
