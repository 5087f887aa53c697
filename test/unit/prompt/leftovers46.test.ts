// Session 46 (leftovers46): rewrites of prompts whose interpolations the engine's generic scan cannot read.
// Our own snippets (unit tests): a Python 3.12 f-string whose replacement fields span lines (PEP 701), as breaker45 built it
// (no real prompt with one was found: one multi-line field in camel, not a prompt; breaker45's mlfields.py). The oracle is
// rewritePath.ts's (the scanner and Lezer on the edited file), and CPython 3.12's `ast` read the same fields in each
// edited file by hand (report: /work/briefs/reports/leftovers46.md).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressRequest } from '../../../src/protocol/engine';
import type { CompressionResult } from '../../../src/protocol/prompt';
import { composePrompt } from '../../../src/shared/hints/composed';
import { planLiteralEdit } from '../../../src/shared/prompt/rewriteGuard';
import { findPrompts } from '../../../src/shared/prompt/scanner';
import { OPERATIONS, callEngine, describeOperation, oracleProblems, rewriteThroughEditorPath } from './rewritePath';

const MULTILINE_FIELDS = [
  'from openai import OpenAI',
  '',
  'client = OpenAI()',
  '',
  '',
  'def ask(user, question):',
  '    system = f"""You are basically a really helpful assistant for {',
  "        user.name  # the user's name",
  '    }. Please answer the question in order to help them, and make sure that you answer really carefully.',
  'Answer in {',
  '    "English" if user.lang == "en" else "the user\'s language"',
  '} only."""',
  '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": system}, {"role": "user", "content": question}])',
  '',
].join('\n');

describe('PEP 701 multi-line f-string fields are atoms of every rewrite (breaker45)', () => {
  const prompt = findPrompts(MULTILINE_FIELDS, undefined, { fileName: 'ask.py' })[0];

  it('the scanner reads both fields, the first named without its comment', () => {
    assert.deepEqual(
      prompt.quoting.interpolations,
      ["{\n        user.name  # the user's name\n    }", '{\n    "English" if user.lang == "en" else "the user\'s language"\n}'],
    );
    // The hover names the value, not its comment (it read "user.name  # the user's name"); the other field chooses between
    // two literals and names nothing.
    assert.deepEqual(composePrompt(prompt, MULTILINE_FIELDS).runtimeValues, ['user.name']);
  });

  for (const op of OPERATIONS) {
    it(`${describeOperation(op)} is applied, with the fields whole and the code around the literal unchanged`, async () => {
      // Before: every operation refused ("it would remove or change "{ user.name # the user's name }""): the engine read the
      // field as text, and compress dropped "the" inside its comment.
      const outcome = await rewriteThroughEditorPath(MULTILINE_FIELDS, { languageId: 'python', fileName: 'ask.py' }, prompt, op);
      assert.equal(outcome.status, 'applied', JSON.stringify(outcome));
      if (outcome.status !== 'applied') return;
      assert.deepEqual(oracleProblems(MULTILINE_FIELDS, outcome.edited, 'python', prompt, outcome.newText), []);
      for (const field of prompt.quoting.interpolations ?? []) assert.ok(outcome.edited.includes(field), field);
    });
  }

  it('the engine alone, given the fields, keeps them and still compresses the prose', async () => {
    const text = prompt.text;
    const result = (await callEngine(PromptCompressRequest.method, { text, interpolations: prompt.quoting.interpolations, model: 'gpt-4o', level: 'medium' })) as CompressionResult;
    for (const field of prompt.quoting.interpolations ?? []) assert.ok(result.text.includes(field), result.text);
    assert.ok(result.tokensAfter < result.tokensBefore, `${result.tokensBefore} → ${result.tokensAfter}`);
    // Without them (an older client), the field is text to the compressor, which edits inside it.
    const blind = (await callEngine(PromptCompressRequest.method, { text, model: 'gpt-4o', level: 'medium' })) as CompressionResult;
    assert.ok(!blind.text.includes(prompt.quoting.interpolations?.[0] ?? ''), blind.text);
  });
});

describe('a brace refusal says what the literal is (breaker45: "format template" for prompts never passed to .format)', () => {
  // camel-ai/camel 13dc7a7d (Apache-2.0; test/fixtures/real-extra/SOURCES.md): the hybrid browser agent's SYSTEM_PROMPT holds
  // JSON examples and is handed to ChatAgent as it is (`system_message=self.SYSTEM_PROMPT`); nothing formats it.
  const source = readFileSync(path.resolve(__dirname, '../../../../test/fixtures/real-extra/camel_hybrid_browser_agent.py.txt'), 'utf8');
  const prompt = findPrompts(source, undefined, { fileName: 'agent.py' }).find((p) => p.text.includes('You are a web automation assistant.'))!;

  it('distill cutting a JSON example of a prompt with no field: a single brace in "a text whose braces all pair up", not in "a format template"', async () => {
    assert.deepEqual(prompt.placeholders, []);
    const outcome = await rewriteThroughEditorPath(source, { languageId: 'python', fileName: 'agent.py' }, prompt, { kind: 'distill', share: 0.6 });
    // Before: 'The rewrite was not applied: it would leave a single "{" or "}" in a format template (write "{{" or "}}" for a brace there).'
    assert.deepEqual(outcome, { status: 'refused', stage: 'guard', reason: 'The rewrite was not applied: it would leave a single "{" or "}" in a text whose braces all pair up (a JSON or code example in it would be cut).' });
  });

  it('a new brace pair written into it (a model\'s rewrite adding a JSON example): worded for a text with no field', () => {
    const newText = prompt.text.replace('- click can choose radio, checkbox...', '- click can choose radio, checkbox: {"type": "click", "ref": "e2"}');
    const verdict = planLiteralEdit(source, prompt, newText, { fileName: 'agent.py' });
    // Before: '… which str.format reads as a field, to a format template (write "{{" and "}}" for braces there)'.
    assert.equal(verdict.ok ? 'applied' : verdict.why, 'it would add "{"type": "click", "ref": "e2"}", which a formatter (str.format, LangChain) reads as a field, to a text with no field');
  });

  it('a str.format template (a `{name}` field the scanner reads) keeps the old wording', () => {
    const fmt = 'PROMPT = "You are a helpful assistant. Answer {question} and keep it short."\nPROMPT.format(question=q)\n';
    const p = findPrompts(fmt, undefined, { fileName: 'p.py' })[0];
    const verdict = planLiteralEdit(fmt, p, p.text.replace('keep it short.', 'keep it short }.'), { fileName: 'p.py' });
    assert.equal(verdict.ok ? 'applied' : verdict.why, 'it would leave a single "{" or "}" in a format template (write "{{" or "}}" for a brace there)');
  });
});
