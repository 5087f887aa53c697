// newuser47 ran the extension on microsoft/TaskWeaver (MIT, commit d44ddef23f90059fb17999d3095db4240e98f955) and
// anthropics/anthropic-quickstarts (MIT, commit 44c2b5c97d6d91a07033691f12b3b5c5ca464c35), in code-server and with
// `prompt scan` (test/fixtures/hints-real/SOURCES.md). The oracle is the files read by hand and the `yaml` package's own
// parse of them, not the scanner.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { runCli } from '../../../src/engine/cli/framework';
import { optimizeKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { findAtoms } from '../../../src/shared/prompt/scanner/atoms';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import { PackageProviders, pythonImports } from '../../../src/shared/packageProvider';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('TaskWeaver (newuser47)', () => {
  it("a Docusaurus sidebar's category index page is no tool", () => {
    // website/sidebars.js: `link: { type: 'generated-index', title: 'Concepts', description: 'The important concepts in
    // TaskWeaver', slug: '/concepts' }`. Before: five "tool" prompts (`type` beside the description read as a schema's).
    const found = findPrompts(fixture('taskweaver_sidebars.js'), 'javascript', { fileName: 'website/sidebars.js' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it("a role's intro, which the planner writes into its system prompt, is a prompt", () => {
    // taskweaver/ext_role/recepta/recepta.role.yaml: `alias`, `module`, `intro: |-` (four bullets). The planner lists each
    // worker's intro in its system prompt (planner.py: `f"{role.get_intro()}\n"` into `worker_intro`). Before: missed, in
    // all seven role files without a placeholder.
    const source = fixture('taskweaver_recepta.role.yaml');
    const intro = (YAML.parse(source) as { intro: string }).intro;
    assert.ok(intro.startsWith('- Recepta is responsible for helping the Planner'));
    const found = findPrompts(source, 'yaml', { fileName: 'taskweaver/ext_role/recepta/recepta.role.yaml' });
    assert.deepEqual(found.map((p) => [p.boundName, p.kind, p.text]), [['intro', 'system', intro]]);
  });

  it('a value spliced into another prompt of the file under its name in capitals is a template fragment', () => {
    // taskweaver/code_interpreter/code_interpreter/code_generator_prompt.yaml: `content` ends with `{RESPONSE_JSON_SCHEMA}`,
    // which code_generator.py fills with the file's `response_json_schema` (`RESPONSE_JSON_SCHEMA=json.dumps(…)`). Before: a
    // user prompt (the planner's file, whose field is written `{response_json_schema}`, had it as a template).
    const source = fixture('taskweaver_code_generator_prompt.yaml');
    const found = findPrompts(source, 'yaml', { fileName: 'taskweaver/code_interpreter/code_interpreter/code_generator_prompt.yaml' });
    const schema = found.find((p) => p.boundName === 'response_json_schema');
    assert.ok(schema);
    assert.equal(schema.kind, 'template');
    assert.ok(schema.evidence.some((e) => e.detail === 'spliced into another prompt of the file as {RESPONSE_JSON_SCHEMA}'));
    assert.equal(schema.text, (YAML.parse(source) as { response_json_schema: string }).response_json_schema);
  });

  it('the block of prose of a file named for its prompt is a prompt', () => {
    // taskweaver/code_interpreter/code_interpreter_plugin_only/code_generator_prompt_plugin_only.yaml: `version: 0.1` and
    // `content: |-`, two lines with {ROLE_NAME}, read by code_generator_plugin_only.py as the code generator's
    // instructions. Before: missed (34 words), while the longer `content` of code_generator_prompt.yaml was found.
    const source = fixture('taskweaver_code_generator_prompt_plugin_only.yaml');
    const content = (YAML.parse(source) as { content: string }).content;
    const found = findPrompts(source, 'yaml', { fileName: 'taskweaver/code_interpreter/code_interpreter_plugin_only/code_generator_prompt_plugin_only.yaml' });
    assert.deepEqual(found.map((p) => [p.boundName, p.kind, p.text]), [['content', 'template', content]]);
    // Under a name that says nothing of prompts, the same short block stays out (the file's name is the evidence).
    assert.deepEqual(findPrompts(source, 'yaml', { fileName: 'config/settings.yaml' }).map((p) => p.boundName), []);
  });
});

describe("TaskWeaver's image reader (newuser47)", () => {
  // taskweaver/ext_role/image_reader/image_reader.py sends
  // `self.llm_api.chat_completion(messages=[format_chat_message(role="system", message="Your task is to read the image path
  // from the message."), format_chat_message(role="user", message=prompt)])`; its `prompt` (line 77) ends "Do not add any
  // additional information in the response or wrap the JSON with ```json and ```."
  const source = fixture('taskweaver_image_reader.py');
  const found = () => findPrompts(source, 'python', { fileName: 'taskweaver/ext_role/image_reader/image_reader.py' });

  it('the system message sent through llm_api.chat_completion is found', () => {
    // Before: missed (only the user prompt was found).
    const system = found().find((p) => p.kind === 'system');
    assert.ok(system, 'the system message is found');
    assert.equal(system.text, 'Your task is to read the image path from the message.');
    assert.equal(system.range.start.line + 1, 88);
  });

  it('a code span opened and closed by three backticks is one atom, quoted whole when a rewrite is refused', () => {
    const prompt = found().find((p) => p.boundName === 'prompt');
    assert.ok(prompt);
    // Before: the atom was "`json and `", cut from the middle of the two runs of backticks.
    assert.deepEqual(
      findAtoms(prompt.text).map((a) => a.text),
      ['{input_message}', '```json and ```'],
    );
    // Optimize would put the instructions before the input: refused, and the message quotes the span as written.
    assert.throws(() => optimizeKeepingAtoms(prompt.text, { model: 'gpt-5.4', target: 'balanced' }), /would move "```json and ```" out of its place/);
    assert.deepEqual(findAtoms('a ``code with ` tick`` b and `x`').map((a) => a.text), ['``code with ` tick``', '`x`']);
    assert.deepEqual(findAtoms('a lone ``` run, then `z`').map((a) => a.text), ['`z`']);
  });
});

describe("anthropic-quickstarts' agents package: priced for Claude (newuser47)", function () {
  this.timeout(60_000);
  // agents/ is a package (agents/__init__.py) with no manifest: the repository's pyproject.toml only configures pyright.
  // agents/agent.py sends the agent's system prompt and its tools with `Anthropic().messages.create(…)`; the tools
  // (agents/tools/think.py) name no provider. Before: `prompt scan` and the editor priced the think tool's two
  // descriptions for the fallback model (gpt-5.4, "default"), like all 24 prompts of the package.
  const fixtures = path.join(path.resolve(__dirname, '../../../..'), 'test/fixtures');
  const source = path.join(fixtures, 'hints-real/aq_agents');
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-aq-agents-')));
    fs.cpSync(source, dir, { recursive: true });
    // The package's agent.py and tools/think.py, the same commit's files, are already fixtures of their own: put in place here.
    fs.copyFileSync(path.join(fixtures, 'model-pricing/aq_agent.py'), path.join(dir, 'agents', 'agent.py'));
    fs.copyFileSync(path.join(fixtures, 'scan/python/aq_think_tool.py'), path.join(dir, 'agents', 'tools', 'think.py'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompt scan prices the tool descriptions for Anthropic, and says which module imports its SDK', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['prompt', 'scan', path.join(dir, 'agents', 'tools'), '--model', 'gemini-2.5-flash', '--json'], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
    assert.equal(code, 0, err);
    const items = (JSON.parse(out) as { prompts: Array<{ file: string; startLine: number; model: string; modelSource: string; modelVia?: string }> }).prompts;
    const via = `Anthropic's default model (built-in default; anthropic imported in ${path.relative(process.cwd(), path.join(dir, 'agents', 'agent.py'))})`;
    // Lines read off think.py: the description (13) and the parameter's description (23).
    assert.deepEqual(
      items.map((p) => [path.basename(p.file), p.startLine, p.model, p.modelSource, p.modelVia]),
      [13, 23].map((line) => ['think.py', line, 'claude-sonnet-4-5', 'provider', via]),
    );
  });

  it('the editor reads the same package (the module named from the package folder)', () => {
    const found = new PackageProviders().forFile(path.join(dir, 'agents', 'tools', 'think.py'), 'python');
    assert.deepEqual(found, { provider: 'anthropic', from: `anthropic imported in ${path.join('agents', 'agent.py')}` });
    // A file outside any package (no __init__.py beside it) has none.
    assert.equal(new PackageProviders().forFile(path.join(dir, 'pyproject.toml'), 'python'), undefined);
  });

  it('a package importing two providers, or none, names none', () => {
    // An SDK imported for embeddings only sends no prompt: it does not count (crewAI's crewai_tools).
    fs.writeFileSync(path.join(dir, 'agents', 'embed.py'), 'from openai import Client\n\nvectors = Client().embeddings.create(input=["a"], model="text-embedding-3-small")\n');
    assert.equal(new PackageProviders().forFile(path.join(dir, 'agents', 'tools', 'think.py'), 'python')?.provider, 'anthropic');
    // A module deeper down that sends prompts is one part of the package, not its core (crewAI's crewai_tools).
    fs.writeFileSync(path.join(dir, 'agents', 'tools', 'deep.py'), 'from openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n');
    assert.equal(new PackageProviders().forFile(path.join(dir, 'agents', 'tools', 'think.py'), 'python')?.provider, 'anthropic');
    fs.writeFileSync(path.join(dir, 'agents', 'other.py'), 'import os\nfrom openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n');
    assert.equal(new PackageProviders().forFile(path.join(dir, 'agents', 'tools', 'think.py'), 'python'), undefined);
    fs.rmSync(path.join(dir, 'agents', 'agent.py'));
    fs.rmSync(path.join(dir, 'agents', 'other.py'));
    fs.rmSync(path.join(dir, 'agents', 'embed.py'));
    assert.equal(new PackageProviders().forFile(path.join(dir, 'agents', 'tools', 'think.py'), 'python'), undefined);
  });

  it('reads import statements, not words', () => {
    assert.deepEqual(pythonImports('import os, anthropic as a\nfrom google.genai import types\nfrom .base import Tool\n# import openai\nx = "import openai"\n'), ['os', 'anthropic', 'google.genai']);
  });
});

describe("TaskWeaver's project config names the model (newuser47)", function () {
  this.timeout(60_000);
  // TaskWeaver runs with `-p ./project`; project/taskweaver_config.json sets `"llm.model": "gpt-4-1106-preview"` for the
  // app, whose plugins (project/plugins/*.yaml) describe their tools to it. Before: priced for the fallback model.
  const source = path.join(path.resolve(__dirname, '../../../..'), 'test/fixtures/hints-real/taskweaver_project');
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-tw-project-')));
    fs.cpSync(source, path.join(dir, 'project'), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompt scan prices the plugin descriptions for llm.model', async () => {
    let out = '';
    let err = '';
    const code = await runCli(['prompt', 'scan', path.join(dir, 'project'), '--model', 'gemini-2.5-flash', '--json'], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
    assert.equal(code, 0, err);
    const items = (JSON.parse(out) as { prompts: Array<{ file: string; startLine: number; model: string; modelSource: string; modelVia?: string }> }).prompts;
    const config = path.relative(process.cwd(), path.join(dir, 'project', 'taskweaver_config.json'));
    // sql_pull_data.yaml: the plugin's description (line 4), its example (9), the parameter's (16) and the two returns' (24, 27).
    assert.deepEqual(
      items.map((p) => [path.basename(p.file), p.startLine, p.model, p.modelSource, p.modelVia]).sort((a, b) => Number(a[1]) - Number(b[1])),
      [4, 9, 16, 24, 27].map((line) => ['sql_pull_data.yaml', line, 'gpt-4-1106-preview', 'config', `from ${config} llm.model`]),
    );
  });
});
