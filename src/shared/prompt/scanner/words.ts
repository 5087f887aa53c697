/**
 * Words and cues the scanner weighs a literal's shape by (evidence.ts), for scripts with and without spaces between words:
 * issue 12 item 3 found a Chinese sentence counted as one "word" and only English, Portuguese and Spanish task cues, so
 * the Chinese twins of prompts found in English (NextChat's cn.ts, Qwen-Agent's *_ZH templates) were missed.
 */

// The same cues in Chinese (issue 12 item 3: NextChat's cn.ts and masks, Qwen-Agent, Langchain-Chatchat). A role sentence
// ("你是…", "我希望你充当…", "你的任务是…") opens a system prompt; an imperative at a line's start ("请…", "根据…", "总结…",
// "以下是…") gives a task. Chinese UI text opens with 请 too ("请输入访问密码"), so a task opening counts only in a text of
// some length (CJK_TASK_MIN_WORDS) and not before the verbs a UI asks the person with ("请输入", "请选择", "请点击", "请稍后",
// "请检查", "请在下方…"); the vocabulary needs as many distinct words as the English one.
export const SYSTEM_OPENING_ZH = /^\s*(你是|您是|你现在是|现在你是|你将(扮演|作为|充当|成为)|你(扮演|充当|担任)|请你?(扮演|充当|担任)|我(希望|想让|要|需要)你(充当|担任|扮演|作为|成为)|从现在(起|开始)[，,]?\s*你|你的(角色|任务|身份|职责)是)/;
export const TASK_OPENING_ZH = /(^|\n)\s*(#+\s*)?(请(?!输入|选择|点击|填写|填入|上传|下载|稍后|稍候|检查|先|登录|确认|前往|联系|刷新|重试|重新|在|授权|赋予|允许|勿|求)|根据|基于|总结|概括|翻译|回答|提取|生成|撰写|写一|给出|判断|分析|列出|输出|简要|描述|解释|阅读|使用|以下是|下面是)/;
export const PROMPTISH_ZH = /你|您|用户|助手|回答|问题|输出|格式|要求|不要|必须|务必|任务|以下|示例|上下文|总结|规则|步骤|返回|回复/g;
export const CJK_TASK_MIN_WORDS = 10;
// Japanese and Korean put the verb last: a task is a task verb ("要約し", "返して", "요약하여", "반환하세요") and a polite
// imperative ("…てください", "…하세요"), as NextChat's jp.ts and ko.ts Topic and Summarize prompts ask. UI text asks with the
// same endings ("後でもう一度試してください", "다시 시도해 주세요"), so the verb must be one a model is asked to do.
export const TASK_JA = /(要約|翻訳|生成|作成|回答|答え|抽出|分類|説明|出力|返)(し|して|する)[\s\S]*(ください|なさい)/;
export const TASK_KO = /(요약|반환|번역|생성|작성|답변|추출|분류|설명|출력)(하여|해서|하고|하세요|하십시오|해\s?주세요)[\s\S]*(세요|십시오|주세요)|(요약|반환|번역|생성|작성|답변|추출|분류|설명|출력)(하세요|하십시오|해\s?주세요)/;

/** JavaScript's `\s`: the Unicode space separators, the line terminators, tab, vertical tab, form feed and the byte-order mark. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `[A-Za-zÀ-ÿ\u0400-\u04ff\uac00-\ud7af]`: the letters of the scripts that put spaces between words (Hangul included: Korean does). */
function isWordLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0xff) || (c >= 0x400 && c <= 0x4ff) || (c >= 0xac00 && c <= 0xd7af);
}

/** `[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]`: kana and Han, written with no spaces between words. */
function isUnspacedLetter(c: number): boolean {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);
}

/**
 * Characters per word in Chinese: ICU's word segmentation (`Intl.Segmenter('zh')`) cuts the 6,833 Han characters of the
 * NextChat and Qwen-Agent prompts of the scan corpus into 4,134 words, 1.65 each. (Segmenting every literal of a file is
 * far too slow for the editor; a run's length over 1.65, rounded, gives 4,027 on the same text.)
 */
const CHARS_PER_UNSPACED_WORD = 1.65;

/** The words a run of `n` kana or Han characters holds (at least one). */
function unspacedWords(n: number): number {
  return Math.max(1, Math.round(n / CHARS_PER_UNSPACED_WORD));
}

/** Whether the text holds a kana or Han character. */
export function hasUnspaced(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isUnspacedLetter(text.charCodeAt(i))) return true;
  return false;
}

/**
 * The words of a text: each whitespace-separated piece with a letter of a spaced script is one, and each run of kana or Han
 * characters counts by its length (`unspacedWords`), so a Chinese sentence is a sentence's worth of words, not one
 * ("请根据回答规则，给出你的回答：" is 8, "markdown图片" 2). Built without splitting: every literal of a file is measured
 * (exported for the test that checks it against the same definition written with regular expressions).
 */
export function countWords(text: string): number {
  let count = 0;
  let hasLetter = false;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isUnspacedLetter(c)) {
      run++;
      continue;
    }
    if (run > 0) {
      count += unspacedWords(run);
      run = 0;
    }
    if (isSpace(c)) {
      if (hasLetter) count++;
      hasLetter = false;
    } else if (!hasLetter && isWordLetter(c)) hasLetter = true;
  }
  if (run > 0) count += unspacedWords(run);
  return hasLetter ? count + 1 : count;
}
