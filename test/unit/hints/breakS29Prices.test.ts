// break29: LiteLLM route prefixes the price lookup did not know. A LiteLLM call names its model as `<route>/<model>`;
// `azure/gpt-4o`, `cohere_chat/command-r-plus` and `fireworks_ai/accounts/fireworks/models/…` showed "no price", and
// LiteLLM's local `ollama/llama3` too (the engine prices `ollama:llama3` at $0 as a local model).
// Oracle: LiteLLM's provider docs for the route names; the prices read from genai-prices 0.1.8's bundled data by hand
// (Azure lists no gpt-4o and falls back to OpenAI's list: $2.50 per 1M input tokens; Cohere's command-r-plus $2.50;
// Fireworks' accounts/fireworks/models/deepseek-v3p2 $0.56).
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { pricingName } from '../../../src/shared/prompt/scanner/models';

const SYSTEM = 'You are a helpful assistant that answers questions about cooking recipes in detail.';
const litellmCall = (model: string): string =>
  ['import litellm', 'def run(q):', `    return litellm.completion(model="${model}", messages=[{"role": "system", "content": "${SYSTEM}"}, {"role": "user", "content": q}])`, ''].join('\n');

describe('hints: LiteLLM route prefixes are priced (break29)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('the route prefix becomes the catalog provider', () => {
    assert.equal(pricingName('azure/gpt-4o'), 'azure:gpt-4o');
    assert.equal(pricingName('cohere_chat/command-r-plus'), 'cohere:command-r-plus');
    assert.equal(pricingName('fireworks_ai/accounts/fireworks/models/deepseek-v3p2'), 'fireworks:accounts/fireworks/models/deepseek-v3p2');
    assert.equal(pricingName('ollama/llama3'), 'ollama:llama3');
    assert.equal(pricingName('ollama_chat/llama3.1'), 'ollama:llama3.1');
  });

  const cases: Array<[string, number]> = [
    ['azure/gpt-4o', 2.5],
    ['cohere_chat/command-r-plus', 2.5],
    ['fireworks_ai/accounts/fireworks/models/deepseek-v3p2', 0.56],
    ['ollama/llama3', 0],
    ['ollama_chat/llama3.1', 0],
  ];
  for (const [model, perMTok] of cases) {
    it(`litellm.completion(model="${model}") is priced at $${perMTok} per 1M input tokens`, async () => {
      const result = await service.compute({ text: litellmCall(model), languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
      assert.equal(result.prompts.length, 1);
      const hint = result.prompts[0];
      assert.equal(hint.model, model);
      assert.equal(hint.cost.error, undefined);
      assert.equal(hint.cost.inputPerMTok, perMTok);
    });
  }
});
