// The first slice, end to end in a real VS Code: the command, the engine process, the
// webview panel and the status bar. The panel reports the text it rendered (didRender),
// so these tests check what the user sees, not only what the host sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, nextRender, openUntitled, waitFor } from '../helpers';

const reference = new TokenizerService('js-tiktoken');

const PROMPT = [
  'You are a helpful assistant. Please answer the following question in detail,',
  'giving clear explanations and examples where appropriate.',
  'Question: What are the main optimization techniques for LLM-based systems?',
].join('\n');

function openWith(text: string, language = 'plaintext'): Promise<vscode.TextEditor> {
  return openUntitled(text, language);
}

function recordMetric(name: string, value: number): void {
  const results = process.env.PEPPERPY_TEST_RESULTS;
  if (!results) return;
  const file = path.join(path.dirname(results), 'metrics.json');
  const metrics = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>) : {};
  metrics[name] = value;
  fs.writeFileSync(file, JSON.stringify(metrics, null, 2));
}

describe('PepperPy: Analyze Prompt', function () {
  this.timeout(60_000);

  it('activates, measuring its activation time', async () => {
    const a = await api();
    assert.ok(a.activationMs > 0 && Number.isFinite(a.activationMs));
    recordMetric('activationMs', a.activationMs);
  });

  it('analyzes the selection in the engine and shows the exact token count in the panel', async () => {
    const a = await api();
    const editor = await openWith(`# notes\n${PROMPT}\n# end`);
    editor.selection = new vscode.Selection(1, 0, 3, editor.document.lineAt(3).text.length);
    const expected = reference.countWithEncoding(PROMPT, 'o200k_base');
    const rendered = nextRender(a.analysisPanel.host, (s) => s.includes(`${expected}`) && /tokens for gpt-5\.4/.test(s));
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    const summary = await rendered;
    assert.match(summary, /selection in /);
    assert.match(summary, /exact · o200k_base/);
    assert.equal(a.analysisPanel.currentState.analysis?.tokenCount, expected);
    assert.equal(a.analysisPanel.currentState.analysis?.wordCount, PROMPT.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)!.length);
    assert.ok(a.engine.pid !== undefined, 'the engine process is running');
  });

  it('analyzes the whole file when nothing is selected', async () => {
    const a = await api();
    const text = 'Translate the user message into French. Reply with the translation only.';
    const editor = await openWith(text);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const expected = reference.countWithEncoding(text, 'o200k_base');
    const rendered = nextRender(a.analysisPanel.host, (s) => s.includes(`${expected}\n`) || s.includes(`${expected} `) || s.includes(`${expected}tokens`));
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    await rendered;
    assert.equal(a.analysisPanel.currentState.analysis?.tokenCount, expected);
    assert.doesNotMatch(a.analysisPanel.currentState.source, /selection/);
  });

  it('shows the token count of the selection in the status bar', async () => {
    const a = await api();
    const editor = await openWith(PROMPT);
    editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
    const firstLine = editor.document.lineAt(0).text;
    const expected = reference.countWithEncoding(firstLine, 'o200k_base');
    const text = await waitFor('the status bar count', () => a.statusBar.item.text.includes(` ${expected} tokens`) && a.statusBar.item.text);
    assert.equal(text, `$(symbol-number) ${expected} tokens`);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await waitFor('the status bar to clear', () => a.statusBar.lastCount === undefined);
  });

  it('marks estimates for models without a local tokenizer', async () => {
    const a = await api();
    await vscode.workspace.getConfiguration('pepperpy').update('defaultModel', 'claude-3-opus-20240229', vscode.ConfigurationTarget.Global);
    try {
      const editor = await openWith(PROMPT);
      editor.selection = new vscode.Selection(0, 0, 2, editor.document.lineAt(2).text.length);
      const rendered = nextRender(a.analysisPanel.host, (s) => /estimate/.test(s) && /claude-3-opus/.test(s));
      await vscode.commands.executeCommand('pepperpy.analyzePrompt');
      const summary = await rendered;
      assert.match(summary, /~\d+/);
      assert.match(summary, /Anthropic Claude does not publish its tokenizer/);
      await waitFor('an estimated status bar count', () => a.statusBar.item.text.startsWith('$(symbol-number) ~'));
    } finally {
      await vscode.workspace.getConfiguration('pepperpy').update('defaultModel', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('restores the panel content after it is hidden and shown again', async () => {
    const a = await api();
    const editor = await openWith(PROMPT);
    editor.selection = new vscode.Selection(0, 0, 2, editor.document.lineAt(2).text.length);
    const expected = reference.countWithEncoding(PROMPT, 'o200k_base');
    const first = nextRender(a.analysisPanel.host, (s) => s.includes(`${expected}`) && /tokens for/.test(s));
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    await first;
    // Opening a document in the panel's column hides the webview (its context is not retained).
    const other = await vscode.workspace.openTextDocument({ content: 'something else' });
    await vscode.window.showTextDocument(other, vscode.ViewColumn.Two);
    const again = nextRender(a.analysisPanel.host, (s) => s.includes(`${expected}`) && /tokens for/.test(s));
    a.analysisPanel.host.show();
    const summary = await again;
    assert.match(summary, /Prompt analysis/);
  });

  it('rejects malformed webview messages without breaking the panel', async () => {
    const a = await api();
    const before = a.analysisPanel.host.rejectedMessages;
    const bad: unknown[] = [null, 'ready', { type: 'exec', command: 'rm -rf /' }, { type: 'analysis/reanalyze', model: 42 }, { type: 'ready', extra: true }];
    for (const message of bad) {
      const result = await a.analysisPanel.host.receive(message);
      assert.equal(result.ok, false, `accepted ${JSON.stringify(message)}`);
    }
    assert.equal(a.analysisPanel.host.rejectedMessages, before + bad.length);
    assert.deepEqual(await a.analysisPanel.host.receive({ type: 'ready' }), { ok: true });
  });

  it('reports a clear error when the engine is killed mid-request, restarts it, and the next analysis succeeds', async () => {
    const a = await api();
    process.env.PEPPERPY_ENGINE_DEBUG = '1';
    process.env.PEPPERPY_ENGINE_DEBUG_DELAY_MS = '10000';
    try {
      await vscode.commands.executeCommand('pepperpy.restartEngine');
      const firstPid = await waitFor('the engine pid', () => a.engine.pid);
      const editor = await openWith(PROMPT);
      editor.selection = new vscode.Selection(0, 0, 2, editor.document.lineAt(2).text.length);
      const errorShown = nextRender(a.analysisPanel.host, (s) => /stopped \(signal SIGKILL\)/.test(s));
      const running = vscode.commands.executeCommand('pepperpy.analyzePrompt');
      // Kill it once the request is with the engine (which holds it for PEPPERPY_ENGINE_DEBUG_DELAY_MS).
      await waitFor(() => `prompt/analyze in flight (in flight: ${JSON.stringify(a.engine.inFlightMethods)})`, () => a.engine.inFlightMethods.includes('prompt/analyze'), 30_000, 10);
      process.kill(firstPid, 'SIGKILL');
      await running;
      const summary = await errorShown;
      assert.match(summary, /while running prompt\/analyze/);
      assert.match(a.analysisPanel.currentState.error ?? '', /SIGKILL/);

      delete process.env.PEPPERPY_ENGINE_DEBUG_DELAY_MS;
      const expected = reference.countWithEncoding(PROMPT, 'o200k_base');
      const recovered = nextRender(a.analysisPanel.host, (s) => s.includes(`${expected}`) && /tokens for/.test(s));
      await vscode.commands.executeCommand('pepperpy.analyzePrompt');
      await recovered;
      assert.ok(a.engine.pid !== undefined && a.engine.pid !== firstPid, 'a new engine process answered');
      assert.equal(a.analysisPanel.currentState.error, undefined);
    } finally {
      delete process.env.PEPPERPY_ENGINE_DEBUG;
      delete process.env.PEPPERPY_ENGINE_DEBUG_DELAY_MS;
    }
  });

  it('refuses an empty file with a message instead of an empty analysis', async () => {
    const a = await api();
    const before = a.analysisPanel.currentState;
    const editor = await openWith('   \n  ');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    assert.deepEqual(a.analysisPanel.currentState, before, 'the panel state did not change');
  });
});
