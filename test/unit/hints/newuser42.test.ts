// New-user check of session 42 on stanford-oval/storm (a DSPy app, MIT; fixtures in
// test/fixtures/scan/SOURCES.md). DSPy sends a signature's docstring as its instructions through
// `inspect.cleandoc`: without the class body's indentation and the blank lines at the ends. The
// lens counted the docstring as written: storm's WritePageOutlineFromConv read 116 tokens, 108 are
// sent. Oracles: CPython 3's `inspect.cleandoc` (values computed with it and written here) and
// js-tiktoken's o200k_base encoder.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { stripIndentation } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

const root = path.resolve(__dirname, '../../../..');
const fixture = (rel: string): string => readFileSync(path.join(root, 'test/fixtures/scan', rel), 'utf8');

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
    const result = await hintsOf('python/storm_outline_generation.py');
    const hint = result.prompts.find((p) => p.location.text.includes('Improve an outline'));
    assert.ok(hint, 'the signature docstring is a prompt');
    assert.equal(count(hint.location.text), 116);
    assert.equal(hint.location.dedent, 'inspect.cleandoc');
    assert.equal(hint.cost.tokens.count, 108);
  });

  it("storm's WritePageOutline: counted cleaned too", async () => {
    const result = await hintsOf('python/storm_outline_generation.py');
    const hint = result.prompts.find((p) => p.location.text.includes('Write an outline for a Wikipedia page.'));
    assert.ok(hint);
    assert.notEqual(count(hint.location.text), count(OUTLINE));
    assert.equal(hint.cost.tokens.count, count(OUTLINE));
  });

  it("storm's GenPersona: a line at column 0 (from a \\n escape) keeps the margin at 0, and the closing line of spaces stays", async () => {
    const result = await hintsOf('python/storm_persona_generator.py');
    const hint = result.prompts.find((p) => p.location.text.startsWith('You need to select a group of Wikipedia editors'));
    assert.ok(hint);
    assert.equal(hint.location.dedent, 'inspect.cleandoc');
    assert.equal(hint.cost.tokens.count, count(GEN_PERSONA));
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
