// breaker45 (session 45, issue 12 item 1): rewrites that never break code, tried on real code we did not make
// (camel-ai/camel, langchain-ai/opengpts, vercel/ai) and on hostile forms. Each finding names the input and what happened before.
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { OPERATIONS, describeOperation, oracleProblems, rewriteThroughEditorPath } from './rewritePath';

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

describe('breaker45 finding 3: a rewrite that swaps the sentences around two atoms of the same text swapped their meanings', () => {
  // An f-string holds `{name}` twice: once as text (`{{name}}`, decoded "{name}") and once as the live field. The atoms check
  // compares texts, so a rewrite that swaps the two sentences (a model's Optimize, or any rewrite the guard is handed) kept
  // "the atoms in order", and the guard wrote "Greet the user {{name}}" (text) and "the placeholder {name}" (the user's
  // name). The same holds for values given by position ("%s into %s"). Deleting and replacing words is still applied.
  const py = [
    'from openai import OpenAI',
    'client = OpenAI()',
    'def f(name):',
    '    system_prompt = f"You are a helpful assistant that writes templates. Write the placeholder {{name}} in the template here, exactly as shown. Then greet the user {name} warmly by name in the first line."',
    '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system_prompt}])',
    '',
  ].join('\n');
  const ts = [
    "import OpenAI from 'openai';",
    'const client = new OpenAI();',
    'export const f = (name: string) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: `You are a helpful assistant that writes templates. Write the placeholder \\${name} in the template here, exactly as shown. Then greet the user ${name} warmly by name in the first line.` }] });',
    '',
  ].join('\n');
  const swapped = (open: string) => `You are a helpful assistant that writes templates. Greet the user ${open}name} warmly by name in the first line. Then write the placeholder ${open}name} in the template here, exactly as shown.`;
  const why = (atom: string) => `it would move "write" across "${atom}", which the prompt holds more than once with different meanings (an interpolation and plain text, or a value given by position), so they would change places`;

  it('Python: the swap is refused (before: applied, with the live field in the other sentence)', () => {
    const prompt = onlyPrompt(py, 'p.py');
    const v = planLiteralEdit(py, prompt, swapped('{'), { fileName: 'p.py' });
    assert.equal(v.ok ? v.edited : v.why, why('{name}'));
  });

  it('TypeScript: the swap is refused', () => {
    const prompt = onlyPrompt(ts, 'p.ts');
    const v = planLiteralEdit(ts, prompt, swapped('${'), { fileName: 'p.ts' });
    assert.equal(v.ok ? v.edited : v.why, why('${name}'));
  });

  it('values given by position: "%s … %s" with the sentences swapped is refused', () => {
    const src = 'from openai import OpenAI\nclient = OpenAI()\ndef f(a, b):\n    prompt = "You are a careful translator. Translate the text %s from English. Write the result in the language %s only." % (a, b)\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])\n';
    const prompt = onlyPrompt(src, 'p.py');
    const v = planLiteralEdit(src, prompt, 'You are a careful translator. Write the result in the language %s only. Translate the text %s from English.', { fileName: 'p.py' });
    assert.ok(!v.ok && /^it would move "translate" across "%s", which the prompt holds more than once/.test(v.why), v.ok ? v.edited : v.why);
  });

  it('deleting and replacing words around them is applied, each occurrence in its place; every engine operation still applies', async () => {
    const prompt = onlyPrompt(py, 'p.py');
    const v = planLiteralEdit(py, prompt, prompt.text.replace('exactly as shown. ', '').replace(' warmly', ''), { fileName: 'p.py' });
    assert.ok(v.ok, v.ok ? '' : v.why);
    if (!v.ok) return;
    assert.ok(v.edited.includes('Write the placeholder {{name}} in the template here, Then greet the user {name} by name'), v.edited);
    for (const [source, fileName, language] of [[py, 'p.py', 'python'], [ts, 'p.ts', 'typescript']] as const) {
      const p = onlyPrompt(source, fileName);
      for (const op of OPERATIONS) {
        const outcome = await rewriteThroughEditorPath(source, { fileName }, p, op);
        assert.notEqual(outcome.status, 'refused', `${fileName} ${describeOperation(op)}: ${outcome.status === 'refused' ? outcome.reason : ''}`);
        if (outcome.status === 'applied') assert.deepEqual(oracleProblems(source, outcome.edited, language, p, outcome.newText), []);
      }
    }
  });
});
