/**
 * targets.ts on small graphs built here: which (node, weight) pairs are found, with which
 * input index and channel axis, through outer scopes and weight-only chains, and how
 * shared weights are grouped. Structural checks only (no onnxruntime): every expected
 * value is written out by hand from the graph's definition.
 */
import * as assert from 'node:assert/strict';
import { makeAttribute, makeNode } from '../../../src/engine/model/graph';
import { DataType, floatTensor, int64Raw, makeTensor, onnxSchema, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../../src/engine/model/onnx';
import { findQuantTargets, groupByWeight, type QuantTarget } from '../../../src/engine/model/targets';

const zeros = (n: number) => new Float32Array(n).fill(0.5);

async function graph(name: string, nodes: NodeProto[], initializer: TensorProto[] = [], outputs: string[] = []): Promise<GraphProto> {
  const onnx = await onnxSchema();
  const output = outputs.map((o) => onnx.create(onnx.ValueInfoProtoSchema, { name: o }));
  return onnx.create(onnx.GraphProtoSchema, { name, node: nodes, initializer, output });
}

async function model(g: GraphProto, opset = 17): Promise<ModelProto> {
  const onnx = await onnxSchema();
  return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: BigInt(opset) })], graph: g });
}

async function constant(name: string, tensor: TensorProto): Promise<NodeProto> {
  return makeNode('Constant', [], [name], `${name}_node`, [await makeAttribute('value', tensor, 'tensor')]);
}

async function ints(name: string, values: number[]): Promise<TensorProto> {
  return makeTensor(name, DataType.INT64, [values.length], int64Raw(values));
}

async function subgraphAttr(name: string, g: GraphProto) {
  const onnx = await onnxSchema();
  return onnx.create(onnx.AttributeProtoSchema, { name, type: 5, g });
}

const summary = (t: QuantTarget) => `${t.op}:${t.node.name}:${t.inputIndex}:${t.weight.name}:${t.weight.source}:${t.channelAxis}:${t.dims.join('x')}`;

describe('quantization targets (targets.ts)', () => {
  it('finds each op with its weight input and per-channel axis', async () => {
    const nodes = [
      await makeNode('MatMul', ['x', 'w_mm'], ['a'], 'mm'),
      await makeNode('Gemm', ['a', 'w_gemm_t', 'b'], ['g1'], 'gemm_t', [await makeAttribute('transB', 1)]),
      await makeNode('Gemm', ['g1', 'w_gemm'], ['g2'], 'gemm'),
      await makeNode('Conv', ['img', 'w_conv'], ['c1'], 'conv'),
      await makeNode('ConvTranspose', ['c1', 'w_convt'], ['c2'], 'convt'),
      await makeNode('LSTM', ['seq', 'w_lstm', 'r_lstm', 'b_lstm'], ['', 'yh'], 'lstm', [await makeAttribute('hidden_size', 4)]),
      await makeNode('GRU', ['seq', 'w_gru', 'r_gru'], ['', 'gh'], 'gru', [await makeAttribute('hidden_size', 4)]),
      await makeNode('RNN', ['seq', 'w_rnn', 'r_rnn'], ['', 'rh'], 'rnn', [await makeAttribute('hidden_size', 4)]),
      await makeNode('Gather', ['w_emb', 'ids'], ['e'], 'gather'),
      // Not targets: Gather along axis 1, a batched (3-D) MatMul weight, an int weight.
      await makeNode('Gather', ['w_emb2', 'ids'], ['e2'], 'gather_axis1', [await makeAttribute('axis', 1)]),
      await makeNode('MatMul', ['x3', 'w_3d'], ['m3'], 'mm3d'),
      await makeNode('MatMul', ['xi', 'w_int'], ['mi'], 'mm_int'),
    ];
    const inits = [
      await floatTensor('w_mm', [8, 6], zeros(48)),
      await floatTensor('w_gemm_t', [5, 6], zeros(30)),
      await floatTensor('b', [5], zeros(5)),
      await floatTensor('w_gemm', [5, 7], zeros(35)),
      await floatTensor('w_conv', [8, 3, 3, 3], zeros(216)),
      await floatTensor('w_convt', [8, 2, 3, 3], zeros(144)),
      await floatTensor('w_lstm', [1, 16, 3], zeros(48)),
      await floatTensor('r_lstm', [1, 16, 4], zeros(64)),
      await floatTensor('b_lstm', [1, 32], zeros(32)),
      await floatTensor('w_gru', [1, 12, 3], zeros(36)),
      await floatTensor('r_gru', [1, 12, 4], zeros(48)),
      await floatTensor('w_rnn', [1, 4, 3], zeros(12)),
      await floatTensor('r_rnn', [1, 4, 4], zeros(16)),
      await floatTensor('w_emb', [10, 4], zeros(40)),
      await floatTensor('w_emb2', [10, 4], zeros(40)),
      await floatTensor('w_3d', [2, 4, 4], zeros(32)),
      await makeTensor('w_int', DataType.INT64, [4], int64Raw([1, 2, 3, 4])),
    ];
    const m = await model(await graph('g', nodes, inits, ['e', 'e2', 'm3', 'mi', 'yh', 'gh', 'rh', 'c2', 'g2']));
    const targets = findQuantTargets(m, { minElements: 1 });
    assert.deepEqual(targets.map(summary), [
      'MatMul:mm:1:w_mm:initializer:1:8x6',
      'Gemm:gemm_t:1:w_gemm_t:initializer:0:5x6',
      'Gemm:gemm:1:w_gemm:initializer:1:5x7',
      'Conv:conv:1:w_conv:initializer:0:8x3x3x3',
      'ConvTranspose:convt:1:w_convt:initializer:1:8x2x3x3',
      'LSTM:lstm:1:w_lstm:initializer:1:1x16x3',
      'LSTM:lstm:2:r_lstm:initializer:1:1x16x4',
      'GRU:gru:1:w_gru:initializer:1:1x12x3',
      'GRU:gru:2:r_gru:initializer:1:1x12x4',
      'RNN:rnn:1:w_rnn:initializer:1:1x4x3',
      'RNN:rnn:2:r_rnn:initializer:1:1x4x4',
      'Gather:gather:0:w_emb:initializer:0:10x4',
    ]);
    // minElements counts the weight's elements: 40 keeps the 40-element embedding, drops the 36-element GRU W.
    const big = findQuantTargets(m, { minElements: 40 }).map((t) => t.weight.name);
    assert.deepEqual(big, ['w_mm', 'w_conv', 'w_convt', 'w_lstm', 'r_lstm', 'r_gru', 'w_emb']);
  });

  it('resolves Constant nodes and outer-scope weights inside If and Loop bodies', async () => {
    const inner = await graph('loop_body', [await makeNode('MatMul', ['h', 'w_outer_const'], ['h2'], 'loop_mm')], [], ['h2']);
    const thenG = await graph('then', [
      await constant('w_then_const', await floatTensor('t', [4, 4], zeros(16))),
      await makeNode('MatMul', ['x', 'w_then_const'], ['t1'], 'then_mm'),
      await makeNode('Conv', ['img', 'w_main'], ['t2'], 'then_conv'),
      await makeNode('Loop', ['', 'cond'], ['l'], 'loop', [await subgraphAttr('body', inner)]),
    ], [], ['t1']);
    const elseG = await graph('else', [await makeNode('MatMul', ['x', 'w_else_init'], ['e1'], 'else_mm')], [await floatTensor('w_else_init', [4, 4], zeros(16))], ['e1']);
    const nodes = [
      await constant('w_outer_const', await floatTensor('c', [4, 4], zeros(16))),
      await makeNode('If', ['cond'], ['y'], 'if', [await subgraphAttr('then_branch', thenG), await subgraphAttr('else_branch', elseG)]),
    ];
    const m = await model(await graph('main', nodes, [await floatTensor('w_main', [2, 1, 3, 3], zeros(18))], ['y']));
    const targets = findQuantTargets(m, { minElements: 1 });
    assert.deepEqual(targets.map((t) => `${t.node.name}:${t.weight.name}:${t.weight.source}:${t.weight.depth}:${t.depth}:${t.graph.name}:${t.weight.graph.name}`), [
      'then_mm:w_then_const:constant:1:1:then:then',
      'then_conv:w_main:initializer:0:1:then:main',
      'loop_mm:w_outer_const:constant:0:2:loop_body:main',
      'else_mm:w_else_init:initializer:1:1:else:else',
    ]);
  });

  it('follows Slice/Concat/Unsqueeze chains back to the constant, mapping the channel axis', async () => {
    // LSTM gate reordering as in silero_vad_v5: rows [0,8) and [8,16) of W0 [16×3] swapped, then Unsqueeze(0).
    const body = await graph('branch', [
      await constant('w0', await floatTensor('w0', [16, 3], zeros(48))),
      await constant('s0', await ints('s0', [0])),
      await constant('s8', await ints('s8', [8])),
      await constant('s16', await ints('s16', [16])),
      await constant('ax0', await ints('ax0', [0])),
      await makeNode('Slice', ['w0', 's0', 's8', 'ax0'], ['lo'], 'slice_lo'),
      await makeNode('Slice', ['w0', 's8', 's16', 'ax0'], ['hi'], 'slice_hi'),
      await makeNode('Concat', ['hi', 'lo'], ['cat'], 'concat', [await makeAttribute('axis', 0)]),
      await makeNode('Unsqueeze', ['cat', 'ax0'], ['w_lstm'], 'unsqueeze'),
      // Transpose then Unsqueeze: the consumer's axis 1 (16 gate rows) is the constant's axis 1 (perm [1, 0] of [4×16]).
      await makeNode('Transpose', ['r_t'], ['r_tt'], 'transpose', [await makeAttribute('perm', [1, 0], 'ints')]),
      await makeNode('Unsqueeze', ['r_tt', 'ax0'], ['r'], 'unsqueeze_r'),
      await makeNode('LSTM', ['seq', 'w_lstm', 'r'], ['', 'yh'], 'lstm', [await makeAttribute('hidden_size', 4)]),
      // Behind a Reshape the axis is lost.
      await constant('shape', await ints('shape', [1, 16, 3])),
      await makeNode('Reshape', ['w_flat', 'shape'], ['w_gru'], 'reshape'),
      await makeNode('GRU', ['seq', 'w_gru', 'r_gru'], ['', 'gh'], 'gru', [await makeAttribute('hidden_size', 4)]),
    ], [await floatTensor('r_t', [4, 16], zeros(64)), await floatTensor('w_flat', [48], zeros(48)), await floatTensor('r_gru', [1, 12, 4], zeros(48))], ['yh', 'gh']);
    const m = await model(await graph('main', [await makeNode('If', ['cond'], ['y'], 'if', [await subgraphAttr('then_branch', body), await subgraphAttr('else_branch', body)])]));
    const targets = findQuantTargets(m, { minElements: 1 }).filter((t) => t.node.name === 'lstm' || t.node.name === 'gru');
    // The same body object is both branches: each target appears twice.
    const first = targets.slice(0, 4);
    assert.deepEqual(first.map((t) => `${t.op}:${t.inputIndex}:${t.dims.join('x')}:${t.roots.map((r) => `${r.weight.name}@${r.axis}`).join(',')}:${(t.chain ?? []).map((n) => n.name).join('>')}`), [
      'LSTM:1:1x16x3:w0@0:slice_lo>slice_hi>concat>unsqueeze',
      'LSTM:2:1x16x4:r_t@1:transpose>unsqueeze_r',
      'GRU:1:1x16x3:w_flat@-1:reshape',
      'GRU:2:1x12x4:r_gru@1:',
    ]);
    assert.equal(first[3].chain, undefined);
    assert.equal(first[0].weight.source, 'constant');
    const groups = groupByWeight(first);
    assert.deepEqual(groups.map((g) => `${g.weight.name}:${g.axis}`), ['w0:0', 'r_t:1', 'w_flat:0', 'r_gru:1']);
  });

  it('lists a shared weight once with all its consumers', async () => {
    const nodes = [
      await makeNode('MatMul', ['x', 'w'], ['a'], 'mm1'),
      await makeNode('MatMul', ['a', 'w'], ['b'], 'mm2'),
      await makeNode('Gemm', ['b', 'w'], ['c'], 'gemm', [await makeAttribute('transB', 1)]),
    ];
    const m = await model(await graph('g', nodes, [await floatTensor('w', [4, 4], zeros(16))], ['c']));
    const targets = findQuantTargets(m, { minElements: 1 });
    assert.deepEqual(targets.map((t) => `${t.node.name}:${t.sharedWith}:${t.channelAxis}`), ['mm1:2:1', 'mm2:2:1', 'gemm:2:0']);
    const groups = groupByWeight(targets);
    assert.equal(groups.length, 1);
    assert.deepEqual(groups[0].targets.map((t) => t.node.name), ['mm1', 'mm2', 'gemm']);
    // Consumers disagree on the axis: the first consumer's is used.
    assert.equal(groups[0].axis, 1);
  });
});
