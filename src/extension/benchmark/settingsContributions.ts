/**
 * The `pepperpy.optimization.*` entries of package.json's contributes.configuration, built
 * from the engine's settingsMapping() (itself generated from the zod schemas).
 * scripts/sync-optimization-settings.mjs writes them; a unit test checks package.json
 * still matches. No `vscode` import, so both can load it from plain Node.
 *
 * Descriptions go through package.nls.json like every other contribution: package.json
 * holds `%config.optimization.….description%` and the sync script writes the English text
 * (optimizationSettingDescriptions()) into package.nls.json; package.nls.pt-br.json is
 * translated by hand and a unit test checks that it has the same keys.
 */
import { settingsMapping, type SettingMapping } from '../../shared/config';

/** Descriptions for the fields the engine describes only by name. */
const DESCRIPTIONS: Record<string, string> = {
  'modelOptimizerConfig.quantizationEnabled': 'Quantize models when optimizing them.',
  'modelOptimizerConfig.quantizationBits': 'Bits per weight when quantizing (4, 8 or 16).',
  'modelOptimizerConfig.pruningEnabled': 'Prune model weights when optimizing.',
  'modelOptimizerConfig.pruningSparsity': 'Share of weights to prune (0-0.95).',
  'modelOptimizerConfig.distillationEnabled': 'Distill into a smaller model when optimizing.',
  'modelOptimizerConfig.compileEnabled': 'Compile (graph-optimize) models when optimizing.',
  'modelOptimizerConfig.flashAttentionEnabled': 'Use fused attention kernels where the runtime has them.',
  'modelOptimizerConfig.precision': 'Numeric precision for optimized models.',
  'modelOptimizerConfig.deviceMap': 'Where models run: auto, CPU, WebGPU or CUDA.',
  'modelOptimizerConfig.optimizationLevel': 'Model optimization level, 0 (none) to 3 (aggressive).',
  'modelOptimizerConfig.preserveAccuracy': 'Reject model optimizations that lose more accuracy than maxAccuracyDrop.',
  'modelOptimizerConfig.maxAccuracyDrop': 'Largest accuracy loss (0-1) a model optimization may cause.',
  'pipelineOptimizerConfig.cacheEnabled': 'Add a response cache when optimizing pipelines.',
  'pipelineOptimizerConfig.cacheTtl': 'Cache entry lifetime, in seconds.',
  'pipelineOptimizerConfig.batchProcessingEnabled': 'Let the pipeline optimizer try batching.',
  'pipelineOptimizerConfig.optimalBatchSize': 'Largest batch size the pipeline optimizer tries.',
  'pipelineOptimizerConfig.parallelProcessingEnabled': 'Let pipelines run queries in parallel.',
  'pipelineOptimizerConfig.maxParallelTasks': 'Most queries in flight at once.',
  'pipelineOptimizerConfig.adaptiveRetrievalEnabled': 'Let the pipeline optimizer tune top_k between the min and max below.',
  'pipelineOptimizerConfig.minRetrievalResults': 'Smallest top_k the pipeline optimizer tries.',
  'pipelineOptimizerConfig.maxRetrievalResults': 'Largest top_k the pipeline optimizer tries.',
  'pipelineOptimizerConfig.dynamicModelSelection': 'Let the optimizer recommend a cheaper model.',
  'pipelineOptimizerConfig.fallbackStrategiesEnabled': 'Fall back (for example, run without the cache) when a component fails.',
  'pipelineOptimizerConfig.timeoutMs': 'Time-out for one pipeline step, in milliseconds.',
  'pipelineOptimizerConfig.optimizationLevel': 'Pipeline optimization level, 0 (none) to 3 (aggressive).',
  costOptimizationEnabled: 'Consider cost when optimizing.',
};

export interface SettingContribution {
  type: 'boolean' | 'number' | 'string';
  default: boolean | number | string;
  description: string;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
}

/** The package.nls.json key of a setting's description. */
export function settingDescriptionKey(setting: string): string {
  return `config.${setting.replace(/^pepperpy\./, '')}.description`;
}

/** English descriptions of the `pepperpy.optimization.*` settings, by package.nls.json key. */
export function optimizationSettingDescriptions(mapping: SettingMapping[] = settingsMapping()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of mapping) out[settingDescriptionKey(m.setting)] = `${DESCRIPTIONS[m.configPath] ?? m.description} (OptimizationConfig.${m.configPath})`;
  return out;
}

export function optimizationSettingContributions(mapping: SettingMapping[] = settingsMapping()): Record<string, SettingContribution> {
  const out: Record<string, SettingContribution> = {};
  for (const m of mapping) {
    out[m.setting] = {
      type: m.type,
      default: m.default,
      description: `%${settingDescriptionKey(m.setting)}%`,
      ...(m.enum ? { enum: m.enum } : {}),
      ...(m.minimum !== undefined ? { minimum: m.minimum } : {}),
      ...(m.maximum !== undefined ? { maximum: m.maximum } : {}),
    };
  }
  return out;
}
