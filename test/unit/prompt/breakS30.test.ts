/**
 * Findings of the session-30 adversarial pass (break30) on rewrites of prompts in prompt files (Jinja, dotprompt) and
 * data files, and on the quick fixes. Each case failed on main at e7920de. Expected values are read off the input
 * by hand: what each branch of the template sends (Jinja and Handlebars render the text between `{% if %}` and
 * `{% else %}` for one customer and the text after it for the other), Jinja's grammar (`{{ … }}` is one expression,
 * line breaks inside it included), and English grammar ("crucial to" needs its verb).
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { encodeLiteralContent, findPrompts } from '../../../src/shared/prompt/scanner';
import { findAtoms } from '../../../src/shared/prompt/scanner/atoms';
import { templateBoundaries } from '../../../src/shared/prompt/text';
import { rewriteThroughEditorPath } from './rewritePath';

const compressor = new PromptCompressor();
const analyzer = new PromptAnalyzer();

describe('break s30: a sentence in two branches of a template is no repeat', () => {
  // A support template: premium customers may get a refund at once, others need a manager; both must be answered in English.
  const JINJA = [
    'You are the support assistant of ACME.',
    '{% if user.is_premium %}',
    'You can offer a refund without asking a manager. Always answer in English.',
    '{% else %}',
    'You must ask a manager before you offer a refund. Always answer in English.',
    '{% endif %}',
    'The customer wrote: {{ message }}',
    '',
  ].join('\n');
  const prompt = () => findPrompts(JINJA, undefined, { fileName: 'support.jinja2' })[0];

  it('Compress keeps the else branch\'s "Always answer in English." at every level (it was dropped as a repeat)', async () => {
    const light = await rewriteThroughEditorPath(JINJA, { fileName: 'support.jinja2' }, prompt(), { kind: 'compress', level: 'light' } as never);
    assert.equal(light.status, 'unchanged');
    const medium = await rewriteThroughEditorPath(JINJA, { fileName: 'support.jinja2' }, prompt(), { kind: 'compress', level: 'medium' });
    assert.equal(medium.status === 'applied' && medium.edited, [
      "You're the support assistant of ACME.",
      '{% if user.is_premium %}',
      'You can offer a refund without asking a manager. Always answer in English.',
      '{% else %}',
      'You must ask a manager before you offer a refund. Always answer in English.',
      '{% endif %}',
      'Customer wrote: {{ message }}',
      '',
    ].join('\n'));
    const optimize = await rewriteThroughEditorPath(JINJA, { fileName: 'support.jinja2' }, prompt(), { kind: 'optimize', target: 'balanced' });
    assert.ok(optimize.status === 'applied' && optimize.newText.includes('{% else %}\nYou must ask a manager before you offer a refund. Always answer in English.\n{% endif %}'), JSON.stringify(optimize));
  });

  it('no "repetition" quick fix is offered for the else branch\'s copy', () => {
    assert.deepEqual(analyzer.suggestions(prompt().text, { model: 'gpt-4o' }).filter((s) => s.kind === 'repetition'), []);
  });

  it('a repeat inside one branch is still a repeat (finding and compression)', () => {
    const text = '{% if formal %}\nAlways answer in English. Be polite.\nAlways answer in English.\n{% endif %}';
    const found = analyzer.suggestions(text, { model: 'gpt-4o' }).filter((s) => s.kind === 'repetition').map((s) => s.range);
    assert.deepEqual(found, [{ start: 53, end: 78 }]);
    assert.equal(compressor.compress(text, { level: 'light', language: 'en' }).text, '{% if formal %}\nAlways answer in English. Be polite.\n{% endif %}');
  });

  it('Handlebars in a dotprompt file: the {{else}} branch keeps its copy', async () => {
    const DOT = [
      '---',
      'model: googleai/gemini-2.0-flash',
      '---',
      '{{role "system"}}',
      'You are the support assistant of ACME.',
      '{{#if premium}}',
      'You can offer a refund without asking a manager. Always answer in English.',
      '{{else}}',
      'You must ask a manager before you offer a refund. Always answer in English.',
      '{{/if}}',
      '{{role "user"}}',
      '{{request}}',
      '',
    ].join('\n');
    const system = findPrompts(DOT, undefined, { fileName: 'refunds.prompt' })[0];
    const out = await rewriteThroughEditorPath(DOT, { fileName: 'refunds.prompt' }, system, { kind: 'compress', level: 'medium' });
    assert.equal(out.status === 'applied' && out.newText, [
      "You're the support assistant of ACME.",
      '{{#if premium}}',
      'You can offer a refund without asking a manager. Always answer in English.',
      '{{else}}',
      'You must ask a manager before you offer a refund. Always answer in English.',
      '{{/if}}',
    ].join('\n'));
  });

  it('a role line starts another message: the user message keeps its own copy of the system message\'s instruction', () => {
    const text = 'system:\nYou are a translator. Always answer in plain English.\n\nuser:\nTranslate the text below. Always answer in plain English.\n{{text}}';
    assert.equal(compressor.compress(text, { level: 'medium', language: 'en' }).text, "system:\nYou're a translator. Always answer in plain English.\n\nuser:\nTranslate the text below. Always answer in plain English.\n{{text}}");
    assert.deepEqual(templateBoundaries('system:\nA b c.\n\nuser:\nD e.\n# assistant:\nx {{role "user"}} y'), [7, 21, 39, 57]);
  });

  it('templateBoundaries: the end of each Jinja statement and Handlebars section tag, not of a variable or comment', () => {
    const text = 'a {% if x %}b{{ y }}c{% else %}d{{#each z}}e{{/each}}f{{~else~}}g{# note #}h{{^list}}i';
    assert.deepEqual(templateBoundaries(text), [12, 31, 43, 53, 64, 85]);
  });
});

describe('break s30: a Jinja expression set out on several lines', () => {
  const TEXT = 'You are a concierge.\n{{ user_name\n   | default("the guest") }} should really be greeted very politely in order to make them feel welcome.\nIt is important to note that you should answer briefly.';

  it('is one atom, line break included', () => {
    assert.deepEqual(findAtoms(TEXT).map((a) => [a.kind, a.text]), [['mustache', '{{ user_name\n   | default("the guest") }}']]);
  });

  it('Distill keeps it whole (it kept "   | default(\\"the guest\\") }}" without its opening line: the template no longer parsed)', async () => {
    const source = `${TEXT}\n`;
    const prompt = findPrompts(source, undefined, { fileName: 'greet.jinja2' })[0];
    const out = await rewriteThroughEditorPath(source, { fileName: 'greet.jinja2' }, prompt, { kind: 'distill', share: 0.5 }, 40);
    assert.equal(out.status === 'applied' && out.edited, 'You\'re a concierge.\n{{ user_name\n   | default("the guest") }} should be greeted politely to make them feel welcome.\n');
  });

  it('the doubled braces of a str.format JSON example stay text', () => {
    assert.deepEqual(findAtoms('Reply with:\n{{\n  "answer": "{answer}"\n}}').map((a) => a.text), ['{answer}']);
    assert.deepEqual(findAtoms('Reply with:\n{{\n  "answer": 42\n}}'), []);
  });
});

describe('break s30: "remember that" after the "to" of an infinitive', () => {
  it('medium keeps the verb of "crucial to" (it wrote "It\'s crucial to the user is a child.")', () => {
    assert.equal(compressor.compress('It is crucial to remember that the user is a child.', { level: 'medium', language: 'en' }).text, "It's crucial to remember that the user is a child.");
    assert.equal(compressor.compress('It is really very important to note that you should be concise.', { level: 'medium', language: 'en' }).text, "It's important to note that you should be concise.");
  });

  it('with its "to" the lead still goes whole', () => {
    assert.equal(compressor.compress('It is important to note that the user is a child.', { level: 'medium', language: 'en' }).text, 'The user is a child.');
    assert.equal(compressor.compress('Make sure to note that the user is a child.', { level: 'medium', language: 'en' }).text, 'The user is a child.');
  });

  it('no quick fix removes "remember that" alone after "to"', () => {
    const found = analyzer.suggestions('It is crucial to remember that the user is a child.', { model: 'gpt-4o' }).filter((s) => s.kind === 'filler');
    assert.deepEqual(found, []);
  });
});

describe('break s30: a YAML double-quoted prompt with escaped line separators and C1 controls', () => {
  // A prompt in a YAML config; PyYAML 6.0.3 (YAML 1.1, the parser crewAI, promptflow and SWE-agent use) read the old
  // rewrite's raw NEL as a line break folded to a space ("concise. To help."), and refused a raw U+0080 ("unacceptable
  // character #x0080: special characters are not allowed"); YAML 1.2 allows neither raw C1 control.
  const SOURCE = 'researcher:\n  system_prompt: "Please make sure to basically answer in order to help the user.\\NThen list the sources.\\LEnd \\x80 here."\n';

  it('Compress writes them back as escapes', async () => {
    const prompt = findPrompts(SOURCE, undefined, { fileName: 'agents.yaml' })[0];
    assert.equal(prompt.text, 'Please make sure to basically answer in order to help the user.\u0085Then list the sources.\u2028End \u0080 here.');
    const out = await rewriteThroughEditorPath(SOURCE, { fileName: 'agents.yaml' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(out.status === 'applied' && out.edited, 'researcher:\n  system_prompt: "Answer to help the user.\\NThen list the sources.\\LEnd \\x80 here."\n');
  });

  it('encodeLiteralContent escapes every character outside c-printable, and NEL, LS and PS by name; a surrogate pair stays', () => {
    const quoting = { language: 'yaml', style: 'yamlDouble', quote: '"' } as const;
    assert.equal(encodeLiteralContent('a\u0085b\u2028c\u2029d\u0080e\u009bf\ud800g\ufffeh\u00a0i😀', quoting), 'a\\Nb\\Lc\\Pd\\x80e\\x9bf\\ud800g\\ufffeh\u00a0i😀');
  });
});

describe('break s30: SWE-agent\'s format error template (real file)', () => {
  // SWE-agent (MIT), trajectories/demonstrations/str_replace_anthropic_demo.yaml at 3ea751c087f32b16e039a2233dd6eefecef325d5,
  // lines 327-344: the `unexpected_arg` and the `else` branch both open with "Your action could not be parsed properly:
  // {{exception_message}}."; the editor offered to remove the else branch's copy, which would leave that error empty.
  const SOURCE = [
    'error_message: |',
    '  {%- if error_code == "missing" -%}',
    '  Your last output did not use any tool calls!',
    '  Please make sure your output includes exactly _ONE_ function call!',
    '  You must invoke the function directly using the function call format.',
    '  You cannot invoke commands with ```, you have to use the function call format.',
    '  If you think you have already resolved the issue, please submit your changes by running the `submit` command.',
    '  If you think you cannot solve the problem, please run `exit_forfeit` (if available).',
    '  Else, please continue with a new tool call!',
    '  {%- elif error_code == "multiple" -%}',
    '  Your last output included multiple tool calls!',
    '  Please make sure your output includes a thought and exactly _ONE_ function call.',
    '  {%- elif error_code == "unexpected_arg" -%}',
    '  Your action could not be parsed properly: {{exception_message}}.',
    '  Make sure your function call doesn\'t include any extra arguments that are not in the allowed arguments, and only use the allowed commands.',
    '  {%- else -%}',
    '  Your action could not be parsed properly: {{exception_message}}.',
    '  {% endif %}',
    '',
  ].join('\n');

  it('no "repetition" quick fix is offered', () => {
    const prompt = findPrompts(SOURCE, undefined, { fileName: 'config.yaml' })[0];
    assert.equal(prompt.quoting.style, 'yamlBlockLiteral');
    assert.deepEqual(analyzer.suggestions(prompt.text, { model: 'gpt-4o' }).filter((s) => s.kind === 'repetition'), []);
  });
});
