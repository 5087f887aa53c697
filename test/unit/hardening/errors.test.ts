/**
 * Issue 11, items 5-8 (what was left): caps refused before work on every verb that takes
 * them, errors that blame the right thing, --data never silently ignored, help examples that
 * name files that exist, and progress for what is legitimately long.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarkCommands } from '../../../src/engine/cli/benchmarkCommands';
import { costCommands } from '../../../src/engine/cli/costCommands';
import { engineCommands } from '../../../src/engine/cli/engineCommands';
import { stderrProgress, type CliCommand, type OptionSpec } from '../../../src/engine/cli/framework';
import { modelCommands } from '../../../src/engine/cli/modelCommands';
import { pipelineCommands } from '../../../src/engine/cli/pipelineCommands';
import { promptCommands } from '../../../src/engine/cli/promptCommands';
import { scanCommand } from '../../../src/engine/cli/scanCommand';
import { repoRoot } from '../../helpers/paths';
import { errorOf, jsonOf, models, ragConfig, ragQueries, run, scratch } from './helpers';

const allCommands: CliCommand[] = [...promptCommands, scanCommand, ...costCommands, ...modelCommands, ...pipelineCommands, ...benchmarkCommands, ...engineCommands];

describe('hardening: caps, blame, --data and help examples (issue 11, items 5-8)', function () {
  // Each case starts the CLI (about a second, more on a loaded machine); no case measures time.
  this.timeout(180_000);
  describe('caps are refused with the option, its range and the value, before any work (item 7)', () => {
    const cases: [string[], RegExp][] = [
      [['benchmark', 'latency', '--input-lengths', '1e8'], /^pepperpy-opt: --input-lengths takes whole numbers from 1 to 100000, got 1e8\./],
      [['benchmark', 'latency', '--input-lengths', '100000000'], /^pepperpy-opt: --input-lengths takes whole numbers from 1 to 100000, got 100000000\./],
      [['benchmark', 'latency', '--batch-sizes', '100000'], /^pepperpy-opt: --batch-sizes takes whole numbers from 1 to 256, got 100000\./],
      [['benchmark', 'quality', '--judge', 'local', '--datasets', `qa=${ragQueries}`, '--repeats', '1e6'], /^pepperpy-opt: --repeats takes whole numbers from 1 to 20, got 1e6\./],
      [['benchmark', 'quality', '--judge', 'local', '--datasets', `qa=${ragQueries}`, '--repeats', '1000000'], /^pepperpy-opt: --repeats takes whole numbers from 1 to 20, got 1000000\./],
      [['pipeline', 'profile', ragConfig, '--runs', '1e6'], /^pepperpy-opt: --runs takes a whole number from 1 to 100, got "1e6"\./],
      [['pipeline', 'profile', ragConfig, '--runs', '0'], /^pepperpy-opt: --runs takes a whole number from 1 to 100, got "0"\./],
      [['pipeline', 'benchmark', ragConfig, '--iterations', '1000000'], /^pepperpy-opt: --iterations takes a whole number from 1 to 1000, got "1000000"\./],
      [['pipeline', 'benchmark', ragConfig, '--concurrency', '100000'], /^pepperpy-opt: --concurrency takes a whole number from 1 to 256, got "100000"\./],
      [['pipeline', 'benchmark', ragConfig, '--iterations', '0.5'], /^pepperpy-opt: --iterations takes a whole number from 1 to 1000, got "0\.5"\./],
      [['pipeline', 'optimize-all', ragConfig, '--iterations', '1e6', '--out', '/nonexistent-pp'], /^pepperpy-opt: --iterations takes a whole number from 1 to 100, got "1e6"\./],
    ];
    for (const [args, message] of cases) {
      it(args.join(' ').replace(repoRoot, '.'), () => {
        const r = run(args, { timeout: 30_000 });
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
      });
    }
  });

  describe('dataset errors name the dataset, not the pipeline config (item 8; an empty RAG dataset was exit 0 with zero metrics, item 6)', () => {
    let dir: string;
    before(() => {
      dir = scratch();
      fs.writeFileSync(path.join(dir, 'empty.jsonl'), '\n');
      fs.writeFileSync(path.join(dir, 'numbers.jsonl'), '{"query": 5}\n{"question": "What is RAG?"}\n');
    });

    it('benchmark rag: an empty dataset', () => {
      const file = path.join(dir, 'empty.jsonl');
      const r = run(['benchmark', 'rag', ragConfig, '--dataset', file, '--json']);
      assert.equal(r.code, 2, r.stderr);
      const error = errorOf(r);
      assert.equal(error.message, `The RAG dataset ${file} has no usable records (it is empty).`);
      assert.doesNotMatch(error.message + error.hint, /config/);
    });

    it('benchmark rag: a dataset whose every line is invalid names the lines and the fields', () => {
      const file = path.join(dir, 'numbers.jsonl');
      const r = run(['benchmark', 'rag', ragConfig, '--dataset', file, '--json']);
      assert.equal(r.code, 2, r.stderr);
      const error = errorOf(r);
      assert.equal(error.message, `The RAG dataset ${file} has no usable records (2 lines skipped; line 1: query: Invalid input: expected string, received number; line 2: query: Invalid input: expected string, received undefined; record: Unrecognized key: "question").`);
    });

    it('pipeline benchmark, profile and optimize-all: empty --queries are named as the test query dataset', () => {
      const file = path.join(dir, 'empty.jsonl');
      for (const verb of ['benchmark', 'profile', 'optimize-all']) {
        const r = run(['pipeline', verb, ragConfig, '--queries', file, ...(verb === 'optimize-all' ? ['--out', path.join(dir, 'out')] : [])]);
        assert.equal(r.code, 2, `${verb}: ${r.stderr}`);
        assert.match(r.stderr, new RegExp(`^pepperpy-opt: The test query dataset ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has no usable records \\(it is empty\\)\\.`), verb);
      }
      assert.equal(fs.existsSync(path.join(dir, 'out')), false);
    });

    it('a dataset given where the pipeline config goes is called a dataset, not invalid JSON', () => {
      const r = run(['benchmark', 'rag', ragQueries, '--dataset', ragConfig]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /queries\.jsonl is not a pipeline config: it holds one JSON record per line \(JSONL\), like a dataset or a corpus\./);
    });

    it('a pipeline config given as a JSON dataset says so', () => {
      const copy = path.join(dir, 'config-as-dataset.json');
      fs.copyFileSync(ragConfig, copy);
      const r = run(['benchmark', 'rag', ragConfig, '--dataset', copy]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /The RAG dataset .*config-as-dataset\.json must hold a JSON array of records, but it is a pipeline config\./);
    });
  });

  describe('user mistakes are user errors, found before any work (item 5)', () => {
    let dir: string;
    let file: string;
    before(() => {
      dir = scratch();
      file = path.join(dir, 'a-file.txt');
      fs.writeFileSync(file, 'not a folder\n');
    });

    it('optimize-all: --cache-url naming a file for the file cache (before: "This is a bug" with EEXIST after the whole run)', () => {
      const r = run(['pipeline', 'optimize-all', ragConfig, '--cache', 'file', '--cache-url', file, '--out', path.join(dir, 'out'), '--json']);
      assert.equal(r.code, 2, r.stderr);
      assert.deepEqual(errorOf(r), { code: 'badRequest', message: `The file cache folder ${file} is a file, not a folder.`, hint: 'Choose a folder for --cache-url.' });
      assert.equal(fs.existsSync(path.join(dir, 'out')), false, 'nothing written');
      assert.equal(r.stderr.includes('['), false, 'refused before the first step');
    });

    it('optimize-all: --out naming a file, or a folder under a file', () => {
      for (const [out, message] of [[file, `The output folder ${file} is a file, not a folder.`], [path.join(file, 'sub'), `The output folder ${path.join(file, 'sub')} cannot be created: ${file} is a file.`]]) {
        const r = run(['pipeline', 'optimize-all', ragConfig, '--out', out]);
        assert.equal(r.code, 2, r.stderr);
        assert.equal(r.stderr.split('\n')[0], `pepperpy-opt: ${message}`);
      }
      assert.equal(fs.readFileSync(file, 'utf8'), 'not a folder\n');
    });

    it('cost optimize: null as the setup is a user error, not a bug', () => {
      const r = run(['cost', 'optimize', '-', '--json'], { input: 'null' });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(errorOf(r).message, 'stdin holds null, not a setup object.');
    });
  });

  describe('model verbs (item 8)', () => {
    let dir: string;
    before(() => {
      dir = scratch();
    });

    for (const verb of ['quantize', 'prune', 'compress', 'optimize']) {
      it(`${verb}: a missing --out folder is reported as a missing folder, not as an invalid model`, () => {
        const missing = path.join(dir, 'no-such-folder');
        const r = run(['model', verb, path.join(models, 'tiny_mlp.onnx'), '--out', path.join(missing, 'out.onnx')]);
        assert.equal(r.code, 1, r.stderr);
        assert.equal(r.stderr.split('\n')[0], `pepperpy-opt: The output folder ${missing} does not exist.`);
        assert.equal(fs.existsSync(missing), false);
      });
    }

    for (const [verb, extra] of [['quantize', []], ['prune', ['--activation-aware']], ['compress', []], ['optimize', []]] as const) {
      it(`${verb}: --data on a model that is not a language model is refused, not silently ignored`, () => {
        const out = path.join(dir, `${verb}.onnx`);
        const r = run(['model', verb, path.join(models, 'tiny_mlp.onnx'), '--data', path.join(models, 'corpus.txt'), ...extra, '--out', out, '--device', 'cpu', '--json']);
        assert.equal(r.code, 2, r.stderr);
        const error = errorOf(r);
        // The batch of the measurement differs by verb (8, or 1 where the verb times single samples): the shape's batch is not the point.
        assert.match(error.message, new RegExp(`^--data ${path.join(models, 'corpus.txt').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} would not be used: tiny_mlp\\.onnx is not a language model \\(its inputs: x \\[\\d+, 64\\]\\), and --data is text for language models\\.$`));
        assert.match(error.hint ?? '', /--inputs FILE/);
        assert.equal(fs.existsSync(out), false);
      });
    }

    it('--data together with --inputs is refused: only one of them can feed the measurement', () => {
      const r = run(['model', 'quantize', path.join(models, 'tiny_mlp.onnx'), '--data', path.join(models, 'corpus.txt'), '--inputs', path.join(models, 'npy', 'tiny_mlp_x.npy'), '--out', path.join(dir, 'both.onnx'), '--device', 'cpu']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /would not be used: the model is measured on the sample inputs from --inputs/);
    });
  });

  describe('help examples (item 8)', () => {
    /** Splits a shell line into words (single and double quotes, no expansions). */
    function words(line: string): string[] {
      return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    }
    const PATHLIKE = /\/|\.(txt|json|jsonl|onnx|npy|npz|csv|md|py|ya?ml)$/;

    it('every example names files and folders that exist in the repository (outputs: their folder), and parses with the verb\'s options', () => {
      const problems: string[] = [];
      let checked = 0;
      for (const command of allCommands) {
        for (const example of command.examples ?? []) {
          for (const segment of example.split('|').map((s) => words(s.trim()))) {
            const start = segment.findIndex((w) => !/^\w+=/.test(w));
            const [program, ...args] = segment.slice(start);
            if (program === 'cat') {
              for (const file of args) if (!fs.existsSync(path.join(repoRoot, file))) problems.push(`${example}: ${file} does not exist`);
              continue;
            }
            if (program !== 'pepperpy-opt') continue;
            assert.deepEqual(args.slice(0, 2), [command.area, command.verb], example);
            const options = Object.fromEntries(Object.entries<OptionSpec>({ ...command.options, json: { type: 'boolean', description: '' } }).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]));
            let parsed;
            try {
              parsed = parseArgs({ args: args.slice(2), options, allowPositionals: true, strict: true, tokens: true });
            } catch (error) {
              problems.push(`${example}: ${String(error)}`);
              continue;
            }
            for (const token of parsed.tokens) {
              const value = token.kind === 'positional' ? token.value : token.kind === 'option' ? token.value : undefined;
              if (value === undefined || value === '-' || /:\/\//.test(value)) continue;
              for (const part of value.split(',').map((p) => p.replace(/^\w+=/, ''))) {
                if (!PATHLIKE.test(part)) continue;
                checked++;
                const isOutput = token.kind === 'option' && token.name === 'out';
                const target = isOutput ? path.dirname(path.resolve(repoRoot, part)) : path.resolve(repoRoot, part);
                if (!fs.existsSync(target)) problems.push(`${example}: ${isOutput ? `the folder of --out ${part}` : part} does not exist`);
              }
            }
          }
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(checked >= 20, `only ${checked} paths checked`);
    });
  });

  describe('progress for long runs (item 7)', () => {
    it('stderrProgress prints one line per tenth reached, and a message without a percentage once', () => {
      const lines: string[] = [];
      const progress = stderrProgress({ stdout: () => undefined, stderr: (t) => lines.push(t), readStdin: async () => '' });
      for (let i = 0; i <= 1000; i++) progress({ message: `Query ${i}/1000`, percent: Math.floor(i / 10) });
      progress({ message: 'Indexing' });
      progress({ message: 'Indexing' });
      // Oracle: the first report of each tenth 0, 10, …, 100 is at i = 0, 100, …, 1000 (percent floor(i/10)).
      assert.deepEqual(lines, [...Array.from({ length: 11 }, (_, k) => `[${String(k * 10).padStart(3)}%] Query ${k * 100}/1000\n`), 'Indexing\n']);
    });

    it('benchmark rag prints its progress on stderr, question by question, while stdout stays one JSON object', () => {
      const r = run(['benchmark', 'rag', ragConfig, '--dataset', ragQueries, '--json'], { timeout: 120_000 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(jsonOf<{ results: Record<string, { items: number }> }>(r).results.rag_pipeline.items, 12);
      const progress = r.stderr.split('\n').filter((l) => l.startsWith('['));
      // Oracle: before question i+1 of 12 the percentage is round(i / 12 * 100): 0 8 17 25 33 42 50 58 67 75 83 92;
      // a line is printed for the first of each tenth.
      assert.deepEqual(progress, [1, 3, 4, 5, 6, 7, 9, 10, 11, 12].map((q) => `[${String(Math.round(((q - 1) / 12) * 100)).padStart(3)}%] rag_pipeline: question ${q}/12`));
    });
  });
});
