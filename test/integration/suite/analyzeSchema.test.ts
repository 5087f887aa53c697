// "PepperPy: Analyze Prompt" on a prompt sent with an output schema (fix38, newuser37's finding 7): jina-ai/node-DeepResearch's
// error-analyzer.ts (in its tools folder) at 579fd95f (Apache-2.0, test/fixtures/node-deepresearch/SOURCES.md) sends its system prompt with
// `generator.generateObject({ model, schema, system: prompt.system, … })`. The panel said "No output format stated"; the schema states it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeUntitled, openUntitled, waitFor } from '../helpers';

const SOURCE = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/node-deepresearch/error-analyzer.ts.txt'), 'utf8');

describe('PepperPy: Analyze Prompt on a prompt sent with an output schema', function () {
  this.timeout(60_000);

  async function kindsFor(text: string): Promise<{ kinds: string[]; hasOutputFormat: boolean | undefined }> {
    const a = await api();
    const editor = await openUntitled(text, 'typescript');
    try {
      // Line 10 (0-based 9) is inside getPrompt's system prompt.
      editor.selection = new vscode.Selection(9, 5, 9, 5);
      const before = a.analysisPanel.currentState.analysis;
      await vscode.commands.executeCommand('pepperpy.analyzePrompt');
      const state = await waitFor('the analysis of the system prompt', () => a.analysisPanel.currentState.analysis !== before && a.analysisPanel.currentState.analysis && a.analysisPanel.currentState);
      return { kinds: state.analysis?.optimizationSuggestions.map((s) => s.kind) ?? [], hasOutputFormat: state.analysis?.features?.hasOutputFormat };
    } finally {
      await closeUntitled(editor.document);
    }
  }

  it('reports no missing output format when the sending call gives a schema, and still does without it', async () => {
    const withSchema = await kindsFor(SOURCE);
    assert.ok(!withSchema.kinds.includes('missingOutputFormat'), JSON.stringify(withSchema.kinds));
    assert.equal(withSchema.hasOutputFormat, true);
    // The same file with the call's `schema` line removed: nothing states the format.
    const withoutSchema = await kindsFor(SOURCE.replace('      schema: schemaGen.getErrorAnalysisSchema(),\n', ''));
    assert.ok(withoutSchema.kinds.includes('missingOutputFormat'), JSON.stringify(withoutSchema.kinds));
  });
});
