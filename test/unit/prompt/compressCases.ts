/** Table-driven compressor cases shared by the language test files: input, level, language, the expected text written by hand. */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();

export type CompressCase = [input: string, level: 'medium' | 'aggressive', language: string, expected: string];

/** One `it` per case: the compressed text must equal the expected one exactly. */
export function runCompressCases(cases: readonly CompressCase[]): void {
  for (const [input, level, language, expected] of cases) {
    it(`${language} ${level}: ${JSON.stringify(input)}`, () => {
      assert.equal(compressor.compress(input, { level, language }).text, expected);
    });
  }
}
