// The model and price of prompts in an Anthropic app, in a real VS Code: the model is a
// parameter of the call, so the prompt is priced with the Anthropic default of
// `pepperpy.defaultModels` (not `pepperpy.defaultModel`, gpt-5.4), the count is a lower bound
// because the prompt interpolates runtime values, and a model literal in a dataclass
// default has a hover with its price. The files are real (anthropics/anthropic-quickstarts,
// see test/fixtures/workspace/README.md); prices are read from the catalog the engine uses.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { waitFor } from '../helpers';

function uri(file: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'pricing', file);
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

async function hoverAt(document: vscode.TextDocument, offset: number, pattern: RegExp): Promise<string> {
  return waitFor(`a hover matching ${String(pattern)}`, async () => {
    const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset)));
    return pattern.test(text) ? text : undefined;
  });
}

describe('Model pricing in an Anthropic app', function () {
  this.timeout(90_000);
  let catalog: PriceCatalog;

  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('prices the system prompt for Claude, with runtime values named, in the lens and the hover', async () => {
    const document = await vscode.workspace.openTextDocument(uri('computer_use_loop.py'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const text = document.getText();
    const start = text.indexOf('SYSTEM_PROMPT = f"""') + 'SYSTEM_PROMPT = '.length;
    assert.ok(start > 20, 'the system prompt is in the file');

    const lenses = await waitFor('the lens of SYSTEM_PROMPT', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
      return all?.filter((l) => /tokens/.test(l.command?.title ?? '') && l.range.start.line === document.positionAt(start).line);
    });
    assert.equal(lenses.length, 1);
    const title = lenses[0].command?.title ?? '';
    const m = /^≥([\d,]+) tokens \+ runtime values · ≥\$([0-9.e-]+) per call \(claude-sonnet-4-5, default\)$/.exec(title);
    assert.ok(m, `lens title: ${title}`);
    const tokens = Number(m[1].replace(/,/g, ''));
    // The per-call price from the catalog's per-MTok input price, rounded as the lens rounds (two significant digits).
    const expected = (tokens * catalog.lookup('claude-sonnet-4-5').inputPerMTok) / 1e6;
    assert.equal(m[2], expected.toPrecision(2).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

    const hover = await hoverAt(document, start + 40, /system prompt/);
    assert.match(hover, /PepperPy · system prompt `SYSTEM_PROMPT`/);
    assert.match(hover, /\*\*claude-sonnet-4-5\*\* \(provider's default\)/);
    assert.match(hover, /Anthropic's default model \(pepperpy\.defaultModels\)/);
    assert.match(hover, /Runtime values, not counted: `platform\.machine\(\)`, `datetime\.today\(\)\.strftime\('%A, %B %-d, %Y'\)`/);
    // Claude's count is an o200k estimate and a lower bound: the row says both.
    assert.match(hover, new RegExp(`\\*\\*claude-sonnet-4-5\\*\\* \\(provider's default\\) \\| ≥ ~${tokens.toLocaleString('en-US')} \\(\\+ runtime values, estimate\\)`));
    assert.doesNotMatch(hover, /\(exact\)/);
  });

  it('follows pepperpy.defaultModels', async () => {
    const settings = vscode.workspace.getConfiguration('pepperpy');
    await settings.update('defaultModels', { anthropic: 'claude-3-5-haiku' }, vscode.ConfigurationTarget.Workspace);
    try {
      const document = await vscode.workspace.openTextDocument(uri('computer_use_loop.py'));
      const start = document.getText().indexOf('SYSTEM_PROMPT = f"""') + 'SYSTEM_PROMPT = '.length;
      await waitFor('a lens priced for claude-3-5-haiku', async () => {
        const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100);
        return all?.find((l) => l.range.start.line === document.positionAt(start).line && /\(claude-3-5-haiku, default\)$/.test(l.command?.title ?? ''));
      });
    } finally {
      await settings.update('defaultModels', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('shows the price of a model literal in a dataclass default', async () => {
    const document = await vscode.workspace.openTextDocument(uri('agent.py'));
    await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
    const offset = document.getText().indexOf('"claude-sonnet-4-20250514"') + 5;
    const hover = await hoverAt(document, offset, /claude-sonnet-4-20250514/);
    const price = catalog.lookup('claude-sonnet-4-20250514');
    assert.match(hover, new RegExp(`Input: \\*\\*\\$${price.inputPerMTok}\\*\\* per 1M tokens · Output: \\*\\*\\$${price.outputPerMTok}\\*\\* per 1M tokens`));
    // Claude Sonnet 4's list price (anthropic.com/pricing): $3 in, $15 out per million tokens.
    assert.deepEqual([price.inputPerMTok, price.outputPerMTok], [3, 15]);
    assert.match(hover, /Source: @pydantic\/genai-prices@/);
  });
});
