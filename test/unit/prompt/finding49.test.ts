// finding49: prompt finding and model attribution left-overs on real code. Each case is an excerpt of a real file (source,
// commit and license in test/fixtures/hints-real/SOURCES.md); the oracle is the file read by hand (and, where said, the
// library's own code that sends it), not the scanner.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
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
  const found = findPrompts(source, 'python', { fileName: 'src/smolagents/agents.py' });
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
