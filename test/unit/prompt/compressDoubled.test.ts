// Words typed twice in a row are a slip every level removes. stackblitz/bolt.new eda10b12 (MIT),
// app/lib/.server/llm/prompts.ts line 112: "Add a type to the `type` attribute of the of the opening `<boltAction>` tag"
// (newuser39: neither flagged nor fixed). Oracle: the sentences read by hand.
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();
const light = (text: string, language = 'en') => compressor.compress(text, { level: 'light', language });

describe('Compress: words typed twice in a row', () => {
  it('bolt.new: "of the of the" keeps one copy at every level, reported as a repetition', () => {
    const text = 'Add a type to the `type` attribute of the of the opening `<boltAction>` tag to specify the type of the action.';
    const r = light(text);
    assert.equal(r.text, 'Add a type to the `type` attribute of the opening `<boltAction>` tag to specify the type of the action.');
    assert.deepEqual(r.removed.map((x) => [x.kind, x.text]), [['repetition', ' of the']]);
    assert.deepEqual(r.removedSummary?.map((x) => x.reason), ['words typed twice in a row ("of the of the")']);
    assert.match(compressor.compress(text, { level: 'medium' }).text, /attribute of the opening/);
  });

  it('one word and three words; a capital first copy stays', () => {
    assert.equal(light('Summarize the the report in two lines.').text, 'Summarize the report in two lines.');
    assert.equal(light('The the report is long. Read it.').text, 'The report is long. Read it.');
    assert.equal(light('Write it in the style of the style of the author.').text, 'Write it in the style of the author.');
  });

  it('deliberate repeats stay: "had had", "that that", a comma, a line break, quotes, code', () => {
    for (const text of [
      'The user had had enough of the report. Say that that is fine.',
      'Answer in the language of the question, of the question only.',
      'List the\nthe items below.',
      'Repeat the phrase "of the of the" exactly.',
      'Call `f(of the of the)` once.',
    ]) assert.equal(light(text).text, text, text);
  });

  it('Spanish and Portuguese', () => {
    assert.equal(light('Resume el texto de la de la carta en dos líneas.', 'es').text, 'Resume el texto de la carta en dos líneas.');
    assert.equal(light('Resuma o texto da da carta em duas linhas.', 'pt').text, 'Resuma o texto da carta em duas linhas.');
  });
});

describe('Compress: letters are not doubled words', () => {
  // Found by the existing tests: a range of letters reads as a doubled "a" when case is ignored.
  it('"(A a L)", "de la A a la D", "a a" keep both copies; "The the" only at a sentence start', () => {
    assert.equal(light('Use as colunas (A a L) e de 18 a 30 anos.', 'pt').text, 'Use as colunas (A a L) e de 18 a 30 anos.');
    assert.equal(light('Las opciones estarán etiquetadas de la A a la D.', 'es').text, 'Las opciones estarán etiquetadas de la A a la D.');
    assert.equal(light('Label the options a a and b b.').text, 'Label the options a a and b b.');
    assert.equal(light('Read In in the list of modes.').text, 'Read In in the list of modes.');
  });
});
