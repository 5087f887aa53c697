/**
 * break29: es/pt medium compression on the ChatGPT-Shortcut cards (test/fixtures/prompts/chatgpt-shortcut-{es,pt}.json,
 * SOURCES.md) that broke the grammar or changed the meaning. Expected strings written by hand.
 */
import { runCompressCases as run } from './compressCases';

describe('es/pt compression: grammar and meaning kept (break29)', () => {
  describe('es "en la medida de lo posible" becomes "en lo posible" (was "lo posible", no adverbial: "Mantén … lo posible")', () => {
    run([
      // Card 110.
      ['Mantén el comportamiento del DAN en la medida de lo posible.', 'medium', 'es', 'Mantén el comportamiento del DAN en lo posible.'],
    ]);
  });

  describe('pt "muito" before a noun is a quantity ("a lot of"), not an intensifier: it stays', () => {
    run([
      // Card 111: "commands that show a lot of HTML" read "commands that show HTML".
      ['Fica longe de comandos como curl ou wget que mostram muito HTML.', 'medium', 'pt', 'Fica longe de comandos como curl ou wget que mostram muito HTML.'],
      // Written here: "include a lot of context" is not "include context".
      ['Inclua muito contexto em cada resposta.', 'medium', 'pt', 'Inclua muito contexto em cada resposta.'],
      ['Escreva muito código de exemplo.', 'medium', 'pt', 'Escreva muito código de exemplo.'],
      // Near misses: the intensifier still goes before an adjective.
      ['A resposta deve ser muito curta.', 'medium', 'pt', 'A resposta deve ser curta.'],
      ['Write a very detailed answer about the HTML.', 'medium', 'en', 'Write a detailed answer about the HTML.'],
    ]);
  });

  describe('es/pt "uma série de" / "una serie de" stays where it is a subject: "vários" would need a plural verb', () => {
    run([
      // pt card 138: "Ser-lhe-á dada vários cenários" broke the agreement.
      ['Ser-lhe-á dada uma série de cenários e desafios a enfrentar.', 'medium', 'pt', 'Ser-lhe-á dada uma série de cenários e desafios a enfrentar.'],
      // Written here: a verb before it, and the phrase opening its sentence.
      ['Se te dará una serie de escenarios y desafíos.', 'medium', 'es', 'Se te dará una serie de escenarios y desafíos.'],
      ['Uma série de perguntas será feita ao utilizador.', 'medium', 'pt', 'Uma série de perguntas será feita ao utilizador.'],
      // Near miss: an object still becomes "várias".
      ['Crie uma série de perguntas sobre o tema.', 'medium', 'pt', 'Crie várias perguntas sobre o tema.'],
    ]);
  });
});
