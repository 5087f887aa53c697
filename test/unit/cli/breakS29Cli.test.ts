// break29: a prompt file saved with a UTF-8 byte-order mark (Windows editors write one) was counted with the mark as a
// token (7 tokens for "Please kindly summarize the text.", 6 without it, as VS Code counts the same file: its document
// text has no mark), and the mark was written back at the head of the compressed prompt. Oracle: js-tiktoken's
// o200k_base encodes "Please kindly summarize the text." as 6 tokens (Please| kindly| summarize| the| text|.).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';

const cli = path.join(distDir, 'cli.js');
const run = (args: string[], input?: string | Buffer) => {
  const r = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const TEXT = 'Please kindly summarize the text.';

describe('pepperpy-opt CLI: a UTF-8 byte-order mark is no part of the prompt (break29)', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-bom-'));
    file = path.join(dir, 'prompt.txt');
    fs.writeFileSync(file, Buffer.concat([BOM, Buffer.from(TEXT, 'utf8')]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompt count of a file with the mark counts the text only', () => {
    const r = run(['prompt', 'count', file, '--json', '--model', 'gpt-4o']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { count: number }).count, 6);
  });

  it('prompt count on standard input likewise', () => {
    const r = run(['prompt', 'count', '-', '--json', '--model', 'gpt-4o'], Buffer.concat([BOM, Buffer.from(TEXT, 'utf8')]));
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { count: number }).count, 6);
  });

  it('prompt compress does not write the mark back', () => {
    const r = run(['prompt', 'compress', file, '--json', '--model', 'gpt-4o']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { text: string; tokensBefore: number };
    assert.equal(json.text, 'Summarize the text.');
    assert.equal(json.tokensBefore, 6);
  });
});
