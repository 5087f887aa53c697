import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser37 on jina-ai/node-DeepResearch (Apache-2.0, commit 579fd95ffff6661bc331c6838ad930a652db46f3;
// test/fixtures/node-deepresearch/SOURCES.md).
const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'node-deepresearch');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.txt`), 'utf8');

type Found = ReturnType<typeof findPrompts>[number];
/** The lines a prompt spans, 1-based: its pieces' when it is composed of several. */
const span = (p: Found): [number, number] => {
  const ranges = p.pieces?.length ? p.pieces.map((x) => x.range) : [p.range];
  return [Math.min(...ranges.map((r) => r.start.line)) + 1, Math.max(...ranges.map((r) => r.end.line)) + 1];
};

describe('findPrompts: a TypeScript list declared with a type and grown with push (newuser37)', () => {
  const lines = (src: string, fileName = 'agent.ts') => findPrompts(src, undefined, { fileName }).map((p) => `${span(p).join('-')} ${p.kind}`);

  it("node-DeepResearch agent.ts getPrompt: `const sections: string[] = []` pushed and joined into `system` is one prompt", () => {
    const src = fixture('agent.ts');
    const prompts = findPrompts(src, undefined, { fileName: 'agent.ts' });
    const system = prompts.find((p) => span(p)[0] === 127);
    // Before: no prompt starts at line 127 (the header "You are an advanced AI research agent from Jina AI…"); only the
    // pushed pieces with an interpolation were found, each alone (153, 169, 231).
    assert.ok(system, `found: ${JSON.stringify(lines(src))}`);
    assert.deepEqual(span(system), [127, 239]);
    const texts = (system.pieces ?? []).map((x) => x.text);
    assert.ok(texts.some((t) => t.includes('You are an advanced AI research agent from Jina AI.')));
    assert.ok(texts.some((t) => t.includes('Think step by step, choose the action, then respond by matching the schema of that action.')));
  });

  const grown = (decl: string) =>
    [
      'export function buildPrompt(question: string, strict: boolean): string {',
      `  ${decl}`,
      "  parts.push('You are a research assistant. Answer the question from the sources you are given.');",
      "  if (strict) parts.push('Cite every claim with the number of its source, and say so when the sources do not answer.');",
      '  parts.push(`Question: ${question}`);',
      "  return parts.join('\\n\\n');",
      '}',
    ].join('\n');

  it('a typed list (`const parts: string[] = []`, `let parts: Array<string> = []`) composes like an untyped one', () => {
    const untyped = lines(grown('const parts = [];'), 'prompt.ts');
    assert.deepEqual(untyped, ['3-5 system']);
    // Before: [] for both.
    assert.deepEqual(lines(grown('const parts: string[] = [];'), 'prompt.ts'), untyped);
    assert.deepEqual(lines(grown('let parts: Array<string> = [];'), 'prompt.ts'), untyped);
  });

  it('a typed module list joined once (`const SYSTEM: string[] = [ … ]`) is one prompt of its lines', () => {
    const src = [
      'const SYSTEM: string[] = [',
      "  'You are a careful reviewer of pull requests.',",
      "  'Point out bugs, missing tests and unclear names, one per line.',",
      '];',
      "export const systemPrompt = SYSTEM.join('\\n');",
    ].join('\n');
    // Before: ['2-2 system'] (the first line alone).
    assert.deepEqual(lines(src, 'system.ts'), ['2-3 system']);
    assert.deepEqual(lines(src.replace('const SYSTEM: string[] = [', 'const SYSTEM = ['), 'system.ts'), ['2-3 system']);
  });

  it('a typed string grown with += (`let prompt: string = "…"; prompt += "…"`) is one prompt', () => {
    const src = [
      "import OpenAI from 'openai';",
      'export async function ask(client: OpenAI) {',
      "  let prompt: string = 'You are a careful reviewer of pull requests. Point out bugs and missing tests.';",
      "  prompt += ' Answer in a short bulleted list, one problem per line.';",
      "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: prompt }] });",
      '}',
    ].join('\n');
    // Before: ['3-3 system', '4-4 user'].
    assert.deepEqual(lines(src, 'ask.ts'), ['3-4 system']);
  });

  it('near miss: a typed list passed on to another function before its join is still not read', () => {
    const src = grown('const parts: string[] = [];').replace("  return parts.join('\\n\\n');", "  log(parts);\n  return parts.join('\\n\\n');");
    assert.deepEqual(lines(src, 'prompt.ts'), lines(src.replace('const parts: string[] = [];', 'const parts = [];'), 'prompt.ts'));
  });
});

describe("findPrompts: a config lookup's key is no model (newuser37)", () => {
  const models = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.model?.name ?? '-'}`);

  it("node-DeepResearch broken-ch-fixer.ts: `generateText({ model: getModel('fallback'), system, prompt })` names no model", () => {
    // Before: ['60 system fallback', '67 user fallback'] ("no price (fallback)"; Estimate Cost failed on it).
    assert.deepEqual(models(fixture('broken-ch-fixer.ts'), 'broken-ch-fixer.ts'), ['60 system -', '67 user -']);
  });

  const call = (model: string) =>
    [
      "import { generateText } from 'ai';",
      'export async function summarize(text: string) {',
      '  return generateText({',
      `    model: ${model},`,
      "    system: 'You are a concise editor. Summarize the text in three sentences, keeping every number it gives.',",
      '    prompt: text,',
      '  });',
      '}',
    ].join('\n');

  it("near misses: a provider's factory and a model-like name in any call still name the model", () => {
    assert.deepEqual(models(call("openai('gpt-4o-mini')"), 'a.ts'), ['5 system gpt-4o-mini']);
    assert.deepEqual(models(call("google('gemini-2.5-flash')"), 'a.ts'), ['5 system gemini-2.5-flash']);
    assert.deepEqual(models(call("anthropic('claude-sonnet-4-5')"), 'a.ts'), ['5 system claude-sonnet-4-5']);
    assert.deepEqual(models(call("getModel('gpt-4o')"), 'a.ts'), ['5 system gpt-4o']);
    assert.deepEqual(models(call("createOpenAI({ apiKey })('gpt-4o-mini')"), 'a.ts'), ['5 system gpt-4o-mini']);
    assert.deepEqual(models(call("getModel('summarizer')"), 'a.ts'), ['5 system -']);
  });
});
