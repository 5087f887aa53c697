import * as assert from 'node:assert/strict';
import { findPrompts } from '../../../../src/shared/prompt/scanner';
import { generatePython, generateTypeScript } from '../../../../bench/prompt-scan';

describe('findPrompts: bad input', () => {
  it('scans files with syntax errors from the error-tolerant tree', () => {
    const py = 'SYSTEM_PROMPT = "You are a helpful assistant for the docs."\ndef broken(:\n    return (((\n';
    assert.equal(findPrompts(py, 'python').length, 1);
    const ts = "const SYSTEM_PROMPT = 'You are a helpful assistant for the docs.';\nfunction (( {\n";
    assert.equal(findPrompts(ts, 'typescript').length, 1);
    assert.doesNotThrow(() => findPrompts('PROMPT = "You are an unterminated string', 'python'));
    assert.doesNotThrow(() => findPrompts('key: [unclosed\n  - : :\n"', 'yaml'));
    assert.doesNotThrow(() => findPrompts('{"system_prompt": "You are a helpful assistant", ', 'json'));
    assert.doesNotThrow(() => findPrompts('```\nunclosed fence', 'markdown'));
  });

  it('returns nothing for binary text, empty text and unknown languages', () => {
    assert.deepEqual(findPrompts('\0\x01\x02PNG\0\0 SYSTEM_PROMPT = "You are"', 'python'), []);
    assert.deepEqual(findPrompts('', 'python'), []);
    assert.deepEqual(findPrompts('SYSTEM_PROMPT = "You are a helpful assistant for the docs."', 'cobol'), []);
  });

  it('handles a huge file quickly and refuses one over the limit', function () {
    this.timeout(20000);
    const big = generatePython(1000);
    const started = performance.now();
    assert.equal(findPrompts(big, 'python').length, 1000);
    assert.ok(performance.now() - started < 10000);
    assert.deepEqual(findPrompts('x'.repeat(5_000_001), 'python'), []);
  });

  it('does not hang on pathological text', function () {
    this.timeout(20000);
    const braces = `PROMPT = "You are ${'{'.repeat(50_000)}${'%('.repeat(20_000)} done"\n`;
    const started = performance.now();
    findPrompts(braces, 'python');
    findPrompts(`x = [${'['.repeat(20_000)}\n`, 'python');
    findPrompts(`const a = ${'('.repeat(20_000)};\n`, 'typescript');
    findPrompts(`${'- '.repeat(5000)}a\n`, 'yaml');
    assert.ok(performance.now() - started < 15000);
  });

  it('finds the 100 planted prompts of the 3,000-line benchmark files', () => {
    assert.equal(findPrompts(generatePython(), 'python').length, 100);
    assert.equal(findPrompts(generateTypeScript(), 'typescript').length, 100);
  });
});
