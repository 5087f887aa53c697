// NextChat's prompts (test/fixtures/workspace/nextchat/SOURCES.md) under the rewrites, as newuser30 met them:
// - a Chinese prompt (the 文案写手 mask) under Compress and Optimize: nothing changes, and the message says that the
//   rules are written for en, es and pt, not that the prompt is "already as short as this operation makes it";
// - Compress on DEFAULT_SYSTEM_TEMPLATE: "Show What Was Removed" gives the figures and removals of the edit.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, restoreDocument as restore } from '../helpers';

const reference = new TokenizerService('js-tiktoken');

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

describe('Compress Prompt on NextChat DEFAULT_SYSTEM_TEMPLATE: the report is the edit', function () {
  this.timeout(60_000);

  it("reports the tokens and removals of the edit, not of the literal's edge line breaks, which stay", async () => {
    const a = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'nextchat', 'constant_templates.ts'));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const template = (source: string) => findPrompts(source, undefined, { fileName: 'constant_templates.ts' }).find((p) => p.boundName === 'DEFAULT_SYSTEM_TEMPLATE');
    const before = template(original);
    assert.ok(before);
    const showReport = a.rewriter.showReport;
    a.rewriter.showReport = async () => false;
    try {
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, before.range.start.offset + 5);
      assert.equal(outcome?.applied, true, outcome?.reason);
      const after = template(editor.document.getText());
      assert.ok(after);
      // The edges are the code's layout: a line break after the backtick and before the closing one, as before.
      assert.ok(after.text.startsWith('\nYou') && after.text.endsWith('$$\n'), JSON.stringify(after.text));
      const count = (text: string) => reference.countWithEncoding(text, 'o200k_base');
      const [written, edited] = [count(before.text) - count(after.text), count(before.text.trim()) - count(after.text.trim())];
      assert.ok(written > 0);
      // Before: "59 → 55 tokens" and 3 whitespace removals, for an edit that saved 2 tokens (two "removals" were the edges).
      const report = a.rewriter.lastReport ?? '';
      assert.ok(report.includes(`${count(before.text.trim())} → ${count(after.text.trim())} tokens for`), report);
      assert.equal(edited, written, 'the figures differ by what the edit saved');
      assert.match(report, /^\| whitespace \| `whitespace\/punctuation characters` \| 1 \|/m);
    } finally {
      a.rewriter.showReport = showReport;
      await restore(document, original);
    }
  });
});
