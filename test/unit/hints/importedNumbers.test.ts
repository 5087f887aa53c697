/**
 * An upper-case number constant imported from another module of the project and written bare in a prompt is counted in
 * place, as one of the same file is (issue 12, item 6; finder45): `from .config import MAX_ITEMS` and
 * `import { MAX_ITEMS } from "./config"` left `{MAX_ITEMS}` out of the count as a runtime value, while a text constant of
 * the same module was counted. Simple decimal fractions (`TEMPERATURE = 0.2`) count too, written as the language writes
 * them. The oracle: js-tiktoken on the texts written out by hand.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { integerConstants } from '../../../src/shared/hints/composed';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { moduleConstants, numberText } from '../../../src/shared/prompt/scanner/importedConstants';
import { ImportedConstantReader } from '../../../src/shared/prompt/scanner/importedModules';
import { count } from '../../helpers/tiktokenOracle';

describe('number constants imported from another module, counted in place', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-imported-numbers-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const hints = async (file: string) => {
    const languageId = file.endsWith('.py') ? 'python' : 'typescript';
    const text = readFileSync(file, 'utf8');
    const importedConstants = new ImportedConstantReader().read(text, languageId, file);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    return (await service.compute({ text, languageId, fileName: file, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false, ...(importedConstants.length > 0 ? { importedConstants } : {}) })).prompts;
  };

  it('Python: `from .config import MAX_ITEMS, TEMPERATURE` written bare are their digits; a format spec, arithmetic, a lower-case name or an exponent stay runtime values', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '__init__.py'), '');
    writeFileSync(
      join(dir, 'app', 'config.py'),
      ['MAX_ITEMS = 1_000', 'TEMPERATURE: float = 0.20', 'ONE = 1.0', 'NEGATIVE = -3', 'LIMIT = 10', 'NEXT = LIMIT + 1', 'BIG = 1e3', 'retries = 2', 'ALIAS = ONE', ''].join('\n'),
    );
    const agent = join(dir, 'app', 'agent.py');
    writeFileSync(
      agent,
      [
        'from openai import OpenAI',
        'from .config import MAX_ITEMS, TEMPERATURE, ONE, NEGATIVE, LIMIT, NEXT, BIG, retries, ALIAS',
        'client = OpenAI()',
        'def ask(q):',
        '    prompt = f"List at most {MAX_ITEMS} items ({MAX_ITEMS:,} in all) at temperature {TEMPERATURE}, weight {ONE} or {ALIAS}, offset {NEGATIVE}, limit {LIMIT}, next {NEXT}, big {BIG}, retries {retries}. Question: {q}"',
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
        '',
      ].join('\n'),
    );
    const [prompt] = await hints(agent);
    assert.deepEqual(prompt.runtimeValues, ['MAX_ITEMS', 'NEXT', 'BIG', 'retries', 'q']);
    assert.equal(prompt.cost.tokens.count, count('List at most 1000 items ( in all) at temperature 0.2, weight 1.0 or 1.0, offset -3, limit 10, next , big , retries . Question: '));
    assert.deepEqual(
      prompt.importedTexts?.map((c) => [c.name, c.file, c.line]),
      [
        ['MAX_ITEMS', 'config.py', 0],
        ['TEMPERATURE', 'config.py', 1],
        ['ONE', 'config.py', 2],
        ['ALIAS', 'config.py', 8],
        ['NEGATIVE', 'config.py', 3],
        ['LIMIT', 'config.py', 4],
      ],
    );
  });

  it('TypeScript: `import { MAX_ITEMS } from "./config"` in a template literal and a `+` chain; `1.0` is written "1"', async () => {
    writeFileSync(join(dir, 'config.ts'), ['export const MAX_ITEMS = 5;', 'export const WEIGHT: number = 1.0;', 'export const rate = 3;', 'export let LOOSE = 4;', ''].join('\n'));
    const agent = join(dir, 'agent.ts');
    writeFileSync(
      agent,
      [
        'import OpenAI from "openai";',
        'import { MAX_ITEMS, WEIGHT, rate, LOOSE } from "./config";',
        'const client = new OpenAI();',
        'export async function ask(q: string) {',
        '  const system = `List at most ${MAX_ITEMS} items with weight ${WEIGHT}, rate ${rate}, loose ${LOOSE}.`;',
        '  const user = "Give me " + MAX_ITEMS + " short answers to this question: " + q;',
        '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }, { role: "user", content: user }] });',
        '}',
        '',
      ].join('\n'),
    );
    const prompts = await hints(agent);
    const system = prompts.find((p) => p.location.boundName === 'system');
    const user = prompts.find((p) => p.location.boundName === 'user');
    assert.deepEqual([system?.runtimeValues, system?.cost.tokens.count], [['rate', 'LOOSE'], count('List at most 5 items with weight 1, rate , loose .')]);
    assert.deepEqual([user?.runtimeValues, user?.cost.tokens.count], [['q'], count('Give me 5 short answers to this question: ')]);
  });

  it('moduleConstants: numbers of upper-case names only, whole or interpolated, never added with `+`', () => {
    const py = ['A = 3', 'B = f"at most {A} items"', 'C = "x" + A', 'D = A', 'e = 4', 'F = 2.50', 'G = 0x10', 'H = 007', ''].join('\n');
    const got = moduleConstants(py, 'python', new Set(['A', 'B', 'C', 'D', 'e', 'F', 'G', 'H']));
    assert.deepEqual(
      [...got].map(([name, c]) => [name, c.text]),
      [
        ['A', '3'],
        ['B', 'at most 3 items'],
        ['D', '3'],
        ['F', '2.5'],
      ],
    );
  });

  it('numberText writes a number as Python and JavaScript do, or not at all', () => {
    const cases: Array<[string, string | undefined, string | undefined]> = [
      ['1_000', '1000', '1000'],
      ['-4', '-4', '-4'],
      ['0.20', '0.2', '0.2'],
      ['1.0', '1.0', '1'],
      ['0.0', '0.0', '0'],
      ['123456.789', '123456.789', '123456.789'],
      ['0.00001', undefined, undefined],
      ['1e3', undefined, undefined],
      ['.5', undefined, undefined],
      ['007', undefined, undefined],
      ['9007199254740993', undefined, undefined],
    ];
    assert.deepEqual(
      cases.map(([written]) => [written, numberText(written, true), numberText(written, false)]),
      cases,
    );
  });

  it("the file's own number constants in a `+` chain count too (`\"Give me \" + MAX_ITEMS + \" answers\"`)", async () => {
    const src = ['import OpenAI from "openai";', 'const client = new OpenAI();', 'const MAX_ITEMS = 3;', 'const TEMPERATURE = 0.5;', 'export async function ask(q: string, n: number) {', '  const user = "Give me " + MAX_ITEMS + " short answers at temperature " + TEMPERATURE + ", " + n + " words each: " + q;', '  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: user }] });', '}', ''].join('\n');
    const file = join(dir, 'same.ts');
    writeFileSync(file, src);
    const [prompt] = await hints(file);
    assert.deepEqual([prompt.runtimeValues, prompt.cost.tokens.count], [['n', 'q'], count('Give me 3 short answers at temperature 0.5,  words each: ')]);
  });

  it("the file's own fractions count too (`TEMPERATURE = 0.2`, `const WEIGHT = 1.0`)", () => {
    assert.deepEqual([...integerConstants('TEMPERATURE = 0.2\nWEIGHT: float = 1.0\nMAX = 3\n')], [['TEMPERATURE', '0.2'], ['WEIGHT', '1.0'], ['MAX', '3']]);
    assert.deepEqual([...integerConstants('export const WEIGHT = 1.0;\nconst RATE: number = 0.25;\n')], [['WEIGHT', '1'], ['RATE', '0.25']]);
  });
});
