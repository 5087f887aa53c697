/**
 * Distill leftovers (distill26): the data a prompt works on is kept whole, never cut (src/engine/prompt/distillInput.ts),
 * and the role sentence is found when compression leaves "Imagine you're…" or the author labels it ("Role: You are…"),
 * so that it is never dropped. Real prompts from test/fixtures/scan/SOURCES.md and test/fixtures/prompts/SOURCES.md;
 * the invented ones only pin the rules. Every expected text is written out by hand.
 */
import * as assert from 'node:assert/strict';
import { inputBlocks, mergeInputBlocks } from '../../../src/engine/prompt/distillInput';
import { PromptDistiller, roleIndex } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { loadCollections } from '../../fixtures/prompts/corpus';
import { scannedPrompt as scanned } from '../../helpers/scanCorpus';

const distiller = new PromptDistiller();
const en = compiledPack('en');
function collection(id: string) {
  const p = loadCollections().find((x) => x.id === id);
  assert.ok(p, `${id} is in the corpus`);
  return p;
}
/** The input blocks of `text` as the texts they span. */
function blocks(text: string): string[] {
  const a = analyzeProtected(text, 'en');
  return inputBlocks(text, a.units, a.spans, en).map((b) => text.slice(a.units[b.first].start, a.units[b.last].end));
}

describe('distiller: input blocks and the role (distill26)', function () {
  this.timeout(60_000);

  it('finds an announced paragraph, a dialogue, and delimited blocks that hold a placeholder or name an input', () => {
    assert.deepEqual(blocks('Summarize this article:\n\nCats sleep a lot.\nDogs bark.\n\nWrite two lines.'), ['Cats sleep a lot.\nDogs bark.']);
    // A dialogue runs over the paragraphs that open with a speaker; the "Summary:" slot closes it.
    assert.deepEqual(blocks('Summarize this conversation:\n\nAnn: Hi. I lost my key.\n\nBob: Sorry.\n\nSummary:'), ['Ann: Hi. I lost my key.\n\nBob: Sorry.']);
    assert.deepEqual(blocks('Refine the answer with the context below.\n------\n{context}\n------\nKeep it short.'), ['------\n{context}\n------']);
    // An element whose body is prose is split into sentences (protected.ts); its tag names it the input.
    const article = '<article>\nCats sleep a lot during the day.\nDogs bark at night in the yard.\n</article>';
    assert.deepEqual(blocks(`Translate it.\n${article}\nDone.`), [article]);
  });

  it('finds none where the colon announces a format or a list, nor between unrelated or one-unit delimiters', () => {
    // The format is named after the input: "…the text in this format:" announces a format.
    assert.deepEqual(blocks('Rewrite the text in this format:\n\nTitle first.\nThen the body.'), []);
    assert.deepEqual(blocks('Check this data:\n- one item.\n- two items.'), []);
    assert.deepEqual(blocks('Keep it.\n<rules>\nCats sleep a lot during the day.\nDogs bark at night in the yard.\n</rules>\nDone.'), []);
    // One unit is whole anyway; aider's "=======" separates SEARCH from REPLACE, it delimits nothing.
    assert.deepEqual(blocks('Summarize this text:\n\nCats sleep a lot.\n\nSummary:'), []);
    assert.deepEqual(blocks('Edit it.\n=======\n{fence}\nnew code.\n=======\nDone.'), []);
  });

  it('merges a block into one structured unit, the others untouched', () => {
    const text = 'Summarize this article:\n\nCats sleep a lot.\nDogs bark.\n\nSummary:';
    const a = analyzeProtected(text, 'en');
    const merged = mergeInputBlocks(text, a.units, inputBlocks(text, a.units, a.spans, en));
    assert.deepEqual(merged.map((u) => [u.kind, u.text]), [['sentence', 'Summarize this article:'], ['structured', 'Cats sleep a lot.\nDogs bark.'], ['sentence', 'Summary:']]);
  });

  it('an article after "…for this article:" stays whole or the budget is missed, never cut (invented)', () => {
    const r = distiller.distill('Summarize this article:\n\nCats sleep a lot. Dogs bark at night.\nBirds sing at dawn.\n\nSummary:', { maxTokens: 8 });
    assert.equal(r.text, 'Summarize this article:\n\nCats sleep a lot. Dogs bark at night.\nBirds sing at dawn.\n\nSummary:');
    assert.deepEqual([r.fitsBudget, r.dropped.length], [false, 0]);
    // Announced by a line that is not the main instruction, it is kept as data is, and the sentence after it is left to the budget.
    const s = distiller.distill('Write a haiku about animals.\nUse this text:\n\nCats sleep a lot.\nDogs bark at night.\n\nNobody likes long poems.', { maxTokens: 8 });
    assert.equal(s.text, 'Write a haiku about animals.\nUse this text:\n\nCats sleep a lot.\nDogs bark at night.');
    assert.deepEqual(s.dropped.map((d) => d.text), ['Nobody likes long poems.']);
  });

  it('a delimited slot keeps its delimiters (langchain refine prompt, default budget)', () => {
    // Before: "------------" above and below "{context_str}" went to the budget, and the context ran into the sentence before it.
    // And (session 27) the main instruction is "Given the new context, refine the original answer…", read after its lead
    // clause: before, "We have provided existing answer: …" was taken as the main instruction and the real one was dropped.
    const r = distiller.distill(scanned('python/langchain_refine_prompts.py', 12));
    assert.equal(r.text, "The original question is as follows: {question}\nWe have provided an existing answer: {existing_answer}\nWe have the opportunity to refine the existing answer (only if needed) with some more context below.\n------------\n{context_str}\n------------\nGiven the new context, refine the original answer to better answer the question. If the context isn't useful, return the original answer.");
    assert.deepEqual(r.dropped.map((d) => d.text), []);
    assert.deepEqual([r.maxTokens, r.fitsBudget], [44, false]);
  });

  it('an intro keeps the block it announces, delimiters included (mem0 update memory, default budget)', () => {
    // Before: the "``" lines around {retrieved_old_memory_dict} went, so "Update it in the following format only:" introduced
    // a bare placeholder (distill-check: an intro over nothing).
    const r = distiller.distill(scanned('python/mem0_prompts.py', 63));
    assert.ok(r.text.includes('Update it in the following format only:\n\n    ``\n    {retrieved_old_memory_dict}\n    ``\n\n'), r.text);
  });

  it('the role is found after compression\'s "you\'re" anywhere in its opening and after a "Role:" label', () => {
    const units = (text: string) => analyzeProtected(text, 'en').units;
    assert.equal(roleIndex(units("Build it. Imagine you're a tutor."), en), 1);
    assert.equal(roleIndex(units('Build it.\nRole: You are a tutor.'), en), 1);
    assert.equal(roleIndex(units('Build it.\nGoal: You are done when it runs.'), en), -1);
    assert.equal(roleIndex(analyzeProtected('Hazlo.\nRol: Eres un tutor.', 'es').units, compiledPack('es')), 1);
  });

  it('the role sentence stays under a budget it cannot meet (awesome-chatgpt-prompts: Ethereum Developer, forensic-cinematic-analyst)', () => {
    // Before: dropped at these budgets, both; now kept, and the result says the budget is missed.
    const eth = collection('acp:Ethereum Developer');
    const r1 = distiller.distill(eth.text, { maxTokens: 5, language: eth.language });
    assert.ok(r1.text.startsWith("Imagine you're an experienced Ethereum developer tasked with creating a smart contract for a blockchain messenger. "), r1.text);
    assert.equal(r1.fitsBudget, false);
    const fca = collection('acp:forensic-cinematic-analyst');
    const r2 = distiller.distill(fca.text, { maxTokens: 5, language: fca.language });
    // Since session 37 the sentence after the role that says what the model does stays with it (roleParagraphAddresses).
    assert.ok(r2.text.startsWith('Role: You are an expert Forensic Cinematic Analyst and AI Vision Specialist. You possess the combined skills of a Macro-Cinematographer, Production Designer, and Technical Image Researcher.\n\nObjective: Do not summarize.'), r2.text.slice(0, 300));
    assert.ok(!r2.dropped.some((d) => d.text.startsWith('Role:')));
  });
});
