import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../../src/shared/prompt/scanner/incremental';

// newuser39 ran the extension on stackblitz/bolt.new (MIT, commit eda10b121221b30825a4c16eec5da1fd3eb1eb99). The snippets
// below are written for these tests in the shape of the code met there; no bolt.new text is copied.
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe('findPrompts: a package manifest with no version is no tool schema (newuser39, bolt.new package.json)', () => {
  it('the description beside name, private, license, packageManager, type and scripts is npm metadata', () => {
    // bolt.new's package.json is private and has no `version`: `{ name, description, private, license, packageManager,
    // sideEffects, type: "module", scripts, … }`.
    const src = ['{', '  "name": "acme-chat",', '  "description": "An assistant that writes apps",', '  "private": true,', '  "license": "MIT",', '  "packageManager": "pnpm@9.4.0",', '  "type": "module",', '  "scripts": { "dev": "vite" }', '}', ''].join('\n');
    // Before: ['3 tool'] (the `type` key made it a parameter schema; the manifest check wanted a `version`).
    assert.deepEqual(found(src, 'package.json'), []);
  });

  it('a tool schema named like a package, with a type and a description, still is one', () => {
    const src = ['{', '  "name": "search_docs",', '  "description": "Search the documentation for the passages that answer the question",', '  "type": "function",', '  "parameters": { "type": "object", "properties": { "query": { "type": "string" } } }', '}', ''].join('\n');
    assert.deepEqual(found(src, 'tools.json'), ['3 tool']);
  });
});

describe('findPrompts: every item of a list of prompts, the short ones too (newuser39, bolt.new BaseChat.tsx EXAMPLE_PROMPTS)', () => {
  // bolt.new's chat offers five example prompts, `EXAMPLE_PROMPTS = [{ text: '…' }, …]`, each sent as the user's message
  // when clicked. The items of five words ("Make a space invaders game") scored under the threshold (name +1, "only 5 words"
  // -0.3), their siblings of six words over it: four of five were lenses.
  const src = [
    'const SUGGESTED_PROMPTS = [',
    "  { text: 'Write a landing page for a bakery in Svelte' },",
    "  { text: 'Make a tetris clone' },",
    "  { text: 'Explain how CSS grid areas work, with an example' },",
    "  { text: 'Build a markdown previewer' },",
    '];',
    '',
  ].join('\n');

  it('the items of four words are found beside those of eight and nine', () => {
    // Before: ['2 user', '4 user'].
    assert.deepEqual(found(src, 'chat.tsx'), ['2 user', '3 user', '4 user', '5 user']);
    // Named as bolt.new names them: user messages too, not few-shot examples (they were 'fewShot').
    assert.deepEqual(found(src.replace('SUGGESTED_PROMPTS', 'EXAMPLE_PROMPTS'), 'chat.tsx'), ['2 user', '3 user', '4 user', '5 user']);
  });

  it('the editor (the incremental scanner) finds the same, in a list not named for prompts too', () => {
    // Before: the editor showed four lenses on bolt.new's list where `prompt scan` found five (the candidates carry their
    // judgement there), and a short item of a list with no prompt name never reached the file-wide steps.
    const scanner = new IncrementalPromptScanner();
    assert.deepEqual(scanner.scan('chat.tsx', src, 'typescriptreact', { fileName: 'chat.tsx' }).map((p) => p.range.start.line + 1), [2, 3, 4, 5]);
    // A list whose name says nothing of prompts (its key does): "Write a tetris clone" scores 0.85 (the key +0.8, a task
    // +0.35, "only 4 words" -0.3).
    const unnamed = src.replace('SUGGESTED_PROMPTS', 'STARTERS').replace(/\{ text:/g, '{ prompt:').replace('Make a tetris clone', 'Write a tetris clone');
    assert.deepEqual(found(unnamed, 'chat.tsx'), ['2 user', '3 user', '4 user']);
    assert.deepEqual(scanner.scan('starters.tsx', unnamed, 'typescriptreact', { fileName: 'starters.tsx' }).map((p) => p.range.start.line + 1), [2, 3, 4]);
  });

  it('a short item of a list with a single prompt in it is not raised, nor one of two words', () => {
    const one = ['const LABELS = [', "  { text: 'Explain how CSS grid areas work, with an example' },", "  { text: 'Open the menu' },", '];', ''].join('\n');
    assert.deepEqual(found(one, 'labels.tsx'), []);
    const twoWords = src.replace('Make a tetris clone', 'Tetris clone');
    assert.deepEqual(found(twoWords, 'chat.tsx'), ['2 user', '4 user', '5 user']);
  });
});
