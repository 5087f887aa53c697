/**
 * Realistic evaluation inputs, planned from the model itself.
 *
 * Every input is given a role from its name, rank and type, and sized from what the model
 * declares (static dimensions), what its metadata says (`metadata_props` such as `imgsz`,
 * `image_size`, `sample_rate`, `chunk_size`, `max_length`; input doc strings such as
 * "3x640x640" or "512 samples"), and otherwise a documented default for the role:
 *
 * | role            | recognised by                                              | size / value |
 * | --------------- | ---------------------------------------------------------- | ------------ |
 * | image           | float, rank 4, 1/3/4 channels (NCHW or NHWC; alpha = 1), spatial dims symbolic or ≥ 16 | static dims; metadata; else 640² for detectors (det/detect/yolo/ssd/retina in the file name), 48×320 for OCR text-line recognizers (height 32/48 declared, or rec/crnn/ocr), 48×192 for OCR angle classifiers (cls with ocr), 224² otherwise |
 * | audio           | float, rank 1-3, named audio/input/pcm/wav/waveform/signal/speech/samples/x, symbolic length | 512 samples when the model also takes a sample rate or a state (streaming VAD chunks), else 16,000 (1 s) |
 * | token ids       | int, rank 2, named input_ids (or …_input_ids), ids, tokens                  | 128 tokens (or static / metadata max_length) |
 * | attention mask  | named attention_mask, mask                               | ones |
 * | token type ids  | named token_type_ids/segment_ids                           | zeros |
 * | position ids    | named position_ids                                         | 0…T-1 |
 * | state           | float, named state/h/c/h0/c0/hx/cx/hidden/cell (or …_state) | zeros, symbolic dims = batch |
 * | sample rate     | int/float, rank 0 or [1], named sr/sample_rate/sampling_rate | 16000 (or metadata) |
 * | flag            | bool, rank 0 or [1] (e.g. an If condition)                 | false, said in the description |
 * | features        | float, every dimension static except the batch             | seeded N(0, 1) |
 *
 * Anything else is refused with an error naming the input and asking for `--inputs FILE`:
 * nothing is guessed silently. Image values are smooth structured pictures (gradients,
 * shapes, lines of printed characters) in [0, 1], then normalized as `imageNormalization`
 * decides (the model's metadata mean/std/scale; a range its doc strings give; none for
 * YOLO-style detectors; raw 0–255 for RGBA; (x − 0.5)/0.5 for OCR recognizers and NHWC
 * TensorFlow exports; ImageNet mean/std otherwise); audio is
 * band-limited: silence, voiced tone bursts with harmonics and noise bursts, at ±0.5.
 *
 * Sample inputs (`--inputs FILE`): JSON, .npy, .npz as given; a PNG image or a 16-bit PCM WAV
 * goes through the same plan: the picture is resized (bilinear) to the planned size — a text
 * line keeps its aspect ratio when the width is free — and normalized like the generated
 * pictures; the audio is resampled to the planned rate and cut into the planned chunks
 * (consecutive, state carried, for streaming models), or fed whole when the length is free.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { EngineError, errorMessage } from '../../protocol/errors';
import { specialKind } from '../../shared/files';
import { gaussian } from './linalg';
import { seededRandom } from '../../shared/random';
import { decodePng, decodeWav, isPng, resampleLinear, resizeBilinear } from './media';
import { parseNpy, parseNpz, type NpyArray } from './npy';
import { float16BitsToFloat32, float32ToFloat16Bits, tensorDims, type ModelProto } from './onnx';
import type { FeedTensor, InputInfo } from './runtime';

/** Largest generated input tensor (elements). */
export const MAX_INPUT_ELEMENTS = 2 ** 26;
/** Generated image batches are lowered so one batch holds at most this many values (timing stays bounded). */
export const MAX_BATCH_VALUES = 2 ** 21;
/** Consecutive chunks fed to a model that carries a recurrent state (e.g. 64 × 512 samples = 2 s at 16 kHz). */
export const STREAM_CHUNKS = 64;

export type InputRole = 'image' | 'audio' | 'token-ids' | 'attention-mask' | 'token-type-ids' | 'position-ids' | 'state' | 'sample-rate' | 'flag' | 'features';

export interface PlannedInput {
  name: string;
  type: FeedTensor['type'];
  dims: number[];
  role: InputRole;
  /** What is generated, in plain words. */
  description: string;
  image?: { layout: 'nchw' | 'nhwc'; channels: number; height: number; width: number; style: 'scene' | 'text-line'; normalization: ImageNormalization; pixel: PixelTransform };
  audio?: { length: number; sampleRate: number };
  vocab?: number;
  value?: number;
}

/**
 * How a picture in [0, 1] becomes the model's input: `imagenet` mean/std, `half` (x − 0.5)/0.5
 * = [−1, 1], `none` [0, 1], `raw255` 0–255, `metadata` the mean/std/scale the model's
 * metadata_props give.
 */
export type ImageNormalization = 'imagenet' | 'half' | 'none' | 'raw255' | 'metadata';

/** value = (x·scale − mean[c]) / std[c] for a pixel x in [0, 1]; mean and std have 1 entry (all channels) or one per channel. */
export interface PixelTransform {
  scale: number;
  mean: number[];
  std: number[];
}

export interface InputPlan {
  inputs: PlannedInput[];
  batch: number;
  /** Recurrent state carried from one run to the next: the output that feeds each state input. */
  stateLinks: { input: string; output: string }[];
  /** Consecutive chunks of one stream per batch row (state carried over). */
  streaming: boolean;
  modality: 'image' | 'audio' | 'text' | 'features';
  /** Why the batch differs from the one asked for, when it does. */
  batchNote?: string;
}

/** What the model file says beyond its input shapes. */
export interface ModelHints {
  fileName: string;
  metadata: Record<string, string>;
  /** Doc strings of the graph inputs, by name. */
  docs: Record<string, string>;
  /** Rows of the embedding table an int input indexes (Gather on an initializer), by input name. */
  vocab: Record<string, number>;
  /** The model's and its graph's doc strings, and the program that wrote it (e.g. tf2onnx). */
  modelDoc?: string;
  producer?: string;
}

export function hintsFromModel(model: ModelProto | undefined, modelPath?: string): ModelHints {
  const hints: ModelHints = { fileName: modelPath ? basename(modelPath) : '', metadata: {}, docs: {}, vocab: {} };
  if (!model) return hints;
  for (const p of model.metadataProps) hints.metadata[p.key] = p.value;
  if (model.producerName) hints.producer = model.producerName;
  const graph = model.graph;
  const doc = [model.docString, graph?.docString].filter((d) => d).join('\n');
  if (doc) hints.modelDoc = doc;
  if (!graph) return hints;
  for (const i of graph.input) if (i.docString) hints.docs[i.name] = i.docString;
  const inits = new Map(graph.initializer.map((t) => [t.name, t]));
  const inputNames = new Set(graph.input.map((i) => i.name));
  for (const node of graph.node) {
    if (node.opType !== 'Gather' || node.input.length < 2 || !inputNames.has(node.input[1])) continue;
    const table = inits.get(node.input[0]);
    if (table) hints.vocab[node.input[1]] = tensorDims(table)[0] ?? 0;
  }
  return hints;
}

const isSymbolic = (d: number | string): boolean => typeof d !== 'number' || d <= 0;
const IMAGE_CHANNELS = [1, 3, 4];
/** A spatial dimension: symbolic, or at least 16 pixels. */
const spatial = (d: number | string): boolean => isSymbolic(d) || (d as number) >= 16;
/** Rank-4 float input laid out as an image: NCHW or NHWC with 1 (gray), 3 (RGB) or 4 (RGBA) channels. */
function imageLayout(shape: (number | string)[]): { layout: 'nchw' | 'nhwc'; channels: number } | undefined {
  if (shape.length !== 4) return undefined;
  if (IMAGE_CHANNELS.includes(shape[1] as number) && spatial(shape[2]) && spatial(shape[3])) return { layout: 'nchw', channels: shape[1] as number };
  if (IMAGE_CHANNELS.includes(shape[3] as number) && spatial(shape[1]) && spatial(shape[2])) return { layout: 'nhwc', channels: shape[3] as number };
  return undefined;
}
const AUDIO_NAME = /^(x|input|inputs|audio|audio_signal|input_values|pcm|wav|waveform|signal|speech|samples?|input_audio)$/i;
const STATE_NAME = /^(state|states|h|c|h0|c0|hx|cx|h_0|c_0|hidden|cell|hidden_state|cell_state)$|_state$|^state_|^(h|c)_in$/i;
const SR_NAME = /^(sr|sample_rate|sampling_rate|samplerate)$/i;
const IDS_NAME = /(^|_)input_ids$|^ids$|^tokens?$|^token_ids$|^input$/i;
const MASK_NAME = /attention_mask$|^mask$|^input_mask$/i;
const TYPE_NAME = /token_type_ids$|^segment_ids$/i;
const POS_NAME = /position_ids$/i;
const BATCH_NAME = /batch|^n$|^b$|^bs$|^N$/i;

function metaNumbers(hints: ModelHints, key: RegExp): number[] | undefined {
  for (const [k, v] of Object.entries(hints.metadata)) {
    if (!key.test(k)) continue;
    const nums = (v.match(/\d+(\.\d+)?/g) ?? []).map(Number).filter((n) => Number.isFinite(n) && n > 0);
    if (nums.length > 0) return nums;
  }
  return undefined;
}

function refuse(input: InputInfo, why: string): EngineError {
  return new EngineError(
    'unsupported',
    `Cannot build realistic inputs for "${input.name}" (${input.type} [${input.shape.map((d) => (isSymbolic(d) ? `${d || '?'}` : d)).join(', ')}]): ${why}.`,
    `Pass sample inputs with --inputs FILE (inputsPath): JSON { "${input.name}": { "dims": [...], "type": "${input.type}", "data": [...] } }, or a .npy/.npz file; see docs/model-optimization.md.`,
  );
}

function feedType(input: InputInfo): FeedTensor['type'] | undefined {
  return (['float32', 'float16', 'int64', 'int32', 'bool'] as const).find((t) => t === input.type);
}

/**
 * Plans realistic inputs for a model's graph inputs. Throws an `unsupported` EngineError
 * naming the first input that cannot be sized or filled meaningfully.
 */
export function planInputs(inputs: InputInfo[], options: { batchSize: number; hints?: ModelHints; outputNames?: string[] }): InputPlan {
  const hints = options.hints ?? { fileName: '', metadata: {}, docs: {}, vocab: {} };
  const file = hints.fileName.toLowerCase();
  const hasSampleRate = inputs.some((i) => SR_NAME.test(i.name) && i.shape.length <= 1);
  // A model that takes a recurrent state (or a sample rate) next to audio processes it in streaming chunks.
  const streamingAudio = hasSampleRate || inputs.some((i) => (i.type === 'float32' || i.type === 'float16') && STATE_NAME.test(i.name) && i.shape.length >= 2);
  const sampleRate = metaNumbers(hints, /sample_?rate|sampling_rate/i)?.[0] ?? 16000;
  const named = new Map<string, number>();
  const planned: PlannedInput[] = [];
  let batch = options.batchSize;

  // Roles first (they decide the batch for large images).
  const roles = inputs.map((input) => roleOf(input, streamingAudio));
  const imageIndex = roles.indexOf('image');
  if (imageIndex >= 0) {
    const { height, width } = imageSize(inputs[imageIndex], hints, file);
    const perSample = (imageLayout(inputs[imageIndex].shape)?.channels ?? 3) * height * width;
    const fit = Math.max(1, Math.floor(MAX_BATCH_VALUES / perSample));
    if (fit < batch) batch = fit;
  }
  const batchNote = batch !== options.batchSize && imageIndex >= 0 && isSymbolic(inputs[imageIndex].shape[0]) ? `batch lowered from ${options.batchSize} to ${batch} so one batch of images stays within ${MAX_BATCH_VALUES.toLocaleString('en-US')} input values` : undefined;

  inputs.forEach((input, index) => {
    const role = roles[index];
    const type = feedType(input);
    if (!type) throw refuse(input, `its type ${input.type} cannot be generated (float32, float16, int32, int64 and bool can)`);
    if (!role) {
      const why = input.type.startsWith('int') ? 'an integer input whose meaning the name does not say (ids, mask, sample rate…)' : input.type === 'bool' ? 'a boolean input whose meaning is not known' : 'a float input with symbolic dimensions other than the batch, whose size the model does not say';
      throw refuse(input, why);
    }
    const dimFor = (d: number | string, axis: number, fallback: () => number): number => {
      if (!isSymbolic(d)) return d as number;
      const key = typeof d === 'string' && d !== '' ? d : undefined;
      if (key && named.has(key)) return named.get(key)!;
      const v = fallback();
      if (key) named.set(key, v);
      void axis;
      return v;
    };
    const batchDim = (d: number | string, axis: number, rest: () => number): number => dimFor(d, axis, () => (axis === 0 || (typeof d === 'string' && BATCH_NAME.test(d)) ? batch : rest()));
    let p: PlannedInput;
    switch (role) {
      case 'image': {
        const { height, width, style, why } = imageSize(input, hints, file);
        const { layout, channels } = imageLayout(input.shape)!;
        const { normalization, pixel, how } = imageNormalization(input, hints, file, style);
        const nhwc = layout === 'nhwc';
        const dims = input.shape.map((d, axis) => batchDim(d, axis, () => (nhwc ? (axis === 1 ? height : width) : axis === 2 ? height : width)));
        const h = nhwc ? dims[1] : dims[2];
        const w = nhwc ? dims[2] : dims[3];
        const kind = channels === 1 ? 'grayscale ' : channels === 4 ? `RGBA (opaque alpha = ${alphaValue(pixel)}) ` : '';
        const many = dims[0] === 1 ? 'picture' : 'pictures';
        p = { name: input.name, type, dims, role, image: { layout, channels, height: h, width: w, style, normalization, pixel }, description: `${dims[0]} synthetic ${kind}${style === 'text-line' ? `text-line ${many} (a line of dark printed characters on light paper)` : `structured ${many} (smooth gradients, shapes and lines of printed characters)`} of ${h}×${w} px (${why}), ${how}` };
        break;
      }
      case 'audio': {
        const meta = metaNumbers(hints, /chunk|window_size|num_samples|frame_length|samples/i)?.[0];
        const doc = /(\d+)\s*samples/i.exec(hints.docs[input.name] ?? '')?.[1];
        const length = meta ?? (doc ? Number(doc) : streamingAudio ? 512 : 16000);
        const dims = input.shape.map((d, axis) => batchDim(d, axis, () => (axis === input.shape.length - 1 ? length : 1)));
        const n = dims[dims.length - 1];
        const why = meta ? 'from the model metadata' : doc ? 'from the input doc string' : streamingAudio ? `a streaming chunk: the model also takes ${hasSampleRate ? 'a sample rate' : 'a recurrent state'}` : '1 s at 16 kHz';
        p = { name: input.name, type, dims, role, audio: { length: n, sampleRate }, description: `band-limited audio of ${n} samples at ${sampleRate} Hz per row (${why}): silence, voiced tone bursts with harmonics and noise bursts, peak ±0.5` };
        break;
      }
      case 'token-ids':
      case 'attention-mask':
      case 'token-type-ids':
      case 'position-ids': {
        const seqMeta = metaNumbers(hints, /max_length|seq_len|sequence_length|context_length|n_ctx|max_position/i)?.[0];
        const seq = Math.min(seqMeta ?? 128, 128);
        const dims = input.shape.map((d, axis) => batchDim(d, axis, () => seq));
        const vocab = hints.vocab[input.name];
        const what = role === 'token-ids' ? `seeded random token ids in [${vocab ? Math.min(1000, Math.floor(vocab / 2)) : 100}, ${vocab ? Math.min(vocab, 30000) : 1000})${vocab ? ` (vocabulary ${vocab} from the embedding table)` : ' (vocabulary size unknown: ids every vocabulary of 1,000+ has)'}` : role === 'attention-mask' ? 'ones (attend to every token)' : role === 'token-type-ids' ? 'zeros (one segment)' : 'positions 0…T−1';
        p = { name: input.name, type, dims, role, ...(vocab ? { vocab } : {}), description: `${dims.join('×')} ${what}` };
        break;
      }
      case 'state': {
        const dims = input.shape.map((d, axis) => dimFor(d, axis, () => batch));
        p = { name: input.name, type, dims, role, description: `zeros of [${dims.join(', ')}] (recurrent state; symbolic dimensions taken as the batch)` };
        break;
      }
      case 'sample-rate': {
        const dims = input.shape.map(() => 1);
        p = { name: input.name, type, dims, role, value: sampleRate, description: `${sampleRate} (${input.shape.length === 0 ? 'scalar' : '[1]'})` };
        break;
      }
      case 'flag': {
        const dims = input.shape.map(() => 1);
        p = { name: input.name, type, dims, role, value: 0, description: `false (a boolean flag the model does not explain; pass --inputs FILE to measure the other setting)` };
        break;
      }
      default: {
        const dims = input.shape.map((d, axis) => batchDim(d, axis, () => 1));
        p = { name: input.name, type, dims, role, description: `seeded standard-normal values of [${dims.join(', ')}] (the model does not say what its features are)` };
      }
    }
    const count = p.dims.reduce((a, c) => a * c, 1);
    if (count > MAX_INPUT_ELEMENTS) throw new EngineError('tooLarge', `Input "${input.name}" would be ${p.dims.join('×')} = ${count.toExponential(2)} values; at most ${MAX_INPUT_ELEMENTS.toExponential(0)} are generated.`, 'Lower the batch size, or pass smaller sample inputs with --inputs FILE.');
    planned.push(p);
  });

  // The batch the feeds really have (a static batch dimension wins over the one asked for).
  batch = planned.find((p) => !['state', 'sample-rate', 'flag'].includes(p.role) && p.dims.length > 0)?.dims[0] ?? batch;
  const stateLinks = linkStates(planned, options.outputNames ?? []);
  const modality = planned.some((p) => p.role === 'image') ? 'image' : planned.some((p) => p.role === 'audio') ? 'audio' : planned.some((p) => p.role === 'token-ids') ? 'text' : 'features';
  return { inputs: planned, batch, stateLinks, streaming: stateLinks.length > 0, modality, ...(batchNote ? { batchNote } : {}) };
}

function roleOf(input: InputInfo, hasSampleRate: boolean): InputRole | undefined {
  const { name, type, shape } = input;
  const isFloat = type === 'float32' || type === 'float16';
  const isInt = type === 'int64' || type === 'int32';
  if (SR_NAME.test(name) && shape.length <= 1 && (isInt || isFloat)) return 'sample-rate';
  if (type === 'bool' && (shape.length === 0 || (shape.length === 1 && shape[0] === 1))) return 'flag';
  if (isFloat && STATE_NAME.test(name) && shape.length >= 2) return 'state';
  if (isFloat && imageLayout(shape)) return 'image';
  if (isFloat && shape.length >= 1 && shape.length <= 3 && isSymbolic(shape[shape.length - 1]) && (AUDIO_NAME.test(name) || hasSampleRate)) {
    // Rank 3 only as [batch, 1, samples].
    if (shape.length < 3 || shape[1] === 1) return 'audio';
  }
  if (isInt && shape.length === 2) {
    if (TYPE_NAME.test(name)) return 'token-type-ids';
    if (MASK_NAME.test(name)) return 'attention-mask';
    if (POS_NAME.test(name)) return 'position-ids';
    if (IDS_NAME.test(name)) return 'token-ids';
  }
  if (isFloat && shape.every((d, axis) => axis === 0 || !isSymbolic(d))) return 'features';
  return undefined;
}

function imageSize(input: InputInfo, hints: ModelHints, file: string): { height: number; width: number; style: 'scene' | 'text-line'; why: string } {
  const nhwc = imageLayout(input.shape)?.layout === 'nhwc';
  const hDim = nhwc ? input.shape[1] : input.shape[2];
  const wDim = nhwc ? input.shape[2] : input.shape[3];
  const h = isSymbolic(hDim) ? undefined : (hDim as number);
  const w = isSymbolic(wDim) ? undefined : (wDim as number);
  const meta = metaNumbers(hints, /^(imgsz|image_size|img_size|input_size|resolution|image_shape|input_shape)$/i);
  const docSize = /(\d+)\s*[x×]\s*(\d+)\s*$/.exec((hints.docs[input.name] ?? '').replace(/[^\d x×]/g, ' ').trim());
  const textLine = (h !== undefined && h <= 64 && w === undefined) || /(^|[^a-z])(rec|crnn)([^a-z]|$)/.test(file) || (/ocr/.test(file) && /cls|angle/.test(file));
  const style = textLine ? 'text-line' : 'scene';
  if (h !== undefined && w !== undefined) return { height: h, width: w, style, why: 'as declared' };
  if (meta) {
    const [mh, mw] = meta.length >= 2 ? meta.slice(-2) : [meta[0], meta[0]];
    return { height: h ?? mh, width: w ?? mw, style, why: 'size from the model metadata' };
  }
  if (docSize) return { height: h ?? Number(docSize[1]), width: w ?? Number(docSize[2]), style, why: 'size from the input doc string' };
  if (h !== undefined) return { height: h, width: h <= 64 ? Math.max(320, h) : h, style, why: h <= 64 ? `height ${h} declared: a text-line recognizer, width 320` : 'square at the declared height' };
  if (w !== undefined) return { height: w, width: w, style, why: 'square at the declared width' };
  if (textLine && /cls|angle/.test(file)) return { height: 48, width: 192, style, why: 'an OCR angle classifier (file name), 48×192' };
  if (textLine) return { height: 48, width: 320, style, why: 'an OCR text-line recognizer (file name), 48×320' };
  if (/(^|[^a-z])(det|detect|detector|yolo\w*|ssd|retina\w*|dbnet|db)([^a-z]|$)/.test(file)) return { height: 640, width: 640, style, why: 'a detector (file name): 640×640' };
  return { height: 224, width: 224, style, why: 'the size is not declared: 224×224, the common classifier size' };
}

const PIXEL_MEAN_KEY = /^(image_|img_|pixel_|norm_|input_)?means?(_values?)?$/i;
const PIXEL_STD_KEY = /^(image_|img_|pixel_|norm_|input_)?(std|stds|stddev|std_values?)$/i;
const PIXEL_SCALE_KEY = /^(image_|img_|pixel_|input_)?scale(_factor)?$|^rescale_factor$/i;
const TF_PRODUCER = /tf2onnx|tensorflow|tflite|keras/i;

/** The numbers in a metadata value: "[0.485, 0.456, 0.406]", "127.5", "1/255", "0.0039215". */
function metaValues(hints: ModelHints, key: RegExp): { key: string; values: number[] } | undefined {
  for (const [k, v] of Object.entries(hints.metadata)) {
    if (!key.test(k)) continue;
    const ratio = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(v);
    const values = ratio ? [Number(ratio[1]) / Number(ratio[2])] : (v.match(/-?\d*\.?\d+(?:e-?\d+)?/gi) ?? []).map(Number);
    if (values.length > 0 && values.every((n) => Number.isFinite(n))) return { key: k, values };
  }
  return undefined;
}

/** A value range a doc string gives for the pixels: [0, 1], [0, 255] or [-1, 1]. */
function documentedRange(text: string): 'none' | 'raw255' | 'half' | undefined {
  const ranges = [...text.matchAll(/[[(]\s*(-?\d+(?:\.\d+)?)\s*(?:,|\.\.|to|–)\s*(-?\d+(?:\.\d+)?)\s*[\])]|(?<![\d.])(-1|0)\s*(?:\.\.|to|–|-)\s*(1|255)(?![\d.])/gi)];
  for (const m of ranges) {
    const lo = Number(m[1] ?? m[3]);
    const hi = Number(m[2] ?? m[4]);
    if (lo === 0 && hi === 1) return 'none';
    if (lo === 0 && hi === 255) return 'raw255';
    if (lo === -1 && hi === 1) return 'half';
  }
  return undefined;
}

const PRESETS: Record<'imagenet' | 'half' | 'none' | 'raw255', PixelTransform> = {
  imagenet: { scale: 1, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  half: { scale: 1, mean: [0.5], std: [0.5] },
  none: { scale: 1, mean: [0], std: [1] },
  raw255: { scale: 255, mean: [0], std: [1] },
};
const RANGE_WORDS: Record<'half' | 'none' | 'raw255', string> = { half: '[−1, 1] ((x − 0.5)/0.5)', none: '[0, 1], not normalized', raw255: 'raw 0–255 values' };

/**
 * How picture values in [0, 1] are turned into the model's input, in this order: the mean /
 * std / scale the model's metadata_props give; a pixel range its doc strings state ([0, 1],
 * [0, 255], [-1, 1]); [0, 1] for YOLO-style detectors; raw 0–255 with alpha 255 for RGBA
 * inputs; (x − 0.5)/0.5 for OCR text-line recognizers and for NHWC RGB TensorFlow exports
 * (input names ending ':0', or written by tf2onnx), as BlazeFace and most TF-Lite conversions
 * expect; ImageNet mean/std otherwise. `how` says which, and why, for the inputs description.
 */
export function imageNormalization(input: InputInfo, hints: ModelHints, file: string, style: 'scene' | 'text-line'): { normalization: ImageNormalization; pixel: PixelTransform; how: string } {
  const layout = imageLayout(input.shape);
  const mean = metaValues(hints, PIXEL_MEAN_KEY);
  const std = metaValues(hints, PIXEL_STD_KEY);
  const scale = metaValues(hints, PIXEL_SCALE_KEY);
  if (mean || std || scale) {
    const m = mean?.values ?? [0];
    const sd = std?.values ?? [1];
    const given = [mean, std, scale].filter((x) => x).map((x) => `${x!.key}=${x!.values.map((v) => +v.toPrecision(6)).join(',')}`).join(', ');
    const valid = sd.every((v) => v !== 0) && (!scale || scale.values[0] !== 0);
    if (valid) {
      // Mean/std above 1.5 are in 0–255 pixel units (OpenCV style: (p − mean)·scale); otherwise in [0, 1] units after scaling p by `scale` (default 1/255).
      const pixelUnits = [...m, ...sd].some((v) => Math.abs(v) > 1.5);
      const k = scale?.values[0];
      const pixel: PixelTransform = mean || std ? (pixelUnits ? { scale: 255, mean: m, std: sd.map((v) => v / (k ?? 1)) } : { scale: 255 * (k ?? 1 / 255), mean: m, std: sd }) : { scale: 255 * k!, mean: [0], std: [1] };
      return { normalization: 'metadata', pixel, how: `normalized as the model's metadata says (${given})` };
    }
  }
  const docs = [hints.docs[input.name] ?? '', /pixel|range|normali[sz]|scaled/i.test(hints.modelDoc ?? '') ? (hints.modelDoc ?? '') : ''].join('\n');
  const documented = documentedRange(docs);
  if (documented) return { normalization: documented, pixel: PRESETS[documented], how: `${RANGE_WORDS[documented]}, the range the model's doc string gives` };
  if (/yolo/.test(file) || 'stride' in hints.metadata || 'imgsz' in hints.metadata) return { normalization: 'none', pixel: PRESETS.none, how: 'in [0, 1], not normalized (a YOLO-style detector)' };
  if (layout?.channels === 4) return { normalization: 'raw255', pixel: PRESETS.raw255, how: 'raw 0–255 values with alpha 255 (RGBA inputs usually take canvas pixels as they are)' };
  if (style === 'text-line') return { normalization: 'half', pixel: PRESETS.half, how: 'normalized as (x − 0.5)/0.5 (an OCR text-line model)' };
  const tfName = input.name.endsWith(':0');
  if (layout?.layout === 'nhwc' && layout.channels === 3 && (tfName || TF_PRODUCER.test(hints.producer ?? ''))) {
    return { normalization: 'half', pixel: PRESETS.half, how: `normalized to [−1, 1] as (x − 0.5)/0.5 (a TensorFlow NHWC export: ${tfName ? `input name ${input.name} ends in ':0'` : `written by ${hints.producer}`}; BlazeFace and most TF-Lite conversions expect this)` };
  }
  return { normalization: 'imagenet', pixel: PRESETS.imagenet, how: 'normalized with ImageNet mean/std (the model does not say how; the common default)' };
}

/** The value an opaque alpha channel gets: 1 in the picture's units (scaled), normalized only when the transform has a fourth channel. */
function alphaValue(pixel: PixelTransform): number {
  return pixel.mean.length >= 4 ? (pixel.scale - pixel.mean[3]) / (pixel.std[3] ?? pixel.std[0]) : pixel.scale;
}

/** Pairs each state input with the output that returns its next value (state → stateN, h → hn, c → cn, h0 → h1 / hn). */
function linkStates(planned: PlannedInput[], outputs: string[]): { input: string; output: string }[] {
  const links: { input: string; output: string }[] = [];
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  for (const p of planned) {
    if (p.role !== 'state') continue;
    const base = norm(p.name).replace(/(0|in)$/, '');
    const match = outputs.find((o) => {
      const n = norm(o);
      return n !== norm(p.name) && (n === `${base}n` || n === `${base}out` || n === `${base}new` || n === `${base}next` || n === `${base}1` || n === `new${base}` || n === `next${base}` || n === `${base}output`);
    });
    if (match) links.push({ input: p.name, output: match });
  }
  return links;
}

/** Fills one batch of a plan. `step` is the chunk index within a stream (streaming plans). */
export function fillInputs(plan: InputPlan, options: { seed: number; step?: number }): Record<string, FeedTensor> {
  const feed: Record<string, FeedTensor> = {};
  for (const p of plan.inputs) {
    const count = p.dims.reduce((a, c) => a * c, 1);
    const random = seededRandom(options.seed * 7919 + hashName(p.name));
    let values: Float32Array | undefined;
    let ints: number[] | undefined;
    switch (p.role) {
      case 'image':
        values = imageBatch(p, options.seed);
        break;
      case 'audio': {
        values = new Float32Array(count);
        const rows = count / p.audio!.length;
        for (let r = 0; r < rows; r++) {
          // Row r is stream r; a streaming plan takes consecutive chunks of it.
          const stream = plan.streaming ? r : options.seed * 131 + r;
          const offset = plan.streaming ? (options.step ?? 0) * p.audio!.length : 0;
          values.set(audioSignal(stream, offset, p.audio!.length, p.audio!.sampleRate), r * p.audio!.length);
        }
        break;
      }
      case 'token-ids': {
        const lo = p.vocab ? Math.min(1000, Math.floor(p.vocab / 2)) : 100;
        const hi = p.vocab ? Math.min(p.vocab, 30000) : 1000;
        ints = Array.from({ length: count }, () => lo + Math.floor(random() * (hi - lo)));
        break;
      }
      case 'attention-mask':
        ints = new Array<number>(count).fill(1);
        break;
      case 'token-type-ids':
      case 'state':
      case 'flag':
        ints = new Array<number>(count).fill(0);
        break;
      case 'position-ids': {
        const t = p.dims[p.dims.length - 1];
        ints = Array.from({ length: count }, (_, i) => i % t);
        break;
      }
      case 'sample-rate':
        ints = new Array<number>(count).fill(p.value ?? 16000);
        break;
      default:
        values = Float32Array.from({ length: count }, () => gaussian(random));
    }
    feed[p.name] = toFeed(p.type, p.dims, values ?? Float32Array.from(ints!));
  }
  return feed;
}

export function toFeed(type: FeedTensor['type'], dims: number[], values: ArrayLike<number>): FeedTensor {
  switch (type) {
    case 'float32':
      return { type, dims, data: values instanceof Float32Array ? values : Float32Array.from(values) };
    case 'float16':
      return { type, dims, data: Uint16Array.from(values, float32ToFloat16Bits) };
    case 'int64':
      return { type, dims, data: BigInt64Array.from(Array.from(values, (v) => BigInt(Math.round(v)))) };
    case 'int32':
      return { type, dims, data: Int32Array.from(values, Math.round) };
    case 'bool':
      return { type, dims, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
  }
}

function hashName(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619) >>> 0;
  return h % 100003;
}

/** One plan line per input, e.g. `x [1, 3, 640, 640]: …`. */
export function describePlan(plan: InputPlan): string {
  return plan.inputs.map((p) => `${p.name} [${p.dims.join(', ')}]: ${p.description}`).join('; ');
}

// ---------------------------------------------------------------------------------------
// Synthetic but realistic values.

function imageBatch(p: PlannedInput, seed: number): Float32Array {
  const img = p.image!;
  const n = p.dims[0];
  const out = new Float32Array(n * img.channels * img.height * img.width);
  for (let b = 0; b < n; b++) writePicture(out, b, img.style === 'text-line' ? textLinePicture(img.height, img.width, seed * 977 + b) : scenePicture(img.height, img.width, seed * 977 + b), img);
  return out;
}

/**
 * Writes one planar RGB picture in [0, 1] (height × width of `img`) as batch row `b` of an
 * image input: the model's channels (grey, RGB, RGBA), layout and pixel normalization.
 */
function writePicture(out: Float32Array, b: number, rgb: Float32Array, img: NonNullable<PlannedInput['image']>): void {
  const hw = img.height * img.width;
  const ch = img.channels;
  const { scale, mean, std } = img.pixel;
  const at = (list: number[], c: number) => list[Math.min(c, list.length - 1)];
  const normalize = (v: number, c: number) => (v * scale - at(mean, c)) / at(std, c);
  // Gray: luminance, normalized with the mean of the channel statistics; alpha: opaque.
  const average = (list: number[]) => list.slice(0, 3).reduce((x, y) => x + y, 0) / Math.min(3, list.length);
  const grayMean = average(mean);
  const grayStd = average(std);
  const alpha = alphaValue(img.pixel);
  for (let c = 0; c < ch; c++) {
    for (let i = 0; i < hw; i++) {
      let v: number;
      if (ch === 1) v = ((0.299 * rgb[i] + 0.587 * rgb[hw + i] + 0.114 * rgb[2 * hw + i]) * scale - grayMean) / grayStd;
      else if (c === 3) v = alpha;
      else v = normalize(rgb[c * hw + i], c);
      if (img.layout === 'nchw') out[(b * ch + c) * hw + i] = v;
      else out[(b * hw + i) * ch + c] = v;
    }
  }
}

/** A planar RGB picture in [0, 1]: smooth gradient background, filled shapes, a few lines of printed characters, mild noise. */
export function scenePicture(h: number, w: number, seed: number): Float32Array {
  const random = seededRandom(seed + 1);
  const hw = h * w;
  const out = new Float32Array(3 * hw);
  const base = [0, 1, 2].map(() => [0.3 + 0.5 * random(), 0.3 * (random() - 0.5), 0.3 * (random() - 0.5)]);
  const waves = [0, 1, 2].map(() => ({ fx: (1 + 3 * random()) / w, fy: (1 + 3 * random()) / h, ph: 6.28 * random() }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const wave = waves.reduce((a, s) => a + 0.06 * Math.sin(6.283 * (s.fx * x + s.fy * y) + s.ph), 0);
      for (let c = 0; c < 3; c++) out[c * hw + y * w + x] = base[c][0] + base[c][1] * (x / w) + base[c][2] * (y / h) + wave;
    }
  }
  const shapes = 3 + Math.floor(random() * 4);
  for (let s = 0; s < shapes; s++) {
    const color = [random(), random(), random()];
    const cx = random() * w;
    const cy = random() * h;
    const rx = (0.05 + 0.2 * random()) * w;
    const ry = (0.05 + 0.2 * random()) * h;
    const ellipse = random() < 0.5;
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(h, Math.ceil(cy + ry)); y++) {
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(w, Math.ceil(cx + rx)); x++) {
        if (ellipse && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) continue;
        for (let c = 0; c < 3; c++) out[c * hw + y * w + x] = 0.85 * color[c] + 0.15 * out[c * hw + y * w + x];
      }
    }
  }
  const lines = 1 + Math.floor(random() * 3);
  for (let l = 0; l < lines; l++) {
    const lh = Math.max(6, Math.round(h * (0.04 + 0.05 * random())));
    const y0 = Math.floor(random() * Math.max(1, h - lh * 2));
    const x0 = Math.floor(random() * w * 0.3);
    const x1 = Math.min(w, x0 + Math.floor(w * (0.3 + 0.5 * random())));
    // A light box with dark glyphs, like a sign or a printed line.
    for (let y = y0; y < Math.min(h, y0 + lh * 1.6); y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) out[c * hw + y * w + x] = 0.92;
    glyphs(out, h, w, Math.round(y0 + lh * 0.3), lh, x0 + 2, x1 - 2, random, 0.08);
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i] + 0.02 * (random() - 0.5)));
  return out;
}

/** A text-line crop: light paper, a line of dark printed characters (5×7 bitmap font) filling most of the height. */
export function textLinePicture(h: number, w: number, seed: number): Float32Array {
  const random = seededRandom(seed + 5);
  const hw = h * w;
  const out = new Float32Array(3 * hw);
  const paper = 0.85 + 0.1 * random();
  for (let i = 0; i < hw; i++) for (let c = 0; c < 3; c++) out[c * hw + i] = paper - 0.05 * (i % w) / w;
  const lh = Math.round(h * (0.55 + 0.2 * random()));
  const y0 = Math.floor((h - lh) / 2);
  glyphs(out, h, w, y0, lh, Math.floor(w * 0.03), Math.floor(w * (0.6 + 0.37 * random())), random, 0.1 + 0.1 * random());
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1, Math.max(0, out[i] + 0.02 * (random() - 0.5)));
  return out;
}

/** Digits 0-9 and capitals A-Z as 5×7 bitmaps (one number per row, bit 4 = leftmost column), drawn for this project. */
const FONT_5X7: readonly (readonly number[])[] = [
  [14, 17, 19, 21, 25, 17, 14],
  [4, 12, 4, 4, 4, 4, 14],
  [14, 17, 1, 2, 4, 8, 31],
  [31, 2, 4, 2, 1, 17, 14],
  [2, 6, 10, 18, 31, 2, 2],
  [31, 16, 30, 1, 1, 17, 14],
  [6, 8, 16, 30, 17, 17, 14],
  [31, 1, 2, 4, 8, 8, 8],
  [14, 17, 17, 14, 17, 17, 14],
  [14, 17, 17, 15, 1, 2, 12],
  [14, 17, 17, 31, 17, 17, 17],
  [30, 17, 17, 30, 17, 17, 30],
  [14, 17, 16, 16, 16, 17, 14],
  [28, 18, 17, 17, 17, 18, 28],
  [31, 16, 16, 30, 16, 16, 31],
  [31, 16, 16, 30, 16, 16, 16],
  [14, 17, 16, 23, 17, 17, 15],
  [17, 17, 17, 31, 17, 17, 17],
  [14, 4, 4, 4, 4, 4, 14],
  [7, 2, 2, 2, 2, 18, 12],
  [17, 18, 20, 24, 20, 18, 17],
  [16, 16, 16, 16, 16, 16, 31],
  [17, 27, 21, 21, 17, 17, 17],
  [17, 17, 25, 21, 19, 17, 17],
  [14, 17, 17, 17, 17, 17, 14],
  [30, 17, 17, 30, 16, 16, 16],
  [14, 17, 17, 17, 21, 18, 13],
  [30, 17, 17, 30, 20, 18, 17],
  [15, 16, 16, 14, 1, 1, 30],
  [31, 4, 4, 4, 4, 4, 4],
  [17, 17, 17, 17, 17, 17, 14],
  [17, 17, 17, 17, 17, 10, 4],
  [17, 17, 17, 21, 21, 21, 10],
  [17, 17, 10, 4, 10, 17, 17],
  [17, 17, 17, 10, 4, 4, 4],
  [31, 1, 2, 4, 8, 16, 31],
];

/** Draws a line of words in the 5×7 font, scaled to `lh` pixels high, between x0 and x1. */
function glyphs(out: Float32Array, h: number, w: number, y0: number, lh: number, x0: number, x1: number, random: () => number, ink: number): void {
  const hw = h * w;
  const cw = Math.max(5, Math.round((lh * 5) / 7));
  const gap = Math.max(1, Math.round(cw * 0.3));
  let x = x0;
  let wordLeft = 2 + Math.floor(random() * 6);
  while (x + cw <= x1) {
    if (wordLeft === 0) {
      x += cw; // a space between words
      wordLeft = 2 + Math.floor(random() * 6);
      continue;
    }
    const glyph = FONT_5X7[Math.floor(random() * FONT_5X7.length)];
    for (let y = Math.max(0, y0); y < Math.min(h, y0 + lh); y++) {
      const row = glyph[Math.min(6, Math.floor(((y - y0) * 7) / lh))];
      for (let xx = x; xx < Math.min(w, x + cw); xx++) {
        const col = Math.min(4, Math.floor(((xx - x) * 5) / cw));
        if (row & (16 >> col)) for (let c = 0; c < 3; c++) out[c * hw + y * w + xx] = ink;
      }
    }
    x += cw + gap;
    wordLeft--;
  }
}

/**
 * A deterministic band-limited signal for stream `stream`, samples [offset, offset + length):
 * 0.15-0.5 s segments of silence (noise at 1e-4), voiced bursts (fundamental 90-260 Hz with
 * decaying harmonics and a syllable-rate envelope) and low-passed noise bursts, at most ±0.5.
 */
export function audioSignal(stream: number, offset: number, length: number, sampleRate: number): Float32Array {
  const out = new Float32Array(length);
  const random = seededRandom(stream * 104729 + 17);
  let start = 0;
  let lp = 0;
  const end = offset + length;
  while (start < end) {
    const seg = Math.round(sampleRate * (0.15 + 0.35 * random()));
    const pick = random();
    const kind = pick < 0.4 ? 'silence' : pick < 0.8 ? 'voiced' : 'noise';
    const f0 = 90 + 170 * random();
    const amp = 0.15 + 0.3 * random();
    const segRandom = seededRandom(stream * 7 + start);
    for (let i = 0; i < seg; i++) {
      const t = start + i;
      const noise = segRandom() * 2 - 1;
      if (kind === 'noise') lp += 0.3 * (noise - lp);
      if (t < offset || t >= end) continue;
      let v: number;
      if (kind === 'silence') v = 1e-4 * noise;
      else if (kind === 'voiced') {
        const env = Math.sin((Math.PI * i) / seg) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * i) / sampleRate));
        let s = 0;
        for (let k = 1; k <= 6; k++) s += Math.sin((2 * Math.PI * f0 * k * t) / sampleRate) / k;
        v = amp * env * s * 0.5 + 0.003 * noise;
      } else {
        v = amp * Math.sin((Math.PI * i) / seg) * lp;
      }
      out[t - offset] = Math.max(-0.5, Math.min(0.5, v));
    }
    start += seg;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// User-supplied sample inputs (--inputs FILE / inputsPath).

/** Largest sample-inputs file read. */
const MAX_SAMPLE_FILE_BYTES = 512 * 2 ** 20;

export interface SampleInputs {
  /** One feed per sample, in file order. */
  batches: Record<string, FeedTensor>[];
  description: string;
  /** Inputs the file did not give, generated from the plan (e.g. a zero state, the sample rate). */
  generated: string[];
}

interface RawTensor {
  dims: number[];
  type?: string;
  values: ArrayLike<number> | BigInt64Array;
  origin: string;
}

function badInputs(path: string, why: string, hint = 'Give { "<input name>": { "dims": [...], "type": "float32", "data": [...] } } (or a nested array per input; a list of such objects for several samples), or a .npy (single-input models) / .npz file.'): EngineError {
  return new EngineError('badRequest', `Sample inputs ${path}: ${why}.`, hint);
}

/** Rectangular nested arrays → dims and flat values. */
function flattenNested(value: unknown, path: string, name: string): { dims: number[]; values: number[] } {
  const dims: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    dims.push(probe.length);
    probe = probe[0];
  }
  const values: number[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth === dims.length) {
      const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw badInputs(path, `input "${name}" holds ${JSON.stringify(v)?.slice(0, 40)}, not a finite number`);
      values.push(n);
      return;
    }
    if (!Array.isArray(v) || v.length !== dims[depth]) throw badInputs(path, `input "${name}" is not a rectangular array (axis ${depth} should have ${dims[depth]} entries)`);
    for (const x of v) walk(x, depth + 1);
  };
  walk(value, 0);
  return { dims, values };
}

function rawFromJson(entry: unknown, path: string, name: string): RawTensor {
  if (Array.isArray(entry) || typeof entry === 'number') {
    const { dims, values } = flattenNested(entry, path, name);
    return { dims, values, origin: 'nested array' };
  }
  if (entry && typeof entry === 'object') {
    const o = entry as { dims?: unknown; shape?: unknown; type?: unknown; dtype?: unknown; data?: unknown };
    const dimsValue = o.dims ?? o.shape;
    if (!Array.isArray(dimsValue) || !dimsValue.every((d) => Number.isInteger(d) && (d as number) >= 0)) throw badInputs(path, `input "${name}" needs "dims", a list of sizes`);
    const type = o.type ?? o.dtype;
    if (type !== undefined && typeof type !== 'string') throw badInputs(path, `input "${name}" has a "type" that is not a string`);
    const { values } = flattenNested(o.data, path, name);
    return { dims: dimsValue as number[], ...(type ? { type } : {}), values, origin: 'JSON' };
  }
  throw badInputs(path, `input "${name}" is neither an array nor { dims, type, data }`);
}

const NUMPY_TO_FEED: Record<string, FeedTensor['type']> = { float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32', bool: 'bool' };

/**
 * Reads sample inputs for a model from JSON, .npy or .npz and checks them against the
 * model's inputs (names, rank, static dimensions, type, size). Inputs the file leaves out
 * are generated when the plan can fill them (state, sample rate, masks), else refused.
 */
export async function loadSampleInputs(path: string, inputs: InputInfo[], options: { hints?: ModelHints; outputNames?: string[] } = {}): Promise<SampleInputs> {
  let size: number;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new EngineError('badRequest', `The sample inputs path ${path} is a folder.`, 'Pass a .json, .npy or .npz file.');
    if (!st.isFile()) throw new EngineError('badRequest', `The sample inputs path ${path} is not a regular file: it is ${specialKind(st)}.`, 'Pass a .json, .npy or .npz file.');
    size = st.size;
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('notFound', `No sample inputs file at ${path}.`, 'Check the --inputs path.');
  }
  if (size === 0) throw new EngineError('badRequest', `The sample inputs file ${path} is empty.`, 'Pass a .json, .npy or .npz file with at least one sample.');
  if (size > MAX_SAMPLE_FILE_BYTES) throw new EngineError('tooLarge', `Sample inputs ${path} are ${(size / 2 ** 20).toFixed(0)} MiB; at most ${MAX_SAMPLE_FILE_BYTES / 2 ** 20} MiB is read.`, 'A few representative samples are enough: pass fewer.');
  const bytes = new Uint8Array(await readFile(path));
  const samples: Map<string, RawTensor>[] = [];
  const lower = path.toLowerCase();
  const fromNumpy = (a: NpyArray, origin: string): RawTensor => ({ dims: a.shape, type: a.dtype, values: a.dtype === 'float16' ? Float32Array.from(a.data as Uint16Array, float16BitsToFloat32) : a.data, origin });
  let mediaNote: string | undefined;
  if (isPng(bytes) || lower.endsWith('.png')) {
    const media = imageSample(bytes, path, inputs, options);
    samples.push(media.sample);
    mediaNote = media.note;
  } else if (/\.(jpe?g|jfif)$/.test(lower) || (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) {
    throw new EngineError('unsupported', `unsupported: ${path} is a JPEG image; the engine decodes PNG images only (it ships no JPEG decoder).`, 'Convert it to PNG (e.g. `convert photo.jpg photo.png`, or Export as PNG in any image editor) and pass that.');
  } else if (lower.endsWith('.wav') || (bytes.length >= 12 && String.fromCharCode(...bytes.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...bytes.subarray(8, 12)) === 'WAVE')) {
    const media = audioSamples(bytes, path, inputs, options);
    samples.push(...media.samples);
    mediaNote = media.note;
  } else if (lower.endsWith('.npy')) {
    // One array: the model's only input, or its only input that is not a state or sample rate (filled below).
    const free = inputs.length === 1 ? inputs : inputs.filter((i) => !['state', 'sample-rate'].includes(roleOf(i, true) ?? ''));
    if (free.length !== 1) throw badInputs(path, `a .npy file holds one array, but the model takes ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')})`, 'Use a .npz file (numpy.savez(path, name=array, …)) or JSON naming each input.');
    const a = parseNpy(bytes, path, { maxElements: MAX_INPUT_ELEMENTS });
    samples.push(new Map([[free[0].name, fromNumpy(a, `.npy ${a.dtype}`)]]));
  } else if (lower.endsWith('.npz')) {
    const sample = new Map<string, RawTensor>();
    for (const [name, a] of parseNpz(bytes, path, { maxElements: MAX_INPUT_ELEMENTS })) sample.set(name, fromNumpy(a, `.npz ${a.dtype}`));
    samples.push(sample);
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw badInputs(path, `not valid JSON (${errorMessage(error)}); use .json, .npy, .npz, a .png image or a .wav recording`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (list.length === 0) throw badInputs(path, 'the list of samples is empty');
    list.forEach((s, i) => {
      if (!s || typeof s !== 'object' || Array.isArray(s)) throw badInputs(path, `sample ${i + 1} is not an object of named inputs`);
      samples.push(new Map(Object.entries(s as Record<string, unknown>).map(([name, entry]) => [name, rawFromJson(entry, path, name)])));
    });
  }

  const byName = new Map(inputs.map((i) => [i.name, i]));
  const batches: Record<string, FeedTensor>[] = [];
  const converted = new Set<string>();
  const generated = new Set<string>();
  let shapes = '';
  for (const [index, sample] of samples.entries()) {
    const feed: Record<string, FeedTensor> = {};
    const where = samples.length > 1 ? ` (sample ${index + 1})` : '';
    if (sample.size === 0) throw badInputs(path, `${samples.length > 1 ? `sample ${index + 1}` : lower.endsWith('.npz') ? 'the archive' : 'the sample'} holds no arrays, so there is nothing to measure on`, `Give at least one of the model's inputs (${inputs.map((i) => i.name).join(', ')}) with at least one value.`);
    for (const [name, raw] of sample) {
      const input = byName.get(name);
      if (!input) throw badInputs(path, `"${name}"${where} is not an input of the model; its inputs are ${inputs.map((i) => `${i.name} ${i.type}[${i.shape.map((d) => (isSymbolic(d) ? d || '?' : d)).join(', ')}]`).join(', ')}`, 'Name each array after a model input (see `pepperpy-opt model inspect`).');
      if (raw.dims.length !== input.shape.length) throw badInputs(path, `input "${name}"${where} has rank ${raw.dims.length} ([${raw.dims.join(', ')}]); the model declares rank ${input.shape.length} ([${input.shape.map((d) => (isSymbolic(d) ? d || '?' : d)).join(', ')}])`, 'Reshape the array to the declared rank (add the batch axis if it is missing).');
      input.shape.forEach((d, axis) => {
        if (!isSymbolic(d) && d !== raw.dims[axis]) throw badInputs(path, `input "${name}"${where} has size ${raw.dims[axis]} on axis ${axis}; the model declares ${d}`, 'Resize the sample to the declared shape.');
      });
      const empty = raw.dims.findIndex((d) => d === 0);
      if (empty >= 0) throw badInputs(path, `input "${name}"${where} has size 0 on axis ${empty} ([${raw.dims.join(', ')}]): an empty sample measures nothing`, 'Give each input at least one value along every axis.');
      const count = raw.dims.reduce((a, c) => a * c, 1);
      if (count > MAX_INPUT_ELEMENTS) throw new EngineError('tooLarge', `Sample inputs ${path}: input "${name}"${where} has ${count.toExponential(2)} values; at most ${MAX_INPUT_ELEMENTS.toExponential(0)} per input.`, 'Pass smaller samples (fewer per batch).');
      if (raw.values.length !== count) throw badInputs(path, `input "${name}"${where} has ${raw.values.length} values; dims [${raw.dims.join(', ')}] need ${count}`);
      const want = feedType(input);
      if (!want) throw badInputs(path, `the model's input "${name}" has type ${input.type}, which cannot be fed`);
      const have: string = raw.type ? (NUMPY_TO_FEED[raw.type] ?? raw.type) : want;
      const compatible = have === want || (raw.origin.startsWith('.np') && ((have === 'float64' && (want === 'float32' || want === 'float16')) || (/^u?int/.test(have) && /^int/.test(want)) || (have === 'float32' && want === 'float16')));
      if (!compatible) throw badInputs(path, `input "${name}"${where} is ${have}; the model takes ${want}`, `Save it as ${want} (numpy: array.astype("${want}")), or give "type": "${want}" in JSON.`);
      if (have !== want) converted.add(`${name} ${have} → ${want}`);
      const values = raw.values instanceof BigInt64Array ? Array.from(raw.values, Number) : raw.values;
      feed[name] = want === 'int64' && raw.values instanceof BigInt64Array ? { type: 'int64', dims: raw.dims, data: raw.values } : toFeed(want, raw.dims, values);
    }
    const missing = inputs.filter((i) => !(i.name in feed));
    if (missing.length > 0) {
      const batch = Object.values(feed)[0]?.dims[0] ?? 1;
      let plan: InputPlan;
      try {
        plan = planInputs(missing, { batchSize: Math.max(1, batch), hints: options.hints, outputNames: options.outputNames });
      } catch (error) {
        const names = missing.map((i) => i.name).join(', ');
        throw badInputs(path, `it does not give ${names}${where}, and ${error instanceof EngineError ? error.message.replace(/\.$/, '') : 'they cannot be generated'}`, `Add ${names} to the file.`);
      }
      Object.assign(feed, fillInputs(plan, { seed: 11 + index }));
      for (const p of plan.inputs) generated.add(`${p.name}: ${p.description}`);
    }
    batches.push(feed);
    if (index === 0) shapes = Object.entries(feed).map(([n, f]) => `${n} [${f.dims.join(', ')}]`).join(', ');
  }
  const parts = [`${samples.length} sample${samples.length === 1 ? '' : 's'} from ${path} (${shapes}${samples.length > 1 ? ' in the first' : ''})`];
  if (mediaNote) parts.push(mediaNote);
  if (converted.size > 0) parts.push(`converted ${[...converted].join(', ')}`);
  if (generated.size > 0) parts.push(`generated ${[...generated].join('; ')}`);
  return { batches, description: parts.join('; '), generated: [...generated] };
}

// ---------------------------------------------------------------------------------------
// Images and audio as sample inputs.

/** Most samples cut from one recording (e.g. 256 × 512 samples = 8.2 s at 16 kHz). */
export const MAX_AUDIO_SAMPLES = 256;
/** WAV sample rates taken (telephony-grade to studio 768 kHz); anything else is a broken header. */
const MIN_AUDIO_RATE = 1000;
const MAX_AUDIO_RATE = 768_000;

/** The plan of the model's inputs at batch 1, and the one input of `role` (refused when there is none, or several). */
function mediaTarget(path: string, inputs: InputInfo[], options: { hints?: ModelHints; outputNames?: string[] }, role: 'image' | 'audio'): { plan: InputPlan; planned: PlannedInput; input: InputInfo } {
  const plan = planInputs(inputs, { batchSize: 1, hints: options.hints, outputNames: options.outputNames });
  const matches = plan.inputs.filter((p) => p.role === role);
  const list = inputs.map((i) => `${i.name} ${i.type}[${i.shape.map((d) => (isSymbolic(d) ? d || '?' : d)).join(', ')}]`).join(', ');
  const what = role === 'image' ? 'A PNG image' : 'A WAV recording';
  if (matches.length === 0) throw badInputs(path, `${what} feeds a model's ${role} input, but none of this model's inputs is one (${list})`, 'Pass the inputs as JSON, .npy or .npz instead.');
  if (matches.length > 1) throw badInputs(path, `${what} feeds one ${role} input, but this model takes ${matches.length} (${matches.map((m) => m.name).join(', ')})`, 'Pass every input in one .npz or JSON file instead.');
  return { plan, planned: matches[0], input: inputs.find((i) => i.name === matches[0].name)! };
}

/** A PNG as one sample of the model's image input. */
function imageSample(bytes: Uint8Array, path: string, inputs: InputInfo[], options: { hints?: ModelHints; outputNames?: string[] }): { sample: Map<string, RawTensor>; note: string } {
  const { planned, input } = mediaTarget(path, inputs, options, 'image');
  const picture = decodePng(bytes, `Sample input ${path}`);
  const img = { ...planned.image! };
  const dims = [...planned.dims];
  const wAxis = img.layout === 'nchw' ? 3 : 2;
  let fit = 'stretched';
  if (img.style === 'text-line' && isSymbolic(input.shape[wAxis])) {
    // A text line keeps its aspect ratio at the planned height (the width is the model's to take).
    img.width = Math.max(8, Math.min(4 * img.width, Math.round((picture.width * img.height) / picture.height)));
    dims[wAxis] = img.width;
    fit = 'aspect ratio kept (a text line; the width is free)';
  }
  const rgb = resizeBilinear(picture, img.width, img.height);
  const rows = dims[0];
  const values = new Float32Array(rows * img.channels * img.height * img.width);
  // A static batch larger than 1 gets the picture in every row.
  for (let b = 0; b < rows; b++) writePicture(values, b, rgb, img);
  const { how } = imageNormalization(input, options.hints ?? { fileName: '', metadata: {}, docs: {}, vocab: {} }, (options.hints?.fileName ?? '').toLowerCase(), img.style);
  const note = `${input.name}: the ${picture.format} PNG of ${picture.width}×${picture.height} px resized (bilinear) to ${img.width}×${img.height} px, ${fit}, ${how}${rows > 1 ? `, repeated in each of the ${rows} rows of the declared batch` : ''}`;
  return { sample: new Map([[input.name, { dims, values, origin: 'PNG' }]]), note };
}

/** A WAV recording as samples of the model's audio input: consecutive chunks of the planned length, or the whole clip when the length is free. */
function audioSamples(bytes: Uint8Array, path: string, inputs: InputInfo[], options: { hints?: ModelHints; outputNames?: string[] }): { samples: Map<string, RawTensor>[]; note: string } {
  const { plan, planned, input } = mediaTarget(path, inputs, options, 'audio');
  const audio = decodeWav(bytes, `Sample input ${path}`);
  if (audio.sampleRate < MIN_AUDIO_RATE || audio.sampleRate > MAX_AUDIO_RATE) throw new EngineError('badRequest', `Sample input ${path} says it is recorded at ${audio.sampleRate.toLocaleString('en-US')} Hz; audio sample rates are between ${MIN_AUDIO_RATE.toLocaleString('en-US')} and ${MAX_AUDIO_RATE.toLocaleString('en-US')} Hz, so its header is wrong.`, 'Save the audio again as a 16-bit PCM WAV at its real rate (e.g. ffmpeg -i in.ext -acodec pcm_s16le -ar 16000 out.wav).');
  const rate = planned.audio!.sampleRate;
  const last = planned.dims.length - 1;
  const rows = planned.dims.slice(0, last).reduce((a, d) => a * d, 1);
  // Only what is fed is resampled: the whole clip can be far longer (or a low rate far larger once resampled).
  const fullLength = audio.sampleRate === rate ? audio.samples.length : Math.max(1, Math.round((audio.samples.length * rate) / audio.sampleRate));
  const wholeClip = !plan.streaming && isSymbolic(input.shape[last]);
  const signal = resampleLinear(audio.samples, audio.sampleRate, rate, wholeClip ? Math.floor(MAX_INPUT_ELEMENTS / rows) : rows * planned.dims[last] * MAX_AUDIO_SAMPLES);
  const how = `${audio.channels === 1 ? 'mono' : `${audio.channels} channels averaged to mono`}, 16-bit PCM ÷ 32768${audio.sampleRate !== rate ? `, resampled (linear) from ${audio.sampleRate} to ${rate} Hz` : ` at ${rate} Hz`}`;
  if (wholeClip) {
    // The length is the model's to take: the whole recording, one row (repeated over a declared batch).
    const length = Math.min(signal.length, Math.floor(MAX_INPUT_ELEMENTS / rows));
    const values = new Float32Array(rows * length);
    for (let r = 0; r < rows; r++) values.set(signal.subarray(0, length), r * length);
    const dims = [...planned.dims];
    dims[last] = length;
    const cut = length < fullLength ? `, the first ${length} of ${fullLength} samples` : '';
    return { samples: [new Map([[input.name, { dims, values, origin: 'WAV' }]])], note: `${input.name}: the WAV recording of ${(audio.samples.length / audio.sampleRate).toFixed(2)} s, whole (${length} samples${cut}), ${how}` };
  }
  const chunk = planned.dims[last];
  const perSample = rows * chunk;
  const available = Math.max(1, Math.ceil(fullLength / perSample));
  const count = Math.min(available, MAX_AUDIO_SAMPLES);
  const samples: Map<string, RawTensor>[] = [];
  for (let s = 0; s < count; s++) {
    const values = new Float32Array(perSample);
    // The last chunk is zero-padded to the model's length.
    values.set(signal.subarray(s * perSample, Math.min(signal.length, (s + 1) * perSample)));
    samples.push(new Map([[input.name, { dims: [...planned.dims], values, origin: 'WAV' }]]));
  }
  const kept = count < available ? ` (the first ${count} of ${available}: at most ${MAX_AUDIO_SAMPLES})` : '';
  const note = `${input.name}: the WAV recording of ${(audio.samples.length / audio.sampleRate).toFixed(2)} s cut into ${count} consecutive chunk${count === 1 ? '' : 's'} of ${perSample} samples${kept}${plan.streaming ? ', one per run, state carried' : ''}, ${how}`;
  return { samples, note };
}
