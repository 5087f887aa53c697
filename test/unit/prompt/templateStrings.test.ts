/**
 * Python 3.14 template strings (PEP 750: `t"…{x}…"`, `rt"…"`, `tr'…'`, triple-quoted forms).
 * Lezer's Python grammar knows the f-string prefixes but not `t`: it read `t"…"` as the name
 * `t` and a plain string after a syntax error, so the scanner missed the prompt and its `{…}`
 * fields were prose to every rewrite. The parser now reads a t-string as an f-string at the
 * same offsets (scanner/parsers.ts), so its fields (conversions and format specs included)
 * are atoms exactly like an f-string's, and the rewrite guard refuses any edit that changes them.
 */
import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../src/shared/prompt/scanner/incremental';
import { pythonParseText } from '../../../src/shared/prompt/scanner/parsers';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import type { PromptLocation } from '../../../src/protocol/scan';
import { describeOperation, OPERATIONS, oracleProblems, rewriteThroughEditorPath } from './rewritePath';

function fileWith(literal: string): string {
  return [
    'from openai import OpenAI',
    'from string.templatelib import Template',
    'client = OpenAI()',
    'def answer(question, persona, width, lang):',
    `    system_prompt = ${literal}`,
    '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": render(system_prompt)}, {"role": "user", "content": question}])',
    '',
  ].join('\n');
}

function onlyPrompt(src: string): PromptLocation {
  const found = findPrompts(src, undefined, { fileName: 'app.py' });
  assert.equal(found.length, 1, `expected one prompt, found ${found.length}: ${found.map((p) => p.text).join(' | ')}`);
  return found[0];
}

const BODY = 'You are {persona}. Please answer {question!r:>{width}} in {lang}, and show {{braces}} as they are.';

describe('Python template strings (PEP 750)', () => {
  it('pythonParseText writes each t-string prefix as the f-string prefix of the same length (and a t before a quote in a comment, a letter the parse does not read)', () => {
    const src = 'a = t"x" + T\'y\' + rt"z" + tR"""w""" + Rt\'v\' + TR"u"\nb = part"" if ft else bt"q"\n# don\'t"\nc = "it"';
    assert.equal(pythonParseText(src), 'a = f"x" + F\'y\' + rf"z" + fR"""w""" + Rf\'v\' + FR"u"\nb = part"" if ft else bt"q"\n# don\'f"\nc = "it"');
    assert.equal(pythonParseText(src).length, src.length);
  });

  for (const [prefix, quote] of [['t', '"'], ['T', "'"], ['rt', '"'], ['tr', "'"], ['Rt', '"""'], ['tR', "'''"], ['t', '"""']] as const) {
    it(`the scanner finds a ${prefix}${quote}…${quote} prompt with its fields live, as the same f-string`, () => {
      const p = onlyPrompt(fileWith(`${prefix}${quote}${BODY}${quote}`));
      const f = onlyPrompt(fileWith(`${prefix.replace(/t/, 'f').replace(/T/, 'F')}${quote}${BODY}${quote}`));
      assert.equal(p.text, 'You are {persona}. Please answer {question!r:>{width}} in {lang}, and show {braces} as they are.');
      assert.deepEqual(
        p.placeholders.filter((x) => x.interpolated).map((x) => p.text.slice(x.start, x.end)),
        ['{persona}', '{question!r:>{width}}', '{lang}'],
      );
      assert.equal(p.quoting.prefix, prefix);
      assert.equal(p.quoting.formatted, true);
      assert.equal(p.kind, 'system');
      assert.equal(p.boundName, 'system_prompt');
      assert.equal(p.text, f.text);
      assert.deepEqual(p.placeholders, f.placeholders);
      assert.deepEqual(p.range, f.range);
    });
  }

  const src = fileWith(`t"${BODY}"`);
  it('the guard refuses an edit that drops, changes, reorders or adds a t-string field', () => {
    const p = onlyPrompt(src);
    const cases: Array<[string, RegExp]> = [
      ['You are {persona}. Please answer in {lang}, and show {braces} as they are.', /remove or change "\{question!r:>\{width\}\}"/],
      ['You are {persona}. Please answer {question!s:>{width}} in {lang}, and show {braces} as they are.', /remove or change/],
      ['You are {persona}. Please answer {question!r:<{width}} in {lang}, and show {braces} as they are.', /remove or change/],
      ['You are {persona}. Please answer {question!r} in {lang}, and show {braces} as they are.', /remove or change/],
      ['Please answer {question!r:>{width}} in {lang}. You are {persona}. Show {braces} as they are.', /order/],
      ['You are {persona}. Please answer {question!r:>{width}} in {lang} {extra}, and show {braces} as they are.', /add "\{extra\}"/],
    ];
    for (const [text, why] of cases) {
      const v = planLiteralEdit(src, p, text, { fileName: 'app.py' });
      assert.equal(v.ok, false, text);
      assert.match(v.ok ? '' : v.reason, why, text);
    }
    const ok = planLiteralEdit(src, p, 'Be {persona}. Answer {question!r:>{width}} in {lang}; show {braces} as they are.', { fileName: 'app.py' });
    assert.ok(ok.ok, ok.ok ? '' : ok.reason);
    assert.equal(ok.ok ? ok.edited.split('\n')[4] : '', '    system_prompt = t"Be {persona}. Answer {question!r:>{width}} in {lang}; show {{braces}} as they are."');
  });

  it('an implicit concatenation of t-strings keeps each literal and its fields', () => {
    const concat = fileWith('(t"You are a very helpful assistant for {persona}. " t"Please answer {question!r} in {lang:>{width}}.")');
    const p = onlyPrompt(concat);
    assert.equal(p.segments.length, 2);
    const v = planLiteralEdit(concat, p, p.text.replace('You are a very helpful assistant', 'You are an assistant'), { fileName: 'app.py' });
    assert.ok(v.ok, v.ok ? '' : v.reason);
    assert.equal(v.ok ? v.edited.split('\n')[4] : '', '    system_prompt = (t"You are an assistant for {persona}. " t"Please answer {question!r} in {lang:>{width}}.")');
    assert.equal(planLiteralEdit(concat, p, p.text.replace('{question!r}', '{question}'), { fileName: 'app.py' }).ok, false);
  });

  const wordy = fileWith(
    'rt"""You are a very helpful assistant for {persona}. Basically, you should really just answer {question!r:>{width}} in {lang}.\nIn order to answer, please make sure to read the context carefully.\nIt is important to note that the answer must be short, and report {score:.2f} at the end."""',
  ).replace('width, lang', 'width, lang, score');
  for (const op of OPERATIONS) {
    it(`${describeOperation(op)} on a raw triple-quoted t-string is applied and keeps every field exactly`, async () => {
      const p = onlyPrompt(wordy);
      const outcome = await rewriteThroughEditorPath(wordy, { fileName: 'app.py' }, p, op);
      assert.equal(outcome.status, 'applied', outcome.status === 'refused' ? outcome.reason : '');
      if (outcome.status !== 'applied') return;
      assert.deepEqual(oracleProblems(wordy, outcome.edited, 'python', p, outcome.newText), []);
      const start = outcome.edited.indexOf('system_prompt = rt"""') + 'system_prompt = rt"""'.length;
      const literal = outcome.edited.slice(start, outcome.edited.indexOf('"""', start));
      assert.deepEqual(literal.match(/\{[^{}]*(?:\{[^{}]*\}[^{}]*)?\}/g), ['{persona}', '{question!r:>{width}}', '{lang}', '{score:.2f}']);
    });
  }

  it('typing the t before a literal makes it a t-string prompt in an incremental scan, as in a full one; deleting it undoes it', () => {
    const scanner = new IncrementalPromptScanner();
    const plain = fileWith(`"${BODY}"`);
    const key = 'file:///app.py';
    const view = (ps: PromptLocation[]): string[] => ps.map((p) => `${p.range.start.offset} ${p.quoting.prefix ?? ''} ${JSON.stringify(p.placeholders.filter((x) => x.interpolated).map((x) => p.text.slice(x.start, x.end)))}`);
    const steps = [plain, src, plain, src.replace('system_prompt = t"', 'system_prompt = at"'), src];
    for (const text of steps) {
      const incremental = scanner.scan(key, text, 'python', { fileName: 'app.py' });
      assert.deepEqual(view(incremental), view(findPrompts(text, 'python', { fileName: 'app.py' })), text.split('\n')[4]);
    }
    assert.deepEqual(view(scanner.scan(key, src, 'python', { fileName: 'app.py' })), ['148 t ["{persona}","{question!r:>{width}}","{lang}"]']);
  });
});
