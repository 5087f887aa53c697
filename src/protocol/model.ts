/**
 * Parameters and results of the `model/*` requests: the seed's ModelQuantizer, ModelPruner,
 * ModelCompressor and ModelOptimizer (the model classes of the Python PepperPy `optimization`
 * module: 8/4/3/2-bit quantization, pruning, distillation or low-rank compression, tuning for
 * latency, throughput or memory), in camelCase. Every figure is measured or computed on
 * the models themselves; `notes` say how, and what was not possible.
 */
import { z } from 'zod';

export type Device = 'auto' | 'cpu' | 'webgpu' | 'cuda';
export type ExecutionProviderName = 'cpu' | 'webgpu' | 'cuda';

const device = z.enum(['auto', 'cpu', 'webgpu', 'cuda']);
const path = z.string().min(1).max(4096);
const token = z.union([z.string(), z.number()]).optional();

/** Output similarity between a model and its reference on the same inputs. */
export interface Fidelity {
  /** Cosine similarity of all outputs, flattened (1 = identical direction). */
  cosineSimilarity: number;
  maxAbsError: number;
  meanAbsError: number;
  /** For language models: next-token cross-entropy (nats) of the reference and of this model on held-out text. */
  referenceLoss?: number;
  loss?: number;
  referencePerplexity?: number;
  perplexity?: number;
  /** Relative loss increase in percent (the seed's "estimated performance loss": the `estimated_performance_loss` percent the Python module's pruner and compressor report, here measured). */
  lossIncreasePercent?: number;
  /** For classifiers: share of inputs whose top class agrees with the reference. */
  top1Agreement?: number;
  /** What the inputs were: text windows from a file, user samples, or generated values (and how). */
  inputs: string;
  samples: number;
  /** Shapes of the inputs fidelity and speed were measured on, by input name (e.g. { pixel_values: [1, 3, 224, 224] }). */
  inputShapes?: Record<string, number[]>;
  /** The task-level measure, where the model's task is recognisable (else cosine of the outputs). */
  task?: TaskFidelity;
}

/** A task-level fidelity measure: what a user of the model would notice. */
export interface TaskFidelity {
  /** top1Agreement (classifiers), maskIoU (segmentation/detection maps), decisionAgreement (binary decisions such as voice activity), lossIncreasePercent (language models), ctcAgreement (sequence decoders), cosine (anything else). */
  metric: 'top1Agreement' | 'maskIoU' | 'decisionAgreement' | 'lossIncreasePercent' | 'ctcAgreement' | 'cosine';
  value: number;
  /** Whether the value is within the tolerance used to accept a result. */
  withinTolerance: boolean;
  /** Plain words: what was compared, on which output, with which threshold. */
  description: string;
}

/**
 * Below this speedup a result is called slower than its source. Two medians of the same
 * model, timed alternately on a loaded 2-core machine, differ by up to ±3 %: closer is a tie.
 */
export const SLOWER_BELOW = 0.97;

export interface SpeedMeasurement {
  /** Reference (original) median latency, ms. */
  referenceMs: number;
  /** This model's median latency, ms. */
  optimizedMs: number;
  /** referenceMs / optimizedMs. */
  speedup: number;
  batchSize: number;
  runs: number;
}

export interface ModelResultBase {
  path: string;
  /** Bytes on disk (model file plus external data). */
  originalSize: number;
  /** originalSize expressed in MB, as the seed (the Python module) prints its results' `original_size`. */
  originalSizeMb: number;
  sizeReductionPercent: number;
  /** Reference median latency / new median latency on `executionProvider`, both timed in the same run. */
  measuredSpeedup: number;
  speed: SpeedMeasurement;
  fidelity: Fidelity;
  executionProvider: ExecutionProviderName;
  /** How figures were obtained, fallbacks, and anything left undone. */
  notes: string[];
  /** Things the user must see: the result is slower or larger than its source, fidelity out of tolerance, with the better alternative where there is one. */
  warnings?: string[];
  /**
   * Whether the written model keeps the task within tolerance (`fidelity.task.withinTolerance`).
   * False: the model was still written (to inspect, fine-tune or accept knowingly), a warning
   * says so, `unfaithful` gives the reason and what to try instead, and the CLI exits with
   * UNFAITHFUL_EXIT_CODE. Absent on results recorded before this field existed.
   */
  faithful?: boolean;
  unfaithful?: { reason: string; alternative: string };
  elapsedMs: number;
}

/** Exit code of the `pepperpy-opt model` verbs when the written model's task fidelity is out of tolerance. */
export const UNFAITHFUL_EXIT_CODE = 3;

export type QuantizationType = 'int' | 'float' | 'dynamic';
/**
 * Operator pattern of a quantized model:
 * - dynamic: DynamicQuantizeLinear + MatMulInteger / ConvInteger (integer compute, activations quantized at run time)
 * - qdq: static QuantizeLinear/DequantizeLinear pairs with calibrated activation scales, which onnxruntime fuses into integer kernels
 * - weight-only: int8 weights with DequantizeLinear (per channel) feeding the float operator (smallest change, no integer compute)
 * - nbits: MatMulNBits / GatherBlockQuantized (com.microsoft), block-wise 2/4/8-bit
 */
export type QuantFormat = 'dynamic' | 'qdq' | 'weight-only' | 'nbits';

/** One candidate format measured while choosing the default. */
export interface QuantCandidate {
  format: QuantFormat;
  description: string;
  sizeBytes: number;
  /** Reference median / candidate median on the chosen device, timed in the same run. */
  speedup: number;
  fidelity: TaskFidelity;
  chosen: boolean;
  /** Why it was not chosen, or why it could not be built. */
  verdict: string;
}
export type QuantizationMethod = 'rtn' | 'hqq' | 'gptq';

export const ModelQuantizeParamsSchema = z
  .object({
    modelPath: path,
    bits: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(8), z.literal(16)], { message: 'bits must be 8, 4, 3 or 2 (or 16 with quantizationType float)' }).default(8),
    quantizationType: z.enum(['int', 'float', 'dynamic']).default('int'),
    device: device.default('auto'),
    /** Elements per quantization block along K for 2/3/4-bit (MatMulNBits); a power of two, 16 to 256. */
    blockSize: z.number().int().min(16).max(256).refine((n) => (n & (n - 1)) === 0, 'blockSize must be a power of two (16, 32, 64, 128 or 256)').default(32),
    method: z.enum(['rtn', 'hqq', 'gptq']).default('rtn'),
    /** fp16 or bf16 for quantizationType 'float'. */
    floatFormat: z.enum(['fp16', 'bf16']).default('fp16'),
    /** MatMulNBits accuracy_level; default 4 (int8 compute) on CPU, 0 elsewhere. */
    accuracyLevel: z.number().int().min(0).max(4).optional(),
    /** Text or JSONL file for calibration (GPTQ) and for measuring fidelity/perplexity. */
    calibrationData: path.optional(),
    /** Weights with fewer elements stay fp32. */
    minElements: z.number().int().min(1).default(1024),
    /** auto: time the formats that apply on the chosen device and keep the fastest within the fidelity tolerance. */
    format: z.enum(['auto', 'dynamic', 'qdq', 'weight-only', 'nbits']).default('auto'),
    /** Sample inputs for measuring (and calibrating) the model: a JSON file ({ input: nested array | { dims, data } }) or .npy/.npz. */
    inputsPath: path.optional(),
    outPath: path.optional(),
    batchSize: z.number().int().min(1).max(4096).default(8),
    workDoneToken: token,
  })
  .strict();
export type ModelQuantizeParams = z.input<typeof ModelQuantizeParamsSchema>;

export interface QuantizedModel extends ModelResultBase {
  quantizedSize: number;
  quantizedSizeMb: number;
  bits: number;
  /** Bits per stored element as onnxruntime reads them (3-bit levels live in 4-bit containers). */
  storageBits: number;
  quantizationType: QuantizationType;
  method: QuantizationMethod;
  /** Operator pattern used, e.g. "MatMulNBits (com.microsoft), block 32, accuracy_level 4". */
  format: string;
  layersQuantized: number;
  layersSkipped: number;
  /** Mean relative weight reconstruction error ||W - Ŵ|| / ||W|| over quantized layers. */
  weightError: number;
  /** The format that was kept, why, and the others that were measured. */
  chosenFormat?: QuantFormat;
  formatReason?: string;
  candidates?: QuantCandidate[];
  /** Quantized layers by operator type, e.g. { MatMul: 12, Conv: 30, LSTM: 2, Gather: 1 }. */
  layersByOp?: Record<string, number>;
}

export const ModelPruneParamsSchema = z
  .object({
    modelPath: path,
    /** Share of weights (or hidden units) to remove; 'auto' (the default) finds the largest that keeps the task within tolerance and refuses when none makes the model smaller. */
    sparsity: z.union([z.number().min(0).max(0.99), z.literal('auto')]).default('auto'),
    method: z.enum(['magnitude', 'random', 'structured']).default('magnitude'),
    /** Score weights by |w|·‖x‖ (Wanda) using activations on the dataset. */
    activationAware: z.boolean().default(false),
    fineTune: z.boolean().default(false),
    fineTuneDataset: path.optional(),
    fineTuneEpochs: z.number().int().min(1).max(20).default(1),
    device: device.default('auto'),
    minElements: z.number().int().min(1).default(1024),
    seed: z.number().int().default(1),
    /** Sample inputs for measuring the model (JSON, .npy or .npz); see ModelQuantizeParams.inputsPath. */
    inputsPath: path.optional(),
    outPath: path.optional(),
    batchSize: z.number().int().min(1).max(4096).default(8),
    workDoneToken: token,
  })
  .strict();
export type ModelPruneParams = z.input<typeof ModelPruneParamsSchema>;

export interface PrunedModel extends ModelResultBase {
  prunedSize: number;
  prunedSizeMb: number;
  method: 'magnitude' | 'random' | 'structured';
  /** Zeroed (or removed) share of the prunable weights. */
  achievedSparsity: number;
  /** 'sparse_initializer' (COO), 'dense' (zeros kept) or 'smaller' (neurons removed). */
  storage: string;
  /** With sparsity 'auto': every sparsity tried, its task verdict and the model's encoded size. */
  sparsitySearch?: { sparsity: number; metric: TaskFidelity['metric']; value: number; withinTolerance: boolean; sizeBytes: number }[];
  /** Measured loss increase in percent against the original (null when not measurable). */
  estimatedPerformanceLoss: number | null;
  /** Reconstruction (SparseGPT-style layer-wise least squares) when fineTune was asked. */
  fineTune?: { lossBefore: number; lossAfter: number; outputMseBefore: number; outputMseAfter: number; epochs: number; layers: number; metric: string };
  layersPruned: number;
}

export const ModelCompressParamsSchema = z
  .object({
    modelPath: path,
    method: z.enum(['low_rank', 'distillation', 'knowledge_distillation']).default('low_rank'),
    /** The teacher for distillation (default: modelPath). */
    teacherModelPath: path.optional(),
    /**
     * low_rank: keep rank so each factored layer is at most this share of its size (0-1), or
     * 'auto' — the default when targetError is not given either — the smallest of 20–90 % that
     * keeps the task within tolerance (refused, nothing written, when none does).
     */
    targetSizeRatio: z.union([z.number().gt(0).max(1), z.literal('auto')]).optional(),
    /** low_rank: smallest rank whose relative error stays under this (0-1). */
    targetError: z.number().gt(0).max(1).optional(),
    /** distillation: how the student is derived. */
    studentModelConfig: z
      .object({
        /** Residual branches (attention / MLP sublayers) to keep; the least influential go. */
        numLayers: z.number().int().min(0).optional(),
        /** Share of hidden MLP units to keep (narrower layers), 0-1. */
        intermediateRatio: z.number().gt(0).max(1).optional(),
      })
      .strict()
      .default({}),
    trainingData: path.optional(),
    epochs: z.number().int().min(1).max(20).default(1),
    device: device.default('auto'),
    minElements: z.number().int().min(1).default(4096),
    /** Sample inputs for measuring the model (JSON, .npy or .npz); see ModelQuantizeParams.inputsPath. */
    inputsPath: path.optional(),
    outPath: path.optional(),
    batchSize: z.number().int().min(1).max(4096).default(8),
    workDoneToken: token,
  })
  .strict();
export type ModelCompressParams = z.input<typeof ModelCompressParamsSchema>;

export interface CompressedModel extends ModelResultBase {
  compressedSize: number;
  compressedSizeMb: number;
  method: 'low_rank' | 'distillation' | 'knowledge_distillation';
  estimatedPerformanceLoss: number | null;
  /** Exactly what was done, one line per step. */
  steps: string[];
  /** With the automatic size target (low_rank): every ratio tried and its task verdict, or why it was skipped. */
  rankSearch?: ({ targetSizeRatio: number; withinTolerance: boolean } & ({ metric: TaskFidelity['metric']; value: number; sizeBytes: number } | { skipped: string }))[];
}

export const ModelOptimizeParamsSchema = z
  .object({
    modelPath: path,
    optimizationTarget: z.enum(['latency', 'throughput', 'memory', 'balanced']).default('latency'),
    device: device.default('auto'),
    batchSize: z.number().int().min(1).max(4096).default(1),
    precision: z.enum(['fp32', 'fp16', 'bf16', 'int8']).default('fp32'),
    compile: z.boolean().default(true),
    dynamicShapes: z.boolean().default(true),
    enableFlashAttention: z.boolean().default(false),
    calibrationData: path.optional(),
    /** Sample inputs for measuring the model (JSON, .npy or .npz); see ModelQuantizeParams.inputsPath. */
    inputsPath: path.optional(),
    outPath: path.optional(),
    workDoneToken: token,
  })
  .strict();
export type ModelOptimizeParams = z.input<typeof ModelOptimizeParamsSchema>;

export interface OptimizedModel extends ModelResultBase {
  optimizedSize: number;
  /** What was applied, as the seed's `config` (the optimization settings the Python module's ModelOptimizer result lists). */
  config: {
    optimizationTarget: string;
    precision: string;
    graphOptimizationLevel: string;
    executionProvider: ExecutionProviderName;
    batchSize: number;
    fusedOps: Record<string, number>;
    keptInFp32: string[];
  };
}

export const ModelInspectParamsSchema = z.object({ modelPath: path, workDoneToken: token }).strict();
export type ModelInspectParams = z.input<typeof ModelInspectParamsSchema>;

export interface ModelInspection {
  path: string;
  sizeBytes: number;
  irVersion: number;
  opsets: Record<string, number>;
  producer: string;
  inputs: { name: string; type: string; shape: (number | string)[] }[];
  outputs: { name: string; type: string; shape: (number | string)[] }[];
  nodeCount: number;
  subgraphCount: number;
  opTypes: Record<string, number>;
  parameterCount: number;
  weights: { initializers: number; constantNodes: number; inSubgraphs: number; externalDataFiles: string[] };
  quantizableLayers: number;
  largestWeights: { name: string; shape: number[]; dataType: string }[];
}
