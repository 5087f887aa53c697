/**
 * Scanning files and folders on disk for prompts (the CLI's `prompt scan` and the
 * engine's `prompt/scan` request): recursive, skipping dependency and build folders,
 * binaries and very large files, each file reported with what was found or why it was
 * skipped.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, normalize, parse, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { EngineError, errorMessage } from '../../../protocol/errors';
import { promptSpan, type FileScanResult, type PromptLocation, type ScanSummaryItem } from '../../../protocol/scan';
import { specialKind } from '../../files';
import { composePrompt } from '../../hints/composed';
import { sharedTokenizer } from '../tokenizer';
import { findPrompts, looksBinary, scanLanguageOf } from './index';
import { TEST_FOLDERS, TEST_GLOBS } from './testCode';
import { schemaFacts, webOnlyClasses, type SchemaFacts } from './projectSchemas';
import { ImportedConstantReader } from './importedModules';
import { importedTextMap } from './jinjaIncludes';
import { combineSends, ImportResolver, promptSends } from './promptSends';
import { SPLICED_ELSEWHERE } from './evidence';
import type { ImportedConstant, PromptSend } from '../../../protocol/hints';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', 'build', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.next', '.vscode-test', 'coverage', 'site-packages']);
/** Files larger than this are skipped: generated or vendored, not hand-written prompts. */
export const MAX_FILE_BYTES = 2_000_000;

// Test code (`prompt scan --skip-tests`): testCode.ts, shared with the imported sends' reading of test files.
export { TEST_FOLDERS, TEST_GLOBS } from './testCode';

/**
 * Whether a folder named to a scan is test code itself: one of the folders on its path as given (relative to the working
 * directory for an absolute path inside it, after its leading `..` for a relative one; an absolute path outside it, `.`
 * or `..`, by the folder's own name) is a test folder. Its files are left out whole by `--skip-tests` (the globs read
 * paths below the folder named: `prompt scan tests/` would otherwise leave out `tests/test_x.py` and scan
 * `tests/helpers.py`). Folders above those the user named are not looked at: a project checked out under a `test/`
 * folder is not test code.
 */
export function isTestFolder(root: string): boolean {
  const given = !isAbsolute(root);
  const rel = given ? normalize(root) : relative(process.cwd(), root);
  // A relative path as typed names the folders after its leading '..' (`../backend/tests/unit`); an absolute one outside
  // the working directory names none.
  const outside = isAbsolute(rel) || (!given && /^\.\.(?:[\\/]|$)/.test(rel));
  const named = outside ? [] : rel.split(/[\\/]+/).filter((s) => s !== '' && s !== '.' && s !== '..');
  return (named.length > 0 ? named : [basename(resolve(root))]).some((s) => TEST_FOLDERS.includes(s));
}

/** Which files of a folder walk to leave out: globs matched against the path below the folder named (`tests/**`, `*.md`). */
export interface ScanExclusion {
  /** Globs (picomatch); one without a slash matches a file's name in any folder. */
  patterns?: readonly string[];
  /** Leave out test code (`TEST_GLOBS`), and the whole of a folder named that is a test folder (`isTestFolder`). */
  tests?: boolean;
}

/** What a folder walk left out: the files, and the folders named that are test folders (left out whole by `tests`). */
export interface ScanExcluded {
  count: number;
  testFolders?: string[];
}

/**
 * A matcher for `exclusion` below `root`, or undefined when it leaves nothing out. Bad globs throw a usage error naming
 * them. As .gitignore reads them, a glob that names a folder leaves out the files below it (`fixtures`, `web/fixtures`,
 * `web/fixtures/`), a leading slash anchors it at `root` (`/app/tests`), an absolute path into `root` is read below it
 * (and so is a path relative to the working directory that leads into `root`, as the scan prints its files),
 * and `!glob` takes back in what an earlier glob left out (`tests/**` then `!tests/keep.py`): the last glob that
 * matches a file or a folder on its way decides. The test globs of `tests` come first, so a `!glob` can keep a test file.
 * The folder itself (`/`, `.`, `./`, its absolute path with or without a slash) leaves out every file.
 */
function exclusionMatcher(exclusion: ScanExclusion | undefined, root: string): ((path: string) => boolean) | undefined {
  const patterns = [...(exclusion?.tests ? TEST_GLOBS : []), ...(exclusion?.patterns ?? [])];
  if (patterns.length === 0) return undefined;
  for (const p of patterns) if (p.trim() === '') throw new EngineError('badRequest', 'An exclude pattern is empty.', 'Give a glob such as tests/** or *.md.');
  // (Globs read forward slashes on every platform; on Windows a backslash is a separator, as picomatch reads it there.)
  const slashes = (p: string): string => (sep === '\\' ? p.replace(/\\/g, '/') : p);
  const base = slashes(resolve(root)).replace(/\/+$/, '');
  const matcher = (glob: string): ((path: string) => boolean) => {
    let p = glob;
    if (p === base || p === `${base}/`) p = '/';
    else if (p.startsWith(`${base}/`)) p = p.slice(base.length + 1);
    else if (p.startsWith('/')) p = p.replace(/^\/+/, '/');
    p = p.replace(/^\.\/+/, '').replace(/(.)\/+$/, '$1');
    // (The folder scanned itself, `/`, `.` or `./`, anchored or not: every file below it. picomatch refuses an empty glob.)
    if (p === '' || p === '/' || p === '.' || p === '/.') p = '**';
    const anchored = p.startsWith('/');
    return picomatch(anchored ? p.slice(1) : p, { dot: true, basename: !anchored && !p.includes('/') });
  };
  const cwd = slashes(resolve('.')).replace(/\/+$/, '');
  const matchers = patterns.map((raw) => {
    const trimmed = slashes(raw.trim());
    const negated = trimmed.startsWith('!');
    const p = negated ? trimmed.slice(1) : trimmed;
    const m = matcher(p);
    // A path as the scan prints it, relative to the working directory (`prompt scan backend --exclude backend/tests`), is
    // read below the folder as its absolute path is; as a glob below the folder too (break36: it left nothing out).
    const fromCwd = !p.startsWith('/') && cwd !== base && p.includes('/') ? slashes(resolve(p)) : undefined;
    const alsoFromCwd = fromCwd !== undefined && (fromCwd === base || fromCwd.startsWith(`${base}/`)) ? matcher(fromCwd) : undefined;
    return { m: alsoFromCwd ? (path: string) => m(path) || alsoFromCwd(path) : m, negated };
  });
  return (path) => {
    const parts = path.split('/');
    const ways = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    // A folder on the way matches as the file does; the last glob that matches decides.
    let out = false;
    for (const { m, negated } of matchers) if (ways.some((w) => m(w))) out = !negated;
    return out;
  };
}

export interface ScanFilesOptions {
  minConfidence?: number;
  /** Stops the walk (checked between files). */
  isCancelled?: () => boolean;
  /** Called before each file is scanned: its path as displayed, how many files were scanned before it, and how many there are. */
  onFile?: (file: string, done: number, total: number) => void;
  /** Keep each file's text on its result (`source`), for `summarize` to count composed prompts as the editor does. */
  keepSource?: boolean;
  /** The project's web-only classes by file (`projectWebOnlyClasses`); `scanPaths` builds them from the files it scans. */
  webOnlyClasses?: ReadonlyMap<string, ReadonlySet<string>>;
}
/** A file's result with its text and its path on disk (only with `keepSource`; never sent over the protocol), for summaries that read more than the prompts. */
export type FileScanResultWithSource = FileScanResult & { source?: string; path?: string };

/**
 * A file of a folder walk as the scan prints it: from the working directory, or whole when the folder was named by an
 * absolute path outside it (newuser42: `prompt scan /tmp/app` run from a project printed `../../../tmp/app/…`). A path
 * typed relative (`../app`) stays as typed.
 */
function shownPath(full: string): string {
  const rel = relative(process.cwd(), full);
  if (rel === '') return full;
  return isAbsolute(full) && (isAbsolute(rel) || /^\.\.(?:[\\/]|$)/.test(rel)) ? full : rel;
}

/**
 * Lists scannable files under the given paths, in a stable order. Missing paths throw with the path named. Files a folder
 * walk meets that `exclusion` leaves out are counted in `excluded` (a file named itself is always scanned).
 */
export function listScanFiles(paths: string[], exclusion?: ScanExclusion, excluded?: ScanExcluded): Array<{ file: string; display: string }> {
  const out: Array<{ file: string; display: string }> = [];
  // (Bad globs are an error whether or not a folder is walked.)
  exclusionMatcher(exclusion, '.');
  for (const root of paths) {
    const stat = statSync(root);
    if (stat.isFile()) {
      out.push({ file: root, display: root });
      continue;
    }
    // A FIFO or a device named on the command line is not a folder to walk: say so, not "0 files".
    if (!stat.isDirectory()) throw new EngineError('badRequest', `${root} is not a regular file or a folder: it is ${specialKind(stat)}.`, 'Pass source files or folders to scan.');
    const testRoot = exclusion?.tests === true && isTestFolder(root);
    if (testRoot && excluded) (excluded.testFolders ??= []).push(root);
    const excludes = testRoot ? () => true : exclusionMatcher(exclusion, root);
    const stack = [root];
    while (stack.length > 0) {
      const dir = stack.pop() as string;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) stack.push(full);
        } else if (e.isFile() && scanLanguageOf(undefined, full)) {
          // (Globs read forward slashes on every platform.)
          if (excludes?.(relative(root, full).split(sep).join('/'))) {
            if (excluded) excluded.count++;
            continue;
          }
          out.push({ file: full, display: shownPath(full) });
        }
      }
    }
  }
  return out;
}

/**
 * The classes that the Python files of a scan use in web routes and never pass to a model (projectSchemas.ts): the
 * project-level evidence `findPrompts` takes as `webOnlyClasses`. One regular-expression pass per Python file.
 */
export function projectWebOnlyClasses(files: ReadonlyArray<{ file: string }>): Map<string, Set<string>> {
  const facts: Array<[string, SchemaFacts]> = [];
  for (const { file } of files) {
    if (!/\.pyi?$/i.test(file)) continue;
    try {
      if (statSync(file).size > MAX_FILE_BYTES) continue;
      facts.push([file, schemaFacts(readFileSync(file, 'utf8'))]);
    } catch {
      // Unreadable: scanFile reports it.
    }
  }
  return webOnlyClasses(facts);
}

/** The text without a leading UTF-8 byte-order mark. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function scanFile(file: string, display: string, options: ScanFilesOptions = {}): FileScanResultWithSource {
  const started = performance.now();
  const languageId = scanLanguageOf(undefined, file) ?? 'unknown';
  const done = (prompts: PromptLocation[], skipped?: string): FileScanResult => ({
    file: display,
    languageId,
    prompts,
    ...(skipped ? { skipped } : {}),
    elapsedMs: Math.round((performance.now() - started) * 100) / 100,
  });
  let buffer: Buffer;
  try {
    const size = statSync(file).size;
    if (size > MAX_FILE_BYTES) return done([], `larger than ${MAX_FILE_BYTES} bytes`);
    buffer = readFileSync(file);
  } catch (error) {
    return done([], `unreadable: ${errorMessage(error)}`);
  }
  if (buffer.includes(0)) return done([], 'binary');
  // A UTF-8 byte-order mark is no text: the editor's document has none, and `prompt scan` names the same lines and columns
  // (a Markdown file saved with one lost its first heading, and the prompt under it was not found; breaker47).
  const text = withoutBom(buffer.toString('utf8'));
  if (looksBinary(text)) return done([], 'binary');
  const result: FileScanResultWithSource = done(
    findPrompts(text, undefined, {
      fileName: file,
      ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
      ...(options.webOnlyClasses?.has(file) ? { webOnlyClasses: options.webOnlyClasses.get(file) } : {}),
    }),
  );
  if (options.keepSource) {
    result.source = text;
    result.path = file;
  }
  return result;
}

export function scanPaths(paths: string[], options: ScanFilesOptions = {}, exclusion?: ScanExclusion, excluded?: ScanExcluded): FileScanResultWithSource[] {
  const results: FileScanResultWithSource[] = [];
  const list = listScanFiles(paths, exclusion, excluded);
  const withIndex = options.webOnlyClasses ? options : { ...options, webOnlyClasses: projectWebOnlyClasses(list) };
  // (Each file's text is kept while the walk runs only where a prompt may splice in another module's constant.)
  const reading = { ...withIndex, keepSource: true };
  for (const [i, { file, display }] of list.entries()) {
    if (options.isCancelled?.()) break;
    options.onFile?.(display, i, list.length);
    const result = scanFile(file, display, reading);
    if (!options.keepSource && !mayImportSpliced(result)) delete result.source;
    results.push(result);
  }
  if (!options.isCancelled?.()) spliceAcrossFiles(results, withIndex);
  if (!options.keepSource) {
    for (const r of results) {
      delete r.source;
      delete r.path;
    }
  }
  return results;
}

/** The editor's language id of a scan language whose name differs (`ImportedConstantReader` takes the editor's). */
const EDITOR_LANGUAGE: Readonly<Record<string, string>> = { tsx: 'typescriptreact', jsx: 'javascriptreact' };

/** A source file of a language whose modules import each other (Python, JavaScript, TypeScript). */
const CODE_FILE = /\.(?:py|[cm]?[jt]sx?)$/;

/** Whether a scanned file has a prompt that splices a value in (`${x}`, `{x}`, a `+` operand): it may be another module's constant. */
function mayImportSpliced(r: FileScanResultWithSource): boolean {
  return r.path !== undefined && CODE_FILE.test(r.path) && r.prompts.some((p) => p.placeholders.some((x) => x.interpolated) || p.runtimeOperands !== undefined);
}

/** The file name a module path names, without extension (`./common.js`, `.common`, `app.agents.common` → `common`). */
function moduleBase(module: string): string {
  return module.replace(/\.(?:[cm]?[jt]sx?)$/, '').split(/[/.]/).filter(Boolean).pop() ?? '';
}

/**
 * The editor's `splicedElsewhere` for a scan: a module constant that another scanned file imports and splices into a
 * prompt of its own (nanobrowser's `commonSecurityRules`, spliced into navigator.ts's system prompt) is a prompt of its
 * module too. The modules of such files are scanned again with those names; the rest is untouched.
 */
function spliceAcrossFiles(results: FileScanResultWithSource[], options: ScanFilesOptions): void {
  const importers = results.filter((r) => r.source !== undefined && mayImportSpliced(r));
  if (importers.length === 0) return;
  const code = results.filter((r) => !r.skipped && r.path !== undefined && CODE_FILE.test(r.path));
  // (Absolute: a path as typed, `app.tsx` from `prompt scan .`, is no path the import resolver can join a module to.)
  const abs = new Map(code.map((r) => [r, resolve(r.path as string)]));
  const byBase = new Map<string, FileScanResultWithSource[]>();
  for (const r of code) {
    const parsed = parse(abs.get(r) as string);
    const base = parsed.name === 'index' || parsed.name === '__init__' ? basename(parsed.dir) : parsed.name;
    byBase.set(base, [...(byBase.get(base) ?? []), r]);
  }
  const resolver = new ImportResolver([...abs.values()]);
  const answers = new Map<FileScanResultWithSource, Array<{ file: string; sends: PromptSend[] }>>();
  for (const r of importers) {
    const from = abs.get(r) ?? resolve(r.path as string);
    for (const send of promptSends(r.source as string, r.languageId, from, r.prompts)) {
      if (!send.spliced) continue;
      for (const target of byBase.get(moduleBase(send.module)) ?? []) {
        if (target === r || !resolver.resolves(send.module, from, abs.get(target) as string)) continue;
        const list = answers.get(target) ?? [];
        const mine = list.find((a) => a.file === r.file);
        if (mine) mine.sends.push(send);
        else list.push({ file: r.file, sends: [send] });
        answers.set(target, list);
      }
    }
  }
  for (const [target, list] of answers) {
    const spliced = combineSends(list).filter((s) => s.spliced !== undefined);
    if (spliced.length === 0) continue;
    let text = target.source;
    try {
      text ??= withoutBom(readFileSync(target.path as string, 'utf8'));
    } catch {
      continue;
    }
    target.prompts = findPrompts(text, undefined, {
      fileName: target.path as string,
      ...(options.minConfidence !== undefined ? { minConfidence: options.minConfidence } : {}),
      ...(options.webOnlyClasses?.has(target.path as string) ? { webOnlyClasses: options.webOnlyClasses.get(target.path as string) } : {}),
      splicedElsewhere: new Map(spliced.map((s) => [s.name, (s.spliced as { file: string }).file])),
    });
    target.source ??= text;
  }
}

/**
 * One line per prompt for people and for JSON consumers: lines, kind, tokens for the prompt's
 * model. Counted as the editor's lens counts it: a composed prompt with its fragments in place,
 * and runtime values (interpolations, template fields) left out, so the count of a prompt that
 * has any is a lower bound (`tokensAtLeast`) and `runtimeValues` names them.
 */
export function summarize(results: FileScanResultWithSource[], defaultModel: string, imports: SummaryImports = new SummaryImports()): ScanSummaryItem[] {
  const tokenizer = sharedTokenizer();
  const items: ScanSummaryItem[] = [];
  for (const r of results) {
    const imported = imports.of(r);
    const texts = imported.length > 0 ? importedTextMap(imported) : undefined;
    const importedBy = new Map(imported.map((c) => [c.name, c]));
    for (const p of r.prompts) {
      const model = p.model?.name ?? defaultModel;
      // A literal left unclosed (a syntax error in the file) runs over the code after it: that code is not counted as prompt text.
      const composed = p.unterminated ? { counted: '', runtimeValues: [] } : composePrompt(p, r.source ?? '', texts);
      const count = tokenizer.count(composed.counted, model);
      const longerCount = 'withLongerBranches' in composed && composed.withLongerBranches !== undefined ? tokenizer.count(composed.withLongerBranches, model).count : undefined;
      const longer = longerCount !== count.count ? longerCount : undefined;
      const span = promptSpan(p);
      items.push({
        file: r.file,
        // The lines the editor's lens names: a composed prompt's from its first piece (`promptSpan`).
        startLine: span.start.line + 1,
        endLine: span.end.line + 1,
        kind: p.kind,
        tokens: count.count,
        tokenMethod: count.method,
        ...(composed.runtimeValues.length > 0 ? { tokensAtLeast: true, runtimeValues: composed.runtimeValues } : {}),
        // (Text chosen by a condition between literals is counted with the shorter branches: a lower bound, with no runtime value.
        // Longer branches that add no token give no second count, as in the editor's hints.)
        ...(composed.runtimeValues.length === 0 && longer !== undefined ? { tokensAtLeast: true } : {}),
        ...(longer !== undefined ? { tokensWithLongerBranches: longer } : {}),
        ...(p.unterminated ? { unterminated: true } : {}),
        model,
        ...(p.api ? { api: p.api } : {}),
        ...(p.boundName ? { boundName: p.boundName } : {}),
        ...splicedIntoOf(p),
        ...importedTextsOf([...('imported' in composed ? (composed.imported ?? []) : []), ...('included' in composed ? (composed.included ?? []).map((c) => c.key) : [])], importedBy),
        confidence: p.confidence,
        // A composed prompt's preview is the start of its composed text, not of its anchor literal (newuser38: vanna's system
        // prompt, "You are Vanna, …" at line 61, previewed as its 11th piece, "• BEFORE executing any tool …").
        preview: ((p.pieces?.length ?? 0) > 1 && composed.counted.trim() !== '' ? composed.counted : p.text).replace(/\s+/g, ' ').trim().slice(0, 60),
      });
    }
  }
  return items;
}

/**
 * Constants a file imports from its project's modules, counted where its prompts splice them in (as the editor's lens
 * does), read once per file: `prompt scan` summarizes each prompt on its own (its model may differ from the file's other
 * prompts'), and reading a file's imports again for each of its prompts parsed the file again each time.
 */
export class SummaryImports {
  private readonly reader = new ImportedConstantReader();
  private readonly byFile = new Map<string, { source: string; imported: ImportedConstant[] }>();

  of(r: FileScanResultWithSource): ImportedConstant[] {
    if (!r.path || !r.source || r.prompts.length === 0) return [];
    // (The reader takes an editor language id and an absolute path: `prompt scan templates` from the project's folder
    // gave `templates/navigator.ts`, and a .tsx file is `tsx` here; both counted their imported constants as runtime values.)
    const key = `${r.path}\0${r.languageId}`;
    const known = this.byFile.get(key);
    if (known && known.source === r.source) return known.imported;
    const imported = this.reader.read(r.source, EDITOR_LANGUAGE[r.languageId] ?? r.languageId, resolve(r.path));
    this.byFile.set(key, { source: r.source, imported });
    return imported;
  }
}

/** `splicedInto` of a scan item: the file its evidence names as splicing it in (`SPLICED_ELSEWHERE`). */
function splicedIntoOf(p: PromptLocation): { splicedInto?: string } {
  const e = p.evidence.find((x) => x.detail.startsWith(SPLICED_ELSEWHERE));
  return e ? { splicedInto: e.detail.slice(SPLICED_ELSEWHERE.length) } : {};
}

/** `importedTexts` of a scan item: the imported constants its count took in place, where they are (1-based lines). */
function importedTextsOf(names: readonly string[] | undefined, byName: ReadonlyMap<string, { file: string; line: number }>): { importedTexts?: Array<{ name: string; file: string; line: number }> } {
  const found = (names ?? []).flatMap((name) => {
    const c = byName.get(name);
    return c ? [{ name, file: c.file, line: c.line + 1 }] : [];
  });
  return found.length > 0 ? { importedTexts: found } : {};
}
