// What the scanner missed or took wrongly in the held-out round 8 of the scan corpus (session 33, helper scan33:
// Josh-XT/AGiXT, langchain-ai/langgraph, BrainBlend-AI/atomic-agents, ScrapeGraphAI/Scrapegraph-ai, dzhng/deep-research,
// google-gemini/gemini-cli, cline/cline, transitive-bullshit/agentic). The real files are in test/fixtures/scan
// (SOURCES.md); the oracle is the file read by hand (annotations.json): which lines hold a prompt, and which literals are
// the pieces of a composed one. Each rule has a near miss beside it that must stay silent.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture, readScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 8 and the rules it asked for (session 33)', () => {
  it("agentic: an @aiFunction decorator's description and its inputSchema's .describe() texts are tool descriptions", () => {
    assert.deepEqual(found('ts/agentic_wikipedia_client.ts'), [
      [146, 146, 'tool'],
      [148, 148, 'tool'],
      [167, 167, 'tool'],
      [169, 169, 'tool'],
      [174, 174, 'tool'],
    ]);
    // MCP-Nest registers a tool the same way.
    const nest = [
      "import { Tool } from '@rekog/mcp-nest';",
      "import { z } from 'zod';",
      'export class WeatherTool {',
      '  @Tool({',
      "    name: 'get_weather',",
      "    description: 'Get the current weather for a city',",
      "    parameters: z.object({ city: z.string().describe('The city name') }),",
      '  })',
      '  async getWeather({ city }: { city: string }) {',
      '    return fetchWeather(city);',
      '  }',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(nest, 'weather.tool.ts'), [
      [6, 6, 'tool'],
      [7, 7, 'tool'],
    ]);
  });

  it("other decorators' arguments stay settings and API documentation", () => {
    const src = [
      "import { Component } from '@angular/core';",
      "import { ApiProperty } from '@nestjs/swagger';",
      '@Component({',
      "  selector: 'app-answer',",
      "  template: '<p>Please write your answer in the box below and press send.</p>',",
      '})',
      'export class AnswerComponent {}',
      'export class CreateUserDto {',
      "  @ApiProperty({ description: 'The name the user is shown by in every conversation' })",
      '  name: string;',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'answer.component.ts'), []);
  });

  it("langgraph: a sub-agent's description beside its system_prompt is a tool description; a fake chat model's scripted replies are not prompts", () => {
    assert.deepEqual(found('python/langgraph_deep_agent.py'), [
      [76, 77, 'tool'],
      [80, 81, 'system'],
      [90, 92, 'system'],
    ]);
    const fake = ['from langchain_core.language_models.fake_chat_models import FakeListChatModel', '', 'model = FakeListChatModel(responses=["The capital of France is Paris, as you asked."])'].join('\n');
    assert.deepEqual(foundIn(fake, 'graph.py'), []);
  });

  it('an AIMessage sent to a real model is still a prompt, and a name and description with no prompt beside them are no tool', () => {
    const real = [
      'from langchain_core.messages import AIMessage, HumanMessage',
      'from langchain_openai import ChatOpenAI',
      '',
      'llm = ChatOpenAI(model="gpt-4o-mini")',
      'reply = llm.invoke([HumanMessage(content="Summarize the report in three bullet points."), AIMessage(content="Here are the three main points of the report.")])',
    ].join('\n');
    assert.deepEqual(
      foundIn(real, 'chat.py').map((p) => p[0]),
      [5, 5],
    );
    const plans = ['PLANS = [', '    {"name": "team", "description": "For teams that need more seats and priority support"},', ']'].join('\n');
    assert.deepEqual(foundIn(plans, 'plans.py'), []);
    // letta's tests: a data source has a name, a description and instructions too (its constructor is no agent's).
    const source = ['from letta.schemas.source import Source', '', 'source = Source(name="Mixed Source 1", description="Updated 1", instructions="New instructions 1")'].join('\n');
    assert.ok(!foundIn(source, 'test_sources.py').some((p) => p[2] === 'tool'));
    // An Assistants API config: its description is metadata, the model reads only the instructions.
    const assistant = ['from openai import OpenAI', '', 'CONFIG = {"name": "Math Tutor", "description": "Tutor for the algebra course of the second year", "instructions": "You are a personal math tutor. Answer in short steps."}', 'client = OpenAI()', 'client.beta.assistants.create(model="gpt-4o", **CONFIG)'].join('\n');
    assert.ok(!foundIn(assistant, 'tutor.py').some((p) => p[2] === 'tool'));
  });

  it("atomic-agents: each SystemPromptGenerator list is one composed system prompt; the output schema's docstring is sent, the input schema's descriptions are not", () => {
    assert.deepEqual(found('python/atomic_agents_qa_agent.py'), [
      [33, 33, 'tool'],
      [39, 40, 'tool'],
      [47, 47, 'tool'],
      [58, 59, 'system', [[58, 59], [60, 60]]],
      [64, 64, 'system', [[63, 63], [64, 64], [65, 65]]],
      [71, 71, 'system', [[68, 68], [69, 69], [70, 70], [71, 71], [72, 72], [73, 73]]],
    ]);
  });

  it('a steps list of another call, and the schemas of a file with no AtomicAgent, stay as they were', () => {
    const src = [
      'from pydantic import BaseModel, Field',
      'from sklearn.pipeline import Pipeline',
      '',
      'class Answer(BaseModel):',
      '    """The answer record the program stores for each ticket."""',
      '',
      '    text: str',
      '',
      'pipeline = Pipeline(steps=["Load the rows from the warehouse table", "Scale every numeric column to unit variance"])',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'pipeline.py'), []);
    // The real file with its agent typed the other way round: the docstring of QAOutput is an input's, not sent.
    const swapped = readScanFixture('python/atomic_agents_qa_agent.py').replace('AtomicAgent[QAInput, QAOutput]', 'AtomicAgent[QAOutput, QAInput]');
    assert.ok(!foundIn(swapped, 'qa_agent.py').some((p) => p[0] === 33));
  });

  it("AGiXT: the docstring of a command registered in self.commands is a tool description; the class and __init__ docstrings are not", () => {
    assert.deepEqual(
      found('python/agixt_openai_codex.py').map((p) => [p[0], p[1]]),
      [
        [119, 143],
        [190, 195],
        [197, 201],
        [203, 229],
      ],
    );
    assert.equal(found('python/agixt_openai_codex.py')[0][2], 'tool');
    const handlers = readScanFixture('python/agixt_openai_codex.py').replace('self.commands = {', 'self.handlers = {');
    assert.ok(!foundIn(handlers, 'openai_codex.py').some((p) => p[0] === 119));
  });

  it('Scrapegraph-ai: a constant of instructions beside the prompt constants of a prompts module is one of them', () => {
    assert.deepEqual(found('python/scrapegraph_generate_answer_node_prompts.py'), [
      [5, 17, 'template'],
      [19, 31, 'template'],
      [33, 46, 'template'],
      [48, 60, 'template'],
      [62, 74, 'template'],
      [76, 88, 'template'],
      [90, 92, 'template'],
    ]);
  });

  it('a reply for the user beside prompt constants, or instructions beside only one prompt constant, stay silent', () => {
    const templates = readScanFixture('python/scrapegraph_generate_answer_node_prompts.py').split('\n').slice(0, 31).join('\n');
    const reply = `${templates}\n\nFALLBACK_REPLY = """\nSorry, I could not find an answer to your question in the scraped pages. \\n"""\n`;
    assert.deepEqual(
      foundIn(reply, 'prompts.py').map((p) => p[0]),
      [5, 19],
    );
    const single = ['TEMPLATE_CHUNKS = """', 'You are a website scraper. Answer the user question about the content: {content}', '"""', '', 'REGEN = """', 'You are a scraper and you have just failed to scrape the requested information. \\n', '"""'].join('\n');
    assert.deepEqual(
      foundIn(single, 'prompts.py').map((p) => p[0]),
      [1],
    );
    // MetaGPT's tests/metagpt/environment/mgx_env/run_mgx_env.py (MIT, ba28689): demo requirements; two read as prompts by
    // their text alone, which no name or use of the file confirms, so the third stays a requirement like the others.
    const demo = [
      'TODO_APP_REQ = "Create a website widget for TODO list management. Users should be able to add, mark as complete, and delete tasks. Include features like prioritization, due dates, and categories. Make it visually appealing, responsive, and user-friendly. Use HTML, CSS, and JavaScript. Consider additional features like notifications or task export. Keep it simple and enjoyable for users.dont use vue or react.dont use third party library, use localstorage to save data."',
      'NEWS_36KR_REQ = """从36kr创投平台https://pitchhub.36kr.com/financing-flash 所有初创企业融资的信息, **注意: 这是一个中文网站**;',
      '下面是一个大致流程, 你会根据每一步的运行结果对当前计划中的任务做出适当调整:',
      '1. 爬取并本地保存html结构;',
      '2. 直接打印第7个*`快讯`*关键词后2000个字符的html内容, 作为*快讯的html内容示例*;',
      '3. 反思*快讯的html内容示例*中的规律, 设计正则匹配表达式来获取*`快讯`*的标题、链接、时间;',
      '4. 筛选最近3天的初创企业融资*`快讯`*, 以list[dict]形式打印前5个。',
      '5. 将全部结果存在本地csv中',
      '**Notice: view the page element before writing scraping code**',
      '"""',
      'IMAGE2CODE_REQ = "Please write a frontend web page similar to this image /Users/gary/Files/temp/workspace/temp_img.png, I want the same title and color. code only"',
    ].join('\n');
    assert.deepEqual(
      foundIn(demo, 'run_mgx_env.py').map((p) => p[0]),
      [1, 2],
    );
    // langgraph's prebuilt/tool_node.py (MIT, f09cfe8): error texts sent back as tool messages read as errors first, beside
    // two prompt-named templates: "Please fix your mistakes" does not make the error a prompt.
    const errors = `${templates}\n\nTOOL_CALL_ERROR_TEMPLATE = "Error: {error}\\n Please fix your mistakes."\n`;
    assert.deepEqual(
      foundIn(errors, 'tool_node.py').map((p) => p[0]),
      [5, 19],
    );
  });

  it("a constant its name calls a message (marvin's slackbot CHANNEL_REDIRECT_MESSAGE, posted to Slack) is none; the same text under a bare name still is (break33b)", () => {
    // PrefectHQ/marvin e81f5fa examples/slackbot/src/slackbot/_internal/templates.py, lines 31-47 (Apache-2.0): the
    // redirect is posted to the channel by api.py (`message=CHANNEL_REDIRECT_MESSAGE.format(…)`), never sent to a model.
    const marvin = [
      'CHANNEL_REDIRECT_MESSAGE = (',
      '    "Please post this question in <#{channel_id}> for assistance."',
      ')',
      '',
      '# placeholder that renders instantly; the model-written blurb replaces it',
      'PROGRESS_PLACEHOLDER = "🔄 _thinking..._"',
      '',
      'PROGRESS_BLURB_PROMPT = (',
      '    \'You write the one-line "working on it" status message for Marvin, the \'',
      '    "Prefect support bot, in the voice of Marvin the Paranoid Android from The "',
      '    "Hitchhiker\'s Guide to the Galaxy: gloomy, resigned, dry, faintly superior "',
      '    "— never mean to the user, never actually refusing.\\n\\n"',
      '    "Given the user\'s question, reply with exactly one line (under 25 words, "',
      '    "no surrounding quotes, no emoji) that (1) acknowledges what they asked "',
      '    "about in passing and (2) makes clear you are researching it and it may "',
      '    "take a while.\\n\\n"',
      '    "Example shape: Ah, Kubernetes work pools. I had a million years to dread "',
      '    "this question, and here it is. Researching."',
      ')',
      '',
      'DEFAULT_SYSTEM_PROMPT = """You are Marvin, the support assistant for the Prefect data engineering platform, answering questions in the Prefect community Slack.',
      '',
      'Per-tool usage guidance lives in each tool\'s own description; this prompt carries only what spans tools.',
      '"""',
    ].join('\n');
    assert.deepEqual(
      foundIn(marvin, 'templates.py').map((p) => p[0]),
      [9, 21],
    );
    const bare = marvin.replace('CHANNEL_REDIRECT_MESSAGE', 'CHANNEL_REDIRECT');
    assert.deepEqual(
      foundIn(bare, 'templates.py').map((p) => p[0]),
      [2, 9, 21],
    );
  });
});
