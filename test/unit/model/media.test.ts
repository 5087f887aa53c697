/**
 * PNG and WAV sample inputs (`--inputs photo.png`, `--inputs speech.wav`;
 * src/engine/model/media.ts and loadSampleInputs in src/engine/model/inputs.ts), on the
 * corpus's real samples and real models.
 *
 * Oracles: the corpus helper's own PNG/WAV decoders and its image/audio feeds (written
 * independently, test/helpers/modelCorpus.ts, and checked there against facts about the
 * samples), and hand-computed pixels for small PNGs built here byte by byte.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { EngineError } from '../../../src/protocol/errors';
import { hintsFromModel, loadSampleInputs } from '../../../src/engine/model/inputs';
import { decodePng, decodeWav, resampleLinear } from '../../../src/engine/model/media';
import { readModel } from '../../../src/engine/model/onnx';
import { openSession, type InputInfo } from '../../../src/engine/model/runtime';
import { decodePng as helperPng, decodeWav as helperWav, ensureCorpus, imageTensor, loadImage, readManifest, samplesDir, type CorpusEntry, type ImageFill } from '../../helpers/modelCorpus';

/** A PNG chunk: length, type, data, CRC (the CRC is not checked by the decoder; zeros are fine). */
function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, Buffer.from(data), Buffer.alloc(4)]);
}

function png(width: number, height: number, depth: number, colorType: number, rows: number[][], extra: Buffer[] = []): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  const raw = Buffer.from(rows.flatMap((r) => [0, ...r]));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...extra, chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0))]);
}

async function rejects(promise: Promise<unknown> | (() => unknown), code: string, pattern: RegExp): Promise<EngineError> {
  try {
    if (typeof promise === 'function') promise();
    else await promise;
  } catch (error) {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

describe('model sample inputs: PNG and WAV decoding', () => {
  it('decodes the corpus PNGs (RGB photos, a scanned page) to the same pixels as the corpus decoder', () => {
    for (const name of ['astronaut.png', 'camera.png', 'page.png']) {
      const bytes = readFileSync(join(samplesDir, name));
      const mine = decodePng(bytes, name);
      const theirs = helperPng(bytes);
      assert.equal(mine.width, theirs.width, name);
      assert.equal(mine.height, theirs.height, name);
      const plane = mine.width * mine.height;
      let worst = 0;
      for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(mine.rgb[c * plane + i] * 255 - theirs.rgb[i * 3 + c]));
      assert.ok(worst < 1e-4, `${name}: max |Δ| ${worst} (0-255 units)`);
    }
  });

  it('decodes sub-byte grey, palette and 16-bit images as the PNG specification packs them (hand-computed pixels)', () => {
    // 1-bit grey, 3×2: row 0 = 1 0 1 (bits 101xxxxx = 0xA0), row 1 = 0 1 1 (0x60).
    const grey = decodePng(png(3, 2, 1, 0, [[0xa0], [0x60]]), 'grey1');
    assert.deepEqual(Array.from(grey.rgb.subarray(0, 6)), [1, 0, 1, 0, 1, 1]);
    assert.equal(grey.format, 'grey 1-bit');
    // 2-bit palette, 4×1: indices 3 2 1 0 = 0b11100100 = 0xE4; palette red, green, blue, white.
    const palette = decodePng(png(4, 1, 2, 3, [[0xe4]], [chunk('PLTE', Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))]), 'pal2');
    assert.deepEqual(Array.from(palette.rgb).map((v) => Math.round(v * 255)), [255, 0, 0, 255, /* G */ 255, 0, 255, 0, /* B */ 255, 255, 0, 0]);
    // 16-bit RGB, 1×1: R = 0xFFFF, G = 0x8000, B = 0x0000.
    const deep = decodePng(png(1, 1, 16, 2, [[0xff, 0xff, 0x80, 0x00, 0x00, 0x00]]), 'rgb16');
    assert.deepEqual(Array.from(deep.rgb), [1, 0x8000 / 0xffff, 0].map((v) => Math.fround(v)));
  });

  it('refuses truncated, interlaced and oversized PNGs before inflating them', async () => {
    const ok = png(2, 2, 8, 0, [[1, 2], [3, 4]]);
    await rejects(() => decodePng(ok.subarray(0, ok.length - 20), 't'), 'badRequest', /past the end|IEND/);
    const interlaced = Buffer.from(ok);
    interlaced[8 + 8 + 12] = 1; // IHDR interlace byte
    await rejects(() => decodePng(interlaced, 'i'), 'unsupported', /^unsupported: .*interlaced/);
    const huge = Buffer.from(ok);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    await rejects(() => decodePng(huge, 'h'), 'tooLarge', /100000×100000/);
  });

  it('decodes the corpus WAV to the same samples as the corpus decoder, and averages stereo to mono', () => {
    const bytes = readFileSync(join(samplesDir, 'speech.wav'));
    const mine = decodeWav(bytes, 'speech.wav');
    const theirs = helperWav(bytes);
    assert.equal(mine.sampleRate, theirs.sampleRate);
    assert.equal(mine.sampleRate, readManifest().samples['speech.wav'].sampleRate);
    assert.deepEqual(mine.samples, theirs.samples);
    // Stereo 16-bit, 2 frames: (1000, 3000) and (−32768, 0) → means 2000 and −16384.
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.writeUInt32LE(36 + 8, 4);
    header.write('WAVEfmt ', 8, 'latin1');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(2, 22);
    header.writeUInt32LE(8000, 24);
    header.writeUInt32LE(8000 * 4, 28);
    header.writeUInt16LE(4, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'latin1');
    header.writeUInt32LE(8, 40);
    const frames = Buffer.alloc(8);
    [1000, 3000, -32768, 0].forEach((v, i) => frames.writeInt16LE(v, i * 2));
    const stereo = decodeWav(Buffer.concat([header, frames]), 'stereo');
    assert.equal(stereo.channels, 2);
    assert.deepEqual(Array.from(stereo.samples), [2000 / 32768, -16384 / 32768]);
    const float = Buffer.concat([header, frames]);
    float.writeUInt16LE(3, 20);
    float.writeUInt16LE(32, 34);
    assert.throws(() => decodeWav(float, 'float'), (e: unknown) => e instanceof EngineError && e.code === 'unsupported' && /32-bit float/.test(e.message));
  });

  it('resamples linearly: 8 kHz → 16 kHz interleaves the midpoints', () => {
    assert.deepEqual(Array.from(resampleLinear(Float32Array.from([0, 1, 0, -1]), 8000, 16000)), [0, 0.5, 1, 0.5, 0, -0.5, -1, -1]);
  });
});

describe('model sample inputs: --inputs PNG / WAV on corpus models', function () {
  this.timeout(120_000);
  let corpus: Map<string, CorpusEntry>;
  let dir: string;

  before(function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    corpus = new Map(ensureCorpus({ only: ['blazeface-front-128', 'silero-vad-legacy'] }).map((e) => [e.id, e]));
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-media-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function inputsOf(entry: CorpusEntry): Promise<{ inputs: InputInfo[]; outputNames: string[]; hints: ReturnType<typeof hintsFromModel> }> {
    const session = await openSession(entry.modelPath, 'cpu');
    const info = { inputs: session.inputs, outputNames: session.outputNames };
    await session.release();
    return { ...info, hints: hintsFromModel((await readModel(entry.modelPath)).model, entry.modelPath) };
  }

  it('a PNG photo becomes the face detector\'s input exactly as the corpus prepares it (stretched to 128×128 NHWC, (x − 0.5)/0.5)', async () => {
    const entry = corpus.get('blazeface-front-128')!;
    const { inputs, outputNames, hints } = await inputsOf(entry);
    const samples = await loadSampleInputs(join(samplesDir, 'astronaut.png'), inputs, { hints, outputNames });
    assert.equal(samples.batches.length, 1);
    const feed = samples.batches[0]['input:0'];
    assert.deepEqual(feed.dims, [1, 128, 128, 3]);
    const fill = entry.inputs[0].fill as ImageFill;
    const expected = imageTensor(loadImage('astronaut.png'), fill);
    const data = feed.data as Float32Array;
    assert.equal(data.length, expected.length);
    let worst = 0;
    for (let i = 0; i < data.length; i++) worst = Math.max(worst, Math.abs(data[i] - expected[i]));
    assert.ok(worst < 1e-5, `max |Δ| ${worst}`);
    assert.match(samples.description, /input:0: the RGB 8-bit PNG of \d+×\d+ px resized \(bilinear\) to 128×128 px, stretched, normalized to \[−1, 1\]/);
  });

  it('a WAV recording becomes consecutive chunks of the VAD\'s input, sample rate and state generated and the state carried', async () => {
    const entry = corpus.get('silero-vad-legacy')!;
    const { inputs, outputNames, hints } = await inputsOf(entry);
    const samples = await loadSampleInputs(join(samplesDir, 'speech.wav'), inputs, { hints, outputNames });
    const audio = helperWav(readFileSync(join(samplesDir, 'speech.wav')));
    // The model declares [batch, ?]: the planner's chunk for a streaming VAD (it also takes sr and a state) is 512 samples.
    assert.deepEqual(inputs.find((i) => i.name === 'input')?.shape.length, 2);
    const chunk = 512;
    assert.equal(samples.batches.length, Math.min(256, Math.ceil(audio.samples.length / chunk)));
    for (const k of [0, 1, 5]) {
      const feed = samples.batches[k];
      assert.deepEqual(feed.input.dims, [1, chunk]);
      assert.deepEqual(Array.from(feed.input.data as Float32Array), Array.from(audio.samples.subarray(k * chunk, (k + 1) * chunk)));
      assert.equal(Number((feed.sr.data as BigInt64Array)[0]), 16000);
    }
    assert.ok(samples.generated.some((g) => g.startsWith('h:')) && samples.generated.some((g) => g.startsWith('c:')), samples.generated.join(' | '));
    assert.match(samples.description, /input: the WAV recording of [\d.]+ s cut into \d+ consecutive chunks of 512 samples, one per run, state carried, mono, 16-bit PCM ÷ 32768 at 16000 Hz/);
  });

  it('refuses an image for a model without an image input, and a JPEG with a clear "unsupported"', async () => {
    const { inputs, outputNames, hints } = await inputsOf(corpus.get('silero-vad-legacy')!);
    await rejects(loadSampleInputs(join(samplesDir, 'page.png'), inputs, { hints, outputNames }), 'badRequest', /A PNG image feeds a model's image input, but none of this model's inputs is one/);
    const jpeg = join(dir, 'photo.jpg');
    writeFileSync(jpeg, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]));
    const error = await rejects(loadSampleInputs(jpeg, inputs, { hints, outputNames }), 'unsupported', /^unsupported: .*JPEG/);
    assert.match(error.hint ?? '', /PNG/);
  });
});
