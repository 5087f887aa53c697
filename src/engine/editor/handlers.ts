/** Registers `editor/promptHints` (lenses, hovers and diagnostics of one document) and `editor/promptSends` on the dispatcher. */
import { randomUUID } from 'node:crypto';
import { PromptHintsRequest, PromptSendsRequest } from '../../protocol/engine';
import { PromptHintsParamsSchema, PromptSendsParamsSchema, type PromptHintsAnswer, type PromptSendsResult } from '../../protocol/hints';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { HintAnswers } from '../../shared/hints/delta';
import { PromptHintService } from '../../shared/hints/hints';
import { promptSends } from '../../shared/prompt/scanner/promptSends';
import type { Dispatcher } from '../rpc';

export function registerEditorHandlers(rpc: Dispatcher): void {
  const service = new PromptHintService(sharedPriceCatalog);
  // An open document's answers carry an id; the editor names the one it holds (`since`) and gets only what changed (delta.ts).
  const answers = new HintAnswers(randomUUID().slice(0, 8));
  rpc.on(PromptHintsRequest.type, PromptHintsParamsSchema, async ({ since, ...params }): Promise<PromptHintsAnswer> => {
    const result = await service.compute({ ...params, compareModels: params.compareModels, callsPerDay: params.callsPerDay, withSuggestions: params.withSuggestions });
    return answers.answer(result, params.uri, since);
  });
  rpc.on(PromptSendsRequest.type, PromptSendsParamsSchema, (params): PromptSendsResult => ({ sends: promptSends(params.text, params.languageId, params.fileName) }));
}
