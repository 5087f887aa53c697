// newuser35 on langchain-ai/open-canvas (MIT, commit 0310cecd51f31b3d37a52d6d1060137da3405280;
// test/fixtures/open-canvas/SOURCES.md): apps/agents/src/reflection/prompts.ts imports nothing and exports
// REFLECT_SYSTEM_PROMPT with `{artifact}` and `{reflections}`, which reflection/index.ts fills with
// `.replace("{artifact}", …).replace("{reflections}", …)`. The lens, the hover and Analyze Prompt said "604 tokens",
// exact, counting the two field names as text. Oracle: the files read by hand (every `{name}` of both prompts is
// filled by a `.replace` in index.ts; the prompts have no other brace).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');

describe('hints: {name} of an exported prompt in a prompt module that imports nothing (newuser35)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hints = async (text: string, fileName: string) =>
    (await service.compute({ text, languageId: 'typescript', fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;

  it('open-canvas reflection/prompts.ts: REFLECT_SYSTEM_PROMPT is ≥ its text + runtime values (artifact, reflections)', async () => {
    const text = readFileSync(path.join(root, 'test/fixtures/open-canvas/reflection-prompts.ts.txt'), 'utf8');
    const system = (await hints(text, 'prompts.ts')).find((h) => h.location.boundName === 'REFLECT_SYSTEM_PROMPT');
    assert.ok(system);
    // Before: [] and 604 tokens, exact.
    assert.deepEqual(system.runtimeValues, ['artifact', 'reflections']);
  });

  const runtimeOf = async (code: string[]): Promise<string[][]> => (await hints(code.join('\n'), 'prompts.ts')).map((h) => h.runtimeValues);

  it('near misses: a JSX attribute `data={data}`, a JSON brace, a file with imports, a name that is no prompt: text', async () => {
    const body = 'You are a charting assistant. Read the table below and answer with one chart of it for the dashboard.\n<table>\n{table}\n</table>';
    assert.deepEqual(await runtimeOf([`export const CHART_PROMPT = \`${body}\`;`]), [['table']]);
    assert.deepEqual(await runtimeOf([`export const CHART_PROMPT = \`${body}\nWrite it as <LineChart data={data} /> in JSX.\`;`]), [[]]);
    assert.deepEqual(await runtimeOf([`export const CHART_PROMPT = \`${body}\nAnswer as {"chart": "line"}.\`;`]), [[]]);
    assert.deepEqual(await runtimeOf(['import dedent from "dedent";', `export const CHART_PROMPT = \`${body}\`;`]), [[]]);
    assert.deepEqual(await runtimeOf([`const CHART_PROMPT = \`${body}\`;`]), [[]]);
  });
});
