// A string first assigned in the branches of an `if` and then grown with `+=` is one composed prompt whose first piece
// is one of the branches' literals (grownString.ts `otherBranch`, composed.ts's alternatives). Left since session 38:
// vanna's `generate_plotly_code` (vanna-ai/vanna 365d0617, vanna/legacy/base/base.py under src, MIT; the function is quoted
// below unchanged) showed four lenses for one system message. The oracle is js-tiktoken on the texts written out by hand:
// the lower bound takes the alternative with fewer tokens, the count "with the longer branches" the other.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../../src/shared/hints/hints';
import { foundIn } from '../../../helpers/scanCorpus';
import { count } from '../../../helpers/tiktokenOracle';

const VANNA = [
  'class VannaBase(ABC):',
  '    def generate_plotly_code(',
  '        self, question: str = None, sql: str = None, df_metadata: str = None, **kwargs',
  '    ) -> str:',
  '        if question is not None:',
  '            system_msg = f"The following is a pandas DataFrame that contains the results of the query that answers the question the user asked: \'{question}\'"',
  '        else:',
  '            system_msg = "The following is a pandas DataFrame "',
  '',
  '        if sql is not None:',
  '            system_msg += f"\\n\\nThe DataFrame was produced using this query: {sql}\\n\\n"',
  '',
  '        system_msg += f"The following is information about the resulting pandas DataFrame \'df\': \\n{df_metadata}"',
  '',
  '        message_log = [',
  '            self.system_message(system_msg),',
  '            self.user_message(',
  '                "Can you generate the Python plotly code to chart the results of the dataframe? Assume the data is in a pandas dataframe called \'df\'. If there is only one value in the dataframe, use an Indicator. Respond with only Python code. Do not answer with any explanations -- just the code."',
  '            ),',
  '        ]',
  '',
  '        plotly_code = self.submit_prompt(message_log, kwargs=kwargs)',
].join('\n');

const line = (n: number): [number, number] => [n, n];

describe('a prompt first assigned in the branches of an if, then grown with +=', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const prompts = async (text: string, fileName: string) =>
    (await service.compute({ text, languageId: fileName.endsWith('.ts') ? 'typescript' : 'python', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts;

  it("vanna's generate_plotly_code: one system prompt of four pieces (the two branches side by side), and the user prompt", () => {
    assert.deepEqual(foundIn(VANNA, 'base.py'), [
      [6, 6, 'system', [line(6), line(8), line(11), line(13)]],
      [18, 18, 'user'],
    ]);
  });

  it('counts the shorter branch in the lower bound and the longer one beside it, with the runtime values named', async () => {
    const system = (await prompts(VANNA, 'base.py')).find((p) => p.location.boundName === 'system_msg');
    assert.ok(system);
    const rest = "\n\nThe DataFrame was produced using this query: \n\nThe following is information about the resulting pandas DataFrame 'df': \n";
    const shorter = 'The following is a pandas DataFrame ';
    const longer = "The following is a pandas DataFrame that contains the results of the query that answers the question the user asked: ''";
    assert.equal(system.cost.tokens.count, count(shorter + rest));
    assert.equal(system.tokensWithLongerBranches, count(longer + rest));
    assert.deepEqual(system.runtimeValues, ['question', 'sql', 'df_metadata']);
  });

  it('TypeScript: a declared name, if / else if / else, then +=', async () => {
    const ts = [
      'import OpenAI from "openai";',
      'const openai = new OpenAI();',
      'export async function ask(question: string, style: string) {',
      '  let system: string;',
      '  if (style === "short") {',
      '    system = "You answer in one short sentence, with no lists and no headings.";',
      '  } else if (style === "long") system = "You answer at length, with sections and examples.";',
      '  else {',
      '    system = "You answer plainly.";',
      '  }',
      '  system += "\\nCite the documents you used, and say when you do not know.";',
      '  system += `\\nThe question is about: ${question}`;',
      '  return openai.chat.completions.create({ model: "gpt-4o", messages: [{ role: "system", content: system }] });',
      '}',
    ].join('\n');
    assert.deepEqual(foundIn(ts, 'ask.ts'), [[6, 6, 'system', [line(6), line(7), line(9), line(11), line(12)]]]);
    const system = (await prompts(ts, 'ask.ts'))[0];
    const rest = '\nCite the documents you used, and say when you do not know.\nThe question is about: ';
    assert.equal(system.cost.tokens.count, count('You answer plainly.' + rest));
    assert.equal(system.tokensWithLongerBranches, count('You answer in one short sentence, with no lists and no headings.' + rest));
  });

  it('not alternatives: a name assigned twice in a row, or twice in the same branch, is read statement by statement', () => {
    const twice = [
      'from openai import OpenAI',
      'client = OpenAI()',
      'def ask(question, strict):',
      '    if strict:',
      '        prompt = "You are a careful assistant who answers questions about the prompt library."',
      '        prompt = "You are a strict assistant who answers questions about the prompt library only."',
      '    prompt += "\\nAnswer in one short paragraph and cite the documents you used."',
      '    prompt += "\\nSay when you do not know the answer, and never make one up."',
      '    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": prompt}])',
    ].join('\n');
    assert.ok(foundIn(twice, 'a.py').every((f) => f.length === 3), JSON.stringify(foundIn(twice, 'a.py')));
    const inRow = twice.replace('    if strict:\n        prompt = "You are a careful', '    prompt = "You are a careful').replace('        prompt = "You are a strict', '    prompt = "You are a strict');
    assert.ok(foundIn(inRow, 'a.py').every((f) => f.length === 3), JSON.stringify(foundIn(inRow, 'a.py')));
  });
});
