// What the scanner missed or took wrongly in the held-out round 6 of the scan corpus (session 31, helper scan31:
// explodinggradients/ragas, confident-ai/deepeval, mckaywrigley/chatbot-ui, langchain-ai/langchainjs,
// TransformerOptimus/SuperAGI, Mirascope/mirascope). The real files are in test/fixtures/scan (SOURCES.md); the oracle is
// the file read by hand (annotations.json): which lines hold a prompt, of what kind, and which literals are the pieces
// of a composed one.
import * as assert from 'node:assert/strict';
import { foundIn, foundInScanFixture, readScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;
const line = (n: number): [number, number] => [n, n];
const read = readScanFixture;

describe('findPrompts: held-out round 6 and the rules it asked for (session 31)', () => {
  it("mirascope: what an @llm.call function returns is its user message, a plain literal or one splicing a local fragment", () => {
    assert.deepEqual(found('python/mirascope_conditional_call.py'), [
      [13, 13, 'user'],
      [21, 21, 'system'],
      [23, 23, 'system'],
      [25, 30, 'user'],
    ]);
  });

  it('the same returns without a mirascope import, and the helpers and tool results of a mirascope agent, are not prompts', () => {
    const src = read('python/mirascope_conditional_call.py').replace('from mirascope import llm', 'from myapp import llm');
    // (The `instruction` fragments stay prompts by their name; the two returns need mirascope's decorator.)
    assert.deepEqual(foundIn(src, 'conditional_call.py'), [
      [21, 21, 'system'],
      [23, 23, 'system'],
    ]);
    // display_tool_call's texts (UI) and the @llm.tool returns (tool results) stay silent; the docstrings are the tools'.
    // (The query passed to run_agent at lines 94-95 is the annotated user message the scanner still misses: SOURCES.md.)
    assert.deepEqual(found('python/mirascope_agents_basic.py'), [
      [21, 21, 'tool'],
      [33, 33, 'tool'],
      [44, 44, 'tool'],
    ]);
  });

  it("ragas: the strings of a PydanticPrompt's examples (input and output model instances) are few-shot examples", () => {
    assert.deepEqual(found('python/ragas_answer_relevance.py'), [
      [38, 38, 'system'],
      [44, 44, 'fewShot'],
      [47, 47, 'fewShot'],
      [53, 53, 'fewShot'],
      [56, 56, 'fewShot'],
    ]);
  });

  it('model instances in the examples of a class that is no PydanticPrompt are not prompts', () => {
    const src = [
      'from pydantic import BaseModel',
      '',
      '',
      'class Fixtures(BaseModel):',
      '    name: str = "fixtures"',
      '    examples = [',
      '        (Row(question="Where was Albert Einstein born?"), Row(answer="Albert Einstein was born in Germany.")),',
      '    ]',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'fixtures.py'), []);
  });

  it('chatbot-ui: a string grown with += under ifs and returned is one composed prompt; a transcript of role labels is none', () => {
    // buildBasePrompt's return becomes the system message in buildFinalMessages; the scanner reads the function alone,
    // so it says template where the annotation says system. Line 238 (`${baseRole}:\n${basePrompt}\n\nuser:\n${…}`) is
    // role labels and values only. Line 183 (buildRetrievalText's return, spliced into the user message by another
    // function) is the annotated prompt the scanner still misses.
    assert.deepEqual(found('ts/chatbot_ui_build_prompt.ts'), [[15, 15, 'template', [line(15), line(18), line(21), line(25), line(28)]]]);
  });

  it('a string grown with += that is no prompt, and role labels around values outside a message, stay silent', () => {
    const src = [
      'export function toCsv(rows: Array<{ name: string; age: number }>) {',
      '  let csv = ""',
      '  csv += "Name of the person, age in years at the last birthday\\n"',
      '  for (const row of rows) {',
      '    csv += `${row.name},${row.age}\\n`',
      '  }',
      '  csv += "End of the exported list of people in the account\\n"',
      '  return csv',
      '}',
      '',
      'export function transcript(messages: Array<{ role: string; content: string }>) {',
      '  return messages.map((m) => `${m.role}:\\n${m.content}\\n\\nuser:\\n${m.content}`).join("\\n")',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'csv.ts'), []);
    // A message that says something besides its labels is still one.
    const message = 'import OpenAI from "openai";\nconst openai = new OpenAI();\nawait openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: `user:\\n${question}\\n\\nAnswer in one sentence.` }] });';
    assert.deepEqual(foundIn(message, 'ask.ts'), [[3, 3, 'user']]);
  });

  it("SuperAGI: the text that fills a placeholder of a prompt with .replace is a piece of it", () => {
    // (Line 68, the `"\nUseful to know:\n"` label joining two prompt files, is reported although the annotation leaves
    // it out: SOURCES.md, round 6.)
    assert.deepEqual(
      found('python/superagi_write_code.py').filter((f) => f[0] !== 68),
      [
        [22, 22, 'tool'],
        [43, 47, 'tool'],
        [73, 73, 'system'],
      ],
    );
  });

  it('a .replace on a value that is no prompt, or of text that is no placeholder, is not a prompt', () => {
    const src = [
      'from superagi.tools.base_tool import BaseTool',
      '',
      'def build(url, spec, prompt):',
      '    url = url.replace("{id}", "Use this identifier for the request " + spec)',
      '    prompt = prompt.replace("\\n\\n", "Use this specs for generating the code:\\n")',
      '    return url, prompt',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'build.py'), []);
  });

  it('a grown string spliced into another literal is a fragment by its name; a frame of interpolations or chat-template tokens is none', () => {
    // The shapes of what the mirror check met (written anew): langroid's SQLChatAgent grows `tools_instruction` and
    // splices it into its return, langroid's Llama 2 formatter grows text of interpolations only, letta's llama3 wrapper
    // grows a frame of `<|start_header_id|>` tokens, anything-llm's untooled provider grows a string in nested callbacks.
    const src = [
      'from openai import OpenAI',
      '',
      '',
      'class Agent:',
      '    def clarify(self, use_schema):',
      '        tools_instruction = f"""',
      '          For example you may want to use the TOOL `{self.tool}` to explore the database contents',
      '        """',
      '        if use_schema:',
      '            tools_instruction += """',
      '            OR you may want to use one of the schema tools to explore the database schema',
      '            """',
      '        return f"""',
      '            The intent of your response is not clear. Use one of the available tools to make progress.',
      '            {tools_instruction}',
      '            """',
      '',
      '    def format(self, system_prompt, history):',
      '        text = f"{self.bos}{self.inst} {system_prompt}{self.end}"',
      '        for user_input, response in history:',
      '            text += f"{user_input.strip()} {self.end} {response.strip()} {self.bos} "',
      '        return text',
      '',
      '    def chat_completion_to_prompt(self, system_block, first):',
      '        prompt = "<|begin_of_text|>"',
      '        prompt += f"<|start_header_id|>system<|end_header_id|>\\n\\n{system_block.strip()}<|eot_id|>"',
      '        prompt += "\\n<|start_header_id|>assistant\\n\\n"',
      '        return prompt',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'agent.py'), [[6, 8, 'system', [[6, 8], [10, 12]]]]);
    const nested = [
      'import OpenAI from "openai";',
      '',
      'export function showcase(functions) {',
      '  let output = "";',
      '  functions.forEach((def) => {',
      '    let shotExample = `Function name: ${def.name}\\nFunction Description: ${def.description}\\n`;',
      '    def.examples.forEach(({ prompt, call }) => {',
      '      shotExample += `Query: "${prompt}"\\nJSON: ${call}\\n`;',
      '    });',
      '    output += `${shotExample}-----------\\n`;',
      '  });',
      '  return output;',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(nested, 'untooled.js'), []);
  });
});
