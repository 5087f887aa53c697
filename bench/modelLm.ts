/**
 * `npm run bench:model-lm [-- --device cpu|webgpu|cuda|auto] [--model M.onnx] [--data TEXT] [--batch-size N] [--json]`
 *
 * The language-model deep dive (every method and bit width on one LM, with held-out loss);
 * `npm run bench:model` is the table over the corpus of real third-party models.
 *
 * Runs every quantization method and bit width (and pruning, low-rank, graph optimization)
 * on one model — by default the trained byte-level LM fixture — and prints, per row, the
 * size, the fidelity against the fp32 model on held-out text (cosine, loss, perplexity) and
 * the speed of both models timed on the same execution provider in the same run (medians,
 * interleaved). Each row's fp32 time is measured beside it, so rows stay comparable under
 * load. Outputs go to a temporary folder that is removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Device, ModelResultBase } from '../src/protocol/model';
import { ModelCompressor } from '../src/engine/model/compressor';
import { ModelOptimizer } from '../src/engine/model/optimizer';
import { ModelPruner } from '../src/engine/model/pruner';
import { ModelQuantizer } from '../src/engine/model/quantizer';

const root = resolve(__dirname, '../..');
const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'cpu' },
    model: { type: 'string', default: join(root, 'test/fixtures/models/tiny_lm.onnx') },
    data: { type: 'string', default: join(root, 'test/fixtures/models/corpus.txt') },
    'batch-size': { type: 'string', default: '8' },
    json: { type: 'boolean', default: false },
  },
});
const device = values.device as Device;
const batchSize = Number(values['batch-size']);
const modelPath = resolve(values.model);
const data = resolve(values.data);

interface Row {
  name: string;
  sizeBytes: number;
  reductionPercent: number;
  cosine: number;
  maxAbsError: number;
  loss?: number;
  perplexity?: number;
  lossIncreasePercent?: number;
  fp32Ms: number;
  ms: number;
  speedup: number;
  provider: string;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pepperpy-bench-model-'));
  const rows: Row[] = [];
  let reference: { loss?: number; perplexity?: number; size: number } | undefined;
  const add = (name: string, r: ModelResultBase & { path: string }, size: number) => {
    reference ??= { loss: r.fidelity.referenceLoss, perplexity: r.fidelity.referencePerplexity, size: r.originalSize };
    rows.push({
      name,
      sizeBytes: size,
      reductionPercent: r.sizeReductionPercent,
      cosine: r.fidelity.cosineSimilarity,
      maxAbsError: r.fidelity.maxAbsError,
      loss: r.fidelity.loss,
      perplexity: r.fidelity.perplexity,
      lossIncreasePercent: r.fidelity.lossIncreasePercent,
      fp32Ms: r.speed.referenceMs,
      ms: r.speed.optimizedMs,
      speedup: r.speed.speedup,
      provider: r.executionProvider,
    });
    if (!values.json) process.stderr.write(`  done: ${name}\n`);
  };
  const q = new ModelQuantizer();
  const common = { modelPath, device, batchSize, calibrationData: data };
  const quantRuns: [string, Parameters<ModelQuantizer['quantize']>[0]][] = [
    ['int8 dynamic (DQL+MatMulInteger)', { ...common, bits: 8, quantizationType: 'dynamic' }],
    ['int8 weight-only (DQ+MatMul / NBits on GPU)', { ...common, bits: 8 }],
    ['int4 RTN (MatMulNBits)', { ...common, bits: 4 }],
    ['int4 HQQ (MatMulNBits)', { ...common, bits: 4, method: 'hqq' }],
    ['int4 GPTQ (MatMulNBits)', { ...common, bits: 4, method: 'gptq' }],
    ['int3 RTN (4-bit containers)', { ...common, bits: 3 }],
    ['int3 HQQ (4-bit containers)', { ...common, bits: 3, method: 'hqq' }],
    ['int3 GPTQ (4-bit containers)', { ...common, bits: 3, method: 'gptq' }],
    ['int2 RTN (MatMulNBits)', { ...common, bits: 2 }],
    ['int2 HQQ (MatMulNBits)', { ...common, bits: 2, method: 'hqq' }],
    ['int2 GPTQ (MatMulNBits)', { ...common, bits: 2, method: 'gptq' }],
    ['fp16 weights', { ...common, bits: 16, quantizationType: 'float' }],
    ['bf16 weights', { ...common, bits: 16, quantizationType: 'float', floatFormat: 'bf16' }],
  ];
  let i = 0;
  try {
    for (const [name, params] of quantRuns) {
      const r = await q.quantize({ ...params, outPath: join(dir, `q${i++}.onnx`) });
      add(name, r, r.quantizedSize);
    }
    const prune = await new ModelPruner().prune({ modelPath, device, batchSize, sparsity: 0.5, fineTune: true, fineTuneDataset: data, outPath: join(dir, 'p.onnx') });
    add('prune 50% magnitude + LS refit', prune, prune.prunedSize);
    const wanda = await new ModelPruner().prune({ modelPath, device, batchSize, sparsity: 0.6, activationAware: true, fineTune: true, fineTuneDataset: data, outPath: join(dir, 'w.onnx') });
    add('prune 60% Wanda + LS refit (sparse)', wanda, wanda.prunedSize);
    const structured = await new ModelPruner().prune({ modelPath, device, batchSize, sparsity: 0.5, method: 'structured', fineTune: true, fineTuneDataset: data, outPath: join(dir, 's.onnx') });
    add('prune 50% MLP units + LS refit', structured, structured.prunedSize);
    const lowRank = await new ModelCompressor().compress({ modelPath, device, batchSize, method: 'low_rank', targetSizeRatio: 0.5, trainingData: data, outPath: join(dir, 'lr.onnx') });
    add('low-rank 50% (activation-aware SVD)', lowRank, lowRank.compressedSize);
    const student = await new ModelCompressor().compress({ modelPath, device, batchSize, method: 'distillation', studentModelConfig: { numLayers: 3, intermediateRatio: 0.5 }, trainingData: data, outPath: join(dir, 'st.onnx') });
    add('distilled student (3/4 branches, MLP 50%)', student, student.compressedSize);
    const opt = await new ModelOptimizer().optimize({ modelPath, device, batchSize, calibrationData: data, outPath: join(dir, 'o.onnx') });
    add('ORT graph optimizations (fp32)', opt, opt.optimizedSize);
    const opt16 = await new ModelOptimizer().optimize({ modelPath, device, batchSize, precision: 'fp16', calibrationData: data, outPath: join(dir, 'o16.onnx') });
    add('ORT optimize, fp16 MatMuls', opt16, opt16.optimizedSize);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (values.json) {
    process.stdout.write(`${JSON.stringify({ model: modelPath, device, batchSize, cpus: cpus().length, reference, rows }, null, 2)}\n`);
    return;
  }
  const provider = rows[0]?.provider ?? device;
  const lines = [
    `Model: ${modelPath}`,
    `fp32: ${(reference!.size / 1e3).toFixed(1)} KB, held-out loss ${reference!.loss?.toFixed(4) ?? 'n/a'} nats (perplexity ${reference!.perplexity?.toFixed(3) ?? 'n/a'})`,
    `Provider: ${provider} (asked: ${device}), batch ${batchSize}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); each row times fp32 and the new model alternating run by run, medians.`,
    '',
    `| method | size KB | smaller | cosine | loss Δ% | ppl | fp32 ms | ms | speedup |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...rows.map((r) => `| ${r.name} | ${(r.sizeBytes / 1e3).toFixed(1)} | ${r.reductionPercent.toFixed(1)}% | ${r.cosine.toFixed(5)} | ${r.lossIncreasePercent !== undefined ? `${r.lossIncreasePercent >= 0 ? '+' : ''}${r.lossIncreasePercent.toFixed(2)}` : 'n/a'} | ${r.perplexity?.toFixed(3) ?? 'n/a'} | ${r.fp32Ms.toFixed(2)} | ${r.ms.toFixed(2)} | ${r.speedup.toFixed(2)}x |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:model failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
