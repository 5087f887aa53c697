/**
 * `countWords` (evidence.ts) replaces `text.split(/\s+/).filter((w) => LETTER.test(w)).length`
 * in the shape of every literal: the oracle is that expression itself, checked on every UTF-16
 * code unit (as a separator and as a word's only character) and on real corpus files.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countWords } from '../../../../src/shared/prompt/scanner/evidence';

const LETTER = /[A-Za-zÀ-ÿ\u0400-\u04ff\u4e00-\u9fff]/;
const oracle = (text: string): number => text.split(/\s+/).filter((w) => LETTER.test(w)).length;

describe('countWords equals split(/\\s+/) and the letter filter', () => {
  it('on every UTF-16 code unit, between two words and alone', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [`a${ch}b`, ch, `${ch}${ch}x`]) assert.equal(countWords(text), oracle(text), `U+${c.toString(16).padStart(4, '0')} in ${JSON.stringify(text)}`);
    }
  });

  it('on the lines and whole texts of the real files of the scan corpus', () => {
    const root = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan');
    let checked = 0;
    for (const dir of ['python', 'ts', 'yaml', 'markdown', 'prompts']) {
      for (const f of readdirSync(join(root, dir))) {
        const text = readFileSync(join(root, dir, f), 'utf8');
        assert.equal(countWords(text), oracle(text), f);
        for (const line of text.split('\n')) assert.equal(countWords(line), oracle(line), `${f}: ${line}`);
        checked++;
      }
    }
    assert.ok(checked >= 50, String(checked));
  });
});
