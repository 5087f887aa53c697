// A new user's hour with llamacoder (newuser28): its title route sends a system prompt to TITLE_MODEL,
// "Qwen/Qwen3.5-9B", through the together-ai SDK. The price data has no Together AI price for that
// model; the price shown was another host's (Doubleword's) and nothing said so. The hint now names the
// host whose price it is. Since model40 the host is the one the code calls (Together AI, whose SDK sends it): the price
// data has no Together price for Qwen/Qwen3.5-9B, so the hint says so and shows no other host's. Source: test/fixtures/hints-real/SOURCES.md. Oracle: the file read by hand
// (the literal on line 112, the model on line 15) and genai-prices 0.1.8's data read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

const root = path.resolve(__dirname, '../../../..');
const rel = 'llamacoder_chat_title_route.ts';
const source = readFileSync(path.join(root, 'test/fixtures/hints-real', rel), 'utf8');

describe('hints: the host of an open-weights model price (llamacoder title route)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it('the title prompt for Qwen/Qwen3.5-9B goes to Together AI, which the price data has no price of: no other host\'s price', async () => {
    const result = await service.compute({ text: source, languageId: 'typescript', fileName: rel, defaultModel: 'gpt-5.4', compareModels: ['gpt-5.4-mini'], callsPerDay: 1000, withSuggestions: false });
    assert.equal(result.prompts.length, 1);
    const hint = result.prompts[0];
    assert.equal(hint.location.range.start.line + 1, 112);
    assert.equal(hint.model, 'Qwen/Qwen3.5-9B');
    assert.equal(hint.provider, 'together');
    assert.equal(hint.cost.listedHost, undefined);
    assert.equal(hint.cost.inputPerMTok, undefined);
    assert.equal(hint.cost.host, 'Together AI');
    assert.match(hint.cost.error ?? '', /^No price for Qwen\/Qwen3\.5-9B at Together AI: /);
    // The comparison row is OpenAI's own model: no host to name.
    assert.equal(hint.compare[0].model, 'gpt-5.4-mini');
    assert.equal(hint.compare[0].listedHost, undefined);
  });
});
