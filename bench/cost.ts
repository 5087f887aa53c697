/**
 * `npm run bench:cost`: what the cost-monitoring proxy adds to a request. One run, loopback
 * only: a local upstream that answers an OpenAI chat completion at once, called directly
 * and through the proxy (with its fsync'd JSONL ledger), sequentially for latency and with
 * concurrent clients for throughput. Bounded: a fixed number of requests per phase.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlLedger } from '../src/engine/cost/ledger';
import { CostMonitor } from '../src/engine/cost/monitor';
import { PriceCatalog } from '../src/shared/cost/pricing';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 2000);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 4000);
const CLIENTS = 16;

const answer = JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, finish_reason: 'stop' }], usage: { prompt_tokens: 500, completion_tokens: 300, total_tokens: 800 } });
const request = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] });
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

function post(base: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/v1/chat/completions`, { method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', 'content-length': Buffer.byteLength(request) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(request);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(base: string): Promise<{ p50: number; p99: number; rps: number }> {
  for (let i = 0; i < 200; i++) await post(base); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await post(base);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next++ < CONCURRENT) await post(base);
  }));
  const rps = CONCURRENT / ((performance.now() - started) / 1000);
  return { p50: percentile(times, 50), p99: percentile(times, 99), rps };
}

async function main(): Promise<void> {
  const upstream = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-bench-'));
  const ledger = new JsonlLedger(join(dir, 'ledger.jsonl'));
  const monitor = new CostMonitor({ ledger, port: 0, upstreamOpenAi: upstreamUrl, catalog: await PriceCatalog.bundled() });
  const { url } = await monitor.start();
  try {
    const direct = await measure(upstreamUrl);
    const proxied = await measure(url);
    const recorded = (await ledger.readAll()).length;
    const f = (n: number) => n.toFixed(3);
    process.stdout.write(
      [
        `cost proxy bench (loopback, node ${process.version}, ${SEQUENTIAL} sequential + ${CONCURRENT} requests over ${CLIENTS} clients per path)`,
        `  direct:  p50 ${f(direct.p50)} ms  p99 ${f(direct.p99)} ms  ${direct.rps.toFixed(0)} req/s`,
        `  proxied: p50 ${f(proxied.p50)} ms  p99 ${f(proxied.p99)} ms  ${proxied.rps.toFixed(0)} req/s  (JSONL ledger, fsync per batch)`,
        `  added latency: p50 ${f(proxied.p50 - direct.p50)} ms  p99 ${f(proxied.p99 - direct.p99)} ms; throughput ${((proxied.rps / direct.rps) * 100).toFixed(1)} % of direct`,
        `  ledger entries written: ${recorded}`,
        '',
      ].join('\n'),
    );
  } finally {
    await monitor.stop();
    upstream.close();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:cost failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
