// A module constant anywhere in a `+` chain (not only at its head) or among the elements a chain inside a function is
// read as, is text of the prompt: `SYSTEM = RULES + FORMAT + "…"` was "≥26 tokens + runtime values (FORMAT)" while the
// f-string spelling of the same prompt, `f"{RULES}{FORMAT}…"`, was counted whole (42). Snippets written here (the shape is
// common in real apps: `DEVELOPER_INSTRUCTIONS + "\n\n" + …`); the oracle is js-tiktoken on the concatenated text.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { IncrementalPromptScanner } from '../../../src/shared/prompt/scanner/incremental';

const RULES = 'You are a helpful assistant. Do the first thing in the list of tasks that the user gives you.\n';
const FORMAT = 'Answer in the format that the user asks for, and keep the answer short.\n';
const PY_HEAD = `from openai import OpenAI\nclient = OpenAI()\nRULES = ${JSON.stringify(RULES)}\nFORMAT = ${JSON.stringify(FORMAT)}\n`;
const TS_HEAD = `import OpenAI from "openai";\nconst client = new OpenAI();\nconst RULES = ${JSON.stringify(RULES)};\nconst FORMAT = ${JSON.stringify(FORMAT)};\n`;

describe('module constants inside a `+` chain are counted in place', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const prompts = async (text: string, fileName: string) =>
    (await service.compute({ text, languageId: fileName.endsWith('.ts') ? 'typescript' : 'python', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;
  const named = async (text: string, fileName: string, name: string) => {
    const found = (await prompts(text, fileName)).find((p) => p.location.boundName === name);
    assert.ok(found, `a prompt bound to ${name}`);
    return found;
  };
  const whole = count(RULES + FORMAT + 'Never make up facts.');
  /**
   * Each file has one system prompt, "You are a helpful assistant. Do the first thing in the list.\n{style}\nNever make up
   * facts.", whose `style` is what the code binds at run time (not the module constant): counted without it, and named.
   */
  const assertStyleSentAtRunTime = async (cases: ReadonlyArray<readonly [string, string]>) => {
    const sent = count('You are a helpful assistant. Do the first thing in the list.\n\nNever make up facts.');
    for (const [file, text] of cases) {
      const system = (await prompts(text, file)).filter((p) => p.location.text.startsWith('You are a helpful'));
      assert.equal(system.length, 1, file);
      assert.equal(system[0].cost.tokens.count, sent, file);
      assert.deepEqual(system[0].runtimeValues, ['style'], file);
    }
  };

  it('Python and TypeScript, head and middle constants: the exact count of the whole text, no runtime values, like the f-string', async () => {
    const py = `${PY_HEAD}SYSTEM = RULES + FORMAT + "Never make up facts."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`;
    const ts = `${TS_HEAD}const SYSTEM = RULES + FORMAT + "Never make up facts.";\nawait client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n`;
    const fstring = `${PY_HEAD}SYSTEM = f"{RULES}{FORMAT}Never make up facts."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`;
    for (const [text, file] of [[py, 'a.py'], [ts, 'a.ts'], [fstring, 'b.py']] as const) {
      const p = await named(text, file, 'SYSTEM');
      assert.equal(p.cost.tokens.count, whole, file);
      assert.deepEqual(p.runtimeValues ?? [], [], file);
    }
    // FORMAT is a prompt of its own too (a template fragment, as when it is interpolated), counted on its own text.
    const format = await named(py, 'a.py', 'FORMAT');
    assert.equal(format.location.kind, 'template');
    assert.equal(format.cost.tokens.count, count(FORMAT));
  });

  it('in chain order, with the other operands named as runtime values in order', async () => {
    const py = `${PY_HEAD}SYSTEM = "Context follows.\\n" + FORMAT + extra + RULES + "Never make up facts." + question\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`;
    const p = await named(py, 'c.py', 'SYSTEM');
    assert.equal(p.cost.tokens.count, count('Context follows.\n' + FORMAT + RULES + 'Never make up facts.'));
    assert.deepEqual(p.runtimeValues, ['extra', 'question']);
  });

  it('a chain inside a function (read as a joined list): constant elements are text, the rest runtime values', async () => {
    const py = `${PY_HEAD}def ask(question, extra):\n    system = "Context follows.\\n" + FORMAT + extra + "Never make up facts." + question\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n`;
    const p = (await prompts(py, 'd.py')).find((x) => x.location.boundName === 'system');
    assert.ok(p);
    assert.equal(p.cost.tokens.count, count('Context follows.\n' + FORMAT + 'Never make up facts.'));
    assert.deepEqual(p.runtimeValues, ['extra', 'question']);
  });

  // break35: a constant named twice (a separator between sections, the rules repeated at the end) read as text once and as
  // a runtime value the second time: "≥40 tokens + runtime values (SEP)" for a prompt of 42 tokens with no runtime value.
  it('a constant named twice in a chain, at its head or in a chain inside a function is counted at both places', async () => {
    const L1 = 'Please make sure that you never make up facts.';
    const L2 = 'Be kind to everyone who writes to you.';
    const SEP = '\n\n---\n\n';
    const cases: Array<[string, string, string, number, string[]]> = [
      ['sep.py', `${PY_HEAD}SEP = "\\n\\n---\\n\\n"\nSYSTEM = RULES + SEP + "${L1}" + SEP + "${L2}"\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`, 'SYSTEM', count(RULES + SEP + L1 + SEP + L2), []],
      ['sep.ts', `${TS_HEAD}const SEP = "\\n\\n---\\n\\n";\nconst SYSTEM = RULES + SEP + "${L1}" + SEP + "${L2}";\nawait client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n`, 'SYSTEM', count(RULES + SEP + L1 + SEP + L2), []],
      ['head.py', `${PY_HEAD}SYSTEM = RULES + "${L1}" + RULES\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`, 'SYSTEM', count(RULES + L1 + RULES), []],
      ['fn.py', `${PY_HEAD}SEP = "\\n\\n---\\n\\n"\ndef ask(q):\n    system = RULES + SEP + "${L1}" + SEP + q\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n`, 'system', count(RULES + SEP + L1 + SEP), ['q']],
      ['join.py', `${PY_HEAD}def ask(q):\n    system = "\\n".join(["${L1}", FORMAT, q, FORMAT, "${L2}"])\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n`, 'system', count([L1, FORMAT, '', FORMAT, L2].join('\n')), ['q']],
    ];
    const scanner = new IncrementalPromptScanner();
    for (const [file, text, name, tokens, runtime] of cases) {
      const p = (await prompts(text, file)).find((x) => x.location.boundName === name);
      assert.ok(p, file);
      assert.equal(p.cost.tokens.count, tokens, file);
      assert.deepEqual(p.runtimeValues ?? [], runtime, file);
      const language = file.endsWith('.ts') ? 'typescript' : 'python';
      assert.deepEqual(scanner.scan(file, text, language, { fileName: file }), findPrompts(text, language, { fileName: file }), file);
    }
  });

  // break35: `const FORMAT = "…" as const` (a common TypeScript spelling of a constant) was a runtime value in a chain
  // and in a template literal, where `const FORMAT = "…"` was counted.
  it('a TypeScript constant written `as const` or `satisfies string` is counted as the plain constant is', async () => {
    const CALL = '\nawait client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: SYSTEM }] });\n';
    for (const suffix of [' as const', ' satisfies string']) {
      const head = `import OpenAI from "openai";\nconst client = new OpenAI();\nconst RULES = ${JSON.stringify(RULES)}${suffix};\nexport const FORMAT = ${JSON.stringify(FORMAT)}${suffix};\n`;
      const chain = await named(`${head}const SYSTEM = RULES + FORMAT + "Never make up facts.";${CALL}`, 'as.ts', 'SYSTEM');
      assert.equal(chain.cost.tokens.count, whole, suffix);
      assert.deepEqual(chain.runtimeValues ?? [], [], suffix);
      const template = await named(`${head}const SYSTEM = \`\${RULES}\${FORMAT}Never make up facts.\`;${CALL}`, 'as2.ts', 'SYSTEM');
      assert.equal(template.cost.tokens.count, whole, suffix);
    }
    // Near miss: a cast to another type is no longer the literal's value as written.
    const cast = await named(`import OpenAI from "openai";\nconst client = new OpenAI();\nconst RULES = ${JSON.stringify(RULES)};\nconst FORMAT = ${JSON.stringify(FORMAT)} as unknown as Format;\nconst SYSTEM = RULES + FORMAT + "Never make up facts.";${CALL}`, 'as3.ts', 'SYSTEM');
    assert.deepEqual(cast.runtimeValues, ['FORMAT']);
  });

  it('near misses stay runtime values: a constant assigned twice, a parameter of the same name, a constant assigned after a top-level chain', async () => {
    const twice = `${PY_HEAD}FORMAT = "Other."\nSYSTEM = RULES + FORMAT + "Never make up facts."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`;
    assert.deepEqual((await named(twice, 'e.py', 'SYSTEM')).runtimeValues, ['FORMAT']);
    const param = `${PY_HEAD}def ask(FORMAT):\n    system = "You are a terse assistant. Reply in one line.\\n" + FORMAT + "Never make up facts."\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n`;
    assert.deepEqual((await prompts(param, 'f.py')).find((x) => x.location.boundName === 'system')?.runtimeValues, ['FORMAT']);
    const late = `from openai import OpenAI\nclient = OpenAI()\nRULES = ${JSON.stringify(RULES)}\nSYSTEM = RULES + LATER + "Never make up facts."\nLATER = ${JSON.stringify(FORMAT)}\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM}])\n`;
    assert.deepEqual((await named(late, 'g.py', 'SYSTEM')).runtimeValues, ['LATER']);
  });

  it('the editor\'s incremental scan gives what a full scan gives after edits of the constant, above the chain and of the chain', () => {
    const start = `${PY_HEAD}format_rules = "Use short bullet points and plain words in every answer."\ndef ask(question, extra):\n    system = "Context follows.\\n" + format_rules + extra + FORMAT + "Never make up facts." + question\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\nSYSTEM = RULES + FORMAT + "Never make up facts."\n`;
    const versions = [
      start,
      start.replace('keep the answer short', 'keep the answer very short'),
      `# a comment\n${start}`,
      start.replace('+ extra + FORMAT', '+ FORMAT + extra'),
      start.replace('format_rules = "Use short', 'format_rules = "Use long'),
    ];
    const scanner = new IncrementalPromptScanner();
    for (const [i, text] of [...versions, ...versions.slice().reverse()].entries()) {
      const full = findPrompts(text, 'python', { fileName: 'h.py' });
      assert.deepEqual(scanner.scan('h.py', text, 'python', { fileName: 'h.py' }), full, `version ${i}`);
      const system = full.find((p) => p.boundName === 'system');
      // format_rules (lower case) and FORMAT are both pieces of the function's prompt.
      assert.equal(system?.pieces?.filter((p) => p.shared).length, 2, `version ${i}`);
    }
  });

  // break34b: a name a loop, comprehension, `with … as`, lambda or arrow function binds is not the module constant there:
  // python3 on these snippets (a stub client printing the system message) sends "…list.\nReply in French.\nNever make up
  // facts." for styles=["Reply in French."], not the constant's text.
  it('a module constant rebound by a for loop, a comprehension, `with … as`, a lambda or an arrow parameter stays a runtime value', async () => {
    const PRE = 'from openai import OpenAI\nclient = OpenAI()\nstyle = "Answer in the format that the user asks for, and keep the answer short."\n';
    const CREATE = (content: string) => `client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": ${content}}])`;
    const CHAIN = '"You are a helpful assistant. Do the first thing in the list.\\n" + style + "\\nNever make up facts."';
    const FSTRING = 'f"You are a helpful assistant. Do the first thing in the list.\\n{style}\\nNever make up facts."';
    const cases: Array<[string, string]> = [
      ['loop.py', `${PRE}def ask(styles):\n    for style in styles:\n        system = ${CHAIN}\n        ${CREATE('system')}\n`],
      ['comp.py', `${PRE}def ask(styles):\n    return [${CREATE(CHAIN)} for style in styles]\n`],
      ['with.py', `${PRE}def ask(path):\n    with open(path) as style:\n        ${CREATE(CHAIN)}\n`],
      ['fstring.py', `${PRE}def ask(styles):\n    for style in styles:\n        ${CREATE(FSTRING)}\n`],
      ['lambda.py', `${PRE}make = lambda style: ${CHAIN}\n${CREATE('make("Reply in French.")')}\n`],
      [
        'arrow.ts',
        'import OpenAI from "openai";\nconst client = new OpenAI();\nconst style = "Answer in the format that the user asks for, and keep the answer short.";\n' +
          'export const all = (styles: string[]) => styles.map((style) => client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: `You are a helpful assistant. Do the first thing in the list.\\n${style}\\nNever make up facts.` }] }));\n',
      ],
      [
        'forof.ts',
        'import OpenAI from "openai";\nconst client = new OpenAI();\nconst style = "Answer in the format that the user asks for, and keep the answer short.";\n' +
          'export async function ask(styles: string[]) {\n  for (const style of styles) {\n    await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: `You are a helpful assistant. Do the first thing in the list.\\n${style}\\nNever make up facts.` }] });\n  }\n}\n',
      ],
    ];
    await assertStyleSentAtRunTime(cases);
    // Prose that reads like a rebinding ("Look for style in…", "…as style:") is no code: the constant is still spliced.
    const prose = `${PRE}def ask():\n    system = "You are a helpful assistant. Look for style in the examples, and use the rule below as style:\\n" + style + "\\nNever make up facts."\n    ${CREATE('system')}\n`;
    const p = (await prompts(prose, 'prose.py')).find((x) => x.location.boundName === 'system');
    assert.equal(p?.cost.tokens.count, count('You are a helpful assistant. Look for style in the examples, and use the rule below as style:\nAnswer in the format that the user asks for, and keep the answer short.\nNever make up facts.'));
    assert.deepEqual(p?.runtimeValues ?? [], []);
    const scanner = new IncrementalPromptScanner();
    for (const [file, text] of [...cases, ['prose.py', prose]]) {
      const language = file.endsWith('.ts') ? 'typescript' : 'python';
      assert.deepEqual(scanner.scan(file, text, language, { fileName: file }), findPrompts(text, language, { fileName: file }), file);
    }
  });

  // break34b: python3 sends the argument ("…list.\nReply in French.\nNever make up facts.") for outer("Reply in French.")(q)
  // and ask("Reply in French."): a parameter of the function or of an enclosing one is not the module constant.
  it('a module constant shadowed by a parameter of the function (interpolated) or of an enclosing function (in a chain) stays a runtime value', async () => {
    const PRE = 'from openai import OpenAI\nclient = OpenAI()\nstyle = "Answer in the format that the user asks for, and keep the answer short."\n';
    const TSPRE = 'import OpenAI from "openai";\nconst client = new OpenAI();\nconst style = "Answer in the format that the user asks for, and keep the answer short.";\n';
    const CHAIN = '"You are a helpful assistant. Do the first thing in the list.\\n" + style + "\\nNever make up facts."';
    const TEMPLATE = '`You are a helpful assistant. Do the first thing in the list.\\n${style}\\nNever make up facts.`';
    const cases: Array<[string, string]> = [
      ['param.py', `${PRE}def ask(style):\n    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": f"You are a helpful assistant. Do the first thing in the list.\\n{style}\\nNever make up facts."}])\n`],
      ['nested.py', `${PRE}def outer(style):\n    def inner(q):\n        system = ${CHAIN}\n        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}])\n    return inner\n`],
      ['param.ts', `${TSPRE}export function ask(style: string) {\n  return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: ${TEMPLATE} }] });\n}\n`],
      ['method.ts', `${TSPRE}export class Agent {
  async ask(style: string): Promise<unknown> {
    return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: ${TEMPLATE} }] });
  }
}
`],
      ['nested.ts', `${TSPRE}export function outer(style: string) {\n  return async function inner() {\n    const system = ${CHAIN};\n    return client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });\n  };\n}\n`],
    ];
    await assertStyleSentAtRunTime(cases);
  });
});
