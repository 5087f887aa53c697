// newuser49 (session 49): SWE-agent tried as a new user would (`prompt scan` on the repository, commit
// 3ea751c087f32b16e039a2233dd6eefecef325d5, MIT; the files are copied unchanged into test/fixtures/real-extra, SOURCES.md).
// The oracle is the yaml package's reading of each real file: which strings are tool docstrings, and which model the
// config's `model:` settings name (aliases resolved).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/real-extra');
const read = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

describe('newuser49: SWE-agent tool docstrings are tool descriptions', () => {
  // Each command of a bundle's tools/*/config.yaml is sent to the model with its docstring as the function's description
  // (sweagent/tools/commands.py); the scan found its arguments' descriptions and missed 34 of the 35 docstrings.
  const cases: Array<[string, string]> = [
    ['swe_agent_search_config.yaml.txt', 'tools/search/config.yaml'],
    ['swe_agent_edit_anthropic_config.yaml.txt', 'tools/edit_anthropic/config.yaml'],
    ['swe_agent_windowed_edit_linting_config.yaml.txt', 'tools/windowed_edit_linting/config.yaml'],
  ];
  for (const [fixture, fileName] of cases) {
    it(`every tool's docstring in ${fileName} is one tool prompt, its text the docstring`, () => {
      const source = read(fixture);
      const parsed = parseYaml(source) as { tools: Record<string, { docstring: string }> };
      const expected = Object.values(parsed.tools).map((t) => t.docstring.trimEnd()).sort();
      const prompts = findPrompts(source, undefined, { fileName });
      const docstrings = prompts.filter((p) => expected.includes(p.text.trimEnd()));
      assert.deepEqual(docstrings.map((p) => p.text.trimEnd()).sort(), expected);
      assert.deepEqual(docstrings.map((p) => p.kind), expected.map(() => 'tool'));
    });
  }
});

describe("newuser49: a SWE-agent config's templates are priced for the model its `model:` settings name", () => {
  it('config/demo/default.yaml: the agent.templates and the review messages take agent.model.name (claude-sonnet-4-20250514)', () => {
    const source = read('swe_agent_demo_default.yaml.txt');
    const parsed = parseYaml(source) as { agent: { model: { name: string }; templates: Record<string, string> } };
    const prompts = findPrompts(source, undefined, { fileName: 'config/demo/default.yaml' });
    const templates = prompts.filter((p) => Object.values(parsed.agent.templates).some((t) => t.trimEnd() === p.text.trimEnd()));
    assert.equal(templates.length, Object.keys(parsed.agent.templates).length);
    assert.ok(prompts.length > templates.length, 'the review messages are found too');
    assert.deepEqual(
      prompts.map((p) => p.model?.name),
      prompts.map(() => parsed.agent.model.name),
    );
    // The hover's model range is the name's scalar.
    const range = prompts[0].model?.range;
    assert.ok(range);
    assert.equal(source.slice(range.start.offset, range.end.offset), parsed.agent.model.name);
  });

  it('config/benchmarks/250212_sweagent_heavy_sbl.yaml: `model: *model` (an alias) is the first agent\'s model, and the chooser\'s templates take its own', () => {
    const source = read('swe_agent_250212_heavy_sbl.yaml.txt');
    type Templates = Record<string, unknown>;
    const parsed = parseYaml(source) as {
      agent: { agent_configs: Array<{ model: { name: string }; templates: Templates }>; retry_loop: { chooser: Templates & { model: { name: string } } } };
    };
    const prompts = findPrompts(source, undefined, { fileName: 'config/benchmarks/250212_sweagent_heavy_sbl.yaml' });
    const textOf = (v: unknown): string | undefined => (typeof v === 'string' ? v.trimEnd() : undefined);
    const expected = new Map<string, string>();
    for (const config of parsed.agent.agent_configs) for (const t of Object.values(config.templates)) if (textOf(t)) expected.set(textOf(t)!, config.model.name);
    for (const [k, t] of Object.entries(parsed.agent.retry_loop.chooser)) if (/_template$/.test(k) && textOf(t)) expected.set(textOf(t)!, parsed.agent.retry_loop.chooser.model.name);
    const templates = prompts.filter((p) => expected.has(p.text.trimEnd()));
    // (The agents' next_step templates 2 and 3 and the chooser's three templates, beside the first agent's four.)
    assert.equal(templates.length, 9);
    assert.deepEqual(
      templates.map((p) => p.model?.name),
      templates.map((p) => expected.get(p.text.trimEnd())),
    );
    assert.deepEqual([...new Set(templates.map((p) => p.model?.name))].sort(), ['claude-3-7-sonnet-latest', 'o1']);
  });
});
