/**
 * Distiller budgets, exactly. The prompt below has three units whose content words (longer
 * than three letters) all occur once, so by the documented score (mean of ln(1 + n/df) over
 * a unit's words, + 0.5 for a task verb, + 1 for a first unit that is not a role, + 0.5 for a
 * question) with n = 3 units:
 *
 *   U0 "Summarize the report."       ln 4 + 0.5 + 1 = 2.886  (main instruction: always kept)
 *   U1 "Readers enjoy long texts."   ln 4           = 1.386 → 1.39
 *   U2 "Writers prefer short notes?" ln 4 + 0.5     = 1.886 → 1.89
 *
 * Token counts are js-tiktoken's o200k_base (gpt-4o), computed here: U0 6, U1 5, U2 6, the
 * whole prompt 16. A unit fits when the running sum of (tokens + 1) stays within the budget.
 */
import * as assert from 'node:assert/strict';
import { DEFAULT_DISTILL_SHARE, joinUnits, mainInstructionIndex, PromptDistiller } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';

/* eslint-disable @typescript-eslint/no-require-imports -- js-tiktoken's CommonJS entry points */
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string, allowed: string[], disallowed: string[]): number[] } };
const ranksModule = require('js-tiktoken/ranks/o200k_base') as { default?: unknown };
/* eslint-enable @typescript-eslint/no-require-imports */
const o200k = new Tiktoken(ranksModule.default ?? ranksModule);
const tokens = (text: string) => o200k.encode(text, [], []).length;

const distiller = new PromptDistiller();
const U0 = 'Summarize the report.';
const U1 = 'Readers enjoy long texts.';
const U2 = 'Writers prefer short notes?';
const PROMPT = `${U0} ${U1} ${U2}`;
const DROP_U1 = { text: U1, start: 22, end: 47, tokens: 5, reason: 'budget', score: 1.39 };
const DROP_U2 = { text: U2, start: 48, end: 75, tokens: 6, reason: 'budget', score: 1.89 };

describe('distiller: budgets, exact', () => {
  it('the token counts the expectations rest on', () => {
    assert.deepEqual([tokens(U0), tokens(U1), tokens(U2), tokens(PROMPT)], [6, 5, 6, 16]);
    assert.equal(DEFAULT_DISTILL_SHARE, 0.6);
  });

  it('a budget the whole prompt fits keeps it verbatim (16 of 16 is within)', () => {
    for (const maxTokens of [16, 100]) {
      const r = distiller.distill(PROMPT, { maxTokens });
      assert.equal(r.text, PROMPT);
      assert.equal(r.keptUnits, 3);
      assert.deepEqual(r.dropped, []);
      assert.equal(r.fitsBudget, true);
      assert.equal(r.maxTokens, maxTokens);
      assert.equal(r.tokensAfter, 16);
      assert.equal(r.reductionPercent, 0);
    }
  });

  it('15: the question (higher score) fits, then nothing else does (7 + 7 = 14; + 6 = 20 > 15)', () => {
    const r = distiller.distill(PROMPT, { maxTokens: 15 });
    assert.equal(r.text, `${U0} ${U2}`);
    assert.equal(r.keptUnits, 2);
    assert.deepEqual(r.dropped, [DROP_U1]);
    assert.equal(r.tokensAfter, tokens(`${U0} ${U2}`));
    assert.equal(r.fitsBudget, true);
  });

  it('14: the question fits exactly (7 + 7 = 14)', () => {
    const r = distiller.distill(PROMPT, { maxTokens: 14 });
    assert.equal(r.text, `${U0} ${U2}`);
    assert.deepEqual(r.dropped, [DROP_U1]);
  });

  it('13: only the lower-scored unit fits (7 + 6 = 13), so it is taken', () => {
    const r = distiller.distill(PROMPT, { maxTokens: 13 });
    assert.equal(r.text, `${U0} ${U1}`);
    assert.deepEqual(r.dropped, [DROP_U2]);
    assert.equal(r.tokensBefore, 16);
    assert.equal(r.tokensAfter, tokens(`${U0} ${U1}`));
    assert.equal(r.reductionPercent, Math.round((100 * (16 - tokens(`${U0} ${U1}`)) / 16) * 100) / 100);
  });

  it('12 and the default (ceil(0.6 × 16) = 10): only the main instruction', () => {
    for (const [options, maxTokens] of [[{ maxTokens: 12 }, 12], [{}, 10]] as const) {
      const r = distiller.distill(PROMPT, options);
      assert.equal(r.maxTokens, maxTokens);
      assert.equal(r.text, U0);
      assert.equal(r.keptUnits, 1);
      assert.deepEqual(r.dropped, [DROP_U1, DROP_U2]);
      assert.equal(r.fitsBudget, true);
      assert.equal(r.tokensAfter, 6);
      assert.equal(r.reductionPercent, 62.5); // (16 - 6) / 16
    }
  });

  it('a budget under the kept units: they stay, and the result says it does not fit; 0 and negatives mean 1', () => {
    for (const [maxTokens, effective] of [[3, 3], [0, 1], [-5, 1]]) {
      const r = distiller.distill(PROMPT, { maxTokens });
      assert.equal(r.maxTokens, effective);
      assert.equal(r.text, U0);
      assert.equal(r.fitsBudget, false);
      assert.deepEqual(r.dropped, [DROP_U1, DROP_U2]);
    }
  });

  it('redundancy with what is kept lowers a unit (maximal marginal relevance)', () => {
    // U0 "Summarize the report." (6 tokens, kept), U1 "Summarize report details?" (6), U2 "Winds carry seeds." (5); n = 3.
    // df: summarize 2, report 2, the rest 1. U1 = (2 ln 2.5 + ln 4)/3 + 0.5 (task verb) + 0.5 (question) = 2.0730;
    // U2 = ln 4 = 1.3863. U1 shares 2 of the 3 words of U0 ∪ U1 (Jaccard 2/3), so its value is
    // 2.0730 × (1 − 0.5 × 2/3) = 1.3820 < 1.3863. Budget 14 holds one of them (7 + 7 or 7 + 6): U2 wins.
    const text = 'Summarize the report. Summarize report details? Winds carry seeds.';
    assert.deepEqual([tokens('Summarize report details?'), tokens('Winds carry seeds.'), tokens(text)], [6, 5, 16]);
    const r = distiller.distill(text, { maxTokens: 14 });
    assert.equal(r.text, 'Summarize the report. Winds carry seeds.');
    assert.deepEqual(r.dropped, [{ text: 'Summarize report details?', start: 22, end: 47, tokens: 6, reason: 'budget', score: 2.07 }]);
    assert.equal(r.tokensAfter, 10);
    assert.equal(r.reductionPercent, 37.5);
  });

  it('a sentence holding a protected item (a number) is kept whatever the budget', () => {
    const text = `${U0} ${U1} Use 3 notes.`;
    const r = distiller.distill(text, { maxTokens: 1 });
    assert.equal(r.text, `${U0} Use 3 notes.`);
    assert.deepEqual(r.dropped.map((d) => d.text), [U1]);
    assert.deepEqual(r.retention, { total: 1, kept: 1, missing: [], ratio: 1 });
  });

  it('a repeated sentence is reported as a duplicate with its original offsets', () => {
    const r = distiller.distill(`${U0} ${U1} ${U1}`, { maxTokens: 100 });
    assert.equal(r.text, `${U0} ${U1}`);
    assert.deepEqual(r.dropped, [{ text: U1, start: 48, end: 73, tokens: 5, reason: 'duplicate', score: 0 }]);
    assert.equal(r.tokensBefore, tokens(`${U0} ${U1} ${U1}`));
  });

  it('language: detected, forced, and "und" read as English', () => {
    assert.equal(distiller.distill(PROMPT).language, 'en');
    assert.equal(distiller.distill(PROMPT, { language: 'es' }).language, 'es');
    assert.equal(distiller.distill('12345').language, 'en');
    const empty = distiller.distill('');
    assert.deepEqual([empty.text, empty.tokensBefore, empty.reductionPercent, empty.maxTokens], ['', 0, 0, 1]);
  });
});

describe('distiller: main instruction and joining', () => {
  const pack = compiledPack('en');
  const units = (text: string) => analyzeProtected(text).units;

  it('the first prose unit under a task heading', () => {
    assert.equal(mainInstructionIndex(units('# Task\nThe text below.\n# Input\nWrite a poem.'), pack), 1);
  });

  it('an output-format heading is not a task heading; then a task verb opening a unit wins', () => {
    assert.equal(mainInstructionIndex(units('# Output instructions\nUse bullets.\n# Notes\nWrite a poem.'), pack), 3);
  });

  it('a task verb as the first or second word', () => {
    assert.equal(mainInstructionIndex(units('Some context here. Now write a poem. Explain it.'), pack), 1);
    assert.equal(mainInstructionIndex(units('Some context here. - **Write** a poem.'), pack), 1);
  });

  it('a task verb after a leading "Given …," clause (LangChain refine and QA prompts, langchain-ai/langchain, MIT)', () => {
    // test/fixtures/scan/python/langchain_refine_prompts.py: the refine prompt's instruction opens with "Given the new context,".
    const refine =
      'We have the opportunity to refine the existing answer (only if needed) with some more context below.\n------------\n{context_str}\n------------\nGiven the new context, refine the original answer to better answer the question. If the context isn\'t useful, return the original answer.';
    const u = units(refine);
    assert.equal(u[mainInstructionIndex(u, pack)].text, 'Given the new context, refine the original answer to better answer the question.');
    const qa = units('Context information is below.\n------------\n{context_str}\n------------\nGiven the context information and not prior knowledge, answer the question: {question}\n');
    assert.equal(qa[mainInstructionIndex(qa, pack)].text, 'Given the context information and not prior knowledge, answer the question: {question}');
    // Near misses: a condition is not a lead ("If …, return…"); a lead whose clause ends the sentence before any comma; a
    // lead that is not at the start; no task verb after the comma. The first prose unit wins in each.
    for (const text of [
      'Some context here. If the context is empty, write nothing.',
      'Some context here. Given the context. The poem is short, write it.',
      'Some context here. We were given the context, write a poem.',
      'Some context here. Given the context, the poem is short.',
    ]) {
      assert.equal(mainInstructionIndex(units(text), pack), 0, text);
    }
    // Spanish and Portuguese leads.
    assert.equal(mainInstructionIndex(units('Hay contexto aquí. Dado el contexto, responde la pregunta.'), compiledPack('es')), 1);
    assert.equal(mainInstructionIndex(units('Há contexto aqui. Com base no texto, responda à pergunta.'), compiledPack('pt')), 1);
  });

  it('else the first prose unit (an input label is not prose); -1 without prose', () => {
    assert.equal(mainInstructionIndex(units('Some context here. Nothing else.'), pack), 0);
    assert.equal(mainInstructionIndex(units('Question: what is 2+2? Context is here.'), pack), 1);
    assert.equal(mainInstructionIndex(units('# Title\n```\ncode\n```'), pack), -1);
  });

  it('joinUnits keeps the separator the original had: a space, a line break, or a blank line', () => {
    const text = 'A.\nB.\n\nC. D.';
    const u = units(text);
    assert.deepEqual(u.map((x) => x.text), ['A.', 'B.', 'C.', 'D.']);
    assert.equal(joinUnits(text, u), 'A.\nB.\n\nC. D.');
    assert.equal(joinUnits(text, [u[0], u[3]]), 'A.\n\nD.');
    assert.equal(joinUnits(text, [u[2], u[3]]), 'C. D.');
    assert.equal(joinUnits(text, [u[1]]), 'B.');
    assert.equal(joinUnits(text, []), '');
    // A unit that starts its line keeps the line's indentation (a nested list item stays nested).
    const nested = '- shell:\n  - Use --yes.\n  - Use &&.\n- file:\n  - Paths are relative.';
    const n = units(nested);
    assert.equal(joinUnits(nested, [n[0], n[2], n[4]]), '- shell:\n  - Use &&.\n  - Paths are relative.');
  });
});

describe('distiller: decisive cases for each score term and selection step', () => {
  const pack = compiledPack('en');
  const units = (text: string) => analyzeProtected(text).units;
  const R = 'Readers enjoy long texts.';
  const F = 'Farmers grow fresh crops.';

  it('the token counts the cases below rest on (o200k_base)', () => {
    assert.deepEqual([tokens(F), tokens('Farmers grow fresh crops?'), tokens('Readers enjoy long texts about distant lands, as a rule.'), tokens('Report covers trade, farming, mining, fishing?'), tokens('Winds carry seeds.')], [6, 6, 12, 10, 5]);
  });

  it('list markers are stripped before the task verb is looked for: "- ", "1. ", "12. ", "1.  " (two spaces)', () => {
    // "Now write" opens the item once the marker is gone; with the marker left, "- Now" or "1. Now" holds no verb and the first prose unit (0) would win.
    for (const item of ['- Now write a poem.', '1. Now write a poem.', '12. Now write a poem.', '1.  Now write a poem.', '1. **Now** write a poem.']) {
      assert.equal(mainInstructionIndex(units(`Some context here.\n${item}`), pack), 1, item);
    }
  });

  it('only the first two words are read, split on any run of spaces', () => {
    // "explain" is the fourth word of unit 0, so unit 0 is not the instruction.
    assert.equal(mainInstructionIndex(units('Some context, to explain later. Now write a poem.'), pack), 1);
    assert.equal(mainInstructionIndex(units('Some context here. Now  write a poem.'), pack), 1);
  });

  it('a label that is not an input label is prose ("Aside: write…"); a heading is not', () => {
    assert.equal(mainInstructionIndex(units('Some context here.\nAside: write a poem.'), pack), 1);
    // The input label word "text" after 40 characters does not make it an input label.
    assert.equal(mainInstructionIndex(units('Some context here.\nAside: write a poem about the sea, the sky and the text.'), pack), 1);
    assert.equal(mainInstructionIndex(units('# Write notes\nSome context.'), pack), 1);
  });

  it('a task heading looks only until the next heading, skips non-prose units, and may find nothing', () => {
    assert.equal(mainInstructionIndex(units('Explain it.\n# Task\n```\nx\n```\nThe text below.'), pack), 3);
    assert.equal(mainInstructionIndex(units('# Task\n```\nx\n```\n# Notes\nSome context.\nWrite a poem.'), pack), 4);
    assert.equal(mainInstructionIndex(units('# Task\n```\nx\n```'), pack), -1);
  });

  it('ties go to the earlier unit; the best unit wins even when a later one also fits', () => {
    // R and F both score ln 4 (four words, each once, n = 3). Budget 14: U0 (7) + R (6) or F (7), not both.
    assert.equal(distiller.distill(`${U0} ${R} ${F}`, { maxTokens: 14 }).text, `${U0} ${R}`);
    assert.equal(distiller.distill(`${U0} ${F} ${R}`, { maxTokens: 14 }).text, `${U0} ${F}`);
    // PROMPT + "Go on now." (4 tokens, score 0), 20 tokens, budget 19: U0 7, U2 + 7 = 14; U1 needs 6 more (20 > 19), "Go on now." 5 (19).
    assert.equal(distiller.distill(`${PROMPT} Go on now.`, { maxTokens: 19 }).text, `${U0} ${U2} Go on now.`);
    // A unit without a word of four letters or more scores 0 (not NaN) and still fills room: 7 + 5 = 12; R (6) does not fit.
    assert.equal(tokens('Go on now.'), 4);
    assert.equal(distiller.distill(`${U0} Go on now. ${R}`, { maxTokens: 12 }).text, `${U0} Go on now.`);
    // U2 (1.89) before U1 (1.39): U2 is taken, not the last unit that fits.
    assert.equal(distiller.distill(`${U0} ${U2} ${U1}`, { maxTokens: 15 }).text, `${U0} ${U2}`);
  });

  it('the first unit gets +1 unless it holds a role phrase in its first 40 characters; a role sentence is kept; kept units keep their order', () => {
    // Unit 0 (8 words, each once): ln 4 + 1 = 2.39; the question: ln 4 + 0.5 = 1.89. The instruction (unit 1, 7) leaves room for one: 7 + 13 = 20.
    const first = 'Readers enjoy long texts about distant lands, as a rule.';
    const r = distiller.distill(`${first} ${U0} Farmers grow fresh crops?`, { maxTokens: 20 });
    assert.equal(r.text, `${first} ${U0}`);
    assert.deepEqual(r.dropped, [{ text: 'Farmers grow fresh crops?', start: 79, end: 104, tokens: 6, reason: 'budget', score: 1.89 }]);
    // A role phrase in the first 40 characters ("…as a rule.", 7 tokens): no bonus, ln 4 = 1.39 < 1.89, so at 17 the question wins.
    const asARule = 'Readers note facts as a rule.';
    assert.equal(tokens(asARule), 7);
    assert.equal(distiller.distill(`${asARule} ${U0} Farmers grow fresh crops?`, { maxTokens: 17 }).text, `${U0} Farmers grow fresh crops?`);
    // A unit that opens with a role phrase is the role sentence: kept whatever its score (issue 12, item 3), 10 + 7 = 17.
    const role = 'As a careful reader, you note facts.';
    assert.equal(distiller.distill(`${role} ${U0} Farmers grow fresh crops?`, { maxTokens: 17 }).text, `${role} ${U0}`);
  });

  it('redundancy is the Jaccard share: 1 shared word of 7 costs little', () => {
    // A: report (df 2: ln 2.5) + 5 words once (ln 4): (0.916 + 6.931) / 6 + 0.5 = 1.81; shares "report" with U0:
    // Jaccard 1 / (2 + 6 − 1) = 1/7, value 1.81 × (1 − 0.5/7) = 1.68 > "Winds carry seeds." ln 4 = 1.39. Budget 7 + 11 = 18.
    const a = 'Report covers trade, farming, mining, fishing?';
    assert.equal(distiller.distill(`${U0} ${a} Winds carry seeds.`, { maxTokens: 18 }).text, `${U0} ${a}`);
  });

  it('redundancy is weighed up to 400 optional units, not beyond (MMR_LIMIT)', function () {
    this.timeout(20_000);
    // Fillers: three words of at most three letters (no content word: score 0), all different
    // (no "fig": "fig." is an abbreviation, so the sentence would not end there).
    const nouns = ['cat', 'dog', 'sun', 'map', 'pen', 'cup', 'hat', 'box', 'owl', 'elk', 'jam', 'oak'];
    const fillers: string[] = [];
    for (const a of nouns) for (const b of nouns) for (const c of nouns) if (a !== b && b !== c && a !== c) fillers.push(`${a[0].toUpperCase()}${a.slice(1)} ${b} ${c}.`);
    // A = "Summarize report details?" (6 tokens): (2 ln(1 + n/2) + ln(1 + n)) / 3 + 0.5 + 0.5 ≈ 6.54, Jaccard 2/3 with U0 → 4.36 under MMR;
    // B = "Winds carry seeds." (5 tokens): ln(1 + n) ≈ 6.00 (n = 401 or 402). Budget 14: U0 (7) and one of them.
    const build = (optional: number) => `${U0} Summarize report details? Winds carry seeds. ${fillers.slice(0, optional - 2).join(' ')}`;
    assert.equal(analyzeProtected(build(400)).units.length, 401);
    assert.equal(distiller.distill(build(400), { maxTokens: 14 }).text, `${U0} Winds carry seeds.`);
    assert.equal(distiller.distill(build(401), { maxTokens: 14 }).text, `${U0} Summarize report details?`);
  });

  it('always kept: headings and input labels; a unit whose only protected item is a name may go, and the name is not counted', () => {
    const r = distiller.distill('# Notes\nQuestion: which part matters most?\nSummarize the report.\nAside: readers enjoy long novels and short stories on rainy evenings, a question of taste.\nReaders enjoy this text.\nReaders like Alice Smith.', { maxTokens: 1 });
    // (Two label lines in a row would make one structured block: a sentence stands between them.) "Aside:" is no input
    // label, and "question" comes after its first 60 characters; "text" makes no sentence an input label.
    assert.equal(r.text, '# Notes\nQuestion: which part matters most?\nSummarize the report.');
    // The label line lost its article in compression (a label is a fragment by convention, issue 12 item 7).
    assert.deepEqual(r.dropped.map((d) => d.text), ['Aside: readers enjoy long novels and short stories on rainy evenings, question of taste.', 'Readers enjoy this text.', 'Readers like Alice Smith.']);
    assert.deepEqual(r.retention, { total: 0, kept: 0, missing: [], ratio: 1 });
  });

  it('budget and duplicate drops are listed by start', () => {
    // Base "U0 U1 U2": the repeat of U0 goes with the space after it (22-44, 7 tokens); budget 12 keeps U0 only.
    const r = distiller.distill(`${U0} ${U0} ${U1} ${U2}`, { maxTokens: 12 });
    assert.deepEqual(r.dropped, [DROP_U1, { text: `${U0} `, start: 22, end: 44, tokens: 7, reason: 'duplicate', score: 0 }, DROP_U2]);
  });

  it('a prompt that fits is returned as compressed, indentation included (joining units would lose it)', () => {
    // The list items lose their articles in compression (issue 12 item 7); the indentation stays.
    const text = 'Steps:\n  - Read the report.\n  - Summarize the report.';
    assert.equal(distiller.distill(text, { maxTokens: 100 }).text, 'Steps:\n  - Read report.\n  - Summarize report.');
  });

  it('the forced language and the model reach the compression step', () => {
    // Spanish pack: "Please" is not politeness there, so it stays.
    assert.equal(distiller.distill('Please summarize the report.', { language: 'es', maxTokens: 100 }).text, 'Please summarize the report.');
    // Default budget: ceil(0.6 × 12), 12 = cl100k_base tokens of the compressed text (o200k_base gives 10, so 6).
    const r = distiller.distill('Resuma o artigo em três frases curtas, por favor.', { model: 'gpt-4', language: 'pt' });
    assert.equal(r.maxTokens, 8);
  });

  it('elapsedMs lies within the time measured around the call', () => {
    const t0 = performance.now();
    const r = distiller.distill(PROMPT, { maxTokens: 12 });
    const t1 = performance.now();
    assert.ok(r.elapsedMs >= 0 && r.elapsedMs <= t1 - t0, `${r.elapsedMs} vs ${t1 - t0}`);
  });
});
