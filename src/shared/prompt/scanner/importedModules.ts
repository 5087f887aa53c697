/**
 * The texts of the constants a document imports from its project's modules (importedConstants.ts),
 * read from disk for the engine's `editor/promptHints` (trusted workspaces only) and `prompt scan`: the document's own path
 * says where its relative imports point. Each module file is read at most once per modification time (and size); a
 * module that is missing, too large or unreadable adds nothing, and the prompt keeps the name as a runtime value.
 *
 * JavaScript and TypeScript: `./x` and `../x` with the usual extensions and `index` files (`./x.js` written for a
 * `./x.ts` source too), and a path alias `~/x`, `@/x`, `#/x` (`aliasCandidates`). Python: relative modules (`.prompts`, `..agents.prompts`) from the document's package, and
 * absolute ones (`app.prompts`) from the nearest folder above the document that holds them.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ImportedConstant } from '../../../protocol/hints';
import { boundInDocument, importedBindings, MAX_MODULE_CHARS, moduleConstants, type ModuleConstant } from './importedConstants';
import { JinjaIncludeReader } from './jinjaIncludeReader';
import { JINJA_FILE_NAME } from './jinjaIncludes';

/** At most this many modules are read for one document. */
const MAX_MODULES = 30;
/** Folders above a Python document searched for an absolute module. */
const MAX_PARENTS = 8;
const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

interface CachedModule {
  mtimeMs: number;
  size: number;
  ctimeMs: number;
  text: string;
  constants: Map<string, Map<string, ModuleConstant>>;
}

/**
 * A file's times and size. Its change time (`ctimeMs`) too: no program can set it, and a file copied over the module with
 * its times kept (`cp -p`, `rsync -a`, unpacked from an archive) and the same size left the old text in use (breaker51).
 */
function fileStat(file: string): FileStat | undefined {
  try {
    const s = statSync(file);
    return s.isFile() ? { mtimeMs: s.mtimeMs, size: s.size, ctimeMs: s.ctimeMs } : undefined;
  } catch {
    return undefined;
  }
}

interface FileStat {
  mtimeMs: number;
  size: number;
  ctimeMs: number;
}

const WORD = /[A-Za-z0-9_]/;

/**
 * Every name written where `read` looks for a spliced import, in one pass over the text: after `{` and spaces, ending at a
 * word boundary (`\{\s*NAME\b`: `{NAME}`, `{NAME.x}`, `{ NAME }`); before spaces and `+` with no `.`, `$` or word character
 * before it (`(?<![\w$.])NAME\s*\+`); after `+` and spaces, with no `$` or word character after it (`\+\s*NAME(?![\w$])`).
 * The same names those three expressions find for each NAME, which took one pass over the document per imported name
 * (30 ms a request on smolagents' agents.py, 60 imports).
 */
export function namesInSplices(text: string): Set<string> {
  const out = new Set<string>();
  // (By the `{` and `+` characters, found with indexOf: an expression that starts with a word is tried at every word.)
  for (let at = text.indexOf('{'); at !== -1; at = text.indexOf('{', at + 1)) {
    const start = skipSpaces(text, at + 1);
    const end = wordEnd(text, start);
    if (end === start) continue;
    // Each prefix of the word that ends at a word boundary: the next character is a word character or not, unlike its last.
    for (let k = start + 1; k <= end; k++) {
      const next = k < end ? text[k] : (text[end] ?? '');
      if (WORD.test(text[k - 1]) !== (next !== '' && WORD.test(next))) out.add(text.slice(start, k));
    }
  }
  for (let at = text.indexOf('+'); at !== -1; at = text.indexOf('+', at + 1)) {
    // After: `+`, spaces, a word.
    const start = skipSpaces(text, at + 1);
    const end = wordEnd(text, start);
    if (end > start) out.add(text.slice(start, end));
    // Before: a word, spaces, `+`, with no `.` or word character before the word.
    let wordEndAt = at;
    while (wordEndAt > 0 && /\s/.test(text[wordEndAt - 1])) wordEndAt--;
    let wordStart = wordEndAt;
    while (wordStart > 0 && WORD_OR_DOLLAR.test(text[wordStart - 1])) wordStart--;
    if (wordStart < wordEndAt && (wordStart === 0 || text[wordStart - 1] !== '.')) out.add(text.slice(wordStart, wordEndAt));
  }
  return out;
}

const WORD_OR_DOLLAR = /[\w$]/;

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

function wordEnd(text: string, at: number): number {
  let i = at;
  while (i < text.length && WORD_OR_DOLLAR.test(text[i])) i++;
  return i;
}

/**
 * What says a folder is unchanged: its modification time (ms; -1 when it is no folder or cannot be read), and with it
 * `id`, its inode and change time. A folder swapped for another of the same modification time (`mv p old && mv new p`, the
 * new one unpacked from an archive, which keeps the archive's times) or a link pointed at another folder (`ln -sfn v2
 * current`) kept the old resolution (breaker51); the other folder has another inode, and a renamed one a new change time.
 */
function folderTime(path: string): { mtimeMs: number; id: string } {
  try {
    const s = statSync(path);
    return s.isDirectory() ? { mtimeMs: s.mtimeMs, id: `${s.dev}:${s.ino}:${s.mtimeMs}:${s.ctimeMs}` } : MISSING_FOLDER;
  } catch {
    return MISSING_FOLDER;
  }
}

const MISSING_FOLDER = { mtimeMs: -1, id: '' };

/**
 * A resolution younger than this after its folders' last change is not kept: a folder's modification time has the
 * kernel's coarse clock (a few ms on Linux, 2 s on FAT), so a file created in the same tick would leave it unchanged.
 */
const RACY_MS = 2_000;

/**
 * The text of `file`, read with at most `limit` bytes: undefined when it holds more, is no regular file once opened, or
 * cannot be read. (A file the kernel makes, such as `/proc/self/pagemap`, says size 0 and reads without end:
 * `readFileSync` of it, named by `import { X } from '../../../../proc/self/pagemap'`, took all memory and aborted the engine.)
 */
function readBounded(file: string, limit: number): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    if (!fstatSync(fd).isFile()) return undefined;
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) return decodeSource(file, buffer.subarray(0, length));
      length += n;
      if (length > limit) return undefined;
    }
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A Python file's encoding declaration (PEP 263: `# -*- coding: latin-1 -*-` on its first or second line). */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;

/**
 * A module's text: UTF-8, or for a Python file the encoding its first two lines declare (a `latin-1` module was read as
 * UTF-8 and its accented letters counted as U+FFFD, breaker43). An encoding Node cannot decode falls back to UTF-8.
 */
function decodeSource(file: string, bytes: Buffer): string {
  if (file.endsWith('.py')) {
    const head = bytes.subarray(0, 400).toString('latin1').split(/\r?\n/, 2);
    const declared = head.map((line) => CODING.exec(line)?.[1]).find((c) => c !== undefined)?.toLowerCase();
    if (declared && !/^utf-?8(?:-sig)?$/.test(declared)) {
      // Python's Latin-1 is ISO-8859-1 (bytes 0x80–0x9F are C1 controls), which WHATWG's `latin1` label is not.
      if (/^(?:latin[-_]?1|iso[-_]?8859[-_]1|l1)$/.test(declared)) return bytes.toString('latin1');
      // Node 20's TextDecoder reads windows-1252 as ISO-8859-1: its curly quotes, dashes and € came out as C1 controls.
      if (/^(?:cp[-_]?1252|windows[-_]1252)$/.test(declared)) return decodeWindows1252(bytes);
      try {
        return new TextDecoder(declared.replace(/_/g, '-')).decode(bytes);
      } catch {
        // (An encoding the runtime does not know: read as UTF-8.)
      }
    }
  }
  return bytes.toString('utf8');
}

/**
 * Windows-1252's characters for the bytes 0x80–0x9F, in order (the codec table Python's `cp1252` uses; the five bytes
 * it leaves undefined, 0x81, 0x8D, 0x8F, 0x90 and 0x9D, are U+FFFD here). The other bytes are Latin-1's.
 */
const WINDOWS_1252_HIGH = '€\uFFFD‚ƒ„…†‡ˆ‰Š‹Œ\uFFFDŽ\uFFFD\uFFFD‘’“”•–—˜™š›œ\uFFFDžŸ';

function decodeWindows1252(bytes: Buffer): string {
  const latin1 = bytes.toString('latin1');
  return /[\x80-\x9f]/.test(latin1) ? latin1.replace(/[\x80-\x9f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]) : latin1;
}

function jsCandidates(base: string): string[] {
  const out = [base, ...JS_EXTENSIONS.map((e) => base + e), ...JS_EXTENSIONS.map((e) => join(base, `index${e}`))];
  // (`import … from './common.js'` in TypeScript sources that compile to ES modules names `./common.ts`.)
  const js = /\.(m|c)?js$/.exec(base);
  if (js) out.push(base.replace(/\.(m|c)?js$/, `.${js[1] ?? ''}ts`), base.replace(/\.(m|c)?js$/, '.tsx'));
  return out;
}

/**
 * A path alias of the project (`~/utils/constants`, `@/lib/prompts`, `#/x`): the path under the nearest folder above the
 * document that holds it, or under that folder's `src` (bolt.new's tsconfig maps `~/*` to `./app/*`, and
 * app/lib/.server/llm/prompts.ts imports `~/utils/constants`, app/utils/constants.ts). The same rule as the model's
 * resolution of an alias (promptSends.ts `moduleFile`).
 */
function aliasCandidates(document: string, module: string): string[] {
  const rest = module.slice(2);
  const out: string[] = [];
  let folder = dirname(document);
  for (let i = 0; i < MAX_PARENTS; i++) {
    out.push(...jsCandidates(join(folder, rest)), ...jsCandidates(join(folder, 'src', rest)));
    const up = dirname(folder);
    if (up === folder) break;
    folder = up;
  }
  return out;
}

function pythonCandidates(document: string, module: string): string[] {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  const path = module.slice(dots).split('.').filter(Boolean);
  // (A package before a module of the same name, as Python's import system takes them: `prompts/__init__.py` beside
  // `prompts.py` is the one `from .prompts import RULES` reads; the module's text was counted, breaker51.)
  const under = (folder: string): string[] => (path.length === 0 ? [join(folder, '__init__.py')] : [join(folder, ...path, '__init__.py'), join(folder, ...path) + '.py']);
  if (dots > 0) {
    let folder = dirname(document);
    for (let i = 1; i < dots; i++) folder = dirname(folder);
    return under(folder);
  }
  const out: string[] = [];
  let folder = dirname(document);
  for (let i = 0; i < MAX_PARENTS; i++) {
    out.push(...under(folder));
    const up = dirname(folder);
    if (up === folder) break;
    folder = up;
  }
  return out;
}

export class ImportedConstantReader {
  private readonly modules = new Map<string, CachedModule>();
  private readonly templates = new JinjaIncludeReader(readBounded);
  /**
   * Which file each module of a document resolved to (none: undefined), with the modification times of the folders of the
   * candidates it looked at up to it (for a folder that does not exist, the nearest one above it that does). Each read
   * asked the file system about every candidate (an alias has about 300), on every keystroke; now a resolution is kept
   * while those folders are unchanged: a file or folder created, deleted or renamed in one changes its time. Kept for 2 s
   * instead, a module created after the document was priced was not found when the watcher's event had it priced again
   * (CI 2026-12-08).
   */
  private readonly resolved = new Map<string, { file: string | undefined; folders: Array<[string, string]> }>();

  /** @param now The wall clock, compared with folders' modification times (tests set it). */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /**
   * The constants `text` (the document at `fileName`) imports whose texts its project's modules hold; for a Jinja
   * template (or a YAML file, which may hold Jinja), the templates its `{% include %}` tags name (jinjaIncludes.ts).
   * `modulesRead` gets the files its imports resolved to, those that gave no constant too (the editor watches them).
   */
  read(text: string, languageId: string, fileName: string | undefined, modulesRead?: Set<string>): ImportedConstant[] {
    if (!fileName || !isAbsolute(fileName)) return [];
    if (JINJA_FILE_NAME.test(fileName) || /jinja/i.test(languageId) || languageId === 'yaml' || /\.ya?ml$/i.test(fileName)) return this.templates.includes(text, fileName);
    const python = languageId === 'python';
    const javascript = /^(typescript|javascript|typescriptreact|javascriptreact)$/.test(languageId);
    // Any other document is a prompt file when it holds a prompt (`.prompt`, `.md`, `.txt`): Jinja renders gpt-pilot's
    // core/prompts/**/*.prompt, whose `{% include "partials/files_list.prompt" %}` tags were left as runtime values.
    if (!python && !javascript) return this.templates.includes(text, fileName);
    // Only names the document splices into a literal (`${NAME}`, `{NAME}`, `{ NAME }`) or adds with `+`: a class or
    // function imported from a package is not looked for on disk at each keystroke (JavaScript imports are all paths).
    const spliced = namesInSplices(text);
    const bindings = importedBindings(text, python ? 'python' : 'javascript').filter((b) => spliced.has(b.local));
    if (bindings.length === 0) return [];
    // What to look for in each module: a name it exports, under the name the document uses. A module imported whole
    // (`import * as P`, `import app.prompts as P`; in Python also `from app import prompts`) gives the names the
    // document reads off it (`${P.RULES}`, `{prompts.RULES}`).
    const byModule = new Map<string, Array<{ name: string; local: string }>>();
    const want = (module: string, name: string, local: string): void => {
      const list = byModule.get(module);
      if (list) list.push({ name, local });
      else byModule.set(module, [{ name, local }]);
    };
    for (const b of bindings) {
      if (b.name !== '*') want(b.module, b.name, b.local);
      if (b.name !== '*' && !python) continue;
      const module = b.name === '*' ? b.module : /\.$/.test(b.module) ? `${b.module}${b.name}` : `${b.module}.${b.name}`;
      const attribute = new RegExp(`\\{\\s*${b.local.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g');
      for (const m of new Set([...text.matchAll(attribute)].map((x) => x[1]))) want(module, m, `${b.local}.${m}`);
    }
    const out: ImportedConstant[] = [];
    // Whether each folder a candidate would be in exists, asked once per folder: an alias (`@/src/components/ui/form`) has
    // about 300 candidates under the document's parent folders, and a TSX file reads dozens of imported components inside
    // `{…}`; stat of each candidate took 40–220 ms on every request of a langfuse component (most folders do not exist).
    const folders = new Map<string, { mtimeMs: number; id: string }>();
    const folderAt = (folder: string): { mtimeMs: number; id: string } => {
      let known = folders.get(folder);
      if (known === undefined) folders.set(folder, (known = folderTime(folder)));
      return known;
    };
    // What says that a folder is unchanged: itself, or for a folder that does not exist, the nearest one above it that
    // does (a folder is created by adding it to its parent, which changes the parent's time). The candidates of an alias
    // are in ~10 folders each that mostly do not exist; asked of each one on every read, 160 a langfuse component.
    const witnesses = new Map<string, [string, { mtimeMs: number; id: string }]>();
    const witnessOf = (folder: string): [string, { mtimeMs: number; id: string }] => {
      let known = witnesses.get(folder);
      if (known === undefined) {
        const time = folderAt(folder);
        const up = dirname(folder);
        known = time.mtimeMs >= 0 || up === folder ? [folder, time] : witnessOf(up);
        witnesses.set(folder, known);
      }
      return known;
    };
    if (this.resolved.size > 5_000) this.resolved.clear();
    for (const [module, list] of [...byModule].slice(0, MAX_MODULES)) {
      const key = `${python ? 'py' : 'js'}\0${fileName}\0${module}`;
      const known = this.resolved.get(key);
      let found: { file: string; stat: FileStat } | undefined;
      const unchanged = known !== undefined && known.folders.every(([folder, id]) => folderAt(folder).id === id);
      const knownStat = unchanged && known.file !== undefined ? fileStat(known.file) : undefined;
      if (unchanged && (known.file === undefined || knownStat)) {
        found = known.file !== undefined && knownStat ? { file: known.file, stat: knownStat } : undefined;
      } else {
        const candidates: string[] = python ? pythonCandidates(fileName, module) : /^[~@#]\//.test(module) ? aliasCandidates(fileName, module) : jsCandidates(resolve(dirname(fileName), module));
        const looked = new Map<string, { mtimeMs: number; id: string }>();
        for (const file of candidates) {
          if (file === fileName) continue;
          const [folder, time] = witnessOf(dirname(file));
          looked.set(folder, time);
          if (folder !== dirname(file)) continue;
          const stat = fileStat(file);
          if (!stat) continue;
          found = { file, stat };
          break;
        }
        const wall = this.now();
        if ([...looked.values()].every((time) => wall - time.mtimeMs >= RACY_MS)) this.resolved.set(key, { file: found?.file, folders: [...looked].map(([folder, time]) => [folder, time.id]) });
        else this.resolved.delete(key);
      }
      if (!found) continue;
      modulesRead?.add(found.file);
      const constants = this.constantsOf(found.file, found.stat, python, list.map((b) => b.name));
      for (const b of list) {
        const c = constants?.get(b.name);
        if (c) out.push({ name: b.local, text: c.text, file: relative(dirname(fileName), found.file).replace(/\\/g, '/') || found.file, line: c.line });
      }
    }
    if (out.length === 0) return out;
    // A name the document binds again where it splices it (a parameter of the same name, `RULES = ""`) is not the
    // module's constant there. (The document is parsed for this only when a module gave a constant.)
    const locals = [...new Set(out.map((c) => c.name.split('.')[0]))];
    const bound = boundInDocument(text, python ? 'python' : 'javascript', locals, { typescript: /^typescript/.test(languageId), jsx: /react$/.test(languageId) });
    return bound.size > 0 ? out.filter((c) => !bound.has(c.name.split('.')[0])) : out;
  }

  private constantsOf(file: string, stat: FileStat, python: boolean, names: string[]): Map<string, ModuleConstant> | undefined {
    if (stat.size > MAX_MODULE_CHARS * 4) return undefined;
    let cached = this.modules.get(file);
    if (!cached || cached.mtimeMs !== stat.mtimeMs || cached.size !== stat.size || cached.ctimeMs !== stat.ctimeMs) {
      const text = readBounded(file, MAX_MODULE_CHARS * 4);
      if (text === undefined) return undefined;
      cached = { ...stat, text, constants: new Map() };
      this.modules.set(file, cached);
      if (this.modules.size > 500) this.modules.delete(this.modules.keys().next().value as string);
    }
    const key = [...names].sort().join(',');
    let constants = cached.constants.get(key);
    if (!constants) {
      constants = moduleConstants(cached.text, python ? 'python' : 'javascript', new Set(names), { typescript: !/\.(m|c)?jsx?$/.test(file), jsx: /x$/.test(file) });
      cached.constants.set(key, constants);
    }
    return constants;
  }
}
