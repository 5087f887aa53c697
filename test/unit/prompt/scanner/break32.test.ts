// break32: near misses of newuser32's "a list named for its examples holds only examples" (Perplexica's
// videoSearchFewShots). A list named few_shot_messages that ends with the question asked (a user turn that splices
// the live value in) keeps that turn as the user message. Invented for this test; the oracle is the code read by hand.
import * as assert from 'node:assert/strict';
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
