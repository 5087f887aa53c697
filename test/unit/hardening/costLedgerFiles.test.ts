// The JSONL ledger's file handling (issue 11, s18-break11). Before the fix a ledger that named a
// FIFO left `cost/history`, `cost/currentCosts` and `cost/monitorStart` without an answer (the
// open waited for a writer or reader forever, on one of libuv's four file-system threads), a
// device such as /dev/zero was read until V8's string limit, and a real ledger past that limit
// (600 MB, 1.52 million requests) could not be read at all: "Invalid string length".
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LedgerEntry } from '../../../src/protocol/cost';
import { JsonlLedger } from '../../../src/engine/cost/ledger';
import { history } from '../../../src/engine/cost/monitorHandlers';
import { scratch } from './helpers';

const day = new Date().toISOString().slice(0, 10);
function entry(i: number, model: string, ts = `${day}T10:00:0${i % 10}.000Z`): LedgerEntry {
  return { ts, id: `e${i}`, api: 'openai.chat', model, status: 200, stream: false, latencyMs: i, inputTokens: i, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, cost: i / 100 };
}

describe('cost ledger files (issue 11, s18-break11)', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(() => {
    dir = scratch();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a ledger a few bytes at a time: lines and multi-byte characters that straddle reads come out exact', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    const written = [entry(1, 'modèle-日本語'), entry(2, 'gpt-4o'), entry(3, 'claude-ü', '2020-01-01T00:00:00.000Z'), entry(4, '😀-model')];
    // A torn last line, as a crash leaves it.
    fs.writeFileSync(file, written.map((e) => JSON.stringify(e)).join('\n') + '\n{"ts":"20');
    for (const chunk of [1, 3, 7, 64, 1 << 20]) {
      const ledger = new JsonlLedger(file, chunk);
      assert.deepEqual(await ledger.readAll(), written, `chunk ${chunk}`);
      assert.equal(ledger.skippedLines, 1, `chunk ${chunk}`);
      assert.deepEqual(
        (await ledger.readDay(day)).map((e) => e.model),
        ['modèle-日本語', 'gpt-4o', '😀-model'],
      );
    }
  });

  it('refuses a binary file wherever its NUL byte is', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(JSON.stringify(entry(1, 'm')) + '\n'), Buffer.from([0x7b, 0x00, 0x7d])]));
    await assert.rejects(new JsonlLedger(file, 16).readAll(), { message: `${file} is a binary file, not a cost ledger.` });
  });

  it('refuses a FIFO (with no writer) and a device at once, for reading and for the monitor, instead of never answering', async () => {
    const fifo = path.join(dir, 'ledger.fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(new JsonlLedger(fifo).readDay(day), { message: `The cost ledger ${fifo} is a named pipe (FIFO), not a file.` });
    await assert.rejects(history({ days: 1, ledgerFile: fifo }), { message: `The cost ledger ${fifo} is a named pipe (FIFO), not a file.` });
    await assert.rejects(new JsonlLedger(fifo).prepare(), { message: `Cannot write the cost ledger ${fifo}: it is a named pipe (FIFO) or a device, not a file.` });
    await assert.rejects(new JsonlLedger('/dev/zero').readAll(), { message: 'The cost ledger /dev/zero is a device, not a file.' });
    await assert.rejects(new JsonlLedger('/dev/null').prepare(), { message: 'The cost ledger /dev/null is a device, not a file.' });
    await assert.rejects(new JsonlLedger(dir).readAll(), { message: `The cost ledger ${dir} is a folder, not a JSONL file.` });
  });

  it('cost history keeps only the days asked for, from one pass over the file', async () => {
    const file = path.join(dir, 'ledger.jsonl');
    fs.writeFileSync(file, [entry(1, 'a'), entry(2, 'b', '2020-01-01T00:00:00.000Z'), entry(3, 'a')].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const h = await history({ days: 1, ledgerFile: file });
    assert.deepEqual([h.requests, h.totalCost, h.models], [2, 0.04, ['a']]);
  });
});
