/**
 * Model optimization on real onnxruntime-node sessions, with the trained fixtures from
 * scripts/fixtures/train_tiny_lm.py (a byte-level transformer LM and an MLP classifier).
 * Bounds are asserted on measured fidelity; speeds are not asserted (shared CI cores).
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../../src/protocol/errors';
import { runCli, type CliIo } from '../../../src/engine/cli/framework';
import { modelCommands } from '../../../src/engine/cli/modelCommands';
import { createDispatcher } from '../../../src/engine/handlers';
import { ModelCompressor } from '../../../src/engine/model/compressor';
import { captureActivations, buildInputs } from '../../../src/engine/model/evaluate';
import { findLinears, findWeights, makeAttribute, makeNode } from '../../../src/engine/model/graph';
import { inspectModel } from '../../../src/engine/model/inspect';
import { decodeModel, encodeModel, float16Raw, floatTensor, makeTensor, onnxSchema, readModel, sha256File, writeModelAtomic, type ModelProto } from '../../../src/engine/model/onnx';
import { ModelOptimizer } from '../../../src/engine/model/optimizer';
import { ModelPruner } from '../../../src/engine/model/pruner';
import { ModelQuantizer } from '../../../src/engine/model/quantizer';
import { dequantize, quantizeGptq, quantizeHqq, quantizeRtn, relativeError, outputError } from '../../../src/engine/model/quantMath';
import { gram, gaussian, svd } from '../../../src/engine/model/linalg';
import { seededRandom } from '../../../src/shared/random';
import { openSession } from '../../../src/engine/model/runtime';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/models');
const LM = join(FIXTURES, 'tiny_lm.onnx');
const MLP = join(FIXTURES, 'tiny_mlp.onnx');
const CORPUS = join(FIXTURES, 'corpus.txt');

async function rejectsWith(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

/** A small model whose weights sit in a Constant node and inside an If subgraph. */
async function modelWithConstantsAndSubgraph(): Promise<ModelProto> {
  const onnx = await onnxSchema();
  const random = seededRandom(5);
  const w = (n: number) => Float32Array.from({ length: n }, () => gaussian(random) * 0.2);
  const vi = (name: string, dims: (number | string)[], elemType = 1) =>
    onnx.create(onnx.ValueInfoProtoSchema, {
      name,
      type: onnx.create(onnx.TypeProtoSchema, {
        value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType, shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: dims.map((d) => onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d } })) }) }) },
      }),
    });
  const constW = await floatTensor('w_const', [64, 64], w(64 * 64));
  const thenW = await floatTensor('w_then', [64, 64], w(64 * 64));
  const elseW = await floatTensor('w_else', [64, 64], w(64 * 64));
  const thenGraph = onnx.create(onnx.GraphProtoSchema, { name: 'then', node: [await makeNode('MatMul', ['h', 'w_then'], ['y_then'], 'then_mm')], initializer: [thenW], output: [vi('y_then', ['b', 64])] });
  const elseGraph = onnx.create(onnx.GraphProtoSchema, { name: 'else', node: [await makeNode('MatMul', ['h', 'w_else'], ['y_else'], 'else_mm')], initializer: [elseW], output: [vi('y_else', ['b', 64])] });
  const thenAttr = onnx.create(onnx.AttributeProtoSchema, { name: 'then_branch', type: 5, g: thenGraph });
  const elseAttr = onnx.create(onnx.AttributeProtoSchema, { name: 'else_branch', type: 5, g: elseGraph });
  const nodes = [
    await makeNode('Constant', [], ['w_c'], 'const', [await makeAttribute('value', constW, 'tensor')]),
    await makeNode('MatMul', ['x', 'w_c'], ['h'], 'mm0'),
    await makeNode('If', ['cond'], ['y'], 'branch', [thenAttr, elseAttr]),
  ];
  const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: nodes, input: [vi('x', ['b', 64]), vi('cond', [], 9)], output: [vi('y', ['b', 64])] });
  return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, producerName: 'pepperpy-test', opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph });
}

describe('model optimization', function () {
  this.timeout(60_000);
  let dir: string;
  let lmHash: string;
  let mlpHash: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-model-'));
    lmHash = sha256File(LM);
    mlpHash = sha256File(MLP);
  });
  after(() => {
    // The sources are never modified, whatever ran.
    assert.equal(sha256File(LM), lmHash);
    assert.equal(sha256File(MLP), mlpHash);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('ONNX reading and writing', () => {
    it('round-trips the fixtures byte for byte', async () => {
      for (const file of [LM, MLP]) {
        const bytes = readFileSync(file);
        const model = await decodeModel(bytes);
        assert.ok(Buffer.from(await encodeModel(model)).equals(bytes), `${file} changed on a round trip`);
      }
    });

    it('keeps fields the schema does not know (unknown fields survive a round trip)', async () => {
      const bytes = readFileSync(MLP);
      // Field 99, wire type 2 (length-delimited), 5 bytes: not in ModelProto.
      const extra = Buffer.from([0x9a, 0x06, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]);
      const model = await decodeModel(Buffer.concat([bytes, extra]));
      const again = Buffer.from(await encodeModel(model));
      assert.ok(again.includes(extra), 'the unknown field was dropped');
    });

    it('finds weights in initializers, Constant nodes and subgraphs, and quantizes all of them', async () => {
      const model = await modelWithConstantsAndSubgraph();
      const weights = findWeights(model);
      assert.deepEqual(weights.map((w) => `${w.name}:${w.source}:${w.depth}`).sort(), ['w_c:constant:0', 'w_else:initializer:1', 'w_then:initializer:1']);
      assert.equal(findLinears(model).length, 3);
      const path = join(dir, 'subgraph.onnx');
      await writeModelAtomic(path, model);
      const session = await openSession(path, 'cpu');
      const x = Float32Array.from({ length: 4 * 64 }, (_, i) => Math.sin(i));
      const feeds = { x: { type: 'float32' as const, data: x, dims: [4, 64] }, cond: { type: 'bool' as const, data: Uint8Array.of(1), dims: [] } };
      const before = (await session.run(feeds)).y.data;
      const q = await new ModelQuantizer().quantize({ modelPath: path, bits: 4, minElements: 1, batchSize: 2, device: 'cpu' });
      assert.equal(q.layersQuantized, 3);
      const after = (await (await openSession(q.path, 'cpu')).run(feeds)).y.data;
      let dot = 0, na = 0, nb = 0;
      for (let i = 0; i < before.length; i++) {
        dot += before[i] * after[i];
        na += before[i] ** 2;
        nb += after[i] ** 2;
      }
      assert.ok(dot / Math.sqrt(na * nb) > 0.98, `cosine ${dot / Math.sqrt(na * nb)}`);
    });

    it('quantizes an fp16 model to MatMulNBits with fp16 scales', async () => {
      const onnx = await onnxSchema();
      const random = seededRandom(11);
      const vi = (name: string) =>
        onnx.create(onnx.ValueInfoProtoSchema, {
          name,
          type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType: 10, shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: [onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimParam', value: 'b' } }), onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: 128n } })] }) }) } }),
        });
      const w = Float32Array.from({ length: 128 * 128 }, () => gaussian(random) * 0.1);
      const weight = await makeTensor('w16', 10, [128, 128], float16Raw(w, 'fp16'));
      const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: [await makeNode('MatMul', ['x', 'w16'], ['y'], 'mm')], initializer: [weight], input: [vi('x')], output: [vi('y')] });
      const model = onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph });
      const path = join(dir, 'fp16.onnx');
      await writeModelAtomic(path, model);
      const r = await new ModelQuantizer().quantize({ modelPath: path, bits: 4, device: 'cpu', batchSize: 4 });
      assert.equal(r.layersQuantized, 1);
      assert.ok(r.fidelity.cosineSimilarity > 0.99, `cosine ${r.fidelity.cosineSimilarity}`);
      const q = await readModel(r.path);
      assert.equal(q.model.graph!.initializer.find((t) => t.name.endsWith('_scales'))!.dataType, 10);
    });

    it('writes and reads external data, and onnxruntime runs the result', async () => {
      const loaded = await readModel(MLP);
      const path = join(dir, 'external.onnx');
      const written = await writeModelAtomic(path, loaded.model, { externalDataMinBytes: 1024 });
      assert.equal(written.externalDataFile, 'external.onnx.data');
      assert.ok(existsSync(join(dir, 'external.onnx.data')));
      // Writing with external data leaves the in-memory model as it was.
      assert.ok(Buffer.from(await encodeModel(loaded.model)).equals(readFileSync(MLP)));
      const back = await readModel(path);
      assert.deepEqual(back.externalFiles, ['external.onnx.data']);
      assert.ok(Buffer.from(await encodeModel(back.model)).equals(Buffer.from(await encodeModel((await readModel(MLP)).model))), 'external data did not come back identical');
      const a = await openSession(MLP, 'cpu');
      const b = await openSession(path, 'cpu');
      const feeds = { x: { type: 'float32' as const, data: new Float32Array(64).fill(0.5), dims: [1, 64] } };
      assert.deepEqual((await a.run(feeds)).logits.data, (await b.run(feeds)).logits.data);
      const info = await inspectModel(path);
      assert.deepEqual(info.weights.externalDataFiles, ['external.onnx.data']);
    });

    it('writes atomically: no temporary files are left, and a failed write leaves nothing', async () => {
      const loaded = await readModel(MLP);
      const sub = mkdtempSync(join(dir, 'atomic-'));
      await writeModelAtomic(join(sub, 'a.onnx'), loaded.model);
      assert.deepEqual(readdirSync(sub), ['a.onnx']);
      await rejectsWith(writeModelAtomic(join(sub, 'missing', 'b.onnx'), loaded.model), 'notFound');
      assert.deepEqual(readdirSync(sub), ['a.onnx']);
    });
  });

  describe('bad input', () => {
    it('rejects truncated, corrupted and empty files with clear errors', async () => {
      const bytes = readFileSync(MLP);
      const truncated = join(dir, 'truncated.onnx');
      writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 3)));
      await rejectsWith(readModel(truncated), 'badRequest', /truncated|not a valid ONNX|holds/);
      const garbage = join(dir, 'garbage.onnx');
      writeFileSync(garbage, Buffer.from('this is not a model at all, just text'.repeat(20)));
      await rejectsWith(readModel(garbage), 'badRequest');
      const empty = join(dir, 'empty.onnx');
      writeFileSync(empty, '');
      await rejectsWith(readModel(empty), 'badRequest', /empty/);
      await rejectsWith(readModel(join(dir, 'nope.onnx')), 'notFound');
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: truncated, bits: 4 }), 'badRequest');
    });

    it('rejects absurd dimensions and models larger than memory', async () => {
      const loaded = await readModel(MLP);
      loaded.model.graph!.initializer[0].dims = [1n << 30n, 1n << 30n];
      await rejectsWith(decodeModel(await encodeModel(loaded.model)), 'tooLarge', /elements/);
      loaded.model.graph!.initializer[0].dims = [3n, 5n];
      await rejectsWith(decodeModel(await encodeModel(loaded.model)), 'badRequest', /declares 15 elements/);
      await rejectsWith(readModel(MLP, { maxBytes: 100_000 }), 'tooLarge', /more than the/);
    });

    it('rejects external data outside the model folder or missing', async () => {
      const loaded = await readModel(MLP);
      const t = loaded.model.graph!.initializer[0];
      const onnx = await onnxSchema();
      t.dataLocation = 1;
      t.rawData = new Uint8Array(0);
      t.externalData = [onnx.create(onnx.StringStringEntryProtoSchema, { key: 'location', value: '../../etc/passwd' })];
      const path = join(dir, 'escape.onnx');
      writeFileSync(path, await encodeModel(loaded.model));
      await rejectsWith(readModel(path), 'badRequest', /outside/);
      t.externalData = [onnx.create(onnx.StringStringEntryProtoSchema, { key: 'location', value: 'missing.bin' })];
      writeFileSync(path, await encodeModel(loaded.model));
      await rejectsWith(readModel(path), 'notFound', /missing/);
    });

    it('reports an unsupported operator as unsupported', async () => {
      const loaded = await readModel(MLP);
      const onnx = await onnxSchema();
      loaded.model.graph!.node[0].opType = 'NoSuchOperator';
      loaded.model.graph!.node[0].domain = 'com.example';
      loaded.model.opsetImport.push(onnx.create(onnx.OperatorSetIdProtoSchema, { domain: 'com.example', version: 1n }));
      const path = join(dir, 'unsupported.onnx');
      writeFileSync(path, await encodeModel(loaded.model));
      await rejectsWith(openSession(path, 'cpu'), 'unsupported');
    });

    it('survives a fuzzer: 120 seeded mutations of a fixture, no crash or hang', async function () {
      this.timeout(90_000);
      const original = readFileSync(MLP);
      const random = seededRandom(1234);
      const deadline = Date.now() + 45_000;
      let decoded = 0;
      let ran = 0;
      let iterations = 0;
      for (; iterations < 120 && Date.now() < deadline; iterations++) {
        const bytes = Buffer.from(original);
        const kind = iterations % 4;
        let mutated: Buffer;
        if (kind === 0) {
          for (let i = 0; i < 1 + Math.floor(random() * 8); i++) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
          mutated = bytes;
        } else if (kind === 1) mutated = bytes.subarray(0, Math.floor(random() * bytes.length));
        else if (kind === 2) {
          // Mutate the structural head of the file (names, shapes, attributes), not only weights.
          for (let i = 0; i < 4; i++) bytes[Math.floor(random() * Math.min(bytes.length, 2048))] = Math.floor(random() * 256);
          mutated = bytes;
        } else {
          const at = Math.floor(random() * bytes.length);
          mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256))), bytes.subarray(at)]);
        }
        const path = join(dir, 'fuzz.onnx');
        writeFileSync(path, mutated);
        try {
          await readModel(path);
          decoded++;
          const session = await openSession(path, 'cpu');
          await session.run({ x: { type: 'float32', data: new Float32Array(64), dims: [1, 64] } });
          await session.release();
          ran++;
        } catch (error) {
          assert.ok(error instanceof EngineError, `mutation ${iterations} threw a raw ${String(error)}`);
        }
      }
      assert.ok(iterations >= 40, `only ${iterations} mutations ran in time`);
      assert.ok(decoded > 0 && decoded < iterations, `decoded ${decoded} of ${iterations}`);
      void ran;
    });
  });

  describe('quantization math', () => {
    it('HQQ and GPTQ reduce the error of round-to-nearest at 3 and 2 bits', () => {
      const random = seededRandom(9);
      const k = 128, n = 64;
      const w = Float32Array.from({ length: k * n }, () => gaussian(random) * (random() < 0.02 ? 4 : 1));
      const x = Float32Array.from({ length: 512 * k }, (_, i) => gaussian(random) * (1 + (i % k) / 16));
      const h = gram(x, 512, k);
      for (const bits of [3, 2]) {
        const rtn = dequantize(quantizeRtn(w, k, n, bits, 32));
        const hqq = dequantize(quantizeHqq(w, k, n, bits, 32));
        const gptq = dequantize(quantizeGptq(w, k, n, bits, 32, h));
        assert.ok(relativeError(w, hqq) < relativeError(w, rtn), `hqq ${relativeError(w, hqq)} vs rtn ${relativeError(w, rtn)} at ${bits} bits`);
        assert.ok(outputError(w, gptq, h, k, n) < outputError(w, rtn, h, k, n), `gptq output error ${outputError(w, gptq, h, k, n)} vs rtn ${outputError(w, rtn, h, k, n)} at ${bits} bits`);
      }
    });

    it('SVD reconstructs a matrix', () => {
      const random = seededRandom(2);
      for (const [rows, cols] of [[12, 7], [7, 12]]) {
        const m = Float64Array.from({ length: rows * cols }, () => gaussian(random));
        const { us, vt, rank } = svd(m, rows, cols);
        const usCols = us.length / rows;
        for (let i = 0; i < rows; i++) {
          for (let j = 0; j < cols; j++) {
            let v = 0;
            for (let r = 0; r < rank; r++) v += us[i * usCols + r] * vt[r * cols + j];
            assert.ok(Math.abs(v - m[i * cols + j]) < 1e-6);
          }
        }
      }
    });
  });

  describe('ModelQuantizer on the trained LM', () => {
    const results: Record<string, Awaited<ReturnType<ModelQuantizer['quantize']>>> = {};
    const run = async (name: string, params: Partial<Parameters<ModelQuantizer['quantize']>[0]>) => {
      results[name] = await new ModelQuantizer().quantize({ modelPath: LM, calibrationData: CORPUS, device: 'cpu', batchSize: 2, outPath: join(dir, `${name}.onnx`), ...params });
      return results[name];
    };

    it('8-bit dynamic (DynamicQuantizeLinear + MatMulInteger) stays close to fp32', async () => {
      const r = await run('dyn8', { bits: 8, quantizationType: 'dynamic' });
      assert.match(r.format, /MatMulInteger/);
      assert.ok(r.fidelity.cosineSimilarity > 0.999, `cosine ${r.fidelity.cosineSimilarity}`);
      assert.ok(Math.abs(r.fidelity.lossIncreasePercent!) < 2, `loss +${r.fidelity.lossIncreasePercent}%`);
      assert.ok(r.sizeReductionPercent > 55);
      assert.equal(r.executionProvider, 'cpu');
      assert.ok(r.measuredSpeedup > 0 && r.speed.referenceMs > 0);
    });

    it('8-bit weight-only (DequantizeLinear + MatMul)', async () => {
      const r = await run('int8', { bits: 8, format: 'weight-only' });
      assert.match(r.format, /DequantizeLinear/);
      assert.ok(r.fidelity.cosineSimilarity > 0.9995);
      assert.ok(Math.abs(r.fidelity.lossIncreasePercent!) < 1);
    });

    it('4-bit MatMulNBits (round to nearest) with accuracy_level set', async () => {
      const r = await run('q4', { bits: 4, format: 'nbits' });
      assert.match(r.format, /MatMulNBits .*4-bit, block 32, accuracy_level 4/);
      assert.ok(r.fidelity.cosineSimilarity > 0.99, `cosine ${r.fidelity.cosineSimilarity}`);
      assert.ok(r.fidelity.lossIncreasePercent! < 5, `loss +${r.fidelity.lossIncreasePercent}%`);
      assert.ok(r.sizeReductionPercent > 65);
    });

    it('3-bit in 4-bit containers says so', async () => {
      const r = await run('q3', { bits: 3, method: 'hqq' });
      assert.equal(r.storageBits, 4);
      assert.ok(r.notes.some((n) => /no 3-bit kernel/.test(n)));
      assert.ok(r.fidelity.cosineSimilarity > 0.95);
    });

    it('2-bit GPTQ with calibration beats 2-bit round-to-nearest on held-out loss', async () => {
      const rtn = await run('q2', { bits: 2, format: 'nbits' });
      const gptq = await run('q2gptq', { bits: 2, method: 'gptq', format: 'nbits' });
      assert.match(gptq.format, /2-bit/);
      assert.ok(gptq.fidelity.loss! < rtn.fidelity.loss!, `gptq loss ${gptq.fidelity.loss} vs rtn ${rtn.fidelity.loss}`);
      assert.ok(gptq.notes.some((n) => /round-to-nearest/.test(n)));
    });

    it('fp16 and bf16 weights', async () => {
      const r = await run('fp16', { bits: 16, quantizationType: 'float' });
      assert.ok(r.fidelity.cosineSimilarity > 0.99999);
      assert.ok(r.sizeReductionPercent > 45);
      const b = await run('bf16', { bits: 16, quantizationType: 'float', floatFormat: 'bf16' });
      assert.ok(b.fidelity.cosineSimilarity > 0.9999);
    });

    it('refuses combinations onnxruntime cannot run, naming what to do', async () => {
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: LM, bits: 4, quantizationType: 'dynamic' }), 'unsupported', /8-bit only/);
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: LM, bits: 4, quantizationType: 'float' }), 'unsupported');
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: LM, bits: 4, outPath: LM }), 'badRequest', /never overwritten/);
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: LM, bits: 5 as 4 }), 'badRequest', /bits/);
    });

    it('falls back from an unavailable device and says which provider ran', async () => {
      const r = await new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, quantizationType: 'dynamic', device: 'cuda', batchSize: 2, outPath: join(dir, 'cuda.onnx') });
      assert.equal(r.executionProvider, 'cpu');
      assert.ok(r.notes.some((n) => /Asked for cuda/.test(n)), r.notes.join('\n'));
    });
  });

  describe('ModelPruner', () => {
    it('magnitude pruning with least-squares reconstruction lowers the loss it reports', async () => {
      const r = await new ModelPruner().prune({ modelPath: LM, sparsity: 0.5, fineTune: true, fineTuneDataset: CORPUS, device: 'cpu', batchSize: 2, outPath: join(dir, 'pruned.onnx') });
      assert.ok(Math.abs(r.achievedSparsity - 0.5) < 0.01);
      assert.ok(r.fineTune);
      assert.ok(r.fineTune.outputMseAfter < r.fineTune.outputMseBefore, JSON.stringify(r.fineTune));
      assert.ok(r.fineTune.lossAfter < r.fineTune.lossBefore, JSON.stringify(r.fineTune));
      assert.ok(r.estimatedPerformanceLoss !== null);
    });

    it('activation-aware pruning at 60% stores sparse initializers that onnxruntime runs', async () => {
      const r = await new ModelPruner().prune({ modelPath: LM, sparsity: 0.6, activationAware: true, fineTuneDataset: CORPUS, device: 'cpu', batchSize: 2, outPath: join(dir, 'wanda.onnx') });
      assert.equal(r.storage, 'sparse_initializer');
      assert.ok(r.prunedSize < r.originalSize);
      assert.ok(r.fidelity.cosineSimilarity > 0.8);
    });

    it('structured pruning makes the MLP smaller and the refit helps', async () => {
      const plain = await new ModelPruner().prune({ modelPath: MLP, sparsity: 0.5, method: 'structured', device: 'cpu', batchSize: 16, outPath: join(dir, 'struct.onnx') });
      const tuned = await new ModelPruner().prune({ modelPath: MLP, sparsity: 0.5, method: 'structured', fineTune: true, device: 'cpu', batchSize: 16, outPath: join(dir, 'struct-ft.onnx') });
      assert.equal(plain.storage, 'smaller');
      assert.ok(plain.sizeReductionPercent > 30);
      assert.ok(tuned.fidelity.cosineSimilarity > plain.fidelity.cosineSimilarity, `${tuned.fidelity.cosineSimilarity} vs ${plain.fidelity.cosineSimilarity}`);
    });
  });

  describe('ModelCompressor', () => {
    it('low-rank, activation-aware, at a target size', async () => {
      const r = await new ModelCompressor().compress({ modelPath: LM, method: 'low_rank', targetSizeRatio: 0.5, trainingData: CORPUS, device: 'cpu', batchSize: 2, outPath: join(dir, 'lowrank.onnx') });
      assert.ok(r.sizeReductionPercent > 30);
      assert.ok(r.steps.length >= 5 && r.steps.every((s) => /→|kept/.test(s)));
      assert.ok(r.fidelity.cosineSimilarity > 0.9, `cosine ${r.fidelity.cosineSimilarity}`);
    });

    it('distillation removes the least influential branch, narrows the MLPs and fits the student', async () => {
      const r = await new ModelCompressor().compress({ modelPath: LM, method: 'distillation', studentModelConfig: { numLayers: 3, intermediateRatio: 0.5 }, trainingData: CORPUS, device: 'cpu', batchSize: 2, outPath: join(dir, 'student.onnx') });
      assert.ok(r.compressedSize < r.originalSize * 0.75);
      assert.ok(r.steps.some((s) => /Removed the residual branch/.test(s)));
      assert.ok(r.steps.some((s) => /Narrowed the MLP/.test(s)));
      const fit = r.steps.find((s) => /Fitted/.test(s))!;
      const [, before, after] = /data ([\d.]+) → ([\d.]+)/.exec(fit)!;
      assert.ok(Number(after) <= Number(before), fit);
      assert.ok(r.estimatedPerformanceLoss !== null);
    });
  });

  describe('ModelOptimizer', () => {
    it('saves onnxruntime-optimized graphs with identical outputs and reports fusions', async () => {
      const r = await new ModelOptimizer().optimize({ modelPath: LM, device: 'cpu', calibrationData: CORPUS, outPath: join(dir, 'opt.onnx') });
      assert.ok(r.fidelity.cosineSimilarity > 0.99999);
      assert.ok(Object.keys(r.config.fusedOps).length > 0);
      assert.equal(r.config.executionProvider, 'cpu');
    });

    it('fp16 keeps precision-sensitive ops in fp32', async () => {
      const r = await new ModelOptimizer().optimize({ modelPath: LM, device: 'cpu', precision: 'fp16', calibrationData: CORPUS, outPath: join(dir, 'opt16.onnx') });
      assert.ok(r.config.keptInFp32.includes('LayerNormalization') && r.config.keptInFp32.includes('Softmax'));
      assert.ok(r.fidelity.cosineSimilarity > 0.9999);
    });
  });

  describe('engine and CLI', () => {
    it('registers the model requests, and a cancelled job stops with "cancelled"', async () => {
      const rpc = createDispatcher();
      for (const m of ['model/inspect', 'model/quantize', 'model/prune', 'model/compress', 'model/optimize']) assert.ok(rpc.has(m), m);
      const progress: unknown[] = [];
      let cancelled = false;
      const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
      const job = rpc.dispatch('model/quantize', { modelPath: LM, bits: 4, device: 'cpu', outPath: join(dir, 'cancelled.onnx') }, {
        token,
        progress: (p: unknown) => {
          progress.push(p);
          cancelled = true;
        },
        log: () => undefined,
      });
      await rejectsWith(job, 'cancelled');
      assert.ok(progress.length > 0);
      assert.ok(!existsSync(join(dir, 'cancelled.onnx')));
      // (A fresh token: the cancelled one now stops a request before it starts, validation included, break39.)
      const fresh = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
      await rejectsWith(rpc.dispatch('model/prune', { modelPath: LM, sparsity: 2 }, { token: fresh, progress: () => undefined, log: () => undefined }), 'badRequest', /sparsity/);
    });

    it('pepperpy-opt model inspect and quantize --json print one JSON object', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '' };
      assert.equal(await runCli(['model', 'inspect', LM, '--json'], modelCommands, io), 0);
      const info = JSON.parse(out.join('')) as { quantizableLayers: number; opsets: Record<string, number> };
      assert.equal(info.opsets['ai.onnx'], 17);
      assert.ok(info.quantizableLayers >= 9);
      out.length = 0;
      const target = join(dir, 'cli.onnx');
      assert.equal(await runCli(['model', 'quantize', MLP, '--bits', '4', '--device', 'cpu', '--out', target, '--json'], modelCommands, io), 0);
      const r = JSON.parse(out.join('')) as { path: string; quantizedSize: number };
      assert.equal(r.path, target);
      assert.ok(err.join('').includes('%]'));
      out.length = 0;
      assert.equal(await runCli(['model', 'quantize', join(dir, 'missing.onnx'), '--json'], modelCommands, io), 1);
      assert.match(out.join(''), /"code":"notFound"/);
    });

    it('model cuda-setup explains the opt-in CUDA install without running it', async () => {
      const out: string[] = [];
      const io: CliIo = { stdout: (t) => out.push(t), stderr: () => undefined, readStdin: async () => '' };
      assert.equal(await runCli(['model', 'cuda-setup', '--json'], modelCommands, io), 0);
      const r = JSON.parse(out.join('')) as { installed: boolean; command: string; providers: string[] };
      assert.equal(r.installed, false);
      assert.match(r.command, /ONNXRUNTIME_NODE_INSTALL=cuda12/);
      assert.ok(r.providers.includes('cpu'));
    });

    it('captures activations of intermediate tensors', async () => {
      const loaded = await readModel(LM);
      const session = await openSession(LM, 'cpu');
      const set = await buildInputs(session, { dataPath: CORPUS, batchSize: 2, batches: 1, part: 'calibration' });
      const lin = findLinears(loaded.model)[0];
      const acts = await captureActivations(loaded.model, [lin.node.input[0]], set);
      const a = acts.get(lin.node.input[0])!;
      assert.equal(a.width, lin.k);
      assert.equal(a.rows, 2 * 64);
    });
  });

  it('copies of a fixture can be used as the source without touching it', async () => {
    const copy = join(dir, 'copy.onnx');
    copyFileSync(MLP, copy);
    const hash = sha256File(copy);
    await new ModelQuantizer().quantize({ modelPath: copy, bits: 4, device: 'cpu', batchSize: 2 });
    assert.equal(sha256File(copy), hash);
    assert.ok(existsSync(join(dir, 'copy.q4.onnx')));
  });
});
