#!/usr/bin/env node
// UI test of the getting-started walkthrough, in a real VS Code (code-server) through
// headless Chromium: "PepperPy: Get Started" opens it in the Welcome page with its six steps;
// the first step's button opens the sample app, whose system prompt gets its token lens.
// Saves .test-work/screenshots/walkthrough.png. Waits on what the page shows, never on the
// clock.
//
// Needs: `npm run build`. Prints `ui-walkthrough: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, runUiTest, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { readyToPaint, until } from './waits.mjs';

const TAG = 'ui-walkthrough';
const SHOT = path.join(screenshotDir, 'walkthrough.png');
const STEPS = ['See what a prompt costs', 'Compress it', 'Estimate a workload', 'Start the monitor', 'Optimize a RAG pipeline', 'Quantize a model'];

async function run({ page }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await pickFromQuickInput(page, '>PepperPy: Get Started', 'PepperPy: Get Started');
  const container = page.locator('.gettingStartedContainer');
  await container.locator('text=Get started with PepperPy Optimization').first().waitFor({ state: 'visible', timeout: 60_000 });
  const titles = await until('the six step titles', async () => {
    const seen = (await container.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    return STEPS.every((s) => seen.includes(s)) ? seen : undefined;
  });
  // The first step is open: its page (Markdown media, rendered in a webview) and its button.
  const button = container.locator('.monaco-button, a', { hasText: 'Open a sample app' }).first();
  await button.waitFor({ state: 'visible', timeout: 30_000 });
  // The step's page is Markdown rendered in a webview beside the steps: wait for its title.
  const media = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await media.locator('h1', { hasText: 'See what a prompt costs' }).waitFor({ state: 'visible', timeout: 60_000 });
  await readyToPaint(page, 'the walkthrough');
  await page.screenshot({ path: SHOT });

  await button.click();
  const lens = page.locator('.codelens-decoration', { hasText: 'per call (gpt-5.4)' }).first();
  await lens.waitFor({ state: 'visible', timeout: 90_000 });
  const lensText = (await lens.innerText()).replace(/\s+/g, ' ').trim();
  if (!/^\d+ tokens · \$[0-9.]+ per call \(gpt-5\.4\) \| Compress \| Optimize$/.test(lensText)) throw new Error(`unexpected lens text on the sample: ${JSON.stringify(lensText)}`);
  return `${titles.length} steps (${STEPS.join(' → ')}); the first step's button opened the sample, lens "${lensText}"`;
}

await runUiTest({
  tag: TAG,
  name: TAG,
  title: 'the getting-started walkthrough: six steps, and the first one opens the priced sample',
  requires: ['dist/extension.js', 'dist/engine.js'],
  screenshots: [SHOT],
  prepare: () => {
    fs.mkdirSync(screenshotDir, { recursive: true });
    return {};
  },
  run,
});
