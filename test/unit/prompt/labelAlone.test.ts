// A label alone on its line labels the block after it. Cinnamon/kotaemon 4015bb0f (Apache-2.0),
// libs/kotaemon/kotaemon/indices/qa/citation_qa_inline.py: "CONTEXT:\n----\n{context}\n----" was flagged "Delimit the
// input" though rule lines fence it (newuser40). A bare placeholder on the next line ("Context:\n{context}") stays
// flagged: the diagnostics corpus judges that finding correct (deepeval's "Question:\n{input}", gemini-cli's
// "Conversation:\n{conversation}"). Oracle: the prompts read by hand.
import * as assert from 'node:assert/strict';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const analyzer = new PromptAnalyzer();
const flagged = (text: string) => analyzer.suggestions(text).filter((s) => s.kind === 'undelimitedInput').map((s) => text.slice(s.range?.start, s.range?.end));

describe('undelimitedInput: a label alone on its line and the line after it', () => {
  it('kotaemon: a block fenced by rule lines, a quote or a tag on the next line is delimited; a bare placeholder is not', () => {
    const qa = 'Use the given context: texts, tables, and figures below to answer the question. If you don\'t know the answer, just say that you don\'t know. Give answer in {lang}.\n\nContext: \n{context}\nQuestion: {question}\nAnswer: ';
    assert.deepEqual(flagged(qa), ['Context:']);
    assert.deepEqual(flagged('Answer the question from the context.\n\nContext:\n<context>{context}</context>\n'), []);
    assert.deepEqual(flagged('Answer the question from the context.\n\nContext:\n"{context}"\n'), []);
    // One rule line is no fence.
    assert.deepEqual(flagged('Answer the question from the context.\n\nContext:\n----\nThe meeting moved to Friday.\n'), ['Context:']);
    const inline = 'Use the following pieces of context to answer the question at the end.\nProvide DETAILED ansswer with clear explanation.\n\nCONTEXT:\n----\n{context}\n----\n\nAnswer using this format:\nCITATION LIST\n';
    assert.deepEqual(flagged(inline), []);
    assert.equal(analyzer.analyze(inline).features?.delimitedInputs, analyzer.analyze(inline).features?.inputs);
  });

  it('a label alone with plain text after it, or with nothing after it, is still undelimited', () => {
    assert.deepEqual(flagged('Summarize the text below in two lines.\n\nText:\nThe meeting moved to Friday because the room was taken.'), ['Text:']);
    assert.deepEqual(flagged('Summarize the text below in two lines.\n\nText:'), ['Text:']);
  });
});
