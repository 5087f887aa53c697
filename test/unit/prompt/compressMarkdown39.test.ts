/**
 * Exact outputs of the aggressive rules of session 39 (issue 12 item 7): bullet markers dropped, section headings written as
 * labels (src/engine/prompt/compressMarkdown.ts) and the reader's possessive dropped like an article (`possessives` of
 * src/shared/prompt/languages/{en,es,pt}.json); and, at medium, "play the role of" → "act as" (the packs' `verbose` pairs). Each expected text was worked out by hand from the rule comments: the bullet
 * and the heading marker go, the line break and indentation stay, a colon ends the heading; a template list, a slot, a
 * checkbox, a code block and a numbered marker keep theirs; the medium level keeps every marker. Every case is also checked
 * against the independent regex oracle (test/fixtures/prompts/oracle.ts).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor, summarizeRemovals } from '../../../src/engine/prompt/compressor';
import { oracleMissing } from '../../fixtures/prompts/oracle';

const compressor = new PromptCompressor();

describe('compressor: markdown markers and possessives at the aggressive level (session 39)', () => {
  const cases: Array<[input: string, language: string, medium: string, aggressive: string]> = [
    // A fabric-style prompt: section headings become labels, bullets go, "Do not" and "Only" stay.
    [
      '# STEPS\n\n- Read the input carefully.\n- Write a summary of the main points.\n\n# OUTPUT INSTRUCTIONS\n\n- Only output Markdown.\n- Do not repeat items.\n',
      'en',
      '# Steps\n\n- Read input carefully.\n- Write summary of main points.\n\n# Output instructions\n\n- Only output Markdown.\n- Do not repeat items.',
      'Steps:\n\nRead input carefully.\nWrite summary of main points.\n\nOutput instructions:\n\nOnly output Markdown.\nDo not repeat items.',
    ],
    // A list introduced by "Use this format:" is a template the model copies: its bullets stay.
    ['Summarize the article.\n\nUse this format:\n\n- Title: the title\n- Summary: one sentence\n', 'en', 'Summarize the article.\n\nUse this format:\n\n- Title: the title\n- Summary: one sentence', 'Summarize article.\n\nUse this format:\n\n- Title: the title\n- Summary: one sentence'],
    // A slot to fill ("[Name]") makes the list a template; a checkbox too.
    ['Rules:\n- Keep the tone neutral.\n- [Name]: the author\n', 'en', 'Rules:\n- Keep tone neutral.\n- [Name]: the author', 'Rules:\n- Keep tone neutral.\n- [Name]: the author'],
    // An item whose text would open with another marker keeps its bullet ("- 1. x" would become a numbered item).
    ['Tasks:\n- 1. Restart the service\n- Read the manual\n', 'en', 'Tasks:\n- 1. Restart service\n- Read manual', 'Tasks:\n- 1. Restart service\nRead manual'],
    // A fenced block is protected: its bullets stay, the list after it loses its bullet.
    ['Answer with a list:\n\n```\n- one\n- two\n```\n\n- Keep it short.\n', 'en', 'Answer with a list:\n\n```\n- one\n- two\n```\n\n- Keep it short.', 'Answer with list:\n\n```\n- one\n- two\n```\n\nKeep it short.'],
    // A heading of other words ("# OVERVIEW") keeps its marker; closing hashes go with the marker; numbered markers stay.
    ['# OVERVIEW\n\nExplain the project.\n\n## Steps ##\n\n1. Read the file.\n2. Write the report.\n', 'en', '# OVERVIEW\n\nExplain the project.\n\n## Steps ##\n\n1. Read file.\n2. Write report.', '# OVERVIEW\n\nExplain project.\n\nSteps:\n\n1. Read file.\n2. Write report.'],
    // A heading that already ends with a colon gets none added; its echoed label goes (headingEcho, medium).
    ['## INPUT:\n\nINPUT:\n', 'en', '## INPUT:', 'INPUT:'],
    // Indented and "•" bullets: the indentation stays.
    ['  * Nested item one\n  * Nested item two\n\n• A bullet\n', 'en', '  * Nested item one\n  * Nested item two\n\n• Bullet', '  Nested item one\n  Nested item two\n\nBullet'],
    // "# EXAMPLES" names an example: the heading keeps its marker and its list its bullets.
    ['# EXAMPLES\n- Good: short\n- Bad: long\n', 'en', '# Examples\n- Good: short\n- Bad: long', '# Examples\n- Good: short\n- Bad: long'],
    // A heading followed at once by another heading lists sections to write (a template): both keep their markers.
    ['# OUTPUT\n\n# STEPS\n\nRead the text.\n', 'en', '# OUTPUT\n\n# Steps\n\nRead the text.', '# OUTPUT\n\nSteps:\n\nRead text.'],
    // The reader's possessive goes like an article; "your own" and "is your" keep it; a negation keeps its words around it.
    ['Write your answer in JSON. Use your own words. Do not share your opinions. What is your name?', 'en', "Write your answer in JSON. Use your own words. Do not share your opinions. What's your name?", "Write answer in JSON. Use your own words. Do not share opinions. What's your name?"],
    // Spanish and Portuguese: the same rules from their packs (section words, possessives).
    ['# PASOS\n\n- Lee el texto con atención.\n- Escribe tu respuesta en una lista.\n', 'es', '# PASOS\n\n- Lee texto con atención.\n- Escribe tu respuesta en lista.', 'PASOS:\n\nLee texto con atención.\nEscribe respuesta en lista.'],
    ['# PASSOS\n\n- Leia o texto com atenção.\n- Escreva sua resposta em uma lista.\n\nNão mude seus dados.', 'pt', '# PASSOS\n\n- Leia texto com atenção.\n- Escreva sua resposta em lista.\n\nNão mude seus dados.', 'PASSOS:\n\nLeia texto com atenção.\nEscreva resposta em lista.\n\nNão mude dados.'],
    // A bare lower-case key before the list makes it YAML data: its dashes stay.
    ['Reply in this shape.\ntags:\n  - news\n  - sport\n', 'en', 'Reply in this shape.\ntags:\n  - news\n  - sport', 'Reply in this shape.\ntags:\n  - news\n  - sport'],
    // A Spanish list introduced by "con este formato:" keeps its bullets.
    ['Responde con este formato:\n- Título: el título\n- Resumen: una frase\n', 'es', 'Responde con este formato:\n- Título: el título\n- Resumen: una frase', 'Responde con este formato:\n- Título: el título\n- Resumen: una frase'],
  ];
  for (const [input, language, medium, aggressive] of cases) {
    it(`${language}: ${JSON.stringify(input.slice(0, 50))}`, () => {
      const m = compressor.compress(input, { level: 'medium', language });
      const a = compressor.compress(input, { level: 'aggressive', language });
      assert.equal(m.text, medium);
      assert.equal(a.text, aggressive);
      assert.deepEqual(oracleMissing(input, a.text), []);
      assert.equal(a.retention.ratio, 1);
    });
  }

  it('medium: "play the role of" says "act as" (en, es, pt verbose pairs); the article after it goes only at aggressive', () => {
    const cases: Array<[string, string, string, string]> = [
      ['Play the role of a travel guide. Do not invent places.', 'en', 'Act as a travel guide. Do not invent places.', 'Act as travel guide. Do not invent places.'],
      // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
      ['Desempeña el papel de un juego de tres en raya. No expliques.', 'es', 'Actúa como un juego de tres en raya. No expliques.', 'Sé juego de tres en raya. No expliques.'],
      ['Interpreta el papel de una página de {tema}.', 'es', 'Actúa como una página de {tema}.', 'Sé página de {tema}.'],
      ['Desempenhe o papel de um guia turístico. Não invente.', 'pt', 'Atue como um guia turístico. Não invente.', 'Seja guia turístico. Não invente.'],
    ];
    for (const [input, language, medium, aggressive] of cases) {
      assert.equal(compressor.compress(input, { level: 'medium', language }).text, medium, input);
      assert.equal(compressor.compress(input, { level: 'aggressive', language }).text, aggressive, input);
    }
  });

  it('names the rules in the removal report', () => {
    const r = compressor.compress('# STEPS\n\n- Write your summary.\n', { level: 'aggressive', language: 'en' });
    assert.equal(r.text, 'Steps:\n\nWrite summary.');
    const rules = summarizeRemovals(r.removed).map((s) => `${s.rule} ${s.text}`).sort();
    assert.deepEqual(rules, ['headingCase STEPS → Steps', 'headingLabel #', 'headingLabel (inserted) → :', 'listMarker -', 'possessive your', 'whitespace whitespace/punctuation characters']);
  });
});
