/**
 * Few-shot examples are data the model imitates: every level keeps them as written, as it keeps quotes and code
 * (src/shared/prompt/examples.ts), and the instructions around them stay compressible. comp33, from newuser33 on
 * khoj-ai/khoj at ae229ca8 (AGPL-3.0: nothing copied; the khoj-shaped cases below are written for the test): medium
 * turned an example query "Could you share a funny … quote from my notes?" into "share funny … quote", aggressive
 * rewrote an example diagram description after "Here's an example of a valid diagram:". The fabric cases are real
 * lines (danielmiessler/fabric at 272f04dd, MIT, test/fixtures/prompts/SOURCES.md). Also the two word rules
 * newuser33 saw misfire: "your" is a possessive, not an article ("to directly support your claim" → "support claim"),
 * and "…, and more" keeps its "and" (the comma alone does not end a series open). Expected values by hand.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { loadCollections } from '../../fixtures/prompts/corpus';

const compressor = new PromptCompressor();
const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;
const aggressive = (text: string) => compressor.compress(text, { level: 'aggressive', language: 'en' }).text;

/** The text of a collection prompt from the line holding `from` to the end of the line holding `to`. */
function realLines(id: string, from: string, to: string): string {
  const prompt = loadCollections().find((p) => p.id === id);
  assert.ok(prompt, id);
  const start = prompt.text.lastIndexOf('\n', prompt.text.indexOf(from)) + 1;
  const at = prompt.text.indexOf(to, start);
  assert.ok(prompt.text.includes(from) && at >= 0, `${from} … ${to} in ${id}`);
  const end = prompt.text.indexOf('\n', at);
  return prompt.text.slice(start, end < 0 ? undefined : end);
}

describe('compressor: few-shot examples are kept as written (comp33)', function () {
  this.timeout(60_000);

  it('an example section closed by END EXAMPLE keeps its body; the steps after it are compressed', () => {
    // fabric extract_core_message: aggressive gave "If input is all of Victor Frankl's work, then core message would be:" and
    // "…resilience, purpose, enduring life's challenges."
    const core = realLines('fabric-rest:extract_core_message', '# EXAMPLE', '- Fully digest the input.');
    const example = "If the input is all of Victor Frankl's work, then the core message would be:\n\nFinding meaning in suffering is key to human resilience, purpose, and enduring life’s challenges.";
    assert.equal(aggressive(core), `# Example\n\n${example}\n\nEND EXAMPLE\n\nSteps:\n\nDigest input.`);
    // fabric create_story_explanation and summarize_legislation: "EXAMPLE:" / "EXAMPLES:" … "END EXAMPLE(S)".
    const story = realLines('fabric:create_story_explanation', 'EXAMPLE:', 'END EXAMPLE');
    assert.equal(aggressive(story), story);
    const bill = realLines('fabric-rest:summarize_legislation', 'EXAMPLES:', 'END EXAMPLES');
    assert.equal(aggressive(bill), bill);
    // Near miss: a heading that names the output section to write ("USAGE EXAMPLES") heads instructions, not an example.
    assert.equal(medium('## USAGE EXAMPLES\n\n- Extract the code snippets from the input.'), '## USAGE EXAMPLES\n\n- Extract code snippets from input.');
  });

  it('the labelled turns of an "# Examples:" section are kept; the instructions above them are compressed', () => {
    const prompt = [
      'You are a careful notification judge.',
      '- Decide whether the user should be told about the reply.',
      '',
      '# Examples:',
      'User Request: Could you share a funny quote from my notes?',
      'Judge: Yes, the reply is a quote.',
    ].join('\n');
    const examples = 'User Request: Could you share a funny quote from my notes?\nJudge: Yes, the reply is a quote.';
    assert.equal(medium(prompt), `You're a careful notification judge.\n- Decide whether the user should be told about the reply.\n\n# Examples:\n${examples}`);
    assert.equal(aggressive(prompt), `Careful notification judge.\nDecide whether user should be told about reply.\n\n# Examples:\n${examples}`);
  });

  it('the paragraph after a lead that presents an example is kept; the lead itself is compressed', () => {
    const prompt = "Here's an example of a valid chart:\n\nChart Description: Create a chart showing a linear process with 3 steps: plan, build and ship.\n\nDraw the chart.";
    assert.equal(aggressive(prompt), "Here's example of valid chart:\n\nChart Description: Create a chart showing a linear process with 3 steps: plan, build and ship.\n\nDraw chart.");
    // Near miss: a line that asks for examples leads instructions.
    assert.equal(medium('Give examples of the following:\n- Describe the main idea of the text.'), 'Give examples of the following:\n- Describe main idea of text.');
  });

  it('an <example> element, a Q:/A: pair and an Input:/Output: pair are kept', () => {
    const element = '<example>\nThe user asks for a summary of the article.\nThe assistant gives a short summary of the article.\n</example>';
    assert.equal(aggressive(element), element);
    // (Pairs on consecutive lines were kept before as key: value data; a blank line or a second line of input broke that.)
    const pairs = 'Q: Could you tell me a joke about the weather?\n\nA: The forecast said it would be a breeze.\n\nInput: Please summarize the article about the park.\nIt opened last week near the river.\nOutput: The city opened a new park.';
    assert.equal(aggressive(pairs), pairs);
    // Near misses: an element of instructions, and an "Input:" line with no "Output:" after it, are compressed.
    assert.equal(aggressive('<instructions>\nRead the article and write a summary of the article.\nKeep the summary short.\n</instructions>'), '<instructions>\nRead article and write summary of article.\nKeep summary short.\n</instructions>');
    assert.equal(medium('Input: the text of the article'), 'Input: the text of article');
    // A one-line "Example: …" is kept (medium gave "Example: Write title for article about park.").
    assert.equal(medium('Write a title for each article.\nExample: Write a title for the article about the park.'), 'Write a title for each article.\nExample: Write a title for the article about the park.');
  });

  it('"your" is a possessive: an imperative list item keeps it, an article still goes', () => {
    // fabric create_coding_feature (a real line): medium gave "…gracefully in code suggestions."
    const errors = realLines('fabric-rest:create_coding_feature', '- Handle potential errors gracefully', 'suggestions.');
    assert.equal(medium(errors), '- Handle potential errors gracefully in your code suggestions.');
    // Near miss: "the" in the same place goes.
    assert.equal(medium('- Handle potential errors gracefully in the code suggestions.'), '- Handle potential errors gracefully in code suggestions.');
  });

  it('"…, and more" keeps its "and"; a closed series still loses it (aggressive)', () => {
    // MetaGPT's plugin description (test/fixtures/scan/json/metagpt_ai_plugin.json): aggressive gave "…web content crawling, more."
    const description = 'Plugins for text processing, including text-to-speech, text-to-image, text-to-embedding, text summarization, text-to-code, vector similarity calculation, web content crawling, and more.';
    assert.ok(readFileSync(resolve(__dirname, '../../../../test/fixtures/scan/json/metagpt_ai_plugin.json'), 'utf8').includes(description));
    assert.equal(aggressive(description), description);
    // Near miss: the series closed by its last item.
    assert.equal(aggressive('Be clear, concise, and polite.'), 'Be clear, concise, polite.');
  });
});
