// "PepperPy: Plan Cost Reduction" on the open workspace (test/fixtures/workspace): the current
// setup is built from the workspace's own prompts, not the bundled example. The expected setup
// is computed here from an independent walk: every file of the workspace opened through the
// prompt index (the lens's models and counts), grouped by file and model by hand.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SEED_CURRENT_SETUP } from '../../../src/extension/cost/costPanel';
import { MAX_FILE_TASKS } from '../../../src/extension/cost/workspaceSetup';
import { api, waitFor, waitForRender } from '../helpers';

// The folders the command does not look in (workspacePrompts.ts EXCLUDE_GLOB).
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.next', '.vscode-test', 'coverage', 'site-packages']);

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (SKIP.has(e.name) ? [] : walk(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}

describe('PepperPy: Plan Cost Reduction on the workspace prompts', function () {
  this.timeout(120_000);

  it('reads the files without opening them: no findings in the Problems panel for a file the user did not open', async () => {
    // Before this test no suite opens this copy; the ones after open every file (the oracle), so it runs first.
    const a = await api();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const dir = path.join(root, 'plan-unopened');
    const file = path.join(dir, 'assistant.py');
    const uri = vscode.Uri.file(file);
    const pepperpy = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'PepperPy');
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(path.join(root, 'hints', 'assistant.py'), file);
      const answers = ['200', '50', '0.3', '0.1'];
      const saved = a.cost.estimateUi.askText;
      a.cost.estimateUi.askText = () => Promise.resolve(answers.shift());
      try {
        await vscode.commands.executeCommand('pepperpy.cost.optimize');
      } finally {
        a.cost.estimateUi.askText = saved;
      }
      const setup = JSON.parse(a.cost.panel.currentState.planForm.currentSetup) as { models: Record<string, string> };
      // The copy's prompts are in the plan (a task of its own, one per file and model, unless the tasks are one per model).
      const tasks = Object.keys(setup.models);
      const byModel = tasks.some((t) => / prompts? in \d+ files?\)$/.test(t));
      assert.ok(byModel || tasks.some((t) => t.startsWith('plan-unopened/assistant.py (')), tasks.join(', '));
      assert.equal(vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), false, 'the command opened the file as a document');
      // Findings of an opened document come within a moment of its opening (the index runs at once): none after 3 s.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.deepEqual(pepperpy().map((d) => d.message), []);
      // The copy has findings once the user opens it: the check above could see them.
      await vscode.workspace.openTextDocument(uri);
      const shown = await waitFor('findings of the opened copy', () => (pepperpy().length > 0 ? pepperpy() : undefined));
      assert.ok(shown.length > 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a second run while the first asks its questions does not start (break35: both planned, one over the other)', async () => {
    const a = await api();
    const saved = a.cost.estimateUi.askText;
    let asked = 0;
    let release: (value: string | undefined) => void = () => undefined;
    const firstQuestion = new Promise<void>((reached) => {
      a.cost.estimateUi.askText = () => {
        asked++;
        if (asked === 1) reached();
        // The first run waits on its first question; any other question is cancelled at once.
        return asked === 1 ? new Promise<string | undefined>((resolve) => (release = resolve)) : Promise.resolve(undefined);
      };
    });
    try {
      const first = vscode.commands.executeCommand('pepperpy.cost.optimize');
      await firstQuestion;
      await vscode.commands.executeCommand('pepperpy.cost.optimize');
      assert.equal(asked, 1, 'the second run asked a question');
      release(undefined);
      await first;
      // Once the first is over, the command runs again.
      await vscode.commands.executeCommand('pepperpy.cost.optimize');
      assert.equal(asked, 2);
    } finally {
      a.cost.estimateUi.askText = saved;
    }
  });

  it('builds the current setup from the prompts the lens sees, asks output tokens and requests a day, and plans it', async () => {
    await planAndCheck();
  });

  it('one task per model when the workspace has more file-and-model groups than the exact search takes', async () => {
    // Copies of a fixture file in new folders: each copy is a group of its own.
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const copies = Array.from({ length: MAX_FILE_TASKS + 1 }, (_, i) => path.join(root, `plan-copy-${i}`));
    try {
      for (const dir of copies) {
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(path.join(root, 'hints', 'assistant.py'), path.join(dir, 'assistant.py'));
      }
      assert.equal(await planAndCheck(), true);
    } finally {
      for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Runs the command with answers and checks its setup against the oracle; true when the tasks were one per model. */
async function planAndCheck(): Promise<boolean> {
  {
    const a = await api();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // The oracle: every file through the lens, grouped by file and model (by model when there are more groups than
    // MAX_FILE_TASKS: the suites before this one leave files of their own in the workspace).
    const found: Array<{ file: string; model: string; tokens: number }> = [];
    for (const file of walk(root).sort()) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      if (!a.prompts.applies(document)) continue;
      const hints = await a.prompts.get(document);
      const all = hints?.prompts ?? [];
      // A prompt inside a piece of another prompt of the file (a constant spliced into it) is counted there, not alone.
      const inside = (p: (typeof all)[number]) => all.some((q) => q !== p && (q.pieces ?? []).some((piece) => piece.range.start.offset <= p.location.range.start.offset && p.location.range.end.offset <= piece.range.end.offset));
      for (const p of all) {
        if (!p.location.unterminated && !inside(p)) found.push({ file: path.relative(root, file).split(path.sep).join('/'), model: p.model, tokens: p.cost.tokens.count });
      }
    }
    const group = (key: (p: { file: string; model: string }) => string) => {
      const groups = new Map<string, { model: string; tokens: number[]; files: Set<string> }>();
      for (const p of found) {
        const g = groups.get(key(p)) ?? { model: p.model, tokens: [], files: new Set<string>() };
        g.tokens.push(p.tokens);
        g.files.add(p.file);
        groups.set(key(p), g);
      }
      return groups;
    };
    let groups = group((p) => `${p.file} (${p.model})`);
    const byModel = groups.size > MAX_FILE_TASKS;
    if (byModel) {
      groups = new Map([...group((p) => p.model)].map(([model, g]) => [`${model} (${g.tokens.length} prompt${g.tokens.length === 1 ? '' : 's'} in ${g.files.size} file${g.files.size === 1 ? '' : 's'})`, g]));
    }
    assert.ok(groups.size >= 3, `the workspace has ${groups.size} groups`);

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
    const files = new Set(found.map((p) => p.file)).size;
    const how = byModel ? `one task per model (more than ${MAX_FILE_TASKS} file-and-model groups).` : 'one task per file and model.';
    assert.ok(form.source?.startsWith(`From the prompts of ${vscode.workspace.name}: ${prompts} prompts in ${files} files, ${how}`), form.source);
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
    return byModel;
  }
}
