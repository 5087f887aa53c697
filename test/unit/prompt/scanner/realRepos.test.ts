// What the scanner missed or took wrongly on three real repositories (session 26, helper repos26):
// camel-ai/camel, browser-use/browser-use and Mintplex-Labs/anything-llm. The real files are in
// test/fixtures/scan (annotated, SOURCES.md) and test/fixtures/scale (SOURCES.md); the oracle is
// the file read by hand: which lines hold a prompt, and of what kind. Each rule comes with a
// near miss that must stay silent.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts, isPromptFile } from '../../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures');
const read = (path: string): string => readFileSync(join(FIXTURES, path), 'utf8');

/** [first line, last line, kind] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind]);
}

describe('findPrompts on real repositories (session 26)', () => {
  it("the docstrings of methods a CAMEL toolkit wraps in FunctionTool(self.…) are tool descriptions (camel's math_toolkit.py)", () => {
    // get_tools() returns [FunctionTool(self.math_add), …]; FunctionTool builds the tool schema from the docstring.
    // The class docstring, get_tools' own and the deprecated aliases' (add, sub, …: not wrapped) are not.
    assert.deepEqual(found(read('scan/python/camel_math_toolkit.py'), 'camel/toolkits/math_toolkit.py'), [
      [32, 40, 'tool'],
      [44, 52, 'tool'],
      [58, 68, 'tool'],
      [74, 85, 'tool'],
      [91, 100, 'tool'],
    ]);
  });

  it('a function given alone to FunctionTool.from_defaults(fn=…) is a tool; one given with its own schema, or not wrapped, is not', () => {
    const src = [
      'from llama_index.core.tools import FunctionTool',
      '',
      'def multiply(a: int, b: int) -> int:',
      '    """Multiply two integers and return the product of a and b."""',
      '    return a * b',
      '',
      'def divide(a: int, b: int) -> float:',
      '    """Divide the first integer by the second and return the quotient."""',
      '    return a / b',
      '',
      'def helper(a: int) -> int:',
      '    """Return the integer incremented by one, for internal bookkeeping."""',
      '    return a + 1',
      '',
      'multiply_tool = FunctionTool.from_defaults(fn=multiply)',
      'divide_tool = FunctionTool(divide, DIVIDE_SCHEMA)',
    ].join('\n');
    assert.deepEqual(found(src, 'agent.py'), [[4, 4, 'tool']]);
  });

  it("the text of a TextPrompt(…) is a prompt bound to its name (CAMEL's ai_society.py: seven class attributes, none found before)", () => {
    const prompts = findPrompts(read('scan/python/camel_ai_society.py'), undefined, { fileName: 'camel/prompts/ai_society.py' });
    assert.deepEqual(
      prompts.map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.boundName]),
      [
        [43, 45, 'GENERATE_ASSISTANTS'],
        [49, 51, 'GENERATE_USERS'],
        [55, 56, 'GENERATE_TASKS'],
        [60, 62, 'TASK_SPECIFY_PROMPT'],
        [65, 80, 'ASSISTANT_PROMPT'],
        [82, 107, 'USER_PROMPT'],
        [110, 113, 'CRITIC_PROMPT'],
      ],
    );
    // The range is the literal's, not the TextPrompt(…) call around it.
    assert.ok(prompts[0].text.startsWith('You are a helpful assistant that can play many different roles.'));
  });

  it('a bare Prompt(…) (a console question, as rich writes it) is not a prompt class; a literal beside the text is not its text', () => {
    const src = [
      'from rich.prompt import Prompt',
      'name = Prompt("Enter the name of the project you want to create")',
      'GREETING = TextPrompt("Summarize the following text in {num} sentences.", "greeting")',
    ].join('\n');
    assert.deepEqual(found(src, 'cli.py'), [[3, 3, 'template']]);
  });

  it('ASSISTANT_PROMPT that opens "You are…" is the assistant agent\'s system prompt, not an assistant turn (camel/prompts/translation.py)', () => {
    const src = [
      'class TranslationPromptTemplateDict(TextPromptDict):',
      '    ASSISTANT_PROMPT = TextPrompt(',
      '        """You are an expert English to {language} translator.',
      'Your sole purpose is to accurately translate any text presented to you from English to {language}."""',
      '    )',
      '',
      'ASSISTANT_PROMPT = "You are a careful proofreader. Fix the spelling of the text and change nothing else."',
      'ASSISTANT_PREFILL_PROMPT = "Here is the translation of your text into {language}, sentence by sentence:"',
    ].join('\n');
    assert.deepEqual(found(src, 'translation.py'), [
      [3, 4, 'system'],
      [7, 7, 'system'],
      [8, 8, 'assistant'],
    ]);
  });

  it("Markdown and text files in a folder of prompts are prompts whole, a system prompt when so named (browser-use's agent/system_prompts/*.md)", () => {
    assert.equal(isPromptFile('browser_use/agent/system_prompts/system_prompt_flash.md'), true);
    assert.equal(isPromptFile('app/agent-prompts/planner.txt'), true);
    assert.equal(isPromptFile('patterns/agents/prompts/research_lead_agent.md'), true);
    assert.equal(isPromptFile('browser_use/agent/system_prompts/README.md'), false);
    assert.equal(isPromptFile('guide/customize/system-prompt.md'), false);
    assert.equal(isPromptFile('browser_use/agent/prompts.py'), false);
    const text = read('scan/prompts/browser_use_system_prompt_flash.md');
    const prompts = findPrompts(text, 'markdown', { fileName: 'browser_use/agent/system_prompts/system_prompt_flash.md' });
    assert.deepEqual(
      prompts.map((p) => [p.range.start.line + 1, p.range.end.line + 1, p.kind]),
      [[1, 16, 'system']],
    );
    assert.ok(prompts[0].text.startsWith('You are an AI agent designed to operate in an iterative loop'));
    // The same file under another name is a template (it has {max_actions}), not a system prompt by name.
    assert.deepEqual(found(text, 'browser_use/agent/prompts/flash.md'), [[1, 16, 'template']]);
  });

  it("an app's own AssistantMessage / UserMessage hold that role's text (browser-use's llm/tests/test_anthropic_cache.py)", () => {
    // browser-use/browser-use 85ddbfed (MIT), browser_use/llm/tests/test_anthropic_cache.py lines 138-144: the
    // assistant messages were user prompts.
    const src = [
      'from browser_use.llm.messages import AssistantMessage, BaseMessage, SystemMessage, UserMessage',
      '',
      'def test_cache_mixed():',
      '\tmessages_list: list[BaseMessage] = [',
      "\t\tSystemMessage(content='System with cache', cache=True),",
      "\t\tUserMessage(content='User with cache', cache=True),",
      "\t\tAssistantMessage(content='Assistant without cache', cache=False),",
      '\t]',
    ].join('\n');
    assert.deepEqual(found(src, 'test_anthropic_cache.py'), [
      [5, 5, 'system'],
      [6, 6, 'user'],
      [7, 7, 'assistant'],
    ]);
  });

  it("a function named get_ai_step_user_prompt returns a user prompt, one named ai_prefill_prompt an assistant turn (browser-use's agent/prompts.py)", () => {
    // browser-use/browser-use 85ddbfed (MIT), browser_use/agent/prompts.py: `def get_ai_step_user_prompt(query, stats_summary, content)`
    // returns the user message of the "AI step" extraction; `ai_` made it an assistant turn.
    const src = [
      'def get_ai_step_user_prompt(query: str, stats_summary: str, content: str) -> str:',
      "\treturn f'<query>\\n{query}\\n</query>\\n\\n<content_stats>\\n{stats_summary}\\n</content_stats>\\n\\n<webpage_content>\\n{content}\\n</webpage_content>'",
      '',
      "ai_prefill_prompt = 'Here is the extracted data from the page, as JSON:'",
    ].join('\n');
    assert.deepEqual(found(src, 'prompts.py'), [
      [2, 2, 'user'],
      [4, 4, 'assistant'],
    ]);
  });

  it("the description an action is registered with is a tool description (browser-use's @registry.action); Django's @admin.action is not", () => {
    // browser-use/browser-use 85ddbfed (MIT): browser_use/tools/service.py lines 1004-1008 and
    // browser_use/integrations/gmail/actions.py lines 47-50; ~100 such descriptions were missed (one found by shape, as a user prompt).
    const src = [
      'class Tools:',
      '\tdef __init__(self):',
      '\t\t@self.registry.action(',
      "\t\t\t'Switch to another open tab by tab_id. Tab IDs are shown in browser state tabs list (last 4 chars of target_id). Use when you need to work with content in a different tab.',",
      '\t\t\tparam_model=SwitchTabAction,',
      '\t\t\tterminates_sequence=True,',
      '\t\t)',
      '\t\tasync def switch(params: SwitchTabAction, browser_session: BrowserSession):',
      '\t\t\tpass',
      '',
      '@tools.registry.action(',
      "\tdescription='Get recent emails from the mailbox with a keyword to retrieve verification codes, OTP, 2FA tokens, magic links, or any recent email content. Keep your query a single keyword.',",
      '\tparam_model=GetRecentEmailsParams,',
      ')',
      'async def get_recent_emails(params: GetRecentEmailsParams) -> ActionResult:',
      '\tpass',
      '',
      "@admin.action(description='Mark the selected stories as published and notify their authors by email')",
      'def make_published(modeladmin, request, queryset):',
      "\tqueryset.update(status='p')",
    ].join('\n');
    assert.deepEqual(found(src, 'service.py'), [
      [4, 4, 'tool'],
      [12, 12, 'tool'],
    ]);
  });

  it("the key looked up with .get() is no text (camel's benchmarks/browsecomp.py)", () => {
    // camel-ai/camel 13dc7a7d (Apache-2.0), camel/benchmarks/browsecomp.py lines 778-783: the keys 'problem' and
    // 'response' were a user and an assistant prompt.
    const src = [
      'html = self.jinja_env.from_string(HTML_JINJA).render(',
      '    prompt_messages=Message(',
      "        content=raw_result.get('problem', ''), role=\"user\"",
      '    ),',
      '    next_message=Message(',
      "        content=raw_result.get('response', ''),",
      '        role="assistant",',
      '    ),',
      ')',
    ].join('\n');
    assert.deepEqual(found(src, 'browsecomp.py'), []);
    // A literal passed as the content itself still is one.
    assert.deepEqual(found(src.replace("raw_result.get('problem', '')", "'What is the capital of France?'"), 'browsecomp.py'), [[3, 3, 'user']]);
  });

  it("a table of UI translations holds no prompts (anything-llm's locales/en/common.js: `tools: \"Tools\"` is a label, not a tool list)", () => {
    assert.deepEqual(found(read('scale/anythingllm_locale_en_common.js'), 'frontend/src/locales/en/common.js'), []);
    // A description beside a schema key that holds a schema is still a tool's.
    const tool = [
      'const tools = [{',
      '  name: "web_search",',
      '  description: "Search the web and return the five most relevant pages",',
      '  parameters: { type: "object", properties: { query: { type: "string" } } },',
      '}];',
    ].join('\n');
    assert.deepEqual(found(tool, 'tools.js'), [[3, 3, 'tool']]);
  });
  it('the default of a lookup is judged where the lookup stands: config.get("system_prompt", "You are…"), os.getenv("SYSTEM_PROMPT", "You are…") (scan27)', () => {
    // Shapes from the scan27 brief (none of them occurs in browser-use 85ddbfed, camel 13dc7a7d or letta): the default
    // was judged as an argument of `config.get` (no name), 0.8 < 1, and missed.
    const src = [
      'import os',
      'from openai import OpenAI',
      'config = load_config()',
      "system_prompt = config.get('system_prompt', 'You are a helpful assistant that answers questions about the weather in short sentences.')",
      'SYSTEM = os.getenv("SYSTEM_PROMPT", "You are a careful reviewer. List problems only, one per line, most severe first.")',
      'opts = {}',
      'question = opts.get("prompt", default="Summarize the following article in three bullet points for a busy executive.")',
      'OpenAI().chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system_prompt}, {"role": "system", "content": SYSTEM}, {"role": "user", "content": question}])',
    ].join('\n');
    assert.deepEqual(found(src, 'app.py'), [
      [4, 4, 'system'],
      [5, 5, 'system'],
      [7, 7, 'user'],
    ]);
    // Near misses from browser-use 85ddbfed (MIT): a setting's default (browser_use/config.py line 55) and a status
    // line's (browser_use/browser/watchdogs/default_action_watchdog.py line 3682) stay silent, as does the key.
    const near = [
      'import os',
      'from openai import OpenAI',
      "level = os.getenv('BROWSER_USE_LOGGING_LEVEL', 'info').lower()",
      "msg = selection_result.get('message', f'Selected option: {target_text}')",
      "key = config.get('You are a helpful assistant that answers questions about the weather.', None)",
    ].join('\n');
    assert.deepEqual(found(near, 'app.py'), []);
  });
  it("Field descriptions of configuration and event classes are no tool descriptions (browser-use's browser/profile.py, events.py); action schemas still are (tools/views.py)", () => {
    // browser-use/browser-use 85ddbfed (MIT): browser_use/browser/profile.py lines 395, 422, 574, 615 (the argument
    // groups BrowserProfile is made of, and its own fields: 44 descriptions) and browser_use/browser/events.py lines
    // 51, 110-117, 125-127 (events, BaseEvent and an event of an event); 49 of the 109 tool prompts the two repos' Field
    // descriptions gave in browser-use were these. Bodies shortened to the lines that matter.
    const src = [
      'from pydantic import BaseModel, Field',
      'class BrowserLaunchArgs(BaseModel):',
      "\theadless: bool | None = Field(default=None, description='Whether to run the browser in headless or windowed mode.')",
      'class BrowserProfile(BrowserConnectArgs, BrowserLaunchPersistentContextArgs, BrowserLaunchArgs, BrowserNewContextArgs):',
      "\tdisable_security: bool = Field(default=False, description='Disable browser security features.')",
      'class ElementSelectedEvent(BaseEvent[T_EventResultType]):',
      '\tnode: EnhancedDOMTreeNode',
      'class NavigateToUrlEvent(BaseEvent[None]):',
      '\tnew_tab: bool = Field(',
      "\t\tdefault=False, description='Set True to leave the current tab alone and open a new tab in the foreground for the new URL'",
      '\t)',
      'class ClickElementEvent(ElementSelectedEvent[dict[str, Any] | None]):',
      "\tbutton: Literal['left', 'right', 'middle'] = Field(default='left', description='The mouse button to press on the element')",
    ].join('\n');
    assert.deepEqual(found(src, 'browser_use/browser/profile.py'), []);
    // browser_use/tools/views.py lines 70-73: an action's parameters, sent to the model as the action's schema (by
    // tools/service.py); a class in the same file as the settings (a base class shared with one is not enough).
    const action = [
      'class ClickElementAction(BaseModel):',
      "\tindex: int | None = Field(default=None, ge=1, description='Element index from browser_state')",
      "\tcoordinate_x: int | None = Field(default=None, description='Horizontal coordinate relative to viewport left edge')",
    ];
    assert.deepEqual(found(action.join('\n'), 'browser_use/tools/views.py'), [
      [2, 2, 'tool'],
      [3, 3, 'tool'],
    ]);
    const shared = ['from pydantic import BaseModel, Field', 'class Common(BaseModel):', '\tpass', 'class AgentSettings(Common):', "\tdebug: bool = Field(default=False, description='Print every step.')", ...action.map((l) => l.replace('(BaseModel)', '(Common)'))];
    assert.deepEqual(found(shared.join('\n'), 'views.py'), [
      [7, 7, 'tool'],
      [8, 8, 'tool'],
    ]);
  });
});
