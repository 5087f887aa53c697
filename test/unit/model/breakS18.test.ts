/**
 * Issue 10, found by trying to break the model verbs (s18-breakmodel): an external-data file
 * that is a FIFO (the read blocked the engine for good, deaf to cancel and SIGTERM), a folder,
 * or a link leaving the model's folder; a WAV at an absurd sample rate ("Invalid typed array
 * length … a bug in PepperPy"); hexadecimal numbers taken as options; --sparsity 0 writing a
 * copy of the source; --target-size 1 advising "a larger --target-size than 1"; a model with
 * no outputs blamed on its inputs; and the original model's onnxruntime session left open
 * after a refusal or a cancel. Each: a clear error before anything is written, the source
 * unchanged.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineError } from '../../../src/protocol/errors';
import { runCli, type CliIo } from '../../../src/engine/cli/framework';
import { modelCommands } from '../../../src/engine/cli/modelCommands';
import { ModelCompressor } from '../../../src/engine/model/compressor';
import { ModelPruner } from '../../../src/engine/model/pruner';
import { loadSampleInputs } from '../../../src/engine/model/inputs';
import { encodeModel, floatTensor, readModel, readModelLazy, setExternal, sha256File, writeModelAtomic } from '../../../src/engine/model/onnx';
import * as runtime from '../../../src/engine/model/runtime';
import { ensureCorpus } from '../../helpers/modelCorpus';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures/models');
const MLP = join(FIXTURES, 'tiny_mlp.onnx');

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, `expected an EngineError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

function capture(): { io: CliIo; err: () => string } {
  let err = '';
  return { io: { stdout: () => undefined, stderr: (t) => { err += t; }, readStdin: async () => '' }, err: () => err };
}

/** A 16-bit PCM mono WAV of `frames` samples at `rate` Hz. */
function wav(frames: number, rate: number): Buffer {
  const data = Buffer.alloc(frames * 2, 0x10);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE((rate * 2) >>> 0, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

describe('model verbs: breaking them (s18)', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-s18-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The MLP with its weights in m.onnx.data, then that file replaced by `make`. */
  async function externalModel(make: (data: string) => void): Promise<string> {
    const model = join(dir, 'm', 'm.onnx');
    mkdirSync(join(dir, 'm'));
    const written = await writeModelAtomic(model, (await readModel(MLP)).model, { externalDataMinBytes: 1024 });
    const data = join(dir, 'm', written.externalDataFile!);
    rmSync(data);
    make(data);
    return model;
  }

  it('refuses an external-data file that is a folder, naming what it is (it was called "truncated")', async () => {
    const model = await externalModel((data) => mkdirSync(data));
    await rejectsWith(readModel(model), 'badRequest', /m\.onnx\.data.* is a folder, not a file/);
    await rejectsWith(readModelLazy(model), 'badRequest', /m\.onnx\.data.* is a folder, not a file/);
  });

  it('refuses an external-data file that is a link leading out of the model folder, before reading it', async () => {
    mkdirSync(join(dir, 'elsewhere'));
    const model = await externalModel((data) => {
      const outside = join(dir, 'elsewhere', 'secret.data');
      writeFileSync(outside, Buffer.alloc(1 << 20));
      symlinkSync(outside, data);
    });
    await rejectsWith(readModel(model), 'badRequest', /m\.onnx\.data.* links to .*secret\.data, outside the model's folder/);
    await rejectsWith(readModelLazy(model), 'badRequest', /outside the model's folder/);
  });

  it('never blocks on an external-data FIFO, even for an empty tensor (opening it waited for a writer forever)', async () => {
    const loaded = await readModel(MLP);
    const empty = await floatTensor('empty', [0], new Float32Array(0));
    await setExternal(empty, 'z.data', 0, 0);
    loaded.model.graph!.initializer.push(empty);
    mkdirSync(join(dir, 'f'));
    const model = join(dir, 'f', 'm.onnx');
    writeFileSync(model, await encodeModel(loaded.model));
    execFileSync('mkfifo', [join(dir, 'f', 'z.data')]);
    const before = sha256File(model);
    await rejectsWith(readModel(model), 'badRequest', /z\.data.* is a named pipe \(FIFO\), not a file/);
    await rejectsWith(readModelLazy(model), 'badRequest', /named pipe/);
    await rejectsWith(new ModelPruner().prune({ modelPath: model, sparsity: 0.5, device: 'cpu', outPath: join(dir, 'f', 'p.onnx') }), 'badRequest', /named pipe/);
    assert.equal(sha256File(model), before);
    assert.deepEqual(readdirSync(join(dir, 'f')).sort(), ['m.onnx', 'z.data']);
  });

  it('refuses a WAV whose sample rate is no audio rate, instead of resampling 1 Hz to 16 kHz (16e9 values: a crash)', async () => {
    const audio = [{ name: 'audio', type: 'float32', shape: [1, 'samples'] }];
    for (const rate of [1, 100, 4_000_000_000]) {
      const path = join(dir, `r${rate}.wav`);
      writeFileSync(path, wav(rate === 1 ? 1_000_000 : 1000, rate));
      await rejectsWith(loadSampleInputs(path, audio), 'badRequest', new RegExp(`r${rate}\\.wav .*${rate.toLocaleString('en-US')} Hz.*between 1,000 and 768,000 Hz`));
    }
    // An ordinary odd rate is still resampled: 11,025 Hz × 0.5 s → 8,000 samples at 16 kHz.
    const odd = join(dir, 'odd.wav');
    writeFileSync(odd, wav(5513, 11025));
    const loaded = await loadSampleInputs(odd, audio);
    assert.deepEqual(loaded.batches[0].audio.dims, [1, 8001]);
  });

  it('takes only decimal numbers for numeric options: 0x10, 0b1, 0o7, Infinity are usage errors (exit 2)', async () => {
    for (const [flag, value] of [['--batch-size', '0x10'], ['--sparsity', '0x1'], ['--batch-size', '0b1'], ['--batch-size', '0o7'], ['--batch-size', 'Infinity']]) {
      const c = capture();
      const code = await runCli(['model', 'prune', MLP, flag, value, '--device', 'cpu', '--out', join(dir, 'p.onnx')], modelCommands, c.io);
      assert.equal(code, 2, `${flag} ${value}: ${c.err()}`);
      assert.match(c.err(), new RegExp(`${flag} needs a number, got "${value}"`));
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses a sparsity that removes no weight (0, 1e-9) instead of writing a larger copy of the source', async () => {
    // The fixture's weights: 256×64 + 256×256 + 10×256 = 84,480 (biases are not pruned).
    for (const sparsity of [0, 1e-9]) {
      await rejectsWith(new ModelPruner().prune({ modelPath: MLP, sparsity, device: 'cpu', outPath: join(dir, 'p.onnx') }), 'unsupported', new RegExp(`^unsupported: --sparsity ${sparsity} removes no weight \\(0 of 84,480\\).*Nothing was written`));
    }
    assert.deepEqual(readdirSync(dir), []);
  });

  it('does not advise "a larger --target-size than 1" when 1 is the largest there is', async () => {
    const r = await new ModelCompressor().compress({ modelPath: MLP, targetSizeRatio: 1, device: 'cpu', outPath: join(dir, 'c.onnx') });
    assert.equal(r.faithful, false, 'the fixture is out of tolerance at 100 % (measured: top-1 30 of 32)');
    assert.doesNotMatch(r.unfaithful!.alternative, /larger --target-size than 1\b/);
    assert.match(r.unfaithful!.alternative, /^--target-error \(targetError\) to bound each layer's error/);
  });

  it('refuses a model that declares no outputs, without blaming its inputs', async () => {
    const loaded = await readModel(MLP);
    loaded.model.graph!.output = [];
    const model = join(dir, 'noout.onnx');
    writeFileSync(model, await encodeModel(loaded.model));
    const e = await rejectsWith(new ModelPruner().prune({ modelPath: model, sparsity: 0.5, device: 'cpu', outPath: join(dir, 'p.onnx') }), 'unsupported', /noout\.onnx declares no outputs/);
    assert.doesNotMatch(`${e.message} ${e.hint ?? ''}`, /--inputs/);
    assert.deepEqual(readdirSync(dir), ['noout.onnx']);
  });

  it('releases the original model\'s session when prune or compress refuse (it stayed open in the engine)', async () => {
    const open = runtime.openSession;
    let opened = 0;
    let released = 0;
    const counting = async (...args: Parameters<typeof open>) => {
      const s = await open(...args);
      opened++;
      const release = s.release.bind(s);
      let done = false;
      s.release = async () => {
        if (!done) released++;
        done = true;
        await release();
      };
      return s;
    };
    (runtime as { openSession: typeof open }).openSession = counting;
    try {
      // auto on the fixture: refused (the faithful sparsity would be stored dense), after the reference ran.
      await rejectsWith(new ModelPruner().prune({ modelPath: MLP, device: 'cpu', outPath: join(dir, 'p.onnx') }), 'unsupported', /cannot make this model smaller/);
      await rejectsWith(new ModelCompressor().compress({ modelPath: MLP, device: 'cpu', outPath: join(dir, 'c.onnx') }), 'unsupported', /no low-rank size target/);
    } finally {
      (runtime as { openSession: typeof open }).openSession = open;
    }
    assert.ok(opened > 0);
    assert.equal(released, opened, `${opened} sessions opened, ${released} released`);
    assert.deepEqual(readdirSync(dir), []);
  });

  it('refuses to prune a model with no MatMul/Gemm (M-LSD: Conv only) from its graph, before running it', async function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    const [mlsd] = ensureCorpus({ only: ['mlsd-tiny-320'] });
    const open = runtime.openSession;
    let opened = 0;
    (runtime as { openSession: typeof open }).openSession = async (...args: Parameters<typeof open>) => {
      opened++;
      return open(...args);
    };
    try {
      for (const method of ['magnitude', 'structured'] as const) {
        await rejectsWith(new ModelPruner().prune({ modelPath: mlsd.modelPath, method, device: 'cpu', outPath: join(dir, 'p.onnx') }), 'unsupported', method === 'structured' ? /^unsupported: structured pruning found no MLP block/ : /^unsupported: pruning works on MatMul\/Gemm layers with at least 1024 weights, and this model has none \(its weights are in Conv ×41\)\.$/);
      }
    } finally {
      (runtime as { openSession: typeof open }).openSession = open;
    }
    assert.equal(opened, 0, 'no onnxruntime session: the refusal comes from the graph');
    assert.deepEqual(readdirSync(dir), []);
  });
});
