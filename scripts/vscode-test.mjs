#!/usr/bin/env node
// Runs the integration suite (test/integration/suite/*.test.ts, compiled to out/) inside
// a real VS Code extension host: code-server with this repository as the development
// extension, opened in headless Chromium with VS Code's `extensionTestsPath` payload.
// The workbench loads out/test/integration/index.js in the extension host, runs mocha,
// and calls window.codeAutomationExit(code) when run() settles; the suite writes its
// per-test results to PEPPERPY_TEST_RESULTS, which this driver prints.
//
// Needs: `npm run build && npm run compile-tests`. Prints `integration: N passed, N failed`
// and exits non-zero on any failure or time-out.
//
// Environment: PEPPERPY_VSCODE_TEST_TIMEOUT_MS (overall, default 10 min),
//              PEPPERPY_TEST_GREP (only tests whose full title matches).
import fs from 'node:fs';
import path from 'node:path';
import {
  cleanupOnSignal, copyWorkspace, freshRunDir, launchBrowser, log, repoRoot, requireBuilt, startCodeServer, tail, workbenchUrl,
} from './vscode-harness.mjs';

// PEPPERPY_VSCODE_UNTRUSTED=1 runs test/integration/untrusted/ in a Restricted Mode
// (untrusted) workspace instead of test/integration/suite/ in a trusted one.
const untrusted = process.env.PEPPERPY_VSCODE_UNTRUSTED === '1';
const TAG = untrusted ? 'integration-untrusted' : 'integration';
const overallTimeoutMs = Number(process.env.PEPPERPY_VSCODE_TEST_TIMEOUT_MS ?? 600_000);

function printReport(report) {
  for (const test of report.tests) {
    const mark = test.state === 'passed' ? 'ok  ' : test.state === 'pending' ? 'skip' : 'FAIL';
    const ms = test.durationMs !== undefined ? ` (${test.durationMs} ms)` : '';
    process.stdout.write(`  ${mark} ${test.fullTitle}${ms}\n`);
    if (test.error) {
      const detail = (test.error.stack ?? test.error.message).split('\n').slice(0, 8).join('\n         ');
      process.stdout.write(`         ${detail}\n`);
    }
  }
  if (report.runError) process.stdout.write(`  run error: ${report.runError}\n`);
}

function installFakeLmProvider(runDir) {
  const source = path.join(repoRoot, 'test', 'fixtures', 'fake-lm-provider');
  const manifest = JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8'));
  fs.cpSync(source, path.join(runDir, 'extensions', `${manifest.publisher}.${manifest.name}-${manifest.version}`), { recursive: true });
}

async function main() {
  requireBuilt(['dist/extension.js', 'out/test/integration/index.js']);
  const runDir = freshRunDir(untrusted ? 'integration-untrusted' : 'integration');
  const workspace = copyWorkspace(runDir);
  const resultsFile = path.join(runDir, 'results.json');
  const started = Date.now();

  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close();
    await server?.stop();
  };
  cleanupOnSignal(cleanup);

  let exitCode;
  let failureReason;
  try {
    // The fake chat model provider (test/fixtures/fake-lm-provider) for the vscode.lm tests is
    // installed into the run's extensions folder: the web workbench loads only one
    // extensionDevelopmentPath (a second one replaced this repository's), while code-server
    // scans its extensions folder at start-up.
    installFakeLmProvider(runDir);
    server = await startCodeServer({
      runDir,
      trusted: !untrusted,
      env: { PEPPERPY_TEST_RESULTS: resultsFile, PEPPERPY_TEST_HOST: 'code-server', ...(untrusted ? { PEPPERPY_TEST_SUITE: 'untrusted' } : {}) },
    });
    log(TAG, `code-server up at ${server.base} after ${((Date.now() - started) / 1000).toFixed(1)}s (log: ${path.relative(repoRoot, server.logFile)})`);
    browser = await launchBrowser(runDir);

    let settle;
    const finished = new Promise((resolve) => { settle = resolve; });
    // The workbench calls this when the tests module's run() settles (0 = resolved).
    await browser.page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) }));
    browser.page.on('crash', () => settle({ error: 'the browser page crashed' }));

    const url = workbenchUrl(server.base, {
      folder: workspace,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    });
    await browser.page.goto(url, { waitUntil: 'domcontentloaded' });

    const timer = setTimeout(() => settle({ error: `timed out after ${overallTimeoutMs / 1000}s` }), overallTimeoutMs);
    const outcome = await finished;
    clearTimeout(timer);
    if (outcome.error) failureReason = outcome.error;
    exitCode = outcome.code;
  } catch (err) {
    failureReason = err instanceof Error ? err.message : String(err);
  } finally {
    await cleanup();
  }

  let report;
  try {
    report = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    failureReason ??= `the suite wrote no results to ${path.relative(repoRoot, resultsFile)} (exit code ${exitCode})`;
  }

  let passed = 0;
  let failed = 0;
  if (report) {
    printReport(report);
    passed = report.passes;
    failed = report.failures;
    if (exitCode !== 0 && failed === 0 && !failureReason) failureReason = `the extension host reported exit code ${exitCode}`;
  }
  if (failureReason) {
    failed += 1;
    process.stdout.write(`  FAIL harness: ${failureReason}\n`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failed > 0) {
    process.stdout.write(`\n--- code-server log (tail of ${path.relative(repoRoot, server?.logFile ?? path.join(runDir, 'code-server.log'))}) ---\n`);
    process.stdout.write(`${tail(path.join(runDir, 'code-server.log'))}\n`);
    process.stdout.write(`--- extension host logs: ${path.relative(repoRoot, path.join(runDir, 'user-data', 'logs'))}/**/exthost*.log; browser console: ${path.relative(repoRoot, path.join(runDir, 'browser.log'))}\n\n`);
  }
  process.stderr.write(`[${TAG}] finished in ${seconds}s\n`);
  process.stdout.write(`${TAG}: ${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`[${TAG}] ${err instanceof Error ? err.stack : String(err)}\n`);
  process.stdout.write(`${TAG}: 0 passed, 1 failed\n`);
  process.exit(1);
});
