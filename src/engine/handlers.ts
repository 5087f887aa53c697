/**
 * The engine's request handlers, shared by the JSON-RPC server (src/engine/server.ts) and
 * the CLI (src/engine/cli.ts). Each handler validates its parameters, so a malformed
 * message gets a `badRequest` error that names the field, never a crash.
 */
import { z } from 'zod';
import { CountTokensRequest, DebugWaitRequest, EngineInfoRequest, PromptAnalyzeRequest, PromptScanRequest, type EngineInfo } from '../protocol/engine';
import { EngineError, errorMessage } from '../protocol/errors';
import { CountTokensParamsSchema, PromptAnalyzeParamsSchema, type PromptAnalysis, type TokenCount } from '../protocol/prompt';
import { PromptScanParamsSchema, type FileScanResult, type PromptScanResult } from '../protocol/scan';
import type { HandlerContext } from './context';
import { DEFAULT_MODEL, PromptAnalyzer } from '../shared/prompt/analyzer';
import { findPrompts } from '../shared/prompt/scanner';
import { listScanFiles, scanFile } from '../shared/prompt/scanner/scanFiles';
import { sharedTokenizer } from '../shared/prompt/tokenizer';
import { ENGINE_VERSION } from './version';
import { registerCostHandlers } from './cost/handlers';
import { registerEditorHandlers } from './editor/handlers';
import { registerModelHandlers } from './model/handlers';
import { registerPipelineHandlers } from './pipeline/handlers';
import { registerPromptHandlers } from './prompt/handlers';

export type Handler = (params: unknown, ctx: HandlerContext) => Promise<unknown>;

const startedAt = new Date().toISOString();

export { validate } from './validate';
import { validate } from './validate';

function cancelled(method: string): EngineError {
  return new EngineError('cancelled', `${method} was cancelled.`);
}

const WaitParamsSchema = z
  .object({ ms: z.number().int().min(0).max(3_600_000) })
  .strict();

export function createHandlers(options: { debug?: boolean } = {}): Map<string, Handler> {
  const analyzer = new PromptAnalyzer();
  const handlers = new Map<string, Handler>();

  handlers.set(EngineInfoRequest.method, async (): Promise<EngineInfo> => ({
    version: ENGINE_VERSION,
    pid: process.pid,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    encodingsLoaded: sharedTokenizer().loadedEncodings,
    startedAt,
  }));

  handlers.set(CountTokensRequest.method, async (raw): Promise<TokenCount> => {
    const params = validate(CountTokensParamsSchema, raw, CountTokensRequest.method);
    return sharedTokenizer().count(params.text, params.model ?? DEFAULT_MODEL);
  });

  handlers.set(PromptAnalyzeRequest.method, async (raw, ctx): Promise<PromptAnalysis> => {
    const params = validate(PromptAnalyzeParamsSchema, raw, PromptAnalyzeRequest.method);
    if (ctx.token.isCancellationRequested) throw cancelled(PromptAnalyzeRequest.method);
    ctx.progress({ message: 'Counting tokens' });
    return analyzer.analyze(params.text, { model: params.model ?? DEFAULT_MODEL });
  });

  handlers.set(PromptScanRequest.method, async (raw, ctx): Promise<PromptScanResult> => {
    const { workDoneToken: _token, ...rest } = (raw ?? {}) as Record<string, unknown>;
    const params = validate(PromptScanParamsSchema, rest, PromptScanRequest.method);
    const started = performance.now();
    const files: FileScanResult[] = [];
    const scanOptions = params.minConfidence !== undefined ? { minConfidence: params.minConfidence } : {};
    if (params.text !== undefined) {
      const fileStarted = performance.now();
      const prompts = findPrompts(params.text, params.languageId, { ...scanOptions, ...(params.fileName ? { fileName: params.fileName } : {}) });
      files.push({ file: params.fileName ?? 'untitled', languageId: params.languageId ?? 'unknown', prompts, elapsedMs: performance.now() - fileStarted });
    }
    if (params.paths) {
      let list: Array<{ file: string; display: string }>;
      try {
        list = listScanFiles(params.paths);
      } catch (error) {
        throw new EngineError('notFound', `Cannot scan ${params.paths.join(', ')}: ${errorMessage(error)}.`, 'Check the paths.');
      }
      for (const [i, entry] of list.entries()) {
        if (ctx.token.isCancellationRequested) throw cancelled(PromptScanRequest.method);
        if (i % 20 === 0) ctx.progress({ message: `Scanning ${entry.display}`, percent: Math.round((i / Math.max(1, list.length)) * 100) });
        files.push(scanFile(entry.file, entry.display, scanOptions));
        // Yield between files so a cancel request can be read.
        if (i % 20 === 19) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    const skipped = files.filter((f) => f.skipped).length;
    return {
      files,
      filesScanned: files.length - skipped,
      filesSkipped: skipped,
      promptCount: files.reduce((n, f) => n + f.prompts.length, 0),
      elapsedMs: Math.round(performance.now() - started),
    };
  });

  if (options.debug) {
    handlers.set(DebugWaitRequest.method, async (raw, ctx) => {
      const params = validate(WaitParamsSchema, raw, DebugWaitRequest.method);
      const started = Date.now();
      await new Promise<void>((resolve, reject) => {
        const tick = setInterval(() => ctx.progress({ message: 'waiting', percent: Math.min(100, ((Date.now() - started) / Math.max(1, params.ms)) * 100) }), 100);
        const done = setTimeout(() => { clearInterval(tick); sub.dispose(); resolve(); }, params.ms);
        const sub = ctx.token.onCancellationRequested(() => {
          clearInterval(tick);
          clearTimeout(done);
          reject(cancelled(DebugWaitRequest.method));
        });
      });
      return { waitedMs: Date.now() - started };
    });
  }
  registerCostHandlers(handlers);
  registerEditorHandlers(handlers);
  registerPromptHandlers(handlers);
  registerModelHandlers(handlers);
  registerPipelineHandlers(handlers);
  return handlers;
}
