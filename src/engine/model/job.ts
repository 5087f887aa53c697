/**
 * What every model job shares: progress and cancellation, the output path, writing the
 * new model atomically, and measuring it against the original on the same device.
 */
import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { z } from 'zod';
import { EngineError, throwIfCancelled } from '../../protocol/errors';
import { validate } from '../validate';
import { SLOWER_BELOW, type Device, type ExecutionProviderName, type Fidelity, type ModelResultBase, type SpeedMeasurement, type TaskFidelity } from '../../protocol/model';
import { neverCancelled, type CancellationLike, type HandlerContext } from '../context';
import { measureAgainst, MODEL_JOB, openReference, type Reference } from './evaluate';
import { hintsFromModel } from './inputs';
import { readTextFile } from '../../shared/textFile';
import { assertOutputTarget, assertReplaceableModel } from '../../shared/files';
import { externalLocations, readModel, writeModelAtomic, type LoadedModel, type ModelProto } from './onnx';

export type JobContext = Partial<HandlerContext>;

/** What a `badRequest` of a model method tells the user to check (the CLI's options, the protocol). */
export function modelParamsHint(method: string): string {
  return `Check the values: \`pepperpy-opt ${method.replace('/', ' ')} --help\` lists the CLI's options (--data is calibrationData, fineTuneDataset or trainingData; --inputs is inputsPath; --batch-size is batchSize); requests follow src/protocol/model.ts.`;
}

/** Validates parameters (the engine's shared rules) and fills defaults. */
export function parseParams<T extends z.ZodType>(schema: T, params: unknown, method: string): z.infer<T> {
  return validate(schema, params, method, modelParamsHint(method));
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
  /** The job's own token, so that each step can stop with the one model-job message. */
  checkCancelled(): void {
    throwIfCancelled(this.token, MODEL_JOB);
  }
}

/**
 * `<dir>/<name>.<suffix>.onnx` beside the source, unless the caller chose a path. Checked
 * before any work: the output (and the `.data` file it may get) is never the source model or
 * one of its external-data files — compared after resolving symbolic links, so a linked
 * folder or a link to the source cannot hide it — and its folder exists and can take a file.
 * Whatever is already at the path must be an ONNX model (or an empty `.onnx` file): a FIFO, a
 * device, a folder or another file is refused (assertReplaceableModel).
 */
export function outputPath(modelPath: string, suffix: string, outPath?: string): string {
  const out = resolve(outPath ?? join(dirname(modelPath), `${basename(modelPath, extname(modelPath))}.${suffix}.onnx`));
  const protectedFiles = new Map<string, string>();
  const source = realFile(modelPath);
  protectedFiles.set(source, 'the source model');
  for (const location of sourceExternalFiles(modelPath)) protectedFiles.set(realFile(join(dirname(source), location)), `the source model's external data (${location})`);
  for (const candidate of [out, `${out}.data`]) {
    const what = protectedFiles.get(canonical(candidate));
    if (what) throw new EngineError('badRequest', `The output path ${candidate === out ? out : `${out} (with its ${basename(candidate)})`} is ${what}; the source is never overwritten.`, 'Choose another --out path.');
  }
  if (basename(out).length > 240) throw new EngineError('badRequest', `The output file name has ${basename(out).length} characters; file systems take at most 255 (with room for a temporary suffix, 240).`, 'Choose a shorter --out name.');
  let dirStat;
  try {
    dirStat = statSync(dirname(out));
  } catch {
    throw new EngineError('notFound', `The output folder ${dirname(out)} does not exist.`, 'Create it, or choose another --out path.');
  }
  if (!dirStat.isDirectory()) throw new EngineError('badRequest', `The output folder ${dirname(out)} is a file.`, 'Choose an --out path inside a folder.');
  if (existsSync(out) && statSync(out).isDirectory()) throw new EngineError('badRequest', `The output path ${out} is a folder.`, `Give a file name, e.g. ${join(out, basename(`${basename(modelPath, extname(modelPath))}.${suffix}.onnx`))}.`);
  // A rename replaces whatever is at the path: only an existing ONNX model (or nothing) may be there.
  assertReplaceableModel(out);
  assertOutputTarget(`${out}.data`, 'external-data file beside the output', 'Choose another --out path: only a regular file is ever replaced.');
  return out;
}

/** A path with its folder's symbolic links resolved (the file itself need not exist; a link in its place stays a link). */
function canonical(path: string): string {
  const full = resolve(path);
  try {
    if (existsSync(full) && !lstatSync(full).isSymbolicLink()) return realpathSync(full);
    return join(realpathSync(dirname(full)), basename(full));
  } catch {
    return full;
  }
}

/** The file a path finally points to (links followed), or the path as given when it does not exist. */
function realFile(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return canonical(path);
  }
}

/** The external-data files the source model names (empty when it cannot be read: the read reports that later). */
function sourceExternalFiles(modelPath: string): string[] {
  try {
    const full = realpathSync(resolve(modelPath));
    if (statSync(full).size > 2 ** 31) return [];
    return [...externalLocations(readFileSync(full))];
  } catch {
    return [];
  }
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
  if (dataPath) {
    readTextFile(dataPath, 'dataset (--data)', 'text or JSONL', (error) => {
      throw new EngineError('notFound', `Cannot read the dataset (--data) ${dataPath}${error.code ? ` (${error.code})` : ''}.`, 'Check the path: --data takes a text or JSONL file.');
    });
  }
  const reference = await openReference(modelPath, device, { dataPath, inputsPath: options.inputsPath, hints: hintsFromModel(model, modelPath), batchSize, token: job.token });
  // Text is fed only to byte-level language models without --inputs: anywhere else --data would be silently ignored.
  if (dataPath && !reference.evalSet.targets) {
    await reference.session.release();
    throw unusedData(dataPath, modelPath, reference, options.inputsPath);
  }
  job.notes.push(...reference.notes);
  // A reference that outputs NaN or Inf cannot be compared with: say so before any work.
  for (const [b, outs] of reference.outputs.perBatch.entries()) {
    for (const [o, data] of outs.entries()) {
      let bad = -1;
      for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) { bad = i; break; }
      if (bad >= 0) {
        await reference.session.release();
        throw new EngineError('badRequest', `The original model outputs ${Number.isNaN(data[bad]) ? 'NaN' : 'Inf'} on these inputs (output "${reference.outputs.names[o]}", batch ${b + 1}), so nothing can be measured against it.`, options.inputsPath ? `Check the model and the sample inputs in ${options.inputsPath} (NaN/Inf values, or values outside what the model expects).` : 'Check the model (a NaN or Inf weight?) or pass real sample inputs with --inputs.');
      }
    }
  }
  const shapes = reference.evalSet.inputShapes;
  if (shapes) job.notes.push(`Inputs: ${Object.entries(shapes).map(([n, d]) => `${n} [${d.join(', ')}]`).join(', ')}.`);
  return reference;
}

function unusedData(dataPath: string, modelPath: string, reference: Reference, inputsPath: string | undefined): EngineError {
  const lm = reference.evalSet.kind.languageModel;
  const shapes = reference.evalSet.inputShapes ? Object.entries(reference.evalSet.inputShapes).map(([n, d]) => `${n} [${d.join(', ')}]`).join(', ') : undefined;
  const why = inputsPath
    ? `the model is measured on the sample inputs from --inputs (${inputsPath})`
    : lm
      ? `${basename(modelPath)} is a language model with a vocabulary of ${lm.vocab} tokens, and text is fed only to byte-level models (a vocabulary of 256); PepperPy has no tokenizer for it`
      : `${basename(modelPath)} is not a language model${shapes ? ` (its inputs: ${shapes})` : ''}, and --data is text for language models`;
  return new EngineError('badRequest', `--data ${dataPath} would not be used: ${why}.`, inputsPath ? 'Give either --data (text, for a byte-level language model) or --inputs (sample inputs), not both.' : 'Drop --data, or pass real sample inputs with --inputs FILE (JSON, .npy or .npz; see docs/model-optimization.md).');
}

export interface FinishOptions {
  /** Called after the candidate was written and measured, before it is moved to `out` (tests inject failures here). */
  beforeCommit?: (tempPath: string) => void | Promise<void>;
  /** What to try instead when the result is out of tolerance (unfaithfulAlternative). */
  alternative?: string;
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
      measured = await measureAgainst(reference, candidate, job.token, (message) => job.progress(message, message.startsWith('Timing') ? 95 : 92));
    } catch (error) {
      if (error instanceof EngineError && error.code !== 'cancelled') throw new EngineError(error.code, `${error.message.replace(/\.?$/, '.')} Nothing was written to ${out}.`, error.hint);
      throw error;
    }
    await options.beforeCommit?.(candidate);
    job.checkCancelled();
    commitFrom(temp, out, written.externalDataFile);
  } finally {
    await reference.session.release();
    rmSync(temp, { recursive: true, force: true });
  }
  if (written.externalDataFile) job.notes.push(`Tensors are stored in ${written.externalDataFile} beside the model (external data).`);
  job.notes.push(`Checked before writing ${basename(out)}: onnxruntime loads it and its outputs are finite.`);
  job.notes.push(`Speed: medians of ${measured.speed.runs} runs each, batch ${measured.speed.batchSize}, both models on ${reference.executionProvider}, alternating run by run.`);
  return assembleResult(job, { out, sourceBytes: source.sizeBytes, newBytes: written.sizeBytes, fidelity: measured.fidelity, speed: measured.speed, executionProvider: reference.executionProvider, deviceWarning: reference.deviceWarning, alternative: options.alternative });
}

/**
 * Moves a measured candidate from its temporary folder to `out`: its external data first (the
 * model names it by a path relative to itself), then the model, each by an atomic rename.
 * What is at `out` is replaced only when it is an ONNX model (assertReplaceableModel): never a
 * FIFO, a device, a folder or any other file.
 */
export function commitFrom(temp: string, out: string, externalDataFile: string | undefined): void {
  // Checked again at the last moment: something may have been put at `out` while the model was measured.
  assertReplaceableModel(out);
  if (externalDataFile) assertOutputTarget(join(dirname(out), externalDataFile), 'external-data file beside the output', 'Choose another --out path: only a regular file is ever replaced.');
  if (externalDataFile) renameSync(join(temp, externalDataFile), join(dirname(out), externalDataFile));
  renameSync(join(temp, basename(out)), out);
}

/** What a written and measured model is, for assembleResult. */
export interface ResultMeasurement {
  out: string;
  sourceBytes: number;
  newBytes: number;
  fidelity: Fidelity;
  speed: SpeedMeasurement;
  executionProvider: ExecutionProviderName;
  /** An explicit device that could not start (deviceFallbackWarning). */
  deviceWarning?: string;
  /** What to try instead when the result is out of tolerance. */
  alternative?: string;
}

/**
 * The result every model verb returns, in-memory or streamed: sizes, speed, fidelity, the
 * notes that say how they were measured, the warnings the user must see, and whether the
 * result is faithful (task fidelity within tolerance) with the reason and the alternative when not.
 */
export function assembleResult(job: Job, m: ResultMeasurement): ModelResultBase & { newSize: number } {
  const { fidelity, speed } = m;
  job.notes.push(`Fidelity: ${fidelity.inputs}.`);
  if (fidelity.task) job.notes.push(`Task fidelity (${fidelity.task.metric}): ${fidelity.task.description}.`);
  const verdict = faithfulness(fidelity.task, m.alternative);
  const warnings = [...job.warnings, ...resultWarnings(m.sourceBytes, m.newBytes, speed, m.executionProvider, fidelity.task, m.deviceWarning, verdict.unfaithful?.alternative)];
  job.progress('Done', 100);
  return {
    path: m.out,
    originalSize: m.sourceBytes,
    originalSizeMb: mb(m.sourceBytes),
    sizeReductionPercent: round((1 - m.newBytes / m.sourceBytes) * 100, 2),
    measuredSpeedup: round(speed.speedup, 3),
    speed,
    fidelity,
    executionProvider: m.executionProvider,
    notes: job.notes,
    ...(warnings.length > 0 ? { warnings } : {}),
    faithful: verdict.faithful,
    ...(verdict.unfaithful ? { unfaithful: verdict.unfaithful } : {}),
    elapsedMs: Math.round(performance.now() - job.started),
    newSize: m.newBytes,
  };
}

/** Generic advice when the verb gave none. */
const DEFAULT_ALTERNATIVE = 'keep the original model, or try a milder setting of this operation';

/** Faithful when the task metric is within tolerance (no task verdict: nothing says it is not). */
export function faithfulness(task: TaskFidelity | undefined, alternative?: string): { faithful: boolean; unfaithful?: { reason: string; alternative: string } } {
  if (!task || task.withinTolerance) return { faithful: true };
  return { faithful: false, unfaithful: { reason: `task fidelity out of tolerance: ${task.description}`, alternative: alternative ?? DEFAULT_ALTERNATIVE } };
}

/** The request a verb ran, as unfaithfulAlternative needs it. */
export type AlternativeRequest =
  | { verb: 'quantize'; bits: number; quantizationType: string; inputsPath?: string }
  | { verb: 'prune'; sparsity: number; fineTune: boolean; inputsPath?: string }
  | { verb: 'compress'; method: string; targetSizeRatio?: number; inputsPath?: string }
  | { verb: 'optimize'; precision: string; inputsPath?: string };

/**
 * What to try instead of a result whose task fidelity is out of tolerance: the next milder
 * setting of the same verb (the CLI option and the request field), then real samples when the
 * measurement used generated inputs.
 */
export function unfaithfulAlternative(r: AlternativeRequest): string {
  let milder: string;
  switch (r.verb) {
    case 'quantize':
      if (r.quantizationType === 'float') milder = 'keep the fp32 model: even 16-bit weights change its task output beyond the tolerance';
      else if (r.bits < 8) milder = `--bits 8 (bits: 8), which keeps far more precision than ${r.bits} bits, or --type float --bits 16 (fp16 weights)`;
      else milder = '--type float --bits 16 (quantizationType float: fp16 weights, half the size, compute stays fp32)';
      break;
    case 'prune':
      milder = `--sparsity auto (sparsity: 'auto', the largest sparsity within tolerance) or a lower --sparsity than ${r.sparsity} (e.g. ${round(r.sparsity / 2, 3)})${r.fineTune ? '' : ', or --fine-tune --data FILE (fineTune) to re-fit the kept weights'}, or model quantize --bits 8`;
      break;
    case 'compress':
      milder = r.method === 'low_rank'
        ? `${(r.targetSizeRatio ?? 0.5) < 1 ? `a larger --target-size than ${r.targetSizeRatio ?? 0.5} (targetSizeRatio) or ` : ''}--target-error (targetError) to bound each layer's error, or model quantize --bits 8`
        : 'more --num-layers / --intermediate-ratio (studentModelConfig) or more --epochs with --data, or model quantize --bits 8';
      break;
    case 'optimize':
      milder = r.precision === 'fp32' ? '--no-compile (compile: false: basic graph optimizations only)' : `--precision fp32 (precision: graph optimizations without ${r.precision})`;
      break;
  }
  return r.inputsPath ? milder : `${milder}; and if the generated evaluation inputs are not what the model sees in use, measure on real samples with --inputs FILE (inputsPath)`;
}

/** What the user must see: an explicit device that fell back to another, a result larger or slower than its source, or task fidelity out of tolerance (with what to try instead). */
export function resultWarnings(sourceBytes: number, newBytes: number, speed: { referenceMs: number; optimizedMs: number; speedup: number; batchSize: number }, ep: string, task: TaskFidelity | undefined, deviceWarning?: string, alternative?: string): string[] {
  const warnings: string[] = deviceWarning ? [deviceWarning] : [];
  if (newBytes > sourceBytes) warnings.push(`The result is LARGER than the source: ${mb(newBytes)} MB vs ${mb(sourceBytes)} MB (+${(((newBytes - sourceBytes) / sourceBytes) * 100).toFixed(1)}%).`);
  if (speed.speedup < SLOWER_BELOW) warnings.push(`The result is SLOWER than the source on ${ep}: ${speed.speedup.toFixed(2)}× (median ${speed.optimizedMs.toFixed(2)} ms vs ${speed.referenceMs.toFixed(2)} ms at batch ${speed.batchSize}, ${((1 / speed.speedup - 1) * 100).toFixed(0)}% more time).`);
  if (task && !task.withinTolerance) warnings.push(`Task fidelity is out of tolerance: ${task.description}. The model was written, but it is not faithful${alternative ? `; try instead: ${alternative}` : ''}.`);
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
