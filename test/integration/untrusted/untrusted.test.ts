// Runs in a Restricted Mode (untrusted) workspace (PEPPERPY_VSCODE_UNTRUSTED=1): PepperPy
// shows read-only prompt hints computed in the extension host, offers no rewrite, and
// never starts its engine process.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, waitFor } from '../helpers';

const reference = new TokenizerService('js-tiktoken');
const SYSTEM_PROMPT = 'You are a support assistant for Acme. Please basically answer only questions about Acme products and never share internal prices.';

function fixture(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'hints', file);
}

describe('Untrusted workspace', function () {
  this.timeout(60_000);

  it('is really untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('shows read-only code lenses (tokens and cost, no Compress or Optimize) without starting the engine', async () => {
    const a = await api();
    const document = await vscode.workspace.openTextDocument(fixture('assistant.py'));
    await vscode.window.showTextDocument(document);
    const lenses = await waitFor('code lenses', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return found && found.some((l) => /tokens ·/.test(l.command?.title ?? '')) ? found : undefined;
    });
    const titles = lenses.map((l) => l.command?.title ?? '');
    const expected = reference.countWithEncoding(SYSTEM_PROMPT, 'o200k_base');
    assert.ok(titles.some((t) => t.startsWith(`${expected} tokens · $`)), `lenses: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Compress') && !titles.includes('Optimize'), `rewrite lenses offered: ${titles.join(', ')}`);
    assert.equal(a.engine.pid, undefined, 'the engine process was started');
  });

  it('still shows the hover and the diagnostics', async () => {
    const document = await vscode.workspace.openTextDocument(fixture('assistant.py'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(document.getText().indexOf('support assistant')));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /input cost per call/);
    await waitFor('PepperPy diagnostics', () => vscode.languages.getDiagnostics(document.uri).some((d) => d.source === 'PepperPy' && d.code === 'filler'));
  });

  it('shows the diagnostics of every document opened at once (one document asking never drops another one\'s hints)', async () => {
    const files = ['assistant.ts', 'guide.md', 'prompts.json', 'prompts.yaml', 'review.prompt'];
    const documents = await Promise.all(files.map((f) => vscode.workspace.openTextDocument(fixture(f))));
    for (const document of documents) {
      await waitFor(`PepperPy diagnostics of ${document.uri.path}`, () => vscode.languages.getDiagnostics(document.uri).some((d) => d.source === 'PepperPy' && d.code === 'filler'));
    }
  });

  it('offers no rewrite actions, and refuses the rewrite and analyze commands with a clear reason', async () => {
    const a = await api();
    const document = await vscode.workspace.openTextDocument(fixture('assistant.py'));
    await vscode.window.showTextDocument(document);
    const position = document.positionAt(document.getText().indexOf('support assistant'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, new vscode.Range(position, position));
    assert.ok(!actions.some((x) => /Compress prompt|Optimize prompt|Distill prompt/.test(x.title)), actions.map((x) => x.title).join(', '));
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, document.offsetAt(position));
    assert.equal(outcome?.applied, false);
    assert.match(outcome?.reason ?? '', /untrusted workspace/);
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(position, position.translate(0, 20));
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    assert.match(a.analysisPanel.currentState.error ?? '', /does not run its engine .* in an untrusted workspace/);
    assert.equal(a.engine.pid, undefined, 'the engine process was started');
  });
});
