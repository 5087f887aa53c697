// New-user check of session 42 on stanford-oval/storm (a DSPy app, MIT; fixtures in
// test/fixtures/hints-real/SOURCES.md and test/fixtures/scan/SOURCES.md). DSPy sends a signature's docstring as its instructions through
// `inspect.cleandoc`: without the class body's indentation and the blank lines at the ends. The
// lens counted the docstring as written: storm's WritePageOutlineFromConv read 116 tokens, 108 are
// sent. Oracles: CPython 3's `inspect.cleandoc` (values computed with it and written here) and
// js-tiktoken's o200k_base encoder.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { stripIndentation, writtenOffsetOf } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { listScanFiles } from '../../../src/shared/prompt/scanner/scanFiles';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, rel.startsWith('python/') ? 'test/fixtures/scan' : 'test/fixtures/hints-real', rel), 'utf8');

// CPython 3: inspect.cleandoc(WritePageOutlineFromConv.__doc__) and inspect.cleandoc(WritePageOutline.__doc__).
const OUTLINE_FORMAT =
  'Here is the format of your writing:\n1. Use "#" Title" to indicate section title, "##" Title" to indicate subsection title, "###" Title" to indicate subsubsection title, and so on.\n2. Do not include other information.\n3. Do not include topic name itself in the outline.';
const FROM_CONV = `Improve an outline for a Wikipedia page. You already have a draft outline that covers the general information. Now you want to improve it based on the information learned from an information-seeking conversation to make it more informative.\n${OUTLINE_FORMAT}`;
const OUTLINE = `Write an outline for a Wikipedia page.\n${OUTLINE_FORMAT}`;
// CPython 3: inspect.cleandoc(GenPersona.__doc__), the docstring as written: its `\n` escapes start lines at column 0.
const GEN_PERSONA =
  'You need to select a group of Wikipedia editors who will work together to create a comprehensive article on the topic. Each of them represents a different perspective, role, or affiliation related to this topic. You can use other Wikipedia pages of related topics for inspiration. For each editor, add a description of what they will focus on.\n    Give your answer in the following format: 1. short summary of editor 1: description\n2. short summary of editor 2: description\n...\n    ';

describe('newuser42: a DSPy signature docstring is counted as DSPy sends it (inspect.cleandoc)', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const hintsOf = (rel: string) =>
    service.compute({ text: fixture(rel), languageId: 'python', fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });

  it("storm's WritePageOutlineFromConv: 108 tokens sent, not the 116 of the docstring as written", async () => {
    assert.equal(count(FROM_CONV), 108);
    const result = await hintsOf('storm_outline_generation.py');
    const hint = result.prompts.find((p) => p.location.text.includes('Improve an outline'));
    assert.ok(hint, 'the signature docstring is a prompt');
    assert.equal(count(hint.location.text), 116);
    // The docstring is the first piece of the signature's prompt (its fields are the others), counted cleaned.
    assert.deepEqual(hint.location.joined?.elements[0], { piece: 0, dedent: 'inspect.cleandoc' });
    assert.equal(hint.pieces?.[0]?.tokens, 108);
  });

  it("storm's WritePageOutline: counted cleaned too", async () => {
    const result = await hintsOf('storm_outline_generation.py');
    const hint = result.prompts.find((p) => p.location.text.includes('Write an outline for a Wikipedia page.'));
    assert.ok(hint);
    assert.notEqual(count(hint.location.text), count(OUTLINE));
    assert.equal(hint.pieces?.[0]?.tokens, count(OUTLINE));
  });

  it("storm's GenPersona: a line at column 0 (from a \\n escape) keeps the margin at 0, and the closing line of spaces stays", async () => {
    const result = await hintsOf('python/storm_persona_generator.py');
    const hint = result.prompts.find((p) => p.location.text.startsWith('You need to select a group of Wikipedia editors'));
    assert.ok(hint);
    assert.equal(hint.pieces?.[0]?.tokens, count(GEN_PERSONA));
  });

  it('stripIndentation(…, "inspect.cleandoc") matches CPython on edge cases', () => {
    // Values from CPython 3's inspect.cleandoc.
    assert.equal(stripIndentation('\n    Line one.\n\tTabbed.\n      More.\n    \n', 'inspect.cleandoc'), 'Line one.\n    Tabbed.\n  More.');
    assert.equal(stripIndentation('   First.\n  a\n    b\n\n', 'inspect.cleandoc'), 'First.\na\n  b');
    assert.equal(stripIndentation('Only.', 'inspect.cleandoc'), 'Only.');
    assert.equal(stripIndentation('\n\n  \n', 'inspect.cleandoc'), '  ');
    assert.equal(stripIndentation('x\n\t  y\n        z', 'inspect.cleandoc'), 'x\n  y\nz');
  });
});

// stanford-oval/storm's grounded_question_generation.py: three DSPy signatures. For each, CPython's ast gave the
// docstring (cleaned with inspect.cleandoc) and every `prefix=`/`desc=` text of its fields, in order, with an empty line
// where DSPy puts an input field's value: what DSPy 2.4 sends of the signature, less its own format lines and the second
// copy of each label (so the count is a lower bound).
const SIGNATURES = [
  { name: "KnowledgeBaseSummmary", classLine: 23, lines: ["Your job is to give brief summary of what's been discussed in a roundtable conversation. Contents are themantically organized into hierarchical sections.\nYou will be presented with these sections where \"#\" denotes level of section.", "topic: ", "", "Tree structure: \n", "", "Now give brief summary:\n"], inputs: ["topic", "structure"], fieldTexts: 3 },
  { name: "ConvertUtteranceStyle", classLine: 33, lines: ["You are an invited speaker in the round table conversation.\nYour task is to make the question or the response more conversational and engaging to facilicate the flow of conversation.\nNote that this is ongoing conversation so no need to have welcoming and concluding words. Previous speaker utterance is provided only for making the conversation more natural.\nNote that do not hallucinate and keep the citation index like [1] as it is. Also,", "You are inivited as: ", "", "You want to contribute to conversation by: ", "", "Previous speaker said: ", "", "Question or response you want to say: ", "", "Your utterance (keep the information as much as you can with citations, prefer shorter answers without loss of information): "], inputs: ["expert", "action", "prev", "content"], fieldTexts: 5 },
  { name: "GroundedQuestionGeneration", classLine: 55, lines: ["Your job is to find next discussion focus in a roundtable conversation. You will be given previous conversation summary and some information that might assist you discover new discussion focus.\nNote that the new discussion focus should bring new angle and perspective to the discussion and avoid repetition. The new discussion focus should be grounded on the available information and push the boundaries of the current discussion for broader exploration.\nThe new discussion focus should have natural flow from last utterance in the conversation.\nUse [1][2] in line to ground your question.", "topic: ", "", "Discussion history: \n", "", "Available information: \n", "", "Last utterance in the conversation: \n", "", "Now give next discussion focus in the format of one sentence question:\n"], inputs: ["topic", "summary", "information", "last_utterance"], fieldTexts: 5 },
];

describe('newuser42: a DSPy signature is one prompt, its docstring composed with its fields', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const rel = 'storm_grounded_question_generation.py';

  it('one lens per signature, none on a field label; the count is the docstring and the field texts, the input fields runtime values', async () => {
    const result = await service.compute({ text: fixture(rel), languageId: 'python', fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    // Before: 3 docstrings and 4 of the 14 field labels ("You are inivited as:", not "Previous speaker said:"), 7 lenses.
    assert.equal(result.prompts.length, SIGNATURES.length);
    for (const [i, s] of SIGNATURES.entries()) {
      const hint = result.prompts[i];
      assert.equal(hint.location.range.start.line + 1, s.classLine + 1, s.name);
      assert.equal(hint.location.pieces?.length ?? 1, 1 + s.fieldTexts, s.name);
      assert.equal(hint.cost.tokens.count, count(s.lines.join('\n')), s.name);
      assert.deepEqual(hint.runtimeValues, s.inputs, s.name);
    }
  });

  it('prompt scan reports the same three prompts', () => {
    const found = findPrompts(fixture(rel), 'python', { fileName: rel });
    assert.deepEqual(found.map((p) => p.range.start.line + 1), SIGNATURES.map((s) => s.classLine + 1));
  });
});

describe('newuser42: a model the file sets in several places is named where the prompt\'s function sets it', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());

  it("storm's utils.py: each appropriateness check's prompt names its own LitellmModel line (716, 771), not the last one", async () => {
    const rel = 'storm_utils.py';
    const text = fixture(rel);
    // Lines read off the file: each check builds `LitellmModel(model="azure/gpt-4o-mini", …)` and then its own prompt.
    const lines = text.split('\n');
    assert.match(lines[715], /model="azure\/gpt-4o-mini"/);
    assert.match(lines[770], /model="azure\/gpt-4o-mini"/);
    const result = await service.compute({ text, languageId: 'python', fileName: rel, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const checks = result.prompts.filter((p) => p.location.boundName === 'prompt');
    assert.deepEqual(checks.map((p) => p.location.range.start.line + 1), [728, 777]);
    assert.deepEqual(checks.map((p) => p.model), ['azure/gpt-4o-mini', 'azure/gpt-4o-mini']);
    assert.deepEqual(checks.map((p) => /line (\d+)$/.exec(p.modelVia ?? '')?.[1]), ['716', '771']);
  });
});

describe('newuser42: a suggestion in a dedented piece is placed on its own line in the Analyze panel', () => {
  it('writtenOffsetOf finds a character of the counted text in the text as written', () => {
    // storm's ConvertUtteranceStyle docstring as written (4-space indent, a blank first line) and as inspect.cleandoc gives it.
    const written = '\n    You are an invited speaker.\n    Your task is to make it engaging.\n    Note that this is ongoing.\n    ';
    const counted = stripIndentation(written, 'inspect.cleandoc');
    assert.equal(counted, 'You are an invited speaker.\nYour task is to make it engaging.\nNote that this is ongoing.');
    for (const needle of ['You are', 'Your task', 'Note that', 'ongoing.']) {
      const at = writtenOffsetOf(counted, written, counted.indexOf(needle));
      assert.equal(at, written.indexOf(needle), needle);
    }
    // The line the panel shows: before, every offset of the piece went to its first line (the opening quotes).
    const line = (s: string, at: number): number => s.slice(0, at).split('\n').length;
    assert.equal(line(written, writtenOffsetOf(counted, written, counted.indexOf('Note that')) ?? 0), 4);
    // Runtime values left out: the text around them is still found.
    assert.equal(writtenOffsetOf('Topic: \nAnswer:', 'Topic: {topic}\nAnswer:', 8), 15);
    // A text that is not what is left of the written one (a tab expanded): no offset, the caller falls back.
    assert.equal(writtenOffsetOf('a       b', 'a\tb', 8), undefined);
  });
});

describe('newuser42: prompt scan of a folder named by an absolute path outside the working directory', () => {
  it('prints its files whole, not as ../../../tmp/…; a folder inside the working directory still prints relative', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nu42-'));
    try {
      writeFileSync(path.join(dir, 'agent.py'), 'x = 1\n');
      assert.ok(path.relative(process.cwd(), dir).startsWith('..'), 'the temporary folder is outside the working directory');
      assert.deepEqual(listScanFiles([dir]), [{ file: path.join(dir, 'agent.py'), display: path.join(dir, 'agent.py') }]);
      const inside = path.join(root, 'test/fixtures/hints-real');
      const shown = listScanFiles([inside]).find((f) => f.file.endsWith('storm_utils.py'));
      assert.equal(shown?.display, path.relative(process.cwd(), shown?.file ?? ''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
