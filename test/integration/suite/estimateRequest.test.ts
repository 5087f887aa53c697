// Session 46, newuser45's finding 12 on All-Hands-AI/OpenHands (MIT, test/fixtures/hints-real/SOURCES.md): "Estimate Cost…"
// run from the system message of openhands/utils/conversation_summary.py priced that message alone, while the code sends it
// with a user message in one `messages` list. It now starts from the whole request (src/shared/hints/request.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { usd } from '../../../src/extension/common/format';
import { api, estimateQuestions, waitFor } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const summary = fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/openhands_conversation_summary.py'), 'utf8');

describe('Estimate Cost from a prompt prices its whole request (OpenHands conversation title, session 46)', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 'request46');
    fs.mkdirSync(path.join(dir, 'openhands', 'utils'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'openhands', 'utils', 'conversation_summary.py'), summary);
    await api();
    document = await vscode.workspace.openTextDocument(path.join(dir, 'openhands', 'utils', 'conversation_summary.py'));
    await vscode.window.showTextDocument(document);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('from the system message: both messages of the list, with the user template\'s runtime values named as not counted', async () => {
    const a = await api();
    let prompts: Array<{ line: number; title: string; tokens: number; runtime: number }> = [];
    await waitFor(() => `the file's two messages (last: ${JSON.stringify(prompts)})`, async () => {
      const hints = await a.prompts.get(document);
      prompts = (hints?.prompts ?? []).map((p) => ({ line: p.location.range.start.line + 1, title: p.title, tokens: p.cost.tokens.count, runtime: p.runtimeValues.length }));
      return prompts.length === 2;
    }, 60_000, 250);
    const [system, user] = prompts;
    assert.deepEqual([system.line, user.line, user.runtime], [46, 50, 2]);
    const editor = await vscode.window.showTextDocument(document);
    const at = document.positionAt(summary.indexOf('You are a helpful assistant that generates concise') + 10);
    editor.selection = new vscode.Selection(at, at);
    const asked = await estimateQuestions(a);
    const total = system.tokens + user.tokens;
    assert.equal(asked[0]?.value, String(total));
    const model = a.cost.panel.currentState.estimateForm.model;
    assert.equal(asked[0]?.prompt, `Average input tokens per query. ${system.title} and the other prompt of its request (conversation_summary.py:46) has at least ${total.toLocaleString('en-US')} tokens for ${model}: its runtime values are not counted, add their usual size.`);
    assert.equal(a.cost.panel.currentState.estimateForm.avgInputTokens, total);
  });

  it("the system message's hover sums its request: the user message named, the tokens and the cost together", async () => {
    const a = await api();
    const hints = await a.prompts.get(document);
    const [system, user] = hints?.prompts ?? [];
    assert.ok(system && user && system.cost.inputCostUsd !== undefined && user.cost.inputCostUsd !== undefined);
    const at = document.positionAt(summary.indexOf('You are a helpful assistant that generates concise') + 10);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, at);
    const text = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const total = (system.cost.tokens.count + user.cost.tokens.count).toLocaleString('en-US');
    const cost = usd(system.cost.inputCostUsd + user.cost.inputCostUsd);
    assert.ok(text.includes(`Goes out in one request with ${user.title} (line 50): ≥${total} input tokens together for ${system.model}, ≥${cost} per call.`), text);
    // The month is the request's too, beside the prompt's own (session 47).
    assert.ok(system.monthlyCostUsd !== undefined && user.monthlyCostUsd !== undefined);
    const calls = vscode.workspace.getConfiguration('pepperpy').get<number>('callsPerDay') ?? 1000;
    assert.ok(text.includes(`Monthly input cost at ${calls.toLocaleString('en-US')} calls/day (\`pepperpy.callsPerDay\`): **${usd(system.monthlyCostUsd)}** for this prompt, **≥${usd(system.monthlyCostUsd + user.monthlyCostUsd)}** for its whole request.`), text);
  });
});
