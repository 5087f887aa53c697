// Context windows outside OpenAI come from genai-prices' `context_window` for the model the price
// catalog matched (the hover said "Context window: unknown" for every Claude model). The oracle reads
// the package's bundled data directly (waitForUpdate), and Anthropic's published figure for Claude
// Sonnet 4.5 (200,000 tokens) is checked against it, so a wrong route or a changed catalog both fail.
import * as assert from 'node:assert/strict';
import { waitForUpdate } from '@pydantic/genai-prices';
import { PriceCatalog, sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { contextWindowOf } from '../../../src/shared/hints/contextWindows';
import { PromptHintService } from '../../../src/shared/hints/hints';

async function catalogWindow(provider: string, id: string): Promise<number | undefined> {
  const providers = await waitForUpdate();
  return providers?.find((p) => p.id === provider)?.models.find((m) => m.id === id)?.context_window;
}

describe('context windows', () => {
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('a Claude model gets the window genai-prices lists for it, named as from that package', async () => {
    const expected = await catalogWindow('anthropic', 'claude-sonnet-4-5');
    assert.equal(expected, 200_000, "Anthropic's documented window for Claude Sonnet 4.5");
    const window = contextWindowOf('claude-sonnet-4-5', catalog);
    assert.deepEqual(window, { tokens: 200_000, source: catalog.contextWindow('claude-sonnet-4-5')?.source.name });
    assert.match(window.source, /^@pydantic\/genai-prices@\S+ bundled data$/);
  });

  it('a dated snapshot is the same model (no "listed for"); a name matched by prefix names the catalog model', async () => {
    assert.equal(contextWindowOf('claude-sonnet-4-5-20250929', catalog)?.source.includes('listed for'), false);
    const prefix = contextWindowOf('claude-sonnet-4-5-super', catalog);
    assert.equal(prefix?.tokens, await catalogWindow('anthropic', 'claude-sonnet-4-5'));
    assert.match(prefix?.source ?? '', /, listed for claude-sonnet-4-5$/);
  });

  it("OpenAI models keep gpt-tokenizer's figure; an unknown model stays unknown", () => {
    assert.deepEqual(contextWindowOf('gpt-4o', catalog), { tokens: 128_000, source: 'gpt-tokenizer 4.0.0 model data' });
    assert.equal(contextWindowOf('my-inhouse-model-7', catalog), undefined);
    // A fine-tune has its base model's window (break25: `ft:` names had none).
    assert.deepEqual(contextWindowOf('ft:gpt-4o-mini-2024-07-18:acme::9xYz', catalog), { tokens: 128_000, source: "gpt-tokenizer 4.0.0 model data, of the fine-tune's base model gpt-4o-mini-2024-07-18" });
    assert.equal(contextWindowOf('claude-sonnet-4-5'), undefined, 'without a catalog nothing is guessed');
  });

  it('the model hover of a Claude literal carries the window (it said "unknown")', async () => {
    const code = 'import anthropic\nclient = anthropic.Anthropic()\nr = client.messages.create(model="claude-sonnet-4-5", max_tokens=100, system="You are a terse assistant. Answer in one sentence.", messages=[])\n';
    const hints = await new PromptHintService(sharedPriceCatalog).compute({ text: code, languageId: 'python', fileName: 'app.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1, withSuggestions: false });
    const model = hints.models.find((m) => m.name === 'claude-sonnet-4-5');
    assert.equal(model?.contextWindow?.tokens, 200_000);
    const prompt = hints.prompts.find((p) => p.model === 'claude-sonnet-4-5');
    assert.equal(prompt?.contextWindow?.contextWindow, 200_000);
    assert.equal(prompt?.contextWindow?.share, prompt.cost.tokens.count / 200_000);
  });
});
