// newuser48 ran the extension on microsoft/graphrag (MIT, commit 6dad6d2b059589624035714d8dcfde94ecc0a5fb) and
// pydantic/pydantic-ai (MIT, commit 4fda38988f2939fa6ea9cdefcf120693e10ef491), in code-server and with `prompt scan`
// (test/fixtures/hints-real/SOURCES.md). The oracle is the files read by hand (and JSON.parse of them), not the scanner.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/engine/cli/framework';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const root = path.resolve(__dirname, '../../../..');
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', name), 'utf8');

describe('graphrag (newuser48)', () => {
  it("a release note's description beside its change type is no tool", () => {
    // .semversioner/3.1.2.json: `{"changes": [{"description": "Change default package feed index.", "type": "patch"}, …]}`,
    // semversioner's record of a release. Before: every description was a "tool" prompt (`type` beside it read as a
    // parameter schema's): 320 of the 397 prompts `prompt scan` found in graphrag.
    const source = fixture('graphrag_semversioner_3.1.2.json');
    assert.equal((JSON.parse(source) as { changes: unknown[] }).changes.length, 4);
    assert.deepEqual(findPrompts(source, 'json', { fileName: '.semversioner/3.1.2.json' }).map((p) => p.text), []);
  });

  it("a VS Code launch configuration's input prompts are no tools", () => {
    // .vscode/launch.json: `"inputs": [{"id": "query", "type": "promptString", "description": "Enter the query text"}, …]`,
    // the text VS Code shows in its input box. Before: three "tool" prompts.
    const source = fixture('graphrag_vscode_launch.json');
    assert.deepEqual(findPrompts(source, 'json', { fileName: '.vscode/launch.json' }).map((p) => p.text), []);
  });

  it('a parameter schema keeps its description, whatever the case of its JSON Schema type', () => {
    // Our own control: OpenAI's `"type": "string"` and Gemini's `"type": "STRING"` are schemas' types.
    const source = JSON.stringify({
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Get the current weather in a city.', parameters: { type: 'object', properties: { city: { type: 'string', description: 'The name of the city to look up.' } } } } }],
      functionDeclarations: [{ name: 'find_movies', parameters: { type: 'OBJECT', properties: { location: { type: 'STRING', description: 'The city and state, e.g. San Francisco, CA.' } } } }],
    }, null, 2);
    const texts = findPrompts(source, 'json', { fileName: 'tools.json' }).map((p) => p.text);
    assert.ok(texts.includes('The name of the city to look up.'), texts.join(' | '));
    assert.ok(texts.includes('The city and state, e.g. San Francisco, CA.'), texts.join(' | '));
  });
});

interface ScanItem {
  file: string;
  startLine: number;
  model: string;
  modelSource: string;
  modelVia?: string;
  boundName?: string;
}

async function scan(args: string[]): Promise<ScanItem[]> {
  let out = '';
  let err = '';
  const code = await runCli(['prompt', 'scan', ...args, '--json'], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
  assert.equal(code, 0, err);
  return (JSON.parse(out) as { prompts: ScanItem[] }).prompts;
}

describe("graphrag's entity extraction prompt and a test's mock model (newuser48)", () => {
  // packages/graphrag/graphrag/prompts/index/extract_graph.py (GRAPH_EXTRACTION_PROMPT) and
  // tests/unit/indexing/verbs/entities/extraction/strategies/graph_intelligence/test_gi_entity_extraction.py, which builds
  // `model = create_completion(ModelConfig(type=LLMProviderType.MockLLM, model_provider="openai", model="gpt-4o",
  // mock_responses=[SIMPLE_EXTRACTION_RESPONSE]))` and calls `_run_extract_graph(…, model=model, prompt=GRAPH_EXTRACTION_PROMPT)`.
  const source = path.join(root, 'test/fixtures/hints-real/graphrag_mock');
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-graphrag-mock-')));
    fs.cpSync(source, dir, { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const testFile = (): string => path.join(dir, 'tests', 'unit', 'test_gi_entity_extraction.py');
  const extraction = async (): Promise<ScanItem | undefined> => (await scan([dir])).find((p) => p.boundName === 'GRAPH_EXTRACTION_PROMPT');

  it("is not priced with the model of a test's mock", async () => {
    // Before: gpt-4o ("sent from …test_gi_entity_extraction.py (line 27)"), with gpt-4o's deprecation notice in the hover.
    assert.ok(readFileSync(testFile(), 'utf8').includes('type=LLMProviderType.MockLLM'));
    const p = await extraction();
    assert.ok(p);
    assert.deepEqual([p.startLine, p.model, p.modelSource], [6, 'gpt-5.4', 'default']);
  });

  it('the same test sending with a real model still prices it (control)', async () => {
    const text = readFileSync(testFile(), 'utf8').replace('type=LLMProviderType.MockLLM', 'type=LLMProviderType.LiteLLM').replace('mock_responses=[SIMPLE_EXTRACTION_RESPONSE],', '');
    fs.writeFileSync(testFile(), text);
    const p = await extraction();
    assert.ok(p);
    assert.deepEqual([p.model, p.modelSource], ['gpt-4o', 'imported']);
  });
});

describe("pydantic-ai's agents name their model (newuser48)", () => {
  const models = (source: string, fileName: string): Array<[number, string, string | undefined]> =>
    findPrompts(source, 'python', { fileName }).map((p) => [p.range.start.line + 1, p.kind, p.model?.name]);

  it('an agent made with type arguments, `Agent[Deps, Response](model, …)`, prices its prompts and tools', () => {
    // examples/pydantic_ai_examples/sql_gen.py: `agent = Agent[Deps, Response]('google:gemini-3-flash-preview', …)`, its
    // `@agent.system_prompt` (line 104) and output types. Before: every prompt of the file was the default model (gpt-5.4).
    const found = models(fixture('pydanticai_sql_gen.py'), 'examples/pydantic_ai_examples/sql_gen.py');
    assert.ok(found.some(([line, kind]) => line === 104 && kind === 'system'), JSON.stringify(found));
    assert.deepEqual([...new Set(found.map(([, , model]) => model))], ['google:gemini-3-flash-preview']);
    // evals/agent.py: `Agent[TimeRangeDeps, TimeRangeResponse]('openai:gpt-5.2', system_prompt=…)` and the docstring of its
    // `@time_range_agent.tool` (line 41). Before: the system prompt had the model (its own call names it), the tool not.
    const evals = models(fixture('pydanticai_evals_agent.py'), 'examples/pydantic_ai_examples/evals/agent.py');
    assert.deepEqual(evals.filter(([line]) => line === 33 || line === 41), [[33, 'system', 'openai:gpt-5.2'], [41, 'tool', 'openai:gpt-5.2']]);
  });

  it("an agent's model given as a constant (`Agent(MODEL, …)`) prices its instructions", () => {
    // examples/pydantic_ai_examples/medical_agent_delegation.py: `MODEL = 'openai:gpt-5.2'` (line 37), then five
    // `Agent(MODEL, output_type=…, deps_type=…, instructions=dedent("""…"""))`. Before: all priced gpt-5.4.
    const source = fixture('pydanticai_medical_agent_delegation.py');
    assert.equal(source.split('\n')[36], "MODEL = 'openai:gpt-5.2'");
    const found = models(source, 'examples/pydantic_ai_examples/medical_agent_delegation.py');
    const instructions = found.filter(([line]) => [104, 115, 126, 137, 156].includes(line));
    assert.deepEqual(instructions.map(([line, kind, model]) => [line, kind, model]), [104, 115, 126, 137, 156].map((line) => [line, 'system', 'openai:gpt-5.2']));
  });

  it('a prompt run by one of two agents (`email_writer_agent.run(prompt)`) takes that agent\'s model', () => {
    // pydantic-ai/docs/graph.md, its email example: `email_writer_agent = Agent('google:gemini-3-pro-preview', …)` (line 408) runs the
    // `prompt` built at lines 422 and 428; `feedback_agent = Agent[object, EmailRequiresWrite | EmailOk]('openai:gpt-5.2', …)`
    // (line 448) is the other agent. With the second agent read as one, the file names two models, and the prompts would
    // fall back to the default model; they go out with the writer's. (Passes before this session too: it guards the change.)
    const found = findPrompts(fixture('pydanticai_docs_graph.md'), 'markdown', { fileName: 'pydantic-ai/docs/graph.md' })
      .filter((p) => [422, 428, 452].includes(p.range.start.line + 1))
      .map((p) => [p.range.start.line + 1, p.kind, p.model?.name]);
    assert.deepEqual(found, [
      [422, 'user', 'google:gemini-3-pro-preview'],
      [428, 'user', 'google:gemini-3-pro-preview'],
      [452, 'system', 'openai:gpt-5.2'],
    ]);
  });

  it("a tool registered on one of several agents takes that agent's model (control of our own)", () => {
    const source = [
      'from pydantic_ai import Agent',
      '',
      "support = Agent[int, str]('anthropic:claude-sonnet-4-5', instructions='You answer questions about bank accounts.')",
      "triage = Agent('openai:gpt-4o-mini', instructions='You route each request to the right team.')",
      '',
      '@support.tool_plain',
      'def balance() -> str:',
      '    """Return the current balance of the customer\'s account."""',
      "    return '0'",
      '',
      '@triage.tool_plain',
      'def teams() -> str:',
      '    """List the teams a request can be routed to."""',
      "    return ''",
      '',
    ].join('\n');
    assert.deepEqual(models(source, 'agents.py'), [
      [3, 'system', 'anthropic:claude-sonnet-4-5'],
      [4, 'system', 'openai:gpt-4o-mini'],
      [8, 'tool', 'anthropic:claude-sonnet-4-5'],
      [13, 'tool', 'openai:gpt-4o-mini'],
    ]);
  });
});

describe("graphrag's settings template (newuser48)", () => {
  it('a YAML document written out in an f-string is no prompt', () => {
    // packages/graphrag/graphrag/config/init_content.py: `INIT_YAML = f"""…completion_models:\n  {defs.DEFAULT_COMPLETION_MODEL_ID}:\n
    // model_provider: …"""`, the settings.yaml that `graphrag init` writes (lines 12-140). Before: a "template" prompt of
    // 770 tokens with 40 runtime values (its words, "must", "json", "following", read as a prompt's).
    const found = findPrompts(fixture('graphrag_init_content.py'), 'python', { fileName: 'graphrag/config/init_content.py' });
    assert.deepEqual(found.map((p) => p.boundName), []);
  });

  it('a prompt that asks for YAML and shows it stays a prompt (control of our own)', () => {
    const source = [
      'SYSTEM_PROMPT = """You are a deployment assistant. Read the service description the user gives you and write its',
      'configuration as YAML, exactly in this form, with no other text before or after it:',
      '',
      'service:',
      '  name: <name>',
      '  image: <image>',
      '  resources:',
      '    cpu: <cpu>',
      '    memory: <memory>',
      '  ports:',
      '    - <port>',
      '"""',
      '',
      'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])',
      '',
    ].join('\n');
    assert.deepEqual(findPrompts(source, 'python', { fileName: 'deploy.py' }).map((p) => [p.boundName, p.kind]), [['SYSTEM_PROMPT', 'system']]);
  });
});
