// What a user of browser-use saw in the editor (newuser26): the free-text extraction prompt of
// tools/service.py (test/fixtures/hints-real/bu_extract_prompt.py, an excerpt of the real file).
// Oracle: the prompt read by hand.
// - "make sure to" is in two phrase lists (verbose wording and filler): it was reported twice on the
//   same words, two diagnostics and two quick fixes doing the same edit. One finding is expected.
// - "If the content was truncated and you need more information, note that the user can use …":
//   "note that" is what the model must do in that case, not filler. Neither the diagnostics nor
//   Compress may remove it; at a sentence start ("Note that the API is slow.") it stays filler.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { EDITOR_KINDS } from '../../../src/shared/hints/hints';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const fixture = path.resolve(__dirname, '../../../../test/fixtures/hints-real/bu_extract_prompt.py');

function extractionPrompt(): string {
  const prompts = findPrompts(fs.readFileSync(fixture, 'utf8'), undefined, { fileName: 'service.py' });
  assert.equal(prompts.length, 1);
  return prompts[0].text;
}

/** [kind, the words marked] of each finding the editor shows as a diagnostic. */
function shown(text: string): Array<[string, string]> {
  return new PromptAnalyzer()
    .analyze(text)
    .optimizationSuggestions.filter((s) => EDITOR_KINDS.has(s.kind) && s.range)
    .map((s) => [s.kind, text.slice(s.range!.start, s.range!.end)]);
}

describe('browser-use extraction prompt: the findings a user sees', () => {
  it('one finding for "make sure to", none for the "note that" a condition asks for', () => {
    assert.deepEqual(shown(extractionPrompt()), [['verbosePhrase', 'make sure to']]);
  });

  it('"Note that" opening a sentence is still filler', () => {
    assert.deepEqual(shown('Note that the API is slow. Answer in one sentence.'), [['filler', 'Note that']]);
  });

  it('Compress keeps the "note that" of the condition and drops "make sure to" (a list item with a subordinate clause keeps its articles at medium)', () => {
    const out = new PromptCompressor().compress(extractionPrompt(), { level: 'medium' }).text;
    assert.ok(out.includes('you need more information, note that the user can use start_from_char parameter'), out);
    assert.ok(out.includes('etc., directly list all of them.'), out);
  });
});

describe('a variable named for the system message is a prompt whatever its wording (browser-use custom system prompt example)', () => {
  // test/fixtures/scan/python/browser_use_custom_system_prompt.py (browser-use, MIT): `extend_system_message = ('REMEMBER
  // the most important RULE: ALWAYS open first a new tab …')` is appended to the agent's system prompt. The name gave 0.7
  // (system_prompt gives 1.0) and the all-caps rule too little from its text: it was not found.
  const fixture = path.resolve(__dirname, '../../../../test/fixtures/scan/python/browser_use_custom_system_prompt.py');

  it('extend_system_message is found as a system prompt', () => {
    const found = findPrompts(fs.readFileSync(fixture, 'utf8'), undefined, { fileName: 'custom_system_prompt.py' });
    const system = found.find((p) => p.boundName === 'extend_system_message');
    assert.ok(system, found.map((p) => p.boundName).join(', '));
    assert.equal(system.kind, 'system');
    assert.equal(system.text, 'REMEMBER the most important RULE: ALWAYS open first a new tab and go first to url wikipedia.com no matter the task!!!');
  });

  it('system_msg / SYSTEM_MESSAGE / systemMessage likewise; a name that only contains "message" stays below the threshold', () => {
    const text = 'Always answer in French and keep it short.';
    for (const name of ['system_msg', 'SYSTEM_MESSAGE', 'systemMessage', 'extend_system_message']) {
      assert.deepEqual(findPrompts(`${name} = '${text}'\n`, undefined, { fileName: 'a.py' }).map((p) => p.kind), ['system'], name);
    }
    for (const name of ['error_message', 'message', 'status_msg']) assert.deepEqual(findPrompts(`${name} = '${text}'\n`, undefined, { fileName: 'a.py' }), [], name);
  });
});
