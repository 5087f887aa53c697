// What the scanner missed or took wrongly in the held-out round 4 of the scan corpus (session 29, helper round4:
// continuedev/continue, microsoft/TypeChat, run-llama/LlamaIndexTS, stanfordnlp/dspy, microsoft/graphrag). The real
// files are in test/fixtures/scan (SOURCES.md); the oracle is the file read by hand (annotations.json): which lines
// hold a prompt, of what kind, and which literals are the pieces of a composed one.
import * as assert from 'node:assert/strict';
import { type Found, foundIn, foundInScanFixture } from '../../../helpers/scanCorpus';

const found = foundInScanFixture;

describe('findPrompts: held-out round 4 and the rules it asked for (session 29)', () => {
  it("dspy's refine.py: every InputField/OutputField desc is a field description the prompt shows (tool), beside the signature's docstring", () => {
    const tool = (a: number, b = a): Found => [a, b, 'tool'];
    assert.deepEqual(found('python/dspy_refine.py'), [[16, 22, 'system'], ...[24, 25, 26, 27, 28, 29, 30, 31, 32, 33].map((n) => tool(n)), tool(35, 37), tool(125)]);
  });

  it('an InputField(desc=…) of a file that does not import dspy is not a tool description', () => {
    const src = [
      'from formkit import InputField, Form',
      '',
      'class SignupForm(Form):',
      '    email = InputField(desc="The address we send the confirmation link to")',
      '    name = InputField(desc="Your full name as it should appear on the invoice")',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'forms.py'), []);
    // The same fields in a DSPy signature are sent.
    const dspy = src.replace('from formkit import InputField, Form', 'import dspy\nfrom dspy import InputField').replace('(Form)', '(dspy.Signature)');
    assert.deepEqual(foundIn(dspy, 'forms.py'), [
      [5, 5, 'tool'],
      [6, 6, 'tool'],
    ]);
  });

  it("dspy's ReAct: the instructions grown with extend/append and joined are one composed system prompt; the loop's tool lines are runtime values; the finish Tool's desc is a tool", () => {
    // The reported range is the longest piece (line 55); the pieces are the literal items, not f"({idx + 1}) {tool}" added in the loop.
    assert.deepEqual(found('python/dspy_react.py'), [
      [55, 55, 'system', [[53, 53], [54, 54], [55, 55], [56, 56], [57, 57], [58, 58], [71, 71]]],
      [65, 65, 'tool'],
    ]);
  });

  it("continue's gptEditPrompt: paragraphs pushed (in branches) and joined are one composed prompt, dedent templates included", () => {
    const prompts = found('ts/continue_edit_gpt.ts');
    const composed = prompts.filter((p) => p.length === 4);
    assert.deepEqual(composed, [[60, 70, 'template', [[41, 41], [45, 49], [53, 57], [60, 70]]]]);
    assert.deepEqual(prompts.map((p) => p[0]), [5, 18, 60, 82, 100]);
  });

  it('a list grown and joined in a function is not a prompt when its text is not one, nor read as one list when it is used otherwise', () => {
    const report = [
      'def report(paths):',
      '    lines = ["Files changed:"]',
      '    for p in paths:',
      '        lines.append(f"  {p}")',
      '    lines.append("End of report")',
      '    return "\\n".join(lines)',
    ].join('\n');
    assert.deepEqual(foundIn(report, 'report.py'), []);
    // Indexed after it is grown: the list is not read as one string, so its items are judged each on their own.
    const prompt = [
      'from openai import OpenAI',
      '',
      'def ask(client: OpenAI, question):',
      '    instr = []',
      '    instr.extend(["You are an Agent. You will be given the fields as input.", "Your goal is to use the supplied tools to produce the outputs."])',
      '    instr[0] = "You are a careful Agent. You will be given the fields as input."',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "\\n".join(instr)}, {"role": "user", "content": question}])',
    ].join('\n');
    assert.deepEqual(foundIn(prompt, 'ask.py').filter((p) => p.length === 4), []);
    // Without the index, one composed prompt of the two items.
    assert.deepEqual(
      foundIn(prompt.replace(/\n {4}instr\[0\] = .*/, ''), 'ask.py').map((p) => p[3]),
      [
        [
          [5, 5],
          [5, 5],
        ],
      ],
    );
  });

  it("continue's module-level RULES, joined once inside the dedent template of a user message, is one composed prompt; grown elsewhere or joined twice it is not read as one list", () => {
    // The whole file: the list (its six items on lines 13-22, around a commented-out block) and the two messages.
    const all = found('ts/continue_lazy_apply_prompts.ts');
    assert.equal(all.length, 3);
    assert.deepEqual(all[0][3], [[13, 13], [14, 14], [15, 15], [16, 16], [17, 17], [22, 22]]);
    assert.deepEqual(all.slice(1), [
      [28, 41, 'user'],
      [43, 46, 'assistant'],
    ]);
    const rules = [
      'const RULES = [',
      '  "Your response should be a code block containing a rewritten version of the file.",',
      '  "Leave existing comments in place unless changes require modifying them.",',
      '];',
    ];
    const user = ['function prompt(code: string) {', '  const userContent = dedent`', '    Apply the NEW CODE to the ORIGINAL CODE and show the entire file after it is applied.', '    - ${RULES.join("\\n- ")}', '  `;', '  return [{ role: "user", content: userContent }];', '}'];
    // Grown in another function: its length at the join is not what the literal shows.
    const grown = [...rules, 'export function addRule(rule: string) {', '  RULES.push(rule);', '}', ...user].join('\n');
    assert.deepEqual(foundIn(grown, 'a.ts').filter((p) => p.length === 4), []);
    // Joined at two places (with two separators): no single text to count.
    const twice = [...rules, ...user, 'export const summary = RULES.join(", ");'].join('\n');
    assert.deepEqual(foundIn(twice, 'a.ts').filter((p) => p.length === 4), []);
  });

  it("continue's lazy apply prompt: a literal held for an assistant message in a function named as a prompt is a prompt without an LLM import; in a function named otherwise it is not", () => {
    assert.deepEqual(found('ts/continue_lazy_apply_prompts.ts').filter((p) => p[0] >= 28), [
      [28, 41, 'user'],
      [43, 46, 'assistant'],
    ]);
    const src = [
      'import { ChatMessage } from "./types";',
      '',
      'function welcomeTranscript(name: string): ChatMessage[] {',
      '  const greeting = `Hi ${name}! Here is what changed since your last visit:`;',
      '  return [',
      '    { role: "user", content: name },',
      '    { role: "assistant", content: greeting },',
      '  ];',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(src, 'welcome.ts'), []);
    assert.deepEqual(foundIn(src.replace(/welcomeTranscript/, 'welcomePrompt'), 'welcome.ts'), [[4, 4, 'assistant']]);
  });
});
