// Exploratory (untitled46): an untitled file opened, closed, and another opened right after.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeUntitled, waitFor } from '../helpers';

const ONLY_RUNTIME = [
  'class AnthropicLLM {',
  '  constructPrompt({ systemPrompt = "", contextTexts = [] }) {',
  '    const prompt = {',
  '      role: "system",',
  '      content: `${systemPrompt}${this.#appendContext(contextTexts)}`,',
  '    };',
  '    return [prompt];',
  '  }',
  '}',
  '',
].join('\n');

const OBSERVER = 'const OBSERVER_SYSTEM_PROMPT = `You are a memory observer for a personalized AI assistant.\n- Maximum ${MAX_CANDIDATES_PER_RUN} observations per batch.`;\n';

const notes: string[] = [];
function note(line: string): void {
  notes.push(line);
  const target = process.env.PEPPERPY_TEST_RESULTS;
  if (target) fs.writeFileSync(path.join(path.dirname(target), 'untitled46-notes.txt'), `${notes.join('\n')}\n`);
}

describe('untitled46 exploratory: an untitled file after another was closed', function () {
  this.timeout(300_000);

  for (const mode of ['hover then close', 'dwell 1500', 'dwell 3000']) {
    it(`mode ${mode}`, async () => {
      const a = await api();
      const t0 = Date.now();
      const ev = (what: string, d: vscode.TextDocument) => { if (d.uri.scheme === 'untitled') note(`    [${Date.now() - t0}ms] ${what} ${d.uri.toString()} v${d.version} ${d.languageId} ${JSON.stringify(d.getText().slice(0, 30))}`); };
      const subs = [
        vscode.workspace.onDidOpenTextDocument((d) => ev('open', d)),
        vscode.workspace.onDidCloseTextDocument((d) => ev('close', d)),
        vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) ev(`change(${e.reason ?? ''})`, e.document); }),
      ];
      for (let i = 0; i < 2; i++) {
        const first = await vscode.workspace.openTextDocument({ language: 'javascript', content: ONLY_RUNTIME });
        await vscode.window.showTextDocument(first, vscode.ViewColumn.One);
        if (mode === 'hover then close') {
          const at = first.positionAt(ONLY_RUNTIME.indexOf('${systemPrompt}') + 3);
          await vscode.commands.executeCommand('vscode.executeHoverProvider', first.uri, at);
          await vscode.commands.executeCommand('vscode.executeCodeLensProvider', first.uri, 100);
        } else {
          await a.prompts.get(first);
          await new Promise((r) => setTimeout(r, Number(mode.split(' ')[1])));
        }
        note(`  step: close first [${Date.now() - t0}ms]`);
        await closeUntitled(first);
        note(`  step: open second [${Date.now() - t0}ms]`);
        const second = await vscode.workspace.openTextDocument({ language: 'javascript', content: OBSERVER });
        const same = second === first;
        note(`${mode} #${i}: first ${first.uri.toString()} v${first.version} closed=${first.isClosed}; second ${second.uri.toString()} v${second.version} same object=${same} text ok=${second.getText() === OBSERVER} text=${JSON.stringify(second.getText().slice(0, 40))}`);
        const editor = await vscode.window.showTextDocument(second, vscode.ViewColumn.One);
        editor.selection = new vscode.Selection(0, 40, 0, 40);
        const hints = await a.prompts.get(second);
        note(`  hints: ${hints?.prompts.length} prompts: ${JSON.stringify(hints?.prompts.map((p) => p.location.boundName))}; editor text ok=${editor.document.getText() === OBSERVER}`);
        note(`  step: analyze [${Date.now() - t0}ms]`);
        await vscode.commands.executeCommand('pepperpy.analyzePrompt');
        const state = await waitFor('the analysis', () => (/OBSERVER_SYSTEM_PROMPT/.test(a.analysisPanel.currentState.source) && a.analysisPanel.currentState.analysis ? a.analysisPanel.currentState : undefined), 5000).catch((e: unknown) => {
          note(`  analysis not made: ${String(e)}; panel source ${a.analysisPanel.currentState.source}`);
          return undefined;
        });
        if (state) note(`  analyzed: ${state.source}`);
        await closeUntitled(second);
        // The panel's source is reset for the next round.
        await a.analysisPanel.analyze('x', 'reset', 'gpt-4o');
      }
      for (const sub of subs) sub.dispose();
      assert.ok(!notes.some((n) => /not made|text ok=false/.test(n)), notes.join('\n'));
    });
  }
});

describe('untitled46 exploratory: the extension\'s warnings seen from a test', function () {
  it('untitled46 warning patch', async () => {
    await api();
    const seen: string[] = [];
    const w = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = w.showWarningMessage;
    w.showWarningMessage = (...args: unknown[]) => {
      seen.push(String(args[0]));
      return original.apply(vscode.window, args);
    };
    const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    w.showWarningMessage = original;
    note(`warnings seen: ${JSON.stringify(seen)}`);
    await closeUntitled(document);
  });
});
