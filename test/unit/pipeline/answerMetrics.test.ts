import * as assert from 'node:assert/strict';
import { bestOver, reciprocalRank, squadExactMatch, squadF1, squadNormalize } from '../../../src/engine/pipeline/answerMetrics';

// Expected values worked out by hand from SQuAD's rules: lower-case, drop punctuation,
// drop the articles a/an/the, split on white space; F1 over the bag of tokens.
describe('SQuAD-style answer metrics', () => {
  it('normalises: lower-case, punctuation removed (inside words too), articles dropped, spaces collapsed', () => {
    assert.equal(squadNormalize('The BM25-score, of a Passage!'), 'bm25score of passage');
    assert.equal(squadNormalize('  An   apple\tthe\nend. '), 'apple end');
    // Articles only as whole words: "theme" and "banana" keep their letters.
    assert.equal(squadNormalize('theme banana'), 'theme banana');
    assert.equal(squadNormalize('a an the'), '');
  });

  it('exact match after normalisation', () => {
    assert.equal(squadExactMatch('The cat sat.', 'cat sat'), 1);
    assert.equal(squadExactMatch('top-k', 'topk'), 1);
    assert.equal(squadExactMatch('top-k', 'top k'), 0);
    assert.equal(squadExactMatch('cat sat', 'the cat sat on a mat'), 0);
  });

  it('token F1 by hand', () => {
    // pred {cat, sat, on, mat} vs ref {cat, sat}: overlap 2, P = 2/4, R = 2/2, F1 = 2·0.5·1/1.5 = 2/3.
    assert.equal(squadF1('the cat sat on the mat', 'a cat sat'), 2 / 3);
    // Repeats count once per occurrence in both: pred go×3 vs ref go×1: overlap 1, P = 1/3, R = 1, F1 = 0.5.
    assert.equal(squadF1('go go go', 'go'), 0.5);
    // pred {quantization, stores, weights} vs ref {quantization, stores, model, weights, with, fewer, bits}: overlap 3, P = 1, R = 3/7, F1 = 2·(3/7)/(10/7) = 0.6.
    assert.ok(Math.abs(squadF1('Quantization stores weights.', 'Quantization stores model weights with fewer bits') - 0.6) < 1e-12);
    assert.equal(squadF1('dog', 'cat'), 0);
    // Empty after normalisation: both empty is a match, one empty is not.
    assert.equal(squadF1('the', ''), 1);
    assert.equal(squadF1('', 'cat'), 0);
  });

  it('several references: the best one counts', () => {
    // "cat sat" vs "the cat sat down": P = 1, R = 2/3, F1 = 0.8; vs "dog": 0.
    assert.ok(Math.abs(bestOver(squadF1, 'cat sat', ['dog', 'the cat sat down']) - 0.8) < 1e-12);
    assert.equal(bestOver(squadExactMatch, 'Cat sat', ['dog', 'cat sat']), 1);
    assert.equal(bestOver(squadF1, 'cat', []), 0);
  });

  it('reciprocal rank of the first relevant passage', () => {
    assert.equal(reciprocalRank(['x', 'y', 'z'], ['z', 'q']), 1 / 3);
    assert.equal(reciprocalRank(['z', 'y'], ['y', 'z']), 1);
    assert.equal(reciprocalRank(['x'], ['y']), 0);
  });
});
