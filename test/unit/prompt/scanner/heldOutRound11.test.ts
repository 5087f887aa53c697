// What the scanner missed in the held-out round 11 of the scan corpus (session 36, helper scan36: zilliztech/deep-searcher,
// langchain-ai/local-deep-researcher, openai/openai-cs-agents-demo, letta-ai/letta, inngest/agent-kit, ItzCrazyKns/Perplexica,
// microsoft/TinyTroupe, bytedance/deer-flow). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file
// read by hand (annotations.json). Each rule has a near miss beside it that must stay as it was.
import * as assert from 'node:assert/strict';
import { isPromptFile } from '../../../../src/shared/prompt/scanner';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 11 and the rules it asked for (session 36)', () => {
  it("local-deep-researcher: the docstring of a class decorated with @tool is the tool's description", () => {
    assert.deepEqual(found('python/ldr_graph.py'), [
      [163, 165, 'tool'],
      [167, 167, 'tool'],
      [169, 169, 'tool'],
      [179, 179, 'user'],
      [289, 291, 'user'],
      [295, 296, 'user'],
      [354, 356, 'tool'],
      [359, 359, 'tool'],
      [362, 362, 'tool'],
      [373, 373, 'user'],
    ]);
    // Qwen-Agent's tool classes are registered with @register_tool and send their `description` attribute, not their
    // docstring; an undecorated model's docstring is documentation.
    const near = [
      'from qwen_agent.tools.base import BaseTool, register_tool',
      'from pydantic import BaseModel',
      '',
      "@register_tool('my_image_gen')",
      'class MyImageGen(BaseTool):',
      '    """A tool that generates an image from the description the user gives."""',
      "    description = 'AI painting service: give a text description, get back the URL of an image drawn from it.'",
      '',
      'class Answer(BaseModel):',
      '    """The answer the web search step writes back into the graph state."""',
      '    text: str',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.py'), [[7, 7, 'tool']]);
  });

  it('agent-kit: a prompt returned by a function written in place as an agent\'s system, and the run of a network bound to any name', () => {
    assert.deepEqual(found('ts/agentkit_code_assistant_agentic.ts'), [
      [15, 15, 'tool'],
      [31, 31, 'system'],
      [37, 37, 'system'],
      [45, 46, 'system'],
      [52, 52, 'tool'],
      [74, 78, 'system'],
      [83, 83, 'tool'],
      [96, 96, 'tool'],
      [144, 144, 'user'],
    ]);
    // The same as an arrow with an expression body, and a Python agent bound to a name that does not say agent.
    const same = [
      'import { createAgent, createNetwork } from "@inngest/agent-kit";',
      'const writer = createAgent({ name: "writer", system: ({ network }) => `Write the release notes for these changes:\\n${network.state.kv.get("changes")}` });',
      'const pipeline = createNetwork({ name: "release", agents: [writer] });',
      'await pipeline.run("Draft the release notes of version 2.1 from the merged pull requests.");',
    ].join('\n');
    assert.deepEqual(foundIn(same, 'release.ts'), [
      [2, 2, 'system'],
      [4, 4, 'user'],
    ]);
    const python = [
      'from pydantic_ai import Agent',
      "support = Agent('openai:gpt-4o', system_prompt='You answer questions about the customer account, briefly.')",
      "result = support.run_sync('What is my current balance and when is the next payment due?')",
    ].join('\n');
    assert.deepEqual(foundIn(python, 'support.py'), [
      [2, 2, 'system'],
      [3, 3, 'user'],
    ]);
    // What a tool's handler returns is a tool result; a name bound to something else than an agent runs no model.
    const near = [
      'import { createAgent, createTool } from "@inngest/agent-kit";',
      'import { createServer } from "./server";',
      'const save = createTool({ name: "save", description: "Save the summary into the state", handler: async () => { return "The summary was saved into the state."; } });',
      'const server = createServer({ port: 8080 });',
      'await server.run("Start listening on the port given in the configuration file.");',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.ts'), [[3, 3, 'tool']]);
  });

  it('TinyTroupe: Mustache templates in a folder of prompts are prompt files, their role from their names', () => {
    assert.deepEqual(found('prompts/tinytroupe_enricher.system.mustache'), [[1, 65, 'system']]);
    assert.deepEqual(found('prompts/tinytroupe_enricher.user.mustache'), [[1, 30, 'user']]);
    assert.equal(isPromptFile('tinytroupe/enrichment/prompts/styler.user.mustache'), true);
    assert.equal(isPromptFile('app/prompts/summary.hbs'), true);
    // A Mustache view of a web app, and a folder's README, are not prompts.
    assert.equal(isPromptFile('web/views/layout.mustache'), false);
    assert.equal(isPromptFile('tinytroupe/enrichment/prompts/README.md'), false);
  });
});
