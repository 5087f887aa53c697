import * as assert from 'node:assert/strict';
import { encodingForModel, TokenizerService } from '../../../src/shared/prompt/tokenizer';

const SAMPLES = [
  '',
  'Hello, world!',
  'Você é um assistente útil e informativo. Por favor, responda à seguinte pergunta com detalhes.',
  'Eres un asistente útil. Responde solo en español, sin explicaciones adicionales.',
  'def f(x):\n    return {"a": [1, 2, 3]}  # comment\n\n\n',
  '日本語のテキストと emoji 🎉🚀 mixed with العربية and русский текст.',
  'Special tokens as text: <|endoftext|> <|im_start|>system<|im_end|>',
  '   leading and trailing whitespace\t\t\n\n  ',
  '{{placeholder}} ${template} %(name)s {% if x %}jinja{% endif %}',
  'a'.repeat(5000),
  '1234567890 3.14159 1e-9 0xFF',
];

describe('TokenizerService', () => {
  const fast = new TokenizerService('gpt-tokenizer');
  const reference = new TokenizerService('js-tiktoken');

  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    it(`gives the same counts as js-tiktoken for ${encoding}`, () => {
      for (const text of SAMPLES) {
        assert.equal(fast.countWithEncoding(text, encoding), reference.countWithEncoding(text, encoding), `count differs for ${JSON.stringify(text.slice(0, 40))}`);
      }
    });
  }

  it('knows fixed counts (guards against both backends drifting together)', () => {
    assert.equal(fast.countWithEncoding('Hello, world!', 'o200k_base'), 4);
    assert.equal(fast.countWithEncoding('Hello, world!', 'cl100k_base'), 4);
    assert.equal(fast.countWithEncoding('<|endoftext|>', 'cl100k_base'), reference.countWithEncoding('<|endoftext|>', 'cl100k_base'));
    assert.ok(fast.countWithEncoding('<|endoftext|>', 'cl100k_base') > 1, 'special tokens in user text count as text');
  });

  it('loads only the encodings it uses', () => {
    const service = new TokenizerService();
    assert.deepEqual(service.loadedEncodings, []);
    service.count('hi', 'gpt-4o');
    assert.deepEqual(service.loadedEncodings, ['o200k_base']);
    service.count('hi', 'gpt-4o-mini');
    assert.deepEqual(service.loadedEncodings, ['o200k_base']);
    service.count('hi', 'gpt-3.5-turbo');
    assert.deepEqual(service.loadedEncodings, ['o200k_base', 'cl100k_base']);
  });

  it('labels counts for models without a local tokenizer as estimates', () => {
    const claude = fast.count('Hello there', 'claude-3-opus-20240229');
    assert.equal(claude.method, 'estimate');
    assert.match(claude.note ?? '', /Anthropic Claude/);
    const unknown = fast.count('Hello there', 'my-private-model');
    assert.equal(unknown.method, 'estimate');
    assert.match(unknown.note ?? '', /my-private-model/);
    assert.equal(fast.count('Hello there', 'gpt-4o').method, 'exact');
    assert.equal(fast.count('Hello there', 'gpt-4o').note, undefined);
  });
});

describe('encodingForModel', () => {
  const cases: Array<[string, string, boolean]> = [
    ['gpt-4o', 'o200k_base', true],
    ['gpt-4o-mini-2024-07-18', 'o200k_base', true],
    ['gpt-4.1-nano', 'o200k_base', true],
    ['gpt-5', 'o200k_base', true],
    ['o1', 'o200k_base', true],
    ['o3-mini', 'o200k_base', true],
    ['o4-mini', 'o200k_base', true],
    ['openai/gpt-4o', 'o200k_base', true],
    ['gpt-4', 'cl100k_base', true],
    ['gpt-4-turbo', 'cl100k_base', true],
    ['gpt-3.5-turbo', 'cl100k_base', true],
    ['text-embedding-3-small', 'cl100k_base', true],
    ['claude-sonnet-4-5', 'o200k_base', false],
    ['gemini-2.5-pro', 'o200k_base', false],
    ['llama-3.1-70b', 'o200k_base', false],
    ['omni', 'o200k_base', false],
  ];
  for (const [model, encoding, exact] of cases) {
    it(`${model} → ${encoding}${exact ? '' : ' (estimate)'}`, () => {
      const choice = encodingForModel(model);
      assert.equal(choice.encoding, encoding);
      assert.equal(choice.exact, exact);
    });
  }
});
