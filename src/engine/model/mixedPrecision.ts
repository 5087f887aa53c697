/**
 * Mixed precision when no quantization format keeps the task fidelity within tolerance:
 * measure how much each quantized layer alone moves the model's output (the chosen
 * format applied to that one layer, everything else fp32, on the evaluation inputs),
 * then keep the most sensitive layers in fp32 — a few more at each step — until the task
 * metric is back within tolerance or a budget (time, share of layers kept fp32) runs out.
 *
 * A "unit" is what can be kept fp32 on its own: the targets of one node (an LSTM's W and
 * R together) and every target that reads the same constant (a shared weight is
 * quantized once for all its readers, so they cannot differ).
 *
 * The search itself is independent of ONNX: it is given a `build` (skip these target
 * indexes, return the model bytes) and a `probe` (fidelity of those bytes), so that the
 * decision is testable and formatChoice.ts supplies the real rewrite and measurement.
 */
import type { TaskFidelity } from '../../protocol/model';
import type { CancellationLike } from '../context';
import { MODEL_JOB } from './evaluate';
import type { QuantTarget } from './targets';
import { errorMessage, throwIfCancelled } from '../../protocol/errors';

export interface Unit {
  /** Indexes into the target list the units were made from. */
  targets: number[];
  /** The layer's node name (or op and position when it has none), for reports. */
  label: string;
  op: string;
  /** Weight elements of the unit (what keeping it fp32 costs in size). */
  elements: number;
}

/** Groups targets into units that can be kept fp32 independently (see the header). */
export function layerUnits(targets: readonly Pick<QuantTarget, 'op' | 'node' | 'dims' | 'roots'>[]): Unit[] {
  const parent = targets.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byNode = new Map<unknown, number>();
  const byWeight = new Map<unknown, number>();
  targets.forEach((t, i) => {
    const n = byNode.get(t.node);
    if (n === undefined) byNode.set(t.node, i);
    else union(n, i);
    for (const r of t.roots) {
      const w = byWeight.get(r.weight.tensor);
      if (w === undefined) byWeight.set(r.weight.tensor, i);
      else union(w, i);
    }
  });
  const groups = new Map<number, number[]>();
  targets.forEach((_, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  return [...groups.values()].map((idx) => {
    const first = targets[idx[0]];
    const names = [...new Set(idx.map((i) => targets[i].node.name || `${targets[i].op} #${i}`))];
    return {
      targets: idx,
      label: names.length > 2 ? `${names.slice(0, 2).join(', ')} (+${names.length - 2})` : names.join(', '),
      op: first.op,
      elements: idx.reduce((a, i) => a + targets[i].dims.reduce((x, y) => x * y, 1), 0),
    };
  });
}

/** What one build measured: the task verdict and a continuous error to rank by. */
export interface Probe {
  task: TaskFidelity;
  /** Cosine similarity of all outputs with fp32 (1 = same). */
  cosine: number;
}

/** Higher is better for every metric but the loss increase. */
function taskScore(t: TaskFidelity): number {
  return t.metric === 'lossIncreasePercent' ? -t.value : t.value;
}

/**
 * Most sensitive first: a unit whose quantization alone breaks the task metric before one
 * that keeps it; among equals, the lower output cosine first. Units that could not be
 * measured (undefined) go last, in model order.
 */
export function sensitivityOrder(probes: readonly (Probe | undefined)[]): number[] {
  const idx = probes.map((_, i) => i);
  return idx.sort((a, b) => {
    const pa = probes[a];
    const pb = probes[b];
    if (!pa || !pb) return pa ? -1 : pb ? 1 : a - b;
    if (pa.task.withinTolerance !== pb.task.withinTolerance) return pa.task.withinTolerance ? 1 : -1;
    const ta = taskScore(pa.task);
    const tb = taskScore(pb.task);
    if (ta !== tb) return ta - tb;
    const ca = Number.isFinite(pa.cosine) ? pa.cosine : -Infinity;
    const cb = Number.isFinite(pb.cosine) ? pb.cosine : -Infinity;
    return ca !== cb ? ca - cb : a - b;
  });
}

/** How many units to keep fp32 at each greedy step: 1, 2, 3, 4, 6, 9, … up to `max`. */
export function keepSchedule(max: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= max; k += Math.max(1, Math.floor(k / 2))) out.push(k);
  if (max >= 1 && out[out.length - 1] !== max) out.push(max);
  return out;
}

export interface SearchOptions {
  units: readonly Unit[];
  /** Builds the model with these target indexes left fp32 (everything else in the format); throws when nothing applies. */
  build(skip: ReadonlySet<number>): Promise<Uint8Array>;
  probe(bytes: Uint8Array): Promise<Probe>;
  /** Largest share of units kept fp32 (default 0.25). */
  maxFraction?: number;
  /** Wall-clock budget for the whole search, ms (default 120 s). */
  budgetMs?: number;
  token?: CancellationLike;
  progress?: (message: string) => void;
  now?: () => number;
}

export interface SearchResult {
  /** Units kept fp32, most sensitive first (empty when the search found nothing within tolerance). */
  kept: Unit[];
  /** The model with them kept fp32, and its probe; undefined when no step was within tolerance. */
  bytes?: Uint8Array;
  probe?: Probe;
  /** Each unit's probe when quantized alone (undefined: not measured: it failed, or the budget ran out). */
  solo: (Probe | undefined)[];
  order: number[];
  /** Every greedy step: units kept fp32 and what it measured. */
  steps: { keep: number; probe?: Probe; error?: string }[];
  /** Why the search ended without a result, if it did. */
  stopped?: string;
  elapsedMs: number;
}

/** Sensitivity pass, then greedy: see the header. */
export async function searchMixed(o: SearchOptions): Promise<SearchResult> {
  const now = o.now ?? (() => performance.now());
  const t0 = now();
  const budget = o.budgetMs ?? 120_000;
  const all = o.units.flatMap((u) => u.targets);
  const solo: (Probe | undefined)[] = o.units.map(() => undefined);
  let stopped: string | undefined;
  for (let u = 0; u < o.units.length; u++) {
    throwIfCancelled(o.token, MODEL_JOB);
    if (now() - t0 > budget / 2) {
      stopped = `the sensitivity pass ran out of time after ${u} of ${o.units.length} layers`;
      break;
    }
    o.progress?.(`Mixed precision: sensitivity of layer ${u + 1}/${o.units.length} (${o.units[u].label})`);
    const mine = new Set(o.units[u].targets);
    try {
      solo[u] = await o.probe(await o.build(new Set(all.filter((i) => !mine.has(i)))));
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code?: string }).code === 'cancelled') throw error;
      solo[u] = undefined;
    }
  }
  const order = sensitivityOrder(solo);
  const max = Math.max(1, Math.min(o.units.length - 1, Math.floor(o.units.length * (o.maxFraction ?? 0.25))));
  const steps: SearchResult['steps'] = [];
  for (const k of o.units.length > 1 ? keepSchedule(max) : []) {
    throwIfCancelled(o.token, MODEL_JOB);
    if (now() - t0 > budget) {
      stopped = `the time budget (${Math.round(budget / 1000)} s) ran out with ${steps.length > 0 ? steps[steps.length - 1].keep : 0} layer(s) kept fp32`;
      break;
    }
    const kept = order.slice(0, k);
    o.progress?.(`Mixed precision: ${k} most sensitive layer(s) kept fp32`);
    const skip = new Set(kept.flatMap((u) => o.units[u].targets));
    try {
      const bytes = await o.build(skip);
      const probe = await o.probe(bytes);
      steps.push({ keep: k, probe });
      if (probe.task.withinTolerance) return { kept: kept.map((u) => o.units[u]), bytes, probe, solo, order, steps, elapsedMs: now() - t0 };
    } catch (error) {
      if (error instanceof Error && 'code' in error && (error as { code?: string }).code === 'cancelled') throw error;
      steps.push({ keep: k, error: errorMessage(error) });
    }
  }
  stopped ??= `still out of tolerance with ${max} of ${o.units.length} layers (the most kept fp32: ${Math.round((o.maxFraction ?? 0.25) * 100)} %) kept fp32`;
  return { kept: [], solo, order, steps, stopped, elapsedMs: now() - t0 };
}
