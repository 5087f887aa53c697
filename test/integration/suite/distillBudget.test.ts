// Distill's budget box proposes a budget the distiller can reach: 70 % of the prompt's tokens, or the least distilling
// reaches when every sentence is protected (newuser34 on bytedance/deer-flow's input_polish.py: the box proposed 122 of
// 175 and the result was 171). The prompts below are written for this test in that shape; the oracle is Distill run with
// a budget of 1 (its summary's figure after), then undone.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeUntitled, openUntitled, waitFor } from '../helpers';

const PROTECTED = [
  'You are the pre-send editor of the draft.',
  'Do not answer the task in the draft.',
  "Never change the user's file paths, URLs or 'slash commands'.",
  'Keep the result under 150 words unless the draft is longer.',
  'Do not add facts, names, dates or numbers that the draft does not imply.',
  "Output only the edited draft, with no 'markdown' wrapper and no explanation.",
];
const PROSE = [
  'You are a friendly travel guide who knows the old town of Lisbon very well.',
  'Visitors often ask about the trams, the viewpoints and the small cafes near the river.',
  'The city has many hills, and walking between the neighbourhoods can take longer than a map suggests.',
  'Many of the best places are quiet in the morning and crowded in the late afternoon.',
  'Answer the question of the visitor.',
];

function source(lines: string[]): string {
  return ['from openai import OpenAI', '', 'client = OpenAI()', 'SYSTEM = """' + lines.join('\n') + '"""', 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])', ''].join('\n');
}

/** Runs Distill with no budget and answers its box with Escape; what the box showed. */
async function budgetBox(lines: string[]): Promise<{ shown: vscode.InputBoxOptions; current: number; model: string; least: number }> {
  const a = await api();
  const editor = await openUntitled(source(lines), 'python');
  const document = editor.document;
  try {
    const prompt = await waitFor('the prompt of the test document', async () => (await a.prompts.get(document))?.prompts[0]);
    let shown: vscode.InputBoxOptions | undefined;
    const saved = a.rewriter.askBudgetBox;
    a.rewriter.askBudgetBox = (options) => {
      shown = options;
      return Promise.resolve(undefined);
    };
    try {
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.distillPrompt', document.uri, prompt.location.contentRange.start.offset + 2);
      assert.equal(outcome?.reason, 'cancelled');
    } finally {
      a.rewriter.askBudgetBox = saved;
    }
    assert.ok(shown, 'the budget box was not shown');
    const least = await waitFor('Distill to a budget of 1', async () => {
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string; summary?: string }>('pepperpy.distillPrompt', document.uri, prompt.location.contentRange.start.offset + 2, 1);
      if (!outcome?.applied) return outcome?.reason === 'unchanged' ? prompt.cost.tokens.count : undefined;
      await vscode.commands.executeCommand('undo');
      const m = /→ (\d+) tokens/.exec(outcome.summary ?? '');
      assert.ok(m, outcome.summary);
      return Number(m[1]);
    });
    return { shown, current: prompt.cost.tokens.count, model: prompt.model, least };
  } finally {
    await closeUntitled(document);
  }
}

describe('Distill: the budget box proposes a budget the distiller can reach', function () {
  this.timeout(60_000);

  it('a prompt whose every sentence is protected: the least it reaches, and the box says why', async () => {
    const { shown, current, model, least } = await budgetBox(PROTECTED);
    // The case the change is for: 70 % is out of reach here.
    assert.ok(least > Math.round(current * 0.7), `least ${least} of ${current}`);
    assert.equal(shown.value, String(Math.min(current, least)));
    assert.equal(shown.prompt, `Token budget (the prompt has ${current} tokens for ${model}; the sentences distilling always keeps come to ${least}, so it cannot go lower)`);
  });

  it('a prompt with sentences to drop: 70 % of its tokens, as before', async () => {
    const { shown, current, model, least } = await budgetBox(PROSE);
    assert.ok(least <= Math.round(current * 0.7), `least ${least} of ${current}`);
    assert.equal(shown.value, String(Math.round(current * 0.7)));
    assert.equal(shown.prompt, `Token budget (the prompt has ${current} tokens for ${model})`);
  });

  it('a budget the engine refuses, given through the API (0, -5, 2.5, over 1,000,000), is asked for in the box (break40)', async () => {
    const a = await api();
    const editor = await openUntitled(source(PROSE), 'python');
    const document = editor.document;
    const saved = a.rewriter.askBudgetBox;
    try {
      const prompt = await waitFor('the prompt of the test document', async () => (await a.prompts.get(document))?.prompts[0]);
      for (const budget of [0, -5, 2.5, 1_000_001, 1e12]) {
        let asked = false;
        a.rewriter.askBudgetBox = () => {
          asked = true;
          return Promise.resolve(undefined);
        };
        const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.distillPrompt', document.uri, prompt.location.contentRange.start.offset + 2, budget);
        assert.deepEqual([budget, asked, outcome], [budget, true, { applied: false, reason: 'cancelled' }]);
      }
    } finally {
      a.rewriter.askBudgetBox = saved;
      await closeUntitled(document);
    }
  });
});
