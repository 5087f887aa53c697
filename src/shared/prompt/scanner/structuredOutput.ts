/**
 * Whether the call that sends a prompt gives the model an output schema, so that the prompt need not state its output
 * format in words (the Analyze Prompt panel's "No output format stated" is then wrong: newuser37 on node-DeepResearch,
 * whose tools send their prompts with `generator.generateObject({ model, schema, system: prompt.system, … })`).
 *
 * A structured-output call is a call with an argument that holds a schema: a property or keyword argument named
 * `schema` (Vercel AI SDK `generateObject`/`streamObject`), `experimental_output`/`output` with `Output.object(…)`,
 * `response_format`/`responseFormat` (OpenAI, `.parse(…, response_format=Model)`), `text_format` (OpenAI Responses
 * `.parse`), `response_model` (instructor), `output_schema`/`outputSchema`, `output_type` (OpenAI Agents SDK), `tool_choice`
 * beside `tools` (Anthropic's forced tool); or a call made on `with_structured_output(…)`/`withStructuredOutput(…)`
 * (LangChain). The prompt is sent by such a call when its literal is in the call's arguments, when the name it is bound
 * to is (`system: SYSTEM_PROMPT`, `content: prompt`), or when it is returned by a function whose result is
 * (`const prompt = getPrompt(…)` then `system: prompt.system`, or `prompt: getPrompt(…)`), in the same file.
 * Anything else (the prompt passed to another function first, a call in another file) is not followed: nothing is said.
 */
import type { SyntaxNode, Tree } from '@lezer/common';
import { calleeText, textOf } from './codeSyntax';
import { codeDialectOf, scanLanguageOf } from './index';
import { loadJavaScriptParser, loadPythonParser } from './parsers';

const SCHEMA_KEY = /^(?:schema|response_format|responseFormat|text_format|textFormat|response_model|output_schema|outputSchema|output_type|outputType|experimental_output)$/;
const STRUCTURED_CALLEE = /(?:with_structured_output|withStructuredOutput)\(/;
const FUNCTION_NODE = /^(?:FunctionDeclaration|FunctionDefinition|FunctionExpression|ArrowFunction|MethodDeclaration)$/;

interface StructuredCall {
  args: SyntaxNode;
  /** How the schema is given, for people: "`schema` of generator.generateObject". */
  how: string;
}

/**
 * The argument names of a call: a Python call's keywords, and the keys of a JavaScript object argument. An argument
 * whose value, as written, gives no schema is left out (break38): `response_format={"type": "json_object"}` (JSON mode:
 * the prompt must say the shape, and OpenAI requires it to say "JSON") or `{ type: "text" }`, and `tool_choice: "auto"`
 * or `"none"` (the model may answer in free text: e2b-cookbook's data-science agent sends its system prompt so).
 */
function argumentKeys(src: string, args: SyntaxNode): string[] {
  const keys: string[] = [];
  const add = (key: string, value: SyntaxNode | null): void => {
    if (!noSchema(key, value ? textOf(src, value) : '')) keys.push(key);
  };
  for (let c = args.firstChild; c; c = c.nextSibling) {
    if (c.name === 'VariableName' && c.nextSibling?.name === 'AssignOp') add(textOf(src, c), c.nextSibling.nextSibling);
    if (c.name === 'ObjectExpression') {
      for (const p of c.getChildren('Property')) {
        const key = p.firstChild;
        if (key && /^(?:PropertyDefinition|PropertyName|String)$/.test(key.name)) add(textOf(src, key).replace(/^["']|["']$/g, ''), key.nextSibling?.name === ':' ? key.nextSibling.nextSibling : null);
      }
    }
  }
  return keys;
}

const TYPE_ONLY = (types: string): RegExp => new RegExp(`^\\{\\s*["']?type["']?\\s*:\\s*["'](?:${types})["']\\s*,?\\s*\\}$`);
const NO_SCHEMA_FORMAT = TYPE_ONLY('text|json_object');
const FREE_TOOL_CHOICE = TYPE_ONLY('auto|none');

/** Whether an argument's value, as written, says that the call gives no schema. */
function noSchema(key: string, value: string): boolean {
  if (/^(?:response_format|responseFormat)$/.test(key)) return NO_SCHEMA_FORMAT.test(value);
  if (key === 'tool_choice') return /^["'](?:auto|none)["']$/.test(value) || FREE_TOOL_CHOICE.test(value);
  return false;
}

function structuredCalls(src: string, tree: Tree): StructuredCall[] {
  const out: StructuredCall[] = [];
  // `const model = new ChatAnthropic(…).withStructuredOutput(schema)` then `model.invoke(…)`: a model bound to a name.
  // (Each line read at most 400 characters: unbounded, a 100 KB line of `a=b a=b …` after the wrapper took 1.5 s, break38.)
  const wrapped = new Set([...src.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*[^;\n]{0,400}?(?:\n[^;\n]{0,400}?){0,6}\.(?:with_structured_output|withStructuredOutput)\s*\(/g)].map((m) => m[1]));
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'CallExpression') return;
      const call = n.node;
      const args = call.getChild('ArgList');
      if (!args) return;
      const callee = calleeText(src, call);
      const keys = argumentKeys(src, args);
      const key = keys.find((k) => SCHEMA_KEY.test(k)) ?? (keys.includes('tool_choice') && keys.includes('tools') ? 'tool_choice' : undefined);
      // (`output: Output.object({ schema })` in generateText: the AI SDK's structured output.)
      const output = !key && keys.includes('output') && /\bOutput\.(?:object|array|choice)\s*\(/.test(textOf(src, args)) ? 'output' : undefined;
      if (key ?? output) out.push({ args, how: `\`${key ?? output}\` of ${callee.replace(/\(.*$/s, '') || 'the call'}` });
      else if (STRUCTURED_CALLEE.test(callee) || (/\.(?:invoke|ainvoke|stream|astream|batch|abatch)$/.test(callee) && wrapped.has(callee.replace(/^(?:self|this)\./, '').split('.')[0]))) out.push({ args, how: `${/with_structured_output/.test(callee) ? 'with_structured_output' : 'withStructuredOutput'}(…)` });
    },
  });
  return out;
}

/** The name of the function whose `return` the node is in (directly, or in an object, list or call it returns), or undefined. */
function returnedBy(src: string, node: SyntaxNode): string | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.name === 'ReturnStatement') {
      for (let f = p.parent; f; f = f.parent) {
        if (!FUNCTION_NODE.test(f.name)) continue;
        const name = f.getChild('VariableDefinition') ?? f.getChild('PropertyDefinition') ?? (f.name === 'FunctionDefinition' ? f.getChild('VariableName') : null);
        if (name) return textOf(src, name);
        // `const getPrompt = (…) => { … }`: the name of the variable the function is assigned to.
        const decl = f.parent;
        const bound = decl?.name === 'VariableDeclaration' ? decl.getChild('VariableDefinition') : null;
        return bound ? textOf(src, bound) : undefined;
      }
      return undefined;
    }
    if (FUNCTION_NODE.test(p.name) || /^(?:Script|ClassBody|Block)$/.test(p.name) && p.parent && FUNCTION_NODE.test(p.parent.name)) return undefined;
  }
  return undefined;
}

/** The function around `node` whose `return` uses `name` (a list joined there: `return { system: sections.join("\\n\\n") }`), or undefined. */
function returnerOf(src: string, tree: Tree, node: SyntaxNode, name: string): string | undefined {
  for (let f = node.parent; f; f = f.parent) {
    if (!FUNCTION_NODE.test(f.name)) continue;
    let uses = false;
    tree.iterate({
      from: f.from,
      to: f.to,
      enter: (n) => {
        if (uses) return false;
        if (n.name === 'ReturnStatement' && n.from >= f.from && nameUsed(src.slice(n.from, n.to), name)) uses = true;
        return undefined;
      },
    });
    if (!uses) return undefined;
    const named = f.getChild('VariableDefinition') ?? f.getChild('PropertyDefinition') ?? (f.name === 'FunctionDefinition' ? f.getChild('VariableName') : null);
    return named ? textOf(src, named) : undefined;
  }
  return undefined;
}

function nameUsed(text: string, name: string): boolean {
  const id = name.replace(/\$/g, '\\$');
  // The name as a value, not as a key (`system: …`, `system=…`) nor a member (`prompt.system`).
  return new RegExp(`(?<![\\w$.])${id}(?![\\w$])(?!\\s*(?::(?!:)|=(?!=)))`).test(text);
}

/**
 * How the call that sends the prompt at `offset` states its output schema, or undefined when no call of the file that sends it
 * does. `boundName` is the name the scanner bound the prompt to. Never throws.
 */
export function structuredOutputOf(src: string, languageId: string | undefined, fileName: string | undefined, offset: number, boundName?: string): string | undefined {
  const scanLang = scanLanguageOf(languageId, fileName);
  const dialect = scanLang ? codeDialectOf(scanLang) : undefined;
  if (!dialect || src.length > 2_000_000) return undefined;
  // (Cheap refusal: no schema argument or structured-output wrapper anywhere in the file.)
  if (!/schema|response_format|responseFormat|text_format|textFormat|response_model|output_type|outputType|experimental_output|tool_choice|[Ss]tructured_?[Oo]utput|Output\./.test(src)) return undefined;
  try {
    const parser = dialect.lang === 'python' ? loadPythonParser() : loadJavaScriptParser(dialect.typescript, dialect.jsx);
    const tree = parser.parse(src);
    const calls = structuredCalls(src, tree);
    if (calls.length === 0) return undefined;
    const direct = calls.find((c) => offset >= c.args.from && offset < c.args.to);
    if (direct) return direct.how;
    const literal = tree.resolveInner(offset, 1);
    const names = new Set<string>();
    // Names bound in the function around the literal are that function's (break38: two methods that each build
    // `messages`, one sent with `response_format=Model`, the other without): only calls in that function send them.
    const local = new Set<string>();
    let scope: SyntaxNode | null = literal.parent;
    while (scope && !FUNCTION_NODE.test(scope.name)) scope = scope.parent;
    if (boundName && /^[A-Za-z_$][\w$]*$/.test(boundName)) {
      names.add(boundName);
      if (scope) local.add(boundName);
    }
    const fn = returnedBy(src, literal) ?? (boundName ? returnerOf(src, tree, literal, boundName) : undefined);
    if (fn) {
      // `prompt: getPrompt(…)`: the function's result in the call.
      const called = calls.find((c) => new RegExp(`(?<![\\w$.])${fn.replace(/\$/g, '\\$')}\\s*\\(`).test(textOf(src, c.args)));
      if (called) return called.how;
      // `const prompt = getPrompt(…)` (or `prompt = self.get_prompt(…)`): the variable holds the result.
      for (const m of src.matchAll(new RegExp(`(?<![\\w$.])([A-Za-z_$][\\w$]*)\\s*(?::[^=\\n]{1,80})?=\\s*(?:await\\s+)?(?:[\\w$]+\\.)*${fn.replace(/\$/g, '\\$')}\\s*\\(`, 'g'))) names.add(m[1]);
      // `const { system, urlList } = getPrompt(…)`: the names destructured from it (node-DeepResearch's agent.ts).
      for (const m of src.matchAll(new RegExp(`\\{([^{}=]{1,200})\\}\\s*(?::[^=\\n]{1,80})?=\\s*(?:await\\s+)?(?:[\\w$]+\\.)*${fn.replace(/\$/g, '\\$')}\\s*\\(`, 'g'))) {
        for (const part of m[1].split(',')) {
          const local = /([A-Za-z_$][\w$]*)\s*$/.exec(part.replace(/=.*$/s, '').trim());
          if (local) names.add(local[1]);
        }
      }
    }
    // A variable made from the prompt (`formatted = PROMPT.replace(…)`, `.format(…)`, `.trim()`) is sent in its place.
    for (const name of [...names]) {
      for (const m of src.matchAll(new RegExp(`(?<![\\w$.])([A-Za-z_$][\\w$]*)\\s*(?::[^=\\n]{1,80})?=\\s*${name.replace(/\$/g, '\\$')}\\s*\\.\\s*[A-Za-z_]\\w*\\s*\\(`, 'g'))) {
        names.add(m[1]);
        if (local.has(name) && scope && m.index >= scope.from && m.index < scope.to) local.add(m[1]);
      }
    }
    for (const name of names) {
      const inScope = (c: StructuredCall): boolean => !local.has(name) || !scope || (c.args.from >= scope.from && c.args.to <= scope.to);
      const sent = calls.find((c) => inScope(c) && nameUsed(textOf(src, c.args), name));
      if (sent) return sent.how;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
