/**
 * Session 48 (issue 12 item 7, compress48): plainer words where o200k spends fewer tokens on them (`plainWords`,
 * medium), the present for a future where it costs fewer tokens (`presentTense`, aggressive), and "and your task is
 * to" → "and you". Every expected string is written by hand; each case of a new behaviour failed before the change
 * (main at 4205c88a); the cases that must stay as written pass on both.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { fewerTokensThere } from '../../../src/engine/prompt/compressRewrites';
import { runCompressCases as run } from './compressCases';

describe('compressor (session 48)', () => {
  describe('medium: a plainer word of the same meaning, only where o200k spends fewer tokens on it', () => {
    run([
      // Opening a line "Proporciona" is 3 tokens and "Da" 1 (chatgpt-shortcut-es card-133 "Proporcione un diagrama").
      ['Escribe el código.\nProporciona un diagrama claro.', 'medium', 'es', 'Escribe el código.\nDa un diagrama claro.'],
      // Mid-sentence " proporciona" and " da" are one token each: the word stays.
      ['Luego proporciona un diagrama claro.', 'medium', 'es', 'Luego proporciona un diagrama claro.'],
      ['Para empezar, facilíteme una lista de palabras.', 'medium', 'es', 'Para empezar, deme una lista de palabras.'],
      // promptking-pt (tuning) "Fornecer o código e quaisquer explicações".
      ['Fornecer o código e as explicações.', 'medium', 'pt', 'Dar o código e as explicações.'],
      ['Darei alguns tópicos relacionados com os eventos atuais.', 'medium', 'pt', 'Darei alguns tópicos sobre os eventos atuais.'],
      ['Utilize the tools below.', 'medium', 'en', 'Use the tools below.'],
      ['You can utilize the tools.', 'medium', 'en', 'You can utilize the tools.'],
      // "related to" → "about" only after a noun of topic (the pack lists them): "topics", "information", "insights"…
      ['Write a story with topics related to current events.', 'medium', 'en', 'Write a story with topics about current events.'],
      // After an adverb or of anything else the relation is no topic: "tangentially about", "techniques about" would mislead.
      ['The answer is only tangentially related to the topic.', 'medium', 'en', 'The answer is only tangentially related to the topic.'],
      ['List the techniques related to the malware.', 'medium', 'en', 'List the techniques related to the malware.'],
      ['Dame proyecciones relacionadas con obras de arte.', 'medium', 'es', 'Dame proyecciones relacionadas con obras de arte.'],
      ['Dame preguntas relacionadas con la filosofía.', 'medium', 'es', 'Dame preguntas sobre la filosofía.'],
    ]);
  });

  describe('medium: "and your task is to" after a first clause → "and you"', () => {
    run([
      // awesome-chatgpt-prompts (tuning) Debater, Real Estate Agent, Pet Behaviorist: the phrase stayed whole after "and".
      ['I will give you a text and your task is to summarize it.', 'medium', 'en', "I'll give you a text and you summarize it."],
      ['Read the brief, and your role is to help them find a home.', 'medium', 'en', 'Read the brief, and you help them find a home.'],
      // At a sentence start the phrase still goes whole, as before.
      ['Your task is to summarize the text.', 'medium', 'en', 'Summarize the text.'],
    ]);
  });

  describe('aggressive: a future said in the present where it costs fewer tokens', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-103: " daré" is 2 tokens, " doy" 1; " ejecutarás" and " ejecutas" are 2 each.
      ['Te daré código Python y lo ejecutarás.', 'aggressive', 'es', 'Te doy código Python y lo ejecutarás.'],
      // Session 51: es "su"/"sus" go at the aggressive level like "tu"/"tus".
      ['Me darás un kanji y me preguntarás su significado.', 'aggressive', 'es', 'Me das kanji y me preguntas significado.'],
      ['Jugaré con la terminal.', 'aggressive', 'es', 'Juego con terminal.'],
      // "Escribiré" and "Escribo" opening a line are 3 tokens each: the future stays.
      ['Escribiré frases en inglés.', 'aggressive', 'es', 'Escribiré frases en inglés.'],
      // chatgpt-shortcut-pt (tuning) card-103.
      // (Session 49: the reader's pronoun goes with it, rule addresseeClitic.)
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Atue como intérprete Python. Vou dar-te código Python e vais executá-lo.', 'aggressive', 'pt', 'Seja intérprete Python. Dou código Python e vais executá-lo.'],
      ['Depois vou fazer a lista.', 'aggressive', 'pt', 'Depois faço lista.'],
      // Another infinitive in the sentence may share the auxiliary: "faço lista e enviar resumo" would not read.
      ['Depois vou fazer a lista e enviar o resumo.', 'aggressive', 'pt', 'Depois vou fazer lista e enviar resumo.'],
      // After a negation the words are a protected constraint.
      ['Não vou fazer a lista.', 'aggressive', 'pt', 'Não vou fazer lista.'],
      // Medium keeps the future.
      ['Te daré código Python y lo ejecutarás.', 'medium', 'es', 'Te daré código Python y lo ejecutarás.'],
    ]);
  });

  describe('tokens counted where the word stands', () => {
    it('counts the space or the line start before the word, and its capital', () => {
      assert.equal(fewerTokensThere('Proporciona un diagrama.', 0, 11, 'da'), true);
      assert.equal(fewerTokensThere('Luego proporciona un diagrama.', 6, 17, 'da'), false);
      assert.equal(fewerTokensThere('Luego.\nProporciona un diagrama.', 7, 18, 'da'), true);
    });
  });

  describe('the removal report names the new rules', () => {
    const compressor = new PromptCompressor();
    it('plainWord (medium) and presentTense (aggressive), with their reasons', () => {
      const medium = compressor.compress('Escribe el código.\nProporciona un diagrama claro.', { level: 'medium', language: 'es' });
      assert.deepEqual((medium.removedSummary ?? []).filter((s) => s.rule === 'plainWord'), [
        { rule: 'plainWord', reason: 'a plainer word of the same meaning that costs fewer tokens there ("Proporciona" opening a line is "Da")', text: 'Proporciona → Da', count: 1 },
      ]);
      const aggressive = compressor.compress('Te daré código Python.', { level: 'aggressive', language: 'es' });
      assert.deepEqual((aggressive.removedSummary ?? []).filter((s) => s.rule === 'presentTense'), [
        { rule: 'presentTense', reason: 'a future said in the present, which costs fewer tokens there (telegraphic: "Te daré" is "Te doy")', text: 'daré → doy', count: 1 },
      ]);
    });
  });
});
