// hints41: `editor/promptHints` answers as deltas (src/shared/hints/delta.ts). On each keystroke the engine sent the whole
// answer, about 2.3 KB of JSON per prompt (14 MB for a 10,000-line YAML catalog), parsed on the extension host's thread.
// Now a request names the answer the editor holds and gets only what changed. The oracle for every delta is a cold
// service (no caches, no earlier version) computing the new text whole: the delta applied to the held answer, both
// through JSON as on the wire, must be that answer exactly. Sizes and counts, never times.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HintRef, PromptHintsAnswer, PromptHintsDelta, PromptHintsResult } from '../../../src/protocol/hints';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { applyHintsDelta, HintAnswers, isHintsDelta, sameShifted, shifted } from '../../../src/shared/hints/delta';
import { PromptHintService, type HintInputs } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function inputs(text: string, languageId: string, fileName: string): HintInputs {
  return { text, languageId, fileName, uri: `file://${fileName}`, defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini', 'claude-3-5-haiku-20241022'], callsPerDay: 1000, withSuggestions: true };
}

/** What the editor gets for `before` then `after` (with `since`), and what a cold service computes for `after`. */
async function edit(before: string, after: string, languageId: string, fileName: string) {
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const answers = new HintAnswers('test');
  const first = wire(answers.answer(await service.compute(inputs(before, languageId, fileName)), `file://${fileName}`, undefined)) as PromptHintsResult;
  assert.ok(!isHintsDelta(first) && first.id !== undefined);
  const second = wire(answers.answer(await service.compute(inputs(after, languageId, fileName)), `file://${fileName}`, first.id));
  const cold = wire(await new PromptHintService(() => PriceCatalog.bundled()).compute(inputs(after, languageId, fileName)));
  return { first, second, cold };
}

/** The parts of an answer the editor shows (not the timing or cache figures). */
const shown = (r: PromptHintsResult | undefined) => (r ? { prompts: r.prompts, models: r.models, skipped: r.skipped } : undefined);

function refsOf(delta: PromptHintsAnswer): { whole: number; refs: number; shifts: string[] } {
  assert.ok(isHintsDelta(delta), 'a delta');
  const items = [...delta.prompts, ...delta.models];
  const refs = items.filter((x): x is HintRef => Array.isArray(x));
  return { whole: items.length - refs.length, refs: refs.length, shifts: [...new Set(refs.map((r) => `${r[1]},${r[2]}`))].sort() };
}

function catalog(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`p${i}:`, `  system: "You are a helpful assistant number ${i}, answer briefly."`);
  return `${lines.join('\n')}\n`;
}

describe('hints deltas: only what changed since the answer the editor holds', function () {
  this.timeout(120_000);

  it('a 2,000-prompt YAML catalog, a letter typed in the first prompt: 1 prompt sent whole, 1,999 refs moved by one offset', async () => {
    const before = catalog(2000);
    const at = before.indexOf('helpful');
    const after = `${before.slice(0, at)}x${before.slice(at)}`;
    const { first, second, cold } = await edit(before, after, 'yaml', '/w/catalog.yaml');
    assert.deepEqual(refsOf(second), { whole: 1, refs: 1999, shifts: ['1,0'] });
    assert.deepEqual(shown(applyHintsDelta(first, second as PromptHintsDelta)), shown(cold));
    // The whole answer is about 2,300 bytes a prompt; the delta one prompt plus 1,999 short refs.
    const wholeBytes = JSON.stringify(cold).length;
    const deltaBytes = JSON.stringify(second).length;
    assert.ok(wholeBytes > 100 * deltaBytes, `whole ${wholeBytes} bytes, delta ${deltaBytes}`);
  });

  it('a line added above every prompt: every prompt a ref moved by its length and one line', async () => {
    const before = catalog(300);
    const after = `# prompts\n${before}`;
    const { first, second, cold } = await edit(before, after, 'yaml', '/w/catalog.yaml');
    assert.deepEqual(refsOf(second), { whole: 0, refs: 300, shifts: ['10,1'] });
    assert.deepEqual(shown(applyHintsDelta(first, second as PromptHintsDelta)), shown(cold));
  });

  it('a prompt deleted in the middle: the ones before at their place, the ones after one place and two lines up', async () => {
    const before = catalog(300);
    const gone = 'p150:\n  system: "You are a helpful assistant number 150, answer briefly."\n';
    assert.ok(before.includes(gone));
    const after = before.replace(gone, '');
    const { first, second, cold } = await edit(before, after, 'yaml', '/w/catalog.yaml');
    assert.deepEqual(refsOf(second), { whole: 0, refs: 299, shifts: [`-${gone.length},-2`, '0,0'] });
    const applied = applyHintsDelta(first, second as PromptHintsDelta);
    assert.deepEqual(shown(applied), shown(cold));
    assert.deepEqual(applied?.prompts.map((p) => p.index).slice(148, 152), [148, 149, 150, 151]);
  });

  it('real Python files (aider, LangChain-style prompts): a typed letter, a line above, a model renamed give the cold answer', async () => {
    for (const rel of ['python/aider_editblock_prompts.py', 'python/anthropic_messages.py', 'python/dbgpt_chat_dashboard_prompt.py', 'yaml/crewai_agents.yaml', 'yaml/sweagent_default.yaml']) {
      const before = fixture(rel);
      const languageId = rel.startsWith('python') ? 'python' : 'yaml';
      const fileName = `/w/${path.basename(rel)}`;
      const service = new PromptHintService(() => PriceCatalog.bundled());
      const whole = await service.compute(inputs(before, languageId, fileName));
      assert.ok(whole.prompts.length > 0, rel);
      // A letter typed inside the first prompt's text, a line added at the top, and the first model name changed.
      const inside = whole.prompts[0].location.contentRange.start.offset + 1;
      const edits = [`${before.slice(0, inside)}x${before.slice(inside)}`, `# edited\n${before}`];
      const model = whole.models[0];
      if (model) edits.push(`${before.slice(0, model.range.start.offset)}'gpt-4o-mini'${before.slice(model.range.end.offset)}`);
      for (const [k, after] of edits.entries()) {
        const { first, second, cold } = await edit(before, after, languageId, fileName);
        const applied = isHintsDelta(second) ? applyHintsDelta(first, second) : second;
        assert.deepEqual(shown(applied), shown(cold), `${rel}: ${after.length - before.length}`);
        // A line above everything moves every prompt and model name alike: all refs.
        if (k === 1) assert.deepEqual(refsOf(second), { whole: 0, refs: cold.prompts.length + cold.models.length, shifts: ['9,1'] }, rel);
      }
    }
  });

  it('a restarted engine (another process id) or a forgotten document: the whole answer, never a delta', async () => {
    const text = catalog(20);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const result = await service.compute(inputs(text, 'yaml', '/w/c.yaml'));
    const old = new HintAnswers('a');
    const first = old.answer(result, 'file:///w/c.yaml', undefined) as PromptHintsResult;
    assert.equal(first.id, 'a.1');
    assert.ok(isHintsDelta(old.answer(result, 'file:///w/c.yaml', first.id)));
    const restarted = new HintAnswers('b');
    const after = restarted.answer(result, 'file:///w/c.yaml', first.id);
    assert.ok(!isHintsDelta(after));
    assert.equal(after.id, 'b.1');
    // Another document's id is not this one's base.
    assert.ok(!isHintsDelta(old.answer(result, 'file:///w/other.yaml', first.id)));
    old.forget('file:///w/c.yaml');
    assert.ok(!isHintsDelta(old.answer(result, 'file:///w/c.yaml', first.id)));
    // Without a URI (a file read from disk) nothing is kept and no id is given.
    assert.equal(old.answer(result, undefined, undefined).id, undefined);
  });

  it('a delta is applied only to the answer it names: another held answer or a ref outside it gives nothing', async () => {
    const before = catalog(10);
    const { first, second } = await edit(before, `# x\n${before}`, 'yaml', '/w/c.yaml');
    assert.ok(isHintsDelta(second));
    assert.equal(applyHintsDelta({ ...first, id: 'other.1' }, second), undefined);
    assert.equal(applyHintsDelta({ ...first, id: undefined }, second), undefined);
    assert.equal(applyHintsDelta({ ...first, prompts: first.prompts.slice(0, 5) }, second), undefined);
    assert.equal(applyHintsDelta(first, second)?.prompts.length, 10);
  });

  it('the base the editor names stays kept while answers it never took (cancelled requests) come and go', async () => {
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const answers = new HintAnswers('p', 2);
    const texts = [0, 1, 2, 3, 4].map((k) => `${'# x\n'.repeat(k)}${catalog(5)}`);
    const results = await Promise.all(texts.map(async (t) => service.compute(inputs(t, 'yaml', '/w/c.yaml'))));
    const held = answers.answer(results[0], 'u', undefined) as PromptHintsResult;
    // Three answers the editor cancelled (it still holds the first), each asked with the first as base.
    for (const r of results.slice(1, 4)) assert.ok(isHintsDelta(answers.answer(r, 'u', held.id)));
    const last = answers.answer(results[4], 'u', held.id);
    assert.ok(isHintsDelta(last) && last.base === held.id);
    assert.deepEqual(refsOf(last).shifts, ['16,4']);
  });

  it('shifted and sameShifted agree: positions and run source offsets move, text offsets and characters do not', () => {
    const item = {
      range: { start: { offset: 10, line: 1, character: 4 }, end: { offset: 20, line: 1, character: 14 } },
      placeholders: [{ name: 'q', start: 2, end: 5 }],
      segments: [{ textStart: 0, runs: [[0, 11, 8]] }],
      skipped: undefined,
    };
    const moved = shifted(item, 7, 2);
    assert.deepEqual(moved, {
      range: { start: { offset: 17, line: 3, character: 4 }, end: { offset: 27, line: 3, character: 14 } },
      placeholders: [{ name: 'q', start: 2, end: 5 }],
      segments: [{ textStart: 0, runs: [[0, 18, 8]] }],
    });
    assert.ok(sameShifted(item, moved, 7, 2));
    assert.ok(!sameShifted(item, moved, 7, 1));
    assert.ok(!sameShifted(item, { ...moved, placeholders: [{ name: 'q', start: 9, end: 12 }] }, 7, 2));
    assert.ok(!sameShifted(item, { ...moved, range: { ...moved.range, start: { offset: 17, line: 3, character: 5 } } }, 7, 2));
    assert.equal(shifted(item, 0, 0), item);
  });
});
