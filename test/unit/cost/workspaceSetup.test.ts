import * as assert from 'node:assert/strict';
import { CostOptimizer } from '../../../src/engine/cost/optimizer';
import { EngineError } from '../../../src/protocol/errors';
import { ModelLifecycle } from '../../../src/shared/cost/quality';
import { MAX_QUERIES_PER_DAY } from '../../../src/protocol/cost';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sharedPriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { maxRequestsPerDay, splicedPieces, workspaceSetup, type FoundPrompt } from '../../../src/extension/cost/workspaceSetup';

const NO_RETIREMENTS = new ModelLifecycle({ checked: '2026-12-02', models: [] });

// Prompts as the lens reports them for a small app: two files, one with two models.
const found: FoundPrompt[] = [
  { file: 'app/prompts.py', model: 'gpt-4o', tokens: 120, atLeast: false },
  { file: 'app/agent.py', model: 'claude-sonnet-4-5', tokens: 900, atLeast: true },
  { file: 'app/prompts.py', model: 'gpt-4o', tokens: 81, atLeast: true },
  { file: 'app/prompts.py', model: 'gpt-4o-mini', tokens: 40, atLeast: false },
];

describe('Plan Cost Reduction: the current setup from the workspace prompts (workspaceSetup)', () => {
  it('one task per file and model: its prompts × requests a day, their mean input tokens, the output and kind given', () => {
    const built = workspaceSetup(found, { outputTokens: 300, requestsPerDay: 1000, kind: 'chat' });
    assert.deepEqual(built, {
      setup: {
        models: { 'app/agent.py (claude-sonnet-4-5)': 'claude-sonnet-4-5', 'app/prompts.py (gpt-4o)': 'gpt-4o', 'app/prompts.py (gpt-4o-mini)': 'gpt-4o-mini' },
        avgUsage: {
          'app/agent.py (claude-sonnet-4-5)': { queriesPerDay: 1000, avgInputTokens: 900, avgOutputTokens: 300 },
          // (120 + 81) / 2
          'app/prompts.py (gpt-4o)': { queriesPerDay: 2000, avgInputTokens: 100.5, avgOutputTokens: 300 },
          'app/prompts.py (gpt-4o-mini)': { queriesPerDay: 1000, avgInputTokens: 40, avgOutputTokens: 300 },
        },
        kinds: { 'app/agent.py (claude-sonnet-4-5)': 'chat', 'app/prompts.py (gpt-4o)': 'chat', 'app/prompts.py (gpt-4o-mini)': 'chat' },
      },
      prompts: 4,
      files: 2,
      atLeast: 2,
      byModel: false,
    });
  });

  it('one task per model when there are more file-and-model groups than maxTasks', () => {
    const built = workspaceSetup(found, { outputTokens: 50, requestsPerDay: 10, kind: 'qa', maxTasks: 2 });
    assert.deepEqual(built?.setup.avgUsage, {
      'claude-sonnet-4-5 (1 prompt in 1 file)': { queriesPerDay: 10, avgInputTokens: 900, avgOutputTokens: 50 },
      'gpt-4o (2 prompts in 1 file)': { queriesPerDay: 20, avgInputTokens: 100.5, avgOutputTokens: 50 },
      'gpt-4o-mini (1 prompt in 1 file)': { queriesPerDay: 10, avgInputTokens: 40, avgOutputTokens: 50 },
    });
    assert.equal(built?.byModel, true);
  });

  // break34b: one prompt sent to a model without a price (a fine-tune's name, the lens's "No price for …") made the whole
  // plan fail: cost/optimize threw "No price for my-company-finetune-v3. Closest known names: …" and no plan was shown.
  it('a prompt whose model has no price is left out of the setup and counted, and the setup plans; none priced: no setup', async () => {
    const withCustom: FoundPrompt[] = [...found, { file: 'app/custom.py', model: 'my-company-finetune-v3', tokens: 50, atLeast: false, unpriced: true }];
    const built = workspaceSetup(withCustom, { outputTokens: 300, requestsPerDay: 1000, kind: 'chat' });
    assert.deepEqual(Object.keys(built?.setup.models ?? {}), ['app/agent.py (claude-sonnet-4-5)', 'app/prompts.py (gpt-4o)', 'app/prompts.py (gpt-4o-mini)']);
    assert.deepEqual(built?.unpriced, { prompts: 1, models: ['my-company-finetune-v3'] });
    assert.equal(built?.prompts, 4);
    assert.equal(built?.files, 2);
    const plan = await new CostOptimizer({ lifecycle: NO_RETIREMENTS }).optimize({ currentSetup: built.setup, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    assert.deepEqual(Object.keys(plan.recommendations).sort(), Object.keys(built.setup.models));
    assert.equal(workspaceSetup([withCustom[4]], { outputTokens: 300, requestsPerDay: 1000, kind: 'chat' }), undefined);
  });

  // break34b: 0 requests a day (the command takes any number from 0) or only free models (OpenRouter's `:free`) made a
  // setup that costs $0 a month, and the plan read "Target met: 0 % saved (target 30 %)".
  it('a setup that costs nothing says there is nothing to save, not that a 30 % target was met with 0 % saved', async () => {
    const optimizer = new CostOptimizer({ lifecycle: NO_RETIREMENTS });
    const idle = workspaceSetup(found, { outputTokens: 300, requestsPerDay: 0, kind: 'chat' });
    const free = workspaceSetup([{ file: 'app/a.py', model: 'meta-llama/llama-3.3-70b-instruct:free', tokens: 10, atLeast: false }], { outputTokens: 300, requestsPerDay: 1000, kind: 'chat' });
    for (const built of [idle, free]) {
      const plan = await optimizer.optimize({ currentSetup: built!.setup, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
      assert.equal(plan.currentMonthlyCost, 0);
      assert.equal(plan.summary, 'Nothing to save: the current setup costs $0 a month (no requests, or only free models).');
    }
  });

  it('no prompts: no setup (the dashboard keeps its own); a long path is cut from the left to the 100-character task name', () => {
    assert.equal(workspaceSetup([], { outputTokens: 1, requestsPerDay: 1, kind: 'chat' }), undefined);
    const file = `${'deep/'.repeat(30)}prompts.py`;
    const built = workspaceSetup([{ file, model: 'gpt-4o', tokens: 10, atLeast: false }], { outputTokens: 1, requestsPerDay: 1, kind: 'chat' });
    const [task] = Object.keys(built?.setup.models ?? {});
    assert.equal(task, `…${'deep/'.repeat(16)}prompts.py (gpt-4o)`);
    assert.equal(task.length, 100);
  });
});

describe('cost/optimize: currentSetup.kinds', () => {
  const optimizer = new CostOptimizer({ lifecycle: NO_RETIREMENTS });
  const usage = { queriesPerDay: 2000, avgTokens: 1000 };

  it('a task named after its file is compared on its kind\'s benchmark, as a task named after the kind is', async () => {
    const byKind = await optimizer.optimize({ currentSetup: { models: { chat: 'gpt-4o' }, avgUsage: { chat: usage } }, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    const named = await optimizer.optimize({ currentSetup: { models: { 'app/prompts.py (gpt-4o)': 'gpt-4o' }, avgUsage: { 'app/prompts.py (gpt-4o)': usage }, kinds: { 'app/prompts.py (gpt-4o)': 'chat' } }, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    const a = byKind.recommendations.chat;
    const b = named.recommendations['app/prompts.py (gpt-4o)'];
    assert.deepEqual({ ...b, reason: '' }, { ...a, reason: '' });
    assert.notEqual(b.recommendedModel, 'gpt-4o');
    // Without a kind the same task cannot be compared and is kept.
    const bare = await optimizer.optimize({ currentSetup: { models: { 'app/prompts.py (gpt-4o)': 'gpt-4o' }, avgUsage: { 'app/prompts.py (gpt-4o)': usage } }, maxQualityReduction: 0.1, targetCostReduction: 0.3 });
    assert.equal(bare.recommendations['app/prompts.py (gpt-4o)'].recommendedModel, 'gpt-4o');
    assert.equal(bare.recommendations['app/prompts.py (gpt-4o)'].benchmark, 'n/a');
  });

  it('refuses an unknown kind and a kind for a task without a model', async () => {
    await assert.rejects(
      optimizer.optimize({ currentSetup: { models: { a: 'gpt-4o' }, avgUsage: { a: usage }, kinds: { a: 'poetry' } } }),
      (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === 'Unknown task kind(s) in kinds: poetry.',
    );
    await assert.rejects(
      optimizer.optimize({ currentSetup: { models: { a: 'gpt-4o' }, avgUsage: { a: usage }, kinds: { b: 'chat' } } }),
      (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === 'kinds names task(s) without a model: b.',
    );
  });
});

describe('Plan Cost Reduction: task names and requests a day (break35)', () => {
  it('two files whose names end alike past the length limit are two tasks, the second numbered (break35)', () => {
    const a = `${'a'.repeat(30)}/${'x'.repeat(100)}/prompts.py`;
    const b = `${'b'.repeat(30)}/${'x'.repeat(100)}/prompts.py`;
    const built = workspaceSetup(
      [
        { file: a, model: 'gpt-4o', tokens: 100, atLeast: false },
        { file: b, model: 'gpt-4o', tokens: 300, atLeast: false },
      ],
      { outputTokens: 10, requestsPerDay: 5, kind: 'chat' },
    );
    // The longest name a task takes (100): the file's last 90 characters after "…".
    const name = `…${a.slice(a.length - 90)} (gpt-4o)`;
    assert.equal(name.length, 100);
    assert.equal(b.slice(b.length - 90), a.slice(a.length - 90));
    // Before: one task "…xxx/prompts.py (gpt-4o)" with 10 queries a day and 200 mean input tokens.
    assert.deepEqual(built?.setup.avgUsage, {
      [name]: { queriesPerDay: 5, avgInputTokens: 100, avgOutputTokens: 10 },
      [`${name.slice(0, 97)} #2`]: { queriesPerDay: 5, avgInputTokens: 300, avgOutputTokens: 10 },
    });
  });

  it('requests a day are capped so that no task passes the queries a day cost/optimize takes (break35)', () => {
    // The largest file-and-model group holds 2 prompts (app/prompts.py with gpt-4o).
    assert.equal(maxRequestsPerDay(found), MAX_QUERIES_PER_DAY / 2);
    // One task per model above maxTasks: gpt-4o then has... still 2; a model in 3 files has 3.
    const many: FoundPrompt[] = ['a.py', 'b.py', 'c.py'].map((file) => ({ file, model: 'gpt-4o', tokens: 10, atLeast: false }));
    assert.equal(maxRequestsPerDay(many), Math.floor(MAX_QUERIES_PER_DAY / 1));
    assert.equal(maxRequestsPerDay(many, 2), Math.floor(MAX_QUERIES_PER_DAY / 3));
    // Unpriced prompts are left out of the setup, so they do not count.
    assert.equal(maxRequestsPerDay([{ file: 'a.py', model: 'in-house', tokens: 1, atLeast: false, unpriced: true }]), MAX_QUERIES_PER_DAY);
    // At the cap the setup is one the optimizer takes; one more request a day and the largest task passes it.
    const cap = maxRequestsPerDay(found);
    const atCap = workspaceSetup(found, { outputTokens: 1, requestsPerDay: cap, kind: 'chat' });
    assert.equal(Math.max(...Object.values(atCap!.setup.avgUsage).map((u) => u.queriesPerDay)), MAX_QUERIES_PER_DAY);
  });

  it("a prompt spliced into another prompt of its file is not planned again on its own (continue's system messages, newuser35)", async () => {
    // continuedev/continue (Apache-2.0, test/fixtures/hints-real/SOURCES.md): three instruction constants spliced into the
    // three default system messages. Before, Plan Cost Reduction made six tasks' worth of prompts of them: the constants
    // were priced again at the requests a day of a prompt sent alone.
    const file = resolve(__dirname, '../../../../test/fixtures/hints-real/continue_default_system_messages.ts');
    const hints = await new PromptHintService(sharedPriceCatalog).compute({ text: readFileSync(file, 'utf8'), languageId: 'typescript', fileName: file, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    assert.deepEqual(hints.prompts.map((p) => p.location.boundName), ['CODEBLOCK_FORMATTING_INSTRUCTIONS', 'EDIT_CODE_INSTRUCTIONS', 'BRIEF_LAZY_INSTRUCTIONS', 'DEFAULT_CHAT_SYSTEM_MESSAGE', 'DEFAULT_AGENT_SYSTEM_MESSAGE', 'DEFAULT_PLAN_SYSTEM_MESSAGE']);
    assert.deepEqual([...splicedPieces(hints.prompts)].sort(), [0, 1, 2]);
    // A prompt with no pieces around it stays: nothing is spliced in a file of plain prompts.
    assert.deepEqual([...splicedPieces(hints.prompts.slice(0, 3))], []);
  });
});
