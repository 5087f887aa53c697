/** `pepperpy-opt model inspect|quantize|prune|compress|optimize <model.onnx> … --out FILE [--json]`. */
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { EngineError } from '../../protocol/errors';
import { UNFAITHFUL_EXIT_CODE, type ModelResultBase } from '../../protocol/model';
import { availableProviders } from '../model/runtime';
import { ModelCompressor } from '../model/compressor';
import { inspectModel } from '../model/inspect';
import { ModelOptimizer } from '../model/optimizer';
import { ModelPruner } from '../model/pruner';
import { ModelQuantizer } from '../model/quantizer';
import { UsageError, type CliCommand, type CliIo, type CommandOutput, type OptionSpec } from './framework';

type Values = Record<string, string | boolean | string[] | undefined>;

const common: Record<string, OptionSpec> = {
  out: { type: 'string', short: 'o', valueName: 'FILE', description: 'Where to write the new model (default: beside the source, with a suffix).' },
  device: { type: 'string', valueName: 'D', description: 'auto | cpu | webgpu | cuda (default auto; falls back to CPU and says so).' },
  'batch-size': { type: 'string', valueName: 'N', description: 'Batch used for timing and fidelity (default 8; lowered for large images).' },
  inputs: { type: 'string', valueName: 'FILE', description: 'Sample inputs to measure on: JSON ({ "<input>": { "dims": [...], "type": "float32", "data": [...] } } or nested arrays; a list for several samples), .npy (one input), .npz, a .png image (resized and normalized for the image input) or a 16-bit PCM .wav (resampled and cut into the chunks the audio input takes). Default: realistic inputs generated from the model.' },
};

const FIXTURES = 'test/fixtures/models';

/** Help lines on the exit code of a verb that writes a model (quantize, prune, compress, optimize). */
const WRITES_MODEL_EPILOG = [
  'Exit codes: 0 the model was written and is faithful (its task fidelity is within tolerance);',
  `${UNFAITHFUL_EXIT_CODE} the model was written but is NOT faithful: its task fidelity is out of tolerance (the JSON says`,
  '"faithful": false, with "unfaithful": { "reason", "alternative" }); 1 failure or refusal, nothing written; 2 bad usage.',
];

/**
 * The command's output for a verb that wrote a model: exit code 3 when the result is out of
 * tolerance, said on stderr with the reason and what to try instead.
 */
function modelOutput(r: ModelResultBase, text: string, io: CliIo): CommandOutput {
  if (r.faithful !== false) return { json: r, text };
  const why = r.unfaithful ? `${r.unfaithful.reason}. Try instead: ${r.unfaithful.alternative}` : 'its task fidelity is out of tolerance';
  io.stderr(`pepperpy-opt: ${r.path} was written but is not faithful (exit code ${UNFAITHFUL_EXIT_CODE}): ${why}.\n`);
  return { json: r, text, exitCode: UNFAITHFUL_EXIT_CODE };
}

function onePath(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Missing the model: give the path of an .onnx file.' : `Expected one model, got ${positionals.length}: ${positionals.join(' ')}.`);
  return positionals[0];
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function num(values: Values, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  // Decimal only: Number() also reads 0x10, 0b1 and 0o7, which nobody means as a sparsity or a batch size.
  if (typeof v !== 'string' || !DECIMAL.test(v.trim()) || !Number.isFinite(n)) throw new UsageError(`--${name} needs a number, got "${String(v)}".`);
  return n;
}

function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function bool(values: Values, name: string): boolean | undefined {
  const v = values[name];
  return typeof v === 'boolean' ? v : undefined;
}

/** Drops undefined fields so the schema's defaults apply. */
function defined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Progress goes to stderr, so stdout stays the result (one JSON object with --json). Ctrl-C
 * (SIGINT) or SIGTERM cancels the job the way the editor's Cancel does, so its temporary files
 * are removed and nothing is left at --out; a second signal stops at once.
 */
function progressTo(io: CliIo) {
  let last = '';
  let cancelled = false;
  const listeners = new Set<() => void>();
  const token = {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(listener: () => void) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (cancelled) process.exit(signal === 'SIGINT' ? 130 : 143);
    cancelled = true;
    io.stderr(`${signal}: cancelling the job and removing its temporary files (send it again to stop at once)…\n`);
    for (const l of [...listeners]) l();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    token,
    progress: (p: { message?: string; percent?: number }) => {
      const line = `${p.percent !== undefined ? `[${String(p.percent).padStart(3)}%] ` : ''}${p.message ?? ''}`;
      if (line !== last) io.stderr(`${line}\n`);
      last = line;
    },
  };
}

function sizeLine(label: string, before: number, after: number, reduction: number): string {
  return `  ${label}: ${(before / 1e6).toFixed(3)} MB → ${(after / 1e6).toFixed(3)} MB (${after > before ? `${(((after - before) / before) * 100).toFixed(1)}% LARGER` : `${reduction.toFixed(1)}% smaller`})`;
}

/** Warnings go first in the text and to stderr as `warning:` lines, so they cannot be missed. */
function warningLines(r: ModelResultBase, io: CliIo): string[] {
  const warnings = r.warnings ?? [];
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  return warnings.map((w) => `  WARNING: ${w}`);
}

function commonLines(r: ModelResultBase): string[] {
  const f = r.fidelity;
  const lines = [
    `  speed: ${r.measuredSpeedup.toFixed(2)}x on ${r.executionProvider} (median ${r.speed.referenceMs.toFixed(2)} ms → ${r.speed.optimizedMs.toFixed(2)} ms, batch ${r.speed.batchSize})`,
    `  fidelity: cosine ${f.cosineSimilarity.toFixed(5)}, max |Δ| ${f.maxAbsError.toExponential(2)}${f.top1Agreement !== undefined ? `, top-1 agreement ${(f.top1Agreement * 100).toFixed(1)}%` : ''}`,
  ];
  if (f.task) lines.push(`  task fidelity: ${f.task.metric} ${f.task.metric === 'lossIncreasePercent' ? `${f.task.value >= 0 ? '+' : ''}${f.task.value.toFixed(2)}%` : f.task.metric === 'cosine' ? f.task.value.toFixed(6) : `${(f.task.value * 100).toFixed(2)}%`} ${f.task.withinTolerance ? '(within tolerance)' : '(OUT OF TOLERANCE)'}: ${f.task.description}`);
  if (r.faithful === false) lines.push(`  NOT FAITHFUL: ${r.unfaithful?.reason ?? 'task fidelity out of tolerance'}; try instead: ${r.unfaithful?.alternative ?? 'a milder setting'}`);
  if (f.inputShapes) lines.push(`  measured on: ${Object.entries(f.inputShapes).map(([n, d]) => `${n} [${d.join(', ')}]`).join(', ')}`);
  if (f.loss !== undefined) lines.push(`  loss: ${f.referenceLoss!.toFixed(4)} → ${f.loss.toFixed(4)} nats (perplexity ${f.referencePerplexity!.toFixed(3)} → ${f.perplexity!.toFixed(3)}, ${f.lossIncreasePercent! >= 0 ? '+' : ''}${f.lossIncreasePercent!.toFixed(2)}%)`);
  for (const n of r.notes) lines.push(`  - ${n}`);
  return lines;
}

export const modelCommands: CliCommand[] = [
  {
    area: 'model',
    verb: 'inspect',
    summary: 'Show what an ONNX model holds: inputs, outputs, operators, weights, quantizable layers.',
    positionals: '<model.onnx>',
    options: {},
    async run({ positionals }) {
      const info = await inspectModel(onePath(positionals));
      const lines = [
        `${info.path}: ${(info.sizeBytes / 1e6).toFixed(3)} MB, IR ${info.irVersion}, opsets ${Object.entries(info.opsets).map(([d, v]) => `${d} ${v}`).join(', ')}${info.producer ? `, from ${info.producer}` : ''}`,
        `  inputs: ${info.inputs.map((i) => `${i.name} ${i.type}[${i.shape.join(', ')}]`).join('; ')}`,
        `  outputs: ${info.outputs.map((i) => `${i.name} ${i.type}[${i.shape.join(', ')}]`).join('; ')}`,
        `  ${info.nodeCount} nodes (${info.subgraphCount} subgraphs), ${info.parameterCount.toLocaleString('en-US')} float parameters, ${info.quantizableLayers} quantizable layers (MatMul, Gemm, Conv, ConvTranspose, LSTM/GRU/RNN, Gather)`,
        `  weights: ${info.weights.initializers} initializers, ${info.weights.constantNodes} Constant nodes, ${info.weights.inSubgraphs} in subgraphs${info.weights.externalDataFiles.length > 0 ? `, external data: ${info.weights.externalDataFiles.join(', ')}` : ''}`,
        `  ops: ${Object.entries(info.opTypes).sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ')}`,
      ];
      return { json: info, text: lines.join('\n') };
    },
  },
  {
    area: 'model',
    verb: 'quantize',
    summary: 'Quantize the linear layers to 8/4/3/2-bit integers or fp16/bf16, and measure size, speed and fidelity.',
    positionals: '<model.onnx>',
    options: {
      ...common,
      bits: { type: 'string', short: 'b', valueName: 'N', description: '8, 4, 3, 2 (or 16 with --type float). Default 8.' },
      type: { type: 'string', valueName: 'T', description: 'int | dynamic | float (default int).' },
      method: { type: 'string', valueName: 'M', description: 'rtn | hqq | gptq for 4/3/2 bits (default rtn; gptq needs --data).' },
      'block-size': { type: 'string', valueName: 'N', description: 'Block size along K for MatMulNBits (default 32).' },
      'float-format': { type: 'string', valueName: 'F', description: 'fp16 | bf16 with --type float (default fp16).' },
      'accuracy-level': { type: 'string', valueName: 'N', description: 'MatMulNBits accuracy_level 0-4 (default 4 on CPU).' },
      data: { type: 'string', valueName: 'FILE', description: 'Text/JSONL for calibration and for loss/perplexity.' },
      format: { type: 'string', valueName: 'F', description: 'auto | dynamic | qdq | weight-only | nbits (default auto: the fastest format within the fidelity tolerance, measured).' },
    },
    examples: [
      `pepperpy-opt model quantize ${FIXTURES}/tiny_lm.onnx --bits 4 --method hqq --data ${FIXTURES}/corpus.txt --out /tmp/tiny_lm.q4.onnx`,
      `pepperpy-opt model quantize ${FIXTURES}/tiny_mlp.onnx --bits 8 --format dynamic --json`,
      `pepperpy-opt model quantize ${FIXTURES}/tiny_mlp.onnx --bits 8 --inputs ${FIXTURES}/npy/tiny_mlp_x.npy --out /tmp/tiny_mlp.q8.onnx`,
    ],
    epilog: WRITES_MODEL_EPILOG,
    async run({ positionals, values }, io) {
      const r = await new ModelQuantizer().quantize(
        defined({
          modelPath: onePath(positionals),
          bits: num(values, 'bits') as 2 | 3 | 4 | 8 | 16 | undefined,
          quantizationType: str(values, 'type') as 'int' | 'float' | 'dynamic' | undefined,
          method: str(values, 'method') as 'rtn' | 'hqq' | 'gptq' | undefined,
          blockSize: num(values, 'block-size'),
          floatFormat: str(values, 'float-format') as 'fp16' | 'bf16' | undefined,
          accuracyLevel: num(values, 'accuracy-level'),
          calibrationData: str(values, 'data'),
          format: str(values, 'format') as 'auto' | undefined,
          inputsPath: str(values, 'inputs'),
          device: str(values, 'device') as 'auto' | undefined,
          batchSize: num(values, 'batch-size'),
          outPath: str(values, 'out'),
        }),
        progressTo(io),
      );
      const lines = [`${r.path}: ${r.bits}-bit ${r.quantizationType} (${r.method}), ${r.format}`, ...warningLines(r, io), sizeLine('size', r.originalSize, r.quantizedSize, r.sizeReductionPercent)];
      if (r.chosenFormat) lines.push(`  format: ${r.chosenFormat}${r.formatReason ? ` (${r.formatReason})` : ''}`);
      if (r.candidates && r.candidates.length > 0) {
        lines.push('  candidates (screening timings while choosing; the speed line below is the final measurement):');
        // Formats that appear more than once (4-bit accuracy levels, mixed precision) are told apart by their description.
        const label = (c: (typeof r.candidates)[number]) => (r.candidates!.filter((x) => x.format === c.format).length > 1 ? `${c.format} (${c.description.split(';')[0]})` : c.format);
        const width = Math.max(...r.candidates.map((c) => label(c).length));
        for (const c of r.candidates) {
          const head = `    ${c.chosen ? '*' : ' '} ${label(c).padEnd(width)}  `;
          if (c.sizeBytes === 0) lines.push(`${head}not built: ${c.verdict}`);
          else lines.push(`${head}${c.speedup > 0 ? `${c.speedup.toFixed(2)}×` : '  —  '}  ${(c.sizeBytes / 1e6).toFixed(3)} MB  ${c.fidelity.metric} ${c.fidelity.metric === 'cosine' || c.fidelity.metric === 'lossIncreasePercent' ? c.fidelity.value.toFixed(4) : `${(c.fidelity.value * 100).toFixed(1)}%`}${c.fidelity.withinTolerance ? '' : ' (out of tolerance)'}  ${c.verdict}`);
        }
      }
      if (r.layersByOp) lines.push(`  layers by op: ${Object.entries(r.layersByOp).map(([op, n]) => `${op} ${n}`).join(', ')}`);
      lines.push(`  ${r.layersQuantized} layers quantized, ${r.layersSkipped} kept fp32, weight error ${r.weightError}`);
      return modelOutput(r, [...lines, ...commonLines(r)].join('\n'), io);
    },
  },
  {
    area: 'model',
    verb: 'prune',
    summary: 'Prune weights (magnitude, random or structured), optionally re-fitting the rest on data.',
    positionals: '<model.onnx>',
    options: {
      ...common,
      sparsity: { type: 'string', short: 's', valueName: 'X', description: 'Share of weights (or hidden units) to remove, 0-0.99, or auto (the default): the largest of 5-90% that keeps the task within tolerance; refused, with nothing written, when none does or when the result would be no smaller.' },
      method: { type: 'string', valueName: 'M', description: 'magnitude | random | structured (default magnitude).' },
      'activation-aware': { type: 'boolean', description: 'Score by |w|·‖x‖ on the dataset (Wanda).' },
      'fine-tune': { type: 'boolean', description: 'Re-fit remaining weights by layer-wise least squares on the dataset.' },
      data: { type: 'string', valueName: 'FILE', description: 'Dataset (text/JSONL) for activations, fine-tuning and loss.' },
      epochs: { type: 'string', valueName: 'N', description: 'Reconstruction passes (default 1).' },
    },
    examples: [`pepperpy-opt model prune ${FIXTURES}/tiny_lm.onnx --sparsity 0.5 --activation-aware --fine-tune --data ${FIXTURES}/corpus.txt --out /tmp/tiny_lm.pruned.onnx`, `pepperpy-opt model prune ${FIXTURES}/tiny_mlp.onnx --sparsity 0.3 --inputs ${FIXTURES}/npy/tiny_mlp_inputs.json --out /tmp/tiny_mlp.pruned.onnx`],
    epilog: WRITES_MODEL_EPILOG,
    async run({ positionals, values }, io) {
      const r = await new ModelPruner().prune(
        defined({
          modelPath: onePath(positionals),
          sparsity: str(values, 'sparsity')?.trim().toLowerCase() === 'auto' ? 'auto' : num(values, 'sparsity'),
          method: str(values, 'method') as 'magnitude' | undefined,
          activationAware: bool(values, 'activation-aware'),
          fineTune: bool(values, 'fine-tune'),
          fineTuneDataset: str(values, 'data'),
          fineTuneEpochs: num(values, 'epochs'),
          inputsPath: str(values, 'inputs'),
          device: str(values, 'device') as 'auto' | undefined,
          batchSize: num(values, 'batch-size'),
          outPath: str(values, 'out'),
        }),
        progressTo(io),
      );
      const lines = [`${r.path}: ${r.method} pruning, ${(r.achievedSparsity * 100).toFixed(1)}% of ${r.layersPruned} layers, storage ${r.storage}`, ...warningLines(r, io), sizeLine('size', r.originalSize, r.prunedSize, r.sizeReductionPercent)];
      if (r.sparsitySearch) lines.push(`  automatic sparsity: ${r.sparsitySearch.map((t) => `${Math.round(t.sparsity * 100)}% ${t.withinTolerance ? 'within' : 'out of'} tolerance`).join(', ')}`);
      if (r.fineTune) lines.push(`  fine-tune: ${r.fineTune.metric} ${r.fineTune.lossBefore} → ${r.fineTune.lossAfter}`);
      return modelOutput(r, [...lines, ...commonLines(r)].join('\n'), io);
    },
  },
  {
    area: 'model',
    verb: 'compress',
    summary: 'Compress by low-rank factorization or by distilling a smaller student from the model.',
    positionals: '<model.onnx>',
    options: {
      ...common,
      method: { type: 'string', valueName: 'M', description: 'low_rank | distillation | knowledge_distillation (default low_rank).' },
      'target-size': { type: 'string', valueName: 'X', description: 'low_rank: each factored layer at most this share of its size (0-1), or auto (the default unless --target-error): the smallest of 20-90% that keeps the task within tolerance; refused, nothing written, when none does.' },
      'target-error': { type: 'string', valueName: 'X', description: 'low_rank: smallest rank with relative error under X.' },
      teacher: { type: 'string', valueName: 'FILE', description: 'distillation: the teacher (default: the model itself).' },
      'num-layers': { type: 'string', valueName: 'N', description: 'distillation: residual branches to keep.' },
      'intermediate-ratio': { type: 'string', valueName: 'X', description: 'distillation: share of MLP hidden units to keep.' },
      data: { type: 'string', valueName: 'FILE', description: 'Training data (text/JSONL).' },
      epochs: { type: 'string', valueName: 'N', description: 'Fitting passes (default 1).' },
    },
    examples: [`pepperpy-opt model compress ${FIXTURES}/tiny_lm.onnx --method low_rank --target-size 0.5 --data ${FIXTURES}/corpus.txt --out /tmp/tiny_lm.lowrank.onnx`, `pepperpy-opt model compress ${FIXTURES}/tiny_lm.onnx --method distillation --num-layers 3 --intermediate-ratio 0.5 --data ${FIXTURES}/corpus.txt --out /tmp/tiny_lm.student.onnx`],
    epilog: WRITES_MODEL_EPILOG,
    async run({ positionals, values }, io) {
      const numLayers = num(values, 'num-layers');
      const intermediateRatio = num(values, 'intermediate-ratio');
      const r = await new ModelCompressor().compress(
        defined({
          modelPath: onePath(positionals),
          method: str(values, 'method') as 'low_rank' | undefined,
          targetSizeRatio: str(values, 'target-size')?.trim().toLowerCase() === 'auto' ? 'auto' : num(values, 'target-size'),
          targetError: num(values, 'target-error'),
          teacherModelPath: str(values, 'teacher'),
          studentModelConfig: numLayers !== undefined || intermediateRatio !== undefined ? defined({ numLayers, intermediateRatio }) : undefined,
          trainingData: str(values, 'data'),
          epochs: num(values, 'epochs'),
          inputsPath: str(values, 'inputs'),
          device: str(values, 'device') as 'auto' | undefined,
          batchSize: num(values, 'batch-size'),
          outPath: str(values, 'out'),
        }),
        progressTo(io),
      );
      return modelOutput(r, [`${r.path}: ${r.method}`, ...warningLines(r, io), sizeLine('size', r.originalSize, r.compressedSize, r.sizeReductionPercent), ...(r.rankSearch ? [`  automatic size target: ${r.rankSearch.map((t) => `${Math.round(t.targetSizeRatio * 100)}% ${'skipped' in t ? `skipped (${t.skipped})` : t.withinTolerance ? 'within tolerance' : 'out of tolerance'}`).join(', ')}`] : []), ...r.steps.map((s) => `  * ${s}`), ...commonLines(r)].join('\n'), io);
    },
  },
  {
    area: 'model',
    verb: 'optimize',
    summary: 'Apply onnxruntime graph optimizations (and fp16/bf16/int8 precision), save, and time both models.',
    positionals: '<model.onnx>',
    options: {
      ...common,
      target: { type: 'string', valueName: 'T', description: 'latency | throughput | memory | balanced (default latency).' },
      precision: { type: 'string', valueName: 'P', description: 'fp32 | fp16 | bf16 | int8 (default fp32).' },
      'no-compile': { type: 'boolean', description: 'Only basic graph optimizations.' },
      'static-shapes': { type: 'boolean', description: 'Time with a fixed batch (dynamicShapes false).' },
      'flash-attention': { type: 'boolean', description: 'Ask for fused attention where the graph allows.' },
      data: { type: 'string', valueName: 'FILE', description: 'Text/JSONL for fidelity and loss.' },
    },
    examples: [`pepperpy-opt model optimize ${FIXTURES}/tiny_lm.onnx --precision fp16 --device webgpu --out /tmp/tiny_lm.opt.onnx`, `pepperpy-opt model optimize ${FIXTURES}/tiny_mlp.onnx --inputs ${FIXTURES}/npy/tiny_mlp_inputs.npz --out /tmp/tiny_mlp.opt.onnx`],
    epilog: WRITES_MODEL_EPILOG,
    async run({ positionals, values }, io) {
      const r = await new ModelOptimizer().optimize(
        defined({
          modelPath: onePath(positionals),
          optimizationTarget: str(values, 'target') as 'latency' | undefined,
          precision: str(values, 'precision') as 'fp32' | undefined,
          compile: values['no-compile'] ? false : undefined,
          dynamicShapes: values['static-shapes'] ? false : undefined,
          enableFlashAttention: bool(values, 'flash-attention'),
          calibrationData: str(values, 'data'),
          inputsPath: str(values, 'inputs'),
          device: str(values, 'device') as 'auto' | undefined,
          batchSize: num(values, 'batch-size'),
          outPath: str(values, 'out'),
        }),
        progressTo(io),
      );
      const fused = Object.entries(r.config.fusedOps).map(([op, n]) => `${op} ${n}`).join(', ') || 'none';
      return modelOutput(r, [`${r.path}: ${r.config.precision}, graph optimization ${r.config.graphOptimizationLevel} on ${r.config.executionProvider}; new ops: ${fused}`, ...warningLines(r, io), sizeLine('size', r.originalSize, r.optimizedSize, r.sizeReductionPercent), ...commonLines(r)].join('\n'), io);
    },
  },
  {
    area: 'model',
    verb: 'cuda-setup',
    summary: "Explain, and with --run perform, onnxruntime-node's optional CUDA 12 provider install (NVIDIA only).",
    options: { run: { type: 'boolean', description: "Download and install the CUDA provider libraries now (needs network; several hundred MB)." } },
    examples: ['pepperpy-opt model cuda-setup', 'pepperpy-opt model cuda-setup --run'],
    async run({ values }, io) {
      let packageDir: string;
      try {
        packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
      } catch {
        throw new EngineError('notFound', 'onnxruntime-node is not installed beside the engine.', 'Reinstall PepperPy (or run npm install in the engine folder).');
      }
      const command = `cd "${packageDir}" && ONNXRUNTIME_NODE_INSTALL=cuda12 node ./script/install`;
      const explanation = [
        'WebGPU is the zero-install GPU path (it needs only the Vulkan loader, libvulkan1, and a GPU driver).',
        "The CUDA execution provider is optional: onnxruntime-node downloads its libraries separately, for NVIDIA GPUs with CUDA 12 and cuDNN 9 installed.",
        `Providers this build can try now: ${availableProviders().join(', ')}.`,
        `To install CUDA: ${command}`,
      ];
      if (!values.run) return { json: { installed: false, command, providers: availableProviders() }, text: [...explanation, 'Run again with --run to do it.'].join('\n') };
      io.stderr(`Running: ${command}\n`);
      const result = spawnSync(process.execPath, ['./script/install'], { cwd: packageDir, env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 15 * 60_000 });
      io.stderr(`${result.stdout ?? ''}${result.stderr ?? ''}`);
      if (result.status !== 0) throw new EngineError('engineUnavailable', `The CUDA provider install failed (exit ${result.status ?? 'killed'}).`, 'Check the network and that CUDA 12 is installed; WebGPU (--device webgpu) needs no install.');
      return { json: { installed: true, command, providers: availableProviders() }, text: `Installed. Providers now: ${availableProviders().join(', ')}; use --device cuda.` };
    },
  },
];
