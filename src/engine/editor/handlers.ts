/** Registers `editor/promptHints` (lenses, hovers and diagnostics of one document) and `editor/promptSends` on the dispatcher. */
import { randomUUID } from 'node:crypto';
import { dirname, relative } from 'node:path';
import { PromptHintsRequest, PromptSendsRequest } from '../../protocol/engine';
import { PromptHintsParamsSchema, PromptSendsParamsSchema, type PromptHintsAnswer, type PromptSendsResult } from '../../protocol/hints';
import { sharedPriceCatalog } from '../../shared/cost/pricing';
import { HintAnswers } from '../../shared/hints/delta';
import { PromptHintService } from '../../shared/hints/hints';
import { promptSends } from '../../shared/prompt/scanner/promptSends';
import type { Dispatcher } from '../rpc';
import { ImportedConstantReader } from '../../shared/prompt/scanner/importedModules';

export function registerEditorHandlers(rpc: Dispatcher): void {
  const service = new PromptHintService(sharedPriceCatalog);
  // An open document's answers carry an id; the editor names the one it holds (`since`) and gets only what changed (delta.ts).
  const answers = new HintAnswers(randomUUID().slice(0, 8));
  // The texts of the constants a document imports from its project's modules, counted where its prompts splice them in.
  const imported = new ImportedConstantReader();
  rpc.on(PromptHintsRequest.type, PromptHintsParamsSchema, async ({ since, ...params }): Promise<PromptHintsAnswer> => {
    const modulesRead = new Set<string>();
    const importedConstants = imported.read(params.text, params.languageId, params.fileName, modulesRead);
    const result = await service.compute({ ...params, compareModels: params.compareModels, callsPerDay: params.callsPerDay, withSuggestions: params.withSuggestions, ...(importedConstants.length > 0 ? { importedConstants } : {}) });
    const dir = params.fileName !== undefined ? dirname(params.fileName) : undefined;
    const read = dir !== undefined ? [...modulesRead].map((file) => relative(dir, file).replace(/\\/g, '/')) : [];
    return answers.answer(read.length > 0 ? { ...result, modulesRead: read } : result, params.uri, since);
  });
  rpc.on(PromptSendsRequest.type, PromptSendsParamsSchema, (params): PromptSendsResult => ({ sends: promptSends(params.text, params.languageId, params.fileName) }));
}
