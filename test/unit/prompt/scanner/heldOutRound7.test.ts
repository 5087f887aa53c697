// What the scanner missed or took wrongly in the held-out round 7 of the scan corpus (session 32, helper scan32:
// PrefectHQ/marvin, eosphoros-ai/DB-GPT, griptape-ai/griptape, a16z-infra/ai-town, steven-tey/novel,
// openai/openai-realtime-agents). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file read by
// hand (annotations.json): which lines hold a prompt, and which literals are the pieces of a composed one. Each rule has
// a near miss beside it that must stay silent.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture, readScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;
const lines = (f: ReturnType<typeof foundIn>): number[] => f.map((p) => p[0]);

describe('findPrompts: held-out round 7 and the rules it asked for (session 32)', () => {
  it("openai-realtime-agents: a RealtimeAgent's instructions, and every agent's handoffDescription as a tool description", () => {
    assert.deepEqual(found('ts/realtime_agents_simple_handoff.ts'), [
      [9, 9, 'system'],
      [12, 12, 'tool'],
      [19, 19, 'system'],
      [22, 22, 'tool'],
    ]);
    assert.deepEqual(lines(found('ts/realtime_agents_sales.ts')), [7, 10, 17, 24, 55, 61, 74, 80, 87]);
    // The Python SDK's keyword, in an agent of its own (the shape of openai-agents-python's handoff examples).
    const py = [
      'from agents import Agent',
      '',
      'history_tutor_agent = Agent(',
      '    name="History Tutor",',
      '    handoff_description="Specialist agent for historical questions",',
      ')',
    ].join('\n');
    assert.deepEqual(foundIn(py, 'agents_demo.py'), [[5, 5, 'tool']]);
  });

  it('a handoffDescription outside an agent (a card the UI shows) is not a prompt', () => {
    const src = ["const card = {", "  name: 'haikuWriter',", "  handoffDescription: 'Agent that writes haikus',", '};', 'render(card);'].join('\n');
    assert.deepEqual(foundIn(src, 'cards.ts'), []);
  });

  it("griptape: an @activity's description and its schema's Literal(…, description=…) are tool descriptions", () => {
    assert.deepEqual(found('python/griptape_calculator_tool.py'), [
      [11, 11, 'tool'],
      [16, 17, 'tool'],
    ]);
  });

  it('the same config and schema without a griptape import are not read as a tool', () => {
    const src = readScanFixture('python/griptape_calculator_tool.py').replace(/from griptape\.[\w.]+ import \w+(, \w+)*\n/g, '');
    assert.deepEqual(foundIn(src, 'calculator.py'), []);
  });

  it("ai-town: prompt lines returned by a *Prompt(s) function that callers spread into their list are one fragment; speaker labels are not prompts", () => {
    assert.deepEqual(found('ts/aitown_conversation.ts'), [
      [52, 52, 'system', [[45, 45], [52, 52]]],
      [109, 109, 'system', [[102, 102], [103, 103], [108, 108], [109, 109]]],
      [159, 159, 'system', [[153, 153], [154, 154], [158, 158], [159, 159]]],
      // agentPrompts, previousConversationPrompt, relatedMemoriesPrompt. (Lines 55, 125, 174: `${player.name} to
      // ${otherPlayer.name}:`; line 243: a history row `${author.name} to ${recipient.name}: ${message.text}`.)
      [196, 196, 'system', [[192, 192], [193, 193], [196, 196]]],
      [210, 212, 'system'],
      [221, 221, 'system'],
    ]);
  });

  it('lines returned by a function not named for prompts, or a prompt list nobody spreads, stay as they were; a label with words of its own stays a prompt', () => {
    const menu = [
      'function menuItems(user: { name: string; plan: string } | null): string[] {',
      '  const items = [];',
      '  if (user) {',
      '    items.push(`Signed in as ${user.name}`);',
      '    items.push(`Your plan: ${user.plan}`);',
      '  }',
      '  return items;',
      '}',
      'export const all = [...menuItems(currentUser)];',
    ].join('\n');
    assert.deepEqual(foundIn(menu, 'menu.ts'), []);
    const notSpread = menu.replace(/menuItems/g, 'menuPrompts').replace('[...menuPrompts(currentUser)]', 'menuPrompts(currentUser)');
    assert.deepEqual(foundIn(notSpread, 'menu.ts'), []);
    // break32a: a *prompts function whose lines a caller adds to a list of UI labels (buttons), not to a prompt.
    const chips = [
      'def starter_prompts(user):',
      '    items = []',
      '    items.append("Summarize the current page for me")',
      '    items.append("Explain this code in simple words")',
      '    items.append("Write a unit test for this function")',
      '    return items',
      '',
      'def render_chips(user):',
      '    chips = ["New chat"]',
      '    chips.extend(starter_prompts(user))',
      '    return "".join(f"<button>{c}</button>" for c in chips)',
    ].join('\n');
    assert.deepEqual(foundIn(chips, 'chips.py'), []);
    // Added to a prompt's list, by extend or in its literal, the lines are still one fragment of it (extended, the
    // list's own "New chat", line 9, is a piece of that prompt too).
    assert.deepEqual(lines(foundIn(chips.replace(/chips/g, 'prompt_lines'), 'chips.py')), [5, 9]);
    assert.deepEqual(lines(foundIn(chips.replace('    chips = ["New chat"]\n    chips.extend(starter_prompts(user))', '    system_prompt = ["You help the user.", *starter_prompts(user)]').replace('in chips', 'in system_prompt'), 'chips.py')), [5]);
    const translate = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      'export async function translate(text: string, lang: string) {',
      "  return client.chat.completions.create({ model: 'gpt-4o', messages: [",
      "    { role: 'user', content: `${text} to ${lang}:` },",
      "    { role: 'user', content: `Translate ${text} to ${lang}:` },",
      '  ] });',
      '}',
    ].join('\n');
    // (The first content is the speaker-label shape and is not reported; the second gives a task.)
    assert.deepEqual(foundIn(translate, 'translate.ts'), [[6, 6, 'user']]);
    const py = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def reply(author, recipient, text, history):',
      '    messages = [{"role": "user", "content": f"{author} to {recipient}: {text}"} for _ in history]',
      '    messages.append({"role": "user", "content": f"Reply to {author} as {recipient}, in one short sentence."})',
      '    return client.chat.completions.create(model="gpt-4o", messages=messages)',
    ].join('\n');
    assert.deepEqual(foundIn(py, 'reply.py'), [[5, 5, 'user']]);
  });

  it("marvin: a literal added with += to a prompt-named variable is a piece of that prompt; to another name it is not", () => {
    assert.deepEqual(found('python/marvin_cast.py'), [
      [17, 31, 'system'],
      [89, 89, 'template'],
    ]);
    const retry = ['def wait(delay):', '    message = "Rate limited."', '    message += f"\\n\\nYou must wait {delay} seconds before the next request."', '    return message'].join('\n');
    assert.deepEqual(foundIn(retry, 'retry.py'), []);
  });

  it('break32a: the 4-word minimum of += counts the words of the literals, not of the code beside them', () => {
    // aider/io.py (Aider-AI/aider@5dc9490b, Apache-2.0), the terminal's input prefix: "multi" is one word, but the code
    // around it (`if edit_format else`) made four, and it was reported as a piece of a prompt.
    const aider = [
      'def get_input(self, edit_format=None):',
      '    prompt_prefix = ""',
      '    if edit_format:',
      '        prompt_prefix += edit_format',
      '    if self.multiline_mode:',
      '        prompt_prefix += (" " if edit_format else "") + "multi"',
      '    prompt_prefix += "> "',
      '    return prompt_prefix',
    ].join('\n');
    assert.deepEqual(foundIn(aider, 'io.py'), []);
    // Four words in the literals themselves still bind (deepeval's human_eval template, the same shape with a call after it).
    const human = ['def generate_output(input):', '    prompt = input', '    prompt += "Only output the function with the following entry_point."', '    return prompt'].join('\n');
    assert.deepEqual(lines(foundIn(human, 'template.py')), [3]);
  });

  it("DB-GPT: the values of an answer format that the file dumps as JSON into a prompt template tell the model what to write", () => {
    assert.deepEqual(lines(found('python/dbgpt_chat_dashboard_prompt.py')), [15, 18, 50, 51, 52, 53]);
    // The same constant dumped into an HTTP response: data, not a prompt.
    const api = [
      'import json',
      '',
      'RESPONSE_FORMAT = [{"thoughts": "Current thinking and value of data analysis", "title": "Data Analysis Title"}]',
      '',
      'def schema_endpoint():',
      '    return Response(json.dumps(RESPONSE_FORMAT, indent=4), media_type="application/json")',
    ].join('\n');
    assert.deepEqual(foundIn(api, 'api.py'), []);
  });

  it('break32a: a settings dict dumped as JSON into a log line or a page template is no answer format', () => {
    // Before, any `.format(` within 400 characters before the json.dumps made the constant's values answer-format fields.
    const settings = [
      'import json',
      'import logging',
      '',
      'SETTINGS = {"database": "postgres on the primary cluster host", "cache_mode": "write through with a short expiry"}',
      'CONFIG = {"title": "Weekly sales report for the team", "footer": "Generated automatically by the reporting service"}',
      'HTML = "<html><body><pre>{config}</pre></body></html>"',
      '',
      'def show():',
      '    logging.info("Loaded settings: {}".format(json.dumps(SETTINGS, indent=2)))',
      '',
      'def page():',
      '    return HTML.format(config=json.dumps(CONFIG))',
    ].join('\n');
    assert.deepEqual(foundIn(settings, 'settings.py'), []);
    // Given to a prompt's template by position, the constant is still its answer format.
    const prompt = [
      'import json',
      '',
      'ANSWER_FORMAT = {"thoughts": "Your reasoning about the question, in two sentences", "answer": "The final answer in one short sentence"}',
      'QA_PROMPT = "Answer the question. Reply in this JSON format: {}"',
      '',
      'def build():',
      '    return QA_PROMPT.format(json.dumps(ANSWER_FORMAT))',
    ].join('\n');
    assert.deepEqual(lines(foundIn(prompt, 'qa.py')), [3, 3, 4]);
  });
});
