/**
 * `~~~START_OF_CODING_RULES~~~` … `~~~END_OF_CODING_RULES~~~` (gpt-pilot marks sections of its prompts so, breaker44) are
 * delimiters, not code fences: the text between them is prose that compression and quick fixes may rewrite, and the
 * delimiters themselves are kept. Before, the analyzer (codeBlocks.ts) read the pair as one fenced block and the rewrite
 * guard (atoms.ts) read the first as an unclosed fence: the rest of the prompt was code, and nothing in it was rewritten.
 */
import * as assert from 'node:assert/strict';
import { codeBlocks } from '../../../src/shared/prompt/codeBlocks';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { rewriteThroughEditorPath, oracleProblems } from './rewritePath';

const prompt = [
  'You are a senior developer. Write the code for the task below.',
  '~~~START_OF_CODING_RULES~~~',
  'In order to keep the code readable, please make sure that every function is small.',
  '~~~END_OF_CODING_RULES~~~',
  'Here is the task: {task}',
].join('\n');

describe('tilde delimiters are no code fences', () => {
  it('codeBlocks finds no block; a real tilde fence is still one', () => {
    assert.deepEqual(codeBlocks(prompt), []);
    const fenced = 'Run this:\n~~~python\nprint("hi")\n~~~\nThen stop.';
    assert.deepEqual(codeBlocks(fenced).map((b) => b.text), ['~~~python\nprint("hi")\n~~~']);
  });

  it('Compress (medium) through the editor path rewrites the rules between the delimiters and keeps them and {task}', async () => {
    const source = `from openai import OpenAI\nclient = OpenAI()\n\ndef code(task):\n    prompt = """${prompt}"""\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt.format(task=task)}])\n`;
    const [found] = findPrompts(source, 'python', { fileName: 'code.py' });
    assert.ok(found);
    const outcome = await rewriteThroughEditorPath(source, { languageId: 'python', fileName: 'code.py' }, found, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied', JSON.stringify(outcome));
    if (outcome.status !== 'applied') return;
    assert.deepEqual(oracleProblems(source, outcome.edited, 'python', found, outcome.newText), []);
    assert.ok(outcome.newText.includes('~~~START_OF_CODING_RULES~~~\n') && outcome.newText.includes('\n~~~END_OF_CODING_RULES~~~') && outcome.newText.includes('{task}'), outcome.newText);
    // The rules' sentence was rewritten ("In order to" and "please make sure that" go).
    assert.ok(!outcome.newText.includes('In order to keep'), outcome.newText);
  });
});
