// Waits for the UI tests on what the page shows, never on the clock. Each wait has a
// deadline whose failure message says what was awaited. (Not a test: the UI stage runs
// test/ui/*.ui.mjs only.)
import { setTimeout as pause } from 'node:timers/promises';

/**
 * Polls `probe` until it returns a truthy value and returns it; after `timeoutMs` fails with
 * `what` (a string, or a function called at the deadline so it can report the last state) and
 * the last error the probe threw. `intervalMs` is only the polling pace, never a wait on its own.
 */
export async function until(what, probe, timeoutMs = 60_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${described}${lastError ? ` (last error: ${String(lastError.message ?? lastError).split('\n')[0]})` : ''}`);
    }
    await pause(intervalMs);
  }
}

/**
 * Waits until a document (the workbench `page`, or a webview: a Frame or FrameLocator) is
 * ready to be photographed: its fonts loaded (`document.fonts.ready`, the codicons included),
 * every custom element defined and upgraded, every image decoded, and two animation frames
 * rendered after that, so the last layout is on screen.
 */
export async function readyToPaint(target, what = 'the page', timeoutMs = 30_000) {
  const body = target.locator('body');
  let last = 'not evaluated yet';
  await until(() => `${what} to be ready to paint (last state: ${last})`, async () => {
    const state = await body.evaluate(async (node) => {
      const doc = node.ownerDocument;
      const win = doc.defaultView;
      await doc.fonts.ready;
      const undefinedElements = [...doc.querySelectorAll(':not(:defined)')].map((e) => e.localName);
      const images = [...doc.images].filter((img) => !img.complete).length;
      if (doc.fonts.status !== 'loaded' || undefinedElements.length > 0 || images > 0) {
        return `fonts ${doc.fonts.status}, undefined elements: ${[...new Set(undefinedElements)].join(', ') || 'none'}, images loading: ${images}`;
      }
      // Two frames: the first runs before the next paint, the second after it.
      await new Promise((resolve) => win.requestAnimationFrame(() => win.requestAnimationFrame(resolve)));
      return 'ready';
    }, undefined, { timeout: 10_000 });
    last = state;
    return state === 'ready';
  }, timeoutMs, 100);
}

/** Pixels with any alpha on the canvas `selector` in `target` (a Frame or FrameLocator). */
export async function paintedPixels(target, selector) {
  return target.locator(selector).first().evaluate((canvas) => {
    const ctx = canvas.getContext('2d');
    const { width, height } = canvas;
    if (!ctx || width === 0 || height === 0) return 0;
    const data = ctx.getImageData(0, 0, width, height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  }, undefined, { timeout: 10_000 });
}

/**
 * Waits until the chart canvas `selector` is drawn (at least `minPixels` painted) and its
 * painted-pixel count is the same on two consecutive animation frames; returns the count.
 */
export async function canvasDrawn(target, selector, what = `the chart ${selector}`, minPixels = 500, timeoutMs = 60_000) {
  let last = 0;
  return until(() => `${what} to be drawn (last count: ${last} painted pixels, need ${minPixels})`, async () => {
    const before = await paintedPixels(target, selector);
    await target.locator('body').evaluate((node) => new Promise((resolve) => node.ownerDocument.defaultView.requestAnimationFrame(() => resolve(undefined))), undefined, { timeout: 10_000 });
    last = await paintedPixels(target, selector);
    return last >= minPixels && last === before ? last : undefined;
  }, timeoutMs, 100);
}

/** Waits until `locator`'s top edge is at the top of its frame's viewport (a scrollIntoView took effect). */
export async function scrolledToTop(locator, what, timeoutMs = 20_000) {
  let top;
  await until(() => `${what} to be scrolled to the top (top at ${top}px)`, async () => {
    top = await locator.evaluate((node) => Math.round(node.getBoundingClientRect().top), undefined, { timeout: 5_000 });
    // At the top, or as far as the page scrolls (the end of the page is in view).
    const atEnd = await locator.evaluate((node) => {
      const root = node.ownerDocument.scrollingElement ?? node.ownerDocument.documentElement;
      return Math.ceil(root.scrollTop + root.clientHeight) >= root.scrollHeight;
    }, undefined, { timeout: 5_000 });
    return Math.abs(top) <= 1 || (top > 0 && atEnd);
  }, timeoutMs, 100);
}

/** Waits until no hover widget is on screen in the workbench. */
export async function noHover(page, timeoutMs = 20_000) {
  await page.locator('.monaco-hover:not(.hidden)').first().waitFor({ state: 'hidden', timeout: timeoutMs }).catch((err) => {
    throw new Error(`timed out after ${timeoutMs / 1000}s waiting for the hover to close (${err.message.split('\n')[0]})`);
  });
}
