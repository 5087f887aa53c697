#!/usr/bin/env node
// UI test of the Model Optimization panel in a real VS Code (code-server) driven through
// headless Chromium: run "PepperPy: Open Model Optimization" from the command palette
// (the empty state says what to do), type the path of the tiny MLP fixture (copied into
// the test workspace) and inspect it, quantize it to 8 bits and then to 4 bits with HQQ
// from the panel's form, check that the result names the provider that ran and that the
// comparison chart is drawn (a canvas with pixels, under the panel's strict CSP), and save
// a screenshot to docs/images/model-panel.png.
//
// Needs: `npm run build`. Prints `ui: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pickFromQuickInput, repoRoot, runUiTest, waitFor } from '../../scripts/vscode-harness.mjs';

const TAG = 'ui';
const COMMAND_TITLE = 'PepperPy: Open Model Optimization';
const screenshotPath = path.join(repoRoot, 'docs', 'images', 'model-panel.png');

/** Sets a vscode-single-select's value the way a pick does (value, then a change event). */
async function choose(webview, id, value) {
  await webview.locator(`#${id}`).evaluate((node, v) => {
    node.value = v;
    node.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

async function runAndWait(webview, expectedLabel) {
  await webview.locator('#run').click();
  return waitFor(`the result of ${expectedLabel}`, async () => {
    const text = await webview.locator('body').innerText({ timeout: 2_000 });
    return text.includes(`Result: ${expectedLabel}`) && /ran on \w+ExecutionProvider/.test(text) ? text : undefined;
  }, 90_000);
}

async function quantizeFromPanel({ page, modelPath }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 120_000 });
  await pickFromQuickInput(page, `>${COMMAND_TITLE}`, COMMAND_TITLE);

  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await waitFor('the empty state', async () => /No model chosen yet/.test(await webview.locator('body').innerText({ timeout: 2_000 })), 90_000);

  await webview.locator('#model-path input').fill(modelPath);
  await webview.locator('#inspect').click();
  const facts = await waitFor('the model facts', async () => {
    const text = await webview.locator('body').innerText({ timeout: 2_000 });
    return /Parameters/.test(text) && /Opset/.test(text) ? text : undefined;
  }, 60_000);
  if (!/Gemm/.test(facts)) throw new Error('the ops of the model are not listed');

  // 8-bit first (the form's defaults), then 4-bit HQQ, so the chart compares two runs.
  await choose(webview, 'device', 'cpu');
  const first = await runAndWait(webview, 'int 8-bit rtn');
  if (!first.includes('CPUExecutionProvider')) throw new Error('the result does not name CPUExecutionProvider');
  await choose(webview, 'f-bits', '4');
  await choose(webview, 'f-method', 'hqq');
  await runAndWait(webview, 'int 4-bit hqq');

  const drawn = await webview.locator('#chart-size-fidelity').evaluate((canvas) => {
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    if (!ctx || width === 0 || height === 0) return 0;
    const data = ctx.getImageData(0, 0, width, height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return painted;
  });
  if (drawn < 500) throw new Error(`the comparison chart is blank (${drawn} painted pixels)`);
  for (const name of ['tiny_mlp.q8.onnx', 'tiny_mlp.q4-hqq.onnx']) {
    if (!fs.existsSync(path.join(path.dirname(modelPath), name))) throw new Error(`${name} was not written beside the model`);
  }

  // Show the outputs beside the source in the Explorer, then scroll the result into view so
  // the screenshot shows the run, its figures, the charts and the history.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'models' }).first().click();
  await waitFor('the outputs in the Explorer', async () => (await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tiny_mlp.q4-hqq.onnx' }).count()) > 0, 20_000);
  if (process.env.PEPPERPY_UI_TOP_SHOT) await page.screenshot({ path: process.env.PEPPERPY_UI_TOP_SHOT });
  await webview.locator('section[aria-label="Result"]').evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await delay(750);
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });
  return `facts shown, two runs (8-bit, 4-bit hqq) on CPUExecutionProvider, chart drawn (${drawn} pixels)`;
}

await runUiTest({
  tag: TAG,
  name: 'ui-model',
  title: `"${COMMAND_TITLE}" inspects a model and quantizes it from the panel, with results, the provider and a chart`,
  requires: ['dist/extension.js', 'dist/engine.js', 'dist/webview/model.js'],
  screenshots: [screenshotPath],
  prepare: ({ workspace }) => {
    const models = path.join(workspace, 'models');
    fs.mkdirSync(models, { recursive: true });
    const modelPath = path.join(models, 'tiny_mlp.onnx');
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', 'tiny_mlp.onnx'), modelPath);
    return { modelPath };
  },
  run: quantizeFromPanel,
});
