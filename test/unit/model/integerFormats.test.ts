/**
 * Integer-compute formats (integerFormats.ts) and the automatic format choice
 * (formatChoice.ts). Each rewrite runs in onnxruntime and is compared with a reference
 * computed here by hand from the ONNX operator definitions: activations quantized as
 * DynamicQuantizeLinear / QuantizeLinear define it, weights symmetric per output channel,
 * integer sums, rescaled. The choice is tested as a pure function on given timings.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskFidelity } from '../../../src/protocol/model';
import { chooseFormat, taskFidelityOf, type Measured } from '../../../src/engine/model/formatChoice';
import { makeAttribute, makeNode, opTypeCounts } from '../../../src/engine/model/graph';
import { findIntegerTargets, foldBatchNorms, quantizeDynamic, quantizeQdq } from '../../../src/engine/model/integerFormats';
import { decodeModel, encodeModel, floatTensor, onnxSchema, tensorDims, type ModelProto, type NodeProto, type TensorProto } from '../../../src/engine/model/onnx';
import { gaussian } from '../../../src/engine/model/linalg';
import { seededRandom } from '../../../src/shared/random';
import { ModelQuantizer } from '../../../src/engine/model/quantizer';
import { openSession } from '../../../src/engine/model/runtime';

const MLP = join(__dirname, '../../../../test/fixtures/models/tiny_mlp.onnx');

// ---- small graphs -------------------------------------------------------------------

async function buildModel(nodes: NodeProto[], inits: TensorProto[], inputs: { name: string; dims: number[] }[], outputs: string[], opset = 17): Promise<ModelProto> {
  const onnx = await onnxSchema();
  const vi = (name: string, dims: number[] | undefined) =>
    onnx.create(onnx.ValueInfoProtoSchema, {
      name,
      type: onnx.create(onnx.TypeProtoSchema, {
        value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: 1, ...(dims ? { shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: dims.map((d) => onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })) }) } : {}) }) },
      }),
    });
  const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: nodes, initializer: inits, input: inputs.map((i) => vi(i.name, i.dims)), output: outputs.map((o) => vi(o, undefined)) });
  return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, producerName: 'pepperpy-test', opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })], graph });
}

async function run(model: ModelProto, feeds: Record<string, { data: Float32Array; dims: number[] }>, optimizedPath?: string): Promise<Float32Array> {
  const session = await openSession(await encodeModel(model), 'cpu', optimizedPath ? { optimizedModelFilePath: optimizedPath } : {});
  try {
    const out = await session.run(Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { type: 'float32' as const, data: v.data, dims: v.dims }])));
    return out[session.outputNames[0]].data;
  } finally {
    await session.release();
  }
}

const randn = (random: () => number, n: number, scale = 1) => Float32Array.from({ length: n }, () => gaussian(random) * scale);

// ---- the reference arithmetic, from the operator definitions ------------------------

/** Round half to even, as ONNX QuantizeLinear / DynamicQuantizeLinear round. */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** DynamicQuantizeLinear: uint8, range widened to contain 0. */
function dynamicQuantize(x: Float32Array): { q: Int32Array; scale: number; zp: number } {
  let lo = 0;
  let hi = 0;
  for (const v of x) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const scale = Math.fround((hi - lo) / 255);
  const zp = Math.max(0, Math.min(255, roundEven(-lo / scale)));
  const q = Int32Array.from(x, (v) => Math.max(0, Math.min(255, roundEven(v / scale) + zp)));
  return { q, scale, zp };
}

function quantizeWith(x: Float32Array, scale: number, zp: number): Int32Array {
  return Int32Array.from(x, (v) => Math.max(0, Math.min(255, roundEven(v / scale) + zp)));
}

/** Symmetric weights per output channel: channel c holds `inner` consecutive values in each of `outer` blocks. */
function weightsPerChannel(w: Float32Array, outer: number, channels: number, inner: number, qmax: number): { q: Int32Array; scales: Float64Array } {
  const scales = new Float64Array(channels);
  for (let o = 0; o < outer; o++) for (let c = 0; c < channels; c++) for (let i = 0; i < inner; i++) scales[c] = Math.max(scales[c], Math.abs(w[(o * channels + c) * inner + i]));
  for (let c = 0; c < channels; c++) scales[c] = Math.fround(scales[c] / qmax);
  const q = new Int32Array(w.length);
  for (let o = 0; o < outer; o++) {for (let c = 0; c < channels; c++) {for (let i = 0; i < inner; i++) {
    const idx = (o * channels + c) * inner + i;
    q[idx] = Math.max(-qmax, Math.min(qmax, Math.round(w[idx] / scales[c])));
  }}}
  return { q, scales };
}

/** Integer 2-D convolution (N=1, square kernel, stride 1, symmetric pads), with groups. */
function convInteger(xq: Int32Array, zx: number, c: number, h: number, w: number, wq: Int32Array, m: number, k: number, pad: number, group: number): Int32Array {
  const cPerG = c / group;
  const mPerG = m / group;
  const oh = h + 2 * pad - k + 1;
  const ow = w + 2 * pad - k + 1;
  const acc = new Int32Array(m * oh * ow);
  for (let oc = 0; oc < m; oc++) {
    const g = Math.floor(oc / mPerG);
    for (let y = 0; y < oh; y++) {for (let x = 0; x < ow; x++) {
      let s = 0;
      for (let ic = 0; ic < cPerG; ic++) {for (let ky = 0; ky < k; ky++) {for (let kx = 0; kx < k; kx++) {
        const iy = y + ky - pad;
        const ix = x + kx - pad;
        // Padding holds the zero point, i.e. real 0.
        const xv = iy < 0 || iy >= h || ix < 0 || ix >= w ? 0 : xq[(g * cPerG + ic) * h * w + iy * w + ix] - zx;
        s += xv * wq[((oc * cPerG + ic) * k + ky) * k + kx];
      }}}
      acc[(oc * oh + y) * ow + x] = s;
    }}
  }
  return acc;
}

function assertClose(actual: Float32Array, expected: Float64Array | Float32Array, tol: number, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst <= tol, `${label}: max |diff| ${worst} > ${tol}`);
}

describe('integer-compute formats', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-int-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('dynamic MatMul equals uint8 × int8(±63) integer matmul rescaled per column, at opset 9 too', async () => {
    const random = seededRandom(21);
    const [rows, k, n] = [5, 48, 40];
    const x = randn(random, rows * k);
    const w = randn(random, k * n, 0.3);
    for (const opset of [17, 9]) {
      const model = await buildModel([await makeNode('MatMul', ['x', 'w'], ['y'], 'mm')], [await floatTensor('w', [k, n], w)], [{ name: 'x', dims: [rows, k] }], ['y'], opset);
      const r = await quantizeDynamic(model, findIntegerTargets(model));
      assert.equal(r.quantized, 1);
      assert.equal(model.opsetImport.find((o) => o.domain === '')!.version, BigInt(opset), 'the ai.onnx opset is unchanged');
      assert.ok(!model.graph!.initializer.some((t) => t.name === 'w'), 'the fp32 weight is gone');
      const got = await run(model, { x: { data: x, dims: [rows, k] } });
      const xd = dynamicQuantize(x);
      const wd = weightsPerChannel(w, k, n, 1, 63);
      const expected = new Float64Array(rows * n);
      for (let i = 0; i < rows; i++) {for (let j = 0; j < n; j++) {
        let s = 0;
        for (let kk = 0; kk < k; kk++) s += (xd.q[i * k + kk] - xd.zp) * wd.q[kk * n + j];
        expected[i * n + j] = s * xd.scale * wd.scales[j];
      }}
      assertClose(got, expected, 1e-4, `opset ${opset}`);
    }
  });

  it('dynamic Gemm (transB, bias) equals the integer reference plus the bias', async () => {
    const random = seededRandom(22);
    const [rows, k, n] = [3, 32, 24];
    const x = randn(random, rows * k);
    const wT = randn(random, n * k, 0.2);
    const b = randn(random, n);
    const model = await buildModel([await makeNode('Gemm', ['x', 'w', 'b'], ['y'], 'gemm', [await makeAttribute('transB', 1)])], [await floatTensor('w', [n, k], wT), await floatTensor('b', [n], b)], [{ name: 'x', dims: [rows, k] }], ['y']);
    const r = await quantizeDynamic(model, findIntegerTargets(model));
    assert.equal(r.quantized, 1);
    const got = await run(model, { x: { data: x, dims: [rows, k] } });
    const xd = dynamicQuantize(x);
    // Output channel j is row j of the stored [N, K] weight.
    const wd = weightsPerChannel(wT, 1, n, k, 63);
    const expected = new Float64Array(rows * n);
    for (let i = 0; i < rows; i++) {for (let j = 0; j < n; j++) {
      let s = 0;
      for (let kk = 0; kk < k; kk++) s += (xd.q[i * k + kk] - xd.zp) * wd.q[j * k + kk];
      expected[i * n + j] = s * xd.scale * wd.scales[j] + b[j];
    }}
    assertClose(got, expected, 1e-4, 'gemm');
  });

  for (const group of [1, 4]) {
    it(`dynamic Conv (group ${group}, Constant-node weight) equals ConvInteger arithmetic rescaled per output channel plus bias`, async () => {
      const random = seededRandom(30 + group);
      const [c, h, w, m, k] = [4, 7, 6, 8, 3];
      const x = randn(random, c * h * w);
      const wt = randn(random, m * (c / group) * k * k, 0.4);
      const b = randn(random, m);
      const wTensor = await floatTensor('w_value', [m, c / group, k, k], wt);
      const model = await buildModel(
        [
          await makeNode('Constant', [], ['w'], 'const_w', [await makeAttribute('value', wTensor, 'tensor')]),
          await makeNode('Conv', ['x', 'w', 'b'], ['y'], 'conv', [await makeAttribute('pads', [1, 1, 1, 1], 'ints'), await makeAttribute('group', group), await makeAttribute('kernel_shape', [k, k], 'ints')]),
        ],
        [await floatTensor('b', [m], b)],
        [{ name: 'x', dims: [1, c, h, w] }],
        ['y'],
      );
      const r = await quantizeDynamic(model, findIntegerTargets(model));
      assert.deepEqual(r.layersByOp, { Conv: 1 });
      assert.ok(!model.graph!.node.some((nd) => nd.opType === 'Constant'), 'the fp32 Constant weight is gone');
      const got = await run(model, { x: { data: x, dims: [1, c, h, w] } });
      const xd = dynamicQuantize(x);
      const wd = weightsPerChannel(wt, 1, m, (c / group) * k * k, 63);
      const acc = convInteger(xd.q, xd.zp, c, h, w, wd.q, m, k, 1, group);
      const expected = Float64Array.from(acc, (a, i) => a * xd.scale * wd.scales[Math.floor(i / (h * w))] + b[Math.floor(i / (h * w))]);
      assertClose(got, expected, 1e-4, `conv group ${group}`);
    });
  }

  it('dynamic LSTM becomes DynamicQuantizeLSTM and stays within 8-bit error of an fp32 LSTM computed here', async () => {
    const random = seededRandom(35);
    const [seq, inp, hid] = [6, 5, 8];
    const x = randn(random, seq * inp);
    const w = randn(random, 4 * hid * inp, 0.5);
    const r = randn(random, 4 * hid * hid, 0.5);
    const b = randn(random, 8 * hid, 0.2);
    const build = async () => buildModel([await makeNode('LSTM', ['x', 'W', 'R', 'B'], ['y'], 'lstm', [await makeAttribute('hidden_size', hid)])], [await floatTensor('W', [1, 4 * hid, inp], w), await floatTensor('R', [1, 4 * hid, hid], r), await floatTensor('B', [1, 8 * hid], b)], [{ name: 'x', dims: [seq, 1, inp] }], ['y']);
    // ONNX LSTM, gates in the order i, o, f, c.
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    const expected = new Float64Array(seq * hid);
    let h = new Float64Array(hid);
    let c = new Float64Array(hid);
    for (let t = 0; t < seq; t++) {
      const gate = (g: number, j: number) => {
        const row = g * hid + j;
        let v = b[row] + b[4 * hid + row];
        for (let k = 0; k < inp; k++) v += x[t * inp + k] * w[row * inp + k];
        for (let k = 0; k < hid; k++) v += h[k] * r[row * hid + k];
        return v;
      };
      const nh = new Float64Array(hid);
      const nc = new Float64Array(hid);
      for (let j = 0; j < hid; j++) {
        nc[j] = sigmoid(gate(2, j)) * c[j] + sigmoid(gate(0, j)) * Math.tanh(gate(3, j));
        nh[j] = sigmoid(gate(1, j)) * Math.tanh(nc[j]);
      }
      h = nh;
      c = nc;
      expected.set(h, t * hid);
    }
    assertClose(await run(await build(), { x: { data: x, dims: [seq, 1, inp] } }), expected, 1e-5, 'the fp32 LSTM matches the reference');
    const model = await build();
    const result = await quantizeDynamic(model, findIntegerTargets(model));
    assert.deepEqual(result.layersByOp, { LSTM: 1 });
    assert.deepEqual(model.graph!.node.map((n) => `${n.domain}:${n.opType}`), ['com.microsoft:DynamicQuantizeLSTM']);
    assert.deepEqual(model.graph!.initializer.filter((t) => t.dataType === 1 && tensorDims(t).length === 3), [], 'no fp32 W or R left');
    assertClose(await run(model, { x: { data: x, dims: [seq, 1, inp] } }), expected, 0.03, 'DynamicQuantizeLSTM');
  });

  it('folds a BatchNormalization into the Conv before it, exactly', async () => {
    const random = seededRandom(45);
    const [c, h, w, m] = [3, 6, 6, 5];
    const x = randn(random, c * h * w);
    const vec = (n: number, lo: number) => Float32Array.from({ length: n }, () => lo + random());
    const [gamma, beta, mean, variance] = [vec(m, 0.5), vec(m, -0.5), vec(m, -0.5), vec(m, 0.2)];
    const model = await buildModel(
      [
        await makeNode('Conv', ['x', 'w', 'b'], ['y'], 'conv', [await makeAttribute('pads', [1, 1, 1, 1], 'ints')]),
        await makeNode('BatchNormalization', ['y', 'gamma', 'beta', 'mean', 'var'], ['z'], 'bn', [await makeAttribute('epsilon', 1e-3, 'float')]),
        await makeNode('Relu', ['z'], ['out'], 'relu'),
      ],
      [await floatTensor('w', [m, c, 3, 3], randn(random, m * c * 9, 0.3)), await floatTensor('b', [m], randn(random, m)), await floatTensor('gamma', [m], gamma), await floatTensor('beta', [m], beta), await floatTensor('mean', [m], mean), await floatTensor('var', [m], variance)],
      [{ name: 'x', dims: [1, c, h, w] }],
      ['out'],
      9,
    );
    const before = await run(model, { x: { data: x, dims: [1, c, h, w] } });
    assert.equal(await foldBatchNorms(model), 1);
    assert.deepEqual(model.graph!.node.map((n) => n.opType), ['Conv', 'Relu']);
    assert.deepEqual(model.graph!.initializer.map((t) => tensorDims(t)), [[m, c, 3, 3], [m]], 'only the folded weight and bias are left');
    assertClose(await run(model, { x: { data: x, dims: [1, c, h, w] } }), before, 1e-5, 'folded');
  });

  it('dynamic leaves Conv fp32 below ai.onnx 11, with the reason', async () => {
    const random = seededRandom(40);
    const model = await buildModel([await makeNode('Conv', ['x', 'w'], ['y'], 'conv')], [await floatTensor('w', [8, 4, 3, 3], randn(random, 8 * 4 * 9))], [{ name: 'x', dims: [1, 4, 6, 6] }], ['y'], 9);
    const r = await quantizeDynamic(model, findIntegerTargets(model));
    assert.equal(r.quantized, 0);
    assert.match(r.skipped[0].reason, /ai\.onnx 11.*imports ai\.onnx 9/);
    assert.equal(r.remaining.length, 1, 'the Conv is handed on to another format');
  });

  for (const opset of [17, 9]) {it(`qdq Conv at opset ${opset}: ${opset >= 10 ? 'onnxruntime fuses it into QLinearConv' : 'com.microsoft QLinearConv'}, equal to the integer reference within one output step`, async function () {
    // qdq's weights are within ±63: with ±127, an x86 CPU without VNNI (AVX2: onnxruntime's u8×s8 QLinearConv adds
    // pairs of products in int16, vpmaddubsw) saturated, max |diff| 0.455 here (session 49). This now runs everywhere.
    const random = seededRandom(50);
    const [c, h, w, m, k] = [3, 8, 8, 6, 3];
    const x = randn(random, c * h * w);
    const wt = randn(random, m * c * k * k, 0.3);
    const b = randn(random, m, 0.5);
    const build = async () => buildModel(
      [
        await makeNode('Conv', ['x', 'w', 'b'], ['y'], 'conv', [await makeAttribute('pads', [1, 1, 1, 1], 'ints'), await makeAttribute('kernel_shape', [k, k], 'ints')]),
        await makeNode('Relu', ['y'], ['z'], 'relu'),
      ],
      [await floatTensor('w', [m, c, k, k], wt), await floatTensor('b', [m], b)],
      [{ name: 'x', dims: [1, c, h, w] }],
      ['z'],
      opset,
    );
    const fp32 = await run(await build(), { x: { data: x, dims: [1, c, h, w] } });
    // Ranges given here (what calibrateRanges measures): the input's and the fp32 conv output's.
    const model = await build();
    const yFloat = await run(await buildModel([await makeNode('Conv', ['x', 'w', 'b'], ['y'], 'conv', [await makeAttribute('pads', [1, 1, 1, 1], 'ints'), await makeAttribute('kernel_shape', [k, k], 'ints')])], [await floatTensor('w', [m, c, k, k], wt), await floatTensor('b', [m], b)], [{ name: 'x', dims: [1, c, h, w] }], ['y']), { x: { data: x, dims: [1, c, h, w] } });
    const range = (a: Float32Array) => ({ min: Math.min(...a), max: Math.max(...a) });
    const ranges = new Map([['x', range(x)], ['y', range(yFloat)]]);
    const r = await quantizeQdq(model, findIntegerTargets(model), ranges);
    assert.equal(r.quantized, 1);
    assert.equal(model.opsetImport.find((o) => o.domain === '')!.version, BigInt(opset), 'the ai.onnx opset is unchanged');
    const optimized = join(dir, `qdq-conv-${opset}.opt.onnx`);
    const got = await run(model, { x: { data: x, dims: [1, c, h, w] } }, optimized);
    const ops = opTypeCounts(await decodeModel(readFileSync(optimized)));
    assert.ok((ops.QLinearConv ?? 0) === 1, `QLinearConv in the optimized graph: ${JSON.stringify(ops)}`);
    // Reference: uint8 params from the ranges, int8 weights /63, int32 bias, integer conv, requantize, dequantize, Relu.
    const params = (lo: number, hi: number) => {
      const s = Math.fround((Math.max(0, hi) - Math.min(0, lo)) / 255);
      return { s, z: Math.max(0, Math.min(255, Math.round(-Math.min(0, lo) / s))) };
    };
    const px = params(ranges.get('x')!.min, ranges.get('x')!.max);
    const py = params(ranges.get('y')!.min, ranges.get('y')!.max);
    const xq = quantizeWith(x, px.s, px.z);
    const wd = weightsPerChannel(wt, 1, m, c * k * k, 63);
    const acc = convInteger(xq, px.z, c, h, w, wd.q, m, k, 1, 1);
    const expected = Float64Array.from(acc, (a, i) => {
      const ch = Math.floor(i / (h * w));
      const bs = Math.fround(px.s * wd.scales[ch]);
      const real = (a + Math.round(b[ch] / bs)) * bs;
      const yq = Math.max(0, Math.min(255, roundEven(real / py.s) + py.z));
      return Math.max(0, (yq - py.z) * py.s);
    });
    assertClose(got, expected, py.s * 1.001, 'qdq conv');
    // And it is close to fp32 (a few output steps).
    assertClose(got, fp32, py.s * 4, 'qdq vs fp32');
  });}

  it('qdq MatMul is fused into an integer kernel', async () => {
    const random = seededRandom(60);
    const [rows, k, n] = [4, 64, 32];
    const x = randn(random, rows * k);
    const w = randn(random, k * n, 0.2);
    const model = await buildModel([await makeNode('MatMul', ['x', 'w'], ['y'], 'mm')], [await floatTensor('w', [k, n], w)], [{ name: 'x', dims: [rows, k] }], ['y']);
    const yf = await run(model, { x: { data: x, dims: [rows, k] } });
    const copy = await decodeModel(await encodeModel(model));
    const ranges = new Map([['x', { min: Math.min(...x), max: Math.max(...x) }], ['y', { min: Math.min(...yf), max: Math.max(...yf) }]]);
    await quantizeQdq(copy, findIntegerTargets(copy), ranges);
    const optimized = join(dir, 'qdq-mm.opt.onnx');
    await run(copy, { x: { data: x, dims: [rows, k] } }, optimized);
    const ops = opTypeCounts(await decodeModel(readFileSync(optimized)));
    assert.ok((ops.QLinearMatMul ?? 0) + (ops.MatMulIntegerToFloat ?? 0) + (ops.MatMulInteger ?? 0) === 1, `an integer MatMul in the optimized graph: ${JSON.stringify(ops)}`);
    assert.ok(!('MatMul' in ops), 'no float MatMul left');
  });

  it('qdq leaves MatMul below ai.onnx 10 as it is, with the reason', async () => {
    const random = seededRandom(70);
    const model = await buildModel([await makeNode('MatMul', ['x', 'w'], ['y'], 'mm')], [await floatTensor('w', [16, 16], randn(random, 256))], [{ name: 'x', dims: [2, 16] }], ['y'], 9);
    const r = await quantizeQdq(model, findIntegerTargets(model), new Map([['x', { min: -1, max: 1 }], ['y', { min: -1, max: 1 }]]));
    assert.equal(r.quantized, 0);
    assert.match(r.skipped[0].reason, /ai\.onnx 10/);
    assert.deepEqual(tensorDims(model.graph!.initializer[0]), [16, 16], 'the model is unchanged');
  });
});

describe('automatic format choice', function () {
  this.timeout(120_000);
  const fid = (value: number, ok = true): TaskFidelity => ({ metric: 'top1Agreement', value, withinTolerance: ok, description: `top-1 ${value}` });
  const m = (format: Measured['format'], speedup: number, fidelity: TaskFidelity, sizeBytes = 100, extra: Partial<Measured> = {}): Measured => ({ format, description: format, sizeBytes, speedup, fidelity, ...extra });

  it('keeps the fastest candidate within tolerance and says what the others measured', () => {
    const c = chooseFormat([m('dynamic', 1.84, fid(1)), m('qdq', 1.52, fid(1)), m('weight-only', 0.71, fid(1))], 400);
    assert.equal(c.index, 0);
    assert.equal(c.candidates.filter((x) => x.chosen).length, 1);
    assert.match(c.reason, /^dynamic: 1\.84× fp32 with top-1 agreement 100\.0 %; qdq 1\.52×, weight-only 0\.71×/);
    assert.deepEqual(c.warnings, []);
  });

  it('does not keep a faster candidate that is out of tolerance', () => {
    const c = chooseFormat([m('dynamic', 2.0, fid(0.9, false)), m('qdq', 1.3, fid(0.99))], 400);
    assert.equal(c.index, 1);
    assert.match(c.candidates[0].verdict, /out of tolerance/);
  });

  it('warns when even the best candidate is slower than the source', () => {
    const c = chooseFormat([m('weight-only', 0.8, fid(1)), m('dynamic', 0.6, fid(1)), m('qdq', NaN, fid(1), 0, { error: 'no layer it applies to' })], 400);
    assert.equal(c.index, 0);
    assert.ok(c.warnings.some((w) => /^Slower than the source \(0\.80×\)/.test(w)), c.warnings.join(' | '));
    assert.match(c.candidates[2].verdict, /no layer it applies to/);
  });

  it('warns when the kept model is not smaller, and when nothing is within tolerance', () => {
    const c = chooseFormat([m('dynamic', 1.5, fid(0.9, false), 500), m('qdq', 1.2, fid(0.95, false), 500)], 400);
    assert.equal(c.index, 1, 'the most faithful');
    assert.ok(c.warnings.some((w) => /No format kept the fidelity within tolerance/.test(w)));
    assert.ok(c.warnings.some((w) => /Larger than the source/.test(w)));
  });

  it('ModelQuantizer with the default format measures every 8-bit candidate and reports the one it kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-auto-'));
    try {
      const progress: string[] = [];
      const r = await new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, device: 'cpu', batchSize: 2, outPath: join(dir, 'auto.onnx') }, { progress: (p) => progress.push(p.message ?? '') });
      const formats = (r.candidates ?? []).map((c) => c.format);
      assert.deepEqual(formats, ['dynamic', 'qdq', 'weight-only', 'nbits'], 'an MLP of Gemm layers gets every 8-bit format');
      const chosen = r.candidates!.filter((c) => c.chosen);
      assert.equal(chosen.length, 1);
      assert.equal(chosen[0].format, r.chosenFormat);
      assert.ok(r.formatReason!.startsWith(`${r.chosenFormat}: `), r.formatReason);
      for (const c of r.candidates!) assert.ok(c.sizeBytes > 0 && c.speedup > 0 && c.fidelity.description !== 'not measured', `${c.format} was built, run and timed: ${c.verdict}`);
      // The kept one is the fastest of those within tolerance (the rule, applied to the timings it measured).
      const within = r.candidates!.filter((c) => c.fidelity.withinTolerance);
      if (within.length > 0) assert.equal(chosen[0].speedup, Math.max(...within.map((c) => c.speedup)));
      for (const f of formats) assert.ok(progress.some((m) => m.includes(`building ${f}`)), `progress for ${f}`);
      assert.deepEqual(r.layersByOp, { Gemm: 3 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('derives a task fidelity when the measurement has none', () => {
    assert.equal(taskFidelityOf({ cosineSimilarity: 0.99, maxAbsError: 0, meanAbsError: 0, inputs: '', samples: 1, lossIncreasePercent: 1.5 }).metric, 'lossIncreasePercent');
    assert.equal(taskFidelityOf({ cosineSimilarity: 0.9, maxAbsError: 0, meanAbsError: 0, inputs: '', samples: 1 }).withinTolerance, false);
  });
});
