// New-user check of session 23 on stackblitz/bolt.new: for `getSystemPrompt` (a template
// literal with `${cwd}` and four other interpolations) the lens said "≥2,890 tokens + runtime
// values" and Analyze Prompt said "2,929 tokens · exact": the panel counted the interpolation
// code as prompt text. The panel now leads with the lens's count of the fixed text. The oracle
// is the TypeScript compiler's parser (the literal's cooked pieces) and js-tiktoken's
// o200k_base encoder, not the scanner: 2,890 without the interpolations, 2,929 with their
// `${…}` source text.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import type { PromptAnalysis, TokenCount } from '../../../src/protocol/prompt';
import { analysisHeadline } from '../../../src/protocol/webview';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { o200k } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const source = readFileSync(path.join(root, 'test/fixtures/scan/ts/bolt_prompts.ts'), 'utf8');

/** The system prompt's template literal as TypeScript reads it: cooked pieces, and the whole body as written (interpolations included, escapes cooked). */
function systemPromptByTypeScript(): { fixed: string; written: string; expressions: string[] } {
  const sf = ts.createSourceFile('prompts.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let found: ts.TemplateExpression | undefined;
  const visit = (n: ts.Node): void => {
    if (!found && ts.isTemplateExpression(n)) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  assert.ok(found, 'TypeScript finds the template literal');
  const t = found;
  const expressions = t.templateSpans.map((s) => s.expression.getText(sf));
  const fixed = [t.head.text, ...t.templateSpans.map((s) => s.literal.text)].join('');
  const written = t.head.text + t.templateSpans.map((s) => `\${${s.expression.getText(sf)}}${s.literal.text}`).join('');
  return { fixed, written, expressions };
}

describe('Analyze Prompt leads with the lens count for a prompt with runtime values (bolt.new getSystemPrompt)', function () {
  this.timeout(60_000);
  const oracle = systemPromptByTypeScript();

  it('the oracle: 2,890 tokens of fixed text, 2,929 with the interpolations as written', () => {
    assert.equal(o200k.encode(oracle.fixed).length, 2890);
    assert.equal(o200k.encode(oracle.written).length, 2929);
  });

  it('the fixed text the panel counts is the lens text: the same string and the same runtime values', async () => {
    const hints = await new PromptHintService(() => PriceCatalog.bundled()).compute({ languageId: 'typescript', fileName: 'prompts.ts', text: source, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const hint = hints.prompts.find((p) => p.location.boundName === 'getSystemPrompt');
    assert.ok(hint, 'the hint service finds getSystemPrompt');
    const composed = composePrompt(hint.location, source);
    assert.equal(composed.counted, oracle.fixed);
    assert.equal(hint.cost.tokens.count, 2890);
    assert.deepEqual(hint.runtimeValues, [...new Set(oracle.expressions)]);
    // What the panel sends to prompt/analyze (its scores and suggestions read the prompt as written).
    assert.equal(hint.location.text, oracle.written);
  });

  it('the headline is "≥ 2,890" with the values named when the fixed count is given, else the analysis count', () => {
    const tokens = (count: number): TokenCount => ({ count, model: 'gpt-5.4', encoding: 'o200k_base', method: 'exact' });
    const analysis = { tokenCount: 2929, tokens: tokens(2929) } as PromptAnalysis;
    const runtimeValues = ['MODIFICATIONS_TAG_NAME', 'cwd'];
    assert.deepEqual(analysisHeadline({ analysis, fixed: { tokens: tokens(2890), runtimeValues } }), { tokens: tokens(2890), atLeast: true, runtimeValues });
    assert.deepEqual(analysisHeadline({ analysis }), { tokens: tokens(2929), atLeast: false, runtimeValues: [] });
    // (A fixed text with no value named is given only for text chosen by a condition between literals, a lower bound too:
    // leftovers46. It was ignored before.)
    assert.deepEqual(analysisHeadline({ analysis, fixed: { tokens: tokens(2890), runtimeValues: [] } }), { tokens: tokens(2890), atLeast: true, runtimeValues: [] });
    assert.equal(analysisHeadline({}), undefined);
  });
});
