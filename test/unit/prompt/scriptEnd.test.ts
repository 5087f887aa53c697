/**
 * A script pasted without a fence, opened by its shebang (break28): it is code up to where prose resumes, not up to the
 * next `##` heading only, which left all the prose after a script without such a heading uncompressed. Real script:
 * danielmiessler/fabric (MIT) analyze_email_headers/system.md (test/fixtures/prompts/fabric-patterns.json), whose
 * `# these should open in the default browser` comment follows a blank line. The prose put after it is written for the
 * test. Oracle: the texts read by hand (the politeness and filler rules of the compressor remove "Please" and "very").
 */
import * as assert from 'node:assert/strict';
import { PromptCompressor } from '../../../src/engine/prompt/compressor';
import { analyzeProtected } from '../../../src/shared/prompt/protected';
import { scriptEnd } from '../../../src/shared/prompt/scriptEnd';
import { loadCollections } from '../../fixtures/prompts/corpus';

const compressor = new PromptCompressor();
const fabric = loadCollections().find((p) => p.id === 'fabric:analyze_email_headers');
const script = (() => {
  const text = fabric?.text ?? '';
  return text.slice(text.indexOf('#!/bin/bash')).replace(/\s+$/, '');
})();

describe('a shebang script ends where prose resumes (break28)', () => {
  it('the oracle reads the fabric script: a comment after a blank line, no heading after it', () => {
    assert.ok(script.startsWith('#!/bin/bash\n# checks mx, spf, dkim'), script.slice(0, 40));
    assert.ok(script.includes('\n\n# these should open in the default browser\nopen "https://dmarcian.com/'));
    assert.ok(script.endsWith('open "https://domain-checker.valimail.com/dmarc/$DOMAIN"'));
  });

  it('the whole fabric script is one code block, its comments and spacing untouched', () => {
    assert.equal(scriptEnd(script, 0), script.length);
    assert.equal(compressor.compress(script, { level: 'aggressive' }).text, script);
    assert.deepEqual(analyzeProtected(script).spans.filter((s) => s.kind === 'codeBlock').map((s) => [s.start, s.end]), [[0, script.length]]);
  });

  it('prose after a blank line ends the script and is compressed; the script is not', () => {
    const text = `${script}\n\nPlease run the script above and then explain the very important results to the user.`;
    assert.equal(scriptEnd(text, 0), script.length + 1);
    assert.equal(compressor.compress(text, { level: 'medium' }).text, `${script}\n\nRun the script above and then explain the important results to the user.`);
    // A `# Heading` over prose ends it too; the heading stays.
    const headed = `${script}\n\n# Notes\n\nPlease explain the very important results to the user.`;
    assert.equal(scriptEnd(headed, 0), script.length + 1);
    assert.equal(compressor.compress(headed, { level: 'medium' }).text, `${script}\n\n# Notes\n\nExplain the important results to the user.`);
  });

  it('shell lines, comments over commands and here-documents stay in the script', () => {
    const lines = [
      '#!/bin/sh',
      'set -e',
      '',
      '# Install the very first dependency here.',
      'npm install',
      '',
      'cat <<EOF',
      'Please read the very long notes below.',
      '',
      'Thank you for reading the notes above.',
      'EOF',
      '',
      'echo Done with the first step.',
    ];
    const sh = lines.join('\n');
    assert.equal(scriptEnd(sh, 0), sh.length);
    assert.equal(compressor.compress(sh, { level: 'aggressive' }).text, sh);
  });
});
