/**
 * Streaming quantization (src/engine/model/stream.ts) on a small LLM-shaped model with its
 * weights in external data, made by scripts/models/make-synthetic-llm.mjs. The oracle for the
 * packed bytes is the in-memory quantizer (ModelQuantizer), which loads the whole model.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineError } from '../../../src/protocol/errors';
import type { ModelQuantizeParams } from '../../../src/protocol/model';
import { DataType, encodeModel, makeTensor, onnxSchema, readModel, readModelLazy, tensorToFloat32, type ModelProto, type TensorProto } from '../../../src/engine/model/onnx';
import { attrInt, makeAttribute, makeNode, opTypeCounts } from '../../../src/engine/model/graph';
import { ModelQuantizer } from '../../../src/engine/model/quantizer';
import { externalLocations, keptWeights, keptWeightsNote, runInSegments, shouldStream, streamQuantize } from '../../../src/engine/model/stream';
import { openSession } from '../../../src/engine/model/runtime';

const ROOT = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT, 'scripts/models/make-synthetic-llm.mjs');
const SMALL = { hidden: 64, intermediate: 160, layers: 2, vocab: 512, heads: 4 };

interface Made {
  modelPath: string;
  dataPath: string;
  parameters: number;
  sizeBytes: number;
}
type Maker = (options: Record<string, unknown>) => Promise<Made>;

async function make(dir: string, name: string, dtype: 'fp32' | 'fp16', extra: Record<string, unknown> = {}): Promise<Made> {
  const mod = (await import(pathToFileURL(SCRIPT).href)) as { makeSyntheticLlm: Maker };
  return mod.makeSyntheticLlm({ outDir: dir, name, dtype, seed: 3, ...SMALL, ...extra });
}

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

/** Initializers of the main graph by name, values loaded. */
function inits(model: ModelProto): Map<string, TensorProto> {
  return new Map(model.graph!.initializer.map((t) => [t.name, t]));
}

/**
 * For each node of `op`, its input tensors keyed by the output of the MatMul it computes (names
 * of new tensors and nodes may differ between the two writers): for MatMulNBits its own output,
 * for DequantizeLinear the output of the MatMul it feeds.
 */
function tensorsByOutput(model: ModelProto, op: string): Map<string, TensorProto[]> {
  const byName = inits(model);
  const readers = new Map<string, string>();
  for (const n of model.graph!.node) if (n.opType === 'MatMul') readers.set(n.input[1], n.output[0]);
  const out = new Map<string, TensorProto[]>();
  for (const n of model.graph!.node) {
    if (n.opType !== op) continue;
    const key = op === 'DequantizeLinear' ? readers.get(n.output[0]) : n.output[0];
    if (key === undefined) continue;
    out.set(key, n.input.slice(op === 'DequantizeLinear' ? 0 : 1).map((i) => byName.get(i)).filter((t): t is TensorProto => t !== undefined));
  }
  return out;
}

/**
 * Every rewritten weight of a quantized model, keyed by the value it finally computes (names
 * of new tensors and nodes may differ between the two writers): a MatMulNBits by its output, or
 * by the output of the bias Add after it (a Gemm); a GatherBlockQuantized by its output; a
 * DequantizeLinear by the output of the node that reads it. `op` says which rewrite it is.
 */
function rewrittenWeights(model: ModelProto): Map<string, { op: string; tensors: TensorProto[] }> {
  const byName = inits(model);
  const nodes = model.graph!.node;
  const readerOf = (value: string) => nodes.find((n) => n.input.includes(value));
  const tensors = (names: string[]) => names.map((i) => byName.get(i)).filter((t): t is TensorProto => t !== undefined);
  const out = new Map<string, { op: string; tensors: TensorProto[] }>();
  for (const n of nodes) {
    if (n.opType === 'MatMulNBits') {
      const next = readerOf(n.output[0]);
      const key = next?.opType === 'Add' ? next.output[0] : n.output[0];
      out.set(key, { op: next?.opType === 'Add' ? 'MatMulNBits+Add' : 'MatMulNBits', tensors: tensors(n.input.slice(1)) });
    } else if (n.opType === 'GatherBlockQuantized') {
      out.set(n.output[0], { op: n.opType, tensors: tensors([n.input[0], n.input[2], n.input[3]]) });
    } else if (n.opType === 'DequantizeLinear') {
      const next = readerOf(n.output[0])!;
      out.set(next.output[0], { op: `DequantizeLinear→${next.opType}`, tensors: tensors(n.input) });
    }
  }
  return out;
}

function sameBytes(a: TensorProto, b: TensorProto, what: string): void {
  assert.equal(a.dataType, b.dataType, `${what}: data type`);
  assert.deepEqual(a.dims, b.dims, `${what}: dims`);
  assert.ok(Buffer.from(a.rawData).equals(Buffer.from(b.rawData)), `${what}: bytes differ`);
}

describe('model streaming quantization (external data, one tensor at a time)', function () {
  this.timeout(120_000);
  let dir: string;
  let fp32: Made;
  let fp16: Made;
  let gemm32: Made;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-stream-'));
    fp32 = await make(join(dir, 'src'), 'llm32', 'fp32');
    fp16 = await make(join(dir, 'src'), 'llm16', 'fp16');
    gemm32 = await make(join(dir, 'src'), 'gemm32', 'fp32', { gemm: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the synthetic model has the parameter count it reports, in external data', async () => {
    const { hidden: h, intermediate: i, layers: l, vocab: v } = SMALL;
    assert.equal(fp32.parameters, 2 * v * h + l * (4 * h * h + 3 * h * i + 4 * h) + 2 * h);
    const lazy = await readModelLazy(fp32.modelPath);
    let count = 0;
    for (const t of lazy.model.graph!.initializer) if (lazy.external.has(t)) count += t.dims.reduce((a, d) => a * Number(d), 1);
    assert.equal(count, fp32.parameters);
    assert.deepEqual(lazy.externalFiles, ['llm32.onnx.data']);
    // The lazy reader keeps the weights on disk.
    assert.ok(lazy.model.graph!.initializer.every((t) => !lazy.external.has(t) || t.rawData.length === 0));
  });

  it('shouldStream reads the external-data files from the protobuf without decoding the model', async () => {
    assert.deepEqual([...externalLocations(readFileSync(fp32.modelPath))], ['llm32.onnx.data']);
    assert.equal(shouldStream(fp32.modelPath, { minBytes: 1 }), true);
    assert.equal(shouldStream(fp32.modelPath, { minBytes: fp32.sizeBytes + 1 }), false);
    assert.equal(shouldStream(fp32.modelPath), false, 'a model of a few MB stays on the in-memory path');
    assert.equal(shouldStream(join(dir, 'missing.onnx'), { minBytes: 1 }), false);
    // A model whose weights are inline is never streamed.
    const inline = join(dir, 'inline.onnx');
    await new ModelQuantizer().quantize({ modelPath: fp32.modelPath, bits: 16, quantizationType: 'float', device: 'cpu', outPath: inline, batchSize: 1 });
    assert.deepEqual([...externalLocations(readFileSync(inline))], []);
    assert.equal(shouldStream(inline, { minBytes: 1 }), false);
  });

  for (const bits of [4, 8] as const) {
    it(`${bits}-bit rtn: the streamed model holds exactly the in-memory quantizer's packed weights and scales`, async () => {
      const params: ModelQuantizeParams = { modelPath: fp32.modelPath, bits, device: 'cpu', batchSize: 1, format: bits === 4 ? 'nbits' : 'weight-only' };
      const memory = await new ModelQuantizer().quantize({ ...params, outPath: join(dir, `mem-q${bits}.onnx`) });
      const streamed = await streamQuantize({ ...params, outPath: join(dir, `stream-q${bits}.onnx`) });
      // Every MatMul and the embedding Gather; the Gather's bytes are compared in the Gemm/Gather test below.
      assert.equal(streamed.layersQuantized, SMALL.layers * 7 + 2);
      assert.deepEqual(streamed.layersByOp, { Gather: 1, MatMul: SMALL.layers * 7 + 1 });
      const a = (await readModel(memory.path)).model;
      const b = (await readModel(streamed.path)).model;
      const op = bits === 4 ? 'MatMulNBits' : 'DequantizeLinear';
      const ta = tensorsByOutput(a, op);
      const tb = tensorsByOutput(b, op);
      assert.equal(tb.size, SMALL.layers * 7 + 1);
      let compared = 0;
      for (const [output, tensors] of tb) {
        const other = ta.get(output);
        assert.ok(other, `the in-memory model has no ${op} writing ${output}`);
        if (bits === 4) {
          assert.equal(tensors.length, 3);
          tensors.forEach((t, i) => sameBytes(other[i], t, `${output} input ${i + 1}`));
        } else {
          sameBytes(other[0], tensors[0], `${output} int8 weight`);
          sameBytes(other[1], tensors[1], `${output} scale`);
        }
        compared++;
      }
      assert.equal(compared, SMALL.layers * 7 + 1);
      assert.ok(streamed.weightError > 0 && streamed.weightError < (bits === 8 ? 0.01 : 0.15), `weight error ${streamed.weightError}`);
      // Everything that was not quantized is carried over unchanged.
      const src = inits((await readModel(fp32.modelPath)).model);
      const out = inits(b);
      for (const name of ['model.layers.1.input_layernorm.weight', 'model.norm.bias']) sameBytes(src.get(name)!, out.get(name)!, name);
      assert.ok(!out.has('lm_head.weight') && !out.has('model.layers.0.mlp.down_proj.weight') && !out.has('model.embed_tokens.weight'));
      // Every weight of a layer was rewritten (norms are not weights of a layer): no kept-weights note.
      assert.ok(!streamed.notes.some((n) => /stayed in (its|their) source precision/.test(n)), streamed.notes.join('\n'));
      // Measured by running both models in onnxruntime; the fp32 model is the reference.
      assert.equal(streamed.executionProvider, 'cpu');
      assert.ok(streamed.fidelity.cosineSimilarity > (bits === 8 ? 0.999 : 0.98), `cosine ${streamed.fidelity.cosineSimilarity}`);
      assert.ok(streamed.fidelity.top1Agreement !== undefined && streamed.fidelity.top1Agreement > (bits === 8 ? 0.9 : 0.6), `top-1 ${streamed.fidelity.top1Agreement}`);
      assert.ok(Math.abs(streamed.fidelity.cosineSimilarity - memory.fidelity.cosineSimilarity) < 0.02);
      assert.ok(streamed.quantizedSize < streamed.originalSize);
      assert.equal(streamed.quantizedSize, statSync(streamed.path).size + statSync(`${streamed.path}.data`).size);
    });
  }

  it('--gemm: o projections are Gemm (transB 0, bias), lm_head a Gemm with transB 1 (weight [vocab × hidden], bias)', async () => {
    const { hidden: h, intermediate: i, layers: l, vocab: v } = SMALL;
    assert.equal(gemm32.parameters, 2 * v * h + l * (4 * h * h + 3 * h * i + 5 * h) + 2 * h + v);
    const model = (await readModel(gemm32.modelPath)).model;
    const gemms = model.graph!.node.filter((n) => n.opType === 'Gemm');
    assert.deepEqual(gemms.map((n) => [n.input[1], attrInt(n, 'transB', 0), n.input[2]]), [
      ...Array.from({ length: l }, (_, layer) => [`model.layers.${layer}.self_attn.o_proj.weight`, 0, `model.layers.${layer}.self_attn.o_proj.bias`]),
      ['lm_head.weight', 1, 'lm_head.bias'],
    ]);
    assert.deepEqual(inits(model).get('lm_head.weight')!.dims.map(Number), [v, h]);
    assert.equal(opTypeCounts(model).MatMul, l * 8, 'q, k, v, gate, up, down and the two attention products per layer');
  });

  for (const bits of [4, 8] as const) {
    it(`${bits}-bit: Gemm (transB 0 and 1, with bias) and Gather weights streamed are the in-memory quantizer's bytes, and the two models compute the same logits`, async () => {
      const params: ModelQuantizeParams = { modelPath: gemm32.modelPath, bits, device: 'cpu', batchSize: 1, format: bits === 4 ? 'nbits' : 'weight-only' };
      const memory = await new ModelQuantizer().quantize({ ...params, outPath: join(dir, `gemm-mem-q${bits}.onnx`) });
      const streamed = await streamQuantize({ ...params, outPath: join(dir, `gemm-stream-q${bits}.onnx`) });
      const byOp = { Gather: 1, Gemm: SMALL.layers + 1, MatMul: SMALL.layers * 6 };
      assert.deepEqual(streamed.layersByOp, byOp);
      assert.deepEqual(memory.layersByOp, byOp);
      const memModel = (await readModel(memory.path)).model;
      const model = (await readModel(streamed.path)).model;
      const a = rewrittenWeights(memModel);
      const b = rewrittenWeights(model);
      assert.equal(b.size, SMALL.layers * 7 + 2);
      assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort());
      const expected: Record<string, string> = bits === 4
        ? { embeddings: 'GatherBlockQuantized', '/layers.0/o_proj_rows': 'MatMulNBits+Add', '/layers.1/o_proj_rows': 'MatMulNBits+Add', '/lm_head/rows_out': 'MatMulNBits+Add' }
        : { embeddings: 'DequantizeLinear→Gather', '/layers.0/o_proj_rows': 'DequantizeLinear→Gemm', '/layers.1/o_proj_rows': 'DequantizeLinear→Gemm', '/lm_head/rows_out': 'DequantizeLinear→Gemm' };
      for (const [key, op] of Object.entries(expected)) assert.equal(b.get(key)?.op, op, key);
      for (const [key, { op, tensors }] of b) {
        const other = a.get(key)!;
        assert.equal(op, other.op, key);
        assert.equal(tensors.length, 3, key);
        tensors.forEach((t, i) => sameBytes(other.tensors[i], t, `${key} input ${i + 1}`));
      }
      // Nothing fp32 is left of the rewritten weights; the biases are carried over as they were.
      const out = inits(model);
      for (const name of ['lm_head.weight', 'model.layers.0.self_attn.o_proj.weight', 'model.embed_tokens.weight']) assert.ok(!out.has(name), name);
      const src = inits((await readModel(gemm32.modelPath)).model);
      for (const name of ['lm_head.bias', 'model.layers.1.self_attn.o_proj.bias']) sameBytes(src.get(name)!, out.get(name)!, name);
      const counts = opTypeCounts(model);
      assert.equal(counts.Gemm ?? 0, bits === 8 ? SMALL.layers + 1 : 0);
      assert.equal(counts.Gather ?? 0, bits === 8 ? 1 : 0);
      assert.ok(!streamed.notes.some((n) => /stayed in (its|their) source precision/.test(n)), streamed.notes.join('\n'));

      // The lm_head weight W [vocab × hidden] (transB 1) checked by hand against the source values:
      // its output channels are its rows, so the scales and blocks run along each row.
      const w = tensorToFloat32(src.get('lm_head.weight')!);
      const [v, h] = [SMALL.vocab, SMALL.hidden];
      const [levels, scales, zeros] = b.get('/lm_head/rows_out')!.tensors;
      const sc = tensorToFloat32(scales);
      if (bits === 8) {
        const dq = model.graph!.node.find((n) => n.opType === 'DequantizeLinear' && n.output[0] === 'lm_head.weight')!;
        assert.equal(attrInt(dq, 'axis', -1), 0);
        assert.deepEqual(scales.dims.map(Number), [v]);
        const q = new Int8Array(levels.rawData.buffer, levels.rawData.byteOffset, levels.rawData.length);
        for (let r = 0; r < v; r++) {
          let max = 0;
          for (let c = 0; c < h; c++) max = Math.max(max, Math.abs(w[r * h + c]));
          assert.equal(sc[r], Math.fround(max / 127), `scale of row ${r}`);
          for (let c = 0; c < h; c++) assert.equal(q[r * h + c], Math.round(w[r * h + c] / sc[r]) || 0, `level (${r}, ${c})`);
        }
        assert.ok(zeros.rawData.every((z) => z === 0));
      } else {
        const mm = model.graph!.node.find((n) => n.opType === 'MatMulNBits' && n.input[1] === levels.name)!;
        assert.deepEqual([attrInt(mm, 'K', 0), attrInt(mm, 'N', 0)], [h, v]);
        const blocks = h / 32;
        assert.deepEqual(levels.dims.map(Number), [v, blocks, 16]);
        for (let r = 0; r < v; r++) {
          for (let c = 0; c < h; c++) {
            const bl = Math.floor(c / 32);
            const byte = levels.rawData[(r * blocks + bl) * 16 + ((c % 32) >> 1)];
            const level = c % 2 === 0 ? byte & 15 : byte >> 4;
            const zByte = zeros.rawData[r * Math.ceil(blocks / 2) + (bl >> 1)];
            const zero = bl % 2 === 0 ? zByte & 15 : zByte >> 4;
            const scale = sc[r * blocks + bl];
            assert.ok(Math.abs((level - zero) * scale - w[r * h + c]) <= scale / 2 + 1e-7, `(${r}, ${c}): ${(level - zero) * scale} vs ${w[r * h + c]}`);
          }
        }
      }

      // onnxruntime loads and runs the streamed model; it computes exactly what the in-memory result computes.
      const feeds = [1, 2].map((seed) => ({ input_ids: { type: 'int64' as const, data: BigInt64Array.from({ length: 12 }, (_, i) => BigInt((i * 53 + seed * 7) % SMALL.vocab)), dims: [1, 12] } }));
      const logits: Float32Array[][] = [];
      for (const path of [memory.path, streamed.path]) {
        const session = await openSession(path, 'cpu');
        try {
          const runs: Float32Array[] = [];
          for (const feed of feeds) runs.push((await session.run(feed)).logits.data);
          logits.push(runs);
        } finally {
          await session.release();
        }
      }
      feeds.forEach((_, i) => {
        assert.equal(logits[1][i].length, 12 * SMALL.vocab);
        assert.ok(logits[1][i].every(Number.isFinite));
        assert.deepEqual(logits[1][i], logits[0][i], `logits of feed ${i + 1}`);
      });
      assert.ok(streamed.fidelity.cosineSimilarity > (bits === 8 ? 0.999 : 0.98), `cosine ${streamed.fidelity.cosineSimilarity}`);
    });
  }

  it('fp16 model: 4-bit hqq and 8-bit weight-only keep fp16 activations and stay close to the fp16 model', async () => {
    const q4 = await streamQuantize({ modelPath: fp16.modelPath, bits: 4, method: 'hqq', device: 'cpu', batchSize: 1, outPath: join(dir, 'llm16-q4.onnx') });
    // GatherBlockQuantized is written for fp32 tables only (as on the in-memory path): the fp16 embedding is int8 per row, fp16 scales.
    assert.equal(q4.layersQuantized, SMALL.layers * 7 + 2);
    assert.deepEqual(q4.layersByOp, { Gather: 1, MatMul: SMALL.layers * 7 + 1 });
    // On CPU onnxruntime would hold fp32 copies of the fp16 weights: the original runs in segments.
    assert.ok(q4.notes.some((n) => /ran in \d+ segments/.test(n)), q4.notes.join('\n'));
    assert.ok(q4.fidelity.cosineSimilarity > 0.98, `cosine ${q4.fidelity.cosineSimilarity}`);
    const model = (await readModel(q4.path)).model;
    const scales = tensorsByOutput(model, 'MatMulNBits').get('logits')!;
    assert.equal(scales[1].dataType, 10, 'fp16 scales for an fp16 model');
    assert.equal(scales[2].dataType, 10, 'hqq keeps float zero points');
    const embedding = rewrittenWeights(model).get('embeddings')!;
    assert.equal(embedding.op, 'DequantizeLinear→Gather');
    assert.deepEqual(embedding.tensors.map((t) => [t.dataType, t.dims.map(Number)]), [[DataType.INT8, [SMALL.vocab, SMALL.hidden]], [DataType.FLOAT16, [SMALL.vocab]], [DataType.INT8, [SMALL.vocab]]]);
    const q8 = await streamQuantize({ modelPath: fp16.modelPath, bits: 8, device: 'cpu', batchSize: 1, outPath: join(dir, 'llm16-q8.onnx') });
    assert.ok(q8.fidelity.cosineSimilarity > 0.999, `cosine ${q8.fidelity.cosineSimilarity}`);
  });

  it('a model run one segment at a time gives the outputs of one whole session', async () => {
    for (const made of [fp32, fp16]) {
      const feeds = [1, 2].map((seed) => ({ input_ids: { type: 'int64' as const, data: BigInt64Array.from({ length: 12 }, (_, i) => BigInt((i * 37 + seed * 11) % SMALL.vocab)), dims: [1, 12] } }));
      const whole = await openSession(made.modelPath, 'cpu');
      const expected: Float32Array[] = [];
      for (const feed of feeds) expected.push((await whole.run(feed)).logits.data);
      await whole.release();
      const { outputs, segments } = await runInSegments(made.modelPath, feeds, 60_000);
      assert.ok(segments >= 5, `${segments} segments`);
      assert.deepEqual(outputs.names, ['logits']);
      outputs.perBatch.forEach((outs, b) => {
        assert.equal(outs[0].length, 12 * SMALL.vocab);
        let worst = 0;
        for (let i = 0; i < outs[0].length; i++) worst = Math.max(worst, Math.abs(outs[0][i] - expected[b][i]));
        // Graph fusions inside one session may round differently from the same ops split apart.
        assert.ok(worst < (made === fp16 ? 2e-2 : 1e-4), `max |Δ| ${worst}`);
      });
    }
  });

  it('float 16: weights stored as fp16 equal the in-memory conversion', async () => {
    const streamed = await streamQuantize({ modelPath: fp32.modelPath, bits: 16, quantizationType: 'float', device: 'cpu', batchSize: 1, outPath: join(dir, 'stream-fp16.onnx') });
    const memory = await new ModelQuantizer().quantize({ modelPath: fp32.modelPath, bits: 16, quantizationType: 'float', device: 'cpu', batchSize: 1, outPath: join(dir, 'mem-fp16.onnx') });
    const a = inits((await readModel(memory.path)).model);
    const b = inits((await readModel(streamed.path)).model);
    const halves = [...a.keys()].filter((n) => n.endsWith('_fp16'));
    assert.ok(halves.length >= SMALL.layers * 7 + 2);
    for (const name of halves) sameBytes(a.get(name)!, b.get(name)!, name);
    assert.ok(streamed.fidelity.cosineSimilarity > 0.9999);
    const src = (await readModel(fp32.modelPath)).model.graph!.initializer.find((t) => t.name === 'lm_head.weight')!;
    const w = tensorToFloat32(src);
    const h = tensorToFloat32(b.get('lm_head.weight_fp16')!);
    for (let i = 0; i < w.length; i += 97) assert.ok(Math.abs(w[i] - h[i]) <= Math.abs(w[i]) * 2 ** -10 + 2 ** -24);
  });

  it('cancellation during the weights leaves no file behind', async () => {
    const out = join(dir, 'cancel');
    rmSync(out, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    let cancelled = false;
    let quantizing = 0;
    const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
    const job = streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'cpu', batchSize: 1, outPath: join(out, 'q4.onnx') }, {
      token,
      progress: (p) => {
        if (p.message?.startsWith('Quantizing') && ++quantizing === 5) cancelled = true;
      },
    });
    await rejectsWith(job, 'cancelled');
    assert.equal(quantizing, 5);
    assert.deepEqual(readdirSync(out), []);
  });

  it('a truncated external data file is a clear error before any output is written', async () => {
    const broken = join(dir, 'broken');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(broken, { recursive: true });
    copyFileSync(fp32.modelPath, join(broken, 'llm32.onnx'));
    copyFileSync(fp32.dataPath, join(broken, 'llm32.onnx.data'));
    truncateSync(join(broken, 'llm32.onnx.data'), Math.floor(statSync(fp32.dataPath).size / 2));
    const error = await rejectsWith(streamQuantize({ modelPath: join(broken, 'llm32.onnx'), bits: 4, device: 'cpu', batchSize: 1 }), 'badRequest', /llm32\.onnx\.data/);
    assert.match(error.hint ?? '', /truncated/);
    assert.deepEqual(readdirSync(broken).sort(), ['llm32.onnx', 'llm32.onnx.data']);
  });

  it('ModelQuantizer streams a model whose external data is past the threshold (PEPPERPY_STREAM_MIN_BYTES)', async () => {
    const out = join(dir, 'dispatched.q4.onnx');
    const previous = process.env.PEPPERPY_STREAM_MIN_BYTES;
    process.env.PEPPERPY_STREAM_MIN_BYTES = '1';
    try {
      const r = await new ModelQuantizer().quantize({ modelPath: fp32.modelPath, bits: 4, device: 'cpu', outPath: out });
      assert.equal(r.storageBits, 4);
      assert.ok(r.notes.some((n) => /stream/i.test(n)), `the notes say the model was streamed: ${r.notes.join(' | ')}`);
      const direct = await streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'cpu', outPath: join(dir, 'direct.q4.onnx') });
      assert.equal(r.layersQuantized, direct.layersQuantized);
      assert.equal(r.weightError, direct.weightError, 'the same weights as calling the streaming path directly');
      assert.ok(Math.abs(r.quantizedSize - direct.quantizedSize) < 1024, 'sizes differ only by the output file name stored per tensor');
    } finally {
      if (previous === undefined) delete process.env.PEPPERPY_STREAM_MIN_BYTES;
      else process.env.PEPPERPY_STREAM_MIN_BYTES = previous;
    }
  });

  it('refuses what streaming cannot do, with a hint', async () => {
    await rejectsWith(streamQuantize({ modelPath: fp32.modelPath, bits: 4, method: 'gptq', device: 'cpu' }), 'unsupported', /GPTQ/);
    await rejectsWith(streamQuantize({ modelPath: fp32.modelPath, bits: 8, quantizationType: 'dynamic', device: 'cpu' }), 'unsupported', /Dynamic/);
    await rejectsWith(streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'cpu', outPath: fp32.dataPath.replace(/\.data$/, '') }), 'badRequest', /source/);
  });

  it('a model with no graph inputs is refused up front, as on the in-memory path, and nothing is written', async () => {
    // The synthetic LLM with its token input made a Constant node: the weights stay in its external data.
    const folder = join(dir, 'noinputs');
    mkdirSync(folder, { recursive: true });
    copyFileSync(fp32.dataPath, join(folder, 'llm32.onnx.data'));
    const lazy = await readModelLazy(fp32.modelPath);
    const graph = lazy.model.graph!;
    const ids = await makeTensor('ids', DataType.INT64, [1, 4], new Uint8Array(BigInt64Array.from([1n, 2n, 3n, 4n]).buffer));
    graph.node.unshift(await makeNode('Constant', [], [graph.input[0].name], 'ids_Constant', [await makeAttribute('value', ids, 'tensor')]));
    graph.input = [];
    const modelPath = join(folder, 'noinputs.onnx');
    writeFileSync(modelPath, await encodeModel(lazy.model));
    // Without the up-front check the model would be quantized first and fail only when measured.
    const error = await rejectsWith(streamQuantize({ modelPath, bits: 4, device: 'cpu', batchSize: 1, outPath: join(folder, 'q4.onnx') }), 'unsupported', /takes no inputs, so there is nothing to measure it on/);
    assert.match(error.hint ?? '', /graph inputs/);
    assert.deepEqual(readdirSync(folder).sort(), ['llm32.onnx.data', 'noinputs.onnx']);
  });

  it('an explicit --device that fell back is a warning, with the same words as the in-memory path', async () => {
    const r = await streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'webgpu', batchSize: 1, outPath: join(dir, 'webgpu.q4.onnx') });
    const warning = (r.warnings ?? []).find((w) => /Asked for --device webgpu/.test(w));
    if (r.executionProvider === 'webgpu') assert.equal(warning, undefined);
    else assert.equal(warning, `Asked for --device webgpu, but it could not start: both models ran on ${r.executionProvider}, so the speed figures are for ${r.executionProvider}, not webgpu (the notes say why).`);
    const auto = await streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'auto', batchSize: 1, outPath: join(dir, 'auto.q4.onnx') });
    assert.equal((auto.warnings ?? []).filter((w) => /Asked for --device/.test(w)).length, 0, 'auto never warns about falling back');
  });

  it('the new model is measured before it is moved to --out: a failure while measuring leaves nothing there', async () => {
    const out = join(dir, 'measure-cancel');
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    let cancelled = false;
    const messages: string[] = [];
    const token = { get isCancellationRequested() { return cancelled; }, onCancellationRequested: () => ({ dispose: () => undefined }) };
    const job = streamQuantize({ modelPath: fp32.modelPath, bits: 4, device: 'cpu', batchSize: 1, outPath: join(out, 'q4.onnx') }, {
      token,
      progress: (p) => {
        messages.push(p.message ?? '');
        // Every weight is written by now; the model exists only in its temporary folder.
        if (p.message?.startsWith('Loading the new model')) {
          const entries = readdirSync(out);
          assert.equal(entries.length, 1, entries.join(', '));
          assert.match(entries[0], /^\.q4\.onnx\.tmp-/);
          assert.deepEqual(readdirSync(join(out, entries[0])).sort(), ['q4.onnx', 'q4.onnx.data']);
          cancelled = true;
        }
      },
    });
    await rejectsWith(job, 'cancelled');
    assert.ok(messages.some((m) => m.startsWith('Loading the new model')), messages.join(' | '));
    assert.deepEqual(readdirSync(out), []);
  });

  it('a streamed result out of tolerance is written, marked not faithful, with the reason and a milder setting (one result assembly with job.ts)', async () => {
    // 2-bit round-to-nearest on a random-weight LLM changes most next-token choices.
    const r = await streamQuantize({ modelPath: fp32.modelPath, bits: 2, device: 'cpu', batchSize: 1, outPath: join(dir, 'q2.onnx') });
    const task = r.fidelity.task;
    assert.ok(task, 'a task verdict');
    assert.equal(task.withinTolerance, false, task.description);
    assert.equal(r.faithful, false);
    assert.equal(r.unfaithful?.reason, `task fidelity out of tolerance: ${task.description}`);
    assert.match(r.unfaithful?.alternative ?? '', /^--bits 8 \(bits: 8\)/);
    assert.ok((r.warnings ?? []).some((w) => w.startsWith('Task fidelity is out of tolerance: ') && w.includes('try instead: --bits 8')), (r.warnings ?? []).join(' | '));
    assert.ok(statSync(r.path).size > 0 && statSync(`${r.path}.data`).size > 0, 'the model is written');
    // The same notes as the in-memory path, from the shared assembly.
    assert.ok(r.notes.some((n) => n === `Fidelity: ${r.fidelity.inputs}.`));
    assert.ok(r.notes.some((n) => n.startsWith(`Task fidelity (${task.metric}): `)));
    const q8 = await streamQuantize({ modelPath: fp32.modelPath, bits: 8, device: 'cpu', batchSize: 1, outPath: join(dir, 'q8-faithful.onnx') });
    assert.equal(q8.faithful, q8.fidelity.task?.withinTolerance ?? true);
    assert.equal(q8.unfaithful === undefined, q8.faithful);
  });
});

describe('model streaming: the weights that stay fp32 are named, with the reason', () => {
  it('a Gemm weight also read by another op, a Conv weight, a small MatMul weight and a shared one; not norms, biases or the rewritten weights', async () => {
    const onnx = await onnxSchema();
    const f32 = (name: string, dims: number[]) => makeTensor(name, DataType.FLOAT, dims, new Uint8Array(dims.reduce((a, d) => a * d, 4)));
    const tensors = [await f32('gemm.w', [64, 32]), await f32('emb', [100, 32]), await f32('conv.w', [8, 4, 3, 3]), await f32('tiny', [4, 4]), await f32('shared', [32, 32]), await f32('ln.w', [32]), await f32('done', [32, 32]), await f32('gemm.b', [64])];
    const nodes = [
      await makeNode('Gather', ['emb', 'ids'], ['e'], 'g'),
      await makeNode('Gemm', ['e', 'gemm.w', 'gemm.b'], ['y'], 'gemm', [await makeAttribute('transB', 1)]),
      await makeNode('Transpose', ['gemm.w'], ['gemm.wt'], 'tied'),
      await makeNode('Conv', ['img', 'conv.w'], ['f'], 'conv'),
      await makeNode('MatMul', ['y', 'tiny'], ['z'], 'mm1'),
      await makeNode('MatMul', ['z', 'shared'], ['a'], 'mm2'),
      await makeNode('Add', ['a', 'shared'], ['b'], 'add'),
      await makeNode('LayerNormalization', ['b', 'ln.w'], ['c'], 'ln'),
      await makeNode('MatMul', ['c', 'done'], ['out'], 'mm3'),
    ];
    const model = onnx.create(onnx.ModelProtoSchema, { graph: onnx.create(onnx.GraphProtoSchema, { node: nodes, initializer: tensors }) });
    // The embedding and `done` were rewritten (as streaming now does for Gather, Gemm and MatMul weights).
    const kept = keptWeights(model, tensors, new Set([tensors[1], tensors[6]]), 64);
    assert.deepEqual(kept.map((k) => [k.name, k.readers.join(','), k.reason]), [
      ['gemm.w', 'Gemm,Transpose', 'a Gemm weight also read by Transpose'],
      ['conv.w', 'Conv', 'a Conv weight: streaming quantizes MatMul, Gemm and Gather weights only'],
      ['tiny', 'MatMul', 'a MatMul weight of 16 elements, below minElements 64'],
      ['shared', 'Add,MatMul', 'a MatMul weight also read by Add'],
    ]);
    assert.equal(keptWeightsNote(kept.slice(0, 2)), '2 weights stayed in their source precision (copied unchanged): "gemm.w" [64×32] (a Gemm weight also read by Transpose); "conv.w" [8×4×3×3] (a Conv weight: streaming quantizes MatMul, Gemm and Gather weights only).');
    // A Gather table that was not rewritten (say, read in a way streaming leaves alone) is named too.
    const embKept = keptWeights(model, tensors, new Set([tensors[6]]), 64).find((k) => k.name === 'emb');
    assert.equal(embKept?.reason, 'a Gather weight read in a way streaming does not rewrite (a Constant node, several graphs, a Gather on another axis, or readers that disagree on the channel axis)');
    // Past 40 names the rest are counted.
    const many = Array.from({ length: 45 }, (_, i) => ({ name: `w${i}`, dims: [2, 2], readers: ['Gemm'], reason: 'r' }));
    assert.equal(keptWeightsNote(many), `45 weights stayed in their source precision (copied unchanged): ${many.slice(0, 40).map((k) => `"${k.name}" [2×2]`).join(', ')} and 5 more (r).`);
  });
});
