import * as assert from 'node:assert/strict';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { detectLanguage } from '../../../src/shared/prompt/languages';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { loadCorpus } from '../../fixtures/prompts/corpus';

// js-tiktoken's type declarations are ESM-only while its CommonJS build is what runs here, hence require().
/* eslint-disable @typescript-eslint/no-require-imports */
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: TiktokenBPE) => { encode(text: string, allowed?: string[], disallowed?: string[]): number[] } };
const cl100kRanks = require('js-tiktoken/ranks/cl100k_base') as unknown;
const o200kRanks = require('js-tiktoken/ranks/o200k_base') as unknown;
/* eslint-enable @typescript-eslint/no-require-imports */
type TiktokenBPE = unknown;


describe('the prompt corpus', function () {
  this.timeout(60_000);
  const corpus = loadCorpus();

  it('has at least 100 prompts, with Portuguese and Spanish ones', () => {
    assert.ok(corpus.length >= 100, `${corpus.length} prompts`);
    assert.ok(corpus.filter((p) => p.language === 'pt').length >= 10);
    assert.ok(corpus.filter((p) => p.language === 'es').length >= 10);
  });

  it('token counts equal js-tiktoken on every prompt (o200k_base and cl100k_base)', () => {
    const ranks = (mod: unknown) => (mod as { default?: unknown }).default ?? mod;
    const o200k = new Tiktoken(ranks(o200kRanks));
    const cl100k = new Tiktoken(ranks(cl100kRanks));
    const analyzer = new PromptAnalyzer(new TokenizerService('gpt-tokenizer'));
    for (const p of corpus) {
      assert.equal(analyzer.countTokens(p.text, 'gpt-4o'), o200k.encode(p.text, [], []).length, p.id);
      assert.equal(analyzer.countTokens(p.text, 'gpt-4'), cl100k.encode(p.text, [], []).length, p.id);
    }
  });

  it('detects the language of the Portuguese and Spanish prompts longer than five words', () => {
    for (const p of corpus.filter((x) => x.language !== 'en' && x.text.split(/\s+/).length > 5)) {
      assert.equal(detectLanguage(p.text).language, p.language, p.id);
    }
  });

  it('compress keeps 100% of protected items at every level and never grows a prompt', () => {
    const compressor = new PromptCompressor();
    for (const level of ['light', 'medium', 'aggressive'] as const) {
      for (const p of corpus) {
        const r = compressor.compress(p.text, { level });
        assert.deepEqual(r.retention.missing, [], `${p.id} (${level})`);
        assert.ok(r.tokensAfter <= r.tokensBefore, `${p.id} grew`);
      }
    }
  });

  it('compress is deterministic', () => {
    const compressor = new PromptCompressor();
    for (const p of corpus.slice(0, 20)) assert.equal(compressor.compress(p.text).text, compressor.compress(p.text).text);
  });

  it('distill and optimize(efficiency) keep every protected item', () => {
    const distiller = new PromptDistiller();
    const optimizer = new PromptOptimizer();
    for (const p of corpus) {
      assert.deepEqual(distiller.distill(p.text).retention.missing, [], p.id);
      assert.deepEqual(optimizer.optimize(p.text, { target: 'efficiency' }).retention.missing, [], p.id);
    }
  });

  it('scores stay within 0-10 on every prompt', () => {
    const analyzer = new PromptAnalyzer();
    for (const p of corpus) {
      const a = analyzer.analyze(p.text);
      for (const score of [a.complexityScore, a.redundancyScore, a.clarityScore]) assert.ok(score !== undefined && score >= 0 && score <= 10, `${p.id}: ${score}`);
    }
  });
});
