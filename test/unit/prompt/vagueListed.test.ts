// A vague word the prompt names as an item of a list of words is not vague wording: getzep/graphiti's
// entity-extraction prompt lists "stuff" and "things" among the words NOT to extract
// (test/fixtures/hints-real/graphiti_extract_nodes.py), and the Prompt Analysis panel told the
// user to replace them. The oracle is the prompt read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const analyzer = new PromptAnalyzer();
const vague = (text: string) => analyzer.suggestions(text).filter((s) => s.kind === 'ambiguousWording').map((s) => text.slice(s.range?.start, s.range?.end));

describe('ambiguousWording: words named in a list are not vague wording', () => {
  it('graphiti extract_text: "stuff" and "things" in the list of words not to extract are not flagged', () => {
    const file = resolve(__dirname, '../../../../test/fixtures/hints-real/graphiti_extract_nodes.py');
    const prompt = findPrompts(readFileSync(file, 'utf8'), 'python', { fileName: file }).find((p) => p.boundName === 'user_prompt' && p.text.includes('Text: "Alex shared a pic'));
    assert.ok(prompt);
    assert.ok(prompt.text.includes('(day, life, people, work, stuff, things, food, time,\n  tickets, supplies, clothes, keys, gear)'));
    // Before: stuff, things, things, Good, Good. The "things" left is used, not named: "specific, concrete things."
    // "Good", the label of the examples' good extractions, is no longer flagged: an example section is data (comp33, examples.ts).
    assert.deepEqual(vague(prompt.text), ['things']);
    const at = analyzer.suggestions(prompt.text).find((s) => s.kind === 'ambiguousWording');
    assert.equal(prompt.text.slice((at?.range?.start ?? 0) - 9, at?.range?.end), 'concrete things');
  });

  it('the same words used in a sentence are still flagged', () => {
    assert.deepEqual(vague('Fix the stuff in the report and list some things to check.'), ['stuff', 'some', 'things']);
    // A parenthesis that is not a list of words: still flagged.
    assert.deepEqual(vague('Summarize the text (and other stuff) in two lines.'), ['stuff']);
  });

  // miurla/morphic ccdb89d (Apache-2.0), lib/agents/prompts/search-mode-prompts.ts: "(1, 2, 3, etc.)" was called vague
  // in the Analysis panel (newuser25); the examples before it say what is meant.
  it('"etc." / "and so on" closing a series of two or more examples is not vague; after one item, or alone, it is', () => {
    assert.deepEqual(vague('Number the citations in order (1, 2, 3, etc.) and never skip one.'), []);
    assert.deepEqual(vague('Cover the basics: setup, usage, and so on.'), []);
    assert.deepEqual(vague('Handle errors, etc.'), ['etc']);
    assert.deepEqual(vague('Write the summary and so on.'), ['and so on']);
  });
});

// stackblitz/bolt.new eda10b12 (MIT), app/lib/.server/llm/prompts.ts: "an in-browser Node.js runtime that emulates a
// Linux system to some degree" — Analyze Prompt called "some" vague (newuser39). A set phrase says how much; the word
// alone still does.
describe('ambiguousWording: set phrases holding a vague word are not vague', () => {
  it('en: "to some degree", "to some extent", "proper noun", "good morning" are not flagged; "some" and "good" alone are', () => {
    assert.deepEqual(vague('WebContainer is an in-browser Node.js runtime that emulates a Linux system to some degree.'), []);
    assert.deepEqual(vague('To some extent the answer depends on the input. Capitalize every proper noun.'), []);
    assert.deepEqual(vague('Greet the user with "Good morning" only before noon, then give some tips.'), ['some']);
    assert.deepEqual(vague('Write a good summary with some degree of detail.'), ['good', 'some']);
    assert.equal(analyzer.analyze('Emulate a Linux system to some degree. Answer in JSON.').features?.ambiguousWords, 0);
    assert.equal(analyzer.analyze('Emulate some Linux system. Answer in JSON.').features?.ambiguousWords, 1);
  });

  it('es and pt: greetings and "de buena fe" / "de boa-fé" are not flagged; "algunos" / "alguns" alone are', () => {
    assert.deepEqual(vague('Saluda al usuario con buenos días y responde de buena fe a algunos mensajes.'), ['algunos']);
    assert.deepEqual(vague('Cumprimente o usuário com bom dia e responda de boa fé a alguns pedidos.'), ['alguns']);
  });
});
