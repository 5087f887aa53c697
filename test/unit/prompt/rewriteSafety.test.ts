/**
 * Rewrites that are safe by construction (issue 12, item 1). Interpolations, nested
 * template literals, f-string fields with conversions, format specs and nested quotes,
 * `.format`/`%` placeholders, Jinja/Mustache tags and code spans are atoms: compress,
 * distill and optimize keep them exactly and in order, and the guard refuses any edit that
 * would not. The property test generates literals with nested interpolations for Python
 * and TypeScript and runs every operation through the editor's path (engine handler, then
 * the guard), and checks each applied edit with an oracle independent of the guard.
 */
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { findAtoms, maskAtoms, unmaskAtoms, unmaskOffset } from '../../../src/shared/prompt/scanner/atoms';
import { encodeLiteralContent } from '../../../src/shared/prompt/scanner/literalEncode';
import { encodeEdit, planLiteralEdit, rewriteKeepingAtoms } from '../../../src/shared/prompt/rewriteGuard';
import { EngineError } from '../../../src/protocol/errors';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';
import type { PromptLocation } from '../../../src/protocol/scan';
import { callEngine, describeOperation, OPERATIONS, oracleProblems, rewriteThroughEditorPath, type Operation } from './rewritePath';

/** The case from the issue: a template literal holding a nested one, in a RAG app. */
const NESTED_TS = [
  "import OpenAI from 'openai';",
  'const client = new OpenAI();',
  'export async function answer(question: string, retrievedContext: string, isRagWorking: boolean) {',
  '  const systemPrompt = `You are a very helpful assistant. Please answer the question using the context below.',
  'Context: ${isRagWorking ? `${retrievedContext}` : "No information available."}',
  'Please be concise and give responses that are really short.`;',
  "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }, { role: 'user', content: question }] });",
  '}',
  '',
].join('\n');
const NESTED_INTERPOLATION = '${isRagWorking ? `${retrievedContext}` : "No information available."}';

function onlyPrompt(src: string, fileName: string): PromptLocation {
  const found = findPrompts(src, undefined, { fileName });
  assert.equal(found.length, 1, `expected one prompt in ${fileName}, found ${found.length}`);
  return found[0];
}

describe('rewrite safety: atoms', () => {
  it('finds interpolations with nested template literals, f-string fields with specs and nested quotes, placeholders, tags and code spans', () => {
    const text = [
      'A ${isRagWorking ? `${retrievedContext}` : "No information."} B',
      '{x!r:>{width}} {d[\'k\']} {f"{a}"} {value:.2f} {} {0} %(name)s %s 100% sure',
      '{{ user.name }} {% if admin %}yes{% endif %} {# note #} `code` ${items.map((i) => `- ${i}`).join("\\n")}',
      '```json',
      '{"a": 1}',
      '```',
      'tail',
    ].join('\n');
    const atoms = findAtoms(text).map((a) => `${a.kind}:${a.text}`);
    assert.deepEqual(atoms, [
      'interpolation:${isRagWorking ? `${retrievedContext}` : "No information."}',
      'field:{x!r:>{width}}',
      "field:{d['k']}",
      'field:{f"{a}"}',
      'field:{value:.2f}',
      'field:{}',
      'field:{0}',
      'percent:%(name)s',
      'percent:%s',
      'mustache:{{ user.name }}',
      'jinjaBlock:{% if admin %}',
      'jinjaBlock:{% endif %}',
      'jinjaComment:{# note #}',
      'inlineCode:`code`',
      'interpolation:${items.map((i) => `- ${i}`).join("\\n")}',
      'codeFence:```json\n{"a": 1}\n```',
    ]);
  });

  it('masks atoms with unique sentinels and puts them back; a lost, repeated or reordered atom is an error', () => {
    const text = 'Use {a} then ${b ? `${c}` : "d"} and {{ e }}.';
    const mask = maskAtoms(text, findAtoms(text));
    assert.equal(mask.text, 'Use {PPYATOM0Q} then {PPYATOM1Q} and {{PPYATOM2Q}}.');
    assert.equal(unmaskAtoms(mask.text.replace('Use ', 'Take '), mask), 'Take {a} then ${b ? `${c}` : "d"} and {{ e }}.');
    assert.throws(() => unmaskAtoms('Use {PPYATOM0Q} and {{PPYATOM2Q}}.', mask), /remove "\$\{b \? `\$\{c\}` : "d"\}"/);
    assert.throws(() => unmaskAtoms('{PPYATOM1Q} {PPYATOM0Q} {{PPYATOM2Q}}', mask), /move "\{a\}"|move "\$\{b/);
    assert.throws(() => unmaskAtoms('{PPYATOM0Q} {PPYATOM0Q} {PPYATOM1Q} {{PPYATOM2Q}}', mask), /repeat "\{a\}"/);
    // Offsets map back: "then" is at 16 in the masked text and at 8 in the original.
    assert.equal(mask.text.indexOf('then'), 16);
    assert.equal(unmaskOffset(16, mask), 8);
    assert.equal(text.indexOf('then'), 8);
    // A text that already holds the sentinel stem gets another one.
    assert.equal(maskAtoms('PPYATOM {x}', findAtoms('PPYATOM {x}')).text, 'PPYATOM {PPY0ATOM0Q}');
  });
});

describe('rewrite safety: the engine refuses a rewrite that loses an atom', () => {
  const text = 'Answer {question} using {context} and {{ style }}.';
  it('a rewriter that drops, reorders or rewrites a sentinel gets an EngineError that names the placeholder', () => {
    const cases: Array<[(masked: string) => string, RegExp]> = [
      [(m) => m.replace(/ using \{PPYATOM1Q\}/, ''), /^Compressing would break the prompt: it would remove "\{context\}"\. Nothing was changed\.$/],
      [(m) => m.replace('{PPYATOM0Q}', '{X}').replace('{PPYATOM1Q}', '{PPYATOM0Q}').replace('{X}', '{PPYATOM1Q}'), /it would move "\{context\}" out of its place/],
      [(m) => m.replace('{PPYATOM0Q}', 'PPYATOM0Q'), /it would change the delimiters of "\{question\}"/],
      [(m) => `${m} {PPYATOM0Q}`, /it would repeat "\{question\}"/],
    ];
    for (const [rewrite, why] of cases) {
      assert.throws(
        () => rewriteKeepingAtoms('Compressing', text, (masked) => ({ text: rewrite(masked) })),
        (error: unknown) => error instanceof EngineError && error.code === 'unsupported' && why.test(error.message),
      );
    }
    // A rewrite that keeps them gets the atoms back verbatim.
    assert.equal(rewriteKeepingAtoms('Compressing', text, (masked) => ({ text: masked.replace('Answer', 'Reply to') })).text, 'Reply to {question} using {context} and {{ style }}.');
  });

  it('token figures of a masked rewrite are counted on the real texts', async () => {
    const p = onlyPrompt(NESTED_TS, 'rag.ts');
    const result = (await callEngine('prompt/compress', { text: p.text, model: 'gpt-4o' })) as { text: string; tokensBefore: number; tokensAfter: number; charactersBefore: number };
    const reference = new TokenizerService('js-tiktoken');
    assert.equal(result.tokensBefore, reference.countWithEncoding(p.text, 'o200k_base'));
    assert.equal(result.tokensAfter, reference.countWithEncoding(result.text, 'o200k_base'));
    assert.equal(result.charactersBefore, p.text.length);
  });
});

describe('rewrite safety: the nested template literal from the issue', () => {
  it('before: a rewrite that touched the interpolation was written back escaped, as plain text (the bug)', () => {
    const p = onlyPrompt(NESTED_TS, 'rag.ts');
    assert.deepEqual(p.quoting.interpolations, [NESTED_INTERPOLATION]);
    // What Compress Prompt returned in the issue: the space before "?" and ":" collapsed inside the interpolation.
    const buggy = p.text.replace(NESTED_INTERPOLATION, '${isRagWorking? `${retrievedContext}`: "No information available."}');
    const encoded = encodeLiteralContent(buggy, p.quoting);
    assert.ok(encoded.includes('Context: \\${isRagWorking? \\`\\${retrievedContext}\\`: "No information available."}'), encoded);
    // The oracle sees it (so the property test below can fail)...
    const edited = NESTED_TS.slice(0, p.contentRange.start.offset) + encoded + NESTED_TS.slice(p.contentRange.end.offset);
    const problems = oracleProblems(NESTED_TS, edited, 'typescript', p, buggy);
    assert.ok(problems.some((x) => x.startsWith('interpolations ')), problems.join('; '));
    // ...and the guard refuses the edit.
    const verdict = planLiteralEdit(NESTED_TS, p, buggy, { fileName: 'rag.ts' });
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /^The rewrite was not applied: it would remove or change "\$\{isRagWorking \? `\$\{retrievedContext\}` : "No informat/);
  });

  for (const op of OPERATIONS) {
    it(`after: ${describeOperation(op)} through the editor path keeps the interpolation live`, async () => {
      const p = onlyPrompt(NESTED_TS, 'rag.ts');
      const outcome = await rewriteThroughEditorPath(NESTED_TS, { fileName: 'rag.ts' }, p, op, 40);
      if (outcome.status === 'refused') assert.ok(outcome.reason.length > 20, outcome.reason);
      if (outcome.status !== 'applied') return;
      assert.ok(outcome.edited.includes(NESTED_INTERPOLATION), outcome.edited);
      assert.deepEqual(oracleProblems(NESTED_TS, outcome.edited, 'typescript', p, outcome.newText), []);
    });
  }

  it('compress (default) is applied, not refused, and changes only prose', async () => {
    const p = onlyPrompt(NESTED_TS, 'rag.ts');
    const outcome = await rewriteThroughEditorPath(NESTED_TS, { fileName: 'rag.ts' }, p, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied');
    if (outcome.status !== 'applied') return;
    const lines = outcome.edited.split('\n');
    assert.equal(lines[4], `Context: ${NESTED_INTERPOLATION}`);
    assert.deepEqual(lines.slice(0, 3), NESTED_TS.split('\n').slice(0, 3));
    assert.deepEqual(lines.slice(6), NESTED_TS.split('\n').slice(6));
  });
});

describe('rewrite safety: the guard refuses what breaks code', () => {
  const pyFile = 'from openai import OpenAI\nclient = OpenAI()\nSYSTEM_PROMPT = f"You are {persona}. Answer {question!r:>{width}} in {lang}."\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
  it('an edit that drops, changes or reorders an f-string field', () => {
    const p = onlyPrompt(pyFile, 'app.py');
    assert.equal(p.text, 'You are {persona}. Answer {question!r:>{width}} in {lang}.');
    const cases: Array<[string, RegExp]> = [
      ['You are {persona}. Answer in {lang}.', /remove or change "\{question!r:>\{width\}\}"/],
      ['You are {persona}. Answer {question!r:>{ width }} in {lang}.', /remove or change/],
      ['Answer {question!r:>{width}} in {lang}. You are {persona}.', /order/],
      ['You are {persona}. Answer {question!r:>{width}} in {lang} {extra}.', /add "\{extra\}"/],
    ];
    for (const [text, why] of cases) {
      const v = planLiteralEdit(pyFile, p, text, { fileName: 'app.py' });
      assert.equal(v.ok, false, text);
      assert.match(v.ok ? '' : v.reason, why);
    }
    const ok = planLiteralEdit(pyFile, p, 'Be {persona}. Answer {question!r:>{width}} in {lang}.', { fileName: 'app.py' });
    assert.ok(ok.ok);
    assert.equal(ok.ok ? ok.edited.split('\n')[2] : '', 'SYSTEM_PROMPT = f"Be {persona}. Answer {question!r:>{width}} in {lang}."');
  });

  it('an edit whose encoded literal would not parse back the same (a mis-encoded quote)', () => {
    const src = 'const SYSTEM_PROMPT = "You are a helpful assistant for the docs.";\nopenai.chat.completions.create({ messages: [{ role: "system", content: SYSTEM_PROMPT }] });\n';
    const p = onlyPrompt(src, 'a.ts');
    // A broken quoting description stands in for an encoder bug: the quote is not escaped.
    const broken: PromptLocation = { ...p, quoting: { ...p.quoting, quote: "'" }, segments: [{ ...p.segments[0], quoting: { ...p.quoting, quote: "'" } }] };
    const v = planLiteralEdit(src, broken, 'Say "hi" briefly.', { fileName: 'a.ts' });
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.reason, /would not parse as one string literal|code around the literal/);
  });

  it('a concatenation keeps its literals (layout27); its one-literal fallback takes the form that keeps every live interpolation live', () => {
    const py = 'from openai import OpenAI\nclient = OpenAI()\nSYSTEM_PROMPT = ("You are a very helpful assistant. Please answer {literal} " f"about {topic} in {lang}.")\nclient.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])\n';
    const p = onlyPrompt(py, 'concat.py');
    assert.equal(p.segments.length, 2);
    const newText = p.text.replace('You are a very helpful assistant. Please answer', 'Answer');
    const v = planLiteralEdit(py, p, newText, { fileName: 'concat.py' });
    assert.ok(v.ok, v.ok ? '' : v.reason);
    // Each literal keeps its form: {literal} stays text in the plain string, {topic} and {lang} stay live in the f-string.
    assert.equal(v.ok ? v.edited.split('\n')[2] : '', 'SYSTEM_PROMPT = ("Answer {literal} " f"about {topic} in {lang}.")');
    // The fallback (one literal, when the text cannot be mapped onto the literals): {literal} stays text ({{literal}}).
    assert.equal(encodeEdit(p, newText).text, 'f"Answer {{literal}} about {topic} in {lang}."');
    const ts = "const systemPrompt = 'You are a very helpful assistant. Please answer ${notLive} ' + `about ${topic} in ${lang}.`;\nopenai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });\n";
    const q = onlyPrompt(ts, 'concat.ts');
    const tsText = q.text.replace('You are a very helpful assistant. Please answer', 'Answer');
    const w = planLiteralEdit(ts, q, tsText, { fileName: 'concat.ts' });
    assert.equal(w.ok ? w.edited.split('\n')[0] : (w as { reason: string }).reason, "const systemPrompt = 'Answer ${notLive} ' + `about ${topic} in ${lang}.`;");
    assert.equal(encodeEdit(q, tsText).text, '`Answer \\${notLive} about ${topic} in ${lang}.`');
  });

  it('JSON and YAML prompts: an edit must keep the document and read back as the new text', () => {
    const json = '{"system_prompt": "You are a helpful assistant for {product}.", "n": 1}';
    const pj = onlyPrompt(json, 'prompts.json');
    const okJ = planLiteralEdit(json, pj, 'Help with {product} "now".', { fileName: 'prompts.json' });
    assert.ok(okJ.ok);
    assert.deepEqual(JSON.parse(okJ.ok ? okJ.edited : '{}'), { system_prompt: 'Help with {product} "now".', n: 1 });
    assert.equal(planLiteralEdit(json, pj, 'Help with the product.', { fileName: 'prompts.json' }).ok, false);
    const yaml = 'system_prompt: |\n  You are a helpful assistant for {{ product }}.\n  Answer briefly.\nother: 1\n';
    const py = onlyPrompt(yaml, 'prompts.yaml');
    const okY = planLiteralEdit(yaml, py, 'Help with {{ product }}.\nBe brief.', { fileName: 'prompts.yaml' });
    assert.ok(okY.ok, okY.ok ? '' : okY.reason);
    assert.equal(planLiteralEdit(yaml, py, 'Help with the product.', { fileName: 'prompts.yaml' }).ok, false);
  });
});

// ---------------------------------------------------------------------------------------
// The property test.

const PROSE = [
  'You are a very helpful assistant.',
  'Please answer the question using the context below.',
  'Basically, you should really try to be concise and give responses that are short.',
  'In order to answer, please make sure to read the context carefully.',
  'Do not make up facts.',
  'It is important to note that the answer must be in English.',
  'Please note that you must always cite 3 sources.',
  'Return the answer as a bulleted list.',
  'Example: Q: What is 2+2? A: 4.',
  "You're an expert at summarizing long documents, and you always keep things short.",
  'Context:',
  'Question:',
  'Thank you so much for your help!',
  'Use the `search` tool when the context is empty.',
  'Keep the total under 100% of the budget and never exceed 200 words.',
  // A backslash right before a brace (LaTeX sets, Windows paths; breaker49): in an f-string the brace is still a brace.
  'Write sets as \\{a, b\\} in LaTeX.',
];

const JS_IDENT = fc.constantFrom('retrievedContext', 'user.name', 'question', 'items.length', 'ctx.lang', 'isRagWorking');
const JS_CONSTANT_EXPR = fc.constantFrom('items.map((i) => `- ${i}`).join("\\n")', '{ a: 1 }.a', 'JSON.stringify({ k: `v ${x}` })', 'a /* } */ + b', "obj['}']", 'text.replace(/[{}]/g, "")', "name.replace(/'/g, '')", 'total / count', 'text.replace(/[}`]/g, "")');
const { jsExpr } = fc.letrec<{ jsExpr: string; jsTpl: string }>((tie) => ({
  jsExpr: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'js' },
    JS_IDENT,
    JS_CONSTANT_EXPR,
    fc.tuple(JS_IDENT, tie('jsTpl'), fc.constantFrom('"No information available."', "'n/a'", '""')).map(([c, t, s]) => `${c} ? ${t} : ${s}`),
    fc.tuple(fc.constantFrom('format', 'JSON.stringify', 'String'), tie('jsExpr')).map(([f, e]) => `${f}(${e})`),
    fc.tuple(JS_IDENT, fc.constantFrom('"k"', "'key'", '`k`')).map(([i, k]) => `${i}[${k}]`),
  ),
  jsTpl: fc
    .array(fc.oneof({ depthIdentifier: 'js' }, fc.constantFrom('- ', ' items: ', 'x', '"q"'), tie('jsExpr').map((e) => `\${${e}}`)), { maxLength: 3 })
    .map((parts) => '`' + parts.join('') + '`'),
}));

/** Prose escaped for a template literal's source. */
function templateProse(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
}

const jsCase = fc
  .record({
    pieces: fc.array(fc.oneof(fc.constantFrom(...PROSE).map((p) => ({ prose: p })), jsExpr.map((e) => ({ expr: e }))), { minLength: 2, maxLength: 8 }),
    separators: fc.array(fc.constantFrom(' ', '\n', '\n\n'), { minLength: 8, maxLength: 8 }),
    language: fc.constantFrom('typescript' as const, 'javascript' as const),
    op: fc.constantFrom(...OPERATIONS),
  })
  .map(({ pieces, separators, language, op }) => {
    const body = pieces.map((piece, i) => ('prose' in piece ? templateProse(piece.prose) : `\${${piece.expr}}`) + (i < pieces.length - 1 ? separators[i] : '')).join('');
    const params = language === 'typescript' ? 'question: string, retrievedContext: string, isRagWorking: boolean' : 'question, retrievedContext, isRagWorking';
    const source = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      `export async function answer(${params}) {`,
      `  const systemPrompt = \`You are a helpful assistant for the docs. ${body}\`;`,
      "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }, { role: 'user', content: question }] });",
      '}',
      '',
    ].join('\n');
    return { source, fileName: language === 'typescript' ? 'case.ts' : 'case.js', language, op };
  });

type PyForm = { prefix: string; quote: string };
const PY_FORMS: PyForm[] = [
  { prefix: 'f', quote: '"' },
  { prefix: 'f', quote: "'" },
  { prefix: 'F', quote: '"""' },
  { prefix: 'rf', quote: '"' },
  { prefix: 'fr', quote: "'''" },
  { prefix: '', quote: '"""' },
  { prefix: '', quote: '"' },
  { prefix: 'r', quote: "'" },
  // Python 3.14 template strings (PEP 750): their fields are atoms exactly like an f-string's.
  { prefix: 't', quote: '"' },
  { prefix: 'rt', quote: "'" },
  { prefix: 'Tr', quote: '"""' },
];

/** Fields for an f-string quoted with `q` (nested quotes differ from it, as before Python 3.12, or match it, as 3.12 allows). */
function fstringFields(q: string): fc.Arbitrary<string> {
  const other = q.startsWith('"') ? "'" : '"';
  return fc.constantFrom(
    '{x}',
    '{x!r:>{width}}',
    `{d[${other}k${other}]}`,
    `{f${other}{a}${other}}`,
    `{a if b else ${other}n/a${other}}`,
    '{value:.2f}',
    '{n:,}',
    '{x=}',
    '{y:{w}.{p}}',
    '{items[0]}',
    `{", ".join(items)}`.replace(/"/g, other),
    // A field right after a backslash (`rf"C:\Users\{x}"`; breaker49): Python reads a backslash, then the field.
    '\\{x}',
  );
}
const TEMPLATE_FIELDS = fc.constantFrom('{name}', '{0}', '{}', '{user[name]}', '{value:>10}', '%(name)s', '%s', '{{ user.name }}', '{% if admin %}', '{% endif %}', '{# note #}', '{{{ raw }}}');

/** Prose written into a Python literal: no quote characters of its own kind, no line breaks in one-line strings. */
function pythonProse(s: string, form: PyForm): string | undefined {
  if (s.includes(form.quote[0])) return undefined;
  if (/[ft]/i.test(form.prefix)) return s.replace(/\{/g, '{{').replace(/\}/g, '}}');
  return s;
}

const pyCase = fc
  .record({
    form: fc.constantFrom(...PY_FORMS),
    prose: fc.array(fc.constantFrom(...PROSE), { minLength: 1, maxLength: 6 }),
    fieldSeeds: fc.array(fc.nat(1000), { minLength: 1, maxLength: 5 }),
    separators: fc.array(fc.constantFrom(' ', '\n'), { minLength: 12, maxLength: 12 }),
    op: fc.constantFrom(...OPERATIONS),
  })
  .chain(({ form, prose, fieldSeeds, separators, op }) => {
    const formatted = /[ft]/i.test(form.prefix);
    const fields = fc.array(formatted ? fstringFields(form.quote[0]) : TEMPLATE_FIELDS, { minLength: fieldSeeds.length, maxLength: fieldSeeds.length });
    return fields.map((fieldList) => {
      const triple = form.quote.length === 3;
      const pieces: string[] = [];
      const n = Math.max(prose.length, fieldList.length);
      for (let i = 0; i < n; i++) {
        const p = prose[i] !== undefined ? pythonProse(prose[i], form) : undefined;
        if (p) pieces.push(p);
        if (fieldList[i] !== undefined) pieces.push(fieldList[i]);
      }
      const body = pieces.map((piece, i) => piece + (i < pieces.length - 1 ? (triple ? separators[i % 12] : ' ') : '')).join('');
      const literal = `${form.prefix}${form.quote}You are a helpful assistant for the docs. ${body}${form.quote}`;
      const source = [
        'from openai import OpenAI',
        'client = OpenAI()',
        'DATA = b"raw {bytes} please"',
        'def answer(question, x, width, d, a, b, value, n, y, w, p, items):',
        `    system_prompt = ${literal}`,
        '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system_prompt}, {"role": "user", "content": question}])',
        '',
      ].join('\n');
      return { source, fileName: 'case.py', language: 'python' as const, op };
    });
  });

interface Tally {
  cases: number;
  applied: number;
  unchanged: number;
  refusedEngine: number;
  refusedGuard: number;
  broken: number;
  notFound: number;
}

function newTally(): Tally {
  return { cases: 0, applied: 0, unchanged: 0, refusedEngine: 0, refusedGuard: 0, broken: 0, notFound: 0 };
}

async function runCase(c: { source: string; fileName: string; language: 'python' | 'typescript' | 'javascript'; op: Operation }, tally: Tally, failures: string[]): Promise<void> {
  tally.cases++;
  const prompts = findPrompts(c.source, undefined, { fileName: c.fileName });
  const prompt = prompts.find((p) => p.boundName === 'systemPrompt' || p.boundName === 'system_prompt') ?? prompts[0];
  if (!prompt) {
    tally.notFound++;
    failures.push(`no prompt found in:\n${c.source}`);
    return;
  }
  const outcome = await rewriteThroughEditorPath(c.source, { fileName: c.fileName }, prompt, c.op);
  if (outcome.status === 'unchanged') tally.unchanged++;
  else if (outcome.status === 'refused') {
    if (outcome.stage === 'engine') tally.refusedEngine++;
    else tally.refusedGuard++;
    if (outcome.reason.length < 20) failures.push(`refused without a reason: ${outcome.reason}`);
    if (process.env.PEPPERPY_REWRITE_DEBUG) process.stdout.write(`refused (${describeOperation(c.op)}): ${outcome.reason}\n${c.source}\n`);
  } else {
    tally.applied++;
    const problems = oracleProblems(c.source, outcome.edited, c.language, prompt, outcome.newText);
    if (problems.length > 0) {
      tally.broken++;
      failures.push(`${describeOperation(c.op)} broke ${c.fileName}: ${problems.join('; ')}\n--- before\n${c.source}\n--- after\n${outcome.edited}`);
    }
  }
}

describe('rewrite safety: property test (fast-check, seeded)', function () {
  this.timeout(600_000);
  for (const [name, arbitrary, runs, seed] of [
    ['TypeScript/JavaScript template literals with nested interpolations', jsCase, 300, 1201],
    ['Python f-strings, t-strings, raw and triple-quoted strings, .format/% placeholders and Jinja tags', pyCase, 300, 1202],
  ] as const) {
    it(`${name}: zero broken interpolations, zero changes outside the literal`, async () => {
      const tally = newTally();
      const failures: string[] = [];
      const samples = fc.sample<{ source: string; fileName: string; language: 'python' | 'typescript' | 'javascript'; op: Operation }>(arbitrary, { numRuns: runs, seed });
      for (const c of samples) await runCase(c, tally, failures);
      process.stdout.write(`      ${name}: ${tally.cases} cases (seed ${seed}): ${tally.applied} applied, ${tally.unchanged} unchanged, ${tally.refusedEngine} refused by the engine, ${tally.refusedGuard} refused by the guard, ${tally.broken} broken, ${tally.notFound} without a prompt\n`);
      assert.equal(tally.cases, runs);
      assert.deepEqual(failures.slice(0, 3), []);
      assert.equal(tally.broken, 0);
      // Masking makes most rewrites go through: refusals are the exception.
      assert.ok(tally.applied >= tally.cases / 2, `only ${tally.applied} of ${tally.cases} rewrites were applied`);
    });
  }
});
