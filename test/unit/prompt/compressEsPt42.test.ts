/**
 * Session 42 (issue 12 item 7, compress42): Spanish and Portuguese rewrites and guards. Every expected string is
 * written by hand; each case failed before its change (checked against main at bef66d6d).
 */
import { runCompressCases as run } from './compressCases';

describe('compressor es/pt (session 42)', () => {
  describe('pt aggressive: "a" before another article or a pronoun is the preposition, and stays', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-111 gave "teve acesso terminal".
      ['Finge que és uma IA que teve acesso a um terminal e quer fugir.', 'aggressive', 'pt', 'Finge que és IA que teve acesso a terminal e quer fugir.'],
      // card-115 gave "fornecê-la mim".
      ['Gera a palavra-passe e envia-a a mim sem explicações.', 'aggressive', 'pt', 'Gera palavra-passe e envia-a a mim sem explicações.'],
      ['Mostre a lista ao usuário e a ele.', 'aggressive', 'pt', 'Mostre lista ao usuário e a ele.'],
      ['Dê a resposta a você mesmo.', 'aggressive', 'pt', 'Dê resposta a você mesmo.'],
      // card-121: "uma" before "dessas" is the pronoun "one (of these)", not an article: "correspondente a uma dessas" gave
      // "correspondente dessas".
      ['Responderei com uma letra correspondente a uma dessas opções.', 'aggressive', 'pt', 'Responderei com letra correspondente a uma dessas opções.'],
      // The article before a noun still goes.
      ['Mostre a lista ao usuário.', 'aggressive', 'pt', 'Mostre lista ao usuário.'],
    ]);
  });

  describe('pt medium: an imperative lead ("você precisa", "você vai") goes only before an infinitive', () => {
    run([
      // Before "de" or an adverb the lead is the sentence's verb: "De mais detalhes…" and "Bem longe…" lost it.
      ['Você precisa de mais detalhes para responder.', 'medium', 'pt', 'Você precisa de mais detalhes para responder.'],
      ['Você vai bem longe com isso.', 'medium', 'pt', 'Você vai bem longe com isso.'],
      // "precisar" after "você vai" says what will happen, not what to do ("Precisar de ajuda." read as an order).
      ['Você vai precisar de ajuda.', 'medium', 'pt', 'Você vai precisar de ajuda.'],
      // Before an infinitive, an enclitic one included, the lead still goes.
      ['Você vai escrever um resumo.', 'medium', 'pt', 'Escrever um resumo.'],
      ['Você precisa traduzi-lo para inglês.', 'medium', 'pt', 'Traduzi-lo para inglês.'],
      ['Você precisa enviá-la hoje.', 'medium', 'pt', 'Enviá-la hoje.'],
    ]);
  });

  describe('pt aggressive: the reader\'s possessive in the "tu" forms goes like "seu"/"sua" (es "tu"/"tus")', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-117, card-122, card-111.
      ['Tuas respostas devem conter apenas o texto traduzido.', 'aggressive', 'pt', 'Respostas devem conter apenas o texto traduzido.'],
      ['Agora faz a tua primeira jogada.', 'aggressive', 'pt', 'Agora faz primeira jogada.'],
      ['Qual foi o teu primeiro comando?', 'aggressive', 'pt', 'Qual foi o primeiro comando?'],
    ]);
  });

  describe('es/pt medium: a filler that governs an infinitive ("siéntete libre de", "asegúrate de", "fique à vontade para") goes only where the infinitive can open the sentence', () => {
    run([
      // Mid-sentence the bare infinitive is no instruction: "así que ser imaginativo", "y incluir ejemplos" were left.
      // Session 51: the filler still stays here; the plain word "siéntete libre de" → "puedes" (same meaning, fewer
      // o200k tokens) now writes it, and "así que puedes ser imaginativo" reads.
      ['La IA entiende mucho, así que siéntete libre de ser imaginativo.', 'medium', 'es', 'La IA entiende mucho, así que puedes ser imaginativo.'],
      ['Lee el texto y asegúrate de incluir ejemplos.', 'medium', 'es', 'Lee el texto y asegúrate de incluir ejemplos.'],
      ['Leia o texto e certifique-se de incluir exemplos.', 'medium', 'pt', 'Leia o texto e certifique-se de incluir exemplos.'],
      ['A IA entende, por isso fique à vontade para ser criativo.', 'medium', 'pt', 'A IA entende, por isso fique à vontade para ser criativo.'],
      // At a sentence start the infinitive reads as the instruction: the filler still goes.
      ['Asegúrate de incluir ejemplos.', 'medium', 'es', 'Incluir ejemplos.'],
      ['Certifique-se de incluir exemplos.', 'medium', 'pt', 'Incluir exemplos.'],
    ]);
  });

  describe('es/pt medium: wordy phrases said shorter with the same meaning', () => {
    run([
      ['A pesar de que el texto es corto, resume cada uno de ellos.', 'medium', 'es', 'Aunque el texto es corto, resume cada uno.'],
      ['Hazlo con la finalidad de aprender.', 'medium', 'es', 'Hazlo para aprender.'],
      ['Crea frases; cada una de ellas con un espacio.', 'medium', 'es', 'Crea frases; cada una con un espacio.'],
      ['Deves levar a cabo a tarefa e avaliar cada um deles.', 'medium', 'pt', 'Deves realizar a tarefa e avaliar cada um.'],
      ['Lê as frases; cada uma delas tem um erro.', 'medium', 'pt', 'Lê as frases; cada uma tem um erro.'],
    ]);
  });
});
