/**
 * Distill keeps the sentence a prompt opens with when it tells the model what it does and names no role ("You maintain
 * detailed, information-dense entity memories from episode text.": graphiti's entity summary prompt, getzep/graphiti
 * 993e081a, Apache-2.0, test/fixtures/hints-real/SOURCES.md). newuser36 distilled it at 667 tokens and the opening went,
 * while eleven NEVER rules (protected: negations) stayed; the prompt no longer said what the model maintains.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptDistiller, roleIndex, roleParagraphAddresses } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const OPENING = 'You maintain detailed, information-dense entity memories from episode text.';

describe('distiller keeps an opening that addresses the model (graphiti entity summary prompt)', function () {
  this.timeout(60_000);
  const source = readFileSync(resolve(__dirname, '../../../../test/fixtures/hints-real/graphiti_extract_nodes.py'), 'utf8');
  const prompt = findPrompts(source, 'python', { fileName: 'extract_nodes.py' }).find((p) => p.text.startsWith(OPENING));

  it('keeps the opening at the budget newuser36 used (667 tokens) and at 1 token', () => {
    assert.ok(prompt, 'the summary prompt is found');
    for (const maxTokens of [667, 1]) {
      const r = new PromptDistiller().distill(prompt.text, { maxTokens });
      assert.equal(r.text.split('\n')[0], OPENING, `budget ${maxTokens}`);
      assert.deepEqual(r.dropped.filter((d) => d.text.startsWith('You maintain')), []);
    }
    // At 667 it still fits: the opening costs 13 tokens and the NEVER rules left 14.
    assert.equal(new PromptDistiller().distill(prompt.text, { maxTokens: 667 }).fitsBudget, true);
  });

  it('reads an opening "you" + word as the role only when no role phrase is there, in en, pt and es', () => {
    const units = (text: string, language: string) => analyzeProtected(text, language).units;
    const at = (text: string, language: string) => roleIndex(units(text, language), compiledPack(language));
    assert.equal(at('You maintain entity memories. Write a summary.', 'en'), 0);
    assert.equal(at('# Task\nYou rank search results by relevance. Return JSON.', 'en'), 1);
    // A role phrase later wins over the opening.
    assert.equal(at('Summaries matter. You are a careful editor. Write a summary.', 'en'), 1);
    // An opening that does not address the model is no role.
    assert.equal(at('Summaries matter. Write a summary.', 'en'), -1);
    assert.equal(at('Your answer must be short. Write a summary.', 'en'), -1);
    assert.equal(at('Você analisa contratos de aluguel. Liste as cláusulas.', 'pt'), 0);
    assert.equal(at('Usted revisa contratos de alquiler. Enumere las cláusulas.', 'es'), 0);
  });

  it('keeps the task the role\'s paragraph states after it (node-DeepResearch query rewriter, newuser37)', () => {
    // jina-ai/node-DeepResearch 579fd95f (Apache-2.0), test/fixtures/node-deepresearch/SOURCES.md: "You are an expert search
    // query expander… You optimize user queries by…": the role stayed and the task after it was dropped.
    const file = readFileSync(resolve(__dirname, '../../../../test/fixtures/node-deepresearch/query-rewriter.ts.txt'), 'utf8');
    const system = findPrompts(file, undefined, { fileName: 'query-rewriter.ts' })[0].text;
    const task = 'You optimize user queries by extensively analyzing potential user intents and generating comprehensive query variations.';
    for (const maxTokens of [undefined, 1]) {
      const r = new PromptDistiller().distill(system, maxTokens === undefined ? {} : { maxTokens });
      assert.equal(r.text.split('\n')[1], task, `budget ${maxTokens ?? 'default'}`);
    }
  });

  it('roleParagraphAddresses: the sentence right after the role when it addresses the model, not after a blank line', () => {
    const pack = compiledPack('en');
    const after = (text: string) => {
      const units = analyzeProtected(text, 'en').units;
      return roleParagraphAddresses(text, units, roleIndex(units, pack), pack).map((i) => units[i].text);
    };
    assert.deepEqual(after('You are a careful editor. You fix typos in the text. You will be given a draft.'), ['You fix typos in the text.']);
    assert.deepEqual(after('You are a careful editor. Typos are common. You fix them.'), []);
    assert.deepEqual(after('You are a careful editor.\n\nYou fix typos in the text.'), []);
    assert.deepEqual(roleParagraphAddresses('x', analyzeProtected('x', 'en').units, -1, pack), []);
  });
});
