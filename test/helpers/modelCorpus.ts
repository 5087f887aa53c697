/**
 * The corpus of real third-party ONNX models (test/fixtures/models/corpus/manifest.json):
 * fetching them (scripts/models/fetch-corpus.mjs), realistic inputs built from the committed
 * real samples (PNG photos and scans, a WAV speech recording), and the task-level agreement
 * between a reference model's outputs and a candidate's.
 *
 * No native image or audio libraries: PNG (8-bit, non-interlaced) and PCM WAV are decoded here
 * with node:zlib. Stateful audio models (VADs) get consecutive chunks with the recurrent state
 * the reference model carried into each chunk, one chunk per batch row, so a batch of N rows is
 * N real consecutive chunks.
 *
 * Also a small CLI: `node out/test/helpers/modelCorpus.js [--only id,id]` fetches the corpus and
 * writes each model's default feeds to <cache>/inputs/<id>.json (the `--inputs FILE` format:
 * a list of `{ "<input>": { "dims": [...], "type": "float32", "data": [...] } }`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { openSession, type FeedTensor } from '../../src/engine/model/runtime';
import { repoRoot } from './paths';
import { encode, readVocab } from './wordpiece';

export const corpusRoot = join(repoRoot, 'test', 'fixtures', 'models', 'corpus');
export const samplesDir = join(corpusRoot, 'samples');
const fetchScript = join(repoRoot, 'scripts', 'models', 'fetch-corpus.mjs');

export type ImageFill = {
  kind: 'image';
  samples: string[];
  /** Per item: [x, y, width, height] in the sample's pixels, or null for the whole image. */
  crops?: ([number, number, number, number] | null)[];
  /** Per item: rotate the (cropped) image by 180 degrees. */
  rotate180?: boolean[];
  layout: 'NCHW' | 'NHWC';
  height: number;
  width: number;
  /** stretch: resize to height × width; fitHeightPad: height fixed, width by aspect ratio (at most `width`), right-padded with 0 after normalization. */
  resize: 'stretch' | 'fitHeightPad';
  /** Channel order; rgb1 adds a fourth channel of constant 1 (before normalization). */
  channels: 'rgb' | 'bgr' | 'rgb1';
  scale: number;
  mean: number[];
  std: number[];
  note?: string;
};
export type InputFill =
  | ImageFill
  /** Consecutive chunks of `chunkSamples`; with contextSamples, each row starts with the previous chunk's last samples (zeros before the first). */
  | { kind: 'audioChunks'; sample: string; chunkSamples: number; contextSamples?: number; note?: string }
  | { kind: 'scalar'; value: number }
  | { kind: 'recurrentState'; fromOutput: string; note?: string }
  /**
   * Every sentence of a text sample (corpus, then queries), WordPiece-tokenized with the model's
   * vocabulary (an extra file), [CLS] … [SEP] padded to maxLength; `field` says which of the
   * tokenizer's outputs this input takes.
   */
  | { kind: 'text'; sample: string; vocabulary: string; maxLength: number; field: 'inputIds' | 'attentionMask' | 'tokenTypeIds'; lowercase?: boolean; note?: string };

export interface CorpusInput {
  name: string;
  dtype: 'float32' | 'int64';
  shape: (number | string)[];
  fill: InputFill;
}

export type CorpusEvaluator =
  | { metric: 'decisionAgreement'; output: string; threshold: number; note?: string }
  | { metric: 'maskIoU'; output?: string; outputs?: string[]; threshold: number; note?: string }
  | { metric: 'ctcAgreement'; output: string; blank: number; vocabulary: string; appendSpace: boolean; note?: string }
  | { metric: 'top1Agreement'; output: string; labels?: string[]; note?: string }
  | { metric: 'cosine'; output?: string; note?: string }
  /**
   * Sentence embeddings (output [B, T, H] pooled over the attention mask, or [B, H] as is):
   * value = share of sentences whose nearest neighbour (cosine, among the other sentences) is
   * the reference's; details: Spearman correlation of all pair similarities, mean cosine.
   */
  | { metric: 'embeddingAgreement'; output: string; pooling: 'mean' | 'cls'; note?: string }
  /**
   * Line segments decoded as M-LSD's `pred_lines` does (navervision/mlsd utils.py): centres =
   * local maxima of the score map (3×3) among the top `topK`, kept when score > threshold and
   * the segment (centre + the four endpoint offsets, in map cells) is longer than minLength;
   * a candidate segment matches a reference one, one to one, when the summed squared endpoint
   * distances (either endpoint order) on a 128×128 rescaling are under `matchDistance` (the
   * structural-AP criterion of the Wireframe benchmark, sAP10). value = matched / (reference +
   * candidate − matched).
   */
  | { metric: 'lineSegments'; scores: string; offsets: string; threshold: number; minLength: number; topK: number; matchDistance: number; note?: string };

export interface CorpusModel {
  id: string;
  package: string;
  version: string;
  tarballSha256: string;
  path: string;
  sha256: string;
  bytes: number;
  extraFiles?: { name: string; path: string; sha256: string; bytes: number }[];
  licenses: { package: string; weights: string };
  upstream: string;
  modality: 'audio' | 'image' | 'text' | 'tabular';
  task: string;
  opset: number;
  structure: { weightsIn: string; constantNodeWeights: boolean; subgraphs: string; recurrent: string; ops: string[]; notes?: string };
  inputs: CorpusInput[];
  defaultBatch: number;
  evaluator: CorpusEvaluator;
}

export interface CorpusManifest {
  version: number;
  samples: Record<string, { sha256: string; kind: string; sampleRate?: number; segments?: { from: number; to: number; label: string }[] }>;
  models: CorpusModel[];
}

/** A manifest entry with the absolute paths of its fetched, verified files. */
export interface CorpusEntry extends CorpusModel {
  /** Absolute path of the model file in the cache. */
  modelPath: string;
  /** Absolute paths by file name ('model', and each extra file's name). */
  files: Record<string, string>;
  /** The cache folder (for derived files such as inputs/<id>.json). */
  cacheDir: string;
}

export interface AgreementResult {
  metric: CorpusEvaluator['metric'];
  value: number;
  description: string;
  /** Secondary figures of the metric (embeddingAgreement: spearman, meanCosine). */
  details?: Record<string, number>;
}

/** Output tensors as onnxruntime returns them (runtime.ts OutputTensor is compatible). */
export type Outputs = Record<string, { dims: readonly number[]; data: ArrayLike<number> }>;

export function readManifest(): CorpusManifest {
  return JSON.parse(readFileSync(join(corpusRoot, 'manifest.json'), 'utf8')) as CorpusManifest;
}

/**
 * Fetches (or finds in the cache) the corpus models and returns their manifest entries with
 * absolute paths. Throws with the fetch script's message when a download or checksum fails.
 */
export function ensureCorpus(options: { only?: string[] } = {}): CorpusEntry[] {
  const args = [fetchScript, '--json', '--quiet', ...(options.only && options.only.length > 0 ? ['--only', options.only.join(',')] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    throw new Error(`The model corpus could not be fetched: ${(result.stderr || result.error?.message || '').trim()}`);
  }
  const fetched = JSON.parse(result.stdout) as { dir: string; models: { id: string; path: string; files: Record<string, string> }[] };
  const byId = new Map(readManifest().models.map((m) => [m.id, m]));
  return fetched.models.map((f) => {
    const model = byId.get(f.id);
    if (!model) throw new Error(`fetch-corpus returned an unknown model ${f.id}`);
    return { ...model, modelPath: f.path, files: f.files, cacheDir: fetched.dir };
  });
}

// ---------------------------------------------------------------------------------------------
// Samples: PNG and WAV decoding

export interface Image {
  width: number;
  height: number;
  /** RGB, 3 bytes per pixel, row-major. */
  rgb: Uint8Array;
}

function checkSample(name: string, bytes: Buffer): void {
  const expected = readManifest().samples[name]?.sha256;
  if (!expected) throw new Error(`${name} is not a sample listed in the corpus manifest`);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) throw new Error(`sample ${name}: sha256 ${actual}, the manifest says ${expected}`);
}

/** Decodes an 8-bit, non-interlaced PNG (gray, gray+alpha, RGB, RGBA; alpha dropped). */
export function decodePng(bytes: Uint8Array): Image {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG file');
  let width = 0;
  let height = 0;
  let colorType = -1;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colorType = data[9];
      if (depth !== 8 || data[12] !== 0) throw new Error(`unsupported PNG: bit depth ${depth}, interlace ${data[12]}`);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colorType];
  if (!channels) throw new Error(`unsupported PNG color type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels] : 0;
      const b = y > 0 ? pixels[row - stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter}`);
      pixels[row + x] = (raw[src + x] + predictor) & 0xff;
    }
  }
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    if (channels <= 2) rgb.fill(pixels[i * channels], i * 3, i * 3 + 3);
    else for (let k = 0; k < 3; k++) rgb[i * 3 + k] = pixels[i * channels + k];
  }
  return { width, height, rgb };
}

/** Decodes a 16-bit PCM mono WAV to floats in [-1, 1). */
export function decodeWav(bytes: Uint8Array): { sampleRate: number; samples: Float32Array } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let sampleRate = 0;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('latin1', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      const format = buf.readUInt16LE(at + 8);
      const channels = buf.readUInt16LE(at + 10);
      sampleRate = buf.readUInt32LE(at + 12);
      const bits = buf.readUInt16LE(at + 22);
      if (format !== 1 || channels !== 1 || bits !== 16) throw new Error(`unsupported WAV: format ${format}, ${channels} channels, ${bits} bits`);
    } else if (id === 'data') {
      const count = Math.floor(size / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = buf.readInt16LE(at + 8 + i * 2) / 32768;
      return { sampleRate, samples };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error('WAV file without a data chunk');
}

export function loadImage(name: string): Image {
  const bytes = readFileSync(join(samplesDir, name));
  checkSample(name, bytes);
  return decodePng(bytes);
}

export interface SentenceSample {
  source: { repository: string; commit: string; path: string; license: string };
  corpus: string[];
  queries: { text: string; topic: string; expectedTop3: number[] }[];
  topics: Record<string, number[]>;
}

/** A committed text sample (JSON: corpus sentences and queries), checked against the manifest. */
export function loadSentences(name: string): SentenceSample {
  const bytes = readFileSync(join(samplesDir, name));
  checkSample(name, bytes);
  return JSON.parse(bytes.toString('utf8')) as SentenceSample;
}

/** The texts a text fill feeds, in order: the corpus sentences, then the queries. */
export function sentenceTexts(sample: SentenceSample): string[] {
  return [...sample.corpus, ...sample.queries.map((q) => q.text)];
}

export function loadAudio(name: string): { sampleRate: number; samples: Float32Array } {
  const bytes = readFileSync(join(samplesDir, name));
  checkSample(name, bytes);
  return decodeWav(bytes);
}

function crop(image: Image, box: [number, number, number, number]): Image {
  const [x0, y0, w, h] = box;
  if (x0 < 0 || y0 < 0 || x0 + w > image.width || y0 + h > image.height) throw new Error(`crop ${box.join(',')} is outside the ${image.width}x${image.height} image`);
  const rgb = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) rgb.set(image.rgb.subarray(((y0 + y) * image.width + x0) * 3, ((y0 + y) * image.width + x0 + w) * 3), y * w * 3);
  return { width: w, height: h, rgb };
}

function rotate180(image: Image): Image {
  const n = image.width * image.height;
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) rgb.set(image.rgb.subarray(i * 3, i * 3 + 3), (n - 1 - i) * 3);
  return { ...image, rgb };
}

/** Bilinear resize (pixel centers aligned, as cv2.INTER_LINEAR), result as floats 0-255. */
function resizeBilinear(image: Image, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height * 3);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      for (let k = 0; k < 3; k++) {
        const p = (yy: number, xx: number) => image.rgb[(yy * image.width + xx) * 3 + k];
        out[(y * width + x) * 3 + k] = (1 - wy) * ((1 - wx) * p(y0, x0) + wx * p(y0, x1)) + wy * ((1 - wx) * p(y1, x0) + wx * p(y1, x1));
      }
    }
  }
  return out;
}

/** One image item as a [C, H, W] or [H, W, C] float array (no batch dim). */
export function imageTensor(image: Image, fill: ImageFill): Float32Array {
  const { height, layout } = fill;
  const targetWidth = fill.resize === 'fitHeightPad' ? Math.max(1, Math.min(fill.width, Math.ceil((height * image.width) / image.height))) : fill.width;
  const resized = resizeBilinear(image, targetWidth, height);
  const channels = fill.channels === 'rgb1' ? 4 : 3;
  const width = fill.width;
  const out = new Float32Array(channels * height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < targetWidth; x++) {
      for (let c = 0; c < channels; c++) {
        const source = fill.channels === 'bgr' ? 2 - c : c;
        const pixel = c === 3 ? 1 : resized[(y * targetWidth + x) * 3 + source];
        const value = (pixel * fill.scale - fill.mean[c]) / fill.std[c];
        out[layout === 'NCHW' ? (c * height + y) * width + x : (y * width + x) * channels + c] = value;
      }
    }
  }
  return out;
}

/** The image items an image fill describes, in order (sample × crop, as listed). */
export function imageItems(fill: ImageFill): { label: string; data: Float32Array }[] {
  const items: { label: string; data: Float32Array }[] = [];
  const count = Math.max(fill.samples.length, fill.crops?.length ?? 0);
  for (let i = 0; i < count; i++) {
    const sample = fill.samples[Math.min(i, fill.samples.length - 1)];
    let image = loadImage(sample);
    const box = fill.crops?.[i];
    if (box) image = crop(image, box);
    if (fill.rotate180?.[i]) image = rotate180(image);
    items.push({ label: `${sample}${box ? ` [${box.join(',')}]` : ''}${fill.rotate180?.[i] ? ' rotated 180°' : ''}`, data: imageTensor(image, fill) });
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// Feeds

function isSymbolic(d: number | string): boolean {
  return typeof d === 'string';
}

/** The batch a model's feeds can have: 1 when its batch dim is static. */
function batchable(entry: CorpusModel): boolean {
  return entry.inputs.some((i) => i.shape.length > 0 && isSymbolic(i.shape[0])) && !entry.inputs.some((i) => i.shape.length > 0 && i.shape[0] === 1);
}

function int64Scalar(value: number): FeedTensor {
  return { type: 'int64', data: BigInt64Array.from([BigInt(value)]), dims: [] };
}

/** Per-chunk recurrent states the reference model carries, by state input name. */
async function referenceStates(entry: CorpusEntry, chunks: Float32Array[], width: number): Promise<Map<string, Float32Array[]>> {
  const stateInputs = entry.inputs.filter((i) => i.fill.kind === 'recurrentState');
  const states = new Map<string, Float32Array[]>(stateInputs.map((i) => [i.name, []]));
  const session = await openSession(entry.modelPath, 'cpu', { intraOpNumThreads: 1 });
  try {
    const current = new Map<string, Float32Array>(stateInputs.map((i) => [i.name, new Float32Array(elementsOf(i.shape, 1))]));
    for (const chunk of chunks) {
      const feeds: Record<string, FeedTensor> = {};
      for (const input of entry.inputs) {
        if (input.fill.kind === 'audioChunks') feeds[input.name] = { type: 'float32', data: chunk, dims: [1, width] };
        else if (input.fill.kind === 'scalar') feeds[input.name] = int64Scalar(input.fill.value);
        else if (input.fill.kind === 'recurrentState') feeds[input.name] = { type: 'float32', data: current.get(input.name) ?? new Float32Array(0), dims: concreteDims(input.shape, 1) };
      }
      for (const i of stateInputs) states.get(i.name)?.push(current.get(i.name) ?? new Float32Array(0));
      const out = await session.run(feeds);
      for (const i of stateInputs) {
        const fill = i.fill as { fromOutput: string };
        const next = out[fill.fromOutput];
        if (!next) throw new Error(`${entry.id}: the model has no output ${fill.fromOutput} to carry into ${i.name}`);
        current.set(i.name, Float32Array.from(next.data));
      }
    }
  } finally {
    await session.release();
  }
  return states;
}

/** Dims with the symbolic batch dim(s) (named 'batch' or '?') set to `batch`. */
function concreteDims(shape: (number | string)[], batch: number): number[] {
  return shape.map((d) => {
    if (typeof d === 'number') return d;
    if (d === 'batch' || d === '?') return batch;
    throw new Error(`cannot size dimension ${d} without a sample`);
  });
}

function elementsOf(shape: (number | string)[], batch: number): number {
  return concreteDims(shape, batch).reduce((a, b) => a * b, 1);
}

/** Stacks per-item [2, 1, H] states into [2, B, H] (batch is dim 1 for LSTM states). */
function stackStates(items: Float32Array[], shape: (number | string)[]): Float32Array {
  const batchAxis = shape.findIndex((d) => d === 'batch' || d === '?');
  const dims = concreteDims(shape, items.length);
  const outer = dims.slice(0, batchAxis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(batchAxis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(outer * items.length * inner);
  items.forEach((item, b) => {
    for (let o = 0; o < outer; o++) out.set(item.subarray(o * inner, (o + 1) * inner), (o * items.length + b) * inner);
  });
  return out;
}

/**
 * Realistic feeds for a corpus model: every item of its samples once (images: each sample/crop;
 * audio: every full chunk of the recording, in order), grouped `batch` items per feed where the
 * model has a symbolic batch dim (default: the manifest's defaultBatch; a last partial group is
 * kept). Stateful audio inputs get the state the reference model carried into each chunk.
 */
export async function corpusFeeds(entry: CorpusEntry, batch?: number): Promise<Record<string, FeedTensor>[]> {
  const size = batchable(entry) ? Math.max(1, batch ?? entry.defaultBatch) : 1;
  const text = entry.inputs.find((i) => i.fill.kind === 'text');
  if (text && text.fill.kind === 'text') return textFeeds(entry, text.fill, size);
  const audio = entry.inputs.find((i) => i.fill.kind === 'audioChunks');
  if (audio && audio.fill.kind === 'audioChunks') {
    const { chunkSamples } = audio.fill;
    const context = audio.fill.contextSamples ?? 0;
    const width = chunkSamples + context;
    const { samples } = loadAudio(audio.fill.sample);
    const chunks: Float32Array[] = [];
    for (let at = 0; at + chunkSamples <= samples.length; at += chunkSamples) {
      const row = new Float32Array(width);
      row.set(samples.subarray(Math.max(0, at - context), at + chunkSamples), Math.max(0, context - at));
      chunks.push(row);
    }
    const states = entry.inputs.some((i) => i.fill.kind === 'recurrentState') ? await referenceStates(entry, chunks, width) : new Map<string, Float32Array[]>();
    const feeds: Record<string, FeedTensor>[] = [];
    for (let start = 0; start < chunks.length; start += size) {
      const group = chunks.slice(start, start + size);
      const feed: Record<string, FeedTensor> = {};
      for (const input of entry.inputs) {
        const fill = input.fill;
        if (fill.kind === 'audioChunks') {
          const data = new Float32Array(group.length * width);
          group.forEach((c, i) => data.set(c, i * width));
          feed[input.name] = { type: 'float32', data, dims: [group.length, width] };
        } else if (fill.kind === 'scalar') feed[input.name] = input.dtype === 'int64' ? int64Scalar(fill.value) : { type: 'float32', data: Float32Array.from([fill.value]), dims: [] };
        else if (fill.kind === 'recurrentState') {
          const items = (states.get(input.name) ?? []).slice(start, start + group.length);
          feed[input.name] = { type: 'float32', data: stackStates(items, input.shape), dims: concreteDims(input.shape, group.length) };
        } else throw new Error(`${entry.id}: input ${input.name} has an image fill in an audio model`);
      }
      feeds.push(feed);
    }
    return feeds;
  }
  const imageInput = entry.inputs.find((i) => i.fill.kind === 'image');
  if (!imageInput || imageInput.fill.kind !== 'image' || entry.inputs.length !== 1) throw new Error(`${entry.id}: corpusFeeds handles audio-chunk models and single-input image models`);
  const fill = imageInput.fill;
  const items = imageItems(fill);
  const channels = fill.channels === 'rgb1' ? 4 : 3;
  const itemDims = fill.layout === 'NCHW' ? [channels, fill.height, fill.width] : [fill.height, fill.width, channels];
  const feeds: Record<string, FeedTensor>[] = [];
  for (let start = 0; start < items.length; start += size) {
    const group = items.slice(start, start + size);
    const per = group[0].data.length;
    const data = new Float32Array(group.length * per);
    group.forEach((g, i) => data.set(g.data, i * per));
    feeds.push({ [imageInput.name]: { type: 'float32', data, dims: [group.length, ...itemDims] } });
  }
  return feeds;
}

/** Text feeds: every sentence of the sample tokenized once, `size` sentences per feed, int64 [B, maxLength]. */
function textFeeds(entry: CorpusEntry, first: Extract<InputFill, { kind: 'text' }>, size: number): Record<string, FeedTensor>[] {
  const vocabPath = entry.files[first.vocabulary];
  if (!vocabPath) throw new Error(`${entry.id}: vocabulary file ${first.vocabulary} was not fetched`);
  const vocab = readVocab(vocabPath);
  const encoded = sentenceTexts(loadSentences(first.sample)).map((t) => encode(t, vocab, first.maxLength, { lowercase: first.lowercase ?? true }));
  const feeds: Record<string, FeedTensor>[] = [];
  for (let start = 0; start < encoded.length; start += size) {
    const group = encoded.slice(start, start + size);
    const feed: Record<string, FeedTensor> = {};
    for (const input of entry.inputs) {
      const fill = input.fill;
      if (fill.kind !== 'text') throw new Error(`${entry.id}: input ${input.name} is not a text input in a text model`);
      const values = group.flatMap((e) => e[fill.field]);
      feed[input.name] = input.dtype === 'int64' ? { type: 'int64', data: BigInt64Array.from(values, (v) => BigInt(v)), dims: [group.length, fill.maxLength] } : { type: 'float32', data: Float32Array.from(values), dims: [group.length, fill.maxLength] };
    }
    feeds.push(feed);
  }
  return feeds;
}

/** What the feeds are, in words (for reports). */
export function describeFeeds(entry: CorpusModel): string {
  return entry.inputs
    .map((i) => {
      const f = i.fill;
      if (f.kind === 'image') return `${i.name}: ${f.samples.join(' + ')} → ${f.layout} ${f.height}x${f.width} (${f.resize}, ${f.channels})`;
      if (f.kind === 'audioChunks') return `${i.name}: ${f.sample} in ${f.chunkSamples}-sample chunks${f.contextSamples ? ` after ${f.contextSamples} samples of context` : ''}`;
      if (f.kind === 'scalar') return `${i.name} = ${f.value}`;
      if (f.kind === 'text') return `${i.name}: ${f.sample} sentences, WordPiece ${f.field} padded to ${f.maxLength}`;
      return `${i.name}: the reference's carried ${f.fromOutput}`;
    })
    .join('; ');
}

function jsonNumber(x: number): number {
  return Number.isInteger(x) ? x : Number(x.toPrecision(9)); // 9 significant digits round-trip float32
}

/**
 * Writes feeds in the CLI's `--inputs` JSON format (a list of samples) to
 * <cache>/inputs/<id>.json, atomically; returns the path.
 */
export function writeFeedsJson(entry: CorpusEntry, feeds: Record<string, FeedTensor>[]): string {
  const dir = join(entry.cacheDir, 'inputs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${entry.id}.json`);
  const list = feeds.map((feed) =>
    Object.fromEntries(
      Object.entries(feed).map(([name, t]) => [name, { dims: t.dims, type: t.type, data: Array.from(t.data as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? Number(v) : jsonNumber(v))) }]),
    ),
  );
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(list));
  renameSync(tmp, path);
  return path;
}

// ---------------------------------------------------------------------------------------------
// Task agreement

/** Rows of a [B, ..., K] output: B*…, each of length K (the last dim). */
function rows(t: { dims: readonly number[]; data: ArrayLike<number> }): ArrayLike<number>[] {
  const k = t.dims[t.dims.length - 1] ?? 1;
  const out: ArrayLike<number>[] = [];
  for (let at = 0; at + k <= t.data.length; at += k) out.push(Array.prototype.slice.call(t.data, at, at + k) as number[]);
  return out;
}

function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

function pick(outputs: Outputs, name: string, entry: CorpusModel): { dims: readonly number[]; data: ArrayLike<number> } {
  const t = outputs[name];
  if (!t) throw new Error(`${entry.id}: outputs have no ${name} (have ${Object.keys(outputs).join(', ')})`);
  return t;
}

/** The vocabulary of a CTC evaluator: index 0 is blank, then the file's lines, then ' ' when appendSpace. */
export function ctcVocabulary(entry: CorpusEntry): string[] {
  const ev = entry.evaluator;
  if (ev.metric !== 'ctcAgreement') throw new Error(`${entry.id} has no CTC evaluator`);
  const file = entry.files[ev.vocabulary];
  if (!file) throw new Error(`${entry.id}: vocabulary file ${ev.vocabulary} was not fetched`);
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return ['', ...lines, ...(ev.appendSpace ? [' '] : [])];
}

/** Greedy CTC decode of a [B, T, K] probability output: per batch row, argmax per step, repeats merged, blanks dropped. */
export function ctcDecode(output: { dims: readonly number[]; data: ArrayLike<number> }, vocabulary: string[], blank = 0): string[] {
  const [b, t, k] = output.dims;
  const texts: string[] = [];
  for (let i = 0; i < b; i++) {
    let text = '';
    let previous = -1;
    for (let s = 0; s < t; s++) {
      const offset = (i * t + s) * k;
      let best = 0;
      for (let c = 1; c < k; c++) if (output.data[offset + c] > output.data[offset + best]) best = c;
      if (best !== blank && best !== previous) text += vocabulary[best] ?? '?';
      previous = best;
    }
    texts.push(text);
  }
  return texts;
}

/**
 * Sentence embeddings of one output: [B, T, H] pooled over each row's attention mask (mean of
 * the unmasked tokens, or the first token for 'cls'), or [B, H] rows as they are.
 */
export function sentenceEmbeddings(output: { dims: readonly number[]; data: ArrayLike<number> }, mask: ArrayLike<number | bigint> | undefined, pooling: 'mean' | 'cls'): Float32Array[] {
  const dims = output.dims;
  if (dims.length === 2) {
    const [b, h] = dims;
    return Array.from({ length: b }, (_, i) => Float32Array.from(Array.prototype.slice.call(output.data, i * h, (i + 1) * h) as number[]));
  }
  if (dims.length !== 3) throw new Error(`sentence embeddings need a [B, T, H] or [B, H] output, got [${dims.join(', ')}]`);
  const [b, t, h] = dims;
  const out: Float32Array[] = [];
  for (let i = 0; i < b; i++) {
    const e = new Float32Array(h);
    let count = 0;
    for (let s = 0; s < (pooling === 'cls' ? 1 : t); s++) {
      const m = mask ? Number(mask[i * t + s]) : 1;
      if (!m) continue;
      count += 1;
      for (let k = 0; k < h; k++) e[k] += output.data[(i * t + s) * h + k];
    }
    for (let k = 0; k < h; k++) e[k] /= Math.max(1, count);
    out.push(e);
  }
  return out;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Ranks 1..n, ties get the mean of their ranks. */
function ranks(values: number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(values.length);
  for (let at = 0; at < order.length; ) {
    let end = at;
    while (end + 1 < order.length && order[end + 1].v === order[at].v) end += 1;
    for (let k = at; k <= end; k++) out[order[k].i] = (at + end) / 2 + 1;
    at = end + 1;
  }
  return out;
}

/** Spearman's rank correlation (Pearson correlation of the ranks; 1 for two constant lists). */
export function spearman(x: number[], y: number[]): number {
  if (x.length !== y.length) throw new Error('spearman: lists of different lengths');
  const rx = ranks(x);
  const ry = ranks(y);
  const mean = (r: number[]) => r.reduce((a, b) => a + b, 0) / (r.length || 1);
  const mx = mean(rx);
  const my = mean(ry);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mx) * (ry[i] - my);
    sxx += (rx[i] - mx) ** 2;
    syy += (ry[i] - my) ** 2;
  }
  if (sxx === 0 && syy === 0) return 1;
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

/** For each embedding, the index of its most similar other embedding (cosine). */
export function nearestNeighbours(embeddings: ArrayLike<number>[]): number[] {
  return embeddings.map((e, i) => {
    let best = -1;
    let bestSim = -Infinity;
    embeddings.forEach((f, j) => {
      if (j === i) return;
      const sim = cosineSimilarity(e, f);
      if (sim > bestSim) {
        bestSim = sim;
        best = j;
      }
    });
    return best;
  });
}

function embeddingAgreement(entry: CorpusModel, ev: Extract<CorpusEvaluator, { metric: 'embeddingAgreement' }>, reference: Outputs[], candidate: Outputs[], feeds: Record<string, FeedTensor>[] | undefined): AgreementResult {
  const maskInput = entry.inputs.find((i) => i.fill.kind === 'text' && i.fill.field === 'attentionMask');
  if (maskInput && (!feeds || feeds.length !== reference.length)) throw new Error(`${entry.id}: embeddingAgreement needs the feeds (for the attention mask)`);
  const ref: Float32Array[] = [];
  const cand: Float32Array[] = [];
  reference.forEach((r, i) => {
    const mask = maskInput && feeds ? (feeds[i][maskInput.name].data as ArrayLike<number | bigint>) : undefined;
    ref.push(...sentenceEmbeddings(pick(r, ev.output, entry), mask, ev.pooling));
    cand.push(...sentenceEmbeddings(pick(candidate[i], ev.output, entry), mask, ev.pooling));
  });
  const nnRef = nearestNeighbours(ref);
  const nnCand = nearestNeighbours(cand);
  const same = nnRef.filter((n, i) => n === nnCand[i]).length;
  const pairsRef: number[] = [];
  const pairsCand: number[] = [];
  for (let i = 0; i < ref.length; i++) {
    for (let j = i + 1; j < ref.length; j++) {
      pairsRef.push(cosineSimilarity(ref[i], ref[j]));
      pairsCand.push(cosineSimilarity(cand[i], cand[j]));
    }
  }
  const rho = spearman(pairsRef, pairsCand);
  const meanCosine = ref.reduce((a, e, i) => a + cosineSimilarity(e, cand[i]), 0) / (ref.length || 1);
  return {
    metric: ev.metric,
    value: ref.length ? same / ref.length : 1,
    description: `share of ${ref.length} sentences whose nearest neighbour (${ev.pooling}-pooled ${ev.output}, cosine) is the reference's; Spearman of ${pairsRef.length} pair similarities ${rho.toFixed(4)}, mean cosine to the reference ${meanCosine.toFixed(4)}`,
    details: { spearman: rho, meanCosine },
  };
}

interface Segment {
  score: number;
  a: [number, number];
  b: [number, number];
}

/** M-LSD's pred_lines on one image: see the lineSegments evaluator. Coordinates in map cells. */
export function mlsdSegments(scores: { dims: readonly number[]; data: ArrayLike<number> }, offsets: { dims: readonly number[]; data: ArrayLike<number> }, ev: Extract<CorpusEvaluator, { metric: 'lineSegments' }>): { segments: Segment[]; width: number; height: number } {
  const [, h, w] = scores.dims;
  if (scores.dims.length !== 4 || scores.dims[3] !== 1 || offsets.dims[3] !== 4 || offsets.dims[1] !== h || offsets.dims[2] !== w) {
    throw new Error(`lineSegments expects NHWC scores [1, H, W, 1] and offsets [1, H, W, 4], got [${scores.dims.join(', ')}] and [${offsets.dims.join(', ')}]`);
  }
  const s = scores.data;
  const peaks: { score: number; y: number; x: number }[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = s[y * w + x];
      let peak = true;
      for (let dy = -1; dy <= 1 && peak; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < h && xx >= 0 && xx < w && s[yy * w + xx] > v) {
            peak = false;
            break;
          }
        }
      }
      if (peak) peaks.push({ score: v, y, x });
    }
  }
  peaks.sort((p, q) => q.score - p.score);
  const segments: Segment[] = [];
  for (const p of peaks.slice(0, ev.topK)) {
    if (!(p.score > ev.threshold)) continue;
    const k = (p.y * w + p.x) * 4;
    const o = offsets.data;
    const a: [number, number] = [p.x + o[k], p.y + o[k + 1]];
    const b: [number, number] = [p.x + o[k + 2], p.y + o[k + 3]];
    if (!(Math.hypot(a[0] - b[0], a[1] - b[1]) > ev.minLength)) continue;
    segments.push({ score: p.score, a, b });
  }
  return { segments, width: w, height: h };
}

/** Reference segments (strongest first) each take the nearest unmatched candidate under matchDistance. */
export function matchSegments(reference: readonly Segment[], candidate: readonly Segment[], width: number, height: number, matchDistance: number): number {
  const sx = 128 / width;
  const sy = 128 / height;
  const d2 = (p: [number, number], q: [number, number]) => ((p[0] - q[0]) * sx) ** 2 + ((p[1] - q[1]) * sy) ** 2;
  const used = new Set<number>();
  let matched = 0;
  for (const r of [...reference].sort((p, q) => q.score - p.score)) {
    let best = -1;
    let bestD = Infinity;
    candidate.forEach((c, j) => {
      if (used.has(j)) return;
      const d = Math.min(d2(r.a, c.a) + d2(r.b, c.b), d2(r.a, c.b) + d2(r.b, c.a));
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    });
    if (best >= 0 && bestD < matchDistance) {
      used.add(best);
      matched++;
    }
  }
  return matched;
}

/**
 * The task-level agreement of a candidate's outputs with the reference's, over all feeds
 * (`reference[i]` and `candidate[i]` come from the same feed). Uses the manifest's evaluator.
 * Text models' embeddingAgreement also needs the feeds (their attention masks).
 */
export function taskAgreement(entry: CorpusEntry, reference: Outputs[], candidate: Outputs[], feeds?: Record<string, FeedTensor>[]): AgreementResult {
  if (reference.length !== candidate.length) throw new Error(`${entry.id}: ${reference.length} reference outputs but ${candidate.length} candidate outputs`);
  const ev = entry.evaluator;
  switch (ev.metric) {
    case 'decisionAgreement': {
      let same = 0;
      let total = 0;
      reference.forEach((r, i) => {
        const a = pick(r, ev.output, entry).data;
        const b = pick(candidate[i], ev.output, entry).data;
        for (let j = 0; j < a.length; j++) {
          total += 1;
          if (a[j] > ev.threshold === b[j] > ev.threshold) same += 1;
        }
      });
      return { metric: ev.metric, value: total ? same / total : 1, description: `share of ${total} decisions (${ev.output} > ${ev.threshold}) equal to the reference's` };
    }
    case 'maskIoU': {
      const names = ev.outputs ?? (ev.output ? [ev.output] : []);
      let inter = 0;
      let union = 0;
      reference.forEach((r, i) => {
        for (const name of names) {
          const a = pick(r, name, entry).data;
          const b = pick(candidate[i], name, entry).data;
          for (let j = 0; j < a.length; j++) {
            const x = a[j] > ev.threshold;
            const y = b[j] > ev.threshold;
            if (x && y) inter += 1;
            if (x || y) union += 1;
          }
        }
      });
      return { metric: ev.metric, value: union ? inter / union : 1, description: `IoU of the ${names.join(' + ')} > ${ev.threshold} masks (${union} pixels/anchors in the union; two empty masks agree)` };
    }
    case 'lineSegments': {
      let matched = 0;
      let inReference = 0;
      let inCandidate = 0;
      reference.forEach((r, i) => {
        const a = mlsdSegments(pick(r, ev.scores, entry), pick(r, ev.offsets, entry), ev);
        const b = mlsdSegments(pick(candidate[i], ev.scores, entry), pick(candidate[i], ev.offsets, entry), ev);
        matched += matchSegments(a.segments, b.segments, a.width, a.height, ev.matchDistance);
        inReference += a.segments.length;
        inCandidate += b.segments.length;
      });
      const union = inReference + inCandidate - matched;
      return {
        metric: ev.metric,
        value: union ? matched / union : 1,
        description: `line segments (pred_lines: score > ${ev.threshold}, longer than ${ev.minLength} cells): ${matched} matched (sAP${ev.matchDistance} criterion) of ${inReference} in the reference and ${inCandidate} in the candidate`,
      };
    }
    case 'ctcAgreement': {
      const vocabulary = ctcVocabulary(entry);
      let same = 0;
      let total = 0;
      reference.forEach((r, i) => {
        const a = ctcDecode(pick(r, ev.output, entry), vocabulary, ev.blank);
        const b = ctcDecode(pick(candidate[i], ev.output, entry), vocabulary, ev.blank);
        a.forEach((text, j) => {
          total += 1;
          if (text === b[j]) same += 1;
        });
      });
      return { metric: ev.metric, value: total ? same / total : 1, description: `share of ${total} greedy CTC decodes of ${ev.output} equal to the reference's` };
    }
    case 'top1Agreement': {
      let same = 0;
      let total = 0;
      reference.forEach((r, i) => {
        const a = rows(pick(r, ev.output, entry));
        const b = rows(pick(candidate[i], ev.output, entry));
        a.forEach((row, j) => {
          total += 1;
          if (argmax(row) === argmax(b[j])) same += 1;
        });
      });
      return { metric: ev.metric, value: total ? same / total : 1, description: `share of ${total} top-1 classes of ${ev.output} equal to the reference's` };
    }
    case 'cosine': {
      let dot = 0;
      let na = 0;
      let nb = 0;
      reference.forEach((r, i) => {
        for (const name of ev.output ? [ev.output] : Object.keys(r)) {
          const a = pick(r, name, entry).data;
          const b = pick(candidate[i], name, entry).data;
          for (let j = 0; j < a.length; j++) {
            dot += a[j] * b[j];
            na += a[j] * a[j];
            nb += b[j] * b[j];
          }
        }
      });
      const value = na === 0 && nb === 0 ? 1 : dot / Math.sqrt(na * nb || 1);
      return { metric: ev.metric, value, description: `cosine similarity of ${ev.output ?? 'all outputs'} with the reference's` };
    }
    case 'embeddingAgreement':
      return embeddingAgreement(entry, ev, reference, candidate, feeds);
  }
}

async function cli(argv: string[]): Promise<void> {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
  for (const entry of ensureCorpus({ only })) {
    const feeds = await corpusFeeds(entry);
    process.stdout.write(`${entry.id.padEnd(24)} ${entry.modelPath}\n${' '.repeat(25)}${writeFeedsJson(entry, feeds)} (${feeds.length} feed(s): ${describeFeeds(entry)})\n`);
  }
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
