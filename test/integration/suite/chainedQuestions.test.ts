// The cost commands' questions (src/extension/common/chainedQuestions.ts) in a real VS Code: answers, validation,
// Escape, and a question that follows another replacing its box (the box of an answered question stays open until the
// next one shows: closing it handed the keyboard back to a focused webview, newuser37). Driven with VS Code's own
// quick input commands, as a user's Enter and Escape.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { windowEstimateUi } from '../../../src/extension/cost/estimateStart';
import { waitFor } from '../helpers';

const accept = () => vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
const escape = () => vscode.commands.executeCommand('workbench.action.closeQuickOpen');
/** Lets the box show (the extension host tells the workbench asynchronously). */
const shown = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('cost questions asked one after another', function () {
  this.timeout(60_000);

  it('answers a pick and then text questions in turn, each with its prefilled value', async () => {
    const ui = windowEstimateUi;
    const first = ui.pickModel(['gpt-5.4', 'gpt-4o-mini'], { title: 'Chain', placeHolder: 'Model to price', ignoreFocusOut: true });
    await shown();
    await accept();
    assert.equal(await first, 'gpt-5.4');
    const answers: Array<string | undefined> = [];
    for (const value of ['2000', '400', '30']) {
      const asked = ui.askText({ title: 'Chain', prompt: `value ${value}`, value, ignoreFocusOut: true });
      await shown();
      await accept();
      answers.push(await asked);
    }
    assert.deepEqual(answers, ['2000', '400', '30']);
  });

  it('Enter on a value that fails validation answers nothing; Escape answers undefined', async () => {
    let checked = 0;
    const asked = windowEstimateUi.askText({
      title: 'Chain',
      prompt: 'A number',
      value: 'twelve',
      ignoreFocusOut: true,
      validateInput: (text) => {
        checked++;
        return Number.isFinite(Number(text)) ? undefined : 'Enter a number.';
      },
    });
    let settled = false;
    void asked.then(() => (settled = true));
    await shown();
    await accept();
    await waitFor('the value to be checked on Enter', () => checked >= 2);
    await shown();
    assert.equal(settled, false, 'an invalid value was taken');
    await escape();
    assert.equal(await asked, undefined);
  });

  it('Escape on the second question ends the chain with undefined, and the next command starts afresh', async () => {
    const first = windowEstimateUi.askText({ title: 'Chain', prompt: 'first', value: '1', ignoreFocusOut: true });
    await shown();
    await accept();
    assert.equal(await first, '1');
    const second = windowEstimateUi.askText({ title: 'Chain', prompt: 'second', value: '2', ignoreFocusOut: true });
    await shown();
    await escape();
    assert.equal(await second, undefined);
    const again = windowEstimateUi.askText({ title: 'Chain', prompt: 'again', value: '3', ignoreFocusOut: true });
    await shown();
    await accept();
    assert.equal(await again, '3');
  });

  it('a validation that throws says so in the box and takes no answer; Escape still ends it (break37)', async () => {
    const asked = windowEstimateUi.askText({
      title: 'Chain',
      prompt: 'A number',
      value: '5',
      ignoreFocusOut: true,
      validateInput: () => {
        throw new Error('no rules loaded');
      },
    });
    let settled = false;
    void asked.then(() => (settled = true));
    await shown();
    await accept();
    await shown();
    assert.equal(settled, false, 'a value whose check threw was taken');
    await escape();
    assert.equal(await asked, undefined);
  });
});
