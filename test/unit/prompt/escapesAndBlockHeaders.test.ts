/**
 * Rewrites of literals holding a lone surrogate escape (`"\ud800"`) and of YAML block scalars
 * with an explicit indentation indicator (`|2`, `>-2`): the edit is applied when the form can
 * hold the text (the surrogate written back as its escape, the block at its real indentation),
 * and refused with a reason that says what is wrong and what to do when it cannot.
 */
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { loadYaml } from '../../../src/shared/prompt/scanner/parsers';
import { encodeLiteral, encodeLiteralContent } from '../../../src/shared/prompt/scanner/literalEncode';
import type { PromptLocation } from '../../../src/protocol/scan';

function onlyPrompt(src: string, fileName: string): PromptLocation {
  const found = findPrompts(src, undefined, { fileName });
  assert.equal(found.length, 1, `expected one prompt in ${fileName}, found ${found.length}`);
  return found[0];
}

/** Drops "very " from the prompt, an edit of its prose only, and plans it. */
function dropVery(src: string, fileName: string): { prompt: PromptLocation; verdict: ReturnType<typeof planLiteralEdit> } {
  const prompt = onlyPrompt(src, fileName);
  return { prompt, verdict: planLiteralEdit(src, prompt, prompt.text.replace('very ', ''), { fileName }) };
}

const PY_HEAD = 'from openai import OpenAI\nclient = OpenAI()\n';
const PY_CALL = 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
const TS_HEAD = 'import OpenAI from "openai";\nconst client = new OpenAI();\n';
const TS_CALL = 'client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM_PROMPT }] });\n';

describe('rewrites of a literal with a lone surrogate escape', () => {
  it('Python: the surrogate is written back as its escape (it was written as the character, which a UTF-8 file cannot hold)', () => {
    const src = `${PY_HEAD}SYSTEM_PROMPT = "You are a very helpful assistant. Mark unknown symbols with \\ud800 and answer with care."\n${PY_CALL}`;
    const { prompt, verdict } = dropVery(src, 'app.py');
    assert.equal(prompt.text, 'You are a very helpful assistant. Mark unknown symbols with \ud800 and answer with care.');
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited.split('\n')[2] : '', 'SYSTEM_PROMPT = "You are a helpful assistant. Mark unknown symbols with \\ud800 and answer with care."');
  });

  it('TypeScript string: applied with the escape (it was refused as "the file would have a new syntax error")', () => {
    const src = `${TS_HEAD}const SYSTEM_PROMPT = "You are a very helpful assistant. Mark unknown symbols with \\udc00 and answer with care.";\n${TS_CALL}`;
    const { verdict } = dropVery(src, 'app.ts');
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited.split('\n')[2] : '', 'const SYSTEM_PROMPT = "You are a helpful assistant. Mark unknown symbols with \\udc00 and answer with care.";');
  });

  it('TypeScript template literal: the lone half is escaped, a whole pair (an emoji) stays as written', () => {
    const src = `${TS_HEAD}const SYSTEM_PROMPT = \`You are a very helpful assistant 😀. Mark unknown symbols with \\ud83d and answer with care.\`;\n${TS_CALL}`;
    const { verdict } = dropVery(src, 'app.ts');
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited.split('\n')[2] : '', 'const SYSTEM_PROMPT = `You are a helpful assistant 😀. Mark unknown symbols with \\ud83d and answer with care.`;');
  });

  it('Python: a surrogate pair written as two escapes is refused with the reason (Python keeps two code points); \\U0001F600 is rewritten', () => {
    const src = `${PY_HEAD}SYSTEM_PROMPT = "You are a very helpful assistant. End every answer with \\ud83d\\ude00 and answer with care."\n${PY_CALL}`;
    const { verdict } = dropVery(src, 'app.py');
    assert.equal(verdict.ok, false);
    assert.equal(
      verdict.ok ? '' : verdict.reason,
      'The rewrite was not applied: the literal writes a surrogate pair as two escapes (\\ud83d\\ude00), which Python keeps as two code points and a rewrite would write as one character; put the character itself (or its \\U0001…… escape) in their place and run the command again.',
    );
    const one = dropVery(src.replace('\\ud83d\\ude00', '\\U0001F600'), 'app.py').verdict;
    assert.ok(one.ok, one.ok ? '' : one.reason);
    // The escape the rewrite does not touch is written back as it was (the smallest edit, session 40; before, re-encoded as 😀).
    assert.equal(one.ok ? one.edited.split('\n')[2] : '', 'SYSTEM_PROMPT = "You are a helpful assistant. End every answer with \\U0001F600 and answer with care."');
    // An escaped backslash before it is no escape: "\\ud83d\\ude00" is text, rewritten as written.
    const text = dropVery(src.replace('\\ud83d\\ude00', '\\\\ud83d\\\\ude00'), 'app.py').verdict;
    assert.ok(text.ok, text.ok ? '' : text.reason);
  });

  it('Python: a pair split over two adjacent literals ("…\\ud83d" "\\ude00…") is refused too (was written as one 😀, another string for Python)', () => {
    const src = `${PY_HEAD}SYSTEM_PROMPT = ("You are a very helpful assistant. End every answer with \\ud83d"\n    "\\ude00 and answer with care.")\n${PY_CALL}`;
    const { prompt, verdict } = dropVery(src, 'app.py');
    assert.equal(prompt.text, 'You are a very helpful assistant. End every answer with \ud83d\ude00 and answer with care.');
    assert.equal(
      verdict.ok ? verdict.edited : verdict.reason,
      'The rewrite was not applied: the literal writes a surrogate pair as two escapes (\\ud83d\\ude00), which Python keeps as two code points and a rewrite would write as one character; put the character itself (or its \\U0001…… escape) in their place and run the command again.',
    );
    // The same with +, and an edit that leaves both literals as written is applied.
    const plus = `${PY_HEAD}SYSTEM_PROMPT = "You are a helpful assistant. End each answer with \\ud83d" + "\\ude00" + " and answer with very much care."\n${PY_CALL}`;
    assert.equal(dropVery(plus.replace('a helpful', 'a very helpful'), 'app.py').verdict.ok, false);
    const kept = dropVery(plus, 'app.py').verdict;
    assert.equal(kept.ok ? kept.edited.split('\n')[2] : kept.reason, 'SYSTEM_PROMPT = "You are a helpful assistant. End each answer with \\ud83d" + "\\ude00" + " and answer with much care."');
  });
});

describe('encoding a lone surrogate', () => {
  it('each quoted form writes its escape; a raw Python string falls back to a plain one; JSON and YAML double quotes escape it too', () => {
    const py = { language: 'python', style: 'string', quote: '"', triple: false, prefix: '', raw: false, formatted: false } as const;
    assert.equal(encodeLiteralContent('a \ud800 b \udfff', py), 'a \\ud800 b \\udfff');
    assert.equal(encodeLiteralContent('pair \ud83d\ude00 kept', py), 'pair \ud83d\ude00 kept');
    assert.equal(encodeLiteral('a \ud800', { ...py, prefix: 'r', raw: true }), '"a \\ud800"');
    assert.equal(encodeLiteralContent('a \ud800 😀', { language: 'javascript', style: 'string', quote: "'" }), 'a \\ud800 😀');
    assert.equal(encodeLiteralContent('a \udc00 😀', { language: 'javascript', style: 'template', quote: '`' }), 'a \\udc00 😀');
    assert.equal(encodeLiteralContent('a \ud800', { language: 'json', style: 'jsonString', quote: '"' }), 'a \\ud800');
    assert.equal(encodeLiteralContent('a \ud800', { language: 'yaml', style: 'yamlDouble', quote: '"' }), 'a \\ud800');
  });
});

describe('rewrites of a YAML block scalar with an indentation indicator', () => {
  it('|2 whose first line starts with spaces of its own: written at the block\'s indentation, the spaces kept', () => {
    const src = 'system_prompt: |2\n    You are a very helpful assistant. Answer the user.\n  Be kind.\nother: 1\n';
    const { prompt, verdict } = dropVery(src, 'prompts.yaml');
    assert.equal(prompt.text, '  You are a very helpful assistant. Answer the user.\nBe kind.');
    assert.equal(prompt.quoting.indent, '  ');
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited : '', 'system_prompt: |2\n    You are a helpful assistant. Answer the user.\n  Be kind.\nother: 1\n');
    assert.deepEqual(loadYaml().parse(verdict.ok ? verdict.edited : ''), { system_prompt: '  You are a helpful assistant. Answer the user.\nBe kind.\n', other: 1 });
  });

  it('>-2 whose text keeps a line break: the words dropped in place, the block and its line break as written (was refused: a folded block re-encoded whole cannot keep a line break)', () => {
    const src = 'system_prompt: >-2\n    You are a very helpful assistant. Answer the user.\n  Be kind.\nother: 1\n';
    const { prompt, verdict } = dropVery(src, 'prompts.yaml');
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited : '', 'system_prompt: >-2\n    You are a helpful assistant. Answer the user.\n  Be kind.\nother: 1\n');
    assert.deepEqual(loadYaml().parse(verdict.ok ? verdict.edited : ''), { system_prompt: prompt.text.replace('very ', ''), other: 1 });
  });

  it('| without an indicator, a text that now starts with a space: refused, naming the indicator that would hold it', () => {
    const src = 'system_prompt: |\n  You are a very helpful assistant. Answer the user.\n  Be kind.\nother: 1\n';
    const prompt = onlyPrompt(src, 'prompts.yaml');
    const verdict = planLiteralEdit(src, prompt, `  ${prompt.text}`, { fileName: 'prompts.yaml' });
    assert.equal(
      verdict.ok ? '' : verdict.reason,
      'The rewrite was not applied: the new text cannot be written in this literal form (The text starts with a space, which a YAML literal block (|) reads as its indentation; add an indentation indicator to its header (|2 for two spaces) to keep it.).',
    );
  });
});
