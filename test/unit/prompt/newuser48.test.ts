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
