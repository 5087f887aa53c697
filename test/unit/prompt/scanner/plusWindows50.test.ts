// Session 50: `splicedNames` (fileNames.ts) ran its `+`-chain expression over the whole file on every keystroke, and the
// expression matches at every word and literal: the largest part of a file's facts on simonw/llm's cli.py. It now searches
// only the lines around each `+` (`plusWindows`). The oracle is the same expression over the whole file (one window):
// equal on random programs made of the lines a chain is written with, including the shapes that cross lines (an operand
// `build(\n)` called over two lines, comment and blank lines around the `+`). (Also checked once on 7,150 real files of
// fixtures and 12 repositories: no difference, session 50.)
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { plusWindows, splicedNames } from '../../../../src/shared/prompt/scanner/fileNames';

const LINES = [
  'system_prompt = base_prompt + rules_section',
  'prompt += "\\n\\n" + examples_section',
  '    + tone_instructions',
  'prompt = (',
  '    intro',
  '    + build_section(',
  '    )',
  ')',
  '# a comment between',
  '// a comment',
  '',
  '   ',
  'x = "a + b"',
  'instructions = header + footer()',
  'msg = "Hi"',
  'user_prompt',
  '+ closing_section',
  'build(',
  ')',
  'note = "C++ " + language',
  'total = a + b',
  "s = 'it''s' + prompt_tail",
  'value = obj.field + prompt_extra',
  'system_prompt = prompt_head +',
  '    header +',
];

describe('splicedNames by windows around each `+` (session 50)', () => {
  it('equals the whole-file search on random programs of chain lines', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 25 }), (lines) => {
        const src = lines.join('\n');
        assert.deepEqual([...splicedNames(src)], [...splicedNames(src, [[0, src.length]])], src);
      }),
      { numRuns: 4000, seed: 50 },
    );
  });

  it('a call spanning lines as the first or last operand, and comment lines around the `+`, stay in one window', () => {
    const src = ['x = 1', 'y = 2', 'section = build(', ')', '# why', '', '+ prompt_rules', 'z = 3', 'w = 4', 'prompt += start + tail_fn(', '', ')', 'v = 5'].join('\n');
    const lines = src.split('\n');
    const lineAt = (offset: number) => src.slice(0, offset).split('\n').length - 1;
    assert.deepEqual(
      plusWindows(src).map(([from, to]) => [lineAt(from), lineAt(to - 1)]),
      // Lines 2-7 (the call `build(` … `)`, a comment and a blank line, the `+`, one line after) and 8-11 (one line before,
      // the `+`, the call `tail_fn(` to its `)`), joined because they meet; the last line is outside.
      [[2, 11]],
      lines.join('|'),
    );
    assert.deepEqual([...splicedNames(src)], [...splicedNames(src, [[0, src.length]])]);
    // (`why`, the comment's word before the `+`, is read as an operand name by the expression: as before, left alone.)
    assert.deepEqual([...splicedNames(src)], [
      ['build', 'prompt_rules'],
      ['why', 'prompt_rules'],
      ['start', 'prompt'],
      ['tail_fn', 'prompt'],
    ]);
  });
});
