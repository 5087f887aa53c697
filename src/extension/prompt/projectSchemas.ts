/**
 * The web-only classes of each workspace folder's Python project (src/shared/prompt/scanner/projectSchemas.ts):
 * the pydantic classes its web routes take or return and no file passes to a model, whose `Field(description=…)`
 * the scanner then takes for API documentation, not a prompt (letta's REST models).
 *
 * Built off the typing path: the first Python document of a folder starts a walk of the folder's `.py` files
 * (reading them asynchronously, one regular-expression pass each); until it is done, documents are judged alone,
 * as before. A Python file saved, created, changed or deleted is read again (promptIndex.ts watches them). `onReady` is told when a folder's index is built or changed, so
 * that the open documents are scanned again with it.
 *
 * Node's `fs` only (no `vscode`), so that unit tests can run it on real folders.
 */
import * as path from 'node:path';
import { schemaFacts, webOnlyClasses, type SchemaFacts } from '../../shared/prompt/scanner/projectSchemas';
import { filesUnder, mtimeOf, neverListed, readSmallFile } from './folderFiles';

/** A folder with more Python files than this is not indexed (its documents are judged alone). */
const MAX_FILES = 20_000;

interface FolderIndex {
  facts: Map<string, SchemaFacts>;
  /** Each indexed file's modification time when it was read: a walk again reads only what changed. */
  mtimes: Map<string, number>;
  ready: boolean;
  /** A walk is under way (the first, or one again because a document the index did not know was opened). */
  walking: boolean;
  /** Files that started a walk by not being known: once each (a file in a skipped folder is never known). */
  walkedFor: Set<string>;
  /** The last walk listed more than `maxFiles` Python files: nothing is indexed, and no file asked for walks it again. */
  tooLarge: boolean;
  /** A file the index did not know was asked for during a walk, which may have listed the folder before it came: walk again after. */
  again: boolean;
  /** The join of `facts`, computed when first asked after a change. */
  webOnly?: Map<string, Set<string>>;
}

function sameFacts(a: SchemaFacts | undefined, b: SchemaFacts | undefined): boolean {
  const key = (f: SchemaFacts | undefined): string => (f ? JSON.stringify([[...f.classes], [...f.bases], f.sent, f.web, f.built, [...f.imports]]) : '');
  return key(a) === key(b);
}

export class ProjectSchemaIndexes {
  private readonly folders = new Map<string, FolderIndex>();
  /** `onReady` after files changed, once per burst (a checkout changes many files). */
  private readonly changeTimers = new Map<string, NodeJS.Timeout>();
  /** A walk again after a burst of new files, per folder. */
  private readonly walkTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly onReady: (folder: string) => void = () => undefined,
    private readonly maxFiles = MAX_FILES,
  ) {}

  /**
   * The web-only classes of a Python document, sorted, once its folder's index is built; undefined before that
   * (the build is started), for other languages and for documents outside a workspace folder.
   */
  forFile(filePath: string, languageId: string, folder: string | undefined): string[] | undefined {
    if (languageId !== 'python' || folder === undefined || !path.isAbsolute(filePath)) return undefined;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    if (!index) {
      this.build(root);
      return undefined;
    }
    if (!index.ready) return undefined;
    // A Python file the index has not read (created by a checkout while no watcher told us): the folder may have
    // changed the same way, so it is walked again (reading only new or changed files), and the answer follows.
    const file = path.resolve(filePath);
    if (!index.mtimes.has(file) && !index.walkedFor.has(file) && !index.tooLarge && !neverListed(root, file)) {
      index.walkedFor.add(file);
      if (index.walking) index.again = true;
      else this.walk(root, index);
    }
    index.webOnly ??= webOnlyClasses(index.facts);
    return [...(index.webOnly.get(path.resolve(filePath)) ?? [])].sort();
  }

  /** A Python file was saved, created, changed or deleted: its facts are read again in the index of its folder (if built). */
  async fileSaved(filePath: string, folder: string | undefined, debounceMs = 300): Promise<void> {
    if (folder === undefined || !filePath.endsWith('.py')) return;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    if (!index) return;
    // During the first walk: walked again after it (the walk may have read this file before the change; breakidx37).
    if (!index.ready) {
      if (index.walking) index.again = true;
      return;
    }
    const file = path.resolve(filePath);
    // A file no walk lists (`pip install` into the folder's .venv: thousands of events, each read here) or a folder too large to index.
    if (index.tooLarge || neverListed(root, file)) return;
    // A file the index did not know (created: a copy, a checkout) comes in a burst whose other events the watcher may
    // drop (a letta folder copied in code-server: step.py came, its router did not, and step.py kept 29 lenses):
    // the folder is walked again after the burst (only new or changed files are read).
    const known = index.mtimes.has(file);
    if (!known) this.walkAfterBurst(root, index, debounceMs);
    const mtime = await mtimeOf(file);
    const facts = mtime === undefined ? undefined : await readSmallFile(file, schemaFacts);
    if (mtime === undefined) index.mtimes.delete(file);
    else index.mtimes.set(file, mtime);
    // The same facts as before: no document changes, none is scanned again (each save of any Python file scanned every
    // open Python document of its folder again; breakidx37).
    if (known && sameFacts(index.facts.get(file), facts)) return;
    if (facts) index.facts.set(file, facts);
    else index.facts.delete(file);
    delete index.webOnly;
    clearTimeout(this.changeTimers.get(root));
    if (debounceMs <= 0) {
      this.changeTimers.delete(root);
      this.onReady(root);
      return;
    }
    this.changeTimers.set(
      root,
      setTimeout(() => {
        this.changeTimers.delete(root);
        this.onReady(root);
      }, debounceMs),
    );
  }

  /** A folder removed from the workspace: its index is dropped (added again, it is walked again). */
  forget(folder: string): void {
    const root = path.resolve(folder);
    this.folders.delete(root);
    for (const timers of [this.changeTimers, this.walkTimers]) {
      clearTimeout(timers.get(root));
      timers.delete(root);
    }
  }

  dispose(): void {
    for (const t of this.changeTimers.values()) clearTimeout(t);
    this.changeTimers.clear();
    for (const t of this.walkTimers.values()) clearTimeout(t);
    this.walkTimers.clear();
  }

  /** Walks the folder again once file events stop coming for `debounceMs` (at once when 0). */
  private walkAfterBurst(root: string, index: FolderIndex, debounceMs: number): void {
    clearTimeout(this.walkTimers.get(root));
    const go = (): void => {
      this.walkTimers.delete(root);
      if (index.walking) index.again = true;
      else this.walk(root, index);
    };
    if (debounceMs <= 0) go();
    else this.walkTimers.set(root, setTimeout(go, Math.max(debounceMs, 1000)));
  }

  /** Resolves when the folder's index is built and no walk is under way (for tests). */
  async whenBuilt(folder: string): Promise<void> {
    const root = path.resolve(folder);
    if (!this.folders.has(root)) this.build(root);
    for (let index = this.folders.get(root); !index?.ready || index.walking; index = this.folders.get(root)) await new Promise((r) => setTimeout(r, 5));
  }

  private build(root: string): void {
    const index: FolderIndex = { facts: new Map(), mtimes: new Map(), ready: false, walking: false, walkedFor: new Set(), again: false, tooLarge: false };
    this.folders.set(root, index);
    this.walk(root, index);
  }

  /** Reads the folder's new and changed Python files, forgets the removed ones, then tells `onReady` if anything changed. */
  private walk(root: string, index: FolderIndex): void {
    index.walking = true;
    void (async () => {
      let changed = !index.ready;
      const files = await filesUnder(root, (name) => name.endsWith('.py'), this.maxFiles);
      index.tooLarge = files === undefined;
      if (files) {
        const seen = new Set(files);
        for (const file of [...index.mtimes.keys()]) {
          if (seen.has(file)) continue;
          index.mtimes.delete(file);
          index.facts.delete(file);
          changed = true;
        }
        for (const file of files) {
          const mtime = await mtimeOf(file);
          if (mtime === undefined || index.mtimes.get(file) === mtime) continue;
          index.mtimes.set(file, mtime);
          const facts = await readSmallFile(file, schemaFacts);
          if (facts) index.facts.set(file, facts);
          else index.facts.delete(file);
          changed = true;
        }
      }
      index.ready = true;
      if (changed) {
        delete index.webOnly;
        this.onReady(root);
      }
      // (A file asked for while this walk ran may have come after it listed the folder.)
      if (index.again) {
        index.again = false;
        this.walk(root, index);
      } else index.walking = false;
    })();
  }
}
