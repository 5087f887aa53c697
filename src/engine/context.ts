import type { JobProgress, LogLevel } from '../protocol/engine';

/** Cancellation as the handlers see it: the same shape as vscode-jsonrpc's token. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** What a handler gets besides its parameters: cancellation, progress and logging. */
export interface HandlerContext {
  token: CancellationLike;
  progress(value: JobProgress): void;
  log(level: LogLevel, message: string): void;
  /**
   * Sends an engine → extension notification (e.g. `cost/didRecord`). Absent in the CLI,
   * where there is no one to notify; it outlives the request, so long-lived services (the
   * cost monitor) may keep it.
   */
  notify?(method: string, params: unknown): void;
}

export const neverCancelled: CancellationLike = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => undefined }),
};
