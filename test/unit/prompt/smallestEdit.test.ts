/**
 * A rewrite of a prompt of one literal changes only the source it must: what the rewrite keeps is written back as it
 * was written. Cinnamon/kotaemon 4015bb0f (Apache-2.0), libs/kotaemon/kotaemon/indices/qa/citation_qa_inline.py: the
 * triple-quoted DEFAULT_QA_CITATION_PROMPT ends `QUESTION: {question}\n` + a line break + `ANSWER:`; a Compress that
 * removed nothing there rewrote the `\n` escape as a line break and an empty line (newuser40). Oracle: the source
 * written by hand with only the removed words gone.
 */
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';

function edit(src: string, fileName: string, change: (text: string) => string) {
  const prompt = findPrompts(src, undefined, { fileName }).find((p) => p.text.includes('very'));
  assert.ok(prompt, 'the prompt is found');
  const verdict = planLiteralEdit(src, prompt, change(prompt.text), { fileName });
  assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
  return verdict;
}

describe('rewrites of one literal: the smallest edit of its source', () => {
  it('kotaemon: the `\\n` escape before a line break stays as written; only the removed words change', () => {
    const src = [
      'DEFAULT_QA_CITATION_PROMPT = """',
      'Use the following pieces of context to answer the question at the end.',
      'Provide a very DETAILED answer with clear explanation.',
      '',
      'QUESTION: {question}\\n',
      'ANSWER:',
      '"""  # noqa',
      'prompt = DEFAULT_QA_CITATION_PROMPT.format(question=q)',
      'llm.invoke(prompt)',
      '',
    ].join('\n');
    const verdict = edit(src, 'citation_qa_inline.py', (t) => t.replace('a very DETAILED', 'a DETAILED'));
    assert.equal(verdict.edited, src.replace('a very DETAILED', 'a DETAILED'));
    // The edit itself covers only the removed word and its space.
    assert.deepEqual([verdict.edit.text, src.slice(verdict.edit.start, verdict.edit.end)], ['', 'very ']);
  });

  it('JavaScript: \\u00e9, \\t and a line continuation the rewrite does not touch stay as written', () => {
    const src = 'const SYSTEM = "Caf\\u00e9 owner:\\tbe very brief. \\\nAnswer in French.";\nclient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n';
    const verdict = edit(src, 'app.ts', (t) => t.replace('very ', ''));
    assert.equal(verdict.edited, src.replace('very ', ''));
  });

  it('changed text next to an escape is encoded; the result decodes to the new text', () => {
    const src = 'SYSTEM = "Be very brief.\\nSay \\"done\\" at the end."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n';
    const verdict = edit(src, 'app.py', (t) => t.replace('very brief.\nSay "done"', 'brief.\nSay "finished"'));
    assert.equal(verdict.edited, src.replace('very brief.\\nSay \\"done\\"', 'brief.\\nSay \\"finished\\"'));
  });
});
