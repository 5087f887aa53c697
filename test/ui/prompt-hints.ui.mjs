#!/usr/bin/env node
// UI test of the inline prompt hints in a real VS Code (code-server) through headless
// Chromium, as a user sees them: code lenses above the prompts of a Python file, the hover
// on a prompt (tokens, cost per call, compared models), and a diagnostic on a filler word.
// Then deletes SYSTEM_PROMPT's closing quote, as while typing, and checks the lens says the literal
// is not closed. Saves .test-work/screenshots/prompt-lenses.png, prompt-hover.png,
// prompt-diagnostic.png and prompt-unclosed.png.
//
// Needs: `npm run build`. Prints `ui-hints: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, runUiTest, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { noHover, readyToPaint, until } from './waits.mjs';

const TAG = 'ui-hints';
const FIXTURE = 'assistant.py';
const images = screenshotDir;

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
  return until(() => `a hover with "${expect}" (last hover seen: ${JSON.stringify(seen.slice(0, 300))})`, async () => {
    const point = await textPoint(page, needle);
    if (!point) {
      const lines = await page.evaluate(() => [...document.querySelectorAll('.editor-instance .view-lines .view-line')].map((l) => l.textContent).filter((t) => /Please/.test(t ?? '')));
      process.stderr.write(`[ui-hints] ${JSON.stringify(needle)} not found in the rendered lines: ${JSON.stringify(lines).slice(0, 400)}\n`);
      return undefined;
    }
    // Away first, so that the hover comes fresh for the target: wait for the old one to close
    // (if another one stays up, moving in still shows the target's hover, which is what is checked).
    await page.mouse.move(point.x - 40, point.y + 120);
    await noHover(page, 3_000).catch(() => undefined);
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

async function run({ page }) {
  const checks = [];
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });
  await pickFromQuickInput(page, FIXTURE, FIXTURE);
  await page.locator('.tabs-container .tab.active', { hasText: FIXTURE }).waitFor({ state: 'visible', timeout: 30_000 });

  const lens = page.locator('.codelens-decoration', { hasText: 'tokens ·' }).first();
  await lens.waitFor({ state: 'visible', timeout: 90_000 });
  // The decoration waited for, not the first one: another line's decoration may still be empty while lenses render (a flake seen in session 29).
  const lensText = (await lens.innerText()).replace(/\s+/g, ' ').trim();
  if (!/^\d+ tokens · \$[0-9.e-]+ per call \(gpt-4o-mini\) \| Compress \| Optimize$/.test(lensText)) throw new Error(`unexpected lens text: ${JSON.stringify(lensText)}`);
  await readyToPaint(page, 'the editor with its lenses');
  await page.screenshot({ path: path.join(images, 'prompt-lenses.png') });
  checks.push(`lens: ${lensText}`);

  const hoverText = await hoverOn(page, 'support assistant for Acme', 'input cost per call');
  for (const must of ['gpt-4o-mini', 'claude-sonnet-4-5', 'Monthly input cost', 'Prices: @pydantic/genai-prices']) {
    if (!hoverText.includes(must)) throw new Error(`the prompt hover lacks "${must}": ${hoverText}`);
  }
  await readyToPaint(page, 'the prompt hover');
  await page.screenshot({ path: path.join(images, 'prompt-hover.png') });
  checks.push('hover: tokens, costs for compared models, monthly projection, price source');

  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await noHover(page);
  const diagnosticHover = await hoverOn(page, 'basically', 'PepperPy');
  if (!/filler/i.test(diagnosticHover)) throw new Error(`the diagnostic hover does not name the filler: ${diagnosticHover}`);
  await readyToPaint(page, 'the diagnostic hover');
  await page.screenshot({ path: path.join(images, 'prompt-diagnostic.png') });
  checks.push('diagnostic hover on "basically"');

  // Typing: the closing quote of SYSTEM_PROMPT deleted with the keyboard. The lens must say the
  // literal is not closed (before, it counted whatever the parser ran the string over), and the
  // prompt below keeps its own lens; Undo brings the count back.
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  // (The line is wider than the editor: click its start, then End.)
  const start = await textPoint(page, 'SYSTEM_PROMPT = ');
  if (!start) throw new Error('the SYSTEM_PROMPT line is not on screen');
  await page.mouse.click(start.x, start.y);
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  const open = page.locator('.codelens-decoration', { hasText: 'Literal not closed' }).first();
  await open.waitFor({ state: 'visible', timeout: 30_000 });
  const lenses = (await page.locator('.codelens-decoration').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  if (lenses[0] !== 'Literal not closed: tokens are counted once it is') throw new Error(`the first lens while the quote is missing: ${JSON.stringify(lenses)}`);
  if (!lenses.slice(1).some((t) => /^≥?\d+ tokens/.test(t))) throw new Error(`the prompt below lost its count: ${JSON.stringify(lenses)}`);
  await readyToPaint(page, 'the unclosed literal lens');
  await page.screenshot({ path: path.join(images, 'prompt-unclosed.png') });
  await page.keyboard.press('Control+Z');
  await page.locator('.codelens-decoration', { hasText: 'Literal not closed' }).first().waitFor({ state: 'detached', timeout: 30_000 });
  checks.push(`unclosed literal: lens "${lenses[0]}", the next prompt still counted, Undo restores the count`);
  return checks.join('; ');
}

await runUiTest({
  tag: TAG,
  name: 'ui-hints',
  title: 'code lenses, a prompt hover and a diagnostic on assistant.py',
  requires: ['dist/extension.js', 'dist/engine.js'],
  screenshots: ['prompt-lenses.png', 'prompt-hover.png', 'prompt-diagnostic.png', 'prompt-unclosed.png'].map((f) => path.join(images, f)),
  prepare: () => {
    fs.mkdirSync(images, { recursive: true });
    return {};
  },
  run,
});
