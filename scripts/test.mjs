#!/usr/bin/env node
// `npm test`: every check this project has, in order, with one summary at the end.
//
//   lint -> typecheck -> build -> compile-tests -> unit + protocol (mocha) -> fuzz (mocha, time-bounded)
//        -> setup-test-tools -> integration (code-server) -> ui (every test/ui/*.ui.mjs in turn)
//
// Stages keep going after a failure where that still tells you something (a lint error
// does not stop the tests), but a stage whose inputs are missing (no build) is reported as
// failed rather than run. The last line is `N passed, N failed`: tests counted one by one,
// plus one failure for each stage that broke without running tests. Exit code 1 if
// anything failed.
//
// PEPPERPY_TEST_SKIP_VSCODE=1 skips the three code-server stages for quick local runs
// (CI never sets it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = path.join(repoRoot, '.test-work', 'results');
const skipVscode = process.env.PEPPERPY_TEST_SKIP_VSCODE === '1';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs a command with inherited output; `capture` also collects stdout, `quiet` drops it. */
function exec(command, args, { env, capture = false, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', capture ? 'pipe' : quiet ? 'ignore' : 'inherit', 'inherit'],
    });
    let stdout = '';
    if (capture) {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('error', (err) => resolve({ code: 1, stdout, error: err.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), stdout }));
  });
}

function findFiles(dir, suffix) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix)).map((f) => path.join(dir, f)).sort();
}

/**
 * tsc never deletes output, so a test removed or renamed in the source would keep running
 * from out/. Remove compiled tests whose source is gone (out/ itself is left alone, since
 * another build may be using it).
 */
function removeStaleTests() {
  for (const compiled of findFiles(path.join(repoRoot, 'out', 'test'), '.test.js')) {
    const source = path.join(repoRoot, path.relative(path.join(repoRoot, 'out'), compiled)).replace(/\.js$/, '.ts');
    if (!fs.existsSync(source)) {
      process.stdout.write(`removing stale ${path.relative(repoRoot, compiled)} (no ${path.relative(repoRoot, source)})\n`);
      fs.rmSync(compiled, { force: true });
      fs.rmSync(`${compiled}.map`, { force: true });
    }
  }
}

/** The last `<tag>: N passed, N failed` line a test script printed. */
function closingCounts(stdout, tag) {
  const matches = [...stdout.matchAll(new RegExp(`^${tag}: (\\d+) passed, (\\d+) failed$`, 'gm'))];
  const match = matches.at(-1);
  return match ? { passed: Number(match[1]), failed: Number(match[2]) } : undefined;
}

const stages = [];
const state = { built: false, testsCompiled: false, toolsReady: false };

function banner(name) {
  process.stdout.write(`\n=== ${name} ${'='.repeat(Math.max(0, 70 - name.length))}\n`);
}

async function stage(name, fn) {
  banner(name);
  const started = Date.now();
  let outcome;
  try {
    outcome = await fn();
  } catch (err) {
    outcome = { ok: false, note: err instanceof Error ? err.message : String(err) };
  }
  const record = { name, seconds: (Date.now() - started) / 1000, passed: 0, failed: 0, ...outcome };
  stages.push(record);
  if (!record.ok && record.passed + record.failed === 0 && !record.skipped) record.failed = 1;
  const counts = record.passed + record.failed > 0 ? ` (${record.passed} passed, ${record.failed} failed)` : '';
  process.stdout.write(`--- ${name}: ${record.skipped ? 'skipped' : record.ok ? 'ok' : 'FAILED'}${counts} in ${record.seconds.toFixed(1)}s${record.note ? ` - ${record.note}` : ''}\n`);
  return record;
}

async function npmScript(script) {
  const { code } = await exec(npm, ['run', '--silent', script]);
  return { ok: code === 0, note: code === 0 ? undefined : `npm run ${script} exited with ${code}` };
}

async function mochaStage(dirs = ['unit', 'protocol'], results = 'unit') {
  if (!state.testsCompiled) return { ok: false, note: 'not run: compile-tests failed' };
  const files = dirs.flatMap((d) => findFiles(path.join(repoRoot, 'out', 'test', d), '.test.js'));
  if (files.length === 0) return { ok: true, note: `no tests found in ${dirs.join(', ')}` };
  const resultsFile = path.join(resultsDir, `${results}.json`);
  fs.rmSync(resultsFile, { force: true });
  const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const { code } = await exec(process.execPath, [mocha, '--config', '.mocharc.json', '--reporter', path.join(repoRoot, 'scripts', 'mocha-count-reporter.js'), ...files.map((f) => path.relative(repoRoot, f))], {
    env: { PEPPERPY_TEST_RESULTS: resultsFile },
  });
  let report;
  try {
    report = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    return { ok: false, note: `mocha exited with ${code} and wrote no results (a test file failed to load?)` };
  }
  const note = code !== 0 && report.failures === 0 ? `mocha exited with ${code}` : undefined;
  return { ok: code === 0 && report.failures === 0, passed: report.passes, failed: report.failures + (note ? 1 : 0), note };
}

async function vscodeStage(tag, script, needs) {
  if (skipVscode) return { ok: true, skipped: true, note: 'PEPPERPY_TEST_SKIP_VSCODE=1' };
  const missing = needs.filter((n) => !state[n]);
  if (missing.length > 0) return { ok: false, note: `not run: ${missing.join(', ')} not ready` };
  const { code, stdout } = await exec(process.execPath, [script], { capture: true });
  const counts = closingCounts(stdout, tag);
  if (!counts) return { ok: false, note: `${path.relative(repoRoot, script)} exited with ${code} without a summary line` };
  return { ok: code === 0 && counts.failed === 0, ...counts, failed: counts.failed + (code !== 0 && counts.failed === 0 ? 1 : 0) };
}

/** Runs every test/ui/*.ui.mjs in turn (one code-server at a time) and adds up their lines. */
async function uiStage() {
  const scripts = findFiles(path.join(repoRoot, 'test', 'ui'), '.ui.mjs');
  const total = { ok: true, passed: 0, failed: 0, notes: [] };
  for (const script of scripts) {
    // Each script ends with its own `<tag>: N passed, N failed` line; the tag is its name.
    const tag = '[\\w-]+';
    process.stdout.write(`\n--- ${path.relative(repoRoot, script)}\n`);
    const result = await vscodeStage(tag, script, ['built', 'toolsReady']);
    if (result.skipped) return result;
    total.ok &&= result.ok;
    total.passed += result.passed ?? 0;
    total.failed += result.failed ?? (result.ok ? 0 : 1);
    if (result.note) total.notes.push(result.note);
  }
  return { ok: total.ok, passed: total.passed, failed: total.failed, note: total.notes.join('; ') || `${scripts.length} script(s)` };
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(resultsDir, { recursive: true });

  await stage('lint', () => npmScript('lint'));
  await stage('typecheck', () => npmScript('typecheck'));
  state.built = (await stage('build', () => npmScript('build'))).ok;
  await stage('compile-tests', async () => {
    const result = await npmScript('compile-tests');
    removeStaleTests();
    // tsc emits even when it reports type errors; the errors fail this stage, but the
    // tests still run so one type error does not hide every test result.
    state.testsCompiled = fs.existsSync(path.join(repoRoot, 'out', 'test', 'integration', 'index.js'));
    return result.ok || !state.testsCompiled ? result : { ...result, note: `${result.note}; running the emitted tests anyway` };
  });
  await stage('unit + protocol', () => mochaStage());
  // Seeded generated input against the CLI, ONNX parsing and the engine's JSON-RPC (test/fuzz/); it prints its case counts.
  await stage('fuzz', () => mochaStage(['fuzz'], 'fuzz'));
  state.toolsReady = (
    await stage('setup-test-tools', async () => {
      if (skipVscode) return { ok: true, skipped: true, note: 'PEPPERPY_TEST_SKIP_VSCODE=1' };
      const { code } = await exec(process.execPath, [path.join(repoRoot, 'scripts', 'setup-test-tools.mjs')], { quiet: true });
      return { ok: code === 0, note: code === 0 ? undefined : 'could not install Node 24 / code-server' };
    })
  ).ok;
  await stage('integration (code-server)', () => vscodeStage('integration', path.join(repoRoot, 'scripts', 'vscode-test.mjs'), ['built', 'testsCompiled', 'toolsReady']));
  await stage('integration, untrusted workspace', () => {
    process.env.PEPPERPY_VSCODE_UNTRUSTED = '1';
    return vscodeStage('integration-untrusted', path.join(repoRoot, 'scripts', 'vscode-test.mjs'), ['built', 'testsCompiled', 'toolsReady']).finally(() => {
      delete process.env.PEPPERPY_VSCODE_UNTRUSTED;
    });
  });
  // Every test/ui/*.ui.mjs runs here: a new UI test needs no line of its own.
  await stage('ui (code-server + Chromium)', uiStage);

  const passed = stages.reduce((n, s) => n + s.passed, 0);
  const failed = stages.reduce((n, s) => n + s.failed, 0);
  banner('summary');
  for (const s of stages) {
    const status = s.skipped ? 'skipped' : s.ok ? 'ok' : 'FAILED';
    const counts = s.passed + s.failed > 0 ? `${s.passed} passed, ${s.failed} failed` : '';
    process.stdout.write(`  ${s.name.padEnd(30)} ${status.padEnd(8)} ${counts.padEnd(24)} ${s.seconds.toFixed(1).padStart(6)}s\n`);
  }
  process.stdout.write(`  total time ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  fs.writeFileSync(path.join(resultsDir, 'summary.json'), `${JSON.stringify({ passed, failed, stages }, null, 2)}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(failed > 0 || stages.some((s) => !s.ok) ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
