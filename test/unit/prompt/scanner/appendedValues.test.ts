// Session 36, from newuser35 on langchain-ai/open-canvas (MIT, commit 0310cecd, test/fixtures/open-canvas/SOURCES.md):
// apps/agents/src/open-canvas/nodes/customAction.ts grows its prompt with `formattedPrompt += \`\n\n${reflectionsPrompt}\``;
// the lens and hover named each append as the whole statement. An append that only joins values (its own text is
// whitespace or punctuation) is named by those values; one with text of its own keeps the statement. Oracle: read by hand.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { composePrompt } from '../../../../src/shared/hints/composed';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { onlyInterpolations } from '../../../../src/shared/prompt/scanner/code';

const root = path.resolve(__dirname, '../../../../..');

describe('scanner: a += that only joins values is named by them', () => {
  it('onlyInterpolations: template literals and f-strings of separators and fields; anything else undefined', () => {
    assert.deepEqual(onlyInterpolations('`\\n\\n${reflectionsPrompt}`'), ['reflectionsPrompt']);
    assert.deepEqual(onlyInterpolations('`${a}\\n---\\n${b.c}`'), ['a', 'b.c']);
    assert.deepEqual(onlyInterpolations('f"\\n{history}"'), ['history']);
    assert.deepEqual(onlyInterpolations('f"{x!r:>10}\\n"'), ['x']);
    assert.deepEqual(onlyInterpolations('`${cond ? a : b}\\n`'), ['cond ? a : b']);
    assert.equal(onlyInterpolations('f"Context: {c}"'), undefined);
    assert.equal(onlyInterpolations('`text ${a}`'), undefined);
    assert.equal(onlyInterpolations('"\\n\\n" + x'), undefined);
    assert.equal(onlyInterpolations('f"{{literal}}\\n"'), undefined);
    assert.equal(onlyInterpolations('`\\n\\n`'), undefined);
    // (breakimp36) A nested format spec, a conversion before it, a spec after a subscript, a slice and a dict kept.
    // Before: 'x:{width}', 'x!r:{w}', and 'd["k"]:{w}'.
    assert.deepEqual(onlyInterpolations('f"{x:{width}}\\n"'), ['x']);
    assert.deepEqual(onlyInterpolations('f"{x!r:{w}}\\n{y!s}"'), ['x', 'y']);
    assert.deepEqual(onlyInterpolations("f\"{d['k']:{w}}\\n{items[1:3]}\\n{ {1: a}[k] }\\n{total = }\""), ["d['k']", 'items[1:3]', '{1: a}[k]', 'total']);
  });

  it('open-canvas customAction.ts: the user prompt names reflectionsPrompt and formattedConversationHistory, not the statements', () => {
    const text = readFileSync(path.join(root, 'test/fixtures/open-canvas/customAction.ts.txt'), 'utf8');
    const prompt = findPrompts(text, 'typescript', { fileName: 'customAction.ts' }).find((p) => p.range.start.line === 84);
    assert.ok(prompt);
    // Before: 'formattedPrompt += `\n\n${reflectionsPrompt}`', 'formattedPrompt += `\n\n${formattedConversationHistory}`', ….
    const values = composePrompt(prompt, text).runtimeValues;
    assert.deepEqual(values.slice(0, 3), ['customQuickAction.prompt', 'reflectionsPrompt', 'formattedConversationHistory']);
    assert.equal(values[3], 'CUSTOM_QUICK_ACTION_ARTIFACT_CONTENT_PROMPT.replace("{art…');
  });
});
