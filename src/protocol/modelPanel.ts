/**
 * The Model Optimization panel's data: the run the user can launch (validated with zod,
 * because it comes from the webview), the runs the host keeps in its history, and the
 * state it sends. Shared by the extension host and the webview; no Node, DOM or `vscode`
 * imports. The engine's own parameter schemas (./model) check the figures again.
 */
import { z } from 'zod';
import type { ExecutionProviderName, ModelInspection } from './model';

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

const filePath = (what: string) => z.string({ message: `Choose the ${what}` }).trim().min(1, `Choose the ${what}`).max(4096, `The ${what} path is too long`);
/** An optional path; empty means "not given". */
const optionalPath = (what: string) => z.string().trim().max(4096, `The ${what} path is too long`).optional();
const device = z.enum(['auto', 'cpu', 'webgpu', 'cuda'], { message: 'Device must be auto, cpu, webgpu or cuda' });
const ratio = (what: string) => z.number({ message: `${what} must be a number` }).gt(0, `${what} must be above 0`).max(1, `${what} must be at most 1`);

const common = {
  modelPath: filePath('model (an .onnx file)'),
  /** Empty: `<name>.<operation…>.onnx` beside the source. */
  outPath: optionalPath('output'),
  device,
};

/** What the panel's form sends; relative paths resolve against the first workspace folder. */
export const ModelRunRequestSchema = z.discriminatedUnion('operation', [
  z
    .object({
      operation: z.literal('quantize'),
      ...common,
      quantizationType: z.enum(['int', 'float', 'dynamic'], { message: 'Type must be int, float or dynamic' }),
      bits: z.union([z.literal(8), z.literal(4), z.literal(3), z.literal(2)], { message: 'Bits must be 8, 4, 3 or 2' }),
      method: z.enum(['rtn', 'hqq', 'gptq'], { message: 'Method must be rtn, hqq or gptq' }),
      blockSize: z
        .number({ message: 'Block size must be a number' })
        .int('Block size must be a whole number')
        .min(16, 'Block size must be 16 to 256')
        .max(256, 'Block size must be 16 to 256')
        .refine((n) => (n & (n - 1)) === 0, 'Block size must be a power of two (16, 32, 64, 128 or 256)'),
      floatFormat: z.enum(['fp16', 'bf16']).optional(),
      calibrationData: optionalPath('calibration data'),
    })
    .strict()
    .refine((r) => r.method === 'rtn' || (r.quantizationType === 'int' && r.bits !== 8), { message: 'HQQ and GPTQ apply to 4, 3 and 2-bit int quantization; use rtn for 8 bits, dynamic and float', path: ['method'] })
    .refine((r) => r.quantizationType !== 'dynamic' || r.bits === 8, { message: 'Dynamic quantization is 8-bit only', path: ['bits'] })
    .refine((r) => r.method !== 'gptq' || !!r.calibrationData, { message: 'GPTQ needs calibration data (a text or JSONL file)', path: ['calibrationData'] }),
  z
    .object({
      operation: z.literal('prune'),
      ...common,
      sparsity: z.number({ message: 'Sparsity must be a number' }).min(0, 'Sparsity must be between 0 and 0.99').max(0.99, 'Sparsity must be between 0 and 0.99'),
      method: z.enum(['magnitude', 'random', 'structured'], { message: 'Method must be magnitude, random or structured' }),
      activationAware: z.boolean(),
      fineTune: z.boolean(),
      fineTuneDataset: optionalPath('fine-tuning dataset'),
      fineTuneEpochs: z.number({ message: 'Epochs must be a number' }).int('Epochs must be a whole number').min(1, 'Epochs must be 1 to 20').max(20, 'Epochs must be 1 to 20'),
    })
    .strict()
    .refine((r) => !r.fineTune || !!r.fineTuneDataset, { message: 'Fine-tuning needs a dataset file', path: ['fineTuneDataset'] }),
  z
    .object({
      operation: z.literal('compress'),
      ...common,
      method: z.enum(['low_rank', 'distillation', 'knowledge_distillation'], { message: 'Method must be low_rank, distillation or knowledge_distillation' }),
      targetSizeRatio: ratio('Target size ratio').optional(),
      targetError: ratio('Target error').optional(),
      numLayers: z.number({ message: 'Layers must be a number' }).int('Layers must be a whole number').min(0, 'Layers cannot be negative').max(10_000, 'Layers must be at most 10,000').optional(),
      intermediateRatio: ratio('Intermediate ratio').optional(),
      trainingData: optionalPath('training data'),
      epochs: z.number({ message: 'Epochs must be a number' }).int('Epochs must be a whole number').min(1, 'Epochs must be 1 to 20').max(20, 'Epochs must be 1 to 20'),
    })
    .strict(),
  z
    .object({
      operation: z.literal('optimize'),
      ...common,
      optimizationTarget: z.enum(['latency', 'throughput', 'memory', 'balanced'], { message: 'Target must be latency, throughput, memory or balanced' }),
      precision: z.enum(['fp32', 'fp16', 'bf16', 'int8'], { message: 'Precision must be fp32, fp16, bf16 or int8' }),
      batchSize: z.number({ message: 'Batch size must be a number' }).int('Batch size must be a whole number').min(1, 'Batch size must be 1 to 4096').max(4096, 'Batch size must be 1 to 4096'),
    })
    .strict(),
]);
export type ModelRunRequest = z.input<typeof ModelRunRequestSchema>;

/** Form defaults for each operation (the model path and device are kept across switches). */
export function defaultRequest(operation: ModelOperation, modelPath: string, device: ModelRunRequest['device'] = 'auto'): ModelRunRequest {
  switch (operation) {
    case 'quantize':
      return { operation, modelPath, device, quantizationType: 'int', bits: 8, method: 'rtn', blockSize: 32 };
    case 'prune':
      return { operation, modelPath, device, sparsity: 0.3, method: 'magnitude', activationAware: false, fineTune: false, fineTuneEpochs: 1 };
    case 'compress':
      return { operation, modelPath, device, method: 'low_rank', targetSizeRatio: 0.5, epochs: 1 };
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
  browsed?: { field: 'calibrationData' | 'fineTuneDataset' | 'trainingData' | 'outPath'; path: string; seq: number };
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
      return `pruned${Math.round(request.sparsity * 100)}`;
    case 'compress':
      return request.method === 'low_rank' ? 'lowrank' : 'distilled';
    case 'optimize':
      return `opt-${request.precision}`;
  }
}

/** A short label for the history and the chart. */
export function runLabel(request: ModelRunRequest): string {
  switch (request.operation) {
    case 'quantize':
      return request.quantizationType === 'float' ? `${request.floatFormat ?? 'fp16'} weights` : `${request.quantizationType} ${request.bits}-bit ${request.method}`;
    case 'prune':
      return `prune ${Math.round(request.sparsity * 100)}% ${request.method}${request.activationAware ? ' (activation-aware)' : ''}${request.fineTune ? ' + fine-tune' : ''}`;
    case 'compress':
      return `compress ${request.method}`;
    case 'optimize':
      return `optimize ${request.precision} for ${request.optimizationTarget}`;
  }
}
