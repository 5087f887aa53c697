/**
 * What every model job shares: progress and cancellation, the output path, writing the
 * new model atomically, and measuring it against the original on the same device.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { EngineError } from '../../protocol/errors';
import { validate } from '../validate';
import type { Device, ModelResultBase } from '../../protocol/model';
import { neverCancelled, type CancellationLike, type HandlerContext } from '../context';
import { checkCancelled, measureAgainst, openReference, type Reference } from './evaluate';
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
  return readModel(modelPath);
}

export async function referenceFor(job: Job, modelPath: string, device: Device, dataPath: string | undefined, batchSize: number): Promise<Reference> {
  job.progress('Running the original model on the evaluation inputs', 8);
  const reference = await openReference(modelPath, device, { dataPath, batchSize, token: job.token });
  job.notes.push(...reference.notes);
  return reference;
}

/** Writes the model, measures it against the reference, and fills the shared result fields. */
export async function finish(job: Job, source: LoadedModel, reference: Reference, model: ModelProto, out: string): Promise<ModelResultBase & { newSize: number }> {
  job.checkCancelled();
  job.progress('Writing the new model', 85);
  const written = await writeModelAtomic(out, model);
  if (written.externalDataFile) job.notes.push(`Tensors are stored in ${written.externalDataFile} beside the model (external data).`);
  job.progress('Measuring fidelity and speed against the original', 90);
  const { fidelity, speed } = await measureAgainst(reference, out, job.token);
  await reference.session.release();
  job.notes.push(`Speed: medians of ${speed.runs} runs each, batch ${speed.batchSize}, both models on ${reference.executionProvider}, alternating run by run.`);
  job.notes.push(`Fidelity: ${fidelity.inputs}.`);
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
    elapsedMs: Math.round(performance.now() - job.started),
    newSize: written.sizeBytes,
  };
}

export function mb(bytes: number): number {
  return round(bytes / 1e6, 3);
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
