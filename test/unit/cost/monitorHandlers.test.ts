// The engine's monitor service (src/engine/cost/monitorHandlers.ts) through its handler
// map, as the JSON-RPC server calls it: one monitor at a time, `cost/didRecord` and
// `cost/didAlert` sent through the context's notify, and `cost/history` by day and model.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CostDidAlertParams, CostDidRecordParams, CostHistory, CostMonitorStatus, LedgerEntry } from '../../../src/protocol/cost';
import { CostDidAlertNotification, CostDidRecordNotification } from '../../../src/protocol/engine';
import { neverCancelled, type HandlerContext } from '../../../src/engine/context';
import { registerMonitorHandlers, stopMonitor } from '../../../src/engine/cost/monitorHandlers';
import { Dispatcher } from '../../../src/engine/rpc';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { startFakeUpstream, type FakeUpstream } from './fakeUpstream';


describe('cost monitor handlers', function () {
  this.timeout(20_000);
  const rpc = new Dispatcher();
  registerMonitorHandlers(rpc);
  const notes: Array<{ method: string; params: unknown }> = [];
  const ctx: HandlerContext = { token: neverCancelled, progress: () => undefined, log: () => undefined, notify: (method, params) => notes.push({ method, params }) };
  let dir: string;
  let upstream: FakeUpstream;

  before(async () => {
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await stopMonitor();
    await upstream.close();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-monitor-handlers-'));
    notes.length = 0;
  });
  afterEach(async () => {
    await stopMonitor();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts one monitor, notifies each record and the alert, and stops', async () => {
    const ledgerFile = join(dir, 'ledger.jsonl');
    const status = (await rpc.dispatch('cost/monitorStart', { port: 0, ledgerFile, alertThreshold: 0.000001, upstreamOpenAi: upstream.url, alertWebhook: 'http://127.0.0.1:9/hook' }, ctx)) as CostMonitorStatus;
    assert.equal(status.running, true);
    assert.equal(status.openAiBaseUrl, `${status.url}/v1`);
    assert.equal(JSON.stringify(status).includes('127.0.0.1:9/hook'), false, 'the webhook URL is a secret and must not be returned');
    const response = await fetch(`${status.openAiBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '1000' }] }) });
    await response.json();
    const record = notes.find((n) => n.method === CostDidRecordNotification.method)?.params as CostDidRecordParams;
    const alert = notes.find((n) => n.method === CostDidAlertNotification.method)?.params as CostDidAlertParams;
    const catalog = await PriceCatalog.bundled();
    const expected = catalog.cost('gpt-4o', { inputTokens: 1000, outputTokens: 7, cachedInputTokens: 250, reasoningTokens: 2 }).totalCost;
    assert.ok(Math.abs(record.todayTotal - expected) < 1e-12, `${record.todayTotal} != ${expected}`);
    assert.equal(record.todayRequests, 1);
    assert.deepEqual(alert.alert.channels, ['webhook']);
    const again = (await rpc.dispatch('cost/monitorStatus', {}, ctx)) as CostMonitorStatus;
    assert.equal(again.alerts.length, 1);
    assert.equal(again.today?.requests, 1);
    const stopped = (await rpc.dispatch('cost/monitorStop', {}, ctx)) as CostMonitorStatus;
    assert.equal(stopped.running, false);
  });

  it('rejects a start without a ledger or with a bad URL', async () => {
    await assert.rejects(rpc.dispatch('cost/monitorStart', { port: 0 }, ctx), /ledgerFile or redisUrl/);
    await assert.rejects(rpc.dispatch('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'l.jsonl'), upstreamOpenAi: 'ftp://x' }, ctx), /upstreamOpenAi must be an http\(s\) URL/);
  });

  it('sums spend per day and model over the last N days, with idle days as zero', async () => {
    const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString();
    const entry = (ts: string, model: string, cost: number | null): LedgerEntry => ({ ts, id: ts + model, api: 'openai.chat', model, status: 200, stream: false, latencyMs: 1, inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost });
    const ledgerFile = join(dir, 'ledger.jsonl');
    const entries = [entry(day(0), 'gpt-4o', 0.5), entry(day(0), 'gpt-4o-mini', 0.25), entry(day(2), 'gpt-4o', 1), entry(day(2), 'x', null), entry(day(30), 'gpt-4o', 99)];
    writeFileSync(ledgerFile, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n{"torn`);
    const history = (await rpc.dispatch('cost/history', { days: 3, ledgerFile }, ctx)) as CostHistory;
    assert.deepEqual(history.days.map((d) => d.totalCost), [1, 0, 0.75]);
    assert.deepEqual(history.days[2].byModel, { 'gpt-4o': 0.5, 'gpt-4o-mini': 0.25 });
    assert.deepEqual(history.models, ['gpt-4o', 'gpt-4o-mini', 'x']);
    assert.equal(history.requests, 4);
    assert.equal(history.totalCost, 1.75);
  });
});
