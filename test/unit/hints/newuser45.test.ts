// newuser45 ran the extension on All-Hands-AI/OpenHands (MIT outside enterprise/, commit 156d0686c46aafb0fa9d291da6421fb6f64dddc0;
// test/fixtures/hints-real/SOURCES.md). Oracle for the count: js-tiktoken's o200k_base encoder on the text the lens counts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('OpenHands Jinja prompt templates (newuser45)', () => {
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hintsOf = (text: string, fileName: string) => service.compute({ text, languageId: 'jinja', fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it('a template that includes another one is counted as a lower bound that names the include', async () => {
    // openhands/agenthub/codeact_agent/prompts/system_prompt_interactive.j2 opens with `{% include "system_prompt.j2" %}` (1,822
    // tokens of its own) and adds <INTERACTION_RULES>. Before: "246 tokens", no runtime value, as if the include sent nothing.
    const src = fixture('openhands_system_prompt_interactive.j2');
    const result = await hintsOf(src, 'openhands/agenthub/codeact_agent/prompts/system_prompt_interactive.j2');
    assert.equal(result.prompts.length, 1);
    const hint = result.prompts[0];
    assert.deepEqual(hint.runtimeValues, ['include "system_prompt.j2"']);
    // The fixed text: what Jinja renders with the included template empty. jinja2 3.1.6 (`Environment(loader=DictLoader(
    // {'system_prompt.j2': '', …}))`, OpenHands' PromptManager's defaults) renders the file without the tag and without its
    // last newline (237 tokens).
    const rendered = src.replace('{% include "system_prompt.j2" %}', '').replace(/\n$/, '');
    assert.equal(hint.cost.tokens.count, count(rendered));
    assert.ok(hint.cost.tokens.count < 300);
  });

  it('statement tags (if, endif) are no runtime values, and no text either', async () => {
    // As in OpenHands' security_risk_assessment.j2 (`{% if cli_mode %} … {% else %} … {% endif %}`, no `{{ … }}` field). Before,
    // the tags were counted as text in such a template (21 tokens here) and left out in one with a field.
    const src = ['{% if repository_info %}', 'Work only inside the cloned repository and keep its history intact.', '{% endif %}', ''].join('\n');
    const result = await hintsOf(src, 'prompts/additional_info.j2');
    assert.deepEqual(result.prompts.map((p) => p.runtimeValues), [[]]);
    // jinja2 3.1.6: `Environment().from_string(src).render(repository_info=True)` is this text (13 tokens). Since
    // leftovers46 an `{% if %}` without `{% else %}` is a choice with an empty branch (as `${cond ? `…` : ''}`): the
    // lower bound is `render(repository_info=False)`, '' (0 tokens), and the 13 tokens are the count with the longer branches.
    assert.equal(result.prompts[0].cost.tokens.count, 0);
    assert.equal(result.prompts[0].tokensWithLongerBranches, count('\nWork only inside the cloned repository and keep its history intact.\n'));
  });
});
