/**
 * Syntax-tree helpers that the code scanner's modules share (code.ts, context.ts, chains.ts,
 * fileNames.ts): node identity, the text of a node, callee and simple values, the function
 * around a node. Both Lezer grammars (@lezer/python, @lezer/javascript) name these nodes alike.
 */
import type { SyntaxNode } from '@lezer/common';
import { literalText } from './literals';

export type Lang = 'python' | 'javascript';

export const STRING_NODES = new Set(['String', 'FormatString', 'TemplateString']);

export const FUNCTION_NODES = new Set(['FunctionDefinition', 'LambdaExpression', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration']);

/** The extent of the innermost function around a node: a variable assigned there is local to it. */
export function enclosingFunction(node: SyntaxNode): { from: number; to: number } | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_NODES.has(p.name)) return { from: p.from, to: p.to };
  return undefined;
}

/** Lezer hands out a fresh node object on every navigation, so nodes are compared by position and type. */
/**
 * The sibling after a declared name, past its TypeScript type (`const parts: string[] = []`: the `=`), and the sibling
 * before a declared value, past the same type (the name). Without it a typed declaration read as no declaration
 * (newuser37: node-DeepResearch's agent builds its system prompt in `const sections: string[] = []`).
 */
export function nextPastType(node: SyntaxNode | null | undefined): SyntaxNode | null {
  const next = node?.nextSibling ?? null;
  return next?.name === 'TypeAnnotation' ? next.nextSibling : next;
}

export function prevPastType(node: SyntaxNode | null | undefined): SyntaxNode | null {
  const prev = node?.prevSibling ?? null;
  return prev?.name === 'TypeAnnotation' ? prev.prevSibling : prev;
}

export function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.from === b.from && a.to === b.to && a.name === b.name;
}

export function textOf(src: string, node: SyntaxNode): string {
  return src.slice(node.from, node.to);
}

/** The characters `calleeText` rewrites: whitespace, the `?` of `?.`, the `<` of type arguments, and the `[` of Python's. */
const CALLEE_REWRITTEN = /[\s?<[]/;

/**
 * A class called with Python type arguments: pydantic-ai's `Agent[Deps, Response](…)` (its sql_gen.py and evals example,
 * newuser48) is a call of `Agent`. Only a CamelCase name before a subscript that starts with a name: `handlers["x"](…)`,
 * `CLIENTS[name](…)` and `fns[0](…)` stay as they are.
 */
const PYTHON_TYPE_ARGS = /^((?:[\w.]*\.)?[A-Z][A-Za-z0-9]*[a-z]\w*)\[[A-Za-z_][^()]*\]$/;

/** `callee` without Python type arguments (`Agent[Deps, Response]` is `Agent`). */
export function withoutTypeArgs(callee: string): string {
  return callee.endsWith(']') ? callee.replace(PYTHON_TYPE_ARGS, '$1') : callee;
}

/** Collapses whitespace inside a callee so `client.chat\n  .completions.create` matches the API patterns. */
export function calleeText(src: string, call: SyntaxNode): string {
  let callee = call.firstChild;
  if (callee && callee.name === 'new') callee = callee.nextSibling;
  if (!callee || callee.name === 'ArgList') return '';
  const t = textOf(src, callee);
  const tail = t.length > 200 ? t.slice(-200) : t;
  // (Most callees have no space, `?.` or type arguments: nothing to rewrite.)
  return CALLEE_REWRITTEN.test(tail) ? withoutTypeArgs(tail.replace(/\s+/g, '').replace(/\?\./g, '.').replace(/<[^()]*>$/, '')) : tail;
}

/** The plain value of a short literal or name used as a key, role or model name. */
export function simpleValue(src: string, node: SyntaxNode | null, lang: Lang): string | undefined {
  if (!node) return undefined;
  if (node.name === 'String') return literalText(src, node.from, node.to, lang);
  if (node.name === 'TemplateString' && !node.firstChild) return literalText(src, node.from, node.to, 'javascript');
  if (/^(VariableName|PropertyName|PropertyDefinition|MemberExpression|VariableDefinition)$/.test(node.name)) {
    const t = textOf(src, node);
    return t.length <= 80 ? t : undefined;
  }
  return undefined;
}

/** Name of the function whose body holds `node` (for literals that are returned). */
export function enclosingFunctionName(src: string, node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionDefinition' || p.name === 'FunctionDeclaration') return simpleValue(src, p.getChild('VariableName') ?? p.getChild('VariableDefinition'), 'python');
    if (p.name === 'MethodDeclaration') return simpleValue(src, p.getChild('PropertyDefinition'), 'javascript');
    if (p.name === 'ArrowFunction' || p.name === 'FunctionExpression') {
      const decl = p.parent;
      if (decl?.name === 'VariableDeclaration') return simpleValue(src, decl.getChild('VariableDefinition'), 'javascript');
      if (decl?.name === 'Property') return simpleValue(src, decl.firstChild, 'javascript');
      return undefined;
    }
  }
  return undefined;
}

export function lastName(target: string): string {
  // (Without a subscript: the part after the last dot, as below.)
  if (!target.includes('[')) return target.slice(target.lastIndexOf('.') + 1);
  // Subscripts are not names: `messages[messages.length - 1].content` is `content`, `x[len(x) - 1]` is `x`.
  let bare = target;
  for (let i = 0; i < 4 && /\[[^[\]]*\]/.test(bare); i++) bare = bare.replace(/\[[^[\]]*\]/g, '');
  const parts = bare.split('.');
  return parts[parts.length - 1].replace(/\[.*$/, '');
}

export function positionalIndex(args: SyntaxNode, child: SyntaxNode): number {
  let index = 0;
  for (let c = args.firstChild; c && !same(c, child); c = c.nextSibling) if (c.name === ',') index++;
  return index;
}

export function isDocstringPosition(stmt: SyntaxNode): boolean {
  const container = stmt.parent;
  if (!container) return false;
  for (let c = container.firstChild; c; c = c.nextSibling) {
    if (c.name === ':' || c.name === 'Comment') continue;
    return c.from === stmt.from;
  }
  return false;
}
