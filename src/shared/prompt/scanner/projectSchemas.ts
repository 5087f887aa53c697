/**
 * Which pydantic classes of a Python project are web API records and never a schema sent to a
 * model (issue 12): letta's `letta/schemas/*.py` request and response models carry a
 * `Field(description=…)` on every field, which FastAPI puts in the OpenAPI document, while
 * browser-use's `tools/views.py` action models, written the same way, are passed as
 * `param_model=` to the LLM's tool registry in another file. The difference is where the
 * classes are used, so it is read from every Python file of the project:
 *
 * - `schemaFacts(text)` reads one file (regular expressions, no parse): the classes it defines
 *   (bases and the class names in their field annotations), the classes it passes to a model
 *   (`response_format=`, `param_model=`, `with_structured_output(…)`, `bind_tools([…])`,
 *   `X.model_json_schema()`…) and the classes its web routes use (`@router.post(…,
 *   response_model=…)`, the route function's annotations).
 *   It also lists the classes the file builds with field values (`LlmRequest(messages=…)`, vanna's
 *   core/llm/models.py: records the program fills, session 39).
 * - `webOnlyClasses(facts)` joins the files: the classes reached from web routes or built by the
 *   program (through field types and bases), less every class reached from a model position. By name, not by module:
 *   a name used both ways anywhere in the project counts as sent.
 *
 * Fails open: with no index (the incremental editor scan, a file outside any project), the
 * scanner judges a field description as before; a class sent to a model through a pattern
 * not listed here is silenced only if a web route uses it too.
 */
import { TEST_CODE } from './testCode';

export interface SchemaFacts {
  /** Class name → the class names in its bases and field annotations (what its JSON schema contains). */
  classes: Map<string, string[]>;
  /** Class name → the class names in its bases only. */
  bases: Map<string, string[]>;
  /** Classes passed to a model (a response format, a tool's parameters, a function-calling schema). */
  sent: string[];
  /** Classes a web route takes or returns. */
  web: string[];
  /**
   * Classes the program builds itself with field values (`LlmRequest(messages=…, system_prompt=…)`, vanna's
   * core/llm/models.py), outside tests: records the program fills, whose descriptions no model reads, unless the
   * class is also sent. Not `X(**data)`, which is how a program parses a model's answer into its schema.
   */
  built: string[];
  /**
   * Names imported from a module, by the name the file uses: `from letta.schemas.step import Step as PydanticStep` →
   * PydanticStep: `{ module: 'letta.schemas.step', name: 'Step' }` (relative modules keep their dots).
   */
  imports: Map<string, { module: string; name: string }>;
}

/** The keyword arguments that hand a class to a model or a tool registry (a route's `response_model` excepted). */
// (LangChain's output parsers write the class's JSON schema into the prompt's format instructions, `pydantic_object=`;
// Gemini takes `response_schema=`, CrewAI's Task `output_pydantic=`/`output_json=`, LlamaIndex's programs `output_cls=`.)
/**
 * How long an annotation between a name and its `=` may be (`tools: list[BaseTool] = [`): unbounded, each `tools:` of a long
 * line read the rest of the line (breakidx37: 160 KB of `tools:` took 4.6 s).
 */
const ANNOTATION_REACH = 300;
const SENT_KEYWORDS =
  'response_model|output_type|response_format|text_format|output_schema|output_format|output_model_schema|result_type|args_schema|args_model|param_model|input_schema|pydantic_object|response_schema|output_pydantic|output_json|output_cls';
/** The class of a keyword argument (`response_format=Answer`, `output_type=list[Answer]`, pydantic-ai's `output_type=ToolOutput(Answer)`) or of a config dict's key (`{"response_schema": Answer}`). */
const SENT_KEYWORD_ARG = new RegExp(String.raw`(?:\b(?:${SENT_KEYWORDS})\s*(?::[^=\n]{0,${ANNOTATION_REACH}})?=|["'](?:${SENT_KEYWORDS})["']\s*:)\s*([\w.]+(?:\[[^\]\n]{0,300}\]|\([^()\n]{0,300}\))?)`, 'g');
/** Calls that build a model's schema from a class: LangChain, OpenAI's helpers, pydantic's own JSON schema, vanna's `Tool[Args]`. */
const SENT_CALL =
  /\b(?:with_structured_output|pydantic_function_tool|convert_to_openai_(?:tool|function)|TypeAdapter|openai_schema|from_pydantic)\(\s*(?:schema\s*=\s*)?([A-Za-z_][\w.]*)|(?<![\w.])((?:[A-Za-z_]\w*\.)*[A-Z]\w*)\.(?:model_json_schema|schema_json|schema|openai_schema)\(|\bTool\[\s*([A-Z]\w*)\s*\]|\bdef[ \t]+get_args_schema\([^)]{0,300}\)[^:\n]{0,300}:\s*return[ \t]+(\w+)/g;
/**
 * Calls that take the class among their first arguments: LlamaIndex's `llm.as_structured_llm(X)`, `llm.structured_predict(X, prompt)`,
 * outlines' `generate.json(model, X)`, langroid's `agent.enable_message([TaskTool, DoneTool])` (its tools' fields are the arguments).
 */
const SENT_ARGS_CALL = /\b(?:as_structured_llm|a?structured_predict|generate\.json|enable_message)\(([^()\n]{0,300})/g;
/** A list of tools given to a model: `bind_tools([A, B])`, `tools=[A, B]`, a list bound first (`TOOLS = [A, B]`, `search_tools = [A]`). */
const TOOL_LIST = new RegExp(String.raw`(?:\bbind_tools\(|\b\w*(?:tools|TOOLS)\s*(?::[^=\n]{0,${ANNOTATION_REACH}})?=\s*)\[`, 'g');
/** A tools list longer than this is none (generated data). */
const TOOL_LIST_REACH = 2000;
/** What the routes (or the type aliases) of a file may read together, per character of the file (nested decorators each read the ones inside). */
const READ_BUDGET_PER_CHAR = 4;
/** A web route: FastAPI's or Starlette's `@router.get(` decorator; its arguments and the function's header end where `codeBrackets` closes them. */
const ROUTE = /@[\w.]+\.(?:get|post|put|patch|delete|api_route|websocket)\(/g;
/** After a route decorator's arguments: other decorators, then the header of the route function up to its parameters' `(`. */
const ROUTE_DEF = /^[ \t]*\r?\n(?:[ \t]*@[^\n]*\n){0,20}[ \t]*(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(/;
/** `from m import …`: the names after it are a parenthesized list (its `)` found by `importedNames`) or the rest of the line, with its `\` continuations. */
const FROM_IMPORT = /^[ \t]*from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+/gm;
const IMPORT_LINE = /[^\n]*(?:\\\n[^\n]*)*/y;
const TYPE_ALIAS = /^([A-Z]\w*)[ \t]*(?::[ \t]*TypeAlias[ \t]*)?=[ \t]*(?=(?:Annotated|Union|Optional|List|list|Sequence|Dict|dict)\[|[A-Z]\w*[ \t]*\|)/gm;
const CLASS_HEADER = /^([ \t]*)class[ \t]+([A-Za-z_]\w*)[ \t]*(?:\(([^)]{0,500})\))?[ \t]*:/gm;
const STRINGS = /"""[\s\S]*?"""|'''[\s\S]*?'''|(?<!\\)"(?:[^"\\\n]|\\.)*"|(?<!\\)'(?:[^'\\\n]|\\.)*'/g;
const CLASS_NAMES = /(?<![\w.])([A-Z]\w*)|(?<=\.)([A-Z]\w*)(?![\w.])/g;

/** The class names in code; one written after a module (`schemas.Answer`) keeps a leading dot: it is never the file's own class. */
const namesIn = (code: string): string[] => [...code.replace(STRINGS, '').matchAll(CLASS_NAMES)].map((m) => m[1] ?? `.${m[2]}`);

/** Whether a Python file can have anything for the index (most files have neither a class, a route nor a serialized record). */
export function mayHaveSchemaFacts(text: string): boolean {
  // (Or builds a class with field values: `LlmRequest(messages=…)`, a record.)
  return /\bclass\s|@[\w.]+\.(?:get|post|put|patch|delete|api_route|websocket)\(|\)\s*\.(?:dict|model_dump|model_dump_json|json)\(/.test(text) || BUILT.test(text);
}

/** What one Python file says about its classes (see the module comment). */
export function schemaFacts(text: string): SchemaFacts {
  const facts: SchemaFacts = { classes: new Map(), bases: new Map(), sent: [], web: [], built: [], imports: new Map() };
  for (const m of importedNames(text)) {
    for (const part of m[2].replace(/[()\\]/g, ' ').split(',')) {
      const names = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(part.replace(/#[^\n]*/g, ''));
      if (names) facts.imports.set(names[2] ?? names[1], { module: m[1], name: names[1] });
    }
  }
  const lines = text.split('\n');
  const lineStarts: number[] = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const m of text.matchAll(CLASS_HEADER)) {
    const indent = m[1].length;
    const refs = namesIn(m[3] ?? '');
    // The body: the lines after the header indented deeper; a field is `name: Annotation` one level in.
    let fieldIndent: number | undefined;
    for (let j = lineOf(m.index ?? 0) + 1; j < lines.length; j++) {
      const line = lines[j];
      if (line.trim() === '' || /^\s*#/.test(line)) continue;
      const lineIndent = line.length - line.trimStart().length;
      if (lineIndent <= indent) break;
      fieldIndent ??= lineIndent;
      if (lineIndent !== fieldIndent) continue;
      const field = /^\s*\w+\s*:\s*([^=\n]+)/.exec(line);
      if (field) refs.push(...namesIn(field[1]));
    }
    facts.classes.set(m[2], [...new Set(refs)]);
    facts.bases.set(m[2], namesIn(m[3] ?? ''));
  }
  // A module-level type alias of classes (`LettaMessageUnion = Annotated[Union[SystemMessage, …], Field(discriminator=…)]`,
  // `ToolRule = A | B`): routes and fields name the alias, its schema holds the classes.
  // (What the aliases read together is bounded, as the routes' reads below: each read up to 4,000 characters.)
  let aliasBudget = READ_BUDGET_PER_CHAR * text.length + 100_000;
  for (const m of text.matchAll(TYPE_ALIAS)) {
    const start = (m.index ?? 0) + m[0].length;
    if ((aliasBudget -= Math.min(4000, text.length - start)) < 0) break;
    facts.classes.set(m[1], [...new Set([...(facts.classes.get(m[1]) ?? []), ...namesIn(bracketed(text, start))])]);
  }
  // Each route's brackets from one pass over the code (`codeBrackets`): reading each decorator's arguments from its `(`
  // read the rest of the file for every unclosed one (breakidx37: 160 KB of `@r.get(` held the extension host's walk
  // 10 s). A decorator in a string or a comment, or never closed, is no route; and what the routes read together is
  // bounded (nested decorators each reading the ones inside).
  let closes: Map<number, number> | undefined;
  let routeBudget = READ_BUDGET_PER_CHAR * text.length + 100_000;
  for (const m of text.matchAll(ROUTE)) {
    closes ??= codeBrackets(text);
    const argsFrom = (m.index ?? 0) + m[0].length;
    const argsEnd = closes.get(argsFrom - 1);
    if (argsEnd === undefined) continue;
    if ((routeBudget -= argsEnd - argsFrom) < 0) break;
    const decorator = text.slice(argsFrom, argsEnd).replace(STRINGS, '""');
    facts.web.push(...namesIn(/\bresponse_model\s*=\s*((?:[^,()[\]]|\[[^\]]*(?:\[[^\]]*\][^\]]*)*\])*)/.exec(decorator)?.[1] ?? ''));
    const def = ROUTE_DEF.exec(text.slice(argsEnd + 1, argsEnd + 2001));
    if (!def) continue;
    const paramsFrom = argsEnd + 1 + def[0].length;
    const paramsEnd = closes.get(paramsFrom - 1);
    if (paramsEnd === undefined || (routeBudget -= paramsEnd - paramsFrom) < 0) continue;
    // The parameters' annotations (defaults such as `Query(None, description=…)` name no class of the app) and the return annotation.
    facts.web.push(...namesIn(text.slice(paramsFrom, paramsEnd)), ...namesIn(/^\)[ \t]*->([^:\n]*)/.exec(text.slice(paramsEnd, paramsEnd + 300))?.[1] ?? ''));
  }
  // A request body the program fills and serializes itself (`ChatFeedbackParam(message_id=…, score=…).dict()` posted as
  // `json=`, Langchain-Chatchat's python-sdk): an HTTP client's record, filled by the program, not by a model. Not in a
  // test: a test writes what a model would answer that way (langroid's `default_response=TaskTool(…).model_dump_json()`).
  // Only when the serialized record is handed to an HTTP call (`json=`/`data=`/`params=`, directly or by the name it is
  // bound to): a few-shot example `EXAMPLE = Answer(…).model_dump_json()` written into a prompt is the model's answer
  // format, and made Answer web-only when the file sending it used a call not listed here (marvin's `cast(…, target=Answer)`,
  // DSPy's OutputField; break32a). The brackets are matched in one pass over the code (a call in a comment or a string
  // is none): reading each call's arguments from its `(` took seconds on a file of many unclosed calls (break32a).
  if (!TEST_MODULE.test(text) && SERIALIZED.test(text)) {
    closes ??= codeBrackets(text);
    for (const m of text.matchAll(/(?<![\w.])([A-Z]\w*)\(/g)) {
      const close = closes.get((m.index ?? 0) + m[0].length - 1);
      const suffix = close === undefined ? null : SERIALIZED_SUFFIX.exec(text.slice(close, close + 80));
      if (close === undefined || !suffix || !postedAt(text, m.index ?? 0, close + suffix[0].length)) continue;
      facts.web.push(m[1]);
    }
  }
  // An ORM model's pydantic twin (`__pydantic_model__ = PydanticStep`, letta's orm/): the record a database row is converted to.
  for (const m of text.matchAll(/^[ \t]+__pydantic_model__[ \t]*(?::[^=\n]*)?=[ \t]*([A-Za-z_]\w*)/gm)) facts.web.push(m[1]);
  const routeModels = new Set<number>();
  for (const m of text.matchAll(/\bresponse_model\s*=/g)) if (routeDecoratorBefore(text, m.index ?? 0)) routeModels.add(m.index ?? 0);
  for (const m of text.matchAll(SENT_KEYWORD_ARG)) if (!routeModels.has(m.index ?? 0)) facts.sent.push(...namesIn(m[1]));
  for (const m of text.matchAll(SENT_CALL)) facts.sent.push(...namesIn(m[1] ?? m[2] ?? m[3] ?? m[4] ?? ''));
  for (const m of text.matchAll(SENT_ARGS_CALL)) facts.sent.push(...namesIn(m[1]));
  // The classes listed bare (`[SearchArgs, Weather]`), not the objects a call makes (`[Tool(name=…)]`).
  // (The list's `]` is looked up once per `]`, not read up to TOOL_LIST_REACH characters from every `tools=[`: breakidx37.)
  let listEnd = -1;
  TOOL_LIST.lastIndex = 0;
  for (let m = TOOL_LIST.exec(text); m; m = TOOL_LIST.exec(text)) {
    const from = m.index + m[0].length;
    if (listEnd < from) listEnd = text.indexOf(']', from);
    if (listEnd < 0) break;
    if (listEnd - from > TOOL_LIST_REACH) continue;
    for (const n of text.slice(from, listEnd).replace(STRINGS, '').matchAll(/(?<![\w.])([A-Z]\w*)\s*(?=[,\]]|$)/g)) facts.sent.push(n[1]);
    TOOL_LIST.lastIndex = listEnd + 1;
  }
  if (!TEST_MODULE.test(text) && BUILT.test(text)) {
    closes ??= codeBrackets(text);
    for (const m of text.matchAll(BUILT_G)) {
      // A call in a string or a comment has no bracket in `closes` (a prompt's example `Answer(text="…")` builds nothing);
      // a record serialized at once is a request body (above) or an example of a model's answer written into a prompt
      // (`EXAMPLE = Answer(…).model_dump_json()`, break32a), not a record the program keeps.
      const open = (m.index ?? 0) + m[0].indexOf('(');
      const close = closes.get(open);
      if (close === undefined) continue;
      // (Serialized to a dict from runtime values only, it is a record the program returns: mem0's `MemoryItem(id=memory.id,
      // memory=memory.payload.get("data", ""), …).model_dump()` in memory/main.py, whose base.py Field descriptions were seven
      // tool prompts; newuser43. An example of an answer is written with literal values, and as JSON text.)
      const serialized = SERIALIZED_SUFFIX.exec(text.slice(close, close + 80));
      if (serialized && !(/\.(?:dict|model_dump)\($/.test(serialized[0]) && keywordValuesFromRuntime(text.slice(open + 1, close)))) continue;
      facts.built.push(m[1] ?? `.${m[2]}`);
    }
  }
  facts.web = [...new Set(facts.web)];
  facts.sent = [...new Set(facts.sent)];
  facts.built = [...new Set(facts.built)];
  return facts;
}

/**
 * Each `from m import names` of the code: `[match, module, names]`, matched as `FROM_IMPORT` with its names. A parenthesized
 * list ends at the next `)`, looked up once per `)` (breakidx37: read from every `from m import (` of a file of unclosed ones, 100 KB took 0.5 s).
 */
function importedNames(text: string): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  let close = -1;
  FROM_IMPORT.lastIndex = 0;
  for (let m = FROM_IMPORT.exec(text); m; m = FROM_IMPORT.exec(text)) {
    const from = m.index + m[0].length;
    if (text[from] === '(' && close < from) {
      close = text.indexOf(')', from);
      // (None after here: none after any later one either.)
      if (close < 0) close = text.length;
    }
    let end: number;
    if (text[from] === '(' && close < text.length) end = close + 1;
    else {
      IMPORT_LINE.lastIndex = from;
      IMPORT_LINE.exec(text);
      end = IMPORT_LINE.lastIndex;
    }
    out.push([text.slice(m.index, end), m[1], text.slice(from, end)]);
    FROM_IMPORT.lastIndex = Math.max(end, m.index + 1);
  }
  return out;
}

/** A class built with keyword arguments (`User(id=…)`, `schemas.User(id=…)`; not `==`, not `**`). */
const BUILT = /(?<![\w])[A-Z]\w*\(\s*[A-Za-z_]\w*\s*=(?!=)/;
const BUILT_G = /(?<![\w.])([A-Z]\w*)\(\s*[A-Za-z_]\w*\s*=(?!=)|(?<=\.)([A-Z]\w*)\(\s*[A-Za-z_]\w*\s*=(?!=)/g;

/**
 * Whether every keyword argument of a call's arguments (the text between its brackets) takes a runtime value: a name, an
 * attribute or a call (`id=memory.id`, `hash=memory.payload.get("hash")`), never a literal (`answer="Paris"`, `score=0.9`,
 * `items=[…]`, `done=True`, an f-string).
 */
function keywordValuesFromRuntime(args: string): boolean {
  let flat = args.replace(STRINGS, '""');
  // The brackets inside the arguments, emptied from the innermost out (bounded: arguments nest a few levels).
  for (let i = 0; i < 8; i++) {
    const next = flat.replace(/\([^()[\]{}]*\)|\[[^()[\]{}]*\]|\{[^()[\]{}]*\}/g, (b) => (b[0] === '(' ? '()' : b[0] === '[' ? '[]' : '{}'));
    if (next === flat) break;
    flat = next;
  }
  const values = [...flat.matchAll(/(?:^|,)\s*[A-Za-z_]\w*\s*=(?!=)\s*([^,]*)/g)].map((v) => v[1].trim());
  return values.length > 0 && values.every((v) => /^[A-Za-z_]/.test(v) && !/^(?:True|False|None)\b/.test(v) && !/^[rRbBuUfF]{1,2}""/.test(v));
}

/** A test module: a test function, or pytest/unittest imported. */
const TEST_MODULE = /^[ \t]*(?:async[ \t]+)?def[ \t]+test_\w*\(|^[ \t]*(?:import|from)[ \t]+(?:pytest|unittest)\b/m;

/** A record serialized: `X(…).dict()`, `.model_dump()`, `.model_dump_json()`, `.json()`. */
const SERIALIZED = /\)\s*\.(?:dict|model_dump|model_dump_json|json)\(/;
const SERIALIZED_SUFFIX = /^\)\s*\.(?:dict|model_dump|model_dump_json|json)\(/;
/** The keyword arguments of an HTTP client's call that carry a request's body or query. */
const HTTP_BODY = 'json|data|params|body|payload';

/**
 * Whether the record serialized by the constructor call at `start` (its serialization ending at `end`) goes to an HTTP
 * call: as its body keyword (`requests.post(URL, json=Plan(…).model_dump())`) or a server-sent event's, or bound to a name that such a keyword takes
 * within the next lines (`data = ChatFeedbackParam(…).dict()` … `self._post(URI, json=data)`).
 */
function postedAt(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  // (Or a server-sent event's payload, `"data: " + LettaPing(…).model_dump_json()`, letta's streaming_service.py.)
  if (new RegExp(`\\b(?:${HTTP_BODY})\\s*=\\s*$`).test(before) || /\bdata:[ \t]*["']\s*\+\s*$/.test(before)) return true;
  const bound = /(?:^|\n)[ \t]*([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*$/.exec(text.slice(Math.max(0, start - 200), start));
  if (!bound) return false;
  return new RegExp(`\\b(?:${HTTP_BODY})\\s*=\\s*${bound[1]}\\b`).test(text.slice(end, end + 1500));
}

/**
 * Where each bracket of the code closes (opening offset → closing offset), in one pass that skips string literals and
 * comments; a bracket never closed has no entry.
 */
function codeBrackets(text: string): Map<number, number> {
  const closes = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === '"' || c === "'") i = stringEnd(text, i);
    else if (c === '(' || c === '[' || c === '{') open.push(i);
    else if (c === ')' || c === ']' || c === '}') {
      const from = open.pop();
      if (from !== undefined) closes.set(from, i);
    }
  }
  return closes;
}

/** The offset of the last character of the string literal opening at `i` (its line's end for an unclosed one-line string). */
function stringEnd(text: string, i: number): number {
  const c = text[i];
  if (text.startsWith(c.repeat(3), i)) {
    const close = text.indexOf(c.repeat(3), i + 3);
    return close < 0 ? text.length : close + 2;
  }
  let j = i + 1;
  while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
  return j;
}

/** The expression starting at `start`, up to the end of its line with every bracket closed (at most 4,000 characters). */
function bracketed(text: string, start: number): string {
  let depth = 0;
  let i = start;
  for (; i < text.length && i - start < 4000; i++) {
    const c = text[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') depth--;
    else if (c === '\n' && depth <= 0) break;
  }
  return text.slice(start, i);
}

/**
 * Whether a `response_model=` at `at` is an argument of a web route's decorator (FastAPI's
 * `@router.post("/generate-tool", response_model=GenerateToolOutput)`, letta's REST routers): the HTTP response's
 * model, not a schema a language model fills.
 */
export function routeDecoratorBefore(src: string, at: number): boolean {
  // Only a decorator that starts within DECORATOR_REACH characters before `at` is looked at: without a bound, a file of
  // many `response_model=` calls and no decorator made each test read the whole file before it (break31b: 36 s).
  const from = Math.max(0, at - DECORATOR_REACH);
  const window = src.slice(from, at);
  const found = window.lastIndexOf('\n@');
  // (A decorator on the file's first line has no line break before it.)
  if (found < 0 && from > 0) return false;
  return /@[\w.]+\.(get|post|put|patch|delete|api_route|websocket)\((?:[^()]|\([^()]*\))*$/.test(window.slice(Math.max(0, found)));
}

/** How far before a `response_model=` its route decorator may start (a decorator's arguments span a few lines). */
const DECORATOR_REACH = 2000;

/**
 * The files a module path names among the project's files `keys` (`letta.schemas.step` → `…/letta/schemas/step.py`,
 * or `…/step/__init__.py`, which Python prefers; `.step` beside the importing file `from`). Keys are paths, matched by their end.
 */
function moduleFiles(module: string, from: string, keys: readonly string[]): string[] {
  const norm = (k: string): string => k.replace(/\\/g, '/');
  let path = module.replace(/^\.+/, '').replace(/\./g, '/');
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  if (dots > 0) path = [...norm(from).split('/').slice(0, -dots), ...(path ? [path] : [])].join('/');
  const named = (suffix: string): string[] => keys.filter((k) => (dots > 0 ? norm(k) === `${path}${suffix}` : norm(k).endsWith(`/${path}${suffix}`) || norm(k) === `${path}${suffix}`));
  const packages = named('/__init__.py');
  return packages.length > 0 ? packages : named('.py');
}

/** The folder every key is under, `/`-separated with its trailing `/` ('' when they share none). */
function commonFolder(keys: readonly string[]): string {
  if (keys.length === 0) return '';
  let prefix = keys[0].replace(/\\/g, '/');
  for (const key of keys) {
    const k = key.replace(/\\/g, '/');
    let i = 0;
    while (i < prefix.length && i < k.length && prefix[i] === k[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** A class of the project: the file (its key) that defines it, and its name. */
type ClassRef = `${string}\u0000${string}`;
const refOf = (file: string, name: string): ClassRef => `${file}\u0000${name}`;

/**
 * The classes of the project reached from web routes or built by the program (`built`), and from no model position, by
 * file: a file's key → the names of its classes that are records, never sent. A name is resolved to the class of that name in the same file if there is one
 * (a test's own `class Step` nested in the tool arguments it sends is not letta's `schemas/step.py` `Step`),
 * else to every class of that name in the project: a name sent in one file and defined in two counts as sent in both.
 */
export function webOnlyClasses(files: Iterable<readonly [string, SchemaFacts]>): Map<string, Set<string>> {
  const byFile = new Map<string, SchemaFacts>();
  const definedIn = new Map<string, string[]>();
  for (const [key, facts] of files) {
    byFile.set(key, facts);
    for (const name of facts.classes.keys()) definedIn.set(name, [...(definedIn.get(name) ?? []), key]);
  }
  const allKeys = [...byFile.keys()];
  const modules = new Map<string, string[]>();
  /** The files that define `name` as `from` imports it, following re-exports (`from .base import Provider` in a package's `__init__.py`). */
  const imported = (local: string, from: string, hops: number): ClassRef[] => {
    const source = byFile.get(from)?.imports.get(local);
    if (source === undefined || hops > 4) return [];
    const cacheKey = source.module.startsWith('.') ? `${from}\u0000${source.module}` : source.module;
    let files = modules.get(cacheKey);
    if (!files) modules.set(cacheKey, (files = moduleFiles(source.module, from, allKeys)));
    return files.flatMap((f) => (byFile.get(f)?.classes.has(source.name) ? [refOf(f, source.name)] : imported(source.name, f, hops + 1)));
  };
  /** Whether `from` imports `name` from a module that has no file among the project's (a library's class: `from openai.types import Batch`). */
  const importedFromOutside = (name: string, from: string): boolean => {
    const source = byFile.get(from)?.imports.get(name);
    if (source === undefined) return false;
    const cacheKey = source.module.startsWith('.') ? `${from}\u0000${source.module}` : source.module;
    let files = modules.get(cacheKey);
    if (!files) modules.set(cacheKey, (files = moduleFiles(source.module, from, allKeys)));
    return files.length === 0;
  };
  const resolve = (name: string, from: string, web: boolean): ClassRef[] => {
    // `schemas.Answer` (`from app import schemas`): a class of another module, whatever the file defines (its own
    // `class Answer(schemas.Answer)` is not its base), so every other file's class of that name.
    if (name.startsWith('.')) return (definedIn.get(name.slice(1)) ?? []).filter((k) => k !== from).map((k) => refOf(k, name.slice(1)));
    if (byFile.get(from)?.classes.has(name)) return [refOf(from, name)];
    const found = imported(name, from, 0);
    if (found.length > 0) return found;
    // A web route's class imported from outside the project is none of the project's classes: a library's `Step` a route
    // returns does not make a tool's own `class Step` a record (the sent side still takes every class of that name).
    if (web && importedFromOutside(name, from)) return [];
    // Not resolved (a star import, a module outside the project): every class of that name, or of the name it was imported as.
    const original = byFile.get(from)?.imports.get(name)?.name ?? name;
    return (definedIn.get(original) ?? []).map((k) => refOf(k, original));
  };
  const reach = (roots: (facts: SchemaFacts, key: string) => readonly string[], web: boolean, edges: 'fields' | 'bases' = 'fields'): Set<ClassRef> => {
    const out = new Set<ClassRef>();
    const stack: ClassRef[] = [];
    for (const [key, facts] of byFile) for (const name of roots(facts, key)) stack.push(...resolve(name, key, web));
    for (let ref = stack.pop(); ref !== undefined; ref = stack.pop()) {
      if (out.has(ref)) continue;
      out.add(ref);
      const [key, name] = ref.split('\u0000') as [string, string];
      const facts = byFile.get(key);
      for (const n of (edges === 'fields' ? facts?.classes : facts?.bases)?.get(name) ?? []) stack.push(...resolve(n, key, web));
    }
    return out;
  };
  const sent = reach((f) => f.sent, false);
  const out = new Map<string, Set<string>>();
  // Records: the classes web routes take or return, with what their fields hold and their bases; and the classes the
  // program builds itself, with their bases (a `SimpleTextComponent(text=…)` built makes its base `SimpleComponent`'s
  // fields a record's). Not what a built class's fields hold: cognee's `DocumentChunk(…)` holds a list of the `Event`
  // schema its LLM fills (tasks/temporal_graph/models.py), sent through a call not listed here.
  // (A file in a test folder or named as a test builds the answers of a mock model: cognee's tests/ scripts return
  // `SummarizedContent(summary="Mock summary.")`, the schema its summarizer fills, with no pytest import to tell. The
  // path is read below the folder all the files share, so that a project kept under a folder named `test` is not all tests.)
  const root = commonFolder(allKeys);
  const inTests = (key: string): boolean => TEST_CODE.test(key.replace(/\\/g, '/').slice(root.length));
  const records = new Set([...reach((f) => f.web, true), ...reach((f, key) => (inTests(key) ? [] : f.built), true, 'bases')]);
  for (const ref of records) {
    if (sent.has(ref)) continue;
    const [key, name] = ref.split('\u0000') as [string, string];
    let names = out.get(key);
    if (!names) out.set(key, (names = new Set()));
    names.add(name);
  }
  return out;
}
