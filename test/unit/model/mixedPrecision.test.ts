/**
 * Mixed precision (mixedPrecision.ts, and its use in formatChoice.ts `quantizeAuto`):
 * when no format is within tolerance, the most sensitive layers stay fp32.
 *
 * The oracle is the model's construction: one layer's weights are made hard to quantize
 * (each output column holds one large value on an input feature that is always 0, so a
 * per-column int8 scale rounds the real weights coarsely) — that layer, and only that one,
 * must be kept fp32, and the result must then be within tolerance.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskFidelity } from '../../../src/protocol/model';
import { chooseFormat, quantizeAuto } from '../../../src/engine/model/formatChoice';
import { openReference } from '../../../src/engine/model/evaluate';
import { makeNode } from '../../../src/engine/model/graph';
import { gaussian } from '../../../src/engine/model/linalg';
import { seededRandom } from '../../../src/shared/random';
import { keepSchedule, layerUnits, searchMixed, sensitivityOrder, type Probe, type Unit } from '../../../src/engine/model/mixedPrecision';
import { DataType, encodeModel, floatTensor, onnxSchema, type ModelProto, type NodeProto, type TensorProto } from '../../../src/engine/model/onnx';
import { findQuantTargets } from '../../../src/engine/model/targets';

async function buildModel(nodes: NodeProto[], inits: TensorProto[], input: { name: string; dims: number[] }, output: string): Promise<ModelProto> {
  const onnx = await onnxSchema();
  const vi = (name: string, dims: number[] | undefined) =>
    onnx.create(onnx.ValueInfoProtoSchema, {
      name,
      type: onnx.create(onnx.TypeProtoSchema, {
        value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: 1, ...(dims ? { shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: dims.map((d) => onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })) }) } : {}) }) },
      }),
    });
  const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: nodes, initializer: inits, input: [vi(input.name, input.dims)], output: [vi(output, undefined)] });
  return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, producerName: 'pepperpy-test', opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph });
}

const WIDTH = 16;

/** x → MatMul(first) → Relu → MatMul(second) → Relu → MatMul(sensitive) → Relu → MatMul(last) → y [4, 1]. */
async function sensitiveMlp(): Promise<ModelProto> {
  const random = seededRandom(7);
  const randn = (n: number, scale: number) => Float32Array.from({ length: n }, () => gaussian(random) * scale);
  const w1 = randn(WIDTH * WIDTH, 0.3);
  const w2 = randn(WIDTH * WIDTH, 0.3);
  // Column 0 of w2 is zero, so feature 0 entering the sensitive layer is always 0 ...
  for (let r = 0; r < WIDTH; r++) w2[r * WIDTH] = 0;
  const w3 = randn(WIDTH * WIDTH, 0.3);
  // ... and row 0 of the sensitive layer's weight is large: it sets every column's int8 scale.
  for (let c = 0; c < WIDTH; c++) w3[c] = 20;
  const w4 = randn(WIDTH, 0.3);
  const inits = [await floatTensor('w_first', [WIDTH, WIDTH], w1), await floatTensor('w_second', [WIDTH, WIDTH], w2), await floatTensor('w_sensitive', [WIDTH, WIDTH], w3), await floatTensor('w_last', [WIDTH, 1], w4)];
  const nodes = [
    await makeNode('MatMul', ['x', 'w_first'], ['h1'], 'first'),
    await makeNode('Relu', ['h1'], ['a1'], 'relu1'),
    await makeNode('MatMul', ['a1', 'w_second'], ['h2'], 'second'),
    await makeNode('Relu', ['h2'], ['a2'], 'relu2'),
    await makeNode('MatMul', ['a2', 'w_sensitive'], ['h3'], 'sensitive'),
    await makeNode('Relu', ['h3'], ['a3'], 'relu3'),
    await makeNode('MatMul', ['a3', 'w_last'], ['y'], 'last'),
  ];
  return buildModel(nodes, inits, { name: 'x', dims: [4, WIDTH] }, 'y');
}

const task = (ok: boolean, value: number): TaskFidelity => ({ metric: 'cosine', value, withinTolerance: ok, description: '' });

describe('mixed precision', function () {
  this.timeout(120_000);

  it('keepSchedule grows a few at a time and ends at the maximum', () => {
    assert.deepEqual(keepSchedule(10), [1, 2, 3, 4, 6, 9, 10]);
    assert.deepEqual(keepSchedule(1), [1]);
    assert.deepEqual(keepSchedule(0), []);
  });

  it('sensitivityOrder: out of tolerance first, then the lower task value, then the lower cosine; unmeasured last', () => {
    const p = (ok: boolean, value: number, cosine: number): Probe => ({ task: task(ok, value), cosine });
    assert.deepEqual(sensitivityOrder([p(true, 0.9995, 0.9995), undefined, p(false, 0.99, 0.99), p(true, 0.9995, 0.9991), p(false, 0.95, 0.95)]), [4, 2, 3, 0, 1]);
  });

  it('layerUnits keeps a shared weight and the targets of one node together', async () => {
    const w = await floatTensor('w', [WIDTH, WIDTH], new Float32Array(WIDTH * WIDTH).fill(0.5));
    const v = await floatTensor('v', [WIDTH, WIDTH], new Float32Array(WIDTH * WIDTH).fill(0.25));
    const model = await buildModel([
      await makeNode('MatMul', ['x', 'w'], ['a'], 'one'),
      await makeNode('MatMul', ['a', 'w'], ['b'], 'two'),
      await makeNode('MatMul', ['b', 'v'], ['y'], 'three'),
    ], [w, v], { name: 'x', dims: [1, WIDTH] }, 'y');
    const units = layerUnits(findQuantTargets(model, { minElements: 1 }));
    assert.deepEqual(units.map((u) => u.label), ['one, two', 'three']);
    assert.deepEqual(units.map((u) => u.elements), [2 * WIDTH * WIDTH, WIDTH * WIDTH]);
  });

  it('chooseFormat: among candidates equally out of tolerance, the faster is the one kept (and refined)', () => {
    const m = (speedup: number) => ({ format: 'nbits' as const, description: '', sizeBytes: 100, speedup, fidelity: { metric: 'ctcAgreement' as const, value: 2 / 3, withinTolerance: false, description: '' } });
    assert.equal(chooseFormat([m(0.8), m(1.3), m(0.9)], 1000).index, 1);
  });

  it('searchMixed keeps exactly the units whose quantization breaks the metric, most sensitive first', async () => {
    // Six units; quantizing unit 4 costs 0.02 of cosine, unit 1 0.004, the others 0.0001 each; tolerance 0.999.
    const cost = [0.0001, 0.004, 0.0001, 0.0001, 0.02, 0.0001];
    const units: Unit[] = cost.map((_, i) => ({ targets: [i], label: `u${i}`, op: 'MatMul', elements: 1 }));
    const built: number[][] = [];
    const result = await searchMixed({
      units,
      maxFraction: 0.5,
      build: async (skip) => {
        const quantized = cost.map((_, i) => i).filter((i) => !skip.has(i));
        built.push(quantized);
        return Uint8Array.from(quantized);
      },
      probe: async (bytes) => {
        const cosine = 1 - [...bytes].reduce((a, i) => a + cost[i], 0);
        return { task: task(cosine >= 0.999, cosine), cosine };
      },
    });
    assert.deepEqual(result.order.slice(0, 2), [4, 1]);
    assert.deepEqual(result.kept.map((u) => u.label), ['u4', 'u1']);
    assert.deepEqual(result.steps.map((s) => s.keep), [1, 2]);
    assert.ok(result.probe?.task.withinTolerance);
    assert.deepEqual(built.slice(0, 6), cost.map((_, i) => [i]), 'each unit was first quantized alone');
  });

  it('searchMixed stops at the share of layers it may keep and says so', async () => {
    const units: Unit[] = [0, 1, 2, 3].map((i) => ({ targets: [i], label: `u${i}`, op: 'Conv', elements: 1 }));
    const result = await searchMixed({ units, maxFraction: 0.25, build: async (skip) => Uint8Array.from([skip.size]), probe: async () => ({ task: task(false, 0.5), cosine: 0.5 }) });
    assert.equal(result.kept.length, 0);
    assert.equal(result.bytes, undefined);
    assert.deepEqual(result.steps.map((s) => s.keep), [1]);
    assert.match(result.stopped ?? '', /still out of tolerance with 1 of 4 layers/);
  });

  it('quantizeAuto keeps the one layer built to be sensitive in fp32, and only it, when weight-only is out of tolerance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-mixed-'));
    try {
      const model = await sensitiveMlp();
      const bytes = await encodeModel(model);
      const path = join(dir, 'mlp.onnx');
      writeFileSync(path, bytes);
      const reference = await openReference(path, 'cpu', { batchSize: 4, batches: 4 });
      try {
        const r = await quantizeAuto(model, { bits: 8, minElements: 1, blockSize: 32, formats: ['weight-only'], reference, sourceSize: bytes.length, calibration: { batchSize: 4 }, timingBudgetMs: 300 });
        assert.equal(r.candidates.length, 2, 'weight-only, then weight-only with layers kept fp32');
        assert.equal(r.candidates[0].fidelity.withinTolerance, false, `plain weight-only must be out of tolerance for the test to mean anything: ${r.candidates[0].fidelity.description}`);
        assert.equal(r.candidates[1].chosen, true);
        assert.equal(r.candidates[1].fidelity.withinTolerance, true, r.candidates[1].fidelity.description);
        assert.match(r.description, /1 most sensitive layer\(s\) kept fp32: sensitive$/);
        assert.equal(r.rewrite.quantized, 3);
        assert.ok(r.rewrite.notes.some((n) => /Mixed precision: .*the 1 most sensitive stay fp32: sensitive \(MatMul/.test(n)), r.rewrite.notes.join('\n'));
        assert.match(r.reason, /mixed precision weight-only \+ 1 layer fp32/);
        // The kept layer reads its original fp32 initializer; the three others read a DequantizeLinear.
        const g = r.model.graph!;
        const init = new Map(g.initializer.map((t) => [t.name, t]));
        const producers = new Map(g.node.flatMap((n) => n.output.map((o) => [o, n] as const)));
        for (const name of ['first', 'second', 'sensitive', 'last']) {
          const node = g.node.find((n) => n.name === name)!;
          const w = node.input[1];
          if (name === 'sensitive') assert.equal(init.get(w)?.dataType, DataType.FLOAT, 'sensitive keeps its fp32 weight');
          else assert.equal(producers.get(w)?.opType, 'DequantizeLinear', `${name} reads an int8 weight`);
        }
      } finally {
        await reference.session.release();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
