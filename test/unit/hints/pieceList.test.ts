import * as assert from 'node:assert/strict';
import { listedPieces } from '../../../src/shared/hints/pieceList';

describe('the pieces a hover lists of a composed prompt', () => {
  it('lists every piece of a short prompt', () => {
    assert.deepEqual(listedPieces(2, 1), { indices: [0, 1], before: 0, after: 0 });
    assert.deepEqual(listedPieces(8, undefined), { indices: [0, 1, 2, 3, 4, 5, 6, 7], before: 0, after: 0 });
  });

  it('of 47 pieces, the first 8 when none is hovered, and says how many are left out', () => {
    assert.deepEqual(listedPieces(47, undefined), { indices: [0, 1, 2, 3, 4, 5, 6, 7], before: 0, after: 39 });
  });

  it('the hovered piece with its neighbours, kept inside the list at either end', () => {
    assert.deepEqual(listedPieces(47, 20), { indices: [17, 18, 19, 20, 21, 22, 23, 24], before: 17, after: 22 });
    assert.deepEqual(listedPieces(47, 1), { indices: [0, 1, 2, 3, 4, 5, 6, 7], before: 0, after: 39 });
    assert.deepEqual(listedPieces(47, 46), { indices: [39, 40, 41, 42, 43, 44, 45, 46], before: 39, after: 0 });
  });

  it('a hovered index out of range is no hovered piece', () => {
    assert.deepEqual(listedPieces(10, 99, 4), { indices: [0, 1, 2, 3], before: 0, after: 6 });
    assert.deepEqual(listedPieces(0, undefined), { indices: [], before: 0, after: 0 });
  });
});
