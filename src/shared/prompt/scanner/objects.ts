/**
 * Syntax helpers for model resolution (models.ts) through objects and scopes:
 *
 * - the parameter of an enclosing function that a name in its body refers to (`def run(config): …config.model…`):
 *   a module-level object of the same name is not what the body reads;
 * - Python classes of the file (`class LLMConfig(BaseModel): model: str = "claude-…"`), for a config object built by
 *   calling one without the keyword (`Settings()`) or a parameter annotated with one (`config: Settings`);
 * - the member of an object literal, dict, keyword-argument call or class body (`cfg.llm` in `cfg = {"llm": {…}}`).
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { literalText } from './literals';

type Lang = 'python' | 'javascript';

function stringValue(src: string, node: SyntaxNode, lang: Lang): string | undefined {
  if (node.name === 'String') return literalText(src, node.from, node.to, lang);
  if (node.name === 'TemplateString' && !node.firstChild) return literalText(src, node.from, node.to, 'javascript');
  return undefined;
}

/** `model` in `x.model`, `x["model"]`. */
export function propertyOf(src: string, lang: Lang, member: SyntaxNode): string | undefined {
  const last = member.lastChild;
  if (last?.name === ']') return last.prevSibling ? stringValue(src, last.prevSibling, lang) : undefined;
  return last && (last.name === 'PropertyName' || last.name === 'PrivatePropertyName') ? src.slice(last.from, last.to) : undefined;
}

const FUNCTIONS = new Set(['FunctionDefinition', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration', 'LambdaExpression']);

/** The nearest function around a node. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  let hops = 0;
  for (let p = node.parent; p && hops++ < 60; p = p.parent) if (FUNCTIONS.has(p.name)) return p;
  return undefined;
}

/** Whether a definition value is a plain variable's (`model = "…"` outside a class body, `const model = …`, a parameter default, a `for`/`with` target). */
export function isVariableValue(value: SyntaxNode): boolean {
  const parent = value.parent;
  if (!parent) return false;
  if (parent.name === 'VariableDeclaration' || parent.name === 'ParamList' || parent.name === 'PatternProperty' || parent.name === 'WithStatement' || parent.name === 'ForStatement') return true;
  if ((parent.name === 'AssignStatement' || parent.name === 'AssignmentExpression') && (parent.firstChild?.name === 'VariableName' || parent.firstChild?.name === 'VariableDefinition')) {
    return !(parent.parent?.name === 'Body' && parent.parent.parent?.name === 'ClassDefinition');
  }
  return false;
}

/** The receiver names that are never a config object's own name. */
export const RECEIVER = /^(self|cls|this)$/;

export interface Parameter {
  /** The function whose parameter it is (its definitions of the name are the only ones in force in its body). */
  fn: SyntaxNode;
  /** The parameter's type annotation as written (`Settings`), when it has one. */
  annotation?: string;
}

/** The parameter of the nearest enclosing function that declares `name`, if any. */
export function parameterOf(src: string, node: SyntaxNode, name: string): Parameter | undefined {
  if (RECEIVER.test(name)) return undefined;
  let hops = 0;
  for (let p: SyntaxNode | null = node.parent; p && hops++ < 60; p = p.parent) {
    if (!FUNCTIONS.has(p.name)) continue;
    const params = p.getChild('ParamList');
    if (!params) continue;
    for (let c: SyntaxNode | null = params.firstChild; c; c = c.nextSibling) {
      // A destructured parameter (`function run({ model = '…' })`) declares the names of its pattern.
      if (c.name === 'ObjectPattern' || c.name === 'ArrayPattern') {
        if (patternDeclares(src, c, name)) return { fn: p };
        continue;
      }
      if ((c.name !== 'VariableName' && c.name !== 'VariableDefinition') || src.slice(c.from, c.to) !== name) continue;
      const typed = c.nextSibling && (c.nextSibling.name === 'TypeDef' || c.nextSibling.name === 'TypeAnnotation') ? c.nextSibling : undefined;
      const annotation = typed ? src.slice(typed.from, typed.to).replace(/^:\s*/, '').trim() : undefined;
      return { fn: p, ...(annotation ? { annotation } : {}) };
    }
  }
  return undefined;
}

/** Whether a destructuring pattern declares `name` (`{ model }`, `{ llm: { model } }`, `[model]`, `{ model = '…' }`). */
function patternDeclares(src: string, pattern: SyntaxNode, name: string): boolean {
  let found = false;
  const walk = (n: SyntaxNode, depth: number): void => {
    for (let c = n.firstChild; c && !found && depth < 8; c = c.nextSibling) {
      if (c.name === 'VariableDefinition' && src.slice(c.from, c.to) === name) found = true;
      else if (c.name === 'ObjectPattern' || c.name === 'ArrayPattern' || c.name === 'PatternProperty') walk(c, depth + 1);
    }
  };
  walk(pattern, 0);
  return found;
}

/** Classes looked up per parsed file (a file's tree is new whenever its text changes). */
const classCache = new WeakMap<Tree, Map<string, SyntaxNode | undefined>>();

/** `class Name…:` at any level of a Python file, when exactly one class has that name. */
export function classNamed(src: string, tree: Tree, name: string): SyntaxNode | undefined {
  if (!/^[A-Za-z_]\w*$/.test(name)) return undefined;
  let cache = classCache.get(tree);
  if (!cache) classCache.set(tree, (cache = new Map<string, SyntaxNode | undefined>()));
  if (cache.has(name)) return cache.get(name);
  const found = findClass(src, tree, name);
  cache.set(name, found);
  return found;
}

function findClass(src: string, tree: Tree, name: string): SyntaxNode | undefined {
  const found: SyntaxNode[] = [];
  const re = new RegExp(`\\bclass\\s+${name}\\b`, 'g');
  for (let m = re.exec(src); m && found.length < 3; m = re.exec(src)) {
    const node = tree.resolveInner(m.index, 1);
    const cls = node.name === 'class' ? node.parent : node;
    if (cls?.name === 'ClassDefinition' && src.slice(cls.getChild('VariableName')?.from ?? 0, cls.getChild('VariableName')?.to ?? 0) === name) found.push(cls);
  }
  return found.length === 1 ? found[0] : undefined;
}

/** A Python class body's `prop = value` / `prop: T = value`: the value, or for `prop: T` alone the annotation `T`. */
export function classAttribute(src: string, cls: SyntaxNode, prop: string): { value?: SyntaxNode; annotation?: string } | undefined {
  const body = cls.getChild('Body');
  if (!body) return undefined;
  let out: { value?: SyntaxNode; annotation?: string } | undefined;
  for (let c = body.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'AssignStatement') continue;
    const target = c.firstChild;
    if (target?.name !== 'VariableName' || src.slice(target.from, target.to) !== prop) continue;
    const typed = target.nextSibling?.name === 'TypeDef' ? target.nextSibling : undefined;
    const op = (typed ?? target).nextSibling;
    const annotation = typed ? src.slice(typed.from, typed.to).replace(/^:\s*/, '').trim() : undefined;
    out = op?.name === 'AssignOp' && op.nextSibling ? { value: op.nextSibling } : annotation ? { annotation } : out;
  }
  return out;
}

/**
 * What a class's `__init__` sets `self.prop` to (`self.model = "gpt-4.1-mini"`), which shadows the class attribute of
 * that name: the value node, or, when the value is one of `__init__`'s parameters, that parameter (its position among
 * the arguments after `self`, its default). Only statements directly in `__init__`'s body count: one under an `if`, a
 * loop or a `try` may not run, and the class attribute (or an earlier direct assignment) stays what is known.
 */
export interface InitAssignment {
  value?: SyntaxNode;
  parameter?: { name: string; index: number; default?: SyntaxNode };
}

export function initAssignment(src: string, cls: SyntaxNode, prop: string): InitAssignment | undefined {
  const body = cls.getChild('Body');
  let init: SyntaxNode | undefined;
  for (let c = body?.firstChild; c; c = c.nextSibling) {
    const fn = c.name === 'DecoratedStatement' ? c.getChild('FunctionDefinition') : c;
    if (fn?.name === 'FunctionDefinition' && src.slice(fn.getChild('VariableName')?.from ?? 0, fn.getChild('VariableName')?.to ?? 0) === '__init__') init = fn;
  }
  const params = init?.getChild('ParamList');
  const fnBody = init?.getChild('Body');
  if (!init || !params || !fnBody) return undefined;
  // The parameters: the receiver first, then the others in order (a `*`/`**` one ends the positional ones).
  const names: Array<{ name: string; default?: SyntaxNode; positional: boolean }> = [];
  let positional = true;
  for (let c = params.firstChild; c; c = c.nextSibling) {
    if (c.name === '*' || c.name === '**') positional = false;
    if (c.name !== 'VariableName') continue;
    let next = c.nextSibling;
    if (next?.name === 'TypeDef') next = next.nextSibling;
    names.push({ name: src.slice(c.from, c.to), ...(next?.name === 'AssignOp' && next.nextSibling ? { default: next.nextSibling } : {}), positional });
  }
  const receiver = names.shift()?.name;
  if (!receiver) return undefined;
  const target = `${receiver}.${prop}`;
  let out: InitAssignment | undefined;
  for (let c = fnBody.firstChild; c; c = c.nextSibling) {
    const lhs = c.name === 'AssignStatement' ? c.firstChild : null;
    if (lhs?.name !== 'MemberExpression' || src.slice(lhs.from, lhs.to).replace(/\s+/g, '') !== target) continue;
    let op = lhs.nextSibling;
    if (op?.name === 'TypeDef') op = op.nextSibling;
    const value = op?.name === 'AssignOp' ? op.nextSibling : null;
    // (`self.model = self.fallback = "…"`: not followed.)
    if (!value || value.nextSibling?.name === 'AssignOp') return undefined;
    const index = value.name === 'VariableName' ? names.findIndex((p) => p.name === src.slice(value.from, value.to)) : -1;
    const param = index >= 0 ? names[index] : undefined;
    out = param ? { parameter: { name: param.name, index: param.positional ? index : -1, ...(param.default ? { default: param.default } : {}) } } : { value };
  }
  return out;
}

/** The plain class name an annotation names (`Settings`, `Optional[Settings]`, `Settings | None`), if one. */
export function annotatedClass(annotation: string): string | undefined {
  const plain = /^(?:Optional\[)?([A-Za-z_]\w*)\]?(?:\s*\|\s*None)?$/.exec(annotation.trim());
  return plain?.[1];
}

/**
 * The value of `prop` in an object literal, a dict, a Python keyword-argument call or a Python class body: the value
 * node (for a class-typed attribute without a value, that class); null when the object has no `prop`; undefined when
 * it may have one without saying so here (a spread, a call to a class that is not in the file, an inherited attribute).
 */
export function memberOf(src: string, tree: Tree, lang: Lang, d: SyntaxNode, prop: string): SyntaxNode | null | undefined {
  // A spread (`...base`, `**base`) may bring the property: not known here.
  if (d.name === 'ObjectExpression' || d.name === 'DictionaryExpression') for (let c = d.firstChild; c; c = c.nextSibling) if (c.name === 'Spread' || c.name === '**') return undefined;
  let member: SyntaxNode | undefined;
  if (d.name === 'ObjectExpression') {
    for (let c = d.firstChild; c; c = c.nextSibling) {
      const key = c.name === 'Property' ? c.firstChild : undefined;
      // A quoted key (`{ 'model': … }`, JSON-style config) names the property as a plain one does.
      const named = key?.name === 'PropertyDefinition' ? src.slice(key.from, key.to) : key?.name === 'String' ? stringValue(src, key, lang) : undefined;
      if (!key || named !== prop) continue;
      member = key.nextSibling?.name === ':' ? (key.nextSibling.nextSibling ?? undefined) : key.name === 'String' ? undefined : key;
    }
    return member ?? null;
  }
  if (d.name === 'DictionaryExpression') {
    for (let c = d.firstChild; c; c = c.nextSibling) if (c.name === 'String' && c.nextSibling?.name === ':' && stringValue(src, c, lang) === prop) member = c.nextSibling.nextSibling ?? undefined;
    return member ?? null;
  }
  if (d.name === 'CallExpression') {
    const args = d.getChild('ArgList');
    for (let c = args?.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && src.slice(c.from, c.to) === prop) return c.nextSibling.nextSibling ?? undefined;
    }
    // A constructor called without that keyword may still have a class default: the class's, when it is in the file.
    const callee = d.firstChild;
    const cls = callee?.name === 'VariableName' ? classNamed(src, tree, src.slice(callee.from, callee.to)) : undefined;
    if (!cls) return undefined;
    // `self.model = model` in `__init__`: the argument given for that parameter, by keyword or by position.
    const param = lang === 'python' ? initAssignment(src, cls, prop)?.parameter : undefined;
    if (param) {
      let position = 0;
      for (let c = args?.firstChild; c; c = c.nextSibling) {
        if (c.name === '(' || c.name === ')' || c.name === ',') continue;
        if (c.name === '*' || c.name === '**') return undefined;
        if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') {
          if (src.slice(c.from, c.to) === param.name) return c.nextSibling.nextSibling ?? undefined;
          c = c.nextSibling.nextSibling ?? c;
          continue;
        }
        if (position++ === param.index) return c;
      }
    }
    return memberOf(src, tree, lang, cls, prop);
  }
  if (d.name === 'ClassDefinition') {
    // An instance attribute `__init__` sets shadows the class attribute (`model = "gpt-4o"` in the class body).
    const init = lang === 'python' ? initAssignment(src, d, prop) : undefined;
    if (init) return init.value ?? init.parameter?.default ?? undefined;
    const attr = classAttribute(src, d, prop);
    if (attr?.value) return attr.value;
    const cls = attr?.annotation ? annotatedClass(attr.annotation) : undefined;
    return (cls ? classNamed(src, tree, cls) : undefined) ?? undefined;
  }
  return undefined;
}

/** True when `value` is the iterable of a `for (const|let … of …)` loop whose statement does not hold `use`. */
export function loopBindingOutside(value: SyntaxNode, use: SyntaxNode): boolean {
  const spec = value.parent;
  if (spec?.name !== 'ForOfSpec' || value.prevSibling?.name !== 'of') return false;
  const keyword = value.prevSibling.prevSibling?.prevSibling?.name;
  const loop = spec.parent;
  return (keyword === 'const' || keyword === 'let') && !!loop && (use.from < loop.from || use.to > loop.to);
}

/**
 * The end of the `for` statement whose iterable `value` is (`for model in [...]:`, `for (model of [...])`), or undefined
 * when it is none: a use of the loop variable from there on reads the loop's last value.
 */
export function loopEndOf(value: SyntaxNode): number | undefined {
  const parent = value.parent;
  if (parent?.name === 'ForStatement' && value.prevSibling?.name === 'in') return parent.to;
  if (parent?.name === 'ForOfSpec' && value.prevSibling?.name === 'of') return parent.parent?.to;
  return undefined;
}

/** The values a `for` loop iterates over, when written here: a list or tuple literal, or a name bound to one alone. */
export function loopValues(src: string, loopIterable: SyntaxNode, definitionValues: (name: string, from: SyntaxNode) => SyntaxNode[]): SyntaxNode[] | undefined {
  let iterable: SyntaxNode | null = loopIterable;
  if (iterable.name === 'VariableName') {
    const defs = definitionValues(src.slice(iterable.from, iterable.to), iterable);
    iterable = defs.length === 1 ? defs[0] : null;
  }
  // `['gpt-4o', 'o3'] as const` / `satisfies string[]`: the array inside.
  const typeCast = (n: SyntaxNode) => n.name === 'AsExpression' || n.name === 'SatisfiesExpression' || (n.name === 'BinaryExpression' && (n.firstChild?.nextSibling?.name === 'as' || n.firstChild?.nextSibling?.name === 'satisfies'));
  while (iterable && typeCast(iterable)) iterable = iterable.firstChild;
  if (!iterable || (iterable.name !== 'ArrayExpression' && iterable.name !== 'TupleExpression')) return undefined;
  const out: SyntaxNode[] = [];
  for (let c = iterable.firstChild; c; c = c.nextSibling) if (c.name !== '[' && c.name !== ']' && c.name !== '(' && c.name !== ')' && c.name !== ',') out.push(c);
  return out;
}

/** A call's positional arguments (Python and JavaScript argument lists), up to the first keyword argument. */
export function positionalArgs(args: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (c.name === '(' || c.name === ')' || c.name === ',' || c.name === 'AssignOp' || c.name === '**' || c.name === '*' || c.name === 'Spread') continue;
    if (c.nextSibling?.name === 'AssignOp') break;
    out.push(c);
  }
  return out;
}

/** The value node of a Python call's keyword argument `key`. */
export function keywordArg(src: string, args: SyntaxNode, key: string): SyntaxNode | undefined {
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && src.slice(c.from, c.to) === key) return c.nextSibling.nextSibling ?? undefined;
  }
  return undefined;
}
