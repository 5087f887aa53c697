// llamacoder (Nutlope/llamacoder, MIT; test/fixtures/hints-real/SOURCES.md) calls Together AI only: package.json depends
// on together-ai, the routes call `together.chat.completions.create`. newuser28 saw every prompt of lib/prompts.ts priced
// for gpt-5.4 (the global default: together-ai was no known provider) and the call's provider read as OpenAI's.
// Oracle: the files read by hand; the default model and its price from genai-prices 0.1.8's Together AI list
// (meta-llama/Llama-3.3-70B-Instruct-Turbo, $0.88 per 1M input tokens).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { providerOfManifest } from '../../../src/shared/projectProvider';
import { pricingName, promptProvider, providerOfImports } from '../../../src/shared/prompt/scanner/models';

const root = path.resolve(__dirname, '../../../..');
const read = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');
const TOGETHER_DEFAULT = 'meta-llama/Llama-3.3-70B-Instruct-Turbo';

describe('hints: Together AI as a provider (llamacoder)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('the SDK, the manifest and LiteLLM-style names say Together AI', () => {
    assert.equal(providerOfImports(['together-ai']), 'together');
    assert.equal(providerOfImports(['together']), 'together');
    assert.deepEqual(providerOfManifest({ dependencies: { 'together-ai': '^0.13.0', next: '15.0.0' } }), { provider: 'together', from: 'together-ai in package.json' });
    assert.equal(pricingName('together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo'), 'together:meta-llama/Llama-3.3-70B-Instruct-Turbo');
    // The OpenAI-style call of Together's SDK is Together's; with OpenAI's SDK imported too it stays OpenAI's.
    assert.equal(promptProvider('OpenAI', ['together.chat.completions.create'], ['together-ai']), 'together');
    assert.equal(promptProvider('OpenAI', ['client.chat.completions.create'], ['together-ai', 'openai']), 'openai');
    assert.equal(promptProvider('OpenAI', ['client.chat.completions.create'], ['openai']), 'openai');
  });

  it('lib/prompts.ts (a prompt module) is priced with Together AI\'s default model, not gpt-5.4', async () => {
    const text = read('llamacoder_prompts.ts');
    const projectProvider = providerOfManifest({ dependencies: { 'together-ai': '^0.13.0' } });
    const result = await service.compute({ text, languageId: 'typescript', fileName: 'prompts.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(projectProvider ? { projectProvider } : {}) });
    assert.ok(result.prompts.length >= 2, String(result.prompts.length));
    for (const hint of result.prompts) {
      assert.equal(hint.model, TOGETHER_DEFAULT);
      assert.equal(hint.modelSource, 'provider');
      assert.equal(hint.cost.inputPerMTok, 0.88);
    }
  });

  it('a call through together.chat.completions.create with a model it cannot resolve takes Together AI\'s default', async () => {
    const text = [
      'import Together from "together-ai";',
      'const together = new Together();',
      'export async function title(model: string, prompt: string) {',
      '  return together.chat.completions.create({ model, messages: [{ role: "system", content: "Create a succinct 3-5 word title for this chat. Return only the title." }, { role: "user", content: prompt }] });',
      '}',
    ].join('\n');
    const result = await service.compute({ text, languageId: 'typescript', fileName: 'route.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.deepEqual(result.prompts.map((h) => [h.model, h.modelSource]), [[TOGETHER_DEFAULT, 'provider']]);
  });

  it('the title route\'s call is labelled Together AI, not OpenAI (hover title, code lens, evidence)', async () => {
    // app/api/generate-chat-title/route.ts:103, `together.chat.completions.create(...)` with `import Together from "together-ai"`:
    // newuser28 saw the hover title "system prompt content (OpenAI)".
    const text = read('llamacoder_chat_title_route.ts');
    const result = await service.compute({ text, languageId: 'typescript', fileName: 'route.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.equal(result.prompts.length, 1);
    const loc = result.prompts[0].location;
    assert.equal(loc.api, 'Together AI');
    assert.equal(loc.provider, 'together');
    assert.ok(loc.evidence.some((e) => e.detail === 'passed to together.chat.completions.create (Together AI)'), JSON.stringify(loc.evidence));
  });

  it('groq-sdk\'s OpenAI-style call is labelled Groq; with OpenAI\'s SDK imported too it stays OpenAI', async () => {
    const call = 'export const r = client.chat.completions.create({ model: "llama-3.3-70b-versatile", messages: [{ role: "system", content: "You are a terse assistant. Answer in one sentence, citing the source document." }] });';
    const label = async (imports: string[]): Promise<string | undefined> => {
      const text = [...imports, 'const client = new Groq();', call].join('\n');
      const result = await service.compute({ text, languageId: 'typescript', fileName: 'a.ts', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.equal(result.prompts.length, 1);
      return result.prompts[0].location.api;
    };
    assert.equal(await label(['import Groq from "groq-sdk";']), 'Groq');
    assert.equal(await label(['import Groq from "groq-sdk";', 'import OpenAI from "openai";']), 'OpenAI');
  });
});
