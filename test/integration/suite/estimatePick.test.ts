// "PepperPy: Estimate Cost…" with the cursor outside the prompts of a source file (newuser44: it opened on
// pepperpy.defaultModel and 500 input tokens whatever the file): a pick of the file's prompts, as Analyze Prompt offers,
// and a last item to start from the dashboard's numbers. The file is a real one with prompts for two Claude models
// (anthropics/claude-cookbooks, test/fixtures/hints-real/SOURCES.md).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api } from '../helpers';

const repo = path.resolve(__dirname, '../../../..');
const judges = fs.readFileSync(path.join(repo, 'test/fixtures/hints-real/cc_llm_eval_two_judges.py'), 'utf8');

describe('Estimate Cost… from outside the prompts of a file: pick one of them, or none', function () {
  this.timeout(120_000);
  let dir: string;
  let document: vscode.TextDocument;

  before(async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    dir = path.join(root, 'estimate44');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'llm_eval.py'), judges);
    await api();
    document = await vscode.workspace.openTextDocument(path.join(dir, 'llm_eval.py'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the command with the cursor on line 1 (`import anthropic`), the pick answered by `choose`; what it offered and asked. */
  async function estimateFromImports(choose: (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) {
    const a = await api();
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(0, 3, 0, 3);
    const offered: Array<{ label: string; description?: string }> = [];
    let models: string[] | undefined;
    const asked: string[] = [];
    const ui = a.cost.estimateUi;
    const saved = { ...ui };
    const pick = a.promptPicker.pick;
    a.promptPicker.pick = async (items) => {
      offered.push(...items.map((i) => ({ label: i.label, ...(i.description !== undefined ? { description: i.description } : {}) })));
      return choose(items) as (typeof items)[number] | undefined;
    };
    ui.pickModel = (list) => {
      models = list;
      // (Escape at the model question: the estimate is not run, only its start is looked at.)
      return Promise.resolve(undefined);
    };
    ui.askText = (options) => {
      asked.push(options.value ?? '');
      return Promise.resolve(options.value);
    };
    try {
      await vscode.commands.executeCommand('pepperpy.cost.estimate');
    } finally {
      Object.assign(ui, saved);
      a.promptPicker.pick = pick;
    }
    return { a, offered, models };
  }

  it("offers the file's prompts with their lens counts, then None; a picked prompt puts its model first", async () => {
    const a = await api();
    const hints = await a.prompts.get(document);
    const prompts = hints?.prompts ?? [];
    assert.deepEqual(prompts.map((p) => [p.location.range.start.line + 1, p.model]), [
      [20, 'claude-3-5-sonnet-20241022'],
      [66, 'claude-3-5-sonnet-20241022'],
      [102, 'claude-haiku-4-5'],
    ]);
    const { offered, models } = await estimateFromImports((items) => items[2]);
    assert.deepEqual(
      offered.map((o) => o.label),
      ['prompt', 'content', 'content', 'None: enter the numbers'],
    );
    assert.deepEqual(offered.map((o) => /^line \d+/.exec(o.description ?? '')?.[0] ?? o.description), ['line 20', 'line 66', 'line 102', "start from the Cost Dashboard's last estimate"]);
    assert.equal(offered[2].description, `line 102 · ≥${prompts[2].cost.tokens.count} tokens`);
    assert.equal(models?.[0], 'claude-haiku-4-5');
  });

  it('None starts from the configured default model, as before; a dismissed pick asks nothing more', async () => {
    const none = await estimateFromImports((items) => items[items.length - 1]);
    assert.notEqual(none.models, undefined);
    assert.ok(!none.models?.[0].startsWith('claude-haiku'), none.models?.slice(0, 3).join(', '));
    const dismissed = await estimateFromImports(() => undefined);
    assert.equal(dismissed.models, undefined);
  });
});
