// The kind a prompt gets from the name it is bound to or returned from, read on real code
// (newuser26: the hover said "assistant prompt get_ai_step_user_prompt" on browser-use's user
// turn, because `_ai_` in the name matched before `user_prompt`). Oracle: the file read by hand
// (browser-use sends the first as a SystemMessage and the second as a UserMessage, agent/service.py).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const fixtures = path.resolve(__dirname, '../../../../../test/fixtures/hints-real');

/** [first line, kind, bound name] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, string, string | undefined]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.kind, p.boundName]);
}

describe('findPrompts: the kind a name gives', () => {
  it("a function named …_user_prompt returns a user prompt, whatever qualifies it (browser-use get_ai_step_user_prompt)", () => {
    const src = fs.readFileSync(path.join(fixtures, 'bu_ai_step_prompts.py'), 'utf8');
    assert.deepEqual(found(src, 'prompts.py'), [
      [8, 'system', 'get_ai_step_system_prompt'],
      [45, 'user', 'get_ai_step_user_prompt'],
    ]);
  });

  it('an assistant name without a user turn in it stays an assistant message', () => {
    const src = [
      'def get_ai_prefill_prompt():',
      "    return 'Here is the JSON you asked for, following the schema given in the instructions above:'",
    ].join('\n');
    assert.deepEqual(found(src, 'prompts.py').map(([line, kind]) => [line, kind]), [[2, 'assistant']]);
  });

  it('the assistant described in the third person opens a system prompt, after a <role> tag too (LangChain.js chat_convo prefix; Perplexica classifier)', () => {
    // LangChain's conversational agent prefix was not found at all (no name, no "you are"), and Perplexica's classifier
    // prompt, sent as the system message by agents/search/classifier.ts, was a user prompt.
    const prefix = fs.readFileSync(path.join(fixtures, 'langchainjs_chat_convo_prompt.ts'), 'utf8');
    assert.deepEqual(found(prefix, 'prompt.ts').slice(0, 2), [
      [1, 'system', 'DEFAULT_PREFIX'],
      [11, 'system', 'FORMAT_INSTRUCTIONS'],
    ]);
    const classifier = fs.readFileSync(path.resolve(__dirname, '../../../../../test/fixtures/perplexica/classifier.ts.txt'), 'utf8');
    assert.deepEqual(found(classifier, 'classifier.ts'), [[1, 'system', 'classifierPrompt']]);
    // Near misses written here: the assistant of a story, and a user described in the third person, open no system prompt.
    assert.deepEqual(found("const prompt = 'The user is a developer who asked for a summary of the meeting notes below. Summarize them in three bullet points.';\n", 'notes.ts').map(([, kind]) => kind), ['user']);
    assert.deepEqual(found("const caption = 'Assistant is not available right now, please try again later.';\n", 'ui.ts'), []);
    // break33b: product text that describes the assistant is short; it stays no prompt (both were system prompts at 0b599dc).
    assert.deepEqual(found("const messages = [{ text: 'This assistant is here to help you with your questions!', isUser: false }];\n", 'preview.ts'), []);
    assert.deepEqual(found("el.textContent = 'The assistant is here and ready to answer your questions about billing.';\n", 'widget.ts'), []);
  });
});
