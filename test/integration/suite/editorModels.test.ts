// The editor's own chat models (vscode.lm) in a real VS Code, through the engine's reverse
// requests: the fake chat model provider (test/fixtures/fake-lm-provider, loaded as a second
// development extension) answers deterministically and counts tokens as characters / 4, and
// records every request it received, so each expected count is recomputed here from what the
// model was sent. No API key is stored in this host, so no hosted provider could have answered.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../../src/protocol/benchmark';
import type { QualityRunResult } from '../../../src/protocol/benchmarkRun';
import type { OptimizeAllResult } from '../../../src/protocol/pipeline';
import { api, waitFor } from '../helpers';

interface FakeRequest {
  model: string;
  messages: string[];
  answer: string;
}
interface FakeLm {
  MODEL_ID: string;
  FIXED_ANSWER: string;
  requests: FakeRequest[];
}

const FAKE_ID = 'pepperpy-test.fake-lm-provider';
const tokens = (text: string) => Math.ceil(text.length / 4);

async function fake(): Promise<FakeLm> {
  const extension = vscode.extensions.getExtension<FakeLm>(FAKE_ID);
  assert.ok(extension, `${FAKE_ID} is not loaded (scripts/vscode-test.mjs adds it as a development extension)`);
  return extension.activate();
}

function workspaceRoot(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  return root;
}

describe("PepperPy: the editor's models (vscode.lm)", function () {
  this.timeout(240_000);
  let lm: FakeLm;
  let modelName: string;

  before(async () => {
    lm = await fake();
    modelName = `vscode:${lm.MODEL_ID}`;
    await api();
    await waitFor('the fake chat model in vscode.lm', async () => (await vscode.lm.selectChatModels({ vendor: 'pepperpy-fake' })).length > 0, 30_000);
    // No hosted provider can answer in this host: no API key is stored.
    const a = await api();
    assert.deepEqual([await a.benchmark.runner.hasApiKey('openai'), await a.benchmark.runner.hasApiKey('anthropic')], [false, false]);
  });

  it('the Benchmark panel lists the editor\'s models with a "(VS Code)" label', async () => {
    const a = await api();
    await a.benchmark.panel.open();
    await a.benchmark.panel.refresh();
    const listed = a.benchmark.panel.currentState.editorModels ?? [];
    assert.deepEqual(listed.filter((m) => m.name === modelName), [{ name: modelName, label: 'Fake Echo (VS Code)' }]);
    assert.ok(listed.every((m) => m.name.startsWith('vscode:') && m.label.endsWith('(VS Code)')), JSON.stringify(listed));
  });

  it('LLM-mode Optimize Prompt rewrites with the editor model, with no key and its own token counts', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'hints', 'review.prompt'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const before = lm.requests.length;
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; newText?: string; llm?: { status: string; usage?: { inputTokens: number; outputTokens: number }; forecast: { priced: boolean; priceNote: string; provider: string } } }>(
      'pepperpy.optimizePrompt', document.uri, 1, 'balanced', { preview: false, llm: modelName },
    );
    assert.ok(outcome, 'the command returned nothing');
    const sent = lm.requests.slice(before);
    assert.equal(sent.length, 1, 'one request to the editor model');
    const [request] = sent;
    const prompt = /\nPROMPT:\n<<<\n([\s\S]*)\n>>>$/.exec(request.messages[request.messages.length - 1] ?? '')?.[1];
    assert.ok(prompt !== undefined && original.startsWith(prompt.trimEnd()) && prompt.includes('{{diff}}'), `the model did not get the prompt: ${JSON.stringify(request.messages).slice(0, 300)}`);
    assert.equal(outcome.applied, true, outcome.reason);
    assert.equal(outcome.newText, `FAKE-LM: ${prompt}`.trim());
    assert.ok(document.getText().startsWith('FAKE-LM: You are a code reviewer.'), document.getText().slice(0, 200));
    assert.equal(outcome.llm?.status, 'accepted');
    assert.equal(outcome.llm?.forecast.provider, 'vscode');
    assert.equal(outcome.llm?.forecast.priced, false);
    assert.match(outcome.llm?.forecast.priceNote ?? '', /^included in your plan/);
    assert.deepEqual(outcome.llm?.usage, {
      inputTokens: request.messages.reduce((n, m) => n + tokens(m), 0),
      outputTokens: tokens(request.answer),
    });
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'one undo restores the file');
  });

  it('a quality benchmark judged by the editor model: every judgment counted by the model, cost included in the plan', async () => {
    const a = await api();
    const root = workspaceRoot();
    // Three questions with reference answers from the RAG sample's test queries.
    const lines = fs.readFileSync(path.join(root, 'rag', 'queries.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').slice(0, 3);
    const dataset = lines.map((l) => {
      const q = JSON.parse(l) as { query: string; answer: string };
      return JSON.stringify({ input: q.query, reference: q.answer });
    });
    fs.writeFileSync(path.join(root, 'rag', 'quality-lm.jsonl'), `${dataset.join('\n')}\n`);
    const before = lm.requests.length;
    const record = await a.benchmark.panel.launch({ kind: 'quality', models: ['local'], datasets: { rag: 'rag/quality-lm.jsonl' }, evaluatorModel: modelName, repeats: 1 });
    assert.ok(record, 'no run');
    assert.equal(record.status, 'completed', record.error);
    const result = record.result as QualityRunResult;
    const judged = lm.requests.slice(before);
    // 3 items × 4 metrics × 1 repeat, each a judge call to the editor model.
    assert.equal(judged.length, 12);
    assert.ok(judged.every((r) => r.answer === 'Score: 7'), 'the fake answered a judge prompt with something else');
    assert.equal(result.judge.model, modelName);
    assert.equal(result.judge.calls, 12);
    assert.equal(result.judge.inputTokens, judged.reduce((n, r) => n + r.messages.reduce((m, t) => m + tokens(t), 0), 0));
    assert.equal(result.judge.outputTokens, 12 * tokens('Score: 7'));
    assert.match(result.judge.costBasis ?? '', /^included in your plan/);
    for (const metric of ['correctness', 'relevance', 'coherence', 'fluency']) {
      const cell = result.results.local?.rag?.[metric];
      assert.deepEqual({ mean: cell?.mean, n: cell?.n, unparsed: cell?.unparsed }, { mean: 7, n: 3, unparsed: 0 }, metric);
    }
  });

  it('cancelling the run cancels the editor model\'s request in VS Code', async () => {
    const a = await api();
    const root = workspaceRoot();
    // The fake holds any request that contains FAKE-LM-HOLD until it is cancelled; the judge prompt quotes the input.
    fs.writeFileSync(path.join(root, 'rag', 'quality-hold.jsonl'), `${JSON.stringify({ input: 'FAKE-LM-HOLD: what does the cache do?' })}\n`);
    const before = lm.requests.length;
    const run = a.benchmark.panel.launch({ kind: 'quality', models: ['local'], datasets: { hold: 'rag/quality-hold.jsonl' }, evaluatorModel: modelName, repeats: 1 });
    const held = await waitFor('the held request at the fake model', () => lm.requests.slice(before).find((r) => r.messages.some((m) => m.includes('FAKE-LM-HOLD'))), 60_000);
    assert.deepEqual(await a.benchmark.panel.host.receive({ type: 'benchmark/cancel' }), { ok: true });
    const record = await run;
    assert.equal(record?.status, 'cancelled', record?.error);
    await waitFor('the fake model to see the cancellation', () => (held as FakeRequest & { cancelled?: boolean }).cancelled === true, 20_000);
  });

  it('an editor model that does not exist fails the run with the models there are', async () => {
    const a = await api();
    const record = await a.benchmark.panel.launch({ kind: 'quality', models: ['local'], datasets: { rag: 'rag/quality-lm.jsonl' }, evaluatorModel: 'vscode:no-such-model', repeats: 1 });
    assert.equal(record?.status, 'failed');
    assert.match(record?.error ?? '', /VS Code has no chat model "no-such-model"/);
    assert.match(record?.error ?? '', /vscode:pepperpy-fake-echo/);
  });

  it('"Optimize RAG Pipeline" with the generator on the editor model: its answers, its token counts, no price', async () => {
    const root = workspaceRoot();
    const source = JSON.parse(fs.readFileSync(path.join(root, 'rag', 'rag_pipeline.json'), 'utf8')) as { components: { generator: Record<string, unknown> } };
    source.components.generator.provider = 'vscode';
    source.components.generator.model = lm.MODEL_ID;
    const configPath = path.join(root, 'rag', 'rag_vscode.json');
    fs.writeFileSync(configPath, JSON.stringify({ ...source, name: 'rag_vscode' }, null, 2));
    const systemPrompt = String(source.components.generator.system_prompt);
    const before = lm.requests.length;
    const record = await vscode.commands.executeCommand<RunRecord | undefined>('pepperpy.optimizeRagPipeline', vscode.Uri.file(configPath), { overwrite: 'always', openReport: false });
    assert.ok(record, 'the command returned no run');
    assert.equal(record.status, 'completed', record.error);
    const result = record.result as OptimizeAllResult;
    const b = result.originalBenchmark;
    assert.deepEqual(b.generator.provider, 'vscode');
    assert.ok(b.answers.length > 0 && b.answers.every((x) => x.answer === lm.FIXED_ANSWER), `an answer did not come from the fake model: ${JSON.stringify(b.answers[0])}`);
    assert.equal(b.avgOutputTokens, tokens(lm.FIXED_ANSWER));
    // Input tokens of each answered query (a query may repeat), as the model counted the
    // original prompts it was sent; the benchmark reports their mean to 2 decimals.
    const original = lm.requests.slice(before).filter((r) => r.messages[0] === systemPrompt);
    const counts = b.answers.map((x) => {
      const sent = original.find((r) => (r.messages[1] ?? '').includes(`Question: ${x.query}\nAnswer:`));
      assert.ok(sent, `the model never got the original prompt for "${x.query}"`);
      return sent.messages.reduce((n, m) => n + tokens(m), 0);
    });
    const expected = Math.round((100 * counts.reduce((x, y) => x + y, 0)) / counts.length) / 100;
    assert.equal(b.avgInputTokens, expected);
    assert.match(b.costBasis, /^included in your plan/);
    assert.match(result.optimizedBenchmark.costBasis, /^included in your plan/);
    assert.match(record.headline, /cost: included in your plan/);
    assert.doesNotMatch(record.headline, /\$/);
  });
});
