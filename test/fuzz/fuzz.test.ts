/**
 * The fuzz stage of `npm test`: seeded, time-bounded generated input against every entry
 * point, with the properties a user is owed whatever they type:
 *
 * - CLI: argument vectors for every verb (flags from its own option table with hostile
 *   values, hostile positionals: missing files, folders, binary files, random JSON configs
 *   and JSONL datasets, huge numbers) → exit 0/1/2, exactly one JSON object with --json, no
 *   "internal" (bug) error, no stack trace, no hang; the input files are unchanged.
 * - ONNX files: byte mutations of a real model (flips, truncations, insertions, zeroed runs)
 *   through `model inspect` → a clear error or a result, never an internal error.
 * - JSON-RPC: random params for every engine method (and unknown methods) against the real
 *   engine process → an error with a non-internal code or a result; the engine still answers.
 *
 * PEPPERPY_FUZZ_SEED and PEPPERPY_FUZZ_SECONDS change the seed and the budget per part.
 * Each part prints how many cases it ran.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { benchmarkCommands } from '../../src/engine/cli/benchmarkCommands';
import { costCommands } from '../../src/engine/cli/costCommands';
import { engineCommands } from '../../src/engine/cli/engineCommands';
import { runCli, type CliCommand } from '../../src/engine/cli/framework';
import { modelCommands } from '../../src/engine/cli/modelCommands';
import { pipelineCommands } from '../../src/engine/cli/pipelineCommands';
import { promptCommands } from '../../src/engine/cli/promptCommands';
import { scanCommand } from '../../src/engine/cli/scanCommand';
import { createDispatcher } from '../../src/engine/handlers';
import { seededRandom } from '../../src/shared/random';
import { distDir, repoRoot } from '../helpers/paths';

const SEED = Number(process.env.PEPPERPY_FUZZ_SEED ?? 20261202);
const SECONDS = Number(process.env.PEPPERPY_FUZZ_SECONDS ?? 40);
/** Verbs that serve until a signal (monitor), reach the network (update-prices) or install software (cuda-setup): not fuzzed. */
const SKIP = new Set(['cost monitor', 'cost update-prices', 'model cuda-setup']);
const STACK = /\n\s+at .+:\d+:\d+\)?/;

const commands: CliCommand[] = [...promptCommands, scanCommand, ...costCommands, ...modelCommands, ...pipelineCommands, ...benchmarkCommands, ...engineCommands].filter((c) => !SKIP.has(`${c.area} ${c.verb}`));

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** A random JSON value, up to `depth` levels, with keys a config might use. */
function json(random: () => number, depth = 3): unknown {
  const r = random();
  if (depth <= 0 || r < 0.35) return pick(random, [null, true, false, 0, -1, 1e308, -0.5, 2 ** 53, '', 'x', '../../etc/passwd', 'gpt-4o', 'local', 'é\u0000\u202e', 'a'.repeat(300)]);
  if (r < 0.55) return Array.from({ length: Math.floor(random() * 4) }, () => json(random, depth - 1));
  const keys = ['name', 'components', 'corpus', 'retriever', 'generator', 'reranker', 'cache', 'type', 'model', 'top_k', 'query', 'answer', 'input', 'reference', 'relevantIds', 'id', 'text', 'modelPath', 'bits', 'outPath', 'prompt', 'day', 'ledgerFile', '__proto__', 'constructor'];
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(random() * 5); i > 0; i--) out[pick(random, keys)] = json(random, depth - 1);
  return out;
}

describe('fuzz', function () {
  this.timeout(SECONDS * 1000 * 3 + 60_000);
  let dir: string;
  let pool: string[];
  let inputs: Map<string, string>;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-fuzz-'));
    const random = seededRandom(SEED);
    mkdirSync(join(dir, 'folder'));
    const files: Record<string, string | Buffer> = {
      'binary.onnx': Buffer.from(Array.from({ length: 4096 }, () => Math.floor(random() * 256))),
      'empty.txt': '',
      'prompt.txt': 'You are a helpful assistant. Please, if possible, answer in JSON. {question}',
      'binary.jsonl': Buffer.from(Array.from({ length: 2048 }, () => Math.floor(random() * 256))),
      'lines.jsonl': Array.from({ length: 5 }, () => JSON.stringify(json(random))).join('\n'),
      'config.json': JSON.stringify(json(random)),
      'pipeline.json': JSON.stringify({ name: 'fuzz', components: { retriever: { type: pick(random, ['bm25', 'vector_db', 'x']), top_k: pick(random, [0, -1, 3, 1e9]) }, generator: json(random, 1) }, corpus: pick(random, ['lines.jsonl', 'missing.jsonl', 'binary.jsonl', '/etc/passwd']) }),
      'ledger.jsonl': `${JSON.stringify({ ts: 'x', api: 'openai.chat', status: 'nope' })}\n{`,
      'inputs.json': JSON.stringify(json(random)),
      'model.onnx': readFileSync(join(repoRoot, 'test', 'fixtures', 'models', 'tiny_mlp.onnx')).subarray(0, 500),
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    pool = [...Object.keys(files).map((f) => join(dir, f)), join(dir, 'folder'), join(dir, 'missing.onnx'), join(dir, 'folder', 'out.onnx'), join(dir, 'binary.onnx', 'under-a-file.json'), '-'];
    inputs = new Map(Object.keys(files).map((f) => [join(dir, f), sha(join(dir, f))]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function value(random: () => number): string {
    return pick(random, [...pool, '', '0', '-1', '1e8', 'NaN', 'Infinity', '3', '0.5', 'abc', '99999999999999999999', 'a,b,,c', '--json', 'x'.repeat(5000), 'gpt-4o', 'local', 'foo:bar', 'openai:', 'auto', 'webgpu', 'cuda', '2026-02-31', '\u0000', 'redis://127.0.0.1:1/0', 'http://127.0.0.1:1']);
  }

  it('CLI: every verb, generated arguments → exit 0/1/2, one JSON object, no internal error, no stack trace, inputs unchanged', async () => {
    const random = seededRandom(SEED + 1);
    const deadline = Date.now() + SECONDS * 1000;
    let cases = 0;
    const failures: string[] = [];
    const outcomes = new Map<string, number>();
    // Relative paths in generated arguments (e.g. --results-dir 0.5) land in the scratch folder, not the repository.
    const cwd = process.cwd();
    const scratch = join(dir, 'cwd');
    mkdirSync(scratch);
    process.chdir(scratch);
    try {
    while (Date.now() < deadline && failures.length < 5) {
      for (const command of commands) {
        if (Date.now() >= deadline) break;
        const argv = [command.area, command.verb];
        for (let i = Math.floor(random() * 3); i > 0; i--) argv.push(value(random));
        for (const [name, spec] of Object.entries(command.options)) {
          if (random() < 0.5) continue;
          if (spec.type === 'boolean') argv.push(`--${name}`);
          else argv.push(random() < 0.2 ? `--${name}=${value(random)}` : `--${name}`, value(random));
        }
        if (random() < 0.1) argv.push(`--${pick(random, ['nope', 'out', 'help'])}`);
        argv.push('--json');
        let stdout = '';
        let stderr = '';
        const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), readStdin: async () => pick(random, ['', 'hello', '\u0000\u0001', '{"a":1}']) };
        const started = Date.now();
        let code: number | string;
        try {
          code = await Promise.race([runCli(argv, commands, io), new Promise<string>((r) => setTimeout(() => r('hang'), 60_000).unref())]);
        } catch (error) {
          code = `threw ${String(error)}`;
        }
        cases++;
        const label = `${JSON.stringify(argv.map((a) => (a.length > 60 ? `${a.slice(0, 60)}…` : a)))} (${Date.now() - started} ms)`;
        // Model verbs also exit 3: a model written whose task fidelity is out of tolerance (UNFAITHFUL_EXIT_CODE).
        if (typeof code !== 'number' || ![0, 1, 2, ...(command.area === 'model' ? [3] : [])].includes(code)) {
          failures.push(`${label}: exit ${String(code)}`);
          continue;
        }
        // Help is text whatever else was asked (`--help` wins over `--json`).
        if (argv.includes('--help')) continue;
        const lines = stdout.trim().split('\n').filter((l) => l.trim() !== '');
        let parsed: unknown;
        try {
          if (lines.length !== 1) throw new Error(`${lines.length} lines`);
          parsed = JSON.parse(lines[0]);
        } catch (error) {
          failures.push(`${label}: stdout is not one JSON object (${String(error)}): ${stdout.slice(0, 200)}`);
          continue;
        }
        const errorCode = (parsed as { error?: { code?: string } }).error?.code;
        outcomes.set(errorCode ?? 'ok', (outcomes.get(errorCode ?? 'ok') ?? 0) + 1);
        if (errorCode === 'internal') failures.push(`${label}: internal error ${JSON.stringify(parsed).slice(0, 300)}`);
        if (STACK.test(stdout) || STACK.test(stderr)) failures.push(`${label}: a stack trace was printed: ${(stdout + stderr).slice(0, 300)}`);
      }
    }
    } finally {
      process.chdir(cwd);
    }
    for (const [path, digest] of inputs) if (sha(path) !== digest) failures.push(`${path} was modified`);
    process.stdout.write(`      fuzz CLI: ${cases} cases over ${commands.length} verbs (seed ${SEED}), ${failures.length} failures; outcomes ${[...outcomes].map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
    assert.deepEqual(failures, []);
  });

  it('ONNX files: mutations of a real model through model inspect → a result or a clear error, never an internal one', async () => {
    const random = seededRandom(SEED + 2);
    const original = readFileSync(join(repoRoot, 'test', 'fixtures', 'models', 'tiny_mlp.onnx'));
    const deadline = Date.now() + SECONDS * 1000;
    const failures: string[] = [];
    let cases = 0;
    const file = join(dir, 'mutant.onnx');
    while (Date.now() < deadline && failures.length < 5) {
      const bytes = Buffer.from(original);
      let mutated: Buffer = bytes;
      const kind = pick(random, ['flip', 'truncate', 'insert', 'zero', 'flips']);
      if (kind === 'flip' || kind === 'flips') for (let i = kind === 'flip' ? 1 : 1 + Math.floor(random() * 40); i > 0; i--) bytes[Math.floor(random() * bytes.length)] ^= 1 << Math.floor(random() * 8);
      else if (kind === 'truncate') mutated = bytes.subarray(0, Math.floor(random() * bytes.length));
      else if (kind === 'insert') {
        const at = Math.floor(random() * bytes.length);
        mutated = Buffer.concat([bytes.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(random() * 16) }, () => Math.floor(random() * 256))), bytes.subarray(at)]);
      } else {
        const at = Math.floor(random() * bytes.length);
        bytes.fill(0, at, at + 1 + Math.floor(random() * 64));
      }
      writeFileSync(file, mutated);
      let stdout = '';
      const code = await runCli(['model', 'inspect', file, '--json'], commands, { stdout: (t) => (stdout += t), stderr: () => undefined, readStdin: async () => '' });
      cases++;
      const parsed = JSON.parse(stdout.trim()) as { error?: { code?: string; message?: string } };
      if (![0, 1, 2].includes(code) || parsed.error?.code === 'internal') failures.push(`${kind} #${cases}: exit ${code} ${JSON.stringify(parsed).slice(0, 300)}`);
    }
    process.stdout.write(`      fuzz ONNX: ${cases} mutated models, ${failures.length} failures\n`);
    assert.deepEqual(failures, []);
  });

  it('JSON-RPC: random params for every engine method against the real engine → non-internal errors or results, and it still answers', async () => {
    const random = seededRandom(SEED + 3);
    const methods = createDispatcher().methods().filter((m) => m !== 'cost/monitorStart' && !m.startsWith('debug/'));
    const child = spawn(process.execPath, [join(distDir, 'engine.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const pending = new Map<number, (message: Record<string, unknown>) => void>();
    let buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
        if (buffer.length < end + 4 + length) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as Record<string, unknown>;
        buffer = buffer.subarray(end + 4 + length);
        if (typeof message.id === 'number') pending.get(message.id)?.(message);
      }
    });
    const request = (id: number, method: string, params: unknown) =>
      new Promise<Record<string, unknown> | 'hang'>((resolveRequest) => {
        const timer = setTimeout(() => resolveRequest('hang'), 60_000);
        pending.set(id, (m) => {
          clearTimeout(timer);
          resolveRequest(m);
        });
        const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id, method, params }), 'utf8');
        child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
      });
    const failures: string[] = [];
    let cases = 0;
    try {
      const deadline = Date.now() + SECONDS * 1000;
      while (Date.now() < deadline && failures.length < 5) {
        const method = random() < 0.05 ? pick(random, ['nope', '', 'model/', '$/x']) : pick(random, methods);
        const params = random() < 0.3 ? json(random) : { ...(json(random, 2) as object), ...(random() < 0.5 ? { modelPath: pick(random, pool), text: 'x', configPath: pick(random, pool) } : {}) };
        const reply = await request(++cases, method, params);
        if (reply === 'hang') {
          failures.push(`${method} ${JSON.stringify(params).slice(0, 200)}: no answer in 60 s`);
          break;
        }
        const data = (reply.error as { data?: { code?: string } } | undefined)?.data;
        if (data?.code === 'internal') failures.push(`${method} ${JSON.stringify(params).slice(0, 200)}: internal error ${JSON.stringify(reply.error).slice(0, 300)}`);
      }
      const info = await request(++cases, 'engine/info', {});
      assert.ok(info !== 'hang' && 'result' in info, 'the engine still answers engine/info');
    } finally {
      child.kill('SIGKILL');
    }
    process.stdout.write(`      fuzz JSON-RPC: ${cases} requests over ${methods.length} methods, ${failures.length} failures\n`);
    for (const f of readdirSync(dir)) if (inputs.has(join(dir, f))) assert.equal(sha(join(dir, f)), inputs.get(join(dir, f)), `${f} was modified`);
    assert.ok(statSync(resolve(dir)).isDirectory());
    assert.deepEqual(failures, []);
  });
});
