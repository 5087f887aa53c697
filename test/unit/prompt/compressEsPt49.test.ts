/**
 * Session 49 (issue 12 item 7, compress49): Spanish and Portuguese wordings said shorter with the same meaning, and the
 * reader's pronoun dropped with a first-person verb of giving or telling at the aggressive level. Every expected string is
 * written by hand; each case failed before its change (checked against main at de74adff), the guards excepted (marked).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { runCompressCases as run } from './compressCases';

describe('compressor es/pt (session 49)', () => {
  describe('es medium: wordy connectors said shorter, grammar kept', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-121 and card-135.
      ['Cada vez que te pregunte por la siguiente pregunta, responde.', 'medium', 'es', 'Siempre que te pregunte por la siguiente pregunta, responde.'],
      ['En caso contrario, me dirá cuál es la respuesta correcta.', 'medium', 'es', 'Si no, me dirá cuál es la respuesta correcta.'],
      ['De este modo se inserta el valor en la entrada.', 'medium', 'es', 'Así se inserta el valor en la entrada.'],
      ['De esta manera el texto queda claro.', 'medium', 'es', 'Así el texto queda claro.'],
      ['Cuando quiero volver atrás, escribo una letra.', 'medium', 'es', 'Cuando quiero volver, escribo una letra.'],
      ['Cuando quiera ir hacia adelante, escribiré otra.', 'medium', 'es', 'Cuando quiera ir adelante, escribiré otra.'],
      // card-105 and card-125: "a menos que" → "salvo que"; the negation and its verb stay.
      ['No escribas comandos a menos que yo te lo indique.', 'medium', 'es', 'No escribas comandos salvo que yo te lo indique.'],
      ['Escribe el resumen teniendo en cuenta al público.', 'medium', 'es', 'Escribe el resumen considerando al público.'],
      ['Después de eso, escribe el resumen.', 'medium', 'es', 'Luego, escribe el resumen.'],
    ]);
  });

  describe('es medium: a task announced in the third person ("usted") before an infinitive → "debe"', () => {
    run([
      ['Será responsable de crear exposiciones virtuales.', 'medium', 'es', 'Debe crear exposiciones virtuales.'],
      ['Su trabajo consiste en revisar el texto.', 'medium', 'es', 'Debe revisar el texto.'],
      // Guard (passed before too): before a noun it is a statement, not the task.
      ['Su trabajo será evaluado por el equipo.', 'medium', 'es', 'Su trabajo será evaluado por el equipo.'],
    ]);
  });

  describe('pt medium: wordy connectors said shorter, grammar kept', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-121, card-111, card-135; promptking-pt agir-como-consola-javascript.
      ['De cada vez que eu fizer a pergunta seguinte, responda.', 'medium', 'pt', 'Sempre que eu fizer a pergunta seguinte, responda.'],
      ['Cada vez que eu perguntar, responda.', 'medium', 'pt', 'Sempre que eu perguntar, responda.'],
      // Session 50: "precisar de te dizer" is now said "te disser" too (shortClauses, compressEsPt50.test.ts).
      ['Se eu precisar de te dizer alguma coisa em inglês, usarei chaves.', 'medium', 'pt', 'Se te disser algo em inglês, usarei chaves.'],
      ['Quando quero voltar atrás, escrevo (b).', 'medium', 'pt', 'Quando quero voltar, escrevo (b).'],
      ['Não digite comandos a menos que eu o instrua a fazê-lo.', 'medium', 'pt', 'Não digite comandos a menos que eu o instrua.'],
      ['Desta forma, o texto é inserido.', 'medium', 'pt', 'Assim, o texto é inserido.'],
      ['Escreva o resumo tendo em conta o público.', 'medium', 'pt', 'Escreva o resumo considerando o público.'],
      ['A seguir, escreva o resumo.', 'medium', 'pt', 'Depois, escreva o resumo.'],
      // "sinta-se à vontade para" goes like "fique à vontade para": at a sentence start only.
      ['Sinta-se à vontade para fazer perguntas.', 'medium', 'pt', 'Fazer perguntas.'],
    ]);
  });

  describe('pt medium: a task announced before an infinitive ("será responsável por", "a sua tarefa consiste em")', () => {
    run([
      ['Você será responsável por criar exposições virtuais.', 'medium', 'pt', 'Você deve criar exposições virtuais.'],
      ['A sua tarefa consiste em gerar uma palavra-passe.', 'medium', 'pt', 'Deve gerar uma palavra-passe.'],
      // Guard (passed before too): before a noun ("pela curadoria") it stays.
      ['Será responsável pela curadoria de exposições.', 'medium', 'pt', 'Será responsável pela curadoria de exposições.'],
    ]);
  });

  describe('es/pt aggressive: the reader\'s pronoun goes with a first-person verb of giving or telling', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-119 and card-139: "Yo te escribiré" gave "Te escribiré", "Le pediré" gave "Le pido".
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      // Session 51: es "su"/"sus" go at the aggressive level like "tu"/"tus".
      ['Actúa como asistente. Yo te escribiré frases y tú responderás sólo a su pronunciación.', 'aggressive', 'es', 'Sé asistente. Escribo frases y responderás sólo a pronunciación.'],
      ['Le pediré el tema y me ayudará a redactar un PRD.', 'aggressive', 'es', 'Pido tema y me ayudará a redactar PRD.'],
      // chatgpt-shortcut-pt (tuning) card-103, card-115, card-129; promptking-pt guia-de-viagem.
      ['Vou dar-te código Python e tu vais executá-lo.', 'aggressive', 'pt', 'Dou código Python e vais executá-lo.'],
      ['Fornecer-lhe-ei formulários de introdução.', 'aggressive', 'pt', 'Dou formulários de introdução.'],
      ['Vou escrever-te o objeto e vou pedir-te que escrevas o código.', 'aggressive', 'pt', 'Escrevo o objeto e peço que escrevas código.'],
      ['Em alguns casos, também lhe darei o tipo de lugares.', 'aggressive', 'pt', 'Em alguns casos, dou tipo de lugares.'],
      ['Dou-te um exemplo.', 'aggressive', 'pt', 'Dou um exemplo.'],
    ]);
  });

  describe('es/pt aggressive guards: the pronoun stays (each passed before the rule too)', () => {
    run([
      // After a negation: the negation keeps the word after it.
      ['No te daré pistas.', 'aggressive', 'es', 'No te doy pistas.'],
      ['Não te darei pistas.', 'aggressive', 'pt', 'Não te dou pistas.'],
      // Another's giving: "le" is Alice's there.
      ['Bob le devuelve una manzana.', 'aggressive', 'es', 'Bob le devuelve manzana.'],
      // A subjunctive is the third person's too ("que te pregunte").
      ['Siempre que te pregunte, responde.', 'aggressive', 'es', 'Siempre que te pregunte, responde.'],
      // A verb not of giving or telling: "fazer-te feliz" needs its object.
      ['Vou fazer-te feliz.', 'aggressive', 'pt', 'Vou fazer-te feliz.'],
    ]);
  });

  it('es aggressive: where o200k spends as many tokens without the pronoun ("Te doy" and "Doy" opening a sentence), it stays', () => {
    const text = 'Actúa como intérprete. Te daré código Python y lo ejecutarás.';
    const result = new PromptCompressor().compress(text, { level: 'aggressive', language: 'es' });
    // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
    assert.equal(result.text, 'Sé intérprete. Te doy código Python y lo ejecutarás.');
  });

  it('the medium level keeps the pronoun (the rule is aggressive only)', () => {
    const result = new PromptCompressor().compress('Dou-te um exemplo.', { level: 'medium', language: 'pt' });
    assert.equal(result.text, 'Dou-te um exemplo.');
  });
});
