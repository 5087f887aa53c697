// breaker48: sequences a user does in the editor, on real files, while a lens, a hover or a rewrite is in flight.
// A code lens stays on screen and clickable after an edit until VS Code asks for the lenses again (a debounce plus the
// engine's answer); its command carried the offset of the version it was made for. A line typed above the prompts moved
// that offset into the prompt above, and Compress from refine_template's lens compressed DEFAULT_REFINE_PROMPT_TMPL. The
// lenses and hovers asked while the user typed were put at the old offsets in the new text. Right after one quick fix,
// the next on the same line was not offered on its squiggle (the diagnostics VS Code hands over keep the ranges of the
// text before the fix): Ctrl+. there listed only Compress, Distill and Optimize. A document closed while Compress looked
// up its prompt was answered "There is no prompt at this position". Undo after Compress and a save during a rewrite held
// before (guards).
// Real files: LangChain's refine_prompts.py (test/fixtures/workspace/analyze/SOURCES.md) and MetaGPT's swe_agent.py
// (test/fixtures/hints-real/metagpt_swe_agent_prompts.py, SOURCES.md there: MIT).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { api, restoreDocument as restore, waitFor } from '../helpers';

type Outcome = { applied: boolean; reason?: string };

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

describe('Editor sequences on real files (breaker48)', function () {
  this.timeout(120_000);
  let showReport: ((message: string, reached: boolean) => Thenable<boolean>) | undefined;
  before(async () => {
    const a = await api();
    showReport = a.rewriter.showReport;
    a.rewriter.showReport = async () => false;
    // (At the default level Compress leaves refine_template as it is: aggressive drops its articles.)
    await vscode.workspace.getConfiguration('pepperpy').update('compressionLevel', 'aggressive', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    if (showReport) (await api()).rewriter.showReport = showReport;
    await vscode.workspace.getConfiguration('pepperpy').update('compressionLevel', undefined, vscode.ConfigurationTarget.Global);
  });

  async function open() {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_prompts.py'));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const original = document.getText();
    const prompts = findPrompts(original, 'python');
    const above = prompts.find((p) => p.boundName === 'DEFAULT_REFINE_PROMPT_TMPL');
    const below = prompts.find((p) => p.boundName === 'refine_template');
    assert.ok(above && below);
    return { document, editor, original, above: above.range, below: below.range };
  }

  /** The lens of `command` on the line of `offset`, once the hints are in. */
  async function lensAt(document: vscode.TextDocument, offset: number, command: string): Promise<vscode.CodeLens> {
    const line = document.positionAt(offset).line;
    return waitFor(`the ${command} lens on line ${line + 1}`, async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
      return lenses.find((l) => l.command?.command === command && l.range.start.line === line);
    }, 60_000, 100);
  }

  /** A comment line as long as the distance that takes `below`'s start into the middle of `above`. */
  function commentInto(above: { start: { offset: number }; end: { offset: number } }, below: { start: { offset: number } }): string {
    const middle = Math.floor((above.start.offset + above.end.offset) / 2);
    const length = below.start.offset - middle;
    return `# ${'typed meanwhile '.repeat(Math.ceil(length / 17)).slice(0, length - 3)}\n`;
  }

  it('Compress from a lens clicked after a line was typed above: its own prompt is compressed, not the one above', async () => {
    const { document, editor, original, above, below } = await open();
    try {
      // The oracle: Compress on refine_template with nobody typing, then undone.
      const alone = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.start.offset + 5);
      assert.equal(alone?.applied, true, alone?.reason);
      const compressed = document.getText();
      assert.notEqual(compressed, original);
      await vscode.commands.executeCommand('undo');
      await waitFor('one undo to restore the file', () => document.getText() === original);
      const lens = await lensAt(document, below.start.offset, 'pepperpy.compressPrompt');
      const line = commentInto(above, below);
      // Typed, and the lens clicked before VS Code asks for the lenses again.
      assert.equal(await editor.edit((e) => e.insert(new vscode.Position(0, 0), line)), true);
      const outcome = await vscode.commands.executeCommand<Outcome>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.equal(document.getText(), line + compressed);
    } finally {
      await restore(document, original);
    }
  });

  /**
   * Replaces the index's lookup the lens and hover providers use (`versioned`; `get` before it was added) so that `typing`
   * is applied once, after the hints of the version asked for are in. (Only that one: the diagnostics and the status bar
   * ask `get` too, and typing in their lookup raced with the provider's.)
   */
  async function typingDuringLookup(typing: () => Thenable<boolean>): Promise<() => void> {
    const index = (await api()).prompts as unknown as Record<string, unknown>;
    const names = [typeof index.versioned === 'function' ? 'versioned' : 'get'];
    const originals = new Map(names.map((n) => [n, index[n] as (...args: unknown[]) => Promise<unknown>]));
    let typed = false;
    for (const [name, fn] of originals) {
      index[name] = async (...args: unknown[]) => {
        const result = await fn.apply(index, args);
        if (!typed) {
          typed = true;
          assert.equal(await typing(), true);
        }
        return result;
      };
    }
    return () => {
      for (const [name, fn] of originals) index[name] = fn;
    };
  }

  it('lenses asked while the user types a line above: each lens is where the lenses asked afterwards put it, and its Compress compresses its prompt', async () => {
    const { document, editor, original, above, below } = await open();
    try {
      const alone = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.start.offset + 5);
      assert.equal(alone?.applied, true, alone?.reason);
      const compressed = document.getText();
      await vscode.commands.executeCommand('undo');
      await waitFor('one undo to restore the file', () => document.getText() === original);
      await lensAt(document, below.start.offset, 'pepperpy.compressPrompt');
      // An edit at the end first, so that the lenses are asked for a version whose hints are not in yet.
      assert.equal(await editor.edit((e) => e.insert(document.positionAt(original.length), '\n')), true);
      const line = commentInto(above, below);
      const restoreLookup = await typingDuringLookup(() => editor.edit((e) => e.insert(new vscode.Position(0, 0), line)));
      let lenses: vscode.CodeLens[];
      try {
        lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
      } finally {
        restoreLookup();
      }
      assert.ok(document.getText().startsWith(line));
      // The oracle: the lenses asked again with nobody typing, on the text as it now is.
      const fresh = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
      const lines = (all: vscode.CodeLens[]) => all.filter((l) => l.command?.command === 'pepperpy.compressPrompt').map((l) => l.range.start.line);
      assert.ok(lines(fresh).length > 0);
      // Lenses given for the hints of the version asked on, each where its prompt now is.
      assert.deepEqual(lines(lenses), lines(fresh));
      const belowLine = document.positionAt(below.start.offset + line.length).line;
      const lens = lenses.find((l) => l.command?.command === 'pepperpy.compressPrompt' && l.range.start.line === belowLine);
      assert.ok(lens, `no Compress lens on line ${belowLine + 1}: ${lines(lenses).map((l) => l + 1).join(', ')}`);
      const outcome = await vscode.commands.executeCommand<Outcome>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.equal(document.getText(), `${line}${compressed}\n`);
    } finally {
      await restore(document, original);
    }
  });

  it('a hover asked while the user types a line above: no hover over the wrong text', async () => {
    const { document, editor, original, above, below } = await open();
    try {
      await lensAt(document, below.start.offset, 'pepperpy.compressPrompt');
      assert.equal(await editor.edit((e) => e.insert(document.positionAt(original.length), '\n')), true);
      const line = commentInto(above, below);
      const position = document.positionAt(below.start.offset + 20);
      const restoreLookup = await typingDuringLookup(() => editor.edit((e) => e.insert(new vscode.Position(0, 0), line)));
      let hovers: vscode.Hover[];
      try {
        hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
      } finally {
        restoreLookup();
      }
      assert.ok(document.getText().startsWith(line));
      // A PepperPy hover now must be over refine_template as it now stands (its literal moved down by the line typed).
      const now = findPrompts(document.getText(), 'python').find((p) => p.boundName === 'refine_template');
      assert.ok(now);
      for (const h of hovers.filter((x) => x.contents.some((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '').includes('PepperPy')))) {
        assert.ok(h.range, 'the hover has a range');
        assert.deepEqual([document.offsetAt(h.range.start), document.offsetAt(h.range.end)], [now.range.start.offset, now.range.end.offset]);
      }
    } finally {
      await restore(document, original);
    }
  });

  it('one undo after Compress restores the literal exactly (guard)', async () => {
    const { document, original, below } = await open();
    try {
      const outcome = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.start.offset + 5);
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.notEqual(document.getText(), original);
      await vscode.commands.executeCommand('undo');
      assert.equal(document.getText(), original);
    } finally {
      await restore(document, original);
    }
  });

  it('two quick fixes in a row on one line of a prompt: the second is offered on its moved squiggle, with fresh ranges (MetaGPT swe_agent.py)', async () => {
    const content = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'hints-real', 'metagpt_swe_agent_prompts.py'), 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    try {
      const tip = content.indexOf('3. Always make sure to look');
      const line = document.positionAt(tip).line;
      const onLine = () => vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'PepperPy' && d.range.start.line === line);
      await waitFor('the verbose phrase and filler diagnostics of tip 3', () => onLine().some((d) => d.code === 'verbosePhrase') && onLine().some((d) => d.code === 'filler'), 60_000, 100);
      const verbose = onLine().find((d) => d.code === 'verbosePhrase' && document.getText(d.range) === 'make sure to');
      const filler = onLine().find((d) => d.code === 'filler' && document.getText(d.range).startsWith('Note that'));
      assert.ok(verbose && filler, onLine().map((d) => `${typeof d.code === 'object' ? d.code.value : d.code}:${document.getText(d.range)}`).join(' | '));
      // The preferred quick fix at a squiggle, applied as the editor applies the one chosen (VS Code's editor.action.codeAction
      // with apply "first" raced with the diagnostics' refresh, which triggers the actions again).
      const fix = async (range: vscode.Range): Promise<string[]> => {
        const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, range)) ?? [];
        const preferred = actions.find((a) => a.isPreferred && a.edit);
        if (preferred?.edit) assert.equal(await vscode.workspace.applyEdit(preferred.edit), true);
        return actions.map((a) => a.title);
      };
      const lineBefore = document.lineAt(line).text;
      await fix(verbose.range);
      const afterFirst = document.lineAt(line).text;
      // The fixes as the engine gives them: "make sure to " removed, "Note that s" made "S".
      assert.equal(afterFirst, lineBefore.replace('Always make sure to look', 'Always look'));
      // The second right away, on the filler's squiggle where it now is (it moved with the text; the diagnostics are still
      // those set for the text before the first fix).
      const at = document.offsetAt(new vscode.Position(line, 0)) + afterFirst.indexOf('Note that s');
      const stale = vscode.languages.getDiagnostics(document.uri).some((d) => d.range.isEqual(filler.range));
      const offered = await fix(new vscode.Range(document.positionAt(at), document.positionAt(at + 'Note that s'.length)));
      assert.equal(document.lineAt(line).text, afterFirst.replace('Note that some commands', 'Some commands'), `diagnostics stale: ${stale}; offered: ${offered.join(', ')}`);
      assert.equal(document.getText(), content.replace('Always make sure to look', 'Always look').replace('Note that some commands', 'Some commands'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('the document closed while Compress waits for its hints: says it was closed, not "There is no prompt at this position"', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const content = fs.readFileSync(vscode.Uri.joinPath(folder.uri, 'analyze', 'refine_prompts.py').fsPath, 'utf8');
    const document = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const below = findPrompts(content, 'python').find((p) => p.boundName === 'refine_template');
    assert.ok(below);
    const a = await api();
    const lookup = a.prompts.promptAt.bind(a.prompts);
    let closed = false;
    a.prompts.promptAt = async (d, p) => {
      const found = await lookup(d, p);
      if (!closed) {
        closed = true;
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        await waitFor('the document to close', () => document.isClosed);
      }
      return found;
    };
    try {
      const outcome = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.range.start.offset + 5);
      assert.equal(outcome?.applied, false);
      assert.match(outcome?.reason ?? '', /^The file (was closed or renamed while the engine worked|changed while the engine worked)/);
    } finally {
      a.prompts.promptAt = lookup;
    }
  });

  it('the file saved while Compress waits for its hints: the compression is applied as with nobody saving (guard)', async () => {
    const { document, original, below } = await open();
    try {
      const alone = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.start.offset + 5);
      assert.equal(alone?.applied, true, alone?.reason);
      const compressed = document.getText();
      await vscode.commands.executeCommand('undo');
      await waitFor('one undo to restore the file', () => document.getText() === original);
      if (document.isDirty) await document.save();
      assert.equal(await vscode.workspace.applyEdit(insertAtEnd(document, '\n')), true);
      const a = await api();
      const lookup = a.prompts.promptAt.bind(a.prompts);
      let saved = false;
      a.prompts.promptAt = async (d, p) => {
        const found = await lookup(d, p);
        if (!saved) {
          saved = true;
          assert.equal(await document.save(), true);
        }
        return found;
      };
      try {
        const outcome = await vscode.commands.executeCommand<Outcome>('pepperpy.compressPrompt', document.uri, below.start.offset + 5);
        assert.equal(outcome?.applied, true, outcome?.reason);
        assert.equal(document.getText(), `${compressed}\n`);
      } finally {
        a.prompts.promptAt = lookup;
      }
    } finally {
      await restore(document, original);
    }
  });
});

function insertAtEnd(document: vscode.TextDocument, text: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(document.getText().length), text);
  return edit;
}
