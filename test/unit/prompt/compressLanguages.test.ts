/**
 * Issue 12, item 7 (second round): one-sentence Spanish and Portuguese prompts are detected by
 * their function words (they were read as English before and the es/pt rules never ran), and
 * the Spanish politeness that governs a subjunctive keeps the request. Expected scores are
 * counted by hand from the `detection` lists of src/shared/prompt/languages/{en,pt,es}.json: one
 * point per listed word, two per distinctive character, only for a pack with a word hit.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { detectLanguage } from '../../../src/shared/prompt/languages';

const compressor = new PromptCompressor();

describe('language detection of short prompts (function-word evidence)', () => {
  const cases: Array<[text: string, language: string, scores: Record<string, number>, confidence: number]> = [
    // es: "no", "yo", "lo"; pt: "no".
    ['No escribas explicaciones, yo lo haré.', 'es', { en: 0, pt: 1, es: 3 }, 0.75],
    // es: "genera", "sobre"; pt: "sobre".
    ['Genera 10 preguntas sobre geografía.', 'es', { en: 0, pt: 1, es: 2 }, 0.67],
    // pt: "gere", "sobre"; es: "sobre".
    ['Gere 10 perguntas sobre geografia.', 'pt', { en: 0, pt: 2, es: 1 }, 0.67],
    // pt: "não", "nenhuma" and "ã" (2).
    ['Não use nenhuma lista.', 'pt', { en: 0, pt: 4, es: 0 }, 1],
    // es: "que", "se", "como", "un", "de"; pt: "que", "se", "como", "de".
    ['Me gustaría que se ejecute como un motor de búsqueda.', 'es', { en: 0, pt: 4, es: 5 }, 0.56],
    // en: "do", "not", "write"; pt: "do".
    ['Do not write explanations.', 'en', { en: 3, pt: 1, es: 0 }, 0.75],
  ];
  for (const [text, language, scores, confidence] of cases) {
    it(`${language}: ${JSON.stringify(text)}`, () => {
      assert.deepEqual(detectLanguage(text), { language, confidence, scores });
    });
  }

  it('one word is not enough without the language\'s own characters: "und"', () => {
    // en: "a" only ("me" is in no list: it is English, Spanish and Portuguese at once).
    assert.deepEqual(detectLanguage('Tell me a joke.'), { language: 'und', confidence: 0, scores: { en: 1, pt: 0, es: 0 } });
    assert.equal(detectLanguage('Olá, tudo bem?').language, 'und');
  });

  it('the detected language picks the rules: the Spanish subject pronoun goes, the negation stays', () => {
    const r = compressor.compress('No escribas explicaciones, yo lo haré.');
    assert.equal(r.language, 'es');
    assert.equal(r.text, 'No escribas explicaciones, lo haré.');
    const pt = compressor.compress('Não escreva explicações, eu farei isso.');
    assert.equal(pt.language, 'pt');
    assert.equal(pt.text, 'Não escreva explicações, farei isso.');
  });
});

describe('Spanish and Portuguese requests keep their meaning', () => {
  it('"Me gustaría que" / "Te agradecería que" stay before a verb not known as the addressee\'s ("se ejecute"); before a known one ("me ayudes", "actúes como") the whole request becomes an imperative (lang27)', () => {
    assert.equal(compressor.compress('Me gustaría que se ejecute como un motor de búsqueda.').text, 'Me gustaría que se ejecute como un motor de búsqueda.');
    assert.equal(compressor.compress('Te agradecería que me ayudes con el código.').text, 'Ayúdame con el código.');
    // Issue 12 item 7: the article after "actúa como" goes too (a predicative noun takes none in Spanish).
    assert.equal(compressor.compress('Me gustaría que actúes como un traductor.').text, 'Actúa como traductor.');
  });

  it('a subject pronoun before a subjunctive stays ("que yo te lo indique": "indique" is first or third person)', () => {
    for (const level of ['medium', 'aggressive'] as const) {
      // (Session 49: "a menos que" is "salvo que"; the pronoun still stays.)
      assert.equal(compressor.compress('No escribas comandos a menos que yo te lo indique.', { level }).text, 'No escribas comandos salvo que yo te lo indique.');
      // pt: and "a" before an infinitive is a preposition, not an article. (Session 49: "instrua a fazê-lo" is "instrua";
      // another verb keeps its "a fazê-lo".)
      assert.equal(compressor.compress('Não digite comandos a menos que eu o convide a fazê-lo.', { level }).text, 'Não digite comandos a menos que eu o convide a fazê-lo.');
    }
    // The future indicative says who: "yo" goes there.
    assert.equal(compressor.compress('Yo escribiré los comandos.').text, 'Escribiré los comandos.');
  });
});
