#!/usr/bin/env node
// UI test from the new-user check of session 23 on stackblitz/bolt.new, in a real VS Code
// (code-server) through headless Chromium. bolt.new keeps its system prompt in prompts.ts, which
// imports no provider SDK; the model call is in another file, and package.json lists
// `@ai-sdk/anthropic`. The test copies the real files (test/fixtures/scan/ts/bolt_prompts.ts,
// test/fixtures/project-provider/bolt.new/package.json) into the workspace as bolt/… and checks:
//  - the lens prices getSystemPrompt for Claude (`(claude-sonnet-4-5, default)`: the provider's default, not the global one),
//    with `≥2,890 tokens + runtime values` (js-tiktoken o200k_base on the fixed text: 2,890);
//  - "PepperPy: Analyze Prompt" with the cursor in it leads with the same `≥2,890` and names the
//    runtime values (before: `2,929 · exact`, the `${…}` code counted as prompt text).
// Saves .test-work/screenshots/project-provider-analyze.png. Waits on what the page shows.
//
// Needs: `npm run build`. Prints `ui-project: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, repoRoot, runUiTest, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { readyToPaint, until } from './waits.mjs';

const TAG = 'ui-project';
const SHOT = path.join(screenshotDir, 'project-provider-analyze.png');
const PROMPTS = 'bolt/app/lib/.server/llm/prompts.ts';

async function run({ page }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await pickFromQuickInput(page, PROMPTS, 'prompts.ts');
  await page.locator('.tabs-container .tab.active', { hasText: 'prompts.ts' }).waitFor({ state: 'visible', timeout: 30_000 });

  const lens = page.locator('.codelens-decoration', { hasText: 'tokens' }).first();
  const lensText = await until('the lens above getSystemPrompt', async () => {
    const text = (await lens.innerText({ timeout: 2_000 })).replace(/\s+/g, ' ').trim();
    return text.includes('per call') ? text : undefined;
  }, 120_000);
  if (!/^≥2,890 tokens \+ runtime values · ≥\$0\.0087 per call \(claude-sonnet-4-5, default\) \| Compress \| Optimize$/.test(lensText)) throw new Error(`unexpected lens text: ${JSON.stringify(lensText)}`);

  // The cursor in the prompt (line 6), then Analyze Prompt from the palette.
  const input = page.locator('.quick-input-widget input.input');
  await until('the cursor on line 6', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+g');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(':6:10');
    await page.keyboard.press('Enter');
    return page.locator('.statusbar-item', { hasText: /Ln 6,/ }).first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
  }, 60_000, 500);
  await pickFromQuickInput(page, '>PepperPy: Analyze Prompt', 'Analyze Prompt');
  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const values = webview.locator('[data-testid="runtime-values"]');
  await values.waitFor({ state: 'visible', timeout: 90_000 });
  const shown = (await webview.locator('[data-testid="token-count"]').first().innerText()).trim();
  const named = await values.innerText();
  if (shown !== '≥2,890') throw new Error(`the panel leads with ${JSON.stringify(shown)}, the lens with ≥2,890`);
  for (const must of ['MODIFICATIONS_TAG_NAME', 'cwd']) if (!named.includes(must)) throw new Error(`the panel does not name ${must}: ${named}`);
  const body = await webview.locator('body').innerText();
  if (!body.includes('claude-sonnet-4-5')) throw new Error('the panel does not analyze for claude-sonnet-4-5');
  await readyToPaint(webview, 'the analysis panel');
  await readyToPaint(page, 'the workbench');
  await page.screenshot({ path: SHOT });
  return `lens: ${lensText}; panel: ${shown} tokens for claude-sonnet-4-5, runtime values named`;
}

await runUiTest({
  tag: TAG,
  name: 'ui-project',
  title: 'a prompt module apart from the call is priced with the project\'s provider, and Analyze Prompt leads with the lens count',
  requires: ['dist/extension.js', 'dist/engine.js', 'dist/webview/analysis.js'],
  screenshots: [SHOT],
  prepare: ({ workspace }) => {
    fs.mkdirSync(screenshotDir, { recursive: true });
    const target = path.join(workspace, PROMPTS);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/scan/ts/bolt_prompts.ts'), target);
    fs.copyFileSync(path.join(repoRoot, 'test/fixtures/project-provider/bolt.new/package.json'), path.join(workspace, 'bolt', 'package.json'));
    return {};
  },
  run,
});
