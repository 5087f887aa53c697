// Session 36, from scan36's judgement of round 11's diagnostics: letta-ai/letta's summarizer prompt (Apache-2.0,
// test/fixtures/scan/python/letta_summarizer_prompt.py) says "Do not start on tangential requests or really old
// requests": "really old" is the criterion (a very old request), and the filler diagnostic and Compress took "really"
// out, widening the rule to every old request. A degree word before an age or count adjective (old, new, recent,
// early, late, few) stays; before others it still goes ("keep it really short" → "keep it short").
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';

const root = path.resolve(__dirname, '../../../..');

describe('a degree word that sets a criterion stays (really old, very recent)', () => {
  const compressor = new PromptCompressor();
  const analyzer = new PromptAnalyzer();
  const fillers = (text: string) => analyzer.analyze(text).optimizationSuggestions.filter((s) => s.kind === 'filler').map((s) => text.slice(s.range?.start ?? 0, s.range?.end ?? 0));

  it('letta: "really old requests" keeps "really" in the diagnostic and at every level of Compress', () => {
    const source = readFileSync(path.join(root, 'test/fixtures/scan/python/letta_summarizer_prompt.py'), 'utf8');
    const sentence = /Do not start on tangential requests or really old requests[^.]*\./.exec(source)?.[0];
    assert.ok(sentence);
    assert.deepEqual(fillers(sentence), []);
    for (const level of ['medium', 'aggressive'] as const) assert.ok(compressor.compress(sentence, { level }).text.includes('really old requests'), level);
  });

  it('very recent, very few, really new stay; "very clear", "really resonated" still go', () => {
    assert.equal(compressor.compress('Only list the very recent commits, and keep the answer very clear.', { level: 'medium' }).text, 'Only list the very recent commits, and keep the answer clear.');
    assert.equal(compressor.compress('Use very few words. This has really resonated with readers.', { level: 'medium' }).text, 'Use very few words. This has resonated with readers.');
    assert.deepEqual(fillers('Ignore really new files, but read the really important ones.'), ['really']);
  });
});
