// break29: `mistralai/Mixtral-8x7B-Instruct-v0.1` (a Hugging Face id, as Together AI and Hugging Face providers name the
// checkpoint) was read as "Mistral's API, model Mixtral-8x7B-Instruct-v0.1" and priced at Mistral's mixtral-8x7b ($0.70,
// "closest match"), though Together AI lists that exact id; `mistralai/Mistral-7B-Instruct-v0.3` and `google/gemma-2-9b-it`
// got no price at all. Oracle: genai-prices 0.1.8's bundled data read by hand (dist/index.cjs): Together AI lists
// mistralai/Mixtral-8x7B-Instruct-v0.1 at input_mtok 0.9; the first provider listing google/gemma-2-9b-it exactly is
// Hugging Face (Nebius) at 0.03; DeepSeek lists deepseek-chat and Anthropic claude-sonnet-4-5 (route names stay routes).
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { catalogPricingName, pricingName } from '../../../src/shared/prompt/scanner/models';

describe('hints: open-weights ids written org/model are priced as written', function () {
  this.timeout(60_000);
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });
  const name = (n: string): string => catalogPricingName(n, catalog);

  it('a Hugging Face org is not the provider\'s API when the provider does not sell that checkpoint', () => {
    assert.equal(pricingName('mistralai/Mixtral-8x7B-Instruct-v0.1'), 'mistral:Mixtral-8x7B-Instruct-v0.1');
    assert.equal(name('mistralai/Mixtral-8x7B-Instruct-v0.1'), 'mistralai/Mixtral-8x7B-Instruct-v0.1');
    assert.equal(catalog.lookup(name('mistralai/Mixtral-8x7B-Instruct-v0.1')).inputPerMTok, 0.9);
    assert.equal(catalog.lookup(name('mistralai/Mixtral-8x7B-Instruct-v0.1')).provider, 'together');
    assert.equal(catalog.lookup(name('google/gemma-2-9b-it')).inputPerMTok, 0.03);
  });

  it('route names the provider sells stay the provider\'s (LiteLLM, LangChain)', () => {
    assert.equal(name('deepseek/deepseek-chat'), 'deepseek:deepseek-chat');
    assert.equal(name('anthropic/claude-sonnet-4-5'), 'anthropic:claude-sonnet-4-5');
    assert.equal(name('mistralai:mistral-large-latest'), 'mistral:mistral-large-latest');
    assert.equal(name('cohere/command-r-plus'), 'cohere:command-r-plus');
    assert.equal(name('gpt-4o'), 'gpt-4o');
    // Nobody lists it: the provider's closest match stays (and says so), as before.
    assert.equal(name('mistralai/Mixtral-8x7B-Instruct-v9.9'), 'mistral:Mixtral-8x7B-Instruct-v9.9');
  });

  // break30b: a route prefix that is no Hugging Face organisation (LiteLLM's deepseek/, cohere/) names the provider's
  // API. Oracle, genai-prices' bundled data read by hand (dist/index.cjs): DeepSeek's deepseek-reasoner matches
  // starts_with "deepseek-r1"; Cohere's command-r matches equals "command-r-08-2024" (0.15/0.6);
  // Novita lists "deepseek/deepseek-r1" at 4/4 and comes first among the hosts listing that exact id, which is what
  // 7c82f5c priced it at. x-ai's list has no grok-beta, so OpenRouter's x-ai/grok-beta (5/15) stays.
  it('a route name the provider prices stays the provider\'s even when a host lists the exact id', () => {
    assert.equal(name('deepseek/deepseek-r1'), 'deepseek:deepseek-r1');
    assert.equal(catalog.lookup(name('deepseek/deepseek-r1')).provider, 'deepseek');
    assert.equal(catalog.lookup(name('deepseek/deepseek-r1')).matchedModel, 'deepseek-reasoner');
    assert.equal(name('deepseek/deepseek-r1-0528'), 'deepseek:deepseek-r1-0528');
    assert.equal(name('cohere/command-r-08-2024'), 'cohere:command-r-08-2024');
    assert.equal(catalog.lookup(name('cohere/command-r-08-2024')).provider, 'cohere');
    assert.equal(catalog.lookup(name('cohere/command-r-08-2024')).inputPerMTok, 0.15);
    // OpenAI's gpt-4-turbo lists equals "gpt-4-1106-preview": LiteLLM's openai/ route is OpenAI's API, not OpenRouter's id.
    assert.equal(name('openai/gpt-4-1106-preview'), 'openai:gpt-4-1106-preview');
    assert.equal(catalog.lookup(name('openai/gpt-4-1106-preview')).provider, 'openai');
    // Not priced by x-ai at all: the id as written, where OpenRouter lists it.
    assert.equal(name('x-ai/grok-beta'), 'x-ai/grok-beta');
    assert.equal(catalog.lookup(name('x-ai/grok-beta')).inputPerMTok, 5);
    // A checkpoint org keeps the as-written price (mistralai/, google/).
    assert.equal(name('mistralai/Mixtral-8x7B-Instruct-v0.1'), 'mistralai/Mixtral-8x7B-Instruct-v0.1');
  });

  it('the lens and the model hover price a Together call of mistralai/Mixtral-8x7B-Instruct-v0.1 at $0.90 per 1M', async () => {
    const service = new PromptHintService(() => Promise.resolve(catalog));
    const text = [
      'from together import Together',
      'client = Together()',
      'response = client.chat.completions.create(',
      '    model="mistralai/Mixtral-8x7B-Instruct-v0.1",',
      '    messages=[{"role": "system", "content": "You are a travel agent. Suggest three cities to visit in spring and say why."}],',
      ')',
    ].join('\n');
    const result = await service.compute({ text, languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.deepEqual(result.prompts.map((p) => [p.model, p.cost.inputPerMTok]), [['mistralai/Mixtral-8x7B-Instruct-v0.1', 0.9]]);
    const hover = result.models.find((m) => m.name === 'mistralai/Mixtral-8x7B-Instruct-v0.1');
    assert.equal(hover?.price?.inputPerMTok, 0.9);
    assert.equal(hover?.price?.pricedAs, undefined);
  });
});
