// break32: inputs that broke the project config model (cfg32). Oracles: the files read by hand.
// - A config2.yaml saved with a byte order mark (Notepad) named no model: `\uFEFFllm:` was not the top-level `llm:`.
// - A .env with OPENAI_MODEL=gpt-4o-mini and OPENAI_MODERATION_MODEL=omni-moderation-latest (a common pair in
//   .env examples) was "several models", so none was used; a moderation, speech or embedding model takes no prompt.
// - An OpenAI SDK call to an OpenAI-compatible server (`OpenAI(base_url=os.getenv("OPENAI_BASE_URL"))`,
//   model=os.getenv("OPENAI_MODEL")) in a project whose .env says OPENAI_MODEL=deepseek-chat was priced as
//   "OpenAI's default model" gpt-5.4: the configured model was skipped because its provider is DeepSeek.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { modelOfConfigText, ProjectModelFinder, yamlModelEntries as yamlEntries } from '../../../src/shared/projectModel';

describe('project config model: inputs that broke it (break32)', function () {
  this.timeout(60_000);
  let catalog: PriceCatalog;
  const known = (m: string): boolean => catalog.has(m);
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('a config file that starts with a byte order mark is read', () => {
    const yaml = '\uFEFFllm:\r\n  api_type: "openai"\r\n  model: "gpt-4-turbo"  # or gpt-3.5-turbo\r\n';
    assert.deepEqual(modelOfConfigText('config/config2.yaml', yaml, known), { kind: 'model', model: { model: 'gpt-4-turbo', from: 'config/config2.yaml llm.model' } });
    assert.deepEqual(modelOfConfigText('config.yaml', '\uFEFFmodel: gpt-4o\n', known), { kind: 'model', model: { model: 'gpt-4o', from: 'config.yaml model' } });
    assert.deepEqual(modelOfConfigText('.env', '\uFEFFOPENAI_MODEL=gpt-4o\n', known), { kind: 'model', model: { model: 'gpt-4o', from: '.env OPENAI_MODEL' } });
  });

  it('moderation, speech and embedding models beside the chat model do not make a .env ambiguous', () => {
    const env = 'OPENAI_API_KEY=sk-not-a-real-key\nOPENAI_MODEL=gpt-4o-mini\nOPENAI_MODERATION_MODEL=omni-moderation-latest\n';
    assert.deepEqual(modelOfConfigText('.env', env, known), { kind: 'model', model: { model: 'gpt-4o-mini', from: '.env OPENAI_MODEL' } });
    // Keys that do not say what the model is for: the name does.
    const voice = 'DEFAULT_MODEL=gpt-4.1-mini\nVOICE_MODEL=gpt-4o-mini-tts\nLISTEN_MODEL=gpt-4o-mini-transcribe\nCHECK_MODEL=omni-moderation-latest\n';
    assert.deepEqual(modelOfConfigText('.env', voice, known), { kind: 'model', model: { model: 'gpt-4.1-mini', from: '.env DEFAULT_MODEL' } });
    // Near miss: two chat models are still two.
    assert.deepEqual(modelOfConfigText('.env', 'OPENAI_MODEL=gpt-4o-mini\nSUMMARY_MODEL=gpt-4o\nMODERATION_MODEL=omni-moderation-latest\n', known), { kind: 'several', models: ['gpt-4o-mini', 'gpt-4o'] });
  });

  it('an OpenAI SDK call takes a configured DeepSeek/Qwen model (OpenAI-compatible server), not a configured Claude model', async () => {
    const openaiCall = `import os
from openai import OpenAI

client = OpenAI(base_url=os.getenv("OPENAI_BASE_URL"), api_key=os.getenv("OPENAI_API_KEY"))

def ask(q):
    return client.chat.completions.create(model=os.getenv("OPENAI_MODEL"), messages=[{"role": "system", "content": "You are a careful assistant who answers questions about invoices."}, {"role": "user", "content": q}])
`;
    const anthropicCall = `import os
import anthropic

claude = anthropic.Anthropic()

def ask(q):
    return claude.messages.create(model=os.getenv("MODEL"), max_tokens=100, system="You are a patient assistant who reviews legal letters for tone.", messages=[{"role": "user", "content": q}])
`;
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const price = async (text: string, model: string): Promise<unknown[]> => {
      const result = await service.compute({ text, languageId: 'python', fileName: '/tmp/ask.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false, projectModel: { model, from: '.env OPENAI_MODEL' } });
      return result.prompts.map((p) => [p.model, p.modelSource]);
    };
    assert.deepEqual(await price(openaiCall, 'deepseek-chat'), [['deepseek-chat', 'config']]);
    assert.deepEqual(await price(openaiCall, 'qwen-max'), [['qwen-max', 'config']]);
    assert.deepEqual(await price(openaiCall, 'gpt-4o'), [['gpt-4o', 'config']]);
    // Near misses: Claude is called with Anthropic's SDK; an Anthropic call is no call to DeepSeek.
    assert.deepEqual(await price(openaiCall, 'claude-sonnet-4-5'), [['gpt-5.4', 'provider']]);
    assert.deepEqual(await price(anthropicCall, 'deepseek-chat'), [['claude-sonnet-4-5', 'provider']]);
    assert.deepEqual(await price(anthropicCall, 'claude-opus-4-1'), [['claude-opus-4-1', 'config']]);
  });

  it('a .env written as UTF-16 (PowerShell 5: echo OPENAI_MODEL=gpt-4o > .env) is read; an unreadable or special file names nothing', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-break32-')));
    try {
      const code = path.join(dir, 'app', 'ask.py');
      fs.mkdirSync(path.dirname(code));
      const finder = (): ProjectModelFinder => new ProjectModelFinder(known, (f) => path.relative(dir, f));
      const stop = (d: string): boolean => d === dir;
      fs.writeFileSync(path.join(dir, '.env'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('OPENAI_MODEL=gpt-4o\r\n', 'utf16le')]));
      assert.deepEqual(finder().forFile(code, stop), { file: '.env', model: { model: 'gpt-4o', from: '.env OPENAI_MODEL' } });
      const be = Buffer.from('OPENAI_MODEL=gpt-4o-mini\r\n', 'utf16le');
      be.swap16();
      fs.writeFileSync(path.join(dir, '.env'), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
      assert.deepEqual(finder().forFile(code, stop), { file: '.env', model: { model: 'gpt-4o-mini', from: '.env OPENAI_MODEL' } });
      // A symbolic link that loops, and one to a folder, name nothing (and throw nothing).
      fs.rmSync(path.join(dir, '.env'));
      fs.symlinkSync(path.join(dir, 'config.yaml'), path.join(dir, 'config.yaml'));
      fs.symlinkSync(dir, path.join(dir, 'config.yml'));
      assert.equal(finder().forFile(code, stop), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a comment after `llm:` still opens the llm mapping; a value that is only a comment is no value', () => {
    const yaml = 'llm:  # the default LLM, see docs\n  api_type: "openai"\n  model: "gpt-4o-mini"\n';
    assert.deepEqual(modelOfConfigText('config/config2.yaml', yaml, known), { kind: 'model', model: { model: 'gpt-4o-mini', from: 'config/config2.yaml llm.model' } });
    assert.deepEqual(yamlEntries('model: # set me\nllm_model: gpt-4o#2\n'), [{ key: 'llm_model', value: 'gpt-4o#2' }]);
  });
});
