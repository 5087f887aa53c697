// Shared helpers for the tests that run in a real VS Code: start code-server (a VS Code
// server from the npm registry, see /work/shared/VSCODE-TESTS.md) in its own process group
// with fresh, throw-away profile folders under .test-work/, drive it with Debian's Chromium
// through playwright-core, and tear everything down again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureTestTools } from './setup-test-tools.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const workRoot = path.join(repoRoot, '.test-work');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');
/**
 * Where UI tests save their screenshots: under .test-work/, so that a test run never modifies
 * tracked files. `npm run screenshots:update` copies them to docs/images/ when you mean to.
 */
export const screenshotDir = path.join(workRoot, 'screenshots');
fs.mkdirSync(screenshotDir, { recursive: true });

const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/** Settings that keep a fresh profile quiet: no welcome page, AI features, telemetry or updates. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'workbench.colorTheme': 'Default Dark Modern',
  // The chat view would otherwise take a third of the window in screenshots.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // Desktop VS Code's default. code-server's web default (afterDelay) saves a test's edits to the fixture
  // files a second later, so one test's edit could leak into the next suite (session 24).
  'files.autoSave': 'off',
};

export function log(tag, message) {
  process.stderr.write(`[${tag}] ${message}\n`);
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A fresh run folder under .test-work/<name>, replacing the previous run's. */
export function freshRunDir(name) {
  const dir = path.join(workRoot, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Copies the fixture workspace into the run folder so tests may edit it. */
export function copyWorkspace(runDir) {
  const target = path.join(runDir, 'workspace');
  fs.cpSync(fixtureWorkspace, target, { recursive: true });
  return target;
}

export function tail(file, lines = 60) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return `(no ${file})`;
  }
}

/** Fails early with a useful message when the bundles the extension needs are missing. */
export function requireBuilt(paths) {
  const missing = paths.filter((p) => !fs.existsSync(path.join(repoRoot, p)));
  if (missing.length > 0) {
    throw new Error(`Missing ${missing.join(', ')}: run \`npm run build && npm run compile-tests\` first.`);
  }
}

/**
 * Starts code-server in its own session (so one kill reaches the extension hosts it forks)
 * and waits for /healthz. Returns the base URL and a stop() that kills the process group.
 */
export async function startCodeServer({ runDir, env = {}, startTimeoutMs = 120_000, trusted = true, extraArgs = [] }) {
  const tools = ensureTestTools();
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  const xdg = path.join(runDir, 'xdg');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, path.join(xdg, 'config'), path.join(xdg, 'data'), path.join(xdg, 'cache')]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  // trusted: false opens the folder in Restricted Mode, without the trust prompt.
  const settings = trusted
    ? USER_SETTINGS
    : { ...USER_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const args = [
    tools.codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', ...(trusted ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override', '--reconnection-grace-time', '5',
    // Without the smoke-test driver option the workbench ignores `payload` and the run hangs.
    '--vscode-option', 'enable-smoke-test-driver',
    // e.g. ['--locale', 'pt-br'] (test/ui/pt-br.ui.mjs)
    ...extraArgs,
  ];
  const child = spawn(tools.nodeBin, args, {
    cwd: runDir,
    // detached: true makes the child a session and process-group leader (setsid).
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
      ...env,
    },
  });
  fs.closeSync(logFd);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });

  const stop = async () => {
    if (child.pid === undefined) return;
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        return; // The group is gone.
      }
      for (let i = 0; i < 30; i++) {
        try {
          process.kill(-child.pid, 0);
        } catch {
          return;
        }
        await delay(100);
      }
    }
  };

  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exited) throw Object.assign(new Error(`code-server exited during start-up (${JSON.stringify(exited)})`), { logFile });
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw Object.assign(new Error(`code-server did not answer ${base}/healthz within ${startTimeoutMs / 1000}s`), { logFile });
    }
    await delay(250);
  }
  return { base, port, pid: child.pid, logFile, userDataDir, stop, tools };
}

/** The workbench URL that opens `folder` and passes VS Code's extension-development payload. */
export function workbenchUrl(base, { folder, extensionDevelopmentPath, extensionTestsPath }) {
  const authority = new URL(base).host;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDevelopmentPath}`]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', `vscode-remote://${authority}${extensionTestsPath}`]);
  const query = [`folder=${encodeURIComponent(folder)}`];
  if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${base}/?${query.join('&')}`;
}

/** Launches Debian's Chromium (no browser download) with a fresh profile. */
export async function launchBrowser(runDir) {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.PEPPERPY_CHROMIUM ?? CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  if (!executablePath) throw new Error('Chromium not found: apt-get install chromium (or set PEPPERPY_CHROMIUM).');
  const profile = path.join(runDir, 'chromium-profile');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const browserLog = fs.createWriteStream(path.join(runDir, 'browser.log'));
  page.on('console', (msg) => browserLog.write(`[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (err) => browserLog.write(`[pageerror] ${err.message}\n`));
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      browserLog.end();
    },
  };
}

/** Polls `probe` until it returns a truthy value or the time runs out. */
export async function waitFor(what, probe, timeoutMs = 60_000, intervalMs = 250) {
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
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError.message.split('\n')[0]})` : ''}`);
    }
    await delay(intervalMs);
  }
}

/**
 * Opens the quick-input box with F1, types `text` and presses Enter on the row whose
 * label contains `rowText`. Contributions (and files) can show up late, so the palette is
 * reopened until the row appears.
 */
export async function pickFromQuickInput(page, text, rowText, timeoutMs = 90_000) {
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

/** Kills a process group on SIGINT/SIGTERM so an interrupted run leaves nothing behind. */
export function cleanupOnSignal(cleanup) {
  const handler = (signal) => {
    log('harness', `${signal}: stopping code-server`);
    Promise.resolve(cleanup()).finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/**
 * The whole life of one UI test script: build check, a fresh run folder and workspace,
 * code-server and Chromium with this repository as the development extension, the test
 * itself under a time-out, a failure screenshot, clean-up, and the closing line
 * `<tag>: N passed, N failed` (exit code 1 on failure).
 *
 * - `prepare({ runDir, workspace })` runs before code-server starts and returns extra
 *   context for the test (fixture files, expected values);
 * - `afterStart({ server, ...context })` runs once code-server is up (e.g. to write user
 *   settings into `server.userDataDir`);
 * - `run({ page, workspace, runDir, server, ...context })` does the test and returns a
 *   one-line description of what it checked;
 * - `serverArgs` go to code-server's command line (e.g. `--locale pt-br`).
 */
export async function runUiTest({ tag, name, title, requires, screenshots = [], prepare, afterStart, run, serverArgs = [] }) {
  const timeoutMs = Number(process.env.PEPPERPY_UI_TEST_TIMEOUT_MS ?? 300_000);
  const started = Date.now();
  let runDir;
  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close();
    await server?.stop();
  };
  cleanupOnSignal(cleanup);
  const results = [];
  try {
    requireBuilt(requires);
    runDir = freshRunDir(name);
    const workspace = copyWorkspace(runDir);
    const context = (await prepare?.({ runDir, workspace })) ?? {};
    server = await startCodeServer({ runDir, extraArgs: serverArgs });
    await afterStart?.({ server, runDir, workspace, ...context });
    log(tag, `code-server up at ${server.base} (log: ${path.relative(repoRoot, server.logFile)})`);
    browser = await launchBrowser(runDir);
    await browser.page.goto(workbenchUrl(server.base, { folder: workspace, extensionDevelopmentPath: repoRoot }), { waitUntil: 'domcontentloaded' });
    const testStarted = Date.now();
    let timer;
    try {
      const detail = await Promise.race([
        run({ page: browser.page, workspace, runDir, server, ...context }),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs / 1000}s`)), timeoutMs); }),
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
  if (failed > 0 && runDir) {
    process.stdout.write(`\n--- code-server log (tail) ---\n${tail(path.join(runDir, 'code-server.log'))}\n`);
    process.stdout.write(`--- browser console: ${path.relative(repoRoot, path.join(runDir, 'browser.log'))}\n\n`);
  } else {
    for (const shot of screenshots) process.stdout.write(`  screenshot: ${path.relative(repoRoot, shot)}\n`);
  }
  process.stderr.write(`[${tag}] finished in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  process.stdout.write(`${tag}: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}
