/**
 * Findings of the session-28 adversarial pass (break28, issue 12) on what session 28 changed: nested `${…}`
 * placeholders, the \N{…} rewrite guard and JavaScript/TypeScript for…of model loops. Each case failed on main at
 * c9e20dc. Expected values are read off the input by hand (what the text or the code means), with the JavaScript
 * scoping rules of the ECMAScript spec (a `const`/`let` for…of binding lives in the loop) and CPython's reading of
 * "\N{BULLET}" (one character, U+2022) versus "\\N{BULLET}" (ten characters).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { rewriteThroughEditorPath } from './rewritePath';

const compressor = new PromptCompressor();

describe('break s28: a quote around a nested ${…} placeholder', () => {
  // A reply the model must write word for word, with a template literal's ternary in it (quotes inside the `${…}`).
  const TEXT = 'Reply "Sorry, I really cannot basically ${x ? "help" : "answer"} now" to the user. Please be very concise.';
  const QUOTE = '"Sorry, I really cannot basically ${x ? "help" : "answer"} now"';

  it('the whole quote is protected, the placeholder inside it too', () => {
    const spans = analyzeProtected(TEXT).spans.map((s) => [s.kind, s.text]);
    assert.ok(spans.some(([k, t]) => k === 'quoted' && t === QUOTE), JSON.stringify(spans));
    assert.ok(spans.some(([k, t]) => k === 'placeholder' && t === '${x ? "help" : "answer"}'), JSON.stringify(spans));
  });

  it('medium and aggressive keep the quote word for word (medium dropped its "really")', () => {
    for (const level of ['medium', 'aggressive'] as const) {
      const out = compressor.compress(TEXT, { level, language: 'en' }).text;
      assert.ok(out.includes(QUOTE), `${level}: ${out}`);
    }
  });

  it('inline code around a nested placeholder is one span holding it (its first match, up to the inner backtick, was dropped)', () => {
    const text = 'Use `${a ? `x` : "y"}` here and ${b ? `${c}` : "none"} there.';
    const spans = analyzeProtected(text).spans.filter((s) => s.kind === 'inlineCode' || s.kind === 'placeholder').map((s) => [s.kind, s.text]);
    assert.deepEqual(spans, [
      ['inlineCode', '`${a ? `x` : "y"}`'],
      ['placeholder', '${a ? `x` : "y"}'],
      ['placeholder', '${b ? `${c}` : "none"}'],
    ]);
  });
});

describe('break s28: the nested ${…} search budget', () => {
  it('forty `${user\'s name}` (an unclosed quote on their line) do not use up the search before a real placeholder', () => {
    const line = "- Never write ${user's name} literally; ask the user for the name they prefer and use it in every single reply you write.\n";
    const text = line.repeat(40) + 'Please answer with ${isRagWorking ? `${context}` : "none"} now.';
    const placeholders = analyzeProtected(text).spans.filter((s) => s.kind === 'placeholder').map((s) => s.text);
    assert.equal(placeholders[placeholders.length - 1], '${isRagWorking ? `${context}` : "none"}');
    assert.ok(!placeholders.includes('${context}'), 'the inner ${context} alone is a placeholder: the outer one was not found');
  });
});

describe('break s28: a TypeScript for…of loop variable outside its loop', () => {
  const SYSTEM = 'You are a careful reviewer. List problems only.';
  const head = ["import OpenAI from 'openai'", 'const client = new OpenAI()'];
  const send = (m: string): string => `await client.chat.completions.create({ ${m}, messages: [{ role: 'system', content: '${SYSTEM}' }] })`;
  const models = (lines: string[]) => findPrompts(lines.join('\n'), 'typescript').map((p) => [p.model?.name, p.provider]);

  it('after a `for (const model of …)` loop, `model` is the module constant again', () => {
    const src = [...head, "const model = 'gpt-4.1-mini'", "for (const model of ['gpt-4o', 'o3']) {", '  console.log(model)', '}', send('model: model')];
    assert.deepEqual(models(src), [['gpt-4.1-mini', 'openai']]);
  });

  it('a shorthand { model } after the loop, with no other model in the file, is unknown (the loop\'s const is out of scope)', () => {
    const src = [...head, "for (let model of ['o3', 'gpt-4o']) {", '  console.log(model)', '}', send('model')];
    assert.deepEqual(models(src), [[undefined, 'openai']]);
  });

  it('near misses: inside the loop the loop\'s first value; a `var` loop variable outlives the loop', () => {
    assert.deepEqual(models([...head, "const model = 'gpt-4.1-mini'", "for (const model of ['gpt-4o', 'o3']) {", send('model: model'), '}']), [['gpt-4o', 'openai']]);
    // `var model` is the function's (here the module's) variable: after the loop it holds the loop's last value, 'o3'.
    assert.deepEqual(models([...head, "for (var model of ['o3']) {", '  console.log(model)', '}', send('model: model')]), [['o3', 'openai']]);
  });
});

describe('break s28: a \\N{…} literal with a commented-out copy of its line', () => {
  // The edit rewrites the \N{…} literal (escaping its backslash: the bullet becomes the ten characters "\N{BULLET}");
  // the commented-out copy above it was counted as the literal come back verbatim.
  const SRC = [
    'SYSTEM_PROMPT = (',
    '    "Please kindly answer in order to basically help. "',
    '    # "\\N{BULLET} Please be very brief.\\n"',
    '    "\\N{BULLET} Please be very brief.\\n"',
    ')',
    'client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": SYSTEM_PROMPT}])',
    '',
  ].join('\n');

  it('an edit inside the \\N{…} literal is refused', async () => {
    const [p] = findPrompts(SRC, undefined, { fileName: 'bullets.py' });
    for (const level of ['medium', 'aggressive'] as const) {
      const out = await rewriteThroughEditorPath(SRC, { fileName: 'bullets.py' }, p, { kind: 'compress', level }, 30);
      assert.equal(out.status, 'refused', JSON.stringify(out));
    }
  });

  it('near miss: the same file where only the first literal changes is rewritten, the \\N{…} literal and the comment verbatim', async () => {
    const src = SRC.replace(/"\\N\{BULLET\} Please be very brief\.\\n"/g, '"\\N{BULLET} Be brief."');
    const [p] = findPrompts(src, undefined, { fileName: 'bullets.py' });
    const out = await rewriteThroughEditorPath(src, { fileName: 'bullets.py' }, p, { kind: 'compress', level: 'medium' }, 30);
    assert.equal(out.status, 'applied', JSON.stringify(out));
    if (out.status !== 'applied') return;
    assert.equal(out.edited.split('\n').slice(0, 5).join('\n'), 'SYSTEM_PROMPT = (\n    "Answer to help. "\n    # "\\N{BULLET} Be brief."\n    "\\N{BULLET} Be brief."\n)');
  });
});

describe('break s28: a phrase dropped before the comma or semicolon that ends its clause', () => {
  const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;
  const aggressive = (text: string) => compressor.compress(text, { level: 'aggressive', language: 'en' }).text;

  it('"fully and deeply" (read28\'s cut) after a word of the clause leaves that clause\'s comma or semicolon', () => {
    assert.equal(medium('Understand it deeply and fully, then summarize it.'), 'Understand it, then summarize it.');
    assert.equal(medium('Study the topic fully and deeply; then write the essay.'), 'Study the topic; then write the essay.');
  });

  it('fabric create_formal_email (aggressive): "as a virtual whiteboard in your mind, mapping out…" keeps the comma before its participle', () => {
    // Without it the whiteboard is what maps out the key points ("virtual whiteboard mapping out key points").
    const line = '   - Visualize the scenario as a virtual whiteboard in your mind, mapping out the key points, intentions, and desired outcomes.';
    assert.ok(aggressive(line).includes('whiteboard, mapping out'), aggressive(line));
  });

  it('near misses: a phrase that opens its sentence takes its comma; one between two commas takes both', () => {
    assert.equal(medium('Please, answer the question.'), 'Answer the question.');
    assert.equal(medium('It is, in fact, correct.'), 'It is correct.');
  });
});

describe('break s28: es/pt "my first order is" labels before a colon already written', () => {
  const medium = (text: string, language: string) => compressor.compress(text, { level: 'medium', language }).text;

  it('one colon, not two (lang28\'s "mi primera orden es" → "primera orden:"; pt "minha primeira frase é" likewise)', () => {
    assert.equal(medium('Mi primera orden es: responde solo en inglés.', 'es'), 'Primera orden: responde solo en inglés.');
    assert.equal(medium('Minha primeira frase é: olá.', 'pt'), 'Primeira frase: olá.');
  });

  it('near miss: with no colon written, the label brings its own', () => {
    assert.equal(medium('Mi primera orden es responder solo en inglés.', 'es'), 'Primera orden: responder solo en inglés.');
    assert.equal(medium('Minha primeira frase é olá.', 'pt'), 'Primeira frase: olá.');
  });
});
