/**
 * newuser35 on langchain-ai/open-canvas (MIT, commit 0310cecd51f31b3d37a52d6d1060137da3405280;
 * test/fixtures/open-canvas/SOURCES.md), apps/agents/src/reflection/prompts.ts, REFLECT_SYSTEM_PROMPT (604 tokens):
 *
 * - Compress, Distill and the "lots of" quick fix turned "by having lots and lots of rules and memories" into "by having
 *   lots and many rules and memories";
 * - Distill Prompt at the budget it proposed (423 tokens) gave 393 tokens and dropped the sentence that says what to do,
 *   "You're tasked with reflecting on the following conversation between a user and an AI assistant." (16 tokens), which
 *   fitted: no unit opens with a task verb, so the main instruction fell back to the role sentence before it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { distillKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { sharedTokenizer } from '../../../src/shared/prompt/tokenizer';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'open-canvas');
const reflect = (): string => {
  const source = readFileSync(join(FIXTURES, 'reflection-prompts.ts.txt'), 'utf8');
  const prompt = findPrompts(source, undefined, { fileName: 'prompts.ts' }).find((p) => p.text.startsWith('You are an expert assistant, and writer.'));
  assert.ok(prompt, 'REFLECT_SYSTEM_PROMPT found');
  return prompt.text;
};

describe('open-canvas reflection prompt (newuser35)', function () {
  this.timeout(60_000);
  const compressor = new PromptCompressor();

  it('"lots and lots of rules" becomes "many rules", not "lots and many rules" (compress and the suggestion)', () => {
    const sentence = 'We do NOT want to confuse the assistant in future interactions by having lots and lots of rules and memories.';
    assert.equal(compressor.compress(sentence, { level: 'medium', language: 'en' }).text, 'We do NOT want to confuse the assistant in future interactions by having many rules and memories.');
    const suggestions = new PromptAnalyzer().analyze(sentence).optimizationSuggestions.filter((s) => s.kind === 'verbosePhrase').map((s) => `${s.range ? sentence.slice(s.range.start, s.range.end) : '?'} → ${s.replacement ?? ''}`);
    assert.deepEqual(suggestions, ['lots and lots of → many']);
    // Near miss: "lots of" alone still becomes "many", and "lots and lots" with no "of" stays.
    assert.equal(compressor.compress('Use lots of examples.', { level: 'medium', language: 'en' }).text, 'Use many examples.');
    assert.equal(compressor.compress('We have lots and lots.', { level: 'medium', language: 'en' }).text, 'We have lots and lots.');
  });

  it('Distill keeps "You\'re tasked with reflecting on…" at the budget the editor proposes (423 of 604)', () => {
    const text = reflect();
    assert.equal(sharedTokenizer().count(text, 'gpt-5.4').count, 604);
    // The editor's path (the `{artifact}` and `{reflections}` fields masked as atoms). Before: 393 tokens, the task dropped.
    const r = distillKeepingAtoms(text, { maxTokens: 423, model: 'gpt-5.4' });
    assert.ok(r.text.startsWith("You're an expert assistant, and writer. You're tasked with reflecting on the following conversation between a user and an AI assistant.\n"), r.text.slice(0, 400));
    assert.ok(!r.text.includes('lots and many'), r.text);
    assert.deepEqual(r.dropped.filter((d) => /tasked with/.test(d.text)), []);
    assert.equal(r.tokensAfter, 388);
  });

  it('Distill keeps it at a budget of 1 token too, after the role sentence', () => {
    const r = new PromptDistiller().distill(reflect(), { maxTokens: 1, model: 'gpt-5.4' });
    assert.equal(r.text.split('\n')[0], "You're an expert assistant, and writer. You're tasked with reflecting on the following conversation between a user and an AI assistant.");
  });
});
