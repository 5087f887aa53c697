import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';

const root = path.resolve(__dirname, '../../../..');
const seed = readFileSync(path.join(root, 'samples/prompts/seed-example-pt.txt'), 'utf8');

describe("the seed's Portuguese prompt through all four operations", () => {
  it('analyze: exact token count, scores, language and ranged suggestions', () => {
    const analysis = new PromptAnalyzer().analyze(seed, { model: 'gpt-4o' });
    assert.equal(analysis.tokenCount, 54);
    assert.equal(analysis.language, 'pt');
    assert.equal(analysis.complexityScore, 1.8);
    assert.equal(analysis.redundancyScore, 3.4);
    assert.equal(analysis.clarityScore, 6.6);
    const kinds = analysis.optimizationSuggestions.map((s) => s.kind);
    assert.deepEqual(kinds, ['politeness', 'verbosePhrase', 'whitespace', 'ambiguousWording', 'missingOutputFormat']);
    const politeness = analysis.optimizationSuggestions[0];
    assert.equal(seed.slice(politeness.range!.start, politeness.range!.end), 'Por favor');
    assert.equal(politeness.tokensSaved, 2);
    const verbose = analysis.optimizationSuggestions[1];
    assert.equal(seed.slice(verbose.range!.start, verbose.range!.end), 'responda à seguinte pergunta');
    assert.equal(verbose.replacement, 'responda à pergunta');
  });

  it('compress: removes the politeness and the verbose phrase, keeps the question', () => {
    const result = new PromptCompressor().compress(seed, { model: 'gpt-4o' });
    assert.equal(
      result.text,
      'Você é um assistente útil e informativo. Responda à pergunta\ncom detalhes e explicações claras, dando exemplos quando apropriado.\nPergunta: Quais são as principais técnicas de otimização para sistemas baseados em LLM?',
    );
    assert.equal(result.tokensBefore, 54);
    // Session 48: " fornecendo" (2 o200k tokens) is " dando" (1), the plainer word (`plainWords`).
    assert.equal(result.tokensAfter, 49);
    assert.deepEqual(result.removed.filter((r) => r.kind !== 'whitespace').map((r) => [r.kind, r.text]), [
      ['politeness', 'Por favor, '],
      ['verbosePhrase', 'responda à seguinte pergunta'],
      ['verbosePhrase', 'fornecendo'],
    ]);
    assert.equal(result.retention.ratio, 1);
    const aggressive = new PromptCompressor().compress(seed, { level: 'aggressive' });
    assert.ok(aggressive.text.startsWith('Você é um assistente. Responda à pergunta'), aggressive.text);
    assert.equal(aggressive.tokensAfter, 45);
  });

  it('distill: keeps the role, the main instruction and the question (the input) whatever the budget, and says it is missed', () => {
    const result = new PromptDistiller().distill(seed, { model: 'gpt-4o' });
    assert.equal(result.maxTokens, 30); // ceil(0.6 × 49)
    // The role sentence, the main instruction and the question are never dropped (issue 12): they are the whole prompt, as
    // compressed above (49 tokens), over the budget, and the result says so. Before, the role went and 40 tokens were left.
    assert.equal(result.text, 'Você é um assistente útil e informativo. Responda à pergunta\ncom detalhes e explicações claras, dando exemplos quando apropriado.\nPergunta: Quais são as principais técnicas de otimização para sistemas baseados em LLM?');
    assert.equal(result.tokensAfter, 49);
    assert.equal(result.fitsBudget, false);
    assert.deepEqual(result.dropped, []);
  });

  it('optimize(quality, 100): sections in Portuguese, the question delimited and last', () => {
    const result = new PromptOptimizer().optimize(seed, { target: 'quality', maxTokens: 100, model: 'gpt-4o' });
    assert.equal(
      result.text,
      '## Papel\nVocê é um assistente útil e informativo.\n\n## Tarefa\nResponda à pergunta\ncom detalhes e explicações claras, dando exemplos quando apropriado.\n\n## Entrada\n<input>\nPergunta: Quais são as principais técnicas de otimização para sistemas baseados em LLM?\n</input>',
    );
    assert.deepEqual(result.sections.map((s) => s.name), ['role', 'task', 'input']);
    assert.equal(result.fitsBudget, true);
    assert.ok(result.tokensAfter <= 100);
    assert.equal(result.retention.ratio, 1);
  });

  it('optimize(efficiency): shorter than the original, no headings', () => {
    const result = new PromptOptimizer().optimize(seed, { target: 'efficiency' });
    assert.ok(result.tokensAfter < result.tokensBefore);
    assert.ok(!result.text.includes('##'));
    assert.ok(result.text.endsWith('Pergunta: Quais são as principais técnicas de otimização para sistemas baseados em LLM?'));
  });
});
