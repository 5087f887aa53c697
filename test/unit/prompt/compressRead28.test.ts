/**
 * Defects found by reading compressed fabric patterns as a user would (read28, issue 12 items 2
 * and 7; collection fabric-rest, tuning rows only, test/fixtures/prompts/SOURCES.md), and the safe
 * cuts a careful editor makes that the compressor missed. Each case is a real line of a tuning
 * prompt (checked verbatim in the fixture) or a sentence written for the rule, with the output an
 * English reader writes, and a near miss that must not change.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { loadCollections } from '../../fixtures/prompts/corpus';

const compressor = new PromptCompressor();
const light = (text: string) => compressor.compress(text, { level: 'light', language: 'en' }).text;
const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;
const aggressive = (text: string) => compressor.compress(text, { level: 'aggressive', language: 'en' }).text;

/** The lines of a fabric-rest tuning prompt that match `pattern`, joined: the real text the case runs on. */
function fabricLines(pattern: string, pattern2: RegExp): string {
  const prompt = loadCollections().find((p) => p.id === `fabric-rest:${pattern}`);
  assert.ok(prompt && prompt.split === 'tuning', pattern);
  const lines = prompt.text.split('\n').filter((l) => pattern2.test(l));
  assert.ok(lines.length > 0, `${pattern2} in ${pattern}`);
  return lines.join('\n');
}

describe('compressor: defects read in fabric-rest (read28)', function () {
  this.timeout(60_000);

  it('a sentence repeated inside a longer list item is that item\'s instruction: it stays at every level', () => {
    // analyze_claims: items 2 and 3 both say "Provide references for each, …"; item 3 lost it (refutation evidence with no references).
    const claims = fabricLines('analyze_claims', /^[23]\. Provide solid/);
    assert.equal(
      medium(claims),
      '2. Provide solid, verifiable evidence that this claim is true using valid, verified, and easily corroborated facts, data, or statistics. Provide references for each, and DO NOT make any of those up. They must be 100% real and externally verifiable. Put each of these in subsection CLAIM SUPPORT EVIDENCE:.\n' +
        '3. Provide solid, verifiable evidence that this claim is false using valid, verified, and easily corroborated facts, data, or statistics. Provide references for each, and DO NOT make any of those up. They must be 100% real and externally verifiable. Put each of these in subsection CLAIM REFUTATION EVIDENCE:.',
    );
    // create_design_document: the container and deployment tables lost their column list ("Include columns: 1.") even at light.
    const tables = fabricLines('create_design_document', /Include columns/);
    assert.equal(light(tables), tables);
    // Near misses: a whole item repeated, and a sentence repeated in prose, still go.
    assert.equal(medium('- Do not use bold formatting.\n- Use short sentences.\n- Do not use bold formatting.'), '- Do not use bold formatting.\n- Use short sentences.');
    assert.equal(medium('Answer in English. Keep it short. Answer in English.'), 'Answer in English. Keep it short.');
  });

  it('an example that lists the words of an input-format column is no near-duplicate of that column (aggressive)', () => {
    // create_mnemonic_phrases: the EXAMPLE's first line, the five words in bold, went as a near-duplicate of the input sample.
    const text = 'Input words:\n\n    apple\n    river\n    stone\n    cloud\n    flame\n\nExample output:\n\n**apple**, **river**, **stone**, **cloud**, **flame**';
    // The example output is example data since comp33 (examples.ts): kept as written, its bold included.
    assert.equal(aggressive(text), text);
    // Near miss: a sentence repeated with other punctuation is still a near-duplicate.
    assert.equal(aggressive('Always answer in formal English and keep every answer under fifty words.\n\nAlways answer in formal English, and keep every answer under fifty words!'), 'Always answer in formal English and keep every answer under fifty words.');
  });

  it('"ensure that you" / "make sure you" stay before a verb that is no imperative', () => {
    // convert_to_markdown read "check the original content and have not truncated…"; extract_questions read "to got them all".
    const check = fabricLines('convert_to_markdown', /have not truncated/);
    assert.equal(medium(check), '- When you\'re done outputting the content in Markdown format, check the original content and ensure that you have not truncated or altered any part of it.');
    const got = fabricLines('extract_questions', /1124/);
    assert.equal(medium(got), got);
    // Near misses: before an imperative the phrase still goes, "have" included.
    assert.equal(medium('Ensure that you use Markdown. Make sure you have them on the schedule.'), 'Use Markdown. Have them on the schedule.');
  });

  it('"the only X" keeps its article: "Only output format is Markdown" reads as an order', () => {
    const only = fabricLines('analyze_risk', /only output format/);
    assert.equal(medium(only), '- The only output format is Markdown.');
    assert.equal(aggressive('Use the only format we support. Use the same format.'), 'Use the only format we support. Use same format.');
  });

  it('"just the X" means "only the X": it stays whole', () => {
    // extract_questions: "Just the questions." became "Questions.".
    const just = fabricLines('extract_questions', /Just the questions/);
    assert.equal(medium(just), "- Only output list of questions asked by interviewer. Don't add analysis or commentary or anything else. Just the questions.");
    // Near miss: "just" before a verb is filler.
    assert.equal(medium('- Just list the questions.'), '- List questions.');
  });

  it('a modal before an elided verb is not contracted', () => {
    // create_keynote: "like you would for a TED talk" became "like you'd for TED talk".
    const keynote = fabricLines('create_keynote', /TED talk/);
    assert.ok(medium(keynote).endsWith("and be sure you're building the story like you would for a TED talk."), medium(keynote));
    assert.equal(medium('You would like the story.'), "You'd like the story.");
  });

  it('a list item with a subject and a finite verb is a full sentence: its articles stay at medium', () => {
    const wow = fabricLines('get_wow_per_minute', /^- The goal is to determine how rewarding/);
    assert.equal(medium(wow), wow);
    // Near miss: an imperative item is a fragment by convention.
    assert.equal(medium('- Extract the subject of the input section.'), '- Extract subject of input section.');
  });

  it('in a fragment, "a"/"an" after a preposition stays; after a verb it goes (headline style)', () => {
    // analyze_candidates read "Organize analysis in clear and structured format".
    const organize = fabricLines('analyze_candidates', /^- Organize the analysis/);
    assert.equal(medium(organize), '- Organize analysis in a clear and structured format.');
    assert.equal(medium('- Write this as a person explaining it to a friend.\n- Create a virtual whiteboard.'), '- Write this as a person explaining it to a friend.\n- Create virtual whiteboard.');
  });

  it('transcript cues and what is said after them are data: no rule edits them', () => {
    // create_video_chapters' input sample lost "Thank you, guys. Thank you." (politeness), "just", "please" and, at aggressive, "I'll".
    const cues = fabricLines('create_video_chapters', /-->/);
    assert.equal(medium(cues), cues);
    assert.equal(aggressive(cues), cues);
    // Near miss: the same words outside a cue are prose.
    assert.equal(aggressive('Match the timestamps to the topics.\n\n00:00:01,000 --> 00:00:04,000 I will just say the same.\n\nI will just say the same.'), 'Match timestamps to topics.\n\n00:00:01,000 --> 00:00:04,000 I will just say the same.\n\nI say same.');
  });

  it('a dialogue the prompt quotes (speakers taking turns) is data: its courtesy and articles stay', () => {
    // MetaGPT summarize.py (test/fixtures/scan/SOURCES.md), read in the scan corpus: the conversation to summarize lost the
    // customer's "please" and "the wrong item" became "wrong item".
    const file = resolve(__dirname, '../../../../test/fixtures/scan/python/metagpt_summarize.py');
    const turns = ["Customer: Hi, I'm Larry, and I received the wrong item.", 'Support Agent: Hi, Larry. How would you like to see this resolved?', "Customer: That's alright. I want to return the item and get a refund, please.", 'Support Agent: Of course. I can process the refund for you now. Can I have your order number, please?'];
    for (const turn of turns) assert.ok(readFileSync(file, 'utf8').includes(turn), turn);
    const text = `Please generate a summary of the following conversation:\n\n${turns.join('\n\n')}`;
    assert.equal(medium(text), `Generate a summary of this conversation:\n\n${turns.join('\n\n')}`);
    assert.equal(aggressive(text), `Generate summary of this conversation:\n\n${turns.join('\n\n')}`);
    // Near miss: labels that mostly come once are no dialogue (one speaker twice is not enough); their sentences are instructions.
    assert.equal(
      medium('Your Role: You are a tutor, please.\nMain Task: Explain the code.\nOutput Format: Use a list.\nYour Tone: Be kind.\nMain Task: Answer the question.'),
      // (After a label's colon "You" opens the sentence, no name: "You are" contracts as at a sentence's start, session 32.)
      "Your Role: You're a tutor.\nMain Task: Explain code.\nOutput Format: Use list.\nYour Tone: Be kind.\nMain Task: Answer question.",
    );
  });
});

describe('compressor: safe cuts read in fabric-rest (read28)', function () {
  this.timeout(60_000);

  it('aggressive drops a closing sentence that only asks to follow the instructions; medium keeps it (without "when creating your output", session 50)', () => {
    const text = '# OUTPUT INSTRUCTIONS\n\n- Only output Markdown.\n- Ensure you follow ALL these instructions when creating your output.\n\n# INPUT';
    assert.equal(aggressive(text), 'Output instructions:\n\nOnly output Markdown.\n\nINPUT:');
    assert.equal(medium(text), '# Output instructions\n\n- Only output Markdown.\n- Follow ALL these instructions.\n\n# INPUT');
    assert.equal(
      aggressive('Only output Markdown.\n\n- **Make sure you follow ALL of these instructions when creating your output**.\n\nFollow these instructions:\n1. Read the file.\n\nFollow these instructions for the SQL query.'),
      'Only output Markdown.\n\nFollow these instructions:\n1. Read file.\n\nFollow these instructions for SQL query.',
    );
    // Near miss: a prompt that is only that sentence keeps it.
    assert.equal(aggressive('Ensure you follow ALL these instructions.'), 'Follow ALL these instructions.');
  });

  it('"any and all" is "all"; "fully and deeply" before a verb goes', () => {
    const references = fabricLines('analyze_threat_report', /any and all/);
    assert.ok(medium(references).endsWith('This should include all references to something that the report mentioned.'), medium(references));
    assert.equal(medium(fabricLines('get_wow_per_minute', /Fully and deeply/)), '- Consume content at least 319 times, using different interpretive perspectives each time.');
    // Near misses: "any or all" and a pair of adverbs after the verb stay.
    assert.equal(medium('Use any or all of them. Explain it fully and clearly.'), 'Use any or all of them. Explain it fully and clearly.');
  });

  it("break32a: a title after a label's colon keeps its first word when that word opens sentences (Please, Simply, Just)", () => {
    // Session 32's label-colon rule read the opener of "Please Please Me" as a sentence's Please, and politeness removed it.
    assert.equal(medium('Song: Please Please Me. Write a short review of it.'), 'Song: Please Please Me. Write a short review of it.');
    assert.equal(medium('Band: Simply Red. Write a short bio of the band.'), 'Band: Simply Red. Write a short bio of the band.');
    assert.equal(medium('Film: Just Go with It. Please review it.'), 'Film: Just Go with It. Review it.');
    // The single opener still goes, as session 32 made it (MetaGPT's write_code_review.py).
    assert.equal(medium('Language: Please use the same language as the user.'), 'Language: use same language as user.');
  });
});
