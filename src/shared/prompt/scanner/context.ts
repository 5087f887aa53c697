/**
 * Where a literal sits in Python or TypeScript/JavaScript code, as a `LiteralContext`
 * (evidence.ts weighs it): the call it is passed to, the key, role and model beside it, the
 * name it is bound to, and the contexts that rule it out (a log line, an error, a type).
 */
import type { SyntaxNode } from '@lezer/common';
import { roleKind } from './evidence';
import type { LiteralContext, ModelRef } from './literalContext';
import type { StripKind } from '../../../protocol/scan';
import { calleeText, enclosingFunctionName, FUNCTION_NODES, isDocstringPosition, lastName, positionalIndex, same, simpleValue, STRING_NODES, textOf, type Lang } from './codeSyntax';
import { modelInArgs, modelInDict, modelInObject } from './modelRefs';
import { askedAtTerminal, askedNext, classAttributeAskedOnly, HUMAN_INPUT_CALLEE } from './humanInput';
import { agentRunOf, annotatedParamOfTool, enclosingClassName, noteAnswerFormat, fieldNotSent, fieldOfSentSchema, noteClassAttribute, noteExampleModels, noteMirascopeReturn, notePlaceholderFill, noteInterpolated, noteSent, noteSpliced, noteToolClassReturn, returnedToWebBody, signatureDocstring, toolDocstring, toolNames } from './fileNames';

/** Calls that only reshape the text they are given (indentation): a literal passed to one is where the call is. */
const TEXT_WRAPPERS = /^(textwrap\.dedent|dedent|inspect\.cleandoc|cleandoc|stripIndent|outdent)$/;
/**
 * Classes of prompt text built from a literal, `TextPrompt("…")` (CAMEL's str subclass, kept as class
 * attributes of its `*PromptTemplateDict` classes), `CodePrompt("…")`: the literal is what the name it is
 * bound to holds, and is a prompt. (A bare `Prompt(…)` is left out: rich's and other console prompts.)
 */
/** browser-use's decorators that register a function as an action (a tool) of the agent: `@tools.action`, `@controller.action`, `@self.registry.action` (not Django's `@admin.action`). */
const ACTION_DECORATOR = /(^|\.)(registry|controller|tools)\.action$/;
/**
 * TypeScript decorators that register a method as a tool with its schema: agentic's `@aiFunction({ name, description,
 * inputSchema })` (held-out round 8), MCP-Nest's `@Tool({ name, description, parameters })`. Their arguments are read as
 * those of any call; other decorators' (`@Component({ template })`, `@ApiProperty({ description })`) stay keys and settings.
 */
const TOOL_DECORATOR = /^(aiFunction|Tool|tool)$/;
const PROMPT_CLASS = /^(?:[\w.]*\.)?[A-Z][A-Za-z0-9]*Prompt$/;
/** A template of one text (`PromptTemplate.from_template("…")`, `PromptTemplate(template="…")`): its variable names the literal. */
const TEMPLATE_HOLDER = /(^|\.)(?:[A-Z]\w*)?PromptTemplate(\.(from_template|fromTemplate))?$/;

const TAGS_NOT_PROMPTS = /^(sql|gql|graphql|css|html|svg|md|markdown|styled\.\w+|keyframes|injectGlobal|createGlobalStyle)$/;

/** Callees whose string arguments are log lines or printed output. */
const LOG_CALLEE = /^(print|console\.\w+|log|logger\.\w+|logging\.\w+|log\.\w+|\w*logger\.\w+|self\.(log|logger)\.\w+|this\.(log|logger)\.\w+|warnings\.warn|st\.(write|markdown|text|info|error|warning|success|caption|title|header|subheader)|click\.echo|typer\.echo|rich\.print|console_print|tqdm\.write|sys\.(stdout|stderr)\.write|process\.(stdout|stderr)\.write|debug|info|warn|warning|error|exception|critical)$/;

/**
 * Calls that send data to a client, not to a model: a websocket message or an HTTP response
 * (gpt-researcher's server answers `websocket.send_json({"type": "chat", "role": "assistant",
 * "content": "Chat functionality is not available…"})`, shaped like a chat message).
 */
const CLIENT_SEND_CALLEE = /(^|\.)(send_json|send_text|sendJSON)$|^(websocket|ws|socket|self\.websocket|self\.ws)\.(send|emit)$|^(res|response|reply)\.(json|send)$|^(jsonify|JSONResponse|HTMLResponse|PlainTextResponse|NextResponse\.json|Response\.json)$/;

/** Gradio's chat message class (`gr.ChatMessage`, `gradio.ChatMessage`): a message shown in a chatbot of the page. */
const GRADIO_CHAT_MESSAGE = /^(?:gr|gradio)\.ChatMessage$/;

/** Callees that are test assertions. */
const ASSERT_CALLEE = /(^|\.)(assert\w*|expect|toBe|toEqual|toContain|toMatch|toStrictEqual|toThrow|should|deepEqual|strictEqual|equal|ok|fail)$/;

/** Callees whose string arguments are errors. */
const ERROR_CALLEE = /(^|\.)(\w*Error|\w*Exception|Warning|HTTPException|abort|panic)$/;

/** What a callee's text says of the call (`calleeFlagsOf`): bits of `ContainerMemo.calleeFlags`. */
const PROMPT_CLASS_CALL = 1;
const TEXT_WRAPPER_CALL = 2;
const TEMPLATE_HOLDER_CALL = 4;
const CLIENT_SEND_CALL = 8;
/** The negative of a literal passed to the call: a log line, an error, an assertion, a question to the person (in that order). */
const LOG_CALL = 16;
const ERROR_CALL = 32;
const ASSERT_CALL = 64;
const ASKED_CALL = 128;

function calleeFlagsOf(callee: string): number {
  let flags = 0;
  if (PROMPT_CLASS.test(callee)) flags |= PROMPT_CLASS_CALL;
  if (TEXT_WRAPPERS.test(callee)) flags |= TEXT_WRAPPER_CALL;
  if (TEMPLATE_HOLDER.test(callee)) flags |= TEMPLATE_HOLDER_CALL;
  if (CLIENT_SEND_CALLEE.test(callee)) flags |= CLIENT_SEND_CALL;
  if (LOG_CALLEE.test(callee)) flags |= LOG_CALL;
  else if (ERROR_CALLEE.test(callee) && !/Message$/.test(callee)) flags |= ERROR_CALL;
  else if (ASSERT_CALLEE.test(callee)) flags |= ASSERT_CALL;
  else if (HUMAN_INPUT_CALLEE.test(callee)) flags |= ASKED_CALL;
  return flags;
}

/** Whether `child` is the default of a lookup call's arguments: the second positional one, or `default=…`. */
function isLookupDefault(src: string, args: SyntaxNode, child: SyntaxNode): boolean {
  const prev = child.prevSibling;
  if (prev?.name === 'AssignOp') return textOf(src, prev.prevSibling ?? prev) === 'default';
  return positionalIndex(args, child) === 1;
}

/** The role sibling in a Python dict `{"role": …, "content": …}`. */
/**
 * OpenAI's few-shot convention: a system message named `example_user` or `example_assistant` (`{"role": "system",
 * "name": "example_user", "content": …}`, the cookbook's "How to format inputs to ChatGPT models") is a turn of an
 * example exchange: it takes that turn's role, so that the examples before the last user message are few-shot.
 */
const EXAMPLE_SPEAKER = /^example_(user|assistant)$/;

function roleInDict(src: string, dict: SyntaxNode, lang: Lang): string | undefined {
  let role: string | undefined;
  let speaker: string | undefined;
  for (let c = dict.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'String' || c.nextSibling?.name !== ':') continue;
    const key = simpleValue(src, c, lang);
    if (key === 'role') role ??= simpleValue(src, c.nextSibling.nextSibling, lang);
    else if (key === 'name') speaker = EXAMPLE_SPEAKER.exec(simpleValue(src, c.nextSibling.nextSibling, lang) ?? '')?.[1];
  }
  return role === 'system' && speaker ? speaker : role;
}

function roleInObject(src: string, obj: SyntaxNode, lang: Lang): string | undefined {
  let role: string | undefined;
  let speaker: string | undefined;
  for (const prop of obj.getChildren('Property')) {
    const key = simpleValue(src, prop.firstChild, lang);
    // (`role: "user" as const`, as TypeScript writes a message's literal role: continue's conversationCompaction.ts.)
    const value = prop.lastChild?.name === 'BinaryExpression' && prop.lastChild.firstChild?.nextSibling?.name === 'as' ? prop.lastChild.firstChild : prop.lastChild;
    if (key === 'role') role ??= simpleValue(src, value, lang);
    else if (key === 'name') speaker = EXAMPLE_SPEAKER.exec(simpleValue(src, prop.lastChild, lang) ?? '')?.[1];
  }
  return role === 'system' && speaker ? speaker : role;
}

/** The keyword-argument names of a call's argument list. */
function noteArgSiblings(src: string, args: SyntaxNode, ctx: LiteralContext, memo: ContainerMemo): void {
  if (ctx.siblingKeys !== undefined) return;
  ctx.siblingKeys = [...memo.read(args, 'argKeys', argKeysOf, src, undefined)];
}

function argKeysOf(src: string, args: SyntaxNode): string[] {
  const found: string[] = [];
  for (let c = args.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') found.push(textOf(src, c));
  return found;
}

/**
 * What `contextOf` reads from a call's arguments, a dict or an object (its keys, its role, its
 * model), found once per container in a scan: every literal inside the container asks again,
 * and each answer walks all its entries. Keyed by the container's extent (each fact belongs to
 * one kind of container). Callers copy what they change.
 */
export class ContainerMemo {
  private readonly facts = new Map<string, Map<number, { to: number; value: unknown }>>();
  private readonly callees = new Map<string, number>();

  /** `calleeFlagsOf(callee)`, found once per callee in a scan (`log.info` holds a hundred literals of a file). */
  calleeFlags(callee: string): number {
    let flags = this.callees.get(callee);
    if (flags === undefined) this.callees.set(callee, (flags = calleeFlagsOf(callee)));
    return flags;
  }

  of<T>(container: SyntaxNode, fact: string, compute: () => T): T {
    let byStart = this.facts.get(fact);
    if (!byStart) this.facts.set(fact, (byStart = new Map<number, { to: number; value: unknown }>()));
    const known = byStart.get(container.from);
    if (known && known.to === container.to) return known.value as T;
    const value = compute();
    byStart.set(container.from, { to: container.to, value });
    return value;
  }

  /** `of`, with a function of the container (and the source and language) instead of a closure made at each call. */
  read<T, A>(container: SyntaxNode, fact: string, compute: (src: string, container: SyntaxNode, arg: A) => T, src: string, arg: A): T {
    let byStart = this.facts.get(fact);
    if (!byStart) this.facts.set(fact, (byStart = new Map<number, { to: number; value: unknown }>()));
    const known = byStart.get(container.from);
    if (known && known.to === container.to) return known.value as T;
    const value = compute(src, container, arg);
    byStart.set(container.from, { to: container.to, value });
    return value;
  }
}

/** What `atDictionaryExpression` reads from a dict, in one pass over its entries (`ContainerMemo`). */
interface DictFacts {
  /** Entries `"type": "tool_result"` (or `"function_call_output"`). */
  toolResults: number;
  keys: string[];
  /** The keys whose value is a string literal. */
  textKeys: string[];
  /** The value of a `"type"` entry, when it is a string literal. */
  typeText: string | undefined;
  role: string | undefined;
  model: ModelRef | undefined;
}

function dictFactsOf(src: string, dict: SyntaxNode, lang: Lang): DictFacts {
  let toolResults = 0;
  const keys: string[] = [];
  const textKeys: string[] = [];
  let typeText: string | undefined;
  for (let c = dict.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'String' || c.nextSibling?.name !== ':') continue;
    const key = simpleValue(src, c, lang);
    const value = c.nextSibling.nextSibling;
    keys.push(key ?? '');
    if (value?.name === 'String') textKeys.push(key ?? '');
    if (key === 'type' && value?.name === 'String') typeText ??= simpleValue(src, value, lang);
    if (key === 'type' && /^(tool_result|function_call_output)$/.test(simpleValue(src, value, lang) ?? '')) toolResults++;
  }
  return { toolResults, keys, textKeys, typeText, role: roleInDict(src, dict, lang), model: modelInDict(src, dict, lang) };
}

/** What `atProperty` reads from an object, in one pass over its properties (`ContainerMemo`). */
interface ObjectFacts {
  /** A property `type: 'tool_result'` (or `'function_call_output'`). */
  toolResult: boolean;
  keys: string[];
  /** The keys whose value is a string literal. */
  textKeys: string[];
  /** The value of a `type` property, when it is a string literal. */
  typeText: string | undefined;
  role: string | undefined;
  model: ModelRef | undefined;
}

function objectFactsOf(src: string, obj: SyntaxNode, lang: Lang): ObjectFacts {
  let toolResult = false;
  const keys: string[] = [];
  const textKeys: string[] = [];
  let typeText: string | undefined;
  for (const p of obj.getChildren('Property')) {
    const key = simpleValue(src, p.firstChild, lang);
    keys.push(key ?? '');
    if (p.lastChild?.name === 'String' && !same(p.lastChild, p.firstChild)) textKeys.push(key ?? '');
    if (key === 'type' && p.lastChild?.name === 'String' && !same(p.lastChild, p.firstChild)) typeText ??= simpleValue(src, p.lastChild, lang);
    if (!toolResult && key === 'type' && /^(tool_result|function_call_output)$/.test(simpleValue(src, p.lastChild, lang) ?? '')) toolResult = true;
  }
  return { toolResult, keys, textKeys, typeText, role: roleInObject(src, obj, lang), model: modelInObject(src, obj, lang) };
}

/** Children of message lists looked at to number their messages (`indexAmong`), for tests (break39). */
export const messageIndexWork = { steps: 0 };

/**
 * Where `item` is among the children named `name` of a message list (`messageList.index`), -1 if it is none: the list is
 * numbered once per scan. (Each message's literal read the list again: 4,000 messages took 7.7 s, break39.)
 */
function indexAmong(memo: ContainerMemo, list: SyntaxNode, name: string, item: SyntaxNode): number {
  const starts = memo.of(list, `index of ${name}`, () => {
    const byStart = new Map<number, number>();
    let i = 0;
    for (let c = list.firstChild; c; c = c.nextSibling) {
      messageIndexWork.steps++;
      if (c.name === name) byStart.set(c.from, i++);
    }
    return byStart;
  });
  return starts.get(item.from) ?? -1;
}

/** The value of keyword argument `name` in a Python call's argument list. */
function kwargValue(src: string, args: SyntaxNode, name: string, lang: Lang): string | undefined {
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && textOf(src, c) === name) return simpleValue(src, c.nextSibling.nextSibling, lang);
  }
  return undefined;
}

/** The arguments of an argument list (a trailing comma and comments are no argument). */
function argumentCount(args: SyntaxNode): number {
  let n = 0;
  for (let c = args.firstChild; c; c = c.nextSibling) if (!/^[(),]$|Comment/.test(c.name)) n++;
  return n;
}

function hasZodImport(imports: ReadonlySet<string>): boolean {
  return imports.has('zod') || [...imports].some((m) => /^(zod|@ai-sdk|ai$|@modelcontextprotocol|@langchain|langchain|openai)/.test(m));
}

/** The text of the decorators of the function or class whose body holds `node` (Python). */
function decoratorsOf(src: string, node: SyntaxNode): string {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionDefinition' || p.name === 'ClassDefinition') {
      const decorated = p.parent?.name === 'DecoratedStatement' ? p.parent : undefined;
      return decorated ? decorated.getChildren('Decorator').map((d) => textOf(src, d)).join('\n') : '';
    }
  }
  return '';
}

/** The text of the string literals in `node` (their quotes and prefixes left out), one space between. */
function literalsOf(src: string, node: SyntaxNode): string {
  const out: string[] = [];
  const cursor = node.cursor();
  for (let more = true; more; ) {
    if (STRING_NODES.has(cursor.name)) {
      out.push(textOf(src, cursor.node).replace(/^[A-Za-z]*(?:'''|"""|['"`])|(?:'''|"""|['"`])$/g, ''));
      more = cursor.next(false);
    } else more = cursor.next();
    while (more && cursor.from >= node.to) more = false;
  }
  return out.join(' ');
}

/** The keys whose value, a function written in place, returns a prompt (`system: ({ network }) => …`, `instructions: (ctx) => …`). */
const INLINE_PROMPT_KEY = /^(system|instructions|systemPrompt|systemMessage|prompt)$/;

/** The function (arrow or expression) whose body holds `node`; none when a declared function or a method comes first. */
function innermostFunction(node: SyntaxNode): SyntaxNode | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ArrowFunction' || p.name === 'FunctionExpression') return p;
    if (p.name === 'FunctionDeclaration' || p.name === 'MethodDeclaration' || p.name === 'ClassBody') return undefined;
  }
  return undefined;
}

/** What one step of `contextOf`'s walk up the tree does next: go up one parent, go on from the parent it set, or stop. */
const UP = 0;
const CONTINUE = 1;
const DONE = 2;
type Step = typeof UP | typeof CONTINUE | typeof DONE;

/** `contextOf`'s walk: the context it builds, the node it came up from (`child`) and the one it is at (`parent`). */
interface Walk {
  readonly src: string;
  readonly unit: SyntaxNode;
  readonly lang: Lang;
  readonly imports: ReadonlySet<string>;
  readonly memo: ContainerMemo;
  readonly ctx: LiteralContext;
  child: SyntaxNode;
  parent: SyntaxNode | null;
  /** The literal, or a call that only reshapes it (`"…".strip()`, `dedent("…")`). */
  textNode: SyntaxNode;
  /** The template call holding it (TEMPLATE_HOLDER). */
  heldBy: SyntaxNode | undefined;
}

function noteModel(ctx: LiteralContext, m: ModelRef | undefined): void {
  if (m && !ctx.model) ctx.model = m;
}

/** Describes where a literal (or a concatenation `unit`) sits. */
export function contextOf(src: string, unit: SyntaxNode, lang: Lang, imports: ReadonlySet<string>, memo: ContainerMemo = new ContainerMemo()): LiteralContext {
  const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports };
  // (The walk's state is one object and each kind of parent is read by a function of its own: one function of all of
  // them was ~13 KB of bytecode, which V8 optimizes only after ~90 profiler ticks, in the fifth scan of a process.)
  const w: Walk = { src, unit, lang, imports, memo, ctx, child: unit, parent: unit.parent, textNode: unit, heldBy: undefined };
  let hops = 0;
  while (w.parent && hops++ < 24) {
    let step: Step;
    switch (w.parent.name) {
      case 'ArgList':
        step = atArgList(w);
        break;
      case 'DictionaryExpression':
        step = atDictionaryExpression(w);
        break;
      case 'Property':
        step = atProperty(w);
        break;
      case 'TupleExpression':
        step = atTupleExpression(w);
        break;
      case 'ArrayExpression':
        step = atArrayExpression(w);
        break;
      case 'MemberExpression':
        step = atMemberExpression(w);
        break;
      case 'BinaryExpression':
        step = atBinaryExpression(w);
        break;
      case 'AssignStatement':
        step = atAssignStatement(w);
        break;
      case 'UpdateStatement':
        step = atUpdateStatement(w);
        break;
      case 'VariableDeclaration':
        step = atVariableDeclaration(w);
        break;
      case 'PropertyDeclaration':
        step = atPropertyDeclaration(w);
        break;
      case 'AssignmentExpression':
        step = atAssignmentExpression(w);
        break;
      case 'ReturnStatement':
      case 'ArrowFunction':
        step = atReturnStatement(w);
        break;
      case 'ExpressionStatement':
        step = atExpressionStatement(w);
        break;
      case 'AssertStatement':
        step = atAssertStatement(w);
        break;
      case 'RaiseStatement':
      case 'ThrowStatement':
        step = atRaiseStatement(w);
        break;
      case 'TaggedTemplateExpression':
        step = atTaggedTemplateExpression(w);
        break;
      case 'TypeAnnotation':
      case 'LiteralType':
      case 'TypeDef':
      case 'UnionType':
      case 'TypeArgList':
      case 'IndexedType':
        step = atTypeAnnotation(w);
        break;
      case 'ImportDeclaration':
      case 'ExportDeclaration':
      case 'ImportStatement':
      case 'SwitchStatement':
      case 'CaseLabel':
      case 'Decorator':
        step = atImportDeclaration(w);
        break;
      case 'JSXAttribute':
      case 'JSXElement':
      case 'JSXEscape':
        step = atJSXAttribute(w);
        break;
      case 'Script':
      case 'Body':
      case 'Block':
      case 'ClassBody':
      case 'FunctionDefinition':
      case 'ClassDefinition':
        step = DONE;
        break;
      default:
        step = UP;
    }
    if (step === DONE) return ctx;
    if (step === CONTINUE) continue;
    w.child = w.parent;
    w.parent = w.parent.parent;
  }
  return ctx;
}

/** `contextOf` one step up, at `ArgList`. */
function atArgList(w: Walk): Step {
  const parent = w.parent as SyntaxNode;
  const call = parent.parent;
  if (!call) return DONE;
  // (A decorator's arguments, the calls that hold a literal in a special way, and an ordinary argument, in functions of
  // their own: the one function they were in was 3,359 bytes of bytecode, optimized by V8 only in a process's third or fourth scan.)
  const decorated = call.name === 'Decorator' ? decoratorArgument(w, call) : undefined;
  if (decorated !== undefined) return decorated;
  const callee = calleeText(w.src, call);
  return specialCallArgument(w, call, callee) ?? callArgument(w, call, callee);
}

/** `atArgList`, in part: an argument of a decorator that registers a tool or an action (DONE), or undefined to go on. */
function decoratorArgument(w: Walk, call: SyntaxNode): Step | undefined {
  const { src, unit, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  // browser-use registers an action with its description: `@tools.action('Ask the human for help')`,
  // `@self.registry.action('Switch to another open tab…', param_model=…)`, `@registry.action(description=…)`.
  const decorator = src.slice(call.from + 1, parent.from).replace(/\s+/g, '');
  if (ACTION_DECORATOR.test(decorator)) {
    const key = child.prevSibling?.name === 'AssignOp' ? textOf(src, child.prevSibling.prevSibling ?? child) : undefined;
    if (same(child, unit) && (key === 'description' || (key === undefined && positionalIndex(parent, child) === 0))) ctx.tool = `the description of an action registered with @${decorator}`;
    return DONE;
  }
  // The Agents SDK's `@function_tool(description_override="…")` (alias `@tool`): the tool's description, sent instead
  // of the function's docstring (openai-agents-python examples/customer_service/main.py).
  if (/^(?:[\w.]*\.)?(?:function_tool|tool)$/.test(decorator) && same(child, unit) && child.prevSibling?.name === 'AssignOp' && textOf(src, child.prevSibling.prevSibling ?? child) === 'description_override') {
    ctx.tool = `the description_override of @${decorator}, the tool's description`;
    return DONE;
  }
  return undefined;
}

/** `atArgList`, in part: the calls that hold a literal in a way of their own (a prompt class, a text wrapper, a pydantic Field, a message dict, a lookup), or undefined. */
function specialCallArgument(w: Walk, call: SyntaxNode, callee: string): Step | undefined {
  const { src, unit, lang, imports, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const flags = memo.calleeFlags(callee);
  if ((flags & PROMPT_CLASS_CALL) !== 0 && same(child, unit) && ctx.callees.length === 0 && child.prevSibling?.name !== 'AssignOp' && positionalIndex(parent, child) === 0) {
    ctx.promptClass = callee;
    w.child = call;
    w.parent = call.parent;
    return CONTINUE;
  }
  if ((flags & TEXT_WRAPPER_CALL) !== 0 && same(child, unit) && positionalIndex(parent, child) === 0) {
    // `textwrap.dedent("…")` only reshapes the text: the literal is where the call is (and it is counted dedented).
    if (lang === 'python' && ctx.callees.length === 0 && /^(?:textwrap\.)?dedent$/.test(callee)) ctx.dedent = 'textwrap.dedent';
    w.textNode = call;
    w.child = call;
    w.parent = call.parent;
    return CONTINUE;
  }
  if (lang === 'python' && callee === 'Field' && ctx.callees.length === 0) {
    const notSent = fieldNotSent(src, parent, imports);
    if (notSent) ctx.negatives.push(notSent);
    else {
      if (same(child, unit) && child.prevSibling?.name === 'AssignOp' && textOf(src, child.prevSibling.prevSibling ?? child) === 'description') {
        const sent = fieldOfSentSchema(src, parent);
        if (sent) ctx.tool = sent;
        ctx.schemaClass = enclosingClassName(src, parent);
      }
      // Not sent by this file, nor ruled out by it: the project's index may know (findPrompts, projectSchemas.ts).
      if (ctx.tool === undefined) ctx.fieldClass = enclosingClassName(src, parent);
    }
  }
  if (ctx.callees.length === 0 && same(child, unit) && positionalIndex(parent, child) === 1) notePlaceholderFill(src, parent, unit, callee, ctx);
  // A Gradio chatbot's message (`gr.ChatMessage(role=MessageRole.ASSISTANT, content="**Planning step**")`, smolagents'
  // gradio_ui.py) is shown to the person in the web page, not sent to a model: six "assistant prompts" (newuser46).
  if (lang === 'python' && GRADIO_CHAT_MESSAGE.test(callee)) {
    ctx.negatives.push('chatDisplay');
    return DONE;
  }
  // An app's own message class (`Message(role='system', content=…)`, graphiti) is a message like `dict(role=…, content=…)`.
  const roleCall =
    lang === 'python' && callee !== 'dict' && child.prevSibling?.name === 'AssignOp' && textOf(src, child.prevSibling.prevSibling ?? child) === 'content' && roleKind(kwargValue(src, parent, 'role', lang)) !== undefined;
  if (lang === 'python' && (callee === 'dict' || roleCall) && child.prevSibling?.name === 'AssignOp') {
    // `dict(role="user", content="…")` is a message dict.
    noteArgSiblings(src, parent, ctx, memo);
    const key = child.prevSibling.prevSibling;
    if (key?.name === 'VariableName') ctx.keys.push(textOf(src, key));
    if (ctx.role === undefined) ctx.role = kwargValue(src, parent, 'role', lang);
    if (call.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
      ctx.messageList = { id: call.parent.from, index: indexAmong(memo, call.parent, 'CallExpression', call) };
    }
    w.child = call;
    w.parent = call.parent;
    return CONTINUE;
  }
  // The key of a lookup (`raw_result.get('problem', '')`, `func.get("description")`): a key, not text (its default may be).
  if (ctx.callees.length === 0 && same(child, unit) && child.prevSibling?.name !== 'AssignOp' && /\.(get|pop|setdefault|getenv)$/.test(callee) && positionalIndex(parent, child) === 0) {
    ctx.negatives.push('subscript');
    return DONE;
  }
  // Its default (`config.get('system_prompt', 'You are…')`, `os.getenv("SYSTEM_PROMPT", "You are…")`): the value the
  // lookup has when the key is missing, judged where the call stands (the name it is bound to, the call it is sent in).
  if (lang === 'python' && ctx.callees.length === 0 && same(child, unit) && /(^|\.)(get|pop|setdefault|getenv)$/.test(callee) && isLookupDefault(src, parent, child)) {
    w.child = call;
    w.parent = call.parent;
    return CONTINUE;
  }
  return undefined;
}

/** `atArgList`, in part: an ordinary argument of the call (its keyword, position, the call's kind and model). */
function callArgument(w: Walk, call: SyntaxNode, callee: string): Step {
  const { src, unit, lang, imports, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const textNode = w.textNode;
  if (ctx.callees.length === 0) noteArgSiblings(src, parent, ctx, memo);
  const flags = memo.calleeFlags(callee);
  if (ctx.callees.length === 0 && same(child, textNode) && (flags & TEMPLATE_HOLDER_CALL) !== 0) {
    const key = child.prevSibling?.name === 'AssignOp' ? textOf(src, child.prevSibling.prevSibling ?? child) : undefined;
    if (key === 'template' || (key === undefined && positionalIndex(parent, child) === 0)) w.heldBy = call;
  }
  // The nearest call sends the literal (or the message holding it) to a client.
  if (ctx.callees.length === 0 && (flags & CLIENT_SEND_CALL) !== 0) ctx.negatives.push('client');
  // (zod's `.describe(text)` takes the text alone: `ls.describe("query routing", () => …)` names a test suite, open-canvas's
  // langsmith/vitest evals via newuser35.)
  if (lang === 'javascript' && ctx.callees.length === 0 && same(child, unit) && /\.describe$/.test(callee) && hasZodImport(imports) && argumentCount(parent) === 1) ctx.tool ??= 'a zod .describe() of a schema sent to the model';
  if (ctx.callees.length === 0) {
    const prev = child.prevSibling;
    if (lang === 'python' && prev?.name === 'AssignOp' && prev.prevSibling?.name === 'VariableName') ctx.keys.push(textOf(src, prev.prevSibling));
    if (same(child, unit)) {
      ctx.direct = true;
      if (prev?.name !== 'AssignOp') ctx.argIndex = positionalIndex(parent, child);
      if (ctx.argIndex === 0) ctx.agentRun = agentRunOf(src, callee);
    }
    // The text a `.replace(old, new)` takes out of a prompt is never sent: mem0's graph memory sends
    // `EXTRACT_RELATIONS_PROMPT.replace("USER_ID", filters["user_id"])` as a system message, and "USER_ID" was a system
    // prompt of 2 tokens (finder45).
    if (same(child, unit) && prev?.name !== 'AssignOp' && positionalIndex(parent, child) === 0 && /\.replace(?:All)?$/.test(callee) && argumentCount(parent) >= 2) ctx.negatives.push('replacedText');
    if ((flags & LOG_CALL) !== 0) ctx.negatives.push('log');
    else if ((flags & ERROR_CALL) !== 0) ctx.negatives.push('raise');
    else if ((flags & ASSERT_CALL) !== 0) ctx.negatives.push('assert');
    else if ((flags & ASKED_CALL) !== 0) ctx.negatives.push('asked');
  } else if (lang === 'python' && child.prevSibling?.name === 'AssignOp' && child.prevSibling.prevSibling?.name === 'VariableName') {
    ctx.keys.push(textOf(src, child.prevSibling.prevSibling));
  }
  if (lang === 'python' && ctx.callees.length === 0 && ctx.direct === true && ctx.argIndex === 0 && /^(?:textwrap\.)?dedent$/.test(callee)) ctx.dedent = 'textwrap.dedent';
  ctx.callees.push(callee);
  (ctx.calleeAt ??= []).push(call.from);
  noteModel(ctx, memo.read(parent, 'argModel', modelInArgs, src, lang));
  w.child = call;
  w.parent = call.parent;
  return CONTINUE;
}

/** `contextOf` one step up, at `DictionaryExpression`. */
function atDictionaryExpression(w: Walk): Step {
  const { src, lang, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  // A call used as a key whose keyword argument holds the literal (the schema library's `Literal("x", description=…)`
  // in griptape's activity schemas) is read as that call's argument, not as a key.
  if (child.nextSibling?.name === ':' && !(child.name === 'CallExpression' && ctx.keys[0] === 'description')) {
    ctx.negatives.push('subscript');
    return DONE;
  }
  const colon = child.prevSibling;
  if (colon?.name === ':') {
    const key = simpleValue(src, colon.prevSibling, lang);
    if (key !== undefined) ctx.keys.push(key);
  }
  const facts = memo.read(parent, 'dict', dictFactsOf, src, lang);
  for (let i = 0; i < facts.toolResults; i++) ctx.negatives.push('toolResult');
  if (ctx.siblingKeys === undefined) {
    ctx.siblingKeys = [...facts.keys];
    ctx.textKeys = facts.textKeys;
    ctx.typeText = facts.typeText;
  }
  if (ctx.role === undefined) ctx.role = facts.role;
  noteModel(ctx, facts.model);
  if (parent.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
    ctx.messageList = { id: parent.parent.from, index: indexAmong(memo, parent.parent, 'DictionaryExpression', parent) };
  }
  return UP;
}

/** `contextOf` one step up, at `Property`. */
function atProperty(w: Walk): Step {
  const { src, lang, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  if (same(child, parent.firstChild)) {
    ctx.negatives.push('subscript');
    return DONE;
  }
  const key = simpleValue(src, parent.firstChild, lang);
  if (key !== undefined) ctx.keys.push(key);
  const obj = parent.parent;
  if (obj?.name === 'ObjectExpression') {
    const facts = memo.read(obj, 'object', objectFactsOf, src, lang);
    if (ctx.siblingKeys === undefined) {
      ctx.siblingKeys = [...facts.keys];
      ctx.textKeys = facts.textKeys;
      ctx.typeText = facts.typeText;
    }
    // `{ type: 'tool_result', content: '…' }` is what a tool returned, as in a Python dict.
    if (facts.toolResult) ctx.negatives.push('toolResult');
    // A message that is a completion's answer, not a prompt: a streamed chunk's `delta: { role: 'assistant', content: '<think>' }`
    // or a choice's `message` beside its `finish_reason`, which an OpenAI-compatible server writes to its client
    // (node-DeepResearch's app.ts: an assistant prompt priced as a model "agent", newuser46).
    if (ctx.role !== undefined && child.name === 'ObjectExpression' && (key === 'delta' || (key === 'message' && facts.keys.includes('finish_reason')))) ctx.negatives.push('client');
    if (ctx.role === undefined) ctx.role = facts.role;
    noteModel(ctx, facts.model);
    if (obj.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
      ctx.messageList = { id: obj.parent.from, index: indexAmong(memo, obj.parent, 'ObjectExpression', obj) };
    }
    w.child = obj;
    w.parent = obj.parent;
    return CONTINUE;
  }
  return UP;
}

/** `contextOf` one step up, at `TupleExpression`. */
function atTupleExpression(w: Walk): Step {
  const { src, lang, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  // LangChain's ("system", "…") message tuples.
  const first = parent.firstChild?.nextSibling;
  if (first && !same(first, child) && first.name === 'String' && same(child.prevSibling?.prevSibling, first)) {
    const role = simpleValue(src, first, lang);
    if (role && /^(system|human|user|ai|assistant|placeholder|developer)$/.test(role) && ctx.role === undefined) ctx.role = role;
    if (parent.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
      ctx.messageList = { id: parent.parent.from, index: indexAmong(memo, parent.parent, 'TupleExpression', parent) };
    }
  }
  return UP;
}

/** `contextOf` one step up, at `ArrayExpression`. */
function atArrayExpression(w: Walk): Step {
  const { src, lang, memo, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  // JavaScript ['system', '…'] pairs, as LangChain.js accepts; the text may be a template literal (Perplexica's legacy
  // webSearchRetrieverFewShots: `['user', \`<conversation>…\`]`, whose pairs were found only when their text said
  // "Summarize…"). A list of such pairs is a message list, as a list of `{ role, content }` objects is.
  if (lang === 'javascript') {
    const items = parent.getChildren('String');
    const text = items.length === 1 ? parent.getChildren('TemplateString') : [];
    const pair = items.length === 2 ? items[1] : text.length === 1 ? text[0] : undefined;
    if (pair !== undefined && pair.from === child.from && items[0].from < pair.from) {
      const role = simpleValue(src, items[0], lang);
      if (role && /^(system|human|user|ai|assistant|developer)$/.test(role) && ctx.role === undefined) {
        ctx.role = role;
        if (parent.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
          ctx.messageList = { id: parent.parent.from, index: indexAmong(memo, parent.parent, 'ArrayExpression', parent) };
        }
      }
    }
  }
  return UP;
}

/** `contextOf` one step up, at `MemberExpression`. */
function atMemberExpression(w: Walk): Step {
  const { src, lang, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const textNode = w.textNode;
  const prev = child.prevSibling;
  if (prev?.name === '[' || prev?.name === '?.') {
    ctx.negatives.push('subscript');
    return DONE;
  }
  if (same(child, parent.firstChild)) {
    const prop = textOf(src, parent.lastChild ?? parent);
    // (`"…".strip()`, `.replace("{x}", x)` and `.trim()` reshape or fill the text: the literal is where the call is.)
    if (/^(join|split|startswith|endswith|startsWith|endsWith|includes|indexOf|encode|match|test|search)$/.test(prop)) {
      ctx.negatives.push('separator');
      return DONE;
    }
    // (`.strip()` with no argument, on the literal or on its `textwrap.dedent(…)`: what is sent is the stripped text.)
    const call = parent.parent;
    const strip = lang === 'python' ? /^[lr]?strip$/.test(prop) : /^trim(Start|End)?$/.test(prop);
    if (strip && same(child, textNode) && ctx.callees.length === 0 && call?.name === 'CallExpression' && call.getChild('ArgList')?.firstChild?.nextSibling?.name === ')') [ctx.strip, w.textNode] = [ctx.strip && ctx.strip !== prop ? (lang === 'python' ? 'strip' : 'trim') : (prop as StripKind), call];
  }
  return UP;
}

/** `contextOf` one step up, at `BinaryExpression`. */
function atBinaryExpression(w: Walk): Step {
  const { src, unit, lang, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  if (parent.getChild('CompareOp') || /^(in|not|is|instanceof)$/.test(textOf(src, child.prevSibling ?? parent))) ctx.negatives.push('comparison');
  // The argument of Python's `%` (`SYSTEM % "fr"`): a value formatted into the template on the left, not a message
  // of its own, however plainly the template is sent (break35: "fr" was a system prompt of 1 token).
  if (lang === 'python' && same(child, unit) && child.prevSibling?.name === 'ArithOp' && textOf(src, child.prevSibling) === '%') ctx.negatives.push('printfArgument');
  if (parent.getChild('as') || parent.getChild('satisfies')) return UP;
  return UP;
}

/** `contextOf` one step up, at `AssignStatement`. */
function atAssignStatement(w: Walk): Step {
  const { src, unit, lang, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const heldBy = w.heldBy;
  const op = child.prevSibling;
  if (op?.name === 'AssignOp' || op?.name === 'UpdateOp') {
    const target = parent.firstChild;
    if (target && ctx.callees.length === 0) {
      if (parent.parent?.name === 'Script') ctx.topLevel = true;
      ctx.boundName ??= lastName(textOf(src, target));
      if (/^[A-Za-z_]\w*$/.test(textOf(src, target))) noteSent(src, ctx, textOf(src, unit));
      if (lang === 'python' && !ctx.sentAsContent && !ctx.topLevel && /^[A-Za-z_]\w*$/.test(textOf(src, target))) noteLocalMessageContent(src, ctx, parent);
      if (lang === 'python' && ctx.role !== undefined && shownInGradioChatbot(src, w.imports, ctx.boundName, parent)) ctx.negatives.push('chatDisplay');
      if (askedNext(src, ctx.boundName, parent.to)) askedAtTerminal(ctx);
      else if (lang === 'python' && parent.parent?.parent?.name === 'ClassDefinition' && /^[A-Za-z_]\w*$/.test(ctx.boundName)) {
        // A class attribute whose every use in the file is a question at the terminal (MetaGPT's ReviewConst).
        const cls = enclosingClassName(src, parent);
        let root: SyntaxNode = parent;
        while (root.parent) root = root.parent;
        if (cls && classAttributeAskedOnly(src, root, cls, ctx.boundName)) askedAtTerminal(ctx);
      }
      if (ctx.sentAsContent) ctx.sentAsContentIn = enclosingFunctionName(src, parent);
    } else if (target && heldBy && same(child, heldBy) && ctx.callees.length === 1) {
      if (parent.parent?.name === 'Script') ctx.topLevel = true;
      ctx.boundName ??= lastName(textOf(src, target));
    }
    if (target && ctx.messageList && ctx.listName === undefined) ctx.listName = lastName(textOf(src, target));
    if (target && ctx.callees.length === 0 && same(child, unit.parent?.name === 'ParenthesizedExpression' ? unit.parent : unit)) noteClassAttribute(src, parent, textOf(src, target), ctx);
    else if (target && lang === 'python' && textOf(src, target) === 'examples') noteExampleModels(src, parent, ctx);
    if (target && ctx.callees.length === 0 && ctx.topLevel) noteAnswerFormat(src, textOf(src, target), ctx);
  }
  return DONE;
}

  // `prompt += f"…"` (marvin's cast, held-out round 7): a piece added to the prompt held in that name, when it says
  // something (4 words or more: not MetaGPT's `prompt += '{"output": "' + …` or a label such as "Example output json:").
/**
 * A role message bound to a name that the function then appends to a Gradio chatbot's list (pydantic-ai's
 * weather_agent_gradio.py: `gr_message = {'role': 'assistant', 'content': 'Parameters: ' + call_args, 'metadata': …}`,
 * `chatbot.append(gr_message)`, the list the `gr.Chatbot` shows): shown in the page, not sent to a model (finding49), as
 * `gr.ChatMessage(…)` is.
 */
function shownInGradioChatbot(src: string, imports: ReadonlySet<string>, name: string, statement: SyntaxNode): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name) || !imports.has('gradio')) return false;
  let fn: SyntaxNode | null = statement.parent;
  while (fn && !FUNCTION_NODES.has(fn.name)) fn = fn.parent;
  if (!fn) return false;
  return new RegExp(String.raw`\b\w*chatbot\w*\.append\(\s*${name}\s*\)`).test(src.slice(statement.to, fn.to));
}

/** `contextOf` one step up, at `UpdateStatement`. */
function atUpdateStatement(w: Walk): Step {
  const { src, unit, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const target = parent.firstChild;
  // (Words of the literals only: aider's `prompt_prefix += (" " if edit_format else "") + "multi"` counted its code's.)
  const words = (literalsOf(src, unit).replace(/\{[^{}]*\}/g, ' ').match(/[A-Za-z]{2,}/g) ?? []).length;
  if (target?.name === 'VariableName' && textOf(src, child.prevSibling ?? target) === '+=' && ctx.callees.length === 0 && words >= 4) ctx.boundName ??= textOf(src, target);
  if (target && textOf(src, child.prevSibling ?? target) === '+=' && ctx.callees.length === 0 && words >= 4) {
    const run = agentRunInput(src, parent, textOf(src, target));
    if (run) {
      ctx.boundName ??= textOf(src, target);
      ctx.sentTo ??= run;
    }
  }
  if (ctx.boundName !== undefined && askedNext(src, ctx.boundName, parent.to)) askedAtTerminal(ctx);
  return DONE;
}

/**
 * `task += "…"` / `self.task += "…"` in an agent class's own run method, whose first argument is the task (smolagents'
 * `MultiStepAgent.run(self, task, …)`: `self.task = task`, then `self.task += f"""You have been provided with these
 * additional arguments…"""`, finding49): the text goes out with the task, the user's message of the run (memory.py's
 * `TaskStep.to_messages`), as `agent.run(task)`'s argument does. `${Class}.task`, the callee the Agents pattern of
 * evidence.ts reads as an agent's task; undefined for any other name, method or class.
 */
function agentRunInput(src: string, statement: SyntaxNode, target: string): string | undefined {
  const name = /^(?:self\.)?(task|prompt|query|question|user_input)$/.exec(target)?.[1];
  if (!name) return undefined;
  let fn: SyntaxNode | null = statement.parent;
  while (fn && fn.name !== 'FunctionDefinition') fn = fn.parent;
  if (!fn || !/^a?run$|^__call__$/.test(textOf(src, fn.getChild('VariableName') ?? fn))) return undefined;
  const params = fn.getChild('ParamList');
  const first = params ? /^\(\s*self\s*,\s*(\w+)/.exec(textOf(src, params))?.[1] : undefined;
  if (first !== name) return undefined;
  // (`self.task` holds the task only after `self.task = task` in the method.)
  if (target.startsWith('self.') && !new RegExp(String.raw`\bself\.${name}\s*=\s*${name}\b`).test(textOf(src, fn))) return undefined;
  const cls = fn.parent?.parent?.name === 'ClassDefinition' ? fn.parent.parent : fn.parent?.parent?.parent?.name === 'ClassDefinition' ? fn.parent.parent.parent : undefined;
  const className = cls ? textOf(src, cls.getChild('VariableName') ?? cls) : '';
  return /^\w*Agent$/.test(className) ? `${className}.task` : undefined;
}

/** `contextOf` one step up, at `VariableDeclaration`. */
function atVariableDeclaration(w: Walk): Step {
  const { src, unit, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const heldBy = w.heldBy;
  let def: SyntaxNode | null = child.prevSibling;
  while (def && def.name !== 'VariableDefinition' && def.name !== 'ObjectPattern' && def.name !== 'ArrayPattern') def = def.prevSibling;
  if (def?.name === 'VariableDefinition' && ctx.callees.length === 0) {
    if (parent.parent?.name === 'Script' || parent.parent?.parent?.name === 'Script') ctx.topLevel = true;
    ctx.boundName ??= textOf(src, def);
    noteSent(src, ctx, textOf(src, unit));
    if (askedNext(src, ctx.boundName, parent.to)) askedAtTerminal(ctx);
    if (!ctx.sentAsContent && !ctx.topLevel) noteShorthandContent(src, ctx, parent);
    if (ctx.sentAsContent) ctx.sentAsContentIn = enclosingFunctionName(src, parent);
  } else if (def?.name === 'VariableDefinition' && heldBy && same(child, heldBy) && ctx.callees.length === 1) {
    if (parent.parent?.name === 'Script' || parent.parent?.parent?.name === 'Script') ctx.topLevel = true;
    ctx.boundName ??= textOf(src, def);
  }
  return DONE;
}

/** `contextOf` one step up, at `PropertyDeclaration`. */
function atPropertyDeclaration(w: Walk): Step {
  const { src, ctx } = w;
  const parent = w.parent as SyntaxNode;
  const def = parent.getChild('PropertyDefinition');
  if (def && ctx.callees.length === 0) ctx.boundName ??= textOf(src, def);
  return DONE;
}

/** `contextOf` one step up, at `AssignmentExpression`. */
function atAssignmentExpression(w: Walk): Step {
  const { src, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const target = parent.firstChild;
  if (target && !same(target, child) && ctx.callees.length === 0) ctx.boundName ??= lastName(textOf(src, target));
  return DONE;
}

/** `contextOf` one step up, at `ReturnStatement` / `ArrowFunction`. */
function atReturnStatement(w: Walk): Step {
  const { src, lang, imports, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  if (parent.name === 'ArrowFunction' && !same(child, parent.lastChild)) return DONE;
  const name = enclosingFunctionName(src, parent.name === 'ArrowFunction' ? (parent.firstChild ?? parent) : parent);
  if (name && ctx.callees.length === 0) ctx.boundName ??= name;
  if (name && ctx.callees.length === 0 && ctx.boundName === name) noteSpliced(src, ctx);
  if (name && ctx.callees.length === 0 && ctx.boundName === name && lang !== 'python') noteInterpolated(src, ctx);
  if (name && ctx.callees.length === 0 && toolNames(src).instructionFns.has(name)) ctx.promptHolder = `returned by ${name}, which is passed as an agent's instructions`;
  if (name && ctx.callees.length === 0 && lang === 'python' && parent.name === 'ReturnStatement') noteToolClassReturn(src, name, parent, ctx);
  if (name && ctx.callees.length === 0 && lang === 'python' && ctx.boundName === name && returnedToWebBody(src, name, imports)) ctx.negatives.push('client');
  if (lang === 'python' && ctx.callees.length === 0) {
    const decorators = decoratorsOf(src, parent);
    const m = /@[\w.]*\.(instructions|system_prompt)\b/.exec(decorators);
    if (m) ctx.promptHolder = `returned by an @${m[1]} function`;
    else noteMirascopeReturn(decorators, imports, name, ctx);
  }
  // A function written in place as an object's prompt (agent-kit's `createAgent({ system: ({ network }) => { …; return
  // \`Save a summary of the following suggestions: ${…}\` } })`, held-out round 11): what it returns is that prompt, so the
  // walk goes on from the property, to its key and the call it is given to.
  if (lang === 'javascript' && ctx.callees.length === 0 && ctx.keys.length === 0) {
    const fn = parent.name === 'ArrowFunction' ? parent : innermostFunction(parent);
    const prop = fn?.parent;
    if (fn && prop?.name === 'Property' && !same(fn, prop.firstChild) && INLINE_PROMPT_KEY.test(simpleValue(src, prop.firstChild, lang) ?? '')) {
      w.child = fn;
      w.parent = prop;
      return CONTINUE;
    }
  }
  return DONE;
}

/** `contextOf` one step up, at `ExpressionStatement`. */
function atExpressionStatement(w: Walk): Step {
  const { src, unit, lang, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  if (same(child, unit)) {
    const docstring = lang === 'python' && isDocstringPosition(parent);
    const tool = docstring ? toolDocstring(src, parent) : undefined;
    const signature = docstring && !tool ? signatureDocstring(src, parent) : undefined;
    if (tool) {
      ctx.tool = tool;
      // (A class's docstring is its schema's description.)
      if (parent.parent?.parent?.name === 'ClassDefinition') ctx.schemaClass = simpleValue(src, parent.parent.parent.getChild('VariableName'), 'python');
    } else if (signature) {
      ctx.promptHolder = signature;
      // DSPy sends a signature's docstring as its `instructions`, `inspect.cleandoc(__doc__)`: without the class's
      // indentation and the blank lines at its ends (newuser42: storm's WritePageOutlineFromConv read 116 tokens, 108 sent).
      ctx.dedent = 'inspect.cleandoc';
    }
    else ctx.negatives.push(docstring ? 'docstring' : 'bareExpression');
  }
  return DONE;
}

/** `contextOf` one step up, at `AssertStatement`. */
function atAssertStatement(w: Walk): Step {
  const { ctx } = w;
  ctx.negatives.push('assert');
  return DONE;
}

/** `contextOf` one step up, at `RaiseStatement` / `ThrowStatement`. */
function atRaiseStatement(w: Walk): Step {
  const { ctx, imports } = w;
  // pydantic-ai's `raise ModelRetry("Please create a SELECT query")` (in a tool or an output validator) is no error for
  // people: the agent sends its message back to the model as a retry prompt (RetryPromptPart, "…Fix the errors and try
  // again."), finding49. evidence.ts reads the call as pydantic-ai's.
  if (ctx.callees.length === 1 && /(^|\.)ModelRetry$/.test(ctx.callees[0]) && [...imports].some((m) => /^pydantic_ai(\.|$)/.test(m))) return DONE;
  ctx.negatives.push('raise');
  return DONE;
}

/** `contextOf` one step up, at `TaggedTemplateExpression`. */
function atTaggedTemplateExpression(w: Walk): Step {
  const { src, unit, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  const tag = textOf(src, parent.firstChild ?? parent).replace(/\s+/g, '');
  const reshaper = tag === 'stripIndents' || tag === 'stripIndent' || tag === 'dedent';
  // A value interpolated into a reshaped template (Continue's `dedent\`… - ${RULES.join("\n- ")}\``) is part of its text.
  if (reshaper && !same(child, unit) && child.name === 'TemplateString' && same(child, parent.lastChild ?? child)) return UP;
  // `String.raw` gives its template's text as written (decoded raw: literals.ts): the tagged expression is the text, so a
  // `.trim()` after it reshapes the prompt (paloma's `systemPrompt = String.raw\`…\`.trim()`).
  if (tag === 'String.raw' && same(child, unit) && same(child, w.textNode)) {
    w.textNode = parent;
    return UP;
  }
  if (TAGS_NOT_PROMPTS.test(tag) || !same(child, unit)) ctx.negatives.push('taggedTemplate');
  // common-tags' (and bolt.new's own) indentation strippers, and the `dedent` tag (the npm package, or Continue's
  // own in core/util): they only reshape the text, so the model gets it without the code's indent.
  else if (ctx.callees.length === 0 && reshaper) ctx.dedent = tag;
  return UP;
}

/** `contextOf` one step up, at `TypeAnnotation` / `LiteralType` / `TypeDef` / `UnionType` / `TypeArgList` / `IndexedType`. */
function atTypeAnnotation(w: Walk): Step {
  const { src, lang, ctx } = w;
  const parent = w.parent as SyntaxNode;
  // Pydantic's `query: Annotated[str, Field(description="…")]` puts the field's description in the annotation:
  // metadata of the type, sent with the schema like `query: str = Field(description="…")` (opengpts' tools.py).
  if (lang === 'python' && parent.name === 'TypeDef' && ctx.callees[0] === 'Field' && ctx.callees.length === 1) return UP;
  if (lang === 'python' && parent.name === 'TypeDef' && ctx.callees.length === 0) {
    const described = annotatedParamOfTool(src, parent);
    if (described) {
      ctx.tool = described;
      return DONE;
    }
  }
  ctx.negatives.push('typePosition');
  return DONE;
}

/** `contextOf` one step up, at `ImportDeclaration` / `ExportDeclaration` / `ImportStatement` / `SwitchStatement` / `CaseLabel` / `Decorator`. */
function atImportDeclaration(w: Walk): Step {
  const { lang, ctx } = w;
  const child = w.child;
  const parent = w.parent as SyntaxNode;
  if (parent.name === 'Decorator' && lang === 'javascript' && child.name === 'CallExpression' && TOOL_DECORATOR.test(ctx.callees[ctx.callees.length - 1] ?? '')) return DONE;
  if (parent.name !== 'ExportDeclaration') ctx.negatives.push('subscript');
  if (parent.name === 'ExportDeclaration') return UP;
  return DONE;
}

/** `contextOf` one step up, at `JSXAttribute` / `JSXElement` / `JSXEscape`. */
function atJSXAttribute(w: Walk): Step {
  const { ctx } = w;
  ctx.negatives.push('ui');
  return UP;
}


/** A message's role as written: a quoted role, or smolagents' `MessageRole.USER` / `MessageRole.TOOL_RESPONSE`. */
const ROLE_WRITTEN = String.raw`(?:["'](system|user|assistant|developer)["']|(MessageRole\.[A-Z_]+))`;

/**
 * A Python local that the same function, after binding it, sends as a role message's content (`ChatMessage(role=…,
 * content=[{"type": "text", "text": name}])`, `{"role": "user", "content": name}`), itself or through a name it is added
 * or assigned to whole (`message_content += error_message`), two steps at most: smolagents' memory.py builds the retry
 * instruction of a failed step, "Error:\n{error}\nNow let's retry: take care not to repeat previous errors! …", in
 * `error_message` and sends it as a `MessageRole.TOOL_RESPONSE` message (newuser46: not found).
 */
function noteLocalMessageContent(src: string, ctx: LiteralContext, statement: SyntaxNode): void {
  const name = ctx.boundName;
  if (name === undefined || !/^[A-Za-z_]\w*$/.test(name)) return;
  let fn: SyntaxNode | null = statement.parent;
  while (fn && !FUNCTION_NODES.has(fn.name)) fn = fn.parent;
  if (!fn) return;
  const after = src.slice(statement.to, fn.to);
  if (!after.includes('role') || !after.includes('content')) return;
  const names = [name];
  for (let hop = 0; hop < 2; hop++) {
    const m = new RegExp(String.raw`^[ \t]*([A-Za-z_]\w*)[ \t]*\+?=[ \t]*${names[names.length - 1]}[ \t]*(?:#.*)?$`, 'm').exec(after);
    if (!m || names.includes(m[1])) break;
    names.push(m[1]);
  }
  for (const n of names) {
    const sent = new RegExp(String.raw`\brole["']?\s*[:=]\s*${ROLE_WRITTEN}\s*,\s*["']?content["']?\s*[:=]\s*(?:${n}\s*[,})\]]|\[[^[\]]{0,400}?["']?type["']?\s*[:=]\s*["']text["']\s*,\s*["']?text["']?\s*[:=]\s*${n}\s*[,})\]])`).exec(after);
    if (sent) {
      ctx.sentAsContent = sent[1] ?? sent[2];
      // (Not grown before it is sent: `message_content += error_message` makes it more than this literal.)
      if (n === name && !new RegExp(String.raw`^[ \t]*${name}[ \t]*\+=`, 'm').test(after)) ctx.wholeLocalMessage = true;
      return;
    }
  }
}

/**
 * A local the same function then returns or sends as a message's content by the shorthand property (`const content = …;
 * return { role: "system", content };`, stagehand's prompt.ts, held-out round 9): the content of that message. Only in
 * the function that binds it, after the binding (a file-wide name such as `content` is bound in many functions).
 */
function noteShorthandContent(src: string, ctx: LiteralContext, declaration: SyntaxNode): void {
  const name = ctx.boundName;
  if (name === undefined || !/^[A-Za-z_$][\w$]*$/.test(name)) return;
  let fn: SyntaxNode | null = declaration.parent;
  while (fn && !FUNCTION_NODES.has(fn.name)) fn = fn.parent;
  if (!fn) return;
  const after = src.slice(declaration.to, fn.to);
  // (The pattern below needs both words: without them no pattern is built. Most bound literals are in no message.)
  if (!after.includes('role') || !after.includes(name)) return;
  const id = name.replace(/\$/g, '\\$');
  const m = new RegExp(String.raw`\brole\s*:\s*["'](system|user|assistant|developer)["']\s*,\s*${id}\s*[,}]`).exec(after);
  if (m) ctx.sentAsContent = m[1];
}
