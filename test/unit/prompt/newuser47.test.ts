// newuser47 ran the extension on microsoft/TaskWeaver (MIT, commit d44ddef23f90059fb17999d3095db4240e98f955) and
// anthropics/anthropic-quickstarts (MIT, commit 44c2b5c97d6d91a07033691f12b3b5c5ca464c35), in code-server and with
// `prompt scan` (test/fixtures/hints-real/SOURCES.md). The oracle is the files read by hand and the `yaml` package's own
// parse of them, not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as YAML from 'yaml';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('TaskWeaver (newuser47)', () => {
  it('a JSON Schema document (the format of the plugin files) holds no prompt', () => {
    // taskweaver/plugin/octopus.plugin-v1.schema.json: `"$schema": "http://json-schema.org/draft-07/schema"`, the schema
    // editors and validators check TaskWeaver's plugin YAML files against. Before: 14 "tool" prompts ("The name of the
    // plugin", "Whether the parameter is required or not"), and 15 more in octopus.conversation-v1.schema.json.
    const found = findPrompts(fixture('taskweaver_octopus.plugin-v1.schema.json'), 'json', { fileName: 'taskweaver/plugin/octopus.plugin-v1.schema.json' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it("a tool's parameter schema in JSON is still read", () => {
    // The same descriptions without a meta-schema: a tool's parameters, sent to the model.
    const tool = JSON.stringify({ name: 'pull_data', description: 'Pull data from a SQL database for the question.', parameters: { type: 'object', properties: { query: { type: 'string', description: 'The query in natural language that the user wants to run.' } } } }, null, 2);
    const found = findPrompts(tool, 'json', { fileName: 'tools/pull_data.json' });
    assert.deepEqual(found.map((p) => p.kind), ['tool', 'tool']);
  });

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
