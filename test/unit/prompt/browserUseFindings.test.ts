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
