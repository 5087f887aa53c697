/**
 * Graph helpers: finding weights (initializers, `Constant` nodes, subgraphs), building
 * nodes, rewriting `Gemm` into `MatMul` + `Add`, and removing what nothing uses.
 */
import { EngineError } from '../../protocol/errors';
import {
  AttrType,
  DataType,
  elementCount,
  floatTensor,
  forEachGraph,
  onnxSchema,
  subgraphsOf,
  tensorDims,
  tensorToFloat32,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
} from './onnx';

export type WeightSource = 'initializer' | 'constant';

export interface WeightRef {
  name: string;
  tensor: TensorProto;
  source: WeightSource;
  /** 0 for the main graph, 1 and more inside If/Loop/Scan bodies. */
  depth: number;
  graph: GraphProto;
}

/** Every constant tensor in the model: initializers and `Constant` node values, in all subgraphs. */
export function findWeights(model: ModelProto): WeightRef[] {
  const out: WeightRef[] = [];
  forEachGraph(model.graph!, (graph, depth) => {
    for (const t of graph.initializer) out.push({ name: t.name, tensor: t, source: 'initializer', depth, graph });
    for (const n of graph.node) {
      if (n.opType !== 'Constant' || (n.domain !== '' && n.domain !== 'ai.onnx')) continue;
      const value = n.attribute.find((a) => a.name === 'value')?.t;
      if (value && n.output[0]) out.push({ name: n.output[0], tensor: value, source: 'constant', depth, graph });
    }
  });
  return out;
}

/** A MatMul whose second input is a constant 2-D float weight [K, N]. */
export interface LinearRef {
  node: NodeProto;
  graph: GraphProto;
  weight: WeightRef;
  k: number;
  n: number;
  depth: number;
}

export function isFloatType(dataType: number): boolean {
  return dataType === DataType.FLOAT || dataType === DataType.FLOAT16 || dataType === DataType.BFLOAT16 || dataType === DataType.DOUBLE;
}

/** Calls `visit` for every initializer of every graph. */
export function forEachGraphInit(model: ModelProto, visit: (graph: GraphProto, tensor: TensorProto) => void): void {
  forEachGraph(model.graph!, (g) => {
    for (const t of [...g.initializer]) visit(g, t);
  });
}

/** A graph's own constants by name: its initializers, then its `Constant` nodes' values. */
export function scopeConstants(graph: GraphProto, depth: number): Map<string, WeightRef> {
  const local = new Map<string, WeightRef>();
  for (const t of graph.initializer) local.set(t.name, { name: t.name, tensor: t, source: 'initializer', depth, graph });
  for (const n of graph.node) {
    const value = n.opType === 'Constant' ? n.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (value && n.output[0]) local.set(n.output[0], { name: n.output[0], tensor: value, source: 'constant', depth, graph });
  }
  return local;
}

/** The constant `name` refers to, from the innermost scope out (a subgraph may read its parents' constants). */
export function lookupConstant(scopes: Map<string, WeightRef>[], name: string): WeightRef | undefined {
  let weight: WeightRef | undefined;
  for (let i = scopes.length - 1; i >= 0 && !weight; i--) weight = scopes[i].get(name);
  return weight;
}

/** MatMul nodes with a constant float weight, in every graph (weights may come from an outer scope). */
export function findLinears(model: ModelProto, minElements = 1): LinearRef[] {
  const out: LinearRef[] = [];
  const scopes: Map<string, WeightRef>[] = [];
  const visit = (graph: GraphProto, depth: number): void => {
    scopes.push(scopeConstants(graph, depth));
    for (const node of graph.node) {
      if (node.opType === 'MatMul' && node.domain === '' && node.input.length === 2) {
        const weight = lookupConstant(scopes, node.input[1]);
        if (weight && isFloatType(weight.tensor.dataType)) {
          const dims = tensorDims(weight.tensor);
          if (dims.length === 2 && elementCount(dims) >= minElements) out.push({ node, graph, weight, k: dims[0], n: dims[1], depth });
        }
      }
      for (const g of subgraphsOf(node)) visit(g, depth + 1);
    }
    scopes.pop();
  };
  visit(model.graph!, 0);
  return out;
}

/** How many graphs besides this MatMul read the weight (shared weights must not be rewritten twice). */
export function weightUseCount(model: ModelProto, name: string): number {
  let uses = 0;
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) if (i === name) uses++;
  });
  return uses;
}

// Stryker disable next-line StringLiteral: any non-number kind other than the four named ones takes the string branch, so '' = 'string'.
export async function makeAttribute(name: string, value: number | string | number[] | TensorProto, kind: 'int' | 'float' | 'ints' | 'string' | 'tensor' = typeof value === 'number' ? 'int' : 'string'): Promise<AttributeProto> {
  const onnx = await onnxSchema();
  switch (kind) {
    case 'int': return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.INT, i: BigInt(value as number) });
    case 'float': return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.FLOAT, f: value as number });
    case 'ints': return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.INTS, ints: (value as number[]).map((v) => BigInt(v)) });
    case 'tensor': return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.TENSOR, t: value as TensorProto });
    default: return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.STRING, s: new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value)) });
  }
}

export async function makeNode(opType: string, inputs: string[], outputs: string[], name: string, attributes: AttributeProto[] = [], domain = ''): Promise<NodeProto> {
  const onnx = await onnxSchema();
  return onnx.create(onnx.NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute: attributes, domain });
}

export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : fallback;
}

export function attrFloat(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? a.f : fallback;
}

/** Names that are unique in the model, with a readable prefix. */
export class NameScope {
  private readonly used = new Set<string>();
  constructor(model: ModelProto) {
    forEachGraph(model.graph!, (g) => {
      for (const n of g.node) {
        this.used.add(n.name);
        for (const o of n.output) this.used.add(o);
      }
      for (const t of g.initializer) this.used.add(t.name);
      for (const v of g.input) this.used.add(v.name);
    });
  }
  next(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_');
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }
}

/** Makes sure the model imports an operator-set domain (e.g. com.microsoft for MatMulNBits). */
export async function ensureOpset(model: ModelProto, domain: string, version: number): Promise<void> {
  const existing = model.opsetImport.find((o) => o.domain === domain);
  if (existing) {
    if (existing.version < BigInt(version)) existing.version = BigInt(version);
    return;
  }
  const onnx = await onnxSchema();
  model.opsetImport.push(onnx.create(onnx.OperatorSetIdProtoSchema, { domain, version: BigInt(version) }));
}

export function opsetVersion(model: ModelProto, domain = ''): number {
  const o = model.opsetImport.find((x) => x.domain === domain || (domain === '' && x.domain === 'ai.onnx'));
  return o ? Number(o.version) : 0;
}

/**
 * Rewrites `Gemm(A, B, C)` with constant B, alpha = beta = 1 and transA = 0 into
 * `MatMul(A, B')` (+ `Add(C)`), B' = B or Bᵀ, so the quantizers see one kind of linear
 * layer. Returns how many were rewritten.
 */
export async function gemmToMatMul(model: ModelProto): Promise<number> {
  const names = new NameScope(model);
  let rewritten = 0;
  const graphs: GraphProto[] = [];
  forEachGraph(model.graph!, (g) => graphs.push(g));
  for (const graph of graphs) {
    const inits = new Map(graph.initializer.map((t) => [t.name, t]));
    const nodes: NodeProto[] = [];
    for (const node of graph.node) {
      const b = inits.get(node.input[1] ?? '');
      if (node.opType !== 'Gemm' || node.domain !== '' || !b || b.dataType !== DataType.FLOAT || attrInt(node, 'transA', 0) !== 0 || attrFloat(node, 'alpha', 1) !== 1 || attrFloat(node, 'beta', 1) !== 1) {
        nodes.push(node);
        continue;
      }
      let weight = b;
      if (attrInt(node, 'transB', 0) === 1) {
        const [n, k] = tensorDims(b);
        const src = tensorToFloat32(b);
        const t = new Float32Array(k * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) t[j * n + i] = src[i * k + j];
        weight = await floatTensor(names.next(`${b.name}_T`), [k, n], t);
        graph.initializer.push(weight);
      }
      const hasBias = node.input.length > 2 && node.input[2] !== '';
      const mmOut = hasBias ? names.next(`${node.output[0]}_matmul`) : node.output[0];
      nodes.push(await makeNode('MatMul', [node.input[0], weight.name], [mmOut], names.next(`${node.name || 'gemm'}_MatMul`)));
      if (hasBias) nodes.push(await makeNode('Add', [mmOut, node.input[2]], [node.output[0]], names.next(`${node.name || 'gemm'}_Add`)));
      rewritten++;
    }
    graph.node = nodes;
  }
  if (rewritten > 0) removeUnusedInitializers(model);
  return rewritten;
}

/** Removes nodes whose outputs nothing reads, then initializers nothing reads (all graphs). */
export function removeDeadCode(model: ModelProto): void {
  const graph = model.graph!;
  for (;;) {
    const used = new Set<string>(graph.output.map((o) => o.name));
    forEachGraph(graph, (g) => {
      for (const n of g.node) for (const i of n.input) used.add(i);
      // Subgraphs may read outer-scope values implicitly; their outputs count as uses too.
      if (g !== graph) for (const o of g.output) used.add(o.name);
    });
    const before = graph.node.length;
    graph.node = graph.node.filter((n) => n.output.some((o) => o !== '' && used.has(o)));
    if (graph.node.length === before) break;
  }
  removeUnusedInitializers(model);
}

export function removeUnusedInitializers(model: ModelProto): void {
  const used = new Set<string>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) used.add(i);
    for (const o of g.output) used.add(o.name);
  });
  const removed = new Set<string>();
  forEachGraph(model.graph!, (g) => {
    g.initializer = g.initializer.filter((t) => {
      if (!used.has(t.name)) removed.add(t.name);
      return used.has(t.name);
    });
  });
  // Graph inputs that only declared an initializer (old exporters) go with it.
  model.graph!.input = model.graph!.input.filter((v) => !removed.has(v.name));
}

/** Node that produces each value, per graph. */
export function producers(graph: GraphProto): Map<string, NodeProto> {
  const m = new Map<string, NodeProto>();
  for (const n of graph.node) for (const o of n.output) m.set(o, n);
  return m;
}

export function consumers(graph: GraphProto): Map<string, NodeProto[]> {
  const m = new Map<string, NodeProto[]>();
  for (const n of graph.node) {
    for (const i of n.input) {
      const list = m.get(i);
      if (list) list.push(n);
      else m.set(i, [n]);
    }
  }
  return m;
}

/** Counts op types in the main graph and subgraphs, e.g. { MatMul: 9, Add: 12 }. */
export function opTypeCounts(model: ModelProto): Record<string, number> {
  const counts: Record<string, number> = {};
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) counts[n.opType] = (counts[n.opType] ?? 0) + 1;
  });
  return counts;
}

export function assertFloatModel(model: ModelProto, label: string): void {
  const hasFloat = findWeights(model).some((w) => isFloatType(w.tensor.dataType) && elementCount(tensorDims(w.tensor)) > 1);
  if (!hasFloat) throw new EngineError('unsupported', `${label} has no float weights to work on.`, 'Pass an fp32/fp16 model (a quantized model cannot be quantized again).');
}
