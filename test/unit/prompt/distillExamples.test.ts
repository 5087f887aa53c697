import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptDistiller } from '../../../src/engine/prompt/distiller';
import { exampleBlocks } from '../../../src/shared/prompt/examples';
import { findPrompts } from '../../../src/shared/prompt/scanner';

/**
 * Distill drops further examples (whole) before any instruction: bolt.new's system prompt (stackblitz/bolt.new eda10b1,
 * MIT; test/fixtures/scan/ts/bolt_prompts.ts) shows three `<example>` elements, 809 tokens, and Distill used to keep
 * all three and drop 32 instructions, missing its budget.
 */
describe('distiller: further examples go before instructions', () => {
  const distiller = new PromptDistiller();
  const file = join(resolve(__dirname, '../../../../test/fixtures/scan/ts'), 'bolt_prompts.ts');
  const bolt = () => findPrompts(readFileSync(file, 'utf8'), 'typescript', { fileName: file })[0].text;

  it("bolt.new at the default budget: the first example stays whole, the other two go whole (reason 'example'), the budget is met", () => {
    const text = bolt();
    const r = distiller.distill(text);
    assert.equal(r.fitsBudget, true);
    const examples = r.dropped.filter((d) => d.reason === 'example');
    assert.deepEqual(examples.map((d) => d.text.split('\n')[1].trim()), ['<user_query>Build a snake game</user_query>', '<user_query>Make a bouncing ball with real gravity using React</user_query>']);
    assert.deepEqual(examples.map((d) => d.tokens), [254, 412]);
    assert.equal((r.text.match(/<example>/g) ?? []).length, 1);
    assert.equal((r.text.match(/<\/example>/g) ?? []).length, 1);
    assert.ok(r.text.includes('<user_query>Can you help me create a JavaScript function to calculate the factorial of a number?</user_query>'));
    assert.ok(r.text.trimEnd().endsWith('</examples>'));
    // Fewer instructions go than the 32 that went while the examples had to stay.
    assert.equal(r.dropped.filter((d) => d.reason === 'budget').length, 24);
  });

  it('a roomy budget keeps the further examples, in order, while they fit whole', () => {
    const text = bolt();
    const all = distiller.distill(text, { maxTokens: 100_000 });
    const r = distiller.distill(text, { maxTokens: all.tokensAfter - 300 });
    // The third example (412 tokens) cannot fit: it goes; the second (254) stays, and no instruction goes for it.
    assert.deepEqual(r.dropped.filter((d) => d.reason === 'example').map((d) => d.tokens), [412]);
    assert.equal((r.text.match(/<example>/g) ?? []).length, 2);
    assert.ok(r.fitsBudget);
  });

  const numbered = [
    'Classify the sentiment of the review as positive, negative or mixed.',
    'Answer with one word.',
    '',
    '## Example 1',
    'Review: The battery lasts all day and the screen is bright.',
    'Sentiment: positive',
    '',
    '## Example 2',
    'Review: It broke after a week, and support never answered my emails about a refund or a replacement.',
    'Sentiment: negative',
    '',
    '## Example 3',
    'Review: Great camera, but the phone gets hot when charging and the speaker crackles at high volume.',
    'Sentiment: mixed',
    '',
    '## Review',
    '{review}',
  ].join('\n');

  it('numbered example headings: each section is one example; under a tight budget only the first stays, the instructions all stay', () => {
    const blocks = exampleBlocks(numbered);
    assert.deepEqual(blocks.map((b) => [b.group, b.position, numbered.slice(b.start, b.end).split('\n')[0]]), [[0, 0, '## Example 1'], [0, 1, '## Example 2'], [0, 2, '## Example 3']]);
    assert.ok(numbered.slice(blocks[2].start, blocks[2].end).endsWith('Sentiment: mixed'));
    const r = distiller.distill(numbered, { maxTokens: 60 });
    assert.ok(r.text.includes('Classify the sentiment of the review as positive, negative or mixed.'));
    assert.ok(r.text.includes('Answer with one word.'));
    assert.ok(r.text.includes('## Example 1\nReview: The battery lasts all day and the screen is bright.\nSentiment: positive'));
    assert.ok(!r.text.includes('Example 2') && !r.text.includes('Example 3'));
    assert.ok(r.text.includes('## Review\n{review}'));
    assert.deepEqual(r.dropped.filter((d) => d.reason === 'example').map((d) => d.text.split('\n')[0]), ['## Example 2', '## Example 3']);
  });

  it('exampleBlocks: sibling <example> elements form one group; a lone one and an <examples> list element are no further example', () => {
    const text = '<examples>\n  <example>a</example>\n  <example>b</example>\n</examples>\nText.\n<example>c</example>\n';
    assert.deepEqual(exampleBlocks(text).map((b) => [b.group, b.position, text.slice(b.start, b.end)]), [
      [0, 0, '  <example>a</example>'],
      [0, 1, '  <example>b</example>'],
      [1, 0, '<example>c</example>'],
    ]);
    assert.deepEqual(exampleBlocks('<examples>only a list</examples>'), []);
  });
});
