/**
 * Findings of a new user on Cinnamon/kotaemon (session 40, newuser40; test/fixtures/kotaemon/SOURCES.md, Apache-2.0).
 * Its inline-citation QA prompt (libs/kotaemon/kotaemon/indices/qa/citation_qa_inline.py, DEFAULT_QA_CITATION_PROMPT)
 * opens with its task, "Use the following pieces of context to answer the question at the end.", and Distill Prompt at
 * the budget its input box proposes dropped that sentence while saying the main instruction is always kept.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mainInstructionIndex, PromptDistiller, usesMeansForTask } from '../../../src/engine/prompt/distiller';
import { linkUnits } from '../../../src/engine/prompt/distillLinks';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'kotaemon');
const distiller = new PromptDistiller();

function citationPrompt(): string {
  const source = readFileSync(join(FIXTURES, 'citation_qa_inline.py.txt'), 'utf8');
  const prompt = findPrompts(source, undefined, { fileName: 'citation_qa_inline.py' }).find((p) => p.text.includes('pieces of context'));
  assert.ok(prompt);
  return prompt.text;
}

describe('distill keeps a task stated after the material to use (kotaemon citation QA prompt)', function () {
  this.timeout(60_000);

  it('keeps "Use the following pieces of context to answer the question at the end." at the lowest budget', () => {
    const r = distiller.distill(citationPrompt(), { maxTokens: 1, model: 'gpt-4o-mini' });
    assert.ok(r.text.startsWith('Use these pieces of context to answer the question at the end.\n'), r.text.slice(0, 200));
    assert.deepEqual(r.dropped.filter((d) => /pieces of context/.test(d.text)), []);
  });

  it('keeps the worked example\'s "FINAL ANSWER" marker with the answer under it (the app splits the output on it)', () => {
    const r = distiller.distill(citationPrompt(), { maxTokens: 1, model: 'gpt-4o-mini' });
    assert.ok(r.text.includes('\nFINAL ANSWER\nAn alternative to semantic chunking is fixed-size chunking.'), r.text.slice(-700));
    // A marker needs content on the very next line: "CITATION【2】" and "FINAL ANSWER\nstring" of the format are left to the budget.
    // Units: "FINAL ANSWER", "The answer.", "CITATION LIST", "The list.", "SEE BELOW. x" (punctuated: no marker).
    const text = 'FINAL ANSWER\nThe answer.\n\nCITATION LIST\n\nThe list.\nSEE BELOW.\nx';
    const units = analyzeProtected(text).units;
    assert.deepEqual(units.map((u) => u.text), ['FINAL ANSWER', 'The answer.', 'CITATION LIST', 'The list.', 'SEE BELOW.', 'x']);
    assert.deepEqual(linkUnits(text, units).requires, [[], [0], [], [], [], []]);
  });

  it('reads "Use/Read … to/and <task verb>" as the main instruction, and nothing else that opens with those verbs', () => {
    const en = compiledPack('en');
    const units = (text: string) => analyzeProtected(text).units;
    const at = (text: string, pack = en) => {
      const u = units(text);
      const i = mainInstructionIndex(u, pack);
      return i < 0 ? undefined : u[i].text;
    };
    assert.equal(at('Some context here.\nUse the following pieces of context to answer the question at the end.\nProvide a detailed answer.'), 'Use the following pieces of context to answer the question at the end.');
    assert.equal(at('Some context here.\nRead the text below and summarize it in three bullets.'), 'Read the text below and summarize it in three bullets.');
    // Near misses: no task verb after "to"/"and"; the verb opens no clause; "use" is not the first word.
    assert.equal(at('Some context here.\nUse bullets.\nProvide a detailed answer.'), 'Provide a detailed answer.');
    assert.equal(at('Some context here.\nUse the tools to the best of your ability.\nProvide a detailed answer.'), 'Provide a detailed answer.');
    assert.equal(at('Some context here.\nWe use the context to answer questions.\nProvide a detailed answer.'), 'Provide a detailed answer.');
    assert.equal(usesMeansForTask('Use the following pieces of context to answer the question.', en), true);
    assert.equal(usesMeansForTask('Use a formal tone. Then answer.', en), false);
    // Spanish and Portuguese.
    assert.equal(at('Hay contexto aquí.\nUsa el contexto para responder la pregunta.', compiledPack('es')), 'Usa el contexto para responder la pregunta.');
    assert.equal(at('Há contexto aqui.\nUse o contexto para responder à pergunta.', compiledPack('pt')), 'Use o contexto para responder à pergunta.');
  });
});

describe('"Delimit the input" is not said of a placeholder fenced under its label (kotaemon QA prompts)', () => {
  const analyzer = new PromptAnalyzer();
  const undelimited = (text: string) =>
    analyzer
      .analyze(text)
      .optimizationSuggestions.filter((s) => s.kind === 'undelimitedInput')
      .map((s) => text.slice(s.range!.start, s.range!.end));

  it('citation_qa_inline.py\'s "CONTEXT:\\n----\\n{context}\\n----": none; citation_qa.py\'s bare "Context:\\n{context}": still said', () => {
    const prompts = [
      ...findPrompts(readFileSync(join(FIXTURES, 'citation_qa.py.txt'), 'utf8'), undefined, { fileName: 'citation_qa.py' }),
      ...findPrompts(readFileSync(join(FIXTURES, 'citation_qa_inline.py.txt'), 'utf8'), undefined, { fileName: 'citation_qa_inline.py' }),
    ].filter((p) => /\{context\}/.test(p.text));
    assert.equal(prompts.length, 5);
    assert.deepEqual(
      prompts.map((p) => undelimited(p.text)),
      [[], ['Context:'], ['Context:'], ['Context:'], []],
    );
  });

  it('a label over a fenced block; still said of a bare placeholder or an unclosed fence', () => {
    assert.deepEqual(undelimited('Answer the question.\n\nCONTEXT:\n----\n{context}\n----\n'), []);
    assert.deepEqual(undelimited('Answer the question.\n\nContext:\n```\n{context}\n```\nAnswer:'), []);
    assert.deepEqual(undelimited('Answer the question.\n\nContext:\n{context}\nAnswer:'), ['Context:']);
    assert.deepEqual(undelimited('Answer the question.\n\nContext:\n----\n{context}\nAnswer:'), ['Context:']);
    // Text fenced by rule lines is a fenced block too, what the message asks for (the lead's version of this fix, merged).
    assert.deepEqual(undelimited('Summarize the text.\n\nText:\n----\nThe meeting ran long and nobody agreed.\n----'), []);
    assert.deepEqual(undelimited('Summarize the text.\n\nText:\nThe meeting ran long and nobody agreed.'), ['Text:']);
  });
});
