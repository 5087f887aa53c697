/**
 * Which model a prompt is sent to, when the call does not spell it out.
 *
 * - The provider comes from the LLM call (`client.messages.create` is Anthropic's,
 *   `chat.completions.create` OpenAI's, `generate_content` Google's…), from a chat-model
 *   class (`ChatAnthropic(…)`) or from the one provider SDK the file imports.
 * - A model given as an expression (`model=MODEL`, `model=self.config.model`,
 *   `model: process.env.MODEL ?? 'claude-…'`) is resolved in the same file through
 *   constants, dataclass/pydantic field defaults (`field(default=…)`, `Field(default=…)`),
 *   dict and object entries (`config = {"model": …}`, `config["model"]`), parameter
 *   defaults and environment-variable defaults (`os.getenv("MODEL", "…")`,
 *   `os.environ.get(…) or "…"`, `process.env.MODEL ?? '…'`).
 *   A member of a nested object (`cfg.llm.model`, `config["llm"]["model"]`) is resolved through it, Python
 *   classes of the file included (objects.ts), and is otherwise unknown: never the outer object's `model`.
 *   A function's parameter shadows a module-level name: `def run(config): …config.model…` is unknown there.
 * - A prompt held in a variable takes the model of the call the variable is passed to; a module constant spliced
 *   into a prompt (`f"{PERSONA} …"`) takes that prompt's.
 * - When none of that names a model, the editor prices the prompt with the provider's
 *   default model (`pepperpy.defaultModels`), and only without a provider with
 *   `pepperpy.defaultModel`.
 *
 * Everything here works on the Lezer tree the scanner already parsed, and does nothing for
 * files that name no model at all.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { same, withoutTypeArgs } from './codeSyntax';
import { literalText } from './literals';
import { takesNoPrompt } from '../modelUse';
import { NO_MODEL_VALUE } from './modelRefs';
import { annotatedClass, classNamed, enclosingFunction, isVariableValue, keywordArg, loopBindingOutside, loopEndOf, loopValues, memberOf, parameterOf, positionalArgs, propertyOf, RECEIVER } from './objects';
import { hostOfCallee, MODEL_NAME_SHAPE, providerOfCallee, type HostId } from './providers';

// (Provider tables and model names are in providers.ts; re-exported here for the modules that import them from models.ts.)
export {
  DEFAULT_PROVIDER_MODELS,
  defaultModelFor,
  isProviderId,
  MODEL_NAME_SHAPE,
  modelMentions,
  catalogPricingName,
  pricingName,
  promptProvider,
  PROVIDER_LABELS,
  providerOfApi,
  providerOfCallee,
  providerOfImports,
  providerOfModelName,
  type ModelMention,
  type ProviderId,
} from './providers';

export type Lang = 'python' | 'javascript';

export interface ResolvedModel {
  name: string;
  /** The literal that holds the name. */
  start: number;
  end: number;
  /** The expression in the call that led to it (`self.config.model`), or what was used instead. */
  via: string;
  /** The loop's other values, when it is the first value of a `for` loop (`for model in ["gpt-4o", "gpt-4o-mini"]`). */
  also?: string[];
  /** The loop's earlier values, when it is the last value of a `for` loop, read after the loop. */
  after?: string[];
  /** The host the model object or client it was made with sends to (`BedrockModel(model_id=…)`, `inference.LLM(…)`: providers.ts `hostOfCallee`). */
  host?: HostId;
}

/** Keyword arguments, properties and keys that hold a model name. */
const MODEL_KEY = /^(model|model_?name|model_?id|modelId|modelName|engine|deployment_?name|deployment|azure_deployment)$/;
// The second alternative is the shorthand property `{ model, messages }` (a loop's `model` has no `model =` in the file).
// The third is a model object made from a model name given first (`llm = init_chat_model("groq:…")`): FACTORY_CALLEE.
/**
 * How `via` starts for a file's only model: the one model value its model settings hold (`model_name="gpt-4o-mini"`), which
 * is not the only model it names (khoj's conversation/utils.py also lists twenty-five in a table of prompt sizes: newuser33).
 */
export const FILE_MODEL_VIA = 'the only model set in this file';
// `llm` is LiveKit Agents' `AgentSession(llm=inference.LLM("google/gemma-…"))` (or `llm="openai/gpt-4.1-mini"`): a model
// setting of the file too, read only for the file's one model (a value that names no model shape counts for nothing).
// The fourth is a command-line option's default (`parser.add_argument("--model-id", type=str, default="gpt-4o")`, smolagents'
// vision_web_browser.py, newuser46): the model the script runs with unless told otherwise.
export const MODEL_KEY_IN_SOURCE = /\b(model|model_?name|model_?id|modelId|modelName|engine|deployment_?name|azure_deployment|llm)\b["']?\s*(?:=(?![=>])|:)|[{,]\s*(?:model|modelId|modelName)\s*[,}\n]|\b(GenerativeModel|init_chat_model|initChatModel|Agent)(?:\[[A-Za-z_][^()\n]*\])?\s*\(\s*(?:["'`]|[A-Za-z_][\w.]*\s*[,)])|\b(add_argument)\s*\(\s*["']--?(?:model|model[-_]id|model[-_]name|llm)["']/g;
const FACTORY_CALLEE = /(^|\.)(GenerativeModel|init_chat_model|initChatModel|Agent)$/;
/** A call that makes a stand-in for a model (a test's): `MockLLM`, LangChain's `FakeListChatModel`, `mock_responses=[…]`. */
const MOCK_CALL = /\b(?:Mock|Fake)\w*(?:LLM|Llm|Model|Chat|Client|Provider|Completion)\w*\b|\bmock_responses?\b/;
/** An agent run with its prompt: pydantic-ai's `agent.run(…)`, `run_sync`, `run_stream`, `iter`. */
const AGENT_RUN = /^([A-Za-z_]\w*)\.(run|run_sync|run_stream|run_stream_events|iter)$/;
const NAME_VALUE = /^[A-Za-z][\w.:/@-]{0,119}$/;

/** A resolved model; undefined when nothing is known; null when the expression is known to name no model of this file (a function's parameter, a member its object lacks), so nothing is guessed from the rest of the file either. */
type Resolution = ResolvedModel | null | undefined;
const STOP = new Set(['Script', 'Body', 'Block', 'ClassBody', 'FunctionDefinition', 'FunctionDeclaration', 'ClassDefinition', 'ClassDeclaration', 'MethodDeclaration']);

function textOf(src: string, node: SyntaxNode): string {
  return src.slice(node.from, node.to);
}

function short(expr: string): string {
  const flat = expr.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

/** How many expressions model resolution has evaluated in this process (each node once per depth): a work count the complexity test reads. */
export const modelResolutionWork = { evaluated: 0 };

/** What a prompt variable may sit in on its way into another variable's value: an f-string, a template literal, a `+` chain. */
const CARRIERS = new Set(['FormatReplacement', 'FormatString', 'Interpolation', 'TemplateString', 'BinaryExpression', 'ParenthesizedExpression']);

/** The class declaration or expression whose body holds `node`, if any. */
function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) if (p.name === 'ClassDeclaration' || p.name === 'ClassDefinition' || p.name === 'ClassExpression') return p;
  return undefined;
}

/**
 * The list a use of a name is added to, as its only argument (`messages.append(msg)`, `messages.push(msg)`, and
 * `messages.insert(0, msg)` / `messages.unshift(msg)`): the list's plain name, else undefined.
 */
function appendedTo(src: string, node: SyntaxNode): string | undefined {
  const args = node.parent;
  const call = args?.parent;
  const member = call?.firstChild;
  if (args?.name !== 'ArgList' || call?.name !== 'CallExpression' || member?.name !== 'MemberExpression') return undefined;
  const method = member.lastChild ? textOf(src, member.lastChild) : '';
  const receiver = member.firstChild;
  if (receiver?.name !== 'VariableName' || !/^(append|push|insert|unshift)$/.test(method)) return undefined;
  const values: SyntaxNode[] = [];
  for (let c = args.firstChild; c; c = c.nextSibling) if (c.name !== '(' && c.name !== ')' && c.name !== ',') values.push(c);
  const last = values[values.length - 1];
  if (!last || last.from !== node.from || values.length > (method === 'insert' ? 2 : 1)) return undefined;
  return textOf(src, receiver);
}

/** The plain name a value is assigned to whole (`messages = [...]`, `const messages = [...]`), else undefined. */
function boundNameOf(src: string, value: SyntaxNode): string | undefined {
  const statement = value.parent;
  if (statement?.name === 'AssignStatement' && statement.firstChild?.name === 'VariableName' && statement.lastChild?.from === value.from) return textOf(src, statement.firstChild);
  if (statement?.name === 'VariableDeclaration' && value.prevSibling?.name === 'Equals' && value.prevSibling.prevSibling?.name === 'VariableDefinition') return textOf(src, value.prevSibling.prevSibling);
  return undefined;
}

/** Where a name is sent (`FileModelResolver.sentSite`): the LLM call's start, the message list's start, and the role of the message it is the content of. */
export interface SentSite {
  call?: number;
  list?: number;
  role?: string;
}

export class FileModelResolver {
  private readonly occurrenceCache = new Map<string, number[]>();
  /** Where each `def name(`/`function name(` of the file is, read once (break38: a regex over the whole file per call). */
  private functionIndex?: Map<string, number[]>;
  private readonly functionCache = new Map<string, SyntaxNode | null>();
  /** Steps the function look-ups take (a test checks they do not grow with calls × file length). */
  static functionLookupSteps = 0;
  private readonly definitionCache = new Map<string, SyntaxNode[]>();
  /**
   * What `resolve` gave for a node at a depth. Without it, a name assigned in many places whose
   * values name other such variables (`model = …` forty times in one CLI module) was resolved
   * once per path through them: simonw/llm's 4,300-line cli.py took 35 s to scan.
   */
  private readonly resolved = new Map<string, Resolution | false>();
  /** Every place the file sets its one model (`fileModel`), in source order; null when it sets none or several. */
  private fileModelCache: ResolvedModel[] | null | undefined;
  /**
   * The model a call of a function imported from another module of the project returns (`getAnthropicModel(key)`,
   * whose module returns `anthropic('claude-…')`): set by promptSends.ts, which reads that module. Unset, such a call
   * names no model here.
   */
  importedCall?: (callee: string, call: SyntaxNode) => ResolvedModel | undefined;
  /** The model a function imported from another module sends its argument at `position` (or `keyword`) with: `helperUsage` across modules, set by promptSends.ts. */
  importedHelper?: (helper: string, position: number, keyword: string | undefined, call: SyntaxNode) => ResolvedModel | undefined;

  /**
   * The model this file's function `name` sends its parameter at `position` (or named `keyword`) with: the call in its
   * body that the parameter (or a value made from it in a call's arguments) is passed to.
   */
  parameterSentWith(name: string, position: number, keyword: string | undefined): ResolvedModel | undefined {
    let fn: SyntaxNode | undefined = this.functionNamed(name);
    if (!fn && this.lang === 'javascript') {
      const defs = this.definitionValues(name).filter((v) => v.name === 'ArrowFunction' || v.name === 'FunctionExpression');
      if (defs.length === 1) fn = defs[0];
    }
    const params = fn?.getChild('ParamList');
    const body = fn?.getChild('Body') ?? fn?.getChild('Block');
    if (!fn || !params || !body) return undefined;
    const names: string[] = [];
    for (let c = params.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' || c.name === 'VariableDefinition') names.push(textOf(this.src, c));
    const param = keyword ?? names[position];
    if (!param || !names.includes(param) || (this.lang === 'python' && (param === 'self' || param === 'cls'))) return undefined;
    return this.usage(param, { from: body.from, to: body.to })?.model;
  }

  constructor(
    private readonly src: string,
    private readonly tree: Tree,
    private readonly lang: Lang,
  ) {}

  /** The value node of a model argument, property or dict entry directly in `container`. */
  modelValueIn(container: SyntaxNode): SyntaxNode | undefined {
    const src = this.src;
    for (let c = container.firstChild; c; c = c.nextSibling) {
      if (this.lang === 'python' && container.name === 'ArgList' && c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp' && MODEL_KEY.test(textOf(src, c))) return c.nextSibling.nextSibling ?? undefined;
      if (container.name === 'DictionaryExpression' && c.name === 'String' && c.nextSibling?.name === ':' && MODEL_KEY.test(this.stringValue(c) ?? '')) return c.nextSibling.nextSibling ?? undefined;
      if (container.name === 'ObjectExpression' && c.name === 'Property') {
        const key = c.firstChild;
        const keyText = key ? (key.name === 'String' ? this.stringValue(key) : textOf(src, key)) : undefined;
        if (key && key.name !== 'Spread' && MODEL_KEY.test(keyText ?? '')) return key.nextSibling?.name === ':' ? (key.nextSibling.nextSibling ?? undefined) : key.name === 'PropertyDefinition' ? key : undefined;
      }
      if (container.name === 'ArgList' && (c.name === 'ObjectExpression' || c.name === 'DictionaryExpression')) {
        const inner = this.modelValueIn(c);
        if (inner) return inner;
      }
    }
    return undefined;
  }

  /** `**params` / `...params` spread into a call or object: the model entry of what `params` is bound to. */
  private spreadModel(container: SyntaxNode, seen: Set<string>): ResolvedModel | undefined {
    for (let c = container.firstChild; c; c = c.nextSibling) {
      const isSpread = (c.name === '**' && container.name === 'ArgList') || c.name === 'Spread';
      if (!isSpread) {
        if (c.name === 'Property' && c.firstChild?.name === 'Spread') {
          const r = this.spreadTarget(c.firstChild.nextSibling, seen);
          if (r) return r;
        }
        continue;
      }
      const r = this.spreadTarget(c.nextSibling, seen);
      if (r) return r;
    }
    return undefined;
  }

  private spreadTarget(target: SyntaxNode | null, seen: Set<string>): ResolvedModel | undefined {
    if (!target) return undefined;
    // `**self._prepare_api_params()` / `**params`: the dict or object a name or method returns holds the model.
    let name: string | undefined;
    if (target.name === 'VariableName') name = textOf(this.src, target);
    else if (target.name === 'CallExpression') name = /(\w+)\s*$/.exec(textOf(this.src, target.firstChild ?? target))?.[1];
    else if (target.name === 'MemberExpression') name = textOf(this.src, target.lastChild ?? target);
    if (!name) return undefined;
    for (const value of this.definitionValues(name, target)) {
      const container = value.name === 'ObjectExpression' || value.name === 'DictionaryExpression' ? value : this.returnedContainer(value);
      if (!container) continue;
      const v = this.modelValueIn(container);
      if (v) {
        const r = this.resolve(v, seen, 1);
        if (r) return r;
      }
    }
    return undefined;
  }

  /** For a function definition's name, the dict or object literal its body returns. */
  private returnedContainer(node: SyntaxNode): SyntaxNode | undefined {
    if (node.name !== 'FunctionDefinition' && node.name !== 'FunctionDeclaration' && node.name !== 'MethodDeclaration') return undefined;
    const body = node.getChild('Body') ?? node.getChild('Block');
    if (!body) return undefined;
    for (let c = body.firstChild; c; c = c.nextSibling) {
      if (c.name === 'ReturnStatement') {
        const value = c.lastChild?.name === ';' ? c.lastChild.prevSibling : c.lastChild;
        if (value && (value.name === 'DictionaryExpression' || value.name === 'ObjectExpression')) return value;
      }
    }
    return undefined;
  }

  private stringValue(node: SyntaxNode): string | undefined {
    if (node.name === 'String') return literalText(this.src, node.from, node.to, this.lang);
    if (node.name === 'TemplateString' && !node.firstChild) return literalText(this.src, node.from, node.to, 'javascript');
    return undefined;
  }

  /** Offsets of every occurrence of `name` as a whole identifier (at most 500), cached per name. */
  private occurrences(name: string): number[] {
    let list = this.occurrenceCache.get(name);
    if (list) return list;
    list = [];
    const src = this.src;
    const isWord = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
    for (let at = src.indexOf(name); at >= 0 && list.length < 500; at = src.indexOf(name, at + name.length)) {
      if ((at > 0 && isWord(src.charCodeAt(at - 1))) || isWord(src.charCodeAt(at + name.length))) continue;
      list.push(at);
    }
    this.occurrenceCache.set(name, list);
    return list;
  }

  /** The value nodes `name` is given in this file: assignments, constants, fields and their defaults, dict/object entries, parameter defaults. */
  definitionValues(name: string, exclude?: SyntaxNode): SyntaxNode[] {
    let all = this.definitionCache.get(name);
    if (!all) this.definitionCache.set(name, (all = this.findDefinitionValues(name)));
    return exclude ? all.filter((v) => !(v.from <= exclude.from && v.to >= exclude.to)) : all;
  }

  private findDefinitionValues(name: string): SyntaxNode[] {
    const values: SyntaxNode[] = [];
    const positions = [...this.occurrences(name)];
    // Dict keys are strings: `"model": …`.
    if (this.lang === 'python') {
      const re = new RegExp(`["']${name.replace(/[$]/g, '\\$')}["']\\s*:`, 'g');
      for (let m = re.exec(this.src); m && positions.length < 1000; m = re.exec(this.src)) positions.push(m.index);
    }
    for (const at of positions) {
      const node = this.tree.resolveInner(at, 1);
      const value = this.definitionValue(node, name);
      if (value) values.push(value);
    }
    return values;
  }

  private definitionValue(node: SyntaxNode, name: string): SyntaxNode | undefined {
    const parent = node.parent;
    if (!parent) return undefined;
    const after = (n: SyntaxNode, op: RegExp): SyntaxNode | undefined => {
      let c = n.nextSibling;
      while (c && c.name === 'TypeDef') c = c.nextSibling;
      while (c && c.name === 'TypeAnnotation') c = c.nextSibling;
      return c && op.test(c.name) ? (c.nextSibling ?? undefined) : undefined;
    };
    if (node.name === 'String' && parent.name === 'DictionaryExpression' && node.nextSibling?.name === ':' && this.stringValue(node) === name) return node.nextSibling.nextSibling ?? undefined;
    if (node.name === 'VariableName' || node.name === 'PropertyName' || node.name === 'VariableDefinition' || node.name === 'PropertyDefinition') {
      if (textOf(this.src, node) !== name) return undefined;
      if (parent.name === 'AssignStatement' && same(node, parent.firstChild)) return after(node, /^AssignOp$/);
      if (parent.name === 'MemberExpression' && same(node, parent.lastChild) && parent.parent?.name === 'AssignStatement' && same(parent, parent.parent.firstChild)) return after(parent, /^AssignOp$/);
      if (parent.name === 'MemberExpression' && same(node, parent.lastChild) && parent.parent?.name === 'AssignmentExpression' && same(parent, parent.parent.firstChild)) return after(parent, /^(Equals|UpdateOp)$/);
      if (parent.name === 'AssignmentExpression' && same(node, parent.firstChild)) return after(node, /^(Equals|UpdateOp)$/);
      if (parent.name === 'VariableDeclaration' || parent.name === 'PropertyDeclaration') return after(node, /^Equals$/);
      if (parent.name === 'ParamList') return after(node, /^(AssignOp|Equals)$/);
      // `{ model = 'claude-…' }` in a destructuring pattern (a parameter's or a declaration's): its default.
      if (parent.name === 'PatternProperty' && node.name === 'VariableDefinition') return after(node, /^Equals$/);
      if (parent.name === 'Property' && same(node, parent.firstChild)) return after(node, /^:$/);
      if (parent.name === 'FunctionDefinition' || parent.name === 'FunctionDeclaration') return parent;
      // `for model in [...]:` binds the loop's values (resolved from the loop); `with Config() as cfg:` the object the
      // context manager is made of (its `__enter__` returning itself, as config and client classes do).
      if (parent.name === 'ForStatement' && node.prevSibling?.name === 'for' && node.nextSibling?.name === 'in') return node.nextSibling.nextSibling ?? undefined;
      // `for (const model of ['gpt-4o', 'gpt-4o-mini'])` likewise.
      if (parent.name === 'ForOfSpec' && (node.name === 'VariableDefinition' || node.name === 'VariableName') && node.nextSibling?.name === 'of') return node.nextSibling.nextSibling ?? undefined;
      if (parent.name === 'WithStatement' && node.prevSibling?.name === 'as' && node.prevSibling.prevSibling?.name === 'CallExpression') return node.prevSibling.prevSibling;
      if (parent.name === 'MethodDeclaration' && node.name === 'PropertyDefinition') return parent;
    }
    return undefined;
  }

  /** Resolves an expression to the model name literal it evaluates to by default (null: known to name none here, see Resolution). */
  resolve(node: SyntaxNode, seen: Set<string> = new Set(), depth = 0): Resolution {
    const key = `${node.from}:${node.to}:${node.name}`;
    if (depth > 6 || seen.has(key)) return undefined;
    const memoKey = `${key}@${depth}`;
    const memo = this.resolved.get(memoKey);
    if (memo !== undefined) return memo === false ? undefined : memo;
    seen.add(key);
    const r = this.resolveUncached(node, seen, depth);
    this.resolved.set(memoKey, r === undefined ? false : r);
    return r;
  }

  private resolveUncached(node: SyntaxNode, seen: Set<string>, depth: number): Resolution {
    modelResolutionWork.evaluated++;
    const src = this.src;
    const via = short(textOf(src, node));
    const loopNote = (r: ResolvedModel): string =>
      r.also ? `, the first of a loop's values (then ${r.also.join(', ')})` : r.after ? `, the last of a loop's values, read after the loop (before it: ${r.after.join(', ')})` : '';
    const withVia = (r: Resolution): Resolution => (r ? { ...r, via: depth === 0 ? `${via}${loopNote(r)}` : r.via } : r);
    if ((node.parent?.name === 'ForStatement' && node.prevSibling?.name === 'in') || (node.parent?.name === 'ForOfSpec' && node.prevSibling?.name === 'of')) {
      // `for model in ["gpt-4o", "gpt-4o-mini"]:` or `for (const model of [...])` (or a list constant): the first value
      // is priced, the others noted.
      const values = loopValues(this.src, node, (name, from) => this.definitionValues(name, from));
      const first = values?.[0] ? this.resolve(values[0], seen, depth + 1) : undefined;
      if (!first || !values) return first;
      const also = values.slice(1).flatMap((v) => this.resolve(v, new Set(seen), depth + 1)?.name ?? []);
      return { ...first, ...(also.length > 0 ? { also } : {}) };
    }
    switch (node.name) {
      case 'String':
      case 'TemplateString': {
        const value = this.stringValue(node);
        // `model="inherit"` names where the model comes from, not a model (modelRefs.ts NO_MODEL_VALUE): none of this file.
        if (value !== undefined && NO_MODEL_VALUE.test(value)) return null;
        return value !== undefined && NAME_VALUE.test(value) ? { name: value, start: node.from, end: node.to, via } : undefined;
      }
      case 'ParenthesizedExpression': {
        const inner = node.firstChild?.nextSibling;
        return inner ? withVia(this.resolve(inner, seen, depth + 1)) : undefined;
      }
      case 'AwaitExpression':
        // `const model = await initChatModel("groq:…")`: the call awaited.
        return node.lastChild ? withVia(this.resolve(node.lastChild, seen, depth + 1)) : undefined;
      case 'AsExpression':
      case 'NonNullExpression':
      case 'SatisfiesExpression':
        return node.firstChild ? withVia(this.resolve(node.firstChild, seen, depth + 1)) : undefined;
      case 'PostfixExpression':
        // TypeScript's non-null assertion, `model: this.config.model!` (Lezer's PostfixExpression with `!`): the value
        // asserted; `i++` names no model.
        return node.firstChild && node.lastChild?.name === 'LogicOp' && textOf(src, node.lastChild) === '!' ? withVia(this.resolve(node.firstChild, seen, depth + 1)) : undefined;
      case 'VariableName':
        return withVia(this.resolveName(textOf(src, node), node, seen, depth));
      case 'PropertyDefinition':
        // `{ model }` shorthand: the variable of that name.
        return withVia(this.resolveName(textOf(src, node), node, seen, depth));
      case 'MemberExpression': {
        const text = textOf(src, node).replace(/\s+/g, '');
        if (/^(process\.env|import\.meta\.env|os\.environ)\b/.test(text)) return undefined;
        const prop = propertyOf(this.src, this.lang, node);
        if (!prop) return undefined;
        // `summaryConfig.model` where `summaryConfig = { model: 'claude-…' }` (or a dict, or `Config(model=…)`) in this
        // file: that object's property, not whichever `model` the file defines first (a call's `model: openai(…)`).
        const owner = node.firstChild;
        // `cfg.llm.model`, `config["llm"]["model"]`, `self.config.llm.model`: through the nested object, or unknown;
        // by the property's name it would be any `model` of the file, the outer object's first (models26).
        const nested = owner?.name === 'MemberExpression' && !RECEIVER.test(textOf(src, owner.firstChild ?? owner));
        if ((owner?.name === 'VariableName' && !RECEIVER.test(textOf(src, owner))) || nested) {
          const objects = owner ? this.objectsOf(owner, depth) : undefined;
          const found = objects ? this.memberIn(objects, prop, owner ?? node) : objects;
          if (found === null) return null;
          if (found) return withVia(this.resolve(found, seen, depth + 1) ?? (nested ? null : undefined));
          if (nested) return null;
        }
        return withVia(this.resolveName(prop, node, seen, depth));
      }
      case 'ConditionalExpression': {
        // `os.environ["MODEL"] if "MODEL" in os.environ else "gpt-4o-mini"`, `cond ? a : b`: the first branch that names a
        // model here, the other noted (as a loop's other values are).
        const first = this.lang === 'python' ? node.firstChild : node.getChildren('LogicOp')[0]?.nextSibling;
        const [a, b] = [first, node.lastChild].map((n) => (n ? this.resolve(n, new Set(seen), depth + 1) : undefined));
        const r = a ?? b;
        return r ? withVia(a && b && b.name !== a.name ? { ...a, also: [b.name] } : r) : a === null || b === null ? null : undefined;
      }
      case 'BinaryExpression': {
        const op = node.firstChild?.nextSibling;
        const opText = op ? textOf(src, op) : '';
        if (opText !== '??' && opText !== '||' && opText !== 'or') return undefined;
        const left = node.firstChild;
        const right = op?.nextSibling;
        const l = left ? this.resolve(left, seen, depth + 1) : undefined;
        if (l) return withVia(l);
        const r = right ? this.resolve(right, seen, depth + 1) : undefined;
        return withVia(r ?? (l === null ? null : r));
      }
      case 'CallExpression': {
        const calleeNode = node.firstChild;
        const args = node.getChild('ArgList');
        if (!calleeNode || !args) return undefined;
        const callee = withoutTypeArgs(textOf(src, calleeNode).replace(/\s+/g, ''));
        const host = hostOfCallee(callee);
        // A model object of a host (`BedrockModel(model_id="us.anthropic.claude-…")`, `ollama("llama3.2")`): the host goes with the name.
        if (host) {
          const r = this.resolveCall(node, callee, calleeNode, args, seen, depth);
          return r ? { ...r, host } : r;
        }
        return this.resolveCall(node, callee, calleeNode, args, seen, depth);
      }
      default:
        return undefined;
    }
  }

  /** `resolveUncached` for a call: the model name it is made from, or its fallback default (`os.getenv("MODEL", "…")`). */
  private resolveCall(node: SyntaxNode, callee: string, calleeNode: SyntaxNode, args: SyntaxNode, seen: Set<string>, depth: number): Resolution {
    const src = this.src;
    const via = short(textOf(src, node));
    const loopNote = (r: ResolvedModel): string =>
      r.also ? `, the first of a loop's values (then ${r.also.join(', ')})` : r.after ? `, the last of a loop's values, read after the loop (before it: ${r.after.join(', ')})` : '';
    const withVia = (r: Resolution): Resolution => (r ? { ...r, via: depth === 0 ? `${via}${loopNote(r)}` : r.via } : r);
    // A mock's model sends nothing: graphrag's test_gi_entity_extraction.py builds `create_completion(ModelConfig(
    // type=LLMProviderType.MockLLM, model="gpt-4o", mock_responses=[…]))` and passes it with GRAPH_EXTRACTION_PROMPT, which
    // was priced gpt-4o ("deprecated") from that test (newuser48).
    if (MOCK_CALL.test(textOf(src, node).slice(0, 4000))) return null;
    if (this.importedCall && calleeNode.name === 'VariableName') {
      const imported = this.importedCall(callee, node);
      if (imported) return imported;
    }
    const positional = positionalArgs(args);
    // os.getenv("MODEL", "default"), os.environ.get(…), settings.get("model", "default")
    // `config.get("model", "gpt-4o-mini")` where the file's `config` dict has a "model": that entry, not the fallback.
    if (/\.get$/.test(callee) && calleeNode.name === 'MemberExpression' && calleeNode.firstChild && positional[0]) {
      const key = this.stringValue(positional[0]);
      const objects = key ? this.objectsOf(calleeNode.firstChild, depth) : undefined;
      const entry = objects && key ? this.memberIn(objects, key, node) : undefined;
      const r = entry ? this.resolve(entry, seen, depth + 1) : undefined;
      if (r) return withVia(r);
    }
    // The default by position or by name (`os.getenv("MODEL", default="gpt-4o-mini")`).
    if (/(^|\.)(getenv|get)$/.test(callee)) {
      const d = positional[1] ?? keywordArg(src, args, 'default');
      return d ? withVia(this.resolve(d, seen, depth + 1)) : undefined;
    }
    // Python's `getattr(config, "model", "gpt-5-mini")`: its third argument is the default (mem0's LLMReranker, newuser43).
    if (callee === 'getattr' && this.lang === 'python') return positional[2] ? withVia(this.resolve(positional[2], seen, depth + 1)) : undefined;
    // Field(default="…") / field(default="…") / Option(default=…)
    if (/(^|\.)(Field|field|Option|attrib|attr\.ib)$/.test(callee)) {
      const d = keywordArg(src, args, 'default');
      return d ? withVia(this.resolve(d, seen, depth + 1)) : undefined;
    }
    // zod / yup schema defaults: z.string().default('claude-…')
    if (/\)\.default$/.test(callee) && positional[0]) return withVia(this.resolve(positional[0], seen, depth + 1));
    // Vercel AI SDK and LangChain: anthropic('claude-…'), init_chat_model("…"), str(...)
    if (/^(anthropic|openai|google|vertex|mistral|cohere|xai|groq|deepseek|azure|str|String)$/.test(callee) && positional[0]) return withVia(this.resolve(positional[0], seen, depth + 1));
    // Model objects made from a model name: `genai.GenerativeModel("gemini-…")`, `init_chat_model("groq:…")`, pydantic-ai's `Agent("openai:gpt-4o")`.
    if (FACTORY_CALLEE.test(callee) && positional[0]) {
      const r = this.resolve(positional[0], seen, depth + 1);
      return r && MODEL_NAME_SHAPE.test(r.name) ? withVia(r) : undefined;
    }
    // Any other model object made from the model's name: agno's `MistralChat(id="mistral-large-latest")`,
    // `AwsBedrock(id="us.anthropic.claude-…")`, ADK's `LiteLlm(model="…")`, `ollama("llama3.2:latest")` (model38):
    // its `id` or model argument, else its first positional one, when that has a model name's shape (a path does not).
    const named = (this.lang === 'python' ? keywordArg(src, args, 'id') : undefined) ?? this.modelValueIn(args) ?? positional[0];
    const r = named ? this.resolve(named, seen, depth + 1) : undefined;
    return r && MODEL_NAME_SHAPE.test(r.name) ? withVia(r) : undefined;
  }

  /**
   * The objects an expression is bound to in this file, when every definition of it is an object literal, a dict,
   * a keyword-argument call or (Python) a class of the file: `cfg` in `cfg = {…}`, `cfg.llm` through `cfg`'s `llm`
   * member, `self.config` through the `config` attributes the file assigns, a parameter through its annotation.
   * Null when it is known to hold no such object here (a function parameter without an annotation naming a class of
   * the file: a module-level object of the same name is not what the function reads); undefined when not known.
   */
  private objectsOf(expr: SyntaxNode, depth: number): SyntaxNode[] | null | undefined {
    if (depth > 6) return undefined;
    const src = this.src;
    if (expr.name === 'VariableName') {
      const name = textOf(src, expr);
      if (RECEIVER.test(name)) return undefined;
      let defs = this.definitionValues(name, expr);
      const param = parameterOf(src, expr, name);
      if (param) {
        const shadowed = defs.some((d) => d.from < param.fn.from || d.to > param.fn.to);
        defs = defs.filter((d) => d.from >= param.fn.from && d.to <= param.fn.to);
        if (defs.length === 0) {
          const cls = param.annotation && this.lang === 'python' ? annotatedClass(param.annotation) : undefined;
          const classNode = cls ? classNamed(src, this.tree, cls) : undefined;
          // (A parameter that shadows nothing of the file leaves the file's other clues: `Agent(model="gpt-4o")` below.)
          return classNode ? [classNode] : shadowed ? null : undefined;
        }
        // `def run(q, config=None)` / `config = config or DEFAULT`: what the function's own definitions hold, or (when
        // they are no objects of the file) unknown, never the module-level object it shadows.
        if (shadowed) return this.objectsFrom(defs, depth) ?? null;
      }
      return defs.length > 0 ? this.objectsFrom(defs, depth) : undefined;
    }
    if (expr.name !== 'MemberExpression') return undefined;
    const prop = propertyOf(this.src, this.lang, expr);
    const owner = expr.firstChild;
    if (!prop || !owner) return undefined;
    // `self.config`: the values the file assigns to `config` attributes (and names), as a property is resolved by name.
    if (RECEIVER.test(textOf(src, owner))) {
      const defs = this.definitionValues(prop, expr);
      return defs.length > 0 ? this.objectsFrom(defs, depth) : undefined;
    }
    const objects = this.objectsOf(owner, depth + 1);
    if (!objects) return objects;
    const member = this.memberIn(objects, prop, expr);
    return member ? this.objectsFrom([member], depth) : member;
  }

  private objectsFrom(values: SyntaxNode[], depth: number): SyntaxNode[] | null | undefined {
    const out: SyntaxNode[] = [];
    for (const v of values) {
      if (v.name === 'ObjectExpression' || v.name === 'DictionaryExpression' || (v.name === 'CallExpression' && this.lang === 'python') || v.name === 'ClassDefinition') out.push(v);
      else if (v.name === 'VariableName' || v.name === 'MemberExpression') {
        const inner = this.objectsOf(v, depth + 1);
        if (!inner) return inner;
        out.push(...inner);
      } else return undefined;
    }
    return out;
  }

  /**
   * The value of `prop` in objects (objectsOf): the value node; null when none of them has `prop` (nothing to
   * resolve); undefined when one may have it without saying so here (a spread, a call to a class not in the file).
   */
  private memberIn(objects: SyntaxNode[], prop: string, from: SyntaxNode): SyntaxNode | null | undefined {
    const values: SyntaxNode[] = [];
    for (const d of objects) {
      const member = memberOf(this.src, this.tree, this.lang, d, prop);
      if (member === undefined) return undefined;
      if (member) values.push(member);
    }
    if (values.length === 0) return null;
    values.sort((a, b) => a.from - b.from);
    // Definitions that disagree (`let cfg = {…}` reassigned later): the nearest one before the use, else the first,
    // as resolveName chooses between a name's definitions.
    const before = values.filter((v) => v.from < from.from);
    return before.length > 0 ? before[before.length - 1] : values[0];
  }

  /** After its loop, a loop variable (Python's, a JavaScript `var` or one declared outside) holds the loop's last value. */
  private lastLoopValue(iterable: SyntaxNode, seen: Set<string>, depth: number): Resolution {
    const values = loopValues(this.src, iterable, (name, from) => this.definitionValues(name, from));
    if (!values || values.length === 0) return this.resolve(iterable, new Set(seen), depth + 1);
    const last = this.resolve(values[values.length - 1], new Set(seen), depth + 1);
    const after = values.slice(0, -1).flatMap((v) => this.resolve(v, new Set(seen), depth + 1)?.name ?? []);
    return last && after.length > 0 ? { ...last, after } : last;
  }

  private resolveName(name: string, from: SyntaxNode, seen: Set<string>, depth: number): Resolution {
    const found: Array<{ at: number; r: ResolvedModel }> = [];
    // A `for (const|let model of …)` binding lives in its loop only (a `var` one, and Python's loop variable, outlive it):
    // after the loop the name is the file's other `model` again.
    let values = this.definitionValues(name, from).filter((v) => !loopBindingOutside(v, from));
    // A function's parameter: only what the function itself assigns to it (its default included); the file's other
    // definitions of the name (a module-level `config`, `model`) are not what its body reads.
    const param = (from.name === 'VariableName' || from.name === 'PropertyDefinition') && textOf(this.src, from) === name ? parameterOf(this.src, from, name) : undefined;
    const shadowed = !!param && values.some((v) => v.from < param.fn.from || v.to > param.fn.to);
    if (param) values = values.filter((v) => v.from >= param.fn.from && v.to <= param.fn.to);
    // A variable the enclosing function assigns itself is that function's own: a same-named variable of the module or of
    // another function is not what it sends (`def b(): model = os.environ["MODEL"]` beside `def a(): model = "gpt-4o"`).
    const local = !param && (from.name === 'VariableName' || from.name === 'PropertyDefinition') && textOf(this.src, from) === name ? enclosingFunction(from) : undefined;
    const own = local ? values.filter((v) => v.from >= local.from && v.to <= local.to) : [];
    const localShadow = own.length > 0 && own.length < values.length;
    if (localShadow) values = own;
    // A property (`self.model`, `settings.model`) is an attribute, never a plain variable of that name (`model = "gpt-4o"`).
    if (from.name === 'MemberExpression') values = values.filter((v) => !isVariableValue(v));
    // A property read in a class is what that class sets, when it sets one of that name at all: another class of the
    // file with `if (!this.config.model) this.config.model = "gpt-4o-mini"` is not what `config.model || "gpt-4.1-nano"`
    // in this one's constructor falls back from (finder45: the nano class was priced at the other's model).
    const cls = from.name === 'MemberExpression' ? enclosingClass(from) : undefined;
    const inClass = cls ? values.filter((v) => v.from >= cls.from && v.to <= cls.to) : [];
    const classShadow = inClass.length > 0 && inClass.length < values.length;
    if (classShadow) values = inClass;
    let unknown = false;
    for (const value of values) {
      if (value.from === from.from && value.to === from.to) continue;
      const loopEnd = loopEndOf(value);
      const r = loopEnd !== undefined && from.from >= loopEnd ? this.lastLoopValue(value, seen, depth) : this.resolve(value, new Set(seen), depth + 1);
      if (r) found.push({ at: value.from, r });
      else if (r === null) unknown = true;
    }
    if (found.length === 0 && param && !shadowed) {
      // The function assigns its parameter nothing: what the file's calls of the function pass for it (`run('qwen3')`).
      const passed = this.passedFor(param.fn, name, seen, depth);
      if (passed !== undefined) return passed;
    }
    if (found.length === 0) return shadowed || localShadow || classShadow || unknown ? null : undefined;
    if (new Set(found.map((f) => f.r.name)).size === 1) return found[0].r;
    // Several definitions disagree: the nearest one before the use, else the first.
    const before = found.filter((f) => f.at < from.from);
    return (before.length > 0 ? before[before.length - 1] : found[0]).r;
  }

  /** The model of the calls and objects that enclose `node` (nearest first), resolved; null when the nearest names one that is not known here. */
  modelAround(node: SyntaxNode): Resolution {
    let hops = 0;
    for (let p: SyntaxNode | null = node.parent; p && hops++ < 30 && !STOP.has(p.name); p = p.parent) {
      if (p.name !== 'ArgList' && p.name !== 'ObjectExpression' && p.name !== 'DictionaryExpression') continue;
      const value = this.modelValueIn(p);
      if (value) {
        const r = this.resolve(value);
        if (r || r === null) return r;
      }
      // (A name given first by position that names no model here, a function's parameter, says nothing: the file's other clues stand.)
      const first = value ? undefined : this.factoryModelArg(p);
      const byPosition = first ? this.resolve(first) : undefined;
      if (byPosition) return byPosition;
      // `email_writer_agent.run(prompt, …)`: the model the agent was made with (pydantic-ai/docs/graph.md, two agents).
      const runner = value || p.name !== 'ArgList' || p.parent?.name !== 'CallExpression' || !p.parent.firstChild ? undefined : AGENT_RUN.exec(textOf(this.src, p.parent.firstChild).replace(/\s+/g, ''));
      const ran = runner ? this.agentModel(runner[1]) : undefined;
      if (ran) return ran;
      const spread = this.spreadModel(p, new Set());
      if (spread) return spread;
    }
    return undefined;
  }

  /**
   * The model of the LLM call that starts at `callFrom` (a `SentSite`'s call: `create(model="gpt-4o-mini", messages=messages)`),
   * resolved, and its callee; undefined when there is no call there.
   */
  modelOfCallAt(callFrom: number): { model: Resolution; callee: string } | undefined {
    let call: SyntaxNode | null = this.tree.resolveInner(callFrom, 1);
    while (call && !(call.name === 'CallExpression' && call.from === callFrom)) call = call.parent;
    const args = call?.getChild('ArgList');
    if (!call?.firstChild || !args) return undefined;
    const calleeNode = call.firstChild.name === 'new' ? (call.firstChild.nextSibling ?? call.firstChild) : call.firstChild;
    const callee = textOf(this.src, calleeNode).replace(/\s+/g, '');
    const value = this.modelValueIn(args);
    let model: Resolution = value ? this.resolve(value) : undefined;
    // (`create({ model: 'gpt-4o-mini', messages })`: the options object of a JavaScript call.)
    for (let c = args.firstChild; c && model === undefined; c = c.nextSibling) {
      if (c.name !== 'ObjectExpression') continue;
      const inner = this.modelValueIn(c);
      model = inner ? this.resolve(inner) : this.spreadModel(c, new Set());
    }
    return { model, callee };
  }

  /**
   * The model given first by position to a model object or an agent (`Agent(MODEL, instructions=…)`, pydantic-ai's
   * medical_agent_delegation.py with `MODEL = 'openai:gpt-5.2'`; `Agent[Deps, Response]('google:…', …)`): a name or a
   * member, resolved like a `model=` argument. (A string there is read by modelRefs.ts already.)
   */
  private factoryModelArg(args: SyntaxNode): SyntaxNode | undefined {
    const call = args.parent;
    if (args.name !== 'ArgList' || call?.name !== 'CallExpression' || !call.firstChild) return undefined;
    if (!FACTORY_CALLEE.test(withoutTypeArgs(textOf(this.src, call.firstChild).replace(/\s+/g, '')))) return undefined;
    const first = positionalArgs(args)[0];
    return first && (first.name === 'VariableName' || first.name === 'MemberExpression') && first.from === args.firstChild?.nextSibling?.from ? first : undefined;
  }

  /**
   * The model of the agent a function is registered on by its decorator (`@agent.tool`, `@agent.tool_plain`,
   * `@agent.system_prompt`, `@agent.instructions`): pydantic-ai sends the function's docstring (a tool's description) or
   * what it returns (a system prompt) with that agent's model. In a file with several agents (evals/agent.py's
   * `Agent[TimeRangeDeps, TimeRangeResponse]('openai:gpt-5.2', …)`) the file's one model cannot say it (newuser48).
   */
  decoratedAgentModel(node: SyntaxNode): { model: ResolvedModel; agent: string; decorator: string } | undefined {
    let fn: SyntaxNode | null = node.parent;
    while (fn && fn.name !== 'FunctionDefinition') fn = fn.parent;
    const decorated = fn?.parent?.name === 'DecoratedStatement' ? fn.parent : undefined;
    if (!decorated) return undefined;
    for (const d of decorated.getChildren('Decorator')) {
      const m = /^@\s*([A-Za-z_]\w*)\.(tool_plain|tool|system_prompt|instructions|output_validator)\b/.exec(textOf(this.src, d));
      if (!m) continue;
      const model = this.agentModel(m[1]);
      return model ? { model, agent: m[1], decorator: `@${m[1]}.${m[2]}` } : undefined;
    }
    return undefined;
  }

  /** The one model the agents bound to `name` in this file are made with (`name = Agent('openai:…', …)`), if they name one. */
  private agentModel(name: string): ResolvedModel | undefined {
    if (RECEIVER.test(name)) return undefined;
    const calls = this.definitionValues(name).filter((v) => v.name === 'CallExpression' && v.firstChild && FACTORY_CALLEE.test(withoutTypeArgs(textOf(this.src, v.firstChild).replace(/\s+/g, ''))));
    const models = calls.map((c) => this.resolve(c)).filter((r): r is ResolvedModel => !!r && MODEL_NAME_SHAPE.test(r.name));
    return models.length > 0 && new Set(models.map((r) => r.name)).size === 1 ? models[0] : undefined;
  }

  /** The callees of the calls that enclose `node`, nearest first. */
  calleesAround(node: SyntaxNode): string[] {
    const out: string[] = [];
    let hops = 0;
    for (let p: SyntaxNode | null = node.parent; p && hops++ < 30 && !STOP.has(p.name); p = p.parent) {
      if (p.name === 'ArgList' && p.parent?.firstChild) out.push(textOf(this.src, p.parent.firstChild.name === 'new' ? (p.parent.firstChild.nextSibling ?? p.parent.firstChild) : p.parent.firstChild).replace(/\s+/g, ''));
    }
    return out;
  }

  /** Where a variable holding a prompt is used as a call argument: the model of that call, and its callee. Within `scope` only, when given (a variable local to a function). */
  usage(name: string, scope?: { from: number; to: number }, skip?: (at: number) => boolean): { model?: ResolvedModel; callee?: string; unknown?: true } | undefined {
    for (const at of this.occurrences(name)) {
      if ((scope && (at < scope.from || at >= scope.to)) || skip?.(at)) continue;
      const node = this.tree.resolveInner(at, 1);
      if (node.name !== 'VariableName' && node.name !== 'PropertyName') continue;
      const callees = this.calleesAround(node);
      if (callees.length === 0) continue;
      const model = this.modelAround(node);
      if (model || model === null || callees.some((c) => providerOfCallee(c))) return { ...(model ? { model } : model === null ? { unknown: true as const } : {}), callee: callees.find((c) => providerOfCallee(c)) ?? callees[0] };
    }
    return undefined;
  }

  /**
   * Where a variable holding a prompt is carried into another variable that is sent (pipecat's rag-gemini.py:
   * `full_prompt = f"System: {RAG_PROMPT}\n\nConversation History: {messages_json}"`, then
   * `generate_content(model=RAG_MODEL, contents=[full_prompt])`): that variable's call, as `usage` finds it. One hop: the
   * name in an f-string, a template literal or a `+` chain assigned whole to a plain variable, sent in the same function.
   */
  carriedUsage(name: string, scope?: { from: number; to: number }): { model?: ResolvedModel; callee?: string; unknown?: true; carrier: string; line: number } | undefined {
    for (const at of this.occurrences(name)) {
      if (scope && (at < scope.from || at >= scope.to)) continue;
      const node = this.tree.resolveInner(at, 1);
      if (node.name !== 'VariableName') continue;
      // (A plain alias, `prompt = SYSTEM`, is no carrier here; a role message bound to a name is: `msg = {"content": SYSTEM}`.)
      const carried = this.carrierOf(node) ?? this.messageCarrierOf(node);
      if (!carried || ('alias' in carried && carried.alias)) continue;
      const fn = enclosingFunction(carried.statement);
      const use = this.usage(carried.name, fn ? { from: fn.from, to: fn.to } : undefined);
      if (use && (use.model || use.callee || use.unknown)) return { ...use, carrier: carried.name, line: this.lineOf(carried.statement.from) };
    }
    return undefined;
  }

  /**
   * Where a variable holding a prompt goes out (`PromptLocation.sentIn`): the LLM call it is an argument of
   * (`system=SYSTEM`, `messages=[{"role": "user", "content": PROMPT.format(…)}]`; `isApiCall` says which callees are
   * LLM calls) and the literal list of role messages whose `content` it is, at its first use that has either; or, one
   * hop, where a plain variable it is carried into is (`prompt = TEMPLATE.format(…)`, then `{"content": prompt}`:
   * crewAI's docs_check.py). Offsets of the call's and the list's starts, as `LiteralContext.calleeAt` and `messageList`.
   */
  sentSite(name: string, scope: { from: number; to: number } | undefined, isApiCall: (callee: string) => boolean, hops = 1, message?: { role?: string }): SentSite | undefined {
    return this.sentSites(name, scope, isApiCall, hops, message, true)[0];
  }

  /**
   * Every place a name is sent (`sentSite`), in the order of its uses, one entry per call or list: a constant sent by
   * two calls goes out in two requests (multiCAD-MCP's cli_agent.py sends `SYSTEM_PROMPT` as Claude's `system=` and, in
   * `sys_msg = {"role": "system", "content": SYSTEM_PROMPT}`, in MiniMax's `messages=[sys_msg] + …`). `message`: the name
   * holds a role message itself (a dict bound to it), so an item of a list is a message of that list, and so is what
   * `messages.append(name)` / `messages.push(name)` adds to the list bound to `messages`.
   */
  sentSites(name: string, scope: { from: number; to: number } | undefined, isApiCall: (callee: string) => boolean, hops = 1, message?: { role?: string }, firstOnly = false): SentSite[] {
    const out: SentSite[] = [];
    const add = (site: SentSite) => {
      if (!out.some((o) => o.call === site.call && o.list === site.list)) out.push(site);
    };
    for (const at of this.occurrences(name)) {
      if (scope && (at < scope.from || at >= scope.to)) continue;
      if (firstOnly && out.length > 0) break;
      const node = this.tree.resolveInner(at, 1);
      if (node.name !== 'VariableName') continue;
      const site = this.sentSiteOf(node, isApiCall, message);
      if (site) {
        add(site);
        continue;
      }
      // A role message bound to a name (`msg = {"role": "user", "content": NAME}`), sent where that name is: not a hop of
      // its own (the message only wraps the text), but never a second message around the first.
      const wrapped = message ? undefined : this.messageCarrierOf(node);
      if (wrapped) {
        const fn = enclosingFunction(wrapped.statement);
        for (const s of this.sentSites(wrapped.name, fn ? { from: fn.from, to: fn.to } : undefined, isApiCall, hops, { role: wrapped.role }, firstOnly)) add(s);
        continue;
      }
      if (hops <= 0) continue;
      const carried = this.carrierOf(node);
      if (!carried) continue;
      const fn = enclosingFunction(carried.statement);
      for (const s of this.sentSites(carried.name, fn ? { from: fn.from, to: fn.to } : undefined, isApiCall, hops - 1, message, firstOnly)) add(s);
    }
    return out;
  }

  /**
   * The classes of the file that hold `name` in a field's annotation (`actions: list[DocAction] = Field(…)` in
   * `class DocsAnalysis`): a schema nested in theirs, sent with them.
   */
  classesHolding(name: string): string[] {
    const out: string[] = [];
    for (const at of this.occurrences(name)) {
      const node = this.tree.resolveInner(at, 1);
      if (node.name !== 'VariableName') continue;
      let typed = false;
      for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
        if (p.name === 'TypeDef') typed = true;
        else if (p.name === 'ClassDefinition') {
          const cls = p.getChild('VariableName');
          const own = cls ? textOf(this.src, cls) : undefined;
          if (typed && own && own !== name && !out.includes(own)) out.push(own);
          break;
        } else if (p.name === 'FunctionDefinition') break;
      }
    }
    return out;
  }

  /** The call and message list around one use of a name (`sentSite`); `message`: the name holds a role message. */
  private sentSiteOf(node: SyntaxNode, isApiCall: (callee: string) => boolean, message?: { role?: string }): SentSite | undefined {
    let list: number | undefined;
    let call: number | undefined;
    let role: string | undefined;
    let child: SyntaxNode = node;
    let hops = 0;
    let listNode: SyntaxNode | undefined;
    if (message) {
      // The message as an item of a list (`[system_msg, msg]`, `[...messages, msg]`), or added to one (`messages.append(msg)`).
      const parent = node.parent;
      if (parent?.name === 'ArrayExpression') listNode = parent;
      else {
        const receiver = appendedTo(this.src, node);
        if (receiver) {
          listNode = this.listBoundTo(receiver, node);
          if (!listNode) return undefined;
          // (The call that sends the list, where the list's name is passed.)
          const sent = this.callSending(receiver, node, isApiCall);
          return { list: listNode.from, ...(sent !== undefined ? { call: sent } : {}), ...(message.role !== undefined ? { role: message.role } : {}) };
        }
      }
      if (!listNode) return undefined;
      list = listNode.from;
      role = message.role;
    }
    for (let p: SyntaxNode | null = node.parent; p && hops++ < 30 && !STOP.has(p.name) && call === undefined; child = p, p = p.parent) {
      if (list === undefined && (p.name === 'DictionaryExpression' || p.name === 'Property') && this.isMessageContent(p, child)) {
        const dict = p.name === 'Property' ? p.parent : p;
        if (dict?.parent?.name === 'ArrayExpression') {
          list = dict.parent.from;
          listNode = dict.parent;
          role = this.roleOf(dict);
        } else {
          // A message added to a list (`messages.append({"role": "system", "content": SYSTEM})`): that list, sent where its name is.
          const receiver = dict ? appendedTo(this.src, dict) : undefined;
          const bound = receiver && dict ? this.listBoundTo(receiver, dict) : undefined;
          if (!receiver || !bound || !dict) break;
          const sent = this.callSending(receiver, dict, isApiCall);
          const r = this.roleOf(dict);
          return { list: bound.from, ...(sent !== undefined ? { call: sent } : {}), ...(r !== undefined ? { role: r } : {}) };
        }
      }
      if (p.name === 'ArgList' && p.parent?.name === 'CallExpression' && p.parent.firstChild) {
        const callee = p.parent.firstChild.name === 'new' ? (p.parent.firstChild.nextSibling ?? p.parent.firstChild) : p.parent.firstChild;
        if (isApiCall(textOf(this.src, callee).replace(/\s+/g, ''))) call = p.parent.from;
      }
    }
    // A list bound to a name and sent by it (`messages = [system_msg, msg]`, then `create(model=…, messages=messages)`).
    if (call === undefined && listNode) {
      const bound = boundNameOf(this.src, listNode);
      if (bound) call = this.callSending(bound, listNode, isApiCall);
    }
    return call !== undefined || list !== undefined ? { ...(call !== undefined ? { call } : {}), ...(list !== undefined ? { list } : {}), ...(role !== undefined ? { role } : {}) } : undefined;
  }

  /** The list literal a name is bound to in the function of `at` (`messages = []`, `const messages = [...]`), the nearest before `at`. */
  private listBoundTo(name: string, at: SyntaxNode): SyntaxNode | undefined {
    const fn = enclosingFunction(at);
    let found: SyntaxNode | undefined;
    for (const value of this.definitionValues(name)) {
      if (value.name !== 'ArrayExpression' || value.from >= at.from) continue;
      if (fn ? value.from < fn.from || value.to > fn.to : enclosingFunction(value) !== undefined) continue;
      if (!found || value.from > found.from) found = value;
    }
    return found;
  }

  /** The LLM call that a name is passed to (`messages=messages`, `{ messages }`), in the function of `at`: the call's start. */
  private callSending(name: string, at: SyntaxNode, isApiCall: (callee: string) => boolean): number | undefined {
    const fn = enclosingFunction(at);
    for (const occurrence of this.occurrences(name)) {
      if (fn && (occurrence < fn.from || occurrence >= fn.to)) continue;
      const node = this.tree.resolveInner(occurrence, 1);
      if (node.name !== 'VariableName' && node.name !== 'PropertyDefinition') continue;
      let hops = 0;
      for (let p: SyntaxNode | null = node.parent; p && hops++ < 30 && !STOP.has(p.name); p = p.parent) {
        if (p.name !== 'ArgList' || p.parent?.name !== 'CallExpression' || !p.parent.firstChild) continue;
        const callee = p.parent.firstChild.name === 'new' ? (p.parent.firstChild.nextSibling ?? p.parent.firstChild) : p.parent.firstChild;
        if (isApiCall(textOf(this.src, callee).replace(/\s+/g, ''))) return p.parent.from;
        break;
      }
    }
    return undefined;
  }

  /**
   * The plain variable a role message around a use of a name is bound to (`msg = {"role": "user", "content": NAME}`,
   * `const msg = { role: 'user', content: NAME }`), with the statement and the message's role; undefined otherwise.
   */
  messageCarrierOf(node: SyntaxNode): { name: string; statement: SyntaxNode; role?: string } | undefined {
    const direct = node.parent;
    if (!direct) return undefined;
    const dict = direct.name === 'DictionaryExpression' && this.isMessageContent(direct, node) ? direct : direct.name === 'Property' && this.isMessageContent(direct, node) ? direct.parent : null;
    if (!dict) return undefined;
    const statement = dict.parent;
    let target: SyntaxNode | null | undefined;
    if (statement?.name === 'AssignStatement' && statement.firstChild?.name === 'VariableName' && statement.lastChild?.from === dict.from) target = statement.firstChild;
    else if (statement?.name === 'VariableDeclaration' && dict.prevSibling?.name === 'Equals' && dict.prevSibling.prevSibling?.name === 'VariableDefinition') target = dict.prevSibling.prevSibling;
    if (!statement || !target) return undefined;
    const name = textOf(this.src, target);
    if (name === textOf(this.src, node)) return undefined;
    const role = this.roleOf(dict);
    return { name, statement, ...(role !== undefined ? { role } : {}) };
  }

  /** The literal `role` of a message dict or object, if it has one. */
  private roleOf(message: SyntaxNode): string | undefined {
    for (let c = message.firstChild; c; c = c.nextSibling) {
      const key = c.name === 'Property' ? c.firstChild : c.name === 'String' && c.nextSibling?.name === ':' ? c : null;
      const keyText = key ? (key.name === 'String' ? this.stringValue(key) : textOf(this.src, key)) : undefined;
      if (keyText !== 'role' || key?.nextSibling?.name !== ':') continue;
      let value = key.nextSibling.nextSibling;
      // (`role: "user" as const`, TypeScript.)
      if (value?.name === 'BinaryExpression' && value.firstChild?.nextSibling?.name === 'as') value = value.firstChild;
      return value ? this.stringValue(value) : undefined;
    }
    return undefined;
  }

  /** Whether `child` is the value of a `content` entry of `container` (a dict, or an object's property) that has a `role` entry. */
  private isMessageContent(container: SyntaxNode, child: SyntaxNode): boolean {
    const keyOf = (k: SyntaxNode | null): string | undefined => (!k ? undefined : k.name === 'String' ? this.stringValue(k) : textOf(this.src, k));
    if (container.name === 'Property') {
      const key = container.firstChild;
      if (keyOf(key) !== 'content' || key?.nextSibling?.name !== ':' || child === key) return false;
      const obj = container.parent;
      if (obj?.name !== 'ObjectExpression') return false;
      for (let c = obj.firstChild; c; c = c.nextSibling) if (c.name === 'Property' && keyOf(c.firstChild) === 'role') return true;
      return false;
    }
    // A dict: `"content": <child>` and a `"role"` key beside it.
    const colon = child.prevSibling;
    if (colon?.name !== ':' || keyOf(colon.prevSibling) !== 'content') return false;
    for (let c = container.firstChild; c; c = c.nextSibling) if (c.name === 'String' && c.nextSibling?.name === ':' && keyOf(c) === 'role') return true;
    return false;
  }

  /**
   * The plain variable a use of a name is carried into (`prompt = NAME.format(…)`, `x = f"…{NAME}…"`, `x = NAME + y`,
   * a template literal), with the statement; undefined when the use is no such assignment's value.
   */
  private carrierOf(node: SyntaxNode): { name: string; statement: SyntaxNode; alias: boolean } | undefined {
    const direct = node.parent;
    let p = direct;
    // `NAME.format(…)`: the call of its `format` method carries it.
    if (p?.name === 'MemberExpression' && p.firstChild?.from === node.from && p.lastChild && textOf(this.src, p.lastChild) === 'format' && p.parent?.name === 'CallExpression') p = p.parent.parent;
    for (let hops = 0; p && hops < 8 && CARRIERS.has(p.name); hops++) p = p.parent;
    if (!p || !direct) return undefined;
    let target: SyntaxNode | undefined;
    if ((p.name === 'AssignStatement' || p.name === 'AssignmentExpression') && p.firstChild?.name === 'VariableName') target = p.firstChild;
    else if (p.name === 'VariableDeclaration') for (let c = p.firstChild; c && c.to <= node.from; c = c.nextSibling) if (c.name === 'VariableDefinition') target = c;
    if (!target || target.to > node.from) return undefined;
    const name = textOf(this.src, target);
    return name === textOf(this.src, node) ? undefined : { name, statement: p, alias: p.from === direct.from && p.to === direct.to && p.name === direct.name };
  }

  /**
   * Where a variable holding a prompt is passed to a function of this file (`_call_claude(prompt, max_tokens=1024)`,
   * gptme's self-heal script, model38): the model that function sends the matching parameter with
   * (`def _call_claude(prompt, *, max_tokens): … messages.create(model="claude-…", messages=[{"content": prompt}])`), and
   * that call's callee. One level: a function defined once by `def`/`function`, called by its bare name; the argument
   * matched by position or keyword.
   */
  helperUsage(name: string, scope?: { from: number; to: number }): { model: ResolvedModel; callee?: string; helper: string } | undefined {
    for (const at of this.occurrences(name)) {
      if (scope && (at < scope.from || at >= scope.to)) continue;
      const node = this.tree.resolveInner(at, 1);
      const args = node.parent;
      const call = args?.parent;
      if (node.name !== 'VariableName' || args?.name !== 'ArgList' || call?.name !== 'CallExpression' || call.firstChild?.name !== 'VariableName') continue;
      const helper = textOf(this.src, call.firstChild);
      const fn = this.functionNamed(helper);
      if (!fn && this.importedHelper && node.nextSibling?.name !== 'AssignOp') {
        // A function imported from another module of the project (bolt.new's own `streamText(messages, env)` wrapper).
        const key = node.prevSibling?.name === 'AssignOp' ? node.prevSibling.prevSibling : undefined;
        const position = key ? -1 : positionalArgs(args).findIndex((a) => a.from === node.from);
        const model = this.importedHelper(helper, position, key ? textOf(this.src, key) : undefined, call);
        if (model) return { model, helper };
        continue;
      }
      const params = fn?.getChild('ParamList');
      const body = fn?.getChild('Body') ?? fn?.getChild('Block');
      if (!fn || !params || !body || (at >= fn.from && at < fn.to)) continue;
      // The parameter it lands in: by keyword (`prompt=prompt`), else by position among the positional arguments.
      // (A keyword's own name, `prompt` in `prompt=…`, is no argument.)
      if (node.nextSibling?.name === 'AssignOp') continue;
      const names: string[] = [];
      for (let c = params.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' || c.name === 'VariableDefinition') names.push(textOf(this.src, c));
      const key = node.prevSibling?.name === 'AssignOp' ? node.prevSibling.prevSibling : undefined;
      const param = key ? textOf(this.src, key) : names[positionalArgs(args).findIndex((a) => a.from === node.from)];
      if (!param || !names.includes(param)) continue;
      const use = this.usage(param, { from: body.from, to: body.to });
      if (use?.model) return { model: use.model, ...(use.callee ? { callee: use.callee } : {}), helper };
    }
    return undefined;
  }

  /**
   * What the calls of a function of this file pass for its parameter `param` (ollama-js's tools example:
   * `async function run(model: string) { … ollama.chat({ model: model, … }) }` and `run('qwen3')`, model39): the model,
   * when every call of the function by its bare name, outside it, passes one that resolves to the same name. Null when
   * a call passes something that names no model here; undefined when the function is not called so (or is no plain
   * function defined once: a method, an arrow function).
   */
  private passedFor(fn: SyntaxNode, param: string, seen: Set<string>, depth: number): Resolution {
    const nameNode = fn.getChild('VariableDefinition') ?? fn.getChild('VariableName');
    const params = fn.getChild('ParamList');
    if (!nameNode || !params) return undefined;
    const fnName = textOf(this.src, nameNode);
    if (this.functionNamed(fnName) !== fn) return undefined;
    const names: string[] = [];
    for (let c = params.firstChild; c; c = c.nextSibling) if (c.name === 'VariableName' || c.name === 'VariableDefinition') names.push(textOf(this.src, c));
    const index = names.indexOf(param);
    if (index < 0) return undefined;
    const key = `passed:${fn.from}:${param}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    let model: ResolvedModel | undefined;
    for (const at of this.occurrences(fnName)) {
      if (at >= fn.from && at < fn.to) continue;
      const callee = this.tree.resolveInner(at, 1);
      const call = callee.parent;
      const args = callee.nextSibling;
      if (callee.name !== 'VariableName' || call?.name !== 'CallExpression' || call.firstChild?.from !== callee.from || args?.name !== 'ArgList') continue;
      const arg = (this.lang === 'python' ? keywordArg(this.src, args, param) : undefined) ?? positionalArgs(args)[index];
      const r = arg ? this.resolve(arg, new Set(seen), depth + 1) : undefined;
      if (!r || (model && r.name !== model.name)) return null;
      model ??= { ...r, via: `${short(textOf(this.src, call))} passes ${param} (line ${this.lineOf(call.from)})` };
    }
    return model;
  }

  private lineOf(offset: number): number {
    let line = 1;
    for (let i = this.src.indexOf('\n'); i >= 0 && i < offset; i = this.src.indexOf('\n', i + 1)) line++;
    return line;
  }

  /** The function of this file defined once under `name` (`def name(`, `function name(`). */
  private functionNamed(name: string): SyntaxNode | undefined {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
    if (!this.functionIndex) {
      this.functionIndex = new Map();
      for (const m of this.src.matchAll(/\b(?:def|function)\s+([A-Za-z_$][\w$]*)\s*\(/g)) {
        const list = this.functionIndex.get(m[1]);
        if (list) list.push(m.index);
        else this.functionIndex.set(m[1], [m.index]);
      }
      FileModelResolver.functionLookupSteps += this.src.length;
    }
    const known = this.functionCache.get(name);
    if (known !== undefined) return known ?? undefined;
    const found: SyntaxNode[] = [];
    for (const at of this.functionIndex.get(name) ?? []) {
      if (found.length >= 2) break;
      FileModelResolver.functionLookupSteps++;
      const keyword = this.tree.resolveInner(at, 1);
      const fn = keyword.name === 'def' || keyword.name === 'function' ? keyword.parent : keyword;
      if (fn && (fn.name === 'FunctionDefinition' || fn.name === 'FunctionDeclaration')) found.push(fn);
    }
    this.functionCache.set(name, found.length === 1 ? found[0] : null);
    return found.length === 1 ? found[0] : undefined;
  }

  /**
   * The model a function of this file returns: `function getModel(key) { …; return anthropic('claude-…'); }`,
   * `const getModel = () => openai('gpt-4o')`, `def get_llm(): return ChatAnthropic(model="…")`. Every `return` of
   * its own body (not of a function inside it) must name the same model; otherwise none.
   */
  returnedModel(name: string): ResolvedModel | undefined {
    let fn: SyntaxNode | undefined = this.functionNamed(name);
    if (!fn && this.lang === 'javascript') {
      // `const name = (…) => …` / `= function (…) {…}`, declared once.
      const defs = this.definitionValues(name).filter((v) => v.name === 'ArrowFunction' || v.name === 'FunctionExpression');
      if (defs.length === 1) fn = defs[0];
    }
    if (!fn) return undefined;
    const body = fn.getChild('Body') ?? fn.getChild('Block');
    if (!body) {
      // An arrow function's expression body.
      const expr = fn.lastChild;
      return expr && fn.name === 'ArrowFunction' ? (this.resolve(expr) ?? undefined) : undefined;
    }
    const returns: SyntaxNode[] = [];
    const collect = (node: SyntaxNode): void => {
      for (let c = node.firstChild; c && returns.length <= 8; c = c.nextSibling) {
        if (c.name === 'ReturnStatement') returns.push(c);
        else if (!/^(FunctionDefinition|FunctionDeclaration|ArrowFunction|FunctionExpression|ClassDefinition|ClassDeclaration|LambdaExpression|String|TemplateString)$/.test(c.name)) collect(c);
      }
    };
    collect(body);
    if (returns.length === 0 || returns.length > 8) return undefined;
    let found: ResolvedModel | undefined;
    for (const n of returns) {
      const value = n.lastChild?.name === ';' ? n.lastChild.prevSibling : n.lastChild;
      const r = value && value.name !== 'return' ? this.resolve(value) : undefined;
      if (!r || (found && found.name !== r.name)) return undefined;
      found ??= r;
    }
    return found;
  }

  /** The one model named by the file's model arguments and model-named definitions, when there is exactly one. */
  fileModel(scope?: { from: number; to: number }): ResolvedModel | undefined {
    if (this.fileModelCache === undefined) this.fileModelCache = this.fileModelSites();
    const sites = this.fileModelCache;
    if (!sites) return undefined;
    // Set in several places, the model is named where the prompt's own function sets it, else where the file first does
    // (newuser42: storm's utils.py sets "azure/gpt-4o-mini" in each of its two checks; the first check's prompt named the
    // second's line, 771, for its own at 716).
    return (scope && sites.find((r) => r.start >= scope.from && r.end <= scope.to)) || sites[0];
  }

  /** The `default=` of an argparse option whose `add_argument` call `callee` names (undefined when it has none). */
  private optionDefault(callee: SyntaxNode): SyntaxNode | undefined {
    let call: SyntaxNode | null = callee;
    while (call && call.name !== 'CallExpression') call = call.parent;
    const args = call?.getChild('ArgList');
    for (let c = args?.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableName' && textOf(this.src, c) === 'default' && c.nextSibling?.name === 'AssignOp') return c.nextSibling.nextSibling ?? undefined;
    }
    return undefined;
  }

  /** The places that set the file's one model (`fileModel`), or null. */
  private fileModelSites(): ResolvedModel[] | null {
    const names = new Map<string, ResolvedModel[]>();
    MODEL_KEY_IN_SOURCE.lastIndex = 0;
    let count = 0;
    for (let m = MODEL_KEY_IN_SOURCE.exec(this.src); m && count++ < 200; m = MODEL_KEY_IN_SOURCE.exec(this.src)) {
      const node = this.tree.resolveInner(m.index, 1);
      let value: SyntaxNode | undefined;
      // A model object's call (`init_chat_model("…")`, the callee's last name matched) resolves through resolve's CallExpression case.
      if (m[2] !== undefined) value = node.parent?.name === 'CallExpression' ? node.parent : node.parent?.parent?.name === 'CallExpression' ? node.parent.parent : undefined;
      else if (m[3] !== undefined) value = this.optionDefault(node);
      // A shorthand `{ model }` defines nothing (its variable's own definition is found by the first alternative).
      else if (m[1] === undefined) continue;
      else if (node.name === 'VariableName' && node.parent?.name === 'ArgList' && node.nextSibling?.name === 'AssignOp') value = node.nextSibling.nextSibling ?? undefined;
      else value = this.definitionValue(node, m[1]);
      if (!value) continue;
      const r = this.resolve(value);
      // A tokenizer's or an embeddings client's model (`from_tiktoken_encoder(model_name=…)`, `…Embeddings(model=…)`) is not the file's chat model (newuser40).
      if (r && MODEL_NAME_SHAPE.test(r.name) && !takesNoPrompt(this.src, m.index)) names.set(r.name, [...(names.get(r.name) ?? []), r]);
    }
    return names.size === 1 ? [...names.values()][0] : null;
  }
}
