/**
 * Constants a file imports from another module of its project and splices into a prompt (newuser41's finding 5:
 * nanobrowser's navigator and planner system prompts both open with `${commonSecurityRules}`, a 384-token template
 * literal of `./common`, which the lens left out as a runtime value). Two pure readers, no file system:
 *
 * - `importedBindings(text, language)`: the names a file imports, by the name it uses, with the module as written
 *   (`import { a, b as c } from './common'`; `from .prompts import A, B as C`, `from app.prompts import (A, B)`).
 *   JavaScript imports of packages (`openai`, `@scope/x`) are left out: only paths (`./`, `../`) and a path alias of the
 *   project (`~/`, `@/`, `#/`: bolt.new's `import { MODIFICATIONS_TAG_NAME, WORK_DIR } from '~/utils/constants'`) name
 *   project files.
 * - `moduleConstants(text, language, names)`: the module-level constants among `names` whose text is known without
 *   running anything (one literal, or literals and other such constants joined with `+` or interpolated whole), decoded:
 *   the text a prompt that interpolates them sends in their place. An upper-case constant bound to a number
 *   (`MAX_ITEMS = 5`, `export const TEMPERATURE = 0.2`) gives its digits as an interpolation writes them (`numberText`).
 *
 * The engine resolves the modules on disk (src/shared/prompt/scanner/importedModules.ts) and hands the texts to the hints
 * (`HintInputs.importedConstants`), which count them in place (composed.ts).
 */
import type { SyntaxNode } from '@lezer/common';
import { decodeJavaScript, decodePython } from './literals';
import { loadJavaScriptParser, loadPythonParser } from './parsers';

export interface ImportedBinding {
  /** The name the importing file uses. */
  local: string;
  /** The name the module exports; `*` for the module itself (`import * as P from './x'`, `import app.prompts as P`). */
  name: string;
  /** The module as written: `./common`, `.prompts`, `app.prompts`. */
  module: string;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;
const JS_IMPORT = /(?:^|[\n;])[ \t]*import[ \t]+(?:type[ \t]+)?(?:[A-Za-z_$][\w$]*[ \t]*,[ \t]*)?\{([^{}]{0,4000})\}[ \t]*from[ \t]*(['"])((?:\.{1,2}|[~@#])\/[^'"\n]{0,300})\2/g;
const PY_IMPORT = /^from[ \t]+(\.*[\w.]{0,200})[ \t]+import[ \t]+(\([^)]{0,4000}\)|[^\n#;]{1,2000})/gm;
const JS_NAMESPACE = /(?:^|[\n;])[ \t]*import[ \t]+\*[ \t]+as[ \t]+([A-Za-z_$][\w$]*)[ \t]+from[ \t]*(['"])((?:\.{1,2}|[~@#])\/[^'"\n]{0,300})\2/g;
const PY_MODULE_AS = /^import[ \t]+([A-Za-z_][\w.]{0,200})[ \t]+as[ \t]+([A-Za-z_]\w*)[ \t]*$/gm;

export function importedBindings(text: string, language: 'python' | 'javascript'): ImportedBinding[] {
  const out: ImportedBinding[] = [];
  const add = (spec: string, module: string, python: boolean): void => {
    const m = (python ? /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/ : /^\s*(?:type\s+)?([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/).exec(spec);
    if (!m || (!python && /^\s*type\s/.test(spec))) return;
    const local = m[2] ?? m[1];
    if (IDENT.test(local) && !out.some((b) => b.local === local)) out.push({ local, name: m[1], module });
  };
  if (language === 'python') {
    for (const m of text.matchAll(PY_IMPORT)) {
      if (m[1] === '' || m[1] === '__future__') continue;
      for (const spec of m[2].replace(/^\(|\)$/g, '').replace(/\\\n/g, ' ').split(',')) add(spec, m[1], true);
    }
    for (const m of text.matchAll(PY_MODULE_AS)) if (!out.some((b) => b.local === m[2])) out.push({ local: m[2], name: '*', module: m[1] });
  } else {
    for (const m of text.matchAll(JS_IMPORT)) for (const spec of m[1].split(',')) add(spec.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ''), m[3], false);
    for (const m of text.matchAll(JS_NAMESPACE)) if (!out.some((b) => b.local === m[1])) out.push({ local: m[1], name: '*', module: m[3] });
  }
  return out;
}

export interface ModuleConstant {
  text: string;
  /** 0-based line of the constant's name. */
  line: number;
}

/** Files larger than this are not read for constants (a module of prompts is far smaller). */
export const MAX_MODULE_CHARS = 1_000_000;

/** The literal a module-level value is (a parenthesized one, Python's implicit concatenation, an f-string or template literal). */
function literalOf(value: SyntaxNode | null, python: boolean): SyntaxNode | undefined {
  let v = value;
  while (v?.name === 'ParenthesizedExpression' && v.firstChild?.nextSibling && v.firstChild.nextSibling.nextSibling?.name === ')') v = v.firstChild.nextSibling;
  if (!v) return undefined;
  if (python) return v.name === 'String' || v.name === 'FormatString' || v.name === 'ContinuedString' ? v : undefined;
  return v.name === 'String' || v.name === 'TemplateString' ? v : undefined;
}

/** How deep a constant made of other constants is followed (`SYSTEM = BASE + RULES`, `RULES = f"{A}\n{B}"`). */
const MAX_DEPTH = 4;

/**
 * The module-level constants among `names` whose value is text known without running anything, decoded: one literal
 * (`export const X = `…``, `X = """…"""`, `X = ("…" "…")`), or one made of literals and other such constants of the same
 * module, joined with `+` or interpolated whole (`SYSTEM = BASE + "\n" + RULES`, `` `${BASE}\n${RULES}` ``,
 * `f"{BASE}\n{RULES}"`). A name assigned twice, a call, a format spec or any other expression: not known.
 */
export function moduleConstants(text: string, language: 'python' | 'javascript', names: ReadonlySet<string>, dialect: { typescript: boolean; jsx: boolean } = { typescript: true, jsx: false }): Map<string, ModuleConstant> {
  const out = new Map<string, ModuleConstant>();
  if (names.size === 0 || text.length > MAX_MODULE_CHARS || ![...names].some((n) => text.includes(n))) return out;
  const python = language === 'python';
  const tree = (python ? loadPythonParser() : loadJavaScriptParser(dialect.typescript, dialect.jsx)).parse(text);
  const lineOf = (offset: number): number => {
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  // Every module-level name with its one value; null for a name assigned more than once (which value is sent depends on
  // the order of run).
  const values = new Map<string, { value: SyntaxNode | null; at: number } | null>();
  const record = (name: string, value: SyntaxNode | null, at: number): void => {
    values.set(name, values.has(name) ? null : { value, at });
  };
  // (Python: the top-level target each constant was read from.)
  const targets = new Map<number, SyntaxNode>();
  for (let statement = tree.topNode.firstChild; statement; statement = statement.nextSibling) {
    if (python) {
      // `NAME = "…"` (one target; `NAME: str = "…"` too). `NAME += "…"` makes it no constant.
      if (statement.name === 'UpdateStatement' && statement.firstChild?.name === 'VariableName') {
        values.set(text.slice(statement.firstChild.from, statement.firstChild.to), null);
        continue;
      }
      if (statement.name !== 'AssignStatement') continue;
      const target = statement.firstChild;
      if (target?.name !== 'VariableName') continue;
      let op = target.nextSibling;
      if (op?.name === 'TypeDef') op = op.nextSibling;
      const name = text.slice(target.from, target.to);
      if (op?.name !== 'AssignOp' || text.slice(op.from, op.to) !== '=' || op.nextSibling?.nextSibling) {
        // (Assigned in another form, `X += "…"` or `X = Y = "…"`: no constant.)
        if (values.has(name)) values.set(name, null);
        continue;
      }
      record(name, op.nextSibling, target.from);
      targets.set(target.from, target);
    } else {
      const declaration = statement.name === 'ExportDeclaration' ? statement.getChild('VariableDeclaration') : statement.name === 'VariableDeclaration' ? statement : null;
      if (!declaration || !/^const\b/.test(text.slice(declaration.from, declaration.from + 6))) continue;
      for (let c = declaration.firstChild; c; c = c.nextSibling) {
        if (c.name !== 'VariableDefinition') continue;
        let next = c.nextSibling;
        if (next?.name === 'TypeAnnotation') next = next.nextSibling;
        if (next?.name !== 'Equals') continue;
        record(text.slice(c.from, c.to), next.nextSibling, c.from);
      }
    }
  }
  // (Python: a name bound again anywhere else at module level, in a block, by `global` in a function, an import, `def`,
  // `del` or `:=`, is no constant: breaker43.)
  if (python && values.size > 0) {
    tree.iterate({
      enter: (node) => {
        if (node.name !== 'VariableName' || targets.has(node.from)) return;
        const name = text.slice(node.from, node.to);
        if (values.get(name) && rebinds(node.node, text, false)) values.set(name, null);
      },
    });
  }
  const following = new Set<string>();
  // (`usedAt`: where another constant's value reads it, which must come after it: the module runs in order, so a name
  // bound further down is not bound yet there.)
  // (`number`: whether an upper-case constant bound to a number literal is written as its digits here: where it is
  // interpolated or read whole, not as an operand of `+`, which adds numbers.)
  const constant = (name: string, depth: number, usedAt = Infinity, number = true): string | undefined => {
    const v = values.get(name);
    if (!v || depth > MAX_DEPTH || following.has(name) || v.at >= usedAt) return undefined;
    following.add(name);
    try {
      return valueText(v.value, depth, number && CONSTANT_NAME.test(name));
    } finally {
      following.delete(name);
    }
  };
  const valueText = (node: SyntaxNode | null, depth: number, number = false): string | undefined => {
    if (!node) return undefined;
    if (node.name === 'VariableName') return constant(text.slice(node.from, node.to), depth + 1, node.from, number);
    if (number && (node.name === 'Number' || node.name === 'UnaryExpression')) return numberLiteralText(node, text, python);
    if (node.name === 'BinaryExpression') {
      const left = node.firstChild;
      const op = left?.nextSibling;
      const right = op?.nextSibling;
      if (!left || !op || !right || right.nextSibling || text.slice(op.from, op.to) !== '+') return undefined;
      const a = valueText(left, depth);
      const b = a === undefined ? undefined : valueText(right, depth);
      return a === undefined || b === undefined ? undefined : a + b;
    }
    if (node.name === 'ParenthesizedExpression' && !literalOf(node, python)) {
      const inner = node.firstChild?.nextSibling;
      return inner && inner.nextSibling?.name === ')' ? valueText(inner, depth, number) : undefined;
    }
    const literal = literalOf(node, python);
    if (!literal) return undefined;
    const parts = literal.name === 'ContinuedString' ? literal.getChildren('String').concat(literal.getChildren('FormatString')).sort((x, y) => x.from - y.from) : [literal];
    let joined = '';
    for (const part of parts) {
      const interpolations: Array<[number, number]> = [];
      for (let c = part.firstChild; c; c = c.nextSibling) if (c.name === (python ? 'FormatReplacement' : 'Interpolation')) interpolations.push([c.from, c.to]);
      const decoded = python ? decodePython(text, part.from, part.to, interpolations) : decodeJavaScript(text, part.from, part.to, interpolations);
      if (!decoded || decoded.unterminated) return undefined;
      // Each interpolation a whole constant of this module (`${BASE}`, `{RULES}`), put in its place.
      let piece = '';
      let from = 0;
      for (const p of decoded.interpolated) {
        if (!IDENT.test(p.name)) return undefined;
        const filled = constant(p.name, depth + 1, part.from);
        if (filled === undefined) return undefined;
        piece += decoded.text.slice(from, p.start) + filled;
        from = p.end;
      }
      joined += piece + decoded.text.slice(from);
    }
    return joined;
  };
  for (const name of names) {
    const v = values.get(name);
    if (!v) continue;
    const known = constant(name, 0);
    if (known !== undefined) out.set(name, { text: known, line: lineOf(v.at) });
  }
  return out;
}

/** An upper-case name: the constants whose number an interpolation writes as its digits (`MAX_ITEMS`, not `limit`). */
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * The text an interpolation of a number written in code puts in a prompt (`f"{MAX}"`, `${MAX}`), or undefined when it is
 * no simple number: a decimal integer that is safe (`1_000` is `1000`; `007`, `0x10` and `5j` are left out) or a
 * decimal fraction between 0.0001 and 10^15 (`0.2`; Python writes `1.0` with its `.0`, JavaScript `1`). Outside that
 * range, and for exponents, the two languages write a number in different forms, so it is not guessed.
 */
export function numberText(written: string, python: boolean): string | undefined {
  const plain = written.replace(/_/g, '');
  if (/^-?(?:0|[1-9]\d*)$/.test(plain)) {
    const value = Number(plain);
    return Number.isSafeInteger(value) ? String(value) : undefined;
  }
  if (!/^-?(?:0|[1-9]\d*)\.\d+$/.test(plain)) return undefined;
  const value = Number(plain);
  if (value === 0) return python ? '0.0' : '0';
  if (Math.abs(value) < 1e-4 || Math.abs(value) >= 1e15) return undefined;
  return python && Number.isInteger(value) ? `${value}.0` : String(value);
}

/** `numberText` of a `Number` node, or of `-` before one. */
function numberLiteralText(node: SyntaxNode, text: string, python: boolean): string | undefined {
  let sign = '';
  let n: SyntaxNode | null = node;
  if (n.name === 'UnaryExpression') {
    const op = n.firstChild;
    if (op?.name !== 'ArithOp' || text.slice(op.from, op.to) !== '-') return undefined;
    sign = '-';
    n = op.nextSibling;
    if (n?.nextSibling) return undefined;
  }
  return n?.name === 'Number' ? numberText(sign + text.slice(n.from, n.to), python) : undefined;
}

const PY_SCOPES = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression', 'ArrayComprehensionExpression', 'DictionaryComprehensionExpression', 'SetComprehensionExpression', 'ComprehensionExpression']);

/**
 * Whether a Python name, outside the module-level assignment its constant was read from, binds the module's name again:
 * `X += "…"`, an assignment in an `if`, `for`, `with` or `try` block at module level, `global X` in a function, an
 * import, `def`/`class`, `del`, `:=`, a `case` capture. (The module then sends another text, or one that depends on the
 * order of run: `PROMPT += "…"` made the lens count the first literal alone.) A name bound in a function or class body
 * without `global` is that body's own.
 */
function rebinds(node: SyntaxNode, text: string, anyScope: boolean): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'ScopeStatement') return anyScope || text.slice(parent.from, parent.from + 6) === 'global';
  const prev = node.prevSibling;
  // (In any scope: a parameter, `lambda` ones too, and a comprehension's variable.)
  if (anyScope && ((parent.name === 'ParamList' && prev?.name !== 'AssignOp') || prev?.name === 'for')) return true;
  for (let up: SyntaxNode | null = anyScope ? null : parent; up; up = up.parent) {
    if (up.name === 'Body' && up.parent && PY_SCOPES.has(up.parent.name)) return false;
    if (PY_SCOPES.has(up.name) && up.name !== 'FunctionDefinition' && up.name !== 'ClassDefinition') return false;
  }
  const next = node.nextSibling;
  if (prev?.name === 'as' || parent.name === 'DeleteStatement' || parent.name === 'ImportStatement' || parent.name === 'CapturePattern') return true;
  if ((parent.name === 'FunctionDefinition' || parent.name === 'ClassDefinition') && prev?.name === (parent.name === 'FunctionDefinition' ? 'def' : 'class')) return true;
  if (next?.name === 'AssignOp' && text.slice(next.from, next.to) === ':=') return true;
  // A target: before the last `=` of an assignment (`X = …`, `X, Y = …`, `A = X = …`), before `+=`, before `in` in a `for`, in a tuple or list of targets.
  let child = node;
  let holder: SyntaxNode | null = parent;
  while (holder && (holder.name === 'TupleExpression' || holder.name === 'ArrayExpression' || holder.name === 'ParenthesizedExpression')) {
    child = holder;
    holder = holder.parent;
  }
  if (!holder || (holder.name !== 'AssignStatement' && holder.name !== 'UpdateStatement' && holder.name !== 'ForStatement')) return false;
  const stop = holder.name === 'ForStatement' ? 'in' : holder.name === 'UpdateStatement' ? 'UpdateOp' : 'AssignOp';
  for (let after = child.nextSibling; after; after = after.nextSibling) if (after.name === stop) return true;
  return false;
}

/**
 * The names among `names` a document binds other than by importing them: a parameter, a variable, a function or class,
 * an assignment (Python), in any scope. A prompt there may splice that binding instead of the imported constant
 * (`function ask(q, rules) { … ${rules} … }` with `rules` imported too; `RULES = ""` after `from .prompts import RULES`):
 * such a name stays a runtime value. The document is parsed only when a name is written where it could be bound.
 */
export function boundInDocument(text: string, language: 'python' | 'javascript', names: readonly string[], dialect: { typescript: boolean; jsx: boolean } = { typescript: true, jsx: false }): Set<string> {
  const out = new Set<string>();
  const python = language === 'python';
  const code = python ? text.replace(PY_IMPORT, ' ').replace(PY_MODULE_AS, ' ') : text.replace(JS_IMPORT, ' ').replace(JS_NAMESPACE, ' ');
  // (A name can be bound only after a keyword that binds, an opening bracket, a comma or `*` (parameters, targets), or
  // before `=`, `+=`, `:=`, `: T =`, `=>`: a document that reads it nowhere else is not parsed.)
  const bindBefore = python ? /(?:\b(?:def|class|for|as|global|nonlocal|del|lambda)|[(,*[])$/ : /(?:\b(?:const|let|var|function|class|catch|for)|(?<!\$)\{|[(,[]|\.\.\.)$/;
  const bindAfter = python ? /^\s*(?::[^=\n]*)?(?:[-+*/%&|^@]|\*\*|\/\/|<<|>>)?=(?!=)/ : /^\s*(?:\??:[^=;\n]*)?(?:=(?!=)|=>)/;
  const suspects = new Set(
    names.filter((name) => {
      // (`NAME.x`, `NAME[…]` and `NAME(…)` read it.)
      for (const m of code.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$]|\\s*[.([])`, 'g'))) {
        if (bindBefore.test(code.slice(Math.max(0, m.index - 40), m.index).trimEnd()) || bindAfter.test(code.slice(m.index + name.length, m.index + name.length + 200))) return true;
      }
      return false;
    }),
  );
  if (suspects.size === 0) return out;
  const tree = (python ? loadPythonParser() : loadJavaScriptParser(dialect.typescript, dialect.jsx)).parse(text);
  // Per name, the scopes (functions, lambdas, comprehensions) that bind it, and where it is read; bound at module level, it is bound everywhere.
  const scopes = new Map<string, Array<[number, number]>>();
  const uses = new Map<string, number[]>();
  const push = <T>(map: Map<string, T[]>, name: string, value: T): void => {
    const list = map.get(name);
    if (list) list.push(value);
    else map.set(name, [value]);
  };
  tree.iterate({
    enter: (ref) => {
      if (ref.name === (python ? 'ImportStatement' : 'ImportDeclaration')) return false;
      if (ref.name !== 'VariableName' && ref.name !== 'VariableDefinition') return undefined;
      const name = text.slice(ref.from, ref.to);
      if (!suspects.has(name) || out.has(name)) return undefined;
      const node = ref.node;
      if (!(python ? rebinds(node, text, true) : node.name === 'VariableDefinition')) {
        if (spliceUse(node, text)) push(uses, name, node.from);
        return undefined;
      }
      const scope = python ? pythonScope(node, text) : javascriptScope(node);
      if (scope) push(scopes, name, [scope.from, scope.to]);
      else out.add(name);
      return undefined;
    },
  });
  for (const [name, ranges] of scopes) if ((uses.get(name) ?? []).some((at) => ranges.some(([from, to]) => at >= from && at < to))) out.add(name);
  return out;
}

/** Whether a name is read where a prompt takes its text: in an interpolation (`${…}`, an f-string's `{…}`) or as a `+` operand. */
function spliceUse(node: SyntaxNode, text: string): boolean {
  const parent = node.parent;
  const op = node.prevSibling ?? node.nextSibling;
  if (parent?.name === 'BinaryExpression' && op?.name === 'ArithOp' && text.slice(op.from, op.to) === '+') return true;
  for (let up = parent; up; up = up.parent) if (up.name === 'Interpolation' || up.name === 'FormatReplacement') return true;
  return false;
}

/** The function, lambda, class or comprehension a Python binding belongs to; null for the module (`global` included). */
function pythonScope(node: SyntaxNode, text: string): SyntaxNode | null {
  const parent = node.parent;
  if (parent?.name === 'ScopeStatement' && text.slice(parent.from, parent.from + 6) === 'global') return null;
  if (parent?.name === 'ParamList') return parent.parent;
  for (let up = parent; up; up = up.parent) {
    if (up.name === 'Body' && up.parent && PY_SCOPES.has(up.parent.name)) return up.parent;
    if (PY_SCOPES.has(up.name) && up.name !== 'FunctionDefinition' && up.name !== 'ClassDefinition') return up;
  }
  return null;
}

const JS_SCOPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration', 'ClassBody']);

/** The function a JavaScript binding belongs to (a block's `let` taken as its function's: wider, never narrower); null for the module. */
function javascriptScope(node: SyntaxNode): SyntaxNode | null {
  // (A function's or class's own name is bound where the declaration stands.)
  let up = node.parent && (node.parent.name === 'FunctionDeclaration' || node.parent.name === 'ClassDeclaration') ? node.parent.parent : node.parent;
  for (; up; up = up.parent) if (JS_SCOPES.has(up.name)) return up;
  return null;
}
