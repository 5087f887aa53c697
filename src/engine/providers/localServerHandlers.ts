/**
 * Registers `engine/localModels` on the dispatcher: the models that local OpenAI-compatible
 * servers serve now. One detection is shared for a few seconds (the picker opens often);
 * a cancelled request stops waiting without stopping probes another caller may share.
 */
import { LocalModelsRequest } from '../../protocol/engine';
import { EngineError } from '../../protocol/errors';
import { LocalModelsParamsSchema, type LocalModelsResult } from '../../protocol/localServers';
import { LOCAL_COST_LABEL } from '../../shared/localModels';
import type { CancellationLike } from '../context';
import type { Dispatcher } from '../rpc';
import { localModelNames, sharedLocalServerDetection, type LocalServerProbe } from './localServers';

/** How long one detection is reused, in ms: long enough for a picker opened twice, short enough to see a server just started. */
export const LOCAL_DETECTION_MAX_AGE_MS = 10_000;

function untilCancelled<T>(work: Promise<T>, token: CancellationLike, what: string): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new EngineError('cancelled', `${what} was cancelled.`));
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => reject(new EngineError('cancelled', `${what} was cancelled.`)));
    work.then(
      (value) => { sub.dispose(); resolve(value); },
      (error: unknown) => { sub.dispose(); reject(error instanceof Error ? error : new Error(String(error))); },
    );
  });
}

/** The answer for a set of probes (exported for the CLI and the tests). */
export function localModelsResult(probes: LocalServerProbe[]): LocalModelsResult {
  return {
    models: localModelNames(probes),
    servers: probes.map((p) => ({ id: p.id, name: p.name, baseUrl: p.baseUrl, status: p.status, ...(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {}), ...(p.error ? { error: p.error } : {}), ...(p.note ? { note: p.note } : {}) })),
    cost: LOCAL_COST_LABEL,
  };
}

export function registerLocalServerHandlers(rpc: Dispatcher): void {
  rpc.on(LocalModelsRequest.type, LocalModelsParamsSchema, async (params, ctx): Promise<LocalModelsResult> => {
    const detection = sharedLocalServerDetection({ timeoutMs: params.timeoutMs ?? 800, maxAgeMs: LOCAL_DETECTION_MAX_AGE_MS, ...(params.refresh ? { refresh: true } : {}) });
    return localModelsResult(await untilCancelled(detection, ctx.token, LocalModelsRequest.method));
  }, 'Send {} or { refresh?: boolean, timeoutMs?: 50-10000 } (src/protocol/localServers.ts).');
}
