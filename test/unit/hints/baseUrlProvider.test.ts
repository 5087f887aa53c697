// A prompt sent through the OpenAI SDK to another vendor's API (`OpenAI(base_url="https://api.deepseek.com")`, the way
// DeepSeek's own documentation calls it; Groq's and Together's OpenAI-compatible endpoints the same) is that vendor's:
// its provider, its default model and its price (newuser42 saw storm's Together client priced at the default model).
// Snippets written here in the shapes such files have (a unit test); the oracle is the provider the base URL names.
import * as assert from 'node:assert/strict';
import { PriceCatalog } from '../../../src/shared/cost/pricing';
import { PromptHintService } from '../../../src/shared/hints/hints';
import { providerOfBaseUrls } from '../../../src/shared/prompt/scanner/providers';

const service = new PromptHintService(() => PriceCatalog.bundled());
const first = async (text: string, fileName: string) =>
  (await service.compute({ text, languageId: fileName.endsWith('.py') ? 'python' : 'typescript', fileName, defaultModel: 'gpt-4o', compareModels: [], callsPerDay: 1000, withSuggestions: false })).prompts[0];

const PY = (client: string, model = 'model') => `import os
from openai import OpenAI

${client}

def ask(question, model):
    return client.chat.completions.create(
        model=${model},
        messages=[
            {"role": "system", "content": "You are a helpful assistant who answers questions about the company handbook."},
            {"role": "user", "content": question},
        ],
    )
`;

describe('the vendor a base URL names', function () {
  this.timeout(60_000);

  it('DeepSeek through the OpenAI SDK (a literal, or an environment default): DeepSeek and its default model', async () => {
    for (const client of ['client = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"], base_url="https://api.deepseek.com")', 'client = OpenAI(base_url=os.getenv("BASE_URL", "https://api.deepseek.com/v1"))']) {
      const p = await first(PY(client), 'ask.py');
      assert.equal(p.provider, 'deepseek', client);
      assert.equal(p.model, 'deepseek-chat', client);
      assert.equal(p.modelSource, 'provider', client);
    }
  });

  it("TypeScript: Groq's OpenAI-compatible endpoint in `new OpenAI({ baseURL })`", async () => {
    const ts = `import OpenAI from "openai";
const client = new OpenAI({ apiKey: process.env.GROQ_API_KEY, baseURL: "https://api.groq.com/openai/v1" });
export async function ask(question: string, model: string) {
  return client.chat.completions.create({ model, messages: [{ role: "system", content: "You are a helpful assistant who answers questions about the company handbook." }, { role: "user", content: question }] });
}
`;
    assert.equal((await first(ts, 'ask.ts')).provider, 'groq');
  });

  it('stays OpenAI: another OpenAI client without a base URL in the file, an OpenAI model named, or two vendors named', async () => {
    const two = PY('client = OpenAI(base_url="https://api.deepseek.com")\nother = OpenAI()');
    assert.equal((await first(two, 'ask.py')).provider, 'openai');
    const gpt = PY('client = OpenAI(base_url="https://api.deepseek.com")', '"gpt-4o"');
    assert.equal((await first(gpt, 'ask.py')).provider, 'openai');
    assert.equal(providerOfBaseUrls('a = OpenAI(base_url="https://api.deepseek.com")\nb = OpenAI(base_url="https://api.groq.com/openai/v1")'), undefined);
    assert.equal(providerOfBaseUrls('# see https://api.deepseek.com for details\nclient = OpenAI()'), undefined);
    assert.equal(providerOfBaseUrls('url = "https://api.together.xyz/v1/completions"'), 'together');
  });
  it('a base URL in a comment names nothing: a commented-out `base_url=` in `OpenAI(…)`, a `//` line, a trailing `# …`', async () => {
    // (breaker43: `# base_url="https://api.deepseek.com",` left in the call priced the OpenAI prompt as deepseek-chat.)
    const commented = PY('client = OpenAI(\n    # base_url="https://api.deepseek.com",\n    api_key=os.environ["OPENAI_API_KEY"],\n)');
    const p = await first(commented, 'ask.py');
    assert.equal(p.provider, 'openai');
    assert.equal(providerOfBaseUrls('const client = new OpenAI({\n  // baseURL: "https://api.groq.com/openai/v1",\n  apiKey,\n});'), undefined);
    assert.equal(providerOfBaseUrls('client = OpenAI()  # or base_url="https://api.deepseek.com" for DeepSeek'), undefined);
    assert.equal(providerOfBaseUrls('/*\n * baseURL: "https://api.groq.com/openai/v1"\n */\nconst client = new OpenAI();'), undefined);
    // Not a comment: a `#` inside a string before it, a JavaScript private field.
    assert.equal(providerOfBaseUrls('client = OpenAI(default_headers={"X-Tag": "# 1"}, base_url="https://api.deepseek.com")'), 'deepseek');
    assert.equal(providerOfBaseUrls('class A {\n  #client = new OpenAI({ baseURL: "https://api.groq.com/openai/v1" });\n}'), 'groq');
  });
  it("a base URL a prompt's text names is no client's: a system prompt showing a gateway config beside a plain OpenAI()", async () => {
    const text = `from openai import OpenAI

client = OpenAI()
SYSTEM = """You write configuration files for our gateway. Example:
providers:
  - name: groq
    base_url: "https://api.groq.com/openai/v1"
Answer with YAML only."""

def ask(q, model):
    return client.chat.completions.create(model=model, messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": q}])
`;
    assert.equal((await first(text, 'ask.py')).provider, 'openai');
    // The key written as a string stays read: `{"base_url": "https://api.deepseek.com"}` passed to OpenAI(**config).
    const config = PY('config = {"base_url": "https://api.deepseek.com", "api_key": os.environ["KEY"]}\nclient = OpenAI(**config)');
    assert.equal((await first(config, 'ask.py')).provider, 'deepseek');
  });
});
