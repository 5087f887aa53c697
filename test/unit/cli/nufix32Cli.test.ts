// newuser32: `prompt count --model gpt-9` printed "note: No local tokenizer is known for "gpt-9"; estimated with OpenAI's
// o200k_base. for gpt-9": the note of the count was put between the count and "for gpt-9". The oracle: the sentence
// as a careful reader writes it, and the count of the text by js-tiktoken's o200k_base (the encoding the note names).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const cli = path.join(distDir, 'cli.js');
const run = (args: string[], input: string) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('pepperpy-opt prompt count/analyze with a model it has no tokenizer for (nufix32)', () => {
  const text = 'You are a helpful assistant. Answer briefly.';
  const note = '  note: No local tokenizer is known for "gpt-9"; estimated with OpenAI\'s o200k_base.';

  it('count: the model ends the count line and the note is a sentence of its own', () => {
    const n = count(text);
    const r = run(['prompt', 'count', '-', '--model', 'gpt-9'], text);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd(), `stdin: ${n} tokens (estimate, o200k_base) for gpt-9\n${note}`);
  });

  it('analyze: the same two lines first', () => {
    const r = run(['prompt', 'analyze', '-', '--model', 'gpt-9'], text);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\n').slice(0, 2), [`stdin: ${count(text)} tokens (estimate, o200k_base) for gpt-9`, note]);
  });

  // (gpt-5.4, not gpt-4o: gpt-4o's shutdown is announced, which the count now says as the editor does; nufix33.)
  it('near miss: a model with a tokenizer has no note', () => {
    const r = run(['prompt', 'count', '-', '--model', 'gpt-5.4'], text);
    assert.equal(r.stdout.trimEnd(), `stdin: ${count(text)} tokens (exact, o200k_base) for gpt-5.4`);
  });
});
