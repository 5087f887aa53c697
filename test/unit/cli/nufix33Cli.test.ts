// newuser33: in the editor, khoj's `model="claude-3-7-sonnet-latest"` is underlined and its hover says the model was shut
// down; `pepperpy-opt prompt count --model claude-3-7-sonnet-latest` printed the count and nothing about it. The oracle:
// the sentence the editor's diagnostic writes (src/extension/prompt/hover.ts lifecycleMessage), with the dates and
// replacement of Anthropic's and OpenAI's deprecation pages (src/shared/cost/data/retired-models.json cites them).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { distDir } from '../../helpers/paths';
import { count } from '../../helpers/tiktokenOracle';

const cli = path.join(distDir, 'cli.js');
const run = (args: string[], input: string) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000, input });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('pepperpy-opt prompt count/analyze with a retired model (nufix33)', () => {
  const text = 'Summarize this text in one line.';
  const shutDown = '  note: claude-3-7-sonnet-latest was shut down on 2026-02-19: calls to it fail. The provider names claude-sonnet-4-6 as its replacement.';

  it('count says the model was shut down, as the editor does, after the count and its tokenizer note', () => {
    const r = run(['prompt', 'count', '-', '--model', 'claude-3-7-sonnet-latest'], text);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `stdin: ${count(text)} tokens (estimate, o200k_base) for claude-3-7-sonnet-latest`,
      "  note: Anthropic Claude does not publish its tokenizer for local use; estimated with OpenAI's o200k_base.",
      shutDown,
    ]);
  });

  it('analyze too; --json carries it under lifecycle', () => {
    assert.equal(run(['prompt', 'analyze', '-', '--model', 'claude-3-7-sonnet-latest'], text).stdout.split('\n')[2], shutDown);
    const json = JSON.parse(run(['prompt', 'count', '-', '--model', 'claude-3-7-sonnet-latest', '--json'], text).stdout) as { lifecycle?: unknown };
    assert.deepEqual(json.lifecycle, {
      status: 'retired',
      shutdownDate: '2026-02-19',
      replacement: 'claude-sonnet-4-6',
      source: 'https://platform.claude.com/docs/en/about-claude/model-deprecations',
      message: shutDown.slice('  note: '.length),
    });
  });

  it('a replacement that is itself retired is not offered (o1-mini → o4-mini), as in the editor', () => {
    assert.deepEqual(run(['prompt', 'count', '-', '--model', 'o1-mini'], text).stdout.trimEnd().split('\n'), [`stdin: ${count(text)} tokens (exact, o200k_base) for o1-mini`, '  note: o1-mini was shut down on 2025-10-27: calls to it fail.']);
  });

  it('near miss: a current model (the default, gpt-5.4, and claude-sonnet-4-6) gets no note', () => {
    assert.equal(run(['prompt', 'count', '-'], text).stdout.trimEnd(), `stdin: ${count(text)} tokens (exact, o200k_base) for gpt-5.4`);
    assert.deepEqual(run(['prompt', 'count', '-', '--model', 'claude-sonnet-4-6'], text).stdout.trimEnd().split('\n').length, 2);
  });
});
