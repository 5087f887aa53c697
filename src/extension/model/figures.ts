/**
 * The figures the Model Optimization panel draws and keeps in its history, taken from the
 * engine's result for each operation. Optional fields (warnings, task fidelity, the chosen
 * quantization format and its candidates, the automatic sparsity or size target's search)
 * are copied only when the engine reported them, so runs from older engines and newer ones
 * share one record shape. No `vscode` import.
 */
import type { CompressedModel, ModelResultBase, OptimizedModel, PrunedModel, QuantizedModel } from '../../protocol/model';
import type { ModelRunFigures, ModelRunRequest } from '../../protocol/modelPanel';

export type EngineResult = QuantizedModel | PrunedModel | CompressedModel | OptimizedModel;

/** The figures the panel draws, from whichever result the operation returned. */
export function figuresOf(request: ModelRunRequest, r: EngineResult): ModelRunFigures {
  const base = r as ModelResultBase;
  let newSize: number;
  let detail: string;
  /** The operation's own optional figures (quantize's format choice, an automatic search). */
  let quantized: Partial<ModelRunFigures> = {};
  switch (request.operation) {
    case 'quantize': {
      const q = r as QuantizedModel;
      newSize = q.quantizedSize;
      quantized = {
        ...(q.chosenFormat !== undefined ? { chosenFormat: q.chosenFormat } : {}),
        ...(q.formatReason !== undefined ? { formatReason: q.formatReason } : {}),
        ...(Array.isArray(q.candidates) ? { candidates: q.candidates } : {}),
        ...(q.layersByOp !== undefined ? { layersByOp: q.layersByOp } : {}),
      };
      detail = `${q.format}; ${q.layersQuantized} layer(s) quantized, ${q.layersSkipped} kept; weight error ${q.weightError.toFixed(4)}${q.storageBits !== q.bits ? `; ${q.bits}-bit levels stored in ${q.storageBits}-bit containers` : ''}`;
      break;
    }
    case 'prune': {
      const p = r as PrunedModel;
      newSize = p.prunedSize;
      if (Array.isArray(p.sparsitySearch)) quantized = { sparsitySearch: p.sparsitySearch };
      detail = `${(p.achievedSparsity * 100).toFixed(1)}% sparsity over ${p.layersPruned} layer(s), ${p.storage} storage${p.fineTune ? `; fine-tune ${p.fineTune.metric} ${p.fineTune.lossBefore.toFixed(4)} → ${p.fineTune.lossAfter.toFixed(4)}` : ''}`;
      break;
    }
    case 'compress': {
      const c = r as CompressedModel;
      newSize = c.compressedSize;
      if (Array.isArray(c.rankSearch)) quantized = { rankSearch: c.rankSearch };
      detail = c.steps.join(' ');
      break;
    }
    case 'optimize': {
      const o = r as OptimizedModel;
      newSize = o.optimizedSize;
      const fused = Object.entries(o.config.fusedOps).map(([op, n]) => `${op} ×${n}`).join(', ');
      detail = `${o.config.precision}, graph optimization ${o.config.graphOptimizationLevel}${fused ? `; fused ${fused}` : ''}`;
      break;
    }
  }
  const f = base.fidelity;
  const notes = [...base.notes];
  if (request.device !== 'auto' && request.device !== base.executionProvider) notes.unshift(`Asked for ${request.device}, ran on ${base.executionProvider}: the requested provider could not start (fallback).`);
  return {
    originalSize: base.originalSize,
    newSize,
    sizeReductionPercent: base.sizeReductionPercent,
    measuredSpeedup: base.measuredSpeedup,
    referenceMs: base.speed.referenceMs,
    optimizedMs: base.speed.optimizedMs,
    cosineSimilarity: f.cosineSimilarity,
    ...(f.top1Agreement !== undefined ? { top1Agreement: f.top1Agreement } : {}),
    ...(f.lossIncreasePercent !== undefined ? { lossIncreasePercent: f.lossIncreasePercent } : {}),
    ...(f.referencePerplexity !== undefined ? { referencePerplexity: f.referencePerplexity } : {}),
    ...(f.perplexity !== undefined ? { perplexity: f.perplexity } : {}),
    fidelityInputs: f.inputs,
    executionProvider: base.executionProvider,
    detail,
    notes,
    ...(Array.isArray(base.warnings) && base.warnings.length > 0 ? { warnings: base.warnings.map(panelWording) } : {}),
    ...(f.task !== undefined ? { task: f.task } : {}),
    ...(typeof f.samples === 'number' ? { fidelitySamples: f.samples } : {}),
    ...(f.inputShapes !== undefined ? { inputShapes: f.inputShapes } : {}),
    ...quantized,
  };
}

const VERB_OPERATION: Record<string, string> = { quantize: 'Quantize', prune: 'Prune', compress: 'Compress', optimize: 'Optimize' };

/**
 * The engine's messages name CLI verbs and flags, with the request field in brackets
 * ("Quantize it instead (`pepperpy-opt model quantize`)", "--bits 8 (bits: 8)",
 * "--inputs FILE (inputsPath)"); in the panel they name the form's fields instead. Text the
 * rules below do not cover is left as the engine wrote it. "Copy result JSON" keeps the
 * engine's own words.
 */
export function panelWording(message: string): string {
  return message
    .replace(/\(`pepperpy-opt model (quantize|prune|compress|optimize)`\)|`pepperpy-opt model (quantize|prune|compress|optimize)`/g, (_m, a?: string, b?: string) => `(Operation: ${VERB_OPERATION[a ?? b ?? 'quantize']} in this panel)`)
    .replace(/--inputs FILE \(inputsPath\)/g, 'a file in Sample inputs')
    .replace(/--bits (\d+) \(bits: \d+\)/g, 'Bits $1')
    .replace(/--type float --bits 16 \((?:quantizationType float: )?/g, 'Type float (')
    .replace(/--sparsity auto \(sparsity: 'auto', /g, 'Sparsity "Automatic" (')
    .replace(/a lower --sparsity than /g, 'a lower Sparsity than ')
    .replace(/--fine-tune --data FILE \(fineTune\)/g, 'Fine-tune with a dataset')
    .replace(/a larger --target-size than ([\d.]+) \(targetSizeRatio\)/g, 'a larger Target size ratio than $1')
    .replace(/--target-error \(targetError\)/g, 'a Target error')
    .replace(/\bmodel quantize --bits 8\b/g, 'Quantize at 8 bits')
    .replace(/--no-compile \(compile: false: basic graph optimizations only\)/g, 'the CLI\'s `model optimize --no-compile` (basic graph optimizations only; the panel has no such switch)')
    .replace(/--precision fp32 \(precision: /g, 'Precision fp32 (');
}
