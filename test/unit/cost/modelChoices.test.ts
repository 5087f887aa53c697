// The model picker's key-based models (src/shared/modelChoices.ts), checked against the
// bundled @pydantic/genai-prices data and data/retired-models.json (the oracle: both are
// independent sourced data; the expected prices below are the ones those files list).
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { currentKeyModels, localCostDetail, perMillion } from '../../../src/shared/modelChoices';

const AT = new Date('2026-12-03T00:00:00Z');

describe('Model picker: key-based models from the price catalog', () => {
  it('lists current OpenAI chat models cheapest first, without retired, deprecated or non-chat ones', async () => {
    const catalog = await PriceCatalog.bundled();
    const models = currentKeyModels(catalog, 'openai', { at: AT });
    const names = models.map((m) => m.name);
    assert.deepEqual(names.slice(0, 4), ['openai:gpt-oss-20b', 'openai:gpt-oss-120b', 'openai:gpt-oss-safeguard-20b', 'openai:gpt-5-nano']);
    const mini = models.find((m) => m.name === 'openai:gpt-5.4-mini');
    assert.deepEqual(mini && [mini.label, mini.inputPerMTok, mini.outputPerMTok], ['GPT-5.4 mini', 0.75, 4.5]);
    // Retired (o1, gpt-4.1-nano) and shutdown-announced (gpt-4o, gpt-5) models per data/retired-models.json; embeddings, audio and images are not chat.
    for (const gone of ['openai:o1', 'openai:gpt-4.1-nano', 'openai:gpt-4o', 'openai:gpt-5', 'openai:gpt-4o-mini', 'openai:text-embedding-3-small', 'openai:gpt-audio', 'openai:gpt-image-1', 'openai:gpt-realtime']) {
      assert.ok(!names.includes(gone), `${gone} is listed`);
    }
    assert.equal(models.length, 26);
    assert.ok(models.every((m) => m.source.startsWith('@pydantic/genai-prices@')));
  });

  it('lists Anthropic models the same way; a retired one (claude-3-opus-latest) is left out', async () => {
    const catalog = await PriceCatalog.bundled();
    const models = currentKeyModels(catalog, 'anthropic', { at: AT });
    assert.equal(models[0].name, 'anthropic:claude-3-haiku');
    assert.ok(!models.some((m) => m.name === 'anthropic:claude-3-opus-latest'));
    // Retired as claude-3-5-sonnet-20240620 in the list; the catalog prices that snapshot as claude-3-5-sonnet.
    assert.ok(!models.some((m) => m.name === 'anthropic:claude-3-5-sonnet'));
    const haiku = models.find((m) => m.name === 'anthropic:claude-haiku-4-5');
    assert.deepEqual(haiku && [haiku.inputPerMTok, haiku.outputPerMTok], [1, 5]);
  });

  it('says each cost basis in one line', () => {
    assert.equal(perMillion(0.75, 4.5), '$0.75 in / $4.50 out per 1M tokens');
    assert.equal(perMillion(0.05, 0.4), '$0.05 in / $0.40 out per 1M tokens');
    assert.equal(perMillion(0.029, 0.14), '$0.029 in / $0.14 out per 1M tokens');
    assert.equal(localCostDetail('http://127.0.0.1:11434/v1'), '$0, runs on localhost:11434 (local, $0)');
  });
});
