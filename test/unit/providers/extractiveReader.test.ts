import * as assert from 'node:assert/strict';
import { resolveProvider } from '../../../src/engine/benchmark/common';
import { createProvider, LocalOnnxGenerator } from '../../../src/engine/providers';
import { ExtractiveReader, parsePrompt, rankSentences, readAnswer, splitSentences } from '../../../src/engine/providers/extractiveReader';
import { EngineError } from '../../../src/protocol/errors';

const drinks = [
  { title: 'Coffee', text: 'Coffee is brewed from roasted beans. It contains caffeine.' },
  { title: 'Tea', text: 'Green tea is made from unoxidized leaves. Black tea is fully oxidized before drying.' },
  { title: 'Water', text: 'Water boils at 100 degrees Celsius at sea level. Tea should be brewed with water just off the boil.' },
];

describe('extractive reader', () => {
  it('splits sentences at . ! ? before a capital or digit, not inside "e.g. x"', () => {
    assert.deepEqual(splitSentences('One e.g. two. Three! 4 is a number? yes'), ['One e.g. two.', 'Three!', '4 is a number? yes']);
  });

  it('picks the answering sentence out of three passages', () => {
    // Query stems {black, tea, proces}: only "Black tea is fully oxidized…" has the rare "black" and "tea".
    assert.equal(readAnswer('How is black tea processed?', drinks), 'Black tea is fully oxidized before drying.');
    assert.equal(readAnswer('At what temperature does water boil?', drinks), 'Water boils at 100 degrees Celsius at sea level.');
    // {coffee, contai}: each stem is in one sentence of the Coffee passage (equal idf, equal
    // passage coverage); BM25's length normalisation favours the 2-stem sentence over the 4-stem one.
    assert.equal(readAnswer('What does coffee contain?', drinks), 'It contains caffeine.');
    assert.equal(readAnswer('quantum chromodynamics', []), '');
    // Nothing of the question in any passage: no answer rather than a guess.
    assert.equal(readAnswer('quantum chromodynamics', drinks), '');
  });

  it('scores by hand: BM25 over the sentences + bigram coverage + 0.5 × passage coverage', () => {
    const passages = [
      { text: 'Tea leaves steep in hot water. It is ready in five minutes.' },
      { text: 'Coffee grounds steep in hot water. It is ready in five minutes.' },
    ];
    // Query stems {coffee, ready}; N = 4 sentences of 5, 3, 5, 3 stems (avgdl 4).
    // idf(coffee) = ln(1 + 3.5/1.5), idf(ready) = ln(1 + 2.5/2.5); BM25 with k1 1.2, b 0.75.
    // Coffee sentence: idf(coffee)·2.2/(1 + 1.2·(0.25 + 0.75·5/4)) + 0.5·1 = 1.5922640
    // "ready" in passage 2: idf(ready)·2.2/(1 + 1.2·(0.25 + 0.75·3/4)) + 0.5·1 = 1.2721133
    // the same sentence in passage 1 (no "coffee" there): coverage idf(ready)/(idf(coffee)+idf(ready)): 0.9547974
    // "Tea leaves…": no query stem; 0.5 × that coverage = 0.1826841
    const ranked = rankSentences('When is the coffee ready?', passages);
    assert.deepEqual(ranked.map((r) => [r.passage, r.sentence]), [
      [1, 'Coffee grounds steep in hot water.'],
      [1, 'It is ready in five minutes.'],
      [0, 'It is ready in five minutes.'],
      [0, 'Tea leaves steep in hot water.'],
    ]);
    const expected = [1.592264, 1.2721133, 0.9547974, 0.1826841];
    ranked.forEach((r, i) => assert.ok(Math.abs(r.score - expected[i]) < 1e-6, `${r.sentence}: ${r.score} vs ${expected[i]}`));
    // A tie goes to the earlier passage (the retriever's order).
    assert.equal(rankSentences('When is it ready?', passages)[0].passage, 0);
  });

  it('reads the question and [n] passages from a prompt when no context is given', () => {
    const parsed = parsePrompt('Context:\n[1] Alpha is first.\n[2] Beta is second.\n\nQuestion: What is second?\nAnswer:');
    assert.equal(parsed.question, 'What is second?');
    assert.deepEqual(parsed.passages, [{ text: 'Alpha is first.' }, { text: 'Beta is second.' }]);
    assert.deepEqual(parsePrompt('Paris is the capital of France. Rome is in Italy.\nWhat is the capital of France?'), { question: 'What is the capital of France?', passages: [{ text: 'Paris is the capital of France. Rome is in Italy.' }] });
  });

  it('answers through the provider interface: context first, word counts, maxTokens cut, streamed chunks', async () => {
    const reader = new ExtractiveReader();
    const chunks: string[] = [];
    const r = await reader.stream({ messages: [{ role: 'user', content: 'ignored prompt text' }], context: { question: 'How is black tea processed?', passages: drinks } }, (c) => chunks.push(c.text));
    assert.equal(r.text, 'Black tea is fully oxidized before drying.');
    assert.equal(chunks.join(''), r.text);
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens, r.finishReason, r.model], [3, 7, 'stop', 'extractive-reader']);
    const cut = await reader.generate({ messages: [{ role: 'user', content: 'x' }], context: { question: 'How is black tea processed?', passages: drinks }, maxTokens: 3 });
    assert.deepEqual([cut.text, cut.finishReason], ['Black tea is', 'length']);
    assert.equal(reader.paid, false);
  });

  it('is the embedded default: provider local and benchmark model "local"; local:bigram keeps the ONNX bigram model', () => {
    assert.ok(createProvider({ provider: 'local', model: 'gpt-4o', localCorpus: 'a b c.' }) instanceof ExtractiveReader);
    assert.ok(createProvider({ provider: 'local', model: 'local-bigram', localCorpus: 'a b c.' }) instanceof LocalOnnxGenerator);
    assert.equal(resolveProvider('local', {}, 'a b c.').model, 'extractive-reader');
    assert.equal(resolveProvider('local:bigram', {}, 'a b c.').model, 'local-bigram');
    assert.throws(() => resolveProvider('local:gpt2', {}, 'a b c.'), (e: EngineError) => e.code === 'badRequest' && /local:bigram/.test(e.hint ?? e.message));
  });
});
