/**
 * Prompts in Python and TypeScript/JavaScript source, from a Lezer syntax tree.
 *
 * Why Lezer (@lezer/python, @lezer/javascript) rather than the TypeScript compiler API,
 * Babel or tree-sitter: the grammars are real LR parsers with error recovery (a file in
 * the middle of an edit still yields a tree), they parse TypeScript, JSX and Python with
 * one tree API, they are pure JavaScript (no wasm to locate at run time, so they bundle
 * into dist/*.js as-is), and together they add about 150 KB to a bundle, where the
 * `typescript` package would add about 9 MB to each of the three bundles and
 * @babel/parser about 1.8 MB for JavaScript alone. Each grammar is loaded on first use.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import { ASSERT_CALLEE, CLIENT_SEND_CALLEE, ERROR_CALLEE, HUMAN_INPUT_CALLEE, LOG_CALLEE, roleKind, type LiteralContext, type ModelRef } from './evidence';
import { decodeJavaScript, decodePython, literalText, type DecodedLiteral } from './literals';
import { literalLeftOpen } from './unclosed';
import { joinedCandidate, joinedListOf, localChainHead } from './joined';
import { loadJavaScriptParser, loadPythonParser } from './parsers';
import type { Candidate } from './candidate';
import { resolveCandidateModels } from './models';
import { ternaryChoice } from './ternary';

type Lang = 'python' | 'javascript';

const STRING_NODES = new Set(['String', 'FormatString', 'TemplateString']);
/** Calls that only reshape the text they are given (indentation): a literal passed to one is where the call is. */
const TEXT_WRAPPERS = /^(textwrap\.dedent|dedent|inspect\.cleandoc|cleandoc|stripIndent|outdent)$/;
const FUNCTION_NODES = new Set(['FunctionDefinition', 'LambdaExpression', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration']);

/**
 * `system += …` after a literal bound to `system` in the same function: the prompt sent is longer
 * than the literal (by text appended in branches or loops), so its count is a lower bound. Named
 * `system += …`, without a line, so that it stays true when lines above the function move.
 */
function appendedLater(src: string, unit: SyntaxNode, ctx: LiteralContext): string | undefined {
  const name = ctx.boundName;
  if (!ctx.scope || ctx.topLevel || !name || !/^[A-Za-z_$][\w$]{0,60}$/.test(name)) return undefined;
  const body = src.slice(unit.to, ctx.scope.to);
  if (!body.includes('+=')) return undefined;
  return new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}\\s*\\+=`).test(body) ? `${name} += …` : undefined;
}

/** The extent of the innermost function around a node: a variable assigned there is local to it. */
function enclosingFunction(node: SyntaxNode): { from: number; to: number } | undefined {
  for (let p = node.parent; p; p = p.parent) if (FUNCTION_NODES.has(p.name)) return { from: p.from, to: p.to };
  return undefined;
}

// (Statements only: a ternary's branch is read by ternary.ts, which knows a constant condition.)
const CONDITIONAL_NODES = new Set(['IfStatement', 'ForStatement', 'WhileStatement', 'TryStatement', 'SwitchStatement', 'ForInStatement', 'ForOfStatement']);

/** The innermost branch or loop around `node` inside its function (EvidenceContext.conditional). */
function enclosingConditional(node: SyntaxNode): { from: number; to: number } | undefined {
  for (let p = node.parent; p && !FUNCTION_NODES.has(p.name); p = p.parent) if (CONDITIONAL_NODES.has(p.name)) return { from: p.from, to: p.to };
  return undefined;
}
const MODEL_KEYS = /^(model|model_?name|model_?id|modelId|engine|deployment_?name|deployment|azure_deployment)$/;
const TAGS_NOT_PROMPTS = /^(sql|gql|graphql|css|html|svg|md|markdown|styled\.\w+|keyframes|injectGlobal|createGlobalStyle|String\.raw)$/;

/** Lezer hands out a fresh node object on every navigation, so nodes are compared by position and type. */
function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  return !!a && !!b && a.from === b.from && a.to === b.to && a.name === b.name;
}

function textOf(src: string, node: SyntaxNode): string {
  return src.slice(node.from, node.to);
}

/** Collapses whitespace inside a callee so `client.chat\n  .completions.create` matches the API patterns. */
function calleeText(src: string, call: SyntaxNode): string {
  let callee = call.firstChild;
  if (callee && callee.name === 'new') callee = callee.nextSibling;
  if (!callee || callee.name === 'ArgList') return '';
  const t = textOf(src, callee);
  return (t.length > 200 ? t.slice(-200) : t).replace(/\s+/g, '').replace(/\?\./g, '.').replace(/<[^()]*>$/, '');
}

/** The plain value of a short literal or name used as a key, role or model name. */
function simpleValue(src: string, node: SyntaxNode | null, lang: Lang): string | undefined {
  if (!node) return undefined;
  if (node.name === 'String') return literalText(src, node.from, node.to, lang);
  if (node.name === 'TemplateString' && !node.firstChild) return literalText(src, node.from, node.to, 'javascript');
  if (/^(VariableName|PropertyName|PropertyDefinition|MemberExpression|VariableDefinition)$/.test(node.name)) {
    const t = textOf(src, node);
    return t.length <= 80 ? t : undefined;
  }
  return undefined;
}

/** The model named by a `model` argument or property value: a string, or `openai("gpt-4o")`. */
function modelValue(src: string, node: SyntaxNode | null, lang: Lang): ModelRef | undefined {
  if (!node) return undefined;
  let lit: SyntaxNode | null = node;
  if (node.name === 'CallExpression') {
    const args = node.getChild('ArgList');
    lit = args?.getChild('String') ?? null;
  }
  if (!lit || lit.name !== 'String') return undefined;
  const name = simpleValue(src, lit, lang);
  if (!name || name.length > 120 || /\s/.test(name)) return undefined;
  return { name, start: lit.from, end: lit.to };
}

/** Finds `model=` (Python) or `model:` (object literals) among a call's arguments. */
function modelInArgs(src: string, args: SyntaxNode, lang: Lang): ModelRef | undefined {
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (lang === 'python' && c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && MODEL_KEYS.test(textOf(src, c))) {
      const m = modelValue(src, c.nextSibling.nextSibling, lang);
      if (m) return m;
    }
    if (lang === 'javascript' && c.name === 'ObjectExpression') {
      const m = modelInObject(src, c, lang);
      if (m) return m;
    }
    if (lang === 'python' && c.name === 'DictionaryExpression') {
      const m = modelInDict(src, c, lang);
      if (m) return m;
    }
  }
  // A model given first by position: `GenerativeModel("gemini-1.5-pro")`, `Agent("openai:gpt-4o", …)`.
  const first = args.firstChild?.nextSibling;
  if (first?.name === 'String') {
    const m = modelValue(src, first, lang);
    if (m && /^(openai:|anthropic:|google[-\w]*:|groq:|ollama:)?(gpt-|o[134]\b|o[134]-|claude|gemini|llama|mistral|mixtral|command|deepseek|qwen|grok|phi-|chatgpt|text-davinci)/i.test(m.name)) return m;
  }
  return undefined;
}

function modelInObject(src: string, obj: SyntaxNode, lang: Lang): ModelRef | undefined {
  for (const prop of obj.getChildren('Property')) {
    const key = prop.firstChild;
    if (key && MODEL_KEYS.test(simpleValue(src, key, lang) ?? '')) {
      const m = modelValue(src, prop.lastChild, lang);
      if (m) return m;
    }
  }
  return undefined;
}

function modelInDict(src: string, dict: SyntaxNode, lang: Lang): ModelRef | undefined {
  for (let c = dict.firstChild; c; c = c.nextSibling) {
    if (c.name === 'String' && c.nextSibling?.name === ':' && MODEL_KEYS.test(simpleValue(src, c, lang) ?? '')) {
      const m = modelValue(src, c.nextSibling.nextSibling, lang);
      if (m) return m;
    }
  }
  return undefined;
}

/** The role sibling in a Python dict `{"role": …, "content": …}`. */
function roleInDict(src: string, dict: SyntaxNode, lang: Lang): string | undefined {
  for (let c = dict.firstChild; c; c = c.nextSibling) {
    if (c.name === 'String' && c.nextSibling?.name === ':' && simpleValue(src, c, lang) === 'role') {
      return simpleValue(src, c.nextSibling.nextSibling, lang);
    }
  }
  return undefined;
}

function roleInObject(src: string, obj: SyntaxNode, lang: Lang): string | undefined {
  for (const prop of obj.getChildren('Property')) {
    if (simpleValue(src, prop.firstChild, lang) === 'role') return simpleValue(src, prop.lastChild, lang);
  }
  return undefined;
}

/** Name of the function whose body holds `node` (for literals that are returned). */
function enclosingFunctionName(src: string, node: SyntaxNode): string | undefined {
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

function lastName(target: string): string {
  // Subscripts are not names: `messages[messages.length - 1].content` is `content`, `x[len(x) - 1]` is `x`.
  let bare = target;
  for (let i = 0; i < 4 && /\[[^[\]]*\]/.test(bare); i++) bare = bare.replace(/\[[^[\]]*\]/g, '');
  const parts = bare.split('.');
  return parts[parts.length - 1].replace(/\[.*$/, '');
}

function positionalIndex(args: SyntaxNode, child: SyntaxNode): number {
  let index = 0;
  for (let c = args.firstChild; c && !same(c, child); c = c.nextSibling) if (c.name === ',') index++;
  return index;
}

function isDocstringPosition(stmt: SyntaxNode): boolean {
  const container = stmt.parent;
  if (!container) return false;
  for (let c = container.firstChild; c; c = c.nextSibling) {
    if (c.name === ':' || c.name === 'Comment') continue;
    return c.from === stmt.from;
  }
  return false;
}

interface ToolNames {
  /** Functions listed in a tools list (`functions=[f, g]`, `TOOLS = [f]`). */
  listed: Set<string>;
  /** Functions passed as the instructions of an agent (`instructions=custom_instructions`): what they return is the system prompt. */
  instructionFns: Set<string>;
  /** Variables passed as the input of an agent run (`Runner.run(agent, user_message)`), with the callee. */
  sent: Map<string, string>;
  /** Variables given as the content of a role message (`{"role": "user", "content": grading}`), with the role. */
  content: Map<string, string>;
  /** Classes passed as a response model or output type. */
  schemas: Set<string>;
  argsSchemas: Set<string>;
  /** Classes used as return annotations (`-> Weather`). */
  returned: Set<string>;
}

let toolNamesCache: { src: string; names: ToolNames } | undefined;

/** Names the file registers as tools or schemas, found once per source text. */
function toolNames(src: string): ToolNames {
  if (toolNamesCache?.src === src) return toolNamesCache.names;
  const names: ToolNames = { listed: new Set(), instructionFns: new Set(), sent: new Map(), content: new Map(), schemas: new Set(), argsSchemas: new Set(), returned: new Set() };
  // `{"role": "user", "content": grading}`, `{ role: 'user', content: prompt }`, `dict(role="user", content=prompt)`, either order.
  if (/\brole\b/.test(src)) {
    for (const m of src.matchAll(/["']?role["']?\s*[:=]\s*["'](system|user|assistant|developer)["']\s*,\s*["']?content["']?\s*[:=]\s*([A-Za-z_$][\w$]*)\s*[,})]/g)) names.content.set(m[2], m[1]);
    for (const m of src.matchAll(/["']?content["']?\s*[:=]\s*([A-Za-z_$][\w$]*)\s*,\s*["']?role["']?\s*[:=]\s*["'](system|user|assistant|developer)["']/g)) names.content.set(m[1], m[2]);
  }
  // `instructions=fn` / `instructions: fn` / `system_prompt=fn`: a bare name (not a call, not an attribute) given as the instructions.
  for (const m of src.matchAll(/\b(?:instructions|system_prompt|systemPrompt)\s*[=:]\s*([A-Za-z_$][\w$]*)\s*(?=[,)}\n])/g)) if (!/^(None|null|undefined|True|False|true|false)$/.test(m[1])) names.instructionFns.add(m[1]);
  // The input of an agent run given as a variable: `Runner.run(agent, msg)`, `run(agent, msg)`, `agent.run_sync(msg)`.
  for (const m of src.matchAll(/(?<![\w.$])((?:Runner\.)?run(?:_sync|_streamed)?)\(\s*[A-Za-z_$][\w$.]*\s*,\s*([A-Za-z_$][\w$]*)\s*[,)]/g)) names.sent.set(m[2], m[1]);
  // (Only in files that mention an agent: this runs on every edit, and `\w*agent` backtracks at every word.)
  if (/agent/i.test(src)) for (const m of src.matchAll(/\b(\w*agent\w*\.(?:run|arun|run_sync|run_stream))\(\s*([A-Za-z_$][\w$]*)\s*[,)]/gi)) names.sent.set(m[2], m[1]);
  // The names in a tools list, and those wrapped by a call in it (`Tool.from_function(search)`), but not
  // a spread list or an attribute (`tools = [*template.tools, *tools]` lists no function named tools).
  for (const m of src.matchAll(/\b(?:tools|functions|TOOLS|FUNCTIONS|tool_list)\b\s*(?::[^=\n]*)?=\s*\[([^\]]{0,2000})\]/g)) for (const n of m[1].matchAll(/(?<![\w.*])\w+/g)) names.listed.add(n[0]);
  for (const m of src.matchAll(/\b(response_model|output_type|response_format|text_format|output_schema|result_type|args_schema)\s*(?::[^=\n]*)?=\s*(\w+)|with_structured_output\(\s*(\w+)/g)) {
    if (m[1] === 'args_schema') names.argsSchemas.add(m[2]);
    else names.schemas.add(m[2] ?? m[3]);
  }
  for (const m of src.matchAll(/->\s*(\w+)/g)) names.returned.add(m[1]);
  toolNamesCache = { src, names };
  return names;
}

/**
 * Why the descriptions of a `Field(…)` are not sent to a model, if they are not: its class is
 * used only as a return annotation (`-> Weather`), or it is a settings or options class
 * (`class SharedOptions(llm.Options)`, `class Settings(BaseSettings)`: their descriptions are
 * the help of a CLI or a config file). Not when the file passes the class as a schema.
 */
function fieldNotSent(src: string, node: SyntaxNode): 'returnType' | 'settings' | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (p.name !== 'ClassDefinition') continue;
    const name = textOf(src, p.getChild('VariableName') ?? p);
    if (!/^\w+$/.test(name)) return undefined;
    const names = toolNames(src);
    if (names.schemas.has(name) || names.argsSchemas.has(name)) return undefined;
    if (names.returned.has(name)) return 'returnType';
    const bases = p.getChild('ArgList');
    return /(Options|Settings|Config)$/.test(name) || (bases && /\b(Options|BaseSettings|Settings)\b/.test(textOf(src, bases))) ? 'settings' : undefined;
  }
  return undefined;
}

/** The keyword-argument names of a call's argument list. */
function noteArgSiblings(src: string, args: SyntaxNode, ctx: LiteralContext, memo: ContainerMemo): void {
  if (ctx.siblingKeys !== undefined) return;
  const keys = memo.of(args, 'argKeys', () => {
    const found: string[] = [];
    for (let c = args.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') found.push(textOf(src, c));
    return found;
  });
  ctx.siblingKeys = [...keys];
}

/**
 * What `contextOf` reads from a call's arguments, a dict or an object (its keys, its role, its
 * model), found once per container in a scan: every literal inside the container asks again,
 * and each answer walks all its entries. Keyed by the container's extent (each fact belongs to
 * one kind of container). Callers copy what they change.
 */
class ContainerMemo {
  private readonly facts = new Map<string, Map<number, { to: number; value: unknown }>>();

  of<T>(container: SyntaxNode, fact: string, compute: () => T): T {
    let byStart = this.facts.get(fact);
    if (!byStart) this.facts.set(fact, (byStart = new Map<number, { to: number; value: unknown }>()));
    const known = byStart.get(container.from);
    if (known && known.to === container.to) return known.value as T;
    const value = compute();
    byStart.set(container.from, { to: container.to, value });
    return value;
  }
}

/** The value of keyword argument `name` in a Python call's argument list. */
function kwargValue(src: string, args: SyntaxNode, name: string, lang: Lang): string | undefined {
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && textOf(src, c) === name) return simpleValue(src, c.nextSibling.nextSibling, lang);
  }
  return undefined;
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

/**
 * A docstring the model reads as a tool description: the docstring of a function decorated as
 * a tool (`@tool`, `@function_tool`, `@agent.tool`, `@mcp.tool()`) or listed in a tools list of
 * the same file (`functions=[f]`, `TOOLS = [f]`), or of a class passed as a response model or
 * tool schema (`response_model=Cls`, `args_schema=Cls`, `output_type=Cls`).
 */
function toolDocstring(src: string, stmt: SyntaxNode): string | undefined {
  const def = stmt.parent?.parent;
  if (!def || (def.name !== 'FunctionDefinition' && def.name !== 'ClassDefinition')) return undefined;
  const name = simpleValue(src, def.getChild('VariableName'), 'python');
  if (!name) return undefined;
  const decorators = def.parent?.name === 'DecoratedStatement' ? def.parent.getChildren('Decorator').map((d) => textOf(src, d)).join('\n') : '';
  if (def.name === 'FunctionDefinition') {
    if (/@([\w.]*\.)?(tool|tool_plain|function_tool|register_tool|kernel_function)\b/.test(decorators)) return `the docstring of the tool ${name}`;
    if (toolNames(src).listed.has(name)) return `the docstring of ${name}, listed as a tool`;
    return undefined;
  }
  return toolNames(src).schemas.has(name) ? `the docstring of ${name}, a schema sent to the model` : undefined;
}

/** A literal bound to a variable that the file passes as the input of an agent run. */
function noteSent(src: string, ctx: LiteralContext): void {
  const callee = ctx.boundName !== undefined ? toolNames(src).sent.get(ctx.boundName) : undefined;
  if (callee) ctx.sentTo = callee;
  const role = ctx.boundName !== undefined ? toolNames(src).content.get(ctx.boundName) : undefined;
  if (role) ctx.sentAsContent = role;
}

/** String attributes of a class of prompts, and the `description` of a tool class. */
function noteClassAttribute(src: string, stmt: SyntaxNode, target: string, ctx: LiteralContext): void {
  const cls = stmt.parent?.parent;
  if (!cls || cls.name !== 'ClassDefinition') return;
  const name = textOf(src, cls.getChild('VariableName') ?? cls);
  const bases = textOf(src, cls.getChild('ArgList') ?? cls.getChild('VariableName') ?? cls);
  if (/^description$/.test(target) && /Tool\b/.test(bases)) ctx.tool = `the description of the tool class ${name}`;
  else if (/Prompts?$/.test(name) && !/^(name|id|type|model|version|path|encoding|fence)$/i.test(target)) ctx.promptHolder = `an attribute of the prompt class ${name}`;
}

/** Describes where a literal (or a concatenation `unit`) sits. */
function contextOf(src: string, unit: SyntaxNode, lang: Lang, imports: ReadonlySet<string>, memo: ContainerMemo = new ContainerMemo()): LiteralContext {
  const ctx: LiteralContext = { keys: [], callees: [], negatives: [], imports };
  let child = unit;
  let parent = unit.parent;
  let hops = 0;
  const noteModel = (m: ModelRef | undefined): void => {
    if (m && !ctx.model) ctx.model = m;
  };
  while (parent && hops++ < 24) {
    switch (parent.name) {
      case 'ArgList': {
        const call = parent.parent;
        if (!call) return ctx;
        const callee = calleeText(src, call);
        if (TEXT_WRAPPERS.test(callee) && same(child, unit) && positionalIndex(parent, child) === 0) {
          // `textwrap.dedent("…")` only reshapes the text: the literal is where the call is (and it is counted dedented).
          if (lang === 'python' && ctx.callees.length === 0 && /^(?:textwrap\.)?dedent$/.test(callee)) ctx.dedent = 'textwrap.dedent';
          child = call;
          parent = call.parent;
          continue;
        }
        if (lang === 'python' && callee === 'Field' && ctx.callees.length === 0) {
          const notSent = fieldNotSent(src, parent);
          if (notSent) ctx.negatives.push(notSent);
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
            ctx.messageList = { id: call.parent.from, index: call.parent.getChildren('CallExpression').findIndex((d) => d.from === call.from) };
          }
          child = call;
          parent = call.parent;
          continue;
        }
        if (ctx.callees.length === 0) noteArgSiblings(src, parent, ctx, memo);
        // The nearest call sends the literal (or the message holding it) to a client.
        if (ctx.callees.length === 0 && CLIENT_SEND_CALLEE.test(callee)) ctx.negatives.push('client');
        if (lang === 'javascript' && ctx.callees.length === 0 && same(child, unit) && /\.describe$/.test(callee) && hasZodImport(imports)) ctx.tool ??= 'a zod .describe() of a schema sent to the model';
        if (ctx.callees.length === 0) {
          const prev = child.prevSibling;
          if (lang === 'python' && prev?.name === 'AssignOp' && prev.prevSibling?.name === 'VariableName') ctx.keys.push(textOf(src, prev.prevSibling));
          if (same(child, unit)) {
            ctx.direct = true;
            if (prev?.name !== 'AssignOp') ctx.argIndex = positionalIndex(parent, child);
          }
          if (LOG_CALLEE.test(callee)) ctx.negatives.push('log');
          else if (ERROR_CALLEE.test(callee) && !/Message$/.test(callee)) ctx.negatives.push('raise');
          else if (ASSERT_CALLEE.test(callee)) ctx.negatives.push('assert');
          else if (HUMAN_INPUT_CALLEE.test(callee)) ctx.negatives.push('ui');
        } else if (lang === 'python' && child.prevSibling?.name === 'AssignOp' && child.prevSibling.prevSibling?.name === 'VariableName') {
          ctx.keys.push(textOf(src, child.prevSibling.prevSibling));
        }
        if (lang === 'python' && ctx.callees.length === 0 && ctx.direct === true && ctx.argIndex === 0 && /^(?:textwrap\.)?dedent$/.test(callee)) ctx.dedent = 'textwrap.dedent';
        ctx.callees.push(callee);
        const args = parent;
        noteModel(memo.of(args, 'argModel', () => modelInArgs(src, args, lang)));
        child = call;
        parent = call.parent;
        continue;
      }
      case 'DictionaryExpression': {
        if (child.nextSibling?.name === ':') {
          ctx.negatives.push('subscript');
          return ctx;
        }
        const colon = child.prevSibling;
        if (colon?.name === ':') {
          const key = simpleValue(src, colon.prevSibling, lang);
          if (key !== undefined) ctx.keys.push(key);
        }
        const dict = parent;
        const toolResults = memo.of(dict, 'dictToolResults', () => {
          let n = 0;
          for (let c = dict.firstChild; c; c = c.nextSibling) {
            if (c.name === 'String' && c.nextSibling?.name === ':' && simpleValue(src, c, lang) === 'type' && /^(tool_result|function_call_output)$/.test(simpleValue(src, c.nextSibling.nextSibling, lang) ?? '')) n++;
          }
          return n;
        });
        for (let i = 0; i < toolResults; i++) ctx.negatives.push('toolResult');
        if (ctx.siblingKeys === undefined) {
          const keys = memo.of(dict, 'dictKeys', () => {
            const found: string[] = [];
            for (let c = dict.firstChild; c; c = c.nextSibling) if (c.nextSibling?.name === ':' && c.name === 'String') found.push(simpleValue(src, c, lang) ?? '');
            return found;
          });
          ctx.siblingKeys = [...keys];
        }
        if (ctx.role === undefined) ctx.role = memo.of(dict, 'dictRole', () => roleInDict(src, dict, lang));
        noteModel(memo.of(dict, 'dictModel', () => modelInDict(src, dict, lang)));
        if (parent.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
          ctx.messageList = { id: parent.parent.from, index: parent.parent.getChildren('DictionaryExpression').findIndex((d) => d.from === parent?.from) };
        }
        break;
      }
      case 'Property': {
        if (same(child, parent.firstChild)) {
          ctx.negatives.push('subscript');
          return ctx;
        }
        const key = simpleValue(src, parent.firstChild, lang);
        if (key !== undefined) ctx.keys.push(key);
        const obj = parent.parent;
        if (obj?.name === 'ObjectExpression' && ctx.siblingKeys === undefined) ctx.siblingKeys = [...memo.of(obj, 'objectKeys', () => obj.getChildren('Property').map((p) => simpleValue(src, p.firstChild, lang) ?? ''))];
        if (obj?.name === 'ObjectExpression') {
          // `{ type: 'tool_result', content: '…' }` is what a tool returned, as in a Python dict.
          if (memo.of(obj, 'objectToolResult', () => obj.getChildren('Property').some((p) => simpleValue(src, p.firstChild, lang) === 'type' && /^(tool_result|function_call_output)$/.test(simpleValue(src, p.lastChild, lang) ?? '')))) ctx.negatives.push('toolResult');
          if (ctx.role === undefined) ctx.role = memo.of(obj, 'objectRole', () => roleInObject(src, obj, lang));
          noteModel(memo.of(obj, 'objectModel', () => modelInObject(src, obj, lang)));
          if (obj.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
            ctx.messageList = { id: obj.parent.from, index: obj.parent.getChildren('ObjectExpression').findIndex((o) => o.from === obj.from) };
          }
          child = obj;
          parent = obj.parent;
          continue;
        }
        break;
      }
      case 'TupleExpression': {
        // LangChain's ("system", "…") message tuples.
        const first = parent.firstChild?.nextSibling;
        if (first && !same(first, child) && first.name === 'String' && same(child.prevSibling?.prevSibling, first)) {
          const role = simpleValue(src, first, lang);
          if (role && /^(system|human|user|ai|assistant|placeholder|developer)$/.test(role) && ctx.role === undefined) ctx.role = role;
          if (parent.parent?.name === 'ArrayExpression' && ctx.messageList === undefined) {
            ctx.messageList = { id: parent.parent.from, index: parent.parent.getChildren('TupleExpression').findIndex((t) => t.from === parent?.from) };
          }
        }
        break;
      }
      case 'ArrayExpression': {
        // JavaScript ['system', '…'] pairs, as LangChain.js accepts.
        if (lang === 'javascript') {
          const items = parent.getChildren('String');
          if (items.length === 2 && items[1].from === child.from) {
            const role = simpleValue(src, items[0], lang);
            if (role && /^(system|human|user|ai|assistant|developer)$/.test(role) && ctx.role === undefined) ctx.role = role;
          }
        }
        break;
      }
      case 'MemberExpression': {
        const prev = child.prevSibling;
        if (prev?.name === '[' || prev?.name === '?.') {
          ctx.negatives.push('subscript');
          return ctx;
        }
        if (same(child, parent.firstChild)) {
          const prop = textOf(src, parent.lastChild ?? parent);
          // (`"…".strip()`, `.replace("{x}", x)` and `.trim()` reshape or fill the text: the literal is where the call is.)
          if (/^(join|split|startswith|endswith|startsWith|endsWith|includes|indexOf|encode|match|test|search)$/.test(prop)) {
            ctx.negatives.push('separator');
            return ctx;
          }
        }
        break;
      }
      case 'BinaryExpression': {
        if (parent.getChild('CompareOp') || /^(in|not|is|instanceof)$/.test(textOf(src, child.prevSibling ?? parent))) ctx.negatives.push('comparison');
        if (parent.getChild('as') || parent.getChild('satisfies')) break;
        break;
      }
      case 'AssignStatement': {
        const op = child.prevSibling;
        if (op?.name === 'AssignOp' || op?.name === 'UpdateOp') {
          const target = parent.firstChild;
          if (target && ctx.callees.length === 0) {
            if (parent.parent?.name === 'Script') ctx.topLevel = true;
            ctx.boundName ??= lastName(textOf(src, target));
            if (/^[A-Za-z_]\w*$/.test(textOf(src, target))) noteSent(src, ctx);
          }
          if (target && ctx.messageList && ctx.listName === undefined) ctx.listName = lastName(textOf(src, target));
          if (target && ctx.callees.length === 0 && same(child, unit.parent?.name === 'ParenthesizedExpression' ? unit.parent : unit)) noteClassAttribute(src, parent, textOf(src, target), ctx);
        }
        return ctx;
      }
      case 'VariableDeclaration': {
        let def: SyntaxNode | null = child.prevSibling;
        while (def && def.name !== 'VariableDefinition' && def.name !== 'ObjectPattern' && def.name !== 'ArrayPattern') def = def.prevSibling;
        if (def?.name === 'VariableDefinition' && ctx.callees.length === 0) {
          if (parent.parent?.name === 'Script' || parent.parent?.parent?.name === 'Script') ctx.topLevel = true;
          ctx.boundName ??= textOf(src, def);
          noteSent(src, ctx);
        }
        return ctx;
      }
      case 'PropertyDeclaration': {
        const def = parent.getChild('PropertyDefinition');
        if (def && ctx.callees.length === 0) ctx.boundName ??= textOf(src, def);
        return ctx;
      }
      case 'AssignmentExpression': {
        const target = parent.firstChild;
        if (target && !same(target, child) && ctx.callees.length === 0) ctx.boundName ??= lastName(textOf(src, target));
        return ctx;
      }
      case 'ReturnStatement':
      case 'ArrowFunction': {
        if (parent.name === 'ArrowFunction' && !same(child, parent.lastChild)) return ctx;
        const name = enclosingFunctionName(src, parent.name === 'ArrowFunction' ? (parent.firstChild ?? parent) : parent);
        if (name && ctx.callees.length === 0) ctx.boundName ??= name;
        if (name && ctx.callees.length === 0 && toolNames(src).instructionFns.has(name)) ctx.promptHolder = `returned by ${name}, which is passed as an agent's instructions`;
        if (lang === 'python' && ctx.callees.length === 0) {
          const decorators = decoratorsOf(src, parent);
          const m = /@[\w.]*\.(instructions|system_prompt)\b/.exec(decorators);
          if (m) ctx.promptHolder = `returned by an @${m[1]} function`;
        }
        return ctx;
      }
      case 'ExpressionStatement': {
        if (same(child, unit)) {
          const docstring = lang === 'python' && isDocstringPosition(parent);
          const tool = docstring ? toolDocstring(src, parent) : undefined;
          if (tool) ctx.tool = tool;
          else ctx.negatives.push(docstring ? 'docstring' : 'bareExpression');
        }
        return ctx;
      }
      case 'AssertStatement':
        ctx.negatives.push('assert');
        return ctx;
      case 'RaiseStatement':
      case 'ThrowStatement':
        ctx.negatives.push('raise');
        return ctx;
      case 'TaggedTemplateExpression': {
        const tag = textOf(src, parent.firstChild ?? parent).replace(/\s+/g, '');
        if (TAGS_NOT_PROMPTS.test(tag) || !same(child, unit)) ctx.negatives.push('taggedTemplate');
        // common-tags' (and bolt.new's own) indentation strippers, and the `dedent` tag (the npm package, or Continue's
        // own in core/util): they only reshape the text, so the model gets it without the code's indent.
        else if (ctx.callees.length === 0 && (tag === 'stripIndents' || tag === 'stripIndent' || tag === 'dedent')) ctx.dedent = tag;
        break;
      }
      case 'TypeAnnotation':
      case 'LiteralType':
      case 'TypeDef':
      case 'UnionType':
      case 'TypeArgList':
      case 'IndexedType':
        ctx.negatives.push('typePosition');
        return ctx;
      case 'ImportDeclaration':
      case 'ExportDeclaration':
      case 'ImportStatement':
      case 'SwitchStatement':
      case 'CaseLabel':
      case 'Decorator':
        if (parent.name !== 'ExportDeclaration') ctx.negatives.push('subscript');
        if (parent.name === 'ExportDeclaration') break;
        return ctx;
      case 'JSXAttribute':
      case 'JSXElement':
      case 'JSXEscape':
        ctx.negatives.push('ui');
        break;
      case 'Script':
      case 'Body':
      case 'Block':
      case 'ClassBody':
      case 'FunctionDefinition':
      case 'ClassDefinition':
        return ctx;
      default:
        break;
    }
    child = parent;
    parent = parent.parent;
  }
  return ctx;
}

export function collectImports(src: string, tree: Tree, lang: Lang): Set<string> {
  const imports = new Set<string>();
  const top = tree.topNode;
  for (let c = top.firstChild; c; c = c.nextSibling) {
    if (lang === 'python' && c.name === 'ImportStatement') {
      const t = textOf(src, c);
      const from = /^from\s+([\w.]+)/.exec(t);
      if (from) imports.add(from[1]);
      else for (const m of t.replace(/^import\s+/, '').split(',')) imports.add(m.trim().split(/\s+/)[0]);
    }
    if (lang === 'javascript') {
      const decl = c.name === 'ImportDeclaration' ? c : undefined;
      const lit = decl?.getChild('String');
      if (lit) imports.add(simpleValue(src, lit, lang) ?? '');
    }
  }
  if (lang === 'javascript') {
    // require('openai') in CommonJS files.
    const re = /\brequire\(\s*['"]([^'"]{1,100})['"]\s*\)/g;
    const head = src.length > 200_000 ? src.slice(0, 200_000) : src;
    for (let m = re.exec(head); m; m = re.exec(head)) imports.add(m[1]);
  }
  return imports;
}

function decodeNode(src: string, node: SyntaxNode, lang: Lang, tree: Tree, parser: LRParser): DecodedLiteral | undefined {
  const interpolations: Array<[number, number]> = [];
  const interpName = lang === 'python' ? 'FormatReplacement' : 'Interpolation';
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === interpName) interpolations.push([c.from, c.to]);
  const decoded = lang === 'python' ? decodePython(src, node.from, node.to, interpolations) : decodeJavaScript(src, node.from, node.to, interpolations);
  // A literal still being typed (no closing quote yet, or an interpolation left open) runs over the code after it: say so, so that nothing counts or rewrites that code as prompt text.
  if (decoded && literalLeftOpen(src, node, lang, tree, parser)) decoded.unterminated = true;
  return decoded;
}

/** The literals of a concatenation made only of literals (`"a" "b"`, `'a' + 'b'`), or undefined. */
function literalOperands(node: SyntaxNode, src: string): SyntaxNode[] | undefined {
  if (STRING_NODES.has(node.name)) return [node];
  if (node.name === 'ContinuedString') return node.getChildren('String').concat(node.getChildren('FormatString')).sort((a, b) => a.from - b.from);
  if (node.name === 'ParenthesizedExpression') {
    const inner = node.firstChild?.nextSibling;
    return inner && inner.nextSibling?.name === ')' ? literalOperands(inner, src) : undefined;
  }
  if (node.name === 'BinaryExpression') {
    const op = node.firstChild?.nextSibling;
    if (!op || op.name !== 'ArithOp' || textOf(src, op) !== '+') return undefined;
    const left = literalOperands(node.firstChild as SyntaxNode, src);
    const right = op.nextSibling ? literalOperands(op.nextSibling, src) : undefined;
    return left && right ? [...left, ...right] : undefined;
  }
  return undefined;
}

function isPlus(src: string, node: SyntaxNode): boolean {
  const op = node.firstChild?.nextSibling;
  return node.name === 'BinaryExpression' && !!op && op.name === 'ArithOp' && textOf(src, op) === '+';
}

/** The outermost `+` chain mixing literals with other expressions that `unit` is an operand of, or undefined. */
function mixedChain(unit: SyntaxNode, src: string): SyntaxNode | undefined {
  let top: SyntaxNode | undefined;
  for (let p = unit.parent; p; p = p.parent) {
    if (isPlus(src, p)) top = p;
    else if (p.name === 'ParenthesizedExpression' && p.parent && isPlus(src, p.parent)) continue;
    else break;
  }
  return top && !literalOperands(top, src) ? top : undefined;
}

/** The literal operands (or all-literal sub-concatenations) of a `+` chain, in source order. */
function chainLiterals(node: SyntaxNode, src: string): SyntaxNode[] {
  if (literalOperands(node, src)) return [node];
  if (node.name === 'ParenthesizedExpression') {
    const inner = node.firstChild?.nextSibling;
    return inner && inner.nextSibling?.name === ')' ? chainLiterals(inner, src) : [];
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = left.nextSibling?.nextSibling;
    return [...chainLiterals(left, src), ...(right ? chainLiterals(right, src) : [])];
  }
  return [];
}

/** The operands of a `+` chain that are not literals (variables, calls, any expression), in source order. */
function chainValues(node: SyntaxNode, src: string): SyntaxNode[] {
  if (literalOperands(node, src)) return [];
  if (node.name === 'ParenthesizedExpression') {
    const inner = node.firstChild?.nextSibling;
    if (inner && inner.nextSibling?.name === ')') return chainValues(inner, src);
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = left.nextSibling?.nextSibling;
    return [...chainValues(left, src), ...(right ? chainValues(right, src) : [])];
  }
  return [node];
}

/** The names of the variables (not calls, not literals) that a `+` chain concatenates. */
function chainNames(node: SyntaxNode, src: string): string[] {
  if (literalOperands(node, src)) return [];
  if (node.name === 'VariableName') return [textOf(src, node)];
  if (node.name === 'MemberExpression') {
    const t = textOf(src, node);
    return /^[\w$.]+$/.test(t) ? [lastName(t)] : [];
  }
  if (node.name === 'ParenthesizedExpression') {
    const inner = node.firstChild?.nextSibling;
    return inner && inner.nextSibling?.name === ')' ? chainNames(inner, src) : [];
  }
  if (isPlus(src, node)) {
    const left = node.firstChild as SyntaxNode;
    const right = left.nextSibling?.nextSibling;
    return [...chainNames(left, src), ...(right ? chainNames(right, src) : [])];
  }
  return [];
}

/** The outermost concatenation of literals that `node` belongs to. */
function unitOf(node: SyntaxNode, src: string): SyntaxNode {
  let unit = node;
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ContinuedString' || (p.name === 'BinaryExpression' && literalOperands(p, src))) unit = p;
    else if (p.name === 'ParenthesizedExpression' && literalOperands(p, src)) continue;
    else break;
  }
  return unit;
}

/** True for a literal that is the `content` of a dict or object with a `role` (`{role: "assistant", content: "{"}`): a message, however short. */
function isMessageContent(src: string, node: SyntaxNode): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (parent.name === 'Property') return textOf(src, parent.firstChild ?? parent).replace(/['"]/g, '') === 'content' && /\brole\b/.test(textOf(src, parent.parent ?? parent));
  if (parent.name === 'DictionaryExpression') {
    const colon = node.prevSibling;
    return colon?.name === ':' && /^['"]content['"]$/.test(textOf(src, colon.prevSibling ?? colon)) && /['"]role['"]/.test(textOf(src, parent));
  }
  return false;
}

/** Finds string-literal candidates in Python or JavaScript/TypeScript source. */
export function codeCandidates(src: string, lang: Lang, options: { typescript?: boolean; jsx?: boolean } = {}): Candidate[] {
  const parser = lang === 'python' ? loadPythonParser() : loadJavaScriptParser(options.typescript !== false, options.jsx !== false);
  const tree = parser.parse(src);
  const imports = collectImports(src, tree, lang);
  const candidates = candidatesInTree(src, tree, parser, lang, imports);
  resolveCandidateModels(src, tree, lang, candidates, imports);
  return candidates;
}

/**
 * What a candidate depends on beyond its own top-level statement (besides `collectImports`
 * and whether the statement is the file's first): the tool and schema names the file
 * registers. incremental.ts re-scans every statement when this changes (or the file's boolean
 * constants, `constantFacts` in ternary.ts), so anything new that `contextOf` reads from outside
 * the statement must be added here.
 */
export function fileFacts(src: string): string {
  const names = toolNames(src);
  const list = (set: Set<string>): string => [...set].sort().join(',');
  const sent = [...names.sent].map(([k, v]) => `${k}>${v}`).sort().join(',');
  const content = [...names.content].map(([k, v]) => `${k}>${v}`).sort().join(',');
  return [list(names.listed), list(names.schemas), list(names.argsSchemas), list(names.returned), list(names.instructionFns), sent, content].join('|');
}

/**
 * Told about each literal (or all-literal concatenation) that `screen` turned away: where it
 * starts, and whether it would have become a candidate (its text decodes). incremental.ts needs
 * both to place it among the top-level statements exactly as a candidate would have been.
 */
export type ScreenedOut = (start: number, decodes: () => boolean) => void;

/**
 * The candidates of the string literals in `[from, to)` of a parsed file, in tree order,
 * before model resolution (`resolveCandidateModels`). `from`/`to` must be top-level
 * statement boundaries (incremental.ts re-scans only the statements an edit touched).
 * `parser` is the one `tree` was parsed with: a literal followed by syntax errors is parsed
 * again around it, to tell whether it is left open (unclosed.ts).
 *
 * With `screen`, a literal whose context `screen` rejects is not decoded and gives no
 * candidate (`screenedOut` hears of it instead). Decoding is most of the cost of a literal
 * that no text could make a prompt (a log line, an error, a docstring), and such literals
 * are most of a file's. `+` chains mixing literals and names are never screened (their
 * context is completed after it is built).
 */
export function candidatesInTree(
  src: string,
  tree: Tree,
  parser: LRParser,
  lang: Lang,
  imports: ReadonlySet<string>,
  from = 0,
  to = src.length,
  screen?: (ctx: LiteralContext) => boolean,
  screenedOut?: ScreenedOut,
): Candidate[] {
  const candidates: Candidate[] = [];
  const seen = new Set<number>();
  const memo = new ContainerMemo();
  tree.iterate({
    from,
    to,
    enter(ref) {
      if (ref.to <= from || ref.from >= to) return false;
      if (!STRING_NODES.has(ref.name)) return true;
      // Short literals cannot be prompts on their own; skip them before any tree walking.
      if (ref.to - ref.from < 8 && ref.node.parent?.name !== 'ContinuedString' && ref.node.parent?.name !== 'BinaryExpression' && !isMessageContent(src, ref.node)) return false;
      const node = ref.node;
      const unit = unitOf(node, src);
      if (seen.has(unit.from)) return false;
      seen.add(unit.from);
      const joined = joinedListOf(src, unit, lang);
      if (joined) {
        // A list of lines joined into one string: one candidate, one piece per literal element.
        const candidate = joinedCandidate(src, joined, {
          literals: (n) => literalOperands(n, src),
          decode: (n) => decodeNode(src, n, lang, tree, parser),
          context: (n) => contextOf(src, n, lang, imports, memo),
          scope: enclosingFunction,
          seen,
        });
        if (candidate) candidates.push(candidate);
        return false;
      }
      const chain = mixedChain(unit, src);
      if (chain) {
        // A prompt composed with `+` from literals and variables: one candidate, one piece per literal.
        const pieces: DecodedLiteral[][] = [];
        for (const operand of chainLiterals(chain, src)) {
          seen.add(operand.from);
          const parts = literalOperands(operand, src) ?? [operand];
          const decoded = parts.map((part) => decodeNode(src, part, lang, tree, parser));
          if (decoded.some((d) => d === undefined)) return false;
          pieces.push(decoded as DecodedLiteral[]);
        }
        if (pieces.length > 0) {
          const primary = pieces.reduce((a, b) => (b.reduce((n, d) => n + d.text.length, 0) > a.reduce((n, d) => n + d.text.length, 0) ? b : a));
          const context = contextOf(src, chain, lang, imports, memo);
          context.composed = true;
          const scope = enclosingFunction(chain);
          if (scope) context.scope = scope;
          const names = chainNames(chain, src);
          if (names.length > 0) context.composedWith = names;
          const head = localChainHead(src, chain);
          if (head) context.chainHead = head;
          const candidate: Candidate = { segments: primary, ...(pieces.length > 1 ? { pieces } : {}), context };
          if (pieces.length === 1) {
            // One literal joined with values known only at run time (`prompt + "\n\nQuestion: " + question`): the
            // values are named, so the count reads as the lower bound it is (several pieces name theirs from the gaps).
            const at = primary[0].start;
            const written = (v: SyntaxNode): string => {
              const t = textOf(src, v).replace(/\s+/g, ' ').trim();
              return t.length > 60 ? `${t.slice(0, 57)}…` : t;
            };
            const values = chainValues(chain, src);
            candidate.runtimeOperands = { before: values.filter((v) => v.to <= at).map(written), after: values.filter((v) => v.from > at).map(written) };
          }
          candidates.push(candidate);
          return false;
        }
      }
      const parts = unit === node ? [node] : (literalOperands(unit, src) ?? [node]);
      // (The context is built before the text is decoded: both are pure, so the order changes nothing but what `screen` can skip.)
      const context = contextOf(src, unit, lang, imports, memo);
      const scope = enclosingFunction(unit);
      if (scope) context.scope = scope;
      const conditional = scope ? enclosingConditional(unit) : undefined;
      if (conditional) context.conditional = conditional;
      const ternary = ternaryChoice(src, tree, unit, scope);
      if (ternary) context.ternary = ternary;
      if (screen && !screen(context)) {
        screenedOut?.(parts[0].from, () => parts.every((part) => decodeNode(src, part, lang, tree, parser) !== undefined));
        return false;
      }
      const segments: DecodedLiteral[] = [];
      for (const part of parts) {
        const decoded = decodeNode(src, part, lang, tree, parser);
        if (!decoded) return false;
        segments.push(decoded);
      }
      const appended = appendedLater(src, unit, context);
      candidates.push({ segments, context, ...(appended ? { runtimeOperands: { before: [], after: [appended] } } : {}) });
      return false;
    },
  });
  return candidates;
}
