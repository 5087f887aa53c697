// Benchmarks in a real VS Code: "PepperPy: Optimize RAG Pipeline" on the test workspace's
// copy of samples/rag (outputs beside the config, the config itself untouched, before and
// after figures in the Benchmark panel), a benchmark cancelled through the job's
// cancellation, the history and the two-run comparison, the CSV/JSON/Markdown exports, and
// malformed webview messages rejected with a visible error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/protocol/benchmark';
import { api, waitForRender } from '../helpers';


function ragFolder(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  return path.join(root, 'rag');
}

describe('PepperPy: Benchmarks and RAG pipelines', function () {
  this.timeout(180_000);
  let optimized: RunRecord | undefined;
  let cancelled: RunRecord | undefined;

  it('"Optimize RAG Pipeline" writes the optimized config and reports beside the config and leaves the config as it was', async () => {
    const a = await api();
    const config = path.join(ragFolder(), 'rag_pipeline.json');
    const before = fs.readFileSync(config);
    optimized = await vscode.commands.executeCommand<RunRecord | undefined>('pepperpy.optimizeRagPipeline', vscode.Uri.file(config), { overwrite: 'never', openReport: false });
    assert.ok(optimized, 'the command returned no run');
    assert.equal(optimized.status, 'completed', optimized.error);
    assert.ok(fs.readFileSync(config).equals(before), 'the source config changed');
    const out = {
      config: path.join(ragFolder(), 'rag_pipeline.optimized.json'),
      md: path.join(ragFolder(), 'rag_pipeline.optimization-report.md'),
      json: path.join(ragFolder(), 'rag_pipeline.optimization-report.json'),
    };
    assert.deepEqual(optimized.files, { config: out.config, reportMarkdown: out.md, reportJson: out.json });
    const optimizedConfig = JSON.parse(fs.readFileSync(out.config, 'utf8')) as { corpus: string; cache?: { enabled: boolean } };
    assert.equal(optimizedConfig.corpus, 'corpus.jsonl', 'the corpus should stay relative to the config');
    assert.equal(optimizedConfig.cache?.enabled, true);
    const report = JSON.parse(fs.readFileSync(out.json, 'utf8')) as { originalBenchmark: { avgLatency: number }; optimizedBenchmark: { avgLatency: number }; files: Record<string, string> };
    assert.equal(report.files.config, 'rag_pipeline.optimized.json');
    const md = fs.readFileSync(out.md, 'utf8');
    assert.match(md, /^# Optimization report: rag_pipeline/);
    assert.match(md, /\*\*Saved\*\*: `rag_pipeline\.optimized\.json`/);
    assert.doesNotMatch(md, /optimize-output/, 'the report still names the private output folder');

    const fmt = (n: number) => n.toFixed(2);
    const summary = await waitForRender(a.benchmark.panel.host, (s) => s.includes('Optimize RAG pipeline · rag_pipeline.json') && s.includes('latency '), 'the optimize run');
    assert.ok(summary.includes(`latency ${fmt(report.originalBenchmark.avgLatency)} → ${fmt(report.optimizedBenchmark.avgLatency)} ms`), `before/after latency not shown: ${summary.slice(0, 600)}`);
    assert.match(summary, /before: avg latency/);
    assert.match(summary, /after: avg latency/);
    assert.match(summary, /Latency distribution/);
    assert.match(summary, /Time per component/);
  });

  it('a second optimize keeps the existing outputs when told not to overwrite', async () => {
    const out = path.join(ragFolder(), 'rag_pipeline.optimized.json');
    const first = fs.readFileSync(out);
    const again = await vscode.commands.executeCommand<RunRecord | undefined>('pepperpy.optimizeRagPipeline', path.join(ragFolder(), 'rag_pipeline.json'), { overwrite: 'never', openReport: false });
    assert.equal(again?.status, 'completed');
    assert.ok(fs.readFileSync(out).equals(first), 'the existing optimized config was replaced');
    assert.ok(again?.files?.config && again.files.config !== out && fs.existsSync(again.files.config), 'the new outputs should stay in globalStorage');
    assert.ok(again.warnings?.some((w) => /were kept/.test(w)));
    (await api()).benchmark.runner.history.delete(again.id);
  });

  it('cancelling a running benchmark stops it and the panel says cancelled', async () => {
    const a = await api();
    const progressSeen = new Promise<void>((resolve) => {
      const sub = a.benchmark.runner.onDidChange(() => {
        if (a.benchmark.runner.running?.percent !== undefined) {
          sub.dispose();
          resolve();
        }
      });
    });
    // 12 queries × 1000 iterations takes minutes: it only ends by being cancelled.
    const run = a.benchmark.panel.launch({ kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: 1000, concurrency: [1] });
    await progressSeen;
    await waitForRender(a.benchmark.panel.host, (s) => s.includes('Running: Pipeline benchmark'), 'the progress');
    const started = Date.now();
    assert.deepEqual(await a.benchmark.panel.host.receive({ type: 'benchmark/cancel' }), { ok: true });
    cancelled = await run;
    assert.ok(cancelled);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(Date.now() - started < 10_000, 'the run did not stop promptly');
    assert.equal(a.benchmark.runner.running, undefined);
    // A hidden webview drops messages and renders the kept state when shown again, so make
    // sure it is visible before reading what it shows.
    a.benchmark.panel.host.show();
    await waitForRender(a.benchmark.panel.host, (s) => s.includes('Cancelled: the run was stopped before it finished.'), 'the cancelled run');
    // The engine is still usable afterwards.
    const quick = await a.benchmark.panel.launch({ kind: 'latency', models: ['local'], inputLengths: [50], outputLengths: [8], batchSizes: [1, 2], iterations: 2, warmupIterations: 0 });
    assert.equal(quick?.status, 'completed', quick?.error);
    assert.ok(quick?.charts.throughput, 'the latency run has a throughput chart');
  });

  it('the history lists the runs and compares two of them side by side', async () => {
    const a = await api();
    assert.ok(optimized && cancelled);
    const ids = a.benchmark.runner.history.list().map((r) => r.id);
    assert.ok(ids.includes(optimized.id) && ids.includes(cancelled.id), `history: ${ids.join(', ')}`);
    const summary = await waitForRender(a.benchmark.panel.host, (s) => /History \(\d+ runs\)/.test(s), 'the history');
    assert.match(summary, /Optimize RAG pipeline · rag_pipeline\.json\tcompleted/);
    assert.match(summary, /Pipeline benchmark · rag_pipeline\.json\tcancelled/);

    const second = await a.benchmark.panel.launch({ kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: 1, concurrency: [1, 2] });
    assert.equal(second?.status, 'completed', second?.error);
    assert.ok(second?.charts.throughput, 'two concurrency levels draw a throughput chart');
    assert.deepEqual(await a.benchmark.panel.host.receive({ type: 'benchmark/compare', a: optimized.id, b: second.id }), { ok: true });
    const comparison = await waitForRender(a.benchmark.panel.host, (s) => s.includes('Comparison'), 'the comparison');
    assert.match(comparison, /Metric\tA\tB\tΔ\tΔ %/);
    assert.match(comparison, /avg latency\t—\t[\d.,]+ ms/);
    assert.ok(a.benchmark.panel.currentState.comparison?.rows.some((r) => r.label === 'before: avg latency'));
  });

  it('exports a run as CSV, JSON and Markdown', async () => {
    const a = await api();
    assert.ok(optimized);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-export-'));
    const csv = fs.readFileSync(a.benchmark.panel.exportRun(optimized.id, 'csv', path.join(dir, 'run.csv')), 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.equal(lines[0], 'metric,label,value,unit');
    assert.equal(lines.length, optimized.metrics.length + 1);
    const latency = optimized.metrics.find((m) => m.key === 'after.avgLatency');
    assert.ok(latency && lines.includes(`after.avgLatency,after: avg latency,${latency.value},ms`));
    const json = JSON.parse(fs.readFileSync(a.benchmark.panel.exportRun(optimized.id, 'json', path.join(dir, 'run.json')), 'utf8')) as RunRecord;
    assert.equal(json.id, optimized.id);
    assert.deepEqual(json.metrics, optimized.metrics);
    assert.ok(json.result, 'the JSON export carries the engine result');
    const md = fs.readFileSync(a.benchmark.panel.exportRun(optimized.id, 'markdown', path.join(dir, 'run.md')), 'utf8');
    assert.match(md, /^# Optimize RAG pipeline · rag_pipeline\.json/);
    assert.match(md, /\| after: avg latency \| [\d.]+ ms \|/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['run.csv', 'run.json', 'run.md'], 'temporary files were left behind');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects malformed webview messages and says so in the panel', async () => {
    const a = await api();
    const host = a.benchmark.panel.host;
    const rejectedBefore = host.rejectedMessages;
    const bad: unknown[] = [
      { type: 'benchmark/run', request: { kind: 'pipeline', configPath: 'rag/rag_pipeline.json', iterations: -1, concurrency: [1] } },
      { type: 'benchmark/run', request: { kind: 'shell', command: 'rm -rf /' } },
      { type: 'benchmark/export', runId: '../../secrets', format: 'csv' },
      { type: 'benchmark/compare', a: 'x', b: 'x' },
      { type: 'benchmark/cancel', extra: true },
      'benchmark/cancel',
    ];
    for (const message of bad) assert.equal((await host.receive(message)).ok, false, JSON.stringify(message));
    assert.equal(host.rejectedMessages, rejectedBefore + bad.length);
    const summary = await waitForRender(a.benchmark.panel.host, (s) => s.includes('does not accept'), 'the rejection');
    assert.match(summary, /The panel sent a message the extension does not accept/);
    assert.equal(a.benchmark.runner.running, undefined, 'a rejected message started a run');
  });
  it('the form pre-fills only files that exist, and a missing config is one clear message with no failed run', async () => {
    const a = await api();
    const panel = a.benchmark.panel;
    await panel.open();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    // Every path the form would start with is a file in the workspace (or the field is empty).
    for (const request of Object.values(panel.currentState.defaults)) {
      const paths = [
        ...('configPath' in request ? [request.configPath] : []),
        ...(request.kind === 'rag' ? [request.dataset] : []),
        ...(request.kind === 'model' || request.kind === 'quality' ? Object.values(request.datasets) : []),
      ].filter((p) => p !== '');
      for (const p of paths) assert.ok(fs.existsSync(path.resolve(root, p)), `the ${request.kind} form pre-fills ${p}, which does not exist`);
    }

    const runs = a.benchmark.runner.history.list().length;
    const record = await panel.launch({ kind: 'pipeline', configPath: 'rag/no_such_pipeline.json', iterations: 1, concurrency: [1] });
    assert.equal(record, undefined, `a run was started and recorded: ${record?.status} ${record?.error ?? ''}`);
    assert.equal(a.benchmark.runner.history.list().length, runs, 'a failed run was recorded');
    const summary = await waitForRender(panel.host, (s) => s.includes('no_such_pipeline.json does not exist'), 'the missing-file message');
    assert.equal(summary.split('does not exist').length - 1, 1, `the message is shown more than once: ${summary.slice(0, 800)}`);
    assert.doesNotMatch(summary, /ENOENT/);
    assert.match(summary, /Browse/);
  });

  it('a stored API key never goes to a base_url a pipeline config names elsewhere: the run fails before any call, naming the host', async () => {
    const a = await api();
    const secrets = (a.benchmark.runner as unknown as { context: vscode.ExtensionContext }).context.secrets;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-keyhost-'));
    // A server that records what reaches it stands in for the other host.
    const received: string[] = [];
    const server = http.createServer((req, res) => {
      received.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', () => r()));
    const port = (server.address() as AddressInfo).port;
    try {
      await secrets.store('pepperpy.apiKey.openai', 'sk-test-not-for-evil-0123456789');
      fs.copyFileSync(path.join(ragFolder(), 'corpus.jsonl'), path.join(dir, 'corpus.jsonl'));
      fs.copyFileSync(path.join(ragFolder(), 'queries.jsonl'), path.join(dir, 'queries.jsonl'));
      const config = JSON.parse(fs.readFileSync(path.join(ragFolder(), 'rag_pipeline.json'), 'utf8')) as { components: { generator: Record<string, unknown>; reranker?: unknown } };
      delete config.components.reranker;
      config.components.generator = { ...config.components.generator, provider: 'openai', model: 'gpt-5.4-nano', base_url: `http://127.0.0.2:${port}/v1` };
      const configPath = path.join(dir, 'pipeline.json');
      fs.writeFileSync(configPath, JSON.stringify(config));
      const record = await a.benchmark.runner.run({ kind: 'pipeline', configPath, iterations: 1, concurrency: [1] });
      assert.equal(record.status, 'failed');
      const expected = `Your stored API key was not sent: the pipeline sends openai requests to http://127.0.0.2:${port}, and PepperPy sends your stored openai key only to https://api.openai.com or a server on this machine (such as the cost monitor).`;
      assert.ok(record.error?.startsWith(expected), record.error);
      assert.match(record.error ?? '', /Remove base_url from the pipeline config/);
      assert.deepEqual(received, [], 'something reached the other host');
      a.benchmark.runner.history.delete(record.id);
    } finally {
      await secrets.delete('pepperpy.apiKey.openai');
      server.close();
    }
  });

  it('"Optimize RAG Pipeline" → starter pipeline: copies what its config names, optimizes it, and keeps paths relative', async () => {
    const a = await api();
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('pepperpy.optimizeRagPipeline', undefined, { starter: true, overwrite: 'never', openReport: false });
    assert.ok(record, 'the command returned no run');
    assert.equal(record.status, 'completed', record.error);
    const dir = path.dirname(record.files?.config ?? '');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.equal(path.dirname(dir), root, `the starter is not in the workspace: ${dir}`);
    const source = JSON.parse(fs.readFileSync(path.join(dir, 'rag_pipeline.json'), 'utf8')) as { corpus: string; components: { reranker?: { model?: string } } };
    const optimizedConfig = JSON.parse(fs.readFileSync(path.join(dir, 'rag_pipeline.optimized.json'), 'utf8')) as { corpus: string; components: { reranker?: { model?: string } } };
    assert.equal(source.components.reranker?.model, 'models/cross_encoder.onnx', 'the starter config should name its reranker model');
    for (const config of [source, optimizedConfig]) {
      // The optimizer may drop the reranker when a configuration without it measures better.
      const named = [config.corpus, ...(config.components.reranker?.model !== undefined ? [config.components.reranker.model] : [])];
      for (const p of named) {
        assert.ok(p !== '' && !path.isAbsolute(p), `a path in the config is not relative: ${p}`);
        assert.ok(fs.existsSync(path.join(dir, p)), `${p} was not copied beside the config`);
      }
    }
    assert.equal(optimizedConfig.corpus, 'corpus.jsonl');
    if (optimizedConfig.components.reranker?.model !== undefined) assert.equal(optimizedConfig.components.reranker.model, 'models/cross_encoder.onnx');
    a.benchmark.runner.history.delete(record.id);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
