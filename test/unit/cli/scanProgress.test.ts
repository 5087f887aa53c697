// `prompt scan` of a large repository (langfuse/langfuse: 4,587 files, session 49) ran for half an hour with nothing on
// the screen. Progress now goes to stderr, at most every 2 s on a terminal and every 15 s otherwise, and not at all for
// a scan that ends sooner; stdout stays the result (one JSON object with --json).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { scanProgress } from '../../../src/engine/cli/scanCommand';
import { distDir } from '../../helpers/paths';

describe('prompt scan progress on stderr', () => {
  const clock = (times: number[]) => {
    let i = 0;
    return () => times[Math.min(i++, times.length - 1)];
  };

  it('on a terminal: one line when 2 s have passed since the last, with the count, the share and the file', () => {
    const lines: string[] = [];
    // Calls: the start, then one per file (at 0.5, 1.9, 2.0, 3.0, 4.1 s), then the phase line (at 6.5 s).
    const progress = scanProgress({ stderr: (t) => lines.push(t) }, true, clock([0, 500, 1900, 2000, 3000, 4100, 6500]));
    progress.file('a.py', 0, 8);
    progress.file('b.py', 1, 8);
    progress.file('c.py', 2, 8);
    progress.file('d.py', 3, 8);
    progress.file('e.py', 5, 8);
    progress.phase('scanned 8 files; counting and pricing their prompts');
    assert.deepEqual(lines, [
      'scanning: 2 of 8 files (25%) in 2 s; now c.py\n',
      'scanning: 5 of 8 files (62%) in 4 s; now e.py\n',
      'scanned 8 files; counting and pricing their prompts (7 s)\n',
    ]);
  });

  it('in a log (not a terminal): every 15 s, and nothing for a scan that ends sooner', () => {
    const lines: string[] = [];
    const progress = scanProgress({ stderr: (t) => lines.push(t) }, false, clock([0, 2000, 14_999, 15_000, 20_000, 29_000]));
    progress.file('a.py', 0, 3);
    progress.file('b.py', 1, 3);
    progress.file('c.py', 2, 3);
    progress.file('d.py', 3, 4);
    progress.phase('done');
    assert.deepEqual(lines, ['scanning: 2 of 3 files (66%) in 15 s; now c.py\n']);
  });

  it('a short scan prints no progress: stderr is empty and stdout is one JSON object', () => {
    const fixture = path.resolve(__dirname, '../../../../test/fixtures/hints-real/metagpt_engineer.py');
    const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'prompt', 'scan', fixture, '--json'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal((JSON.parse(r.stdout) as { promptCount: number }).promptCount, 3);
  });
});
