// breaker44 (session 44, issue 12 item 1): rewrites that never break code, tried on real code we did not make
// (open-interpreter, crewAI, gpt-pilot) and on hostile forms. Each finding names the input and what the guard did before.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EDITOR_KINDS } from '../../../src/shared/hints/hints';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { OPERATIONS, describeOperation, oracleProblems, rewriteThroughEditorPath } from './rewritePath';
import { formatFields, printfConversions, templateSyntaxDifference } from '../../../src/shared/prompt/templateSyntax';

/** The one prompt `findPrompts` reads in `source` (a file named `fileName`). */
function onlyPrompt(source: string, fileName: string) {
  const prompts = findPrompts(source, undefined, { fileName });
  assert.equal(prompts.length, 1, `prompts found: ${prompts.map((p) => JSON.stringify(p.text.slice(0, 40))).join(', ')}`);
  return prompts[0];
}

/** The guard's verdict on replacing `from` with `to` in the prompt's decoded text: the edited file, or "refused: why". */
function verdict(source: string, fileName: string, from: string, to: string): string {
  const prompt = onlyPrompt(source, fileName);
  assert.ok(prompt.text.includes(from), `${JSON.stringify(from)} is in the prompt`);
  const v = planLiteralEdit(source, prompt, prompt.text.replace(from, to), { fileName });
  return v.ok ? v.edited : `refused: ${v.why}`;
}

const PRINTF_REFUSAL = 'refused: it would leave a "%" that starts no conversion of its own in a %-formatted template (write "%%" for a percent sign there)';
const FORMAT_REFUSAL = 'refused: it would leave a single "{" or "}" in a format template (write "{{" or "}}" for a brace there)';
const JINJA_REFUSAL = 'refused: it would add a "{{", "{%" or "{#" that opens no tag in a Jinja or Mustache template';

describe('breaker44 finding 1: a rewrite that breaks a template between its placeholders is refused (the atoms check let it through)', () => {
  // A %-formatted prompt: every "%" is a conversion or "%%". Before the fix each of these was applied: Python then raises
  // "incomplete format" / "not enough arguments", or with a mapping reads "% s" as a conversion and eats the "s".
  const pct = [
    'name = "a"',
    'prompt = "You are a helpful assistant. Be 100%% sure before you answer %(name)s, report the share as NN %% and keep it short." % {"name": name}',
    '',
  ].join('\n');

  it('"100%% sure" → "100% sure" (a model or a fix writing one percent sign) is refused: "% s" would be a new conversion', () => {
    assert.equal(verdict(pct, 'p.py', '100%% sure', '100% sure'), PRINTF_REFUSAL);
  });

  it('a lone "%" added at the end, and "NN %%" → "NN %", are refused', () => {
    assert.equal(verdict(pct, 'p.py', 'keep it short.', 'keep it short (100%).'), PRINTF_REFUSAL);
    assert.equal(verdict(pct, 'p.py', 'NN %%', 'NN %'), PRINTF_REFUSAL);
  });

  it('dropping "100%% " whole, or rewording around the conversions, is still applied, byte for byte', () => {
    assert.equal(verdict(pct, 'p.py', 'Be 100%% sure before you answer', 'Answer'), pct.replace('Be 100%% sure before you answer', 'Answer'));
    assert.equal(verdict(pct, 'p.py', 'You are a helpful assistant. ', ''), pct.replace('You are a helpful assistant. ', ''));
  });

  it('a prompt with no conversion is no %-template: "100 percent" → "100%" is applied', () => {
    const plain = 'prompt = "You are a helpful assistant. Be 100 percent sure before you answer the question, and keep it short."\n';
    assert.equal(verdict(plain, 'p.py', '100 percent', '100%'), plain.replace('100 percent', '100%'));
  });

  // A str.format template (crewAI's en.json and open-interpreter's prompts are filled this way): a lone brace raises
  // "Single '}' encountered in format string" / "unexpected '{' in field name" when the prompt is formatted.
  const fmt = 'prompt = "You are a helpful assistant. Answer {question!r:>20} for {0[key]} and {obj.attr}; show {{literal}} braces and keep it short.".format({"key": 1}, obj=o, question=q)\n';

  it('a lone "}" or "{" added to a str.format template is refused; "{{" / "}}" pairs and plain words are applied', () => {
    assert.equal(verdict(fmt, 'p.py', 'keep it short.', 'keep it short }.'), FORMAT_REFUSAL);
    assert.equal(verdict(fmt, 'p.py', 'keep it short.', 'keep it { short.'), FORMAT_REFUSAL);
    assert.equal(verdict(fmt, 'p.py', 'keep it short.', 'keep it short}}.'), fmt.replace('keep it short.', 'keep it short}}.'));
    assert.equal(verdict(fmt, 'p.py', 'You are a helpful assistant. ', ''), fmt.replace('You are a helpful assistant. ', ''));
  });

  it('a JSON example with single braces written into a str.format template (crewAI en.json slices are formatted so) is refused: str.format reads it as a field', () => {
    assert.equal(
      verdict(fmt, 'p.py', 'keep it short.', 'keep it short, as {"answer": "..."}.'),
      'refused: it would add "{"answer": "..."}", which str.format reads as a field, to a format template (write "{{" and "}}" for braces there)',
    );
  });

  it('an f-string is no str.format template: a lone "{" in its text is written as "{{" and applied', () => {
    const f = 'prompt = f"You are a helpful assistant. Answer {question!r:>{width}} for the user and keep it short, please."\n';
    assert.equal(verdict(f, 'p.py', 'keep it short', 'keep it { short'), f.replace('keep it short', 'keep it {{ short'));
  });

  it('a LangChain.js template literal mixing ${…} and {fields}: a lone "}" is refused', () => {
    const js = 'const SYSTEM = "x";\nexport const template = `${SYSTEM}\nYou are a helpful assistant. Answer the question {question} about {topic} and keep the answer short.`;\n';
    assert.equal(verdict(js, 'p.ts', 'keep the answer short.', 'keep the answer short }.'), FORMAT_REFUSAL);
  });

  it('a Jinja template (gpt-pilot\'s .prompt files): a new "{{" or "{%" that opens no tag is refused; "}}" is applied', () => {
    const jinja = 'prompt = """You are a helpful assistant.\n{% for item in items %}- Check {{ item | upper }} carefully\n{% endfor %}Keep the answer short and clear.\n"""\n';
    assert.equal(verdict(jinja, 'p.py', 'Keep the answer short', 'Keep the answer {{ short'), JINJA_REFUSAL);
    assert.equal(verdict(jinja, 'p.py', 'Keep the answer short', 'Keep the answer {% short'), JINJA_REFUSAL);
    assert.equal(verdict(jinja, 'p.py', 'Keep the answer short', 'Keep the answer }} short'), jinja.replace('Keep the answer short', 'Keep the answer }} short'));
    // A lone brace is text to Jinja: no str.format refusal for a Jinja template.
    assert.equal(verdict(jinja, 'p.py', 'Keep the answer short', 'Keep the answer } short'), jinja.replace('Keep the answer short', 'Keep the answer } short'));
  });

  it('the syntax readers agree with Python (values from python3.11: `s % mapping` and string.Formatter().parse)', () => {
    // '%(a)s %' → ValueError incomplete format; '%(a)s %z' → TypeError; '100% sure %(name)s' formats (reads "% s").
    assert.equal(printfConversions('100%% sure %(name)s'), 1);
    assert.equal(printfConversions('100% sure %(name)s'), 2);
    assert.equal(printfConversions('a %-5.2f b %*d %%'), 2);
    assert.equal(printfConversions('%(a)s %'), undefined);
    assert.equal(printfConversions('%(a)s %z'), undefined);
    // Formatter().parse: 3 fields, 1 field, then "Single '}'", "unexpected '{'", "Single '}'".
    assert.deepEqual(formatFields('{0[key]} {obj.attr} {} {{lit}}'), ['{0[key]}', '{obj.attr}', '{}']);
    assert.deepEqual(formatFields('{x:>{w}}'), ['{x:>{w}}']);
    assert.equal(formatFields('a } b {x}'), undefined);
    assert.equal(formatFields('a { b {x}'), undefined);
    assert.equal(formatFields('{{x}'), undefined);
    assert.equal(templateSyntaxDifference('Say {x}', 'Say {x} }', true), undefined);
  });
});

describe('breaker44 finding 2: the rewrite oracle (rewritePath.ts) read code inside an interpolation as the text\'s code spans', () => {
  // A hostile template literal: backticks and braces inside `${…}`. Compress dropped "kindly " from the text between two
  // interpolations (a sound edit, the TypeScript compiler's tree agrees), and the oracle's regex took "`\")}, kindly answer
  // ${/[}`" for a code span, so scripts/real-repo-check.mjs called the edit broken.
  const ts = [
    'declare const user: { name: string; items: string[] };',
    'export const prompt = `You are a helpful assistant. Please, in order to help ${user.items.map((i) => `<${i}>`).join("}`")}, kindly answer ${/[}`]/.test(user.name) ? "}" : \'{\'} really carefully and make sure that you respond in order to be helpful.`;',
    '',
  ].join('\n');

  it('compress medium of that literal is applied and the oracle finds no problem', async () => {
    const prompt = onlyPrompt(ts, 'p.ts');
    const outcome = await rewriteThroughEditorPath(ts, { fileName: 'p.ts' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied');
    if (outcome.status !== 'applied') return;
    assert.ok(!outcome.newText.includes('kindly'));
    assert.deepEqual(oracleProblems(ts, outcome.edited, 'typescript', prompt, outcome.newText), []);
  });

  it('the oracle still reports an interpolation dropped from the text', () => {
    const prompt = onlyPrompt(ts, 'p.ts');
    const newText = prompt.text.replace('${/[}`]/.test(user.name) ? "}" : \'{\'}', 'it');
    const edited = ts.replace('${/[}`]/.test(user.name) ? "}" : \'{\'}', 'it');
    assert.ok(oracleProblems(ts, edited, 'typescript', prompt, newText).some((p) => p.startsWith('placeholders ')));
  });

  it('"%%s" (a percent sign, then s) is no "%s": distill dropping a sentence that holds it is no lost placeholder', () => {
    const py = 'prompt = "You are a helpful assistant. Answer %(name)s carefully. Use %%s literally." % {"name": 1}\n';
    const prompt = onlyPrompt(py, 'p.py');
    const newText = 'You are a helpful assistant. Answer %(name)s carefully.';
    const edited = py.replace(' Use %%s literally.', '');
    assert.deepEqual(oracleProblems(py, edited, 'python', prompt, newText), []);
  });
});

const REAL = path.resolve(__dirname, '../../../../test/fixtures/real-extra');

/** Every value of a JSON document by its path, as JSON.parse reads it (the independent oracle for a .json edit). */
function jsonLeaves(value: unknown, at = '$', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    out.set(at, entries.map(([k]) => k).join(','));
    for (const [k, v] of entries) jsonLeaves(v, `${at}.${k}`, out);
  } else out.set(at, value);
  return out;
}

/** `{name}` fields and `{{`/`}}` escapes as a regular expression reads them (not templateSyntax.ts): the same list, in order. */
const formatMarks = (t: string): string[] => t.match(/\{\{|\}\}|\{[^{}]*\}/g) ?? [];

describe('breaker44: real files we did not make (crewAI f4731f50, MIT; test/fixtures/real-extra/SOURCES.md)', () => {
  const analyzer = new PromptAnalyzer();

  it('crewAI\'s translations/en.json (its str.format templates): every operation and every quick fix is applied or refused, none breaks the JSON, another value or a field', async function () {
    this.timeout(120_000);
    const source = readFileSync(path.join(REAL, 'crewai_en.json.txt'), 'utf8');
    const prompts = findPrompts(source, undefined, { fileName: 'en.json' });
    assert.ok(prompts.length >= 40, `${prompts.length} prompts`);
    const before = jsonLeaves(JSON.parse(source));
    const broken: string[] = [];
    let applied = 0;
    const check = (what: string, edited: string, oldText: string, newText: string): void => {
      applied++;
      const after = jsonLeaves(JSON.parse(edited));
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
      if (changed.length !== 1 || after.get(changed[0]) !== newText) broken.push(`${what}: values changed ${changed.join(', ')}`);
      if (JSON.stringify(formatMarks(oldText)) !== JSON.stringify(formatMarks(newText))) broken.push(`${what}: fields ${formatMarks(oldText).join(' ')} → ${formatMarks(newText).join(' ')}`);
    };
    for (const prompt of prompts) {
      for (const op of OPERATIONS) {
        const outcome = await rewriteThroughEditorPath(source, { fileName: 'en.json' }, prompt, op);
        if (outcome.status === 'applied') check(`${prompt.range.start.line + 1} ${describeOperation(op)}`, outcome.edited, prompt.text, outcome.newText);
      }
      for (const s of analyzer.suggestions(prompt.text, { model: 'gpt-4o', kinds: EDITOR_KINDS })) {
        if (!s.range || s.replacement === undefined) continue;
        const e = s.fix ?? { start: s.range.start, end: s.range.end, replacement: s.replacement };
        const newText = prompt.text.slice(0, e.start) + e.replacement + prompt.text.slice(e.end);
        const v = planLiteralEdit(source, prompt, newText, { fileName: 'en.json' });
        if (v.ok) check(`${prompt.range.start.line + 1} fix ${s.kind}`, v.edited, prompt.text, newText);
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(applied > 100, `${applied} applied`);
  });

  it('crewAI\'s "tools" slice: a model\'s Optimize that writes a JSON example with single braces is refused (it was applied; the agent\'s .format() then raises KeyError)', () => {
    const source = readFileSync(path.join(REAL, 'crewai_en.json.txt'), 'utf8');
    const prompt = findPrompts(source, undefined, { fileName: 'en.json' }).find((p) => p.text.includes('You ONLY have access to the following tools'))!;
    const newText = prompt.text.replace('Once all necessary information is gathered,', 'Once all necessary information is gathered (a tool returned {"result": "…"}),');
    const v = planLiteralEdit(source, prompt, newText, { fileName: 'en.json' });
    assert.equal(v.ok ? 'applied' : v.why, 'it would add "{"result": "…"}", which str.format reads as a field, to a format template (write "{{" and "}}" for braces there)');
  });

  it('crewAI\'s tools_metrics.py (f-strings with {…} fields): every operation and quick fix applied keeps the code, the interpolations and the literal, per the Lezer oracle', async function () {
    this.timeout(120_000);
    const source = readFileSync(path.join(REAL, 'crewai_tools_metrics.py.txt'), 'utf8');
    const prompts = findPrompts(source, undefined, { fileName: 'tools_metrics.py' });
    assert.ok(prompts.length >= 5, `${prompts.length} prompts`);
    const problems: string[] = [];
    let applied = 0;
    for (const prompt of prompts) {
      for (const op of OPERATIONS) {
        const outcome = await rewriteThroughEditorPath(source, { fileName: 'tools_metrics.py' }, prompt, op);
        if (outcome.status !== 'applied') continue;
        applied++;
        problems.push(...oracleProblems(source, outcome.edited, 'python', prompt, outcome.newText).map((p) => `${prompt.range.start.line + 1} ${describeOperation(op)}: ${p}`));
      }
      for (const s of analyzer.suggestions(prompt.text, { model: 'gpt-4o', kinds: EDITOR_KINDS })) {
        if (!s.range || s.replacement === undefined) continue;
        const e = s.fix ?? { start: s.range.start, end: s.range.end, replacement: s.replacement };
        const newText = prompt.text.slice(0, e.start) + e.replacement + prompt.text.slice(e.end);
        const v = planLiteralEdit(source, prompt, newText, { fileName: 'tools_metrics.py' });
        if (!v.ok) continue;
        applied++;
        problems.push(...oracleProblems(source, v.edited, 'python', prompt, newText).map((p) => `${prompt.range.start.line + 1} fix ${s.kind}: ${p}`));
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(applied > 20, `${applied} applied`);
  });
});
