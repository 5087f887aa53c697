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
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { schemaFacts, webOnlyClasses, type SchemaFacts } from '../../shared/prompt/scanner/projectSchemas';
import { MAX_FILE_BYTES, SKIPPED_DIRS } from '../../shared/prompt/scanner/scanFiles';

/** A folder with more Python files than this is not indexed (its documents are judged alone). */
const MAX_FILES = 20_000;

interface FolderIndex {
  facts: Map<string, SchemaFacts>;
  ready: boolean;
  /** The join of `facts`, computed when first asked after a change. */
  webOnly?: Map<string, Set<string>>;
}

export class ProjectSchemaIndexes {
  private readonly folders = new Map<string, FolderIndex>();
  /** `onReady` after files changed, once per burst (a checkout changes many files). */
  private readonly changeTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly onReady: (folder: string) => void = () => undefined) {}

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
    index.webOnly ??= webOnlyClasses(index.facts);
    return [...(index.webOnly.get(path.resolve(filePath)) ?? [])].sort();
  }

  /** A Python file was saved, created, changed or deleted: its facts are read again in the index of its folder (if built). */
  async fileSaved(filePath: string, folder: string | undefined, debounceMs = 300): Promise<void> {
    if (folder === undefined || !filePath.endsWith('.py')) return;
    const root = path.resolve(folder);
    const index = this.folders.get(root);
    if (!index?.ready) return;
    const facts = await readFacts(path.resolve(filePath));
    if (facts) index.facts.set(path.resolve(filePath), facts);
    else index.facts.delete(path.resolve(filePath));
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

  dispose(): void {
    for (const t of this.changeTimers.values()) clearTimeout(t);
    this.changeTimers.clear();
  }

  /** Resolves when the folder's index is built (for tests). */
  async whenBuilt(folder: string): Promise<void> {
    const root = path.resolve(folder);
    if (!this.folders.has(root)) this.build(root);
    while (!this.folders.get(root)?.ready) await new Promise((r) => setTimeout(r, 5));
  }

  private build(root: string): void {
    const index: FolderIndex = { facts: new Map(), ready: false };
    this.folders.set(root, index);
    void (async () => {
      const files = await pythonFiles(root);
      if (files.length <= MAX_FILES) {
        for (const file of files) {
          const facts = await readFacts(file);
          if (facts) index.facts.set(file, facts);
        }
      }
      index.ready = true;
      this.onReady(root);
    })();
  }
}

async function readFacts(file: string): Promise<SchemaFacts | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
    return schemaFacts(await fs.readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The `.py` files under a folder, skipping dependency and build folders as `prompt scan` does (at most MAX_FILES + 1). */
async function pythonFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0 && out.length <= MAX_FILES) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) stack.push(full);
      } else if (e.isFile() && e.name.endsWith('.py')) out.push(full);
    }
  }
  return out;
}
