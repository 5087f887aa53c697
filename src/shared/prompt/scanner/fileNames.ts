/**
 * What the code scanner reads from the whole file rather than from a literal's own statement:
 * the names the file registers as tools, schemas, agent instructions and agent inputs
 * (`toolNames`), and what they make of a docstring, a `Field(…)` description, a class
 * attribute or a bound literal. `fileFacts` sums them up for incremental.ts.
 */
import type { SyntaxNode } from '@lezer/common';
import type { LiteralContext } from './literalContext';
import { simpleValue, textOf } from './codeSyntax';
import { routeDecoratorBefore, schemaFacts, webOnlyClasses } from './projectSchemas';

interface ToolNames {
  /** Functions listed in a tools list (`functions=[f, g]`, `TOOLS = [f]`) or wrapped alone in a tool (`FunctionTool(self.f)`). */
  listed: Set<string>;
  /** Functions passed as the instructions of an agent (`instructions=custom_instructions`): what they return is the system prompt. */
  instructionFns: Set<string>;
  /** Variables passed as the input of an agent run (`Runner.run(agent, user_message)`), with the callee. */
  sent: Map<string, string>;
  /** Variables given as the content of a role message (`{"role": "user", "content": grading}`), with the role. */
  content: Map<string, string>;
  /** Names given as the text part of a role's list of parts (`content: [{ type: "text", text: NAME }, image]`), by role. */
  partContent: Map<string, string>;
  /** Classes passed as a response model or output type. */
  schemas: Set<string>;
  argsSchemas: Set<string>;
  /** Arguments models sent whole as a tool's parameters, their docstring included (vanna's `Tool[Args]`, `get_args_schema`). */
  wholeArgsSchemas: Set<string>;
  /** Classes used as return annotations (`-> Weather`). */
  returned: Set<string>;
  /** Classes of configuration or events (`notSentClasses`), whose `Field(description=…)` is help, not a schema. */
  notSent: Set<string>;
  /** Classes the program fills itself (`dataClasses`): records, not schemas a model fills. */
  data: Set<string>;
  /** Classes the file's own web routes take or return, and that it never passes to a model (projectSchemas.ts). */
  webOnly: Set<string>;
  /** Names (variables, or functions called bare) joined with `+` to a prompt-named value, with that name (`splicedNames`). */
  spliced: Map<string, string>;
  /** String literals, as written, that the file prints or logs (`printedLiterals`). */
  printed: Set<string>;
  /** Variables the file only prints (`onlyPrintedNames`). */
  printedNames: Set<string>;
  /** Variables bound to an agent, team or network the file builds (`const network = createNetwork({…})`), with the constructor. */
  agents: Map<string, string>;
  /** Functions whose result a template literal of the file interpolates (`interpolatedNames`). */
  interpolated: Set<string>;
  /** Upper-case constants named for a description that the file gives as a tool's or a parameter's description (`describedNames`), with how. */
  described: Map<string, string>;
}

/** Every keyword of the schema expression in `toolNames`: a file without one has no match of it. */
const SCHEMA_KEYWORD = /response_model|output_type|response_format|text_format|output_schema|result_type|args_schema|param_model|with_structured_output/;
/** An output type written as an expression: `output_type=A | B`, `list[A]`, `NativeOutput([A, B])`, `[str, A]` (fileNames.ts `toolNames`). */
const OUTPUT_TYPES = /\b(?:output_type|result_type|response_model|response_format|text_format|output_schema)\s*(?::[^=\n]{0,300})?=\s*((?:[\w.]+(?:\[[^\]\n]{0,300}\]|\((?:[^()\n]|\([^()\n]*\)){0,300}\))?|\[[^\]\n]{0,300}\])(?:[ \t]*\|[ \t]*(?:[\w.]+(?:\[[^\]\n]{0,300}\])?))*)/g;
/** Names in an output type that are no class of the app's: typing's and pydantic-ai's wrappers and markers. */
const OUTPUT_WRAPPERS = new Set(['List', 'Optional', 'Union', 'Sequence', 'Literal', 'Annotated', 'NoneType', 'None', 'Type', 'NativeOutput', 'ToolOutput', 'PromptedOutput', 'TextOutput', 'StructuredDict', 'DeferredToolRequests']);

let toolNamesCache: { src: string; names: ToolNames } | undefined;

/** Names the file registers as tools or schemas, found once per source text. */
/** What may follow a name given whole or formatted: the argument's end, or `.format(…)`, `.format_messages(…)`, `.strip()`. */
const NAME_ARGUMENT_END = String.raw`(?=\s*(?:[,)]|\.(?:format\w*|strip)\())`;
/** A name given to a message or template class of one role (`HumanMessage(content=x)`, `SystemPromptTemplate.from_template(x)`). */
const ROLE_CLASS_ARGUMENT = new RegExp(String.raw`(?<![\w.])(Human|User|System|AI|Ai|Assistant)(?:Message|PromptTemplate|MessagePromptTemplate)(?:\.from_template)?\(\s*(?:(?:content|template)\s*=\s*)?([A-Za-z_]\w*)${NAME_ARGUMENT_END}`, 'g');
/** DB-GPT's `ModelMessage(role=ModelMessageRoleType.HUMAN, content=x)`. */
const MODEL_MESSAGE_ARGUMENT = new RegExp(String.raw`\bModelMessage\(\s*role\s*=\s*ModelMessageRoleType\.(HUMAN|SYSTEM|AI)\s*,\s*content\s*=\s*([A-Za-z_]\w*)${NAME_ARGUMENT_END}`, 'g');

export function toolNames(src: string): ToolNames {
  if (toolNamesCache?.src === src) return toolNamesCache.names;
  const names: ToolNames = { listed: new Set(), instructionFns: new Set(), sent: new Map(), content: new Map(), partContent: new Map(), schemas: new Set(), argsSchemas: new Set(), wholeArgsSchemas: new Set(), returned: new Set(), notSent: new Set(), data: new Set(), webOnly: new Set(), spliced: new Map(), printed: printedLiterals(src), printedNames: onlyPrintedNames(src), agents: agentVariables(src), interpolated: interpolatedNames(src), described: /describe\(|\bdescription\b/.test(src) ? describedNames(src) : new Map<string, string>() };
  // `{"role": "user", "content": grading}`, `{ role: 'user', content: prompt }`, `dict(role="user", content=prompt)`, either order.
  if (/\brole\b/.test(src)) {
    // The name may be formatted in place (`'content': USER_MSG.format(old_contents=…, draft_changes=…)`: OpenHands'
    // runtime/utils/edit.py, whose USER_MSG and CORRECT_USER_MSG were not found; newuser45), or come first in a `+` chain
    // (crewAI's docs_check.py: `{"role": "user", "content": _ANALYZE_USER + diff[:50000]}`, session 47).
    for (const m of src.matchAll(/["']?role["']?\s*[:=]\s*["'](system|user|assistant|developer)["']\s*,\s*["']?content["']?\s*[:=]\s*([A-Za-z_$][\w$]*)(?:\s*[,})]|\.(?:format|format_map)\(|\s*\+(?!=))/g)) names.content.set(m[2], m[1]);
    for (const m of src.matchAll(/["']?content["']?\s*[:=]\s*([A-Za-z_$][\w$]*)\s*,\s*["']?role["']?\s*[:=]\s*["'](system|user|assistant|developer)["']/g)) names.content.set(m[1], m[2]);
    // The text part of a message's list of parts (`{"role": "user", "content": [{"type": "image_url", …}, {"type": "text", "text":
    // CAPTION_REQUEST}]}`, a vision prompt; break36: a module constant there was not found). Only in a role's message: a
    // tool result's `content: [{ type: "text", text: output }]` (MCP) has no role. Read for module constants only (noteSent):
    // a local `content` is bound in many functions, and stagehand's labelled values are sent that way.
    for (const m of src.matchAll(/["']?role["']?\s*[:=]\s*["'](system|user|assistant|developer)["']\s*,\s*["']?content["']?\s*[:=]\s*\[[^[\]]{0,400}?["']?type["']?\s*[:=]\s*["']text["']\s*,\s*["']?text["']?\s*[:=]\s*([A-Za-z_$][\w$]*)\s*[,})]/g)) {
      if (!names.partContent.has(m[2])) names.partContent.set(m[2], m[1]);
    }
  }
  // A name given to a message or template class of one role, whole or formatted: LangChain's `HumanMessage(content=x)`,
  // `SystemMessagePromptTemplate.from_template(x)`, DB-GPT's `HumanPromptTemplate.from_template(x)` and
  // `ModelMessage(role=ModelMessageRoleType.HUMAN, content=x.format(…))`. The role is where the text is sent, whatever it
  // opens with (DB-GPT's "## Role\nYou are …" extraction templates go out as the user message).
  if (/(?:Human|User|System|AI|Ai|Assistant)(?:Message|PromptTemplate|MessagePromptTemplate)\b|ModelMessageRoleType\./.test(src)) {
    const role = (r: string): string => (/^(?:Human|HUMAN|User)$/.test(r) ? 'user' : /^(?:AI|Ai|Assistant)$/.test(r) ? 'assistant' : 'system');
    // (Not in a comment: DB-GPT's refine_summary/prompt.py keeps `# SystemPromptTemplate.from_template(PROMPT_SCENE_DEFINE),`.)
    const commented = (at: number): boolean => /(?:#|\/\/)[^\n]*$/.test(src.slice(src.lastIndexOf('\n', at) + 1, at));
    // A name sent in messages of different roles is bound again between them (MetaGPT's mgx_write_project_framework.py
    // sends one `msg` as `AIMessage(content=msg.format(…))` twice, then another as `UserMessage(…)`): it says no role.
    const roles = new Map<string, Set<string>>();
    for (const m of [...src.matchAll(ROLE_CLASS_ARGUMENT), ...src.matchAll(MODEL_MESSAGE_ARGUMENT)]) if (!commented(m.index)) roles.set(m[2], (roles.get(m[2]) ?? new Set()).add(role(m[1])));
    for (const [name, set] of roles) if (set.size === 1 && !names.content.has(name)) names.content.set(name, [...set][0]);
  }
  // `instructions=fn` / `instructions: fn` / `system_prompt=fn`: a bare name (not a call, not an attribute) given as the instructions.
  for (const m of src.matchAll(/\b(?:instructions|system_prompt|systemPrompt)\s*[=:]\s*([A-Za-z_$][\w$]*)\s*(?=[,)}\n])/g)) if (!/^(None|null|undefined|True|False|true|false)$/.test(m[1])) names.instructionFns.add(m[1]);
  // The input of an agent run given as a variable: `Runner.run(agent, msg)`, `run(agent, msg)`, `agent.run_sync(msg)`.
  for (const m of src.matchAll(/(?<![\w.$])((?:Runner\.)?run(?:_sync|_streamed)?)\(\s*[A-Za-z_$][\w$.]*\s*,\s*([A-Za-z_$][\w$]*)\s*[,)]/g)) names.sent.set(m[2], m[1]);
  // (Only in files that mention an agent: this runs on every edit, and `\w*agent` backtracks at every word.)
  if (/agent\w*\.(?:run|arun|run_sync|run_stream)\(/i.test(src)) for (const m of src.matchAll(/\b(\w*agent\w*\.(?:run|arun|run_sync|run_stream))\(\s*([A-Za-z_$][\w$]*)\s*[,)]/gi)) names.sent.set(m[2], m[1]);
  // An agent constructed with its task in a variable (`Agent(task=task, llm=model)`, browser-use's examples).
  if (/Agent\(/.test(src)) for (const m of src.matchAll(/(?<![\w.])(\w*Agent)\((?:[^()]|\([^()]*\))*?\btask\s*=\s*([A-Za-z_]\w*)\s*[,)]/g)) names.sent.set(m[2], `${m[1]}.task`);
  // smolagents' planning step holds the plan the agent wrote (`plan = textwrap.dedent(f"""Here are the facts I know and the plan
  // …""")`, `PlanningStep(…, plan=plan, …)`, agents.py): memory.py's `PlanningStep.to_messages` sends it back to the model as an
  // assistant message in every later step (finding49).
  if (/PlanningStep\(/.test(src)) for (const m of src.matchAll(/(?<![\w.])(PlanningStep)\((?:[^()]|\([^()]*\))*?\bplan\s*=\s*([A-Za-z_]\w*)\s*[,)]/g)) names.sent.set(m[2], `${m[1]}.plan`);
  // The names in a tools list, and those wrapped by a call in it (`Tool.from_function(search)`), but not
  // a spread list or an attribute (`tools = [*template.tools, *tools]` lists no function named tools).
  for (const m of src.matchAll(/\b(?:tools|functions|TOOLS|FUNCTIONS|tool_list)\b\s*(?::[^=\n]*)?=\s*\[([^\]]{0,2000})\]/g)) for (const n of m[1].matchAll(/(?<![\w.*])\w+/g)) names.listed.add(n[0]);
  // A function handed alone to a tool wrapper, which reads its docstring: CAMEL's toolkits return
  // `[FunctionTool(self.search_wiki), …]` from get_tools(), LlamaIndex writes `FunctionTool.from_defaults(fn=multiply)`,
  // LangChain `StructuredTool.from_function(search)`. (With more arguments, a schema or a description may replace the docstring.)
  if (/FunctionTool|from_function/.test(src)) {
    for (const m of src.matchAll(/(?<![\w.])(?:FunctionTool(?:\.from_defaults)?|(?:Structured)?Tool\.from_function)\(\s*(?:(?:fn|func|function)\s*=\s*)?(?:self\.|cls\.)?([A-Za-z_]\w*)\s*,?\s*\)/g)) names.listed.add(m[1]);
  }
  // AGiXT's extensions register their commands by name, `self.commands = {"Ask OpenAI Codex": self.ask_openai_codex}`
  // (held-out round 8): AGiXT reads each command's docstring as its description, written into the agent's prompt.
  if (src.includes('self.commands')) {
    for (const m of src.matchAll(/\bself\.commands\s*(?::[^=\n]*)?=\s*\{([^{}]{0,4000})\}/g)) for (const n of m[1].matchAll(/:\s*self\.([A-Za-z_]\w*)\s*(?:,|$)/g)) names.listed.add(n[1]);
  }
  // (Only in files that name one of the keywords: the expression, a word boundary before an alternation, is tried at every
  // position of the file on every edit, the largest part of this function on the bench files; the bare keywords are found faster.)
  if (SCHEMA_KEYWORD.test(src)) {
    for (const m of src.matchAll(/\b(response_model|output_type|response_format|text_format|output_schema|result_type|args_schema|param_model)\s*(?::[^=\n]*)?=\s*(\w+)|with_structured_output\(\s*(\w+)/g)) {
      if (m[1] === 'args_schema' || m[1] === 'param_model') names.argsSchemas.add(m[2]);
      else if (!(m[1] === 'response_model' && routeDecoratorBefore(src, m.index ?? 0))) names.schemas.add(m[2] ?? m[3]);
    }
    // Every class of a union or a wrapper given as the output (pydantic-ai's `output_type=Success | InvalidRequest`,
    // `output_type=SeatPreference | Failed`, `NativeOutput([Analysis, NoneType])`, `list[FlightDetails]`): pydantic-ai makes
    // each class an output tool whose description is its docstring (finding49: InvalidRequest, NoFlightFound and Failed
    // were missed, the first class of each union found).
    // (Not a web route's `response_model=` (FastAPI documents the response with it), as above.)
    for (const m of src.matchAll(OUTPUT_TYPES)) {
      if (m[0].startsWith('response_model') && routeDecoratorBefore(src, m.index ?? 0)) continue;
      for (const n of m[1].matchAll(/(?<![\w.])[A-Z]\w*/g)) if (!OUTPUT_WRAPPERS.has(n[0])) names.schemas.add(n[0]);
    }
  }
  // vanna's tools name their arguments' model twice: `class CalculatorTool(Tool[CalculatorArgs])` and
  // `def get_args_schema(self) -> Type[CalculatorArgs]: return CalculatorArgs` (its `Tool.get_schema` sends the model's JSON schema).
  if (/Tool\[|get_args_schema/.test(src)) {
    for (const m of src.matchAll(/^class[ \t]+\w+[ \t]*\([ \t]*(?:\w+\.)*Tool\[[ \t]*(\w+)[ \t]*\][ \t]*\)[ \t]*:|\bdef[ \t]+get_args_schema\([^)]*\)[^:\n]*:\s*return[ \t]+(\w+)[ \t]*$/gm)) {
      names.argsSchemas.add(m[1] ?? m[2]);
      names.wholeArgsSchemas.add(m[1] ?? m[2]);
    }
  }
  // A function schema written by hand from a class's JSON schema (kotaemon's DecomposeQuestionPipeline, held-out round 12:
  // `schema = SubQuery.model_json_schema()` then `{"name": schema["title"], "description": schema["description"],
  // "parameters": schema}` in `tools=[…]`): pydantic writes the docstring as the schema's description, so the model reads it
  // as the function's description. Not a JSON schema only dumped or printed.
  if (/\.(?:model_json_schema|schema)\(\s*\)/.test(src)) {
    for (const m of schemaCalls(src)) {
      const sentKey = `["']?(?:description|parameters|input_schema|inputSchema)["']?\\s*[:=]\\s*`;
      const inline = new RegExp(`${sentKey}$`).test(src.slice(Math.max(0, (m.index ?? 0) - 40), m.index ?? 0));
      const viaName = m[1] !== undefined && new RegExp(`${sentKey}${m[1]}\\b(?!\\s*\\[\\s*["'](?!description["'])\\w+["']\\s*\\])`).test(src);
      if (inline || viaName) {
        names.argsSchemas.add(m[2]);
        names.wholeArgsSchemas.add(m[2]);
      }
    }
  }
  for (const m of src.matchAll(/->\s*(\w+)/g)) names.returned.add(m[1]);
  if (/\+/.test(src)) names.spliced = splicedNames(src);
  if (/\bclass\s/.test(src)) {
    names.notSent = notSentClasses(src);
    names.data = dataClasses(src);
    // A class that a route of this file takes or returns (letta's REST routers define some of their request models beside the
    // routes), or that the file fills and serializes as a request body (`Param(…).dict()`).
    if (src.includes('Field(') && /@[\w.]+\.(?:get|post|put|patch|delete|api_route|websocket)\(|\)\s*\.(?:dict|model_dump|model_dump_json|json)\(/.test(src)) names.webOnly = webOnlyClasses([['', schemaFacts(src)]]).get('') ?? new Set();
  }
  // atomic-agents types an agent by its schemas, `AtomicAgent[QAInput, QAOutput](…)` (held-out round 8): the output schema is
  // the instructor response model; the input schema is sent only as the JSON of the values the program fills in.
  for (const m of src.includes('AtomicAgent[') ? src.matchAll(/\bAtomicAgent\[\s*(\w+)\s*,\s*(\w+)\s*\]/g) : []) {
    names.schemas.add(m[2]);
    names.data.add(m[1]);
  }
  toolNamesCache = { src, names };
  return names;
}

/**
 * Variables bound to an agent the file builds, whatever their names: `const network = createNetwork({ agents: […] })`
 * (agent-kit, held-out round 11, run as `network.run("Analyze the files/example.ts file…")`), `writer = Agent(…)`,
 * `const team = new Team({…})`. (A constructor call of its own: not `agent.getSubAgent(…)`, not `isAgent(x)`.)
 */
/**
 * `Cls.model_json_schema()` and `Cls.schema()` with the name they are assigned to, if any, as the expression
 * `(?<![\w.])(?:([A-Za-z_]\w*)\s*=\s*)?([A-Z]\w*)\.(?:model_json_schema|schema)\(\s*\)` finds them (its index at the name
 * when there is one): found from each call and read backwards, as that expression was tried at every word of the file.
 */
function schemaCalls(src: string): Array<{ index: number; 1: string | undefined; 2: string }> {
  const out: Array<{ index: number; 1: string | undefined; 2: string }> = [];
  for (const call of src.matchAll(/\.(?:model_json_schema|schema)\(\s*\)/g)) {
    const dot = call.index ?? 0;
    let start = dot;
    while (start > 0 && /\w/.test(src[start - 1])) start--;
    if (start === dot || !/[A-Z]/.test(src[start]) || src[start - 1] === '.') continue;
    // The name assigned: spaces, `=`, spaces, a word that starts with a letter or `_`, with no `.` or word character before it.
    let eq = start;
    while (eq > 0 && /\s/.test(src[eq - 1])) eq--;
    let name: string | undefined;
    let index = start;
    if (src[eq - 1] === '=') {
      let end = eq - 1;
      while (end > 0 && /\s/.test(src[end - 1])) end--;
      let from = end;
      while (from > 0 && /\w/.test(src[from - 1])) from--;
      if (from < end && /[A-Za-z_]/.test(src[from]) && src[from - 1] !== '.') {
        name = src.slice(from, end);
        index = from;
      }
    }
    out.push({ index, 1: name, 2: src.slice(start, dot) });
  }
  return out;
}

/** Whether the file calls `print(…)` or `console.log(…)`. (The words first: `\b` before an alternation is tried at every place.) */
function printsSomething(src: string): boolean {
  return (src.includes('print(') || src.includes('console.log(')) && /\b(print|console\.log)\(/.test(src);
}

function agentVariables(src: string): Map<string, string> {
  const out = new Map<string, string>();
  // (What every match holds: the constructor's name and its opening bracket. The expression itself starts at every word.)
  if (!/(?:Agent|Network|Team)[ \t]*[<[(]/.test(src)) return out;
  for (const m of src.matchAll(/(?<![\w.$])([A-Za-z_$][\w$]*)\s*(?::[ \t]*[\w.$]+(?:<[^<>=\n]*>|\[[^\]=\n]*\])?[ \t]*)?=[ \t]*(?:await[ \t]+)?(?:new[ \t]+)?(?:[A-Za-z_$][\w$]*\.)*(create(?:Agent|Network)|(?:[A-Z]\w*)?Agent|Team)[ \t]*(?:<[^<>()\n]*>|\[[^\]()\n]*\])?\(/g)) out.set(m[1], m[2]);
  return out;
}

/** The agent a call runs: `network.run(…)` where the file binds `network` to `createNetwork(…)` (`agentVariables`). */
export function agentRunOf(src: string, callee: string): string | undefined {
  const m = /^([A-Za-z_$][\w$]*)\.(run|arun|run_sync|runSync|stream|generate|generateText|streamText|invoke|ainvoke)$/.exec(callee);
  const ctor = m ? toolNames(src).agents.get(m[1]) : undefined;
  return ctor ? `${m?.[1]}, built by ${ctor}` : undefined;
}

/**
 * A settings or options class by its own name or bases (`BrowserProfile`, `class Settings(BaseSettings)`), or an event (`BaseEvent[None]`),
 * or a dependency injector configured by its fields (OpenHands' app_server: `class DockerSandboxServiceInjector(SandboxServiceInjector)`
 * with `max_num_sandboxes: int = Field(default=5, description='Maximum number of sandboxes…')`, 16 "tool" prompts in 7 files; newuser45).
 */
const SETTINGS_NAME = /(Options|Settings|Config|Profile|Session|Injector)$/;
/** The names of a web API's request and response bodies (a FastAPI app's CRUD models). */
const WEB_MODEL_NAME = /.(Request|Response|Create|Update)$/;
const SETTINGS_BASE = /\b(Options|BaseSettings|Settings|BaseEvent)\b/;

/**
 * The Python classes of a file that hold configuration or events, not schemas for a model (browser-use's
 * browser/profile.py, session.py, events.py): a class settings-like by its name or bases (`SETTINGS_NAME`,
 * `SETTINGS_BASE`), a class of the file that inherits from one (`ClickElementEvent(ElementSelectedEvent[…])`),
 * and a class of the file one inherits from (`BrowserProfile(BrowserConnectArgs, BrowserLaunchArgs, …)`: the
 * argument groups the profile is made of). The two directions are not mixed, so a base shared by a settings class
 * and a tool schema does not make the tool schema settings.
 */
export function notSentClasses(src: string): Set<string> {
  const bases = new Map<string, { text: string; names: string[] }>();
  for (const m of src.matchAll(/^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^)]*)\)/gm)) {
    // The classes named at the top level of the bases (`ElementSelectedEvent` in `ElementSelectedEvent[dict | None]`).
    let text = m[2];
    for (let i = 0; i < 5 && /\[[^[\]]*\]/.test(text); i++) text = text.replace(/\[[^[\]]*\]/g, '');
    bases.set(m[1], { text: m[2], names: [...text.matchAll(/[A-Za-z_][\w.]*/g)].map((n) => n[0]) });
  }
  const own = [...bases].filter(([name, b]) => SETTINGS_NAME.test(name) || SETTINGS_BASE.test(b.text)).map(([name]) => name);
  const out = new Set(own);
  // Up: the bases of a settings class, and theirs.
  const up = [...own];
  for (let name = up.pop(); name !== undefined; name = up.pop()) {
    for (const b of bases.get(name)?.names ?? []) {
      if (!bases.has(b) || out.has(b)) continue;
      out.add(b);
      up.push(b);
    }
  }
  // Down: the classes that inherit from a settings class by name or bases (events of events), not from one only reached upwards.
  const down = new Set(own);
  for (let grew = true, rounds = 0; grew && rounds++ < 20; ) {
    grew = false;
    for (const [name, b] of bases) {
      if (!down.has(name) && b.names.some((n) => down.has(n))) {
        down.add(name);
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * An operand of a `+` chain: a name, a bare call of a name (`buildExamplesSection()`), or a one-line string literal.
 * (A literal opens at a quote with no backslash before it: langfuse's json-utils.clienttest.ts holds a 1.2 MB one-line
 * template literal of JSON with every quote escaped, and a literal tried from each `\"` ran to the end of the line,
 * 100,000 times: `prompt scan` of the repository never finished.)
 */
const OPERAND = String.raw`(?:[A-Za-z_$][\w$]*(?:\(\s*\))?|(?<!\\)"(?:[^"\\\n]|\\.)*"|(?<!\\)'(?:[^'\\\n]|\\.)*')`;
/** A `+` between operands, with line comments allowed around it (llamacoder's buildProductionCodingPrompt comments its parts). */
const PLUS = String.raw`\s*(?:(?:\/\/|#)[^\n]*\n\s*)*\+\s*(?:(?:\/\/|#)[^\n]*\n\s*)*`;
const PLUS_CHAIN = new RegExp(String.raw`(?:([A-Za-z_$][\w$]*)\s*\+=\s*)?(${OPERAND}(?:${PLUS}${OPERAND})*)`, 'g');
const PROMPT_OPERAND = /prompt|instruction/i;

/** A line holding only a comment (`#`, `//`) or nothing. */
const COMMENT_OR_BLANK = /^\s*(?:(?:\/\/|#).*)?$/;

/**
 * The parts of `src` where a `+` chain can be (`PLUS_CHAIN` with a `+` or `+=`), as [from, to) offsets at line starts and
 * ends: each line holding a `+`, with the blank and comment lines above and below it and the one line past those (a chain's
 * operands can stand on lines of their own, its `+` allows comment lines around it, and a literal never spans a line).
 * Windows that meet are joined, so a chain is never cut. Scanning each window from its first line finds the chains a scan
 * of the whole file finds: no match of the expression spans the line break before a window's first line (it would need a
 * `+` on a line of that window or on a line above it that reaches it through blank and comment lines).
 */
export function plusWindows(src: string): Array<[number, number]> {
  const starts = [0];
  for (let i = src.indexOf('\n'); i !== -1; i = src.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineOf = (at: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const text = (line: number): string => src.slice(starts[line], line + 1 < starts.length ? starts[line + 1] - 1 : src.length);
  const out: Array<[number, number]> = [];
  let lastPlusLine = -1;
  for (let at = src.indexOf('+'); at !== -1; at = src.indexOf('+', at + 1)) {
    const line = lineOf(at);
    if (line === lastPlusLine) continue;
    lastPlusLine = line;
    let first = line;
    while (first > 0 && COMMENT_OR_BLANK.test(text(first - 1))) first--;
    if (first > 0) first--;
    // (An operand called with no arguments may span lines, `build(\n)`: the window takes in its opening line.)
    while (first > 0 && /^\s*\)/.test(text(first))) {
      first--;
      while (first > 0 && /^\s*$/.test(text(first))) first--;
    }
    let last = line;
    while (last + 1 < starts.length && COMMENT_OR_BLANK.test(text(last + 1))) last++;
    if (last + 1 < starts.length) last++;
    while (last + 1 < starts.length && /\(\s*$/.test(text(last))) {
      last++;
      while (last + 1 < starts.length && /^\s*$/.test(text(last))) last++;
    }
    const from = starts[first];
    const to = last + 1 < starts.length ? starts[last + 1] : src.length;
    const previous = out[out.length - 1];
    if (previous && from <= previous[1]) previous[1] = Math.max(previous[1], to);
    else out.push([from, to]);
  }
  return out;
}

/**
 * Names that the file joins with `+` to a prompt: in `prompt + "\n\n" + designQualitySection`,
 * `prompt += "\n\n" + buildExamplesSection()` and `base + … + HALLMARK_DESIGN_SECTION + … + INLINE_PLAN_INSTRUCTION`
 * (Nutlope/llamacoder lib/prompt-config.ts), every other name is a section of that prompt, and a literal bound to
 * it (or returned by it) is prompt text.
 */
export function splicedNames(src: string, windows: ReadonlyArray<readonly [number, number]> = plusWindows(src)): Map<string, string> {
  const out = new Map<string, string>();
  // (Only a chain with a `+` counts, so only the lines around each `+` are searched, `plusWindows`: the expression matches at
  // every word and literal of the file, and it was the largest part of the file's facts on each keystroke. Tests pass the
  // whole file as one window.)
  for (const [from, to] of windows) {for (const found of src.slice(from, to).matchAll(PLUS_CHAIN)) {
    const m = found;
    m.index = (m.index ?? 0) + from;
    if (m[1] === undefined && !m[2].includes('+')) continue;
    const names = [...m[2].matchAll(/(?<!["'\w$])([A-Za-z_$][\w$]*)(?=\s*(?:\(\s*\))?\s*(?:\+|$))|(?<!["'\w$])([A-Za-z_$][\w$]*)(?=\s*(?:\(\s*\))?\s*(?:\/\/|#))/g)].map((n) => n[1] ?? n[2]);
    // The chain's last operand read up to an attribute, an index or a call with arguments is no name of its own: in khoj's
    // `system_prompt += "\n\n" + message.content` the loop variable `message` is no section of the prompt (a `message = …`
    // elsewhere in the file, a canned reply, is no prompt).
    if (/[\w$]$/.test(m[2]) && /^[.[(]/.test(src.charAt((m.index ?? 0) + m[0].length))) names.pop();
    const all = m[1] !== undefined ? [m[1], ...names] : names;
    const prompt = all.find((n) => PROMPT_OPERAND.test(n));
    if (prompt === undefined) continue;
    for (const n of all) if (n !== prompt && !PROMPT_OPERAND.test(n)) out.set(n, prompt);
  }}
  return out;
}

/**
 * A field whose value the program stamps when it makes the object (`default_factory=datetime.now`, `uuid.uuid4`, a bare
 * `uuid4` or a `_utc_now` helper: deer-flow's auth `User.id`/`created_at`, newuser34), or a private attribute.
 */
/**
 * A field that holds a function (`gen_func: Callable[[Any], str] = Field(…)`, `callback: Optional[Callable] = None`): pydantic
 * gives no JSON schema of it (PydanticInvalidForJsonSchema), so its class is never a schema sent to a model. MiniRAG's
 * minirag/llm.py `class Model(BaseModel)` (a function and its kwargs, for `MultiModel`) gave two "tool" prompts (newuser51).
 */
const CALLABLE_FIELD = /^[ \t]+[A-Za-z_]\w*[ \t]*:[ \t]*(?:(?:typing\.)?Optional\[[ \t]*)?(?:typing\.|collections\.abc\.)?Callable\b/m;
const STAMPED_FIELD = /\bdefault_factory\s*=\s*(?:lambda\s*:\s*(?:str\(\s*)?)?(?:datetime|uuid|uuid4|uuid1|time|_?utc_?now|now)\b|\bPrivateAttr\(/;

/**
 * The Python classes of a file that the program fills itself, so their `Field(description=…)` is
 * documentation, not a schema a model fills: a class whose fields the program stamps (camel's
 * `VerificationResult.timestamp = Field(default_factory=datetime.now, …)`, `Persona._id = PrivateAttr(…)`),
 * and a class the file builds from a dict or casts a value to (`cast(RAGParams, extra_kwargs["rag_params"])`,
 * run-llama/rags core/utils.py). A class the file also passes as a schema is not one (`fieldNotSent` checks first).
 */
export function dataClasses(src: string): Set<string> {
  const out = new Set<string>();
  if (src.includes('cast(')) for (const m of src.matchAll(/(?<![\w.])cast\(\s*([A-Za-z_]\w*)\s*,/g)) out.add(m[1]);
  // `Cls(**data)`, found from each `**` (an expression that starts with a capital is tried at every word): `(`, spaces, then
  // the `**`, after a capitalized word with no `.` or word character before it.
  for (let at = src.indexOf('**'); at !== -1; at = src.indexOf('**', at + 1)) {
    let paren = at;
    while (paren > 0 && /\s/.test(src[paren - 1])) paren--;
    if (src[paren - 1] !== '(') continue;
    let start = paren - 1;
    while (start > 0 && /\w/.test(src[start - 1])) start--;
    if (start < paren - 1 && /[A-Z]/.test(src[start]) && src[start - 1] !== '.') out.add(src.slice(start, paren - 1));
  }
  if (!STAMPED_FIELD.test(src) && !CALLABLE_FIELD.test(src)) return out;
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([ \t]*)class[ \t]+([A-Za-z_]\w*)/.exec(lines[i]);
    if (!m) continue;
    // The class body: the lines after the header indented deeper than it (blank lines included).
    for (let j = i + 1; j < lines.length && (lines[j].trim() === '' || lines[j].length - lines[j].trimStart().length > m[1].length); j++) {
      if (STAMPED_FIELD.test(lines[j]) || CALLABLE_FIELD.test(lines[j])) {
        out.add(m[2]);
        break;
      }
    }
  }
  return out;
}

/**
 * Whether the file hands the class itself to a call, as a schema is handed to a model (`pydantic_function_tool(WeatherRequest)`,
 * `tools=[WeatherRequest]`, `bind_tools([WeatherRequest])`, `WeatherRequest.model_json_schema()`), not only uses it as a type
 * (`body: WeatherRequest`, `List[WeatherRequest]`), builds one (`WeatherRequest(city=…)`) or derives a class from it.
 */
function passedAsValue(src: string, name: string): boolean {
  return new RegExp(`(?<!\\bclass\\s+\\w+\\s*)\\(\\s*${name}\\s*[,)]|(?<![\\w\\]])\\[\\s*${name}\\s*[,\\]]|(?<![\\w.])${name}\\.(?:model_json_schema|schema|schema_json)\\(`).test(src);
}

/**
 * Why the descriptions of a `Field(…)` are not sent to a model, if they are not: its class is
 * used only as a return annotation (`-> Weather`), or it is a settings or options class
 * (`class SharedOptions(llm.Options)`, `class Settings(BaseSettings)`: their descriptions are
 * the help of a CLI or a config file), or a web API record that the file's own routes take or
 * return (`webRecord`; across files, `findPrompts` asks the project's index). Not when the file
 * passes the class as a schema.
 */
export function fieldNotSent(src: string, node: SyntaxNode, imports?: ReadonlySet<string>): 'returnType' | 'settings' | 'dataModel' | 'webModel' | 'webRecord' | undefined {
  const name = enclosingClassName(src, node);
  if (name === undefined) return undefined;
  const names = toolNames(src);
  if (names.schemas.has(name) || names.argsSchemas.has(name)) return undefined;
  if (names.returned.has(name)) return 'returnType';
  if (names.data.has(name)) return 'dataModel';
  // In a FastAPI app, `MCPConnectionCreate`, `MCPConnectionSearchRequest`, `MCPProfileResponse` (Langchain-Chatchat's
  // api_server/api_schemas.py) are the bodies of its HTTP routes: their descriptions document the API, for people.
  if (WEB_MODEL_NAME.test(name) && imports !== undefined && [...imports].some((m) => /^(fastapi|starlette)(\.|$)/.test(m)) && !passedAsValue(src, name)) return 'webModel';
  if (names.webOnly.has(name)) return 'webRecord';
  return names.notSent.has(name) || SETTINGS_NAME.test(name) ? 'settings' : undefined;
}

/**
 * A docstring the model reads as a tool description: the docstring of a function decorated as
 * a tool (`@tool`, `@function_tool`, `@agent.tool`, `@mcp.tool()`) or listed in a tools list of
 * the same file (`functions=[f]`, `TOOLS = [f]`), of a class decorated with `@tool`, or of a class passed as a
 * response model or tool schema (`response_model=Cls`, `args_schema=Cls`, `output_type=Cls`).
 */
export function toolDocstring(src: string, stmt: SyntaxNode): string | undefined {
  const def = stmt.parent?.parent;
  if (!def || (def.name !== 'FunctionDefinition' && def.name !== 'ClassDefinition')) return undefined;
  const name = simpleValue(src, def.getChild('VariableName'), 'python');
  if (!name) return undefined;
  if (def.name === 'FunctionDefinition') {
    // `@function_tool(description_override="…")` sends the override in place of the docstring.
    if (def.parent?.name === 'DecoratedStatement' && def.parent.getChildren('Decorator').some((d) => /\bdescription_override\s*=/.test(textOf(src, d)))) return undefined;
    const how = toolFunction(src, def);
    return how ? `the docstring of ${how}` : undefined;
  }
  // A class decorated as a tool (local-deep-researcher's `@tool class Query(BaseModel): """This tool is used to …"""`,
  // bound with `bind_tools([Query])`): LangChain makes it a tool whose description is the docstring. Not `@register_tool`
  // (Qwen-Agent's tool classes send their `description` attribute, not the docstring).
  if (def.parent?.name === 'DecoratedStatement' && def.parent.getChildren('Decorator').some((d) => /^@([\w.]*\.)?tool\b/.test(textOf(src, d)))) return `the docstring of the tool ${name}`;
  const names = toolNames(src);
  if (names.schemas.has(name)) return `the docstring of ${name}, a schema sent to the model`;
  // A tool's arguments model sent whole: pydantic's JSON schema of it, sent as the tool's parameters, carries the docstring
  // as its description (vanna's `Tool.get_schema`). Not LangChain's or CrewAI's `args_schema`, whose docstring they drop.
  return names.wholeArgsSchemas.has(name) ? `the docstring of ${name}, the arguments schema of a tool` : undefined;
}

/**
 * The class a `Field(description=…)` belongs to when the file passes that class as a schema or a tool's arguments
 * (`args_schema=…`, `response_model=…`, vanna's `Tool[CalculatorArgs]`): its descriptions are surely sent, short ones too
 * (`a: float = Field(description="First number")`).
 */
export function fieldOfSentSchema(src: string, node: SyntaxNode): string | undefined {
  const name = enclosingClassName(src, node);
  if (name === undefined) return undefined;
  const names = toolNames(src);
  return names.argsSchemas.has(name) ? `a field description of ${name}, the arguments schema of a tool` : names.schemas.has(name) ? `a field description of ${name}, a schema sent to the model` : undefined;
}

/**
 * The name of the class whose body holds `node` (the class of a `Field(…)`), if any. None for a `Field(…)` in a
 * function's parameters (LiveKit's `@function_tool async def order_combo_meal(meal_id: Annotated[str,
 * Field(description=…)])`, a method of its agent class): it describes the function's parameter, not a field of the class.
 */
export function enclosingClassName(src: string, node: SyntaxNode): string | undefined {
  for (let p: SyntaxNode | null = node.parent; p; p = p.parent) {
    if (p.name === 'FunctionDefinition') return undefined;
    if (p.name !== 'ClassDefinition') continue;
    const name = textOf(src, p.getChild('VariableName') ?? p);
    return /^\w+$/.test(name) ? name : undefined;
  }
  return undefined;
}

/** How a function definition is registered as a tool in the file (`the tool get_weather`), if it is. */
function toolFunction(src: string, def: SyntaxNode): string | undefined {
  const name = simpleValue(src, def.getChild('VariableName'), 'python');
  if (!name) return undefined;
  const decorators = def.parent?.name === 'DecoratedStatement' ? def.parent.getChildren('Decorator').map((d) => textOf(src, d)).join('\n') : '';
  if (/@([\w.]*\.)?(tool|tool_plain|function_tool|register_tool|kernel_function)\b/.test(decorators)) return `the tool ${name}`;
  return toolNames(src).listed.has(name) ? `${name}, listed as a tool` : undefined;
}

/**
 * The text of `Annotated[str, "The city to get the weather for"]` in a parameter of a tool function
 * (openai-agents-python's examples/basic/tools.py): the SDK takes it as the parameter's description.
 */
export function annotatedParamOfTool(src: string, typeDef: SyntaxNode): string | undefined {
  if (!/^:?\s*Annotated\[/.test(textOf(src, typeDef))) return undefined;
  const def = typeDef.parent?.name === 'ParamList' ? typeDef.parent.parent : undefined;
  if (def?.name !== 'FunctionDefinition') return undefined;
  const how = toolFunction(src, def);
  return how ? `a parameter description of ${how} (Annotated)` : undefined;
}

/**
 * The docstring of a DSPy signature (`class GenPersona(dspy.Signature): """You need to select …"""`): DSPy sends it
 * as the task's instructions (stanford-oval/storm's modules), so it is a system prompt, not documentation.
 */
/** How `signatureDocstring` names a signature's docstring (`promptHolder`), which build.ts composes with the signature's fields. */
export const SIGNATURE_HOLDER = 'the instructions of the DSPy signature ';

export function signatureDocstring(src: string, stmt: SyntaxNode): string | undefined {
  const def = stmt.parent?.parent;
  if (def?.name !== 'ClassDefinition') return undefined;
  const bases = textOf(src, def.getChild('ArgList') ?? def);
  if (!/^\(\s*(dspy\.)?Signature\s*\)$/.test(bases) || !/^\s*(import dspy|from dspy\b)/m.test(src)) return undefined;
  return `${SIGNATURE_HOLDER}${textOf(src, def.getChild('VariableName') ?? def)}`;
}

/**
 * The functions whose result a template literal of the file interpolates (`${formatUserPrompt(…)}`). Only calls:
 * `noteInterpolated` asks about what functions return, and a bare `${name}` changes with most edits of a template (each
 * change of this set rescans the whole file in the editor).
 */
function interpolatedNames(src: string): Set<string> {
  const out = new Set<string>();
  if (!src.includes('${')) return out;
  for (const m of src.matchAll(/\$\{\s*([A-Za-z_$][\w$]*)\s*\(/g)) out.add(m[1]);
  return out;
}

/** A literal returned by a function whose result another template literal of the file interpolates (`interpolatedNames`). */
export function noteInterpolated(src: string, ctx: LiteralContext): void {
  if (ctx.boundName !== undefined && toolNames(src).interpolated.has(ctx.boundName)) ctx.interpolatedInto = ctx.boundName;
}

/** A literal bound to (or returned by) a name that the file joins with `+` to a prompt (`splicedNames`). */
export function noteSpliced(src: string, ctx: LiteralContext): void {
  const prompt = ctx.boundName !== undefined ? toolNames(src).spliced.get(ctx.boundName) : undefined;
  if (prompt !== undefined) ctx.splicedInto = prompt;
}

/**
 * The string literals, as written, that the file passes alone to `print(…)` or `console.log(…)`: ChatGLM3's
 * `tools_using_demo/cli_demo_tool.py` prints its banner "欢迎使用 ChatGLM3-6B 模型，输入内容即可进行对话…" and binds the same
 * literal to `prompt` in `build_prompt` (the console screen, not a prompt for the model).
 */
function printedLiterals(src: string): Set<string> {
  const out = new Set<string>();
  if (!printsSomething(src)) return out;
  for (const m of src.matchAll(/\b(?:print|console\.log)\(\s*((["'`])(?:\\.|(?!\2)[^\\\n])*\2)\s*[,)]/g)) out.add(m[1]);
  return out;
}

/** Whether `at` is inside a Python `def` or a JS `function` that the file never calls (ChatGLM3's `build_prompt`). */
function inUncalledFunction(src: string, at: number): boolean {
  const lineStart = src.lastIndexOf('\n', at - 1) + 1;
  const indent = /^[ \t]*/.exec(src.slice(lineStart))?.[0].length ?? 0;
  let fn: string | undefined;
  for (const m of src.slice(0, lineStart).matchAll(/(?:^|\n)([ \t]*)(?:async[ \t]+)?(?:def|function)[ \t]+([A-Za-z_$][\w$]*)[ \t]*\(/g)) {
    if (m[1].length < indent) fn = m[2];
  }
  if (fn === undefined) return false;
  return [...src.matchAll(new RegExp(`(?<![\\w$])${fn.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))].length === 1;
}

/**
 * The variables the file passes alone to `print(…)` or `console.log(…)` and uses nowhere else, but for their own bindings
 * and as the whole value of another variable: ChatGLM3's `basic_demo/cli_demo.py` binds its console banner to
 * `welcome_prompt` and prints it twice (`build_prompt` copies it into `prompt`, and nothing calls it). A prompt printed
 * before it is sent (`print(prompt)`, then `llm(prompt)` or `"content": prompt`) has another use, and is not one of them.
 */
function onlyPrintedNames(src: string): Set<string> {
  const out = new Set<string>();
  // Console output counts only in a console program, one that reads the person's input (`input("\n用户：")`, readline): a
  // module of prompts that prints them under `if __name__ == "__main__":` to check them is no console screen. A web page's
  // text shown with Gradio or Streamlit (`gr.Markdown(USAGE_INSTRUCTION)`, `st.markdown(…)`) counts in any file:
  // kotaemon's promptui help (newuser40) read as 302- and 180-token system prompts by the name "…INSTRUCTION".
  const consoleProgram = printsSomething(src) && /(?<![\w.])input\(|\breadline\b/.test(src);
  const web = /\b(?:gr|st)\.\w+\(/.test(src);
  if (!consoleProgram && !web) return out;
  const shows = [consoleProgram ? String.raw`\b(?:print|console\.log)` : '', web ? String.raw`\b(?:gr\.(?:Markdown|HTML)|st\.(?:markdown|write|text|info|caption|title|header|subheader))` : ''].filter(Boolean).join('|');
  const showCall = new RegExp(`(?:${shows})\\(\\s*([A-Za-z_$][\\w$]*)\\s*[,)]`, 'g');
  const shownBefore = new RegExp(`(?:${shows})\\(\\s*$`);
  for (const m of src.matchAll(showCall)) {
    const name = m[1];
    if (out.has(name) || name === 'undefined' || name === 'None') continue;
    let only = true;
    for (const use of src.matchAll(new RegExp(`(?<![\\w$.])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'))) {
      const before = src.slice(Math.max(0, use.index - 60), use.index);
      const after = src.slice(use.index + name.length, use.index + name.length + 60);
      if (shownBefore.test(before) && /^\s*[,)]/.test(after)) continue;
      if (/^[ \t]*(?::[^=\n]*)?=(?!=)/.test(after) && /(?:^|\n)[ \t]*(?:(?:const|let|var)[ \t]+)?$/.test(before)) continue;
      if (/(?:^|\n)[ \t]*(?:(?:const|let|var)[ \t]+)?[A-Za-z_$][\w$]*[ \t]*=[ \t]*$/.test(before) && /^[ \t]*;?[ \t]*(?:#[^\n]*)?(?:\n|$)/.test(after) && inUncalledFunction(src, use.index)) continue;
      only = false;
      break;
    }
    if (only) out.add(name);
  }
  return out;
}

/**
 * A literal bound to a variable that the file passes as the input of an agent run; or, when the file prints the very same
 * literal (`printedLiterals`) or only prints the variable (`onlyPrintedNames`), text for the person at the console.
 */
export function noteSent(src: string, ctx: LiteralContext, literal?: string): void {
  if (literal !== undefined && (toolNames(src).printed.has(literal) || (ctx.boundName !== undefined && toolNames(src).printedNames.has(ctx.boundName)))) ctx.negatives.push('ui');
  noteSpliced(src, ctx);
  const callee = ctx.boundName !== undefined ? toolNames(src).sent.get(ctx.boundName) : undefined;
  if (callee) ctx.sentTo = callee;
  const role = ctx.boundName !== undefined ? (toolNames(src).content.get(ctx.boundName) ?? (ctx.topLevel ? toolNames(src).partContent.get(ctx.boundName) : undefined)) : undefined;
  if (role) ctx.sentAsContent = role;
  const described = ctx.topLevel && ctx.boundName !== undefined ? toolNames(src).described.get(ctx.boundName) : undefined;
  if (described) ctx.tool ??= `a tool description constant (${ctx.boundName}), ${described}`;
}

/** Characters the class look-ups of `describedNames` read (a test checks that they stay linear in the file's length: break38). */
export const describedWork = { steps: 0 };

/** A module constant named for a description (`FUNCTION_DESCRIPTION`, `SILENT_MCP_TOOL_PARAMETER_DESCRIPTION`). */
const DESCRIPTION_CONSTANT = /^_?[A-Z][A-Z0-9_]*DESCRIPTION$/;
/** A JSON schema's `type` (`{ type: "boolean", description: X }`): the object is a parameter's schema, not an entry of a page's metadata. */
const SCHEMA_TYPE = /(?:^|[\s,{])["']?type["']?\s*:\s*["'](?:string|number|integer|boolean|object|array|null)["']/;
/** The attributes of a class that declare the arguments a model fills when it calls the class as a tool (Vocode's actions, LangChain's tools). */
const PARAMETERS_ATTRIBUTE = /^[ \t]+(?:def[ \t]+)?(?:parameters_type|args_schema|input_schema|parameters_schema)\b/m;

/** The text of the `{…}` object around `at` (from its unmatched `{` to the matching `}`), or undefined; strings are not skipped (a heuristic). */
function objectAround(src: string, at: number): string | undefined {
  let depth = 0;
  let from = -1;
  for (let i = at; i >= 0 && at - i < 4000; i--) {
    const ch = src[i];
    if (ch === '}') depth++;
    else if (ch === '{' && depth-- === 0) {
      from = i;
      break;
    }
  }
  if (from < 0) return undefined;
  depth = 0;
  for (let i = from; i < src.length && i - from < 8000; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(from + 1, i);
  }
  return undefined;
}

/** The Python class headers of a file (`class X(Bases):`), in order: where each starts, its indentation and its bases as written. */
function pythonClassHeaders(src: string): Array<{ start: number; indent: number; bases: string }> {
  return [...src.matchAll(/^([ \t]*)class[ \t]+\w+[ \t]*(\((?:[^()]|\([^()]*\))*\))?[ \t]*:/gm)].map((m) => ({ start: m.index, indent: m[1].length, bases: m[2] ?? '' }));
}

/**
 * The Python class whose body holds the line at `at` (`headers` from `pythonClassHeaders`): its bases as written and its
 * body's text, or undefined. Reads only that class's lines (a file of thousands of classes is read once per class asked).
 */
function pythonClassAround(src: string, headers: ReadonlyArray<{ start: number; indent: number; bases: string }>, at: number, ends: Map<number, number>): { start: number; bases: string; body: string } | undefined {
  const lineStart = src.lastIndexOf('\n', at - 1) + 1;
  const indent = /^[ \t]*/.exec(src.slice(lineStart, lineStart + 200))?.[0].length ?? 0;
  let found: { start: number; indent: number; bases: string } | undefined;
  // (From the last header before the line, found by halving: a file of thousands of classes asks once per class.)
  let lo = 0;
  let hi = headers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (headers[mid].start < lineStart) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && !found; i--) if (headers[i].indent < indent) found = headers[i];
  if (!found) return undefined;
  // (Its body runs to the first line after its header, with text, indented no deeper than the class: that line must come after `at`.
  // Found once per class: a class of thousands of `description = …` lines was read again for each, break38.)
  let to = ends.get(found.start);
  if (to === undefined) {
    let end = src.indexOf('\n', found.start);
    while (end >= 0 && end < src.length) {
      const next = src.indexOf('\n', end + 1);
      const line = src.slice(end + 1, next < 0 ? src.length : next);
      describedWork.steps += line.length + 1;
      if (/\S/.test(line) && !/^[ \t]*#/.test(line) && (/^[ \t]*/.exec(line)?.[0].length ?? 0) <= found.indent && !/^[ \t]*[)\]]/.test(line)) break;
      end = next;
    }
    to = end < 0 ? src.length : end;
    ends.set(found.start, to);
  }
  return to > at ? { start: found.start, bases: found.bases, body: src.slice(found.start, to) } : undefined;
}

/**
 * Constants named for a description (`*_DESCRIPTION`) that the file gives as a tool's or a parameter's description: to
 * zod's `.describe(…)`, as the `description` of a JSON schema (`{ type: "boolean", description: X }`), or as the
 * `description` attribute of a Python class that derives from a tool (`Tool`, `Action`) or declares the arguments the model
 * fills (`parameters_type`, `args_schema`). Held-out round 13: Langfuse's in-app agent gives
 * `SILENT_MCP_TOOL_PARAMETER_DESCRIPTION` to `.describe(…)` and to a schema's `silent` property, and Vocode's actions set
 * `description: str = FUNCTION_DESCRIPTION`, in files that import no LLM library (the constant rule's other way in,
 * toolEvidence.ts). Not a page's metadata (`{ title, description: SITE_DESCRIPTION }`), nor a settings class's attribute.
 */
function describedNames(src: string): Map<string, string> {
  const out = new Map<string, string>();
  let headers: Array<{ start: number; indent: number; bases: string }> | undefined;
  const classEnds = new Map<number, number>();
  const toolClasses = new Map<number, boolean>();
  for (const m of src.matchAll(/\.describe\(\s*([A-Z_][A-Z0-9_]*)\s*\)/g)) if (DESCRIPTION_CONSTANT.test(m[1])) out.set(m[1], 'given to .describe(…) as a parameter description');
  for (const m of src.matchAll(/["']?\bdescription["']?[ \t]*(?::[ \t]*str[ \t]*)?([:=])[ \t]*([A-Z_][A-Z0-9_]*)[ \t]*(?=[,}\n#]|$)/gm)) {
    const name = m[2];
    if (!DESCRIPTION_CONSTANT.test(name) || out.has(name)) continue;
    if (m[1] === ':' && !/^[ \t]*description[ \t]*:[ \t]*str/.test(m[0])) {
      const object = objectAround(src, m.index);
      if (object !== undefined && SCHEMA_TYPE.test(object)) out.set(name, 'the description of a JSON schema property');
      continue;
    }
    headers ??= pythonClassHeaders(src);
    const cls = pythonClassAround(src, headers, m.index, classEnds);
    if (!cls) continue;
    let tool = toolClasses.get(cls.start);
    if (tool === undefined) {
      describedWork.steps += cls.body.length;
      toolClasses.set(cls.start, (tool = /(?:Tool|Action)\b/.test(cls.bases) || PARAMETERS_ATTRIBUTE.test(cls.body)));
    }
    if (tool) out.set(name, 'the description of a tool class');
  }
  return out;
}

/** String attributes of a class of prompts, and the `description` of a tool class. */
export function noteClassAttribute(src: string, stmt: SyntaxNode, target: string, ctx: LiteralContext): void {
  const cls = stmt.parent?.parent;
  if (!cls || cls.name !== 'ClassDefinition') return;
  const name = textOf(src, cls.getChild('VariableName') ?? cls);
  const bases = textOf(src, cls.getChild('ArgList') ?? cls.getChild('VariableName') ?? cls);
  if (/^description$/.test(target) && /Tool\b/.test(bases) && !ownDataToolBase(src, bases)) ctx.tool = `the description of the tool class ${name}`;
  // langroid builds a tool's function spec from the `purpose` of its `ToolMessage` (langroid/langroid examples/basic; held-out round 5).
  else if (target === 'purpose' && LANGROID_TOOL_BASE.test(bases)) ctx.tool = `the purpose of the langroid tool ${name}`;
  else if (/Prompts?$/.test(name) && !/^(name|id|type|model|version|path|encoding|fence)$/i.test(target)) ctx.promptHolder = `an attribute of the prompt class ${name}`;
  else if (/^(goal|constraints)$/.test(target) && METAGPT_ROLE_BASE.test(bases) && /^[ \t]+profile[ \t]*(:[^=\n]*)?=/m.test(textOf(src, cls))) {
    ctx.promptHolder = `the ${target} of the MetaGPT role ${name} (its system prompt says "your goal is …, the constraint is …")`;
  }
}

/**
 * MetaGPT's agent roles (`class Engineer(Role)`, `class TeamLeader(RoleZero)`): `Role._get_prefix` writes the class's
 * `profile`, `goal` and `constraints` into the role's system prompt (geekan/MetaGPT metagpt/roles/role.py, newuser31).
 */
const METAGPT_ROLE_BASE = /^\(\s*(Role|RoleZero)\s*[,)]/;

/**
 * The strings of the `examples` of a ragas `PydanticPrompt` (held-out round 6: `examples = [(ResponseRelevanceInput(response="…"),
 * ResponseRelevanceOutput(question="…", …)), …]`): ragas renders each input/output pair as JSON under the instruction, so
 * they are few-shot examples. The list must be a class attribute of a `PydanticPrompt[…]` subclass.
 */
export function noteExampleModels(src: string, stmt: SyntaxNode, ctx: LiteralContext): void {
  const cls = stmt.parent?.parent;
  if (!cls || cls.name !== 'ClassDefinition' || ctx.callees.length === 0) return;
  const bases = textOf(src, cls.getChild('ArgList') ?? cls);
  if (!/^\(\s*(ragas\.prompt\.)?PydanticPrompt\s*\[/.test(bases)) return;
  ctx.promptHolder = `an example of the ragas prompt ${textOf(src, cls.getChild('VariableName') ?? cls)} (ragas renders its examples as few-shot JSON)`;
  ctx.boundName ??= 'examples';
}

/** Mirascope's decorators that make a function an LLM call: `@llm.call(…)`, `@llm.prompt`, v1's `@openai.call(…)`. */
const MIRASCOPE_CALL = /@(?:llm\.(?:call|prompt)|(?:openai|anthropic|gemini|google|mistral|groq|cohere|litellm|azure|bedrock|vertex|xai)\.call)\b/;

/**
 * Mirascope sends what an `@llm.call(…)` function returns as the user message (held-out round 6: `return f"Is the
 * following review positive or negative? {review}"`), in a file that imports mirascope. `decorators` are the function's.
 */
export function noteMirascopeReturn(decorators: string, imports: ReadonlySet<string>, fn: string | undefined, ctx: LiteralContext): void {
  if (!MIRASCOPE_CALL.test(decorators) || ![...imports].some((i) => /^mirascope\b/.test(i))) return;
  ctx.sentAsContent = 'user';
  if (fn) ctx.sentAsContentIn = fn;
}

/** `x.replace` on a value named as a prompt or template (`prompt`, `super_agi_prompt`, `self.prompt_template`). */
const PROMPT_RECEIVER_REPLACE = /(?:prompt|template|instructions?)\.replace$/i;

/**
 * The text that fills a placeholder of a prompt (SuperAGI's tools, held-out round 6: `prompt.replace("{spec}", "Use this
 * specs for generating the code:\n" + spec_response)`) is a piece of that prompt when it says something: a value put in
 * (anything-llm's test fills `{datetime}` with "January 1, 2024 12:00 PM") is not. `args` is the argument list of the
 * call `callee`, whose second argument `unit` (a literal, or a `+` chain of literals and values) is.
 */
export function notePlaceholderFill(src: string, args: SyntaxNode, unit: SyntaxNode, callee: string, ctx: LiteralContext): void {
  if (!PROMPT_RECEIVER_REPLACE.test(callee)) return;
  let words = 0;
  const cursor = unit.cursor();
  do if (cursor.name === 'String' || cursor.name === 'FormatString' || cursor.name === 'TemplateString') words += (textOf(src, cursor.node).match(/[A-Za-z]{2,}/g) ?? []).length;
  while (cursor.next() && cursor.from < unit.to);
  if (words < 4) return;
  const first = args.firstChild?.nextSibling;
  if (first?.name === 'String' && /^['"]\{\{?\s*\w+\s*\}?\}['"]$/.test(textOf(src, first))) ctx.promptHolder = `fills ${textOf(src, first)} in ${callee.slice(0, -'.replace'.length)}`;
}

let answerFormatCache: { src: string; names: Set<string> } | undefined;

/**
 * A value of a constant that the file writes into a prompt template as JSON (DB-GPT's scenes, held-out round 7:
 * `RESPONSE_FORMAT = [{"thoughts": "Current thinking and value of data analysis", "sql": "data analysis SQL", …}]`, passed as
 * `SystemPromptTemplate.from_template(…, response_format=json.dumps(RESPONSE_FORMAT, indent=4))` for `{response}`): it
 * tells the model what to write in that field of its answer. Only upper-case constants dumped in the arguments of a
 * template call (`from_template`, `PromptTemplate`, `.format`, `.partial`) count.
 */
export function noteAnswerFormat(src: string, name: string, ctx: LiteralContext): void {
  if (answerFormatCache?.src !== src) {
    const names = new Set<string>();
    // (Given by a keyword that names an answer format, `response_format=`, Qwen-Agent's `config_schema=`/`config_example=`,
    // or to a prompt's template: not a settings dict dumped into a log line or a page, `"Loaded: {}".format(json.dumps(SETTINGS))`
    // or `HTML.format(config=json.dumps(CONFIG))`, break32a.)
    for (const m of src.matchAll(/(?:\b(\w+)\s*=\s*)?json\.dumps\(\s*([A-Z][A-Z0-9_]*)\s*[,)]/g)) {
      const head = src.slice(Math.max(0, m.index - 400), m.index);
      if (!/(from_template|PromptTemplate|\.format|\.partial)\s*\(/.test(head)) continue;
      const formatKeyword = m[1] !== undefined && /format|schema|example|output|response|answer/i.test(m[1]);
      if (formatKeyword || /(from_template|PromptTemplate|\w*(?:prompt|PROMPT|Prompt|template|TEMPLATE|Template)\w*\.(?:format|partial))\s*\(/.test(head)) names.add(m[2]);
    }
    answerFormatCache = { src, names };
  }
  if (ctx.keys.length > 0 && answerFormatCache.names.has(name)) ctx.promptHolder ??= `a field of ${name}, the answer format written into a prompt template as JSON`;
}

/** langroid's tool message classes (`class AddTool(lr.ToolMessage)`, `class WriteFileTool(XMLToolMessage)`). */
const LANGROID_TOOL_BASE = /ToolMessage\b/;

/**
 * What a literal returned by a method says in a tool class (held-out round 5): the return of a `description` method of a
 * `*Tool` subclass (vanna's `@property def description(self) -> str: return "Perform basic arithmetic…"`) is the tool's
 * description; the strings of what a langroid `ToolMessage`'s `examples()` returns are the thoughts langroid turns into
 * few-shot examples (`("I want to add number 10 to the stored number", cls(number=10))`).
 */
export function noteToolClassReturn(src: string, fn: string, ret: SyntaxNode, ctx: LiteralContext): void {
  if (fn !== 'description' && fn !== 'examples') return;
  let def: SyntaxNode | null = ret.parent;
  while (def && def.name !== 'FunctionDefinition') def = def.parent;
  let cls = def?.parent;
  if (cls?.name === 'DecoratedStatement') cls = cls.parent;
  cls = cls?.name === 'Body' ? cls.parent : null;
  if (!cls || cls.name !== 'ClassDefinition') return;
  const name = textOf(src, cls.getChild('VariableName') ?? cls);
  const bases = textOf(src, cls.getChild('ArgList') ?? cls.getChild('VariableName') ?? cls);
  if (fn === 'description' && /Tool\b/.test(bases) && !LANGROID_TOOL_BASE.test(bases) && !ownDataToolBase(src, bases)) ctx.tool = `the description of the tool class ${name}`;
  else if (fn === 'examples' && LANGROID_TOOL_BASE.test(bases)) ctx.promptHolder = `an example thought of the langroid tool ${name} (langroid makes few-shot examples of them)`;
}

/**
 * A `*Tool` base class defined in this file as a plain pydantic model with no methods (opengpts'
 * `class BaseTool(BaseModel): type, name, description, config`): its subclasses' `description` is the
 * app's own listing of a tool (the tool picker's text), not a framework tool's description for the model.
 */
function ownDataToolBase(src: string, bases: string): boolean {
  for (const m of bases.matchAll(/\b([A-Za-z_]\w*Tool)\b/g)) {
    const header = new RegExp(`^class[ \\t]+${m[1]}[ \\t]*\\(([^)]*)\\)[ \\t]*:`, 'm').exec(src);
    if (!header || !/\bBaseModel\b/.test(header[1]) || /Tool\b/.test(header[1])) return false;
    const body = src.slice(header.index + header[0].length).split('\n').slice(1);
    const end = body.findIndex((l) => l.trim() !== '' && !/^[ \t]/.test(l));
    if (body.slice(0, end < 0 ? undefined : end).some((l) => /^[ \t]+(async[ \t]+)?def[ \t]/.test(l))) return false;
  }
  return /\b[A-Za-z_]\w*Tool\b/.test(bases);
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
  const content = [...names.content, ...[...names.partContent].map(([k, v]): [string, string] => [`${k}[]`, v])].map(([k, v]) => `${k}>${v}`).sort().join(',');
  return [list(names.listed), list(names.schemas), list(names.argsSchemas), list(names.wholeArgsSchemas), list(names.returned), list(names.instructionFns), sent, content, list(names.notSent), list(names.data), list(names.webOnly), [...names.spliced].map(([k, v]) => `${k}>${v}`).sort().join(','), list(names.printed), list(names.printedNames), list(names.interpolated), [...names.described.keys()].sort().join(',')].join('|');
}

/**
 * Whether every call of the function `name` in the file is a keyword argument of a web API response's constructor
 * (`ChannelConnectResponse(…, instruction=_connect_instruction(provider, code))`, deer-flow's channel_connections.py,
 * newuser34) in a FastAPI or Starlette file: what it returns is the API's answer, for the person calling it.
 */
export function returnedToWebBody(src: string, name: string, imports: ReadonlySet<string>): boolean {
  if (!/^\w+$/.test(name) || ![...imports].some((m) => /^(fastapi|starlette)(\.|$)/.test(m))) return false;
  let calls = 0;
  for (const m of src.matchAll(new RegExp(`(?<![\\w.])${name}\\s*\\(`, 'g'))) {
    if (/\bdef\s+$/.test(src.slice(Math.max(0, m.index - 10), m.index))) continue;
    if (!/[(,]\s*\w+\s*=\s*$/.test(src.slice(Math.max(0, m.index - 80), m.index))) return false;
    // The call whose argument list this is: the nearest unclosed "(" before it, and the name before that.
    let depth = 0;
    let i = m.index - 1;
    for (; i >= 0 && i > m.index - 4000; i--) {
      const c = src[i];
      if (c === ')' || c === ']' || c === '}') depth++;
      else if (c === '(' || c === '[' || c === '{') {
        if (depth === 0) break;
        depth--;
      }
    }
    if (i < 0 || src[i] !== '(') return false;
    const callee = /([A-Za-z_]\w*)\s*$/.exec(src.slice(Math.max(0, i - 80), i))?.[1];
    // A response only: a request body may be the one sent to a model service (`ChatRequest(system=…)`).
    if (!callee || !/^[A-Z]\w*Response$/.test(callee)) return false;
    calls++;
  }
  return calls > 0;
}
