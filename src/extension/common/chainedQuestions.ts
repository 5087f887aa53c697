/**
 * Questions asked one after another (Estimate Cost…: model, input tokens, output tokens, queries, days) that keep the
 * keyboard in the question box. With `showQuickPick`/`showInputBox`, each answered question hides its box, VS Code
 * hands focus back to what had it before (a webview: the Cost Dashboard), and that webview takes it again just after
 * the next box opens: from the second question on, typing went into the dashboard and Enter did nothing (newuser37;
 * the same race as microsoft/vscode#93950). Here an answered box stays open until the next question replaces it, and
 * is only closed when no question follows.
 */
import * as vscode from 'vscode';

type Validate = (value: string) => ReturnType<NonNullable<vscode.InputBoxOptions['validateInput']>> | undefined;

export class ChainedQuestions {
  /** The box of the last question answered, open until the next question replaces it. */
  private previous: vscode.QuickInput | undefined;
  private closing: ReturnType<typeof setTimeout> | undefined;

  /** A pick of strings, as `showQuickPick(items, options)` (one item, no multi-select). */
  pick(items: readonly string[], options: vscode.QuickPickOptions = {}): Promise<string | undefined> {
    const box = vscode.window.createQuickPick();
    box.title = options.title;
    box.placeholder = options.placeHolder;
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    box.matchOnDescription = options.matchOnDescription ?? false;
    box.items = items.map((label) => ({ label }));
    return this.ask(box, () => box.selectedItems[0]?.label ?? box.activeItems[0]?.label);
  }

  /** A line of text, as `showInputBox(options)`: `validateInput` is checked as the text changes and again on Enter. */
  text(options: vscode.InputBoxOptions = {}): Promise<string | undefined> {
    const box = vscode.window.createInputBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.value = options.value ?? '';
    if (options.valueSelection) box.valueSelection = options.valueSelection;
    box.password = options.password ?? false;
    box.ignoreFocusOut = options.ignoreFocusOut ?? false;
    let checked = 0;
    const check = async (value: string): Promise<boolean> => {
      if (!options.validateInput) return true;
      const mine = ++checked;
      const message = await validationText((text) => options.validateInput?.(text), value);
      if (mine === checked) box.validationMessage = message;
      return message === undefined;
    };
    box.onDidChangeValue((value) => void check(value));
    void check(box.value);
    return this.ask(box, () => box.value, check);
  }

  private ask(box: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, answer: () => string | undefined, accept?: (value: string) => Promise<boolean>): Promise<string | undefined> {
    return new Promise<string | undefined>((resolve) => {
      let settled = false;
      const settle = (value: string | undefined): void => {
        if (settled) return;
        settled = true;
        resolve(value);
      };
      box.onDidAccept(async () => {
        const value = answer();
        if (value === undefined || settled) return;
        if (accept && !(await accept(value))) return;
        settle(value);
        // Open until the next question replaces it; closed when none follows at once.
        this.previous = box;
        this.closing = setTimeout(() => {
          if (this.previous === box) this.previous = undefined;
          box.dispose();
        }, 0);
      });
      // Escape, or a click elsewhere without ignoreFocusOut (or the next question replacing it: by then it is settled).
      box.onDidHide(() => {
        settle(undefined);
        if (this.previous !== box) box.dispose();
      });
      // The next box first, then the previous one goes: VS Code replaces one quick input by another without handing focus back.
      box.show();
      this.releasePrevious();
    });
  }

  private releasePrevious(): void {
    if (this.closing !== undefined) clearTimeout(this.closing);
    this.closing = undefined;
    this.previous?.dispose();
    this.previous = undefined;
  }
}

/** `validateInput`'s answer as text: undefined when the value is fine; a check that throws says so (Enter did nothing, break37). */
async function validationText(validate: Validate, value: string): Promise<string | undefined> {
  let result: Awaited<ReturnType<Validate>>;
  try {
    result = await validate(value);
  } catch (error) {
    return vscode.l10n.t('Cannot check this value: {0}', error instanceof Error ? error.message : String(error));
  }
  if (result === undefined || result === null) return undefined;
  return typeof result === 'string' ? (result === '' ? undefined : result) : result.message;
}
