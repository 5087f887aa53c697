/**
 * Exact compressor outputs on short sentences (real ones from test/fixtures/prompts, see
 * SOURCES.md, and hand-written ones for single rules). Every expected text and removal was
 * derived by hand from the rule lists of src/shared/prompt/languages/en.json (which phrase
 * each rule deletes or replaces) and the edit conventions documented in compressor.ts;
 * token figures come from js-tiktoken (o200k_base, the encoding of the default model
 * gpt-4o), computed here independently of the engine's tokenizer service.
 */
import * as assert from 'node:assert/strict';
import type { CompressionResult, Removal } from '../../../src/protocol/prompt';
import { PromptCompressor, retainedItems, STAGES, summarizeRemovals } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();
/* eslint-disable @typescript-eslint/no-require-imports -- js-tiktoken's CommonJS entry points (the package root is ESM-only here) */
const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => { encode(text: string, allowed: string[], disallowed: string[]): number[] } };
const ranksModule = require('js-tiktoken/ranks/o200k_base') as { default?: unknown };
/* eslint-enable @typescript-eslint/no-require-imports */
const o200k = new Tiktoken(ranksModule.default ?? ranksModule);
const tokens = (text: string) => o200k.encode(text, [], []).length;
const cl100kModule = require('js-tiktoken/ranks/cl100k_base') as { default?: unknown }; // eslint-disable-line @typescript-eslint/no-require-imports
const cl100k = new Tiktoken(cl100kModule.default ?? cl100kModule);

/** `rule kind "text" → "replacement" start-end` for every removal. */
const removals = (r: CompressionResult) => r.removed.map((x) => `${x.rule} ${x.kind} ${JSON.stringify(x.text)} → ${JSON.stringify(x.replacement)} ${x.start}-${x.end}`);

/** The token and character figures of a result, recomputed from its texts. */
function assertFigures(input: string, r: CompressionResult): void {
  const before = tokens(input);
  const after = tokens(r.text);
  assert.equal(r.tokensBefore, before);
  assert.equal(r.tokensAfter, after);
  assert.equal(r.tokensSaved, before - after);
  assert.equal(r.tokens.count, after);
  assert.equal(r.charactersBefore, input.length);
  assert.equal(r.charactersAfter, r.text.length);
  assert.equal(r.reductionPercent, before === 0 ? 0 : Math.round((10000 * (before - after)) / before) / 100);
}

describe('compressor: exact outputs', () => {
  describe('light: politeness, repetition, whitespace', () => {
    it('politeness at the start (with its comma) and a whole "Thank you." sentence at the end', () => {
      const input = 'Please, summarize the article. Thank you.';
      const r = compressor.compress(input, { level: 'light' });
      // "Please, " goes and "summarize" is capitalized; " Thank you." goes with its own period (it was
      // once left behind: "Summarize the article..").
      assert.equal(r.text, 'Summarize the article.');
      assert.deepEqual(removals(r), ['politeness politeness "Please, " → "" 0-8', 'politeness politeness " Thank you." → "" 30-41']);
      assert.deepEqual(r.removedSummary, [
        { rule: 'politeness', reason: 'politeness carries no instruction', text: 'Please,', count: 1 },
        { rule: 'politeness', reason: 'politeness carries no instruction', text: 'Thank you.', count: 1 },
      ]);
      assert.equal(r.level, 'light');
      assert.equal(r.language, 'en');
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(r.retention, { total: 0, kept: 0, missing: [], ratio: 1 });
      assertFigures(input, r);
    });

    it('politeness sentences at the start of the text and of a line, and "!" as their end mark', () => {
      assert.equal(compressor.compress('Thank you. Summarize the article.', { level: 'light' }).text, 'Summarize the article.');
      assert.equal(compressor.compress('Answer now. Thanks!', { level: 'light' }).text, 'Answer now.');
      assert.equal(compressor.compress('Thanks.\nAnswer now.', { level: 'light' }).text, 'Answer now.');
    });

    it('trailing politeness takes the comma before it, also at the very end of the text', () => {
      const r = compressor.compress('Summarize the article, please.', { level: 'light' });
      assert.equal(r.text, 'Summarize the article.');
      assert.deepEqual(removals(r), ['politeness politeness ", please" → "" 21-29']);
      const end = compressor.compress('Summarize the article, please', { level: 'light' });
      assert.equal(end.text, 'Summarize the article');
      assert.deepEqual(removals(end), ['politeness politeness ", please" → "" 21-29']);
    });

    it('the word after deleted politeness is capitalized, unless it is protected as written', () => {
      assert.equal(compressor.compress('Please, iPhone apps are fine.', { level: 'light' }).text, 'iPhone apps are fine.');
    });

    it('a repeat without letters is not removed', () => {
      assert.equal(compressor.compress('123 456. 123 456.', { level: 'light' }).text, '123 456. 123 456.');
    });

    it('each clean-up rule: trailing spaces, blank-line runs, doubled and leading commas, blank lines at the ends', () => {
      const cases: Array<[string, string, number]> = [
        ['Answer now.   \nNext step.', 'Answer now.\nNext step.', 3],
        ['A line.\n\n\n\nB line.', 'A line.\n\nB line.', 2],
        ['Use x,, y.', 'Use x, y.', 1],
        ['A line.\n, b line.', 'A line.\nb line.', 2],
        ['\n\nAnswer now.\n\n', 'Answer now.', 4],
      ];
      for (const [input, expected, removed] of cases) {
        const r = compressor.compress(input, { level: 'light' });
        assert.equal(r.text, expected, JSON.stringify(input));
        assert.deepEqual(removals(r), [`whitespace whitespace "${removed} whitespace/punctuation characters" → "" 0-0`], JSON.stringify(input));
      }
    });

    it('token figures follow the model: gpt-4 counts with cl100k_base', () => {
      const input = 'Resuma o artigo em três frases curtas, por favor.';
      const r = compressor.compress(input, { level: 'light', model: 'gpt-4', language: 'pt' });
      assert.equal(r.text, 'Resuma o artigo em três frases curtas.');
      assert.equal(r.tokensBefore, cl100k.encode(input, [], []).length);
      assert.equal(r.tokensAfter, cl100k.encode(r.text, [], []).length);
      assert.notEqual(r.tokensBefore, tokens(input)); // 15 with cl100k, 13 with o200k: the model mattered
    });

    it('an exact repeat goes, the first occurrence stays, and the space before it is counted as whitespace', () => {
      const input = 'Answer in English. Be concise. Answer in English.';
      const r = compressor.compress(input, { level: 'light' });
      assert.equal(r.text, 'Answer in English. Be concise.');
      assert.deepEqual(removals(r), ['repetition repetition "Answer in English." → "" 31-49', 'whitespace whitespace "1 whitespace/punctuation characters" → "" 0-0']);
      assert.deepEqual(r.removedSummary, [
        { rule: 'repetition', reason: 'repeats an earlier sentence', text: 'Answer in English.', count: 1 },
        { rule: 'whitespace', reason: 'extra whitespace or punctuation', text: 'whitespace/punctuation characters', count: 1 },
      ]);
      assertFigures(input, r);
    });

    it('a two-word sentence is not a repeat worth removing, protected or not; three words are', () => {
      assert.equal(compressor.compress('Be brief. Be brief.', { level: 'light' }).text, 'Be brief. Be brief.');
      assert.equal(compressor.compress('Use JSON. Use JSON.', { level: 'light' }).text, 'Use JSON. Use JSON.');
      assert.equal(compressor.compress('Reply in JSON. Reply in JSON.', { level: 'light' }).text, 'Reply in JSON.');
    });

    it('code, data, a path line and a fence placeholder are not sentences: each few-shot example keeps its own (aider)', () => {
      // aider-ai/aider (Apache-2.0) coders/editblock_prompts.py: every SEARCH/REPLACE example repeats the file's path and
      // its fence, held in a placeholder ("{fence[0]}python" … "{fence[1]}"). Before: the second and third examples lost
      // their path, their opening fence and the repeated code lines.
      const example = 'app.py\n{fence[0]}python\n<<<<<<< SEARCH\nfrom flask import Flask\n=======\nimport math\n>>>>>>> REPLACE\n{fence[1]}\n';
      const input = `Here are the blocks:\n\n${example}\n${example}`;
      assert.equal(compressor.compress(input, { level: 'light' }).text, input.trimEnd());
      // mem0 (Apache-2.0) memory/configs prompts: each example holds its labelled data line.
      const mem0 = '- Example:\n  - Retrieved facts: ["Name is John"]\n  - New Memory: {"id": 1}\n- Example:\n  - Retrieved facts: ["Name is John"]\n  - New Memory: {"id": 2}';
      assert.equal(compressor.compress(mem0, { level: 'light' }).text, mem0);
      // A repeated labelled sentence is still a repeat.
      assert.equal(compressor.compress('Note: answer in plain English. Be brief. Note: answer in plain English.', { level: 'light' }).text, 'Note: answer in plain English. Be brief.');
      const fenced = 'Run it:\n```sh\nmake test\n```\nThen again:\n```sh\nmake test\n```';
      assert.equal(compressor.compress(fenced, { level: 'light' }).text, fenced);
    });

    it('a ${…} holding a nested template literal, quotes or braces is one placeholder: its spacing stays (aq_customer_support_route.ts)', () => {
      // The shape of issue 12's first report (test/fixtures/scan/ts/aq_customer_support_route.ts). Before: whitespace
      // clean-up made "${isRagWorking ? …}" "${isRagWorking? …}" when the compressor was given the raw text (the CLI, a
      // prompt file); the editor masks interpolations first.
      const slot = '${isRagWorking ? `${retrievedContext}` : "No information is available."}';
      const call = '${ items.map((x) => x.name).join(", ") }';
      const input = `Please answer the question using the context.\n\nContext: ${slot}\n\nBe very concise. Use ${call} here.`;
      assert.equal(compressor.compress(input, { level: 'light' }).text, `Answer the question using the context.\n\nContext: ${slot}\n\nBe very concise. Use ${call} here.`);
      assert.equal(compressor.compress(input, { level: 'aggressive' }).text, `Answer question using context.\n\nContext: ${slot}\n\nBe concise. Use ${call} here.`);
      // An unclosed "${" is no placeholder of its own: the text around it is compressed as usual.
      assert.equal(compressor.compress('Cost is ${ per call. Please be very brief.', { level: 'medium' }).text, 'Cost is ${ per call. Be brief.');
    });

    it('a script pasted without a fence, opened by its shebang, is code: its comments and spacing stay (fabric)', () => {
      // danielmiessler/fabric (MIT) analyze_email_headers/system.md ends with a bash script outside any fence. Before:
      // aggressive deleted "the" and "and" in its comments and collapsed the two spaces after `echo -e`.
      const script = '#!/bin/bash\n# checks mx, spf, and dmarc records\n\nDOMAIN="${1}"\n\necho -e  "\\nMX record:\\n"\ndig +short mx $DOMAIN\n\n# these should open in the default browser\nopen "https://example.com/?domain=$DOMAIN"';
      const input = `Use the exact checks provided.\n\n### check.sh ###\n\n${script}`;
      assert.equal(compressor.compress(input, { level: 'aggressive' }).text, `Use exact checks provided.\n\n### check.sh ###\n\n${script}`);
      // The script ends at the next heading of two hashes or more; the prose after it is compressed again.
      const after = `${script}\n\n## Notes\n\nPlease use the exact checks.`;
      assert.equal(compressor.compress(after, { level: 'aggressive' }).text, `${script}\n\n## Notes\n\nUse exact checks.`);
      // "#!" that is not a path is no shebang: "#!important" is prose.
      assert.equal(compressor.compress('#!important: use the exact checks.', { level: 'aggressive' }).text, '#!important: use exact checks.');
    });

    it('whitespace clean-up: runs of spaces and a space before punctuation', () => {
      const r = compressor.compress('Use  two   spaces , and a comma.', { level: 'light' });
      assert.equal(r.text, 'Use two spaces, and a comma.');
      assert.deepEqual(removals(r), ['whitespace whitespace "4 whitespace/punctuation characters" → "" 0-0']);
      assert.deepEqual(r.removedSummary, [{ rule: 'whitespace', reason: 'extra whitespace or punctuation', text: 'whitespace/punctuation characters', count: 4 }]);
    });

    it('empty and unchanged input', () => {
      const empty = compressor.compress('', { level: 'light' });
      assert.equal(empty.text, '');
      assert.equal(empty.reductionPercent, 0);
      assertFigures('', empty);
      const same = compressor.compress('Summarize the article.', { level: 'light' });
      assert.equal(same.text, 'Summarize the article.');
      assert.deepEqual(same.removed, []);
    });
  });

  describe('medium: verbose phrases, generic roles, imperative leads, contractions', () => {
    it('f/awesome-chatgpt-prompts "Fancy Title Generator" at each level', () => {
      const input = 'I want you to act as a fancy title generator. I will type keywords via comma and you will reply with fancy titles. my first keywords are api,test,automation';
      const light = compressor.compress(input, { level: 'light' });
      assert.equal(light.text, input);
      assert.deepEqual(light.removed, []);
      const medium = compressor.compress(input);
      assert.equal(medium.level, 'medium');
      // verbose "i want you to act as" → "act as" (case matched); contractions "I will" → "I'll", "you will" → "you'll".
      assert.equal(medium.text, "Act as a fancy title generator. I'll type keywords via comma and you'll reply with fancy titles. my first keywords are api,test,automation");
      assert.deepEqual(removals(medium), ['verbose verbosePhrase "I want you to act as" → "Act as" 0-20', 'contraction verbosePhrase "I will" → "I\'ll" 46-52', 'contraction verbosePhrase "you will" → "you\'ll" 81-89']);
      assertFigures(input, medium);
      // Aggressive also drops the article between "as" and "fancy", and (since issue 12 item 7's third round) the future auxiliaries: "I will type" → "I type".
      const aggressive = compressor.compress(input, { level: 'aggressive' });
      assert.equal(aggressive.text, 'Act as fancy title generator. I type keywords via comma and you reply with fancy titles. my first keywords are api,test,automation');
      assert.deepEqual(removals(aggressive), ['verbose verbosePhrase "I want you to act as" → "Act as" 0-20', 'article filler "a " → "" 21-23', 'auxiliary filler "I will" → "I" 46-52', 'auxiliary filler "you will" → "you" 81-89']);
    });

    it('a generic role sentence goes when a specific one follows', () => {
      const r = compressor.compress('You are a helpful assistant. You are an expert Python tutor who explains code.');
      assert.equal(r.text, "You're an expert Python tutor who explains code.");
      assert.deepEqual(removals(r), ['genericRole filler "You are a helpful assistant. " → "" 0-29', 'contraction verbosePhrase "You are" → "You\'re" 29-36']);
      assert.deepEqual(r.removedSummary, [
        { rule: 'contraction', reason: 'a contraction of the same words', text: "You are → You're", count: 1 },
        { rule: 'genericRole', reason: 'a generic role sentence that a more specific role sentence follows', text: 'You are a helpful assistant.', count: 1 },
      ]);
      // Alone, the generic role stays (contracted).
      assert.equal(compressor.compress('You are a helpful assistant.').text, "You're a helpful assistant.");
    });

    it('imperative leads at a sentence start', () => {
      const r = compressor.compress('You will write a short poem. You should use simple words.');
      assert.equal(r.text, 'Write a short poem. Use simple words.');
      assert.deepEqual(removals(r), ['imperativeLead verbosePhrase "You will " → "" 0-9', 'imperativeLead verbosePhrase "You should " → "" 29-40']);
      // "be" blocks the lead ("You will be given…" keeps its subject); so does an upper-case next word.
      assert.equal(compressor.compress('You will be given a text.').text, "You'll be given a text.");
    });

    it('a contraction needs a word after it; an imperative lead is blocked by "need" as the second word', () => {
      assert.equal(compressor.compress('I know who you are.').text, 'I know who you are.');
      const r = compressor.compress('You will also need to write code.');
      assert.equal(r.text, "You'll also need to write code.");
      assert.deepEqual(removals(r), ['contraction verbosePhrase "You will" → "You\'ll" 0-8']);
    });

    it('medium keeps the articles of a constraint clause but takes its filler and its "you should" (the keep words stay)', () => {
      assert.equal(compressor.compress('Only answer with the final number.').text, 'Only answer with the final number.');
      const r = compressor.compress('You should only answer with the really final number.');
      assert.equal(r.text, 'Only answer with the final number.');
      assert.deepEqual(removals(r), ['imperativeLead verbosePhrase "You should " → "" 0-11', 'filler filler "really " → "" 32-39']);
      assert.deepEqual(r.retention, { total: 1, kept: 1, missing: [], ratio: 1 });
    });

    it('a relative "that is" before a participle, and a "that" complementizer (medium)', () => {
      const r = compressor.compress('Verify that the services that are provided by the user work.');
      assert.equal(r.text, 'Verify the services provided by the user work.');
      assert.deepEqual(removals(r), ['shortForm verbosePhrase "Verify that" → "Verify" 0-11', 'reducedRelative verbosePhrase "that are " → "" 25-34']);
      // Not after "all" (no head noun), not before a coordinated clause, not before a non-participle.
      assert.equal(compressor.compress('Write all that is needed.').text, "Write all that's needed.");
      assert.equal(compressor.compress('Pretend to be an AI who is trapped but has been given access.').text, 'Pretend to be an AI who is trapped but has been given access.');
      assert.equal(compressor.compress('Use a color that is red.').text, "Use a color that's red.");
    });
  });

  describe('aggressive: articles, role copulas, subject pronouns, emphasis, near-duplicates', () => {
    it('articles and bold markers', () => {
      const r = compressor.compress('Write the answer in a table and use **bold** labels.', { level: 'aggressive' });
      assert.equal(r.text, 'Write answer in table and use bold labels.');
      assert.deepEqual(removals(r), ['article filler "the " → "" 6-10', 'article filler "a " → "" 20-22', 'markdownEmphasis markdown "**" → "" 36-38', 'markdownEmphasis markdown "**" → "" 42-44']);
      assert.deepEqual(r.removedSummary, [
        { rule: 'markdownEmphasis', reason: 'markdown decoration that carries no structure', text: '**', count: 2 },
        { rule: 'article', reason: 'an article (telegraphic)', text: 'a', count: 1 },
        { rule: 'article', reason: 'an article (telegraphic)', text: 'the', count: 1 },
      ]);
    });

    it('inside a constraint clause without negation, an article may go but not the cue or the word after it', () => {
      const r = compressor.compress('Only answer with the final number.', { level: 'aggressive' });
      assert.equal(r.text, 'Only answer with final number.');
      assert.deepEqual(removals(r), ['article filler "the " → "" 17-21']);
      // A negated clause takes articles cuts too (not filler cuts); "not answer" stays.
      assert.equal(compressor.compress('Do not answer with the final number.', { level: 'aggressive' }).text, 'Do not answer with final number.');
      assert.equal(compressor.compress('Do not answer with the really final number.', { level: 'aggressive' }).text, 'Do not answer with really final number.');
    });

    it('role copula and subject pronoun', () => {
      const r = compressor.compress('You are a tutor who explains code. You only output Markdown.', { level: 'aggressive' });
      assert.equal(r.text, 'Tutor who explains code. Only output Markdown.');
      assert.deepEqual(removals(r), ['roleCopula verbosePhrase "You are a " → "" 0-10', 'subjectPronoun filler "You " → "" 35-39']);
      // A bare noun keeps its copula (contracted).
      assert.equal(compressor.compress('You are a tutor.', { level: 'aggressive' }).text, "You're a tutor.");
    });

    it('article details: "a few" keeps its article, an opening "The" goes before a lower-case word, "is a" keeps it', () => {
      const a = (text: string) => compressor.compress(text, { level: 'aggressive' });
      assert.equal(a('Write a few lines.').text, 'Write a few lines.');
      const opening = a('The email should be short.');
      assert.equal(opening.text, 'Email should be short.');
      assert.deepEqual(removals(opening), ['article filler "The " → "" 0-4']);
      const keep = a('This is a test of the tool.');
      assert.equal(keep.text, 'This is a test of tool.');
      assert.deepEqual(removals(keep), ['article filler "the " → "" 18-22']);
    });

    it('a role copula stays when only one word would be left after the filler goes', () => {
      const r = compressor.compress('You are a helpful tutor.', { level: 'aggressive' });
      assert.equal(r.text, "You're a tutor.");
      assert.deepEqual(removals(r), ['contraction verbosePhrase "You are" → "You\'re" 0-7', 'fillerAggressive filler "helpful " → "" 10-18']);
    });

    it('a subject pronoun goes only before a listed verb', () => {
      const r = compressor.compress('You use tools. You like tools.', { level: 'aggressive' });
      assert.equal(r.text, 'Use tools. You like tools.');
      assert.deepEqual(removals(r), ['subjectPronoun filler "You " → "" 0-4']);
    });

    it('emphasis: both markers go, or neither (a closing marker inside a negated clause keeps the opening one)', () => {
      const both = compressor.compress('Use __bold__ and **strong** words.', { level: 'aggressive' });
      assert.equal(both.text, 'Use bold and strong words.');
      assert.deepEqual(removals(both), ['markdownEmphasis markdown "__" → "" 4-6', 'markdownEmphasis markdown "__" → "" 10-12', 'markdownEmphasis markdown "**" → "" 17-19', 'markdownEmphasis markdown "**" → "" 25-27']);
      const neither = compressor.compress('**Do not** lie about facts.', { level: 'aggressive' });
      assert.equal(neither.text, '**Do not** lie about facts.');
      assert.deepEqual(neither.removed, []);
    });

    it('input labels become short labels before a quote (f/awesome-chatgpt-prompts style)', () => {
      const r = compressor.compress('My first request is "hello".', { level: 'aggressive' });
      assert.equal(r.text, 'First request: "hello".');
      assert.deepEqual(removals(r), ['inputLabel verbosePhrase "My first request is" → "First request:" 0-19']);
      // The default level keeps the label as written (the optimizer finds the input by it).
      assert.equal(compressor.compress('My first request is "hello".').text, 'My first request is "hello".');
    });

    it('a rule line between paragraphs', () => {
      const r = compressor.compress('Intro text here.\n\n---\n\nMore text here.', { level: 'aggressive' });
      assert.equal(r.text, 'Intro text here.\n\nMore text here.');
      assert.deepEqual(removals(r), ['markdownEmphasis markdown "---\\n" → "" 18-22', 'whitespace whitespace "1 whitespace/punctuation characters" → "" 0-0']);
      // A rule line that opens the text (front matter) stays.
      assert.equal(compressor.compress('---\n\nText here.', { level: 'aggressive' }).text, '---\n\nText here.');
    });

    it('near-duplicates: 8 shared of 9 words (Jaccard 0.89 ≥ 0.85) go; 8 of 10 (0.8) stay', () => {
      const a = 'Explain recursion with a short example for beginners.';
      const r = compressor.compress(`${a} Explain recursion with a short example for beginners today.`, { level: 'aggressive' });
      assert.equal(r.text, 'Explain recursion with short example for beginners.');
      assert.deepEqual(removals(r), ['article filler "a " → "" 23-25', 'repetition repetition "Explain recursion with a short example for beginners today." → "" 54-113', 'whitespace whitespace "1 whitespace/punctuation characters" → "" 0-0']);
      const far = compressor.compress(`${a} Explain recursion with a short example for beginners today please.`, { level: 'aggressive' });
      assert.equal(far.text, 'Explain recursion with short example for beginners. Explain recursion with short example for beginners today.');
      // Medium keeps near-duplicates.
      assert.equal(compressor.compress(`${a} Explain recursion with a short example for beginners today.`).text, `${a} Explain recursion with a short example for beginners today.`);
    });
  });

  describe('the undo step', () => {
    it('a planned edit that would lose a protected item undoes the whole pass', () => {
      // The repetition rule sees "Never stop the run…" as a repeat of "Never stop the run." (trailing punctuation is not part
      // of the key), but "Never stop the run…" is itself a protected constraint (an ellipsis does not end the clause):
      // deleting it would lose it.
      const input = 'Please answer. Never stop the run. Never stop the run…';
      const r = compressor.compress(input, { level: 'light' });
      assert.equal(r.text, input); // "Please" stays too: the pass is undone whole
      assert.deepEqual(r.removed, []);
      assert.deepEqual(r.removedSummary, []);
      assert.deepEqual(r.warnings, ['Whitespace clean-up was skipped: it would have changed a protected item.', 'Compression was undone: it would have lost 1 protected item(s), e.g. "Never stop the run…".']);
      assert.deepEqual(r.retention, { total: 2, kept: 2, missing: [], ratio: 1 });
      assertFigures(input, r);
    });
  });

  describe('target ratio', () => {
    const input = 'Please write the summary of the article. You are a tutor who explains code.';

    it('walks the stages until the reduction is reached (by hand: 16 tokens; light 15, medium 14, articles 12, copulas 10)', () => {
      assert.equal(tokens(input), 16);
      const t10 = compressor.compress(input, { targetRatio: 0.1 });
      assert.equal(t10.text, "Write the summary of the article. You're a tutor who explains code.");
      assert.equal(t10.level, 'medium');
      assert.deepEqual(t10.target, { ratio: 0.1, reached: true, stages: ['light', 'medium'], message: 'Target of 10.0 % reached after stage "medium" (12.5 %).' });
      assert.deepEqual(t10.warnings, []);
      // Exactly 2/16 = 12.5 % reaches a 12.5 % target at the same stage.
      const exact = compressor.compress(input, { targetRatio: 0.125 });
      assert.deepEqual(exact.target?.stages, ['light', 'medium']);
      assert.equal(exact.target?.reached, true);
      assert.deepEqual(exact.warnings, []);
      const t20 = compressor.compress(input, { targetRatio: 0.2 });
      assert.equal(t20.text, "Write summary of article. You're a tutor who explains code.");
      assert.equal(t20.level, 'aggressive');
      assert.deepEqual(t20.target?.stages, STAGES.slice(0, 4).map((s) => s.name));
      assert.equal(t20.target?.message, 'Target of 20.0 % reached after stage "aggressive: articles" (25.0 %).');
      const t30 = compressor.compress(input, { targetRatio: 0.3 });
      assert.equal(t30.text, 'Write summary of article. Tutor who explains code.');
      assert.equal(t30.tokensAfter, 10);
      // The light stage alone (1 token of 16 = 6.25 %) reaches 5 %.
      assert.deepEqual(compressor.compress(input, { targetRatio: 0.05 }).target?.stages, ['light']);
      assert.equal(compressor.compress(input, { targetRatio: 0.05, level: 'aggressive' }).level, 'light');
    });

    it('an unreachable target applies every stage and says so', () => {
      const r = compressor.compress(input, { targetRatio: 0.9 });
      assert.equal(r.text, 'Write summary of article. Tutor who explains code.');
      const message = 'Target of 90.0 % NOT reached: every safe rule was applied and the reduction is 37.5 %. Removing more would drop content or protected items.';
      assert.deepEqual(r.target, { ratio: 0.9, reached: false, stages: STAGES.map((s) => s.name), message });
      assert.deepEqual(r.warnings, [message]);
      const empty = compressor.compress('', { targetRatio: 0.5 });
      assert.deepEqual(empty.target, { ratio: 0.5, reached: false, stages: ['light'], message: 'Target of 50.0 % NOT reached: every safe rule was applied and the reduction is 0.0 %. Removing more would drop content or protected items.' });
    });

    it('the ratio must lie strictly between 0 and 1', () => {
      for (const bad of [0, 1, -0.1, 1.5, Number.NaN]) assert.throws(() => compressor.compress(input, { targetRatio: bad }), RangeError, String(bad));
      assert.throws(() => compressor.compress(input, { targetRatio: 0 }), /targetRatio must lie between 0 and 1 \(exclusive\), got 0\./);
    });
  });

  describe('summarizeRemovals', () => {
    it('groups by rule and text ignoring case, shows the first occurrence as written, counts whitespace records by their number, sorts by count, rule, text', () => {
      const r = (rule: string | undefined, text: string, replacement = '', start = 1, end = 2, kind: Removal['kind'] = 'filler'): Removal => ({ kind, ...(rule ? { rule } : {}), text, replacement, start, end });
      assert.deepEqual(
        summarizeRemovals([
          r('filler', 'Very'),
          r('filler', 'very'),
          r('article', 'The  '),
          r('contraction', 'You are', "You're"),
          r('whitespace', '3 whitespace/punctuation characters', '', 0, 0),
          r('whitespace', '2 whitespace/punctuation characters', '', 0, 0),
          r(undefined, 'Please', '', 1, 2, 'politeness'),
          r('whitespace', 'odd', '', 0, 0),
        ]),
        [
          { rule: 'whitespace', reason: 'extra whitespace or punctuation', text: 'whitespace/punctuation characters', count: 6 },
          { rule: 'filler', reason: 'a filler word that adds no meaning', text: 'Very', count: 2 },
          { rule: 'article', reason: 'an article (telegraphic)', text: 'The', count: 1 },
          { rule: 'contraction', reason: 'a contraction of the same words', text: "You are → You're", count: 1 },
          { rule: 'politeness', reason: 'politeness carries no instruction', text: 'Please', count: 1 },
        ],
      );
      assert.deepEqual(summarizeRemovals([]), []);
    });
  });

  describe('languages', () => {
    it('Portuguese and Spanish politeness, detected or forced; "und" falls back to English', () => {
      const pt = compressor.compress('Por favor, resuma o artigo em três frases curtas.', { level: 'light' });
      assert.equal(pt.language, 'pt');
      assert.equal(pt.text, 'Resuma o artigo em três frases curtas.');
      const es = compressor.compress('Por favor, resume el artículo en tres frases cortas.', { level: 'light', language: 'es' });
      assert.equal(es.language, 'es');
      assert.equal(es.text, 'Resume el artículo en tres frases cortas.');
      assert.equal(compressor.compress('12345', { level: 'light' }).language, 'en');
    });
  });

  describe('issue 12, item 7: adverbs, pronouns, labels, series, complementizers (each rule, and what must not change)', () => {
    const cases: Array<[input: string, level: 'medium' | 'aggressive', language: string, expected: string]> = [
      // English, medium: intensifying adverb (fillerAdverbs) goes; "carefully and list" is not a pair of adverbs.
      ['Read the input carefully and list the claims.', 'medium', 'en', 'Read the input and list the claims.'],
      // ...but two coordinated adverbs stay together (it once gave "Introduce the purpose of the email and concisely").
      ['Write clearly and concisely.', 'aggressive', 'en', 'Write clearly and concisely.'],
      ['Note: the list is long.', 'medium', 'en', 'The list is long.'],
      // "i believe that" must not match inside "that's" (it once turned "in a way that's useful" into "so that's useful").
      ["I believe that's right.", 'medium', 'en', "I believe that's right."],
      // "intelligent" is not a word inside "hyper-intelligent" (it once gave "Hyper-AI system").
      ['You are a hyper-intelligent tutor who explains physics.', 'aggressive', 'en', 'Hyper-intelligent tutor who explains physics.'],
      // Subject pronoun and bold markers now go at the default level.
      ['You extract the main ideas from the text.', 'medium', 'en', 'Extract the main ideas from the text.'],
      ['**Draft the email:** state the purpose.', 'medium', 'en', 'Draft the email: state the purpose.'],
      // A label that repeats its heading goes, even though "INPUT" is protected: the heading keeps it ("# STEPS" → "# Steps" since the fourth round; " INPUT" is one token either way).
      ['# STEPS\n\n- Read it.\n\n# INPUT\n\nINPUT:', 'medium', 'en', '# Steps\n\n- Read it.\n\n# INPUT'],
      // Since issue 12 item 7's third round "Take a step back and" is a ritual phrase the medium level removes.
      ['Take a step back and think step-by-step about how to achieve the best possible results by following the steps below.', 'medium', 'en', 'Think step-by-step, following these steps.'],
      ['Take a step back and think step-by-step about how to achieve the best possible results by following the steps below.', 'aggressive', 'en', 'Think step-by-step, following these steps.'],
      // Aggressive: the "and" closing a series, and a "that" complementizer.
      ['Review the draft for clarity, coherence, and conciseness.', 'aggressive', 'en', 'Review draft for clarity, coherence, conciseness.'],
      ['Verify that the code compiles.', 'aggressive', 'en', 'Verify code compiles.'],
      ['Verify that the code compiles.', 'medium', 'en', 'Verify the code compiles.'],
      // Must not change: negations (with what they govern), constraints, quotes, code.
      ['Do not just list the steps.', 'aggressive', 'en', 'Do not just list steps.'],
      ['Do not just list the steps.', 'medium', 'en', 'Do not just list the steps.'],
      ['Do not read the input carefully.', 'medium', 'en', 'Do not read the input carefully.'],
      ['Only answer in JSON.', 'medium', 'en', 'Only answer in JSON.'],
      ['Reply with "I really do not know" exactly.', 'medium', 'en', 'Reply with "I really do not know" exactly.'],
      ['Run `carefully --fully` now.', 'medium', 'en', 'Run `carefully --fully` now.'],
      // Portuguese: "eu" dropped (pro-drop), article before a possessive, adverb, "Nota:" label; "você" after "e" at aggressive.
      ['Quando eu preciso de ajuda, peço.', 'medium', 'pt', 'Quando preciso de ajuda, peço.'],
      ['Vou escrever a minha localização.', 'medium', 'pt', 'Vou escrever minha localização.'],
      ['Leia o texto cuidadosamente e resuma.', 'medium', 'pt', 'Leia o texto e resuma.'],
      ['Nota: o texto é longo.', 'medium', 'pt', 'O texto é longo.'],
      // Since the fourth round the future auxiliary goes too ("vai traduzir" → "traduz").
      ['Vou escrever frases e você vai traduzir.', 'aggressive', 'pt', 'Vou escrever frases e traduz.'],
      // Must not change: "eu" coordinated; in a negated clause, "Não escreva" (the article before a possessive may go).
      ['Entre eu e você, tudo bem.', 'medium', 'pt', 'Entre eu e você, tudo bem.'],
      ['Não escreva a minha explicação.', 'medium', 'pt', 'Não escreva minha explicação.'],
      ['Não escreva a explicação cuidadosamente.', 'medium', 'pt', 'Não escreva a explicação cuidadosamente.'],
      // Spanish: "yo" and "tú" dropped before a verb (also after "y"), adverb, "Nota:" label.
      ['Yo leeré el texto y tú lo resumirás.', 'medium', 'es', 'Leeré el texto y lo resumirás.'],
      ['Lee el texto cuidadosamente y resume.', 'medium', 'es', 'Lee el texto y resume.'],
      ['Nota: el texto es largo.', 'medium', 'es', 'El texto es largo.'],
      // Must not change: pronouns after a preposition or before "y", a negated clause.
      ['Esto queda entre tú y yo.', 'medium', 'es', 'Esto queda entre tú y yo.'],
      // A subject pronoun in a negated sentence may go ("No escribas" stays); the language is now detected as well as forced.
      ['No escribas explicaciones, yo lo haré.', 'medium', 'es', 'No escribas explicaciones, lo haré.'],
      ['No escribas explicaciones cuidadosamente.', 'medium', 'es', 'No escribas explicaciones cuidadosamente.'],
      // "Me gustaría que se ejecute…" keeps its request (it once lost "Me gustaría que", leaving a bare subjunctive).
      ['Me gustaría que se ejecute como un motor de búsqueda.', 'medium', 'es', 'Me gustaría que se ejecute como un motor de búsqueda.'],
      // A known verb of the addressee after it: the request becomes the imperative (subjunctiveLeads, lang27).
      ['Te agradecería que me ayudes con el código.', 'medium', 'es', 'Ayúdame con el código.'],
      ['Me gustaría que actúes como un traductor.', 'medium', 'es', 'Actúa como traductor.'],
    ];
    for (const [input, level, language, expected] of cases) {
      it(`${language} ${level}: ${JSON.stringify(input)}`, () => {
        const r = compressor.compress(input, { level, language });
        assert.equal(r.text, expected);
        assert.deepEqual(r.retention.missing, []);
        assertFigures(input, r);
      });
    }
  });
});

describe('compressor: the other side of each guard (hand-derived from en.json and the rules in compressor.ts)', () => {
  const cases: Array<[input: string, level: 'medium' | 'aggressive', expected: string, why: string]> = [
    ['Review the draft for clarity, the overall coherence of ideas, and conciseness.', 'aggressive', 'Review draft for clarity, overall coherence of ideas, and conciseness.', 'the item before ", and" has 5 words (> 3): a clause, not a series item; both articles go'],
    ['Review clarity, and conciseness.', 'aggressive', 'Review clarity, and conciseness.', 'no comma before the one closing the series: not a series'],
    ['Fix any of the steps.', 'aggressive', 'Fix any of the steps.', '"any of the": a partitive quantifier keeps its article'],
    ['Rewrite 3 of the sentences.', 'aggressive', 'Rewrite 3 of the sentences.', '"3 of the": a number before "of" keeps the article'],
    ['Rewrite part of the text.', 'aggressive', 'Rewrite part of text.', '"part" is no quantifier: the article goes'],
    ['Write concisely and clearly.', 'aggressive', 'Write concisely and clearly.', '"clearly" (fillerAggressive) coordinated after another adverb stays'],
    ['# INPUT\n\nTEXT:', 'medium', '# INPUT\n\nTEXT:', 'a label that differs from its heading is no echo'],
    ['Intro text here.\n\n---', 'aggressive', 'Intro text here.\n\n---', 'a rule line at the end of the text is not between two paragraphs'],
    ['Then you will write a poem.', 'medium', "Then you'll write a poem.", 'an imperative lead only at a sentence start; the contraction still applies'],
    ['You are a helpful assistant. Summarize texts. Be brief. Be kind here. Use lists. Stay calm now. You are an expert Python tutor.', 'medium', "You're a helpful assistant. Summarize texts. Be brief. Be kind here. Use lists. Stay calm now. You're an expert Python tutor.", 'the specific role is the 6th unit after the generic one: out of the five looked at'],
    ['You are the best.', 'aggressive', "You're the best.", 'one word after the copula: the role copula stays (the contraction applies)'],
    ['You are a person who can help.', 'aggressive', 'Person who can help.', 'four words after the copula: it goes'],
    ['You are a poetry tutor.', 'aggressive', 'Poetry tutor.', 'exactly two words after the copula: it goes'],
    ['You are a (new) tutor who explains code.', 'aggressive', "You're a (new) tutor who explains code.", 'the copula must be followed by a word, not "("'],
    ['You are a Python tutor who explains code.', 'aggressive', "You're a Python tutor who explains code.", 'the word after the copula must be lower-case'],
    ['You are the other tutor who explains code.', 'aggressive', "You're the other tutor who explains code.", '"other" is an article blocker'],
    ['I know you are a good tutor here.', 'aggressive', "I know you're a good tutor here.", 'a role copula only at a sentence start'],
    ['Then you use tools.', 'aggressive', 'Then you use tools.', 'a subject pronoun only at a sentence start'],
    ['Pick a (small) box.', 'aggressive', 'Pick a (small) box.', 'an article must be followed by a word, not "("'],
    ['Write the  answer.', 'aggressive', 'Write answer.', 'two spaces after the article still separate it from the word'],
    ['Intro text here.\n\nText ---\n\nMore text here.', 'aggressive', 'Intro text here.\n\nText ---\n\nMore text here.', 'a rule line is a line of its own'],
    ['Intro text here.\n\n*\n\nMore text here.', 'aggressive', 'Intro text here.\n\n*\n\nMore text here.', 'one "*" is no rule line (three or more)'],
    ['Intro text here.\n\n_\n\nMore text here.', 'aggressive', 'Intro text here.\n\n_\n\nMore text here.', 'one "_" is no rule line (three or more)'],
    ['Use red, blue, or green.', 'aggressive', 'Use red, blue, or green.', '"or" is not a series conjunction of en.json (only "and")'],
    ['Check spelling, the word choice, and tone.', 'aggressive', 'Check spelling, word choice, tone.', 'an item of three words ("the word choice") is still a series item'],
    ['Red, blue. Pick green, and gold.', 'aggressive', 'Red, blue. Pick green, and gold.', 'the commas of an earlier sentence do not make a series'],
    ['# Notes\n\nText:', 'medium', '# Notes\n\nText:', 'a label that differs from its heading stays'],
    ['# Input\n\ninput:', 'medium', '# Input', 'heading and label are compared without case'],
    ['## Input\n\nInput:', 'medium', '## Input', 'a second-level heading is echoed too'],
    ['You are a  poetry tutor.', 'aggressive', 'Poetry tutor.', 'two spaces after the copula'],
    ['You are a being of light.', 'aggressive', "You're a being of light.", '"being" is an imperative blocker'],
    ['You are a tutor,\nthen stop.', 'aggressive', "You're a tutor,\nthen stop.", 'one word ("tutor,") before the line ends: the copula stays'],
    ['You  use tools.', 'aggressive', 'Use tools.', 'two spaces after the pronoun'],
    ['You, use tools.', 'aggressive', 'You, use tools.', 'the pronoun must be followed by a word, not ","'],
    ['You Use tools.', 'aggressive', 'You Use tools.', 'the verb after the pronoun must be lower-case'],
    ['The Python code runs.', 'aggressive', 'The Python code runs.', 'an opening "The" stays before an upper-case word'],
    ['Read The report now.', 'aggressive', 'Read The report now.', 'an upper-case article inside a sentence stays'],
    ['Write  the answer.', 'aggressive', 'Write answer.', 'two spaces before the article'],
    ['Rewrite 12 of the sentences.', 'aggressive', 'Rewrite 12 of the sentences.', '"12 of the": a number of two digits keeps the article too'],
  ];
  for (const [input, level, expected, why] of cases) {
    it(`${level}: ${JSON.stringify(input)} (${why})`, () => {
      const r = compressor.compress(input, { level, language: 'en' });
      assert.equal(r.text, expected);
      assert.deepEqual(r.retention.missing, []);
      assertFigures(input, r);
    });
  }

  it('es medium: a subject pronoun after a word that is neither a preposition nor a coordinator goes', () => {
    const input = 'Luego tú leerás el texto.';
    const r = compressor.compress(input, { level: 'medium', language: 'es' });
    assert.equal(r.text, 'Luego leerás el texto.');
    assert.deepEqual(removals(r), ['dropPronoun filler "tú " → "" 6-9']);
    assertFigures(input, r);
    const cases: Array<[string, string]> = [
      ['Lo haré yo, luego.', 'Lo haré yo, luego.'], // the pronoun must be followed by a word, not ","
      ['Yo  leeré el texto.', 'Leeré el texto.'], // two spaces after it
      ['Luego tú y ella leerán.', 'Luego tú y ella leerán.'], // "y" after it is a blocker
    ];
    for (const [text, expected] of cases) assert.equal(compressor.compress(text, { level: 'medium', language: 'es' }).text, expected, text);
  });

  it('the rule and kind of each removal: series conjunction, article, filler adverb', () => {
    assert.deepEqual(removals(compressor.compress('Check spelling, the word choice, and tone.', { level: 'aggressive', language: 'en' })), ['article filler "the " → "" 16-20', 'seriesConjunction filler "and " → "" 33-37']);
    assert.deepEqual(removals(compressor.compress('Read the input carefully and list the claims.', { level: 'medium', language: 'en' })), ['filler filler "carefully " → "" 15-25']);
  });

  it('a target ratio on an empty prompt stops after the first stage and says it was not reached (0 tokens: no reduction)', () => {
    const r = compressor.compress('', { targetRatio: 0.5 });
    const message = 'Target of 50.0 % NOT reached: every safe rule was applied and the reduction is 0.0 %. Removing more would drop content or protected items.';
    assert.equal(r.level, 'light');
    assert.deepEqual(r.target, { ratio: 0.5, reached: false, stages: ['light'], message });
    assert.deepEqual(r.warnings, [message]);
  });

  it('retainedItems counts names unless told not to', () => {
    assert.deepEqual(retainedItems('Ask Maria about it.', 'en'), ['Maria']);
    assert.deepEqual(retainedItems('Ask Maria about it.', 'en', { includeNames: false }), []);
  });
});
