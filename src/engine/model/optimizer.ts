/**
 * The seed's `ModelOptimizer` (the Python PepperPy `optimization` module's class that tunes a
 * model for latency, throughput or memory: precision, compilation, flash attention): precision conversion, then onnxruntime's own graph
 * optimizations (constant folding, redundant-node elimination, operator fusions such as
 * Gelu, LayerNormalization, FusedMatMul and, where its patterns match, Attention) applied
 * in a session and written out with `optimizedModelFilePath`, then both models timed.
 *
 * fp16/bf16 is mixed precision: only MatMul/Gemm with a constant weight run in 16 bits
 * (input cast down, output cast up); normalization, softmax, reductions, exponentials and
 * everything else stay in fp32, which is where 16-bit arithmetic loses accuracy.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { EngineError } from '../../protocol/errors';
import { ModelOptimizeParamsSchema, type ModelOptimizeParams, type OptimizedModel } from '../../protocol/model';
import { findLinears, gemmToMatMul, makeAttribute, makeNode, NameScope, opTypeCounts, removeUnusedInitializers } from './graph';
import { compareSpeed } from './evaluate';
import { finish, Job, loadSource, outputPath, parseParams, referenceFor, type JobContext, unfaithfulAlternative } from './job';
import { DataType, decodeModel, encodeModel, float16Raw, makeTensor, tensorToFloat32, type ModelProto } from './onnx';
import { ModelQuantizer } from './quantizer';
import { openSession } from './runtime';

export class ModelOptimizer {
  async optimize(raw: ModelOptimizeParams, ctx: JobContext = {}): Promise<OptimizedModel> {
    const p = parseParams(ModelOptimizeParamsSchema, raw, 'model/optimize');
    const job = new Job(ctx);
    const out = outputPath(p.modelPath, `opt-${p.precision}`, p.outPath);
    let sourcePath = p.modelPath;
    let tempQuantized: string | undefined;
    if (p.precision === 'int8') {
      job.progress('Quantizing to int8 (dynamic) first', 5);
      tempQuantized = `${out}.int8-tmp-${process.pid}.onnx`;
      const q = await new ModelQuantizer().quantize({ modelPath: p.modelPath, bits: 8, quantizationType: 'dynamic', device: p.device, outPath: tempQuantized, calibrationData: p.calibrationData, batchSize: Math.max(1, p.batchSize) }, { token: job.token });
      job.notes.push(`int8: ${q.format}; weight error ${q.weightError}.`);
      sourcePath = tempQuantized;
    }
    try {
      const source = await loadSource(job, p.modelPath);
      const reference = await referenceFor(job, p.modelPath, p.device, p.calibrationData, p.batchSize, { inputsPath: p.inputsPath });
      const ep = reference.executionProvider;
      const work = sourcePath === p.modelPath ? source.model : (await loadSource(job, sourcePath)).model;
      const keptInFp32: string[] = [];
      if (p.precision === 'fp16' || p.precision === 'bf16') {
        const converted = await mixedPrecision(work, p.precision);
        const counts = opTypeCounts(work);
        keptInFp32.push(...Object.keys(counts).filter((op) => !['MatMul', 'Gemm', 'Cast'].includes(op)).sort());
        job.notes.push(`${converted} MatMul layer(s) run in ${p.precision} (inputs cast down, outputs cast up); ${keptInFp32.length} other operator types stay fp32.`);
        if (ep === 'cpu') job.notes.push(`On CPU onnxruntime has no fast ${p.precision} GEMM on x86, so expect the ${p.precision} model to be slower there; it is meant for WebGPU/CUDA (see docs/model-optimization.md).`);
      }
      let level: 'basic' | 'extended' | 'all' = p.compile ? (p.optimizationTarget === 'memory' ? 'extended' : 'all') : 'basic';
      // onnxruntime optimizes while creating a session and writes the result.
      job.progress(`Applying onnxruntime graph optimizations (${level}) on ${ep}`, 50);
      const pre = await encodeModel(work);
      const before = opTypeCounts(work);
      const staging = `${out}.staging-${process.pid}.onnx`;
      const stagingExtended = `${out}.staging-extended-${process.pid}.onnx`;
      try {
        const session = await openSession(pre, ep, { graphOptimizationLevel: level, optimizedModelFilePath: staging, strictDevice: true }, 'the model');
        await session.release();
        let chosen = staging;
        if (level === 'all') {
          // "all" adds layout transformations (NCHWc-blocked Conv weights) that can make the file
          // much larger (+42 % on a real VAD) for no measurable speed. Keep them only when they pay.
          const ext = await openSession(pre, ep, { graphOptimizationLevel: 'extended', optimizedModelFilePath: stagingExtended, strictDevice: true }, 'the model');
          await ext.release();
          const allBytes = statSync(staging).size;
          const extBytes = statSync(stagingExtended).size;
          if (allBytes > extBytes) {
            job.progress('Timing the "all" layout transformations against "extended"', 70);
            const [a, e] = [await openSession(staging, ep, {}, 'the optimized model'), await openSession(stagingExtended, ep, {}, 'the optimized model')];
            try {
              const speed = await compareSpeed(e, a, reference.evalSet.batches[0], { runs: 20, maxMs: 10_000 });
              // Run-to-run noise on a loaded machine reaches ±10 %: a larger file must buy a clear speedup.
              if (speed.speedup < 1.1) {
                chosen = stagingExtended;
                level = 'extended';
                job.notes.push(`Graph optimization level "extended" kept: "all" (layout transformations) made the file ${((allBytes / extBytes - 1) * 100).toFixed(1)} % larger and ran at ${speed.speedup.toFixed(2)}× the "extended" graph (medians of ${speed.runs} runs, same run).`);
              } else job.notes.push(`Graph optimization level "all" kept: ${speed.speedup.toFixed(2)}× faster than "extended" (medians of ${speed.runs} runs), at ${((allBytes / extBytes - 1) * 100).toFixed(1)} % more bytes.`);
            } finally {
              await a.release();
              await e.release();
            }
          }
        }
        if (level === 'all') job.notes.push('Graph optimization level "all" includes layout transformations specific to this machine\'s CPU; re-run optimize on a different machine rather than copying the file.');
        const optimized = await decodeModel(readFileSync(chosen), 'the optimized model');
        const after = opTypeCounts(optimized);
        const fusedOps: Record<string, number> = {};
        for (const [op, count] of Object.entries(after)) if (!(op in before)) fusedOps[op] = count;
        if ((p.precision === 'fp16' || p.precision === 'bf16') && !optimized.graph!.initializer.some((t) => t.dataType === DataType.FLOAT16 || t.dataType === DataType.BFLOAT16)) {
          job.notes.push(`onnxruntime's ${ep} optimizer folded the ${p.precision} layers back to fp32 (this provider has no fast ${p.precision} MatMul here), so the saved model is fp32; run optimize with --device webgpu (or cuda) to keep ${p.precision}.`);
        }
        const hasAttention = Object.keys(after).some((op) => /Attention/.test(op));
        if (p.enableFlashAttention && !hasAttention) job.notes.push('--flash-attention (enableFlashAttention): onnxruntime\'s in-session optimizer did not fuse this graph\'s attention into an Attention/MultiHeadAttention node (its transformer-specific fusions live in its Python tools), so no flash-attention kernel applies; the unfused MatMul/Softmax path runs.');
        if (!p.dynamicShapes) job.notes.push(`dynamicShapes false: timing uses a fixed batch of ${p.batchSize}; the saved model keeps its symbolic dimensions.`);
        const base = await finish(job, source, reference, optimized, out, { alternative: unfaithfulAlternative({ verb: 'optimize', precision: p.precision, inputsPath: p.inputsPath }) });
        const { newSize, ...shared } = base;
        return {
          ...shared,
          optimizedSize: newSize,
          config: { optimizationTarget: p.optimizationTarget, precision: p.precision, graphOptimizationLevel: level, executionProvider: ep, batchSize: p.batchSize, fusedOps, keptInFp32 },
        };
      } finally {
        for (const f of [staging, `${staging}.data`, stagingExtended, `${stagingExtended}.data`]) rmSync(f, { force: true });
      }
    } finally {
      if (tempQuantized) rmSync(tempQuantized, { force: true });
    }
  }
}

/** Runs MatMul/Gemm layers with constant weights in 16 bits; all other ops stay fp32. */
async function mixedPrecision(model: ModelProto, format: 'fp16' | 'bf16'): Promise<number> {
  await gemmToMatMul(model);
  const names = new NameScope(model);
  const type = format === 'fp16' ? DataType.FLOAT16 : DataType.BFLOAT16;
  let converted = 0;
  for (const lin of findLinears(model, 1)) {
    if (lin.weight.tensor.dataType !== DataType.FLOAT) continue;
    const w16 = await makeTensor(names.next(`${lin.weight.name}_${format}`), type, [lin.k, lin.n], float16Raw(tensorToFloat32(lin.weight.tensor), format));
    const x16 = names.next(`${lin.node.input[0]}_${format}`);
    const y16 = names.next(`${lin.node.output[0]}_${format}`);
    const prefix = lin.node.name || lin.weight.name;
    const nodes = [
      await makeNode('Cast', [lin.node.input[0]], [x16], names.next(`${prefix}_CastIn`), [await makeAttribute('to', type)]),
      await makeNode('MatMul', [x16, w16.name], [y16], names.next(`${prefix}_${format}`)),
      await makeNode('Cast', [y16], [...lin.node.output], names.next(`${prefix}_CastOut`), [await makeAttribute('to', DataType.FLOAT)]),
    ];
    lin.graph.node.splice(lin.graph.node.indexOf(lin.node), 1, ...nodes);
    lin.graph.initializer.push(w16);
    converted++;
  }
  if (converted === 0) throw new EngineError('unsupported', 'The model has no fp32 MatMul/Gemm with a constant weight to run in 16 bits.', 'Use precision fp32 (graph optimizations only).');
  removeUnusedInitializers(model);
  return converted;
}
