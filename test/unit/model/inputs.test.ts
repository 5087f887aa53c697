/**
 * Realistic evaluation inputs (inputs.ts), sample-input files (.json/.npy/.npz, npy.ts),
 * task-level fidelity (evaluate.ts) and the checked, atomic write of job.ts `finish`.
 * The .npy/.npz fixtures were written by real NumPy (test/fixtures/models/npy/make_npy_fixtures.py);
 * every expected value below is the closed form that script used, or computed by hand.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { EngineError } from '../../../src/protocol/errors';
import { runCli, type CliIo } from '../../../src/engine/cli/framework';
import { modelCommands } from '../../../src/engine/cli/modelCommands';
import { ctcGreedyDecode, ctcAgreement, decisionAgreement, editDistance, maskIoU, taskFidelity, withinTolerance, TASK_TOLERANCES, type EvalSet, type Outputs } from '../../../src/engine/model/evaluate';
import { audioSignal, fillInputs, loadSampleInputs, MAX_INPUT_ELEMENTS, planInputs, type ModelHints } from '../../../src/engine/model/inputs';
import { finish, Job, loadSource, referenceFor } from '../../../src/engine/model/job';
import { parseNpy, parseNpz } from '../../../src/engine/model/npy';
import type { InputInfo } from '../../../src/engine/model/runtime';
import type { Fidelity } from '../../../src/protocol/model';

const ROOT = resolve(__dirname, '../../../..');
const FIXTURES = join(ROOT, 'test/fixtures/models');
const NPY = join(FIXTURES, 'npy');
const MLP = join(FIXTURES, 'tiny_mlp.onnx');

const hints = (fileName: string, metadata: Record<string, string> = {}, vocab: Record<string, number> = {}): ModelHints => ({ fileName, metadata, docs: {}, vocab });

/** A version-1.0 .npy header for `descr` and `shape`, padded as NumPy pads it, followed by `data`. */
function npyBytes(descr: string, shape: number[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + dict.length + 1) % 64 !== 0) dict += ' ';
  dict += '\n';
  const out = new Uint8Array(10 + dict.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, dict.length >> 8]);
  out.set(new TextEncoder().encode(dict), 10);
  out.set(data, 10 + dict.length);
  return out;
}

/** A zip archive (no zip64) of members whose bytes are given as stored, with the uncompressed size the directory declares. */
function zipOf(members: { name: string; method: 0 | 8; bytes: Uint8Array; size: number }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = new TextEncoder().encode(m.name);
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, m.method, true);
    lv.setUint32(18, m.bytes.length, true);
    lv.setUint32(22, m.size, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, m.method, true);
    cv.setUint32(20, m.bytes.length, true);
    cv.setUint32(24, m.size, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, m.bytes);
    central.push(cd);
    offset += local.length + m.bytes.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((a, c) => a + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function refusal(fn: () => unknown, pattern: RegExp): EngineError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof EngineError, String(error));
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a refusal');
}

async function rejects(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<EngineError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

describe('realistic inputs', () => {
  describe('planning from the model', () => {
    it('sizes images: declared, metadata, detector, OCR recognizer and classifier defaults', () => {
      const image = (shape: (number | string)[]): InputInfo[] => [{ name: 'x', type: 'float32', shape }];
      const plain = planInputs(image(['batch', 3, 'h', 'w']), { batchSize: 8, hints: hints('resnet50.onnx') });
      assert.deepEqual(plain.inputs[0].dims, [8, 3, 224, 224]);
      assert.equal(plain.inputs[0].image?.normalization, 'imagenet');
      assert.equal(plain.modality, 'image');
      assert.deepEqual(planInputs(image([1, 3, 256, 192]), { batchSize: 8 }).inputs[0].dims, [1, 3, 256, 192]);
      // A detector: 640×640, batch lowered so one batch stays within 2^21 values (3·640·640 > 2^21 / 2).
      const det = planInputs(image(['n', 3, 'h', 'w']), { batchSize: 8, hints: hints('ch_PP-OCRv4_det_infer.onnx') });
      assert.deepEqual(det.inputs[0].dims, [1, 3, 640, 640]);
      assert.match(det.batchNote ?? '', /lowered from 8 to 1/);
      // Metadata (ultralytics writes imgsz): 320×320, floor(2^21 / (3·320·320)) = 6 per batch, values left in [0, 1].
      const yolo = planInputs(image(['n', 3, 'h', 'w']), { batchSize: 8, hints: hints('model.onnx', { imgsz: '[320, 320]', stride: '32' }) });
      assert.deepEqual(yolo.inputs[0].dims, [6, 3, 320, 320]);
      assert.equal(yolo.inputs[0].image?.normalization, 'none');
      // An OCR recognizer declares height 48: width 320, text-line pictures, (x - 0.5) / 0.5.
      const rec = planInputs(image(['n', 3, 48, 'w']), { batchSize: 8, hints: hints('ch_PP-OCRv4_rec_infer.onnx') });
      assert.deepEqual(rec.inputs[0].dims, [8, 3, 48, 320]);
      assert.equal(rec.inputs[0].image?.style, 'text-line');
      assert.equal(rec.inputs[0].image?.normalization, 'half');
      assert.deepEqual(planInputs(image(['n', 3, 'h', 'w']), { batchSize: 4, hints: hints('ch_ppocr_mobile_v2.0_cls_infer.onnx') }).inputs[0].dims, [4, 3, 48, 192]);
      // NHWC; RGBA (alpha opaque) and grayscale.
      assert.deepEqual(planInputs(image(['n', 'h', 'w', 3]), { batchSize: 2 }).inputs[0].dims, [2, 224, 224, 3]);
      const rgba = planInputs(image([1, 320, 320, 4]), { batchSize: 8 });
      assert.deepEqual([rgba.inputs[0].role, rgba.inputs[0].image?.layout, rgba.inputs[0].image?.channels], ['image', 'nhwc', 4]);
      // RGBA: raw 0–255 values, alpha 255 (canvas pixels as they are).
      assert.equal(rgba.inputs[0].image?.normalization, 'raw255');
      const alpha = fillInputs(rgba, { seed: 1 }).x.data as Float32Array;
      assert.ok(alpha.filter((_, i) => i % 4 === 3).every((v) => v === 255));
      assert.ok(alpha.every((v) => v >= 0 && v <= 255) && alpha.some((v, i) => i % 4 !== 3 && v > 2), 'RGB in 0–255');
      assert.deepEqual(planInputs(image(['n', 1, 28, 28]), { batchSize: 2 }).inputs[0].image?.channels, 1);
      // Not an image: 3 on axis 1 but tiny spatial sizes.
      assert.equal(planInputs(image(['n', 3, 4, 4]), { batchSize: 2 }).inputs[0].role, 'features');
    });

    it('normalizes pictures as the model says: metadata mean/std/scale, a documented range, TF NHWC exports, else ImageNet', () => {
      const nchw: InputInfo[] = [{ name: 'x', type: 'float32', shape: [1, 3, 32, 32] }];
      const fill = (inputs: InputInfo[], h: ModelHints) => {
        const plan = planInputs(inputs, { batchSize: 1, hints: h });
        return { plan, data: fillInputs(plan, { seed: 5 })[inputs[0].name].data as Float32Array };
      };
      const close = (a: Float32Array, b: Float32Array) => {
        assert.equal(a.length, b.length);
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        assert.ok(worst < 1e-4, `largest difference ${worst}`);
      };
      const imagenet = fill(nchw, hints('classifier.onnx'));
      assert.equal(imagenet.plan.inputs[0].image?.normalization, 'imagenet');
      assert.match(imagenet.plan.inputs[0].description, /ImageNet mean\/std \(the model does not say how/);
      // The same scene picture (same seed, same style) in [0, 1] (a YOLO-style detector) and as (x − 0.5)/0.5.
      const none = fill(nchw, hints('yolo.onnx')).data;
      const half = Float32Array.from(none, (v) => (v - 0.5) / 0.5);
      close(Float32Array.from(none, (v, i) => (v - [0.485, 0.456, 0.406][Math.floor(i / 1024)]) / [0.229, 0.224, 0.225][Math.floor(i / 1024)]), imagenet.data);
      // Metadata in 0–255 pixel units (OpenCV style) is ImageNet's mean/std times 255: the same values.
      const cv = fill(nchw, hints('m.onnx', { mean: '[123.675, 116.28, 103.53]', std: '58.395,57.12,57.375' }));
      assert.equal(cv.plan.inputs[0].image?.normalization, 'metadata');
      assert.match(cv.plan.inputs[0].description, /normalized as the model's metadata says \(mean=123\.675,116\.28,103\.53, std=58\.395,57\.12,57\.375\)/);
      close(cv.data, imagenet.data);
      // Hugging Face style: rescale_factor 1/255, then image_mean/image_std in [0, 1] units → (x − 0.5)/0.5.
      close(fill(nchw, hints('m.onnx', { rescale_factor: '0.00392156862745098', image_mean: '[0.5, 0.5, 0.5]', image_std: '[0.5, 0.5, 0.5]' })).data, half);
      // Only a scale of 1/255 on 0–255 pixels: [0, 1].
      close(fill(nchw, hints('m.onnx', { scale: '1/255' })).data, none);
      // A range in the input's doc string.
      const documented = (doc: string) => fill(nchw, { ...hints('m.onnx'), docs: { x: doc } });
      const raw = documented('RGB image, pixel values in [0, 255]');
      assert.equal(raw.plan.inputs[0].image?.normalization, 'raw255');
      close(raw.data, Float32Array.from(none, (v) => v * 255));
      close(documented('image scaled to the range -1..1').data, half);
      // A TensorFlow NHWC export (input name ends in ':0', or tf2onnx wrote it) takes [-1, 1], as BlazeFace does; the same picture, channels last.
      const tf = fill([{ name: 'input:0', type: 'float32', shape: [1, 32, 32, 3] }], hints('face_detection_front.onnx'));
      assert.equal(tf.plan.inputs[0].image?.normalization, 'half');
      assert.match(tf.plan.inputs[0].description, /TensorFlow NHWC export: input name input:0 ends in ':0'/);
      const hwc = Float32Array.from({ length: half.length }, (_, i) => half[(i % 3) * 1024 + Math.floor(i / 3)]);
      close(tf.data, hwc);
      assert.equal(planInputs([{ name: 'image', type: 'float32', shape: [1, 32, 32, 3] }], { batchSize: 1, hints: { ...hints('m.onnx'), producer: 'tf2onnx' } }).inputs[0].image?.normalization, 'half');
      // NHWC without a TensorFlow sign keeps the default.
      assert.equal(planInputs([{ name: 'image', type: 'float32', shape: [1, 32, 32, 3] }], { batchSize: 1, hints: hints('m.onnx') }).inputs[0].image?.normalization, 'imagenet');
    });

    it('fills images with structured pictures, normalized as planned', () => {
      const plan = planInputs([{ name: 'x', type: 'float32', shape: ['n', 3, 48, 'w'] }], { batchSize: 2, hints: hints('rec.onnx') });
      const feed = fillInputs(plan, { seed: 1 });
      const data = feed.x.data as Float32Array;
      assert.equal(data.length, 2 * 3 * 48 * 320);
      let min = Infinity;
      let max = -Infinity;
      let dark = 0;
      for (const v of data) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        if (v < -0.5) dark++;
      }
      // (x - 0.5) / 0.5 maps [0, 1] to [-1, 1]; glyph strokes are dark, the paper light.
      assert.ok(min >= -1 && max <= 1, `${min} ${max}`);
      assert.ok(dark > data.length * 0.03 && dark < data.length * 0.6, `dark share ${dark / data.length}`);
      // Deterministic: the same seed gives the same pictures.
      assert.deepEqual(fillInputs(plan, { seed: 1 }).x.data, data);
    });

    it('plans a streaming VAD: 512-sample chunks, sample rate 16000 as a scalar, zero state carried from stateN', () => {
      const inputs: InputInfo[] = [
        { name: 'input', type: 'float32', shape: ['', ''] },
        { name: 'state', type: 'float32', shape: [2, '', 128] },
        { name: 'sr', type: 'int64', shape: [] },
      ];
      const plan = planInputs(inputs, { batchSize: 8, outputNames: ['output', 'stateN'] });
      assert.deepEqual(plan.inputs.map((p) => [p.name, p.role, p.dims]), [
        ['input', 'audio', [8, 512]],
        ['state', 'state', [2, 8, 128]],
        ['sr', 'sample-rate', []],
      ]);
      assert.deepEqual(plan.stateLinks, [{ input: 'state', output: 'stateN' }]);
      assert.equal(plan.streaming, true);
      const step0 = fillInputs(plan, { seed: 7, step: 0 });
      const step1 = fillInputs(plan, { seed: 7, step: 1 });
      assert.deepEqual(step0.sr, { type: 'int64', dims: [], data: BigInt64Array.of(16000n) });
      assert.ok((step0.state.data as Float32Array).every((v) => v === 0));
      // Row r of step k is samples [512k, 512k + 512) of stream r.
      assert.deepEqual((step1.input.data as Float32Array).subarray(3 * 512, 4 * 512), audioSignal(3, 512, 512, 16000));
      assert.deepEqual(audioSignal(3, 0, 1024, 16000).subarray(512), audioSignal(3, 512, 512, 16000));
      // Audio is bounded and has both silence and sound over two seconds.
      const long = audioSignal(0, 0, 32000, 16000);
      const frames = Array.from({ length: 62 }, (_, f) => Math.sqrt(long.subarray(f * 512, (f + 1) * 512).reduce((a, v) => a + v * v, 0) / 512));
      assert.ok(long.every((v) => Math.abs(v) <= 0.5));
      assert.ok(frames.some((r) => r < 1e-3) && frames.some((r) => r > 0.02), `frame RMS ${frames.map((r) => r.toFixed(3)).join(' ')}`);
      // h/c pairs of older exports: h → hn, c → cn; a [1] sample rate.
      const legacy = planInputs([{ name: 'input', type: 'float32', shape: ['batch', 'sequence'] }, { name: 'sr', type: 'int64', shape: [1] }, { name: 'h', type: 'float32', shape: [2, 'batch', 64] }, { name: 'c', type: 'float32', shape: [2, 'batch', 64] }], { batchSize: 2, outputNames: ['output', 'hn', 'cn'] });
      assert.deepEqual(legacy.stateLinks, [{ input: 'h', output: 'hn' }, { input: 'c', output: 'cn' }]);
      assert.deepEqual(legacy.inputs.map((p) => p.dims), [[2, 512], [1], [2, 2, 64], [2, 2, 64]]);
      // A state but no sample rate (silero_vad_half): still streaming chunks of 512.
      assert.deepEqual(planInputs([{ name: 'input', type: 'float32', shape: ['', ''] }, { name: 'state', type: 'float32', shape: [2, '', 128] }], { batchSize: 2, outputNames: ['output', 'stateN'] }).inputs[0].dims, [2, 512]);
      // Without a sample-rate or state input, an audio model gets 1 s chunks.
      assert.deepEqual(planInputs([{ name: 'audio', type: 'float32', shape: ['b', 'samples'] }], { batchSize: 2 }).inputs[0].dims, [2, 16000]);
    });

    it('plans text: 128 token ids within the vocabulary, mask ones, token types zeros', () => {
      const inputs: InputInfo[] = ['input_ids', 'attention_mask', 'token_type_ids'].map((name) => ({ name, type: 'int64', shape: ['batch', 'sequence'] }));
      const plan = planInputs(inputs, { batchSize: 2, hints: hints('bert.onnx', {}, { input_ids: 30522 }) });
      assert.deepEqual(plan.inputs.map((p) => p.dims), [[2, 128], [2, 128], [2, 128]]);
      const feed = fillInputs(plan, { seed: 1 });
      const ids = Array.from(feed.input_ids.data as BigInt64Array, Number);
      assert.ok(ids.every((t) => t >= 1000 && t < 30000), `ids ${Math.min(...ids)}..${Math.max(...ids)}`);
      assert.ok(new Set(ids).size > 100);
      assert.ok(Array.from(feed.attention_mask.data as BigInt64Array).every((v) => v === 1n));
      assert.ok(Array.from(feed.token_type_ids.data as BigInt64Array).every((v) => v === 0n));
    });

    it('refuses inputs it cannot size or fill meaningfully, naming the input and --inputs', () => {
      const e = refusal(() => planInputs([{ name: 'indices', type: 'int64', shape: ['n', 'k'] }], { batchSize: 1 }), /"indices"/);
      assert.equal(e.code, 'unsupported');
      assert.match(e.hint ?? '', /--inputs FILE/);
      refusal(() => planInputs([{ name: 'x', type: 'float32', shape: [4, 64] }, { name: 'features', type: 'float32', shape: ['batch', 'k', 7] }], { batchSize: 1 }), /"features".*symbolic dimensions/);
      refusal(() => planInputs([{ name: 'keep', type: 'bool', shape: ['n', 'k'] }], { batchSize: 1 }), /"keep"/);
      // A scalar boolean (an If condition) is set to false, and the description says so.
      assert.match(planInputs([{ name: 'cond', type: 'bool', shape: [] }], { batchSize: 1 }).inputs[0].description, /^false/);
      refusal(() => planInputs([{ name: 's', type: 'string', shape: [1] }], { batchSize: 1 }), /"s".*type string/);
    });
  });

  describe('.npy and .npz files written by NumPy', () => {
    const npy = (name: string) => parseNpy(new Uint8Array(readFileSync(join(NPY, name))), name);

    it('reads dtypes and shapes exactly', () => {
      assert.deepEqual(npy('f64_2x3.npy'), { dtype: 'float64', shape: [2, 3], data: Float64Array.of(0, 0.5, 1, 1.5, 2, 2.5) });
      assert.deepEqual(npy('i64_scalar.npy'), { dtype: 'int64', shape: [], data: BigInt64Array.of(16000n) });
      assert.deepEqual(npy('i32_3.npy'), { dtype: 'int32', shape: [3], data: Int32Array.of(-2, 0, 7) });
      // float16 as IEEE half bits: 1.5 = 0x3e00, -0.25 = 0xb400.
      assert.deepEqual(npy('f16_2.npy'), { dtype: 'float16', shape: [2], data: Uint16Array.of(0x3e00, 0xb400) });
      assert.deepEqual(npy('bool_2.npy'), { dtype: 'bool', shape: [2], data: Uint8Array.of(1, 0) });
      assert.deepEqual(npy('u8_2x2.npy'), { dtype: 'uint8', shape: [2, 2], data: Uint8Array.of(0, 255, 1, 128) });
      const x = npy('tiny_mlp_x.npy');
      assert.deepEqual(x.shape, [2, 64]);
      assert.equal(x.data[0], -1);
      assert.equal(x.data[127], 127 / 64 - 1);
    });

    it('refuses Fortran order, big-endian data and garbage with clear errors', () => {
      assert.throws(() => npy('fortran_2x2.npy'), /Fortran order/);
      assert.throws(() => npy('bigendian_2.npy'), /dtype ">f4" is not supported/);
      assert.throws(() => parseNpy(new TextEncoder().encode('not numpy at all'), 'x.npy'), /magic/);
    });

    it('reads .npz archives, stored (savez, zip64 headers) and deflated (savez_compressed)', () => {
      const plain = parseNpz(new Uint8Array(readFileSync(join(NPY, 'tiny_mlp_inputs.npz'))));
      assert.deepEqual([...plain.keys()], ['x']);
      assert.deepEqual(plain.get('x')!.data, npy('tiny_mlp_x.npy').data);
      const vad = parseNpz(new Uint8Array(readFileSync(join(NPY, 'vad_sample.npz'))));
      assert.deepEqual([...vad.keys()].sort(), ['input', 'sr', 'state']);
      assert.deepEqual(vad.get('sr'), { dtype: 'int64', shape: [], data: BigInt64Array.of(16000n) });
      assert.deepEqual(vad.get('state')!.shape, [2, 1, 128]);
      const audio = vad.get('input')!;
      assert.deepEqual(audio.shape, [1, 512]);
      // sin(i / 8) * 0.25 in float32.
      assert.equal(audio.data[100], Math.fround(Math.fround(Math.sin(Math.fround(100) / 8)) * 0.25));
      const truncated = readFileSync(join(NPY, 'vad_sample.npz')).subarray(0, 600);
      assert.throws(() => parseNpz(new Uint8Array(truncated)), /not a readable \.npz/);
    });

    it('refuses a zip bomb from the sizes it declares, before inflating it', () => {
      // 2^27 uint8 values (128 MiB, over the 2^26-value limit): the member holds the header and
      // only 1 KiB of the data, so reading the header is the only way to refuse it as tooLarge.
      const shape = [2 ** 14, 2 ** 13];
      const headerOnly = npyBytes('|u1', shape, new Uint8Array(1024));
      const bomb = zipOf([{ name: 'x.npy', method: 8, bytes: deflateRawSync(headerOnly), size: headerOnly.length - 1024 + 2 ** 27 }]);
      const e = refusal(() => parseNpz(bomb, 'bomb.npz', { maxElements: MAX_INPUT_ELEMENTS }), /member x\.npy declares shape \(16384, 8192\) = 1\.34e\+8 values; at most 7e\+7 per input/);
      assert.equal(e.code, 'tooLarge');
      // Stored members are judged the same way.
      assert.equal(refusal(() => parseNpz(zipOf([{ name: 'x.npy', method: 0, bytes: headerOnly, size: headerOnly.length - 1024 + 2 ** 27 }]), 'b.npz', { maxElements: MAX_INPUT_ELEMENTS }), /declares shape/).code, 'tooLarge');
      // The zip directory's sizes: two members of 300 MiB each pass one by one but not together (512 MiB).
      const small = npyBytes('<f4', [4], new Uint8Array(16));
      const big = { method: 8 as const, bytes: deflateRawSync(small), size: 300 * 2 ** 20 };
      const two = zipOf([{ name: 'a.npy', ...big }, { name: 'b.npy', ...big }]);
      assert.equal(refusal(() => parseNpz(two, 'two.npz'), /member b\.npy brings the uncompressed arrays to 600 MiB \(the zip directory's sizes\); at most 512 MiB/).code, 'tooLarge');
      // A .npy whose header declares too many values is refused before its data is copied.
      assert.equal(refusal(() => parseNpy(headerOnly, 'big.npy', { maxElements: MAX_INPUT_ELEMENTS }), /big\.npy declares shape \(16384, 8192\)/).code, 'tooLarge');
    });
  });

  describe('sample inputs (--inputs FILE)', () => {
    const mlpInputs: InputInfo[] = [{ name: 'x', type: 'float32', shape: ['batch', 64] }];
    const vadInputs: InputInfo[] = [
      { name: 'input', type: 'float32', shape: ['', ''] },
      { name: 'state', type: 'float32', shape: [2, '', 128] },
      { name: 'sr', type: 'int64', shape: [] },
    ];
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'pepperpy-inputs-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('reads JSON ({ dims, type, data } and nested arrays, several samples), .npy and .npz', async () => {
      const json = await loadSampleInputs(join(NPY, 'tiny_mlp_inputs.json'), mlpInputs);
      assert.equal(json.batches.length, 2);
      const expected = (i: number) => Float32Array.from({ length: 64 }, (_, j) => (i * 64 + j) / 64 - 1);
      assert.deepEqual(json.batches[0].x, { type: 'float32', dims: [1, 64], data: expected(0) });
      assert.deepEqual(json.batches[1].x, { type: 'float32', dims: [1, 64], data: expected(1) });
      const single = await loadSampleInputs(join(NPY, 'tiny_mlp_x.npy'), mlpInputs);
      assert.deepEqual(single.batches[0].x.dims, [2, 64]);
      assert.equal((single.batches[0].x.data as Float32Array)[127], 127 / 64 - 1);
      const vad = await loadSampleInputs(join(NPY, 'vad_sample.npz'), vadInputs);
      assert.deepEqual(vad.batches[0].sr, { type: 'int64', dims: [], data: BigInt64Array.of(16000n) });
      assert.deepEqual(vad.batches[0].state.dims, [2, 1, 128]);
      assert.match(vad.description, /1 sample from .*vad_sample\.npz \(input \[1, 512\], sr \[\], state \[2, 1, 128\]\)/);
    });

    it('generates the inputs a file leaves out when they can be planned (state, sample rate)', async () => {
      const path = join(dir, 'chunk.json');
      writeFileSync(path, JSON.stringify({ input: [Array.from({ length: 512 }, (_, i) => Math.sin(i / 8) * 0.25)] }));
      const s = await loadSampleInputs(path, vadInputs, { outputNames: ['output', 'stateN'] });
      assert.deepEqual(s.batches[0].input.dims, [1, 512]);
      assert.deepEqual(s.batches[0].state.dims, [2, 1, 128]);
      assert.deepEqual(s.batches[0].sr.data, BigInt64Array.of(16000n));
      assert.match(s.description, /generated state: zeros/);
    });

    it('rejects unknown names, wrong rank, wrong static size, wrong dtype and ragged arrays', async () => {
      const write = (name: string, value: unknown) => {
        const path = join(dir, name);
        writeFileSync(path, JSON.stringify(value));
        return path;
      };
      const e = await rejects(loadSampleInputs(write('a.json', { pixels: [[1, 2]] }), mlpInputs), 'badRequest', /"pixels" is not an input of the model; its inputs are x float32\[batch, 64\]/);
      assert.match(e.hint ?? '', /Name each array/);
      await rejects(loadSampleInputs(write('b.json', { x: [1, 2, 3] }), mlpInputs), 'badRequest', /rank 1 .*declares rank 2/);
      await rejects(loadSampleInputs(write('c.json', { x: [[1, 2, 3]] }), mlpInputs), 'badRequest', /size 3 on axis 1; the model declares 64/);
      await rejects(loadSampleInputs(write('d.json', { x: { dims: [1, 64], type: 'int64', data: new Array(64).fill(0) } }), mlpInputs), 'badRequest', /is int64; the model takes float32/);
      await rejects(loadSampleInputs(write('e.json', { x: [[1, 2], [3]] }), mlpInputs), 'badRequest', /not a rectangular array/);
      await rejects(loadSampleInputs(write('f.json', { x: { dims: [1, 64], data: [1, 2] } }), mlpInputs), 'badRequest', /has 2 values; dims \[1, 64\] need 64/);
      await rejects(loadSampleInputs(join(NPY, 'i32_3.npy'), vadInputs.slice(0, 1)), 'badRequest', /rank 1/);
      await rejects(loadSampleInputs(join(dir, 'missing.json'), mlpInputs), 'notFound', /No sample inputs file/);
      const unplannable = [...mlpInputs, { name: 'indices', type: 'int64', shape: ['n'] }];
      await rejects(loadSampleInputs(join(NPY, 'tiny_mlp_inputs.json'), unplannable), 'badRequest', /does not give indices/);
    });

    it('refuses empty samples: {} , an .npz without arrays, a dimension of 0', async () => {
      const write = (name: string, value: unknown) => {
        const path = join(dir, name);
        writeFileSync(path, typeof value === 'string' ? value : value instanceof Uint8Array ? value : JSON.stringify(value));
        return path;
      };
      const e = await rejects(loadSampleInputs(write('empty.json', {}), mlpInputs), 'badRequest', /empty\.json: the sample holds no arrays, so there is nothing to measure on/);
      assert.match(e.hint ?? '', /at least one of the model's inputs \(x\)/);
      await rejects(loadSampleInputs(write('empty2.json', [{ x: [new Array<number>(64).fill(0)] }, {}]), mlpInputs), 'badRequest', /sample 2 holds no arrays/);
      await rejects(loadSampleInputs(write('none.npz', zipOf([])), mlpInputs), 'badRequest', /none\.npz: the archive holds no arrays/);
      await rejects(loadSampleInputs(write('zero.json', { x: { dims: [0, 64], type: 'float32', data: [] } }), mlpInputs), 'badRequest', /input "x" has size 0 on axis 0 \(\[0, 64\]\): an empty sample measures nothing/);
      await rejects(loadSampleInputs(write('zero.npz', zipOf([{ name: 'x.npy', method: 0, bytes: npyBytes('<f4', [0, 64]), size: npyBytes('<f4', [0, 64]).length }])), mlpInputs), 'badRequest', /size 0 on axis 0/);
    });
  });

  describe('task-level fidelity', () => {
    it('mask IoU at 0.5, pooled over maps', () => {
      // ref on: {0, 1, 2}; cand on: {1, 2, 3} → intersection 2, union 4.
      const r = maskIoU([Float32Array.of(0.9, 0.6, 0.5, 0.1, 0.2)], [Float32Array.of(0.4, 0.7, 0.99, 0.5, 0.0)]);
      assert.deepEqual(r, { iou: 0.5, referenceOn: 3, total: 5 });
      assert.equal(maskIoU([Float32Array.of(0.1)], [Float32Array.of(0.2)]).iou, 1);
    });

    it('decision agreement at 0.5', () => {
      // Disagreements at index 1 (0.49 vs 0.51) and 3 (0.7 vs 0.3): 4 of 6 agree.
      const r = decisionAgreement([Float32Array.of(0.1, 0.49, 0.9, 0.7), Float32Array.of(0.5, 0.0)], [Float32Array.of(0.2, 0.51, 0.8, 0.3), Float32Array.of(0.6, 0.4)]);
      assert.deepEqual(r, { agreement: 4 / 6, referenceYes: 3, total: 6 });
    });

    it('greedy CTC decoding merges repeats and drops blanks; equal strings agree', () => {
      // argmax per step: 1 1 0 1 2 2 0 → [1, 1, 2].
      const steps = [1, 1, 0, 1, 2, 2, 0];
      const probs = new Float32Array(steps.length * 3);
      steps.forEach((c, t) => (probs[t * 3 + c] = 0.8));
      assert.deepEqual(ctcGreedyDecode(probs, 7, 3), [1, 1, 2]);
      // The same string through a different path (1 0 1 1 2 0 2 → [1, 1, 2, 2]) differs; (1 0 1 2 2 2 2) → [1, 1, 2] agrees.
      const path = (p: number[]) => {
        const a = new Float32Array(p.length * 3);
        p.forEach((c, t) => (a[t * 3 + c] = 0.8));
        return a;
      };
      const ref = new Float32Array([...probs, ...probs]);
      const cand = new Float32Array([...path([1, 0, 1, 2, 2, 2, 2]), ...path([1, 0, 1, 1, 2, 0, 2])]);
      // Second pair: [1, 1, 2] vs [1, 1, 2, 2] is one insertion over 6 reference characters in all → 1 − 1/6.
      assert.deepEqual(ctcAgreement([ref], [cand], [[2, 7, 3]]), { agreement: 0.5, sequences: 2, nonEmpty: 2, charAgreement: 1 - 1 / 6 });
      assert.equal(editDistance([1, 2, 3], [1, 3]), 1);
      assert.equal(editDistance([1, 2, 3], [3, 2, 1]), 2);
      assert.equal(editDistance([], [4, 5]), 2);
    });

    it('recognises the task from the output and judges it against the documented tolerances', () => {
      const set = (modality: EvalSet['modality'], stateLinks?: EvalSet['stateLinks']): EvalSet => ({ batches: [{}], description: 'test', samples: 1, kind: {}, modality, ...(stateLinks ? { stateLinks } : {}) });
      const out = (names: string[], data: Float32Array[], dims: number[][]): Outputs => ({ names, perBatch: [data], dims: [dims] });
      const fid = { cosineSimilarity: 0.99995 } as Fidelity;
      // VAD: [batch, 1] probability plus a state output, which is not the task output.
      const vad = taskFidelity(out(['output', 'stateN'], [Float32Array.of(0.9, 0.1), new Float32Array(4)], [[2, 1], [2, 2]]), out(['output', 'stateN'], [Float32Array.of(0.6, 0.4), new Float32Array(4)], [[2, 1], [2, 2]]), set('audio', [{ input: 'state', output: 'stateN' }]), fid);
      assert.equal(vad.metric, 'decisionAgreement');
      assert.equal(vad.value, 1);
      assert.equal(vad.withinTolerance, true);
      // Text detector: [1, 1, 2, 2] in [0, 1] → mask IoU 1/2, out of tolerance.
      const det = taskFidelity(out(['maps'], [Float32Array.of(0.9, 0.8, 0, 0)], [[1, 1, 2, 2]]), out(['maps'], [Float32Array.of(0.9, 0.2, 0, 0)], [[1, 1, 2, 2]]), set('image'), fid);
      assert.equal(det.metric, 'maskIoU');
      assert.equal(det.value, 0.5);
      assert.equal(det.withinTolerance, false);
      assert.match(det.description, /OUT OF TOLERANCE/);
      // Classifier logits [2, 3]: top-1 2 then 0; candidate 2 then 1 → 1/2.
      const cls = taskFidelity(out(['logits'], [Float32Array.of(1, 2, 3, 5, 4, -1)], [[2, 3]]), out(['logits'], [Float32Array.of(1, 2, 3, 4, 5, -1)], [[2, 3]]), set('image'), fid);
      assert.deepEqual([cls.metric, cls.value], ['top1Agreement', 0.5]);
      // OCR recognizer softmax [1, 2, 3] → CTC.
      const seq = Float32Array.of(0.1, 0.8, 0.1, 0.1, 0.1, 0.8);
      assert.equal(taskFidelity(out(['probs'], [seq], [[1, 2, 3]]), out(['probs'], [seq], [[1, 2, 3]]), set('image'), fid).metric, 'ctcAgreement');
      // An embedding [1, 4] outside [0, 1] with width > 1 is a classifier by shape; rank 3 unbounded → cosine.
      const emb = taskFidelity(out(['h'], [Float32Array.of(-3, 2, 1, 4, 5, 6)], [[1, 2, 3]]), out(['h'], [Float32Array.of(-3, 2, 1, 4, 5, 6)], [[1, 2, 3]]), set('text'), fid);
      assert.deepEqual([emb.metric, emb.value, emb.withinTolerance], ['cosine', 0.99995, true]);
      assert.equal(withinTolerance('lossIncreasePercent', 0.9), true);
      assert.equal(withinTolerance('lossIncreasePercent', 1.1), false);
      assert.equal(withinTolerance('top1Agreement', NaN), false);
      assert.deepEqual(TASK_TOLERANCES, { top1Agreement: 0.99, maskIoU: 0.95, decisionAgreement: 0.98, ctcAgreement: 0.95, lossIncreasePercent: 1, cosine: 0.999 });
    });
  });

  describe('finish: checked and atomic', function () {
    this.timeout(60_000);
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'pepperpy-finish-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('a model whose outputs are NaN fails, leaves nothing at --out and keeps a file already there', async () => {
      const job = new Job();
      const source = await loadSource(job, MLP);
      const reference = await referenceFor(job, MLP, 'cpu', undefined, 4);
      const w = source.model.graph!.initializer.find((t) => t.rawData.length >= 4 * 64 * 16)!;
      const nan = new Float32Array(w.rawData.length / 4).fill(NaN);
      w.rawData = new Uint8Array(nan.buffer);
      const out = join(dir, 'nan.onnx');
      writeFileSync(out, 'previous result');
      await rejects(finish(job, source, reference, source.model, out), 'unsupported', /NaN or infinite values .*Nothing was written to/);
      assert.equal(readFileSync(out, 'utf8'), 'previous result');
      assert.deepEqual(readdirSync(dir), ['nan.onnx']);
    });

    it('a failure after writing and measuring (injected) leaves no file; success measures at realistic shapes', async () => {
      const job = new Job();
      const source = await loadSource(job, MLP);
      const reference = await referenceFor(job, MLP, 'cpu', undefined, 4);
      const out = join(dir, 'hook.onnx');
      let seen = '';
      await assert.rejects(
        finish(job, source, reference, source.model, out, {
          beforeCommit: (temp) => {
            seen = temp;
            assert.ok(existsSync(temp));
            throw new Error('injected failure');
          },
        }),
        /injected failure/,
      );
      assert.ok(seen !== '' && !existsSync(seen));
      assert.deepEqual(readdirSync(dir).filter((f) => f !== 'nan.onnx'), []);
      const again = new Job();
      const ok = await finish(again, await loadSource(again, MLP), await referenceFor(again, MLP, 'cpu', undefined, 4), source.model, out);
      assert.ok(existsSync(out));
      assert.deepEqual(ok.fidelity.inputShapes, { x: [4, 64] });
      assert.equal(ok.fidelity.task?.metric, 'top1Agreement');
      assert.equal(ok.fidelity.task?.value, 1);
      assert.deepEqual(readdirSync(dir).sort(), ['hook.onnx', 'nan.onnx']);
    });

    it('measures with the user\'s samples when --inputs is given', async () => {
      const job = new Job();
      const source = await loadSource(job, MLP);
      const reference = await referenceFor(job, MLP, 'cpu', undefined, 4, { inputsPath: join(NPY, 'tiny_mlp_inputs.json') });
      const r = await finish(job, source, reference, source.model, join(dir, 'samples.onnx'));
      assert.deepEqual(r.fidelity.inputShapes, { x: [1, 64] });
      assert.equal(r.fidelity.samples, 2);
      assert.match(r.fidelity.inputs, /2 samples from .*tiny_mlp_inputs\.json/);
    });
  });

  describe('CLI', function () {
    this.timeout(60_000);

    it('--help examples name files that exist', () => {
      const paths = modelCommands.flatMap((c) => (c.examples ?? []).flatMap((e) => e.match(/test\/fixtures\/\S+/g) ?? []));
      assert.ok(paths.length >= 8, paths.join(' '));
      for (const p of paths) assert.ok(existsSync(join(ROOT, p)), `${p} does not exist`);
    });

    it('--inputs reaches the measurement, and the text shows the task fidelity and the shapes used', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pepperpy-cli-inputs-'));
      try {
        const out: string[] = [];
        const err: string[] = [];
        const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), readStdin: async () => '' };
        const code = await runCli(['model', 'optimize', MLP, '--device', 'cpu', '--inputs', join(NPY, 'tiny_mlp_inputs.npz'), '--out', join(dir, 'o.onnx')], modelCommands, io);
        assert.equal(code, 0, out.join('') + err.join(''));
        const text = out.join('');
        assert.match(text, /task fidelity: top1Agreement 100\.00% \(within tolerance\)/);
        assert.match(text, /measured on: x \[2, 64\]/);
        // A slower result is a warning both in the text and on stderr (timing decides whether there is one here).
        for (const line of text.split('\n').filter((l) => l.includes('WARNING:'))) assert.ok(err.join('').includes(`warning: ${line.split('WARNING: ')[1]}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
