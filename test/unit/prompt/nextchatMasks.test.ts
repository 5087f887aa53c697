import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor, retainedItems } from '../../../src/engine/prompt/compressor';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';

// Real prompts of NextChat's built-in masks (test/fixtures/nextchat/SOURCES.md), as a new user met them (newuser30).
const FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'nextchat');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

describe('NextChat masks (newuser30)', () => {
  it('a number written between Chinese characters is a protected item: "不少于15个字，不超过30字"', () => {
    const text = fixture('cn-mentor-0.txt');
    assert.deepEqual(retainedItems(text, 'en'), ['15', '30', '“我已经准备好了”']);
  });

  // break30b: the same mask written in Korean (our translation, for this test): Korean puts a counter on the number
  // ("15자 이상 30자 이하", at least 15 and at most 30 characters), so 15 and 30 are items as in the Chinese, and distill
  // keeps the sentence that holds them. Before, neither number was an item and distill dropped that sentence.
  it('a number with a Korean counter is a protected item: "15자 이상 30자 이하"', () => {
    const text = '지금부터 당신은 철학적인 멘토입니다. 제가 질문할 때마다 철학적인 명언 한 구절로 답하고 저자와 출처를 밝혀 주세요\n\n\n답변은 15자 이상 30자 이하로 쓰고, 매번 한 구절만 돌려주며 다른 정보는 출력하지 마세요. 한국어와 영어 두 언어로 출력하세요\n\n\n준비가 되면 “준비되었습니다”라고만 답하세요 (다른 내용은 출력하지 마세요)';
    assert.deepEqual(retainedItems(text, 'en'), ['15', '30', '“준비되었습니다”']);
    assert.ok(new PromptDistiller().distill(text, {}).text.includes('답변은 15자 이상 30자 이하로 쓰고'));
  });

  // break30b: NextChat's Japanese prompts (app/locales/jp.ts lines 474-477 at 706a18b, MIT; SOURCES.md) quote with corner
  // brackets: the topic prompt's literal answer 「雑談」 ("chat", what to reply when there is no topic) is a quoted item as
  // the Chinese mask's “我已经准备好了” is; the summary prompt's limit 200 (200文字以内) is a number. Before, 「雑談」 was none.
  it('a Japanese 「…」 quote is a protected item (NextChat\'s Japanese topic prompt)', () => {
    const topic = 'この文の簡潔なテーマを四から五文字で返してください。説明、句読点、感嘆詞、余計なテキストは不要です。太字も不要です。テーマがない場合は「雑談」と返してください';
    assert.deepEqual(retainedItems(topic, 'en'), ['「雑談」']);
    assert.deepEqual(retainedItems('対話の内容を簡潔に要約し、後続のコンテキストプロンプトとして使用します。200文字以内に抑えてください', 'en'), ['200']);
  });

  it('distilling the 心灵导师 mask keeps the paragraph with its length limits (15 and 30 characters)', () => {
    const text = fixture('cn-mentor-0.txt');
    // Before: the paragraph "要求字数不少于15个字，不超过30字，…双语输出" was dropped for the budget; its numbers were not seen.
    const r = new PromptDistiller().distill(text, {});
    assert.equal(r.text, text.replace(/\n\n\n/g, '\n\n'));
  });

  it('an adverb coordinated with a prepositional phrase stays: "carefully & to the letter" (GitHub Copilot mask)', () => {
    const line = fixture('en-copilot-0.txt').split('\n')[2];
    assert.equal(line, 'Follow the user"s requirements carefully & to the letter.');
    // Before: "Follow the user"s requirements & to the letter." (Optimize, balanced, local rules), a dangling "&".
    const compressor = new PromptCompressor();
    assert.equal(compressor.compress(line).text, line);
    assert.equal(compressor.compress('Read the contract carefully and in full.').text, 'Read the contract carefully and in full.');
    // The partner is a verb: the adverb only intensifies and still goes.
    assert.equal(compressor.compress('Read the spec carefully and list the risks.').text, 'Read the spec and list the risks.');
  });
});
