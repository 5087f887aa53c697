// Issue 12: Compress Prompt on a template literal holding a nested one must keep the
// interpolation live. Runs the real commands in code-server on
// test/fixtures/workspace/rewrite/ragAnswer.ts and reads the editor's document back.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from '../helpers';

const INTERPOLATION = '${isRagWorking ? `${retrievedContext}` : "No information available."}';

function fixtureUri(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.file(path.join(folder.uri.fsPath, 'rewrite', file));
}

/** TypeScript's own parser: diagnostics, and the template spans' expressions of the system prompt. */
function parseTs(text: string): { diagnostics: number; expressions: string[] } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const out = ts.transpileModule(text, { reportDiagnostics: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  const file = ts.createSourceFile('ragAnswer.ts', text, ts.ScriptTarget.ES2022, true);
  const expressions: string[] = [];
  const visit = (node: import('typescript').Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === 'systemPrompt' && node.initializer && ts.isTemplateExpression(node.initializer)) {
      for (const span of node.initializer.templateSpans) expressions.push(span.expression.getText(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { diagnostics: (out.diagnostics ?? []).length, expressions };
}

describe('Rewrites keep nested template literals (issue 12)', function () {
  this.timeout(90_000);
  let document: vscode.TextDocument;
  let original: string;

  before(async () => {
    const a = await api();
    a.rewriter.confirm = async () => true;
    document = await vscode.workspace.openTextDocument(fixtureUri('ragAnswer.ts'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    original = document.getText();
    assert.deepEqual(parseTs(original), { diagnostics: 0, expressions: ['isRagWorking ? `${retrievedContext}` : "No information available."'] });
  });

  afterEach(async () => {
    // Leave the file as it was for the next test.
    if (document.getText() !== original) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(edit);
    }
    // Saved, not left dirty for code-server's delayed auto-save: a later suite that closes all editors would be asked to save it.
    if (document.isDirty) await document.save();
  });

  it('Compress Prompt shortens the prose and leaves the nested interpolation live', async () => {
    const offset = original.indexOf('You are a very helpful');
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; newText?: string }>('pepperpy.compressPrompt', document.uri, offset + 1);
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    const changed = document.getText();
    assert.ok(changed.length < original.length, 'the prompt got shorter');
    assert.ok(changed.includes(`Context: ${INTERPOLATION}`), `the interpolation is not intact:\n${changed}`);
    assert.ok(!changed.includes('\\${'), `an interpolation was escaped:\n${changed}`);
    // TypeScript still sees the same expression in the template, and nothing outside the literal moved.
    assert.deepEqual(parseTs(changed), { diagnostics: 0, expressions: ['isRagWorking ? `${retrievedContext}` : "No information available."'] });
    const start = original.indexOf('`You are');
    const endOriginal = original.indexOf('short.`;') + 'short.`'.length;
    assert.equal(changed.slice(0, start), original.slice(0, start));
    const tail = original.slice(endOriginal);
    assert.ok(changed.endsWith(tail), 'the code after the literal is unchanged');
  });

  it('Optimize Prompt (efficiency) either keeps the interpolation or refuses with a reason', async () => {
    const offset = original.indexOf('You are a very helpful');
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.optimizePrompt', document.uri, offset + 1, 'efficiency');
    const changed = document.getText();
    if (outcome?.applied) {
      assert.ok(changed.includes(INTERPOLATION), `the interpolation is not intact:\n${changed}`);
      assert.deepEqual(parseTs(changed).expressions, ['isRagWorking ? `${retrievedContext}` : "No information available."']);
    } else {
      assert.equal(changed, original, 'a refused rewrite changes nothing');
      assert.ok(outcome?.reason && outcome.reason.length > 0, 'a refusal says why');
    }
  });
});
