/**
 * Tool descriptions and prompt catalogs (issue 12): the part of the judge (evidence.ts) that says whether a
 * literal is a tool or parameter description sent with a tool schema, or a value of a CrewAI-style catalog
 * written in code. In a file of its own to keep evidence.ts readable; it reads only the `LiteralContext`.
 */
import type { PromptKind } from '../../../protocol/scan';
import type { LiteralContext } from './literalContext';

/** Keys of a tool or parameter schema; a `description` beside or inside them is sent with the tool. */
const TOOL_SCHEMA_KEYS = /^(parameters|input_?schema|inputSchema|properties|args_?schema|function|functions|tools|required|json_?schema)$/;
/** Keys of a package manifest (package.json, composer.json) beside `version`: its description is the package's. */
const PACKAGE_MANIFEST_KEYS = /^(main|module|scripts|license|dependencies|devDependencies|peerDependencies|author|repository|private|engines|exports|keywords|homepage|packageManager|sideEffects|workspaces|bin|files|browserslist)$/;
/**
 * Keys of an entry shown to the user (a menu item, a picker row, a page of a site): its description is not a tool's.
 * (`slug`: a Docusaurus sidebar's `link: { type: 'generated-index', title, description, slug }` is the index page of a
 * category of the docs site; TaskWeaver's website/sidebars.js had five "tool" prompts, newuser47.)
 */
/**
 * A `type` a parameter schema may have: JSON Schema's (any case: Gemini's schemas write `"STRING"`, `"OBJECT"`), a tool's
 * own `"function"`, and a programming language's type (TaskWeaver's plugin YAML: `type: str`, `type: pandas.DataFrame`;
 * `List[str]`, `str | None`, a class name). Not a record's kind written in lower case (`patch`, `promptString`).
 */
const SCHEMA_TYPE_NAME = /^(string|number|integer|boolean|object|array|null|function|str|int|float|bool|list|dict|tuple|set|any|none|bytes|date|datetime|enum)$/i;
const TYPE_SHAPE = /[.[\]|]|^[A-Z]/;
const UI_ENTRY_KEYS = /^(displayTitle|displayName|label|icon|iconUrl|iconPath|tooltip|placeholder|slug)$/;
/**
 * Keys of a field of a settings form (Perplexica's `UIConfigField`: `{ name, key, type: 'password', required: true,
 * description, placeholder, env, scope }`; Verba's `InputConfig(type="dropdown", value=…, description=…, values=[…])`, held-out
 * round 9): its description is shown beside an input, and its `required` is a flag. A schema has a `default` and an `enum`,
 * never the `value` a form field holds or the `values` it offers.
 */
const FORM_FIELD_KEYS = /^(key|env|scope|value|values)$/;
// LlamaIndex names a tool by `ToolMetadata(name=…, description=…)` or `QueryEngineTool.from_defaults(…, description=…)` (run-llama/rags core/utils.py).
const TOOL_CALLEE = /(^|\.)(\w*Tool(\.from_defaults|\.from_function)?|ToolMetadata|Function|FunctionDefinition|FunctionDeclaration|ChatCompletionToolParam\w*|registerTool|tool|defineTool|createTool|Field)$/;
/** LangChain's positional tool description: `Tool(name, func, description)`, `create_retriever_tool(retriever, name, description)`. */
/**
 * Calls that show a notification to the person using the app: a toast's `{ type: "error", description: "Account already
 * exists!" }` (vercel/ai-chatbot's register page, session 45) is no parameter schema, whatever its `type`.
 */
const NOTIFICATION_CALLEE = /(^|\.)(toast(\.\w+)?|showToast|addToast|notify|notification(\.\w+)?|showNotification|enqueueSnackbar|message\.(success|error|info|warning|loading)|Swal\.fire)$/;
const POSITIONAL_TOOL_DESCRIPTION = /(^|\.)(Tool|create_retriever_tool)$/;

/** The OpenAI Agents SDK's agents: `Agent(…)`, `Agent[AirlineAgentContext](…)` (a generic context), `new RealtimeAgent({…})`. */
const HANDOFF_AGENT_CALLEE = /^(?:[\w.]+\.)?(?:Agent|RealtimeAgent)(?:\[[\w.[\], ]*\])?$/;
/** Its packages: Python `agents`, JavaScript `@openai/agents`, `@openai/agents/realtime`, `@openai/agents-realtime`. */
const AGENTS_SDK = /^(?:agents|@openai\/agents(?:-[\w-]+)?)(?:[./]|$)/;
/** The key of an agent's own prompt in its definition (deepagents' `SubAgent`, an agent's keyword arguments). */
// (`system`: inngest/agent-kit's `createAgent({ name, description, system })`, whose router reads the description; break36.)
const AGENT_PROMPT_KEY = /^(system|system_?prompt|systemPrompt|system_?message|systemMessage|instructions)$/;
const DICT_AGENT_PROMPT_KEY = /^(system_?prompt|systemPrompt|system_?message|systemMessage)$/;

/** Calls that make an agent: a constructor (`Agent`, `ResearchAgent`, `Team`) or a factory (`workflow.add_agent(…)`, `create_agent(…)`). */
const AGENT_CALLEE = /(^|\.)(\w*Agent|Team|add_agent|create_agent)$/;
/** Keys of an agent's definition beside its `role` (its prompt, model and tools), none of them a message's. */
const AGENT_DEFINITION_KEYS = /^(instructions|system_?prompt|systemPrompt|llm|model|tools|goal|backstory)$/;

/** DSPy's field and tool constructors: `dspy.InputField(desc=…)`, `OutputField(desc=…)`, `dspy.Tool(func, name=…, desc=…)`. */
const DSPY_DESC_CALLEE = /(^|\.)(InputField|OutputField|Tool)$/;

/**
 * Keys (nearest first) that end in an OpenAPI document's endpoint, `…, "get", "/v1/auth", "paths"` (the outermost last), or
 * in its reusable components, `…, "AnnotationQueue", "schemas", "components"`: the request and response bodies of a web API,
 * documented for its callers (langfuse's web/public/generated/api/openapi.yml gave 619 "tool" prompts, session 49).
 */
export function openApiPath(keys: readonly string[]): boolean {
  const n = keys.length;
  if (n >= 3 && keys[n - 1] === 'components' && /^(schemas|parameters|requestBodies|responses|headers|examples|links|callbacks|pathItems)$/.test(keys[n - 2])) return true;
  return n >= 3 && keys[n - 1] === 'paths' && keys[n - 2].startsWith('/') && /^(get|put|post|delete|options|head|patch|trace|parameters)$/.test(keys[n - 3]);
}

/**
 * Tool and parameter descriptions (issue 12): a `description` in a tool schema, a registered
 * tool's docstring, a zod `.describe()`, a `*_DESCRIPTION` constant in a file that builds
 * tools. Returns the evidence weight and what was seen, or undefined.
 */
export function toolEvidence(ctx: LiteralContext, llmImport: () => boolean): { weight: number; detail: string } | undefined {
  // The Vercel AI SDK's `contextSchema` describes the runtime context handed to `execute`, not the input the model fills.
  if (ctx.keys.includes('contextSchema')) return undefined;
  // (An OpenAPI document's endpoint describes a web route to its callers; evidence.ts counts it against.)
  if (openApiPath(ctx.keys)) return undefined;
  if (ctx.tool) return { weight: 1.6, detail: ctx.tool };
  const key = ctx.keys[0];
  // Continue's tools (core/tools/definitions/*.ts): `systemMessageDescription: { prefix, exampleArgs }` is how a tool is
  // described inside the system message for models without native tool calling (buildToolsSystemMessage.ts puts the
  // prefix, then an example call made of exampleArgs, into the system message). The prefix is the instruction; the
  // example arguments are values of a call, not text of their own.
  // opengpts' tools.py: `Tool("Dall-E-Image-Generator", DallEAPIWrapper(…).run, "A wrapper around OpenAI DALL-E API. Useful for …")`.
  if (key === undefined && ctx.direct && ctx.argIndex === 2 && POSITIONAL_TOOL_DESCRIPTION.test(ctx.callees[0] ?? '')) return { weight: 1.6, detail: `the description of a tool (${ctx.callees[0]}, third argument)` };
  // DSPy renders each field's `desc` into the prompt beside the field's name (`1. \`goal\` (str): Task to be accomplished.`),
  // and a `Tool`'s `desc` into the list of tools (stanfordnlp/dspy predict/refine.py, predict/react.py; held-out round 4).
  // Only in a file that imports dspy: other libraries have `InputField`s (forms) and `desc` keys of their own.
  if (key === 'desc' && DSPY_DESC_CALLEE.test(ctx.callees[0] ?? '') && [...ctx.imports].some((m) => /^dspy(\.|$)/.test(m))) {
    return { weight: 1.6, detail: `a field or tool description DSPy puts in the prompt (${ctx.callees[0]}, desc)` };
  }
  // The OpenAI Agents SDK (Python `handoff_description=`, JavaScript `handoffDescription:`, RealtimeAgent too) puts an
  // agent's handoff description into the description of the handoff tool the other agents call (held-out round 7:
  // openai-realtime-agents' agentConfigs). Only its own classes, in a file that imports it: a `SupportAgent` of the
  // project's own may take the same keyword for anything (break32a).
  if ((key === 'handoffDescription' || key === 'handoff_description') && ctx.keys.length === 1 && HANDOFF_AGENT_CALLEE.test(ctx.callees[0] ?? '') && [...ctx.imports].some((m) => AGENTS_SDK.test(m))) {
    return { weight: 1.6, detail: `the handoff description of an agent (${ctx.callees[0]}), sent as the description of its handoff tool` };
  }
  // The same SDK's `agent.as_tool(tool_name=…, tool_description=…)` (JavaScript `asTool({ toolName, toolDescription })`)
  // makes an agent a tool of another: the description is the tool's (openai-agents-python examples/agent_patterns/
  // agents_as_tools.py, session 45: was a user prompt, "passed to Agent").
  if ((key === 'tool_description' || key === 'toolDescription') && /(^|\.)(as_tool|asTool)$/.test(ctx.callees[0] ?? '') && [...ctx.imports].some((m) => AGENTS_SDK.test(m))) {
    return { weight: 1.6, detail: `the description of an agent made a tool (${ctx.callees[0]})` };
  }
  // griptape's tools (held-out round 7): `@activity(config={"description": …, "schema": Schema({Literal("x", description=…): str})})`
  // is the activity's description and its parameters' descriptions, sent with the tool's JSON schema.
  if (key === 'description' && [...ctx.imports].some((m) => /^griptape(\.|$)/.test(m))) {
    if (ctx.keys[1] === 'config' && (ctx.siblingKeys ?? []).includes('schema')) return { weight: 1.6, detail: "the description of a griptape activity (@activity config)" };
    if (ctx.direct && /^(Literal|Optional)$/.test(ctx.callees[0] ?? '') && ctx.callees.includes('Schema')) return { weight: 1.6, detail: `the description of a parameter of a griptape activity schema (${ctx.callees[0]})` };
  }
  // An agent's description beside its prompt (deepagents' `SubAgent` dict `{ name, description, system_prompt }`, held-out
  // round 8): the agent that delegates to it reads it in the description of the tool that calls it. In the arguments of an
  // agent's constructor (not letta's `Source(name=…, description=…, instructions=…)`, a data source), or in a dict beside a
  // system prompt (not an Assistants API config's `instructions`, whose `description` is metadata the model never reads).
  const agentPrompt = ctx.callees.length === 0 ? DICT_AGENT_PROMPT_KEY : /(^|\.)\w*Agent$/.test(ctx.callees[0] ?? '') ? AGENT_PROMPT_KEY : undefined;
  if (key === 'description' && ctx.keys.length === 1 && agentPrompt && (ctx.siblingKeys ?? []).includes('name') && (ctx.siblingKeys ?? []).some((k) => agentPrompt.test(k))) {
    return { weight: 1.6, detail: 'the description of an agent beside its prompt, sent as the description of the tool that delegates to it' };
  }
  if (key === 'prefix' && ctx.keys[1] === 'systemMessageDescription') return { weight: 1.6, detail: "a tool's instruction in the system message (systemMessageDescription.prefix)" };
  // SWE-agent's tool bundles (tools/*/config.yaml: `tools: { find_file: { signature, docstring, arguments } }`): each
  // command's docstring is the description of the function the model calls (sweagent/tools/commands.py
  // `get_function_calling_tool`), or its entry in the `{{command_docs}}` of the system prompt. 34 of the 35 were missed
  // (newuser49): short ones ("view an image file") scored as plain text, edit_anthropic's 159-word one only 0.8.
  if (key === 'docstring' && ctx.keys.length === 3 && ctx.keys[2] === 'tools' && ctx.callees.length === 0 && (ctx.siblingKeys ?? []).some((k) => k === 'signature' || k === 'arguments')) {
    return { weight: 1.6, detail: `the docstring of a tool (${ctx.keys[1]}), sent as its description` };
  }
  if (key !== undefined && /^description(_for_model)?$/.test(key)) {
    if (key === 'description_for_model') return { weight: 1.6, detail: 'a plugin description for the model' };
    const callee = ctx.callees[0] ?? '';
    if (TOOL_CALLEE.test(callee) && callee !== 'Field') return { weight: 1.6, detail: `the description of a tool (${callee})` };
    // A description inside a Field's `metadata` (langchain-ai/open_deep_research's `Field(default=3, metadata={"x_oap_ui_config":
    // {"type": "number", "description": "Maximum number of retries…"}})`, session 45: 17 "tool" prompts) describes the
    // setting to a configuration UI; it is no part of the field's JSON schema.
    if (callee === 'Field' && ctx.keys.slice(1).some((k) => k === 'metadata' || /^x_|ui_?config/i.test(k))) return undefined;
    if (callee === 'Field') return { weight: 1.3, detail: 'a field description in a schema sent to the model' };
    if (NOTIFICATION_CALLEE.test(callee)) return undefined;
    const siblings = ctx.siblingKeys ?? [];
    const text = ctx.textKeys ?? [];
    // `type` alone marks a parameter schema (`{ type: "string", description }`), unless the object also
    // holds keys of a UI entry: Continue's context providers (`{ title, displayTitle, description, type }`)
    // describe themselves to the user's @-menu, not to the model. A schema key holds a schema, not a string:
    // `{ tools: "Tools", description: "Description" }` is a table of UI labels (anything-llm's locales).
    // The same for a settings form's field, whose `required: true` is no schema's list of required properties.
    const shownToUser = siblings.some((k) => UI_ENTRY_KEYS.test(k) || FORM_FIELD_KEYS.test(k));
    // A record with `content` whose `type` is no string is data, not a schema: graphiti's episodes
    // (`{'content': '…', 'type': EpisodeType.text, 'description': 'podcast transcript'}`, newuser36) were tool prompts.
    const record = siblings.includes('content') && !text.includes('type');
    // A package manifest's description is npm metadata, and its `type` ("module", "commonjs") no schema's: vanna's
    // frontends/webcomponent/package.json (`{ name, version, description, main, scripts, type: "commonjs", … }`) was a tool
    // prompt (newuser38).
    // A private package has no `version` (stackblitz/bolt.new's package.json: `{ name, description, private, license,
    // packageManager, sideEffects, type: "module", scripts, … }` was a tool prompt, newuser39): beside `name`, two keys of
    // a manifest are enough; no tool schema has them.
    const manifestKeys = siblings.filter((k) => PACKAGE_MANIFEST_KEYS.test(k)).length;
    if ((siblings.includes('version') && manifestKeys > 0) || (siblings.includes('name') && manifestKeys >= 2)) return undefined;
    // A rewrite rule's label: nanobrowser's sanitizer table (`{ pattern: /…/gi, type: ThreatType.X, description: '…',
    // replacement: '…' }`, guardrails/patterns.ts, newuser41) names each threat for its logs; no schema has a replacement.
    if (siblings.includes('replacement')) return undefined;
    // An action registered with its zod schema (`{ name, description, schema: z.object({…}) }`, nanobrowser's
    // actions/schemas.ts: its navigator builds the model's action list from them; newuser41). Without zod, a `schema`
    // beside a name is anything (a database table's).
    if (siblings.includes('name') && siblings.includes('schema') && !text.includes('schema') && ctx.imports.has('zod')) {
      return { weight: 1.6, detail: 'the description of an action with a zod schema' };
    }
    // A `type` that names no JSON Schema type is some other record's kind: graphrag's release notes
    // (`.semversioner/*.json`, `{"description": "Fix csv reader", "type": "patch"}`, 320 "tool" prompts) and VS Code's
    // launch.json inputs (`{"id", "type": "promptString", "description": "Enter the query text"}`), newuser48.
    const schemaType = ctx.typeText === undefined || SCHEMA_TYPE_NAME.test(ctx.typeText) || TYPE_SHAPE.test(ctx.typeText);
    if (siblings.some((k) => TOOL_SCHEMA_KEYS.test(k) && !text.includes(k) && !(k === 'required' && shownToUser)) || (siblings.includes('type') && schemaType && !shownToUser && !record)) {
      return { weight: 1.6, detail: 'the description in a tool or parameter schema' };
    }
    if (ctx.keys.slice(1, 8).some((k) => TOOL_SCHEMA_KEYS.test(k)) || ctx.callees.some((c) => TOOL_CALLEE.test(c) && c !== 'Field')) return { weight: 1.6, detail: 'a description inside a tool schema' };
  }
  // A local bound to a name that says "tool description" is one too, in any case: deer-flow's lead agent builds its todo
  // middleware from `tool_description = """Use this tool to create and manage a structured task list…"""` (newuser34: it
  // was found on its shape alone and reported as a user prompt of 610 tokens).
  const constant = ctx.boundName !== undefined && /(^|_)(DESCRIPTION|description)$/.test(ctx.boundName) && /^_?[A-Z0-9_]+$/.test(ctx.boundName);
  if (ctx.boundName !== undefined && (constant || /(^|_)tools?_(\w+_)?description$/i.test(ctx.boundName)) && llmImport()) {
    return { weight: 1.2, detail: constant ? `a tool description constant (${ctx.boundName})` : `bound to ${ctx.boundName}, a tool description` };
  }
  return undefined;
}

/** Prompt catalogs: CrewAI agents (role, goal, backstory) and tasks (description, expected_output). */
export function catalogEvidence(ctx: LiteralContext): { weight: number; kind: PromptKind; detail: string } | undefined {
  const key = ctx.keys[0];
  const siblings = ctx.siblingKeys ?? [];
  // MetaGPT's `ActionNode(key=…, expected_type=…, instruction=…, example=…)`: `compile` writes each node's instruction into
  // the prompt it sends (`## nodes: "<node>: <type>  # <instruction>"`, metagpt/actions/action_node.py; newuser31).
  if (key === 'instruction' && ctx.direct && /(^|\.)ActionNode$/.test(ctx.callees[0] ?? '') && siblings.includes('expected_type')) {
    return { weight: 1.5, kind: 'user', detail: 'the instruction of a MetaGPT ActionNode, compiled into the prompt it sends' };
  }
  // atomic-agents' `SystemPromptGenerator(background=[…], steps=[…], output_instructions=[…])` writes each list, one item a
  // line, under its heading in the system prompt (joined.ts reads each list as one composed prompt; held-out round 8).
  if (key !== undefined && /^(background|steps|output_instructions)$/.test(key) && ctx.direct && /(^|\.)SystemPromptGenerator$/.test(ctx.callees[0] ?? '')) {
    return { weight: 1.5, kind: 'system', detail: `the ${key} section of a system prompt (SystemPromptGenerator)` };
  }
  // An agent's `role=` in its constructor (agno's `Agent(role="Searches Hacker News for community discussions")`, written
  // into its system message as `<your_role>` and into its team leader's list of members; CrewAI's `Agent(role=…)`): the
  // part the agent is told to play, not a message's role (those are keys of a message, never arguments of an agent).
  if (key === 'role' && ctx.direct && ctx.keys.length === 1 && AGENT_CALLEE.test(ctx.callees[0] ?? '')) {
    return { weight: 1.5, kind: 'system', detail: `the role of an agent (${ctx.callees[0]}), written into its system prompt` };
  }
  // Its goal and backstory beside it (CrewAI's `Agent(role=…, goal=…, backstory=…)`, written into the same system prompt: "You
  // are {role}. {backstory}\nYour personal goal is: {goal}"; e2b-cookbook's crewai-python example, break36): not user messages.
  if ((key === 'goal' || key === 'backstory') && ctx.keys.length === 1 && AGENT_CALLEE.test(ctx.callees[0] ?? '') && siblings.includes('role')) {
    return { weight: 1.5, kind: 'system', detail: `the ${key} of an agent (${ctx.callees[0]}), written into its system prompt` };
  }
  // The same in the one object an agent is defined by (beeai's `workflow.addAgent({ name, role: "A diligent researcher",
  // instructions, llm })`, written into its system prompt as "Assume the role of …"; held-out round 10): the object is the
  // call's argument (not an element of a list of messages) and holds the agent's instructions, model or tools beside the
  // role, never a message's content.
  if (key === 'role' && ctx.keys.length === 1 && ctx.messageList === undefined && AGENT_CALLEE.test(ctx.callees[0] ?? '') && siblings.some((k) => AGENT_DEFINITION_KEYS.test(k)) && !siblings.some((k) => /^(content|parts|text)$/.test(k))) {
    return { weight: 1.5, kind: 'system', detail: `the role of an agent (${ctx.callees[0]}), written into its system prompt` };
  }
  // What a task's answer must meet, beside the task's own prompt (beeai's `workflow.run([{ prompt: "Provide a …", expectedOutput:
  // "A paragraph that …" }])`, written into the task's user message as "This is the expected criteria for your output:"; CrewAI's
  // `Task(description=…, expected_output=…)`): part of that prompt. Beside an `input`, it is a test case's reference answer.
  if (key !== undefined && /^(expected_?output|expectedOutput)$/.test(key) && ctx.callees.length > 0 && siblings.includes('prompt') && !siblings.some((k) => /^(input|inputs|actual_?output|actualOutput)$/.test(k))) {
    return { weight: 1.3, kind: 'user', detail: `the expected output of a task (${key}), written into its prompt` };
  }
  if (key === undefined || ctx.callees.length > 0) return undefined;
  if (/^(role|goal|backstory)$/.test(key) && siblings.includes('goal') && siblings.includes('backstory')) return { weight: 1.5, kind: 'system', detail: `the ${key} of an agent definition` };
  if (/^(description|expected_output)$/.test(key) && siblings.includes('expected_output') && siblings.includes('description')) return { weight: 1.5, kind: 'user', detail: `the ${key} of a task definition` };
  return undefined;
}
