// break40: the user keeps typing while a rewrite command looks up the prompt. The command awaited the hints of the version
// it was run on; when the user typed meanwhile, it planned the edit on the newer text with the older version's offsets.
// Text typed above the prompt or inside it made the guard refuse with a wrong reason ("the literal is not complete…
// finish typing it"), and when the older hints request had been replaced by the newer one the command said "There is no
// prompt at this position". Now the offset follows the edits and the prompt is looked up again in the version typed
// since: the result is the one the command gives on that text when nobody types. The real prompt is LangChain's
// refine_prompts.py (test/fixtures/workspace/analyze/SOURCES.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { api, restoreDocument as restore, waitFor } from '../helpers';

type Outcome = { applied: boolean; reason?: string };

describe('Rewrite while the user types', function () {
  this.timeout(90_000);
  let showReport: ((message: string, reached: boolean) => Thenable<boolean>) | undefined;
  before(async () => {
    const a = await api();
    showReport = a.rewriter.showReport;
    a.rewriter.showReport = async () => false;
  });
  after(async () => {
    if (showReport) (await api()).rewriter.showReport = showReport;
  });

  async function open() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_prompts.py'));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const prompt = findPrompts(document.getText(), 'python').find((p) => p.boundName === 'DEFAULT_REFINE_PROMPT_TMPL');
    assert.ok(prompt);
    return { document, editor, original: document.getText(), offset: prompt.range.start.offset + 5 };
  }

  /** Compress to a 10 % reduction at `offset` with nobody typing: the text it leaves (the oracle), then undone back to `before`. */
  async function compressAlone(document: vscode.TextDocument, offset: number, before: string): Promise<string> {
    const outcome = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPromptToTarget', document.uri, offset, 0.1);
    assert.equal(outcome?.applied, true, outcome?.reason);
    const text = document.getText();
    while (document.getText() !== before) await vscode.commands.executeCommand('undo');
    return text;
  }

  /** Compress to a 10 % reduction at `offset` while `typing` is applied to the document once, right after the command's first hints came back. */
  async function compressWhileTyping(offset: number, typing: () => Thenable<boolean>): Promise<Outcome | undefined> {
    const a = await api();
    const lookup = a.prompts.promptAt.bind(a.prompts);
    let typed = false;
    a.prompts.promptAt = async (d, p) => {
      const found = await lookup(d, p);
      if (!typed) {
        typed = true;
        assert.equal(await typing(), true);
      }
      return found;
    };
    try {
      return await vscode.commands.executeCommand<Outcome>('pepperpy.compressPromptToTarget', vscode.window.activeTextEditor?.document.uri, offset, 0.1);
    } finally {
      a.prompts.promptAt = lookup;
    }
  }

  it('a line typed above the prompt: the prompt is compressed where it now is, the line kept', async () => {
    const { document, editor, original, offset } = await open();
    try {
      const alone = await compressAlone(document, offset, original);
      assert.notEqual(alone, original);
      const outcome = await compressWhileTyping(offset, () => editor.edit((e) => e.insert(new vscode.Position(0, 0), '# typed meanwhile\n')));
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.equal(document.getText(), `# typed meanwhile\n${alone}`);
    } finally {
      await restore(document, original);
    }
  });

  it('words typed inside the prompt: the prompt as it now reads is compressed', async () => {
    const { document, editor, original, offset } = await open();
    const at = original.indexOf('refine the existing answer');
    const insert = (e: vscode.TextEditorEdit) => e.insert(document.positionAt(at), 'carefully ');
    try {
      assert.equal(await editor.edit(insert), true);
      const typedFirst = document.getText();
      const alone = await compressAlone(document, offset, typedFirst);
      while (document.getText() !== original) await vscode.commands.executeCommand('undo');
      const outcome = await compressWhileTyping(offset, () => editor.edit(insert));
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.equal(document.getText(), alone);
    } finally {
      await restore(document, original);
    }
  });

  it('two rewrites of one prompt at once: one is applied, the other says the file changed (never a silent refusal)', async () => {
    const { document, original, offset } = await open();
    try {
      await waitFor('the prompt hints', async () => (await (await api()).prompts.get(document))?.prompts.length);
      const [first, second] = await Promise.all([
        vscode.commands.executeCommand<Outcome>('pepperpy.compressPromptToTarget', document.uri, offset, 0.1),
        vscode.commands.executeCommand<Outcome>('pepperpy.compressPromptToTarget', document.uri, offset, 0.2),
      ]);
      const outcomes = [first, second];
      assert.equal(outcomes.filter((o) => o?.applied).length, 1, JSON.stringify(outcomes));
      const refused = outcomes.find((o) => !o?.applied);
      assert.match(refused?.reason ?? '', /^The file changed while (the engine worked; run the command again\.|the edit was applied \(an edit, a reload from disk or another rewrite came first\), so nothing was changed; run the command again\.)$/);
    } finally {
      await restore(document, original);
    }
  });

  it('the file renamed while the engine works, and a new file put in its place: nothing is written into the new file', async () => {
    const a = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const original = fs.readFileSync(vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_prompts.py').fsPath, 'utf8');
    const uri = vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_renamed.py');
    const moved = vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_moved.py');
    const replacement = `# a new file in the old one's place\n${original}`;
    fs.writeFileSync(uri.fsPath, original);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const prompt = findPrompts(original, 'python').find((p) => p.boundName === 'DEFAULT_REFINE_PROMPT_TMPL');
    assert.ok(prompt);
    const lookup = a.prompts.promptAt.bind(a.prompts);
    let done = false;
    a.prompts.promptAt = async (d, p) => {
      const found = await lookup(d, p);
      if (!done) {
        // Once the command has its prompt: the file renamed through the editor, and a new file put in its place.
        done = true;
        const edit = new vscode.WorkspaceEdit();
        edit.renameFile(uri, moved);
        assert.equal(await vscode.workspace.applyEdit(edit), true);
        await waitFor('the renamed document to be closed', () => document.isClosed);
        fs.writeFileSync(uri.fsPath, replacement);
      }
      return found;
    };
    try {
      const outcome = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPromptToTarget', uri, prompt.range.start.offset + 5, 0.1);
      assert.deepEqual(outcome, { applied: false, reason: 'The file was closed or renamed while the engine worked, so nothing was changed; open it and run the command again.' });
      const reopened = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      assert.equal(reopened?.getText() ?? fs.readFileSync(uri.fsPath, 'utf8'), replacement);
      assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), replacement);
    } finally {
      a.prompts.promptAt = lookup;
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(uri.fsPath, { force: true });
      fs.rmSync(moved.fsPath, { force: true });
    }
  });
});
