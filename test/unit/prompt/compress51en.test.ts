/**
 * Session 51 (issue 12 item 7, compress51en): English compression on the TUNING split of fabric's patterns, medium level.
 * fabric's "// What we are trying to achieve" under "# GOAL" (and the other comments that only gloss their heading), "the
 * steps below" after "following"/"using", "into a section called X", "in a subsection called X", "given/provided in the
 * input", "Take the input given and", and the TELOS patterns' "Spend significant time and effort thinking about". Every
 * expected string is written by hand; each case of a new behaviour failed on main (1588591a); the cases that must stay as
 * written pass on both.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { runCompressCases as run } from './compressCases';

describe('compressor (session 51, English)', () => {
  describe('medium: a "//" comment that only glosses the heading above it goes', () => {
    run([
      // fabric's summarize_debate, extract_wisdom_dm (tuning): the glosses of GOAL, STEPS and OUTPUT.
      ['# GOAL\n\n// What we are trying to achieve\n\nTo provide a concise summary.\n\n# STEPS\n\n// How the task will be approached\n\n// Slow down and think\n\n- Read the input.', 'medium', 'en', '# Goal\n\nTo provide a concise summary.\n\n# Steps\n\n// Slow down and think\n\n- Read input.'],
      ['# OUTPUT\n\n// What the output should look like:\n\n- Only output Markdown.', 'medium', 'en', '# OUTPUT\n\n- Only output Markdown.'],
      // Not under a heading: the comment is the section's only name, it stays (its "we are" contracted as anywhere).
      ['Read this.\n\n// What we are trying to achieve\n\nTo provide a summary.', 'medium', 'en', "Read this.\n\n// What we're trying to achieve\n\nTo provide a summary."],
      // A comment that asks for something stays under its heading.
      ['# STEPS\n\n// Think about the ideas\n\n- Read the input.', 'medium', 'en', '# Steps\n\n// Think about the ideas\n\n- Read input.'],
    ]);

    it('light keeps the gloss', () => {
      const text = '# GOAL\n\n// What we are trying to achieve\n\nTo provide a summary.';
      assert.equal(new PromptCompressor().compress(text, { level: 'light', language: 'en' }).text, text);
    });
  });

  describe('medium: fabric stock phrases', () => {
    run([
      // "Take a deep breath and think step-by-step about how to achieve the best possible results by following the steps below."
      ['Think step-by-step, following the steps below.', 'medium', 'en', 'Think step-by-step, following these steps.'],
      ['Take a deep breath and think step by step about how to achieve the best possible results by following the steps below.', 'medium', 'en', 'Think step by step, following these steps.'],
      ['Think step-by-step, using the steps below.', 'medium', 'en', 'Think step-by-step, using these steps.'],
      // extract_wisdom's "into a section called QUOTES", like "in a section called" → "in section" before it.
      ['Extract 15 to 30 of the most surprising quotes from the input into a section called QUOTES.', 'medium', 'en', 'Extract 15 to 30 of the most surprising quotes from the input into section QUOTES.'],
      // analyze_claims.
      ['Put each of these in a subsection called CLAIM SUPPORT EVIDENCE.', 'medium', 'en', 'Put each of these in subsection CLAIM SUPPORT EVIDENCE.'],
      // The TELOS patterns (t_*): "given in the input" and the stock step.
      ['You are an expert at creating wisdom from the instruction or question given in the input.', 'medium', 'en', "You're an expert at creating wisdom from the instruction or question in the input."],
      ['3. Spend significant time and effort thinking about how these two are related.', 'medium', 'en', '3. Think hard about how these two are related.'],
      // analyze_answers, extract_recommendations.
      ['Evaluate the correctness of the answers provided in the input section below.', 'medium', 'en', 'Evaluate the correctness of the answers in the input section below.'],
      ['Take the input given and extract the concise, practical recommendations.', 'medium', 'en', 'Take the input and extract the concise, practical recommendations.'],
      // explain_docs, analyze_claims, create_show_intro: the verb and "a list of" say what "list" says.
      ['(Create a list of common use cases from your knowledge base.)', 'medium', 'en', '(List common use cases from your knowledge base.)'],
      ['4. Provide a list of logical fallacies this argument is committing.', 'medium', 'en', '4. List logical fallacies this argument is committing.'],
      ['- From that list, create a list of the most interesting parts of the conversation.', 'medium', 'en', '- From that list, list the most interesting parts of the conversation.'],
      // Near misses: the participle says by whom, or "below" is no "steps below".
      ['The input given by the user is short.', 'medium', 'en', 'The input given by the user is short.'],
      ['Read the steps below carefully.', 'medium', 'en', 'Read the steps below carefully.'],
    ]);
  });
});
