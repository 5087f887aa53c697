// An untitled file opened right after another was closed gets the closed one's name (code-server reuses `Untitled-N`), and
// the same version number once it is edited as often. The prompt index keyed its hints by URI and version: the closed
// file's hints, asked for by something that still held it (a command or a provider that began before it closed), were
// kept under that key and then given for the new file, and its request for them was cancelled. The new file then had no
// lens, and Analyze Prompt said "no prompts found in Untitled-1" (untitled46, after the CI-only failure of newuser44's
// Analyze test: that command returned without analyzing the suite's new untitled file, no error, no log line).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, closeUntitled, openUntitled, waitFor } from '../helpers';

// What the suite before newuser44's Analyze test had open (anything-llm's constructPrompt, a prompt made only of runtime
// values), then the prompt that test analyzes (memory-extraction-utils.js's OBSERVER_SYSTEM_PROMPT); both shortened.
const ONLY_RUNTIME = [
  'class AnthropicLLM {',
  '  constructPrompt({ systemPrompt = "", contextTexts = [] }) {',
  '    const prompt = {',
  '      role: "system",',
  '      content: `${systemPrompt}${this.#appendContext(contextTexts)}`,',
  '    };',
  '    return [prompt];',
  '  }',
  '}',
  '',
].join('\n');

const OBSERVER = 'const OBSERVER_SYSTEM_PROMPT = `You are a memory observer for a personalized AI assistant. Please make sure that you always keep in mind the following rules.\n- Maximum ${MAX_CANDIDATES_PER_RUN} observations per batch.`;\n';

/**
 * Opens ONLY_RUNTIME, waits for its hints, closes it; then opens OBSERVER, which code-server names as the closed file was
 * (most times: when it did not, both are closed and it is tried again). Both documents.
 */
async function reopenUntitled(): Promise<{ closed: vscode.TextDocument; editor: vscode.TextEditor }> {
  const a = await api();
  const names: string[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const closed = (await openUntitled(ONLY_RUNTIME, 'javascript')).document;
    const before = await a.prompts.get(closed);
    assert.equal(before?.prompts.length, 1, 'the closed file had its one prompt (made only of runtime values)');
    await closeUntitled(closed);
    const editor = await openUntitled(OBSERVER, 'javascript');
    if (editor.document.uri.toString() === closed.uri.toString()) return { closed, editor };
    names.push(`${closed.uri.path} then ${editor.document.uri.path}`);
    await closeUntitled(editor.document);
  }
  // (The case only arises with the name reused: if code-server never reused it, the test would prove nothing.)
  assert.fail(`code-server never gave the new untitled file the closed one's name: ${names.join(', ')}`);
}

describe('An untitled file opened under the name of one just closed (untitled46)', function () {
  this.timeout(120_000);

  it('has its own hints, even when the closed file\'s hints are asked for with the same version number', async () => {
    const a = await api();
    const { closed, editor } = await reopenUntitled();
    const document = editor.document;
    // The revert that closed it emptied the closed file (version 2); one edit brings the new file to version 2 too.
    await editor.edit((e) => e.insert(document.positionAt(document.getText().length), '\n'));
    assert.equal(document.version, closed.version);
    // Something that still held the closed file asks for its hints.
    const stale = await a.prompts.get(closed);
    const hints = await a.prompts.get(document);
    // Before: [] (the closed file's empty text, kept under the shared URI and version), and the lens was gone until the next edit.
    assert.deepEqual(hints?.prompts.map((p) => p.location.boundName), ['OBSERVER_SYSTEM_PROMPT']);
    assert.deepEqual(a.prompts.peek(document)?.prompts.map((p) => p.location.boundName), ['OBSERVER_SYSTEM_PROMPT']);
    // A closed file has no hints: nothing is computed or kept for it.
    assert.equal(stale, undefined);
    await closeUntitled(document);
  });

  it('while its hints are being computed, a request for the closed file\'s leaves them in place', async () => {
    const a = await api();
    const { closed, editor } = await reopenUntitled();
    const document = editor.document;
    // (Its hints are computed again, as after a settings change, so that they are still being computed below.)
    a.prompts.refreshAll();
    const pending = a.prompts.get(document);
    // The closed file is at version 2, the new one at 1. Before, the closed file's request replaced the new file's under
    // the URI (its cancellation was lost while the engine client awaited its start) and its hints were kept there: the new
    // file's lens and hover had nothing to show until they were computed again.
    const stale = await a.prompts.get(closed);
    const hints = await pending;
    assert.deepEqual(hints?.prompts.map((p) => p.location.boundName), ['OBSERVER_SYSTEM_PROMPT']);
    // Before: undefined.
    assert.deepEqual(a.prompts.peek(document)?.prompts.map((p) => p.location.boundName), ['OBSERVER_SYSTEM_PROMPT']);
    assert.equal(stale, undefined);
    await closeUntitled(document);
  });

  it('Analyze Prompt and Compress Prompt act on the new file\'s text', async () => {
    const a = await api();
    const { closed, editor } = await reopenUntitled();
    const document = editor.document;
    await editor.edit((e) => e.insert(document.positionAt(document.getText().length), '\n'));
    await a.prompts.get(closed);
    await waitFor('the panel to be idle', () => !a.analysisPanel.currentState.busy);
    const cursor = document.positionAt(OBSERVER.indexOf('memory observer'));
    editor.selection = new vscode.Selection(cursor, cursor);
    const warnings: string[] = [];
    const w = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
    const showWarningMessage = w.showWarningMessage;
    w.showWarningMessage = (...args: unknown[]) => {
      warnings.push(String(args[0]));
      return showWarningMessage.apply(vscode.window, args);
    };
    try {
      await vscode.commands.executeCommand('pepperpy.analyzePrompt');
      // Before: "PepperPy: no prompts found in Untitled-1. Select the prompt text and run "PepperPy: Analyze Prompt" again."
      assert.deepEqual(warnings, []);
      const state = await waitFor('the analysis of OBSERVER_SYSTEM_PROMPT', () => {
        const s = a.analysisPanel.currentState;
        return !s.busy && s.source.startsWith('OBSERVER_SYSTEM_PROMPT in ') && s.analysis ? s : undefined;
      });
      assert.deepEqual(state.fixed?.runtimeValues, ['MAX_CANDIDATES_PER_RUN']);
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, document.offsetAt(cursor));
      // Before: not applied, "There is no prompt at this position…".
      assert.equal(outcome?.applied, true, outcome?.reason);
      assert.match(document.getText(), /^const OBSERVER_SYSTEM_PROMPT = `/);
      assert.match(document.getText(), /\$\{MAX_CANDIDATES_PER_RUN\}/);
      assert.ok(document.getText().length < OBSERVER.length, document.getText());
    } finally {
      w.showWarningMessage = showWarningMessage;
    }
    await closeUntitled(document);
  });
});
