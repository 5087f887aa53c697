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
import { compiledPack } from '../../../src/engine/prompt/languages';
import { analyzeProtected } from '../../../src/engine/prompt/protected';

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
  });
});
