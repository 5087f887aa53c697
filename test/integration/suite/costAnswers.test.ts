// breakidx37 (session 37): the cost commands run from the palette with hostile answers, and Plan Cost Reduction on a
// workspace with more files than it scans. Before: `1e308` input tokens passed Estimate Cost's question (no maximum
// there; the engine's is 10,000,000) and the estimate failed after the last question, `0x10` was read as 16; and a
// workspace of more than 5,000 files was scanned in part without a word.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_SCANNED_FILES } from '../../../src/extension/cost/workspacePrompts';
import { api } from '../helpers';

describe('Cost commands: hostile answers, and a workspace larger than the scan (breakidx37)', function () {
  this.timeout(180_000);

  it("Estimate Cost…: each question refuses what the engine would refuse, hex and separators, with the bound it takes", async () => {
    const a = await api();
    const ui = a.cost.estimateUi;
    const saved = { ...ui };
    const refused: string[][] = [];
    ui.pickModel = (models) => Promise.resolve(models[0]);
    ui.askText = (options) => {
      refused.push(
        ['1e308', '0x10', '1,000', 'Infinity', ' 12 '].map((t) => {
          const problem = options.validateInput?.(t);
          return typeof problem === 'string' ? problem : problem === undefined ? 'ok' : JSON.stringify(problem);
        }),
      );
      return Promise.resolve(options.value);
    };
    try {
      await vscode.commands.executeCommand('pepperpy.cost.estimate');
    } finally {
      Object.assign(ui, saved);
    }
    const separators = 'Enter the number without separators, with a point for decimals (1000, 0.5).';
    assert.deepEqual(refused, [
      ['Enter 10,000,000 or less.', 'Enter a number.', separators, 'Enter a number.', 'ok'],
      ['Enter 10,000,000 or less.', 'Enter a number.', separators, 'Enter a number.', 'ok'],
      ['Enter 100,000,000 or less.', 'Enter a number.', separators, 'Enter a number.', 'ok'],
      ['Enter 3,650 or less.', 'Enter a number.', separators, 'Enter a number.', 'ok'],
    ]);
  });

  it('Plan Cost Reduction: a workspace with more files than it scans says so, reports its progress, and stops when cancelled', async () => {
    const a = await api();
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    // 5,001 prompt files (a folder of prompts): whichever 5,000 the search returns, some hold prompts.
    const dir = path.join(root, 'zz-s37-many', 'prompts');
    const ui = a.cost.estimateUi;
    const saved = { ...ui };
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (let i = 0; i <= MAX_SCANNED_FILES; i++) fs.writeFileSync(path.join(dir, `note${i}.txt`), `You are a support assistant for store ${i}. Answer the customer's question in two sentences and never promise refunds.\n`);
      // Cancelled at its first progress: the command stops, asking nothing.
      const asked: string[] = [];
      const seen: string[] = [];
      ui.askText = (options) => {
        asked.push(options.prompt ?? '');
        return Promise.resolve(undefined);
      };
      ui.withProgress = (_options, task) => {
        const cancel = new vscode.CancellationTokenSource();
        return task({ report: (p) => { seen.push(p.message ?? ''); cancel.cancel(); } }, cancel.token);
      };
      await vscode.commands.executeCommand('pepperpy.cost.optimize');
      assert.deepEqual([seen, asked], [['0 of 5,000 files scanned'], []]);
      // Run to the end: every step reported, and the plan's source says only part of the workspace was scanned.
      const messages: string[] = [];
      const answers = ['200', '50', '0.3', '0.1'];
      ui.askText = () => Promise.resolve(answers.shift());
      ui.withProgress = (_options, task) => task({ report: (p) => void messages.push(p.message ?? '') }, new vscode.CancellationTokenSource().token);
      await vscode.commands.executeCommand('pepperpy.cost.optimize');
      assert.deepEqual(messages.filter((m) => m.endsWith('files scanned')), ['0 of 5,000 files scanned', '1,000 of 5,000 files scanned', '2,000 of 5,000 files scanned', '3,000 of 5,000 files scanned', '4,000 of 5,000 files scanned']);
      assert.deepEqual(messages.filter((m) => m.endsWith('files with prompts read')).slice(0, 2), ['0 of 300 files with prompts read', '20 of 300 files with prompts read']);
      const source = a.cost.panel.currentState.planForm.source ?? '';
      assert.ok(source.includes('Only 5,000 files of the workspace were scanned for prompts: it has more. Only the first 300 files with prompts were read.'), source);
    } finally {
      Object.assign(ui, saved);
      fs.rmSync(path.join(root, 'zz-s37-many'), { recursive: true, force: true });
    }
  });
});
