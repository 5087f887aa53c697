import { PromptHintsRequest } from '../../protocol/engine';
import { PromptHintsParamsSchema, type PromptHintsResult } from '../../protocol/hints';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import type { Handler } from '../handlers';
import { validate } from '../handlers';
import { PromptHintService } from '../../shared/hints/hints';

export function registerEditorHandlers(handlers: Map<string, Handler>): void {
  const service = new PromptHintService(sharedPriceCatalog);
  handlers.set(PromptHintsRequest.method, async (raw): Promise<PromptHintsResult> => {
    const params = validate(PromptHintsParamsSchema, raw, PromptHintsRequest.method);
    return service.compute({ ...params, compareModels: params.compareModels, callsPerDay: params.callsPerDay, withSuggestions: params.withSuggestions });
  });
}
