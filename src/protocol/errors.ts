/**
 * Error codes shared by the engine, the CLI and the extension. The engine sends them in
 * a JSON-RPC error's `data.code`; the extension maps them to messages with actions.
 */
export type EngineErrorCode =
  | 'badRequest'
  | 'notFound'
  | 'tooLarge'
  | 'unsupported'
  | 'cancelled'
  | 'timeout'
  | 'engineCrashed'
  | 'engineUnavailable'
  | 'internal';

/** JSON-RPC error numbers used by the engine (the -32000 range is for servers). */
export const JsonRpcErrorNumbers: Readonly<Record<EngineErrorCode, number>> = {
  badRequest: -32602,
  notFound: -32001,
  tooLarge: -32002,
  unsupported: -32003,
  cancelled: -32800,
  timeout: -32004,
  engineCrashed: -32005,
  engineUnavailable: -32006,
  internal: -32603,
};

export interface EngineErrorData {
  code: EngineErrorCode;
  /** What the user can do about it, in one sentence. */
  hint?: string;
}

/** An error with a code that says what went wrong and a hint that says what to do. */
export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }

  /** The message followed by the hint, for places that show one line of text. */
  get fullMessage(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

export function isEngineErrorData(value: unknown): value is EngineErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in JsonRpcErrorNumbers
  );
}

/** The text of anything thrown: an Error's message, or the value itself as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A cancellation token (`vscode-jsonrpc`, VS Code) or an AbortSignal. */
export type Cancellable = { readonly isCancellationRequested: boolean } | { readonly aborted: boolean };

/** Throws `EngineError('cancelled', "<what> was cancelled.")` once `cancel` has been requested. */
export function throwIfCancelled(cancel: Cancellable | undefined, what: string): void {
  if (cancel === undefined) return;
  const requested = 'aborted' in cancel ? cancel.aborted : cancel.isCancellationRequested;
  if (requested) throw new EngineError('cancelled', `${what} was cancelled.`);
}
