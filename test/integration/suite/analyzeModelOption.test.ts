// "PepperPy: Analyze Prompt" on a prompt whose model is in no setting (newuser40 on Cinnamon/kotaemon: the prompt's
// gpt-4o-mini came from .env.example; the panel counted for gpt-4o-mini under a Model drop-down showing gpt-5.4, its first
// option). The panel's options must hold the model the count is for.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeUntitled, openUntitled, waitFor } from '../helpers';

const SOURCE = [
  'from openai import OpenAI',
  '',
  'client = OpenAI()',
  'reply = client.chat.completions.create(',
  '    model="gpt-4o-mini",',
  '    messages=[{"role": "system", "content": "Summarize the user\'s text in two sentences and answer in JSON."}],',
  ')',
  '',
].join('\n');

describe('PepperPy: Analyze Prompt lists the prompt\'s own model', function () {
  this.timeout(60_000);

  it('the model the count is for is an option of the Model drop-down, selected', async () => {
    const a = await api();
    const editor = await openUntitled(SOURCE, 'python');
    try {
      editor.selection = new vscode.Selection(5, 50, 5, 50);
      const before = a.analysisPanel.currentState.analysis;
      await vscode.commands.executeCommand('pepperpy.analyzePrompt');
      const state = await waitFor('the analysis of the system prompt', () => a.analysisPanel.currentState.analysis !== before && a.analysisPanel.currentState.analysis && a.analysisPanel.currentState);
      assert.equal(state.model, 'gpt-4o-mini');
      assert.ok(state.models.includes('gpt-4o-mini'), JSON.stringify(state.models));
      assert.equal(new Set(state.models).size, state.models.length);
    } finally {
      await closeUntitled(editor.document);
    }
  });
});
