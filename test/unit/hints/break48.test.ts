// breaker48: Jinja corners. A `{% call m(…) %}…{% endcall %}` block sends what the macro renders (its body only where the
// macro calls `caller()`): a runtime value, as the macro call `{{ m() }}` is since breaker47. Its body was counted as sent
// text and the count said "exact" although the macro's output was not counted.
// Oracle: jinja2 3.1.6, `Environment().from_string(src).render()` with the call block's output left out (replaced by a
// `{{ x }}` rendered empty), counted by js-tiktoken (test/helpers/tiktokenOracle); the render was made by
//   python3 -c 'import jinja2; …' (the script is in the comment of the test), its text pasted below.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const service = new PromptHintService(() => PriceCatalog.bundled());
const hintsOf = (text: string, fileName: string, languageId: string) =>
  service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

describe('a Jinja call block sends what its macro renders: a runtime value (breaker48)', () => {
  const src = [
    '{% macro section(title) -%}',
    '## {{ title }}',
    '{{ caller() }}',
    '{%- endmacro %}',
    'You are a careful reviewer of pull requests for the platform team.',
    '{% call section("Rules") %}',
    'Flag every change to the public API and explain why it matters to the users of the library.',
    '{% endcall %}',
    'Answer in English.',
    '',
  ].join('\n');

  it('in a .j2 prompt file: the text around it counted, the call named as a runtime value', async () => {
    const [hint] = (await hintsOf(src, 'prompts/review.j2', 'jinja')).prompts;
    // python3: src2 = src with the call block replaced by '{{ x }}'; jinja2.Environment().from_string(src2).render(x='')
    // == '\nYou are a careful reviewer of pull requests for the platform team.\n\nAnswer in English.'
    // (The whole render, with the macro's output: '…team.\n## Rules\n\nFlag every change … library.\n\nAnswer in English.')
    // Before: the body counted as sent text, no runtime value.
    assert.equal(hint.cost.tokens.count, count('\nYou are a careful reviewer of pull requests for the platform team.\n\nAnswer in English.'));
    assert.deepEqual(hint.runtimeValues, ['call section("Rules")']);
  });

  it('in a Python string rendered as Jinja: the same', async () => {
    const py = `from jinja2 import Template\n\nSYSTEM_PROMPT = Template("""${src}""")\n`;
    const hint = (await hintsOf(py, 'review.py', 'python')).prompts.find((p) => p.location.text.includes('careful reviewer'));
    assert.ok(hint);
    assert.equal(hint.cost.tokens.count, count('\nYou are a careful reviewer of pull requests for the platform team.\n\nAnswer in English.'));
    assert.deepEqual(hint.runtimeValues, ['call section("Rules")']);
  });
});
