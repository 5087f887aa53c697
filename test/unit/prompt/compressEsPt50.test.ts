/**
 * Session 50 (issue 12 item 7, compress50espt): Spanish and Portuguese said shorter. Aggressive: a role imperative opening
 * a sentence → the imperative of "to be" ("Actúa como" → "Sé", "Atue como" → "Seja"), a telegraphic sentence opener
 * ("Por ejemplo," → "Ej.:", "Para empezar," dropped, "Esto puede" → "Puede"). Medium: a determiner that repeats the
 * negation before it ("ningún", "quaisquer"), the "when I need to tell you something" clause said as "when I tell you
 * something", and pt "através do/da/dos/das" → "pelo/pela/pelos/pelas". Every expected string is written by hand; each
 * rule case failed before its change (checked against main at 31bd04ef), the guards excepted (marked).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { runCompressCases as run } from './compressCases';

describe('compressor es/pt (session 50)', () => {
  describe('es/pt aggressive: a role imperative opening a sentence → the imperative of "to be"', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-103, card-123 (the lead another rule wrote), card-131 (subjunctive lead + "de").
      ['Actúa como intérprete de Python. Te daré código y lo ejecutarás.', 'aggressive', 'es', 'Sé intérprete de Python. Te doy código y lo ejecutarás.'],
      ['Quiero que desempeñes el papel de un juego de tres en raya.', 'aggressive', 'es', 'Sé juego de tres en raya.'],
      ['Me gustaría que hicieras de generador de hojas de ejercicios.', 'aggressive', 'es', 'Sé generador de hojas de ejercicios.'],
      ['Actúe como asesor financiero para pequeñas empresas.', 'aggressive', 'es', 'Sea asesor financiero para pequeñas empresas.'],
      // chatgpt-shortcut-pt (tuning) card-146 ("Gostaria que actuasse" → "Atue", then "como" in the text), card-101.
      ['Atue como tradutor de inglês.', 'aggressive', 'pt', 'Seja tradutor de inglês.'],
      ['Gostaria que actuasse como recrutador. Escreva estratégias.', 'aggressive', 'pt', 'Seja recrutador. Escreva estratégias.'],
      ['Funcione como motor de busca Solr em modo autónomo.', 'aggressive', 'pt', 'Seja motor de busca Solr em modo autónomo.'],
    ]);
  });

  describe('es/pt aggressive guards: the role imperative stays (each passed before the rule too)', () => {
    run([
      // Before a blocker: "como si" is a comparison, not a role.
      ['Actúa como si fueras un pirata del Caribe.', 'aggressive', 'es', 'Actúa como si fueras pirata del Caribe.'],
      ['Aja como se fosse um pirata.', 'aggressive', 'pt', 'Aja como se fosse pirata.'],
      // Mid-sentence "actúa" is the third person.
      ['El sistema actúa como filtro de spam. Revisa el correo.', 'aggressive', 'es', 'Sistema actúa como filtro de spam. Revisa correo.'],
      // "Haz de cuenta que" is "pretend that".
      ['Haz de cuenta que eres un guía turístico.', 'aggressive', 'es', 'Haz de cuenta que eres guía turístico.'],
      // Before a verb: "como corresponde" is "as befits", not a role.
      ['Actúa como corresponde a un experto.', 'aggressive', 'es', 'Actúa como corresponde a experto.'],
      ['Aja como deve agir um guia.', 'aggressive', 'pt', 'Aja como deve agir guia.'],
    ]);
  });

  describe('es/pt aggressive: a sentence opener said telegraphically or dropped', () => {
    run([
      // chatgpt-shortcut-es/pt (tuning) card-109, card-123, card-131, card-146.
      ['Por ejemplo, puedes describir una ciudad futurista.', 'aggressive', 'es', 'Ej.: puedes describir ciudad futurista.'],
      ['Por exemplo, podes descrever uma cidade futurista.', 'aggressive', 'pt', 'Ex.: podes descrever cidade futurista.'],
      ['Para empezar, colocaré una X en la esquina superior izquierda.', 'aggressive', 'es', 'Colocaré X en esquina superior izquierda.'],
      ['Para começar, dê-me uma lista de palavras.', 'aggressive', 'pt', 'Liste palavras.'],
      ['Esto puede incluir contactar con posibles candidatos.', 'aggressive', 'es', 'Puede incluir contactar con posibles candidatos.'],
      ['Isto pode incluir contactar potenciais candidatos.', 'aggressive', 'pt', 'Pode incluir contactar potenciais candidatos.'],
      // Guard (passed before too): inside a sentence "por ejemplo" costs as many tokens as "ej." and stays.
      ['Usa ejemplos, por ejemplo, nombres de ciudades.', 'aggressive', 'es', 'Usa ejemplos, por ejemplo, nombres de ciudades.'],
    ]);
  });

  describe('es/pt medium: a determiner that repeats the negation before it goes', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-139, card-133; chatgpt-shortcut-pt card-115, card-117.
      ['No escribas ningún PRD hasta que te pida el tema.', 'medium', 'es', 'No escribas PRD hasta que te pida el tema.'],
      ['El código no debe incluir ningún estilo.', 'medium', 'es', 'El código no debe incluir estilo.'],
      ['Não incluas quaisquer explicações na resposta.', 'medium', 'pt', 'Não incluas explicações na resposta.'],
      ['As respostas não devem incluir quaisquer explicações adicionais.', 'medium', 'pt', 'As respostas não devem incluir explicações adicionais.'],
      // Guards (passed before too): without a negation before it in the clause, it is "any" and stays.
      ['Ningún texto debe quedar sin traducir.', 'medium', 'es', 'Ningún texto debe quedar sin traducir.'],
      ['Dar o código e quaisquer explicações relevantes.', 'medium', 'pt', 'Dar o código e quaisquer explicações relevantes.'],
      ['Não escreva nada. Inclua quaisquer notas relevantes.', 'medium', 'pt', 'Não escreva nada. Inclua quaisquer notas relevantes.'],
    ]);
  });

  describe('es/pt medium: "when I need to tell you something" said as "when I tell you something"', () => {
    run([
      // chatgpt-shortcut-es (tuning) card-105/125, card-111; chatgpt-shortcut-pt card-105, card-111; promptking-pt javascript.
      ['Cuando necesite decirte algo en inglés, pondré el texto entre llaves {así}.', 'medium', 'es', 'Cuando te diga algo en inglés, pondré el texto entre llaves {así}.'],
      ['Si necesito decirte algo en inglés, responderé {como esto} entre llaves.', 'medium', 'es', 'Si te digo algo en inglés, responderé {como esto} entre llaves.'],
      ['Quando precisar de lhe dizer algo em inglês, colocarei o texto entre chaves {assim}.', 'medium', 'pt', 'Quando lhe disser algo em inglês, colocarei o texto entre chaves {assim}.'],
      ['Se eu precisar de te dizer alguma coisa em inglês, usarei chaves.', 'medium', 'pt', 'Se te disser algo em inglês, usarei chaves.'],
      ['quando eu preciso lhe dizer algo em inglês, eu vou fazer isso colocando texto dentro de chaves {como este}.', 'medium', 'pt', 'quando lhe digo algo em inglês, coloco texto dentro de chaves {como este}.'],
    ]);
  });

  describe('pt medium: "através do/da/dos/das" → "pelo/pela/pelos/pelas"', () => {
    run([
      // chatgpt-shortcut-pt (tuning) card-146.
      ['Contacta candidatos através das redes sociais e através do site.', 'medium', 'pt', 'Contacta candidatos pelas redes sociais e pelo site.'],
    ]);
  });

  it('the medium level keeps the role imperative and the sentence openers (those rules are aggressive only)', () => {
    const compressor = new PromptCompressor();
    assert.equal(compressor.compress('Actúa como intérprete de Python.', { level: 'medium', language: 'es' }).text, 'Actúa como intérprete de Python.');
    assert.equal(compressor.compress('Por ejemplo, puedes describir una ciudad futurista.', { level: 'medium', language: 'es' }).text, 'Por ejemplo, puedes describir una ciudad futurista.');
  });

  it('the light level keeps the "need to tell you" clause (the rule is medium)', () => {
    const compressor = new PromptCompressor();
    const text = 'Cuando necesite decirte algo en inglés, pondré el texto entre llaves {así}.';
    assert.equal(compressor.compress(text, { level: 'light', language: 'es' }).text, text);
  });

  it('reports each new rule under its own name', () => {
    const compressor = new PromptCompressor();
    const rules = (text: string, level: 'medium' | 'aggressive', language: string) => compressor.compress(text, { level, language }).removed.map((r) => r.rule);
    assert.ok(rules('No escribas ningún PRD.', 'medium', 'es').includes('negatedDeterminer'));
    assert.ok(rules('Si necesito decirte algo en inglés, usa llaves.', 'medium', 'es').includes('shortClause'));
    assert.ok(rules('Por ejemplo, puedes describir una ciudad.', 'aggressive', 'es').includes('aggressiveOpener'));
    assert.ok(rules('Atue como tradutor de inglês.', 'aggressive', 'pt').includes('roleLead'));
  });
});
