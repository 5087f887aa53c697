/**
 * Builds the JSON-RPC server's dispatcher (src/engine/rpc.ts) with every method the engine
 * serves: the engine's own here, then each area's. Only the server (src/engine/server.ts)
 * and the tests use it: the CLI (src/engine/cli.ts, src/engine/cli/*) neither builds the
 * dispatcher nor calls a handler. It parses its own options and calls the same engine modules
 * directly: the cost and model classes, the scanner, and functions the handler files export
 * (compressKeepingAtoms and the other prompt rewrites, currentCostsFromLedger, cost history).
 */
import { z } from 'zod';
import { CountTokensRequest, DebugWaitRequest, EngineInfoRequest, PromptAnalyzeRequest, PromptScanRequest, type EngineInfo } from '../protocol/engine';
import { EngineError, errorMessage } from '../protocol/errors';
import { CountTokensParamsSchema, PromptAnalyzeParamsSchema, type PromptAnalysis, type TokenCount } from '../protocol/prompt';
import { PromptScanParamsSchema, type FileScanResult, type PromptScanResult } from '../protocol/scan';
import { DEFAULT_MODEL, PromptAnalyzer } from '../shared/prompt/analyzer';
import { findPrompts } from '../shared/prompt/scanner';
import { listScanFiles, projectWebOnlyClasses, scanFile } from '../shared/prompt/scanner/scanFiles';
import { sharedTokenizer } from '../shared/prompt/tokenizer';
import { ENGINE_VERSION } from './version';
import { registerCostHandlers } from './cost/handlers';
import { registerEditorHandlers } from './editor/handlers';
import { registerModelHandlers } from './model/handlers';
import { registerPipelineHandlers } from './pipeline/handlers';
import { registerPromptHandlers } from './prompt/handlers';
import { registerLocalServerHandlers } from './providers/localServerHandlers';
import { Dispatcher, noParams } from './rpc';

const startedAt = new Date().toISOString();

function cancelled(method: string): EngineError {
  return new EngineError('cancelled', `${method} was cancelled.`);
}

const WaitParamsSchema = z
  .object({ ms: z.number().int().min(0).max(3_600_000) })
  .strict();

/** `debug` adds debug/wait; `delayMs` holds requests back (see DispatcherOptions). */
export function createDispatcher(options: { debug?: boolean; delayMs?: number } = {}): Dispatcher {
  const analyzer = new PromptAnalyzer();
  const rpc = new Dispatcher(options.delayMs ? { delayMs: options.delayMs } : {});

  rpc.on(EngineInfoRequest.type, noParams, (): EngineInfo => ({
    version: ENGINE_VERSION,
    pid: process.pid,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    encodingsLoaded: sharedTokenizer().loadedEncodings,
    startedAt,
  }));

  rpc.on(CountTokensRequest.type, CountTokensParamsSchema, (params): TokenCount => sharedTokenizer().count(params.text, params.model ?? DEFAULT_MODEL));

  rpc.on(PromptAnalyzeRequest.type, PromptAnalyzeParamsSchema, (params, ctx): PromptAnalysis => {
    if (ctx.token.isCancellationRequested) throw cancelled(PromptAnalyzeRequest.method);
    ctx.progress({ message: 'Counting tokens' });
    return analyzer.analyze(params.text, { model: params.model ?? DEFAULT_MODEL, ...(params.outputSchema ? { outputSchema: params.outputSchema } : {}) });
  });

  rpc.on(PromptScanRequest.type, PromptScanParamsSchema, async (params, ctx): Promise<PromptScanResult> => {
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
      // The project-level evidence of the scanned files (web API records, projectSchemas.ts), read once before the scan.
      const pathOptions = { ...scanOptions, webOnlyClasses: projectWebOnlyClasses(list) };
      for (const [i, entry] of list.entries()) {
        if (ctx.token.isCancellationRequested) throw cancelled(PromptScanRequest.method);
        if (i % 20 === 0) ctx.progress({ message: `Scanning ${entry.display}`, percent: Math.round((i / Math.max(1, list.length)) * 100) });
        files.push(scanFile(entry.file, entry.display, pathOptions));
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
    rpc.on(DebugWaitRequest.type, WaitParamsSchema, async (params, ctx) => {
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
  registerCostHandlers(rpc);
  registerEditorHandlers(rpc);
  registerPromptHandlers(rpc);
  registerModelHandlers(rpc);
  registerPipelineHandlers(rpc);
  registerLocalServerHandlers(rpc);
  return rpc;
}
