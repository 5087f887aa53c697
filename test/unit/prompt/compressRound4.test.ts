/**
 * Exact outputs of the rules added in issue 12 item 7's fourth round: section headings in normal
 * case from the medium level (`headingFolds` in src/engine/prompt/telegraphic.ts, the pack list
 * `sectionHeadingWords` of src/shared/prompt/languages/en.json), the new `concise` entries of
 * the pt and es packs (medium), and the pt future auxiliary at the aggressive level ("vai usar" →
 * "usa": `planFutureAuxiliaries`, pack lists `futureAuxiliaries`, `presentEndings`,
 * `presentForms`, `futureBlockers`), with the cases where each must not fire. Expected texts were derived by
 * hand from the rule comment and o200k token counts of each word (" IDENTITY" 2 tokens,
 * " Identity" 1; " PURPOSE" and " purpose" 1; " STEPS" 2, " Steps" 1; " OUTPUT" and " Output" 1;
 * " INSTRUCTIONS" 2, " instructions" 1; " GOAL" 2, " Goal" 1). Every case is also checked
 * against the independent regex oracle (test/fixtures/prompts/oracle.ts).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor, retainedItems, summarizeRemovals } from '../../../src/engine/prompt/compressor';
import { PromptOptimizer } from '../../../src/engine/prompt/optimizer';
import { headingFolds, presentOf } from '../../../src/engine/prompt/telegraphic';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { oracleMissing } from '../../fixtures/prompts/oracle';

const compressor = new PromptCompressor();

describe('compressor: section headings in normal case, from the medium level (issue 12 item 7, fourth round)', () => {
  const structured = '# IDENTITY and PURPOSE\n\nSummarize {text}. Follow STEPS below.\n\n# STEPS\n\n- Do not add notes.\n\n# OUTPUT INSTRUCTIONS\n\n- Only output Markdown.';

  it('the prompt\'s own section headings fold; the same word in prose stays in capitals', () => {
    const r = compressor.compress(structured, { level: 'aggressive', language: 'en' });
    // Aggressive also writes the headings as labels and drops the bullets (session 39).
    assert.equal(r.text, 'Identity and purpose:\n\nSummarize {text}. Follow STEPS below.\n\nSteps:\n\nDo not add notes.\n\nOutput instructions:\n\nOnly output Markdown.');
    assert.deepEqual(r.removed.filter((x) => x.rule === 'headingCase').map((x) => `${x.text} → ${x.replacement}`), ['IDENTITY → Identity', 'PURPOSE → purpose', 'STEPS → Steps', 'OUTPUT → Output', 'INSTRUCTIONS → instructions']);
    // 1 (IDENTITY) + 0 (PURPOSE) + 1 (STEPS) + 0 (OUTPUT) + 1 (INSTRUCTIONS) = 3 for the case; session 39's aggressive labels
    // save 1 per heading ("#" is a token, "Steps:\n\n" costs what "Steps\n\n" did: 3) and the bullets 1 each (2): 8.
    assert.equal(r.tokensSaved, 8);
    assert.deepEqual(r.retention.missing, []);
    assert.deepEqual(oracleMissing(structured, r.text), []);
    assert.deepEqual(summarizeRemovals(r.removed.filter((x) => x.text === 'STEPS')), [{ rule: 'headingCase', reason: 'a section heading in capitals costs more tokens than in normal case', text: 'STEPS → Steps', count: 1 }]);
  });

  it('medium folds them too (capitals are emphasis, like the bold markers medium drops); light leaves them', () => {
    assert.equal(compressor.compress(structured, { level: 'medium', language: 'en' }).text, '# Identity and purpose\n\nSummarize {text}. Follow STEPS below.\n\n# Steps\n\n- Do not add notes.\n\n# Output instructions\n\n- Only output Markdown.');
    assert.equal(compressor.compress(structured, { level: 'light', language: 'en' }).text, structured);
  });

  it('must not fire (even at the aggressive level): template headings, headings that save nothing, acronyms, labels, code', () => {
    // "# OVERVIEW" (an output template's section), "# OUTPUT" (1 token either way), "# API STEPS" and "# KEY STEPS"
    // (a word that is no section word), a label without "#", and a heading inside fenced code all stay.
    const input = '# OVERVIEW\n\nDescribe {tool}.\n\n# OUTPUT\n\n# API STEPS\n\n# KEY STEPS\n\nSTEPS:\n\n```\n# STEPS\n```';
    const r = compressor.compress(input, { level: 'aggressive', language: 'en' });
    assert.equal(r.text, input);
    assert.deepEqual(r.removed, []);
  });

  it('retainedItems no longer lists the folded capitals, so the optimizer and distiller keep 100 % retention', () => {
    // "STEPS" stays an item: the prose sentence holds it in capitals.
    assert.deepEqual(retainedItems(structured, 'en'), ['{text}', 'STEPS', 'Markdown', 'not add', 'Only output']);
    for (const target of ['efficiency', 'balanced', 'quality'] as const) {
      const r = new PromptOptimizer().optimize(structured, { target, language: 'en' });
      assert.deepEqual(r.retention.missing, [], target);
    }
  });

  it('any heading level, with a trailing colon', () => {
    assert.equal(compressor.compress('## GOAL:\n\nList 3 ideas.', { level: 'medium', language: 'en' }).text, '## Goal:\n\nList 3 ideas.');
    // Aggressive also drops the marker; the colon is already there (session 39).
    const r = compressor.compress('## GOAL:\n\nList 3 ideas.', { level: 'aggressive', language: 'en' });
    assert.equal(r.text, 'Goal:\n\nList 3 ideas.');
  });

  it('headingFolds: positions and replacements, with the token counter it is given', () => {
    const pack = compiledPack('en');
    const text = 'x\n# STEPS and GOAL\n# OUTPUT';
    // A counter that prices every capitalised word at 2 tokens and the rest at 1.
    const tokens = (s: string) => (/\p{Lu}{2,}/u.test(s) ? 2 : 1);
    assert.deepEqual(headingFolds(text, pack, tokens), [
      { start: 4, end: 9, replacement: 'Steps' },
      { start: 14, end: 18, replacement: 'goal' },
      { start: 21, end: 27, replacement: 'Output' },
    ]);
    // A counter under which folding never saves: nothing folds.
    assert.deepEqual(headingFolds(text, pack, () => 1), []);
    // A pack without section words (pt, es): nothing folds.
    assert.deepEqual(headingFolds(text, compiledPack('pt'), tokens), []);
  });
});

describe('compressor: pt/es concise entries (issue 12 item 7, fourth round)', () => {
  const cases: Array<[input: string, language: string, expected: string, removals: string[]]> = [
    // "dentro do/da/dos/das" → "no/na/nos/nas" (also inside a negated clause: the negation and its verb stay); "vou escrever-lhe" loses its "to you".
    ['Vou escrever-lhe frases e você vai responder dentro do {bloco}. Não escreva dentro das "aspas".', 'pt', 'Vou escrever frases e você vai responder no {bloco}. Não escreva nas "aspas".', ['"Vou escrever-lhe" → "Vou escrever"', '"dentro do" → "no"', '"dentro das" → "nas"']],
    // Must not fire: the idiom "dentro do possível" (a phrase that maps to itself shields it, and is not reported), "dentro de 3 dias", "escrever-lhes" (to them).
    ['Faça isso dentro do possível. Vou escrever-lhes uma carta dentro de 3 dias.', 'pt', 'Faça isso dentro do possível. Vou escrever-lhes uma carta dentro de 3 dias.', []],
    // The older self-mapping entry "em vez de" is no longer reported as a removal either.
    ['Use em vez de {x}.', 'pt', 'Use em vez de {x}.', []],
    ['Mantente alejado de comandos como {cmd}.', 'es', 'Evita comandos como {cmd}.', ['"Mantente alejado de" → "Evita"']],
    // Must not fire: "alejado del" (the article is fused into "del"); the feminine form does.
    ['Mantente alejado del fuego y mantente alejada de "x".', 'es', 'Mantente alejado del fuego y evita "x".', ['"mantente alejada de" → "evita"']],
  ];
  for (const [input, language, expected, removals] of cases) {
    it(`${language} medium: ${JSON.stringify(input)}`, () => {
      const r = compressor.compress(input, { level: 'medium', language });
      assert.equal(r.text, expected);
      assert.deepEqual(r.removed.filter((x) => x.rule !== 'whitespace').map((x) => `${JSON.stringify(x.text)} → ${JSON.stringify(x.replacement)}`), removals);
      assert.ok(r.removed.every((x) => x.rule === 'whitespace' || x.rule === 'verbose'));
      assert.deepEqual(r.retention.missing, []);
      assert.deepEqual(oracleMissing(input, r.text), []);
      assert.equal(compressor.compress(input, { level: 'light', language }).text, input);
    });
  }
});

describe('compressor: pt future auxiliary → present (issue 12 item 7, fourth round)', () => {
  it('aggressive: "vai"/"irá" + infinitive becomes the present', () => {
    const input = 'Vou escrever {x} e você vai responder com "ok". Ele irá criar música e vai passear.';
    const r = compressor.compress(input, { level: 'aggressive', language: 'pt' });
    assert.equal(r.text, 'Vou escrever {x} e responde com "ok". Ele cria música e passeia.');
    assert.deepEqual(r.removed.filter((x) => x.rule === 'auxiliary').map((x) => `${x.text} → ${x.replacement}`), ['vai responder → responde', 'irá criar → cria', 'vai passear → passeia']);
    assert.deepEqual(oracleMissing(input, r.text), []);
    // Medium leaves the tense alone.
    assert.equal(compressor.compress(input, { level: 'medium', language: 'pt' }).text, input);
  });

  it('must not fire: after a negation, before a blocker, a clitic or a preposition, at a sentence start, in the plural', () => {
    // "não vai" (the oracle's pair), "vai ser", "vai me sugerir", "vai fazê-lo", "Vai usar" (capital), "vão usar", "vai para casa"; "vai parar" does.
    const input = 'Você não vai usar {x}. Ele vai ser rápido, vai me sugerir lugares e vai fazê-lo. Vai usar {y}. Eles vão usar {z}. Ele vai para casa e vai parar.';
    const r = compressor.compress(input, { level: 'aggressive', language: 'pt' });
    assert.equal(r.text, 'Você não vai usar {x}. Ele vai ser rápido, vai me sugerir lugares e vai fazê-lo. Vai usar {y}. Eles vão usar {z}. Ele vai para casa e para.');
    assert.deepEqual(r.removed.map((x) => `${x.rule}: ${x.text} → ${x.replacement}`), ['auxiliary: vai parar → para']);
    assert.deepEqual(oracleMissing(input, r.text), []);
  });

  it('presentOf: endings, longest first, and the listed irregular verbs', () => {
    const pt = compiledPack('pt');
    const got = ['criar', 'passear', 'escrever', 'sugerir', 'seguir', 'incluir', 'sair', 'traduzir', 'fazer', 'satisfazer', 'dizer', 'querer', 'requerer', 'ler', 'dar', 'subir', 'manter', 'pôr'].map((v) => presentOf(v, pt));
    assert.deepEqual(got, ['cria', 'passeia', 'escreve', 'sugere', 'segue', 'inclui', 'sai', 'traduz', 'faz', 'satisfaz', 'diz', 'quer', 'requer', 'lê', 'dá', 'sobe', 'mantém', 'põe']);
    // No ending fits, or only a bare ending: no present.
    assert.deepEqual(['ir', 'ser', 'ter', 'compor', 'xyz'].map((v) => presentOf(v, pt)), [undefined, undefined, undefined, undefined, undefined]);
    // English has no present table.
    assert.equal(presentOf('usar', compiledPack('en')), undefined);
  });
});
