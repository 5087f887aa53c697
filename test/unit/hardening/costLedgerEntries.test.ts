// Ledger lines that are JSON objects but not entries (issue 11, s18-break11): a ledger is a
// plain file, or a Redis list a team shares, that anyone may edit. Before the fix a line whose
// `cost` was the string "7" or whose `latencyMs` was not a number made `cost today` and
// `cost history` fail as "a bug in PepperPy" (n.toFixed is not a function), and a string cost
// was concatenated into the day's total. Such lines are now skipped, like a torn line.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonlLedger, ledgerEntryOf, summarize } from '../../../src/engine/cost/ledger';
import { jsonOf, run, scratch } from './helpers';

const day = new Date().toISOString().slice(0, 10);
const good = { ts: `${day}T10:00:00.000Z`, id: 'g', api: 'openai.chat', model: 'gpt-4o', status: 200, stream: false, latencyMs: 10, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost: 0.5 };
const bad: Array<[string, Record<string, unknown>]> = [
  ['a string cost', { ...good, id: 'b1', cost: '7' }],
  ['a string latency', { ...good, id: 'b2', latencyMs: 'x' }],
  ['a string token count', { ...good, id: 'b3', inputTokens: '10' }],
  ['no model', { ...good, id: 'b4', model: undefined }],
  ['an object as the model', { ...good, id: 'b5', model: { a: 1 } }],
  ['a negative cost', { ...good, id: 'b6', cost: -5 }],
  ['a status that is not an HTTP status', { ...good, id: 'b7', status: 20.5 }],
  ['a time that is not ISO', { ...good, id: 'b8', ts: `${day} 10:00` }],
  ['a negative token count', { ...good, id: 'b9', outputTokens: -1 }],
];

describe('cost ledger lines that are not entries (issue 11, s18-break11)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = scratch();
    file = path.join(dir, 'ledger.jsonl');
    fs.writeFileSync(file, [good, ...bad.map(([, line]) => line)].map((l) => JSON.stringify(l)).join('\n') + '\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [what, line] of bad) {
    it(`ledgerEntryOf refuses a line with ${what}`, () => assert.equal(ledgerEntryOf(line), undefined));
  }

  it('ledgerEntryOf keeps what the monitor writes, unknown cost included, and reads absent counts of older lines as 0', () => {
    assert.deepEqual(ledgerEntryOf(good), good);
    assert.equal(ledgerEntryOf({ ...good, cost: null })?.cost, null);
    const { cacheWriteTokens: _c, reasoningTokens: _r, ...older } = good;
    assert.deepEqual(ledgerEntryOf(older), good);
  });

  it('JsonlLedger reads the one entry and counts the others as skipped; the day totals $0.5 over one request', async () => {
    const ledger = new JsonlLedger(file);
    const entries = await ledger.readDay(day);
    assert.equal(entries.length, 1);
    assert.equal(ledger.skippedLines, bad.length);
    const costs = summarize(day, entries, file);
    assert.equal(costs.totalCost, 0.5);
    assert.equal(costs.requests, 1);
  });

  it('cost today and cost history answer with the exact totals instead of "a bug in PepperPy"', () => {
    const today = run(['cost', 'today', '--ledger', file, '--json']);
    assert.equal(today.code, 0, today.stdout + today.stderr);
    const t = jsonOf<{ totalCost: number; requests: number }>(today);
    assert.deepEqual([t.totalCost, t.requests], [0.5, 1]);
    const history = run(['cost', 'history', '--ledger', file, '--days', '1', '--json']);
    assert.equal(history.code, 0, history.stdout + history.stderr);
    const h = jsonOf<{ totalCost: number; requests: number; models: string[] }>(history);
    assert.deepEqual([h.totalCost, h.requests, h.models], [0.5, 1, ['gpt-4o']]);
    const text = run(['cost', 'today', '--ledger', file]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout + text.stderr, /bug in PepperPy/);
  });
});

describe('cost today with both --ledger and --redis (issue 11, s18-break11)', () => {
  it('is a usage error, as in cost history (it used Redis and ignored --ledger)', () => {
    const dir = scratch();
    try {
      const file = path.join(dir, 'l.jsonl');
      fs.writeFileSync(file, '');
      const r = run(['cost', 'today', '--ledger', file, '--redis', 'redis://127.0.0.1:1/0', '--json']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.equal(jsonOf<{ error: { code: string; message: string } }>(r).error.message, 'Give --ledger FILE or --redis URL, not both.');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
