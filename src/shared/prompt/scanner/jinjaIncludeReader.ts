/**
 * Where the templates a Jinja document's `{% include "x.j2" %}` tags name (jinjaIncludes.ts) lie on disk, and their texts.
 *
 * Jinja resolves every include name against its loader's search path (not the including template's folder), so a name
 * is looked for in the document's folder and the folders above it (a `FileSystemLoader` root is always one of them for
 * the document itself), after the folders a Python `FileSystemLoader(…)` next to those folders names, when that is
 * simple enough to read (a literal path, or the module's own folder). Nested includes resolve the same way, depth-limited.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ImportedConstant } from '../../../protocol/hints';
import { includeKey, includeNames, MAX_INCLUDE_DEPTH } from './jinjaIncludes';

/** At most this many templates are read for one document. */
const MAX_TEMPLATES = 30;
/** Folders above the document searched for an include name and for Python files naming a loader. */
const MAX_PARENTS = 8;
/** A template or Python file larger than this is not read. */
const MAX_FILE_BYTES = 1_000_000;
/** At most this many Python files per folder are read for a loader. */
const MAX_PY_PER_FOLDER = 40;

/**
 * Whether Jinja's `FileSystemLoader` would open this name: a relative path with no `..` segment (jinja2's
 * `split_template_path` refuses one, so `{% include "../../etc/passwd" %}` never reads outside the search path).
 */
function loadableName(name: string): boolean {
  if (name === '' || isAbsolute(name) || name.includes('\0') || /^[A-Za-z]:/.test(name)) return false;
  return !name.split(/[/\\]/).some((piece) => piece === '..');
}

interface Cached<T> {
  mtimeMs: number;
  value: T;
}

/** Reads templates and loader folders from disk, each at most once per modification time. */
export class JinjaIncludeReader {
  private readonly folders = new Map<string, Cached<string[]>>();
  private readonly loaders = new Map<string, Cached<string[]>>();
  private readonly templates = new Map<string, Cached<string | undefined> & { size: number }>();

  constructor(private readonly read: (file: string, limit: number) => string | undefined) {}

  /** A template's text, read again only when its modification time or size changed. */
  private template(file: string): string | undefined {
    const s = statOf(file);
    if (!s?.file || s.size > MAX_FILE_BYTES) return undefined;
    const cached = this.templates.get(file);
    if (cached && cached.mtimeMs === s.mtimeMs && cached.size === s.size) return cached.value;
    const value = this.read(file, MAX_FILE_BYTES);
    this.templates.set(file, { mtimeMs: s.mtimeMs, size: s.size, value });
    if (this.templates.size > 500) this.templates.delete(this.templates.keys().next().value as string);
    return value;
  }

  /**
   * The templates the document (`text`, the file `fileName`) includes, nested ones too, each under `includeKey(name)`
   * with its text as written (`include: 'found'`); a name no folder holds is `include: 'missing'` with an empty text,
   * and a name that is the document itself `include: 'cycle'` (Jinja would recurse without end).
   */
  includes(text: string, fileName: string): ImportedConstant[] {
    const first = includeNames(text);
    if (first.length === 0) return [];
    const folder = dirname(fileName);
    const roots = this.searchPath(folder);
    const out: ImportedConstant[] = [];
    const seen = new Set<string>();
    let level: string[] = first;
    for (let depth = 1; depth <= MAX_INCLUDE_DEPTH && level.length > 0; depth++) {
      const next: string[] = [];
      for (const name of level) {
        if (seen.has(name) || out.length >= MAX_TEMPLATES) continue;
        seen.add(name);
        const file = loadableName(name) ? roots.map((r) => resolve(r, name)).find((f) => isFile(f)) : undefined;
        const shown = file ? relative(folder, file).replace(/\\/g, '/') || file : name;
        if (file === resolve(fileName)) {
          out.push({ name: includeKey(name), text: '', file: shown, line: 0, include: 'cycle' });
          continue;
        }
        const body = file ? this.template(file) : undefined;
        if (body === undefined) {
          out.push({ name: includeKey(name), text: '', file: name, line: 0, include: 'missing' });
          continue;
        }
        out.push({ name: includeKey(name), text: body, file: shown, line: 0, include: 'found' });
        next.push(...includeNames(body));
      }
      level = next;
    }
    return out;
  }

  /**
   * Where include names are looked for, first to last: the folders a `FileSystemLoader` of a Python file in the
   * document's folder or above names (those holding the document first: that loader is the one that loaded it), then
   * the document's folder and the folders above it.
   */
  private searchPath(folder: string): string[] {
    const ancestors: string[] = [];
    for (let f = resolve(folder), i = 0; i <= MAX_PARENTS; i++) {
      ancestors.push(f);
      const up = dirname(f);
      if (up === f) break;
      f = up;
    }
    const loaderRoots = ancestors.flatMap((f) => this.loaderFoldersIn(f));
    const holding = loaderRoots.filter((r) => ancestors.includes(r));
    const others = loaderRoots.filter((r) => !ancestors.includes(r));
    return [...new Set([...holding, ...ancestors, ...others])];
  }

  /** The loader folders the Python files directly in `folder` name (cached by the folder's and each file's modification time). */
  private loaderFoldersIn(folder: string): string[] {
    const stat = statOf(folder);
    if (!stat) return [];
    let listing = this.folders.get(folder);
    if (!listing || listing.mtimeMs !== stat.mtimeMs) {
      let names: string[] = [];
      try {
        names = readdirSync(folder).filter((n) => n.endsWith('.py')).slice(0, MAX_PY_PER_FOLDER);
      } catch {
        names = [];
      }
      listing = { mtimeMs: stat.mtimeMs, value: names };
      this.folders.set(folder, listing);
    }
    const out: string[] = [];
    for (const name of listing.value) {
      const file = join(folder, name);
      const s = statOf(file);
      if (!s || s.size > MAX_FILE_BYTES) continue;
      let cached = this.loaders.get(file);
      if (!cached || cached.mtimeMs !== s.mtimeMs) {
        const source = this.read(file, MAX_FILE_BYTES);
        cached = { mtimeMs: s.mtimeMs, value: source === undefined ? [] : loaderFolders(source, folder) };
        this.loaders.set(file, cached);
        if (this.loaders.size > 2_000) this.loaders.delete(this.loaders.keys().next().value as string);
      }
      out.push(...cached.value);
    }
    return out;
  }
}

function statOf(path: string): { mtimeMs: number; size: number; file: boolean } | undefined {
  try {
    const s = statSync(path);
    return { mtimeMs: s.mtimeMs, size: s.size, file: s.isFile() };
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return statOf(path)?.file === true;
}

/** The module's own folder, as Python code writes it: `Path(__file__).parent`, `os.path.dirname(__file__)` and their `resolve()`/`abspath` forms. */
const MODULE_FOLDER = String.raw`(?:(?:pathlib\.)?Path\(\s*__file__\s*\)(?:\.resolve\(\s*\)|\.absolute\(\s*\))?\.parent|os\.path\.dirname\(\s*(?:os\.path\.(?:abspath|realpath)\(\s*__file__\s*\)|__file__)\s*\))`;
const STRING = String.raw`(?:"([^"\\\n]*)"|'([^'\\\n]*)')`;

/**
 * The folders a Python source's `FileSystemLoader(…)` calls name, read only in simple forms (`folder` is the source's
 * folder): a string literal (relative to the folder the app runs in, taken as the source's folder and the folders above
 * it), the module's own folder, that folder joined with literals (`Path(__file__).parent / "prompts"`,
 * `os.path.join(os.path.dirname(__file__), "prompts")`). Anything else (a variable, a list) names nothing.
 */
export function loaderFolders(source: string, folder: string): string[] {
  if (!source.includes('FileSystemLoader')) return [];
  const out: string[] = [];
  const call = /FileSystemLoader\(\s*(?:searchpath\s*=\s*)?/g;
  for (let m = call.exec(source); m; m = call.exec(source)) {
    const arg = source.slice(m.index + m[0].length, m.index + m[0].length + 300);
    const literal = new RegExp(`^${STRING}\\s*[,)]`).exec(arg);
    if (literal) {
      const path = literal[1] ?? literal[2];
      if (isAbsolute(path)) {
        out.push(resolve(path));
        continue;
      }
      for (let f = folder, i = 0; i <= MAX_PARENTS; i++) {
        out.push(resolve(f, path));
        const up = dirname(f);
        if (up === f) break;
        f = up;
      }
      continue;
    }
    const joined = new RegExp(`^os\\.path\\.join\\(\\s*${MODULE_FOLDER}((?:\\s*,\\s*${STRING})*)\\s*\\)\\s*[,)]`).exec(arg);
    const divided = joined ? undefined : new RegExp(`^${MODULE_FOLDER}((?:\\s*/\\s*${STRING})*)\\s*[,)]`).exec(arg);
    const rest = (joined ?? divided)?.[1];
    if (rest === undefined) continue;
    const pieces = [...rest.matchAll(new RegExp(STRING, 'g'))].map((p) => p[1] ?? p[2]);
    if (pieces.some((p) => isAbsolute(p))) continue;
    out.push(resolve(folder, ...pieces));
  }
  return out;
}
