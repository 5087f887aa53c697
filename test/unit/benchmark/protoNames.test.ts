// A name `__proto__` in benchmark input (issue 11): zod leaves such a key out of the
// records it parses, and assigning it on a plain object sets the object's prototype, so
// the dataset, model or task would drop out of the run without a word. Each entry point
// refuses it with a message that names it: `benchmark model|quality --datasets`, the
// engine's ModelBenchmark / QualityBenchmark, the Benchmark panel's request schema, and
// the cost commands' `--benchmarks` results file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchmarkRequestSchema } from '../../../src/protocol/benchmark';
import { EngineError } from '../../../src/protocol/errors';
import { ModelBenchmark } from '../../../src/engine/benchmark/model';
import { QualityBenchmark } from '../../../src/engine/benchmark/quality';
import { QualityCatalog } from '../../../src/shared/cost/quality';

const cli = resolve(__dirname, '../../../src/engine/cli.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('benchmark input: a name "__proto__" is refused, never dropped', function () {
  this.timeout(30_000);
  let dir: string;
  let data: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pepperpy-proto-names-'));
    data = join(dir, 'qa.jsonl');
    writeFileSync(data, '{"input":"What is 2+2?","reference":"4"}\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('`benchmark model|quality --datasets __proto__=…` exits 2 naming it, before any work', () => {
    for (const args of [['benchmark', 'model', '--datasets', `__proto__=${data}`], ['benchmark', 'model', '--datasets', `qa=${data},__proto__=${data}`], ['benchmark', 'quality', '--judge', 'local', '--datasets', `__proto__=${data}`]]) {
      const r = run([...args, '--json']);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /--datasets: \\"__proto__\\" cannot name a dataset/, args.join(' '));
    }
  });

  it('`--datasets` with one name twice exits 2 instead of keeping only the last', () => {
    const r = run(['benchmark', 'model', '--datasets', `qa=${data},qa=${join(dir, 'other.jsonl')}`, '--json']);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /--datasets names \\"qa\\" twice/);
  });

  it('the engine refuses a task or evaluation set named __proto__ (JSON-RPC callers)', async () => {
    const refused = (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && /"__proto__" cannot name a/.test(e.message);
    const datasets = JSON.parse(`{"qa": ${JSON.stringify(data)}, "__proto__": ${JSON.stringify(data)}}`) as Record<string, string>;
    await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: Object.keys(datasets), datasets }), refused);
    await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: ['__proto__'], datasets: { qa: data } }), refused);
    await assert.rejects(new QualityBenchmark().run({ models: ['local'], evaluationDatasets: datasets, evaluatorModel: 'local' }), refused);
  });

  it('a task named like an Object.prototype member without a dataset is "no dataset", not a crash', async () => {
    for (const task of ['constructor', 'toString']) {
      await assert.rejects(new ModelBenchmark().run({ models: ['local'], tasks: [task], datasets: { qa: data } }), (e: unknown) => e instanceof EngineError && e.message === `No dataset given for task "${task}".`);
    }
  });

  it('the Benchmark panel request schema refuses it (zod alone would drop it)', () => {
    for (const kind of ['model', 'quality']) {
      const request = JSON.parse(`{"kind":"${kind}","models":["local"],"datasets":{"qa":"qa.jsonl","__proto__":"x.jsonl"}${kind === 'quality' ? ',"evaluatorModel":"local","repeats":1' : ''}}`) as unknown;
      const r = BenchmarkRequestSchema.safeParse(request);
      assert.equal(r.success, false, kind);
      assert.deepEqual(r.error.issues.map((i) => [i.path.join('.'), i.message]), [['datasets', '"__proto__" cannot name a dataset: choose another name']]);
    }
    const ok = BenchmarkRequestSchema.parse({ kind: 'model', models: ['local'], datasets: { qa: 'qa.jsonl', constructor: 'c.jsonl' } });
    assert.deepEqual(ok.kind === 'model' && Object.keys(ok.datasets), ['qa', 'constructor']);
  });

  describe('the cost commands\' --benchmarks results file', () => {
    const cases: Array<[string, string]> = [
      ['{"models": {"__proto__": {"scores": {"MMLU": {"value": 90, "source": "x", "date": "2024"}}}}}', 'models.__proto__'],
      ['{"models": {"my-model": {"scores": {"__proto__": {"value": 90, "source": "x", "date": "2024"}}}}}', 'models.my-model.scores.__proto__'],
      ['{"tasks": {"__proto__": {"benchmark": "MMLU", "rationale": "r"}}}', 'tasks.__proto__'],
      ['{"latency": {"__proto__": {"avgMs": 5, "source": "x", "date": "2024"}}}', 'latency.__proto__'],
      ['{"benchmarks": {"__proto__": {"scale": 100}}}', 'benchmarks.__proto__'],
    ];
    for (const [json, at] of cases) {
      it(`refuses "__proto__" at ${at}`, () => {
        const file = join(dir, 'results.json');
        writeFileSync(file, json);
        assert.throws(() => QualityCatalog.load(file), (e: unknown) => e instanceof EngineError && e.code === 'badRequest' && e.message === `Benchmark results in ${file} use the name "__proto__" at ${at}: that name cannot be read (it is every object's prototype).`);
      });
    }

    it('`cost select --benchmarks` reports it (exit 2) and other names still load', () => {
      const file = join(dir, 'results.json');
      writeFileSync(file, cases[0][0]);
      const r = run(['cost', 'select', '--task', 'qa', '--benchmarks', file, '--json']);
      // A bad input file: exit 2, as for any other invalid --benchmarks file.
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stdout, /use the name \\"__proto__\\" at models\.__proto__/);
      writeFileSync(file, '{"models": {"constructor": {"scores": {"MMLU": {"value": 90, "source": "x", "date": "2024"}}}}}');
      assert.ok(QualityCatalog.load(file).models().includes('constructor'));
    });
  });
});
