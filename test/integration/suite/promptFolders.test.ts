// A plain-text prompt in a folder of prompts gets the editor's hints, as a Markdown or .prompt file does:
// browser-use keeps its agent's system prompts in `agent/system_prompts/` (newuser26 found the one it opened
// had no lens; a `.txt` there opens as plain text, which the hints' document selector did not cover).
// The oracle is js-tiktoken's o200k_base count of the file's text without its final line break and without its one
// str.format field, `{max_actions}` (a runtime value), each doubled brace of its JSON example one brace, as
// browser-use's `self.prompt_template.format(max_actions=…)` sends it (browser_use/agent/prompts.py).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, waitFor } from '../helpers';

const reference = new TokenizerService('js-tiktoken');

describe('PepperPy: prompt files in a folder of prompts', function () {
  this.timeout(60_000);

  it('a .txt system prompt in system_prompts/ gets a lens with its exact token count and a hover', async () => {
    await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'agent', 'system_prompts', 'system_prompt_flash.txt');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    assert.equal(document.languageId, 'plaintext');
    const text = document.getText();
    assert.equal(text.split('{max_actions}').length, 2);
    const expected = reference.countWithEncoding(text.replace(/\r?\n$/, '').replace('{max_actions}', '').split('{{').join('{').split('}}').join('}'), 'o200k_base');
    const lens = await waitFor('a token lens on the prompt file', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return all?.find((l) => /tokens/.test(l.command?.title ?? ''));
    });
    assert.equal(lens.range.start.line, 0);
    const m = /^≥([\d,]+) tokens \+ runtime values · ≥\$[0-9.e-]+ per call \(([^)]+)\)/.exec(lens.command?.title ?? '');
    assert.ok(m, `lens title: ${lens.command?.title}`);
    assert.equal(Number(m[1].replace(/,/g, '')), expected);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 10));
    const hover = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(hover, /system prompt/);
    assert.match(hover, /max_actions/);
    assert.doesNotMatch(hover, /url_value/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  // TinyTroupe renders `enrichment/prompts/enricher.system.mustache` into its enricher's system message (held-out round 11
  // of the scan corpus; test/fixtures/scan/SOURCES.md). The file has no Mustache tag: the oracle is the o200k_base count of
  // its text without the blank lines at its end. It is written into the workspace copy here and removed after, so that the
  // workspace's prompt files (Plan Cost Reduction's tasks, the cost dashboard UI test) stay as they are.
  it('a Mustache system prompt in prompts/ gets a lens with its exact token count', async () => {
    await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const dir = path.join(folder.uri.fsPath, 'enrichment');
    const source = path.resolve(__dirname, '../../../..', 'test', 'fixtures', 'scan', 'prompts', 'tinytroupe_enricher.system.mustache');
    fs.mkdirSync(path.join(dir, 'prompts'), { recursive: true });
    fs.copyFileSync(source, path.join(dir, 'prompts', 'enricher.system.mustache'));
    try {
      await mustacheLens(vscode.Uri.joinPath(folder.uri, 'enrichment', 'prompts', 'enricher.system.mustache'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  async function mustacheLens(uri: vscode.Uri): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const text = document.getText();
    assert.doesNotMatch(text, /\{\{/);
    const expected = reference.countWithEncoding(text.trimEnd(), 'o200k_base');
    const lens = await waitFor('a token lens on the Mustache prompt file', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
      return all?.find((l) => /tokens/.test(l.command?.title ?? ''));
    });
    assert.equal(lens.range.start.line, 0);
    const m = /^([\d,]+) tokens · \$[0-9.e-]+ per call \(([^)]+)\)/.exec(lens.command?.title ?? '');
    assert.ok(m, `lens title: ${lens.command?.title}`);
    assert.equal(Number(m[1].replace(/,/g, '')), expected);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
});
