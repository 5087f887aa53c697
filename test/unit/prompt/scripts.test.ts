import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { nonLatinScript } from '../../../src/shared/prompt/scripts';

const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nextchat');

describe('nonLatinScript (newuser30)', () => {
  it('names the script of NextChat\'s Chinese mask, and none for its English one', () => {
    assert.equal(nonLatinScript(readFileSync(resolve(FIXTURES, 'cn-mentor-0.txt'), 'utf8')), 'Chinese characters (Han)');
    assert.equal(nonLatinScript(readFileSync(resolve(FIXTURES, 'en-copilot-0.txt'), 'utf8')), undefined);
  });

  it('a Chinese prompt with English words in it is still Chinese; Latin text with a few Han characters is not', () => {
    // NextChat app/masks/cn.ts line 31 (the AI文生图 mask): markdown and a URL among the Chinese.
    assert.equal(nonLatinScript('助手善于判断用户意图，当确定需要提供图片时，助手会变得沉默寡言，只使用以下格式输出markdown图片：![description](https://image.pollinations.ai/prompt/description?nologo=true)'), 'Chinese characters (Han)');
    assert.equal(nonLatinScript('Translate the word 你好 into English and explain its tone.'), undefined);
  });

  it('Japanese, Cyrillic, and too few letters to tell', () => {
    assert.equal(nonLatinScript('あなたは優秀な翻訳者です。次の文章を日本語に翻訳してください。'), 'Japanese (kana and kanji)');
    assert.equal(nonLatinScript('Ты опытный редактор. Исправь ошибки в тексте.'), 'Cyrillic');
    assert.equal(nonLatinScript('你好'), undefined);
  });
});
