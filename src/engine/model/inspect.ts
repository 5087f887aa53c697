/** `model inspect`: what a model holds, read with the full ONNX schema (no session needed). */
import type { ModelInspection } from '../../protocol/model';
import { findWeights, isFloatType, opTypeCounts } from './graph';
import { findQuantTargets } from './targets';
import { elementCount, forEachGraph, readModel, tensorDims, type ModelProto } from './onnx';

const TYPE_NAMES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16', 21: 'uint4', 22: 'int4' };

function valueInfo(model: ModelProto, which: 'input' | 'output'): ModelInspection['inputs'] {
  const inits = new Set(model.graph!.initializer.map((t) => t.name));
  return model.graph![which]
    .filter((v) => !inits.has(v.name))
    .map((v) => {
      const t = v.type?.value.case === 'tensorType' ? v.type.value.value : undefined;
      return {
        name: v.name,
        type: t ? (TYPE_NAMES[t.elemType] ?? `type ${t.elemType}`) : (v.type?.value.case ?? 'unknown'),
        shape: t?.shape?.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?')) ?? [],
      };
    });
}

export async function inspectModel(path: string): Promise<ModelInspection> {
  const loaded = await readModel(path, { loadExternalData: false });
  const model = loaded.model;
  let subgraphs = -1;
  let nodes = 0;
  forEachGraph(model.graph!, (g) => {
    subgraphs++;
    nodes += g.node.length;
  });
  const weights = findWeights(model);
  const params = weights.filter((w) => isFloatType(w.tensor.dataType)).reduce((a, w) => a + elementCount(tensorDims(w.tensor)), 0);
  const largest = [...weights].sort((a, b) => elementCount(tensorDims(b.tensor)) - elementCount(tensorDims(a.tensor))).slice(0, 8);
  return {
    path,
    sizeBytes: loaded.sizeBytes,
    irVersion: Number(model.irVersion),
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain || 'ai.onnx', Number(o.version)])),
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    inputs: valueInfo(model, 'input'),
    outputs: valueInfo(model, 'output'),
    nodeCount: nodes,
    subgraphCount: subgraphs,
    opTypes: opTypeCounts(model),
    parameterCount: params,
    weights: {
      initializers: weights.filter((w) => w.source === 'initializer').length,
      constantNodes: weights.filter((w) => w.source === 'constant').length,
      inSubgraphs: weights.filter((w) => w.depth > 0).length,
      externalDataFiles: loaded.externalFiles,
    },
    // Every layer quantize can rewrite: MatMul, Gemm, Conv, ConvTranspose, LSTM/GRU/RNN, Gather.
    quantizableLayers: new Set(findQuantTargets(model, { minElements: 1 }).map((t) => t.node)).size,
    largestWeights: largest.map((w) => ({ name: w.name, shape: tensorDims(w.tensor), dataType: TYPE_NAMES[w.tensor.dataType] ?? String(w.tensor.dataType) })),
  };
}
