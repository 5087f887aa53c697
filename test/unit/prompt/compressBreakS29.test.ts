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
      // Near misses: the intensifier still goes before an adjective, and an English filler before capitals (fabric write_essay "Use absolutely ZERO cliches").
      ['A resposta deve ser muito curta.', 'medium', 'pt', 'A resposta deve ser curta.'],
      ['Write a very detailed answer about the HTML.', 'medium', 'en', 'Write a detailed answer about the HTML.'],
      ['Use absolutely ZERO cliches or jargon.', 'medium', 'en', 'Use ZERO cliches or jargon.'],
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

  describe('"your task is to" / "sua tarefa é" / "tu tarea es" after "and" stays: the verb would take the speaker as its subject', () => {
    run([
      // promptking-pt "debatedor" ("Vou fornecer-lhe alguns tópicos … e sua tarefa é pesquisar ambos os lados"): "Darei alguns tópicos e pesquisar…".
      ['Vou fornecer-lhe alguns tópicos e sua tarefa é pesquisar ambos os lados dos debates.', 'medium', 'pt', 'Darei alguns tópicos e sua tarefa é pesquisar ambos os lados dos debates.'],
      // awesome-chatgpt-prompts "Debater" (and 7 other cards of that collection read the same way): "I'll give you some topics … and research both sides".
      // (Session 48: English writes the phrase as "and you", whose verb has its subject: "and you research both sides";
      // "topics related to" is "topics about".)
      ['I will provide you with some topics related to current events and your task is to research both sides of the debates, present valid arguments for each side, refute opposing points of view, and draw persuasive conclusions based on evidence.', 'medium', 'en', "I'll give you some topics about current events and you research both sides of the debates, present valid arguments for each side, refute opposing points of view, and draw persuasive conclusions based on evidence."],
      // Written here: es and en read "… y investigar ambos lados", "I'll give you a text and summarize it".
      ['Te daré unos temas y tu tarea es investigar ambos lados.', 'medium', 'es', 'Te daré unos temas y tu tarea es investigar ambos lados.'],
      ['I will give you a text and your task is to summarize it.', 'medium', 'en', "I'll give you a text and you summarize it."],
      // Near misses: a sentence start, a list item, a label and an introductory phrase (fabric identify_dsrp_distinctions) still lose it.
      ['Sua tarefa é pesquisar ambos os lados.', 'medium', 'pt', 'Pesquisar ambos os lados.'],
      ['- your task is to summarize the text.', 'medium', 'en', '- Summarize the text.'],
      ['Task: your task is to summarize the text.', 'medium', 'en', 'Task: summarize the text.'],
      ['Given the topic or focus area, your task is to identify and explore the key Distinctions present.', 'medium', 'en', 'Given the topic or focus area, identify and explore the key Distinctions present.'],
    ]);
  });
});
