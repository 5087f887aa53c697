#!/usr/bin/env node
// Development aid for the model corpus: prints what the manifest's structure notes say about
// an ONNX file (opsets, inputs/outputs, op counts per graph depth, where the weights live).
// Usage: node scripts/models/inspect-model.mjs FILE.onnx [--json]
import { readFileSync } from 'node:fs';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: inspect-model.mjs FILE.onnx [--json]\n');
  process.exit(2);
}
const model = fromBinary(ModelProtoSchema, readFileSync(file));
const elemType = { 1: 'float32', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 9: 'bool', 10: 'float16', 11: 'float64' };

function count(dims) {
  return dims.reduce((a, b) => a * Number(b), 1);
}

const ops = {};
const subgraphOps = {};
let initializerParams = 0;
let constantParams = 0;
let largeConstants = 0;
let subgraphCount = 0;
function walk(graph, depth) {
  for (const t of graph.initializer) initializerParams += count(t.dims);
  for (const n of graph.node) {
    const key = n.domain && n.domain !== 'ai.onnx' ? `${n.domain}:${n.opType}` : n.opType;
    const table = depth === 0 ? ops : subgraphOps;
    table[key] = (table[key] ?? 0) + 1;
    if (n.opType === 'Constant') {
      for (const a of n.attribute) {
        if (a.t) {
          const c = count(a.t.dims);
          constantParams += c;
          if (c >= 16) largeConstants += 1;
        }
      }
    }
    for (const a of n.attribute) {
      if (a.g) {
        subgraphCount += 1;
        walk(a.g, depth + 1);
      }
      for (const g of a.graphs ?? []) {
        subgraphCount += 1;
        walk(g, depth + 1);
      }
    }
  }
}
walk(model.graph, 0);

function valueInfo(v) {
  const tt = v.type?.value?.case === 'tensorType' ? v.type.value.value : undefined;
  const dims = tt?.shape?.dim.map((d) => (d.value.case === 'dimValue' ? Number(d.value.value) : d.value.case === 'dimParam' ? d.value.value : '?')) ?? [];
  return { name: v.name, type: elemType[tt?.elemType] ?? String(tt?.elemType), shape: dims };
}
const inits = new Set(model.graph.initializer.map((t) => t.name));
const summary = {
  file,
  irVersion: Number(model.irVersion),
  producer: `${model.producerName} ${model.producerVersion}`.trim(),
  opsets: model.opsetImport.map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(o.version) })),
  inputs: model.graph.input.filter((v) => !inits.has(v.name)).map(valueInfo),
  outputs: model.graph.output.map(valueInfo),
  initializerParams,
  constantParams,
  largeConstants,
  subgraphs: subgraphCount,
  ops,
  subgraphOps,
  metadata: Object.fromEntries(model.metadataProps.map((p) => [p.key, p.value.length > 200 ? `${p.value.slice(0, 200)}…` : p.value])),
};
process.stdout.write(`${JSON.stringify(summary, null, process.argv.includes('--json') ? 0 : 2)}\n`);
