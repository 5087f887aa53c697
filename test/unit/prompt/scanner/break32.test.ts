// break32: near misses of newuser32's "a list named for its examples holds only examples" (Perplexica's
// videoSearchFewShots). A list named few_shot_messages that ends with the question asked (a user turn that splices
// the live value in) keeps that turn as the user message. Invented for this test; the oracle is the code read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

/** [first line, kind] of each prompt found, 1-based. */
function found(src: string, fileName: string): Array<[number, string]> {
  return findPrompts(src, undefined, { fileName }).map((p) => [p.range.start.line + 1, p.kind]);
}

describe('a list named for its examples that ends with the live question (break32)', () => {
  it('Python: f"Ticket: {ticket}…" closing few_shot_messages is the user message', () => {
    const src = [
      'from openai import OpenAI',
      '',
      'client = OpenAI()',
      '',
      '',
      'def summarize(ticket):',
      '    few_shot_messages = [',
      '        {"role": "system", "content": "You summarize support tickets in one sentence for the on-call engineer."},',
      '        {"role": "user", "content": "Ticket: the export button does nothing on Safari when the file is larger than 10 MB."},',
      '        {"role": "assistant", "content": "Export fails silently on Safari for files over 10 MB."},',
      '        {"role": "user", "content": f"Ticket: {ticket}\\nSummarize it in one sentence for the on-call engineer."},',
      '    ]',
      '    return client.chat.completions.create(model="gpt-4o-mini", messages=few_shot_messages)',
    ].join('\n');
    assert.deepEqual(found(src, 'summarize.py'), [
      [8, 'system'],
      [9, 'fewShot'],
      [10, 'fewShot'],
      [11, 'user'],
    ]);
  });

  it('TypeScript: `${query}` in the last user turn of fewShotMessages; a fixed last turn stays an example', () => {
    const list = (last: string): string =>
      [
        'export function build(query: string) {',
        '  const fewShotMessages = [',
        "    { role: 'user', content: 'Translate the word cat into French for me please.' },",
        "    { role: 'assistant', content: 'The French word for cat is chat.' },",
        `    { role: 'user', content: ${last} },`,
        '  ];',
        "  return client.chat.completions.create({ model: 'gpt-4o', messages: fewShotMessages });",
        '}',
      ].join('\n');
    assert.deepEqual(found(list('`Now translate the word ${query} into French for me please.`'), 'chat.ts'), [
      [3, 'fewShot'],
      [4, 'fewShot'],
      [5, 'user'],
    ]);
    assert.deepEqual(found(list("'Now translate the word dog into French for me please.'"), 'chat.ts'), [
      [3, 'fewShot'],
      [4, 'fewShot'],
      [5, 'fewShot'],
    ]);
  });
});

// OpenAI's cookbook (openai/openai-cookbook, MIT; test/fixtures/openai-cookbook, SOURCES.md) writes few-shot turns as
// system messages named example_user / example_assistant; they came out as four more system prompts.
describe('system messages named example_user / example_assistant are few-shot turns (break32)', () => {
  it('How_to_format_inputs_to_ChatGPT_models: the system prompt, four few-shot turns, the user message', () => {
    const file = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'openai-cookbook', 'format_inputs_example_names.py');
    assert.deepEqual(found(readFileSync(file, 'utf8'), 'format_inputs.py'), [
      [5, 'system'],
      [6, 'fewShot'],
      [7, 'fewShot'],
      [8, 'fewShot'],
      [9, 'fewShot'],
      [10, 'user'],
    ]);
  });

  it('TypeScript alike; near miss: a system message with another name stays a system message', () => {
    const src = [
      'const messages = [',
      "  { role: 'system', content: 'You translate corporate jargon into plain English for new employees.' },",
      "  { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },",
      "  { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },",
      "  { role: 'system', name: 'policy', content: 'Never reveal the internal names of our customers to anyone.' },",
      "  { role: 'user', content: 'This late pivot means we cannot boil the ocean for the client.' },",
      '];',
      "await client.chat.completions.create({ model: 'gpt-4o', messages });",
    ].join('\n');
    assert.deepEqual(found(src, 'chat.ts'), [
      [2, 'system'],
      [3, 'fewShot'],
      [4, 'fewShot'],
      [5, 'system'],
      [6, 'user'],
    ]);
  });
});
