// Text for the person running the program that a prompt-like name or key made look like a prompt (session 45, on
// stanfordnlp/dspy, MIT, commit 4ed377ee9110e912d4f5e1be43b317b87455053c; the three files are copied whole in
// test/fixtures/hints-real, SOURCES.md). The oracle is each file read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');
const found = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind}`);

describe('findPrompts: messages for people are no prompts (dspy, session 45)', () => {
  it('an install hint held in a local name and only raised is no system prompt (python_interpreter.py)', () => {
    // 569-577: `install_instructions = ("Deno executable not found. Install DSPy's managed Deno runtime with:\n" …)` then
    // `raise CodeInterpreterError(install_instructions) from e`: was "570 system" on its name. 346's class attribute
    // `execution_instructions` ("Python runs in Pyodide/WebAssembly…") is what the RLM module tells the model: it stays.
    assert.deepEqual(found(fixture('dspy_python_interpreter.py'), 'python_interpreter.py'), ['347 system']);
  });

  it('a progress line coloured with terminal codes is no template (mipro_optimizer_v2.py)', () => {
    // 372-378: `prompt_model_line = (f"{YELLOW}- Prompt Generation: {BLUE}{BOLD}10{ENDC}{YELLOW} data summarizer calls + " …)`,
    // returned to be printed: was "373 template" on the word "prompt" in its name. The file's real prompts are elsewhere.
    assert.deepEqual(found(fixture('dspy_mipro_optimizer_v2.py'), 'mipro_optimizer_v2.py'), []);
    // The same with the escape sequences written in the text.
    const escaped = [
      'from openai import OpenAI',
      'def report(n):',
      '    progress_prompt_line = f"\\033[93m- Prompt Generation: {n} data summarizer calls and candidate instructions for the program\\033[0m"',
      '    return progress_prompt_line',
      '',
    ].join('\n');
    assert.deepEqual(found(escaped, 'report.py'), []);
  });

  it('deprecation notices under a "prefix" key are no template (signatures/field.py)', () => {
    // 12-21: `_DEPRECATED_FIELD_ARGS = {"prefix": ("The 'prefix' argument in InputField/OutputField is deprecated and has no
    // effect in DSPy. " "It will be removed in a future version."), …}`, passed to warnings.warn: was "14 template".
    assert.deepEqual(found(fixture('dspy_signatures_field.py'), 'field.py'), []);
  });

  it('the same texts stay prompts where the code sends them to a model, or returns them', () => {
    const sent = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def review(code):',
      '    instructions = (',
      '        "You are a code reviewer. Point out every call to an API that is deprecated and say that it will be removed, "',
      '        "with the replacement to use instead."',
      '    )',
      '    if not code:',
      '        raise ValueError(instructions)',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": instructions}, {"role": "user", "content": code}])',
      '',
    ].join('\n');
    assert.deepEqual(found(sent, 'review.py'), ['5 system']);
    const returned = [
      'import anthropic',
      'def build_instructions(task):',
      '    instructions = (',
      '        "You are a careful assistant. Read the task below and answer it in three short sentences, "',
      '        "citing the passages you used."',
      '    )',
      '    return instructions',
      '',
    ].join('\n');
    assert.deepEqual(found(returned, 'build.py'), ['4 system']);
  });

  it('a name only logged, printed or thrown is no prompt, in Python and TypeScript', () => {
    const python = [
      'import logging',
      'from openai import OpenAI',
      'logger = logging.getLogger(__name__)',
      'def check(path):',
      '    system_instructions = (',
      '        "You must install the model weights first. Download them with the setup script and point MODEL_DIR "',
      '        "at the folder, then start the server again."',
      '    )',
      '    logger.warning(',
      '        system_instructions',
      '    )',
      '    print(system_instructions)',
      '',
    ].join('\n');
    assert.deepEqual(found(python, 'check.py'), []);
    // Interpolated into a log line (camel-ai/camel's browser toolkit: `prompt = ("🕑 Agent waiting for human input. "…)` then
    // `logger.info(f"\\n{prompt}\\n")`): the same. Sent in a message's f-string, it stays a prompt.
    const logged = [
      'import logging',
      'from openai import OpenAI',
      'logger = logging.getLogger(__name__)',
      'async def wait_for_human(self):',
      '    prompt = (',
      '        "Agent waiting for human input. "',
      '        "Complete the action in the browser, then press Enter to resume."',
      '    )',
      '    logger.info(f"\\n{prompt}\\n")',
      '',
    ].join('\n');
    assert.deepEqual(found(logged, 'toolkit.py'), []);
    const sentInFString = logged.replace('logger.info(f"\\n{prompt}\\n")', 'return OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": f"{prompt}\\n\\nPage: {self.page}"}])');
    assert.deepEqual(found(sentInFString, 'toolkit.py'), ['6 user', '9 user']);
    const ts = [
      'import OpenAI from "openai";',
      'export function ensureKey(key?: string) {',
      '  const systemPrompt = "You need an API key to use the assistant. Set OPENAI_API_KEY in your environment and restart the app.";',
      '  if (!key) throw new Error(systemPrompt);',
      '}',
      '',
    ].join('\n');
    assert.deepEqual(found(ts, 'key.ts'), []);
  });

  it('"You are…" after a "# System context" heading opens a system prompt (openai-agents-python handoff_prompt.py)', () => {
    // openai/openai-agents-python (MIT, commit 7f7a44f8dc0650296bd5ab6c745c9bcbaa6ac3b7) agents/extensions/handoff_prompt.py (under src):
    // RECOMMENDED_PROMPT_PREFIX = ("# System context\n" "You are part of a multi-agent system called the Agents SDK…"), the
    // prefix of agents' instructions: it was a user prompt (the name says only "prompt").
    assert.deepEqual(found(fixture('openai_agents_handoff_prompt.py'), 'handoff_prompt.py'), ['4 system']);
  });

  it('an agent made a tool with as_tool(tool_description=…) has a tool description, not a user prompt (openai-agents-python)', () => {
    // examples/agent_patterns/agents_as_tools.py (same commit): 38-49 `spanish_agent.as_tool(tool_name="translate_to_spanish",
    // tool_description="Translate the user's message to Spanish")` and two more were user prompts "passed to Agent".
    assert.deepEqual(found(fixture('openai_agents_agents_as_tools.py'), 'agents_as_tools.py'), ['14 system', '15 tool', '20 system', '21 tool', '26 system', '27 tool', '33 system', '40 tool', '44 tool', '48 tool', '55 system']);
  });

  it("a toast's { type: \"error\", description } is no parameter schema (vercel/ai-chatbot register page)", () => {
    // vercel/ai-chatbot (Apache-2.0, commit 9d5d8a3ea7968522a37ab1cc145a6c0ef8a9dd2e) app/(auth)/register/page.tsx 30-39:
    // `toast({ type: "error", description: "Account already exists!" })` and three more were tool prompts ("the description
    // in a tool or parameter schema": the `type` beside it).
    assert.deepEqual(found(fixture('aichatbot_register_page.tsx'), 'page.tsx'), []);
    // A schema's `{ type: "string", description }` stays one.
    const schema = 'import { tool } from "ai";\nexport const t = { parameters: { type: "object", properties: { city: { type: "string", description: "The city to get the weather for, as the user wrote it" } } } };\n';
    assert.deepEqual(found(schema, 'weather.ts'), ['2 tool']);
  });

  it('a constant spliced into the system prompt the file builds is a piece of it (vercel/ai-chatbot lib/ai/prompts.ts)', () => {
    // (The same file is already in the scan corpus, test/fixtures/scan/ts/ai_chatbot_prompts.ts: read from there.)
    // 4-38 `export const artifactsPrompt = `Artifacts is a special user interface mode…`` was a user prompt (its name says no
    // turn); 73 `return `${regularPrompt}\n\n${requestPrompt}\n\n${artifactsPrompt}`` inside `export const systemPrompt = (…) =>`.
    // 126 titlePrompt stays a user prompt: this file does not say (actions.ts passes it as `system:`).
    assert.deepEqual(found(readFileSync(path.join(root, 'test/fixtures/scan/ts/ai_chatbot_prompts.ts'), 'utf8'), 'prompts.ts'), ['4 system', '40 system', '51 template', '79 system', '105 system', '121 template', '126 user']);
  });

  it("a description in a Field's metadata for a configuration UI is no schema text (open_deep_research configuration.py)", () => {
    // langchain-ai/open_deep_research (MIT, commit 408da442a661ea5e40a6163329f82e3f22628949): 17 settings of the agent, each
    // `Field(default=3, metadata={"x_oap_ui_config": {"type": "number", "description": "Maximum number of retries…"}})`,
    // were tool prompts ("a field description in a schema sent to the model").
    assert.deepEqual(found(fixture('odr_configuration.py'), 'configuration.py'), []);
    // The Field's own description, in a class sent as a tool's schema, stays one.
    const own = [
      'from pydantic import BaseModel, Field',
      'from langchain_openai import ChatOpenAI',
      'class Weather(BaseModel):',
      '    city: str = Field(description="The city to get the weather for, as the user wrote it")',
      'llm = ChatOpenAI(model="gpt-4o").bind_tools([Weather])',
      '',
    ].join('\n');
    assert.deepEqual(found(own, 'weather.py'), ['4 tool']);
  });

  it('asTool({ toolDescription }) is a tool description, and a cache breakpoint\'s mode no message (openai-agents-js)', () => {
    // openai/openai-agents-js (MIT, commit 6d0c61a5f62a5ed8142996a25b33446c810f84b3) examples/agent-patterns/agents-as-tools.ts:
    // 31, 46, 50 `spanishAgent.asTool({ toolName: 'translate_to_spanish', toolDescription: "Translate the user's message to
    // Spanish" })` were user prompts.
    assert.deepEqual(found(fixture('openai_agents_js_agents_as_tools.ts'), 'agents-as-tools.ts'), ['8 system', '13 system', '18 system', '24 system', '31 tool', '46 tool', '50 tool', '59 system', '115 user']);
    // examples/docs/models/gpt56RequestControls.ts 22-31: `promptCacheBreakpoint: { mode: 'explicit' }` beside a message
    // part's text was a user prompt of 1 token ("short, but sent as a message").
    const parts = [
      "import { Agent, run } from '@openai/agents';",
      "const agent = new Agent({ name: 'Assistant', instructions: 'You are a careful analyst who reads research briefs.' });",
      'await run(agent, [{ role: "user", content: [',
      "  { type: 'input_text', text: 'Treat this research brief as a reusable prompt prefix.', promptCacheBreakpoint: { mode: 'explicit' } },",
      "  { type: 'input_text', text: 'Summarize the brief and identify its main risks.' },",
      ']}]);',
      '',
    ].join('\n');
    assert.deepEqual(found(parts, 'controls.ts'), ['2 system', '4 user', '5 user']);
  });
});
