// The cost area end to end in a real VS Code: the Cost Dashboard panel, the monitor's proxy
// running in the engine process, a real request through it to a fake OpenAI upstream
// (node:http on 127.0.0.1), the spend status-bar item, the daily alert, the monitor coming
// back after the engine is killed, and the panel's estimate and plan forms. Expected
// figures are computed from the same price catalog, not copied.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { api, waitFor, waitForRender } from '../helpers';

const USAGE = { prompt_tokens: 100_000, completion_tokens: 20_000 };
const THRESHOLD = 0.01;

/** A fake OpenAI upstream: every chat completion reports USAGE. */
function startUpstream(): Promise<{ server: http.Server; url: string; requests: number[] }> {
  const requests: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { model?: string };
      requests.push(Date.now());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model ?? 'gpt-4o',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: { ...USAGE, total_tokens: USAGE.prompt_tokens + USAGE.completion_tokens },
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests })));
}

async function chat(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-not-a-key' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  assert.equal(response.status, 200);
  const body = (await response.json()) as { usage: { prompt_tokens: number } };
  assert.equal(body.usage.prompt_tokens, USAGE.prompt_tokens);
}

/** One chat request with its own headers (fetch cannot set Host); resolves with the status. */
function rawChat(port: number, model: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A client that sends a request line and one header, then nothing: the proxy's header time-out answers it. */
function stalledHeaders(port: number): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
    socket.on('data', (c: Buffer) => (answer += c.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(answer));
  });
}

const SETTINGS = ['ledger', 'port', 'upstreamOpenAi', 'alertThreshold', 'allowedHosts', 'clientTimeouts.headersMs'] as const;

describe('PepperPy: Cost Dashboard and monitor', function () {
  this.timeout(90_000);
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let ledgerDir: string;
  let catalog: PriceCatalog;
  let perRequest: number;

  before(async () => {
    upstream = await startUpstream();
    ledgerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-cost-'));
    catalog = await PriceCatalog.bundled();
    perRequest = catalog.cost('gpt-4o', { inputTokens: USAGE.prompt_tokens, outputTokens: USAGE.completion_tokens }).totalCost;
    const cfg = vscode.workspace.getConfiguration('pepperpy.cost');
    await cfg.update('ledger', path.join(ledgerDir, 'ledger.jsonl'), vscode.ConfigurationTarget.Global);
    await cfg.update('port', 0, vscode.ConfigurationTarget.Global);
    await cfg.update('upstreamOpenAi', upstream.url, vscode.ConfigurationTarget.Global);
    await cfg.update('alertThreshold', THRESHOLD, vscode.ConfigurationTarget.Global);
    await waitFor('the settings to apply', () => vscode.workspace.getConfiguration('pepperpy.cost').get('upstreamOpenAi') === upstream.url);
  });

  after(async () => {
    const a = await api();
    await a.cost.monitor.stop();
    const cfg = vscode.workspace.getConfiguration('pepperpy.cost');
    for (const key of SETTINGS) await cfg.update(key, undefined, vscode.ConfigurationTarget.Global);
    upstream.server.close();
    fs.rmSync(ledgerDir, { recursive: true, force: true });
  });

  it('opens the dashboard with the empty state and no status-bar item', async () => {
    const a = await api();
    await vscode.commands.executeCommand('pepperpy.cost.openDashboard');
    // The first render shows the state the panel was created with; wait for the one that read this suite's settings.
    const ledger = path.join(ledgerDir, 'ledger.jsonl');
    const summary = await waitForRender(a.cost.panel.host, (s) => s.includes('No requests recorded yet') && s.includes(`Ledger: ${ledger}`), `the empty state of ${ledger}`);
    // Port 0 (any free port) is only known once the monitor runs.
    assert.match(summary, /start the monitor and point your client at OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:PORT\/v1/);
    assert.match(summary, /Stopped/);
    assert.equal(a.cost.status.text, undefined, 'the spend item shows with no ledger data and no monitor');
  });

  it('meters a request through the proxy: the status bar shows the catalog price × usage', async () => {
    const a = await api();
    assert.deepEqual(await a.cost.panel.host.receive({ type: 'cost/startMonitor' }), { ok: true });
    const status = a.cost.monitor.status;
    assert.ok(status?.running && status.openAiBaseUrl, 'the monitor did not start');
    assert.equal(status.ledger, path.join(ledgerDir, 'ledger.jsonl'));
    await chat(status.openAiBaseUrl);
    assert.equal(upstream.requests.length, 1, 'the request did not reach the upstream');
    const expected = `$(graph) $${perRequest.toFixed(2)} today`;
    await waitFor(`the status bar to read ${expected} (it reads ${a.cost.status.text})`, () => a.cost.status.text === expected);
    assert.ok(Math.abs((a.cost.monitor.today?.totalCost ?? 0) - perRequest) < 1e-9, `today ${a.cost.monitor.today?.totalCost} != ${perRequest}`);
    const lines = fs.readFileSync(path.join(ledgerDir, 'ledger.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1);
    assert.equal((JSON.parse(lines[0]) as { inputTokens: number }).inputTokens, USAGE.prompt_tokens);
    const summary = await waitForRender(a.cost.panel.host, (s) => s.includes('Running') && /gpt-4o/.test(s) && s.includes('Last 14 days'), 'the recorded spend');
    assert.match(summary, new RegExp(`OPENAI_BASE_URL=${status.openAiBaseUrl.replace(/[.]/g, '\\.')}`));
  });

  it('fires the daily alert once the tiny threshold is crossed', async () => {
    const a = await api();
    const alert = await waitFor('the alert', () => a.cost.monitor.alerts[0]);
    assert.equal(alert.threshold, THRESHOLD);
    assert.ok(Math.abs(alert.totalCost - perRequest) < 1e-9);
    assert.equal(a.cost.monitor.alertsShown, 1, 'the VS Code notification was not shown exactly once');
    await waitForRender(a.cost.panel.host, (s) => s.includes('crossed the daily threshold'), 'the alert');
  });

  it('starts the monitor again, on the same port, after the engine is killed', async () => {
    const a = await api();
    const before = a.cost.monitor.status!;
    const pid = a.engine.pid;
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const after = await waitFor('the monitor to be restored', () => (a.cost.monitor.restoredAfterEngineRestart > 0 && a.cost.monitor.status?.running && a.cost.monitor.status.enginePid !== pid ? a.cost.monitor.status : undefined), 30_000);
    assert.equal(after.port, before.port);
    await chat(after.openAiBaseUrl!);
    const expected = `$(graph) $${(2 * perRequest).toFixed(2)} today`;
    await waitFor(`the status bar to read ${expected} (it reads ${a.cost.status.text})`, () => a.cost.status.text === expected);
  });

  it('estimates through the panel with the catalog price', async () => {
    const a = await api();
    const form = { model: 'gpt-4o', avgInputTokens: 500, avgOutputTokens: 300, queriesPerDay: 1000, days: 30 };
    assert.deepEqual(await a.cost.panel.host.receive({ type: 'cost/estimate', ...form }), { ok: true });
    const estimate = a.cost.panel.currentState.estimate;
    assert.ok(estimate, a.cost.panel.currentState.estimateError);
    const expected = catalog.cost('gpt-4o', { inputTokens: 500, outputTokens: 300 }).totalCost * 30_000;
    assert.ok(Math.abs(estimate.totalCost - expected) < 1e-6, `${estimate.totalCost} != ${expected}`);
    const shown = `$${expected.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const summary = await waitForRender(a.cost.panel.host, (s) => s.includes(shown), `the estimate ${shown}`);
    assert.match(summary, /genai-prices/);
  });

  it('a new estimate shows its own model and tokens in the form beside the result', async () => {
    const a = await api();
    await a.cost.panel.open();
    const first = { model: 'gpt-4o', avgInputTokens: 500, avgOutputTokens: 300, queriesPerDay: 1000, days: 30 };
    await a.cost.panel.estimate(first);
    await waitForRender(a.cost.panel.host, (s) => s.includes('Estimate form: est-model=gpt-4o; est-in=500;') && s.includes('to gpt-4o over 30 days'), 'the first estimate');
    // What "PepperPy: Estimate Cost…" does: new figures straight to the panel.
    // Over $1, so the total shows in cents (src/protocol/format.ts usd(); below $1 it keeps two significant digits).
    const second = { model: 'gpt-4o-mini', avgInputTokens: 1234, avgOutputTokens: 56, queriesPerDay: 1000, days: 7 };
    const state = await a.cost.panel.estimate(second);
    assert.ok(state.estimate, state.estimateError);
    const shown = `$${state.estimate.totalCost.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const summary = await waitForRender(a.cost.panel.host, (s) => s.includes('to gpt-4o-mini over 7 days'), 'the second estimate');
    assert.ok(summary.includes(shown), `the total ${shown} is not shown`);
    assert.match(summary, /Estimate form: est-model=gpt-4o-mini; est-in=1234; est-out=56; est-qpd=1000; est-days=7/, 'the form still shows the old figures beside the new result');
    assert.match(summary, /1,234 input \+ 56 output tokens each/);
  });

  it('plans the seed example through the panel, and says when a target cannot be met', async () => {
    const a = await api();
    const setup = a.cost.panel.currentState.planForm.currentSetup;
    await a.cost.panel.host.receive({ type: 'cost/optimize', currentSetup: setup, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    const plan = a.cost.panel.currentState.plan;
    assert.ok(plan, a.cost.panel.currentState.planError);
    assert.deepEqual(Object.keys(plan.recommendations).sort(), ['chat', 'classification', 'qa', 'summarization']);
    const usage = { summarization: [500, 800], classification: [1000, 300], qa: [800, 600], chat: [2000, 1000] } as const;
    const current = Object.values(usage).reduce((sum, [qpd, tokens]) => sum + catalog.cost('gpt-4o', { inputTokens: tokens * 0.75, outputTokens: tokens * 0.25 }).totalCost * qpd * 30, 0);
    // The plan's money figures are rounded to cents.
    assert.ok(Math.abs(plan.currentMonthlyCost - current) <= 0.005 + 1e-9, `${plan.currentMonthlyCost} != ${current}`);
    const savings = Object.values(plan.recommendations).reduce((s, r) => s + r.monthlySavings, 0);
    assert.ok(Math.abs(savings - plan.estimatedMonthlySavings) <= 0.01 * Object.keys(plan.recommendations).length, `${savings} != ${plan.estimatedMonthlySavings}`);
    await waitForRender(a.cost.panel.host, (s) => s.includes('Monthly savings') && /Target (met|cannot be met)/.test(s), 'the plan');

    await a.cost.panel.host.receive({ type: 'cost/optimize', currentSetup: setup, maxQualityReduction: 0, targetCostReduction: 0.99 });
    assert.equal(a.cost.panel.currentState.plan?.targetMet, false);
    await waitForRender(a.cost.panel.host, (s) => s.includes('Target cannot be met'), 'the unmet target');
  });

  it('rejects malformed webview messages and shows bad input as an error in the panel', async () => {
    const a = await api();
    const host = a.cost.panel.host;
    const rejected = host.rejectedMessages;
    const bad = await host.receive({ type: 'cost/estimate', model: 'gpt-4o', avgInputTokens: 'lots', avgOutputTokens: 1, queriesPerDay: 1, days: 1 });
    assert.equal(bad.ok, false);
    assert.equal((await host.receive({ type: 'cost/deleteLedger' })).ok, false);
    assert.equal((await host.receive({ type: 'cost/optimize', currentSetup: '{}', maxQualityReduction: 2, targetCostReduction: 0.3 })).ok, false);
    assert.equal((await host.receive({ type: 'cost/startMonitor', port: 80 })).ok, false, 'extra fields must be rejected');
    assert.equal(host.rejectedMessages, rejected + 4);

    await host.receive({ type: 'cost/optimize', currentSetup: '{not json', maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    assert.match(a.cost.panel.currentState.planError ?? '', /not valid JSON/);
    await waitForRender(a.cost.panel.host, (s) => s.includes('not valid JSON'), 'the JSON error');

    await host.receive({ type: 'cost/estimate', model: 'gpt-4oo', avgInputTokens: 1, avgOutputTokens: 1, queriesPerDay: 1, days: 1 });
    assert.match(a.cost.panel.currentState.estimateError ?? '', /No price for gpt-4oo/);
    await waitForRender(a.cost.panel.host, (s) => s.includes('No price for gpt-4oo'), 'the unknown-model error');
  });

  it('counts requests of unknown cost apart in the status bar, the dashboard and the alert; passes the access and time-out settings', async () => {
    const a = await api();
    // Two priced requests so far (2 × perRequest); the new threshold sits between two and three.
    const threshold = 2.5 * perRequest;
    const cfg = vscode.workspace.getConfiguration('pepperpy.cost');
    await cfg.update('alertThreshold', threshold, vscode.ConfigurationTarget.Global);
    await cfg.update('allowedHosts', ['devbox.test'], vscode.ConfigurationTarget.Global);
    await cfg.update('clientTimeouts.headersMs', 300, vscode.ConfigurationTarget.Global);
    await waitFor('the settings to apply', () => vscode.workspace.getConfiguration('pepperpy.cost').get('clientTimeouts.headersMs') === 300);
    const status = await a.cost.monitor.start();
    const port = status.port!;
    // An unpriced model, through a host name only pepperpy.cost.allowedHosts lets in.
    assert.equal(await rawChat(port, 'pepperpy-unpriced-model', { host: `devbox.test:${port}` }), 200, 'the allowed host was refused: the setting did not reach the proxy');
    assert.equal(await rawChat(port, 'gpt-4o', { host: `other.test:${port}` }), 403);
    const expected = `$(graph) $${(2 * perRequest).toFixed(2)} today (+1 unknown)`;
    await waitFor(() => `the status bar to read ${expected} (it reads ${a.cost.status.text})`, () => a.cost.status.text === expected);
    const today = await waitForRender(a.cost.panel.host, (s) => s.includes('1 request of unknown cost'), 'the request of unknown cost');
    assert.match(today, /1 request of unknown cost \(cut by a time-out, stop or hang-up, or unpriced\) not included: the total is a lower bound\./);
    assert.ok(today.includes(`(+1 unknown)`), 'the Total row does not count it');
    // pepperpy.cost.clientTimeouts.headersMs: a stalled client is answered after 300 ms, not 30 s.
    const answer = await stalledHeaders(port);
    assert.match(answer, /^HTTP\/1\.1 408/);
    assert.match(answer, /within 300 ms/);
    // A priced request crosses the threshold: the alert says the total leaves one request out.
    await chat(status.openAiBaseUrl!);
    const alert = await waitFor('the second alert', () => a.cost.monitor.alerts[1]);
    assert.equal(alert.threshold, threshold);
    assert.equal(alert.unknownCostRequests, 1);
    assert.ok(Math.abs(alert.totalCost - 3 * perRequest) < 1e-9, `${alert.totalCost} != ${3 * perRequest}`);
    await waitForRender(a.cost.panel.host, (s) => s.includes('At least $') && s.includes('crossed the daily threshold of') && /unpriced\) not included\./.test(s), 'the alert with its unknown-cost count');
  });
});
