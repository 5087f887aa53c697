/**
 * break39: inputs that made the scanner's work grow faster than the file. Work is counted in steps (tree nodes looked at),
 * never timed: a chain of n literals must cost a bounded number of steps per literal.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../../src/shared/prompt/scanner/incremental';
import { loadJavaScriptParser, loadPythonParser } from '../../../../src/shared/prompt/scanner/parsers';
import { hasErrors } from '../../../../src/shared/prompt/scanner/treeErrors';
import { chainWork } from '../../../../src/shared/prompt/scanner/chains';
import { messageIndexWork } from '../../../../src/shared/prompt/scanner/context';

const LINE = 'You are a helpful assistant line here.';

function stepsOf(work: { steps: number }, run: () => void): number {
  const before = work.steps;
  run();
  return work.steps - before;
}

describe('break39: long concatenations and message lists in linear work', () => {
  // (Lezer parses a `+` chain of up to about 190 operands without an error; longer ones are cut by its error recovery.)
  it('a `+` chain of 190 literals (JavaScript) is one prompt, in steps linear in the literals', () => {
    const n = 190;
    const src = ['import OpenAI from "openai";', 'const prompt =', ...Array.from({ length: n }, () => `  "${LINE}" +`), '  "end";', 'await client.chat.completions.create({model: "gpt-4o", messages: [{role: "system", content: prompt}]});', ''].join('\n');
    let prompts: ReturnType<typeof findPrompts> = [];
    const steps = stepsOf(chainWork, () => (prompts = findPrompts(src, 'typescript')));
    assert.deepEqual(
      prompts.map((p) => [p.kind, p.text.length, p.model?.name]),
      [['system', n * LINE.length + 'end'.length, 'gpt-4o']],
    );
    // Before: each literal went up the chain and read all of its left side again at each level (n³/6: over a million steps for 190).
    assert.ok(steps <= 20 * n, `${steps} steps for ${n} literals`);
  });

  it('Python: a parenthesized `+` chain of 190 literals and an implicit concatenation of 1,000, in steps linear in the literals', () => {
    const send = 'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])';
    const plus = (n: number) => ['from openai import OpenAI', 'prompt = (', ...Array.from({ length: n }, () => `    "${LINE}" +`), '    "end")', send, ''].join('\n');
    const implicit = (n: number) => ['from openai import OpenAI', 'prompt = (', ...Array.from({ length: n }, () => `    "${LINE}"`), ')', send, ''].join('\n');
    for (const [src, n, length] of [
      [plus(190), 190, 190 * LINE.length + 3],
      [implicit(1000), 1000, 1000 * LINE.length],
    ] as const) {
      let prompts: ReturnType<typeof findPrompts> = [];
      const steps = stepsOf(chainWork, () => (prompts = findPrompts(src, 'python')));
      assert.deepEqual(
        prompts.map((p) => [p.kind, p.text.length]),
        [['system', length]],
      );
      // Before: the `+` chain as in JavaScript; the implicit one read every literal of the parentheses once per literal (n²).
      assert.ok(steps <= 20 * n, `${steps} steps for ${n} literals`);
    }
  });

  it('a `+` chain mixing 100 literals with values is one composed prompt, in steps linear in the literals', () => {
    const n = 100;
    const src = ['import OpenAI from "openai";', 'const prompt =', ...Array.from({ length: n }, (_, i) => `  "${LINE} ${i}" + x${i} +`), '  "end";', 'await client.chat.completions.create({model: "gpt-4o", messages: [{role: "system", content: prompt}]});', ''].join('\n');
    let prompts: ReturnType<typeof findPrompts> = [];
    const steps = stepsOf(chainWork, () => (prompts = findPrompts(src, 'typescript')));
    assert.deepEqual(
      prompts.map((p) => [p.kind, p.pieces?.length]),
      [['system', n + 1]],
    );
    assert.ok(steps <= 20 * n, `${steps} steps for ${n} literals`);
  });

  it('a list of 2,000 messages numbers its messages once: the turns before the last user message are few-shot', () => {
    const n = 2000;
    const src = [
      'from openai import OpenAI',
      'messages = [',
      ...Array.from({ length: n }, (_, i) => `    {"role": "${i % 2 ? 'assistant' : 'user'}", "content": "Example turn number ${i} of the few shot."},`),
      ']',
      'client.chat.completions.create(model="gpt-4o", messages=messages)',
      '',
    ].join('\n');
    let prompts: ReturnType<typeof findPrompts> = [];
    const steps = stepsOf(messageIndexWork, () => (prompts = findPrompts(src, 'python')));
    const kinds = prompts.map((p) => p.kind);
    assert.equal(kinds.length, n);
    assert.deepEqual(kinds.slice(-3), ['fewShot', 'user', 'assistant']);
    assert.equal(kinds.filter((k) => k === 'fewShot').length, n - 2);
    // Before: each message's literal read the whole list again to find its index (n² / 2 children: 2 million for 2,000).
    assert.ok(steps <= 10 * n, `${steps} steps for ${n} messages`);
  });
});

describe('break39: Python files with CRLF line breaks parse as their LF form does', () => {
  const FIXTURE = resolve(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'scan', 'python', 'dbgpt_chat_dashboard_prompt.py');
  const crlf = (text: string): string => text.replace(/\r\n/g, '\n').replace(/\n/g, '\r\n');
  const shape = (text: string) => findPrompts(text, 'python').map((p) => [p.range.start.line, p.kind, p.text.replace(/\r\n/g, '\n')]);

  it("a string continued with a backslash on the next line (DB-GPT's chat_dashboard prompt.py, as a Windows checkout has it) is found", () => {
    const lf = readFileSync(FIXTURE, 'utf8').replace(/\r\n/g, '\n');
    const windows = crlf(lf);
    assert.equal(hasErrors(loadPythonParser().parse(windows)), false);
    // Before: the literal of line 14 (PROMPT_SCENE_DEFINE = "You are a data analysis expert, … \) ended at the LF: lost.
    assert.deepEqual(shape(windows), shape(lf));
    assert.deepEqual(shape(windows)[0], [14, 'system', 'You are a data analysis expert, please provide a professional data analysis solution']);
  });

  it('a CRLF file of 1,000 statements has no syntax error, so an edit in it is scanned incrementally', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `s${i} = "You are a helpful assistant number ${i}."\r\n`).join('');
    // Before: an error every 301 statements (Lezer read each CRLF as a line break and a blank line).
    assert.equal(hasErrors(loadPythonParser().parse(text)), false);
    const scanner = new IncrementalPromptScanner();
    scanner.scan('file:///a.py', text, 'python');
    const at = text.indexOf('s500 =');
    scanner.scan('file:///a.py', `${text.slice(0, at)}t = 1\r\n${text.slice(at)}`, 'python');
    assert.equal(scanner.lastScan.mode, 'incremental');
  });

  it('backslashes before a CRLF: an odd run continues the line, an even run does not; comments, code and raw strings alike', () => {
    const cases = [
      'p = "You are a helpful assistant \\\r\nfor the docs."\r\nx = 1\r\n',
      'p = "C:\\\\"\r\nx = 1\r\n',
      'p = "a \\\\\\\r\nb"\r\nx = 1\r\n',
      '# a comment that ends in a backslash \\\r\ndef f():\r\n    return 1\r\n',
      'x = 1 + \\\r\n    2\r\nif x:\r\n    y = 2\r\n',
      'p = r"C:\\temp\\\\"\r\nx = 1\r\n',
      'p = """You are\r\na helpful \\\r\nassistant."""\r\n',
    ];
    for (const text of cases) {
      const lf = text.replace(/\r\n/g, '\n');
      assert.equal(hasErrors(loadPythonParser().parse(text)), hasErrors(loadPythonParser().parse(lf)), JSON.stringify(text));
      assert.deepEqual(shape(text), shape(lf), JSON.stringify(text));
    }
  });

  it('an edit next to a CRLF that turns a continuation on or off gives what a full scan gives', () => {
    const base = 'from openai import OpenAI\r\nSYSTEM = "You are a helpful assistant for the docs. \\\r\nAnswer briefly and cite the page."\r\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\r\n';
    const at = base.indexOf('\\\r\n');
    for (const edited of [base.slice(0, at) + base.slice(at + 1), `${base.slice(0, at)}\\${base.slice(at)}`, `${base.slice(0, at)}x${base.slice(at)}`]) {
      const scanner = new IncrementalPromptScanner();
      scanner.scan('file:///b.py', base, 'python');
      const got = scanner.scan('file:///b.py', edited, 'python');
      assert.deepEqual(got, findPrompts(edited, 'python'), JSON.stringify(edited));
    }
  });
});

describe('break39: a JavaScript string continued with a backslash before a CRLF', () => {
  it('is one literal, as with an LF, and the file has no syntax error', () => {
    const lf = 'import OpenAI from "openai";\nconst SYSTEM = "You are a helpful assistant for the docs. \\\nAnswer briefly and cite the page.";\nconst odd = "a\\\\";\nawait client.chat.completions.create({model: "gpt-4o", messages: [{role: "system", content: SYSTEM}]});\n';
    const windows = lf.replace(/\n/g, '\r\n');
    // Before: errors at the continuation (the string ended at the LF).
    assert.equal(hasErrors(loadJavaScriptParser(true, false).parse(windows)), false);
    const shape = (text: string) => findPrompts(text, 'typescript').map((p) => [p.range.start.line, p.kind, p.text]);
    assert.deepEqual(shape(windows), [[1, 'system', 'You are a helpful assistant for the docs. Answer briefly and cite the page.']]);
    assert.deepEqual(shape(windows), shape(lf));
    const scanner = new IncrementalPromptScanner();
    scanner.scan('file:///c.ts', windows, 'typescript');
    const at = windows.indexOf('\\\r\n');
    const edited = windows.slice(0, at) + windows.slice(at + 1);
    assert.deepEqual(scanner.scan('file:///c.ts', edited, 'typescript'), findPrompts(edited, 'typescript'));
  });
});
