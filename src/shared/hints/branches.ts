/**
 * An interpolation that chooses between literals: `${cond ? `…instructions…` : ''}` in a template literal,
 * `{"…" if cond else ""}` in an f-string (node-DeepResearch's answer requirements, Perplexica's quality-mode line,
 * gptme's thinking-tags line). Its text is the prompt's own, sent when its branch is taken; only the condition (and the
 * branches' own interpolations) are known at run time. composed.ts counts the shorter branch, so that "≥ N tokens" stays
 * a lower bound, and the text with the longer branch of each such choice, so that the hover can say both.
 *
 * Read from the interpolation's source text alone (no parser): a branch is one string literal, optionally in
 * parentheses and followed by `.trim()`/`.strip()` (or their one-sided forms), or another such choice
 * (`a ? "x" : b ? "y" : ""`), or any other expression (a call, a name, a concatenation), which is a value the branch sends
 * (`${isRag ? ctx : "none"}`). At least one branch must be a literal with text: otherwise the whole interpolation stays
 * one runtime value. The conditions insert no text: they are kept for the reader, never named as runtime values.
 */
import { decodeJavaScript, decodePython } from '../prompt/scanner/literals';

export interface LiteralChoice {
  /** The conditions, as written, outermost first. */
  conditions: string[];
  /** Each branch's fixed text (its own interpolations left out) and those interpolations, as written. */
  branches: Array<{ text: string; values: string[] }>;
}

/** Characters the bracket scans read (a test checks that they stay linear in the expression's length: break38). */
export const branchWork = { steps: 0 };

const OPEN = '([{';
const CLOSE = ')]}';

/** The end (exclusive) of the string literal that starts at `at`, or -1. JavaScript quotes and templates (with nested `${…}`), or Python's (with a prefix, triple quotes). */
function literalEnd(s: string, at: number, python: boolean): number {
  let i = at;
  if (python) while (i < s.length && /[rRbBuUfF]/.test(s[i]) && i - at < 2) i++;
  const q = s[i];
  if (q !== '"' && q !== "'" && (python || q !== '`')) return -1;
  if (python && i > at && !/^[rRuUfF]{1,2}$/.test(s.slice(at, i))) return -1;
  const triple = python && s.startsWith(q.repeat(3), i);
  const close = triple ? q.repeat(3) : q;
  for (let j = i + close.length; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (q === '`' && c === '$' && s[j + 1] === '{') {
      const end = expressionEnd(s, j + 2, python, '}');
      if (end < 0) return -1;
      j = end;
      continue;
    }
    if (s.startsWith(close, j)) return j + close.length;
  }
  return -1;
}

/** From `at`, the index of the first `stop` character at depth 0 outside literals (the end of the text when `stop` is ''), or -1 when brackets do not balance. */
function expressionEnd(s: string, at: number, python: boolean, stop: string): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    branchWork.steps++;
    const c = s[i];
    if (depth === 0 && stop !== '' && c === stop) return i;
    if (c === '"' || c === "'" || c === '`') {
      const end = literalEnd(s, i, python);
      if (end < 0) return -1;
      i = end - 1;
    } else if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) {
      if (depth === 0) return -1;
      depth--;
    }
  }
  return stop === '' && depth === 0 ? s.length : -1;
}

/** Each `(` of `s` (outside literals) to its `)`, in one scan; empty when a literal does not end. */
function closingParens(s: string, python: boolean): Map<number, number> {
  const close = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    branchWork.steps++;
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = literalEnd(s, i, python);
      if (end < 0) return new Map();
      i = end - 1;
    } else if (OPEN.includes(c)) open.push(c === '(' ? i : -1);
    else if (CLOSE.includes(c)) {
      const at = open.pop();
      if (at === undefined) return close;
      if (at >= 0 && c === ')') close.set(at, i);
    }
  }
  return close;
}

/** The top-level positions of `?` and its `:` in `cond ? a : b` (not `?.`, `??`), or undefined. */
function ternaryJs(s: string): [number, number] | undefined {
  let depth = 0;
  let question = -1;
  let nested = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'" || c === '`') {
      const end = literalEnd(s, i, false);
      if (end < 0) return undefined;
      i = end - 1;
    } else if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (depth === 0 && c === '?') {
      if (s[i + 1] === '?' || (s[i + 1] === '.' && !/\d/.test(s[i + 2] ?? ''))) {
        i++;
        continue;
      }
      if (question < 0) question = i;
      else nested++;
    } else if (depth === 0 && c === ':' && question >= 0) {
      if (nested === 0) return [question, i];
      nested--;
    }
  }
  return undefined;
}

/** The top-level `if` and `else` of Python's `a if cond else b`, or undefined. */
function ternaryPython(s: string): [number, number] | undefined {
  let depth = 0;
  let ifAt = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if ((c === '"' || c === "'" || /[rRbBuUfF]/.test(c)) && (i === 0 || !/[\w]/.test(s[i - 1]))) {
      const end = literalEnd(s, i, true);
      if (end > 0) {
        i = end - 1;
        continue;
      }
    }
    if (OPEN.includes(c)) depth++;
    else if (CLOSE.includes(c)) depth--;
    else if (depth === 0 && /\s/.test(c)) {
      if (ifAt < 0 && /^\sif\s/.test(s.slice(i, i + 4))) ifAt = i + 1;
      else if (ifAt >= 0 && /^\selse\s/.test(s.slice(i, i + 6))) return [ifAt, i + 1];
    }
  }
  return undefined;
}

/** One branch: a literal (in parentheses, with a trailing strip) or a nested choice. */
function branchOf(raw: string, python: boolean, into: LiteralChoice, depth: number): boolean {
  // (The parentheses matched in one scan: peeling them one scan each read `((((…"x"…))))` once per pair, 18 KB in 2 s.)
  const unwrap = (t: string): string => {
    if (!t.startsWith('(')) return t;
    const close = closingParens(t, python);
    let lo = 0;
    let hi = t.length - 1;
    while (t[lo] === '(' && close.get(lo) === hi) {
      lo++;
      hi--;
      while (lo <= hi && /\s/.test(t[lo])) lo++;
      while (hi >= lo && /\s/.test(t[hi])) hi--;
    }
    return t.slice(lo, hi + 1);
  };
  let s = unwrap(raw.trim());
  const strip = /\.(trim|trimStart|trimEnd|strip|lstrip|rstrip)\(\)$/.exec(s);
  if (strip) s = unwrap(s.slice(0, strip.index).trim());
  const end = literalEnd(s, 0, python);
  if (end !== s.length) {
    const kept = [into.conditions.length, into.branches.length];
    if (!strip && depth < 4 && choiceInto(s, python, into, depth + 1)) return true;
    into.conditions.length = kept[0];
    into.branches.length = kept[1];
    // Any other expression is a value the branch sends, known at run time (`${isRag ? ctx : "none"}` sends `ctx` or "none").
    into.branches.push({ text: '', values: [raw.trim()] });
    return true;
  }
  const fields: Array<[number, number]> = [];
  const formatted = python ? /^[rRuU]?[fF]|^[fF][rR]/.test(s) : s.startsWith('`');
  if (formatted) {
    for (let i = 0; i < end; i++) {
      if (s[i] === '\\' && !python) i++;
      else if (python && s[i] === '{' && s[i + 1] === '{') i++;
      else if ((python && s[i] === '{') || (!python && s[i] === '$' && s[i + 1] === '{')) {
        const close = expressionEnd(s, i + (python ? 1 : 2), python, '}');
        if (close < 0) return false;
        fields.push([i, close + 1]);
        i = close;
      }
    }
  }
  const decoded = python ? decodePython(s, 0, end, fields) : decodeJavaScript(s, 0, end, fields);
  if (!decoded) return false;
  let text = '';
  let at = 0;
  const values: string[] = [];
  for (const p of decoded.interpolated) {
    text += decoded.text.slice(at, p.start);
    values.push(p.name);
    at = p.end;
  }
  text += decoded.text.slice(at);
  if (python && decoded.interpolated.length === 0 && formatted) text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  // Stripped with its values in: for a lower bound, as if they were empty.
  if (strip) text = /^(trim|strip)$/.test(strip[1]) ? text.trim() : /^(trimStart|lstrip)$/.test(strip[1]) ? text.trimStart() : text.trimEnd();
  into.branches.push({ text, values });
  return true;
}

function choiceInto(expr: string, python: boolean, into: LiteralChoice, depth: number): boolean {
  const at = python ? ternaryPython(expr) : ternaryJs(expr);
  if (!at) return false;
  const [a, b] = at;
  if (python) {
    into.conditions.push(expr.slice(a + 2, b).trim());
    return branchOf(expr.slice(0, a), true, into, depth) && branchOf(expr.slice(b + 4), true, into, depth);
  }
  into.conditions.push(expr.slice(0, a).trim());
  return branchOf(expr.slice(a + 1, b), false, into, depth) && branchOf(expr.slice(b + 1), false, into, depth);
}

/** The choice an interpolation's expression makes between literals, or undefined when it is no such choice. */
export function literalChoice(expr: string, python: boolean): LiteralChoice | undefined {
  // (Cheap refusals first: this runs for every interpolation of every prompt counted.)
  if (expr.length > 20_000 || !(python ? /\sif\s[\s\S]*\selse\s/.test(expr) : expr.includes('?') && expr.includes(':'))) return undefined;
  const into: LiteralChoice = { conditions: [], branches: [] };
  return choiceInto(expr, python, into, 0) && into.branches.some((b) => b.text.trim() !== '') ? into : undefined;
}
