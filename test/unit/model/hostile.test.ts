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
import { readModel, sha256File, writeModelAtomic } from '../../../src/engine/model/onnx';

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

  it('refuses flag combinations it used to ignore: a format with dynamic or float, qdq at 4 bits, a block size that is not a power of two', async () => {
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 8, quantizationType: 'dynamic', format: 'qdq', device: 'cpu', outPath: join(dir, 'a.onnx') }), 'badRequest', /format qdq applies to quantizationType int; dynamic is its own format/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 16, quantizationType: 'float', format: 'qdq', device: 'cpu', outPath: join(dir, 'b.onnx') }), 'badRequest', /float stores fp16\/bf16/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 4, format: 'qdq', device: 'cpu', outPath: join(dir, 'c.onnx') }), 'unsupported', /8-bit only/);
    await rejectsWith(new ModelQuantizer().quantize({ modelPath: MLP, bits: 4, blockSize: 48, device: 'cpu', outPath: join(dir, 'd.onnx') }), 'badRequest', /power of two/);
    assert.deepEqual(readdirSync(dir), []);
  });
});
