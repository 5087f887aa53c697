import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser34 ran the extension on bytedance/deer-flow (MIT, commit f1f4af99bbf1cffb83a80744bf6e4a44ee8f24be). The snippets
// below are written for these tests in the shape of the code met there; no deer-flow text is copied.
const found = (src: string, fileName: string) =>
  findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.api ?? '-'} ${p.model?.name ?? '-'}`);

describe('findPrompts: a model setting that names no model (newuser34, deer-flow subagents)', () => {
  it('`model="inherit"` is no model: the prompt gets the project\'s or the default model, not "no price (inherit)"', () => {
    // deer-flow's subagents/builtins/bash_agent.py: SubagentConfig(…, system_prompt="""…""", model="inherit").
    const src = [
      'from agents.config import SubagentConfig',
      '',
      'SHELL = SubagentConfig(',
      '    name="shell",',
      '    system_prompt="""You are a shell specialist. Run the commands you are given one at a time and report what each printed.""",',
      '    model="inherit",',
      ')',
      'SEARCH = SubagentConfig(',
      '    name="search",',
      '    system_prompt="""You are a search specialist. Look the question up on the web and report the sources you used.""",',
      '    model="gpt-4o",',
      ')',
    ].join('\n');
    // Before: '5 system - inherit' (the lens said "no price (inherit)", the hover "Closest known names: curie, m2-her…").
    assert.deepEqual(found(src, 'shell_agent.py'), ['5 system - -', '10 system - gpt-4o']);
  });

  it('"default" and "auto" in an object and a variable bound to "inherit" name no model either', () => {
    const src = [
      'const MODEL = "inherit";',
      'export const a = { model: "default", system: "You are a careful reviewer. Read the diff and list every bug you find in it." };',
      'export const b = { model: "auto", system: "You are a careful translator. Translate the text into French and keep its tone." };',
      'export const c = { model: MODEL, system: "You are a careful editor. Fix the grammar of the text and keep its meaning intact." };',
    ].join('\n');
    assert.deepEqual(found(src, 'agents.ts'), ['2 system - -', '3 system - -', '4 system - -']);
  });
});

describe('findPrompts: send_message is Google\'s only where Google\'s SDK is imported (newuser34, deer-flow channels)', () => {
  it('a Telegram bot\'s reply is no Gemini prompt', () => {
    // deer-flow's app/channels/telegram.py: `await bot.send_message(chat_id=…, text="Working on it...")`.
    const src = ['import asyncio', '', 'async def ack(bot, chat_id):', '    await bot.send_message(', '        chat_id=int(chat_id),', '        text="Working on it...",', '    )', ''].join('\n');
    // Before: ['6 user Google GenAI -'] (the lens then priced it for the provider's model, gemini-2.5-flash).
    assert.deepEqual(found(src, 'telegram.py'), []);
  });

  it('an app\'s own sendMessage(threadId, "…") is not priced as Gemini', () => {
    // deer-flow's backend/docs/PATH_EXAMPLES.md: `await sendMessage(threadId, "请分析刚上传的 PDF 文件")`, the frontend's API.
    assert.deepEqual(found('await sendMessage(threadId, "Please read the PDF file that was just uploaded and sum it up.");\n', 'upload.ts').filter((l) => l.includes('Google')), []);
  });

  it('a Google chat session still counts, and an agent\'s send_message stays a prompt without the Google label', () => {
    const google = [
      'from google import genai',
      '',
      'client = genai.Client()',
      'chat = client.chats.create(model="gemini-2.5-flash")',
      'reply = chat.send_message("Summarize the history of the printing press in three sentences.")',
    ].join('\n');
    assert.deepEqual(found(google, 'gem.py'), ['5 user Google GenAI gemini-2.5-flash']);
    const agent = [
      'async def demo(agent, user):',
      '    async for part in agent.send_message(',
      '        user=user,',
      '        message="Can you compute something for me?",',
      '    ):',
      '        print(part)',
    ].join('\n');
    // Before: '4 user Google GenAI -' (vanna's agent, test/fixtures/scan/python/vanna_mock_custom_tool.py).
    assert.deepEqual(found(agent, 'demo.py'), ['4 user LLM call -']);
  });
});

describe('findPrompts: a local named tool_description is a tool description (newuser34, deer-flow lead agent)', () => {
  it('is reported as a tool, not as a user prompt', () => {
    // deer-flow's agents/lead_agent/agent.py: `tool_description = """Use this tool to create and manage a structured task
    // list…"""`, passed to its todo middleware beside the system prompt.
    const src = [
      'from langchain.agents.middleware import TodoListMiddleware',
      '',
      'def make_todos():',
      '    tool_description = """Use this tool to keep a list of the steps of a long task.',
      '',
      '## When to use it',
      '- The task has three steps or more',
      '- The user gives you several things to do',
      '',
      'Mark each step done as soon as you finish it, and never keep two steps in progress at once."""',
      '    search_tool_description = "Look a question up on the web and return the three best pages with their titles."',
      '    return TodoListMiddleware(tool_description=tool_description)',
    ].join('\n');
    // Before: ['4 user - -'] (found on its shape alone; the search tool's description was not found).
    assert.deepEqual(found(src, 'agent.py'), ['4 tool - -', '11 tool - -']);
  });
});
