/** Registers `editor/promptHints` (lenses, hovers and diagnostics of one document) and `editor/promptSends` on the dispatcher. */
import { PromptHintsRequest, PromptSendsRequest } from '../../protocol/engine';
import { PromptHintsParamsSchema, PromptSendsParamsSchema, type PromptHintsResult, type PromptSendsResult } from '../../protocol/hints';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { PromptHintService } from '../../shared/hints/hints';
import { promptSends } from '../../shared/prompt/scanner/promptSends';
import type { Dispatcher } from '../rpc';

export function registerEditorHandlers(rpc: Dispatcher): void {
  const service = new PromptHintService(sharedPriceCatalog);
  rpc.on(PromptHintsRequest.type, PromptHintsParamsSchema, (params): Promise<PromptHintsResult> =>
    service.compute({ ...params, compareModels: params.compareModels, callsPerDay: params.callsPerDay, withSuggestions: params.withSuggestions }),
  );
  rpc.on(PromptSendsRequest.type, PromptSendsParamsSchema, (params): PromptSendsResult => ({ sends: promptSends(params.text, params.languageId, params.fileName) }));
}
