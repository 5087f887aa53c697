#!/usr/bin/env node
// UI test of the Model Optimization panel in a real VS Code (code-server) driven through
// headless Chromium. The history starts with one run as the previous version of the panel
// saved it (a real engine result with the fields added since — warnings, task fidelity, the
// chosen format and its candidates — removed): "PepperPy: Open Model Optimization" must draw
// it, with the warnings its figures call for and its chart. Deleting it brings the empty
// state. Then: type the path of the tiny MLP fixture (copied into the test workspace)
// and inspect it, choose sample inputs with the Browse… dialog, quantize to 8 bits and to 4
// bits (format Automatic) and then to 4 bits with HQQ from the panel's form, and check that the result
// names the provider that ran, shows warnings at the top whenever the run is slower or
// larger than its source, shows the chosen format and the candidates whenever the engine
// reports them, and that the comparison chart is drawn (a canvas with pixels, under the
// panel's strict CSP). Then the automatic figures: Prune starts with its sparsity on
// "Automatic" (the number greyed out, the output named <name>.pruned-auto.onnx); on the tiny
// MLP the engine refuses ('unsupported: …', nothing written) and the panel must show that as
// an error in the engine's words. Compress (low_rank) on the tiny language model with its
// training text starts with the automatic size target and must show every ratio tried with
// its verdict and the one kept. Screenshots: .test-work/screenshots/model-panel.png (result,
// charts, history), .test-work/screenshots/model-panel-format.png (the first result with
// candidates and a warning), model-panel-auto-refused.png (the prune form and its refusal)
// and model-panel-auto.png (the compress form with Automatic checked and the search).
//
// Needs: `npm run build`. Prints `ui: N passed, N failed`; exits non-zero on failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, repoRoot, runUiTest, waitFor, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { canvasDrawn, readyToPaint, scrolledToTop, until } from './waits.mjs';

const TAG = 'ui';
const COMMAND_TITLE = 'PepperPy: Open Model Optimization';
const screenshotPath = path.join(screenshotDir, 'model-panel.png');
const formatShotPath = path.join(screenshotDir, 'model-panel-format.png');
const refusedShotPath = path.join(screenshotDir, 'model-panel-auto-refused.png');
const autoShotPath = path.join(screenshotDir, 'model-panel-auto.png');
const EXTENSION_ID = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  return `${pkg.publisher}.${pkg.name}`;
})();
const OLD_RUN_ID = '20250101000000000-0ld0ld';

/**
 * A history entry as the panel saved it before formats, task fidelity and warnings existed:
 * the real engine quantizes a copy of the model here, and the fields added since are left
 * out of the record (as they were absent from it then).
 */
function oldHistoryEntry(modelPath, outDir) {
  const out = path.join(outDir, 'tiny_mlp.old-q8.onnx');
  const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'model', 'quantize', modelPath, '--device', 'cpu', '--out', out, '--json'], { encoding: 'utf8', timeout: 120_000 });
  if (cli.status !== 0) throw new Error(`the CLI could not quantize ${modelPath} for the old history entry: ${cli.stderr.slice(-800)}`);
  const r = JSON.parse(cli.stdout);
  const figures = {
    originalSize: r.originalSize,
    newSize: r.quantizedSize,
    sizeReductionPercent: r.sizeReductionPercent,
    measuredSpeedup: r.measuredSpeedup,
    referenceMs: r.speed.referenceMs,
    optimizedMs: r.speed.optimizedMs,
    cosineSimilarity: r.fidelity.cosineSimilarity,
    ...(r.fidelity.top1Agreement !== undefined ? { top1Agreement: r.fidelity.top1Agreement } : {}),
    fidelityInputs: r.fidelity.inputs,
    executionProvider: r.executionProvider,
    detail: `${r.format}; ${r.layersQuantized} layer(s) quantized, ${r.layersSkipped} kept; weight error ${r.weightError.toFixed(4)}`,
    notes: r.notes,
  };
  const request = { operation: 'quantize', modelPath, device: 'cpu', quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 };
  return { figures, record: { id: OLD_RUN_ID, operation: 'quantize', label: 'int 8-bit rtn', request, modelPath, outPath: out, status: 'completed', startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1000, device: 'cpu', figures } };
}

async function bodyText(webview) {
  return webview.locator('body').innerText({ timeout: 2_000 });
}

/** Pixels painted on a chart canvas, once Chart.js has drawn it (some pixels, the same count on two frames). */
async function painted(webview, id) {
  return canvasDrawn(webview, `#${id}`, `the chart #${id}`, 1);
}

/**
 * The checks every shown result must pass: a run slower or larger than its source opens with
 * a warning block above the headline, and a larger one is never called a reduction.
 */
/**
 * The product warns when a result runs below SLOWER_BELOW = 0.97 of its source's speed
 * (src/protocol/model.ts: a 3 % band for timing noise). The headline shows two decimals, so
 * a shown 0.96× or less is certainly below 0.97; 0.97–0.99× may fall on either side.
 */
const SLOWER_BELOW = 0.97;
const certainlySlower = (shown) => shown < SLOWER_BELOW - 0.005;

async function checkWarnings(webview, what) {
  const headline = await webview.locator('[data-testid="result-headline"]').innerText({ timeout: 5_000 });
  const speedup = Number(/speedup ([\d.]+)×/.exec(headline)?.[1]);
  if (!Number.isFinite(speedup)) throw new Error(`${what}: no speedup in the headline "${headline}"`);
  const larger = /larger/.test(headline);
  if (/reduced -|reduced \+|reduction.*-/.test(headline)) throw new Error(`${what}: a larger result is shown as a reduction: "${headline}"`);
  const block = webview.locator('[data-testid="result-warnings"]');
  const shown = (await block.count()) > 0;
  if ((certainlySlower(speedup) || larger) && !shown) throw new Error(`${what}: the run is ${certainlySlower(speedup) ? `slower (${speedup}×)` : 'larger'} than its source but no warning is shown`);
  if (!shown) return 'no warnings (faster and smaller than the source)';
  const text = await block.innerText();
  if (certainlySlower(speedup) && !/slower/i.test(text)) throw new Error(`${what}: the warnings do not say the run is slower: ${text}`);
  if (larger && !/larger/i.test(text)) throw new Error(`${what}: the warnings do not say the run is larger: ${text}`);
  const [warnBox, headBox] = await Promise.all([block.boundingBox(), webview.locator('[data-testid="result-headline"]').boundingBox()]);
  if (!warnBox || !headBox || warnBox.y >= headBox.y) throw new Error(`${what}: the warning block is not above the result's headline`);
  const colour = await block.evaluate((node) => getComputedStyle(node).borderTopColor);
  if (!colour || colour === 'rgba(0, 0, 0, 0)') throw new Error(`${what}: the warning block has no border colour`);
  return `warning shown at the top (${text.split('\n').filter(Boolean).length - 1} line(s))`;
}

/** When the engine reported a format choice: the chosen format, its reason, and the candidates with the chosen row marked. */
async function checkFormat(webview, what) {
  const text = await bodyText(webview);
  const choice = webview.locator('[data-testid="chosen-format"]');
  if ((await choice.count()) === 0) {
    if (/Chosen format/.test(text)) throw new Error(`${what}: "Chosen format" is shown outside its block`);
    return 'the engine reported no format choice';
  }
  const line = await choice.innerText();
  if (!/Chosen format\s+(Dynamic int8|Static QDQ|Weight-only|MatMulNBits)/.test(line)) throw new Error(`${what}: the chosen format is not named: "${line}"`);
  const rows = webview.locator('[data-testid="candidates"] tbody tr');
  const n = await rows.count();
  if (n < 1) throw new Error(`${what}: a format was chosen but no candidates are listed`);
  const chosen = await webview.locator('[data-testid="candidates"] tbody tr.chosen').count();
  if (chosen !== 1) throw new Error(`${what}: ${chosen} candidate rows are marked as chosen (expected 1)`);
  const header = await webview.locator('[data-testid="candidates"] thead').innerText();
  for (const h of ['Format', 'Size', 'Speedup', 'Task fidelity', 'Verdict']) if (!header.includes(h)) throw new Error(`${what}: the candidates table has no "${h}" column`);
  return `chosen format "${line.replace(/\s+/g, ' ').slice(0, 60)}…", ${n} candidate(s)`;
}

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
  }, 120_000);
}

/** Scrolls `section` to the top of the panel and photographs the window. */
async function shoot(page, webview, section, file, what) {
  const node = webview.locator(section);
  await node.evaluate((n) => n.scrollIntoView({ block: 'start' }));
  await scrolledToTop(node, what);
  await readyToPaint(webview, 'the Model Optimization panel');
  await readyToPaint(page, 'the workbench');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file });
}

/** An autoNumber field: its "Automatic" checkbox is checked and its number greyed out. */
async function checkAutomatic(webview, key, what) {
  const state = await webview.locator(`#f-${key}-auto`).evaluate((n) => ({ checked: n.checked === true, label: n.getAttribute('label') }));
  const disabled = await webview.locator(`#f-${key}`).evaluate((n) => n.hasAttribute('disabled'));
  if (!state.checked) throw new Error(`${what}: "Automatic" is not checked by default`);
  if (!disabled) throw new Error(`${what}: the number is not greyed out while Automatic is checked`);
  const note = await webview.locator(`[data-testid="f-${key}-note"]`).innerText();
  if (!/keeps the (largest|smallest)/.test(note)) throw new Error(`${what}: the note does not say what Automatic does: "${note}"`);
  return state.label;
}

/**
 * The automatic sparsity (refused on the tiny MLP: at the largest faithful sparsity its zeros
 * are stored dense, so the file would be no smaller) and the automatic low-rank size target
 * (the tiny language model with its training text: a search with one ratio kept).
 */
async function automaticFromPanel({ page, webview, modelPath, lmPath, corpusPath }) {
  const checked = [];
  await choose(webview, 'operation', 'prune');
  await waitFor('the prune form', async () => (await webview.locator('#f-sparsity-auto').count()) > 0, 20_000);
  const pruneLabel = await checkAutomatic(webview, 'sparsity', 'prune');
  const hint = await webview.locator('[data-testid="output-hint"]').innerText();
  if (!hint.includes('tiny_mlp.pruned-auto.onnx')) throw new Error(`the default prune output is not named .pruned-auto.onnx: "${hint}"`);
  // Unchecking Automatic brings the number back (and the output name with it); checking it again greys it out.
  await webview.locator('#f-sparsity-auto').click();
  await waitFor('the sparsity number to be editable', async () => !(await webview.locator('#f-sparsity').evaluate((n) => n.hasAttribute('disabled'))), 10_000);
  const manualHint = await webview.locator('[data-testid="output-hint"]').innerText();
  if (!manualHint.includes('tiny_mlp.pruned30.onnx')) throw new Error(`with Automatic unchecked the output is not tiny_mlp.pruned30.onnx: "${manualHint}"`);
  await webview.locator('#f-sparsity-auto').click();
  await checkAutomatic(webview, 'sparsity', 'prune, checked again');
  await choose(webview, 'device', 'cpu');
  await webview.locator('#run').click();
  const refusal = await waitFor('the automatic prune to be refused', async () => {
    const text = await bodyText(webview);
    return text.includes('Result: prune auto magnitude · tiny_mlp.onnx') && /failed/.test(text) ? text : undefined;
  }, 120_000);
  const headline = webview.locator('[data-testid="result-headline"]');
  const message = await headline.innerText();
  if (!/^unsupported: /.test(message) || !/Nothing was written/.test(message)) throw new Error(`the refusal is not shown in the engine's words: "${message}"`);
  const role = await headline.getAttribute('role');
  const colour = await headline.evaluate((n) => getComputedStyle(n).borderTopColor);
  if (role !== 'alert' || !colour || colour === 'rgba(0, 0, 0, 0)') throw new Error(`the refusal is not drawn as an error (role ${role}, border ${colour})`);
  const way = await webview.locator('[data-testid="refusal-hint"]').innerText();
  if (!/uncheck "Automatic" beside Sparsity/.test(way)) throw new Error(`the refusal does not say how to prune anyway: "${way}"`);
  if (fs.existsSync(path.join(path.dirname(modelPath), 'tiny_mlp.pruned-auto.onnx'))) throw new Error('the refused prune left tiny_mlp.pruned-auto.onnx behind');
  if (!refusal.includes('unsupported:')) throw new Error('the refusal is not in the panel text');
  await shoot(page, webview, 'section[aria-label="Operation"]', refusedShotPath, 'the prune form');
  checked.push(`prune: "${pruneLabel}" checked by default, output .pruned-auto.onnx, refused in the engine's words (${message.slice(0, 90)}…)`);

  // The tiny language model, low-rank with its training text.
  await webview.locator('#model-path input').fill(lmPath);
  await webview.locator('#inspect').click();
  await waitFor('the language model facts', async () => /Model: tiny_lm\.onnx/.test(await bodyText(webview)) && /Parameters/.test(await bodyText(webview)), 60_000);
  await choose(webview, 'operation', 'compress');
  await waitFor('the compress form', async () => (await webview.locator('#f-targetSizeRatio-auto').count()) > 0, 20_000);
  const compressLabel = await checkAutomatic(webview, 'targetSizeRatio', 'compress');
  const errorRow = await webview.locator('#f-targetError').evaluate((n) => n.closest('.field')?.hasAttribute('hidden'));
  if (!errorRow) throw new Error('the target error field is shown while the size target is automatic');
  await webview.locator('#f-trainingData input').fill(corpusPath);
  await choose(webview, 'device', 'cpu');
  await webview.locator('#run').click();
  const result = await waitFor('the automatic low-rank result', async () => {
    const text = await bodyText(webview);
    return /Result: compress low_rank \d+% \(auto\) · tiny_lm\.onnx/.test(text) && /ran on \w+ExecutionProvider/.test(text) ? text : undefined;
  }, 180_000);
  const keptInTitle = /compress low_rank (\d+)% \(auto\)/.exec(result)?.[1];
  const rows = webview.locator('[data-testid="auto-search"] tbody tr');
  const n = await rows.count();
  if (n < 2) throw new Error(`the size target search lists ${n} ratio(s); the engine tries at least two`);
  const kept = webview.locator('[data-testid="auto-search"] tbody tr.chosen');
  if ((await kept.count()) !== 1) throw new Error(`${await kept.count()} ratios are marked as kept (expected 1)`);
  const keptRow = await kept.innerText();
  if (!keptRow.includes(`✓ ${keptInTitle} %`) || !/kept: the smallest size within tolerance/.test(keptRow)) throw new Error(`the kept row does not match the title's ${keptInTitle}%: "${keptRow}"`);
  const header = await webview.locator('[data-testid="auto-search"] thead').innerText();
  for (const h of ['Size ratio', 'Size', 'Task fidelity', 'Verdict']) if (!header.includes(h)) throw new Error(`the search table has no "${h}" column`);
  const verdicts = (await rows.allInnerTexts()).map((t) => (/out of tolerance|within tolerance|skipped/.exec(t) ?? ['?'])[0]);
  const summary = await webview.locator('[data-testid="search-kept"]').innerText();
  if (!summary.startsWith('Automatic size target') || !summary.includes(`Kept ${keptInTitle} %`)) throw new Error(`the search summary does not name the kept ratio: "${summary}"`);
  if (!fs.existsSync(path.join(path.dirname(lmPath), 'tiny_lm.lowrank-auto.onnx'))) throw new Error('tiny_lm.lowrank-auto.onnx was not written beside the model');
  // The form came back from the host with the automatic target still checked.
  await checkAutomatic(webview, 'targetSizeRatio', 'compress after the run');
  await shoot(page, webview, 'section[aria-label="Operation"]', autoShotPath, 'the compress form');
  checked.push(`compress: "${compressLabel}" checked by default, target error hidden; ${n} ratios tried (${verdicts.join(', ')}), ${keptInTitle} % kept and marked`);
  return checked.join('; ');
}

async function quantizeFromPanel({ page, modelPath, inputsPath, old, lmPath, corpusPath }) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ state: 'attached', timeout: 120_000 });
  await pickFromQuickInput(page, `>${COMMAND_TITLE}`, COMMAND_TITLE);

  const webview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const checked = [];

  // The run the previous version saved: drawn from its figures, with the warnings they call for, and charted.
  await waitFor('the old run in the history', async () => /Result: int 8-bit rtn · tiny_mlp\.onnx/.test(await bodyText(webview)), 90_000);
  const oldHistory = await webview.locator('[data-testid="history"]').innerText();
  if (!oldHistory.includes('int 8-bit rtn')) throw new Error('the old run is not in the history table');
  const oldWarnings = await checkWarnings(webview, 'the old run');
  if (old.measuredSpeedup < SLOWER_BELOW && !/warning shown/.test(oldWarnings)) throw new Error('the old run is slower than its source but shows no warning');
  const oldChart = await painted(webview, 'chart-size-fidelity');
  if (oldChart < 500) throw new Error(`the chart of the old run is blank (${oldChart} painted pixels)`);
  if (await webview.locator('[data-testid="candidates"]').count()) throw new Error('the old run, which has no candidates, shows a candidates table');
  checked.push(`old run drawn (${oldWarnings}; chart ${oldChart} px)`);
  await webview.locator('[data-testid="history"] a.link', { hasText: 'Delete' }).first().click();
  await waitFor('the empty state', async () => /No model chosen yet/.test(await bodyText(webview)), 30_000);

  await webview.locator('#model-path input').fill(modelPath);
  await webview.locator('#inspect').click();
  const facts = await waitFor('the model facts', async () => {
    const text = await webview.locator('body').innerText({ timeout: 2_000 });
    return /Parameters/.test(text) && /Opset/.test(text) ? text : undefined;
  }, 60_000);
  if (!/Gemm/.test(facts)) throw new Error('the ops of the model are not listed');

  // The form: a Format select for int quantization (Automatic by default) and sample inputs with a file dialog.
  const format = await webview.locator('#f-format').evaluate((node) => node.value || node.querySelector('vscode-option[selected]')?.getAttribute('value'));
  if (format !== 'auto') throw new Error(`the Format select starts at "${format}", not auto`);
  const formatOptions = await webview.locator('#f-format vscode-option').allInnerTexts();
  for (const label of ['Automatic (fastest faithful)', 'Dynamic int8', 'Static QDQ', 'Weight-only', 'MatMulNBits']) {
    if (!formatOptions.some((o) => o.includes(label))) throw new Error(`the Format select has no "${label}" (${formatOptions.join(', ')})`);
  }
  await webview.locator('#f-inputsPath').locator('xpath=..').locator('vscode-button', { hasText: 'Browse…' }).click();
  const dialog = page.locator('.quick-input-widget');
  await waitFor('the sample-inputs dialog', async () => /sample inputs/i.test(await dialog.innerText({ timeout: 2_000 }).catch(() => '')), 20_000);
  // The simple file dialog fills its box with the folder it opens once that folder is read: type after that.
  await waitFor('the dialog to list the workspace', async () => (await page.locator('.quick-input-list .monaco-list-row').count()) > 0, 20_000);
  const box = page.locator('.quick-input-widget input.input');
  await waitFor('the dialog to put the folder it opened in its box', async () => /[\\/]$/.test(await box.inputValue()), 20_000, 100);
  // Typed, then read back on the next poll: should the dialog still rewrite its box, the path is typed again.
  await waitFor('the path typed into the dialog', async () => {
    if ((await box.inputValue()) === inputsPath) return true;
    await box.fill(inputsPath);
    return false;
  }, 20_000, 250);
  await page.locator('.quick-input-widget a.monaco-button, .quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
  await waitFor('the chosen sample inputs in the form', async () => (await webview.locator('#f-inputsPath').evaluate((node) => node.value)) === inputsPath, 20_000);
  // Back to generated inputs for the runs (the file only proves the dialog and the field).
  await webview.locator('#f-inputsPath input').fill('');
  checked.push('Format select (5 formats, Automatic first), sample inputs chosen with the dialog');

  // 8-bit first (the form's defaults: format Automatic), then 4-bit HQQ, so the chart compares two runs.
  await choose(webview, 'device', 'cpu');
  const first = await runAndWait(webview, 'int 8-bit rtn');
  if (!first.includes('CPUExecutionProvider')) throw new Error('the result does not name CPUExecutionProvider');
  // The format screenshot shows the first run that has both candidates and a warning (else the 8-bit one).
  let formatShot = '';
  let shotHasBoth = false;
  const checkRun = async (what) => {
    const warnings = await checkWarnings(webview, what);
    const format = await checkFormat(webview, what);
    checked.push(`${what}: ${warnings}; ${format}`);
    const both = /warning shown/.test(warnings) && /candidate/.test(format);
    if (formatShot === '' || (both && !shotHasBoth)) {
      shotHasBoth = both;
      const result = webview.locator('section[aria-label="Result"]');
      await result.evaluate((node) => node.scrollIntoView({ block: 'start' }));
      await scrolledToTop(result, 'the result');
      await readyToPaint(webview, 'the Model Optimization panel');
      await readyToPaint(page, 'the workbench');
      fs.mkdirSync(path.dirname(formatShotPath), { recursive: true });
      await page.screenshot({ path: formatShotPath });
      formatShot = `${what}${both ? ', with candidates and a warning' : ' (no run had both candidates and a warning)'}`;
    }
  };
  await checkRun('8-bit');

  // 4-bit round-to-nearest (format Automatic again), then 4-bit HQQ.
  await choose(webview, 'f-bits', '4');
  await runAndWait(webview, 'int 4-bit rtn');
  await checkRun('4-bit rtn');
  await choose(webview, 'f-method', 'hqq');
  await runAndWait(webview, 'int 4-bit hqq');
  await checkRun('4-bit hqq');
  checked.push(`format screenshot: ${formatShot}`);

  const drawn = await painted(webview, 'chart-size-fidelity');
  if (drawn < 500) throw new Error(`the comparison chart is blank (${drawn} painted pixels)`);
  for (const name of ['tiny_mlp.q8.onnx', 'tiny_mlp.q4.onnx', 'tiny_mlp.q4-hqq.onnx']) {
    if (!fs.existsSync(path.join(path.dirname(modelPath), name))) throw new Error(`${name} was not written beside the model`);
  }

  // Show the outputs beside the source in the Explorer, then scroll the result into view so
  // the screenshot shows the run, its figures, the charts and the history.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'models' }).first().click();
  await waitFor('the outputs in the Explorer', async () => (await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tiny_mlp.q4-hqq.onnx' }).count()) > 0, 20_000);
  if (process.env.PEPPERPY_UI_TOP_SHOT) await page.screenshot({ path: process.env.PEPPERPY_UI_TOP_SHOT });
  // A window tall enough for the result (warnings first), the charts and the history, so nothing is cut.
  const span = await webview.locator('section[aria-label="Result"]').evaluate((node) => {
    const last = document.querySelector('section[aria-label="History"]') ?? node;
    return last.getBoundingClientRect().bottom - node.getBoundingClientRect().top;
  });
  const viewport = page.viewportSize();
  const chrome = 900 - (await webview.locator('body').evaluate(() => window.innerHeight));
  const height = Math.min(1800, Math.max(900, Math.ceil(span + chrome + 40)));
  await page.setViewportSize({ width: viewport?.width ?? 1400, height });
  let innerHeight;
  await until(() => `the panel to take the new window height (${height - chrome}px inside, now ${innerHeight}px)`, async () => {
    innerHeight = await webview.locator('body').evaluate(() => window.innerHeight);
    return Math.abs(innerHeight - (height - chrome)) <= 2;
  }, 30_000, 100);
  const resultSection = webview.locator('section[aria-label="Result"]');
  await resultSection.evaluate((node) => node.scrollIntoView({ block: 'start' }));
  await scrolledToTop(resultSection, 'the result');
  await painted(webview, 'chart-size-fidelity');
  await readyToPaint(webview, 'the Model Optimization panel');
  await readyToPaint(page, 'the workbench');
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });
  const automatic = await automaticFromPanel({ page, webview, modelPath, lmPath, corpusPath });
  return `facts shown, three runs (8-bit, 4-bit rtn, 4-bit hqq) on CPUExecutionProvider, chart drawn (${drawn} pixels); ${checked.join('; ')}; ${automatic}`;
}

await runUiTest({
  tag: TAG,
  name: 'ui-model',
  title: `"${COMMAND_TITLE}" inspects a model and quantizes it from the panel, with results, the provider and a chart`,
  requires: ['dist/extension.js', 'dist/engine.js', 'dist/cli.js', 'dist/webview/model.js'],
  screenshots: [screenshotPath, formatShotPath, refusedShotPath, autoShotPath],
  prepare: ({ runDir, workspace }) => {
    const models = path.join(workspace, 'models');
    fs.mkdirSync(models, { recursive: true });
    const modelPath = path.join(models, 'tiny_mlp.onnx');
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', 'tiny_mlp.onnx'), modelPath);
    // The automatic size target needs a model it can factor faithfully: the tiny language model with its text.
    const lmPath = path.join(models, 'tiny_lm.onnx');
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', 'tiny_lm.onnx'), lmPath);
    const corpusPath = path.join(models, 'corpus.txt');
    fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'models', 'corpus.txt'), corpusPath);
    // Sample inputs for the dialog: one batch for the model's input x [batch, 64].
    const inputsPath = path.join(models, 'tiny_mlp.inputs.json');
    fs.writeFileSync(inputsPath, JSON.stringify({ x: { dims: [1, 64], type: 'float32', data: Array.from({ length: 64 }, (_, i) => Math.sin(i / 5)) } }));
    // The history of the previous version, where the extension keeps it (its globalStorage).
    const old = oldHistoryEntry(modelPath, runDir);
    const storage = path.join(runDir, 'user-data', 'User', 'globalStorage', EXTENSION_ID);
    fs.mkdirSync(storage, { recursive: true });
    fs.writeFileSync(path.join(storage, 'model-runs.json'), `${JSON.stringify({ version: 1, runs: [old.record] }, null, 1)}\n`);
    return { modelPath, inputsPath, old: old.figures, lmPath, corpusPath };
  },
  run: quantizeFromPanel,
});
