// `pepperpy-opt cost today`, `cost history` and `cost monitor` from the command line
// (issue 11 follow-ups): totals say how many requests of unknown cost they leave out, in
// text and JSON, and the monitor takes --allowed-hosts, --allowed-origins,
// --header-timeout-ms and --body-timeout-ms, checked before it starts. Expected figures
// are hand sums of the ledger lines written here.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { LedgerEntry } from '../../../src/protocol/cost';
import { startFakeUpstream, type FakeUpstream } from './fakeUpstream';

const cli = resolve(__dirname, '../../../src/engine/cli.js');
const UNKNOWN_LINE = (n: number) => `${n} request${n === 1 ? '' : 's'} of unknown cost — cut by a time-out, stop or hang-up, or unpriced — not included: the total is a lower bound.`;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function entry(ts: string, model: string, cost: number | null, extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return { ts, id: `${ts}-${model}-${String(cost)}`, api: 'openai.chat', model, status: 200, stream: false, latencyMs: 100, inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost, ...extra };
}

describe('cost CLI: unknown-cost requests and the monitor flags', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-cost-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function ledgerOf(entries: LedgerEntry[]): string {
    const file = join(dir, 'ledger.jsonl');
    writeFileSync(file, `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`);
    return file;
  }

  describe('cost today', () => {
    // 0.5 + 0.25 known; one gpt-4o request cut by a time-out and one unpriced model: 2 unknown.
    const day = '2026-03-04';
    const entries = [
      entry(`${day}T10:00:00.000Z`, 'gpt-4o', 0.5),
      entry(`${day}T10:01:00.000Z`, 'gpt-4o', null, { status: 504, costNote: 'cut by the upstream time-out', error: 'first byte time-out' }),
      entry(`${day}T10:02:00.000Z`, 'my-own-model', null, { costNote: 'no price known for my-own-model' }),
      entry(`${day}T10:03:00.000Z`, 'gpt-4o-mini', 0.25),
      entry('2026-03-05T00:00:01.000Z', 'gpt-4o', null),
    ];

    it('counts the requests of unknown cost in JSON and says so in the text', () => {
      const ledger = ledgerOf(entries);
      const json = run(['cost', 'today', '--ledger', ledger, '--day', day, '--json']);
      assert.equal(json.code, 0, json.stdout + json.stderr);
      const costs = JSON.parse(json.stdout) as { totalCost: number; requests: number; unknownCostRequests: number; byModel: Record<string, { unpriced: number; cost: number }> };
      assert.equal(costs.totalCost, 0.75);
      assert.equal(costs.requests, 4);
      assert.equal(costs.unknownCostRequests, 2);
      assert.equal(costs.byModel['gpt-4o'].unpriced, 1);

      const text = run(['cost', 'today', '--ledger', ledger, '--day', day]);
      assert.equal(text.code, 0, text.stderr);
      const lines = text.stdout.trimEnd().split('\n');
      assert.equal(lines[0], `Spend on ${day} (UTC): $0.75 over 4 requests (${ledger})`);
      assert.equal(lines[1], `  ${UNKNOWN_LINE(2)}`);
      assert.equal(lines[2], '  gpt-4o: $0.50 (2 requests, 20 in / 10 out tokens, 1 of unknown cost, avg 100 ms)');
      assert.equal(lines.length, 5);
    });

    it('gives 0 in JSON and no line in the text when every cost is known', () => {
      const ledger = ledgerOf([entry(`${day}T10:00:00.000Z`, 'gpt-4o', 0.5)]);
      const json = run(['cost', 'today', '--ledger', ledger, '--day', day, '--json']);
      assert.equal((JSON.parse(json.stdout) as { unknownCostRequests: number }).unknownCostRequests, 0);
      const text = run(['cost', 'today', '--ledger', ledger, '--day', day]);
      assert.doesNotMatch(text.stdout, /unknown cost/);
      assert.equal(text.stdout.trimEnd().split('\n').length, 2);
    });
  });

  describe('cost history', () => {
    const ago = (days: number, hh = '12') => `${new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10)}T${hh}:00:00.000Z`;

    it('sums the last N days, counting unknown costs per day and in all', () => {
      // Today at 00:00:01 so the entry is never in the future; two days ago at noon.
      const today = ago(0, '00').replace('00:00:00', '00:00:01');
      const ledger = ledgerOf([
        entry(today, 'gpt-4o', 0.5),
        entry(today, 'toString', null),
        entry(ago(2), 'gpt-4o', 1),
        entry(ago(2), 'gpt-4o', null),
        entry(ago(2), 'claude-3-5-haiku', 0.125),
        entry(ago(40), 'gpt-4o', 99),
      ]);
      const json = run(['cost', 'history', '--days', '3', '--ledger', ledger, '--json']);
      assert.equal(json.code, 0, json.stdout + json.stderr);
      const h = JSON.parse(json.stdout) as { days: Array<{ day: string; totalCost: number; requests: number; unknownCostRequests: number }>; totalCost: number; requests: number; unknownCostRequests: number; models: string[] };
      assert.deepEqual(h.days.map((d) => [d.totalCost, d.requests, d.unknownCostRequests]), [[1.125, 3, 1], [0, 0, 0], [0.5, 2, 1]]);
      assert.equal(h.totalCost, 1.625);
      assert.equal(h.requests, 5);
      assert.equal(h.unknownCostRequests, 2);

      const text = run(['cost', 'history', '--days', '3', '--ledger', ledger]);
      assert.equal(text.code, 0, text.stderr);
      assert.deepEqual(text.stdout.trimEnd().split('\n'), [
        `Spend over the last 3 days (UTC, ${h.days[0].day} to ${h.days[2].day}): $1.63 over 5 requests (${ledger})`,
        `  ${UNKNOWN_LINE(2)}`,
        `  ${h.days[0].day}: $1.13 over 3 requests (1 of unknown cost)`,
        `  ${h.days[2].day}: $0.50 over 2 requests (1 of unknown cost)`,
        '  By model: gpt-4o $1.50, claude-3-5-haiku $0.13, toString $0',
      ]);
    });

    it('refuses a bad --days and a missing --ledger before reading anything', () => {
      for (const days of ['0', '367', '1.5', 'x', '']) {
        const r = run(['cost', 'history', '--days', days, '--json']);
        assert.equal(r.code, 2, `--days ${days}: ${r.stdout}`);
        assert.match((JSON.parse(r.stdout) as { error: { message: string } }).error.message, new RegExp(`^--days takes a whole number from 1 to 366, got "${days.replace('.', '\\.')}"\\.$`));
      }
      const missing = run(['cost', 'history', '--ledger', join(dir, 'none.jsonl'), '--json']);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /"notFound".*No cost ledger at/);
    });
  });

  describe('cost monitor flags', () => {
    it('documents the new flags with an example in --help', () => {
      const help = run(['cost', 'monitor', '--help']);
      assert.equal(help.code, 0);
      for (const flag of ['--allowed-hosts NAME[:PORT],…', '--allowed-origins ORIGIN,…', '--header-timeout-ms MS', '--body-timeout-ms MS']) assert.ok(help.stdout.includes(flag), `${flag} missing from:\n${help.stdout}`);
      assert.match(help.stdout, /pepperpy-opt cost monitor --allowed-origins http:\/\/localhost:3000 --allowed-hosts devbox\.local:8787 --header-timeout-ms 60000 --body-timeout-ms 120000/);
    });

    it('refuses bad values with exit 2 before starting', () => {
      const ledger = join(dir, 'ledger.jsonl');
      const cases: Array<[string[], RegExp]> = [
        [['--allowed-hosts', 'http://devbox.local'], /--allowed-hosts: "http:\/\/devbox\.local" is not a host name/],
        [['--allowed-hosts', 'devbox.local:99999'], /"devbox\.local:99999" is not a host name/],
        [['--allowed-hosts', 'a,,b'], /without empty items/],
        [['--allowed-origins', 'http://localhost:3000/'], /--allowed-origins: "http:\/\/localhost:3000\/" is not an origin as browsers send it: write "http:\/\/localhost:3000"/],
        [['--allowed-origins', 'localhost:3000'], /"localhost:3000" is not an origin: write scheme:\/\/host\[:port\]/],
        [['--header-timeout-ms', '0'], /--header-timeout-ms takes whole milliseconds from 1 to 3,600,000, got "0"/],
        [['--body-timeout-ms', '3600001'], /--body-timeout-ms takes whole milliseconds/],
        [['--body-timeout-ms', '1e3'], /--body-timeout-ms takes whole milliseconds/],
        [['--allowed-hosts', Array.from({ length: 51 }, (_, i) => `h${i}`).join(',')], /at most 50 values, got 51/],
      ];
      for (const [args, message] of cases) {
        const r = run(['cost', 'monitor', '--port', '0', '--ledger', ledger, ...args, '--json']);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
        assert.match((JSON.parse(r.stdout) as { error: { message: string } }).error.message, message, args.join(' '));
      }
    });

    describe('a running monitor', () => {
      let upstream: FakeUpstream;
      let child: ChildProcess | undefined;
      before(async () => {
        upstream = await startFakeUpstream();
      });
      after(async () => {
        await upstream.close();
      });
      afterEach(() => {
        if (child && child.exitCode === null) child.kill('SIGKILL');
      });

      function startCli(args: string[]): Promise<{ proc: ChildProcess; port: number; stdout: () => string }> {
        const proc = spawn(process.execPath, [cli, 'cost', 'monitor', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        child = proc;
        let out = '';
        proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
        return new Promise((resolveStart, reject) => {
          let err = '';
          proc.stderr.on('data', (c: Buffer) => {
            err += c.toString();
            const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(err);
            if (m) resolveStart({ proc, port: Number(m[1]), stdout: () => out });
          });
          proc.on('exit', (code) => reject(new Error(`monitor exited ${code}: ${err}`)));
        });
      }

      function post(port: number, headers: Record<string, string>): Promise<number> {
        return new Promise((resolvePost, reject) => {
          const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '5' }] });
          const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
            res.resume();
            res.on('end', () => resolvePost(res.statusCode ?? 0));
          });
          req.on('error', reject);
          req.end(body);
        });
      }

      /** Sends a request line and one header, then nothing: the header time-out must answer. */
      function stalledHeaders(port: number): Promise<string> {
        return new Promise((resolveAnswer) => {
          let answer = '';
          const socket = net.connect(port, '127.0.0.1', () => socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
          socket.on('data', (c: Buffer) => (answer += c.toString('utf8')));
          socket.on('error', () => undefined);
          socket.on('close', () => resolveAnswer(answer));
        });
      }

      it('accepts the allowed host and origin, refuses others, and applies the header time-out', async () => {
        const ledger = join(dir, 'ledger.jsonl');
        const { proc, port, stdout } = await startCli(['--port', '0', '--ledger', ledger, '--upstream-openai', upstream.url, '--allowed-hosts', 'devbox.test', '--allowed-origins', 'http://localhost:3000', '--allowed-origins', 'https://app.example', '--header-timeout-ms', '300', '--json']);
        assert.equal(await post(port, { host: `devbox.test:${port}` }), 200, 'the allowed host was refused');
        assert.equal(await post(port, { host: `other.test:${port}` }), 403, 'a host that is not allowed went through');
        assert.equal(await post(port, { origin: 'http://localhost:3000' }), 200, 'the allowed origin was refused');
        assert.equal(await post(port, { origin: 'https://app.example' }), 200, 'the second --allowed-origins was lost');
        assert.equal(await post(port, { origin: 'http://evil.test' }), 403, 'an origin that is not allowed went through');
        const answer = await stalledHeaders(port);
        assert.match(answer, /^HTTP\/1\.1 408/);
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
        const lines = readFileSync(ledger, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LedgerEntry);
        assert.deepEqual(lines.map((l) => l.status).sort(), [200, 200, 200, 403, 403, 408]);
        assert.match(lines.find((l) => l.status === 408)?.error ?? '', /within 300 ms/);
        const summary = JSON.parse(stdout()) as { costs: { requests: number; unknownCostRequests: number } };
        assert.equal(summary.costs.requests, 6);
        assert.equal(summary.costs.unknownCostRequests, 0);
      });
    });
  });
});
