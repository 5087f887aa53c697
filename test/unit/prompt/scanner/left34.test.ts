// Leftovers of issue 12 (session 34, helper left34). Each rule was seen in a real repository (named per test); where the
// repository's licence is not permissive the test uses a snippet written for it, with the same shape.
import * as assert from 'node:assert/strict';
import { foundIn } from '../../../helpers/scanCorpus';

describe('findPrompts: leftovers of issue 12 (left34)', () => {
  // khoj-ai/khoj/src/khoj/processor/conversation/google/utils.py (AGPL-3.0, read only; ae229ca): handle_gemini_response's
  // `message = f"\nI'd prefer to not respond to that due to **{…}** issues with your query."` (a canned reply to the
  // user) was a template because format_messages_for_gemini, in the same file, does `system_prompt += "\n\n" + message.content`.
  const reply = [
    'from openai import OpenAI',
    '',
    '',
    'def explain_refusal(result):',
    '    if result.blocked:',
    '        message = f"\\nSorry, I will not answer that because of **{result.reason.name}** problems with your question."',
    '        return message',
    '    return None',
    '',
    '',
    'def merge_system(messages, system_prompt=""):',
    '    for message in messages:',
    '        if message.role == "system":',
    '            system_prompt += "\\n\\n" + message.content',
    '    return system_prompt',
    '',
  ];

  it("a name read up to an attribute (`+ message.content`) is no section of the prompt: the file's `message = f\"…\"` is no prompt", () => {
    assert.deepEqual(foundIn(reply.join('\n'), 'utils.py'), []);
  });

  it('near miss: the same name joined whole (`+ message`) is a section of the prompt', () => {
    const joined = reply.map((l) => l.replace('"\\n\\n" + message.content', '"\\n\\n" + message'));
    assert.deepEqual(foundIn(joined.join('\n'), 'utils.py'), [[6, 6, 'template']]);
  });

  // eosphoros-ai/DB-GPT (MIT, 651fc13): the "## Role\nYou are …" extraction templates (dbgpt_ext/rag/transformer/
  // graph_extractor.py GRAPH_EXTRACT_PT_EN, community_summarizer.py) read as system prompts, while DB-GPT sends them with
  // `HumanPromptTemplate.from_template(…)` (dbgpt/rag/transformer/llm_extractor.py, another file). The same file saying so:
  const template = ['EXTRACT_PT = (', '    "## Role\\n"', '    "You are an expert at reading a text and listing the entities it names and how they relate.\\n"', '    "\\n"', '    "## Skills\\n"', '    "- List each entity once, with a short description.\\n"', '    "[Text]:\\n"', '    "{text}\\n"', ')', '', ''];
  const kindOf = (code: string[]): string[] => foundIn(code.join('\n'), 'extractor.py').map((f) => f[2]);

  it('a "You are …" template given to HumanPromptTemplate.from_template, HumanMessage(content=…) or ModelMessage(role=HUMAN, …) is a user prompt', () => {
    for (const send of [
      ['from dbgpt.core import HumanPromptTemplate', ...template, 'def extract(**args):', '    return HumanPromptTemplate.from_template(EXTRACT_PT).format_messages(**args)'],
      ['from langchain_core.messages import HumanMessage', ...template, 'def extract(**args):', '    return [HumanMessage(content=EXTRACT_PT.format(**args))]'],
      ['from dbgpt.core import ModelMessage, ModelMessageRoleType', ...template, 'def extract(text):', '    return [ModelMessage(role=ModelMessageRoleType.HUMAN, content=EXTRACT_PT.format(text=text))]'],
    ]) {
      assert.deepEqual(kindOf(send), ['user'], send[send.length - 1]);
    }
  });

  it('near misses: sent by SystemMessage it is a system prompt; a commented-out call or no call leaves it to its text (system)', () => {
    assert.deepEqual(kindOf(['from langchain_core.messages import SystemMessage', ...template, 'def extract():', '    return [SystemMessage(content=EXTRACT_PT)]']), ['system']);
    assert.deepEqual(kindOf(['from dbgpt.core import HumanPromptTemplate', ...template, 'def extract(**args):', '    # return HumanPromptTemplate.from_template(EXTRACT_PT)', '    return None']), ['system']);
    // A name sent in messages of two roles (bound again between them: MetaGPT's examples/mgx_write_project_framework.py) says no role.
    assert.deepEqual(kindOf(['from langchain_core.messages import AIMessage, HumanMessage', ...template, 'def extract(text):', '    return [AIMessage(content=EXTRACT_PT), HumanMessage(content=EXTRACT_PT.format(text=text))]']), ['system']);
  });
  // openai/openai-agents-python (MIT, 7f7a44f) examples/agent_patterns/agents_as_tools_streaming.py, lines 13-19: the SDK
  // sends `description_override` as the tool's description in place of the docstring (function_schema.py).
  const overridden = [
    'from agents.decorators import tool',
    '',
    '',
    '@tool(',
    '    name_override="billing_status_checker",',
    '    description_override="Answer questions about customer billing status.",',
    ')',
    'def billing_status_checker(customer_id: str | None = None, question: str = "") -> str:',
    '    """Return a canned billing answer or a fallback when the question is unrelated."""',
    '    return "I can only answer questions about billing."',
    '',
  ];

  it('@tool(description_override="…") is the tool description, and the docstring it replaces is not sent', () => {
    assert.deepEqual(foundIn(overridden.join('\n'), 'agents_as_tools_streaming.py'), [[6, 6, 'tool']]);
  });

  it('near miss: without description_override the docstring is the tool description', () => {
    const plain = overridden.filter((l) => !l.includes('description_override'));
    assert.deepEqual(foundIn(plain.join('\n'), 'agents_as_tools_streaming.py'), [[8, 8, 'tool']]);
  });

  // transitive-bullshit/agentic (MIT, b60fe8a) legacy/examples/dexter/bin/election-news.ts (test/fixtures/scan/ts/
  // agentic_dexter_election_news.ts): `const runner = createAIRunner({…})`, then `await runner('Summarize …')`.
  it("dexter's runner('…') sends the user message", () => {
    const code = [
      "import { ChatModel, createAIRunner } from '@dexaai/dexter'",
      '',
      'const runner = createAIRunner({',
      "  chatModel: new ChatModel({ params: { model: 'gpt-4o-mini' } }),",
      "  systemMessage: 'You are a helpful assistant. Be as concise as possible.'",
      '})',
      "const result = await runner('Summarize the latest news stories about the upcoming US election.')",
      '',
    ];
    assert.deepEqual(foundIn(code.join('\n'), 'election-news.ts'), [[5, 5, 'system'], [7, 7, 'user']]);
    // Near miss: the same call without dexter imported says nothing.
    assert.deepEqual(foundIn(code.slice(1).join('\n'), 'election-news.ts'), [[4, 4, 'system']]);
  });

  // FoundationAgents/MetaGPT (MIT, 1dfce07) metagpt/actions/di/ask_review.py: AskReview builds
  // `prompt = (f"This is a <{trigger}> review. Please review output from {latest_action}\n" … "Please type your review below:\n")`
  // and asks the person with `rsp = await get_human_input(prompt)` (metagpt/logs.py: input() or a web callback).
  it('a text asked with get_human_input(…) is a question to the person, no prompt', () => {
    const code = [
      'from metagpt.logs import get_human_input',
      '',
      '',
      'async def review(trigger, latest_action, review_instruction):',
      '    prompt = (',
      '        f"This is a <{trigger}> review. Please review output from {latest_action}\\n"',
      '        f"{review_instruction}\\n"',
      '        "Please type your review below:\\n"',
      '    )',
      '    rsp = await get_human_input(prompt)',
      '    return rsp',
      '',
    ];
    assert.deepEqual(foundIn(code.join('\n'), 'ask_review.py'), []);
    // Near miss: the same text sent to the model is a prompt.
    const sent = code.map((l) => l.replace('await get_human_input(prompt)', 'await self._aask(prompt)'));
    assert.deepEqual(foundIn(sent.join('\n'), 'ask_review.py'), [[6, 8, 'template']]);
  });
});
