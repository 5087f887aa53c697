// Session 47 (breaker47): the prompt hints on awkward real files. Oracle for the counts: js-tiktoken's o200k_base encoder
// (test/helpers/tiktokenOracle.ts) on what the template engine sends: jinja2 3.1.6's render, written to
// test/fixtures/hints-real/smolagents_jinja_renders.json by smolagents_jinja_renders.py beside it (Environment() defaults, as
// smolagents' populate_template; every value empty), and for our own snippets the text Jinja's rules give, checked the same way.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { scanFile, summarize } from '../../../src/shared/prompt/scanner/scanFiles';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const service = new PromptHintService(() => PriceCatalog.bundled());
const hintsOf = (text: string, fileName: string, languageId: string) =>
  service.compute({ text, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
const renders = JSON.parse(readFileSync(path.join(root, 'test/fixtures/hints-real/smolagents_jinja_renders.json'), 'utf8')) as Record<string, [string, string]>;

describe('Jinja templates outside Jinja prompt files are counted as Jinja renders them (breaker47)', () => {
  // huggingface/smolagents (Apache-2.0): the YAML prompts are Jinja templates (`{%- for tool in tools.values() %}`,
  // `{%- if managed_agents … %}`). An agent with no tools and no managed agents gets none of those blocks' text, so the lower
  // bound is the render with none; the count with the longer branches is the render with one tool and one agent.
  const cases: Array<[fixture: string, key: string, line: number]> = [
    ['scan/yaml/smolagents_toolcalling_agent.yaml', 'system_prompt', 0],
    ['scan/yaml/smolagents_toolcalling_agent.yaml', 'planning.initial_plan', 120],
    ['scan/yaml/smolagents_toolcalling_agent.yaml', 'planning.update_plan_post_messages', 181],
    ['hints-real/smolagents_code_agent.yaml', 'system_prompt', 0],
  ];
  for (const [fixture, key, line] of cases) {
    it(`${path.basename(fixture)} ${key}: "≥ N" is jinja2's render without a tool or an agent, the longer count with one of each`, async () => {
      const result = await hintsOf(readFileSync(path.join(root, 'test/fixtures', fixture), 'utf8'), `smolagents/prompts/${path.basename(fixture)}`, 'yaml');
      const hint = result.prompts.find((p) => p.location.range.start.line === line);
      assert.ok(hint, result.prompts.map((p) => p.location.range.start.line).join(' '));
      const [fewest, onePass] = renders[`${path.basename(fixture)}:${key}`];
      // Before: the blocks' text was counted (toolcalling_agent.yaml's system prompt "≥838" where jinja2 sends 735), so "≥" was false.
      assert.equal(hint.cost.tokens.count, count(fewest));
      assert.equal(hint.tokensWithLongerBranches, count(onePass));
    });
  }

  it('a YAML prompt whose only Jinja is an `{%- if %}` counts one branch, not the tags as text', async () => {
    const src = [
      'system_prompt: |-',
      '  You are an expert assistant who can solve any task using tool calls.',
      '  {%- if verbose %}',
      '  Explain every step you take in great detail, with examples and references for each claim you make.',
      '  {%- endif %}',
      '  Never invent facts.',
      '',
    ].join('\n');
    const [hint] = (await hintsOf(src, 'prompts/agent.yaml', 'yaml')).prompts;
    // jinja2: render(verbose=False) and render(verbose=True); `{%-` takes the line break before each tag.
    // Before: 46 tokens, exact: the tags and both lines counted as written.
    assert.equal(hint.cost.tokens.count, count('You are an expert assistant who can solve any task using tool calls.\nNever invent facts.'));
    assert.equal(
      hint.tokensWithLongerBranches,
      count('You are an expert assistant who can solve any task using tool calls.\nExplain every step you take in great detail, with examples and references for each claim you make.\nNever invent facts.'),
    );
    assert.deepEqual(hint.runtimeValues, []);
  });

  it('a Jinja comment is not sent, and a raw block is sent as written (its `{{ name }}` is text, no runtime value)', async () => {
    const src = [
      '{# This comment explains the template to maintainers and is never sent to the model at all. #}',
      'You are a helpful assistant for the support team.',
      '{% raw %}Write placeholders as {{ name }} and {% tags %} literally.{% endraw %}',
      'Answer in short sentences.',
      '{#- another comment, stripped with the whitespace before it; it mentions {{ old_field }} -#}',
      'Never invent facts.',
      '',
    ].join('\n');
    const [hint] = (await hintsOf(src, 'prompts/support.j2', 'jinja')).prompts;
    // jinja2: Environment().from_string(src).render() is this text (the line break after the first comment is sent).
    // Before: 59 tokens + runtime values `name`, `old_field`.
    assert.deepEqual(hint.runtimeValues, []);
    assert.equal(hint.cost.tokens.count, count('\nYou are a helpful assistant for the support team.\nWrite placeholders as {{ name }} and {% tags %} literally.\nAnswer in short sentences.Never invent facts.'));
  });

  it('a prompt in a YAML file with `{{ }}` fields and a Jinja comment leaves the comment out', async () => {
    const src = [
      'planning:',
      '  initial_plan: |-',
      '    You are a world expert at planning. Solve the task {{task}} step by step.',
      '    {# this note is for maintainers only and is never sent to the model, whatever the input #}',
      '    Never invent facts.',
      '',
    ].join('\n');
    const [hint] = (await hintsOf(src, 'prompts/planner.yaml', 'yaml')).prompts;
    // jinja2: render(task=''). Before: 42 tokens (the comment's 22 counted).
    assert.equal(hint.cost.tokens.count, count('You are a world expert at planning. Solve the task  step by step.\n\nNever invent facts.'));
    assert.deepEqual(hint.runtimeValues, ['task']);
  });

  it('a str.format template is not read as Jinja: a `{# … #}` in it is text', async () => {
    const src = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'PROMPT = "You are a helpful assistant. Write the count as {# items #} in the {category} report, and never invent facts."',
      'client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": PROMPT.format(category=c)}])',
      '',
    ].join('\n');
    const [hint] = (await hintsOf(src, 'app.py', 'python')).prompts;
    assert.deepEqual(hint.runtimeValues, ['category']);
    assert.equal(hint.cost.tokens.count, count('You are a helpful assistant. Write the count as {# items #} in the  report, and never invent facts.'));
  });
});

describe('`prompt scan` reads a file saved with a UTF-8 byte-order mark as the editor does (breaker47)', () => {
  it('a Markdown file with a BOM: the prompt under its first heading is found, at the same place and with the same text as without', () => {
    // A prompt under a heading that says so (the shape of openai-agents-python 7f7a44f8's examples/mcp/prompt_server/README.md, whose
    // first heading makes its command block a prompt too). Before, with a BOM the first line was no heading and nothing was found.
    const text = [
      '## System prompt',
      '',
      '```',
      'You are a careful code reviewer. Read the diff the user sends and list every bug you find, one per line, with the file and line.',
      'Never invent problems that are not in the diff.',
      '```',
      '',
    ].join('\n');
    const dir = mkdtempSync(path.join(tmpdir(), 'break47-'));
    try {
      mkdirSync(path.join(dir, 'plain'));
      mkdirSync(path.join(dir, 'bom'));
      writeFileSync(path.join(dir, 'plain', 'README.md'), text);
      writeFileSync(path.join(dir, 'bom', 'README.md'), '\uFEFF' + text);
      const plain = scanFile(path.join(dir, 'plain', 'README.md'), 'README.md');
      const bom = scanFile(path.join(dir, 'bom', 'README.md'), 'README.md');
      assert.equal(plain.prompts.length, 1);
      assert.deepEqual(
        bom.prompts.map((p) => [p.range, p.text]),
        plain.prompts.map((p) => [p.range, p.text]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a prompt file checked out with CRLF line breaks is counted as it is sent (breaker47)', () => {
  it("OpenHands' security_risk_assessment.j2 with CRLF: the same counts as with LF (jinja2 normalizes line breaks), no CR in the text", async () => {
    // All-Hands-AI/OpenHands 156d0686 (MIT; test/fixtures/hints-real/SOURCES.md). leftovers46's test checks the LF counts against
    // jinja2's render. Before: 137 and 149 with CRLF, against 135 and 147 (each CR counted as text).
    const lf = readFileSync(path.join(root, 'test/fixtures/hints-real/openhands_security_risk_assessment.j2'), 'utf8').replace(/\r\n/g, '\n');
    const crlf = lf.replace(/\n/g, '\r\n');
    const fileName = 'openhands/agenthub/codeact_agent/prompts/security_risk_assessment.j2';
    const [a] = (await hintsOf(lf, fileName, 'jinja')).prompts;
    const [b] = (await hintsOf(crlf, fileName, 'jinja')).prompts;
    assert.equal(b.location.text.includes('\r'), false);
    assert.equal(b.location.text, a.location.text);
    assert.deepEqual([b.cost.tokens.count, b.tokensWithLongerBranches], [a.cost.tokens.count, a.tokensWithLongerBranches]);
    // The text maps back onto the file: each line of the text is where the runs say it is.
    for (const [textAt, sourceAt, length] of b.location.segments[0].runs) assert.equal(crlf.slice(sourceAt, sourceAt + length), b.location.text.slice(textAt, textAt + length));
  });
});

describe('a Jinja loop whose one pass adds no token gives no second count (breaker47)', () => {
  it("devika's action prompt (`{% for message in conversation %}` around `{{ message }}`): no \"with the longer branches\" count", async () => {
    // stitionai/devika 80bb343c (MIT; test/fixtures/scan/SOURCES.md). With loops read as a choice of no pass or one, the two
    // texts differ only in line breaks that tokenize the same: the hover said "≥232 (≥232 with the longer branches)".
    const src = readFileSync(path.join(root, 'test/fixtures/scan/prompts/devika_action.jinja2'), 'utf8');
    const [hint] = (await hintsOf(src, 'devika/agents/action/prompt.jinja2', 'jinja')).prompts;
    assert.equal(hint.tokensWithLongerBranches, undefined);
    const rows = summarize([scanFile(path.join(root, 'test/fixtures/scan/prompts/devika_action.jinja2'), 'prompt.jinja2')], 'gpt-5.4');
    assert.equal(rows[0].tokensWithLongerBranches, undefined);
    assert.equal(rows[0].tokens, hint.cost.tokens.count);
  });
});

describe('a Jinja macro and a block set send nothing where they stand (breaker47)', () => {
  it('their text is not counted and what they hold is no runtime value; the macro call is', async () => {
    const src = [
      '{% macro field(name, text) -%}',
      'Field {{ name }}: {{ text }}. Describe this field carefully in several full sentences for the reader.',
      '{%- endmacro %}',
      '{% set footer %}This footer text is only shown when the caller prints the footer variable explicitly.{% endset %}',
      '{% set greeting = "Hello there" %}',
      'You are a helpful assistant for the data team.',
      '{{ field("a", "b") }}',
      'Never invent facts.',
      '',
    ].join('\n');
    const [hint] = (await hintsOf(src, 'prompts/fields.j2', 'jinja')).prompts;
    // jinja2: Environment().from_string(src).render() with the macro call's output left out (it is a runtime value).
    // Before: 44 tokens + runtime values `name`, `text`, `field("a", "b")`.
    assert.equal(hint.cost.tokens.count, count('\n\n\nYou are a helpful assistant for the data team.\n\nNever invent facts.'));
    assert.deepEqual(hint.runtimeValues, ['field("a", "b")']);
  });
});
