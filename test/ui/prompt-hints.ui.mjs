#!/usr/bin/env node
// UI test of the inline prompt hints in a real VS Code (code-server) through headless
// Chromium, as a user sees them: code lenses above the prompts of a Python file, the hover
// on a prompt (tokens, cost per call, compared models), and a diagnostic on a filler word.
// Saves docs/images/prompt-lenses.png, prompt-hover.png and prompt-diagnostic.png.
//
// Needs: `npm run build`. Prints `ui-hints: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  cleanupOnSignal, copyWorkspace, freshRunDir, launchBrowser, log, repoRoot, requireBuilt, startCodeServer, tail, workbenchUrl,
} from '../../scripts/vscode-harness.mjs';

const TAG = 'ui-hints';
const FIXTURE = 'assistant.py';
const images = path.join(repoRoot, 'docs', 'images');
const overallTimeoutMs = Number(process.env.PEPPERPY_UI_TEST_TIMEOUT_MS ?? 300_000);

async function waitFor(what, probe, timeoutMs = 60_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError.message.split('\n')[0]})` : ''}`);
    await delay(intervalMs);
  }
}

async function quickOpen(page, text, rowText) {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  await waitFor(`"${rowText}" in quick open`, async () => {
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
  }, 90_000, 500);
  await page.keyboard.press('Enter');
}

/** The centre of the first occurrence of `needle` in the editor's rendered lines. */
async function textPoint(page, needle) {
  return page.evaluate((n) => {
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
      // Monaco splits a line into several spans (tokens, decorations): search the joined
      // text, then map the match back onto the text nodes it spans.
      const nodes = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
      const text = nodes.map((t) => (t.textContent ?? '').replace(/\u00a0/g, ' ')).join('');
      const at = text.indexOf(n);
      if (at < 0) continue;
      const locate = (offset) => {
        let seen = 0;
        for (const t of nodes) {
          const len = (t.textContent ?? '').length;
          if (offset <= seen + len) return [t, offset - seen];
          seen += len;
        }
        return [nodes[nodes.length - 1], (nodes[nodes.length - 1].textContent ?? '').length];
      };
      const range = document.createRange();
      range.setStart(...locate(at));
      range.setEnd(...locate(at + n.length));
      const r = range.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    }
    return undefined;
  }, needle);
}

async function hoverOn(page, needle, expect) {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect }).first();
  let seen = '';
  return waitFor(`a hover with "${expect}" (last hover seen: ${JSON.stringify(seen.slice(0, 300))})`, async () => {
    const point = await textPoint(page, needle);
    if (!point) {
      const lines = await page.evaluate(() => [...document.querySelectorAll('.editor-instance .view-lines .view-line')].map((l) => l.textContent).filter((t) => /Please/.test(t ?? '')));
      process.stderr.write(`[ui-hints] ${JSON.stringify(needle)} not found in the rendered lines: ${JSON.stringify(lines).slice(0, 400)}\n`);
      return undefined;
    }
    await page.mouse.move(point.x - 40, point.y + 120);
    await delay(200);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 4_000 });
      return (await hover.innerText()).trim();
    } catch {
      seen = (await page.locator('.monaco-hover').allInnerTexts().catch(() => [])).join(' | ');
      process.stderr.write(`[ui-hints] hover on ${JSON.stringify(needle)} showed: ${JSON.stringify(seen.slice(0, 300))}\n`);
      return undefined;
    }
  }, 60_000, 500);
}

async function run(page) {
  const checks = [];
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await quickOpen(page, FIXTURE, FIXTURE);
  await page.locator('.tabs-container .tab.active', { hasText: FIXTURE }).waitFor({ state: 'visible', timeout: 30_000 });

  const lens = page.locator('.codelens-decoration', { hasText: 'tokens ·' }).first();
  await lens.waitFor({ state: 'visible', timeout: 90_000 });
  const lensText = (await page.locator('.codelens-decoration').first().innerText()).replace(/\s+/g, ' ').trim();
  if (!/^\d+ tokens · \$[0-9.e-]+ per call \(gpt-4o\) \| Compress \| Optimize$/.test(lensText)) throw new Error(`unexpected lens text: ${JSON.stringify(lensText)}`);
  await delay(500);
  await page.screenshot({ path: path.join(images, 'prompt-lenses.png') });
  checks.push(`lens: ${lensText}`);

  const hoverText = await hoverOn(page, 'support assistant for Acme', 'input cost per call');
  for (const must of ['gpt-4o-mini', 'claude-sonnet-4-5', 'Monthly input cost', 'Prices: @pydantic/genai-prices']) {
    if (!hoverText.includes(must)) throw new Error(`the prompt hover lacks "${must}": ${hoverText}`);
  }
  await delay(300);
  await page.screenshot({ path: path.join(images, 'prompt-hover.png') });
  checks.push('hover: tokens, costs for compared models, monthly projection, price source');

  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await delay(500);
  const diagnosticHover = await hoverOn(page, 'basically', 'PepperPy');
  if (!/filler/i.test(diagnosticHover)) throw new Error(`the diagnostic hover does not name the filler: ${diagnosticHover}`);
  await delay(300);
  await page.screenshot({ path: path.join(images, 'prompt-diagnostic.png') });
  checks.push('diagnostic hover on "basically"');
  return checks.join('; ');
}

async function main() {
  requireBuilt(['dist/extension.js', 'dist/engine.js']);
  const runDir = freshRunDir('ui-hints');
  const workspace = copyWorkspace(runDir);
  fs.mkdirSync(images, { recursive: true });
  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close();
    await server?.stop();
  };
  cleanupOnSignal(cleanup);
  const results = [];
  const title = 'code lenses, a prompt hover and a diagnostic on assistant.py';
  try {
    server = await startCodeServer({ runDir });
    log(TAG, `code-server up at ${server.base}`);
    browser = await launchBrowser(runDir);
    await browser.page.goto(workbenchUrl(server.base, { folder: workspace, extensionDevelopmentPath: repoRoot }), { waitUntil: 'domcontentloaded' });
    const started = Date.now();
    let timer;
    try {
      const detail = await Promise.race([run(browser.page), new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), overallTimeoutMs); })]);
      results.push({ ok: true, detail, ms: Date.now() - started });
    } catch (err) {
      const shot = path.join(runDir, 'failure.png');
      await browser.page.screenshot({ path: shot }).catch(() => undefined);
      results.push({ ok: false, detail: `${err instanceof Error ? err.message : String(err)} (screenshot: ${path.relative(repoRoot, shot)})`, ms: Date.now() - started });
    } finally {
      clearTimeout(timer);
    }
  } catch (err) {
    results.push({ ok: false, detail: err instanceof Error ? err.message : String(err) });
  } finally {
    await cleanup();
  }
  for (const r of results) process.stdout.write(`  ${r.ok ? 'ok  ' : 'FAIL'} ${title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}\n         ${r.detail}\n`);
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (failed > 0) process.stdout.write(`\n--- code-server log (tail) ---\n${tail(path.join(runDir, 'code-server.log'))}\n`);
  process.stdout.write(`${TAG}: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`[${TAG}] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.stdout.write(`${TAG}: 0 passed, 1 failed\n`);
  process.exit(1);
});
