/**
 * Persisting benchmark results: each run is written atomically (temporary file, fsync,
 * rename) as `<kind>-<timestamp>.json` under a results folder, so a crash never leaves a
 * half-written file where the history expects a whole one.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export function writeFileAtomicSync(path: string, data: string): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file is already gone.
    }
    throw error;
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
