/**
 * `npm run bench:model [-- --device cpu|webgpu|auto] [--only id,id] [--ops q8,q4,fp16,prune,lowrank,optimize] [--no-scale] [--json]`
 *
 * 1. The table over the corpus of real third-party models (bench/modelCorpus.ts): model ×
 *    operation, with size ratio, speedup against fp32 (same run), task fidelity from the
 *    corpus's own evaluator, and the format the engine chose.
 * 2. The scale line: a ≥1B-parameter LLM-shaped model in external data quantized to 4 bits by
 *    streaming (bench/modelScale.ts, in a child process): parameters, time, peak RSS ÷ size.
 *    Generating the model takes a few GB of disk (cached under the OS temp folder); --no-scale skips it.
 *
 * `npm run bench:model-lm` keeps the language-model deep dive (every method and bit width).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Device } from '../src/protocol/model';
import { CORPUS_OPERATIONS, corpusTable, runCorpusBench, type CorpusOperation } from './modelCorpus';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'cpu' },
    only: { type: 'string' },
    ops: { type: 'string', default: CORPUS_OPERATIONS.join(',') },
    'no-scale': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const device = values.device as Device;
  const operations = values.ops.split(',').map((s) => s.trim()) as CorpusOperation[];
  for (const op of operations) if (!CORPUS_OPERATIONS.includes(op)) throw new Error(`Unknown operation ${op}: use ${CORPUS_OPERATIONS.join(', ')}.`);
  const log = values.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
  const { rows, models } = await runCorpusBench({ device, operations, ...(values.only ? { only: values.only.split(',') } : {}), ...(log ? { log } : {}) });
  let scale: unknown;
  if (!values['no-scale']) {
    log?.('Scale: generating (or reusing) the ≥1B-parameter model and quantizing it to 4 bits by streaming…');
    const r = spawnSync(process.execPath, [join(__dirname, 'modelScale.js'), '--dtypes', 'fp32', '--bits', '4', '--json'], { encoding: 'utf8', maxBuffer: 16 * 2 ** 20 });
    if (r.status === 0) scale = JSON.parse(r.stdout) as unknown;
    else scale = { error: (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ') };
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ device, rows, scale }, null, 2)}\n`);
    return;
  }
  const lines = [corpusTable(rows, models, device)];
  if (scale !== undefined) lines.push('', `Scale: ${scaleLine(scale)}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function scaleLine(scale: unknown): string {
  if (!Array.isArray(scale)) return `could not run (${(scale as { error?: string }).error ?? JSON.stringify(scale)})`;
  const rows = scale as { model: string; parameters: number; sizeBytes: number; bits: number; method: string; seconds: number; peakRssBytes: number; peakOverSize: number }[];
  return rows.map((r) => `${(r.parameters / 1e9).toFixed(2)}B parameters (${r.model.split(',')[0]}, ${(r.sizeBytes / 1e9).toFixed(2)} GB on disk) → ${r.bits}-bit ${r.method} by streaming in ${r.seconds.toFixed(0)} s, peak RSS ${(r.peakRssBytes / 1e9).toFixed(2)} GB = ${r.peakOverSize.toFixed(2)}× the size on disk`).join('; ');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:model failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
