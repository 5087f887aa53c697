// Helpers shared by the integration suites that run inside the VS Code extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PepperpyApi } from '../../src/extension/api';
import type { PanelHost } from '../../src/extension/panels/panelHost';

export const EXTENSION_ID = 'pepperpy.pepperpy-optimization';

/** Activates the extension (once) and returns what `activate` returned. */
export async function api(): Promise<PepperpyApi> {
  const extension = vscode.extensions.getExtension<PepperpyApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this host`);
  return extension.activate();
}

/** Polls `probe` (sync or async) until it returns a truthy value; fails with `what` after the time-out. */
export async function waitFor<T>(what: string | (() => string), probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until the panel's last render (the text the webview reported) satisfies `predicate`. */
export function waitForRender(host: PanelHost, predicate: (summary: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    () => `the panel to show ${what} (last render: ${JSON.stringify(host.lastRenderSummary?.slice(0, 800))})`,
    () => {
      const summary = host.lastRenderSummary;
      return summary !== undefined && predicate(summary) ? summary : undefined;
    },
    timeoutMs,
  );
}

/** Resolves with the next render that satisfies `predicate` (renders before the call do not count). */
export function nextRender(host: PanelHost, predicate: (summary: string) => boolean, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the panel did not render the expected content; last render: ${JSON.stringify(host.lastRenderSummary)}`));
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
