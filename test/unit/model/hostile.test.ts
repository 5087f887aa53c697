/**
 * Hostile uses of the model verbs that once overwrote the user's source or failed late
 * (found by trying to break them): an --out naming the source's external data, a path
 * through a symbolic link, a folder or a file where the output folder should be, a source
 * that outputs NaN, and flag combinations that were silently ignored. Each must be a clear
 * error before any work, with the source byte for byte unchanged.
 */
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../../src/protocol/errors';
import { ModelCompressor } from '../../../src/engine/model/compressor';
import { ModelOptimizer } from '../../../src/engine/model/optimizer';
import { ModelPruner } from '../../../src/engine/model/pruner';
import { ModelQuantizer } from '../../../src/engine/model/quantizer';
import { floatTensor, readModel, sha256File, writeModelAtomic } from '../../../src/engine/model/onnx';
import { makeAttribute, makeNode } from '../../../src/engine/model/graph';
import { resultWarnings } from '../../../src/engine/model/job';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/models');
const MLP = join(FIXTURES, 'tiny_mlp.onnx');

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return;
  }
  assert.fail(`expected a ${code} error`);
}

describe('model verbs against hostile output paths and inputs', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-hostile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('never writes over the source external-data file, for any verb', async () => {
    const source = join(dir, 'ext.onnx');
    const loaded = await readModel(MLP);
    const written = await writeModelAtomic(source, loaded.model, { externalDataMinBytes: 1024 });
    assert.ok(written.externalDataFile, 'the fixture has external data');
    const data = join(dir, written.externalDataFile);
    const before = [sha256File(source), sha256File(data)];
    const verbs: [string, () => Promise<unknown>][] = [
      ['quantize', () => new ModelQuantizer().quantize({ modelPath: source, bits: 8, format: 'weight-only', device: 'cpu', outPath: data })],
      ['optimize', () => new ModelOptimizer().optimize({ modelPath: source, device: 'cpu', outPath: data })],
      ['prune', () => new ModelPruner().prune({ modelPath: source, device: 'cpu', outPath: data })],
      ['compress', () => new ModelCompressor().compress({ modelPath: source, device: 'cpu', outPath: data })],
    ];
    for (const [verb, run] of verbs) await rejectsWith(run(), 'badRequest', new RegExp(`source model's external data.*never overwritten`)).catch((e: unknown) => assert.fail(`${verb}: ${String(e)}`));
    // An output whose own .data file would land on the source's data file is refused too.
    const sibling = join(dir, written.externalDataFile.replace(/\.data$/, ''));
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: source, bits: 8, format: 'weight-only', device: 'cpu', outPath: sibling }), 'badRequest', /never overwritten/);
    assert.deepEqual([sha256File(source), sha256File(data)], before);
  });

  it('sees the source through symbolic links: a linked source, or a linked folder', async () => {
    const real = join(dir, 'real.onnx');
    copyFileSync(MLP, real);
    const before = sha256File(real);
    const link = join(dir, 'link.onnx');
    symlinkSync(real, link);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: link, bits: 8, device: 'cpu', outPath: real }), 'badRequest', /is the source model/);
    const linkedDir = join(dir, 'linked');
    symlinkSync(dir, linkedDir);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: real, bits: 8, device: 'cpu', outPath: join(linkedDir, 'real.onnx') }), 'badRequest', /is the source model/);
    assert.equal(sha256File(real), before);
  });

  it('checks the output location before any work: a folder, a file as the folder, a missing folder, a name too long', async () => {
    const q = (outPath: string) => new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, device: 'cpu', outPath }, { progress: (p) => assert.ok(!/Quantizing|Measuring|candidate/i.test(p.message ?? ''), `work started: ${p.message}`) });
    mkdirSync(join(dir, 'out.onnx'));
    await rejectsWith(q(join(dir, 'out.onnx')), 'badRequest', /is a folder/);
    writeFileSync(join(dir, 'afile'), 'x');
    await rejectsWith(q(join(dir, 'afile', 'x.onnx')), 'badRequest', /output folder .*afile is a file/);
    await rejectsWith(q(join(dir, 'missing', 'x.onnx')), 'notFound', /output folder .*missing does not exist/);
    await rejectsWith(q(join(dir, `${'n'.repeat(300)}.onnx`)), 'badRequest', /at most 255/);
    assert.deepEqual(readdirSync(dir).sort(), ['afile', 'out.onnx']);
  });

  it('refuses a source whose outputs are NaN instead of "measuring" against it', async () => {
    const loaded = await readModel(MLP);
    const weight = loaded.model.graph!.initializer.find((t) => t.dims.length === 2)!;
    const values = new Float32Array(weight.rawData.length / 4).fill(0.1);
    values[0] = NaN;
    weight.rawData = new Uint8Array(values.buffer.slice(0));
    const source = join(dir, 'nan.onnx');
    await writeModelAtomic(source, loaded.model);
    const out = join(dir, 'nan.q8.onnx');
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: source, bits: 8, device: 'cpu', outPath: out }), 'badRequest', /original model outputs NaN on these inputs/);
    assert.deepEqual(readdirSync(dir), ['nan.onnx']);
  });

  it('refuses a model with no graph inputs, for every format and verb, before any work', async () => {
    // The MLP with its input x replaced by a Constant node: nothing to feed, nothing to measure on.
    const loaded = await readModel(MLP);
    const graph = loaded.model.graph!;
    graph.input = [];
    const value = await floatTensor('x_value', [2, 64], Float32Array.from({ length: 128 }, (_, i) => i / 64 - 1));
    graph.node.unshift(await makeNode('Constant', [], ['x'], 'x_constant', [await makeAttribute('value', value, 'tensor')]));
    const source = join(dir, 'noinputs.onnx');
    await writeModelAtomic(source, loaded.model);
    const noInputs = /noinputs\.onnx takes no inputs, so there is nothing to measure it on/;
    for (const format of ['auto', 'dynamic', 'weight-only', 'qdq'] as const) {
      await rejectsWith(new ModelQuantizer().quantize({ modelPath: source, bits: 8, format, device: 'cpu', outPath: join(dir, `q-${format}.onnx`) }), 'unsupported', noInputs);
    }
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: source, bits: 4, device: 'cpu', outPath: join(dir, 'q4.onnx') }), 'unsupported', noInputs);
    await rejectsWith(new ModelOptimizer().optimize({ modelPath: source, device: 'cpu', outPath: join(dir, 'o.onnx') }), 'unsupported', noInputs);
    await rejectsWith(new ModelPruner().prune({ modelPath: source, device: 'cpu', outPath: join(dir, 'p.onnx') }), 'unsupported', noInputs);
    assert.deepEqual(readdirSync(dir), ['noinputs.onnx']);
  });

  it('says the model rejected the user\'s --inputs, naming the file and quoting onnxruntime', async () => {
    // The MLP with a symbolic feature size: 3 features pass the file check and fail in the first Gemm.
    const loaded = await readModel(MLP);
    const dims = loaded.model.graph!.input[0].type!.value.value as { shape: { dim: { value: { case: string; value: unknown } }[] } };
    dims.shape.dim[1].value = { case: 'dimParam', value: 'features' };
    const source = join(dir, 'symbolic.onnx');
    await writeModelAtomic(source, loaded.model);
    const inputs = join(dir, 'three.json');
    writeFileSync(inputs, JSON.stringify({ x: [[0.1, 0.2, 0.3]] }));
    try {
      await new ModelQuantizer().quantize({ modelPath: source, bits: 8, format: 'dynamic', device: 'cpu', inputsPath: inputs, outPath: join(dir, 'q.onnx') });
      assert.fail('expected a refusal');
    } catch (error) {
      assert.ok(error instanceof EngineError, String(error));
      assert.equal(error.code, 'badRequest');
      assert.match(error.message, /^The original model rejected the sample inputs in .*three\.json \(1 sample from .*three\.json \(x \[1, 3\]\)\); onnxruntime said: .*Gemm/);
      assert.doesNotMatch(error.message + (error.hint ?? ''), /may be invalid/);
      assert.match(error.hint ?? '', /Check the samples in .*three\.json against what the model expects/);
    }
    assert.deepEqual(readdirSync(dir).sort(), ['symbolic.onnx', 'three.json']);
  });

  it('makes an explicit --device that fell back to CPU a result warning, not only a note', async () => {
    const r = await new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, format: 'dynamic', device: 'webgpu', outPath: join(dir, 'w.onnx') });
    const warning = (r.warnings ?? []).find((w) => /Asked for --device webgpu/.test(w));
    if (r.executionProvider === 'webgpu') assert.equal(warning, undefined);
    else assert.match(warning ?? '', new RegExp(`^Asked for --device webgpu, but it could not start: both models ran on ${r.executionProvider}, so the speed figures are for ${r.executionProvider}, not webgpu`));
    // auto and cpu never warn about the device.
    const speed = { referenceMs: 1, optimizedMs: 1, speedup: 1, batchSize: 1 };
    assert.deepEqual(resultWarnings(10, 5, speed, 'cpu', undefined), []);
    assert.deepEqual(resultWarnings(10, 5, speed, 'cpu', undefined, 'Asked for --device cuda, but it could not start'), ['Asked for --device cuda, but it could not start']);
  });

  it('refuses flag combinations it used to ignore: a format with dynamic or float, qdq at 4 bits, a block size that is not a power of two', async () => {
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, quantizationType: 'dynamic', format: 'qdq', device: 'cpu', outPath: join(dir, 'a.onnx') }), 'badRequest', /format qdq applies to quantizationType int; dynamic is its own format/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 16, quantizationType: 'float', format: 'qdq', device: 'cpu', outPath: join(dir, 'b.onnx') }), 'badRequest', /float stores fp16\/bf16/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 4, format: 'qdq', device: 'cpu', outPath: join(dir, 'c.onnx') }), 'unsupported', /8-bit only/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 4, blockSize: 48, device: 'cpu', outPath: join(dir, 'd.onnx') }), 'badRequest', /power of two/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
