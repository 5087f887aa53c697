// Breaks of session 35's prompt-finding rules found by helper break36 on real code the rules were not made from. The inputs
// are excerpts of real files (repository, commit and licence named at each), cut to the lines the rule reads.
import * as assert from 'node:assert/strict';
import { foundIn } from '../../../helpers/scanCorpus';

describe('findPrompts: break36 (agent constructors and SQL on real code)', () => {
  it("inngest/agent-kit: an agent's description beside its `system` prompt is a tool description (was a user message of its own)", () => {
    // inngest/agent-kit@fc28437 (Apache-2.0), examples/mem0-memory/multi-agent.ts: the network's router reads each agent's
    // description to pick one; only `system` is the agent's prompt. The first agent has tools (that already read as a tool
    // description); the second has none and its description was reported as a user message.
    const src = [
      "import { createAgent, openai } from '@inngest/agent-kit';",
      'const memoryRetrievalAgent = createAgent({',
      "    name: 'memory-retrieval-agent',",
      "    description: 'Retrieves relevant memories based on the user query.',",
      '    system: `',
      "    You are a memory retrieval specialist. Your only job is to use the 'recall_memories' tool.",
      '    `,',
      '    tools: [recallMemoriesTool],',
      '});',
      'const personalAssistantAgent = createAgent({',
      "    name: 'personal-assistant-agent',",
      "    description: 'A helpful personal assistant that answers user questions.',",
      '    system: `',
      '    You are a helpful personal assistant. Answer the user\'s question based on the conversation history.',
      '    `,',
      "    model: openai({ model: 'gpt-4o' }),",
      '});',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'multi-agent.ts'), [
      [4, 4, 'tool'],
      [5, 7, 'system'],
      [12, 12, 'tool'],
      [13, 15, 'system'],
    ]);
  });

  it("e2b-dev/e2b-cookbook: a CrewAI agent's goal and backstory beside its role are its system prompt, as the role is (were user messages)", () => {
    // e2b-dev/e2b-cookbook@a6f5512 (MIT), examples/crewai-python/main.py: CrewAI writes role, goal and backstory into the
    // agent's system prompt ("You are {role}. {backstory}\nYour personal goal is: {goal}").
    const src = [
      'from crewai import Agent, Crew, Process, Task, LLM',
      'def build_crew(python_tool, model):',
      '    analyst = Agent(',
      '        role="Data Analyst",',
      '        goal="Use sandboxed Python to produce accurate, reproducible analysis",',
      '        backstory=(',
      '            "You verify every numerical answer by running code in an isolated "',
      '            "E2B sandbox."',
      '        ),',
      '        tools=[python_tool],',
      '    )',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'main.py'), [
      [4, 4, 'system'],
      [5, 5, 'system'],
      [7, 8, 'system'],
    ]);
  });

  it('inngest/agent-kit: an UPDATE whose table name is interpolated is SQL, no prompt (was a user prompt passed to client.query)', () => {
    // inngest/agent-kit@fc28437 (Apache-2.0), examples/agentkit-starter/inngest/db.ts (a pg Pool's client).
    const src = [
      "import { Pool } from 'pg';",
      'export async function touch(client, threadId) {',
      '  await client.query(',
      '    `',
      '    UPDATE ${this.tableNames.threads}',
      '    SET updated_at = NOW()',
      '    WHERE thread_id = $1',
      '  `,',
      '    [threadId],',
      '  );',
      '  await client.query(`UPDATE public.threads SET title = $2 WHERE thread_id = $1`, [threadId, title]);',
      '  await client.query(`UPDATE "threads" SET title = $2 WHERE thread_id = $1`, [threadId, title]);',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'db.ts'), []);
  });

  it('input/output pairs in a list of examples of a file that neither calls anything with them nor imports an LLM library are data, no few-shot turns', () => {
    // Hostile inputs written for the test: a title-case rule's examples, a slugify package's JSON, a CLI's usage examples.
    // Before: each side of each pair was a fewShot prompt (session 35's example-exchange rule).
    const rule = [
      'export const rule = {',
      '  name: "title-case",',
      '  description: "Converts a heading to title case",',
      '  examples: [',
      '    { input: "the quick brown fox jumps over the lazy dog", output: "The Quick Brown Fox Jumps Over the Lazy Dog" },',
      '    { input: "a tale of two cities by charles dickens", output: "A Tale of Two Cities by Charles Dickens" },',
      '  ],',
      '};',
    ].join('\n');
    assert.deepEqual(foundIn(rule, 'titleCase.ts'), []);
    const json = '{\n  "name": "slugify",\n  "examples": [\n    { "input": "Hello World, this is my first blog post!", "output": "hello-world-this-is-my-first-blog-post" }\n  ]\n}\n';
    assert.deepEqual(foundIn(json, 'slugify.json'), []);
    // Near miss: the same list in a file that imports an LLM library is still a list of few-shot turns.
    assert.deepEqual(foundIn(`import OpenAI from "openai";\n${rule}`, 'titleCase.ts'), [
      [6, 6, 'fewShot'],
      [6, 6, 'fewShot'],
      [7, 7, 'fewShot'],
      [7, 7, 'fewShot'],
    ]);
  });

  it("a module constant given as the text part of a role's list of parts (a vision prompt) is that message's content", () => {
    // Written for the test, in the OpenAI and Anthropic shapes (the image first, then the text). Before: nothing found
    // (the same text written inline in the part was found), and a name saying "instructions" made it a system prompt.
    const openai = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'IMAGE_CAPTION = "Write a short, vivid caption for this image in under twenty words. Mention the main subject first."',
      'def caption(url):',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": [{"type": "text", "text": IMAGE_CAPTION}, {"type": "image_url", "image_url": {"url": url}}]}])',
    ].join('\n');
    assert.deepEqual(foundIn(openai, 'caption.py'), [[3, 3, 'user']]);
    const anthropic = [
      "import Anthropic from '@anthropic-ai/sdk';",
      'const client = new Anthropic();',
      'const CAPTION_INSTRUCTIONS = "Write a short, vivid caption for this image in under twenty words. Mention the main subject first.";',
      'export async function caption(data: string) {',
      '  return client.messages.create({ model: "claude-sonnet-4-5", max_tokens: 200, messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data } }, { type: "text", text: CAPTION_INSTRUCTIONS }] }] });',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(anthropic, 'caption.ts'), [[3, 3, 'user']]);
    // Near miss: an MCP tool's result has no role, and its text is no prompt.
    const mcp = [
      "import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';",
      'const HELP = "Lists the files of the project, one per line, with their sizes in bytes and their last change.";',
      'server.tool("help", async () => ({ content: [{ type: "text", text: HELP }] }));',
    ].join('\n');
    assert.deepEqual(foundIn(mcp, 'server.ts'), []);
  });
});
