// newuser30 on NextChat's MCP_SYSTEM_TEMPLATE (test/fixtures/nextchat/mcp-wrong-examples.txt, MIT): two wrong examples,
// each followed by "This is wrong because the method is not tools/call."; compress at aggressive and the repetition
// quick fix dropped the second note, leaving the second wrong example unlabelled right before "the right format is:".
// Oracle: the fixture read by hand (each note labels the block just above it). A sentence repeated in prose, with no
// block beside both copies, is still a repeat (the near miss).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { PromptAnalyzer } from '../../../src/shared/prompt/analyzer';
import { TokenizerService } from '../../../src/shared/prompt/tokenizer';

const text = readFileSync(path.resolve(__dirname, '../../../../test/fixtures/nextchat/mcp-wrong-examples.txt'), 'utf8');
const NOTE = 'This is wrong because the method is not tools/call.';

describe('prompt: the same note under two different blocks is no repeat (NextChat MCP template)', () => {
  const compressor = new PromptCompressor(new TokenizerService());

  it('compress keeps both notes at every level', () => {
    for (const level of ['light', 'medium', 'aggressive'] as const) {
      const out = (compressor.compress(text, { level, model: 'gpt-4o' })).text;
      // (aggressive drops the article: "wrong because method is not tools/call")
      assert.equal(out.match(/wrong because (?:the )?method is not tools\/call\./g)?.length, 2, `${level}:\n${out}`);
    }
  });

  it('no repetition finding (and so no quick fix) on the second note', () => {
    const found = new PromptAnalyzer().analyze(text, { model: 'gpt-4o' }).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.deepEqual(found, []);
  });

  it('near miss: the same sentence before and after one block is still a repeat (graphiti extract_nodes.py shape)', () => {
    const around = `${NOTE}\n\n\`\`\`json\n{"method": "write_file"}\n\`\`\`\n\n${NOTE}\n`;
    assert.equal(new PromptAnalyzer().analyze(around, { model: 'gpt-4o' }).optimizationSuggestions.filter((s) => s.kind === 'repetition').length, 1);
    assert.equal(compressor.compress(around, { level: 'medium', model: 'gpt-4o' }).text.split(NOTE).length - 1, 1);
  });

  it('near miss: a sentence repeated in prose is still a repeat', () => {
    const prose = `Answer in JSON.\n\n\`\`\`json\n{"a": 1}\n\`\`\`\n\n${NOTE}\n\nKeep the keys short. ${NOTE}\n`;
    const findings = new PromptAnalyzer().analyze(prose, { model: 'gpt-4o' }).optimizationSuggestions.filter((s) => s.kind === 'repetition');
    assert.equal(findings.length, 1);
    const out = (compressor.compress(prose, { level: 'medium', model: 'gpt-4o' })).text;
    assert.equal(out.split(NOTE).length - 1, 1, out);
  });
});
