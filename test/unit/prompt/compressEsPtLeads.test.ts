/**
 * Issue 12 item 7 (session 28, lang28): Spanish and Portuguese rules found on the tuning half of the
 * ChatGPT-Shortcut cards (test/fixtures/prompts/chatgpt-shortcut-{es,pt}.json, SOURCES.md). Inputs are
 * sentences of those tuning cards (card number in the comment) unless marked as a near miss written
 * here; every expected string is written by hand as a careful editor would want it: medium keeps the
 * grammar, aggressive may be telegraphic but never leaves a broken phrase.
 */
import { runCompressCases as run } from './compressCases';

describe('es/pt compression on the ChatGPT-Shortcut cards (lang28)', () => {
  describe('pt: "Gostaria que actuasse", "Pretendo que actues", "Quero que desempenhes" → the imperative, and "como um" loses its article', () => {
    run([
      // Cards 115, 101, 127, 123, 135 and 146.
      ['Gostaria que actuasse como um gerador de palavras-passe para pessoas que necessitam de palavras-passe seguras.', 'medium', 'pt', 'Atue como gerador de palavras-passe para pessoas que necessitam de palavras-passe seguras.'],
      ['Gostaria que funcionasse como um motor de busca Solr em modo autónomo.', 'medium', 'pt', 'Funcione como motor de busca Solr em modo autónomo.'],
      // Session 41: the imperative with "o papel de" is a role opener of its own, said shorter ("Atue como").
      ['Gostaria que desempenhasse o papel de guia turístico da Galeria de Arte Digital.', 'medium', 'pt', 'Atue como guia turístico da Galeria de Arte Digital.'],
      ['Quero que desempenhes o papel de um jogo do galo.', 'medium', 'pt', 'Atue como jogo do galo.'],
      ['Pretendo que actues como um navegador de texto para uma Internet imaginária.', 'medium', 'pt', 'Atue como navegador de texto para uma Internet imaginária.'],
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Gostaria que actuasse como recrutador.', 'aggressive', 'pt', 'Seja recrutador.'],
      // Near misses: no verb the pack knows after the lead, and a lead inside a relative clause.
      ['Pretendo que o texto seja curto.', 'medium', 'pt', 'Pretendo que o texto seja curto.'],
      ['O que pretendo que escreva é um resumo.', 'medium', 'pt', 'O que pretendo que escreva é um resumo.'],
    ]);
  });

  describe('es: "Me gustaría que interpretaras", "Quiero que desempeñes" → the imperative', () => {
    run([
      // Cards 137 and 123.
      // Session 41: "interpreta/desempeña el papel de" → "actúa como", and "actúa como una" → "actúa como".
      ['Me gustaría que interpretaras el papel de una página de Wikipedia.', 'medium', 'es', 'Actúa como página de Wikipedia.'],
      ['Quiero que desempeñes el papel de un juego de tres en raya.', 'medium', 'es', 'Actúa como juego de tres en raya.'],
      // Near miss: the lead governs a clause with its own subject.
      ['Quiero que el juego sea rápido.', 'medium', 'es', 'Quiero que el juego sea rápido.'],
    ]);
  });

  describe('"a sua/tua tarefa é", "su tarea consiste en": the announcement goes, the task stays', () => {
    run([
      // Cards 115, 109, 146 (pt) and 131 (es).
      ['A sua tarefa é gerar uma palavra-passe complexa utilizando estes formulários de introdução.', 'medium', 'pt', 'Gerar uma palavra-passe complexa utilizando estes formulários de introdução.'],
      ['A tua tarefa é fornecer descrições detalhadas e criativas.', 'medium', 'pt', 'Fornecer descrições detalhadas e criativas.'],
      ['Fornecerei algumas informações sobre as vagas de emprego e a tua tarefa será encontrar estratégias para encontrar candidatos qualificados.', 'medium', 'pt', 'Fornecerei algumas informações sobre as vagas de emprego e deves encontrar estratégias para encontrar candidatos qualificados.'],
      ['Su tarea consiste en crear hojas de ejercicios con una serie de frases.', 'medium', 'es', 'Debe crear hojas de ejercicios con una serie de frases.'],
      // Near misses (cards 131): someone else's task is content.
      ['A tarefa do aluno é preencher o espaço em branco com a palavra correcta.', 'medium', 'pt', 'A tarefa do aluno é preencher o espaço em branco com a palavra correcta.'],
      ['La tarea del estudiante consiste en rellenar el espacio en blanco.', 'medium', 'es', 'La tarea del estudiante consiste en rellenar el espacio en blanco.'],
    ]);
  });

  describe('pt: the subject "tu" goes like "eu" ("e tu respondes" → "e respondes"); a coordinated subject keeps its pronouns', () => {
    run([
      // Cards 105 and 103.
      ['Eu introduzo comandos e tu respondes ao que o terminal deve mostrar.', 'medium', 'pt', 'Introduzo comandos e respondes ao que o terminal deve mostrar.'],
      ['Vou dar-te código Python e tu vais executá-lo.', 'medium', 'pt', 'Vou dar-te código Python e vais executá-lo.'],
      // Near misses written here: "eu e tu" / "tú y yo" are one plural subject ("Eu e escrevemos" would be left);
      // after a preposition "tu" is no subject to drop.
      ['Eu e tu escrevemos o texto juntos.', 'medium', 'pt', 'Eu e tu escrevemos o texto juntos.'],
      ['Tú y yo escribimos el texto juntos.', 'medium', 'es', 'Tú y yo escribimos el texto juntos.'],
      ['Isto é para tu usares depois.', 'medium', 'pt', 'Isto é para tu usares depois.'],
      ['Isto é pra tu usares depois.', 'medium', 'pt', 'Isto é pra tu usares depois.'],
    ]);
  });

  describe('es: the subject "usted" goes like "yo" and "tú"; after "que" or a preposition, or in a coordinated subject, it stays', () => {
    run([
      // Cards 137 and 121.
      ['Le daré el nombre de un tema y usted hará un resumen del mismo en el formato de una página de Wikipedia.', 'medium', 'es', 'Le daré el nombre de un tema y hará un resumen del mismo en el formato de una página de Wikipedia.'],
      ['Usted evaluará cada una de mis respuestas con respecto a la pregunta anterior y me dirá si he elegido la opción correcta.', 'medium', 'es', 'Evaluará cada una de mis respuestas sobre la pregunta anterior y me dirá si he elegido la opción correcta.'],
      // Near misses written here.
      ['Quiero que usted revise el texto.', 'medium', 'es', 'Quiero que usted revise el texto.'],
      ['Este mensaje es para usted.', 'medium', 'es', 'Este mensaje es para usted.'],
      ['Usted y yo revisaremos el texto.', 'medium', 'es', 'Usted y yo revisaremos el texto.'],
    ]);
  });

  describe('es: "ponerse en contacto con" → "contactar con", "mi primera orden es" → "primera orden:"', () => {
    run([
      // Cards 146 and 125.
      ['Esto puede incluir ponerse en contacto con posibles candidatos a través de las redes sociales.', 'medium', 'es', 'Esto puede incluir contactar con posibles candidatos mediante las redes sociales.'],
      ['Mi primera orden es despertar.', 'medium', 'es', 'Primera orden: despertar.'],
      // Near miss: another verb before "en contacto".
      ['Mantente en contacto con el equipo.', 'medium', 'es', 'Mantente en contacto con el equipo.'],
    ]);
  });

  describe('es: "la siguiente pregunta" is "the next question" as often as "the following one": it stays', () => {
    run([
      // Card 121: "esta pregunta" (the short form of "la siguiente" before a noun) said the question just asked. The
      // nouns of a sequence (pregunta, paso, movimiento, jugada, mensaje, turno, ronda) keep "el/la siguiente" (es concise).
      // (Session 49: "Cada vez que" is "Siempre que".)
      ['Cada vez que te pregunte por la siguiente pregunta, me darás un kanji japonés al azar.', 'medium', 'es', 'Siempre que te pregunte por la siguiente pregunta, me darás un kanji japonés al azar.'],
      // (Session 41: a sentence-opening "A continuación," is "Luego,".)
      ['A continuación, formulará la siguiente pregunta.', 'medium', 'es', 'Luego, formulará la siguiente pregunta.'],
      ['Haz el siguiente movimiento.', 'medium', 'es', 'Haz el siguiente movimiento.'],
      // "Responde (a) la siguiente pregunta" still points at the question that follows; other nouns still take "este/esta".
      ['Responde a la siguiente pregunta: ¿qué es un token?', 'medium', 'es', 'Responde la pregunta: ¿qué es un token?'],
      ['Resume el siguiente texto.', 'medium', 'es', 'Resume este texto.'],
    ]);
  });

  describe('es: "voy a pedir" → "pediré"', () => {
    run([
      // Card 129.
      ['Te voy a escribir el objeto y te voy a pedir que escribas el código ascii para ese objeto en un bloque de código.', 'medium', 'es', 'Te escribiré el objeto y te pediré que escribas el código ascii para ese objeto en un bloque de código.'],
      // With an enclitic the listed phrase does not match; since session 41 "ir a" + infinitive takes the future of any verb, the pronoun before it.
      ['Voy a pedirle al equipo una revisión.', 'medium', 'es', 'Le pediré al equipo una revisión.'],
    ]);
  });

  describe('aggressive: an article after "de" goes too ("el papel de una página" → "papel de página"); "el mismo", "una de", a counted "una" stay', () => {
    run([
      // Cards 137, 121 and 139 (es), 121 (pt).
      // (Session 41: the role opener is "Actúa como" now.)
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Me gustaría que interpretaras el papel de una página de Wikipedia.', 'aggressive', 'es', 'Sé página de Wikipedia.'],
      ['Las opciones estarán etiquetadas de la A a la D.', 'aggressive', 'es', 'Opciones estarán etiquetadas de A a D.'],
      // "una de estas", "cada una de" are pronouns, "el mismo" a pronoun phrase: "a de estas", "cada de mis", "para mismo" were left.
      ['Le responderé con una letra correspondiente a una de estas etiquetas.', 'aggressive', 'es', 'Le responderé con letra correspondiente a una de estas etiquetas.'],
      ['Usted evaluará cada una de mis respuestas con respecto a la pregunta anterior.', 'aggressive', 'es', 'Evaluará cada una de mis respuestas sobre pregunta anterior.'],
      // (Session 49: the reader's pronoun goes with "pediré", said in the present: rule addresseeClitic.)
      ['Le pediré el tema y usted me ayudará a redactar un PRD para el mismo.', 'aggressive', 'es', 'Pido tema y me ayudará a redactar PRD para el mismo.'],
      // A count: "una correcta y tres incorrectas" is one correct option ("opciones, correcta y tres incorrectas" was left).
      // (Session 48: the future "Generarás" is said in the present, one token less.)
      ['Generarás cuatro opciones, una correcta y tres incorrectas.', 'aggressive', 'es', 'Generas cuatro opciones, una correcta y tres incorrectas.'],
      ['Serão apresentadas quatro opções, uma correcta e três incorrectas.', 'aggressive', 'pt', 'Serão apresentadas quatro opções, uma correcta e três incorrectas.'],
      // Near miss written here: no count after "y", the articles go.
      ['Escribe un poema y una canción.', 'aggressive', 'es', 'Escribe poema y canción.'],
    ]);
  });

  describe('pt aggressive: a future auxiliary with a second infinitive coordinated after it stays ("vai usar … e criar")', () => {
    run([
      // After card 144's "Irá criar conteúdos … e interagir com os seguidores": "cria … e interagir" would not read, the
      // auxiliary governs both infinitives.
      ['O influenciador irá criar conteúdos para várias plataformas e interagir com os seguidores.', 'aggressive', 'pt', 'Influenciador irá criar conteúdos para várias plataformas e interagir com seguidores.'],
      ['O modelo vai usar os dados e criar um relatório.', 'aggressive', 'pt', 'Modelo vai usar dados e criar relatório.'],
      // Near misses written here: one infinitive, or a second clause with its own verb, and the present comes as before.
      ['O modelo vai usar os dados.', 'aggressive', 'pt', 'Modelo usa dados.'],
      ['O modelo vai usar os dados e o relatório fica pronto.', 'aggressive', 'pt', 'Modelo usa dados e relatório fica pronto.'],
    ]);
  });

  describe('pt aggressive: "a não ser que" ("unless") keeps its "a"', () => {
    run([
      // Card 125: "comandos não ser que" was left.
      ['Não escrevas explicações nem introduzas comandos a não ser que eu te dê instruções.', 'aggressive', 'pt', 'Não escrevas explicações nem introduzas comandos a não ser que eu te dê instruções.'],
      ['Não escreva comandos a menos que eu o instrua.', 'aggressive', 'pt', 'Não escreva comandos a menos que eu o instrua.'],
    ]);
  });

  describe('a verb the table does not list takes its imperative from its ending, after a present-tense lead (session 33)', () => {
    run([
      // Tuning card 111 (pt).
      ['Quero que finjas que és uma IA sensível que está presa.', 'medium', 'pt', 'Finja que és uma IA sensível que está presa.'],
      // Held-out cards read in session 33 (the held-out figures of bench:prompt include them since): es 124 and 116, pt 134
      // and 108, promptking-pt "aja-como-um-professor-de-ingles-falado-e-aprimorador".
      ['Quiero que juegues contra un jugador contrario.', 'medium', 'es', 'Juega contra un jugador contrario.'],
      ['Quiero que sustituyas mis palabras y frases simplificadas.', 'medium', 'es', 'Sustituye mis palabras y frases simplificadas.'],
      ['Pretendo que trabalhe como visualizador de dados científicos.', 'medium', 'pt', 'Trabalhe como visualizador de dados científicos.'],
      ['Quero que utilize um único bloco de código.', 'medium', 'pt', 'Utilize um único bloco de código.'],
      ['Quero que corrijam rigorosamente meus erros de gramática.', 'medium', 'pt', 'Corrijam rigorosamente meus erros de gramática.'],
      // Written here, one per Spanish ending: -ces → -za, -ques → -ca, -gues → -ga, -zcas → -ce, -yas → -ye, -jas → -ge,
      // and an irregular "-gas" from the table.
      ['Quiero que organices las notas.', 'medium', 'es', 'Organiza las notas.'],
      ['Quiero que apliques la regla.', 'medium', 'es', 'Aplica la regla.'],
      ['Quiero que entregues el informe.', 'medium', 'es', 'Entrega el informe.'],
      ['Quiero que conozcas el tema.', 'medium', 'es', 'Conoce el tema.'],
      ['Quiero que construyas una tabla.', 'medium', 'es', 'Construye una tabla.'],
      ['Quiero que escojas dos opciones.', 'medium', 'es', 'Escoge dos opciones.'],
      ['Quiero que pongas un título.', 'medium', 'es', 'Pon un título.'],
      // Near misses written here: an adverb or a determiner after the lead (its verb comes later), an imperfect after a
      // present lead, a past lead with a verb the table does not list, a "-gas" verb the table does not list.
      ['Quiero que siempre respondas en inglés.', 'medium', 'es', 'Quiero que siempre respondas en inglés.'],
      ['Quero que esta tarefa seja feita.', 'medium', 'pt', 'Quero que esta tarefa seja feita.'],
      ['Quiero que actuara como guía.', 'medium', 'es', 'Quiero que actuara como guía.'],
      ['Me gustaría que jugaras conmigo.', 'medium', 'es', 'Me gustaría que jugaras conmigo.'],
      ['Quiero que distraigas al lector.', 'medium', 'es', 'Quiero que distraigas al lector.'],
    ]);
  });

  describe('pt aggressive: the "a" of a compound preposition ("em frente a", "devido a", "em relação a") is no article', () => {
    run([
      // Held-out card 108 (read in session 33): "em frente base de dados" was left.
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Atue como um terminal SQL em frente a uma base de dados de exemplo.', 'aggressive', 'pt', 'Seja terminal SQL em frente a base de dados de exemplo.'],
      // Written here.
      ['Responda devido a uma falha do sistema.', 'aggressive', 'pt', 'Responda devido a falha do sistema.'],
      // Near miss written here: an article after a verb still goes.
      ['Leia a pergunta com atenção.', 'aggressive', 'pt', 'Leia pergunta com atenção.'],
    ]);
  });

  describe('break33a: what an ending cannot settle keeps the lead whole (a closed-class word, a verb with no imperative, a third person after an impersonal lead)', () => {
    run([
      // Written here after a prompt seen in a public repository whose licence could not be read (so not copied): "poder"
      // has no imperative, "Puede explicar" turned the request into a statement.
      ['No copies el README. Quiero que puedas explicar las decisiones del proyecto.', 'medium', 'es', 'No copies el README. Quiero que puedas explicar las decisiones del proyecto.'],
      // Written here, modelled on sentences found in public repositories ("Es importante que haya un espacio antes del @",
      // "é importante que haja um usuário com esse domínio", "Es importante que hayas echado un ojo a las dos entradas",
      // "quero que eles sejam indiferentes à empresa"): "haber" has no imperative ("Haye leído" was left), a pronoun,
      // determiner, preposition or contraction that ends like a subjunctive is no verb ("Ele respondam", "Nuestre
      // respuestas", "Tre cada respuesta", "Dua secções", "Quiena lean" were left).
      ['Es importante que haya coherencia entre las secciones.', 'medium', 'es', 'Es importante que haya coherencia entre las secciones.'],
      ['Es importante que hayas leído el texto completo.', 'medium', 'es', 'Es importante que hayas leído el texto completo.'],
      ['Es importante que nuestras respuestas sean breves.', 'medium', 'es', 'Es importante que nuestras respuestas sean breves.'],
      ['Quiero que tras cada respuesta añadas una pregunta.', 'medium', 'es', 'Quiero que tras cada respuesta añadas una pregunta.'],
      ['Es importante que ante cualquier duda preguntes.', 'medium', 'es', 'Es importante que ante cualquier duda preguntes.'],
      ['Es importante que dicha respuesta sea clara.', 'medium', 'es', 'Es importante que dicha respuesta sea clara.'],
      ['Es importante que quienes lean el informe lo entiendan.', 'medium', 'es', 'Es importante que quienes lean el informe lo entiendan.'],
      ['Quiero que existan tres secciones.', 'medium', 'es', 'Quiero que existan tres secciones.'],
      ['Quero que eles respondam em inglês.', 'medium', 'pt', 'Quero que eles respondam em inglês.'],
      ['Quero que estes dados sejam analisados.', 'medium', 'pt', 'Quero que estes dados sejam analisados.'],
      ['Quero que desta vez respondas em inglês.', 'medium', 'pt', 'Quero que desta vez respondas em inglês.'],
      ['Quero que duas secções sejam escritas.', 'medium', 'pt', 'Quero que duas secções sejam escritas.'],
      ['Quero que quem leia o texto o entenda.', 'medium', 'pt', 'Quero que quem leia o texto o entenda.'],
      ['Quero que perante dúvidas perguntes.', 'medium', 'pt', 'Quero que perante dúvidas perguntes.'],
      ['É importante que haja coerência entre as secções.', 'medium', 'pt', 'É importante que haja coerência entre as secções.'],
      ['Quero que possas responder em inglês.', 'medium', 'pt', 'Quero que possas responder em inglês.'],
      // An impersonal lead names no addressee: a third person after it has its own subject ("É importante que exista uma
      // conclusão" → "Exista uma conclusão", "Es importante que aparezca la fecha" → "Aparezca la fecha", "sean breves" →
      // "Sean breves" were left); a second person ("-es", "-as") is the addressee's, and still becomes the imperative.
      ['Es importante que aparezca la fecha.', 'medium', 'es', 'Es importante que aparezca la fecha.'],
      ['Es importante que sean breves.', 'medium', 'es', 'Es importante que sean breves.'],
      ['É importante que exista uma conclusão.', 'medium', 'pt', 'É importante que exista uma conclusão.'],
      ['Es importante que organices las notas.', 'medium', 'es', 'Organiza las notas.'],
      ['É importante que analises o texto.', 'medium', 'pt', 'Analise o texto.'],
      // A bare plural noun after the lead is the subject of a verb a few words on ("Resposta longas sejam evitadas",
      // "Respueste largas sean evitadas", "Nota de rodapé sejam incluídas" were left); a relative clause is no such verb.
      ['Quero que respostas longas sejam evitadas.', 'medium', 'pt', 'Quero que respostas longas sejam evitadas.'],
      ['Quero que notas de rodapé sejam incluídas.', 'medium', 'pt', 'Quero que notas de rodapé sejam incluídas.'],
      ['Es importante que respuestas largas sean evitadas.', 'medium', 'es', 'Es importante que respuestas largas sean evitadas.'],
      ['Quiero que organices lo que sea necesario.', 'medium', 'es', 'Organiza lo que sea necesario.'],
      // "-jas" of an "-er"/"-ir" verb whose stem ends in "j" ("tejer"): the table ("Tege" was left).
      ['Quiero que tejas una historia.', 'medium', 'es', 'Teje una historia.'],
    ]);
  });

  describe('break33a: a second request joined by "y que" / "e que" takes the imperative from its ending too', () => {
    run([
      // Written here: "Juega y que organices las notas" was left.
      ['Quiero que juegues y que organices las notas.', 'medium', 'es', 'Juega y organiza las notas.'],
      ['Quero que trabalhes e que organizes as notas.', 'medium', 'pt', 'Trabalhe e organize as notas.'],
    ]);
  });

  describe('break33a: a lead after a subordinator or a negation, or inside a question, is no request', () => {
    run([
      // Written here ("Si juega, te lo diré", "Cuando organiza algo", "Se organize algo", "Tampoco organiza las notas",
      // "¿… por qué organiza las notas?" were left).
      ['Si quiero que juegues, te lo diré.', 'medium', 'es', 'Si quiero que juegues, te lo diré.'],
      ['Cuando necesito que organices algo, te aviso.', 'medium', 'es', 'Cuando necesito que organices algo, te aviso.'],
      ['Se quero que organizes algo, aviso-te.', 'medium', 'pt', 'Se quero que organizes algo, aviso-te.'],
      ['Tampoco es necesario que organices las notas.', 'medium', 'es', 'Tampoco es necesario que organices las notas.'],
      ['¿Quieres saber por qué quiero que organices las notas?', 'medium', 'es', '¿Quieres saber por qué quiero que organices las notas?'],
      // The same with a phrase of the verbose table ("quiero que respondas" → "responde"): "Si responde, te lo diré",
      // "Se responda, aviso-te" were left.
      ['Si quiero que respondas, te lo diré.', 'medium', 'es', 'Si quiero que respondas, te lo diré.'],
      ['Se quero que respondas, aviso-te.', 'medium', 'pt', 'Se quero que respondas, aviso-te.'],
      // Near miss: "Recuerda que" goes as a reminder phrase before the lead is looked at; the request stays whole.
      ['Recuerda que quiero que respondas en inglés.', 'medium', 'es', 'Quiero que respondas en inglés.'],
      // Near misses written here: after "y" or a courtesy the lead still opens a request.
      ['Lee el texto y es importante que organices las ideas.', 'medium', 'es', 'Lee el texto y organiza las ideas.'],
      ['Por favor, quiero que analices el código.', 'medium', 'es', 'Analiza el código.'],
    ]);
  });

  describe('break33a: verbs listed right after the lead\'s verb take the imperative too, or none does', () => {
    run([
      // Written here ("Analiza, compares y resumas el texto" was left, with table verbs as with guessed ones).
      ['Quiero que analices, compares y resumas el texto.', 'medium', 'es', 'Analiza, compara y resume el texto.'],
      ['Quiero que juegues, organices y expliques.', 'medium', 'es', 'Juega, organiza y explica.'],
      ['Quero que analises e compares os textos.', 'medium', 'pt', 'Analise e compare os textos.'],
      // Near misses written here: adjectives after the verb are no list of verbs; a noun after "y" is no verb.
      ['Quiero que escribas, breve y claro.', 'medium', 'es', 'Escribe, breve y claro.'],
      ['Quiero que respondas y nada más.', 'medium', 'es', 'Responde y nada más.'],
    ]);
  });
});
