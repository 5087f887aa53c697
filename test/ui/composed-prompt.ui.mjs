#!/usr/bin/env node
// UI test of composed prompts and of pricing in Anthropic apps, in a real VS Code
// (code-server) through headless Chromium, on real files (see test/fixtures/workspace/README.md):
//  - composed/route.ts (anthropic-quickstarts' customer-support route): the system prompt is
//    composed from two template literals. One lens above the first piece says `· 2 pieces`; with
//    the cursor in a piece both pieces are highlighted, each has a bar in the margin and a
//    `piece k of 2` label; the hover on a piece shows the whole count and the piece's own.
//  - pricing/computer_use_loop.py (anthropic-quickstarts' computer-use loop): the hover on
//    SYSTEM_PROMPT prices it for Claude (the provider's default model).
//  - the diagnostic on a real prompt: a small exact range ("Please" in route.ts), not a
//    squiggle over the prompt.
// Saves .test-work/screenshots/composed-lens.png, composed-hover.png, anthropic-hover.png and
// diagnostic-range.png. Waits on what the page shows (selectors, document.fonts.ready), never
// on the clock.
//
// Needs: `npm run build`. Prints `ui-composed: N passed, N failed`; exits non-zero on failure.
import fs from 'node:fs';
import path from 'node:path';
import { pickFromQuickInput, runUiTest, screenshotDir } from '../../scripts/vscode-harness.mjs';
import { noHover, readyToPaint, until } from './waits.mjs';

const TAG = 'ui-composed';
const images = screenshotDir;
const SHOTS = ['composed-lens.png', 'composed-hover.png', 'anthropic-hover.png', 'diagnostic-range.png'];

/** The centre of the first occurrence of `needle` in the editor's rendered lines. */
async function textPoint(page, needle) {
  return page.evaluate((n) => {
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
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

/** Moves the mouse onto `needle` until a hover containing `expect` is visible; returns its text. */
async function hoverOn(page, needle, expect) {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect }).first();
  let seen = '';
  return until(() => `a hover with "${expect}" on ${JSON.stringify(needle)} (last hover seen: ${JSON.stringify(seen.slice(0, 300))})`, async () => {
    const point = await textPoint(page, needle);
    if (!point) return undefined;
    await page.mouse.move(point.x - 40, point.y + 160);
    await noHover(page, 3_000).catch(() => undefined);
    await page.mouse.move(point.x, point.y, { steps: 4 });
    try {
      await hover.waitFor({ state: 'visible', timeout: 4_000 });
      return (await hover.innerText()).trim();
    } catch {
      seen = (await page.locator('.monaco-hover').allInnerTexts().catch(() => [])).join(' | ');
      return undefined;
    }
  }, 60_000, 500);
}

/** Opens a workspace file with Quick Open and waits for its tab. */
async function openFile(page, name) {
  await pickFromQuickInput(page, name, name);
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout: 30_000 });
}

/** Puts the cursor on `line` (1-based) with Go to Line and waits for the status bar to say so. */
async function goToLine(page, line) {
  const input = page.locator('.quick-input-widget input.input');
  const status = page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${line},`) }).first();
  await until(`the cursor on line ${line}`, async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+g');
    await input.waitFor({ state: 'visible', timeout: 5_000 });
    await input.fill(`:${line}`);
    await page.keyboard.press('Enter');
    try {
      await status.waitFor({ state: 'visible', timeout: 5_000 });
      return true;
    } catch {
      return false;
    }
  }, 60_000, 500);
}

/** Dismisses any hover and waits until none is shown. */
async function clearHover(page) {
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await noHover(page);
}

async function run({ page }) {
  const checks = [];
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120_000 });

  // (a) The lens on a composed prompt, the pieces highlighted.
  await openFile(page, 'route.ts');
  const lens = page.locator('.codelens-decoration', { hasText: '2 pieces' }).first();
  await lens.waitFor({ state: 'attached', timeout: 90_000 });
  await goToLine(page, 128);
  await lens.waitFor({ state: 'visible', timeout: 30_000 });
  const lensText = (await lens.innerText()).replace(/\s+/g, ' ').trim();
  if (!/^≥[\d,]+ tokens \+ runtime values \(≥[\d,]+ with the longer branches\) · ≥\$[0-9.e-]+ per call \(claude-sonnet-4-5, default\) · 2 pieces \| Compress \| Optimize$/.test(lensText)) throw new Error(`unexpected lens text: ${JSON.stringify(lensText)}`);
  // With the cursor on a word of the first piece, both pieces are document highlights; the margin bars and the piece labels are on screen.
  const highlight = page.locator('.view-overlays .wordHighlightText').first();
  await until('the pieces highlighted', async () => {
    const word = await textPoint(page, 'classification');
    if (!word) return false;
    await page.mouse.click(word.x, word.y);
    return highlight.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
  });
  const decorations = await until('the piece bars and labels', () =>
    page.evaluate(() => {
      const bars = [...document.querySelectorAll('.editor-instance .view-overlays div')].filter((e) => getComputedStyle(e).borderLeftWidth === '2px').length;
      const labels = [...document.querySelectorAll('.editor-instance .view-lines span')].map((e) => getComputedStyle(e, '::after').content).filter((c) => /piece \d of 2/.test(c));
      return bars > 0 && labels.length >= 2 ? { bars, labels } : undefined;
    }),
  );
  await readyToPaint(page, 'the composed prompt with its lens');
  await page.screenshot({ path: path.join(images, 'composed-lens.png') });
  checks.push(`lens: ${lensText}; ${decorations.bars} lines with a bar; labels ${decorations.labels.join(', ')}`);

  // The hover on the first piece: the whole prompt's count and the piece's own.
  const pieceHover = await hoverOn(page, 'To help with our internal classification', 'This piece (1 of 2)');
  for (const must of ['Composed in code from 2 pieces', 'claude-sonnet-4-5', "provider's default", 'categoriesContext']) {
    if (!pieceHover.includes(must)) throw new Error(`the piece hover lacks "${must}": ${pieceHover}`);
  }
  await readyToPaint(page, 'the piece hover');
  await page.screenshot({ path: path.join(images, 'composed-hover.png') });
  checks.push('hover on the first piece: whole count and its own');
  await clearHover(page);

  // (c) The diagnostic on a real prompt: the squiggle covers "Please" only.
  await goToLine(page, 150);
  const squiggle = page.locator('.view-overlays .squiggly-info').first();
  await squiggle.waitFor({ state: 'visible', timeout: 30_000 });
  const diagnosticHover = await hoverOn(page, 'Please', 'Politeness');
  const word = await textPoint(page, 'Please');
  const box = await squiggle.boundingBox();
  if (!box || !word || box.width > 120) throw new Error(`the squiggle is not a small range at "Please": ${JSON.stringify(box)}`);
  await readyToPaint(page, 'the diagnostic hover');
  await page.screenshot({ path: path.join(images, 'diagnostic-range.png') });
  checks.push(`diagnostic: a ${Math.round(box.width)}px squiggle; hover ${JSON.stringify(diagnosticHover.split('\n')[0])}`);
  await clearHover(page);

  // (b) A hover in an Anthropic file, priced for Claude.
  await openFile(page, 'computer_use_loop.py');
  await goToLine(page, 60);
  const claudeHover = await hoverOn(page, 'You are utilising an Ubuntu virtual machine', 'input cost per call');
  for (const must of ['system prompt SYSTEM_PROMPT', 'claude-sonnet-4-5', "provider's default", "Anthropic's default model", 'Runtime values, not counted']) {
    if (!claudeHover.includes(must)) throw new Error(`the Anthropic hover lacks "${must}": ${claudeHover}`);
  }
  await readyToPaint(page, 'the Anthropic hover');
  await page.screenshot({ path: path.join(images, 'anthropic-hover.png') });
  checks.push('Anthropic hover priced for claude-sonnet-4-5');
  return checks.join('; ');
}

await runUiTest({
  tag: TAG,
  name: 'ui-composed',
  title: 'a composed prompt (lens, pieces, hover), a Claude-priced hover and a diagnostic range',
  requires: ['dist/extension.js', 'dist/engine.js'],
  screenshots: SHOTS.map((f) => path.join(images, f)),
  prepare: () => {
    fs.mkdirSync(images, { recursive: true });
    return {};
  },
  run,
});
