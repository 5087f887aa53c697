/**
 * The worker thread that computes prompt hints in an untrusted workspace, where the engine process does not run
 * (hostHints.ts starts it): the scan and the pricing of a document run here, off the extension host's thread, so
 * that a slow parse (about 1 s for 100 KB of invalid Python) never holds the editor (break39). It imports no
 * `vscode` and no engine code: the shared hint service only.
 */
import { parentPort } from 'node:worker_threads';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { PromptHintService, type HintInputs } from '../../shared/hints/hints';
import { errorMessage } from '../../protocol/errors';

/** A request from the host: compute the hints of `params`, answered with the same `id`. */
export interface HintsWorkerRequest {
  id: number;
  params: HintInputs;
}

export type HintsWorkerReply = { id: number; result: unknown } | { id: number; error: string };

const service = new PromptHintService(sharedPriceCatalog);
const port = parentPort;
port?.on('message', (message: HintsWorkerRequest) => {
  service.compute(message.params).then(
    (result) => port.postMessage({ id: message.id, result } satisfies HintsWorkerReply),
    (error: unknown) => port.postMessage({ id: message.id, error: errorMessage(error) } satisfies HintsWorkerReply),
  );
});
