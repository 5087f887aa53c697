// newuser31: the CLI on a Python source file of MetaGPT (test/fixtures/hints-real/metagpt_engineer.py, MIT, an excerpt of
// metagpt/roles/engineer.py). The prompt verbs read their input as one prompt:
// - `prompt compress engineer.py` rewrote the Python as prose: on write_code.py it dropped a line of code as a
//   "repetition" and printed a file that no longer parsed. A rewrite verb refuses a source file (exit 2, usage error)
//   and says what to do instead; the same text on stdin is still taken as prompt text.
// - `prompt count` / `analyze` counted the whole file (code included) where the editor's lenses count the prompts: the
//   figure stays (a file's tokens are a fair thing to ask for) and a note says what it is and how many prompts
//   `prompt scan` finds (3 here, read by hand: IS_PASS_PROMPT, the role's goal and its constraints).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const cli = path.join(distDir, 'cli.js');
const fixture = path.resolve(__dirname, '../../../../test/fixtures/hints-real/metagpt_engineer.py');
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('pepperpy-opt CLI on a Python source file (newuser31)', () => {
  it('compress, distill and optimize refuse it with a usage error that names prompt scan, and print nothing', () => {
    for (const verb of ['compress', 'distill', 'optimize']) {
      const r = run(['prompt', verb, fixture]);
      assert.equal(r.code, 2, `${verb}: ${r.stdout}`);
      assert.equal(r.stdout, '', verb);
      assert.ok(r.stderr.includes(`${fixture} is Python source, not a prompt: ${verb} would rewrite its code as prose.`), `${verb}: ${r.stderr}`);
      assert.ok(r.stderr.includes(`\`pepperpy-opt prompt scan ${fixture}\` lists the prompts in it`), r.stderr);
    }
  });

  it('the same text on stdin is still compressed as prompt text', () => {
    const r = run(['prompt', 'compress', '-', '--json'], 'Please make sure to answer briefly.');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { text: string }).text, 'Answer briefly.');
  });

  it('count keeps the whole file\'s tokens and says so, with the number of prompts in it', () => {
    const r = run(['prompt', 'count', fixture, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { count: number; note?: string };
    assert.equal(json.count, count(fs.readFileSync(fixture, 'utf8')));
    assert.equal(json.note, `${fixture} is Python source: these figures are for the whole file, code included. \`pepperpy-opt prompt scan ${fixture}\` counts the 3 prompts in it, as the editor's lenses do.`);
    const text = run(['prompt', 'analyze', fixture]);
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout.split('\n')[1], `  note: ${json.note}`);
  });

  it('a prompt file is no source file: no note', () => {
    const r = run(['prompt', 'count', path.resolve(__dirname, '../../../../samples/prompts/seed-example-pt.txt'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { note?: string }).note, undefined);
  });

  it("count says '1 token' for a one-token text, as scan and the lenses do (break31b read '1 tokens')", () => {
    assert.equal(count('Hi'), 1);
    const one = run(['prompt', 'count', '-'], 'Hi');
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^stdin: 1 token \(exact, /);
    const analyzed = run(['prompt', 'analyze', '-'], 'Hi');
    assert.match(analyzed.stdout, /^stdin: 1 token \(exact, [^\n]*\n {2}2 characters, 1 word, 1 line\n/);
    const two = run(['prompt', 'count', '-'], 'Hi there');
    assert.match(two.stdout, /^stdin: 2 tokens \(exact, /);
  });

  it("scan puts an estimate's '~' right after the word: '≥1 token~', not '1 token ~' (break31b)", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-vals32-')), 'one.py');
    const call = (content: string) =>
      `from openai import OpenAI\n\nclient = OpenAI()\n\n\ndef ask(text):\n    return client.chat.completions.create(model="claude-sonnet-4-5", messages=[{"role": "user", "content": ${content}}])\n`;
    // (No local tokenizer for Claude: an estimate. "{text}." leaves one fixed token, ".".)
    fs.writeFileSync(file, call('f"{text}."'));
    const one = run(['prompt', 'scan', file]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /:7 {2}user {10}≥1 token~ \+ runtime values \(text\) · /);
    fs.writeFileSync(file, call('f"Question: {text}"'));
    assert.match(run(['prompt', 'scan', file]).stdout, /:7 {2}user {10}≥3 tokens~ \+ runtime values \(text\) · /);
  });
});
