// Chinese prompts in real code (issue 12 items 3, 6, 7; session 31, helper cjk31): the held-out group `$heldOutCjk` of
// the scan corpus (Qwen-Agent, Langchain-Chatchat, ChatGLM3, NextChat; test/fixtures/scan/SOURCES.md). The scanner
// counted a Chinese sentence as one "word" and knew only English, Portuguese and Spanish task cues, so the Chinese twins
// of prompts it found in English were missed. The oracle is each file read by hand (annotations.json); the near misses
// are UI labels and messages that must stay silent.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'scan');

/** [first line, last line, kind] of each prompt found (1-based). */
function foundIn(src: string, fileName: string): Array<[number, number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p): [number, number, string] => [p.range.start.line + 1, p.range.end.line + 1, p.kind]);
}

const found = (path: string): Array<[number, number, string]> => foundIn(readFileSync(join(FIXTURES, path), 'utf8'), path);
const linesOf = (src: string, fileName: string): number[] => foundIn(src, fileName).map(([s]) => s);

describe('findPrompts: Chinese prompts (session 31)', () => {
  it("NextChat's cn.ts: Store.Prompt.Topic and Summarize are found, and none of the 870 lines of UI labels", () => {
    // Their en.ts twins are found by the same evidence (inside the value of Prompt, words, a task opening). History, a
    // short "这是历史聊天总结作为前情提要：" + content, is missed, as its English twin is.
    assert.deepEqual(found('ts/nextchat_locales_cn.ts'), [
      [640, 640, 'user'],
      [642, 642, 'user'],
    ]);
  });

  it("Qwen-Agent: the Chinese templates are found with their English twins, and a role sentence opens a system prompt", () => {
    assert.deepEqual(found('python/qwen_agent_parallel_doc_qa_member.py'), [
      [25, 57, 'system'],
      [59, 87, 'system'],
      [94, 100, 'template'],
      [102, 108, 'template'],
    ]);
    // "你扮演一个天气预报助手，…" bound to `system` and passed as system_message=.
    assert.deepEqual(
      found('python/qwen_agent_assistant_weather_bot.py').filter(([s]) => s === 28),
      [[28, 29, 'system']],
    );
  });

  it('Langchain-Chatchat: a Chinese PromptTemplate is found; a template made only of a placeholder is not a prompt', () => {
    const lines = found('python/chatchat_summary_chunk.py').map(([s, e]) => [s, e]);
    assert.deepEqual(lines, [
      [61, 65],
      [73, 73],
    ]);
  });

  it('a template of placeholders only stays silent however plainly it is sent, in English too', () => {
    const src = [
      'from langchain.prompts import PromptTemplate',
      '',
      'document_prompt = PromptTemplate(input_variables=["page_content"], template="{page_content}")',
      'summary_prompt = PromptTemplate(input_variables=["text"], template="Summarize the text below in three sentences:\\n{text}")',
    ].join('\n');
    assert.deepEqual(linesOf(src, 'chain.py'), [4]);
  });

  it('Chinese UI labels, placeholders and errors stay silent, even under a Prompt key or opening with 请', () => {
    const src = [
      'const cn = {',
      '  Error: "出错了，稍后重试吧",',
      '  Prompt: {',
      '    Disable: {',
      '      Title: "禁用提示词自动补全",',
      '      SubTitle: "在输入框开头输入 / 即可触发自动补全",',
      '    },',
      '    List: "自定义提示词列表",',
      '    Search: "请输入提示词名称或者关键字进行搜索",',
      '  },',
      '  Auth: { Tips: "管理员开启了密码验证，请在下方填入访问码", Input: "请输入访问密码" },',
      '};',
      'export function check(ok: boolean) {',
      '  if (!ok) throw new Error("请求失败，请检查网络连接后重试");',
      '}',
      'export default cn;',
    ].join('\n');
    assert.deepEqual(linesOf(src, 'locales/cn.ts'), []);
  });

  it('a Chinese task under a Prompt key is found, as its English twin is', () => {
    const src = [
      'const cn = {',
      '  Prompt: {',
      '    Summarize: "简要总结一下对话内容，用作后续的上下文提示 prompt，控制在 200 字以内",',
      '  },',
      '};',
      'const en = {',
      '  Prompt: {',
      '    Summarize: "Summarize the discussion briefly in 200 words or less to use as a prompt for future context.",',
      '  },',
      '};',
    ].join('\n');
    assert.deepEqual(linesOf(src, 'locales.ts'), [3, 8]);
  });

  it("NextChat's jp.ts, ko.ts and tw.ts Topic and Summarize are found (verb-final tasks, 'Use … to generate'); their UI errors and tooltips under the same Prompt key stay silent", () => {
    // ChatGPTNextWeb/NextChat app/locales/{jp,ko,tw}.ts (MIT; test/fixtures/nextchat/SOURCES.md), Store.Prompt and its UI.
    const src = [
      'const jp = {',
      '  Error: "エラーが発生しました。後でもう一度試してください",',
      '  Prompt: {',
      '    Topic: "この文の簡潔なテーマを四から五文字で返してください。説明、句読点、感嘆詞、余計なテキストは不要です。太字も不要です。テーマがない場合は「雑談」と返してください",',
      '    Summarize: "対話の内容を簡潔に要約し、後続のコンテキストプロンプトとして使用します。200文字以内に抑えてください",',
      '    Tips: "プロンプトを検索するにはキーワードを入力してください。一覧から選択することもできます",',
      '  },',
      '};',
      'const ko = {',
      '  Error: "오류가 발생했습니다. 나중에 다시 시도해 주세요.",',
      '  Prompt: {',
      '    Topic: "네 글자에서 다섯 글자로 이 문장의 간략한 주제를 반환하세요. 설명이나 문장 부호, 어미, 불필요한 텍스트, 굵은 글씨는 필요 없습니다. 주제가 없다면 \'잡담\'이라고만 반환하세요.",',
      '    Summarize: "대화 내용을 간략히 요약하여 후속 컨텍스트 프롬프트로 사용하세요. 200자 이내로 작성하세요.",',
      '    Tips: "프롬프트를 검색하려면 키워드를 입력하세요. 목록에서 선택할 수도 있습니다.",',
      '  },',
      '};',
      'const tw = {',
      '  Prompt: {',
      '    Topic: "Use the language used by the user (e.g. en for english conversation, zh-hant for chinese conversation, etc.) to generate a title (at most 6 words) summarizing our conversation without any lead-in, quotation marks, preamble like \'Title:\', direct text copies, single-word replies, quotation marks, translations, or brackets.",',
      '    Tips: "Use the search box above to find a prompt by its name or keywords.",',
      '  },',
      '};',
    ].join('\n');
    assert.deepEqual(linesOf(src, 'locales.ts'), [4, 5, 12, 13, 19]);
  });

  it("ChatGLM3: Chinese tool descriptions are found; the banner the demo also prints is console text, not a prompt", () => {
    assert.deepEqual(
      found('python/chatglm3_cli_demo_tool.py').map(([s, , k]) => [s, k]),
      [30, 36, 42, 49, 53, 56, 62, 68, 72, 76, 83, 89].map((n) => [n, 'tool']).concat([[98, 'system']]),
    );
  });

  it('a literal bound to a prompt-named variable and printed as such elsewhere in the file is console text (English too)', () => {
    const banner = [
      'from openai import OpenAI',
      '',
      'def build_prompt(history):',
      '    prompt = "Welcome to the demo: type a question to chat, clear to reset the history, stop to quit"',
      '    for query, response in history:',
      '        prompt += f"\\n\\nUser: {query}"',
      '    return prompt',
      '',
      'print("Welcome to the demo: type a question to chat, clear to reset the history, stop to quit")',
    ].join('\n');
    assert.deepEqual(linesOf(banner, 'cli_demo.py'), []);
    // The same text, not printed, is a prompt by its name.
    assert.deepEqual(linesOf(banner.split('\n').slice(0, 8).join('\n'), 'cli_demo.py'), [4]);
  });

  it("ChatGLM3's basic_demo/cli_demo.py: the banner bound to welcome_prompt and only printed through that name is console text", () => {
    // break31: THUDM/ChatGLM3 732294f (Apache-2.0) basic_demo/cli_demo.py lines 1-31, abridged (the model loading and
    // the rest of main() are cut). SOURCES.md already reads this banner as console text; it was found as a user prompt.
    const demo = [
      'import os',
      'from transformers import AutoTokenizer, AutoModel',
      '',
      "welcome_prompt = \"欢迎使用 ChatGLM3-6B 模型，输入内容即可进行对话，clear 清空对话历史，stop 终止程序\"",
      '',
      '',
      'def build_prompt(history):',
      '    prompt = welcome_prompt',
      '    for query, response in history:',
      '        prompt += f"\\n\\n用户：{query}"',
      '        prompt += f"\\n\\nChatGLM3-6B：{response}"',
      '    return prompt',
      '',
      '',
      'def main():',
      '    past_key_values, history = None, []',
      '    print(welcome_prompt)',
      '    while True:',
      '        query = input("\\n用户：")',
      '        if query.strip() == "clear":',
      '            past_key_values, history = None, []',
      '            print(welcome_prompt)',
      '            continue',
    ].join('\n');
    assert.deepEqual(linesOf(demo, 'cli_demo.py'), []);
    // A prompt printed before it is sent keeps its other use: passed to a model, or copied into a variable that a called
    // function builds the prompt with.
    const sent = demo.replace('    print(welcome_prompt)\n', '    print(welcome_prompt)\n    model.chat(tokenizer, welcome_prompt)\n');
    assert.deepEqual(linesOf(sent, 'cli_demo.py'), [4]);
    assert.deepEqual(linesOf(`${demo}\n    print(build_prompt(history))`, 'cli_demo.py'), [4]);
    const english = [
      'from langchain_openai import OpenAI',
      'llm = OpenAI()',
      'prompt = "Write a short poem about the sea, in four lines, with rhymes."',
      'print(prompt)',
      'print(llm.invoke(prompt))',
    ].join('\n');
    assert.deepEqual(linesOf(english, 'poem.py'), [3]);
    // A module of prompts that prints them to check them is no console program (it reads no input): all three stay prompts.
    const module = [
      'SYSTEM_PROMPT = "You are a helpful assistant that answers questions about the user\'s documents."',
      'SUMMARY_PROMPT = "Summarize the conversation so far in three sentences."',
      'QUERY_PROMPT = "Rewrite the question so that it can be searched in a vector store."',
      'if __name__ == "__main__":',
      '    print(SYSTEM_PROMPT)',
      '    print(SUMMARY_PROMPT)',
      '    print(QUERY_PROMPT)',
    ].join('\n');
    assert.deepEqual(linesOf(module, 'prompts.py'), [1, 2, 3]);
  });

  it("the Field descriptions of a FastAPI app's request and response bodies, and their docs examples, are not prompts", () => {
    const api = [
      'from fastapi import FastAPI',
      'from openai import OpenAI',
      'from pydantic import BaseModel, Field',
      '',
      'class MCPConnectionCreate(BaseModel):',
      '    timeout: int = Field(default=30, description="Connection timeout in seconds")',
      '    transport: str = Field(default="stdio", description="传输方式过滤")',
      '',
      'class ChatMessage(BaseModel):',
      '    question: str = Field(..., description="Question text")',
      '',
      '    class Config:',
      '        json_schema_extra = {"example": {"question": "工伤保险如何办理？", "response": "根据已知信息，可以总结如下：参保单位为员工缴纳工伤保险费。"}}',
    ].join('\n');
    assert.deepEqual(linesOf(api, 'api_schemas.py'), []);
    // Without FastAPI in the file the same models weigh as schemas sent to the model, as before (the example's answer too).
    assert.deepEqual(linesOf(api.replace('from fastapi import FastAPI', ''), 'api_schemas.py'), [6, 7, 13]);
  });

  it('a FastAPI app\'s *Request model handed to the model as a tool schema is still one (break31)', () => {
    const app = [
      'import openai',
      'from fastapi import FastAPI',
      'from pydantic import BaseModel, Field',
      '',
      'class WeatherRequest(BaseModel):',
      '    city: str = Field(description="The city to get the weather for, for example San Francisco or Paris")',
      '',
      'class ForecastRequest(WeatherRequest):',
      '    days: int = Field(description="How many days of forecast the person asked for")',
      '',
      '@app.post("/forecast")',
      'def forecast(body: ForecastRequest) -> list[ForecastRequest]:',
      '    return [ForecastRequest(city=body.city, days=body.days)]',
      '',
      'tools = [openai.pydantic_function_tool(WeatherRequest)]',
    ].join('\n');
    // WeatherRequest goes to the model as a function tool (it was dropped as a web API body); ForecastRequest, derived from
    // it, is only the body of a route.
    assert.deepEqual(linesOf(app, 'app.py'), [6]);
    assert.deepEqual(linesOf(app.replace('tools = [openai.pydantic_function_tool(WeatherRequest)]', 'tools = [WeatherRequest]'), 'app.py'), [6]);
    assert.deepEqual(linesOf(app.replace('tools = [openai.pydantic_function_tool(WeatherRequest)]', ''), 'app.py'), []);
  });
});
