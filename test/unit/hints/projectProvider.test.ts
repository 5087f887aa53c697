// New-user check of session 23 on stackblitz/bolt.new: the app sends every prompt to Claude
// (`anthropic('claude-3-5-sonnet-20240620')` in model.ts, through the Vercel AI SDK), but its
// prompts live in prompts.ts and api.enhancer.ts, which import no provider SDK, so every lens
// priced them as gpt-5.4 (`pepperpy.defaultModel`). The nearest package.json lists one
// provider's SDK (`@ai-sdk/anthropic`); prompts whose file shows no provider now take that
// provider's default model. Oracles: bolt.new's real package.json (test/fixtures/project-provider),
// js-tiktoken's o200k_base count (2,890, analysisHeadline.test.ts) and genai-prices 0.1.8's
// input price for claude-sonnet-4-5 ($3 per million tokens, Anthropic's list price).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/engine/cli/framework';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import { ProjectProviders } from '../../../src/extension/prompt/projectProvider';
import { providerOfManifest, providerOfPythonManifest, pythonDependencies } from '../../../src/shared/projectProvider';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');
const read = (rel: string): string => fs.readFileSync(path.join(root, 'test/fixtures', rel), 'utf8');
const boltManifest = read('project-provider/bolt.new/package.json');

describe('the project\'s LLM provider from package.json prices prompts kept apart from the call (bolt.new)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  let dir: string;

  before(() => {
    // bolt.new's layout: package.json at the root, the prompts three folders down.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-project-'));
    fs.mkdirSync(path.join(dir, 'app', 'lib', '.server', 'llm'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), boltManifest);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads bolt.new's package.json: Anthropic, from @ai-sdk/anthropic", () => {
    const projects = new ProjectProviders();
    const file = path.join(dir, 'app', 'lib', '.server', 'llm', 'prompts.ts');
    assert.deepEqual(projects.forFile(file, 'typescript', dir), { provider: 'anthropic', from: '@ai-sdk/anthropic in package.json' });
    // Only JavaScript/TypeScript files take a provider from package.json.
    assert.equal(projects.forFile(path.join(dir, 'app', 'agent.py'), 'python', dir), undefined);
  });

  it('the nearest package.json decides; a manifest naming two providers says several, none or broken names none', () => {
    const nested = path.join(dir, 'packages', 'web');
    fs.mkdirSync(nested, { recursive: true });
    const projects = new ProjectProviders();
    const file = path.join(nested, 'prompt.ts');
    fs.writeFileSync(path.join(nested, 'package.json'), JSON.stringify({ dependencies: { '@ai-sdk/anthropic': '1', openai: '4' } }));
    // Several providers decide none; the hover says why (session 37, newuser37).
    assert.deepEqual(projects.forFile(file, 'typescript', dir), { from: '@ai-sdk/anthropic, openai in package.json', several: true });
    fs.writeFileSync(path.join(nested, 'package.json'), JSON.stringify({ devDependencies: { '@google/genai': '1' } }));
    // A changed manifest is read again (its modification time moved).
    fs.utimesSync(path.join(nested, 'package.json'), new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(projects.forFile(file, 'typescript', dir), { provider: 'google', from: '@google/genai in package.json' });
    fs.writeFileSync(path.join(nested, 'package.json'), '{ "dependencies": ');
    fs.utimesSync(path.join(nested, 'package.json'), new Date(), new Date(Date.now() + 10_000));
    assert.equal(projects.forFile(file, 'typescript', dir), undefined);
    assert.equal(providerOfManifest({ dependencies: { react: '18' } }), undefined);
    assert.equal(providerOfManifest(null), undefined);
    assert.equal(providerOfManifest({ dependencies: ['openai'] }), undefined);
  });

  it('getSystemPrompt is priced for Claude: claude-sonnet-4-5, 2,890 tokens × $3/M', async () => {
    const catalog = await PriceCatalog.bundled();
    assert.equal(catalog.lookup('claude-sonnet-4-5').inputPerMTok, 3);
    const projectProvider = providerOfManifest(JSON.parse(boltManifest) as unknown);
    assert.ok(projectProvider);
    const result = await service.compute({ text: read('scan/ts/bolt_prompts.ts'), languageId: 'typescript', fileName: 'prompts.ts', defaultModel: 'gpt-5.4', projectProvider, compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const hint = result.prompts.find((p) => p.location.boundName === 'getSystemPrompt');
    assert.ok(hint);
    assert.equal(hint.model, 'claude-sonnet-4-5');
    assert.equal(hint.modelSource, 'provider');
    assert.equal(hint.modelVia, "Anthropic's default model (pepperpy.defaultModels; @ai-sdk/anthropic in package.json)");
    assert.equal(hint.cost.tokens.count, 2890);
    assert.ok(Math.abs((hint.cost.inputCostUsd ?? 0) - (2890 * 3) / 1e6) < 1e-12, String(hint.cost.inputCostUsd));
  });

  it('without a project provider the global default stays; a file that names its provider keeps it', async () => {
    const plain = await service.compute({ text: read('scan/ts/bolt_prompts.ts'), languageId: 'typescript', fileName: 'prompts.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.deepEqual([...new Set(plain.prompts.map((p) => p.model))], ['gpt-5.4']);
    // openai-node's demo imports the OpenAI SDK: an Anthropic project around it does not change its prompts' provider.
    const source = read('scan/ts/openai_node_demo.ts');
    const without = await service.compute({ text: source, languageId: 'typescript', fileName: 'demo.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const withProject = await service.compute({ text: source, languageId: 'typescript', fileName: 'demo.ts', defaultModel: 'gpt-5.4', projectProvider: { provider: 'anthropic', from: '@ai-sdk/anthropic in package.json' }, compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.deepEqual(withProject.prompts.map((p) => p.model), without.prompts.map((p) => p.model));
    assert.ok(withProject.prompts.every((p) => !p.model.startsWith('claude')));
  });
});

describe("a Python project's LLM provider from pyproject.toml or requirements.txt (real manifests)", () => {
  const llm = read('project-provider/llm/pyproject.toml');
  const agents = read('project-provider/openai-agents-python/pyproject.toml');
  const researcher = read('project-provider/gpt-researcher/requirements.txt');

  it('reads the dependencies, not the other strings of pyproject.toml', () => {
    // simonw/llm: its description names OpenAI, Anthropic and Gemini; its dependencies name only openai.
    assert.match(llm, /description = ".*OpenAI, Anthropic and Gemini/);
    assert.deepEqual(providerOfPythonManifest('pyproject.toml', llm), { provider: 'openai', from: 'openai in pyproject.toml' });
    // openai-agents-python: `authors = [{ name = "OpenAI", email = "support@openai.com" }]` is not a dependency.
    const names = pythonDependencies('pyproject.toml', agents);
    assert.equal(names[0], 'openai');
    assert.ok(!names.includes('OpenAI') && !names.includes('support'), names.slice(0, 5).join(', '));
    assert.deepEqual(providerOfPythonManifest('pyproject.toml', agents), { provider: 'openai', from: 'openai in pyproject.toml' });
  });

  it('two providers (gpt-researcher: openai, langchain-openai and google-genai) name none, but say several', () => {
    const names = pythonDependencies('requirements.txt', researcher);
    for (const n of ['openai', 'langchain-openai', 'google-genai']) assert.ok(names.includes(n), n);
    assert.deepEqual(providerOfPythonManifest('requirements.txt', researcher), { from: 'langchain-openai, openai, google-genai in requirements.txt', several: true });
    assert.deepEqual(providerOfPythonManifest('requirements.txt', 'anthropic[bedrock]>=0.40  # the SDK\n-r dev.txt\nlangchain-anthropic\n'), { provider: 'anthropic', from: 'anthropic, langchain-anthropic in requirements.txt' });
  });

  it('the nearest folder with either file decides, for Python files only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-pyproject-'));
    try {
      fs.mkdirSync(path.join(dir, 'llm', 'default_plugins'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), llm);
      const projects = new ProjectProviders();
      assert.deepEqual(projects.forFile(path.join(dir, 'llm', 'default_plugins', 'prompts.py'), 'python', dir), { provider: 'openai', from: 'openai in pyproject.toml' });
      assert.equal(projects.forFile(path.join(dir, 'llm', 'app.ts'), 'typescript', dir), undefined);
      // A nearer requirements.txt with two providers wins over the root's pyproject.toml, and names none (only several).
      fs.writeFileSync(path.join(dir, 'llm', 'requirements.txt'), researcher);
      assert.deepEqual(projects.forFile(path.join(dir, 'llm', 'default_plugins', 'prompts.py'), 'python', dir), { from: 'langchain-openai, openai, google-genai in requirements.txt', several: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});


// The CLI priced the same files as the global default: `prompt scan` now finds each file's nearest
// manifest as the editor does (src/engine/cli/projectManifests.ts) and chooses the model with the
// editor's rules (src/shared/hints/modelChoice.ts). Each test lays out one real project's manifest
// in a temporary folder with real prompt files under it; --model gemini-2.5-flash is the fallback,
// so a prompt priced for the manifest's provider cannot be mistaken for the fallback.
describe("prompt scan takes the project's provider from the nearest manifest (real manifests)", function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-scan-project-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  type Item = { file: string; startLine: number; model: string; modelSource: string; modelVia?: string; tokens: number; inputCostUsd?: number };
  async function scan(...args: string[]): Promise<{ json: { prompts: Item[] }; text: string }> {
    const run = async (extra: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(['prompt', 'scan', ...args, '--model', 'gemini-2.5-flash', ...extra], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
      assert.equal(code, 0, err);
      return out;
    };
    return { json: JSON.parse(await run(['--json'])) as { prompts: Item[] }, text: await run([]) };
  }
  function place(fixture: string, rel: string): string {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, read(fixture));
    return file;
  }
  // In file and line order (the scan's own order walks folders last name first).
  const models = (items: Item[]) =>
    items
      .map((p) => [path.basename(p.file), p.startLine, p.model, p.modelSource, p.modelVia] as const)
      .sort((a, b) => a[0].localeCompare(b[0]) || a[1] - b[1]);

  it("openai-agents-python's pyproject.toml: its example's prompts are priced for OpenAI (gpt-5.4)", async () => {
    place('project-provider/openai-agents-python/pyproject.toml', 'pyproject.toml');
    place('scan/python/openai_agents_dynamic_system_prompt.py', 'examples/basic/dynamic_system_prompt.py');
    const { json, text } = await scan(dir);
    const via = `OpenAI's default model (built-in default; openai in ${path.relative(process.cwd(), path.join(dir, 'pyproject.toml'))})`;
    assert.deepEqual(models(json.prompts), [19, 21, 23, 36].map((line) => ['dynamic_system_prompt.py', line, 'gpt-5.4', 'provider', via]));
    assert.ok(text.includes(`\n4 prompts priced for gpt-5.4, ${via}\n`), text);
  });

  it("simon willison's llm: pyproject.toml names openai; a prompt module two folders down takes it", async () => {
    place('project-provider/llm/pyproject.toml', 'pyproject.toml');
    place('scan/python/shell_gpt_role.py', 'llm/default_plugins/roles.py');
    const { json } = await scan(path.join(dir, 'llm'));
    const via = `OpenAI's default model (built-in default; openai in ${path.relative(process.cwd(), path.join(dir, 'pyproject.toml'))})`;
    assert.deepEqual(models(json.prompts), [16, 24, 30, 37, 44].map((line) => ['roles.py', line, 'gpt-5.4', 'provider', via]));
  });

  it("gpt-researcher's requirements.txt names two providers: none, the --model fallback stays (both files, one read)", async () => {
    place('project-provider/gpt-researcher/requirements.txt', 'requirements.txt');
    place('scan/python/gptr_reviewer.py', 'gpt_researcher/skills/reviewer.py');
    place('scan/python/gptr_reviser.py', 'gpt_researcher/skills/reviser.py');
    const { json, text } = await scan(dir);
    // The fallback, saying why: the requirements name several providers (session 37).
    const fallback = ['gemini-2.5-flash', 'default', `--model or the built-in default: the code does not say which provider this prompt goes to, and langchain-openai, openai, google-genai in ${path.relative(process.cwd(), path.join(dir, 'requirements.txt'))} are several providers' SDKs; pass --model with the model the app uses`];
    assert.deepEqual(models(json.prompts), [['reviewer.py', 4], ['reviewer.py', 25], ['reviewer.py', 31], ['reviser.py', 5], ['reviser.py', 33], ['reviser.py', 37]].map((p) => [...p, ...fallback]));
    assert.ok(!text.includes('priced for'), text);
  });

  it("bolt.new's package.json: the CLI prices getSystemPrompt as the editor does (claude-sonnet-4-5, 2,890 tokens × $3/M)", async () => {
    place('project-provider/bolt.new/package.json', 'package.json');
    const file = place('scan/ts/bolt_prompts.ts', 'app/lib/.server/llm/prompts.ts');
    const scanned = await scan(dir);
    // (The scanner also reports a string of package.json itself; only the prompt module matters here.)
    const json = { prompts: scanned.json.prompts.filter((p) => p.file.endsWith('prompts.ts')) };
    const via = `Anthropic's default model (built-in default; @ai-sdk/anthropic in ${path.relative(process.cwd(), path.join(dir, 'package.json'))})`;
    assert.deepEqual(models(json.prompts), [5, 281].map((line) => ['prompts.ts', line, 'claude-sonnet-4-5', 'provider', via]));
    assert.equal(json.prompts[0].tokens, 2890);
    assert.ok(Math.abs((json.prompts[0].inputCostUsd ?? 0) - (2890 * 3) / 1e6) < 1e-12, String(json.prompts[0].inputCostUsd));
    // The editor, on the same file with the same manifest, picks the same model for every prompt.
    const project = new ProjectProviders().forFile(file, 'typescript', dir);
    const editor = await new PromptHintService(() => PriceCatalog.bundled()).compute({ text: read('scan/ts/bolt_prompts.ts'), languageId: 'typescript', fileName: file, defaultModel: 'gemini-2.5-flash', ...(project ? { projectProvider: project } : {}), compareModels: [], callsPerDay: 1, withSuggestions: false });
    assert.deepEqual(editor.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.cost.tokens.count]), json.prompts.map((p) => [p.startLine, p.model, p.tokens]));
  });
});

describe('a manifest with several providers says why the default prices the prompts (node-DeepResearch, newuser37)', () => {
  // jina-ai/node-DeepResearch 579fd95f (Apache-2.0, test/fixtures/node-deepresearch/SOURCES.md) depends on @ai-sdk/google
  // and @ai-sdk/openai; its tools send through its own wrapper, so no file names a provider. The hover said
  // "Model: gpt-5.4, pepperpy.defaultModel." and nothing about why. Since fix38 it also says which setting prices them: the
  // app's own config.json (`defaults.llm_provider: "gemini"`) is not read, its shape being the app's own.
  it('the hover names the SDKs of the manifest and says the code does not choose', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-several-'));
    try {
      fs.mkdirSync(path.join(dir, 'src', 'tools'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), read('node-deepresearch/package.json.txt'));
      const file = path.join(dir, 'src', 'tools', 'query-rewriter.ts');
      const project = new ProjectProviders().forFile(file, 'typescript', dir);
      assert.deepEqual(project, { from: '@ai-sdk/google, @ai-sdk/openai, @ai-sdk/google-vertex in package.json', several: true });
      const hints = await new PromptHintService(() => PriceCatalog.bundled()).compute({ text: read('node-deepresearch/query-rewriter.ts.txt'), languageId: 'typescript', fileName: file, defaultModel: 'gpt-5.4', ...(project ? { projectProvider: project } : {}), compareModels: [], callsPerDay: 1, withSuggestions: false });
      assert.deepEqual([...new Set(hints.prompts.map((p) => `${p.model} ${p.modelSource} ${p.modelVia}`))], ["gpt-5.4 default pepperpy.defaultModel: the code does not say which provider this prompt goes to, and @ai-sdk/google, @ai-sdk/openai, @ai-sdk/google-vertex in package.json are several providers' SDKs; set pepperpy.defaultModel in the workspace settings to the model the app uses"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
