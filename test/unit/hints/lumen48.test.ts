// Session 48, holoviz/lumen (BSD-3-Clause, test/fixtures/hints-real/SOURCES.md): Panel's `ReactiveHTML` components keep
// their HTML in `_template` strings, with `${icon}` values and Jinja `{% for %}` loops. `prompt scan` listed five of them
// as prompt templates (panel.py's IconButton, four in ui/fast.py). HTML elements with attributes around template values,
// with no word outside the tags, are a page's markup, not a prompt.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { htmlAroundValuesOnly } from '../../../src/shared/prompt/scanner/evidence';

const root = path.resolve(__dirname, '../../../..');
const real = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('HTML templates with values and no text are no prompts (holoviz/lumen, Panel ReactiveHTML)', () => {
  it('panel.py: IconButton._template is not a prompt', () => {
    const texts = findPrompts(real('lumen_panel.py'), 'python', { fileName: 'panel.py' }).map((p) => p.text);
    assert.ok(!texts.some((t) => t.includes('<i id="icon-button"')), texts.join('\n---\n'));
  });

  it('ui/fast.py: none of its four _template strings is a prompt', () => {
    const texts = findPrompts(real('lumen_ui_fast.py'), 'python', { fileName: 'fast.py' }).map((p) => p.text);
    assert.deepEqual(texts.filter((t) => /<fast-|<input|<select|<option/.test(t)), []);
  });

  it('the rule: HTML elements with attributes, values, no word outside the tags; XML tags around values and markup with text are not it', () => {
    assert.equal(htmlAroundValuesOnly('<i id="icon-button" class="fas ${icon}" style="font-size: ${size}px" onclick=${script(\'clicked\')}></i>'), true);
    assert.equal(htmlAroundValuesOnly('<fast-tabs id="t">{% for n in names %}<fast-tab slot="tab">{{ n }}</fast-tab>{% endfor %}</fast-tabs>'), true);
    // A prompt's XML tags have no attributes: `<context>` around a value stays for the other rules to judge.
    assert.equal(htmlAroundValuesOnly('<context>${context}</context>\n<question>${question}</question>'), false);
    // Words outside the tags: a prompt that shows HTML.
    assert.equal(htmlAroundValuesOnly('Rewrite this element: <div class="card">${html}</div>'), false);
    // No value: plain markup is left to the "HTML markup" rule.
    assert.equal(htmlAroundValuesOnly('<div class="card"></div>'), false);
  });
});
