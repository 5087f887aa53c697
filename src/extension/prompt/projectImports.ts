/**
 * Which files of a workspace folder import a document's names and send them to a model
 * (src/shared/prompt/scanner/promptSends.ts): a prompt module (`prompts.ts`) is priced with the model of the file that
 * sends its prompts (open-canvas's `reflection/index.ts` sends `REFLECT_SYSTEM_PROMPT` with claude-3-5-sonnet), not
 * with `pepperpy.defaultModel`.
 *
 * Built off the typing path, as the project's schemas are (projectSchemas.ts): the first document of a folder starts a
 * walk of its source files, reading only the modules each imports (one regular expression per file). When a document is
 * priced, the files importing it are read by the engine (`sendsOf`, cached by modification time) and `onReady` is told
 * once their answers are in, so that the document is priced again with them. Until then, and in untrusted workspaces
 * (the caller passes no `sendsOf`), documents are priced alone, as before.
 *
 * Node's `fs` only (no `vscode`), so that unit tests can run it on real folders.
 */
import * as path from 'node:path';
import type { ImportedSend, PromptSend } from '../../protocol/hints';
import { combineSends, importedModules, importerIsTest, ImportResolver } from '../../shared/prompt/scanner/promptSends';
import { filesUnder, mtimeOf, neverListed, readSmallFile } from './folderFiles';

/** A folder with more source files than this is not indexed. */
const MAX_FILES = 20_000;
/** At most this many importing files are read for one document (the first by path). */
const MAX_IMPORTERS = 25;
const SOURCE_FILE = /\.(?:py|[cm]?[jt]sx?)$/;

/** The language id VS Code gives a source file, from its extension. */
export function languageIdOfSource(file: string): string {
  if (file.endsWith('.py')) return 'python';
  if (/\.[cm]?tsx$/.test(file)) return 'typescriptreact';
  if (/\.[cm]?ts$/.test(file)) return 'typescript';
  if (/\.[cm]?jsx$/.test(file)) return 'javascriptreact';
  return 'javascript';
}

interface FolderIndex {
  /** Each file's imported modules. */
  modules: Map<string, string[]>;
  mtimes: Map<string, number>;
  ready: boolean;
  walking: boolean;
  again: boolean;
  /** Files that started a walk by not being known: once each (a file in a skipped folder is never known). */
  walkedFor: Set<string>;
  /** The last walk listed more than `maxFiles` files: nothing is indexed, and no file asked for walks it again. */
  tooLarge: boolean;
  /** Bumped on every change of `modules`: the importers found per target are kept until it moves. */
  version: number;
  importers: Map<string, { version: number; files: string[] }>;
  /** Which file an import names, for the files of `version` (made again when it moves). */
  resolver?: { version: number; resolver: ImportResolver };
}

/** The index's import resolver, for its files as they are now. */
function resolverOf(index: FolderIndex): ImportResolver {
  if (index.resolver?.version !== index.version) index.resolver = { version: index.version, resolver: new ImportResolver(index.modules.keys()) };
  return index.resolver.resolver;
}

export class ProjectImportIndexes {
  private readonly folders = new Map<string, FolderIndex>();
  /** What each importing file sends, by path, with the modification time it was read at. */
  private readonly sends = new Map<string, { mtime: number; sends: Promise<PromptSend[]>; settled?: PromptSend[] }>();
  private readonly changeTimers = new Map<string, NodeJS.Timeout>();

  /**
   * `sendsOf` reads one file's sends (the engine's `editor/promptSends`); `onReady` is told the folder whose
   * index or sends changed, and `onReadyFile` a document whose importers' sends came in.
   */
  constructor(
    private readonly sendsOf: (file: string, text: string, languageId: string) => Promise<PromptSend[]>,
    private readonly onReady: (folder: string) => void = () => undefined,
    private readonly maxFiles = MAX_FILES,
  ) {}

  /**
   * What the files importing `filePath` send its names with, one per name; undefined while the folder's index is
   * being built or the importers are being read (`onReady` follows), and for files outside a workspace folder.
   */
  forFile(filePath: string, folder: string | undefined, options: { passive?: boolean } = {}): ImportedSend[] | undefined {
    if (folder === undefined || !path.isAbsolute(filePath) || !SOURCE_FILE.test(filePath)) return undefined;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    // Passive (a file priced without being opened, by Plan Cost Reduction's scan of the workspace): what is known
    // already, starting no walk and no read, so that pricing hundreds of files puts no extra work on the engine.
    if (options.passive) return index?.ready ? this.known(index, root, path.resolve(filePath)) : undefined;
    if (!index) {
      this.build(root);
      return undefined;
    }
    if (!index.ready) return undefined;
    const target = path.resolve(filePath);
    // A file the index has not read (created after the walk while no watcher told us: code-server's missed the files a
    // test wrote, and a checkout or a copy can bring its importers with it): the folder is walked again, once per file
    // (only new or changed files are read), and `onReady` follows.
    if (!index.mtimes.has(target) && !index.walkedFor.has(target) && !index.tooLarge && !neverListed(root, target)) {
      index.walkedFor.add(target);
      if (index.walking) index.again = true;
      else this.walk(root, index);
    }
    const importers = importersOf(index, target);
    const answers: Array<{ file: string; sends: PromptSend[]; test: boolean }> = [];
    let pending = false;
    for (const file of importers.slice(0, MAX_IMPORTERS)) {
      const mtime = index.mtimes.get(file) ?? 0;
      let known = this.sends.get(file);
      if (!known || known.mtime !== mtime) {
        // (The last answer stands while the file is read again: the lens keeps its model instead of flickering to the default.)
        const entry: { mtime: number; sends: Promise<PromptSend[]>; settled?: PromptSend[] } = { mtime, sends: Promise.resolve([]), ...(known?.settled ? { settled: known.settled } : {}) };
        let read = false;
        entry.sends = this.read(file).then((sends) => {
          entry.settled = sends;
          read = true;
          this.changed(root, 0);
          return sends;
        });
        this.sends.set(file, (known = entry));
        if (!read) pending = true;
      }
      if (known.settled === undefined) pending = true;
      else answers.push({ file, sends: known.settled.filter((s) => resolverOf(index).resolves(s.module, file, target)), test: importerIsTest(file, target) });
    }
    if (pending && answers.length === 0) return undefined;
    return fitForRequest(combineSends(answers.map((a) => ({ file: path.relative(root, a.file).split(path.sep).join('/'), sends: a.sends, test: a.test }))));
  }

  /** The sends already read for `target`'s importers, starting nothing. */
  private known(index: FolderIndex, root: string, target: string): ImportedSend[] {
    const answers: Array<{ file: string; sends: PromptSend[]; test: boolean }> = [];
    for (const file of importersOf(index, target).slice(0, MAX_IMPORTERS)) {
      const settled = this.sends.get(file)?.settled;
      if (settled) answers.push({ file: path.relative(root, file).split(path.sep).join('/'), sends: settled.filter((s) => resolverOf(index).resolves(s.module, file, target)), test: importerIsTest(file, target) });
    }
    return fitForRequest(combineSends(answers));
  }

  /** A source file was saved, created, changed or deleted: its imports are read again (if its folder is indexed). */
  async fileChanged(filePath: string, folder: string | undefined, debounceMs = 300): Promise<void> {
    if (folder === undefined || !SOURCE_FILE.test(filePath)) return;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    if (!index) return;
    // During the first walk: walked again after it, reading what changed since (the walk may have read this file
    // before the change: an import added then was lost until another walk; breakidx37).
    if (!index.ready) {
      if (index.walking) index.again = true;
      return;
    }
    const file = path.resolve(filePath);
    // A file no walk lists (`pip install` into the folder's .venv: thousands of events, each read here) or a folder too large to index.
    if (index.tooLarge || neverListed(root, file)) return;
    const mtime = await mtimeOf(file);
    const modules = mtime === undefined ? undefined : await readSmallFile(file, importedModules);
    if (mtime === undefined || modules === undefined) {
      index.version++;
      index.mtimes.delete(file);
      index.modules.delete(file);
      this.sends.delete(file);
    } else {
      const before = index.modules.get(file);
      index.mtimes.set(file, mtime);
      // The same imports, and never read as a document's importer: nothing any document is priced with changed, so no
      // document is priced again (a file saved 50 times a second priced every open document of its folder again after
      // each burst; breakidx37).
      if (before !== undefined && sameModules(before, modules) && !this.sends.has(file)) return;
      if (before === undefined || !sameModules(before, modules)) index.version++;
      index.modules.set(file, modules);
    }
    this.changed(root, debounceMs);
  }

  /**
   * Whether a file importing `filePath` changed on disk since it was read (a watcher can miss an event: it did in
   * code-server); a changed one is read again. At most the importers found before, stated once each.
   */
  async importersChanged(filePath: string, folder: string | undefined): Promise<boolean> {
    if (folder === undefined || !path.isAbsolute(filePath)) return false;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    const known = index?.importers.get(path.resolve(filePath));
    if (!index?.ready || !known) return false;
    let changed = false;
    for (const file of known.files.slice(0, MAX_IMPORTERS)) {
      if ((await mtimeOf(file)) === index.mtimes.get(file)) continue;
      changed = true;
      await this.fileChanged(file, folder, 0);
    }
    return changed;
  }

  /** Resolves when the folder's index is built and no walk or read of sends is under way (for tests). */
  async whenBuilt(folder: string): Promise<void> {
    const root = path.resolve(folder);
    if (!this.folders.has(root)) this.build(root);
    for (let index = this.folders.get(root); !index?.ready || index.walking; index = this.folders.get(root)) await new Promise((r) => setTimeout(r, 5));
    await Promise.all([...this.sends.values()].map((s) => s.sends));
  }

  /** A folder removed from the workspace: its index and what its files send are dropped (added again, it is walked again). */
  forget(folder: string): void {
    const root = path.resolve(folder);
    this.folders.delete(root);
    clearTimeout(this.changeTimers.get(root));
    this.changeTimers.delete(root);
    for (const file of [...this.sends.keys()]) if (!path.relative(root, file).startsWith('..')) this.sends.delete(file);
  }

  dispose(): void {
    for (const t of this.changeTimers.values()) clearTimeout(t);
    this.changeTimers.clear();
  }

  private changed(root: string, debounceMs: number): void {
    clearTimeout(this.changeTimers.get(root));
    this.changeTimers.set(
      root,
      setTimeout(() => {
        this.changeTimers.delete(root);
        this.onReady(root);
      }, debounceMs),
    );
  }

  private async read(file: string): Promise<PromptSend[]> {
    try {
      const text = await readSmallFile(file, (t) => t);
      return text === undefined ? [] : await this.sendsOf(file, text, languageIdOfSource(file));
    } catch {
      return [];
    }
  }

  private build(root: string): void {
    const index: FolderIndex = { modules: new Map(), mtimes: new Map(), ready: false, walking: false, again: false, version: 0, importers: new Map(), walkedFor: new Set(), tooLarge: false };
    this.folders.set(root, index);
    this.walk(root, index);
  }

  private walk(root: string, index: FolderIndex): void {
    index.walking = true;
    const first = !index.ready;
    const before = index.version;
    void (async () => {
      const files = await filesUnder(root, (name) => SOURCE_FILE.test(name) && !name.endsWith('.d.ts'), this.maxFiles);
      index.tooLarge = files === undefined;
      if (files) {
        const seen = new Set(files);
        for (const file of [...index.mtimes.keys()]) {
          if (seen.has(file)) continue;
          index.mtimes.delete(file);
          index.modules.delete(file);
          index.version++;
        }
        for (const file of files) {
          const mtime = await mtimeOf(file);
          if (mtime === undefined || index.mtimes.get(file) === mtime) continue;
          const modules = await readSmallFile(file, importedModules);
          if (modules === undefined) continue;
          index.mtimes.set(file, mtime);
          index.modules.set(file, modules);
          index.version++;
        }
      }
      index.ready = true;
      // (Only when something changed: a walk that finds the folder as it was prices nothing again.)
      if (first || index.version !== before) this.changed(root, 0);
      if (index.again) {
        index.again = false;
        this.walk(root, index);
      } else index.walking = false;
    })();
  }
}

function sameModules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

/** The files of the index that import `target`, sorted (kept per target until the index changes: this runs on every pricing of a document). */
function importersOf(index: FolderIndex, target: string): string[] {
  const known = index.importers.get(target);
  if (known && known.version === index.version) return known.files;
  // A module names its file's base name (`prompts` of `prompts.ts`), or its folder's for `index.ts` / `__init__.py`: a cheap test first.
  const parsed = path.parse(target);
  const base = parsed.name === 'index' || parsed.name === '__init__' ? path.basename(parsed.dir) : parsed.name;
  const files: string[] = [];
  const resolver = resolverOf(index);
  for (const [file, modules] of index.modules) {
    if (file !== target && modules.some((m) => m.includes(base) && resolver.resolves(m, file, target))) files.push(file);
  }
  files.sort();
  index.importers.set(target, { version: index.version, files });
  return files;
}

/** At most this many sends go with a hints request (the request takes 5,000). */
const MAX_SENDS = 1000;

/**
 * Sends the hints request's schema takes (ImportedSendSchema): a name, model or provider longer than it allows is left
 * out, a file label too long is shortened from the left, so that one odd file never makes the document's hints fail.
 */
export function fitForRequest(sends: ImportedSend[]): ImportedSend[] {
  const out: ImportedSend[] = [];
  for (const s of sends) {
    if (out.length >= MAX_SENDS) break;
    if (s.name.length > 200 || (s.model && s.model.name.length > 200) || (s.provider && s.provider.length > 50)) continue;
    const fitted = s.file.length > 600 ? { ...s, file: `…${s.file.slice(-599)}` } : s;
    out.push(fitted.spliced !== undefined && fitted.spliced.file.length > 600 ? { ...fitted, spliced: { ...fitted.spliced, file: `…${fitted.spliced.file.slice(-599)}` } } : fitted);
  }
  return out;
}
