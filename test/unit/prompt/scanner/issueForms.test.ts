/**
 * GitHub issue forms are not prompts (session 37): their labels, descriptions, placeholders and markdown are shown to the
 * people who file an issue. 15 of their texts in 54 forms of the mirrored LLM apps were found as prompts (langgraphjs's
 * bug report as user prompts, pipecat's form descriptions as tool prompts). Real forms: test/fixtures/issue-forms/SOURCES.md.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { findPrompts } from '../../../../src/shared/prompt/scanner';

const FIXTURES = resolve(__dirname, '../../../../../test/fixtures/issue-forms');

describe('scanner: GitHub issue forms', () => {
  it('finds nothing in real issue forms', () => {
    for (const [file, path] of [
      ['langgraphjs-bug-report.yml.txt', '.github/ISSUE_TEMPLATE/bug-report.yml'],
      ['pipecat-1-bug_report.yml.txt', '.github/ISSUE_TEMPLATE/1-bug_report.yml'],
    ]) {
      assert.deepEqual(findPrompts(readFileSync(resolve(FIXTURES, file), 'utf8'), undefined, { fileName: path }).map((p) => p.text.slice(0, 40)), [], file);
    }
  });

  it('still reads a YAML whose body list is of messages, not form elements', () => {
    const yaml = [
      'name: contract-helper',
      'body:',
      '  - role: system',
      '    content: You are a careful assistant that answers questions about the user\'s rental contracts in plain words.',
      '  - type: markdown',
      '    attributes:',
      '      value: Ask about a clause.',
      '',
    ].join('\n');
    const found = findPrompts(yaml, undefined, { fileName: 'prompts/contract.yml' });
    assert.deepEqual(found.map((p) => [p.kind, p.text.slice(0, 31)]), [['system', 'You are a careful assistant tha']]);
  });
});
