/**
 * A `${…}` interpolation found whole in prompt text (src/shared/prompt/interpolations.ts, issue 12, break28): its
 * expression's comments, strings and regular expression literals may hold `}` or a quote, which do not close it.
 * Expected values are read off the input by hand with JavaScript's grammar (ECMA-262: a `/` where an expression starts
 * opens a regular expression literal, after an operand it divides; `/* … *\/` and `// …` are comments).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { nestedInterpolations } from '../../../src/shared/prompt/interpolations';
import { analyzeProtected } from '../../../src/shared/prompt/protected';

const placeholders = (text: string): string[] => analyzeProtected(text).spans.filter((s) => s.kind === 'placeholder').map((s) => s.text);

describe('nested ${…}: comments, strings and regular expressions inside (fix29)', () => {
  it('a } in a block or line comment does not close the interpolation', () => {
    assert.deepEqual(placeholders('Greet ${/* a } */ name} politely.'), ['${/* a } */ name}']);
    assert.deepEqual(placeholders('Greet ${name // the } is a brace\n} politely.'), ['${name // the } is a brace\n}']);
  });

  it('a } or a quote in a regular expression literal does not close it; a division is no regular expression', () => {
    assert.deepEqual(placeholders('Say ${text.replace(/}/g, "")} now.'), ['${text.replace(/}/g, "")}']);
    assert.deepEqual(placeholders("Say ${text.replace(/'/g, '')} now."), ["${text.replace(/'/g, '')}"]);
    assert.deepEqual(placeholders('Say ${/[{}]/.test(s) ? "braces" : "none"} now.'), ['${/[{}]/.test(s) ? "braces" : "none"}']);
    // `total / count` divides: the next `/` is no regular expression's end, and `}` closes.
    assert.deepEqual(nestedInterpolations('Cost ${total / count} per ${"}"} unit / day.'), [{ start: 26, end: 32 }]);
    assert.deepEqual(placeholders('Cost ${total / count} per ${"}"} unit / day.'), ['${total / count}', '${"}"}']);
  });

  it('compression keeps such an interpolation whole', () => {
    const text = 'Please greet ${/* very } */ user.name} and say ${msg.replace(/}/g, "")} basically.';
    assert.equal(new PromptCompressor().compress(text, { level: 'aggressive' }).text, 'Greet ${/* very } */ user.name} and say ${msg.replace(/}/g, "")}.');
  });

  it('unclosed comments and regular expressions by the thousand stay linear and find the real one after them', () => {
    for (const junk of ['${/* ', '${a + /', '${// x ']) {
      const text = `${junk.repeat(Math.ceil(1_000_000 / junk.length))}\nThen \${ok ? "}" : "none"} here.`;
      const found = nestedInterpolations(text).map((r) => text.slice(r.start, r.end));
      assert.ok(found.length <= 1, junk);
    }
    const text = `${'${a + /'.repeat(40)}\nThen \${ok ? "}" : "none"} here.`;
    assert.deepEqual(nestedInterpolations(text).map((r) => text.slice(r.start, r.end)), ['${ok ? "}" : "none"}']);
  });
});
