// What the scanner missed or took wrongly in the held-out round 9 of the scan corpus (session 34, helper scan34:
// livekit/agents, livekit/agents-js, langchain-ai/chat-langchain, pipecat-ai/pipecat, agno-agi/agno, weaviate/Verba,
// browserbase/stagehand). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file read by hand
// (annotations.json): which lines hold a prompt, and which literals are the pieces of a composed one. Each rule has a
// near miss beside it that must stay as it was.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 9 and the rules it asked for (session 34)', () => {
  it("agno: an agent's role, its instructions list (one composed system prompt), a Team and print_response", () => {
    assert.deepEqual(found('python/agno_research_sweep.py'), [
      [23, 23, 'system'],
      [29, 29, 'system', [[27, 27], [28, 28], [29, 29]]],
      [35, 35, 'system'],
      [39, 39, 'system', [[39, 39], [40, 40], [41, 41]]],
      [47, 47, 'system'],
      [51, 51, 'system', [[50, 50], [51, 51], [52, 52]]],
      [67, 67, 'system', [[66, 66], [67, 67], [68, 68], [69, 69], [70, 70], [71, 71]]],
      [83, 83, 'user'],
    ]);
    // A message's role is still a setting; a list given as `instructions` to anything but an agent is not joined.
    const near = [
      'from agno.agent import Agent',
      'messages = [{"role": "system", "content": "You are a helpful assistant who answers briefly."}]',
      'dataset = Dataset(instructions=["Write a concise research brief from the gathered sources.", "Keep every claim tied to a source URL."])',
      'print_response("Write a brief on WebAssembly adoption in 2025.")',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.py'), [
      [2, 2, 'system'],
      [3, 3, 'system'],
    ]);
    // A team's settings are no prompts (agno cookbook/03_teams/09_context_management/datetime_format.py, seen on the
    // mirror walk once Team was read as an agent): a strftime format has no word of its own.
    const settings = [
      'from agno.team import Team',
      'team = Team(name="Scheduling Team", datetime_format="%B %d, %Y %I:%M %p %Z", timezone_identifier="US/Eastern")',
      'iso = Team(name="Scheduling Team", datetime_format="%Y-%m-%dT%H:%M:%SZ")',
    ].join('\n');
    assert.deepEqual(foundIn(settings, 'datetime_format.py'), []);
  });

  it("LiveKit: session.generate_reply(instructions=…) and generateReply({ instructions }) are the instructions of a reply", () => {
    assert.deepEqual(found('python/livekit_basic_agent.py'), [
      [33, 37, 'system'],
      [44, 44, 'system'],
      [52, 61, 'tool'],
    ]);
    assert.deepEqual(found('ts/livekit_js_multi_agent.ts'), [
      [28, 28, 'system'],
      [34, 34, 'system'],
      [39, 39, 'tool'],
      [41, 41, 'tool'],
      [42, 42, 'tool'],
      [64, 67, 'system'],
    ]);
    // Another object's generate_reply is not LiveKit's; a word filled into the reply's template (livekit/agents
    // examples/inference/agent.py) is a value of that prompt, not a prompt of its own.
    assert.deepEqual(foundIn('self.formatter.generate_reply(instructions="greet the user and introduce yourself")\n', 'near.py'), []);
    const swap = [
      'from livekit.agents import AgentSession',
      '_SWAP_PROMPT = """The user just switched the {modality} model to {model}. Tell them in one short sentence."""',
      'session.generate_reply(instructions=_SWAP_PROMPT.format(modality="language", model=model))',
      'session.generate_reply(instructions=_SWAP_PROMPT.format(modality="speech-to-text", model=model))',
    ].join('\n');
    assert.deepEqual(foundIn(swap, 'agent.py'), [[2, 2, 'template']]);
    // left35: LiveKit's generate_reply takes keywords only (an options object in agents-js): another app's session
    // answering positionally is not LiveKit's, imported or not (both were user prompts of "LiveKit Agents"). The keyword
    // form needs no livekit import (LiveKit's own beta/workflows/address.py imports it relatively).
    assert.deepEqual(foundIn('from myapp.chat import ChatSession\nsession = ChatSession(user)\nsession.generate_reply("Thanks for your message! An agent will answer you within one business day.")\n', 'bot.py'), []);
    assert.deepEqual(foundIn('import { ChatSession } from "./chat";\nconst session = new ChatSession(user);\nsession.generateReply("Thanks for your message! An agent will answer you within one business day.");\n', 'bot.ts'), []);
    assert.deepEqual(foundIn('from ...voice.agent import AgentTask\nclass GetAddressTask(AgentTask):\n    async def on_enter(self) -> None:\n        self.session.generate_reply(instructions="Ask the user to provide their address.")\n', 'address.py'), [[4, 4, 'system']]);
    assert.deepEqual(foundIn('import { voice } from "./voice";\nexport async function enter(session) {\n  session.generateReply({ instructions: "Greet the user and offer your assistance." });\n}\n', 'enter.ts'), [[3, 3, 'system']]);
  });

  it("Verba: a settings form field's description (beside its value and values) is UI help, not a tool description", () => {
    assert.deepEqual(found('python/verba_anthropic_generator.py'), [[123, 123, 'user']]);
    const near = [
      'import anthropic',
      'tool = {"name": "get_weather", "input_schema": {"type": "object", "properties": {"city": {"type": "string", "description": "The city to get the weather for"}}}}',
      'field = InputConfig(type="dropdown", value="claude-3-5-sonnet", description="Select an Anthropic Model", values=["claude-3-5-sonnet"])',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.py'), [[2, 2, 'tool']]);
  });

  it('stagehand: labelled runtime values are no prompt; a message content made of locals composes them', () => {
    assert.deepEqual(found('ts/stagehand_prompt.ts'), [
      [29, 34, 'system'],
      [73, 75, 'system', [[43, 49], [55, 58], [61, 64], [68, 69], [73, 75]]],
      [115, 121, 'system'],
      [158, 168, 'system'],
      [188, 195, 'system'],
      [215, 217, 'template'],
      [226, 250, 'system'],
      [264, 277, 'system'],
      [287, 315, 'system'],
      [320, 320, 'system'],
      [326, 330, 'system'],
    ]);
    const near = [
      "import OpenAI from 'openai';",
      'export function buildQuestion(question: string) {',
      '  return { role: "user", content: `Question: ${question}\\nAnswer:` };',
      '}',
      'export function joinedOnly(): string {',
      '  const baseContent = `You are extracting content on behalf of a user. Extract all of the information the user requests.`;',
      '  const instructions = `Print the exact text from the DOM elements with all symbols, characters, and endlines as is.`;',
      '  const content = `${baseContent}\\n\\n${instructions}`;',
      '  return content;',
      '}',
    ].join('\n');
    // A label the model is asked to continue ("Answer:") is a prompt; locals joined but not sent as a message stay apart.
    assert.deepEqual(foundIn(near, 'near.ts'), [
      [3, 3, 'user'],
      [7, 7, 'system'],
    ]);
  });
});
