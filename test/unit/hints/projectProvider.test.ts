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
import { ProjectProviders, providerOfManifest, providerOfPythonManifest, pythonDependencies } from '../../../src/extension/prompt/projectProvider';
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

  it('the nearest package.json decides; a manifest naming two providers, none or broken names none', () => {
    const nested = path.join(dir, 'packages', 'web');
    fs.mkdirSync(nested, { recursive: true });
    const projects = new ProjectProviders();
    const file = path.join(nested, 'prompt.ts');
    fs.writeFileSync(path.join(nested, 'package.json'), JSON.stringify({ dependencies: { '@ai-sdk/anthropic': '1', openai: '4' } }));
    assert.equal(projects.forFile(file, 'typescript', dir), undefined);
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

  it('two providers (gpt-researcher: openai, langchain-openai and google-genai) name none', () => {
    const names = pythonDependencies('requirements.txt', researcher);
    for (const n of ['openai', 'langchain-openai', 'google-genai']) assert.ok(names.includes(n), n);
    assert.equal(providerOfPythonManifest('requirements.txt', researcher), undefined);
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
      // A nearer requirements.txt with two providers wins over the root's pyproject.toml, and names none.
      fs.writeFileSync(path.join(dir, 'llm', 'requirements.txt'), researcher);
      assert.equal(projects.forFile(path.join(dir, 'llm', 'default_plugins', 'prompts.py'), 'python', dir), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

