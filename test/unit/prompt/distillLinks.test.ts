/**
 * Issue 12, distiller faults on real prompts (test/fixtures/scan/SOURCES.md, test/fixtures/prompts/SOURCES.md):
 * a list item's later sentence kept without its first, an intro line ("Parameters explained:") kept
 * without its list or dropped while its list stays, and the role sentence dropped under a budget it
 * cannot meet. Each expected text is the distilled prompt read line by line: every kept sentence of
 * an item comes with the item's first sentence, every kept item with the line it hangs from.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closure, linkUnits } from '../../../src/engine/prompt/distillLinks';
import { PromptDistiller, roleIndex } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { loadCollections } from '../../fixtures/prompts/corpus';
import { oracleProblems, rewriteThroughEditorPath } from './rewritePath';

const distiller = new PromptDistiller();
const scanRoot = resolve(__dirname, '../../../../test/fixtures/scan');
/** The prompt the scanner finds at `line` (1-based) of a scan-corpus file. */
function scanned(file: string, line: number): string {
  const path = resolve(scanRoot, file);
  const found = findPrompts(readFileSync(path, 'utf8'), undefined, { fileName: path }).find((p) => p.range.start.line + 1 === line);
  assert.ok(found, `${file}:${line} holds a prompt`);
  return found.text;
}

describe('distiller: units that need another (issue 12)', function () {
  this.timeout(60_000);

  it('links: a later sentence needs its item\'s first, an item its parent or intro, the line after "…:" the intro', () => {
    const text = 'Rules:\n- Be brief. Use lists. Cite.\n  - Nested one.\n- Customer: Hi. I need help.\nFor example:\nThe user asks.\nPlain one. Plain two.';
    const units = analyzeProtected(text).units;
    assert.deepEqual(units.map((u) => u.text), ['Rules:', '- Be brief.', 'Use lists.', 'Cite.', '- Nested one.', '- Customer: Hi.', 'I need help.', 'For example:', 'The user asks.', 'Plain one.', 'Plain two.']);
    const links = linkUnits(text, units);
    // Sentences of plain prose (9, 10) need nothing; "Plain one." follows "The user asks." on a new line, not an intro.
    assert.deepEqual(links.requires, [[], [0], [1], [1], [1], [0], [5], [], [7], [], []]);
    assert.deepEqual([...links.introduces.entries()], [[0, [1, 5]], [7, [8]]]);
    assert.deepEqual(closure(links, 3).sort(), [0, 1, 3]);
  });

  it('a list item keeps its first sentence when a later one stays (gemini-fullstack web_searcher_instructions, default budget)', () => {
    // Before: "Current date is {current_date}." (a placeholder: always kept) stood alone under "Instructions:", as a line of its own.
    const r = distiller.distill(scanned('python/gemini_fullstack_prompts.py', 37));
    assert.equal(r.text, 'Conduct targeted Google Searches to gather the most recent, credible information on "{research_topic}" and synthesize it into a verifiable text artifact.\n\nInstructions:\n- Query should ensure the most current information is gathered. Current date is {current_date}.\n- Output should be a well-written summary or report based on search findings.\n- Only include information found in search results, don\'t make up any information.\n\nResearch Topic:\n{research_topic}');
    // Budget 69: the kept units need 85, and the result says so.
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [69, 85, false]);
  });

  it('a speaker\'s later sentence keeps its label (MetaGPT summarize, the support conversation, budget 69)', () => {
    // Before: "How would you like to see this resolved?", "I want to return…" and "I've processed the refund…" stood without
    // their speakers, so the conversation lost who said what.
    const r = distiller.distill(scanned('python/metagpt_summarize.py', 72), { maxTokens: 69 });
    assert.equal(r.text, "Generate a summary of this conversation and at the end summarize the to-do's for the support Agent:\n\nCustomer: That's alright. I want to return the item and get a refund.\n\nCustomer: It's [ORDER NUMBER].\n\nSupport Agent: Thank you. I've processed the refund, and you'll receive your money back within 14 days.");
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [65, true]);
    for (const line of r.text.split('\n').slice(1)) assert.ok(line === '' || /^(?:Customer|Support Agent): /.test(line), line);
  });

  it('an intro whose list went entirely goes too (MCP sequential thinking, budget 195: "Parameters explained:")', () => {
    const r = distiller.distill(scanned('ts/mcp_sequentialthinking.ts', 29), { maxTokens: 195 });
    assert.equal(r.text, 'A detailed tool for dynamic and reflective problem-solving through thoughts.\n\nWhen to use this tool:\n- Problems where full scope might not be clear initially\n\nKey features:\n- Not every thought needs to build linearly - you can branch or backtrack\n- Provides correct answer\n\nYou should:\n1. Start with initial estimate of needed thoughts, but be ready to adjust\n2. Question or revise previous thoughts\n3. Don\'t hesitate to add more thoughts if needed, even at the "end"\n4. Express uncertainty when present\n5. Mark thoughts that revise previous thinking or branch into new paths\n6. Ignore information that\'s irrelevant to current step\n7. Generate solution hypothesis when appropriate\n8. Verify hypothesis based on Chain of Thought steps\n9. Repeat process until satisfied with solution\n10. Provide single, ideally correct answer as final output\n11. Only set nextThoughtNeeded to false when done and satisfactory answer is reached');
    assert.ok(r.dropped.some((d) => d.text === 'Parameters explained:' && d.reason === 'budget'));
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [185, true]);
  });

  it('a kept sub-item keeps the item that introduces it (MCP sequential thinking, budget 225: "- thought: …, which can include:")', () => {
    // Before: "* Regular analytical steps" and "* Changes in approach" hung straight from "Parameters explained:".
    const r = distiller.distill(scanned('ts/mcp_sequentialthinking.ts', 29), { maxTokens: 225 });
    assert.ok(r.text.includes('Parameters explained:\n- thought: Your current thinking step, which can include:\n  * Changes in approach\n\nYou should:\n'), r.text);
    assert.ok(r.text.startsWith('A detailed tool for dynamic and reflective problem-solving through thoughts.\n\nWhen to use this tool:\n- Planning and design with room for revision\n- Problems where full scope might not be clear initially\n\nKey features:\n'));
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [215, true]);
  });

  it('the role sentence stays under a budget the kept units exceed (ChatGPT-Shortcut es card 111, budget 57)', () => {
    const card = loadCollections().find((p) => p.id === 'chatgpt-shortcut-es:card-111');
    assert.ok(card);
    const units = analyzeProtected('Jugaré con un terminal linux. Finge que eres una IA. Sólo comandos.', 'es').units;
    assert.equal(roleIndex(units, compiledPack('es')), 1);
    // Before: "Finge que eres una IA sintiente…" (the role, compressed from "Quiero que finjas que eres") was dropped.
    const r = distiller.distill(card.text, { maxTokens: 57, language: 'es' });
    assert.equal(r.text, 'Jugaré con un terminal linux. Finge que eres una IA sintiente que está atrapada pero a la que se le ha dado acceso a un terminal y quiere escapar a internet. Sólo introducirás comandos, y responderé como un terminal en un bloque de código delimitado por tres preguntas retóricas. Si necesito decirte algo en inglés, responderé {como esto} entre llaves. No escribas explicaciones, nunca. No rompas caracteres. Evita comandos como curl o wget que muestran mucho HTML.');
    assert.deepEqual(r.dropped.map((d) => d.text), ['¿Cuál fue tu primer comando?']);
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [57, 106, false]);
  });

  it('the role is the first prose unit that opens with a role phrase, not one that holds it later; -1 without', () => {
    const pack = compiledPack('en');
    assert.equal(roleIndex(analyzeProtected('# Identity\nReaders act as judges. **You are** an editor.').units, pack), 2);
    assert.equal(roleIndex(analyzeProtected('Summarize the report.').units, pack), -1);
  });

  it('a fence indented with its code is one block, kept whole: mem0\'s update-memory f-string distills through the editor path', async () => {
    // mem0 get_update_memory_messages: the f-string's lines carry four spaces of code indentation, its
    // "```\n    {response_content}\n    ```" included. The fence was read as prose (Markdown allows three spaces), so in the masked
    // text (the block as one atom, its closing fence at column 0) the closing fence opened a block that ran to the end,
    // and the fence lines went to the budget: "Distilling would break the prompt: it would change the delimiters of…".
    const path = resolve(scanRoot, 'python/mem0_prompts.py');
    const source = readFileSync(path, 'utf8');
    const prompt = findPrompts(source, undefined, { fileName: path }).find((p) => p.range.start.line + 1 === 63);
    assert.ok(prompt);
    const out = await rewriteThroughEditorPath(source, { fileName: path }, prompt, { kind: 'distill', share: 0.6 });
    assert.equal(out.status, 'applied', out.status === 'refused' ? out.reason : out.status);
    if (out.status !== 'applied') return;
    assert.deepEqual(oracleProblems(source, out.edited, 'python', prompt, out.newText), []);
    // The block whole, with the sentence that introduces it and the instruction after it, each line with the literal's indentation.
    assert.ok(out.newText.includes('\n\n    The new retrieved facts are mentioned in the triple backticks. Analyze the new retrieved facts and determine whether these facts should be added, updated, or deleted in the memory.\n\n    ```\n    {response_content}\n    ```\n\n    Follow the instruction mentioned below:\n'), out.newText);
    // The first line stays right after the quotes (compressed: "You are" to "You're"), the next keeps its indentation.
    assert.ok(out.newText.startsWith('You\'re a smart memory manager which controls the memory of a system.\n    You can perform four operations:'), out.newText.slice(0, 200));
  });
});

