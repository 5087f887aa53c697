// left34: the `{{…}}` of a LangChain f-string template (the default format) are escapes: `{{nt}}` is sent as `{nt}`.
// Seen in khoj-ai/khoj/src/khoj/processor/conversation/prompts.py (AGPL-3.0, read only; ae229ca) python_code_generation_prompt:
// our count ≥1,039 with `nt`, `interest_earned:,.2f`, `final_amount:,.2f` and `2` as runtime values, where CPython's
// `.format()` with empty values gives 1,058 tokens (o200k). The snippets below are written for the test, not copied.
// Oracle: the text Python's str.format gives (LangChain's f-string format is str.format), counted with js-tiktoken o200k_base.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { count } from '../../helpers/tiktokenOracle';

describe("a LangChain f-string template's {{…}} are escaped braces (left34)", function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const compute = (text: string) => service.compute({ text, languageId: 'python', fileName: 'prompts.py', defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false });
  const body = [
    'You write Python for the user in the folder {work_dir}.',
    'Example: the growth of a deposit is $A = P(1 + r)^{{t}}$, printed as:',
    'print(f"Total: ${{total:,.2f}}")',
    'and a set literal is {{1, 2}}.',
    'Question: {question}',
  ].join('\n');
  // What CPython gives for the template `.strip()`ed, then `.format(work_dir="", question="")` (the trailing space stays).
  const formatted = [
    'You write Python for the user in the folder .',
    'Example: the growth of a deposit is $A = P(1 + r)^{t}$, printed as:',
    'print(f"Total: ${total:,.2f}")',
    'and a set literal is {1, 2}.',
    'Question: ',
  ].join('\n');

  it('PromptTemplate.from_template("""…{{t}}…""".strip()): the escapes are text, sent as one brace', async () => {
    const text = `from langchain_core.prompts import PromptTemplate\n\ncode_prompt = PromptTemplate.from_template(\n    """\n${body}\n""".strip()\n)\n`;
    const [prompt] = (await compute(text)).prompts;
    assert.ok(prompt);
    assert.equal(prompt.cost.tokens.count, count(formatted));
    assert.deepEqual(prompt.runtimeValues, ['work_dir', 'question']);
  });

  it('near misses: template_format="mustache" or "jinja2" in the file keeps {{t}} a runtime value', async () => {
    for (const format of ['mustache', 'jinja2']) {
      const text = `from langchain_core.prompts import PromptTemplate\n\ncode_prompt = PromptTemplate.from_template(\n    """\n${body}\n""".strip(),\n    template_format="${format}",\n)\n`;
      const [prompt] = (await compute(text)).prompts;
      assert.ok(prompt, format);
      assert.ok(prompt.runtimeValues.includes('t'), `${format}: ${prompt.runtimeValues.join(', ')}`);
    }
  });
});
