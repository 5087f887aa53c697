/**
 * The seed's "Configuração Avançada" (the advanced-configuration section of the Python
 * PepperPy `optimization` module's documentation): OptimizationConfig, ModelOptimizerConfig,
 * PipelineOptimizerConfig and setGlobalConfig, validated with zod (camelCase fields), and
 * the mapping to `pepperpy.*` VS Code settings as data (SETTINGS_MAPPING) that the
 * extension's package.json contributions and its typed settings can be built from. The
 * engine never reads settings: the extension builds an OptimizationConfig and sends it.
 */
import { z } from 'zod';
import { EngineError } from '../protocol/errors';

export const ModelOptimizerConfigSchema = z
  .object({
    quantizationEnabled: z.boolean().default(true),
    quantizationBits: z.union([z.literal(4), z.literal(8), z.literal(16)]).default(8),
    pruningEnabled: z.boolean().default(false),
    pruningSparsity: z.number().min(0).max(0.95).default(0.3),
    distillationEnabled: z.boolean().default(false),
    compileEnabled: z.boolean().default(true),
    flashAttentionEnabled: z.boolean().default(false),
    precision: z.enum(['fp32', 'fp16', 'bf16', 'int8', 'int4']).default('fp16'),
    deviceMap: z.enum(['auto', 'cpu', 'webgpu', 'cuda']).default('auto'),
    optimizationLevel: z.number().int().min(0).max(3).default(2),
    preserveAccuracy: z.boolean().default(true),
    maxAccuracyDrop: z.number().min(0).max(1).default(0.05),
  })
  .strict();

export const PipelineOptimizerConfigSchema = z
  .object({
    cacheEnabled: z.boolean().default(true),
    cacheTtl: z.number().int().min(1).default(3600),
    batchProcessingEnabled: z.boolean().default(true),
    optimalBatchSize: z.number().int().min(1).max(1024).default(16),
    parallelProcessingEnabled: z.boolean().default(true),
    maxParallelTasks: z.number().int().min(1).max(256).default(4),
    adaptiveRetrievalEnabled: z.boolean().default(true),
    minRetrievalResults: z.number().int().min(1).max(100).default(3),
    maxRetrievalResults: z.number().int().min(1).max(100).default(10),
    dynamicModelSelection: z.boolean().default(true),
    fallbackStrategiesEnabled: z.boolean().default(true),
    timeoutMs: z.number().int().min(100).max(600_000).default(5000),
    optimizationLevel: z.number().int().min(0).max(3).default(2),
  })
  .strict()
  .refine((c) => c.minRetrievalResults <= c.maxRetrievalResults, { message: 'minRetrievalResults must not exceed maxRetrievalResults', path: ['minRetrievalResults'] });

export const OptimizationConfigSchema = z
  .object({
    modelOptimizerConfig: ModelOptimizerConfigSchema.default(ModelOptimizerConfigSchema.parse({})),
    pipelineOptimizerConfig: PipelineOptimizerConfigSchema.default(PipelineOptimizerConfigSchema.parse({})),
    costOptimizationEnabled: z.boolean().default(true),
    maxCostPerQuery: z.number().min(0).default(0.01),
    qualityThreshold: z.number().min(0).max(1).default(0.8),
    latencyTargetMs: z.number().positive().default(300),
    optimizationStrategy: z.enum(['cost', 'quality', 'latency', 'balanced']).default('balanced'),
  })
  .strict();

export type ModelOptimizerConfig = z.infer<typeof ModelOptimizerConfigSchema>;
export type PipelineOptimizerConfig = z.infer<typeof PipelineOptimizerConfigSchema>;
export type OptimizationConfig = z.infer<typeof OptimizationConfigSchema>;

function parse<S extends z.ZodType>(schema: S, raw: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  throw new EngineError('badRequest', `Invalid ${what}: ${r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}.`);
}

export const ModelOptimizerConfig = (raw: z.input<typeof ModelOptimizerConfigSchema> = {}): ModelOptimizerConfig => parse(ModelOptimizerConfigSchema, raw, 'ModelOptimizerConfig');
export const PipelineOptimizerConfig = (raw: z.input<typeof PipelineOptimizerConfigSchema> = {}): PipelineOptimizerConfig => parse(PipelineOptimizerConfigSchema, raw, 'PipelineOptimizerConfig');
export const OptimizationConfig = (raw: z.input<typeof OptimizationConfigSchema> = {}): OptimizationConfig => parse(OptimizationConfigSchema, raw, 'OptimizationConfig');

let globalConfig: OptimizationConfig = OptimizationConfigSchema.parse({});

/** The seed's `set_global_config` (the Python module's call that installs an OptimizationConfig for the whole process): validates and replaces the engine-wide defaults. */
export function setGlobalConfig(raw: unknown): OptimizationConfig {
  globalConfig = parse(OptimizationConfigSchema, raw, 'OptimizationConfig');
  return globalConfig;
}

export function getGlobalConfig(): OptimizationConfig {
  return globalConfig;
}

export interface SettingMapping {
  /** Dotted path in OptimizationConfig. */
  configPath: string;
  /** VS Code setting key. */
  setting: string;
  type: 'boolean' | 'number' | 'string';
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  default: boolean | number | string;
  description: string;
}


const DESCRIPTIONS: Record<string, string> = {
  maxCostPerQuery: 'Largest acceptable cost per query, in USD, for pipeline optimization.',
  qualityThreshold: 'Share of the current quality (0-1) a cheaper choice must keep.',
  latencyTargetMs: 'Latency target for optimizations, in milliseconds.',
  optimizationStrategy: 'What optimizations favour: cost, quality, latency or a balance.',
};

/**
 * OptimizationConfig ↔ `pepperpy.optimization.*` settings, one entry per leaf field:
 * `pepperpy.optimization.<field>`, `pepperpy.optimization.model.<field>`,
 * `pepperpy.optimization.pipeline.<field>`. Generated from the schemas, so it cannot drift.
 */
export function settingsMapping(): SettingMapping[] {
  const defaults = OptimizationConfigSchema.parse({});
  const out: SettingMapping[] = [];
  const visit = (prefix: string, settingPrefix: string, values: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(values)) {
      if (typeof value === 'object' && value !== null) {
        const sub = key === 'modelOptimizerConfig' ? 'model' : 'pipeline';
        visit(`${key}.`, `${settingPrefix}${sub}.`, value as Record<string, unknown>);
        continue;
      }
      const type = typeof value as 'boolean' | 'number' | 'string';
      const entry: SettingMapping = { configPath: `${prefix}${key}`, setting: `pepperpy.optimization.${settingPrefix}${key}`, type, default: value as boolean | number | string, description: DESCRIPTIONS[key] ?? `${key} (OptimizationConfig.${prefix}${key}).` };
      if (key === 'optimizationStrategy') entry.enum = ['cost', 'quality', 'latency', 'balanced'];
      if (key === 'precision') entry.enum = ['fp32', 'fp16', 'bf16', 'int8', 'int4'];
      if (key === 'deviceMap') entry.enum = ['auto', 'cpu', 'webgpu', 'cuda'];
      if (key === 'quantizationBits') entry.enum = [4, 8, 16];
      if (key === 'optimizationLevel') Object.assign(entry, { minimum: 0, maximum: 3 });
      out.push(entry);
    }
  };
  visit('', '', defaults);
  return out;
}

/** Builds an OptimizationConfig from flat settings values (what the extension reads). */
export function configFromSettings(get: (setting: string) => unknown): OptimizationConfig {
  const raw: Record<string, unknown> = {};
  for (const m of settingsMapping()) {
    const v = get(m.setting);
    if (v === undefined) continue;
    const parts = m.configPath.split('.');
    let target = raw;
    for (const p of parts.slice(0, -1)) target = (target[p] ??= {}) as Record<string, unknown>;
    target[parts[parts.length - 1]] = v;
  }
  return OptimizationConfig(raw);
}
