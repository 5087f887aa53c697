/**
 * Session 50 (issue 12 item 7, compress50en): English compression on the TUNING split of fabric's patterns. The role
 * section's heading at the top of a prompt goes before its role sentence (medium), past-tense reduced relatives ("facts
 * that were mentioned" → "facts mentioned"), more section heading words folded ("# GOALS" → "# Goals"), the tail of
 * fabric's meta sentence ("Follow ALL these instructions when creating your output.") and of its "Think step by step
 * about how to best accomplish this goal using these steps.", and, at the aggressive level, the article after a bullet's
 * first word (it was taken for a title: "- Write the IDEAS bullets"). Every expected string is written by hand; each case
 * of a new behaviour failed before the change (main at 31bd04ef); the cases that must stay as written pass on both.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { roleHeadingRange } from '../../../src/engine/prompt/compressMarkdown';
import { compiledPack } from '../../../src/shared/prompt/languages';
import { runCompressCases as run } from './compressCases';

describe('compressor (session 50, English)', () => {
  describe('medium: the role heading at the top of a prompt goes when the role sentence follows it', () => {
    run([
      // fabric's create_show_intro, extract_wisdom… (tuning): "# IDENTITY and PURPOSE" then "You are an expert…".
      ['# IDENTITY and PURPOSE\n\nYou are an expert at extracting wisdom from text. You take input and produce a summary.', 'medium', 'en', "You're an expert at extracting wisdom from text. Take input and produce a summary."],
      // extract_wisdom_dm: the heading's "// Who you are" comment goes with it.
      ['# IDENTITY\n\n// Who you are\n\nYou are a hyper-intelligent AI system with a 4,312 IQ.\n\n# GOAL\n\nWrite a summary.', 'medium', 'en', "You're a hyper-intelligent AI system with a 4,312 IQ.\n\n# Goal\n\nWrite a summary."],
      // A heading in title case, a role sentence that opens with "As a".
      ['# Identity and Purpose\nAs a creative language assistant, you write poems.', 'medium', 'en', 'As a creative language assistant, you write poems.'],
      // fabric's label_and_rate (tuning): a label over the role sentence, naming its goal too.
      ['IDENTITY and GOAL:\n\nYou are an ultra-wise classifier. You label content.\n\nSTEPS:\n\n1. Rate it.', 'medium', 'en', "You're an ultra-wise classifier. You label content.\n\nSTEPS:\n\n1. Rate it."],
      // A heading the prompt refers to further on stays: in capitals, or next to "section".
      ['# IDENTITY and PURPOSE\n\nYou are a judge.\n\nRate content based on the PURPOSE above.', 'medium', 'en', "# Identity and purpose\n\nYou're a judge.\n\nRate content based on the PURPOSE above."],
      ['# GOALS\n\nYou rate content.\n\nFollow the goals section.', 'medium', 'en', '# Goals\n\nYou rate content.\n\nFollow the goals section.'],
      // The same word in lower case in a sentence is no reference to the heading.
      ['# IDENTITY and PURPOSE\n\nYou are a judge. Your purpose is to rate content.', 'medium', 'en', "You're a judge. Your purpose is to rate content."],
      // No role sentence after it: the heading names a section the next sentence does not say.
      ['# IDENTITY\n\nThe user is an expert.', 'medium', 'en', '# Identity\n\nThe user is an expert.'],
      // fabric's create_art_prompt (tuning): the goals are said by the sentences under it.
      ['# IDENTITY AND GOALS\n\nYou are an artist.', 'medium', 'en', "You're an artist."],
      // A heading that also names the rules: the section holds more than the role.
      ['# ROLE AND RULES\n\nYou are an artist.', 'medium', 'en', "# Role and rules\n\nYou're an artist."],
      // Not at the top of the prompt: the heading ends the section before it.
      ['Read this.\n\n# IDENTITY\n\nYou are a judge.', 'medium', 'en', "Read this.\n\n# Identity\n\nYou're a judge."],
    ]);

    it('finds the heading lines and the blank lines after them, and nothing in a prompt that does not open that way', () => {
      const pack = compiledPack('en');
      assert.deepEqual(roleHeadingRange('\n# IDENTITY and PURPOSE\n\nYou are a judge.', pack), { start: 1, end: 25 });
      assert.equal(roleHeadingRange('# IDENTITY and PURPOSE\n\n', pack), undefined);
      assert.equal(roleHeadingRange('# STEPS\n\nYou read the text.', pack), undefined);
      assert.equal(roleHeadingRange('AND:\n\nYou read the text.', pack), undefined);
      // A pack without role heading words (es) never drops one.
      assert.equal(roleHeadingRange('# IDENTITY\n\nYou are a judge.', compiledPack('es')), undefined);
    });

    it('light keeps every heading', () => {
      assert.equal(new PromptCompressor().compress('# IDENTITY and PURPOSE\n\nYou are an expert.', { level: 'light', language: 'en' }).text, '# IDENTITY and PURPOSE\n\nYou are an expert.');
    });

    it('reports the removal under its own rule and reason', () => {
      const r = new PromptCompressor().compress('# IDENTITY and PURPOSE\n\nYou are an expert at reading contracts.', { level: 'medium', language: 'en' });
      const summary = (r.removedSummary ?? []).find((s) => s.rule === 'roleHeading');
      assert.deepEqual(summary, { rule: 'roleHeading', reason: 'the heading of the role section at the top of the prompt, right before the role sentence that says the same', text: '# IDENTITY and PURPOSE', count: 1 });
    });
  });

  describe('medium: a relative pronoun and a past copula before a participle go', () => {
    run([
      // fabric's extract_wisdom (tuning): "valid facts about the greater world that were mentioned in the content".
      ['Extract the facts that were mentioned in the content.', 'medium', 'en', 'Extract the facts mentioned in the content.'],
      ['Summarize the report which was written by the team.', 'medium', 'en', 'Summarize the report written by the team.'],
      // No participle after it: the clause stays.
      ['Count the items that were here.', 'medium', 'en', 'Count the items that were here.'],
    ]);
  });

  describe('medium: more section heading words in normal case', () => {
    run([
      // fabric's prepare_7s_strategy, get_wow_per_minute (tuning): " GOALS" is two o200k tokens, " Goals" one.
      ['# GOALS\n\nWrite a poem.', 'medium', 'en', '# Goals\n\nWrite a poem.'],
      ['# ROLE AND GOAL\n\nWrite a poem.', 'medium', 'en', '# Role and goal\n\nWrite a poem.'],
    ]);
  });

  describe("medium: fabric's closing phrases said shorter", () => {
    run([
      // 25 tuning patterns close with this sentence; the instructions are the output's anyway.
      ['# OUTPUT\n\n- Only output Markdown.\n- Follow ALL these instructions when creating your output.', 'medium', 'en', '# OUTPUT\n\n- Only output Markdown.\n- Follow ALL these instructions.'],
      // analyze_debate, analyze_spiritual_text… (tuning).
      ['Think step by step about how to best accomplish this goal using these steps.', 'medium', 'en', 'Think step by step, using these steps.'],
      // The variants of fabric's opening ritual in the tuning half (analyze_debate, create_show_intro, …).
      ['Take a deep breath and think step by step about how to best accomplish this goal using the following steps.', 'medium', 'en', 'Think step by step, using these steps.'],
      ['Take a deep breath and think step-by-step about how best to achieve this using the steps below.', 'medium', 'en', 'Think step-by-step, using the steps below.'],
      ['Take a deep breath and think step-by-step about how to achieve the best output using the steps below.', 'medium', 'en', 'Think step-by-step, using the steps below.'],
      ['Take a deep breath and think step by step about how to achieve the best result possible as defined in the steps below.', 'medium', 'en', 'Think step by step, following these steps.'],
      // A goal named in the sentence is no ritual: it stays.
      ['Think step by step about how to best accomplish the migration using these steps.', 'medium', 'en', 'Think step by step about how to best accomplish the migration using these steps.'],
      // Aggressive still drops the meta sentence whole, and the role heading with it.
      ['# IDENTITY and PURPOSE\n\nYou are an expert at extracting wisdom from text.\n\n# OUTPUT\n\n- Only output Markdown.\n- Follow ALL these instructions when creating your output.', 'aggressive', 'en', 'Expert at extracting wisdom from text.\n\nOUTPUT:\n\nOnly output Markdown.'],
    ]);
  });

  describe('aggressive: the word after a bullet opens its sentence, so its article is no title word', () => {
    run([
      // fabric's extract_wisdom_dm (tuning): "- Write the IDEAS bullets as exactly 16 words." kept "the".
      ['# STEPS\n\n- Write the IDEAS bullets as exactly 16 words.\n* Write the HABITS bullets as exactly 16 words.', 'aggressive', 'en', 'Steps:\n\nWrite IDEAS bullets as exactly 16 words.\nWrite HABITS bullets as exactly 16 words.'],
      // Inside a sentence a name still keeps its article.
      ['- Speak in the voice of Marvin the Paranoid Android.', 'aggressive', 'en', 'Speak in voice of Marvin the Paranoid Android.'],
    ]);
  });
});
