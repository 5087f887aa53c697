// The language the engine reports for Chinese, Japanese and Korean prompts (issue 12 item 3; session 31, helper cjk31).
// detectLanguage counts the function words of the en, pt and es packs, so a Chinese prompt scored nothing, came back
// "und", and every operation reported it as "en" (the pack it falls back to). It is now zh, ja or ko; the rules stay the
// English pack's, so the rewrites are unchanged. Oracle: the language each prompt is written in, read by a person.
// Prompts: NextChat (ChatGPTNextWeb/NextChat, MIT, commit 706a18b; test/fixtures/scan/SOURCES.md) app/locales/cn.ts,
// jp.ts and ko.ts `Store.Prompt.Topic`, and the text-to-picture system prompt of app/masks/cn.ts (line 31).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { detectLanguage } from '../../../src/shared/prompt/languages';

const root = path.resolve(__dirname, '../../../..');
const maskLine = (n: number): string => JSON.parse(readFileSync(path.join(root, 'test/fixtures/scan/ts/nextchat_masks_cn.ts'), 'utf8').split('\n')[n - 1].trim().replace(/,$/, '')) as string;

const CN_TOPIC = '使用四到五个字直接返回这句话的简要主题，不要解释、不要标点、不要语气词、不要多余文本，不要加粗，如果没有主题，请直接返回“闲聊”';
const JP_TOPIC = 'この文の簡潔なテーマを四から五文字で返してください。説明、句読点、感嘆詞、余計なテキストは不要です。太字も不要です。テーマがない場合は「雑談」と返してください';
const KO_TOPIC = "네 글자에서 다섯 글자로 이 문장의 간략한 주제를 반환하세요. 설명이나 문장 부호, 어미, 불필요한 텍스트, 굵은 글씨는 필요 없습니다. 주제가 없다면 '잡담'이라고만 반환하세요.";
const EN_TOPIC = 'Please generate a four to five word title summarizing our conversation without any lead-in, punctuation, quotation marks, periods, symbols, bold text, or additional text. Remove enclosing quotation marks.';

describe('detectLanguage: Chinese, Japanese and Korean prompts', () => {
  it('NextChat topic prompts: zh, ja, ko; the English twin stays en', () => {
    assert.equal(detectLanguage(CN_TOPIC).language, 'zh');
    assert.equal(detectLanguage(JP_TOPIC).language, 'ja');
    assert.equal(detectLanguage(KO_TOPIC).language, 'ko');
    assert.equal(detectLanguage(EN_TOPIC).language, 'en');
  });

  it('a Chinese prompt with English words and a URL in it is zh', () => {
    const text = maskLine(31);
    assert.ok(text.includes('markdown') && text.includes('https://image.pollinations.ai/'));
    const detected = detectLanguage(text);
    assert.equal(detected.language, 'zh');
    assert.ok(detected.confidence > 0.5 && detected.confidence <= 1, String(detected.confidence));
  });

  it('mostly English with a Chinese example is still en; digits alone are und', () => {
    assert.equal(detectLanguage('Translate the following sentence into English and return only the translation: 今天天气很好。').language, 'en');
    assert.equal(detectLanguage('12345').language, 'und');
  });

  it('an English prompt whose example is a whole Chinese paragraph is en (break31: 31 Han characters beside 30 English words gave zh)', () => {
    const text =
      'You are a helpful translator. Translate the following Chinese text into English, keeping the tone. Please be very careful and really precise.\n\nExample:\n输入：今天天气很好，我们去公园散步吧。我们还可以带上午餐，在湖边野餐。\n输出: The weather is nice today.';
    assert.equal(detectLanguage(text).language, 'en');
    assert.equal(new PromptAnalyzer().analyze(text).language, 'en');
    // The same example with Chinese instructions around it is Chinese.
    assert.equal(detectLanguage('请把下面的中文翻译成英文，保持原来的语气，只输出译文。\n\n输入：今天天气很好，我们去公园散步吧。').language, 'zh');
  });

  it('the analyzer and the compressor report zh, and the compressor rewrites exactly as with the English pack', () => {
    for (const text of [CN_TOPIC, maskLine(31), maskLine(363)]) {
      assert.equal(new PromptAnalyzer().analyze(text).language, 'zh');
      const compressor = new PromptCompressor();
      const detected = compressor.compress(text, { level: 'aggressive' });
      assert.equal(detected.language, 'zh');
      assert.equal(detected.text, compressor.compress(text, { level: 'aggressive', language: 'en' }).text);
    }
  });
});
