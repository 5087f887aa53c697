// break40: a 10,000-line YAML prompt catalog (5,000 prompts, 15,000 lenses). The lens provider built every lens in one
// run of the extension host's thread (about 200 ms per edit here, beside the 14 MB answer's JSON parse, about 200 ms);
// now it builds them in slices of 500 prompts and lets the host's loop turn between slices. Counted in turns of the
// loop, never timed. The catalog is generated: its size is the point, not its text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lensWork, PromptCodeLensProvider } from '../../../src/extension/prompt/codeLens';
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
      // (hints41) Over 200 prompts, a lens gets its command when VS Code shows it: none is built before.
      assert.equal(lenses.filter((l) => l.command !== undefined).length, 0);
      const resolved = lensWork.resolved;
      assert.equal(provider.resolveCodeLens(lenses[0]).command?.title, '12 tokens · $0.00003 per call (gpt-5.4, default)');
      assert.equal(provider.resolveCodeLens(lenses[14999]).command?.title, 'Optimize');
      assert.deepEqual(provider.resolveCodeLens(lenses[14998]).command?.arguments, [document.uri, { offset: hints?.prompts[4999].location.range.start.offset, version: document.version }]);
      assert.equal(lensWork.resolved - resolved, 3);
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

// hints41: the engine sent the whole answer on each edit (14 MB for this catalog, JSON-parsed on the host's thread). Now
// the index names the answer it holds and gets only the prompts that changed plus refs to the others, and keeps the
// whole answers to apply them to. What the editor shows is the same as a whole answer, and a restarted engine (which
// knows none of the ids the index holds) gives the whole answer. Counted, never timed. (A closed document's held answers
// are dropped with it; VS Code closes a document some time after its editor, so that is not waited for here.)
describe('A large YAML catalog edited: the engine sends only what changed', function () {
  this.timeout(180_000);

  it('a typed letter brings 1 prompt whole and 1,999 refs; after an engine restart, the whole answer', async () => {
    const a = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'delta-catalog.yaml');
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`p${i}:`, `  system: "You are a helpful assistant number ${i}, answer briefly."`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const uri = vscode.Uri.file(file);
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      const first = await a.prompts.get(document);
      assert.equal(first?.prompts.length, 2000);
      assert.deepEqual(pick(a.prompts.lastWire(document)), { kind: 'whole', sent: 2000, refs: 0 });
      await editor.edit((e) => e.insert(new vscode.Position(1, 20), 'x'));
      const typed = await a.prompts.get(document);
      assert.deepEqual(pick(a.prompts.lastWire(document)), { kind: 'delta', sent: 1, refs: 1999 });
      // What the delta stands for is what the engine computes whole for this text (asked for a file read from disk: whole).
      const whole = await a.prompts.hintsForFile(uri, 'yaml', document.getText());
      assert.deepEqual(typed?.prompts.map((p) => [p.index, p.title, p.location.range, p.cost.tokens.count, p.suggestions.length]), whole?.prompts.map((p) => [p.index, p.title, p.location.range, p.cost.tokens.count, p.suggestions.length]));
      assert.equal(typed?.prompts[1].location.range.start.offset, (first?.prompts[1].location.range.start.offset ?? 0) + 1);
      assert.equal(typed?.prompts[0].location.text, 'You are ax helpful assistant number 0, answer briefly.');
      // The lens shows the typed version's count.
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      assert.match(lenses[0].command?.title ?? '', new RegExp(`^${typed?.prompts[0].cost.tokens.count} tokens · `));
      // A restarted engine knows none of the ids the index holds: the whole answer, and the same hints.
      await a.engine.restart();
      await editor.edit((e) => e.insert(new vscode.Position(3, 20), 'y'));
      const restarted = await a.prompts.get(document);
      assert.deepEqual(pick(a.prompts.lastWire(document)), { kind: 'whole', sent: 2000, refs: 0 });
      const again = await a.prompts.hintsForFile(uri, 'yaml', document.getText());
      assert.deepEqual(restarted?.prompts.map((p) => [p.location.range, p.cost.tokens.count]), again?.prompts.map((p) => [p.location.range, p.cost.tokens.count]));
    } finally {
      if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file, { force: true });
    }
  });

  it('a delta whose base the index no longer holds is not applied: the whole answer is asked for again', async () => {
    const a = await api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'delta-lost.yaml');
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) lines.push(`p${i}:`, `  system: "You are a helpful assistant number ${i}, answer briefly."`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const uri = vscode.Uri.file(file);
    // The index's engine and held answers (private): the held answers are dropped once a request naming one has gone out.
    const index = a.prompts as unknown as { engine: { request: (...args: unknown[]) => Promise<unknown> }; held: Map<string, unknown> };
    const request = index.engine.request;
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      await a.prompts.get(document);
      assert.deepEqual(pick(a.prompts.lastWire(document)), { kind: 'whole', sent: 300, refs: 0 });
      let named = 0;
      index.engine.request = function (this: unknown, ...args: unknown[]) {
        const answer = request.apply(this, args);
        if ((args[1] as { since?: string; uri?: string }).since !== undefined && (args[1] as { uri?: string }).uri === uri.toString()) {
          named++;
          index.held.delete(uri.toString());
        }
        return answer;
      };
      await editor.edit((e) => e.insert(new vscode.Position(1, 20), 'x'));
      const typed = await a.prompts.get(document);
      assert.equal(named, 1);
      const wire = a.prompts.lastWire(document);
      assert.deepEqual([wire?.kind, wire?.sent, wire?.refs, wire?.refetched], ['whole', 300, 0, true]);
      const whole = await a.prompts.hintsForFile(uri, 'yaml', document.getText());
      assert.deepEqual(typed?.prompts.map((p) => [p.location.range, p.cost.tokens.count]), whole?.prompts.map((p) => [p.location.range, p.cost.tokens.count]));
    } finally {
      index.engine.request = request;
      if (vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()) await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      fs.rmSync(file, { force: true });
    }
  });
});

function pick(wire: { kind: string; sent: number; refs: number } | undefined): { kind: string; sent: number; refs: number } | undefined {
  return wire && { kind: wire.kind, sent: wire.sent, refs: wire.refs };
}
