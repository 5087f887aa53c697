/**
 * `npm run bench:model-scale [-- --dir /tmp/pepperpy-model-scale] [--dtypes fp32,fp16] [--bits 4,8]
 *   [--method rtn|hqq] [--layers 18] [--json] [--keep]`
 *
 * Quantizing a ≥1B-parameter model by streaming: generates an LLM-shaped model with seeded
 * synthetic weights in external data (scripts/models/make-synthetic-llm.mjs; cached in --dir
 * between runs), quantizes it with streamQuantize in a child process per run, and prints the
 * parameters, the size on disk, the wall time and the child's peak resident memory
 * (/proc/self/status VmHWM at its end: the whole job, including the onnxruntime sessions
 * that measure fidelity and speed) divided by the size on disk. The child is the only process
 * of the job (onnxruntime runs inside it). Quantized outputs are removed after each run
 * unless --keep; the generated models stay in --dir until you remove it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { streamQuantize, peakRss } from '../src/engine/model/stream';

const root = resolve(__dirname, '../..');
const script = join(root, 'scripts/models/make-synthetic-llm.mjs');

interface Made {
  modelPath: string;
  dataPath: string;
  parameters: number;
  sizeBytes: number;
  config: Record<string, unknown>;
}

interface ChildResult {
  seconds: number;
  peakRssBytes: number;
  quantizedBytes: number;
  cosine: number;
  top1?: number;
  referenceMs: number;
  optimizedMs: number;
  speedup: number;
  weightError: number;
  layersQuantized: number;
  format: string;
  memoryNote?: string;
  segmentNote?: string;
}

async function child(modelPath: string, bits: number, method: string, outPath: string): Promise<void> {
  const t0 = performance.now();
  const r = await streamQuantize({ modelPath, bits: bits as 4 | 8, method: method as 'rtn' | 'hqq', device: 'cpu', outPath, batchSize: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const out: ChildResult = {
    seconds,
    peakRssBytes: peakRss() ?? 0,
    quantizedBytes: r.quantizedSize,
    cosine: r.fidelity.cosineSimilarity,
    top1: r.fidelity.top1Agreement,
    referenceMs: r.speed.referenceMs,
    optimizedMs: r.speed.optimizedMs,
    speedup: r.speed.speedup,
    weightError: r.weightError,
    layersQuantized: r.layersQuantized,
    format: r.format,
    memoryNote: r.notes.find((n) => n.startsWith('Peak resident')),
    segmentNote: r.notes.find((n) => n.startsWith('The original model ran in')),
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

async function model(dir: string, dtype: string, layers: number): Promise<Made> {
  const name = `synthetic-llm-${dtype}-l${layers}`;
  const meta = join(dir, `${name}.json`);
  if (existsSync(meta)) {
    const made = JSON.parse(readFileSync(meta, 'utf8')) as Made;
    if (existsSync(made.modelPath) && existsSync(made.dataPath) && statSync(made.modelPath).size + statSync(made.dataPath).size === made.sizeBytes) return made;
  }
  process.stderr.write(`Generating ${name} in ${dir} (seeded synthetic weights, streamed to disk)…\n`);
  const mod = (await import(pathToFileURL(script).href)) as { makeSyntheticLlm: (o: Record<string, unknown>) => Promise<Made> };
  const made = await mod.makeSyntheticLlm({ outDir: dir, name, dtype, layers });
  writeFileSync(meta, JSON.stringify(made));
  return made;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: '/tmp/pepperpy-model-scale' },
      dtypes: { type: 'string', default: 'fp32,fp16' },
      bits: { type: 'string', default: '4,8' },
      method: { type: 'string', default: 'rtn' },
      layers: { type: 'string', default: '18' },
      json: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      child: { type: 'string' },
      'child-bits': { type: 'string' },
      'child-out': { type: 'string' },
    },
  });
  if (values.child) return child(values.child, Number(values['child-bits']), values.method, values['child-out']!);
  const dir = resolve(values.dir);
  mkdirSync(dir, { recursive: true });
  const rows: Record<string, unknown>[] = [];
  for (const dtype of values.dtypes.split(',')) {
    const made = await model(dir, dtype, Number(values.layers));
    for (const bits of values.bits.split(',').map(Number)) {
      const out = join(dir, `out-${dtype}-q${bits}.onnx`);
      process.stderr.write(`Quantizing ${dtype} → ${bits}-bit ${values.method} in a child process…\n`);
      const run = spawnSync(process.execPath, [__filename, '--child', made.modelPath, '--child-bits', String(bits), '--child-out', out, '--method', values.method], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (run.status !== 0 || !line) {
        process.stderr.write(run.stderr);
        throw new Error(`The ${dtype} ${bits}-bit run failed (exit ${run.status}).`);
      }
      const r = JSON.parse(line.slice(7)) as ChildResult;
      rows.push({
        model: `${dtype}, ${(made.parameters / 1e9).toFixed(3)}B params`,
        parameters: made.parameters,
        sizeBytes: made.sizeBytes,
        bits,
        method: values.method,
        seconds: Math.round(r.seconds * 10) / 10,
        peakRssBytes: r.peakRssBytes,
        peakOverSize: Math.round((r.peakRssBytes / made.sizeBytes) * 1000) / 1000,
        quantizedBytes: r.quantizedBytes,
        cosine: r.cosine,
        top1: r.top1,
        referenceMs: Math.round(r.referenceMs),
        optimizedMs: Math.round(r.optimizedMs),
        speedup: Math.round(r.speedup * 1000) / 1000,
        weightError: r.weightError,
        layersQuantized: r.layersQuantized,
        memoryNote: r.memoryNote,
        segmentNote: r.segmentNote,
      });
      if (!values.keep) for (const f of [out, `${out}.data`]) rmSync(f, { force: true });
    }
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const gb = (b: unknown) => `${((b as number) / 1e9).toFixed(2)} GB`;
  process.stdout.write('model                      | bits | size     | out size | time s | peak RSS | peak/size | cosine  | top-1 | fp32 ms | q ms  | speedup\n');
  for (const r of rows) {
    process.stdout.write(
      `${String(r.model).padEnd(26)} | ${String(r.bits).padStart(4)} | ${gb(r.sizeBytes).padStart(8)} | ${gb(r.quantizedBytes).padStart(8)} | ${String(r.seconds).padStart(6)} | ${gb(r.peakRssBytes).padStart(8)} | ${String(r.peakOverSize).padStart(9)} | ${(r.cosine as number).toFixed(5)} | ${r.top1 === undefined ? '  -  ' : (r.top1 as number).toFixed(3)} | ${String(r.referenceMs).padStart(7)} | ${String(r.optimizedMs).padStart(5)} | ${String(r.speedup)}\n`,
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
