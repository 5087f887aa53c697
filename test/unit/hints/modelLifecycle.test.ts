// Model literals of retired or deprecated models carry the lifecycle verdict (for the hover and
// the diagnostic), and no hover ever suggests a retired or deprecated model as a cheaper
// alternative. Expected values are read off src/shared/cost/data/retired-models.json by hand.
import * as assert from 'node:assert/strict';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { ModelLifecycle } from '../../../src/shared/cost/quality';
import { PromptHintService } from '../../../src/shared/hints/hints';

const code = [
  'from openai import OpenAI',
  'client = OpenAI()',
  'OLD = "o1-mini"',
  'NEW = "gpt-5.4"',
  'r = client.chat.completions.create(model=OLD, messages=[{"role": "system", "content": "You are a helpful assistant. Answer in one short sentence."}])',
  '',
].join('\n');

async function models() {
  const hints = await new PromptHintService(sharedPriceCatalog).compute({ text: code, languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
  return hints.models;
}

describe('model hints: retired and deprecated models', () => {
  it('a retired model literal says so, with its shutdown date and source; a replacement that is itself retired is left out', async () => {
    const old = (await models()).find((m) => m.name === 'o1-mini');
    assert.ok(old, 'the o1-mini literal has a model hint');
    assert.equal(code.slice(old.range.start.offset, old.range.end.offset).replace(/"/g, ''), 'o1-mini');
    assert.deepEqual(old.lifecycle && { ...old.lifecycle, reason: undefined }, {
      status: 'retired',
      reason: undefined,
      shutdownDate: '2025-10-27',
      source: 'https://developers.openai.com/api/docs/deprecations',
    });
    assert.match(old.lifecycle!.reason, /^o1-mini is retired by openai: shut down on 2025-10-27 \(https:\/\/developers\.openai\.com\/api\/docs\/deprecations; list checked \d{4}-\d{2}-\d{2}\)$/);
  });

  it('a current replacement is named (claude-sonnet-4-20250514 → claude-sonnet-4-6); one that is itself retired is not (gemini-1.5-pro → gemini-2.0-flash, shut down 2026-06-01)', async () => {
    const text = 'MODEL = "gemini-1.5-pro"\nOTHER = "claude-sonnet-4-20250514"\nLITE = "gemini-2.0-flash-001"\n';
    const hints = await new PromptHintService(sharedPriceCatalog).compute({ text, languageId: 'python', fileName: 'g.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
    const g = hints.models.find((m) => m.name === 'gemini-1.5-pro');
    assert.equal(g?.lifecycle?.status, 'retired');
    assert.equal(g?.lifecycle?.replacement, undefined);
    const sonnet = hints.models.find((m) => m.name === 'claude-sonnet-4-20250514');
    assert.deepEqual([sonnet?.lifecycle?.status, sonnet?.lifecycle?.shutdownDate, sonnet?.lifecycle?.replacement], ['retired', '2026-06-15', 'claude-sonnet-4-6']);
    // An alias of an entry is flagged as the entry.
    const lite = hints.models.find((m) => m.name === 'gemini-2.0-flash-001');
    assert.deepEqual([lite?.lifecycle?.status, lite?.lifecycle?.shutdownDate, lite?.lifecycle?.replacement], ['retired', '2026-06-01', 'gemini-3.1-flash-lite']);
  });

  it('a current model has no lifecycle, and no cheaper alternative offered anywhere is retired or deprecated', async () => {
    const all = await models();
    const current = all.find((m) => m.name === 'gpt-5.4');
    assert.ok(current);
    assert.equal(current.lifecycle, undefined);
    const catalog = await sharedPriceCatalog();
    const lifecycle = new ModelLifecycle(undefined, (m) => catalog.isDeprecated(m));
    for (const m of all) for (const alt of m.cheaperAlternatives) assert.equal(lifecycle.verdict(alt.model), undefined, `${m.name} suggests ${alt.model}`);
  });
});
