/**
 * The small dense linear algebra the optimizers need, on row-major Float64Arrays:
 * Gram matrices, Cholesky solves, and a symmetric eigendecomposition (cyclic Jacobi)
 * for truncated SVDs. Sizes here are layer widths (hundreds to a few thousand), so
 * O(n³) in plain TypeScript is acceptable; callers check dimensions first.
 */
import { EngineError } from '../../protocol/errors';

/** C[m×n] = A[m×k] · B[k×n]. */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      if (av === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
    }
  }
  return c;
}

/** G[k×k] = Xᵀ X for X[rows×k]. */
export function gram(x: ArrayLike<number>, rows: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let i = 0; i < k; i++) {
      const xi = x[base + i];
      if (xi === 0) continue;
      const gi = i * k;
      for (let j = i; j < k; j++) g[gi + j] += xi * x[base + j];
    }
  }
  for (let i = 0; i < k; i++) for (let j = 0; j < i; j++) g[i * k + j] = g[j * k + i];
  return g;
}

/** Adds `fraction` × mean(diag) to the diagonal (damping, as GPTQ does), and 1e-8 for dead inputs. */
export function damp(h: Float64Array, k: number, fraction: number): Float64Array {
  const out = Float64Array.from(h);
  let mean = 0;
  for (let i = 0; i < k; i++) mean += h[i * k + i];
  mean = mean / k || 1;
  for (let i = 0; i < k; i++) out[i * k + i] += fraction * mean + 1e-8;
  return out;
}

/** Lower-triangular L with A = L Lᵀ; throws if A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let p = 0; p < j; p++) s -= l[i * n + p] * l[j * n + p];
      if (i === j) {
        if (!(s > 0)) throw new EngineError('internal', 'Matrix is not positive definite (calibration data too small or degenerate).', 'Give more calibration text.');
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

/** Solves (L Lᵀ) X = B for X, B with `cols` columns (row-major n×cols). */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, cols: number): Float64Array {
  const y = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < i; p++) {
      const lv = l[i * n + p];
      if (lv === 0) continue;
      for (let c = 0; c < cols; c++) y[i * cols + c] -= lv * y[p * cols + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < cols; c++) y[i * cols + c] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const lv = l[p * n + i];
      if (lv === 0) continue;
      for (let c = 0; c < cols; c++) y[i * cols + c] -= lv * y[p * cols + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < cols; c++) y[i * cols + c] /= d;
  }
  return y;
}

/** Inverse of a symmetric positive-definite matrix. */
export function spdInverse(a: Float64Array, n: number): Float64Array {
  const l = cholesky(a, n);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return choleskySolve(l, n, eye, n);
}

/**
 * Eigendecomposition of a symmetric matrix by cyclic Jacobi rotations. Returns eigenvalues
 * in descending order and eigenvectors as the columns of `vectors` (row-major n×n).
 */
export function symmetricEigen(a: Float64Array, n: number, maxSweeps = 30): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += m[i * n + i] * m[i * n + i];
      for (let j = i + 1; j < n; j++) off += m[i * n + j] * m[i * n + j];
    }
    if (off <= 1e-22 * diag || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const app = m[p * n + p];
        const aqq = m[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p];
          const mkq = m[k * n + q];
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k];
          const mqk = m[q * n + k];
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y] - m[x * n + x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = m[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/**
 * Truncated SVD of M[rows×cols] through the eigendecomposition of the smaller Gram matrix.
 * Returns U[rows×r]·diag(S) and Vᵀ[r×cols] for all r = min(rows, cols), sorted by σ.
 */
export function svd(mat: ArrayLike<number>, rows: number, cols: number): { us: Float64Array; s: Float64Array; vt: Float64Array; rank: number } {
  const r = Math.min(rows, cols);
  if (cols <= rows) {
    // MᵀM = V S² Vᵀ; U S = M V.
    const g = gram(mat, rows, cols);
    const { values, vectors } = symmetricEigen(g, cols);
    const us = matmul(mat, vectors, rows, cols, cols);
    const vt = new Float64Array(r * cols);
    for (let i = 0; i < r; i++) for (let j = 0; j < cols; j++) vt[i * cols + j] = vectors[j * cols + i];
    const s = values.map((x) => Math.sqrt(Math.max(0, x)));
    return { us, s, vt, rank: r };
  }
  // M Mᵀ = U S² Uᵀ; S Vᵀ = Uᵀ M, so U·S·Vᵀ = U·(Uᵀ M).
  const mt = new Float64Array(cols * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mt[j * rows + i] = mat[i * cols + j];
  const g = gram(mt, cols, rows);
  const { values, vectors } = symmetricEigen(g, rows);
  const s = values.map((x) => Math.sqrt(Math.max(0, x)));
  // us = U S, vt = Uᵀ M / S.
  const us = new Float64Array(rows * r);
  for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) us[i * r + j] = vectors[i * rows + j] * s[j];
  const ut = new Float64Array(r * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < r; j++) ut[j * rows + i] = vectors[i * rows + j];
  const utm = matmul(ut, mat, r, rows, cols);
  for (let i = 0; i < r; i++) {
    const inv = s[i] > 1e-12 ? 1 / s[i] : 0;
    for (let j = 0; j < cols; j++) utm[i * cols + j] *= inv;
  }
  return { us, s, vt: utm, rank: r };
}

export function frobenius(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

export function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Solves Lᵀ X = B for X (L lower-triangular n×n, B row-major n×cols). */
export function solveLowerTransposed(l: Float64Array, n: number, b: Float64Array, cols: number): Float64Array {
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const lv = l[j * n + i];
      if (lv === 0) continue;
      for (let c = 0; c < cols; c++) x[i * cols + c] -= lv * x[j * cols + c];
    }
    const d = l[i * n + i];
    for (let c = 0; c < cols; c++) x[i * cols + c] /= d;
  }
  return x;
}
