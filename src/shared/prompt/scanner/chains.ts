/**
 * Concatenations in code: literals joined with `+` or written side by side (`"a" "b"`), which
 * are one literal, and `+` chains that mix literals with other expressions (`prompt + "…" + x`),
 * which are one composed prompt whose other operands are runtime values.
 */
import type { SyntaxNode } from '@lezer/common';
import { lastName, STRING_NODES, textOf } from './codeSyntax';

/**
 * The next sibling that is not a comment: Lezer keeps comments in the tree, so in `"a" + // why\n "b"` the operator's
 * next sibling was the comment, the chain read as mixed, and the scanner reported its last literal twice (break34).
 */
function after(node: SyntaxNode | null | undefined): SyntaxNode | null {
  let next = node?.nextSibling ?? null;
  while (next && (next.name === 'LineComment' || next.name === 'BlockComment' || next.name === 'Comment')) next = next.nextSibling;
  return next;
}

/**
 * Tree nodes looked at by `literalOperands` and `unitOf`, for tests (as `branchWork` in hints/branches.ts): a long `+`
 * chain of literals was read again from each literal, and its whole left side again at each level (break39).
 */
export const chainWork = { steps: 0 };

/** The literals of a concatenation made only of literals (`"a" "b"`, `'a' + 'b'`), or undefined. */
export function literalOperands(node: SyntaxNode, src: string): SyntaxNode[] | undefined {
  const out: SyntaxNode[] = [];
  return collectLiterals(node, src, out) ? out : undefined;
}

/** Operands that can be a concatenation of literals; any other (a name, a call) ends a chain's check at once. */
const LITERAL_SHAPES = new Set(['ContinuedString', 'ParenthesizedExpression', 'BinaryExpression']);

/** `literalOperands` into one list (a list per level, copied into the next, made a chain of n literals n²/2 copies). */
function collectLiterals(node: SyntaxNode, src: string, out: SyntaxNode[]): boolean {
  chainWork.steps++;
  if (STRING_NODES.has(node.name)) {
    out.push(node);
    return true;
  }
  if (node.name === 'ContinuedString') {
    out.push(...node.getChildren('String').concat(node.getChildren('FormatString')).sort((a, b) => a.from - b.from));
    return true;
  }
  if (node.name === 'ParenthesizedExpression') {
    const inner = after(node.firstChild);
    return !!inner && after(inner)?.name === ')' && collectLiterals(inner, src, out);
  }
  if (node.name === 'BinaryExpression') {
    const op = after(node.firstChild);
    if (!op || op.name !== 'ArithOp' || textOf(src, op) !== '+') return false;
    const right = after(op);
    // (The right operand's shape first: in a left-nested chain `… + x` ends the check without reading the left side.)
    if (!right || !(STRING_NODES.has(right.name) || LITERAL_SHAPES.has(right.name))) return false;
    return collectLiterals(node.firstChild as SyntaxNode, src, out) && collectLiterals(right, src, out);
  }
  return false;
}

/**
 * Whether `parent`, one of whose children (`from`) is a concatenation of literals, is one too: as `literalOperands(parent)`
 * says, but only the other operand is read. (`literalOperands(parent)` read `from` again, all of it, at every level.)
 */
function extendsLiterals(parent: SyntaxNode, from: SyntaxNode, src: string): boolean {
  chainWork.steps++;
  if (parent.name === 'ContinuedString') return true;
  if (parent.name === 'ParenthesizedExpression') {
    const inner = after(parent.firstChild);
    if (inner && inner.from === from.from && inner.to === from.to) return after(inner)?.name === ')';
    return literalOperands(parent, src) !== undefined;
  }
  if (parent.name === 'BinaryExpression') {
    const left = parent.firstChild;
    const op = after(left);
    if (!left || !op || op.name !== 'ArithOp' || textOf(src, op) !== '+') return false;
    const right = after(op);
    if (left.from === from.from && left.to === from.to) return !!right && literalOperands(right, src) !== undefined;
    if (right && right.from === from.from && right.to === from.to) return literalOperands(left, src) !== undefined;
    return literalOperands(parent, src) !== undefined;
  }
  return false;
}

function isPlus(src: string, node: SyntaxNode): boolean {
  // (The name first: every literal's parent is asked, and navigating to the operator makes two node objects.)
  if (node.name !== 'BinaryExpression') return false;
  const op = after(node.firstChild);
  return !!op && op.name === 'ArithOp' && textOf(src, op) === '+';
}

/** The outermost `+` chain mixing literals with other expressions that `unit` is an operand of, or undefined. */
export function mixedChain(unit: SyntaxNode, src: string): SyntaxNode | undefined {
  let top: SyntaxNode | undefined;
  for (let p = unit.parent; p; p = p.parent) {
    if (isPlus(src, p)) top = p;
    else if (p.name === 'ParenthesizedExpression' && p.parent && isPlus(src, p.parent)) continue;
    else break;
  }
  return top && !literalOperands(top, src) ? top : undefined;
}

/** The literal operands (or all-literal sub-concatenations) of a `+` chain, in source order. */
export function chainLiterals(node: SyntaxNode, src: string): SyntaxNode[] {
  if (literalOperands(node, src)) return [node];
  if (node.name === 'ParenthesizedExpression') {
    const inner = after(node.firstChild);
    return inner && after(inner)?.name === ')' ? chainLiterals(inner, src) : [];
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = after(after(left));
    return [...chainLiterals(left, src), ...(right ? chainLiterals(right, src) : [])];
  }
  return [];
}

/** The operands of a `+` chain that are not literals (variables, calls, any expression), in source order. */
export function chainValues(node: SyntaxNode, src: string): SyntaxNode[] {
  if (literalOperands(node, src)) return [];
  if (node.name === 'ParenthesizedExpression') {
    const inner = after(node.firstChild);
    if (inner && after(inner)?.name === ')') return chainValues(inner, src);
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = after(after(left));
    return [...chainValues(left, src), ...(right ? chainValues(right, src) : [])];
  }
  return [node];
}

/** The names of the variables (not calls, not literals) that a `+` chain concatenates. */
export function chainNames(node: SyntaxNode, src: string): string[] {
  if (literalOperands(node, src)) return [];
  if (node.name === 'VariableName') return [textOf(src, node)];
  if (node.name === 'MemberExpression') {
    const t = textOf(src, node);
    return /^[\w$.]+$/.test(t) ? [lastName(t)] : [];
  }
  if (node.name === 'ParenthesizedExpression') {
    const inner = after(node.firstChild);
    return inner && after(inner)?.name === ')' ? chainNames(inner, src) : [];
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = after(after(left));
    return [...chainNames(left, src), ...(right ? chainNames(right, src) : [])];
  }
  return [];
}

/** The variable a `+` chain starts with (`COMMON_PROMPT` in `COMMON_PROMPT + """…"""`), or undefined. */
export function chainHeadVariable(chain: SyntaxNode, src: string): string | undefined {
  let head: SyntaxNode | null = chain;
  while (head && (head.name === 'BinaryExpression' || head.name === 'ParenthesizedExpression')) head = head.name === 'BinaryExpression' ? head.firstChild : (after(head.firstChild) ?? null);
  return head && head.name === 'VariableName' ? src.slice(head.from, head.to) : undefined;
}

/** The outermost concatenation of literals that `node` belongs to. */
export function unitOf(node: SyntaxNode, src: string, memo?: Map<string, SyntaxNode>): SyntaxNode {
  let unit = node;
  // (`from`, the child the walk came up from, is a concatenation of literals: only the other operand is read.)
  let from = node;
  const passed: string[] = [];
  for (let p = node.parent; p; from = p, p = p.parent) {
    chainWork.steps++;
    const name = p.name;
    // (Only concatenations and parentheses are remembered, so no other parent is looked up: its key is not even built.)
    if (name !== 'ContinuedString' && name !== 'BinaryExpression' && name !== 'ParenthesizedExpression') break;
    const key = `${name}:${p.from}:${p.to}`;
    // Another literal of the same chain went up this way already: the rest of the way is the same.
    const known = memo?.get(key);
    if (known) {
      unit = known;
      break;
    }
    if ((name === 'ContinuedString' || name === 'BinaryExpression') && extendsLiterals(p, from, src)) unit = p;
    else if (name === 'ParenthesizedExpression' && extendsLiterals(p, from, src)) {
      // (A parenthesized concatenation is not a unit itself: the literal inside is where the text is.)
    } else break;
    passed.push(key);
  }
  if (memo) for (const key of passed) memo.set(key, unit);
  return unit;
}
