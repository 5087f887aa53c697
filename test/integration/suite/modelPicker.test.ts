// The one model picker in a real VS Code (issue 14): the editor's models from the fake chat
// model provider (test/fixtures/fake-lm-provider), the models of a fake Ollama
// (test/helpers/fakeLocalServer.ts) that the engine's detection finds through
// PEPPERPY_OLLAMA_URL (the other three known servers are pointed at closed ports, so nothing
// else on this machine can answer), and the API-key group, which in this host (no key stored)
// offers "Set API key for X…". Then LLM-mode Optimize Prompt on the fake Ollama: the text it
// answered is applied, its token counts are the usage, and it costs $0.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildItems, type ModelPickItem } from '../../../src/extension/common/modelPicker';
import { promptOf, startFakeLocalServer, type FakeLocalServer } from '../../helpers/fakeLocalServer';
import { api, waitFor } from '../helpers';

const VARS = ['PEPPERPY_OLLAMA_URL', 'PEPPERPY_LMSTUDIO_URL', 'PEPPERPY_LLAMACPP_URL', 'PEPPERPY_VLLM_URL', 'OLLAMA_HOST'] as const;

function workspaceRoot(): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  return root;
}

/** The items under each separator, in order. */
function groups(items: readonly ModelPickItem[]): Record<string, ModelPickItem[]> {
  const out: Record<string, ModelPickItem[]> = { '': [] };
  let current = '';
  for (const item of items) {
    if (item.kind === vscode.QuickPickItemKind.Separator) out[(current = item.label)] = [];
    else out[current].push(item);
  }
  return out;
}

describe('PepperPy: the model picker (editor, local-server and key-based models)', function () {
  this.timeout(180_000);
  const saved = new Map<string, string | undefined>(VARS.map((v) => [v, process.env[v]]));
  let ollama: FakeLocalServer;

  before(async () => {
    ollama = await startFakeLocalServer('ok', { reply: (body) => `LOCAL: ${promptOf(body)}` });
    const closed = await startFakeLocalServer('ok');
    await closed.close();
    delete process.env.OLLAMA_HOST;
    process.env.PEPPERPY_OLLAMA_URL = ollama.baseUrl;
    for (const v of ['PEPPERPY_LMSTUDIO_URL', 'PEPPERPY_LLAMACPP_URL', 'PEPPERPY_VLLM_URL']) process.env[v] = closed.baseUrl;
    // The engine reads the variables when it starts.
    const a = await api();
    await a.engine.restart();
    await waitFor('the fake chat model in vscode.lm', async () => (await vscode.lm.selectChatModels({ vendor: 'pepperpy-fake' })).length > 0, 30_000);
    assert.deepEqual([await a.benchmark.runner.hasApiKey('openai'), await a.benchmark.runner.hasApiKey('anthropic')], [false, false]);
  });

  after(async () => {
    for (const [k, v] of saved) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    await ollama.close();
    await (await api()).engine.restart();
  });

  it('shows at once, busy, then lists the three groups with what each model costs', async () => {
    const a = await api();
    const picker = a.rewriter.modelPicker;
    const choice = picker.pick({ title: 'PepperPy: who rewrites the prompt?', localRules: true });
    const quickPick = await waitFor('the picker on screen', () => picker.current, 10_000);
    const ready = await waitFor('the picker to finish loading', () => (!quickPick.busy ? quickPick.items : undefined), 30_000);
    const byGroup = groups(ready);
    assert.deepEqual(Object.keys(byGroup), ['', 'Editor models (no key)', 'Local servers (no key, $0)', 'API key']);
    assert.deepEqual(byGroup[''].map((i) => [i.label, i.choice]), [['Local rules', { kind: 'rules' }]]);
    const editor = byGroup['Editor models (no key)'].find((i) => i.description === 'vscode:pepperpy-fake-echo');
    assert.deepEqual(editor && [editor.label, editor.detail, editor.choice], ['Fake Echo (VS Code)', 'included in your plan', { kind: 'editor', name: 'vscode:pepperpy-fake-echo' }]);
    assert.deepEqual(byGroup['Local servers (no key, $0)'].map((i) => [i.label, i.detail, i.choice?.kind]), [
      ['ollama:llama3.2', `$0, runs on localhost:${ollama.port} (local, $0)`, 'local'],
      ['ollama:qwen2.5:0.5b', `$0, runs on localhost:${ollama.port} (local, $0)`, 'local'],
    ]);
    assert.ok(byGroup['Local servers (no key, $0)'].every((i) => /^Ollama, answered in \d+ ms$/.test(i.description ?? '')), JSON.stringify(byGroup['Local servers (no key, $0)']));
    assert.deepEqual(byGroup['API key'].map((i) => [i.label, i.setKey]), [['Set API key for OpenAI…', 'openai'], ['Set API key for Anthropic…', 'anthropic']]);
    quickPick.hide();
    assert.equal(await choice, undefined, 'dismissed: nothing chosen');
  });

  it("the Benchmark panel's Add model… opens the same picker and hands the chosen model to the form", async () => {
    const a = await api();
    const panel = a.benchmark.panel;
    await panel.open();
    const before = panel.currentState.pickedModel?.seq ?? 0;
    const handled = panel.host.receive({ type: 'benchmark/pickModel', field: 'models' });
    const quickPick = await waitFor('the picker on screen', () => panel.modelPicker.current, 10_000);
    assert.equal(quickPick.title, 'PepperPy: add a model to the benchmark');
    const item = await waitFor('ollama:llama3.2 in the picker', () => (!quickPick.busy ? quickPick.items.find((i) => i.label === 'ollama:llama3.2') : undefined), 30_000);
    // No "Local rules" here: a benchmark needs a model.
    assert.ok(!quickPick.items.some((i) => i.label === 'Local rules'));
    // As a user would: type its name (only that row stays), then accept.
    quickPick.value = 'ollama:llama3.2';
    quickPick.activeItems = [item];
    await waitFor('ollama:llama3.2 active', () => quickPick.activeItems[0]?.label === 'ollama:llama3.2', 5_000);
    await new Promise((r) => setTimeout(r, 200));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.deepEqual(await handled, { ok: true });
    assert.deepEqual(panel.currentState.pickedModel, { field: 'models', name: 'ollama:llama3.2', seq: before + 1 });
  });

  it('LLM-mode Optimize Prompt with ollama:llama3.2 applies what the server answered, at $0, with its token counts', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'hints', 'review.prompt'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const before = ollama.requests.length;
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; newText?: string; llm?: { status: string; latencyMs?: number; usage?: { inputTokens: number; outputTokens: number }; forecast: { provider: string; model: string; maxTotalCostUsd?: number; priceNote: string } } }>(
      'pepperpy.optimizePrompt', document.uri, 1, 'balanced', { preview: false, llm: 'ollama:llama3.2' },
    );
    const sent = ollama.requests.slice(before);
    assert.equal(sent.length, 1, 'one request to the local server');
    assert.equal(sent[0].model, 'llama3.2');
    const prompt = promptOf(sent[0]);
    assert.ok(prompt.includes('{{diff}}') && original.startsWith(prompt.trimEnd()), `the server did not get the prompt: ${prompt.slice(0, 200)}`);
    assert.equal(outcome?.applied, true, outcome?.reason);
    assert.equal(outcome?.newText, `LOCAL: ${prompt}`.trim());
    assert.ok(document.getText().startsWith('LOCAL: You are a code reviewer.'), document.getText().slice(0, 200));
    assert.equal(outcome?.llm?.status, 'accepted');
    assert.deepEqual(outcome?.llm?.usage, { inputTokens: 12, outputTokens: 2 });
    assert.equal(outcome?.llm?.forecast.provider, 'local');
    assert.equal(outcome?.llm?.forecast.maxTotalCostUsd, 0);
    assert.equal(outcome?.llm?.forecast.priceNote, `local, $0: runs on localhost:${ollama.port}`);
    assert.ok(typeof outcome?.llm?.latencyMs === 'number');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'one undo restores the file');
  });

  it('a model name no rewrite takes is refused with what to pass instead', async () => {
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'hints', 'review.prompt'));
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.optimizePrompt', uri, 1, 'balanced', { preview: false, llm: 'foo:bar' });
    assert.equal(outcome?.applied, false);
    assert.equal(outcome?.reason, '"foo:bar" is not a model the rewrite takes: pass local (the rules), vscode:<id>, a local server model such as ollama:llama3.2, or openai:<model> / anthropic:<model> with a stored key.');
  });

  it('unreadable SecretStorage is said, not offered as "Set API key"; a model name with $(…) is not drawn as an icon', () => {
    const items = buildItems({ editor: [], local: { servers: [], models: [{ name: 'ollama:$(zap)x', server: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1' }] } as never, keys: { error: 'no keyring' } }, {});
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('The stored API keys could not be read'), labels.join(' | '));
    assert.equal(items.find((i) => i.label === 'The stored API keys could not be read')?.detail, 'no keyring');
    assert.ok(!labels.some((l) => l.startsWith('Set API key')), labels.join(' | '));
    assert.ok(labels.includes('ollama:$\u200b(zap)x'), labels.join(' | '));
  });
});
