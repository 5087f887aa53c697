/**
 * Issue 12 item 7 (session 41, compress41): rewrites that say the same thing in fewer tokens, found by counting the
 * n-grams left after compression on the TUNING half of the collections (test/fixtures/prompts/corpus.ts
 * loadCollections(), split 'tuning'; the held-out half was not read). Inputs are sentences of the tuning cards of
 * ChatGPT-Shortcut (chatgpt-shortcut-{es,pt}.json, card number in the comment) unless marked as written here; every
 * expected string is written by hand. Each family has near misses that must stay as they are.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { runCompressCases as run } from './compressCases';

describe('compression rewrites of session 41 (compress41)', () => {
  describe('a request lead with "el papel de" / "o papel de" → "Actúa como" / "Atue como"', () => {
    run([
      // Cards 127, 123 (pt); 137, 123, 121 (es).
      ['Gostaria que desempenhasse o papel de guia turístico da Galeria de Arte Digital.', 'medium', 'pt', 'Atue como guia turístico da Galeria de Arte Digital.'],
      ['Quero que desempenhes o papel de um jogo do galo.', 'medium', 'pt', 'Atue como jogo do galo.'],
      ['Me gustaría que interpretaras el papel de una página de Wikipedia.', 'medium', 'es', 'Actúa como página de Wikipedia.'],
      ['Quiero que desempeñes el papel de un juego de tres en raya.', 'medium', 'es', 'Actúa como juego de tres en raya.'],
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Me gustaría que hicieras el papel de una máquina de hacer preguntas de kanji japonés.', 'aggressive', 'es', 'Sé máquina de hacer preguntas de kanji japonés.'],
      // Near misses written here: "el papel de" after another verb is what the verb is about, not a role.
      ['Quiero que expliques el papel de la enzima.', 'medium', 'es', 'Explica el papel de la enzima.'],
      ['Quero que expliques o papel de cada gene.', 'medium', 'pt', 'Explique o papel de cada gene.'],
    ]);
  });

  describe('es: "voy a / vas a / va a" + infinitive → the synthetic future', () => {
    run([
      // Written here, in the cards' style (card 129: "Te voy a escribir el objeto").
      ['Voy a enviarte el texto de un artículo.', 'medium', 'es', 'Te enviaré el texto de un artículo.'],
      ['El sistema va a generar tres opciones.', 'medium', 'es', 'El sistema generará tres opciones.'],
      ['Después vas a traducirla al inglés.', 'medium', 'es', 'Después la traducirás al inglés.'],
      ['Voy a poner el texto entre llaves.', 'medium', 'es', 'Pondré el texto entre llaves.'],
      ['Luego vas a decirme la respuesta correcta.', 'medium', 'es', 'Luego me dirás la respuesta correcta.'],
      ['Los usuarios van a obtener un informe.', 'medium', 'es', 'Los usuarios obtendrán un informe.'],
      // Near misses: a negation, a second infinitive the auxiliary governs too, no infinitive, "vamos a" (also "let us").
      ['No voy a escribir comandos.', 'medium', 'es', 'No voy a escribir comandos.'],
      ['Voy a leer el texto y resumirlo.', 'medium', 'es', 'Voy a leer el texto y resumirlo.'],
      ['Voy a leer el texto y luego resumirlo.', 'medium', 'es', 'Voy a leer el texto y luego resumirlo.'],
      ['El sistema va a buscar, filtrar y ordenar los datos.', 'medium', 'es', 'El sistema va a buscar, filtrar y ordenar los datos.'],
      // Irregular stems and the impersonal "se": written here.
      ['Se va a satisfacer la demanda.', 'medium', 'es', 'Se satisfará la demanda.'],
      ['Va a haber tres rondas.', 'medium', 'es', 'Habrá tres rondas.'],
      ['El niño va a la escuela.', 'medium', 'es', 'El niño va a la escuela.'],
      ['El barco va a mar abierto.', 'medium', 'es', 'El barco va a mar abierto.'],
      ['Vamos a jugar al ajedrez.', 'medium', 'es', 'Vamos a jugar al ajedrez.'],
    ]);
  });

  describe('a wordy connector opening a sentence → a shorter one', () => {
    run([
      // Card 121 (es and pt).
      ['Me dirá cuál es la respuesta correcta. A continuación, formulará la siguiente pregunta.', 'medium', 'es', 'Me dirá cuál es la respuesta correcta. Luego, formulará la siguiente pregunta.'],
      ['Dir-me-á qual é a resposta correcta. De seguida, faz a pergunta seguinte.', 'medium', 'pt', 'Dir-me-á qual é a resposta correcta. Depois, faz a pergunta seguinte.'],
      ['Leia o texto. Em seguida, escreva um resumo.', 'medium', 'pt', 'Leia o texto. Depois, escreva um resumo.'],
      ['Read the text. After that, write a summary.', 'medium', 'en', 'Read the text. Then, write a summary.'],
      // Near miss, card 139: inside the sentence "a continuación" is "below".
      ['Confirmen mi solicitud a continuación.', 'medium', 'es', 'Confirmen mi solicitud a continuación.'],
    ]);
  });

  describe('a task announcement before an infinitive → "debes" / nothing; before anything else it stays', () => {
    run([
      // Written here from the English cards' phrasing ("it will be your job to", "you will be responsible for"); card 127
      // (es tuning): "Te encargarás de comisariar exposiciones virtuales".
      ['Te daré información y tu trabajo será idear estrategias.', 'medium', 'es', 'Te daré información y debes idear estrategias.'],
      ['Te encargarás de comisariar exposiciones virtuales.', 'medium', 'es', 'Debes comisariar exposiciones virtuales.'],
      ['Serás responsable de revisar el texto.', 'medium', 'es', 'Debes revisar el texto.'],
      ['A sua função é fornecer conselhos práticos.', 'medium', 'pt', 'Fornecer conselhos práticos.'],
      ['Darei os detalhes e o teu trabalho será criar estratégias.', 'medium', 'pt', 'Darei os detalhes e deves criar estratégias.'],
      // Near misses: no infinitive after the announcement.
      ['Serás responsable del equipo.', 'medium', 'es', 'Serás responsable del equipo.'],
      ['O seu trabalho será avaliado pelo cliente.', 'medium', 'pt', 'Seu trabalho será avaliado pelo cliente.'],
    ]);
  });

  describe('a future or periphrastic obligation → the present one ("deberás" → "debes", "terás de" → "deves")', () => {
    run([
      // Card 115 (pt tuning): "Fornecer-lhe-ei formulários de introdução"; the others written here.
      ['Fornecer-lhe-ei formulários de introdução.', 'medium', 'pt', 'Dar-lhe-ei formulários de introdução.'],
      ['Deverá utilizar os seus conhecimentos de marketing.', 'medium', 'pt', 'Deve utilizar seus conhecimentos de marketing.'],
      ['Terás de criar um plano de estudo.', 'medium', 'pt', 'Deves criar um plano de estudo.'],
      ['Tendrás que crear un plan de estudio.', 'medium', 'es', 'Debes crear un plan de estudio.'],
      ['También deberás sugerir ejercicios.', 'medium', 'es', 'También debes sugerir ejercicios.'],
      ['Es posible que necesites más datos.', 'medium', 'es', 'Quizá necesites más datos.'],
      // Near misses: a negation keeps its verb as written.
      ['No deberás escribir explicaciones.', 'medium', 'es', 'No deberás escribir explicaciones.'],
      ['Não deverá escrever explicações.', 'medium', 'pt', 'Não deverá escrever explicações.'],
    ]);
  });

  describe('aggressive: "my first <noun…> is" → "First <noun…>:" for the labels no entry lists', () => {
    run([
      // Written here from the English cards' "My first suggestion request is" and "My first command is".
      ['Mi primera solicitud de sugerencia es "Necesito ayuda".', 'aggressive', 'es', 'Primera solicitud: "Necesito ayuda".'],
      ['O meu primeiro pedido de sugestão é "Preciso de ajuda".', 'aggressive', 'pt', 'Primeiro pedido: "Preciso de ajuda".'],
      ['Mi primer mensaje de prueba es "hola".', 'aggressive', 'es', 'Primer mensaje de prueba: "hola".'],
      ['A minha primeira palavra secreta é "abacate".', 'aggressive', 'pt', 'Primeira palavra secreta: "abacate".'],
      ['My first project request is "I need help".', 'aggressive', 'en', 'First project request: "I need help".'],
      // Near misses: a clause follows, not an input; and at the medium level the label stays a sentence.
      ['Mi primera idea es que escribas un poema.', 'aggressive', 'es', 'Mi primera idea es que escribas poema.'],
      ['My first project request is "I need help".', 'medium', 'en', 'My first project request is "I need help".'],
    ]);
  });

  describe('"provide me / you" → "give me / you" (as en "provide me with" → "give me")', () => {
    run([
      // Card 131 (es tuning) asks "facilíteme una lista"; these are written here from the English "provide me with".
      ['Proporcióname una lista de ideas.', 'medium', 'es', 'Dame una lista de ideas.'],
      ['Forneça-me uma lista de ideias.', 'medium', 'pt', 'Dê-me uma lista de ideias.'],
      ['O assistente me fornecerá uma resposta.', 'medium', 'pt', 'O assistente me dará uma resposta.'],
      // Near misses: the noun "proporciones" (proportions) and "fornecer" with no one it is given to.
      ['Las proporciones del cuerpo deben ser realistas.', 'medium', 'es', 'Las proporciones del cuerpo deben ser realistas.'],
      ['A empresa vai fornecer peças.', 'medium', 'pt', 'A empresa vai fornecer peças.'],
    ]);
  });

  it('reports each rewrite in the removed list with its rule and reason', () => {
    const result = new PromptCompressor().compress('Quiero que desempeñes el papel de un juego. Voy a enviarte el texto. A continuación, responde.', { level: 'medium', language: 'es' });
    assert.equal(result.text, 'Actúa como juego. Te enviaré el texto. Luego, responde.');
    const lines = (result.removedSummary ?? []).map((s) => `${s.rule}: ${s.text} (${s.reason})`);
    const reason = 'a wordy phrase with a shorter equivalent of the same meaning';
    assert.deepEqual(lines, [`verbose: A continuación, → Luego, (${reason})`, `verbose: Quiero que desempeñes el papel de un → Actúa como (${reason})`, `verbose: Voy a enviarte → Te enviaré (${reason})`]);
  });
});
