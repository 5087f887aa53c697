// What the scanner took wrongly in Perplexica (ItzCrazyKns/Perplexica, MIT; test/fixtures/perplexica, SOURCES.md),
// seen by a new user in the editor (session 32, newuser32). The oracle is the file read by hand.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'perplexica');
const read = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** [first line, last line, kind] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind]);
}

describe('findPrompts on Perplexica (session 32)', () => {
  it('every turn of a list named for its examples is a few-shot example, the last pair too (media/videos.ts)', () => {
    // videoSearchFewShots is spread before the real conversation (agents/media/video.ts); its third pair is an
    // example like the first two. Before, it came out as a user and an assistant message.
    assert.deepEqual(found(read('videos.ts.txt'), 'lib/prompts/media/videos.ts'), [
      [3, 8, 'system'],
      [14, 14, 'fewShot'],
      [16, 16, 'fewShot'],
      [20, 20, 'fewShot'],
      [22, 22, 'fewShot'],
      [26, 26, 'fewShot'],
      [28, 28, 'fewShot'],
    ]);
  });

  it('a list of messages with no example name keeps its last user turn as the input', () => {
    const src = [
      "const messages = [",
      "  { role: 'user', content: 'Translate the word cat into French for me please.' },",
      "  { role: 'assistant', content: 'The French word for cat is chat.' },",
      "  { role: 'user', content: 'Now translate the word dog into French for me please.' },",
      "];",
      "await client.chat.completions.create({ model: 'gpt-4o', messages });",
    ].join('\n');
    assert.deepEqual(found(src, 'chat.ts'), [[2, 2, 'fewShot'], [3, 3, 'fewShot'], [4, 4, 'user']]);
  });

  it("the description of a settings form's field is no tool description (providers/anthropic, config/index.ts)", () => {
    // UIConfigField: { type: 'password', name, key, description, required: true, placeholder, env, scope }, shown in
    // the settings page. Before, each description was a "tool" prompt with a lens.
    assert.deepEqual(found(read('anthropic-provider.ts.txt'), 'lib/models/providers/anthropic/index.ts'), []);
    assert.deepEqual(found(read('config-index.ts.txt'), 'lib/config/index.ts'), []);
  });

  it('a parameter schema with a type and required list keeps its description', () => {
    const src = [
      "const tools = [{",
      "  type: 'function',",
      "  function: {",
      "    name: 'get_weather',",
      "    description: 'Get the current weather for a city the user names.',",
      "    parameters: { type: 'object', properties: { city: { type: 'string', description: 'The city to look the weather up for.' } }, required: ['city'] },",
      "  },",
      "}];",
    ].join('\n');
    assert.deepEqual(found(src, 'tools.ts'), [[5, 5, 'tool'], [6, 6, 'tool']]);
  });

  it("prompt scan names a long runtime value as the hover does, cut at 60 characters (search/writer.ts)", async () => {
    // `${mode === 'quality' ? "- YOU ARE CURRENTLY SET IN QUALITY MODE, … RESEARCH REPORT." : ''}` is one runtime value of
    // 239 characters: the scan line quoted it whole (and so did the message after Compress), the hover cuts it.
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-perplexica-'));
    writeFileSync(join(dir, 'writer.ts'), read('writer.ts.txt'));
    let out = '';
    const code = await runCli(['prompt', 'scan', dir], [scanCommand], { stdout: (t) => (out += t), stderr: () => undefined, readStdin: () => Promise.resolve('') });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0);
    const line = out.split('\n').find((l) => l.includes('writer.ts:6-53'));
    // Since fix38 the choice between literals is no runtime value of 239 characters: its text is counted apart (the longer
    // branch), and since leftovers46 its condition is not named either (it inserts no text); the lower bound (837, the
    // shorter branch '') is unchanged.
    assert.ok(line?.includes(`≥837 tokens (≥905 with the longer branches) + runtime values (systemInstructions, context, new Date().toISOString()) · `), line);
  });
});
