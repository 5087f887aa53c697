/**
 * A result out of task-fidelity tolerance is written, but it is marked `faithful: false` with
 * the reason and a milder alternative, and the CLI exits 3 (UNFAITHFUL_EXIT_CODE) so scripts
 * stop; within tolerance it exits 0. Shown on a real corpus model (PaddleOCR v4 text-line
 * recognizer) with its real text-line crops: 30 % magnitude pruning changes the decoded text
 * of some lines, 15 % (the alternative the result suggests) does not.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UNFAITHFUL_EXIT_CODE, type CompressedModel, type PrunedModel, type QuantizedModel, type TaskFidelity } from '../../../src/protocol/model';
import { runCli, topHelp, type CliIo } from '../../../src/engine/cli/framework';
import { modelCommands } from '../../../src/engine/cli/modelCommands';
import { faithfulness, resultWarnings, unfaithfulAlternative } from '../../../src/engine/model/job';
import { corpusFeeds, ensureCorpus, writeFeedsJson, type CorpusEntry } from '../../helpers/modelCorpus';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, readStdin: async () => '' }, out: () => out, err: () => err };
}

const task = (withinTolerance: boolean): TaskFidelity => ({ metric: 'top1Agreement', value: withinTolerance ? 1 : 0.5, withinTolerance, description: 'top-1 agrees on 1 of 2 (tolerance at least 99.00%: OUT OF TOLERANCE)' });

describe('model results: faithful or not', () => {
  it('faithful when the task metric is within tolerance (or there is no task verdict), else the reason and the alternative', () => {
    assert.deepEqual(faithfulness(task(true), 'x'), { faithful: true });
    assert.deepEqual(faithfulness(undefined), { faithful: true });
    assert.deepEqual(faithfulness(task(false), '--bits 8'), { faithful: false, unfaithful: { reason: 'task fidelity out of tolerance: top-1 agrees on 1 of 2 (tolerance at least 99.00%: OUT OF TOLERANCE)', alternative: '--bits 8' } });
    assert.equal(faithfulness(task(false)).unfaithful?.alternative, 'keep the original model, or try a milder setting of this operation');
  });

  it('the alternative is the next milder setting of the same verb, and real samples when the inputs were generated', () => {
    assert.equal(unfaithfulAlternative({ verb: 'quantize', bits: 4, quantizationType: 'int', inputsPath: 'x.npz' }), '--bits 8 (bits: 8), which keeps far more precision than 4 bits, or --type float --bits 16 (fp16 weights)');
    assert.equal(unfaithfulAlternative({ verb: 'quantize', bits: 8, quantizationType: 'dynamic', inputsPath: 'x.npz' }), '--type float --bits 16 (quantizationType float: fp16 weights, half the size, compute stays fp32)');
    assert.equal(unfaithfulAlternative({ verb: 'prune', sparsity: 0.5, fineTune: true, inputsPath: 'x.npz' }), "--sparsity auto (sparsity: 'auto', the largest sparsity within tolerance) or a lower --sparsity than 0.5 (e.g. 0.25), or model quantize --bits 8");
    assert.equal(unfaithfulAlternative({ verb: 'optimize', precision: 'fp16', inputsPath: 'x.npz' }), '--precision fp32 (precision: graph optimizations without fp16)');
    assert.match(unfaithfulAlternative({ verb: 'compress', method: 'low_rank', targetSizeRatio: 0.3 }), /^a larger --target-size than 0\.3 .*; and if the generated evaluation inputs are not what the model sees in use, measure on real samples with --inputs FILE \(inputsPath\)$/);
    const speed = { referenceMs: 1, optimizedMs: 1, speedup: 1, batchSize: 1 };
    assert.deepEqual(resultWarnings(10, 5, speed, 'cpu', task(false), undefined, '--bits 8'), ['Task fidelity is out of tolerance: top-1 agrees on 1 of 2 (tolerance at least 99.00%: OUT OF TOLERANCE). The model was written, but it is not faithful; try instead: --bits 8.']);
  });

  it('the help says what exit code 3 means, on the top level and on every verb that writes a model', async () => {
    assert.match(topHelp(modelCommands), /Exit codes: 0 success, 1 failure, 2 bad usage, 3 a model verb wrote a model whose task fidelity is out of tolerance\./);
    for (const verb of ['quantize', 'prune', 'compress', 'optimize']) {
      const c = capture();
      assert.equal(await runCli(['model', verb, '--help'], modelCommands, c.io), 0);
      assert.match(c.out(), /Exit codes: 0 the model was written and is faithful[^]*\n3 the model was written but is NOT faithful: its task fidelity is out of tolerance/, verb);
    }
  });
});

describe('model results: faithful or not, on a real corpus model (CLI)', function () {
  this.timeout(300_000);
  let entry: CorpusEntry;
  let inputsPath: string;
  let dir: string;

  before(async function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    [entry] = ensureCorpus({ only: ['ppocr-v4-rec'] });
    inputsPath = writeFeedsJson(entry, await corpusFeeds(entry));
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-faithful-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ppocr-v4-rec pruned 30 %: written, "faithful": false with the reason and the alternative, exit code 3; pruned 15 % (that alternative): faithful, exit 0', async () => {
    const out = join(dir, 'rec.pruned30.onnx');
    const c = capture();
    const code = await runCli(['model', 'prune', entry.modelPath, '--sparsity', '0.3', '--device', 'cpu', '--inputs', inputsPath, '--out', out, '--json'], modelCommands, c.io);
    assert.equal(code, UNFAITHFUL_EXIT_CODE, c.err());
    const r = JSON.parse(c.out()) as PrunedModel;
    assert.equal(r.fidelity.task?.metric, 'ctcAgreement');
    assert.equal(r.fidelity.task?.withinTolerance, false, r.fidelity.task?.description);
    assert.equal(r.faithful, false);
    assert.equal(r.unfaithful?.reason, `task fidelity out of tolerance: ${r.fidelity.task?.description}`);
    assert.equal(r.unfaithful?.alternative, "--sparsity auto (sparsity: 'auto', the largest sparsity within tolerance) or a lower --sparsity than 0.3 (e.g. 0.15), or --fine-tune --data FILE (fineTune) to re-fit the kept weights, or model quantize --bits 8");
    assert.ok(existsSync(out), 'the model is written (to inspect or fine-tune)');
    assert.ok(r.warnings?.some((w) => w.startsWith('The pruned model is not smaller (') && w.includes('at 30% sparsity the zeros are stored dense')), (r.warnings ?? []).join(' | '));
    const lastLine = c.err().trim().split('\n').pop() ?? '';
    assert.ok(lastLine.startsWith(`pepperpy-opt: ${out} was written but is not faithful (exit code 3): task fidelity out of tolerance: `), lastLine);

    const milder = capture();
    const code15 = await runCli(['model', 'prune', entry.modelPath, '--sparsity', '0.15', '--device', 'cpu', '--inputs', inputsPath, '--out', join(dir, 'rec.pruned15.onnx'), '--json'], modelCommands, milder.io);
    const r15 = JSON.parse(milder.out()) as PrunedModel;
    assert.equal(code15, 0, `${r15.fidelity.task?.description}`);
    assert.equal(r15.faithful, true);
    assert.equal(r15.unfaithful, undefined);
    assert.ok(!/not faithful/.test(milder.err()));
  });

  it('quantize --bits 4 on a model whose layers have no 4-bit kernel (Silero VAD v5: Conv and LSTM) names the int8 form the file holds', async () => {
    const [vad] = ensureCorpus({ only: ['silero-vad-v5'] });
    const inputs = writeFeedsJson(vad, await corpusFeeds(vad));
    const c = capture();
    const code = await runCli(['model', 'quantize', vad.modelPath, '--bits', '4', '--device', 'cpu', '--inputs', inputs, '--out', join(dir, 'v5.q4.onnx'), '--json'], modelCommands, c.io);
    assert.equal(code, 0, c.err());
    const r = JSON.parse(c.out()) as QuantizedModel;
    assert.equal(r.storageBits, 8);
    assert.match(r.format, /^(int8 weight-only \(DequantizeLinear\)|static QDQ int8|dynamic int8) for \d+ Conv, \d+ LSTM: no layer has a 4-bit kernel in onnxruntime, so the file is the 8-bit result$/);
    assert.ok(r.warnings?.[0]?.startsWith('No layer was stored at 4 bits'));
  });

  it('ppocr-v4-rec with the default sparsity (auto): 50 % and 30 % break the decoded text, 20 % keeps it but would be stored dense (no smaller, no faster): refused, nothing written', async () => {
    const out = join(dir, 'rec.auto.onnx');
    const c = capture();
    const code = await runCli(['model', 'prune', entry.modelPath, '--device', 'cpu', '--inputs', inputsPath, '--out', out, '--json'], modelCommands, c.io);
    assert.equal(code, 1, c.err());
    const error = JSON.parse(c.out()) as { error: { code: string; message: string } };
    assert.equal(error.error.code, 'unsupported');
    assert.match(error.error.message, /^unsupported: pruning cannot make this model smaller or faster within tolerance\. The largest faithful sparsity is 20% \(20%: ctcAgreement 100\.0 %; 30%: ctcAgreement 33\.3 % \(out\); 50%: ctcAgreement 33\.3 % \(out\)\); .* Nothing was written\.$/);
    assert.ok(!existsSync(out));
  });
});

describe('model compress low_rank: automatic size target', function () {
  this.timeout(300_000);
  it('ppocr-v4-rec (corpus): 50 %, 70 % and 90 % of each layer all change the decoded text: refused, nothing written', async function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    const [rec] = ensureCorpus({ only: ['ppocr-v4-rec'] });
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-lowrank-'));
    try {
      const inputs = writeFeedsJson(rec, await corpusFeeds(rec));
      const out = join(dir, 'rec.lowrank.onnx');
      const c = capture();
      const code = await runCli(['model', 'compress', rec.modelPath, '--device', 'cpu', '--inputs', inputs, '--out', out, '--json'], modelCommands, c.io);
      assert.equal(code, 1, c.err());
      const error = JSON.parse(c.out()) as { error: { code: string; message: string } };
      assert.equal(error.error.code, 'unsupported');
      assert.match(error.error.message, /^unsupported: no low-rank size target up to 90% of each layer keeps this model's task within tolerance \(50%: ctcAgreement [\d.]+ % \(out\); 70%: ctcAgreement [\d.]+ % \(out\); 90%: ctcAgreement [\d.]+ % \(out\)\)\. Nothing was written\.$/);
      assert.ok(!existsSync(out));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tiny_lm with --data: climbs from 50 % until the loss increase is within 1 % and writes that one, smaller', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-lowrank-'));
    try {
      const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models');
      const c = capture();
      const code = await runCli(['model', 'compress', join(fixtures, 'tiny_lm.onnx'), '--device', 'cpu', '--data', join(fixtures, 'corpus.txt'), '--out', join(dir, 'lr.onnx'), '--json'], modelCommands, c.io);
      assert.equal(code, 0, c.err());
      const r = JSON.parse(c.out()) as CompressedModel;
      const search = r.rankSearch ?? [];
      assert.deepEqual(search.map((t) => t.targetSizeRatio), [0.5, 0.7, 0.9].slice(0, search.length));
      // Every ratio tried but the last is out; the last is within, and it is the one written.
      assert.deepEqual(search.map((t) => t.withinTolerance), search.map((_, i) => i === search.length - 1));
      assert.equal(r.faithful, true);
      assert.equal(r.fidelity.task?.metric, 'lossIncreasePercent');
      assert.ok(r.compressedSize < r.originalSize);
      const chosen = search[search.length - 1].targetSizeRatio;
      assert.ok(r.notes.some((n) => n.startsWith(`Automatic size target: ${Math.round(chosen * 100)}% of each factored layer, the smallest tried within tolerance`)), r.notes.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('model prune: automatic sparsity on a fixture (tiny_mlp)', function () {
  this.timeout(120_000);
  it('climbs from 50 % while top-1 holds (50 %, 70 % within; 90 % out: 1 of 2 samples) and writes 70 %, stored sparse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-auto-'));
    try {
      const c = capture();
      const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'models');
      const code = await runCli(['model', 'prune', join(fixtures, 'tiny_mlp.onnx'), '--device', 'cpu', '--inputs', join(fixtures, 'npy', 'tiny_mlp_inputs.json'), '--out', join(dir, 'p.onnx'), '--json'], modelCommands, c.io);
      assert.equal(code, 0, c.err());
      const r = JSON.parse(c.out()) as PrunedModel;
      assert.deepEqual(r.sparsitySearch?.map((t) => [t.sparsity, t.metric, t.value, t.withinTolerance]), [[0.5, 'top1Agreement', 1, true], [0.7, 'top1Agreement', 1, true], [0.9, 'top1Agreement', 0.5, false]]);
      assert.equal(r.achievedSparsity, 0.7);
      assert.equal(r.storage, 'sparse_initializer');
      assert.ok(r.prunedSize < r.originalSize);
      assert.ok(r.notes.some((n) => n.startsWith('Automatic sparsity: 70%, the largest tried within tolerance (50%: top1Agreement 100.0 %; 70%: top1Agreement 100.0 %; 90%: top1Agreement 50.0 % (out)).')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
