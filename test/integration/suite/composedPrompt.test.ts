// A prompt composed in code, in a real VS Code: anthropic-quickstarts' customer-support route
// (test/fixtures/workspace/composed/route.ts, see the workspace README) builds its system
// prompt from a template literal that interpolates `${categoriesContext}`, a template literal
// assigned a few lines above. The editor shows one lens for the two pieces, above the first,
// with the count of the composed text; the hover on either piece shows the whole count and
// the piece's own; with the cursor in one piece, both pieces are highlighted and the status
// bar shows the whole prompt's count as a lower bound. The oracle is
// the file read by hand and js-tiktoken's o200k_base encoder (the encoder PepperPy uses to
// estimate Claude counts), from test/helpers/tiktokenOracle.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { count, withoutInterpolations } from '../../helpers/tiktokenOracle';
import { api, closeUntitled, waitFor } from '../helpers';

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Composed prompt: one lens, summed tokens, pieces highlighted', function () {
  this.timeout(90_000);
  let document: vscode.TextDocument;
  let text: string;
  /** Source offsets of the two literals (backticks included), read off the file. */
  let fragment: { start: number; end: number };
  let system: { start: number; end: number };

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'composed', 'route.ts'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    text = document.getText();
    const f = text.indexOf('? `', text.indexOf('const categoriesContext = USE_CATEGORIES')) + 2;
    fragment = { start: f, end: text.indexOf('`\n    : "";', f) + 1 };
    const s = text.indexOf('const systemPrompt = `') + 'const systemPrompt = '.length;
    system = { start: s, end: text.indexOf('`\n\n  function sanitizeAndParseJSON', s) + 1 };
    assert.equal(document.positionAt(fragment.start).line + 1, 126);
    assert.equal(document.positionAt(system.end).line + 1, 196);
  });

  it('shows one lens above the first piece, with the count of the composed text', async () => {
    const fragmentBody = text.slice(fragment.start + 1, fragment.end - 1);
    const systemBody = text.slice(system.start + 1, system.end - 1);
    const composed = withoutInterpolations(systemBody.replace('${categoriesContext}', fragmentBody));
    const lenses = await waitFor('the token lenses of route.ts', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      const tokens = all?.filter((l) => /tokens/.test(l.command?.title ?? ''));
      return tokens && tokens.length > 0 ? tokens : undefined;
    });
    // Between the first piece and the end of the second, exactly one lens counts tokens: on the first piece's line.
    const inPrompt = lenses.filter((l) => l.range.start.line >= document.positionAt(fragment.start).line && l.range.start.line <= document.positionAt(system.end).line);
    assert.equal(inPrompt.length, 1, inPrompt.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`).join('\n'));
    assert.equal(inPrompt[0].range.start.line, document.positionAt(fragment.start).line);
    const title = inPrompt[0].command?.title ?? '';
    // (fix38: the interpolations choosing between literals, `${isRagWorking ? `${retrievedContext}` : "No information…"}`,
    // count their shorter branch, here empty; the lens adds the count with the longer ones.)
    const m = /^≥([\d,]+) tokens \+ runtime values \(≥([\d,]+) with the longer branches\) · ≥\$[0-9.e-]+ per call \(claude-sonnet-4-5, default\) · 2 pieces$/.exec(title);
    assert.ok(m, `lens title: ${title}`);
    assert.equal(Number(m[1].replace(/,/g, '')), count(composed));
    assert.ok(Number(m[2].replace(/,/g, '')) > Number(m[1].replace(/,/g, '')), title);
    // The sum is more than either piece alone.
    assert.ok(count(composed) > count(withoutInterpolations(systemBody)) && count(composed) > count(withoutInterpolations(fragmentBody)));
    assert.match(inPrompt[0].command?.tooltip ?? '', /Composed in code from 2 pieces, counted together: lines 126–131 \(\d+ tokens, the value of categoriesContext\); lines 135–196/);
  });

  it('the hover on either piece shows the whole count and the piece’s own', async () => {
    const fragmentBody = text.slice(fragment.start + 1, fragment.end - 1);
    const systemBody = text.slice(system.start + 1, system.end - 1);
    const whole = count(withoutInterpolations(systemBody.replace('${categoriesContext}', fragmentBody))).toLocaleString('en-US');
    const hoverAt = (offset: number, pattern: RegExp) =>
      waitFor(`a hover matching ${String(pattern)}`, async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
        const value = hoverText(hovers);
        return pattern.test(value) ? { value, hovers: hovers ?? [] } : undefined;
      });
    const onFragment = await hoverAt(text.indexOf('To help with our internal classification'), /This piece \(1 of 2\)/);
    assert.match(onFragment.value, /PepperPy · system prompt `systemPrompt`/);
    assert.ok(onFragment.value.includes(`Composed in code from **2 pieces**; the counts above are for the whole prompt (≥ ${whole} tokens).`), onFragment.value);
    assert.ok(onFragment.value.includes(`This piece (1 of 2): **${count(withoutInterpolations(fragmentBody)).toLocaleString('en-US')} tokens**.`), onFragment.value);
    // The price table first, the pieces after it ("the counts above"): 47 pieces listed first pushed the price below the fold (newuser38).
    assert.ok(onFragment.value.indexOf('| model |') >= 0 && onFragment.value.indexOf('| model |') < onFragment.value.indexOf('Composed in code from'), onFragment.value);
    // Claude's count is an o200k estimate: a lower bound and an estimate both, unlike the exact OpenAI row (new-user check, session 25).
    assert.ok(onFragment.value.includes(`| **claude-sonnet-4-5** (provider's default) | ≥ ~${whole} (+ runtime values, estimate) |`), onFragment.value);
    assert.ok(onFragment.value.includes(`| gpt-5.4-mini | ≥ ${whole} (+ runtime values) |`), onFragment.value);
    // A choice between literals is named by the values in its branches (fix38), not by its condition (leftovers46: it inserts no text); its text is counted apart.
    assert.ok(onFragment.value.includes('Runtime values, not counted: `retrievedContext`, `customerSupportCategories.categories.length`, `categoryListString`. '), onFragment.value);
    assert.match(onFragment.value, /the counts take the shorter branch of each choice, so they stay a lower bound; with the longer branches the fixed text is [\d,]+ tokens for claude-sonnet-4-5\./);
    assert.ok(
      onFragment.hovers.some((h) => h.range?.start.isEqual(document.positionAt(fragment.start)) && h.range.end.isEqual(document.positionAt(fragment.end))),
      'the hover range is the fragment',
    );

    const onSystem = await hoverAt(text.indexOf('You are the first point of contact'), /This piece \(2 of 2\)/);
    assert.ok(onSystem.value.includes(`This piece (2 of 2): **${count(withoutInterpolations(systemBody)).toLocaleString('en-US')} tokens**.`), onSystem.value);
    assert.ok(onSystem.value.includes(`(≥ ${whole} tokens)`));
  });

  it('with the cursor in a piece, the status bar shows the whole prompt as a lower bound, with its pieces', async () => {
    const a = await api();
    const fragmentBody = text.slice(fragment.start + 1, fragment.end - 1);
    const systemBody = text.slice(system.start + 1, system.end - 1);
    const whole = count(withoutInterpolations(systemBody.replace('${categoriesContext}', fragmentBody))).toLocaleString('en-US');
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const position = document.positionAt(text.indexOf('You are the first point of contact'));
    editor.selection = new vscode.Selection(position, position);
    const status = await waitFor('the status bar count of the composed prompt', () => (a.statusBar.item.text.includes('pieces') ? a.statusBar.item.text : undefined));
    // The same marks as the lens: ≥ for the count and the cost (runtime values left out), and the number of pieces.
    assert.match(status, new RegExp(`^\\$\\(symbol-number\\) ≥${whole} tokens · ≥\\$[0-9.]+ · 2 pieces$`));
    const tooltip = a.statusBar.item.tooltip;
    const tooltipText = typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
    assert.ok(tooltipText.includes('A lower bound: the fixed text only. Not counted: `retrievedContext`, '), tooltipText);
    assert.match(tooltipText, /Composed in code from 2 pieces; the count is for the whole prompt\./);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  it('Analyze Prompt with the cursor in a piece analyzes the composed text, titled with the lens\'s line', async () => {
    // Before (newuser38, vanna's 47-piece system prompt): the panel led with the whole count but analyzed the one literal
    // under the cursor's prompt anchor (its characters, words and suggestions), titled with that literal's line (135 here).
    const a = await api();
    const fragmentBody = text.slice(fragment.start + 1, fragment.end - 1);
    const systemBody = text.slice(system.start + 1, system.end - 1);
    const composed = withoutInterpolations(systemBody.replace('${categoriesContext}', fragmentBody));
    const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const position = document.positionAt(text.indexOf('You are the first point of contact'));
    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    const state = await waitFor('the analysis of the composed prompt', () => (a.analysisPanel.currentState.analysis && !a.analysisPanel.currentState.busy ? a.analysisPanel.currentState : undefined));
    assert.equal(state.source, 'systemPrompt in route.ts:126');
    assert.equal(state.analysis?.tokenCount, count(composed));
    assert.equal(state.analysis?.wordCount, composed.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  it('with the cursor in one piece, both pieces are highlighted', async () => {
    const position = document.positionAt(text.indexOf('The available categories are'));
    const highlights = await waitFor('the pieces highlighted', async () => {
      const all = await vscode.commands.executeCommand<vscode.DocumentHighlight[]>('vscode.executeDocumentHighlights', document.uri, position);
      return all && all.length > 0 ? all : undefined;
    });
    const ranges = highlights.map((h) => [document.offsetAt(h.range.start), document.offsetAt(h.range.end)]);
    assert.deepEqual(ranges, [
      [fragment.start, fragment.end],
      [system.start, system.end],
    ]);
  });

  it('while the system prompt\'s closing backtick is not typed yet, its lens says so and nothing is counted', async () => {
    // The same file with the closing backtick of systemPrompt (line 196) deleted, as while typing: the
    // template runs on over the code below it, up to the next backtick. Before, the lens counted that code.
    const open = await vscode.workspace.openTextDocument({ language: 'typescript', content: text.slice(0, system.end - 1) + text.slice(system.end) });
    await vscode.window.showTextDocument(open, vscode.ViewColumn.One);
    const lenses = await waitFor('the lens of the unclosed prompt', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', open.uri, 100);
      return all && all.some((l) => /not closed/.test(l.command?.title ?? '')) ? all : undefined;
    });
    const line = (offset: number) => open.positionAt(offset).line;
    const inPrompt = lenses.filter((l) => l.range.start.line >= line(fragment.start) && l.range.start.line <= line(system.end));
    // One lens, above the first piece, that counts nothing and offers no rewrite.
    assert.deepEqual(inPrompt.map((l) => [l.range.start.line, l.command?.title]), [[line(fragment.start), 'Literal not closed: tokens are counted once it is']]);
    const hover = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', open.uri, open.positionAt(system.start + 20)));
    assert.match(hover, /This prompt's literal is not closed yet/);
    assert.doesNotMatch(hover, /tokens \|/);
    // No diagnostics in the prompt: what the parser calls its text is code.
    const diagnostics = vscode.languages.getDiagnostics(open.uri).filter((d) => d.source === 'PepperPy');
    assert.deepEqual(diagnostics.map((d) => d.message), []);
    await closeUntitled(open);
  });

  it('Compress from the lens compresses both pieces, each literal checked, in one edit that one undo reverts (newuser38)', async () => {
    const a = await api();
    a.rewriter.confirm = async () => true;
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const lens = await waitFor('the Compress lens of the composed prompt', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return all?.find((l) => l.command?.command === 'pepperpy.compressPrompt' && l.range.start.line === document.positionAt(fragment.start).line);
    });
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; summary?: string }>(lens.command!.command, ...((lens.command!.arguments ?? []) as [vscode.Uri, number]));
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    assert.match(outcome.summary ?? '', /^2 of 2 pieces of this composed prompt compressed: \d+ → \d+ tokens/);
    const changed = document.getText();
    // Both literals got shorter; the code before the first, between them and after the second is as it was.
    const f = changed.indexOf('? `', changed.indexOf('const categoriesContext = USE_CATEGORIES')) + 2;
    const fEnd = changed.indexOf('`\n    : "";', f) + 1;
    const s0 = changed.indexOf('const systemPrompt = `') + 'const systemPrompt = '.length;
    const sEnd = changed.indexOf('`\n\n  function sanitizeAndParseJSON', s0) + 1;
    assert.ok(fEnd - f < fragment.end - fragment.start, 'the fragment is shorter');
    assert.ok(sEnd - s0 < system.end - system.start, 'the system prompt is shorter');
    assert.equal(changed.slice(0, f), text.slice(0, fragment.start));
    assert.equal(changed.slice(fEnd, s0), text.slice(fragment.end, system.start));
    assert.equal(changed.slice(sEnd), text.slice(system.end));
    // Every interpolation of both, the nested template literal among them, is intact and in order.
    const interpolations = (body: string) => body.match(/\$\{(?:[^{}`]|`[^`]*`|\{[^{}]*\})*\}/g) ?? [];
    assert.deepEqual(interpolations(changed.slice(f, fEnd)), interpolations(text.slice(fragment.start, fragment.end)));
    assert.deepEqual(interpolations(changed.slice(s0, sEnd)), interpolations(text.slice(system.start, system.end)));
    assert.ok(changed.includes('${isRagWorking ? `${retrievedContext}` : "No information found for this query."}'), changed.slice(s0, sEnd));
    await vscode.commands.executeCommand('undo');
    await waitFor('one undo to revert both pieces', () => document.getText() === text || undefined);
  });

  it('Optimize with the cursor in a piece rewrites that piece only, and says so', async () => {
    const a = await api();
    a.rewriter.confirm = async () => true;
    const offset = text.indexOf('To help with our internal classification') + 5;
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; summary?: string; message?: string }>('pepperpy.optimizePrompt', document.uri, offset, 'efficiency');
    const changed = document.getText();
    // The fragment is a piece of the prompt: the command finds it there (it said "There is no prompt at this position"),
    // rewrites that literal (the local rules tighten its wording) and names the piece.
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    assert.match(outcome.summary ?? '', /Piece 1 of 2 \(line 126\) of a prompt composed in code/);
    // Only the fragment's literal changed: the system prompt (piece 2, the prompt's own literal) is as it was.
    const s0 = changed.indexOf('const systemPrompt = `') + 'const systemPrompt = '.length;
    assert.equal(changed.slice(s0), text.slice(system.start));
    assert.equal(changed.slice(0, fragment.start), text.slice(0, fragment.start));
    assert.notEqual(changed, text);
    if (document.getText() !== text) {
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
      await vscode.workspace.applyEdit(edit);
    }
  });

  it('Compress on a prompt that concatenates one literal twice (`INTRO + PART + " … " + PART`) compresses it once (break38)', async () => {
    const a = await api();
    a.rewriter.confirm = async () => true;
    const content = [
      'from openai import OpenAI',
      '',
      'PART = "Please make sure that you really cite the sources that you have used, by number, after each and every claim."',
      'SYSTEM = "You are basically a research assistant for the analysts of the bank, and in order to help them you should answer. " + PART + " In the event that you are in doubt, please ask a question. " + PART',
      'OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])',
      '',
    ].join('\n');
    const open = await vscode.workspace.openTextDocument({ language: 'python', content });
    await vscode.window.showTextDocument(open, vscode.ViewColumn.One);
    await waitFor('the lens of the composed prompt', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', open.uri, 100);
      return all?.find((l) => l.command?.command === 'pepperpy.compressPrompt');
    });
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; summary?: string }>('pepperpy.compressPrompt', open.uri, content.indexOf('You are basically'));
    // Before: PART's literal was compressed twice and edited twice at one range; the editor refused the whole edit.
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    assert.match(outcome.summary ?? '', /^3 of 3 pieces of this composed prompt compressed: \d+ → \d+ tokens/);
    const changed = open.getText();
    assert.equal((changed.match(/\bPART\b/g) ?? []).length, 3);
    assert.ok(!changed.includes('Please make sure that you really'), changed);
    assert.ok(changed.endsWith('OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n'), changed);
    await closeUntitled(open);
  });
});

