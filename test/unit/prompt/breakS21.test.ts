/**
 * Findings of the session-21 adversarial pass on rewrites of prompts in real code (issue 12,
 * item 1). Each case failed on main at ec9ca85. Expected values come from CPython 3.11
 * (`ast.literal_eval` / `ast.parse` of the same source) and the TypeScript compiler's parser,
 * not from the code under test.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { encodeEdit } from '../../../src/shared/prompt/rewriteGuard';
import { OPERATIONS, describeOperation, rewriteThroughEditorPath } from './rewritePath';

describe('break s21: Python literals in files with CRLF line endings', () => {
  // A Windows-edited file: every line ends in CR LF, the prompt is triple-quoted.
  const SRC = 'SYSTEM_PROMPT = """Please kindly answer in order to basically help.\r\nI would really like that.\r\n\r\nBasically be very concise.\r\n"""\r\n';
  const FSRC = 'x = 1\r\nSYSTEM_PROMPT = f"""Please kindly answer {x!r} in order to basically help.\r\nI would really like that.\r\n"""\r\n';

  it('decodes the prompt as Python reads it: the line breaks are LF (CPython ast.literal_eval)', () => {
    const [p] = findPrompts(SRC, undefined, { fileName: 'crlf.py' });
    assert.equal(p.text, 'Please kindly answer in order to basically help.\nI would really like that.\n\nBasically be very concise.\n');
    const [f] = findPrompts(FSRC, undefined, { fileName: 'crlf.py' });
    // CPython's ast: Constant('Please kindly answer '), FormattedValue(x, 'r'), Constant(' in order to basically help.\nI would really like that.\n').
    assert.equal(f.text, 'Please kindly answer {x!r} in order to basically help.\nI would really like that.\n');
  });

  for (const op of OPERATIONS) {
    it(`${describeOperation(op)} writes no \\r escape into the literal (the runtime string gains no carriage return)`, async () => {
      for (const src of [SRC, FSRC]) {
        const [p] = findPrompts(src, undefined, { fileName: 'crlf.py' });
        const out = await rewriteThroughEditorPath(src, { fileName: 'crlf.py' }, p, op, 30);
        assert.equal(out.status, 'applied', JSON.stringify(out));
        if (out.status !== 'applied') continue;
        assert.ok(!out.edit.text.includes('\\r'), `the edit wrote a \\r escape: ${JSON.stringify(out.edit.text)}`);
        assert.ok(!out.newText.includes('\r'), JSON.stringify(out.newText));
      }
    });
  }
});

describe('break s21: a literal that is not terminated (while typing) is never rewritten', () => {
  // The closing quotes are not typed yet: Python (and Lezer) read the rest of the file as the string.
  const OPEN_TRIPLE = [
    'SYSTEM_PROMPT = """You are a helpful assistant. Please kindly answer the question.',
    '',
    '# Basically, in order to call the API we really need a client.',
    'def ask(question):',
    '    # I would really like to retry here, please.',
    '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": question}])',
    '',
  ].join('\n');
  // The interpolation is not closed: TypeScript reads "I would really like that." as code inside `${`.
  const OPEN_INTERPOLATION = 'const SYSTEM_PROMPT = `Please kindly answer in order to basically help. ${x I would really like that.`;\n';
  const OPEN_TEMPLATE = 'const SYSTEM_PROMPT = `Please kindly answer in order to basically help. ${x} I would really like that.\nconst y = 1; // I would really like this comment to stay\n';

  const cases: Array<[string, string, string]> = [
    ['an unterminated triple-quoted Python string', OPEN_TRIPLE, 'open.py'],
    ['a template literal with an unclosed ${', OPEN_INTERPOLATION, 'open.ts'],
    ['an unterminated template literal', OPEN_TEMPLATE, 'open.ts'],
  ];
  for (const [what, src, fileName] of cases) {
    for (const op of OPERATIONS) {
      it(`${describeOperation(op)} on ${what} is refused with a reason`, async () => {
        const prompts = findPrompts(src, undefined, { fileName });
        assert.ok(prompts.length >= 1, 'the scanner reports the prompt being typed');
        const out = await rewriteThroughEditorPath(src, { fileName }, prompts[0], op, 30);
        assert.equal(out.status, 'refused', out.status === 'applied' ? `applied: ${JSON.stringify(out.edited)}` : '');
        if (out.status === 'refused') assert.match(out.reason, /^The rewrite was not applied: the literal is not complete/);
      });
    }
  }

  it('control: the same prompts, terminated, are rewritten', async () => {
    const closed: Array<[string, string]> = [
      [OPEN_TRIPLE.replace('the question.\n', 'the question."""\n'), 'closed.py'],
      [OPEN_INTERPOLATION.replace('${x I', '${x} I'), 'closed.ts'],
      [OPEN_TEMPLATE.replace('like that.\n', 'like that.`;\n'), 'closed.ts'],
    ];
    for (const [src, fileName] of closed) {
      const [p] = findPrompts(src, undefined, { fileName });
      const out = await rewriteThroughEditorPath(src, { fileName }, p, { kind: 'compress', level: 'medium' }, 30);
      assert.equal(out.status, 'applied', JSON.stringify(out));
    }
  });
});

describe('break s21: a capitalized word in an astral script at the start of a sentence', () => {
  // On ec9ca85 this looped forever (the name scan stepped back into the surrogate pair it had
  // just passed), hanging analyze, compress, distill, optimize and the editor's diagnostics
  // for any prompt holding, e.g., Mathematical Bold text (U+1D400…) or Deseret/Adlam/Osage words.
  it('names are found around it and the scan ends', () => {
    const text = '\u{1D401}\u{1D428}\u{1D425}\u{1D41D} answers only. Ask Maria Silva about \u{10400}\u{10428}\u{10437} today.';
    const names = analyzeProtected(text).spans.filter((s) => s.kind === 'name').map((s) => s.text);
    // By hand: the sentence's first word (Bold "Bold") is not a name; "Maria Silva" and the Deseret word (Lu Ll Ll) are.
    assert.deepEqual(names, ['Maria Silva', '\u{10400}\u{10428}\u{10437}']);
  });

  it('compress, distill and optimize answer on such a prompt', async () => {
    const src = 'SYSTEM_PROMPT = "\u{10400}b is basically the answer. Please kindly be very concise."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
    const [p] = findPrompts(src, undefined, { fileName: 'astral.py' });
    for (const op of OPERATIONS) {
      const out = await rewriteThroughEditorPath(src, { fileName: 'astral.py' }, p, op, 20);
      assert.equal(out.status, 'applied', describeOperation(op));
      if (out.status === 'applied') assert.ok(out.newText.startsWith('\u{10400}b'), out.newText);
    }
  });
});

describe('break s21: Python f-strings joined from several segments stay valid before Python 3.12', () => {
  // The first f-segment is quoted with ', a later one holds {d['k']}: one f'…' literal could not hold it (CPython 3.11: SyntaxError).
  const SRC = [
    "d = {'k': 1}",
    "SYSTEM_PROMPT = (f'Please kindly answer the question. '",
    '    f"Use the value {d[\'k\']} in order to basically help.")',
    'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])',
    '',
  ].join('\n');

  // layout27: the literals are now written back one by one, each with its own quotes; the one-literal fallback (encodeEdit)
  // still picks quotes the fields leave free, or refuses.
  it('compress writes each literal with its own quotes (checked with CPython 3.11 ast.parse); the fallback joins with free quotes', async () => {
    const [p] = findPrompts(SRC, undefined, { fileName: 'join.py' });
    assert.equal(p.segments.length, 2);
    const out = await rewriteThroughEditorPath(SRC, { fileName: 'join.py' }, p, { kind: 'compress', level: 'medium' }, 20);
    assert.equal(out.status, 'applied', JSON.stringify(out));
    if (out.status === 'applied') assert.deepEqual(out.edited.split('\n').slice(1, 3), ["SYSTEM_PROMPT = (f'Answer the question. '", `    f"Use the value {d['k']} to help.")`]);
    assert.equal(encodeEdit(p, "Answer the question. Use the value {d['k']} to help.").text, `f"Answer the question. Use the value {d['k']} to help."`);
  });

  it('fields that use both quote characters: each literal keeps its quotes (applied); the fallback join is refused with a reason', async () => {
    const src = SRC.replace("f'Please kindly answer the question. '", `f'Please kindly answer {d["k"]} the question. '`);
    const [p] = findPrompts(src, undefined, { fileName: 'join.py' });
    const out = await rewriteThroughEditorPath(src, { fileName: 'join.py' }, p, { kind: 'compress', level: 'medium' }, 20);
    assert.equal(out.status, 'applied', JSON.stringify(out));
    if (out.status === 'applied') assert.deepEqual(out.edited.split('\n').slice(1, 3), [`SYSTEM_PROMPT = (f'Answer {d["k"]} the question. '`, `    f"Use the value {d['k']} to help.")`]);
    assert.throws(() => encodeEdit(p, out.status === 'applied' ? out.newText : ''), /both quote characters/);
  });
});

describe('break s21: a Python literal with a \\N{NAME} escape', () => {
  // CPython: "\N{EM DASH}" is "—". The scanner keeps the escape as written; writing it back escaped the backslash and the dash was lost.
  const SRC = 'SYSTEM_PROMPT = "Please kindly answer \\N{EM DASH} in order to basically help."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';

  for (const op of OPERATIONS) {
    it(`${describeOperation(op)} is refused instead of changing the character into text`, async () => {
      const [p] = findPrompts(SRC, undefined, { fileName: 'named.py' });
      const out = await rewriteThroughEditorPath(SRC, { fileName: 'named.py' }, p, op, 20);
      assert.equal(out.status, 'refused', out.status === 'applied' ? out.edit.text : '');
      if (out.status === 'refused') assert.match(out.reason, /\\N\{…\} escape/);
    });
  }

  // Adjacent literals: each is written back in its own quotes, an untouched one byte for byte (segmentLayout.ts).
  const MULTI = 'SYSTEM_PROMPT = (\n    "Please kindly answer in order to basically help. "\n    "Use \\N{EM DASH} as the separator."\n)\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';

  it('in adjacent literals, an edit that leaves the \\N{…} literal untouched is applied, that literal verbatim', async () => {
    const [p] = findPrompts(MULTI, undefined, { fileName: 'named.py' });
    const out = await rewriteThroughEditorPath(MULTI, { fileName: 'named.py' }, p, { kind: 'compress', level: 'medium' }, 20);
    assert.equal(out.status, 'applied', JSON.stringify(out));
    if (out.status === 'applied') {
      // By hand: "Please kindly" and "basically" go, "in order to" becomes "to"; the second literal is as it was.
      assert.equal(out.edited, MULTI.replace('"Please kindly answer in order to basically help. "', '"Answer to help. "'));
    }
  });

  it('in adjacent literals, an edit inside the \\N{…} literal is still refused', async () => {
    const src = MULTI.replace('"Use \\N{EM DASH} as the separator."', '"Please kindly use \\N{EM DASH} as the separator."');
    const [p] = findPrompts(src, undefined, { fileName: 'named.py' });
    const out = await rewriteThroughEditorPath(src, { fileName: 'named.py' }, p, { kind: 'compress', level: 'medium' }, 20);
    assert.equal(out.status, 'refused', out.status === 'applied' ? out.edit.text : '');
    if (out.status === 'refused') assert.match(out.reason, /\\N\{…\} escape/);
  });

  it('control: an escaped backslash before N (text "\\N{x}") and a raw string are rewritten', async () => {
    for (const src of [SRC.replace('\\N{EM DASH}', '\\\\N{EM DASH}'), SRC.replace('= "Please', '= r"Please')]) {
      const [p] = findPrompts(src, undefined, { fileName: 'named.py' });
      const out = await rewriteThroughEditorPath(src, { fileName: 'named.py' }, p, { kind: 'compress', level: 'medium' }, 20);
      assert.equal(out.status, 'applied', JSON.stringify(out));
    }
  });
});

describe('break s21: fences in indented prompts are code spans', () => {
  // mem0's update-memory prompt (test/fixtures/scan/python/mem0_prompts.py, Apache-2.0) is an
  // indented f-string: its ``` fence around {response_content} sits four spaces in. Distill
  // dropped both fence lines and kept the placeholder bare.
  const file = path.resolve(__dirname, '../../../../test/fixtures/scan/python/mem0_prompts.py');
  const FENCE = '    ```\n    {response_content}\n    ```';

  it('distill, compress and optimize keep the indented fence with its content, verbatim', async () => {
    const src = fs.readFileSync(file, 'utf8');
    const p = findPrompts(src, undefined, { fileName: 'mem0_prompts.py' }).find((x) => x.text.includes(FENCE));
    assert.ok(p, 'the prompt with the fenced placeholder');
    for (const op of OPERATIONS) {
      const out = await rewriteThroughEditorPath(src, { fileName: 'mem0_prompts.py' }, p, op, Math.ceil(p.text.length / 4));
      if (out.status === 'applied') assert.ok(out.newText.includes(FENCE), `${describeOperation(op)} lost the fence: ${JSON.stringify(out.newText.slice(-900))}`);
      else assert.equal(out.status === 'refused' ? out.stage : out.status, out.status === 'refused' ? out.stage : 'unchanged');
    }
  });
});

describe('break s21: the "Extra whitespace" fix for a space at the end of a line', () => {
  // 19 of the 26 whitespace fixes on the scan corpus replaced a trailing " " with " ": a quick
  // fix that changes nothing, under a diagnostic that can never be cleared.
  it('removes the trailing spaces (replacement empty), and a run of spaces inside a line still becomes one', () => {
    const text = 'Write a short summary of the text. \nKeep it under 50 words.  Use plain English.\t\nEnd.';
    const ws = new PromptAnalyzer().suggestions(text).filter((s) => s.kind === 'whitespace');
    assert.deepEqual(
      ws.map((s) => [text.slice(s.range!.start, s.range!.end), s.replacement]),
      [
        [' ', ''],
        ['  ', ' '],
        ['\t', ''],
      ],
    );
  });
});
