/** Registers `editor/promptHints` (lenses, hovers and diagnostics of one document) on the dispatcher. */
import { PromptHintsRequest } from '../../protocol/engine';
import { PromptHintsParamsSchema, type PromptHintsResult } from '../../protocol/hints';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { PromptHintService } from '../../shared/hints/hints';
import type { Dispatcher } from '../rpc';

export function registerEditorHandlers(rpc: Dispatcher): void {
  const service = new PromptHintService(sharedPriceCatalog);
  rpc.on(PromptHintsRequest.type, PromptHintsParamsSchema, (params): Promise<PromptHintsResult> =>
    service.compute({ ...params, compareModels: params.compareModels, callsPerDay: params.callsPerDay, withSuggestions: params.withSuggestions }),
  );
}
