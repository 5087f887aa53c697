#!/usr/bin/env node
// UI test of the Benchmark panel in a real VS Code (code-server) through headless
// Chromium, as a user drives it: open rag/rag_pipeline.json, run "PepperPy: Optimize RAG
// Pipeline" from the command palette (the report opens, the panel shows before/after),
// then press Run in the panel for a pipeline benchmark at three concurrency levels. Saves
// .test-work/screenshots/benchmark-panel.png with the charts, figures and history on screen.
//
// Needs: `npm run build`. Prints `ui-benchmark: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, runUiTest, waitFor, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { canvasDrawn, readyToPaint } from './waits.mjs';

const TAG = 'ui-benchmark';
const CONFIG = 'rag_pipeline.json';
const screenshotPath = path.join(screenshotDir, 'benchmark-panel.png');

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
  await waitFor('the report preview to close', async () => (await page.locator('.tabs-container .tab', { hasText: 'optimization-report' }).count()) === 0, 30_000);

  // Show the pipeline benchmark: it has all three charts.
  frame = await waitFor('the panel frame', () => panelFrame(page), 30_000);
  await frame.locator('a.link', { hasText: 'Pipeline benchmark' }).first().click();
  const text = await waitFor('the pipeline run to be selected', async () => {
    const t = await panelText(page);
    return /Throughput against concurrency/.test(t) ? t : undefined;
  }, 30_000, 500);

  // The screenshot needs the three charts drawn, the web components upgraded and the fonts loaded.
  const charts = await frame.locator('canvas').count();
  if (charts < 3) throw new Error(`the pipeline run shows ${charts} chart canvas(es), not 3`);
  const pixels = [];
  for (let i = 0; i < charts; i++) pixels.push(await canvasDrawn(frame, `canvas >> nth=${i}`, `chart ${i + 1} of ${charts}`));
  await readyToPaint(frame, 'the Benchmark panel');
  await readyToPaint(page, 'the workbench');
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });

  for (const want of ['Latency distribution', 'Throughput against concurrency', 'Time per component', 'Figures', 'Export CSV']) {
    if (!text.includes(want)) throw new Error(`the panel does not show "${want}"`);
  }
  const headline = /latency [\d.]+ → [\d.]+ ms[^\n]*/.exec(optimized)?.[0];
  return `optimize: ${headline}; pipeline benchmark drawn with ${charts} charts (${pixels.join(', ')} painted pixels)`;
}

await runUiTest({
  tag: TAG,
  name: 'ui-benchmark',
  title: '"Optimize RAG Pipeline" and a panel-launched benchmark show charts, figures and history',
  requires: ['dist/extension.js', 'dist/webview/benchmark.js'],
  screenshots: [screenshotPath],
  run: optimizeAndBenchmark,
});
