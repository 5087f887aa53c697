// break40: a 10,000-line YAML prompt catalog (5,000 prompts, 15,000 lenses). The lens provider built every lens in one
// run of the extension host's thread (about 200 ms per edit here, beside the 14 MB answer's JSON parse, about 200 ms);
// now it builds them in slices of 500 prompts and lets the host's loop turn between slices. Counted in turns of the
// loop, never timed. The catalog is generated: its size is the point, not its text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PromptCodeLensProvider } from '../../../src/extension/prompt/codeLens';
import { api } from '../helpers';

describe('A 10,000-line YAML prompt catalog', function () {
  this.timeout(120_000);

  it('gets its 15,000 lenses with the extension host loop turning while they are built', async () => {
    const a = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'large-catalog.yaml');
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) lines.push(`p${i}:`, `  system: "You are a helpful assistant number ${i}, answer briefly."`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
    const provider = new PromptCodeLensProvider(a.prompts, () => true);
    const source = new vscode.CancellationTokenSource();
    try {
      const hints = await a.prompts.get(document);
      assert.equal(hints?.prompts.length, 5000);
      // The hints are in hand: what the provider does now is building the lenses.
      let turns = 0;
      let spinning = true;
      const spin = () => {
        if (!spinning) return;
        turns++;
        setImmediate(spin);
      };
      setImmediate(spin);
      const lenses = await provider.provideCodeLenses(document, source.token);
      spinning = false;
      assert.equal(lenses.length, 15000);
      assert.equal(lenses[0].command?.title, '12 tokens · $0.00003 per call (gpt-5.4, default)');
      assert.equal(lenses[14999].command?.title, 'Optimize');
      // Slices of 500 prompts: 9 turns at least between the 10 slices.
      assert.ok(turns >= 9, `the loop turned ${turns} times while 5,000 prompts' lenses were built`);
    } finally {
      provider.dispose();
      source.dispose();
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file, { force: true });
    }
  });
});
