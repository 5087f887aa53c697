// A Chinese prompt (NextChat's 文案写手 mask, test/fixtures/workspace/nextchat/SOURCES.md) under Compress and
// Optimize: nothing changes, and the message says that the rules are written for en, es and pt, not that the
// prompt is "already as short as this operation makes it" (newuser30).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('Rewrites of a Chinese prompt (NextChat cn masks)', function () {
  this.timeout(60_000);

  it('Compress and Optimize leave it as it is and say which script the rules do not cover', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'nextchat', 'cn_masks.ts'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const offset = original.indexOf('我希望你充当文案专员') + 3;
    const expected = 'PepperPy: nothing to change: the rewrite rules are written for en, pt, es, and this prompt is mostly in Chinese characters (Han). It is left as it is.';
    for (const [command, ...args] of [['pepperpy.compressPrompt'], ['pepperpy.optimizePrompt', 'balanced']] as const) {
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; message?: string }>(command, document.uri, offset, ...args);
      assert.equal(outcome?.applied, false, command);
      assert.equal(outcome?.reason, 'unchanged', command);
      assert.equal(outcome?.message, expected, command);
      assert.equal(document.getText(), original);
    }
  });
});
