// The extension-tests module that VS Code loads through `extensionTestsPath`. It runs
// inside the real extension host, under both hosts we use: code-server (driven by
// scripts/vscode-test.mjs) and @vscode/test-electron (test/runElectron.ts). VS Code calls
// `run()` and treats a rejection as a failed run.
//
// Results go to the file named by PEPPERPY_TEST_RESULTS (when set) as JSON, one entry per
// test, because under code-server the extension host's stdout is not visible to the
// driver; the driver prints them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface TestResult {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
}

export interface TestRunReport {
  host: string;
  vscodeVersion?: string;
  startedAt: string;
  durationMs: number;
  passes: number;
  failures: number;
  pending: number;
  tests: TestResult[];
  /** Set when the run itself broke (no test files, a file that failed to load, ...). */
  runError?: string;
}

function findTestFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(dir, name))
    .sort();
}

function describeError(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

function vscodeVersion(): string | undefined {
  try {
    // Loaded lazily so a broken `vscode` module shows up as a test failure, not a load error.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function writeReport(report: TestRunReport): void {
  const target = process.env.PEPPERPY_TEST_RESULTS;
  if (!target) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Write then rename so the driver never reads a half-written file.
  const tmp = `${target}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(tmp, target);
}

export async function run(): Promise<void> {
  const started = Date.now();
  // PEPPERPY_TEST_SUITE=untrusted selects the tests that run in a Restricted Mode workspace.
  const suiteDir = path.resolve(__dirname, process.env.PEPPERPY_TEST_SUITE === 'untrusted' ? 'untrusted' : 'suite');
  const report: TestRunReport = {
    host: process.env.PEPPERPY_TEST_HOST ?? 'vscode',
    vscodeVersion: vscodeVersion(),
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    passes: 0,
    failures: 0,
    pending: 0,
    tests: [],
  };

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.PEPPERPY_TEST_TIMEOUT_MS ?? 60_000),
    ...(process.env.PEPPERPY_TEST_GREP ? { grep: process.env.PEPPERPY_TEST_GREP } : {}),
  });

  const files = findTestFiles(suiteDir);
  if (files.length === 0) {
    report.runError = `No *.test.js files under ${suiteDir}: run \`npm run compile-tests\` first.`;
    report.failures = 1;
    writeReport(report);
    throw new Error(report.runError);
  }
  for (const file of files) mocha.addFile(file);

  let failures: number;
  try {
    failures = await new Promise<number>((resolve, reject) => {
      try {
        const runner = mocha.run((count) => resolve(count));
        runner.on('pass', (test) => {
          report.tests.push({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'passed', durationMs: test.duration });
        });
        runner.on('pending', (test) => {
          report.tests.push({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'pending' });
        });
        // 'fail' also fires for hooks ("before all" hook for ...), which is what we want:
        // a broken hook skips its tests and must show up as a failure.
        runner.on('fail', (test, err) => {
          report.tests.push({ title: test.title, fullTitle: test.fullTitle(), file: test.file, state: 'failed', durationMs: test.duration, error: describeError(err) });
        });
      } catch (err) {
        // mocha.run throws synchronously when a test file fails to load.
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  } catch (err) {
    report.runError = `Could not run the suite: ${describeError(err).stack ?? describeError(err).message}`;
    report.failures = report.tests.filter((t) => t.state === 'failed').length + 1;
    report.passes = report.tests.filter((t) => t.state === 'passed').length;
    report.durationMs = Date.now() - started;
    writeReport(report);
    throw err;
  }

  report.passes = report.tests.filter((t) => t.state === 'passed').length;
  report.failures = report.tests.filter((t) => t.state === 'failed').length;
  report.pending = report.tests.filter((t) => t.state === 'pending').length;
  report.durationMs = Date.now() - started;
  writeReport(report);
  if (failures > 0 || report.failures > 0) {
    throw new Error(`${Math.max(failures, report.failures)} integration test(s) failed.`);
  }
}
