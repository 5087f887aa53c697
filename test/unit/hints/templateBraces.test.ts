// `{name}` in a JavaScript template literal is sent as written: the language substitutes only `${…}`.
// newuser28 saw llamacoder's lib/prompts.ts:87 (Nutlope/llamacoder, MIT; test/fixtures/hints-real/SOURCES.md), an inline
// JSX example `<LineChart data={data}>` in the backtick `systemPrompt`, listed under "Runtime values, not counted" and left
// out of the count. Oracle: the file read by hand (the one `${…}` of systemPrompt is the shadcnDocs list at line 119; no
// code of the file fills `{data}`); the other cases are written for this test, each with the library that fills `{name}`.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { composePrompt } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');

describe('hints: {name} in a JavaScript template literal', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (text: string, languageId = 'typescript', fileName = 'a.ts') =>
    (await service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;

  it('llamacoder systemPrompt: {data} of a JSX example is text, counted; the shadcnDocs list stays a runtime value', async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/hints-real/llamacoder_prompts.ts'), 'utf8');
    const prompts = await hints(text, 'typescript', 'prompts.ts');
    const system = prompts.find((h) => h.location.boundName === 'systemPrompt');
    assert.ok(system);
    assert.deepEqual(system.runtimeValues, ['shadcnDocs.map((component) => `- ${component.name}: ${component.importDocs}`).join("\\n")']);
    assert.deepEqual(system.location.placeholders.map((p) => [p.name, p.interpolated]), [[system.runtimeValues[0], true]]);
    assert.ok(composePrompt(system.location, text).counted.includes('<LineChart data={data}><XAxis dataKey="name" />'));
  });

  const runtimeOf = async (code: string[], languageId = 'typescript', fileName = 'a.ts'): Promise<string[][]> =>
    (await hints(code.join('\n'), languageId, fileName)).map((h) => h.runtimeValues);

  it('a template literal with ${…} and {name}: {name} is text', async () => {
    assert.deepEqual(
      await runtimeOf([
        'import OpenAI from "openai";',
        'const client = new OpenAI();',
        'export const run = (lang: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: `You are a ${lang} tutor. In JSX, write props as <Chart data={data} /> and keep answers short.` }] });',
      ]),
      [['lang']],
    );
  });

  it('filled by LangChain.js, by .replace("{name}") or by PromptTemplate.fromTemplate(variable): {name} stays a runtime value', async () => {
    assert.deepEqual(
      await runtimeOf([
        'import { ChatPromptTemplate } from "@langchain/core/prompts";',
        'const tone = "formal";',
        'export const prompt = ChatPromptTemplate.fromTemplate(`You are a ${tone} assistant. Answer the question about {topic} in three sentences.`);',
      ]),
      // (`tone` and `role`, `const` strings of the file interpolated bare, are text counted in place: comp32.)
      [['topic']],
    );
    assert.deepEqual(
      await runtimeOf([
        'const role = "analyst";',
        'export const SYSTEM_PROMPT = `You are a careful ${role}. Summarize the report below for {audience} in five bullet points.`;',
        'export const fill = (audience: string) => SYSTEM_PROMPT.replace("{audience}", audience);',
      ]),
      [['audience']],
    );
    assert.deepEqual(
      await runtimeOf([
        'import { PromptTemplate } from "@langchain/core/prompts";',
        'const SYSTEM_PROMPT = `You are a careful analyst. Summarize the report below for {audience} in five bullet points.`;',
        'export const template = PromptTemplate.fromTemplate(SYSTEM_PROMPT);',
      ]),
      [['audience']],
    );
  });

  it('Python .format strings and f-strings, and quoted JavaScript strings, are unchanged', async () => {
    assert.deepEqual(
      await runtimeOf(['SYSTEM_PROMPT = "You are a careful analyst. Summarize the report below for {audience} in five bullet points."', 'def build(audience):', '    return SYSTEM_PROMPT.format(audience=audience)'], 'python', 'a.py'),
      [['audience']],
    );
    assert.deepEqual(await runtimeOf(['def build(audience):', '    SYSTEM_PROMPT = f"You are a careful analyst. Summarize the report below for {audience} in five bullet points."', '    return SYSTEM_PROMPT'], 'python', 'a.py'), [['audience']]);
    assert.deepEqual(await runtimeOf(['export const SYSTEM_PROMPT = "You are a careful analyst. Summarize the report below for {audience} in five bullet points.";']), [['audience']]);
  });

  // continue (continuedev/continue, Apache-2.0; test/fixtures/hints-real/continue_autocomplete_template.ts:420-515, the hole
  // filler from VictorTaelin/AI-scripts): `SYSTEM_MSG + `…${prefix}{{FILL_HERE}}${suffix}…``. The language fills prefix and
  // suffix; `{{FILL_HERE}}` and `'{{HOLE_NAME}}'` are markers the model reads (the prompt asks it to fill "the {{FILL_HERE}}
  // hole"), and nothing in the file renders them. The lens listed them as runtime values and left them out of the count.
  it('continue\'s hole filler: {{FILL_HERE}} beside ${prefix} is text, counted; {{{prefix}}} Handlebars templates stay tags', async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/hints-real/continue_autocomplete_template.ts'), 'utf8');
    const prompts = await hints(text, 'typescript', 'AutocompleteTemplate.ts');
    const filler = prompts.find((h) => h.location.text.startsWith('You are a HOLE FILLER.'));
    assert.ok(filler);
    assert.deepEqual(filler.runtimeValues, ['prefix', 'suffix']);
    const counted = composePrompt(filler.location, text).counted;
    assert.ok(counted.includes("formatted as '{{HOLE_NAME}}'. Your TASK"), counted.slice(0, 200));
    assert.ok(counted.includes('TASK: Fill the {{FILL_HERE}} hole. Answer only'));
    // gptAutocompleteTemplate (a Handlebars string continue compiles elsewhere): both fields are values.
    const gpt = prompts.find((h) => h.location.text.includes('[BLANK]'));
    assert.deepEqual(gpt?.runtimeValues, ['prefix', 'suffix']);
  });

  it('{{name}} stays a value when nothing fills ${…} in the prompt, or when the file renders it', async () => {
    const call = (content: string): string => `export const run = (lang: string, q: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: ${content} }] });`;
    const head = ['import OpenAI from "openai";', 'const client = new OpenAI();'];
    // No `${…}`: a template for a later render (promptfoo, LangChain mustache), as before.
    assert.deepEqual(await runtimeOf([...head, call('`You are a tutor. Answer the student question {{question}} in two short paragraphs.`')]), [['question']]);
    // `${…}` beside it, but the file renders the tag.
    assert.deepEqual(
      await runtimeOf([...head, 'const fill = (t: string, q: string) => t.replace("{{question}}", q);', call('fill(`You are a ${lang} tutor. Answer the student question {{question}} in two short paragraphs.`, q)')]),
      [['lang', 'question']],
    );
    assert.deepEqual(
      await runtimeOf(['import Handlebars from "handlebars";', ...head, call('Handlebars.compile(`You are a ${lang} tutor. Answer the student question {{question}} in two short paragraphs.`)({ question: q })')]),
      [['lang', 'question']],
    );
    // `${…}` and nothing renders it: a marker sent as written.
    assert.deepEqual(await runtimeOf([...head, call('`You are a ${lang} tutor. Replace the {{BLANK}} in the student answer with one word.`')]), [['lang']]);
  });

  // break30b: hand-written renderers seen in real code fill every {{tag}} too, with no library name and no quoted tag:
  // continue's core/autocomplete/templating/__tests__/renderPrompt.vitest.ts (d0a3c0b) `.replace(/{{prefix}}/g, ctx.prefix)`,
  // Flowise's packages/server/src/utils/buildAgentflow.ts `template.replace(/{{(.*?)}}/g, …)` and
  // ExtractMetadataRetriever.ts `this.prompt.replace(`{{${queryPrefix}}}`, query)`. Each fills {{question}} and {{source}},
  // so both are runtime values beside ${lang}; 68501f8 counted them as text.
  it('{{name}} beside ${…} stays a value when a hand-written renderer fills it', async () => {
    const head = ['import OpenAI from "openai";', 'const client = new OpenAI();'];
    const prompt = '`You are a ${lang} tutor. Answer the student question {{question}} in two short paragraphs, citing the {{source}} when needed.`';
    const call = (content: string): string => `client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: ${content} }] })`;
    const values = [['lang', 'question', 'source']];
    assert.deepEqual(await runtimeOf([...head, `export const run = (lang: string, q: string, s: string) => ${call(`${prompt}.replace(/{{question}}/g, q).replace(/{{source}}/g, s)`)};`]), values);
    assert.deepEqual(await runtimeOf([...head, 'const fillIn = (t: string, v: Record<string, string>) => t.replace(/{{(.*?)}}/g, (_m, k: string) => v[k.trim()] ?? "");', `export const run = (lang: string, v: Record<string, string>) => ${call(`fillIn(${prompt}, v)`)};`]), values);
    assert.deepEqual(await runtimeOf([...head, 'function fill(t: string, v: Record<string, string>) { return t.replace(/\\{\\{\\s*(\\w+)\\s*\\}\\}/g, (_m, k: string) => v[k] ?? ""); }', `export const run = (lang: string, v: Record<string, string>) => ${call(`fill(${prompt}, v)`)};`]), values);
    assert.deepEqual(await runtimeOf([...head, `export const run = (lang: string, vars: Record<string, string>) => { let prompt = ${prompt}; for (const [k, v] of Object.entries(vars)) prompt = prompt.replaceAll(\`{{\${k}}}\`, v); return ${call('prompt')}; };`]), values);
    assert.deepEqual(await runtimeOf([...head, `export const run = (lang: string, vars: Record<string, string>) => { let prompt = ${prompt}; for (const k in vars) prompt = prompt.split("{{" + k + "}}").join(vars[k]); return ${call('prompt')}; };`]), values);
  });
});
