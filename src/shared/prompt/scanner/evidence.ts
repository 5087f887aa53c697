/**
 * Evidence scoring: whether a literal is a prompt sent to an LLM, and what kind. Each
 * language module describes where a literal sits (the call it is passed to, the name it
 * is bound to, the key it is the value of, its role sibling…) as a `LiteralContext`
 * (literalContext.ts); this module weighs that together with the text's shape. A literal is
 * reported when its score reaches `PROMPT_THRESHOLD`.
 */
import type { Evidence, PromptKind } from '../../../protocol/scan';
import type { Judgement, LiteralContext } from './literalContext';
import { compiledPack } from '../languages';
import { apiLabel } from './providers';
import { catalogEvidence, openApiPath, toolEvidence } from './toolEvidence';
import { CJK_TASK_MIN_WORDS, countWords, hasUnspaced, PROMPTISH_ZH, SYSTEM_OPENING_ZH, TASK_JA, TASK_KO, TASK_OPENING_ZH } from './words';

/** How the evidence of a module-level literal spliced into another file's prompt begins (`LiteralContext.splicedElsewhere`); the hints read it. */
export const SPLICED_ELSEWHERE = 'spliced into a prompt of ';

export { countWords } from './words';

export const PROMPT_THRESHOLD = 1;

interface ApiPattern {
  api: string;
  pattern: RegExp;
  /** Weight for a literal passed to this call (anywhere in its arguments). */
  weight: number;
  /** When the callee alone tells the kind (`SystemMessage`). */
  kind?: PromptKind;
  /** A generic callee (`run`) counts only in files importing a module matching this. */
  requires?: RegExp;
  /** A generic callee matching `callee` does not count in files importing a module matching `imports`. */
  notWith?: { callee: RegExp; imports: RegExp };
  /**
   * The API takes its text only as a keyword argument or an options object's property: a literal passed to the callee
   * positionally is another object's call of the same name.
   */
  keywordOnly?: true;
}

/** Database drivers, whose clients' `query` runs SQL or a graph query, not a prompt. */
const DATABASE_DRIVER = /^(pg|pg-promise|pg-pool|postgres|@neondatabase\/serverless|@vercel\/postgres|@supabase\/postgres-js|mysql2?|mariadb|sqlite3?|better-sqlite3|@libsql\/client|mssql|tedious|oracledb|neo4j-driver|@clickhouse\/client|@google-cloud\/bigquery|duckdb|psycopg2?|psycopg|asyncpg|aiopg|pymysql|aiomysql|aiosqlite|sqlalchemy|cx_Oracle|neo4j|clickhouse_connect|snowflake|databricks|kuzu|falkordb|pyodbc)(\.|\/|$)/;

/** Calls that send text to an LLM or build a prompt, by callee text. Order matters: first match wins. */
const API_PATTERNS: ApiPattern[] = [
  { api: 'LangChain', pattern: /(^|\.)(SystemMessage|SystemMessagePromptTemplate(\.from_template|\.fromTemplate)?)$/, weight: 1.6, kind: 'system' },
  { api: 'LangChain', pattern: /(^|\.)(HumanMessage|HumanMessagePromptTemplate(\.from_template|\.fromTemplate)?)$/, weight: 1.6, kind: 'user' },
  { api: 'LangChain', pattern: /(^|\.)(AIMessage|AIMessagePromptTemplate(\.from_template|\.fromTemplate)?)$/, weight: 1.6, kind: 'assistant' },
  { api: 'LangChain', pattern: /(^|\.)(ChatPromptTemplate|FewShotChatMessagePromptTemplate|FewShotPromptTemplate|MessagesPlaceholder)(\.\w+)?$/, weight: 1.4, kind: 'template' },
  { api: 'PromptTemplate', pattern: /(^|\.)(PromptTemplate|RichPromptTemplate|SelectorPromptTemplate|Template|BasePromptTemplate)(\.(from_template|fromTemplate|from_messages))?$/, weight: 1.3, kind: 'template' },
  { api: 'OpenAI', pattern: /(^|\.)chat\.completions\.(create|parse|stream)$|(^|\.)responses\.(create|parse|stream)$|(^|\.)ChatCompletion\.a?create$|(^|\.)Completion\.a?create$|(^|\.)(assistants|threads\.messages|threads\.runs|realtime\.sessions)\.create$/, weight: 1.5 },
  { api: 'OpenAI', pattern: /(^|\.)completions\.create$/, weight: 1.5 },
  { api: 'Anthropic', pattern: /(^|\.)messages\.(create|stream|count_tokens|countTokens|batches\.create)$/, weight: 1.5 },
  { api: 'LiteLLM', pattern: /^litellm\.(a?completion|text_completion|acompletion|batch_completion)$|^a?completion$/, weight: 1.5 },
  { api: 'Google GenAI', pattern: /(^|\.)(generate_content(_stream)?|generateContent(Stream)?|GenerativeModel|getGenerativeModel|GenerateContentConfig|start_chat|startChat)$/, weight: 1.4 },
  // A chat session's `send_message` is Google's only in a file that imports Google's SDK: a Telegram bot's
  // `bot.send_message(chat_id=…, text="Working on it...")` and a web app's own `sendMessage(threadId, "…")` are not, and
  // were priced as gemini-2.5-flash (newuser34: bytedance/deer-flow backend/app/channels/telegram.py, backend/docs/PATH_EXAMPLES.md).
  { api: 'Google GenAI', pattern: /(^|\.)(send_message(_stream)?|sendMessage(Stream)?)$/, weight: 1.4, requires: /^(google|vertexai|@google\/|@google-cloud\/)/ },
  // Elsewhere only on an agent or a chat: vanna's `agent.send_message(user=…, message="…")` (not a bot's or a client's).
  { api: 'LLM call', pattern: /(^|\.)(agent|chat|llm|assistant|conversation)\w*\.(send_message(_stream)?|sendMessage(Stream)?)$/i, weight: 1.4 },
  { api: 'Vercel AI SDK', pattern: /^(generateText|streamText|generateObject|streamObject|streamUI)$/, weight: 1.5 },
  { api: 'LlamaIndex', pattern: /(^|\.)(ChatMessage|as_query_engine|as_chat_engine|SimpleChatEngine\.from_defaults|ReActAgent(\.from_tools)?|FunctionAgent|FunctionCallingAgent)$/, weight: 1.2 },
  // (Also an agent added to a workflow or made by a factory: beeai's `workflow.addAgent({ role, instructions, llm })`, held-out
  // round 10; LangChain's `createAgent({ model, tools, systemPrompt })` / `create_agent(model, system_prompt=…)`.)
  { api: 'Agents', pattern: /(^|\.)(Agent|RealtimeAgent|Assistant|ChatAgent|AssistantAgent|ConversableAgent|create_react_agent|createReactAgent|initialize_agent|add_?[Aa]gent|create_?[Aa]gent)$/, weight: 1.1 },
  { api: 'Ollama', pattern: /^ollama\.(chat|generate)$/, weight: 1.4 },
  { api: 'Mistral', pattern: /(^|\.)chat\.(complete|stream)(_async)?$/, weight: 1.4 },
  { api: 'Cohere', pattern: /^(co|cohere|client)\.(chat|generate)$/, weight: 1.2 },
  {
    api: 'LLM call',
    // (`chat_completion`: TaskWeaver's `self.llm_api.chat_completion(messages=[format_chat_message(role="system", message="…")])`,
    // whose system message was missed, newuser47.)
    pattern: /(^|\.)(llm|chat_?model|chatModel|model|client|chain|agent|openai|anthropic|gemini|claude|gpt|lm|llm_client)\w*\.(invoke|ainvoke|predict|apredict|run|arun|complete|acomplete|chat|achat|generate|agenerate|stream|astream|call|query|stream_complete|predict_messages|a?chat_completion(_stream)?)$/i,
    weight: 1.1,
    // A database driver's `client.query(sql)` (mem0-ts' pgvector.ts on `pg`: "CREATE EXTENSION IF NOT EXISTS vector" was a
    // user prompt "passed to this.client.query (LLM call)", newuser43).
    notWith: { callee: /\.query$/, imports: DATABASE_DRIVER },
  },
];

/** Keys (keyword arguments, properties, YAML/JSON keys) that name prompt text. */
const KEY_KINDS: Array<[RegExp, PromptKind, number]> = [
  // (`customGuidelines`: VoltAgent's supervisor writes them into its system prompt under `<guidelines>`, held-out round 10.)
  [/^(system|system_?prompt|system_?message|system_?instructions?|instructions?|preamble|developer|developer_?message|persona|system_?template|systemPrompt|systemMessage|systemInstruction|custom_?guidelines)$/i, 'system', 1.1],
  [/^(few_?shot(s|_examples)?|examples?|demonstrations?|shots)$/i, 'fewShot', 0.6],
  [/^(prompt_?template|template|chat_?template|templates?|prefix|suffix|example_?prompt|promptTemplate)$/i, 'template', 0.9],
  [/^(prompt|user_?prompt|user_?message|human_?message|userPrompt|user|query_?prompt|prompts?|input_?prompt|question_?prompt|instruction_?prompt)$/i, 'user', 1.0],
  [/^(assistant|assistant_?message|ai_?message|assistant_?prefill|prefill)$/i, 'assistant', 1.0],
];

/** Keys that hold prompt text only when they are inside an LLM call or a message. */
const WEAK_KEYS = /^(content|input|message|text|query|question|contents|messages|parts|goal|backstory|role_description|description|expected_output)$/i;

/** Keys whose values are settings (model names, roles, ids, types, URLs), never prompt text. */
const SETTING_KEY = /^(model|model_?name|model_?id|modelId|engine|deployment(_?name)?|azure_deployment|role|type|name|id|url|base_?url|api_?key|api_?version|api_?base|provider|voice|format|response_?format|stop|tool_?choice|encoding|language|lang|mime_?type|media_?type|cache_?control|reasoning_?effort|effort|service_?tier|label|key|path|file|filename|file_?path|method|endpoint|host|version|mode|detail|verbosity|truncation|status)$/i;

/** Bound names that say "prompt" (`system` alone: the system prompt passed as `system=system`). Names for paths, ids and token counts are excluded below. */
// `compress_research_simple_human_message = """All above messages are about research …"""` (langchain-ai/open_deep_research
// prompts.py, sent as a HumanMessage) names its turn as `system_message` names the system prompt.
const PROMPT_NAME = /(prompt|instruction|system_?msg|system_?message|human_?(message|msg)$|preamble|persona|template|few_?shot|_?examples?$|^system$)/i;
/**
 * Upper-case constants named `*_ROLE` that hold prose are the role prompts some apps keep
 * (shell_gpt's `SHELL_ROLE = """Provide only {shell} commands…"""`, sent as the system message).
 * Case-sensitive, so a `role` variable (`role = "system"`) is not one; the single-word values
 * (`USER_ROLE = "user"`) still fall under the threshold on their shape.
 */
const ROLE_CONSTANT = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*_ROLE$/;
// (Text of the UI named as such: open-canvas's `CUSTOM_INSTRUCTIONS_TOOLTIP_TEXT`, shown in a tooltip, not sent; newuser35.)
const NOT_PROMPT_NAME = /(prompt|template)_?(tokens?|ids?|path|file|files|name|names|dir|folder|version|key|url|len|length|count|cost|type|class|format|loader|registry|cache|hash)$|^(n|num|max|min)_|tokens?$|(^|_)(path|file|dir|url|id|name)$|(tool_?tip|placeholder|label|caption|help_?text)(_?text)?$/i;

/** A fake chat model of a test, or a class named after one (`_FakeChatModelWithTools(FakeMessagesListChatModel)`). */
const FAKE_MODEL = /(^|\.)_*\w*Fake\w*(LLM|Llm|Model)\w*$/;

/** Names of a table of UI translations (anything-llm's `const TRANSLATIONS = { … }` in frontend/src/locales/xx/common.js). */
const TRANSLATION_TABLE = /(^|_)(translations?|i18n|l10n|locales?)$/i;

/** A helper that builds one role's message from its text (`self.user_message("…")`), snake case only. */
const ROLE_BUILDER = /(?:^|\.)(system|user|human|assistant|ai|developer)_message$/;

/**
 * (smolagents' `MessageRole.TOOL_RESPONSE` and `TOOL_CALL`: its models send them as a user and an assistant message,
 * `tool_role_conversions` in models.py; the retry instruction of a failed step goes out as a tool response, newuser46.)
 */
const ROLE_KIND: Record<string, PromptKind> = { system: 'system', developer: 'system', user: 'user', human: 'user', assistant: 'assistant', ai: 'assistant', model: 'assistant', bot: 'assistant', tool_response: 'user', 'tool-response': 'user', tool_call: 'assistant', 'tool-call': 'assistant' };

export function kindFromName(name: string): PromptKind | undefined {
  if (/system|instruction|persona|preamble|developer/i.test(name)) return 'system';
  // A list of example prompts (bolt.new's `EXAMPLE_PROMPTS = [{ text: 'Build a todo app in React' }, …]`, each sent as the
  // user's message when clicked) holds user messages, not few-shot turns; LangChain's singular `EXAMPLE_PROMPT`, the
  // format of each example, stays one.
  if (/(^|_)examples?_?prompts$|examplePrompts$/i.test(name)) return 'user';
  if (/few_?shot|example|demonstration/i.test(name)) return 'fewShot';
  // A role word right before prompt/message names the turn, whatever qualifies it: `get_ai_step_user_prompt`
  // builds the user turn of an "AI step" (browser-use), not an assistant message.
  if (/(user|human)_?(prompt|message|msg|input|content|turn)/i.test(name)) return 'user';
  if (/assistant|prefill/i.test(name) || (/(^|_)ai_/i.test(name) && !/user|human/i.test(name))) return 'assistant';
  if (/user|human|query|question/i.test(name)) return 'user';
  if (/template/i.test(name)) return 'template';
  return undefined;
}

export function roleKind(role: string | undefined): PromptKind | undefined {
  if (role === undefined) return undefined;
  const r = role.toLowerCase().replace(/^messagerole\./, '').replace(/^role\./, '');
  return ROLE_KIND[r];
}

/**
 * SQL, from its first words. `MERGE INTO target [alias] USING …` (Oracle, SQL Server, PostgreSQL 15) too: MiniRAG's
 * minirag/kg/oracle_impl.py SQL_TEMPLATES["merge_node"] and four more were "template" prompts (newuser51).
 */
const SQL = /^\s*(select\s[\s\S]*\sfrom\s|(?:insert(?:\s+or\s+(?:replace|ignore|abort|fail|rollback))?|replace)\s+into\s|update\s+(?:\w+\.)*(?:\w+|\$\{[^{}]*\}|\{[^{}]*\}|"[^"\n]+"|`[^`\n]+`|\[[^\]\n]+\])\s+set\s|delete\s+from\s|create\s+(table|index|view|unique|or\s+replace|extension|database|schema|sequence|trigger)\s|alter\s+table\s|drop\s+(table|index|view|extension|database|schema)\s|with\s+\w+\s+as\s*\(|merge\s+into\s+[\w.$"[\]]+(?:\s+(?:as\s+)?\w+)?\s+using\s)/i;
const ERRORISH_DETAIL = 'reads like an error or log message';
const ERRORISH = /^(error|failed|failure|invalid|unable|could not|cannot|can't|missing|unexpected|unknown|no such|not found|exception|warning|deprecated)\b/i;
const SYSTEM_OPENING = /^\s*(you are|you're|you will (act|be|play)|act as|your (role|task|job|goal|name) is|as an? [a-z]+ (assistant|expert|agent)|i want you to act|pretend (to be|you are)|system:)/i;
/**
 * A system prompt that describes the assistant in the third person, after an optional role section's tag or heading:
 * "Assistant is a large language model trained by OpenAI." (LangChain's conversational agent prefix), "<role>\nAssistant
 * is an advanced AI system…" (Perplexica's classifier), or "You are…" after such a tag or heading ("# System context\nYou
 * are part of a multi-agent system…", openai-agents-python's RECOMMENDED_PROMPT_PREFIX, was a user prompt). Only in a text of `THIRD_PERSON_MIN_WORDS` words or more: a short
 * one is product text ("This assistant is here to help you with your questions!" in a chat preview, break33b).
 */
const THIRD_PERSON_OPENING = /^\s*(?:<(?:role|system|persona|identity)>\s*|#{1,3}[ \t]*(?:role|persona|identity(?: and purpose)?|system (?:context|instructions)|background)[ \t]*\n\s*)?(?:(?:the |this )?(?:ai )?assistant is (?:a|an|designed|here)\b|you are\b)/i;
const THIRD_PERSON_MIN_WORDS = 25;
/** "Use the language used by the user (…) to generate a title…" (NextChat's tw.ts Topic): a task given after what to use. */
const USE_TO_TASK = /^\s*use\b[^\n]{0,160}?\bto (summari[sz]e|translate|answer|write|generate|classify|extract|rewrite|explain|respond|create|describe)\b/i;
const TASK_OPENING = /(^|\n)\s*(#+\s*)?(summari[sz]e|translate|answer|write|generate|classify|extract|given|rewrite|explain|list|respond|create|describe|analy[sz]e|identify|determine|convert|use the following|based on|please|read the|review|evaluate|compose|draft|tell me|help me|consider|think step|return (only|a|the)|provide|output)\b/i;
const PROMPTISH_WORDS = /\b(you|your|assistant|respond|response|answer|question|context|instructions?|output|format|json|step[- ]by[- ]step|user|task|below|following|concise|examples?|do not|don't|must|should|always|never)\b/gi;

/** How much the text itself looks like a prompt (and how much it looks like something else). */
export function shapeEvidence(text: string): { weight: number; evidence: Evidence[]; looksSystem: boolean } {
  return shapeOf(text);
}

type Shape = ReturnType<typeof shapeEvidence>;
const SHAPE_CACHE_MAX_TEXT = 200;
const SHAPE_CACHE_SIZE = 4096;

/**
 * `shapeEvidence`, remembered per file (the set of imports stands for the file's scan, and for
 * the versions of one document): the same short literals (`"role"`, `"content"`, `"user"`)
 * recur throughout a file, and their shape is looked at once.
 */
function shapeInFile(text: string, imports: ReadonlySet<string>): Shape {
  if (text.length > SHAPE_CACHE_MAX_TEXT) return shapeOf(text);
  const facts = importFacts(imports);
  const shapes = (facts.shapes ??= new Map<string, Shape>());
  let shape = shapes.get(text);
  if (!shape) {
    if (shapes.size >= SHAPE_CACHE_SIZE) shapes.clear();
    shapes.set(text, (shape = shapeOf(text)));
  }
  // Shared: `judge` copies the entries into its own list (nothing changes an entry once made).
  return shape;
}

/**
 * Llama 2's chat-template markers (`<s>[INST] <<SYS>>\n…\n<</SYS>>\n\n… [/INST]`): a formatter that writes turns between
 * them (continue's llama2TemplateMessages) has no text of its own.
 */
const LLAMA_MARKERS = /<\/?s>|\[\/?INST\]|<<\/?SYS>>/g;

/** Two interpolated names (written `\uFFFC` here) joined by one connecting word, then a colon: `Alice to Bob: …`. */
const SPEAKER_LABEL = /^\s*\uFFFC\s*(?:to|and|&|vs\.?|->|→)\s*\uFFFC\s*:\s*(?:\uFFFC\s*)?$/i;

/**
 * A line that is a short label (three words at most) and a colon, then an interpolated value (`\uFFFC`) or nothing. Words
 * of any script: "CÓDIGO ATUAL:", "Pregunta:" are labels as "CURRENT CODE:" is.
 */
const LABEL_LINE = /^\s*\p{L}[\p{L}\p{M}\p{N}_'’-]*(?: [\p{L}\p{M}\p{N}_'’-]+){0,2}\s*:\s*(\uFFFC)?\s*$/u;

/**
 * Whether a text is only labelled runtime values: two labels or more, each a line of its own followed by its value (on the
 * same line or alone on the next), and nothing else. A label with no value after it ("Question: {q}\nAnswer:") is a
 * turn the model is asked to continue, so such a text is not one.
 */
function labelledValues(sample: string): boolean {
  // A value fenced as code under its label (RD-Agent's `code_context_template: "CURRENT CODE CONTEXT:\n```python\n{{full_code}}
  // \n```"`, held-out round 12) is one value: the fence lines hold no text of their own.
  const valued = sample.replace(/\{\{[^{}]*\}\}|\$?\{[^{}]*\}/g, '\uFFFC');
  const unfenced = valued.replace(/^[ \t]*```[\w+-]*[ \t]*\n[ \t]*\uFFFC[ \t]*\n[ \t]*```[ \t]*$/gm, '\uFFFC');
  const fenced = unfenced !== valued;
  const lines = unfenced.split('\n').filter((l) => l.trim() !== '');
  let labels = 0;
  // (Runtime values may come first, alone on their lines: langgraph-swarm's customer support example sends `${baseSystemPrompt}
  // \n\nUser's active reservation: ${…}\nToday is: ${…}`, whose text is the prompt passed in; held-out round 10.)
  let first = 0;
  while (first < lines.length && lines[first].trim() === '\uFFFC') first++;
  for (let i = first; i < lines.length; i++) {
    const m = LABEL_LINE.exec(lines[i]);
    if (!m) return false;
    labels++;
    if (m[1]) continue;
    if (lines[i + 1]?.trim() !== '\uFFFC') return false;
    i++;
  }
  // (One label is enough when its value is fenced as code: "Question: {q}" alone may be the whole turn the model answers.
  // Not when the label asks for the work: "Review this code:\n```python\n{code}\n```" is the whole instruction, break37.)
  return labels >= 2 || (labels === 1 && fenced && !asksTask(lines[first]));
}

/** The languages whose task verbs open an instruction label ("Review this code:", "Revise este código:", "Revisa este código:"). */
const LABEL_TASK_LANGUAGES = ['en', 'pt', 'es'] as const;

/**
 * Whether a line opens with a task verb of English, Portuguese or Spanish (the packs' `taskVerbs`): "Review this code:",
 * "Summarize the diff:", "Revise este código:". A two- or three-letter verb of pt/es ("da", "di", "dê") opens too many
 * labels that are no request ("Da função:") to count.
 */
function asksTask(line: string): boolean {
  const text = line.trimStart();
  return LABEL_TASK_LANGUAGES.some((language) => {
    const verbs = compiledPack(language).taskVerbs;
    if (!verbs) return false;
    verbs.lastIndex = 0;
    const m = verbs.exec(text);
    verbs.lastIndex = 0;
    return m?.index === 0 && (language === 'en' || m[0].length >= 4);
  });
}

/** An XML-like tag, opening, closing or empty, whose attribute values may be interpolated (`<group index="\uFFFC">`). */
const MARKUP_TAG = /<\/?[A-Za-z][\w:.-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|\uFFFC))?)*\s*\/?>/g;

/**
 * `${…}` interpolations written `\uFFFC`, each to its matching brace: one that holds a function with a block or a nested
 * template literal (`${items.map((x) => { return `<item>${x}</item>`; })}`) is one value, not text.
 */
function interpolationsMasked(sample: string): string {
  let out = '';
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== '$' || sample[i + 1] !== '{') {
      out += sample[i];
      continue;
    }
    let depth = 0;
    let j = i + 1;
    for (; j < sample.length; j++) {
      if (sample[j] === '{') depth++;
      else if (sample[j] === '}' && --depth === 0) break;
    }
    if (j >= sample.length) return out + sample.slice(i);
    out += '\uFFFC';
    i = j;
  }
  return out;
}

/**
 * Whether a text is only markup tags and interpolated values (`<all-groups>\n${…}\n</all-groups>`, `<doc>{text}</doc>`): at
 * least one tag and one value, and no word outside the tags.
 */
export function onlyTagsAroundValues(sample: string): boolean {
  if (!sample.includes('<') || !/\$\{|\{/.test(sample)) return false;
  const masked = interpolationsMasked(sample).replace(/\{\{[^{}]*\}\}|\{(?![^{}]*"\s*:)[^{}]*\}/g, '\uFFFC');
  if (!masked.includes('\uFFFC')) return false;
  const untagged = masked.replace(MARKUP_TAG, ' ');
  return untagged !== masked && !/[\p{L}\p{N}]/u.test(untagged);
}

/**
 * Whether a text is HTML elements with attributes and template values and nothing else: no word outside the tags (Panel's
 * `ReactiveHTML._template`, `<i id="icon-button" class="fas ${icon}" …></i>`, and a `<fast-tabs>` one with `{% for %}`
 * loops, holoviz/lumen; both read as prompt templates). An element with an attribute is a page's markup: the XML tags a
 * prompt puts around its values (`<context>{context}</context>`) have none.
 */
export function htmlAroundValuesOnly(sample: string): boolean {
  if (!sample.includes('<') || !/\$\{|\{\{|\{%/.test(sample)) return false;
  const masked = interpolationsMasked(sample).replace(/\{%[\s\S]*?%\}|\{\{[\s\S]*?\}\}/g, '\uFFFC');
  const tags = masked.match(LOOSE_TAG) ?? [];
  if (!tags.some((t) => /^<[A-Za-z][\w:.-]*\s+[\w:.-]+\s*=/.test(t))) return false;
  // (A one-letter label is no text: FastDialog's close button reads "X".)
  return (masked.replace(LOOSE_TAG, ' ').match(/[\p{L}\p{N}]/gu) ?? []).length < 3;
}

/** An element's tag, whatever its attributes hold (values are masked first): lumen's `<fast-slider … # noqa step="${step}">`. */
const LOOSE_TAG = /<\/?[A-Za-z][\w:.-]*(?:\s[^<>]*)?\/?>/g;

/** A line that opens with a statement keyword of JavaScript/TypeScript or Python (`export default …`, `def f(`, `} catch`). */
const STATEMENT_LINE = /^(?:(?:import|export|const|let|var|function|async|await|return|class|def|from\s+[\w.]+\s+import|try|catch|except|finally|elif|interface|\}\s*(?:catch|else|finally))\b|type\s+\w+\s*=)/;
/** A line that ends as code lines end: a bracket, a semicolon, a comma, an arrow; or holds only closing brackets. */
const CODE_LINE_END = /(?:[{}()[\];,]|=>)\s*$/;
/** A line of prose: four words or more, spaced, and none of the characters code lines are made of (a comment is not prose here). */
function proseLine(line: string): boolean {
  if (line.startsWith('//') || line.startsWith('#') || /[(){}[\];=<>]/.test(line)) return false;
  return line.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length >= 4;
}

/**
 * Whether a text is source code written out (a file a tool generates: stagehand's `AGENT_BENCH_TEMPLATE` returns a
 * TypeScript module, session 35) rather than prose: four lines or more, three in four of them code lines (a statement
 * keyword first, or a code ending), two statement keywords at least, no line of prose, no "you", and no fenced block (a
 * prompt that shows code fences it). A JSON example has no statement keyword; a prompt with instructions has prose lines.
 */
function sourceCodeLines(sample: string): { code: number; lines: number } | undefined {
  if (sample.includes('```') || /\byou(?:r)?\b/i.test(sample)) return undefined;
  const lines = sample.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length < 4) return undefined;
  let code = 0;
  let statements = 0;
  for (const line of lines) {
    // One line of prose is a message about the code ("1. Switch the greeting text from "Hello" to "Hey"." in aider's
    // few-shot answer), not code written out.
    const statement = STATEMENT_LINE.test(line);
    if (!statement && proseLine(line)) return undefined;
    if (statement) statements++;
    if (statement || CODE_LINE_END.test(line) || line.startsWith('//')) code++;
  }
  return statements >= 2 && code * 4 >= lines.length * 3 ? { code, lines: lines.length } : undefined;
}

/** A line of a YAML mapping: a key (an interpolated one too, `{defs.MODEL_ID}:`), optionally a list item, then a short value or nothing; a trailing comment aside. */
const YAML_KEY_LINE = /^(\s*)(?:-\s+)?["']?[\w.${}-]+["']?\s*:(?:\s+(.*))?$/;

/**
 * Whether a text is a YAML document written out (graphrag's init_content.py: `INIT_YAML = f"""…completion_models:\n  {defs.…}:
 * \n    model_provider: …"""`, the settings.yaml `graphrag init` writes; newuser48: a 770-token "template prompt"): eight
 * settings or more, nine in ten of its lines that are not comments, values of six words at most, and two keys or more
 * that open a nested block. A prompt that shows YAML has prose lines around it; labelled values have no nesting.
 */
function yamlDocumentLines(sample: string): { keys: number; lines: number } | undefined {
  const lines = sample.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (lines.length < 8) return undefined;
  let keys = 0;
  let parents = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = YAML_KEY_LINE.exec(lines[i]);
    if (!m) continue;
    const value = (m[2] ?? '').replace(/\s+#.*$/, '').trim();
    if (value.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length > 6) continue;
    keys++;
    if (value === '' && (lines[i + 1]?.match(/^\s*/)?.[0].length ?? 0) > m[1].length) parents++;
  }
  return keys >= 8 && keys * 10 >= lines.length * 9 && parents >= 2 ? { keys, lines: lines.length } : undefined;
}

function shapeOf(text: string): { weight: number; evidence: Evidence[]; looksSystem: boolean } {
  const evidence: Evidence[] = [];
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const words = countWords(sample);
  let weight = 0;
  const add = (w: number, detail: string): void => {
    weight += w;
    evidence.push({ kind: w < 0 ? 'negative' : 'shape', detail, weight: w });
  };
  const trimmed = sample.trim();
  if (trimmed.length === 0) {
    add(-3, 'empty');
    return { weight, evidence, looksSystem: false };
  }
  if (SQL.test(sample)) add(-2.5, 'looks like SQL');
  // Placeholders are `${x}`, `{x}`, `{{ x }}`; a brace block holding `"key":` is JSON text, not a placeholder.
  const LETTER = /[A-Za-zÀ-ÿ\u0400-\u04ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]/;
  if (!LETTER.test(sample)) add(-3, /\{|\$\{/.test(sample) ? 'only interpolated values, no text of its own' : 'no words (punctuation or whitespace only)');
  else if (!LETTER.test(sample.replace(/\$\{[^{}]*\}|\{(?![^{}]*"\s*:)[^{}]*\}/g, ''))) add(-3, 'only interpolated values, no text of its own');
  // Role labels around values: a transcript of turns written out (chatbot-ui's Gemini Vision fallback sends
  // `${baseRole}:\n${basePrompt}\n\nuser:\n${…}`, held-out round 6) or a chat template's frame
  // (`<|im_start|>system\n{system_block}<|im_end|>`, letta's local-model wrappers), whose text is all the values'.
  else if (!LETTER.test(sample.replace(/\$\{[^{}]*\}|\{(?![^{}]*"\s*:)[^{}]*\}/g, '').replace(/<\|[^|<>\n]{1,40}\|>(\s*(user|assistant|system|human|ai|model)\b)?/gi, ' ').replace(LLAMA_MARKERS, ' ').replace(/\b(user|assistant|system|human|ai|model)\s*:/gi, ''))) add(-3, 'a transcript: role labels and interpolated values, no text of its own');
  // A speaker label between interpolated names (ai-town's `${player.name} to ${otherPlayer.name}:` that ends each transcript
  // row and its last turn, held-out round 7; `f"{a} to {b}: {text}"` alike): one connecting word and punctuation, the rest is the values'.
  else if (SPEAKER_LABEL.test(sample.replace(/\$?\{[^{}]*\}/g, '\uFFFC')) && (sample.match(/\$?\{[^{}]*\}/g) ?? []).length >= 2) add(-3, 'a speaker label between interpolated names, no text of its own');
  // Runtime values under short labels, one a line (stagehand's `Instruction: ${instruction}\nExtracted content: ${…}` and
  // `instruction: ${instruction}\nAccessibility Tree: \n${domElements}`, held-out round 9): the values are the message.
  else if (labelledValues(sample)) add(-3, 'labelled runtime values, no text of their own');
  if (ERRORISH.test(trimmed) && words < 25) add(-0.8, ERRORISH_DETAIL);
  if (/^(https?:|file:|\/|\.{1,2}\/|[A-Za-z]:\\)\S*$/.test(trimmed)) add(-2, 'a URL or a path');
  if (/^[\w.-]+$/.test(trimmed) && words <= 1) add(-1.5, 'a single word or identifier');
  if (htmlAroundValuesOnly(sample)) add(-3, 'HTML elements and template values only, no text outside the tags');
  else if (/^\s*</.test(trimmed) && /<\/?(div|span|html|body|p|a|table|tr|td|svg|script|style)\b/i.test(sample) && !/\byou\b/i.test(sample)) add(-1.2, 'HTML markup');
  // An XML document (an element with a namespace, or an XML declaration, first): SSML for text-to-speech, SVG, XHTML
  // (NextChat's `_SSMLTemplate` returns `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" …>`, newuser30).
  else if (/^(?:<\?xml\b|<[A-Za-z][\w:.-]*\s[^<>]*\bxmlns(?::[\w.-]+)?\s*=)/.test(trimmed) && !/\byou\b/i.test(sample)) add(-1.2, 'XML markup');
  // (Placeholders left out: "…and return only the number.\n\nSummary: {summary}" ends in a brace but is prose.)
  const unfilled = trimmed.replace(/\$\{[\w.]*\}|\{[A-Za-z_][\w.]*\}/g, '').trimEnd();
  if (/^[\s\S]*(\bdef |\bfunction\b|=>|\bimport\s|\breturn\s)[\s\S]*[;{}]\s*$/.test(unfilled) && words < 20 && !/\byou\b/i.test(sample)) add(-0.8, 'looks like code');
  else if (words >= 20) {
    const source = sourceCodeLines(sample);
    const yaml = source ? undefined : yamlDocumentLines(sample);
    if (source) add(-1.5, `source code (${source.code} of its ${source.lines} lines), not prose`);
    else if (yaml) add(-2.5, `a YAML document (${yaml.keys} of its ${yaml.lines} lines are settings), not prose`);
  }
  if (/^\s*[%{]?[\w\s:%().-]*%[sdrf][\w\s:%().-]*$/.test(trimmed) && words < 8) add(-0.6, 'a printf-style format');
  // A date format (agno's `Team(datetime_format="%B %d, %Y %I:%M %p %Z")`, held-out round 9's mirror walk): strftime
  // directives and separators, no word of its own.
  if ((trimmed.match(/%[-#_^0]?[A-Za-z]/g) ?? []).length >= 2 && !/[A-SU-Ya-z]/.test(trimmed.replace(/%[-#_^0]?[A-Za-z]/g, ''))) add(-3, 'a date or time format (strftime)');
  const looksSystem = proseEvidence(sample, words, add);
  return { weight, evidence, looksSystem };
}

/**
 * `shapeOf`, in part: what a text's prose says for it (its length in words, a system or task opening, prompt vocabulary,
 * placeholders, structure), added with `add`; whether it opens like a system prompt. (A part of its own: V8 optimizes
 * a function after a number of profiler ticks that grows with its bytecode.)
 */
function proseEvidence(sample: string, words: number, add: (w: number, detail: string) => void): boolean {
  if (words < 3) add(-1, `only ${words} word${words === 1 ? '' : 's'}`);
  else if (words < 6) add(-0.3, `only ${words} words`);
  else if (words >= 40) add(0.35, `${words} words of prose`);
  else if (words >= 15) add(0.25, `${words} words`);
  else add(0.1, `${words} words`);
  const looksSystem = SYSTEM_OPENING.test(sample) || SYSTEM_OPENING_ZH.test(sample) || (words >= THIRD_PERSON_MIN_WORDS && THIRD_PERSON_OPENING.test(sample));
  if (looksSystem) add(0.6, 'opens like a system prompt ("You are…")');
  else if (TASK_OPENING.test(sample) || USE_TO_TASK.test(sample) || (words >= CJK_TASK_MIN_WORDS && (TASK_OPENING_ZH.test(sample) || TASK_JA.test(sample) || TASK_KO.test(sample)))) add(0.35, 'gives a task ("Summarize…", "Answer…")');
  const hits = new Set((sample.match(PROMPTISH_WORDS) ?? []).map((w) => w.toLowerCase()));
  if (hasUnspaced(sample)) for (const w of sample.match(PROMPTISH_ZH) ?? []) hits.add(w === '您' ? '你' : w);
  if (hits.size >= 3) add(Math.min(0.45, 0.1 * hits.size), `prompt vocabulary (${[...hits].slice(0, 4).join(', ')})`);
  if (/\{\{\s*\w+\s*\}\}|\{[A-Za-z_]\w*\}|\$\{\w+\}|\{%\s*\w+/.test(sample) && words >= 4) add(0.25, 'has template placeholders');
  if (/(^|\n)\s*(#{1,3} |\d+\.\s|- |\* )\S/.test(sample) && /\n/.test(sample) && words >= 12) add(0.15, 'structured like instructions (lists, headings)');
  return looksSystem;
}

/** The input side of an example exchange and its output side (an example of a tool call, an answer, a reply). */
const EXAMPLE_INPUT_KEY = /^(prompt|input|query|question|user|human)$/;
const EXAMPLE_OUTPUT_KEY = /^(output|answer|response|completion|assistant|ai|call)$/;
/** The key of a list of examples (plural: a schema's one `example` is a sample of its values for the docs). */
const EXAMPLE_LIST_KEY = /^(few_?shots|few_?shot_?examples|examples|demonstrations)$/i;
/** Keys of the message structure a text sits in (`types.Part(text=…)` in `parts=[…]`, `{ content: … }`). */
const MESSAGE_STRUCTURE_KEY = /^(text|parts|content|contents)$/;

/** 'input' or 'output' when the literal is one side of an example exchange in a list of examples (see `judgeContext`). */
function exampleTurn(ctx: LiteralContext): 'input' | 'output' | undefined {
  let i = 0;
  while (i < ctx.keys.length && MESSAGE_STRUCTURE_KEY.test(ctx.keys[i])) i++;
  const side = ctx.keys[i];
  if (side === undefined || !EXAMPLE_LIST_KEY.test(ctx.keys[i + 1] ?? '')) return undefined;
  const which = EXAMPLE_INPUT_KEY.test(side) ? 'input' : EXAMPLE_OUTPUT_KEY.test(side) ? 'output' : undefined;
  if (!which) return undefined;
  // Paired: both sides beside each other in the item, or the item is an `Example` (whose input and output are its fields).
  const siblings = i === 0 ? (ctx.siblingKeys ?? []) : [];
  const paired = (siblings.some((k) => EXAMPLE_INPUT_KEY.test(k)) && siblings.some((k) => EXAMPLE_OUTPUT_KEY.test(k))) || ctx.callees.some((c) => /(^|\.)Example$/.test(c));
  // Given to a call (a tool's or an agent's definition: `aibitat.function({ …, examples })`, `ExampleTool(examples=[…])`) or in
  // a file that imports an LLM library: a data table of a function's inputs and outputs (a title-case rule's `examples`, a
  // slugify JSON, a CLI's usage examples) is no exchange with a model (break36: each side was a few-shot prompt).
  return paired && (ctx.callees.length > 0 || hasLlmImport(ctx.imports)) ? which : undefined;
}

/** Agent runs and message constructors the main table does not list (prompt finding, issue 12). */
const MORE_PROMPT_CALLS: ApiPattern[] = [
  // (An agent's own generate calls take the user's message as their first argument: VoltAgent's `agent.generateText("We are
  // building a comparison report…")`, held-out round 10; Mastra's `agent.generate("…")`.)
  { api: 'Agents', pattern: /(^|\.)\w*agent\w*\.(run|arun|run_sync|run_stream|runSync|stream|generate|generateText|streamText|generateObject|streamObject)$|^Runner\.(run|run_sync|run_streamed)$/i, weight: 1.5, kind: 'user' },
  // An app's own message classes, named for their role (browser-use's llm/messages.py, Microsoft.Extensions.AI ports…).
  { api: 'Chat message', pattern: /(^|\.)(SystemMessage|DeveloperMessage)$/, weight: 1.4, kind: 'system' },
  { api: 'Chat message', pattern: /(^|\.)UserMessage$/, weight: 1.4, kind: 'user' },
  { api: 'Chat message', pattern: /(^|\.)AssistantMessage$/, weight: 1.4, kind: 'assistant' },
  // CrewAI's tasks in code (`Task(description=…, expected_output=…, agent=…)`): the description is the task's prompt.
  { api: 'CrewAI', pattern: /^(crewai\.)?Task$/, weight: 1.1, kind: 'user', requires: /^crewai(\.|$)/ },
  // browser-use's `Agent(task=task, llm=…)`: the task is the agent's user prompt (toolNames notes the variable as `Agent.task`).
  { api: 'Agents', pattern: /(^|\.)\w*Agent\.task$/, weight: 1.4, kind: 'user' },
  // smolagents' planning step: its plan goes back to the model as an assistant message (memory.py `PlanningStep.to_messages`;
  // fileNames.ts notes the variable as `PlanningStep.plan`).
  { api: 'smolagents', pattern: /^PlanningStep\.plan$/, weight: 1.4, kind: 'assistant', requires: /^(smolagents(\.|$)|\.memory$)/ },
  // pydantic-ai's `raise ModelRetry("…")`: the message goes back to the model as a retry prompt after the tool call or the
  // output it rejects (context.ts keeps it from reading as an error).
  { api: 'pydantic-ai', pattern: /(^|\.)ModelRetry$/, weight: 1.4, kind: 'tool', requires: /^pydantic_ai(\.|$)/ },
  // Chainlit's conversation starters (`cl.Starter(label=…, message="Write a poem about the ocean.")`): a clicked starter is
  // sent as the user's message (autogen's agentchat_chainlit sample passes it to the team); its label is a setting.
  { api: 'Chainlit', pattern: /^(cl|chainlit)\.Starter$/, weight: 1.2, kind: 'user', requires: /^chainlit$/ },
  // Dexter's runner (`const runner = createAIRunner({ chatModel, systemMessage, functions })`) is called with the user's
  // message: `await runner('Summarize the latest news stories …')` (agentic's examples/dexter/bin/election-news.ts).
  { api: 'Dexter', pattern: /^\w*[Rr]unner$/, weight: 1.5, kind: 'user', requires: /^@dexaai\/dexter$/ },
  // The OpenAI Agents SDK for JavaScript runs an agent with a bare `run(agent, input)`.
  { api: 'Agents', pattern: /^run$/, weight: 1.5, kind: 'user', requires: /^@openai\/agents/ },
  // agno's teams (`Team(members=[…], instructions=[…])`) and the runs that print the answer (`team.print_response("…")`,
  // held-out round 9): the team is an agent, and the text is the user message of the run.
  { api: 'Agents', pattern: /(^|\.)Team$/, weight: 1.1, requires: /^(agno|phi)(\.|$)/ },
  { api: 'Agents', pattern: /\.a?print_response$/, weight: 1.5, kind: 'user', requires: /^(agno|phi)(\.|$)/ },
  // LiveKit Agents' `session.generate_reply(instructions="greet the user…")` / `generateReply({ instructions })`: the
  // instructions of the one reply the model is asked for now (held-out round 9). Its `user_input=` is the user's turn.
  // Its parameters are keyword-only (`def generate_reply(self, *, user_input=…, instructions=…)`; an options object in
  // agents-js): `session.generate_reply("…")` is another session's (left35). No import is required: LiveKit's own
  // workflows (livekit-agents/livekit/agents/beta/workflows/) import it relatively.
  { api: 'LiveKit Agents', pattern: /(^|\.)session\.(generate_reply|generateReply)$/, weight: 1.2, keywordOnly: true },
];

/**
 * Per set of imports (one per file, never changed once collected), what each callee matched
 * and whether the file imports an LLM library: every literal of a file asks again, and the
 * answers are dozens of regular expressions each.
 */
interface ImportFacts {
  byCallee: Map<string, ApiPattern | null>;
  llmImport?: boolean;
  shapes?: Map<string, Shape>;
  /** `apiLabel` of each API name matched in the file. */
  labels?: Map<string, string>;
  importsAnthropic?: boolean;
  importsOpenAi?: boolean;
}
const apiMatches = new WeakMap<ReadonlySet<string>, ImportFacts>();

function importFacts(imports: ReadonlySet<string>): ImportFacts {
  let facts = apiMatches.get(imports);
  if (!facts) apiMatches.set(imports, (facts = { byCallee: new Map() }));
  return facts;
}

/** `apiLabel(api, imports)`, once per API name and file (it reads every import). */
function labelOf(api: string, imports: ReadonlySet<string>): string {
  const labels = (importFacts(imports).labels ??= new Map<string, string>());
  let label = labels.get(api);
  if (label === undefined) labels.set(api, (label = apiLabel(api, imports)));
  return label;
}

/** Whether a callee is a known LLM API call (the patterns `callEvidence` reads), with the file's imports. */
export function isLlmApiCall(callee: string, imports: ReadonlySet<string>): boolean {
  return matchApi(callee, imports) !== undefined;
}

function matchApi(callee: string, imports: ReadonlySet<string>): ApiPattern | undefined {
  const known = importFacts(imports).byCallee;
  const cached = known.get(callee);
  if (cached !== undefined) return cached ?? undefined;
  const ok = (p: ApiPattern): boolean =>
    p.pattern.test(callee) && (!p.requires || [...imports].some((m) => p.requires?.test(m))) && !(p.notWith?.callee.test(callee) && [...imports].some((m) => p.notWith?.imports.test(m)));
  const hit = API_PATTERNS.find(ok) ?? MORE_PROMPT_CALLS.find(ok);
  if (known.size < 10_000) known.set(callee, hit ?? null);
  return hit;
}

/** Which framework a generic name such as `PromptTemplate` belongs to, from the file's imports. */
function frameworkFromImports(imports: ReadonlySet<string>): string | undefined {
  for (const name of imports) {
    if (/^(langchain|@langchain)/.test(name)) return 'LangChain';
  }
  for (const name of imports) {
    if (/^(llama_index|llamaindex)/.test(name)) return 'LlamaIndex';
  }
  for (const name of imports) {
    if (/^(guidance|haystack|semantic_kernel|dspy|jinja2|promptflow)/.test(name)) return name.split('.')[0];
  }
  return undefined;
}

export function hasLlmImport(imports: ReadonlySet<string>): boolean {
  const facts = importFacts(imports);
  facts.llmImport ??= llmImportIn(imports);
  return facts.llmImport;
}

function llmImportIn(imports: ReadonlySet<string>): boolean {
  for (const name of imports) {
    if (/^(openai|anthropic|@anthropic-ai|langchain|@langchain|llama_index|llamaindex|ai$|@ai-sdk|litellm|google\.genai|google\.generativeai|@google\/genai|@google\/generative-ai|vertexai|mistralai|@mistralai|cohere|ollama|groq|together|transformers|guidance|dspy|haystack|semantic_kernel|pydantic_ai|instructor|crewai|autogen|agents|langroid|vanna|mirascope|ragas|deepeval|superagi|smolagents)/.test(name)) return true;
  }
  return false;
}

/**
 * The most a literal's text can add to the score of its context: the positive shape evidence
 * of `shapeOf` all at once (0.35 for prose length, 0.6 for a system opening, 0.45 for prompt
 * vocabulary, 0.25 for placeholders, 0.15 for structure), plus 0.1 for a file importing an
 * LLM library. (The allowance for short messages only takes back negative shape evidence.)
 * Raise it with any new positive evidence in `shapeOf`.
 */
export const MAX_TEXT_GAIN = 0.35 + 0.6 + 0.45 + 0.25 + 0.15 + 0.1;

/** Weighs a literal's context and text. */
export function judge(text: string, ctx: LiteralContext): Judgement;
/**
 * With `floor`: undefined when the context alone leaves the score so far below `floor` that no
 * text could reach it (a log message, an error, a docstring), without looking at the text.
 */
export function judge(text: string, ctx: LiteralContext, floor: number): Judgement | undefined;
export function judge(text: string, ctx: LiteralContext, floor?: number): Judgement | undefined {
  return judgeText(text, ctx, judgeContext(ctx), floor);
}

/**
 * What a literal's context alone says (the first half of `judge`), for a caller that must
 * know whether a literal can reach a score before it decodes the literal's text
 * (incremental.ts). Hand it to `judgeText` once: that adds to its evidence.
 */
export interface ContextVerdict {
  /** The score of the context evidence: with `MAX_TEXT_GAIN` it bounds what any text can reach. */
  readonly score: number;
  /** @internal The rest of the state `judgeText` continues from. */
  readonly state: ContextState;
}

interface ContextState {
  evidence: Evidence[];
  kind: PromptKind | undefined;
  api: string | undefined;
  /** `Judgement.apiCallee`. */
  apiCallee: number | undefined;
  inLlmCall: boolean;
  callKind: PromptKind | undefined;
  keyMatched: boolean;
  rk: PromptKind | undefined;
  tool: boolean;
  /** The kind is the one the bound name says (`ASSISTANT_PROMPT`), nothing stronger. */
  kindByName: boolean;
}

/** True when no text could lift a literal in this context to `floor` (`judge(text, ctx, floor)` is then undefined for every text). */
export function ruledOutByContext(verdict: ContextVerdict, floor: number): boolean {
  // (A margin of 0.05 keeps rounding in the sums from deciding.)
  return verdict.score + MAX_TEXT_GAIN + 0.05 < floor;
}

/** What `judgeContext` has found so far (its parts, in order, add to it). */
interface Judging {
  readonly ctx: LiteralContext;
  readonly evidence: Evidence[];
  score: number;
  kind: PromptKind | undefined;
  /** The kind is the one the bound name says (`ASSISTANT_PROMPT`), nothing stronger. */
  kindByName: boolean;
  api: string | undefined;
  apiCallee: number | undefined;
  callKind: PromptKind | undefined;
  inLlmCall: boolean;
  keyMatched: boolean;
  nearestKey: string | undefined;
  rk: PromptKind | undefined;
  tool: { weight: number; detail: string } | undefined;
}

function addEvidence(j: Judging, kindOfEvidence: Evidence['kind'], weight: number, detail: string): void {
  j.score += weight;
  j.evidence.push({ kind: weight < 0 ? 'negative' : kindOfEvidence, detail, weight });
}

export function judgeContext(ctx: LiteralContext): ContextVerdict {
  // (In parts: one function of all of them was 4,607 bytes of bytecode, which V8 optimizes only after ~33 profiler ticks.)
  const j: Judging = { ctx, evidence: [], score: 0, kind: undefined, kindByName: false, api: undefined, apiCallee: undefined, callKind: undefined, inLlmCall: false, keyMatched: false, nearestKey: undefined, rk: undefined, tool: undefined };
  contextNegatives(j);
  callEvidence(j);
  keyEvidence(j);
  nameEvidence(j);
  toolAndSettingEvidence(j);
  const { score, evidence, kind, api, apiCallee, inLlmCall, callKind, keyMatched, rk, tool, kindByName } = j;
  return { score, state: { evidence, kind, api, apiCallee, inLlmCall, callKind, keyMatched, rk, tool: tool !== undefined, kindByName: kindByName && kind !== 'tool' } };
}

/** `judgeContext`, in part: the negative evidence of the context: a docstring, a log line, an error, a key, a UI string… */
function contextNegatives(j: Judging): void {
  const ctx = j.ctx;
  // (Most literals have no negative: the checks below, one per kind, are skipped for them.)
  if (ctx.negatives.length > 0) {
    const hard = ctx.negatives.find((n) => n === 'docstring' || n === 'typePosition' || n === 'separator' || n === 'replacedText');
    if (hard) {
      addEvidence(j, 'negative', -5, hard === 'docstring' ? 'a docstring' : hard === 'separator' ? 'a join separator' : hard === 'replacedText' ? 'the text a .replace() call takes out, never sent' : 'a type annotation');
    }
    if (ctx.negatives.includes('log')) addEvidence(j, 'negative', -2.5, 'inside a log or print call');
    if (ctx.negatives.includes('raise')) addEvidence(j, 'negative', -2.5, 'an error message (raised or thrown)');
    if (ctx.negatives.includes('assert')) addEvidence(j, 'negative', -2.5, 'inside a test assertion');
    if (ctx.negatives.includes('comparison')) addEvidence(j, 'negative', -1.5, 'compared with, not sent');
    if (ctx.negatives.includes('printfArgument')) addEvidence(j, 'negative', -2.5, 'a value formatted into another string with %');
    if (ctx.negatives.includes('taggedTemplate')) addEvidence(j, 'negative', -3, 'a tagged template (SQL, GraphQL, HTML, CSS)');
    if (ctx.negatives.includes('bareExpression')) addEvidence(j, 'negative', -2, 'a bare expression statement');
    if (ctx.negatives.includes('subscript')) addEvidence(j, 'negative', -2, 'used as an index or key');
    if (ctx.negatives.includes('ui')) addEvidence(j, 'negative', -1, 'a UI string');
    if (ctx.negatives.includes('localeExample')) addEvidence(j, 'negative', -3, "a placeholder's example in a locale's messages, shown to translators");
    if (ctx.negatives.includes('uiCatalog')) addEvidence(j, 'negative', -3, 'a UI string of an i18n catalog (one entry per language)');
    // What a program asks the person at the terminal is read by no model, however much it reads like an instruction
    // (MetaGPT's AskReview: "Please review output from … Please type your review below:" given to get_human_input).
    if (ctx.negatives.includes('asked')) addEvidence(j, 'negative', -2.5, 'a question to the person at the terminal (input, get_human_input)');
    if (ctx.negatives.includes('returnType')) addEvidence(j, 'negative', -3, "a field of a tool's return type (not sent as a schema)");
    if (ctx.negatives.includes('settings')) addEvidence(j, 'negative', -3, 'a field of a settings or options class (its help, not sent to the model)');
    if (ctx.negatives.includes('webModel')) addEvidence(j, 'negative', -3, "a field of a web API's request or response body (its documentation, not sent to the model)");
    if (ctx.negatives.includes('dataModel')) addEvidence(j, 'negative', -3, 'a field of a data class the program fills (stamped, built from a dict or cast to), not a schema sent to the model');
    if (ctx.negatives.includes('webRecord')) addEvidence(j, 'negative', -3, 'a field of a record (taken or returned by a web route, or filled by the program itself; never passed to a model)');
    if (ctx.negatives.includes('chatDisplay')) addEvidence(j, 'negative', -3, "a message shown in the page's chatbot (gr.ChatMessage), not sent to a model");
    if (ctx.negatives.includes('client')) addEvidence(j, 'negative', -3, 'sent to a client (a websocket message or an HTTP response), not to a model');
    if (ctx.negatives.includes('toolResult')) addEvidence(j, 'negative', -3, 'a tool result (data returned to the model)');
  }
  // The replies a test scripts for a fake chat model (`FakeMessagesListChatModel(responses=[AIMessage(…)])`, `FakeListLLM(
  // responses=[…])`, `GenericFakeChatModel(messages=…)`): what the stand-in model says, sent to no model (held-out round 8:
  // langgraph's integration graphs script their supervisor's tool call and final reply this way).
  if (ctx.keys.some((k) => k === 'responses' || k === 'messages') && ctx.callees.some((c) => FAKE_MODEL.test(c))) addEvidence(j, 'negative', -3, 'a scripted reply of a fake chat model (a test double)');
  const translation = (ctx.boundName !== undefined && ctx.keys.length > 0 && TRANSLATION_TABLE.test(ctx.boundName)) || ctx.keys.some((k) => /^translations?$/i.test(k));
  if (translation) addEvidence(j, 'negative', -1.5, 'an entry of a translation table (UI text)');
}

/** `judgeContext`, in part: the call the literal (or a variable holding it) is passed to, and a message whose content a variable holding it is. */
function callEvidence(j: Judging): void {
  const ctx = j.ctx;
  // The call the literal is passed to.
  for (let i = 0; i < ctx.callees.length; i++) {
    const callee = ctx.callees[i];
    const hit = matchApi(callee, ctx.imports);
    if (!hit) continue;
    if (hit.keywordOnly && i === 0 && ctx.direct && ctx.argIndex !== undefined) continue;
    let name = hit.api === 'PromptTemplate' ? (frameworkFromImports(ctx.imports) ?? 'PromptTemplate') : hit.api;
    // `client.completions.create` is OpenAI's and Anthropic's legacy API alike: the imports decide.
    const facts = importFacts(ctx.imports);
    const importsAnthropic = (facts.importsAnthropic ??= [...ctx.imports].some((m) => /^(anthropic|@anthropic-ai)/.test(m)));
    const importsOpenAi = (facts.importsOpenAi ??= [...ctx.imports].some((m) => /^openai/.test(m)));
    if (name === 'OpenAI' && /(^|\.)completions\.create$/.test(callee) && !/chat\.completions/.test(callee) && importsAnthropic && !importsOpenAi) name = 'Anthropic';
    if (name === 'Anthropic' && importsOpenAi && !importsAnthropic && /^(?!.*threads)/.test(callee)) name = 'OpenAI-compatible';
    name = labelOf(name, ctx.imports);
    const weight = i === 0 ? hit.weight : hit.weight * 0.7;
    addEvidence(j, 'api', weight, `passed to ${callee} (${name})`);
    j.api = name;
    j.apiCallee = i;
    j.inLlmCall = true;
    const nearestKey = ctx.keys[0];
    if (i === 0 && hit.kind && (ctx.direct || nearestKey === undefined || /^(template|content|messages)$/.test(nearestKey))) j.callKind = hit.kind;
    break;
  }
  // The input of a run of an agent the file builds and binds to a name that says nothing of agents (agent-kit's
  // `const network = createNetwork({…})` run as `network.run("Analyze the files/example.ts file…")`, held-out round 11).
  if (!j.inLlmCall && ctx.agentRun) {
    addEvidence(j, 'api', 1.5, `passed to ${ctx.callees[0]} (${ctx.agentRun}, an agent)`);
    j.api = 'Agents';
    j.inLlmCall = true;
    j.callKind = 'user';
  }
  // A variable holding the literal is passed as the input of an agent run (`Runner.run(agent, user_message)`).
  if (!j.inLlmCall && ctx.sentTo) {
    const hit = matchApi(ctx.sentTo, ctx.imports);
    if (hit) {
      const name = labelOf(hit.api, ctx.imports);
      addEvidence(j, 'api', hit.weight * 0.8, `held in ${ctx.boundName ?? 'a variable'}, which is passed to ${ctx.sentTo} (${name})`);
      j.api = name;
      j.inLlmCall = true;
      if (hit.kind) j.callKind = hit.kind;
    }
  }
  // A variable holding the literal is the content of a role message (`{"role": "user", "content": grading}`).
  // Without an LLM import, a function named as a prompt that builds the message says as much (continue's
  // `claudeSonnetLazyApplyPrompt` returns `[{ role: "user", content: userContent }, { role: "assistant", content: assistantContent }]`).
  if (!j.inLlmCall && ctx.sentAsContent && ctx.role === undefined) {
    const fn = ctx.sentAsContentIn;
    const inPromptFn = fn !== undefined && PROMPT_NAME.test(fn) && !NOT_PROMPT_NAME.test(fn);
    const where = inPromptFn && !hasLlmImport(ctx.imports) ? ` built by ${fn}` : '';
    addEvidence(j, 'role', hasLlmImport(ctx.imports) || inPromptFn ? 1.0 : 0.6, `held in ${ctx.boundName ?? 'a variable'}, the content of a ${ctx.sentAsContent} message${where}`);
    j.kind ??= roleKind(ctx.sentAsContent);
  }
}

/** `judgeContext`, in part: the key the literal is the value of, the example exchange and the role message it is part of. */
function keyEvidence(j: Judging): void {
  const ctx = j.ctx;
  // The key it is the value of.
  j.nearestKey = ctx.keys[0];
  for (let i = 0; i < ctx.keys.length && i < 4; i++) {
    const key = ctx.keys[i];
    const match = KEY_KINDS.find(([re]) => re.test(key));
    if (!match) continue;
    const [, k, w] = match;
    addEvidence(j, 'argument', (j.inLlmCall ? w : w * 0.8) * (i === 0 ? 1 : 0.8), `inside the value of ${key}`);
    j.kind ??= k;
    j.keyMatched = true;
    break;
  }
  if (!j.keyMatched && j.nearestKey !== undefined && WEAK_KEYS.test(j.nearestKey) && (j.inLlmCall || ctx.role !== undefined)) {
    addEvidence(j, 'argument', 0.4, `the ${j.nearestKey} of a message`);
  }
  // One side of an example exchange in a list of examples: the item pairs an input with an output (anything-llm's aibitat
  // tools, `examples: [{ prompt: "Find starred emails about budget", call: JSON.stringify({…}) }]`, written into the system
  // prompt as `Query: "…"` rows for models without tool calling), or is an `Example` of its own (Google ADK's `ExampleTool(
  // examples=[Example(input=types.UserContent(parts=[types.Part(text="Roll a 6-sided die.")]), output=[…])])`; held-out
  // round 10). The message structure around the text (`text`, `parts`, `content`) is looked through. A value inside the
  // output (the arguments of the example call) is not a turn of its own.
  const exampleSide = exampleTurn(ctx);
  if (exampleSide) {
    addEvidence(j, 'role', 1.2, `the ${exampleSide} of an example exchange in a list of examples`);
    j.kind = 'fewShot';
    j.keyMatched = true;
  }
  // Role messages: {"role": "system", "content": "..."} and ("system", "...").
  j.rk = roleKind(ctx.role);
  if (j.rk && (j.nearestKey === undefined || /^(content|text|prompt|message|parts|value)$/i.test(j.nearestKey))) {
    addEvidence(j, 'role', 1.2, `the content of a ${ctx.role} message`);
    j.kind = j.rk;
  }
  // A role message built by a helper named for its role: vanna's VannaBase `system_message(message)`, `user_message(…)` and
  // `assistant_message(…)` each return `{"role": …, "content": message}`, and its generate_* methods send the list to the
  // model (newuser38: legacy/base/base.py's plotly and summary instructions, given as `self.user_message("…")`, were missed).
  const builder = !j.inLlmCall && j.rk === undefined && j.nearestKey === undefined ? ROLE_BUILDER.exec(ctx.callees[0] ?? '') : null;
  const builtKind = builder ? roleKind(builder[1]) : undefined;
  if (builder && builtKind) {
    addEvidence(j, 'role', 1.0, `passed to ${ctx.callees[0] ?? ''}, which builds a ${builder[1]} message`);
    j.kind = builtKind;
  }
}

/** `judgeContext`, in part: the name the literal is bound to, and the prompt it is joined or concatenated with. */
function nameEvidence(j: Judging): void {
  const ctx = j.ctx;
  // The name it is bound to.
  if (ctx.boundName !== undefined && PROMPT_NAME.test(ctx.boundName) && !NOT_PROMPT_NAME.test(ctx.boundName)) {
    // `SYSTEM_PROMPT`, `user_prompt`, `get_prompt_x`, and the camel-case word in `getRequestPromptFromHints`.
    // "System message" is the API's own name for the system prompt (OpenAI's docs, autogen's `system_message=`):
    // browser-use's `extend_system_message = ('REMEMBER … ALWAYS open first a new tab …')` was 0.7 and not found.
    const strong = /PROMPT|INSTRUCTION|TEMPLATE|SYSTEM_(MESSAGE|MSG)$/.test(ctx.boundName) || /prompt$|prompt_|instructions?$|system_?(message|msg)$/i.test(ctx.boundName) || /Prompt(?=[A-Z_$]|$)|SystemMessage$/.test(ctx.boundName);
    // Strings inside the data of a few-shot examples constant (`_DEFAULT_EXAMPLES = [{"inputs": {…}}]`) are example turns.
    const exampleData = /(few_?shot|examples?)$/i.test(ctx.boundName) && ctx.keys.length > 0;
    addEvidence(j, 'name', strong || exampleData ? 1.0 : 0.7, exampleData ? `an example in ${ctx.boundName}` : `bound to ${ctx.boundName}`);
    if (j.kind === undefined) j.kindByName = (j.kind = kindFromName(ctx.boundName)) !== undefined;
  } else if (ctx.boundName !== undefined && ROLE_CONSTANT.test(ctx.boundName)) {
    addEvidence(j, 'name', 0.7, `bound to ${ctx.boundName} (a role constant)`);
    j.kind ??= 'system';
  }
  // A section joined with `+` to a prompt elsewhere in the file (`prompt + "\n\n" + designQualitySection`): a fragment of it.
  if (ctx.splicedInto !== undefined && !j.keyMatched && !j.inLlmCall) {
    addEvidence(j, 'name', 0.8, `joined with + to ${ctx.splicedInto}`);
    j.kind ??= 'template';
  }
  // Imported by another file of the project and spliced into a prompt there (nanobrowser's `commonSecurityRules`, in
  // the navigator's and the planner's system prompts): a piece of those prompts, shown in its own module.
  if (ctx.splicedElsewhere !== undefined && !j.keyMatched && !j.inLlmCall) {
    addEvidence(j, 'name', 0.9, `${SPLICED_ELSEWHERE}${ctx.splicedElsewhere}`);
    j.kind ??= 'template';
  }
  // A piece concatenated with a variable that holds prompt text (`user=user_prompt + "\nInformation…"`).
  // (A `*_PLACEHOLDER` joined into a prompt is a template field's marker, not UI text: livekit/agents-js's
  // `'You can control how you speak…' + TTS_INSTRUCTIONS_PLACEHOLDER`, lost to the UI-text names of newuser35.)
  const promptVar = ctx.composed ? ctx.composedWith?.find((n) => PROMPT_NAME.test(n) && (!NOT_PROMPT_NAME.test(n) || /placeholder$/i.test(n))) : undefined;
  if (promptVar) {
    addEvidence(j, 'name', 0.6, `concatenated with the prompt ${promptVar}`);
    j.kind ??= kindFromName(promptVar);
    j.keyMatched = true;
  }
}

/** `judgeContext`, in part: tool descriptions, prompt catalogs and classes of prompts; an API's documented example and a setting's value. */
function toolAndSettingEvidence(j: Judging): void {
  const ctx = j.ctx;
  // Tool descriptions, prompt catalogs and classes of prompts (issue 12).
  j.tool = toolEvidence(ctx, () => hasLlmImport(ctx.imports));
  if (j.tool) {
    addEvidence(j, 'argument', j.tool.weight, j.tool.detail);
    j.kind = 'tool';
    j.keyMatched = true;
  }
  const catalog = j.tool ? undefined : catalogEvidence(ctx);
  if (catalog) {
    addEvidence(j, 'argument', catalog.weight, catalog.detail);
    j.kind = catalog.kind;
    j.keyMatched = true;
  }
  if (ctx.promptClass && !j.tool) {
    addEvidence(j, 'name', 1.2, `the text of a ${ctx.promptClass}`);
    j.keyMatched = true;
  }
  if (ctx.promptHolder && !j.tool) {
    addEvidence(j, 'name', 1.1, ctx.promptHolder);
    j.kind ??= ctx.boundName ? (kindFromName(ctx.boundName) ?? 'system') : 'system';
    j.keyMatched = true;
  }
  // The example a FastAPI model shows in the API's documentation (`class Config: json_schema_extra = {"example": {…}}`,
  // Langchain-Chatchat's server/utils.py): sample values for people reading the docs.
  if (ctx.boundName !== undefined && /^(json_)?schema_extra$/.test(ctx.boundName) && [...ctx.imports].some((m) => /^(fastapi|starlette)(\.|$)/.test(m))) addEvidence(j, 'negative', -3, "an example in a web API's documentation (json_schema_extra)");
  // Values of setting-like keys are never prompt text, whatever call they are passed to.
  // The description of a schema field named like a setting (`file_path: z.string().describe('Path to the file being edited')`,
  // e2b-dev/fragments lib/schema.ts) describes the field; it is not the setting's value.
  if (j.nearestKey !== undefined && SETTING_KEY.test(j.nearestKey) && !catalog && !(j.tool && ctx.callees[0]?.endsWith('.describe'))) addEvidence(j, 'negative', -3, `the value of the setting ${j.nearestKey}`);
  // OpenAI's `user` request parameter is an id of the app's end user, for abuse monitoring; the model never reads it
  // (anything-llm's OpenRouter provider: `chat.completions.create({ model, messages, user: `user_${user.id}` })` was a
  // user prompt, newuser44): a `user` beside the request's model, messages or input. A `user` of another call keeps its meaning.
  if (j.nearestKey === 'user' && OPENAI_REQUEST.test(ctx.callees[0] ?? '') && (ctx.siblingKeys ?? []).some((k) => /^(model|messages|input)$/.test(k))) addEvidence(j, 'negative', -3, "the end user's id of an OpenAI request (user), not a message");
  // The description of an entry of a table of values (`{ key: "time", value: () => …, description: "Current time", type:
  // "system" }`, anything-llm's SystemPromptVariables, newuser44: the variables a user may put in a system prompt, each
  // described on the settings page) describes the entry to the person choosing it; the table's name is no evidence for it.
  const siblings = ctx.siblingKeys ?? [];
  if (j.nearestKey === 'description' && !j.tool && !catalog && !j.inLlmCall && siblings.includes('key') && (siblings.includes('value') || siblings.includes('type'))) {
    addEvidence(j, 'negative', -1.5, 'the description of an entry of a table (key, value, description), shown beside it');
  }
  // An error a web route or a function returns (`res.status(422).json({ error: `You are missing required metadata…` })`,
  // anything-llm's document endpoints, newuser44: a system prompt on its "You are…" opening alone). Only in a call's
  // arguments: an agent's config names the error texts it sends to the model so (SWE-agent's `error_message: |` template).
  if (j.nearestKey !== undefined && /^(error|err|error_?message|errorMessage)$/.test(j.nearestKey) && !j.inLlmCall && ctx.callees.length > 0) addEvidence(j, 'negative', -1.5, `an error message (the value of ${j.nearestKey})`);
  // An OpenAPI document's endpoints (`paths: { "/v1/auth": { get: { description, requestBody: { … example } } } }`) document
  // a web API for the people calling it: their descriptions and example bodies are sent to no model (anything-llm's
  // swagger/openapi.json gave 162 "tool" prompts, newuser44).
  if (openApiPath(ctx.keys)) addEvidence(j, 'negative', -3, ctx.keys[ctx.keys.length - 1] === 'components' ? "documentation of a web API's request or response (an OpenAPI document's components)" : "documentation of a web API's endpoint (an OpenAPI document's paths)");
  // A Param parameter's `doc=` (`code_execution = param.Selector(default="hidden", objects=[…], doc="""Code execution mode
  // …""")`, holoviz/lumen lumen/ai/ui.py, finding49) documents the parameter to the people who set it (help(), the
  // docs): a user prompt on its 115 words alone. Lumen sends a Parameterized class's docs to a model only by converting the
  // class (translate.py `param_to_pydantic(view_type)`), which the literal's file does not show; a class the file sends
  // as a schema (`schemaClass`) keeps its fields. A Parameter class of the project's own is called so too (lumen/dashboard.py
  // `template = Template(default=…, doc="The Panel template to render the dashboard into.")`, lumen's config.Template, a
  // param.Parameter: read as LangChain's PromptTemplate); no prompt template takes its text as `doc=`.
  const paramCall = /^param\.[A-Z]\w*$/.test(ctx.callees[0] ?? '') || /^[A-Z]\w*$/.test(ctx.callees[0] ?? '');
  if (j.nearestKey === 'doc' && ctx.keys.length === 1 && !j.tool && ctx.schemaClass === undefined && paramCall && ctx.imports.has('param')) {
    addEvidence(j, 'negative', -3, "the documentation of a Param parameter (doc=), for the people who set it, not sent to the model");
  }
}

/** OpenAI's request calls, whose top-level `user` is the end user's id (`chat.completions.create`, `responses.create`). */
const OPENAI_REQUEST = /(^|\.)(chat\.completions|responses|completions)\.(create|parse|stream)$/;



/** The second half of `judge`: the text's shape added to what the context said (`judgeContext`, used once). */
export function judgeText(text: string, ctx: LiteralContext, verdict: ContextVerdict, floor?: number): Judgement | undefined {
  if (floor !== undefined && ruledOutByContext(verdict, floor)) return undefined;
  const { evidence, api, apiCallee, inLlmCall, callKind, keyMatched, rk, kindByName } = verdict.state;
  const tool = verdict.state.tool;
  let { kind } = verdict.state;
  let score = verdict.score;
  const add = (kindOfEvidence: Evidence['kind'], weight: number, detail: string): void => {
    score += weight;
    evidence.push({ kind: weight < 0 ? 'negative' : kindOfEvidence, detail, weight });
  };
  const contextScore = keyMatched || rk ? score : 0;
  const shape = shapeInFile(text, ctx.imports);
  score += shape.weight;
  evidence.push(...shape.evidence);
  // An error the code sends to the model as a message's content, with words of its own after it (smolagents' "Error:\n{error}\n
  // Now let's retry: take care not to repeat previous errors! …", a tool response): feedback to the model, not a log line.
  const errorish = shape.evidence.find((e) => e.detail === ERRORISH_DETAIL);
  if (errorish && (ctx.sentAsContent !== undefined || rk !== undefined) && /\n\s*\S[^\n]*\b(?:you|your|let's|let us|try|retry|please|make sure|take care)\b/i.test(text)) add('role', -errorish.weight, 'an error sent to the model as a message, with instructions after it');
  // (pydantic-ai's `raise ModelRetry(f"Invalid query: {e}")`: the error is what the model is told to fix.)
  else if (errorish && ctx.direct === true && ctx.argIndex === 0 && /(^|\.)ModelRetry$/.test(ctx.callees[0] ?? '') && inLlmCall) add('role', -errorish.weight, 'an error sent back to the model as a retry prompt');
  // Markup tags around runtime values, in a text that another text of the file interpolates (social-media-agent's
  // `formatUserPrompt` returns `<all-groups>\n${groups.map(…)}\n</all-groups>`, spliced into the user message "Hi! Here are
  // all of the groups I put together:\n${formatUserPrompt(…)}…", held-out round 12): a value of that text, not a prompt. (Sent
  // as the message itself, such a frame is the prompt: open-canvas's `<custom-instructions>\n${…}\n</custom-instructions>`.)
  if (ctx.interpolatedInto !== undefined && onlyTagsAroundValues(text)) add('negative', -3, `markup tags around runtime values, interpolated into another text (\${${ctx.interpolatedInto}})`);
  // A short message is still a prompt when the code plainly sends it as one ("Hello!" as a user message).
  // A message's content may even be punctuation when it opens a structure the model continues (an assistant prefill
  // `"{"`, "[", "```"); nothing else gets that allowance. NextChat's `content: ";"` (a filler turn that keeps Claude's roles
  // alternating) and `content: "……"` (a loading bubble) are no prompt to count or compress.
  let shortPenalty = 0;
  // (Any opening bracket or quote: a Japanese or Chinese prefill opens with 「, 『, 【 or “ just as an English one with `"`.)
  const opensStructure = /^\s*(?:[\p{Ps}\p{Pi}<"'`]|```)/u.test(text);
  // A literal made only of placeholders (`PromptTemplate(template="{page_content}")`, Langchain-Chatchat) is no text of its
  // own however plainly it is sent, except as a role message's content.
  for (const e of shape.evidence) if ((e.detail.startsWith('only ') && (rk !== undefined || !e.detail.startsWith('only interpolated'))) || e.detail === 'a single word or identifier' || (rk !== undefined && opensStructure && e.detail.startsWith('no words (punctuation'))) shortPenalty += e.weight;
  // (Not a word or two filled into a template that is sent: `session.generate_reply(instructions=_SWAP_PROMPT.format(
  // modality="language", model=model))`, livekit/agents examples/inference/agent.py, is a value of the prompt.)
  const filledIn = (ctx.direct === true && /(^|\.)format$/.test(ctx.callees[0] ?? '') && ctx.callees.length > 1) || ctx.negatives.includes('printfArgument');
  if (contextScore >= 1.5 && shortPenalty < 0 && !filledIn) add('role', -shortPenalty, 'short, but sent as a message');
  else if (ctx.promptHolder && !tool && shortPenalty < 0) add('name', -shortPenalty, 'short, but held where the code keeps its prompts');
  // (A local the function sends whole as a message, not a value chosen at run time: as if written in the message.)
  else if (ctx.wholeLocalMessage && ctx.ternary === undefined && shortPenalty < 0 && evidence.some((e) => e.kind === 'role' && e.weight >= 1)) add('role', -shortPenalty, 'short, but sent as a message');
  else if (ctx.composed && shortPenalty < 0 && (keyMatched || evidence.some((e) => e.kind === 'name'))) add('role', -shortPenalty, 'short, but a piece of a prompt composed with runtime values');

  if (!inLlmCall && ctx.imports.size > 0 && hasLlmImport(ctx.imports) && score > 0) add('file', 0.1, 'the file imports an LLM library');

  if (callKind && callKind !== 'template' && kind !== 'tool') kind = callKind;
  // `ASSISTANT_PROMPT = "You are an expert translator…"` (CAMEL's prompt dicts) is the prompt of the assistant agent, its system prompt, not an assistant turn.
  else if (kind === 'assistant' && kindByName && shape.looksSystem) kind = 'system';
  if (kind === undefined) {
    if (callKind === 'template') kind = 'template';
    else if (shape.looksSystem) kind = 'system';
    else if (/\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_][\w.]*\}|\{%|\$\{/.test(text) && !inLlmCall) kind = 'template';
    else kind = 'user';
  }
  const confidence = Math.max(0, Math.min(1, 1 - Math.exp(-Math.max(0, score) * 1.2)));
  return { score, kind, ...(api ? { api } : {}), ...(api && apiCallee !== undefined ? { apiCallee } : {}), evidence, confidence: Math.round(confidence * 100) / 100 };
}
