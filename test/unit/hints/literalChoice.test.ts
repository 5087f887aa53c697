// Session 38 (fix38), newuser37's finding 5: instructions in a branch of a choice between literals (`${cond ? `…` : ''}`,
// `{"…" if cond else ""}`) were one runtime value named by the whole expression, so ~60 tokens of node-DeepResearch's
// answer requirements read as "no text of its own, only runtime values". Now the shorter branch is counted (the lower
// bound stays one) and the longer is counted apart (`withLongerBranches`). Session 46 (leftovers46): the condition is no
// runtime value (it inserts no text); the branches' own values are.
// Real files: jina-ai/node-DeepResearch 579fd95f (Apache-2.0, test/fixtures/node-deepresearch/SOURCES.md), ItzCrazyKns/Perplexica
// d7b020e5 (MIT, test/fixtures/perplexica/SOURCES.md), gptme/gptme d27f98d3 (MIT, test/fixtures/gptme/SOURCES.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composePrompt } from '../../../src/shared/hints/composed';
import { branchWork, literalChoice } from '../../../src/shared/hints/branches';
import { onlyRuntimeValues } from '../../../src/protocol/format';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { promptSpan } from '../../../src/protocol/scan';

const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures');
const fixture = (rel: string): string => readFileSync(join(FIXTURES, rel), 'utf8');

function promptAt(src: string, fileName: string, line: number) {
  const prompts = findPrompts(src, undefined, { fileName });
  const p = prompts.find((x) => promptSpan(x).start.line + 1 === line);
  assert.ok(p, `no prompt at line ${line}: ${prompts.map((x) => promptSpan(x).start.line + 1).join(', ')}`);
  return p;
}

describe('an interpolation choosing between literals counts its text (fix38)', () => {
  it("node-DeepResearch agent.ts composeMsgs: the answer requirements in `${finalAnswerPIP?.length ? `…` : ''}` are text; the branch's value is the runtime value, not the condition", () => {
    const src = fixture('node-deepresearch/agent.ts.txt');
    const composed = composePrompt(promptAt(src, 'agent.ts', 89), src);
    // Before fix38: runtimeValues [question, the whole ternary as written] and no withLongerBranches; before leftovers46 the
    // condition `finalAnswerPIP?.length` was named too.
    assert.deepEqual(composed.runtimeValues, ['question', "finalAnswerPIP.map((p, idx) => `\n<reviewer-${idx + 1}>\n${p}\n</reviewer-${idx + 1}>\n`).join('\\n')"]);
    // The lower bound takes the shorter branch, '': the message has no text of its own then.
    assert.equal(composed.counted, '');
    // The longer branch, as the source writes it (lines 92-102), its own interpolation left out; `.trim()` of the whole
    // (with `${question}` in place: the blank lines after it are sent).
    assert.equal(
      composed.withLongerBranches,
      [
        '',
        '',
        '',
        '<answer-requirements>',
        '- You provide deep, unexpected insights, identifying hidden patterns and connections, and creating "aha moments.".',
        '- You break conventional thinking, establish unique cross-disciplinary connections, and bring new perspectives to the user.',
        "- Follow reviewer's feedback and improve your answer quality.",
        '',
        '</answer-requirements>',
      ].join('\n'),
    );
    // So it is no "only runtime values" message: the lens and the scan show it.
    assert.equal(onlyRuntimeValues(0, composed.runtimeValues, 65), false);
    assert.equal(onlyRuntimeValues(0, composed.runtimeValues), true);
  });

  it('node-DeepResearch agent.ts getPrompt: the search action\'s "Avoid those unsuccessful search requests" (`${allKeywords?.length ? `…`.trim() : \'\'}`)', () => {
    const src = fixture('node-deepresearch/agent.ts.txt');
    // (The actions are a list joined into the system prompt that starts at line 127, counted in place there: leftovers47.)
    const composed = composePrompt(promptAt(src, 'agent.ts', 127), src);
    assert.ok(!composed.runtimeValues.includes('allKeywords?.length'), JSON.stringify(composed.runtimeValues));
    assert.ok(composed.runtimeValues.includes("allKeywords.join('\\n')"), JSON.stringify(composed.runtimeValues));
    assert.ok(!composed.runtimeValues.some((v) => v.includes('Avoid those')), JSON.stringify(composed.runtimeValues));
    assert.ok(!composed.counted.includes('Avoid those unsuccessful search requests and queries:'));
    // `.trim()` of the branch: its leading newline goes.
    assert.ok(composed.withLongerBranches?.includes('original question \n- Avoid those unsuccessful search requests and queries:\n<bad-requests>\n\n</bad-requests>\n</action-search>'), composed.withLongerBranches);
  });

  it("Perplexica writer.ts: the quality-mode line in `${mode === 'quality' ? \"…\" : ''}` (a double-quoted branch)", () => {
    const src = fixture('perplexica/writer.ts.txt');
    const composed = composePrompt(promptAt(src, 'writer.ts', 6), src);
    // Before fix38: the first runtime value was the whole ternary, its quoted paragraph included; before leftovers46, the condition.
    assert.deepEqual(composed.runtimeValues, ['systemInstructions', 'context', 'new Date().toISOString()']);
    assert.ok(!composed.counted.includes('QUALITY MODE'));
    assert.ok(composed.withLongerBranches?.includes('- YOU ARE CURRENTLY SET IN QUALITY MODE, GENERATE VERY DEEP, DETAILED AND COMPREHENSIVE RESPONSES USING THE FULL CONTEXT PROVIDED.'));
    assert.equal(composed.withLongerBranches?.replace(/- YOU ARE CURRENTLY SET IN QUALITY MODE[^\n]*/, ''), composed.counted);
  });

  it('gptme templates.py: `{"Use `<thinking>` tags to think before you answer." if use_thinking_tags else ""}` in an f-string', () => {
    const src = fixture('gptme/templates.py.txt');
    const composed = composePrompt(promptAt(src, 'templates.py', 246), src);
    assert.ok(!composed.runtimeValues.includes('use_thinking_tags'), JSON.stringify(composed.runtimeValues));
    assert.ok(!composed.runtimeValues.some((v) => v.includes('<thinking>')), JSON.stringify(composed.runtimeValues));
    // A branch that concatenates (`("Currently using model: " + model_meta.full) if model_meta else ""`) is no choice of literals: one runtime value, as before.
    assert.ok(composed.runtimeValues.includes('("Currently using model: " + model_meta.full) if model_meta else ""'), JSON.stringify(composed.runtimeValues));
    assert.ok(!composed.counted.includes('<thinking>'));
    assert.ok(composed.withLongerBranches?.endsWith('Use `<thinking>` tags to think before you answer.'), composed.withLongerBranches);
  });

  it('two non-empty branches: the shorter is counted, the longer apart; nested choices and strips', () => {
    assert.deepEqual(literalChoice("formal ? 'Answer formally, citing sources.' : `Answer.`", false), { conditions: ['formal'], branches: [{ text: 'Answer formally, citing sources.', values: [] }, { text: 'Answer.', values: [] }] });
    assert.deepEqual(literalChoice("a ? 'x' : b ? (`y ${z}`).trim() : ''", false), { conditions: ['a', 'b'], branches: [{ text: 'x', values: [] }, { text: 'y', values: ['z'] }, { text: '', values: [] }] });
    assert.deepEqual(literalChoice('f"Reply in {lang}." if lang else "Reply in English."', true), { conditions: ['lang'], branches: [{ text: 'Reply in .', values: ['lang'] }, { text: 'Reply in English.', values: [] }] });
    // Not a choice of literals: a name, a call, optional chaining and `??` only.
    assert.equal(literalChoice("a ? b : ''", false), undefined);
    assert.equal(literalChoice("a?.b ?? 'x'", false), undefined);
    assert.equal(literalChoice("a ? '' : ''", false), undefined);
    assert.equal(literalChoice('x if a else y', true), undefined);
    const src = "const system = `You are a support agent for the store. ${formal ? 'Answer formally, citing the order number and the policy.' : 'Answer briefly.'} Never promise refunds.`;\n";
    const p = findPrompts(src, undefined, { fileName: 'prompt.ts' })[0];
    const composed = composePrompt(p, src);
    assert.equal(composed.counted, 'You are a support agent for the store. Answer briefly. Never promise refunds.');
    assert.equal(composed.withLongerBranches, 'You are a support agent for the store. Answer formally, citing the order number and the policy. Never promise refunds.');
    assert.deepEqual(composed.runtimeValues, []);
  });

  it('a branch in thousands of parentheses is read in a linear number of steps (break38: one scan per pair, 18 KB took 2.2 s)', () => {
    for (const python of [false, true]) {
      const n = 4000;
      const branch = '('.repeat(n) + ' "Answer briefly." ' + ')'.repeat(n);
      const expr = python ? `${branch} if short else ""` : `short ? ${branch} : ''`;
      const before = branchWork.steps;
      const choice = literalChoice(expr, python);
      const steps = branchWork.steps - before;
      assert.deepEqual(choice?.branches.map((b) => b.text), python ? ['Answer briefly.', ''] : ['Answer briefly.', '']);
      // Peeling one pair per scan reads ~n^2 = 16 million characters; one scan for all of them, a few times the length.
      assert.ok(steps <= 10 * expr.length, `${python ? 'python' : 'javascript'}: ${steps} steps for ${expr.length} characters`);
    }
    // Parentheses that do not wrap the whole branch are kept: ("a") + ("b") is no literal.
    assert.equal(literalChoice('c ? ("a") + ("b") : ""', false), undefined);
    assert.deepEqual(literalChoice('c ? ( ("a") ) : ""', false)?.branches.map((b) => b.text), ['a', '']);
  });

  it('break38: the lower bound takes the branch with fewer tokens, not fewer characters (a Chinese branch against an English one)', () => {
    const src = 'const system = `You are a support agent for the store. ${lang === "zh" ? "请始终使用简体中文回答客户的问题" : "Always answer in plain English."} Never promise refunds.`;\n';
    const composed = composePrompt(findPrompts(src, undefined, { fileName: 'prompt.ts' })[0], src);
    // o200k_base: the Chinese branch (16 characters) is 10 tokens, the English one (31 characters) 6.
    assert.equal(composed.counted, 'You are a support agent for the store. Always answer in plain English. Never promise refunds.');
    assert.equal(composed.withLongerBranches, 'You are a support agent for the store. 请始终使用简体中文回答客户的问题 Never promise refunds.');
  });
});

