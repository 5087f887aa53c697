// finding49: prompt finding and model attribution left-overs on real code. Each case is an excerpt of a real file (source,
// commit and license in test/fixtures/hints-real/SOURCES.md); the oracle is the file read by hand (and, where said, the
// library's own code that sends it), not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { ProjectModelFinder } from '../../../src/shared/projectModel';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('finding49: Param doc= strings (holoviz/lumen)', () => {
  it("a Param parameter's doc= is no user prompt", () => {
    // lumen/ai/ui.py, ExplorerUI: `code_execution = param.Selector(default="hidden", objects=[…], doc="""Code execution
    // mode for generating Vega-Lite specs…""")` documents the option to the people who set it; nothing in the file sends
    // it. Before: a 178-token user prompt (115 words of prose with "must NEVER").
    const found = findPrompts(fixture('lumen_ai_ui_explorer.py'), 'python', { fileName: 'lumen/ai/ui.py' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it("a project Parameter class's doc= is no prompt template", () => {
    // lumen/dashboard.py, Config: `template = Template(default=_TEMPLATES['material'], constant=True, doc="""The Panel
    // template to render the dashboard into.""")`: lumen's config.Template is a param.Parameter. Before: a template prompt
    // ("passed to Template (PromptTemplate)").
    const found = findPrompts(fixture('lumen_dashboard_config.py'), 'python', { fileName: 'lumen/dashboard.py' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it('a PromptTemplate still takes its template; a doc= outside Param files is judged as before', () => {
    const source = ['from langchain_core.prompts import PromptTemplate', '', 'prompt = PromptTemplate(template="Summarize the following text in three sentences for a busy reader: {text}", input_variables=["text"])', ''].join('\n');
    assert.deepEqual(findPrompts(source, 'python', { fileName: 'app.py' }).map((p) => p.kind), ['template']);
  });
});

describe('finding49: smolagents agents.py, the task and the plan built over several statements', () => {
  const source = fixture('smolagents_agents_run_planning.py');
  const found = findPrompts(source, 'python', { fileName: 'smolagents/agents.py' });
  const lineOf = (needle: string): number => source.slice(0, source.indexOf(needle)).split('\n').length - 1;

  it("a literal added to the run's task (self.task += f\"\"\"…\"\"\") is the user's message", () => {
    // MultiStepAgent.run(self, task, …): `self.task = task`, then under `if additional_args:` `self.task += f"""\nYou have
    // been provided with these additional arguments…"""`; TaskStep(task=self.task) goes out as the user message "New
    // task:\n{task}" (memory.py TaskStep.to_messages). Before: missed (19 words, no name the scanner knew).
    const added = found.find((p) => p.text.includes('You have been provided with these additional arguments'));
    assert.ok(added, 'the fragment added to the task is found');
    assert.equal(added.kind, 'user');
    assert.equal(added.range.start.line, lineOf('self.task += f"""'));
  });

  it('the plan texts passed as PlanningStep(plan=…) are assistant messages', () => {
    // _generate_planning_step: `plan = textwrap.dedent(f"""Here are the facts I know and the plan…""")` (first step) and
    // `f"""I still need to solve the task I was given:…"""` (later steps), then `PlanningStep(…, plan=plan, …)`; memory.py's
    // PlanningStep.to_messages sends `self.plan.strip()` as an assistant message. Before: both missed.
    const plans = found.filter((p) => /^(Here are the facts I know and the plan|I still need to solve the task)/.test(p.text));
    assert.deepEqual(plans.map((p) => [p.kind, p.range.start.line]), [
      ['assistant', lineOf('f"""Here are the facts I know and the plan')],
      ['assistant', lineOf('f"""I still need to solve the task')],
    ]);
  });

  it('a task grown outside an agent run is judged as before', () => {
    const other = ['class Scheduler:', '    def run(self, task):', '        self.task = task', '        self.task += " and then write the results to the shared folder"', '        return self.task', ''].join('\n');
    assert.deepEqual(findPrompts(other, 'python', { fileName: 'sched.py' }).map((p) => p.text), []);
  });
});

describe('finding49: pydantic-ai (ModelRetry, output types, false finds in examples/)', () => {
  it('raise ModelRetry("…") is a retry prompt sent to the model; every class of an output union has its docstring sent', () => {
    // examples/pydantic_ai_examples/sql_gen.py: the output validator raises `ModelRetry('Please create a SELECT query')` and
    // `ModelRetry(f'Invalid query: {e}')`; pydantic-ai sends the message back to the model (RetryPromptPart). The agent's
    // `output_type=Success | InvalidRequest` makes both classes output tools described by their docstrings. Before: the
    // retries were errors, and InvalidRequest's docstring was missed while Success's was found.
    const source = fixture('pydanticai_sql_gen.py');
    const found = findPrompts(source, 'python', { fileName: 'examples/pydantic_ai_examples/sql_gen.py' });
    const kindOf = (text: string) => found.find((p) => p.text === text)?.kind;
    assert.equal(kindOf('Please create a SELECT query'), 'tool');
    assert.equal(kindOf('Invalid query: {e}'), 'tool');
    assert.equal(kindOf("Response the user input didn't include enough information to generate SQL."), 'tool');
    assert.equal(kindOf('Response when SQL could be successfully generated.'), 'tool');
  });

  it('an error raised in an app without pydantic-ai stays an error', () => {
    const other = ['class ModelRetry(Exception):', '    pass', '', 'def check(x):', '    raise ModelRetry("Please create a SELECT query that reads the table")', ''].join('\n');
    assert.deepEqual(findPrompts(other, 'python', { fileName: 'check.py' }).map((p) => p.text), []);
  });

  it("a message appended to the Gradio chatbot's list is shown, not sent", () => {
    // examples/pydantic_ai_examples/weather_agent_gradio.py: `gr_message = {'role': 'assistant', 'content': 'Parameters: ' +
    // call_args, 'metadata': metadata}` then `chatbot.append(gr_message)`, the list gr.Chatbot displays. Before: an
    // assistant prompt.
    const found = findPrompts(fixture('pydantic_ai_weather_agent_gradio.py'), 'python', { fileName: 'examples/pydantic_ai_examples/weather_agent_gradio.py' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it("a pydantic-evals dataset's case inputs are test data, not user prompts", () => {
    // examples/pydantic_ai_examples/evals/datasets/time_range_v2.yaml: `cases: - name: Single day mention / inputs: / prompt:
    // I want to see logs from 2021-05-08`. Before: two user prompts in these 24 lines (10 in the file, 10 more in v1).
    const source = fixture('pydantic_ai_time_range_v2.yaml');
    assert.deepEqual(findPrompts(source, 'yaml', { fileName: 'examples/pydantic_ai_examples/evals/datasets/time_range_v2.yaml' }).map((p) => p.text), []);
    // The same prompt under another top-level key is still read.
    const other = source.replace('cases:', 'examples:');
    assert.deepEqual(findPrompts(other, 'yaml', { fileName: 'evals/other.yaml' }).map((p) => p.text), ['I want to see logs from 2021-05-08', 'Check logs from last week or so, around early May']);
  });
});

describe('finding49: JSON Schema documents (TaskWeaver)', () => {
  it("a JSON Schema document's descriptions are no tool descriptions", () => {
    // taskweaver/plugin/octopus.plugin-v1.schema.json (`"$schema": "http://json-schema.org/draft-07/schema"`): TaskWeaver
    // reads its plugin schema only in utils/__init__.py `validate_yaml`, `jsonschema.validate(content, schema=schema_object)`;
    // no model is sent it. Before: 14 "tool" prompts ("The name of the plugin"), 15 more in octopus.conversation-v1.schema.json.
    const found = findPrompts(fixture('taskweaver_octopus.plugin-v1.schema.json'), 'json', { fileName: 'taskweaver/plugin/octopus.plugin-v1.schema.json' });
    assert.deepEqual(found.map((p) => p.text), []);
  });

  it('a tool written in JSON (name, description, parameters) is still read', () => {
    const tool = JSON.stringify({ name: 'pull_data', description: 'Pull data from a SQL database for the question.', parameters: { type: 'object', $defs: {}, properties: { query: { type: 'string', description: 'The query in natural language that the user wants to run.' } } } }, null, 2);
    assert.deepEqual(findPrompts(tool, 'json', { fileName: 'tools/pull_data.json' }).map((p) => p.kind), ['tool', 'tool']);
  });
});

describe("finding49: graphrag's default model (config/defaults.py)", function () {
  this.timeout(60_000);
  // packages/graphrag/graphrag/config/defaults.py: `DEFAULT_COMPLETION_MODEL = "gpt-4.1"` (the model of every GraphRagConfig
  // and of `graphrag init`), beside `DEFAULT_EMBEDDING_MODEL = "text-embedding-3-large"` and `DEFAULT_COMPLETION_MODEL_ID =
  // "default_completion_model"` (an id, no model). Before: graphrag/prompts/query/basic_search_system_prompt.py was priced for
  // the built-in default, gpt-5.4.
  const pkg = path.join(root, 'test/fixtures/hints-real/graphrag_defaults');
  const promptFile = path.join(pkg, 'graphrag/prompts/query/basic_search_system_prompt.py');
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('the package defaults module names the model its prompts run with', async () => {
    const finder = new ProjectModelFinder((m) => catalog.has(m), (f) => path.relative(pkg, f).split(path.sep).join('/'));
    const answer = finder.forFile(promptFile, (d) => d === pkg);
    assert.deepEqual(answer, { file: 'graphrag/config/defaults.py', model: { model: 'gpt-4.1', from: 'graphrag/config/defaults.py DEFAULT_COMPLETION_MODEL' } });
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const text = readFileSync(promptFile, 'utf8');
    const result = await service.compute({ text, languageId: 'python', fileName: promptFile, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false, projectModel: answer?.model });
    assert.deepEqual(result.prompts.map((p) => [p.model, p.modelSource]), [['gpt-4.1', 'config']]);
  });
});
