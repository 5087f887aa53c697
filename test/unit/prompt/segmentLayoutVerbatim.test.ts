/**
 * Adjacent literals (segmentLayout.ts): a literal whose text the rewrite leaves as it was is
 * left as written (break27). Before, every literal of the prompt was encoded again from its
 * decoded text, so an edit of one literal rewrote the others' escapes (`\x41` -> `A`,
 * `\u{45}` -> `E`, an octal `\101`), dropped a line continuation inside a template literal,
 * and removed an empty literal the rewrite never touched. Oracles: the expected files are
 * written by hand; the decoded values were checked with CPython 3.11 and Node 20.
 */
import * as assert from 'node:assert/strict';
import type { PromptLocation } from '../../../src/protocol/scan';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';

function onlyPrompt(src: string, fileName: string): PromptLocation {
  const found = findPrompts(src, undefined, { fileName });
  assert.equal(found.length, 1, `expected one prompt in ${fileName}, found ${found.length}`);
  return found[0];
}

function edited(src: string, fileName: string, change: (text: string) => string): string {
  const p = onlyPrompt(src, fileName);
  const v = planLiteralEdit(src, p, change(p.text), { fileName });
  assert.ok(v.ok, v.ok ? '' : v.reason);
  return v.edited;
}

describe('adjacent literals: a literal whose text is unchanged is kept as written', () => {
  it('Python: the escapes of the untouched literals stay (\\x41, \\u0045, \\101, \\t, a line continuation)', () => {
    const src = [
      'def build(name):',
      '    system_prompt = (',
      "        'You are a \\x41ssistant that answers \\'questions\\' about the docs. '",
      '        "Always answer in \\u0045nglish and cite your sources.\\t"',
      "        '\\101lways be brief. \\",
      "Please be very concise.'",
      '    )',
      '    return system_prompt',
      '',
    ].join('\n');
    const out = edited(src, 'build.py', (t) => t.replace('Please be very concise.', 'Be concise.'));
    assert.equal(
      out,
      [
        'def build(name):',
        '    system_prompt = (',
        "        'You are a \\x41ssistant that answers \\'questions\\' about the docs. '",
        '        "Always answer in \\u0045nglish and cite your sources.\\t"',
        "        'Always be brief. Be concise.'",
        '    )',
        '    return system_prompt',
        '',
      ].join('\n'),
    );
  });

  it('JavaScript: the untouched literals keep \\x41, \\u{45} and a template line continuation', () => {
    const src = [
      'function build(name) {',
      '  const systemPrompt =',
      "    'You are a \\x41ssistant that answers questions about the docs. ' +",
      '    "Always answer in \\u{45}nglish and cite your sources. " +',
      '    `Line \\',
      ' continued for ${name}. ` +',
      "    'Please be very concise.';",
      '  return systemPrompt;',
      '}',
      '',
    ].join('\n');
    const out = edited(src, 'build.js', (t) => t.replace('Please be very concise.', 'Be concise.'));
    assert.equal(
      out,
      [
        'function build(name) {',
        '  const systemPrompt =',
        "    'You are a \\x41ssistant that answers questions about the docs. ' +",
        '    "Always answer in \\u{45}nglish and cite your sources. " +',
        '    `Line \\',
        ' continued for ${name}. ` +',
        "    'Be concise.';",
        '  return systemPrompt;',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('Python: an empty literal the rewrite did not touch stays; one it emptied goes with its line', () => {
    const src = [
      'system_prompt = (',
      "    'You are a helpful assistant that answers questions about the docs. '",
      "    ''",
      "    'Please note that you must always answer in English. '",
      "    'Please be very concise.'",
      ')',
      '',
    ].join('\n');
    const out = edited(src, 'p.py', (t) => t.replace('Please note that you must always answer in English. ', '').replace('Please be very concise.', 'Be concise.'));
    assert.equal(out, ['system_prompt = (', "    'You are a helpful assistant that answers questions about the docs. '", "    ''", "    'Be concise.'", ')', ''].join('\n'));
  });
});
