// breaker49 (session 49, issue 12 items 1 and 2): hostile literals from real code we did not make. Finding 1: a brace after
// a backslash in a Python f-string (ruff's own parser and lint fixtures, astral-sh/ruff, MIT) was read by Lezer as an escape,
// so live interpolations were taken for text and escaped braces for interpolations. Finding 2: compressing "ensure that you
// … and that your …" (cline's system prompt, cline/cline, Apache-2.0) dropped the request phrase and broke the sentence.
// Sources, commits and licenses: test/fixtures/breaker49/SOURCES.md.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPythonParser } from '../../../src/shared/prompt/scanner/parsers';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { liveInterpolations } from '../../../src/shared/prompt/rewriteGuard';
import { compressKeepingAtoms } from '../../../src/engine/prompt/handlers';
import { findAtoms } from '../../../src/shared/prompt/scanner/atoms';
import { oracleProblems, rewriteThroughEditorPath } from './rewritePath';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/breaker49');

/** Every f-string's top-level replacement fields as the scanner's parser reads them, by the f-string's start offset. */
function fieldsByParser(src: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  loadPythonParser()
    .parse(src)
    .iterate({
      enter(n) {
        if (n.name !== 'FormatString') return;
        const fields: string[] = [];
        for (let c = n.node.firstChild; c; c = c.nextSibling) if (c.name === 'FormatReplacement') fields.push(src.slice(c.from, c.to));
        out[String(n.from)] = fields;
      },
    });
  return out;
}

describe('breaker49 finding 1: a brace after a backslash in a Python f-string is a brace (read as CPython 3.12 reads it)', () => {
  // Before: 9 of these 105 f-strings read otherwise, e.g. ruff's `f"\{foo}\{bar:\}"` had no field (Python: `{foo}` and
  // `{bar:\}`), `f'\{{1}}'` had the field `{1}` (Python: none, the text `\{1}`), `rf'\{1}'` had none (Python: `{1}`).
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'python312-fields.json'), 'utf8')) as Record<string, Record<string, string[]>>;
  for (const [file, fields] of Object.entries(expected)) {
    it(`${file}: every f-string's replacement fields are Python 3.12's tokenizer's (${Object.keys(fields).length} f-strings)`, () => {
      const got = fieldsByParser(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
      const differ = Object.keys(fields).filter((at) => JSON.stringify(got[at]) !== JSON.stringify(fields[at]));
      assert.deepEqual(
        differ.map((at) => ({ at, got: got[at], python: fields[at] })),
        [],
      );
    });
  }

  // The same reading in prompts (our own unit inputs, written like the ruff cases): the fields Python 3.12 reads are the
  // prompt's live interpolations, and a rewrite is applied with them intact.
  const windowsPath = [
    'from openai import OpenAI',
    'client = OpenAI()',
    'def ask(user):',
    '    prompt = (',
    '        f"You are an assistant that really basically helps {user.name} in a very clear way. "',
    '        rf"It is important to note that paths look like C:\\Users\\{user.name}\\docs and that you should basically keep them."',
    '    )',
    '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
    '',
  ].join('\n');
  const latexSet = [
    'from openai import OpenAI',
    'client = OpenAI()',
    'def ask(topic, user):',
    '    prompt = rf"You are a LaTeX tutor. Always write sets as \\{{a, b\\}} with escaped braces, then explain the topic {topic} to {user} in very simple words and short sentences."',
    '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
    '',
  ].join('\n');

  it("rf'…C:\\Users\\{user}\\Documents…': compress keeps {user} live when it rewrites the literal with another prefix", async () => {
    // Before: {user} was text to the scanner and to the guard, and compress (medium) wrote
    // f'You\'re … C:\\Users\\{{user}}\\Documents …': the path no longer held the user's name, and the guard let it through.
    const source = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def ask(user):',
      "    prompt = rf'You are an assistant that helps with Windows paths like C:\\Users\\{user}\\Documents and you always keep the backslashes.'",
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])',
      '',
    ].join('\n');
    const [prompt] = findPrompts(source, undefined, { fileName: 'paths.py' });
    assert.deepEqual(liveInterpolations(prompt), ['{user}']);
    const outcome = await rewriteThroughEditorPath(source, { fileName: 'paths.py' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied', outcome.status === 'refused' ? outcome.reason : '');
    if (outcome.status !== 'applied') return;
    assert.equal(outcome.edited.split('\n')[3], "    prompt = f'You\\'re an assistant that helps with Windows paths like C:\\\\Users\\\\{user}\\\\Documents and you always keep the backslashes.'");
    assert.deepEqual(oracleProblems(source, outcome.edited, 'python', prompt, outcome.newText), []);
  });

  it('rf"…C:\\Users\\{user.name}\\docs…": the second {user.name} is live; compress is applied, not refused', async () => {
    // Before: the rf piece's {user.name} was text, and every rewrite was refused ("the interpolations would change order or number").
    const [prompt] = findPrompts(windowsPath, undefined, { fileName: 'ask.py' });
    assert.deepEqual(liveInterpolations(prompt), ['{user.name}', '{user.name}']);
    const outcome = await rewriteThroughEditorPath(windowsPath, { fileName: 'ask.py' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied', outcome.status === 'refused' ? outcome.reason : '');
    if (outcome.status !== 'applied') return;
    assert.deepEqual(oracleProblems(windowsPath, outcome.edited, 'python', prompt, outcome.newText), []);
  });

  it('rf"…\\{{a, b\\}}… {topic} to {user}…": the escaped braces are text, {topic} and {user} are live; compress is applied', async () => {
    // Before: Lezer read `{a, b\}` as a field, the decoder lost its place, {topic} and {user} were text, and every rewrite
    // was refused with "the literal is not complete … finish typing it" (the literal was complete).
    const [prompt] = findPrompts(latexSet, undefined, { fileName: 'tutor.py' });
    assert.equal(prompt.text, 'You are a LaTeX tutor. Always write sets as \\{a, b\\} with escaped braces, then explain the topic {topic} to {user} in very simple words and short sentences.');
    assert.deepEqual(liveInterpolations(prompt), ['{topic}', '{user}']);
    const outcome = await rewriteThroughEditorPath(latexSet, { fileName: 'tutor.py' }, prompt, { kind: 'compress', level: 'medium' });
    assert.equal(outcome.status, 'applied', outcome.status === 'refused' ? outcome.reason : '');
    if (outcome.status !== 'applied') return;
    assert.deepEqual(oracleProblems(latexSet, outcome.edited, 'python', prompt, outcome.newText), []);
    assert.ok(outcome.edited.includes('rf"You\'re a LaTeX tutor. Always write sets as \\{{a, b\\}} with escaped braces, then explain the topic {topic} to {user} in simple words and short sentences."'), outcome.edited);
  });
});

describe('breaker49 finding 2: "ensure that you … and that your …" keeps its request phrase (cline system prompt)', () => {
  // cline/cline sdk/packages/shared/src/prompt/system.ts, lines 20 and 46 (Apache-2.0). Before, medium read "This will help
  // have a clear understanding of the requirements and that your approach aligns with the user's needs.": "help have" has
  // lost its subject, and "and that your approach aligns" hangs from nothing.
  const line20 = "- Always show your planning process before executing any task. This will help ensure that you have a clear understanding of the requirements and that your approach aligns with the user's needs.";
  const line46 = "- Always show your planning process without repeating yourself before executing any task. This will help ensure that you have a clear understanding of the requirements and that your approach aligns with the user's request.";

  for (const [name, text] of [['line 20', line20], ['line 46', line46]] as const) {
    it(`${name}: medium keeps "help ensure that you have" and the coordinated "and that your approach aligns"`, () => {
      const out = compressKeepingAtoms(text, { model: 'gpt-4o', level: 'medium' }).text;
      assert.ok(out.includes('This will help ensure that you have a clear understanding of the requirements and that your approach aligns'), out);
    });
  }

  it('a coordinated second "that" clause keeps "make sure that you"; a request with no second clause still goes', () => {
    assert.equal(compressKeepingAtoms('Make sure that you cite the source and that you keep the answer short.', { model: 'gpt-4o', level: 'medium' }).text, 'Make sure that you cite the source and that you keep the answer short.');
    assert.equal(compressKeepingAtoms('Check the content and make sure you cite it.', { model: 'gpt-4o', level: 'medium' }).text, 'Check the content and cite it.');
  });
});

describe('breaker49 finding 3: a Jinja tag ends at its closing delimiter outside its quoted strings', () => {
  // huggingface/huggingface.js packages/jinja/test/e2e.test.js, the chat template of "mistralai/Mistral-Nemo-Instruct-2407"
  // (lines 20–44 of the template, MIT): `{{- "}}" }}` closes each tool's JSON object. Before, the tag was cut after the
  // string's "}}" (`{{- "}}`), and `" }}` was prose to the rewriters.
  it('Mistral-Nemo\'s tool template: `{{- "}}" }}` is one tag, and every tag of the excerpt is one atom', () => {
    const excerpt = fs.readFileSync(path.join(FIXTURES, 'mistral_tools_template_excerpt.jinja'), 'utf8');
    const tags = findAtoms(excerpt).map((a) => a.text);
    assert.ok(tags.includes('{{- "}}" }}'), JSON.stringify(tags));
    // By hand: every line of the excerpt that holds a tag holds exactly one, from its first non-blank character to its end.
    const expected = excerpt
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    assert.deepEqual(tags, expected);
  });

  it('compress keeps a filter\'s string argument that holds "}}", and a {% set %} whose string holds "%}", word for word', () => {
    // Before: medium read `{{ fmt | replace("}}", " basically ") }}` (a word of the argument dropped as filler) and
    // `{% set close = "%}" %}` (the rest of the string dropped as "please note that").
    const a = compressKeepingAtoms('Please make sure to answer basically in the format {{ fmt | replace("}}", " really basically ") }}. It is important to note that you should really be concise.', { model: 'gpt-4o', level: 'medium' }).text;
    assert.ok(a.includes('{{ fmt | replace("}}", " really basically ") }}'), a);
    const b = compressKeepingAtoms('{% set close = "%} please note that" %}You are a really helpful assistant and you should basically answer in a very short way. {{ close }}', { model: 'gpt-4o', level: 'aggressive' }).text;
    assert.ok(b.startsWith('{% set close = "%} please note that" %}'), b);
  });

  it("an apostrophe in a tag opens no string: {{ user's name }} and {{ it's }} stay two tags", () => {
    assert.deepEqual(
      findAtoms("Tell {{ user's name }} and {{ it's }} ok").map((a) => a.text),
      ["{{ user's name }}", "{{ it's }}"],
    );
  });
});
