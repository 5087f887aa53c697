import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runCli } from '../../../../src/engine/cli/framework';
import { scanCommand } from '../../../../src/engine/cli/scanCommand';
import { createDispatcher } from '../../../../src/engine/handlers';
import type { RequestScope } from '../../../../src/engine/rpc';
import type { PromptScanResult } from '../../../../src/protocol/scan';
import { scoreCorpus } from '../../../../bench/prompt-scan';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, [scanCommand], { stdout: (t) => (out += t), stderr: (t) => (err += t), readStdin: () => Promise.resolve('') });
  return { code, out, err };
}

describe('prompt scan (CLI and prompt/scan)', () => {
  it('prints every prompt of a folder with lines, kind and tokens as JSON', async () => {
    const { code, out } = await cli(['prompt', 'scan', FIXTURES, '--json']);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { prompts: Array<{ file: string; startLine: number; kind: string; tokens: number }>; promptCount: number };
    // The corpus grows (issue 12): the CLI reports exactly what the library finds in the annotated files.
    assert.equal(json.promptCount, scoreCorpus().predicted);
    const demo = json.prompts.filter((p) => p.file.endsWith('openai_demo.py'));
    assert.deepEqual(demo.map((p) => [p.startLine, p.kind, p.tokens]), [[11, 'user', 5], [18, 'user', 5]]);
  });

  it('prints a readable line per prompt and fails clearly on a missing path', async () => {
    const ok = await cli(['prompt', 'scan', resolve(FIXTURES, 'prompts/prompt2.txt')]);
    assert.match(ok.out, /prompt2\.txt:1 +template +8 tokens/);
    const missing = await cli(['prompt', 'scan', resolve(FIXTURES, 'nope')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /No such file or folder/);
    assert.equal((await cli(['prompt', 'scan'])).code, 2);
  });

  it('answers prompt/scan for a document and for paths', async () => {
    const rpc = createDispatcher();
    assert.ok(rpc.has('prompt/scan'));
    const ctx: RequestScope = { token: { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, progress: () => undefined, log: () => undefined };
    const handler = (params: unknown) => rpc.dispatch('prompt/scan', params, ctx);
    const doc = (await handler({ text: 'SYSTEM_PROMPT = "You are a helpful assistant for the docs."\n', languageId: 'python' })) as PromptScanResult;
    assert.equal(doc.promptCount, 1);
    assert.equal(doc.files[0].prompts[0].kind, 'system');
    const disk = (await handler({ paths: [resolve(FIXTURES, 'yaml')] })) as PromptScanResult;
    // The folder also holds the issue-12 YAML corpus; the two promptfoo configs hold one prompt each.
    assert.equal(disk.files.filter((f) => /promptfoo_(json_output|multiple_turn)\.yaml$/.test(f.file)).reduce((n, f) => n + f.prompts.length, 0), 2);
    await assert.rejects(() => handler({ languageId: 'python' }), /Invalid parameters/);
  });
});
