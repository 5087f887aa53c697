/**
 * Exact expectations for src/engine/model/graph.ts on tiny hand-built graphs: which weights and
 * linear layers are found (scopes, subgraph depths, shadowing), what the builders write, the
 * names NameScope hands out, the opset bookkeeping, and the Gemm → MatMul (+ Add) rewrite, whose
 * outputs onnxruntime must give equal to the original Gemm's (the oracle for Gemm semantics).
 */
import * as assert from 'node:assert/strict';
import { EngineError } from '../../../src/protocol/errors';
import {
  assertFloatModel,
  attrFloat,
  attrInt,
  consumers,
  ensureOpset,
  findLinears,
  findWeights,
  forEachGraphInit,
  gemmToMatMul,
  isFloatType,
  makeAttribute,
  makeNode,
  NameScope,
  opsetVersion,
  opTypeCounts,
  producers,
  removeDeadCode,
  removeUnusedInitializers,
  weightUseCount,
} from '../../../src/engine/model/graph';
import { AttrType, DataType, encodeModel, floatTensor, makeTensor, onnxSchema, tensorToFloat32, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from '../../../src/engine/model/onnx';
import { openSession } from '../../../src/engine/model/runtime';

type Onnx = Awaited<ReturnType<typeof onnxSchema>>;

function vi(onnx: Onnx, name: string, dims: number[], elemType = 1) {
  return onnx.create(onnx.ValueInfoProtoSchema, {
    name,
    type: onnx.create(onnx.TypeProtoSchema, { value: { case: 'tensorType', value: onnx.create(onnx.TypeProto_TensorSchema, { elemType, shape: onnx.create(onnx.TensorShapeProtoSchema, { dim: dims.map((d) => onnx.create(onnx.TensorShapeProto_DimensionSchema, { value: { case: 'dimValue', value: BigInt(d) } })) }) }) } }),
  });
}

const ones = (n: number) => new Float32Array(n).fill(1);

async function graphOf(parts: { name?: string; node?: NodeProto[]; initializer?: TensorProto[]; input?: string[]; output?: string[] }): Promise<GraphProto> {
  const onnx = await onnxSchema();
  return onnx.create(onnx.GraphProtoSchema, { name: parts.name ?? 'g', node: parts.node ?? [], initializer: parts.initializer ?? [], input: (parts.input ?? []).map((n) => vi(onnx, n, [1])), output: (parts.output ?? []).map((n) => vi(onnx, n, [1])) });
}

async function modelOf(graph: GraphProto, opsets: [string, number][] = [['', 17]]): Promise<ModelProto> {
  const onnx = await onnxSchema();
  return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, producerName: 'pepperpy-test', opsetImport: opsets.map(([domain, version]) => onnx.create(onnx.OperatorSetIdProtoSchema, { domain, version: BigInt(version) })), graph });
}

async function graphAttr(name: string, g: GraphProto) {
  const onnx = await onnxSchema();
  return onnx.create(onnx.AttributeProtoSchema, { name, type: AttrType.GRAPH, g });
}

async function constantNode(output: string, tensor: TensorProto, domain = ''): Promise<NodeProto> {
  return makeNode('Constant', [], [output], `${output}_node`, [await makeAttribute('value', tensor, 'tensor')], domain);
}

/**
 * Main graph: initializer W0 [2×3], a Constant C0 [3×4], MatMuls x·W0 and h·C0, and an If whose
 * then-branch holds initializer WT [4×2] (MatMul on it and on the outer W0) and a Loop body at
 * depth 2 reading WT from the then-branch; the else-branch reads WT, which it cannot see.
 */
async function scopedModel(): Promise<ModelProto> {
  const w0 = await floatTensor('W0', [2, 3], ones(6));
  const c0 = await floatTensor('C0v', [3, 4], ones(12));
  const wt = await floatTensor('WT', [4, 2], ones(8));
  const body = await graphOf({ name: 'body', node: [await makeNode('MatMul', ['z', 'WT'], ['zb'], 'body_mm')], output: ['zb'] });
  const thenG = await graphOf({
    name: 'then',
    node: [await makeNode('MatMul', ['y', 'WT'], ['t1'], 'then_mm'), await makeNode('MatMul', ['x', 'W0'], ['t2'], 'then_outer'), await makeNode('Loop', ['', ''], ['t3'], 'loop', [await graphAttr('body', body)])],
    initializer: [wt],
    output: ['t1'],
  });
  const elseG = await graphOf({ name: 'else', node: [await makeNode('MatMul', ['y', 'WT'], ['e1'], 'else_mm')], output: ['e1'] });
  return modelOf(
    await graphOf({
      node: [
        await constantNode('C0', c0),
        await makeNode('MatMul', ['x', 'W0'], ['h'], 'mm0'),
        await makeNode('MatMul', ['h', 'C0'], ['y'], 'mm1'),
        await makeNode('If', ['cond'], ['out'], 'branch', [await graphAttr('then_branch', thenG), await graphAttr('else_branch', elseG)]),
        await makeNode('MatMul', ['y', 'WT'], ['after'], 'after_if'),
      ],
      initializer: [w0],
      input: ['x', 'cond'],
      output: ['out', 'after'],
    }),
  );
}

describe('graph.ts: exact expectations on hand-built graphs', () => {
  describe('findWeights', () => {
    it('lists initializers then Constant values of every graph, with source and depth', async () => {
      const m = await scopedModel();
      const found = findWeights(m).map((w) => [w.name, w.source, w.depth, w.graph.name, w.tensor.name]);
      assert.deepEqual(found, [
        ['W0', 'initializer', 0, 'g', 'W0'],
        ['C0', 'constant', 0, 'g', 'C0v'],
        ['WT', 'initializer', 1, 'then', 'WT'],
      ]);
    });

    it('takes Constant nodes of the default domain (\'\' or ai.onnx) with a tensor value and an output only', async () => {
      const t = await floatTensor('t', [2], ones(2));
      const nodes = [
        await constantNode('a', t),
        await constantNode('b', t, 'ai.onnx'),
        await constantNode('c', t, 'com.example'),
        await makeNode('Constant', [], ['d'], 'd_node', [await makeAttribute('value_float', 1.5, 'float')]),
        await makeNode('Constant', [], [''], 'e_node', [await makeAttribute('value', t, 'tensor')]),
        await makeNode('Identity', ['a'], ['f'], 'f_node', [await makeAttribute('value', t, 'tensor')]),
        await makeNode('Constant', [], ['g'], 'g_node', [await makeAttribute('other', t, 'tensor')]),
      ];
      const m = await modelOf(await graphOf({ node: nodes, output: ['f'] }));
      assert.deepEqual(findWeights(m).map((w) => [w.name, w.source]), [['a', 'constant'], ['b', 'constant']]);
    });
  });

  describe('findLinears', () => {
    it('finds MatMuls on constant weights in the visible scopes only, with K, N and depth', async () => {
      const m = await scopedModel();
      const found = findLinears(m).map((l) => [l.node.name, l.weight.name, l.weight.source, l.k, l.n, l.depth, l.graph.name, l.weight.depth]);
      assert.deepEqual(found, [
        ['mm0', 'W0', 'initializer', 2, 3, 0, 'g', 0],
        ['mm1', 'C0', 'constant', 3, 4, 0, 'g', 0],
        ['then_mm', 'WT', 'initializer', 4, 2, 1, 'then', 1],
        ['then_outer', 'W0', 'initializer', 2, 3, 1, 'then', 0],
        ['body_mm', 'WT', 'initializer', 4, 2, 2, 'body', 1],
      ]);
    });

    it('an inner weight shadows an outer one of the same name', async () => {
      const outer = await floatTensor('W', [2, 2], ones(4));
      const inner = await floatTensor('W', [5, 3], ones(15));
      const thenG = await graphOf({ name: 'then', node: [await makeNode('MatMul', ['x', 'W'], ['t'], 'inner_mm')], initializer: [inner], output: ['t'] });
      const elseG = await graphOf({ name: 'else', node: [await makeNode('MatMul', ['x', 'W'], ['e'], 'outer_mm')], output: ['e'] });
      const m = await modelOf(await graphOf({ node: [await makeNode('If', ['c'], ['o'], 'if', [await graphAttr('then_branch', thenG), await graphAttr('else_branch', elseG)])], initializer: [outer], input: ['x', 'c'], output: ['o'] }));
      assert.deepEqual(findLinears(m).map((l) => [l.node.name, l.k, l.n, l.weight.depth]), [['inner_mm', 5, 3, 1], ['outer_mm', 2, 2, 0]]);
    });

    it('also walks graphs of GRAPHS attributes', async () => {
      const onnx = await onnxSchema();
      const w = await floatTensor('W', [2, 2], ones(4));
      const sub = await graphOf({ name: 'sub', node: [await makeNode('MatMul', ['x', 'W'], ['s'], 'sub_mm')], output: ['s'] });
      const attr = onnx.create(onnx.AttributeProtoSchema, { name: 'bodies', type: AttrType.GRAPHS, graphs: [sub] });
      const m = await modelOf(await graphOf({ node: [await makeNode('Custom', ['x'], ['o'], 'custom', [attr], 'com.example')], initializer: [w], output: ['o'] }));
      assert.deepEqual(findLinears(m).map((l) => [l.node.name, l.depth]), [['sub_mm', 1]]);
    });

    it('skips non-float, non-2-D, small, foreign-domain, three-input and activation-only MatMuls', async () => {
      const f = await floatTensor('F', [3, 2], ones(6));
      const f3 = await floatTensor('F3', [2, 2, 2], ones(8));
      const ints = await makeTensor('I', DataType.INT8, [3, 2], new Uint8Array(6));
      const half = await makeTensor('H', DataType.FLOAT16, [4, 2], new Uint8Array(16));
      const nodes = [
        await makeNode('MatMul', ['x', 'F'], ['a'], 'ok'),
        await makeNode('MatMul', ['x', 'F3'], ['b'], 'three_d'),
        await makeNode('MatMul', ['x', 'I'], ['c'], 'int8'),
        await makeNode('MatMul', ['x', 'H'], ['d'], 'fp16'),
        await makeNode('MatMul', ['x', 'F'], ['e'], 'foreign', [], 'com.example'),
        await makeNode('MatMul', ['x', 'F', 'z'], ['g'], 'three_inputs'),
        await makeNode('MatMul', ['F', 'x'], ['h'], 'weight_first'),
        await makeNode('Gemm', ['x', 'F'], ['i'], 'gemm'),
        // Not weights: a non-Constant node carrying a tensor attribute, a Constant without one.
        await makeNode('Identity', ['x'], ['fake'], 'fake_node', [await makeAttribute('value', f, 'tensor')]),
        await makeNode('MatMul', ['x', 'fake'], ['j'], 'on_fake'),
        await makeNode('Constant', [], ['cf'], 'cf_node', [await makeAttribute('value_float', 1.5, 'float')]),
        await makeNode('MatMul', ['x', 'cf'], ['k'], 'on_value_float'),
        await makeNode('Constant', [], ['co'], 'co_node', [await makeAttribute('other', f, 'tensor')]),
        await makeNode('MatMul', ['x', 'co'], ['l'], 'on_other_attribute'),
      ];
      const m = await modelOf(await graphOf({ node: nodes, initializer: [f, f3, ints, half], input: ['x'], output: ['a'] }));
      assert.deepEqual(findLinears(m).map((l) => l.node.name), ['ok', 'fp16']);
      // minElements: F has 6 elements and H 8; the bound is inclusive.
      assert.deepEqual(findLinears(m, 8).map((l) => l.node.name), ['fp16']);
      assert.deepEqual(findLinears(m, 6).map((l) => l.node.name), ['ok', 'fp16']);
      assert.deepEqual(findLinears(m, 9).map((l) => l.node.name), []);
    });
  });

  it('isFloatType: FLOAT, FLOAT16, BFLOAT16 and DOUBLE only', () => {
    assert.deepEqual([1, 2, 3, 6, 7, 10, 11, 16].filter(isFloatType), [DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);
  });

  it('forEachGraphInit visits each initializer of every graph once, even when the visitor adds more', async () => {
    const m = await scopedModel();
    const seen: string[] = [];
    forEachGraphInit(m, (g, t) => {
      seen.push(`${g.name}:${t.name}`);
      g.initializer.push(t);
    });
    assert.deepEqual(seen, ['g:W0', 'then:WT']);
  });

  it('weightUseCount counts every input slot in every graph', async () => {
    const m = await scopedModel();
    assert.equal(weightUseCount(m, 'WT'), 4);
    assert.equal(weightUseCount(m, 'W0'), 2);
    assert.equal(weightUseCount(m, 'x'), 2);
    assert.equal(weightUseCount(m, 'nothing'), 0);
  });

  describe('builders and attribute readers', () => {
    it('makeAttribute writes each kind with its ONNX type and field', async () => {
      const t = await floatTensor('t', [1], ones(1));
      const i = await makeAttribute('axis', 3);
      assert.deepEqual([i.name, i.type, i.i], ['axis', AttrType.INT, 3n]);
      const f = await makeAttribute('alpha', 0.5, 'float');
      assert.deepEqual([f.type, f.f], [AttrType.FLOAT, 0.5]);
      const is = await makeAttribute('perm', [1, 0, 2], 'ints');
      assert.deepEqual([is.type, is.ints], [AttrType.INTS, [1n, 0n, 2n]]);
      const tt = await makeAttribute('value', t, 'tensor');
      assert.deepEqual([tt.type, tt.t?.name], [AttrType.TENSOR, 't']);
      const s = await makeAttribute('mode', 'linear');
      assert.deepEqual([s.type, new TextDecoder().decode(s.s)], [AttrType.STRING, 'linear']);
      const js = await makeAttribute('list', [1, 2], 'string');
      assert.equal(new TextDecoder().decode(js.s), '[1,2]');
    });

    it('makeNode fills op type, inputs, outputs, name, attributes and domain (default \'\')', async () => {
      const a = await makeAttribute('axis', 1);
      const n = await makeNode('Concat', ['a', 'b'], ['c'], 'cat', [a]);
      assert.deepEqual([n.opType, n.input, n.output, n.name, n.attribute.length, n.domain], ['Concat', ['a', 'b'], ['c'], 'cat', 1, '']);
      assert.equal((await makeNode('X', [], [], 'x', [], 'com.microsoft')).domain, 'com.microsoft');
      assert.deepEqual((await makeNode('X', [], [], 'x')).attribute, []);
    });

    it('attrInt and attrFloat read the named attribute or return the fallback', async () => {
      const n = await makeNode('Gemm', [], [], 'g', [await makeAttribute('transB', 1), await makeAttribute('alpha', 0.25, 'float')]);
      assert.equal(attrInt(n, 'transB', 7), 1);
      assert.equal(attrInt(n, 'transA', 7), 7);
      assert.equal(attrFloat(n, 'alpha', 2), 0.25);
      assert.equal(attrFloat(n, 'beta', 2), 2);
    });
  });

  describe('NameScope', () => {
    it('avoids node names, outputs, initializers and graph inputs of every graph; sanitizes and numbers', async () => {
      const m = await scopedModel();
      const names = new NameScope(m);
      assert.equal(names.next('fresh'), 'fresh');
      assert.equal(names.next('fresh'), 'fresh_1');
      assert.equal(names.next('fresh'), 'fresh_2');
      assert.equal(names.next('W0'), 'W0_1');
      assert.equal(names.next('mm0'), 'mm0_1');
      assert.equal(names.next('h'), 'h_1');
      assert.equal(names.next('x'), 'x_1');
      assert.equal(names.next('WT'), 'WT_1');
      assert.equal(names.next('body_mm'), 'body_mm_1');
      assert.equal(names.next('zb'), 'zb_1');
      assert.equal(names.next('a b+c'), 'a_b_c');
      assert.equal(names.next('ok_./:-Z9'), 'ok_./:-Z9');
    });
  });

  describe('opsets', () => {
    it('ensureOpset raises an older version, keeps a newer one, adds a missing domain', async () => {
      const m = await modelOf(await graphOf({}), [['', 13], ['com.microsoft', 1]]);
      await ensureOpset(m, 'com.microsoft', 2);
      await ensureOpset(m, '', 11);
      await ensureOpset(m, 'com.example', 4);
      assert.deepEqual(m.opsetImport.map((o) => [o.domain, o.version]), [['', 13n], ['com.microsoft', 2n], ['com.example', 4n]]);
    });

    it('opsetVersion reads the domain, \'\' also as ai.onnx, 0 when absent', async () => {
      const m = await modelOf(await graphOf({}), [['com.microsoft', 1], ['ai.onnx', 15]]);
      assert.equal(opsetVersion(m), 15);
      assert.equal(opsetVersion(m, 'com.microsoft'), 1);
      assert.equal(opsetVersion(m, 'com.example'), 0);
      assert.equal(opsetVersion(await modelOf(await graphOf({}), [['com.microsoft', 1]])), 0);
    });
  });

  describe('gemmToMatMul', function () {
    this.timeout(30_000);

    /** x [2×3] · B (+ C): B given as [3×2], or [2×3] with transB = 1. */
    async function gemmModel(options: { transB?: boolean; bias?: boolean; attrs?: NodeProto['attribute']; bType?: number; name?: string }): Promise<ModelProto> {
      const onnx = await onnxSchema();
      const values = Float32Array.from([1, -2, 0.5, 3, 4, -1]);
      const b = options.bType === DataType.DOUBLE ? await makeTensor('B', DataType.DOUBLE, options.transB ? [2, 3] : [3, 2], new Uint8Array(new Float64Array(values).buffer)) : await floatTensor('B', options.transB ? [2, 3] : [3, 2], values);
      const c = await floatTensor('C', [2], Float32Array.from([0.25, -0.5]));
      const attrs = [...(options.attrs ?? [])];
      if (options.transB) attrs.push(await makeAttribute('transB', 1));
      const node = await makeNode('Gemm', options.bias === false ? ['x', 'B'] : ['x', 'B', 'C'], ['y'], options.name ?? 'fc', attrs);
      const graph = onnx.create(onnx.GraphProtoSchema, { name: 'g', node: [node], initializer: options.bias === false ? [b] : [b, c], input: [vi(onnx, 'x', [2, 3])], output: [vi(onnx, 'y', [2, 2])] });
      return onnx.create(onnx.ModelProtoSchema, { irVersion: 8n, producerName: 'pepperpy-test', opsetImport: [onnx.create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n })], graph });
    }

    async function run(m: ModelProto): Promise<number[]> {
      const session = await openSession(await encodeModel(m), 'cpu', { graphOptimizationLevel: 'disabled' });
      const out = await session.run({ x: { type: 'float32', data: Float32Array.from([1, 2, 3, -1, 0.5, 2]), dims: [2, 3] } });
      await session.release();
      return Array.from(out.y.data);
    }

    it('transB = 1 with a bias: MatMul on the transposed weight, then Add; onnxruntime gives the Gemm\'s outputs', async () => {
      const before = await run(await gemmModel({ transB: true }));
      const m = await gemmModel({ transB: true });
      assert.equal(await gemmToMatMul(m), 1);
      const g = m.graph!;
      assert.deepEqual(g.node.map((n) => [n.opType, n.input, n.output, n.name]), [
        ['MatMul', ['x', 'B_T'], ['y_matmul'], 'fc_MatMul'],
        ['Add', ['y_matmul', 'C'], ['y'], 'fc_Add'],
      ]);
      // B [2×3] = [[1, −2, 0.5], [3, 4, −1]] → Bᵀ [3×2]; the original B is no longer read and goes.
      assert.deepEqual(g.initializer.map((t) => t.name), ['C', 'B_T']);
      assert.deepEqual(Array.from(tensorToFloat32(g.initializer[1])), [1, 3, -2, 4, 0.5, -1]);
      assert.deepEqual(g.initializer[1].dims, [3n, 2n]);
      // By hand: x row 0 = [1, 2, 3] → [1 − 4 + 1.5, 3 + 8 − 3] + [0.25, −0.5] = [−1.25, 7.5].
      assert.deepEqual(before.slice(0, 2), [-1.25, 7.5]);
      assert.deepEqual(await run(m), before);
    });

    it('no bias (two inputs, or an empty third): one MatMul writing the Gemm\'s output, weight kept as is', async () => {
      const m = await gemmModel({ bias: false, name: '' });
      const before = await run(m);
      assert.equal(await gemmToMatMul(m), 1);
      assert.deepEqual(m.graph!.node.map((n) => [n.opType, n.input, n.output, n.name]), [['MatMul', ['x', 'B'], ['y'], 'gemm_MatMul']]);
      assert.deepEqual(m.graph!.initializer.map((t) => t.name), ['B']);
      assert.deepEqual(await run(m), before);

      const unnamed = await gemmModel({ name: '' });
      assert.equal(await gemmToMatMul(unnamed), 1);
      assert.deepEqual(unnamed.graph!.node.map((n) => n.name), ['gemm_MatMul', 'gemm_Add']);

      const empty = await gemmModel({ bias: false });
      empty.graph!.node[0].input.push('');
      assert.equal(await gemmToMatMul(empty), 1);
      assert.deepEqual(empty.graph!.node.map((n) => n.opType), ['MatMul']);
    });

    it('leaves Gemm alone when alpha ≠ 1, beta ≠ 1, transA = 1, B is not float32, B is not an initializer, or the domain is not the default', async () => {
      const cases: [string, ModelProto][] = [
        ['alpha', await gemmModel({ attrs: [await makeAttribute('alpha', 2, 'float')] })],
        ['beta', await gemmModel({ attrs: [await makeAttribute('beta', 0.5, 'float')] })],
        ['transA', await gemmModel({ attrs: [await makeAttribute('transA', 1)] })],
        ['double', await gemmModel({ bType: DataType.DOUBLE })],
      ];
      const matmul = await gemmModel({});
      matmul.graph!.node[0].opType = 'MatMul';
      cases.push(['not a Gemm', matmul]);
      const notInit = await gemmModel({});
      notInit.graph!.node[0].input[1] = 'x';
      cases.push(['activation B', notInit]);
      const foreign = await gemmModel({});
      foreign.graph!.node[0].domain = 'com.example';
      cases.push(['domain', foreign]);
      for (const [label, m] of cases) {
        const inits = m.graph!.initializer.map((t) => t.name);
        assert.equal(await gemmToMatMul(m), 0, label);
        assert.deepEqual(m.graph!.node.map((n) => n.opType), [label === 'not a Gemm' ? 'MatMul' : 'Gemm'], label);
        assert.deepEqual(m.graph!.initializer.map((t) => t.name), inits, `${label}: nothing removed`);
      }
      // alpha = beta = 1 and transA = 0 written out explicitly still rewrite.
      const explicit = await gemmModel({ attrs: [await makeAttribute('alpha', 1, 'float'), await makeAttribute('beta', 1, 'float'), await makeAttribute('transA', 0), await makeAttribute('transB', 0)] });
      assert.equal(await gemmToMatMul(explicit), 1);
    });

    it('rewrites Gemms inside subgraphs too and counts them all', async () => {
      const b = await floatTensor('Bs', [3, 2], ones(6));
      const sub = await graphOf({ name: 'then', node: [await makeNode('Gemm', ['x', 'Bs'], ['s'], 'inner')], initializer: [b], output: ['s'] });
      const m = await modelOf(await graphOf({ node: [await makeNode('If', ['c'], ['o'], 'if', [await graphAttr('then_branch', sub), await graphAttr('else_branch', await graphOf({ name: 'else', output: ['x'] }))]), await makeNode('Gemm', ['x', 'Bs'], ['o2'], 'outer')], input: ['x', 'c'], output: ['o', 'o2'] }));
      // The outer Gemm reads Bs from no initializer of its own graph: only the inner one is rewritten.
      assert.equal(await gemmToMatMul(m), 1);
      assert.deepEqual(opTypeCounts(m), { If: 1, Gemm: 1, MatMul: 1 });
    });
  });

  describe('dead code', () => {
    it('removeDeadCode drops chains nothing reads, then their initializers and the graph inputs that declared them', async () => {
      const w = await floatTensor('W', [1], ones(1));
      const dead = await floatTensor('D', [1], ones(1));
      const sub = await floatTensor('S', [1], ones(1));
      const body = await graphOf({ name: 'then', node: [await makeNode('Identity', ['S'], ['so'], 'sub_id')], initializer: [sub], output: ['so', 'outer_read'] });
      const nodes = [
        await makeNode('Mul', ['x', 'W'], ['a'], 'live'),
        // An optional input left empty: '' is read, yet a node whose only output is '' is dead.
        await makeNode('Clip', ['a', '', ''], ['a2'], 'clip'),
        await makeNode('Add', ['x', 'D'], ['d1'], 'dead1'),
        await makeNode('Neg', ['d1'], ['d2'], 'dead2'),
        await makeNode('Relu', ['x'], ['outer_read'], 'read_by_subgraph_output'),
        await makeNode('If', ['c'], ['b'], 'if', [await graphAttr('then_branch', body), await graphAttr('else_branch', await graphOf({ name: 'else', output: ['x'] }))]),
        await makeNode('Split', ['x'], ['', 'sp'], 'unread_output'),
        await makeNode('Dropout', ['x'], [''], 'empty_output'),
        await makeNode('Dropout', ['x'], ['dout', 'dmask'], 'one_output_read'),
      ];
      const m = await modelOf(await graphOf({ node: nodes, initializer: [w, dead], input: ['x', 'c', 'W', 'D'], output: ['a2', 'b', 'dout'] }));
      removeDeadCode(m);
      assert.deepEqual(m.graph!.node.map((n) => n.name), ['live', 'clip', 'read_by_subgraph_output', 'if', 'one_output_read']);
      assert.deepEqual(m.graph!.initializer.map((t) => t.name), ['W']);
      assert.deepEqual(m.graph!.input.map((v) => v.name), ['x', 'c', 'W']);
      assert.deepEqual(body.initializer.map((t) => t.name), ['S']);
    });

    it('removeUnusedInitializers keeps what a node or a graph output reads, in every graph', async () => {
      const keepOut = await floatTensor('K', [1], ones(1));
      const unused = await floatTensor('U', [1], ones(1));
      const subUnused = await floatTensor('SU', [1], ones(1));
      const subUsed = await floatTensor('SK', [1], ones(1));
      const body = await graphOf({ name: 'then', node: [await makeNode('Identity', ['SK'], ['so'], 'sub_id')], initializer: [subUnused, subUsed], output: ['so'] });
      const m = await modelOf(await graphOf({ node: [await makeNode('If', ['c'], ['b'], 'if', [await graphAttr('then_branch', body), await graphAttr('else_branch', await graphOf({ name: 'else', output: ['x'] }))])], initializer: [keepOut, unused], input: ['c', 'U', 'x'], output: ['b', 'K'] }));
      removeUnusedInitializers(m);
      assert.deepEqual(m.graph!.initializer.map((t) => t.name), ['K']);
      assert.deepEqual(body.initializer.map((t) => t.name), ['SK']);
      assert.deepEqual(m.graph!.input.map((v) => v.name), ['c', 'x']);
    });
  });

  it('producers and consumers map each value to its node(s)', async () => {
    const a = await makeNode('Relu', ['x'], ['r'], 'a');
    const b = await makeNode('Add', ['r', 'r'], ['s', 't'], 'b');
    const c = await makeNode('Mul', ['x', 's'], ['u'], 'c');
    const g = await graphOf({ node: [a, b, c] });
    const p = producers(g);
    assert.deepEqual([...p.entries()].map(([k, n]) => [k, n.name]), [['r', 'a'], ['s', 'b'], ['t', 'b'], ['u', 'c']]);
    const q = consumers(g);
    assert.deepEqual([...q.entries()].map(([k, ns]) => [k, ns.map((n) => n.name)]), [['x', ['a', 'c']], ['r', ['b', 'b']], ['s', ['c']]]);
  });

  it('opTypeCounts counts the main graph and every subgraph', async () => {
    assert.deepEqual(opTypeCounts(await scopedModel()), { Constant: 1, MatMul: 7, If: 1, Loop: 1 });
  });

  describe('assertFloatModel', () => {
    it('accepts a model with a float weight of two or more elements', async () => {
      const m = await modelOf(await graphOf({ initializer: [await makeTensor('q', DataType.INT8, [4], new Uint8Array(4)), await floatTensor('w', [2], ones(2))] }));
      assertFloatModel(m, 'The model');
    });

    it('rejects integer-only weights and single float scalars with an unsupported error naming the label', async () => {
      const intOnly = await modelOf(await graphOf({ initializer: [await makeTensor('q', DataType.INT8, [4], new Uint8Array(4)), await floatTensor('s', [1], ones(1))] }));
      assert.throws(
        () => assertFloatModel(intOnly, 'model.onnx'),
        (e: unknown) => e instanceof EngineError && e.code === 'unsupported' && e.message === 'model.onnx has no float weights to work on.' && e.hint === 'Pass an fp32/fp16 model (a quantized model cannot be quantized again).',
      );
    });
  });
});
