/**
 * The prompts of each open document, with their hints, per document version. Work is
 * debounced after edits, runs in the engine process (never on the extension host's thread
 * for a trusted workspace), and a result for an old version is never shown as current.
 * In an untrusted workspace the engine does not run: hints are computed in a worker thread of the
 * host (hostHints.ts) for documents under a smaller size limit, read-only (no rewrite commands).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PromptHintsRequest, PromptSendsRequest } from '../../protocol/engine';
import type { PromptHint, PromptHintsAnswer, PromptHintsParams, PromptHintsResult } from '../../protocol/hints';
import { applyHintsDelta, isHintsDelta } from '../../shared/hints/delta';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { config } from '../common/config';
import { formatCount } from '../common/format';
import type { EngineService } from '../client/engineService';
import type { Log } from '../common/log';
import { errorMessage } from '../../protocol/errors';
import { PROJECT_CONFIG_GLOB, ProjectModels } from './projectModel';
import { ProjectProviders } from './projectProvider';
import { PackageProviders } from '../../shared/packageProvider';
import { HostHints } from './hostHints';
import { ProjectImportIndexes } from './projectImports';
import { JINJA_FILE_NAME } from '../../shared/prompt/scanner/jinjaIncludes';
import { ProjectSchemaIndexes } from './projectSchemas';
import { EditHistory } from './trackedRange';

export const PROMPT_DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  { language: 'python' },
  { language: 'typescript' },
  { language: 'typescriptreact' },
  { language: 'javascript' },
  { language: 'javascriptreact' },
  { language: 'yaml' },
  { language: 'json' },
  { language: 'jsonc' },
  { language: 'markdown' },
  { language: 'jinja' },
  { language: 'prompty' },
  { pattern: '**/*.{prompt,prompty,jinja,j2,jinja2}' },
  // Plain-text, Markdown and Mustache/Handlebars/Liquid files in a folder of prompts (`prompts/`, `system_prompts/`,
  // `agent-prompts/`, `prompt/`): isPromptFile (src/shared/prompt/scanner) decides which of them are prompts whole.
  { pattern: '**/*prompts/**/*.{txt,md,mustache,hbs,handlebars,liquid}' },
  { pattern: '**/*prompt/**/*.{txt,md,mustache,hbs,handlebars,liquid}' },
];

const UNTRUSTED_MAX_CHARS = 200_000;

/** `pepperpy.defaultModels`: provider → model, string values only (the engine adds the built-in defaults for missing providers). */
export function defaultModelsSetting(): Record<string, string> {
  const value = vscode.workspace.getConfiguration('pepperpy').get<unknown>('defaultModels', {});
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [provider, model] of Object.entries(value as Record<string, unknown>).slice(0, 50)) {
      if (typeof model === 'string' && model.trim() !== '' && model.length <= 200 && provider.trim() !== '' && provider.length <= 50) out[provider.trim().toLowerCase()] = model.trim();
    }
  }
  return out;
}

interface Entry {
  /**
   * The document the hints are for. An untitled file opened right after another was closed gets its name (`Untitled-1`),
   * and its version numbers start again: the URI and the version do not tell the two apart.
   */
  document?: vscode.TextDocument;
  version: number;
  result: Promise<PromptHintsResult | undefined>;
  settled?: PromptHintsResult;
  /** The project config model the hints were priced with (`configKey`), and when it was last compared with the disk. */
  configKey?: string;
  configCheckedAt?: number;
  /** When the files importing the document were last compared with the disk. */
  importersCheckedAt?: number;
  /** The modification times of the modules whose constants the answer counted in place, and when they were last compared with the disk. */
  importedStats?: Map<string, number>;
  importedCheckedAt?: number;
}

/** Whether `entry` holds the hints of `document`'s current version (not those of another document under its URI). */
function isFor(entry: Entry, document: vscode.TextDocument): boolean {
  return entry.version === document.version && (entry.document === undefined || entry.document === document);
}

/** A file's modification time in ms, or -1 when it cannot be read (deleted, not a file). */
async function modifiedAt(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).mtimeMs;
  } catch {
    return -1;
  }
}

/**
 * The module a source file is, as an import names it: its path without the extension, or its folder for an `index` or
 * `__init__` file (`common.ts`, `common.tsx` and `common/index.ts` are all `./common`).
 */
function moduleOf(file: string): string {
  const parsed = path.parse(file);
  if (!/^\.(?:py|[cm]?[jt]sx?)$/.test(parsed.ext)) return file;
  return parsed.name === 'index' || parsed.name === '__init__' ? parsed.dir : path.join(parsed.dir, parsed.name);
}

/** How often a document's project config model is compared with the config files on disk, at most (ms). */
const CONFIG_RECHECK_MS = 1000;

/** Whole answers kept per open document for the engine's deltas to apply to: one per request that may be in flight. */
const HELD_ANSWERS = 3;

/** How the last engine answer for a document came (tests, measurements): whole, or a delta with how many items were sent whole and how many were refs. */
export interface HintsWire {
  kind: 'whole' | 'delta';
  /** Prompts and model names sent whole. */
  sent: number;
  /** Prompts and model names sent as refs into the answer the editor held. */
  refs: number;
  /** The engine's answer as it came (for measuring its size). */
  answer: PromptHintsAnswer;
  /** Set when a delta could not be applied (its base was not held) and the whole answer was asked for. */
  refetched?: true;
}

export class PromptIndex implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The engine request of each document's latest version: a newer version (or closing the document) cancels it. */
  private readonly requests = new Map<string, { document: vscode.TextDocument; version: number; abort: AbortController }>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly warnedTooLarge = new Set<string>();
  private readonly projects = new ProjectProviders();
  /** Read again at most every 30 s: an edit that adds or drops an SDK import shows on the next hints after that. */
  private readonly packages = new PackageProviders(undefined, 30_000);
  private readonly configuredModels = new ProjectModels();
  private configTimer: NodeJS.Timeout | undefined;
  /** The web-only classes of each folder's Python project, indexed off the typing path; the folder's open Python documents are scanned again when it changes. */
  private readonly schemas = new ProjectSchemaIndexes((folder) => this.refreshPython(folder));
  /** The files of each folder that import a document's names and send them to a model (projectImports.ts), read by the engine off the typing path. */
  private readonly imports = new ProjectImportIndexes(
    async (file, text, languageId) => (await this.engine.request(PromptSendsRequest.type, { text, languageId, fileName: file }, { timeoutMs: 30_000 })).sends,
    (folder) => this.refreshFolder(folder),
  );
  private hostHints: HostHints | undefined;
  /**
   * Per open document, the last whole answers with an engine id, newest last: the next request names the newest
   * (`since`), and the engine may answer with a delta against any of them (delta.ts). Dropped when the document closes.
   */
  private readonly held = new Map<string, PromptHintsResult[]>();
  private readonly wires = new Map<string, HintsWire>();
  /**
   * Per open document, the module files whose constants its last answer counted in place (`importedTexts`), absolute:
   * kept apart from the entries, which a recomputation replaces before it settles (a module saved meanwhile was missed,
   * and the lens kept the old text).
   */
  private readonly importedFiles = new Map<string, Set<string>>();
  /**
   * Per open document, the edits of its last versions: a lens or a code action carries the offset of the version its hints
   * were computed for, and the user may edit the file before clicking it (`offsetNow`).
   */
  private readonly histories = new Map<string, { document: vscode.TextDocument; edits: EditHistory }>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly engine: EngineService,
    private readonly log: Log,
  ) {
    this.disposables.push(
      this.emitter,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const history = this.histories.get(e.document.uri.toString());
        if (history?.document === e.document) history.edits.record(e.document.version, e.contentChanges);
        if (this.applies(e.document)) this.schedule(e.document, config.hintsDebounceMs());
      }),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (!this.applies(d)) return;
        this.track(d);
        this.schedule(d, 0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      // A Python file saved, created, changed on disk (a checkout) or deleted: read again in its folder's index.
      ...this.watchPython(),
      ...this.watchSources(),
      ...this.watchConfigs(),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pepperpy')) this.refreshAll();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll()),
      // A folder removed: its indexes go (kept, they were stale when it came back: files changed meanwhile were not read again).
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        for (const f of e.removed) {
          if (f.uri.scheme !== 'file') continue;
          this.imports.forget(f.uri.fsPath);
          this.schemas.forget(f.uri.fsPath);
        }
      }),
    );
    for (const d of vscode.workspace.textDocuments) {
      if (!this.applies(d)) continue;
      this.track(d);
      this.schedule(d, 0);
    }
  }

  /** Starts keeping the document's edits (once per document), so that offsets of its versions from now on can be carried forward. */
  private track(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (document.isClosed || this.histories.get(key)?.document === document) return;
    this.histories.set(key, { document, edits: new EditHistory(document.version) });
  }

  /**
   * `offset` of the document's `version` in its current text: moved by the edits made since (text typed above a prompt moves
   * it down). Undefined when those edits are not known (more of them than are kept, or the version is of another document
   * that had this URI); the caller then must not guess.
   */
  offsetNow(document: vscode.TextDocument, offset: number, version: number): number | undefined {
    if (document.version === version) return offset;
    const history = this.histories.get(document.uri.toString());
    if (!history || history.document !== document || history.edits.current !== document.version) return undefined;
    return history.edits.offsetNow(offset, version);
  }

  applies(document: vscode.TextDocument): boolean {
    return vscode.languages.match(PROMPT_DOCUMENT_SELECTOR, document) > 0 && document.uri.scheme !== 'output' && document.uri.scheme !== 'git';
  }

  /**
   * The hints for the document's current version (computed now if needed). A closed document has none: whatever still
   * holds it (a command or a provider that began before it closed) gets undefined, and nothing is computed or kept for
   * it. Its hints were kept under its URI and version, which an untitled file opened next has too (code-server reuses the
   * name): that file got the closed one's hints, and its own request was cancelled (untitled46).
   */
  async get(document: vscode.TextDocument): Promise<PromptHintsResult | undefined> {
    return (await this.current(document))?.result;
  }

  /**
   * The hints for the document's current version, with that version: the document may be edited while they are awaited, and
   * their offsets are then those of the version they were computed for (carried forward with `offsetNow`).
   */
  async versioned(document: vscode.TextDocument): Promise<{ hints: PromptHintsResult; version: number } | undefined> {
    const entry = await this.current(document);
    const hints = await entry?.result;
    return entry && hints ? { hints, version: entry.version } : undefined;
  }

  /** The entry of the hints for the document's current version (computed now if needed); see `get`. */
  private async current(document: vscode.TextDocument): Promise<Entry | undefined> {
    if (!this.applies(document) || document.isClosed) return undefined;
    this.track(document);
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && isFor(entry, document)) {
      if (!(await this.configChanged(document, entry)) && !(await this.importersChanged(document, entry)) && !(await this.importedChanged(entry))) return entry;
      // A config file or an imported module changed on disk and no watcher event said so (the watcher can miss one): priced again.
      const fresh = this.compute(document);
      void fresh.result.then(() => this.emitter.fire(document.uri));
      return fresh;
    }
    const computed = this.compute(document);
    // No edit's timer will say when this answer is in (the one before it failed, or a command asked first): the
    // diagnostics and lenses hear it from here. (An answer that failed was not kept; the diagnostics stayed empty until the
    // next edit, CI 2026-12-07.)
    if (!this.timers.has(key)) {
      void computed.result.then((result) => {
        if (result !== undefined && this.entries.get(key) === computed) this.emitter.fire(document.uri);
      });
    }
    return computed;
  }

  /** Whether the model the document's project configures is no longer the one its hints were priced with (checked at most once a second). */
  private async configChanged(document: vscode.TextDocument, entry: Entry): Promise<boolean> {
    if (document.uri.scheme !== 'file' || entry.configKey === undefined) return false;
    const now = Date.now();
    if (entry.configCheckedAt !== undefined && now - entry.configCheckedAt < CONFIG_RECHECK_MS) return false;
    entry.configCheckedAt = now;
    return (await this.configuredKey(document)) !== entry.configKey;
  }

  /** Whether a file that imports the document and sends its names changed on disk (checked at most once a second, as the config). */
  private async importersChanged(document: vscode.TextDocument, entry: Entry): Promise<boolean> {
    if (document.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return false;
    const now = Date.now();
    if (entry.importersCheckedAt !== undefined && now - entry.importersCheckedAt < CONFIG_RECHECK_MS) return false;
    entry.importersCheckedAt = now;
    return this.imports.importersChanged(document.uri.fsPath, vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath);
  }

  /**
   * The modification times of the modules an answer counted constants from (`importedTexts`), kept to compare with the disk
   * when the watcher misses a change (`importedChanged`). A module modified after the computation began may have been read
   * before the change: the document is priced again at once.
   */
  private async recordImported(document: vscode.TextDocument, entry: Entry, files: ReadonlySet<string>, startedAt: number): Promise<void> {
    const stats = new Map<string, number>();
    for (const file of files) stats.set(file, await modifiedAt(file));
    // And the folder the module's name is looked up in (`./common` is `common.ts` or `common/index.ts`): a module created
    // there that takes the place of the one read changes that folder's time, with or without the watcher's event (a
    // watcher that had not yet watched a folder just made missed the file created in it: CI 2026-12-08, breaker51's test).
    const folders = new Set([...files].map((file) => path.dirname(moduleOf(file))));
    for (const folder of folders) if (!stats.has(folder)) stats.set(folder, await modifiedAt(folder));
    if (this.entries.get(document.uri.toString()) !== entry) return;
    if ([...stats].some(([file, mtime]) => mtime < 0 || (!folders.has(file) && mtime >= startedAt))) {
      this.entries.delete(document.uri.toString());
      this.schedule(document, 0);
      return;
    }
    entry.importedStats = stats;
  }

  /** Whether a module the answer counted constants from changed on disk since (checked at most once a second). */
  private async importedChanged(entry: Entry): Promise<boolean> {
    if (!entry.importedStats) return false;
    const now = Date.now();
    if (entry.importedCheckedAt !== undefined && now - entry.importedCheckedAt < CONFIG_RECHECK_MS) return false;
    entry.importedCheckedAt = now;
    for (const [file, mtime] of entry.importedStats) if ((await modifiedAt(file)) !== mtime) return true;
    return false;
  }

  private async configuredKey(document: vscode.TextDocument): Promise<string> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    const configured = await sharedPriceCatalog().then((catalog) => this.configuredModels.forFile(document.uri.fsPath, folder, catalog), () => undefined);
    return JSON.stringify(configured ?? null);
  }

  /** The latest finished hints, possibly for an older version (for cheap synchronous uses). */
  peek(document: vscode.TextDocument): PromptHintsResult | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && isFor(entry, document) ? entry.settled : undefined;
  }

  /**
   * The prompt whose literal contains `position`, from the current version's hints; else the composed prompt one of
   * whose pieces does (the fragment `categoriesContext` of a system prompt: the commands said "There is no prompt at
   * this position" there, while its hover showed the prompt).
   */
  async promptAt(document: vscode.TextDocument, position: vscode.Position): Promise<PromptHint | undefined> {
    const hints = await this.get(document);
    const offset = document.offsetAt(position);
    const inside = (r: { start: { offset: number }; end: { offset: number } }) => offset >= r.start.offset && offset <= r.end.offset;
    return hints?.prompts.find((p) => inside(p.location.range)) ?? hints?.prompts.find((p) => (p.location.pieces?.length ?? 0) > 1 && p.location.pieces?.some((piece) => inside(piece.range)));
  }

  refreshAll(): void {
    this.entries.clear();
    for (const d of vscode.workspace.textDocuments) if (this.applies(d)) this.schedule(d, 0);
  }

  private watchPython(): vscode.Disposable[] {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.py');
    const changed = (uri: vscode.Uri): void => {
      if (uri.scheme === 'file') void this.schemas.fileSaved(uri.fsPath, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
    };
    return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)];
  }

  /** A source file saved, created, changed or deleted: the modules it imports (and what it sends) are read again. */
  private watchSources(): vscode.Disposable[] {
    // (Jinja templates too: a template that `{% include %}`s one counts its text in place, `importedTexts`.)
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{py,ts,tsx,js,jsx,mjs,cjs,mts,cts,j2,jinja,jinja2}');
    const changed = (uri: vscode.Uri): void => {
      if (uri.scheme !== 'file' || uri.path.includes('/node_modules/')) return;
      if (!JINJA_FILE_NAME.test(uri.path)) void this.imports.fileChanged(uri.fsPath, vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath);
      this.refreshImporters(uri.fsPath);
    };
    return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)];
  }

  /** Prices again the open documents whose prompts count a constant of `file` in place (`importedTexts`): its text may have changed. */
  private refreshImporters(file: string): void {
    const changed = path.resolve(file);
    const parsed = path.parse(changed);
    const base = parsed.name === 'index' || parsed.name === '__init__' ? path.basename(parsed.dir) : parsed.name;
    // An import line naming the module (`from './common'`, `from .prompts import`, `import app.prompts as P`).
    const importing = base ? new RegExp(`^[ \\t]*(?:import|from|export)\\b[^\\n]*[./'"\\s]${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\.[\\w]+)?['"\\s]`, 'm') : undefined;
    for (const d of vscode.workspace.textDocuments) {
      const key = d.uri.toString();
      // (Its last answer's modules, even while a newer computation runs: that one may have read the file before it changed.)
      const counted = this.importedFiles.get(key)?.has(changed) ?? false;
      // A module created, or given its constant, after the document was priced: the names it left as runtime values may
      // be that module's (breaker43: counted only at the document's next edit).
      // (An answer still being computed may have looked for the module before it was written: priced again too.)
      const entry = this.entries.get(key);
      const open = entry !== undefined && entry.settled === undefined && isFor(entry, d);
      const missing = !counted && d.uri.scheme === 'file' && importing !== undefined && (open || (entry?.settled?.prompts.some((p) => p.runtimeValues.length > 0) ?? false)) && importing.test(d.getText());
      // A module created that takes the place of one it read: `common.ts` beside the `common/index.ts` read for `./common`,
      // `prompts/__init__.py` beside `prompts.py` (the language imports the new one; neither the watcher's event nor the
      // times of the files read said so, and the lens kept the old text until an edit, breaker51).
      const shadows = !counted && !missing && [...(this.importedFiles.get(key) ?? [])].some((file) => moduleOf(file) === moduleOf(changed));
      // (A template created after an including one was priced, where it said "not found".)
      const included = !counted && !missing && !shadows && JINJA_FILE_NAME.test(changed) && (this.entries.get(key)?.settled?.prompts.some((p) => p.includesNotCounted?.some((c) => c.why === 'missing' && path.basename(c.name) === path.basename(changed))) ?? false);
      if (!counted && !missing && !shadows && !included) continue;
      this.entries.delete(key);
      this.schedule(d, 0);
    }
  }

  /** Prices the open documents of a folder again (what its files send their imports with changed). */
  private refreshFolder(folder: string): void {
    for (const d of vscode.workspace.textDocuments) {
      if (!this.applies(d) || d.uri.scheme !== 'file' || path.resolve(vscode.workspace.getWorkspaceFolder(d.uri)?.uri.fsPath ?? '/') !== folder) continue;
      this.entries.delete(d.uri.toString());
      this.schedule(d, 0);
    }
  }

  /** A project config file (config2.yaml, .env…) saved, created or deleted: every open document is priced again (its model may come from there). */
  private watchConfigs(): vscode.Disposable[] {
    const watcher = vscode.workspace.createFileSystemWatcher(PROJECT_CONFIG_GLOB);
    const changed = (): void => {
      if (this.configTimer) clearTimeout(this.configTimer);
      this.configTimer = setTimeout(() => {
        this.configTimer = undefined;
        this.refreshAll();
      }, 300);
    };
    return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed), { dispose: () => this.configTimer && clearTimeout(this.configTimer) }];
  }

  /** Scans the open Python documents of a folder again (its project index was built or changed). */
  private refreshPython(folder: string): void {
    for (const d of vscode.workspace.textDocuments) {
      if (d.languageId !== 'python' || !this.applies(d) || path.resolve(vscode.workspace.getWorkspaceFolder(d.uri)?.uri.fsPath ?? '/') !== folder) continue;
      this.entries.delete(d.uri.toString());
      this.schedule(d, 0);
    }
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        // (A command or a lens asked for this version first: its answer is the one shown, not computed again.)
        const asked = this.entries.get(key);
        void (asked && isFor(asked, document) ? asked : this.compute(document)).result.then(() => this.emitter.fire(document.uri));
      }, delayMs),
    );
  }

  /** How the last engine answer for the document came (whole or a delta, and its size in items); for tests and measurements. */
  lastWire(document: vscode.TextDocument): HintsWire | undefined {
    return this.wires.get(document.uri.toString());
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.entries.delete(key);
    this.held.delete(key);
    this.wires.delete(key);
    this.importedFiles.delete(key);
    this.histories.delete(key);
    this.requests.get(key)?.abort.abort();
    this.requests.delete(key);
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
  }

  private compute(document: vscode.TextDocument): Entry {
    const key = document.uri.toString();
    const version = document.version;
    const text = document.getText();
    const entry: Entry = { document, version, result: Promise.resolve(undefined) };
    const startedAt = Date.now();
    // The hints of an older version still waiting in the engine are no longer wanted: while the engine is busy (a large file
    // with a syntax error is parsed whole, ~1 s per 100 KB), each pause in typing queued one more request, each run in turn.
    // (The same version asked again, by the debounce timer after a command asked first or by a changed config, cancels
    // nothing: the first request's callers still wait for it.)
    // (A request of another document under the same URI, closed since, was cancelled when it closed.)
    const previous = this.requests.get(key);
    const sameDocument = previous?.document === document;
    if (previous && sameDocument && previous.version < version) previous.abort.abort();
    const request = { document, version, abort: new AbortController() };
    if (!previous || !sameDocument || previous.version <= version) this.requests.set(key, request);
    entry.result = this.run(document, text, entry, request.abort.signal);
    entry.result = entry.result.then((result) => {
      if (this.requests.get(key) === request) this.requests.delete(key);
      entry.settled = result;
      // A failure (undefined: the engine timed out, crashed or refused) is not kept for this
      // version: the next request computes again instead of finding no prompts until an edit.
      if (result === undefined && this.entries.get(key) === entry) this.entries.delete(key);
      if (result !== undefined && document.uri.scheme === 'file') {
        const dir = path.dirname(document.uri.fsPath);
        // (And the modules read that gave no constant: breaker43's `String(process.env.RULES)` given a literal later.)
        const files = new Set([...result.prompts.flatMap((p) => (p.importedTexts ?? []).map((c) => path.resolve(dir, c.file))), ...(result.modulesRead ?? []).map((file) => path.resolve(dir, file))]);
        if (files.size > 0) {
          this.importedFiles.set(key, files);
          void this.recordImported(document, entry, files, startedAt);
        } else this.importedFiles.delete(key);
      }
      return result;
    });
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * The hints of a file's text read from disk, for a file that is not open: the same model and counts the lens would
   * show once it is opened, without opening it as a document (an opened document gets its findings in the Problems
   * panel, newuser34) and without keeping them. `languageId` is the one VS Code gives the file (`languageIdOfFile`).
   */
  hintsForFile(uri: vscode.Uri, languageId: string, text: string): Promise<PromptHintsResult | undefined> {
    return this.run({ uri, languageId }, text, { version: 0, result: Promise.resolve(undefined) });
  }

  private async run(document: Pick<vscode.TextDocument, 'uri' | 'languageId'> & { version?: number }, text: string, entry: Entry, signal?: AbortSignal): Promise<PromptHintsResult | undefined> {
    const trusted = vscode.workspace.isTrusted;
    const limit = trusted ? config.hintsMaxFileChars() : Math.min(UNTRUSTED_MAX_CHARS, config.hintsMaxFileChars());
    if (text.length > limit) {
      const key = document.uri.toString();
      if (!this.warnedTooLarge.has(key)) {
        this.warnedTooLarge.add(key);
        this.log.info(`Prompt hints skipped for ${document.uri.fsPath}: ${formatCount(text.length)} characters is over the limit of ${formatCount(limit)} (pepperpy.hints.maxFileSizeKb${trusted ? '' : '; untrusted workspaces use a lower limit'}).`);
      }
      return { prompts: [], models: [], skipped: `The file is larger than ${Math.round(limit / 1000)} KB, so PepperPy does not scan it (pepperpy.hints.maxFileSizeKb).`, elapsedMs: 0, cachedPrompts: 0 };
    }
    // A prompt module apart from the model call: the project's one LLM SDK (package.json) names the provider.
    const folder = vscode.workspace.getWorkspaceFolder(document.uri)?.uri.fsPath;
    // A manifest that names no provider (or none at all): the one provider the modules of the file's Python package import.
    const project = document.uri.scheme === 'file' ? (this.projects.forFile(document.uri.fsPath, document.languageId, folder) ?? this.packages.forFile(document.uri.fsPath, document.languageId)) : undefined;
    // The model its project configures (config/config2.yaml llm.model, a .env OPENAI_MODEL), for prompts whose code names none.
    const configured = document.uri.scheme === 'file' ? await sharedPriceCatalog().then((catalog) => this.configuredModels.forFile(document.uri.fsPath, folder, catalog), () => undefined) : undefined;
    if (document.uri.scheme === 'file') {
      entry.configKey = JSON.stringify(configured ?? null);
      entry.configCheckedAt = Date.now();
    }
    // Its project's web API records (Python): classes only web routes use, whose field descriptions are no prompts.
    const webOnly = document.uri.scheme === 'file' ? this.schemas.forFile(document.uri.fsPath, document.languageId, folder) : undefined;
    // What the files importing it send its names with (a prompt module priced with the model of the file that sends it); not in untrusted workspaces.
    // (A file priced without being opened, hintsForFile, takes what is known already: Plan Cost Reduction prices hundreds.)
    const importedSends = document.uri.scheme === 'file' && trusted ? this.imports.forFile(document.uri.fsPath, folder, { passive: document.version === undefined }) : undefined;
    const params = {
      text,
      languageId: document.languageId,
      fileName: document.uri.fsPath || document.uri.path,
      // With the URI and version, the engine re-scans only what changed since the last version it saw (a file read from
      // disk has no version: scanned whole, apart from the document's).
      ...(document.version !== undefined ? { uri: document.uri.toString(), version: document.version } : {}),
      defaultModel: config.defaultModel(),
      defaultModels: defaultModelsSetting(),
      ...(project ? { projectProvider: project } : {}),
      ...(configured ? { projectModel: configured } : {}),
      ...(webOnly && webOnly.length > 0 ? { webOnlyClasses: webOnly } : {}),
      ...(importedSends && importedSends.length > 0 ? { importedSends } : {}),
      compareModels: config.compareModels(),
      callsPerDay: config.callsPerDay(),
      withSuggestions: true,
    };
    try {
      if (trusted) {
        // An open document's version: the engine may answer with only what changed since the answer held (delta.ts).
        if (document.version === undefined) {
          // (A file read from disk: no `since`, so the whole answer.)
          const answer = await this.engine.request(PromptHintsRequest.type, params, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
          return isHintsDelta(answer) ? undefined : answer;
        }
        return await this.whole(document.uri.toString(), params, signal, document);
      }
      // (Untrusted: no engine; a worker thread, never the extension host's own thread.)
      this.hostHints ??= new HostHints();
      return await this.hostHints.compute(params, signal);
    } catch (error) {
      // (Cancelled because a newer version or a close replaced it: nothing failed.)
      if (!signal?.aborted) this.log.warn(`Prompt hints failed for ${document.uri.toString()}: ${errorMessage(error)}`);
      return undefined;
    }
  }

  /**
   * The whole answer for an open document: asked with `since` (the newest answer held), a delta comes back and is applied
   * to the answer it names. A delta whose base is no longer held (answers crossed, the document closed and reopened
   * meanwhile) is never applied: the whole answer is asked for again, without `since`.
   */
  private async whole(key: string, params: Omit<PromptHintsParams, 'since'>, signal: AbortSignal | undefined, owner: object): Promise<PromptHintsResult> {
    const options = { timeoutMs: 30_000, ...(signal ? { signal } : {}) };
    const held = this.held.get(key) ?? [];
    const since = held.at(-1)?.id;
    const answer = await this.engine.request(PromptHintsRequest.type, since !== undefined ? { ...params, since } : params, options);
    let result: PromptHintsResult | undefined;
    let wire: HintsWire;
    if (isHintsDelta(answer)) {
      const base = (this.held.get(key) ?? []).find((h) => h.id === answer.base);
      result = base ? applyHintsDelta(base, answer) : undefined;
      const refs = answer.prompts.filter(Array.isArray).length + answer.models.filter(Array.isArray).length;
      wire = { kind: 'delta', sent: answer.prompts.length + answer.models.length - refs, refs, answer };
      if (!result) {
        this.log.info(`Prompt hints: the engine answered with changes to an answer no longer held (${answer.base}); asking for the whole answer.`);
        const again = await this.engine.request(PromptHintsRequest.type, params, options);
        // (Without `since` the engine answers whole.)
        result = isHintsDelta(again) ? undefined : again;
        wire = { kind: 'whole', sent: again.prompts.length + again.models.length, refs: 0, answer: again, refetched: true };
        if (!result) throw new Error('The engine answered with changes to an answer that was not named.');
      }
    } else {
      result = answer;
      wire = { kind: 'whole', sent: answer.prompts.length + answer.models.length, refs: 0, answer };
    }
    // (A document closed while the engine worked keeps nothing, even when another one was opened under its URI since.)
    if (result.id !== undefined && vscode.workspace.textDocuments.some((d) => d === owner)) {
      this.held.set(key, [...(this.held.get(key) ?? []).filter((h) => h.id !== result.id), result].slice(-HELD_ANSWERS));
      this.wires.set(key, wire);
    }
    return result;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const r of this.requests.values()) r.abort.abort();
    for (const d of this.disposables) d.dispose();
    this.schemas.dispose();
    this.imports.dispose();
    this.hostHints?.dispose();
  }
}
