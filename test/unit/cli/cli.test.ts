import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distDir, repoRoot } from '../../helpers/paths';
import { joinNegativeValues, type OptionSpec } from '../../../src/engine/cli/framework';
import { DEFAULT_MODEL } from '../../../src/shared/prompt/defaults';

const cli = path.join(distDir, 'cli.js');
const seed = path.join(repoRoot, 'samples', 'prompts', 'seed-example-pt.txt');

function run(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('pepperpy-opt CLI', () => {
  it('prompt analyze --json prints exactly one JSON object with an exact count', () => {
    const r = run(['prompt', 'analyze', seed, '--model', 'gpt-4o', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const json = JSON.parse(lines[0]) as { tokenCount: number; tokens: { method: string; encoding: string }; model: string };
    assert.equal(json.model, 'gpt-4o');
    assert.equal(json.tokens.method, 'exact');
    assert.equal(json.tokens.encoding, 'o200k_base');
    assert.equal(json.tokenCount, 54);
  });

  it('reads standard input with -', () => {
    const r = run(['prompt', 'count', '-', '--json', '--model', 'gpt-3.5-turbo'], 'Hello, world!');
    assert.equal(r.code, 0, r.stderr);
    // (gpt-3.5-turbo was shut down on 2026-10-23, OpenAI's deprecations page: the count says so, as the editor does; nufix33.)
    const lifecycle = { status: 'retired', shutdownDate: '2026-10-23', source: 'https://developers.openai.com/api/docs/deprecations', message: 'gpt-3.5-turbo was shut down on 2026-10-23: calls to it fail.' };
    assert.deepEqual(JSON.parse(r.stdout), { source: 'stdin', count: 4, model: 'gpt-3.5-turbo', encoding: 'cl100k_base', method: 'exact', lifecycle });
  });

  it('without --model counts for DEFAULT_MODEL (gpt-5.4: current, o200k_base), and says so in --help', () => {
    const r = run(['prompt', 'count', '-', '--json'], 'Hello, world!');
    assert.equal(r.code, 0, r.stderr);
    // gpt-5.4 uses o200k_base, as gpt-4o did: 4 tokens (js-tiktoken's o200k_base gives the same count for this text).
    assert.deepEqual(JSON.parse(r.stdout), { source: 'stdin', count: 4, model: DEFAULT_MODEL, encoding: 'o200k_base', method: 'exact' });
    assert.equal(DEFAULT_MODEL, 'gpt-5.4');
    assert.match(run(['prompt', 'analyze', '--help']).stdout, /\(default gpt-5\.4\)/);
  });

  it('prompt analyze lists the whole-prompt heuristics apart, after the findings in the text', () => {
    const r = run(['prompt', 'analyze', '-', '--model', 'gpt-4o'], 'Please kindly summarize the following article in order to help a busy executive.');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('  worth checking (heuristics'));
    const format = lines.findIndex((l) => l.startsWith('  - [missingOutputFormat]'));
    const kindly = lines.findIndex((l) => l.includes('remove "kindly"'));
    assert.ok(heading > kindly && kindly > 0, r.stdout);
    assert.ok(format > heading, r.stdout);
  });

  it('says "token" for one token saved (newuser30: "(saves ~1 tokens)")', () => {
    // " kindly" is one o200k_base token; "in order to" → "to" saves two.
    const r = run(['prompt', 'analyze', '-', '--model', 'gpt-4o'], 'Please kindly summarize the following article in order to help a busy executive.');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /remove "kindly"\. \(saves ~1 token\)\n/);
    assert.match(r.stdout, /with "to"\. \(saves ~2 tokens\)\n/);
  });

  it('labels estimates in human output', () => {
    const r = run(['prompt', 'analyze', seed, '--model', 'claude-3-opus-20240229']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /estimate/);
    assert.match(r.stdout, /Anthropic Claude does not publish its tokenizer/);
  });

  it('has help on every level, exit 0', () => {
    for (const args of [['--help'], ['prompt', '--help'], ['prompt', 'analyze', '--help']]) {
      const r = run(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stdout, /Usage: pepperpy-opt/);
    }
    assert.match(run(['prompt', 'analyze', '--help']).stdout, /--model M/);
  });

  it('exits 2 on bad usage with a message on stderr', () => {
    for (const args of [[], ['nope'], ['prompt', 'nope'], ['prompt', 'analyze', '--frobnicate'], ['prompt', 'analyze']]) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}`);
      assert.notEqual(r.stderr.trim(), '');
    }
  });

  it('exits 1 on a missing file and prints the error as JSON with --json', () => {
    const r = run(['prompt', 'analyze', '/no/such/file.txt', '--json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /No such file: \/no\/such\/file.txt/);
    const json = JSON.parse(r.stdout) as { error: { code: string } };
    assert.equal(json.error.code, 'notFound');
  });

  it('refuses binary input with a clear error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pp-cli-')), 'blob.bin');
    fs.writeFileSync(file, Buffer.from([0x89, 0x50, 0x00, 0x01, 0xff]));
    const r = run(['prompt', 'analyze', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /binary/);
  });

  it("a negative number after an option reaches the command's own check, not parseArgs' \"argument is ambiguous\"", () => {
    // Node's parseArgs refused `--target-ratio -0.2` as ambiguous; now every numeric option says what it takes.
    const ratio = '--target-ratio needs a reduction between 0 and 1 (e.g. 0.2) or a percentage (e.g. 20%), got "-0.2".';
    for (const args of [['--target-ratio', '-0.2'], ['--target-ratio=-0.2']]) {
      const r = run(['prompt', 'compress', seed, ...args]);
      assert.equal(r.code, 2, r.stdout);
      assert.equal(r.stderr.split('\n')[0], `pepperpy-opt: ${ratio}`);
    }
    const checks: Array<[string[], string]> = [
      [['prompt', 'compress', seed, '--target-ratio', '-20%'], '--target-ratio needs a reduction between 0 and 1 (e.g. 0.2) or a percentage (e.g. 20%), got "-20%".'],
      [['prompt', 'distill', seed, '--max-tokens', '-5'], '--max-tokens needs a whole number from 1 to 1000000, got "-5".'],
      // Ignored before without --llm: now refused whatever else is given.
      [['prompt', 'optimize', seed, '--approve-usd', '-1'], '--approve-usd needs a non-negative number, got "-1".'],
      [['cost', 'estimate', '--model', 'gpt-4o', '--input', '-100', '--output', '10', '--queries-per-day', '10'], 'Invalid parameters for CostEstimator.estimate: avgInputTokens: avgInputTokens cannot be negative.'],
      [['cost', 'history', '--days', '-3'], '--days takes a whole number from 1 to 366, got "-3".'],
      [['cost', 'monitor', '--port', '-1'], '--port must be an integer from 0 to 65535.'],
      // The monitor started with it and failed only at the first alert.
      [['cost', 'monitor', '--smtp-port', '-25', '--alert-email', 'ops@example.com', '--smtp-host', 'smtp.example.com', '--smtp-from', 'pepperpy@example.com'], '--smtp-port must be an integer from 1 to 65535, got "-25".'],
      [['engine', 'models', '--timeout', '-5'], '--timeout needs whole milliseconds from 1 to 60000, got "-5".'],
      [['benchmark', 'latency', '--batch-sizes', '-1,2'], '--batch-sizes takes whole numbers from 1 to 256, got -1.'],
    ];
    for (const [args, message] of checks) {
      const r = run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stderr.split('\n')[0], `pepperpy-opt: ${message}`, args.join(' '));
    }
  });

  it('joinNegativeValues joins only a negative number after an option that takes a value', () => {
    const options: Record<string, OptionSpec> = { 'target-ratio': { type: 'string', description: '' }, sparsity: { type: 'string', short: 's', description: '' }, json: { type: 'boolean', description: '' } };
    assert.deepEqual(joinNegativeValues(['f.txt', '--target-ratio', '-0.2', '-s', '-.5', '--json', '-1'], options), ['f.txt', '--target-ratio=-0.2', '--sparsity=-.5', '--json', '-1']);
    // Not numbers (a flag after it, a dash word) and anything after -- stay as they are.
    assert.deepEqual(joinNegativeValues(['--target-ratio', '--json', '--target-ratio', '-x', '--', '--target-ratio', '-1'], options), ['--target-ratio', '--json', '--target-ratio', '-x', '--', '--target-ratio', '-1']);
    assert.deepEqual(joinNegativeValues(['--__proto__', '-1', '--unknown', '-2'], options), ['--__proto__', '-1', '--unknown', '-2']);
  });
});
