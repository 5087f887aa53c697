#!/usr/bin/env node
// `npm run package`: builds the production bundles and packs a platform-specific VSIX.
//
//   npm run package                          -> pepperpy-optimization-linux-x64-<version>.vsix
//   npm run package -- --target win32-x64    -> the same for Windows x64 (any listed target)
//
// What ships is decided by .vscodeignore (an allow-list). onnxruntime-node carries native
// binaries for every platform (~290 MB); only the target's bin/napi-v*/<platform>/<arch>/
// folder goes into the VSIX. Since vsce lets any "!" line win over every ignore line, the
// target cannot be chosen by adding lines, so this script writes a copy of .vscodeignore
// with the "linux/x64" line rewritten for the target and passes it with --ignoreFile.
//
// After packing, the VSIX is unpacked into a temporary folder and smoke-tested: the CLI
// counts tokens from the packed files alone, and (for the host's own platform) the
// packed onnxruntime-node binding loads.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** VS Code targets for which onnxruntime-node 1.30 ships a prebuilt binding. */
const ONNX_PLATFORMS = {
  'linux-x64': 'linux/x64',
  'linux-arm64': 'linux/arm64',
  'win32-x64': 'win32/x64',
  'win32-arm64': 'win32/arm64',
  'darwin-arm64': 'darwin/arm64',
};

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  process.stderr.write(`$ ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

function parseTarget(argv) {
  let target = 'linux-x64';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--target' || argv[i] === '-t') target = argv[++i];
    else if (argv[i].startsWith('--target=')) target = argv[i].slice('--target='.length);
    else fail(`unknown argument ${argv[i]} (usage: npm run package -- --target <${Object.keys(ONNX_PLATFORMS).join('|')}>)`);
  }
  if (!ONNX_PLATFORMS[target]) {
    fail(`target ${target} is not supported: onnxruntime-node ships bindings for ${Object.keys(ONNX_PLATFORMS).join(', ')} only.`);
  }
  return target;
}

function writeIgnoreFile(target, dir) {
  const source = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  const binLine = /^!node_modules\/onnxruntime-node\/bin\/napi-v\*\/linux\/x64\/\*\*$/m;
  if (!binLine.test(source)) fail('.vscodeignore has no "!node_modules/onnxruntime-node/bin/napi-v*/linux/x64/**" line to rewrite for the target.');
  const ignoreFile = path.join(dir, `vscodeignore.${target}`);
  fs.writeFileSync(ignoreFile, source.replace(binLine, `!node_modules/onnxruntime-node/bin/napi-v*/${ONNX_PLATFORMS[target]}/**`));
  return ignoreFile;
}

function unzip(vsix, dir) {
  // python3 is on every CI machine (.ci/run installs it); unzip is the fallback.
  const attempts = [['python3', ['-m', 'zipfile', '-e', vsix, dir]], ['unzip', ['-q', vsix, '-d', dir]]];
  for (const [command, args] of attempts) {
    const result = spawnSync(command, args, { stdio: 'inherit' });
    if (result.status === 0) return true;
  }
  return false;
}

function smokeTest(vsix, target) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-vsix-'));
  try {
    if (!unzip(vsix, dir)) {
      process.stderr.write('package: neither python3 nor unzip is available; skipped the smoke test of the VSIX.\n');
      return;
    }
    const ext = path.join(dir, 'extension');
    const binaries = fs.readdirSync(path.join(ext, 'node_modules', 'onnxruntime-node', 'bin'), { recursive: true, encoding: 'utf8' }).filter((f) => /\.(node|so(\.\d+)*|dll|dylib)$/.test(f));
    const wrong = binaries.filter((f) => !f.replace(/\\/g, '/').includes(`/${ONNX_PLATFORMS[target]}/`));
    if (binaries.length === 0) fail('the VSIX has no onnxruntime-node binaries.');
    if (wrong.length > 0) fail(`the VSIX carries binaries for other platforms: ${wrong.join(', ')}`);

    // Every module the bundles leave external must resolve from the packed node_modules.
    const externals = new Set();
    for (const bundle of fs.readdirSync(path.join(ext, 'dist'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(ext, 'dist', bundle), 'utf8');
      for (const [, name] of code.matchAll(/require\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
        if (name !== 'vscode' && !name.startsWith('node:') && !builtinModules.includes(name.split('/')[0])) externals.add(name);
      }
    }
    if (`${process.platform}-${process.arch}` !== target) externals.delete('onnxruntime-node');
    const probeExternals = `for (const m of ${JSON.stringify([...externals])}) require(m);`;
    const resolved = spawnSync(process.execPath, ['-e', probeExternals], { encoding: 'utf8', cwd: path.join(ext, 'dist') });
    if (resolved.status !== 0) fail(`a module the bundles need is missing from the VSIX: ${resolved.stderr}`);
    process.stderr.write(`package: external modules load from the VSIX: ${[...externals].join(', ')}\n`);

    const sample = path.join(repoRoot, 'test', 'fixtures', 'workspace', 'prompt.txt');
    const count = spawnSync(process.execPath, [path.join(ext, 'dist', 'cli.js'), 'prompt', 'count', sample, '--json'], { encoding: 'utf8', cwd: dir });
    if (count.status !== 0) fail(`the packed CLI failed: ${count.stderr}`);
    process.stderr.write(`package: packed CLI works: ${count.stdout.trim()}\n`);

    if (`${process.platform}-${process.arch}` === target) {
      const probe = "const ort = require('./node_modules/onnxruntime-node'); process.stdout.write(String(typeof ort.InferenceSession.create));";
      const load = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', cwd: ext });
      if (load.status !== 0 || load.stdout !== 'function') fail(`the packed onnxruntime-node does not load: ${load.stderr}`);
      process.stderr.write('package: packed onnxruntime-node binding loads.\n');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const target = parseTarget(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const out = path.join(repoRoot, `${manifest.name}-${target}-${manifest.version}.vsix`);

  // Production bundles (minified, no source maps). vsce runs vscode:prepublish again,
  // which is the same build; doing it here first keeps this script correct on its own.
  run(process.execPath, ['esbuild.js', '--production']);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-package-'));
  try {
    const ignoreFile = writeIgnoreFile(target, tmp);
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    // Without a repository URL vsce cannot turn README's relative links into absolute
    // ones and refuses to pack; a locally installed VSIX does not need them rewritten.
    const linkOptions = manifest.repository ? [] : ['--allow-missing-repository', '--no-rewrite-relative-links'];
    run(process.execPath, [vsce, 'package', '--target', target, '--ignoreFile', ignoreFile, '--out', out, '--no-yarn', ...linkOptions], {
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  smokeTest(out, target);
  const bytes = fs.statSync(out).size;
  process.stdout.write(`${path.relative(process.cwd(), out)}: ${(bytes / 1024 / 1024).toFixed(1)} MB (${bytes} bytes) for ${target}\n`);
}

main();
