// A file with Windows line endings (CRLF) keeps them through Compress Prompt: the rewrite of a multi-line
// triple-quoted literal writes its line breaks as the document's (break27 found the encoder writes "\n";
// the edit must not leave a file with mixed line endings). Runs the real command in code-server.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from '../helpers';

const LINES = [
  'from openai import OpenAI',
  '',
  'client = OpenAI()',
  'SYSTEM_PROMPT = """You are a very helpful assistant that answers questions about the documents.',
  'Please make sure to always answer in a very clear and concise way.',
  'In order to answer, you should first read the documents that are provided below.',
  '"""',
  'HINT = (',
  "    'Please note that you should always cite the document ids in your answer.\\n'",
  "    'In order to be useful, it is important that you keep the answer short.'",
  ')',
  '',
  'def answer(question):',
  '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT + HINT}, {"role": "user", "content": question}])',
  '',
];

/** Line breaks that are not part of a CRLF pair. */
const loneBreaks = (text: string): number => (text.match(/(?<!\r)\n|\r(?!\n)/g) ?? []).length;

describe('Rewrites keep the document\'s line endings (CRLF)', function () {
  this.timeout(90_000);
  let uri: vscode.Uri;

  before(async () => {
    const a = await api();
    a.rewriter.confirm = async () => true;
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    uri = vscode.Uri.file(path.join(folder.uri.fsPath, 'rewrite', 'crlf_layout.py'));
    await fs.writeFile(uri.fsPath, LINES.join('\r\n'), 'utf8');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await fs.rm(uri.fsPath, { force: true });
  });

  it('Compress Prompt on a triple-quoted prompt and on adjacent literals leaves only CRLF line breaks', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    assert.equal(document.eol, vscode.EndOfLine.CRLF, JSON.stringify(original.slice(0, 300)));
    assert.ok(original.includes('You are a very helpful'), JSON.stringify(original.slice(0, 300)));
    assert.equal(loneBreaks(original), 0);

    // The prompt index has scanned the new file (the command asks it too; waiting here says what it found if it did not).
    const prompts = (await api()).prompts;
    const at = original.indexOf('You are a very helpful') + 1;
    let found = '';
    await waitFor(
      () => `a prompt at offset ${at}; found: ${found}`,
      async () => {
        const hints = await prompts.get(document);
        found = JSON.stringify(hints?.prompts.map((p) => [p.location.range.start.offset, p.location.range.end.offset, p.title]) ?? 'no hints');
        return prompts.promptAt(document, document.positionAt(at));
      },
    );
    const first = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, original.indexOf('You are a very helpful') + 1);
    assert.ok(first?.applied, `not applied: ${first?.reason}`);
    const afterFirst = document.getText();
    assert.ok(afterFirst.length < original.length, 'the prompt got shorter');
    assert.equal(loneBreaks(afterFirst), 0, JSON.stringify(afterFirst));
    // The literal still spans its lines, and the code after it is unchanged.
    assert.ok(afterFirst.includes('SYSTEM_PROMPT = """You'), afterFirst);
    assert.ok(afterFirst.endsWith(original.slice(original.indexOf('\r\n"""\r\nHINT'))), afterFirst);

    const second = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, afterFirst.indexOf('Please note that') + 1);
    assert.ok(second?.applied, `not applied: ${second?.reason}`);
    const afterSecond = document.getText();
    assert.equal(loneBreaks(afterSecond), 0, JSON.stringify(afterSecond));
    // Two literals, one a line, as written (layout kept).
    const hint = afterSecond.slice(afterSecond.indexOf('HINT = ('), afterSecond.indexOf('\r\n)\r\n') + 3);
    assert.equal(hint.split('\r\n').length, 4, JSON.stringify(hint));
  });
});
