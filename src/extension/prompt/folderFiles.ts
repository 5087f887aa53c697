/**
 * The file-system reads the editor's per-folder indexes share (projectSchemas.ts, projectImports.ts): a walk of a
 * workspace folder that skips dependency and build folders as `prompt scan` does, a file's modification time, and a
 * small file's text read through a parser. Node's `fs` only (no `vscode`), so that unit tests can run them on real folders.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { MAX_FILE_BYTES, SKIPPED_DIRS } from '../../shared/prompt/scanner/scanFiles';

/** How many entries (files and folders, any name) a walk lists per file it may take, at most: a folder of data is not listed whole. */
const ENTRIES_PER_FILE = 20;

/**
 * The files under `root` whose name `accept` takes, skipping `SKIPPED_DIRS`; undefined for a folder too large: more than
 * `max` such files, or more than `max` × ENTRIES_PER_FILE entries listed (the bound was on the files taken only, so a
 * folder of 300,000 images was listed whole by every walk; breakidx37).
 */
export async function filesUnder(root: string, accept: (name: string) => boolean, max: number): Promise<string[] | undefined> {
  const out: string[] = [];
  const stack = [root];
  let listed = 0;
  while (stack.length > 0 && out.length <= max) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    if ((listed += entries.length) > max * ENTRIES_PER_FILE) return undefined;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) stack.push(full);
      } else if (e.isFile() && accept(e.name)) out.push(full);
    }
  }
  return out.length > max ? undefined : out;
}

/**
 * Whether `filesUnder(root)` never lists `file`: outside `root`, or in a skipped folder (node_modules, .venv…). Asking
 * for such a file (a go-to-definition into a package) walked the whole folder again each time (breakidx37).
 */
export function neverListed(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return true;
  return relative.split(path.sep).slice(0, -1).some((d) => SKIPPED_DIRS.has(d));
}

/** A file's modification time; undefined when it cannot be read (deleted, no access). */
export async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** `read` of a regular file's text of at most MAX_FILE_BYTES; undefined for anything else or any error. */
export async function readSmallFile<T>(file: string, read: (text: string) => T): Promise<T | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return read(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}
