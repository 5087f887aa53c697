import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';

// newuser39 distilled bolt.new's system prompt in the editor (stackblitz/bolt.new, MIT, commit
// eda10b121221b30825a4c16eec5da1fd3eb1eb99, app/lib/.server/llm/prompts.ts: test/fixtures/scan/ts/bolt_prompts.ts,
// test/fixtures/scan/SOURCES.md). The sentence that opens a tagged section says what the section is about: "You are operating in
// an environment called WebContainer, …" under <system_constraints>, "Bolt creates a SINGLE, comprehensive artifact for each
// project." under <artifact_info>. Distill dropped both first, even at a budget 11 % under the prompt, and left "WebContainer
// CANNOT run native binaries…" and "The artifact contains all necessary steps…" with nothing to refer to.
const distiller = new PromptDistiller();
const fixture = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scan', 'ts', 'bolt_prompts.ts');

function systemPrompt(): string {
  const src = readFileSync(fixture, 'utf8');
  const found = findPrompts(src, undefined, { fileName: 'bolt_prompts.ts' });
  const text = found[0]?.text;
  assert.ok(typeof text === 'string' && text.startsWith('\nYou are Bolt'), 'the first prompt of the fixture is getSystemPrompt');
  return text;
}

describe('distill keeps the sentence that opens a tagged section (newuser39, bolt.new getSystemPrompt)', function () {
  this.timeout(60_000);

  it('at 2,600 tokens (the prompt has 2,929 for gpt-4o) the WebContainer definition and the artifact instruction stay', () => {
    const result = distiller.distill(systemPrompt(), { maxTokens: 2600, model: 'gpt-4o', language: 'en' });
    assert.equal(result.fitsBudget, true);
    // Before: both in `dropped`.
    assert.ok(result.text.includes("You're operating in an environment called WebContainer, an in-browser Node.js runtime"), 'the WebContainer definition');
    assert.ok(result.text.includes('Bolt creates a SINGLE, comprehensive artifact for each project.'), 'the artifact instruction');
  });
});
