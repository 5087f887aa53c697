// The editor's prompt hints are sent as JSON (and compared as JSON by the delta answers, delta.ts), so the key order of
// a PromptHint is part of the answer. perf42 builds each hint by assignment instead of a literal of spreads, and reads
// the context window and lifecycle verdict once per model per answer: this pins the order to the one the protocol
// declares (src/protocol/hints.ts, `PromptHint`), with every optional field present in one file, and checks that what is
// shared per model is only what does not depend on the prompt (the share of the window is each prompt's own).
// The snippet is our own (unit-test fixture); the oracle is the declaration order and the arithmetic of the share.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import type { PromptHint } from '../../../src/protocol/hints';

/** `PromptHint`'s fields in the order src/protocol/hints.ts declares them. */
const DECLARED: Array<keyof PromptHint> = ['index', 'location', 'model', 'modelSource', 'modelVia', 'provider', 'title', 'runtimeValues', 'tokensWithLongerBranches', 'importedTexts', 'splicedInto', 'pieces', 'cost', 'compare', 'contextWindow', 'monthlyCostUsd', 'modelLifecycle', 'suggestions'];

const SOURCE = `import anthropic

MODEL = "claude-3-5-sonnet-20240620"
client = anthropic.Anthropic()

def ask(question, short):
    system = f"You are a careful research assistant. {'Answer in one short sentence.' if short else 'Explain every step of your reasoning in detail, with examples.'} Cite your sources."
    return client.messages.create(model=MODEL, system=system, max_tokens=500, messages=[{"role": "user", "content": "Please answer this question about the attached report: " + question + " Answer in plain words and keep it short."}])
`;

const inputs = (text: string) => ({ text, languageId: 'python', fileName: 'ask.py', defaultModel: 'gpt-4o', compareModels: ['gpt-4o-mini', 'claude-sonnet-4-5'], callsPerDay: 1000, withSuggestions: true });

describe('prompt hints: key order and per-model values (perf42)', () => {
  it('each hint has its keys in the declared order, every optional one present somewhere in the file', async () => {
    const { prompts } = await new PromptHintService(() => PriceCatalog.bundled()).compute(inputs(SOURCE));
    assert.equal(prompts.length, 2);
    for (const p of prompts) {
      const keys = Object.keys(p);
      assert.deepEqual(keys, DECLARED.filter((k) => keys.includes(k)));
    }
    // The system prompt chooses between two literals; the user message is composed of two `+` pieces.
    assert.deepEqual(Object.keys(prompts[0]), ['index', 'location', 'model', 'modelSource', 'modelVia', 'provider', 'title', 'runtimeValues', 'tokensWithLongerBranches', 'cost', 'compare', 'contextWindow', 'monthlyCostUsd', 'modelLifecycle', 'suggestions']);
    assert.deepEqual(Object.keys(prompts[1]), ['index', 'location', 'model', 'modelSource', 'modelVia', 'provider', 'title', 'runtimeValues', 'pieces', 'cost', 'compare', 'contextWindow', 'monthlyCostUsd', 'modelLifecycle', 'suggestions']);
    assert.equal(prompts[0].modelLifecycle?.status, 'retired');
    // An imported constant counted in place (session 42): `importedTexts` in its declared place.
    const imported = SOURCE.replace('import anthropic\n', 'import anthropic\nfrom .rules import RULES\n').replace('Cite your sources."', 'Cite your sources. {RULES}"');
    const withImport = await new PromptHintService(() => PriceCatalog.bundled()).compute({ ...inputs(imported), importedConstants: [{ name: 'RULES', text: 'Never make up a source.', file: 'rules.py', line: 0 }] });
    const keys = Object.keys(withImport.prompts[0]);
    assert.ok(keys.includes('importedTexts'));
    assert.deepEqual(keys, DECLARED.filter((k) => keys.includes(k)));
  });

  it('the context window is shared by the prompts of one model, the share of it is each prompt\'s own', async () => {
    const { prompts } = await new PromptHintService(() => PriceCatalog.bundled()).compute(inputs(SOURCE));
    const [a, b] = prompts;
    assert.equal(a.model, b.model);
    assert.notEqual(a.cost.tokens.count, b.cost.tokens.count);
    for (const p of prompts) {
      assert.ok(p.contextWindow);
      assert.equal(p.contextWindow.share, p.cost.tokens.count / p.contextWindow.contextWindow);
    }
    assert.equal(a.contextWindow?.contextWindow, b.contextWindow?.contextWindow);
  });

  it('a literal still being typed keeps the short shape (runtime values, cost, compare, suggestions)', async () => {
    // The user message's closing quote removed: the literal runs over the rest of the file.
    const open = SOURCE.replace('keep it short."}])', 'keep it short.}])');
    const { prompts } = await new PromptHintService(() => PriceCatalog.bundled()).compute(inputs(open));
    const unterminated = prompts.filter((p) => p.location.unterminated);
    assert.ok(unterminated.length > 0);
    for (const p of unterminated) {
      const keys = Object.keys(p);
      assert.deepEqual(keys.slice(keys.indexOf('title') + 1), ['runtimeValues', 'cost', 'compare', 'suggestions']);
    }
  });
});
