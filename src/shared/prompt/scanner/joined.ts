/**
 * Prompts written as a list of lines joined into one string: Python's `"\n".join(["…", f"…", x])`,
 * JavaScript's `` [`…`, "…"].join("\n") ``, and a list bound to a name in a function and joined
 * there (`const promptSections = [ … ]; … promptSections.join("\n")`, `"".join(parts)`). The
 * model gets one string, so the scanner reports one composed prompt whose pieces are the list's
 * literals, counted with the separators between them; the other elements are runtime values.
 *
 * Only what one function (or one statement) shows is read: a list at the top of a module may be
 * joined anywhere, and grown anywhere, so a list bound to a name is taken only inside a function,
 * joined once there and never added to (`append`, `push`, `extend`, `+=`, an index).
 *
 * Also here, being the same kind of composition: `prompt + "…" + summary` where `prompt` is a
 * local variable holding a literal (`localChainHead`; build.ts makes its literal a piece).
 */
import type { SyntaxNode } from '@lezer/common';
import type { Candidate } from './candidate';
import type { LiteralContext } from './literalContext';
import { literalText, type DecodedLiteral } from './literals';
import { enclosingFunctionName, FUNCTION_NODES, nextPastType, prevPastType, same, STRING_NODES as STRING_LIKE, type Lang } from './codeSyntax';
import { enclosingFunction, grownStringOf, type JoinedElement, type JoinedList, placeIn, plusChainTop } from './grownString';

export type { JoinedElement, JoinedList } from './grownString';

/** A plain string literal (no interpolation) and its decoded text, or undefined. */
function plainString(src: string, node: SyntaxNode | null | undefined, lang: Lang): string | undefined {
  if (!node) return undefined;
  if (node.name === 'String' || (node.name === 'TemplateString' && !node.getChild('Interpolation'))) return literalText(src, node.from, node.to, lang);
  return undefined;
}

/** The elements of a list literal, each a whole expression (`*xs` and `...xs` marked as spreads). */
function elementsOf(list: SyntaxNode): JoinedElement[] {
  const out: JoinedElement[] = [];
  let spread = false;
  for (let c = list.firstChild; c; c = c.nextSibling) {
    if (c.name === '[' || c.name === ']' || c.name === '(' || c.name === ')' || c.name === ',' || c.name === 'Comment' || c.name === 'LineComment' || c.name === 'BlockComment') continue;
    if (c.name === '*' || c.name === 'Spread') {
      spread = true;
      continue;
    }
    out.push({ node: c, spread });
    spread = false;
  }
  return out;
}

/** `sep.join(arg)` (Python): the separator literal of a call whose callee is `<string>.join`, and the call. */
function pythonJoin(src: string, args: SyntaxNode | null): { call: SyntaxNode; separator: string } | undefined {
  const call = args?.name === 'ArgList' ? args.parent : null;
  const callee = call?.firstChild;
  if (!call || call.name !== 'CallExpression' || callee?.name !== 'MemberExpression' || callee.lastChild?.name !== 'PropertyName' || src.slice(callee.lastChild.from, callee.lastChild.to) !== 'join') return undefined;
  const separator = plainString(src, callee.firstChild, 'python');
  // One argument only (the list): `sep.join(a, b)` is not str.join.
  const argCount = args ? args.getChildren(',').length : 0;
  return separator === undefined || argCount > 0 ? undefined : { call, separator };
}

/** `x.join(sep)` (JavaScript), where `member` is `x.join`: the call and its separator. */
function javascriptJoin(src: string, member: SyntaxNode | null): { call: SyntaxNode; separator: string } | undefined {
  if (!member || member.name !== 'MemberExpression' || member.lastChild?.name !== 'PropertyName' || src.slice(member.lastChild.from, member.lastChild.to) !== 'join') return undefined;
  const call = member.parent;
  if (!call || call.name !== 'CallExpression' || call.firstChild?.from !== member.from) return undefined;
  const args = call.getChild('ArgList');
  const inner = args?.firstChild?.nextSibling;
  // `[…].join()` joins with commas: not a way anyone writes a prompt, so only an explicit separator counts.
  if (!inner || inner.nextSibling?.name !== ')') return undefined;
  const separator = plainString(src, inner, 'javascript');
  return separator === undefined ? undefined : { call, separator };
}

/** The top node of the tree a node is in. */
function rootOf(node: SyntaxNode): SyntaxNode {
  let top = node;
  while (top.parent) top = top.parent;
  return top;
}

/** The name a list literal is assigned to (`parts = [ … ]`, `const parts = [ … ]`), or undefined. */
function boundName(src: string, list: SyntaxNode): string | undefined {
  const parent = list.parent;
  if (!parent) return undefined;
  const prev = list.prevSibling;
  if (parent.name === 'AssignStatement' && prev?.name === 'AssignOp' && prev.prevSibling?.name === 'VariableName' && same(prev.prevSibling, parent.firstChild)) return src.slice(prev.prevSibling.from, prev.prevSibling.to);
  const declared = prevPastType(prev);
  if (parent.name === 'VariableDeclaration' && prev?.name === 'Equals' && declared?.name === 'VariableDefinition') return src.slice(declared.from, declared.to);
  return undefined;
}

/**
 * The one place in `fn` after the list where a list bound to `name` is joined, or undefined when
 * it is joined in none or several, or added to or reassigned after it is written. A list at the top
 * of a module (`fn` the whole tree) is read over the whole file, above its statement too: a function
 * written above it may join it, add to it or clear it.
 */
function joinByName(src: string, fn: SyntaxNode, list: SyntaxNode, name: string, lang: Lang): { call: SyntaxNode; separator: string } | undefined {
  const module = fn.parent === null;
  const spans: Array<[number, number]> = module ? [[0, list.parent?.from ?? list.from], [list.to, src.length]] : [[list.to, fn.to]];
  const id = name.replace(/\$/g, '\\$');
  // (Changed after it is written: its length at the join is not what the literal shows. Cleared (`RULES.length = 0`,
  // `.clear()`, `del RULES[…]`) or bound to a second name (`const alias = RULES`), which may change it: the same.)
  const changed = new RegExp(
    `(?<![\\w$.])${id}\\s*(\\.\\s*(append|extend|insert|push|unshift|splice|concat|pop|shift|remove|clear|sort|reverse)\\b|\\.\\s*length\\s*=(?!=)|\\[|\\+=|=(?!=))|\\bdel\\s+${id}\\b|(?<![=!<>])=\\s*${id}\\s*(?:;|$)`,
    'm',
  );
  if (spans.some(([from, to]) => changed.test(src.slice(from, to)))) return undefined;
  const pattern = lang === 'python' ? new RegExp(`\\.join\\(\\s*${id}\\s*\\)`, 'g') : new RegExp(`(?<![\\w$.])${id}\\s*\\.join\\(`, 'g');
  const sites = spans.flatMap(([from, to]) => [...src.slice(from, to).matchAll(pattern)].map((m) => ({ m, at: from + (m.index ?? 0) })));
  if (sites.length !== 1) return undefined;
  // The name as written at the join: for Python the argument, for JavaScript the receiver.
  const at = sites[0].at + (lang === 'python' ? sites[0].m[0].indexOf(name, 6) : 0);
  const node = fn.resolveInner(at, 1);
  if (node.name !== 'VariableName' || src.slice(node.from, node.to) !== name) return undefined;
  return lang === 'python' ? pythonJoin(src, node.parent) : javascriptJoin(src, node.parent);
}

/** The name a list literal is bound to, at the end of the text before its `=` (`RULES`, `const RULES: string[]`). */
const BOUND_NAME = /([A-Za-z_$][\w$]*)[ \t]*(?::[^=\n]*)?$/;

/**
 * What a module-level list's reading (`joinByName`) looks at beyond the list's own statement, for incremental.ts:
 * every join, change and second binding of a name in the file (a statement above or below the list may add one).
 */
export function listFacts(src: string): string {
  // Only names bound to a list literal somewhere (`RULES = [`, `const RULES: string[] = [`) can be read as one: the file is
  // searched for their uses only (a search for every name's uses took ~1 ms of each keystroke's hints on a 3,000-line file).
  const names = new Set<string>();
  for (const m of src.matchAll(/=[ \t]*\[/g)) {
    const at = m.index ?? 0;
    if (at > 0 && /[=!<>+\-*/%&|^:]/.test(src[at - 1])) continue;
    // (The name and what follows it to the `=` hold no line break and no other `=`: searched from the last of those
    // before it, the expression finds the same match as in the whole 120 characters, without trying every place there.)
    let from = at;
    const limit = Math.max(0, at - 120);
    while (from > limit && src[from - 1] !== '\n' && src[from - 1] !== '=') from--;
    const name = BOUND_NAME.exec(src.slice(from, at))?.[1];
    if (name) names.add(name);
  }
  if (names.size === 0) return '';
  const id = `(${[...names].map((n) => n.replace(/\$/g, '\\$')).join('|')})`;
  const uses = new RegExp(
    String.raw`(?<![\w$.])${id}\s*(?:\.\s*(append|extend|insert|push|unshift|splice|concat|pop|shift|remove|clear|sort|reverse|join)\b|\.\s*(length)\s*=(?!=)|(\+=))|\.join\(\s*${id}\s*\)|\bdel\s+${id}|(?<![=!<>])=\s*${id}\s*(?:;|$)`,
    'gm',
  );
  const out: string[] = [...names].sort();
  for (const m of src.matchAll(uses)) out.push(m[1] ? `${m[1]}.${m[2] ?? m[3] ?? m[4]}` : m[5] ? `join(${m[5]})` : m[6] ? `del ${m[6]}` : `=${m[7]}`);
  return out.sort().join(',');
}

/**
 * The joined list that `unit` (a literal, or an all-literal concatenation) is an element of, or
 * undefined when it is in none (see the module comment for the shapes read).
 */
export function joinedListOf(src: string, unit: SyntaxNode, lang: Lang): JoinedList | undefined {
  // (An element may be parenthesized: `("…" "…")` spread over lines.)
  let element = unit;
  while (element.parent?.name === 'ParenthesizedExpression') element = element.parent;
  // (Or an operand of a `+` chain that is first assigned or appended: `plan_prompt = statements + "\n"`.)
  const chainTop = plusChainTop(src, element);
  const grown = grownStringOf(src, element) ?? (chainTop !== element ? grownStringOf(src, chainTop) : undefined);
  if (grown) return grown;
  if (element.parent?.name === 'TaggedTemplateExpression' && untagged(src, element.parent) === element) element = element.parent;
  const list = element.parent;
  if (list?.name === 'ArgList') return grownListOf(src, growthName(src, list), list, lang);
  if (!list || list.name !== 'ArrayExpression') return undefined;
  const section = promptSectionList(src, list, lang) ?? agentInstructionList(src, list, lang);
  if (section) return section;
  const inline = lang === 'python' ? pythonJoin(src, list.parent) : javascriptJoin(src, list.parent?.firstChild?.from === list.from ? list.parent : null);
  if (inline) return { list, ...inline, elements: elementsOf(list) };
  if (list.parent?.name === 'ArgList') return grownListOf(src, growthName(src, list.parent), list, lang);
  const name = boundName(src, list);
  if (!name) return undefined;
  const fn = enclosingFunction(list);
  // A list at the top of a module (continue's `const RULES = [ … ]`, joined as `${RULES.join("\n- ")}` in a function) is
  // read over the whole file: joined at one place, and never added to or reassigned anywhere.
  const byName = joinByName(src, fn ?? rootOf(list), list, name, lang);
  if (!fn) return byName ? { list, ...byName, elements: elementsOf(list), name } : undefined;
  return byName ? { list, ...byName, elements: elementsOf(list), name } : grownListOf(src, name, list, lang);
}

/** The keyword arguments of atomic-agents' `SystemPromptGenerator` that hold a section of the system prompt, one line per item. */
const SECTION_KEYWORDS = /^(background|steps|output_instructions)$/;
/**
 * An agent or team constructor (`Agent(…)`, `Team(…)`, `ResearchAgent(…)`) whose `instructions=[…]` list is written into
 * its system message one item a line (held-out round 9: agno's `_messages.py` adds each item as a `- …` row).
 */
const AGENT_CONSTRUCTOR = /(^|\.)(\w*Agent|Team)$/;

/**
 * A list given as a section of a system prompt that a prompt builder writes one item a line (held-out round 8:
 * atomic-agents' `SystemPromptGenerator(background=[…], steps=[…], output_instructions=[…])` puts each list under a
 * heading, its items as `- …` rows): one composed prompt per section, as if joined with "\n- ".
 */
function promptSectionList(src: string, list: SyntaxNode, lang: Lang): JoinedList | undefined {
  const args = list.parent;
  const keyword = list.prevSibling?.name === 'AssignOp' ? list.prevSibling.prevSibling : null;
  if (lang !== 'python' || args?.name !== 'ArgList' || keyword?.name !== 'VariableName' || !SECTION_KEYWORDS.test(src.slice(keyword.from, keyword.to))) return undefined;
  const callee = args.parent?.firstChild;
  if (!callee || !/(^|\.)SystemPromptGenerator$/.test(src.slice(callee.from, callee.to))) return undefined;
  return { list, call: list, separator: '\n- ', elements: elementsOf(list) };
}

/**
 * The list given as an agent's `instructions=[…]` (agno's `Agent(instructions=["Search the web…", "Focus on…"])` and its
 * `Team(…)`, held-out round 9): the framework writes it into the system message one item a line, so the list is one
 * composed system prompt, as if joined with "\n- ". Only a list of two literals or more with nothing else in it.
 */
function agentInstructionList(src: string, list: SyntaxNode, lang: Lang): JoinedList | undefined {
  if (lang === 'javascript') return agentObjectList(src, list);
  const args = list.parent;
  const keyword = list.prevSibling?.name === 'AssignOp' ? list.prevSibling.prevSibling : null;
  if (lang !== 'python' || args?.name !== 'ArgList' || keyword?.name !== 'VariableName' || src.slice(keyword.from, keyword.to) !== 'instructions') return undefined;
  const callee = args.parent?.firstChild;
  if (!callee || !AGENT_CONSTRUCTOR.test(src.slice(callee.from, callee.to))) return undefined;
  const elements = elementsOf(list);
  if (elements.length < 2 || !elements.every((e) => !e.spread && /^(String|FormatString|ContinuedString)$/.test(e.node.name))) return undefined;
  return { list, call: list, separator: '\n- ', elements };
}

/** Keys of an agent's definition whose list a framework writes into the agent's system prompt one item a line. */
const AGENT_LIST_KEY = /^(instructions|guidelines|custom_?[Gg]uidelines)$/;

/**
 * The same in JavaScript: a list of two literals or more under `instructions` (beeai's `new RequirementAgent({ instructions:
 * ["Plan activities…", "Input to Wikipedia…"] })`) or `customGuidelines`/`guidelines` (VoltAgent's `new Agent({
 * supervisorConfig: { customGuidelines: ["Always start with website analysis…", …] } })`, which its supervisor writes under
 * `<guidelines>` as `- …` rows; held-out round 10) in the object an agent constructor is given, directly or one object down.
 */
function agentObjectList(src: string, list: SyntaxNode): JoinedList | undefined {
  const property = list.parent;
  if (property?.name !== 'Property' || !AGENT_LIST_KEY.test(src.slice(property.firstChild?.from ?? 0, property.firstChild?.to ?? 0))) return undefined;
  let object = property.parent;
  if (object?.name === 'ObjectExpression' && object.parent?.name === 'Property' && object.parent.parent?.name === 'ObjectExpression') object = object.parent.parent;
  const args = object?.name === 'ObjectExpression' ? object.parent : null;
  const call = args?.name === 'ArgList' ? args.parent : null;
  if (!call || (call.name !== 'CallExpression' && call.name !== 'NewExpression')) return undefined;
  const callee = call.name === 'NewExpression' ? call.firstChild?.nextSibling : call.firstChild;
  if (!callee || callee.name === 'ArgList' || !AGENT_CONSTRUCTOR.test(src.slice(callee.from, callee.to))) return undefined;
  const elements = elementsOf(list);
  if (elements.length < 2 || !elements.every((e) => !e.spread && (e.node.name === 'String' || (e.node.name === 'TemplateString' && !e.node.getChild('Interpolation'))))) return undefined;
  return { list, call: list, separator: '\n- ', elements };
}

/**
 * `prompt + "…" + summary` where `prompt` is a variable of the same function assigned once, before,
 * and used nowhere else: the literal it holds is the head of the composed prompt (build.ts makes it
 * a piece). Returns the name, or undefined. `chain` is the outermost `+` expression.
 */
export function localChainHead(src: string, chain: SyntaxNode): string | undefined {
  let head: SyntaxNode | null = chain;
  while (head && (head.name === 'BinaryExpression' || head.name === 'ParenthesizedExpression')) head = head.name === 'BinaryExpression' ? head.firstChild : head.firstChild?.nextSibling ?? null;
  if (!head || head.name !== 'VariableName') return undefined;
  const fn = enclosingFunction(chain);
  if (!fn) return undefined;
  const name = src.slice(head.from, head.to);
  const id = name.replace(/\$/g, '\\$');
  const uses = [...src.slice(fn.from, fn.to).matchAll(new RegExp(`(?<![\\w$.])${id}(?![\\w$])`, 'g'))].map((m) => fn.from + (m.index ?? 0));
  // Two uses: the assignment (before the chain) and the chain's head.
  if (uses.length !== 2 || uses[1] !== head.from) return undefined;
  return /^\s*=(?!=)/.test(src.slice(uses[0] + name.length, uses[0] + name.length + 20)) ? name : undefined;
}

/** What `joinedCandidate` borrows from code.ts (which owns decoding) and context.ts. */
export interface JoinedTools {
  /** The literals of an all-literal expression (`"a"`, `"a" "b"`, `("a" + "b")`), or undefined. */
  literals: (node: SyntaxNode) => SyntaxNode[] | undefined;
  decode: (node: SyntaxNode) => DecodedLiteral | undefined;
  context: (node: SyntaxNode) => LiteralContext;
  scope: (node: SyntaxNode) => { from: number; to: number } | undefined;
  /** Starts of the literals already handled in this scan: each literal element's is added. */
  seen: Set<number>;
}

/**
 * The candidate of a joined list: its literal elements are the pieces, in order; the other
 * elements are runtime values, named as written; the context is that of the join call (where
 * the string goes), named after the list when the call is bound to nothing.
 */
export function joinedCandidate(src: string, joined: JoinedList, tools: JoinedTools): Candidate | undefined {
  const pieces: DecodedLiteral[][] = [];
  const elements: NonNullable<Candidate['joined']>['elements'] = [];
  for (const { node, spread, choice } of joined.elements) {
    const template = untagged(src, node);
    const literal = tools.literals(literalBranch(template));
    const parts = spread ? undefined : literal;
    if (!parts) {
      // (A literal a loop adds is a runtime value of this prompt, not a prompt of its own.)
      if (literal) tools.seen.add(literal[0].from);
      const t = src.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
      elements.push({ value: t.length > 60 ? `${t.slice(0, 57)}…` : t, ...(spread ? { spread: true as const } : {}) });
      continue;
    }
    // (Where the scan meets the element: its first literal, inside any parentheses.)
    tools.seen.add(parts[0].from);
    const decoded = parts.map(tools.decode);
    if (decoded.some((d) => d === undefined)) return undefined;
    const tag = template !== node ? src.slice(node.from, template.from).trim() : '';
    elements.push({ piece: pieces.length, ...(tag === 'dedent' || tag === 'stripIndent' || tag === 'stripIndents' ? { dedent: tag } : {}), ...(choice !== undefined ? { choice } : {}) });
    pieces.push(decoded as DecodedLiteral[]);
  }
  if (pieces.length === 0) return undefined;
  const length = (p: DecodedLiteral[]): number => p.reduce((n, d) => n + d.text.length, 0);
  const primary = pieces.reduce((a, b) => (length(b) > length(a) ? b : a));
  const context = tools.context(joined.call);
  context.composed = true;
  const scope = tools.scope(joined.call);
  if (scope) context.scope = scope;
  // Joined inside another literal's interpolation (`dedent\`… - ${RULES.join("\n- ")}\``), the list is a fragment spliced
  // into that prompt: it goes by its own name, not by the name of the prompt it is spliced into.
  if (joined.name && splicedIntoText(src, joined.call)) context.boundName = joined.name;
  if (joined.name) context.boundName ??= joined.name;
  if (joined.returnedBy) context.promptHolder ??= `lines returned by ${joined.returnedBy}(), which its callers add to their own`;
  return { segments: primary, ...(pieces.length > 1 ? { pieces } : {}), context, joined: { separator: joined.separator, elements } };
}

/**
 * Whether `node` is (inside) an interpolation of a template literal or f-string that has text of its own around it
 * (`` `… - ${RULES.join("\n- ")}` ``), not one that only wraps the joined list (`` `${promptSections.join("\n")}\n` ``).
 */
function splicedIntoText(src: string, node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'Interpolation' || p.name === 'FormatReplacement') {
      const host = p.parent;
      if (!host) return false;
      let own = '';
      // (From the opening quote: an f-string's `f` prefix is no text either.)
      let at = host.from + (/^[A-Za-z]*/.exec(src.slice(host.from, host.from + 3))?.[0].length ?? 0);
      for (let c = host.firstChild; c; c = c.nextSibling) {
        if (c.name !== 'Interpolation' && c.name !== 'FormatReplacement') continue;
        own += src.slice(at, c.from);
        at = c.to;
      }
      // (Escapes are no text: `\n` holds no letter.)
      return /\p{L}/u.test((own + src.slice(at, host.to)).replace(/\\(?:u\{[\da-fA-F]+\}|u[\da-fA-F]{4}|x[\da-fA-F]{2}|N\{[^}]*\}|.)/g, ''));
    }
    if (FUNCTION_NODES.has(p.name) || p.name === 'Block' || p.name === 'Body') return false;
  }
  return false;
}

/** Tags that only reshape a template's indentation (`dedent`, common-tags' `stripIndent(s)`). */
const RESHAPING_TAGS = /^(dedent|stripIndents?)$/;

/** The template of `` dedent`…` `` (the text the model gets, less indentation), or the node itself. */
function untagged(src: string, node: SyntaxNode): SyntaxNode {
  if (node.name !== 'TaggedTemplateExpression') return node;
  const tag = node.firstChild;
  const template = node.lastChild;
  return tag && template?.name === 'TemplateString' && RESHAPING_TAGS.test(src.slice(tag.from, tag.to)) ? template : node;
}

/**
 * The text branch of an item chosen at run time against nothing (`f'  • First: …' if has_search else ""`, vanna's system
 * prompt, held-out round 5; `cond ? "…" : ""`): the literal the list holds when the condition holds, counted like a
 * literal added in a branch. Any other node is itself.
 */
function literalBranch(node: SyntaxNode): SyntaxNode {
  if (node.name !== 'ConditionalExpression') return node;
  const strings: SyntaxNode[] = [];
  let others = 0;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (STRING_LIKE.has(c.name)) strings.push(c);
    else if (!/^(if|else|\?|:|LogicOp)$/.test(c.name)) others++;
  }
  // The condition, a text branch and an empty one (`""`, `''`).
  if (others !== 1 || strings.length !== 2) return node;
  const empty = strings.filter((s) => s.to - s.from === 2);
  return empty.length === 1 ? strings.find((s) => s !== empty[0]) ?? node : node;
}

/** Methods that add to the end of a list, in order: Python's `append`/`extend`, JavaScript's `push`. */
const GROWTH = /^(append|extend|push)$/;

/** `name` when `args` is the argument list of a statement `name.append(…)`, `name.extend(…)` or `name.push(…)`. */
function growthName(src: string, args: SyntaxNode): string | undefined {
  const call = args.parent;
  const member = call?.firstChild;
  if (call?.name !== 'CallExpression' || member?.name !== 'MemberExpression' || call.parent?.name !== 'ExpressionStatement') return undefined;
  const receiver = member.firstChild;
  const method = member.lastChild;
  if (receiver?.name !== 'VariableName' || method?.name !== 'PropertyName' || !GROWTH.test(src.slice(method.from, method.to))) return undefined;
  return src.slice(receiver.from, receiver.to);
}

/**
 * A list grown in one function and joined there once (held-out round 4: dspy's ReAct builds its instructions with
 * `instr.extend([…])`, `instr.append("…")` and `"\n".join(instr)`; Continue's `gptEditPrompt` pushes paragraphs and
 * returns `paragraphs.join("\n\n")`). Every use of the name in the function must be its one assignment (first), a
 * growth statement (`name.append(x)`, `name.extend([…])`, `name.push(x, y)`) or the one join (last); anything else
 * (an index, a `pop`, passing the list on) and the list is not read. The elements are those of the assigned list
 * and of each growth in source order; what the function adds in a loop or a branch may be there any number of
 * times: what a loop adds is a spread (a literal there too: its text comes any number of times), a runtime value added in
 * a branch is a spread, and a literal added in a branch is a piece (the prompt's text when the branch is taken).
 */
function grownListOf(src: string, name: string | undefined, at: SyntaxNode, lang: Lang): JoinedList | undefined {
  const fn = name ? enclosingFunction(at) : undefined;
  if (!name || !fn) return undefined;
  const elements: JoinedElement[] = [];
  let assigned: SyntaxNode | undefined;
  let join: { call: SyntaxNode; separator: string; returnedBy?: string } | undefined;
  let grown = 0;
  // (The end of a filter of the list by itself, whose uses of the name are its own.)
  let filterEnd = -1;
  const cursor = fn.cursor();
  for (let more = cursor.firstChild(); more && cursor.from < fn.to; more = cursor.next()) {
    if ((cursor.name !== 'VariableName' && cursor.name !== 'VariableDefinition') || cursor.to - cursor.from !== name.length || src.slice(cursor.from, cursor.to) !== name) continue;
    if (cursor.from < filterEnd) continue;
    const node = cursor.node;
    const parent = node.parent;
    if (!parent || join) return undefined;
    // (`const sections: string[] = []`: the `=` comes after the type.)
    const op = parent.name === 'VariableDeclaration' ? nextPastType(node) : node.nextSibling;
    const value = op?.nextSibling;
    // `prompt_parts = [part for part in prompt_parts if part != ""]` (vanna, held-out round 5, inside an `if`) drops items and
    // adds none: the list's text is still that of its pieces (an upper bound when an item is dropped).
    if (assigned && lang === 'python' && parent.name === 'AssignStatement' && node.nextSibling?.name === 'AssignOp' && value?.name === 'ArrayComprehensionExpression' && !value.nextSibling) {
      const id = name.replace(/\$/g, '\\$');
      if (new RegExp(`^\\[\\s*(\\w+)\\s+for\\s+\\1\\s+in\\s+${id}\\s+if\\b`).test(src.slice(value.from, value.to))) {
        filterEnd = value.to;
        continue;
      }
    }
    if (!assigned && (parent.name === 'AssignStatement' || parent.name === 'VariableDeclaration') && /^(AssignOp|Equals)$/.test(op?.name ?? '') && value && (!value.nextSibling || value.nextSibling.name === ';')) {
      assigned = value;
      if (value.name === 'ArrayExpression') elements.push(...elementsOf(value));
      else elements.push({ node: value, spread: true });
      continue;
    }
    if (!assigned) return undefined;
    const args = parent.name === 'MemberExpression' ? parent.nextSibling : null;
    if (args?.name === 'ArgList' && growthName(src, args) === name) {
      const method = src.slice(parent.lastChild?.from ?? 0, parent.lastChild?.to ?? 0);
      const added = method === 'extend' ? args.firstChild?.nextSibling : undefined;
      const items = method === 'extend' ? (added?.name === 'ArrayExpression' && added.nextSibling?.name === ')' ? elementsOf(added) : added ? [{ node: added, spread: true }] : []) : elementsOf(args);
      const place = placeIn(args, fn);
      for (const item of items) {
        const plain = literalBranch(untagged(src, item.node));
        const literal = STRING_LIKE.has(plain.name) || plain.name === 'ContinuedString' || plain.name === 'BinaryExpression' || plain.name === 'ParenthesizedExpression';
        elements.push({ node: item.node, spread: item.spread || place === 'loop' || (place === 'branch' && !literal) });
      }
      grown++;
      continue;
    }
    join = (lang === 'python' ? pythonJoin(src, parent) : javascriptJoin(src, parent)) ?? returnedPromptList(src, node, fn);
    if (!join) return undefined;
  }
  // (Not grown: a list joined as written is joinByName's, and one never joined is no prompt.)
  if (!assigned || !join || grown === 0 || !elements.some((e) => e.node.from < at.to && e.node.to > at.from)) return undefined;
  return { list: assigned, ...join, elements, name };
}

/**
 * `return name` of a grown list in a function named for the prompt lines it returns (held-out round 7: ai-town's
 * `agentPrompts`, `previousConversationPrompt` and `relatedMemoriesPrompt` push labelled rows and return the list, which
 * each caller spreads into its own list joined with "\n" as the system message): the list's lines are one prompt fragment,
 * read as joined with "\n" where it is returned.
 */
function returnedPromptList(src: string, node: SyntaxNode, fn: SyntaxNode): { call: SyntaxNode; separator: string; returnedBy: string } | undefined {
  const statement = node.parent;
  if (statement?.name !== 'ReturnStatement' || (node.nextSibling && node.nextSibling.name !== ';')) return undefined;
  const name = enclosingFunctionName(src, statement);
  if (!name || enclosingFunction(node)?.from !== fn.from || !/(^|[a-z_])(prompts?|Prompts?)$/.test(name)) return undefined;
  // (Its callers add the lines to a prompt of their own: `prompt.push(...agentPrompts(…))`, `messages.extend(agent_prompts(…))`,
  // `prompt = [intro, ...agentPrompts(…)]`; not to a list of UI labels, `chips.extend(starter_prompts(user))`, break32a.)
  const callers = [
    ...src.matchAll(new RegExp(`([\\w$]+)\\s*\\.\\s*(?:push|extend|concat)\\(\\s*(?:\\.\\.\\.|\\*)?${name}\\(`, 'g')),
    ...src.matchAll(new RegExp(`([\\w$]+)\\s*(?:\\+=\\s*|(?::[^=\\n]*)?=\\s*\\[[^\\]]*?(?:\\.\\.\\.|\\*))${name}\\(`, 'g')),
  ];
  return callers.some((m) => PROMPT_LIST_NAME.test(m[1])) ? { call: node, separator: '\n', returnedBy: name } : undefined;
}

/** The name of a list that holds a prompt's lines or messages. */
const PROMPT_LIST_NAME = /prompt|message|instruction|system|context/i;
