// Session 46 (leftovers46): wrong answers of the prompt hints left by earlier helpers (issue 12).
// Oracle for counts: js-tiktoken's o200k_base encoder (test/helpers/tiktokenOracle.ts) on the text JavaScript sends, written
// out here by hand from the ECMAScript rules (an escaped `\${x}` is the two characters `$` `{` and the rest as written).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { summarize } from '../../../src/shared/prompt/scanner/scanFiles';
import { analysisHeadline } from '../../../src/protocol/webview';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const service = new PromptHintService(() => PriceCatalog.bundled());
const hintsOf = (text: string, fileName: string, languageId: string) =>
  service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

const ESCAPED = [
  'import OpenAI from "openai";',
  'const client = new OpenAI();',
  'export async function run(user: { name: string }) {',
  '  const systemPrompt = `You are a helpful assistant for ${user.name}. Write shell variables as \\${HOME} and never expand them yourself.`;',
  '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: systemPrompt }] });',
  '}',
  '',
].join('\n');

describe('an escaped `\\${x}` in a template literal is text (finder45, h4.ts `\\${not}`)', () => {
  it('is counted as the text `${HOME}`, and only the live interpolation is a runtime value', async () => {
    const { prompts } = await hintsOf(ESCAPED, 'run.ts', 'typescript');
    assert.equal(prompts.length, 1);
    // Before: runtimeValues [user.name, HOME] and 18 tokens (the `${HOME}` left out).
    assert.deepEqual(prompts[0].runtimeValues, ['user.name']);
    assert.equal(prompts[0].cost.tokens.count, count('You are a helpful assistant for . Write shell variables as ${HOME} and never expand them yourself.'));
    assert.deepEqual(prompts[0].location.placeholders.map((p) => p.name), ['user.name']);
  });

  it('stays a marker when the file fills such markers itself (a `.replace` of `${HOME}`, or of any `${…}` by a regular expression)', () => {
    for (const filler of ['const out = systemPrompt.replace("${HOME}", home);', 'const out = systemPrompt.replace(/\\$\\{(\\w+)\\}/g, (_, k) => env[k]);']) {
      const src = ESCAPED.replace('  return client', `  ${filler}\n  return client`);
      const p = findPrompts(src, 'typescript', { fileName: 'run.ts' })[0];
      assert.deepEqual(p.placeholders.map((x) => x.name), ['user.name', 'HOME'], filler);
      assert.deepEqual(composePrompt(p, src).runtimeValues, ['user.name', 'HOME'], filler);
    }
  });
});

describe('a choice between literals names what it sends, not its condition', () => {
  it('anthropic-quickstarts customer-support route.ts: `${isRagWorking ? `${retrievedContext}` : "No information…"}` names retrievedContext, not isRagWorking', async () => {
    // The issue's own example (test/fixtures/scan/ts/aq_customer_support_route.ts, anthropics/anthropic-quickstarts deaa969b, MIT).
    const src = readFileSync(path.join(root, 'test/fixtures/scan/ts/aq_customer_support_route.ts'), 'utf8');
    const { prompts } = await hintsOf(src, 'route.ts', 'typescript');
    const system = prompts.find((p) => p.location.text.startsWith('You are acting as an Anthropic customer support assistant'));
    assert.ok(system, prompts.map((p) => p.location.text.slice(0, 40)).join(' | '));
    // Before: ['isRagWorking', 'retrievedContext', …]; `USE_CATEGORIES ? `…` : ""` fills a variable, its condition named nowhere either.
    assert.deepEqual(system.runtimeValues, ['retrievedContext', 'customerSupportCategories.categories.length', 'categoryListString']);
    assert.ok(system.tokensWithLongerBranches !== undefined && system.tokensWithLongerBranches > system.cost.tokens.count);
  });

  it('a branch that is a value, `${isRag ? ctx : "none"}`, is that value; the literal branch is counted apart', () => {
    const src = 'const system = `Answer the question using the notes. Notes: ${isRag ? ctx : "none"}`;\nclient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });\n';
    const p = findPrompts(src, 'typescript', { fileName: 'notes.ts' })[0];
    const composed = composePrompt(p, src);
    // Before: one runtime value named by the whole expression, `isRag ? ctx : "none"`.
    assert.deepEqual(composed.runtimeValues, ['ctx']);
    assert.equal(composed.counted, 'Answer the question using the notes. Notes: ');
    assert.equal(composed.withLongerBranches, 'Answer the question using the notes. Notes: none');
  });

  it('a choice between two literals names nothing, and the scan still marks the count as a lower bound', () => {
    const src = "const system = `You are a support agent for the store. ${formal ? 'Answer formally, citing the order number and the policy.' : 'Answer briefly.'} Never promise refunds.`;\nclient.chat.completions.create({ model: \"gpt-4o\", messages: [{ role: \"system\", content: system }] });\n";
    const prompts = findPrompts(src, 'typescript', { fileName: 'store.ts' });
    // Before: runtimeValues ['formal'], a condition that is never sent.
    assert.deepEqual(composePrompt(prompts[0], src).runtimeValues, []);
    const [item] = summarize([{ file: 'store.ts', languageId: 'typescript', prompts, elapsedMs: 0, source: src }], 'gpt-4o');
    assert.equal(item.tokens, count('You are a support agent for the store. Answer briefly. Never promise refunds.'));
    assert.equal(item.tokensWithLongerBranches, count('You are a support agent for the store. Answer formally, citing the order number and the policy. Never promise refunds.'));
    assert.equal(item.tokensAtLeast, true);
    assert.equal(item.runtimeValues, undefined);
  });

  it('Analyze Prompt leads with the same lower bound: a fixed text with no value named is still "≥ N"', () => {
    const tokens = { count: 14, method: 'exact' as const, encoding: 'o200k_base' as const, model: 'gpt-4o' };
    const analysis = { tokens: { count: 40, method: 'exact' as const, encoding: 'o200k_base' as const, model: 'gpt-4o' } } as unknown as Parameters<typeof analysisHeadline>[0]['analysis'];
    // Before: a fixed text without runtime values was ignored, and the panel led with the literal's count as written (40,
    // the `${formal ? … : …}` code included); until leftovers46 such a prompt named its condition, so it had one.
    assert.deepEqual(analysisHeadline({ analysis, fixed: { tokens, runtimeValues: [] } }), { tokens, atLeast: true, runtimeValues: [] });
    assert.deepEqual(analysisHeadline({ analysis }), { tokens: analysis?.tokens, atLeast: false, runtimeValues: [] });
  });
});

describe('Jinja template files: only tags are fields, and `{% if %}` sends one branch (newuser45 findings 8 and 10)', () => {
  // All-Hands-AI/OpenHands 156d0686 (MIT; test/fixtures/hints-real/SOURCES.md), openhands/agenthub/codeact_agent/prompts/.
  const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

  it('in_context_learning_example.j2: the `{i}` of its example code is text, counted as jinja2 renders it', async () => {
    const src = fixture('openhands_in_context_learning_example.j2');
    const { prompts } = await hintsOf(src, 'prompts/in_context_learning_example.j2', 'jinja');
    assert.equal(prompts.length, 1);
    // Before: "≥1,559 tokens + runtime values: i".
    assert.deepEqual(prompts[0].runtimeValues, []);
    // The file has no tag: jinja2 3.1.6 renders it as written, less its last newline (`FileSystemLoader(…).get_template(…).render()`,
    // 1,567 tokens by js-tiktoken o200k_base).
    assert.equal(prompts[0].cost.tokens.count, count(src.replace(/\n$/, '')));
  });

  it('security_risk_assessment.j2: `{% if cli_mode %}…{% else %}…{% endif %}` counts the shorter branch, the longer apart', async () => {
    const src = fixture('openhands_security_risk_assessment.j2');
    const { prompts } = await hintsOf(src, 'prompts/security_risk_assessment.j2', 'jinja');
    assert.equal(prompts.length, 1);
    assert.deepEqual(prompts[0].runtimeValues, []);
    // jinja2 3.1.6, `FileSystemLoader(folder).get_template('security_risk_assessment.j2').render(cli_mode=…)`, counted by
    // js-tiktoken o200k_base: cli_mode=False 135 tokens, cli_mode=True 147. Before: 238, both branches.
    assert.equal(prompts[0].cost.tokens.count, 135);
    assert.equal(prompts[0].tokensWithLongerBranches, 147);
  });

  it('single braces stay fields in a prompt file no template engine claims (a `.txt` filled by str.format)', async () => {
    const { prompts } = await hintsOf('Answer the question {question} in at most {limit} words, citing the sources you were given.\n', 'prompts/answer.txt', 'plaintext');
    assert.deepEqual(prompts[0]?.runtimeValues, ['question', 'limit']);
  });
});
