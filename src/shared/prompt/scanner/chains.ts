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

/** The literals of a concatenation made only of literals (`"a" "b"`, `'a' + 'b'`), or undefined. */
export function literalOperands(node: SyntaxNode, src: string): SyntaxNode[] | undefined {
  if (STRING_NODES.has(node.name)) return [node];
  if (node.name === 'ContinuedString') return node.getChildren('String').concat(node.getChildren('FormatString')).sort((a, b) => a.from - b.from);
  if (node.name === 'ParenthesizedExpression') {
    const inner = after(node.firstChild);
    return inner && after(inner)?.name === ')' ? literalOperands(inner, src) : undefined;
  }
  if (node.name === 'BinaryExpression') {
    const op = after(node.firstChild);
    if (!op || op.name !== 'ArithOp' || textOf(src, op) !== '+') return undefined;
    const left = literalOperands(node.firstChild as SyntaxNode, src);
    const right = after(op) ? literalOperands(after(op) as SyntaxNode, src) : undefined;
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
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
export function unitOf(node: SyntaxNode, src: string): SyntaxNode {
  let unit = node;
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ContinuedString' || (p.name === 'BinaryExpression' && literalOperands(p, src))) unit = p;
    else if (p.name === 'ParenthesizedExpression' && literalOperands(p, src)) continue;
    else break;
  }
  return unit;
}
