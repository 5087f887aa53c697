/**
 * Session 47 (include47): `String.raw\`…\`` prompts are found, counted on their raw text, and rewritten with every backslash
 * kept as written (issue 12, item 1; leftovers46's item 6). Oracle: V8 itself, through `node:vm`: the template as the
 * edited file writes it, evaluated with its interpolations bound to markers, is the text the rewrite meant to write.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as fc from 'fast-check';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { encodeLiteralContent, LiteralEncodeError } from '../../../src/shared/prompt/scanner/literalEncode';
import { encodeEdit, planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import type { LiteralQuoting } from '../../../src/protocol/scan';
import { count } from '../../helpers/tiktokenOracle';
import { describeOperation, OPERATIONS, oracleProblems, rewriteThroughEditorPath, type Operation } from './rewritePath';

const root = path.resolve(__dirname, '../../../..');

/** The module's constants as V8 evaluates them (its `export const` read as `const`): the oracle of the decoded text. */
function moduleValues(source: string, names: string[]): Record<string, string> {
  return vm.runInNewContext(`${source.replace(/^export const /gm, 'const ')}\n;({ ${names.join(', ')} })`, {}) as Record<string, string>;
}

describe('String.raw prompts (include47)', () => {
  // nicholasdly/paloma 1a9ccb74 (MIT; test/fixtures/hints-real/SOURCES.md): its chat route sends `system: systemPrompt`.
  const paloma = readFileSync(path.join(root, 'test/fixtures/hints-real/paloma_prompts.ts'), 'utf8');

  it('paloma\'s `systemPrompt = String.raw`…`.trim()` is found, its text raw (`\\frac` is a backslash and "frac")', async () => {
    const { systemPrompt } = moduleValues(paloma, ['systemPrompt']);
    assert.ok(systemPrompt.includes('\\frac{df}{dx}'));
    const prompts = findPrompts(paloma, 'typescript', { fileName: 'prompts.ts' });
    const p = prompts.find((x) => x.boundName === 'systemPrompt');
    // Before: not found (`String.raw` was a tag of no prompt, TAGS_NOT_PROMPTS), only generateTitlePrompt was.
    assert.ok(p, prompts.map((x) => x.boundName).join(', '));
    assert.equal(p.text.trim(), systemPrompt);
    assert.equal(p.quoting.raw, true);
    const service = new PromptHintService(() => PriceCatalog.bundled());
    const { prompts: hints } = await service.compute({ text: paloma, languageId: 'typescript', fileName: 'prompts.ts', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
    const hint = hints.find((h) => h.location.boundName === 'systemPrompt');
    // js-tiktoken o200k_base of V8's value (the cooked text, `\f` a form feed, would be another count).
    assert.equal(hint?.cost.tokens.count, count(systemPrompt));
    assert.deepEqual(hint?.runtimeValues, []);
  });

  it('each rewrite of it keeps every backslash: V8 reads the edited file\'s `systemPrompt` as the new text', async () => {
    const p = findPrompts(paloma, 'typescript', { fileName: 'prompts.ts' }).find((x) => x.boundName === 'systemPrompt');
    assert.ok(p);
    let applied = 0;
    for (const op of OPERATIONS) {
      const outcome = await rewriteThroughEditorPath(paloma, { fileName: 'prompts.ts' }, p, op, 450);
      if (outcome.status === 'refused') assert.ok(outcome.reason.length > 20, outcome.reason);
      if (outcome.status !== 'applied') continue;
      applied++;
      assert.equal(moduleValues(outcome.edited, ['systemPrompt']).systemPrompt, outcome.newText.trim(), describeOperation(op));
      assert.deepEqual(oracleProblems(paloma, outcome.edited, 'typescript', p, outcome.newText), [], describeOperation(op));
    }
    assert.ok(applied >= 3, `only ${applied} of ${OPERATIONS.length} applied`);
    // An edit of one sentence writes the LaTeX examples back as they were: `\frac`, not `\\frac` (a cooked encoder's escape).
    const newText = p.text.replace('Here some good and bad examples:', 'Examples:');
    const verdict = planLiteralEdit(paloma, p, newText, { fileName: 'prompts.ts' });
    assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
    assert.equal(verdict.ok ? verdict.edited : '', paloma.replace('Here some good and bad examples:', 'Examples:'));
  });

  it('the raw encoder writes the text as it is, and refuses what `String.raw` cannot hold, saying why', () => {
    const quoting: LiteralQuoting = { language: 'javascript', style: 'template', quote: '`', raw: true, interpolations: ['${x}'] };
    assert.equal(encodeLiteralContent('C:\\Users\\me \\frac{a}{b} \\` \\${HOME} ${x}', quoting), 'C:\\Users\\me \\frac{a}{b} \\` \\${HOME} ${x}');
    for (const [text, why] of [
      ['a backtick ` here', /a backtick/],
      ['a ${HOME} here', /"\$\{"/],
      ['ends with \\', /a backslash at its end/],
      ['before \\${x}', /a backslash at its end or before an interpolation/],
      ['a\r\nb', /a carriage return/],
      ['a\u0000b', /a control character/],
    ] as const) {
      assert.throws(() => encodeLiteralContent(text, quoting), (e: unknown) => e instanceof LiteralEncodeError && why.test(e.message) && /^String\.raw keeps every backslash as written/.test(e.message), text);
    }
    // The guard says so to the user, and writes nothing.
    const src = 'const system = String.raw`Write paths as C:\\Users\\name and answer briefly, in one short paragraph.`;\nclient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });\n';
    const p = findPrompts(src, 'typescript', { fileName: 'paths.ts' })[0];
    assert.equal(p.text, 'Write paths as C:\\Users\\name and answer briefly, in one short paragraph.');
    const verdict = planLiteralEdit(src, p, 'Write paths as C:\\Users\\name and mark them with one ` before.', { fileName: 'paths.ts' });
    assert.equal(verdict.ok, false);
    assert.match(verdict.ok ? '' : verdict.reason, /String\.raw keeps every backslash as written, so its text cannot hold a backtick/);
  });

  it('a String.raw operand of a `+` chain stays a prompt of its own, and a joined edit never drops its tag', () => {
    const src = 'const system = "You are a math tutor. " + String.raw`Write fractions as \\frac{a}{b} and never as a/b, in every answer.`;\nclient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });\n';
    const prompts = findPrompts(src, 'typescript', { fileName: 'tutor.ts' });
    const raw = prompts.find((p) => p.quoting.raw === true);
    assert.equal(raw?.text, 'Write fractions as \\frac{a}{b} and never as a/b, in every answer.');
    // (The chain is not composed across a tagged template: the String.raw operand is named as a runtime value there.)
    // A concatenation holding a String.raw template, written back as one literal, would lose the tag: refused.
    const concat = findPrompts('const system = "You are a math tutor. " + `Write fractions as fractions, in every single answer you give.`;\nclient.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });\n', 'typescript', { fileName: 'tutor.ts' })[0];
    assert.equal(concat.segments.length, 2);
    const withRaw = { ...concat, segments: [concat.segments[0], { ...concat.segments[1], quoting: { ...concat.segments[1].quoting, raw: true } }] };
    assert.throws(() => encodeEdit(withRaw, 'One text.'), (e: unknown) => e instanceof LiteralEncodeError && /String\.raw template is not joined/.test(e.message));
  });
});

// ---------------------------------------------------------------------------------------
// The property test: String.raw templates with backslashes, escaped backticks and `\${`, and live interpolations.

const RAW_PROSE = [
  'You are a very helpful math tutor.',
  'Please write every fraction as \\frac{a}{b} and every root as \\sqrt{x}.',
  'Basically, you should really try to be concise and give responses that are short.',
  'Windows paths look like C:\\Users\\me\\Documents and must be kept as written.',
  'A literal backslash-n (\\n) is two characters here, not a line break.',
  'Quote code with \\` backticks \\` and never with quotes.',
  'Shell variables are written \\${HOME} and are never expanded by you.',
  'It is important to note that the answer must be in English.',
  'Display math goes between \\[ and \\], inline math between \\( and \\).',
  'Do not make up facts.',
  'Return the answer as a bulleted list.',
  'A double backslash \\\\ ends a row in a LaTeX table.',
];
const RAW_VALUES = ['question', 'retrievedContext', 'user.name', 'items.length'];
/** What each interpolation evaluates to in the oracle's context. */
const MARK = (name: string): string => `⟦${name}⟧`;
const RAW_CONTEXT = { question: MARK('question'), retrievedContext: MARK('retrievedContext'), user: { name: MARK('user.name') }, items: { length: MARK('items.length') } };

const rawCase = fc
  .record({
    pieces: fc.array(fc.oneof(fc.constantFrom(...RAW_PROSE).map((p) => ({ prose: p })), fc.constantFrom(...RAW_VALUES).map((v) => ({ value: v }))), { minLength: 2, maxLength: 8 }),
    separators: fc.array(fc.constantFrom(' ', '\n', '\n\n'), { minLength: 8, maxLength: 8 }),
    language: fc.constantFrom('typescript' as const, 'javascript' as const),
    op: fc.constantFrom(...OPERATIONS),
  })
  .map(({ pieces, separators, language, op }) => {
    // (The prose is the template's source as written: String.raw's value is that text.)
    const body = pieces.map((piece, i) => ('prose' in piece ? piece.prose : `\${${piece.value}}`) + (i < pieces.length - 1 ? separators[i] : '')).join('');
    const source = [
      "import OpenAI from 'openai';",
      'const client = new OpenAI();',
      `export async function answer(question${language === 'typescript' ? ': string' : ''}, retrievedContext, user, items) {`,
      `  const systemPrompt = String.raw\`You are a helpful assistant for the docs. ${body}\`;`,
      "  return client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: systemPrompt }, { role: 'user', content: question }] });",
      '}',
      '',
    ].join('\n');
    return { source, fileName: language === 'typescript' ? 'case.ts' : 'case.js', language, op };
  });

/** V8's value of the file's `systemPrompt` template (the code between `const systemPrompt = ` and the return), interpolations as marks. */
function v8Value(source: string): string {
  const from = source.indexOf('const systemPrompt = ') + 'const systemPrompt = '.length;
  const to = source.indexOf(';\n  return client');
  return vm.runInNewContext(source.slice(from, to), { ...RAW_CONTEXT, String }) as string;
}

/** The text with its live interpolations as the marks V8 gives them. */
function marked(text: string): string {
  return text.replace(/(?<!\\)\$\{(question|retrievedContext|user\.name|items\.length)\}/g, (_, name: string) => MARK(name));
}

describe('String.raw rewrites: property test (fast-check, seeded)', function () {
  this.timeout(600_000);
  it('every backslash kept as written, zero broken interpolations, zero changes outside the literal', async () => {
    const samples = fc.sample<{ source: string; fileName: string; language: 'typescript' | 'javascript'; op: Operation }>(rawCase, { numRuns: 200, seed: 4701 });
    const tally = { applied: 0, unchanged: 0, refused: 0 };
    const failures: string[] = [];
    for (const c of samples) {
      const prompt = findPrompts(c.source, undefined, { fileName: c.fileName }).find((p) => p.boundName === 'systemPrompt');
      if (!prompt) {
        failures.push(`no prompt found in:\n${c.source}`);
        continue;
      }
      // The decoder: the prompt's text is V8's value (interpolations as written).
      if (marked(prompt.text) !== v8Value(c.source)) failures.push(`decoded ${JSON.stringify(prompt.text)} but V8 reads ${JSON.stringify(v8Value(c.source))}`);
      const outcome = await rewriteThroughEditorPath(c.source, { fileName: c.fileName }, prompt, c.op);
      if (outcome.status === 'unchanged') tally.unchanged++;
      else if (outcome.status === 'refused') {
        tally.refused++;
        if (outcome.reason.length < 20) failures.push(`refused without a reason: ${outcome.reason}`);
      } else {
        tally.applied++;
        const problems = oracleProblems(c.source, outcome.edited, c.language, prompt, outcome.newText);
        const value = v8Value(outcome.edited);
        if (value !== marked(outcome.newText)) problems.push(`V8 reads ${JSON.stringify(value)} for ${JSON.stringify(outcome.newText)}`);
        if (problems.length > 0) failures.push(`${describeOperation(c.op)} broke ${c.fileName}: ${problems.join('; ')}\n--- before\n${c.source}\n--- after\n${outcome.edited}`);
      }
    }
    process.stdout.write(`      String.raw: ${samples.length} cases (seed 4701): ${tally.applied} applied, ${tally.unchanged} unchanged, ${tally.refused} refused\n`);
    assert.deepEqual(failures.slice(0, 3), []);
    assert.ok(tally.applied >= samples.length / 2, `only ${tally.applied} of ${samples.length} rewrites were applied`);
  });

  it('a sentence with backslashes moved to the end (an edit that writes them again) is applied, and V8 reads the new text', () => {
    // (The engine's rewrites mostly delete or replace words, so the guard's minimal edit rarely writes a backslash again:
    // this edit makes it write every backslash of the moved sentence. Sentences with braces or backticks are not moved:
    // `{a}`, `\${HOME}` and code spans are atoms, whose order a rewrite keeps.)
    const movable = RAW_PROSE.filter((p) => p.includes('\\') && !/[{}`]/.test(p));
    const samples = fc.sample<{ source: string; fileName: string; language: 'typescript' | 'javascript'; op: Operation }>(rawCase, { numRuns: 200, seed: 4702 });
    let moved = 0;
    const failures: string[] = [];
    for (const c of samples) {
      const prompt = findPrompts(c.source, undefined, { fileName: c.fileName }).find((p) => p.boundName === 'systemPrompt');
      const sentence = movable.find((m) => prompt?.text.includes(m));
      if (!prompt || !sentence) continue;
      moved++;
      const newText = `${prompt.text.replace(sentence, '')} ${sentence}`;
      const verdict = planLiteralEdit(c.source, prompt, newText, { fileName: c.fileName });
      if (!verdict.ok) {
        failures.push(`refused: ${verdict.reason}\n${c.source}`);
        continue;
      }
      const problems = oracleProblems(c.source, verdict.edited, c.language, prompt, newText);
      if (v8Value(verdict.edited) !== marked(newText)) problems.push(`V8 reads ${JSON.stringify(v8Value(verdict.edited))} for ${JSON.stringify(newText)}`);
      if (problems.length > 0) failures.push(`${problems.join('; ')}\n--- after\n${verdict.edited}`);
    }
    assert.ok(moved >= 50, `only ${moved} cases had a sentence to move`);
    assert.deepEqual(failures.slice(0, 3), []);
  });
});
