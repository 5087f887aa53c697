// The monitor's access and time-out settings as the editor passes them (issue 11
// follow-ups): `cost/monitorStart` checks allowedHosts / allowedOrigins entries and takes
// clientTimeouts, the settings in package.json accept what the engine accepts, and the
// alert the editor shows carries the count of requests of unknown cost.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allowedHostProblem, allowedOriginProblem, CostMonitorStartParamsSchema, type CostDidAlertParams, type CostMonitorStatus } from '../../../src/protocol/cost';
import { CostDidAlertNotification } from '../../../src/protocol/engine';
import { neverCancelled, type HandlerContext } from '../../../src/engine/context';
import { registerMonitorHandlers, stopMonitor } from '../../../src/engine/cost/monitorHandlers';
import { Dispatcher } from '../../../src/engine/rpc';
import { repoRoot } from '../../helpers/paths';
import { startFakeUpstream, type FakeUpstream } from './fakeUpstream';


const HOSTS_OK = ['devbox.local', 'devbox.local:8787', 'localhost:3000', '[::1]:8787', '[fe80::1]', '10.0.0.5', 'my_host', 'A.EXAMPLE'];
const HOSTS_BAD = ['http://devbox.local', 'devbox.local/', 'devbox.local:0', 'devbox.local:65536', 'user@devbox', 'dev box', '-devbox', '', ':8787', '[::1'];

describe('cost monitor settings: allowed hosts and origins, client time-outs', function () {
  this.timeout(20_000);

  it('allowedHostProblem accepts host names and name:port only', () => {
    for (const host of HOSTS_OK) assert.equal(allowedHostProblem(host), undefined, host);
    for (const host of HOSTS_BAD) assert.match(allowedHostProblem(host) ?? '', /is not a host name/, host);
  });

  it('package.json checks pepperpy.cost.allowedHosts with the same rule', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { items?: { pattern?: string }; default?: unknown; minimum?: number; maximum?: number }> } } };
    const props = pkg.contributes.configuration.properties;
    const pattern = new RegExp(props['pepperpy.cost.allowedHosts'].items?.pattern ?? '');
    for (const host of [...HOSTS_OK, ...HOSTS_BAD.filter((h) => !/:(0|65536)$/.test(h))]) assert.equal(pattern.test(host), allowedHostProblem(host) === undefined, host);
    assert.deepEqual(props['pepperpy.cost.allowedOrigins'].default, []);
    for (const key of ['pepperpy.cost.clientTimeouts.headersMs', 'pepperpy.cost.clientTimeouts.bodyMs']) {
      assert.equal(props[key].default, null, key);
      assert.equal(props[key].minimum, 1, key);
      assert.equal(props[key].maximum, 3_600_000, key);
    }
  });

  it('allowedOriginProblem accepts origins exactly as browsers send them', () => {
    for (const origin of ['*', 'null', 'http://localhost:3000', 'https://app.example', 'http://[::1]:8080']) assert.equal(allowedOriginProblem(origin), undefined, origin);
    assert.equal(allowedOriginProblem('http://localhost:3000/'), '"http://localhost:3000/" is not an origin as browsers send it: write "http://localhost:3000"');
    assert.equal(allowedOriginProblem('HTTP://App.Example'), '"HTTP://App.Example" is not an origin as browsers send it: write "http://app.example"');
    assert.equal(allowedOriginProblem('https://app.example:443'), '"https://app.example:443" is not an origin as browsers send it: write "https://app.example"');
    for (const origin of ['localhost:3000', 'file:///tmp/x.html', 'app.example', '']) assert.match(allowedOriginProblem(origin) ?? '', /is not an origin: write scheme:\/\/host\[:port\]/, origin);
  });

  it('cost/monitorStart params: entries and time-outs are checked', () => {
    const base = { port: 0, ledgerFile: '/tmp/l.jsonl' };
    const ok = CostMonitorStartParamsSchema.parse({ ...base, allowedHosts: ['devbox.local'], allowedOrigins: ['http://localhost:3000'], clientTimeouts: { headersMs: 1, bodyMs: 3_600_000 } });
    assert.deepEqual(ok.clientTimeouts, { headersMs: 1, bodyMs: 3_600_000 });
    const issue = (params: unknown) => {
      const r = CostMonitorStartParamsSchema.safeParse(params);
      assert.equal(r.success, false, JSON.stringify(params));
      return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    };
    assert.match(issue({ ...base, allowedHosts: ['http://x'] }), /allowedHosts\.0: "http:\/\/x" is not a host name/);
    assert.match(issue({ ...base, allowedOrigins: ['http://localhost:3000/'] }), /allowedOrigins\.0: .*write "http:\/\/localhost:3000"/);
    assert.match(issue({ ...base, clientTimeouts: { headersMs: 0 } }), /clientTimeouts\.headersMs: clientTimeouts\.headersMs must be at least 1 ms/);
    assert.match(issue({ ...base, clientTimeouts: { bodyMs: 1.5 } }), /whole number of milliseconds/);
    assert.match(issue({ ...base, clientTimeouts: { bodyMs: null } }), /must be a number of milliseconds/);
    assert.match(issue({ ...base, clientTimeouts: { idleMs: 5 } }), /idleMs/);
  });

  describe('through the engine handlers', () => {
    const rpc = new Dispatcher();
    registerMonitorHandlers(rpc);
    const notes: Array<{ method: string; params: unknown }> = [];
    const ctx: HandlerContext = { token: neverCancelled, progress: () => undefined, log: () => undefined, notify: (method, params) => notes.push({ method, params }) };
    let upstream: FakeUpstream;
    let dir: string;
    before(async () => {
      upstream = await startFakeUpstream();
      dir = mkdtempSync(join(tmpdir(), 'pepperpy-monitor-settings-'));
    });
    after(async () => {
      await stopMonitor();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('passes clientTimeouts to the proxy: a client that stalls in its headers gets 408 after headersMs', async () => {
      const status = (await rpc.dispatch('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'a.jsonl'), upstreamOpenAi: upstream.url, clientTimeouts: { headersMs: 250 } }, ctx)) as CostMonitorStatus;
      const answer = await new Promise<string>((resolveAnswer) => {
        let text = '';
        const socket = net.connect(status.port!, '127.0.0.1', () => socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${status.port}\r\n`));
        socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolveAnswer(text));
      });
      assert.match(answer, /^HTTP\/1\.1 408/);
      assert.match(answer, /within 250 ms/);
      await stopMonitor();
    });

    it('the alert carries the number of requests of unknown cost', async () => {
      notes.length = 0;
      const status = (await rpc.dispatch('cost/monitorStart', { port: 0, ledgerFile: join(dir, 'b.jsonl'), upstreamOpenAi: upstream.url, alertThreshold: 0.000001 }, ctx)) as CostMonitorStatus;
      const chat = async (model: string) => {
        const r = await fetch(`${status.openAiBaseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: '100' }] }) });
        await r.json();
      };
      // No price for this model: its cost is unknown, and the total stays at $0 (below the threshold).
      await chat('pepperpy-unpriced-model');
      assert.equal(notes.filter((n) => n.method === CostDidAlertNotification.method).length, 0);
      await chat('gpt-4o');
      const alert = notes.find((n) => n.method === CostDidAlertNotification.method)?.params as CostDidAlertParams;
      assert.ok(alert, 'no alert');
      assert.equal(alert.alert.unknownCostRequests, 1);
      assert.equal(alert.costs.unknownCostRequests, 1);
      assert.equal(alert.costs.requests, 2);
      await stopMonitor();
    });
  });
});
