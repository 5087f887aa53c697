/**
 * An integer constant of the file interpolated bare into a prompt is counted in place, not left out as a runtime value
 * (newuser44: anything-llm's OBSERVER_SYSTEM_PROMPT says "Maximum ${MAX_CANDIDATES_PER_RUN} observations per batch",
 * `const MAX_CANDIDATES_PER_RUN = 3;` ten lines above; the lens read "≥263 tokens + runtime values").
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { integerConstants } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const fixture = readFileSync(join(__dirname, '../../../../test/fixtures/hints-real/anythingllm_memory_extraction_utils.js'), 'utf8');

async function hints(text: string, languageId: string, fileName: string) {
  return (await new PromptHintService(sharedPriceCatalog).compute({ text, languageId, fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;
}

describe('integer constants of the file counted in place (composed.ts integerConstants)', () => {
  it("anything-llm's observer prompt (real file): MAX_CANDIDATES_PER_RUN is counted as 3, and the count is exact", async () => {
    const prompts = await hints(fixture, 'javascript', '/w/server/jobs/helpers/memory-extraction-utils.js');
    const observer = prompts.find((p) => p.location.boundName === 'OBSERVER_SYSTEM_PROMPT');
    assert.ok(observer);
    // The oracle: the template literal's body as written in the file, its one interpolation replaced by the constant's value.
    const start = fixture.indexOf('const OBSERVER_SYSTEM_PROMPT = `') + 'const OBSERVER_SYSTEM_PROMPT = `'.length;
    const body = fixture.slice(start, fixture.indexOf('`;', start));
    assert.equal((body.match(/\$\{/g) ?? []).length, 1);
    assert.deepEqual([observer.runtimeValues, observer.cost.tokens.count], [[], count(body.replace('${MAX_CANDIDATES_PER_RUN}', '3'))]);
    // The tool schema's description names it too.
    const described = prompts.find((p) => p.location.text.startsWith('Candidate observations, max'));
    assert.deepEqual([described?.runtimeValues, described?.cost.tokens.count], [[], count('Candidate observations, max 3 items. Empty list is fine.')]);
  });

  it('Python: `MAX_ITEMS = 1_000` is written 1000; a format spec, a name bound twice, a lower-case name or a `global` one stay runtime values', async () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'MAX_ITEMS = 1_000',
      'MAX_WORDS: int = 50',
      'RETRIES = 2',
      'RETRIES = 3',
      'limit = 4',
      '',
      'def ask(q):',
      '    prompt = f"Answer in at most {MAX_WORDS} words and list at most {MAX_ITEMS} items, {MAX_ITEMS:,} in all. Retry {RETRIES} times, limit {limit}. Question: {q}"',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
    ].join('\n');
    const [prompt] = await hints(src, 'python', '/w/ask.py');
    assert.deepEqual(prompt.runtimeValues, ['MAX_ITEMS', 'RETRIES', 'limit', 'q']);
    assert.equal(prompt.cost.tokens.count, count('Answer in at most 50 words and list at most 1000 items,  in all. Retry  times, limit . Question: '));
  });

  it('reads module-level integer constants only, each bound once', () => {
    const js = 'const A = 20;\nexport const B: number = 3; // cap\nconst C = 007;\nconst D = 9007199254740993;\nfunction f() {\n  const E = 5;\n}\nlet F = 1;\nconst G = 2;\nG2 = 1;\n';
    assert.deepEqual([...integerConstants(js)], [['A', '20'], ['B', '3'], ['G', '2']]);
    const py = 'X = 1\nY = 2\ndef f():\n    global Y\n    Y = 3\nZ = -4  # negative\nW = 5\nW += 1\n';
    assert.deepEqual([...integerConstants(py)], [['X', '1'], ['Z', '-4']]);
  });
});
