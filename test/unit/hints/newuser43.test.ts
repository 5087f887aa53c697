// newuser43 ran the extension on mem0ai/mem0 (Apache-2.0, commit 8d5b7865bd0521e75fe9ab1b260eeccc83f8a378): every prompt of
// mem0-ts was priced for gpt-4-turbo ("from mem0-ts/src/oss/.env.example OPENAI_COMPLETION_MODEL", $429.60 a month for
// getUpdateMemoryMessages), a variable no file of mem0-ts reads: its OpenAI LLM uses `config.model || "gpt-5-mini"`.
// The .env.example is copied unchanged (test/fixtures/project-model/SOURCES.md); the code files are written for this test.
// Oracle: `grep -rn OPENAI_COMPLETION_MODEL mem0-ts` at that commit finds only the .env.example.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { ProjectModelFinder } from '../../../src/shared/projectModel';
import { providerOfPythonManifest } from '../../../src/shared/projectProvider';

const root = path.resolve(__dirname, '../../../..');
const envExample = fs.readFileSync(path.join(root, 'test/fixtures/project-model/mem0-ts-oss/.env.example'), 'utf8');

describe('project model: an example .env key counts only where the code reads it (newuser43, mem0-ts)', () => {
  let catalog: PriceCatalog;
  let dir: string;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'newuser43-env-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const place = (rel: string, text: string): string => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  };
  const answer = (file: string) => new ProjectModelFinder((m) => catalog.has(m), (f) => path.relative(dir, f).split(path.sep).join('/')).forFile(file, (d) => d === dir);

  it("mem0-ts' OPENAI_COMPLETION_MODEL, read by no file, names no project model", () => {
    place('oss/.env.example', envExample);
    place('oss/src/llms/openai.ts', 'export class OpenAILLM {\n  constructor(config: { model?: string }) {\n    this.model = config.model || "gpt-5-mini";\n  }\n}\n');
    // Dependencies and builds are not the project's code: a mention there reads nothing.
    place('oss/node_modules/some-sdk/index.js', 'const m = process.env.OPENAI_COMPLETION_MODEL;\n');
    const prompts = place('oss/src/prompts/index.ts', 'export const SYSTEM = `You are a memory manager.`;\n');
    // Before: { file: 'oss/.env.example', model: { model: 'gpt-4-turbo-preview', from: 'oss/.env.example OPENAI_COMPLETION_MODEL' } }.
    assert.equal(answer(prompts), undefined);
  });

  it('read by the code (process.env, os.getenv, a pydantic settings field of that name), it counts; a real .env counts as written', () => {
    place('oss/.env.example', envExample);
    const prompts = place('oss/src/prompts/index.ts', 'export const SYSTEM = `You are a memory manager.`;\n');
    const expected = { file: 'oss/.env.example', model: { model: 'gpt-4-turbo-preview', from: 'oss/.env.example OPENAI_COMPLETION_MODEL' } };
    for (const reader of [
      'const model = process.env.OPENAI_COMPLETION_MODEL ?? "gpt-5-mini";\n',
      'model = os.getenv("OPENAI_COMPLETION_MODEL", "gpt-5-mini")\n',
      'class Settings(BaseSettings):\n    openai_completion_model: str = "gpt-5-mini"\n',
    ]) {
      const file = place('oss/src/config.ts', reader);
      assert.deepEqual(answer(prompts), expected, reader);
      fs.rmSync(file);
    }
    // The same key in the user's own .env is a setting, read or not.
    fs.renameSync(path.join(dir, 'oss/.env.example'), path.join(dir, 'oss/.env'));
    assert.deepEqual(answer(prompts), { file: 'oss/.env', model: { model: 'gpt-4-turbo-preview', from: 'oss/.env OPENAI_COMPLETION_MODEL' } });
  });
});

describe('project provider: each SDK named once (newuser43, mem0 pyproject.toml)', () => {
  it("mem0's pyproject.toml lists openai twice (dependencies and an optional group): the hover names it once", () => {
    const text = fs.readFileSync(path.join(root, 'test/fixtures/project-provider/mem0/pyproject.toml'), 'utf8');
    // Before: 'openai, groq, together, openai, … in pyproject.toml'. The providers' SDKs in the file's order: openai (line 19),
    // groq, together, openai again (61), vertexai, google-generativeai, google-genai (litellm and ollama name no provider).
    // Since leftovers47 an optional group's SDKs are alternatives that decide nothing: `dependencies` (lines 16-25) lists one
    // provider's SDK, openai, which installing mem0 installs (its default LLM), so it decides; named once still.
    assert.deepEqual(providerOfPythonManifest('pyproject.toml', text), { provider: 'openai', from: 'openai in pyproject.toml' });
  });
});

describe("model: getattr's default names the model (newuser43, mem0 llm_reranker.py)", () => {
  it("LLMReranker's _SYSTEM_PROMPT is priced for gpt-5-mini, the file's only model (`model=getattr(config, 'model', 'gpt-5-mini')`)", async () => {
    const text = fs.readFileSync(path.join(root, 'test/fixtures/hints-real/mem0_llm_reranker.py'), 'utf8');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const result = await service.compute({ text, languageId: 'python', fileName: '/p/mem0/reranker/llm_reranker.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    // Before: ['gpt-5.4', 'default', 'pepperpy.defaultModel'] (getattr's default was not read, so the file set no model).
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelSource, p.modelVia]),
      [[79, 'gpt-5-mini', 'file', "the only model set in this file (getattr(config, 'model', 'gpt-5-mini')), line 30"]],
    );
    // gpt-5-mini's input price in the bundled catalog: $0.25 per million tokens.
    const [prompt] = result.prompts;
    assert.ok(Math.abs((prompt.cost.inputCostUsd ?? 0) - (prompt.cost.tokens.count * 0.25) / 1e6) < 1e-12);
    // The provider's default (getattr's second argument) is no model: `provider=getattr(config, 'provider', 'openai')`.
    assert.deepEqual(result.models.map((m) => [m.range.start.line + 1, m.name]), [[30, 'gpt-5-mini']]);
  });
});
