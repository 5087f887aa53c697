#!/usr/bin/env node
// Rebuilds test/fixtures/models/corpus/samples/speech.wav (16 kHz, 16-bit mono PCM) from two real
// recordings in Debian's pocketsphinx-testdata package (BSD-2-Clause, CMU Sphinx; the LibriVox
// reading is public domain):
//
//   apt-get download pocketsphinx-testdata && dpkg -x pocketsphinx-testdata_*.deb /tmp/ps
//   node scripts/models/make-speech-sample.mjs /tmp/ps/usr/share/pocketsphinx/test/data
//
// Layout (the VAD tests rely on it): [0, 2.79 s) goforward.raw ("go forward ten meters", with its
// own room-noise lead-in and tail), [2.79, 4.29 s) that recording's first 0.5 s of room noise
// three times (real non-speech), [4.29, 7.28 s) LibriVox "Sense and Sensibility" clip 0880.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: make-speech-sample.mjs <pocketsphinx test/data folder>\n');
  process.exit(2);
}
const expected = {
  'goforward.raw': 'f15c60ec54059d8b66e410d0064945a0b0a04ea56e1ddca1958e493c0cf70e71',
  'librivox/sense_and_sensibility_01_austen_64kb-0880.wav': 'fbec491ef00ee734a67f0ee318e98c51c157b479e1629ff4f4426861ecac0414',
};
function load(name) {
  const bytes = readFileSync(join(dataDir, name));
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== expected[name]) throw new Error(`${name}: sha256 ${sha}, expected ${expected[name]}`);
  const offset = name.endsWith('.wav') ? 44 : 0; // canonical 44-byte header, 16 kHz mono s16le (checked by hand)
  return new Int16Array(bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length));
}
const speech1 = load('goforward.raw');
const speech2 = load('librivox/sense_and_sensibility_01_austen_64kb-0880.wav');
const noise = speech1.subarray(0, 8000);
const pcm = new Int16Array(speech1.length + 3 * noise.length + speech2.length);
let at = 0;
for (const part of [speech1, noise, noise, noise, speech2]) {
  pcm.set(part, at);
  at += part.length;
}
const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + pcm.length * 2, 4);
header.write('WAVE', 8);
header.write('fmt ', 12);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20); // PCM
header.writeUInt16LE(1, 22); // mono
header.writeUInt32LE(16000, 24);
header.writeUInt32LE(32000, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(pcm.length * 2, 40);
const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'models', 'corpus', 'samples', 'speech.wav');
writeFileSync(out, Buffer.concat([header, Buffer.from(pcm.buffer)]));
process.stdout.write(`${out}: ${(pcm.length / 16000).toFixed(2)} s; segments: speech 0-${(speech1.length / 16000).toFixed(2)} s, noise to ${((speech1.length + 3 * noise.length) / 16000).toFixed(2)} s, speech to ${(pcm.length / 16000).toFixed(2)} s\n`);
