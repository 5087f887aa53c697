/**
 * Issue 12 (session 27, lang27): four compressor defects, and Spanish/Portuguese medium rules as
 * thorough as the English ones. Every expected string is written by hand as a fluent reader
 * would want it: medium keeps grammar, aggressive may be telegraphic but never leaves a broken phrase.
 */
import { runCompressCases as run } from './compressCases';

describe('compressor defects (lang27)', () => {
  describe('"el hecho de que" / "o fato de que" go whole: no article dropped from a phrase that then reads broken', () => {
    run([
      ['El hecho de que el código compile no significa que funcione.', 'aggressive', 'es', 'Que el código compile no significa que funcione.'],
      ['Recuerda el hecho de que los datos cambian.', 'medium', 'es', 'Recuerda que los datos cambian.'],
      ['O fato de que o código compila não significa que funcione.', 'aggressive', 'pt', 'Que o código compila não significa que funcione.'],
      ['Considere o fato de que os dados mudam.', 'medium', 'pt', 'Considere que os dados mudam.'],
    ]);
  });

  describe('a repeated courtesy word goes entirely', () => {
    run([
      ['Answer the question, please, please!', 'medium', 'en', 'Answer the question.'],
      ['Please, please, answer the question.', 'medium', 'en', 'Answer the question.'],
      ['Responde en inglés, por favor, por favor.', 'medium', 'es', 'Responde en inglés.'],
      // A real series of nouns still stays (politenessStays): "Greetings, thanks, or questions".
      ['Ignore greetings, thanks, or questions.', 'medium', 'en', 'Ignore greetings, thanks, or questions.'],
    ]);
  });

  describe('a question lead removed after a short lead-in ("Tell me, …") leaves an instruction ending in "."', () => {
    run([
      ['Tell me, could you please list the files?', 'medium', 'en', 'Tell me, list the files.'],
      ['Now, can you please list the files?', 'medium', 'en', 'Now, list the files.'],
      // A question before the lead stays a question: its "?" stays.
      ['What is X, and could you please list Y?', 'medium', 'en', "What's X, and list Y?"],
    ]);
  });

  describe('medium: a full sentence after a label, or a full-sentence list item, keeps its articles; fragments lose them', () => {
    run([
      // browser-use/browser-use (MIT), browser_use/agent/system_prompts: a labelled rule and two list items.
      ['CRITICAL: Only mark a step as completed when the result is visible in the history.', 'medium', 'en', 'CRITICAL: Only mark a step as completed when the result is visible in the history.'],
      ['- Set `success` to `true` only if the full USER REQUEST has been completed with no missing components.', 'medium', 'en', '- Set `success` to `true` only if the full USER REQUEST has been completed with no missing components.'],
      ['- If the page is not fully loaded, use the wait action.', 'medium', 'en', '- If the page is not fully loaded, use the wait action.'],
      ['- Responde solo cuando el usuario pregunte por el archivo.', 'medium', 'es', '- Responde solo cuando el usuario pregunte por el archivo.'],
      ['- Responda apenas quando o usuário pedir o arquivo.', 'medium', 'pt', '- Responda apenas quando o usuário pedir o arquivo.'],
      // Short commands and noun phrases are still fragments.
      ['- Read the file. Study the input.\nContext: the summary of the report.', 'medium', 'en', '- Read file. Study input.\nContext: the summary of report.'],
      // Aggressive still drops them.
      // (Session 39: the aggressive level drops the bullet marker too.)
      ['- If the page is not fully loaded, use the wait action.', 'aggressive', 'en', 'If page is not fully loaded, use wait action.'],
    ]);
  });

  describe('es/pt medium: a phrase that governs a subjunctive goes with it, leaving the imperative; with no known verb it stays whole', () => {
    run([
      // "Incluyas ejemplos." / "Debes respondas" / "Escrevesse um poema." were left before.
      ['Es importante que incluyas ejemplos.', 'medium', 'es', 'Incluye ejemplos.'],
      ['Es necesario que respondas en inglés.', 'medium', 'es', 'Responde en inglés.'],
      ['Es importante que el texto sea breve.', 'medium', 'es', 'Es importante que el texto sea breve.'],
      ['Me gustaría que respondieras en inglés.', 'medium', 'es', 'Responde en inglés.'],
      ['Me gustaría que me ayudes con el código.', 'medium', 'es', 'Ayúdame con el código.'],
      ['Te agradecería que revisaras el texto.', 'medium', 'es', 'Revisa el texto.'],
      // Session 41: the imperative with the words after it is a concise phrase ("haz una lista de" → "enumera"), as written directly.
      ['Quiero que hagas una lista de libros.', 'medium', 'es', 'Enumera libros.'],
      ['Gostaria que você escrevesse um poema.', 'medium', 'pt', 'Escreva um poema.'],
      ['Eu gostaria que você me ajudasse com o código.', 'medium', 'pt', 'Me ajude com o código.'],
      ['Gostaria que você não usasse gírias.', 'medium', 'pt', 'Gostaria que você não usasse gírias.'],
      ['É importante que o texto seja curto.', 'medium', 'pt', 'É importante que o texto seja curto.'],
      ['Quero que faça uma lista de livros.', 'medium', 'pt', 'Liste livros.'],
      // In a relative clause the phrase is no request (break27): "Lo que haz es resumir…" / "O que faça é resumir…" were left.
      ['Lo que quiero que hagas es resumir el texto en tres frases.', 'medium', 'es', 'Lo que quiero que hagas es resumir el texto en tres frases.'],
      ['O que eu quero que você faça é resumir o texto em três frases.', 'medium', 'pt', 'O que eu quero que você faça é resumir o texto em três frases.'],
      ['Lo que quiero que uses es un tono formal.', 'medium', 'es', 'Lo que quiero que uses es un tono formal.'],
      ['Al responder, es importante que uses ejemplos concretos.', 'medium', 'es', 'Al responder, usa ejemplos concretos.'],
      // A second request joined by "y que" / "e que" takes the imperative too (break27): "Usa ejemplos y que expliques cada paso." was left.
      ['Es importante que uses ejemplos y que expliques cada paso.', 'medium', 'es', 'Usa ejemplos y explica cada paso.'],
      ['Quiero que respondas en inglés y que seas breve.', 'medium', 'es', 'Responde en inglés y sé breve.'],
      ['Me gustaría que me ayudes con el código y que me expliques los errores.', 'medium', 'es', 'Ayúdame con el código y explícame los errores.'],
      ['Es importante que uses ejemplos y que sean cortos.', 'medium', 'es', 'Usa ejemplos y que sean cortos.'],
      ['Es importante que leas el texto y que no inventes datos.', 'medium', 'es', 'Lee el texto y no inventes datos.'],
      ['É importante que você leia o texto e que não use gírias.', 'medium', 'pt', 'Leia o texto e não use gírias.'],
      ['Gostaria que você escrevesse um poema e que usasse rimas.', 'medium', 'pt', 'Escreva um poema e use rimas.'],
      ['É importante que você use exemplos e que você explique cada passo.', 'medium', 'pt', 'Use exemplos e explique cada passo.'],
    ]);
  });

  describe('es/pt medium: the short forms English medium has ("make sure that", "so that you can", "give me a list of", "and/or")', () => {
    run([
      ['Asegúrate de que el texto sea claro.', 'medium', 'es', 'Garantiza que el texto sea claro.'],
      ['Dame una lista de 10 libros sobre historia.', 'medium', 'es', 'Enumera 10 libros sobre historia.'],
      ['Usa ejemplos para que puedas explicar el tema y/o el contexto.', 'medium', 'es', 'Usa ejemplos para explicar el tema o el contexto.'],
      ['Es importante tener en cuenta que los datos cambian. Mantén el tono formal en todo momento.', 'medium', 'es', 'Los datos cambian. Mantén el tono formal siempre.'],
      ['Lee el texto junto con las notas.', 'medium', 'es', 'Lee el texto con las notas.'],
      ['Faça uma lista de 10 livros sobre história.', 'medium', 'pt', 'Liste 10 livros sobre história.'],
      ['Use exemplos para que você possa explicar o tema e/ou o contexto.', 'medium', 'pt', 'Use exemplos para explicar o tema ou o contexto.'],
      ['É importante lembrar que os dados mudam. Mantenha o tom formal em todo momento.', 'medium', 'pt', 'Os dados mudam. Mantenha o tom formal sempre.'],
      ['Forneça um resumo de cada capítulo junto com as notas.', 'medium', 'pt', 'Resuma cada capítulo com as notas.'],
    ]);
  });
});
