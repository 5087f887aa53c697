/**
 * The Model Optimization panel's data: the run the user can launch (validated with zod,
 * because it comes from the webview), the runs the host keeps in its history, and the
 * state it sends. Shared by the extension host and the webview; no Node, DOM or `vscode`
 * imports. The engine's own parameter schemas (./model) check the figures again.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import { SLOWER_BELOW, type CompressedModel, type ExecutionProviderName, type ModelInspection, type PrunedModel, type QuantCandidate, type QuantFormat, type TaskFidelity } from './model';

export const MODEL_OPERATIONS = ['quantize', 'prune', 'compress', 'optimize'] as const;
export type ModelOperation = (typeof MODEL_OPERATIONS)[number];

export const OPERATION_LABELS: Readonly<Record<ModelOperation, string>> = {
  quantize: 'Quantize',
  prune: 'Prune',
  compress: 'Compress',
  optimize: 'Optimize for a device',
};

/** The names onnxruntime gives the providers, as users see them in its logs and docs. */
export const PROVIDER_NAMES: Readonly<Record<ExecutionProviderName, string>> = {
  cpu: 'CPUExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
};

/** A run id: what the history knows a run by (no path separators, ever). */
export const ModelRunIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'Unknown run id');

/**
 * A validation message in the user's language. Zod calls it when an issue is raised, so the
 * lookup happens after the webview (or the extension) configured @vscode/l10n; a string
 * written here would be fixed in English when this module loads.
 */
const say = (message: () => string) => ({ error: message });
const modelPath = z
  .string(say(() => l10n.t('Choose the model (an .onnx file)')))
  .trim()
  .min(1, say(() => l10n.t('Choose the model (an .onnx file)')))
  .max(4096, say(() => l10n.t('The model path is too long')));
/** An optional path; empty means "not given". `tooLong` names the field. */
const optionalPath = (tooLong: () => string) => z.string().trim().max(4096, say(tooLong)).optional();
const device = z.enum(['auto', 'cpu', 'webgpu', 'cuda'], say(() => l10n.t('Device must be auto, cpu, webgpu or cuda')));
const ratio = (what: () => string) =>
  z
    .number(say(() => l10n.t('{0} must be a number', what())))
    .gt(0, say(() => l10n.t('{0} must be above 0', what())))
    .max(1, say(() => l10n.t('{0} must be at most 1', what())));
/** A figure the engine can find itself: `'auto'`, or the number (whose own range messages stay). */
const autoOr = (inner: z.ZodNumber, message: () => string) => z.union([z.literal('auto'), inner], say(message));

/** Sample inputs the engine measures (and calibrates) on: JSON, NumPy .npy or .npz, a PNG image or a WAV recording. */
const inputsPath = optionalPath(() => l10n.t('The sample inputs path is too long')).refine((p) => p === undefined || p === '' || /\.(json|npy|npz|png|wav)$/i.test(p), say(() => l10n.t('Sample inputs must be a .json, .npy, .npz, .png or .wav file')));

const common = {
  modelPath,
  /** Empty: `<name>.<operation…>.onnx` beside the source. */
  outPath: optionalPath(() => l10n.t('The output path is too long')),
  device,
  /** Empty: the engine generates inputs from the model's own declarations (and says what it made). */
  inputsPath,
};

/** The quantization formats as the form names them; `auto` times the others and keeps the fastest faithful one. */
export const QUANT_FORMAT_CHOICES = ['auto', 'dynamic', 'qdq', 'weight-only', 'nbits'] as const;
export type QuantFormatChoice = (typeof QUANT_FORMAT_CHOICES)[number];
export const QUANT_FORMAT_LABELS: Readonly<Record<QuantFormatChoice, string>> = {
  auto: 'Automatic (fastest faithful)',
  dynamic: 'Dynamic int8',
  qdq: 'Static QDQ',
  'weight-only': 'Weight-only',
  nbits: 'MatMulNBits',
};

/** The file dialogs the form can ask the host for. */
export const MODEL_BROWSE_FIELDS = ['calibrationData', 'fineTuneDataset', 'trainingData', 'inputsPath', 'outPath'] as const;
export type ModelBrowseField = (typeof MODEL_BROWSE_FIELDS)[number];

/** What the panel's form sends; relative paths resolve against the first workspace folder. */
export const ModelRunRequestSchema = z.discriminatedUnion('operation', [
  z
    .object({
      operation: z.literal('quantize'),
      ...common,
      quantizationType: z.enum(['int', 'float', 'dynamic'], say(() => l10n.t('Type must be int, float or dynamic'))),
      bits: z.union([z.literal(8), z.literal(4), z.literal(3), z.literal(2)], say(() => l10n.t('Bits must be 8, 4, 3 or 2'))),
      method: z.enum(['rtn', 'hqq', 'gptq'], say(() => l10n.t('Method must be rtn, hqq or gptq'))),
      blockSize: z
        .number(say(() => l10n.t('Block size must be a number')))
        .int(say(() => l10n.t('Block size must be a whole number')))
        .min(16, say(() => l10n.t('Block size must be 16 to 256')))
        .max(256, say(() => l10n.t('Block size must be 16 to 256')))
        .refine((n) => (n & (n - 1)) === 0, say(() => l10n.t('Block size must be a power of two (16, 32, 64, 128 or 256)'))),
      floatFormat: z.enum(['fp16', 'bf16']).optional(),
      /** For int quantization; absent in runs saved before formats were chosen (the engine's default, auto). */
      format: z.enum(QUANT_FORMAT_CHOICES, say(() => l10n.t('Format must be auto, dynamic, qdq, weight-only or nbits'))).optional(),
      calibrationData: optionalPath(() => l10n.t('The calibration data path is too long')),
    })
    .strict()
    .refine((r) => r.method === 'rtn' || (r.quantizationType === 'int' && r.bits !== 8), { ...say(() => l10n.t('HQQ and GPTQ apply to 4, 3 and 2-bit int quantization; use rtn for 8 bits, dynamic and float')), path: ['method'] })
    .refine((r) => r.quantizationType !== 'dynamic' || r.bits === 8, { ...say(() => l10n.t('Dynamic quantization is 8-bit only')), path: ['bits'] })
    .refine((r) => r.quantizationType !== 'int' || !(r.format === 'dynamic' || r.format === 'qdq' || r.format === 'weight-only') || r.bits === 8, { ...say(() => l10n.t('Dynamic int8, Static QDQ and Weight-only store 8-bit weights: choose 8 bits, or Automatic / MatMulNBits for 4, 3 and 2 bits')), path: ['format'] })
    .refine((r) => r.method !== 'gptq' || !!r.calibrationData, { ...say(() => l10n.t('GPTQ needs calibration data (a text or JSONL file)')), path: ['calibrationData'] }),
  z
    .object({
      operation: z.literal('prune'),
      ...common,
      /** 'auto' (the default): the engine tries several and keeps the largest whose task fidelity stays within tolerance. */
      sparsity: autoOr(z.number().min(0, say(() => l10n.t('Sparsity must be between 0 and 0.99'))).max(0.99, say(() => l10n.t('Sparsity must be between 0 and 0.99'))), () => l10n.t('Sparsity must be a number from 0 to 0.99, or auto')),
      method: z.enum(['magnitude', 'random', 'structured'], say(() => l10n.t('Method must be magnitude, random or structured'))),
      activationAware: z.boolean(),
      fineTune: z.boolean(),
      fineTuneDataset: optionalPath(() => l10n.t('The fine-tuning dataset path is too long')),
      fineTuneEpochs: z.number(say(() => l10n.t('Epochs must be a number'))).int(say(() => l10n.t('Epochs must be a whole number'))).min(1, say(() => l10n.t('Epochs must be 1 to 20'))).max(20, say(() => l10n.t('Epochs must be 1 to 20'))),
    })
    .strict()
    .refine((r) => !r.fineTune || !!r.fineTuneDataset, { ...say(() => l10n.t('Fine-tuning needs a dataset file')), path: ['fineTuneDataset'] }),
  z
    .object({
      operation: z.literal('compress'),
      ...common,
      method: z.enum(['low_rank', 'distillation', 'knowledge_distillation'], say(() => l10n.t('Method must be low_rank, distillation or knowledge_distillation'))),
      /** low_rank: 'auto' (the default) tries several and keeps the smallest whose task fidelity stays within tolerance. */
      targetSizeRatio: autoOr(ratio(() => l10n.t('Target size ratio')), () => l10n.t('Target size ratio must be a number above 0 and at most 1, or auto')).optional(),
      targetError: ratio(() => l10n.t('Target error')).optional(),
      numLayers: z.number(say(() => l10n.t('Layers must be a number'))).int(say(() => l10n.t('Layers must be a whole number'))).min(0, say(() => l10n.t('Layers cannot be negative'))).max(10_000, say(() => l10n.t('Layers must be at most 10,000'))).optional(),
      intermediateRatio: ratio(() => l10n.t('Intermediate ratio')).optional(),
      trainingData: optionalPath(() => l10n.t('The training data path is too long')),
      epochs: z.number(say(() => l10n.t('Epochs must be a number'))).int(say(() => l10n.t('Epochs must be a whole number'))).min(1, say(() => l10n.t('Epochs must be 1 to 20'))).max(20, say(() => l10n.t('Epochs must be 1 to 20'))),
    })
    .strict()
    .refine((r) => r.method !== 'low_rank' || r.targetSizeRatio !== 'auto' || r.targetError === undefined, { ...say(() => l10n.t('The automatic size target and a target error exclude each other: uncheck Automatic to factor to the target error')), path: ['targetError'] })
    // Neither would be the engine's automatic target too: the form says which it sends.
    .refine((r) => r.method !== 'low_rank' || r.targetSizeRatio !== undefined || r.targetError !== undefined, { ...say(() => l10n.t('Low-rank needs a target: check Automatic, or give a target size ratio (0-1) or a target error')), path: ['targetSizeRatio'] }),
  z
    .object({
      operation: z.literal('optimize'),
      ...common,
      optimizationTarget: z.enum(['latency', 'throughput', 'memory', 'balanced'], say(() => l10n.t('Target must be latency, throughput, memory or balanced'))),
      precision: z.enum(['fp32', 'fp16', 'bf16', 'int8'], say(() => l10n.t('Precision must be fp32, fp16, bf16 or int8'))),
      batchSize: z.number(say(() => l10n.t('Batch size must be a number'))).int(say(() => l10n.t('Batch size must be a whole number'))).min(1, say(() => l10n.t('Batch size must be 1 to 4096'))).max(4096, say(() => l10n.t('Batch size must be 1 to 4096'))),
    })
    .strict(),
]);
export type ModelRunRequest = z.input<typeof ModelRunRequestSchema>;

/**
 * The number an automatic field shows when the user unchecks Automatic (the seed's values:
 * sparsity 0.3 is the Python PepperPy `optimization` module's ModelPruner example),
 * and the only figures the panel itself makes up: the engine's search finds the real ones.
 */
export const MANUAL_START: Readonly<{ sparsity: number; targetSizeRatio: number }> = { sparsity: 0.3, targetSizeRatio: 0.5 };

/** Form defaults for each operation (the model path and device are kept across switches); prune's sparsity and low-rank's size target are automatic. */
export function defaultRequest(operation: ModelOperation, modelPath: string, device: ModelRunRequest['device'] = 'auto'): ModelRunRequest {
  switch (operation) {
    case 'quantize':
      return { operation, modelPath, device, quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32, format: 'auto' };
    case 'prune':
      return { operation, modelPath, device, sparsity: 'auto', method: 'magnitude', activationAware: false, fineTune: false, fineTuneEpochs: 1 };
    case 'compress':
      return { operation, modelPath, device, method: 'low_rank', targetSizeRatio: 'auto', epochs: 1 };
    case 'optimize':
      return { operation, modelPath, device, optimizationTarget: 'latency', precision: 'fp32', batchSize: 1 };
  }
}

export type ModelRunStatus = 'completed' | 'cancelled' | 'failed';

/** The figures of a finished run that the panel draws (from the engine's result). */
export interface ModelRunFigures {
  originalSize: number;
  newSize: number;
  sizeReductionPercent: number;
  measuredSpeedup: number;
  referenceMs: number;
  optimizedMs: number;
  cosineSimilarity: number;
  top1Agreement?: number;
  lossIncreasePercent?: number;
  referencePerplexity?: number;
  perplexity?: number;
  fidelityInputs: string;
  executionProvider: ExecutionProviderName;
  /** One line of what was produced (format, storage, steps). */
  detail: string;
  notes: string[];
  // Filled by engines that report them; runs saved before lack them, so every reader checks.
  /** What the user must see first: slower or larger than the source, fidelity out of tolerance. */
  warnings?: string[];
  /** The task-level fidelity measure, the number of samples and the input shapes it was measured on. */
  task?: TaskFidelity;
  fidelitySamples?: number;
  inputShapes?: Record<string, number[]>;
  /** Quantize: the format that was kept, why, and the candidates that were measured. */
  chosenFormat?: QuantFormat;
  formatReason?: string;
  candidates?: QuantCandidate[];
  layersByOp?: Record<string, number>;
  /** Prune with sparsity 'auto': every sparsity tried, its task verdict and size (the engine's own list). */
  sparsitySearch?: PrunedModel['sparsitySearch'];
  /** Low-rank with the automatic size target: every ratio tried, its task verdict, or why it was skipped. */
  rankSearch?: CompressedModel['rankSearch'];
}

/** One run in the history. `result` is the engine's answer as it came (for "Copy result JSON"). */
export interface ModelRunRecord {
  id: string;
  operation: ModelOperation;
  /** A short label: "q8 int rtn", "prune 30% magnitude", … */
  label: string;
  request: ModelRunRequest;
  modelPath: string;
  outPath: string;
  status: ModelRunStatus;
  startedAt: string;
  durationMs: number;
  /** The device the user asked for; the provider that ran is in `figures`. */
  device: ModelRunRequest['device'];
  figures?: ModelRunFigures;
  /** Why it failed, or that it was cancelled. */
  error?: string;
  result?: unknown;
}

export interface ModelViewState {
  /** The model the form works on; `inspection` once `model/inspect` answered. */
  model?: { path: string; name: string; inspection?: ModelInspection; error?: string; inspecting?: boolean };
  form: ModelRunRequest;
  running?: { id: string; title: string; message: string; percent?: number };
  /** Newest first; without `result` (the webview does not draw it). */
  runs: ModelRunRecord[];
  selectedId?: string;
  /** A path the user chose with a dialog, for the webview to put in `field`; `seq` tells repeats apart. */
  browsed?: { field: ModelBrowseField; path: string; seq: number };
  error?: string;
  notice?: string;
}

/** `<dir>/<name>.<suffix>.onnx` beside the source, without Node's path module (the webview shows it too). */
export function defaultOutputPath(modelPath: string, request: ModelRunRequest): string {
  return `${modelPath.replace(/\.onnx$/i, '')}.${outputSuffix(request)}.onnx`;
}

/** The middle part of the default output name, as the engine's CLI names its outputs. */
export function outputSuffix(request: ModelRunRequest): string {
  switch (request.operation) {
    case 'quantize':
      if (request.quantizationType === 'float') return request.floatFormat ?? 'fp16';
      return `${request.quantizationType === 'dynamic' ? 'dyn' : 'q'}${request.bits}${request.method === 'rtn' ? '' : `-${request.method}`}`;
    case 'prune':
      return request.sparsity === 'auto' ? 'pruned-auto' : `pruned${Math.round(request.sparsity * 100)}`;
    case 'compress':
      return request.method !== 'low_rank' ? 'distilled' : request.targetSizeRatio === 'auto' ? 'lowrank-auto' : 'lowrank';
    case 'optimize':
      return `opt-${request.precision}`;
  }
}

/**
 * A short label for the history and the chart. An automatic figure reads "auto" until the
 * run has one: `kept` (from keptValue) is the value the engine's search kept.
 */
export function runLabel(request: ModelRunRequest, kept?: number): string {
  const found = kept !== undefined && Number.isFinite(kept) ? `${Math.round(kept * 100)}% (auto)` : 'auto';
  switch (request.operation) {
    case 'quantize':
      if (request.quantizationType === 'float') return `${request.floatFormat ?? 'fp16'} weights`;
      return `${request.quantizationType} ${request.bits}-bit ${request.method}${request.quantizationType === 'int' && request.format && request.format !== 'auto' ? ` ${request.format}` : ''}`;
    case 'prune':
      return `prune ${request.sparsity === 'auto' ? found : `${Math.round(request.sparsity * 100)}%`} ${request.method}${request.activationAware ? ' (activation-aware)' : ''}${request.fineTune ? ' + fine-tune' : ''}`;
    case 'compress':
      return `compress ${request.method}${request.method === 'low_rank' && request.targetSizeRatio === 'auto' ? ` ${found}` : ''}`;
    case 'optimize':
      return `optimize ${request.precision} for ${request.optimizationTarget}`;
  }
}

// ---- What the result shows: pure formatting, shared by the webview and the tests ----------
// Runs saved by earlier versions lack the optional figures, and a hand-edited history can
// hold anything: every reader below checks what it uses.

/** Bytes as the panel shows them. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}

/** A share in percent with one decimal ("98.8 %"), "100 %" only when it is exactly 1. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share)) return '—';
  if (share === 1) return '100 %';
  const tenths = Math.min(Math.round(share * 1000), 999);
  const text = (tenths / 10).toFixed(1);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text} %`;
}

/** A speedup as measured ("1.84×"). */
export function formatSpeedup(speedup: number): string {
  return Number.isFinite(speedup) && speedup > 0 ? `${speedup.toFixed(2)}×` : '—';
}

/** The size change from `before` to `after` bytes: "74.9 % smaller", "+6.5 % larger" (never a "reduction"), or "same size". */
export function sizeChange(before: number, after: number): { text: string; larger: boolean } {
  if (!(before > 0) || !Number.isFinite(after) || after < 0) return { text: '—', larger: false };
  if (after === before) return { text: l10n.t('same size'), larger: false };
  const pct = (Math.abs(after - before) / before) * 100;
  const amount = pct < 0.05 ? '<0.1' : pct.toFixed(1);
  return after > before ? { text: l10n.t('+{0} % larger', amount), larger: true } : { text: l10n.t('{0} % smaller', amount), larger: false };
}

export const TASK_METRIC_LABELS: Readonly<Record<TaskFidelity['metric'], string>> = {
  top1Agreement: 'top-1 agreement',
  maskIoU: 'mask IoU',
  decisionAgreement: 'decision agreement',
  lossIncreasePercent: 'loss increase',
  ctcAgreement: 'CTC decode agreement',
  cosine: 'output cosine',
};

/** A metric's words in the user's language (the constant above stays English for the host and tests). */
function metricLabel(metric: TaskFidelity['metric']): string {
  switch (metric) {
    case 'top1Agreement':
      return l10n.t('top-1 agreement');
    case 'maskIoU':
      return l10n.t('mask IoU');
    case 'decisionAgreement':
      return l10n.t('decision agreement');
    case 'lossIncreasePercent':
      return l10n.t('loss increase');
    case 'ctcAgreement':
      return l10n.t('CTC decode agreement');
    case 'cosine':
      return l10n.t('output cosine');
    default:
      return TASK_METRIC_LABELS[metric] ?? metric;
  }
}

function isTask(task: unknown): task is TaskFidelity {
  return typeof task === 'object' && task !== null && typeof (task as TaskFidelity).metric === 'string' && typeof (task as TaskFidelity).value === 'number';
}

/** One task measure: "top-1 agreement 100 %", "mask IoU 0.962", "loss increase +0.42 %", "output cosine 0.99987". */
export function taskFidelityText(task: TaskFidelity): string {
  const label = metricLabel(task.metric);
  switch (task.metric) {
    case 'top1Agreement':
    case 'decisionAgreement':
    case 'ctcAgreement':
      return `${label} ${formatShare(task.value)}`;
    case 'maskIoU':
      return `${label} ${task.value.toFixed(3)}`;
    case 'lossIncreasePercent':
      return `${label} ${task.value >= 0 ? '+' : '−'}${Math.abs(task.value).toFixed(2)} %`;
    default:
      return `${label} ${task.value.toFixed(5)}`;
  }
}

/** Input shapes as "pixel_values 1×3×224×224, sr scalar". */
export function inputShapesText(shapes: Record<string, number[]> | undefined): string {
  if (!shapes || typeof shapes !== 'object') return '';
  return Object.entries(shapes)
    .filter(([, dims]) => Array.isArray(dims))
    .map(([name, dims]) => `${name} ${dims.length === 0 ? l10n.t('scalar') : dims.join('×')}`)
    .join(', ');
}

/** The task-level fidelity line: "top-1 agreement 100 % on 8 samples (pixel_values 1×3×224×224)", or undefined without a task measure. */
export function taskFidelityLine(figures: Pick<ModelRunFigures, 'task' | 'fidelitySamples' | 'inputShapes'>): string | undefined {
  if (!isTask(figures.task)) return undefined;
  const n = figures.fidelitySamples;
  const shapes = inputShapesText(figures.inputShapes);
  const on = typeof n === 'number' && n > 0 ? (n === 1 ? l10n.t(' on 1 sample') : l10n.t(' on {0} samples', n)) : '';
  return `${taskFidelityText(figures.task)}${on}${shapes ? ` (${shapes})` : ''}${figures.task.withinTolerance ? '' : l10n.t(' — out of tolerance')}`;
}

/** The format that was kept, in the form's words ("Dynamic int8"); undefined for runs without a choice. */
export function chosenFormatLabel(figures: Pick<ModelRunFigures, 'chosenFormat'>): string | undefined {
  const f = figures.chosenFormat;
  return typeof f === 'string' ? (QUANT_FORMAT_LABELS[f as QuantFormatChoice] ?? f) : undefined;
}

export interface CandidateRow {
  format: string;
  description: string;
  /** The description again when another row has the same format (block sizes, accuracy levels), so the rows can be told apart; else empty. */
  variant: string;
  size: string;
  larger: boolean;
  speedup: string;
  /** The measured speedup (0 when the candidate was not timed). */
  speedupValue: number;
  slower: boolean;
  fidelity: string;
  withinTolerance: boolean;
  verdict: string;
  chosen: boolean;
}

/** The runners-up table: the chosen candidate first, then the fastest; sizes against the source's. */
export function candidateRows(figures: Pick<ModelRunFigures, 'candidates' | 'originalSize'>): CandidateRow[] {
  const list = Array.isArray(figures.candidates) ? figures.candidates.filter((c) => typeof c === 'object' && c !== null && typeof c.format === 'string') : [];
  const speed = (c: QuantCandidate) => (Number.isFinite(c.speedup) ? c.speedup : 0);
  const ordered = [...list].sort((a, b) => Number(b.chosen === true) - Number(a.chosen === true) || speed(b) - speed(a));
  const seen = new Map<string, number>();
  for (const c of ordered) seen.set(c.format, (seen.get(c.format) ?? 0) + 1);
  return ordered.map((c) => {
    const description = typeof c.description === 'string' ? c.description : '';
    const built = typeof c.sizeBytes === 'number' && c.sizeBytes > 0;
    const change = built ? sizeChange(figures.originalSize, c.sizeBytes) : { text: '', larger: false };
    // A candidate that was not built or not timed has no fidelity to show (its fidelity field carries no measurement).
    const timed = Number.isFinite(c.speedup) && c.speedup > 0;
    const task = timed && isTask(c.fidelity) && Number.isFinite(c.fidelity.value) && c.fidelity.description !== 'not measured' ? c.fidelity : undefined;
    return {
      format: QUANT_FORMAT_LABELS[c.format as QuantFormatChoice] ?? c.format,
      description,
      variant: (seen.get(c.format) ?? 0) > 1 ? description : '',
      size: built ? `${formatBytes(c.sizeBytes)} (${change.text})` : '—',
      larger: change.larger,
      speedup: formatSpeedup(c.speedup),
      speedupValue: speed(c),
      slower: Number.isFinite(c.speedup) && c.speedup > 0 && c.speedup < 1,
      fidelity: task ? taskFidelityText(task) : '—',
      withinTolerance: task?.withinTolerance ?? false,
      verdict: typeof c.verdict === 'string' ? c.verdict : '',
      chosen: c.chosen === true,
    };
  });
}

export interface SearchRow {
  /** The value tried: "50 %". */
  value: string;
  /** Its task fidelity ("top-1 agreement 93.8 %"), or "—" when it was skipped. */
  fidelity: string;
  withinTolerance: boolean;
  /** The candidate model's size against the source's, or "—" when it was skipped. */
  size: string;
  larger: boolean;
  verdict: string;
  kept: boolean;
}

export interface SearchView {
  /** "Automatic sparsity" or "Automatic size target". */
  title: string;
  /** What was kept and why, in one sentence. */
  summary: string;
  /** The value kept (a share, 0-1), undefined when none of the tries was within tolerance. */
  kept?: number;
  /** Every value tried, in increasing order. */
  rows: SearchRow[];
}

interface Try {
  value: number;
  withinTolerance: boolean;
  task?: TaskFidelity;
  sizeBytes?: number;
  skipped?: string;
}

/** The engine's search list as tries, whatever a saved (or hand-edited) history holds. */
function searchTries(figures: Pick<ModelRunFigures, 'sparsitySearch' | 'rankSearch'>): { kind: 'sparsity' | 'targetSizeRatio'; tries: Try[] } | undefined {
  const entries = (list: unknown): Record<string, unknown>[] => (Array.isArray(list) ? list.filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null) : []);
  const triesOf = (list: unknown, key: 'sparsity' | 'targetSizeRatio'): Try[] =>
    entries(list)
      .filter((t) => typeof t[key] === 'number' && Number.isFinite(t[key]))
      .map((t) => {
        const skipped = typeof t.skipped === 'string' ? t.skipped : undefined;
        const measured = skipped === undefined && typeof t.metric === 'string' && typeof t.value === 'number' && Number.isFinite(t.value);
        return {
          value: t[key] as number,
          withinTolerance: measured && t.withinTolerance === true,
          ...(measured ? { task: { metric: t.metric as TaskFidelity['metric'], value: t.value as number, withinTolerance: t.withinTolerance === true, description: '' } } : {}),
          ...(measured && typeof t.sizeBytes === 'number' && t.sizeBytes > 0 ? { sizeBytes: t.sizeBytes } : {}),
          ...(skipped !== undefined ? { skipped } : measured ? {} : { skipped: 'not measured' }),
        };
      })
      .sort((a, b) => a.value - b.value);
  const sparsity = triesOf(figures.sparsitySearch, 'sparsity');
  if (sparsity.length > 0) return { kind: 'sparsity', tries: sparsity };
  const ratios = triesOf(figures.rankSearch, 'targetSizeRatio');
  return ratios.length > 0 ? { kind: 'targetSizeRatio', tries: ratios } : undefined;
}

/**
 * The value an automatic search kept, by the engine's rule: the largest sparsity, or the
 * smallest size ratio, whose task fidelity stayed within tolerance. Undefined for runs
 * without a search.
 */
export function keptValue(figures: Pick<ModelRunFigures, 'sparsitySearch' | 'rankSearch'>): number | undefined {
  const search = searchTries(figures);
  const faithful = search?.tries.filter((t) => t.withinTolerance).map((t) => t.value) ?? [];
  if (faithful.length === 0) return undefined;
  return search?.kind === 'sparsity' ? Math.max(...faithful) : Math.min(...faithful);
}

/** A share as the search shows it: "50 %", "5 %", "12.5 %". */
function searchValue(v: number): string {
  const pct = Math.round(v * 1000) / 10;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)} %`;
}

/** The automatic search of a prune or low-rank run: every value tried with its verdict, and the one kept. */
export function searchView(figures: Pick<ModelRunFigures, 'sparsitySearch' | 'rankSearch' | 'originalSize'>): SearchView | undefined {
  const search = searchTries(figures);
  if (!search) return undefined;
  const kept = keptValue(figures);
  const sparsity = search.kind === 'sparsity';
  const n = search.tries.length;
  const rows = search.tries.map((t): SearchRow => {
    const isKept = t.value === kept;
    const change = t.sizeBytes !== undefined ? sizeChange(figures.originalSize, t.sizeBytes) : undefined;
    return {
      value: searchValue(t.value),
      fidelity: t.task ? taskFidelityText(t.task) : '—',
      withinTolerance: t.withinTolerance,
      size: t.sizeBytes !== undefined && change ? `${formatBytes(t.sizeBytes)} (${change.text})` : '—',
      larger: change?.larger ?? false,
      verdict:
        t.skipped !== undefined
          ? l10n.t('skipped: {0}', t.skipped)
          : isKept
            ? sparsity
              ? l10n.t('kept: the largest sparsity within tolerance')
              : l10n.t('kept: the smallest size within tolerance')
            : t.withinTolerance
              ? l10n.t('within tolerance')
              : l10n.t('out of tolerance'),
      kept: isKept,
    };
  });
  const tried = n === 1 ? l10n.t('1 value tried') : l10n.t('{0} values tried', n);
  const summary =
    kept === undefined
      ? l10n.t('None of the {0} kept the task within tolerance.', tried)
      : sparsity
        ? l10n.t('Kept {0}: the largest sparsity whose task fidelity stayed within tolerance ({1}).', searchValue(kept), tried)
        : l10n.t('Kept {0} of each factored layer: the smallest size whose task fidelity stayed within tolerance ({1}).', searchValue(kept), tried);
  return { title: sparsity ? l10n.t('Automatic sparsity') : l10n.t('Automatic size target'), summary, ...(kept !== undefined ? { kept } : {}), rows };
}

/**
 * What the panel adds under an automatic run the engine refused ('unsupported: …', nothing
 * written): the form's way to the engine's "an explicit value writes it anyway".
 */
export function automaticRefusalHint(request: ModelRunRequest, error: string | undefined): string | undefined {
  if (typeof error !== 'string' || !error.startsWith('unsupported:')) return undefined;
  // No layer the operation applies to ("… and this model has none"): no sparsity or ratio would help.
  if (/this model has none/.test(error)) return undefined;
  if (request.operation === 'prune' && request.sparsity === 'auto') return l10n.t('To prune anyway, uncheck "Automatic" beside Sparsity and give a sparsity: the model is then written and its fidelity reported, within tolerance or not.');
  if (request.operation === 'compress' && request.method === 'low_rank' && request.targetSizeRatio === 'auto') return l10n.t('To factor anyway, uncheck "Automatic" beside Target size ratio and give a ratio or a target error: the model is then written and its fidelity reported, within tolerance or not.');
  return undefined;
}

/**
 * What the user must see before anything else: the engine's warnings, plus the ones the
 * figures themselves show when the engine did not say them (runs from older engines): a
 * result larger or slower than its source, task fidelity out of tolerance.
 */
export function resultWarnings(figures: ModelRunFigures): string[] {
  const out = Array.isArray(figures.warnings) ? [...new Set(figures.warnings.filter((w): w is string => typeof w === 'string' && w.trim() !== ''))] : [];
  const said = (pattern: RegExp) => out.some((w) => pattern.test(w));
  const change = sizeChange(figures.originalSize, figures.newSize);
  if (change.larger && !said(/larger/i)) out.push(l10n.t('Larger than the source: {0} ({1} → {2}).', change.text, formatBytes(figures.originalSize), formatBytes(figures.newSize)));
  if (Number.isFinite(figures.measuredSpeedup) && figures.measuredSpeedup > 0 && figures.measuredSpeedup < SLOWER_BELOW && !said(/slower/i)) {
    // The fastest candidate that stayed within tolerance and beat this result, if one was measured.
    const better = candidateRows(figures).find((row) => !row.chosen && row.withinTolerance && row.speedupValue > figures.measuredSpeedup);
    const alternative = better ? l10n.t(' — {0} ran at {1} with {2}', better.format, better.speedup, better.fidelity) : '';
    out.push(l10n.t('Slower than the source: {0} (median {1} ms → {2} ms){3}.', formatSpeedup(figures.measuredSpeedup), figures.referenceMs.toFixed(3), figures.optimizedMs.toFixed(3), alternative));
  }
  if (isTask(figures.task) && !figures.task.withinTolerance && !said(/tolerance|fidelity/i)) out.push(l10n.t('Fidelity out of tolerance: {0}{1}.', taskFidelityText(figures.task), figures.task.description ? ` (${figures.task.description})` : ''));
  return out;
}

/** "Size +6.5 % larger", "Size unchanged" or "Size reduced 74.9 %" (each a whole sentence, so it translates). */
function headlineSize(before: number, after: number): string {
  const change = sizeChange(before, after);
  if (change.larger) return l10n.t('Size {0}', change.text);
  if (after === before && before > 0) return l10n.t('Size unchanged');
  if (!(before > 0) || !Number.isFinite(after) || after < 0) return l10n.t('Size {0}', '—');
  const pct = ((before - after) / before) * 100;
  return l10n.t('Size reduced {0} %', pct < 0.05 ? '<0.1' : pct.toFixed(1));
}

/** The headline under the result's title; `warn` parts are drawn in the warning colour. */
export function resultHeadline(figures: ModelRunFigures, provider: string): Array<{ text: string; warn?: boolean }> {
  const change = sizeChange(figures.originalSize, figures.newSize);
  const slower = figures.measuredSpeedup > 0 && figures.measuredSpeedup < SLOWER_BELOW;
  const task = isTask(figures.task) ? figures.task : undefined;
  const parts: Array<{ text: string; warn?: boolean }> = [
    { text: headlineSize(figures.originalSize, figures.newSize), warn: change.larger },
    { text: l10n.t('speedup {0}', formatSpeedup(figures.measuredSpeedup)), warn: slower },
    task ? { text: taskFidelityText(task), warn: !task.withinTolerance } : { text: l10n.t('cosine {0}', Number.isFinite(figures.cosineSimilarity) ? figures.cosineSimilarity.toFixed(4) : '—') },
    { text: l10n.t('ran on {0}', provider) },
  ];
  return parts;
}

/** Quantized layers by operator: "Conv ×30, MatMul ×12, LSTM ×2" (most first). */
export function layersByOpText(layers: Record<string, number> | undefined): string {
  if (!layers || typeof layers !== 'object') return '';
  return Object.entries(layers)
    .filter(([, n]) => typeof n === 'number' && n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([op, n]) => `${op} ×${n}`)
    .join(', ');
}

/** The fidelity figures an old engine reported (cosine, top-1, perplexity, loss), for the facts table. */
export function outputFidelityText(f: Pick<ModelRunFigures, 'cosineSimilarity' | 'top1Agreement' | 'perplexity' | 'referencePerplexity' | 'lossIncreasePercent'>): string {
  const parts = [l10n.t('cosine {0}', Number.isFinite(f.cosineSimilarity) ? f.cosineSimilarity.toFixed(5) : '—')];
  if (typeof f.top1Agreement === 'number') parts.push(`${l10n.t('top-1 agreement')} ${formatShare(f.top1Agreement)}`);
  if (typeof f.perplexity === 'number' && typeof f.referencePerplexity === 'number') parts.push(l10n.t('perplexity {0} → {1}', f.referencePerplexity.toFixed(3), f.perplexity.toFixed(3)));
  if (typeof f.lossIncreasePercent === 'number') parts.push(l10n.t('loss {0} %', `${f.lossIncreasePercent >= 0 ? '+' : '−'}${Math.abs(f.lossIncreasePercent).toFixed(2)}`));
  return parts.join(' · ');
}
