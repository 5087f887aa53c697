// Numbers on the CLI that JavaScript's Number() reads too kindly (issue 11, s18-break11):
// `--min-confidence ""` was 0 (every candidate shown, exit 0) and `--min-confidence 0x1` was 1.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorOf, jsonOf, run, scratch } from './helpers';

describe('prompt scan --min-confidence (issue 11, s18-break11)', function () {
  this.timeout(60_000);
  let dir: string;
  let file: string;
  before(() => {
    dir = scratch();
    file = path.join(dir, 'p.txt');
    fs.writeFileSync(file, 'hello world\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const bad of ['', ' ', '0x1', '-0.5', '2e0', '1.5', 'NaN', 'Infinity', '½']) {
    it(`refuses ${JSON.stringify(bad)} as a usage error`, () => {
      const r = run(['prompt', 'scan', file, `--min-confidence=${bad}`, '--json']);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.deepEqual(errorOf(r), { code: 'usage', message: `--min-confidence needs a number from 0 to 1, got ${JSON.stringify(bad)}.`, hint: 'Run pepperpy-opt prompt scan --help.' });
    });
  }

  for (const good of ['0', '1', '0.5', '.5', ' 0.25 ', '1.', '1e-1']) {
    it(`takes ${JSON.stringify(good)}`, () => {
      const r = run(['prompt', 'scan', file, `--min-confidence=${good}`, '--json']);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(jsonOf<{ filesScanned: number }>(r).filesScanned, 1);
    });
  }
});
