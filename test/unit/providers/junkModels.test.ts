// A local server is a program we did not write: its GET /v1/models may list names no field
// takes (over the 200-character limit once prefixed), names with terminal escapes (which the
// CLI would print raw), blanks, repeats, thousands of entries, or a body of many megabytes.
// Detection keeps what can be used, says what it left out, and bounds what it reads.
// The oracle is the list each fake serves, filtered by hand.
import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localModelNames, probeServer } from '../../../src/engine/providers/localServers';

function serve(body: string | (() => string)): Promise<{ server: Server; baseUrl: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : body());
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) })));
}

const list = (ids: unknown[]) => JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model' })) });

describe('local servers that list junk models', function () {
  this.timeout(20_000);

  it('keeps the usable ids in order and says which it left out (too long, escapes, blanks, spaces, repeats, not a string)', async () => {
    const long = 'x'.repeat(191);
    const fake = await serve(list(['llama3.2', long, 'evil\u001b]0;pwned\u0007', '', ' spaced ', 'llama3.2', 42, 'qwen2.5:0.5b', 'x'.repeat(190)]));
    try {
      const probe = await probeServer({ id: 'lmstudio', name: 'LM Studio', baseUrl: fake.baseUrl }, { timeoutMs: 3000 });
      assert.equal(probe.status, 'up', probe.error);
      assert.deepEqual(probe.models, ['llama3.2', 'qwen2.5:0.5b', 'x'.repeat(190)]);
      assert.equal(probe.note, `LM Studio at ${fake.baseUrl}: left out 6 of 9 model ids that no model field takes (not text, empty, repeated, over 190 characters, spaces at either end or control characters).`);
      // Every listed name fits the 200-character model fields.
      assert.deepEqual(localModelNames([probe]).map((m) => m.name.length), [17, 21, 199]);
    } finally {
      await fake.close();
    }
  });

  it('keeps the first 1000 of 5000 models and says so', async () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `model-${i}`);
    const fake = await serve(list(ids));
    try {
      const probe = await probeServer({ id: 'ollama', name: 'Ollama', baseUrl: fake.baseUrl }, { timeoutMs: 3000 });
      assert.equal(probe.status, 'up');
      assert.equal(probe.models.length, 1000);
      assert.equal(probe.models[999], 'model-999');
      assert.equal(probe.note, `Ollama at ${fake.baseUrl}: listed the first 1000 of 5000 models.`);
    } finally {
      await fake.close();
    }
  });

  it('stops reading a /models body over 4 MiB: invalid, with the reason', async () => {
    const huge = JSON.stringify({ object: 'list', data: [{ id: 'llama3.2', pad: 'p'.repeat(5 * 1024 * 1024) }] });
    const fake = await serve(huge);
    try {
      const probe = await probeServer({ id: 'ollama', name: 'Ollama', baseUrl: fake.baseUrl }, { timeoutMs: 5000 });
      assert.equal(probe.status, 'invalid');
      assert.deepEqual(probe.models, []);
      assert.equal(probe.error, `Ollama at ${fake.baseUrl}: the GET /models body is over 4 MiB; a model list is a few kilobytes, so this is not one.`);
    } finally {
      await fake.close();
    }
  });
});
