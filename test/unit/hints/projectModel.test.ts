// newuser31 on geekan/MetaGPT: the project picks its model in config/config2.yaml (`llm: model: "gpt-4-turbo"`),
// its prompts' code names none, so every lens priced them as `gpt-5.4, default`. The project's config file is now
// a model source after the code's own (call, same file) and before the provider defaults and pepperpy.defaultModel.
// Oracles: the real config files in test/fixtures/project-model (SOURCES.md), read by hand; genai-prices' input
// price of gpt-4-turbo ($10 per million tokens, OpenAI's list price).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/engine/cli/framework';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import { ProjectModels } from '../../../src/extension/prompt/projectModel';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { envModelEntries, modelOfConfigText, ProjectModelFinder, yamlModelEntries } from '../../../src/shared/projectModel';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => fs.readFileSync(path.join(root, 'test/fixtures/project-model', rel), 'utf8');
const writeCode = fs.readFileSync(path.join(root, 'test/fixtures/hints-real/metagpt_write_code.py'), 'utf8');

describe('the model a project configures in a config file (MetaGPT config2.yaml, .env)', function () {
  this.timeout(60_000);
  let catalog: PriceCatalog;
  const known = (m: string): boolean => catalog.has(m);
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it("reads MetaGPT's llm.model, not the per-role, embedding or models: entries", () => {
    assert.deepEqual(yamlModelEntries(fixture('MetaGPT/config/config2.yaml')), [{ key: 'llm.model', value: 'gpt-4-turbo' }]);
    assert.deepEqual(yamlModelEntries(fixture('MetaGPT/config/config2.example.yaml')), [{ key: 'llm.model', value: 'gpt-4-turbo' }]);
    assert.deepEqual(yamlModelEntries(fixture('MetaGPT/tests/config2.yaml')), [{ key: 'llm.model', value: 'gpt-3.5-turbo' }]);
    assert.deepEqual(yamlModelEntries(fixture('MetaGPT/examples/spo/config2.example.yaml')), [{ key: 'llm.model', value: 'gpt-4o-mini' }]);
    assert.deepEqual(modelOfConfigText('config/config2.yaml', fixture('MetaGPT/config/config2.yaml'), known), { kind: 'model', model: { model: 'gpt-4-turbo', from: 'config/config2.yaml llm.model' } });
  });

  it('near misses name no model: a tool config with a models: list, a workflow step, a docker-compose file', () => {
    assert.deepEqual(yamlModelEntries(fixture('continue-e2e/config.yaml')), []);
    assert.deepEqual(yamlModelEntries(fixture('browser-use/claude.yml')), []);
    assert.deepEqual(yamlModelEntries(fixture('gpt-researcher/docker-compose.yml')), []);
    // A top-level model: that is no LLM the catalog knows (an image classifier's config).
    assert.deepEqual(modelOfConfigText('config.yaml', 'model: resnet50\nepochs: 10\n', known), { kind: 'none' });
    // A flow-style or indented-only key is not the top level.
    assert.deepEqual(yamlModelEntries('services:\n  llm:\n    model: gpt-4o\n    image: ollama/ollama\n'), []);
  });

  it('a .env gives only its chat-model keys: no API key, no embedding model', () => {
    assert.deepEqual(envModelEntries(fixture('copilotkit-finance-erp/.env.example')), [{ key: 'OPENAI_MODEL', value: 'gpt-4o' }]);
    assert.deepEqual(envModelEntries(fixture('copilotkit-oracle-memory/.env.example')), [
      { key: 'CHAT_MODEL', value: 'gpt-5.4-mini' },
      { key: 'MEMORY_LLM_MODEL', value: 'gpt-5.4-mini' },
    ]);
    // Two keys naming the same model are one model.
    assert.deepEqual(modelOfConfigText('.env.example', fixture('copilotkit-oracle-memory/.env.example'), known), { kind: 'model', model: { model: 'gpt-5.4-mini', from: '.env.example CHAT_MODEL' } });
    assert.deepEqual(envModelEntries('export LLM_MODEL="claude-sonnet-4-5" # main\nOPENAI_API_KEY=sk-secret-model\nMODEL_NAME=\n'), [{ key: 'LLM_MODEL', value: 'claude-sonnet-4-5' }]);
  });

  it('one model per role is ambiguous: the file decides there is no single model, it does not pick one', () => {
    const env = 'OPENAI_MODEL=gpt-4o\nANTHROPIC_MODEL=claude-sonnet-4-5\n';
    assert.deepEqual(modelOfConfigText('.env', env, known), { kind: 'several', models: ['gpt-4o', 'claude-sonnet-4-5'] });
    // A name the catalog does not know does not make it ambiguous.
    assert.deepEqual(modelOfConfigText('.env', 'OPENAI_MODEL=gpt-4o\nLOCAL_MODEL=my-finetune\n', known), { kind: 'model', model: { model: 'gpt-4o', from: '.env OPENAI_MODEL' } });
  });

  it('precedence: the call, then the same file, then the config (unless the call goes to another provider), then the defaults', async () => {
    // Invented for this test: four calls, one per rule.
    const text = `from openai import OpenAI
import anthropic

MODEL = "gpt-4o-mini"
client = OpenAI()
claude = anthropic.Anthropic()

def a(q):
    return client.chat.completions.create(model="gpt-4.1", messages=[{"role": "system", "content": "You are a careful assistant who answers questions about invoices."}, {"role": "user", "content": q}])

def b(q):
    return client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "You are a terse assistant who summarizes contracts in two lines."}, {"role": "user", "content": q}])

def c(q, m):
    return client.chat.completions.create(model=m, messages=[{"role": "system", "content": "You are a friendly assistant who explains tax forms to beginners."}, {"role": "user", "content": q}])

def d(q, m):
    return claude.messages.create(model=m, max_tokens=100, system="You are a patient assistant who reviews legal letters for tone.", messages=[{"role": "user", "content": q}])
`;
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const result = await service.compute({ text, languageId: 'python', fileName: '/tmp/calls.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false, projectModel: { model: 'gpt-4-turbo', from: 'config/config2.yaml llm.model' } });
    assert.deepEqual(
      result.prompts.map((p) => [p.location.range.start.line + 1, p.model, p.modelSource, p.modelVia]),
      [
        [9, 'gpt-4.1', 'call', undefined],
        [12, 'gpt-4o-mini', 'resolved', 'from MODEL (line 4)'],
        [15, 'gpt-4-turbo', 'config', 'from config/config2.yaml llm.model'],
        // An Anthropic call in a project configured for an OpenAI model: the config is not Anthropic's.
        [18, 'claude-sonnet-4-5', 'provider', "Anthropic's default model (pepperpy.defaultModels)"],
      ],
    );
  });

  describe('in a project folder (MetaGPT layout)', () => {
    let dir: string;
    const place = (rel: string, text: string): string => {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    };
    beforeEach(() => {
      dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-project-model-')));
      place('config/config2.yaml', fixture('MetaGPT/config/config2.yaml'));
      place('config/config2.example.yaml', fixture('MetaGPT/config/config2.example.yaml'));
      place('tests/config2.yaml', fixture('MetaGPT/tests/config2.yaml'));
      place('docker-compose.yml', fixture('gpt-researcher/docker-compose.yml'));
      place('.github/workflows/claude.yml', fixture('browser-use/claude.yml'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('the nearest folder with a config decides; config2.yaml before the example; changes are read again', () => {
      const models = new ProjectModels();
      const code = place('metagpt/actions/write_code.py', writeCode);
      // Asked first for another workspace folder (one that holds no config): files are named relative to each call's folder.
      assert.equal(models.forFile(code, path.join(dir, 'metagpt'), catalog), undefined);
      assert.deepEqual(models.forFile(code, dir, catalog), { model: 'gpt-4-turbo', from: 'config/config2.yaml llm.model' });
      assert.deepEqual(models.forFile(path.join(dir, 'tests/metagpt/test_x.py'), dir, catalog), { model: 'gpt-3.5-turbo', from: 'tests/config2.yaml llm.model' });
      fs.writeFileSync(path.join(dir, 'config/config2.yaml'), 'llm:\n  api_type: "openai"\n  model: "gpt-4o"\n');
      assert.deepEqual(models.forFile(code, dir, catalog), { model: 'gpt-4o', from: 'config/config2.yaml llm.model' });
      // Without config2.yaml the example decides; without any, none (the workflow and docker-compose are not read).
      fs.rmSync(path.join(dir, 'config/config2.yaml'));
      assert.deepEqual(models.forFile(code, dir, catalog), { model: 'gpt-4-turbo', from: 'config/config2.example.yaml llm.model' });
      fs.rmSync(path.join(dir, 'config'), { recursive: true });
      assert.equal(models.forFile(code, dir, catalog), undefined);
      // Outside the workspace folder nothing above it is read.
      assert.equal(new ProjectModels().forFile(code, path.join(dir, 'metagpt'), catalog), undefined);
    });

    it('a config file naming several models stops the walk: no model, and which file says so', () => {
      place('metagpt/.env', 'OPENAI_MODEL=gpt-4o\nANTHROPIC_MODEL=claude-sonnet-4-5\n');
      const finder = new ProjectModelFinder(known, (f) => path.relative(dir, f));
      assert.deepEqual(finder.forFile(path.join(dir, 'metagpt/actions/write_code.py'), (d) => d === dir), { file: 'metagpt/.env', several: ['gpt-4o', 'claude-sonnet-4-5'] });
    });

    it("MetaGPT's WriteCode prompt is priced for gpt-4-turbo, from config/config2.yaml llm.model ($10/M)", async () => {
      const code = place('metagpt/actions/write_code.py', writeCode);
      const projectModel = new ProjectModels().forFile(code, dir, catalog);
      const service = new PromptHintService(() => PriceCatalog.bundled());
      const base = { text: writeCode, languageId: 'python', fileName: code, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false };
      const result = await service.compute({ ...base, ...(projectModel ? { projectModel } : {}) });
      const [prompt] = result.prompts;
      assert.equal(result.prompts.length, 1);
      assert.deepEqual([prompt.model, prompt.modelSource, prompt.modelVia], ['gpt-4-turbo', 'config', 'from config/config2.yaml llm.model']);
      assert.ok(Math.abs((prompt.cost.inputCostUsd ?? 0) - (prompt.cost.tokens.count * 10) / 1e6) < 1e-12);
      // Before: the global default.
      const before = await service.compute(base);
      assert.deepEqual([before.prompts[0].model, before.prompts[0].modelSource], ['gpt-5.4', 'default']);
      // A configured name the catalog does not know is left out by the engine too.
      const unknown = await service.compute({ ...base, projectModel: { model: 'my-finetune', from: '.env OPENAI_MODEL' } });
      assert.equal(unknown.prompts[0].modelSource, 'default');
    });
    it('prompt scan prices it the same way and says from which file; a .env naming two models is reported, not used', async () => {
      fs.mkdirSync(path.join(dir, '.git'));
      const code = place('metagpt/actions/write_code.py', writeCode);
      const scan = async (...extra: string[]): Promise<string> => {
        let out = '';
        let err = '';
        const status = await runCli(['prompt', 'scan', path.join(dir, 'metagpt'), ...extra], [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
        assert.equal(status, 0, err);
        return out;
      };
      type Item = { file: string; model: string; modelSource: string; modelVia?: string; tokens: number };
      const config = path.relative(process.cwd(), path.join(dir, 'config/config2.yaml'));
      const json = JSON.parse(await scan('--json')) as { prompts: Item[] };
      assert.deepEqual(json.prompts.map((p) => [path.basename(p.file), p.model, p.modelSource, p.modelVia]), [['write_code.py', 'gpt-4-turbo', 'config', `from ${config} llm.model`]]);
      // The editor, on the same file, counts the same tokens for the same model.
      const projectModel = new ProjectModels().forFile(code, dir, catalog);
      const editor = await new PromptHintService(() => PriceCatalog.bundled()).compute({ text: writeCode, languageId: 'python', fileName: code, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false, ...(projectModel ? { projectModel } : {}) });
      assert.deepEqual([editor.prompts[0].model, editor.prompts[0].cost.tokens.count], [json.prompts[0].model, json.prompts[0].tokens]);
      assert.ok((await scan()).includes(`\n1 prompt priced for gpt-4-turbo, from ${config} llm.model\n`));
      place('metagpt/.env', 'OPENAI_API_KEY=sk-do-not-print\nOPENAI_MODEL=gpt-4o\nANTHROPIC_MODEL=claude-sonnet-4-5\n');
      const text = await scan();
      const env = path.relative(process.cwd(), path.join(dir, 'metagpt/.env'));
      assert.ok(text.includes(`\n${env} names several models (gpt-4o, claude-sonnet-4-5): none of them is used\n`), text);
      assert.ok(text.includes('(gpt-5.4)'), text);
      assert.ok(!text.includes('sk-do-not-print'), text);
    });
  });
});
