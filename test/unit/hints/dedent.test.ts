// New-user check of session 23 on stackblitz/bolt.new: `CONTINUE_PROMPT = stripIndents`…``
// showed "33 tokens (exact)", but bolt sends it through its `stripIndents`, which drops the
// code's indentation: the model gets 30 tokens. The enhancer's `stripIndents` user message:
// "≥45" shown, 38 sent. Counts are now of the stripped text. Oracles: bolt.new's own
// `_stripIndents` (app/utils/stripIndent.ts, restated below) on the literal's cooked text as the
// TypeScript compiler's parser reads it, CPython 3's `textwrap.dedent` (values computed with it
// and written here), and js-tiktoken's o200k_base encoder.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { stripIndentation } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');

/** bolt.new's `_stripIndents` (app/utils/stripIndent.ts at eda10b1), restated: the oracle for what bolt sends. */
const boltStripIndents = (value: string): string =>
  value
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .trimStart()
    .replace(/[\r\n]$/, '');

/** The cooked text of the `stripIndents`-tagged templates of a file, runtime values left out (TypeScript's parser). */
function taggedTexts(source: string): string[] {
  const sf = ts.createSourceFile('case.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(n) && n.tag.getText(sf) === 'stripIndents') {
      const t = n.template;
      out.push(ts.isTemplateExpression(t) ? [t.head.text, ...t.templateSpans.map((s) => s.literal.text)].join('') : t.text);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe('prompts passed through an indentation stripper are counted as sent', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hintsOf = (rel: string, languageId: string, text = fixture(rel)) => service.compute({ text, languageId, fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it('bolt.new CONTINUE_PROMPT: 30 tokens (bolt strips the indentation), not 33', async () => {
    const [sent] = taggedTexts(fixture('ts/bolt_prompts.ts')).map(boltStripIndents);
    assert.equal(count(sent), 30);
    const result = await hintsOf('ts/bolt_prompts.ts', 'typescript');
    const hint = result.prompts.find((p) => p.location.boundName === 'CONTINUE_PROMPT');
    assert.ok(hint);
    assert.equal(hint.location.dedent, 'stripIndents');
    assert.equal(hint.cost.tokens.count, 30);
    assert.deepEqual(hint.runtimeValues, []);
  });

  it('bolt.new enhancer: ≥38 tokens + runtime values (message), not ≥45', async () => {
    const [fixed] = taggedTexts(fixture('ts/bolt_api_enhancer.ts')).map(boltStripIndents);
    assert.equal(count(fixed), 38);
    const result = await hintsOf('ts/bolt_api_enhancer.ts', 'typescript');
    assert.equal(result.prompts.length, 1);
    const [hint] = result.prompts;
    assert.equal(hint.cost.tokens.count, 38);
    assert.deepEqual(hint.runtimeValues, ['message']);
  });

  it('the system prompt without a stripper is counted as written (2,890)', async () => {
    const result = await hintsOf('ts/bolt_prompts.ts', 'typescript');
    const hint = result.prompts.find((p) => p.location.boundName === 'getSystemPrompt');
    assert.equal(hint?.location.dedent, undefined);
    assert.equal(hint?.cost.tokens.count, 2890);
  });

  it('Python textwrap.dedent("""…"""): counted as CPython dedents it', async () => {
    const source = 'import textwrap\nfrom openai import OpenAI\n\nclient = OpenAI()\nSYSTEM_PROMPT = textwrap.dedent("""\n    You are a careful assistant.\n\n      - Answer in English.\n    \\t\n    Be brief.\n    """)\n\nclient.chat.completions.create(model="gpt-5.4", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
    // CPython 3: textwrap.dedent('\n    You are a careful assistant.\n\n      - Answer in English.\n    \t\n    Be brief.\n    ')
    const dedented = '\nYou are a careful assistant.\n\n  - Answer in English.\n\nBe brief.\n';
    const [p] = findPrompts(source, undefined, { fileName: 'agent.py' });
    assert.ok(p, 'the scanner finds the prompt');
    assert.equal(p.dedent, 'textwrap.dedent');
    const result = await hintsOf('agent.py', 'python', source);
    assert.equal(result.prompts[0].cost.tokens.count, count(dedented));
    assert.notEqual(count(dedented), count(p.text));
  });

  it('stripIndentation matches the oracles on edge cases', () => {
    // CPython 3: textwrap.dedent('\n\tKeep tabs.\n\t  Indented more.\n') and textwrap.dedent(' a\n\tb') (no common margin).
    assert.equal(stripIndentation('\n\tKeep tabs.\n\t  Indented more.\n', 'textwrap.dedent'), '\nKeep tabs.\n  Indented more.\n');
    assert.equal(stripIndentation(' a\n\tb', 'textwrap.dedent'), ' a\n\tb');
    const text = '\n    First.\n      Second.\n    ';
    assert.equal(stripIndentation(text, 'stripIndents'), 'First.\nSecond.');
    assert.equal(stripIndentation(text, 'stripIndent'), 'First.\n  Second.');
  });
});
