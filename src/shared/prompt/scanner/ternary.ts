/**
 * A literal that a ternary chooses (`x = f"…" if cond else ""`, `const x = cond ? `…` : ""`) is
 * sent only when its branch is taken. When the condition is a boolean constant the file defines
 * (`USE_CATEGORIES = True` at module level, `const USE_CATEGORIES = true` in the same function:
 * the Anthropic customer-support route), the branch is known and build.ts composes the one the
 * constant chooses; otherwise the choice is made at run time and the fragment is a runtime
 * value of any prompt that splices it in, so that "≥ N tokens" stays a lower bound.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { TernaryChoice } from './literalContext';
import { FUNCTION_NODES } from './codeSyntax';

/** Bodies whose names are not module constants: a class attribute is read as `self.X`, not `X`. */
const NOT_MODULE_LEVEL = new Set([...FUNCTION_NODES, 'ClassDefinition', 'ClassDeclaration', 'ClassExpression']);

/** `NAME = True`, `const NAME: boolean = true;` (the whole right-hand side a boolean literal). */
const BOOLEAN_ASSIGNMENT = /(?<![\w$.])([A-Za-z_$][\w$]{0,60})[ \t]*(?::[ \t]*(?:bool|boolean)[ \t]*)?=[ \t]*(True|False|true|false)[ \t]*;?[ \t]*(?=$|#|\/\/)/gm;

interface FileConstant {
  value: boolean;
  /** Offset of the assignment. */
  at: number;
}

let constantsCache: { src: string; tree: Tree; constants: Map<string, FileConstant & { topLevel: boolean; scope?: { from: number; to: number } }> } | undefined;

function enclosing(node: SyntaxNode, names: Set<string>): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (names.has(p.name)) return p;
  return undefined;
}

/**
 * The names the file assigns exactly once, to `True`/`False`/`true`/`false`, with where and in
 * which function (none for a module constant). Any other assignment to the name (`=`, `+=`, a
 * keyword argument of the same name) makes it no constant: the scan cannot tell which one holds.
 */
function fileConstants(src: string, tree: Tree): Map<string, FileConstant & { topLevel: boolean; scope?: { from: number; to: number } }> {
  if (constantsCache?.src === src && constantsCache.tree === tree) return constantsCache.constants;
  const constants = new Map<string, FileConstant & { topLevel: boolean; scope?: { from: number; to: number } }>();
  if (/\b(True|False|true|false)\b/.test(src)) {
    const found = new Map<string, { value: boolean; at: number }>();
    const repeated = new Set<string>();
    for (const m of src.matchAll(BOOLEAN_ASSIGNMENT)) {
      if (found.has(m[1])) repeated.add(m[1]);
      found.set(m[1], { value: m[2] === 'True' || m[2] === 'true', at: m.index ?? 0 });
    }
    for (const [name, c] of found) {
      if (repeated.has(name)) continue;
      const id = name.replace(/\$/g, '\\$');
      // Every assignment of the name, compound ones included (`x += …`, `x ||= …`, a keyword argument `x=…`).
      const assignments = src.match(new RegExp(`(?<![\\w$.])${id}[ \\t]*(?::[^=\\n]{0,40})?(?:[-+*/%&|^?<>]{1,3})?=(?!=)`, 'g'))?.length ?? 0;
      if (assignments !== 1) continue;
      const node = tree.resolveInner(c.at, 1);
      const fn = enclosing(node, FUNCTION_NODES);
      const topLevel = !enclosing(node, NOT_MODULE_LEVEL);
      constants.set(name, { ...c, topLevel, ...(fn ? { scope: { from: fn.from, to: fn.to } } : {}) });
    }
  }
  constantsCache = { src, tree, constants };
  return constants;
}

/**
 * What the file's boolean constants are, for incremental.ts: a ternary's choice reads a constant
 * that may be written in another top-level statement, so any change to them re-scans the file.
 */
export function constantFacts(src: string, tree: Tree): string {
  return [...fileConstants(src, tree)].map(([name, c]) => `${name}=${c.value}${c.topLevel ? '' : '/local'}`).sort().join(',');
}

/** The value of a condition made of a visible constant (`USE`, `not USE`, `!USE`, `(USE)`, `true`), or undefined. */
function conditionValue(src: string, tree: Tree, cond: SyntaxNode, at: number, scope: { from: number; to: number } | undefined): boolean | undefined {
  if (cond.name === 'ParenthesizedExpression') {
    const inner = cond.firstChild?.nextSibling;
    return inner && inner.nextSibling?.name === ')' ? conditionValue(src, tree, inner, at, scope) : undefined;
  }
  if (cond.name === 'UnaryExpression') {
    const op = cond.firstChild;
    const operand = op?.nextSibling;
    if (!op || !operand || operand.nextSibling || !/^(not|!)$/.test(src.slice(op.from, op.to))) return undefined;
    const v = conditionValue(src, tree, operand, at, scope);
    return v === undefined ? undefined : !v;
  }
  const text = src.slice(cond.from, cond.to);
  if (cond.name === 'Boolean' || /^(True|False|true|false)$/.test(text)) return /^(True|true)$/.test(text) ? true : /^(False|false)$/.test(text) ? false : undefined;
  if (cond.name !== 'VariableName') return undefined;
  const c = fileConstants(src, tree).get(text);
  if (!c) return undefined;
  // A module constant is visible everywhere; one of a function only after it is assigned, in that function.
  if (c.topLevel) return c.value;
  return c.scope && scope && c.scope.from === scope.from && c.scope.to === scope.to && c.at < at ? c.value : undefined;
}

/**
 * Whether `unit` (a literal, or an all-literal concatenation) is a branch of a ternary, and if so
 * how it is chosen: `always` when constants choose it at every ternary around it, `never` when a
 * constant chooses another branch, `runtime` otherwise. Undefined when it is in no ternary branch.
 */
export function ternaryChoice(src: string, tree: Tree, unit: SyntaxNode, scope: { from: number; to: number } | undefined): TernaryChoice | undefined {
  let child = unit;
  let choice: TernaryChoice | undefined;
  for (let parent = unit.parent; parent; parent = parent.parent) {
    if (parent.name === 'ParenthesizedExpression') {
      child = parent;
      continue;
    }
    if (parent.name !== 'ConditionalExpression') break;
    // JavaScript: `cond ? a : b`. Python: `a if cond else b`.
    const python = parent.getChild('if') !== null;
    const cond = python ? parent.getChild('if')?.nextSibling : parent.firstChild;
    if (!cond || (cond.from === child.from && cond.to === child.to)) break;
    const colon = python ? undefined : parent.getChildren('LogicOp').find((op) => src.slice(op.from, op.to) === ':');
    const then = python ? child.to <= cond.from : child.to <= (colon?.from ?? parent.to);
    const value = conditionValue(src, tree, cond, parent.from, scope);
    if (value !== undefined && value !== then) return 'never';
    if (value === undefined) choice = 'runtime';
    else choice ??= 'always';
    child = parent;
  }
  return choice;
}
