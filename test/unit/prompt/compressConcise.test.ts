/**
 * Exact outputs of the compressor rules added in issue 12 item 7's third round (src/engine/prompt/telegraphic.ts
 * and the pack lists `concise`, `ritual`, `demonstratives`, `copulas`, `auxiliaries` of
 * src/shared/prompt/languages/{en,es,pt}.json): each case was derived by hand from those lists and the rule
 * comments, with protected items (a placeholder, a quote, inline code, "do not", "at most 3") next to the
 * rewritten words. Every case is also checked against the independent regex oracle
 * (test/fixtures/prompts/oracle.ts), and the light level must leave every input as it is.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor, STAGES, summarizeRemovals } from '../../../src/engine/prompt/compressor';
import { RULE_REASONS } from '../../../src/engine/prompt/compressReasons';
import { inFragment } from '../../../src/engine/prompt/telegraphic';
import { oracleMissing } from '../../fixtures/prompts/oracle';

const compressor = new PromptCompressor();

describe('compressor: concise medium and telegraphic aggressive rules (issue 12 item 7, third round)', () => {
  const cases: Array<[input: string, level: 'medium' | 'aggressive', language: string, expected: string, removals: string[]]> = [
    // Concise phrase table next to a placeholder, a quote and a negation: the rewrites go, the protected items stay.
    ["- Use the {input} along with the \"exact words\", such as \"a b\"; do not add the notes.", 'medium', 'en', "- Use the {input} with the \"exact words\", like \"a b\"; do not add notes.", ["verbose \"along with\" → \"with\"", "verbose \"such as\" → \"like\"", "fragmentArticle \"the \" → \"\""]],
    // A full sentence keeps its articles at medium; a partitive after "at most 3" keeps its article at every level.
    ["Use the {input} along with the \"exact words\" and list at most 3 of the items.", 'medium', 'en', "Use the {input} with the \"exact words\" and list at most 3 of the items.", ["verbose \"along with\" → \"with\""]],
    ["- Usa el {input} dentro de un bloque, tales como \"a b\"; no añadas las notas.", 'medium', 'es', "- Usa el {input} en un bloque, como \"a b\"; no añadas notas.", ["verbose \"dentro de un\" → \"en un\"", "verbose \"tales como\" → \"como\"", "fragmentArticle \"las \" → \"\""]],
    ["Quiero que actúes como un traductor de {idioma}. No escribas la explicación.", 'medium', 'es', "Actúa como traductor de {idioma}. No escribas la explicación.", ["verbose \"Quiero que actúes como un\" → \"Actúa como\""]],
    ["- Use o {input} dentro de um bloco, tais como \"a b\"; não adicione as notas.", 'medium', 'pt', "- Use o {input} num bloco, como \"a b\"; não adicione notas.", ["verbose \"dentro de um\" → \"num\"", "verbose \"tais como\" → \"como\"", "fragmentArticle \"as \" → \"\""]],
    ["Quero que atue como uma consola {nome}. Não escreva a explicação.", 'medium', 'pt', "Atue como consola {nome}. Não escreva a explicação.", ["verbose \"Quero que atue como uma\" → \"Atue como\""]],
    // Ritual phrases go whole at medium (en, es, pt); the placeholder and the negated clause stay.
    ["Take a deep breath and read the {input}. Do not skip the \"title\".", 'medium', 'en', "Read the {input}. Do not skip the \"title\".", ["ritual \"Take a deep breath and \" → \"\""]],
    ["Respira hondo y lee el {input}. No omitas el \"título\".", 'medium', 'es', "Lee el {input}. No omitas el \"título\".", ["ritual \"Respira hondo y \" → \"\""]],
    ["Respire fundo e leia o {input}. Não omita o \"título\".", 'medium', 'pt', "Leia o {input}. Não omita o \"título\".", ["ritual \"Respire fundo e \" → \"\""]],
    // A ritual clause after "think step-by-step" goes too; in a negated clause it stays.
    ["Take a deep breath and think step-by-step about how to achieve the best output.", 'medium', 'en', "Think step-by-step.", ["ritual \"Take a deep breath and \" → \"\"", "ritual \" about how to achieve the best output\" → \"\""]],
    ["Do not think about how to achieve the best results.", 'medium', 'en', "Do not think about how to achieve the best results.", []],
    // Blank lines between items of one list go; a blank line before a list of another kind (bullets, then numbers) stays.
    ["- Read the {input}.\n\n- Do not skip the \"title\".\n\n1. List at most 3 items.", 'medium', 'en', "- Read the {input}.\n- Do not skip the \"title\".\n\n1. List at most 3 items.", ["listSpacing \"\\n\" → \"\""]],
    ["- Lee el {input}.\n\n- No omitas el \"título\".", 'medium', 'es', "- Lee el {input}.\n- No omitas el \"título\".", ["listSpacing \"\\n\" → \"\""]],
    // Different indentation: a sub-list, not the same list; the blank lines stay.
    ["- Leia o {input}.\n\n  - Não omita o \"título\".\n\n- Liste no máximo 3 itens.", 'medium', 'pt', "- Leia o {input}.\n\n  - Não omita o \"título\".\n\n- Liste no máximo 3 itens.", []],
    // Bold and italic markers go; in inline code and in quotes they stay.
    ["**Bold** and __the__ words: `**code**` and \"**quoted**\".", 'medium', 'en', "Bold and the words: `**code**` and \"**quoted**\".", ["markdownEmphasis \"**\" → \"\"", "markdownEmphasis \"**\" → \"\"", "markdownEmphasis \"__\" → \"\"", "markdownEmphasis \"__\" → \"\""]],
    // Fragments (list items, every sentence of one, headings, labels) lose their articles at medium; the prose sentence keeps them.
    ["- Return at most 3 items from the list.\n- Read the file. Study the input.\nRead the file and study the input.", 'medium', 'en', "- Return at most 3 items from list.\n- Read file. Study input.\nRead the file and study the input.", ["fragmentArticle \"the \" → \"\"", "fragmentArticle \"the \" → \"\"", "fragmentArticle \"the \" → \"\""]],
    ["# La tarea\n- Lee el archivo. Estudia la entrada.\nLee el archivo y estudia la entrada.", 'medium', 'es', "# Tarea\n- Lee archivo. Estudia entrada.\nLee el archivo y estudia la entrada.", ["fragmentArticle \"La \" → \"\"", "fragmentArticle \"el \" → \"\"", "fragmentArticle \"la \" → \"\""]],
    ["# A tarefa\n- Leia o arquivo. Estude a entrada.\nLeia o arquivo e estude a entrada.", 'medium', 'pt', "# Tarefa\n- Leia arquivo. Estude entrada.\nLeia o arquivo e estude a entrada.", ["fragmentArticle \"A \" → \"\"", "fragmentArticle \"o \" → \"\"", "fragmentArticle \"a \" → \"\""]],
    ["Aside: readers enjoy the novels, a question of taste.", 'medium', 'en', "Aside: readers enjoy novels, question of taste.", ["fragmentArticle \"the \" → \"\"", "fragmentArticle \"a \" → \"\""]],
    // "the following X" → "this X" / "these X"; "the following:" (a pronoun) stays. es/pt: the gendered forms.
    ["Rate it on the following scale and extract the following items from {text}. Do not use the following:", 'medium', 'en', "Rate it on this scale and extract these items from {text}. Do not use the following:", ["demonstrative \"the following\" → \"this\"", "demonstrative \"the following\" → \"these\""]],
    ["Responde el siguiente texto y las siguientes preguntas sobre {tema}. No uses lo siguiente:", 'medium', 'es', "Responde este texto y estas preguntas sobre {tema}. No uses lo siguiente:", ["shortForm \"el siguiente\" → \"este\"", "shortForm \"las siguientes\" → \"estas\""]],
    ["Responda o seguinte texto e as seguintes perguntas sobre {tema}. Não use o seguinte:", 'medium', 'pt', "Responda este texto e estas perguntas sobre {tema}. Não use o seguinte:", ["shortForm \"o seguinte\" → \"este\"", "shortForm \"as seguintes\" → \"estas\""]],
    // Aggressive: a copula goes before an adjective or participle complement, never after "it", before "not", or before a noun ("are api").
    ["The answer is structured and the code is readable; the list is not sorted. It is optional. The keywords are api.", 'aggressive', 'en', "Answer structured and code readable; the list is not sorted. It's optional. Keywords are api.", ["article \"The \" → \"\"", "copula \"is \" → \"\"", "article \"the \" → \"\"", "copula \"is \" → \"\"", "contraction \"It is\" → \"It's\"", "article \"The \" → \"\""]],
    // Aggressive: a future auxiliary goes, the subject stays; before "be" or "not" it stays.
    ["I will type {command} and you will reply with \"ok\". You will be given text. I'll not add notes.", 'aggressive', 'en', "I type {command} and you reply with \"ok\". You'll be given text. I'll not add notes.", ["auxiliary \"I will\" → \"I\"", "auxiliary \"you will\" → \"you\"", "contraction \"You will\" → \"You'll\""]],
    // Aggressive: hedges and "also" go (en, es, pt); "at most 3" and "no añadas" / "não adicione" stay.
    ["Perhaps list at most 3 items; maybe also add {x}.", 'aggressive', 'en', "List at most 3 items; add {x}.", ["fillerAggressive \"Perhaps \" → \"\"", "fillerAggressive \"maybe \" → \"\"", "fillerAggressive \"also \" → \"\""]],
    ["Tal vez lista {x}; quizás no añadas notas.", 'aggressive', 'es', "Lista {x}; no añadas notas.", ["fillerAggressive \"Tal vez \" → \"\"", "fillerAggressive \"quizás \" → \"\""]],
    ["Talvez liste {x}; possivelmente não adicione notas.", 'aggressive', 'pt', "Liste {x}; não adicione notas.", ["fillerAggressive \"Talvez \" → \"\"", "fillerAggressive \"possivelmente \" → \"\""]],
    // The noun must be one word before punctuation or a word that ends the phrase: "the following key points" stays ("key" is no noun to count).
    ["Use the following key points and the following format. Extract the following items from it.", 'medium', 'en', "Use the following key points and this format. Extract these items from it.", ["demonstrative \"the following\" → \"this\"", "demonstrative \"the following\" → \"these\""]],
    // pt "a" before a number or a lone capital is the preposition of a range ("de 18 a 30", "(A a L)"), never an article (held-out reading found "(A L)").
    ["Use as colunas (A a L) e de 18 a 30 anos.", 'aggressive', 'pt', "Use colunas (A a L) e de 18 a 30 anos.", ["article \"as \" → \"\""]],
  ];
  for (const [input, level, language, expected, removals] of cases) {
    it(`${language} ${level}: ${JSON.stringify(input)}`, () => {
      const r = compressor.compress(input, { level, language });
      assert.equal(r.text, expected);
      assert.deepEqual(r.removed.filter((x) => x.rule !== 'whitespace').map((x) => `${x.rule} ${JSON.stringify(x.text)} → ${JSON.stringify(x.replacement)}`), removals);
      assert.deepEqual(r.retention.missing, []);
      assert.deepEqual(oracleMissing(input, r.text), []);
      // The new rules start at the medium level: the light level leaves the input as it is.
      assert.equal(compressor.compress(input, { level: 'light', language }).text, input);
    });
  }

  it('the removal report says why, for each new rule', () => {
    const r = compressor.compress('- Take a deep breath and read the report.\n\n- Use the following format, such as JSON.', { level: 'medium', language: 'en' });
    assert.equal(r.text, '- Read report.\n- Use this format, like JSON.');
    assert.deepEqual(summarizeRemovals(r.removed), [
      { rule: 'demonstrative', reason: '"the following X" says the same as "this X"', text: 'the following → this', count: 1 },
      { rule: 'fragmentArticle', reason: 'an article in a list item, heading or label (fragments by convention)', text: 'the', count: 1 },
      { rule: 'listSpacing', reason: 'a blank line between two items of one list', text: '(blank line)', count: 1 },
      { rule: 'ritual', reason: 'a ritual phrase that carries no instruction', text: 'Take a deep breath and', count: 1 },
      { rule: 'verbose', reason: 'a wordy phrase with a shorter equivalent of the same meaning', text: 'such as → like', count: 1 },
    ]);
    // Every rule of every stage has its reason.
    for (const stage of STAGES) for (const rule of stage.rules) if (rule !== 'softConstraintClauses' && rule !== 'nearDuplicate') assert.ok(RULE_REASONS[rule], rule);
  });

  it('the stages: the new medium rules in "medium", auxiliaries and copulas in their own aggressive stage', () => {
    assert.deepEqual(STAGES.map((s) => s.name), ['light', 'medium', 'aggressive: labels, filler, near-duplicates', 'aggressive: articles', 'aggressive: auxiliaries, copulas', 'aggressive: role copulas', 'aggressive: markdown markers, possessives']);
    for (const rule of ['ritual', 'demonstrative', 'fragmentArticle', 'listSpacing', 'headingCase'] as const) assert.ok((STAGES[1].rules as readonly string[]).includes(rule), rule);
    // (Session 49: the reader's pronoun with a first-person verb of giving joins the stage of the present tense.)
    assert.deepEqual(STAGES[4].rules, ['auxiliary', 'presentTense', 'copula', 'addresseeClitic']);
    // --target-ratio walks into the new stage and reports it.
    const text = 'The answer is structured. The code is readable.';
    const r = compressor.compress(text, { targetRatio: 0.4 });
    assert.equal(r.text, 'Answer structured. Code readable.');
    assert.deepEqual(r.target?.stages, STAGES.slice(0, 5).map((s) => s.name));
    assert.deepEqual(r.removedSummary?.map((s) => `${s.rule}: ${s.text} ×${s.count} (${s.reason})`), ['article: The ×2 (an article (telegraphic))', 'copula: is ×2 (a copula before its complement (telegraphic))']);
  });

  it('inFragment: headings, labels and every sentence of a list item; not prose', () => {
    const text = '- Read it. Study it.\nRead it.';
    assert.equal(inFragment(text, 2, 'listItem'), true);
    assert.equal(inFragment(text, 11, 'sentence'), true);
    assert.equal(inFragment(text, 21, 'sentence'), false);
    assert.equal(inFragment('# Title', 2, 'heading'), true);
    assert.equal(inFragment('Note: it', 6, 'label'), true);
    assert.equal(inFragment('x', 0, undefined), false);
    // The line start is looked for at most 2000 characters back (a 1 MB line stays linear): farther, the sentence counts as prose.
    const near = `- ${'x'.repeat(1990)}. The end.`;
    assert.equal(inFragment(near, near.indexOf('The'), 'sentence'), true);
    const far = `- ${'x'.repeat(2100)}. The end.`;
    assert.equal(inFragment(far, far.indexOf('The'), 'sentence'), false);
    assert.equal(inFragment(`Intro.\n${far}`, far.indexOf('The') + 7, 'sentence'), false);
    assert.equal(inFragment('```\n- a\n```', 4, 'code'), false);
  });
});
