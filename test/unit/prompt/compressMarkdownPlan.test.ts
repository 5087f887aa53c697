/**
 * The markdown planners of the aggressive level (src/engine/prompt/compressMarkdown.ts) driven directly with a recording
 * plan, so each guard is seen without the layers around it (the protected-span mask, the example detector), which
 * otherwise hide a broken guard (mutation testing showed 84 surviving mutants with the compressor-level tests alone).
 * Expected edits are worked out by hand from the rule comments: a bullet and its spaces go; a heading's marker goes and a
 * colon ends the line.
 */
import * as assert from 'node:assert/strict';
import { compiledPack, type CompiledPack } from '../../../src/shared/prompt/languages';
import { planHeadingLabels, planListMarkers } from '../../../src/engine/prompt/compressMarkdown';
import type { RemovalKind } from '../../../src/protocol/prompt';

interface Recorded { kind: RemovalKind; start: number; end: number; replacement: string; soft: unknown }

class RecordingPlan {
  readonly edits: Recorded[] = [];
  undone = 0;
  constructor(private readonly refuse: (start: number, end: number) => boolean = () => false) {}
  tryEdit(): boolean {
    throw new Error('the markdown planners make exact edits only');
  }
  tryExact(kind: RemovalKind, start: number, end: number, replacement: string, soft?: boolean | 'unnegated'): boolean {
    if (this.refuse(start, end)) return false;
    this.edits.push({ kind, start, end, replacement, soft });
    return true;
  }
  atSentenceStart(): boolean {
    return false;
  }
  undoSince(count: number): void {
    this.undone += this.edits.length - count;
    this.edits.splice(count);
  }
}

function applied(text: string, edits: readonly Recorded[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  return out;
}

const en = compiledPack('en');
const lists = (text: string, pack: CompiledPack = en) => {
  const plan = new RecordingPlan();
  planListMarkers(plan, text, pack);
  return applied(text, plan.edits);
};
const headings = (text: string, pack: CompiledPack = en, refuse?: (start: number, end: number) => boolean) => {
  const plan = new RecordingPlan(refuse);
  planHeadingLabels(plan, text, pack);
  return { text: applied(text, plan.edits), plan };
};

describe('compressMarkdown planners, driven directly', () => {
  it('a bullet and the spaces after it go, as a soft exact "markdown" edit; indentation stays', () => {
    const plan = new RecordingPlan();
    planListMarkers(plan, 'Rules:\n  -   Keep it short.\n', en);
    assert.deepEqual(plan.edits, [{ kind: 'markdown', start: 9, end: 13, replacement: '', soft: true }]);
  });

  it('a list introduced by a line naming a template keeps its bullets: heading or colon line, any case, multi-word phrases', () => {
    assert.equal(lists('Follow this structure:\n- a\n- b'), 'Follow this structure:\n- a\n- b');
    assert.equal(lists('USE THIS FORMAT:\n- a'), 'USE THIS FORMAT:\n- a');
    assert.equal(lists('Answer as  follows:\n- a'), 'Answer as  follows:\n- a');
    assert.equal(lists('# Template\n- a'), '# Template\n- a');
    assert.equal(lists('Use this format:\n\n\n- a'), 'Use this format:\n\n\n- a');
    // The template word must be a whole word, and the line must end with a colon or be a heading.
    assert.equal(lists('Apply the formatting rules:\n- a'), 'Apply the formatting rules:\n- a'.replace('- a', 'a'));
    assert.equal(lists('Reformat:\n- a'), 'Reformat:\na');
    assert.equal(lists('This is the format\n- a'), 'This is the format\na');
    assert.equal(lists('#format:\n- a'), '#format:\n- a');
    assert.equal(lists('#template\n- a'), '#template\na');
  });

  it('a pack without template words treats no intro as a template', () => {
    const bare: CompiledPack = { ...en, templateWords: [] };
    assert.equal(lists('Use this format:\n- a', bare), 'Use this format:\na');
    assert.equal(lists('Rules:\n- a', bare), 'Rules:\na');
  });

  it('the block runs through blank and indented lines and ends at the first other line', () => {
    assert.equal(lists('Use this format:\n- a\n\n- b\n  more of b\n   \n- c\nThen:\n- d'), 'Use this format:\n- a\n\n- b\n  more of b\n   \n- c\nThen:\nd');
    assert.equal(lists('Steps:\n1. one\n- a\nUse this format:\n- b'), 'Steps:\n1. one\na\nUse this format:\n- b');
  });

  it('a bare lower-case key makes a YAML sequence; a sentence ending in a key word does not', () => {
    assert.equal(lists('depends_on:\n  - api\n  - db'), 'depends_on:\n  - api\n  - db');
    assert.equal(lists('Use these tags:\n- news'), 'Use these tags:\nnews');
    assert.equal(lists('Tags:\n- news'), 'Tags:\nnews');
  });

  it('a slot in the block keeps it; a slot outside the block does not', () => {
    assert.equal(lists('Rules:\n- a\n- {item}'), 'Rules:\n- a\n- {item}');
    assert.equal(lists('Fill [Name] later.\n\nRules:\n- a'), 'Fill [Name] later.\n\nRules:\na');
  });

  it('an item that would open with another marker keeps its bullet', () => {
    assert.equal(lists('Rules:\n- # x\n- > y\n- 2) z\n- 12 apples'), 'Rules:\n- # x\n- > y\n- 2) z\n12 apples');
  });

  it('a section heading becomes a label: marker (after indentation) removed, colon inserted, soft exact edits', () => {
    const { text, plan } = headings('Intro.\n  # Steps\nRead.');
    assert.equal(text, 'Intro.\n  Steps:\nRead.');
    assert.deepEqual(plan.edits, [
      { kind: 'markdown', start: 9, end: 11, replacement: '', soft: true },
      { kind: 'markdown', start: 16, end: 16, replacement: ':', soft: true },
    ]);
  });

  it('closing hashes go with the colon written in their place; a heading ending in a colon gets none', () => {
    assert.equal(headings('## Steps ##\nRead.').text, 'Steps:\nRead.');
    assert.equal(headings('## INPUT: ##\nx').text, 'INPUT:\nx');
    assert.equal(headings('# INPUT:\nx').text, 'INPUT:\nx');
  });

  it('headings with a word outside the section words, punctuation, no words, or a template name keep their markers', () => {
    for (const t of ['# Steps and notes\nx', '# Steps!\nx', '# ...\nx', '# Examples\nx']) {
      assert.deepEqual(headings(t).plan.edits, [], t);
    }
    assert.equal(headings('# Output\nx').text, 'Output:\nx');
    assert.equal(headings('# Output\n\n# Steps\nx').text, '# Output\n\nSteps:\nx');
  });

  it('when the colon cannot be written the marker edit is undone', () => {
    const { text, plan } = headings('# Steps\nx', en, (start, end) => start === end);
    assert.equal(text, '# Steps\nx');
    assert.equal(plan.undone, 1);
    assert.deepEqual(plan.edits, []);
    const closing = headings('## Steps ##\nx', en, (start) => start > 2);
    assert.equal(closing.text, '## Steps ##\nx');
    assert.equal(closing.plan.undone, 1);
  });

  it('a pack without section words changes no heading', () => {
    assert.equal(headings('# Steps\nx', { ...en, sectionHeadingWords: new Set() }).text, '# Steps\nx');
  });
});
