/**
 * Exact expectations for src/engine/model/quantMath.ts. The oracles are independent of the
 * module: scales, zero points, levels and dequantized values worked out by hand from the
 * textbook min/max formulas (scale = (max − min) / (2^bits − 1), zero = round(−min / scale),
 * q = clamp(round(x / scale) + zero, 0, 2^bits − 1), x̂ = (q − zero)·scale), GPTQ checked
 * against the optimal-brain-surgeon update written with an explicit matrix inverse, HQQ
 * against a hand trace of the paper's iteration, and the packing against onnxruntime's own
 * MatMulNBits kernel (fed the identity, it returns the dequantized weight).
 */
import * as assert from 'node:assert/strict';
import { makeAttribute, makeNode } from '../../../src/engine/model/graph';
import { DataType, encodeModel, float32Raw, makeTensor, onnxSchema, type ModelProto } from '../../../src/engine/model/onnx';
import { dequantize, outputError, packLevels, packZeros, quantizeGptq, quantizeHqq, quantizeRtn, relativeError, type BlockQuant } from '../../../src/engine/model/quantMath';
import { openSession } from '../../../src/engine/model/runtime';

const f32 = Math.fround;

/** Deterministic pseudo-random numbers in [-1, 1) (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

function closeArray(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${label}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

/** Textbook asymmetric min/max quantization of one block (the range always contains 0). */
function textbookBlock(values: number[], bits: number): { scale: number; zero: number; q: number[] } {
  const maxq = 2 ** bits - 1;
  const min = Math.min(0, ...values);
  const max = Math.max(0, ...values);
  if (max - min < 1e-12) return { scale: 1, zero: Math.round(maxq / 2), q: values.map(() => Math.round(maxq / 2)) };
  const scale = (max - min) / maxq;
  const zero = Math.max(0, Math.min(maxq, Math.round(-min / scale)));
  return { scale, zero, q: values.map((x) => Math.max(0, Math.min(maxq, Math.round(x / scale) + zero))) };
}

/** Textbook RTN of a whole W[K×N] in the [n][block][i] layout, padding with the zero point. */
function textbookRtn(w: Float32Array, k: number, n: number, bits: number, blockSize: number): { levels: number[]; scales: number[]; zeros: number[]; approx: Float32Array } {
  const nBlocks = Math.ceil(k / blockSize);
  const levels: number[] = [];
  const scales: number[] = [];
  const zeros: number[] = [];
  const approx = new Float32Array(k * n);
  for (let c = 0; c < n; c++) {
    for (let b = 0; b < nBlocks; b++) {
      const rows: number[] = [];
      for (let r = b * blockSize; r < Math.min(k, (b + 1) * blockSize); r++) rows.push(r);
      const t = textbookBlock(rows.map((r) => w[r * n + c]), bits);
      scales.push(t.scale);
      zeros.push(t.zero);
      for (let i = 0; i < blockSize; i++) levels.push(i < rows.length ? t.q[i] : t.zero);
      rows.forEach((r, i) => (approx[r * n + c] = (t.q[i] - t.zero) * f32(t.scale)));
    }
  }
  return { levels, scales, zeros, approx };
}

function randomWeights(seed: number, count: number, spread = 1): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: count }, () => r() * spread);
}

/** Inverse of a small square matrix by Gauss–Jordan elimination with partial pivoting. */
function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

/**
 * GPTQ's result written as the optimal brain surgeon does it (Frantar & Alistarh): quantize
 * weight i, then move the not-yet-quantized weights F by −(w_i − q_i)·[H_F⁻¹]_{·,i}/[H_F⁻¹]_{ii},
 * with H_F⁻¹ the inverse of the damped Hessian restricted to F (no Cholesky). Block
 * parameters are the textbook ones of the block's weights when the block is reached.
 */
function obsGptq(w: Float32Array, k: number, n: number, bits: number, blockSize: number, hessian: number[][], dampFraction: number): number[] {
  const maxq = 2 ** bits - 1;
  let mean = 0;
  for (let i = 0; i < k; i++) mean += hessian[i][i];
  mean = mean / k || 1;
  const h = hessian.map((row, i) => row.map((v, j) => (i === j ? v + dampFraction * mean + 1e-8 : v)));
  const nBlocks = Math.ceil(k / blockSize);
  const levels = new Array<number>(n * nBlocks * blockSize).fill(0);
  for (let c = 0; c < n; c++) {
    const work = Array.from({ length: k }, (_, i) => (hessian[i][i] === 0 ? 0 : w[i * n + c]));
    let scale = 1;
    let zero = 0;
    for (let i = 0; i < k; i++) {
      const b = Math.floor(i / blockSize);
      if (i % blockSize === 0) {
        const t = textbookBlock(work.slice(i, Math.min(k, i + blockSize)), bits);
        scale = t.scale;
        zero = t.zero;
        for (let pad = Math.min(k, i + blockSize) - i; pad < blockSize; pad++) levels[(c * nBlocks + b) * blockSize + pad] = zero;
      }
      const q = Math.max(0, Math.min(maxq, Math.round(work[i] / scale) + zero));
      levels[(c * nBlocks + b) * blockSize + (i % blockSize)] = q;
      const free = Array.from({ length: k - i }, (_, j) => i + j);
      const hinv = invert(free.map((r) => free.map((s) => h[r][s])));
      const e = work[i] - (q - zero) * scale;
      for (let j = 1; j < free.length; j++) work[free[j]] -= (e * hinv[j][0]) / hinv[0][0];
    }
  }
  return levels;
}

function gramOf(x: Float32Array, rows: number, k: number): number[][] {
  const g = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) g[i][j] += x[r * k + i] * x[r * k + j];
  return g;
}

const flat = (m: number[][]) => Float64Array.from(m.flat());

describe('quantMath: exact values from independent oracles', () => {
  describe('quantizeRtn', () => {
    it('2-bit block [-1, 0, 0.4, 2]: scale 1, zero 1, levels [0, 1, 1, 3] (by hand)', () => {
      const q = quantizeRtn(Float32Array.from([-1, 0, 0.4, 2]), 4, 1, 2, 4);
      assert.deepEqual([q.k, q.n, q.bits, q.blockSize, q.nBlocks, q.floatZeros], [4, 1, 2, 4, 1, false]);
      assert.deepEqual(Array.from(q.scales), [1]);
      assert.deepEqual(Array.from(q.zeros), [1]);
      assert.deepEqual(Array.from(q.levels), [0, 1, 1, 3]);
      assert.deepEqual(Array.from(dequantize(q)), [-1, 0, 0, 2]);
    });

    it('4-bit block [-1.25, 0.3, 1, 2.5]: scale 3.75/15 = 0.25, zero 5, levels [0, 6, 9, 15]', () => {
      const q = quantizeRtn(Float32Array.from([-1.25, 0.3, 1, 2.5]), 4, 1, 4, 4);
      assert.deepEqual(Array.from(q.scales), [0.25]);
      assert.deepEqual(Array.from(q.zeros), [5]);
      assert.deepEqual(Array.from(q.levels), [0, 6, 9, 15]);
      assert.deepEqual(Array.from(dequantize(q)), [-1.25, 0.25, 1, 2.5]);
    });

    it('3-bit all-positive block [0.4, 1.6, 3.2, 7]: the range starts at 0, so scale 1 and zero 0', () => {
      const q = quantizeRtn(Float32Array.from([0.4, 1.6, 3.2, 7]), 4, 1, 3, 4);
      assert.deepEqual(Array.from(q.scales), [1]);
      assert.deepEqual(Array.from(q.zeros), [0]);
      assert.deepEqual(Array.from(q.levels), [0, 2, 3, 7]);
    });

    it('2-bit all-negative block [-3, -2.2, -1, -0.4]: the range ends at 0, zero = 3 = 2^2 − 1', () => {
      const q = quantizeRtn(Float32Array.from([-3, -2.2, -1, -0.4]), 4, 1, 2, 4);
      assert.deepEqual(Array.from(q.scales), [1]);
      assert.deepEqual(Array.from(q.zeros), [3]);
      assert.deepEqual(Array.from(q.levels), [0, 1, 2, 3]);
      assert.deepEqual(Array.from(dequantize(q)), [-3, -2, -1, 0]);
    });

    it('2-bit block [-0.5, 2.5, 0, 1]: zero = round(0.5) = 1 puts 2.5 at 3.5 → 4, clamped to the top level 3', () => {
      const q = quantizeRtn(Float32Array.from([-0.5, 2.5, 0, 1]), 4, 1, 2, 4);
      assert.deepEqual(Array.from(q.zeros), [1]);
      assert.deepEqual(Array.from(q.levels), [1, 3, 1, 2]);
    });

    it('an all-zero 4-bit block gets scale 1 and the middle level round(15/2) = 8, padding included', () => {
      const q = quantizeRtn(new Float32Array(3), 3, 1, 4, 4);
      assert.deepEqual(Array.from(q.scales), [1]);
      assert.deepEqual(Array.from(q.zeros), [8]);
      assert.deepEqual(Array.from(q.levels), [8, 8, 8, 8]);
      assert.deepEqual(Array.from(dequantize(q)), [0, 0, 0]);
    });

    it('K=5, N=2, block 4: blocks per column, row-major reads, padding past K holds the zero point', () => {
      // Rows 0..4, two columns: col0 = [-1, 0, 0.4, 2 | 3], col1 = [0, 0, 0, 0 | -0.6].
      const w = Float32Array.from([-1, 0, 0, 0, 0.4, 0, 2, 0, 3, -0.6]);
      const q = quantizeRtn(w, 5, 2, 2, 4);
      assert.equal(q.nBlocks, 2);
      // (col0,b0) scale 1 zero 1; (col0,b1) [3]: scale 1 zero 0; (col1,b0) zeros: scale 1 zero 2; (col1,b1) [-0.6]: scale 0.2 zero 3.
      closeArray(q.scales, [1, 1, 1, 0.2], 1e-7, 'scales');
      assert.deepEqual(Array.from(q.zeros), [1, 0, 2, 3]);
      assert.deepEqual(Array.from(q.levels), [0, 1, 1, 3, 3, 0, 0, 0, 2, 2, 2, 2, 0, 3, 3, 3]);
      closeArray(dequantize(q), [-1, 0, 0, 0, 0, 0, 2, 0, 3, -0.6], 1e-6, 'dequantized');
    });

    for (const [bits, blockSize, seed] of [[2, 8, 1], [3, 16, 2], [4, 16, 3], [8, 32, 4]] as const) {
      it(`${bits}-bit, block ${blockSize}, K=37 N=3 random weights: equal to the textbook formula, every level in [0, ${2 ** bits - 1}]`, () => {
        const w = randomWeights(seed, 37 * 3, 2);
        const q = quantizeRtn(w, 37, 3, bits, blockSize);
        const t = textbookRtn(w, 37, 3, bits, blockSize);
        assert.deepEqual(Array.from(q.levels), t.levels);
        assert.deepEqual(Array.from(q.zeros), t.zeros);
        closeArray(q.scales, t.scales, 1e-7, 'scales');
        closeArray(dequantize(q), t.approx, 1e-6, 'dequantized');
        assert.ok(Math.max(...q.levels) <= 2 ** bits - 1);
        // The top level is reached: a level past 2^bits − 1 would show.
        assert.equal(Math.max(...q.levels), 2 ** bits - 1);
      });
    }
  });

  describe('dequantize', () => {
    it('(level − zero)·scale per block from a hand-made BlockQuant, padding ignored', () => {
      const q: BlockQuant = {
        k: 3, n: 2, bits: 4, blockSize: 2, nBlocks: 2, floatZeros: true,
        // [n][block][i]: col0 b0 [1, 3], col0 b1 [5, pad 9], col1 b0 [0, 2], col1 b1 [1, pad 9]
        levels: Uint8Array.from([1, 3, 5, 9, 0, 2, 1, 9]),
        scales: Float32Array.from([0.5, 2, 0.25, 1]),
        zeros: Float32Array.from([1, 2, 0.5, 3]),
      };
      // Row-major [3×2]: row0 = [(1−1)·0.5, (0−0.5)·0.25], row1 = [(3−1)·0.5, (2−0.5)·0.25], row2 = [(5−2)·2, (1−3)·1].
      assert.deepEqual(Array.from(dequantize(q)), [0, -0.125, 1, 0.375, 6, -2]);
    });
  });

  describe('quantizeHqq', () => {
    it('iterations 0 is min/max with a real zero point: scale (max − min)/maxq, zero −min/scale', () => {
      // 2-bit, [0.6, 1, 2, 3.6]: scale 3/3 = 1, zero −0.6, levels round(x − 0.6) = [0, 0, 1, 3].
      const q = quantizeHqq(Float32Array.from([0.6, 1, 2, 3.6]), 4, 1, 2, 4, { iterations: 0 });
      assert.equal(q.floatZeros, true);
      closeArray(q.scales, [1], 1e-7, 'scale');
      closeArray(q.zeros, [-0.6], 1e-7, 'zero');
      assert.deepEqual(Array.from(q.levels), [0, 0, 1, 3]);
      closeArray(dequantize(q), [0.6, 0.6, 1.6, 3.6], 1e-6, 'dequantized');
    });

    it('a constant block dequantizes exactly: scale 1, zero = round(maxq/2) − value, levels at the middle', () => {
      const q = quantizeHqq(Float32Array.from([0.75, 0.75, 0.75]), 3, 1, 4, 4);
      assert.deepEqual(Array.from(q.scales), [1]);
      assert.deepEqual(Array.from(q.zeros), [8 - 0.75]);
      // Padding: round(7.25) = 7.
      assert.deepEqual(Array.from(q.levels), [8, 8, 8, 7]);
      assert.deepEqual(Array.from(dequantize(q)), [0.75, 0.75, 0.75]);
    });

    it('padding levels are the rounded zero point clamped into [0, maxq]', () => {
      // Constant −20 → zero 8 + 20 = 28 → padding clamps to 15; constant 20 → zero −12 → padding 0.
      const q = quantizeHqq(Float32Array.from([-20, 20]), 1, 2, 4, 2);
      assert.deepEqual(Array.from(q.zeros), [28, -12]);
      assert.deepEqual(Array.from(q.levels), [8, 15, 8, 0]);
    });

    it('hand trace, 2-bit 8 weights: the first zero update lowers the mean |error|, the second raises it, so the first update is kept', () => {
      // min −0.91, max 0.80: inv = 3/1.71. Iteration 0: zero 1.5965, mean |e| 0.10500;
      // update (lp shrinkage, β = 10, p = 0.7) → zero 1.52312, mean |e| 0.10046 (better);
      // next update → zero 1.49566, mean |e| 0.10125 (worse: stop, keep 1.52312).
      const w = Float32Array.from([-0.72, 0.25, -0.58, 0.8, 0.27, -0.23, -0.91, 0.47]);
      const q = quantizeHqq(w, 8, 1, 2, 8);
      closeArray(q.scales, [0.57000001], 1e-7, 'scale');
      closeArray(q.zeros, [1.5231187], 1e-5, 'zero');
      assert.deepEqual(Array.from(q.levels), [0, 2, 1, 3, 2, 1, 0, 2]);
      // The zero after the worse step (1.49566) would move the third weight (−0.58) to level 0:
      // keeping the last zero instead of the best one shows in the levels.
      const worse = Math.round(f32(-0.58) / f32(0.57) + 1.4956635);
      assert.equal(worse, 0);
    });

    it('hand trace, 2-bit [0, 0.45, 1.45, 2.45, 3]: the error falls for all 20 default iterations', () => {
      // Each step shrinks the mean |e| (0.2700 → 0.19508); the 20th zero is −0.374579.
      const w = Float32Array.from([0, 0.45, 1.45, 2.45, 3]);
      const q = quantizeHqq(w, 5, 1, 2, 5);
      closeArray(q.scales, [1], 1e-7, 'scale');
      closeArray(q.zeros, [-0.3745794], 1e-5, 'zero');
      assert.deepEqual(Array.from(q.levels), [0, 0, 1, 2, 3]);
      // One iteration more or less gives a zero of −0.37376 or −0.37540 — further than 5e-4.
      const nineteen = quantizeHqq(w, 5, 1, 2, 5, { iterations: 19 });
      closeArray(nineteen.zeros, [-0.373763], 1e-5, '19 iterations');
    });

    it('blocks of one column are optimized separately; padding is the block\'s own rounded zero', () => {
      // K=13, block 8: block 0 is constant 2.9 (zero 2 − 2.9, levels 2); block 1 is the 20-step
      // trace above with 3 padding levels round(−0.3746) = 0.
      const w = Float32Array.from([2.9, 2.9, 2.9, 2.9, 2.9, 2.9, 2.9, 2.9, 0, 0.45, 1.45, 2.45, 3]);
      const q = quantizeHqq(w, 13, 1, 2, 8);
      closeArray(q.scales, [1, 1], 1e-7, 'scales');
      closeArray(q.zeros, [2 - f32(2.9), -0.3745794], 1e-5, 'zeros');
      assert.deepEqual(Array.from(q.levels), [2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 1, 2, 3, 0, 0, 0]);
    });

    it('stops on an equal error: [0, 0.5, 2.6, 3] keeps the initial zero 0', () => {
      // Iteration 0: zero 0, mean |e| 0.225; the update gives zero 0.0637 with the same mean |e|
      // (the shift cancels between weights), which is not an improvement.
      const q = quantizeHqq(Float32Array.from([0, 0.5, 2.6, 3]), 4, 1, 2, 4);
      closeArray(q.zeros, [0], 1e-12, 'zero');
      assert.deepEqual(Array.from(q.levels), [0, 1, 3, 3]);
    });

    it('the lp exponent is used: p = 1 gives a different zero on the 20-step trace', () => {
      const w = Float32Array.from([0, 0.45, 1.45, 2.45, 3]);
      const a = quantizeHqq(w, 5, 1, 2, 5);
      const b = quantizeHqq(w, 5, 1, 2, 5, { p: 1 });
      assert.ok(Math.abs(a.zeros[0] - b.zeros[0]) > 1e-3, `${a.zeros[0]} vs ${b.zeros[0]}`);
    });

    for (const bits of [2, 3, 4]) {
      it(`${bits}-bit random weights (K=40, N=3, block 16): levels within [0, ${2 ** bits - 1}], scale (max−min)/maxq, mean |error| no worse than min/max`, () => {
        const w = randomWeights(10 + bits, 40 * 3, 1.5);
        const q = quantizeHqq(w, 40, 3, bits, 16);
        const maxq = 2 ** bits - 1;
        assert.ok(Math.max(...q.levels) <= maxq);
        assert.equal(Math.max(...q.levels), maxq);
        const approx = dequantize(q);
        const plain = dequantize(quantizeHqq(w, 40, 3, bits, 16, { iterations: 0 }));
        for (let c = 0; c < 3; c++) {
          for (let b = 0; b < 3; b++) {
            const rows: number[] = [];
            for (let r = b * 16; r < Math.min(40, (b + 1) * 16); r++) rows.push(r);
            const vals = rows.map((r) => w[r * 3 + c]);
            closeArray([q.scales[c * 3 + b]], [(Math.max(...vals) - Math.min(...vals)) / maxq], 1e-6, `scale c${c} b${b}`);
            const err = (a: Float32Array) => rows.reduce((s, r) => s + Math.abs(w[r * 3 + c] - a[r * 3 + c]), 0);
            assert.ok(err(approx) <= err(plain) + 1e-6, `block c${c} b${b}: ${err(approx)} > ${err(plain)}`);
          }
        }
      });
    }
  });

  describe('quantizeGptq', () => {
    // H = [[1, 0.9], [0.9, 1]]: H⁻¹ ∝ [[1, −0.9], [−0.9, 1]], so after weight 0 the OBS update moves
    // weight 1 by +0.9·(w0 − q0) (undamped) or +(0.9/1.01)·(w0 − q0) with the default 1 % damping.
    const h2 = [[1, 0.9], [0.9, 1]];
    const w2 = Float32Array.from([0.8, -0.9]);

    it('2 weights, 2-bit, correlated inputs: error feedback moves weight 1 from level 0 (RTN) to level 1 (by hand)', () => {
      // min −0.9, max 0.8: scale 1.7/3, zero round(1.588) = 2. q0 = round(1.412) + 2 = 3 → 0.5667, e = 0.2333.
      // w1' = −0.9 + 0.9·0.2333 = −0.69 → round(−1.218) + 2 = 1. RTN: round(−1.588) + 2 = 0.
      for (const q of [quantizeGptq(w2, 2, 1, 2, 2, flat(h2), { dampFraction: 0 }), quantizeGptq(w2, 2, 1, 2, 2, flat(h2))]) {
        closeArray(q.scales, [1.7 / 3], 1e-6, 'scale');
        assert.deepEqual(Array.from(q.zeros), [2]);
        assert.deepEqual(Array.from(q.levels), [3, 1]);
      }
      assert.deepEqual(Array.from(quantizeRtn(w2, 2, 1, 2, 2).levels), [3, 0]);
    });

    it('3 weights in a block of 4, 2-bit: the update reaches every later weight (oracle: OBS with explicit inverses)', () => {
      // min −0.8, max 0.7: scale 0.5, zero round(1.6) = 2; the padding level is the zero point 2.
      const h3 = [[2, 1, 0.5], [1, 2, 1], [0.5, 1, 2]];
      const w = Float32Array.from([0.7, -0.8, -0.3]);
      const q = quantizeGptq(w, 3, 1, 2, 4, flat(h3), { dampFraction: 0 });
      assert.deepEqual(Array.from(q.levels), obsGptq(w, 3, 1, 2, 4, h3, 0));
      assert.deepEqual(Array.from(q.levels), [3, 1, 1, 2]);
      assert.deepEqual(Array.from(quantizeRtn(w, 3, 1, 2, 4).levels), [3, 0, 1, 2]);
    });

    it('heavy damping (dampFraction 10) shrinks the update to 0.9/11·e and weight 1 stays at level 0', () => {
      const q = quantizeGptq(w2, 2, 1, 2, 2, flat(h2), { dampFraction: 10 });
      assert.deepEqual(Array.from(q.levels), [3, 0]);
    });

    it('a dead input (zero Hessian diagonal) has its weights zeroed before the block parameters are taken', () => {
      // Work = [0, −0.9]: min −0.9, max 0 → scale 0.3, zero 3; levels [3, 0]; dequantized [0, −0.9].
      const q = quantizeGptq(w2, 2, 1, 2, 2, flat([[0, 0], [0, 1]]));
      closeArray(q.scales, [0.3], 1e-7, 'scale');
      assert.deepEqual(Array.from(q.zeros), [3]);
      assert.deepEqual(Array.from(q.levels), [3, 0]);
      closeArray(dequantize(q), [0, -0.9], 1e-6, 'dequantized');
    });

    it('a dead input in row 1 of two columns: only that row is zeroed, in each column', () => {
      // Columns [0.8, −0.9] and [0.5, −0.3] become [0.8, 0] and [0.5, 0]: zero 0, levels [3, 0].
      const q = quantizeGptq(Float32Array.from([0.8, 0.5, -0.9, -0.3]), 2, 2, 2, 2, flat([[1, 0], [0, 0]]));
      assert.equal(q.floatZeros, false);
      assert.deepEqual(Array.from(q.zeros), [0, 0]);
      closeArray(q.scales, [0.8 / 3, 0.5 / 3], 1e-7, 'scales');
      assert.deepEqual(Array.from(q.levels), [3, 0, 3, 0]);
    });

    it('a diagonal Hessian gives no feedback: GPTQ equals textbook RTN', () => {
      const w = randomWeights(21, 6 * 2);
      const q = quantizeGptq(w, 6, 2, 3, 4, flat([[2, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0], [0, 0, 3, 0, 0, 0], [0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 5, 0], [0, 0, 0, 0, 0, 1]]));
      const t = textbookRtn(w, 6, 2, 3, 4);
      assert.deepEqual(Array.from(q.levels), t.levels);
      assert.deepEqual(Array.from(q.zeros), t.zeros);
    });

    for (const [k, n, bits, blockSize, seed] of [[16, 2, 2, 8, 31], [8, 3, 3, 4, 32], [10, 2, 2, 4, 33], [12, 2, 4, 8, 34]] as const) {
      it(`K=${k} N=${n} ${bits}-bit block ${blockSize}: levels equal the optimal-brain-surgeon oracle, and differ from RTN`, () => {
        const w = randomWeights(seed, k * n);
        const x = randomWeights(seed + 100, 4 * k * k);
        // Correlated inputs: each row mixes its neighbour so H has large off-diagonal terms.
        for (let r = 0; r < 4 * k; r++) for (let i = 1; i < k; i++) x[r * k + i] += 0.8 * x[r * k + i - 1];
        const h = gramOf(x, 4 * k, k);
        const q = quantizeGptq(w, k, n, bits, blockSize, flat(h));
        assert.deepEqual(Array.from(q.levels), obsGptq(w, k, n, bits, blockSize, h, 0.01));
        assert.notDeepEqual(Array.from(q.levels), textbookRtn(w, k, n, bits, blockSize).levels);
        assert.ok(Math.max(...q.levels) <= 2 ** bits - 1);
      });
    }

    it('lowers the output error ‖X(W − Ŵ)‖² against RTN on correlated inputs', () => {
      const k = 12;
      const w = randomWeights(41, k * 4);
      const x = randomWeights(42, 6 * k * k);
      for (let r = 0; r < 6 * k; r++) for (let i = 1; i < k; i++) x[r * k + i] += 0.8 * x[r * k + i - 1];
      const h = flat(gramOf(x, 6 * k, k));
      const g = outputError(w, dequantize(quantizeGptq(w, k, 4, 3, 4, h)), h, k, 4);
      const r = outputError(w, dequantize(quantizeRtn(w, k, 4, 3, 4)), h, k, 4);
      assert.ok(g < r, `GPTQ ${g} vs RTN ${r}`);
    });
  });

  describe('error measures', () => {
    it('relativeError: ‖W − Ŵ‖/‖W‖ by hand, and it is not symmetric', () => {
      assert.equal(relativeError([3, 4], [0, 0]), 1);
      assert.equal(relativeError([3, 4], [3, 0]), 0.8);
      assert.equal(relativeError([3, 0], [3, 4]), 4 / 3);
      assert.equal(relativeError([3, 4], [3, 4]), 0);
      assert.equal(relativeError([0, 0], [1, 0]), 0);
    });

    it('outputError: dᵀHd / wᵀHw summed over columns, by hand', () => {
      const h = Float64Array.from([2, 1, 1, 3]);
      // K=2, N=1: w = [1, 2], ŵ = [1, 1] → d = [0, 1]: dᵀHd = 3; wᵀHw = 2 + 2·2 + 12 = 18.
      assert.equal(outputError([1, 2], [1, 1], h, 2, 1), 3 / 18);
      // K=2, N=2 row-major: col0 as above; col1 w = [0, 1], ŵ = [1, 1] → d = [−1, 0]: dᵀHd = 2, wᵀHw = 3.
      assert.equal(outputError([1, 0, 2, 1], [1, 1, 1, 1], h, 2, 2), 5 / 21);
      // Off-diagonal sign: d = [1, −1] → 2 − 2 + 3 = 3 over wᵀHw = 18.
      assert.equal(outputError([1, 2], [0, 3], h, 2, 1), 3 / 18);
      // Asymmetric: swapping W and Ŵ changes the denominator (wᵀHw with w = [1, 1] is 7).
      assert.equal(outputError([1, 1], [1, 2], h, 2, 1), 3 / 7);
      assert.equal(outputError([0, 0], [1, 1], h, 2, 1), 0);
    });
  });

  describe('packing', () => {
    const quant = (levels: number[], zeros: number[], n: number, nBlocks: number, blockSize: number, bits: number): BlockQuant => ({
      k: nBlocks * blockSize, n, bits, blockSize, nBlocks, floatZeros: false, levels: Uint8Array.from(levels), scales: new Float32Array(n * nBlocks).fill(1), zeros: Float32Array.from(zeros),
    });

    it('packLevels, 4-bit: two levels per byte, low nibble first', () => {
      const q = quant([1, 2, 3, 4, 15, 0, 7, 8], [0, 0], 2, 1, 4, 4);
      assert.deepEqual(Array.from(packLevels(q, 4)), [0x21, 0x43, 0x0f, 0x87]);
    });

    it('packLevels, 2-bit: four levels per byte, lowest bits first; blocks of a column follow each other', () => {
      const q = quant([1, 2, 3, 0, 0, 1, 2, 3], [0, 0], 1, 2, 4, 2);
      assert.deepEqual(Array.from(packLevels(q, 2)), [0b00111001, 0b11100100]);
    });

    it('packLevels, 8-bit: one level per byte; 3-bit levels in 4-bit containers', () => {
      assert.deepEqual(Array.from(packLevels(quant([200, 3, 17, 255], [0], 1, 1, 4, 8), 8)), [200, 3, 17, 255]);
      assert.deepEqual(Array.from(packLevels(quant([7, 5, 6, 2], [0], 1, 1, 4, 3), 4)), [0x57, 0x26]);
    });

    it('packZeros: [N, ceil(nBlocks·bits/8)] bytes, real zeros rounded', () => {
      const q4 = quant(new Array<number>(24).fill(0), [1, 2, 3, 4.4, 5.6, 15], 2, 3, 4, 4);
      assert.deepEqual(Array.from(packZeros(q4, 4)), [0x21, 0x03, 0x64, 0x0f]);
      const q2 = quant(new Array<number>(20).fill(0), [1, 2, 3, 0, 2], 1, 5, 4, 2);
      assert.deepEqual(Array.from(packZeros(q2, 2)), [0b00111001, 0b10]);
      const q8 = quant(new Array<number>(8).fill(0), [128, 7], 1, 2, 4, 8);
      assert.deepEqual(Array.from(packZeros(q8, 8)), [128, 7]);
    });
  });

  describe('onnxruntime MatMulNBits reads the packed weights as the textbook dequantization', function () {
    this.timeout(60_000);

    /** A model computing Y = X · MatMulNBits(B, scales, zero points), X [K×K]. */
    async function nbitsModel(q: BlockQuant, containerBits: 2 | 4 | 8): Promise<ModelProto> {
      const onnx = await onnxSchema();
      const vi = (name: string, dims: number[]) =>
        onnx.create(onnx.ValueInfoProtoSchema, {
          name,
          type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: 1, shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: dims.map((d) => onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })) }) }) } }),
        });
      const blob = (q.blockSize * containerBits) / 8;
      const b = await makeTensor('B', DataType.UINT8, [q.n, q.nBlocks, blob], packLevels(q, containerBits));
      const scales = await makeTensor('scales', DataType.FLOAT, [q.n * q.nBlocks], float32Raw(q.scales));
      const zp = q.floatZeros
        ? await makeTensor('zp', DataType.FLOAT, [q.n * q.nBlocks], float32Raw(q.zeros))
        : await makeTensor('zp', DataType.UINT8, [q.n * Math.ceil((q.nBlocks * containerBits) / 8)], packZeros(q, containerBits));
      const attrs = await Promise.all([makeAttribute('K', q.k), makeAttribute('N', q.n), makeAttribute('bits', containerBits), makeAttribute('block_size', q.blockSize), makeAttribute('accuracy_level', 0)]);
      const node = await makeNode('MatMulNBits', ['x', 'B', 'scales', 'zp'], ['y'], 'mmnb', attrs, 'com.microsoft');
      const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: [node], initializer: [b, scales, zp], input: [vi('x', [q.k, q.k])], output: [vi('y', [q.k, q.n])] });
      return onnx.create(onnx.ModelProtoSchema, {
        irVersion: 8n,
        producerName: 'pepperpy-test',
        opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n }), onnx.create(onnx.OperatorSetIdProtoSchema, { domain: 'com.microsoft', version: 1n })],
        graph,
      });
    }

    async function runIdentity(q: BlockQuant, containerBits: 2 | 4 | 8): Promise<Float32Array> {
      const session = await openSession(await encodeModel(await nbitsModel(q, containerBits)), 'cpu', { graphOptimizationLevel: 'disabled' });
      const eye = new Float32Array(q.k * q.k);
      for (let i = 0; i < q.k; i++) eye[i * q.k + i] = 1;
      const out = await session.run({ x: { type: 'float32', data: eye, dims: [q.k, q.k] } });
      await session.release();
      return out.y.data;
    }

    for (const [bits, container] of [[2, 2], [3, 4], [4, 4], [8, 8]] as const) {
      it(`RTN ${bits}-bit in ${container}-bit containers, K=20 N=3 block 16 (a padded second block)`, async () => {
        const w = randomWeights(50 + bits, 20 * 3, 1.2);
        const q = quantizeRtn(w, 20, 3, bits, 16);
        const t = textbookRtn(w, 20, 3, bits, 16);
        closeArray(await runIdentity(q, container), t.approx, 1e-5, 'onnxruntime');
      });
    }

    it('HQQ 4-bit with real-valued zero points', async () => {
      const w = randomWeights(60, 20 * 3, 1.2);
      const q = quantizeHqq(w, 20, 3, 4, 16);
      closeArray(await runIdentity(q, 4), dequantize(q), 1e-5, 'onnxruntime');
    });
  });
});
