#!/usr/bin/env node
// UI test in a real VS Code (code-server) driven through headless Chromium, the way a user
// would: open prompt.txt, run "PepperPy: Analyze Prompt" from the command palette, and
// check that the analysis panel shows the same token count as the CLI, that typing in the file
// updates it, and that deleting the text marks the figures as old. It saves a
// screenshot of the panel to .test-work/screenshots/analyze-prompt-panel.png (kept in the repo so
// reviewers can see the panel without running anything).
//
// Needs: `npm run build`. Prints `ui: N passed, N failed`; exits non-zero on failure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, repoRoot, runUiTest, waitFor, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { readyToPaint } from './waits.mjs';

const TAG = 'ui';
const COMMAND_TITLE = 'PepperPy: Analyze Prompt';
const FIXTURE_FILE = 'prompt.txt';
const screenshotPath = path.join(screenshotDir, 'analyze-prompt-panel.png');
const editedShotPath = path.join(screenshotDir, 'analyze-prompt-edited.png');
const staleShotPath = path.join(screenshotDir, 'analyze-prompt-stale.png');

function cliTokenCount(file) {
  const stdout = execFileSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'prompt', 'count', file, '--json'], { encoding: 'utf8' });
  const result = JSON.parse(stdout);
  if (typeof result.count !== 'number') throw new Error(`pepperpy-opt prompt count --json gave no count: ${stdout}`);
  return result.count;
}

async function analyzePromptFromPalette({ page, workspace }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 120_000 });

  // Quick Open: F1 puts ">" in the box for commands; without it the box searches files.
  await pickFromQuickInput(page, FIXTURE_FILE, FIXTURE_FILE);
  await page.locator('.tabs-container .tab.active', { hasText: FIXTURE_FILE }).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 30_000 });

  await pickFromQuickInput(page, `>${COMMAND_TITLE}`, COMMAND_TITLE);

  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const counter = webview.locator('[data-testid="token-count"]');
  const text = await waitFor('the analysis panel to show a token count', async () => {
    const body = await webview.locator('body').innerText({ timeout: 2_000 });
    if (!/tokens/i.test(body)) return undefined;
    return (await counter.count()) > 0 ? body : undefined;
  }, 90_000);
  const shown = (await counter.first().innerText()).trim();
  const displayed = Number(shown.replace(/[~,\s]/g, ''));
  const expected = cliTokenCount(path.join(workspace, FIXTURE_FILE));

  // The screenshot needs the panel's web components upgraded and its fonts loaded.
  await readyToPaint(webview, 'the analysis panel');
  await readyToPaint(page, 'the workbench');
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });

  if (!/tokens/i.test(text)) throw new Error('the panel does not mention "tokens"');
  if (displayed !== expected) throw new Error(`the panel shows ${JSON.stringify(shown)} tokens, the CLI counts ${expected} for ${FIXTURE_FILE}`);
  // The whole-prompt heuristics (wrong on most real prompts) are listed apart, under "Worth checking", not as suggestions:
  // the fixture's one is "No output format stated" (its own "write a short review" says the length).
  const checks = webview.locator('[data-testid="checks"]');
  if ((await checks.count()) !== 1 || !/missingOutputFormat/.test(await checks.innerText())) throw new Error(`"missingOutputFormat" is not under "Worth checking": ${text}`);
  const findings = webview.locator('[data-testid="suggestions"]');
  if ((await findings.count()) > 0 && /missingOutputFormat|missingTask|ambiguousWording/.test(await findings.innerText())) throw new Error(`a heuristic is listed among the suggestions: ${await findings.innerText()}`);
  if (!/Suggestions \(0\)[\s\S]*Worth checking \(1\)/.test(text)) throw new Error(`the panel does not read "Suggestions (0)" then "Worth checking (1)": ${text}`);

  // The panel follows the file: typing in it gives new figures without running the command again.
  const original = fs.readFileSync(path.join(workspace, FIXTURE_FILE), 'utf8');
  const typed = 'Answer in three short sentences.';
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(typed, { delay: 5 });
  const editedFile = path.join(workspace, '..', 'edited-prompt.txt');
  fs.writeFileSync(editedFile, original + typed);
  const expectedEdited = cliTokenCount(editedFile);
  if (expectedEdited === expected) throw new Error('the typed text does not change the count: the check would prove nothing');
  await waitFor(`the panel to show ${expectedEdited} tokens after typing`, async () => Number((await counter.first().innerText()).replace(/[~,\s]/g, '')) === expectedEdited || undefined, 60_000);
  await readyToPaint(webview, 'the edited analysis');
  await page.screenshot({ path: editedShotPath });

  // The whole text deleted: the old figures stay, marked as from before the edit.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  const stale = webview.locator('[data-testid="stale"]');
  await waitFor('the panel to say the file is empty now', async () => ((await stale.count()) > 0 && /empty/i.test(await stale.first().innerText())) || undefined, 60_000);
  await readyToPaint(webview, 'the stale analysis');
  await page.screenshot({ path: staleShotPath });
  // Undo: the panel still follows the file, so the figures come back and the mark goes.
  await page.keyboard.press('Control+Z');
  await waitFor(`the panel to show ${expectedEdited} tokens again after undo`, async () => ((await stale.count()) === 0 && Number((await counter.first().innerText()).replace(/[~,\s]/g, '')) === expectedEdited) || undefined, 60_000);
  return `panel shows ${displayed} tokens, CLI agrees; ${expectedEdited} after typing (CLI agrees); marked stale when the text is deleted, current again after undo`;
}

await runUiTest({
  tag: TAG,
  name: 'ui',
  title: `"${COMMAND_TITLE}" from the command palette shows the token count in a panel`,
  requires: ['dist/extension.js', 'dist/cli.js', 'dist/webview/analysis.js'],
  screenshots: [screenshotPath, editedShotPath, staleShotPath],
  run: analyzePromptFromPalette,
});
