import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

// newuser36 on getzep/graphiti (Apache-2.0, commit 993e081a6d7948a0d8851c12a5fbdbeb49fed862; test/fixtures/graphiti/SOURCES.md).
const FIXTURES = join(resolve(__dirname, '..', '..', '..', '..', '..'), 'test', 'fixtures', 'graphiti');
const providers = (src: string, fileName: string) => findPrompts(src, undefined, { fileName }).map((p) => `${p.range.start.line + 1} ${p.kind} ${p.provider ?? '-'}`);

describe("findPrompts: the provider of a file whose SDK import is optional or names a submodule (newuser36)", () => {
  it("graphiti gemini_client.py: 'from google import genai' inside if TYPE_CHECKING / else / try is Google's", () => {
    const source = readFileSync(join(FIXTURES, 'gemini_client.py.txt'), 'utf8');
    // Before: both '- ' (no provider: priced with OpenAI's gpt-5.4, the built-in default, in a file that imports only
    // Google's SDK and names only Gemini models).
    assert.deepEqual(providers(source, 'gemini_client.py'), ['269 system google', '451 user google']);
  });

  const file = (imports: string[]) =>
    [
      ...imports,
      '',
      'class Client:',
      '    async def generate(self, messages, model):',
      "        system_prompt = 'Output ONLY valid JSON matching the schema. Do not include any explanatory text before or after the JSON.'",
      '        config = types.GenerateContentConfig(system_instruction=system_prompt)',
      '        return await self.client.aio.models.generate_content(model=model, contents=messages, config=config)',
    ].join('\n');

  it("a top-level 'from google import genai' names Google's SDK (google.genai)", () => {
    // Before: '5 system -' (the module was recorded as 'google' alone).
    assert.deepEqual(providers(file(['from google import genai']), 'client.py'), ['5 system google']);
    assert.deepEqual(providers(file(['from google import (', '    genai,', ')']), 'client.py'), ['7 system google']);
  });

  it('near misses: a class imported from google, or an import inside a function, names no provider', () => {
    assert.deepEqual(providers(file(['from google import Genai']), 'client.py'), ['5 system -']);
    assert.deepEqual(providers(file(['from google.cloud import storage']), 'client.py'), ['5 system -']);
    assert.deepEqual(providers(file(['def load():', '    from google import genai', '    return genai']), 'client.py'), ['7 system -']);
  });
});
