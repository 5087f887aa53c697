// A comment inside a `+` chain of literals (break34). Lezer keeps comments in the syntax tree, so in
// `"a" + // why\n "b" + 'c'` the operator's next sibling was the comment: the chain read as mixed with a runtime value,
// its first literals were lost, and its last literal was reported twice at the same place (two lenses, every finding
// in it twice). Oracle: the literals of each chain, read by hand; the rewrite is checked by rewritePath's oracle.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { oracleProblems, rewriteThroughEditorPath } from '../rewritePath';

const A = '"You are a very helpful assistant. Please make sure that you basically "';
const B = '`answer the question in order to help the user. `';
const C = "'It is important to note that you must really be kind.'";
const TEXT = 'You are a very helpful assistant. Please make sure that you basically answer the question in order to help the user. It is important to note that you must really be kind.';

describe('scanner: comments inside a + chain of literals', () => {
  for (const [name, fileName, source] of [
    ['a line comment before an operand', 'a.ts', `const systemPrompt = ${A} +\n  // why ' " \`\n  ${B} +\n  ${C};\n`],
    ['a line comment after the operator', 'a.js', `const systemPrompt = ${A} + // why\n  ${B} +\n  ${C};\n`],
    ['a block comment between operator and operand', 'a.ts', `const systemPrompt = ${A} + /* c + "x" */ ${B} + ${C};\n`],
    ['a line comment before the last operand', 'a.ts', `const systemPrompt = ${A} +\n  ${B} +\n  // why\n  ${C};\n`],
    ['comments inside parentheses', 'a.ts', `const systemPrompt = ( // open\n  ${A} + ( /* in */ ${B} ) // x\n  + ${C} );\n`],
    ['Python comments after the operators', 'a.py', `system_prompt = (${A} +  # c\n  "answer the question in order to help the user. " +  # d\n  # e\n  ${C})\n`],
  ] as const) {
    it(`${name}: one prompt, all three literals`, () => {
      const found = findPrompts(source, undefined, { fileName });
      assert.deepEqual(found.map((p) => [p.text, p.segments.length, p.pieces?.length]), [[TEXT, 3, undefined]]);
    });
  }

  it('compress through the editor path rewrites each literal in place and leaves the comments as written', async () => {
    const source = `const systemPrompt = ${A} +\n  // why ' " \`\n  ${B} +\n  ${C};\n`;
    const [prompt] = findPrompts(source, undefined, { fileName: 'a.ts' });
    const outcome = await rewriteThroughEditorPath(source, { fileName: 'a.ts' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied');
    if (outcome.status !== 'applied') return;
    assert.equal(outcome.edited, "const systemPrompt = \"You're a very helpful assistant. Answer \" +\n  // why ' \" `\n  `the question to help the user. ` +\n  'You must really be kind.';\n");
    assert.deepEqual(oracleProblems(source, outcome.edited, 'typescript', prompt, outcome.newText), []);
  });
});
