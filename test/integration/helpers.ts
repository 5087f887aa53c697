// Helpers shared by the integration suites that run inside the VS Code extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PepperpyApi } from '../../src/extension/api';
import type { PanelHost } from '../../src/extension/common/panelHost';

export const EXTENSION_ID = 'pepperpy.pepperpy-optimization';

/** Activates the extension (once) and returns what `activate` returned. */
export async function api(): Promise<PepperpyApi> {
  const extension = vscode.extensions.getExtension<PepperpyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/**
 * Polls `probe` (sync or async) until it returns a truthy value; fails with `what` after the
 * time-out. For a state nothing announces; when an event announces it, use waitForEvent.
 */
export async function waitFor<T>(what: string | (() => string), probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Anything with VS Code's event shape: `vscode.Event`, `EngineClient.onDidChangeState`, `PanelHost.onDidRender`. */
export type EventLike<E> = (listener: (e: E) => unknown) => { dispose(): unknown };

/**
 * Waits on events, not on time: resolves with `probe()` as soon as it is truthy — checked
 * now and again each time one of `events` fires — and fails after the deadline naming `what`
 * (and, when given, the last state `describe` reports).
 */
export function waitForEvent<T>(
  what: string,
  events: EventLike<unknown> | Array<EventLike<unknown>>,
  probe: () => T | undefined | false,
  options: { timeoutMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise<T>((resolve, reject) => {
    const subscriptions: Array<{ dispose(): unknown }> = [];
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${options.describe ? ` (${options.describe()})` : ''}`))), timeoutMs);
    const check = () => {
      try {
        const value = probe();
        if (value) settle(() => resolve(value));
      } catch (error) {
        settle(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    };
    for (const event of Array.isArray(events) ? events : [events]) subscriptions.push(event(check));
    check();
  });
}

/** Resolves with `promise`, or fails after the deadline naming what it stood for. */
export function withDeadline<T>(promise: Promise<T>, what: string, timeoutMs = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Waits until the panel's last render (the text the webview reported) satisfies `predicate`. */
export function waitForRender(host: PanelHost, predicate: (summary: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  return waitForEvent(
    `the panel to show ${what}`,
    host.onDidRender,
    () => {
      const summary = host.lastRenderSummary;
      return summary !== undefined && predicate(summary) ? summary : undefined;
    },
    { timeoutMs, describe: () => `last render: ${JSON.stringify(host.lastRenderSummary?.slice(0, 800))}` },
  );
}

/** Resolves with the next render that satisfies `predicate` (renders before the call do not count). */
export function nextRender(host: PanelHost, predicate: (summary: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs / 1000}s waiting for the panel to render the expected content; last render: ${JSON.stringify(host.lastRenderSummary)}`));
    }, timeoutMs);
    const sub = host.onDidRender((summary) => {
      if (predicate(summary)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(summary);
      }
    });
  });
}

/**
 * Puts the fixture back as it was and closes every editor. code-server saves edits after a second
 * (its web default for files.autoSave is afterDelay), so "revert" is not enough: the original text is
 * written back through the editor and saved.
 */
export async function restoreDocument(document: vscode.TextDocument, original: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  if (document.getText() !== original) await editor.edit((e) => e.replace(new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original));
  if (document.isDirty) await document.save();
  assert.equal(document.getText(), original);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Opens a new untitled document holding exactly `content`. code-server reuses an untitled name
 * ("Untitled-1") as soon as its editor closes, and for a moment can hand back the closing
 * document's model under that name (CI, session 25: a test analyzed the previous test's text).
 * So the text is checked, and a document that is not ours is waited out.
 */
export async function openUntitled(content: string, language = 'plaintext', column = vscode.ViewColumn.One): Promise<vscode.TextEditor> {
  let seen = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const document = await vscode.workspace.openTextDocument({ content, language });
    if (document.getText() === content) {
      const editor = await vscode.window.showTextDocument(document, column);
      await waitFor('the new document to be the active editor', () => vscode.window.activeTextEditor?.document === document);
      return editor;
    }
    seen = document.getText();
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`openTextDocument kept returning another document's text: ${JSON.stringify(seen.slice(0, 200))}`);
}

/** Reverts and closes an untitled (or any) document's editor, and waits until VS Code has closed the document. */
export async function closeUntitled(document: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  await waitFor(`${document.uri.toString()} to be closed`, () => !vscode.window.visibleTextEditors.some((e) => e.document === document) && (document.isClosed || !document.isUntitled));
}

/**
 * Runs "PepperPy: Estimate Cost…" at the current selection with its questions answered as a user who accepts every
 * prefilled value (the first model offered, each text as offered): what each text question asked and offered, in order.
 */
export async function estimateQuestions(a: PepperpyApi): Promise<Array<{ prompt?: string; value?: string }>> {
  const ui = a.cost.estimateUi;
  const saved = { ...ui };
  const asked: Array<{ prompt?: string; value?: string }> = [];
  ui.pickModel = (models) => Promise.resolve(models[0]);
  ui.askText = (options) => {
    asked.push({ ...(options.prompt !== undefined ? { prompt: options.prompt } : {}), ...(options.value !== undefined ? { value: options.value } : {}) });
    return Promise.resolve(options.value);
  };
  try {
    await vscode.commands.executeCommand('pepperpy.cost.estimate');
  } finally {
    Object.assign(ui, saved);
  }
  return asked;
}
