/**
 * Distill keeps a task its prompt states as an obligation (issue 12, left33). Real case: Perplexica's classifier prompt
 * (ItzCrazyKns/Perplexica d7b020e, MIT; test/fixtures/perplexica/SOURCES.md), whose role block says "…it has to classify
 * the query… You also have to generate a standalone follow-up question…": the follow-up question is half of the
 * answer's JSON ("standaloneFollowUp"), yet Distill Prompt dropped both sentences, and its main instruction was the
 * bare "<role>" tag line.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptDistiller, statesTask } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { findPrompts } from '../../../src/shared/prompt/scanner';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'perplexica');
const distiller = new PromptDistiller();

describe('distiller keeps a task stated as an obligation (Perplexica classifier)', function () {
  this.timeout(60_000);
  const source = readFileSync(join(FIXTURES, 'classifier.ts.txt'), 'utf8');
  const classifier = findPrompts(source, undefined, { fileName: 'classifier.ts' })[0].text;

  it('keeps both tasks of the role block at the default budget', () => {
    const r = distiller.distill(classifier);
    assert.ok(r.text.includes('it has to classify the query based on the guidelines and label definitions provided.'), r.text.slice(0, 600));
    assert.ok(r.text.includes("You also have to generate a standalone follow-up question that's self-contained and context-independent."), r.text.slice(0, 600));
    assert.deepEqual(r.dropped.filter((d) => /has to classify|also have to generate/.test(d.text)), []);
  });

  it('keeps them at a budget of 1 token too, with the role sentence', () => {
    const r = distiller.distill(classifier, { maxTokens: 1 });
    const role = r.text.split('\n').filter((l) => /^(Assistant is|It will be shared)/.test(l));
    assert.equal(role.length, 2);
    assert.match(role[1], /You also have to generate a standalone follow-up question/);
  });

  it('reads an obligation followed by a task verb, not one followed by anything else', () => {
    const en = compiledPack('en');
    assert.equal(statesTask('You also have to generate a standalone follow-up question.', en), true);
    assert.equal(statesTask('It will be shared a history and it has to classify the query.', en), true);
    assert.equal(statesTask('You have to be careful with dates.', en), false);
    assert.equal(statesTask('The answer has to classify nothing.', en), false);
    assert.equal(statesTask('Você também deve responder com uma pergunta independente.', compiledPack('pt')), true);
  });

  it('near miss: an obligation in another paragraph than the main instruction is still left to the budget', () => {
    const text = [
      'Classify the support ticket below into one of the categories billing, bug or feature request.',
      'You also have to extract the customer name when the ticket gives one.',
      '',
      'Some tickets are written in Portuguese or Spanish, and many of them quote earlier messages of the thread at length.',
      'You have to be careful with quoted text, which is not the customer request itself and often repeats the signature.',
      'You also have to provide a one-line summary of the ticket for the dashboard, written for the support team lead.',
      'Tickets that mention refunds belong to billing, whatever else they say about the product or its bugs.',
    ].join('\n');
    // The second paragraph's task goes at this budget (main drops the first paragraph's too); "You have to be careful…"
    // stays as a constraint, as it did.
    const r = distiller.distill(text, { maxTokens: 1 });
    assert.equal(r.text, [
      'Classify the support ticket below into one of the categories billing, bug or feature request.',
      'You also have to extract the customer name when the ticket gives one.',
      '',
      'You have to be careful with quoted text, which is not the customer request itself and often repeats the signature.',
    ].join('\n'));
  });
});
