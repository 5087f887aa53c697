/**
 * analyzeProtected skips a pattern's search when the text lacks a character that every match of it holds
 * (`PATTERN_NEEDS` in protected.ts). Each text here holds only the characters one of its matches needs (a URL without a
 * dot, a placeholder written `%(…)` or `<<…>>` with no brace or bracket, a quote in corner brackets only), so a check
 * that asks for a character a match can do without loses that span. The expected spans are what analyzeProtected gave
 * before the checks were added.
 */
import * as assert from 'node:assert/strict';
import { analyzeProtected } from '../../../src/shared/prompt/protected';

function spans(text: string): string[] {
  return analyzeProtected(text).spans.map((s) => `${s.kind} ${s.text}`);
}

describe('protected spans in texts with only the characters their match needs', () => {
  it('jinja tags', () => {
    assert.deepEqual(spans('Reply {% if short %}briefly{% endif %}.'), ['jinja {% if short %}', 'placeholder {% if short %}', 'jinja {% endif %}', 'placeholder {% endif %}']);
  });

  it('placeholders without braces or brackets: %(name)s, <<name>>, %d', () => {
    assert.deepEqual(spans('Use %(name)s here'), ['placeholder %(name)s']);
    assert.deepEqual(spans('Hello <<name>> there'), ['placeholder <<name>>', 'xmlTag <name>']);
    assert.deepEqual(spans('Print %d items'), ['placeholder %d']);
  });

  it('inline code, a URL without a dot, an e-mail address', () => {
    assert.deepEqual(spans('Run `ls` now'), ['inlineCode `ls`']);
    assert.deepEqual(spans('Open http://localhost/x now'), ['url http://localhost/x']);
    assert.deepEqual(spans('Mail ana@example.com'), ['email ana@example.com', 'url example.com']);
  });

  it('a quote in corner brackets, an XML tag, a number', () => {
    assert.deepEqual(spans('Say 「はい」 only'), ['quoted 「はい」', 'constraint only']);
    assert.deepEqual(spans('Wrap it in <answer> tags'), ['xmlTag <answer>']);
    assert.deepEqual(spans('Use 15 words'), ['number 15', 'outputFormat words']);
  });
});
