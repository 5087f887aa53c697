/**
 * Images and audio as sample inputs (`--inputs photo.png`, `--inputs speech.wav`), decoded
 * without native code or new dependencies: PNG's deflate stream with node:zlib, PCM WAV by
 * hand. Sizes are checked from the headers before anything large is allocated or inflated.
 *
 * PNG: every colour type (grey, RGB, palette, grey + alpha, RGBA) at every bit depth the
 * format allows, non-interlaced; alpha is dropped (the colour stored under it is used).
 * WAV: integer PCM at 16 bits (format 1, or WAVE_FORMAT_EXTENSIBLE holding PCM), any number
 * of channels (averaged to mono).
 */
import { inflateSync } from 'node:zlib';
import { EngineError, errorMessage } from '../../protocol/errors';

/** Largest image decoded, in pixels (8192 × 8192). */
export const MAX_IMAGE_PIXELS = 8192 * 8192;

export interface DecodedImage {
  width: number;
  height: number;
  /** Planar RGB in [0, 1]: R plane, G plane, B plane, each height × width, row-major. */
  rgb: Float32Array;
  /** What the file held, e.g. "RGBA 8-bit". */
  format: string;
}

export interface DecodedAudio {
  sampleRate: number;
  channels: number;
  /** Mono samples in [−1, 1): integer PCM ÷ 32768, channels averaged. */
  samples: Float32Array;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const COLOR_TYPES: Record<number, { name: string; channels: number; depths: number[] }> = {
  0: { name: 'grey', channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { name: 'RGB', channels: 3, depths: [8, 16] },
  3: { name: 'palette', channels: 1, depths: [1, 2, 4, 8] },
  4: { name: 'grey + alpha', channels: 2, depths: [8, 16] },
  6: { name: 'RGBA', channels: 4, depths: [8, 16] },
};

function badImage(label: string, why: string): EngineError {
  return new EngineError('badRequest', `${label} is not a readable PNG image: ${why}.`, 'Save the image as a PNG (any colour type, not interlaced).');
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

/** Decodes a PNG file (see the module comment) into planar RGB in [0, 1]. */
export function decodePng(bytes: Uint8Array, label: string): DecodedImage {
  if (!isPng(bytes)) throw badImage(label, 'it does not start with the PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: { width: number; height: number; depth: number; colorType: number } | undefined;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let ended = false;
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) throw badImage(label, `chunk ${type} runs past the end of the file (truncated?)`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      if (length < 13) throw badImage(label, 'its IHDR chunk is too short');
      const d = new DataView(data.buffer, data.byteOffset, data.byteLength);
      header = { width: d.getUint32(0), height: d.getUint32(4), depth: data[8], colorType: data[9] };
      const kind = COLOR_TYPES[header.colorType];
      if (!kind) throw badImage(label, `colour type ${header.colorType} does not exist`);
      if (!kind.depths.includes(header.depth)) throw badImage(label, `bit depth ${header.depth} is not allowed for ${kind.name}`);
      if (data[10] !== 0 || data[11] !== 0) throw badImage(label, `compression ${data[10]} / filter method ${data[11]} are not PNG's`);
      if (data[12] !== 0) throw new EngineError('unsupported', `unsupported: ${label} is an interlaced (Adam7) PNG, which is not decoded.`, 'Save it without interlacing (most editors: "interlaced" off).');
      if (header.width === 0 || header.height === 0) throw badImage(label, `it is ${header.width}×${header.height} pixels`);
      if (header.width * header.height > MAX_IMAGE_PIXELS) throw new EngineError('tooLarge', `${label} is ${header.width}×${header.height} pixels; at most ${MAX_IMAGE_PIXELS.toLocaleString('en-US')} pixels are decoded.`, 'Pass a smaller image: it is resized to the model\'s input size anyway.');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    at += 12 + length;
  }
  if (!header) throw badImage(label, 'it has no IHDR chunk');
  if (idat.length === 0) throw badImage(label, 'it has no image data (IDAT)');
  if (!ended) throw badImage(label, 'it has no IEND chunk (truncated?)');
  const { width, height, depth, colorType } = header;
  const kind = COLOR_TYPES[colorType];
  if (colorType === 3 && (!palette || palette.length % 3 !== 0)) throw badImage(label, 'a palette image without a valid PLTE chunk');
  const bitsPerPixel = kind.channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel / 8);
  const expected = height * (stride + 1);
  let raw: Buffer;
  try {
    // Inflating stops at the size the header promises: a deflate bomb cannot grow past it.
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected + 1 });
  } catch (error) {
    throw badImage(label, `its image data does not inflate (${errorMessage(error)})`);
  }
  if (raw.length < expected) throw badImage(label, `its image data has ${raw.length} bytes; ${width}×${height} needs ${expected}`);
  // Undo the per-row filters (PNG spec, section 9), in place into `rows`.
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? rows[row + x - bpp] : 0;
      const b = y > 0 ? rows[row - stride + x] : 0;
      const c = x >= bpp && y > 0 ? rows[row - stride + x - bpp] : 0;
      let predictor: number;
      switch (filter) {
        case 0: predictor = 0; break;
        case 1: predictor = a; break;
        case 2: predictor = b; break;
        case 3: predictor = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw badImage(label, `row ${y} has filter type ${filter}, which does not exist`);
      }
      rows[row + x] = (raw[src + x] + predictor) & 0xff;
    }
  }
  const max = 2 ** depth - 1;
  const sample = (y: number, index: number): number => {
    // The index-th sample of row y (samples are big-endian, sub-byte ones packed from the high bit).
    if (depth === 8) return rows[y * stride + index];
    if (depth === 16) return (rows[y * stride + 2 * index] << 8) | rows[y * stride + 2 * index + 1];
    const bit = index * depth;
    return (rows[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & max;
  };
  const plane = width * height;
  const rgb = new Float32Array(3 * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (colorType === 3) {
        const k = sample(y, x);
        if (3 * k + 2 >= palette!.length) throw badImage(label, `pixel ${x},${y} uses palette entry ${k}, past the ${palette!.length / 3} entries`);
        for (let c = 0; c < 3; c++) rgb[c * plane + i] = palette![3 * k + c] / 255;
      } else if (kind.channels <= 2) {
        const v = sample(y, x * kind.channels) / max;
        rgb[i] = v;
        rgb[plane + i] = v;
        rgb[2 * plane + i] = v;
      } else {
        for (let c = 0; c < 3; c++) rgb[c * plane + i] = sample(y, x * kind.channels + c) / max;
      }
    }
  }
  return { width, height, rgb, format: `${kind.name} ${depth}-bit` };
}

/**
 * Bilinear resize of planar RGB with pixel centres aligned (OpenCV's INTER_LINEAR:
 * source = (x + 0.5)·in/out − 0.5, clamped to the edge).
 */
export function resizeBilinear(image: { width: number; height: number; rgb: Float32Array }, width: number, height: number): Float32Array {
  const out = new Float32Array(3 * width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  const inPlane = image.width * image.height;
  const outPlane = width * height;
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
      for (let c = 0; c < 3; c++) {
        const p = image.rgb.subarray(c * inPlane, (c + 1) * inPlane);
        const top = (1 - wx) * p[y0 * image.width + x0] + wx * p[y0 * image.width + x1];
        const bottom = (1 - wx) * p[y1 * image.width + x0] + wx * p[y1 * image.width + x1];
        out[c * outPlane + y * width + x] = (1 - wy) * top + wy * bottom;
      }
    }
  }
  return out;
}

function badAudio(label: string, why: string): EngineError {
  return new EngineError('badRequest', `${label} is not a readable WAV file: ${why}.`, 'Save the audio as a 16-bit PCM WAV (e.g. ffmpeg -i in.ext -acodec pcm_s16le out.wav).');
}

/** Decodes a 16-bit integer PCM WAV (any channel count, averaged to mono). */
export function decodeWav(bytes: Uint8Array, label: string): DecodedAudio {
  const text = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') throw badAudio(label, 'it does not start with RIFF … WAVE');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: { channels: number; sampleRate: number; bits: number; blockAlign: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = text(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ') {
      if (size < 16 || at + 8 + 16 > bytes.length) throw badAudio(label, 'its fmt chunk is too short');
      let tag = view.getUint16(at + 8, true);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (tag === 0xfffe && size >= 40 && at + 8 + 26 <= bytes.length) tag = view.getUint16(at + 8 + 24, true);
      const channels = view.getUint16(at + 10, true);
      const sampleRate = view.getUint32(at + 12, true);
      const blockAlign = view.getUint16(at + 20, true);
      const bits = view.getUint16(at + 22, true);
      if (tag !== 1 || bits !== 16) throw new EngineError('unsupported', `unsupported: ${label} holds ${tag === 3 ? `${bits}-bit float` : tag === 1 ? `${bits}-bit integer PCM` : `format ${tag} (compressed)`} audio; 16-bit integer PCM is decoded.`, 'Convert it: ffmpeg -i in.wav -acodec pcm_s16le out.wav');
      if (channels === 0 || sampleRate === 0 || blockAlign !== channels * 2) throw badAudio(label, `its fmt chunk says ${channels} channels at ${sampleRate} Hz, ${blockAlign} bytes per frame`);
      format = { channels, sampleRate, bits, blockAlign };
    } else if (id === 'data') {
      if (!format) throw badAudio(label, 'its data chunk comes before the fmt chunk');
      // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what the file holds.
      const available = bytes.length - (at + 8);
      const length = size === 0 || size > available ? available : size;
      const frames = Math.floor(length / format.blockAlign);
      if (frames === 0) throw badAudio(label, 'its data chunk holds no samples');
      const samples = new Float32Array(frames);
      for (let f = 0; f < frames; f++) {
        let sum = 0;
        for (let c = 0; c < format.channels; c++) sum += view.getInt16(at + 8 + f * format.blockAlign + 2 * c, true);
        samples[f] = sum / format.channels / 32768;
      }
      return { sampleRate: format.sampleRate, channels: format.channels, samples };
    }
    at += 8 + size + (size & 1);
  }
  throw badAudio(label, format ? 'it has no data chunk' : 'it has no fmt chunk');
}

/** Linear-interpolation resampling from one rate to another (enough to measure a model on; not a studio resampler), at most `maxLength` samples of the result. */
export function resampleLinear(samples: Float32Array, from: number, to: number, maxLength = Infinity): Float32Array {
  if (from === to) return samples.length > maxLength ? samples.subarray(0, maxLength) : samples;
  const length = Math.min(maxLength, Math.max(1, Math.round((samples.length * to) / from)));
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    const t = (i * from) / to;
    const i0 = Math.min(Math.floor(t), samples.length - 1);
    const i1 = Math.min(i0 + 1, samples.length - 1);
    const w = t - i0;
    out[i] = (1 - w) * samples[i0] + w * samples[i1];
  }
  return out;
}
