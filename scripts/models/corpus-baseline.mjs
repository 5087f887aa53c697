#!/usr/bin/env node
// Runs the CLI's model verbs on every corpus model and prints a Markdown table: per model × verb,
// the exit code and the error, or the size ratio, the measured speedup and the fidelity the CLI
// reported (its task metric when it has one, else cosine).
//
//   npm run build && node scripts/models/corpus-baseline.mjs [--only id,id] [--verbs q8,q4,…]
//       [--inputs] [--timeout SECONDS] [--out FILE.md]
//
// --inputs passes the corpus's realistic feeds (<cache>/inputs/<id>.json, written by
// `node out/test/helpers/modelCorpus.js` or the corpus test) to every verb. The CLI in dist/ is
// copied first (out/corpus-baseline-dist/), so a rebuild during the run does not change it.
// Outputs go to a temporary folder that is removed afterwards.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir, fetchCorpus } from './fetch-corpus.mjs';

const repoRoot = new URL('../..', import.meta.url).pathname;
const VERBS = {
  q8: ['quantize', '--bits', '8'],
  q4: ['quantize', '--bits', '4'],
  fp16: ['quantize', '--type', 'float', '--bits', '16'],
  prune: ['prune'],
  compress: ['compress'],
  optimize: ['optimize'],
};

function parseArgs(argv) {
  const options = { only: undefined, verbs: Object.keys(VERBS), inputs: false, timeout: 300, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') options.only = argv[++i].split(',');
    else if (a === '--verbs') options.verbs = argv[++i].split(',');
    else if (a === '--inputs') options.inputs = true;
    else if (a === '--timeout') options.timeout = Number(argv[++i]);
    else if (a === '--out') options.out = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  for (const v of options.verbs) if (!VERBS[v]) throw new Error(`unknown verb ${v}; known: ${Object.keys(VERBS).join(', ')}`);
  return options;
}

function fmt(x, digits = 2) {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '–';
}

function describe(result, sourceBytes) {
  const parts = [];
  const outBytes = result.path && existsSync(result.path) ? statSync(result.path).size : undefined;
  const ratio = outBytes !== undefined ? outBytes / sourceBytes : typeof result.sizeReductionPercent === 'number' ? 1 - result.sizeReductionPercent / 100 : undefined;
  parts.push(`size ×${fmt(ratio)}`);
  parts.push(`speed ×${fmt(result.measuredSpeedup)}`);
  const f = result.fidelity ?? {};
  if (f.task) parts.push(`${f.task.metric} ${fmt(f.task.value, 4)}${f.task.withinTolerance === false ? ' (out of tolerance)' : ''}`);
  else if (typeof f.cosine === 'number') parts.push(`cosine ${fmt(f.cosine, 4)}`);
  if (result.chosenFormat) parts.push(`format ${result.chosenFormat}`);
  if (f.inputShapes) parts.push(`shapes ${JSON.stringify(f.inputShapes)}`);
  if (result.warnings?.length) parts.push(`warnings: ${result.warnings.join(' / ')}`);
  return parts.join('; ');
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const dist = join(repoRoot, 'out', 'corpus-baseline-dist');
  rmSync(dist, { recursive: true, force: true });
  cpSync(join(repoRoot, 'dist'), dist, { recursive: true });
  const models = fetchCorpus({ only: options.only });
  const work = mkdtempSync(join(tmpdir(), 'pepperpy-corpus-baseline-'));
  const lines = [`| model | verb | exit | result |`, `|---|---|---|---|`];
  try {
    for (const m of models) {
      const sourceBytes = statSync(m.path).size;
      const inputsFile = join(corpusDir(), 'inputs', `${m.id}.json`);
      if (options.inputs && !existsSync(inputsFile)) throw new Error(`${inputsFile} is missing: run node out/test/helpers/modelCorpus.js first`);
      for (const verb of options.verbs) {
        const out = join(work, `${m.id}.${verb}.onnx`);
        const args = [join(dist, 'cli.js'), 'model', ...VERBS[verb].slice(0, 1), m.path, ...VERBS[verb].slice(1), '--out', out, '--device', 'cpu', '--json', ...(options.inputs ? ['--inputs', inputsFile] : [])];
        const t0 = Date.now();
        const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: options.timeout * 1000, maxBuffer: 64 * 1024 * 1024 });
        const seconds = ((Date.now() - t0) / 1000).toFixed(0);
        let text;
        if (r.error?.code === 'ETIMEDOUT' || r.signal) text = `killed after ${seconds} s (${r.signal ?? 'timeout'})`;
        else {
          let json;
          try {
            json = JSON.parse(r.stdout);
          } catch {
            json = undefined;
          }
          if (json?.error) text = `${json.error.code}: ${json.error.message}`;
          else if (json) text = describe(json, sourceBytes);
          else text = `no JSON; stderr: ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`;
          text += ` (${seconds} s)`;
          // Exit 3: the model was written on purpose, but it is out of task-fidelity tolerance.
          if (r.status === 3) text += ' — written, NOT faithful (exit 3)';
          else if (r.status !== 0 && existsSync(out)) text += ' — a file was left at --out';
        }
        const line = `| ${m.id} | ${verb} | ${r.status ?? '–'} | ${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
        lines.push(line);
        process.stderr.write(`${line}\n`);
        rmSync(out, { force: true });
        rmSync(`${out}.data`, { force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = `${lines.join('\n')}\n`;
  if (options.out) writeFileSync(options.out, table);
  process.stdout.write(table);
}

main();
