// breaker51: `pepperpy-opt prompt scan smolagents/ | head -3` printed its three lines and then a stack trace
// ("Error: write EPIPE … Emitted 'error' event on Socket instance", Node's unhandled 'error' event) with exit status 1:
// the reader of stdout had closed it, and the CLI's write to it failed. A reader that stops early wants no more output:
// the CLI ends quietly, with status 0, as `git log | head` does. (Here the reader closes before anything is written, so
// the write always fails; with `head` it fails when the output is larger than the pipe's buffer.)
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';

const cli = path.join(distDir, 'cli.js');

function runWithStdoutClosed(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closed at once, as `head` closes it once it has its lines.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('pepperpy-opt CLI: output piped to a reader that stopped (breaker51)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pepperpy-epipe-'));
    fs.writeFileSync(path.join(dir, 'agent.py'), 'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "You are a careful assistant who answers briefly."}])\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prompt scan ends with status 0 and no stack trace', async () => {
    const r = await runWithStdoutClosed(['prompt', 'scan', dir]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });

  it('--help ends with status 0 and no stack trace', async () => {
    const r = await runWithStdoutClosed(['prompt', 'scan', '--help']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
  });
});
