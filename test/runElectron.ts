// Runs the same integration suite as scripts/vscode-test.mjs, but in a desktop VS Code
// that @vscode/test-electron downloads from update.code.visualstudio.com. That needs
// internet access, so it is not part of `npm test` (CI reaches only the npm registry);
// use it on a developer machine with `npm run test:electron`.
//
// Environment: PEPPERPY_VSCODE_VERSION picks the VS Code build ("stable" by default,
// "insiders", or a version like "1.95.0" to check the engines.vscode minimum).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // This file compiles to out/test/runElectron.js, two levels below the repository root.
  const repoRoot = path.resolve(__dirname, '..', '..');
  const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'integration', 'index.js');
  const resultsFile = path.join(repoRoot, '.test-work', 'electron', 'results.json');

  // The suite may edit its workspace, so it gets a fresh copy of the fixture each run.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-electron-'));
  const workspaceFolder = path.join(workspace, 'workspace');
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspaceFolder, { recursive: true });

  try {
    await runTests({
      version: process.env.PEPPERPY_VSCODE_VERSION ?? 'stable',
      // The fake chat model provider (test/fixtures/fake-lm-provider) loads beside the extension, for the vscode.lm tests.
      extensionDevelopmentPath: [repoRoot, path.join(repoRoot, 'test', 'fixtures', 'fake-lm-provider')],
      extensionTestsPath,
      launchArgs: [workspaceFolder, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
      extensionTestsEnv: { PEPPERPY_TEST_RESULTS: resultsFile, PEPPERPY_TEST_HOST: 'electron' },
    });
    process.stdout.write(`Results: ${path.relative(process.cwd(), resultsFile)}\n`);
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Integration tests failed under @vscode/test-electron: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
