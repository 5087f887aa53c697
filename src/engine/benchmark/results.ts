/**
 * Persisting benchmark results: each run is written atomically (temporary file, fsync,
 * rename) as `<kind>-<timestamp>.json` under a results folder, so a crash never leaves a
 * half-written file where the history expects a whole one.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { writeFileAtomicSync } from '../../shared/files';

/**
 * Checks, before a benchmark starts, that its results folder can be used: a file in its
 * place (or on its path) would otherwise fail the run after all the work was done.
 */
export function checkResultsDir(dir: string | undefined): void {
  if (dir === undefined) return;
  let current = dir;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(current).isDirectory();
    } catch {
      isDir = undefined;
    }
    if (isDir === false) throw new EngineError('badRequest', current === dir ? `The results folder ${dir} is a file.` : `The results folder ${dir} cannot be created: ${current} is a file.`, 'Choose a folder for --results-dir (it is created if missing).');
    if (isDir === true) return;
    const parent = join(current, '..');
    if (parent === current) return;
    current = parent;
  }
}

/** Writes a result as JSON under `dir` and returns the file path. */
export function persistResult(dir: string, kind: string, result: unknown): string {
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const path = join(dir, `${kind}-${stamp}-${randomBytes(2).toString('hex')}.json`);
  writeFileAtomicSync(path, `${JSON.stringify({ kind, createdAt: new Date().toISOString(), result }, null, 2)}\n`);
  return path;
}
