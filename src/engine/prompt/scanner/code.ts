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
import { ASSERT_CALLEE, ERROR_CALLEE, LOG_CALLEE, type LiteralContext, type ModelRef } from './evidence';
import { decodeJavaScript, decodePython, type DecodedLiteral } from './literals';
import { loadJavaScriptParser, loadPythonParser } from './parsers';
import type { Candidate } from './build';

type Lang = 'python' | 'javascript';

const STRING_NODES = new Set(['String', 'FormatString', 'TemplateString']);
const MODEL_KEYS = /^(model|model_?name|model_?id|modelId|engine|deployment_?name|deployment|azure_deployment)$/;
const TAGS_NOT_PROMPTS = /^(sql|gql|graphql|css|html|svg|md|markdown|styled\.\w+|keyframes|injectGlobal|createGlobalStyle|String\.raw|dedent)$/;

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
  if (node.name === 'String') {
    const decoded = lang === 'python' ? decodePython(src, node.from, node.to) : decodeJavaScript(src, node.from, node.to);
    return decoded?.text;
  }
  if (node.name === 'TemplateString' && !node.firstChild) return decodeJavaScript(src, node.from, node.to)?.text;
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
  const parts = target.split('.');
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

/** Describes where a literal (or a concatenation `unit`) sits. */
function contextOf(src: string, unit: SyntaxNode, lang: Lang, imports: ReadonlySet<string>): LiteralContext {
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
        } else if (lang === 'python' && child.prevSibling?.name === 'AssignOp' && child.prevSibling.prevSibling?.name === 'VariableName') {
          ctx.keys.push(textOf(src, child.prevSibling.prevSibling));
        }
        ctx.callees.push(callee);
        noteModel(modelInArgs(src, parent, lang));
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
        if (ctx.role === undefined) ctx.role = roleInDict(src, parent, lang);
        noteModel(modelInDict(src, parent, lang));
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
        if (obj?.name === 'ObjectExpression') {
          if (ctx.role === undefined) ctx.role = roleInObject(src, obj, lang);
          noteModel(modelInObject(src, obj, lang));
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
          if (/^(join|split|startswith|endswith|startsWith|endsWith|includes|indexOf|replace|replaceAll|encode|match|test|search|rstrip|lstrip|strip)$/.test(prop)) {
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
          if (target && ctx.callees.length === 0) ctx.boundName ??= lastName(textOf(src, target));
        }
        return ctx;
      }
      case 'VariableDeclaration': {
        let def: SyntaxNode | null = child.prevSibling;
        while (def && def.name !== 'VariableDefinition' && def.name !== 'ObjectPattern' && def.name !== 'ArrayPattern') def = def.prevSibling;
        if (def?.name === 'VariableDefinition' && ctx.callees.length === 0) ctx.boundName ??= textOf(src, def);
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
        return ctx;
      }
      case 'ExpressionStatement': {
        if (same(child, unit)) ctx.negatives.push(lang === 'python' && isDocstringPosition(parent) ? 'docstring' : 'bareExpression');
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

function collectImports(src: string, tree: Tree, lang: Lang): Set<string> {
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

function decodeNode(src: string, node: SyntaxNode, lang: Lang): DecodedLiteral | undefined {
  const interpolations: Array<[number, number]> = [];
  const interpName = lang === 'python' ? 'FormatReplacement' : 'Interpolation';
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === interpName) interpolations.push([c.from, c.to]);
  return lang === 'python' ? decodePython(src, node.from, node.to, interpolations) : decodeJavaScript(src, node.from, node.to, interpolations);
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

/** Finds string-literal candidates in Python or JavaScript/TypeScript source. */
export function codeCandidates(src: string, lang: Lang, options: { typescript?: boolean; jsx?: boolean } = {}): Candidate[] {
  const parser = lang === 'python' ? loadPythonParser() : loadJavaScriptParser(options.typescript !== false, options.jsx !== false);
  const tree = parser.parse(src);
  const imports = collectImports(src, tree, lang);
  const candidates: Candidate[] = [];
  const seen = new Set<number>();
  tree.iterate({
    enter(ref) {
      if (!STRING_NODES.has(ref.name)) return true;
      // Short literals cannot be prompts on their own; skip them before any tree walking.
      if (ref.to - ref.from < 8 && ref.node.parent?.name !== 'ContinuedString' && ref.node.parent?.name !== 'BinaryExpression') return false;
      const node = ref.node;
      const unit = unitOf(node, src);
      if (seen.has(unit.from)) return false;
      seen.add(unit.from);
      const parts = unit === node ? [node] : (literalOperands(unit, src) ?? [node]);
      const segments: DecodedLiteral[] = [];
      for (const part of parts) {
        const decoded = decodeNode(src, part, lang);
        if (!decoded) return false;
        segments.push(decoded);
      }
      candidates.push({ segments, context: contextOf(src, unit, lang, imports) });
      return false;
    },
  });
  return candidates;
}
