// The getting-started walkthrough in a real VS Code: what package.json contributes (each
// step's page is in the extension, each button and completion event names a registered
// command), and the first two steps done as a user would: the sample app opens with the
// cursor in its system prompt, the lens and the status bar price it for the model its call
// uses (exact count from js-tiktoken, the independent oracle), and Compress Prompt shortens
// it keeping its limits and negations.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { api, closeUntitled, EXTENSION_ID, waitFor } from '../helpers';

const reference = new TokenizerService('js-tiktoken');

interface Step {
  id: string;
  description: string;
  media: { markdown: string };
  completionEvents: string[];
}

/** The sample's SYSTEM_PROMPT: adjacent Python string literals (no escapes in them), joined. */
function systemPrompt(source: string): string {
  const start = source.indexOf('SYSTEM_PROMPT = (');
  const end = source.indexOf('\n)\n', start);
  return [...source.slice(start, end).matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
}

describe('Walkthrough: get started', function () {
  this.timeout(90_000);

  it('contributes six steps whose pages ship with the extension and whose buttons run registered commands', async () => {
    await api();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const walkthroughs = (extension.packageJSON as { contributes: { walkthroughs: Array<{ id: string; steps: Step[] }> } }).contributes.walkthroughs;
    assert.deepEqual(walkthroughs.map((w) => w.id), ['pepperpy.gettingStarted']);
    const steps = walkthroughs[0].steps;
    assert.deepEqual(steps.map((s) => s.id), ['promptCost', 'compress', 'estimate', 'monitor', 'rag', 'quantize']);
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const step of steps) {
      const page = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension.extensionUri, step.media.markdown));
      assert.match(new TextDecoder().decode(page), /^# /, `${step.id}: its page is Markdown with a title`);
      const buttons = [...step.description.matchAll(/\]\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.equal(buttons.length, 1, `${step.id} has one button`);
      const events = step.completionEvents.map((e) => e.replace(/^onCommand:/, ''));
      assert.ok(events.includes(buttons[0]), `${step.id}: its button completes it`);
      for (const id of [...buttons, ...events]) assert.ok(registered.has(id), `${step.id}: ${id} is not a registered command`);
    }
  });

  it('opens the sample app with the cursor in its system prompt, priced exactly for the model of its call', async () => {
    const a = await api();
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('pepperpy.walkthrough.openSample');
    assert.ok(editor, 'the sample opened');
    const document = editor.document;
    assert.equal(document.isUntitled, true, 'nothing is written to the workspace');
    assert.equal(document.languageId, 'python');
    const source = document.getText();
    const prompt = systemPrompt(source);
    assert.ok(prompt.startsWith('You are a friendly') && prompt.endsWith('Answer in at most 3 sentences.'));
    const cursor = document.offsetAt(editor.selection.active);
    assert.ok(cursor > source.indexOf('SYSTEM_PROMPT = (') && cursor < source.indexOf('\n)\n'), 'the cursor is in the system prompt');
    const expected = reference.countWithEncoding(prompt, 'o200k_base');

    const lens = await waitFor('the lens of the system prompt', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
      // The prompt starts at its first literal, the line after `SYSTEM_PROMPT = (`.
      return lenses?.find((l) => l.range.start.line === document.positionAt(source.indexOf('"You are a friendly')).line && /tokens/.test(l.command?.title ?? ''));
    });
    assert.match(lens.command?.title ?? '', new RegExp(`^${expected} tokens · \\$[0-9.]+ per call \\(gpt-5\\.4\\)$`));
    const status = await waitFor('the status bar count', () => (a.statusBar.item.text.includes(` ${expected} tokens`) ? a.statusBar.item.text : undefined));
    assert.match(status, new RegExp(`^\\$\\(symbol-number\\) ${expected} tokens · \\$[0-9.]+$`));

    // Step 2: Compress Prompt on the prompt under the cursor.
    const outcome = await vscode.commands.executeCommand<{ applied: boolean; reason?: string }>('pepperpy.compressPrompt', document.uri, cursor);
    assert.ok(outcome?.applied, `not applied: ${outcome?.reason}`);
    const compressed = systemPrompt(document.getText());
    assert.ok(reference.countWithEncoding(compressed, 'o200k_base') < expected, `no tokens saved:\n${compressed}`);
    for (const kept of ['at most 3', 'not', 'Acme Cloud']) assert.ok(compressed.includes(kept), `"${kept}" was lost:\n${compressed}`);
    // Nothing outside the literals moved.
    assert.equal(document.getText().slice(document.getText().indexOf('\n)\n')), source.slice(source.indexOf('\n)\n')));
    await closeUntitled(document);
  });

  it('"PepperPy: Get Started" opens the walkthrough', async () => {
    await api();
    await vscode.commands.executeCommand('pepperpy.openWalkthrough');
    const label = await waitFor('the walkthrough tab', () => {
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      return tab && /Welcome|Get started with PepperPy/i.test(tab.label) ? tab.label : undefined;
    });
    assert.ok(label);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
