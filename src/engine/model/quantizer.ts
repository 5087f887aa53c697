/**
 * The seed's `ModelQuantizer` (the Python PepperPy `optimization` module's 8/4/3/2-bit
 * quantizer class): finds every quantizable weight (targets.ts: MatMul, Gemm,
 * Conv, ConvTranspose, LSTM/GRU/RNN, Gather; initializers or Constant nodes, main graph
 * or subgraphs, directly or through Slice/Concat/… chains), rewrites it (weightFormats.ts),
 * then measures the result against the original on the same device.
 *
 * | request                               | graph                                                      |
 * | ------------------------------------- | ---------------------------------------------------------- |
 * | int 8/4 bits, format auto (default)   | each applicable format built and timed on the device; the fastest within the task tolerance is kept (formatChoice.ts) |
 * | dynamic (or format dynamic), 8 bits   | DynamicQuantizeMatMul / DynamicQuantizeLinear + ConvInteger / DynamicQuantizeLSTM (integerFormats.ts) |
 * | format qdq, 8 bits                    | calibrated QuantizeLinear/DequantizeLinear that onnxruntime fuses into QLinearConv / QLinearMatMul |
 * | format weight-only, 8 bits            | DequantizeLinear (int8 per output channel) + the fp32 op   |
 * | format nbits, 4/3/2 bits, hqq / gptq  | MatMulNBits, GatherBlockQuantized (com.microsoft), block-wise; Conv/LSTM/… int8 DequantizeLinear |
 * | int, 3 bits                           | 4-bit containers holding 8 levels                          |
 * | float, 16 bits                        | fp16 / bf16 constants + Cast to fp32                       |
 */
import { EngineError } from '../../protocol/errors';
import { ModelQuantizeParamsSchema, type ModelQuantizeParams, type QuantizedModel } from '../../protocol/model';
import { buildInputs, captureActivations, hessianOf } from './evaluate';
import { assertFloatModel, NameScope, opTypeCounts } from './graph';
import { finish, Job, loadSource, mb, outputPath, parseParams, referenceFor, round, type JobContext, unfaithfulAlternative } from './job';
import { elementCount } from './onnx';
import { quantizeAuto, type AutoResult } from './formatChoice';
import { shouldStream, streamQuantize } from './stream';
import { findQuantTargets } from './targets';
import { dequantizeDomain, quantizeFloat, quantizeNBits, quantizeWeightOnly } from './weightFormats';
import { dequantize, outputError, quantizeGptq, quantizeHqq, quantizeRtn, relativeError, type BlockQuant } from './quantMath';

/** Largest K for GPTQ's K×K inverse in plain TypeScript. */
const GPTQ_MAX_K = 4096;

export class ModelQuantizer {
  async quantize(raw: ModelQuantizeParams, ctx: JobContext = {}): Promise<QuantizedModel> {
    const p = parseParams(ModelQuantizeParamsSchema, raw, 'model/quantize');
    checkCombination(p.bits, p.quantizationType, p.method);
    if (p.format !== 'auto' && p.quantizationType !== 'int') throw new EngineError('badRequest', `format ${p.format} applies to quantizationType int; ${p.quantizationType === 'dynamic' ? 'dynamic is its own format' : 'float stores fp16/bf16 weights'}.`, `Drop --format, or use --type int --format ${p.format}.`);
    if ((p.format === 'dynamic' || p.format === 'qdq') && p.bits !== 8) throw new EngineError('unsupported', `format ${p.format} is 8-bit only in onnxruntime (got ${p.bits}).`, 'Use --bits 8, or format nbits for 4/3/2 bits.');
    // A model with its weights in external data, too large to hold in memory with its copy,
    // is quantized tensor by tensor (stream.ts): peak memory stays near the size on disk.
    if (shouldStream(p.modelPath, streamThreshold())) return streamQuantize(raw, ctx);
    const job = new Job(ctx);
    const suffix = p.quantizationType === 'float' ? p.floatFormat : `${p.quantizationType === 'dynamic' ? 'dyn' : 'q'}${p.bits}${p.method === 'rtn' ? '' : `-${p.method}`}`;
    const out = outputPath(p.modelPath, suffix, p.outPath);
    const source = await loadSource(job, p.modelPath);
    assertFloatModel(source.model, p.modelPath);
    const reference = await referenceFor(job, p.modelPath, p.device, p.calibrationData, p.batchSize, { inputsPath: p.inputsPath });
    const ep = reference.executionProvider;
    const model = source.model;
    const names = new NameScope(model);
    let format: string;
    let storageBits = p.bits;
    let quantized = 0;
    let constants = 0;
    let skipped = 0;
    let layersByOp: Record<string, number> = {};
    const errors: number[] = [];
    const rtnErrors: number[] = [];
    const methodErrors: number[] = [];
    const outputErrors: { method: number; rtn: number }[] = [];

    const explicitFormat = p.quantizationType === 'int' && p.format !== 'auto' ? p.format : undefined;
    if (explicitFormat === 'weight-only' && p.bits !== 8) throw new EngineError('unsupported', `format weight-only stores int8 weights, so bits must be 8 (got ${p.bits}).`, 'Use bits 8, or format nbits for 4/3/2 bits.');
    const targetsAll = p.quantizationType === 'dynamic' ? [] : findQuantTargets(model, { minElements: 1 });
    const targets = targetsAll.filter((t) => elementCount(t.dims) >= p.minElements);
    const small = new Set(targetsAll.filter((t) => !targets.includes(t)).map((t) => t.node)).size;

    let choice: AutoResult | undefined;
    if (usesFormatChoice(p.quantizationType, p.format, p.method)) {
      // Every applicable format built and measured, the fastest within tolerance kept (formatChoice.ts); an explicit dynamic/qdq is the only candidate.
      choice = await quantizeAuto(model, { bits: p.bits, minElements: p.minElements, blockSize: p.blockSize, accuracyLevel: p.accuracyLevel, formats: p.quantizationType === 'dynamic' ? ['dynamic'] : explicitFormat ? [explicitFormat] : undefined, reference, sourceSize: source.sizeBytes, calibration: { dataPath: p.calibrationData, inputsPath: p.inputsPath, batchSize: p.batchSize }, token: job.token, progress: (message, percent) => job.progress(message, percent) });
      Object.assign(model, { graph: choice.model.graph, opsetImport: choice.model.opsetImport });
      ({ quantized, layersByOp } = choice.rewrite);
      skipped = small + choice.rewrite.skipped.length;
      errors.push(choice.rewrite.weightError);
      storageBits = p.bits === 3 ? 4 : p.bits;
      format = `${choice.format}: ${choice.description}`;
      job.notes.push(...choice.rewrite.notes, `Format: ${choice.reason}.`);
    } else if (p.quantizationType === 'float') {
      format = `${p.floatFormat} weights (initializers and Constant nodes, in every subgraph), Cast to fp32 before use (compute stays fp32)`;
      const r = await quantizeFloat(model, targets, p.floatFormat, { names, otherConstantsMinElements: p.minElements });
      ({ quantized, layersByOp } = r);
      constants = r.constants ?? 0;
      skipped = small + r.skipped.length;
      errors.push(r.weightError);
      job.notes.push(...r.notes);
      job.notes.push(`Weights with at least ${p.minElements} elements are stored as ${p.floatFormat}; onnxruntime casts them back once at load, so compute and speed match fp32 and only the file shrinks. For fp16 compute use model optimize --precision fp16.`);
    } else {
      // Explicit weight-only or nbits, and 4/3/2 bits with hqq/gptq (which formatChoice.ts does
      // not time): MatMulNBits where onnxruntime has the kernel, int8 weight-only elsewhere.
      const weightOnly = explicitFormat === 'weight-only' || (explicitFormat === undefined && p.bits === 8 && ep === 'cpu');
      if (weightOnly) {
        const r = await quantizeWeightOnly(model, targets, { names });
        ({ quantized, layersByOp } = r);
        constants = r.constants ?? 0;
        skipped = small + r.skipped.length;
        errors.push(r.weightError);
        job.notes.push(...r.notes);
        format = `DequantizeLinear (int8 per output channel${dequantizeDomain(model) === 'com.microsoft' ? ', com.microsoft domain' : ''}) feeding ${describeOps(layersByOp)}`;
        job.notes.push('int8 weight-only: the weights are stored as int8 and dequantized to fp32 at run time; compute stays fp32, so expect a smaller file, not a faster model.');
      } else {
        const accuracyLevel = p.accuracyLevel ?? (ep === 'cpu' ? 4 : 0);
        storageBits = p.bits === 3 ? 4 : p.bits;
        if (p.bits === 3) job.notes.push('onnxruntime has no 3-bit kernel: the 8 levels of each 3-bit weight are stored in 4-bit MatMulNBits containers, so the file is the size of a 4-bit one; the accuracy is that of 3 bits.');
        if (p.bits === 8) job.notes.push(`8-bit weights use MatMulNBits on ${ep}, where it is faster than DequantizeLinear + MatMul (see docs/model-optimization.md).`);
        let hessians: Map<string, Float64Array> | undefined;
        let calib: Awaited<ReturnType<typeof buildInputs>> | undefined;
        if (p.method === 'gptq') {
          if (!p.calibrationData && !reference.evalSet.kind.classifier) throw new EngineError('badRequest', 'GPTQ needs calibration data for a language model.', 'Pass --data FILE (calibrationData): a text or JSONL file; or use --method hqq, which needs none.');
          job.progress('Capturing layer inputs on the calibration data', 15);
          calib = await buildInputs(reference.session, { dataPath: p.calibrationData, batchSize: p.batchSize, batches: 4, part: 'calibration' });
          hessians = new Map();
          job.notes.push(`GPTQ calibration: ${calib.description}; sequential: each layer's inputs are captured from the model with the layers before it already quantized, so later layers compensate earlier errors.`);
        }
        const r = await quantizeNBits(model, targets, {
          bits: p.bits,
          blockSize: p.blockSize,
          accuracyLevel,
          names,
          onWeight: (i, total, label) => {
            job.checkCancelled();
            job.progress(`Quantizing ${label}`, 20 + (60 * i) / Math.max(1, total));
          },
          quantize: async (t, w, k, n) => {
            const input = t.node.input[0];
            if (hessians && calib && !hessians.has(input) && k <= GPTQ_MAX_K) {
              // Layers that read the same tensor (q, k, v projections) reuse one capture.
              const acts = await captureActivations(model, [input], calib, { token: job.token });
              for (const [name, a] of acts) hessians.set(name, hessianOf(a));
            }
            const hessian = hessians?.get(input);
            let q: BlockQuant;
            if (p.method === 'hqq') q = quantizeHqq(w, k, n, p.bits, p.blockSize);
            else if (p.method === 'gptq' && hessian && k <= GPTQ_MAX_K) q = quantizeGptq(w, k, n, p.bits, p.blockSize, hessian);
            else q = quantizeRtn(w, k, n, p.bits, p.blockSize);
            if (p.method !== 'rtn') {
              const rtn = dequantize(quantizeRtn(w, k, n, p.bits, p.blockSize));
              rtnErrors.push(relativeError(w, rtn));
              methodErrors.push(relativeError(w, dequantize(q)));
              if (hessian) outputErrors.push({ method: outputError(w, dequantize(q), hessian, k, n), rtn: outputError(w, rtn, hessian, k, n) });
            }
            return q;
          },
        });
        ({ quantized, layersByOp } = r);
        constants = r.constants ?? 0;
        skipped = small + r.skipped.length;
        errors.push(r.weightError);
        job.notes.push(...r.notes);
        const nbitsOps = ['MatMulNBits', 'GatherBlockQuantized'].filter((op) => opTypeCounts(model)[op] > 0);
        if (nbitsOps.length > 0) format = `${nbitsOps.join(' + ')} (com.microsoft), ${storageBits}-bit, block ${p.blockSize}, accuracy_level ${accuracyLevel}${p.method === 'hqq' ? ', float zero points' : ''}${r.notes.some((n) => n.startsWith('Not quantized at')) ? '; int8 DequantizeLinear for the other ops' : ''}`;
        else {
          // Nothing had a block-quantized kernel (a CNN or LSTM model): everything is int8.
          storageBits = 8;
          format = `DequantizeLinear (int8 per output channel${dequantizeDomain(model) === 'com.microsoft' ? ', com.microsoft domain' : ''}) feeding ${describeOps(layersByOp)}: no layer has a ${p.bits}-bit kernel in onnxruntime`;
        }
      }
      if (small > 0) job.notes.push(`${small} layer(s) with weights of fewer than ${p.minElements} elements stay fp32.`);
    }
    if (choice && small > 0) job.notes.push(`${small} layer(s) with weights of fewer than ${p.minElements} elements stay fp32 (minElements, a model/quantize request parameter; the CLI uses the default).`);
    let noLowBits: string | undefined;
    if (p.quantizationType === 'int' && p.bits < 8) {
      const counts = opTypeCounts(model);
      if (!((counts.MatMulNBits ?? 0) > 0) && !((counts.GatherBlockQuantized ?? 0) > 0)) {
        storageBits = 8;
        // Name what the file holds, not the candidate's 4-bit label: the int8 form its layers took.
        const int8Form = (counts.QuantizeLinear ?? 0) > 0 ? 'static QDQ int8' : (counts.DynamicQuantizeLinear ?? 0) > 0 || (counts.ConvInteger ?? 0) > 0 || (counts.MatMulInteger ?? 0) > 0 ? 'dynamic int8' : 'int8 weight-only (DequantizeLinear)';
        format = `${int8Form} for ${describeOps(layersByOp) || 'every quantized layer'}: no layer has a ${p.bits}-bit kernel in onnxruntime, so the file is the 8-bit result`;
        noLowBits = `No layer was stored at ${p.bits} bits: onnxruntime has ${p.bits}-bit kernels only for MatMul/Gemm (MatMulNBits) and Gather (GatherBlockQuantized), and this model's weights are in ${describeOps(layersByOp) || 'other operators'}, which stay int8 — the file is the 8-bit result.`;
      }
    }
    if (Object.keys(layersByOp).length > 0) job.notes.push(`Quantized layers by operator: ${describeOps(layersByOp)}.`);
    if (quantized === 0 && constants === 0) throw new EngineError('unsupported', `${p.modelPath} has no layer this quantization applies to (MatMul, Gemm, Conv, ConvTranspose, LSTM, GRU, RNN or Gather with a constant float weight of at least ${p.minElements} elements).`, `Lower minElements (a model/quantize request parameter, now ${p.minElements}; the CLI has no option for it), or check the model with \`pepperpy-opt model inspect\`.`);
    const base = await finish(job, source, reference, model, out, { alternative: unfaithfulAlternative({ verb: 'quantize', bits: p.bits, quantizationType: p.quantizationType, inputsPath: p.inputsPath }) });
    const { newSize, ...shared } = base;
    if (choice && choice.warnings.length > 0) {
      // The final measurement (finish) already warns about speed and size; the choice adds what it alone knows.
      // One number per fact: the final measurement decides whether the result is slower; the
      // choice only adds why no faster format was kept.
      const seen = (shared.warnings ?? []).join(' ');
      const slower = choice.warnings.find((w) => /^Slower than the source/.test(w));
      const extra = choice.warnings.filter((w) => w !== slower && !(/^Larger than the source/.test(w) && /not smaller|larger/i.test(seen)));
      const why = slower?.replace(/^Slower than the source \([^)]*\): /, '');
      shared.warnings = [...(shared.warnings ?? []).map((w) => (why && /^The result is SLOWER/.test(w) ? `${w} ${why.charAt(0).toUpperCase()}${why.slice(1)}` : w)), ...extra];
    }
    if (noLowBits) shared.warnings = [noLowBits, ...(shared.warnings ?? [])];
    const weightError = errors.length > 0 ? errors.reduce((a, b) => a + b, 0) / errors.length : 0;
    if (newSize >= source.sizeBytes && !(shared.warnings ?? []).some((w) => /not smaller|larger/i.test(w))) {
      shared.warnings = [...(shared.warnings ?? []), `The quantized model (${mb(newSize)} MB) is not smaller than the source (${mb(source.sizeBytes)} MB): there is no size reduction.`];
    }
    if (rtnErrors.length > 0) {
      const rtn = rtnErrors.reduce((a, b) => a + b, 0) / rtnErrors.length;
      const method = methodErrors.reduce((a, b) => a + b, 0) / Math.max(1, methodErrors.length);
      shared.notes.push(`Weight error ${p.method} ${method.toFixed(4)} vs round-to-nearest ${rtn.toFixed(4)} on the same layers (mean ‖W−Ŵ‖/‖W‖).`);
      if (outputErrors.length > 0) {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        shared.notes.push(`Layer output error on the calibration inputs (mean ‖X(W−Ŵ)‖²/‖XW‖², what GPTQ minimizes): ${p.method} ${mean(outputErrors.map((e) => e.method)).toExponential(3)} vs round-to-nearest ${mean(outputErrors.map((e) => e.rtn)).toExponential(3)}.`);
      }
    }
    return {
      ...shared,
      quantizedSize: newSize,
      quantizedSizeMb: mb(newSize),
      bits: p.bits,
      storageBits,
      quantizationType: p.quantizationType,
      method: p.method,
      format,
      layersQuantized: quantized,
      layersSkipped: skipped,
      layersByOp,
      weightError: round(weightError, 6),
      ...(choice ? { chosenFormat: choice.format, formatReason: choice.reason, candidates: choice.candidates } : {}),
    };
  }
}

/** Format auto (int, round to nearest) and the integer-compute formats go through formatChoice.ts. */
function usesFormatChoice(type: string, format: string, method: string): boolean {
  return (type === 'int' && format === 'auto' && method === 'rtn') || type === 'dynamic' || (type === 'int' && (format === 'dynamic' || format === 'qdq'));
}

/** PEPPERPY_STREAM_MIN_BYTES lowers (or raises) the size from which models are streamed; default: stream.ts decides. */
function streamThreshold(): { minBytes?: number } {
  const v = Number(process.env.PEPPERPY_STREAM_MIN_BYTES);
  return Number.isFinite(v) && v > 0 ? { minBytes: v } : {};
}

function checkCombination(bits: number, type: string, method: string): void {
  if (type === 'float' && bits !== 16) throw new EngineError('unsupported', `quantizationType float stores fp16 or bf16 weights, so bits must be 16 (got ${bits}).`, 'Use bits 16 with floatFormat fp16|bf16, or quantizationType int for 8/4/3/2 bits.');
  if (type !== 'float' && bits === 16) throw new EngineError('badRequest', '16 bits is only for --type float (quantizationType float).', 'Use --bits 8, 4, 3 or 2 with --type int or dynamic.');
  if (type === 'dynamic' && bits !== 8) throw new EngineError('unsupported', `Dynamic quantization is 8-bit only in onnxruntime (got ${bits}).`, 'Use --type int (quantizationType int) for 4/3/2 bits (MatMulNBits).');
  if (method !== 'rtn' && (type !== 'int' || bits === 8)) throw new EngineError('unsupported', `Method ${method} applies to 4, 3 and 2-bit int quantization.`, 'Use method rtn for 8-bit and float quantization.');
}

/** "12 Conv, 2 LSTM" */
function describeOps(byOp: Record<string, number>): string {
  return Object.entries(byOp).map(([op, n]) => `${n} ${op}`).join(', ');
}
