/**
 * newuser34 on bytedance/deer-flow (MIT, commit f1f4af99bbf1cffb83a80744bf6e4a44ee8f24be): Compress (medium) on the bash
 * subagent's description dropped the article of a list item that is a full sentence with a gerund subject
 * ("- Keeping a justified sequential command chain in one isolated context reduces coordination cost" →
 * "- Keeping justified sequential command chain …"). The items below are written for this test in that shape.
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';

const compressor = new PromptCompressor();
const medium = (text: string) => compressor.compress(text, { level: 'medium', language: 'en' }).text;

describe('Compress (medium): a list item with a gerund subject and a verb is a sentence (newuser34)', () => {
  it('keeps the articles of "- Keeping a … chain … reduces …" and "- Writing the tests first saves …"', () => {
    const text = [
      'Use this agent when:',
      '- Keeping a long chain of shell commands in one isolated context reduces the work of the lead agent',
      '- Writing the tests first saves the reviewer a second pass',
    ].join('\n');
    // Before: "- Keeping long chain of shell commands in one isolated context reduces work of lead agent" and
    // "- Writing tests first saves reviewer second pass".
    assert.equal(medium(text), text);
  });

  it('still drops them in a fragment: a gerund with no verb after it, or a plural noun after a determiner', () => {
    assert.equal(medium('Steps:\n- Using a cache for the results of the search\n- Reading the files of the project'), 'Steps:\n- Using cache for results of search\n- Reading files of project');
  });

  it('keeps the articles of a list item with a pronoun subject and its verb: "- It owns a workload"', () => {
    // deer-flow's case (newuser34 findings item 4) and its kin; before: "- It owns workload", "- She writes report for
    // team", "- They run nightly job".
    const text = 'Roles:\n- It owns a workload\n- She writes the report for the team\n- They run a nightly job';
    assert.equal(medium(text), text);
  });

  it('still drops them when the pronoun is no subject with a verb: "its", a determiner after it, a noun first', () => {
    assert.equal(medium('Roles:\n- Its owner and the workload\n- They the owners of the workload\n- Item owns a workload'), 'Roles:\n- Its owner and workload\n- They owners of workload\n- Item owns workload');
  });
});
