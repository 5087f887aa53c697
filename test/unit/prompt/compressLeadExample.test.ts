import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { exampleSpans } from '../../../src/shared/prompt/examples';
import { RangeIndex } from '../../../src/shared/prompt/spans';
import { findPrompts } from '../../../src/shared/prompt/scanner';

/**
 * A worked example under an imperative lead ("STRICTLY FOLLOW THIS EXAMPLE:") is data, over all its paragraphs: kotaemon's
 * citation prompt (Cinnamon/kotaemon 4015bb0f, Apache-2.0; test/fixtures/kotaemon/SOURCES.md) lost the articles of its
 * example answer at aggressive ("An alternative to semantic chunking is fixed-size chunking" → "Alternative to …").
 */
describe('compress: a worked example under "STRICTLY FOLLOW THIS EXAMPLE:" stays as written', () => {
  const file = resolve(__dirname, '../../../../test/fixtures/kotaemon/citation_qa_inline.py.txt');
  const prompt = () => findPrompts(readFileSync(file, 'utf8'), 'python', { fileName: 'citation_qa_inline.py' }).find((p) => p.text.includes('STRICTLY FOLLOW'))!.text;

  it('aggressive keeps every line of the example, from "CITATION LIST" to the example answer, and still compresses the instructions', () => {
    const text = prompt();
    const example = text.slice(text.indexOf('STRICTLY FOLLOW THIS EXAMPLE:\n') + 30, text.indexOf('\n\nQUESTION:'));
    const r = new PromptCompressor().compress(text, { level: 'aggressive' });
    assert.ok(r.text.includes(example), r.text);
    assert.ok(r.text.length < text.length);
  });

  it('the example ends where the prompt fills a slot ("QUESTION: {question}"), and a prose paragraph after an example is no part of it', () => {
    const text = 'Follow this example:\nINPUT: red apple\n\nOUTPUT: APPLE (red)\n\nQUESTION: {question}';
    assert.deepEqual(exampleSpans(text, new RangeIndex([])).map((s) => s.text), ['INPUT: red apple', 'OUTPUT: APPLE (red)']);
    const prose = 'Here is an example:\nINPUT: red apple\n\nNow write the output for the user in a friendly tone.';
    assert.deepEqual(exampleSpans(prose, new RangeIndex([])).map((s) => s.text), ['INPUT: red apple']);
  });
});
