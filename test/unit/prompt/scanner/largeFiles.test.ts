// The scanner on large real modules it was not written for (test/fixtures/scale/SOURCES.md):
// how much work model resolution does, and strings of an LLM CLI that are not prompts.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { modelResolutionWork } from '../../../../src/shared/prompt/scanner/models';

const SCALE = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'scale');
const read = (name: string) => readFileSync(join(SCALE, name), 'utf8');

describe('scanner on large real files (simonw/llm)', function () {
  this.timeout(60_000);

  it('model resolution evaluates each expression once per depth, not once per path (llm cli.py + one prompt call that names `model`)', () => {
    // The user adds a call at the end of the 4,306-line module; `model` is assigned in dozens of places
    // there, from `model_id`, `get_model(…)`, `… or …`. Following every path took 35 s on this machine.
    const text = `${read('llm_cli.py')}\n\ndef summarize(model, text):\n    return client.chat.completions.create(model=model, messages=[{"role": "system", "content": "You are a terse summarizer. Summarize the text in three bullet points."}, {"role": "user", "content": text}])\n`;
    const before = modelResolutionWork.evaluated;
    const prompts = findPrompts(text, 'python');
    const work = modelResolutionWork.evaluated - before;
    assert.deepEqual(prompts.map((p) => [p.range.start.line + 1, p.kind]), [[4310, 'system']]);
    // Each of the file's expressions at most once per depth (7): far fewer than this bound; without the memo, millions.
    assert.ok(work > 0 && work < 5_000, `${work} expressions evaluated`);
  });

  it("a click group's docstring is not a tool description because a spread list is named `tools` (`tools = [*template.tools, *tools]`)", () => {
    const text = read('llm_cli.py');
    assert.match(text, /def tools\(\):\n {4}"Manage tools that can be made available to LLMs"/);
    assert.deepEqual(findPrompts(text, 'python'), []);
    // A function listed in a real tools list still is one, also when wrapped by a call.
    const listed = 'def search(q):\n    """Search the web for the query and return the top results."""\n\ntools = [Tool.from_function(search)]\n';
    assert.deepEqual(findPrompts(listed, 'python').map((p) => [p.kind, p.text]), [['tool', 'Search the web for the query and return the top results.']]);
  });

  it('Field descriptions of an options class (`class SharedOptions(llm.Options)`) are CLI help, not tool parameters; a schema class passed to the model still counts', () => {
    const prompts = findPrompts(read('llm_openai_models.py'), 'python');
    const lines = prompts.map((p) => p.range.start.line + 1);
    // SharedOptions spans lines 871-957: none of its nine field descriptions is a prompt.
    assert.deepEqual(lines.filter((l) => l >= 871 && l <= 957), []);
    // What is left: the fields build_options_class hands to create_model (nothing in the file says where they go).
    assert.deepEqual(lines, [1007, 1017, 1033, 1044, 1057, 1068]);
    const schema = 'from pydantic import BaseModel, Field\n\nclass WeatherConfig(BaseModel):\n    city: str = Field(description="The city to get the weather for, e.g. Paris or Tokyo")\n\nclient.chat.completions.parse(model="gpt-4o", messages=[], response_format=WeatherConfig)\n';
    assert.deepEqual(findPrompts(schema, 'python').map((p) => p.kind), ['tool']);
  });

  it("a UI entry's description (Continue's context providers: title, displayTitle, description, type) is not a tool's; a real tool's still is", () => {
    assert.deepEqual(findPrompts(read('continue_google_context_provider.ts'), 'typescript'), []);
    const tool = findPrompts(read('continue_ls_tool.ts'), 'typescript');
    assert.deepEqual(tool.map((p) => [p.range.start.line + 1, p.kind, p.text.slice(0, 40)]), [
      [19, 'tool', 'List files and folders in a given direct'],
      [26, 'tool', 'The directory path. Can be relative to p'],
      [31, 'tool', 'If true, lists files and folders recursi'],
      // systemMessageDescription.prefix: the tool's instruction in the system message (its exampleArgs are call values).
      [38, 'tool', 'To list files and folders in a given dir'],
    ]);
  });

  it('a chat-shaped message sent to a websocket client or as an HTTP response is not a prompt (gpt-researcher server_utils.py)', () => {
    const text = read('gptr_server_utils.py');
    assert.match(text, /await websocket\.send_json\(\{\n\s+"type": "chat",\n\s+"content": "Chat functionality is not available/);
    assert.deepEqual(findPrompts(text, 'python'), []);
    // The same dict passed to a model call still is one.
    const sent = 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "assistant", "content": "Chat functionality is not available. Please check the server configuration."}])\n';
    assert.deepEqual(findPrompts(sent, 'python').map((p) => p.kind), ['assistant']);
  });
});
