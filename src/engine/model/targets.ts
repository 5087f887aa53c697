/**
 * Where a model's quantizable weights are, whatever the exporter did with them.
 *
 * A target is one (consumer node, weight input) pair: MatMul/Gemm/Conv/ConvTranspose/
 * LSTM/GRU/RNN/Gather reading a constant float tensor. The constant may be an initializer
 * or a `Constant` node, in the consumer's graph or any outer scope (If/Loop/Scan bodies
 * see their parents' values), and it may reach the consumer through a weight-only chain
 * (Slice/Concat/Unsqueeze/Squeeze/Transpose/Reshape/Split/… whose inputs are all
 * constants), as LSTM gate reordering does inside the If branches of some exports.
 *
 * For a chain, `weight` is the first float constant at the chain's start and `roots`
 * lists every float constant that flows into it, each with the axis of that constant
 * that maps to the consumer's output channels (-1 when a Reshape/Flatten hides it).
 * The rewrites in weightFormats.ts quantize at the chain's start, keeping the
 * constant's name, so the chain (and any other reader) is unchanged and a weight is
 * never materialized twice.
 */
import { attrInt, isFloatType, type WeightRef } from './graph';
import { elementCount, forEachGraph, subgraphsOf, tensorDims, tensorToNumbers, DataType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx';

export interface ChainRoot {
  weight: WeightRef;
  /** Axis of this constant that becomes the consumer's channel axis; -1 if unknown (then quantize per row, axis 0). */
  axis: number;
}

export interface QuantTarget {
  /** 'MatMul' | 'Gemm' | 'Conv' | 'ConvTranspose' | 'LSTM' | 'GRU' | 'RNN' | 'Gather' */
  op: string;
  /** The consuming node. */
  node: NodeProto;
  /** The graph that holds `node`. */
  graph: GraphProto;
  /** Which input of `node` is the weight (MatMul 1, Gemm 1, Conv 1, LSTM 1 = W and 2 = R, Gather 0). */
  inputIndex: number;
  /** The constant at the weight's source (for a chain: the first float constant at its start). */
  weight: WeightRef;
  /** Dimensions of the weight as the consumer sees it (after any chain); equals the constant's dims without a chain. */
  dims: number[];
  /** The per-output-channel axis of the weight as the consumer sees it. */
  channelAxis: number;
  /** How many other nodes (in any graph) read the same value as this consumer. */
  sharedWith: number;
  /** Weight-only nodes between the constant(s) and the consumer, in graph order, if any. */
  chain?: NodeProto[];
  /** Every float constant feeding the weight with its channel axis (one entry without a chain). */
  roots: ChainRoot[];
  /** Graph nesting depth of `node` (0 = main graph). */
  depth: number;
}

export interface TargetOptions {
  /** Weights with fewer elements (as the consumer sees them) are left out. */
  minElements: number;
}

/** Ops whose output is a pure rearrangement of their (constant) inputs. */
export const CHAIN_OPS = new Set(['Identity', 'Slice', 'Concat', 'Unsqueeze', 'Squeeze', 'Transpose', 'Reshape', 'Flatten', 'Split']);

/** A value known at load time: a constant tensor, or the output of a chain of constants. */
interface Known {
  /** The constant itself, when the value is one. */
  weight?: WeightRef;
  /** Producer chain node, when the value is computed. */
  node?: NodeProto;
  /** Dims when they can be worked out (always for constants). */
  dims?: number[];
  float: boolean;
}

function isDefaultDomain(node: NodeProto): boolean {
  return node.domain === '' || node.domain === 'ai.onnx';
}

/** Weight input indices and per-channel axis by op. */
function weightInputs(node: NodeProto): { index: number; axis: (dims: number[]) => number; rank?: number }[] {
  if (!isDefaultDomain(node)) return [];
  switch (node.opType) {
    case 'MatMul': return [{ index: 1, axis: (d) => d.length - 1, rank: 2 }];
    case 'Gemm': return [{ index: 1, axis: () => (attrInt(node, 'transB', 0) === 1 ? 0 : 1), rank: 2 }];
    case 'Conv': return [{ index: 1, axis: () => 0 }];
    case 'ConvTranspose': return [{ index: 1, axis: () => 1 }];
    case 'LSTM':
    case 'GRU':
    case 'RNN': return [{ index: 1, axis: () => 1, rank: 3 }, { index: 2, axis: () => 1, rank: 3 }];
    case 'Gather': return attrInt(node, 'axis', 0) === 0 ? [{ index: 0, axis: () => 0, rank: 2 }] : [];
    default: return [];
  }
}

function constantValue(node: NodeProto): TensorProto | undefined {
  if (node.opType !== 'Constant' || !isDefaultDomain(node)) return undefined;
  return node.attribute.find((a) => a.name === 'value')?.t;
}

function intsOf(known: Map<string, Known>[], name: string): number[] | undefined {
  const k = lookup(known, name);
  if (!k?.weight || isFloatType(k.weight.tensor.dataType)) return undefined;
  return tensorToNumbers(k.weight.tensor);
}

function lookup(scopes: Map<string, Known>[], name: string): Known | undefined {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const k = scopes[i].get(name);
    if (k) return k;
  }
  return undefined;
}

/** Dims of a chain node's output (index `out`), when they follow from its inputs; undefined otherwise. */
function chainDims(node: NodeProto, scopes: Map<string, Known>[], out: number): number[] | undefined {
  const d = lookup(scopes, node.input[0])?.dims;
  if (!d) return undefined;
  const norm = (a: number, rank: number) => (a < 0 ? a + rank : a);
  switch (node.opType) {
    case 'Identity': return [...d];
    case 'Transpose': {
      const perm = node.attribute.find((a) => a.name === 'perm')?.ints.map(Number) ?? d.map((_, i) => d.length - 1 - i);
      return perm.map((p) => d[p]);
    }
    case 'Unsqueeze': {
      const axes = axesOf(node, scopes);
      if (!axes) return undefined;
      const rank = d.length + axes.length;
      const set = new Set(axes.map((a) => norm(a, rank)));
      const outDims: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) outDims.push(set.has(i) ? 1 : d[j++]);
      return outDims;
    }
    case 'Squeeze': {
      const axes = axesOf(node, scopes);
      const set = new Set((axes ?? d.flatMap((x, i) => (x === 1 ? [i] : []))).map((a) => norm(a, d.length)));
      return d.filter((_, i) => !set.has(i));
    }
    case 'Concat': {
      const axis = norm(attrInt(node, 'axis', 0), d.length);
      let total = 0;
      for (const i of node.input) {
        const di = lookup(scopes, i)?.dims;
        if (!di) return undefined;
        total += di[axis];
      }
      return d.map((x, i) => (i === axis ? total : x));
    }
    case 'Slice': {
      const starts = sliceParam(node, scopes, 'starts', 1);
      const ends = sliceParam(node, scopes, 'ends', 2);
      if (!starts || !ends) return undefined;
      const axes = sliceParam(node, scopes, 'axes', 3) ?? starts.map((_, i) => i);
      const steps = node.input.length > 4 && node.input[4] ? intsOf(scopes, node.input[4]) : starts.map(() => 1);
      if (!steps) return undefined;
      const outDims = [...d];
      axes.forEach((a0, i) => {
        const a = norm(a0, d.length);
        const dim = d[a];
        const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
        const step = steps[i] ?? 1;
        let s = starts[i] < 0 ? starts[i] + dim : starts[i];
        let e = ends[i] < 0 ? ends[i] + dim : ends[i];
        if (step > 0) {
          s = clamp(s, 0, dim);
          e = clamp(e, 0, dim);
          outDims[a] = Math.max(0, Math.ceil((e - s) / step));
        } else {
          s = clamp(s, -1, dim - 1);
          e = clamp(e, -1, dim - 1);
          outDims[a] = Math.max(0, Math.ceil((s - e) / -step));
        }
      });
      return outDims;
    }
    case 'Split': {
      const axis = norm(attrInt(node, 'axis', 0), d.length);
      const attrSplit = node.attribute.find((a) => a.name === 'split')?.ints.map(Number);
      const split = attrSplit ?? (node.input[1] ? intsOf(scopes, node.input[1]) : undefined);
      const size = split ? split[out] : d[axis] / node.output.length;
      if (size === undefined || !Number.isInteger(size)) return undefined;
      return d.map((x, i) => (i === axis ? size : x));
    }
    case 'Reshape': {
      const shape = intsOf(scopes, node.input[1]);
      if (!shape) return undefined;
      const total = elementCount(d);
      const allowZero = attrInt(node, 'allowzero', 0) === 1;
      const outDims = shape.map((s, i) => (s === 0 && !allowZero ? d[i] : s));
      const known = outDims.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
      return outDims.map((s) => (s === -1 ? total / known : s));
    }
    case 'Flatten': {
      const axis = norm(attrInt(node, 'axis', 1), d.length);
      return [elementCount(d.slice(0, axis)), elementCount(d.slice(axis))];
    }
    default: return undefined;
  }
}

function axesOf(node: NodeProto, scopes: Map<string, Known>[]): number[] | undefined {
  const attr = node.attribute.find((a) => a.name === 'axes');
  if (attr) return attr.ints.map(Number);
  return node.input[1] ? intsOf(scopes, node.input[1]) : undefined;
}

function sliceParam(node: NodeProto, scopes: Map<string, Known>[], name: string, index: number): number[] | undefined {
  const attr = node.attribute.find((a) => a.name === name);
  if (attr) return attr.ints.map(Number);
  return node.input.length > index && node.input[index] ? intsOf(scopes, node.input[index]) : undefined;
}

/** Maps an axis of a chain node's output back to the axis of its float input `inputIndex`; -1 if lost. */
function mapAxisBack(node: NodeProto, scopes: Map<string, Known>[], axis: number, outRank: number): number {
  if (axis < 0) return -1;
  switch (node.opType) {
    case 'Identity':
    case 'Slice':
    case 'Concat':
    case 'Split': return axis;
    case 'Transpose': {
      const inRank = lookup(scopes, node.input[0])?.dims?.length ?? outRank;
      const perm = node.attribute.find((a) => a.name === 'perm')?.ints.map(Number) ?? Array.from({ length: inRank }, (_, i) => inRank - 1 - i);
      return perm[axis] ?? -1;
    }
    case 'Unsqueeze': {
      const axes = axesOf(node, scopes);
      if (!axes) return -1;
      const set = new Set(axes.map((a) => (a < 0 ? a + outRank : a)));
      if (set.has(axis)) return -1;
      let before = 0;
      for (const a of set) if (a < axis) before++;
      return axis - before;
    }
    case 'Squeeze': {
      const inDims = lookup(scopes, node.input[0])?.dims;
      if (!inDims) return -1;
      const axes = axesOf(node, scopes);
      const set = new Set((axes ?? inDims.flatMap((x, i) => (x === 1 ? [i] : []))).map((a) => (a < 0 ? a + inDims.length : a)));
      let seen = 0;
      for (let i = 0; i < inDims.length; i++) {
        if (set.has(i)) continue;
        if (seen === axis) return i;
        seen++;
      }
      return -1;
    }
    default: return -1;
  }
}

/** Readers of every value name, over all graphs. */
function readerCounts(model: ModelProto): Map<string, number> {
  const m = new Map<string, number>();
  forEachGraph(model.graph!, (g) => {
    for (const n of g.node) for (const i of n.input) if (i) m.set(i, (m.get(i) ?? 0) + 1);
  });
  return m;
}

/** Walks a chain back from `value`: the chain nodes (graph order) and float roots with their axes. */
function traceChain(scopes: Map<string, Known>[], value: string, axis: number, rank: number): { nodes: NodeProto[]; roots: ChainRoot[] } {
  const nodes = new Set<NodeProto>();
  const roots: ChainRoot[] = [];
  const visit = (name: string, ax: number, r: number): void => {
    const k = lookup(scopes, name);
    if (!k?.float) return;
    if (k.weight) {
      if (!roots.some((x) => x.weight.name === k.weight!.name && x.weight.graph === k.weight!.graph)) roots.push({ weight: k.weight, axis: ax });
      return;
    }
    const node = k.node!;
    nodes.add(node);
    const inAxis = mapAxisBack(node, scopes, ax, r);
    const floatInputs = node.opType === 'Concat' ? node.input : [node.input[0]];
    for (const i of floatInputs) {
      const inRank = lookup(scopes, i)?.dims?.length ?? r;
      visit(i, inAxis, inRank);
    }
  };
  visit(value, axis, rank);
  return { nodes: [...nodes], roots };
}

/** Every quantizable (consumer, weight) pair in the main graph and all subgraphs. */
export function findQuantTargets(model: ModelProto, opts: TargetOptions): QuantTarget[] {
  const out: QuantTarget[] = [];
  const readers = readerCounts(model);
  const scopes: Map<string, Known>[] = [];
  const order = new Map<NodeProto, number>();
  let counter = 0;
  const visit = (graph: GraphProto, depth: number): void => {
    const local = new Map<string, Known>();
    scopes.push(local);
    for (const t of graph.initializer) {
      local.set(t.name, { weight: { name: t.name, tensor: t, source: 'initializer', depth, graph }, dims: tensorDims(t), float: isFloatType(t.dataType) });
    }
    for (const node of graph.node) {
      order.set(node, counter++);
      const value = constantValue(node);
      if (value && node.output[0]) {
        local.set(node.output[0], { weight: { name: node.output[0], tensor: value, source: 'constant', depth, graph }, dims: tensorDims(value), float: isFloatType(value.dataType) });
        continue;
      }
      if (CHAIN_OPS.has(node.opType) && isDefaultDomain(node) && node.input.length > 0) {
        const inputs = node.input.filter((i) => i !== '').map((i) => lookup(scopes, i));
        if (inputs.every((k) => k !== undefined) && inputs.some((k) => k?.float)) {
          node.output.forEach((o, idx) => {
            if (o) local.set(o, { node, dims: chainDims(node, scopes, idx), float: true });
          });
          continue;
        }
      }
      for (const spec of weightInputs(node)) {
        const name = node.input[spec.index];
        if (!name) continue;
        const k = lookup(scopes, name);
        if (!k?.float || !k.dims) continue;
        if (spec.rank !== undefined && k.dims.length !== spec.rank) continue;
        if (elementCount(k.dims) < opts.minElements) continue;
        const dims = k.dims;
        const channelAxis = spec.axis(dims);
        const shared = (readers.get(name) ?? 1) - 1;
        if (k.weight) {
          out.push({ op: node.opType, node, graph, inputIndex: spec.index, weight: k.weight, dims, channelAxis, sharedWith: shared, roots: [{ weight: k.weight, axis: channelAxis }], depth });
        } else {
          const { nodes, roots } = traceChain(scopes, name, channelAxis, dims.length);
          if (roots.length === 0) continue;
          nodes.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
          out.push({ op: node.opType, node, graph, inputIndex: spec.index, weight: roots[0].weight, dims, channelAxis, sharedWith: shared, chain: nodes, roots, depth });
        }
      }
      for (const g of subgraphsOf(node)) visit(g, depth + 1);
    }
    scopes.pop();
  };
  visit(model.graph!, 0);
  return out;
}

/** Key of a constant: its graph and name (names are unique per scope). */
export function weightKey(w: WeightRef): string {
  return `${w.depth}:${w.name}`;
}

export interface WeightGroup {
  weight: WeightRef;
  /** The axis used to quantize the constant (the first consumer's, or 0 when unknown). */
  axis: number;
  targets: QuantTarget[];
}

/**
 * The constants to quantize, each once, with every target that reads it (directly or
 * through a chain). A constant shared by consumers that disagree on the channel axis
 * takes the first consumer's axis (any axis is a valid per-channel choice).
 */
export function groupByWeight(targets: readonly QuantTarget[]): WeightGroup[] {
  const groups = new Map<WeightRef['tensor'], WeightGroup>();
  for (const t of targets) {
    for (const root of t.roots) {
      const g = groups.get(root.weight.tensor);
      if (g) {
        if (!g.targets.includes(t)) g.targets.push(t);
        if (g.axis < 0 && root.axis >= 0) g.axis = root.axis;
      } else groups.set(root.weight.tensor, { weight: root.weight, axis: root.axis, targets: [t] });
    }
  }
  for (const g of groups.values()) {
    const rank = tensorDims(g.weight.tensor).length;
    if (g.axis < 0 || g.axis >= rank) g.axis = 0;
  }
  return [...groups.values()];
}

/** Whether the constant is a float tensor (fp32/fp16/bf16/double) rather than an int or shape constant. */
export function isFloatWeight(w: WeightRef): boolean {
  return isFloatType(w.tensor.dataType) && w.tensor.dataType !== DataType.DOUBLE;
}

/** "Conv ×23, LSTM ×8": the operators that hold this model's weights, for messages. */
export function weightOpsSummary(model: ModelProto, minElements = 1): string {
  const counts = new Map<string, number>();
  for (const t of findQuantTargets(model, { minElements })) counts.set(t.op, (counts.get(t.op) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ×${n}`).join(', ') || 'no operator with a constant weight';
}
