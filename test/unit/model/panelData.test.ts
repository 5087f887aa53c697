// The Model Optimization panel's pure parts: the form schema (readable reasons for absurd
// values), default output names, and the history file (atomic, newest first, a corrupt
// file set aside instead of breaking the panel).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ModelRunHistory } from '../../../src/extension/model/modelHistory';
import { defaultOutputPath, defaultRequest, MODEL_OPERATIONS, ModelRunRequestSchema, type ModelRunRecord } from '../../../src/protocol/modelPanel';
import { parseWebviewMessage } from '../../../src/protocol/webview';

function reason(raw: unknown): string {
  const parsed = parseWebviewMessage(raw);
  assert.equal(parsed.ok, false, `accepted ${JSON.stringify(raw)}`);
  return parsed.ok ? '' : parsed.reason;
}

function record(id: string, startedAt: string): ModelRunRecord {
  return { id, operation: 'quantize', label: 'int 8-bit rtn', request: defaultRequest('quantize', '/m/a.onnx'), modelPath: '/m/a.onnx', outPath: '/m/a.q8.onnx', status: 'completed', startedAt, durationMs: 10, device: 'cpu' };
}

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
    assert.equal(defaultOutputPath('/m/tiny.onnx', defaultRequest('prune', '')), '/m/tiny.pruned30.onnx');
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
});
