// newuser43 ran the extension on mem0ai/mem0 (Apache-2.0, commit 8d5b7865bd0521e75fe9ab1b260eeccc83f8a378). mem0-ts'
// ADDITIVE_EXTRACTION_PROMPT (test/fixtures/hints-real/mem0_ts_prompts.ts, SOURCES.md) puts two blank lines before each
// `## ` heading: the Problems panel listed 20 "Extra whitespace." findings on it, each with a quick fix, each saving 0 tokens.
// Oracle: js-tiktoken's o200k_base encodes "\n\n\n" and "\n\n" as one token each, and "\n\n\n\n\n\n\n" as two.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');

describe('"Extra whitespace." only where it saves a token (newuser43, mem0-ts ADDITIVE_EXTRACTION_PROMPT)', () => {
  it('the oracle: the blank lines before a heading cost one token however many', () => {
    assert.equal(count('capabilities\n\n\n## Summary'), count('capabilities\n\n## Summary'));
    assert.equal(count('paragraph.\n\n\n\n\n\n\nQuery'), count('paragraph.\n\nQuery') + 1);
  });

  it('no whitespace finding on the prompt saves nothing, and none is left out for them', () => {
    const file = readFileSync(path.join(root, 'test/fixtures/hints-real/mem0_ts_prompts.ts'), 'utf8');
    const prompt = findPrompts(file, 'typescript', { fileName: 'index.ts' }).find((p) => p.text.includes('You are a Memory Extractor'));
    assert.ok(prompt);
    const ws = new PromptAnalyzer().analyze(prompt.text).optimizationSuggestions.filter((s) => s.kind === 'whitespace');
    // Before: 20 findings (the cap), every one with tokensSaved 0.
    assert.deepEqual(ws.filter((s) => (s.tokensSaved ?? 0) === 0).length, 0);
  });
});
