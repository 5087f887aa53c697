// Leftovers of issue 12 (session 34, helper left34). Each rule was seen in a real repository (named per test); where the
// repository's licence is not permissive the test uses a snippet written for it, with the same shape.
import * as assert from 'node:assert/strict';
import { foundIn } from '../../../helpers/scanCorpus';

describe('findPrompts: leftovers of issue 12 (left34)', () => {
  // khoj-ai/khoj src/khoj/processor/conversation/google/utils.py (AGPL-3.0, read only; ae229ca): handle_gemini_response's
  // `message = f"\nI'd prefer to not respond to that due to **{…}** issues with your query."` (a canned reply to the
  // user) was a template because format_messages_for_gemini, in the same file, does `system_prompt += "\n\n" + message.content`.
  const reply = [
    'from openai import OpenAI',
    '',
    '',
    'def explain_refusal(result):',
    '    if result.blocked:',
    '        message = f"\\nSorry, I will not answer that because of **{result.reason.name}** problems with your question."',
    '        return message',
    '    return None',
    '',
    '',
    'def merge_system(messages, system_prompt=""):',
    '    for message in messages:',
    '        if message.role == "system":',
    '            system_prompt += "\\n\\n" + message.content',
    '    return system_prompt',
    '',
  ];

  it("a name read up to an attribute (`+ message.content`) is no section of the prompt: the file's `message = f\"…\"` is no prompt", () => {
    assert.deepEqual(foundIn(reply.join('\n'), 'utils.py'), []);
  });

  it('near miss: the same name joined whole (`+ message`) is a section of the prompt', () => {
    const joined = reply.map((l) => l.replace('"\\n\\n" + message.content', '"\\n\\n" + message'));
    assert.deepEqual(foundIn(joined.join('\n'), 'utils.py'), [[6, 6, 'template']]);
  });
});
