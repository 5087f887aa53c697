// A module constant named in a parameter's default (`def build(q, rules=DEFAULT_RULES)`) is read there, not bound: the
// constant stays one, and a prompt that splices it bare counts it in place (session 44: every name of a parameter list,
// defaults included, was taken as a parameter, so `{DEFAULT_RULES}` was a runtime value in a file that also had the default).
import * as assert from 'node:assert/strict';
import { foundIn } from '../../../helpers/scanCorpus';

describe('a name in a parameter default is no parameter', () => {
  it('Python and TypeScript: the constant spliced bare into a prompt is a piece of it; a real parameter of the same name is not', () => {
    const py = [
      'from openai import OpenAI',
      'client = OpenAI()',
      '',
      'DEFAULT_RULES = "Answer only from the documents you are given. Cite the document ids in brackets after each claim."',
      '',
      'def rules_for(team, rules=DEFAULT_RULES, *, strict: bool = False):',
      '    return rules if not strict else rules.upper()',
      '',
      'def build(question, documents):',
      '    return f"""You are a research assistant for the legal team.',
      '{DEFAULT_RULES}',
      '',
      'Question: {question}"""',
      '',
      'def ask(question, documents):',
      '    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": build(question, documents)}])',
    ].join('\n');
    assert.deepEqual(foundIn(py, 'legal.py'), [
      [4, 4, 'template'],
      [10, 13, 'system', [[4, 4], [10, 13]]],
    ]);
    // A parameter named like the constant is the caller's value: not spliced.
    const shadowed = py.replace('def build(question, documents):', 'def build(question, documents, DEFAULT_RULES=""):');
    assert.deepEqual(foundIn(shadowed, 'legal.py').map((f) => f.length), [3, 3]);
    const ts = [
      'import OpenAI from "openai";',
      'const client = new OpenAI();',
      'const DEFAULT_RULES = "Answer only from the documents you are given. Cite the document ids in brackets after each claim.";',
      'function rulesFor(team: Map<string, number>, rules: string = DEFAULT_RULES): string { return rules; }',
      'const pick = (rules = DEFAULT_RULES) => rules;',
      'function build(question: string): string {',
      '  return `You are a research assistant for the legal team.',
      '${DEFAULT_RULES}',
      '',
      'Question: ${question}`;',
      '}',
      'export const ask = (question: string) => client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: build(question) }] });',
    ].join('\n');
    assert.deepEqual(foundIn(ts, 'legal.ts'), [
      [3, 3, 'template'],
      [7, 10, 'system', [[3, 3], [7, 10]]],
    ]);
  });
});
