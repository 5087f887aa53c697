import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CATEGORIES, scoreCorpus } from '../../../../bench/prompt-scan';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

describe('findPrompts: annotated corpus', () => {
  const s = scoreCorpus();

  it('reaches precision >= 0.95 and recall >= 0.90 on test/fixtures/scan', () => {
    assert.ok(s.files >= 40, `${s.files} files`);
    assert.ok(s.annotated >= 150);
    assert.ok(s.matched / s.predicted >= 0.95, `precision ${s.matched}/${s.predicted}; extra: ${s.extras.join('; ')}`);
    assert.ok(s.matched / s.annotated >= 0.9, `recall ${s.matched}/${s.annotated}; missed: ${s.misses.join('; ')}`);
  });

  it('keeps precision >= 0.95 in every category and recall at or above the measured floor of each', () => {
    // The target of issue 12 (item 6), reached in every category once the corpus held 66 files.
    const floors: Record<string, number> = { message: 0.9, named: 0.9, composed: 0.9, fewShot: 0.9, tool: 0.9, catalog: 0.9, configTemplate: 0.9, promptFile: 0.9 };
    for (const name of CATEGORIES) {
      const c = s.byCategory[name];
      assert.ok(c.annotated > 0, `no ${name} annotations`);
      assert.ok(c.matched / Math.max(1, c.matched + c.extra) >= 0.95, `${name} precision ${c.matched}/${c.matched + c.extra}`);
      assert.ok(c.matched / c.annotated >= floors[name], `${name} recall ${c.matched}/${c.annotated}; missed: ${s.misses.filter((m) => m.includes(`[${name}]`)).join('; ')}`);
    }
  });
});

describe('findPrompts: composed prompts are one prompt with its pieces', () => {
  const scan = (file: string) => findPrompts(readFileSync(join(FIXTURES, file), 'utf8'), undefined, { fileName: file });

  it('a message appended with + around a runtime join (gpt-engineer) is one prompt with two pieces', () => {
    const found = scan('python/gpt_engineer_steps.py').filter((p) => p.range.start.line + 1 >= 327 && p.range.end.line + 1 <= 329);
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].pieces?.map((p) => [p.range.start.line + 1, p.range.end.line + 1]), [[327, 327], [329, 329]]);
    assert.ok(found[0].pieces?.[0].text.startsWith('Some previously produced diffs were not on the requested format'));
    assert.ok(found[0].pieces?.[1].text.startsWith('\n Only rewrite the problematic diffs'));
    // The location's own literal (what rewrites edit) is one of the pieces, never the code between them.
    assert.equal(found[0].segments.length, 1);
    assert.equal(found[0].text, found[0].pieces?.[1].text);
  });

  it('a system prompt interpolating a local fragment (anthropic-quickstarts) absorbs the fragment', () => {
    const found = scan('ts/aq_customer_support_route.ts');
    const system = found.filter((p) => p.kind === 'system');
    assert.equal(system.length, 1);
    assert.deepEqual(system[0].pieces?.map((p) => [p.range.start.line + 1, p.range.end.line + 1]), [[126, 131], [135, 196]]);
    assert.equal(found.filter((p) => p.range.start.line + 1 === 126).length, 0);
  });

  it('tool and parameter descriptions have kind tool; a tool result and a return type are not prompts', () => {
    const weather = scan('ts/ai_chatbot_get_weather.ts');
    assert.deepEqual(weather.map((p) => [p.range.start.line + 1, p.kind]), [[34, 'tool'], [40, 'tool']]);
    const anthropic = scan('python/anthropic_tools.py');
    assert.deepEqual(anthropic.map((p) => [p.range.start.line + 1, p.kind]), [[10, 'user'], [15, 'tool']]);
    const agents = scan('python/openai_agents_tools.py');
    assert.equal(agents.filter((p) => p.range.start.line + 1 >= 14 && p.range.start.line + 1 <= 16).length, 0);
  });
});
