// Every model PepperPy picks by itself — the settings' defaults in package.json, DEFAULT_MODEL
// (the engine, the CLI's --model and the extension's fallback), the per-provider defaults and
// the Benchmark panel's judge — must be a model the sourced retired-models list does not name
// (retired or deprecated) and that the bundled @pydantic/genai-prices catalog prices. When the
// list gains an entry that names a default, this fails, instead of every new user's lenses
// pricing a model our own hover flags as deprecated.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { ModelLifecycle } from '../../../src/shared/cost/quality';
import { SUGGESTED_MODELS } from '../../../src/shared/modelChoices';
import { DEFAULT_JUDGE_MODEL, DEFAULT_MODEL } from '../../../src/shared/prompt/defaults';
import { DEFAULT_PROVIDER_MODELS } from '../../../src/shared/prompt/scanner/models';
import { encodingForModel } from '../../../src/shared/prompt/tokenizer';
import { repoRoot } from '../../helpers/paths';

type Properties = Record<string, { default: unknown }>;
const properties = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Properties } } }).contributes.configuration.properties;

/** "where: model" for every model PepperPy uses without being told, from the shipped files. */
function shippedDefaults(): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['package.json pepperpy.defaultModel', properties['pepperpy.defaultModel'].default as string],
    ['DEFAULT_MODEL', DEFAULT_MODEL],
    ['DEFAULT_JUDGE_MODEL', DEFAULT_JUDGE_MODEL],
  ];
  for (const [provider, model] of Object.entries(properties['pepperpy.defaultModels'].default as Record<string, string>)) out.push([`package.json pepperpy.defaultModels.${provider}`, model]);
  for (const [provider, model] of Object.entries(DEFAULT_PROVIDER_MODELS)) out.push([`DEFAULT_PROVIDER_MODELS.${provider}`, model]);
  for (const model of properties['pepperpy.compareModels'].default as string[]) out.push(['package.json pepperpy.compareModels', model]);
  for (const model of SUGGESTED_MODELS) out.push(['SUGGESTED_MODELS (the panels\' model lists)', model]);
  return out;
}

/** What is wrong with each default: on the retired/deprecated list (or flagged by the catalog), or not priced per token. */
function problems(defaults: Array<[string, string]>, catalog: PriceCatalog, at: Date): string[] {
  const lifecycle = new ModelLifecycle(undefined, (m) => catalog.isDeprecated(m));
  const out: string[] = [];
  for (const [where, model] of defaults) {
    const verdict = lifecycle.verdict(model, at);
    if (verdict) out.push(`${where}: ${verdict.reason}`);
    try {
      const price = catalog.lookup(model, { at });
      if (!(price.inputPerMTok > 0 && price.outputPerMTok > 0)) out.push(`${where}: ${model} has no input and output price per token`);
    } catch (error) {
      out.push(`${where}: ${model} is not priced by the catalog (${(error as Error).message})`);
    }
  }
  return out;
}

describe('Shipped default models are current and priced', () => {
  let catalog: PriceCatalog;
  before(async () => {
    catalog = await PriceCatalog.bundled();
  });

  it('no default is retired, deprecated or unpriced (today, by retired-models.json and the bundled catalog)', () => {
    const defaults = shippedDefaults();
    // 3 single defaults, 9 providers twice (package.json and the code), 3 compared models, 15 suggested models.
    assert.equal(defaults.length, 3 + 9 + 9 + 3 + 15);
    assert.deepEqual(problems(defaults, catalog, new Date()), []);
  });

  it('the check catches the old defaults: gpt-4o and gpt-4o-mini are deprecated (shutdown 2027-01-14), a misspelt model is unpriced', () => {
    const found = problems([['old defaultModel', 'gpt-4o'], ['old compareModels', 'gpt-4o-mini'], ['old judge', 'openai:gpt-4o-mini'], ['typo', 'gpt-5.4-minni']], catalog, new Date('2026-12-03T12:00:00Z'));
    assert.equal(found.length, 4);
    assert.match(found[0], /^old defaultModel: gpt-4o is deprecated by openai: shutdown announced for 2027-01-14 /);
    assert.match(found[1], /^old compareModels: gpt-4o-mini is deprecated by openai: shutdown announced for 2027-01-14 /);
    assert.match(found[2], /^old judge: gpt-4o-mini is deprecated/);
    assert.match(found[3], /^typo: gpt-5\.4-minni is not priced by the catalog \(No price for gpt-5\.4-minni\./);
  });

  it('the defaults agree across package.json, the code and the webview', () => {
    assert.equal(properties['pepperpy.defaultModel'].default, DEFAULT_MODEL);
    assert.deepEqual(properties['pepperpy.defaultModels'].default, DEFAULT_PROVIDER_MODELS);
    // OpenAI's default is the model everything else falls back to.
    assert.equal(DEFAULT_PROVIDER_MODELS.openai, DEFAULT_MODEL);
    // The Cost Dashboard's estimate form (webview code cannot import src/shared) starts with the same model.
    const webview = readFileSync(join(repoRoot, 'webview-ui', 'src', 'cost.ts'), 'utf8');
    assert.equal(/'est-model', '([^']+)'/.exec(webview)?.[1], DEFAULT_MODEL);
  });

  it('the default model is counted exactly with o200k_base and priced as the catalog lists gpt-5.4 and gpt-5.4-mini', () => {
    assert.deepEqual(encodingForModel(DEFAULT_MODEL), { encoding: 'o200k_base', exact: true, family: 'OpenAI' });
    const at = new Date('2026-12-03T12:00:00Z');
    // openai.com/api/pricing, as @pydantic/genai-prices 0.1.8 bundles it: GPT-5.4 $2.50 in / $15 out, GPT-5.4 mini $0.75 / $4.50 per 1M tokens.
    const main = catalog.lookup(DEFAULT_MODEL, { at });
    assert.deepEqual([main.provider, main.matchedModel, main.inputPerMTok, main.outputPerMTok], ['openai', 'gpt-5.4', 2.5, 15]);
    const judge = catalog.lookup(DEFAULT_JUDGE_MODEL, { at });
    assert.deepEqual([judge.provider, judge.matchedModel, judge.inputPerMTok, judge.outputPerMTok], ['openai', 'gpt-5.4-mini', 0.75, 4.5]);
  });
});
