/**
 * Prompts in Python and TypeScript/JavaScript source, from a Lezer syntax tree.
 *
 * Why Lezer (@lezer/python, @lezer/javascript) rather than the TypeScript compiler API,
 * Babel or tree-sitter: the grammars are real LR parsers with error recovery (a file in
 * the middle of an edit still yields a tree), they parse TypeScript, JSX and Python with
 * one tree API, they are pure JavaScript (no wasm to locate at run time, so they bundle
 * into dist/*.js as-is), and together they add about 150 KB to a bundle, where the
 * `typescript` package would add about 9 MB to each of the three bundles and
 * @babel/parser about 1.8 MB for JavaScript alone. Each grammar is loaded on first use.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import type { LiteralContext } from './literalContext';
import { decodeJavaScript, decodePython, isStringRawTemplate, type DecodedLiteral } from './literals';
import { literalLeftOpen } from './unclosed';
import { joinedCandidate, joinedListOf, localChainHead, type JoinedList } from './joined';
import { loadJavaScriptParser, loadPythonParser } from './parsers';
import type { Candidate } from './candidate';
import { resolveCandidateModels } from './modelCandidates';
import { ternaryChoice } from './ternary';
import { enclosingFunction, FUNCTION_NODES, same, simpleValue, STRING_NODES, textOf, type Lang } from './codeSyntax';
import { chainHeadVariable, chainLiterals, chainNames, chainValues, literalOperands, mixedChain, unitOf } from './chains';
import { ContainerMemo, contextOf } from './context';
import { parameterOf } from './objects';
import { providerOfImports } from './providers';

export { fileFacts } from './fileNames';

/**
 * `system += …` after a literal bound to `system` in the same function: the prompt sent is longer
 * than the literal (by text appended in branches or loops), so its count is a lower bound. Each
 * append is named by what it appends, as written (`prompt += f"{self.history_summary}\n\n"`), without
 * a line, so that it stays true when lines above the function move.
 */
function appendedLater(src: string, unit: SyntaxNode, ctx: LiteralContext): string[] {
  const name = ctx.boundName;
  if (!ctx.scope || ctx.topLevel || !name || !/^[A-Za-z_$][\w$]{0,60}$/.test(name)) return [];
  const body = src.slice(unit.to, ctx.scope.to);
  if (!body.includes('+=')) return [];
  // A literal inside a list, dict or object bound to the name (`tools = [{"description": "…"}]`, then `tools += [ … ]`)
  // is an item of what grows, not the grown string (newuser33: khoj's grounding_agent.py tool descriptions).
  for (let p = unit.parent; p && p.from >= ctx.scope.from && !/Statement$|^VariableDeclaration$/.test(p.name); p = p.parent) if (CONTAINER_NODES.has(p.name)) return [];
  const out: string[] = [];
  for (const m of body.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\+=`, 'g'))) {
    const value = appendedValue(body, (m.index ?? 0) + m[0].length);
    // A literal that only joins values (`` prompt += `\n\n${reflectionsPrompt}` ``, `prompt += f"\n{history}"`) is named by them (newuser35).
    const joinedValues = value ? onlyInterpolations(value) : undefined;
    if (joinedValues) for (const v of joinedValues) out.push(v.length > 60 ? `${v.slice(0, 57)}…` : v);
    else out.push(value ? `${name} += ${value.length > 60 ? `${value.slice(0, 57)}…` : value}` : `${name} += …`);
  }
  return out;
}

/**
 * The expressions of a template literal or f-string whose own text is only whitespace and punctuation (`` `\n\n${a}` ``,
 * `f"{a}\n{b}"`), in order; undefined for any other value (text of its own, a call, a `+`).
 */
export function onlyInterpolations(value: string): string[] | undefined {
  const js = /^`([\s\S]*)`$/.exec(value);
  const py = js ? undefined : /^[rR]?[fF][rR]?(?:"""([\s\S]*)"""|'''([\s\S]*)'''|"([^"]*)"|'([^']*)')$/.exec(value);
  const body = js ? js[1] : py ? (py[1] ?? py[2] ?? py[3] ?? py[4]) : undefined;
  if (body === undefined) return undefined;
  const open = js ? '${' : '{';
  const values: string[] = [];
  let rest = '';
  for (let i = 0; i < body.length; ) {
    if (body.startsWith(open, i) && !(py && body.startsWith('{{', i))) {
      let depth = 0;
      let j = i + open.length - 1;
      for (; j < body.length; j++) {
        if (body[j] === '{') depth++;
        else if (body[j] === '}' && --depth === 0) break;
      }
      if (j >= body.length) return undefined;
      const expr = body.slice(i + open.length, j).trim();
      if (!expr || expr.includes('`')) return undefined;
      // (An f-string field's format spec and conversion are no part of the value: `{x!r:>10}` is x.)
      values.push(py ? fieldValue(expr) : expr);
      i = j + 1;
    } else {
      rest += body[i];
      i++;
    }
  }
  return values.length > 0 && /^(?:[\s.,;:|\-–—*#>=_]|\\[nt])*$/.test(rest) ? values : undefined;
}

/**
 * An f-string field without its conversion and format spec: `x!r:>10` and `x:{width}` are x, `d["k"]:>10` is d["k"],
 * `a = ` (self-documenting) is a. The spec starts at the first `:` outside brackets and quotes (a slice `x[1:2]` and a
 * dict `{1: 2}[k]` keep theirs; a lambda or a walrus needs parentheses in a field, so a bare `:` is always the spec).
 */
function fieldValue(expr: string): string {
  let depth = 0;
  let quote: string | undefined;
  let end = expr.length;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0 && (c === ':' || (c === '!' && /^![rsa]\s*(?::|$)/.test(expr.slice(i))))) {
      end = i;
      break;
    }
  }
  return expr.slice(0, end).trim().replace(/(?<![=!<>])=$/, '').trim();
}

/** Collection literals of Python and JavaScript: a string inside one is an item, not the value of the name it is bound to. */
const CONTAINER_NODES = new Set(['ArrayExpression', 'ArrayComprehensionExpression', 'DictionaryExpression', 'DictionaryComprehensionExpression', 'SetExpression', 'SetComprehensionExpression', 'TupleExpression', 'ObjectExpression']);

/** The code after a `+=` at `from`, to the end of its statement (the line, or more while brackets are open), whitespace collapsed. */
function appendedValue(text: string, from: number): string {
  let depth = 0;
  let quote: string | undefined;
  let i = from;
  for (; i < text.length && i - from < 600; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = undefined;
      }
    } else if (c === '"' || c === "'" || c === '`') quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if ((c === '\n' || c === ';') && depth <= 0) break;
  }
  const value = text.slice(from, i).replace(/\s+/g, ' ').trim();
  // (`prompt += (\n  "…"\n)`: the parentheses only wrap the lines.)
  return /^\([^()]*\)$/.test(value) ? value.slice(1, -1).trim() : value;
}

// (Statements only: a ternary's branch is read by ternary.ts, which knows a constant condition.)
const CONDITIONAL_NODES = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'SwitchStatement', 'ForInStatement', 'ForOfStatement']);

/** The innermost branch or loop around `node` inside its function (LiteralContext.conditional). */
function enclosingConditional(node: SyntaxNode): { from: number; to: number } | undefined {
  for (let p = node.parent; p && !FUNCTION_NODES.has(p.name); p = p.parent) if (CONDITIONAL_NODES.has(p.name)) return { from: p.from, to: p.to };
  return undefined;
}

/**
 * A Python import's modules: `import a.b, c` gives `a.b` and `c`; `from google import genai` gives `google` and, for each
 * lower-case name it imports (a submodule, by Python's naming convention), `google.genai` (graphiti's Gemini client: the
 * provider table knows `google.genai`, and `google` alone is no provider's).
 */
function pythonImportModules(t: string, imports: Set<string>): void {
  const from = /^from\s+([\w.]+)\s+import\s+\(?([^)]*)/.exec(t);
  if (from) {
    imports.add(from[1]);
    if (/^\w/.test(from[1])) {
      for (const part of from[2].split(',')) {
        const name = part.trim().split(/\s+/)[0];
        if (/^[a-z_][a-z0-9_]*$/.test(name)) imports.add(`${from[1]}.${name}`);
      }
    }
  } else if (/^from\s/.test(t)) {
    const bare = /^from\s+([\w.]+)/.exec(t);
    if (bare) imports.add(bare[1]);
  } else for (const m of t.replace(/^import\s+/, '').split(',')) imports.add(m.trim().split(/\s+/)[0]);
}

/**
 * Python statements that hold module-level imports: `if TYPE_CHECKING: … else: try: from google import genai except
 * ImportError: …` (an optional dependency imported so, graphiti's Gemini client) imports the SDK as surely as a
 * top-level import statement. Functions and classes are not entered.
 */
const IMPORT_BLOCKS = new Set(['IfStatement', 'TryStatement', 'Body']);

function collectPythonImports(src: string, node: SyntaxNode, imports: Set<string>, depth: number): void {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'ImportStatement') pythonImportModules(textOf(src, c), imports);
    else if (IMPORT_BLOCKS.has(c.name) && depth < 8) collectPythonImports(src, c, imports, depth + 1);
  }
}

export function collectImports(src: string, tree: Tree, lang: Lang): Set<string> {
  const imports = new Set<string>();
  const top = tree.topNode;
  if (lang === 'python') {
    collectPythonImports(src, top, imports, 0);
    // A provider's SDK imported only inside a method, the module's own imports naming none (TaskWeaver's google_genai.py
    // imports `google.generativeai` in `import_genai_module()`, so that the SDK stays optional): that provider's, when
    // every import inside its functions is of that SDK. (Not a module of many backends, each imported where it is used:
    // smolagents' models.py imports openai in one class, and vllm, litellm, boto3… in others.)
    if (!providerOfImports(imports) && /^[ \t]+(?:import|from)\s/m.test(src)) {
      const inner = new Set<string>();
      tree.iterate({ enter: (n) => { if (n.name === 'ImportStatement') pythonImportModules(src.slice(n.from, n.to), inner); } });
      for (const m of imports) inner.delete(m);
      const provider = providerOfImports(inner);
      if (provider && [...inner].every((m) => providerOfImports([m]) === provider)) for (const m of inner) imports.add(m);
    }
  }
  for (let c = top.firstChild; c; c = c.nextSibling) {
    if (lang === 'javascript') {
      const decl = c.name === 'ImportDeclaration' ? c : undefined;
      const lit = decl?.getChild('String');
      if (lit) imports.add(simpleValue(src, lit, lang) ?? '');
    }
  }
  if (lang === 'javascript') {
    // require('openai') in CommonJS files.
    const re = /\brequire\(\s*['"]([^'"]{1,100})['"]\s*\)/g;
    const head = src.length > 200_000 ? src.slice(0, 200_000) : src;
    for (let m = re.exec(head); m; m = re.exec(head)) imports.add(m[1]);
  }
  return imports;
}

function decodeNode(src: string, node: SyntaxNode, lang: Lang, tree: Tree, parser: LRParser): DecodedLiteral | undefined {
  const interpolations: Array<[number, number]> = [];
  const interpName = lang === 'python' ? 'FormatReplacement' : 'Interpolation';
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === interpName) interpolations.push([c.from, c.to]);
  const decoded = lang === 'python' ? decodePython(src, node.from, node.to, interpolations) : decodeJavaScript(src, node.from, node.to, interpolations, isStringRawTemplate(src, node));
  // A literal still being typed (no closing quote yet, or an interpolation left open) runs over the code after it: say so, so that nothing counts or rewrites that code as prompt text.
  if (decoded && literalLeftOpen(src, node, lang, tree, parser)) decoded.unterminated = true;
  return decoded;
}

/** True for a literal that is the `content` of a dict or object with a `role` (`{role: "assistant", content: "{"}`): a message, however short. */
function isMessageContent(src: string, node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'Property') return textOf(src, parent.firstChild ?? parent).replace(/['"]/g, '') === 'content' && /\brole\b/.test(textOf(src, parent.parent ?? parent));
  if (parent.name === 'DictionaryExpression') {
    const colon = node.prevSibling;
    return colon?.name === ':' && /^['"]content['"]$/.test(textOf(src, colon.prevSibling ?? colon)) && /['"]role['"]/.test(textOf(src, parent));
  }
  return false;
}

/** Finds string-literal candidates in Python or JavaScript/TypeScript source. */
export function codeCandidates(src: string, lang: Lang, options: { typescript?: boolean; jsx?: boolean } = {}): Candidate[] {
  const parser = lang === 'python' ? loadPythonParser() : loadJavaScriptParser(options.typescript !== false, options.jsx !== false);
  const tree = parser.parse(src);
  const imports = collectImports(src, tree, lang);
  const candidates = candidatesInTree(src, tree, parser, lang, imports);
  resolveCandidateModels(src, tree, lang, candidates, imports);
  return candidates;
}

/**
 * Told about each literal (or all-literal concatenation) that `screen` turned away: where it
 * starts, and whether it would have become a candidate (its text decodes). incremental.ts needs
 * both to place it among the top-level statements exactly as a candidate would have been.
 */
export type ScreenedOut = (start: number, decodes: () => boolean) => void;

/**
 * The candidates of the string literals in `[from, to)` of a parsed file, in tree order,
 * before model resolution (`resolveCandidateModels`). `from`/`to` must be top-level
 * statement boundaries (incremental.ts re-scans only the statements an edit touched).
 * `parser` is the one `tree` was parsed with: a literal followed by syntax errors is parsed
 * again around it, to tell whether it is left open (unclosed.ts).
 *
 * With `screen`, a literal whose context `screen` rejects is not decoded and gives no
 * candidate (`screenedOut` hears of it instead). Decoding is most of the cost of a literal
 * that no text could make a prompt (a log line, an error, a docstring), and such literals
 * are most of a file's. `+` chains mixing literals and names are never screened (their
 * context is completed after it is built).
 */
export function candidatesInTree(
  src: string,
  tree: Tree,
  parser: LRParser,
  lang: Lang,
  imports: ReadonlySet<string>,
  from = 0,
  to = src.length,
  screen?: (ctx: LiteralContext) => boolean,
  screenedOut?: ScreenedOut,
): Candidate[] {
  const scan: LiteralScan = { src, tree, parser, lang, imports, screen, screenedOut, candidates: [], seen: new Set<number>(), memo: new ContainerMemo(), units: new Map(), keysScreened: undefined };
  // A cursor walk over the nodes that overlap [from, to), not into literals (`tree.iterate` with an `enter` callback did the
  // same, but a new closure per scan was compiled by TurboFan again on each of the first scans of a process).
  const cursor = tree.cursor();
  for (;;) {
    let enter = cursor.to > from && cursor.from < to;
    if (enter && STRING_NODES.has(cursor.name)) {
      enter = false;
      // Short literals cannot be prompts on their own; skip them before any tree walking.
      const node = cursor.node;
      if (cursor.to - cursor.from >= 8 || node.parent?.name === 'ContinuedString' || node.parent?.name === 'BinaryExpression' || isMessageContent(src, node)) literalAt(scan, node);
    }
    if (enter && cursor.firstChild()) continue;
    while (!cursor.nextSibling()) if (!cursor.parent()) return scan.candidates;
  }
}

/** What `candidatesInTree` carries from one literal to the next. */
interface LiteralScan {
  src: string;
  tree: Tree;
  parser: LRParser;
  lang: Lang;
  imports: ReadonlySet<string>;
  screen: ((ctx: LiteralContext) => boolean) | undefined;
  screenedOut: ScreenedOut | undefined;
  candidates: Candidate[];
  seen: Set<number>;
  memo: ContainerMemo;
  /** `unitOf`'s memo: the unit above each concatenation a literal's walk went through (the other literals of a chain stop there). */
  units: Map<string, SyntaxNode>;
  /** Whether `screen` turns away a key (`keyScreened`), asked once per scan: every key has the same context. */
  keysScreened: boolean | undefined;
}

/**
 * Whether `node`, a literal, is a key of a dict (`{"content": …}`) or an object (`{'Content-Type': …}`): `contextOf`
 * stops at its parent with the context below (`atDictionaryExpression`, `atProperty`), and the literal is its own unit
 * (`unitOf`), in no joined list, grown string or `+` chain (`joinedListOf`, `mixedChain`: their parent is a list, an
 * assignment or a `+`).
 */
function isKeyLiteral(node: SyntaxNode): boolean {
  const parent = node.parent;
  if (parent === null) return false;
  if (parent.name === 'DictionaryExpression') return node.nextSibling?.name === ':';
  return parent.name === 'Property' && same(node, parent.firstChild);
}

/** The context `contextOf` gives every key literal (`isKeyLiteral`). */
function keyContext(imports: ReadonlySet<string>): LiteralContext {
  return { keys: [], callees: [], negatives: ['subscript'], imports };
}

/**
 * A key literal that `screen` turns away, handled as `literalAt` would handle it (seen, then screened out) without
 * walking the tree for its unit, list, chain and context, which are the same for every key: a third of a Python
 * file's longer literals are dict keys. False when the scan has no screen or the screen keeps keys.
 */
function keyScreened(scan: LiteralScan, node: SyntaxNode): boolean {
  const screen = scan.screen;
  if (screen === undefined) return false;
  scan.keysScreened ??= !screen(keyContext(scan.imports));
  if (!scan.keysScreened) return false;
  if (scan.seen.has(node.from)) return true;
  scan.seen.add(node.from);
  scan.screenedOut?.(node.from, decodesAll(scan, [node]));
  return true;
}

/** The candidate of one string literal (`node`), or of the concatenation, joined list or `+` chain it is part of: pushed to `scan.candidates`. */
function literalAt(scan: LiteralScan, node: SyntaxNode): void {
  // (No closure is made here: one that captured these names gave every call a context object of its own to allocate.)
  if (isKeyLiteral(node) && keyScreened(scan, node)) return;
  const { src, tree, parser, lang, imports, screen, screenedOut, candidates, seen, memo } = scan;
  const unit = unitOf(node, src, scan.units);
  if (seen.has(unit.from)) return;
  seen.add(unit.from);
  const joined = joinedListOf(src, unit, lang);
  if (joined) {
    joinedAt(scan, joined);
    return;
  }
  const chain = mixedChain(unit, src);
  if (chain && chainAt(scan, chain)) return;
  const parts = unit === node ? [node] : (literalOperands(unit, src) ?? [node]);
  // (The context is built before the text is decoded: both are pure, so the order changes nothing but what `screen` can skip.)
  const context = contextOf(src, unit, lang, imports, memo);
  // (`screen` asks judgeContext, which reads neither the function, the branch nor the ternary around the literal:
  // they are looked up for the literals it keeps. screen.test.ts compares every kept candidate with the unscreened pass.)
  if (screen && !screen(context)) {
    screenedOut?.(parts[0].from, decodesAll(scan, parts));
    return;
  }
  const scope = enclosingFunction(unit);
  if (scope) context.scope = scope;
  const conditional = scope ? enclosingConditional(unit) : undefined;
  if (conditional) context.conditional = conditional;
  const ternary = ternaryChoice(src, tree, unit, scope);
  if (ternary) context.ternary = ternary;
  const segments: DecodedLiteral[] = [];
  for (const part of parts) {
    const decoded = decodeNode(src, part, lang, tree, parser);
    if (!decoded) return;
    segments.push(decoded);
  }
  const appended = appendedLater(src, unit, context);
  candidates.push({ segments, context, ...(appended.length > 0 ? { runtimeOperands: { before: [], after: appended } } : {}) });
}

/**
 * The candidate of a prompt composed with `+` from literals and variables (`literalAt`): one candidate, one piece per literal.
 * False when the chain has no literal piece (the literal is then read on its own); true otherwise, even when a piece does
 * not decode and no candidate is made.
 */
function chainAt(scan: LiteralScan, chain: SyntaxNode): boolean {
  const { src, tree, parser, lang, imports, candidates, seen, memo } = scan;
  const pieces: DecodedLiteral[][] = [];
  for (const operand of chainLiterals(chain, src)) {
    seen.add(operand.from);
    const parts = literalOperands(operand, src) ?? [operand];
    const decoded = parts.map((part) => decodeNode(src, part, lang, tree, parser));
    if (decoded.some((d) => d === undefined)) return true;
    pieces.push(decoded as DecodedLiteral[]);
  }
  if (pieces.length > 0) {
    const primary = pieces.reduce((a, b) => (b.reduce((n, d) => n + d.text.length, 0) > a.reduce((n, d) => n + d.text.length, 0) ? b : a));
    const context = contextOf(src, chain, lang, imports, memo);
    context.composed = true;
    const scope = enclosingFunction(chain);
    if (scope) context.scope = scope;
    const names = chainNames(chain, src);
    if (names.length > 0) context.composedWith = names;
    const head = localChainHead(src, chain);
    if (head) context.chainHead = head;
    else {
      // (Perhaps a module constant: build.ts decides, as only it sees every assignment of the file.)
      // A parameter of the same name (`def build(COMMON_PROMPT): return COMMON_PROMPT + "…"`) is the caller's value, not the constant.
      const variable = chainHeadVariable(chain, src);
      if (variable && !parameterOf(src, chain, variable)) context.constantHead = variable;
    }
    const candidate: Candidate = { segments: primary, ...(pieces.length > 1 ? { pieces } : {}), context };
    const written = (v: SyntaxNode): string => {
      const t = textOf(src, v).replace(/\s+/g, ' ').trim();
      return t.length > 60 ? `${t.slice(0, 57)}…` : t;
    };
    const values = chainValues(chain, src);
    // (A module constant among them, `RULES + FORMAT + "…"`, is text of the prompt: build.ts decides, seeing every assignment.)
    context.chainValues = values.map((v) => {
      const name = v.name === 'VariableName' && !parameterOf(src, chain, textOf(src, v)) ? textOf(src, v) : undefined;
      return { written: written(v), ...(name ? { name } : {}), at: v.from };
    });
    if (pieces.length === 1) {
      // One literal joined with values known only at run time (`prompt + "\n\nQuestion: " + question`): the
      // values are named, so the count reads as the lower bound it is (several pieces name theirs from the gaps).
      const at = primary[0].start;
      candidate.runtimeOperands = { before: values.filter((v) => v.to <= at).map(written), after: values.filter((v) => v.from > at).map(written) };
    }
    candidates.push(candidate);
    return true;
  }
  return false;
}

/** A list of lines joined into one string (`literalAt`): one candidate, one piece per literal element. */
function joinedAt(scan: LiteralScan, joined: JoinedList): void {
  const { src, tree, parser, lang, imports, candidates, seen, memo } = scan;
  const candidate = joinedCandidate(src, joined, {
    literals: (n) => literalOperands(n, src),
    decode: (n) => decodeNode(src, n, lang, tree, parser),
    context: (n) => contextOf(src, n, lang, imports, memo),
    scope: enclosingFunction,
    seen,
  });
  if (candidate) candidates.push(candidate);
}

/** Whether every part of a screened-out literal decodes, asked only if `ScreenedOut` needs to know. */
function decodesAll(scan: LiteralScan, parts: SyntaxNode[]): () => boolean {
  const { src, tree, parser, lang } = scan;
  return () => parts.every((part) => decodeNode(src, part, lang, tree, parser) !== undefined);
}
