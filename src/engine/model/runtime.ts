/**
 * The only module that imports onnxruntime-node. It opens sessions on a chosen device
 * with explicit fallback, runs them on plain typed arrays, and times them.
 *
 * Devices: `auto` tries CUDA (only when its provider libraries are installed), then
 * WebGPU, then CPU; an explicit `webgpu` or `cuda` that cannot start falls back to CPU
 * and says so (or fails, with `strictDevice`). Each session records the execution
 * provider that actually ran. Nodes an EP has no kernel for still run on CPU inside it
 * (onnxruntime's own per-node fallback), which the notes mention.
 *
 * GPU providers are probed once per process in a quiet child process (a one-node model on
 * each provider), because Dawn prints its Vulkan/WebGPU adapter errors straight to stderr
 * where onnxruntime's log settings cannot silence them; only providers that started in the
 * probe are tried in this process.
 */
import { spawn } from 'node:child_process';
import * as ort from 'onnxruntime-node';
import { EngineError, errorMessage } from '../../protocol/errors';
import type { Device, ExecutionProviderName } from '../../protocol/model';
import { float16BitsToFloat32 } from './onnx';

export interface SessionOptions {
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Writes the graph onnxruntime optimized to this file. */
  optimizedModelFilePath?: string;
  intraOpNumThreads?: number;
  /** Fail instead of falling back to CPU when the requested device cannot start. */
  strictDevice?: boolean;
}

export interface InputInfo {
  name: string;
  type: string;
  /** Dimensions; strings or -1 for symbolic ones. */
  shape: (number | string)[];
}

export interface RuntimeSession {
  executionProvider: ExecutionProviderName;
  /** Why the provider is not the one asked for, when it is not. */
  fallbackNote?: string;
  inputs: InputInfo[];
  outputNames: string[];
  run(feeds: Record<string, FeedTensor>, outputs?: string[]): Promise<Record<string, OutputTensor>>;
  release(): Promise<void>;
}

export interface FeedTensor {
  type: 'float32' | 'float16' | 'int64' | 'int32' | 'bool';
  /** float16 values are their IEEE half bit patterns. */
  data: Float32Array | Uint16Array | BigInt64Array | Int32Array | Uint8Array;
  dims: number[];
}

export interface OutputTensor {
  dims: number[];
  type: string;
  data: Float32Array;
}

/** What this onnxruntime-node build can try, in `auto` order. */
export function availableProviders(): ExecutionProviderName[] {
  const listed = new Map(ort.listSupportedBackends().map((b) => [b.name, b.bundled]));
  const out: ExecutionProviderName[] = [];
  // CUDA's provider library is downloaded separately; without it session creation fails slowly.
  if (listed.has('cuda') && (listed.get('cuda') || process.env.PEPPERPY_TRY_CUDA === '1')) out.push('cuda');
  if (listed.has('webgpu')) out.push('webgpu');
  out.push('cpu');
  return out;
}

export interface GpuProbe {
  /** GPU providers that started a session in the probe. */
  working: ExecutionProviderName[];
  /** Why each other GPU provider did not (first line of onnxruntime's message). */
  failed: Partial<Record<ExecutionProviderName, string>>;
  /** False when the probe itself could not run (then providers are tried in process). */
  probed: boolean;
}

let probePromise: Promise<GpuProbe> | undefined;

/** A one-node model (Identity on a float [1] tensor, opset 13), hand-encoded so the probe needs nothing else. */
function identityModelBytes(): Uint8Array {
  const bytes: number[] = [];
  const varint = (out: number[], v: number) => {
    while (v > 127) {
      out.push((v & 127) | 128);
      v >>>= 7;
    }
    out.push(v);
  };
  const field = (out: number[], no: number, payload: number[] | string) => {
    const body = typeof payload === 'string' ? [...Buffer.from(payload)] : payload;
    varint(out, (no << 3) | 2);
    varint(out, body.length);
    out.push(...body);
  };
  const intField = (out: number[], no: number, v: number) => {
    varint(out, no << 3);
    varint(out, v);
  };
  const valueInfo = (name: string) => {
    const dim: number[] = [];
    intField(dim, 1, 1);
    const shape: number[] = [];
    field(shape, 1, dim);
    const tensor: number[] = [];
    intField(tensor, 1, 1);
    field(tensor, 2, shape);
    const type: number[] = [];
    field(type, 1, tensor);
    const vi: number[] = [];
    field(vi, 1, name);
    field(vi, 2, type);
    return vi;
  };
  const node: number[] = [];
  field(node, 1, 'x');
  field(node, 2, 'y');
  field(node, 4, 'Identity');
  const graph: number[] = [];
  field(graph, 1, node);
  field(graph, 2, 'probe');
  field(graph, 11, valueInfo('x'));
  field(graph, 12, valueInfo('y'));
  const opset: number[] = [];
  intField(opset, 2, 13);
  intField(bytes, 1, 8);
  field(bytes, 7, graph);
  field(bytes, 8, opset);
  return Uint8Array.from(bytes);
}

const PROBE_SCRIPT = `
const ort = require(process.env.PEPPERPY_ORT_PATH);
const model = Buffer.from(process.env.PEPPERPY_PROBE_MODEL, 'base64');
(async () => {
  const result = {};
  for (const ep of JSON.parse(process.env.PEPPERPY_PROBE_EPS)) {
    try {
      const s = await ort.InferenceSession.create(model, { executionProviders: [ep], logSeverityLevel: 4 });
      await s.run({ x: new ort.Tensor('float32', new Float32Array([1]), [1]) });
      await s.release();
      result[ep] = 'ok';
    } catch (e) {
      result[ep] = String(e && e.message || e).split('\\n')[0].slice(0, 300);
    }
  }
  process.stdout.write('PROBE' + JSON.stringify(result) + '\\n');
})();
`;

/** Probes the GPU providers this build lists, once per process, in a child process whose output is not shown. */
export function probeGpu(): Promise<GpuProbe> {
  probePromise ??= (async () => {
    const gpus = availableProviders().filter((ep) => ep !== 'cpu');
    if (gpus.length === 0) return { working: [], failed: {}, probed: true };
    let ortPath: string;
    try {
      ortPath = require.resolve('onnxruntime-node');
    } catch {
      return { working: gpus, failed: {}, probed: false };
    }
    const output = await new Promise<string | undefined>((resolvePromise) => {
      const child = spawn(process.execPath, ['-e', PROBE_SCRIPT], {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', PEPPERPY_ORT_PATH: ortPath, PEPPERPY_PROBE_MODEL: Buffer.from(identityModelBytes()).toString('base64'), PEPPERPY_PROBE_EPS: JSON.stringify(gpus) },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      let text = '';
      const timer = setTimeout(() => child.kill(), 60_000);
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.on('error', () => resolvePromise(undefined));
      child.on('close', () => {
        clearTimeout(timer);
        resolvePromise(text);
      });
    });
    const line = output?.split('\n').find((l) => l.startsWith('PROBE'));
    if (!line) return { working: gpus, failed: {}, probed: false };
    const result = JSON.parse(line.slice(5)) as Record<string, string>;
    const working = gpus.filter((ep) => result[ep] === 'ok');
    const failed: GpuProbe['failed'] = {};
    for (const ep of gpus) if (result[ep] !== 'ok') failed[ep] = result[ep] ?? 'the probe did not finish';
    return { working, failed, probed: true };
  })();
  return probePromise;
}

async function candidates(device: Device): Promise<{ eps: ExecutionProviderName[]; skipped: string[] }> {
  if (device === 'cpu') return { eps: ['cpu'], skipped: [] };
  const probe = await probeGpu();
  const wanted: ExecutionProviderName[] = device === 'auto' ? availableProviders().filter((ep) => ep !== 'cpu') : [device];
  const eps: ExecutionProviderName[] = [];
  const skipped: string[] = [];
  for (const ep of wanted) {
    if (!probe.probed || probe.working.includes(ep)) eps.push(ep);
    else skipped.push(`${ep} could not start (${whyNot(ep)}; onnxruntime said: ${(probe.failed[ep] ?? 'not available in this build').slice(0, 160)})`);
  }
  eps.push('cpu');
  return { eps, skipped };
}

function whyNot(ep: ExecutionProviderName): string {
  return ep === 'webgpu' ? 'no WebGPU adapter: it needs the Vulkan loader (libvulkan1) and a GPU driver on Linux' : ep === 'cuda' ? 'the CUDA provider libraries are not installed or CUDA 12/cuDNN 9 is missing' : 'see the logs';
}

function toOrtOptions(ep: ExecutionProviderName, options: SessionOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [ep],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.optimizedModelFilePath ? { optimizedModelFilePath: options.optimizedModelFilePath } : {}),
    ...(options.intraOpNumThreads ? { intraOpNumThreads: options.intraOpNumThreads } : {}),
    logSeverityLevel: 3,
    // onnxruntime's worker threads busy-wait after each run by default. On a workstation that is
    // also running an editor (and with two sessions timed alternately) the spinning threads steal
    // the cores the next run needs: measured here on tiny_lm under load, 11.5 ms per run with
    // spinning against 3.4 ms without, and the two sessions' ratio moved by up to ±9 %.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/** Maps onnxruntime's load and run errors onto EngineErrors a person can act on. */
export function runtimeError(error: unknown, label: string, phase: 'load' | 'run' = 'load'): EngineError {
  const message = errorMessage(error);
  if (/Could not find an implementation|not (a )?registered|No Op registered|Unsupported (op|model)/i.test(message)) {
    return new EngineError('unsupported', `onnxruntime cannot run ${label}: ${firstLine(message)}`, 'The model uses an operator (or a type for it) that this onnxruntime build has no kernel for.');
  }
  if (/bad_alloc|out of memory|Failed to allocate/i.test(message)) {
    return new EngineError('tooLarge', `Not enough memory to run ${label}: ${firstLine(message)}`, 'Free memory, lower the batch size, or use a smaller model.');
  }
  if (phase === 'run') return new EngineError('badRequest', `onnxruntime could not run ${label}: ${firstLine(message)}`, 'The model stopped on its inputs (a shape, length or value it does not accept, e.g. a sample rate or a chunk size), or it is invalid for onnxruntime; `pepperpy-opt model inspect` lists its inputs.');
  return new EngineError('badRequest', `onnxruntime could not load ${label}: ${firstLine(message)}`, 'The model may be invalid for onnxruntime; check it with `pepperpy-opt model inspect`.');
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? text;
  return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}

/** Opens a session from a path or from bytes, on the first provider of `device` that starts. */
export async function openSession(model: string | Uint8Array, device: Device, options: SessionOptions = {}, label = 'the model'): Promise<RuntimeSession> {
  const { eps, skipped } = await candidates(device);
  if (options.strictDevice && device !== 'auto' && device !== 'cpu' && skipped.length > 0) {
    throw new EngineError('unsupported', `The ${device} execution provider could not start: ${skipped[0]}`, device === 'cuda' ? 'Install the CUDA provider (`pepperpy-opt model cuda-setup` explains how) or use --device webgpu/cpu.' : 'Check the GPU driver and Vulkan loader (libvulkan1), or use --device cpu.');
  }
  const tried: string[] = [...skipped];
  let lastError: unknown;
  for (const ep of eps) {
    try {
      const session = typeof model === 'string' ? await ort.InferenceSession.create(model, toOrtOptions(ep, options)) : await ort.InferenceSession.create(model, toOrtOptions(ep, options));
      const fallbackNote = tried.length > 0 ? (device === 'auto' && ep === 'cpu' ? `No GPU found: using CPU (${tried.map((t) => t.replace(/;? *onnxruntime said:.*$/s, ')').replace(/\)\)$/, ')')).join('; ')}).` : `Asked for ${device}; ${tried.join('; ')}; ran on ${ep}.`) : undefined;
      return wrap(session, ep, fallbackNote);
    } catch (error) {
      lastError = error;
      if (ep === 'cpu') break;
      if (options.strictDevice && device !== 'auto') {
        throw new EngineError('unsupported', `The ${ep} execution provider could not start: ${firstLine(errorMessage(error))}`, ep === 'cuda' ? 'Install the CUDA provider (`pepperpy-opt model cuda-setup` explains how) or use --device webgpu/cpu.' : 'Check the GPU driver and Vulkan loader (libvulkan1), or use --device cpu.');
      }
      tried.push(`${ep} could not start (${whyNot(ep)}; onnxruntime said: ${firstLine(errorMessage(error)).slice(0, 160)})`);
    }
  }
  throw runtimeError(lastError, label);
}

function wrap(session: ort.InferenceSession, ep: ExecutionProviderName, fallbackNote: string | undefined): RuntimeSession {
  const inputs: InputInfo[] = session.inputMetadata.map((m) => ({
    name: m.name,
    type: m.isTensor ? m.type : 'non-tensor',
    shape: m.isTensor ? m.shape.map((d) => (typeof d === 'number' ? d : String(d))) : [],
  }));
  return {
    executionProvider: ep,
    ...(fallbackNote ? { fallbackNote } : {}),
    inputs,
    outputNames: [...session.outputNames],
    async run(feeds, outputs) {
      const ortFeeds: Record<string, ort.Tensor> = {};
      for (const [name, f] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(f.type, f.data, f.dims);
      let result: ort.InferenceSession.OnnxValueMapType;
      try {
        result = outputs ? await session.run(ortFeeds, outputs) : await session.run(ortFeeds);
      } catch (error) {
        throw runtimeError(error, 'the model', 'run');
      }
      const out: Record<string, OutputTensor> = {};
      for (const [name, value] of Object.entries(result)) {
        const t = value;
        const data = t.data;
        let floats: Float32Array;
        if (data instanceof Float32Array) floats = data;
        else if (t.type === 'float16' && data instanceof Uint16Array) floats = Float32Array.from(data, float16BitsToFloat32);
        else if (data instanceof BigInt64Array) floats = Float32Array.from(data, (x) => Number(x));
        else if (ArrayBuffer.isView(data)) floats = Float32Array.from(data as unknown as ArrayLike<number>);
        else floats = new Float32Array(0);
        out[name] = { dims: [...t.dims], type: t.type, data: floats };
      }
      return out;
    },
    release: () => session.release(),
  };
}

export interface Timing {
  medianMs: number;
  p90Ms: number;
  runs: number;
}

/** Times `runs` calls after `warmup` calls; medians are what results report. */
export async function timeSession(session: RuntimeSession, feeds: Record<string, FeedTensor>, options: { warmup?: number; runs?: number; maxMs?: number } = {}): Promise<Timing> {
  const warmup = options.warmup ?? 3;
  const runs = options.runs ?? 20;
  const deadline = performance.now() + (options.maxMs ?? 10_000);
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
    if (performance.now() > deadline && times.length >= 3) break;
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(times.length / 2)], p90Ms: times[Math.min(times.length - 1, Math.floor(times.length * 0.9))], runs: times.length };
}
