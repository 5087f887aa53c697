#!/usr/bin/env node
// UI test of the Benchmark panel in a real VS Code (code-server) through headless
// Chromium, as a user drives it: open rag/rag_pipeline.json, run "PepperPy: Optimize RAG
// Pipeline" from the command palette (the report opens, the panel shows before/after),
// then press Run in the panel for a pipeline benchmark at three concurrency levels. Saves
// docs/images/benchmark-panel.png with the charts, figures and history on screen.
//
// Needs: `npm run build`. Prints `ui-benchmark: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  cleanupOnSignal, copyWorkspace, freshRunDir, launchBrowser, log, repoRoot, requireBuilt, startCodeServer, tail, waitFor, workbenchUrl,
} from '../../scripts/vscode-harness.mjs';

const TAG = 'ui-benchmark';
const CONFIG = 'rag_pipeline.json';
const screenshotPath = path.join(repoRoot, 'docs', 'images', 'benchmark-panel.png');
const overallTimeoutMs = Number(process.env.PEPPERPY_UI_TEST_TIMEOUT_MS ?? 300_000);

/** Opens the quick input with F1, types `text`, and presses Enter on the row with `rowText`. */
async function pickFromQuickInput(page, text, rowText, timeoutMs = 90_000) {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  await waitFor(`"${rowText}" in the quick input`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(text);
    try {
      await row.waitFor({ state: 'visible', timeout: 5_000 });
      return true;
    } catch {
      return false;
    }
  }, timeoutMs, 500);
  await page.keyboard.press('Enter');
}

/** The Benchmark panel's frame (the Markdown preview is a webview too). */
async function panelFrame(page) {
  for (const frame of page.frames()) {
    try {
      const text = await frame.locator('body').innerText({ timeout: 500 });
      if (text.includes('Benchmarks') && text.includes('New run')) return frame;
    } catch {
      // Not ready, or not a document we can read.
    }
  }
  return undefined;
}

async function panelText(page) {
  const frame = await panelFrame(page);
  return frame ? frame.locator('body').innerText({ timeout: 2_000 }) : '';
}

async function optimizeAndBenchmark({ page }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 120_000 });

  // A pipeline benchmark launched from the panel's form (its default: rag/rag_pipeline.json
  // at concurrency 1, 2 and 4).
  await pickFromQuickInput(page, '>PepperPy: Open Benchmarks', 'Open Benchmarks');
  let frame = await waitFor('the panel frame', () => panelFrame(page), 60_000);
  await waitFor('the form to find the workspace config', async () => (await frame.locator('#f-configPath').getAttribute('value')) === `rag/${CONFIG}`, 30_000);
  await frame.locator('#run').click();
  await waitFor('the pipeline benchmark to finish', async () => /History \(1 run\)/.test(await panelText(page)), 120_000, 500);

  // "Optimize RAG Pipeline" on the config in the active editor.
  await pickFromQuickInput(page, `rag/${CONFIG}`, CONFIG);
  await page.locator('.tabs-container .tab.active', { hasText: CONFIG }).waitFor({ state: 'visible', timeout: 30_000 });
  await pickFromQuickInput(page, '>PepperPy: Optimize RAG Pipeline', 'Optimize RAG Pipeline');
  const optimized = await waitFor('the panel to show the optimize run', async () => {
    const text = await panelText(page);
    return /History \(2 runs\)/.test(text) && /latency [\d.]+ → [\d.]+ ms/.test(text) ? text : undefined;
  }, 120_000, 500);

  // The report opened in the first group; close that group so the panel has the width.
  await waitFor('the report preview', async () => (await page.locator('.tabs-container .tab', { hasText: 'optimization-report' }).count()) > 0, 30_000);
  await page.locator('.tabs-container .tab', { hasText: 'optimization-report' }).first().click();
  await pickFromQuickInput(page, '>View: Close All Editors in Group', 'Close All Editors in Group');
  await delay(1_000);

  // Show the pipeline benchmark: it has all three charts.
  frame = await waitFor('the panel frame', () => panelFrame(page), 30_000);
  await frame.locator('a.link', { hasText: 'Pipeline benchmark' }).first().click();
  const text = await waitFor('the pipeline run to be selected', async () => {
    const t = await panelText(page);
    return /Throughput against concurrency/.test(t) ? t : undefined;
  }, 30_000, 500);

  // Web components and charts need a moment to paint before the screenshot.
  await delay(1_500);
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });

  for (const want of ['Latency distribution', 'Throughput against concurrency', 'Time per component', 'Figures', 'Export CSV']) {
    if (!text.includes(want)) throw new Error(`the panel does not show "${want}"`);
  }
  const headline = /latency [\d.]+ → [\d.]+ ms[^\n]*/.exec(optimized)?.[0];
  return `optimize: ${headline}; pipeline benchmark drawn with 3 charts`;
}

async function main() {
  requireBuilt(['dist/extension.js', 'dist/webview/benchmark.js']);
  const runDir = freshRunDir('ui-benchmark');
  const workspace = copyWorkspace(runDir);
  const started = Date.now();
  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close();
    await server?.stop();
  };
  cleanupOnSignal(cleanup);

  const results = [];
  try {
    server = await startCodeServer({ runDir });
    log(TAG, `code-server up at ${server.base} (log: ${path.relative(repoRoot, server.logFile)})`);
    browser = await launchBrowser(runDir);
    await browser.page.goto(workbenchUrl(server.base, { folder: workspace, extensionDevelopmentPath: repoRoot }), { waitUntil: 'domcontentloaded' });

    const title = '"Optimize RAG Pipeline" and a panel-launched benchmark show charts, figures and history';
    const testStarted = Date.now();
    let timer;
    try {
      const detail = await Promise.race([
        optimizeAndBenchmark({ page: browser.page }),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${overallTimeoutMs / 1000}s`)), overallTimeoutMs); }),
      ]);
      results.push({ title, ok: true, detail, ms: Date.now() - testStarted });
    } catch (err) {
      const failureShot = path.join(runDir, 'failure.png');
      await browser.page.screenshot({ path: failureShot }).catch(() => undefined);
      results.push({ title, ok: false, detail: `${err instanceof Error ? err.message : String(err)} (screenshot: ${path.relative(repoRoot, failureShot)})`, ms: Date.now() - testStarted });
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    results.push({ title: 'start code-server and the browser', ok: false, detail: err instanceof Error ? err.message : String(err) });
  } finally {
    await cleanup();
  }

  for (const r of results) {
    process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}\n         ${r.detail}\n`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed > 0) {
    process.stdout.write(`\n--- code-server log (tail) ---\n${tail(path.join(runDir, 'code-server.log'))}\n`);
    process.stdout.write(`--- browser console: ${path.relative(repoRoot, path.join(runDir, 'browser.log'))}\n\n`);
  } else {
    process.stdout.write(`  screenshot: ${path.relative(repoRoot, screenshotPath)}\n`);
  }
  process.stderr.write(`[${TAG}] finished in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  process.stdout.write(`${TAG}: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`[${TAG}] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.stdout.write(`${TAG}: 0 passed, 1 failed\n`);
  process.exit(1);
});
