// Session-21 adversarial findings on rewrites, confirmed in the editor: Compress Prompt on a
// triple-quoted Python prompt in a file with CRLF line endings (it wrote `\r` escapes into
// the literal), and on a prompt whose closing quotes are not typed yet (it rewrote the code
// after it). The files are written into the run's workspace copy by the test itself, so
// their line endings are exactly what the test says.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeUntitled } from '../helpers';

function writeFixture(name: string, text: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const file = path.join(folder.uri.fsPath, 'rewrite', name);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

describe('break s21: rewrites in the editor', function () {
  this.timeout(90_000);

  before(async () => {
    (await api()).rewriter.confirm = async () => true;
  });

  it('Compress Prompt in a CRLF Python file writes no \\r escape and keeps every line ending CRLF', async () => {
    const src = ['from openai import OpenAI', 'client = OpenAI()', 'SYSTEM_PROMPT = """Please kindly answer in order to basically help.', 'I would really like that.', '', 'Basically be very concise.', '"""', 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])', ''].join('\r\n');
    const uri = writeFixture('crlf_prompt.py', src);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    assert.equal(document.eol, vscode.EndOfLine.CRLF);
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', uri, src.indexOf('Please kindly') + 1);
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    const changed = document.getText();
    assert.ok(changed.length < src.length, 'the prompt got shorter');
    assert.ok(!changed.includes('\\r'), `a \\r escape was written:\n${JSON.stringify(changed)}`);
    assert.ok(!/(?<!\r)\n/.test(changed), `a bare LF in a CRLF file:\n${JSON.stringify(changed)}`);
    assert.ok(changed.endsWith('"""\r\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\r\n'), JSON.stringify(changed));
    await closeUntitled(document);
  });

  it('Compress Prompt on a prompt whose closing quotes are not typed yet changes nothing and says why', async () => {
    const src = ['SYSTEM_PROMPT = """You are a helpful assistant. Please kindly answer the question.', '', '# Basically, in order to call the API we really need a client.', 'def ask(question):', '    # I would really like to retry here, please.', '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])', ''].join('\n');
    const uri = writeFixture('open_prompt.py', src);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', uri, src.indexOf('Please kindly') + 1);
    assert.equal(outcome?.applied, false);
    // Refused before the engine is asked (the scanner marks the literal unterminated); the rewrite guard would refuse it too.
    assert.match(outcome?.reason ?? '', /^The prompt at line 1 is not closed yet/);
    assert.equal(document.getText(), src);
    await closeUntitled(document);
  });
});
