/**
 * A string grown with `+=` in one function and then used once, read as one composed prompt (a list grown and joined
 * with ""): joined.ts `joinedListOf` asks here first. Moved out of joined.ts (comp32), with the shapes it reads.
 */
import type { SyntaxNode } from '@lezer/common';
import { FUNCTION_NODES, nextPastType, prevPastType, same, STRING_NODES as STRING_LIKE } from './codeSyntax';

export interface JoinedElement {
  node: SyntaxNode;
  /** A `*xs` / `...xs` element: a list of any length, perhaps empty (no separator is certain around it). */
  spread: boolean;
  /**
   * Elements with the same number are alternatives, one of which is sent: the first value assigned in the branches of
   * one `if`/`else` (`if q: msg = f"…{q}"` / `else: msg = "…"`) before the string is grown.
   */
  choice?: number;
}

export interface JoinedList {
  /** The list literal. */
  list: SyntaxNode;
  /** The join call (`"\n".join([…])`, `[…].join("\n")`, `sep.join(name)`, `name.join(sep)`): where the joined string goes. */
  call: SyntaxNode;
  /** The separator, decoded. */
  separator: string;
  /** The list's elements in order. */
  elements: JoinedElement[];
  /** The name the list is bound to, when it is joined by that name. */
  name?: string;
  /** The function that returns the list for its callers to add to theirs (`returnedPromptList`), instead of joining it. */
  returnedBy?: string;
}

/** The innermost function around a node. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_NODES.has(p.name)) return p;
  return undefined;
}

/** Whether `node` is inside a loop of `fn` (added any number of times) or a branch (added once or not at all). */
export function placeIn(node: SyntaxNode, fn: SyntaxNode): 'loop' | 'branch' | undefined {
  let place: 'branch' | undefined;
  for (let p = node.parent; p && p !== fn && p.from >= fn.from; p = p.parent) {
    if (/^(For|While|Do)/.test(p.name)) return 'loop';
    if (/^(If|Try|Switch|Case|Conditional)/.test(p.name)) place = 'branch';
  }
  return place;
}

/** The name a string is grown by, when `value` is the right side of a statement `name += value`. */
function appendedTo(src: string, value: SyntaxNode): string | undefined {
  const statement = value.parent;
  const op = value.prevSibling;
  const target = op?.prevSibling;
  if (op?.name !== 'UpdateOp' || src.slice(op.from, op.to) !== '+=' || target?.name !== 'VariableName' || !same(target, statement?.firstChild)) return undefined;
  const placed = statement?.name === 'UpdateStatement' || (statement?.name === 'AssignmentExpression' && statement.parent?.name === 'ExpressionStatement');
  return placed && !value.nextSibling ? src.slice(target.from, target.to) : undefined;
}

/** The name `value` is first assigned to (`prompt = "…"`, `let prompt = "…"`; JavaScript's `prompt = "…";` unless `jsStatement` is false), or undefined. */
function initialOf(src: string, value: SyntaxNode, jsStatement = true): string | undefined {
  const op = value.prevSibling;
  const statement = value.parent?.name;
  // (`let prompt: string = "…"`: the name comes before the type.)
  const target = statement === 'VariableDeclaration' ? prevPastType(op) : op?.prevSibling;
  // (`prompt = "…"` as a statement of its own in JavaScript: an assignment expression whose parent is the statement.)
  const jsAssignment = jsStatement && statement === 'AssignmentExpression' && value.parent?.parent?.name === 'ExpressionStatement' && same(target ?? null, value.parent.firstChild);
  if (!target || (statement !== 'AssignStatement' && statement !== 'VariableDeclaration' && !jsAssignment) || !/^(AssignOp|Equals)$/.test(op?.name ?? '')) return undefined;
  if ((target.name !== 'VariableName' && target.name !== 'VariableDefinition') || /^(AssignOp|Equals)$/.test(target.prevSibling?.name ?? '')) return undefined;
  return value.nextSibling && value.nextSibling.name !== ';' ? undefined : src.slice(target.from, target.to);
}

/** Whether a literal (or an all-literal expression) has letters of its own, outside its interpolations and prefixes. */
function ownText(src: string, node: SyntaxNode): boolean {
  let text = '';
  let at = node.from;
  const cursor = node.cursor();
  do {
    if (cursor.name === 'FormatReplacement' || cursor.name === 'Interpolation') {
      text += src.slice(at, cursor.from);
      at = cursor.to;
    }
  } while (cursor.next() && cursor.from < node.to);
  text += src.slice(at, node.to);
  return /[A-Za-z]/.test(text.replace(/(^|[\s(+])[rRbBuUfF]{0,2}(?=["'`])/g, '$1'));
}

/**
 * Whether `b` is in another branch of an `if` than `a` (`if …: a` / `elif …: b` / `else: b`, `if (…) a; else if (…) b;
 * else b;`): the innermost statement around both is an `if`, and they are in different parts of it.
 */
function otherBranch(a: SyntaxNode, b: SyntaxNode, fn: SyntaxNode): boolean {
  for (let p = b.parent; p && p.from >= fn.from && p !== fn; p = p.parent) {
    if (p.from > a.from || p.to < a.to) continue;
    if (p.name !== 'IfStatement') return false;
    const partOf = (n: SyntaxNode): SyntaxNode | null => {
      let c: SyntaxNode | null = n;
      while (c?.parent && !same(c.parent, p)) c = c.parent;
      return c;
    };
    const pa = partOf(a);
    const pb = partOf(b);
    return !!pa && !!pb && !same(pa, pb);
  }
  return false;
}

/** Whether `node` is `a + b`. */
function isPlus(src: string, node: SyntaxNode): boolean {
  const op = node.firstChild?.nextSibling;
  return node.name === 'BinaryExpression' && op?.name === 'ArithOp' && src.slice(op.from, op.to) === '+';
}

/** The whole `a + "…" + b` a literal is an operand of (`plan_prompt = statements + "\n"`), or the node itself. */
export function plusChainTop(src: string, node: SyntaxNode): SyntaxNode {
  let top = node;
  while (top.parent && isPlus(src, top.parent)) top = top.parent;
  return top;
}

/** The operands of a `+` chain, in order (the node itself when it is none). */
function plusOperands(src: string, node: SyntaxNode): SyntaxNode[] {
  if (!isPlus(src, node) || !node.firstChild || !node.lastChild) return [node];
  return [...plusOperands(src, node.firstChild), ...plusOperands(src, node.lastChild)];
}

/** Calls whose argument goes to a log or the console, not to a model: a use there is no use of the prompt. */
const LOGGING_CALL = /^(?:(?:self|this)\.)?(?:_?logger|_?log|logging|console)\.\w+$|^print$/;

/** Whether `node` is (inside) an argument of a logging call (`logger.debug(f"PROMPT: {prompt}")`) within its statement. */
function loggedOnly(src: string, node: SyntaxNode, fn: SyntaxNode): boolean {
  for (let p = node.parent; p && p !== fn && !/Statement$|^Block$|^Body$/.test(p.name); p = p.parent) {
    const callee = p.name === 'CallExpression' ? p.firstChild : null;
    if (callee && LOGGING_CALL.test(src.slice(callee.from, callee.to).replace(/\s+/g, ''))) return true;
  }
  return false;
}

/**
 * A string grown with `+=` in one function and then used once (held-out round 6: chatbot-ui's `buildBasePrompt` sets
 * `let fullPrompt = ""`, adds `` `Today is ${…}.\n\n` `` and, under `if`s, `` `User Info:\n${profileContext}\n\n` ``…,
 * and returns `fullPrompt`, which becomes the system message): one composed prompt, read as a list grown and joined
 * with "". Every use of the name in the function must be its one assignment (first), a statement `name += value`,
 * or the one use after them (last): where the string goes, the join's place. A use in a logging call
 * (`logger.debug(f"PROMPT: {prompt}")`, `print`, `console.*`) sends nothing to a model and is no use.
 *
 * The first value may be a literal or not (comp32: MetaGPT's stanford_town `plan_prompt = statements + "\n"`, Continue's
 * CLI `let systemMessage = baseSystemMessage`); a `+` chain, first or appended, is split into its operands, each a
 * piece (a literal) or a runtime value (the rest), so the count is "≥ N + runtime values". An empty first value
 * replaced in a branch before any append (`prompt = ""` then `if …: prompt = f"You are …"`, MetaGPT's talk_action) is
 * an optional piece. What a loop adds is a spread, a runtime value added is one too, and a literal added in a branch
 * is a piece: optional pieces are counted in the sum (the count is of the prompt with every branch taken). The empty
 * string first assigned is no piece; with fewer than two literal pieces that have text of their own (not only
 * interpolations: langroid's Llama 2 formatter grows `f"{bos}{B_INST} {B_SYS}{system_prompt}{E_SYS}"`) the statements
 * are read one by one.
 */
export function grownStringOf(src: string, unit: SyntaxNode): JoinedList | undefined {
  const name = appendedTo(src, unit) ?? initialOf(src, unit);
  const fn = name ? enclosingFunction(unit) : undefined;
  if (!name || !fn || !/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  // (A literal assigned is one piece, and so are the branches' literals before any append: a second piece needs a `+=`
  // in the function. Without one, nothing is composed, and the walk over the name's uses is not made: perf42. A `+`
  // chain assigned first may hold two literals of its own, so the shortcut is for a literal only.)
  const plusEquals = src.indexOf('+=', fn.from);
  if ((plusEquals < 0 || plusEquals >= fn.to) && (STRING_LIKE.has(unit.name) || unit.name === 'ContinuedString')) return undefined;
  const elements: JoinedElement[] = [];
  let assigned: SyntaxNode | undefined;
  let sink: SyntaxNode | undefined;
  let literals = 0;
  let appends = 0;
  let choice: number | undefined;
  let appendedAfterSink = false;
  let sinkAssigns = false;
  // (A literal, `("…" f"…")` or `"…" + "…"`: every operand a literal, as `literalOperands` in chains.ts reads it.)
  const isLiteral = (n: SyntaxNode | null | undefined): boolean => {
    if (!n) return false;
    if (n.name === 'ParenthesizedExpression') return n.firstChild?.nextSibling?.nextSibling?.name === ')' && isLiteral(n.firstChild.nextSibling);
    if (n.name === 'BinaryExpression') return src.slice(n.firstChild?.nextSibling?.from ?? 0, n.firstChild?.nextSibling?.to ?? 0) === '+' && isLiteral(n.firstChild) && isLiteral(n.lastChild);
    return STRING_LIKE.has(n.name) || n.name === 'ContinuedString';
  };
  const empty = (n: SyntaxNode): boolean => isLiteral(n) && n.to - n.from <= 2;
  // A value added: a literal as one piece, a mixed `+` chain operand by operand (outside loops, where it is a spread).
  const add = (value: SyntaxNode, place: 'loop' | 'branch' | undefined): void => {
    const literal = isLiteral(value);
    const parts = literal || place === 'loop' ? [value] : plusOperands(src, value.name === 'ParenthesizedExpression' && value.firstChild?.nextSibling ? value.firstChild.nextSibling : value);
    for (const part of parts) {
      const own = isLiteral(part);
      elements.push({ node: part, spread: place === 'loop' || (place === 'branch' && !own) });
      if (own && place !== 'loop' && ownText(src, part)) literals++;
    }
  };
  // The uses of the name in the function, in order: where its text occurs, the names the tree has there. (Found by the
  // text, not by a walk of every node of the function, which every literal assigned in a function took.)
  for (let at = src.indexOf(name, fn.from); at >= 0 && at < fn.to; at = src.indexOf(name, at + 1)) {
    const node = fn.resolve(at, 1);
    if ((node.name !== 'VariableName' && node.name !== 'VariableDefinition') || node.from !== at || node.to !== at + name.length) continue;
    // (The function's own name: `def prompt(self):` grows a local `prompt`.)
    if (node.parent && same(node.parent, fn)) continue;
    // (Used again after the one use, or in a function nested in this one, which may run any number of times: not read.)
    if (enclosingFunction(node)?.from !== fn.from) return undefined;
    if (loggedOnly(src, node, fn)) continue;
    // (`let prompt: string = "…"`: the `=` comes after the type.)
    const value = (node.parent?.name === 'VariableDeclaration' ? nextPastType(node) : node.nextSibling)?.nextSibling;
    // (A use after the one read as the sink: only a `+=` continues the prompt, which that use sent before it grew — an
    // early return in a branch, breaker43; anything else reads the name twice, and the statements are read one by one.)
    // (Nor after a sink that assigns the name anew: what came before it is no longer the prompt.)
    const assigns = value !== undefined && value !== null && initialOf(src, value) === name;
    if (sink && (sinkAssigns || (!(value && appendedTo(src, value) === name) && (!appendedAfterSink || assigns)))) return undefined;
    if (!assigned) {
      // (`let prompt: string;` declares the name without a value: the values come in the branches after it.)
      if (node.name === 'VariableDefinition' && node.parent?.name === 'VariableDeclaration' && !node.parent.getChild('Equals')) continue;
      if (!value || initialOf(src, value) !== name) return undefined;
      assigned = value;
      if (!empty(value)) add(value, undefined);
      continue;
    }
    // `prompt = ""` then `if …: prompt = f"…"` before anything is added: an optional first piece.
    // (Python only, as first read: nanobrowser's `let stepInfoDescription = ''` / `if (…) stepInfoDescription = `…``
    // / `+=` is a state line spliced into the user message, not a prompt of its own.)
    if (value && appends === 0 && empty(assigned) && elements.length === 0 && initialOf(src, value, false) === name && isLiteral(value) && placeIn(value, fn) === 'branch') {
      add(value, 'branch');
      continue;
    }
    // `if q: prompt = f"…{q}"` / `else: prompt = "…"` before anything is added (vanna's `generate_plotly_code`): the first
    // piece is one of these literals, whichever branch runs.
    if (value && appends === 0 && isLiteral(value) && isLiteral(assigned) && !empty(assigned) && initialOf(src, value) === name && (choice !== undefined || elements.length === 1) && otherBranch(assigned, value, fn)) {
      if (choice === undefined) elements[0].choice = choice = 0;
      elements.push({ node: value, spread: false, choice });
      continue;
    }
    if (value && appendedTo(src, value) === name) {
      appends++;
      if (sink) appendedAfterSink = true;
      add(value, placeIn(value, fn));
      continue;
    }
    sink = node;
    sinkAssigns = assigns;
    appendedAfterSink = false;
  }
  if (!assigned || !sink || literals < 2 || !elements.some((e) => e.node.from < unit.to && e.node.to > unit.from)) return undefined;
  // (Python's `"".join` and JavaScript's `.join("")` give the same string: no separator between the pieces.) Spliced
  // into another literal (`f"…{tools_instruction}…"`, langroid's SQLChatAgent), it is a fragment bound to its name: the
  // context is the first assignment's.
  let spliced = false;
  for (let p = sink.parent; p && p.from >= fn.from && !spliced; p = p.parent) spliced = p.name === 'FormatReplacement' || p.name === 'Interpolation';
  return { list: assigned, call: spliced ? assigned : sink, separator: '', elements, name };
}
