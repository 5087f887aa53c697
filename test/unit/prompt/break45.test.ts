// breaker45 (session 45, issue 12 item 1): rewrites that never break code, tried on real code we did not make
// (camel-ai/camel, langchain-ai/opengpts, vercel/ai) and on hostile forms. Each finding names the input and what happened before.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { oracleProblems, rewriteThroughEditorPath } from './rewritePath';

/** The one prompt `findPrompts` reads in `source` (a file named `fileName`). */
function onlyPrompt(source: string, fileName: string) {
  const prompts = findPrompts(source, undefined, { fileName });
  assert.equal(prompts.length, 1, `prompts found: ${prompts.map((p) => JSON.stringify(p.text.slice(0, 40))).join(', ')}`);
  return prompts[0];
}

describe('breaker45 finding 1: the rewrite oracle (rewritePath.ts) called sound edits of a string continued over a CRLF line break broken', () => {
  // A one-line string continued with a backslash on a Windows (CRLF) file. Lezer's grammars read the backslash as escaping the
  // CR alone, so both trees the oracle compared ended the string at the LF and read the rest of it as code; compress dropping
  // "basically " (CPython's ast and the TypeScript compiler read the edited literal as the new text) was reported as changing
  // the code outside the literal, and scripts/real-repo-check.mjs exited 1 on it.
  const py = [
    'from openai import OpenAI',
    '',
    'client = OpenAI()',
    'prompt = "You are basically a really helpful assistant. Please, in order to help the user, \\',
    'kindly answer the question really carefully and make sure that you respond in order to be very helpful."',
    'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])',
    '',
  ].join('\r\n');
  const js = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    "const prompt = 'You are basically a really helpful assistant. Please, in order to help the user, \\",
    "kindly answer the question really carefully and make sure that you respond in order to be very helpful.';",
    "client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: prompt }] });",
    '',
  ].join('\r\n');

  for (const [language, source, fileName] of [['python', py, 'p.py'], ['javascript', js, 'p.js']] as const) {
    it(`${language}: compress medium is applied and the oracle finds no problem`, async () => {
      const prompt = onlyPrompt(source, fileName);
      const outcome = await rewriteThroughEditorPath(source, { fileName }, prompt, { kind: 'compress', level: 'medium' });
      assert.equal(outcome.status, 'applied');
      if (outcome.status !== 'applied') return;
      assert.ok(!outcome.newText.includes('basically'));
      assert.ok(outcome.edited.includes('\\\r\nkindly') || !outcome.edited.includes('kindly'), 'the continuation is kept as written');
      assert.deepEqual(oracleProblems(source, outcome.edited, language, prompt, outcome.newText), []);
    });

    it(`${language}: the oracle still reports a change of the code after the literal`, () => {
      const prompt = onlyPrompt(source, fileName);
      const newText = prompt.text.replace('basically ', '');
      const edited = source.replace('basically ', '');
      assert.deepEqual(oracleProblems(source, edited, language, prompt, newText), []);
      const changedCode = edited.replace("'gpt-4o'", "'gpt-4'").replace('"gpt-4o"', '"gpt-4"');
      assert.ok(oracleProblems(source, changedCode, language, prompt, newText).includes('the code outside the literal parses differently'));
    });
  }
});

describe('breaker45 finding 2: a template literal written again whole got raw control characters in the source', () => {
  // A template literal prompt with escaped control characters. A rewrite that puts a digit right after "\0" cannot keep the
  // escape (`\01` is a syntax error in a template), so the guard writes the literal again whole; that wrote a raw NUL (and
  // ESC) into the file: valid JavaScript, but git then takes the file for binary and the editor shows nothing there. A
  // quoted string gets "\x00" (escapeChars); now a template literal does too.
  const ts = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    'export const ask = (topic: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: `You are a helpful assistant for ${topic}. Mark headings as \\x1b[1mHeading\\x1b[0m and separate records with \\0 1 as a marker, always.` }] });',
    '',
  ].join('\n');

  it('"\\0 1" → "\\0" + "1": applied, the literal reads back as the new text, and the file holds no raw control character', () => {
    const prompt = onlyPrompt(ts, 'p.ts');
    const newText = prompt.text.replace('\u0000 1', '\u00001');
    const v = planLiteralEdit(ts, prompt, newText, { fileName: 'p.ts' });
    assert.ok(v.ok, v.ok ? '' : v.reason);
    if (!v.ok) return;
    assert.deepEqual([...v.edited].filter((c) => c < ' ' && c !== '\n').map((c) => c.charCodeAt(0)), []);
    assert.ok(v.edited.includes('\\x001 as a marker'), v.edit.text);
    assert.deepEqual(oracleProblems(ts, v.edited, 'typescript', prompt, newText), []);
  });
});
