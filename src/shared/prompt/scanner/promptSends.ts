/**
 * Where a file sends the names it imports: a prompt module (`prompts.ts`, `prompts.py`) holds the text, and
 * another file imports it and sends it to a model (langchain-ai/open-canvas's `reflection/index.ts` sends
 * `REFLECT_SYSTEM_PROMPT` from `./prompts.js` with claude-3-5-sonnet). `promptSends` reads one importing
 * file: each name it imports from another module of the project, with the model and provider that file sends
 * it with, when the file says (`PromptSend`, src/protocol/hints.ts). `importTargets` says whether an import's module is a given file.
 * The editor (src/extension/prompt/projectImports.ts) and `prompt scan` give the answers to the prompt
 * module's hints (hints/modelChoice.ts), so that its prompts are priced with the model that sends them.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { ImportedSend, PromptSend } from '../../../protocol/hints';
import type { PromptLocation } from '../../../protocol/scan';
import { codeDialectOf, findPrompts, scanLanguageOf } from './index';
import { FileModelResolver, type Lang, type ResolvedModel } from './models';
import { loadJavaScriptParser, loadPythonParser } from './parsers';
import { providerOfCallee, providerOfImports, providerOfModelName } from './providers';
import { TEST_CODE } from './testCode';

/** At most this many imported names are followed per file (a barrel file re-exporting hundreds is no prompt sender). */
const MAX_NAMES = 200;
/** A relative module or a project module: not a package from a registry (`openai`, `@langchain/core/prompts`). */
const TS_LOCAL_MODULE = /^(?:\.{1,2}\/|[@~#]\/|src\/|app\/|lib\/)/;

function textOf(src: string, node: SyntaxNode): string {
  return src.slice(node.from, node.to);
}

function lineOf(src: string, offset: number): number {
  let line = 1;
  for (let i = src.indexOf('\n'); i >= 0 && i < offset; i = src.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The names a file imports from modules, with the module and the local name: `from .prompts import A as B`,
 * `import { A as B } from "./prompts"`; and the members it reads of a module imported whole (`from . import prompts`
 * then `prompts.SYSTEM`, `import app.prompts as P`, `import * as P from "./prompts"`, a default import), as names of
 * that module.
 */
export function importedNames(src: string, tree: Tree, lang: Lang): Array<{ module: string; name: string; local: string; at: number }> {
  const out: Array<{ module: string; name: string; local: string; at: number }> = [];
  const namespaces: Array<{ module: string; local: string; at: number; to: number }> = [];
  for (let c = tree.topNode.firstChild; c && out.length < MAX_NAMES; c = c.nextSibling) {
    if (lang === 'python' && c.name === 'ImportStatement') {
      const text = textOf(src, c).replace(/#[^\n]*/g, '');
      const whole = /^import\s+([\w.]+)\s+as\s+([A-Za-z_]\w*)\s*$/.exec(text);
      if (whole) namespaces.push({ module: whole[1], local: whole[2], at: c.from, to: c.to });
      const m = /^from\s+(\.*[\w.]*)\s+import\s+\(?([\s\S]*?)\)?\s*$/.exec(text);
      if (!m || m[1] === '' || m[1] === '__future__') continue;
      for (const part of m[2].split(',')) {
        const b = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(part);
        if (!b || b[1] === '*') continue;
        out.push({ module: m[1], name: b[1], local: b[2] ?? b[1], at: c.from });
        // (`from . import prompts`, `from app.agents import prompts`: perhaps a module, read through its members.)
        namespaces.push({ module: /^\.*$/.test(m[1]) ? `${m[1]}${b[1]}` : `${m[1]}.${b[1]}`, local: b[2] ?? b[1], at: c.from, to: c.to });
      }
    } else if (lang === 'javascript' && c.name === 'ImportDeclaration') {
      const text = textOf(src, c);
      const m = /^import\s+(?:type\s+)?([\s\S]*?)\s+from\s+(["'])([^"'\n]+)\2/.exec(text);
      if (!m || !TS_LOCAL_MODULE.test(m[3])) continue;
      const whole = /\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(m[1]) ?? /^([A-Za-z_$][\w$]*)\s*(?:,|$)/.exec(m[1]);
      if (whole) namespaces.push({ module: m[3], local: whole[1], at: c.from, to: c.to });
      const braces = /\{([\s\S]*)\}/.exec(m[1]);
      if (!braces) continue;
      for (const part of braces[1].split(',')) {
        const b = /^\s*(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
        if (b) out.push({ module: m[3], name: b[1], local: b[2] ?? b[1], at: c.from });
      }
    }
  }
  for (const ns of namespaces) {
    const members = new Set<string>();
    const re = new RegExp(`(?<![\\w$.])${ns.local.replace(/\$/g, '\\$')}\\.([A-Za-z_$][\\w$]*)`, 'g');
    for (let m = re.exec(src); m && members.size < 50; m = re.exec(src)) if (m.index < ns.at || m.index >= ns.to) members.add(m[1]);
    for (const name of members) if (out.length < MAX_NAMES) out.push({ module: ns.module, name, local: name, at: ns.at });
  }
  return out;
}

/** The function (or class) whose body holds `node`, as a range; undefined at module level. */
function enclosingScope(node: SyntaxNode): { from: number; to: number } | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (/^(FunctionDefinition|FunctionDeclaration|ArrowFunction|FunctionExpression|MethodDeclaration|LambdaExpression)$/.test(p.name)) return { from: p.from, to: p.to };
  }
  return undefined;
}

/** The variable a statement assigns from an expression holding `node` (`formatted = PROMPT.format(…)`, `const s = PROMPT.replace(…)`), within a few levels. */
function assignedFrom(src: string, node: SyntaxNode): string | undefined {
  let hops = 0;
  for (let p: SyntaxNode | null = node.parent; p && hops++ < 12; p = p.parent) {
    if (p.name === 'VariableDeclaration') {
      const name = p.getChild('VariableDefinition');
      return name ? textOf(src, name) : undefined;
    }
    if (p.name === 'AssignStatement' || p.name === 'AssignmentExpression') {
      const target = p.firstChild;
      return target && (target.name === 'VariableName' || target.name === 'VariableDefinition') ? textOf(src, target) : undefined;
    }
    if (/Statement$|^(Block|Body|Script|ClassBody)$/.test(p.name)) return undefined;
  }
  return undefined;
}

/** The array a statement adds an expression holding `node` to (`messages.push({ role: 'user', content: PROMPT })`, `msgs.append(…)`), within a few levels. */
function pushedInto(src: string, node: SyntaxNode): string | undefined {
  let hops = 0;
  for (let p: SyntaxNode | null = node.parent; p && hops++ < 8; p = p.parent) {
    if (p.name === 'ArgList' && p.parent?.name === 'CallExpression') {
      const callee = p.parent.firstChild;
      const m = callee?.name === 'MemberExpression' ? /^([A-Za-z_$][\w$]*)\s*\.\s*(push|unshift|append|extend|insert)$/.exec(textOf(src, callee)) : null;
      if (m) return m[1];
    }
    if (/Statement$|^(Block|Body|Script|ClassBody)$/.test(p.name)) return undefined;
  }
  return undefined;
}

/** The functions (innermost first) whose body holds `node`. */
function enclosingFunctions(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (/^(FunctionDefinition|FunctionDeclaration|ArrowFunction|FunctionExpression|MethodDeclaration|LambdaExpression)$/.test(p.name)) out.push(p);
  }
  return out;
}

/**
 * The names the function `fn` binds of its own, so that such a name there is not the import: its parameters
 * (`def f(prompt):`, `(prompt) =>`); in Python the names assigned anywhere in its body (`prompt = "…"`: the name is
 * local to the whole function) unless declared `global`/`nonlocal`, `for prompt in`, `as prompt`; in TypeScript or
 * JavaScript a `const`/`let`/`var` declaration (MetaGPT's test_openai.py imports `prompt` and sends a local `prompt`
 * with dall-e-3). Read once per function (a file can send hundreds of names from one long function).
 */
function localNames(src: string, fn: SyntaxNode, lang: Lang): Set<string> {
  const out = new Set<string>();
  const params = fn.getChild('ParamList');
  if (params) for (const m of textOf(src, params).replace(/=[^,)]*/g, '').matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) out.add(m[0]);
  if (fn.firstChild?.name === 'VariableDefinition') out.add(textOf(src, fn.firstChild));
  const text = textOf(src, fn);
  if (lang !== 'python') {
    for (const m of text.matchAll(/\b(?:const|let|var)[ \t]+([A-Za-z_$][\w$]*)/g)) out.add(m[1]);
    return out;
  }
  const declared = new Set<string>();
  for (const m of text.matchAll(/^[ \t]*(?:global|nonlocal)[ \t]+([\w \t,]+)/gm)) for (const n of m[1].split(',')) declared.add(n.trim());
  const cursor = fn.cursor();
  while (cursor.next() && cursor.from < fn.to) {
    const n = cursor.node;
    if (n.name === 'AssignStatement' || n.name === 'UpdateStatement') {
      // (The targets: what is before the `=`; a keyword argument `prompt=prompt` is no statement.)
      for (let t = n.firstChild; t && t.name !== 'AssignOp' && t.name !== 'UpdateOp'; t = t.nextSibling) if (t.name === 'VariableName') out.add(textOf(src, t));
    } else if (n.name === 'ForStatement' || n.name === 'WithStatement') {
      const head = textOf(src, n).split('\n', 1)[0];
      const target = /^for[ \t]+([^]*?)[ \t]+in\b/.exec(head)?.[1];
      if (target) for (const m of target.matchAll(/[A-Za-z_]\w*/g)) out.add(m[0]);
      for (const m of head.matchAll(/\bas[ \t]+([A-Za-z_]\w*)/g)) out.add(m[1]);
    }
  }
  for (const n of declared) out.delete(n);
  return out;
}

/** Occurrences of a whole word in `src` outside `skip` (the import itself). */
function wordOccurrences(src: string, word: string, skip: { from: number; to: number }): number[] {
  const out: number[] = [];
  const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
  for (let at = src.indexOf(word); at >= 0 && out.length < 200; at = src.indexOf(word, at + word.length)) {
    if ((at > 0 && isWord(src.charCodeAt(at - 1))) || isWord(src.charCodeAt(at + word.length)) || (at >= skip.from && at < skip.to)) continue;
    out.push(at);
  }
  return out;
}

/**
 * Each name `src` imports from a module of its project, with the model and provider it is sent with: the call it is
 * passed to (or the call a variable made from it is passed to: `formatted = PROMPT.replace(…)`), else the file's only
 * model, else the provider of the file's one LLM SDK. Names the file does not use are left out. Never throws.
 */
export function promptSends(src: string, languageId: string | undefined, fileName?: string, knownPrompts?: readonly PromptLocation[]): PromptSend[] {
  const scanLang = scanLanguageOf(languageId, fileName);
  const dialect = scanLang ? codeDialectOf(scanLang) : undefined;
  if (!dialect || src.length === 0 || src.length > 2_000_000) return [];
  try {
    const parser = dialect.lang === 'python' ? loadPythonParser() : loadJavaScriptParser(dialect.typescript, dialect.jsx);
    const tree = parser.parse(src);
    // (The file's prompts, found only when a name it imports is written inside a string or joined to one: `spliced`.)
    let prompts = knownPrompts;
    const promptsOfFile = (): readonly PromptLocation[] => (prompts ??= findPrompts(src, languageId, fileName !== undefined ? { fileName } : {}));
    return sendsIn(src, tree, dialect.lang, fileName, promptsOfFile);
  } catch {
    return [];
  }
}

function sendsIn(src: string, tree: Tree, lang: Lang, fileName: string | undefined, promptsOfFile: () => readonly PromptLocation[]): PromptSend[] {
  const imports = importedNames(src, tree, lang);
  if (imports.length === 0) return [];
  const modules = new Set<string>();
  for (let c = tree.topNode.firstChild; c; c = c.nextSibling) {
    if (c.name === 'ImportStatement' || c.name === 'ImportDeclaration') {
      const t = textOf(src, c);
      const m = /^from\s+([\w.]+)|from\s+["']([^"']+)["']/.exec(t) ?? /^import\s+([\w.]+)/.exec(t);
      if (m) modules.add(m[1] ?? m[2]);
    }
  }
  const sdk = providerOfImports(modules);
  const resolver = new FileModelResolver(src, tree, lang);
  if (fileName) followImportedCalls(resolver, fileName, imports, lang, { hops: MAX_HOPS, reads: { left: MAX_MODULE_READS } });
  const locals = new Map<number, Set<string>>();
  const localsOf = (fn: SyntaxNode): Set<string> => {
    let known = locals.get(fn.from);
    if (!known) locals.set(fn.from, (known = localNames(src, fn, lang)));
    return known;
  };
  let fileModel: ResolvedModel | undefined | null = null;
  const out: PromptSend[] = [];
  for (const imp of imports) {
    const statement = tree.resolveInner(imp.at, 1);
    let top: SyntaxNode = statement;
    while (top.parent && top.parent.name !== 'Script') top = top.parent;
    // (Where a function binds the name of its own, the name there is that function's, not the import.)
    const shadowed = (at: number): boolean => enclosingFunctions(tree.resolveInner(at, 1)).some((fn) => localsOf(fn).has(imp.local));
    const uses = wordOccurrences(src, imp.local, { from: top.from, to: top.to }).filter((at) => !shadowed(at));
    if (uses.length === 0) continue;
    let sent: { model?: ResolvedModel; callee?: string; at: number } | undefined;
    const direct = resolver.usage(imp.local, undefined, shadowed);
    if (direct && (direct.model || direct.callee)) sent = { ...(direct.model ? { model: direct.model } : {}), ...(direct.callee ? { callee: direct.callee } : {}), at: uses[0] };
    if (!sent?.model) {
      // A variable made from it in a function and sent from there (open-canvas: `const formattedSystemPrompt = REFLECT_SYSTEM_PROMPT.replace(…)`).
      for (const at of uses) {
        const node = tree.resolveInner(at, 1);
        const made = assignedFrom(src, node) ?? pushedInto(src, node);
        if (!made || made === imp.local) continue;
        const use = resolver.usage(made, enclosingScope(node));
        if (use?.model || (use?.callee && providerOfCallee(use.callee))) {
          sent = { ...(use.model ? { model: use.model } : {}), ...(use.callee ? { callee: use.callee } : {}), at };
          if (use.model) break;
        }
        // Passed to a function that sends it, of this file or imported from another module (bolt.new's api.chat.ts pushes
        // CONTINUE_PROMPT onto `messages` and passes them to its own `streamText` wrapper).
        const helped = use?.model ? undefined : resolver.helperUsage(made, enclosingScope(node));
        if (helped) {
          sent = { model: helped.model, ...(helped.callee ? { callee: helped.callee } : {}), at };
          break;
        }
      }
    }
    if (!sent?.model) {
      const helped = resolver.helperUsage(imp.local);
      if (helped) sent = { model: helped.model, ...(helped.callee ? { callee: helped.callee } : {}), at: uses[0] };
    }
    const callProvider = sent?.callee ? providerOfCallee(sent.callee) : undefined;
    const splicedAt = splicedUse(tree, imp.local, uses, promptsOfFile);
    const send: PromptSend = { module: imp.module, name: imp.name, ...(imp.local !== imp.name ? { local: imp.local } : {}), line: lineOf(src, sent?.at ?? splicedAt ?? imp.at) };
    if (splicedAt !== undefined) send.spliced = true;
    if (sent?.model) {
      send.model = { name: sent.model.name, line: lineOf(src, sent.model.start), how: 'call' };
    } else {
      if (fileModel === null) fileModel = resolver.fileModel();
      const wanted = callProvider ?? sdk;
      const own = fileModel ? providerOfModelName(fileModel.name) : undefined;
      if (fileModel && (!wanted || !own || own === wanted)) send.model = { name: fileModel.name, line: lineOf(src, fileModel.start), how: 'file' };
    }
    const provider = callProvider ?? (send.model ? providerOfModelName(send.model.name) : undefined) ?? sdk;
    if (provider) send.provider = provider;
    if (send.model || send.provider || send.spliced) out.push(send);
  }
  return out;
}

/** Nodes that put a value into a string: an interpolation of a template literal or f-string, an operand of `+`. */
const SPLICING = new Set(['Interpolation', 'FormatReplacement', 'BinaryExpression']);

/**
 * The first use of an imported name that is written into one of the file's prompts: inside a `${…}` or `{…}` of the
 * prompt's literal, or an operand of its `+` chain (nanobrowser's navigator.ts opens its system prompt with
 * `${commonSecurityRules}` from `./common`). The file's prompts are found only when some use sits in such a place.
 */
function splicedUse(tree: Tree, local: string, uses: readonly number[], promptsOfFile: () => readonly PromptLocation[]): number | undefined {
  const candidates = uses.filter((at) => {
    const node = tree.resolveInner(at, 1);
    return node.parent !== null && SPLICING.has(node.parent.name);
  });
  if (candidates.length === 0) return undefined;
  const prompts = promptsOfFile();
  const inside = (at: number, r: { start: { offset: number }; end: { offset: number } }): boolean => at >= r.start.offset && at < r.end.offset;
  const operand = (p: PromptLocation): boolean => (p.runtimeOperands?.before.includes(local) ?? false) || (p.runtimeOperands?.after.includes(local) ?? false);
  return candidates.find((at) => prompts.some((p) => inside(at, p.range) || (p.pieces ?? []).some((piece) => inside(at, piece.range)) || operand(p)));
}

/** How far a model is followed through functions of other modules: `getAnthropicModel()` of model.ts (1), which may return a model of a third module (2). */
const MAX_HOPS = 2;
/** Modules read per file answered (each at most MAX_MODULE_BYTES): the editor asks for the sends of every importing file. */
const MAX_MODULE_READS = 6;
const MAX_MODULE_BYTES = 512 * 1024;
/** Parsed modules by path, with the modification time read (the importing files of a project share a few such modules). */
const moduleCache = new Map<string, { mtimeMs: number; src: string; tree: Tree }>();
/** What following imports may still do for one answer: modules deep, and module files read (shared by every hop). */
interface Budget {
  hops: number;
  reads: { left: number };
}

/**
 * Lets `resolver` resolve a call of a function imported from another module of the project (bolt.new's stream-text.ts
 * sends `system: getSystemPrompt()` with `model: getAnthropicModel(getAPIKey(env))`, and model.ts's getAnthropicModel
 * returns `anthropic('claude-3-5-sonnet-20240620')`): the model that function returns (`FileModelResolver.returnedModel`),
 * read from its module, which may in turn call one imported from a third. Bounded: `hops` modules deep, `reads`
 * module files per answer, files of at most 512 KB.
 */
function followImportedCalls(resolver: FileModelResolver, importer: string, imports: ReadonlyArray<{ module: string; name: string; local: string }>, lang: Lang, budget: Budget): void {
  if (budget.hops <= 0) return;
  const byLocal = new Map<string, { module: string; name: string }>();
  for (const imp of imports) if (!byLocal.has(imp.local)) byLocal.set(imp.local, imp);
  const answers = new Map<string, ResolvedModel | undefined>();
  resolver.importedCall = (callee, call) => {
    const imp = byLocal.get(callee);
    if (!imp) return undefined;
    let r = answers.get(callee);
    if (!answers.has(callee)) {
      answers.set(callee, undefined);
      r = importedReturn(imp.module, imp.name, importer, lang, budget);
      answers.set(callee, r);
    }
    return r ? { name: r.name, start: call.from, end: call.to, via: `${callee}() of ${imp.module}, which returns ${r.via}`, ...(r.host ? { host: r.host } : {}) } : undefined;
  };
  const sentBy = new Map<string, ResolvedModel | undefined>();
  resolver.importedHelper = (helper, position, keyword, call) => {
    const imp = byLocal.get(helper);
    if (!imp || (position < 0 && keyword === undefined)) return undefined;
    const key = `${helper}\u0000${position}\u0000${keyword ?? ''}`;
    if (!sentBy.has(key)) {
      sentBy.set(key, undefined);
      sentBy.set(key, importedParameterModel(imp.module, imp.name, position, keyword, importer, lang, budget));
    }
    const r = sentBy.get(key);
    return r ? { name: r.name, start: call.from, end: call.to, via: `${helper}() of ${imp.module}, which sends it with ${r.via}`, ...(r.host ? { host: r.host } : {}) } : undefined;
  };
}

/** The model `name` of `module` sends its parameter at `position` (or `keyword`) with, read from its module (a wrapper such as bolt.new's `streamText(messages, env)`). */
function importedParameterModel(module: string, name: string, position: number, keyword: string | undefined, importer: string, lang: Lang, budget: Budget): ResolvedModel | undefined {
  const inner = importedResolver(module, importer, lang, budget);
  return inner?.parameterSentWith(name, position, keyword);
}

/** The model `name` of `module` (imported by `importer`) returns, when it is a function of a project file that returns one. */
function importedReturn(module: string, name: string, importer: string, lang: Lang, budget: Budget): ResolvedModel | undefined {
  return importedResolver(module, importer, lang, budget)?.returnedModel(name);
}

/** A model resolver over the project file `module` names, itself following its imports one hop less; undefined past the budget. */
function importedResolver(module: string, importer: string, lang: Lang, budget: Budget): FileModelResolver | undefined {
  if (budget.reads.left <= 0) return undefined;
  const file = moduleFile(module, importer, lang);
  if (!file) return undefined;
  budget.reads.left--;
  const parsed = parsedModule(file, lang);
  if (!parsed) return undefined;
  const inner = new FileModelResolver(parsed.src, parsed.tree, lang);
  followImportedCalls(inner, file, importedNames(parsed.src, parsed.tree, lang), lang, { hops: budget.hops - 1, reads: budget.reads });
  return inner;
}

function parsedModule(file: string, lang: Lang): { src: string; tree: Tree } | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile() || stat.size > MAX_MODULE_BYTES) return undefined;
    const known = moduleCache.get(file);
    if (known && known.mtimeMs === stat.mtimeMs) return known;
    const src = readFileSync(file, 'utf8');
    const parser = lang === 'python' ? loadPythonParser() : loadJavaScriptParser(/\.tsx?$/.test(file), /\.[jt]sx$/.test(file));
    const entry = { mtimeMs: stat.mtimeMs, src, tree: parser.parse(src) };
    if (moduleCache.size >= 32) moduleCache.delete(moduleCache.keys().next().value as string);
    moduleCache.set(file, entry);
    return entry;
  } catch {
    return undefined;
  }
}

/**
 * The file a project module names: relative (`./model`, `.model`), or a path alias or package path read from the
 * nearest folder above the importer that holds it (`~/lib/.server/llm/model` from app/lib/.server/llm/ is
 * app/lib/.server/llm/model.ts; `app.llm.model` is app/llm/model.py under the nearest folder holding `app/`).
 */
function moduleFile(module: string, importer: string, lang: Lang): string | undefined {
  const dir = dirname(resolvePath(importer));
  const ancestors = (): string[] => {
    const out: string[] = [];
    for (let d = dir, i = 0; i < 8; i++, d = dirname(d)) {
      out.push(d);
      if (dirname(d) === d) break;
    }
    return out;
  };
  let bases: string[];
  let exts: string[];
  if (lang === 'python') {
    exts = ['.py', '/__init__.py'];
    const dots = /^\.*/.exec(module)?.[0].length ?? 0;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let base = dir;
      for (let i = 1; i < dots; i++) base = dirname(base);
      bases = rest ? [join(base, rest)] : [];
    } else bases = rest ? ancestors().map((d) => join(d, rest)) : [];
  } else {
    exts = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '/index.ts', '/index.js'];
    const spec = module.replace(/\.(?:[cm]?[jt]sx?)$/, '');
    if (spec.startsWith('./') || spec.startsWith('../')) bases = [resolvePath(dir, spec)];
    else {
      const rest = spec.replace(/^[@~#]\//, '');
      bases = ancestors().flatMap((d) => [join(d, rest), join(d, 'src', rest)]);
    }
  }
  for (const base of bases) {
    for (const ext of exts) {
      try {
        if (statSync(base + ext).isFile()) return base + ext;
      } catch {
        // (not there)
      }
    }
  }
  return undefined;
}

/** `a/b/c.ts` without its extension; `a/b/index.ts` and `a/b/__init__.py` as `a/b` (a Python `index.py` is a module `index`, a `__init__.ts` a module `__init__`). */
function modulePath(file: string): string {
  const unix = file.replace(/\\/g, '/');
  if (/\.py$/.test(unix)) return unix.slice(0, -3).replace(/\/__init__$/, '');
  return unix.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');
}

function dirOf(file: string): string {
  const unix = file.replace(/\\/g, '/');
  const i = unix.lastIndexOf('/');
  return i <= 0 ? unix.slice(0, Math.max(i, 0)) || '/' : unix.slice(0, i);
}

/** `a/./b/../c` → `a/c`. */
function normalize(p: string): string {
  const parts: string[] = [];
  for (const part of p.split('/')) {
    if (part === '.' || (part === '' && parts.length > 0)) continue;
    if (part === '..' && parts.length > 0 && parts[parts.length - 1] !== '') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/**
 * Whether `module`, imported by `importer`, is the file `target` (absolute paths). Relative modules are resolved
 * (`./prompts.js` is `prompts.ts`; `.prompts` and `..agents.prompts` in Python); a project path (`@/lib/prompts`,
 * `app.agents.prompts`) must end the target's path.
 */
export function importTargets(module: string, importer: string, target: string): boolean {
  // (Python imports Python and a script imports scripts: `from types import X` is no `types.ts`, `import "./agno"` no `agno.py`.)
  if (/\.py$/.test(importer) !== /\.py$/.test(target)) return false;
  const want = modulePath(target);
  if (/\.py$/.test(importer)) {
    const dots = /^\.*/.exec(module)?.[0].length ?? 0;
    const rest = module.slice(dots).split('.').filter(Boolean).join('/');
    if (dots > 0) {
      let base = dirOf(importer.replace(/\\/g, '/'));
      for (let i = 1; i < dots; i++) base = dirOf(base);
      return normalize(rest ? `${base}/${rest}` : base) === normalize(want);
    }
    return rest !== '' && (normalize(want) === rest || normalize(want).endsWith(`/${rest}`));
  }
  const spec = module.replace(/\.(?:[cm]?[jt]sx?)$/, '').replace(/\/index$/, '');
  if (spec.startsWith('./') || spec.startsWith('../')) return normalize(`${dirOf(importer.replace(/\\/g, '/'))}/${spec}`) === normalize(want);
  const rest = spec.replace(/^[@~#]\//, '');
  if (rest === '' || !normalize(want).endsWith(`/${rest}`)) return false;
  // A path alias (`@/`, `~/`) names a folder of the importer's own package (its `src`, or its root): the folder the path
  // is read from holds the importer, or is the `src` beside it (`tests/a.ts` importing `@/prompts` of `src/`). Another
  // package of a monorepo with the same path (apps/web and apps/api both with a `prompts.ts` in their `src`) is not it.
  const from = normalize(want).slice(0, -rest.length - 1);
  const dir = normalize(dirOf(importer.replace(/\\/g, '/')));
  const holds = (folder: string): boolean => dir === folder || dir.startsWith(`${folder}/`) || folder === '';
  return holds(from) || (/(?:^|\/)src$/.test(from) && holds(dirOf(from)));
}

/**
 * Which file an import names, among a project's files: `importTargets`, and where a Python absolute import matches
 * several files (`from db import …` and thirty `db.py` files under agno's `cookbook/90_models/`; `from metagpt.actions import …` and
 * both `metagpt/actions/` and `tests/metagpt/actions/` in MetaGPT, breakimp36), only the one read from the nearest folder
 * that holds the importer (Python puts the running script's folder first), or none when no such folder holds it: a guess
 * would price the prompt with an unrelated file's model. One resolver per version of the file list (it keeps what it found).
 */
export class ImportResolver {
  private readonly byBase = new Map<string, string[]>();
  private readonly candidates = new Map<string, string[]>();
  /** `nearestRoot` by module and importer's folder (null: none). */
  private readonly chosen = new Map<string, string | null>();

  /** Folders that are Python packages (they hold an `__init__.py`), `/`-separated. */
  private readonly packages = new Set<string>();

  constructor(files: Iterable<string>) {
    for (const file of files) {
      if (!/\.py$/.test(file)) continue;
      if (isPackage(file)) this.packages.add(normalize(dirOf(file)));
      const base = lastSegment(modulePath(file));
      const list = this.byBase.get(base);
      if (list) list.push(file);
      else this.byBase.set(base, [file]);
    }
  }

  /** Whether `module`, as `importer` imports it, is `target`. */
  resolves(module: string, importer: string, target: string): boolean {
    if (!importTargets(module, importer, target)) return false;
    if (!/\.py$/.test(importer) || module.startsWith('.')) return true;
    let matches = this.candidates.get(module);
    if (!matches) {
      const rest = module.split('.').filter(Boolean);
      matches = (this.byBase.get(rest[rest.length - 1] ?? '') ?? []).filter((f) => importTargets(module, importer, f)).sort();
      this.candidates.set(module, matches);
    }
    if (matches.length <= 1) return true;
    // Which of them depends on the importer's folder only: found once per folder (500 folders of a cookbook, each with its
    // `prompts.py` and an `agent.py` importing it: 250,000 pairs, each reading the 500 candidates, took 85 s).
    const key = `${module}\u0000${dirOf(importer.replace(/\\/g, '/'))}`;
    let chosen = this.chosen.get(key);
    if (chosen === undefined) this.chosen.set(key, (chosen = nearestRoot(module, importer, matches, this.packages) ?? null));
    return chosen === target;
  }
}

/** The last part of a module path (`a/b/prompts` → `prompts`). */
const lastSegment = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Of several files an absolute Python `module` matches, the one whose root (its path less the module's) is the nearest
 * folder holding `importer`; of a package and a module file on the same root (`pkg/prompts/__init__.py` and
 * `pkg/prompts.py`), the package, as Python takes it; not a root that is a package itself (`packages`). When no root holds the importer, the one file read from a `src`
 * folder: a src-layout package, which is imported installed (openai-agents-python's `examples/agent_patterns/*.py`
 * import `agents` from `openai-agents-python/src/agents/`, not `examples/research_bot/agents/`; a monorepo app imports
 * `packages/core/src/dbgpt/`), else none.
 */
function nearestRoot(module: string, importer: string, files: readonly string[], packages: ReadonlySet<string> = new Set()): string | undefined {
  const rest = module.split('.').filter(Boolean).join('/');
  const dir = normalize(dirOf(importer.replace(/\\/g, '/')));
  let best: string | undefined;
  let bestLength = -1;
  const installed: Array<{ file: string; root: string }> = [];
  for (const file of files) {
    const want = normalize(modulePath(file));
    const root = want === rest ? '' : want.slice(0, -rest.length - 1);
    // A root that is itself a package is no folder imports are read from: its files are imported by their package's name,
    // and an absolute import in them reads the project's root or what is installed (openai-agents-python's
    // examples/research_bot/manager.py: `from agents import Runner` is the SDK, its own `.agents` package relative).
    const holds = (root === '' || dir === root || dir.startsWith(`${root}/`)) && (root === '' || !packages.has(root));
    const better = root.length > bestLength || (root.length === bestLength && isPackage(file) && !(best !== undefined && isPackage(best)));
    if (holds && better) {
      best = file;
      bestLength = root.length;
    }
    if (/(?:^|\/)src$/.test(root) && !packages.has(root)) installed.push({ file, root });
  }
  if (best !== undefined) return best;
  // A src root read twice (`app/src/pkg/prompts.py` and `app/src/pkg/prompts/__init__.py`) is one package.
  if (new Set(installed.map((i) => i.root)).size !== 1) return undefined;
  return (installed.find((i) => isPackage(i.file)) ?? installed[0]).file;
}

/** A package's `__init__.py`. */
const isPackage = (file: string): boolean => /(?:^|[\\/])__init__\.py$/.test(file);

/** The modules a file imports, as written: `from .prompts import`, `from "./prompts.js"`, `import "./x"`, `require("./x")`. */
const IMPORT_MODULE = /^[ \t]*from[ \t]+(\.*[\w.]+)[ \t]+import\b[ \t(]*([\w \t,]*)|^[ \t]*import[ \t]+([\w.]+)[ \t]+as\b|\bfrom[ \t]*["']([^"'\n]{1,300})["']|\bimport[ \t]*\(?[ \t]*["']([^"'\n]{1,300})["']|\brequire\([ \t]*["']([^"'\n]{1,300})["']/gm;

/** The modules a source text imports, as written, without parsing it (the files importing a prompt module are found with it). */
export function importedModules(text: string): string[] {
  const out = new Set<string>();
  IMPORT_MODULE.lastIndex = 0;
  for (let m = IMPORT_MODULE.exec(text); m; m = IMPORT_MODULE.exec(text)) {
    const module = m[1] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
    if (module) out.add(module);
    // `from . import prompts`, `from app.agents import prompts`: the names may be modules too.
    if (m[1] !== undefined && m[2]) {
      for (const name of m[2].split(',')) {
        const n = /^\s*([A-Za-z_]\w*)/.exec(name)?.[1];
        if (n) out.add(/^\.*$/.test(m[1]) ? `${m[1]}${n}` : `${m[1]}.${n}`);
      }
    }
  }
  return [...out];
}

/**
 * Whether `importer` is test code, read on its path below the folder it shares with `target` (a project checked out
 * under a `test/` folder is not test code: `…/test/fixtures/app/tests/test_x.py` importing `…/app/prompts.py` is, by
 * `tests/test_x.py`); Windows paths whatever their drive letter's case (`c:\w\test\app` is `C:\w\test\app`).
 */
export function importerIsTest(importer: string, target: string): boolean {
  const parts = (p: string): string[] => normalize(p.replace(/\\/g, '/').replace(/^[A-Za-z]:/, (d) => d.toLowerCase())).split('/');
  const a = parts(importer);
  const b = parts(target);
  let shared = 0;
  while (shared < a.length - 1 && shared < b.length - 1 && a[shared] === b[shared]) shared++;
  return TEST_CODE.test(a.slice(shared).join('/'));
}

/**
 * One send per name, from what several files send (`file` as it is to be shown, in path order): the first file that names a model, else the first that names a provider;
 * `others` counts the files that send the name with another model. A test file (`test`: importerIsTest) counts only where its call names the model:
 * the one model it sets elsewhere is often a mock's (MetaGPT's test_ut_writer.py builds `ChatCompletion(model="gpt-4-turbo")`
 * as a canned answer, and ut_writer.py's prompt was priced with it, breakimp36).
 */
export function combineSends(answers: ReadonlyArray<{ file: string; sends: PromptSend[]; test?: boolean }>): ImportedSend[] {
  const byName = new Map<string, Array<{ file: string; send: PromptSend }>>();
  for (const a of answers) {
    for (const send of a.sends) {
      if (a.test === true && send.model?.how !== 'call') continue;
      let list = byName.get(send.name);
      if (!list) byName.set(send.name, (list = []));
      list.push({ file: a.file, send });
    }
  }
  const out: ImportedSend[] = [];
  for (const [name, list] of byName) {
    const chosen = list.find((x) => x.send.model?.how === 'call') ?? list.find((x) => x.send.model) ?? list.find((x) => x.send.spliced) ?? list[0];
    const spliced = list.find((x) => x.send.spliced);
    const models = new Set(list.map((x) => x.send.model?.name).filter((m): m is string => m !== undefined));
    const others = chosen.send.model ? list.filter((x) => x.send.model && x.send.model.name !== chosen.send.model?.name).length : 0;
    out.push({
      name,
      file: chosen.file,
      line: chosen.send.line,
      ...(chosen.send.model ? { model: chosen.send.model } : {}),
      ...(chosen.send.provider ? { provider: chosen.send.provider } : {}),
      ...(others > 0 && models.size > 1 ? { others } : {}),
      ...(spliced ? { spliced: { file: spliced.file, line: spliced.send.line } } : {}),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

