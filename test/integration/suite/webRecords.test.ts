// Web API records get no prompt lens (issue 12, item 6; session 31): letta's real schemas/step.py and the steps
// router that returns its Step (test/fixtures/web-records, SOURCES.md) are copied into the workspace while it is
// open, as a checkout would bring them, after the folder's index was built by the suites before. code-server's
// file watcher does not report them here; opening a Python file the index does not know walks the folder again.
// Then step.py's 31 field descriptions, API documentation, get no lens; the test file's own Step, the arguments
// of a tool function, keeps its 4 lenses.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, waitFor } from '../helpers';

async function tokenLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  return (all ?? []).filter((l) => /tokens/.test(l.command?.title ?? ''));
}

describe('Web API records: no prompt lens on the Field descriptions of a REST model (letta)', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'a workspace folder is open');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    dir = path.join(root, 'web-records-letta');
    fs.cpSync(path.join(extension.extensionPath, 'test', 'fixtures', 'web-records', 'letta'), dir, { recursive: true });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("step.py: no lens once the folder's index knows the steps router; the tool file's own Step keeps its 4", async () => {
    const tool = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'tests', 'test_tool_schema_parsing_files', 'list_of_pydantic_example.py')));
    await vscode.window.showTextDocument(tool, vscode.ViewColumn.One);
    const toolLenses = await waitFor('the 4 lenses of list_of_pydantic_example.py', async () => {
      const lenses = await tokenLenses(tool.uri);
      return lenses.length === 4 ? lenses : undefined;
    });
    assert.deepEqual(
      toolLenses.map((l) => l.range.start.line + 1),
      [7, 11, 15, 22],
    );
    const step = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'letta', 'schemas', 'step.py')));
    await vscode.window.showTextDocument(step, vscode.ViewColumn.One);
    // Judged alone, the file has 29 lenses (hints/webRecords.test.ts); with the folder's index, none.
    let seen = -1;
    await waitFor(
      () => `no lens on step.py (${seen} shown)`,
      async () => (seen = (await tokenLenses(step.uri)).length) === 0,
    );
    // The tool file is unchanged by the index.
    assert.equal((await tokenLenses(tool.uri)).length, 4);
  });
});
