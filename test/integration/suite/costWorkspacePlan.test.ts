// "PepperPy: Plan Cost Reduction" on the open workspace (test/fixtures/workspace): the current
// setup is built from the workspace's own prompts, not the bundled example. The expected setup
// is computed here from an independent walk: every file of the workspace opened through the
// prompt index (the lens's models and counts), grouped by file and model by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SEED_CURRENT_SETUP } from '../../../src/extension/cost/costPanel';
import { api, waitForRender } from '../helpers';

const SKIP = new Set(['node_modules', '.git', '.vscode']);

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (SKIP.has(e.name) ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}

describe('PepperPy: Plan Cost Reduction on the workspace prompts', function () {
  this.timeout(120_000);

  it('builds the current setup from the prompts the lens sees, asks output tokens and requests a day, and plans it', async () => {
    const a = await api();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // The oracle: every file through the lens, grouped by file and model.
    const groups = new Map<string, { model: string; tokens: number[] }>();
    for (const file of walk(root).sort()) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      if (!a.prompts.applies(document)) continue;
      const hints = await a.prompts.get(document);
      for (const p of hints?.prompts ?? []) {
        if (p.location.unterminated) continue;
        const task = `${path.relative(root, file).split(path.sep).join('/')} (${p.model})`;
        const g = groups.get(task) ?? { model: p.model, tokens: [] };
        g.tokens.push(p.cost.tokens.count);
        groups.set(task, g);
      }
    }
    assert.ok(groups.size >= 3 && groups.size <= 16, `the fixture has ${groups.size} file-and-model groups`);

    const asked: string[] = [];
    const answers = ['200', '50', '0.3', '0.1'];
    const saved = a.cost.estimateUi.askText;
    a.cost.estimateUi.askText = (options) => {
      asked.push(options.prompt ?? '');
      return Promise.resolve(answers.shift());
    };
    try {
      await vscode.commands.executeCommand('pepperpy.cost.optimize');
    } finally {
      a.cost.estimateUi.askText = saved;
    }
    assert.equal(asked.length, 4, asked.join(' | '));
    const prompts = [...groups.values()].reduce((n, g) => n + g.tokens.length, 0);
    assert.match(asked[0], new RegExp(`^Output tokens per request, for each of the ${prompts} prompts found in `));
    assert.equal(asked[1], 'Requests a day per prompt (default: pepperpy.callsPerDay)');

    const form = a.cost.panel.currentState.planForm;
    const setup = JSON.parse(form.currentSetup) as { models: Record<string, string>; avgUsage: Record<string, { queriesPerDay: number; avgInputTokens: number; avgOutputTokens: number }>; kinds: Record<string, string> };
    assert.notDeepEqual(setup, SEED_CURRENT_SETUP);
    assert.deepEqual(Object.keys(setup.models).sort(), [...groups.keys()].sort());
    for (const [task, g] of groups) {
      assert.equal(setup.models[task], g.model, task);
      const mean = Math.round((g.tokens.reduce((s, t) => s + t, 0) / g.tokens.length) * 100) / 100;
      assert.deepEqual(setup.avgUsage[task], { queriesPerDay: 50 * g.tokens.length, avgInputTokens: mean, avgOutputTokens: 200 }, task);
      assert.equal(setup.kinds[task], 'chat');
    }
    const files = new Set([...groups.keys()].map((t) => t.replace(/ \([^()]*\)$/, ''))).size;
    assert.ok(form.source?.startsWith(`From the prompts of ${vscode.workspace.name}: ${prompts} prompts in ${files} files, one task per file and model.`), form.source);
    assert.match(form.source ?? '', /200 output tokens a request, 50 requests a day per prompt, and the kind "chat"/);

    const plan = a.cost.panel.currentState.plan;
    assert.ok(plan, a.cost.panel.currentState.planError);
    assert.deepEqual(Object.keys(plan.recommendations).sort(), [...groups.keys()].sort());
    const first = [...groups.keys()].sort()[0];
    await waitForRender(a.cost.panel.host, (s) => s.includes(`Current setup: From the prompts of ${vscode.workspace.name}`) && s.includes(first) && s.includes('Monthly savings'), 'the workspace plan and where its setup came from');

    // The setup stays editable: a plan from the dashboard's form keeps the edited text and where it started from.
    const edited = { ...setup, avgUsage: Object.fromEntries(Object.entries(setup.avgUsage).map(([t, u]) => [t, { ...u, queriesPerDay: 1 }])) };
    await a.cost.panel.host.receive({ type: 'cost/optimize', currentSetup: JSON.stringify(edited), maxQualityReduction: 0.1, targetCostReduction: 0 });
    assert.equal(a.cost.panel.currentState.planForm.currentSetup, JSON.stringify(edited));
    assert.equal(a.cost.panel.currentState.planForm.source, form.source);
    assert.ok(a.cost.panel.currentState.plan, a.cost.panel.currentState.planError);
  });
});
