// The Model Optimization panel in a real VS Code: an 8-bit quantization of the tiny MLP
// fixture run through the panel's message handler (output beside the model, the source
// unchanged, size reduction and the provider that ran on screen, the run in the history
// file), a job cancelled from the panel (the engine stops, no output is left), a corrupted
// model and other bad input shown as errors in the panel, and malformed webview messages
// rejected. The fixtures are copied from test/fixtures/models into the test workspace.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelRunRecord } from '../../../src/protocol/modelPanel';
import { api, EXTENSION_ID, waitFor, waitForRender, withDeadline } from '../helpers';


function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Copies fixtures from the extension's test/fixtures/models into `<workspace>/models/`. */
function copyFixtures(names: string[]): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(root, 'no workspace folder');
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const dir = path.join(root, 'models');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) fs.copyFileSync(path.join(extension.extensionPath, 'test', 'fixtures', 'models', name), path.join(dir, name));
  return dir;
}

describe('PepperPy: Model Optimization panel', function () {
  this.timeout(60_000);
  let models: string;

  before(() => {
    models = copyFixtures(['tiny_mlp.onnx', 'tiny_lm.onnx', 'corpus.txt']);
  });

  it('quantizes tiny_mlp.onnx to 8 bits from the panel: output beside the model, source unchanged, size reduction and CPUExecutionProvider shown', async () => {
    const a = await api();
    const source = path.join(models, 'tiny_mlp.onnx');
    const hash = sha256(source);
    await vscode.commands.executeCommand('pepperpy.model.optimizeFile', vscode.Uri.file(source));
    const facts = await waitForRender(a.model.panel.host, (s) => s.includes('Model: tiny_mlp.onnx') && s.includes('Parameters'), 'the inspected model');
    assert.match(facts, /Opset/);
    assert.match(facts, /Gemm/);

    const out = path.join(models, 'tiny_mlp.q8.onnx');
    assert.equal(fs.existsSync(out), false);
    const reply = await a.model.panel.host.receive({ type: 'model/run', request: { operation: 'quantize', modelPath: source, device: 'cpu', quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 } });
    assert.deepEqual(reply, { ok: true });
    const record = a.model.panel.history.list()[0];
    assert.ok(record, 'no run in the history');
    assert.equal(record.status, 'completed', record.error);
    assert.equal(record.outPath, out);
    assert.ok(fs.existsSync(out), 'no output file');
    assert.equal(sha256(source), hash, 'the source model changed');
    assert.ok(record.figures && record.figures.newSize < record.figures.originalSize);
    assert.equal(record.figures.executionProvider, 'cpu');

    const summary = await waitForRender(a.model.panel.host, (s) => s.includes('Result: int 8-bit rtn') && s.includes('CPUExecutionProvider'), 'the result');
    assert.match(summary, /Size reduced \d+(\.\d)? ?%/);
    assert.match(summary, /Measured speedup/);
    assert.match(summary, /cosine 0\.9\d+/);
    assert.match(summary, /Runs compared/);
    assert.match(summary, /History/);
    // The history is a JSON file in globalStorage, written whole.
    const saved = JSON.parse(fs.readFileSync(a.model.panel.history.file, 'utf8')) as { runs: ModelRunRecord[] };
    assert.ok(saved.runs.some((r) => r.id === record.id && r.result !== undefined));
  });

  it('Cancel in the panel stops the engine job: the panel says cancelled and no output is left', async () => {
    const a = await api();
    const source = path.join(models, 'tiny_lm.onnx');
    const out = path.join(models, 'tiny_lm.q4-gptq.onnx');
    const request = { operation: 'quantize', modelPath: source, device: 'cpu', quantizationType: 'int', bits: 4, method: 'gptq', blockSize: 32, calibrationData: path.join(models, 'corpus.txt') };
    const run = a.model.panel.host.receive({ type: 'model/run', request });
    await waitFor('progress from the engine', () => a.model.panel.currentState.running?.percent !== undefined, 30_000);
    await waitForRender(a.model.panel.host, (s) => s.includes('Running: Quantize tiny_lm.onnx') && s.includes('Cancel'), 'the progress and Cancel');
    const started = Date.now();
    assert.deepEqual(await a.model.panel.host.receive({ type: 'model/cancel' }), { ok: true });
    assert.deepEqual(await run, { ok: true });
    assert.ok(Date.now() - started < 10_000, 'the job did not stop promptly');
    assert.equal(a.model.panel.runningId, undefined);
    const record = a.model.panel.history.list()[0];
    assert.equal(record?.status, 'cancelled');
    await waitForRender(a.model.panel.host, (s) => /Cancelled: the job was stopped/.test(s), 'the cancelled run');
    // The engine may have been finishing a write when the cancel arrived; the panel looks again
    // once the engine has answered the cancelled request.
    await withDeadline(a.model.panel.cancelledJobCleaned, 'the engine to end the cancelled job and the panel to remove what it left', 60_000);
    assert.equal(fs.existsSync(out), false, 'the cancelled job left its output');
    assert.equal(fs.existsSync(`${out}.data`), false);
    // The engine is still usable.
    const again = await a.model.panel.selectModel(path.join(models, 'tiny_mlp.onnx'));
    assert.ok(again && again.parameterCount > 0);
  });

  it('a corrupted model, a missing file, a non-ONNX file and the source as output give clear errors in the panel', async () => {
    const a = await api();
    const broken = path.join(models, 'broken.onnx');
    const bytes = fs.readFileSync(path.join(models, 'tiny_mlp.onnx'));
    fs.writeFileSync(broken, bytes.subarray(0, Math.floor(bytes.length / 3)));
    await a.model.panel.host.receive({ type: 'model/inspect', modelPath: broken });
    await waitForRender(a.model.panel.host, (s) => s.includes('broken.onnx could not be read as an ONNX model'), 'the corrupted model error');

    await a.model.panel.host.receive({ type: 'model/run', request: { operation: 'quantize', modelPath: broken, device: 'cpu', quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 } });
    const failed = a.model.panel.history.list()[0];
    assert.equal(failed?.status, 'failed');
    assert.equal(fs.existsSync(path.join(models, 'broken.q8.onnx')), false);
    await waitForRender(a.model.panel.host, (s) => s.includes('Result: int 8-bit rtn · broken.onnx') && s.includes('failed'), 'the failed run');

    await a.model.panel.host.receive({ type: 'model/inspect', modelPath: path.join(models, 'missing.onnx') });
    await waitForRender(a.model.panel.host, (s) => s.includes('missing.onnx does not exist'), 'the missing-file error');

    fs.writeFileSync(path.join(models, 'notes.txt'), 'not a model\n');
    await a.model.panel.host.receive({ type: 'model/inspect', modelPath: 'models/notes.txt' });
    await waitForRender(a.model.panel.host, (s) => s.includes('notes.txt is not an ONNX model'), 'the not-ONNX error');

    const source = path.join(models, 'tiny_mlp.onnx');
    await a.model.panel.host.receive({ type: 'model/run', request: { operation: 'prune', modelPath: source, outPath: source, device: 'cpu', sparsity: 0.5, method: 'magnitude', activationAware: false, fineTune: false, fineTuneEpochs: 1 } });
    await waitForRender(a.model.panel.host, (s) => s.includes('The output path is the source model'), 'the source-as-output error');
  });

  it('rejects malformed and absurd webview messages with a reason', async () => {
    const a = await api();
    const host = a.model.panel.host;
    const before = host.rejectedMessages;
    const base = { operation: 'quantize', modelPath: 'models/tiny_mlp.onnx', device: 'cpu', quantizationType: 'int', method: 'rtn', blockSize: 32 };
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'model/run' }, /request/],
      [{ type: 'model/run', request: { ...base, bits: 5 } }, /Bits must be 8, 4, 3 or 2/],
      [{ type: 'model/run', request: { ...base, bits: 4, blockSize: 48 } }, /power of two/],
      [{ type: 'model/run', request: { operation: 'prune', modelPath: 'm.onnx', device: 'cpu', sparsity: 5, method: 'magnitude', activationAware: false, fineTune: false, fineTuneEpochs: 1 } }, /Sparsity must be between 0 and 0.99/],
      [{ type: 'model/run', request: { operation: 'prune', modelPath: 'm.onnx', device: 'cpu', sparsity: 0.5, method: 'magnitude', activationAware: false, fineTune: true, fineTuneEpochs: 1 } }, /Fine-tuning needs a dataset/],
      [{ type: 'model/run', request: { ...base, bits: 8, device: 'tpu' } }, /Device must be/],
      [{ type: 'model/run', request: { ...base, bits: 8, format: 'fastest' } }, /Format must be auto, dynamic, qdq, weight-only or nbits/],
      [{ type: 'model/run', request: { ...base, bits: 8, inputsPath: 'inputs.exe' } }, /Sample inputs must be a \.json, \.npy, \.npz, \.png or \.wav file/],
      [{ type: 'model/browse', field: '../../etc/passwd' }, /./],
      [{ type: 'model/openOutput', runId: '../../etc/passwd' }, /Unknown run id/],
      [{ type: 'model/cancel', extra: true }, /./],
      [{ type: 'model/explode' }, /./],
    ];
    for (const [message, reason] of cases) {
      const reply = await host.receive(message);
      assert.equal(reply.ok, false, `accepted ${JSON.stringify(message)}`);
      if (!reply.ok) assert.match(reply.reason, reason);
    }
    assert.equal(host.rejectedMessages - before, cases.length);
    assert.equal(a.model.panel.runningId, undefined);
  });
});
