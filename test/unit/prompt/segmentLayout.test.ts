/**
 * A prompt written as adjacent literals keeps its layout when it is rewritten (layout27).
 * browser-use's compaction prompt (test/fixtures/hints-real/bu_compaction_prompt.py, an excerpt
 * of browser_use/agent/message_manager/service.py, MIT) is seven literals, one a line: Compress
 * wrote one 430-character literal on one line. Now each literal gets its part of the new text
 * with its own quotes, prefix and indentation; a literal left empty goes with its line.
 * Oracles: the expected files are written by hand from the new text.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import type { PromptLocation } from '../../../src/protocol/scan';
import { checkEditedSource, planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { diffRuns, splitOverSegments, tokenize } from '../../../src/shared/prompt/segmentLayout';
import { describeOperation, oracleProblems, rewriteThroughEditorPath, type Operation } from './rewritePath';

const fixture = path.resolve(__dirname, '../../../../test/fixtures/hints-real/bu_compaction_prompt.py');

function onlyPrompt(src: string, fileName: string): PromptLocation {
  const found = findPrompts(src, undefined, { fileName });
  assert.equal(found.length, 1, `expected one prompt in ${fileName}, found ${found.length}`);
  return found[0];
}

function edited(src: string, fileName: string, newText: string): string {
  const v = planLiteralEdit(src, onlyPrompt(src, fileName), newText, { fileName });
  assert.ok(v.ok, v.ok ? '' : v.reason);
  return v.edited;
}

describe('adjacent literals keep their layout: the browser-use compaction prompt', () => {
  const src = fs.readFileSync(fixture, 'utf8');

  it('the fixture is seven literals, one a line', () => {
    assert.equal(onlyPrompt(src, 'service.py').segments.length, 7);
  });

  it('Compress (medium) writes seven literals, one a line, indented as before', async () => {
    const prompt = onlyPrompt(src, 'service.py');
    const outcome = await rewriteThroughEditorPath(src, { fileName: 'service.py' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied');
    assert.equal(
      outcome.status === 'applied' ? outcome.edited : '',
      [
        '\t\tsystem_prompt = (',
        "\t\t\t'You\\'re summarizing an agent run for prompt compaction.\\n'",
        "\t\t\t'Capture task requirements, key facts, decisions, partial progress, errors, and next steps.\\n'",
        "\t\t\t'Preserve important entities, values, URLs, and file paths.\\n'",
        "\t\t\t'CRITICAL: Only mark a step as completed if you see explicit success confirmation in the history. '",
        "\t\t\t'If a step was started but not explicitly confirmed complete, mark it as \"IN-PROGRESS\". '",
        "\t\t\t'Never infer completion from context \u2014 only report what was confirmed.\\n'",
        "\t\t\t'Return plain text only. Do not include tool calls or JSON.'",
        '\t\t)',
        '',
      ].join('\n'),
    );
  });

  it('a literal whose text is all removed goes with its line; the others keep theirs', () => {
    const p = onlyPrompt(src, 'service.py');
    const newText = p.text.replace('Preserve important entities, values, URLs, and file paths.\n', '').replace('If a step was started but not explicitly confirmed complete, mark it as "IN-PROGRESS". ', '');
    assert.equal(
      edited(src, 'service.py', newText),
      [
        '\t\tsystem_prompt = (',
        "\t\t\t'You are summarizing an agent run for prompt compaction.\\n'",
        "\t\t\t'Capture task requirements, key facts, decisions, partial progress, errors, and next steps.\\n'",
        "\t\t\t'CRITICAL: Only mark a step as completed if you see explicit success confirmation in the history. '",
        "\t\t\t'Never infer completion from context \u2014 only report what was confirmed.\\n'",
        "\t\t\t'Return plain text only. Do not include tool calls or JSON.'",
        '\t\t)',
        '',
      ].join('\n'),
    );
  });

  it('text inserted at a boundary stays in the earlier literal; a replaced start stays in the later one', () => {
    const p = onlyPrompt(src, 'service.py');
    const newText = p.text.replace('paths.\n', 'paths. Be exact.\n').replace('CRITICAL: Only', 'IMPORTANT: Only');
    const lines = edited(src, 'service.py', newText).split('\n');
    assert.equal(lines[3], "\t\t\t'Preserve important entities, values, URLs, and file paths. Be exact.\\n'");
    assert.equal(lines[4], "\t\t\t'IMPORTANT: Only mark a step as completed if you see explicit success confirmation in the history. '");
  });
});

describe('adjacent literals keep their layout: f-strings, plain strings and TypeScript + chains', () => {
  it('Python: each literal keeps its prefix and quotes, f-string fields stay live in their own literal', () => {
    const src = [
      'def build(task, steps):',
      '    system_prompt = (',
      "        f'You are a very helpful assistant for {task}.\\n'",
      "        'Please note that you must always answer in English.\\n'",
      '        f"Basically, follow these {len(steps)} steps: {\', \'.join(steps)}.\\n"',
      "        r'Paths look like C:\\data.'",
      '    )',
      '    return system_prompt',
      '',
    ].join('\n');
    const p = onlyPrompt(src, 'build.py');
    assert.equal(p.segments.length, 4);
    const newText = "You are a helpful assistant for {task}.\nYou must always answer in English.\nFollow these {len(steps)} steps: {', '.join(steps)}.\nPaths look like C:\\data.";
    assert.equal(
      edited(src, 'build.py', newText),
      [
        'def build(task, steps):',
        '    system_prompt = (',
        "        f'You are a helpful assistant for {task}.\\n'",
        "        'You must always answer in English.\\n'",
        '        f"Follow these {len(steps)} steps: {\', \'.join(steps)}.\\n"',
        "        r'Paths look like C:\\data.'",
        '    )',
        '    return system_prompt',
        '',
      ].join('\n'),
    );
  });

  it('Python: the literal before a comment stays, empty, when its text goes (the comment is not lost)', () => {
    const src = ['system_prompt = (', "    'You are a helpful assistant.\\n'  # role", "    'Please be very concise.\\n'", "    'Answer in English.'", ')', ''].join('\n');
    assert.equal(
      edited(src, 'p.py', 'Be concise.\nAnswer in English.'),
      ['system_prompt = (', "    ''  # role", "    'Be concise.\\n'", "    'Answer in English.'", ')', ''].join('\n'),
    );
  });

  it('TypeScript: a + chain keeps one literal a line; an emptied literal goes with its + and line', () => {
    const src = [
      'const systemPrompt =',
      "  'You are a very helpful assistant. ' +",
      "  'Please note that you must answer the question ' +",
      '  `about ${topic} in ${lang}.`;',
      "openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });",
      '',
    ].join('\n');
    const p = onlyPrompt(src, 'chain.ts');
    assert.equal(p.segments.length, 3);
    const kept = edited(src, 'chain.ts', 'You are a helpful assistant. Answer the question about ${topic} in ${lang}.').split('\n');
    assert.deepEqual(kept.slice(0, 4), ['const systemPrompt =', "  'You are a helpful assistant. ' +", "  'Answer the question ' +", '  `about ${topic} in ${lang}.`;']);
    const dropped = edited(src, 'chain.ts', 'You are a helpful assistant. About ${topic} in ${lang}.').split('\n');
    assert.deepEqual(dropped.slice(0, 4), ['const systemPrompt =', "  'You are a helpful assistant. ' +", '  `About ${topic} in ${lang}.`;', "openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });"]);
  });

  it('text that cannot be mapped onto the literals (a diff of more than 3000 tokens) is written as one literal, as before', () => {
    const src = ['system_prompt = (', `    'You are a helpful assistant. ${'Please read the context below. '.repeat(400)}'`, "    'Answer in English.'", ')', ''].join('\n');
    const p = onlyPrompt(src, 'long.py');
    assert.equal(p.segments.length, 2);
    assert.equal(splitOverSegments(p, 'Summarize the text. Answer in English.'), undefined);
    assert.equal(edited(src, 'long.py', 'Summarize the text. Answer in English.'), ['system_prompt = (', "    'Summarize the text. Answer in English.'", ')', ''].join('\n'));
  });

  it('the guard refuses literals written with other code between them, or fewer than it was told', () => {
    const src = ['system_prompt = (', "    'You are a helpful assistant. '", "    'Be brief.'", ')', ''].join('\n');
    const p = onlyPrompt(src, 'g.py');
    const splice = (text: string): string => src.slice(0, p.range.start.offset) + text + src.slice(p.range.end.offset);
    const edit = (text: string, literals: number) => ({ start: p.range.start.offset, end: p.range.end.offset, text, literals });
    const plus = "'You are a helpful assistant. ' + 'Be brief.'";
    assert.equal(checkEditedSource(src, splice(plus), p, edit(plus, 2), p.text, { fileName: 'g.py' }), 'the code between the literals would change');
    const two = "'You are a helpful assistant. '\n    'Be brief.'";
    assert.equal(checkEditedSource(src, splice(two), p, edit(two, 2), p.text, { fileName: 'g.py' }), undefined);
    assert.match(checkEditedSource(src, splice(two), p, edit(two, 3), p.text, { fileName: 'g.py' }) ?? '', /would not parse as the 3 string literals written/);
    assert.equal(checkEditedSource(src, splice(two), p, edit(two, 2), 'You are a helpful assistant. Be short.', { fileName: 'g.py' }), 'the new literal would not read back as the new text');
  });

  it('the diff maps each old boundary into the new text (splitOverSegments)', () => {
    const src = "system_prompt = ('one two three\\n' 'four five\\n' 'six')\n";
    const p = onlyPrompt(src, 'p.py');
    assert.deepEqual(splitOverSegments(p, 'one three\nfour 5\nsix'), ['one three\n', 'four 5\n', 'six']);
    // "five\n" went: its line break is given to the literal before it.
    assert.deepEqual(splitOverSegments(p, 'one two three\nsix'), ['one two three\n', '', 'six']);
    assert.deepEqual(tokenize('Be {x}, ok', ['{x}']), ['Be', ' ', '{x}', ',', ' ', 'ok']);
    assert.deepEqual(diffRuns(['a', ' ', 'b'], ['a', ' ', 'c']), [
      { same: true, o1: 0, o2: 2, n1: 0, n2: 2 },
      { same: false, o1: 2, o2: 3, n1: 2, n2: 3 },
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// The property: a literal split at random into adjacent literals, compressed, re-parses to
// the same interpolations and the same code outside the literals (the oracle of rewritePath.ts,
// independent of the guard).

const PROSE = [
  'You are a very helpful assistant.',
  'Please answer the question using the context below.',
  'Basically, you should really try to be concise and give responses that are short.',
  'In order to answer, please make sure to read the context carefully.',
  'It is important to note that the answer must be in English.',
  "You're an expert at summarizing long documents, and you always keep things short.",
  'Thank you so much for your help!',
  'Return the answer as a bulleted list.',
];
const PY_FIELDS = ['{x}', '{x!r:>{width}}', '{value:.2f}', '{items[0]}', '{len(items)}'];
const JS_FIELDS = ['${question}', '${user.name}', '${items.map((i) => `- ${i}`).join("\\n")}', '${ctx.lang}'];

/** The source of one Python segment: an f-string when it holds a field, quoted so its prose needs no escape. */
function pySegment(text: string, fields: readonly string[]): string {
  const live = fields.some((f) => text.includes(f));
  const q = text.includes("'") ? '"' : "'";
  return `${live ? 'f' : ''}${q}${text.replace(/\n/g, '\\n')}${q}`;
}

function jsSegment(text: string, fields: readonly string[]): string {
  if (fields.some((f) => text.includes(f))) return '`' + text.replace(/\n/g, '\\n') + '`';
  return `'${text.replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

const splitCase = fc
  .record({
    language: fc.constantFrom('python' as const, 'typescript' as const),
    parts: fc.array(fc.oneof(fc.constantFrom(...PROSE).map((p) => ({ prose: p })), fc.nat(100).map((n) => ({ field: n }))), { minLength: 3, maxLength: 8 }),
    separators: fc.array(fc.constantFrom(' ', '\n'), { minLength: 8, maxLength: 8 }),
    cuts: fc.array(fc.nat(10_000), { minLength: 1, maxLength: 6 }),
    op: fc.constantFrom<Operation>({ kind: 'compress', level: 'medium' }, { kind: 'compress', level: 'aggressive' }),
  })
  .map(({ language, parts, separators, cuts, op }) => {
    const fields = language === 'python' ? PY_FIELDS : JS_FIELDS;
    const pieces = parts.map((p) => ('prose' in p ? p.prose : fields[p.field % fields.length]));
    const body = 'You are a helpful assistant for the docs. ' + pieces.map((x, i) => x + (i < pieces.length - 1 ? separators[i] : '')).join('');
    // Cut points between characters, never inside a field.
    const inField = (at: number): boolean => fields.some((f) => {
      for (let i = body.indexOf(f); i >= 0; i = body.indexOf(f, i + 1)) if (at > i && at < i + f.length) return true;
      return false;
    });
    // The first cut after the lead sentence, so there are always two literals or more.
    const points = [...new Set([42, ...cuts.map((c) => 1 + (c % (body.length - 1)))])].filter((c) => !inField(c)).sort((a, b) => a - b);
    const texts = [0, ...points].map((from, i) => body.slice(from, [...points, body.length][i]));
    if (language === 'python') {
      const literals = texts.map((t) => `        ${pySegment(t, fields)}`).join('\n');
      const source = ['from openai import OpenAI', 'client = OpenAI()', 'def answer(question, x, width, value, items):', '    system_prompt = (', literals, '    )', '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system_prompt}])', ''].join('\n');
      return { source, fileName: 'case.py', language, op, segments: texts.length };
    }
    const literals = texts.map((t) => `    ${jsSegment(t, fields)}`).join(' +\n');
    const source = ["import OpenAI from 'openai';", 'const client = new OpenAI();', 'export async function answer(question: string, user: { name: string }, items: string[], ctx: { lang: string }) {', '  const systemPrompt =', `${literals};`, "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }] });", '}', ''].join('\n');
    return { source, fileName: 'case.ts', language, op, segments: texts.length };
  });

describe('adjacent literals keep their layout: property test (fast-check, seeded)', function () {
  this.timeout(600_000);
  it('random splits into adjacent literals, compressed: same interpolations, same code outside, the layout kept', async () => {
    const samples = fc.sample(splitCase, { numRuns: 200, seed: 2727 });
    let applied = 0;
    let layoutKept = 0;
    const failures: string[] = [];
    for (const c of samples) {
      const prompts = findPrompts(c.source, undefined, { fileName: c.fileName });
      const prompt = prompts.find((p) => p.boundName === 'systemPrompt' || p.boundName === 'system_prompt');
      if (!prompt || prompt.segments.length !== c.segments) {
        failures.push(`the scanner did not read ${c.segments} literals in:\n${c.source}`);
        continue;
      }
      const outcome = await rewriteThroughEditorPath(c.source, { fileName: c.fileName }, prompt, c.op);
      if (outcome.status !== 'applied') continue;
      applied++;
      const problems = oracleProblems(c.source, outcome.edited, c.language, prompt, outcome.newText);
      if (problems.length > 0) failures.push(`${describeOperation(c.op)} broke ${c.fileName}: ${problems.join('; ')}\n--- before\n${c.source}\n--- after\n${outcome.edited}`);
      // One literal a line, as many lines as literals written (a multi-segment prompt that fell back writes one).
      const written = outcome.edit.text.split('\n').length;
      if (c.segments > 1 && written > 1) layoutKept++;
    }
    process.stdout.write(`      ${samples.length} cases (seed 2727): ${applied} applied, ${layoutKept} written literal by literal\n`);
    assert.deepEqual(failures.slice(0, 3), []);
    assert.ok(applied >= samples.length / 2, `only ${applied} of ${samples.length} rewrites were applied`);
    assert.ok(layoutKept >= applied * 0.9, `only ${layoutKept} of ${applied} applied rewrites kept the layout`);
  });
});
