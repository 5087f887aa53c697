/**
 * Block-wise weight quantization for a linear layer W[K×N] (row-major, y = x·W): round to
 * nearest, HQQ (half-quadratic optimization of the zero point, no data needed) and GPTQ
 * (column-by-column quantization with error feedback through the inverse Hessian of the
 * layer's inputs), plus packing into onnxruntime's MatMulNBits layout.
 *
 * Blocks run along K for each output column n, which is how MatMulNBits stores them:
 * B[n][block][bytes], scales[n·nBlocks + block], zero points likewise.
 */
import { cholesky, damp, spdInverse } from './linalg';

export interface BlockQuant {
  k: number;
  n: number;
  /** Quantization levels 0..2^bits-1. */
  bits: number;
  blockSize: number;
  nBlocks: number;
  /** Level per element, indexed [n][block][i] (padding past K holds the zero point, rounded). */
  levels: Uint8Array;
  scales: Float32Array;
  /** Zero points; integers for RTN/GPTQ, real-valued for HQQ. */
  zeros: Float32Array;
  floatZeros: boolean;
}

function blockRange(b: number, blockSize: number, k: number): [number, number] {
  return [b * blockSize, Math.min(k, (b + 1) * blockSize)];
}

function minMaxParams(values: ArrayLike<number>, count: number, maxq: number): { scale: number; zero: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi - lo < 1e-12) return { scale: 1, zero: Math.round(maxq / 2) };
  const scale = (hi - lo) / maxq;
  const zero = Math.min(maxq, Math.max(0, Math.round(-lo / scale)));
  return { scale, zero };
}

function emptyQuant(k: number, n: number, bits: number, blockSize: number, floatZeros: boolean): BlockQuant {
  const nBlocks = Math.ceil(k / blockSize);
  return { k, n, bits, blockSize, nBlocks, levels: new Uint8Array(n * nBlocks * blockSize), scales: new Float32Array(n * nBlocks), zeros: new Float32Array(n * nBlocks), floatZeros };
}

/** Round-to-nearest with an asymmetric min/max range per block. */
export function quantizeRtn(w: Float32Array, k: number, n: number, bits: number, blockSize: number): BlockQuant {
  const q = emptyQuant(k, n, bits, blockSize, false);
  const maxq = 2 ** bits - 1;
  const block = new Float64Array(blockSize);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < q.nBlocks; b++) {
      const [start, end] = blockRange(b, blockSize, k);
      for (let i = start; i < end; i++) block[i - start] = w[i * n + col];
      const { scale, zero } = minMaxParams(block, end - start, maxq);
      const idx = col * q.nBlocks + b;
      q.scales[idx] = scale;
      q.zeros[idx] = zero;
      const base = idx * blockSize;
      for (let i = 0; i < blockSize; i++) {
        q.levels[base + i] = i < end - start ? Math.min(maxq, Math.max(0, Math.round(block[i] / scale + zero))) : zero;
      }
    }
  }
  return q;
}

/**
 * HQQ (Badri & Shaji, 2023): keeps the min/max scale and optimizes a real-valued zero point
 * per block by half-quadratic splitting with an lp (p < 1) error, which favours fitting most
 * weights closely over outliers. Needs no data.
 */
export function quantizeHqq(w: Float32Array, k: number, n: number, bits: number, blockSize: number, options: { iterations?: number; p?: number } = {}): BlockQuant {
  const q = emptyQuant(k, n, bits, blockSize, true);
  const maxq = 2 ** bits - 1;
  const iterations = options.iterations ?? 20;
  const p = options.p ?? 0.7;
  const block = new Float64Array(blockSize);
  const wq = new Float64Array(blockSize);
  for (let col = 0; col < n; col++) {
    for (let b = 0; b < q.nBlocks; b++) {
      const [start, end] = blockRange(b, blockSize, k);
      const count = end - start;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = start; i < end; i++) {
        const v = w[i * n + col];
        block[i - start] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const idx = col * q.nBlocks + b;
      if (hi - lo < 1e-12) {
        q.scales[idx] = 1;
        q.zeros[idx] = Math.round(maxq / 2) - lo;
      } else {
        const inv = maxq / (hi - lo);
        let zero = -lo * inv;
        let beta = 10;
        let best = Infinity;
        let bestZero = zero;
        for (let it = 0; it < iterations; it++) {
          let err = 0;
          let zsum = 0;
          for (let i = 0; i < count; i++) {
            const level = Math.min(maxq, Math.max(0, Math.round(block[i] * inv + zero)));
            wq[i] = level;
            const r = (level - zero) / inv;
            const e = block[i] - r;
            err += Math.abs(e);
            const ae = Math.abs(e);
            const shrunk = ae > 0 ? Math.sign(e) * Math.max(0, ae - (1 / beta) * ae ** (p - 1)) : 0;
            zsum += level - (block[i] - shrunk) * inv;
          }
          // Stryker disable next-line AssignmentOperator: err·count orders the iterations of one block exactly as err/count does.
          err /= count;
          if (err < best) {
            best = err;
            bestZero = zero;
          } else break;
          zero = zsum / count;
          beta *= 1.01;
        }
        q.scales[idx] = 1 / inv;
        q.zeros[idx] = bestZero;
      }
      const scale = q.scales[idx];
      const zero = q.zeros[idx];
      const base = idx * blockSize;
      for (let i = 0; i < blockSize; i++) {
        q.levels[base + i] = i < count ? Math.min(maxq, Math.max(0, Math.round(block[i] / scale + zero))) : Math.min(maxq, Math.max(0, Math.round(zero)));
      }
    }
  }
  return q;
}

/**
 * GPTQ (Frantar et al., 2022) with per-block min/max parameters computed when a block is
 * reached. `hessian` is Xᵀ X [K×K] of the layer's inputs on calibration data.
 */
export function quantizeGptq(w: Float32Array, k: number, n: number, bits: number, blockSize: number, hessian: Float64Array, options: { dampFraction?: number } = {}): BlockQuant {
  const q = emptyQuant(k, n, bits, blockSize, false);
  const maxq = 2 ** bits - 1;
  const work = Float64Array.from(w);
  const h = damp(hessian, k, options.dampFraction ?? 0.01);
  for (let i = 0; i < k; i++) {
    if (hessian[i * k + i] === 0) for (let c = 0; c < n; c++) work[i * n + c] = 0;
  }
  const hinv = spdInverse(h, k);
  const lower = cholesky(hinv, k);
  // GPTQ's upper factor U = Lᵀ, so U[i][j] = L[j][i].
  const scale = new Float64Array(n);
  const zero = new Float64Array(n);
  const column = new Float64Array(blockSize);
  for (let i = 0; i < k; i++) {
    const b = Math.floor(i / blockSize);
    if (i % blockSize === 0) {
      const [start, end] = blockRange(b, blockSize, k);
      for (let c = 0; c < n; c++) {
        for (let r = start; r < end; r++) column[r - start] = work[r * n + c];
        const prm = minMaxParams(column, end - start, maxq);
        scale[c] = prm.scale;
        zero[c] = prm.zero;
        q.scales[c * q.nBlocks + b] = prm.scale;
        q.zeros[c * q.nBlocks + b] = prm.zero;
        if (end - start < blockSize) for (let pad = end - start; pad < blockSize; pad++) q.levels[(c * q.nBlocks + b) * blockSize + pad] = prm.zero;
      }
    }
    const d = lower[i * k + i];
    for (let c = 0; c < n; c++) {
      const v = work[i * n + c];
      const level = Math.min(maxq, Math.max(0, Math.round(v / scale[c] + zero[c])));
      q.levels[(c * q.nBlocks + b) * blockSize + (i % blockSize)] = level;
      const err = (v - (level - zero[c]) * scale[c]) / d;
      if (err === 0) continue;
      for (let j = i + 1; j < k; j++) work[j * n + c] -= err * lower[j * k + i];
    }
  }
  return q;
}

/** Ŵ[K×N] from levels, scales and zero points. */
export function dequantize(q: BlockQuant): Float32Array {
  const out = new Float32Array(q.k * q.n);
  for (let col = 0; col < q.n; col++) {
    for (let b = 0; b < q.nBlocks; b++) {
      const idx = col * q.nBlocks + b;
      const s = q.scales[idx];
      const z = q.zeros[idx];
      const [start, end] = blockRange(b, q.blockSize, q.k);
      for (let i = start; i < end; i++) out[i * q.n + col] = (q.levels[idx * q.blockSize + (i - start)] - z) * s;
    }
  }
  return out;
}

/** ‖W − Ŵ‖ / ‖W‖. */
export function relativeError(w: ArrayLike<number>, approx: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < w.length; i++) {
    const d = w[i] - approx[i];
    num += d * d;
    den += w[i] * w[i];
  }
  return den > 0 ? Math.sqrt(num / den) : 0;
}

/** ‖X(W − Ŵ)‖² / ‖XW‖² from the Gram matrix H = XᵀX: the output error the layer actually makes. */
export function outputError(w: ArrayLike<number>, approx: ArrayLike<number>, hessian: Float64Array, k: number, n: number): number {
  let num = 0;
  let den = 0;
  const d = new Float64Array(k);
  const wc = new Float64Array(k);
  for (let c = 0; c < n; c++) {
    for (let i = 0; i < k; i++) {
      d[i] = w[i * n + c] - approx[i * n + c];
      wc[i] = w[i * n + c];
    }
    for (let i = 0; i < k; i++) {
      let hd = 0;
      let hw = 0;
      for (let j = 0; j < k; j++) {
        hd += hessian[i * k + j] * d[j];
        hw += hessian[i * k + j] * wc[j];
      }
      num += d[i] * hd;
      den += wc[i] * hw;
    }
  }
  return den > 0 ? num / den : 0;
}

/** Packs levels into MatMulNBits' B [N, nBlocks, blockSize·bits/8], low bits first. */
export function packLevels(q: BlockQuant, containerBits: 2 | 4 | 8): Uint8Array {
  const perByte = 8 / containerBits;
  const blob = (q.blockSize * containerBits) / 8;
  const out = new Uint8Array(q.n * q.nBlocks * blob);
  for (let idx = 0; idx < q.n * q.nBlocks; idx++) {
    for (let i = 0; i < q.blockSize; i++) {
      const byte = idx * blob + Math.floor(i / perByte);
      out[byte] |= (q.levels[idx * q.blockSize + i] & ((1 << containerBits) - 1)) << ((i % perByte) * containerBits);
    }
  }
  return out;
}

/** Packs integer zero points as MatMulNBits expects: [N, ceil(nBlocks·bits/8)] bytes. */
export function packZeros(q: BlockQuant, containerBits: 2 | 4 | 8): Uint8Array {
  const perByte = 8 / containerBits;
  const rowBytes = Math.ceil(q.nBlocks / perByte);
  const out = new Uint8Array(q.n * rowBytes);
  for (let col = 0; col < q.n; col++) {
    for (let b = 0; b < q.nBlocks; b++) {
      const z = Math.round(q.zeros[col * q.nBlocks + b]) & ((1 << containerBits) - 1);
      out[col * rowBytes + Math.floor(b / perByte)] |= z << ((b % perByte) * containerBits);
    }
  }
  return out;
}
