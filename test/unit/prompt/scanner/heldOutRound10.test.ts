// What the scanner missed or took wrongly in the held-out round 10 of the scan corpus (session 35, helper scan35:
// OpenBMB/XAgent, i-am-bee/beeai-framework, VoltAgent/voltagent, langchain-ai/langgraphjs, Mintplex-Labs/anything-llm,
// google/adk-python, firebase/genkit). The real files are in test/fixtures/scan (SOURCES.md); the oracle is the file read
// by hand (annotations.json): which lines hold a prompt, and which literals are the pieces of a composed one. Each rule
// has a near miss beside it that must stay as it was.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 10 and the rules it asked for (session 35)', () => {
  it("beeai: an agent's role and instructions in the object given to addAgent, and a task's expected output", () => {
    assert.deepEqual(found('ts/beeai_multi_agents.ts'), [
      [13, 13, 'system'],
      [14, 14, 'system'],
      [20, 20, 'system'],
      [21, 21, 'system'],
      [27, 27, 'system'],
      [28, 28, 'system'],
      [37, 37, 'user'],
      [39, 39, 'user'],
      [41, 41, 'user'],
      [44, 44, 'user'],
      [46, 46, 'user'],
    ]);
    // The same in Python (beeai's python/examples/workflows/multi_agents.py, seen on the mirror walk).
    const python = [
      'from beeai_framework.workflows.agent import AgentWorkflow',
      'workflow = AgentWorkflow(name="Smart assistant")',
      'workflow.add_agent(name="Researcher", role="A diligent researcher.", instructions="You look up and provide information about a specific topic.", llm=llm)',
      'messages.add_message(role="A diligent researcher.", content=text)',
    ].join('\n');
    assert.deepEqual(foundIn(python, 'multi_agents.py'), [
      [3, 3, 'system'],
      [3, 3, 'system'],
    ]);
    // A message's role stays a setting, in a list of messages or beside its content; an expected output beside a test
    // case's input is its reference answer, not a prompt.
    const near = [
      "import { createAgent } from 'langchain';",
      'const agent = createAgent({ model: "openai:gpt-4o", tools: [], systemPrompt: "You are a careful planner who answers in short steps." });',
      'await agent.invoke({ messages: [{ role: "user", content: "Plan a day in Boston for a family of four." }] });',
      'const message = myAgent.send({ role: "assistant", content: reply, tools: [] });',
      'const testCase = evaluator.check({ input: question, prompt: template, expectedOutput: "Paris is the capital of France." });',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.ts'), [
      [2, 2, 'system'],
      [3, 3, 'user'],
    ]);
  });

  it("VoltAgent: a guidelines list in an agent's config is one composed system prompt; an agent's generateText sends the user message", () => {
    assert.deepEqual(found('ts/voltagent_supervisor_agent.ts'), [
      [14, 14, 'user'],
      [15, 48, 'system'],
      [58, 58, 'system', [[53, 53], [54, 54], [55, 55], [56, 56], [57, 57], [58, 58], [59, 59]]],
    ]);
    assert.deepEqual(found('ts/voltagent_planagents.ts'), [
      [23, 23, 'system', [[18, 18], [19, 19], [20, 20], [21, 21], [22, 22], [23, 23]]],
      [60, 60, 'user'],
      [63, 63, 'user'],
      [68, 68, 'user'],
    ]);
    // A list of one item, a list with a runtime value in it, and a list given to something that is no agent stay as they were.
    const near = [
      "import { Agent } from '@voltagent/core';",
      'const one = new Agent({ name: "a", instructions: "Answer briefly.", supervisorConfig: { customGuidelines: ["Always cite the source of every figure you give."] } });',
      'const mixed = new Agent({ name: "b", instructions: "Answer briefly.", supervisorConfig: { customGuidelines: ["Always cite the source of every figure you give.", extra] } });',
      'const form = new Form({ instructions: ["Fill in your name.", "Press the blue button to continue."] });',
      'await formatter.generateText("We are building a comparison report for two agent frameworks.");',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.ts'), [
      [2, 2, 'system'],
      [2, 2, 'system'],
      [3, 3, 'system'],
      [3, 3, 'system'],
    ]);
  });

  it('anything-llm and Google ADK: the input and output of an example exchange in a list of examples are example turns', () => {
    assert.deepEqual(found('ts/anything_llm_gmail_search.js'), [
      [13, 18, 'tool'],
      [21, 21, 'fewShot'],
      [28, 28, 'fewShot'],
      [36, 36, 'fewShot'],
      [43, 43, 'fewShot'],
      [57, 57, 'tool'],
      [62, 62, 'tool'],
      [67, 67, 'tool'],
    ]);
    const adk = found('python/adk_hello_world_ma.py').filter((f) => f[2] === 'fewShot');
    assert.deepEqual(adk, [
      [74, 74, 'fewShot'],
      [78, 78, 'fewShot'],
      [84, 84, 'fewShot'],
      [88, 88, 'fewShot'],
      [96, 96, 'fewShot'],
      [102, 102, 'fewShot'],
      [105, 105, 'fewShot'],
    ]);
    // An item with one side only, a value inside the example's output (the call's arguments), and a schema's one
    // documentation `example` are no example turns.
    const near = [
      'const dataset = { examples: [{ input: "Summarize the meeting notes in three bullet points" }] };',
      'const tool = { examples: [{ prompt: "x", call: JSON.stringify({ query: "is:starred budget invoices from last week" }) }] };',
      'const schema = { example: { question: "How do I apply for injury insurance?", response: "Your employer pays the premium." } };',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.js'), []);
  });

  it('langgraph-swarm: runtime values first, then labelled values, are no text of their own', () => {
    const tools = found('ts/langgraphjs_swarm_customer_support.ts');
    // (The two `makePrompt("You are a … booking assistant")` arguments; read as `user`, annotated `system`: kinds are not scored.)
    assert.deepEqual(tools.filter((f) => f[2] !== 'tool'), [
      [156, 156, 'user'],
      [163, 163, 'user'],
    ]);
    // Text after the labels, or a label the model is to continue, keeps it a prompt.
    const near = [
      "import { SystemMessage } from '@langchain/core/messages';",
      'const a = new SystemMessage({ content: `${base}\\n\\nUser\'s active reservation: ${r}\\nToday is: ${d}\\nAlways confirm the dates with the user.` });',
      'const b = new SystemMessage({ content: `${base}\\n\\nQuestion: ${q}\\nAnswer:` });',
    ].join('\n');
    assert.deepEqual(foundIn(near, 'near.ts'), [
      [2, 2, 'system'],
      [3, 3, 'system'],
    ]);
  });
});
