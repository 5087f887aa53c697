// Session 48 (requests48): multiCAD-MCP's agent/cli_agent.py (Apache-2.0, test/fixtures/hints-real/SOURCES.md) sends
// SYSTEM_PROMPT to Claude (`system=SYSTEM_PROMPT`, line 231) and to MiniMax (`sys_msg = {"role": "system", "content":
// SYSTEM_PROMPT}` in `messages=[sys_msg] + …`, line 314): two requests, one per call. The hover names the other call;
// Estimate Cost prices one call and names the other, never the two summed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, estimateQuestions, waitFor } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const agent = fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/multicad_cli_agent.py'), 'utf8');

describe('a prompt sent by two calls: a request per call (multiCAD-MCP cli_agent.py, session 48)', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 'requests48');
    fs.mkdirSync(path.join(dir, 'agent'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'agent', 'cli_agent.py'), agent);
    await api();
    document = await vscode.workspace.openTextDocument(path.join(dir, 'agent', 'cli_agent.py'));
    await vscode.window.showTextDocument(document);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the hover names the other call with its own count; Estimate Cost prices one call and names the other', async () => {
    const a = await api();
    let tokens = 0;
    let model = '';
    await waitFor(() => 'SYSTEM_PROMPT with its two requests', async () => {
      const hints = await a.prompts.get(document);
      const system = hints?.prompts.find((p) => p.location.boundName === 'SYSTEM_PROMPT');
      tokens = system?.cost.tokens.count ?? 0;
      model = system?.model ?? '';
      return (system?.location.sentIn?.also?.length ?? 0) === 1;
    }, 60_000, 250);
    const at = document.positionAt(agent.indexOf('You are a CAD control assistant') + 10);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(text.includes(`Also sent by the call at line 314, a request of its own: ${tokens.toLocaleString('en-US')} input tokens for ${model} there too (the counts above are for one call).`), text);
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(at, at);
    const asked = await estimateQuestions(a);
    // One call's tokens (the prompt alone at Claude's call), not the two calls' sum.
    assert.equal(asked[0]?.value, String(tokens));
    assert.ok(asked[0]?.prompt?.includes('as the call at line 231 sends it (one call; also sent by the calls at lines 314, each another request)'), asked[0]?.prompt);
  });
});
