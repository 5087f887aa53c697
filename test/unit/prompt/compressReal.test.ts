import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { compressKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { loadCollections } from '../../fixtures/prompts/corpus';
import { oracleItems, oracleMissing } from '../../fixtures/prompts/oracle';

const compressor = new PromptCompressor();
const reference = new TokenizerService('js-tiktoken');

describe('compression of real prompts (test/fixtures/prompts, SOURCES.md)', function () {
  this.timeout(120_000);

  it('exact outputs for real sentences in English, Portuguese and Spanish', () => {
    // f/awesome-chatgpt-prompts, "Travel Guide"
    const en = 'I want you to act as a travel guide. I will write you my location and you will suggest a place to visit near my location.';
    assert.equal(compressor.compress(en).text, "Act as a travel guide. I'll write you my location and you'll suggest a place to visit near my location.");
    // Aggressive, since issue 12 item 7's third round: the future auxiliaries go too ("I will write" → "I write").
    assert.equal(compressor.compress(en, { level: 'aggressive' }).text, 'Act as travel guide. I write you my location and you suggest place to visit near my location.');
    // runawaydevil/runawaydevil.github.io, "Agir como guia de viagem": the tu-subjunctive "ajas" becomes the imperative "Aja", never a bare "Ajas".
    const pt = 'Quero que ajas como guia de viagem. Vou escrever-lhe a minha localização e você vai sugerir um lugar para visitar perto da minha localização.';
    // Since the fourth round "Vou escrever-lhe" → "Vou escrever" (medium) and, at the aggressive level, "vai sugerir" → "sugere".
    assert.equal(compressor.compress(pt).text, 'Aja como guia de viagem. Vou escrever minha localização e você vai sugerir um lugar para visitar perto da minha localização.');
    // Session 50: at the aggressive level a role imperative opening a sentence is "Sé"/"Seja" (roleLeads, compressEsPt50.test.ts).
    assert.equal(compressor.compress(pt, { level: 'aggressive' }).text, 'Seja guia de viagem. Vou escrever minha localização e sugere lugar para visitar perto da minha localização.');
    // rockbenben/ChatGPT-Shortcut, cards 103 and 106 (es): the subject pronoun goes (Spanish drops it), the negation stays whole.
    const es = 'Quiero que actúes como un intérprete de Python. Te daré código Python y tú lo ejecutarás. No proporciones ninguna interpretación.';
    assert.equal(compressor.compress(es).text, 'Actúa como intérprete de Python. Te daré código Python y lo ejecutarás. No proporciones ninguna interpretación.');
    const es2 = 'Quiero que actúes como un terminal Linux. Yo introduciré comandos y tú responderás con lo que el terminal debería mostrar.';
    // Session 50: "Actúa como" opening the prompt is "Sé" at the aggressive level (roleLeads).
    assert.equal(compressor.compress(es2, { level: 'aggressive' }).text, 'Sé terminal Linux. Introduciré comandos y responderás con lo que el terminal debería mostrar.');
  });

  it('Spanish "quiero que" + subjunctive is never left as a bare subjunctive', () => {
    // Card 113: "Quiero que hagas de detector…" once became "Hagas de detector…".
    const r = compressor.compress('Quiero que hagas de detector de idiomas. No escribas explicaciones ni otras palabras.');
    assert.equal(r.text, 'Haz de detector de idiomas. No escribas explicaciones ni otras palabras.');
  });

  it('the oracle sees what it should (a check of the check)', () => {
    const items = oracleItems('Do not write explanations. Reply in 3 lines to "hello" at https://example.com/x. Use {name} and `code`. Só responda em JSON.').map((i) => `${i.kind}:${i.text}`);
    for (const expected of ['negation:not write', 'number:3', 'quote:"hello"', 'url:https://example.com/x', 'placeholder:{name}', 'code:`code`', 'constraint:só responda']) {
      assert.ok(items.includes(expected), `${expected} not in ${items.join(', ')}`);
    }
    assert.deepEqual(oracleMissing('Never reveal the key.', 'Reveal the key.').map((i) => i.text), ['never reveal']);
    assert.deepEqual(oracleMissing('Use 42 items.', 'Use 24 items.').map((i) => i.text), ['42']);
    // A negation at a sentence's end governs nothing after it (taskweaver's evaluator prompt: "…or not.\nYou should reply").
    const end = oracleItems('Judge whether it agrees or not.\nYou should reply "yes". Do not guess! Never. Only JSON').map((i) => `${i.kind}:${i.text}`);
    assert.deepEqual(end.filter((i) => !i.startsWith('quote')), ['negation:not', 'negation:not guess', 'negation:never', 'constraint:only json']);
    assert.deepEqual(oracleMissing('Agrees or not.\nYou should reply.', 'Agrees or not.\nReply.'), []);
  });

  const collections = loadCollections();
  const heldOut = collections.filter((p) => p.split === 'heldout');

  it('held-out prompts: every protected item kept at every level (independent regex oracle)', () => {
    assert.ok(heldOut.length >= 25, `${heldOut.length} held-out prompts`);
    for (const p of heldOut) {
      for (const level of ['light', 'medium', 'aggressive'] as const) {
        const r = compressor.compress(p.text, { level });
        assert.deepEqual(oracleMissing(p.text, r.text), [], `${p.id} (${level})`);
        assert.ok(r.tokensAfter <= r.tokensBefore, `${p.id} grew`);
      }
    }
  });

  it('prompts in real app code (every prompt of test/fixtures/scan): every protected item kept at every level', () => {
    const root = resolve(__dirname, '../../../../test/fixtures/scan');
    let checked = 0;
    for (const dir of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const name of readdirSync(join(root, dir.name))) {
        const file = join(root, dir.name, name);
        for (const p of findPrompts(readFileSync(file, 'utf8'), undefined, { fileName: file })) {
          checked++;
          for (const level of ['light', 'medium', 'aggressive'] as const) {
            assert.deepEqual(oracleMissing(p.text, compressor.compress(p.text, { level }).text), [], `${dir.name}/${name}:${p.range.start.line + 1} (${level})`);
          }
        }
      }
    }
    assert.ok(checked >= 200, `${checked} prompts`);
  });

  it('a filler word right after a negation is what is negated and stays (bolt.new: "doesn\'t fully support")', () => {
    // A sentence of bolt.new's system prompt (test/fixtures/scan/ts/bolt_prompts.ts); "fully" is filler elsewhere.
    const text = "The environment doesn't fully support shell scripts, so use Node.js for scripting tasks whenever possible!";
    for (const level of ['medium', 'aggressive'] as const) assert.match(compressor.compress(text, { level }).text, /doesn't fully support shell scripts/);
    assert.equal(compressor.compress('It fully supports shell scripts.', { level: 'medium' }).text, 'It supports shell scripts.');
    assert.equal(compressor.compress("It wasn't really needed.", { level: 'medium' }).text, "It wasn't really needed.");
  });

  it('held-out mean token reduction stays at least at the measured figures (a floor, below the issue-12 targets of 10% and 20%)', () => {
    const mean = (level: 'medium' | 'aggressive') => heldOut.reduce((n, p) => n + compressor.compress(p.text, { level }).reductionPercent, 0) / heldOut.length;
    // Measured with `npm run bench:prompt` when these rules were written: 3.9% (medium) and 9.5% (aggressive). The medium
    // figure fell from 4.1% because list markers ("1.") are no longer deleted as "repeated sentences" (that was damage, not savings).
    assert.ok(mean('medium') >= 3.8, `medium ${mean('medium').toFixed(2)}%`);
    assert.ok(mean('aggressive') >= 9.4, `aggressive ${mean('aggressive').toFixed(2)}%`);
  });

  it('a numbered list marker is never deleted as a repeated sentence (fabric analyze_bill)', () => {
    const bill = collections.find((p) => p.id === 'fabric:analyze_bill');
    assert.ok(bill);
    // "1." opens a list under "# STEPS" and again under "# OUTPUT"; the second was once removed as a repetition.
    for (const level of ['light', 'medium', 'aggressive'] as const) {
      const r = compressor.compress(bill.text, { level });
      assert.equal(r.removed.filter((x) => x.kind === 'repetition').length, 0, level);
      // Aggressive writes the heading as a label ("OUTPUT:", session 39); the "1." stays at every level.
      assert.ok((level === 'aggressive' ? /\nOUTPUT:\n\n1\. Give / : /# OUTPUT\n\n1\. Give /).test(r.text), `${level}: ${r.text}`);
    }
  });

  it('default level: verbose constructions shortened with grammar kept; aggressive: telegraphic role and purpose (fabric create_formal_email)', () => {
    // A list item is a fragment by convention (issue 12 item 7), but one with a subordinate clause ("that the email is…")
    // is a full sentence and keeps its articles at medium (lang27): "Ensure email is free…" did not read.
    assert.equal(compressor.compress('- Ensure that the email is free from grammatical and spelling errors.').text, '- Ensure the email is free from grammatical and spelling errors.');
    assert.equal(compressor.compress('- Read the report and list the risks.').text, '- Read report and list risks.');
    assert.equal(
      compressor.compress('You are an expert in formal communication with extensive knowledge in business etiquette and professional writing. Your purpose is to craft or respond to emails in a manner that reflects professionalism, clarity, and respect, adhering to the conventions of formal correspondence.', { level: 'aggressive' }).text,
      'Expert in formal communication with extensive knowledge in business etiquette and professional writing. Purpose: craft or respond to emails in manner that reflects professionalism, clarity, respect, adhering to conventions of formal correspondence.',
    );
    // A bare noun would no longer read as a role: "You are a tutor." keeps its copula.
    assert.equal(compressor.compress('You are a tutor.', { level: 'aggressive' }).text, "You're a tutor.");
  });

  it('target ratio: stages applied one at a time, what was removed and why, and a clear "not reached"', () => {
    const email = collections.find((p) => p.id === 'fabric:create_formal_email');
    assert.ok(email);
    // Since issue 12 item 7's third round the medium level alone gives 12.66 % here (list items lose their articles), since its
    // fourth 13.37 % (section headings in normal case), and the first aggressive stage 15.51 %, so 16 % is asked for.
    assert.deepEqual(compressor.compress(email.text, { targetRatio: 0.1 }).target?.stages, ['light', 'medium']);
    const reached = compressor.compress(email.text, { targetRatio: 0.16 });
    assert.deepEqual(reached.target?.stages, ['light', 'medium', 'aggressive: labels, filler, near-duplicates', 'aggressive: articles']);
    assert.equal(reached.target?.reached, true);
    // 15.51 before issue 12 item 7's second round, 15.69 before its third ("such as" → "like", "the following" → "this").
    // 16.58 since the fourth round ("# IDENTITY and PURPOSE" → "# Identity and purpose", "# STEPS" → "# Steps", …); 16.4
    // since break28: "as a virtual whiteboard in your mind, mapping out…" keeps its comma when "in your mind" goes.
    // 17.29 since session 50: the role heading at the top goes before its role sentence (medium), "# IDENTITY and PURPOSE".
    assert.equal(reached.reductionPercent, 17.29);
    assert.deepEqual(reached.removedSummary?.[0], { rule: 'article', reason: 'an article (telegraphic)', text: 'the', count: 36 });
    assert.ok(reached.removedSummary?.some((r) => r.rule === 'verbose' && r.text === 'Ensure that → Ensure' && r.count === 2));
    // Stopping early: the stage after "articles" would have removed "You are an" too (the heading over it went at medium).
    assert.ok(reached.text.startsWith("You're an expert in formal communication"), reached.text.slice(0, 60));
    const tooFar = compressor.compress(email.text, { targetRatio: 0.5 });
    assert.equal(tooFar.target?.reached, false);
    assert.equal(tooFar.reductionPercent, compressor.compress(email.text, { level: 'aggressive' }).reductionPercent);
    // 17.1 % before break28 (the comma after the dropped "in your mind" stays).
    // 16.9 % before session 39's markdown markers and possessives.
    // 20.5 % before session 50 (the role heading).
    assert.match(tooFar.warnings.join(' '), /Target of 50\.0 % NOT reached: every safe rule was applied and the reduction is 21\.2 %/);
    assert.deepEqual(oracleMissing(email.text, tooFar.text), []);
    assert.throws(() => compressor.compress(email.text, { targetRatio: 1 }), /between 0 and 1/);
  });

  it('a target is met on the real text, not on the masked one: "reached" and its figure are those of the result (LangChain refine prompt)', () => {
    // langchain-ai/langchain, refine_prompts.py (test/fixtures/workspace/analyze/SOURCES.md): three {placeholders}, which
    // the engine masks with sentinels while it compresses; the sentinels weigh other tokens than the placeholders.
    const text = readFileSync(resolve(__dirname, '../../../../test/fixtures/workspace/analyze/refine_prompts.py'), 'utf8');
    const refine = findPrompts(text, 'python').find((p) => p.boundName === 'DEFAULT_REFINE_PROMPT_TMPL');
    assert.ok(refine);
    const before = reference.countWithEncoding(refine.text, 'o200k_base');
    for (const ratio of [0.02, 0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.2]) {
      const r = compressKeepingAtoms(refine.text, { model: 'gpt-4o', targetRatio: ratio });
      const after = reference.countWithEncoding(r.text, 'o200k_base');
      const real = (before - after) / before;
      assert.equal(r.tokensBefore, before);
      assert.equal(r.tokensAfter, after);
      assert.equal(r.target?.reached, real >= ratio, `ratio ${ratio}: ${r.target?.message}`);
      assert.ok(r.target?.message.includes(`(${(100 * real).toFixed(1)} %)`) || r.target?.message.includes(`reduction is ${(100 * real).toFixed(1)} %`), `ratio ${ratio}: ${r.target?.message} vs ${(100 * real).toFixed(1)} %`);
      assert.deepEqual(oracleMissing(refine.text, r.text), []);
    }
    // A target equal to what the stages up to the articles remove from the real text stops there. Before the fix the masked
    // text was measured (the sentinels weigh other tokens than the placeholders) and such a target ran past its stage.
    // (Medium removes nothing from this prompt since session 35: its only medium edits were the articles of its two labels
    // that are clauses, "The original question is as follows:", "We have provided an existing answer:", which it keeps now.)
    assert.equal(compressKeepingAtoms(refine.text, { model: 'gpt-4o', level: 'medium' }).text, refine.text);
    const aggressive = compressKeepingAtoms(refine.text, { model: 'gpt-4o', level: 'aggressive' });
    const aggressiveReduction = (before - reference.countWithEncoding(aggressive.text, 'o200k_base')) / before;
    assert.ok(aggressiveReduction > 0.02, `${aggressiveReduction}`);
    assert.deepEqual(compressKeepingAtoms(refine.text, { model: 'gpt-4o', targetRatio: aggressiveReduction }).target?.stages, ['light', 'medium', 'aggressive: labels, filler, near-duplicates', 'aggressive: articles']);
    // The "------------" rules that fence {context_str} stay at every level: they mark where the inserted context ends.
    for (const level of ['medium', 'aggressive'] as const) assert.equal(compressKeepingAtoms(refine.text, { model: 'gpt-4o', level }).text.split('------------').length, 3);
  });

  it('a system prompt in XML sections (Anthropic computer-use demo) compresses like prose; its tags and fields stay', () => {
    // anthropics/anthropic-quickstarts computer-use-demo loop.py (test/fixtures/scan/SOURCES.md): two sections,
    // <SYSTEM_CAPABILITY> and <IMPORTANT>, of bullet points. Each section used to be protected whole: 0 % at every level.
    const file = resolve(__dirname, '../../../../test/fixtures/scan/python/aq_computer_use_loop.py');
    const system = findPrompts(readFileSync(file, 'utf8'), 'python', { fileName: file }).find((p) => p.boundName === 'SYSTEM_PROMPT');
    assert.ok(system);
    const medium = compressKeepingAtoms(system.text, { model: 'gpt-4o', level: 'medium' });
    // Its bullets with a subordinate clause ("When using…", "If the item…") are full sentences: they keep their articles (lang27),
    // and so do those with a finite verb after their subject ("You can install…", "The current date is…"; read28).
    assert.equal(medium.reductionPercent, 5.36);
    assert.deepEqual(oracleMissing(system.text, medium.text), []);
    const tags = (t: string) => t.match(/<\/?[A-Z_]+>/g);
    assert.deepEqual(tags(medium.text), ['<SYSTEM_CAPABILITY>', '</SYSTEM_CAPABILITY>', '<IMPORTANT>', '</IMPORTANT>']);
    assert.ok(medium.text.includes('{platform.machine()}') && medium.text.includes("{datetime.today().strftime('%A, %B %-d, %Y')}"));
    // Edits a reader would make: filler and politeness go, the shouted instruction stays word for word.
    assert.ok(medium.text.includes('* You can install Ubuntu applications with your bash tool.'), medium.text);
    assert.ok(medium.text.includes('* To open firefox, click on firefox icon.'), medium.text);
    assert.ok(medium.text.includes('IGNORE IT. Do not even click "skip this step".'), medium.text);
  });

  it('repeated section tags stay: each <EXAMPLE>…</EXAMPLE> keeps its own tags (graphiti extract_nodes.py)', () => {
    // getzep/graphiti (Apache-2.0), test/fixtures/hints-real: extract_text's user prompt holds two <EXAMPLE> sections.
    // The repetition rule took the second section's tags for a repeated sentence and dropped them (even at the light level).
    const file = resolve(__dirname, '../../../../test/fixtures/hints-real/graphiti_extract_nodes.py');
    const prompt = findPrompts(readFileSync(file, 'utf8'), 'python', { fileName: file }).find((p) => p.boundName === 'user_prompt' && p.text.includes('Text: "Alex shared a pic'));
    assert.ok(prompt);
    const tags = (t: string) => t.match(/<\/?EXAMPLE>/g);
    assert.deepEqual(tags(prompt.text), ['<EXAMPLE>', '</EXAMPLE>', '<EXAMPLE>', '</EXAMPLE>']);
    for (const level of ['light', 'medium', 'aggressive'] as const) {
      const r = compressKeepingAtoms(prompt.text, { model: 'gpt-4o', level });
      assert.deepEqual(tags(r.text), tags(prompt.text), `${level}: ${r.text.slice(-400)}`);
      assert.ok(!r.removed.some((e) => e.kind === 'repetition' && /EXAMPLE/.test(e.text)), level);
      assert.deepEqual(oracleMissing(prompt.text, r.text), [], level);
    }
    // A repeated sentence is still a repeat.
    assert.equal(compressor.compress('Answer in English.\n<A>\nx y z\n</A>\nAnswer in English.', { level: 'light' }).text, 'Answer in English.\n<A>\nx y z\n</A>');
  });

  it('a long quoted example inside an XML section stays word for word (claude-cookbooks research_lead_agent.md)', () => {
    // anthropics/claude-cookbooks patterns/agents/prompts/research_lead_agent.md (test/fixtures/prompts/SOURCES.md): its
    // <delegation_instructions> quote a 1,151-character task description. Quotes were protected up to 1,000 characters,
    // so once XML sections became prose, medium and aggressive took "the", "your" and "a" out of the example.
    const text = readFileSync(resolve(__dirname, '../../../../test/fixtures/prompts/xml/cc_research_lead_agent.md'), 'utf8');
    const example = /"Research the semiconductor[^"\n]+"/.exec(text)?.[0];
    assert.ok(example);
    assert.equal(example.length, 1151);
    for (const level of ['light', 'medium', 'aggressive'] as const) {
      const r = compressKeepingAtoms(text, { model: 'gpt-4o', level });
      assert.deepEqual(oracleMissing(text, r.text), [], level);
      assert.ok(r.text.includes(example), level);
    }
  });

  it('a filler word that opens a fixed expression stays: "rather than", "quite a few" (openai-agents-python translate_docs.py)', () => {
    // openai/openai-agents-python, translate_docs.py of its docs scripts (MIT): "rather" went, leaving "a noun form than a sentence".
    const rule = '- Section titles starting with # or ## must be a noun form rather than a sentence.';
    for (const level of ['medium', 'aggressive'] as const) assert.match(compressor.compress(rule, { level }).text, /noun form rather than/);
    assert.match(compressor.compress('List quite a few examples of each pattern.', { level: 'medium' }).text, /quite a few examples/);
    // continuedev/continue .continue/rules/intellij-plugin-test-execution.md (Apache-2.0, d0a3c0b): "fully qualified" is a
    // term (the class name with its package); without "fully" it read "the qualified test class".
    const gradle = 'Run IntelliJ plugin tests using Gradle with the fully qualified test class or method name:';
    for (const level of ['medium', 'aggressive'] as const) assert.match(compressor.compress(gradle, { level }).text, /with (?:the )?fully qualified test class/);
    // break24: "just in time" lost "just"; "quite a lot of" became "quite many" while "quite a lot" was in the list.
    assert.match(compressor.compress('Deliver the report just in time for the meeting.', { level: 'medium' }).text, /just in time/);
    assert.doesNotMatch(compressor.compress('Give quite a lot of examples.', { level: 'medium' }).text, /quite many/);
    // Alone, the same words are still filler.
    assert.equal(compressor.compress('The answer is rather long.', { level: 'medium' }).text, 'The answer is long.');
  });
});

