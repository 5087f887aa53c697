/**
 * Task fidelity for detectors (src/engine/model/evaluate.ts): score tensors beside box or
 * offset regressions are recognised from the outputs' shapes and names, without model-specific
 * code, and judged by the IoU of their detections — not by the cosine of all outputs, which
 * called an 8-bit BlazeFace faithful while the corpus evaluator found a face anchor lost.
 *
 * The oracle on real models is the corpus's own task evaluator (test/helpers/modelCorpus.ts,
 * independent of the engine: its thresholds come from the models' upstream code), run on the
 * corpus's real photos: the engine's verdict on the same candidate must agree with it.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectorFidelity, detectorScores, documentedThreshold, mapGeometry, matchCells, measureAgainst, openReference, taskFidelity, TASK_TOLERANCES, type EvalSet, type Outputs } from '../../../src/engine/model/evaluate';
import { decodeModel, encodeModel } from '../../../src/engine/model/onnx';
import { ModelQuantizer } from '../../../src/engine/model/quantizer';
import { openSession, type FeedTensor } from '../../../src/engine/model/runtime';
import { findQuantTargets } from '../../../src/engine/model/targets';
import { quantizeWeightOnly } from '../../../src/engine/model/weightFormats';
import { corpusFeeds, ensureCorpus, taskAgreement, writeFeedsJson, type CorpusEntry, type Outputs as CorpusOutputs } from '../../helpers/modelCorpus';

const fid = { cosineSimilarity: 1, maxAbsError: 0, meanAbsError: 0, inputs: '', samples: 1 };

function out(names: string[], data: Float32Array[], dims: number[][]): Outputs {
  return { perBatch: [data], names, dims: [dims] };
}

function set(modality: EvalSet['modality'] = 'image', extra: Partial<EvalSet> = {}): EvalSet {
  return { batches: [{ x: { type: 'float32', data: new Float32Array(1), dims: [1] } }], description: 'test', samples: 1, kind: { classifier: { output: 'a' } }, modality, ...extra };
}

describe('detector task fidelity: recognising score tensors', () => {
  it('a one-channel score tensor beside a wider regression of the same anchors (BlazeFace-shaped, logits) is a detector', () => {
    const ref = out(['Identity:0', 'Identity_2:0'], [Float32Array.of(-5, 1.2, -0.3, 3), new Float32Array(4 * 16)], [[1, 4, 1], [1, 4, 16]]);
    const det = detectorScores(ref, set());
    assert.deepEqual(det, { scores: [0], partners: [1], logits: [true], dense: false, axes: [2] });
  });

  it('a one-channel map beside an offsets map (M-LSD-shaped, NHWC, probabilities) is a dense detector; so is NCHW on axis 1', () => {
    const nhwc = out(['offsets', 'scores'], [new Float32Array(2 * 2 * 4).fill(-1), Float32Array.of(0.9, 0.1, 0, 0.6)], [[1, 2, 2, 4], [1, 2, 2, 1]]);
    assert.deepEqual(detectorScores(nhwc, set()), { scores: [1], partners: [0], logits: [false], dense: true, axes: [3] });
    const nchw = out(['hm', 'reg'], [Float32Array.of(0.9, 0.1, 0, 0.6), new Float32Array(2 * 2 * 4)], [[1, 1, 2, 2], [1, 4, 2, 2]]);
    assert.deepEqual(detectorScores(nchw, set()), { scores: [0], partners: [1], logits: [false], dense: true, axes: [1] });
  });

  it('by name alone: a one-channel output named as scores', () => {
    const ref = out(['heatmap'], [Float32Array.of(0.2, 0.7, 0.1, 0.9)], [[1, 2, 2, 1]]);
    assert.deepEqual(detectorScores(ref, set()), { scores: [0], partners: [-1], logits: [false], dense: true, axes: [3] });
  });

  it('not a detector: a VAD decision with its state, a classifier, a CTC softmax, unbounded non-negative values, a language model', () => {
    const vad = out(['output', 'stateN'], [Float32Array.of(0.9, 0.1), new Float32Array(4)], [[2, 1], [2, 2]]);
    assert.equal(detectorScores(vad, set('audio', { stateLinks: [{ input: 'state', output: 'stateN' }] })), undefined);
    assert.equal(detectorScores(out(['logits'], [Float32Array.of(1, 2, 3, 5, 4, -1)], [[2, 3]]), set()), undefined);
    assert.equal(detectorScores(out(['probs'], [Float32Array.of(0.1, 0.8, 0.1, 0.1, 0.1, 0.8)], [[1, 2, 3]]), set()), undefined);
    // ≥ 0 and above 1: neither probabilities nor logits.
    assert.equal(detectorScores(out(['a', 'b'], [Float32Array.of(0, 2, 5, 7), new Float32Array(16)], [[1, 4, 1], [1, 4, 4]]), set()), undefined);
    // Softmax class scores (rows sum to 1, a background class) beside boxes: classification, not thresholded detections.
    assert.equal(detectorScores(out(['scores', 'boxes'], [Float32Array.of(0.9, 0.1, 0.3, 0.7), new Float32Array(8)], [[1, 2, 2], [1, 2, 4]]), set()), undefined);
    const lm = set('text', { kind: { languageModel: { input: 'ids', output: 'logits', vocab: 1, seqLen: 4, byteLevel: false } } });
    assert.equal(detectorScores(out(['logits', 'h'], [Float32Array.of(-1, 1, -1, 1), new Float32Array(16)], [[1, 4, 1], [1, 4, 4]]), lm), undefined);
  });
});

describe('detector task fidelity: the figure', () => {
  // Reference logits of 4 anchors: two faces (2.0 and 0.1). Candidate: the weak one drops to -0.1.
  const ref = out(['s', 'box'], [Float32Array.of(2.0, 0.1, -3, -6), new Float32Array(64)], [[1, 4, 1], [1, 4, 16]]);
  const cand = out(['s', 'box'], [Float32Array.of(1.9, -0.1, -3, -6), new Float32Array(64)], [[1, 4, 1], [1, 4, 16]]);

  it('pools intersection and union over the thresholds 0.1…0.9 (logits compared with logit(p)), by hand', () => {
    // logit(p) for p = 0.1 … 0.9: -2.197, -1.386, -0.847, -0.405, 0, 0.405, 0.847, 1.386, 2.197.
    // Reference over: 2.0 at p ≤ 0.8 (8 thresholds); 0.1 at p ≤ 0.5 (5); -3 and -6 never.
    // Candidate: 1.9 at p ≤ 0.8; -0.1 at p ≤ 0.4 (4).
    // Intersections: 8 + 4 = 12; unions: 8 + 5 = 13 (at 0.5 the weak anchor is only in the reference).
    const r = detectorFidelity(ref, cand, set(), detectorScores(ref, set())!);
    assert.equal(r.iou, 12 / 13);
    assert.equal(r.union, 13);
    assert.deepEqual(r.perThreshold.map((x) => [x.p, x.inter, x.union]), [[0.1, 2, 2], [0.2, 2, 2], [0.3, 2, 2], [0.4, 2, 2], [0.5, 1, 2], [0.6, 1, 1], [0.7, 1, 1], [0.8, 1, 1], [0.9, 0, 0]]);
    const t = taskFidelity(ref, cand, set(), fid);
    assert.equal(t.metric, 'maskIoU');
    assert.equal(t.value, 12 / 13);
    assert.equal(t.withinTolerance, false);
    assert.match(t.description, /^detector outputs recognised \(score tensors beside box\/offset regressions: "s" \[1, 4, 1\] beside "box" \[1, 4, 16\]\); IoU of the detections \(the anchors over the threshold\) pooled over thresholds 0\.1–0\.9 .*: 0\.9231 — the reference marks 2 of 4 anchors at 0\.5; single decisions at 0\.5 agree on 3 of 4 \(75\.00%\) \(tolerance at least 95\.00%: OUT OF TOLERANCE\)$/);
  });

  it('a centre map beside its regressions: a detection that moved to a neighbouring cell is the same detection, matched one to one; by hand', () => {
    // 4×4 NHWC map at the metadata's threshold 0.5. Reference detections: (1,1) and (3,3).
    // Candidate: (1,2) — one cell right of (1,1); (2,1) — also beside (1,1), but (1,1) is taken by the
    // stronger (1,2); and (0,3), invented. Matched 1; union 2 + 3 − 1 = 4.
    const grid = (cells: [number, number, number][]) => {
      const d = new Float32Array(16);
      for (const [y, x, v] of cells) d[y * 4 + x] = v;
      return d;
    };
    const documented = set('image', { scoreThreshold: { value: 0.5, key: 'score_threshold' } });
    const ref = out(['scores', 'offsets'], [grid([[1, 1, 0.9], [3, 3, 0.7]]), new Float32Array(64)], [[1, 4, 4, 1], [1, 4, 4, 4]]);
    const cand = out(['scores', 'offsets'], [grid([[1, 2, 0.8], [2, 1, 0.6], [0, 3, 0.9]]), new Float32Array(64)], [[1, 4, 4, 1], [1, 4, 4, 4]]);
    const r = detectorFidelity(ref, cand, documented, detectorScores(ref, documented)!);
    assert.deepEqual(r.perThreshold.map((x) => [x.p, x.inter, x.union, x.on]), [[0.5, 1, 4, 2]]);
    assert.equal(r.iou, 1 / 4);
    assert.match(r.description, /IoU of the detections \(score-map cells over the threshold, each with its own regression; matched one to one, a detection found in a neighbouring cell counting as the same\)/);
    assert.match(r.description, /the reference marks 2 of 16 cells at 0\.5; single decisions at 0\.5 agree on 11 of 16/);
    // Two cells apart is another detection; the map's edges have no neighbours beyond them.
    const far = out(['scores', 'offsets'], [grid([[3, 1, 0.9]]), new Float32Array(64)], [[1, 4, 4, 1], [1, 4, 4, 4]]);
    const edge = out(['scores', 'offsets'], [grid([[0, 0, 0.9]]), new Float32Array(64)], [[1, 4, 4, 1], [1, 4, 4, 4]]);
    assert.equal(detectorFidelity(ref, far, documented, detectorScores(ref, documented)!).iou, 0);
    assert.deepEqual(matchCells(grid([[0, 3, 0.9]]), grid([[1, 0, 0.9]]), 0.5, mapGeometry([1, 4, 4, 1], 3)!), { matched: 0, reference: 1, candidate: 1 });
    assert.deepEqual(matchCells(grid([[0, 0, 0.9]]), edge.perBatch[0][0], 0.5, mapGeometry([1, 4, 4, 1], 3)!), { matched: 1, reference: 1, candidate: 1 });
    // NCHW: the channel axis is 1 and the spatial axes 2 and 3.
    assert.deepEqual(mapGeometry([1, 1, 4, 5], 1), { stride: [5, 1], size: [4, 5] });
    assert.deepEqual(mapGeometry([1, 6, 1], 2), undefined);
    // A score map named alone (no regressions beside it) is a mask: compared cell for cell.
    const mask = out(['heatmap'], [grid([[1, 1, 0.9]])], [[1, 4, 4, 1]]);
    const moved = out(['heatmap'], [grid([[1, 2, 0.9]])], [[1, 4, 4, 1]]);
    assert.equal(detectorFidelity(mask, moved, documented, detectorScores(mask, documented)!).iou, 0);
  });

  it('the metadata\'s documented threshold replaces the range: at 0.3 both anchors agree', () => {
    const documented = set('image', { scoreThreshold: { value: 0.3, key: 'score_threshold' } });
    const t = taskFidelity(ref, cand, documented, fid);
    assert.equal(t.value, 1);
    assert.equal(t.withinTolerance, true);
    assert.match(t.description, /at the metadata's score_threshold = 0\.3 \(values outside \[0, 1\], so logits compared with logit\(p\)\)/);
  });

  it('inconclusive when the reference never crosses a threshold; a candidate that invents detections is out', () => {
    const none = out(['s', 'box'], [Float32Array.of(-5, -4, -3, -6), new Float32Array(64)], [[1, 4, 1], [1, 4, 16]]);
    const same = taskFidelity(none, none, set(), fid);
    assert.equal(same.value, 1);
    assert.match(same.description, /the reference never crosses a threshold on these inputs, so the IoU says little/);
    // Only weak scores (probability 0.12, under 0.5): the IoU is measured but flagged.
    const weak = out(['s', 'box'], [Float32Array.of(-2, -4, -3, -6), new Float32Array(64)], [[1, 4, 1], [1, 4, 16]]);
    const w = taskFidelity(weak, weak, set(), fid);
    assert.equal(w.value, 1);
    assert.match(w.description, /the reference marks 0 of 4 anchors at 0\.5; the reference detects nothing at 0\.5 on these inputs \(only weaker scores\), so the IoU says little;/);
    const invented = out(['s', 'box'], [Float32Array.of(5, -4, -3, -6), new Float32Array(64)], [[1, 4, 1], [1, 4, 16]]);
    const t = taskFidelity(none, invented, set(), fid);
    assert.equal(t.value, 0);
    assert.equal(t.withinTolerance, false);
  });

  it('documentedThreshold reads score/confidence/detection thresholds from metadata, not IoU or NMS thresholds', () => {
    assert.deepEqual(documentedThreshold({ score_threshold: '0.25' }), { value: 0.25, key: 'score_threshold' });
    assert.deepEqual(documentedThreshold({ det_db_thresh: '0.3' }), { value: 0.3, key: 'det_db_thresh' });
    assert.deepEqual(documentedThreshold({ 'conf-thres': ' 0.4 ' }), { value: 0.4, key: 'conf-thres' });
    assert.equal(documentedThreshold({ iou_threshold: '0.5', nms_threshold: '0.45' }), undefined);
    assert.equal(documentedThreshold({ threshold: '1.5' }), undefined);
    assert.equal(documentedThreshold({ threshold: 'high' }), undefined);
    assert.equal(documentedThreshold(undefined), undefined);
  });
});

async function runFeeds(model: string | Uint8Array, feeds: Record<string, FeedTensor>[]): Promise<CorpusOutputs[]> {
  const session = await openSession(model, 'cpu');
  try {
    const all: CorpusOutputs[] = [];
    for (const feed of feeds) all.push(await session.run(feed));
    return all;
  } finally {
    await session.release();
  }
}

describe('detector task fidelity on real corpus models: the engine agrees with the corpus evaluator', function () {
  this.timeout(900_000);
  const models = ['blazeface-front-128', 'mlsd-tiny-320'];
  const entries = new Map<string, CorpusEntry>();
  const feeds = new Map<string, Record<string, FeedTensor>[]>();
  const inputs = new Map<string, string>();
  let dir: string;

  before(async function () {
    if (process.env.PEPPERPY_SKIP_MODEL_CORPUS === '1') this.skip();
    for (const e of ensureCorpus({ only: models })) {
      entries.set(e.id, e);
      const f = await corpusFeeds(e);
      feeds.set(e.id, f);
      inputs.set(e.id, writeFeedsJson(e, f));
    }
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-detector-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const id of models) {
    it(`${id}: int8 weight-only of every layer — the engine sees the detector, and its verdict is the corpus evaluator's`, async () => {
      const e = entries.get(id)!;
      const model = await decodeModel(readFileSync(e.modelPath));
      const rewrite = await quantizeWeightOnly(model, findQuantTargets(model, { minElements: 1024 }));
      assert.ok(rewrite.quantized > 0);
      const bytes = await encodeModel(model);
      const oracle = taskAgreement(e, await runFeeds(e.modelPath, feeds.get(id)!), await runFeeds(bytes, feeds.get(id)!));
      const reference = await openReference(e.modelPath, 'cpu', { inputsPath: inputs.get(id)!, batchSize: 1 });
      try {
        const { fidelity } = await measureAgainst(reference, bytes);
        const task = fidelity.task!;
        assert.equal(task.metric, 'maskIoU', task.description);
        assert.match(task.description, /^detector outputs recognised \(score tensors beside box\/offset regressions/);
        // BlazeFace loses a face anchor at 0.5 (corpus 93.3 %). M-LSD keeps 19 of its 20 line segments
        // (sAP10, corpus 95.0 %) while a third of its weakest centres move by one cell.
        assert.equal(oracle.value >= TASK_TOLERANCES.maskIoU, id === 'mlsd-tiny-320', `corpus ${oracle.description}: ${oracle.value}`);
        assert.equal(task.withinTolerance, oracle.value >= TASK_TOLERANCES.maskIoU, `engine ${task.description}; corpus ${oracle.value}`);
      } finally {
        await reference.session.release();
      }
    });

    it(`${id}: quantize --bits 8 (auto) — the result's verdict ("faithful") is the corpus evaluator's on the written model`, async () => {
      const e = entries.get(id)!;
      const outPath = join(dir, `${id}.q8.onnx`);
      const r = await new ModelQuantizer().quantize({ modelPath: e.modelPath, device: 'cpu', bits: 8, inputsPath: inputs.get(id)!, outPath });
      assert.equal(r.fidelity.task?.metric, 'maskIoU', r.fidelity.task?.description);
      const oracle = taskAgreement(e, await runFeeds(e.modelPath, feeds.get(id)!), await runFeeds(outPath, feeds.get(id)!));
      const oracleFaithful = oracle.value >= TASK_TOLERANCES.maskIoU;
      assert.equal(r.faithful, oracleFaithful, `engine: ${r.fidelity.task?.description} (${r.format}); corpus: ${oracle.value} (${oracle.description})`);
    });
  }
});
