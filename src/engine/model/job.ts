/**
 * What every model job shares: progress and cancellation, the output path, writing the
 * new model atomically, and measuring it against the original on the same device.
 */
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { EngineError } from '../../protocol/errors';
import { validate } from '../validate';
import { SLOWER_BELOW, type Device, type ModelResultBase, type TaskFidelity } from '../../protocol/model';
import { neverCancelled, type CancellationLike, type HandlerContext } from '../context';
import { checkCancelled, measureAgainst, openReference, type Reference } from './evaluate';
import { hintsFromModel } from './inputs';
import { readModel, writeModelAtomic, type LoadedModel, type ModelProto } from './onnx';

export type JobContext = Partial<HandlerContext>;

/** Validates parameters (the engine's shared rules) and fills defaults. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown, method: string): z.infer<T> {
  return validate(schema, params, method, 'Check the request against src/protocol/model.ts.');
}

export class Job {
  readonly token: CancellationLike;
  readonly started = performance.now();
  readonly notes: string[] = [];
  readonly warnings: string[] = [];
  /** The source model as loadSource read it (its metadata sizes the evaluation inputs). */
  source?: { path: string; model: ModelProto };
  constructor(private readonly ctx: JobContext = {}) {
    this.token = ctx.token ?? neverCancelled;
  }
  progress(message: string, percent?: number): void {
    this.ctx.progress?.({ message, ...(percent !== undefined ? { percent: Math.round(percent) } : {}) });
    this.ctx.log?.('debug', `model job: ${message}`);
  }
  checkCancelled(): void {
    checkCancelled(this.token);
  }
}

/** `<dir>/<name>.<suffix>.onnx` beside the source, unless the caller chose a path. */
export function outputPath(modelPath: string, suffix: string, outPath?: string): string {
  const out = resolve(outPath ?? join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}.${suffix}.onnx`));
  if (out === resolve(modelPath)) throw new EngineError('badRequest', 'The output path is the source model; the source is never overwritten.', 'Choose another --out path.');
  return out;
}

export async function loadSource(job: Job, modelPath: string): Promise<LoadedModel> {
  job.progress('Reading the model', 2);
  const loaded = await readModel(modelPath);
  job.source = { path: resolve(modelPath), model: loaded.model };
  return loaded;
}

/**
 * Opens the original model and runs it on the evaluation inputs: the user's samples
 * (`inputsPath`), text windows for byte-level language models, or realistic inputs planned
 * from the model (src/engine/model/inputs.ts).
 */
export async function referenceFor(job: Job, modelPath: string, device: Device, dataPath: string | undefined, batchSize: number, options: { inputsPath?: string } = {}): Promise<Reference> {
  job.progress('Running the original model on the evaluation inputs', 8);
  const model = job.source && job.source.path === resolve(modelPath) ? job.source.model : undefined;
  const reference = await openReference(modelPath, device, { dataPath, inputsPath: options.inputsPath, hints: hintsFromModel(model, modelPath), batchSize, token: job.token });
  job.notes.push(...reference.notes);
  const shapes = reference.evalSet.inputShapes;
  if (shapes) job.notes.push(`Inputs: ${Object.entries(shapes).map(([n, d]) => `${n} [${d.join(', ')}]`).join(', ')}.`);
  return reference;
}

export interface FinishOptions {
  /** Called after the candidate was written and measured, before it is moved to `out` (tests inject failures here). */
  beforeCommit?: (tempPath: string) => void | Promise<void>;
}

/**
 * Writes the model to a temporary folder beside `out`, opens and measures it there against
 * the reference (a model onnxruntime cannot load, or whose outputs are NaN/Inf, fails here),
 * and only then moves it (and its external data) to `out`. On any failure the temporary
 * files are deleted and nothing is written at `out`; a file already there is untouched.
 */
export async function finish(job: Job, source: LoadedModel, reference: Reference, model: ModelProto, out: string, options: FinishOptions = {}): Promise<ModelResultBase & { newSize: number }> {
  job.checkCancelled();
  job.progress('Writing the new model', 85);
  const dir = dirname(out);
  if (!existsSync(dir)) {
    await reference.session.release();
    throw new EngineError('notFound', `The output folder ${dir} does not exist.`, 'Create it, or choose another --out path.');
  }
  const temp = mkdtempSync(join(dir, `.${basename(out)}.tmp-`));
  let measured: Awaited<ReturnType<typeof measureAgainst>>;
  let written: Awaited<ReturnType<typeof writeModelAtomic>>;
  try {
    const candidate = join(temp, basename(out));
    written = await writeModelAtomic(candidate, model);
    job.progress('Loading the new model and measuring fidelity and speed against the original', 90);
    try {
      measured = await measureAgainst(reference, candidate, job.token);
    } catch (error) {
      if (error instanceof EngineError && error.code !== 'cancelled') throw new EngineError(error.code, `${error.message.replace(/\.?$/, '.')} Nothing was written to ${out}.`, error.hint);
      throw error;
    }
    await options.beforeCommit?.(candidate);
    job.checkCancelled();
    if (written.externalDataFile) renameSync(join(temp, written.externalDataFile), join(dir, written.externalDataFile));
    renameSync(candidate, out);
  } finally {
    await reference.session.release();
    rmSync(temp, { recursive: true, force: true });
  }
  if (written.externalDataFile) job.notes.push(`Tensors are stored in ${written.externalDataFile} beside the model (external data).`);
  const { fidelity, speed } = measured;
  job.notes.push(`Checked before writing ${basename(out)}: onnxruntime loads it and its outputs are finite.`);
  job.notes.push(`Speed: medians of ${speed.runs} runs each, batch ${speed.batchSize}, both models on ${reference.executionProvider}, alternating run by run.`);
  job.notes.push(`Fidelity: ${fidelity.inputs}.`);
  if (fidelity.task) job.notes.push(`Task fidelity (${fidelity.task.metric}): ${fidelity.task.description}.`);
  const warnings = [...job.warnings, ...resultWarnings(source.sizeBytes, written.sizeBytes, speed, reference.executionProvider, fidelity.task)];
  job.progress('Done', 100);
  return {
    path: out,
    originalSize: source.sizeBytes,
    originalSizeMb: mb(source.sizeBytes),
    sizeReductionPercent: round((1 - written.sizeBytes / source.sizeBytes) * 100, 2),
    measuredSpeedup: round(speed.speedup, 3),
    speed,
    fidelity,
    executionProvider: reference.executionProvider,
    notes: job.notes,
    ...(warnings.length > 0 ? { warnings } : {}),
    elapsedMs: Math.round(performance.now() - job.started),
    newSize: written.sizeBytes,
  };
}

/** What the user must see: a result larger or slower than its source, or task fidelity out of tolerance. */
export function resultWarnings(sourceBytes: number, newBytes: number, speed: { referenceMs: number; optimizedMs: number; speedup: number; batchSize: number }, ep: string, task: TaskFidelity | undefined): string[] {
  const warnings: string[] = [];
  if (newBytes > sourceBytes) warnings.push(`The result is LARGER than the source: ${mb(newBytes)} MB vs ${mb(sourceBytes)} MB (+${(((newBytes - sourceBytes) / sourceBytes) * 100).toFixed(1)}%).`);
  if (speed.speedup < SLOWER_BELOW) warnings.push(`The result is SLOWER than the source on ${ep}: ${speed.speedup.toFixed(2)}× (median ${speed.optimizedMs.toFixed(2)} ms vs ${speed.referenceMs.toFixed(2)} ms at batch ${speed.batchSize}, ${((1 / speed.speedup - 1) * 100).toFixed(0)}% more time).`);
  if (task && !task.withinTolerance) warnings.push(`Task fidelity is out of tolerance: ${task.description}.`);
  else if (task && /says little/.test(task.description)) warnings.push(`Task fidelity is inconclusive on these inputs: ${task.description}. Pass real samples (--inputs, or Sample inputs in the panel) for a figure that means something.`);
  return warnings;
}

export function mb(bytes: number): number {
  return round(bytes / 1e6, 3);
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
