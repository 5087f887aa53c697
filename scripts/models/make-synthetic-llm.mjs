#!/usr/bin/env node
/**
 * Writes an LLM-shaped ONNX model (decoder-only transformer) with seeded synthetic weights in
 * external data, for measuring how the model tools scale. Weights are generated and written
 * tensor by tensor in chunks, so the script never holds more than one chunk of weights.
 *
 *   node scripts/models/make-synthetic-llm.mjs --out /tmp/llm [--dtype fp32|fp16]
 *       [--hidden 2048] [--intermediate 5632] [--layers 18] [--vocab 32000] [--heads 16] [--seed 1] [--gemm]
 *
 * Graph: input_ids [batch, sequence] → Gather(embedding) → per layer: LayerNorm, q/k/v MatMuls,
 * multi-head attention (Reshape/Transpose/MatMul/Softmax, no causal mask), o MatMul, residual
 * Add, LayerNorm, SiLU-gated MLP (gate/up/down MatMuls), residual Add → LayerNorm → lm_head
 * MatMul → logits [batch, sequence, vocab]. fp16 models are fp16 end to end (activations too).
 * With --gemm (option `gemm: true`), each layer's o projection is a Gemm (transB 0, with a bias)
 * and lm_head a Gemm with transB 1 (weight [vocab, hidden], with a bias), on the activations
 * flattened to [batch·sequence, hidden] and reshaped back, as some exporters write linear layers.
 *
 * It builds the graph proto with src/engine/model/onnx.ts as compiled by `npx tsc -p
 * tsconfig.test.json` (out/src/engine/model/onnx.js). The outputs are never committed: write
 * them under /tmp or a folder you remove afterwards.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

function loadOnnx() {
  const compiled = join(root, 'out/src/engine/model/onnx.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npx tsc -p tsconfig.test.json\` first.`);
  return createRequire(import.meta.url)(compiled);
}

/** Parameters of the model a configuration describes (embedding, layers, final norm, lm_head). */
export function parameterCount({ hidden, intermediate, layers, vocab, gemm = false }) {
  const perLayer = 4 * hidden * hidden + 3 * hidden * intermediate + 4 * hidden + (gemm ? hidden : 0);
  return vocab * hidden + layers * perLayer + 2 * hidden + hidden * vocab + (gemm ? vocab : 0);
}

/** The configuration with at least 1e9 parameters used by the scale benchmark. */
export const BILLION = { hidden: 2048, intermediate: 5632, layers: 18, vocab: 32000, heads: 16 };

const ALIGN = 65536;
const CHUNK = 1 << 20;

/** xorshift128+-style generator on 32-bit halves: fast, seeded, uniform in [0, 1). */
function uniformSource(seed) {
  let a = (seed * 0x9e3779b1) >>> 0 || 1;
  let b = (seed ^ 0x85ebca6b) >>> 0 || 2;
  let c = 0xc2b2ae35;
  let d = 0x27d4eb2f;
  return () => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d / 4294967296;
  };
}

/**
 * Generates the model. Returns the paths, the parameter count and the bytes on disk.
 * `onTensor(name, index, total)` reports progress.
 */
export async function makeSyntheticLlm(options) {
  const cfg = { ...BILLION, dtype: 'fp32', seed: 1, name: 'synthetic-llm', gemm: false, ...options };
  const { hidden: H, intermediate: I, layers: L, vocab: V, heads, gemm } = cfg;
  if (H % heads !== 0) throw new Error(`hidden ${H} is not a multiple of heads ${heads}.`);
  const onnx = loadOnnx();
  const schema = await onnx.onnxSchema();
  const fp16 = cfg.dtype === 'fp16';
  if (!fp16 && cfg.dtype !== 'fp32') throw new Error(`dtype must be fp32 or fp16 (got ${cfg.dtype}).`);
  const elemType = fp16 ? onnx.DataType.FLOAT16 : onnx.DataType.FLOAT;
  const elemBytes = fp16 ? 2 : 4;
  const outDir = resolve(cfg.outDir);
  mkdirSync(outDir, { recursive: true });
  const modelPath = join(outDir, `${cfg.name}.onnx`);
  const dataName = `${cfg.name}.onnx.data`;
  const dataPath = join(outDir, dataName);
  const suffix = `.tmp-${process.pid}`;
  const create = (s, init) => schema.create(s, init);
  const entry = (key, value) => create(schema.StringStringEntryProtoSchema, { key, value });

  // Weights, in the order they are written: [name, dims, kind]; kind: 'normal' | 'ones' | 'zeros'.
  const weights = [['model.embed_tokens.weight', [V, H], 'normal']];
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}`;
    weights.push(
      [`${p}.input_layernorm.weight`, [H], 'ones'],
      [`${p}.input_layernorm.bias`, [H], 'zeros'],
      [`${p}.self_attn.q_proj.weight`, [H, H], 'normal'],
      [`${p}.self_attn.k_proj.weight`, [H, H], 'normal'],
      [`${p}.self_attn.v_proj.weight`, [H, H], 'normal'],
      [`${p}.self_attn.o_proj.weight`, [H, H], 'normal'],
      ...(gemm ? [[`${p}.self_attn.o_proj.bias`, [H], 'normal']] : []),
      [`${p}.post_attention_layernorm.weight`, [H], 'ones'],
      [`${p}.post_attention_layernorm.bias`, [H], 'zeros'],
      [`${p}.mlp.gate_proj.weight`, [H, I], 'normal'],
      [`${p}.mlp.up_proj.weight`, [H, I], 'normal'],
      [`${p}.mlp.down_proj.weight`, [I, H], 'normal'],
    );
  }
  weights.push(['model.norm.weight', [H], 'ones'], ['model.norm.bias', [H], 'zeros']);
  if (gemm) weights.push(['lm_head.weight', [V, H], 'normal'], ['lm_head.bias', [V], 'normal']);
  else weights.push(['lm_head.weight', [H, V], 'normal']);

  const initializers = [];
  const dataTemp = dataPath + suffix;
  const modelTemp = modelPath + suffix;
  const random = uniformSource(cfg.seed);
  const f32 = new Float32Array(CHUNK);
  const buf = new Uint8Array(CHUNK * elemBytes);
  const view = new DataView(buf.buffer);
  let offset = 0;
  const fd = openSync(dataTemp, 'w');
  try {
    for (let w = 0; w < weights.length; w++) {
      const [name, dims, kind] = weights[w];
      cfg.onTensor?.(name, w, weights.length);
      const pad = (ALIGN - (offset % ALIGN)) % ALIGN;
      if (pad > 0) {
        writeSync(fd, new Uint8Array(pad));
        offset += pad;
      }
      const count = dims.reduce((a, b) => a * b, 1);
      // Std 0.02 like common LLM initializations, from an Irwin–Hall(4) approximation of a normal.
      const std = 0.02 * Math.sqrt(3);
      for (let done = 0; done < count; done += CHUNK) {
        const n = Math.min(CHUNK, count - done);
        for (let i = 0; i < n; i++) {
          if (kind === 'normal') f32[i] = (random() + random() + random() + random() - 2) * std;
          else f32[i] = kind === 'ones' ? 1 : 0;
        }
        if (fp16) for (let i = 0; i < n; i++) view.setUint16(i * 2, onnx.float32ToFloat16Bits(f32[i]), true);
        else for (let i = 0; i < n; i++) view.setFloat32(i * 4, f32[i], true);
        writeSync(fd, buf, 0, n * elemBytes);
      }
      const length = count * elemBytes;
      initializers.push(
        create(schema.TensorProtoSchema, {
          name,
          dataType: elemType,
          dims: dims.map((d) => BigInt(d)),
          dataLocation: 1,
          externalData: [entry('location', dataName), entry('offset', String(offset)), entry('length', String(length))],
        }),
      );
      offset += length;
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(dataTemp);
    throw error;
  }
  closeSync(fd);

  const int64s = (name, values) => create(schema.TensorProtoSchema, { name, dataType: onnx.DataType.INT64, dims: [BigInt(values.length)], rawData: onnx.int64Raw(values) });
  const scalar = (name, value) => create(schema.TensorProtoSchema, { name, dataType: elemType, dims: [], rawData: fp16 ? onnx.float16Raw(Float32Array.of(value), 'fp16') : onnx.float32Raw(Float32Array.of(value)) });
  const hd = H / heads;
  initializers.push(int64s('shape_heads', [0, 0, heads, hd]), int64s('shape_hidden', [0, 0, H]), scalar('attn_scale', 1 / Math.sqrt(hd)));
  if (gemm) initializers.push(int64s('shape_rows', [-1, H]), int64s('vocab_dim', [V]));

  const nodes = [];
  const attr = (name, value) => {
    if (Array.isArray(value)) return create(schema.AttributeProtoSchema, { name, type: onnx.AttrType.INTS, ints: value.map((v) => BigInt(v)) });
    if (Number.isInteger(value)) return create(schema.AttributeProtoSchema, { name, type: onnx.AttrType.INT, i: BigInt(value) });
    return create(schema.AttributeProtoSchema, { name, type: onnx.AttrType.FLOAT, f: value });
  };
  const node = (opType, input, output, name, attributes = {}) => {
    nodes.push(create(schema.NodeProtoSchema, { opType, input, output, name, attribute: Object.entries(attributes).map(([k, v]) => attr(k, v)) }));
    return output[0];
  };
  const norm = (x, w, name) => node('LayerNormalization', [x, `${w}.weight`, `${w}.bias`], [`${name}_out`], name, { axis: -1, epsilon: 1e-5 });
  let x = node('Gather', ['model.embed_tokens.weight', 'input_ids'], ['embeddings'], 'embed_tokens', { axis: 0 });
  for (let l = 0; l < L; l++) {
    const p = `model.layers.${l}`;
    const n = `/layers.${l}`;
    const h = norm(x, `${p}.input_layernorm`, `${n}/input_layernorm`);
    const heads4 = (proj) => {
      const y = node('MatMul', [h, `${p}.self_attn.${proj}_proj.weight`], [`${n}/${proj}_proj_out`], `${n}/attn/${proj}_proj/MatMul`);
      return node('Reshape', [y, 'shape_heads'], [`${n}/${proj}_heads`], `${n}/attn/${proj}_reshape`);
    };
    const q = node('Transpose', [heads4('q')], [`${n}/q_t`], `${n}/attn/q_transpose`, { perm: [0, 2, 1, 3] });
    const k = node('Transpose', [heads4('k')], [`${n}/k_t`], `${n}/attn/k_transpose`, { perm: [0, 2, 3, 1] });
    const v = node('Transpose', [heads4('v')], [`${n}/v_t`], `${n}/attn/v_transpose`, { perm: [0, 2, 1, 3] });
    const scores = node('MatMul', [q, k], [`${n}/scores`], `${n}/attn/scores`);
    const scaled = node('Mul', [scores, 'attn_scale'], [`${n}/scores_scaled`], `${n}/attn/scale`);
    const probs = node('Softmax', [scaled], [`${n}/probs`], `${n}/attn/softmax`, { axis: -1 });
    const ctx = node('MatMul', [probs, v], [`${n}/context`], `${n}/attn/context`);
    const ctxT = node('Transpose', [ctx], [`${n}/context_t`], `${n}/attn/context_transpose`, { perm: [0, 2, 1, 3] });
    let o;
    if (gemm) {
      const rows = node('Reshape', [ctxT, 'shape_rows'], [`${n}/context_rows`], `${n}/attn/merge_rows`);
      const o2 = node('Gemm', [rows, `${p}.self_attn.o_proj.weight`, `${p}.self_attn.o_proj.bias`], [`${n}/o_proj_rows`], `${n}/attn/o_proj/Gemm`);
      const shape = node('Shape', [x], [`${n}/residual_shape`], `${n}/attn/residual_shape`);
      o = node('Reshape', [o2, shape], [`${n}/o_proj_out`], `${n}/attn/o_proj/unflatten`);
    } else {
      const merged = node('Reshape', [ctxT, 'shape_hidden'], [`${n}/context_merged`], `${n}/attn/merge`);
      o = node('MatMul', [merged, `${p}.self_attn.o_proj.weight`], [`${n}/o_proj_out`], `${n}/attn/o_proj/MatMul`);
    }
    const res1 = node('Add', [x, o], [`${n}/residual1`], `${n}/residual1`);
    const h2 = norm(res1, `${p}.post_attention_layernorm`, `${n}/post_attention_layernorm`);
    const gate = node('MatMul', [h2, `${p}.mlp.gate_proj.weight`], [`${n}/gate_out`], `${n}/mlp/gate_proj/MatMul`);
    const sig = node('Sigmoid', [gate], [`${n}/gate_sigmoid`], `${n}/mlp/sigmoid`);
    const silu = node('Mul', [gate, sig], [`${n}/gate_silu`], `${n}/mlp/silu`);
    const up = node('MatMul', [h2, `${p}.mlp.up_proj.weight`], [`${n}/up_out`], `${n}/mlp/up_proj/MatMul`);
    const prod = node('Mul', [silu, up], [`${n}/mlp_prod`], `${n}/mlp/mul`);
    const down = node('MatMul', [prod, `${p}.mlp.down_proj.weight`], [`${n}/down_out`], `${n}/mlp/down_proj/MatMul`);
    x = node('Add', [res1, down], [`${n}/residual2`], `${n}/residual2`);
  }
  const final = norm(x, 'model.norm', '/norm');
  if (gemm) {
    const rows = node('Reshape', [final, 'shape_rows'], ['/lm_head/rows'], '/lm_head/flatten');
    const y = node('Gemm', [rows, 'lm_head.weight', 'lm_head.bias'], ['/lm_head/rows_out'], '/lm_head/Gemm', { transB: 1 });
    const ids = node('Shape', ['input_ids'], ['/lm_head/ids_shape'], '/lm_head/ids_shape');
    const shape = node('Concat', [ids, 'vocab_dim'], ['/lm_head/logits_shape'], '/lm_head/logits_shape', { axis: 0 });
    node('Reshape', [y, shape], ['logits'], '/lm_head/unflatten');
  } else node('MatMul', [final, 'lm_head.weight'], ['logits'], '/lm_head/MatMul');

  const dim = (d) => create(schema.TensorShapeProto_DimensionSchema, { value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d } });
  const valueInfo = (name, type, dims) => create(schema.ValueInfoProtoSchema, {
    name,
    type: create(schema.TypeProtoSchema, { value: { case: 'tensorType', value: create(schema.TypeProto_TensorSchema, { elemType: type, shape: create(schema.TensorShapeProtoSchema, { dim: dims.map(dim) }) }) } }),
  });
  const graph = create(schema.GraphProtoSchema, {
    name: cfg.name,
    node: nodes,
    initializer: initializers,
    input: [valueInfo('input_ids', onnx.DataType.INT64, ['batch', 'sequence'])],
    output: [valueInfo('logits', elemType, ['batch', 'sequence', V])],
  });
  const model = create(schema.ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'pepperpy make-synthetic-llm',
    opsetImport: [create(schema.OperatorSetIdProtoSchema, { domain: '', version: 17n })],
    graph,
  });
  const bytes = await onnx.encodeModel(model);
  try {
    const mfd = openSync(modelTemp, 'w');
    try {
      writeSync(mfd, bytes);
      fsyncSync(mfd);
    } finally {
      closeSync(mfd);
    }
    renameSync(dataTemp, dataPath);
    renameSync(modelTemp, modelPath);
  } catch (error) {
    for (const t of [dataTemp, modelTemp]) if (existsSync(t)) unlinkSync(t);
    throw error;
  }
  const parameters = parameterCount(cfg);
  return { modelPath, dataPath, parameters, sizeBytes: statSync(modelPath).size + statSync(dataPath).size, config: { hidden: H, intermediate: I, layers: L, vocab: V, heads, dtype: cfg.dtype, seed: cfg.seed, gemm } };
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      dtype: { type: 'string', default: 'fp32' },
      name: { type: 'string' },
      hidden: { type: 'string', default: String(BILLION.hidden) },
      intermediate: { type: 'string', default: String(BILLION.intermediate) },
      layers: { type: 'string', default: String(BILLION.layers) },
      vocab: { type: 'string', default: String(BILLION.vocab) },
      heads: { type: 'string', default: String(BILLION.heads) },
      seed: { type: 'string', default: '1' },
      gemm: { type: 'boolean', default: false },
    },
  });
  if (!values.out) {
    process.stderr.write('usage: make-synthetic-llm.mjs --out DIR [--dtype fp32|fp16] [--hidden N] [--intermediate N] [--layers N] [--vocab N] [--heads N] [--seed N] [--gemm]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  const result = await makeSyntheticLlm({
    outDir: values.out,
    dtype: values.dtype,
    name: values.name ?? `synthetic-llm-${values.dtype}`,
    hidden: Number(values.hidden),
    intermediate: Number(values.intermediate),
    layers: Number(values.layers),
    vocab: Number(values.vocab),
    heads: Number(values.heads),
    seed: Number(values.seed),
    gemm: values.gemm,
    onTensor: (name, i, total) => {
      if (i % 20 === 0) process.stderr.write(`  ${i}/${total} ${name}\n`);
    },
  });
  process.stdout.write(`${JSON.stringify({ ...result, seconds: Math.round((performance.now() - t0) / 100) / 10 }, null, 2)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

