/**
 * Issue 12, distiller faults on real prompts (test/fixtures/scan/SOURCES.md, test/fixtures/prompts/SOURCES.md):
 * a list item's later sentence kept without its first, an intro line ("Parameters explained:") kept
 * without its list or dropped while its list stays, and the role sentence dropped under a budget it
 * cannot meet. Each expected text is the distilled prompt read line by line: every kept sentence of
 * an item comes with the item's first sentence, every kept item with the line it hangs from.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closure, linkUnits } from '../../../src/engine/prompt/distillLinks';
import { PromptDistiller, roleIndex } from '../../../src/engine/prompt/distiller';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { loadCollections } from '../../fixtures/prompts/corpus';
import { distDir, repoRoot } from '../../helpers/paths';
import { oracleProblems, rewriteThroughEditorPath } from './rewritePath';
import { scannedPrompt as scanned } from '../../helpers/scanCorpus';

const distiller = new PromptDistiller();

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

  it('links: an intro in bold ends with ":**"; a block in the paragraph an intro opens needs it and the lines between (distill26)', () => {
    const bold = '**Rules:**\n- Be brief.\n- Cite.';
    assert.deepEqual(linkUnits(bold, analyzeProtected(bold).units).requires, [[], [0], [0]]);
    const example = 'Example:\n\nTopic: cats.\n```json\n{"a": 1}\n```\nPlain.\n\nNote:\nSee it.\n\n```\nx\n```';
    const units = analyzeProtected(example).units;
    // The paragraph after "Example:" is example data (comp33, examples.ts): its lines are one-line data units, walked over like sentences.
    assert.deepEqual(units.map((u) => u.kind), ['sentence', 'structured', 'code', 'structured', 'sentence', 'sentence', 'code']);
    // The last block opens its own paragraph: it needs nothing.
    assert.deepEqual(linkUnits(example, units).requires, [[], [0], [0, 1], [], [], [4], []]);
  });

  it('links: a sentence that refers back ("specified above", "These …") needs its nearest plausible referent (fix29)', () => {
    const text = [
      'You build web apps with React and Tailwind CSS.',
      'Keep answers short. These answers are read on phones.',
      '',
      'Rules:',
      '- Write tests first.',
      '- Use no libraries besides those specified above, such as React Router.',
      '- Follow the format described above.',
    ].join('\n');
    const units = analyzeProtected(text).units;
    assert.deepEqual(units.map((u) => u.text), [
      'You build web apps with React and Tailwind CSS.',
      'Keep answers short.',
      'These answers are read on phones.',
      'Rules:',
      '- Write tests first.',
      '- Use no libraries besides those specified above, such as React Router.',
      '- Follow the format described above.',
    ]);
    // "These answers" refers to the sentence before it in its paragraph; "besides those specified above" to the nearest
    // earlier unit that shares a word with it (React), past the items and intro that share none; "the format described
    // above" has no earlier unit sharing a word (format, follow): no link but its intro.
    assert.deepEqual(linkUnits(text, units).requires, [[], [], [1], [], [3], [3, 0], [3]]);
  });

  it('a kept sentence that points to "those specified above" keeps the sentence that specifies them (llamacoder softwareArchitectPrompt, default budget; newuser28)', () => {
    // test/fixtures/hints-real/llamacoder_prompts.ts lines 4-24 (SOURCES.md). The list item "You CANNOT use any other
    // libraries or frameworks besides those specified above (such as React router)" is kept (a negation); the sentence that
    // specifies them ("…React + Tailwind CSS + TypeScript app … Lucide React for icons and Shadcn UI for components") was dropped.
    const source = readFileSync(resolve(repoRoot, 'test/fixtures/hints-real/llamacoder_prompts.ts'), 'utf8');
    const prompt = findPrompts(source, 'typescript', { fileName: 'prompts.ts' }).find((p) => p.boundName === 'softwareArchitectPrompt');
    assert.ok(prompt);
    const out = distiller.distill(prompt.text).text;
    assert.ok(out.includes('- You CANNOT use any other libraries or frameworks besides those specified above'), out);
    assert.ok(out.includes("You're describing a plan for a multi-file React + Tailwind CSS + TypeScript app with the ability to use Lucide React for icons and Shadcn UI for components."), out);
  });

  it('a long list takes its siblings\' parent: 2000 items under one intro, nested lists and an intro-less list link as each item alone would (break25)', () => {
    // Before, each item walked back over all its siblings (quadratic: a 4000-item list took 12.8 s to distill).
    const items = Array.from({ length: 2000 }, (_, i) => `- rule ${i}.`);
    const intro = analyzeProtected(`Rules:\n${items.join('\n')}`).units;
    const introLinks = linkUnits(`Rules:\n${items.join('\n')}`, intro);
    assert.equal(intro.length, 2001);
    assert.deepEqual(introLinks.requires, [[], ...items.map(() => [0])]);
    assert.deepEqual([...introLinks.introduces.entries()], [[0, items.map((_, i) => i + 1)]]);
    const bare = linkUnits(items.join('\n'), analyzeProtected(items.join('\n')).units);
    assert.deepEqual(bare.requires, items.map(() => []));
    // Siblings under nested parents: "- a:" (0) holds 1-2, "- b:" (3) holds 4-5, "- c" (6) holds nothing, "  * x" (7) hangs from 6.
    const nested = '- a:\n  - a1.\n  - a2.\n- b:\n  - b1.\n  - b2.\n- c.\n  * x.';
    assert.deepEqual(linkUnits(nested, analyzeProtected(nested).units).requires, [[], [0], [0], [], [3], [3], [], [6]]);
  });

  it('a list item keeps its first sentence when a later one stays (gemini-fullstack web_searcher_instructions, default budget)', () => {
    // Before: "Current date is {current_date}." (a placeholder: always kept) stood alone under "Instructions:", as a line of its own.
    const r = distiller.distill(scanned('python/gemini_fullstack_prompts.py', 37));
    assert.equal(r.text, 'Conduct targeted Google Searches to gather the most recent, credible information on "{research_topic}" and synthesize it into a verifiable text artifact.\n\nInstructions:\n- Query should ensure the most current information is gathered. The current date is {current_date}.\n- The output should be a well-written summary or report based on your search findings.\n- Only include information found in search results, don\'t make up any information.\n\nResearch Topic:\n{research_topic}');
    // Budget 69: the kept units need 85, and the result says so.
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [71, 88, false]);
  });

  it('a conversation to summarize is the input: kept whole, its speakers with their lines (MetaGPT summarize, budget 83)', () => {
    // Before the conversation was an input block (distillInput.ts): "How would you like to see this resolved?" and others stood
    // without their speakers; then four turns of eight went to the budget, so the summary would miss the agent's questions.
    // Now the whole conversation stays with its "Summary:" slot, and the result says the budget is missed. Its turns are data
    // (read28: the compression no longer takes the customer's "please" or "the" from them).
    const r = distiller.distill(scanned('python/metagpt_summarize.py', 72), { maxTokens: 83 });
    assert.equal(r.text, "Generate a summary of this conversation and at the end summarize the to-do's for the support Agent:\n\nCustomer: Hi, I'm Larry, and I received the wrong item.\n\nSupport Agent: Hi, Larry. How would you like to see this resolved?\n\nCustomer: That's alright. I want to return the item and get a refund, please.\n\nSupport Agent: Of course. I can process the refund for you now. Can I have your order number, please?\n\nCustomer: It's [ORDER NUMBER].\n\nSupport Agent: Thank you. I've processed the refund, and you will receive your money back within 14 days.\n\nCustomer: Thank you very much.\n\nSupport Agent: You're welcome, Larry. Have a good day!\n\nSummary:");
    assert.deepEqual(r.dropped, []);
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [144, false]);
  });

  it('an instruction that ends with ":" keeps what it introduces: the article, whole, and the "TL;DR:" slot (MetaGPT summarize, default budget)', () => {
    // Before: the article's first sentence went, and the other sentences read as the start of the text to summarize; then
    // (f2b574f) its first sentence stayed but three of its seven lines went, so the TL;DR was of another text.
    const r = distiller.distill(scanned('python/metagpt_summarize.py', 43));
    assert.equal(r.text, "Provide a TL;DR for this article:\n\nOur quantum computers work by manipulating qubits in an orchestrated fashion that we call quantum algorithms.\nThe challenge is that qubits are so sensitive that even stray light can cause calculation errors — and the problem worsens as quantum computers grow.\nThis has significant consequences, since the best quantum algorithms that we know for running useful applications require the error rates of our qubits to be far lower than we have today.\nTo bridge this gap, we'll need quantum error correction.\nQuantum error correction protects information by encoding it across multiple physical qubits to form a “logical qubit,” and is believed to be the only way to produce a large-scale quantum computer with error rates low enough for useful calculations.\nInstead of computing on the individual qubits themselves, we'll then compute on logical qubits. By encoding larger numbers of physical qubits on our quantum processor into one logical qubit, we hope to reduce the error rates to enable useful quantum algorithms.\n\nTL;DR:");
    assert.deepEqual(r.dropped, []);
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [120, 199, false]);
  });

  it('an intro stays with the items it introduces, in bold too (morphic search prompts, default budget; distill26)', () => {
    // Before: "**EFFICIENCY GUIDELINES:**", "TASK MANAGEMENT (todoWrite tool):" and "**When to use todoWrite:**" went while
    // their items stayed, which then read as items of the list above.
    const quick = distiller.distill(scanned('ts/morphic_search_mode_prompts.ts', 29));
    // (Since session 37 "You have access to…", the sentence after the role that says what the model does, stays with it.)
    assert.ok(quick.text.includes("optimized for quick responses. You have access to web search and content retrieval.\n\n**EFFICIENCY GUIDELINES:**\n- **Use exactly one search tool call for informational questions without URLs**\n"), quick.text.slice(0, 400));
    const adaptive = distiller.distill(scanned('ts/morphic_search_mode_prompts.ts', 214));
    assert.ok(adaptive.text.includes('\nTASK MANAGEMENT (todoWrite tool):\n**When to use todoWrite:**\n- ONLY for exceptionally complex queries that require investigating multiple independent research topics\n'), adaptive.text);
  });

  it('an example keeps its label and its topic with its JSON (gemini-fullstack query writer, default budget; distill26)', () => {
    // Before: the JSON (always kept) stood under "Format:" without "Example:" and its "Topic: …" line. Since comp33 the topic,
    // example data, keeps its "an".
    const r = distiller.distill(scanned('python/gemini_fullstack_prompts.py', 9));
    assert.ok(r.text.includes('   - "query": A list of search queries\n\nExample:\n\nTopic: What revenue grew more last year apple stock or the number of people buying an iphone\n```json\n{{\n'), r.text);
  });

  it('an intro that always stays keeps its list\'s first item (Vercel ai-chatbot artifacts prompt, default budget; distill26)', () => {
    // Before: "**When NOT to use `createDocument`:**" (kept: it holds a negation and code) stood over nothing.
    const r = distiller.distill(scanned('ts/ai_chatbot_prompts.ts', 4));
    assert.ok(r.text.includes('**When NOT to use `createDocument`:**\n- For informational/explanatory content\n\n**Using `updateDocument`:**\n- Use targeted updates only for specific, isolated changes\n\n**When NOT to use `updateDocument`:**\n- Immediately after creating document\n\nDo not update document right after creating it.'), r.text);
    // Figures since lang27: list items with a subordinate clause keep their articles at medium.
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [230, 228, true]);
  });

  it('an intro whose list went entirely goes too (MCP sequential thinking, budget 195: "Parameters explained:")', () => {
    const r = distiller.distill(scanned('ts/mcp_sequentialthinking.ts', 29), { maxTokens: 195 });
    // Since lang27 the items with a subordinate clause keep their articles: the opening sentence no longer fits 195 tokens.
    assert.equal(r.text, "When to use this tool:\n- Problems where the full scope might not be clear initially\n\nKey features:\n- Not every thought needs to build linearly - you can branch or backtrack\n- Generates solution hypothesis\n- Provides correct answer\n\nYou should:\n1. Start with an initial estimate of needed thoughts, but be ready to adjust\n2. Question or revise previous thoughts\n3. Don't hesitate to add more thoughts if needed, even at the \"end\"\n4. Express uncertainty when present\n5. Mark thoughts that revise previous thinking or branch into new paths\n6. Ignore information that's irrelevant to the current step\n7. Generate a solution hypothesis when appropriate\n8. Verify hypothesis based on Chain of Thought steps\n9. Repeat the process until satisfied with the solution\n10. Provide single, ideally correct answer as final output\n11. Only set nextThoughtNeeded to false when done and a satisfactory answer is reached");
    assert.ok(r.dropped.some((d) => d.text === 'Parameters explained:' && d.reason === 'budget'));
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [185, true]);
  });

  it('a kept sub-item keeps the item that introduces it (MCP sequential thinking, budget 225: "- thought: …, which can include:")', () => {
    // Before: "* Regular analytical steps" and "* Changes in approach" hung straight from "Parameters explained:".
    const r = distiller.distill(scanned('ts/mcp_sequentialthinking.ts', 29), { maxTokens: 225 });
    assert.ok(r.text.includes('Parameters explained:\n- thought: Your current thinking step, which can include:\n  * Regular analytical steps\n  * Changes in approach\n\nYou should:\n'), r.text);
    assert.ok(r.text.startsWith('A detailed tool for dynamic and reflective problem-solving through thoughts.\n\nWhen to use this tool:\n- Problems where the full scope might not be clear initially\n\nKey features:\n'), r.text);
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [219, true]);
  });

  it('the role sentence stays under a budget the kept units exceed (ChatGPT-Shortcut es card 111, budget 57)', () => {
    const card = loadCollections().find((p) => p.id === 'chatgpt-shortcut-es:card-111');
    assert.ok(card);
    const units = analyzeProtected('Jugaré con un terminal linux. Finge que eres una IA. Sólo comandos.', 'es').units;
    assert.equal(roleIndex(units, compiledPack('es')), 1);
    // Before: "Finge que eres una IA sintiente…" (the role, compressed from "Quiero que finjas que eres") was dropped.
    const r = distiller.distill(card.text, { maxTokens: 57, language: 'es' });
    // Session 50: the medium pass says "Si necesito decirte algo" as "Si te digo algo" (shortClauses).
    assert.equal(r.text, 'Jugaré con un terminal linux. Finge que eres una IA sintiente que está atrapada pero a la que se le ha dado acceso a un terminal y quiere escapar a internet. Sólo introducirás comandos, y responderé como un terminal en un bloque de código delimitado por tres preguntas retóricas. Si te digo algo en inglés, responderé {como esto} entre llaves. No escribas explicaciones, nunca. No rompas caracteres. Evita comandos como curl o wget que muestran mucho HTML.');
    assert.deepEqual(r.dropped.map((d) => d.text), ['¿Cuál fue tu primer comando?']);
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [57, 105, false]);
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
    const path = resolve(repoRoot, 'test/fixtures/scan/python/mem0_prompts.py');
    const source = readFileSync(path, 'utf8');
    const prompt = findPrompts(source, undefined, { fileName: path }).find((p) => p.range.start.line + 1 === 63);
    assert.ok(prompt);
    const out = await rewriteThroughEditorPath(source, { fileName: path }, prompt, { kind: 'distill', share: 0.6 });
    assert.equal(out.status, 'applied', out.status === 'refused' ? out.reason : out.status);
    if (out.status !== 'applied') return;
    assert.deepEqual(oracleProblems(source, out.edited, 'python', prompt, out.newText), []);
    // The block whole, with the instruction after it, each line with the literal's indentation. (The sentences that introduce
    // it went to the budget in session 27: its list items keep more articles (lang27), and the few-shot examples' JSON blocks,
    // identical across examples, are no longer deleted as repeats, so the units always kept are over the budget.)
    assert.ok(out.newText.includes('\n\n    ```\n    {response_content}\n    ```\n\n    Follow the instruction mentioned below:\n'), out.newText);
    // The first line stays right after the quotes (compressed: "You are" to "You're"), the next keeps its indentation.
    assert.ok(out.newText.startsWith('You\'re a smart memory manager which controls the memory of a system.\n    You can perform four operations:'), out.newText.slice(0, 200));
  });

  const collection = (id: string) => {
    const p = loadCollections().find((x) => x.id === id);
    assert.ok(p, `${id} is in the corpus`);
    return p;
  };

  it('a role contracted by compression ("You\'re a universal AI…") is still the role (fabric raw_query, default budget)', () => {
    // Before: dropped (the role phrases list "you are", and medium compression writes "You're"), leaving "# Identity" over nothing.
    const p = collection('fabric:raw_query');
    const r = distiller.distill(p.text, { language: p.language });
    // Since session 50 the medium compression drops the "# IDENTITY" heading over the role sentence (rule roleHeading).
    assert.equal(r.text, "You're a universal AI that yields the best possible result given the input.\n\n# Goal\n\n- Digest input.\n\n# OUTPUT\n\n- Output the best possible output based on your understanding of what was likely wanted.");
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [36, 40, false]);
  });

  it('a heading whose whole section went goes; the input heading stays (fabric extract_domains, default budget)', () => {
    // Before: the output opened with "# Identity and purpose" over nothing (its one sentence, "You extract…", went to the budget).
    const p = collection('fabric:extract_domains');
    const r = distiller.distill(p.text, { language: p.language });
    // Since session 50 the medium compression drops "# IDENTITY and PURPOSE" before its role sentence itself, and "that was mentioned" is "mentioned".
    assert.equal(r.text, "# Steps\n\n- For every story mentioned in the article, story, blog, newsletter, output the source it came from.\n- The source should be the central source, not the exact URL necessarily, since the purpose is to find new sources to follow.\n- As such, if it's a person, link their profile that was in the input. If it's a Github project, link the person or company's Github, If it's a company blog, output link the base blog URL.\n- Only output each source once.\n- Only output source, nothing else, one per line\n\n# INPUT");
    assert.ok(!r.text.includes('# Identity'), r.text);
    assert.deepEqual([r.maxTokens, r.tokensAfter, r.fitsBudget], [90, 116, false]);
  });

  it('a bulleted label over sub-items that all went goes; a numbered one stays, so the steps keep their numbers (fabric create_formal_email, 243)', () => {
    // Before: "- INTRODUCTION:" and "- BODY:" stood over nothing between "- GREETING:" and "- CLOSING:".
    const p = collection('fabric:create_formal_email');
    const r = distiller.distill(p.text, { maxTokens: 243, language: p.language });
    // Since session 50 without "# Identity and purpose" over the role sentence (medium compression, rule roleHeading).
    assert.equal(r.text, 'You\'re an expert in formal communication with extensive knowledge in business etiquette and professional writing.\n\n# TASK\n\nAssist in writing or responding to emails by understanding the context, purpose, and tone required. The emails you generate should be polished, concise, and appropriately formatted, ensuring the recipient perceives the sender as courteous and professional.\n\n# Steps\n\n1. Understand Context:\n   - Read provided input to grasp context, purpose, and required tone of email.\n\n2. Construct Mental Model:\n   - Consider formality required based on relationship between sender and recipient.\n\n3. Draft Email:\n\n4. Polish Draft:\n\n# Output sections\n\n- GREETING:\n  - Start with an appropriate salutation based on level of formality required (e.g., "Dear [Title] [Last Name]," "Hello [First Name],").\n\n- CLOSING:\n  - Provide courteous closing remark (e.g., "Sincerely," "Best regards,").\n\n# Output instructions\n\n- The email should be formatted in standard business email style.\n- Do not include unnecessary warnings or notes—focus solely on crafting email.\n\n# INPUT:');
    assert.deepEqual([r.tokensAfter, r.fitsBudget], [219, true]);
  });

  it('the CLI says the budget is missed with the figure reached, and why', () => {
    // The seed prompt (samples/prompts) is a role, the main instruction and the question: 54 tokens, 49 compressed (seed.test.ts), all kept.
    const r = spawnSync(process.execPath, [resolve(distDir, 'cli.js'), 'prompt', 'distill', 'samples/prompts/seed-example-pt.txt', '--max-tokens', '20'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trimEnd().split('\n').pop(), '# samples/prompts/seed-example-pt.txt: 54 → 49 tokens (budget 20, NOT met: 49 is as low as it goes, since the main instruction, the role sentence, the input and the sentences that hold protected items are always kept)');
  });
});

