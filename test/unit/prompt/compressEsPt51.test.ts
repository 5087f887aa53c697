/**
 * Session 51 (issue 12 item 7, compress51espt): Spanish and Portuguese said shorter. Aggressive: a pt possessive after
 * its article goes with it ("O seu resumo" → "Resumo"; the medium phrase "o seu" → "seu" took it first), es "su"/"sus"
 * go like "tu"/"tus", and "e, em seguida," / "y, a continuación," → "e" / "y". Medium: plainer words where o200k spends fewer
 * tokens ("Deberá" → "Debe", "Siéntete libre de" → "Puedes", "eres capaz de" → "puedes", pt "és capaz de" → "podes") and the pt
 * mesoclitic future said with "ir" ("Dar-te-ei" → "Vou dar-te", "traduzi-las-ás" → "vais traduzi-las"). Every expected
 * string is written by hand; each rule case failed before its change (checked against main at 1588591a), the guards
 * excepted (marked).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { runCompressCases as run } from './compressCases';

describe('compressor es/pt (session 51)', () => {
  describe('pt aggressive: a possessive after its article goes with it', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-137: "O seu resumo deve ser…", "Comece a escrever o seu resumo…".
      ['Dou um nome. O seu resumo deve ser informativo.', 'aggressive', 'pt', 'Dou nome. Resumo deve ser informativo.'],
      ['Comece a escrever o seu resumo com um parágrafo.', 'aggressive', 'pt', 'Comece a escrever resumo com parágrafo.'],
      ['Escreva as suas respostas em inglês.', 'aggressive', 'pt', 'Escreva respostas em inglês.'],
      // Guard (passed before too): medium keeps the possessive and drops only the article.
      ['O seu resumo deve ser informativo.', 'medium', 'pt', 'Seu resumo deve ser informativo.'],
    ]);
  });

  describe('es aggressive: "su"/"sus" go like "tu"/"tus"', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-137, card-119, card-121.
      ['Le daré un tema. Su resumen debe ser informativo.', 'aggressive', 'es', 'Le doy tema. Resumen debe ser informativo.'],
      ['Responde sólo a su pronunciación y nada más.', 'aggressive', 'es', 'Responde sólo a pronunciación y nada más.'],
      ['Escribe sus respuestas en inglés.', 'aggressive', 'es', 'Escribe respuestas en inglés.'],
      // Guard (passed before too): medium keeps it.
      ['Escribe sus respuestas en inglés.', 'medium', 'es', 'Escribe sus respuestas en inglés.'],
    ]);
  });

  describe('es/pt aggressive: "e, em seguida," / "y, a continuación," → "e" / "y"', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-137.
      ['Dar-te-ei um nome de tópico e, em seguida, farás um resumo.', 'aggressive', 'pt', 'Dou nome de tópico e farás resumo.'],
      ['Vou dar um nome e em seguida farás um resumo.', 'aggressive', 'pt', 'Dou nome e farás resumo.'],
      ['Te daré un tema y, a continuación, escribirás un resumen.', 'aggressive', 'es', 'Te doy tema y escribirás resumen.'],
    ]);
  });

  describe('es/pt medium: a plainer word where o200k spends fewer tokens', () => {
    run([
      ['Actúa como poeta. Deberá escribir un poema.', 'medium', 'es', 'Actúa como poeta. Debe escribir un poema.'],
      ['Actúa como poeta. Siéntete libre de usar metáforas.', 'medium', 'es', 'Actúa como poeta. Puedes usar metáforas.'],
      ['Actúe como poeta. Siéntase libre de usar metáforas.', 'medium', 'es', 'Actúe como poeta. Puede usar metáforas.'],
      ['Actúa como tutor. Debes explicar. Eres capaz de resolver problemas.', 'medium', 'es', 'Actúa como tutor. Debes explicar. Puedes resolver problemas.'],
      ['Actúa como tutor. Tienes que ser capaz de resolver problemas.', 'medium', 'es', 'Actúa como tutor. Debes poder resolver problemas.'],
      ['Atue como poeta. Sinta-se livre para usar metáforas.', 'medium', 'pt', 'Atue como poeta. Pode usar metáforas.'],
      ['Atue como poeta. Sente-te livre para usar metáforas.', 'medium', 'pt', 'Atue como poeta. Podes usar metáforas.'],
      ['Atue como tutor. Explica. És capaz de resolver problemas.', 'medium', 'pt', 'Atue como tutor. Explica. Podes resolver problemas.'],
      // Guards (passed before too): these were already in the packs, and the word after a negation is kept.
      ['Actúa como poeta. Deberás escribir un poema.', 'medium', 'es', 'Actúa como poeta. Debes escribir un poema.'],
      ['Atue como poeta. Terás de escrever um poema.', 'medium', 'pt', 'Atue como poeta. Deves escrever um poema.'],
      ['Actúa como poeta. No deberás escribir explicaciones.', 'medium', 'es', 'Actúa como poeta. No deberás escribir explicaciones.'],
    ]);
  });

  describe('pt medium: a mesoclitic future said with "ir"', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-117, card-137.
      ['Atue como tradutor. Dar-te-ei mensagens e traduzi-las-ás para texto em inglês.', 'medium', 'pt', 'Atue como tradutor. Vou dar-te mensagens e vais traduzi-las para texto em inglês.'],
      ['Dar-te-ei um nome de tópico e, em seguida, farás um resumo.', 'medium', 'pt', 'Vou dar-te um nome de tópico e, em seguida, farás um resumo.'],
      ['Atue como poeta. Fá-lo-ei amanhã. Dar-lhe-ei formulários.', 'medium', 'pt', 'Atue como poeta. Fá-lo-ei amanhã. Vou dar-lhe formulários.'],
      // Guard (passed before too): "dir-me-á" and "vai dizer-me" cost the same tokens, so it stays.
      ['Atue como juiz. Avaliará as respostas e dir-me-á se escolhi a opção correcta.', 'medium', 'pt', 'Atue como juiz. Avaliará as respostas e dir-me-á se escolhi a opção correcta.'],
    ]);
  });

  it('reports the mesoclitic future as a verbose phrase and the plainer words as plainWord', () => {
    const compressor = new PromptCompressor();
    const rules = (text: string, level: 'medium' | 'aggressive', language: string) => compressor.compress(text, { level, language }).removed.map((r) => r.rule);
    assert.ok(rules('Atue como tradutor. Dar-te-ei mensagens.', 'medium', 'pt').includes('verbose'));
    assert.ok(rules('Actúa como poeta. Siéntete libre de usar metáforas.', 'medium', 'es').includes('plainWord'));
  });
});
