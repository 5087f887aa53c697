/**
 * The JSON-RPC protocol between the extension host and the engine process. Each message
 * is a namespace with its method name and its typed `RequestType`/`NotificationType`,
 * and a comment that says which side sends it. Long requests accept a `workDoneToken`
 * and report `JobProgress` through `$/progress`; all of them honour `$/cancelRequest`.
 */
import { NotificationType, ProgressType, RequestType } from 'vscode-jsonrpc';
import type { CountTokensParams, PromptAnalysis, PromptAnalyzeParams, TokenCount } from './prompt';

export interface WorkDoneParams {
  /** A progress token the engine reports `JobProgress` against. */
  workDoneToken?: string | number;
}

export interface JobProgress {
  message?: string;
  /** 0-100 when the job knows how far along it is. */
  percent?: number;
}
export const JobProgressType = new ProgressType<JobProgress>();

export interface EngineInfo {
  version: string;
  pid: number;
  node: string;
  platform: string;
  /** Tokenizer encodings loaded so far (they load lazily). */
  encodingsLoaded: string[];
  startedAt: string;
}

/** Extension → engine: who is running, for logs and the health check. */
export namespace EngineInfoRequest {
  export const method = 'engine/info';
  export const type = new RequestType<Record<string, never> | undefined, EngineInfo, void>(method);
}

/** Extension → engine: count the tokens of a text for a model. */
export namespace CountTokensRequest {
  export const method = 'prompt/countTokens';
  export const type = new RequestType<CountTokensParams, TokenCount, void>(method);
}

/** Extension → engine: the seed's `PromptAnalyzer.analyze`. */
export namespace PromptAnalyzeRequest {
  export const method = 'prompt/analyze';
  export const type = new RequestType<PromptAnalyzeParams & WorkDoneParams, PromptAnalysis, void>(method);
}

export interface DebugWaitParams extends WorkDoneParams {
  ms: number;
}
/**
 * Extension/tests → engine: wait, reporting progress, until cancelled or done. Registered
 * only when the engine runs with PEPPERPY_ENGINE_DEBUG=1; the tests use it to exercise
 * cancellation, time-outs and crashes in the middle of a request.
 */
export namespace DebugWaitRequest {
  export const method = 'debug/wait';
  export const type = new RequestType<DebugWaitParams, { waitedMs: number }, void>(method);
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export interface LogParams {
  level: LogLevel;
  message: string;
}
/** Engine → extension: a log line for the "PepperPy" output channel (the engine never writes to stdout). */
export namespace LogNotification {
  export const method = 'log/didLog';
  export const type = new NotificationType<LogParams>(method);
}
