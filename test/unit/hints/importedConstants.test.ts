// A constant imported from another module of the project and spliced into a prompt is counted in place (newuser41's
// finding 5): nanobrowser's navigator and planner system prompts open with `${commonSecurityRules}` from `./common`
// (test/fixtures/nanobrowser, Apache-2.0, copied unchanged), which the lens left out as a runtime value (1,656 tokens for
// a prompt of 2,040). The oracle is js-tiktoken on the texts put together by hand.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { importedBindings, moduleConstants } from '../../../src/shared/prompt/scanner/importedConstants';
import { repoRoot } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const nano = (name: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'nanobrowser', `${name}.ts.txt`), 'utf8');
/** The body of the one template literal of a file with no interpolation but `${name}` (escapes as the fixtures have them). */
const templateBody = (src: string): string => {
  const body = src.slice(src.indexOf('`') + 1, src.lastIndexOf('`'));
  return body.replace(/\\(.)/g, '$1');
};

describe('constants imported from another module of the project, counted in place', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-imported-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hints = async (file: string, importedConstants = new ImportedConstantReader().read(readFileSync(file, 'utf8'), file.endsWith('.py') ? 'python' : 'typescript', file)) => {
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const text = readFileSync(file, 'utf8');
    return (await service.compute({ text, languageId: file.endsWith('.py') ? 'python' : 'typescript', fileName: file, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedConstants.length > 0 ? { importedConstants } : {}) })).prompts;
  };

  it('nanobrowser: the navigator and planner system prompts count commonSecurityRules (384 tokens) from ./common', async () => {
    const folder = join(dir, 'templates');
    mkdirSync(folder);
    for (const name of ['common', 'navigator', 'planner']) writeFileSync(join(folder, `${name}.ts`), nano(name));
    const rules = templateBody(nano('common'));
    assert.equal(count(rules), 384);
    for (const name of ['navigator', 'planner']) {
      const [prompt] = await hints(join(folder, `${name}.ts`));
      const whole = templateBody(nano(name)).replace('$' + '{commonSecurityRules}', rules);
      assert.equal(prompt.cost.tokens.count, count(whole), name);
      assert.deepEqual(prompt.runtimeValues, [], name);
      assert.deepEqual(prompt.importedTexts, [{ name: 'commonSecurityRules', file: 'common.ts', line: 0, tokens: 384, text: rules }], name);
    }
    // Without the module on disk: a runtime value, as before.
    rmSync(join(folder, 'common.ts'));
    const [alone] = await hints(join(folder, 'navigator.ts'));
    assert.deepEqual(alone.runtimeValues, ['commonSecurityRules']);
    assert.equal(alone.cost.tokens.count, count(templateBody(nano('navigator')).replace('$' + '{commonSecurityRules}', '')));
    assert.equal(alone.importedTexts, undefined);
  });

  it('Python: relative and absolute modules, an alias, a constant assigned twice and an f-string constant are told apart', async () => {
    mkdirSync(join(dir, 'app', 'agents'), { recursive: true });
    writeFileSync(join(dir, 'app', '__init__.py'), '');
    writeFileSync(join(dir, 'app', 'agents', '__init__.py'), '');
    writeFileSync(
      join(dir, 'app', 'prompts.py'),
      ['RULES = (', '    "Answer only from the documents you are given. "', '    "Say when you do not know."', ')', 'STYLE: str = """Write short sentences."""', 'TWICE = "a"', 'TWICE = "b"', 'def get_user():', '    return "x"', 'FORMATTED = f"Hello {get_user()}"', ''].join('\n'),
    );
    writeFileSync(join(dir, 'app', 'agents', 'tone.py'), 'TONE = "Be friendly but brief."\n');
    const agent = join(dir, 'app', 'agents', 'agent.py');
    writeFileSync(
      agent,
      [
        'from openai import OpenAI',
        'from app.prompts import RULES, STYLE as WRITING_STYLE, TWICE, FORMATTED',
        'from .tone import TONE',
        'client = OpenAI()',
        'def ask(question):',
        '    system = f"You are the support assistant of the shop.\\n{RULES}\\n{WRITING_STYLE}\\n{TONE}\\n{TWICE}{FORMATTED}"',
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])',
        '',
      ].join('\n'),
    );
    const [system] = await hints(agent);
    const text = 'You are the support assistant of the shop.\nAnswer only from the documents you are given. Say when you do not know.\nWrite short sentences.\nBe friendly but brief.\n';
    assert.equal(system.cost.tokens.count, count(text));
    assert.deepEqual(system.runtimeValues, ['TWICE', 'FORMATTED']);
    assert.deepEqual(
      system.importedTexts?.map((c) => [c.name, c.file, c.line]),
      [
        ['RULES', '../prompts.py', 0],
        ['WRITING_STYLE', '../prompts.py', 4],
        ['TONE', 'tone.py', 0],
      ],
    );
    // A changed module is read again (the cache is by modification time and size).
    writeFileSync(join(dir, 'app', 'agents', 'tone.py'), 'TONE = "Be friendly."\n');
    utimesSync(join(dir, 'app', 'agents', 'tone.py'), new Date(), new Date(Date.now() + 5_000));
    const reader = new ImportedConstantReader();
    assert.equal(reader.read(readFileSync(agent, 'utf8'), 'python', agent).find((c) => c.name === 'TONE')?.text, 'Be friendly.');
  });

  it('a module imported whole (`* as P`, `from app import prompts`, `import app.prompts as P`) and a `+` operand', async () => {
    writeFileSync(join(dir, 'rules.ts'), 'export const RULES = "Answer only from the documents you are given.";\n');
    const ts = join(dir, 'agent.ts');
    writeFileSync(
      ts,
      [
        'import OpenAI from "openai";',
        'import { RULES } from "./rules";',
        'import * as P from "./rules";',
        'const client = new OpenAI();',
        'export async function ask(q: string) {',
        '  const system = RULES + "\\nYou are the support assistant of the shop, be brief and kind." + q;',
        '  const other = `You are a careful assistant who answers questions.\\n${P.RULES}`;',
        '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }, { role: "system", content: other }] });',
        '}',
        '',
      ].join('\n'),
    );
    const rules = 'Answer only from the documents you are given.';
    const [system, other] = await hints(ts);
    assert.equal(system.cost.tokens.count, count(`${rules}\nYou are the support assistant of the shop, be brief and kind.`));
    assert.deepEqual(system.runtimeValues, ['q']);
    assert.equal(other.cost.tokens.count, count(`You are a careful assistant who answers questions.\n${rules}`));
    assert.deepEqual(other.importedTexts?.map((c) => c.name), ['P.RULES']);
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '__init__.py'), '');
    writeFileSync(join(dir, 'app', 'prompts.py'), `RULES = "${rules}"\n`);
    const py = join(dir, 'main.py');
    writeFileSync(
      py,
      [
        'from openai import OpenAI',
        'from app import prompts',
        'import app.prompts as P',
        'from app.prompts import RULES',
        'client = OpenAI()',
        'def ask(q):',
        '    a = f"You are the support assistant of the shop.\\n{prompts.RULES}"',
        '    b = f"You are a careful assistant who answers questions.\\n{P.RULES}"',
        '    c = RULES + "\\nNever make up an answer, and say so when you do not know."',
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": a}, {"role": "system", "content": b}, {"role": "system", "content": c}, {"role": "user", "content": q}])',
        '',
      ].join('\n'),
    );
    const [a, b, c] = await hints(py);
    assert.equal(c.cost.tokens.count, count(`${rules}\nNever make up an answer, and say so when you do not know.`));
    assert.equal(a.cost.tokens.count, count(`You are the support assistant of the shop.\n${rules}`));
    assert.equal(b.cost.tokens.count, count(`You are a careful assistant who answers questions.\n${rules}`));
    assert.deepEqual([a.importedTexts?.map((c) => c.file), b.importedTexts?.map((c) => c.name)], [['app/prompts.py'], ['P.RULES']]);
  });

  it('a module the kernel makes (size 0, no end: /proc/self/pagemap) is not read whole; a file over the limit adds nothing', function () {
    // (readFileSync of it read until memory ran out and aborted the process: std::bad_alloc, breaker43.)
    if (!existsSync('/proc/self/pagemap')) this.skip();
    const doc = join(dir, 'src', 'agent.ts');
    mkdirSync(join(dir, 'src'));
    const up = '../'.repeat(doc.split('/').length);
    writeFileSync(doc, `import { RULES } from '${up}proc/self/pagemap';\nexport const SYSTEM = \`You are a careful assistant who answers questions.\\n\${RULES}\`;\n`);
    assert.deepEqual(new ImportedConstantReader().read(readFileSync(doc, 'utf8'), 'typescript', doc), []);
    // A regular module holding the constant, then grown past the limit: read, then not.
    writeFileSync(join(dir, 'src', 'rules.ts'), 'export const RULES = "Answer only from the documents.";\n');
    writeFileSync(doc, "import { RULES } from './rules';\nexport const SYSTEM = `You are a careful assistant.\\n${RULES}`;\n");
    const reader = new ImportedConstantReader();
    assert.deepEqual(reader.read(readFileSync(doc, 'utf8'), 'typescript', doc).map((c) => c.text), ['Answer only from the documents.']);
    writeFileSync(join(dir, 'src', 'rules.ts'), 'export const RULES = "Answer only from the documents.";\n' + '//'.padEnd(4_000_010, 'x') + '\n');
    assert.deepEqual(reader.read(readFileSync(doc, 'utf8'), 'typescript', doc), []);
  });

  it('Python: a module-level name bound again anywhere at module level (+=, if, for, with, import, def, global in a function) is no constant', async () => {
    const bound = {
      '+=': 'RULES += "\\nNever guess."\n',
      if: 'if DEBUG:\n    RULES = "Answer anything."\n',
      for: 'for RULES in []:\n    pass\n',
      with: 'with open("r.txt") as RULES:\n    pass\n',
      import: 'from .other import RULES\n',
      def: 'def RULES():\n    pass\n',
      global: 'def load():\n    global RULES\n    RULES = open("r.txt").read()\n',
      tuple: 'RULES, EXTRA = "a", "b"\n',
      walrus: 'print(RULES := "a")\n',
      del: 'del RULES\n',
    };
    const head = 'RULES = "Answer only from the documents you are given."\n';
    for (const [what, tail] of Object.entries(bound)) assert.deepEqual([...moduleConstants(head + tail, 'python', new Set(['RULES']))], [], what);
    // A name of its own in a function, a class, a lambda or a comprehension, a parameter, a keyword argument or an attribute binds nothing at module level.
    const own = 'def f(RULES, x=RULES):\n    RULES = "b"\n    RULES += "c"\nclass C:\n    RULES = "d"\ng = lambda RULES: RULES\nL = [RULES for RULES in y]\nh(RULES=RULES)\nobj.RULES = "e"\n';
    assert.deepEqual([...moduleConstants(head + own, 'python', new Set(['RULES']))].map(([k, v]) => [k, v.text]), [['RULES', 'Answer only from the documents you are given.']]);
    // End to end: the lens keeps RULES a runtime value where the module grows it.
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '__init__.py'), '');
    writeFileSync(join(dir, 'app', 'prompts.py'), head + 'RULES += "\\nNever make up an answer, and say so when you do not know."\n');
    const py = join(dir, 'app', 'agent.py');
    writeFileSync(py, 'from openai import OpenAI\nfrom .prompts import RULES\nclient = OpenAI()\ndef ask(q):\n    system = f"You are the support assistant of the shop.\\n{RULES}"\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": q}])\n');
    const [system] = await hints(py);
    assert.deepEqual(system.runtimeValues, ['RULES']);
    assert.equal(system.importedTexts, undefined);
  });

  it('a name the document binds again where it splices it (a parameter of the same name, a module-level assignment) is not the imported constant', async () => {
    const rules = 'Answer only from the documents you are given.';
    writeFileSync(join(dir, 'common.ts'), `export const rules = "${rules}";\n`);
    const ts = join(dir, 'agent.ts');
    const body = (params: string): string =>
      `import OpenAI from "openai";\nimport { rules } from "./common";\nconst client = new OpenAI();\nexport async function ask(${params}) {\n  const system = \`You are the support assistant of the shop, be brief and kind.\\n\${rules}\`;\n  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }, { role: "user", content: q }] });\n}\nexport const other = (rules: string[]) => rules.join(", ");\n`;
    writeFileSync(ts, body('q: string, rules: string'));
    const [shadowed] = await hints(ts);
    assert.deepEqual(shadowed.runtimeValues, ['rules']);
    assert.equal(shadowed.importedTexts, undefined);
    // A parameter of another function binds nothing where the prompt is.
    writeFileSync(ts, body('q: string'));
    const [counted] = await hints(ts);
    assert.equal(counted.cost.tokens.count, count(`You are the support assistant of the shop, be brief and kind.\n${rules}`));
    assert.deepEqual(counted.importedTexts?.map((c) => c.name), ['rules']);
    // Python: `RULES = ""` after the import (the function runs later and reads that), a local `RULES` in the prompt's function.
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '__init__.py'), '');
    writeFileSync(join(dir, 'app', 'prompts.py'), `RULES = "${rules}"\n`);
    const py = join(dir, 'app', 'agent.py');
    const pyBody = (extra: string): string =>
      `from openai import OpenAI\nfrom .prompts import RULES\nclient = OpenAI()\n${extra}def ask(q):\n    system = f"You are the support assistant of the shop.\\n{RULES}"\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": q}])\ndef other(items):\n    RULES = ", ".join(items)\n    return RULES\n`;
    writeFileSync(py, pyBody('RULES = ""\n'));
    assert.deepEqual((await hints(py))[0].runtimeValues, ['RULES']);
    writeFileSync(py, pyBody('').replace('def ask(q):\n', 'def ask(q):\n    RULES = q.upper()\n'));
    assert.deepEqual((await hints(py))[0].runtimeValues, ['RULES']);
    writeFileSync(py, pyBody(''));
    const [local] = await hints(py);
    assert.equal(local.cost.tokens.count, count(`You are the support assistant of the shop.\n${rules}`));
    assert.deepEqual(local.runtimeValues, []);
  });

  it('the readers: bindings as written, and only module-level literals without interpolations', () => {
    assert.deepEqual(importedBindings("import { a, b as c, type T } from './x';\nimport OpenAI from 'openai';\nimport d, { e } from \"../y.js\";\nimport { f } from '@scope/z';", 'javascript'), [
      { local: 'a', name: 'a', module: './x' },
      { local: 'c', name: 'b', module: './x' },
      { local: 'e', name: 'e', module: '../y.js' },
    ]);
    assert.deepEqual(importedBindings('from .p import (A,\n    B as C)\nfrom x.y import D  # comment\nfrom __future__ import annotations\nimport os', 'python'), [
      { local: 'A', name: 'A', module: '.p' },
      { local: 'C', name: 'B', module: '.p' },
      { local: 'D', name: 'D', module: 'x.y' },
    ]);
    const js = 'export const A = `one\\ntwo`;\nconst B = "b", C = `c ${A}`;\nexport let D = "d";\nfunction f() { const E = "e"; }\nexport const F: string = \'f\';';
    assert.deepEqual(
      [...moduleConstants(js, 'javascript', new Set(['A', 'B', 'C', 'D', 'E', 'F']))].map(([k, v]) => [k, v.text, v.line]),
      [
        ['A', 'one\ntwo', 0],
        ['B', 'b', 1],
        // (Session 43: a template literal of the module's own constants is known too.)
        ['C', 'c one\ntwo', 1],
        ['F', 'f', 4],
      ],
    );
  });

  it('session 43: a constant made of other constants of its module (`+`, `${A}`, f"{A}") is known; one read before it is bound, a call, a format spec or a cycle is not', () => {
    const py = [
      'BASE = "You are the support assistant of the shop."',
      'RULES = ("Answer only from the documents you are given. "',
      '         "Say when you do not know.")',
      'SYSTEM = BASE + "\\n" + RULES',
      'FULL = f"{SYSTEM}\\nReply in {LANG}."',
      'LANG = "English"',
      'LATER_OK = f"{SYSTEM}\\nReply in {LANG}."',
      'SHOUT = BASE.upper()',
      'REPR = f"{BASE!r}"',
      'ESCAPED = f"{{user}} asks; {RULES}"',
      'A = B',
      'B = A',
      'GROWN = "x"',
      'GROWN += "y"',
      '',
    ].join('\n');
    const known = moduleConstants(py, 'python', new Set(['SYSTEM', 'FULL', 'LATER_OK', 'SHOUT', 'REPR', 'ESCAPED', 'A', 'GROWN']));
    const system = 'You are the support assistant of the shop.\nAnswer only from the documents you are given. Say when you do not know.';
    assert.deepEqual([...known].map(([k, v]) => [k, v.text, v.line]), [
      ['SYSTEM', system, 3],
      ['LATER_OK', `${system}\nReply in English.`, 6],
      ['ESCAPED', '{user} asks; Answer only from the documents you are given. Say when you do not know.', 9],
    ]);
    const js = 'const BASE = `You are a support agent.`;\nexport const RULES = "Never share prices.";\nexport const SYSTEM = `${BASE}\\n${RULES}`;\nexport const S2 = BASE + "\\n" + RULES;\nexport const BAD = `${BASE.trim()}`;\nlet MUT = "x";\nexport const M2 = MUT + "y";\n';
    assert.deepEqual([...moduleConstants(js, 'javascript', new Set(['SYSTEM', 'S2', 'BAD', 'M2']))].map(([k, v]) => [k, v.text]), [
      ['SYSTEM', 'You are a support agent.\nNever share prices.'],
      ['S2', 'You are a support agent.\nNever share prices.'],
    ]);
  });

  it('session 44: a cp1252 module\'s curly quotes, dashes and euro sign are read as Python reads them (Node 20\'s TextDecoder gave C1 controls); latin-1 keeps C1 as Python does', () => {
    mkdirSync(join(dir, 'app'));
    // The bytes 0x93 R é p o n d s 0x94 ' ' 0x96 ' ' 0x80 ' ' 0x85 0x81: Python 3's bytes.decode('cp1252', errors='replace') gives
    // U+201C R U+00E9 p o n d s U+201D ' ' U+2013 ' ' U+20AC ' ' U+2026 U+FFFD (checked with python3 when this test was written).
    const body = Buffer.from([0x93, ...Buffer.from('Réponds', 'latin1'), 0x94, 0x20, 0x96, 0x20, 0x80, 0x20, 0x85, 0x81]);
    const frame = (coding: string) => Buffer.concat([Buffer.from(`# -*- coding: ${coding} -*-\nTONE = "`, 'latin1'), body, Buffer.from('"\n', 'latin1')]);
    writeFileSync(join(dir, 'app', 'cp.py'), frame('cp1252'));
    writeFileSync(join(dir, 'app', 'win.py'), frame('windows-1252'));
    writeFileSync(join(dir, 'app', 'l1.py'), frame('latin-1'));
    const agent = join(dir, 'app', 'agent.py');
    const text = 'from .cp import TONE\nfrom .win import TONE as T2\nfrom .l1 import TONE as T3\nsystem = f"{TONE} {T2} {T3}"\n';
    writeFileSync(agent, text);
    const read = new ImportedConstantReader().read(text, 'python', agent);
    const windows = '\u201CR\u00E9ponds\u201D \u2013 \u20AC \u2026\uFFFD';
    // Latin-1 (ISO-8859-1) as Python decodes it: bytes.decode('latin-1') maps every byte to the code point of its value.
    const latin1 = '\u0093R\u00E9ponds\u0094 \u0096 \u0080 \u0085\u0081';
    assert.deepEqual(read.map((c) => [c.name, c.text]), [
      ['TONE', windows],
      ['T2', windows],
      ['T3', latin1],
    ]);
  });

  it('session 43: a Python module that declares its encoding (PEP 263, latin-1) is decoded with it, not as UTF-8 (breaker43)', () => {
    mkdirSync(join(dir, 'app'));
    const rules = 'Réponds en français, sans détour.';
    writeFileSync(join(dir, 'app', 'prompts.py'), Buffer.concat([Buffer.from('# -*- coding: latin-1 -*-\nRULES = "', 'latin1'), Buffer.from(rules, 'latin1'), Buffer.from('"\n', 'latin1')]));
    // (A vim-style declaration on the second line; é is one byte in cp1252 as in latin-1.)
    writeFileSync(join(dir, 'app', 'cp.py'), Buffer.from('#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nTONE = "Soyez bref et précis."\n', 'latin1'));
    const agent = join(dir, 'app', 'agent.py');
    const text = 'from .prompts import RULES\nfrom .cp import TONE\nsystem = f"{RULES} {TONE}"\n';
    writeFileSync(agent, text);
    const read = new ImportedConstantReader().read(text, 'python', agent);
    assert.deepEqual(read.map((c) => [c.name, c.text]), [
      ['RULES', rules],
      ['TONE', 'Soyez bref et précis.'],
    ]);
  });
});
