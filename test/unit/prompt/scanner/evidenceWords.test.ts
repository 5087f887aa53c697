/**
 * `countWords` (evidence.ts) counts, without splitting, what this oracle counts with regular expressions: each
 * whitespace-separated piece with a letter of a script that puts spaces between words is one word, and each run of kana
 * or Han characters holds max(1, round(length / 1.65)) words (issue 12 item 3: a Chinese sentence was one "word").
 * Checked on every UTF-16 code unit (as a separator and as a word's only character) and on real corpus files.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countWords } from '../../../../src/shared/prompt/scanner/evidence';

const SPACED_LETTER = /[A-Za-zÀ-ÿ\u0400-\u04ff\uac00-\ud7af]/;
const UNSPACED_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const oracle = (text: string): number =>
  text
    .split(/\s+/)
    .map((w) => (SPACED_LETTER.test(w.replace(UNSPACED_RUN, ' ')) ? 1 : 0) + (w.match(UNSPACED_RUN) ?? []).reduce((n, run) => n + Math.max(1, Math.round(run.length / 1.65)), 0))
    .reduce((a, b) => a + b, 0);

describe('countWords equals split(/\\s+/), the letter filter and the count of kana/Han runs', () => {
  it('counts Chinese by its characters (about 1.65 a word), and a mixed piece once for its Latin part', () => {
    // Qwen-Agent's PROMPT_TEMPLATE_ZH ends "请根据回答规则，给出你的回答：": runs of 7 and 6 characters, 4 words each.
    assert.equal(countWords('请根据回答规则，给出你的回答：'), 8);
    assert.equal(countWords('markdown图片'), 2);
    assert.equal(countWords('有什么可以帮你的吗'), 5);
    assert.equal(countWords('简要总结一下对话内容，用作后续的上下文提示 prompt，控制在 200 字以内'), 17);
    // Korean writes spaces between words: a piece of Hangul is one word, as in English.
    assert.equal(countWords('한국어 프롬프트 입니다'), 3);
  });


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
