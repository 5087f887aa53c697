// Session 47 (include47): OpenHands' system_prompt_interactive.j2 opens with `{% include "system_prompt.j2" %}`, which
// itself includes security_risk_assessment.j2 (All-Hands-AI/OpenHands 156d0686, MIT; test/fixtures/hints-real/SOURCES.md).
// The lens read "≥237 tokens + runtime values" (the include named, its text not counted); it now counts both included
// templates in place: 2,181 tokens, 2,193 with the longer branch of `{% if cli_mode %}`, which are jinja2 3.1.6's renders
// with cli_mode False and True counted by js-tiktoken o200k_base (the unit test test/unit/hints/include47.test.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, waitFor } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/openhands-prompts', name), 'utf8');

function hoverText(hovers: vscode.Hover[] | undefined): string {
  return (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '').filter((t) => t.includes(' per call '));
}

describe('A Jinja template that includes another one counts it in place', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;
  const includer = fixture('system_prompt_interactive.j2');

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 's47-openhands', 'prompts');
    fs.mkdirSync(dir, { recursive: true });
    for (const name of ['system_prompt_interactive.j2', 'system_prompt.j2', 'security_risk_assessment.j2']) fs.writeFileSync(path.join(dir, name), fixture(name));
    fs.writeFileSync(path.join(dir, 'missing_include.j2'), 'You are a helpful agent for the repository.\n{% include "not_there.j2" %}\n');
    await api();
    document = await vscode.workspace.openTextDocument(path.join(dir, 'system_prompt_interactive.j2'));
    await vscode.window.showTextDocument(document);
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('system_prompt_interactive.j2: the lens counts system_prompt.j2 and security_risk_assessment.j2, the hover names them', async () => {
    let titles: string[] = [];
    await waitFor(() => `a lens of ≥2,181 tokens (last: ${titles.join(' | ') || 'none'})`, async () => {
      titles = await lensTitles(document.uri);
      return titles.some((t) => t.startsWith('≥2,181 tokens (≥2,193 with the longer branches) · ≥$'));
    }, 60_000, 250);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(includer.indexOf('<INTERACTION_RULES>') + 3));
    const text = hoverText(hovers);
    // system_prompt.j2 rendered alone by jinja2 (cli_mode=False): 1,945 tokens; security_risk_assessment.j2: 135.
    assert.ok(text.includes('Counted in place, the templates its `{% include %}` tags send: `system_prompt.j2` (1,945 tokens); `security_risk_assessment.j2` (135 tokens).'), text);
    assert.ok(!text.includes('Runtime values, not counted'), text);
  });

  it('Analyze Prompt with no selection analyzes the template as its lens counts it, the included templates in place', async () => {
    // Before (include47's note): the panel analyzed the file as written, the two include tags a few tokens of it, under
    // a different count than the lens's 2,181 (jinja2's render, the unit test test/unit/hints/include47.test.ts).
    const a = await api();
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('pepperpy.analyzePrompt');
    const state = await waitFor('the analysis of system_prompt_interactive.j2', () => (a.analysisPanel.currentState.analysis && !a.analysisPanel.currentState.busy && a.analysisPanel.currentState.source.includes('system_prompt_interactive.j2') ? a.analysisPanel.currentState : undefined), 60_000);
    assert.equal(state.analysis?.tokenCount, 2181);
    // (The longer branch of `{% if cli_mode %}` is left out, as the lens's "≥2,181" leaves it out: the lower bound.)
    assert.equal(state.fixed?.tokens.count, 2181);
  });

  it('security_risk_assessment.j2 changed on disk: the including template\'s lens follows it without an edit', async () => {
    fs.writeFileSync(path.join(dir, 'security_risk_assessment.j2'), 'Rate every action LOW, MEDIUM or HIGH.\n');
    let titles: string[] = [];
    await waitFor(() => `an exact lens, no branch left (last: ${titles.join(' | ') || 'none'})`, async () => {
      titles = await lensTitles(document.uri);
      return titles.some((t) => /^2,\d{3} tokens · \$/.test(t));
    }, 60_000, 250);
  });

  it('a template that is nowhere stays a runtime value, and the hover says it was not found', async () => {
    const missing = await vscode.workspace.openTextDocument(path.join(dir, 'missing_include.j2'));
    await vscode.window.showTextDocument(missing);
    let text = '';
    await waitFor(() => `a hover saying not_there.j2 was not found (last: ${text || 'none'})`, async () => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', missing.uri, missing.positionAt(5));
      text = hoverText(hovers);
      return text.includes('Included template not found, so not counted: `not_there.j2`.');
    }, 60_000, 250);
    assert.ok(text.includes('Runtime values, not counted: `include "not_there.j2"`'), text);
  });
});

// Session 48: holoviz/lumen's ValidationAgent/main.jinja2 (BSD-3-Clause, test/fixtures/hints-real/lumen-prompts) extends
// Agent/main.jinja2, which extends Actor/main.jinja2. The lens read "≥184 tokens + runtime values" (the tag a runtime
// value, its own blocks alone); it now counts what jinja2 renders (render.py's rendered/ValidationAgent__main.txt, 214).
describe('A Jinja template that extends another counts what Jinja renders', function () {
  this.timeout(120_000);
  let dir: string;
  const lumenFile = (name: string): string => fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/lumen-prompts', name), 'utf8');

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 's48-lumen', 'prompts');
    for (const name of ['Actor/main.jinja2', 'Agent/main.jinja2', 'ValidationAgent/main.jinja2']) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), lumenFile(name));
    }
    await api();
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it('ValidationAgent/main.jinja2: the lens counts jinja2\'s render, the hover names both templates it extends', async () => {
    const document = await vscode.workspace.openTextDocument(path.join(dir, 'ValidationAgent/main.jinja2'));
    await vscode.window.showTextDocument(document);
    let titles: string[] = [];
    await waitFor(() => `a lens of ≥214 tokens (last: ${titles.join(' | ') || 'none'})`, async () => {
      titles = await lensTitles(document.uri);
      return titles.some((t) => t.startsWith('≥214 tokens'));
    }, 60_000, 250);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(document.getText().indexOf('## Instructions') + 3));
    const text = hoverText(hovers);
    assert.ok(text.includes('Counted in place, the templates its `{% extends %}` and `{% include %}` tags send: `../Agent/main.jinja2` (214 tokens); `../Actor/main.jinja2` (31 tokens).'), text);
  });
});
