// Issue 12 item 5: genai-prices matches names by rules ("starts with claude-sonnet-4-5"), so a
// made-up `claude-sonnet-4-5-super` got claude-sonnet-4-5's price and every surface showed it as
// the named model's. Now the price says which catalog model it is from, unless the names differ
// only by a release date, `-latest` or a zero minor version (snapshots and aliases of one model).
// Oracles: the names and match rules of genai-prices 0.1.8's bundled data (read off
// node_modules/@pydantic/genai-prices by hand: `claude-3-5-haiku-latest` matches names starting
// `claude-3-5-haiku`, `gpt-5` lists `gpt-5-chat-latest` among its aliases), its prices
// (claude-sonnet-4-5 $3/$15 per million, Anthropic's list price) and js-tiktoken's counts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { costCommands } from '../../../src/engine/cli/costCommands';
import { runCli } from '../../../src/engine/cli/framework';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import OpenAI from 'openai';
import { JsonlLedger, ledgerEntryOf } from '../../../src/engine/cost/ledger';
import { CostMonitor } from '../../../src/engine/cost/monitor';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { fineTuneBase, isFineTuneAtBaseRate } from '../../../src/protocol/fineTune';
import { isSameModel, modelStem, pricedAs, pricedAsNote } from '../../../src/shared/cost/sameModel';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { expectedUsage, startFakeUpstream, type FakeUpstream } from './fakeUpstream';

const root = path.resolve(__dirname, '../../../..');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, [...costCommands, scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
  return { code, out, err };
}

describe('which catalog model a price is from (sameModel.ts)', function () {
  this.timeout(60_000);

  it('a release date, -latest, a zero minor version, case or a provider prefix is the same model', () => {
    // Name in code → the catalog entry genai-prices 0.1.8 matches it to.
    const same: Array<[string, string]> = [
      ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
      ['claude-3-5-haiku-20241022', 'claude-3-5-haiku-latest'],
      ['claude-3-opus-20240229', 'claude-3-opus-latest'],
      ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
      ['claude-sonnet-4@20250514', 'claude-sonnet-4-0'],
      ['gpt-4o-2024-08-06', 'gpt-4o'],
      ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
      ['chatgpt-4o-latest', 'chatgpt-4o-latest'],
      ['mistral-small-latest', 'mistral-small-latest'],
      ['Claude-Sonnet-4-5', 'claude-sonnet-4-5'],
      ['anthropic:claude-sonnet-4-5', 'claude-sonnet-4-5'],
      ['gpt-4o', 'azure:gpt-4o'],
      ['claude-3.5-sonnet-20240620', 'claude-3-5-sonnet'],
    ];
    for (const [name, entry] of same) assert.equal(isSameModel(name, entry), true, `${name} ~ ${entry}`);
    const other: Array<[string, string]> = [
      ['claude-sonnet-4-5-super', 'claude-sonnet-4-5'],
      ['gpt-5-chat-latest', 'gpt-5'],
      ['gpt-5.1-codex', 'gpt-5.1'],
      ['gpt-4o-mini', 'gpt-4o'],
      ['gpt-4o', 'gpt-4o:extended'],
      ['llama-3-70b', 'llama-370b'],
    ];
    for (const [name, entry] of other) assert.equal(isSameModel(name, entry), false, `${name} ≁ ${entry}`);
    assert.equal(modelStem('claude-3-5-haiku-20241022'), 'claude-3-5-haiku');
    assert.equal(modelStem('gpt-4o-2024-08-06'), 'gpt-4o');
    assert.equal(pricedAs('claude-sonnet-4-5-super', 'claude-sonnet-4-5'), 'claude-sonnet-4-5');
    assert.equal(pricedAs('claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'), undefined);
    assert.equal(pricedAsNote('claude-sonnet-4-5-super', 'claude-sonnet-4-5'), "priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super");
  });

  it('catalog aliases, dotted names and four-digit snapshots are the same model; a fine-tune at its base rate is said', async () => {
    // Oracle: genai-prices 0.1.8's bundled match rules and prices, read off node_modules/@pydantic/genai-prices:
    // gpt-3.5-turbo lists equals gpt-35-turbo and gpt-3.5-turbo-0125 ($0.5/$1.5); claude-3-5-sonnet starts_with
    // claude-3.5-sonnet; google's claude-sonnet-4-5 contains claude-sonnet-4.5; gpt-4 lists gpt-4-0613 and
    // starts_with ft:gpt-4-0 ($30/$60); fine-tune prices ft:gpt-3.5-turbo- ($3/$6), ft:gpt-4o-mini ($0.3/$1.2),
    // ft:gpt-4o ($3.75/$15) and Azure's gpt-4o-mini-2024-07-18.ft- ($0.3/$1.2), OpenAI's fine-tuning rates.
    const catalog = await PriceCatalog.bundled();
    const same: Array<[string, string, number, number]> = [
      ['gpt-35-turbo', 'gpt-3.5-turbo', 0.5, 1.5],
      ['gpt-35-turbo-16k-0613', 'gpt-3.5-turbo-16k', 3, 4],
      ['claude-3.5-sonnet', 'claude-3-5-sonnet', 3, 15],
      ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5', 3, 15],
      ['claude-sonnet-4.5', 'claude-sonnet-4-5', 3, 15],
      ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo', 0.5, 1.5],
      ['gpt-4-0613', 'gpt-4', 30, 60],
      ['gpt-4-32k-0613', 'gpt-4-32k', 60, 120],
      ['ft:gpt-3.5-turbo-0125:acme::8Xyz12', 'ft:gpt-3.5-turbo-', 3, 6],
      ['ft:gpt-4o-mini-2024-07-18:acme:support:9Abc34', 'ft:gpt-4o-mini', 0.3, 1.2],
      ['ft:gpt-4o-2024-08-06:acme::9Abc34', 'ft:gpt-4o', 3.75, 15],
      ['gpt-4o-mini-2024-07-18.ft-0e208cf33a6a466994aff31a08aba678', 'gpt-4o-mini-2024-07-18.ft-', 0.3, 1.2],
    ];
    for (const [name, entry, input, output] of same) {
      const price = catalog.lookup(name);
      assert.deepEqual([price.matchedModel, price.pricedAs, price.inputPerMTok, price.outputPerMTok], [entry, undefined, input, output], name);
    }
    // OpenAI bills ft:gpt-4-0613 at other rates than gpt-4; the catalog's only rule for it is gpt-4's.
    const tuned = catalog.lookup('ft:gpt-4-0613:acme::8Xyz12');
    assert.deepEqual([tuned.matchedModel, tuned.pricedAs, tuned.inputPerMTok], ['gpt-4', 'gpt-4', 30]);
    assert.equal(pricedAsNote('ft:gpt-4-0613:acme::8Xyz12', 'gpt-4'), 'priced as gpt-4, the base model of the fine-tune ft:gpt-4-0613:acme::8Xyz12: the catalog has no fine-tune price, and fine-tuned models are billed at other rates');
    // Azure's o4-mini rule (contains o4-mini) catches an o4-mini fine-tune: its base rate, said the same way.
    assert.equal(catalog.lookup('ft:o4-mini-2025-04-16:acme::x1').pricedAs, 'o4-mini');
    assert.equal(pricedAsNote('ft:o4-mini-2025-04-16:acme::x1', 'o4-mini'), 'priced as o4-mini, the base model of the fine-tune ft:o4-mini-2025-04-16:acme::x1: the catalog has no fine-tune price, and fine-tuned models are billed at other rates');
    // The names as OpenAI and Azure write them, and genai-prices' fine-tune entries.
    assert.deepEqual(
      ['ft:gpt-4o-mini-2024-07-18:acme:support:9Abc34', 'openai:ft:gpt-4-0613:acme::x', 'gpt-4o-mini-2024-07-18.ft-0e208cf33a6a466994aff31a08aba678', 'ft:gpt-3.5-turbo-', 'gpt-4o-mini', 'draft:gpt-4o', 'microsoft/phi-4'].map(fineTuneBase),
      ['gpt-4o-mini-2024-07-18', 'gpt-4-0613', 'gpt-4o-mini-2024-07-18', 'gpt-3.5-turbo', undefined, undefined, undefined],
    );
    assert.deepEqual([isFineTuneAtBaseRate('ft:gpt-4-0613:acme::x', 'gpt-4'), isFineTuneAtBaseRate('ft:gpt-4o-2024-08-06:acme::x', 'ft:gpt-4o'), isFineTuneAtBaseRate('gpt-4-0613', 'gpt-4'), isFineTuneAtBaseRate('ft:gpt-4-0613:acme::x', 'claude-3-haiku')], [true, false, false, false]);
    // A plain model is never a fine-tune price, nor one fine-tune another base's.
    assert.equal(isSameModel('gpt-4o-mini', 'ft:gpt-4o-mini'), false);
    assert.equal(isSameModel('ft:gpt-4o-mini-2024-07-18:acme::x', 'ft:gpt-4o'), false);
    // No price at all for fine-tunes the catalog has no rule for: the usual not-found error.
    assert.throws(() => catalog.lookup('ft:gpt-4.1-2025-04-14:acme::x1'), /No price for ft:gpt-4\.1-2025-04-14:acme::x1\. Closest known names: /);
    // Four digits that are no month and day stay part of the name (Mistral's year-month, Groq's context size).
    assert.deepEqual(['mistral-large-2407', 'llama3-8b-8192', 'gpt-4-0613', 'gpt-3.5-turbo-1106'].map(modelStem), ['mistral-large-2407', 'llama3-8b-8192', 'gpt-4', 'gpt-3.5-turbo']);
    // The catalog's id gpt-3.5-0301 (its alias gpt-3.5-turbo-0301) drops "turbo": said, naming the entry.
    assert.equal(catalog.lookup('gpt-3.5-turbo-0301').pricedAs, 'gpt-3.5-0301');
    const made = await cli(['cost', 'estimate', '--model', 'ft:gpt-4-0613:acme::8Xyz12', '--input', '1000', '--output', '500', '--queries-per-day', '10', '--days', '1']);
    assert.equal(made.code, 0, made.err);
    assert.ok(made.out.includes('  Price: openai/gpt-4 $30 in, $60 out per 1M tokens (priced as gpt-4, the base model of the fine-tune ft:gpt-4-0613:acme::8Xyz12: the catalog has no fine-tune price, and fine-tuned models are billed at other rates)\n'), made.out);
  });

  it("Bedrock names: a region prefix is the same model, another version is not (the \":0\" after -v2 is no name)", async () => {
    // Bedrock model ids as AWS documents them; genai-prices 0.1.8 lists them as "regional.anthropic.…-v2:0".
    // Before, withoutPrefixes cut at every ":", so both names ended in the "name" 0 and any two such ids were the same model.
    assert.equal(isSameModel('us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'regional.anthropic.claude-3-5-sonnet-20241022-v2:0'), true);
    assert.equal(isSameModel('us.meta.llama3-2-90b-instruct-v1:0', 'meta.llama3-2-90b-instruct-v1:0'), true);
    assert.equal(isSameModel('us.anthropic.claude-3-5-sonnet-20241022-v3:0', 'regional.anthropic.claude-3-5-sonnet-20241022-v2:0'), false);
    assert.equal(isSameModel('anthropic.claude-3-haiku-20240307-v1:0', 'regional.anthropic.claude-3-5-sonnet-20241022-v2:0'), false);
    const catalog = await PriceCatalog.bundled();
    assert.equal(catalog.lookup('us.anthropic.claude-3-5-sonnet-20241022-v3:0').pricedAs, 'regional.anthropic.claude-3-5-sonnet-20241022-v2:0');
    for (const name of ['us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'eu.anthropic.claude-sonnet-4-20250514-v1:0', 'us.meta.llama3-2-90b-instruct-v1:0', 'us.amazon.nova-premier-v1:0']) {
      assert.equal(catalog.lookup(name).pricedAs, undefined, name);
    }
  });

  it('the catalog marks a price taken from another model (lookup().pricedAs)', async () => {
    const catalog = await PriceCatalog.bundled();
    const superModel = catalog.lookup('claude-sonnet-4-5-super');
    assert.deepEqual([superModel.matchedModel, superModel.pricedAs, superModel.inputPerMTok, superModel.outputPerMTok], ['claude-sonnet-4-5', 'claude-sonnet-4-5', 3, 15]);
    assert.equal(catalog.lookup('gpt-5-chat-latest').pricedAs, 'gpt-5');
    for (const name of ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-3-5-haiku-20241022', 'claude-sonnet-4-20250514', 'gpt-4o-2024-08-06', 'anthropic:claude-sonnet-4-5']) {
      assert.equal(catalog.lookup(name).pricedAs, undefined, name);
    }
    assert.equal(catalog.lookup('claude-3-5-haiku-20241022').matchedModel, 'claude-3-5-haiku-latest');
  });

  it("the editor's hints carry it: the prompt's cost and the model literal's price", async () => {
    // Anthropic's Messages example (test/fixtures/scan/python/anthropic_messages.py) with its model renamed to a made-up one.
    const real = fs.readFileSync(path.join(root, 'test/fixtures/scan/python/anthropic_messages.py'), 'utf8');
    const text = real.replace(/claude-sonnet-4-20250514/g, 'claude-sonnet-4-5-super');
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const input = { languageId: 'python', fileName: 'messages.py', defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1, withSuggestions: false };
    const hints = await service.compute({ ...input, text });
    const prompt = hints.prompts.find((p) => p.model === 'claude-sonnet-4-5-super');
    assert.ok(prompt, hints.prompts.map((p) => p.model).join(', '));
    assert.equal(prompt.cost.pricedAs, 'claude-sonnet-4-5');
    assert.ok(Math.abs((prompt.cost.inputCostUsd ?? 0) - (prompt.cost.tokens.count * 3) / 1e6) < 1e-12, String(prompt.cost.inputCostUsd));
    const literal = hints.models.find((m) => m.name === 'claude-sonnet-4-5-super');
    assert.equal(literal?.price?.pricedAs, 'claude-sonnet-4-5');
    // The real name is a dated snapshot of the entry claude-sonnet-4-0: nothing to say.
    const original = await service.compute({ ...input, text: real, fileName: 'original.py' });
    assert.ok(original.prompts.length > 0);
    assert.deepEqual(original.prompts.map((p) => p.cost.pricedAs), original.prompts.map(() => undefined));
    assert.deepEqual(original.models.map((m) => m.price?.pricedAs), original.models.map(() => undefined));
  });

  it('cost estimate says whose price it is', async () => {
    const made = await cli(['cost', 'estimate', '--model', 'claude-sonnet-4-5-super', '--input', '1000', '--output', '500', '--queries-per-day', '10', '--days', '1']);
    assert.equal(made.code, 0, made.err);
    assert.ok(made.out.includes("  Price: anthropic/claude-sonnet-4-5 $3 in, $15 out per 1M tokens, $0.3 cached in (base tier) (priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super)\n"), made.out);
    const dated = await cli(['cost', 'estimate', '--model', 'claude-sonnet-4-5-20250929', '--input', '1000', '--output', '500', '--queries-per-day', '10', '--days', '1']);
    assert.ok(dated.out.includes('  Price: anthropic/claude-sonnet-4-5 $3 in, $15 out per 1M tokens, $0.3 cached in (base tier)\n'), dated.out);
    const json = JSON.parse((await cli(['cost', 'estimate', '--model', 'claude-sonnet-4-5-super', '--input', '1000', '--output', '500', '--queries-per-day', '10', '--json'])).out) as { price: { pricedAs?: string } };
    assert.equal(json.price.pricedAs, 'claude-sonnet-4-5');
  });

  it('cost optimize says which catalog model a task\'s current model is priced as', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-priced-as-plan-'));
    try {
      // samples/cost/setup.json's summarization task with a made-up and a fine-tuned model in place of gpt-4o.
      const file = path.join(dir, 'setup.json');
      fs.writeFileSync(file, JSON.stringify({ currentSetup: { models: { summarization: 'claude-sonnet-4-5-super', chat: 'ft:gpt-4-0613:acme::8Xyz12', qa: 'gpt-35-turbo' }, avgUsage: { summarization: { queriesPerDay: 500, avgTokens: 800 }, chat: { queriesPerDay: 2000, avgTokens: 1000 }, qa: { queriesPerDay: 800, avgTokens: 600 } } } }));
      const json = await cli(['cost', 'optimize', file, '--json']);
      assert.equal(json.code, 0, json.err + json.out);
      const plan = JSON.parse(json.out) as { recommendations: Record<string, { currentPricedAs?: string; recommendedPricedAs?: string; currentMonthlyCost: number }> };
      assert.deepEqual(
        Object.fromEntries(Object.entries(plan.recommendations).map(([t, r]) => [t, [r.currentPricedAs, r.recommendedPricedAs]])),
        { summarization: ['claude-sonnet-4-5', undefined], chat: ['gpt-4', undefined], qa: [undefined, undefined] },
      );
      const text = (await cli(['cost', 'optimize', file])).out;
      assert.ok(text.includes("    summarization: claude-sonnet-4-5-super → claude-sonnet-4-5-super\n      Current price: priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super\n"), text);
      assert.ok(text.includes('      Current price: priced as gpt-4, the base model of the fine-tune ft:gpt-4-0613:acme::8Xyz12: the catalog has no fine-tune price, and fine-tuned models are billed at other rates\n'), text);
      assert.equal(text.split('Current price:').length - 1, 2, text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cost recommend and cost select say it for names from the user\'s benchmark file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-priced-as-select-'));
    try {
      // docs/cost.md's benchmark-file format, with a fine-tune and a made-up name scored on the user's own eval.
      const file = path.join(dir, 'bench.json');
      const score = (value: number) => ({ scores: { 'our-eval': { value, source: 'eval run 42', date: '2026-11-20' } } });
      fs.writeFileSync(file, JSON.stringify({ tasks: { tickets: { benchmark: 'our-eval', rationale: 'ticket triage' } }, benchmarks: { 'our-eval': { scale: 1 } }, models: { 'ft:gpt-4-0613:acme::8Xyz12': score(0.9), 'claude-sonnet-4-5-super': score(0.88) } }));
      const recommend = await cli(['cost', 'recommend', '--model', 'ft:gpt-4-0613:acme::8Xyz12', '--task', 'tickets', '--benchmarks', file, '--json']);
      assert.equal(recommend.code, 0, recommend.err + recommend.out);
      const r = JSON.parse(recommend.out) as { model: string; costReductionPercent: number; evidence: { notes: string[] } };
      // At 75 % input: gpt-4's $30/$60 blend to $37.5 per 1M, claude-sonnet-4-5's $3/$15 to $6: 1 − 6/37.5 = 84 %.
      assert.deepEqual([r.model, r.costReductionPercent], ['claude-sonnet-4-5-super', 84]);
      assert.ok(r.evidence.notes.includes("ft:gpt-4-0613:acme::8Xyz12's price: priced as gpt-4, the base model of the fine-tune ft:gpt-4-0613:acme::8Xyz12: the catalog has no fine-tune price, and fine-tuned models are billed at other rates."), r.evidence.notes.join('\n'));
      assert.ok(r.evidence.notes.includes("claude-sonnet-4-5-super's price: priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super."), r.evidence.notes.join('\n'));
      const select = await cli(['cost', 'select', '--task', 'tickets', '--quality-threshold', '0.85', '--benchmarks', file]);
      assert.equal(select.code, 0, select.err + select.out);
      assert.ok(select.out.includes("  note: Its price: priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super.\n"), select.out);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prompt scan prices each prompt and says whose price it is', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-priced-as-'));
    try {
      const real = fs.readFileSync(path.join(root, 'test/fixtures/scan/python/anthropic_messages.py'), 'utf8');
      const file = path.join(dir, 'messages.py');
      fs.writeFileSync(file, real.replace(/claude-sonnet-4-20250514/g, 'claude-sonnet-4-5-super'));
      const json = JSON.parse((await cli(['prompt', 'scan', file, '--json'])).out) as { prompts: Array<{ startLine: number; model: string; tokens: number; inputCostUsd?: number; pricedAs?: string }> };
      const first = json.prompts.find((p) => p.model === 'claude-sonnet-4-5-super');
      assert.ok(first, JSON.stringify(json.prompts));
      assert.equal(first.pricedAs, 'claude-sonnet-4-5');
      assert.ok(Math.abs((first.inputCostUsd ?? 0) - (first.tokens * 3) / 1e6) < 1e-12, String(first.inputCostUsd));
      const text = (await cli(['prompt', 'scan', file])).out;
      assert.ok(text.includes(` per call (priced as claude-sonnet-4-5, the catalog's closest match for claude-sonnet-4-5-super) `), text);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the cost monitor says which catalog model a request is priced as', function () {
  this.timeout(60_000);
  let upstream: FakeUpstream;
  let dir: string;
  let catalog: PriceCatalog;
  let monitor: CostMonitor;
  let ledger: JsonlLedger;
  let openai: () => OpenAI;

  before(async () => {
    upstream = await startFakeUpstream();
    catalog = await PriceCatalog.bundled();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-priced-as-monitor-'));
    ledger = new JsonlLedger(path.join(dir, 'ledger.jsonl'));
    monitor = new CostMonitor({ ledger, port: 0, catalog, upstreamOpenAi: upstream.url, upstreamAnthropic: upstream.url, log: () => undefined });
    const base = (await monitor.start()).url;
    openai = () => new OpenAI({ apiKey: 'sk-test-secret-key-123', baseURL: `${base}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await monitor.stop();
    await upstream.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("says when a request's price is another catalog model's: the entry, today's spend and `cost today`", async () => {
    // genai-prices 0.1.8 prices ft:gpt-4-0613 by gpt-4's rule (starts_with ft:gpt-4-0) and lists gpt-35-turbo (Azure's name) as gpt-3.5-turbo.
    const client = openai();
    await client.chat.completions.create({ model: 'ft:gpt-4-0613:acme::8Xyz12', messages: [{ role: 'user', content: '1200' }] });
    await client.chat.completions.create({ model: 'gpt-35-turbo', messages: [{ role: 'user', content: '400' }] });
    const entries = await ledger.readAll();
    assert.equal(entries.length, 2);
    const u = expectedUsage(1200);
    const asGpt4 = catalog.cost('gpt-4', { inputTokens: u.inputTokens, outputTokens: u.outputTokens, cachedInputTokens: u.cachedInputTokens, reasoningTokens: u.reasoningTokens }).totalCost;
    assert.deepEqual([entries[0].cost, entries[0].pricedAs], [asGpt4, 'gpt-4']);
    const v = expectedUsage(400);
    assert.deepEqual([entries[1].cost, entries[1].pricedAs], [catalog.cost('gpt-3.5-turbo', { inputTokens: v.inputTokens, outputTokens: v.outputTokens, cachedInputTokens: v.cachedInputTokens, reasoningTokens: v.reasoningTokens }).totalCost, undefined]);
    const costs = monitor.getCurrentCosts();
    assert.equal(costs.byModel['ft:gpt-4-0613:acme::8Xyz12'].pricedAs, 'gpt-4');
    assert.equal(costs.byModel['gpt-35-turbo'].pricedAs, undefined);
    let out = '';
    const code = await runCli(['cost', 'today', '--ledger', path.join(dir, 'ledger.jsonl')], costCommands, { stdout: (t) => (out += t), stderr: (t) => (out += t), readStdin: () => Promise.resolve('') });
    assert.equal(code, 0, out);
    assert.ok(out.includes(`avg ${costs.byModel['ft:gpt-4-0613:acme::8Xyz12'].avgLatencyMs.toFixed(0)} ms; priced as gpt-4, the base model of the fine-tune ft:gpt-4-0613:acme::8Xyz12: the catalog has no fine-tune price, and fine-tuned models are billed at other rates)\n`), out);
    assert.ok(!out.includes('priced as gpt-3.5-turbo'), out);
    // A hand-edited ledger line's pricedAs that is not a name is dropped, not shown.
    const line = { ...entries[0], pricedAs: 7 };
    assert.equal(ledgerEntryOf(line)?.pricedAs, undefined);
    assert.equal(ledgerEntryOf(entries[0])?.pricedAs, 'gpt-4');
  });
});
