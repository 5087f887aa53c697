// The squiggle of a finding whose text came from escape sequences (break34). Blank lines written "\n\n\n\n" inside a
// one-line string marked a lone backslash in every language (the end mapped through the last escape's first character,
// plus one), and in JSON and YAML double-quoted strings the alignment of decoded text to source took the "t" of "\t" for
// text: the squiggle over "  \t  " left out its last space, the one over "   \u0020 " took the "g" of the next word,
// and " \t " took the backslash of the next escape. Oracle: the source characters that decode to the finding's text,
// counted by hand.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';

const TEXT = 'You are a helpful assistant. Answer the question of the user with care and detail. Use this:  \\t  and that.\\n\\n\\n\\n\\n\\n\\nThen   \\u0020 go on and answer the user.';

describe('hints: the document range of a finding over escape sequences', function () {
  this.timeout(60_000);
  const service = new PromptHintService(() => PriceCatalog.bundled());
  const marked = async (source: string, languageId: string, fileName: string): Promise<Array<[string, string]>> => {
    const { prompts } = await service.compute({ text: source, languageId, fileName, defaultModel: 'gpt-5.4', compareModels: [], callsPerDay: 1000, withSuggestions: true });
    assert.equal(prompts.length, 1, fileName);
    return (prompts[0].suggestions ?? []).filter((s) => s.kind === 'whitespace').map((s) => [prompts[0].location.text.slice(s.range!.start, s.range!.end), source.slice(s.documentRange!.start.offset, s.documentRange!.end.offset)]);
  };
  const EXPECTED: Array<[string, string]> = [
    ['  \t  ', '  \\t  '],
    // (Seven line breaks: four are one token, as two are, and no finding since newuser43.)
    ['\n\n\n\n\n\n\n', '\\n\\n\\n\\n\\n\\n\\n'],
    ['     ', '   \\u0020 '],
  ];

  for (const [name, languageId, fileName, source] of [
    ['a Python string', 'python', 'agent.py', `system_prompt = "${TEXT}"\n`],
    ['a JavaScript string', 'javascript', 'agent.js', `const systemPrompt = "${TEXT}";\n`],
    ['a TypeScript template literal', 'typescript', 'agent.ts', `const systemPrompt = \`${TEXT}\`;\n`],
    ['a JSON string', 'json', 'prompts.json', `{"system_prompt": "${TEXT}"}\n`],
    ['a YAML double-quoted scalar', 'yaml', 'prompts.yaml', `system_prompt: "${TEXT}"\n`],
  ] as const) {
    it(`${name}: each squiggle covers the escapes of its text, whole, and nothing else`, async () => {
      assert.deepEqual(await marked(source, languageId, fileName), EXPECTED);
    });
  }

  it('JSON and YAML: an escape next to the finding stays out of it; a folded YAML line stays in', async () => {
    const json = `{"system_prompt": "You are a helpful assistant. Answer the user with care. Say \\t \\"hi\\" \\ud83d\\ude00 to them."}\n`;
    assert.deepEqual(await marked(json, 'json', 'prompts.json'), [[' \t ', ' \\t ']]);
    const yaml = `system_prompt: "You are a helpful assistant. Answer the user with care. Say \\t \\"hi\\" \\U0001F600 to\n  them \\\n  now."\n`;
    assert.deepEqual(await marked(yaml, 'yaml', 'prompts.yaml'), [[' \t ', ' \\t ']]);
  });
});
